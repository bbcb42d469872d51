/* Faults beyond bad input: a full disk and an unwritable folder while the
 * reports, the annotated video and the batch database are written, a video
 * file that shrinks while it is read, a network source that stalls or sends
 * garbage, and an allocation the system refuses. Each must end with a
 * message that names the file, a non-zero exit (or error code), no
 * half-written output and no corrupt database.
 *
 * A full disk is a file-size limit (RLIMIT_FSIZE, what a quota does): a
 * write past it fails with EFBIG once SIGXFSZ is ignored, as a write to a
 * full disk fails with ENOSPC, and no privileges are needed. An unwritable
 * folder is a path under a regular file, which not even root can create.
 * The database is read back with SQLite's own API. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <libavutil/log.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "capture/decoder.h"
#include "capture/encoder.h"
#include "support/tcp_server.h"
#include "support/testutil.h"

static char dir[4096];
static char out[32768];

static void setup(void)
{
    av_log_set_level(AV_LOG_QUIET); /* broken inputs are expected; messages are checked */
    fc_test_mkdtemp(dir, sizeof dir);
}

static void teardown(void)
{
    fc_test_rmtree(dir);
}

TestSuite(fault, .init = setup, .fini = teardown, .timeout = 300);

static void path_in(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

/* sh -c script; stdout and stderr into out. */
static int run_sh(const char *script)
{
    const char *args[] = {"/bin/sh", "-c", script, NULL};
    return fc_test_run_captured("/bin/sh", args, out, sizeof out);
}

/* A synthetic squat session (about 100 KB of keypoint CSV). */
static void synth_session(const char *path)
{
    const char *argv[] = {"synth", "--exercise", "squat", "--out", path, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 0, "%s", out);
}

/* Names in dir other than the ones given (NULL-terminated): what a failed
 * write left behind. */
static int others_in_dir(const char *const keep[], char *found, size_t len)
{
    char cmd[8192];
    int n = snprintf(cmd, sizeof cmd, "cd '%s' && ls -A", dir);
    for (int i = 0; keep[i]; i++)
        n += snprintf(cmd + n, sizeof cmd - (size_t)n, " | grep -vx '%s'", keep[i]);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t got = fread(found, 1, len - 1, p);
    found[got] = 0;
    pclose(p);
    int lines = 0;
    for (size_t i = 0; i < got; i++)
        lines += found[i] == '\n';
    return lines;
}

/* ---- a full disk while the reports are written -------------------------- */

/* The file-size limit for the reports: the synthetic session's CSV, JSON and
 * HTML reports and its text report are each larger than this. */
#define REPORT_LIMIT_KB 4

static void full_disk_for(const char *option, const char *name)
{
    char in[4200], target[4200], script[16384];
    path_in(in, sizeof in, "session.csv");
    path_in(target, sizeof target, name);
    synth_session(in);
    snprintf(script, sizeof script, "ulimit -f %d && exec '%s' analyze -q %s '%s' '%s' >/dev/null",
             REPORT_LIMIT_KB, FC_FORMCHECK_BIN, option, target, in);
    int rc = run_sh(script);
    cr_assert_eq(rc, 3, "%s: exit %d: %s", option, rc, out);
    char head[4400];
    snprintf(head, sizeof head, "formcheck analyze: %s: ", target);
    cr_assert_not_null(strstr(out, head), "%s: the message names the file: %s", option, out);
    cr_assert_not_null(strstr(out, "write failed"), "%s: says why: %s", option, out);
    char left[4096];
    const char *keep[] = {"session.csv", NULL};
    cr_assert_eq(others_in_dir(keep, left, sizeof left), 0, "%s left: %s", option, left);
}

Test(fault, full_disk_csv_report)
{
    full_disk_for("--csv", "r.csv");
}

Test(fault, full_disk_json_report)
{
    full_disk_for("--json", "r.json");
}

Test(fault, full_disk_html_report)
{
    full_disk_for("--html", "r.html");
}

/* The text report goes to standard output: redirected to a file on a full
 * disk, its loss must be an error too, not a silent exit 0. */
Test(fault, full_disk_text_report_on_stdout)
{
    char in[4200], txt[4200], script[16384];
    path_in(in, sizeof in, "session.csv");
    path_in(txt, sizeof txt, "report.txt");
    synth_session(in);
    /* 1 KiB: the text report of a graded session is longer */
    snprintf(script, sizeof script, "ulimit -f 1 && exec '%s' analyze -q '%s' >'%s'",
             FC_FORMCHECK_BIN, in, txt);
    int rc = run_sh(script);
    cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
    cr_assert_not_null(strstr(out, "formcheck analyze: standard output: write failed"), "%s", out);
}

/* The annotated video (capture/encoder.h, what --annotate writes through):
 * frames of noise do not compress, so the limit is met mid-stream. */
Test(fault, full_disk_annotated_video)
{
    char mp4[4200];
    path_in(mp4, sizeof mp4, "annotated.mp4");
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {256 * 1024, 256 * 1024};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    struct fc_encoder *e = NULL;
    struct fc_error err = {0};
    enum { W = 320, H = 240, FRAMES = 250 };
    cr_assert_eq(fc_encoder_open(&e, mp4, W, H, NULL, &err), 0, "%s", err.msg);
    static uint8_t rgb[W * H * 3];
    unsigned seed = 12345;
    int rc = 0;
    for (int i = 0; i < FRAMES && rc == 0; i++) {
        for (size_t k = 0; k < sizeof rgb; k++)
            rgb[k] = (uint8_t)(rand_r(&seed) >> 7);
        rc = fc_encoder_write_rgb(e, rgb, W * 3, i / 25.0, &err);
    }
    if (rc == 0)
        rc = fc_encoder_close(e, &err);
    else
        fc_encoder_abort(e);
    cr_assert_lt(rc, 0, "250 frames of noise fit in 256 KiB?");
    cr_assert_not_null(strstr(err.msg, mp4), "the message names the file: %s", err.msg);
    cr_assert_eq(fc_test_dir_count(dir), 0, "a failed encode left a file");
}

/* ---- an unwritable folder ----------------------------------------------- */

/* "FILE/sub/x.json": the parent is a regular file, so nothing can be made
 * there, whoever runs the test (root ignores permission bits). */
Test(fault, unwritable_folder_for_the_reports)
{
    char in[4200], blocker[4200], csv[4200], json[4400];
    path_in(in, sizeof in, "session.csv");
    path_in(blocker, sizeof blocker, "not-a-folder");
    path_in(csv, sizeof csv, "ok.csv");
    synth_session(in);
    fc_test_write_file(blocker, "x", 1);
    snprintf(json, sizeof json, "%s/x.json", blocker);
    const char *argv[] = {"analyze", "-q", "--csv", csv, "--json", json, in, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
    char head[4600];
    snprintf(head, sizeof head, "formcheck analyze: %s: ", json);
    cr_assert_not_null(strstr(out, head), "%s", out);
    cr_assert_not(fc_test_file_exists(csv), "the CSV written before the failure must go");

    /* --out into the same */
    char sub[4400];
    snprintf(sub, sizeof sub, "%s/reports", blocker);
    const char *argv2[] = {"analyze", "-q", "--out", sub, in, NULL};
    rc = fc_test_run_formcheck(out, sizeof out, argv2);
    cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
    cr_assert_not_null(strstr(out, sub), "%s", out);
    cr_assert_eq(fc_test_dir_count(dir), 2, "only the input and the blocker: %s", out);

    /* the annotated video */
    char mp4[4400];
    snprintf(mp4, sizeof mp4, "%s/a.mp4", blocker);
    struct fc_encoder *e = NULL;
    struct fc_error err = {0};
    cr_assert_lt(fc_encoder_open(&e, mp4, 64, 48, NULL, &err), 0);
    cr_assert_null(e);
    cr_assert_not_null(strstr(err.msg, mp4), "%s", err.msg);
}

/* ---- the batch database ------------------------------------------------- */

enum { BATCH_RECORDINGS = 4 };

/* Four sessions and a manifest of them in dir. */
static void batch_inputs(char *manifest, size_t len)
{
    char text[1024] = "path,patient\n";
    for (int i = 0; i < BATCH_RECORDINGS; i++) {
        char name[64], p[4200];
        snprintf(name, sizeof name, "s%d.csv", i);
        path_in(p, sizeof p, name);
        synth_session(p);
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n, "%s,P%d\n", name, i % 2);
    }
    snprintf(manifest, len, "%s/clinic.csv", dir);
    fc_test_write_file(manifest, text, strlen(text));
}

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

/* The database at path passes SQLite's integrity check (opened read-write,
 * as the next batch opens it: that also replays a write-ahead log). */
static void assert_db_intact(const char *path)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK, "%s", path);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    const char *verdict = (const char *)sqlite3_column_text(st, 0);
    cr_assert_str_eq(verdict, "ok", "%s: %s", path, verdict);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The limits (KiB) cross the database's life: its creation, the plan, the
 * first results, the last ones. Whatever the point, the batch stops with
 * exit 3 and a message naming the database, no recording is blamed for
 * the disk ("failed" would keep a rerun from doing it), the database is
 * intact, and a rerun with room does everything. */
