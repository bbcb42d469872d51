/* formcheck report: a motion-capture walk graded like video.
 *
 * The per-stride measures of analysis/mocap.h (contralateral pelvic drop in
 * single support, peak hip adduction and knee valgus in stance, lateral
 * trunk lean) are averaged per stance side and graded against the
 * "mocap_thresholds" of data/thresholds.json (or --thresholds FILE): each
 * with its measure, watch and fault levels, the minimum number of strides
 * per side, its literature source and the basis of its levels. The section
 * appears in the text and JSON reports (report/report.h, "mocap").
 *
 *     struct fc_mocap_thresholds th;
 *     if (fc_mocap_thresholds_load(NULL, &th, &err) < 0) ...;   // built-in
 *     struct fc_mocap_grade g;
 *     fc_mocap_grade(&mocap, &th, &g);
 *     fc_mocap_report_text(stdout, &mocap, &th, &g);
 *     fc_mocap_thresholds_free(&th);
 */
#ifndef FC_REPORT_MOCAP_H
#define FC_REPORT_MOCAP_H

#include <stdio.h>

#include "analysis/mocap.h"

struct fc_mocap_threshold {
    char id[48];
    enum fc_mocap_measure measure;
    char fault[64];
    double watch, fault_level;
    int direction;  /* +1: above the level is bad ("above", the default); -1: below */
    int min_count;  /* strides per stance side ("min_strides"), or squat reps ("min_reps") */
    char what[160]; /* "{other_side} pelvis drops {value} deg ..." */
    char source[480];
    char basis[480];
    char cause[400];
    char remedies[240];
};

struct fc_mocap_thresholds {
    size_t n;
    struct fc_mocap_threshold *t;
};

/* path NULL: the built-in table. A malformed entry is named in the error. */
int fc_mocap_thresholds_load(const char *path, struct fc_mocap_thresholds *out,
                             struct fc_error *err);
void fc_mocap_thresholds_free(struct fc_mocap_thresholds *th);

enum fc_mocap_level { FC_MOCAP_OK, FC_MOCAP_WATCH, FC_MOCAP_FAULT, FC_MOCAP_NOT_GRADED };

/* One threshold for one stance side, or for a squat's reps (both legs). */
struct fc_mocap_verdict {
    const struct fc_mocap_threshold *threshold;
    enum fc_side side;
    int both_sides;   /* a rep measure: side does not apply */
    int strides;      /* strides (or reps) with a value */
    double mean, max; /* over those; max = the worst, in the bad direction */
    enum fc_mocap_level level;
};

#define FC_MOCAP_MAX_VERDICTS 32

struct fc_mocap_grade {
    size_t n;
    struct fc_mocap_verdict v[FC_MOCAP_MAX_VERDICTS];
    int faults, watches, graded;
};

void fc_mocap_grade(const struct fc_mocap *mc, const struct fc_mocap_thresholds *th,
                    struct fc_mocap_grade *out);
const char *fc_mocap_level_name(enum fc_mocap_level l); /* "ok", "watch", "fault", "not graded" */

/* The header's line: "8 strides (both sides) from marker gait events" or
 * "3 squat reps from markers". */
void fc_mocap_summary(const struct fc_mocap *mc, char *buf, size_t cap);

/* What the markers recorded, found from them (not asked for with
 * --exercise): "gait" (strides from marker gait events), "squat",
 * "single-leg squat", "lunge" (reps with one foot ahead), or NULL when
 * neither was found. The text report's header and JSON's mocap.recording. */
const char *fc_mocap_recording(const struct fc_mocap *mc);

void fc_mocap_report_text(FILE *out, const struct fc_mocap *mc, const struct fc_mocap_grade *g);

/* The same as a section of the HTML report. */
void fc_mocap_report_html(FILE *out, const struct fc_mocap *mc, const struct fc_mocap_grade *g);

struct cJSON;
/* The "mocap" object of the JSON report. */
struct cJSON *fc_mocap_report_json(const struct fc_mocap *mc, const struct fc_mocap_grade *g);

#endif
