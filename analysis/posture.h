/* formcheck: the posture of one skeleton (a frame, or the baseline's median
 * reference): upright, lying, how high the hip stands. Used by the baseline
 * lock and by the offline choice of a reference posture. Internal to
 * analysis/.
 *
 *     struct vec P[FC_COCO17_COUNT];
 *     fc_frame_skeleton(k, min_score, P);          // NaN where not seen
 *     if (fc_skeleton_upright(P))
 *         h = fc_reference_height(P, 0);           // ~1 standing
 */
#ifndef FC_ANALYSIS_POSTURE_H
#define FC_ANALYSIS_POSTURE_H

#include <stddef.h>

#include "analysis/geometry.h"
#include "core/keypoints.h"

/* Standing upright: a straight leg near the image vertical with the trunk
 * in line with it, or, in a staggered stance, both legs straight with the
 * trunk in line with the mid-ankle -> mid-hip axis. A held squat, a lunge
 * at its bottom, a bridge or a body bent over are not. */
int fc_skeleton_upright(const struct vec *P);
/* Lying: the shoulder -> ankle line more than LYING_MIN_DEG from the image
 * vertical (and the body seen from shoulders to ankles). */
int fc_skeleton_lying(const struct vec *P);
/* How far the hip is into its rest posture, comparable across frames of
 * one session: standing, the mid-hip's height over the mid-ankle in the
 * image, in thigh + shank lengths (about 1 standing, lower squatting, and
 * the same whatever the subject's distance from the camera); lying, the
 * sine of the trunk's angle above the shoulder -> ankle line (0 with the
 * hips on the floor). NaN when the joints are not seen. */
float fc_reference_height(const struct vec *P, int lying);
/* Frame k as a skeleton, NaN where a joint is not seen. */
void fc_frame_skeleton(const struct fc_keypoints *k, float min_score, struct vec *P);
/* The torso length of a skeleton, NaN when not seen. */
float fc_skeleton_torso(const struct vec *P);

/* qsort comparison of floats, ascending. */
int fc_cmp_float(const void *x, const void *y);
/* Median of the seen (non-NaN) samples of v[0..n); NaN when fewer than a
 * third of the frames saw it. scratch holds n floats. */
float fc_median_seen(const float *v, size_t n, float *scratch);

#endif
