#include "batch/trend.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/metrics.h"
#include "core/outfile.h"

/* The 95 % two-sided normal quantile, and sqrt(2) for the difference of two
 * measurements each with the SEM: MDC95 = 1.96 * sqrt(2) * SEM (Weir 2005). */
#define Z95 1.96
/* formcheck's own repeatability stands in for a published SEM only with at
 * least this many degrees of freedom (reps beyond the first per session,
 * summed): fewer give an SD too uncertain to judge change by (with 10 the
 * SD's 95 % interval is still about 0.7-1.75 times its value). */
#define OWN_MIN_DF 10
/* Marks a series' direction as not graded by any threshold. */
#define NOT_GRADED 2

/* Plot size of the HTML page, in CSS pixels: two plots a row on A4. */
#define PLOT_W 340
#define PLOT_H 170
#define PLOT_PAD 34

double fc_trend_mdc95(double sem)
{
    return Z95 * sqrt(2.0) * sem;
}

void fc_trend_free(struct fc_trend *t)
{
    free(t->still_png_base64);
    for (size_t i = 0; i < t->n; i++)
        free(t->s[i].p);
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* The metric's reliability and bad direction for the exercise: the largest
 * published SEM of its thresholds that apply to the exercise, else of any
 * of its thresholds (the SEM belongs to the measurement, not the task). */
static void reliability(struct fc_trend_series *s, const struct fc_thresholds *th)
{
    int metric = fc_metric_from_name(s->metric);
    int ex = fc_exercise_from_name(s->exercise);
    const struct fc_metric_info *mi = metric >= 0 ? fc_metric_info((enum fc_metric)metric) : NULL;
    s->unit = mi ? mi->unit : "";
    s->sem = NAN;
    s->mdc_source = NULL;
    s->direction = NOT_GRADED;
    for (int pass = 0; pass < 2 && !s->mdc_source; pass++) {
        for (size_t i = 0; i < th->n; i++) {
            const struct fc_threshold *t = &th->t[i];
            int applies = ex >= 0 && fc_threshold_applies(t, (enum fc_exercise)ex);
            if ((int)t->metric != metric || (pass == 0 && !applies))
                continue;
            if (applies && s->direction == NOT_GRADED)
                s->direction = t->direction;
            if (t->sem > 0 && !(t->sem <= s->sem)) {
                s->sem = t->sem;
                s->mdc_source = t->reliability_source;
            }
        }
    }
    s->mdc95 = s->mdc_source ? fc_trend_mdc95(s->sem) : NAN;
}

/* Where nothing is published: formcheck's own repeatability, the pooled
 * rep-to-rep SD within the series' sessions (the typical error of one rep,
 * Hopkins 2000, Sports Med 30(1):1-15), as the SEM. It holds no day-to-day
 * variation, so it is a lower bound of the between-session SEM; said so. */
static void own_repeatability(struct fc_trend_series *s)
{
    double ss = 0;
    int df = 0;
    for (size_t k = 0; k < s->n; k++) {
        ss += s->p[k].ss > 0 ? s->p[k].ss : 0;
        df += s->p[k].n_reps - 1;
    }
    if (df < OWN_MIN_DF)
        return;
    s->sem = sqrt(ss / df);
    s->mdc95 = fc_trend_mdc95(s->sem);
    s->own_df = df;
    s->mdc_source = "formcheck's own repeatability: pooled rep-to-rep SD within this patient's "
                    "sessions (no day-to-day variation in it, so a lower bound); no published "
                    "reliability for this measure";
}

static void judge(struct fc_trend_series *s)
{
    for (size_t k = 0; k < s->n; k++) {
        struct fc_trend_point *p = &s->p[k];
        p->change = k ? p->value - s->p[k - 1].value : NAN;
        p->flagged = k && isfinite(s->mdc95) && fabs(p->change) > s->mdc95;
        if (!p->flagged)
            p->worse = 0;
        else if (s->direction == 0)
            p->worse = fabs(p->value) > fabs(s->p[k - 1].value);
        else if (s->direction == 1 || s->direction == -1)
            p->worse = p->change * s->direction > 0;
    }
}

static const char trend_sql[] =
    "SELECT r.exercise, pk.metric, coalesce(pk.side, ''), se.label, se.recorded_at,"
    " avg(pk.value), count(pk.value), sum(pk.value * pk.value)"
    " FROM patients pa JOIN sessions se ON se.patient_id = pa.id"
    " JOIN recordings rec ON rec.session_id = se.id"
    " JOIN results r ON r.recording_id = rec.id AND r.current = 1"
    " JOIN rep_peaks pk ON pk.result_id = r.id"
    " WHERE pa.code = $1 AND pk.value IS NOT NULL"
    " GROUP BY r.exercise, pk.metric, pk.side, se.id"
    " ORDER BY r.exercise, pk.metric, pk.side, se.recorded_at, se.label";

/* The series the row belongs to: the last one when it matches, else a new one. */
static struct fc_trend_series *series_for(struct fc_trend *t, size_t *cap, const char *ex,
                                          const char *metric, const char *side)
{
    struct fc_trend_series *s = t->n ? &t->s[t->n - 1] : NULL;
    if (s && !strcmp(s->exercise, ex) && !strcmp(s->metric, metric) && !strcmp(s->side, side))
        return s;
    if (t->n == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        struct fc_trend_series *n = realloc(t->s, c * sizeof *n);
        if (!n)
            return NULL;
        t->s = n;
        *cap = c;
    }
    s = &t->s[t->n++];
    memset(s, 0, sizeof *s);
    snprintf(s->exercise, sizeof s->exercise, "%s", ex);
    snprintf(s->metric, sizeof s->metric, "%s", metric);
    snprintf(s->side, sizeof s->side, "%s", side);
    return s;
}

struct load {
    struct fc_trend *t;
    size_t cap;
};

/* One session of one series: exercise, metric, side, label, recorded_at,
 * mean, count and sum of squares of the rep peaks. */
static int add_row(void *ctx, int ncols, const char *const *v)
{
    struct load *l = ctx;
    if (ncols < 8)
        return FC_ERR_FORMAT;
    for (int i = 0; i < ncols; i++)
        if (!v[i])
            return 0; /* a session without a value: nothing to show */
    struct fc_trend_series *s = series_for(l->t, &l->cap, v[0], v[1], v[2]);
    struct fc_trend_point *p = s ? realloc(s->p, (s->n + 1) * sizeof *p) : NULL;
    if (!p)
        return FC_ERR_NOMEM;
    s->p = p;
    p = &s->p[s->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->session, sizeof p->session, "%s", v[3]);
    snprintf(p->recorded_at, sizeof p->recorded_at, "%s", v[4]);
    p->value = strtod(v[5], NULL);
    p->n_reps = atoi(v[6]);
    /* the session's sum of squared deviations from its mean, for the pooled
     * rep-to-rep SD: sum v^2 - n mean^2 */
    p->ss = strtod(v[7], NULL) - p->n_reps * p->value * p->value;
    return 0;
}

/* The latest session with a still, and of its recordings the worst graded. */
static const char still_sql[] =
    "SELECT st.png_base64, st.rep, st.t_s, se.label FROM patients pa"
    " JOIN sessions se ON se.patient_id = pa.id JOIN recordings rec ON rec.session_id = se.id"
    " JOIN stills st ON st.recording_id = rec.id"
    " LEFT JOIN results r ON r.recording_id = rec.id AND r.current = 1"
    " WHERE pa.code = $1 AND rec.status = 'done'"
    " ORDER BY se.recorded_at DESC, se.label DESC, coalesce(r.score, 101) ASC LIMIT 1";

static int keep_still(void *ctx, int ncols, const char *const *v)
{
    struct fc_trend *t = ctx;
    if (ncols < 4 || !v[0] || t->still_png_base64)
        return 0;
    t->still_png_base64 = strdup(v[0]);
    if (!t->still_png_base64)
        return FC_ERR_NOMEM;
    t->still_rep = v[1] ? atoi(v[1]) : 0;
    t->still_t_s = v[2] ? strtod(v[2], NULL) : NAN;
    snprintf(t->still_session, sizeof t->still_session, "%s", v[3] ? v[3] : "");
    return 0;
}

int fc_trend_load(struct fc_store *db, const char *patient, const struct fc_thresholds *th,
                  struct fc_trend *out, struct fc_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->patient, sizeof out->patient, "%s", patient);
    struct load l = {out, 0};
    const char *params[] = {patient};
    int rc = fc_store_query(db, trend_sql, 1, params, add_row, &l, err);
    if (rc < 0) {
        fc_trend_free(out);
        return err->code ? err->code : fc_error_set(err, rc, "progress: out of memory");
    }
    if (out->n == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "patient '%s' has no graded session", patient);
    rc = fc_store_query(db, still_sql, 1, params, keep_still, out, err);
    if (rc < 0) {
        fc_trend_free(out);
        return err->code ? err->code : fc_error_set(err, rc, "progress: out of memory");
    }
    for (size_t i = 0; i < out->n; i++) {
        reliability(&out->s[i], th);
        if (!out->s[i].mdc_source)
            own_repeatability(&out->s[i]);
        judge(&out->s[i]);
    }
    return 0;
}

