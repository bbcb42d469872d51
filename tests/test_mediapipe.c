/* MediaPipe landmark CSV: synthetic fixtures and the exercise-correction data. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "import/import.h"
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

TestSuite(mediapipe, .init = setup, .fini = teardown);

static const char *fixture(const char *name, const char *text)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fc_test_write_file(path, text, strlen(text));
    return path;
}

static void expect_fail(const char *path, const struct fc_import_params *p, int code,
                        const char *frag1, const char *frag2)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    int rc = fc_import_mediapipe_csv(path, p, &t, &err);
    cr_assert_eq(rc, code, "rc %d, want %d: %s", rc, code, err.msg);
    cr_assert_eq(t.n_frames, 0);
    cr_assert_null(t.frames);
    cr_assert_null(t.labels);
    cr_assert_not_null(strstr(err.msg, path), "message does not name the file: %s", err.msg);
    if (frag1)
        cr_assert_not_null(strstr(err.msg, frag1), "'%s' not in: %s", frag1, err.msg);
    if (frag2)
        cr_assert_not_null(strstr(err.msg, frag2), "'%s' not in: %s", frag2, err.msg);
    fc_pose_track_free(&t);
}

Test(mediapipe, labelled_fixture)
{
    /* left_pinky has no canonical joint and mouth_left is incomplete: both are
     * ignored. left_foot_index is the big-toe landmark. */
    const char *path =
        fixture("mp.csv", "label,nose_x,nose_y,nose_z,nose_v,left_pinky_x,left_pinky_y,"
                          "mouth_left_x,left_foot_index_x,left_foot_index_y,left_foot_index_z,"
                          "left_foot_index_v\r\n"
                          "C,0.5,0.25,-0.125,0.9,0.1,0.2,9,0.75,0.875,0.0625,0.5\r\n"
                          "L,0.5,0.25,-0.125,0,0.1,0.2,9,,,,\r\n"
                          "C,nan,0.25,-0.125,0.9,0.1,0.2,9,1,2,,0.25\r\n");
    struct fc_import_params p = fc_import_default_params();
    p.rate_hz = 25.0;
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_mediapipe_csv(path, &p, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, 3);
    cr_assert_eq(t.skeleton, FC_SKELETON_MEDIAPIPE33);
    cr_assert_eq(t.units, FC_UNITS_NORMALIZED);
    cr_assert_eq(t.dims, 3);
    cr_assert_eq(t.time_from_source, 0);
    cr_assert_eq(t.rate_hz, 25.0);
    /* no time column: frame index / rate */
    cr_assert_eq(t.frames[0].t_s, 0.0);
    cr_assert_eq(t.frames[1].t_s, 1.0 / 25.0);
    cr_assert_eq(t.frames[2].t_s, 2.0 / 25.0);
    cr_assert_not_null(t.labels);
    cr_assert_str_eq(t.labels[0], "C");
    cr_assert_str_eq(t.labels[1], "L");
    cr_assert_str_eq(t.labels[2], "C");

    const struct fc_keypoints *k = &t.frames[0];
    cr_assert_eq(k->x[FC_JOINT_NOSE], 0.5f);
    cr_assert_eq(k->y[FC_JOINT_NOSE], 0.25f);
    cr_assert_eq(k->z[FC_JOINT_NOSE], -0.125f);
    cr_assert_eq(k->score[FC_JOINT_NOSE], 0.9f, "score is visibility");
    cr_assert_eq(k->x[FC_JOINT_LEFT_BIG_TOE], 0.75f);
    cr_assert_eq(k->z[FC_JOINT_LEFT_BIG_TOE], 0.0625f);
    cr_assert_eq(k->score[FC_JOINT_LEFT_BIG_TOE], 0.5f);
    cr_assert_eq(k->score[FC_JOINT_LEFT_HIP], 0.0f, "absent landmark stays missing");
    cr_assert(isnan(k->x[FC_JOINT_LEFT_HIP]));

    k = &t.frames[1];
    cr_assert_eq(k->x[FC_JOINT_NOSE], 0.5f, "visibility 0 keeps the coordinates");
    cr_assert_eq(k->score[FC_JOINT_NOSE], 0.0f);
    cr_assert_eq(k->score[FC_JOINT_LEFT_BIG_TOE], 0.0f);
    cr_assert(isnan(k->x[FC_JOINT_LEFT_BIG_TOE]));

    k = &t.frames[2];
    cr_assert_eq(k->score[FC_JOINT_NOSE], 0.0f, "nan x: missing");
    cr_assert(isnan(k->x[FC_JOINT_NOSE]));
    cr_assert_eq(k->x[FC_JOINT_LEFT_BIG_TOE], 1.0f, "empty z alone keeps the point");
    cr_assert(isnan(k->z[FC_JOINT_LEFT_BIG_TOE]));
    cr_assert_eq(k->score[FC_JOINT_LEFT_BIG_TOE], 0.25f);
    fc_pose_track_free(&t);
}

