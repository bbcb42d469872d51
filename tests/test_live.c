/* formcheck live, end to end: a clip streamed at real-time pace by the
 * ffmpeg program into a FIFO or over loopback UDP, read by the formcheck
 * program as a live source.
 *
 * The clip is a real recording from ../shared/data when present (wide-stance
 * squats filmed from the front, 4 reps by eye: bottoms near 0.8, 3.6, 6.4
 * and 9.2 s), else a still photograph of a real person (Debian's
 * opencv-doc messi5.jpg) made into a 3 s video, where no rep is the known
 * count. Live must count what `formcheck analyze` counts on the same clip
 * with the same model, and that must be the clip's known count. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/analyzer.h"
#include "capture/decoder.h"
#include "import/synth.h"
#include "report/cues.h"
#include "support/testutil.h"

static char dir[4096];

static void setup(void)
{
    fc_test_mkdtemp(dir, sizeof dir);
}

static void teardown(void)
{
    fc_test_rmtree(dir);
}

TestSuite(live, .init = setup, .fini = teardown, .timeout = 240);

static int lightning_provisioned(void)
{
    const char *home = getenv("HOME"), *models = getenv("FORMCHECK_MODELS");
    const char *xdg = getenv("XDG_CACHE_HOME");
    char model[4200];
    if (models && *models)
        snprintf(model, sizeof model, "%s/movenet-lightning-opencv.onnx", models);
    else if (xdg && *xdg)
        snprintf(model, sizeof model, "%s/formcheck/models/movenet-lightning-opencv.onnx", xdg);
    else
        snprintf(model, sizeof model, "%s/.cache/formcheck/models/movenet-lightning-opencv.onnx",
                 home ? home : "");
    return fc_test_file_exists(model);
}

#define FRONT_SQUAT "videos/pexels5034577_front_wide_squat.mp4"
#define FRONT_SQUAT_REPS 4
#define MESSI "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"

/* The clip to stream and its known rep count; skips when neither exists. */
static void test_clip(char *path, size_t len, int *known_reps)
{
    if (fc_test_data_path(path, len, FRONT_SQUAT) == 0 && fc_test_file_exists(path)) {
        *known_reps = FRONT_SQUAT_REPS;
        return;
    }
    if (!fc_test_file_exists(MESSI))
        cr_skip("neither ../shared/data nor opencv-doc's messi5.jpg is present");
    snprintf(path, len, "%s/still.mp4", dir);
    fc_test_ffmpeg("-loop 1 -framerate 25 -i %s -t 3 -vf scale=640:-2 -c:v mpeg4 -q:v 4 "
                   "-pix_fmt yuv420p '%s'",
                   MESSI, path);
    *known_reps = 0;
}

/* A small file read into a static buffer (a failed assertion then leaves
 * nothing allocated behind); "" when absent. */
static char rc_text_buf[64], log_buf[1 << 16], out_buf[1 << 16];

static char *slurp(const char *path, char *buf, size_t len)
{
    buf[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return buf;
    size_t got = fread(buf, 1, len - 1, f);
    buf[got] = 0;
    fclose(f);
    return buf;
}

/* A file the run left in the test's folder, read into buf. */
static char *run_file(const char *name, char *buf, size_t len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return slurp(path, buf, len);
}

/* The streaming tests take turns (an exclusive lock held until the test's
 * process ends): each one measures a real-time session, which another
 * running beside it would slow down. */
static void one_stream_at_a_time(void)
{
    int fd = open("/tmp/formcheck-test-live.lock", O_RDWR | O_CREAT, 0666);
    cr_assert_geq(fd, 0);
    cr_assert_eq(flock(fd, LOCK_EX), 0);
}

/* Runs a shell command line; returns its exit status. */
static int sh(const char *cmd)
{
    int rc = system(cmd);
    cr_assert(rc != -1 && WIFEXITED(rc), "%s did not exit normally", cmd);
    return WEXITSTATUS(rc);
}

/* Every line of the file parsed as JSON; returns the events, in order, as
 * a cJSON array (the caller deletes it). Fails the test on a bad line, or
 * on one that does not follow docs/schema/live-event.schema.json. */
static cJSON *read_events(const char *path)
{
    fc_test_assert_json_valid(FC_TEST_JSON_LIVE_EVENTS, path);
    size_t len;
    char *text = fc_test_read_file(path, &len);
    cr_assert_not_null(text, "no events written to %s", path);
    cJSON *all = cJSON_CreateArray();
    char *save = NULL;
    int line = 0;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        cJSON *ev = cJSON_Parse(l);
        cr_assert_not_null(ev, "%s line %d is not JSON: %.200s", path, line, l);
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(ev, "event")), "line %d has no event", line);
        cJSON_AddItemToArray(all, ev);
    }
    free(text);
    return all;
}

