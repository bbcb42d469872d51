/* capture/: decoding and conversion, on videos made at test time with the
 * ffmpeg program (lavfi test sources: small and short), so the suite needs
 * no data files. Where a result has an independent reference, it is the
 * ffmpeg program's own output for the same file (its autorotate, its
 * RGB conversion). */
#include <criterion/criterion.h>
#include <libavutil/log.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/decoder.h"
#include "support/testutil.h"

static char tmpdir[4096];

static void setup(void)
{
    av_log_set_level(AV_LOG_QUIET); /* bad inputs are expected here; err.msg is checked */
    fc_test_mkdtemp(tmpdir, sizeof tmpdir);
}

static void teardown(void)
{
    fc_test_rmtree(tmpdir);
}

TestSuite(capture, .init = setup, .fini = teardown, .timeout = 120);

static const char *tpath(const char *name)
{
    static char buf[4][sizeof tmpdir + 64];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", tmpdir, name);
    return b;
}

/* Runs the ffmpeg program with these arguments; the test fails if it does. */

#define MAXF 512
struct decoded {
    struct fc_video_info info;
    int n;          /* frames delivered */
    double t[MAXF]; /* their times */
    int64_t index[MAXF];
    int sizes_ok; /* every frame had the info's display size */
    int end_rc;   /* what fc_decoder_next returned after the last frame */
    char msg[FC_ERROR_MSG_MAX];
    char warning[FC_ERROR_MSG_MAX];
};

/* Opens and decodes a whole file, or (mem not NULL) mem_len bytes in
 * memory named path; returns the open result (then d->msg). */
static int decode_source(const char *path, const void *mem, size_t mem_len,
                         const struct fc_decoder_params *p, struct decoded *d)
{
    memset(d, 0, sizeof *d);
    struct fc_decoder *dec = NULL;
    struct fc_error err = {0};
    int rc = mem ? fc_decoder_open_memory(&dec, mem, mem_len, path, p, &err)
                 : fc_decoder_open(&dec, path, p, &err);
    if (rc < 0) {
        cr_assert_null(dec);
        snprintf(d->msg, sizeof d->msg, "%s", err.msg);
        return rc;
    }
    d->info = *fc_decoder_info(dec);
    d->sizes_ok = 1;
    struct fc_frame f;
    while ((rc = fc_decoder_next(dec, &f, &err)) == 0) {
        if (d->n < MAXF) {
            d->t[d->n] = f.t_s;
            d->index[d->n] = f.index;
        }
        d->n++;
        d->sizes_ok &= f.width == d->info.width && f.height == d->info.height;
        fc_frame_release(&f);
    }
    d->end_rc = rc;
    if (rc < 0)
        snprintf(d->msg, sizeof d->msg, "%s", err.msg);
    const char *w = fc_decoder_warning(dec);
    if (w)
        snprintf(d->warning, sizeof d->warning, "%s", w);
    /* The end is sticky. */
    cr_assert_eq(fc_decoder_next(dec, &f, &err), rc);
    fc_decoder_close(dec);
    return 0;
}

static int decode_all(const char *path, const struct fc_decoder_params *p, struct decoded *d)
{
    return decode_source(path, NULL, 0, p, d);
}

static void assert_increasing(const struct decoded *d)
{
    for (int i = 1; i < d->n && i < MAXF; i++)
        cr_assert_gt(d->t[i], d->t[i - 1], "frame %d at %.4f s after %.4f s", i, d->t[i],
                     d->t[i - 1]);
}

/* The first frame of path, region (x,y,w,h) converted to dw x dh RGB. */
static uint8_t *first_frame_rgb(const char *path, double x, double y, double w, double h, int dw,
                                int dh, struct fc_video_info *info)
{
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&dec, path, NULL, &err), 0, "%s", err.msg);
    if (info)
        *info = *fc_decoder_info(dec);
    struct fc_frame f;
    cr_assert_eq(fc_decoder_next(dec, &f, &err), 0, "%s", err.msg);
    uint8_t *rgb = malloc((size_t)dw * dh * 3);
    struct fc_scaler *s = fc_scaler_new();
    cr_assert_eq(fc_frame_to_rgb(&f, x, y, w, h, dw, dh, rgb, dw * 3, s, &err), 0, "%s", err.msg);
    fc_scaler_free(s);
    fc_frame_release(&f);
    fc_decoder_close(dec);
    return rgb;
}

/* The ffmpeg program's RGB24 for the first frame (it autorotates). */
static uint8_t *cli_rgb(const char *path, size_t expect_len)
{
    const char *out = tpath("ref.rgb");
    fc_test_ffmpeg("-i '%s' -frames:v 1 -f rawvideo -pix_fmt rgb24 '%s'", path, out);
    size_t len = 0;
    uint8_t *d = (uint8_t *)fc_test_read_file(out, &len);
    cr_assert_not_null(d);
    cr_assert_eq(len, expect_len, "ffmpeg wrote %zu bytes, expected %zu", len, expect_len);
    return d;
}

static double mean_abs_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += abs((int)a[i] - (int)b[i]);
    return s / (double)n;
}

