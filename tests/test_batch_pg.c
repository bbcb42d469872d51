/* formcheck batch on a real PostgreSQL server that the test starts itself
 * (Debian's postgresql 15, initdb into a temporary folder, a Unix socket
 * there, as an unprivileged user: the server refuses root): three batches
 * share one queue as three machines would, one is killed with -9 while its
 * worker holds a recording, and in the end every recording is done exactly
 * once, the killed one taken again by another worker after its lease ran
 * out. The database is read with psql, not with formcheck's code. */
#include <criterion/criterion.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/testutil.h"

#define PG_BIN "/usr/lib/postgresql/15/bin"
#define PG_RECORDINGS 40
#define PG_BATCHES 3
/* Short, so that the killed batch's recording is taken again soon; longer
 * than one recording takes (about 0.6 s here). */
#define PG_LEASE_S "3"

static char dir[256], uri[512];
static int started;

/* Runs a command line as the server's user (nobody when we are root). */
static int as_server_user(const char *cmd, char *out, size_t outlen)
{
    if (getuid() == 0) {
        const char *args[] = {"/usr/sbin/runuser", "-u", "nobody", "--",
                              "/bin/sh",           "-c", cmd,      NULL};
        return fc_test_run_captured(args[0], args, out, outlen);
    }
    const char *args[] = {"/bin/sh", "-c", cmd, NULL};
    return fc_test_run_captured(args[0], args, out, outlen);
}

static void start_server(void)
{
    struct stat st;
    if (stat(PG_BIN "/initdb", &st) != 0)
        return;
    snprintf(dir, sizeof dir, "/tmp/fcpg.XXXXXX");
    cr_assert(mkdtemp(dir));
    chmod(dir, 0755);
    char cmd[2048], out[8192];
    snprintf(cmd, sizeof cmd, "%s/data", dir);
    mkdir(cmd, 0700);
    snprintf(cmd, sizeof cmd, "%s/sock", dir);
    mkdir(cmd, 0755);
    if (getuid() == 0) {
        struct passwd *pw = getpwnam("nobody");
        cr_assert(pw, "no user nobody to run the server as");
        snprintf(cmd, sizeof cmd, "%s/data", dir);
        cr_assert_eq(chown(cmd, pw->pw_uid, pw->pw_gid), 0);
        snprintf(cmd, sizeof cmd, "%s/sock", dir);
        cr_assert_eq(chown(cmd, pw->pw_uid, pw->pw_gid), 0);
        cr_assert_eq(chown(dir, pw->pw_uid, pw->pw_gid), 0);
    }
    snprintf(cmd, sizeof cmd, PG_BIN "/initdb -D %s/data -A trust -U postgres", dir);
    cr_assert_eq(as_server_user(cmd, out, sizeof out), 0, "initdb: %s", out);
    snprintf(cmd, sizeof cmd,
             PG_BIN "/pg_ctl -D %s/data -o \"-k %s/sock -c listen_addresses=''\" -l %s/log -w "
                    "start",
             dir, dir, dir);
    cr_assert_eq(as_server_user(cmd, out, sizeof out), 0, "pg_ctl start: %s", out);
    started = 1;
    snprintf(uri, sizeof uri, "postgresql://postgres@/postgres?host=%s/sock", dir);
}

static void stop_server(void)
{
    if (!started)
        return;
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, PG_BIN "/pg_ctl -D %s/data -m immediate -w stop", dir);
    as_server_user(cmd, out, sizeof out);
    fc_test_rmtree(dir);
}

TestSuite(batch_pg, .init = start_server, .fini = stop_server);

/* One value from psql. */
static long long psql_int(const char *sql)
{
    char out[4096];
    const char *args[] = {"/usr/bin/psql", "-Atqc", sql, uri, NULL};
    cr_assert_eq(fc_test_run_captured(args[0], args, out, sizeof out), 0, "psql: %s: %s", sql, out);
    return strtoll(out, NULL, 10);
}

static pid_t start_batch_lease(const char *manifest, const char *out_dir, const char *lease)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        setpgid(0, 0);
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(FC_FORMCHECK_BIN, FC_FORMCHECK_BIN, "batch", "-q", "--db", uri, "--lease", lease,
              "--out", out_dir, manifest, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

static pid_t start_batch(const char *manifest, const char *out_dir)
{
    return start_batch_lease(manifest, out_dir, PG_LEASE_S);
}

/* n copies of a synthetic session of reps squats, and their manifest. */
static void make_recordings(const char *work, int n, const char *reps, char *manifest, size_t len)
{
    char path[1024], out[8192];
    snprintf(path, sizeof path, "%s/base.csv", work);
    const char *synth[] = {"synth", "--out", path, "--reps", reps, "--rate", "60", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, synth), 0, "%s", out);
    size_t size;
    char *csv = fc_test_read_file(path, &size);
    snprintf(manifest, len, "%s/m.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient\n");
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/rec%03d.csv", work, i);
        fc_test_write_file(path, csv, size);
        fprintf(f, "rec%03d.csv,P%d\n", i, i % 4);
    }
    fclose(f);
    free(csv);
}

