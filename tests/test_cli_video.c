/* Videos through the formcheck program: every bad video gives a clear
 * message naming the file, exit status 1, and no output file. Test videos
 * are made here with the ffmpeg program; the truncated one is cut from a
 * real clip when ../shared/data is present. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

static char dir[4096];
static char out[16384];

static void setup(void)
{
    fc_test_mkdtemp(dir, sizeof dir);
}

static void teardown(void)
{
    fc_test_rmtree(dir);
}

TestSuite(cli_video, .init = setup, .fini = teardown, .timeout = 300);

static void ffmpeg(const char *args, const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -hide_banner -loglevel error -y %s '%s'", args,
             path);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* analyze --json into the temp folder; checks the failure contract. */
static void expect_video_error(const char *input, const char *what)
{
    char json[4200];
    snprintf(json, sizeof json, "%s/report.json", dir);
    const char *argv[] = {"analyze", "-q", "--json", json, input, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 1, "exit %d for %s: %s", rc, input, out);
    cr_assert(strstr(out, input) != NULL, "message does not name %s: %s", input, out);
    cr_assert(strstr(out, what) != NULL, "message lacks '%s': %s", what, out);
    cr_assert_not(fc_test_file_exists(json), "partial output");
}

Test(cli_video, text_file_named_mp4)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/notes.mp4", dir);
    const char *text = "this is not a video\n";
    fc_test_write_file(p, text, strlen(text));
    expect_video_error(p, "not a");
}

Test(cli_video, zero_byte_file)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/empty.mp4", dir);
    fc_test_write_file(p, "", 0);
    expect_video_error(p, "empty");
}

Test(cli_video, audio_only_file)
{
    char p[4200];
    ffmpeg("-f lavfi -i sine=frequency=440:duration=1 -c:a aac", "tone.m4a", p, sizeof p);
    expect_video_error(p, "no video stream");
}

Test(cli_video, truncated_video)
{
    char src[4200], p[4200];
    if (fc_test_data_path(src, sizeof src,
                          "videos/pexels-gabby-k-6980032_side_bodyweight_squat.mp4") < 0)
        ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25:duration=2 -c:v libx264 "
               "-pix_fmt yuv420p -movflags +faststart",
               "whole.mp4", src, sizeof src);
    size_t len;
    char *data = fc_test_read_file(src, &len);
    cr_assert_not_null(data);
    snprintf(p, sizeof p, "%s/cut.mp4", dir);
    fc_test_write_file(p, data, len / 2); /* the second half of the frames are gone */
    free(data);
    expect_video_error(p, "truncated");
}

Test(cli_video, video_with_no_person)
{
    const char *home = getenv("HOME");
    const char *models = getenv("FORMCHECK_MODELS");
    const char *xdg = getenv("XDG_CACHE_HOME");
    char model[4200];
    if (models && *models)
        snprintf(model, sizeof model, "%s/movenet-thunder-opencv.onnx", models);
    else if (xdg && *xdg)
        snprintf(model, sizeof model, "%s/formcheck/models/movenet-thunder-opencv.onnx", xdg);
    else
        snprintf(model, sizeof model, "%s/.cache/formcheck/models/movenet-thunder-opencv.onnx",
                 home ? home : "");
    if (!fc_test_file_exists(model))
        cr_skip("the pose model is not provisioned (bash tools/fetch_models.sh)");
    char p[4200];
    /* a plain grey picture: nothing a pose model can mistake for a body */
    ffmpeg("-f lavfi -i color=c=gray:size=320x240:rate=10:duration=1 -c:v libx264 "
           "-pix_fmt yuv420p",
           "empty-room.mp4", p, sizeof p);
    expect_video_error(p, "no person found");
}
