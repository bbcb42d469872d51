/* formcheck report: drawing on packed RGB (see draw.h).
 *
 * Plain loops: blended boxes and anti-aliased capsules (a line with round
 * ends; a zero-length one is a disc). Text is in report/font.c. */
#include "report/draw.h"

#include "core/keypoints.h"

#include <math.h>
#include <stddef.h>

static inline void blend(uint8_t *p, struct fc_rgb c, int a256)
{
    p[0] = (uint8_t)(p[0] + (((int)c.r - p[0]) * a256 >> 8));
    p[1] = (uint8_t)(p[1] + (((int)c.g - p[1]) * a256 >> 8));
    p[2] = (uint8_t)(p[2] + (((int)c.b - p[2]) * a256 >> 8));
}

static int alpha256(float alpha)
{
    if (!(alpha > 0))
        return 0;
    return alpha >= 1 ? 256 : (int)(alpha * 256 + 0.5f);
}

void fc_draw_rect(struct fc_canvas *c, int x, int y, int w, int h, struct fc_rgb colour,
                  float alpha)
{
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > c->width ? c->width : x + w, y1 = y + h > c->height ? c->height : y + h;
    int a = alpha256(alpha);
    if (a == 0)
        return;
    for (int py = y0; py < y1; py++) {
        uint8_t *p = c->rgb + (size_t)py * c->stride + (size_t)x0 * 3;
        for (int px = x0; px < x1; px++, p += 3)
            blend(p, colour, a);
    }
}

/* Pixel (i, j) covers [i, i+1) x [j, j+1); its centre is (i + 0.5, j + 0.5).
 * A pixel's coverage is approximated by r + 0.5 - distance, clamped to
 * 0..1, which gives a one-pixel soft edge. Each row visits only the span
 * the capsule can reach in it. */
void fc_draw_line(struct fc_canvas *c, float x0, float y0, float x1, float y1, float width_px,
                  struct fc_rgb colour, float alpha)
{
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1) || !(width_px > 0))
        return;
    int a = alpha256(alpha);
    if (a == 0)
        return;
    const float r = width_px / 2, reach = r + 1;
    const float dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    float ymin = fminf(y0, y1) - reach, ymax = fmaxf(y0, y1) + reach;
    int ry0 = (int)floorf(fmaxf(ymin, 0)), ry1 = (int)ceilf(fminf(ymax, (float)c->height));
    for (int py = ry0; py < ry1; py++) {
        const float yc = py + 0.5f;
        /* The part of the segment within reach of this row, as t in 0..1. */
        float ta = 0, tb = 1;
        if (fabsf(dy) > 1e-6f) {
            ta = (yc - reach - y0) / dy;
            tb = (yc + reach - y0) / dy;
            if (ta > tb) {
                float s = ta;
                ta = tb;
                tb = s;
            }
            ta = fmaxf(ta, 0);
            tb = fminf(tb, 1);
            if (ta > tb)
                continue;
        } else if (fabsf(y0 - yc) > reach) {
            continue;
        }
        float xa = x0 + ta * dx, xb = x0 + tb * dx;
        int rx0 = (int)floorf(fminf(xa, xb) - reach), rx1 = (int)ceilf(fmaxf(xa, xb) + reach);
        rx0 = rx0 < 0 ? 0 : rx0;
        rx1 = rx1 > c->width ? c->width : rx1;
        uint8_t *p = c->rgb + (size_t)py * c->stride + (size_t)rx0 * 3;
        for (int px = rx0; px < rx1; px++, p += 3) {
            const float xc = px + 0.5f;
            float t = len2 > 0 ? ((xc - x0) * dx + (yc - y0) * dy) / len2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            float ex = xc - (x0 + t * dx), ey = yc - (y0 + t * dy);
            float cover = r + 0.5f - sqrtf(ex * ex + ey * ey);
            if (cover <= 0)
                continue;
            blend(p, colour, cover >= 1 ? a : (int)(a * cover + 0.5f));
        }
    }
}