static const char *change_word(const struct fc_trend_series *s, const struct fc_trend_point *p)
{
    if (!p->flagged)
        return "";
    if (s->direction == NOT_GRADED)
        return p->change > 0 ? "CHANGED (up)" : "CHANGED (down)";
    return p->worse ? "CHANGED: worse" : "CHANGED: better";
}

void fc_trend_text(FILE *out, const struct fc_trend *t)
{
    fprintf(out,
            "patient %s: %zu measures over sessions; a change is flagged only beyond the "
            "minimal detectable change (MDC95 = 1.96 x sqrt 2 x SEM)\n",
            t->patient, t->n);
    for (size_t i = 0; i < t->n; i++) {
        const struct fc_trend_series *s = &t->s[i];
        fprintf(out, "\n%s, %s%s%s: ", s->exercise, s->metric, s->side[0] ? ", stance " : "",
                s->side);
        if (isfinite(s->mdc95))
            fprintf(out, "MDC95 %.1f %s (SEM %.2f: %.*s)\n", s->mdc95, s->unit, s->sem,
                    s->own_df ? 400 : 120, s->mdc_source);
        else
            fprintf(out, "MDC unknown: no published reliability for this measure and too few "
                         "reps for formcheck's own (changes not judged)\n");
        for (size_t k = 0; k < s->n; k++) {
            const struct fc_trend_point *p = &s->p[k];
            fprintf(out, "  %-20s %8.1f %-4s (%d reps)", p->session, p->value, s->unit, p->n_reps);
            if (k)
                fprintf(out, "  change %+6.1f  %s", p->change, change_word(s, p));
            fputc('\n', out);
        }
    }
}

