/* formcheck report: the evidence behind each finding, for the HTML report.
 *
 * For every rep finding, the frame at its peak (fc_finding.t_s) with the
 * skeleton and the lines the metric was measured from, and the value
 * ("7.2 ± 1.0 deg"), so that a reader can check the number by eye:
 *   - video input: a JPEG still of that video frame, cropped to the body
 *     (fc_evidence_from_video, report/evidence_video.c: the video is
 *     decoded once more after grading, up to the last finding's frame);
 *   - keypoint input: a stick figure as inline SVG from that frame's
 *     keypoints (fc_evidence_write_svg).
 * The lines are the metric's own definition (analysis/metrics.h), from the
 * keypoints of that frame: hip-knee-ankle with the thigh line continued
 * for the knee FPPA and knee flexion, the hip line against the camera's
 * level line for pelvic obliquity and hip drop, mid-hip to mid-shoulder
 * against the vertical for trunk lean, knee and ankle separations for the
 * knee-to-ankle separation ratio, each knee against the vertical through
 * its ankle for medial knee displacement, mid-hip against the vertical
 * through mid-ankle for lateral shift, knee to hip against the horizontal
 * for depth. The vertical is the analysis's (camera roll removed). A
 * metric not measurable at that frame (fc_annotate_value: NaN, the leg out
 * of the picture's plane) gets no lines and says so. Set-level findings
 * have no single frame and get no picture.
 *
 *     struct fc_evidence ev = {0};
 *     if (report.video && fc_evidence_from_video(path, &report, &ev, &err) < 0) ...;
 *     report.evidence = &ev;                 // NULL: stick figures from report.track
 *     fc_report_html("report.html", &report, &err);
 *     fc_evidence_free(&ev);
 */
#ifndef FC_REPORT_EVIDENCE_H
#define FC_REPORT_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/draw.h"
#include "report/report.h"

/* The still's box: a body cropped from a phone video fits in 480 x 480
 * pixels (a 3:4 crop is 360 x 480), large enough to see a 5 deg angle
 * between two 100-pixel lines and small enough (30-60 KB as JPEG) that a
 * dozen findings make a page that still mails. */
#define FC_EVIDENCE_MAX_SIDE_PX 480
/* Findings with a picture at most; the rest are listed without one. A set
 * of ten reps with two findings each fits. */
#define FC_EVIDENCE_MAX_STILLS 24

/* One finding's still from the video. */
struct fc_evidence_still {
    size_t finding; /* index into fc_grade.findings */
    long frame;     /* the track frame shown */
    double t_s;     /* its time */
    uint8_t *jpeg;  /* the JPEG file's bytes */
    size_t jpeg_size;
    int width, height; /* pixels */
};

struct fc_evidence {
    size_t n;
    struct fc_evidence_still *still;
};

/* The still of finding i, or NULL. */
const struct fc_evidence_still *fc_evidence_still_of(const struct fc_evidence *ev, size_t i);
void fc_evidence_free(struct fc_evidence *ev);

/* Decodes the video the report's track was made from and cuts a still for
 * each rep finding (at most FC_EVIDENCE_MAX_STILLS), in time order, stopping
 * after the last one. A finding whose frame the decode does not meet gets no
 * still. Errors name the video. */
int fc_evidence_from_video(const char *video_path, const struct fc_report *r,
                           struct fc_evidence *out, struct fc_error *err);

/* The pieces, for the writers and the tests ------------------------------ */

/* The track frame at finding f's peak: the one nearest to f->t_s; -1 for a
 * set-level finding or when r has no frames. */
long fc_evidence_frame(const struct fc_report *r, const struct fc_finding *f);

/* "7.2 ± 1.0 deg" (UTF-8), or "7.2 deg" when the uncertainty is unknown. */
void fc_evidence_value_text(const struct fc_finding *f, char *buf, size_t len);

enum fc_evidence_style {
    FC_EVIDENCE_MEASURED,  /* a segment the value is measured along */
    FC_EVIDENCE_SECOND,    /* the second measured segment (ankles against knees) */
    FC_EVIDENCE_REFERENCE, /* what it is measured against: vertical, level, a line continued */
};

#define FC_EVIDENCE_MAX_LINES 6

/* Frame `frame` of t in pixels, the units of everything below: a
 * normalised track is scaled by its image size (1000 when unknown). -1
 * for a frame out of range or a 3-D track. */
int fc_evidence_keypoints(const struct fc_pose_track *t, long frame, struct fc_keypoints *out);

/* A metric's lines in one frame, in the keypoints' units. */
struct fc_evidence_geometry {
    int n_lines;
    struct {
        float x0, y0, x1, y1;
        enum fc_evidence_style style;
    } line[FC_EVIDENCE_MAX_LINES];
    float anchor_x, anchor_y; /* the joint the value belongs next to */
};

/* The lines of metric m in frame k (value: the metric's value in that
 * frame, fc_annotate_value), with the vertical turned by roll_deg
 * (fc_analysis.camera_roll_deg). Returns 0 with the lines, -1 when the
 * metric is not measurable there (value NaN, a joint it needs not seen, a
 * 3-D metric): nothing to draw. */
int fc_evidence_geometry(const struct fc_keypoints *k, enum fc_metric m, float value,
                         double roll_deg, struct fc_evidence_geometry *g);

/* The region of frame k worth showing: the seen joints' box with a margin,
 * in k's units. 0, or -1 when no joint is seen. */
int fc_evidence_region(const struct fc_keypoints *k, double *x, double *y, double *w, double *h);

/* Draws finding i's evidence (skeleton, lines, value, a caption) on c, where
 * a point (x, y) of fc_evidence_keypoints shows at ((x - ox) * s,
 * (y - oy) * s). */
void fc_evidence_draw(struct fc_canvas *c, const struct fc_report *r, size_t i, long frame,
                      double ox, double oy, double s);

/* Writes finding i's stick figure at frame as an inline <svg> element.
 * Returns 0, or -1 when there is nothing to draw (no track, a 3-D track,
 * no joint seen). */
int fc_evidence_write_svg(FILE *f, const struct fc_report *r, size_t i, long frame);

#endif
