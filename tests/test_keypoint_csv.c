/* Keypoint CSV: formcheck's own format, written and read back. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

TestSuite(keypoint_csv, .init = setup, .fini = teardown);

/* Writes text to <dir>/<name> and returns the path (static buffer). */
static const char *fixture(const char *name, const char *text)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fc_test_write_file(path, text, strlen(text));
    return path;
}

/* Reading must fail with code, leave the track empty and name the file and
 * each of the fragments in the message. */
static void expect_fail(const char *path, int code, const char *frag1, const char *frag2)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    int rc = fc_import_keypoint_csv(path, &t, &err);
    cr_assert_eq(rc, code, "rc %d, want %d: %s", rc, code, err.msg);
    cr_assert_eq(err.code, code);
    cr_assert_eq(t.n_frames, 0);
    cr_assert_null(t.frames);
    cr_assert_not_null(strstr(err.msg, path), "message does not name the file: %s", err.msg);
    if (frag1)
        cr_assert_not_null(strstr(err.msg, frag1), "'%s' not in: %s", frag1, err.msg);
    if (frag2)
        cr_assert_not_null(strstr(err.msg, frag2), "'%s' not in: %s", frag2, err.msg);
    fc_pose_track_free(&t); /* safe after a failure */
    fc_pose_track_free(&t);
}

static int same_float(float a, float b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return memcmp(&a, &b, sizeof a) == 0;
}

/* The COCO-17 names in COCO order, spelled out here rather than taken from
 * the code under test. */
static const char *const coco[17] = {
    "nose",           "left_eye",   "right_eye",   "left_ear",   "right_ear",   "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
    "right_hip",      "left_knee",  "right_knee",  "left_ankle", "right_ankle"};

Test(keypoint_csv, round_trip_is_exact)
{
    struct fc_pose_track t, back;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    t.width = 1920;
    t.height = 1080;
    /* Values chosen to need all nine digits, or to be awkward: a float with no
     * short decimal form, the largest float, a subnormal, a negative zero. */
    const float awkward[] = {1.0f / 3.0f, 123.456789f, FLT_MAX, 1.4e-45f, -0.0f, 0.1f, 1e-7f};
    const size_t n_awk = sizeof awkward / sizeof awkward[0];
    const double times[] = {0.0, 1.0 / 30, 2.0 / 30, 3.0 / 30, 3.0 / 30, 0.1 + 0.2, 1e9 / 7};
    for (size_t i = 0; i < 7; i++) {
        struct fc_keypoints *k = fc_pose_track_push(&t, &err);
        cr_assert_not_null(k);
        k->t_s = times[i];
        for (int j = 0; j < 17; j++) {
            if ((i + (size_t)j) % 5 == 0)
                continue; /* missing */
            float x = awkward[(i + (size_t)j) % n_awk];
            float y = awkward[(i * 3 + (size_t)j) % n_awk];
            float s = (j % 4 == 0) ? 0.0f : 1.0f / (float)(j + 2); /* a score of 0 with coords */
            fc_keypoints_set(k, j, x, y, NAN, s);
        }
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/rt.csv", dir);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_import_keypoint_csv(path, &back, &err), 0, "%s", err.msg);

    cr_assert_eq(back.n_frames, t.n_frames);
    cr_assert_eq(back.skeleton, FC_SKELETON_COCO17);
    cr_assert_eq(back.units, FC_UNITS_PIXELS);
    cr_assert_eq(back.dims, 2);
    cr_assert_eq(back.width, 1920);
    cr_assert_eq(back.height, 1080);
    cr_assert_eq(back.time_from_source, 1);
    cr_assert_null(back.labels);
    for (size_t i = 0; i < t.n_frames; i++) {
        const struct fc_keypoints *a = &t.frames[i], *b = &back.frames[i];
        cr_assert(memcmp(&a->t_s, &b->t_s, sizeof a->t_s) == 0, "frame %zu t_s %.17g vs %.17g", i,
                  a->t_s, b->t_s);
        for (int j = 0; j < FC_JOINT_COUNT; j++) {
            cr_assert(same_float(a->x[j], b->x[j]), "frame %zu joint %d x %.9g vs %.9g", i, j,
                      a->x[j], b->x[j]);
            cr_assert(same_float(a->y[j], b->y[j]), "frame %zu joint %d y", i, j);
            cr_assert(same_float(a->z[j], b->z[j]), "frame %zu joint %d z", i, j);
            cr_assert(same_float(a->score[j], b->score[j]), "frame %zu joint %d score", i, j);
        }
    }
    fc_pose_track_free(&t);
    fc_pose_track_free(&back);
}

Test(keypoint_csv, writes_the_documented_layout)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    struct fc_keypoints *k = fc_pose_track_push(&t, &err);
    k->t_s = 0.1;
    fc_keypoints_set(k, FC_JOINT_NOSE, 0.5f, 1.5f, NAN, 0.75f);
    k = fc_pose_track_push(&t, &err);
    k->t_s = 0.2;
    fc_keypoints_set(k, FC_JOINT_RIGHT_ANKLE, 640.25f, 2.0f, NAN, 1.0f);
    char path[4200];
    snprintf(path, sizeof path, "%s/layout.csv", dir);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), 0, "%s", err.msg);

    /* Expected text built from the format's definition: no comment line when
     * the image size is unknown, "t_s" then x,y,score per COCO joint. */
    char want[4096] = "t_s";
    for (int j = 0; j < 17; j++) {
        char cols[128];
        snprintf(cols, sizeof cols, ",%s_x,%s_y,%s_score", coco[j], coco[j], coco[j]);
        strcat(want, cols);
    }
    strcat(want, "\n0.1,0.5,1.5,0.75");
    for (int j = 1; j < 17; j++)
        strcat(want, ",,,");
    strcat(want, "\n0.2");
    for (int j = 0; j < 16; j++)
        strcat(want, ",,,");
    strcat(want, ",640.25,2,1\n");
    char *got = fc_test_read_file(path, NULL);
    cr_assert_str_eq(got, want);
    free(got);
    fc_pose_track_free(&t);
}

