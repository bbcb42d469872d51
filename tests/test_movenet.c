/* MoveNet: head decoding from first principles, the video crop, model-file
 * errors, the converted models against the original TF.js model, and
 * tracking over frames. The tiers that need the model files skip themselves
 * when `bash tools/fetch_models.sh` has not been run. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pose/dnn.h"
#include "pose/movenet.h"
#include "support/testutil.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define S 48               /* Lightning's head size */
#define CELL 0.0208282471f /* 1/48 as float16, the graph's constant */

/* Planar heads of one synthetic inference, zero everywhere to start. */
struct heads {
    float heatmap[17][S][S];
    float centre[S][S];
    float regression[34][S][S];
    float offset[34][S][S];
};

static struct fc_movenet_heads view(const struct heads *h)
{
    struct fc_movenet_heads v = {.size = S,
                                 .channels_last = 0,
                                 .heatmap = &h->heatmap[0][0][0],
                                 .centre = &h->centre[0][0],
                                 .regression = &h->regression[0][0][0],
                                 .offset = &h->offset[0][0][0]};
    return v;
}

/* A person centred at cell (cy, cx) whose joint j is regressed to (and
 * peaks at) cell (cy + dy[j], cx + dx[j]) with score `score`, offsets
 * (oy, ox). */
static void put_person(struct heads *h, int cy, int cx, const int dy[17], const int dx[17],
                       float centre_score, float score, float oy, float ox)
{
    h->centre[cy][cx] = centre_score;
    for (int j = 0; j < 17; j++) {
        h->regression[2 * j][cy][cx] = (float)dy[j];
        h->regression[2 * j + 1][cy][cx] = (float)dx[j];
        int ky = cy + dy[j], kx = cx + dx[j];
        h->heatmap[j][ky][kx] = score - 0.01f * j;
        h->offset[2 * j][ky][kx] = oy;
        h->offset[2 * j + 1][ky][kx] = ox;
    }
}

static const int body_dy[17] = {-12, -13, -13, -12, -12, -8, -8, -3, -3, 1, 1, 0, 0, 7, 7, 14, 14};
static const int body_dx[17] = {0, -1, 1, -2, 2, -3, 3, -4, 4, -4, 4, -2, 2, -2, 2, -2, 2};

Test(movenet_decode, exact_keypoints_from_synthetic_heads)
{
    struct heads *h = calloc(1, sizeof *h);
    put_person(h, 20, 26, body_dy, body_dx, 0.9f, 0.8f, 0.25f, -0.375f);
    struct fc_movenet_heads v = view(h);
    float kp[17][3];
    int cx, cy;
    fc_movenet_decode(&v, 24.0f, 24.0f, kp, &cx, &cy);
    cr_assert_eq(cx, 26);
    cr_assert_eq(cy, 20);
    for (int j = 0; j < 17; j++) {
        float ex = ((float)(26 + body_dx[j]) - 0.375f) * CELL;
        float ey = ((float)(20 + body_dy[j]) + 0.25f) * CELL;
        cr_assert_eq(kp[j][0], ex, "joint %d x %.9g expected %.9g", j, kp[j][0], ex);
        cr_assert_eq(kp[j][1], ey, "joint %d y %.9g expected %.9g", j, kp[j][1], ey);
        cr_assert_eq(kp[j][2], 0.8f - 0.01f * j);
    }
    free(h);
}

Test(movenet_decode, channels_last_gives_the_same_keypoints)
{
    struct heads *h = calloc(1, sizeof *h);
    put_person(h, 30, 14, body_dy, body_dx, 0.7f, 0.6f, -0.5f, 0.125f);
    /* transpose every head to (row, column, channel) */
    float *hm = malloc(sizeof h->heatmap), *ce = malloc(sizeof h->centre),
          *re = malloc(sizeof h->regression), *of = malloc(sizeof h->offset);
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++) {
            ce[y * S + x] = h->centre[y][x];
            for (int c = 0; c < 17; c++)
                hm[(y * S + x) * 17 + c] = h->heatmap[c][y][x];
            for (int c = 0; c < 34; c++) {
                re[(y * S + x) * 34 + c] = h->regression[c][y][x];
                of[(y * S + x) * 34 + c] = h->offset[c][y][x];
            }
        }
    struct fc_movenet_heads planar = view(h);
    struct fc_movenet_heads last = {
        .size = S, .channels_last = 1, .heatmap = hm, .centre = ce, .regression = re, .offset = of};
    float a[17][3], b[17][3];
    fc_movenet_decode(&planar, 24.0f, 24.0f, a, NULL, NULL);
    fc_movenet_decode(&last, 24.0f, 24.0f, b, NULL, NULL);
    cr_assert(memcmp(a, b, sizeof a) == 0);
    cr_assert_float_eq(a[0][0], (14.0f + 0.125f) * CELL, 1e-7);
    free(hm), free(ce), free(re), free(of), free(h);
}

Test(movenet_decode, joint_peak_nearest_the_regressed_position_wins)
{
    struct heads *h = calloc(1, sizeof *h);
    h->centre[24][24] = 0.9f;
    /* the nose is regressed to (10.4, 24.6), a fractional cell */
    h->regression[0][24][24] = -13.6f;
    h->regression[1][24][24] = 0.6f;
    /* a stronger nose peak 20 cells away (another person's) ... */
    h->heatmap[0][10][44] = 0.95f;
    /* ... loses to a weaker one next to the regressed position:
     * 0.5 / (|(10,25)-(10.4,24.6)| + 1.8) = 0.211 > 0.95 / (19.4 + 1.8) = 0.045 */
    h->heatmap[0][10][25] = 0.5f;
    h->offset[0][10][25] = 0.5f;
    h->offset[1][10][25] = -0.25f;
    struct fc_movenet_heads v = view(h);
    float kp[17][3];
    fc_movenet_decode(&v, 24.0f, 24.0f, kp, NULL, NULL);
    cr_assert_eq(kp[0][0], (25.0f - 0.25f) * CELL);
    cr_assert_eq(kp[0][1], (10.0f + 0.5f) * CELL);
    cr_assert_eq(kp[0][2], 0.5f);
    /* with equal weighted values the first in row-major order wins (TF's ArgMax) */
    h->regression[2][24][24] = -19.0f; /* left eye regressed to cell (5, 6) */
    h->regression[3][24][24] = -18.0f;
    h->heatmap[1][5][5] = 0.3f; /* both 1 cell from it */
    h->heatmap[1][5][7] = 0.3f;
    fc_movenet_decode(&v, 24.0f, 24.0f, kp, NULL, NULL);
    cr_assert_eq(kp[1][0], 5.0f * CELL);
    cr_assert_eq(kp[1][1], 5.0f * CELL);
    free(h);
}

