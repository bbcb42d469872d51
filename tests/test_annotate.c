/* The annotated video: the encoder (capture/encoder.h) round trip, the
 * drawing primitives and the built-in font, the cue words, and
 * fc_annotate_video end to end on a clip made at test time with the ffmpeg
 * program, with a hand-made stick figure as its keypoints. Decoding back
 * goes through capture/decoder.h, so what is checked is what a player
 * shows. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libavutil/log.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decoder.h"
#include "capture/encoder.h"
#include "report/annotate.h"
#include "report/cues.h"
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

TestSuite(annotate, .init = setup, .fini = teardown, .timeout = 120);

static const char *tpath(const char *name)
{
    static char buf[4][sizeof tmpdir + 64];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", tmpdir, name);
    return b;
}

/* A whole video decoded to RGB at its display size. */
#define MAXF 64
struct video {
    struct fc_video_info info;
    int n;
    double t[MAXF];
    uint8_t *rgb[MAXF];
};

static void decode_video(const char *path, struct video *v)
{
    memset(v, 0, sizeof *v);
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&dec, path, NULL, &err), 0, "%s", err.msg);
    v->info = *fc_decoder_info(dec);
    int w = v->info.width, h = v->info.height, rc;
    struct fc_frame f;
    while ((rc = fc_decoder_next(dec, &f, &err)) == 0) {
        cr_assert_lt(v->n, MAXF);
        v->t[v->n] = f.t_s;
        v->rgb[v->n] = malloc((size_t)w * h * 3);
        cr_assert_eq(fc_frame_to_rgb(&f, 0, 0, w, h, w, h, v->rgb[v->n], w * 3, NULL, &err), 0,
                     "%s", err.msg);
        v->n++;
        fc_frame_release(&f);
    }
    cr_assert_eq(rc, 1, "%s: %s", path, err.msg);
    fc_decoder_close(dec);
}

static void free_video(struct video *v)
{
    for (int i = 0; i < v->n; i++)
        free(v->rgb[i]);
}

static const uint8_t *px(const uint8_t *img, int w, int x, int y)
{
    return img + ((size_t)y * w + x) * 3;
}

/* ---- encoder ------------------------------------------------------------- */

/* Frame i: a dark horizontal ramp with a white 24x24 square moving right. */
static void make_frame(uint8_t *rgb, int w, int h, int i)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            p[0] = (uint8_t)(20 + x * 60 / w);
            p[1] = (uint8_t)(40 + y * 60 / h);
            p[2] = 80;
        }
    int sx = 10 + i * 4, sy = 40;
    for (int y = sy; y < sy + 24; y++)
        for (int x = sx; x < sx + 24 && x < w; x++)
            memset(rgb + ((size_t)y * w + x) * 3, 255, 3);
}

