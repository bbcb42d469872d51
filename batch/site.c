#include "batch/site.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/store.h"
#include "batch/trend.h"
#include "core/outfile.h"
#include "report/thresholds.h"

/* Sessions in date order with their recordings' mean current score. */
static const char sessions_sql[] =
    "SELECT se.id, se.label, se.recorded_at, count(DISTINCT rec.id), avg(r.score),"
    " sum(CASE WHEN rec.status = 'failed' THEN 1 ELSE 0 END)"
    " FROM sessions se JOIN recordings rec ON rec.session_id = se.id"
    " LEFT JOIN results r ON r.recording_id = rec.id AND r.current = 1"
    " WHERE se.patient_id = $1 GROUP BY se.id ORDER BY se.recorded_at, se.label";

static const char recordings_sql[] =
    "SELECT rec.path, rec.exercise, rec.status, coalesce(rec.error, ''), r.score,"
    " coalesce(r.band, ''), coalesce(r.n_reps, 0), coalesce(r.findings, '[]'),"
    " coalesce(r.kind, '') FROM recordings rec"
    " LEFT JOIN results r ON r.recording_id = rec.id AND r.current = 1"
    " WHERE rec.session_id = $1 ORDER BY rec.path";

struct site {
    struct fc_store *store;
    struct fc_thresholds th;
    const char *dir;
    int pages;
};

/* A query's rows held in memory (NULL cells as NULL), so that a page can
 * run queries of its own while it walks them. */
struct rows {
    int n, ncols;
    char **cell; /* n * ncols */
};

static int keep_row(void *ctx, int ncols, const char *const *v)
{
    struct rows *r = ctx;
    char **c = realloc(r->cell, (size_t)(r->n + 1) * (size_t)ncols * sizeof *c);
    if (!c)
        return FC_ERR_NOMEM;
    r->cell = c;
    r->ncols = ncols;
    for (int i = 0; i < ncols; i++)
        c[r->n * ncols + i] = v[i] ? strdup(v[i]) : NULL;
    r->n++;
    return 0;
}

static void rows_free(struct rows *r)
{
    for (int i = 0; i < r->n * r->ncols; i++)
        free(r->cell[i]);
    free(r->cell);
    memset(r, 0, sizeof *r);
}

static int fetch(struct site *s, const char *sql, const char *param, struct rows *r,
                 struct fc_error *err)
{
    memset(r, 0, sizeof *r);
    const char *params[] = {param};
    int rc = fc_store_query(s->store, sql, param ? 1 : 0, params, keep_row, r, err);
    if (rc < 0) {
        rows_free(r);
        return err->code ? err->code : fc_error_set(err, rc, "site: out of memory");
    }
    return 0;
}

/* A value of a row, "" for NULL. */
static const char *text(const char *const *v, int i)
{
    return v[i] ? v[i] : "";
}

static FILE *page_open(struct site *s, struct fc_outfile *o, const char *name, const char *title,
                       struct fc_error *err)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", s->dir, name);
    if (fc_outfile_open(o, path, err) < 0)
        return NULL;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", o->fp);
    fc_html_text(o->fp, title);
    fputs(" - formcheck</title>\n", o->fp);
    fc_trend_html_style(o->fp);
    fputs("</head><body>\n", o->fp);
    return o->fp;
}

static int page_close(struct site *s, struct fc_outfile *o, struct fc_error *err)
{
    fputs("</body></html>\n", o->fp);
    s->pages++;
    return fc_outfile_commit(o, err);
}

static void score_cell(FILE *f, const char *v)
{
    if (!v)
        fputs("<td>-</td>", f);
    else
        fprintf(f, "<td>%.0f</td>", strtod(v, NULL));
}

