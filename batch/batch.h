/* formcheck batch: every recording of a manifest or folder, unattended.
 *
 * The plan: each recording of the manifest (batch/manifest.h) in this
 * shard's share is hashed (batch/digest.h) and looked up in the database
 * (batch/store.h): done with the same input, formcheck version and
 * thresholds -> skipped; failed before -> skipped unless retry_failed;
 * anything else -> queued. A dry run prints the plan and stops.
 *
 * The work: `jobs` worker processes, each with its own database
 * connection, claim queued recordings one at a time and run them through
 * the analyze path in-process (batch/job.h). Workers are processes, not
 * threads, for crash isolation: a recording that crashes the decoder or the
 * pose model kills its worker only; the supervisor records that recording
 * as failed ("worker died of signal 11 ...") and starts another worker. A
 * process per worker, not per recording, keeps the model and the database
 * connection open across recordings. Workers die with the supervisor
 * (PR_SET_PDEATHSIG), and a lock file beside the database (flock) keeps a
 * second batch off the same database while any of them lives; the next run
 * puts recordings a killed run left running back in the queue.
 *
 *     struct fc_batch_params p = fc_batch_default_params();
 *     p.source = "clinic.csv";  p.jobs = 2;
 *     struct fc_batch_summary sum;
 *     if (fc_batch_run(&p, &sum, &err) < 0) ... err.msg ...;
 *     exit(sum.failed + sum.skipped_failed ? 1 : 0);
 */
#ifndef FC_BATCH_BATCH_H
#define FC_BATCH_BATCH_H

#include <stdio.h>

#include "core/error.h"

struct fc_batch_params {
    const char *source;     /* manifest CSV or folder */
    const char *db_path;    /* NULL: OUT/formcheck.db (a shard: OUT/formcheck-shard-I-of-N.db) */
    const char *out_dir;    /* reports: OUT/PATIENT/SESSION/r<ID>-<NAME>.{json,csv,html} */
    const char *thresholds; /* NULL: the built-in table */
    int jobs;               /* worker processes (>= 1) */
    int shard_index, shard_count; /* this process's share: the patients whose code's SHA-256
                                     (first 64 bits) % count == index */
    int retry_failed;
    int dry_run;
    double lease_s; /* a shared (PostgreSQL) queue: how long a claim lasts */
    FILE *progress; /* a progress bar (a terminal); NULL: quiet */
    FILE *plan;     /* the dry run's plan, one line a recording */
};

struct fc_batch_params fc_batch_default_params(void);

struct fc_batch_summary {
    int listed;         /* recordings in the manifest */
    int in_shard;       /* of them, this shard's */
    int queued;         /* to process in this run */
    int skipped_done;   /* done before with the same input, version and thresholds */
    int skipped_failed; /* failed before, not retried */
    int done, failed;   /* of the queued, at the end of this run */
    int worker_deaths;  /* workers that died (their recording counted failed) */
    double seconds;
    /* summed over workers: in the analyze path (decode, pose, analysis,
     * reports) and in the database (claim, result, keypoints, commit) */
    double analysis_seconds, database_seconds;
    char db_path[4096];
    int output_error; /* fc_batch_run failed on the database or output folder, not the input */
};

/* 0 when the batch ran (some recordings may have failed: see the summary),
 * < 0 when it could not (bad manifest, database, another batch running). */
int fc_batch_run(const struct fc_batch_params *p, struct fc_batch_summary *sum,
                 struct fc_error *err);

/* The summary as one line of JSON (caller frees). */
char *fc_batch_summary_json(const struct fc_batch_summary *sum);

/* formcheck regrade: every done recording whose current grade is not under
 * these thresholds and this version graded again from its stored keypoints
 * (no video needed); each new grade becomes the current one and the earlier
 * ones stay as the history. */
struct fc_regrade_summary {
    int graded, failed;
};
int fc_batch_regrade(const char *db_path, const char *thresholds, struct fc_regrade_summary *sum,
                     struct fc_error *err);

/* SHA-256 of the thresholds in use: the file's bytes, or the built-in table's. */
int fc_batch_thresholds_sha256(const char *path, char hex[65], struct fc_error *err);

#endif
