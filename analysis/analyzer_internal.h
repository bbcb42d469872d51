/* formcheck: the analyzer's state, for its own files (analyzer.c, the
 * orchestration; offline.c, the two-pass fc_analyze_track). Each part keeps
 * its own state struct (see the headers named below); this struct only
 * wires them together. Not for use outside analysis/.
 *
 *     // offline.c: a second pass locked on chosen frames
 *     fc_analyzer_create(&a, &p, &err);
 *     fc_analyzer_lock_on(a, track, idx, n, dt_s, has_ref);
 *     for (each frame) fc_analyzer_push(a, &track->frames[i], &fm[i]);
 */
#ifndef FC_ANALYSIS_ANALYZER_INTERNAL_H
#define FC_ANALYSIS_ANALYZER_INTERNAL_H

#include "analysis/analyzer.h"
#include "analysis/baseline.h"
#include "analysis/feet.h"
#include "analysis/lowconf.h"
#include "analysis/peaks.h"
#include "analysis/reps.h"
#include "analysis/signal.h"
#include "analysis/summary.h"

/* The metrics measured each frame, from the view and the exercise. */
struct fc_metric_set {
    unsigned char measurable[FC_METRIC_COUNT];
    /* 1: off because the body stood turned past the metric's turn_max_deg */
    unsigned char beyond_turn[FC_METRIC_COUNT];
    int active[FC_METRIC_COUNT]; /* the planar ones, measured each frame */
    int n_active;
    int frontal_on, sagittal_on;
    int world_knee; /* front view with world points: knee flexion from them */
};

/* Motion capture: the 3-D pelvis angles of the next frame. */
struct fc_pelvis_in {
    int pending, any;
    float angles[3]; /* tilt, obliquity, rotation */
};

struct fc_analyzer {
    struct fc_analyzer_params p;
    size_t n_frames, n_tracked, n_feet;
    double t_first, t_last;
    int locked, has_baseline;
    int world_seen; /* a frame brought the model's 3-D world points */
    double ref_dt;  /* frame step for the peak window when set by the caller */

    struct fc_body_ref ref;   /* baseline.h: the subject's reference */
    struct fc_metric_set set; /* what is measured */
    struct fc_pelvis_in p3d;
    struct fc_auto guess;      /* signal.h: AUTO inference */
    struct fc_reps reps;       /* reps.h */
    struct fc_peaks peaks;     /* peaks.h */
    struct fc_summary summary; /* summary.h */
    struct fc_lowconf lowconf; /* lowconf.h */
    struct fc_baseline base;   /* baseline.h: the stored frames (large) */
    struct fc_feet_ref feet;   /* feet.h: each foot's standing posture */
};

/* Locks a fresh analyzer's baseline on frames idx[0..n) of t (dt_s: the
 * track's frame step); has_ref 0: a best guess, the standing reps are not
 * counted. */
void fc_analyzer_lock_on(struct fc_analyzer *a, const struct fc_pose_track *t, const size_t *idx,
                         size_t n, double dt_s, int has_ref);

#endif