static void roundtrip(const char *codec, double max_mad)
{
    if (codec && !fc_test_have_encoder(codec))
        cr_skip("this ffmpeg has no %s encoder", codec);
    const int w = 192, h = 128, n = 30;
    const char *path = tpath("square.mp4");
    struct fc_encoder_params p = fc_encoder_default_params();
    p.fps = 25;
    p.codec = codec;
    struct fc_encoder *e;
    struct fc_error err = {0};
    cr_assert_eq(fc_encoder_open(&e, path, w, h, &p, &err), 0, "%s", err.msg);
    if (codec)
        cr_assert_str_eq(fc_encoder_codec_name(e), codec);
    uint8_t *frames[30];
    for (int i = 0; i < n; i++) {
        frames[i] = malloc((size_t)w * h * 3);
        make_frame(frames[i], w, h, i);
        cr_assert_eq(fc_encoder_write_rgb(e, frames[i], w * 3, i / 25.0, &err), 0, "%s", err.msg);
    }
    cr_assert_eq(fc_encoder_frames(e), n);
    cr_assert_eq(fc_encoder_close(e, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_test_dir_count(tmpdir), 1, "only the video is left");

    struct video v;
    decode_video(path, &v);
    cr_assert_eq(v.n, n, "%d frames", v.n);
    cr_assert_eq(v.info.width, w);
    cr_assert_eq(v.info.height, h);
    cr_assert_float_eq(v.info.fps, 25.0, 1e-3);
    for (int i = 0; i < n; i++) {
        cr_assert_float_eq(v.t[i], i / 25.0, 1e-4, "frame %d at %.5f s", i, v.t[i]);
        double sum = 0;
        for (size_t k = 0; k < (size_t)w * h * 3; k++)
            sum += abs((int)v.rgb[i][k] - (int)frames[i][k]);
        double mad = sum / ((double)w * h * 3);
        cr_assert_lt(mad, max_mad, "frame %d differs by %.2f on average", i, mad);
        /* the square where it was drawn, the ramp beside it */
        const uint8_t *in = px(v.rgb[i], w, 10 + i * 4 + 12, 52);
        cr_assert_gt(in[0] + in[1] + in[2], 3 * 230, "frame %d: square not white", i);
        const uint8_t *out = px(v.rgb[i], w, 10 + i * 4 + 12, 90);
        cr_assert_lt(out[0] + out[1] + out[2], 3 * 120, "frame %d: background too bright", i);
    }
    for (int i = 0; i < n; i++)
        free(frames[i]);
    free_video(&v);
}

Test(annotate, encoder_roundtrip_default)
{
    roundtrip(NULL, 2.5);
}

Test(annotate, encoder_roundtrip_x264)
{
    roundtrip("libx264", 2.5);
}

Test(annotate, encoder_roundtrip_mpeg4)
{
    roundtrip("mpeg4", 4.0);
}

/* Variable frame rate: every frame keeps its own time. */
Test(annotate, encoder_keeps_irregular_times)
{
    const double t[] = {0.0, 0.033, 0.070, 0.100, 0.180, 0.200, 0.251, 0.300, 0.410, 0.433};
    const int n = sizeof t / sizeof t[0], w = 64, h = 48;
    const char *path = tpath("vfr.mp4");
    struct fc_encoder_params p = fc_encoder_default_params();
    p.fps = 30;
    struct fc_encoder *e;
    struct fc_error err = {0};
    cr_assert_eq(fc_encoder_open(&e, path, w, h, &p, &err), 0, "%s", err.msg);
    uint8_t rgb[64 * 48 * 3];
    for (int i = 0; i < n; i++) {
        memset(rgb, 20 * i, sizeof rgb);
        cr_assert_eq(fc_encoder_write_rgb(e, rgb, w * 3, t[i], &err), 0, "%s", err.msg);
    }
    cr_assert_eq(fc_encoder_close(e, &err), 0, "%s", err.msg);
    struct video v;
    decode_video(path, &v);
    cr_assert_eq(v.n, n);
    for (int i = 0; i < n; i++)
        cr_assert_float_eq(v.t[i], t[i], 1e-4, "frame %d at %.5f s, written at %.5f s", i, v.t[i],
                           t[i]);
    free_video(&v);
}

Test(annotate, encoder_errors_name_the_file_and_leave_nothing)
{
    struct fc_encoder *e = (void *)1;
    struct fc_error err = {0};
    char bad[4200];
    snprintf(bad, sizeof bad, "%s/no-such-folder/out.mp4", tmpdir);
    cr_assert_lt(fc_encoder_open(&e, bad, 64, 48, NULL, &err), 0);
    cr_assert_null(e);
    cr_assert(strstr(err.msg, bad), "%s", err.msg);
    cr_assert_eq(err.code, FC_ERR_IO);

    const char *odd = tpath("odd.mp4");
    cr_assert_eq(fc_encoder_open(&e, odd, 63, 48, NULL, &err), FC_ERR_ARG);
    cr_assert(strstr(err.msg, "63x48"), "%s", err.msg);

    /* A container that cannot hold the codec. */
    cr_assert_lt(fc_encoder_open(&e, tpath("out.wav"), 64, 48, NULL, &err), 0);
    cr_assert(strstr(err.msg, "out.wav"), "%s", err.msg);

    /* Aborted part-way, and closed with no frames: nothing left. */
    const char *path = tpath("aborted.mp4");
    cr_assert_eq(fc_encoder_open(&e, path, 64, 48, NULL, &err), 0, "%s", err.msg);
    uint8_t rgb[64 * 48 * 3] = {0};
    cr_assert_eq(fc_encoder_write_rgb(e, rgb, 64 * 3, 0.0, &err), 0, "%s", err.msg);
    fc_encoder_abort(e);
    cr_assert_eq(fc_encoder_open(&e, path, 64, 48, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_encoder_close(e, &err), FC_ERR_EMPTY);
    cr_assert(strstr(err.msg, path), "%s", err.msg);
    cr_assert_eq(fc_test_dir_count(tmpdir), 0, "a failed encode left a file");
}

/* ---- drawing ------------------------------------------------------------- */

struct img {
    uint8_t rgb[120 * 80 * 3];
    struct fc_canvas c;
};

static void img_init(struct img *m)
{
    memset(m->rgb, 0, sizeof m->rgb);
    m->c = (struct fc_canvas){m->rgb, 120, 80, 120 * 3};
}

static int lit(const struct img *m, int x, int y)
{
    return m->rgb[((size_t)y * 120 + x) * 3 + 1];
}

Test(annotate, font_glyphs)
{
    /* 'H': both uprights and the bar on row 3. */
    const uint8_t *g = fc_font_glyph('H');
    cr_assert_not_null(g);
    cr_assert_eq(g[0], 0x7f);
    cr_assert_eq(g[2], 0x08);
    cr_assert_null(fc_font_glyph('\n'));
    cr_assert_eq(fc_font_glyph(0xb0), fc_font_glyph(0x7f), "degree sign");

    struct img m;
    img_init(&m);
    struct fc_rgb green = {0, 255, 0};
    cr_assert_eq(fc_draw_text(&m.c, 10, 20, "H", 1, green), 5);
    for (int row = 0; row < 7; row++) {
        cr_assert_eq(lit(&m, 10, 20 + row), 255, "left upright, row %d", row);
        cr_assert_eq(lit(&m, 14, 20 + row), 255, "right upright, row %d", row);
        cr_assert_eq(lit(&m, 12, 20 + row), row == 3 ? 255 : 0, "middle column, row %d", row);
    }
    cr_assert_eq(lit(&m, 15, 23), 0, "the gap after the glyph");
    cr_assert_eq(lit(&m, 10, 27), 0, "no eighth row for a capital");

    /* Scaled 3x: each font pixel is a 3x3 block; "L" foot at rows 18-20. */
    img_init(&m);
    cr_assert_eq(fc_draw_text(&m.c, 30, 10, "HL", 3, green), 2 * 6 * 3 - 3);
    cr_assert_eq(lit(&m, 30, 10), 255);
    cr_assert_eq(lit(&m, 32, 30), 255);
    cr_assert_eq(lit(&m, 33, 10), 0, "H column 1 is empty above the bar");
    cr_assert_eq(lit(&m, 33, 19), 255, "H bar, scaled");
    int lx = 30 + 6 * 3; /* the L */
    for (int x = lx; x < lx + 15; x++)
        cr_assert_eq(lit(&m, x, 29), 255, "L foot at x %d", x);
    cr_assert_eq(lit(&m, lx + 4, 20), 0);

    /* Widths: characters and the degree sign in UTF-8. */
    cr_assert_eq(fc_text_width("FPPA 12\xc2\xb0", 2), 8 * 12 - 2);
    cr_assert_eq(fc_text_width("", 2), 0);
    cr_assert_eq(fc_text_height(3), 21);
    /* Off the canvas on every side: clipped, no writes out of bounds. */
    fc_draw_text(&m.c, -7, -5, "CLIPPED TEXT", 4, green);
    fc_draw_text(&m.c, 100, 70, "CLIPPED TEXT", 4, green);
}

Test(annotate, line_endpoints_and_width)
{
    struct img m;
    img_init(&m);
    struct fc_rgb green = {0, 255, 0};
    /* From pixel (10, 10) to pixel (50, 30), 3 px wide. */
    fc_draw_line(&m.c, 10.5f, 10.5f, 50.5f, 30.5f, 3, green, 1);
    cr_assert_eq(lit(&m, 10, 10), 255, "start");
    cr_assert_eq(lit(&m, 50, 30), 255, "end");
    cr_assert_eq(lit(&m, 30, 20), 255, "middle");
    cr_assert_eq(lit(&m, 7, 10), 0, "before the start");
    cr_assert_eq(lit(&m, 53, 31), 0, "past the end");
    cr_assert_eq(lit(&m, 30, 24), 0, "beside the line");
    cr_assert_eq(lit(&m, 30, 16), 0, "beside the line");
    cr_assert_gt(lit(&m, 31, 21), 0, "within the width");

    /* A vertical line 4 px wide covers 4 columns, anti-aliased at most a
     * pixel beyond. */
    img_init(&m);
    fc_draw_line(&m.c, 60, 10, 60, 60, 4, green, 1);
    for (int x = 58; x < 62; x++)
        cr_assert_eq(lit(&m, x, 30), 255, "column %d", x);
    cr_assert_eq(lit(&m, 56, 30), 0);
    cr_assert_eq(lit(&m, 63, 30), 0);
    cr_assert_eq(lit(&m, 60, 5), 0, "round end does not reach 5 px past");

    /* Half-transparent over black gives half the colour. */
    img_init(&m);
    fc_draw_disc(&m.c, 20, 20, 5, green, 0.5f);
    cr_assert(abs(lit(&m, 20, 20) - 128) <= 1, "%d", lit(&m, 20, 20));
    fc_draw_rect(&m.c, 70, 50, 10, 10, green, 1);
    cr_assert_eq(lit(&m, 70, 50), 255);
    cr_assert_eq(lit(&m, 80, 50), 0);

    /* Mostly off the canvas, and NaN: clipped or ignored. */
    fc_draw_line(&m.c, -500, -300, 1000, 60, 7, green, 1);
    fc_draw_line(&m.c, NAN, 10, 20, 20, 3, green, 1);
    fc_draw_rect(&m.c, -20, -20, 500, 500, green, 0.2f);
}

/* ---- cues ---------------------------------------------------------------- */

static struct fc_threshold threshold(enum fc_metric m, enum fc_measure measure, int direction,
                                     const char *fault)
{
    struct fc_threshold t;
    memset(&t, 0, sizeof t);
    t.metric = m;
    t.measure = measure;
    t.direction = direction;
    snprintf(t.fault, sizeof t.fault, "%s", fault);
    return t;
}

static void check_cue(struct fc_threshold t, int side, const char *want)
{
    struct fc_finding f;
    memset(&f, 0, sizeof f);
    f.threshold = &t;
    f.side = side;
    f.severity = FC_SEVERITY_FAULT;
    char buf[64];
    fc_annotate_cue(&f, buf, sizeof buf);
    cr_assert_str_eq(buf, want);
}

Test(annotate, cue_words)
{
    check_cue(threshold(FC_M_KNEE_FPPA_LEFT, FC_MEASURE_REP_PEAK, 1, "knee valgus"), FC_SIDE_LEFT,
              "LEFT KNEE CAVING IN");
    check_cue(threshold(FC_M_KNEE_FPPA_RIGHT, FC_MEASURE_REP_PEAK, -1, "knee varus"), FC_SIDE_RIGHT,
              "RIGHT KNEE BOWING OUT");
    /* hip drop: the finding's side is the stance leg, the other hip drops */
    check_cue(threshold(FC_M_HIP_DROP, FC_MEASURE_REP_PEAK, 1, "hip drop"), FC_SIDE_LEFT,
              "RIGHT HIP DROPPING");
    check_cue(threshold(FC_M_PELVIC_OBLIQUITY, FC_MEASURE_REP_PEAK, 0, "pelvis not level"),
              FC_SIDE_LEFT, "PELVIS TILTED: RIGHT HIP LOW");
    check_cue(threshold(FC_M_KNEE_FPPA_LEFT, FC_MEASURE_ASYMMETRY, 0, "knee valgus asymmetry"),
              FC_SIDE_RIGHT, "KNEES UNEVEN");
    check_cue(threshold(FC_M_DEPTH, FC_MEASURE_REP_PEAK, -1, "shallow squat"), -1,
              "NOT DEEP ENOUGH");
    check_cue(threshold(FC_M_TRUNK_LEAN_LATERAL, FC_MEASURE_SET_MEAN, 0, "lateral trunk lean"),
              FC_SIDE_RIGHT, "TRUNK LEANING RIGHT");
    check_cue(threshold(FC_M_PELVIC_TILT_PROXY, FC_MEASURE_REP_PEAK, 1, "pelvic tuck"), -1,
              "PELVIC TUCK");
    /* without a side, and the asymmetry and stance wordings */
    check_cue(threshold(FC_M_HIP_DROP, FC_MEASURE_REP_PEAK, 1, "hip drop"), -1, "HIP DROPPING");
    check_cue(threshold(FC_M_HIP_DROP, FC_MEASURE_ASYMMETRY, 0, "uneven hip drop"), FC_SIDE_LEFT,
              "MORE HIP DROP IN LEFT STANCE");
    check_cue(threshold(FC_M_HIP_DROP, FC_MEASURE_ASYMMETRY, 0, "uneven hip drop"), -1,
              "UNEVEN HIP DROP");
    check_cue(threshold(FC_M_PELVIC_OBLIQUITY, FC_MEASURE_REP_PEAK, 0, "pelvis not level"), -1,
              "PELVIS NOT LEVEL");
    check_cue(threshold(FC_M_TRUNK_LEAN_LATERAL, FC_MEASURE_REP_PEAK, 0, "lateral trunk lean"), -1,
              "TRUNK LEANING SIDEWAYS");
    check_cue(threshold(FC_M_LATERAL_SHIFT, FC_MEASURE_REP_PEAK, 0, "lateral shift"), FC_SIDE_LEFT,
              "HIPS SHIFTING LEFT");
    check_cue(threshold(FC_M_DEPTH, FC_MEASURE_REP_PEAK, 1, "too deep"), FC_SIDE_LEFT, "TOO DEEP");
    check_cue(threshold(FC_M_KNEE_TRAVEL, FC_MEASURE_REP_PEAK, 1, "knee travel"), FC_SIDE_RIGHT,
              "KNEE PAST THE TOES");
    /* a leg's own metric without words of its own: its side and the fault */
    check_cue(threshold(FC_M_KNEE_FLEXION_RIGHT, FC_MEASURE_REP_PEAK, -1, "shallow knee bend"),
              FC_SIDE_RIGHT, "RIGHT SHALLOW KNEE BEND");
    /* a signed marker angle: the fault alone, no side */
    check_cue(threshold(FC_M_PELVIS_ROTATION_3D, FC_MEASURE_REP_PEAK, 0, "pelvic rotation"),
              FC_SIDE_LEFT, "PELVIC ROTATION");
    check_cue(threshold(FC_M_PELVIS_TILT_3D, FC_MEASURE_REP_PEAK, 0, ""), -1, "CHECK FORM");
    /* truncated to the buffer, still terminated */
    struct fc_threshold t = threshold(FC_M_KNEE_FPPA_LEFT, FC_MEASURE_REP_PEAK, 1, "knee valgus");
    struct fc_finding f = {.threshold = &t, .side = FC_SIDE_LEFT};
    char small[6];
    fc_annotate_cue(&f, small, sizeof small);
    cr_assert_str_eq(small, "LEFT ");
}

/* ---- end to end ---------------------------------------------------------- */

/* The stick figure, in the 320x240 input's pixels: legs straight down so a
 * bone's pixels are easy to find. The left wrist is not seen. */
static void stick_figure(struct fc_keypoints *k, double t)
{
    fc_keypoints_clear(k, t);
    const float s = 0.9f;
    fc_keypoints_set(k, FC_JOINT_NOSE, 160, 40, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_EYE, 165, 36, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_EYE, 155, 36, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_SHOULDER, 185, 70, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_SHOULDER, 135, 70, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_ELBOW, 195, 105, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_ELBOW, 125, 105, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_WRIST, 120, 135, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_HIP, 180, 130, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_HIP, 140, 130, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_KNEE, 180, 170, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_KNEE, 140, 170, NAN, s);
    fc_keypoints_set(k, FC_JOINT_LEFT_ANKLE, 180, 210, NAN, s);
    fc_keypoints_set(k, FC_JOINT_RIGHT_ANKLE, 140, 210, NAN, s);
}

struct session {
    struct fc_pose_track track;
    struct fc_frame_metrics frames[MAXF];
    struct fc_rep rep;
    struct fc_analysis analysis;
    struct fc_threshold threshold;
    struct fc_finding finding;
    struct fc_grade grade;
    struct fc_annotate_input in;
};

/* One squat rep from 0.2 to 0.8 s with a left knee valgus fault in it. */
static void make_session(struct session *s, const char *video, const struct video *v,
                         double shift_s)
{
    memset(s, 0, sizeof *s);
    struct fc_error err = {0};
    fc_pose_track_init(&s->track, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    s->track.width = v->info.width;
    s->track.height = v->info.height;
    s->track.rate_hz = v->info.fps;
    for (int i = 0; i < v->n; i++) {
        struct fc_keypoints *k = fc_pose_track_push(&s->track, &err);
        cr_assert_not_null(k, "%s", err.msg);
        stick_figure(k, v->t[i] + shift_s);
        s->frames[i].t_s = v->t[i];
        for (int m = 0; m < FC_METRIC_COUNT; m++)
            s->frames[i].value[m] = NAN;
        s->frames[i].value[FC_M_KNEE_FPPA_LEFT] = 12;
        s->frames[i].value[FC_M_KNEE_FPPA_RIGHT] = -3;
        s->frames[i].rep = v->t[i] >= 0.2 && v->t[i] <= 0.8 ? 0 : -1;
    }
    s->rep.index = 0;
    s->rep.t_start_s = 0.2;
    s->rep.t_bottom_s = 0.5;
    s->rep.t_end_s = 0.8;
    s->rep.side = -1;
    s->analysis.exercise = FC_EXERCISE_SQUAT;
    s->analysis.view = FC_VIEW_FRONT;
    s->analysis.n_reps = s->analysis.n_reps_detailed = 1;
    s->analysis.reps = &s->rep;
    s->threshold = threshold(FC_M_KNEE_FPPA_LEFT, FC_MEASURE_REP_PEAK, 1, "knee valgus");
    s->finding.threshold = &s->threshold;
    s->finding.severity = FC_SEVERITY_FAULT;
    s->finding.side = FC_SIDE_LEFT;
    s->finding.rep = 0;
    s->grade.score = 62;
    s->grade.band = "needs work";
    s->grade.n_findings = 1;
    s->grade.findings = &s->finding;
    s->in = (struct fc_annotate_input){video, &s->track, s->frames, &s->analysis, &s->grade};
}

static const char *make_input(void)
{
    const char *path = tpath("input.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=1 -pix_fmt yuv420p -c:v %s '%s'",
                   fc_test_have_encoder("libx264") ? "libx264" : "mpeg4", path);
    return path;
}

static int mean_luma(const uint8_t *img, int w, int x0, int y0, int x1, int y1)
{
    long sum = 0, n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++, n++) {
            const uint8_t *p = px(img, w, x, y);
            sum += (p[0] + p[1] + p[2]) / 3;
        }
    return (int)(sum / n);
}

Test(annotate, video_end_to_end)
{
    const char *input = make_input();
    struct video in;
    decode_video(input, &in);
    cr_assert_eq(in.n, 25);
    struct session *s = malloc(sizeof *s);
    make_session(s, input, &in, 0);

    const char *out = tpath("annotated.mp4");
    struct fc_annotate_stats st;
    struct fc_error err = {0};
    cr_assert_eq(fc_annotate_video(out, &s->in, NULL, &st, &err), 0, "%s", err.msg);
    cr_assert_eq(st.frames, 25);
    cr_assert_eq(st.frames_matched, 25);
    cr_assert_eq(st.width, 320);
    cr_assert_eq(st.height, 240);

    struct video v;
    decode_video(out, &v);
    cr_assert_eq(v.n, 25, "%d frames", v.n);
    cr_assert_eq(v.info.width, 320);
    cr_assert_eq(v.info.height, 240);
    for (int i = 0; i < v.n; i++)
        cr_assert_float_eq(v.t[i], in.t[i], 1e-4, "frame %d at %.4f s, input %.4f s", i, v.t[i],
                           in.t[i]);

    const int w = 320;
    for (int i = 0; i < v.n; i += 6) {
        /* On the left shin (180, 170)-(180, 210), confident: green. */
        const uint8_t *p = px(v.rgb[i], w, 180, 190);
        cr_assert(p[1] > 150 && p[1] > p[0] + 60 && p[1] > p[2] + 40,
                  "frame %d: shin pixel %d,%d,%d is not the bone's green", i, p[0], p[1], p[2]);
        /* On the right thigh too. */
        p = px(v.rgb[i], w, 140, 150);
        cr_assert(p[1] > 150 && p[1] > p[0] + 60, "frame %d: thigh pixel %d,%d,%d", i, p[0], p[1],
                  p[2]);
        /* Where the unseen left wrist would be, and between the knees:
         * the input's picture. */
        int a = mean_luma(v.rgb[i], w, 196, 138, 204, 146);
        int b = mean_luma(in.rgb[i], w, 196, 138, 204, 146);
        cr_assert_lt(abs(a - b), 12, "frame %d: something drawn at the missing wrist", i);
        a = mean_luma(v.rgb[i], w, 155, 185, 165, 195);
        b = mean_luma(in.rgb[i], w, 155, 185, 165, 195);
        cr_assert_lt(abs(a - b), 12, "frame %d: something drawn between the legs", i);
        /* The header bar darkens the top. */
        a = mean_luma(v.rgb[i], w, 0, 0, 320, 8);
        b = mean_luma(in.rgb[i], w, 0, 0, 320, 8);
        cr_assert_lt(a, b * 0.6 + 8, "frame %d: header bar missing (%d vs %d)", i, a, b);
    }
    /* The cue: a red box under the header (13 px at 1x text) during the
     * rep (0.2-0.8 s), not before or after it; on the left, as the body is
     * not left of the centre. */
    for (int i = 0; i < v.n; i++) {
        const uint8_t *p = px(v.rgb[i], w, 20, 17);
        int red = p[0] > 150 && p[1] < 100 && p[2] < 100;
        int in_rep = in.t[i] >= 0.2 + 1e-6 && in.t[i] <= 0.8 - 1e-6;
        if (in_rep)
            cr_assert(red, "frame %d (%.2f s): no red cue (%d,%d,%d)", i, in.t[i], p[0], p[1],
                      p[2]);
        else if (in.t[i] < 0.15 || in.t[i] > 0.85)
            cr_assert(!red, "frame %d (%.2f s): a cue outside the rep", i, in.t[i]);
    }
    free_video(&v);
    free_video(&in);
    fc_pose_track_free(&s->track);
    free(s);
}

Test(annotate, overlay_without_metrics_or_grade)
{
    /* Only the keypoints: a skeleton and an empty header, no crash. */
    struct fc_pose_track t;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_NORMALIZED, 2);
    struct fc_keypoints *k = fc_pose_track_push(&t, &err);
    stick_figure(k, 0);
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        k->x[j] /= 320;
        k->y[j] /= 240;
    }
    struct fc_annotate_input in = {.track = &t};
    struct fc_annotator *a;
    cr_assert_eq(fc_annotator_new(&a, &in, &err), 0, "%s", err.msg);
    struct img m;
    img_init(&m);
    fc_annotator_draw(a, &m.c, 0, 0.0, 120, 80);
    /* left shin at (180/320, 190/240) of 120x80 */
    cr_assert_gt(lit(&m, 67, 63), 150);
    fc_annotator_draw(a, &m.c, -1, 0.0, 120, 80);
    fc_annotator_free(a);
    fc_pose_track_free(&t);
}

