/* Real-data tier: every recording in ../shared/data/videos decodes
 * completely, with the frame count and size that MANIFEST.md lists (read off
 * the files with ffprobe, an independent tool). Decode only; one frame per
 * clip also goes through the model-input conversion. Prints per clip:
 * frames, size, codec, fps, duration and decode wall time. Skips itself when
 * the folder is absent. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libavutil/log.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/decoder.h"
#include "support/testutil.h"

struct clip {
    const char *file;
    int width, height; /* display size */
    int frames;
    double fps;
    double duration_s;
};

/* From MANIFEST.md. None of these carries a rotation: the portrait clips
 * (pexels-gabby-k 1080x2048, pose2sim 1080x1920, tfjs 720x1280, noquarter
 * 480x854) are stored portrait, with no display matrix. */
static const struct clip clips[] = {
    {"pexels-gabby-k-6980032_side_bodyweight_squat.mp4", 1080, 2048, 312, 30, 10.4},
    {"noquarter_test_squat.mp4", 480, 854, 905, 30, 30.2},
    {"tfjs_pexels4838220_front_band_squat.mp4", 720, 1280, 65, 5, 13.0},
    {"pexels5034577_front_wide_squat.mp4", 960, 540, 250, 25, 10.0},
    {"pexels8233047_side_reverse_lunge.mp4", 960, 540, 250, 25, 10.0},
    {"pexels6525487_side_glute_bridge.mp4", 960, 540, 167, 25, 6.7},
    {"pexels4838146_side_band_squat_2people.mp4", 640, 360, 240, 24, 10.0},
    {"sports2d_demo4_side_walk.mp4", 1280, 720, 401, 30, 13.4},
    {"sports2d_demo_side_walk_and_box.mp4", 1768, 994, 230, 30, 7.7},
    {"pose2sim_balancing_cam01_singleleg.mp4", 1080, 1920, 100, 60, 1.7},
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void check_clip(const struct clip *c)
{
    char path[4096];
    char rel[512];
    snprintf(rel, sizeof rel, "videos/%s", c->file);
    if (fc_test_data_path(path, sizeof path, rel) < 0)
        cr_skip("real data not present (%s)", rel);
    av_log_set_level(AV_LOG_ERROR);

    double t0 = now_s();
    struct fc_decoder *d;
    struct fc_error err = {0};
    cr_assert_eq(fc_decoder_open(&d, path, NULL, &err), 0, "%s", err.msg);
    const struct fc_video_info *vi = fc_decoder_info(d);
    cr_assert_eq(vi->width, c->width, "%s: width %d", c->file, vi->width);
    cr_assert_eq(vi->height, c->height, "%s: height %d", c->file, vi->height);
    cr_assert_eq(vi->rotation_deg, 0, "%s: rotation %d", c->file, vi->rotation_deg);
    cr_assert_float_eq(vi->fps, c->fps, 0.01, "%s: fps %.3f", c->file, vi->fps);
    cr_assert_eq(vi->frame_count_est, c->frames);
    cr_assert_eq(vi->vfr, 0);

    struct fc_scaler *sc = fc_scaler_new();
    static uint8_t rgb[256 * 256 * 3];
    double x, y, w, h;
    fc_letterbox_region(vi->width, vi->height, &x, &y, &w, &h);
    struct fc_frame f;
    int n = 0, rc;
    double last_t = -1, first_t = -1;
    while ((rc = fc_decoder_next(d, &f, &err)) == 0) {
        cr_assert_eq(f.width, c->width);
        cr_assert_eq(f.height, c->height);
        cr_assert_gt(f.t_s, last_t, "%s: frame %d at %.4f after %.4f", c->file, n, f.t_s, last_t);
        if (n == 0) {
            first_t = f.t_s;
            cr_assert_eq(fc_frame_to_rgb(&f, x, y, w, h, 256, 256, rgb, 256 * 3, sc, &err), 0, "%s",
                         err.msg);
            long sum = 0;
            for (size_t i = 0; i < sizeof rgb; i++)
                sum += rgb[i];
            cr_assert_gt(sum, 0, "%s: first frame converts to black", c->file);
        }
        last_t = f.t_s;
        n++;
        fc_frame_release(&f);
    }
    double wall = now_s() - t0;
    cr_assert_eq(rc, 1, "%s", err.msg);
    cr_assert_eq(n, c->frames, "%s: %d frames, MANIFEST says %d", c->file, n, c->frames);
    cr_assert_float_eq(first_t, 0.0, 1e-6);
    double dur = last_t + 1.0 / vi->fps;
    cr_assert_float_eq(dur, c->duration_s, 0.05 + 0.01 * c->duration_s, "%s: %.3f s", c->file, dur);
    printf("%-52s %4d frames %4dx%-4d %-5s %6.2f fps %6.2f s  decoded in %6.3f s (%6.1f "
           "frames/s)\n",
           c->file, n, vi->width, vi->height, vi->codec, vi->fps, dur, wall, n / wall);
    fflush(stdout);
    fc_scaler_free(sc);
    fc_decoder_close(d);
}

Test(realdata_video, pexels_gabby_k_side_squat)
{
    check_clip(&clips[0]);
}
Test(realdata_video, noquarter_test_squat)
{
    check_clip(&clips[1]);
}
Test(realdata_video, tfjs_front_band_squat)
{
    check_clip(&clips[2]);
}
Test(realdata_video, pexels5034577_front_wide_squat)
{
    check_clip(&clips[3]);
}
Test(realdata_video, pexels8233047_side_reverse_lunge)
{
    check_clip(&clips[4]);
}
Test(realdata_video, pexels6525487_side_glute_bridge)
{
    check_clip(&clips[5]);
}
Test(realdata_video, pexels4838146_side_band_squat_2people)
{
    check_clip(&clips[6]);
}
Test(realdata_video, sports2d_demo4_side_walk)
{
    check_clip(&clips[7]);
}
Test(realdata_video, sports2d_demo_side_walk_and_box)
{
    check_clip(&clips[8]);
}
Test(realdata_video, pose2sim_balancing_cam01)
{
    check_clip(&clips[9]);
}

/* No clip in the folder goes untested: a new recording needs a row above. */
Test(realdata_video, every_clip_is_listed)
{
    char dir[4096];
    if (fc_test_data_path(dir, sizeof dir, "videos") < 0)
        cr_skip("real data not present");
    DIR *dd = opendir(dir);
    cr_assert_not_null(dd, "%s", dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(dd))) {
        if (e->d_name[0] == '.')
            continue;
        int known = 0;
        for (size_t i = 0; i < sizeof clips / sizeof clips[0]; i++)
            known |= strcmp(e->d_name, clips[i].file) == 0;
        cr_expect(known, "videos/%s is not in the real-data table", e->d_name);
        n++;
    }
    closedir(dd);
    cr_assert_eq(n, (int)(sizeof clips / sizeof clips[0]));
}