Test(movenet_decode, centre_weighting_picks_the_person_nearest_the_target)
{
    struct heads *h = calloc(1, sizeof *h);
    /* two people with equally confident centres: A at column 10, B at 30 */
    put_person(h, 24, 10, body_dy, body_dx, 0.8f, 0.7f, 0.0f, 0.0f);
    put_person(h, 24, 30, body_dy, body_dx, 0.8f, 0.7f, 0.0f, 0.0f);
    struct fc_movenet_heads v = view(h);
    float kp[17][3];
    int cx, cy;
    /* no one tracked: the one nearer the image centre (B, 6 cells vs 14) */
    fc_movenet_decode(&v, 24.0f, 24.0f, kp, &cx, &cy);
    cr_assert_eq(cx, 30);
    cr_assert_eq(kp[FC_JOINT_LEFT_HIP][0], (30.0f - 2.0f) * CELL);
    /* tracking A (last seen near column 11): A, even though B is more central */
    fc_movenet_decode(&v, 11.0f, 23.5f, kp, &cx, &cy);
    cr_assert_eq(cx, 10);
    cr_assert_eq(cy, 24);
    cr_assert_eq(kp[FC_JOINT_LEFT_HIP][0], (10.0f - 2.0f) * CELL);
    cr_assert_eq(kp[FC_JOINT_NOSE][1], (24.0f - 12.0f) * CELL);
    /* the weighting is a preference, not a lock: a much more confident
     * person wins, 0.8 / (19.0 + 1.8) = 0.038 > 0.1 / (1.1 + 1.8) = 0.034 */
    h->centre[24][10] = 0.1f;
    fc_movenet_decode(&v, 11.0f, 23.5f, kp, &cx, &cy);
    cr_assert_eq(cx, 30);
    free(h);
}

Test(movenet_decode, every_person_from_the_centre_peaks)
{
    struct heads *h = calloc(1, sizeof *h);
    /* three people; the weakest peak (0.3) still counts, a smear of
     * background beside A (0.05 cells) and a shoulder of A's own peak do not */
    put_person(h, 24, 10, body_dy, body_dx, 0.6f, 0.7f, 0.0f, 0.0f);
    put_person(h, 24, 30, body_dy, body_dx, 0.9f, 0.8f, 0.25f, -0.25f);
    put_person(h, 20, 40, body_dy, body_dx, 0.3f, 0.5f, 0.0f, 0.0f);
    h->centre[24][11] = 0.55f; /* next to A's peak: part of A */
    h->centre[5][5] = 0.05f;   /* below 0.1: background */
    struct fc_movenet_heads v = view(h);
    float kp[8][17][3], score[8];
    int cx[8], cy[8];
    int n = fc_movenet_decode_people(&v, 0.1f, kp, score, cx, cy, 8);
    cr_assert_eq(n, 3);
    /* strongest first */
    cr_assert_eq(cx[0], 30);
    cr_assert_eq(cx[1], 10);
    cr_assert_eq(cx[2], 40);
    cr_assert_eq(cy[2], 20);
    cr_assert_float_eq(score[0], 0.9f, 1e-7);
    cr_assert_float_eq(score[2], 0.3f, 1e-7);
    /* each decoded from its own peak, as the single-person decoding does
     * when that peak is the one it picks */
    cr_assert_eq(kp[0][FC_JOINT_LEFT_HIP][0], (30.0f - 2.0f - 0.25f) * CELL);
    cr_assert_eq(kp[0][FC_JOINT_LEFT_HIP][1], (24.0f + 0.25f) * CELL);
    cr_assert_eq(kp[1][FC_JOINT_LEFT_HIP][0], (10.0f - 2.0f) * CELL);
    cr_assert_eq(kp[2][FC_JOINT_NOSE][1], (20.0f - 12.0f) * CELL);
    float one[17][3];
    int ocx, ocy;
    fc_movenet_decode(&v, 40.0f, 20.0f, one, &ocx, &ocy);
    cr_assert_eq(ocx, 40);
    cr_assert_arr_eq(one, kp[2], sizeof one);
    /* room for two: the two strongest */
    n = fc_movenet_decode_people(&v, 0.1f, kp, score, cx, cy, 2);
    cr_assert_eq(n, 2);
    cr_assert_eq(cx[0], 30);
    cr_assert_eq(cx[1], 10);
    /* nobody above the threshold */
    cr_assert_eq(fc_movenet_decode_people(&v, 0.95f, kp, score, cx, cy, 8), 0);
    free(h);
}

/* ---- the crop ---- */

static void person_px(struct fc_keypoints *k)
{
    fc_keypoints_clear(k, 0.0);
    static const float xy[17][2] = {{320, 150}, {315, 145}, {325, 145}, {310, 148}, {330, 148},
                                    {295, 200}, {345, 200}, {290, 250}, {350, 250}, {288, 290},
                                    {352, 290}, {300, 300}, {340, 300}, {302, 360}, {338, 360},
                                    {304, 420}, {336, 420}};
    for (int j = 0; j < 17; j++)
        fc_keypoints_set(k, j, xy[j][0], xy[j][1], NAN, 0.9f);
}

