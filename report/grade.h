/* formcheck: grading an analysed session against literature thresholds.
 *
 * Thresholds live in data (data/thresholds.json, compiled into the program;
 * --thresholds FILE replaces them), each with the metric it reads, the
 * exercises it applies to, a "watch" and a "fault" level, the direction
 * that is bad, its literature source, the plain-language cause and the
 * exercises that address it. Grading turns every rep peak that crosses a
 * level into a finding, and scores each rep and the set 0-100 with a band.
 * It is a grade of movement quality, not a diagnosis.
 *
 *     struct fc_thresholds th;
 *     fc_thresholds_load(NULL, &th, &err);          // built-in table
 *     struct fc_grade g;
 *     fc_grade_session(&analysis, &th, &g, &err);
 *     ... g.score, g.band, g.findings[i] ...
 *     fc_grade_free(&g);
 *     fc_thresholds_free(&th);
 */
#ifndef FC_REPORT_GRADE_H
#define FC_REPORT_GRADE_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "core/error.h"

enum fc_severity { FC_SEVERITY_OK, FC_SEVERITY_WATCH, FC_SEVERITY_FAULT };

/* What a threshold is compared with. */
enum fc_measure {
    FC_MEASURE_REP_PEAK,  /* each rep's peak (fc_rep.peak), graded per rep */
    FC_MEASURE_SET_MEAN,  /* mean of the rep peaks, per stance side when reps have
                             one; graded only with at least min_reps of them */
    FC_MEASURE_ASYMMETRY, /* the analyzer's left-minus-right difference for the
                             metric's pair (fc_analysis.asymmetry_*), per set */
};

/* Placeholders in what / cause / remedies, filled per finding:
 *   {side}        the side of the finding: the metric's own side (left knee),
 *                 the stance side for hip drop, the side a signed metric
 *                 points to (+ = left) for "abs" thresholds and asymmetries;
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

struct fc_finding {
    const struct fc_threshold *threshold; /* what was crossed (owned by the table) */
    enum fc_severity severity;
    int side;           /* enum fc_side of the fault, -1 none */
    int rep;            /* rep index (fc_rep.index), -1 for a set-level finding */
    int n_reps;         /* set-level: reps averaged (per side); 1 for a rep finding */
    double t_s;         /* when (the peak); NaN for a set-level finding */
    double magnitude;   /* the measured value, in the metric's unit */
    double level;       /* the level crossed, as in the table */
    double excess;      /* how far past the level, in units of |fault - watch| */
    double penalty;     /* points taken off the rep (or the set) */
    char what[400];     /* "rep 3: right hip drops 7.2 deg during ... (watch above 3 deg,
                           fault above 6 deg)": the message without cause and remedies */
    char cause[480];    /* the threshold's cause with the placeholders filled */
    char remedies[320]; /* likewise */
    char message[1280]; /* what + ": " + cause + ". Try: " + remedies + "." */
};

struct fc_rep_grade {
    int rep;
    double score; /* 0..100; NaN when nothing in the rep could be graded */
};

/* Score bands: >= 85 good, >= 70 fair, >= 50 needs work, else poor. */
#define FC_GRADE_GOOD 85.0
#define FC_GRADE_FAIR 70.0
#define FC_GRADE_NEEDS_WORK 50.0
/* Tracking below this fraction of frames (session or rep) is called poor; a
 * rep tracked less than this is not graded. */
#define FC_GRADE_MIN_TRACKED 0.7

struct fc_grade {
    double score;     /* 0..100, NaN when nothing could be graded */
    const char *band; /* "good", "fair", "needs work", "poor", "not graded" */
    size_t n_findings;
    struct fc_finding *findings; /* faults first, then watch; larger excess first */
    size_t n_reps;
    struct fc_rep_grade *reps;
    /* Why the grade may not mean much, in plain words ("" when fine): wrong
     * view for the exercise, poor tracking, no reps found. */
    char caveat[1024];
};

/* Scoring: each rep starts at 100; each threshold it crosses takes off
 * 10 + up to 10 (watch) or 25 + up to 15 (fault), growing with how far past
 * the level the peak is, measured in units of |fault - watch|. The set score
 * is the mean of the graded reps' scores minus the set-level penalties,
 * clamped to 0..100. No reps, or nothing measurable: NaN, "not graded". */
int fc_grade_session(const struct fc_analysis *a, const struct fc_thresholds *th,
                     struct fc_grade *out, struct fc_error *err);
void fc_grade_free(struct fc_grade *g);
const char *fc_severity_name(enum fc_severity s);
/* Where v stands against t's levels in t's bad direction: the severity, and
 * in *past_watch how far beyond the watch level it is, in the metric's unit
 * (> 0 past it, < 0 short of it). */
enum fc_severity fc_threshold_severity(const struct fc_threshold *t, double v, double *past_watch);
/* The band of a score ("not graded" for NaN). */
const char *fc_grade_band(double score);
/* What a metric needs, for people: "a front view", "a side view",
 * "marker-based motion capture". */
const char *fc_metric_view_needed(enum fc_metric m);

#endif
