/* formcheck: one frame's planar metrics (analysis/frame_metrics.h). */
#include "analysis/frame_metrics.h"

#include <math.h>

#include "analysis/tuning.h"

/* Two toes count as level, so neither foot as the nearer (near_foot), within
 * this fraction of the standing shank (about 4 cm): several times the toe
 * landmark's jitter (1-2% of the shank), below the 0.2 shank a side view
 * from hip height 3 m away shows between feet 20 cm apart (20 cm x 1 m /
 * 3 m = 7 cm). */
#define NEAR_FOOT_MARGIN 0.1f

/* Both knees of a two-legged squat bent the same way across the picture
 * (one reads valgus, the other varus, both beyond TURNED_FPPA_DEG; or, at
 * depth where the FPPA is not measured, one knee inside its ankle and the
 * other outside, both by TURNED_KNEE_PCT of the leg) is not knee motion but
 * the squat's forward motion seen by a camera the body is turned from:
 * knees, hips and trunk all travel sideways in the picture. Real valgus (or
 * knees pushed out) is mirror-symmetric. In such a frame the sideways
 * measurements say nothing of the frontal plane and are gaps; all but the
 * knee-to-ankle separation, which a common sideways travel of the knees
 * leaves as it is (the knees' and the ankles' separations are both
 * foreshortened by cos(yaw), their ratio is not: UI-PRMD projected 0, 15
 * and 30 deg off the front, 6.5, 5.4 and 4.2 points of error, median). */
static void drop_turned(enum fc_exercise e, float *v)
{
    float fl = v[FC_M_KNEE_FPPA_LEFT], fr = v[FC_M_KNEE_FPPA_RIGHT];
    float ml = v[FC_M_KNEE_MEDIAL_LEFT], mr = v[FC_M_KNEE_MEDIAL_RIGHT];
    int turned = (fl * fr < 0 && fminf(fabsf(fl), fabsf(fr)) >= TURNED_FPPA_DEG) ||
                 (ml * mr < 0 && fminf(fabsf(ml), fabsf(mr)) >= TURNED_KNEE_PCT);
    if (fc_exercise_bilateral_squat(e) && turned) {
        v[FC_M_KNEE_FPPA_LEFT] = v[FC_M_KNEE_FPPA_RIGHT] = NAN;
        v[FC_M_TRUNK_LEAN_LATERAL] = v[FC_M_LATERAL_SHIFT] = NAN;
        v[FC_M_KNEE_MEDIAL_LEFT] = v[FC_M_KNEE_MEDIAL_RIGHT] = NAN;
        v[FC_M_HIP_OVER_BASE] = NAN;
    }
}

/* FPPA (Willson & Davis 2008): the turn from the thigh to the shank;
 * medial (valgus) is towards -L for the left knee, +L for the right. Only
 * while the thigh's projection keeps FPPA_MIN_THIGH_FRAC of its standing
 * length, and within an angle a knee can make: otherwise the frame is marked
 * not measurable, the leg out of the picture's plane. */
static void fppa(const struct fc_body_ref *a, const struct fc_frame_ctx *f)
{
    const struct fc_keypoints *k = f->k;
    for (int s = 0; s < 2; s++) {
        int hip = hip_j[s], knee = knee_j[s], ank = ank_j[s];
        if (!HAS(f->seen, BIT(hip) | BIT(knee) | BIT(ank)))
            continue;
        struct vec thigh = vsub(jp(k, knee), jp(k, hip)), shank = vsub(jp(k, ank), jp(k, knee));
        if (isnan(a->thigh[s]) || isnan(a->shank[s]))
            continue; /* no standing leg to judge the depth by */
        /* The shank too: a leg swung back or lifted towards the camera
         * (the free leg of a single-leg reach) bends out of the picture's
         * plane the same way. */
        if (!(vlen(thigh) >= FPPA_MIN_THIGH_FRAC * a->thigh[s]) ||
            !(vlen(shank) >= FPPA_MIN_THIGH_FRAC * a->shank[s])) {
            if (f->out_of_plane)
                *f->out_of_plane |= 1u << (FC_M_KNEE_FPPA_LEFT + s);
            continue;
        }
        float turn = ang(thigh, shank) * a->s_lu;
        if (!(fabsf(turn) <= (float)FC_FPPA_MAX_PLAUSIBLE_DEG)) {
            if (f->out_of_plane)
                *f->out_of_plane |= 1u << (FC_M_KNEE_FPPA_LEFT + s);
            continue;
        }
        f->v[FC_M_KNEE_FPPA_LEFT + s] = s == FC_SIDE_LEFT ? turn : -turn;
    }
}