Test(annotate, video_errors_leave_no_file)
{
    const char *input = make_input();
    struct video in;
    decode_video(input, &in);
    struct session *s = malloc(sizeof *s);
    make_session(s, input, &in, 0);
    struct fc_error err = {0};
    int before = fc_test_dir_count(tmpdir);

    char bad[4200];
    snprintf(bad, sizeof bad, "%s/missing/annotated.mp4", tmpdir);
    cr_assert_lt(fc_annotate_video(bad, &s->in, NULL, NULL, &err), 0);
    cr_assert(strstr(err.msg, bad), "%s", err.msg);
    cr_assert_eq(fc_test_dir_count(tmpdir), before);

    /* Keypoints from another recording: no frame time matches. */
    fc_pose_track_free(&s->track);
    make_session(s, input, &in, 100.0);
    const char *out = tpath("annotated.mp4");
    cr_assert_lt(fc_annotate_video(out, &s->in, NULL, NULL, &err), 0);
    cr_assert(strstr(err.msg, input), "%s", err.msg);
    cr_assert(strstr(err.msg, "match"), "%s", err.msg);
    cr_assert_not(fc_test_file_exists(out));
    cr_assert_eq(fc_test_dir_count(tmpdir), before);

    /* A video that is not there. */
    s->in.video_path = tpath("nothing.mp4");
    cr_assert_lt(fc_annotate_video(out, &s->in, NULL, NULL, &err), 0);
    cr_assert(strstr(err.msg, "nothing.mp4"), "%s", err.msg);
    cr_assert_eq(fc_test_dir_count(tmpdir), before);

    fc_pose_track_free(&s->track);
    free(s);
    free_video(&in);
}

