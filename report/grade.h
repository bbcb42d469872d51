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

struct fc_threshold {
    char id[48];              /* "fppa_single_leg" */
    char fault[64];           /* "knee valgus" */
    enum fc_metric metric;
    unsigned exercise_mask;   /* bit (1u << enum fc_exercise) */
    int direction;            /* +1 above is bad, -1 below is bad, 0 |value| above is bad */
    double watch, fault_level;
    int min_reps;             /* a set-level finding needs this many reps (0: per rep) */
    char source[320];         /* the citation */
    char cause[400];          /* plain words; may contain {side} / {other_side} */
    char remedies[240];       /* "glute bridges, clamshells, ..." */
};

struct fc_thresholds {
    size_t n;
    struct fc_threshold *t;
};

/* path NULL: the built-in table. A malformed file gives a message naming
 * the file and the entry. */
int fc_thresholds_load(const char *path, struct fc_thresholds *out, struct fc_error *err);
void fc_thresholds_free(struct fc_thresholds *th);

struct fc_finding {
    const struct fc_threshold *threshold; /* what was crossed (owned by the table) */
    enum fc_severity severity;
    int side;         /* enum fc_side of the fault, -1 none */
    int rep;          /* rep index, -1 for a set-level finding */
    double t_s;       /* when (the peak) */
    double magnitude; /* the measured value, in the metric's unit */
    double level;     /* the level crossed */
    char message[512]; /* "right hip drops 7.2 deg during left single-leg stance ..." */
};

struct fc_rep_grade {
    int rep;
    double score; /* 0..100 */
};

struct fc_grade {
    double score;          /* 0..100, NaN when nothing could be graded */
    const char *band;      /* "good", "fair", "needs work", "poor", "not graded" */
    size_t n_findings;
    struct fc_finding *findings;
    size_t n_reps;
    struct fc_rep_grade *reps;
    /* Why the grade may not mean much, in plain words ("" when fine): wrong
     * view for the exercise, poor tracking, no reps found. */
    char caveat[512];
};

int fc_grade_session(const struct fc_analysis *a, const struct fc_thresholds *th,
                     struct fc_grade *out, struct fc_error *err);
void fc_grade_free(struct fc_grade *g);
const char *fc_severity_name(enum fc_severity s);

#endif