/* A pose model with feet (BlazePose): the heels and foot tips follow the
 * COCO-17 columns, in the order left heel, right heel, left toe, right toe,
 * and read back exactly; a foot joint the format does not carry (the small
 * toe) is left out; a frame without feet reads back without feet. */
Test(keypoint_csv, feet_round_trip)
{
    struct fc_pose_track t, back;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    const enum fc_joint feet[4] = {FC_JOINT_LEFT_HEEL, FC_JOINT_RIGHT_HEEL, FC_JOINT_LEFT_BIG_TOE,
                                   FC_JOINT_RIGHT_BIG_TOE};
    for (int i = 0; i < 3; i++) {
        struct fc_keypoints *k = fc_pose_track_push(&t, &err);
        k->t_s = i / 30.0;
        fc_keypoints_set(k, FC_JOINT_LEFT_ANKLE, 100.5f, 400.25f + (float)i, NAN, 0.9f);
        if (i == 1)
            continue; /* feet not found in this frame */
        for (int f = 0; f < 4; f++)
            fc_keypoints_set(k, feet[f], 90.0f + 10.0f * (float)f + 1.0f / 3.0f, 420.0f - (float)i,
                             NAN, 0.5f + 0.125f * (float)f);
        fc_keypoints_set(k, FC_JOINT_LEFT_SMALL_TOE, 1, 2, NAN, 1);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/feet.csv", dir);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), 0, "%s", err.msg);

    char want[4096] = "t_s";
    for (int j = 0; j < 17; j++) {
        char cols[128];
        snprintf(cols, sizeof cols, ",%s_x,%s_y,%s_score", coco[j], coco[j], coco[j]);
        strcat(want, cols);
    }
    strcat(want, ",left_heel_x,left_heel_y,left_heel_score,right_heel_x,right_heel_y,"
                 "right_heel_score,left_big_toe_x,left_big_toe_y,left_big_toe_score,"
                 "right_big_toe_x,right_big_toe_y,right_big_toe_score\n");
    char *got = fc_test_read_file(path, NULL);
    cr_assert(strncmp(got, want, strlen(want)) == 0, "header:\n%.1200s\nwant:\n%s", got, want);
    /* frame 1's row ends with four empty joints */
    const char *row1 = strchr(strchr(got, '\n') + 1, '\n') + 1;
    const char *end1 = strchr(row1, '\n');
    cr_assert(end1 - row1 > 12 && strncmp(end1 - 12, ",,,,,,,,,,,,", 12) == 0, "%.*s",
              (int)(end1 - row1), row1);
    free(got);

    cr_assert_eq(fc_import_keypoint_csv(path, &back, &err), 0, "%s", err.msg);
    cr_assert_eq(back.n_frames, 3);
    for (int i = 0; i < 3; i++) {
        const struct fc_keypoints *a = &t.frames[i], *b = &back.frames[i];
        for (int f = 0; f < 4; f++) {
            int j = feet[f];
            cr_assert(same_float(a->x[j], b->x[j]), "frame %d joint %d x %.9g vs %.9g", i, j,
                      a->x[j], b->x[j]);
            cr_assert(same_float(a->y[j], b->y[j]), "frame %d joint %d y", i, j);
            cr_assert(same_float(a->score[j], b->score[j]), "frame %d joint %d score", i, j);
        }
        cr_assert(isnan(b->x[FC_JOINT_LEFT_SMALL_TOE]), "frame %d: small toe written", i);
        cr_assert_eq(b->score[FC_JOINT_LEFT_SMALL_TOE], 0.0f);
        cr_assert(same_float(a->y[FC_JOINT_LEFT_ANKLE], b->y[FC_JOINT_LEFT_ANKLE]));
    }
    cr_assert_eq(back.frames[1].score[FC_JOINT_LEFT_HEEL], 0.0f);
    cr_assert(isnan(back.frames[1].x[FC_JOINT_RIGHT_BIG_TOE]));
    fc_pose_track_free(&t);
    fc_pose_track_free(&back);
}

Test(keypoint_csv, normalized_round_trip_keeps_units)
{
    struct fc_pose_track t, back;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_NORMALIZED, 2);
    for (int i = 0; i < 3; i++) {
        struct fc_keypoints *k = fc_pose_track_push(&t, &err);
        k->t_s = i * 0.04;
        fc_keypoints_set(k, FC_JOINT_LEFT_HIP, 0.25f * (float)i, 0.5f, NAN, 0.9f);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/norm.csv", dir);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), 0, "%s", err.msg);
    char *text = fc_test_read_file(path, NULL);
    cr_assert(strncmp(text, "# units=normalized\n", 19) == 0, "%s", text);
    free(text);
    cr_assert_eq(fc_import_keypoint_csv(path, &back, &err), 0, "%s", err.msg);
    cr_assert_eq(back.units, FC_UNITS_NORMALIZED);
    cr_assert_eq(back.width, 0);
    cr_assert_eq(back.height, 0);
    cr_assert_eq(back.frames[2].x[FC_JOINT_LEFT_HIP], 0.5f);
    /* 25 Hz: steps of 0.04 s. */
    cr_assert(fabs(back.rate_hz - 25.0) < 1e-9, "rate %.17g", back.rate_hz);
    fc_pose_track_free(&t);
    fc_pose_track_free(&back);
}

Test(keypoint_csv, reads_columns_by_name_with_crlf_and_gaps)
{
    /* Columns shuffled, an unknown "frame" column, only three joints, CRLF,
     * a comment line with an extra key, nan and empty cells. */
    const char *path =
        fixture("hand.csv", "# width=1280 height=720 model=movenet\r\n"
                            "left_hip_score,frame,left_hip_y,t_s,nose_x,nose_y,nose_score,"
                            "left_hip_x,right_ankle_x,right_ankle_y,right_ankle_score\r\n"
                            "0.5,0,200.5,0.000,10,20,0.25,100,1,2,3\r\n"
                            "0.75,1,201.5,0.050,nan,20,0.25,101,,,\r\n"
                            "1,2,202.5,0.100,12,22,NaN,102, 7 , 8 ,0.125\r\n"
                            "1,3,203.5,0.150,13,23,0.5,103,,,\r\n");
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_keypoint_csv(path, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, 4);
    cr_assert_eq(t.width, 1280);
    cr_assert_eq(t.height, 720);
    cr_assert_eq(t.units, FC_UNITS_PIXELS);
    cr_assert_eq(t.skeleton, FC_SKELETON_COCO17);
    cr_assert_eq(t.dims, 2);
    cr_assert_eq(t.time_from_source, 1);
    cr_assert(fabs(t.rate_hz - 20.0) < 1e-9, "rate %.17g", t.rate_hz);

    const struct fc_keypoints *k = &t.frames[0];
    cr_assert_eq(k->t_s, 0.0);
    cr_assert_eq(k->x[FC_JOINT_LEFT_HIP], 100.0f);
    cr_assert_eq(k->y[FC_JOINT_LEFT_HIP], 200.5f);
    cr_assert_eq(k->score[FC_JOINT_LEFT_HIP], 0.5f);
    cr_assert(isnan(k->z[FC_JOINT_LEFT_HIP]));
    cr_assert_eq(k->x[FC_JOINT_NOSE], 10.0f);
    cr_assert_eq(k->score[FC_JOINT_NOSE], 0.25f);
    cr_assert_eq(k->x[FC_JOINT_RIGHT_ANKLE], 1.0f);
    cr_assert_eq(k->score[FC_JOINT_RIGHT_ANKLE], 3.0f);
    /* joints without columns stay missing */
    cr_assert_eq(k->score[FC_JOINT_LEFT_KNEE], 0.0f);
    cr_assert(isnan(k->x[FC_JOINT_LEFT_KNEE]));

    k = &t.frames[1];
    cr_assert_eq(k->t_s, 0.05);
    cr_assert_eq(k->score[FC_JOINT_NOSE], 0.0f, "nan x makes the joint missing");
    cr_assert(isnan(k->x[FC_JOINT_NOSE]) && isnan(k->y[FC_JOINT_NOSE]));
    cr_assert_eq(k->score[FC_JOINT_RIGHT_ANKLE], 0.0f);
    cr_assert(isnan(k->x[FC_JOINT_RIGHT_ANKLE]));
    cr_assert_eq(k->x[FC_JOINT_LEFT_HIP], 101.0f);

    k = &t.frames[2];
    cr_assert_eq(k->score[FC_JOINT_NOSE], 0.0f, "NaN score makes the joint missing");
    cr_assert(isnan(k->x[FC_JOINT_NOSE]));
    cr_assert_eq(k->x[FC_JOINT_RIGHT_ANKLE], 7.0f, "blanks around a number are fine");
    cr_assert_eq(k->score[FC_JOINT_RIGHT_ANKLE], 0.125f);
    cr_assert_eq(t.frames[3].t_s, 0.15);
    fc_pose_track_free(&t);
}

Test(keypoint_csv, header_only_comment_is_optional)
{
    const char *path = fixture("plain.csv", "t_s,left_knee_x,left_knee_y,left_knee_score\n"
                                            "1.5,3,4,0.5\n");
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_keypoint_csv(path, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, 1);
    cr_assert_eq(t.width, 0);
    cr_assert_eq(t.rate_hz, 0.0, "one frame: rate unknown");
    cr_assert_eq(t.frames[0].t_s, 1.5);
    cr_assert_eq(t.frames[0].y[FC_JOINT_LEFT_KNEE], 4.0f);
    fc_pose_track_free(&t);
}

Test(keypoint_csv, missing_column_is_named)
{
    const char *path = fixture("miss.csv", "t_s,left_hip_x,left_hip_y\n0,1,2\n");
    expect_fail(path, FC_ERR_FORMAT, "left_hip_score", NULL);
}

Test(keypoint_csv, missing_time_column)
{
    const char *path = fixture("not.csv", "left_hip_x,left_hip_y,left_hip_score\n1,2,3\n");
    expect_fail(path, FC_ERR_FORMAT, "t_s", NULL);
}

Test(keypoint_csv, no_joint_columns)
{
    const char *path = fixture("nojoint.csv", "t_s,foo,bar\n0,1,2\n");
    expect_fail(path, FC_ERR_FORMAT, "no keypoint columns", NULL);
}

Test(keypoint_csv, duplicate_column)
{
    const char *path = fixture("dup.csv", "t_s,nose_x,nose_y,nose_score,nose_x\n0,1,2,3,4\n");
    expect_fail(path, FC_ERR_FORMAT, "'nose_x' appears twice", NULL);
}

Test(keypoint_csv, non_numeric_cell_names_line_and_column)
{
    const char *path = fixture("bad.csv", "# width=10 height=10\n"
                                          "t_s,left_hip_x,left_hip_y,left_hip_score\n"
                                          "0,1,2,0.5\n"
                                          "0.1,1,abc,0.5\n");
    expect_fail(path, FC_ERR_FORMAT, ":4:", "left_hip_y");
}

Test(keypoint_csv, infinite_value_is_rejected)
{
    const char *path = fixture("inf.csv", "t_s,nose_x,nose_y,nose_score\n0,inf,2,0.5\n");
    expect_fail(path, FC_ERR_FORMAT, ":2:", "nose_x");
}

Test(keypoint_csv, short_row_names_line)
{
    const char *path = fixture("short.csv", "t_s,nose_x,nose_y,nose_score\n"
                                            "0,1,2,0.5\n"
                                            "0.1,1,2\n");
    expect_fail(path, FC_ERR_FORMAT, ":3:", "3 fields");
}

Test(keypoint_csv, decreasing_time)
{
    const char *path = fixture("back.csv", "t_s,nose_x,nose_y,nose_score\n"
                                           "0.2,1,2,0.5\n"
                                           "0.1,1,2,0.5\n");
    expect_fail(path, FC_ERR_FORMAT, ":3:", "back in time");
}

Test(keypoint_csv, empty_or_nonnumeric_time)
{
    expect_fail(fixture("t1.csv", "t_s,nose_x,nose_y,nose_score\n,1,2,0.5\n"), FC_ERR_FORMAT,
                ":2:", "t_s");
    expect_fail(fixture("t2.csv", "t_s,nose_x,nose_y,nose_score\nnan,1,2,0.5\n"), FC_ERR_FORMAT,
                ":2:", "t_s");
    expect_fail(fixture("t3.csv", "t_s,nose_x,nose_y,nose_score\n1s,1,2,0.5\n"), FC_ERR_FORMAT,
                ":2:", "t_s");
}

Test(keypoint_csv, bad_image_size)
{
    const char *path = fixture("size.csv", "# width=-5 height=10\nt_s,nose_x,nose_y,nose_score\n");
    expect_fail(path, FC_ERR_FORMAT, "width", ":1:");
}

Test(keypoint_csv, empty_file)
{
    expect_fail(fixture("empty.csv", ""), FC_ERR_EMPTY, "empty file", NULL);
    expect_fail(fixture("comment.csv", "# width=10 height=10\n\n"), FC_ERR_EMPTY, "no header",
                NULL);
}

Test(keypoint_csv, header_only)
{
    expect_fail(fixture("hdr.csv", "t_s,nose_x,nose_y,nose_score\n\n"), FC_ERR_EMPTY, "no frames",
                NULL);
}

Test(keypoint_csv, binary_file)
{
    static const char blob[] = "t_s\0\x01\x02\x03";
    char path[4200];
    snprintf(path, sizeof path, "%s/blob.bin", dir);
    fc_test_write_file(path, blob, sizeof blob - 1);
    expect_fail(path, FC_ERR_FORMAT, ":1:", "not text");

    /* A PNG's first "line" has no control byte; it fails at the header. */
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    snprintf(path, sizeof path, "%s/img.png", dir);
    fc_test_write_file(path, png, sizeof png - 1);
    expect_fail(path, FC_ERR_FORMAT, ":1:", NULL);
}

Test(keypoint_csv, nonexistent_file)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/nope.csv", dir);
    expect_fail(path, FC_ERR_IO, "No such file", NULL);
}

