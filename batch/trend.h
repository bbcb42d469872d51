/* formcheck batch: a patient's course over sessions, with change judged
 * against what the measurement itself can miss.
 *
 * For each exercise, metric and side (the rep's stance side; none for
 * two-legged work) the value of a session is the mean of its rep peaks over
 * the current grade of its recordings (batch/store.h). The change from one
 * session to the next is flagged only where it is larger than the minimal
 * detectable change, MDC95 = 1.96 * sqrt(2) * SEM (Weir 2005, J Strength
 * Cond Res 19(1):231-240; Haley & Fragala-Pinkham 2006, Phys Ther
 * 86(5):735-743), the SEM being the 2-D method's published standard error of
 * measurement in data/thresholds.json (`reliability`, with its source).
 * Where none is published, formcheck's own repeatability stands in, said
 * so: the pooled rep-to-rep SD within the patient's sessions of that series
 * (a lower bound: it holds no day-to-day variation), when the sessions have
 * enough reps; else the MDC is unknown, said so, and nothing is flagged.
 *
 *     struct fc_trend t;
 *     if (fc_trend_load(db, "P01", &th, &t, &err) < 0) ...;
 *     for (size_t i = 0; i < t.n; i++)  ... t.s[i].metric, t.s[i].p[k].change, .flagged ...
 *     fc_trend_free(&t);
 */
#ifndef FC_BATCH_TREND_H
#define FC_BATCH_TREND_H

#include <stdio.h>

#include "batch/store.h"
#include "report/thresholds.h"

struct fc_trend_point {
    char session[128];
    char recorded_at[40];
    double value; /* mean of the session's rep peaks */
    int n_reps;
    double change; /* value minus the previous session's; NaN for the first */
    int flagged;   /* |change| > MDC95 (never when the MDC is unknown) */
    int worse;     /* flagged, and in the threshold's bad direction */
    double ss;     /* sum of the rep peaks' squared deviations from value */
};

struct fc_trend_series {
    char exercise[48], metric[64], side[8]; /* side "" when the reps have none */
    const char *unit;
    double sem, mdc95;      /* NaN when unknown */
    const char *mdc_source; /* the SEM's citation, or says it is formcheck's own; NULL: unknown */
    int own_df;             /* > 0: the SEM is formcheck's own repeatability, with these
                               degrees of freedom (no published reliability) */
    int direction;          /* +1 above is bad, -1 below, 0 either way (abs), 2 not graded */
    size_t n;
    struct fc_trend_point *p;
};

struct fc_trend {
    char patient[256];
    size_t n;
    struct fc_trend_series *s;
    /* The latest session's worst rep as a still, face pixelated (base64 PNG,
     * batch/still.h); NULL when the session has none (no video). */
    char *still_png_base64;
    char still_session[128];
    int still_rep; /* from 0 */
    double still_t_s;
};

/* MDC95 from an SEM: 1.96 * sqrt(2) * sem. */
double fc_trend_mdc95(double sem);

/* FC_ERR_EMPTY when the patient has no graded session. */
int fc_trend_load(struct fc_store *db, const char *patient, const struct fc_thresholds *th,
                  struct fc_trend *out, struct fc_error *err);
void fc_trend_free(struct fc_trend *t);

/* The course as text (a table per series), as JSON (one document), and as
 * a printable self-contained HTML page with a plot per series. */
void fc_trend_text(FILE *out, const struct fc_trend *t);
int fc_trend_json(FILE *out, const struct fc_trend *t);
int fc_trend_html(const char *path, const struct fc_trend *t, struct fc_error *err);
/* The page's parts, for the static site (batch/site.h): the stylesheet, the
 * plots and their notes, and text escaped for HTML. */
void fc_trend_html_style(FILE *f);
void fc_trend_html_body(FILE *f, const struct fc_trend *t);
void fc_html_text(FILE *f, const char *s);

#endif