/* Cue timing and colour, on a canvas: a set-level hip drop for left
 * stance (watch: amber) shows in the left-stance rep only; a fault in rep
 * 1 (red) only in rep 1; nothing between reps. */
Test(annotate, cues_follow_reps)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    stick_figure(fc_pose_track_push(&t, &err), 0);
    struct fc_rep reps[2] = {{.index = 0, .t_start_s = 1, .t_end_s = 2, .side = FC_SIDE_LEFT},
                             {.index = 1, .t_start_s = 3, .t_end_s = 4, .side = FC_SIDE_RIGHT}};
    struct fc_analysis an = {.exercise = FC_EXERCISE_GAIT,
                             .view = FC_VIEW_FRONT,
                             .n_reps = 2,
                             .n_reps_detailed = 2,
                             .reps = reps};
    struct fc_threshold drop = threshold(FC_M_HIP_DROP, FC_MEASURE_SET_MEAN, 1, "hip drop");
    struct fc_threshold lean =
        threshold(FC_M_TRUNK_LEAN_LATERAL, FC_MEASURE_REP_PEAK, 0, "lateral trunk lean");
    struct fc_finding f[2] = {
        {.threshold = &lean, .severity = FC_SEVERITY_FAULT, .side = FC_SIDE_RIGHT, .rep = 1},
        {.threshold = &drop, .severity = FC_SEVERITY_WATCH, .side = FC_SIDE_LEFT, .rep = -1},
    };
    struct fc_grade g = {.score = 80, .band = "fair", .n_findings = 2, .findings = f};
    struct fc_annotate_input in = {.track = &t, .analysis = &an, .grade = &g};
    struct fc_annotator *a;
    cr_assert_eq(fc_annotator_new(&a, &in, &err), 0, "%s", err.msg);
    static uint8_t rgb[320 * 240 * 3];
    struct fc_canvas c = {rgb, 320, 240, 320 * 3};
    const double times[] = {0.5, 1.5, 2.5, 3.5};
    for (int i = 0; i < 4; i++) {
        memset(rgb, 0, sizeof rgb);
        fc_annotator_draw(a, &c, 0, times[i], 1, 1);
        /* the first cue box: under the 13-px header, on the left */
        const uint8_t *p = px(rgb, 320, 4, 17);
        if (i == 1)
            cr_assert(p[0] > 180 && p[1] > 120 && p[1] < 170 && p[2] < 60,
                      "rep 1: no amber cue (%d,%d,%d)", p[0], p[1], p[2]);
        else if (i == 3)
            cr_assert(p[0] > 150 && p[1] < 60 && p[2] < 60, "rep 2: no red cue (%d,%d,%d)", p[0],
                      p[1], p[2]);
        else
            cr_assert(p[0] + p[1] + p[2] == 0, "%.1f s: a cue between reps", times[i]);
        /* rep 2 has only its own fault: one box, nothing below it */
        if (i == 3) {
            p = px(rgb, 320, 4, 33);
            cr_assert(p[0] + p[1] + p[2] < 30, "rep 2 shows a second cue (%d,%d,%d)", p[0], p[1],
                      p[2]);
        }
    }
    fc_annotator_free(a);
    fc_pose_track_free(&t);
}

