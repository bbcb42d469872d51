/* formcheck: one frame's planar metrics (analysis/frame_metrics.h). */
#include "analysis/frame_metrics.h"

#include <math.h>

#include "analysis/tuning.h"

/* Both knees of a two-legged squat bent the same way across the picture
 * (one reads valgus, the other varus, both beyond TURNED_FPPA_DEG; or, at
 * depth where the FPPA is not measured, one knee inside its ankle and the
 * other outside, both by TURNED_KNEE_PCT of the leg) is not knee motion but
 * the squat's forward motion seen by a camera the body is turned from. Real
 * valgus (or knees pushed out) is mirror-symmetric. In such a frame each
 * knee's own angle and offset say nothing of the frontal plane and are
 * gaps; the measures across the body (the knees' separation ratio, the
 * hips and the trunk, corrected for the turn by squat_turn) stay. */
static int turned_frame(enum fc_exercise e, const float *v)
{
    float fl = v[FC_M_KNEE_FPPA_LEFT], fr = v[FC_M_KNEE_FPPA_RIGHT];
    float ml = v[FC_M_KNEE_MEDIAL_LEFT], mr = v[FC_M_KNEE_MEDIAL_RIGHT];
    int turned = (fl * fr < 0 && fminf(fabsf(fl), fabsf(fr)) >= TURNED_FPPA_DEG) ||
                 (ml * mr < 0 && fminf(fabsf(ml), fabsf(mr)) >= TURNED_KNEE_PCT);
    return fc_exercise_bilateral_squat(e) && turned;
}

static void drop_turned_knees(float *v)
{
    v[FC_M_KNEE_FPPA_LEFT] = v[FC_M_KNEE_FPPA_RIGHT] = NAN;
    v[FC_M_KNEE_MEDIAL_LEFT] = v[FC_M_KNEE_MEDIAL_RIGHT] = NAN;
}

/* A two-legged squat seen by a camera the body is turned from by psi: the
 * knees' travel forward, the hips' travel back and the chest's forward lean
 * show across the picture by sin(psi) of them and towards the camera by
 * cos(psi), the latter as each segment's foreshortening (its out-of-picture
 * depth sqrt(standing^2 - seen^2)). The knees' mean sideways move from
 * standing (valgus is mirror-symmetric and cancels in the mean) is c = d_k
 * tan(psi) + alpha X, d_k the shanks' depth, X a true sideways shift of the
 * hips and alpha the share of it the knees follow (legs pivoting about the
 * ankles: the knees' height over the hips'). The hips' sideways offset from
 * standing is h = (d_k - d_h) tan(psi) + X, d_h the thighs' depth. Solved:
 * X = (h - (1 - rho) c) / (1 - alpha (1 - rho)), rho = d_h / d_k, and
 * tan(psi) = (c - alpha X) / d_k. Only with the shins leaning forward
 * (d_k >= TURN_MIN_SHANK_DEPTH of the shank): nearer standing the travel is
 * too small to show a turn and nothing is corrected. Applied only in the
 * frames turned_frame calls turned: a smaller common sideways move of the
 * knees is as likely one knee in and the other out, which is knee motion. */
struct squat_turn {
    float tan_psi;       /* 0: no correction */
    float d_knee, d_hip; /* px, the shanks' and thighs' mean depth */
};

static float depth_of(float standing, struct vec seen)
{
    float l2 = vdot(seen, seen);
    return standing * standing > l2 ? sqrtf(standing * standing - l2) : 0.0f;
}