static cJSON *series_json(const struct fc_trend_series *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "exercise", s->exercise);
    cJSON_AddStringToObject(o, "metric", s->metric);
    if (s->side[0])
        cJSON_AddStringToObject(o, "side", s->side);
    else
        cJSON_AddNullToObject(o, "side");
    cJSON_AddStringToObject(o, "unit", s->unit);
    if (isfinite(s->mdc95)) {
        cJSON_AddNumberToObject(o, "sem", s->sem);
        cJSON_AddNumberToObject(o, "mdc95", s->mdc95);
        cJSON_AddStringToObject(o, "mdc_source", s->mdc_source);
        cJSON_AddStringToObject(o, "mdc_basis", s->own_df ? "own_repeatability" : "published");
        if (s->own_df)
            cJSON_AddNumberToObject(o, "own_df", s->own_df);
    } else {
        cJSON_AddNullToObject(o, "mdc95");
        cJSON_AddStringToObject(o, "mdc_source",
                                "unknown: no published reliability and too few "
                                "reps for formcheck's own repeatability");
        cJSON_AddStringToObject(o, "mdc_basis", "unknown");
    }
    cJSON *pts = cJSON_AddArrayToObject(o, "sessions");
    for (size_t k = 0; k < s->n; k++) {
        const struct fc_trend_point *p = &s->p[k];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "session", p->session);
        cJSON_AddStringToObject(j, "recorded_at", p->recorded_at);
        cJSON_AddNumberToObject(j, "value", p->value);
        cJSON_AddNumberToObject(j, "n_reps", p->n_reps);
        if (k)
            cJSON_AddNumberToObject(j, "change", p->change);
        else
            cJSON_AddNullToObject(j, "change");
        cJSON_AddBoolToObject(j, "flagged", p->flagged);
        if (p->flagged && s->direction != NOT_GRADED)
            cJSON_AddBoolToObject(j, "worse", p->worse);
        cJSON_AddItemToArray(pts, j);
    }
    return o;
}

int fc_trend_json(FILE *out, const struct fc_trend *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "patient", t->patient);
    if (t->still_png_base64) {
        cJSON *still = cJSON_AddObjectToObject(o, "worst_rep_still");
        cJSON_AddStringToObject(still, "session", t->still_session);
        cJSON_AddNumberToObject(still, "rep", t->still_rep);
        cJSON_AddNumberToObject(still, "t_s", t->still_t_s);
    }
    cJSON *arr = cJSON_AddArrayToObject(o, "series");
    for (size_t i = 0; i < t->n; i++)
        cJSON_AddItemToArray(arr, series_json(&t->s[i]));
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        return FC_ERR_NOMEM;
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    return 0;
}

/* Text for HTML: the five characters that matter escaped. */
void fc_html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* One series as an SVG line plot: sessions along x, the value up; a change
 * beyond the MDC drawn red; the MDC as an error bar on each point. */