/* memmem is a GNU extension; the project builds as strict C17 + POSIX. */
static char *find_bytes(char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static const uint8_t *px(const uint8_t *img, int w, int x, int y)
{
    return img + ((size_t)y * w + x) * 3;
}

static int grey_of(const uint8_t *p)
{
    return (p[0] + p[1] + p[2]) / 3;
}

/* ---- codecs and containers ---------------------------------------------- */

static void check_codec(const char *encoder, const char *file, const char *extra, const char *codec)
{
    if (!fc_test_have_encoder(encoder))
        cr_skip("this ffmpeg has no %s encoder", encoder);
    const char *path = tpath(file);
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=176x144:r=25:d=1 -c:v %s %s '%s'", encoder, extra, path);
    struct decoded d;
    cr_assert_eq(decode_all(path, NULL, &d), 0, "%s", d.msg);
    cr_assert_eq(d.end_rc, 1, "%s", d.msg);
    cr_assert_str_eq(d.info.codec, codec);
    cr_assert_eq(d.n, 25, "%s: %d frames", file, d.n);
    cr_assert_eq(d.info.width, 176);
    cr_assert_eq(d.info.height, 144);
    cr_assert_eq(d.info.rotation_deg, 0);
    cr_assert(d.sizes_ok);
    cr_assert_float_eq(d.info.fps, 25.0, 1e-6);
    cr_assert_float_eq(d.info.duration_s, 1.0, 0.05);
    cr_assert_eq(d.info.vfr, 0);
    assert_increasing(&d);
    for (int i = 0; i < d.n; i++) {
        cr_assert_float_eq(d.t[i], i / 25.0, 1e-3, "%s frame %d at %.4f s", file, i, d.t[i]);
        cr_assert_eq(d.index[i], i);
    }
}

Test(capture, h264_mp4)
{
    check_codec("libx264", "h264.mp4", "-pix_fmt yuv420p", "h264");
}

Test(capture, hevc_mov)
{
    check_codec("libx265", "hevc.mov", "-x265-params log-level=error -tag:v hvc1", "hevc");
}

Test(capture, mpeg4_part2_avi)
{
    check_codec("mpeg4", "mpeg4.avi", "-q:v 4", "mpeg4");
}

Test(capture, vp9_webm)
{
    check_codec("libvpx-vp9", "vp9.webm", "-b:v 200k", "vp9");
}

Test(capture, mjpeg_avi)
{
    check_codec("mjpeg", "mjpeg.avi", "-q:v 4", "mjpeg");
}

Test(capture, file_url_prefix)
{
    const char *path = tpath("plain.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=0.4 -c:v libx264 '%s'", path);
    char url[4200];
    snprintf(url, sizeof url, "file:%s", path);
    struct decoded d;
    cr_assert_eq(decode_all(url, NULL, &d), 0, "%s", d.msg);
    cr_assert_eq(d.n, 10);
}

Test(capture, fast_decoding_skips_only_unreferenced_frames)
{
    /* H.264 with B-frames that no frame refers to (b-pyramid off): a fast
     * decode delivers the I and P frames alone, at their own times; without
     * B-frames (-bf 0) it delivers every frame. */
    if (!fc_test_have_encoder("libx264"))
        cr_skip("this ffmpeg has no libx264 encoder");
    const char *path = tpath("bframes.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=176x144:r=25:d=2 -c:v libx264 -bf 2 "
                   "-x264-params b-pyramid=none:b-adapt=0:keyint=50 -pix_fmt yuv420p '%s'",
                   path);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.fast = 1;
    struct decoded all, fast;
    cr_assert_eq(decode_all(path, NULL, &all), 0, "%s", all.msg);
    cr_assert_eq(decode_all(path, &p, &fast), 0, "%s", fast.msg);
    cr_assert_eq(all.n, 50);
    cr_assert_eq(fast.end_rc, 1, "%s", fast.msg);
    /* I P B B P B B ...: one frame in three, and the first */
    cr_assert(fast.n >= 16 && fast.n <= 18, "%d frames", fast.n);
    assert_increasing(&fast);
    for (int i = 0; i < fast.n; i++) {
        double k = fast.t[i] * 25.0;
        cr_assert_float_eq(k, round(k), 1e-3, "frame %d at %.4f s is not on a frame time", i,
                           fast.t[i]);
    }
    const char *nob = tpath("nobframes.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=176x144:r=25:d=2 -c:v libx264 -bf 0 -pix_fmt yuv420p "
                   "'%s'",
                   nob);
    cr_assert_eq(decode_all(nob, &p, &fast), 0, "%s", fast.msg);
    cr_assert_eq(fast.n, 50);
}

/* ---- rotation ------------------------------------------------------------ */

/* A 160x120 grey picture with a white 40x30 box in its top-left corner,
 * stored landscape, with a display matrix from the "rotate" tag (stream
 * copy, which is how ffmpeg 5.1 writes it). The decoder must hand out the
 * upright picture: the ffmpeg program's autorotated output is the
 * reference, and the box must sit in the corner the rotation takes the
 * stored top-left corner to. */
static void check_rotation(int tag)
{
    const char *src = tpath("landscape.mp4");
    char name[64];
    snprintf(name, sizeof name, "rot%d.mov", tag);
    const char *path = tpath(name);
    fc_test_ffmpeg("-f lavfi -i color=c=0x808080:s=160x120:r=25:d=0.2,drawbox=x=0:y=0:w=40:h=30:"
                   "color=white:t=fill -c:v libx264 -pix_fmt yuv420p '%s'",
                   src);
    fc_test_ffmpeg("-i '%s' -c copy -metadata:s:v:0 rotate=%d '%s'", src, tag, path);

    struct fc_video_info vi;
    uint8_t *probe = first_frame_rgb(path, 0, 0, 8, 8, 8, 8, &vi);
    free(probe);
    int rot = vi.rotation_deg;
    if (tag == 180)
        cr_assert_eq(rot, 180);
    else
        cr_assert(rot == 90 || rot == 270, "tag %d gave rotation %d", tag, rot);
    int portrait = rot == 90 || rot == 270;
    int W = portrait ? 120 : 160, H = portrait ? 160 : 120;
    cr_assert_eq(vi.width, W);
    cr_assert_eq(vi.height, H);
    cr_assert_eq(vi.coded_width, 160);
    cr_assert_eq(vi.coded_height, 120);

    uint8_t *rgb = first_frame_rgb(path, 0, 0, W, H, W, H, NULL);
    uint8_t *ref = cli_rgb(path, (size_t)W * H * 3);
    double mad = mean_abs_diff(rgb, ref, (size_t)W * H * 3);
    cr_assert_lt(mad, 1.0, "rotation %d: differs from ffmpeg's autorotate by %.2f", rot, mad);

    /* Where the box must be: clockwise 90 takes top-left to top-right, 180
     * to bottom-right, 270 to bottom-left. Box in display: bw x bh. */
    int bw = portrait ? 30 : 40, bh = portrait ? 40 : 30;
    int bx = (rot == 90 || rot == 180) ? W - bw : 0;
    int by = (rot == 180 || rot == 270) ? H - bh : 0;
    cr_assert_gt(grey_of(px(rgb, W, bx + bw / 2, by + bh / 2)), 240, "rotation %d: no box", rot);
    /* The other three corners are grey. */
    int cx[4] = {5, W - 6, W - 6, 5}, cy[4] = {5, 5, H - 6, H - 6};
    int white = 0;
    for (int i = 0; i < 4; i++)
        white += grey_of(px(rgb, W, cx[i], cy[i])) > 200;
    cr_assert_eq(white, 1, "rotation %d: %d white corners", rot, white);
    free(rgb);
    free(ref);
}

Test(capture, rotation_tag_90_is_upright)
{
    check_rotation(90);
}

Test(capture, rotation_tag_180_is_upright)
{
    check_rotation(180);
}

Test(capture, rotation_tag_270_is_upright)
{
    check_rotation(270);
}

/* A letterbox of a rotated (portrait 120x160 display) video: the bars are
 * left and right in display coordinates, and the box keeps its place. */
Test(capture, rotation_with_letterbox_region)
{
    const char *src = tpath("landscape.mp4");
    const char *path = tpath("rot.mov");
    fc_test_ffmpeg("-f lavfi -i color=c=0x808080:s=160x120:r=25:d=0.2,drawbox=x=0:y=0:w=40:h=30:"
                   "color=white:t=fill -c:v libx264 -pix_fmt yuv420p '%s'",
                   src);
    fc_test_ffmpeg("-i '%s' -c copy -metadata:s:v:0 rotate=90 '%s'", src, path);
    struct fc_video_info vi;
    free(first_frame_rgb(path, 0, 0, 8, 8, 8, 8, &vi));
    cr_assert_eq(vi.width, 120);
    double x, y, w, h;
    fc_letterbox_region(vi.width, vi.height, &x, &y, &w, &h);
    cr_assert_float_eq(x, -20.0, 1e-9);
    cr_assert_float_eq(y, 0.0, 1e-9);
    cr_assert_float_eq(w, 160.0, 1e-9);
    uint8_t *full = first_frame_rgb(path, 0, 0, 120, 160, 120, 160, NULL);
    uint8_t *lb = first_frame_rgb(path, x, y, w, h, 160, 160, NULL);
    /* 1:1 scale: display column c shows at c + 20; the bars are black. */
    for (int r = 0; r < 160; r += 3) {
        for (int c = 0; c < 20; c++) {
            cr_assert_eq(grey_of(px(lb, 160, c, r)), 0, "left bar at %d,%d", c, r);
            cr_assert_eq(grey_of(px(lb, 160, 140 + c, r)), 0, "right bar at %d,%d", 140 + c, r);
        }
        for (int c = 2; c < 118; c += 5)
            cr_assert_leq(abs(grey_of(px(lb, 160, c + 20, r)) - grey_of(px(full, 120, c, r))), 2,
                          "pixel %d,%d", c, r);
    }
    free(full);
    free(lb);
}

/* ---- colour levels ------------------------------------------------------- */

/* Three patches, dark grey 32, light grey 192 and white 255: full-range
 * video must keep them (a limited-range reading would make them 19, 205
 * and 255), limited-range video must expand to them (a full-range reading
 * would leave white at 235). */
static void check_levels(const char *encoder, const char *file, const char *opts, int full)
{
    if (!fc_test_have_encoder(encoder))
        cr_skip("this ffmpeg has no %s encoder", encoder);
    const char *path = tpath(file);
    fc_test_ffmpeg("-f lavfi -i color=c=0x202020:s=160x120:r=25:d=0.2,"
                   "drawbox=x=54:y=0:w=53:h=120:color=0xC0C0C0:t=fill,"
                   "drawbox=x=107:y=0:w=53:h=120:color=white:t=fill -c:v %s %s '%s'",
                   encoder, opts, path);
    struct fc_video_info vi;
    uint8_t *rgb = first_frame_rgb(path, 0, 0, 160, 120, 160, 120, &vi);
    cr_assert_eq(vi.full_range, full, "%s: pix_fmt %s", file, vi.pix_fmt);
    const int xs[3] = {27, 80, 133}, want[3] = {32, 192, 255};
    for (int i = 0; i < 3; i++)
        for (int ch = 0; ch < 3; ch++) {
            int v = px(rgb, 160, xs[i], 60)[ch];
            cr_assert_leq(abs(v - want[i]), 3, "%s (%s): patch %d channel %d is %d, want %d", file,
                          vi.pix_fmt, i, ch, v, want[i]);
        }
    free(rgb);
}

Test(capture, full_range_yuvj420p_h264)
{
    check_levels("libx264", "full.mp4", "-pix_fmt yuvj420p", 1);
}

Test(capture, full_range_mjpeg)
{
    check_levels("mjpeg", "full.avi", "-pix_fmt yuvj420p -q:v 2", 1);
}

Test(capture, full_range_tagged_yuv420p_vp9)
{
    /* VP9 has no "J" format: yuv420p with color_range=pc */
    check_levels("libvpx-vp9", "full.webm",
                 "-vf scale=out_range=full -pix_fmt yuv420p -color_range pc -crf 10 -b:v 0", 1);
}

Test(capture, limited_range_h264)
{
    check_levels("libx264", "limited.mp4", "-pix_fmt yuv420p", 0);
}

/* The whole-frame conversion of a colourful picture agrees with the ffmpeg
 * program's own RGB conversion (same BT.601 matrix for SD video). */
Test(capture, whole_frame_matches_ffmpeg_rgb)
{
    const char *path = tpath("colour.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=0.2 -c:v libx264 -crf 12 '%s'", path);
    uint8_t *rgb = first_frame_rgb(path, 0, 0, 320, 240, 320, 240, NULL);
    uint8_t *ref = cli_rgb(path, 320 * 240 * 3);
    double mad = mean_abs_diff(rgb, ref, 320 * 240 * 3);
    cr_assert_lt(mad, 2.0, "mean difference %.2f", mad);
    free(rgb);
    free(ref);
}

/* ---- timing -------------------------------------------------------------- */

/* Frames 0-10 every 40 ms, then a 340 ms gap, then every 40 ms again: the
 * real timestamps must come through, not index / fps. (The filter and the
 * encoder work in 1 ms time bases: in 1/25 s ones the gap would be rounded.) */
static void check_vfr(const char *file, const char *codec_opts, int flagged)
{
    const char *path = tpath(file);
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=1 "
                   "-vf \"settb=1/1000,setpts='(N*0.04+if(gt(N,10),0.3,0))/TB'\" -fps_mode vfr "
                   "-enc_time_base 1/1000 %s '%s'",
                   codec_opts, path);
    struct decoded d;
    cr_assert_eq(decode_all(path, NULL, &d), 0, "%s", d.msg);
    cr_assert_eq(d.end_rc, 1, "%s", d.msg);
    cr_assert_eq(d.n, 25);
    for (int i = 0; i < d.n; i++) {
        double want = i * 0.04 + (i > 10 ? 0.3 : 0.0);
        cr_assert_float_eq(d.t[i], want, 1.5e-3, "%s frame %d at %.4f s, want %.4f", file, i,
                           d.t[i], want);
    }
    cr_assert_eq(d.info.vfr, flagged, "%s: fps %.3f", file, d.info.fps);
}