Test(batch_pg, three_machines_one_killed_every_recording_exactly_once, .timeout = 600)
{
    if (!started)
        cr_skip_test("no PostgreSQL server binaries in " PG_BIN);
    char work[256], manifest[600], out_dir[600];
    fc_test_mkdtemp(work, sizeof work);
    make_recordings(work, PG_RECORDINGS, "60", manifest, sizeof manifest);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);

    /* batches 1.. run to the end; batch 0 is killed as soon as its worker
     * holds a recording (a kill that lands just after a commit holds
     * nothing: then another batch 0 is started and killed the same way) */
    pid_t pid[PG_BATCHES];
    for (int i = 1; i < PG_BATCHES; i++)
        pid[i] = start_batch(manifest, out_dir);
    long long held = 0;
    char sql[512];
    int status;
    for (int victim = 0; victim < 5 && !held; victim++) {
        pid[0] = start_batch(manifest, out_dir);
        snprintf(sql, sizeof sql,
                 "SELECT coalesce(max(r.id), 0) FROM recordings r JOIN runs u ON"
                 " u.id = r.run_id WHERE r.status = 'running' AND u.pid = %ld",
                 (long)pid[0]);
        for (int tries = 0; tries < 4000; tries++) {
            if (psql_int("SELECT count(*) FROM pg_tables WHERE tablename = 'runs'") &&
                psql_int(sql) > 0) {
                kill(-pid[0], SIGKILL);
                held = psql_int(sql); /* 0 when it finished in between */
                break;
            }
            nanosleep(&(struct timespec){0, 5000000}, NULL);
        }
        kill(-pid[0], SIGKILL);
        waitpid(pid[0], &status, 0);
        cr_assert(WIFSIGNALED(status), "batch 0 was killed");
    }
    for (int i = 1; i < PG_BATCHES; i++) {
        waitpid(pid[i], &status, 0);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "batch %d: status %d", i, status);
    }
    cr_assert_eq(psql_int("SELECT count(*) FROM recordings"), PG_RECORDINGS);
    cr_assert_eq(psql_int("SELECT count(*) FROM recordings WHERE status = 'done'"), PG_RECORDINGS);
    cr_assert_eq(psql_int("SELECT count(*) FROM results WHERE kind = 'analysis'"), PG_RECORDINGS,
                 "exactly one result a recording");
    cr_assert_eq(psql_int("SELECT count(DISTINCT recording_id) FROM results"), PG_RECORDINGS);
    cr_assert_eq(psql_int("SELECT count(*) FROM keypoints"), PG_RECORDINGS);
    cr_assert_geq(psql_int("SELECT count(DISTINCT run_id) FROM recordings"), 2,
                  "the surviving batches shared the work");
    /* the queue's claims never overlapped: no recording has two results
     * and none was started more often than it was interrupted plus once */
    cr_assert_eq(psql_int("SELECT count(*) FROM recordings WHERE attempts > 2"), 0);
    cr_assert_gt(held, 0, "the kill landed while the batch held a recording");
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM recordings r JOIN runs u ON u.id = r.run_id WHERE r.id = %lld"
             " AND r.attempts >= 2 AND u.pid <> %ld",
             held, (long)pid[0]);
    cr_assert_eq(psql_int(sql), 1, "recording %lld was taken again by another batch", held);
    fc_test_rmtree(work);
}

/* Recordings that take longer than the lease: the workers renew their
 * claims while they run, so no recording is taken over by the other batch
 * (every one started once) and none is graded twice. */