Test(fault, full_disk_while_the_batch_writes_its_database)
{
    static const int limits_kb[] = {16, 40, 72, 100, 120, 140, 160, 180, 200, 230, 260, 300, 360};
    char manifest[4200];
    batch_inputs(manifest, sizeof manifest);
    for (size_t i = 0; i < sizeof limits_kb / sizeof *limits_kb; i++) {
        char outdir[4300], db[4400], script[16384];
        snprintf(outdir, sizeof outdir, "%s/out%zu", dir, i);
        snprintf(db, sizeof db, "%s/formcheck.db", outdir);
        snprintf(script, sizeof script, "ulimit -f %d && exec '%s' batch -q --out '%s' '%s'",
                 limits_kb[i], FC_FORMCHECK_BIN, outdir, manifest);
        int rc = run_sh(script);
        if (rc == 0) { /* everything fitted: then everything is done */
            sqlite3 *h;
            cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
            cr_assert_eq(query_int(h, "SELECT count(*) FROM recordings WHERE status = 'done'"),
                         BATCH_RECORDINGS, "%d KiB: exit 0 with recordings not done: %s",
                         limits_kb[i], out);
            sqlite3_close(h);
            continue;
        }
        cr_assert_eq(rc, 3, "%d KiB: exit %d: %s", limits_kb[i], rc, out);
        char head[4500];
        snprintf(head, sizeof head, "formcheck batch: %s: ", db);
        cr_assert_not_null(strstr(out, head), "%d KiB: %s", limits_kb[i], out);
        if (fc_test_file_exists(db)) {
            assert_db_intact(db);
            sqlite3 *h;
            cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
            int has_table =
                query_int(h, "SELECT count(*) FROM sqlite_master WHERE name = 'recordings'") > 0;
            if (has_table)
                cr_assert_eq(
                    query_int(h, "SELECT count(*) FROM recordings WHERE status = 'failed'"), 0,
                    "%d KiB: a recording was blamed for the full disk", limits_kb[i]);
            sqlite3_close(h);
        }
        const char *again[] = {"batch", "-q", "--out", outdir, manifest, NULL};
        rc = fc_test_run_formcheck(out, sizeof out, again);
        cr_assert_eq(rc, 0, "%d KiB: the rerun: exit %d: %s", limits_kb[i], rc, out);
        assert_db_intact(db);
        sqlite3 *h;
        cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
        cr_assert_eq(query_int(h, "SELECT count(*) FROM recordings WHERE status = 'done'"),
                     BATCH_RECORDINGS, "%d KiB", limits_kb[i]);
        sqlite3_close(h);
    }
}