void fc_draw_disc(struct fc_canvas *c, float x, float y, float radius_px, struct fc_rgb colour,
                  float alpha)
{
    fc_draw_line(c, x, y, x, y, 2 * radius_px, colour, alpha);
}

void fc_draw_dashed(struct fc_canvas *c, float x0, float y0, float x1, float y1, float width_px,
                    float dash_px, struct fc_rgb colour, float alpha)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (!(len > 0) || !(dash_px > 0)) {
        fc_draw_line(c, x0, y0, x1, y1, width_px, colour, alpha);
        return;
    }
    for (float a = 0; a < len; a += 2 * dash_px) {
        float b = fminf(a + dash_px, len);
        fc_draw_line(c, x0 + dx * a / len, y0 + dy * a / len, x0 + dx * b / len, y0 + dy * b / len,
                     width_px, colour, alpha);
    }
}

#define BODY FC_BONE_BODY
const struct fc_bone fc_bones[] = {
    {FC_JOINT_NOSE, FC_JOINT_LEFT_EYE, FC_BONE_FACE},
    {FC_JOINT_NOSE, FC_JOINT_RIGHT_EYE, FC_BONE_FACE},
    {FC_JOINT_LEFT_EYE, FC_JOINT_LEFT_EAR, FC_BONE_FACE},
    {FC_JOINT_RIGHT_EYE, FC_JOINT_RIGHT_EAR, FC_BONE_FACE},
    {FC_JOINT_NOSE, FC_JOINT_LEFT_SHOULDER, FC_BONE_HEAD},
    {FC_JOINT_NOSE, FC_JOINT_RIGHT_SHOULDER, FC_BONE_HEAD},
    {FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER, BODY},
    {FC_JOINT_LEFT_SHOULDER, FC_JOINT_LEFT_ELBOW, BODY},
    {FC_JOINT_LEFT_ELBOW, FC_JOINT_LEFT_WRIST, BODY},
    {FC_JOINT_RIGHT_SHOULDER, FC_JOINT_RIGHT_ELBOW, BODY},
    {FC_JOINT_RIGHT_ELBOW, FC_JOINT_RIGHT_WRIST, BODY},
    {FC_JOINT_LEFT_SHOULDER, FC_JOINT_LEFT_HIP, BODY},
    {FC_JOINT_RIGHT_SHOULDER, FC_JOINT_RIGHT_HIP, BODY},
    {FC_JOINT_LEFT_HIP, FC_JOINT_RIGHT_HIP, BODY},
    {FC_JOINT_LEFT_HIP, FC_JOINT_LEFT_KNEE, BODY},
    {FC_JOINT_LEFT_KNEE, FC_JOINT_LEFT_ANKLE, BODY},
    {FC_JOINT_RIGHT_HIP, FC_JOINT_RIGHT_KNEE, BODY},
    {FC_JOINT_RIGHT_KNEE, FC_JOINT_RIGHT_ANKLE, BODY},
    /* the feet, when the model gives them (BlazePose): ankle, heel, toe */
    {FC_JOINT_LEFT_ANKLE, FC_JOINT_LEFT_HEEL, BODY},
    {FC_JOINT_LEFT_HEEL, FC_JOINT_LEFT_BIG_TOE, BODY},
    {FC_JOINT_LEFT_ANKLE, FC_JOINT_LEFT_BIG_TOE, BODY},
    {FC_JOINT_RIGHT_ANKLE, FC_JOINT_RIGHT_HEEL, BODY},
    {FC_JOINT_RIGHT_HEEL, FC_JOINT_RIGHT_BIG_TOE, BODY},
    {FC_JOINT_RIGHT_ANKLE, FC_JOINT_RIGHT_BIG_TOE, BODY},
};
const size_t fc_bones_count = sizeof fc_bones / sizeof fc_bones[0];
#undef BODY