static const cJSON *last_event(const cJSON *all, const char *kind)
{
    const cJSON *found = NULL, *ev;
    cJSON_ArrayForEach(ev, all)
    {
        if (strcmp(cJSON_GetObjectItem(ev, "event")->valuestring, kind) == 0)
            found = ev;
    }
    return found;
}

static int count_events(const cJSON *all, const char *kind)
{
    int n = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, all)
    {
        n += strcmp(cJSON_GetObjectItem(ev, "event")->valuestring, kind) == 0;
    }
    return n;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    cr_assert(cJSON_IsNumber(v), "no number '%s'", key);
    return v->valuedouble;
}

/* n_reps of a report JSON written by formcheck, checked against its schema. */
static int report_reps_bottoms(const char *path, double *bottom, int max)
{
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, path);
    size_t len;
    char *text = fc_test_read_file(path, &len);
    cr_assert_not_null(text, "no report %s", path);
    cJSON *j = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(j, "%s is not JSON", path);
    int n = (int)num(j, "n_reps");
    const cJSON *reps = cJSON_GetObjectItem(j, "reps");
    for (int i = 0; i < max && i < cJSON_GetArraySize(reps); i++)
        bottom[i] = num(cJSON_GetArrayItem(reps, i), "t_bottom_s");
    cJSON_Delete(j);
    return n;
}

static int report_reps(const char *path)
{
    return report_reps_bottoms(path, NULL, 0);
}

/* A UDP port nobody uses now. */
static int free_udp_port(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    cr_assert_geq(s, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t alen = sizeof a;
    cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &alen), 0);
    int port = ntohs(a.sin_port);
    close(s);
    return port;
}

