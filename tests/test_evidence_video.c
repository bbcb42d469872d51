/* The HTML report's evidence for a video input: a still of the finding's
 * frame, cut from a clip made at test time with the ffmpeg program, with a
 * hand-made stick figure as its keypoints; embedded as a JPEG data: URI
 * that FFmpeg decodes back (capture/decoder.h, not formcheck's encoder) to
 * the size the page states, showing the video's own picture and the
 * finding's lines in its colour. The JPEG encoder (capture/jpeg.h) round
 * trip too. */
#include <criterion/criterion.h>
#include <libavutil/log.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decoder.h"
#include "capture/jpeg.h"
#include "report/evidence.h"
#include "report/report.h"
#include "support/testutil.h"

static char tmpdir[4096];

static void setup(void)
{
    av_log_set_level(AV_LOG_QUIET);
    fc_test_mkdtemp(tmpdir, sizeof tmpdir);
}

static void teardown(void)
{
    fc_test_rmtree(tmpdir);
}

TestSuite(evidence_video, .init = setup, .fini = teardown, .timeout = 120);

static const char *tpath(const char *name)
{
    static char buf[4][sizeof tmpdir + 64];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", tmpdir, name);
    return b;
}

/* A JPEG file decoded by FFmpeg to RGB; returns the pixels (caller frees). */
static uint8_t *decode_picture(const char *path, int *w, int *h)
{
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&dec, path, NULL, &err), 0, "%s", err.msg);
    struct fc_frame f;
    cr_assert_eq(fc_decoder_next(dec, &f, &err), 0, "%s", err.msg);
    *w = f.width;
    *h = f.height;
    uint8_t *rgb = malloc((size_t)*w * *h * 3);
    cr_assert_eq(fc_frame_to_rgb(&f, 0, 0, *w, *h, *w, *h, rgb, *w * 3, NULL, &err), 0, "%s",
                 err.msg);
    fc_frame_release(&f);
    fc_decoder_close(dec);
    return rgb;
}

/* RFC 4648 base64, decoded independently of the writer's encoder. */
static size_t unbase64(const char *s, uint8_t *out)
{
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (; *s && *s != '"'; s++) {
        const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const char *p = strchr(abc, *s);
        if (*s == '=' || !p)
            continue;
        acc = acc << 6 | (uint32_t)(p - abc);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    return n;
}

Test(evidence_video, jpeg_roundtrip)
{
    enum { W = 64, H = 48 };
    static uint8_t rgb[W * H * 3];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t *p = rgb + (y * W + x) * 3;
            p[0] = x < W / 2 ? 220 : 20; /* red left half, blue right half */
            p[1] = 30;
            p[2] = x < W / 2 ? 20 : 220;
        }
    uint8_t *jpg;
    size_t n;
    struct fc_error err = {0};
    cr_assert_eq(fc_jpeg_encode_rgb(rgb, W, H, W * 3, FC_JPEG_DEFAULT_QUALITY, &jpg, &n, &err), 0,
                 "%s", err.msg);
    cr_assert_gt(n, 4);
    cr_assert(jpg[0] == 0xff && jpg[1] == 0xd8, "SOI marker");
    cr_assert(jpg[n - 2] == 0xff && jpg[n - 1] == 0xd9, "EOI marker");
    const char *path = tpath("t.jpg");
    fc_test_write_file(path, jpg, n);
    free(jpg);
    int w, h;
    uint8_t *back = decode_picture(path, &w, &h);
    cr_assert_eq(w, W);
    cr_assert_eq(h, H);
    const uint8_t *l = back + (H / 2 * W + 8) * 3, *r = back + (H / 2 * W + W - 8) * 3;
    cr_assert(abs(l[0] - 220) < 20 && abs(l[2] - 20) < 20, "left %d,%d,%d", l[0], l[1], l[2]);
    cr_assert(abs(r[0] - 20) < 20 && abs(r[2] - 220) < 20, "right %d,%d,%d", r[0], r[1], r[2]);
    free(back);

    cr_assert_lt(fc_jpeg_encode_rgb(rgb, 0, H, W * 3, 4, &jpg, &n, &err), 0);
    cr_assert_eq(err.code, FC_ERR_ARG);
    cr_assert_null(jpg);
}

