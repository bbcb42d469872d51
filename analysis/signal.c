/* formcheck: movement signals and the AUTO exercise (analysis/signal.h). */
#include "analysis/signal.h"

#include <math.h>

#include "analysis/tuning.h"

int fc_ankle_lifts(const struct fc_body_ref *a, const struct fc_keypoints *k, uint32_t m,
                   float lift[2])
{
    if (!HAS(m, BIT(LA) | BIT(RA)))
        return 0;
    for (int s = 0; s < 2; s++)
        lift[s] = (vdot(jp(k, ank_j[s]), a->U) - a->h0_ankle[s]) / a->leg;
    return 1;
}

float fc_hip_descent(const struct fc_body_ref *a, const struct fc_keypoints *k, uint32_t m)
{
    if (HAS(m, BIT(LH) | BIT(RH)))
        return (a->h0_midhip - vdot(vmid(jp(k, LH), jp(k, RH)), a->U)) / a->leg;
    for (int s = 0; s < 2; s++)
        if (m & BIT(hip_j[s]))
            return (a->h0_hip[s] - vdot(jp(k, hip_j[s]), a->U)) / a->leg;
    return NAN;
}

/* The hip's descent in the picture less the descent of the foot that
 * stayed planted (of the ankles seen, the one that rose least from its own
 * baseline height). Unlike the hip's height alone it stays at zero when the
 * camera is nudged, when the subject walks a barbell out of a rack (a
 * stepping foot lifts, the other stays down; in an oblique view the far
 * foot also sits higher in the picture, so the lower ankle is no floor),
 * and when one foot is lifted in a single-leg squat (there, the stance foot
 * is the planted one). With no ankle seen, the hip's descent alone. */
float fc_hip_sink(const struct fc_body_ref *a, enum stance_mode stance,
                  const struct fc_keypoints *k, uint32_t m)
{
    float d = fc_hip_descent(a, k, m), planted = NAN;
    int only = stance == STANCE_LEFT    ? FC_SIDE_LEFT
               : stance == STANCE_RIGHT ? FC_SIDE_RIGHT
                                        : -1; /* single-leg work: the stance foot */
    for (int s = 0; s < 2; s++)
        if ((m & BIT(ank_j[s])) && (only < 0 || s == only))
            planted = fminf(planted, vdot(jp(k, ank_j[s]), a->U) - a->h0_ankle[s]);
    return isnan(planted) ? d : d + planted / a->leg;
}

float fc_trunk_inclination_deg(const struct fc_body_ref *a, const struct fc_keypoints *k,
                               uint32_t m)
{
    struct vec msh = {0, 0}, mhip = {0, 0};
    if (!mid_or_one(k, m, LS, RS, &msh) || !mid_or_one(k, m, LH, RH, &mhip))
        return NAN;
    struct vec t = vsub(msh, mhip);
    if (a->view == FC_VIEW_FRONT) {
        /* Seen from the front a forward bend only shortens the trunk. */
        float c = vlen(t) / a->torso;
        return acosf(c < 1 ? c : 1) * DEG;
    }
    return fabsf(ang(a->U, t));
}

/* Unsigned: the model often swaps the legs' sides as they pass each
 * other. NaN unless both ankles are seen. */
float fc_stride_separation(const struct fc_body_ref *a, const struct fc_keypoints *k, uint32_t m)
{
    if (!HAS(m, BIT(LA) | BIT(RA)))
        return NAN;
    struct vec H = {-a->U.y, a->U.x};
    return fabsf(vdot(vsub(jp(k, LA), jp(k, RA)), H)) / a->leg;
}

float fc_movement_signal(const struct fc_body_ref *a, const struct fc_exercise_cfg *cfg,
                         const struct fc_frame_ctx *f)
{
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    switch (cfg->signal) {
    case SIG_DESCENT: return fc_hip_sink(a, cfg->stance, k, m);
    case SIG_RISE: return -fc_hip_descent(a, k, m);
    case SIG_BRIDGE: return -fc_hip_descent(a, k, m) * a->leg / a->torso;
    case SIG_TRUNK: return fc_trunk_inclination_deg(a, k, m) / 90.0f;
    case SIG_GAIT: return f->lifts_ok ? f->lift[FC_SIDE_LEFT] - f->lift[FC_SIDE_RIGHT] : NAN;
    case SIG_NONE: break;
    }
    return NAN;
}

