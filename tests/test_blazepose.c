/* BlazePose landmarks: the ROI geometry from first principles, and the
 * converted models (both runtimes) against the original TF.js graph run by
 * tools/reference/blazepose_ref.mjs. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pose/blazepose.h"
#include "pose/dnn.h"
#include "pose/movenet.h"
#include "support/testutil.h"

#define PI 3.14159265358979323846

/* ---- the ROI ---- */

Test(blazepose_roi, upright_body_is_not_turned)
{
    struct fc_blazepose_roi r;
    /* scale point straight above the hips: the body is already upright */
    fc_blazepose_roi_from_points(100, 200, 100, 120, &r);
    cr_assert_float_eq(r.rotation_rad, 0.0, 1e-12);
    cr_assert_float_eq(r.size, 2 * 80 * 1.25, 1e-9);
    cr_assert_float_eq(r.cx, 100, 0);
    cr_assert_float_eq(r.cy, 200, 0);
}

Test(blazepose_roi, lying_body_turns_a_quarter)
{
    struct fc_blazepose_roi r;
    /* head to the right of the hips: the input's "up" must point right */
    fc_blazepose_roi_from_points(100, 200, 150, 200, &r);
    cr_assert_float_eq(r.rotation_rad, PI / 2, 1e-12);
    double x, y;
    /* the input's top centre (u = n/2, v = 0) lies half a side from the centre, towards the head */
    fc_blazepose_input_to_frame(&r, 256, 128, 0, &x, &y);
    cr_assert_float_eq(x, 100 + r.size / 2, 1e-9);
    cr_assert_float_eq(y, 200, 1e-9);
    /* head down (upside down): half a turn */
    fc_blazepose_roi_from_points(100, 200, 100, 260, &r);
    cr_assert_float_eq(fabs(r.rotation_rad), PI, 1e-12);
}

Test(blazepose_roi, from_movenet_keypoints)
{
    struct fc_keypoints k;
    fc_keypoints_clear(&k, 0);
    /* hips at y 300, shoulders at y 200, an ankle 200 below the hips */
    fc_keypoints_set(&k, FC_JOINT_LEFT_HIP, 90, 300, NAN, 0.9f);
    fc_keypoints_set(&k, FC_JOINT_RIGHT_HIP, 110, 300, NAN, 0.9f);
    fc_keypoints_set(&k, FC_JOINT_LEFT_SHOULDER, 90, 200, NAN, 0.9f);
    fc_keypoints_set(&k, FC_JOINT_RIGHT_SHOULDER, 110, 200, NAN, 0.9f);
    fc_keypoints_set(&k, FC_JOINT_LEFT_ANKLE, 100, 500, NAN, 0.9f);
    fc_keypoints_set(&k, FC_JOINT_RIGHT_ANKLE, 100, 700, NAN, 0.05f); /* below the gate */
    struct fc_blazepose_roi r;
    cr_assert_eq(fc_blazepose_roi_from_keypoints(&k, 0.2f, &r), 1);
    cr_assert_float_eq(r.cx, 100, 1e-9);
    cr_assert_float_eq(r.cy, 300, 1e-9);
    cr_assert_float_eq(r.rotation_rad, 0, 1e-12);
    /* radius: the ankle's 200 px, widened by a tenth; side 2 r 1.25 */
    cr_assert_float_eq(r.size, 2 * 200 * 1.1 * 1.25, 1e-9);
    fc_keypoints_set(&k, FC_JOINT_LEFT_SHOULDER, 90, 200, NAN, 0.1f);
    cr_assert_eq(fc_blazepose_roi_from_keypoints(&k, 0.2f, &r), 0);
}

Test(blazepose_roi, crop_samples_the_rotated_square)
{
    /* an 8x8 frame whose red channel is the column and green the row */
    enum { W = 8, N = 8 };
    uint8_t frame[W * W * 3], out[N * N * 3];
    for (int y = 0; y < W; y++)
        for (int x = 0; x < W; x++) {
            frame[3 * (y * W + x)] = (uint8_t)(10 * x);
            frame[3 * (y * W + x) + 1] = (uint8_t)(10 * y);
            frame[3 * (y * W + x) + 2] = 7;
        }
    /* the whole frame, upright: the identity */
    struct fc_blazepose_roi r = {.cx = 4, .cy = 4, .size = 8, .rotation_rad = 0};
    fc_blazepose_crop_rgb(frame, W, W, 3 * W, &r, out, N);
    cr_assert_arr_eq(out, frame, sizeof frame);
    /* turned a quarter: input row v, column u sees frame column 7 - v, row u */
    r.rotation_rad = PI / 2;
    fc_blazepose_crop_rgb(frame, W, W, 3 * W, &r, out, N);
    for (int v = 0; v < N; v++)
        for (int u = 0; u < N; u++) {
            cr_assert_eq(out[3 * (v * N + u)], 10 * (7 - v), "u %d v %d", u, v);
            cr_assert_eq(out[3 * (v * N + u) + 1], 10 * u, "u %d v %d", u, v);
        }
    /* shifted half outside the frame: black there */
    r = (struct fc_blazepose_roi){.cx = 0, .cy = 4, .size = 8, .rotation_rad = 0};
    fc_blazepose_crop_rgb(frame, W, W, 3 * W, &r, out, N);
    cr_assert_eq(out[2], 0);
    cr_assert_eq(out[3 * 4 + 2], 7);
}