/* A front-view stick figure in a 320x240 picture, the left knee 20 deg
 * valgus (its shank turned towards the midline, image left). */
static void stick_figure(struct fc_keypoints *k, double t)
{
    k->t_s = t;
    for (int j = 0; j < FC_JOINT_COUNT; j++) {
        k->x[j] = k->y[j] = k->z[j] = NAN;
        k->score[j] = 0;
    }
    const float s = 0.9f;
    fc_keypoints_set(k, FC_JOINT_NOSE, 160, 40, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_SHOULDER, 190, 70, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_SHOULDER, 130, 70, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_HIP, 180, 130, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_HIP, 140, 130, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_KNEE, 180, 170, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_KNEE, 140, 170, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_ANKLE, 180 - 40 * sinf(0.349f), 170 + 40 * cosf(0.349f), NAN,
                     s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_ANKLE, 140, 210, NAN, s);
}

Test(evidence_video, still_in_the_page_decodes_to_its_stated_size)
{
    const char *video = tpath("input.mp4");
    fc_test_ffmpeg(
        "-f lavfi -i testsrc2=s=320x240:r=25:d=1 -pix_fmt yuv420p -c:v mpeg4 -q:v 3 '%s'", video);
    /* The track: one frame per video frame, at the video's times. */
    enum { N = 25 };
    struct fc_pose_track track;
    struct fc_error err = {0};
    fc_pose_track_init(&track, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    track.width = 320;
    track.height = 240;
    track.rate_hz = 25;
    static struct fc_frame_metrics frames[N];
    for (int i = 0; i < N; i++) {
        stick_figure(fc_pose_track_push(&track, &err), i / 25.0);
        frames[i].t_s = i / 25.0;
        frames[i].rep = i >= 5 && i <= 20 ? 0 : -1;
        for (int m = 0; m < FC_METRIC_COUNT; m++)
            frames[i].value[m] = NAN;
        frames[i].value[FC_M_KNEE_FPPA_LEFT] = 20;
    }
    struct fc_rep rep = {.index = 0, .t_start_s = 0.2, .t_bottom_s = 0.48, .t_end_s = 0.8};
    struct fc_analysis an = {.exercise = FC_EXERCISE_SQUAT,
                             .view = FC_VIEW_FRONT,
                             .n_reps = 1,
                             .n_reps_detailed = 1,
                             .reps = &rep};
    struct fc_threshold th;
    memset(&th, 0, sizeof th);
    th.metric = FC_M_KNEE_FPPA_LEFT;
    th.measure = FC_MEASURE_REP_PEAK;
    th.direction = 1;
    th.watch = 13;
    th.fault_level = 16.8;
    snprintf(th.fault, sizeof th.fault, "knee valgus");
    struct fc_finding f = {.threshold = &th,
                           .severity = FC_SEVERITY_FAULT,
                           .side = FC_SIDE_LEFT,
                           .rep = 0,
                           .t_s = 0.48, /* frame 12 */
                           .magnitude = 20,
                           .uncertainty = 3,
                           .level = 16.8};
    snprintf(f.what, sizeof f.what, "rep 1: left knee caves in");
    struct fc_grade g = {.score = 60, .band = "needs work", .n_findings = 1, .findings = &f};
    struct fc_thresholds ths = {1, &th};
    struct fc_source_info src = {.width = 320, .height = 240, .codec = "mpeg4"};
    struct fc_report r = {.input_path = video,
                          .input_kind = "video",
                          .analysis = &an,
                          .grade = &g,
                          .thresholds = &ths,
                          .frames = frames,
                          .n_frames = N,
                          .video = &src,
                          .track = &track};

    struct fc_evidence ev;
    cr_assert_eq(fc_evidence_from_video(video, &r, &ev, &err), 0, "%s", err.msg);
    cr_assert_eq(ev.n, 1);
    cr_assert_eq(ev.still[0].frame, 12);
    cr_assert_float_eq(ev.still[0].t_s, 0.48, 1e-6);
    r.evidence = &ev;
    const char *html_path = tpath("report.html");
    cr_assert_eq(fc_report_html(html_path, &r, &err), 0, "%s", err.msg);
    char *html = fc_test_read_file(html_path, NULL);
    const char *fig = strstr(html, "<figure id=\"evidence-1\" data-rep=\"1\" data-t=\"0.480\"");
    cr_assert_not_null(fig, "no evidence figure for rep 1 at 0.48 s");
    int w_page, h_page;
    const char *img = strstr(fig, "<img width=");
    cr_assert_not_null(img);
    cr_assert_eq(sscanf(img, "<img width=\"%d\" height=\"%d\"", &w_page, &h_page), 2);
    const char *uri = strstr(img, "src=\"data:image/jpeg;base64,");
    cr_assert_not_null(uri);
    uri += strlen("src=\"data:image/jpeg;base64,");
    uint8_t *jpg = malloc(strlen(uri));
    size_t n = unbase64(uri, jpg);
    cr_assert_eq(n, ev.still[0].jpeg_size);
    cr_assert(strstr(fig, "20.0 \xc2\xb1 3.0 deg"), "the value in the caption");
    const char *still = tpath("still.jpg");
    fc_test_write_file(still, jpg, n);
    free(jpg);
    free(html);

    int w, h;
    uint8_t *rgb = decode_picture(still, &w, &h);
    cr_assert_eq(w, w_page);
    cr_assert_eq(h, h_page);
    /* Cropped to the body and enlarged: the seen joints span 160 x 170
     * pixels, so the still is larger than that and within its box. */
    cr_assert(w > 160 && h > 170 && w <= FC_EVIDENCE_MAX_SIDE_PX && h <= FC_EVIDENCE_MAX_SIDE_PX,
              "%dx%d", w, h);
    /* The shank, in the fault's red, half-way down it; the keypoints'
     * (x, y) maps to the still through the crop: find the scale from the
     * crop the writer chose. */
    struct fc_keypoints k;
    double x0, y0, cw, ch;
    cr_assert_eq(fc_evidence_keypoints(&track, 12, &k), 0);
    cr_assert_eq(fc_evidence_region(&k, &x0, &y0, &cw, &ch), 0);
    double s = w / cw;
    double sx = (k.x[FC_JOINT_LEFT_KNEE] + k.x[FC_JOINT_LEFT_ANKLE]) / 2;
    double sy = (k.y[FC_JOINT_LEFT_KNEE] + k.y[FC_JOINT_LEFT_ANKLE]) / 2;
    int px = (int)lround((sx - x0) * s), py = (int)lround((sy - y0) * s);
    const uint8_t *p = rgb + ((size_t)py * w + px) * 3;
    cr_assert(p[0] > 150 && p[1] < 90 && p[2] < 90, "shank at (%d, %d) is %d,%d,%d, not red", px,
              py, p[0], p[1], p[2]);
    free(rgb);
    fc_evidence_free(&ev);
    fc_pose_track_free(&track);
}

/* A video that is not there: an error naming it, and no evidence. */
Test(evidence_video, missing_video_is_named)
{
    struct fc_pose_track track;
    struct fc_error err = {0};
    fc_pose_track_init(&track, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    stick_figure(fc_pose_track_push(&track, &err), 0);
    struct fc_frame_metrics fm = {.t_s = 0, .rep = 0};
    struct fc_threshold th = {.metric = FC_M_KNEE_FPPA_LEFT, .direction = 1};
    struct fc_finding f = {.threshold = &th, .rep = 0, .t_s = 0};
    struct fc_grade g = {.n_findings = 1, .findings = &f};
    struct fc_report r = {.grade = &g, .frames = &fm, .n_frames = 1, .track = &track};
    struct fc_evidence ev;
    const char *missing = tpath("nothing.mp4");
    cr_assert_lt(fc_evidence_from_video(missing, &r, &ev, &err), 0);
    cr_assert(strstr(err.msg, "nothing.mp4"), "%s", err.msg);
    cr_assert_eq(ev.n, 0);
    cr_assert_null(ev.still);
    fc_pose_track_free(&track);
}