/* ---- AUTO exercise ------------------------------------------------------ */

void fc_auto_init(struct fc_auto *au)
{
    au->lifted = -1;
    au->max_abs_d = 0;
    au->first_step = 0;
    au->no_gait = 0;
}

/* Split stance: seen from the front, the ankles stood at different heights
 * (the back heel up); otherwise they are far apart fore-aft now (side-on
 * the near foot stands lower in the picture than the far one, so heights
 * say nothing there). Seen obliquely, a square stance's width already
 * shows as a fore-aft separation: only what the feet moved apart since the
 * standing reference counts. */
static int split_stance(const struct fc_body_ref *a, const struct fc_frame_ctx *f)
{
    const struct fc_keypoints *k = f->k;
    if (a->view == FC_VIEW_FRONT)
        return fabsf(a->h0_ankle[0] - a->h0_ankle[1]) > SPLIT_STEP * a->leg;
    if (!HAS(f->seen, BIT(LA) | BIT(RA)))
        return 0;
    float sep = fabsf(vdot(vsub(jp(k, LA), jp(k, RA)), a->F));
    if (a->view == FC_VIEW_OBLIQUE)
        sep -= a->ank_sep0;
    return sep / a->leg >= AUTO_SPLIT;
}

/* Best effort, at the first clear movement after the baseline:
 *   lying baseline                                   -> glute bridge;
 *   hip rises 10% of the leg                         -> step-up;
 *   hip descends 10%: one ankle lifted, other down   -> single-leg squat (that stance);
 *                     else                           -> squat, unless:
 *                     standing ankles at different heights (back heel up),
 *                     or ankles split 30% fore-aft (side view) -> lunge;
 *   trunk inclines 35 deg, hip within 10%            -> single-leg deadlift;
 *   a foot lifted and set down with the hip level    -> gait (that step counts),
 *                     when the reference stood upright (nobody walks in a
 *                     held half squat: a foot shifting there is no step).
 * Reps are detected from that frame on (the pending accumulators keep the
 * peaks since the last rest, so the rep in progress is kept). */
enum fc_exercise fc_auto_infer(struct fc_auto *au, const struct fc_body_ref *a,
                               const struct fc_frame_ctx *f, int *rest)
{
    *rest = 0;
    if (a->lying)
        return FC_EXERCISE_GLUTE_BRIDGE;
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    const float *lift = f->lift;
    float d = fc_hip_descent(a, k, m), sink = fc_hip_sink(a, STANCE_NONE, k, m);
    float incl = fc_trunk_inclination_deg(a, k, m);
    int lifted = -1;
    if (f->lifts_ok) {
        for (int s = 0; s < 2; s++)
            if (lift[s] >= AUTO_LIFT && fabsf(lift[1 - s]) < AUTO_GROUND)
                lifted = s;
        if (lifted >= 0 && au->lifted < 0) {
            au->lifted = lifted;
            au->max_abs_d = 0;
        }
        if (au->lifted >= 0 && !isnan(d))
            au->max_abs_d = fmaxf(au->max_abs_d, fabsf(d));
    }
    int split = split_stance(a, f);
    if (!isnan(sink) && sink >= AUTO_DESCENT) {
        if (lifted >= 0)
            return lifted == FC_SIDE_RIGHT ? FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT
                                           : FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT;
        return split ? FC_EXERCISE_LUNGE : FC_EXERCISE_SQUAT;
    }
    if (!isnan(d) && d <= -AUTO_RISE)
        return FC_EXERCISE_STEP_UP;
    if (!isnan(incl) && incl >= AUTO_TRUNK_DEG)
        return FC_EXERCISE_SINGLE_LEG_DEADLIFT;
    if (au->lifted >= 0 && f->lifts_ok && lift[au->lifted] < AUTO_GROUND) {
        /* A foot went up and came down with the hip level: a step. */
        int step = au->max_abs_d < AUTO_STEP_LEVEL * AUTO_DESCENT && a->ref_upright && !au->no_gait;
        au->lifted = -1;
        au->first_step |= step;
        return step ? FC_EXERCISE_GAIT : FC_EXERCISE_AUTO;
    }
    *rest = !isnan(d) && fabsf(d) < AUTO_REST &&
            (!f->lifts_ok || (lift[0] < AUTO_REST && lift[1] < AUTO_REST));
    return FC_EXERCISE_AUTO;
}
