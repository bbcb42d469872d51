/* MoveNet SinglePose: preprocessing, head decoding, crop tracking and the
 * mapping back to frame pixels. See movenet.h for the contract. */
#include "pose/movenet.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pose/dnn.h"

#define FETCH_CMD "`bash tools/fetch_models.sh`"

/* The converted graphs' head outputs (docs/models.md) and their channels. */
enum { HEAD_HEATMAP, HEAD_CENTRE, HEAD_REGRESSION, HEAD_OFFSET, HEAD_COUNT };
static const char *const head_names[HEAD_COUNT] = {"heatmap", "center", "regression", "offset"};
static const int head_channels[HEAD_COUNT] = {FC_COCO17_COUNT, 1, 2 * FC_COCO17_COUNT,
                                              2 * FC_COCO17_COUNT};

/* MoveNet's crop expansion (TF Hub tutorial, TF.js pose-detection crop_utils). */
#define TORSO_EXPANSION_RATIO 1.9
#define BODY_EXPANSION_RATIO 1.2
/* Beyond the published algorithm: a crop this small (pixels) means the
 * keypoints collapsed onto one spot, not a person; see the whole frame. */
#define MIN_CROP_SIDE_PX 8.0

struct fc_movenet {
    struct fc_movenet_params p;
    char path[PATH_MAX];
    char name[64];
    struct fc_dnn *dnn;
    int in_size, hm_size;
    int in_shape[4];
    float *input;      /* the model's input tensor, float RGB 0..255, NCHW or NHWC */
    int channels_last; /* the runtime's layout, input and heads */
    /* tracking: the last frame's keypoints as the model gave them (ungated) */
    int have_last;
    int last_w, last_h;
    struct fc_keypoints last;
    /* the tracked person's centre (frame pixels) when last seen with a torso */
    int have_centre;
    double centre_x_px, centre_y_px, centre_t_s;
    /* following one person chosen beforehand (fc_movenet_follow) */
    struct fc_person_path follow;
    double last_t_s, frame_dt_s;
    int have_t;
};

struct fc_movenet_params fc_movenet_default_params(void)
{
    struct fc_movenet_params p = {
        .model = FC_MOVENET_LIGHTNING,
        .backend = FC_DNN_BACKEND_XNNPACK,
        .fallback = 1,
        .log = stderr,
        .use_std_encoding = 0,
        .threads = 0,
        .model_dir = NULL,
        .model_path = NULL,
        .min_score = 0.0f,
        .tracking = 1,
        .min_crop_score = 0.2f, /* MIN_CROP_KEYPOINT_SCORE in the MoveNet tutorial */
        .track_hold_s = 1.0,
    };
    return p;
}

static const char *variant_name(enum fc_movenet_model m)
{
    return m == FC_MOVENET_THUNDER ? "thunder" : "lightning";
}

/* The model's file name without its extension: movenet-lightning (the
 * XNNPACK graph), movenet-lightning-opencv or -std (ONNX). */
