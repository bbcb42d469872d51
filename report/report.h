/* formcheck: the report of an analysed session, in four forms.
 *
 *   text  a human summary on a FILE (stdout): grade, reps, findings, caveats;
 *   JSON  machine-readable, versioned (FC_REPORT_SCHEMA_VERSION), with
 *         top-level "reps" and "findings" arrays;
 *   CSV   one row per frame: t_s, rep, tracked, and every metric column
 *         (empty cell = gap or not measurable);
 *   HTML  one self-contained page (inline SVG, no network): angles over
 *         time with reps shaded and threshold levels drawn, the findings.
 * Files are written atomically (core/outfile.h). */
#ifndef FC_REPORT_REPORT_H
#define FC_REPORT_REPORT_H

#include <stdio.h>

#include "analysis/analyzer.h"
#include "report/grade.h"

#define FC_REPORT_SCHEMA_VERSION 1

struct fc_report {
    const char *input_path;
    const char *input_kind;        /* "keypoint CSV", "C3D", "video", ... */
    const char *skeleton;          /* fc_skeleton_name() of the source */
    const struct fc_analysis *analysis;
    const struct fc_grade *grade;
    const struct fc_thresholds *thresholds;
    const struct fc_frame_metrics *frames; /* per frame, analysis->frames of them */
    size_t n_frames;
};

void fc_report_text(FILE *out, const struct fc_report *r);
int fc_report_json(const char *path, const struct fc_report *r, struct fc_error *err);
int fc_report_csv(const char *path, const struct fc_report *r, struct fc_error *err);
int fc_report_html(const char *path, const struct fc_report *r, struct fc_error *err);

#endif