Test(fault, unwritable_folder_for_the_batch)
{
    char manifest[4200], blocker[4200], sub[4400];
    batch_inputs(manifest, sizeof manifest);
    path_in(blocker, sizeof blocker, "not-a-folder");
    fc_test_write_file(blocker, "x", 1);
    snprintf(sub, sizeof sub, "%s/out", blocker);
    const char *argv[] = {"batch", "-q", "--out", sub, manifest, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
    cr_assert_not_null(strstr(out, "formcheck batch: "), "%s", out);
    cr_assert_not_null(strstr(out, blocker), "%s", out);

    char outdir[4300], db[4400];
    path_in(outdir, sizeof outdir, "out");
    snprintf(db, sizeof db, "%s/x.db", blocker);
    const char *argv2[] = {"batch", "-q", "--out", outdir, "--db", db, manifest, NULL};
    rc = fc_test_run_formcheck(out, sizeof out, argv2);
    cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
    cr_assert_not_null(strstr(out, db), "%s", out);
}

/* ---- a video file that shrinks while it is read ------------------------- */

/* The file is cut to a third after the first frame arrives (a recording
 * overwritten, a download restarted): what the decoding thread already
 * read is delivered, then the end says the file is truncated, naming it. */
Test(fault, video_file_shrinks_while_read)
{
    char mp4[4200];
    path_in(mp4, sizeof mp4, "shrinks.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=4 -c:v mpeg4 -q:v 2 -movflags +faststart "
                   "'%s'",
                   mp4);
    size_t len;
    char *whole = fc_test_read_file(mp4, &len);
    free(whole);
    cr_assert_gt(len, 400000, "the clip must be much larger than what is read ahead");
    struct fc_decoder_params p = fc_decoder_default_params();
    p.threads = 1;
    struct fc_decoder *d;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&d, mp4, &p, &err), 0, "%s", err.msg);
    struct fc_frame f;
    cr_assert_eq(fc_decoder_next(d, &f, &err), 0, "%s", err.msg);
    fc_frame_release(&f);
    cr_assert_eq(truncate(mp4, (off_t)(len / 3)), 0);
    int n = 1, rc;
    while ((rc = fc_decoder_next(d, &f, &err)) == 0) {
        n++;
        fc_frame_release(&f);
    }
    fc_decoder_close(d);
    cr_assert_lt(n, 100, "all 100 frames from a third of the file?");
    cr_assert_eq(rc, FC_ERR_TRUNCATED, "%d after %d frames: %s", rc, n, err.msg);
    cr_assert_not_null(strstr(err.msg, mp4), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "file is truncated"), "%s", err.msg);
}