Test(capture, vfr_mp4_keeps_real_timestamps)
{
    check_vfr("vfr.mp4", "-c:v libx264", 1);
}

Test(capture, vfr_mkv_keeps_real_timestamps)
{
    /* Matroska's header gives the 40 ms default duration only, so the vfr
     * hint stays 0; the timestamps are what count. */
    check_vfr("vfr.mkv", "-c:v libx264", 0);
}

/* ---- regions ------------------------------------------------------------- */

/* A 320x180 frame letterboxed into 192x192: scale 0.6, the picture fills
 * rows 42-149, black above and below; a white 40x40 box in the top-left
 * corner lands at columns 0-23, rows 42-65. */
Test(capture, letterbox_320x180_into_192)
{
    const char *path = tpath("wide.mp4");
    fc_test_ffmpeg("-f lavfi -i color=c=0x808080:s=320x180:r=25:d=0.2,drawbox=x=0:y=0:w=40:h=40:"
                   "color=white:t=fill -c:v libx264 -pix_fmt yuv420p '%s'",
                   path);
    double x, y, w, h;
    fc_letterbox_region(320, 180, &x, &y, &w, &h);
    cr_assert_float_eq(x, 0.0, 1e-9);
    cr_assert_float_eq(y, -70.0, 1e-9);
    cr_assert_float_eq(w, 320.0, 1e-9);
    cr_assert_float_eq(h, 320.0, 1e-9);
    uint8_t *rgb = first_frame_rgb(path, x, y, w, h, 192, 192, NULL);
    for (int r = 0; r < 192; r++)
        for (int c = 0; c < 192; c++) {
            int g = grey_of(px(rgb, 192, c, r));
            if (r < 42 || r >= 150)
                cr_assert_eq(g, 0, "bar pixel %d,%d is %d", c, r, g);
            else
                cr_assert_gt(g, 100, "picture pixel %d,%d is %d", c, r, g);
        }
    cr_assert_gt(grey_of(px(rgb, 192, 10, 50)), 240);  /* box */
    cr_assert_lt(grey_of(px(rgb, 192, 40, 50)), 160);  /* right of it */
    cr_assert_lt(grey_of(px(rgb, 192, 10, 80)), 160);  /* below it */
    cr_assert_lt(grey_of(px(rgb, 192, 180, 50)), 160); /* far right */
    free(rgb);
}

