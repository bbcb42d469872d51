/* formcheck batch: the results database on PostgreSQL (libpq), for workers
 * on many machines sharing one queue. Internal to batch/store.c, which
 * hands each fc_store_* call here when the database is a postgresql:// URI.
 *
 * The same tables as SQLite (batch/store.h). What differs is the queue:
 *   - claim: any pending recording, or a running one whose lease has run
 *     out (its worker died with its machine), locked with SELECT ... FOR
 *     UPDATE SKIP LOCKED so that two workers never take the same row, and
 *     leased to the claimer for lease_s seconds;
 *   - finish and fail write only while the row is still the worker's own;
 *     a worker whose lease ran out and whose recording was taken again
 *     writes nothing (exactly once);
 *   - while other workers hold leases, a worker with nothing to claim
 *     waits (FC_STORE_WAIT) rather than leaving, so that a lease that runs
 *     out is taken again by the workers still alive.
 * Progress and the static site read through fc_pg_query, regrade through
 * fc_pg_keypoints and fc_pg_add_regrade. */
#ifndef FC_BATCH_STORE_PG_H
#define FC_BATCH_STORE_PG_H

#include "batch/store.h"

struct fc_store_pg;

int fc_pg_is_uri(const char *path);
int fc_pg_open(struct fc_store_pg **out, const char *uri, struct fc_error *err);
void fc_pg_close(struct fc_store_pg *s);
int fc_pg_exec(struct fc_store_pg *s, const char *sql, struct fc_error *err);
int fc_pg_lookup(struct fc_store_pg *s, const char *path, struct fc_store_previous *prev,
                 struct fc_error *err);
int fc_pg_run_start(struct fc_store_pg *s, const char *source, const char *version, const char *thr,
                    const char *shard, int64_t *run_id, struct fc_error *err);
int fc_pg_run_finish(struct fc_store_pg *s, int64_t run_id, const char *summary,
                     struct fc_error *err);
int fc_pg_enqueue(struct fc_store_pg *s, int64_t run_id, const struct fc_manifest_entry *e,
                  const char *sha256, long long size_bytes, const char *failed,
                  struct fc_error *err);
int fc_pg_claim(struct fc_store_pg *s, int64_t run_id, const char *worker, double lease_s,
                struct fc_store_claim *c, struct fc_error *err);
int fc_pg_finish(struct fc_store_pg *s, const struct fc_store_claim *c, const char *worker,
                 const char *version, const char *thr, const struct fc_job_output *o,
                 struct fc_error *err);
int fc_pg_renew(struct fc_store_pg *s, int64_t id, const char *worker, double lease_s,
                struct fc_error *err);
int fc_pg_fail(struct fc_store_pg *s, int64_t id, const char *worker, const char *message,
               struct fc_error *err);
int fc_pg_fail_worker(struct fc_store_pg *s, const char *worker, const char *message, int64_t *id,
                      struct fc_error *err);
int fc_pg_query(struct fc_store_pg *s, const char *sql, int n_params, const char *const *params,
                fc_store_row_fn row, void *ctx, struct fc_error *err);
int fc_pg_keypoints(struct fc_store_pg *s, int64_t recording_id, struct fc_stored_keypoints *k,
                    struct fc_error *err);
int fc_pg_add_regrade(struct fc_store_pg *s, int64_t recording_id, const char *sha256,
                      const char *version, const char *thr, const char *report_json,
                      struct fc_error *err);
/* store.c's reading of stored names into k's enums. */
void fc_store_stored_names(struct fc_stored_keypoints *k, const char *exercise, const char *view,
                           const char *format);
int fc_pg_run_counts(struct fc_store_pg *s, int64_t run_id, int *done, int *failed,
                     struct fc_error *err);

#endif
