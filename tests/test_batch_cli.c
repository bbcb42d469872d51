/* formcheck batch end to end, on synthetic keypoint sessions and broken
 * files the tests make: every good recording done, every bad one failed with
 * its message, reruns skipping what is done, and kill -9 of the batch at
 * random moments leaving a database in which, after a resume, every
 * recording is done exactly once. The database is read with SQLite's own
 * API, not with formcheck's code. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/testutil.h"

/* Kill the batch this many times (the issue asks for at least 20). */
#define KILL_ROUNDS 24
/* Rounds tried at most for those kills: a round whose batch finished
 * before its kill (little left to do) is tried again. */
#define KILL_MAX_TRIES 200
/* Recordings in the kill test: enough that most kills land mid-batch. */
#define KILL_RECORDINGS 120

static char work[256];

static void setup(void)
{
    fc_test_mkdtemp(work, sizeof work);
}

static void teardown(void)
{
    fc_test_rmtree(work);
}

TestSuite(batch_cli, .init = setup, .fini = teardown);

/* formcheck synth --out path --reps 3 plus extra arguments. */
static void synth(const char *path, const char *extra1, const char *extra2)
{
    char out[4096];
    const char *argv[] = {"synth", "--out", path, "--reps", "3", extra1, extra2, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 0, "synth failed: %s", out);
}

/* One integer from a query. */
static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Read-write, as the next batch opens it: a kill can leave a write-ahead log
 * without its index, which only a writable connection recovers. */
static sqlite3 *open_db(const char *path)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK, "%s", path);
    return db;
}

/* The string value of key in the one-line JSON summary in out. */
static long summary_number(const char *out, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(out, pat);
    cr_assert(p, "no %s in the summary: %s", key, out);
    return strtol(p + strlen(pat), NULL, 10);
}