/* ---- a network source that stalls or sends garbage ---------------------- */

/* The silence allowed before a source counts as lost. */
#define NET_TIMEOUT_S 1.0

Test(fault, network_source_that_never_sends)
{
    struct fc_test_server s = {0};
    fc_test_server_start(&s, FC_SERVE_NOTHING);
    char url[128];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", s.port);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.read_timeout_s = NET_TIMEOUT_S;
    struct fc_decoder *d = NULL;
    struct fc_error err = {0};
    int rc = fc_decoder_open(&d, url, &p, &err);
    cr_assert_eq(rc, FC_ERR_IO, "%d: %s", rc, err.msg);
    cr_assert_null(d);
    char want[256];
    snprintf(want, sizeof want, "%s: no data arrived within 1.0 s", url);
    cr_assert_not_null(strstr(err.msg, want), "%s", err.msg);
    fc_test_server_stop(&s);
}

Test(fault, network_source_that_sends_garbage)
{
    struct fc_test_server s = {0};
    fc_test_server_start(&s, FC_SERVE_GARBAGE);
    char url[128];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", s.port);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.read_timeout_s = NET_TIMEOUT_S;
    struct fc_decoder *d = NULL;
    struct fc_error err = {0};
    int rc = fc_decoder_open(&d, url, &p, &err);
    if (rc == 0) { /* something decodable by chance: it must still end */
        struct fc_frame f;
        while ((rc = fc_decoder_next(d, &f, &err)) == 0)
            fc_frame_release(&f);
        fc_decoder_close(d);
        cr_assert_neq(rc, 0);
    } else {
        cr_assert_null(d);
        char want[256];
        snprintf(want, sizeof want, "%s: ", url);
        cr_assert_eq(strncmp(err.msg, want, strlen(want)), 0, "%s", err.msg);
    }
    fc_test_server_stop(&s);
}

