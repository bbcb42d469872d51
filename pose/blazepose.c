/* BlazePose GHUM landmarks: the model, its ROI and its outputs. See
 * pose/blazepose.h; the files and their heads: docs/models.md. */
#include "pose/blazepose.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FETCH_CMD "`bash tools/fetch_models.sh`"
#define INPUT_SIZE 256 /* every variant: [1,256,256,3] */
#define LD_VALUES 5    /* per point: x, y, z, visibility logit, presence logit */
#define WORLD_VALUES 3 /* per point: x, y, z in metres */
#define PI 3.14159265358979323846
/* MediaPipe's landmark indices of the hips (the mid-hip's visibility) */
#define MP_LEFT_HIP 23
#define MP_RIGHT_HIP 24
/* MediaPipe's RectTransformationCalculator scale for the pose landmark ROI
 * (pose_landmarks_to_roi and pose_detection_to_roi: scale_x = scale_y = 1.25). */
#define ROI_SCALE 1.25
/* MoveNet has no head top and no feet: the farthest COCO joint (an eye, an
 * ankle) lies short of the body's circle by roughly the foot's height below
 * the ankle or the skull above the eyes, about a tenth of the stature; this
 * widens the radius by that much. */
#define COCO_REACH_FACTOR 1.1

enum { HEAD_LANDMARKS, HEAD_WORLD, HEAD_POSEFLAG, HEAD_COUNT };
static const char *const head_names[HEAD_COUNT] = {"landmarks", "world", "poseflag"};
static const int head_values[HEAD_COUNT] = {FC_BLAZEPOSE_POINTS * LD_VALUES,
                                            FC_BLAZEPOSE_POINTS *WORLD_VALUES, 1};

struct fc_blazepose {
    struct fc_blazepose_params p;
    struct fc_dnn *dnn;
    char path[4096];
    char name[64];
    int channels_last;
    int in_shape[4];
    float *input; /* 3 x 256 x 256 */
    int tracking;
    struct fc_blazepose_roi next; /* valid while tracking */
};

struct fc_blazepose_params fc_blazepose_default_params(void)
{
    struct fc_blazepose_params p = {
        .model = FC_BLAZEPOSE_FULL,
        .backend = FC_DNN_BACKEND_XNNPACK,
        .fallback = 1,
        .log = stderr,
        .threads = 0,
        .model_dir = NULL,
        .model_path = NULL,
        .min_pose_score = 0.5f,
    };
    return p;
}

static const char *variant(enum fc_blazepose_model m)
{
    switch (m) {
    case FC_BLAZEPOSE_LITE: return "lite";
    case FC_BLAZEPOSE_FULL: return "full";
    case FC_BLAZEPOSE_HEAVY: return "heavy";
    }
    return NULL;
}

const char *fc_blazepose_model_label(enum fc_blazepose_model m)
{
    switch (m) {
    case FC_BLAZEPOSE_LITE: return "blazepose-lite";
    case FC_BLAZEPOSE_FULL: return "blazepose-full";
    case FC_BLAZEPOSE_HEAVY: return "blazepose-heavy";
    }
    return NULL;
}

int fc_blazepose_model_parse(const char *name, enum fc_blazepose_model *out)
{
    if (name && strncmp(name, "blazepose-", 10) == 0)
        name += 10;
    for (int m = FC_BLAZEPOSE_LITE; m <= FC_BLAZEPOSE_HEAVY; m++)
        if (name && strcmp(name, variant((enum fc_blazepose_model)m)) == 0) {
            *out = (enum fc_blazepose_model)m;
            return 0;
        }
    return FC_ERR_ARG;
}