Test(batch_cli, good_done_broken_failed_rerun_skips)
{
    char path[1024], manifest[512], out_dir[512], db_path[600], out[16384];
    /* good: two synthetic sessions; broken: text named .mp4, an empty CSV, a
     * truncated keypoint CSV, a missing file */
    snprintf(path, sizeof path, "%s/squat.csv", work);
    synth(path, "--exercise", "squat");
    snprintf(path, sizeof path, "%s/sls.csv", work);
    synth(path, "--exercise", "single-leg-squat-left");
    snprintf(path, sizeof path, "%s/text.mp4", work);
    fc_test_write_file(path, "this is not a video\n", 20);
    snprintf(path, sizeof path, "%s/empty.csv", work);
    fc_test_write_file(path, "", 0);
    size_t len;
    snprintf(path, sizeof path, "%s/squat.csv", work);
    char *csv = fc_test_read_file(path, &len);
    snprintf(path, sizeof path, "%s/cut.csv", work);
    fc_test_write_file(path, csv, 200); /* the header's middle */
    free(csv);
    snprintf(manifest, sizeof manifest, "%s/clinic.csv", work);
    const char *text = "path,patient,recorded_at,exercise,therapist\n"
                       "squat.csv,P1,2024-03-05,squat,K\n"
                       "sls.csv,P1,2024-03-05,single-leg-squat-left,K\n"
                       "text.mp4,P2,2024-03-06,,K\n"
                       "empty.csv,P2,2024-03-06,,K\n"
                       "cut.csv,P3,2024-03-07,,K\n"
                       "missing.csv,P3,2024-03-07,,K\n";
    fc_test_write_file(manifest, text, strlen(text));
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    snprintf(db_path, sizeof db_path, "%s/formcheck.db", out_dir);

    const char *run[] = {"batch", "--out", out_dir, "--jobs", "2", manifest, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, run);
    cr_assert_eq(rc, 1, "some failed: exit 1, got %d: %s", rc, out);
    cr_assert_eq(summary_number(out, "done"), 2, "%s", out);
    cr_assert_eq(summary_number(out, "failed"), 4, "%s", out);

    sqlite3 *db = open_db(db_path);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='done'"), 2);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='failed' AND"
                               " error LIKE '%text.mp4: %' AND path LIKE '%/text.mp4'"),
                 1);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='failed' AND"
                               " error LIKE '%empty.csv: %empty%'"),
                 1);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='failed' AND"
                               " error LIKE '%cut.csv:%'"),
                 1);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='failed' AND"
                               " error LIKE '%missing.csv: No such file%'"),
                 1);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM patients"), 3);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM sessions"), 3);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM results WHERE kind='analysis'"), 2);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM keypoints WHERE raw_bytes > length(data)"), 2,
                 "keypoints stored compressed");
    /* 3 reps each, so each result has peaks of rep 0..2 with an uncertainty */
    cr_assert_eq(query_int(db, "SELECT count(DISTINCT result_id || '/' || rep) FROM rep_peaks"), 6);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM rep_peaks WHERE uncertainty IS NULL AND"
                               " value IS NOT NULL"),
                 0);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE metadata LIKE "
                               "'%\"therapist\":\"K\"%'"),
                 6);
    sqlite3_close(db);
    /* reports per recording, valid against the report schema */
    snprintf(path, sizeof path, "%s/P1/2024-03-05/r2-squat.json", out_dir);
    cr_assert(fc_test_file_exists(path), "%s", path);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, path);
    snprintf(path, sizeof path, "%s/P1/2024-03-05/r2-squat.html", out_dir);
    cr_assert(fc_test_file_exists(path), "%s", path);

    /* rerun: nothing to do; still exit 1 (failures stand) */
    rc = fc_test_run_formcheck(out, sizeof out, run);
    cr_assert_eq(rc, 1, "%s", out);
    cr_assert_eq(summary_number(out, "queued"), 0, "%s", out);
    cr_assert_eq(summary_number(out, "skipped_done"), 2, "%s", out);
    cr_assert_eq(summary_number(out, "skipped_failed"), 4, "%s", out);

    /* the broken ones fixed: --retry-failed processes them, nothing else */
    snprintf(path, sizeof path, "%s/squat.csv", work);
    csv = fc_test_read_file(path, &len);
    const char *fixed[] = {"text.mp4", "empty.csv", "cut.csv", "missing.csv"};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", work, fixed[i]);
        fc_test_write_file(path, csv, len);
    }
    free(csv);
    const char *dry[] = {"batch", "--out", out_dir, "--dry-run", "--retry-failed", manifest, NULL};
    rc = fc_test_run_formcheck(out, sizeof out, dry);
    cr_assert(strstr(out, "skip     P1 2024-03-05"), "%s", out);
    cr_assert_eq(summary_number(out, "queued"), 4, "%s", out);
    const char *retry[] = {"batch", "--out", out_dir, "--retry-failed", manifest, NULL};
    rc = fc_test_run_formcheck(out, sizeof out, retry);
    cr_assert_eq(rc, 0, "all done now: %s", out);
    cr_assert_eq(summary_number(out, "done"), 4, "%s", out);
    db = open_db(db_path);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='done'"), 6);
    cr_assert_eq(query_int(db, "SELECT max(attempts) FROM recordings"), 2);
    sqlite3_close(db);
}

Test(batch_cli, bad_manifest_names_file_and_line)
{
    char manifest[512], out[4096], out_dir[512];
    snprintf(manifest, sizeof manifest, "%s/m.csv", work);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    fc_test_write_file(manifest, "path,patient\na.csv,P1,extra\n", 28);
    const char *run[] = {"batch", "--out", out_dir, manifest, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, run);
    cr_assert_eq(rc, 1, "%s", out);
    cr_assert(strstr(out, "formcheck batch: ") && strstr(out, "m.csv: line 2: 3 fields"), "%s",
              out);
    cr_assert_not(fc_test_file_exists(out_dir), "nothing written for a bad manifest");
}