Test(live, fifo_stream_counts_the_reps_analyze_counts)
{
    if (!lightning_provisioned())
        cr_skip("the pose model is not provisioned (bash tools/fetch_models.sh)");
    char clip[4200], cmd[32768];
    int known;
    test_clip(clip, sizeof clip, &known);
    one_stream_at_a_time();

    /* The camera: the clip after 1.5 s of its first picture, as a camera
     * is running before the exercise starts (the clip itself opens on the
     * way down into rep 1, and a live reader misses the first frames a
     * stream delivers at once while it is being opened). */
    char camera[4200];
    snprintf(camera, sizeof camera, "%s/camera.mp4", dir);
    fc_test_ffmpeg("-i '%s' -an -vf tpad=start_duration=1.5:start_mode=clone -c:v %s '%s'", clip,
                   fc_test_have_encoder("libx264") ? "libx264 -preset ultrafast -g 25"
                                                   : "mpeg4 -q:v 3",
                   camera);

    /* Offline, same model, same pictures. */
    char analyze_json[4200];
    snprintf(analyze_json, sizeof analyze_json, "%s/analyze.json", dir);
    const char *argv[] = {"analyze", "-q",         "--model", "lightning",
                          "--json",  analyze_json, camera,    NULL};
    char out[16384];
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 0, "analyze failed: %s", out);
    double offline_bottom[16];
    int offline = report_reps_bottoms(analyze_json, offline_bottom, 16);
    cr_assert_eq(offline, known, "analyze counts %d reps, the clip has %d", offline, known);

    /* Live: the ffmpeg program plays the clip at its real pace (-re) into a
     * FIFO as MPEG-TS, without re-encoding; formcheck reads the FIFO. */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkfifo cam.ts && "
             "(ffmpeg -nostdin -hide_banner -loglevel error -re -i '%s' -an -c:v copy "
             "-f mpegts -y cam.ts 2> ffmpeg.txt &) && "
             "'%s' live --input cam.ts --no-window --jsonl --json live.json --csv live.csv "
             "> events.jsonl 2> live.txt; echo $? > rc.txt",
             dir, camera, FC_FORMCHECK_BIN);
    sh(cmd);
    char path[4200];
    char *rc_text = run_file("rc.txt", rc_text_buf, sizeof rc_text_buf);
    char *log = run_file("live.txt", log_buf, sizeof log_buf);
    cr_assert_eq(atoi(rc_text), 0, "live exited %s: %s", rc_text, log ? log : "");

    snprintf(path, sizeof path, "%s/events.jsonl", dir);
    cJSON *events = read_events(path);
    const cJSON *start = last_event(events, "start");
    const cJSON *sum = last_event(events, "summary");
    cr_assert_not_null(start);
    cr_assert_not_null(sum, "no summary event");
    cr_assert_str_eq(cJSON_GetObjectItem(sum, "end")->valuestring, "source_ended");
    int live_reps = (int)num(sum, "reps");
    cr_assert_eq(live_reps, offline, "live counts %d reps, analyze %d (%s)", live_reps, offline,
                 log ? log : "");
    cr_assert_eq(count_events(events, "rep"), live_reps, "one rep event per rep");
    /* The same reps, not just as many: each bottom within 0.5 s of the
     * offline one (live smooths causally and may drop frames). */
    int k = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events)
    {
        if (strcmp(cJSON_GetObjectItem(ev, "event")->valuestring, "rep") != 0 || k >= 16)
            continue;
        double tb = num(ev, "t_bottom_s");
        cr_expect_lt(fabs(tb - offline_bottom[k]), 0.5,
                     "rep %d: bottom at %.2f s live, %.2f s offline", k + 1, tb, offline_bottom[k]);
        k++;
    }
    long frames = (long)num(sum, "frames");
    cr_assert_gt(frames, 0);
    cr_assert_eq(count_events(events, "frame"), frames);

    /* Latency: reported, ordered, and the frame events carry theirs. */
    const cJSON *lat = cJSON_GetObjectItem(sum, "latency_ms");
    cr_assert_not_null(lat);
    double p50 = num(lat, "p50"), p95 = num(lat, "p95"), mx = num(lat, "max");
    cr_assert(p50 > 0 && p50 <= p95 && p95 <= mx, "latency p50 %g p95 %g max %g", p50, p95, mx);
    cr_assert_eq((long)num(lat, "frames"), frames);
    cr_assert_geq(num(sum, "dropped"), 0);
    cr_assert(log && strstr(log, "latency capture->feedback: p50"), "no latency line: %s", log);

    /* The same reports as analyze. */
    snprintf(path, sizeof path, "%s/live.json", dir);
    cr_assert_eq(report_reps(path), live_reps);
    snprintf(path, sizeof path, "%s/live.csv", dir);
    cr_assert(fc_test_file_exists(path));
    cJSON_Delete(events);
}

