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
 * How it works (the numbers, each with the reason for its value, are in
 * analysis/tuning.h; the part that does it is named in brackets)
 *   - Standing baseline [baseline.h]: the frames before the first movement
 *     give the subject's own reference, as medians over those frames (of each
 *     joint relative to the frame's mid-hip, so a subject walking across
 *     still gives one body): hip line angle, body vertical, hip and shoulder
 *     widths, torso, leg and shank lengths, standing hip and ankle heights,
 *     mid-hip offset from the mid-ankle, which way the subject faces (nose
 *     ahead of the ears) and which leg is nearer the camera (better scores).
 *     The baseline locks at the first movement (a shoulder, hip, knee or
 *     ankle leaving its running mean by MOVE_FRAC of the torso for
 *     MOVE_FRAMES frames) once baseline_min_s of stillness has passed, or
 *     after BASE_MAX_S of stillness. With no standing phase the first
 *     BASE_FALLBACK_S are used anyway and has_baseline is 0. Frames before
 *     the lock carry NaN for every planar metric (the subject is standing:
 *     nothing to measure yet) and belong to no rep. Offline
 *     (fc_analyze_track) [offline.c] a session that does not open with a good
 *     reference (still, and upright; lying: with the hips down) is analysed
 *     again against the frames where the subject stood upright with the hip
 *     at its highest (lowest for a step-up; a bridge: the hips at their
 *     lowest) anywhere in the session, every frame measured; with no upright
 *     frame at all (a held squat) the highest hip stands in, has_baseline is
 *     0 and no_standing is 1: the standing exercises' reps, which start and
 *     end standing, are then not counted.
 *   - Body vertical and camera roll: mid-ankle -> mid-shoulder with the feet
 *     side by side; the trunk (mid-hip -> mid-shoulder) in a split stance (a
 *     lunge, a foot on a step); lying down (glute bridge) the normal of the
 *     shoulder-ankle line. camera_roll_deg is that vertical's angle from the
 *     image vertical, positive counter-clockwise on screen (as import/synth.h
 *     rolls its camera). A phone stands within a few degrees of level, so the
 *     estimate is taken only from an upright (or lying) reference and only
 *     within ROLL_MAX_DEG (ROLL_MAX_TRUNK_DEG for the trunk of a split stance
 *     not seen from the front, which leans forward by about that much);
 *     otherwise the camera is taken as level (0), roll_assumed is 1 and
 *     roll_estimate_deg keeps what the body said.
 *   - View: shoulder width / torso length in the baseline (hip width x
 *     HIP_TO_SHOULDER_RATIO when the shoulders are not seen): at least
 *     VIEW_FRONT_MIN front, at most VIEW_SIDE_MAX side (VIEW_NEAR_SIDE_MAX
 *     when the face is turned beyond VIEW_NOSE_OBLIQUE), in between oblique. A
 *     wide shoulder line with the face turned (the nose more than
 *     VIEW_NOSE_OBLIQUE shoulder widths to one side of the mid-shoulder
 *     point; a barbell on the back spreads the shoulders) is oblique too.
 *     view_confidence is 0.5 at a threshold, rising to 1 VIEW_CONF_*_SPAN
 *     beyond it. Each metric needs a plane (analysis/metrics.h): frontal
 *     metrics a front (or back) view, sagittal ones a side view; an oblique
 *     view supports neither, so no planar metric is measured from it. A
 *     metric the view cannot support is NaN in every frame and not measurable
 *     in the result. Only the view's plane is computed per frame
 *     [frame_metrics.h].
 *   - Reps [signal.h, reps.h]: a per-exercise movement signal with hysteresis
 *     (start / end / required extreme: REP_* in tuning.h): hip descent / leg
 *     length, measured from the planted foot (the ankle that rose least from
 *     its baseline height; single-leg squats: the stance ankle), so a nudged
 *     camera or a subject walking a bar out of a rack reads no descent
 *     (squat, single-leg squat, lunge), hip rise / leg length (step-up), hip
 *     rise / torso length from the lying baseline (bridge), trunk inclination
 *     (single-leg deadlift) and, for gait, left minus right ankle lift / leg
 *     length (each swing is a step, side = the stance leg). Gait seen from
 *     the side, once the feet have been STRIDE_ON leg apart fore-aft (walking
 *     across rather than stepping in place): the ankles' fore-aft separation
 *     / leg length, unsigned because pose models swap the legs as they pass
 *     (STRIDE_*; side = the rear foot at the widest, along the way the hip
 *     travels). Reps shorter than REP_MIN_S (gait REP_GAIT_MIN_S) are
 *     ignored. A rep starts at the last frame at rest before the signal
 *     crossed its start level, bottoms at the signal's extreme and ends when
 *     it falls back under the end level. A rep the session ends in counts
 *     when it reached the required extreme (a clip that ends while the
 *     subject rises from the bottom has shown the bottom; one that ends on
 *     the way down counts, without peaks, and last_rep_cut is 1). A rep
 *     already under way when the analysis starts counts only when at least
 *     PARTIAL_REP_SEEN of its required amplitude was seen going into the
 *     extreme (a clip opening at the bottom of a squat shows the bottom; one
 *     opening at the top of a bridge shows no rep). Per rep: the peak of
 *     every metric in its fault direction (see fc_rep, peak_window_s)
 *     [peaks.h], its time, the value at the bottom frame, the tracked
 *     fraction.
 *   - Sides [reps.h]: the stance leg from the exercise name (single-leg
 *     squats), the leg on the step (a step-up begun with a foot on it, else
 *     the first ankle to rise), the lower ankle (single-leg deadlift at its
 *     bottom, gait frame by frame); the front leg of a lunge (the ankle
 *     further forward; from the front, the foot lower in the image). Hip drop
 *     is measured only where there is a stance leg.
 *   - AUTO exercise (best effort, at the first clear movement; AUTO_*)
 *     [signal.h]: lying -> glute bridge; hip rising -> step-up; hip sinking
 *     with one foot up -> single-leg squat on the other, with a split stance
 *     -> lunge, else squat; trunk inclined with the hip level -> single-leg
 *     deadlift; a foot lifted and set down with the hip level -> gait. A
 *     lunge filmed from the front that starts from a flat two-foot stance
 *     reads as a squat.
 *   - Gaps: a joint below min_score (or with NaN coordinates) is missing; any
 *     metric that needs it is NaN for that frame. Nothing is interpolated.
 *     tracked = the view's joints were all seen (front: both shoulders, hips,
 *     knees, ankles; side: those of the near leg); untracked frames less than
 *     LOWCONF_GAP_S apart make one stretch, reported as low confidence when
 *     it spans at least LOWCONF_MIN_S [lowconf.h]. Offline, a body joint
 *     whose raw position lies more than JITTER_TORSO of the torso from its
 *     low-passed path is the model guessing (an occluded knee behind a plate
 *     hops from frame to frame): it is a gap, and its frame untracked.
 *   - Two-legged squats from the front: a frame in which one knee reads
 *     valgus and the other varus, both beyond TURNED_FPPA_DEG, shows a body
 *     turned from the camera (the squat's forward travel seen sideways), not
 *     knee motion: FPPA, lateral lean and lateral shift are gaps there.
 *   - Motion capture (params.markers): no camera view, only the FC_PLANE_3D
 *     pelvis angles fed by fc_analyzer_set_pelvis_3d; view is AUTO.
 */
#ifndef FC_ANALYSIS_ANALYZER_H
#define FC_ANALYSIS_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/metrics.h"
#include "analysis/pelvis.h"
#include "core/error.h"
#include "core/exercise.h"
#include "core/keypoints.h"

struct fc_analyzer;

struct fc_analyzer_params {
    enum fc_exercise exercise; /* AUTO: inferred from the movement */
    enum fc_view view;         /* AUTO: detected from the keypoints */
    /* The defaults (fc_analyzer_default_params) are DEFAULT_* in
     * analysis/tuning.h, each with its reason. */
    float min_score;       /* joints below this confidence are gaps */
    double baseline_min_s; /* standing time needed before the first rep */
    size_t max_reps;       /* reps kept in detail; later ones only counted */
    /* Rep peaks are the extremes of the metric smoothed by a centred
     * quadratic Savitzky-Golay fit over this long (an odd number of frames,
     * at most PEAK_RING - 1; analysis/peaks.h): a pose model's
     * frame-to-frame jitter would otherwise push every maximum up. 0: the
     * raw per-frame extremes. at_bottom values are never smoothed. */
    double peak_window_s;
    /* 1: the input is 3-D motion capture in lab millimetres (C3D): there is
     * no camera view, only the FC_PLANE_3D metrics are measured (fed by
     * fc_analyzer_set_pelvis_3d) and no reps are segmented. fc_analyze_track
     * sets it for a dims == 3, FC_UNITS_MM track. */
    int markers;
    /* AUTO only: 1 when a step must not decide gait. fc_analyze_track sets
     * it for its second look at a session AUTO first called gait: a walk
     * to the bar and back around a squat is not the exercise. */
    int auto_no_gait;
};

struct fc_analyzer_params fc_analyzer_default_params(void);

/* One frame's measurements. value[] is NaN where the metric is not measurable
 * from this view or a joint it needs is missing in this frame. */
struct fc_frame_metrics {
    double t_s;
    float value[FC_METRIC_COUNT];
    int rep;     /* index of the rep this frame belongs to, -1 between reps */
    int tracked; /* 1 when the joints the exercise needs were all present */
    int stance;  /* the stance leg this frame: FC_SIDE_LEFT or FC_SIDE_RIGHT; -1 when
                    two-legged or unknown */
    /* Bit m set: metric m is not measurable in this frame because the leg
     * is out of the picture's plane (the knee FPPA once the thigh or shank
     * points at the camera, as at the bottom of a squat, or reads an angle
     * no knee makes); its value is NaN. */
    uint32_t out_of_plane;
};

struct fc_rep {
    int index;
    double t_start_s, t_bottom_s, t_end_s;
    /* The side carrying the load in this rep: the stance leg of a single-leg
     * squat or gait step, the front leg of a lunge, the leading leg of a
     * step-up; -1 for two-legged work. */
    int side;
    /* Per metric, the extreme in the direction of the fault over the rep,
     * and the value at the bottom frame. NaN when never measured in this
     * rep. The extreme is the largest value for hip drop, flexions, depth,
     * forward lean, trunk-shin difference and knee travel; the value at the
     * bottom for the knee-to-ankle separation and the medial knee
     * displacement (a wide stance reads as knees in while standing); the
     * largest deviation with its sign for obliquity, FPPA (valgus + and
     * varus - are both faults), lateral lean, lateral shift, the tilt proxy
     * and the 3-D pelvis angles. Taken on the smoothed metric (peak_window_s);
     * t_peak_s is the centre of that window. */
    float peak[FC_METRIC_COUNT];
    /* One standard uncertainty of peak, in the metric's unit, from the
     * metric's own frame-to-frame jitter at the peak frame (analysis/peaks.h:
     * the noise about the smoothing fit, times the fit's gain). NaN where
     * there is no peak, and where the jitter could not be estimated (a
     * smoothing window under 5 frames, the raw 3-D pelvis angles). Grading
     * adds the method's published error (report/grade.h). */
    float peak_u[FC_METRIC_COUNT];
    float at_bottom[FC_METRIC_COUNT];
    double t_peak_s[FC_METRIC_COUNT];
    float tracked_fraction; /* frames of the rep with every needed joint */
};

struct fc_metric_summary {
    int measurable; /* 0: the view (or the input) cannot support it */
    /* 1: measured from the pose model's 3-D estimate of the body (world
     * points), not the picture: knee flexion from a front view */
    int from_world;
    /* 1: not measurable because the body stood turned from the camera
     * further than the measure holds (fc_metric_info.turn_max_deg) */
    int beyond_turn;
    long frames;     /* frames with a value */
    long reps;       /* reps with a peak (all reps, also beyond max_reps) */
    float mean_peak; /* mean over reps of the rep peak; NaN without reps */
    float sd_peak;
    float max_peak;           /* the most extreme rep peak in the fault direction: the largest,
                                 or for the knee-to-ankle separation the smallest */
    long frames_out_of_plane; /* frames it was not measurable: the leg out of plane */
    /* Over every frame with a value (also outside reps): for sessions
     * without reps, such as a single-leg stance test. NaN when frames = 0. */
    float frame_mean, frame_min, frame_max;
};

/* A stretch of the session where tracking confidence was low. */
struct fc_low_confidence {
    double t_start_s, t_end_s;
};

#define FC_MAX_LOW_CONFIDENCE 32

struct fc_analysis {
    enum fc_exercise exercise;  /* as given, or inferred when AUTO */
    enum fc_view view;          /* used for the metrics */
    enum fc_view view_detected; /* what the keypoints say */
    int view_from_user;         /* 1 when the user fixed the view */
    float view_confidence;      /* 0..1 */
    float shoulder_width_ratio; /* shoulder width / torso length in the baseline */
    /* The body's turn from facing the camera in the baseline, 0 (facing it)
     * to 90 deg (side-on): under 45 deg from the face (the nose against
     * the ears, to within a few degrees, when the head faces where the body
     * does), else from the shoulder line's width (the hip line's with the
     * arms overhead; to within about 15 deg, people's shoulders differ);
     * NaN when unknown. */
    float body_yaw_deg;
    int body_yaw_from_face;   /* 1: from the nose against the ears, 0: from the widths */
    double camera_roll_deg;   /* removed from the frontal angles */
    int roll_assumed;         /* 1: the body gave no plausible roll; 0 deg assumed */
    double roll_estimate_deg; /* what the body said (NaN: nothing), used or not */
    int has_baseline;         /* 0: no standing phase was found */
    int no_standing;          /* 1: never upright in view: standing reps not counted */
    size_t frames, frames_tracked;
    size_t frames_with_feet; /* frames with a big toe seen: 0 from a COCO-17 model (MoveNet) */
    double duration_s;
    size_t n_reps;             /* reps completed */
    int last_rep_cut;          /* 1: ended on the last rep's way down: counted, no peaks */
    size_t n_reps_detailed;    /* min(n_reps, max_reps) */
    const struct fc_rep *reps; /* owned by the analyzer */
    struct fc_metric_summary metric[FC_METRIC_COUNT];
    /* Left minus right of the mean rep peak, for knee FPPA and knee flexion
     * (a rep credited to one side, fc_rep.side, counts only that side's
     * value: a left single-leg squat says nothing of the right knee) and,
     * for single-leg work and gait, hip drop with left stance minus right
     * stance; NaN when one side is absent. */
    float asymmetry_fppa_deg, asymmetry_knee_flexion_deg, asymmetry_hip_drop_deg;
    size_t n_low_confidence; /* the first FC_MAX_LOW_CONFIDENCE stretches */
    struct fc_low_confidence low_confidence[FC_MAX_LOW_CONFIDENCE];
    double low_confidence_s; /* total length of all such stretches */
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
/* The analysis so far, while frames keep coming (a live session): the reps
 * completed up to now and the summaries over the frames pushed, without
 * closing the rep in progress or the baseline. Changes nothing; cheap
 * enough to call every frame; res->reps stays valid until the next push. */
void fc_analyzer_snapshot(const struct fc_analyzer *a, struct fc_analysis *res);
void fc_analyzer_free(struct fc_analyzer *a);

/* Offline: the whole track at once. With zero_lag the keypoints first go
 * through a 4th-order Butterworth low-pass at cutoff_hz run forwards and
 * backwards (no lag; analysis/filter.h), gap by gap; a track sampled at no
 * more than twice the cut-off (a 5 fps clip) has nothing above it to remove
 * and is analysed as it is. The reference posture may come from anywhere in
 * the session (see "Standing baseline" above). frames_out receives
 * t->n_frames records (caller frees); *a_out keeps the analyzer alive for
 * res's pointers (caller frees with fc_analyzer_free). */
int fc_analyze_track(const struct fc_pose_track *t, const struct fc_analyzer_params *p,
                     int zero_lag, double cutoff_hz, struct fc_frame_metrics **frames_out,
                     struct fc_analysis *res, struct fc_analyzer **a_out, struct fc_error *err);

#endif