/* A live cue (report/cues.h) names the side its finding names: the same
 * hip drop in a step-up, graded from a rep whose leading (stance) leg is
 * the left and cued from frames whose stance is the left, is the right hip
 * dropping in both. */
Test(annotate, live_cue_side_and_words_agree_with_the_finding)
{
    struct fc_error err = {0};
    struct fc_thresholds th;
    cr_assert_eq(fc_thresholds_load(NULL, &th, &err), 0, "%s", err.msg);
    static struct fc_rep rep;
    memset(&rep, 0, sizeof rep);
    rep.t_start_s = 1;
    rep.t_bottom_s = 1.5;
    rep.t_end_s = 2;
    rep.side = FC_SIDE_LEFT;
    rep.tracked_fraction = 1;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        rep.peak[m] = rep.at_bottom[m] = NAN;
        rep.t_peak_s[m] = 1.5;
    }
    const float drop_deg = 12; /* past every published hip-drop fault level */
    rep.peak[FC_M_HIP_DROP] = drop_deg;
    struct fc_analysis an;
    memset(&an, 0, sizeof an);
    an.exercise = FC_EXERCISE_STEP_UP;
    an.view = an.view_detected = FC_VIEW_FRONT;
    an.has_baseline = 1;
    an.frames = an.frames_tracked = 90;
    an.n_reps = an.n_reps_detailed = 1;
    an.reps = &rep;
    an.asymmetry_fppa_deg = an.asymmetry_knee_flexion_deg = an.asymmetry_hip_drop_deg = NAN;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        an.metric[m].measurable = fc_metric_info((enum fc_metric)m)->plane == FC_PLANE_FRONTAL;

    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&an, &th, &g, &err), 0, "%s", err.msg);
    const struct fc_finding *f = NULL;
    for (size_t i = 0; i < g.n_findings; i++)
        if (g.findings[i].threshold->metric == FC_M_HIP_DROP &&
            g.findings[i].threshold->measure == FC_MEASURE_REP_PEAK)
            f = &g.findings[i];
    cr_assert_not_null(f, "no hip drop finding");
    cr_assert_eq(f->side, FC_SIDE_LEFT);
    char words[64];
    fc_annotate_cue(f, words, sizeof words);
    cr_assert_str_eq(words, "RIGHT HIP DROPPING");

    struct fc_cues cues;
    cr_assert_eq(fc_cues_init(&cues, &th, NULL, &err), 0, "%s", err.msg);
    struct fc_cue_event ev[FC_CUES_MAX_EVENTS];
    int on = -1;
    for (int i = 0; i < 30 && on < 0; i++) {
        struct fc_frame_metrics m;
        memset(&m, 0, sizeof m);
        m.t_s = 1 + i / 30.0;
        m.rep = 0;
        m.tracked = 1;
        m.stance = FC_SIDE_LEFT;
        for (int k = 0; k < FC_METRIC_COUNT; k++)
            m.value[k] = NAN;
        m.value[FC_M_HIP_DROP] = drop_deg;
        int n = fc_cues_update(&cues, &an, &m, ev);
        for (int e = 0; e < n; e++)
            if (ev[e].on && cues.cue[ev[e].cue].threshold == f->threshold)
                on = ev[e].cue;
    }
    cr_assert_geq(on, 0, "the hip drop cue never came on");
    cr_assert_eq(cues.cue[on].side, f->side);
    cr_assert_str_eq(cues.cue[on].text, words);
    fc_cues_free(&cues);
    fc_grade_free(&g);
    fc_thresholds_free(&th);
}