Test(movenet_crop, torso_and_body_expansion)
{
    struct fc_keypoints k;
    person_px(&k);
    struct fc_movenet_region r;
    cr_assert_eq(fc_movenet_crop_region(&k, 640, 480, 0.2f, &r), 1);
    /* mid-hip (320, 300); torso reach 100 px (shoulders, vertical) x 1.9 = 190
     * beats body reach 150 px (nose) x 1.2 = 180 */
    cr_assert_float_eq(r.x, 320.0 - 190.0, 1e-9);
    cr_assert_float_eq(r.y, 300.0 - 190.0, 1e-9);
    cr_assert_float_eq(r.w, 380.0, 1e-9);
    cr_assert_float_eq(r.h, 380.0, 1e-9);
    /* raise the arms: the body reach (wrists 250 px up) x 1.2 = 300 wins,
     * and the crop runs past the frame's top */
    k.y[FC_JOINT_LEFT_WRIST] = k.y[FC_JOINT_RIGHT_WRIST] = 50.0f;
    cr_assert_eq(fc_movenet_crop_region(&k, 640, 480, 0.2f, &r), 1);
    cr_assert_float_eq(r.w, 600.0, 1e-9);
    cr_assert_float_eq(r.y, 0.0, 1e-9);
    cr_assert_float_eq(r.x, 20.0, 1e-9);
    /* ... unless the wrists are unsure: joints below the score do not count */
    k.score[FC_JOINT_LEFT_WRIST] = k.score[FC_JOINT_RIGHT_WRIST] = 0.1f;
    cr_assert_eq(fc_movenet_crop_region(&k, 640, 480, 0.2f, &r), 1);
    cr_assert_float_eq(r.w, 380.0, 1e-9);
}

Test(movenet_crop, falls_back_to_the_padded_frame)
{
    struct fc_keypoints k;
    person_px(&k);
    struct fc_movenet_region r;
    /* both hips unsure: the torso is lost */
    k.score[FC_JOINT_LEFT_HIP] = k.score[FC_JOINT_RIGHT_HIP] = 0.15f;
    cr_assert_eq(fc_movenet_crop_region(&k, 640, 480, 0.2f, &r), 0);
    cr_assert_float_eq(r.x, 0.0, 1e-9);
    cr_assert_float_eq(r.y, -80.0, 1e-9);
    cr_assert_float_eq(r.w, 640.0, 1e-9);
    cr_assert_float_eq(r.h, 640.0, 1e-9);
    /* one hip and one shoulder are enough */
    k.score[FC_JOINT_RIGHT_HIP] = 0.5f;
    k.score[FC_JOINT_LEFT_SHOULDER] = 0.0f;
    cr_assert_eq(fc_movenet_crop_region(&k, 640, 480, 0.2f, &r), 1);
    /* no shoulder at all: lost */
    k.score[FC_JOINT_RIGHT_SHOULDER] = 0.2f; /* not above 0.2 */
    cr_assert_eq(fc_movenet_crop_region(&k, 640, 480, 0.2f, &r), 0);
    /* a crop wider than half the frame's longer side: the whole frame, portrait */
    person_px(&k);
    k.y[FC_JOINT_LEFT_ANKLE] = k.y[FC_JOINT_RIGHT_ANKLE] = 1000.0f;
    cr_assert_eq(fc_movenet_crop_region(&k, 480, 1200, 0.2f, &r), 0);
    cr_assert_float_eq(r.x, -360.0, 1e-9);
    cr_assert_float_eq(r.y, 0.0, 1e-9);
    cr_assert_float_eq(r.w, 1200.0, 1e-9);
    /* gated joints (NaN, score 0) are left out, and a collapsed pose is lost */
    person_px(&k);
    fc_keypoints_set(&k, FC_JOINT_LEFT_HIP, NAN, NAN, NAN, 0.0f);
    cr_assert_eq(fc_movenet_crop_region(&k, 640, 480, 0.2f, &r), 1);
    cr_assert_float_eq(r.x + r.w / 2, 340.0, 1e-9); /* centred on the right hip */
    for (int j = 0; j < 17; j++)
        k.x[j] = 100.0f, k.y[j] = 100.0f;
    cr_assert_eq(fc_movenet_crop_region(&k, 640, 480, 0.2f, &r), 0);
}

Test(movenet_crop, rgb_sampling)
{
    enum { W = 8, H = 4 };
    uint8_t frame[H][W][3];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            frame[y][x][0] = (uint8_t)(10 * x), frame[y][x][1] = (uint8_t)(10 * y),
            frame[y][x][2] = 200;
    uint8_t out[8][8][3];
    /* the letterboxed frame at its own size: rows 2..5 are the frame, the rest black */
    struct fc_movenet_region r;
    fc_movenet_full_region(W, H, &r);
    cr_assert_float_eq(r.y, -2.0, 1e-12);
    fc_movenet_crop_rgb(&frame[0][0][0], W, H, 3 * W, &r, &out[0][0][0], 8);
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            for (int c = 0; c < 3; c++) {
                int want = (y >= 2 && y < 6) ? frame[y - 2][x][c] : 0;
                cr_assert_eq(out[y][x][c], want, "(%d,%d,%d) %d != %d", y, x, c, out[y][x][c],
                             want);
            }
    /* halving the size averages pixel pairs (half-pixel centres) */
    struct fc_movenet_region all = {0, 0, W, W};
    uint8_t half[4][4][3];
    fc_movenet_crop_rgb(&frame[0][0][0], W, H, 3 * W, &all, &half[0][0][0], 4);
    cr_assert_eq(half[0][0][0], 5);  /* (0 + 10) / 2 */
    cr_assert_eq(half[0][3][0], 65); /* (60 + 70) / 2 */
    cr_assert_eq(half[1][0][1], 25); /* rows 2 and 3 */
    cr_assert_eq(half[1][0][2], 200);
    cr_assert_eq(half[2][0][2], 0); /* below the frame */
}

