/* OpenPose JSON folders: one *_keypoints.json per frame. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

TestSuite(openpose, .init = setup, .fini = teardown);

static void put(const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fc_test_write_file(path, text, strlen(text));
}

/* A person's "pose_keypoints_2d" as JSON: n points, point i at
 * (x0 + i, y0 + 2i) with confidence c, except the points listed in zero[]
 * (0,0,0, OpenPose's "not found"). */
static char *person(char *buf, size_t len, int n, double x0, double y0, double c, int zero)
{
    size_t at = (size_t)snprintf(buf, len, "{\"person_id\":[-1],\"pose_keypoints_2d\":[");
    for (int i = 0; i < n; i++) {
        int z = i == zero;
        at += (size_t)snprintf(buf + at, len - at, "%s%g,%g,%g", i ? "," : "", z ? 0 : x0 + i,
                               z ? 0 : y0 + 2 * i, z ? 0 : c);
    }
    snprintf(buf + at, len - at, "],\"face_keypoints_2d\":[],\"hand_left_keypoints_2d\":[]}");
    return buf;
}

static void put_frame(const char *name, const char *people)
{
    char text[16384];
    snprintf(text, sizeof text, "{\"version\":1.3,\"people\":[%s]}", people);
    put(name, text);
}

static void expect_fail(const struct fc_import_params *p, int code, const char *frag1,
                        const char *frag2)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    int rc = fc_import_openpose_dir(dir, p, &t, &err);
    cr_assert_eq(rc, code, "rc %d, want %d: %s", rc, code, err.msg);
    cr_assert_eq(t.n_frames, 0);
    cr_assert_null(t.frames);
    cr_assert_not_null(strstr(err.msg, dir), "message does not name the folder: %s", err.msg);
    if (frag1)
        cr_assert_not_null(strstr(err.msg, frag1), "'%s' not in: %s", frag1, err.msg);
    if (frag2)
        cr_assert_not_null(strstr(err.msg, frag2), "'%s' not in: %s", frag2, err.msg);
    fc_pose_track_free(&t);
}

Test(openpose, body25_picks_most_confident_person)
{
    char a[4096], b[4096], both[8300];
    /* frame 0: a faint person and a confident one (its point 12, LHip, at
     * 100 + 12, 200 + 24; its point 4, RWrist, not found) */
    snprintf(both, sizeof both, "%s,%s", person(a, sizeof a, 25, 500, 600, 0.1, -1),
             person(b, sizeof b, 25, 100, 200, 0.8, 4));
    put_frame("clip_000000000000_keypoints.json", both);
    put_frame("clip_000000000001_keypoints.json", ""); /* nobody in view */
    put_frame("clip_000000000002_keypoints.json", person(a, sizeof a, 25, 10, 20, 0.5, -1));
    put("notes.txt", "not a frame");

    struct fc_import_params p = fc_import_default_params();
    p.rate_hz = 50.0;
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_openpose_dir(dir, &p, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, 3);
    cr_assert_eq(t.skeleton, FC_SKELETON_BODY25);
    cr_assert_eq(t.units, FC_UNITS_PIXELS);
    cr_assert_eq(t.dims, 2);
    cr_assert_eq(t.time_from_source, 0);
    cr_assert_eq(t.rate_hz, 50.0);
    cr_assert_eq(t.frames[0].t_s, 0.0);
    cr_assert_eq(t.frames[1].t_s, 1.0 / 50.0);
    cr_assert_eq(t.frames[2].t_s, 2.0 / 50.0);

    /* BODY_25 order (OpenPose output doc): 0 Nose, 1 Neck, 4 RWrist, 8 MidHip,
     * 12 LHip, 24 RHeel. */
    const struct fc_keypoints *k = &t.frames[0];
    cr_assert_eq(k->x[FC_JOINT_LEFT_HIP], 112.0f);
    cr_assert_eq(k->y[FC_JOINT_LEFT_HIP], 224.0f);
    cr_assert_eq(k->score[FC_JOINT_LEFT_HIP], 0.8f);
    cr_assert(isnan(k->z[FC_JOINT_LEFT_HIP]));
    cr_assert_eq(k->x[FC_JOINT_NOSE], 100.0f);
    cr_assert_eq(k->x[FC_JOINT_NECK], 101.0f);
    cr_assert_eq(k->x[FC_JOINT_MID_HIP], 108.0f);
    cr_assert_eq(k->x[FC_JOINT_RIGHT_HEEL], 124.0f);
    cr_assert_eq(k->score[FC_JOINT_RIGHT_WRIST], 0.0f, "c == 0: missing");
    cr_assert(isnan(k->x[FC_JOINT_RIGHT_WRIST]));

    for (int j = 0; j < FC_JOINT_COUNT; j++)
        cr_assert_eq(t.frames[1].score[j], 0.0f, "empty frame, joint %d", j);
    cr_assert_eq(t.frames[2].x[FC_JOINT_LEFT_HIP], 22.0f);
    fc_pose_track_free(&t);
}