int fc_blazepose_model_path(const struct fc_blazepose_params *p, char *buf, size_t len,
                            struct fc_error *err)
{
    const char *v = variant(p->model);
    if (!v)
        return fc_error_set(err, FC_ERR_ARG, "unknown BlazePose model %d", (int)p->model);
    const char *file = p->backend == FC_DNN_BACKEND_XNNPACK ? "" : "-opencv";
    const char *ext = p->backend == FC_DNN_BACKEND_XNNPACK ? "xnn" : "onnx";
    const char *env;
    int n;
    if (p->model_path)
        n = snprintf(buf, len, "%s", p->model_path);
    else if (p->model_dir)
        n = snprintf(buf, len, "%s/blazepose-%s%s.%s", p->model_dir, v, file, ext);
    else if ((env = getenv("FORMCHECK_MODELS")) && *env)
        n = snprintf(buf, len, "%s/blazepose-%s%s.%s", env, v, file, ext);
    else if ((env = getenv("XDG_CACHE_HOME")) && *env)
        n = snprintf(buf, len, "%s/formcheck/models/blazepose-%s%s.%s", env, v, file, ext);
    else if ((env = getenv("HOME")) && *env)
        n = snprintf(buf, len, "%s/.cache/formcheck/models/blazepose-%s%s.%s", env, v, file, ext);
    else
        return fc_error_set(err, FC_ERR_ARG,
                            "no folder for the BlazePose models: set FORMCHECK_MODELS or HOME, "
                            "then provision them with " FETCH_CMD);
    if (n < 0 || (size_t)n >= len)
        return fc_error_set(err, FC_ERR_ARG, "model path too long (%d characters)", n);
    return 0;
}

/* ---- the model ---- */

static int open_fail(struct fc_error *err, int code)
{
    char why[FC_ERROR_MSG_MAX];
    snprintf(why, sizeof why, "%s", err && err->msg[0] ? err->msg : "cannot load the model");
    return fc_error_set(err, code, "%.380s; re-create the models with " FETCH_CMD, why);
}

static int check_heads(struct fc_blazepose *b, struct fc_error *err)
{
    for (int i = 0; i < HEAD_COUNT; i++) {
        struct fc_dnn_tensor t;
        if (fc_dnn_output(b->dnn, i, &t) < 0 || t.count != (size_t)head_values[i])
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: output '%s' is not %d values: not a BlazePose landmark model",
                                b->path, head_names[i], head_values[i]);
    }
    return 0;
}

static int open_runtime(struct fc_blazepose *b, const struct fc_blazepose_params *p,
                        struct fc_error *err)
{
    int rc = fc_blazepose_model_path(p, b->path, sizeof b->path, err);
    if (rc < 0)
        return rc;
    snprintf(b->name, sizeof b->name, "%s-%s", fc_blazepose_model_label(p->model),
             fc_dnn_backend_name(p->backend));
    if (!fc_dnn_backend_available(p->backend))
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "%s: this program was built without %s",
                            b->path, fc_dnn_backend_name(p->backend));
    struct stat st;
    if (stat(b->path, &st) != 0) {
        int e = errno;
        return fc_error_set(
            err, FC_ERR_IO, "%s: BlazePose %s model %s%s%s; provision the models with " FETCH_CMD,
            b->path, variant(p->model), e == ENOENT ? "not found" : "cannot be read (",
            e == ENOENT ? "" : strerror(e), e == ENOENT ? "" : ")");
    }
    struct fc_dnn_params dp = fc_dnn_default_params();
    dp.backend = p->backend;
    dp.threads = p->threads;
    if ((rc = fc_dnn_open(&b->dnn, b->path, &dp, err)) < 0)
        return open_fail(err, rc);
    b->channels_last = fc_dnn_channels_last(b->dnn);
    b->in_shape[0] = 1;
    b->in_shape[1] = b->channels_last ? INPUT_SIZE : 3;
    b->in_shape[2] = INPUT_SIZE;
    b->in_shape[3] = b->channels_last ? 3 : INPUT_SIZE;
    if ((rc = fc_dnn_select_outputs(b->dnn, head_names, HEAD_COUNT, err)) < 0)
        goto fail;
    memset(b->input, 0, sizeof *b->input * 3 * INPUT_SIZE * INPUT_SIZE);
    if ((rc = fc_dnn_run(b->dnn, b->input, b->in_shape, 4, err)) < 0)
        goto fail;
    if ((rc = check_heads(b, err)) < 0)
        goto fail;
    return 0;
fail:
    fc_dnn_close(b->dnn);
    b->dnn = NULL;
    return open_fail(err, rc);
}