/* Regions partly or wholly outside the picture are black outside it. */
Test(capture, region_outside_frame_is_black)
{
    const char *path = tpath("grey.mp4");
    fc_test_ffmpeg(
        "-f lavfi -i color=c=0x808080:s=160x120:r=25:d=0.2 -c:v libx264 -pix_fmt yuv420p "
        "'%s'",
        path);
    /* the picture's top-left corner in the centre of the region */
    uint8_t *a = first_frame_rgb(path, -80, -60, 160, 120, 160, 120, NULL);
    for (int r = 0; r < 120; r++)
        for (int c = 0; c < 160; c++) {
            int g = grey_of(px(a, 160, c, r));
            if (r < 60 || c < 80)
                cr_assert_eq(g, 0, "outside pixel %d,%d is %d", c, r, g);
            else
                cr_assert_float_eq(g, 128, 4, "inside pixel %d,%d is %d", c, r, g);
        }
    free(a);
    /* the bottom-right corner, half scale */
    uint8_t *b = first_frame_rgb(path, 80, 60, 160, 120, 80, 60, NULL);
    for (int r = 0; r < 60; r++)
        for (int c = 0; c < 80; c++) {
            int g = grey_of(px(b, 80, c, r));
            if (r >= 30 || c >= 40)
                cr_assert_eq(g, 0, "outside pixel %d,%d is %d", c, r, g);
            else
                cr_assert_float_eq(g, 128, 4, "inside pixel %d,%d is %d", c, r, g);
        }
    free(b);
    /* nowhere near the picture */
    uint8_t *c = first_frame_rgb(path, 1000, -500, 50, 50, 32, 32, NULL);
    for (int i = 0; i < 32 * 32 * 3; i++)
        cr_assert_eq(c[i], 0);
    free(c);
}

/* A crop inside the picture equals the same crop taken from the ffmpeg
 * program's full-frame output, scaled 1:1. */
Test(capture, crop_inside_frame_matches_full_frame)
{
    const char *path = tpath("colour.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=0.2 -c:v libx264 -crf 12 '%s'", path);
    uint8_t *full = first_frame_rgb(path, 0, 0, 320, 240, 320, 240, NULL);
    uint8_t *crop = first_frame_rgb(path, 100, 60, 128, 96, 128, 96, NULL);
    double s = 0;
    for (int r = 0; r < 96; r++)
        for (int c = 0; c < 128; c++)
            for (int k = 0; k < 3; k++)
                s += abs(px(crop, 128, c, r)[k] - px(full, 320, c + 100, r + 60)[k]);
    double mad = s / (128.0 * 96 * 3);
    cr_assert_lt(mad, 2.0, "crop differs from the full frame by %.2f", mad);
    free(full);
    free(crop);
}