Test(mediapipe, time_column_and_no_label)
{
    const char *path = fixture("mp_t.csv", "time,left_hip_x,left_hip_y,left_hip_v\n"
                                           "10.0,0.1,0.2,1\n"
                                           "10.5,0.1,0.2,1\n"
                                           "11.0,0.1,0.2,1\n");
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_mediapipe_csv(path, NULL, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, 3);
    cr_assert_eq(t.time_from_source, 1);
    cr_assert_eq(t.dims, 2, "no _z columns: 2-D");
    cr_assert_null(t.labels);
    cr_assert_eq(t.frames[1].t_s, 10.5);
    cr_assert_eq(t.rate_hz, 2.0);
    fc_pose_track_free(&t);
}

Test(mediapipe, missing_visibility_column)
{
    const char *path = fixture("mp_v.csv", "label,nose_x,nose_y,nose_z\nC,1,2,3\n");
    expect_fail(path, NULL, FC_ERR_FORMAT, "nose_v", NULL);
}

Test(mediapipe, non_numeric_cell)
{
    const char *path = fixture("mp_bad.csv", "label,nose_x,nose_y,nose_z,nose_v\n"
                                             "C,1,2,3,0.5\n"
                                             "C,1,2,zz,0.5\n");
    expect_fail(path, NULL, FC_ERR_FORMAT, ":3:", "nose_z");
}

Test(mediapipe, short_row)
{
    const char *path = fixture("mp_short.csv", "label,nose_x,nose_y,nose_z,nose_v\nC,1,2\n");
    expect_fail(path, NULL, FC_ERR_FORMAT, ":2:", "3 fields");
}

Test(mediapipe, no_landmark_columns)
{
    const char *path = fixture("mp_none.csv", "label,a,b\nC,1,2\n");
    expect_fail(path, NULL, FC_ERR_FORMAT, "no MediaPipe landmark columns", NULL);
}

Test(mediapipe, decreasing_time)
{
    const char *path = fixture("mp_back.csv", "t_s,nose_x,nose_y,nose_v\n1,0,0,1\n0.5,0,0,1\n");
    expect_fail(path, NULL, FC_ERR_FORMAT, ":3:", "t_s");
}

Test(mediapipe, empty_and_header_only)
{
    expect_fail(fixture("mp_empty.csv", ""), NULL, FC_ERR_EMPTY, "empty file", NULL);
    expect_fail(fixture("mp_hdr.csv", "label,nose_x,nose_y,nose_z,nose_v\r\n"), NULL, FC_ERR_EMPTY,
                "no frames", NULL);
}

Test(mediapipe, bad_rate)
{
    const char *path = fixture("mp_rate.csv", "nose_x,nose_y,nose_v\n0,0,1\n");
    struct fc_import_params p = {.rate_hz = 0.0};
    expect_fail(path, &p, FC_ERR_ARG, "rate", NULL);
}

/* ---- real data ---------------------------------------------------------- */

static int count_label(const struct fc_pose_track *t, const char *label)
{
    int n = 0;
    for (size_t i = 0; i < t->n_frames; i++)
        n += strcmp(t->labels[i], label) == 0;
    return n;
}

Test(mediapipe_real, lunge_error_test_set)
{
    char path[4200];
    if (fc_test_data_path(path, sizeof path,
                          "keypoints/exercise_correction/core_lunge_model_err.test.csv") < 0)
        cr_skip("real data not available");
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_mediapipe_csv(path, NULL, &t, &err), 0, "%s", err.msg);
    /* counts from MANIFEST.md */
    cr_assert_eq(t.n_frames, 1107);
    cr_assert_not_null(t.labels);
    cr_assert_eq(count_label(&t, "C"), 546);
    cr_assert_eq(count_label(&t, "L"), 561);
    cr_assert_eq(t.dims, 3);
    cr_assert_eq(t.rate_hz, 30.0);
    for (size_t i = 0; i < t.n_frames; i++)
        cr_assert(fc_keypoints_has(&t.frames[i], FC_JOINT_LEFT_HIP, 0.0f), "frame %zu", i);
    /* first data row of the file: label L, nose_x 0.435578852891922 */
    cr_assert_str_eq(t.labels[0], "L");
    cr_assert_eq(t.frames[0].x[FC_JOINT_NOSE], 0.435578852891922f);
    cr_assert_eq(t.frames[0].score[FC_JOINT_NOSE], 0.9999067187309265f);
    /* the file has no eye columns */
    cr_assert_eq(t.frames[0].score[FC_JOINT_LEFT_EYE], 0.0f);
    fc_pose_track_free(&t);
}

Test(mediapipe_real, squat_stage_set)
{
    char path[4200];
    if (fc_test_data_path(path, sizeof path,
                          "keypoints/exercise_correction/core_squat_model_test.csv") < 0)
        cr_skip("real data not available");
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_mediapipe_csv(path, NULL, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, 853);
    int up = count_label(&t, "up"), down = count_label(&t, "down");
    cr_assert_gt(up, 0);
    cr_assert_gt(down, 0);
    cr_assert_eq(up + down, 853, "only up/down labels");
    cr_assert(fc_keypoints_has(&t.frames[0], FC_JOINT_LEFT_KNEE, 0.5f));
    fc_pose_track_free(&t);
}