/* A stream that stops mid-way with the connection still open: the frames
 * that came are delivered, then the silence ends the stream with a warning
 * that says so, instead of a wait for ever. */
Test(fault, network_source_that_stalls_mid_stream)
{
    char ts[4200];
    path_in(ts, sizeof ts, "stream.ts");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=6 -c:v mpeg4 -q:v 3 -f mpegts '%s'", ts);
    size_t len;
    char *bytes = fc_test_read_file(ts, &len);
    struct fc_test_server s = {.data = bytes, .len = len / 2};
    fc_test_server_start(&s, FC_SERVE_PREFIX);
    char url[128];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", s.port);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.read_timeout_s = NET_TIMEOUT_S;
    struct fc_decoder *d = NULL;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&d, url, &p, &err), 0, "%s", err.msg);
    struct fc_frame f;
    int n = 0, rc;
    while ((rc = fc_decoder_next(d, &f, &err)) == 0) {
        n++;
        fc_frame_release(&f);
    }
    const char *w = fc_decoder_warning(d);
    char warning[FC_ERROR_MSG_MAX] = "";
    if (w)
        snprintf(warning, sizeof warning, "%s", w);
    fc_decoder_close(d);
    cr_assert_eq(rc, 1, "%d: %s", rc, err.msg);
    cr_assert_gt(n, 10, "the frames sent before the stall are delivered");
    cr_assert_lt(n, 150, "not all 150 frames: only half the stream was sent");
    char want[256];
    snprintf(want, sizeof want, "%s: no data for 1.0 s after", url);
    cr_assert_not_null(strstr(warning, want), "'%s'", warning);
    fc_test_server_stop(&s);
    free(bytes);
}

/* ---- an allocation the system refuses ----------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define FC_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FC_UNDER_ASAN 1
#endif
#endif

#ifndef FC_UNDER_ASAN
/* This process's address space now, in bytes (/proc/self/statm, pages). */
static long address_space_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    cr_assert_not_null(f);
    long pages = 0;
    cr_assert_eq(fscanf(f, "%ld", &pages), 1);
    fclose(f);
    return pages * sysconf(_SC_PAGESIZE);
}
#endif

/* Room above the address space in use for the out-of-memory case: the
 * decoder's thread stack (8 MiB) and its small allocations fit, one
 * 7680x4320 picture (50 MB in YUV 4:2:0) and the queue of eight do not. */
#define OOM_HEADROOM_BYTES (96L * 1024 * 1024)

