/* formcheck: the posture of one skeleton (analysis/posture.h). */
#include "analysis/posture.h"

#include <math.h>
#include <stdlib.h>

#include "analysis/skeleton.h"
#include "analysis/tuning.h"

int fc_cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

float fc_median_seen(const float *v, size_t n, float *scratch)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            scratch[m++] = v[i];
    if (m == 0 || MEDIAN_MIN_SEEN_DIV * m < n)
        return NAN;
    qsort(scratch, m, sizeof *scratch, fc_cmp_float);
    return (m % 2) ? scratch[m / 2] : 0.5f * (scratch[m / 2 - 1] + scratch[m / 2]);
}

/* Leg s straight in the image: knee bent less than UPRIGHT_KNEE_DEG and the
 * thigh not foreshortened (a front-view squat keeps the knee straight in
 * the picture but points the thigh at the camera). */
static int leg_straight(const struct vec *P, int s)
{
    struct vec h = P[hip_j[s]], k = P[knee_j[s]], an = P[ank_j[s]];
    if (!vseen(h) || !vseen(k) || !vseen(an))
        return 0;
    struct vec thigh = vsub(k, h), shank = vsub(an, k);
    return fabsf(ang(thigh, shank)) <= UPRIGHT_KNEE_DEG &&
           vlen(thigh) >= UPRIGHT_THIGH_MIN * vlen(shank);
}

int fc_skeleton_upright(const struct vec *P)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH);
    if (!vseen(msh) || !vseen(mhip))
        return 0;
    struct vec trunk = vsub(msh, mhip), up = {0, -1};
    int straight[2];
    for (int s = 0; s < 2; s++) {
        straight[s] = leg_straight(P, s);
        if (!straight[s])
            continue;
        struct vec leg = vsub(P[hip_j[s]], P[ank_j[s]]);
        if (fabsf(ang(leg, trunk)) <= UPRIGHT_TRUNK_DEG && fabsf(ang(up, leg)) <= UPRIGHT_TILT_DEG)
            return 1;
    }
    if (!straight[0] || !straight[1])
        return 0;
    struct vec legs = vsub(mhip, vmid(P[LA], P[RA]));
    return fabsf(ang(legs, trunk)) <= UPRIGHT_TRUNK_DEG && fabsf(ang(up, legs)) <= UPRIGHT_TILT_DEG;
}

int fc_skeleton_lying(const struct vec *P)
{
    struct vec msh = pair_mid(P, LS, RS), mank = pair_mid(P, LA, RA);
    struct vec axis = vsub(msh, mank);
    return vseen(axis) && vlen(axis) > 0 && fabsf(ang((struct vec){0, -1}, axis)) > LYING_MIN_DEG;
}

float fc_reference_height(const struct vec *P, int lying)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH), mank = pair_mid(P, LA, RA);
    if (!vseen(mhip) || !vseen(mank))
        return NAN;
    if (lying) {
        struct vec floor = vsub(mank, msh), trunk = vsub(mhip, msh);
        float fl = vlen(floor), tl = vlen(trunk);
        if (!(fl > 0) || !(tl > 0))
            return NAN;
        struct vec n = {-floor.y / fl, floor.x / fl};
        if (n.y > 0) /* the normal pointing up the image */
            n = (struct vec){-n.x, -n.y};
        return vdot(trunk, n) / tl;
    }
    float len = 0;
    int nl = 0;
    for (int s = 0; s < 2; s++) {
        float l = vlen(vsub(P[hip_j[s]], P[knee_j[s]])) + vlen(vsub(P[knee_j[s]], P[ank_j[s]]));
        if (l > 0) {
            len += l;
            nl++;
        }
    }
    return nl ? (mank.y - mhip.y) / (len / (float)nl) : NAN;
}

void fc_frame_skeleton(const struct fc_keypoints *k, float min_score, struct vec *P)
{
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        int ok = (int)seen1(k, min_score, j);
        P[j] = ok ? jp(k, j) : (struct vec){NAN, NAN};
    }
}

float fc_skeleton_torso(const struct vec *P)
{
    return vlen(vsub(pair_mid(P, LS, RS), pair_mid(P, LH, RH)));
}