/* The overlay never writes a value the report calls not measurable: a
 * frame whose FPPA carries the out-of-plane bit draws exactly what a frame
 * without the value draws, though the value itself is finite; without the
 * bit the label appears. */
Test(annotate, out_of_plane_value_is_not_drawn)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    stick_figure(fc_pose_track_push(&t, &err), 0);
    struct fc_frame_metrics m;
    memset(&m, 0, sizeof m);
    m.rep = -1;
    for (int k = 0; k < FC_METRIC_COUNT; k++)
        m.value[k] = NAN;
    struct fc_annotate_input in = {.track = &t, .frames = &m};
    struct fc_annotator *a;
    cr_assert_eq(fc_annotator_new(&a, &in, &err), 0, "%s", err.msg);
    static uint8_t none[320 * 240 * 3], hidden[320 * 240 * 3], shown[320 * 240 * 3];
    struct fc_canvas c = {none, 320, 240, 320 * 3};
    fc_annotator_draw(a, &c, 0, 0.0, 1, 1);
    m.value[FC_M_KNEE_FPPA_LEFT] = 12;
    m.out_of_plane = 1u << FC_M_KNEE_FPPA_LEFT;
    c.rgb = hidden;
    fc_annotator_draw(a, &c, 0, 0.0, 1, 1);
    cr_assert(memcmp(none, hidden, sizeof none) == 0, "an out-of-plane FPPA was drawn");
    /* An FPPA no knee makes is held back too, bit or not. */
    m.out_of_plane = 0;
    m.value[FC_M_KNEE_FPPA_LEFT] = -107;
    memset(hidden, 0, sizeof hidden);
    fc_annotator_draw(a, &c, 0, 0.0, 1, 1);
    cr_assert(memcmp(none, hidden, sizeof none) == 0, "an FPPA of -107 deg was drawn");
    m.value[FC_M_KNEE_FPPA_LEFT] = 12;
    c.rgb = shown;
    fc_annotator_draw(a, &c, 0, 0.0, 1, 1);
    cr_assert(memcmp(none, shown, sizeof none) != 0, "a measurable FPPA was not drawn");
    fc_annotator_free(a);
    fc_pose_track_free(&t);
}

