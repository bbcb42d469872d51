#include "batch/still.h"

#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decoder.h"
#include "capture/png.h"

/* A face joint counts when the pose stage gave it at least this score (the
 * analyzer's own default for a joint seen). */
#define FACE_MIN_SCORE 0.2f
/* The box around the face joints grows by this fraction of its size on
 * each side: the joints are the eyes, ears and nose, the face is larger. */
#define FACE_MARGIN 0.6
/* ... and is at least this fraction of the shoulder width wide (a face
 * seen from the side gives joints almost on a line). */
#define FACE_MIN_OF_SHOULDERS 0.6
/* Pixelation block, in pixels of the still: at 360 px wide, a face of
 * 40-80 px becomes 4-8 blocks across, no longer recognisable. */
#define FACE_BLOCK_PX 8

static int seen(const struct fc_keypoints *k, int j)
{
    return k->score[j] >= FACE_MIN_SCORE && isfinite(k->x[j]) && isfinite(k->y[j]);
}

/* The face's box in display pixels; 0 when it cannot be placed. */
static int face_box(const struct fc_keypoints *k, double *x0, double *y0, double *x1, double *y1)
{
    static const int face[] = {FC_JOINT_NOSE, FC_JOINT_LEFT_EYE, FC_JOINT_RIGHT_EYE,
                               FC_JOINT_LEFT_EAR, FC_JOINT_RIGHT_EAR};
    int n = 0;
    *x0 = *y0 = INFINITY;
    *x1 = *y1 = -INFINITY;
    for (size_t i = 0; i < sizeof face / sizeof *face; i++) {
        if (!seen(k, face[i]))
            continue;
        *x0 = fmin(*x0, k->x[face[i]]);
        *x1 = fmax(*x1, k->x[face[i]]);
        *y0 = fmin(*y0, k->y[face[i]]);
        *y1 = fmax(*y1, k->y[face[i]]);
        n++;
    }
    int shoulders = seen(k, FC_JOINT_LEFT_SHOULDER) && seen(k, FC_JOINT_RIGHT_SHOULDER);
    double sw = shoulders ? hypot(k->x[FC_JOINT_LEFT_SHOULDER] - k->x[FC_JOINT_RIGHT_SHOULDER],
                                  k->y[FC_JOINT_LEFT_SHOULDER] - k->y[FC_JOINT_RIGHT_SHOULDER])
                          : 0;
    if (n == 0) {
        if (!shoulders)
            return 0;
        /* the head stands about a shoulder width above the shoulders' middle */
        double cx = 0.5 * (k->x[FC_JOINT_LEFT_SHOULDER] + k->x[FC_JOINT_RIGHT_SHOULDER]);
        double cy = 0.5 * (k->y[FC_JOINT_LEFT_SHOULDER] + k->y[FC_JOINT_RIGHT_SHOULDER]);
        *x0 = cx - 0.5 * sw;
        *x1 = cx + 0.5 * sw;
        *y0 = cy - 1.2 * sw;
        *y1 = cy;
        return 1;
    }
    double cx = 0.5 * (*x0 + *x1), cy = 0.5 * (*y0 + *y1);
    double half = 0.5 * fmax(*x1 - *x0, *y1 - *y0) * (1 + 2 * FACE_MARGIN);
    half = fmax(half, 0.5 * FACE_MIN_OF_SHOULDERS * sw);
    *x0 = cx - half;
    *x1 = cx + half;
    *y0 = cy - half;
    *y1 = cy + half;
    return *x1 > *x0 && *y1 > *y0;
}

