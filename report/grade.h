/* formcheck: grading an analysed session against literature thresholds.
 *
 * Thresholds live in data (data/thresholds.json, compiled into the program;
 * --thresholds FILE replaces them), each with the metric it reads, the
 * exercises it applies to, a "watch" and a "fault" level, the direction
 * that is bad, its literature source, the plain-language cause and the
 * exercises that address it. Grading turns every rep peak that crosses a
 * level into a finding, and scores each rep and the set 0-100 with a band.
 * It is a grade of movement quality, not a diagnosis. The table itself
 * and its loader are in report/thresholds.h; what a metric is (its side,
 * plane, peak) comes from analysis/metrics.h.
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
#include "report/thresholds.h"

enum fc_severity { FC_SEVERITY_OK, FC_SEVERITY_WATCH, FC_SEVERITY_FAULT };

struct fc_finding {
    const struct fc_threshold *threshold; /* what was crossed (owned by the table) */
    enum fc_severity severity;
    int side;           /* enum fc_side of the fault, -1 none */
    int rep;            /* rep index (fc_rep.index), -1 for a set-level finding */
    int n_reps;         /* set-level: reps averaged (per side); 1 for a rep finding */
    double t_s;         /* when (the peak); NaN for a set-level finding */
    double magnitude;   /* the measured value, in the metric's unit */
    double uncertainty; /* one standard uncertainty of magnitude, in its unit: the
                           measurement's jitter and the method's error (SEM, the turn) in quadrature
                           (fc_grade_uncertainty); the value is past level by more */
    double level;       /* the level crossed, as in the table */
    double excess;      /* how far past the level, in units of |fault - watch| */
    double penalty;     /* points taken off the rep (or the set) */
    char what[560];     /* "rep 3: right hip drops 7.2 deg during ... (watch above 3 deg,
                           fault above 6 deg)": the message without cause and remedies */
    char cause[480];    /* the threshold's cause with the placeholders filled */
    char remedies[320]; /* likewise */
    char message[1480]; /* what + ": " + cause + ". Try: " + remedies + "." */
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
    /* Per metric, the 2-D method's published standard error of measurement
     * used for this exercise (the largest of its thresholds'; 0 none). */
    double sem[FC_METRIC_COUNT];
    /* Per metric, the error the camera's angle off the measure's plane
     * adds (1.4826 x fc_metric_info.turn_err_per_sin x sin of that angle,
     * a median absolute error made a standard uncertainty: the body's
     * yaw for frontal measures from the front, 90 deg - yaw for sagittal
     * ones from the side; 0 none), in quadrature with sem: the method's
     * error here. */
    double turn_u[FC_METRIC_COUNT];
};

/* Uncertainty: a rep peak's own jitter (fc_rep.peak_u) and the method's
 * published standard error of measurement (fc_threshold.sem) add in
 * quadrature; a finding is raised only when its value is past the level by
 * more than that (for "above": value - u > level). */
/* sqrt(u_jitter^2 + sem^2); a jitter that could not be estimated (NaN)
 * counts as 0. */
double fc_grade_uncertainty(double u_jitter, double sem);
/* The error the camera's angle off m's plane adds in a's view (see
 * fc_grade.turn_u); 0 when the body's yaw is unknown or m has none. */
double fc_grade_turn_u(const struct fc_analysis *a, enum fc_metric m);
/* The uncertainty of rep r's peak of metric m as graded: fc_grade_uncertainty
 * with g's sem[m] (g NULL: the jitter alone); NaN when r has no peak of m. */
double fc_grade_peak_u(const struct fc_grade *g, const struct fc_rep *r, enum fc_metric m);

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
