/* formcheck: one frame's planar metrics, measured in the subject's own axes
 * from the locked baseline (analysis/baseline.h): the frontal ones from a
 * front (or back) view, the sagittal ones from a side view
 * (analysis/metrics.h lists them). A metric whose joints are not all seen
 * is left NaN. Internal to analysis/.
 *
 *     struct fc_frame_ctx f = {.k = k, .seen = seen_mask_body(k, 0.3f), .v = values};
 *     struct fc_metric_opts o = {.exercise = FC_EXERCISE_SQUAT, .stance = -1};
 *     fc_frontal_metrics(&ref, &o, &f);        // values[FC_M_KNEE_FPPA_LEFT], ...
 */
#ifndef FC_ANALYSIS_FRAME_METRICS_H
#define FC_ANALYSIS_FRAME_METRICS_H

#include "analysis/baseline.h"
#include "analysis/metrics.h"
#include "analysis/skeleton.h"
#include "core/exercise.h"

/* What the metrics need beyond the reference and the frame. */
struct fc_metric_opts {
    enum fc_exercise exercise; /* squat: turned-body frames; lunge: front leg */
    int stance;                /* this frame's stance leg (FC_SIDE_*), -1 none */
    int hip_drop;              /* 1: hip drop is measured (the exercise has a stance) */
    int knee_alignment;        /* 1: knee-to-ankle separation, medial knee displacement
                                  and the hips over the base are measured (a bilateral
                                  squat) */
    int overhead;              /* 1: the arms' metrics are measured (an overhead squat) */
    float min_score;           /* the score from which a joint counts as seen (the arms
                                  are not in fc_frame_ctx.seen) */
};

/* Pelvic obliquity, hip drop, knee FPPA, lateral trunk lean, lateral shift,
 * and in a bilateral squat the knee-to-ankle separation ratio, medial knee
 * displacement and the hips over the base of support. */
void fc_frontal_metrics(const struct fc_body_ref *ref, const struct fc_metric_opts *o,
                        const struct fc_frame_ctx *f);
/* Knee flexion of both legs from the model's 3-D world points (a front
 * view): 180 deg minus the hip-knee-ankle angle in space, for a leg whose
 * three joints the picture saw and the model placed. Always >= 0: a 3-D
 * angle has no side to tell hyperextension by. */
void fc_world_knee_flexion(const struct fc_frame_ctx *f);
/* Hip and knee flexion, forward lean, trunk - shin, depth, knee travel, the
 * lumbo-pelvic tilt proxy, and in an overhead squat the arms against the
 * trunk and the hands over the feet. */
void fc_sagittal_metrics(const struct fc_body_ref *ref, const struct fc_metric_opts *o,
                         const struct fc_frame_ctx *f);

#endif