static int file_name(const struct fc_movenet_params *p, char *buf, size_t len)
{
    int n = p->backend == FC_DNN_BACKEND_XNNPACK
                ? snprintf(buf, len, "movenet-%s", variant_name(p->model))
                : snprintf(buf, len, "movenet-%s-%s", variant_name(p->model),
                           p->use_std_encoding ? "std" : "opencv");
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

static const char *file_ext(const struct fc_movenet_params *p)
{
    return p->backend == FC_DNN_BACKEND_XNNPACK ? "xnn" : "onnx";
}

int fc_movenet_model_path(const struct fc_movenet_params *p, char *buf, size_t len,
                          struct fc_error *err)
{
    int n;
    if (p->model_path) {
        n = snprintf(buf, len, "%s", p->model_path);
    } else {
        char name[64];
        if (file_name(p, name, sizeof name) < 0)
            return fc_error_set(err, FC_ERR_ARG, "model name too long");
        const char *env, *ext = file_ext(p);
        if (p->model_dir)
            n = snprintf(buf, len, "%s/%s.%s", p->model_dir, name, ext);
        else if ((env = getenv("FORMCHECK_MODELS")) && *env)
            n = snprintf(buf, len, "%s/%s.%s", env, name, ext);
        else if ((env = getenv("XDG_CACHE_HOME")) && *env)
            n = snprintf(buf, len, "%s/formcheck/models/%s.%s", env, name, ext);
        else if ((env = getenv("HOME")) && *env)
            n = snprintf(buf, len, "%s/.cache/formcheck/models/%s.%s", env, name, ext);
        else
            return fc_error_set(err, FC_ERR_ARG,
                                "no folder for the MoveNet models: set FORMCHECK_MODELS or HOME, "
                                "then provision them with " FETCH_CMD);
    }
    if (n < 0 || (size_t)n >= len)
        return fc_error_set(err, FC_ERR_ARG, "model path too long (%d characters)", n);
    return 0;
}

/* ---- float16 constants ---- */

/* Rounds a float to the nearest float16 value (ties to even). The TF.js
 * graph stores its decoding constants as float16; rounding ours the same
 * way reproduces its choices exactly. Valid for float16's normal range
 * (6.1e-5 .. 65504), which every value rounded here lies in. */
static float round_to_half(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    u += 0x0fffu + ((u >> 13) & 1u);
    u &= ~0x1fffu;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* 1 / (distance + 1.8) as the graph stores it (float16). Over Lightning's
 * 2304 cells this equals the graph's constant exactly; over Thunder's 4096
 * it differs in 8 cells, 35.5 cells from the centre, by one float16 step
 * (the true value there lies within 1e-9 of a rounding tie). */
static float centre_weight(float dy, float dx)
{
    return round_to_half(1.0f / (sqrtf(dy * dy + dx * dx) + 1.8f));
}

/* ---- decoding ---- */

static inline float head_at(const struct fc_movenet_heads *h, const float *p, int channels, int c,
                            int y, int x)
{
    size_t s = (size_t)h->size;
    return h->channels_last ? p[((size_t)y * s + (size_t)x) * (size_t)channels + (size_t)c]
                            : p[((size_t)c * s + (size_t)y) * s + (size_t)x];
}

/* The best centre cell weighted towards the target, among the cells
 * within max_dist cells of it (INFINITY: all, as the graph does). */
static void best_centre(const struct fc_movenet_heads *h, float target_x, float target_y,
                        float max_dist, int *centre_x, int *centre_y)
{
    const int s = h->size;
    const float max_d2 = max_dist * max_dist;
    int cy = -1, cx = -1;
    float best = -INFINITY;
    for (int y = 0; y < s; y++)
        for (int x = 0; x < s; x++) {
            float dy = (float)y - target_y, dx = (float)x - target_x;
            if (dy * dy + dx * dx > max_d2)
                continue;
            float v = head_at(h, h->centre, 1, 0, y, x) * centre_weight(dy, dx);
            if (v > best) {
                best = v;
                cy = y;
                cx = x;
            }
        }
    *centre_x = cx;
    *centre_y = cy;
}

/* The joints of the person whose centre is cell (cx, cy). */
static void decode_joints(const struct fc_movenet_heads *h, int cx, int cy,
                          float kp[FC_COCO17_COUNT][3])
{
    const int s = h->size;
    const float dist_bias = round_to_half(1.8f);
    const float cell = round_to_half(1.0f / (float)s); /* 1/48 -> 0.02082825 */

    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        /* Where the centre says the joint is (cells, not rounded). */
        float ry = (float)cy + head_at(h, h->regression, 2 * FC_COCO17_COUNT, 2 * j, cy, cx);
        float rx = (float)cx + head_at(h, h->regression, 2 * FC_COCO17_COUNT, 2 * j + 1, cy, cx);
        /* The joint's heatmap peak nearest that, so a joint of another
         * person does not win. */
        int ky = 0, kx = 0;
        float kbest = -INFINITY;
        for (int y = 0; y < s; y++) {
            float dy = (float)y - ry;
            for (int x = 0; x < s; x++) {
                float dx = (float)x - rx;
                float v = head_at(h, h->heatmap, FC_COCO17_COUNT, j, y, x) /
                          (sqrtf(dy * dy + dx * dx) + dist_bias);
                if (v > kbest) {
                    kbest = v;
                    ky = y;
                    kx = x;
                }
            }
        }
        float oy = head_at(h, h->offset, 2 * FC_COCO17_COUNT, 2 * j, ky, kx);
        float ox = head_at(h, h->offset, 2 * FC_COCO17_COUNT, 2 * j + 1, ky, kx);
        kp[j][0] = ((float)kx + ox) * cell;
        kp[j][1] = ((float)ky + oy) * cell;
        kp[j][2] = head_at(h, h->heatmap, FC_COCO17_COUNT, j, ky, kx);
    }
}

void fc_movenet_decode(const struct fc_movenet_heads *h, float target_x, float target_y,
                       float kp[FC_COCO17_COUNT][3], int *centre_x, int *centre_y)
{
    int cx, cy;
    best_centre(h, target_x, target_y, INFINITY, &cx, &cy);
    decode_joints(h, cx, cy, kp);
    if (centre_x)
        *centre_x = cx;
    if (centre_y)
        *centre_y = cy;
}

int fc_movenet_decode_people(const struct fc_movenet_heads *h, float min_centre,
                             float kp[][FC_COCO17_COUNT][3], float *centre_score, int *centre_x,
                             int *centre_y, int max_people)
{
    /* A person is a peak of the centre map: no higher cell within the
     * suppression radius (a twentieth of the map: 2 cells for Lightning, 3
     * for Thunder, well inside one person's width at any distance). */
    const int s = h->size, rad = s / 20 > 1 ? s / 20 : 1;
    int n = 0;
    for (int y = 0; y < s; y++)
        for (int x = 0; x < s; x++) {
            float v = head_at(h, h->centre, 1, 0, y, x);
            if (!(v >= min_centre))
                continue;
            int peak = 1;
            for (int yy = y - rad; yy <= y + rad && peak; yy++)
                for (int xx = x - rad; xx <= x + rad; xx++) {
                    if (yy < 0 || yy >= s || xx < 0 || xx >= s || (yy == y && xx == x))
                        continue;
                    float w = head_at(h, h->centre, 1, 0, yy, xx);
                    /* ties: the first in row-major order is the peak */
                    if (w > v || (w == v && (yy < y || (yy == y && xx < x)))) {
                        peak = 0;
                        break;
                    }
                }
            if (!peak)
                continue;
            /* keep the strongest max_people, strongest first */
            int at = n < max_people ? n : max_people;
            while (at > 0 && centre_score[at - 1] < v)
                at--;
            if (at >= max_people)
                continue;
            int last = n < max_people ? n : max_people - 1;
            for (int i = last; i > at; i--) {
                centre_score[i] = centre_score[i - 1];
                centre_x[i] = centre_x[i - 1];
                centre_y[i] = centre_y[i - 1];
            }
            centre_score[at] = v;
            centre_x[at] = x;
            centre_y[at] = y;
            if (n < max_people)
                n++;
        }
    for (int i = 0; i < n; i++)
        decode_joints(h, centre_x[i], centre_y[i], kp[i]);
    return n;
}

/* ---- regions ---- */

void fc_movenet_full_region(int frame_w, int frame_h, struct fc_movenet_region *r)
{
    /* Whole-pixel padding, the image centred (left = floor((S - W) / 2)), as
     * the reference preprocessing pads (docs/models.md). */
    int side = frame_w > frame_h ? frame_w : frame_h;
    r->x = -((side - frame_w) / 2);
    r->y = -((side - frame_h) / 2);
    r->w = r->h = side;
}

static int usable(const struct fc_keypoints *k, int j)
{
    return isfinite(k->x[j]) && isfinite(k->y[j]);
}

static int visible(const struct fc_keypoints *k, int j, float min_score)
{
    return k->score[j] > min_score && usable(k, j);
}

int fc_movenet_crop_region(const struct fc_keypoints *k, int frame_w, int frame_h,
                           float min_crop_score, struct fc_movenet_region *r)
{
    static const int torso[4] = {FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER, FC_JOINT_LEFT_HIP,
                                 FC_JOINT_RIGHT_HIP};
    fc_movenet_full_region(frame_w, frame_h, r);
    int lh = visible(k, FC_JOINT_LEFT_HIP, min_crop_score);
    int rh = visible(k, FC_JOINT_RIGHT_HIP, min_crop_score);
    if (!(lh || rh) || !(visible(k, FC_JOINT_LEFT_SHOULDER, min_crop_score) ||
                         visible(k, FC_JOINT_RIGHT_SHOULDER, min_crop_score)))
        return 0;

    /* Centre on the mid-hip (both hips, whatever their scores, as published;
     * a hip without coordinates is left out). */
    double cx, cy;
    if (usable(k, FC_JOINT_LEFT_HIP) && usable(k, FC_JOINT_RIGHT_HIP)) {
        cx = ((double)k->x[FC_JOINT_LEFT_HIP] + k->x[FC_JOINT_RIGHT_HIP]) / 2.0;
        cy = ((double)k->y[FC_JOINT_LEFT_HIP] + k->y[FC_JOINT_RIGHT_HIP]) / 2.0;
    } else {
        int h = lh ? FC_JOINT_LEFT_HIP : FC_JOINT_RIGHT_HIP;
        cx = k->x[h];
        cy = k->y[h];
    }

    double torso_dx = 0, torso_dy = 0, body_dx = 0, body_dy = 0;
    for (int i = 0; i < 4; i++) {
        if (!usable(k, torso[i]))
            continue;
        torso_dx = fmax(torso_dx, fabs(cx - k->x[torso[i]]));
        torso_dy = fmax(torso_dy, fabs(cy - k->y[torso[i]]));
    }
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        if (k->score[j] < min_crop_score || !usable(k, j))
            continue;
        body_dx = fmax(body_dx, fabs(cx - k->x[j]));
        body_dy = fmax(body_dy, fabs(cy - k->y[j]));
    }
    double half = fmax(fmax(torso_dx, torso_dy) * TORSO_EXPANSION_RATIO,
                       fmax(body_dx, body_dy) * BODY_EXPANSION_RATIO);
    double reach = fmax(fmax(cx, frame_w - cx), fmax(cy, frame_h - cy));
    half = fmin(half, reach);
    double longer = frame_w > frame_h ? frame_w : frame_h;
    if (!(half * 2.0 >= MIN_CROP_SIDE_PX) || half > longer / 2.0)
        return 0;
    r->x = cx - half;
    r->y = cy - half;
    r->w = r->h = 2.0 * half;
    return 1;
}

