/* Input detection by content, and fc_import_any's dispatch. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
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

TestSuite(detect, .init = setup, .fini = teardown);

static const char *put(const char *name, const void *data, size_t len)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fc_test_write_file(path, data, len);
    return path;
}

static const char *put_text(const char *name, const char *text)
{
    return put(name, text, strlen(text));
}

static void expect_unknown(const char *path, int code, const char *what)
{
    struct fc_error err = {0};
    cr_assert_eq(fc_input_detect(path, &err), FC_INPUT_UNKNOWN);
    cr_assert_eq(err.code, code, "code %d: %s", err.code, err.msg);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, what), "'%s' not in: %s", what, err.msg);
}

static const char keypoint_csv[] = "# width=640 height=480\n"
                                   "t_s,nose_x,nose_y,nose_score\n"
                                   "0,1,2,0.5\n"
                                   "0.04,1,2,0.5\n";
static const char mediapipe_csv[] = "label,nose_x,nose_y,nose_z,nose_v\r\n"
                                    "up,0.5,0.5,0,1\r\n";

/* The smallest thing that looks like a C3D file: a header block whose word 1
 * is (parameter block 2, key 0x50), and a parameter block whose 4th byte is
 * the processor type (84 = Intel). */
static const char *put_c3d_header(const char *name)
{
    static unsigned char c3d[1024];
    memset(c3d, 0, sizeof c3d);
    c3d[0] = 2;
    c3d[1] = 0x50;
    c3d[512] = 1;
    c3d[513] = 0x50;
    c3d[514] = 1;
    c3d[515] = 84;
    return put(name, c3d, sizeof c3d);
}

