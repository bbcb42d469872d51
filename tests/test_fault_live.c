/* formcheck live on a network source that misbehaves (a TCP server thread
 * of the test): one that never sends and one that sends garbage end with
 * exit 1 and a message naming the source; one that stalls mid-stream ends
 * after --timeout with exit 4, the summary of what came, and the reports.
 * Each within --timeout plus the time to start, never a wait for ever
 * (the suite's timeout would catch that). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/tcp_server.h"
#include "support/testutil.h"

static char dir[4096];
static char out[65536];

static void setup(void)
{
    fc_test_mkdtemp(dir, sizeof dir);
}

static void teardown(void)
{
    fc_test_rmtree(dir);
}

TestSuite(fault_live, .init = setup, .fini = teardown, .timeout = 300);

/* formcheck live --input url with a 1 s timeout, no window. */
static int live(const char *url, const char *json)
{
    const char *argv[] = {"live",        "--input", url,  "--timeout", "1",
                          "--no-window", "--json",  json, "-q",        NULL};
    return fc_test_run_formcheck(out, sizeof out, argv);
}

static void url_of(const struct fc_test_server *s, char *url, size_t len)
{
    snprintf(url, len, "tcp://127.0.0.1:%d", s->port);
}

Test(fault_live, a_source_that_never_sends)
{
    struct fc_test_server s = {0};
    fc_test_server_start(&s, FC_SERVE_NOTHING);
    char url[64], json[4200], want[256];
    url_of(&s, url, sizeof url);
    snprintf(json, sizeof json, "%s/live.json", dir);
    int rc = live(url, json);
    fc_test_server_stop(&s);
    cr_assert_eq(rc, 1, "exit %d: %s", rc, out);
    snprintf(want, sizeof want, "formcheck live: %s: no data arrived within 1.0 s", url);
    cr_assert_not_null(strstr(out, want), "%s", out);
    cr_assert_eq(fc_test_dir_count(dir), 0, "no report of a session that never began");
}

Test(fault_live, a_source_that_sends_garbage)
{
    struct fc_test_server s = {0};
    fc_test_server_start(&s, FC_SERVE_GARBAGE);
    char url[64], json[4200], want[256];
    url_of(&s, url, sizeof url);
    snprintf(json, sizeof json, "%s/live.json", dir);
    int rc = live(url, json);
    fc_test_server_stop(&s);
    cr_assert_eq(rc, 1, "exit %d: %s", rc, out);
    snprintf(want, sizeof want, "formcheck live: %s: ", url);
    cr_assert_not_null(strstr(out, want), "%s", out);
    cr_assert_eq(fc_test_dir_count(dir), 0);
}

Test(fault_live, a_source_that_stalls_mid_stream)
{
    char ts[4200], json[4200], url[64], want[256];
    snprintf(ts, sizeof ts, "%s/stream.ts", dir);
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=6 -c:v mpeg4 -q:v 3 -f mpegts '%s'", ts);
    size_t len;
    char *bytes = fc_test_read_file(ts, &len);
    cr_assert_not_null(bytes);
    struct fc_test_server s = {.data = bytes, .len = len / 2};
    fc_test_server_start(&s, FC_SERVE_PREFIX);
    url_of(&s, url, sizeof url);
    snprintf(json, sizeof json, "%s/live.json", dir);
    int rc = live(url, json);
    fc_test_server_stop(&s);
    free(bytes);
    cr_assert_eq(rc, 4, "exit %d: %s", rc, out);
    snprintf(want, sizeof want, "source lost: %s: no data for 1.0 s after", url);
    cr_assert_not_null(strstr(out, want), "%s", out);
    /* the session until the stall is reported, complete */
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, json);
}