static void plot(FILE *f, const struct fc_trend_series *s)
{
    double lo = INFINITY, hi = -INFINITY;
    double half = isfinite(s->mdc95) ? s->mdc95 / 2 : 0;
    for (size_t k = 0; k < s->n; k++) {
        lo = fmin(lo, s->p[k].value - half);
        hi = fmax(hi, s->p[k].value + half);
    }
    if (hi - lo < 1e-9) {
        lo -= 1;
        hi += 1;
    }
    double w = PLOT_W - 2 * PLOT_PAD, h = PLOT_H - 2 * PLOT_PAD;
    fprintf(f, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", PLOT_W,
            PLOT_H, PLOT_W, PLOT_H);
    fprintf(f, "<text x=\"4\" y=\"%d\" font-size=\"10\">%.1f</text>", PLOT_PAD, hi);
    fprintf(f, "<text x=\"4\" y=\"%d\" font-size=\"10\">%.1f</text>", PLOT_H - PLOT_PAD, lo);
    double px = 0, py = 0;
    for (size_t k = 0; k < s->n; k++) {
        const struct fc_trend_point *p = &s->p[k];
        double x = PLOT_PAD + (s->n > 1 ? w * (double)k / (double)(s->n - 1) : w / 2);
        double y = PLOT_PAD + h * (hi - p->value) / (hi - lo);
        if (k)
            fprintf(f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"%d\"/>",
                    px, py, x, y, p->flagged ? "#c0392b" : "#555", p->flagged ? 3 : 1);
        if (half > 0)
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#aaa\"/>", x,
                    y - h * half / (hi - lo), x, y + h * half / (hi - lo));
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#222\"/>", x, y);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">", x,
                PLOT_H - 8);
        fc_html_text(f, p->session);
        fputs("</text>\n", f);
        px = x;
        py = y;
    }
    fputs("</svg>\n", f);
}

void fc_trend_html_style(FILE *f)
{
    fputs("<style>body{font:12px sans-serif;margin:12px}"
          ".s{display:inline-block;width:48%;vertical-align:top;margin-bottom:8px}"
          "h2{font-size:12px;margin:2px 0}.flag{color:#c0392b;font-weight:bold}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
          "text-align:left}"
          "@media print{@page{size:A4;margin:10mm}}</style>\n",
          f);
}

void fc_trend_html_body(FILE *f, const struct fc_trend *t)
{
    if (t->still_png_base64) {
        fprintf(f,
                "<figure style=\"float:right;margin:0 0 8px 12px\"><img alt=\"worst rep\" "
                "src=\"data:image/png;base64,%s\"><figcaption>The worst rep of session ",
                t->still_png_base64);
        fc_html_text(f, t->still_session);
        fprintf(f, " (rep %d, at %.1f s), face pixelated</figcaption></figure>\n", t->still_rep + 1,
                t->still_t_s);
    }
    fputs("<p>Each measure is the mean of the session's rep peaks. A change "
          "between sessions is flagged (red) only when it exceeds the minimal detectable "
          "change, MDC95 = 1.96 &times; &radic;2 &times; SEM, from the method's published "
          "reliability; the grey bars span one MDC95. A grade of movement quality, not a "
          "diagnosis.</p>\n",
          f);
    for (size_t i = 0; i < t->n; i++) {
        const struct fc_trend_series *s = &t->s[i];
        fputs("<div class=\"s\"><h2>", f);
        fc_html_text(f, s->exercise);
        fputs(": ", f);
        fc_html_text(f, s->metric);
        if (s->side[0]) {
            fputs(", stance ", f);
            fc_html_text(f, s->side);
        }
        fputs("</h2>\n", f);
        plot(f, s);
        if (isfinite(s->mdc95)) {
            fprintf(f, "<div>MDC95 %.1f %s (SEM %.2f). ", s->mdc95, s->unit, s->sem);
            fc_html_text(f, s->mdc_source);
            fputs("</div>", f);
        } else {
            fputs("<div>MDC unknown: no published reliability for this measure and too few "
                  "reps for formcheck's own; changes are not judged.</div>",
                  f);
        }
        for (size_t k = 1; k < s->n; k++)
            if (s->p[k].flagged) {
                fputs("<div class=\"flag\">", f);
                fc_html_text(f, s->p[k].session);
                fprintf(f, ": %+.1f %s, %s</div>", s->p[k].change, s->unit,
                        change_word(s, &s->p[k]));
            }
        fputs("</div>\n", f);
    }
}

int fc_trend_html(const char *path, const struct fc_trend *t, struct fc_error *err)
{
    struct fc_outfile o;
    if (fc_outfile_open(&o, path, err) < 0)
        return err->code;
    FILE *f = o.fp;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", f);
    fc_html_text(f, t->patient);
    fputs(" - formcheck progress</title>\n", f);
    fc_trend_html_style(f);
    fputs("</head><body>\n<h1>", f);
    fc_html_text(f, t->patient);
    fputs(": progress</h1>\n", f);
    fc_trend_html_body(f, t);
    fputs("</body></html>\n", f);
    return fc_outfile_commit(&o, err);
}
