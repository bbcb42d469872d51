/* formcheck report: the grading thresholds, as data.
 *
 * Thresholds live in data (data/thresholds.json, compiled into the program;
 * --thresholds FILE replaces them), each with the metric it reads, the
 * exercises it applies to, a "watch" and a "fault" level, the direction
 * that is bad, its literature source, the plain-language cause and the
 * exercises that address it. The loader checks every field and names the
 * file, the entry and the field that is wrong.
 *
 *     struct fc_thresholds th;
 *     if (fc_thresholds_load(NULL, &th, &err) < 0) ...;    // built-in table
 *     for (size_t i = 0; i < th.n; i++)
 *         if (fc_threshold_applies(&th.t[i], FC_EXERCISE_SQUAT)) ...;
 *     fc_thresholds_free(&th);
 *
 * Grading them against an analysis: report/grade.h. */
#ifndef FC_REPORT_THRESHOLDS_H
#define FC_REPORT_THRESHOLDS_H

#include <stddef.h>

#include "analysis/metrics.h"
#include "core/error.h"
#include "core/exercise.h"

/* What a threshold is compared with. */
enum fc_measure {
    FC_MEASURE_REP_PEAK,  /* each rep's peak (fc_rep.peak), graded per rep */
    FC_MEASURE_SET_MEAN,  /* mean of the rep peaks, per stance side when reps have
                             one; graded only with at least min_reps of them */
    FC_MEASURE_ASYMMETRY, /* the analyzer's left-minus-right difference for the
                             metric's pair (fc_analysis.asymmetry_*), per set */
};

/* Placeholders in what / cause / remedies, filled per finding:
 *   {side}        the side of the finding (fc_metric_side_of, analysis/metrics.h):
 *                 the metric's own side (left knee), the stance side for hip
 *                 drop, the side a signed metric points to (+ = left); for an
 *                 asymmetry, the side with more;
 *   {other_side}  the opposite side;
 *   {stance}      the rep's loaded leg (stance, front or leading leg);
 *   {value} {abs} the measured value and its absolute value, one decimal. */
struct fc_threshold {
    char id[48];    /* "fppa_single_leg"; a list of metrics in the file
                       gives one entry per metric with the same id */
    char fault[64]; /* "knee valgus" */
    enum fc_metric metric;
    enum fc_measure measure;
    unsigned exercise_mask; /* bit (1u << enum fc_exercise) */
    int direction;          /* +1 above is bad, -1 below is bad, 0 |value| above is bad */
    double watch, fault_level;
    int min_reps;       /* set_mean / asymmetry: reps (per side) needed; rep_peak: 0 */
    int key;            /* 1: a view that cannot measure it gets a caveat ("key": false
                           in the file for secondary measurements) */
    char what[160];     /* "{other_side} hip drops {value} deg during {side} ..." */
    char source[480];   /* the citation */
    char basis[480];    /* how the levels were chosen; says when it is a convention */
    char cause[400];    /* plain words; may contain {side} / {other_side} */
    char remedies[240]; /* "glute bridges, clamshells, ..." */
    /* The 2-D method's published reliability ("reliability" in the file,
     * optional): its standard error of measurement and smallest detectable
     * difference, in the metric's unit, with their source. sem 0 and
     * reliability_source "" where none is published: a finding's
     * uncertainty then comes from the measurement's own jitter alone. */
    double sem, sdd;
    char reliability_source[480];
};

struct fc_thresholds {
    size_t n;
    struct fc_threshold *t;
};

/* path NULL: the built-in table. A malformed file gives a message naming
 * the file and the entry. */
int fc_thresholds_load(const char *path, struct fc_thresholds *out, struct fc_error *err);
void fc_thresholds_free(struct fc_thresholds *th);
/* 1 when t is used for exercise e. */
int fc_threshold_applies(const struct fc_threshold *t, enum fc_exercise e);
const char *fc_measure_name(enum fc_measure m); /* "rep_peak", "set_mean", "asymmetry" */
const char *fc_direction_name(int direction);   /* "above", "below", "abs" */

#endif