/* Knee alignment over the feet in a bilateral squat, valid at any depth
 * because it compares positions across the body, not angles along a
 * foreshortened thigh: the knee-to-ankle separation ratio (Mizner et al.
 * 2012, Clin J Sport Med 22(3): 2-D KASR explained 3-D knee abduction better
 * than the FPPA) and each knee's displacement towards the midline from its
 * own ankle (the medial knee displacement of Padua, Bell et al.), both along
 * the lateral axis L, the latter in % of the standing leg length. */
static void knee_alignment(const struct fc_body_ref *a, const struct fc_frame_ctx *f)
{
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    if (!(a->leg > 0))
        return;
    for (int s = 0; s < 2; s++) {
        if (!HAS(m, BIT(knee_j[s]) | BIT(ank_j[s])))
            continue;
        float out = vdot(vsub(jp(k, knee_j[s]), jp(k, ank_j[s])), a->L); /* towards the left */
        f->v[FC_M_KNEE_MEDIAL_LEFT + s] = (s == FC_SIDE_LEFT ? -out : out) / a->leg * PERCENT;
    }
    if (HAS(m, BIT(LK) | BIT(RK) | BIT(LA) | BIT(RA))) {
        float knees = vdot(vsub(jp(k, LK), jp(k, RK)), a->L);
        float ankles = vdot(vsub(jp(k, LA), jp(k, RA)), a->L);
        if (ankles >= KASR_MIN_ANKLE_SEP * a->leg)
            f->v[FC_M_KNEE_ANKLE_SEP] = knees / ankles * PERCENT;
    }
}

/* The mid-hip over the base of support: its offset along L from the point
 * midway between the ankles, in % of the ankles' separation (a feet-together
 * stance has no base to be off-centre of). Needs no baseline. */
static void hip_over_base(const struct fc_body_ref *a, const struct fc_frame_ctx *f)
{
    const struct fc_keypoints *k = f->k;
    if (!HAS(f->seen, BIT(LH) | BIT(RH) | BIT(LA) | BIT(RA)) || !(a->leg > 0))
        return;
    float ankles = vdot(vsub(jp(k, LA), jp(k, RA)), a->L);
    if (!(ankles >= KASR_MIN_ANKLE_SEP * a->leg))
        return;
    struct vec off = vsub(vmid(jp(k, LH), jp(k, RH)), vmid(jp(k, LA), jp(k, RA)));
    f->v[FC_M_HIP_OVER_BASE] = vdot(off, a->L) / ankles * PERCENT;
}

void fc_frontal_metrics(const struct fc_body_ref *a, const struct fc_metric_opts *o,
                        const struct fc_frame_ctx *f)
{
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    float *v = f->v;
    int hips = HAS(m, BIT(LH) | BIT(RH));
    if (hips) {
        /* Obliquity: the hip line's turn from its baseline direction L,
         * towards up (left hip rising) positive. */
        float obl = ang(a->L, vsub(jp(k, LH), jp(k, RH))) * a->s_lu;
        v[FC_M_PELVIC_OBLIQUITY] = obl;
        if (o->stance >= 0 && o->hip_drop)
            v[FC_M_HIP_DROP] = o->stance == FC_SIDE_LEFT ? obl : -obl;
    }
    fppa(a, f);
    if (o->knee_alignment) {
        knee_alignment(a, f);
        hip_over_base(a, f);
    }
    if (hips && HAS(m, BIT(LS) | BIT(RS))) {
        struct vec t = vsub(vmid(jp(k, LS), jp(k, RS)), vmid(jp(k, LH), jp(k, RH)));
        v[FC_M_TRUNK_LEAN_LATERAL] = -ang(a->U, t) * a->s_lu;
    }
    if (hips && HAS(m, BIT(LA) | BIT(RA)) && a->hip_w > 0) {
        struct vec off = vsub(vmid(jp(k, LH), jp(k, RH)), vmid(jp(k, LA), jp(k, RA)));
        v[FC_M_LATERAL_SHIFT] = (vdot(off, a->L) - a->off0_lat) / a->hip_w * PERCENT;
    }
    drop_turned(o->exercise, v);
}