Test(detect, each_kind)
{
    struct fc_error err = {0};
    cr_assert_eq(fc_input_detect(put_text("a.txt", keypoint_csv), &err), FC_INPUT_KEYPOINT_CSV,
                 "%s", err.msg);
    cr_assert_eq(fc_input_detect(put_text("b.dat", mediapipe_csv), &err), FC_INPUT_MEDIAPIPE_CSV,
                 "%s", err.msg);
    cr_assert_eq(fc_input_detect(put_c3d_header("walk.bin"), &err), FC_INPUT_C3D, "%s", err.msg);

    char sub[4200];
    snprintf(sub, sizeof sub, "%s/op", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    put_text("op/x_000000000000_keypoints.json", "{\"people\":[]}");
    cr_assert_eq(fc_input_detect(sub, &err), FC_INPUT_OPENPOSE_DIR, "%s", err.msg);
}

Test(detect, by_content_not_name)
{
    struct fc_error err = {0};
    /* a MediaPipe CSV named like a C3D file, and the reverse */
    cr_assert_eq(fc_input_detect(put_text("x.c3d", mediapipe_csv), &err), FC_INPUT_MEDIAPIPE_CSV);
    cr_assert_eq(fc_input_detect(put_c3d_header("y.csv"), &err), FC_INPUT_C3D);
}

Test(detect, binary_and_empty)
{
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                        0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    expect_unknown(put("img.png", png, sizeof png), FC_ERR_FORMAT, "PNG");
    static const unsigned char blob[] = {7, 0, 1, 2, 3, 0, 0, 9};
    expect_unknown(put("blob", blob, sizeof blob), FC_ERR_NOT_KEYPOINTS, "binary data");
    /* binary content may be a video: its own code, so that a caller can try
     * one without reading the message; an image is not one */
    static const unsigned char mp4[] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    expect_unknown(put("clip.bin", mp4, sizeof mp4), FC_ERR_NOT_KEYPOINTS, "MP4/MOV video");
    expect_unknown(put_text("ctl.txt", "\x01\x02\x03 control bytes\n"), FC_ERR_NOT_KEYPOINTS,
                   "binary data");
    expect_unknown(put("empty.csv", "", 0), FC_ERR_EMPTY, "empty file");
    expect_unknown(put("empty.csv", "", 0), FC_ERR_EMPTY,
                   "not a keypoint CSV, MediaPipe CSV, OpenPose folder or C3D file");
}

Test(detect, unknown_text_shows_its_header)
{
    expect_unknown(put_text("other.csv", "frame,hip_angle\n1,90\n"), FC_ERR_FORMAT,
                   "text whose first line is 'frame,hip_angle'");
    /* a "P" second byte alone does not make text a C3D file */
    expect_unknown(put_text("p.txt", "2P is not a header\n"), FC_ERR_FORMAT, "text");
    expect_unknown(put_text("one.json", "{\"people\":[]}"), FC_ERR_FORMAT, "JSON");
    expect_unknown(put_text("comments.csv", "# only\n\n# comments\n"), FC_ERR_EMPTY, "comments");
    /* _x and _v columns that are not MediaPipe names */
    expect_unknown(put_text("fake.csv", "foo_x,foo_v\n1,2\n"), FC_ERR_FORMAT, "foo_x");
}

Test(detect, folders)
{
    expect_unknown(dir, FC_ERR_EMPTY, "folder without .json files");
    char path[4200];
    snprintf(path, sizeof path, "%s/absent.csv", dir);
    expect_unknown(path, FC_ERR_IO, "No such file");
}

Test(detect, kind_names_and_defaults)
{
    cr_assert_str_eq(fc_input_kind_name(FC_INPUT_KEYPOINT_CSV), "keypoint CSV");
    cr_assert_str_eq(fc_input_kind_name(FC_INPUT_MEDIAPIPE_CSV), "MediaPipe CSV");
    cr_assert_str_eq(fc_input_kind_name(FC_INPUT_OPENPOSE_DIR), "OpenPose folder");
    cr_assert_str_eq(fc_input_kind_name(FC_INPUT_C3D), "C3D");
    cr_assert_str_eq(fc_input_kind_name(FC_INPUT_UNKNOWN), "unknown");
    cr_assert_str_eq(fc_input_kind_name((enum fc_input_kind)99), "unknown");
    cr_assert_eq(fc_import_default_params().rate_hz, 30.0);
}

Test(detect, import_any_dispatches)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_any(put_text("k.csv", keypoint_csv), NULL, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.skeleton, FC_SKELETON_COCO17);
    cr_assert_eq(t.n_frames, 2);
    cr_assert_eq(t.width, 640);
    fc_pose_track_free(&t);

    struct fc_import_params p = {.rate_hz = 10.0};
    cr_assert_eq(fc_import_any(put_text("m.csv", mediapipe_csv), &p, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.skeleton, FC_SKELETON_MEDIAPIPE33);
    cr_assert_eq(t.rate_hz, 10.0);
    cr_assert_str_eq(t.labels[0], "up");
    fc_pose_track_free(&t);

    char sub[4200];
    snprintf(sub, sizeof sub, "%s/op", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    char frame[1024] = "{\"people\":[{\"pose_keypoints_2d\":[";
    for (int i = 0; i < 54; i++)
        strcat(frame, i ? ",1" : "1");
    strcat(frame, "]}]}");
    put_text("op/x_000000000000_keypoints.json", frame);
    cr_assert_eq(fc_import_any(sub, NULL, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.skeleton, FC_SKELETON_OPENPOSE18);
    fc_pose_track_free(&t);
}

Test(detect, import_any_failures_leave_an_empty_track)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_any(put("e", "", 0), NULL, &t, &err), FC_ERR_EMPTY, "%s", err.msg);
    cr_assert_eq(t.n_frames, 0);
    cr_assert_null(t.frames);
    fc_pose_track_free(&t);
    /* detected as keypoint CSV, then fails to read */
    cr_assert_eq(
        fc_import_any(put_text("bad.csv", "t_s,nose_x,nose_y,nose_score\n0,1\n"), NULL, &t, &err),
        FC_ERR_FORMAT);
    cr_assert_eq(t.n_frames, 0);
    fc_pose_track_free(&t);
    /* NULL err is allowed and still gives the code */
    cr_assert_eq(fc_import_any(put_text("u.csv", "a,b\n"), NULL, &t, NULL), FC_ERR_FORMAT);
    fc_pose_track_free(&t);
    /* a C3D header with nothing behind it is an error, not a crash */
    cr_assert_lt(fc_import_any(put_c3d_header("trunc.c3d"), NULL, &t, &err), 0);
    cr_assert_not_null(strstr(err.msg, "trunc.c3d"), "%s", err.msg);
    cr_assert_eq(t.n_frames, 0);
    fc_pose_track_free(&t);
}

/* ---- real data ---------------------------------------------------------- */

Test(detect_real, kinds_of_the_shared_data)
{
    static const struct {
        const char *rel;
        enum fc_input_kind kind;
    } files[] = {
        {"keypoints/exercise_correction/core_lunge_model_err.test.csv", FC_INPUT_MEDIAPIPE_CSV},
        {"keypoints/exercise_correction/core_squat_model_test.csv", FC_INPUT_MEDIAPIPE_CSV},
        {"keypoints/exercise_correction/core_squat_model_analyze_pose.csv", FC_INPUT_UNKNOWN},
        {"c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d", FC_INPUT_C3D},
        {"c3d/c3dorg_s03_gait-raw_DECint.c3d", FC_INPUT_C3D},
        {"c3d/c3dorg_s06_MACsample_MIPSint.c3d", FC_INPUT_C3D},
        {"c3d/c3d_org_variants/sample_01_Eb015sr.c3d", FC_INPUT_C3D},
    };
    if (!fc_test_data_dir())
        cr_skip("real data not available");
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4200];
        if (fc_test_data_path(path, sizeof path, files[i].rel) < 0)
            continue;
        struct fc_error err = {0};
        cr_assert_eq(fc_input_detect(path, &err), files[i].kind, "%s: %s", files[i].rel, err.msg);
    }
}

Test(detect_real, import_any_c3d)
{
    char path[4200];
    if (fc_test_data_path(path, sizeof path,
                          "c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d") < 0)
        cr_skip("real data not available");
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_any(path, NULL, &t, &err), 0, "%s", err.msg);
    /* MANIFEST.md: 493 frames at 100 Hz, with LASI RASI LPSI RPSI */
    cr_assert_eq(t.n_frames, 493);
    cr_assert_eq(t.skeleton, FC_SKELETON_MARKERS);
    cr_assert_eq(t.units, FC_UNITS_MM);
    cr_assert_eq(t.dims, 3);
    cr_assert_eq(t.rate_hz, 100.0);
    int seen = 0;
    for (size_t i = 0; i < t.n_frames; i++)
        seen += fc_keypoints_has(&t.frames[i], FC_JOINT_LEFT_ASIS, 0.5f);
    cr_assert_gt(seen, 0);
    fc_pose_track_free(&t);
}