Test(capture, bad_conversion_arguments)
{
    const char *path = tpath("grey.mp4");
    fc_test_ffmpeg("-f lavfi -i color=c=0x808080:s=160x120:r=25:d=0.2 -c:v libx264 '%s'", path);
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&dec, path, NULL, &err), 0, "%s", err.msg);
    struct fc_frame f;
    cr_assert_eq(fc_decoder_next(dec, &f, &err), 0);
    uint8_t buf[16 * 16 * 3];
    cr_assert_eq(fc_frame_to_rgb(&f, 0, 0, 0, 10, 16, 16, buf, 48, NULL, &err), FC_ERR_ARG);
    cr_assert_eq(fc_frame_to_rgb(&f, 0, 0, 10, 10, 16, 16, buf, 20, NULL, &err), FC_ERR_ARG);
    cr_assert_eq(fc_frame_to_rgb(&f, NAN, 0, 10, 10, 16, 16, buf, 48, NULL, &err), FC_ERR_ARG);
    cr_assert_eq(fc_frame_to_rgb(&f, 0, 0, 10, 10, 16, 16, buf, 48, NULL, &err), 0, "%s", err.msg);
    fc_frame_release(&f);
    fc_frame_release(&f); /* a released frame is ignored */
    fc_decoder_close(dec);
}

/* ---- bad inputs ---------------------------------------------------------- */

static void assert_open_fails(const char *path, int code, const char *needle)
{
    struct decoded d;
    int rc = decode_all(path, NULL, &d);
    cr_assert_eq(rc, code, "%s: got %d (%s), want %d", path, rc, d.msg, code);
    cr_assert_not_null(strstr(d.msg, path), "message does not name the file: %s", d.msg);
    cr_assert_not_null(strstr(d.msg, needle), "message '%s' lacks '%s'", d.msg, needle);
}

Test(capture, missing_file)
{
    assert_open_fails(tpath("nothing-here.mp4"), FC_ERR_IO, "no such file");
}

Test(capture, zero_byte_file)
{
    const char *path = tpath("empty.mp4");
    fc_test_write_file(path, "", 0);
    assert_open_fails(path, FC_ERR_EMPTY, "empty");
}

Test(capture, text_file_named_mp4)
{
    const char *path = tpath("notes.mp4");
    const char *text = "These are my squat notes, not a video.\nSet 1: 8 reps\n";
    fc_test_write_file(path, text, strlen(text));
    assert_open_fails(path, FC_ERR_FORMAT, "not a video file");
}

Test(capture, folder_instead_of_file)
{
    assert_open_fails(tmpdir, FC_ERR_ARG, "folder");
}

Test(capture, audio_only_file)
{
    const char *path = tpath("voice.m4a");
    fc_test_ffmpeg("-f lavfi -i sine=frequency=440:duration=1 -vn -c:a aac '%s'", path);
    assert_open_fails(path, FC_ERR_EMPTY, "no video stream");
}

Test(capture, unsupported_codec)
{
    /* An MPEG-4 AVI whose codec tag is rewritten to one nobody knows. */
    const char *path = tpath("mystery.avi");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=0.4 -c:v mpeg4 -vtag FMP4 '%s'", path);
    size_t len;
    char *data = fc_test_read_file(path, &len);
    int patched = 0;
    for (size_t i = 0; i + 4 <= len && i < 8192; i++)
        if (memcmp(data + i, "FMP4", 4) == 0) {
            memcpy(data + i, "ZZZZ", 4);
            patched++;
        }
    cr_assert_gt(patched, 0);
    fc_test_write_file(path, data, len);
    free(data);
    assert_open_fails(path, FC_ERR_UNSUPPORTED, "not supported");
}

Test(capture, huge_frame_sizes_refused)
{
    const char *wide = tpath("wide.avi"), *big = tpath("big.avi");
    fc_test_ffmpeg("-f lavfi -i color=black:s=8200x16:r=25:d=0.04 -c:v mjpeg '%s'", wide);
    assert_open_fails(wide, FC_ERR_UNSUPPORTED, "8200x16 is too large");
    fc_test_ffmpeg("-f lavfi -i color=black:s=6400x6400:r=1:d=1 -frames:v 1 -c:v mjpeg '%s'", big);
    assert_open_fails(big, FC_ERR_UNSUPPORTED, "6400x6400 is too large");
}

/* Every sample of the stream zeroed: the container is fine, nothing in it
 * decodes. */
Test(capture, stream_with_no_decodable_frame)
{
    const char *path = tpath("blank.avi");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=0.4 -c:v mjpeg '%s'", path);
    size_t len;
    char *data = fc_test_read_file(path, &len);
    char *movi = find_bytes(data, len, "movi");
    cr_assert_not_null(movi);
    int zeroed = 0;
    for (char *p = movi + 4; p + 8 <= data + len && memcmp(p, "00dc", 4) == 0;) {
        uint32_t n = (uint8_t)p[4] | (uint8_t)p[5] << 8 | (uint8_t)p[6] << 16 |
                     (uint32_t)(uint8_t)p[7] << 24;
        cr_assert_leq((size_t)(p + 8 - data) + n, len);
        memset(p + 8, 0, n);
        zeroed++;
        p += 8 + n + (n & 1);
    }
    cr_assert_eq(zeroed, 10);
    fc_test_write_file(path, data, len);
    free(data);
    assert_open_fails(path, FC_ERR_FORMAT, "0 decodable frames");
}

/* One picture in the middle of an MJPEG AVI wiped: the frames before it are
 * delivered, then the error says where decoding stopped. */
Test(capture, decode_error_mid_stream)
{
    const char *path = tpath("damaged.avi");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=1 -c:v mjpeg '%s'", path);
    size_t len;
    char *data = fc_test_read_file(path, &len);
    char *p = find_bytes(data, len, "movi");
    cr_assert_not_null(p);
    p += 4;
    for (int i = 0; i < 12; i++) { /* skip 12 pictures, wipe the 13th */
        uint32_t n = (uint8_t)p[4] | (uint8_t)p[5] << 8 | (uint8_t)p[6] << 16 |
                     (uint32_t)(uint8_t)p[7] << 24;
        p += 8 + n + (n & 1);
    }
    cr_assert_eq(memcmp(p, "00dc", 4), 0);
    uint32_t n = (uint8_t)p[4] | (uint8_t)p[5] << 8;
    memset(p + 8, 0, n);
    fc_test_write_file(path, data, len);
    free(data);

    struct decoded d;
    cr_assert_eq(decode_all(path, NULL, &d), 0, "%s", d.msg);
    cr_assert_eq(d.n, 12);
    cr_assert_eq(d.end_rc, FC_ERR_FORMAT);
    cr_assert_not_null(strstr(d.msg, path), "%s", d.msg);
    cr_assert_not_null(strstr(d.msg, "decoding stopped at 0.48 s after 12 frames"), "%s", d.msg);
}

