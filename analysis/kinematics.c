#include "analysis/kinematics.h"

#include <math.h>

#include "core/units.h"

static int seen(const struct fc_keypoints *k, enum fc_joint j, float min_score)
{
    return fc_keypoints_has(k, j, min_score);
}

double fc_angle_at_deg(double ax, double ay, double bx, double by, double cx, double cy)
{
    double ux = ax - bx, uy = ay - by, vx = cx - bx, vy = cy - by;
    double cross = ux * vy - uy * vx, dot = ux * vx + uy * vy;
    if ((ux == 0 && uy == 0) || (vx == 0 && vy == 0))
        return NAN;
    /* atan2 of cross and dot keeps full precision near 0 and 180 deg,
     * where acos of a normalised dot product loses it. */
    return fabs(atan2(cross, dot)) * FC_DEG_PER_RAD;
}

int fc_facing_sign(const struct fc_keypoints *k, float min_score)
{
    static const enum fc_joint heel[2] = {FC_JOINT_LEFT_HEEL, FC_JOINT_RIGHT_HEEL};
    static const enum fc_joint toe[2] = {FC_JOINT_LEFT_BIG_TOE, FC_JOINT_RIGHT_BIG_TOE};
    double dx = 0.0;
    for (int s = 0; s < 2; s++)
        if (seen(k, heel[s], min_score) && seen(k, toe[s], min_score))
            dx += k->x[toe[s]] - k->x[heel[s]];
    if (dx == 0.0 && seen(k, FC_JOINT_NOSE, min_score)) {
        /* The nose sits ahead of the ears in a side view. */
        double ears = 0.0;
        int n = 0;
        for (int j = FC_JOINT_LEFT_EAR; j <= FC_JOINT_RIGHT_EAR; j++)
            if (seen(k, j, min_score)) {
                ears += k->x[j];
                n++;
            }
        if (n)
            dx = k->x[FC_JOINT_NOSE] - ears / n;
    }
    return dx > 0 ? 1 : dx < 0 ? -1 : 0;
}

double fc_knee_travel_pct(const struct fc_keypoints *k, float min_score, int *side)
{
    static const enum fc_joint knee[2] = {FC_JOINT_LEFT_KNEE, FC_JOINT_RIGHT_KNEE};
    static const enum fc_joint ankle[2] = {FC_JOINT_LEFT_ANKLE, FC_JOINT_RIGHT_ANKLE};
    static const enum fc_joint toe[2] = {FC_JOINT_LEFT_BIG_TOE, FC_JOINT_RIGHT_BIG_TOE};
    if (side)
        *side = -1;
    int facing = fc_facing_sign(k, min_score);
    if (!facing || !seen(k, ankle[0], min_score) || !seen(k, ankle[1], min_score))
        return NAN;
    int front = (k->x[ankle[0]] - k->x[ankle[1]]) * facing > 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    if (!seen(k, knee[front], min_score))
        return NAN;
    double shank =
        hypot(k->x[knee[front]] - k->x[ankle[front]], k->y[knee[front]] - k->y[ankle[front]]);
    if (!(shank > 0))
        return NAN;
    /* Without a toe there is no honest answer: how far the toe sits ahead
     * of the ankle in the image depends on the foot and the camera angle
     * (24% of the shank in the labelled lunge data, ~46% side-on). */
    if (!seen(k, toe[front], min_score))
        return NAN;
    if (side)
        *side = front;
    return (k->x[knee[front]] - k->x[toe[front]]) * facing / shank * 100.0;
}