Test(live, udp_source_killed_mid_stream_ends_cleanly)
{
    if (!lightning_provisioned())
        cr_skip("the pose model is not provisioned (bash tools/fetch_models.sh)");
    char clip[4200], cmd[32768];
    int known;
    test_clip(clip, sizeof clip, &known);
    one_stream_at_a_time();
    int port = free_udp_port();
    /* The sender loops the clip, re-encoded with a keyframe every 10 frames
     * so that a receiver joining late decodes at once, and is killed (-9)
     * after 6 s: the stream stops dead, as an unplugged camera's would. */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && "
             "(timeout -s KILL 6 ffmpeg -nostdin -hide_banner -loglevel error -re "
             "-stream_loop -1 -i '%s' -an -vf scale=480:-2 -c:v mpeg2video -q:v 5 -g 10 "
             "-f mpegts 'udp://127.0.0.1:%d?pkt_size=1316' 2> ffmpeg.txt &) && "
             "'%s' live --input udp://127.0.0.1:%d --timeout 2 --no-window --jsonl "
             "--out reports > events.jsonl 2> live.txt; echo $? > rc.txt",
             dir, clip, port, FC_FORMCHECK_BIN, port);
    sh(cmd);
    char path[4200];
    char *rc_text = run_file("rc.txt", rc_text_buf, sizeof rc_text_buf);
    char *log = run_file("live.txt", log_buf, sizeof log_buf);
    /* Exit status 4: the source was lost, the session still summarised. */
    cr_assert_eq(atoi(rc_text), 4, "live exited %s: %s", rc_text, log ? log : "");
    cr_assert(strstr(log, "no data for 2.0 s"), "the loss is not explained: %s", log);

    snprintf(path, sizeof path, "%s/events.jsonl", dir);
    cJSON *events = read_events(path);
    const cJSON *sum = last_event(events, "summary");
    cr_assert_not_null(sum, "no summary event");
    cr_assert_str_eq(cJSON_GetObjectItem(sum, "end")->valuestring, "source_lost");
    cr_assert_gt(num(sum, "frames"), 10);
    /* The reports of what was measured: CSV, JSON and HTML, complete. */
    snprintf(path, sizeof path, "%s/reports", dir);
    cr_assert_eq(fc_test_dir_count(path), 3);
    const cJSON *reports = cJSON_GetObjectItem(sum, "reports");
    cr_assert_eq(cJSON_GetArraySize(reports), 3);
    const cJSON *r;
    cJSON_ArrayForEach(r, reports)
    {
        char rp[8192];
        snprintf(rp, sizeof rp, "%s/%s", dir, r->valuestring);
        if (strstr(rp, ".json"))
            cr_assert_geq(report_reps(rp), 0);
    }
    cJSON_Delete(events);
}

Test(live, ctrl_c_ends_the_session_with_its_summary)
{
    if (!lightning_provisioned())
        cr_skip("the pose model is not provisioned (bash tools/fetch_models.sh)");
    char clip[4200], cmd[32768];
    int known;
    test_clip(clip, sizeof clip, &known);
    one_stream_at_a_time();
    /* A file at its real pace is the camera; SIGINT after 2.5 s. */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && '%s' live --input '%s' --realtime --no-window --json s.json "
             "> out.txt 2> live.txt & pid=$!; sleep 2.5; kill -INT $pid; wait $pid; "
             "echo $? > '%s/rc.txt'",
             dir, FC_FORMCHECK_BIN, clip, dir);
    sh(cmd);
    char path[4200];
    char *rc_text = run_file("rc.txt", rc_text_buf, sizeof rc_text_buf);
    char *out = run_file("out.txt", out_buf, sizeof out_buf);
    cr_assert_eq(atoi(rc_text), 0, "live exited %s: %s", rc_text, out ? out : "");
    cr_assert(strstr(out, "live session:") && strstr(out, "interrupted"), "%s", out);
    cr_assert(strstr(out, "latency capture->feedback"), "%s", out);
    snprintf(path, sizeof path, "%s/s.json", dir);
    cr_assert_geq(report_reps(path), 0);
}