/* A cut download: moov at the front (faststart), the media data cut in the
 * middle. The frames before the cut are delivered and the end says
 * "truncated"; with allow_truncated the end is normal and the same text is
 * a warning. */
Test(capture, truncated_mp4_with_index_first)
{
    const char *whole = tpath("whole.mp4"), *cut = tpath("cut.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=2 -c:v libx264 -movflags +faststart '%s'",
                   whole);
    size_t len;
    char *data = fc_test_read_file(whole, &len);
    cr_assert_eq(memcmp(data + 4, "ftyp", 4), 0);
    cr_assert_not_null(find_bytes(data, 4096, "moov"), "moov is not at the front");
    fc_test_write_file(cut, data, len * 6 / 10);
    free(data);

    struct decoded d;
    cr_assert_eq(decode_all(cut, NULL, &d), 0, "%s", d.msg);
    cr_assert_gt(d.n, 10);
    cr_assert_lt(d.n, 50);
    assert_increasing(&d);
    cr_assert_eq(d.end_rc, FC_ERR_TRUNCATED);
    cr_assert_not_null(strstr(d.msg, cut), "%s", d.msg);
    cr_assert_not_null(strstr(d.msg, "file is truncated"), "%s", d.msg);
    cr_assert_not_null(strstr(d.msg, "of the 50 the container lists"), "%s", d.msg);

    struct fc_decoder_params p = fc_decoder_default_params();
    p.allow_truncated = 1;
    struct decoded lenient;
    cr_assert_eq(decode_all(cut, &p, &lenient), 0, "%s", lenient.msg);
    cr_assert_eq(lenient.n, d.n);
    cr_assert_eq(lenient.end_rc, 1);
    cr_assert_not_null(strstr(lenient.warning, "file is truncated"), "%s", lenient.warning);
}

/* The same cut falling exactly between two samples: no short read shows
 * it, the index pointing past the end of the file does. */
Test(capture, truncated_mp4_at_sample_boundary)
{
    const char *whole = tpath("whole.mp4"), *cut = tpath("cut.mp4");
    fc_test_ffmpeg(
        "-f lavfi -i testsrc2=s=320x240:r=25:d=2 -c:v libx264 -bf 0 -movflags +faststart "
        "'%s'",
        whole);
    char cmd[8400];
    snprintf(cmd, sizeof cmd,
             "ffprobe -v error -select_streams v:0 -show_entries packet=pos -of csv=p=0 '%s'",
             whole);
    FILE *pp = popen(cmd, "r");
    cr_assert_not_null(pp);
    long pos = -1, v;
    for (int i = 0; i <= 30 && fscanf(pp, "%ld", &v) == 1; i++)
        pos = v; /* the offset of packet 30 */
    pclose(pp);
    cr_assert_gt(pos, 0);
    size_t len;
    char *data = fc_test_read_file(whole, &len);
    fc_test_write_file(cut, data, (size_t)pos);
    free(data);
    struct decoded d;
    cr_assert_eq(decode_all(cut, NULL, &d), 0, "%s", d.msg);
    cr_assert_eq(d.n, 30);
    cr_assert_eq(d.end_rc, FC_ERR_TRUNCATED, "%s", d.msg);
    cr_assert_not_null(strstr(d.msg, "file is truncated"), "%s", d.msg);
}

/* A cut MP4 whose index (moov) was to be written at the end has no index
 * at all: nothing can be decoded, and the message says why. */
Test(capture, truncated_mp4_with_index_last)
{
    const char *whole = tpath("whole.mp4"), *cut = tpath("cut.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=2 -c:v libx264 '%s'", whole);
    size_t len;
    char *data = fc_test_read_file(whole, &len);
    cr_assert_null(find_bytes(data, 4096, "moov"), "moov is at the front");
    fc_test_write_file(cut, data, len * 6 / 10);
    free(data);
    assert_open_fails(cut, FC_ERR_FORMAT, "probably truncated");
}

/* WebM has no index of every frame: the stated duration shows the cut. */
Test(capture, truncated_webm)
{
    if (!fc_test_have_encoder("libvpx-vp9"))
        cr_skip("this ffmpeg has no libvpx-vp9 encoder");
    const char *whole = tpath("whole.webm"), *cut = tpath("cut.webm");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=4 -c:v libvpx-vp9 -b:v 300k '%s'", whole);
    size_t len;
    char *data = fc_test_read_file(whole, &len);
    fc_test_write_file(cut, data, len / 2);
    free(data);
    struct decoded d;
    cr_assert_eq(decode_all(cut, NULL, &d), 0, "%s", d.msg);
    cr_assert_gt(d.n, 10);
    cr_assert_lt(d.n, 100);
    cr_assert_eq(d.end_rc, FC_ERR_TRUNCATED, "%s", d.msg);
    cr_assert_not_null(strstr(d.msg, "file is truncated"), "%s", d.msg);
}

Test(capture, truncated_avi)
{
    const char *whole = tpath("whole.avi"), *cut = tpath("cut.avi");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=2 -c:v mpeg4 -q:v 3 '%s'", whole);
    size_t len;
    char *data = fc_test_read_file(whole, &len);
    fc_test_write_file(cut, data, len * 6 / 10);
    free(data);
    struct decoded d;
    cr_assert_eq(decode_all(cut, NULL, &d), 0, "%s", d.msg);
    cr_assert_gt(d.n, 10);
    cr_assert_lt(d.n, 50);
    cr_assert_eq(d.end_rc, FC_ERR_TRUNCATED, "%s", d.msg);
    cr_assert_not_null(strstr(d.msg, "file is truncated"), "%s", d.msg);
}