Test(blazepose_roi, tracking_needs_a_confident_pose)
{
    struct fc_blazepose_result res;
    memset(&res, 0, sizeof res);
    res.pose_score = 0.9f;
    res.x[FC_BLAZEPOSE_ALIGN_CENTRE] = 50;
    res.y[FC_BLAZEPOSE_ALIGN_CENTRE] = 60;
    res.x[FC_BLAZEPOSE_ALIGN_SCALE] = 50;
    res.y[FC_BLAZEPOSE_ALIGN_SCALE] = 20;
    struct fc_blazepose_roi r;
    cr_assert_eq(fc_blazepose_roi_from_landmarks(&res, 0.5f, &r), 1);
    cr_assert_float_eq(r.size, 100, 1e-9);
    res.pose_score = 0.3f;
    cr_assert_eq(fc_blazepose_roi_from_landmarks(&res, 0.5f, &r), 0);
}

Test(blazepose_keypoints, feet_fill_their_slots)
{
    struct fc_blazepose_result res;
    memset(&res, 0, sizeof res);
    res.pose_score = 0.9f;
    for (int i = 0; i < FC_BLAZEPOSE_POINTS; i++) {
        res.x[i] = (float)i;
        res.y[i] = (float)(100 + i);
        res.visibility[i] = 0.5f + 0.01f * (float)i;
    }
    struct fc_keypoints k;
    fc_blazepose_to_keypoints(&res, 0.5f, 1.5, &k);
    /* MediaPipe's order: 29/30 heels, 31/32 foot indices, 27/28 ankles, 0 nose */
    cr_assert_float_eq(k.x[FC_JOINT_LEFT_HEEL], 29, 0);
    cr_assert_float_eq(k.x[FC_JOINT_RIGHT_HEEL], 30, 0);
    cr_assert_float_eq(k.x[FC_JOINT_LEFT_BIG_TOE], 31, 0);
    cr_assert_float_eq(k.y[FC_JOINT_RIGHT_BIG_TOE], 132, 0);
    cr_assert_float_eq(k.x[FC_JOINT_LEFT_ANKLE], 27, 0);
    cr_assert_float_eq(k.x[FC_JOINT_NOSE], 0, 0);
    cr_assert_float_eq(k.score[FC_JOINT_LEFT_HEEL], 0.79f, 1e-6);
    cr_assert_float_eq(k.t_s, 1.5, 0);
    res.pose_score = 0.2f;
    fc_blazepose_to_keypoints(&res, 0.5f, 1.5, &k);
    cr_assert_eq(k.score[FC_JOINT_LEFT_HEEL], 0);
}

Test(blazepose_model, missing_file_says_how_to_provision)
{
    struct fc_blazepose_params p = fc_blazepose_default_params();
    p.model_dir = "/nonexistent/formcheck-models";
    p.log = NULL;
    struct fc_blazepose *b = NULL;
    struct fc_error err = {0};
    cr_assert_eq(fc_blazepose_open(&b, &p, &err), FC_ERR_IO);
    cr_assert_null(b);
    cr_assert(strstr(err.msg, "/nonexistent/formcheck-models/blazepose-full-opencv.onnx"), "%s",
              err.msg);
    cr_assert(strstr(err.msg, "bash tools/fetch_models.sh"), "%s", err.msg);
}

/* ---- the converted models against the original TF.js model ---- */

#define MESSI "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"

static int model_present(enum fc_blazepose_model model, enum fc_dnn_backend be, char *path,
                         size_t len)
{
    if (!fc_dnn_backend_available(be))
        return 0;
    struct fc_blazepose_params p = fc_blazepose_default_params();
    p.model = model;
    p.backend = be;
    struct fc_error err = {0};
    return fc_blazepose_model_path(&p, path, len, &err) == 0 && fc_test_file_exists(path);
}