Test(batch_cli, shards_split_the_list)
{
    char path[1024], manifest[512], out[16384], out_dir[512];
    snprintf(path, sizeof path, "%s/s.csv", work);
    synth(path, "--exercise", "squat");
    snprintf(manifest, sizeof manifest, "%s/m.csv", work);
    size_t len;
    char *csv = fc_test_read_file(path, &len);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient\n");
    for (int i = 0; i < 7; i++) {
        snprintf(path, sizeof path, "%s/s%d.csv", work, i);
        fc_test_write_file(path, csv, len);
        fprintf(f, "s%d.csv,P%d\n", i, i);
    }
    fclose(f);
    free(csv);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    long total = 0;
    for (int i = 0; i < 3; i++) {
        char shard[16];
        snprintf(shard, sizeof shard, "%d/3", i);
        const char *run[] = {"batch", "-q", "--out", out_dir, "--shard", shard, manifest, NULL};
        cr_assert_eq(fc_test_run_formcheck(out, sizeof out, run), 0, "%s", out);
        /* by the first 16 hex digits of `printf P<n> | sha256sum`, mod 3
         * (coreutils, not formcheck): P5 P6 -> 0; P0 P1 P2 P4 -> 1; P3 -> 2 */
        static const int per_shard[3] = {2, 4, 1};
        cr_assert_eq(summary_number(out, "done"), per_shard[i], "%s", out);
        total += summary_number(out, "done");
        snprintf(path, sizeof path, "%s/formcheck-shard-%d-of-3.db", out_dir, i);
        cr_assert(fc_test_file_exists(path), "%s", path);
    }
    cr_assert_eq(total, 7);
    /* the array job's variables give the same share */
    setenv("SLURM_ARRAY_TASK_ID", "2", 1);
    setenv("SLURM_ARRAY_TASK_COUNT", "3", 1);
    const char *dry[] = {"batch", "--out", out_dir, "--dry-run", manifest, NULL};
    fc_test_run_formcheck(out, sizeof out, dry);
    unsetenv("SLURM_ARRAY_TASK_ID");
    unsetenv("SLURM_ARRAY_TASK_COUNT");
    cr_assert_eq(summary_number(out, "in_shard"), 1, "%s", out);
    cr_assert_eq(summary_number(out, "skipped_done"), 1, "%s", out);
}

/* Starts formcheck batch in its own process group (as a job scheduler
 * does), stdout and stderr to /dev/null. */