/* ---- model files ---- */

/* The file of a model in one encoding: 0 -opencv.onnx, 1 -std.onnx, 2 .xnn
 * (XNNPACK). */
enum { ENC_OPENCV, ENC_STD, ENC_XNNPACK };

static void set_encoding(struct fc_movenet_params *p, int enc)
{
    p->use_std_encoding = enc == ENC_STD;
    p->backend = enc == ENC_XNNPACK ? FC_DNN_BACKEND_XNNPACK : FC_DNN_BACKEND_OPENCV;
    p->fallback = 0;
}

static int models_present(enum fc_movenet_model model, int enc, char *path, size_t len)
{
    struct fc_movenet_params p = fc_movenet_default_params();
    p.model = model;
    set_encoding(&p, enc);
    if (enc == ENC_XNNPACK && !fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK))
        return 0;
    struct fc_error err = {0};
    if (fc_movenet_model_path(&p, path, len, &err) < 0)
        return 0;
    return fc_test_file_exists(path);
}

Test(movenet_model, missing_file_says_how_to_provision)
{
    struct fc_movenet_params p = fc_movenet_default_params();
    p.model_dir = "/nonexistent/formcheck-models";
    struct fc_movenet *m = NULL;
    struct fc_error err = {0};
    cr_assert_eq(fc_movenet_open(&m, &p, &err), FC_ERR_IO);
    cr_assert_null(m);
    cr_assert(strstr(err.msg, "/nonexistent/formcheck-models/movenet-lightning-opencv.onnx"), "%s",
              err.msg);
    cr_assert(strstr(err.msg, "bash tools/fetch_models.sh"), "%s", err.msg);
    cr_assert(strstr(err.msg, "not found"), "%s", err.msg);

    p.model = FC_MOVENET_THUNDER;
    p.use_std_encoding = 1;
    p.backend = FC_DNN_BACKEND_OPENCV;
    char path[4096];
    cr_assert_eq(fc_movenet_model_path(&p, path, sizeof path, &err), 0);
    cr_assert_str_eq(path, "/nonexistent/formcheck-models/movenet-thunder-std.onnx");
}

Test(movenet_model, corrupt_file_names_it)
{
    char dir[512], path[600];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/movenet-lightning-opencv.onnx", dir);
    static const char junk[] = "this is not an ONNX protobuf \x01\x02\x03\xff\xfe garbage";
    fc_test_write_file(path, junk, sizeof junk);
    struct fc_movenet_params p = fc_movenet_default_params();
    p.model_dir = dir;
    struct fc_movenet *m = NULL;
    struct fc_error err = {0};
    cr_assert_eq(fc_movenet_open(&m, &p, &err), FC_ERR_FORMAT, "%s", err.msg);
    cr_assert_null(m);
    cr_assert(strstr(err.msg, path), "%s", err.msg);
    cr_assert(strstr(err.msg, "bash tools/fetch_models.sh"), "%s", err.msg);

    /* an empty file, through the runtime interface directly */
    fc_test_write_file(path, "", 0);
    struct fc_dnn *d = NULL;
    memset(&err, 0, sizeof err);
    cr_assert_eq(fc_dnn_open(&d, path, NULL, &err), FC_ERR_FORMAT, "%s", err.msg);
    cr_assert_null(d);
    cr_assert(strstr(err.msg, path), "%s", err.msg);
    cr_assert(strchr(err.msg, '\n') == NULL, "one line: %s", err.msg);

    /* the image reader names its file too */
    uint8_t *rgb;
    int w, h;
    cr_assert_eq(fc_dnn_load_image_rgb(path, &rgb, &w, &h, &err), FC_ERR_FORMAT);
    cr_assert(strstr(err.msg, path), "%s", err.msg);
    fc_test_rmtree(dir);
}

Test(movenet_model, explicit_path_to_a_missing_file)
{
    struct fc_movenet_params p = fc_movenet_default_params();
    p.model_path = "/nonexistent/my-movenet.onnx";
    struct fc_movenet *m = NULL;
    struct fc_error err = {0};
    cr_assert_eq(fc_movenet_open(&m, &p, &err), FC_ERR_IO);
    cr_assert(strstr(err.msg, "/nonexistent/my-movenet.onnx: "), "%s", err.msg);
    struct fc_dnn *d = NULL;
    cr_assert_eq(fc_dnn_open(&d, p.model_path, NULL, &err), FC_ERR_IO);
    cr_assert(strstr(err.msg, "/nonexistent/my-movenet.onnx: No such file"), "%s", err.msg);
}

/* ---- the converted models against the original TF.js model ---- */

#define MESSI "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"

/* tests/data/movenet_reference_messi5_<model>.json holds what the original
 * TF.js graph (tools/reference/movenet_ref.mjs, pure-JS CPU backend) made of
 * messi5.jpg decoded by libjpeg-turbo, the decoder behind OpenCV's imread:
 * its keypoints [y, x, score] normalised to the padded square, and per head
 * channel the maximum. formcheck's own path is run on the same picture:
 * decode, letterbox and scale (fc_movenet_crop_rgb: the same tensor, bit for
 * bit), infer with OpenCV, decode the heads in C. */
