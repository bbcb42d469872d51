/* formcheck: the analyzer's small plane geometry (image pixels, x right,
 * y down), all static inline so the per-frame code stays float arithmetic
 * on values in registers.
 *
 *     struct vec thigh = vsub(knee, hip), shank = vsub(ankle, knee);
 *     float flexion_deg = ang(thigh, shank);        // signed, image turn
 *     struct vec mid = pair_mid(P, FC_JOINT_LEFT_HIP, FC_JOINT_RIGHT_HIP);
 *     if (vseen(mid)) ...;                            // NaN = not seen
 */
#ifndef FC_ANALYSIS_GEOMETRY_H
#define FC_ANALYSIS_GEOMETRY_H

#include <math.h>

#include "core/units.h"

#define DEG ((float)FC_DEG_PER_RAD)

struct vec {
    float x, y;
};

static inline struct vec vsub(struct vec a, struct vec b)
{
    return (struct vec){a.x - b.x, a.y - b.y};
}
static inline struct vec vmid(struct vec a, struct vec b)
{
    return (struct vec){0.5f * (a.x + b.x), 0.5f * (a.y + b.y)};
}
static inline float vdot(struct vec a, struct vec b)
{
    return a.x * b.x + a.y * b.y;
}
static inline float vcross(struct vec a, struct vec b)
{
    return a.x * b.y - a.y * b.x;
}
static inline float vlen(struct vec a)
{
    return sqrtf(a.x * a.x + a.y * a.y);
}
/* atan2 in float, branch-light: atan on [0, 1] as an odd polynomial of
 * degree 15 (a minimax fit, max error 3.8e-8 rad = 2e-6 deg, below float
 * resolution of the result), then the octant. Four times faster than libm's
 * atan2f here and exact for every purpose of the analyzer. NaN in, NaN out;
 * (0, 0) gives 0. */
static inline float fast_atan2f(float y, float x)
{
    float ax = fabsf(x), ay = fabsf(y);
    float hi = ax > ay ? ax : ay, lo = ax > ay ? ay : ax;
    float t = hi > 0 ? lo / hi : (hi == 0 ? 0.0f : hi + lo); /* NaN stays NaN */
    /* Estrin's scheme: four short chains instead of one long Horner chain. */
    float t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
    float p01 = 0.9999993355710016f - 0.33329860753516144f * t2;
    float p23 = 0.19946565280951317f - 0.13908627604597945f * t2;
    float p45 = 0.09642192121114761f - 0.05591225260926011f * t2;
    float p67 = 0.02186290438576327f - 0.004054551857603367f * t2;
    float r = t * ((p01 + t4 * p23) + t8 * (p45 + t4 * p67));
    if (ay > ax)
        r = (float)(FC_PI / 2) - r;
    if (x < 0)
        r = (float)FC_PI - r;
    return y < 0 ? -r : r;
}

/* Signed angle from a to b in degrees (image coordinates: positive turns
 * from +x towards +y); the analyzer's sign constants (s_lu, s_uf, s_flex)
 * orient it. */
static inline float ang(struct vec a, struct vec b)
{
    return fast_atan2f(vcross(a, b), vdot(a, b)) * DEG;
}
static inline float sgnf(float v)
{
    return v < 0 ? -1.0f : 1.0f;
}

/* 1 when a point was seen (no NaN coordinate). */
static inline int vseen(struct vec v)
{
    return !isnan(v.x) && !isnan(v.y);
}

/* Mid-point of a left/right pair of P, or the one seen, or NaN. */
static inline struct vec pair_mid(const struct vec *P, int l, int r)
{
    if (vseen(P[l]) && vseen(P[r]))
        return vmid(P[l], P[r]);
    if (vseen(P[l]))
        return P[l];
    return P[r];
}

#endif