/* The batch in the background, its messages into log (NULL: dropped). */
static pid_t start_batch(const char *manifest, const char *out_dir, const char *log)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        setpgid(0, 0);
        freopen("/dev/null", "w", stdout);
        freopen(log ? log : "/dev/null", "w", stderr);
        execl(FC_FORMCHECK_BIN, FC_FORMCHECK_BIN, "batch", "-q", "--jobs", "2", "--out", out_dir,
              manifest, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

Test(batch_cli, kill_9_at_random_moments_then_resume_exactly_once, .timeout = 600)
{
    char path[1024], manifest[512], out_dir[512], db_path[600], out[16384];
    snprintf(path, sizeof path, "%s/base.csv", work);
    synth(path, "--exercise", "squat");
    size_t len;
    char *csv = fc_test_read_file(path, &len);
    snprintf(manifest, sizeof manifest, "%s/m.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient,recorded_at\n");
    for (int i = 0; i < KILL_RECORDINGS; i++) {
        snprintf(path, sizeof path, "%s/rec%03d.csv", work, i);
        fc_test_write_file(path, csv, len);
        fprintf(f, "rec%03d.csv,P%d,2024-01-%02d\n", i, i % 5, 1 + i / 5);
    }
    fclose(f);
    free(csv);

    /* How long an uninterrupted batch takes here, in another folder: the
     * kills land uniformly within that time. */
    snprintf(out_dir, sizeof out_dir, "%s/timing", work);
    double t0 = now_s();
    pid_t pid = start_batch(manifest, out_dir, NULL);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "uninterrupted batch failed");
    double full_s = now_s() - t0;
    /* and how long it takes to start and plan (a dry run): the kills wait
     * for about that, then land within the processing */
    snprintf(out_dir, sizeof out_dir, "%s/timing-dry", work);
    const char *dry[] = {"batch", "--dry-run", "--out", out_dir, manifest, NULL};
    t0 = now_s();
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, dry), 0, "%s", out);
    double start_s = now_s() - t0;
    double work_s = full_s > start_s ? full_s - start_s : full_s;

    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    snprintf(db_path, sizeof db_path, "%s/formcheck.db", out_dir);
    srand(20240305);
    int killed = 0, mid_batch = 0;
    /* until KILL_ROUNDS kills have landed on a live batch (one that had
     * finished before its kill does not count) */
    for (int round = 0; killed < KILL_ROUNDS && round < KILL_MAX_TRIES; round++) {
        pid = start_batch(manifest, out_dir, NULL);
        /* From late in the start-up to 2.5 / KILL_ROUNDS of the processing
         * past it: on average a round gets a little over 1 / KILL_ROUNDS of
         * the work done, so the kills fall all along the batch, in the
         * planning, between recordings and inside a worker's transaction. */
        double lo = 0.8 * start_s, hi = start_s + work_s * 2.5 / KILL_ROUNDS;
        double wait_s = lo + (hi - lo) * (double)rand() / RAND_MAX;
        struct timespec ts = {(time_t)wait_s, (long)((wait_s - (time_t)wait_s) * 1e9)};
        nanosleep(&ts, NULL);
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        /* the workers are gone with their group before the next round */
        while (kill(-pid, 0) == 0)
            nanosleep(&(struct timespec){0, 1000000}, NULL);
        /* every state a kill leaves opens and passes the integrity check */
        if (fc_test_file_exists(db_path)) {
            sqlite3 *db = open_db(db_path);
            sqlite3_stmt *st;
            cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK,
                         "round %d: %s", round, sqlite3_errmsg(db));
            cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
            cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok", "round %d", round);
            sqlite3_finalize(st);
            /* killed before the schema was committed: an empty database,
             * which the next run opens and fills */
            if (query_int(db, "SELECT count(*) FROM sqlite_master WHERE name='results'") == 0) {
                sqlite3_close(db);
                continue;
            }
            cr_assert_eq(query_int(db, "SELECT count(*) FROM (SELECT recording_id FROM results"
                                       " WHERE kind='analysis' GROUP BY recording_id"
                                       " HAVING count(*) > 1)"),
                         0, "round %d: a recording has two results", round);
            long long done = query_int(db, "SELECT count(*) FROM recordings WHERE status='done'");
            mid_batch += done > 0 && done < KILL_RECORDINGS;
            sqlite3_close(db);
            /* All done before enough kills landed (a quicker machine than
             * the timing expected): start the batch afresh, so the next
             * kills fall on work again. */
            if (done == KILL_RECORDINGS)
                fc_test_rmtree(out_dir);
        }
    }
    cr_assert_eq(killed, KILL_ROUNDS, "only %d kills landed", killed);
    cr_log_info("%d kills, %d of them left the batch part-done (uninterrupted: %.2f s, of "
                "which start and plan %.2f s)",
                killed, mid_batch, full_s, start_s);

    /* resume to the end */
    const char *run[] = {"batch", "-q", "--jobs", "2", "--out", out_dir, manifest, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, run);
    cr_assert_eq(rc, 0, "resume: %s", out);
    sqlite3 *db = open_db(db_path);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings"), KILL_RECORDINGS);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='done'"),
                 KILL_RECORDINGS);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM results WHERE kind='analysis'"),
                 KILL_RECORDINGS, "exactly one result a recording");
    cr_assert_eq(query_int(db, "SELECT count(DISTINCT recording_id) FROM results"),
                 KILL_RECORDINGS);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM keypoints"), KILL_RECORDINGS);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM results r WHERE NOT EXISTS"
                               " (SELECT 1 FROM rep_peaks p WHERE p.result_id = r.id)"),
                 0, "every result has its rep peaks");
    sqlite3_close(db);
    /* one more run: nothing left */
    rc = fc_test_run_formcheck(out, sizeof out, run);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_eq(summary_number(out, "queued"), 0, "%s", out);
    cr_assert_eq(summary_number(out, "skipped_done"), KILL_RECORDINGS, "%s", out);
}