/* One source tap of the region: local pixel index clamped to the region's
 * span (as resizing a padded square clamps to its edges), then black when
 * outside the frame. */
static inline const uint8_t *tap(const uint8_t *frame, int frame_w, int frame_h, int stride,
                                 double oy, double ox, double ly, double lx)
{
    double y = oy + ly, x = ox + lx;
    if (y < 0 || y >= frame_h || x < 0 || x >= frame_w)
        return NULL;
    return frame + (size_t)y * (size_t)stride + 3 * (size_t)x;
}

void fc_movenet_crop_rgb(const uint8_t *frame, int frame_w, int frame_h, int stride,
                         const struct fc_movenet_region *r, uint8_t *dst, int size)
{
    /* tf.image.resizeBilinear with half-pixel centres, computed as TF.js's
     * CPU backend computes it (positions and lerps in double, the result
     * stored as float32, then rounded half to even), so that a whole frame
     * letterboxed here is bit for bit the reference preprocessing of
     * docs/models.md. Positions are local to the region's whole-pixel
     * origin to keep that exact. */
    static const uint8_t black[3] = {0, 0, 0};
    const double sx = r->w / size, sy = r->h / size;
    const double ox = floor(r->x), oy = floor(r->y);
    const double fx0 = r->x - ox, fy0 = r->y - oy;
    const double last_x = ceil(r->w + fx0) - 1, last_y = ceil(r->h + fy0) - 1;
    for (int i = 0; i < size; i++) {
        double fy = fy0 + sy * (i + 0.5) - 0.5;
        double y0 = fmax(0.0, floor(fy)), y1 = fmin(last_y, ceil(fy));
        double wy = fy - floor(fy);
        uint8_t *out = dst + (size_t)i * 3 * (size_t)size;
        for (int j = 0; j < size; j++) {
            double fx = fx0 + sx * (j + 0.5) - 0.5;
            double x0 = fmax(0.0, floor(fx)), x1 = fmin(last_x, ceil(fx));
            double wx = fx - floor(fx);
            const uint8_t *tl = tap(frame, frame_w, frame_h, stride, oy, ox, y0, x0);
            const uint8_t *tr = tap(frame, frame_w, frame_h, stride, oy, ox, y0, x1);
            const uint8_t *bl = tap(frame, frame_w, frame_h, stride, oy, ox, y1, x0);
            const uint8_t *br = tap(frame, frame_w, frame_h, stride, oy, ox, y1, x1);
            tl = tl ? tl : black, tr = tr ? tr : black;
            bl = bl ? bl : black, br = br ? br : black;
            for (int c = 0; c < 3; c++) {
                double top = tl[c] + (double)(tr[c] - tl[c]) * wx;
                double bottom = bl[c] + (double)(br[c] - bl[c]) * wx;
                float v = (float)(top + (bottom - top) * wy);
                v = nearbyintf(v); /* half to even in the default rounding mode */
                out[3 * j + c] = (uint8_t)(v < 0.0f ? 0 : v > 255.0f ? 255 : (int)v);
            }
        }
    }
}

