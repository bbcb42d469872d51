/* formcheck: stateless per-frame geometry on keypoints.
 *
 * Small pure functions that need one frame and nothing else: usable on a
 * labelled still, a shuffled data set, or inside the streaming analyzer.
 * Image coordinates: x right, y down, pixels or normalised. */
#ifndef FC_ANALYSIS_KINEMATICS_H
#define FC_ANALYSIS_KINEMATICS_H

#include "core/keypoints.h"

/* The angle ABC at B in degrees (0..180); NaN when a point is missing or
 * two coincide. */
double fc_angle_at_deg(double ax, double ay, double bx, double by, double cx, double cy);

/* Which way a side-on subject faces in this frame: +1 towards +x, -1
 * towards -x, 0 unknown. From the feet (heel -> toe) when seen, else from
 * the nose relative to the ears. */
int fc_facing_sign(const struct fc_keypoints *k, float min_score);

/* Knee travel of the front leg in one side-view frame: how far the knee is
 * ahead of the toe (big toe / foot index) along the facing direction, in %
 * of that leg's shank length; positive = the knee is past the toe. The
 * front leg is the one whose ankle is further forward. NaN when facing or a
 * needed joint is unknown, the toe included (COCO-17 has no toe): *side (may
 * be NULL) gets the front leg (enum fc_side) or -1. */
double fc_knee_travel_pct(const struct fc_keypoints *k, float min_score, int *side);

#endif