/* The synthetic clinic: patients x sessions of single-leg squats whose hip
 * drop and knee FPPA change between sessions by known amounts, some below
 * and some beyond the minimal detectable change. */
#define CLINIC_PATIENTS 8
#define CLINIC_SESSIONS 4
/* MDC95 = 1.96 * sqrt(2) * SEM with the published SEMs of the threshold
 * table: hip drop 1.0 deg (Dingenen 2018), knee FPPA 2.85 deg (Munro 2012). */
#define MDC_HIP_DROP (1.96 * 1.41421356 * 1.0)
#define MDC_FPPA (1.96 * 1.41421356 * 2.85)
/* Session-to-session changes, taken three in a row from these: each list
 * has changes well inside and well beyond its MDC, up and down. */
static const double HIP_DROP_STEPS[5] = {0, +1, +5, -5, -1};
static const double FPPA_STEPS[5] = {0, +3, +12, -12, -3};
#define HIP_DROP_START 10.0
#define FPPA_START 12.0

static double hip_drop_step(int patient, int session)
{
    return session ? HIP_DROP_STEPS[(3 * patient + session) % 5] : 0;
}

static double fppa_step(int patient, int session)
{
    return session ? FPPA_STEPS[(2 * patient + session + 1) % 5] : 0;
}

/* The series of metric in a progress --json document. */
static const cJSON *series(const cJSON *doc, const char *metric)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(doc, "series"))
    {
        if (strcmp(cJSON_GetObjectItem(s, "metric")->valuestring, metric) == 0)
            return s;
    }
    cr_assert_fail("no series %s", metric);
    return NULL;
}

static void check_series(const cJSON *doc, const char *metric, int patient,
                         double (*step)(int, int), double mdc, int *flags)
{
    const cJSON *s = series(doc, metric);
    cr_assert_str_eq(cJSON_GetObjectItem(s, "side")->valuestring, "left");
    cr_assert_float_eq(cJSON_GetObjectItem(s, "mdc95")->valuedouble, mdc, 0.01);
    const cJSON *pts = cJSON_GetObjectItem(s, "sessions");
    cr_assert_eq(cJSON_GetArraySize(pts), CLINIC_SESSIONS);
    for (int k = 1; k < CLINIC_SESSIONS; k++) {
        const cJSON *p = cJSON_GetArrayItem(pts, k);
        double want = step(patient, k);
        int flagged = cJSON_IsTrue(cJSON_GetObjectItem(p, "flagged"));
        cr_assert_eq(flagged, fabs(want) > mdc, "P%d session %d %s: change %.2f (made %+.0f)",
                     patient, k, metric, cJSON_GetObjectItem(p, "change")->valuedouble, want);
        if (flagged) {
            /* more hip drop and more valgus are worse (direction above) */
            cr_assert_eq(cJSON_IsTrue(cJSON_GetObjectItem(p, "worse")), want > 0);
            (*flags)++;
        }
    }
}

