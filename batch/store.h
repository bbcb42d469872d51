/* formcheck batch: the results database (SQLite).
 *
 * Tables (docs/batch.md has every column):
 *   runs        one row per `formcheck batch` run: source, host, pid, version,
 *               thresholds' SHA-256, shard, the summary at its end
 *   patients    code
 *   sessions    patient, label, recorded_at
 *   recordings  path, input SHA-256, size, exercise, view, notes, metadata,
 *               status (pending, running, done, failed), error, attempts,
 *               worker, lease, times, the version and thresholds it was done with
 *   results     a grade of a recording: kind (analysis or regrade), score,
 *               band, reps, findings, the report JSON, version and thresholds'
 *               SHA-256; `current` marks the latest, older ones are the history
 *   rep_peaks   per result, rep and metric: the peak, its uncertainty, side, time
 *   keypoints   per recording, the keypoints zlib-compressed (batch/job.h)
 *
 * Exactly once: a worker claims a pending recording in one statement
 * (status running, its name, attempts + 1) and finishes it in one
 * transaction that writes the result, the keypoints and status done only if
 * the recording is still its own. WAL journal: a reader never waits for the
 * writer, and a kill -9 at any moment leaves the last committed state.
 *
 *     struct fc_store *db;
 *     if (fc_store_open(&db, "batch-out/formcheck.db", 0, &err) < 0) ...;
 *     struct fc_store_claim c;
 *     while (fc_store_claim(db, run_id, "host:123", &c, &err) == 1) {
 *         ... fc_job_run ... fc_store_finish(db, &c, ..., &out, &err) or fc_store_fail(...)
 *     }
 *     fc_store_close(db);
 */
#ifndef FC_BATCH_STORE_H
#define FC_BATCH_STORE_H

#include <stdint.h>

#include "batch/digest.h"
#include "batch/job.h"
#include "batch/manifest.h"
#include "core/error.h"

struct fc_store;

/* path: a SQLite file, or a postgresql:// URI (libpq) for a queue shared by
 * workers on many machines (batch/store_pg.h).
 * flags: FC_STORE_READONLY opens an existing database without writing
 * (a dry run, progress); otherwise it is created with its schema. */
enum { FC_STORE_READONLY = 1 };
int fc_store_open(struct fc_store **out, const char *path, int flags, struct fc_error *err);
void fc_store_close(struct fc_store *s);
/* 1 for a database shared by machines (PostgreSQL): no lock file, leases. */
int fc_store_shared(const struct fc_store *s);
/* How long a claim holds its recording before others may take it. */
void fc_store_set_lease(struct fc_store *s, double seconds);

/* Write transactions (BEGIN IMMEDIATE: the write lock is taken at once, so
 * that two writers wait for each other rather than fail). */
int fc_store_begin(struct fc_store *s, struct fc_error *err);
int fc_store_commit(struct fc_store *s, struct fc_error *err);
void fc_store_rollback(struct fc_store *s);

/* What the database knows of a recording path, for the plan. */
struct fc_store_previous {
    int found;
    int64_t id;
    char status[16];
    char sha256[FC_SHA256_HEX];
    char version[32];
    char thresholds[FC_SHA256_HEX];
    char error[FC_ERROR_MSG_MAX];
};
int fc_store_lookup(struct fc_store *s, const char *path, struct fc_store_previous *prev,
                    struct fc_error *err);

/* A new run; *run_id gets its id. */
int fc_store_run_start(struct fc_store *s, const char *source, const char *version,
                       const char *thresholds_sha256, const char *shard, int64_t *run_id,
                       struct fc_error *err);
int fc_store_run_finish(struct fc_store *s, int64_t run_id, const char *summary_json,
                        struct fc_error *err);

/* Puts an entry in run_id's queue (pending), creating its patient and
 * session, or records it as failed with message when failed is not NULL
 * (an input that cannot even be read). */
int fc_store_enqueue(struct fc_store *s, int64_t run_id, const struct fc_manifest_entry *e,
                     const char *sha256, long long size_bytes, const char *failed,
                     struct fc_error *err);
/* Recordings left running by a run that is gone: pending again. *n gets
 * how many. The caller holds the database's run lock (no run is alive). */
int fc_store_reset_running(struct fc_store *s, int *n, struct fc_error *err);

struct fc_store_claim {
    int64_t id;
    char path[4096];
    char patient[256], session[256];
    char sha256[FC_SHA256_HEX];
    enum fc_exercise exercise;
    enum fc_view view;
};
/* fc_store_claim: nothing free now, but other workers hold leases that may
 * run out (a shared PostgreSQL queue); ask again in a moment. */
#define FC_STORE_WAIT 2
/* 1 claimed, 0 nothing pending in the run, FC_STORE_WAIT, < 0 error. On
 * SQLite the run's own queue; on PostgreSQL any pending recording or one
 * whose lease ran out, leased to worker (fc_store_set_lease). */
int fc_store_claim(struct fc_store *s, int64_t run_id, const char *worker, struct fc_store_claim *c,
                   struct fc_error *err);
/* The result of a claimed recording, in one transaction. FC_ERR_ARG when
 * the recording is no longer this worker's (nothing is written). */
int fc_store_finish(struct fc_store *s, const struct fc_store_claim *c, const char *worker,
                    const char *version, const char *thresholds_sha256,
                    const struct fc_job_output *o, struct fc_error *err);
/* A shared queue: extends the claim's lease by the lease from now, while the
 * recording is still worker's (batch/heartbeat.h). SQLite: nothing to do. */
int fc_store_renew(struct fc_store *s, int64_t id, const char *worker, struct fc_error *err);
int fc_store_fail(struct fc_store *s, int64_t id, const char *worker, const char *message,
                  struct fc_error *err);
/* The recording a dead worker held, failed with message; *id gets it (0: none). */
int fc_store_fail_worker(struct fc_store *s, const char *worker, const char *message, int64_t *id,
                         struct fc_error *err);

/* How many of run_id's recordings are done and failed. */
int fc_store_run_counts(struct fc_store *s, int64_t run_id, int *done, int *failed,
                        struct fc_error *err);

/* A result of kind "regrade" for a recording, made current; the earlier ones
 * stay as its history. */
int fc_store_add_regrade(struct fc_store *s, int64_t recording_id, const char *sha256,
                         const char *version, const char *thresholds_sha256,
                         const char *report_json, struct fc_error *err);

/* A done recording's stored keypoints and what grading them needs. */
struct fc_stored_keypoints {
    char path[4096];
    char sha256[FC_SHA256_HEX];
    enum fc_exercise exercise;
    enum fc_view view;
    int format; /* enum fc_keypoints_format; -1 unknown */
    size_t raw_len, len;
    unsigned char *data; /* zlib; caller frees */
};
int fc_store_keypoints(struct fc_store *s, int64_t recording_id, struct fc_stored_keypoints *k,
                       struct fc_error *err);

/* A row of fc_store_query: ncols values as text (NULL for SQL NULL). Return
 * 0 to go on; a negative value stops the query and is returned. */
typedef int (*fc_store_row_fn)(void *ctx, int ncols, const char *const *values);
/* A read-only query on either database: parameters $1, $2, ... bound as
 * text, in SQL that SQLite and PostgreSQL both read. */
#define FC_STORE_MAX_COLUMNS 16
int fc_store_query(struct fc_store *s, const char *sql, int n_params, const char *const *params,
                   fc_store_row_fn row, void *ctx, struct fc_error *err);

/* The underlying SQLite handle (NULL on PostgreSQL). */
struct sqlite3 *fc_store_db(struct fc_store *s);

#endif
