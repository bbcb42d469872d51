/* formcheck regrade (batch.h): stored keypoints graded again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch.h"
#include "batch/job.h"
#include "batch/store.h"
#include "report/thresholds.h"

/* The recordings to grade again: done, with keypoints, whose current grade
 * has other thresholds or another version. */
static const char todo_sql[] =
    "SELECT rec.id FROM recordings rec JOIN keypoints k ON k.recording_id = rec.id"
    " WHERE rec.status = 'done' AND NOT EXISTS (SELECT 1 FROM results r"
    " WHERE r.recording_id = rec.id AND r.current = 1 AND r.thresholds_sha256 = $1"
    " AND r.formcheck_version = $2) ORDER BY rec.id";

struct ids {
    int64_t *id;
    size_t n, cap;
};

static int keep_id(void *ctx, int ncols, const char *const *v)
{
    struct ids *l = ctx;
    if (ncols < 1 || !v[0])
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        int64_t *m = realloc(l->id, cap * sizeof *m);
        if (!m)
            return FC_ERR_NOMEM;
        l->id = m;
        l->cap = cap;
    }
    l->id[l->n++] = strtoll(v[0], NULL, 10);
    return 0;
}

/* One recording graded again; 1 graded, 0 failed (message in jerr), < 0 a
 * database error. */
static int regrade_one(struct fc_store *db, int64_t id, const struct fc_thresholds *th,
                       const char *th_path, const char *thr, struct fc_error *jerr,
                       struct fc_error *err)
{
    struct fc_stored_keypoints k;
    if (fc_store_keypoints(db, id, &k, err) < 0)
        return err->code;
    struct fc_job job = fc_job_default(k.path);
    job.exercise = k.exercise;
    job.view = k.view;
    job.thresholds = th;
    job.thresholds_path = th_path;
    struct fc_job_output out;
    int rc = k.format < 0 ? fc_error_set(jerr, FC_ERR_FORMAT,
                                         "%s: stored keypoints in an unknown format", k.path)
                          : fc_job_regrade(&job, k.data, k.len, k.raw_len,
                                           (enum fc_keypoints_format)k.format, &out, jerr);
    free(k.data);
    if (rc < 0)
        return 0;
    rc = fc_store_add_regrade(db, id, k.sha256, FC_VERSION, thr, out.report_json, err);
    fc_job_output_free(&out);
    return rc < 0 ? rc : 1;
}

int fc_batch_regrade(const char *db_path, const char *thresholds, struct fc_regrade_summary *sum,
                     struct fc_error *err)
{
    memset(sum, 0, sizeof *sum);
    struct fc_thresholds th = {0};
    struct fc_store *db = NULL;
    struct ids todo = {0};
    char thr[FC_SHA256_HEX];
    int rc = fc_thresholds_load(thresholds, &th, err);
    if (rc == 0)
        rc = fc_batch_thresholds_sha256(thresholds, thr, err);
    if (rc == 0)
        rc = fc_store_open(&db, db_path, 0, err);
    if (rc == 0) {
        const char *params[] = {thr, FC_VERSION};
        rc = fc_store_query(db, todo_sql, 2, params, keep_id, &todo, err);
        if (rc < 0 && !err->code)
            rc = fc_error_set(err, rc, "regrade: out of memory");
    }
    for (size_t i = 0; rc == 0 && i < todo.n; i++) {
        struct fc_error jerr = {0};
        int got = regrade_one(db, todo.id[i], &th, thresholds, thr, &jerr, err);
        if (got < 0)
            rc = got;
        else if (got)
            sum->graded++;
        else {
            sum->failed++;
            fprintf(stderr, "formcheck regrade: %s\n", jerr.msg);
        }
    }
    free(todo.id);
    fc_store_close(db);
    fc_thresholds_free(&th);
    return rc;
}