Test(capture, bad_parameters)
{
    struct fc_decoder_params p = fc_decoder_default_params();
    p.queue_frames = 0;
    struct fc_decoder *d = (struct fc_decoder *)1;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&d, "x.mp4", &p, &err), FC_ERR_ARG);
    cr_assert_null(d);
    cr_assert_eq(fc_decoder_open(&d, NULL, NULL, &err), FC_ERR_ARG);
    fc_decoder_close(NULL);
    fc_frame_release(NULL);
}

/* ---- the queue and the thread -------------------------------------------- */

/* Close while the decoding thread waits for room in a full queue: no hang,
 * no leak (the sanitizer build checks the latter). */
Test(capture, close_mid_stream)
{
    const char *path = tpath("long.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=320x240:r=25:d=2 -c:v libx264 '%s'", path);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.queue_frames = 2;
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&dec, path, &p, &err), 0, "%s", err.msg);
    struct fc_frame f;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(fc_decoder_next(dec, &f, &err), 0, "%s", err.msg);
        cr_assert_eq(f.index, i);
        fc_frame_release(&f);
    }
    sleep_ms(100); /* let the thread fill the queue and block */
    fc_decoder_close(dec);

    /* and straight after open, before anything is read */
    cr_assert_eq(fc_decoder_open(&dec, path, &p, &err), 0, "%s", err.msg);
    fc_decoder_close(dec);
}

/* Holding every frame the decoder can hand out and asking for another is a
 * caller error, reported at once, not a deadlock. */
Test(capture, holding_too_many_frames)
{
    const char *path = tpath("short.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=0.4 -c:v libx264 '%s'", path);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.max_held_frames = 2;
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&dec, path, &p, &err), 0, "%s", err.msg);
    struct fc_frame a, b, c;
    cr_assert_eq(fc_decoder_next(dec, &a, &err), 0);
    cr_assert_eq(fc_decoder_next(dec, &b, &err), 0);
    cr_assert_eq(fc_decoder_next(dec, &c, &err), FC_ERR_ARG);
    cr_assert_not_null(strstr(err.msg, "release"), "%s", err.msg);
    cr_assert_gt(b.t_s, a.t_s);
    /* both held frames still convert */
    uint8_t rgb[8 * 8 * 3];
    cr_assert_eq(fc_frame_to_rgb(&a, 0, 0, 160, 120, 8, 8, rgb, 24, NULL, &err), 0);
    cr_assert_eq(fc_frame_to_rgb(&b, 0, 0, 160, 120, 8, 8, rgb, 24, NULL, &err), 0);
    fc_frame_release(&a);
    cr_assert_eq(fc_decoder_next(dec, &c, &err), 0);
    cr_assert_eq(c.index, 2);
    fc_frame_release(&b);
    fc_frame_release(&c);
    fc_decoder_close(dec);
}

/* Live mode: a slow reader loses the stale frames, never blocks the
 * decoder, and the loss is counted; what it gets is in order. */
Test(capture, drop_when_full_counts_dropped_frames)
{
    const char *path = tpath("long.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=2 -c:v libx264 '%s'", path);
    struct fc_decoder_params p = fc_decoder_default_params();
    p.queue_frames = 2;
    p.drop_when_full = 1;
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&dec, path, &p, &err), 0, "%s", err.msg);
    sleep_ms(500); /* the whole clip decodes meanwhile */
    struct fc_frame f;
    int n = 0, rc;
    int64_t last_index = -1;
    double last_t = -1;
    while ((rc = fc_decoder_next(dec, &f, &err)) == 0) {
        cr_assert_gt(f.index, last_index);
        cr_assert_gt(f.t_s, last_t);
        last_index = f.index;
        last_t = f.t_s;
        n++;
        fc_frame_release(&f);
    }
    cr_assert_eq(rc, 1, "%s", err.msg);
    struct fc_decoder_stats st;
    fc_decoder_get_stats(dec, &st);
    cr_assert_eq(st.frames_decoded, 50);
    cr_assert_gt(st.frames_dropped, 0);
    cr_assert_eq(n + st.frames_dropped, 50, "got %d, dropped %lld", n,
                 (long long)st.frames_dropped);
    cr_assert_eq(last_index, 49); /* the newest frame is never the one dropped */
    fc_decoder_close(dec);
}

/* Several decoders at once, each with its own thread. */
Test(capture, decoders_are_independent)
{
    const char *a = tpath("a.mp4"), *b = tpath("b.avi");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=1 -c:v libx264 '%s'", a);
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=176x144:r=30:d=1 -c:v mpeg4 '%s'", b);
    struct fc_decoder *da, *db;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&da, a, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_decoder_open(&db, b, NULL, &err), 0, "%s", err.msg);
    int na = 0, nb = 0, ra = 0, rb = 0;
    struct fc_frame f;
    while (ra == 0 || rb == 0) {
        if (ra == 0 && (ra = fc_decoder_next(da, &f, &err)) == 0) {
            cr_assert_eq(f.width, 160);
            na++;
            fc_frame_release(&f);
        }
        if (rb == 0 && (rb = fc_decoder_next(db, &f, &err)) == 0) {
            cr_assert_eq(f.width, 176);
            nb++;
            fc_frame_release(&f);
        }
    }
    cr_assert_eq(ra, 1);
    cr_assert_eq(rb, 1);
    cr_assert_eq(na, 25);
    cr_assert_eq(nb, 30);
    fc_decoder_close(da);
    fc_decoder_close(db);
}

/* ---- fc_decoder_open_memory: the same decoder over bytes in memory ---- */

/* A clip read from memory gives what ffmpeg made: 25 frames at 25 fps are
 * 25 frames at k/25 s, the picture the file gives. */