static void check_reference(enum fc_movenet_model model, int enc)
{
    const char *name = model == FC_MOVENET_THUNDER ? "thunder" : "lightning";
    char path[4096], ref_path[4096];
    if (!models_present(model, enc, path, sizeof path))
        cr_skip("%s absent: run `bash tools/fetch_models.sh` for the reference check", path);
    if (!fc_test_file_exists(MESSI))
        cr_skip("%s absent (Debian package opencv-doc)", MESSI);
    snprintf(ref_path, sizeof ref_path, "%s/tests/data/movenet_reference_messi5_%s.json",
             FC_SOURCE_DIR, name);
    size_t len;
    char *text = fc_test_read_file(ref_path, &len);
    cr_assert_not_null(text, "%s missing", ref_path);
    cJSON *ref = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(ref, "%s: not JSON", ref_path);
    const cJSON *kp_ref = cJSON_GetObjectItemCaseSensitive(ref, "keypoints_model_output");
    cr_assert_eq(cJSON_GetArraySize(kp_ref), 17);

    struct fc_error err = {0};
    uint8_t *frame;
    int fw, fh;
    cr_assert_eq(fc_dnn_load_image_rgb(MESSI, &frame, &fw, &fh, &err), 0, "%s", err.msg);
    struct fc_movenet_params p = fc_movenet_default_params();
    p.model = model;
    set_encoding(&p, enc);
    p.tracking = 0;
    struct fc_movenet *m;
    cr_assert_eq(fc_movenet_open(&m, &p, &err), 0, "%s", err.msg);
    int n = fc_movenet_input_size(m);
    cr_assert_eq(n, cJSON_GetObjectItemCaseSensitive(ref, "input_size")->valueint);
    uint8_t *in = malloc((size_t)n * n * 3);
    struct fc_movenet_region r;
    fc_movenet_full_region(fw, fh, &r);
    fc_movenet_crop_rgb(frame, fw, fh, 3 * fw, &r, in, n);
    struct fc_keypoints kp;
    cr_assert_eq(fc_movenet_run(m, in, 3 * n, &r, fw, fh, 0.0, &kp, &err), 0, "%s", err.msg);

    double worst = 0, worst_xy = 0, worst_score = 0;
    for (int j = 0; j < 17; j++) {
        const cJSON *e = cJSON_GetArrayItem(kp_ref, j);
        double ry = cJSON_GetArrayItem(e, 0)->valuedouble;
        double rx = cJSON_GetArrayItem(e, 1)->valuedouble;
        double rs = cJSON_GetArrayItem(e, 2)->valuedouble;
        double x = (kp.x[j] - r.x) / r.w, y = (kp.y[j] - r.y) / r.h; /* back to normalised */
        double d = fmax(fabs(x - rx), fmax(fabs(y - ry), fabs(kp.score[j] - rs)));
        worst = fmax(worst, d);
        worst_xy = fmax(worst_xy, fmax(fabs(x - rx), fabs(y - ry)));
        worst_score = fmax(worst_score, fabs(kp.score[j] - rs));
        cr_assert_lt(d, 1e-4, "%s %s: ours (%.6f, %.6f, %.6f) TF.js (%.6f, %.6f, %.6f)", name,
                     fc_joint_name(j), x, y, kp.score[j], rx, ry, rs);
    }
    /* the heads themselves: every channel's maximum */
    static const char *const heads[4] = {"heatmap", "center", "regression", "offset"};
    const cJSON *hj = cJSON_GetObjectItemCaseSensitive(ref, "heads");
    double worst_head = 0;
    for (int i = 0; i < 4; i++) {
        struct fc_dnn_tensor t;
        cr_assert_eq(fc_dnn_output(fc_movenet_dnn(m), i, &t), 0);
        int last = fc_dnn_channels_last(fc_movenet_dnn(m));
        const cJSON *ch = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(hj, heads[i]), "channels");
        int c = cJSON_GetArraySize(ch), cells = (n / 4) * (n / 4);
        cr_assert_eq((size_t)c * cells, t.count, "%s: %d channels", heads[i], c);
        for (int k = 0; k < c; k++) {
            float mx = -INFINITY;
            for (int q = 0; q < cells; q++)
                mx = fmaxf(mx, t.data[last ? (size_t)q * c + k : (size_t)k * cells + q]);
            double want =
                cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ch, k), "max")->valuedouble;
            /* relative to the size: regressions reach 55 cells */
            double d = fabs(mx - want) / fmax(1.0, fabs(want));
            worst_head = fmax(worst_head, d);
            cr_assert_lt(d, 1e-4, "%s channel %d max %.6f, TF.js %.6f", heads[i], k, mx, want);
        }
    }
    cr_log_info("%s (%s) vs TF.js on messi5.jpg: keypoints max |diff| x,y %.3g "
                "(normalised), score %.3g; head maxima %.3g (relative)",
                name, fc_movenet_model_name(m), worst_xy, worst_score, worst_head);
    free(in);
    free(frame);
    fc_movenet_close(m);
    cJSON_Delete(ref);
}

Test(movenet_reference, lightning_opencv_encoding, .timeout = 300)
{
    check_reference(FC_MOVENET_LIGHTNING, 0);
}

Test(movenet_reference, lightning_std_encoding, .timeout = 300)
{
    check_reference(FC_MOVENET_LIGHTNING, 1);
}

Test(movenet_reference, thunder_opencv_encoding, .timeout = 300)
{
    check_reference(FC_MOVENET_THUNDER, 0);
}

Test(movenet_reference, thunder_std_encoding, .timeout = 300)
{
    check_reference(FC_MOVENET_THUNDER, 1);
}

Test(movenet_reference, lightning_xnnpack, .timeout = 300)
{
    check_reference(FC_MOVENET_LIGHTNING, ENC_XNNPACK);
}

Test(movenet_reference, thunder_xnnpack, .timeout = 300)
{
    check_reference(FC_MOVENET_THUNDER, ENC_XNNPACK);
}

/* The heads of the two runtimes on the same input, cell by cell: the same
 * weights and the same arithmetic up to the order of float32 sums. */