Test(live, udp_source_reconnects_when_asked)
{
    if (!lightning_provisioned())
        cr_skip("the pose model is not provisioned (bash tools/fetch_models.sh)");
    char clip[4200], cmd[32768];
    int known;
    test_clip(clip, sizeof clip, &known);
    one_stream_at_a_time();
    int port = free_udp_port();
    char send[8192];
    snprintf(send, sizeof send,
             "timeout -s KILL 4 ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 "
             "-i '%s' -an -vf scale=320:-2 -c:v mpeg2video -q:v 5 -g 10 -f mpegts "
             "'udp://127.0.0.1:%d?pkt_size=1316'",
             clip, port);
    /* Two senders with a 2.5 s silence between them; the first runs 5 s
     * (the receiver may take a while to load its model); the session lasts
     * 11 s. */
    char first[8192];
    snprintf(first, sizeof first, "%s", send);
    memcpy(strstr(first, "KILL 4"), "KILL 5", 6);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && ((%s; sleep 2.5; %s) 2> ffmpeg.txt &) && "
             "'%s' live --input udp://127.0.0.1:%d --timeout 1 --reconnect --duration 11 "
             "--no-window --jsonl > events.jsonl 2> live.txt; echo $? > rc.txt",
             dir, first, send, FC_FORMCHECK_BIN, port);
    sh(cmd);
    char path[4200];
    char *rc_text = run_file("rc.txt", rc_text_buf, sizeof rc_text_buf);
    char *log = run_file("live.txt", log_buf, sizeof log_buf);
    cr_assert_eq(atoi(rc_text), 0, "live exited %s: %s", rc_text, log ? log : "");
    snprintf(path, sizeof path, "%s/events.jsonl", dir);
    cJSON *events = read_events(path);
    const cJSON *sum = last_event(events, "summary");
    cr_assert_not_null(sum);
    cr_assert_geq(num(sum, "reconnects"), 1, "%s", log);
    cr_assert_str_eq(cJSON_GetObjectItem(sum, "end")->valuestring, "duration");
    cr_assert_geq(count_events(events, "reconnected"), 1);
    /* Session time runs on across the gap. */
    double prev = -1;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events)
    {
        if (strcmp(cJSON_GetObjectItem(ev, "event")->valuestring, "frame") != 0)
            continue;
        double t = num(ev, "t_s");
        cr_assert_gt(t, prev, "frame times go back: %g after %g", t, prev);
        prev = t;
    }
    cJSON_Delete(events);
}

Test(live, window_view_runs_on_qt_offscreen)
{
    if (!lightning_provisioned())
        cr_skip("the pose model is not provisioned (bash tools/fetch_models.sh)");
    char clip[4200], cmd[32768];
    int known;
    test_clip(clip, sizeof clip, &known);
    one_stream_at_a_time();
    /* OpenCV's GUI is built on Qt here: its offscreen platform gives the
     * window path (frame to RGB, overlay, highgui) a display without an X
     * server. Qt's font lookup keeps a few bytes of fontconfig to the end:
     * not ours, so not counted as a leak. */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && echo 'leak:libfontconfig' > lsan.supp && "
             "LSAN_OPTIONS=suppressions=lsan.supp QT_QPA_PLATFORM=offscreen "
             "XDG_RUNTIME_DIR='%s' '%s' live --input '%s' --realtime --window --duration 2.5 "
             "> out.txt 2> live.txt; echo $? > rc.txt",
             dir, dir, FC_FORMCHECK_BIN, clip);
    sh(cmd);
    char *rc_text = run_file("rc.txt", rc_text_buf, sizeof rc_text_buf);
    char *log = run_file("live.txt", log_buf, sizeof log_buf);
    cr_assert_eq(atoi(rc_text), 0, "live exited %s: %s", rc_text, log ? log : "");
    cr_assert_null(strstr(log, "no window"), "the window did not open: %s", log);
    char *out = run_file("out.txt", out_buf, sizeof out_buf);
    cr_assert(strstr(out, "live session:") && strstr(out, "--duration 2.5 s reached"), "%s", out);
}