/* ---- the model ---- */

/* Keeps the runtime's reason and adds what to do about it. */
static int open_fail(struct fc_error *err, int code)
{
    char why[FC_ERROR_MSG_MAX];
    snprintf(why, sizeof why, "%s", err && err->msg[0] ? err->msg : "cannot load the model");
    return fc_error_set(err, code, "%.380s; re-create the models with " FETCH_CMD, why);
}

static int check_heads(struct fc_movenet *m, struct fc_error *err)
{
    int s = m->hm_size;
    for (int i = 0; i < HEAD_COUNT; i++) {
        struct fc_dnn_tensor t;
        if (fc_dnn_output(m->dnn, i, &t) < 0)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: no output '%s'", m->path, head_names[i]);
        int c = head_channels[i];
        int planar = t.ndims == 4 && t.shape[0] == 1 && t.shape[1] == c && t.shape[2] == s &&
                     t.shape[3] == s;
        int last = t.ndims == 4 && t.shape[0] == 1 && t.shape[1] == s && t.shape[2] == s &&
                   t.shape[3] == c;
        if (!(m->channels_last ? last : planar))
            return fc_error_set(
                err, FC_ERR_FORMAT, "%s: output '%s' is %dx%dx%dx%d, expected %s for MoveNet %s",
                m->path, head_names[i], t.shape[0], t.shape[1], t.shape[2], t.shape[3],
                m->channels_last ? "1xSxSxC" : "1xCxSxS", variant_name(m->p.model));
    }
    return 0;
}

