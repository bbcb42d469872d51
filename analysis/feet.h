/* formcheck: the feet (heels and big toes / foot indices), when the pose
 * model gives them (BlazePose; MoveNet's COCO-17 has none). Internal to
 * analysis/.
 *
 * Each foot's standing posture is learnt from the first FEET_REF_FRAMES
 * frames in which its leg is straight, after the baseline locked; from then
 * on every frame measures against it:
 *   heel_rise_pct       side view: how far the heel has risen relative to
 *                       the toe tip since standing, along the image
 *                       vertical, in % of the standing shank; the near foot
 *                       (the other when it is not seen).
 *   feet_turn_out_deg   front view: how far a foot has turned out since
 *                       standing: the image angle of the heel -> toe line
 *                       from the downward vertical, outward (away from the
 *                       midline) positive, minus its standing angle; the
 *                       foot that turned more. The picture foreshortens a
 *                       foot pointing at the camera, so the image angle
 *                       exaggerates the turn (by 1 / sin of the camera's
 *                       look-down angle onto the foot).
 *   knee_inside_toe_pct front view: how far a knee sits towards the midline
 *                       from its own toe tip (the foot index, about the
 *                       second toe), along the lateral axis, in % of the
 *                       standing leg (hip -> ankle); the knee further in.
 *                       The clinical rule: the knee moving inside the great
 *                       toe (medial knee displacement, Padua et al. 2012).
 *                       Needs no standing reference.
 *
 *     struct fc_feet_ref feet = {0};        // zero: nothing learnt yet
 *     fc_feet_metrics(&feet, &a->ref, &f, frontal, min_score);
 */
#ifndef FC_ANALYSIS_FEET_H
#define FC_ANALYSIS_FEET_H

#include "analysis/baseline.h"
#include "analysis/skeleton.h"

struct fc_feet_ref {
    int n[2]; /* standing frames learnt per foot */
    double sum_rise[2], sum_turn_deg[2];
};

/* Learns and measures one frame; writes FC_M_HEEL_RISE (side view) or
 * FC_M_FEET_TURN_OUT and FC_M_KNEE_INSIDE_TOE (front view) into f->v when
 * the feet are seen. */
void fc_feet_metrics(struct fc_feet_ref *r, const struct fc_body_ref *a,
                     const struct fc_frame_ctx *f, int frontal, float min_score);

#endif
