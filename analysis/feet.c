/* formcheck: the feet's metrics (see feet.h). */
#include "analysis/feet.h"

#include <math.h>

#include "analysis/metrics.h"
#include "core/units.h"

/* Frames of straight-legged standing that fix a foot's reference: a third
 * of a second at 30 fps, enough to average out the landmarks' jitter
 * (a pixel or two) before the first descent. */
#define FEET_REF_FRAMES 10
/* A leg counts as straight when the hip-knee-ankle angle in the picture is
 * above this (20 deg of knee flexion: quiet standing stays within 10). */
#define FEET_STRAIGHT_KNEE_DEG 160.0

static const int heel_j[2] = {FC_JOINT_LEFT_HEEL, FC_JOINT_RIGHT_HEEL};

struct foot {
    float rise;     /* heel above the toe tip along the vertical, standing shanks */
    float turn_deg; /* heel -> toe from the downward vertical, outward + */
};

/* One foot's posture in this frame; 0 when its joints are not all seen. */
static int foot_of(const struct fc_body_ref *a, const struct fc_keypoints *k, int s,
                   float min_score, struct foot *out, int *straight)
{
    const int need[5] = {heel_j[s], toe_j[s], hip_j[s], knee_j[s], ank_j[s]};
    for (int i = 0; i < 5; i++)
        if (!seen1(k, min_score, need[i]))
            return 0;
    if (!(a->shank[s] > 0))
        return 0;
    struct vec heel = jp(k, heel_j[s]), toe = jp(k, toe_j[s]), ft = vsub(toe, heel);
    /* outward: towards the subject's own side along the lateral axis (L
     * points from the right hip to the left) */
    struct vec out_dir = s == FC_SIDE_LEFT ? a->L : (struct vec){-a->L.x, -a->L.y};
    struct vec down = {-a->U.x, -a->U.y};
    out->rise = vdot(vsub(heel, toe), a->U) / a->shank[s];
    out->turn_deg = (float)(atan2(vdot(ft, out_dir), vdot(ft, down)) * FC_DEG_PER_RAD);
    struct vec hip = jp(k, hip_j[s]), knee = jp(k, knee_j[s]), ank = jp(k, ank_j[s]);
    struct vec u = vsub(hip, knee), v = vsub(ank, knee);
    double knee_deg = fabs(atan2(u.x * v.y - u.y * v.x, vdot(u, v))) * FC_DEG_PER_RAD;
    *straight = knee_deg > FEET_STRAIGHT_KNEE_DEG;
    return 1;
}

/* The knee further inside its own toe, % of the standing leg; NaN unseen. */
static float knee_inside_toe(const struct fc_body_ref *a, const struct fc_keypoints *k,
                             float min_score)
{
    float worst = NAN;
    if (!(a->leg > 0))
        return worst;
    for (int s = 0; s < 2; s++) {
        if (!seen1(k, min_score, knee_j[s]) || !seen1(k, min_score, toe_j[s]))
            continue;
        /* medial: towards the other side along the lateral axis (L points
         * from the right hip to the left) */
        struct vec in = s == FC_SIDE_LEFT ? (struct vec){-a->L.x, -a->L.y} : a->L;
        float v = vdot(vsub(jp(k, knee_j[s]), jp(k, toe_j[s])), in) / a->leg * PERCENT;
        worst = isnan(worst) || v > worst ? v : worst;
    }
    return worst;
}

void fc_feet_metrics(struct fc_feet_ref *r, const struct fc_body_ref *a,
                     const struct fc_frame_ctx *f, int frontal, float min_score)
{
    float rise[2] = {NAN, NAN}, turn[2] = {NAN, NAN};
    for (int s = 0; s < 2; s++) {
        struct foot ft;
        int straight;
        if (!foot_of(a, f->k, s, min_score, &ft, &straight))
            continue;
        if (r->n[s] < FEET_REF_FRAMES) {
            if (straight) {
                r->sum_rise[s] += ft.rise;
                r->sum_turn_deg[s] += ft.turn_deg;
                r->n[s]++;
            }
            continue;
        }
        rise[s] = (float)((ft.rise - r->sum_rise[s] / r->n[s]) * PERCENT);
        turn[s] = (float)(ft.turn_deg - r->sum_turn_deg[s] / r->n[s]);
    }
    if (frontal) {
        float t = isnan(turn[0]) ? turn[1] : isnan(turn[1]) ? turn[0] : fmaxf(turn[0], turn[1]);
        f->v[FC_M_FEET_TURN_OUT] = t;
        f->v[FC_M_KNEE_INSIDE_TOE] = knee_inside_toe(a, f->k, min_score);
    } else {
        int n = a->near_side >= 0 ? a->near_side : FC_SIDE_LEFT;
        f->v[FC_M_HEEL_RISE] = isnan(rise[n]) ? rise[1 - n] : rise[n];
    }
}