/* Frames of one rep at 30 Hz with the given value of metric; returns
 * whether any cue came on. */
static int cue_fires(const struct fc_thresholds *th, enum fc_metric metric, float value,
                     uint32_t out_of_plane)
{
    struct fc_error err = {0};
    struct fc_analysis an;
    memset(&an, 0, sizeof an);
    an.exercise = FC_EXERCISE_SQUAT;
    an.view = FC_VIEW_FRONT;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        an.metric[m].measurable = 1;
    struct fc_cues cues;
    cr_assert_eq(fc_cues_init(&cues, th, NULL, &err), 0, "%s", err.msg);
    struct fc_cue_event ev[FC_CUES_MAX_EVENTS];
    int on = 0;
    for (int i = 0; i < 30; i++) {
        struct fc_frame_metrics m;
        memset(&m, 0, sizeof m);
        m.t_s = i / 30.0;
        m.rep = 0;
        m.stance = -1;
        for (int k = 0; k < FC_METRIC_COUNT; k++)
            m.value[k] = NAN;
        m.value[metric] = value;
        m.out_of_plane = out_of_plane;
        int n = fc_cues_update(&cues, &an, &m, ev);
        for (int e = 0; e < n; e++)
            on |= ev[e].on;
    }
    fc_cues_free(&cues);
    return on;
}