Test(fault, out_of_memory_decoding_a_huge_picture)
{
#ifdef FC_UNDER_ASAN
    cr_skip_test("AddressSanitizer reserves terabytes of address space: RLIMIT_AS cannot apply");
#else
    char mp4[4200];
    path_in(mp4, sizeof mp4, "8k.mp4");
    /* 7680x4320 is inside formcheck's size limits (8192 a side, 40 Mpixel) */
    fc_test_ffmpeg("-f lavfi -i color=c=gray:s=7680x4320:r=5:d=2 -c:v mpeg4 '%s'", mp4);
    long limit = address_space_bytes() + OOM_HEADROOM_BYTES;
    struct rlimit lim = {(rlim_t)limit, (rlim_t)limit};
    cr_assert_eq(setrlimit(RLIMIT_AS, &lim), 0);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.threads = 1;
    struct fc_decoder *d = NULL;
    struct fc_error err = {0};
    int rc = fc_decoder_open(&d, mp4, &p, &err);
    int n = 0;
    if (rc == 0) {
        struct fc_frame f;
        while ((rc = fc_decoder_next(d, &f, &err)) == 0) {
            n++;
            fc_frame_release(&f);
        }
        fc_decoder_close(d);
    }
    cr_assert_lt(rc, 0, "10 pictures of 50 MB in %ld MB of room", OOM_HEADROOM_BYTES >> 20);
    cr_assert_not_null(strstr(err.msg, mp4), "%s", err.msg);
    cr_assert(strstr(err.msg, "memory") || strstr(err.msg, "Memory"), "%s", err.msg);
#endif
}

/* The program under an address-space limit (ulimit -v, as batch systems
 * set), from the lowest limit at which it starts at all on this machine
 * (its libraries take about 450 MB of address space before main) up by
 * LADDER_STEP_MB: every run either completes with its report or stops
 * with a message naming the command, and none hangs (OpenBLAS's threads
 * used to retry their allocation for ever and hang the exit) or dies of a
 * signal. timeout(1) turns a hang into exit 124. */
#define LADDER_FROM_MB 300
#define LADDER_STEP_MB 40
#define LADDER_STEPS 12
#define HANG_LIMIT_S 60

#ifndef FC_UNDER_ASAN
/* formcheck under ulimit -v mb; its exit status (124: it hung). */
static int run_limited(int mb, const char *args)
{
    char script[16384];
    snprintf(script, sizeof script, "ulimit -v %d && exec timeout %d '%s' %s", mb * 1024,
             HANG_LIMIT_S, FC_FORMCHECK_BIN, args);
    return run_sh(script);
}
#endif

Test(fault, address_space_limits_end_in_a_report_or_a_message)
{
#ifdef FC_UNDER_ASAN
    cr_skip_test("AddressSanitizer reserves terabytes of address space: RLIMIT_AS cannot apply");
#else
    char in[4200], json[4200], args[9000];
    path_in(in, sizeof in, "session.csv");
    path_in(json, sizeof json, "r.json");
    synth_session(in);
    int floor_mb = 0;
    for (int mb = LADDER_FROM_MB; mb < LADDER_FROM_MB + 40 * LADDER_STEP_MB && !floor_mb;
         mb += LADDER_STEP_MB) {
        int rc = run_limited(mb, "version");
        cr_assert_neq(rc, 124, "version hung under %d MB: %s", mb, out);
        if (rc == 0)
            floor_mb = mb;
    }
    cr_assert_gt(floor_mb, 0, "formcheck never started under a limit");
    snprintf(args, sizeof args, "analyze -q --json '%s' '%s'", json, in);
    for (int i = 0; i < LADDER_STEPS; i++) {
        int mb = floor_mb + i * LADDER_STEP_MB;
        unlink(json);
        int rc = run_limited(mb, args);
        cr_assert_neq(rc, 124, "%d MB: hung", mb);
        /* timeout(1) gives 128 + the signal for a child a signal killed */
        cr_assert(rc >= 0 && rc < 124, "%d MB: exit %d (a signal?): %s", mb, rc, out);
        if (rc == 0) {
            fc_test_assert_json_valid(FC_TEST_JSON_REPORT, json);
        } else {
            cr_assert_not_null(strstr(out, "formcheck analyze: "), "%d MB: exit %d: %s", mb, rc,
                               out);
            cr_assert_not(fc_test_file_exists(json), "%d MB: a report after a failure", mb);
        }
    }
#endif
}