void fc_world_knee_flexion(const struct fc_frame_ctx *f)
{
    const struct fc_keypoints *k = f->k;
    for (int s = 0; s < 2; s++) {
        int hip = hip_j[s], knee = knee_j[s], ank = ank_j[s];
        if (!HAS(f->seen, BIT(hip) | BIT(knee) | BIT(ank)) || !fc_keypoints_has_world(k, hip) ||
            !fc_keypoints_has_world(k, knee) || !fc_keypoints_has_world(k, ank))
            continue;
        double th[3] = {k->world_x[knee] - k->world_x[hip], k->world_y[knee] - k->world_y[hip],
                        k->world_z[knee] - k->world_z[hip]};
        double sh[3] = {k->world_x[ank] - k->world_x[knee], k->world_y[ank] - k->world_y[knee],
                        k->world_z[ank] - k->world_z[knee]};
        double cx = th[1] * sh[2] - th[2] * sh[1], cy = th[2] * sh[0] - th[0] * sh[2],
               cz = th[0] * sh[1] - th[1] * sh[0];
        double dot = th[0] * sh[0] + th[1] * sh[1] + th[2] * sh[2];
        /* the turn from the thigh's line to the shank's = 180 - hip-knee-ankle */
        f->v[FC_M_KNEE_FLEXION_LEFT + s] =
            (float)(atan2(sqrt(cx * cx + cy * cy + cz * cz), dot) * FC_DEG_PER_RAD);
    }
}

/* Hip and knee flexion of both legs; the hip flexions are returned for the
 * tilt proxy. */
static void flexions(const struct fc_body_ref *a, const struct fc_frame_ctx *f, float hipflex[2])
{
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    for (int s = 0; s < 2; s++) {
        int hip = hip_j[s], knee = knee_j[s];
        if (!HAS(m, BIT(hip) | BIT(knee)))
            continue;
        struct vec thigh = vsub(jp(k, knee), jp(k, hip));
        int sh = (m & BIT(sh_j[s])) ? sh_j[s] : (m & BIT(sh_j[1 - s])) ? sh_j[1 - s] : -1;
        if (sh >= 0) {
            /* Flexion: the thigh's turn from the trunk line continued down,
             * towards the front (anterior) positive; extension negative. */
            hipflex[s] = ang(vsub(jp(k, hip), jp(k, sh)), thigh) * a->s_flex;
            f->v[FC_M_HIP_FLEXION_LEFT + s] = hipflex[s];
        }
        if (m & BIT(ank_j[s]))
            f->v[FC_M_KNEE_FLEXION_LEFT + s] =
                -ang(thigh, vsub(jp(k, ank_j[s]), jp(k, knee))) * a->s_flex;
    }
}

/* The lunge's front leg: the ankle further forward; n when an ankle is
 * missing. */
static int front_leg(const struct fc_body_ref *a, const struct fc_keypoints *k, uint32_t m, int n)
{
    if (!HAS(m, BIT(LA) | BIT(RA)))
        return n;
    return vdot(vsub(jp(k, LA), jp(k, RA)), a->F) > 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
}

/* The near leg of a side view, from the feet: a camera above the floor sees
 * the nearer of two feet on the floor lower in the picture (on the side
 * squat clip the near toe is half a shank below the far one). The baseline's
 * near side (from the joints' scores) is kept when the toes are level within
 * NEAR_FOOT_MARGIN shanks, or one is unseen: MoveNet and BlazePose both
 * score a side view's far leg higher in some clips, which put the knee
 * travel on the half-hidden far knee. */