/* The squat frame is cut out of a clip by tools/reference/regenerate_blazepose.sh
 * beside the models (the real data is not in the repository). */
static int squat_frame(char *path, size_t len)
{
    const char *env = getenv("FORMCHECK_MODELS");
    const char *home = getenv("HOME");
    if (env && *env)
        snprintf(path, len, "%s/reference/squat_side_f45.ppm", env);
    else
        snprintf(path, len, "%s/.cache/formcheck/models/reference/squat_side_f45.ppm",
                 home ? home : "");
    return fc_test_file_exists(path);
}

/* tests/data/blazepose_reference_<image>_<model>.json holds what the original
 * TF.js graph made of the image, letterboxed to 256x256 as MoveNet's
 * reference does (fc_movenet_crop_rgb makes that tensor bit for bit) and
 * divided by 255: ld_3d (39 x [x, y, z, visibility, presence logits], x and
 * y in input pixels), world_3d and the pose flag. */
static void check_reference(enum fc_blazepose_model model, enum fc_dnn_backend be,
                            const char *image, const char *ref_name)
{
    char path[4096], ref_path[4096];
    if (!model_present(model, be, path, sizeof path))
        cr_skip("%s absent or %s not built: run `bash tools/fetch_models.sh`", path,
                fc_dnn_backend_name(be));
    if (!fc_test_file_exists(image))
        cr_skip("%s absent (opencv-doc, or tools/reference/regenerate_blazepose.sh)", image);
    snprintf(ref_path, sizeof ref_path, "%s/tests/data/blazepose_reference_%s.json", FC_SOURCE_DIR,
             ref_name);
    size_t len;
    char *text = fc_test_read_file(ref_path, &len);
    cr_assert_not_null(text, "%s missing", ref_path);
    cJSON *ref = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(ref, "%s: not JSON", ref_path);
    const cJSON *ld = cJSON_GetObjectItemCaseSensitive(ref, "ld_3d");
    const cJSON *world = cJSON_GetObjectItemCaseSensitive(ref, "world_3d");
    cr_assert_eq(cJSON_GetArraySize(ld), FC_BLAZEPOSE_POINTS);

    struct fc_error err = {0};
    uint8_t *frame;
    int fw, fh;
    cr_assert_eq(fc_dnn_load_image_rgb(image, &frame, &fw, &fh, &err), 0, "%s", err.msg);
    struct fc_blazepose_params p = fc_blazepose_default_params();
    p.model = model;
    p.backend = be;
    p.fallback = 0;
    struct fc_blazepose *b;
    cr_assert_eq(fc_blazepose_open(&b, &p, &err), 0, "%s", err.msg);
    int n = fc_blazepose_input_size(b);
    uint8_t *in = malloc((size_t)n * n * 3);
    struct fc_movenet_region mr;
    fc_movenet_full_region(fw, fh, &mr);
    fc_movenet_crop_rgb(frame, fw, fh, 3 * fw, &mr, in, n);
    /* the same square as an unrotated ROI: input pixels map to mr */
    struct fc_blazepose_roi roi = {mr.x + mr.w / 2, mr.y + mr.h / 2, mr.w, 0};
    struct fc_blazepose_result res;
    cr_assert_eq(fc_blazepose_run(b, in, 3 * n, &roi, &res, &err), 0, "%s", err.msg);

    double flag = cJSON_GetObjectItemCaseSensitive(ref, "poseflag")->valuedouble;
    cr_assert_float_eq(res.pose_score, flag, 1e-4);
    double worst_xy = 0, worst_vis = 0, worst_z = 0, worst_world = 0;
    for (int i = 0; i < FC_BLAZEPOSE_POINTS; i++) {
        const cJSON *e = cJSON_GetArrayItem(ld, i);
        double v[5];
        for (int k = 0; k < 5; k++)
            v[k] = cJSON_GetArrayItem(e, k)->valuedouble;
        /* back to the input's normalised coordinates, MoveNet's unit of tolerance */
        double x = (res.x[i] - mr.x) / mr.w, y = (res.y[i] - mr.y) / mr.h;
        double dxy = fmax(fabs(x - v[0] / n), fabs(y - v[1] / n));
        double dvis = fmax(fabs(res.visibility[i] - 1 / (1 + exp(-v[3]))),
                           fabs(res.presence[i] - 1 / (1 + exp(-v[4]))));
        double dz = fabs(res.z[i] / mr.w - v[2] / n);
        worst_xy = fmax(worst_xy, dxy);
        worst_vis = fmax(worst_vis, dvis);
        worst_z = fmax(worst_z, dz);
        cr_assert_lt(dxy, 1e-4, "%s point %d: ours (%.6f, %.6f) TF.js (%.6f, %.6f)", ref_name, i, x,
                     y, v[0] / n, v[1] / n);
        cr_assert_lt(dvis, 1e-4, "%s point %d visibility/presence", ref_name, i);
        cr_assert_lt(dz, 1e-4, "%s point %d depth", ref_name, i);
        if (i < FC_BLAZEPOSE_LANDMARKS) {
            const cJSON *wv = cJSON_GetArrayItem(world, i);
            double d = fmax(fabs(res.world_x[i] - cJSON_GetArrayItem(wv, 0)->valuedouble),
                            fmax(fabs(res.world_y[i] - cJSON_GetArrayItem(wv, 1)->valuedouble),
                                 fabs(res.world_z[i] - cJSON_GetArrayItem(wv, 2)->valuedouble)));
            worst_world = fmax(worst_world, d);
            cr_assert_lt(d, 1e-4, "%s world point %d differs by %g m", ref_name, i, d);
        }
    }
    cr_log_info("%s (%s) vs TF.js: x,y %.3g (normalised), z %.3g, visibility/presence %.3g, "
                "world %.3g m, pose flag %.3g",
                ref_name, fc_blazepose_model_name(b), worst_xy, worst_z, worst_vis, worst_world,
                fabs(res.pose_score - flag));
    free(in);
    free(frame);
    fc_blazepose_close(b);
    cJSON_Delete(ref);
}