static void check_heads_agree(enum fc_movenet_model model)
{
    char path[4096];
    if (!models_present(model, ENC_OPENCV, path, sizeof path) ||
        !models_present(model, ENC_XNNPACK, path, sizeof path))
        cr_skip("%s absent or XNNPACK not built: run `bash tools/fetch_models.sh`", path);
    if (!fc_test_file_exists(MESSI))
        cr_skip("%s absent (Debian package opencv-doc)", MESSI);
    struct fc_error err = {0};
    uint8_t *frame;
    int fw, fh;
    cr_assert_eq(fc_dnn_load_image_rgb(MESSI, &frame, &fw, &fh, &err), 0, "%s", err.msg);
    struct fc_movenet *m[2];
    for (int b = 0; b < 2; b++) {
        struct fc_movenet_params p = fc_movenet_default_params();
        p.model = model;
        set_encoding(&p, b ? ENC_XNNPACK : ENC_OPENCV);
        p.tracking = 0;
        cr_assert_eq(fc_movenet_open(&m[b], &p, &err), 0, "%s", err.msg);
    }
    int n = fc_movenet_input_size(m[0]), s = n / 4;
    uint8_t *in = malloc((size_t)n * n * 3);
    struct fc_movenet_region r;
    fc_movenet_full_region(fw, fh, &r);
    fc_movenet_crop_rgb(frame, fw, fh, 3 * fw, &r, in, n);
    struct fc_keypoints kp[2];
    for (int b = 0; b < 2; b++)
        cr_assert_eq(fc_movenet_run(m[b], in, 3 * n, &r, fw, fh, 0.0, &kp[b], &err), 0, "%s",
                     err.msg);
    /* sigmoid heads in 0..1; regression and offset in cells (up to ~50) */
    static const double tol[4] = {1e-4, 1e-4, 2e-3, 2e-3};
    static const char *const heads[4] = {"heatmap", "center", "regression", "offset"};
    for (int i = 0; i < 4; i++) {
        struct fc_dnn_tensor cv, xn;
        cr_assert_eq(fc_dnn_output(fc_movenet_dnn(m[0]), i, &cv), 0);
        cr_assert_eq(fc_dnn_output(fc_movenet_dnn(m[1]), i, &xn), 0);
        cr_assert_eq(cv.count, xn.count);
        int c = (int)(cv.count / ((size_t)s * s));
        double worst = 0;
        for (int k = 0; k < c; k++)
            for (int q = 0; q < s * s; q++) /* NCHW against NHWC */
                worst =
                    fmax(worst, fabs(cv.data[(size_t)k * s * s + q] - xn.data[(size_t)q * c + k]));
        cr_log_info("%s: OpenCV vs XNNPACK, %s head max |diff| %.3g", fc_movenet_model_name(m[1]),
                    heads[i], worst);
        cr_assert_lt(worst, tol[i], "%s head differs by %g", heads[i], worst);
    }
    for (int j = 0; j < 17; j++) /* pixels of a 640-pixel frame */
        cr_assert(fabs(kp[0].x[j] - kp[1].x[j]) < 0.01 && fabs(kp[0].y[j] - kp[1].y[j]) < 0.01,
                  "%s: (%f, %f) vs (%f, %f)", fc_joint_name(j), kp[0].x[j], kp[0].y[j], kp[1].x[j],
                  kp[1].y[j]);
    free(in);
    free(frame);
    fc_movenet_close(m[0]);
    fc_movenet_close(m[1]);
}

Test(movenet_backends, lightning_heads_agree, .timeout = 300)
{
    check_heads_agree(FC_MOVENET_LIGHTNING);
}

Test(movenet_backends, thunder_heads_agree, .timeout = 300)
{
    check_heads_agree(FC_MOVENET_THUNDER);
}

/* ---- tracking on a real person ---- */