Test(capture, memory_source_decodes_like_the_file)
{
    const char *path = tpath("mem.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=1 -c:v libx264 -pix_fmt yuv420p '%s'",
                   path);
    size_t len;
    char *bytes = fc_test_read_file(path, &len);
    cr_assert_not_null(bytes);
    struct decoded d;
    cr_assert_eq(decode_source("in-memory.mp4", bytes, len, NULL, &d), 0, "%s", d.msg);
    cr_assert_eq(d.end_rc, 1, "%s", d.msg);
    cr_assert_eq(d.n, 25);
    for (int i = 0; i < d.n; i++)
        cr_assert_float_eq(d.t[i], i / 25.0, 1e-6, "frame %d at %.4f s", i, d.t[i]);
    cr_assert_eq(d.info.width, 160);
    cr_assert_eq(d.info.height, 120);
    cr_assert_str_eq(d.info.codec, "h264");

    /* The first picture, converted, is ffmpeg's own RGB of the file. */
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open_memory(&dec, bytes, len, "in-memory.mp4", NULL, &err), 0, "%s",
                 err.msg);
    struct fc_frame f;
    cr_assert_eq(fc_decoder_next(dec, &f, &err), 0, "%s", err.msg);
    uint8_t *rgb = malloc(160 * 120 * 3);
    cr_assert_eq(fc_frame_to_rgb(&f, 0, 0, 160, 120, 160, 120, rgb, 160 * 3, NULL, &err), 0, "%s",
                 err.msg);
    fc_frame_release(&f);
    fc_decoder_close(dec);
    uint8_t *ref = cli_rgb(path, 160 * 120 * 3);
    /* Both convert the same decoded picture: only the YUV->RGB rounding of
     * two scaler set-ups may differ. */
    cr_assert_lt(mean_abs_diff(rgb, ref, 160 * 120 * 3), 2.0);
    free(ref);
    free(rgb);
    free(bytes);
}

/* An MP4 whose index is at the end needs seeking back and forth: the
 * AVIOContext's seek callback serves it, and the size it reports lets a
 * cut copy be called truncated as a cut file is. */
Test(capture, memory_source_seeks_and_spots_a_cut)
{
    const char *path = tpath("moov-last.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=2 -c:v libx264 -bf 0 '%s'", path);
    size_t len;
    char *bytes = fc_test_read_file(path, &len);
    cr_assert_not_null(bytes);
    cr_assert_null(find_bytes(bytes, 64, "moov"), "the index must come last for this test");
    struct decoded d;
    cr_assert_eq(decode_source("moov-last.mp4", bytes, len, NULL, &d), 0, "%s", d.msg);
    cr_assert_eq(d.n, 50);
    cr_assert_eq(d.end_rc, 1, "%s", d.msg);

    /* Faststart, cut at 60%: the frames before the cut, then "truncated". */
    const char *fast = tpath("fast.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=2 -c:v libx264 -movflags +faststart '%s'",
                   fast);
    free(bytes);
    bytes = fc_test_read_file(fast, &len);
    cr_assert_eq(decode_source("cut.mp4", bytes, len * 6 / 10, NULL, &d), 0, "%s", d.msg);
    cr_assert_gt(d.n, 10);
    cr_assert_lt(d.n, 50);
    cr_assert_eq(d.end_rc, FC_ERR_TRUNCATED, "%d: %s", d.end_rc, d.msg);
    cr_assert_not_null(strstr(d.msg, "cut.mp4: file is truncated"), "%s", d.msg);
    free(bytes);
}

Test(capture, memory_source_bad_inputs)
{
    struct decoded d;
    cr_assert_eq(decode_source("none.mp4", "", 0, NULL, &d), FC_ERR_EMPTY);
    cr_assert_not_null(strstr(d.msg, "none.mp4"), "%s", d.msg);
    const char *text = "These are my squat notes, not a video.\nSet 1: 8 reps\n";
    cr_assert_eq(decode_source("notes.mp4", text, strlen(text), NULL, &d), FC_ERR_FORMAT, "%s",
                 d.msg);
    cr_assert_not_null(strstr(d.msg, "notes.mp4: "), "%s", d.msg);
    /* No name: the message still says where the bytes came from. */
    cr_assert_eq(decode_source(NULL, text, strlen(text), NULL, &d), FC_ERR_FORMAT);
    cr_assert_not_null(strstr(d.msg, "(memory)"), "%s", d.msg);
    struct fc_decoder *dec = (struct fc_decoder *)&d; /* must be reset to NULL */
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open_memory(&dec, NULL, 10, "x.mp4", NULL, &err), FC_ERR_ARG);
    cr_assert_null(dec);
}

/* Closing while the decoding thread still reads from memory frees the
 * I/O context and its buffer (the sanitizer build checks for leaks). */
Test(capture, memory_source_closed_mid_stream)
{
    const char *path = tpath("long.mp4");
    fc_test_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25:d=4 -c:v libx264 '%s'", path);
    size_t len;
    char *bytes = fc_test_read_file(path, &len);
    struct fc_decoder *dec;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open_memory(&dec, bytes, len, "long.mp4", NULL, &err), 0, "%s",
                 err.msg);
    struct fc_frame f;
    cr_assert_eq(fc_decoder_next(dec, &f, &err), 0, "%s", err.msg);
    fc_frame_release(&f);
    fc_decoder_close(dec);
    free(bytes);
}

/* The inputs the video fuzz target stopped on (tests/data/fuzz_video,
 * described in its README): each, read from memory as the target reads
 * it, must open and end, or fail to open, naming the source either way. */
#define FUZZ_MAX_FRAMES 300 /* the fuzz target's bound (fuzz/fuzz_video.c) */

Test(capture, fuzz_inputs_end)
{
    static const char *const inputs[] = {"timeout-7ed729af.m4v", "crash-76020747.ts"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/tests/data/fuzz_video/%s", FC_SOURCE_DIR, inputs[i]);
        size_t len;
        char *bytes = fc_test_read_file(path, &len);
        cr_assert_not_null(bytes, "%s", path);
        struct fc_decoder_params p = fc_decoder_default_params();
        p.threads = 1;
        struct fc_decoder *d = NULL;
        struct fc_error err = {0};
        int rc = fc_decoder_open_memory(&d, bytes, len, inputs[i], &p, &err);
        int n = 0;
        if (rc == 0) {
            struct fc_frame f;
            while (n <= FUZZ_MAX_FRAMES && (rc = fc_decoder_next(d, &f, &err)) == 0) {
                n++;
                fc_frame_release(&f);
            }
            fc_decoder_close(d);
            cr_assert_neq(rc, 0, "%s: more than %d frames from %zu bytes", inputs[i],
                          FUZZ_MAX_FRAMES, len);
        }
        if (rc < 0)
            cr_assert_not_null(strstr(err.msg, inputs[i]), "%s", err.msg);
        free(bytes);
    }
}