/* Opens the model file of p->backend into m->dnn and checks its heads on
 * one blank input; on failure m->dnn is NULL again and err says why. */
static int open_runtime(struct fc_movenet *m, const struct fc_movenet_params *p,
                        struct fc_error *err)
{
    int rc = fc_movenet_model_path(p, m->path, sizeof m->path, err);
    if (rc < 0)
        return rc;
    if (file_name(p, m->name, sizeof m->name) < 0)
        snprintf(m->name, sizeof m->name, "movenet");
    if (p->backend == FC_DNN_BACKEND_XNNPACK)
        snprintf(m->name + strlen(m->name), sizeof m->name - strlen(m->name), "-xnnpack");
    if (!fc_dnn_backend_available(p->backend))
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "%s: this program was built without %s (install libxnnpack-dev and "
                            "libpthreadpool-dev, then rebuild)",
                            m->path, fc_dnn_backend_name(p->backend));

    struct stat st;
    if (stat(m->path, &st) != 0) {
        int e = errno;
        return fc_error_set(err, FC_ERR_IO,
                            "%s: MoveNet %s model %s%s%s; provision the models with " FETCH_CMD
                            " (it writes to $FORMCHECK_MODELS, else "
                            "${XDG_CACHE_HOME:-~/.cache}/formcheck/models)",
                            m->path, variant_name(p->model),
                            e == ENOENT ? "not found" : "cannot be read (",
                            e == ENOENT ? "" : strerror(e), e == ENOENT ? "" : ")");
    }

    struct fc_dnn_params dp = fc_dnn_default_params();
    dp.backend = p->backend;
    dp.threads = p->threads;
    if ((rc = fc_dnn_open(&m->dnn, m->path, &dp, err)) < 0)
        return open_fail(err, rc);
    /* The model's input: [1,3,N,N] (OpenCV; the converter transposed the
     * TF.js graph's NHWC) or [1,N,N,3] (XNNPACK, as the TF.js graph). */
    m->channels_last = fc_dnn_channels_last(m->dnn);
    m->in_shape[0] = 1;
    m->in_shape[1] = m->channels_last ? m->in_size : 3;
    m->in_shape[2] = m->in_size;
    m->in_shape[3] = m->channels_last ? 3 : m->in_size;
    if ((rc = fc_dnn_select_outputs(m->dnn, head_names, HEAD_COUNT, err)) < 0)
        goto fail;
    /* One blank run checks the heads' shapes now, not on the first frame,
     * and pays the runtime's one-time set-up here. */
    memset(m->input, 0, sizeof *m->input * 3 * (size_t)m->in_size * (size_t)m->in_size);
    if ((rc = fc_dnn_run(m->dnn, m->input, m->in_shape, 4, err)) < 0)
        goto fail;
    if ((rc = check_heads(m, err)) < 0)
        goto fail;
    return 0;
fail:
    fc_dnn_close(m->dnn);
    m->dnn = NULL;
    return open_fail(err, rc);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int fc_movenet_open(struct fc_movenet **out, const struct fc_movenet_params *p,
                    struct fc_error *err)
{
    *out = NULL;
    struct fc_movenet_params def = fc_movenet_default_params();
    if (!p)
        p = &def;
    if (p->model != FC_MOVENET_LIGHTNING && p->model != FC_MOVENET_THUNDER)
        return fc_error_set(err, FC_ERR_ARG, "unknown MoveNet model %d", (int)p->model);
    if (!fc_dnn_backend_name(p->backend))
        return fc_error_set(err, FC_ERR_ARG, "unknown inference backend %d", (int)p->backend);
    struct fc_movenet *m = calloc(1, sizeof *m);
    if (!m)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for the pose model");
    struct fc_movenet_params q = *p;
    /* An ONNX file named by the caller is OpenCV's, unless XNNPACK alone was asked for. */
    if (q.model_path && q.backend == FC_DNN_BACKEND_XNNPACK && q.fallback &&
        ends_with(q.model_path, ".onnx"))
        q.backend = FC_DNN_BACKEND_OPENCV;
    m->p = q;
    m->p.model_dir = m->p.model_path = NULL; /* not kept: the caller owns them */
    m->in_size = p->model == FC_MOVENET_THUNDER ? 256 : 192;
    m->hm_size = m->in_size / 4;
    m->input = malloc(sizeof *m->input * 3 * (size_t)m->in_size * (size_t)m->in_size);
    int rc;
    if (!m->input) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for the model input");
        goto fail;
    }
    rc = open_runtime(m, &q, err);
    if (rc < 0 && q.backend == FC_DNN_BACKEND_XNNPACK && q.fallback && !q.model_path) {
        /* The graph file may be older than this program or absent (models
         * fetched before it existed): the ONNX files still run. (A file the
         * caller named is that file or nothing.) */
        if (p->log)
            fprintf(p->log, "formcheck: %s; running MoveNet on OpenCV DNN instead (slower)\n",
                    err ? err->msg : "XNNPACK cannot run the model");
        q.backend = m->p.backend = FC_DNN_BACKEND_OPENCV;
        rc = open_runtime(m, &q, err);
    }
    if (rc < 0)
        goto fail;
    *out = m;
    return 0;