/* The findings' messages, from the report's findings array. */
static void findings_cell(FILE *f, const char *json)
{
    cJSON *arr = cJSON_Parse(json);
    const cJSON *x;
    fputs("<td>", f);
    cJSON_ArrayForEach(x, arr)
    {
        const cJSON *m = cJSON_GetObjectItem(x, "message");
        if (cJSON_IsString(m)) {
            fputs("<div>", f);
            fc_html_text(f, m->valuestring);
            fputs("</div>", f);
        }
    }
    fputs("</td>", f);
    cJSON_Delete(arr);
}

/* A recording's row: path, exercise, status, error, score, band, reps,
 * findings, kind. */
static int recording_row(void *ctx, int ncols, const char *const *v)
{
    FILE *f = ctx;
    if (ncols < 9)
        return FC_ERR_FORMAT;
    const char *path = text(v, 0), *base = strrchr(path, '/');
    fputs("<tr><td>", f);
    fc_html_text(f, base ? base + 1 : path);
    fputs("</td><td>", f);
    fc_html_text(f, text(v, 1));
    fputs("</td><td>", f);
    fc_html_text(f, text(v, 2));
    fputs("</td>", f);
    score_cell(f, v[4]);
    fputs("<td>", f);
    fc_html_text(f, text(v, 5));
    fprintf(f, "</td><td>%d</td>", atoi(text(v, 6)));
    if (strcmp(text(v, 2), "failed") == 0) {
        fputs("<td class=\"flag\">", f);
        fc_html_text(f, text(v, 3));
        fputs("</td>", f);
    } else {
        findings_cell(f, text(v, 7));
    }
    fputs("</tr>\n", f);
    return 0;
}

static int session_page(struct site *s, long long id, const char *label, long long patient_id,
                        const char *patient, struct fc_error *err)
{
    char name[64], title[512];
    snprintf(name, sizeof name, "session-%lld.html", id);
    snprintf(title, sizeof title, "%s, %s", patient, label);
    struct fc_outfile o;
    FILE *f = page_open(s, &o, name, title, err);
    if (!f)
        return err->code;
    fprintf(f, "<p><a href=\"index.html\">patients</a> &gt; <a href=\"patient-%lld.html\">",
            patient_id);
    fc_html_text(f, patient);
    fputs("</a></p>\n<h1>", f);
    fc_html_text(f, title);
    fputs("</h1>\n<table><tr><th>recording</th><th>exercise</th><th>status</th><th>score</th>"
          "<th>band</th><th>reps</th><th>findings, or why it failed</th></tr>\n",
          f);
    char id_text[32];
    snprintf(id_text, sizeof id_text, "%lld", id);
    const char *params[] = {id_text};
    if (fc_store_query(s->store, recordings_sql, 1, params, recording_row, f, err) < 0) {
        fc_outfile_abort(&o);
        return err->code ? err->code : FC_ERR_IO;
    }
    fputs("</table>\n", f);
    return page_close(s, &o, err);
}

/* A patient's page and its sessions' pages; *last_* get the latest session
 * and the change in mean score from the one before (NaN when none). */
