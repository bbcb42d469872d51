/* formcheck: the movement signals the reps are detected on, and the AUTO
 * exercise inferred from the first clear movement. Every signal is measured
 * against the subject's reference (analysis/baseline.h) and oriented so
 * that larger = deeper into the rep. Internal to analysis/; thresholds in
 * analysis/tuning.h.
 *
 *     struct fc_frame_ctx f = {.k = k, .seen = m, .t_s = t};
 *     f.lifts_ok = fc_ankle_lifts(&ref, k, m, f.lift);
 *     float s = fc_movement_signal(&ref, fc_exercise_cfg(FC_EXERCISE_SQUAT), &f);
 *
 *     struct fc_auto au;
 *     fc_auto_init(&au);
 *     int rest;
 *     enum fc_exercise e = fc_auto_infer(&au, &ref, &f, &rest);   // AUTO: undecided
 */
#ifndef FC_ANALYSIS_SIGNAL_H
#define FC_ANALYSIS_SIGNAL_H

#include "analysis/baseline.h"
#include "analysis/reps.h"
#include "analysis/skeleton.h"

/* Ankle lifts above their standing heights, in leg lengths; 0 (lift
 * untouched) unless both ankles are seen. */
int fc_ankle_lifts(const struct fc_body_ref *ref, const struct fc_keypoints *k, uint32_t m,
                   float lift[2]);
/* The mid-hip's descent from standing along U, in leg lengths; NaN unseen. */
float fc_hip_descent(const struct fc_body_ref *ref, const struct fc_keypoints *k, uint32_t m);
/* Hip descent measured from the floor (the planted foot), in leg lengths;
 * stance: the exercise's stance mode (single-leg work: the stance foot). */
float fc_hip_sink(const struct fc_body_ref *ref, enum stance_mode stance,
                  const struct fc_keypoints *k, uint32_t m);
/* The trunk's inclination from U in degrees (front view: from its
 * foreshortening); NaN unseen. */
float fc_trunk_inclination_deg(const struct fc_body_ref *ref, const struct fc_keypoints *k,
                               uint32_t m);
/* Walking across a side view: the ankles' fore-aft distance, leg lengths. */
float fc_stride_separation(const struct fc_body_ref *ref, const struct fc_keypoints *k, uint32_t m);
/* The exercise's movement signal (gait: signed, left minus right lift). */
float fc_movement_signal(const struct fc_body_ref *ref, const struct fc_exercise_cfg *cfg,
                         const struct fc_frame_ctx *f);

/* AUTO inference state: the ankle lifted now, and how far the hip moved
 * while it was up. */
struct fc_auto {
    int lifted;      /* -1 none */
    float max_abs_d; /* largest |hip descent| while it was up */
    int first_step;  /* gait decided at the end of a step: credit it */
    /* 1: a step never decides gait (the offline second look, when the
     * steps only walked the subject in or out around a squat). */
    int no_gait;
};

void fc_auto_init(struct fc_auto *au);
/* The exercise this frame reveals, or FC_EXERCISE_AUTO while undecided;
 * *rest = 1 when the subject is at rest (undecided only). FC_EXERCISE_GAIT
 * is decided at the end of a step, which counts as the first rep
 * (first_step is set; the caller clears it once the rep is credited). */
enum fc_exercise fc_auto_infer(struct fc_auto *au, const struct fc_body_ref *ref,
                               const struct fc_frame_ctx *f, int *rest);

#endif