fail:
    fc_movenet_close(m);
    return rc;
}

int fc_movenet_input_size(const struct fc_movenet *m)
{
    return m->in_size;
}

const char *fc_movenet_model_name(const struct fc_movenet *m)
{
    return m->name;
}

struct fc_dnn *fc_movenet_dnn(struct fc_movenet *m)
{
    return m->dnn;
}

enum fc_dnn_backend fc_movenet_backend(const struct fc_movenet *m)
{
    return m->p.backend;
}

/* ---- following a person chosen beforehand ---- */

/* How far from their path (in torso lengths) the followed person may be:
 * a fixed margin for the centre cell's coarseness and the body's own
 * motion, plus what they can cover since the nearest sighting (about 4
 * torso lengths a second: a brisk walk or a jump). */
#define FOLLOW_GATE_TORSO 1.0
#define FOLLOW_GATE_TORSO_PER_S 4.0
#define FOLLOW_GATE_MAX_TORSO 6.0
/* Before the first sighting and after the last, the person is taken to be
 * in view this much longer (sightings are some frames apart). */
#define FOLLOW_EDGE_S 0.3
/* A lost person's crop: half side in torso lengths about the expected
 * centre (MoveNet's own crop is about 2.2 torso lengths for a person
 * standing), plus the uncertainty of where they are. */
#define FOLLOW_CROP_TORSO 2.2
/* The centre map's value below which a cell is background, not a person. */
#define PERSON_MIN_CENTRE 0.1f

struct expectation {
    int present;
    double x, y, torso, radius; /* frame pixels */
};