Test(batch_cli, synthetic_clinic_progress_flags_exactly_the_changes_beyond_the_mdc, .timeout = 600)
{
    char path[1024], manifest[512], out_dir[512], db_path[600], out[65536];
    snprintf(manifest, sizeof manifest, "%s/clinic.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient,recorded_at,exercise,view\n");
    for (int p = 0; p < CLINIC_PATIENTS; p++) {
        double hip = HIP_DROP_START, fppa = FPPA_START;
        for (int s = 0; s < CLINIC_SESSIONS; s++) {
            hip += hip_drop_step(p, s);
            fppa += fppa_step(p, s);
            char hip_text[32], fppa_text[32];
            snprintf(hip_text, sizeof hip_text, "%g", hip);
            snprintf(fppa_text, sizeof fppa_text, "%g", fppa);
            snprintf(path, sizeof path, "%s/p%d-s%d.csv", work, p, s);
            const char *argv[] = {"synth",
                                  "--out",
                                  path,
                                  "--reps",
                                  "3",
                                  "--exercise",
                                  "single-leg-squat-left",
                                  "--hip-drop",
                                  hip_text,
                                  "--fppa-left",
                                  fppa_text,
                                  NULL};
            cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 0, "%s", out);
            fprintf(f, "p%d-s%d.csv,P%d,2024-%02d-01,single-leg-squat-left,front\n", p, s, p,
                    s + 1);
        }
    }
    fclose(f);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    snprintf(db_path, sizeof db_path, "%s/formcheck.db", out_dir);
    const char *run[] = {"batch", "-q", "--jobs", "2", "--out", out_dir, manifest, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, run), 0, "%s", out);

    int flags = 0, expected = 0;
    for (int p = 0; p < CLINIC_PATIENTS; p++) {
        for (int s = 1; s < CLINIC_SESSIONS; s++)
            expected +=
                (fabs(hip_drop_step(p, s)) > MDC_HIP_DROP) + (fabs(fppa_step(p, s)) > MDC_FPPA);
        char patient[16];
        snprintf(patient, sizeof patient, "P%d", p);
        const char *prog[] = {"progress", "--db", db_path, "--json", patient, NULL};
        cr_assert_eq(fc_test_run_formcheck(out, sizeof out, prog), 0, "%s", out);
        cJSON *doc = cJSON_Parse(out);
        cr_assert(doc, "progress --json: %s", out);
        check_series(doc, "hip_drop_deg", p, hip_drop_step, MDC_HIP_DROP, &flags);
        check_series(doc, "knee_fppa_left_deg", p, fppa_step, MDC_FPPA, &flags);
        cJSON_Delete(doc);
    }
    cr_assert_eq(flags, expected);
    cr_assert_gt(expected, 0);

    /* the HTML page */
    snprintf(path, sizeof path, "%s/p0.html", work);
    const char *html[] = {"progress", "--db", db_path, "--html", path, "P0", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, html), 0, "%s", out);
    size_t len;
    char *page = fc_test_read_file(path, &len);
    cr_assert(page && strstr(page, "<svg") && strstr(page, "hip_drop_deg"));
    free(page);

    /* regrade under other thresholds: a second grade a recording, the new
     * one current, the first kept; a second regrade does nothing */
    size_t tlen;
    char *table = fc_test_read_file(FC_SOURCE_DIR "/data/thresholds.json", &tlen);
    cr_assert(table);
    snprintf(path, sizeof path, "%s/stricter.json", work);
    char *at = strstr(table, "\"_about\"");
    cr_assert(at);
    fc_test_write_file(path, table, (size_t)(at - table));
    f = fopen(path, "a");
    fprintf(f, "\"_note\": \"a copy for the test\", %s", at);
    fclose(f);
    free(table);
    const char *regrade[] = {"regrade", "--db", db_path, "--thresholds", path, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, regrade), 0, "%s", out);
    cr_assert(strstr(out, "\"graded\":32"), "%s", out);
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, regrade), 0, "%s", out);
    cr_assert(strstr(out, "\"graded\":0"), "%s", out);
    sqlite3 *db = open_db(db_path);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM results"), 64);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM results WHERE current=1 AND kind='regrade'"),
                 32);
    cr_assert_eq(query_int(db, "SELECT count(DISTINCT thresholds_sha256) FROM results"), 2);
    sqlite3_close(db);
}