Test(live, bad_sources_and_options)
{
    char out[16384], missing[4200], json[4200];
    snprintf(missing, sizeof missing, "%s/nothing-here.mp4", dir);
    snprintf(json, sizeof json, "%s/r.json", dir);
    const char *a1[] = {"live", "--no-window", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a1), 2, "%s", out);
    cr_assert(strstr(out, "--camera DEVICE or --input URL"), "%s", out);
    const char *a2[] = {"live", "--input", "x.mp4", "--camera", "/dev/video0", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a2), 2, "%s", out);
    const char *a3[] = {"live", "--camera", "/dev/video0", "--size", "big", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a3), 2, "%s", out);
    if (!lightning_provisioned())
        return;
    const char *a4[] = {"live", "--no-window", "--input", missing, "--json", json, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a4), 1, "%s", out);
    cr_assert(strstr(out, missing), "the message does not name the source: %s", out);
    cr_assert_not(fc_test_file_exists(json), "output left behind");
    /* A network source that never sends: named, and given up after --timeout. */
    char url[64];
    snprintf(url, sizeof url, "udp://127.0.0.1:%d", free_udp_port());
    const char *a5[] = {"live", "--no-window", "--timeout", "1", "--input", url, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a5), 1, "%s", out);
    cr_assert(strstr(out, url) && strstr(out, "no data arrived within 1.0 s"), "%s", out);
}

/* Cues: hysteresis and a minimum display time, on synthetic metrics. */

static void squat_front(struct fc_analysis *a)
{
    memset(a, 0, sizeof *a);
    a->exercise = FC_EXERCISE_SQUAT;
    a->view = FC_VIEW_FRONT;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        a->metric[m].measurable = fc_metric_info((enum fc_metric)m)->plane == FC_PLANE_FRONTAL;
}

static const struct fc_threshold *fppa_left(const struct fc_thresholds *th, size_t *idx)
{
    for (size_t i = 0; i < th->n; i++)
        if (th->t[i].metric == FC_M_KNEE_FPPA_LEFT && th->t[i].measure == FC_MEASURE_REP_PEAK &&
            th->t[i].direction > 0 && fc_threshold_applies(&th->t[i], FC_EXERCISE_SQUAT)) {
            *idx = i;
            return &th->t[i];
        }
    cr_assert_fail("no rep-peak FPPA threshold for squats in the table");
    return NULL;
}

static void frame(struct fc_frame_metrics *m, double t, int rep, float fppa)
{
    memset(m, 0, sizeof *m); /* out_of_plane 0: every value measurable */
    m->stance = -1;
    m->t_s = t;
    m->rep = rep;
    m->tracked = 1;
    for (int k = 0; k < FC_METRIC_COUNT; k++)
        m->value[k] = NAN;
    m->value[FC_M_KNEE_FPPA_LEFT] = fppa;
}

Test(cues, flickering_value_gives_one_steady_cue)
{
    struct fc_error err = {0};
    struct fc_thresholds th;
    cr_assert_eq(fc_thresholds_load(NULL, &th, &err), 0, "%s", err.msg);
    size_t idx;
    const struct fc_threshold *t = fppa_left(&th, &idx);
    struct fc_cues cues;
    cr_assert_eq(fc_cues_init(&cues, &th, NULL, &err), 0);
    struct fc_analysis a;
    squat_front(&a);
    struct fc_cue_event ev[FC_CUES_MAX_EVENTS];
    struct fc_frame_metrics m;
    int ons = 0, offs = 0;
    double t_on = NAN, t_off = NAN;
    /* 30 fps; the knee wavers just above and just below the watch level
     * plus its uncertainty (a cue, like a finding, needs the value past the
     * level by more than the method's SEM) every frame for 1 s, then stays
     * well inside for 2 s. */
    const double level = t->watch + fc_grade_uncertainty(NAN, t->sem);
    for (int i = 0; i < 90; i++) {
        double ts = i / 30.0;
        float v = i < 30 ? (float)(level + (i % 2 ? 0.5 : -0.2)) : (float)(t->watch - 5);
        frame(&m, ts, 0, v);
        int n = fc_cues_update(&cues, &a, &m, ev);
        for (int e = 0; e < n; e++) {
            cr_assert_eq((size_t)ev[e].cue, idx, "another cue: %s", cues.cue[ev[e].cue].text);
            if (ev[e].on) {
                ons++;
                t_on = ts;
            } else {
                offs++;
                t_off = ts;
            }
        }
    }
    cr_assert_eq(ons, 1, "the cue came on %d times", ons);
    cr_assert_eq(offs, 1, "the cue went off %d times", offs);
    cr_assert_geq(t_off - t_on, 1.5 - 1e-9, "shown %g s", t_off - t_on);
    cr_assert_str_eq(cues.cue[idx].text, "LEFT KNEE CAVING IN");
    fc_cues_free(&cues);
    fc_thresholds_free(&th);
}