static int near_foot(const struct fc_body_ref *a, const struct fc_keypoints *k, uint32_t m, int n)
{
    if (!HAS(m, TOE_BIT(0) | TOE_BIT(1)))
        return n;
    float shank = 0.5f * (a->shank[0] + a->shank[1]);
    /* up: larger vdot with U; the near toe is the lower one */
    float dh = vdot(vsub(jp(k, toe_j[FC_SIDE_LEFT]), jp(k, toe_j[FC_SIDE_RIGHT])), a->U);
    if (!(fabsf(dh) > NEAR_FOOT_MARGIN * shank))
        return n;
    return dh < 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
}

/* Knee travel: how far the knee is ahead of its own toe tip along the
 * forward axis, in % of the standing shank. The leg: the front leg (ankle
 * further forward, as analysis/kinematics.c) for lunges; else the near leg,
 * taken from the feet when both toes are seen (near_foot). Only with a toe:
 * where the toe sits ahead of the ankle depends on the foot and the camera
 * angle, so COCO-17 (no toes) gives no knee travel.
 * Normalised by the standing shank, not this frame's: the shank does not
 * change length, while this frame's knee -> ankle distance carries both
 * landmarks' errors into the divisor (BlazePose's front shank at a lunge's
 * bottom reads 0.6-0.8 of its standing length on the reverse-lunge clip).
 * A toe behind its own ankle is a landmark on the wrong foot (the toes of
 * a foot flat or on its ball lie ahead of the ankle): no value then. */
static void knee_travel(const struct fc_body_ref *a, enum fc_exercise e,
                        const struct fc_frame_ctx *f, int n)
{
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    int s = e == FC_EXERCISE_LUNGE ? front_leg(a, k, m, n) : near_foot(a, k, m, n);
    if (!HAS(m, BIT(knee_j[s]) | BIT(ank_j[s])) || !(m & TOE_BIT(s)) || !(a->shank[s] > 0))
        return;
    struct vec kn = jp(k, knee_j[s]), an = jp(k, ank_j[s]), tip = jp(k, toe_j[s]);
    if (!(vdot(vsub(tip, an), a->F) > 0))
        return;
    f->v[FC_M_KNEE_TRAVEL] = vdot(vsub(kn, tip), a->F) / a->shank[s] * PERCENT;
}

/* The overhead squat's arms: the upper arms' turn forward from the trunk
 * line, and the hands ahead of the feet in % of the standing shank. With
 * both arms seen, the mean of the two: arms raised in a V overhead splay
 * sideways, and a camera short of side-on sees sin(off) of that splay as
 * forward travel, with opposite signs for the two arms, so the mean keeps
 * only the forward run (foreshortened by cos(off), as the trunk's). For the
 * same reason the hands are the wrists' midpoint against the ankles'
 * (hands a shoulder width apart over feet a stance width apart). One arm
 * or wrist seen: that one, against its own side's ankle, near side first. */
static void arms(const struct fc_body_ref *a, const struct fc_metric_opts *o,
                 const struct fc_frame_ctx *f, int n, float trunk_deg)
{
    const struct fc_keypoints *k = f->k;
    uint32_t arm_seen[2], wrist_seen[2];
    for (int s = 0; s < 2; s++) {
        arm_seen[s] = (f->seen & BIT(sh_j[s])) && seen1(k, o->min_score, elbow_j[s]);
        wrist_seen[s] = seen1(k, o->min_score, wrist_j[s]);
    }
    struct vec msh = {0, 0}, mhip = {0, 0};
    if ((arm_seen[0] || arm_seen[1]) && !isnan(trunk_deg) && mid_or_one(k, f->seen, LS, RS, &msh) &&
        mid_or_one(k, f->seen, LH, RH, &mhip)) {
        int both = arm_seen[0] && arm_seen[1], one = arm_seen[n] ? n : 1 - n;
        struct vec trunk = vsub(msh, mhip);
        float sum = 0;
        for (int s = 0; s < 2; s++)
            if (both || s == one)
                sum += ang(trunk, vsub(jp(k, elbow_j[s]), jp(k, sh_j[s])));
        f->v[FC_M_ARM_FORWARD] = sum / (both ? 2.0f : 1.0f) * a->s_uf;
    }
    int ankles = HAS(f->seen, BIT(LA) | BIT(RA));
    if (wrist_seen[0] && wrist_seen[1] && ankles && a->shank[0] > 0 && a->shank[1] > 0) {
        struct vec hands = vmid(jp(k, wrist_j[0]), jp(k, wrist_j[1]));
        struct vec feet = vmid(jp(k, LA), jp(k, RA));
        f->v[FC_M_WRIST_AHEAD] =
            vdot(vsub(hands, feet), a->F) / (0.5f * (a->shank[0] + a->shank[1])) * PERCENT;
        return;
    }
    int w = wrist_seen[n] ? n : 1 - n;
    if (wrist_seen[w] && (f->seen & BIT(ank_j[n])) && a->shank[n] > 0)
        f->v[FC_M_WRIST_AHEAD] =
            vdot(vsub(jp(k, wrist_j[w]), jp(k, ank_j[n])), a->F) / a->shank[n] * PERCENT;
}