/* A live cue fires only when the value is past the level by more than its
 * uncertainty, the threshold's published SEM (as grading raises a
 * finding), and never on a value not measurable in the frame. */
Test(annotate, live_cue_needs_the_value_past_its_uncertainty)
{
    struct fc_threshold t = threshold(FC_M_KNEE_FPPA_LEFT, FC_MEASURE_REP_PEAK, 1, "knee valgus");
    t.exercise_mask = 1u << FC_EXERCISE_SQUAT;
    t.watch = 10;
    t.fault_level = 15;
    t.sem = 3; /* Munro 2012: 2-D FPPA SEM 2.7-3.0 deg */
    struct fc_thresholds th = {1, &t};
    cr_assert_not(cue_fires(&th, FC_M_KNEE_FPPA_LEFT, 12.0f, 0), "2 deg past, within 3");
    cr_assert(cue_fires(&th, FC_M_KNEE_FPPA_LEFT, 13.5f, 0), "3.5 deg past, beyond 3");
    cr_assert_not(cue_fires(&th, FC_M_KNEE_FPPA_LEFT, 30.0f, 1u << FC_M_KNEE_FPPA_LEFT),
                  "a cue on a value not measurable in the frame");
    /* below is bad: past means under the level by more than the SEM */
    struct fc_threshold b = threshold(FC_M_KNEE_ANKLE_SEP, FC_MEASURE_REP_PEAK, -1, "knees in");
    b.exercise_mask = 1u << FC_EXERCISE_SQUAT;
    b.watch = 90;
    b.fault_level = 80;
    b.sem = 4;
    th.t = &b;
    cr_assert_not(cue_fires(&th, FC_M_KNEE_ANKLE_SEP, 87.0f, 0), "3 points under, within 4");
    cr_assert(cue_fires(&th, FC_M_KNEE_ANKLE_SEP, 85.0f, 0), "5 points under, beyond 4");
    /* without a published SEM the level itself is the line */
    b.sem = 0;
    cr_assert(cue_fires(&th, FC_M_KNEE_ANKLE_SEP, 89.0f, 0));
}