int fc_blazepose_open(struct fc_blazepose **out, const struct fc_blazepose_params *p,
                      struct fc_error *err)
{
    *out = NULL;
    struct fc_blazepose_params def = fc_blazepose_default_params();
    if (!p)
        p = &def;
    if (!variant(p->model))
        return fc_error_set(err, FC_ERR_ARG, "unknown BlazePose model %d", (int)p->model);
    if (!fc_dnn_backend_name(p->backend))
        return fc_error_set(err, FC_ERR_ARG, "unknown inference backend %d", (int)p->backend);
    struct fc_blazepose *b = calloc(1, sizeof *b);
    if (!b)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for the pose model");
    struct fc_blazepose_params q = *p;
    b->p = q;
    b->p.model_dir = b->p.model_path = NULL; /* not kept: the caller owns them */
    int rc;
    b->input = malloc(sizeof *b->input * 3 * INPUT_SIZE * INPUT_SIZE);
    if (!b->input) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for the model input");
        goto fail;
    }
    rc = open_runtime(b, &q, err);
    if (rc < 0 && q.backend == FC_DNN_BACKEND_XNNPACK && q.fallback && !q.model_path) {
        if (p->log)
            fprintf(p->log, "formcheck: %s; running BlazePose on OpenCV DNN instead (slower)\n",
                    err ? err->msg : "XNNPACK cannot run the model");
        q.backend = b->p.backend = FC_DNN_BACKEND_OPENCV;
        rc = open_runtime(b, &q, err);
    }
    if (rc < 0)
        goto fail;
    *out = b;
    return 0;
fail:
    fc_blazepose_close(b);
    return rc;
}

int fc_blazepose_input_size(const struct fc_blazepose *b)
{
    (void)b;
    return INPUT_SIZE;
}

const char *fc_blazepose_model_name(const struct fc_blazepose *b)
{
    return b->name;
}

struct fc_dnn *fc_blazepose_dnn(struct fc_blazepose *b)
{
    return b->dnn;
}

void fc_blazepose_close(struct fc_blazepose *b)
{
    if (!b)
        return;
    fc_dnn_close(b->dnn);
    free(b->input);
    free(b);
}

/* ---- geometry ---- */

void fc_blazepose_input_to_frame(const struct fc_blazepose_roi *roi, int n, double u, double v,
                                 double *x, double *y)
{
    double lx = (u / n - 0.5) * roi->size, ly = (v / n - 0.5) * roi->size;
    double c = cos(roi->rotation_rad), s = sin(roi->rotation_rad);
    *x = roi->cx + c * lx - s * ly;
    *y = roi->cy + s * lx + c * ly;
}

static double normalize_rad(double a)
{
    return a - 2 * PI * floor((a + PI) / (2 * PI));
}

void fc_blazepose_roi_from_points(double centre_x, double centre_y, double scale_x, double scale_y,
                                  struct fc_blazepose_roi *roi)
{
    double dx = scale_x - centre_x, dy = scale_y - centre_y;
    roi->cx = centre_x;
    roi->cy = centre_y;
    roi->size = 2.0 * hypot(dx, dy) * ROI_SCALE;
    roi->rotation_rad = normalize_rad(PI / 2 - atan2(-dy, dx));
}

int fc_blazepose_roi_from_landmarks(const struct fc_blazepose_result *r, float min_pose_score,
                                    struct fc_blazepose_roi *roi)
{
    const int c = FC_BLAZEPOSE_ALIGN_CENTRE, s = FC_BLAZEPOSE_ALIGN_SCALE;
    if (!(r->pose_score >= min_pose_score) || !isfinite(r->x[c]) || !isfinite(r->y[c]) ||
        !isfinite(r->x[s]) || !isfinite(r->y[s]) || (r->x[c] == r->x[s] && r->y[c] == r->y[s]))
        return 0;
    fc_blazepose_roi_from_points(r->x[c], r->y[c], r->x[s], r->y[s], roi);
    return 1;
}