/* The thigh that gives depth: of the two seen, the one whose picture keeps
 * more of its standing length. A thigh that points towards or away from
 * the camera (the knees pushed out in a deep squat, the camera short of
 * side-on) loses its forward run in the picture and reads steeper than it
 * is; the one nearer the picture's plane reads true. Only one seen: that
 * one; none: -1. n is the near leg, taken when they keep alike. */
static int depth_leg(const struct fc_body_ref *a, const struct fc_keypoints *k, uint32_t m, int n)
{
    float keep[2] = {-1, -1};
    for (int s = 0; s < 2; s++)
        if (HAS(m, BIT(hip_j[s]) | BIT(knee_j[s])))
            keep[s] =
                a->thigh[s] > 0 ? vlen(vsub(jp(k, hip_j[s]), jp(k, knee_j[s]))) / a->thigh[s] : 0;
    if (keep[n] < 0 && keep[1 - n] < 0)
        return -1;
    return keep[1 - n] > keep[n] * DEPTH_LEG_MARGIN ? 1 - n : keep[n] >= 0 ? n : 1 - n;
}

void fc_sagittal_metrics(const struct fc_body_ref *a, const struct fc_metric_opts *o,
                         const struct fc_frame_ctx *f)
{
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    float *v = f->v;
    float hipflex[2] = {NAN, NAN};
    flexions(a, f, hipflex);
    struct vec msh = {0, 0}, mhip = {0, 0};
    float trunk = NAN;
    if (mid_or_one(k, m, LS, RS, &msh) && mid_or_one(k, m, LH, RH, &mhip)) {
        trunk = ang(a->U, vsub(msh, mhip)) * a->s_uf;
        v[FC_M_TRUNK_FORWARD_LEAN] = trunk;
    }
    int n = a->near_side;
    if (!leg_seen(m, n) && leg_seen(m, 1 - n))
        n = 1 - n;
    if (HAS(m, BIT(knee_j[n]) | BIT(ank_j[n]))) {
        float shin = ang(a->U, vsub(jp(k, knee_j[n]), jp(k, ank_j[n]))) * a->s_uf;
        v[FC_M_TRUNK_SHIN_DIFF] = trunk - shin;
    }
    int d = depth_leg(a, k, m, n);
    if (d >= 0) {
        /* Depth: the knee -> hip line below horizontal, + = hip below knee. */
        struct vec w = vsub(jp(k, hip_j[d]), jp(k, knee_j[d]));
        v[FC_M_DEPTH] = fast_atan2f(-vdot(w, a->U), fabsf(vdot(w, a->F))) * DEG;
    }
    knee_travel(a, o->exercise, f, n);
    if (o->overhead)
        arms(a, o, f, n, trunk);
    if (!isnan(hipflex[n]) && fabsf(trunk) <= TILT_PROXY_UPRIGHT_DEG)
        v[FC_M_PELVIC_TILT_PROXY] = hipflex[n] - a->hipflex0[n];
}
