/* formcheck: the streaming biomechanics analyzer.
 *
 * One keypoint frame in, one metrics record out; bounded memory (everything
 * is allocated in fc_analyzer_create), no allocation, I/O or logging per
 * frame, so the same code serves a live camera and a two-hour recording.
 *
 *     struct fc_analyzer_params p = fc_analyzer_default_params();
 *     p.exercise = FC_EXERCISE_SQUAT;              // or AUTO
 *     struct fc_analyzer *a;
 *     if (fc_analyzer_create(&a, &p, &err) < 0) ...;
 *     for (each frame k) {
 *         struct fc_frame_metrics m;
 *         fc_analyzer_push(a, &k, &m);            // m.value[FC_M_...], NaN = gap
 *     }
 *     struct fc_analysis res;
 *     fc_analyzer_finish(a, &res);                // reps, summary; owned by a
 *     ...
 *     fc_analyzer_free(a);
 *
 * How it works
 *   - Standing baseline: the frames before the first movement (at least
 *     baseline_min_s) give the subject's own reference: hip line angle,
 *     body vertical (camera roll), hip width, leg and thigh lengths, standing
 *     hip height, mid-hip offset from the mid-ankle.
 *   - View: front, side or oblique from the ratio of shoulder and hip widths
 *     to torso length, over the baseline, unless the user gave one. Each
 *     metric needs a plane (analysis/metrics.h); a metric the view cannot
 *     support is NaN in every frame and marked not measurable in the result.
 *   - Reps: a per-exercise movement signal (hip descent for squats, lunges
 *     and single-leg squats; hip rise for step-ups and bridges; trunk
 *     inclination for single-leg deadlifts; alternating stance for gait)
 *     with hysteresis; each rep has start, bottom (the signal's extreme) and
 *     end, and per-rep peaks of every metric.
 *   - Gaps: a joint below min_score is missing; any metric that needs it is
 *     NaN for that frame. Nothing is interpolated.
 */
#ifndef FC_ANALYSIS_ANALYZER_H
#define FC_ANALYSIS_ANALYZER_H

#include <stddef.h>

#include "core/exercise.h"
#include "analysis/metrics.h"
#include "analysis/pelvis.h"
#include "core/error.h"
#include "pose/keypoints.h"

struct fc_analyzer;

struct fc_analyzer_params {
    enum fc_exercise exercise; /* AUTO: inferred from the movement */
    enum fc_view view;         /* AUTO: detected from the keypoints */
    float min_score;           /* joints below this confidence are gaps (0.3) */
    double baseline_min_s;     /* standing time needed before the first rep (0.3 s) */
    size_t max_reps;           /* reps kept in detail (4096); later ones only counted */
};

struct fc_analyzer_params fc_analyzer_default_params(void);

/* One frame's measurements. value[] is NaN where the metric is not measurable
 * from this view or a joint it needs is missing in this frame. */
struct fc_frame_metrics {
    double t_s;
    float value[FC_METRIC_COUNT];
    int rep;     /* index of the rep this frame belongs to, -1 between reps */
    int tracked; /* 1 when the joints the exercise needs were all present */
};

struct fc_rep {
    int index;
    double t_start_s, t_bottom_s, t_end_s;
    /* The side carrying the load in this rep: the stance leg of a single-leg
     * squat or gait step, the front leg of a lunge, the leading leg of a
     * step-up; -1 for two-legged work. */
    int side;
    /* Per metric, the extreme in the direction of the fault over the rep
     * (largest valgus, largest drop, deepest depth, largest lean, ...), and
     * the value at the bottom frame. NaN when never measured in this rep. */
    float peak[FC_METRIC_COUNT];
    float at_bottom[FC_METRIC_COUNT];
    double t_peak_s[FC_METRIC_COUNT];
    float tracked_fraction; /* frames of the rep with every needed joint */
};

struct fc_metric_summary {
    int measurable;       /* 0: the view (or the input) cannot support it */
    long frames;          /* frames with a value */
    float mean_peak;      /* mean over reps of the rep peak */
    float sd_peak;
    float max_peak;
};

/* A stretch of the session where tracking confidence was low. */
struct fc_low_confidence {
    double t_start_s, t_end_s;
};

#define FC_MAX_LOW_CONFIDENCE 32

struct fc_analysis {
    enum fc_exercise exercise;      /* as given, or inferred when AUTO */
    enum fc_view view;              /* used for the metrics */
    enum fc_view view_detected;     /* what the keypoints say */
    int view_from_user;             /* 1 when the user fixed the view */
    float view_confidence;          /* 0..1 */
    float shoulder_width_ratio;     /* shoulder width / torso length in the baseline */
    double camera_roll_deg;         /* removed from the frontal angles */
    int has_baseline;               /* 0: no standing phase was found */
    size_t frames, frames_tracked;
    double duration_s;
    size_t n_reps;                  /* reps completed */
    size_t n_reps_detailed;         /* min(n_reps, max_reps) */
    const struct fc_rep *reps;      /* owned by the analyzer */
    struct fc_metric_summary metric[FC_METRIC_COUNT];
    /* Left minus right of the mean rep peak, for the paired metrics
     * (knee FPPA, hip flexion, knee flexion) and, for single-leg work, hip
     * drop with left stance minus right stance; NaN when one side is absent. */
    float asymmetry_fppa_deg, asymmetry_knee_flexion_deg, asymmetry_hip_drop_deg;
    size_t n_low_confidence;
    struct fc_low_confidence low_confidence[FC_MAX_LOW_CONFIDENCE];
};

int fc_analyzer_create(struct fc_analyzer **out, const struct fc_analyzer_params *p,
                       struct fc_error *err);
/* Consumes one frame (frames must come in time order). Never allocates. */
void fc_analyzer_push(struct fc_analyzer *a, const struct fc_keypoints *k,
                      struct fc_frame_metrics *out);
/* Marker input: the pelvis angles of the same frame (analysis/pelvis.h),
 * called before fc_analyzer_push for that frame. */
void fc_analyzer_set_pelvis_3d(struct fc_analyzer *a, const struct fc_pelvis_angles *left);
/* Closes an unfinished rep and fills res (pointers stay valid until free). */
void fc_analyzer_finish(struct fc_analyzer *a, struct fc_analysis *res);
void fc_analyzer_free(struct fc_analyzer *a);

/* Offline: the whole track at once. With zero_lag the keypoints first go
 * through a 4th-order Butterworth low-pass at cutoff_hz run forwards and
 * backwards (no lag; analysis/filter.h), gap by gap. frames_out receives
 * t->n_frames records (caller frees); *a_out keeps the analyzer alive for
 * res's pointers (caller frees with fc_analyzer_free). */
int fc_analyze_track(const struct fc_pose_track *t, const struct fc_analyzer_params *p,
                     int zero_lag, double cutoff_hz, struct fc_frame_metrics **frames_out,
                     struct fc_analysis *res, struct fc_analyzer **a_out, struct fc_error *err);

#endif