static struct squat_turn squat_turn(const struct fc_body_ref *a, const struct fc_frame_ctx *f)
{
    struct squat_turn t = {0, 0, 0};
    const struct fc_keypoints *k = f->k;
    if (!leg_seen(f->seen, FC_SIDE_LEFT) || !leg_seen(f->seen, FC_SIDE_RIGHT))
        return t;
    float c = 0, alpha = 0, shank = 0;
    for (int s = 0; s < 2; s++) {
        struct vec kv = vsub(jp(k, knee_j[s]), jp(k, ank_j[s]));
        struct vec hv = vsub(jp(k, hip_j[s]), jp(k, knee_j[s]));
        c += 0.5f * (vdot(kv, a->L) - a->knee_lat0[s]);
        t.d_knee += 0.5f * depth_of(a->shank[s], kv);
        t.d_hip += 0.5f * depth_of(a->thigh[s], hv);
        float kh = vdot(kv, a->U), hh = kh + vdot(hv, a->U);
        alpha += hh > 0 ? 0.5f * fminf(1.0f, fmaxf(0.0f, kh / hh)) : 0.5f;
        shank += 0.5f * a->shank[s];
    }
    if (!(t.d_knee >= TURN_MIN_SHANK_DEPTH * shank) || !(a->hip_w > 0))
        return t;
    struct vec off = vsub(vmid(jp(k, LH), jp(k, RH)), vmid(jp(k, LA), jp(k, RA)));
    float h = vdot(off, a->L) - a->off0_lat;
    float rho = t.d_hip / t.d_knee, den = 1.0f - alpha * (1.0f - rho);
    if (!(fabsf(den) >= TURN_MIN_DENOMINATOR))
        return t;
    float x = (h - (1.0f - rho) * c) / den;
    t.tan_psi = fmaxf(-TURN_MAX_TAN, fminf(TURN_MAX_TAN, (c - alpha * x) / t.d_knee));
    return t;
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

/* The mid-hip over the base of support: its offset lat along L from the
 * point midway between the ankles (the turn taken off), in % of the ankles'
 * separation (a feet-together stance has no base to be off-centre of).
 * Needs no baseline. */
static void hip_over_base(const struct fc_body_ref *a, const struct fc_frame_ctx *f, float lat)
{
    const struct fc_keypoints *k = f->k;
    if (!(a->leg > 0))
        return;
    float ankles = vdot(vsub(jp(k, LA), jp(k, RA)), a->L);
    if (!(ankles >= KASR_MIN_ANKLE_SEP * a->leg))
        return;
    f->v[FC_M_HIP_OVER_BASE] = lat / ankles * PERCENT;
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
    if (o->knee_alignment)
        knee_alignment(a, f);
    int turned = turned_frame(o->exercise, v);
    struct squat_turn turn = {0, 0, 0};
    if (turned && o->knee_alignment)
        turn = squat_turn(a, f);
    if (hips && HAS(m, BIT(LS) | BIT(RS))) {
        struct vec t = vsub(vmid(jp(k, LS), jp(k, RS)), vmid(jp(k, LH), jp(k, RH)));
        /* the chest's forward lean seen across the picture, taken off */
        float fake = depth_of(a->torso, t) * turn.tan_psi;
        t = vsub(t, (struct vec){a->L.x * fake, a->L.y * fake});
        v[FC_M_TRUNK_LEAN_LATERAL] = -ang(a->U, t) * a->s_lu;
    }
    if (hips && HAS(m, BIT(LA) | BIT(RA)) && a->hip_w > 0) {
        struct vec off = vsub(vmid(jp(k, LH), jp(k, RH)), vmid(jp(k, LA), jp(k, RA)));
        /* the hips' travel back (and the knees' forward) seen across it */
        float lat = vdot(off, a->L) - (turn.d_knee - turn.d_hip) * turn.tan_psi;
        v[FC_M_LATERAL_SHIFT] = (lat - a->off0_lat) / a->hip_w * PERCENT;
        if (o->knee_alignment)
            hip_over_base(a, f, lat);
    }
    if (turned)
        drop_turned_knees(v);
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

/* Knee travel: the front leg (ankle further forward, as
 * analysis/kinematics.c) for lunges, else the near leg n. Only with a toe:
 * where the toe sits ahead of the ankle depends on the foot and the camera
 * angle, so COCO-17 (no toes) gives no knee travel. */
static void knee_travel(const struct fc_body_ref *a, enum fc_exercise e,
                        const struct fc_frame_ctx *f, int n)
{
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    int s = n;
    if (e == FC_EXERCISE_LUNGE && HAS(m, BIT(LA) | BIT(RA)))
        s = vdot(vsub(jp(k, LA), jp(k, RA)), a->F) > 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    if (HAS(m, BIT(knee_j[s]) | BIT(ank_j[s])) && (m & TOE_BIT(s))) {
        struct vec kn = jp(k, knee_j[s]), an = jp(k, ank_j[s]);
        struct vec tip = jp(k, toe_j[s]);
        float shank = vlen(vsub(kn, an));
        if (shank > 0)
            f->v[FC_M_KNEE_TRAVEL] = vdot(vsub(kn, tip), a->F) / shank * PERCENT;
    }
}

/* The overhead squat's arms, near side n first: the upper arm's turn forward
 * from the trunk line, and the wrist ahead of the near ankle in % of the
 * standing shank. */
static void arms(const struct fc_body_ref *a, const struct fc_metric_opts *o,
                 const struct fc_frame_ctx *f, int n, float trunk_deg)
{
    const struct fc_keypoints *k = f->k;
    static const int elbow_j[2] = {FC_JOINT_LEFT_ELBOW, FC_JOINT_RIGHT_ELBOW};
    static const int wrist_j[2] = {FC_JOINT_LEFT_WRIST, FC_JOINT_RIGHT_WRIST};
    uint32_t arm_seen[2], wrist_seen[2];
    for (int s = 0; s < 2; s++) {
        arm_seen[s] = (f->seen & BIT(sh_j[s])) && seen1(k, o->min_score, elbow_j[s]);
        wrist_seen[s] = seen1(k, o->min_score, wrist_j[s]);
    }
    int s = arm_seen[n] ? n : 1 - n;
    struct vec msh = {0, 0}, mhip = {0, 0};
    if (arm_seen[s] && !isnan(trunk_deg) && mid_or_one(k, f->seen, LS, RS, &msh) &&
        mid_or_one(k, f->seen, LH, RH, &mhip)) {
        struct vec arm = vsub(jp(k, elbow_j[s]), jp(k, sh_j[s]));
        f->v[FC_M_ARM_FORWARD] = ang(vsub(msh, mhip), arm) * a->s_uf;
    }
    int w = wrist_seen[n] ? n : 1 - n;
    if (wrist_seen[w] && (f->seen & BIT(ank_j[n])) && a->shank[n] > 0)
        f->v[FC_M_WRIST_AHEAD] =
            vdot(vsub(jp(k, wrist_j[w]), jp(k, ank_j[n])), a->F) / a->shank[n] * PERCENT;
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
    if (HAS(m, BIT(hip_j[n]) | BIT(knee_j[n]))) {
        /* Depth: the knee -> hip line below horizontal, + = hip below knee. */
        struct vec w = vsub(jp(k, hip_j[n]), jp(k, knee_j[n]));
        v[FC_M_DEPTH] = fast_atan2f(-vdot(w, a->U), fabsf(vdot(w, a->F))) * DEG;
    }
    knee_travel(a, o->exercise, f, n);
    if (o->overhead)
        arms(a, o, f, n, trunk);
    if (!isnan(hipflex[n]) && fabsf(trunk) <= TILT_PROXY_UPRIGHT_DEG)
        v[FC_M_PELVIC_TILT_PROXY] = hipflex[n] - a->hipflex0[n];
}
