/* formcheck analyze --model blazepose-*: the feet reach the report on a
 * real side-view squat, and a bad choice is a usage error. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

#define CLIP "videos/pexels-gabby-k-6980032_side_bodyweight_squat.mp4"

static char out[1 << 16];

Test(cli_blazepose, unknown_roi_source_is_a_usage_error)
{
    const char *argv[] = {"analyze", "--model", "blazepose-full", "--blazepose-roi", "nowhere",
                          "x.mp4",   NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
    cr_assert(strstr(out, "unknown --blazepose-roi 'nowhere'"), "%s", out);
}

Test(cli_blazepose, help_lists_the_blazepose_models)
{
    const char *argv[] = {"analyze", "--help", NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    cr_assert(strstr(out, "blazepose-full"), "%s", out);
}

/* The text report's row of a metric ("" when absent). */
static const char *row(const char *text, const char *metric)
{
    static char line[512];
    char key[80];
    snprintf(key, sizeof key, "  %s ", metric);
    const char *at = strstr(text, key);
    line[0] = 0;
    if (at)
        snprintf(line, sizeof line, "%.*s", (int)strcspn(at, "\n"), at);
    return line;
}

/* With BlazePose's feet, knee travel past the toes and heel rise have rep
 * peaks; with MoveNet alone their rows say what they need. */
Test(cli_blazepose, side_squat_measures_the_feet, .timeout = 600)
{
    char clip[4096];
    if (fc_test_data_path(clip, sizeof clip, CLIP) < 0)
        cr_skip("%s absent (the real-data folder)", CLIP);
    char dir[4096], kp[4200];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(kp, sizeof kp, "%s/kp.csv", dir);
    const char *bp[] = {"analyze",         "-q", "--model", "blazepose-full",
                        "--keypoints-out", kp,   clip,      NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, bp);
    if (rc != 0 && strstr(out, "fetch_models.sh")) {
        fc_test_rmtree(dir);
        cr_skip("models absent: %s", out);
    }
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    cr_assert(strstr(out, "with heels and toes from BlazePose GHUM full"), "%s", out);
    const char *metrics[2] = {"knee_travel_pct", "heel_rise_pct"};
    char video_rows[2][512];
    for (int i = 0; i < 2; i++) {
        const char *r = row(out, metrics[i]);
        cr_assert(strstr(r, " max "), "%s not measured: '%s'", metrics[i], r);
        cr_assert_null(strstr(r, "needs foot keypoints"), "%s", r);
        snprintf(video_rows[i], sizeof video_rows[i], "%s", r);
    }

    /* The keypoint file keeps the feet: its header names them, and the
     * report from it measures the feet as the video's did, row for row. */
    char *text = fc_test_read_file(kp, NULL);
    cr_assert(strstr(text, ",left_heel_x,") && strstr(text, ",right_big_toe_score\n"), "%.300s",
              text);
    free(text);
    const char *again[] = {"analyze", "-q", kp, NULL};
    rc = fc_test_run_formcheck(out, sizeof out, again);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    for (int i = 0; i < 2; i++)
        cr_assert_str_eq(row(out, metrics[i]), video_rows[i]);
    fc_test_rmtree(dir);

    const char *mn[] = {"analyze", "-q", "--model", "lightning", clip, NULL};
    rc = fc_test_run_formcheck(out, sizeof out, mn);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    for (int i = 0; i < 2; i++) {
        const char *r = row(out, metrics[i]);
        cr_assert(strstr(r, "needs foot keypoints (heels and toes)"), "'%s'", r);
    }
}