/* Recordings in the dead-worker test. */
#define DEAD_WORKER_RECORDINGS 12

/* The worker processes of a batch (children of its supervisor). */
static int workers_of(pid_t supervisor, pid_t *pids, int max)
{
    char path[128];
    snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", (long)supervisor, (long)supervisor);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int n = 0;
    long pid;
    while (n < max && fscanf(f, "%ld", &pid) == 1)
        pids[n++] = (pid_t)pid;
    fclose(f);
    return n;
}

/* A crash in one recording (here: its worker killed) fails that recording
 * alone; the batch goes on with a new worker and says that one failed. */
Test(batch_cli, a_dead_worker_fails_its_recording_only, .timeout = 300)
{
    char path[1024], manifest[512], out_dir[512], db_path[600], out[16384];
    /* recordings long enough (60 reps, about 0.6 s each here) that a worker
     * is caught holding one however busy the machine */
    snprintf(path, sizeof path, "%s/base.csv", work);
    const char *long_session[] = {"synth", "--out", path, "--reps", "60", "--rate", "60", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, long_session), 0, "%s", out);
    size_t len;
    char *csv = fc_test_read_file(path, &len);
    snprintf(manifest, sizeof manifest, "%s/m.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient\n");
    for (int i = 0; i < DEAD_WORKER_RECORDINGS; i++) {
        snprintf(path, sizeof path, "%s/rec%03d.csv", work, i);
        fc_test_write_file(path, csv, len);
        fprintf(f, "rec%03d.csv,P%d\n", i, i % 5);
    }
    fclose(f);
    free(csv);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    snprintf(db_path, sizeof db_path, "%s/formcheck.db", out_dir);
    char log[600];
    snprintf(log, sizeof log, "%s/batch.log", work);
    pid_t pid = start_batch(manifest, out_dir, log);
    /* kill the first worker seen, as soon as one holds a recording */
    pid_t w[8];
    int killed = 0;
    for (int tries = 0; !killed && tries < 20000; tries++) {
        if (workers_of(pid, w, 8) > 0 && fc_test_file_exists(db_path)) {
            sqlite3 *db = open_db(db_path);
            sqlite3_busy_timeout(db, 1000);
            char sql[256];
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM recordings WHERE status='running' AND worker LIKE "
                     "'%%:%ld'",
                     (long)w[0]);
            sqlite3_stmt *st;
            int holding = 0;
            if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                holding = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
            sqlite3_close(db);
            if (holding && kill(w[0], SIGKILL) == 0)
                killed = 1;
        }
        if (!killed)
            nanosleep(&(struct timespec){0, 200000}, NULL);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(killed, "no worker caught holding a recording");
    sqlite3 *db = open_db(db_path);
    /* the kill may land after the worker committed: then nothing failed */
    long long failed = query_int(db, "SELECT count(*) FROM recordings WHERE status='failed'");
    size_t log_len;
    char *log_text = fc_test_read_file(log, &log_len), said[4096];
    snprintf(said, sizeof said, "%s", log_text ? log_text : "");
    free(log_text); /* before any assertion: a failed one ends the test here */
    int exit_ok = WIFEXITED(status) && WEXITSTATUS(status) == (failed ? 1 : 0);
    if (failed > 1 || !exit_ok)
        sqlite3_close(db);
    cr_assert_leq(failed, 1, "the batch said: %s", said);
    cr_assert(exit_ok,
              "exit 1 exactly when one failed (%lld failed; status %d); the batch said: %s", failed,
              WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status), said);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='failed' AND error"
                               " LIKE '%died of signal 9%'"),
                 failed);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM recordings WHERE status='done'"),
                 DEAD_WORKER_RECORDINGS - failed);
    sqlite3_close(db);
    const char *retry[] = {"batch", "-q", "--retry-failed", "--out", out_dir, manifest, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, retry), 0, "%s", out);
    db = open_db(db_path);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM results WHERE kind='analysis'"),
                 DEAD_WORKER_RECORDINGS);
    sqlite3_close(db);
}