int fc_blazepose_roi_from_keypoints(const struct fc_keypoints *k, float min_score,
                                    struct fc_blazepose_roi *roi)
{
    static const enum fc_joint torso[4] = {FC_JOINT_LEFT_HIP, FC_JOINT_RIGHT_HIP,
                                           FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER};
    for (int i = 0; i < 4; i++)
        if (!fc_keypoints_has(k, torso[i], min_score))
            return 0;
    double hx = 0.5 * (k->x[FC_JOINT_LEFT_HIP] + k->x[FC_JOINT_RIGHT_HIP]);
    double hy = 0.5 * (k->y[FC_JOINT_LEFT_HIP] + k->y[FC_JOINT_RIGHT_HIP]);
    double sx = 0.5 * (k->x[FC_JOINT_LEFT_SHOULDER] + k->x[FC_JOINT_RIGHT_SHOULDER]);
    double sy = 0.5 * (k->y[FC_JOINT_LEFT_SHOULDER] + k->y[FC_JOINT_RIGHT_SHOULDER]);
    double reach = 0;
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        if (fc_keypoints_has(k, (enum fc_joint)j, min_score))
            reach = fmax(reach, hypot(k->x[j] - hx, k->y[j] - hy));
    double torso_len = hypot(sx - hx, sy - hy);
    if (!(torso_len > 0))
        return 0;
    /* the scale point: on the hip -> shoulder line, at the body's reach */
    double radius = reach * COCO_REACH_FACTOR;
    fc_blazepose_roi_from_points(hx, hy, hx + (sx - hx) * radius / torso_len,
                                 hy + (sy - hy) * radius / torso_len, roi);
    return 1;
}

static inline const uint8_t *pixel(const uint8_t *frame, int w, int h, int stride, double x,
                                   double y)
{
    static const uint8_t black[3] = {0, 0, 0};
    if (x < 0 || y < 0 || x >= w || y >= h)
        return black;
    return frame + (size_t)y * (size_t)stride + 3 * (size_t)x;
}

void fc_blazepose_crop_rgb(const uint8_t *frame, int frame_w, int frame_h, int stride,
                           const struct fc_blazepose_roi *roi, uint8_t *dst, int size)
{
    for (int i = 0; i < size; i++) {
        uint8_t *out = dst + (size_t)i * 3 * (size_t)size;
        for (int j = 0; j < size; j++) {
            double fx, fy;
            fc_blazepose_input_to_frame(roi, size, j + 0.5, i + 0.5, &fx, &fy);
            /* pixel centres at integer + 0.5 */
            double px = fx - 0.5, py = fy - 0.5;
            double x0 = floor(px), y0 = floor(py), wx = px - x0, wy = py - y0;
            const uint8_t *tl = pixel(frame, frame_w, frame_h, stride, x0, y0);
            const uint8_t *tr = pixel(frame, frame_w, frame_h, stride, x0 + 1, y0);
            const uint8_t *bl = pixel(frame, frame_w, frame_h, stride, x0, y0 + 1);
            const uint8_t *br = pixel(frame, frame_w, frame_h, stride, x0 + 1, y0 + 1);
            for (int c = 0; c < 3; c++) {
                double top = tl[c] + (tr[c] - tl[c]) * wx;
                double bottom = bl[c] + (br[c] - bl[c]) * wx;
                float v = nearbyintf((float)(top + (bottom - top) * wy));
                out[3 * j + c] = (uint8_t)(v < 0.0f ? 0 : v > 255.0f ? 255 : (int)v);
            }
        }
    }
}

/* ---- running ---- */

static float sigmoid(float x)
{
    return 1.0f / (1.0f + expf(-x));
}

