/* formcheck regrade (batch.h): stored keypoints graded again. */
#include <sqlite3.h>
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
    " WHERE r.recording_id = rec.id AND r.current = 1 AND r.thresholds_sha256 = ?1"
    " AND r.formcheck_version = ?2) ORDER BY rec.id";

static const char one_sql[] =
    "SELECT rec.path, rec.exercise, rec.view, k.input_sha256, k.format, k.raw_bytes, k.data"
    " FROM recordings rec JOIN keypoints k ON k.recording_id = rec.id WHERE rec.id = ?1";

static int list_todo(struct fc_store *db, const char *thr, int64_t **ids, size_t *n,
                     struct fc_error *err)
{
    sqlite3 *h = fc_store_db(db);
    sqlite3_stmt *st;
    *ids = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(h, todo_sql, -1, &st, NULL) != SQLITE_OK)
        return fc_error_set(err, FC_ERR_IO, "regrade: %s", sqlite3_errmsg(h));
    sqlite3_bind_text(st, 1, thr, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, FC_VERSION, -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            int64_t *m = realloc(*ids, cap * sizeof *m);
            if (!m) {
                rc = SQLITE_NOMEM;
                break;
            }
            *ids = m;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fc_error_set(err, FC_ERR_IO, "regrade: %s", sqlite3_errstr(rc));
}

/* One recording graded again; 1 graded, 0 failed (message in jerr), < 0 a database error. */
static int regrade_one(struct fc_store *db, int64_t id, const struct fc_thresholds *th,
                       const char *thr, struct fc_error *jerr, struct fc_error *err)
{
    sqlite3 *h = fc_store_db(db);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, one_sql, -1, &st, NULL) != SQLITE_OK)
        return fc_error_set(err, FC_ERR_IO, "regrade: %s", sqlite3_errmsg(h));
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return fc_error_set(err, FC_ERR_IO, "regrade: recording %lld vanished", (long long)id);
    }
    char path[4096], sha[FC_SHA256_HEX];
    snprintf(path, sizeof path, "%s", (const char *)sqlite3_column_text(st, 0));
    int ex = fc_exercise_from_name((const char *)sqlite3_column_text(st, 1));
    int view = fc_view_from_name((const char *)sqlite3_column_text(st, 2));
    snprintf(sha, sizeof sha, "%s", (const char *)sqlite3_column_text(st, 3));
    int format = fc_keypoints_format_from_name((const char *)sqlite3_column_text(st, 4));
    size_t raw = (size_t)sqlite3_column_int64(st, 5);
    const unsigned char *data = sqlite3_column_blob(st, 6);
    size_t len = (size_t)sqlite3_column_bytes(st, 6);
    struct fc_job job = fc_job_default(path);
    job.exercise = ex < 0 ? FC_EXERCISE_AUTO : (enum fc_exercise)ex;
    job.view = view < 0 ? FC_VIEW_AUTO : (enum fc_view)view;
    job.thresholds = th;
    struct fc_job_output out;
    int rc = format < 0 ? fc_error_set(jerr, FC_ERR_FORMAT,
                                       "%s: stored keypoints in an unknown "
                                       "format",
                                       path)
                        : fc_job_regrade(&job, data, len, raw, (enum fc_keypoints_format)format,
                                         &out, jerr);
    sqlite3_finalize(st);
    if (rc < 0)
        return 0;
    rc = fc_store_add_regrade(db, id, sha, FC_VERSION, thr, out.report_json, err);
    fc_job_output_free(&out);
    return rc < 0 ? rc : 1;
}

int fc_batch_regrade(const char *db_path, const char *thresholds, struct fc_regrade_summary *sum,
                     struct fc_error *err)
{
    memset(sum, 0, sizeof *sum);
    struct fc_thresholds th = {0};
    struct fc_store *db = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    char thr[FC_SHA256_HEX];
    int rc = fc_thresholds_load(thresholds, &th, err);
    if (rc == 0)
        rc = fc_batch_thresholds_sha256(thresholds, thr, err);
    if (rc == 0)
        rc = fc_store_open(&db, db_path, 0, err);
    if (rc == 0 && !fc_store_db(db))
        rc = fc_error_set(err, FC_ERR_UNSUPPORTED,
                          "%s: regrade reads SQLite databases only for now", db_path);
    if (rc == 0)
        rc = list_todo(db, thr, &ids, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct fc_error jerr = {0};
        int got = regrade_one(db, ids[i], &th, thr, &jerr, err);
        if (got < 0)
            rc = got;
        else if (got)
            sum->graded++;
        else {
            sum->failed++;
            fprintf(stderr, "formcheck regrade: %s\n", jerr.msg);
        }
    }
    free(ids);
    fc_store_close(db);
    fc_thresholds_free(&th);
    return rc;
}
