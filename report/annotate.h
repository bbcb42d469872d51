/* formcheck report: an annotated copy of the analysed video.
 *
 * The video is decoded a second time (the first pass made the keypoints),
 * each frame converted to RGB at display size (scaled down to at most
 * FC_ANNOTATE_MAX_SIDE on its long side), drawn on and encoded
 * (capture/encoder.h: H.264, else MPEG-4 Part 2, in MP4), keeping every
 * frame's time. On each frame:
 *   - the COCO-17 skeleton: bones as lines, joints as dots, coloured by the
 *     model's confidence (green sure, yellow middling, red below the
 *     analyzer's 0.3 gap level); a joint the source did not see (score
 *     under FC_ANNOTATE_MIN_SCORE) and its bones are not drawn;
 *   - the key angles of that frame next to their joints: knee FPPA, hip
 *     drop or pelvic obliquity and lateral trunk lean from the front; knee
 *     and hip flexion and forward trunk lean from the side; whichever are
 *     measured in that frame (fc_annotate_value: a value the report calls
 *     not measurable, such as a knee FPPA with the leg out of the picture's
 *     plane, is never written);
 *   - a header bar: exercise and view, the rep counter (rep in progress or
 *     last finished / total) and the session grade;
 *   - cues for the findings of the rep in progress, from its start to its
 *     end ("LEFT KNEE CAVING IN"): red for a fault, amber for watch, in a
 *     column under the header on the side of the frame away from the
 *     subject; set-level findings show during every rep they concern. An
 *     angle whose metric has an active cue takes the cue's colour.
 * Frames are matched to keypoint frames by time (the second decode yields
 * the same frames with the same times): a frame with no keypoint frame
 * within a quarter of a frame period is drawn without skeleton and angles.
 *
 *     struct fc_annotate_input in = {
 *         .video_path = "squat.mp4", .track = &track, .frames = metrics,
 *         .analysis = &analysis, .grade = &grade,
 *     };
 *     if (fc_annotate_video("squat-annotated.mp4", &in, stderr, NULL, &err) < 0) ...;
 *
 * Text uses a built-in 5x7 bitmap font (report/font.c) scaled by whole
 * numbers; lines are anti-aliased capsules. No fonts or images are read.
 * The output file is written atomically (complete or absent). */
#ifndef FC_REPORT_ANNOTATE_H
#define FC_REPORT_ANNOTATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/analyzer.h"
#include "core/error.h"
#include "core/keypoints.h"
#include "report/draw.h"
#include "report/grade.h"

/* Longest side of the annotated video; larger inputs are scaled down. */
#define FC_ANNOTATE_MAX_SIDE 1280
/* Joints under this score are treated as not seen and not drawn. */
#define FC_ANNOTATE_MIN_SCORE 0.1f

struct fc_annotate_input {
    const char *video_path;                /* the video the track was made from */
    const struct fc_pose_track *track;     /* display pixels (or normalised) with frame times */
    const struct fc_frame_metrics *frames; /* per track frame; NULL: no angles */
    const struct fc_analysis *analysis;    /* NULL: no reps, exercise or view */
    const struct fc_grade *grade;          /* NULL: no grade, no cues */
};

struct fc_annotate_stats {
    long frames;                          /* frames written */
    long frames_matched;                  /* of them, frames with keypoints */
    int width, height;                    /* of the output */
    char codec[32];                       /* "libx264", "mpeg4" */
    double decode_ms, draw_ms, encode_ms; /* totals: waiting for decoded frames
                                             and converting them to RGB, drawing,
                                             converting to YUV and encoding */
};

/* Writes the annotated video to out_path. progress (NULL: silent) gets a
 * frames-done line; stats (NULL: not wanted) what was done. Errors name the
 * file: the input's when it cannot be decoded or none of its frame times
 * match the track's, the output's when it cannot be written. */
int fc_annotate_video(const char *out_path, const struct fc_annotate_input *in, FILE *progress,
                      struct fc_annotate_stats *stats, struct fc_error *err);

/* The overlay alone, for other front ends (a live view); the canvas and
 * the drawing primitives are in report/draw.h ---------------------------- */

struct fc_annotator;

/* Prepares the overlay for in (video_path is not used): cue texts, rep
 * times. The input must outlive the annotator. */
int fc_annotator_new(struct fc_annotator **out, const struct fc_annotate_input *in,
                     struct fc_error *err);
/* Draws the overlay for the moment t_s on a canvas where a track point
 * (x, y) shows at (x * sx, y * sy); frame is the track frame shown (-1:
 * none, only the header and cues). */
void fc_annotator_draw(const struct fc_annotator *a, struct fc_canvas *c, long frame, double t_s,
                       double sx, double sy);
void fc_annotator_free(struct fc_annotator *a);

/* The value of metric in frame m that may be shown: NaN where the report
 * calls it not measurable in that frame (its out_of_plane bit set, a knee
 * FPPA beyond FC_FPPA_MAX_PLAUSIBLE_DEG, or no value). The overlay, the
 * live cues and the report's evidence read values through it. */
float fc_annotate_value(const struct fc_frame_metrics *m, enum fc_metric metric);

/* The short on-screen cue for a finding: "LEFT KNEE CAVING IN",
 * "RIGHT HIP DROPPING", "SHALLOW SQUAT"; upper case, at most len - 1 chars.
 * The words are the metric's (fc_metric_info(m)->cue, analysis/metrics.h). */
void fc_annotate_cue(const struct fc_finding *f, char *buf, size_t len);

#endif