int fc_blazepose_run(struct fc_blazepose *b, const uint8_t *rgb, int stride,
                     const struct fc_blazepose_roi *roi, struct fc_blazepose_result *out,
                     struct fc_error *err)
{
    const int n = INPUT_SIZE;
    if (!rgb || stride < 3 * n || !(roi->size > 0) || !isfinite(roi->cx) || !isfinite(roi->cy) ||
        !isfinite(roi->size) || !isfinite(roi->rotation_rad))
        return fc_error_set(err, FC_ERR_ARG,
                            "pose input: ROI %g px at (%g, %g), stride %d (needs a positive "
                            "ROI and stride >= %d)",
                            roi->size, roi->cx, roi->cy, stride, 3 * n);
    /* the model's range is 0..1: x / 255 as TF.js divides */
    const size_t plane = (size_t)n * (size_t)n;
    for (int y = 0; y < n; y++) {
        const uint8_t *row = rgb + (size_t)y * (size_t)stride;
        for (int x = 0; x < n; x++)
            for (int c = 0; c < 3; c++) {
                size_t at =
                    b->channels_last ? ((size_t)y * n + x) * 3 + c : c * plane + (size_t)y * n + x;
                b->input[at] = (float)row[3 * x + c] / 255.0f;
            }
    }
    int rc = fc_dnn_run(b->dnn, b->input, b->in_shape, 4, err);
    if (rc < 0)
        return rc;
    struct fc_dnn_tensor t[HEAD_COUNT];
    for (int i = 0; i < HEAD_COUNT; i++)
        if (fc_dnn_output(b->dnn, i, &t[i]) < 0 || t[i].count != (size_t)head_values[i])
            return fc_error_set(err, FC_ERR_FORMAT, "%s: output '%s' changed shape", b->path,
                                head_names[i]);
    const float *ld = t[HEAD_LANDMARKS].data, *w = t[HEAD_WORLD].data;
    out->pose_score = t[HEAD_POSEFLAG].data[0];
    out->roi = *roi;
    double c = cos(roi->rotation_rad), s = sin(roi->rotation_rad);
    for (int i = 0; i < FC_BLAZEPOSE_POINTS; i++) {
        const float *p = ld + (size_t)i * LD_VALUES;
        double x, y;
        fc_blazepose_input_to_frame(roi, n, p[0], p[1], &x, &y);
        out->x[i] = (float)x;
        out->y[i] = (float)y;
        out->z[i] = (float)(p[2] / n * roi->size); /* MediaPipe: z scaled like x */
        out->visibility[i] = sigmoid(p[3]);
        out->presence[i] = sigmoid(p[4]);
    }
    /* world points turn with the ROI, as MediaPipe's WorldLandmarkProjection */
    for (int i = 0; i < FC_BLAZEPOSE_LANDMARKS; i++) {
        const float *p = w + (size_t)i * WORLD_VALUES;
        out->world_x[i] = (float)(c * p[0] - s * p[1]);
        out->world_y[i] = (float)(s * p[0] + c * p[1]);
        out->world_z[i] = p[2];
    }
    b->tracking = fc_blazepose_roi_from_landmarks(out, b->p.min_pose_score, &b->next);
    return 0;
}

int fc_blazepose_next_roi(const struct fc_blazepose *b, struct fc_blazepose_roi *roi)
{
    if (!b->tracking)
        return 0;
    *roi = b->next;
    return 1;
}

void fc_blazepose_reset(struct fc_blazepose *b)
{
    b->tracking = 0;
}

void fc_blazepose_to_keypoints(const struct fc_blazepose_result *r, float min_pose_score,
                               double t_s, struct fc_keypoints *k)
{
    fc_keypoints_clear(k, t_s);
    if (!(r->pose_score >= min_pose_score))
        return;
    for (int i = 0; i < FC_BLAZEPOSE_LANDMARKS; i++) {
        int j = fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, i);
        if (j >= 0 && isfinite(r->x[i]) && isfinite(r->y[i]))
            fc_keypoints_set(k, (enum fc_joint)j, r->x[i], r->y[i], NAN, r->visibility[i]);
        if (j >= 0 && isfinite(r->world_x[i]) && isfinite(r->world_y[i]) && isfinite(r->world_z[i]))
            fc_keypoints_set_world(k, (enum fc_joint)j, r->world_x[i], r->world_y[i],
                                   r->world_z[i]);
    }
    /* the mid-hip is the model's own alignment centre */
    const int m = FC_BLAZEPOSE_ALIGN_CENTRE;
    if (isfinite(r->x[m]) && isfinite(r->y[m]))
        fc_keypoints_set(k, FC_JOINT_MID_HIP, r->x[m], r->y[m], NAN,
                         fminf(r->visibility[MP_LEFT_HIP], r->visibility[MP_RIGHT_HIP]));
}