Test(batch_pg, a_lease_shorter_than_a_recording_is_renewed, .timeout = 300)
{
    if (!started)
        cr_skip_test("no PostgreSQL server binaries in " PG_BIN);
    char work[256], manifest[600], out_dir[600];
    fc_test_mkdtemp(work, sizeof work);
    /* 120 reps at 60 Hz: about 1.2 s a recording here, a lease of 0.5 s */
    make_recordings(work, 8, "120", manifest, sizeof manifest);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    pid_t a = start_batch_lease(manifest, out_dir, "0.5");
    pid_t b = start_batch_lease(manifest, out_dir, "0.5");
    int status;
    waitpid(a, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "batch a: status %d", status);
    waitpid(b, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "batch b: status %d", status);
    cr_assert_eq(psql_int("SELECT count(*) FROM recordings WHERE status = 'done'"), 8);
    cr_assert_eq(psql_int("SELECT count(*) FROM results"), 8);
    cr_assert_eq(psql_int("SELECT max(attempts) FROM recordings"), 1,
                 "a claim was taken over while its worker was alive");
    cr_assert_gt(psql_int("SELECT max(extract(epoch FROM finished_at - started_at))"
                          " * 1000 FROM recordings"),
                 500, "a recording outlasted its lease (the test's premise)");
    fc_test_rmtree(work);
}

/* progress, the static site and regrade read the PostgreSQL database as
 * they read SQLite: a hip drop that grows by 5 deg (beyond its MDC95 of
 * 2.8 deg) and then by 1 deg (within it) is flagged once; a regrade under
 * another table adds a current grade to each recording and keeps the first. */
Test(batch_pg, progress_site_and_regrade_on_postgresql, .timeout = 300)
{
    if (!started)
        cr_skip_test("no PostgreSQL server binaries in " PG_BIN);
    char work[256], path[1024], manifest[600], out_dir[600], site[700];
    static char out[65536];
    fc_test_mkdtemp(work, sizeof work);
    snprintf(manifest, sizeof manifest, "%s/m.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient,recorded_at,exercise\n");
    const char *drop[] = {"4", "9", "10"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/s%d.csv", work, i);
        const char *argv[] = {
            "synth",      "--out", path, "--reps", "3", "--exercise", "single-leg-squat-left",
            "--hip-drop", drop[i], NULL};
        cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 0, "%s", out);
        fprintf(f, "s%d.csv,PG1,2024-0%d-01,single-leg-squat-left\n", i, i + 1);
    }
    fclose(f);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    const char *run[] = {"batch", "-q", "--db", uri, "--out", out_dir, manifest, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, run), 0, "%s", out);
    const char *prog[] = {"progress", "--db", uri, "--json", "PG1", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, prog), 0, "%s", out);
    const char *hip = strstr(out, "\"metric\":\t\"hip_drop_deg\"");
    cr_assert(hip, "%s", out);
    const char *s1 = strstr(hip, "\"flagged\"");
    cr_assert(s1);
    const char *s2 = strstr(s1 + 1, "\"flagged\"");
    const char *s3 = s2 ? strstr(s2 + 1, "\"flagged\"") : NULL;
    cr_assert(s2 && s3, "%s", hip);
    cr_assert(strncmp(s2, "\"flagged\":\ttrue", 15) == 0, "4 -> 9 flagged: %.80s", s2);
    cr_assert(strncmp(s3, "\"flagged\":\tfalse", 16) == 0, "9 -> 10 not: %.80s", s3);
    snprintf(site, sizeof site, "%s/site", work);
    const char *site_argv[] = {"progress", "--db", uri, "--site", site, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, site_argv), 0, "%s", out);
    cr_assert_eq(fc_test_dir_count(site), 1 + 1 + 3, "index, the patient, 3 sessions");

    size_t len;
    char *table = fc_test_read_file(FC_SOURCE_DIR "/data/thresholds.json", &len);
    cr_assert(table);
    char *at = strstr(table, "\"_about\"");
    cr_assert(at);
    snprintf(path, sizeof path, "%s/other.json", work);
    fc_test_write_file(path, table, (size_t)(at - table));
    f = fopen(path, "a");
    fprintf(f, "\"_note\": \"a copy for the test\", %s", at);
    fclose(f);
    free(table);
    const char *regrade[] = {"regrade", "--db", uri, "--thresholds", path, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, regrade), 0, "%s", out);
    cr_assert(strstr(out, "\"graded\":3"), "%s", out);
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, regrade), 0, "%s", out);
    cr_assert(strstr(out, "\"graded\":0"), "a second regrade does nothing: %s", out);
    cr_assert_eq(psql_int("SELECT count(*) FROM results"), 6);
    cr_assert_eq(psql_int("SELECT count(*) FROM results WHERE current = 1 AND kind = 'regrade'"),
                 3);
    cr_assert_eq(psql_int("SELECT count(*) FROM rep_peaks p JOIN results r ON r.id ="
                          " p.result_id WHERE r.kind = 'regrade'"),
                 psql_int("SELECT count(*) FROM rep_peaks p JOIN results r ON r.id ="
                          " p.result_id WHERE r.kind = 'analysis'"));
    fc_test_rmtree(work);
}