/* A measure with no published reliability (forward trunk lean in a squat):
 * formcheck's own repeatability stands in, said so, with the degrees of
 * freedom of the reps, and its SD is the pooled rep-to-rep SD that this
 * test computes itself from the stored rep peaks. */
Test(batch_cli, own_repeatability_where_none_is_published)
{
    char path[1024], manifest[512], out_dir[512], db_path[600], out[65536];
    snprintf(manifest, sizeof manifest, "%s/m.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient,recorded_at,exercise,view\n");
    const char *lean[] = {"30", "30", "50"};
    for (int s = 0; s < 3; s++) {
        char seed[8];
        snprintf(seed, sizeof seed, "%d", s + 3);
        snprintf(path, sizeof path, "%s/s%d.csv", work, s);
        const char *argv[] = {"synth", "--out",          path,    "--exercise", "squat", "--view",
                              "side",  "--forward-lean", lean[s], "--reps",     "6",     "--noise",
                              "1.5",   "--seed",         seed,    NULL};
        cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 0, "%s", out);
        fprintf(f, "s%d.csv,PO,2024-0%d-01,squat,side\n", s, s + 1);
    }
    fclose(f);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    snprintf(db_path, sizeof db_path, "%s/formcheck.db", out_dir);
    const char *run[] = {"batch", "-q", "--out", out_dir, manifest, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, run), 0, "%s", out);
    const char *prog[] = {"progress", "--db", db_path, "--json", "PO", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, prog), 0, "%s", out);
    cJSON *doc = cJSON_Parse(out);
    cr_assert(doc, "%s", out);
    const cJSON *s = series(doc, "trunk_forward_lean_deg");
    cr_assert_str_eq(cJSON_GetObjectItem(s, "mdc_basis")->valuestring, "own_repeatability");
    cr_assert(strstr(cJSON_GetObjectItem(s, "mdc_source")->valuestring, "own repeatability"));
    cr_assert_eq(cJSON_GetObjectItem(s, "own_df")->valueint, 3 * (6 - 1));
    /* the pooled SD, from the rep peaks: sum over sessions of the squared
     * deviations from the session mean, over the degrees of freedom */
    sqlite3 *db = open_db(db_path);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT pk.value, rec.id FROM rep_peaks pk JOIN results r"
                                    " ON r.id = pk.result_id JOIN recordings rec ON"
                                    " rec.id = r.recording_id WHERE pk.metric ="
                                    " 'trunk_forward_lean_deg' ORDER BY rec.id",
                                    -1, &st, NULL),
                 SQLITE_OK);
    double v[3][16];
    int n[3] = {0};
    long long first = -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 1);
        if (first < 0)
            first = id;
        int k = (int)(id - first);
        cr_assert(k >= 0 && k < 3 && n[k] < 16);
        v[k][n[k]++] = sqlite3_column_double(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    double ss = 0;
    int df = 0;
    for (int k = 0; k < 3; k++) {
        double mean = 0;
        for (int i = 0; i < n[k]; i++)
            mean += v[k][i] / n[k];
        for (int i = 0; i < n[k]; i++)
            ss += (v[k][i] - mean) * (v[k][i] - mean);
        df += n[k] - 1;
    }
    double mdc = 1.96 * sqrt(2.0) * sqrt(ss / df);
    cr_assert_float_eq(cJSON_GetObjectItem(s, "mdc95")->valuedouble, mdc, 1e-6 + 1e-6 * mdc);
    /* 30 -> 30 stays, 30 -> 50 is far beyond it */
    const cJSON *pts = cJSON_GetObjectItem(s, "sessions");
    cr_assert_not(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(pts, 1), "flagged")));
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(pts, 2), "flagged")));
    cJSON_Delete(doc);
}
