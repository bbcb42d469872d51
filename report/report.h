/* formcheck: the report of an analysed session, in four forms.
 *
 *   text  a human summary on a FILE (stdout), at most 100 columns: grade,
 *         caveat first, reps table, findings and their probable causes,
 *         measurements, what this view cannot measure, tracking;
 *   JSON  machine-readable, versioned (FC_REPORT_SCHEMA_VERSION), every
 *         field in docs/schema/report.schema.json:
 *           schema_version, formcheck_version,
 *           input {path, kind, skeleton, frames, duration_s, video {...}}, exercise,
 *           view {used, detected, from_user, confidence}, camera_roll_deg,
 *           has_baseline, grade {score, band, caveat, note}, n_reps,
 *           reps [{index, side, t_start_s, t_bottom_s, t_end_s, score,
 *                  tracked_fraction, peaks {metric: value}, peaks_u {...},
 *                  t_peak_s {...}}],
 *           findings [{fault, threshold, metric, measure, severity, side, rep,
 *                      n_reps, t_s, magnitude, uncertainty, level, direction, unit, penalty,
 *                      source, cause, remedies, message}] (report/json.h, as in
 *                    the live events),
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
 *         for motion capture analysed in full, then the Plug-in Gait angles
 *         (hip_flexion_l, ..., as in the .mot file: report/mot.h);
 *   HTML  one self-contained page (inline CSS and SVG, no script, nothing
 *         fetched): grade badge, caveat, findings and causes, reps table, a
 *         plot per measurable metric (gaps break the line, reps shaded,
 *         watch/fault levels dashed, findings marked; long sessions
 *         decimated to about 2000 points per plot by min/max per bucket),
 *         for each rep finding the frame at its peak with the measured lines
 *         and the value (a JPEG still as a data: URI for video, else an SVG
 *         stick figure; report/evidence.h), the thresholds' sources.
 * Files are written atomically (core/outfile.h): complete or absent. */
#ifndef FC_REPORT_REPORT_H
#define FC_REPORT_REPORT_H

#include <stdio.h>

#include "analysis/analyzer.h"
#include "report/grade.h"

#define FC_REPORT_SCHEMA_VERSION 2

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

/* Who was followed in a video with several people in view. */
struct fc_source_people {
    int looked;          /* 1 when the clip was looked over for people */
    int seen;            /* people seen (0 when not looked) */
    int most_at_once;    /* most in view at one time */
    int followed;        /* 1-based in order of first sighting; 0: nobody chosen
                            (one person or nobody: whoever is seen is tracked) */
    int by_point;        /* 1: chosen at the point the user gave; 0: the most prominent */
    double first_seen_s; /* the followed person's first and last sighting */
    double last_seen_s;
};

/* What was decoded from a video input and who was followed in it, as the
 * report states it: plain data that the program fills from the video
 * stage's statistics, so that the report needs nothing from that stage. */
struct fc_source_info {
    int width, height; /* display pixels (after the container's rotation) */
    const char *codec; /* "h264" */
    double fps;        /* the stream's nominal rate; NaN when unknown */
    long frames_decoded;
    double person_found_fraction; /* of the frames decoded; NaN when none was */
    const char *pose_model;       /* "MoveNet Thunder" */
    const char *warning;          /* what was wrong but not fatal (a cut tail); NULL: none */
    struct fc_source_people people;
};

struct fc_evidence;    /* report/evidence.h */
struct fc_mocap;       /* analysis/mocap.h */
struct fc_mocap_grade; /* report/mocap.h */

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
    const struct fc_source_info *video;                 /* video inputs; NULL otherwise */
    /* The keypoints analysed (n_frames of them), for the HTML's evidence:
     * a stick figure of each finding's frame; NULL: none. */
    const struct fc_pose_track *track;
    /* Stills cut from the video for the findings (report/evidence.h);
     * NULL: stick figures from track. */
    const struct fc_evidence *evidence;
    /* A motion-capture recording analysed in full (report/mocap.h): the
     * "motion capture" section and the JSON's "mocap"; NULL: none. */
    const struct fc_mocap *mocap;
    const struct fc_mocap_grade *mocap_grade;
};

void fc_report_text(FILE *out, const struct fc_report *r);
int fc_report_json(const char *path, const struct fc_report *r, struct fc_error *err);
int fc_report_csv(const char *path, const struct fc_report *r, struct fc_error *err);
int fc_report_html(const char *path, const struct fc_report *r, struct fc_error *err);

#endif