#define REF_TEST(model, be, tag, image, ref)                                                       \
    Test(blazepose_reference, tag, .timeout = 300)                                                 \
    {                                                                                              \
        check_reference(model, be, image, ref);                                                    \
    }

REF_TEST(FC_BLAZEPOSE_FULL, FC_DNN_BACKEND_OPENCV, full_opencv_messi5, MESSI, "messi5_full")
REF_TEST(FC_BLAZEPOSE_FULL, FC_DNN_BACKEND_XNNPACK, full_xnnpack_messi5, MESSI, "messi5_full")
REF_TEST(FC_BLAZEPOSE_LITE, FC_DNN_BACKEND_OPENCV, lite_opencv_messi5, MESSI, "messi5_lite")
REF_TEST(FC_BLAZEPOSE_LITE, FC_DNN_BACKEND_XNNPACK, lite_xnnpack_messi5, MESSI, "messi5_lite")
REF_TEST(FC_BLAZEPOSE_HEAVY, FC_DNN_BACKEND_OPENCV, heavy_opencv_messi5, MESSI, "messi5_heavy")
REF_TEST(FC_BLAZEPOSE_HEAVY, FC_DNN_BACKEND_XNNPACK, heavy_xnnpack_messi5, MESSI, "messi5_heavy")

static void check_squat(enum fc_dnn_backend be)
{
    char frame[4096], clip[4096], dir[4096] = "";
    if (!squat_frame(frame, sizeof frame)) {
        /* Not cut beside the models: cut here, as the script does, from the
         * real-data clip when it is present (frame 45, the square that holds
         * the person; tools/reference/regenerate_blazepose.sh). */
        if (fc_test_data_path(clip, sizeof clip,
                              "videos/pexels-gabby-k-6980032_side_bodyweight_squat.mp4") < 0)
            cr_skip("%s absent, and no real-data clip to cut it from: run `bash "
                    "tools/reference/regenerate_blazepose.sh`",
                    frame);
        fc_test_mkdtemp(dir, sizeof dir);
        snprintf(frame, sizeof frame, "%s/squat_side_f45.ppm", dir);
        fc_test_ffmpeg("-i '%s' -vf 'select=eq(n\\,45),crop=1080:1080:0:740' -frames:v 1 "
                       "-pix_fmt rgb24 -f image2 -c:v ppm '%s'",
                       clip, frame);
    }
    check_reference(FC_BLAZEPOSE_FULL, be, frame, "squat_full");
    if (dir[0])
        fc_test_rmtree(dir);
}

Test(blazepose_reference, full_opencv_squat, .timeout = 300)
{
    check_squat(FC_DNN_BACKEND_OPENCV);
}

Test(blazepose_reference, full_xnnpack_squat, .timeout = 300)
{
    check_squat(FC_DNN_BACKEND_XNNPACK);
}