static int patient_pages(struct site *s, long long id, const char *code, char *last,
                         size_t last_len, double *last_score, double *change, int *n_sessions,
                         struct fc_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "patient-%lld.html", id);
    struct fc_outfile o;
    FILE *f = page_open(s, &o, name, code, err);
    if (!f)
        return err->code;
    fputs("<p><a href=\"index.html\">patients</a></p>\n<h1>", f);
    fc_html_text(f, code);
    fputs("</h1>\n<table><tr><th>session</th><th>recorded</th><th>recordings</th>"
          "<th>failed</th><th>mean score</th></tr>\n",
          f);
    char id_text[32];
    snprintf(id_text, sizeof id_text, "%lld", id);
    struct rows r;
    if (fetch(s, sessions_sql, id_text, &r, err) < 0) {
        fc_outfile_abort(&o);
        return err->code;
    }
    double prev = NAN;
    *last_score = *change = NAN;
    *n_sessions = 0;
    int rc = 0;
    for (int i = 0; rc == 0 && i < r.n; i++) {
        const char *const *v = (const char *const *)&r.cell[i * r.ncols];
        long long sid = strtoll(text(v, 0), NULL, 10);
        const char *label = text(v, 1);
        double score = v[4] ? strtod(v[4], NULL) : NAN;
        fprintf(f, "<tr><td><a href=\"session-%lld.html\">", sid);
        fc_html_text(f, label);
        fputs("</a></td><td>", f);
        fc_html_text(f, text(v, 2));
        fprintf(f, "</td><td>%d</td><td>%d</td>", atoi(text(v, 3)), atoi(text(v, 5)));
        score_cell(f, v[4]);
        fputs("</tr>\n", f);
        snprintf(last, last_len, "%s", label);
        *change = isfinite(score) && isfinite(prev) ? score - prev : NAN;
        *last_score = score;
        prev = isfinite(score) ? score : prev;
        (*n_sessions)++;
        rc = session_page(s, sid, label, id, code, err);
    }
    rows_free(&r);
    fputs("</table>\n", f);
    struct fc_trend t;
    struct fc_error terr = {0};
    if (rc == 0 && fc_trend_load(s->store, code, &s->th, &t, &terr) == 0) {
        fc_trend_html_body(f, &t);
        fc_trend_free(&t);
    } else if (rc == 0) {
        fputs("<p>No graded session yet.</p>\n", f);
    }
    if (rc < 0) {
        fc_outfile_abort(&o);
        return rc;
    }
    return page_close(s, &o, err);
}

static int index_page(struct site *s, struct fc_error *err)
{
    struct fc_outfile o;
    FILE *f = page_open(s, &o, "index.html", "patients", err);
    if (!f)
        return err->code;
    fputs("<h1>Patients</h1>\n<table><tr><th>patient</th><th>sessions</th><th>last session</th>"
          "<th>its mean score</th><th>change from the session before</th></tr>\n",
          f);
    struct rows r;
    if (fetch(s, "SELECT id, code FROM patients ORDER BY code", NULL, &r, err) < 0) {
        fc_outfile_abort(&o);
        return err->code;
    }
    int rc = 0;
    for (int i = 0; rc == 0 && i < r.n; i++) {
        const char *const *v = (const char *const *)&r.cell[i * r.ncols];
        long long id = strtoll(text(v, 0), NULL, 10);
        const char *code = text(v, 1);
        char last[128] = "";
        double score = NAN, change = NAN;
        int n = 0;
        rc = patient_pages(s, id, code, last, sizeof last, &score, &change, &n, err);
        fprintf(f, "<tr><td><a href=\"patient-%lld.html\">", id);
        fc_html_text(f, code);
        fprintf(f, "</a></td><td>%d</td><td>", n);
        fc_html_text(f, last);
        if (isfinite(score))
            fprintf(f, "</td><td>%.0f</td>", score);
        else
            fputs("</td><td>-</td>", f);
        if (isfinite(change))
            fprintf(f, "<td>%+.0f</td></tr>\n", change);
        else
            fputs("<td>-</td></tr>\n", f);
    }
    rows_free(&r);
    fputs("</table>\n<p>Scores grade movement quality, not a diagnosis; each patient's page "
          "judges each measure's change against its minimal detectable change.</p>\n",
          f);
    if (rc < 0) {
        fc_outfile_abort(&o);
        return rc;
    }
    return page_close(s, &o, err);
}

int fc_site_write(const char *db_path, const char *thresholds, const char *dir, int *pages,
                  struct fc_error *err)
{
    struct site s = {.dir = dir};
    *pages = 0;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot create the folder: %s", dir,
                            strerror(errno));
    int rc = fc_thresholds_load(thresholds, &s.th, err);
    if (rc == 0)
        rc = fc_store_open(&s.store, db_path, FC_STORE_READONLY, err);
    if (rc == 0)
        rc = index_page(&s, err);
    *pages = s.pages;
    fc_store_close(s.store);
    fc_thresholds_free(&s.th);
    return rc;
}