static struct expectation expected_at(const struct fc_person_path *p, double t)
{
    struct expectation e = {0};
    if (p->n <= 0 || t < p->t_s[0] - FOLLOW_EDGE_S || t > p->t_s[p->n - 1] + FOLLOW_EDGE_S)
        return e;
    int lo = 0, hi = p->n - 1;
    while (hi - lo > 1) { /* the last sighting at or before t */
        int mid = (lo + hi) / 2;
        if (p->t_s[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    double dt;
    if (t <= p->t_s[lo] || lo == hi) {
        e.x = p->x[lo], e.y = p->y[lo], e.torso = p->torso[lo];
        dt = fabs(t - p->t_s[lo]);
    } else if (t >= p->t_s[hi]) {
        e.x = p->x[hi], e.y = p->y[hi], e.torso = p->torso[hi];
        dt = t - p->t_s[hi];
    } else {
        double a = (t - p->t_s[lo]) / (p->t_s[hi] - p->t_s[lo]);
        e.x = p->x[lo] + a * (p->x[hi] - p->x[lo]);
        e.y = p->y[lo] + a * (p->y[hi] - p->y[lo]);
        e.torso = p->torso[lo] + a * (p->torso[hi] - p->torso[lo]);
        dt = fmin(t - p->t_s[lo], p->t_s[hi] - t);
    }
    e.present = 1;
    e.radius =
        e.torso * fmin(FOLLOW_GATE_TORSO + FOLLOW_GATE_TORSO_PER_S * dt, FOLLOW_GATE_MAX_TORSO);
    return e;
}

void fc_movenet_follow(struct fc_movenet *m, const struct fc_person_path *path)
{
    memset(&m->follow, 0, sizeof m->follow);
    if (path && path->n > 0)
        m->follow = *path;
    m->have_last = 0;
    m->have_centre = 0;
}

void fc_movenet_reset(struct fc_movenet *m)
{
    m->have_last = 0;
    m->have_centre = 0;
    m->have_t = 0;
}

void fc_movenet_close(struct fc_movenet *m)
{
    if (!m)
        return;
    if (m->dnn)
        fc_dnn_close(m->dnn);
    free(m->input);
    free(m);
}

void fc_movenet_next_region(const struct fc_movenet *m, int frame_w, int frame_h,
                            struct fc_movenet_region *r)
{
    int same_size = m->last_w == frame_w && m->last_h == frame_h;
    if (m->follow.n > 0) {
        /* The next frame's time, from the last two. */
        double t = m->have_t ? m->last_t_s + m->frame_dt_s : 0.0;
        struct expectation e = expected_at(&m->follow, t);
        if (e.present && !(m->p.tracking && m->have_last && same_size)) {
            /* Lost (or not yet found): look where they should be. */
            double half = FOLLOW_CROP_TORSO * e.torso + e.radius;
            double longer = frame_w > frame_h ? frame_w : frame_h;
            if (half * 2.0 >= MIN_CROP_SIDE_PX && half <= longer / 2.0) {
                r->x = e.x - half;
                r->y = e.y - half;
                r->w = r->h = 2.0 * half;
                return;
            }
        }
        if (!e.present) {
            fc_movenet_full_region(frame_w, frame_h, r);
            return;
        }
    }
    if (m->p.tracking && m->have_last && same_size)
        fc_movenet_crop_region(&m->last, frame_w, frame_h, m->p.min_crop_score, r);
    else
        fc_movenet_full_region(frame_w, frame_h, r);
}

/* Converts the input and runs the model; h gets the four heads. */
static int infer(struct fc_movenet *m, const uint8_t *rgb, int stride,
                 const struct fc_movenet_region *r, int frame_w, int frame_h,
                 struct fc_movenet_heads *h, struct fc_error *err)
{
    const int n = m->in_size, s = m->hm_size;
    if (!rgb || stride < 3 * n || frame_w <= 0 || frame_h <= 0 || !(r->w > 0) || !(r->h > 0) ||
        !isfinite(r->x) || !isfinite(r->y) || !isfinite(r->w) || !isfinite(r->h))
        return fc_error_set(err, FC_ERR_ARG,
                            "pose input: %dx%d frame, region %gx%g at (%g, %g), stride %d "
                            "(needs a positive region and stride >= %d)",
                            frame_w, frame_h, r->w, r->h, r->x, r->y, stride, 3 * n);

    if (m->channels_last) { /* interleaved 8-bit RGB -> interleaved float */
        float *px = m->input;
        for (int y = 0; y < n; y++) {
            const uint8_t *row = rgb + (size_t)y * (size_t)stride;
            for (int x = 0; x < 3 * n; x++)
                *px++ = (float)row[x];
        }
    } else { /* interleaved 8-bit RGB -> planar float */
        const size_t plane = (size_t)n * (size_t)n;
        float *pr = m->input, *pg = pr + plane, *pb = pg + plane;
        for (int y = 0; y < n; y++) {
            const uint8_t *row = rgb + (size_t)y * (size_t)stride;
            for (int x = 0; x < n; x++) {
                *pr++ = (float)row[3 * x];
                *pg++ = (float)row[3 * x + 1];
                *pb++ = (float)row[3 * x + 2];
            }
        }
    }
    int rc = fc_dnn_run(m->dnn, m->input, m->in_shape, 4, err);
    if (rc < 0)
        return rc;

    struct fc_dnn_tensor t[HEAD_COUNT];
    for (int i = 0; i < HEAD_COUNT; i++)
        if (fc_dnn_output(m->dnn, i, &t[i]) < 0 ||
            t[i].count != (size_t)head_channels[i] * (size_t)s * (size_t)s)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: output '%s' changed shape", m->path,
                                head_names[i]);
    *h = (struct fc_movenet_heads){
        .size = s,
        .channels_last = m->channels_last,
        .heatmap = t[HEAD_HEATMAP].data,
        .centre = t[HEAD_CENTRE].data,
        .regression = t[HEAD_REGRESSION].data,
        .offset = t[HEAD_OFFSET].data,
    };
    return 0;
}

static void to_frame(const float kp[FC_COCO17_COUNT][3], const struct fc_movenet_region *r,
                     double t_s, struct fc_keypoints *out)
{
    fc_keypoints_clear(out, t_s);
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        fc_keypoints_set(out, (enum fc_joint)j, (float)(r->x + kp[j][0] * r->w),
                         (float)(r->y + kp[j][1] * r->h), NAN, kp[j][2]);
}

static int torso_seen(const struct fc_keypoints *k, float mc)
{
    return (k->score[FC_JOINT_LEFT_HIP] > mc || k->score[FC_JOINT_RIGHT_HIP] > mc) &&
           (k->score[FC_JOINT_LEFT_SHOULDER] > mc || k->score[FC_JOINT_RIGHT_SHOULDER] > mc);
}

int fc_movenet_run(struct fc_movenet *m, const uint8_t *rgb, int stride,
                   const struct fc_movenet_region *r, int frame_w, int frame_h, double t_s,
                   struct fc_keypoints *out, struct fc_error *err)
{
    struct fc_movenet_heads h;
    int rc = infer(m, rgb, stride, r, frame_w, frame_h, &h, err);
    if (rc < 0)
        return rc;
    const int s = m->hm_size;
    if (m->have_t && t_s > m->last_t_s)
        m->frame_dt_s = t_s - m->last_t_s;
    else if (!m->have_t)
        m->frame_dt_s = 1.0 / 30.0;
    m->last_t_s = t_s;
    m->have_t = 1;
    if (m->last_w != frame_w || m->last_h != frame_h)
        m->have_centre = 0;
    m->last_w = frame_w;
    m->last_h = frame_h;
    const float mc = m->p.min_crop_score;

    float kp[FC_COCO17_COUNT][3];
    int ccx, ccy;
    if (m->follow.n > 0) {
        /* Only the chosen person, near where they should be; anyone else
         * is nobody. */
        struct expectation e = expected_at(&m->follow, t_s);
        int found = 0;
        if (e.present) {
            best_centre(&h, (float)((e.x - r->x) / r->w * s), (float)((e.y - r->y) / r->h * s),
                        (float)(e.radius / r->w * s), &ccx, &ccy);
            if (ccx >= 0 && head_at(&h, h.centre, 1, 0, ccy, ccx) >= PERSON_MIN_CENTRE) {
                decode_joints(&h, ccx, ccy, kp);
                to_frame(kp, r, t_s, &m->last);
                found = torso_seen(&m->last, mc);
            }
        }
        m->have_last = found;
        if (!found) {
            fc_keypoints_clear(out, t_s);
            return 0;
        }
    } else {
        /* Weight the centre map towards the tracked person while they are held. */
        float tx = (float)s / 2.0f, ty = (float)s / 2.0f;
        if (m->p.tracking && m->have_centre && fabs(t_s - m->centre_t_s) <= m->p.track_hold_s) {
            double cx = (m->centre_x_px - r->x) / r->w * s;
            double cy = (m->centre_y_px - r->y) / r->h * s;
            if (cx >= 0 && cx < s && cy >= 0 && cy < s) {
                tx = (float)cx;
                ty = (float)cy;
            }
        }
        fc_movenet_decode(&h, tx, ty, kp, &ccx, &ccy);
        /* Back to frame pixels; the raw keypoints drive the next crop. */
        to_frame(kp, r, t_s, &m->last);
        m->have_last = 1;
    }
    if (torso_seen(&m->last, mc)) {
        m->have_centre = 1;
        m->centre_x_px = r->x + (double)ccx / s * r->w;
        m->centre_y_px = r->y + (double)ccy / s * r->h;
        m->centre_t_s = t_s;
    }

    *out = m->last;
    if (m->p.min_score > 0)
        for (int j = 0; j < FC_COCO17_COUNT; j++)
            if (out->score[j] < m->p.min_score)
                fc_keypoints_set(out, (enum fc_joint)j, NAN, NAN, NAN, 0.0f);
    return 0;
}

int fc_movenet_people(struct fc_movenet *m, const uint8_t *rgb, int stride,
                      const struct fc_movenet_region *r, int frame_w, int frame_h, double t_s,
                      struct fc_movenet_person *out, int max_people, struct fc_error *err)
{
    struct fc_movenet_heads h;
    int rc = infer(m, rgb, stride, r, frame_w, frame_h, &h, err);
    if (rc < 0)
        return rc;
    if (max_people > FC_MOVENET_MAX_PEOPLE)
        max_people = FC_MOVENET_MAX_PEOPLE;
    float kp[FC_MOVENET_MAX_PEOPLE][FC_COCO17_COUNT][3], score[FC_MOVENET_MAX_PEOPLE];
    int cx[FC_MOVENET_MAX_PEOPLE], cy[FC_MOVENET_MAX_PEOPLE];
    int n = fc_movenet_decode_people(&h, PERSON_MIN_CENTRE, kp, score, cx, cy, max_people);
    const int s = m->hm_size;
    for (int i = 0; i < n; i++) {
        out[i].centre_score = score[i];
        out[i].centre_x = r->x + (double)cx[i] / s * r->w;
        out[i].centre_y = r->y + (double)cy[i] / s * r->h;
        to_frame(kp[i], r, t_s, &out[i].kp);
    }
    return n;
}