Test(openpose, confident_person_first)
{
    char a[4096], b[4096], both[8300];
    /* The confident person listed first this time: the choice follows the
     * confidence sum (25 * 0.9 against 25 * 0.3), not the order. */
    snprintf(both, sizeof both, "%s,%s", person(a, sizeof a, 25, 1, 1, 0.9, -1),
             person(b, sizeof b, 25, 300, 300, 0.3, -1));
    put_frame("v_000000000000_keypoints.json", both);
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_openpose_dir(dir, NULL, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.frames[0].x[FC_JOINT_NOSE], 1.0f);
    cr_assert_eq(t.rate_hz, 30.0, "default rate");
    fc_pose_track_free(&t);
}

Test(openpose, files_are_taken_in_name_order)
{
    char a[4096];
    put_frame("v_000000000002_keypoints.json", person(a, sizeof a, 25, 30, 0, 1, -1));
    put_frame("v_000000000000_keypoints.json", person(a, sizeof a, 25, 10, 0, 1, -1));
    put_frame("v_000000000001_keypoints.json", person(a, sizeof a, 25, 20, 0, 1, -1));
    /* other JSON beside the keypoint files is not a frame */
    put("camera.json", "{\"fx\": 1000}");
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_openpose_dir(dir, NULL, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, 3);
    cr_assert_eq(t.frames[0].x[FC_JOINT_NOSE], 10.0f);
    cr_assert_eq(t.frames[1].x[FC_JOINT_NOSE], 20.0f);
    cr_assert_eq(t.frames[2].x[FC_JOINT_NOSE], 30.0f);
    fc_pose_track_free(&t);
}

Test(openpose, coco18)
{
    char a[4096];
    put_frame("c_000000000000_keypoints.json", person(a, sizeof a, 18, 100, 200, 0.7, -1));
    put_frame("c_000000000001_keypoints.json", person(a, sizeof a, 18, 100, 200, 0.7, 1));
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_openpose_dir(dir, NULL, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.skeleton, FC_SKELETON_OPENPOSE18);
    /* COCO-18 order: 1 Neck, 8 RHip, 11 LHip, 13 LAnkle */
    const struct fc_keypoints *k = &t.frames[0];
    cr_assert_eq(k->x[FC_JOINT_NECK], 101.0f);
    cr_assert_eq(k->x[FC_JOINT_RIGHT_HIP], 108.0f);
    cr_assert_eq(k->x[FC_JOINT_LEFT_HIP], 111.0f);
    cr_assert_eq(k->y[FC_JOINT_LEFT_ANKLE], 226.0f);
    cr_assert_eq(k->score[FC_JOINT_MID_HIP], 0.0f, "COCO-18 has no mid hip");
    cr_assert_eq(t.frames[1].score[FC_JOINT_NECK], 0.0f);
    fc_pose_track_free(&t);
}

Test(openpose, empty_folder)
{
    expect_fail(NULL, FC_ERR_EMPTY, "no OpenPose *_keypoints.json files in folder", NULL);
    put("readme.txt", "hello");
    expect_fail(NULL, FC_ERR_EMPTY, "no OpenPose", NULL);
}

Test(openpose, nobody_in_any_frame)
{
    put_frame("v_000000000000_keypoints.json", "");
    put_frame("v_000000000001_keypoints.json", "");
    expect_fail(NULL, FC_ERR_EMPTY, "none of the 2", NULL);
}

Test(openpose, malformed_json)
{
    char a[4096];
    put_frame("v_000000000000_keypoints.json", person(a, sizeof a, 25, 1, 1, 1, -1));
    put("v_000000000001_keypoints.json",
        "{\"version\":1.3,\"people\":[{\"pose_keypoints_2d\":[1,2");
    expect_fail(NULL, FC_ERR_FORMAT, "v_000000000001_keypoints.json", "frame 2 of 2");
}

Test(openpose, not_a_frame_object)
{
    put("v_000000000000_keypoints.json", "{\"version\":1.3}");
    expect_fail(NULL, FC_ERR_FORMAT, "v_000000000000_keypoints.json", "people");
}

Test(openpose, non_number_keypoint)
{
    put("v_000000000000_keypoints.json",
        "{\"people\":[{\"pose_keypoints_2d\":[1,2,\"x\",4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,"
        "20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,"
        "49,50,51,52,53,54]}]}");
    expect_fail(NULL, FC_ERR_FORMAT, "v_000000000000_keypoints.json", "[2]");
}

Test(openpose, wrong_keypoint_count)
{
    char a[4096];
    put_frame("v_000000000000_keypoints.json", person(a, sizeof a, 20, 1, 1, 1, -1));
    expect_fail(NULL, FC_ERR_UNSUPPORTED, "v_000000000000_keypoints.json", "60");
}

Test(openpose, mixed_skeletons)
{
    char a[4096];
    put_frame("v_000000000000_keypoints.json", person(a, sizeof a, 25, 1, 1, 1, -1));
    put_frame("v_000000000001_keypoints.json", person(a, sizeof a, 18, 1, 1, 1, -1));
    expect_fail(NULL, FC_ERR_FORMAT, "v_000000000001_keypoints.json", "mixed");
}

Test(openpose, missing_folder)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/absent", dir);
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_openpose_dir(path, NULL, &t, &err), FC_ERR_IO);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    fc_pose_track_free(&t);
}
