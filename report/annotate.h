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
 *     measured in that frame (NaN: nothing written);
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

/* The overlay alone, for other front ends (a live view) ---------------- */

/* Packed RGB24 pixels to draw on. */
struct fc_canvas {
    uint8_t *rgb;
    int width, height, stride; /* stride in bytes */
};

struct fc_rgb {
    uint8_t r, g, b;
};

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

/* The short on-screen cue for a finding: "LEFT KNEE CAVING IN",
 * "RIGHT HIP DROPPING", "SHALLOW SQUAT"; upper case, at most len - 1 chars. */
void fc_annotate_cue(const struct fc_finding *f, char *buf, size_t len);

/* Drawing primitives (report/annotate.c and report/font.c) -------------- */

/* alpha 0..1 blends colour over what is there. Everything clips to the canvas. */
void fc_draw_rect(struct fc_canvas *c, int x, int y, int w, int h, struct fc_rgb colour,
                  float alpha);
/* A line width_px wide with round ends, anti-aliased; a zero-length line is a disc. */
void fc_draw_line(struct fc_canvas *c, float x0, float y0, float x1, float y1, float width_px,
                  struct fc_rgb colour, float alpha);
void fc_draw_disc(struct fc_canvas *c, float x, float y, float radius_px, struct fc_rgb colour,
                  float alpha);

/* The built-in font: 5x7 glyphs (8 rows with descenders) for printable
 * ASCII and the degree sign (UTF-8 "\xc2\xb0", or '\x7f'), in 6 x 8 cells,
 * scaled by a whole factor. Any other character draws as '?'. */
#define FC_FONT_CELL_W 6
#define FC_FONT_CELL_H 8
/* The glyph of ch: 5 column bytes, bit 0 the top row; NULL when none. */
const uint8_t *fc_font_glyph(unsigned ch);
/* Pixel width of text at scale (one line, no trailing gap), and the height
 * of its capitals (descenders reach one row, scale pixels, below). */
int fc_text_width(const char *text, int scale);
int fc_text_height(int scale);
/* Draws text with its top-left corner at (x, y); returns its width. */
int fc_draw_text(struct fc_canvas *c, int x, int y, const char *text, int scale,
                 struct fc_rgb colour);

#endif