Test(cues, one_frame_spike_shows_nothing)
{
    struct fc_error err = {0};
    struct fc_thresholds th;
    cr_assert_eq(fc_thresholds_load(NULL, &th, &err), 0, "%s", err.msg);
    size_t idx;
    const struct fc_threshold *t = fppa_left(&th, &idx);
    struct fc_cues cues;
    cr_assert_eq(fc_cues_init(&cues, &th, NULL, &err), 0);
    struct fc_analysis a;
    squat_front(&a);
    struct fc_cue_event ev[FC_CUES_MAX_EVENTS];
    struct fc_frame_metrics m;
    for (int i = 0; i < 60; i++) {
        float v = i == 20 ? (float)(t->fault_level + 10) : 0.0f;
        frame(&m, i / 30.0, 0, v);
        cr_assert_eq(fc_cues_update(&cues, &a, &m, ev), 0, "a cue at frame %d", i);
    }
    /* Between reps nothing is cued, however large. */
    for (int i = 60; i < 90; i++) {
        frame(&m, i / 30.0, -1, (float)(t->fault_level + 10));
        cr_assert_eq(fc_cues_update(&cues, &a, &m, ev), 0, "a cue between reps");
    }
    fc_cues_free(&cues);
    fc_thresholds_free(&th);
}

/* Capture for live sources (capture/decoder.h), on a generated clip. */

static void make_clip(char *path, size_t len, double seconds)
{
    snprintf(path, len, "%s/clip.mp4", dir);
    fc_test_ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25:duration=%g -c:v mpeg4 -q:v 5 "
                   "'%s'",
                   seconds, path);
}

Test(live, realtime_paces_a_file_and_stamps_capture_times)
{
    char clip[4200];
    make_clip(clip, sizeof clip, 1.0);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.realtime = 1;
    struct fc_decoder *d;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&d, clip, &p, &err), 0, "%s", err.msg);
    double t0 = fc_monotonic_s(), prev = 0;
    struct fc_frame f;
    int n = 0;
    while (fc_decoder_next(d, &f, &err) == 0) {
        cr_assert_gt(f.capture_s, prev, "capture times must increase");
        /* A frame is never handed out before its moment. */
        cr_assert_geq(f.capture_s - t0, f.t_s - 0.005 - 0.04, "frame at %g s came at %g s", f.t_s,
                      f.capture_s - t0);
        prev = f.capture_s;
        fc_frame_release(&f);
        n++;
    }
    double wall = fc_monotonic_s() - t0;
    cr_assert_eq(n, 25);
    cr_assert_geq(wall, 0.9, "25 frames at 25 fps took %g s", wall);
    fc_decoder_close(d);
}

Test(live, newest_frame_only_drops_and_counts_stale_frames)
{
    char clip[4200];
    make_clip(clip, sizeof clip, 2.0);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.realtime = 1;
    p.queue_frames = 1;
    p.drop_when_full = 1;
    struct fc_decoder *d;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&d, clip, &p, &err), 0, "%s", err.msg);
    struct fc_frame f;
    long got = 0;
    int64_t last = -1;
    while (fc_decoder_next(d, &f, &err) == 0) {
        cr_assert_gt(f.index, last);
        last = f.index;
        fc_frame_release(&f);
        got++;
        struct timespec slow = {0, 100000000L}; /* a reader at 10 frames/s */
        nanosleep(&slow, NULL);
    }
    struct fc_decoder_stats st;
    fc_decoder_get_stats(d, &st);
    cr_assert_eq(st.frames_decoded, 50);
    cr_assert_eq(got + st.frames_dropped, 50, "%ld read + %lld dropped", got,
                 (long long)st.frames_dropped);
    cr_assert_lt(got, 30, "a slow reader must see only the newest frames (%ld)", got);
    fc_decoder_close(d);
}

