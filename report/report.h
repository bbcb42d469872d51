/* formcheck: the report of an analysed session, in four forms.
 *
 *   text  a human summary on a FILE (stdout), at most 100 columns: grade,
 *         caveat first, reps table, findings and their probable causes,
 *         measurements, what this view cannot measure, tracking;
 *   JSON  machine-readable, versioned (FC_REPORT_SCHEMA_VERSION):
 *           schema_version, formcheck_version,
 *           input {path, kind, skeleton, frames, duration_s}, exercise,
 *           view {used, detected, from_user, confidence}, camera_roll_deg,
 *           has_baseline, grade {score, band, caveat, note}, n_reps,
 *           reps [{index, side, t_start_s, t_bottom_s, t_end_s, score,
 *                  tracked_fraction, peaks {metric: value}, t_peak_s {...}}],
 *           findings [{fault, threshold, metric, measure, severity, side, rep,
 *                      n_reps, t_s, magnitude, level, direction, unit, penalty,
 *                      source, cause, remedies, message}],
 *           metrics {name: {measurable, label, plane, needs, unit, frames,
 *                    mean_peak, sd_peak, max_peak, reps, frame_mean,
 *                    frame_min, frame_max}},
 *           asymmetry {definition, knee_fppa_deg, knee_flexion_deg, hip_drop_deg},
 *           tracking {frames, frames_tracked, tracked_fraction,
 *                     low_confidence_s, low_confidence [{t_start_s, t_end_s}]},
 *           thresholds [the ones for this exercise, with source and basis];
 *         every NaN is null; rep indices are fc_rep.index (from 0), while
 *         the text, the HTML and the finding messages number reps from 1;
 *   CSV   one row per frame: t_s, rep (empty between reps), tracked (0/1),
 *         and every metric column (empty cell = gap or not measurable);
 *   HTML  one self-contained page (inline CSS and SVG, no script, nothing
 *         fetched): grade badge, caveat, findings and causes, reps table, a
 *         plot per measurable metric (gaps break the line, reps shaded,
 *         watch/fault levels dashed, findings marked; long sessions
 *         decimated to about 2000 points per plot by min/max per bucket),
 *         the thresholds' sources.
 * Files are written atomically (core/outfile.h): complete or absent. */
#ifndef FC_REPORT_REPORT_H
#define FC_REPORT_REPORT_H

#include <stdio.h>

#include "pipeline/video.h"

#include "analysis/analyzer.h"
#include "report/grade.h"

#define FC_REPORT_SCHEMA_VERSION 1

/* Pelvis angles stored in the input by another program (Plug-in Gait / CGM
 * LPelvisAngles in a C3D file), compared frame by frame with formcheck's. */
struct fc_pelvis_reference {
    const char *label;                    /* "LPelvisAngles stored in the file" */
    const struct fc_pelvis_angles *angle; /* n_frames, NaN where absent */
    long frames_compared;
    double rms_deg[3]; /* tilt, obliquity, rotation */
    double max_abs_deg[3];
};

/* Fills the comparison from formcheck's 3-D pelvis metrics in frames. */
void fc_pelvis_reference_compare(struct fc_pelvis_reference *ref,
                                 const struct fc_frame_metrics *frames, size_t n);

struct fc_report {
    const char *input_path;
    const char *input_kind; /* "keypoint CSV", "C3D", "video", ... */
    const char *skeleton;   /* fc_skeleton_name() of the source */
    const struct fc_analysis *analysis;
    const struct fc_grade *grade;
    const struct fc_thresholds *thresholds;
    const struct fc_frame_metrics *frames; /* per frame, analysis->frames of them */
    size_t n_frames;
    const struct fc_pelvis_reference *pelvis_reference; /* NULL when the input has none */
    /* Video inputs: what was decoded and who was followed; NULL otherwise. */
    const struct fc_video_pose_stats *video;
    const char *pose_model; /* "MoveNet Thunder", with video */
};

void fc_report_text(FILE *out, const struct fc_report *r);
int fc_report_json(const char *path, const struct fc_report *r, struct fc_error *err);
int fc_report_csv(const char *path, const struct fc_report *r, struct fc_error *err);
int fc_report_html(const char *path, const struct fc_report *r, struct fc_error *err);

#endif