Test(movenet_track, still_image_crop_converges, .timeout = 300)
{
    char path[4096];
    if (!models_present(FC_MOVENET_LIGHTNING, 0, path, sizeof path))
        cr_skip("%s absent: run `bash tools/fetch_models.sh` to test tracking", path);
    if (!fc_test_file_exists(MESSI))
        cr_skip("%s absent (Debian package opencv-doc)", MESSI);
    struct fc_error err = {0};
    uint8_t *frame;
    int fw, fh;
    cr_assert_eq(fc_dnn_load_image_rgb(MESSI, &frame, &fw, &fh, &err), 0, "%s", err.msg);
    struct fc_movenet *m;
    struct fc_movenet_params p = fc_movenet_default_params();
    p.threads = 2;
    cr_assert_eq(fc_movenet_open(&m, &p, &err), 0, "%s", err.msg);
    int n = fc_movenet_input_size(m);
    uint8_t *in = malloc((size_t)n * n * 3);

    enum { FRAMES = 16, SETTLED = 4 };
    struct fc_keypoints kp[FRAMES];
    struct fc_movenet_region reg[FRAMES];
    for (int f = 0; f < FRAMES; f++) {
        fc_movenet_next_region(m, fw, fh, &reg[f]);
        fc_movenet_crop_rgb(frame, fw, fh, 3 * fw, &reg[f], in, n);
        cr_assert_eq(fc_movenet_run(m, in, 3 * n, &reg[f], fw, fh, f / 30.0, &kp[f], &err), 0, "%s",
                     err.msg);
    }
    /* first frame: the whole picture, letterboxed */
    cr_assert_float_eq(reg[0].w, (double)fw, 1e-9);
    cr_assert_float_eq(reg[0].y, -(double)((fw - fh) / 2), 1e-9);
    /* then a crop on the player, smaller than the frame, that settles: the
     * crop is a feedback loop through the model, so it hovers by a few
     * pixels rather than reaching a fixed point (about 8 px of 420 here) */
    double lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9};
    for (int f = SETTLED; f < FRAMES; f++) {
        double v[3] = {reg[f].x, reg[f].y, reg[f].w};
        cr_assert_lt(reg[f].w, 0.9 * fw);
        for (int i = 0; i < 3; i++)
            lo[i] = fmin(lo[i], v[i]), hi[i] = fmax(hi[i], v[i]);
    }
    static const char *const what[3] = {"x", "y", "side"};
    for (int i = 0; i < 3; i++)
        cr_assert_lt(hi[i] - lo[i], 0.05 * fw, "crop %s wanders over %.1f px", what[i],
                     hi[i] - lo[i]);
    /* confident keypoints stay within 2% of the crop's side of where they
     * settle: the median of the settled frames (the crop hovers, so no one
     * frame is the fixed point; which way it hovers depends on the CPU's
     * floating-point paths) */
    const struct fc_keypoints *b = &kp[FRAMES - 1];
    cr_assert_gt(b->score[FC_JOINT_LEFT_SHOULDER], 0.3f);
    cr_assert_gt(b->score[FC_JOINT_LEFT_HIP], 0.3f);
    for (int j = 0; j < 17; j++) {
        double score = 0, xs[FRAMES - SETTLED], ys[FRAMES - SETTLED];
        for (int f = SETTLED; f < FRAMES; f++) {
            score += kp[f].score[j] / (FRAMES - SETTLED);
            xs[f - SETTLED] = kp[f].x[j];
            ys[f - SETTLED] = kp[f].y[j];
        }
        if (score < 0.5)
            continue;
        qsort(xs, FRAMES - SETTLED, sizeof *xs, cmp_double);
        qsort(ys, FRAMES - SETTLED, sizeof *ys, cmp_double);
        const double mx = xs[(FRAMES - SETTLED) / 2], my = ys[(FRAMES - SETTLED) / 2];
        for (int f = SETTLED; f < FRAMES; f++) {
            double d = hypot(kp[f].x[j] - mx, kp[f].y[j] - my);
            cr_assert_lt(d, 0.02 * reg[f].w, "%s moved %.1f px on a still image (frame %d)",
                         fc_joint_name(j), d, f);
            /* inside the crop and the frame */
            cr_assert(kp[f].x[j] >= reg[f].x && kp[f].x[j] <= reg[f].x + reg[f].w);
            cr_assert(kp[f].y[j] >= reg[f].y && kp[f].y[j] <= reg[f].y + reg[f].h);
            cr_assert(kp[f].x[j] >= 0 && kp[f].x[j] <= fw && kp[f].y[j] >= 0 && kp[f].y[j] <= fh);
        }
    }
    /* the crop agrees with the whole-frame view on where the person is:
     * hips within 5% of the frame's longer side */
    for (int j = FC_JOINT_LEFT_HIP; j <= FC_JOINT_RIGHT_HIP; j++) {
        double d = hypot(kp[0].x[j] - b->x[j], kp[0].y[j] - b->y[j]);
        cr_assert_lt(d, 0.05 * fw, "%s: %.1f px between full frame and crop", fc_joint_name(j), d);
    }
    /* a reset goes back to the whole frame */
    fc_movenet_reset(m);
    struct fc_movenet_region r;
    fc_movenet_next_region(m, fw, fh, &r);
    cr_assert_float_eq(r.w, (double)fw, 1e-9);
    free(in);
    free(frame);
    fc_movenet_close(m);
}

/* Two people: the player alone at the left of a wide frame, then a copy of
 * him appears in the middle after one empty frame (the tracked person lost,
 * the next input the whole frame). The tracked person's held centre keeps
 * the analysis on him; without the hold the model takes the one in the
 * middle, as it does for a first frame. */
static double mean_x(const struct fc_keypoints *k)
{
    double s = 0;
    for (int j = 0; j < 17; j++)
        s += k->x[j] / 17.0;
    return s;
}

enum { TILE_X = 80, TILE_W = 360 }; /* the player's columns in messi5.jpg */

/* Frames 3 tiles wide: nobody, the player in the left tile, and the player
 * in the left and middle tiles. */
static void two_people_frames(uint8_t **empty, uint8_t **one, uint8_t **two, int *w, int *h)
{
    struct fc_error err = {0};
    uint8_t *img;
    int iw, ih;
    cr_assert_eq(fc_dnn_load_image_rgb(MESSI, &img, &iw, &ih, &err), 0, "%s", err.msg);
    *w = 3 * TILE_W, *h = ih;
    size_t bytes = (size_t)*w * (size_t)ih * 3;
    *empty = calloc(bytes, 1), *one = calloc(bytes, 1), *two = calloc(bytes, 1);
    for (int y = 0; y < ih; y++) {
        const uint8_t *src = img + ((size_t)y * iw + TILE_X) * 3;
        memcpy(*one + (size_t)y * *w * 3, src, TILE_W * 3);
        memcpy(*two + (size_t)y * *w * 3, src, TILE_W * 3);
        memcpy(*two + ((size_t)y * *w + TILE_W) * 3, src, TILE_W * 3);
    }
    free(img);
}

static void two_people_run(double hold_s, double mean_x_out[15])
{
    struct fc_error err = {0};
    uint8_t *empty, *one, *two;
    int w, h;
    two_people_frames(&empty, &one, &two, &w, &h);
    struct fc_movenet_params p = fc_movenet_default_params();
    p.track_hold_s = hold_s;
    struct fc_movenet *m;
    cr_assert_eq(fc_movenet_open(&m, &p, &err), 0, "%s", err.msg);
    int n = fc_movenet_input_size(m);
    uint8_t *in = malloc((size_t)n * n * 3);
    for (int f = 0; f < 15; f++) {
        const uint8_t *frame = f < 10 ? one : f == 10 ? empty : two;
        struct fc_movenet_region r;
        fc_movenet_next_region(m, w, h, &r);
        fc_movenet_crop_rgb(frame, w, h, 3 * w, &r, in, n);
        struct fc_keypoints kp;
        cr_assert_eq(fc_movenet_run(m, in, 3 * n, &r, w, h, f / 30.0, &kp, &err), 0, "%s", err.msg);
        if (f == 11) /* after the empty frame: the whole frame again */
            cr_assert_float_eq(r.w, (double)w, 1e-9);
        mean_x_out[f] = mean_x(&kp);
    }
    fc_movenet_close(m);
    free(in), free(empty), free(one), free(two);
}