static void two_frames(struct fc_pose_track *t, double t0, double t1)
{
    struct fc_error err = {0};
    fc_pose_track_init(t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    fc_pose_track_push(t, &err)->t_s = t0;
    fc_pose_track_push(t, &err)->t_s = t1;
}

Test(keypoint_csv, writer_refuses_what_reader_would_reject)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    char path[4200];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    fc_test_write_file(path, "keep me", 7);

    two_frames(&t, 0.2, 0.1);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), FC_ERR_ARG);
    fc_pose_track_free(&t);
    two_frames(&t, 0.0, NAN);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), FC_ERR_ARG);
    fc_pose_track_free(&t);
    two_frames(&t, 0.0, 0.1);
    t.units = FC_UNITS_MM;
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), FC_ERR_UNSUPPORTED);
    fc_pose_track_free(&t);
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), FC_ERR_EMPTY);

    /* nothing was written over the existing file, and no temporary is left */
    char *text = fc_test_read_file(path, NULL);
    cr_assert_str_eq(text, "keep me");
    free(text);
    cr_assert_eq(fc_test_dir_count(dir), 1);
}

Test(keypoint_csv, writer_reports_unwritable_path)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    char path[4200];
    snprintf(path, sizeof path, "%s/no/such/dir/out.csv", dir);
    two_frames(&t, 0.0, 0.1);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), FC_ERR_IO);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    fc_pose_track_free(&t);
}

Test(keypoint_csv, time_is_written_short_when_exact)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    char path[4200];
    snprintf(path, sizeof path, "%s/short_t.csv", dir);
    /* 0.1 is exact in 15 digits; 0.1 + 0.2 (0.30000000000000004) needs 17. */
    two_frames(&t, 0.1, 0.1 + 0.2);
    cr_assert_eq(fc_write_keypoint_csv(path, &t, &err), 0, "%s", err.msg);
    char *text = fc_test_read_file(path, NULL);
    cr_assert_not_null(strstr(text, "\n0.1,"), "%s", text);
    cr_assert_not_null(strstr(text, "\n0.30000000000000004,"), "%s", text);
    free(text);
    fc_pose_track_free(&t);
}