int fc_still_pixelate_face(uint8_t *rgb, int width, int height, int stride,
                           const struct fc_keypoints *k, double scale)
{
    double bx0, by0, bx1, by1;
    if (!face_box(k, &bx0, &by0, &bx1, &by1))
        return 0;
    /* snapped outwards to whole blocks of the still */
    int x0 = (int)floor(bx0 * scale / FACE_BLOCK_PX) * FACE_BLOCK_PX;
    int y0 = (int)floor(by0 * scale / FACE_BLOCK_PX) * FACE_BLOCK_PX;
    int x1 = (int)ceil(bx1 * scale / FACE_BLOCK_PX) * FACE_BLOCK_PX;
    int y1 = (int)ceil(by1 * scale / FACE_BLOCK_PX) * FACE_BLOCK_PX;
    for (int by = y0 < 0 ? 0 : y0; by < y1 && by < height; by += FACE_BLOCK_PX)
        for (int bx = x0 < 0 ? 0 : x0; bx < x1 && bx < width; bx += FACE_BLOCK_PX) {
            int ex = bx + FACE_BLOCK_PX < width ? bx + FACE_BLOCK_PX : width;
            int ey = by + FACE_BLOCK_PX < height ? by + FACE_BLOCK_PX : height;
            unsigned sum[3] = {0, 0, 0}, n = 0;
            for (int y = by; y < ey; y++)
                for (int x = bx; x < ex; x++, n++)
                    for (int c = 0; c < 3; c++)
                        sum[c] += rgb[(size_t)y * (size_t)stride + (size_t)x * 3 + (size_t)c];
            for (int y = by; y < ey; y++)
                for (int x = bx; x < ex; x++)
                    for (int c = 0; c < 3; c++)
                        rgb[(size_t)y * (size_t)stride + (size_t)x * 3 + (size_t)c] =
                            (uint8_t)((sum[c] + n / 2) / n);
        }
    return 1;
}

/* The track's frame nearest t_s (frames are in time order). */
static const struct fc_keypoints *nearest(const struct fc_pose_track *t, double t_s)
{
    const struct fc_keypoints *best = NULL;
    for (size_t i = 0; i < t->n_frames; i++)
        if (!best || fabs(t->frames[i].t_s - t_s) < fabs(best->t_s - t_s))
            best = &t->frames[i];
    return best;
}

static char *base64(const uint8_t *data, size_t len)
{
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    return out;
}

/* The first decoded frame at or after t_s, scaled into a new RGB image. */
static int grab(const char *video, double t_s, uint8_t **rgb, int *w, int *h, double *scale,
                struct fc_error *err)
{
    struct fc_decoder *d;
    struct fc_decoder_params p = fc_decoder_default_params();
    p.allow_truncated = 1;
    if (fc_decoder_open(&d, video, &p, err) < 0)
        return err->code;
    struct fc_scaler *sc = fc_scaler_new();
    struct fc_frame f;
    int rc, got = 0;
    *rgb = NULL;
    while (!got && (rc = fc_decoder_next(d, &f, err)) == 0) {
        if (f.t_s + 1e-6 >= t_s) {
            *scale = f.width > FC_STILL_WIDTH ? (double)FC_STILL_WIDTH / f.width : 1.0;
            *w = (int)lround(f.width * *scale);
            *h = (int)lround(f.height * *scale);
            *rgb = malloc((size_t)*w * (size_t)*h * 3);
            rc = !*rgb
                     ? fc_error_set(err, FC_ERR_NOMEM, "out of memory")
                     : fc_frame_to_rgb(&f, 0, 0, f.width, f.height, *w, *h, *rgb, *w * 3, sc, err);
            got = rc == 0;
        }
        fc_frame_release(&f);
    }
    fc_scaler_free(sc);
    fc_decoder_close(d);
    if (!got) {
        free(*rgb);
        *rgb = NULL;
        return err->code ? err->code
                         : fc_error_set(err, FC_ERR_EMPTY, "%s: no frame at %.2f s", video, t_s);
    }
    return 0;
}

int fc_still_from_video(const char *video, const struct fc_pose_track *track, double t_s,
                        char **png_base64, struct fc_error *err)
{
    *png_base64 = NULL;
    const struct fc_keypoints *k = nearest(track, t_s);
    if (!k)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no keypoints near %.2f s", video, t_s);
    uint8_t *rgb, *png = NULL;
    int w = 0, h = 0;
    double scale = 1;
    int rc = grab(video, t_s, &rgb, &w, &h, &scale, err);
    if (rc < 0)
        return rc;
    size_t len = 0;
    if (!fc_still_pixelate_face(rgb, w, h, w * 3, k, scale))
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: no face or shoulders seen at %.2f s", video, t_s);
    else if (fc_png_encode_rgb(rgb, w, h, w * 3, &png, &len, err) < 0)
        rc = err->code;
    else if (!(*png_base64 = base64(png, len)))
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
    free(png);
    free(rgb);
    return rc;
}