Test(live, interrupt_ends_a_stream_promptly)
{
    char clip[4200];
    make_clip(clip, sizeof clip, 10.0);
    static atomic_int stop;
    atomic_store(&stop, 0);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.realtime = 1;
    p.interrupt = &stop;
    struct fc_decoder *d;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&d, clip, &p, &err), 0, "%s", err.msg);
    struct fc_frame f;
    cr_assert_eq(fc_decoder_next(d, &f, &err), 0);
    fc_frame_release(&f);
    atomic_store(&stop, 1);
    double t0 = fc_monotonic_s();
    int rc;
    while ((rc = fc_decoder_next(d, &f, &err)) == 0)
        fc_frame_release(&f);
    cr_assert_eq(rc, 1, "an interrupted stream ends (1), got %d: %s", rc, err.msg);
    cr_assert_lt(fc_monotonic_s() - t0, 0.5);
    fc_decoder_close(d);
}

/* The analysis while frames keep coming (fc_analyzer_snapshot), on a
 * synthetic subject with a known number of reps. */
Test(live, snapshot_counts_reps_as_they_end_and_changes_nothing)
{
    struct fc_error err = {0};
    struct fc_synth_params sp = fc_synth_default_params();
    sp.exercise = FC_EXERCISE_SQUAT;
    sp.view = FC_VIEW_FRONT;
    sp.reps = 3;
    sp.faults.fppa_deg[FC_SIDE_LEFT] = 20;
    struct fc_pose_track t;
    cr_assert_eq(fc_synth_generate(&sp, &t, &err), 0, "%s", err.msg);
    struct fc_analyzer_params ap = fc_analyzer_default_params();
    struct fc_analyzer *a, *b;
    cr_assert_eq(fc_analyzer_create(&a, &ap, &err), 0);
    cr_assert_eq(fc_analyzer_create(&b, &ap, &err), 0);
    struct fc_frame_metrics m, mb;
    struct fc_analysis snap, again;
    size_t seen = 0;
    double ends[3] = {0};
    for (size_t i = 0; i < t.n_frames; i++) {
        fc_analyzer_push(a, &t.frames[i], &m);
        fc_analyzer_snapshot(a, &snap);
        fc_analyzer_snapshot(a, &again);
        cr_assert_eq(snap.n_reps, again.n_reps);
        /* An analyzer never looked at mid-stream measures the same. */
        fc_analyzer_push(b, &t.frames[i], &mb);
        cr_assert_eq(m.rep, mb.rep, "frame %zu", i);
        cr_assert(snap.n_reps == seen || snap.n_reps == seen + 1, "reps jump at frame %zu", i);
        if (snap.n_reps > seen) {
            ends[seen] = snap.reps[seen].t_end_s;
            cr_assert_leq(ends[seen], t.frames[i].t_s + 1e-9, "a rep ends before it is told");
            seen = snap.n_reps;
        }
    }
    struct fc_analysis fa, fb;
    fc_analyzer_finish(a, &fa);
    fc_analyzer_finish(b, &fb);
    cr_assert_eq(fa.n_reps, 3);
    cr_assert_eq(fb.n_reps, 3);
    cr_assert_geq(seen, 2, "the reps were told only at the end");
    for (size_t r = 0; r < seen; r++)
        cr_assert_float_eq(fa.reps[r].t_end_s, ends[r], 1e-9);
    fc_analyzer_free(a);
    fc_analyzer_free(b);
    fc_pose_track_free(&t);
}