Test(movenet_track, sticks_with_the_tracked_person, .timeout = 300)
{
    char path[4096];
    if (!models_present(FC_MOVENET_LIGHTNING, 0, path, sizeof path))
        cr_skip("%s absent: run `bash tools/fetch_models.sh` to test tracking", path);
    if (!fc_test_file_exists(MESSI))
        cr_skip("%s absent (Debian package opencv-doc)", MESSI);
    double held[15], unheld[15];
    two_people_run(1.0, held);
    two_people_run(0.0, unheld);
    for (int f = 0; f < 10; f++)
        cr_assert_lt(held[f], 360.0, "frame %d: alone, on the left", f);
    for (int f = 11; f < 15; f++) {
        cr_assert_lt(held[f], 360.0, "frame %d: the tracked player (mean x %.0f px)", f, held[f]);
        cr_assert_gt(unheld[f], 360.0, "frame %d: without the hold, the middle one (%.0f px)", f,
                     unheld[f]);
    }
}

/* Both players found in one look at the whole frame, and each followed
 * alone when chosen: the other is never taken, even after a frame with
 * nobody; before and after the chosen one's path, nobody. */
Test(movenet_people, finds_both_and_follows_the_chosen_one, .timeout = 300)
{
    char path[4096];
    if (!models_present(FC_MOVENET_LIGHTNING, 0, path, sizeof path))
        cr_skip("%s absent: run `bash tools/fetch_models.sh`", path);
    if (!fc_test_file_exists(MESSI))
        cr_skip("%s absent (Debian package opencv-doc)", MESSI);
    struct fc_error err = {0};
    uint8_t *empty, *one, *two;
    int w, h;
    two_people_frames(&empty, &one, &two, &w, &h);
    struct fc_movenet *m;
    cr_assert_eq(fc_movenet_open(&m, NULL, &err), 0, "%s", err.msg);
    int n = fc_movenet_input_size(m);
    uint8_t *in = malloc((size_t)n * n * 3);
    struct fc_movenet_region r;
    fc_movenet_full_region(w, h, &r);
    fc_movenet_crop_rgb(two, w, h, 3 * w, &r, in, n);
    struct fc_movenet_person seen[FC_MOVENET_MAX_PEOPLE];
    int np = fc_movenet_people(m, in, 3 * n, &r, w, h, 0.0, seen, FC_MOVENET_MAX_PEOPLE, &err);
    cr_assert_geq(np, 2, "%d people: %s", np, err.msg);
    /* one in each tile, whole bodies seen (the copies are identical: their
     * joints differ by the tile's width, to the heatmap's resolution) */
    int left = seen[0].centre_x < TILE_W ? 0 : 1, mid = 1 - left;
    cr_assert_lt(seen[left].centre_x, TILE_W);
    cr_assert(seen[mid].centre_x > TILE_W && seen[mid].centre_x < 2 * TILE_W);
    static const enum fc_joint torso[4] = {FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER,
                                           FC_JOINT_LEFT_HIP, FC_JOINT_RIGHT_HIP};
    for (int i = 0; i < 4; i++) {
        enum fc_joint j = torso[i];
        cr_assert_gt(seen[left].kp.score[j], 0.2f, "%s: score %.2f", fc_joint_name(j),
                     seen[left].kp.score[j]);
        cr_assert_lt(fabs(seen[mid].kp.x[j] - seen[left].kp.x[j] - TILE_W), 0.03 * r.w,
                     "%s at %.0f and %.0f", fc_joint_name(j), seen[left].kp.x[j],
                     seen[mid].kp.x[j]);
    }

    for (int who = 0; who < 2; who++) {
        /* a path that sees the chosen one from 0.1 s to 0.4 s */
        const struct fc_movenet_person *c = &seen[who == 0 ? left : mid];
        double t[2] = {0.1, 0.4};
        float x[2] = {(float)c->centre_x, (float)c->centre_x};
        float y[2] = {(float)c->centre_y, (float)c->centre_y};
        float torso[2] = {(float)(c->kp.y[FC_JOINT_LEFT_HIP] - c->kp.y[FC_JOINT_LEFT_SHOULDER]), 0};
        torso[1] = torso[0];
        struct fc_person_path fp = {2, t, x, y, torso};
        fc_movenet_reset(m);
        fc_movenet_follow(m, &fp);
        for (int f = 0; f < 24; f++) {
            /* 0.0 .. 0.77 s, with an empty frame at 0.3 s */
            double ts = f / 30.0;
            const uint8_t *frame = f == 9 ? empty : two;
            fc_movenet_next_region(m, w, h, &r);
            fc_movenet_crop_rgb(frame, w, h, 3 * w, &r, in, n);
            struct fc_keypoints kp;
            cr_assert_eq(fc_movenet_run(m, in, 3 * n, &r, w, h, ts, &kp, &err), 0, "%s", err.msg);
            int found = kp.score[FC_JOINT_LEFT_HIP] > 0;
            if (ts < 0.1 - 0.3 - 1e-9 || ts > 0.4 + 0.3 + 1e-9 || f == 9) {
                cr_assert(!found, "frame %d (%.2f s): someone outside the path", f, ts);
                cr_assert(isnan(kp.x[FC_JOINT_LEFT_HIP]));
                continue;
            }
            cr_assert(found, "frame %d (%.2f s): the chosen player lost", f, ts);
            double mx = mean_x(&kp);
            if (who == 0)
                cr_assert_lt(mx, TILE_W, "frame %d: mean x %.0f, not the left player", f, mx);
            else
                cr_assert(mx > TILE_W && mx < 2 * TILE_W, "frame %d: mean x %.0f", f, mx);
        }
    }
    /* following nobody again: the model's own choice */
    fc_movenet_follow(m, NULL);
    fc_movenet_next_region(m, w, h, &r);
    cr_assert_float_eq(r.w, (double)w, 1e-9);
    free(in), free(empty), free(one), free(two);
    fc_movenet_close(m);
}
