/* formcheck capture: a display-coordinate region of a decoded frame to
 * packed RGB24, in one swscale step.
 *
 * The region is mapped back into the stored (unrotated) picture and clamped
 * to it; only the clamped source rectangle is scaled, straight into the
 * matching sub-rectangle of a dst-sized work buffer, whose remainder is
 * black. A rotated video is then turned by 90/180/270 degrees while that
 * small buffer is copied into dst. No full-size copy of the frame is ever
 * made, so a 192x192 crop of a 4K frame costs about what the crop costs.
 *
 * The source rectangle is whole pixels, with its origin on the chroma grid
 * of subsampled formats (even x and y for 4:2:0), so its edges can sit up to
 * a source pixel or two away from the exact region; the destination
 * rectangle is computed from the rectangle actually scaled, so the picture
 * is never stretched to hide that. */
#include "capture/decoder.h"

#include <math.h>
#include <string.h>

#include <libavutil/frame.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

struct fc_scaler {
    struct SwsContext *sws;
    /* what sws was last set up for */
    int src_w, src_h, src_fmt, dst_w, dst_h, cs, full;
    uint8_t *buf; /* dst-sized RGB24 work buffer, aligned rows */
    size_t buf_size;
};

struct fc_scaler *fc_scaler_new(void)
{
    struct fc_scaler *s = av_mallocz(sizeof *s);
    if (s)
        s->src_fmt = AV_PIX_FMT_NONE;
    return s;
}

void fc_scaler_free(struct fc_scaler *s)
{
    if (!s)
        return;
    sws_freeContext(s->sws);
    av_free(s->buf);
    av_free(s);
}

void fc_letterbox_region(int width, int height, double *x, double *y, double *w, double *h)
{
    double side = width > height ? width : height;
    if (x)
        *x = (width - side) / 2.0;
    if (y)
        *y = (height - side) / 2.0;
    if (w)
        *w = side;
    if (h)
        *h = side;
}

/* The deprecated "J" formats are ordinary YUV at full range. */
static enum AVPixelFormat unjpeg(enum AVPixelFormat f, int *full)
{
    switch (f) {
    case AV_PIX_FMT_YUVJ420P: *full = 1; return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: *full = 1; return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: *full = 1; return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: *full = 1; return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: *full = 1; return AV_PIX_FMT_YUV411P;
    default: return f;
    }
}

/* YUV->RGB matrix. Untagged video follows the common player rule: BT.709
 * for HD (720 lines or more, or wider than 1024), BT.601 below. */
static int sws_colorspace(const AVFrame *f)
{
    switch (f->colorspace) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601;
    default: {
        int small = f->width < f->height ? f->width : f->height;
        int large = f->width < f->height ? f->height : f->width;
        return small >= 720 || large > 1024 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    }
    }
}

static void black_outside(uint8_t *buf, int stride, int w, int h, int x0, int y0, int x1, int y1)
{
    for (int y = 0; y < h; y++) {
        uint8_t *row = buf + (size_t)y * stride;
        if (y < y0 || y >= y1) {
            memset(row, 0, (size_t)w * 3);
        } else {
            memset(row, 0, (size_t)x0 * 3);
            memset(row + (size_t)x1 * 3, 0, (size_t)(w - x1) * 3);
        }
    }
}

/* dst (dst_w x dst_h) = buf (bw x bh, stored orientation) turned clockwise
 * by rot degrees. */
static void turn_into(const uint8_t *buf, int bstride, int bw, int bh, int rot, uint8_t *dst,
                      int dst_stride, int dst_w, int dst_h)
{
    if (rot == 0) {
        for (int y = 0; y < dst_h; y++)
            memcpy(dst + (size_t)y * dst_stride, buf + (size_t)y * bstride, (size_t)dst_w * 3);
        return;
    }
    for (int y = 0; y < dst_h; y++) {
        uint8_t *o = dst + (size_t)y * dst_stride;
        for (int x = 0; x < dst_w; x++, o += 3) {
            int sx, sy;
            if (rot == 90) { /* stored (sx, sy) shows at (bh - 1 - sy, sx) */
                sx = y;
                sy = bh - 1 - x;
            } else if (rot == 180) {
                sx = bw - 1 - x;
                sy = bh - 1 - y;
            } else { /* 270: stored (sx, sy) shows at (sy, bw - 1 - sx) */
                sx = bw - 1 - y;
                sy = x;
            }
            const uint8_t *i = buf + (size_t)sy * bstride + (size_t)sx * 3;
            o[0] = i[0];
            o[1] = i[1];
            o[2] = i[2];
        }
    }
}

/* The stored picture's region (rx, ry, rw, rh) that shows as the display
 * region (x, y, w, h) once turned by rot (clockwise, stored to display). */
static void stored_region(int rot, int sw, int sh, double x, double y, double w, double h,
                          double *rx_, double *ry_, double *rw_, double *rh_)
{
    double rx, ry, rw, rh;
    switch (rot) {
    case 90:
        rx = y;
        ry = sh - x - w;
        rw = h;
        rh = w;
        break;
    case 180:
        rx = sw - x - w;
        ry = sh - y - h;
        rw = w;
        rh = h;
        break;
    case 270:
        rx = sw - y - h;
        ry = x;
        rw = h;
        rh = w;
        break;
    default:
        rx = x;
        ry = y;
        rw = w;
        rh = h;
        break;
    }
    *rx_ = rx, *ry_ = ry, *rw_ = rw, *rh_ = rh;
}

/* The part of a region that lies on the picture: source pixels [sx0, sx1)
 * x [sy0, sy1) (starting on the chroma grid) and where they land in the
 * bw x bh work buffer, [bx0, bx1) x [by0, by1); empty when nothing
 * shows. */
struct crop {
    int sx0, sy0, sx1, sy1, bx0, by0, bx1, by1;
};

static void clip_region(const AVPixFmtDescriptor *desc, int sw, int sh, double rx, double ry,
                        double rw, double rh, int bw, int bh, struct crop *c)
{
    int ax = 1, ay = 1;
    if (!(desc->flags & AV_PIX_FMT_FLAG_RGB) && desc->nb_components >= 3) {
        ax = 1 << desc->log2_chroma_w;
        ay = 1 << desc->log2_chroma_h;
    }
    if (desc->flags & AV_PIX_FMT_FLAG_BITSTREAM)
        ax = 8;
    double cx0 = fmax(rx, 0), cy0 = fmax(ry, 0);
    double cx1 = fmin(rx + rw, sw), cy1 = fmin(ry + rh, sh);
    int bx0 = 0, by0 = 0, bx1 = 0, by1 = 0, sx0 = 0, sy0 = 0, sx1 = 0, sy1 = 0;
    if (cx1 > cx0 && cy1 > cy0) {
        sx0 = (int)floor(cx0) / ax * ax;
        sy0 = (int)floor(cy0) / ay * ay;
        sx1 = (int)ceil(cx1);
        sy1 = (int)ceil(cy1);
        double kx = bw / rw, ky = bh / rh;
        bx0 = (int)lround((sx0 - rx) * kx);
        by0 = (int)lround((sy0 - ry) * ky);
        bx1 = (int)lround((sx1 - rx) * kx);
        by1 = (int)lround((sy1 - ry) * ky);
        bx0 = bx0 < 0 ? 0 : bx0;
        by0 = by0 < 0 ? 0 : by0;
        bx1 = bx1 > bw ? bw : bx1;
        by1 = by1 > bh ? bh : by1;
    }
    *c = (struct crop){sx0, sy0, sx1, sy1, bx0, by0, bx1, by1};
}

/* Sets the scaler up for cw x ch of the source to ow x oh RGB, reusing the
 * context while nothing changes, and the frame's colour space and range. */
static int configure(struct fc_scaler *s, const AVFrame *af, enum AVPixelFormat fmt,
                     const AVPixFmtDescriptor *desc, int full, int cw, int ch, int ow, int oh,
                     struct fc_error *err)
{
    const int cs = sws_colorspace(af);
    int changed = !s->sws || cw != s->src_w || ch != s->src_h || (int)fmt != s->src_fmt ||
                  ow != s->dst_w || oh != s->dst_h;
    if (changed) {
        s->sws = sws_getCachedContext(s->sws, cw, ch, fmt, ow, oh, AV_PIX_FMT_RGB24, SWS_BILINEAR,
                                      NULL, NULL, NULL);
        if (!s->sws) {
            s->src_fmt = AV_PIX_FMT_NONE;
            return fc_error_set(err, FC_ERR_UNSUPPORTED,
                                "fc_frame_to_rgb: cannot convert %s %dx%d to RGB %dx%d", desc->name,
                                cw, ch, ow, oh);
        }
        s->src_w = cw;
        s->src_h = ch;
        s->src_fmt = fmt;
        s->dst_w = ow;
        s->dst_h = oh;
    }
    if (changed || cs != s->cs || full != s->full) {
        /* A new context starts at limited-range BT.601: set what the
         * frame says (errors are ignored for RGB sources, which have none). */
        sws_setColorspaceDetails(s->sws, sws_getCoefficients(cs), full,
                                 sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
        s->cs = cs;
        s->full = full;
    }
    return 0;
}

/* Each plane's pointer at source pixel (sx0, sy0), chroma planes scaled. */
static void source_planes(const AVFrame *af, const AVPixFmtDescriptor *desc, int sx0, int sy0,
                          const uint8_t *src[4], int src_stride[4])
{
    int done_plane[4] = {0};
    for (int i = 0; i < 4; i++) {
        src[i] = af->data[i];
        src_stride[i] = af->linesize[i];
    }
    for (int c = 0; c < desc->nb_components; c++) {
        const AVComponentDescriptor *cd = &desc->comp[c];
        int p = cd->plane;
        if (p < 0 || p > 3 || done_plane[p] || !af->data[p])
            continue;
        int chroma = (c == 1 || c == 2) && !(desc->flags & AV_PIX_FMT_FLAG_RGB);
        int xs = chroma ? desc->log2_chroma_w : 0, ys = chroma ? desc->log2_chroma_h : 0;
        size_t xoff = (desc->flags & AV_PIX_FMT_FLAG_BITSTREAM)
                          ? (size_t)(sx0 >> xs) * (size_t)cd->step / 8
                          : (size_t)(sx0 >> xs) * (size_t)cd->step;
        src[p] = af->data[p] + (ptrdiff_t)(sy0 >> ys) * af->linesize[p] + (ptrdiff_t)xoff;
        done_plane[p] = 1;
    }
}

int fc_frame_to_rgb(const struct fc_frame *f, double x, double y, double w, double h, int dst_w,
                    int dst_h, uint8_t *dst, int dst_stride, struct fc_scaler *s,
                    struct fc_error *err)
{
    if (!f || !f->av_frame || !dst)
        return fc_error_set(err, FC_ERR_ARG, "fc_frame_to_rgb: no frame or no destination");
    if (dst_w < 1 || dst_h < 1 || dst_w > FC_DECODER_MAX_SIDE || dst_h > FC_DECODER_MAX_SIDE ||
        dst_stride < dst_w * 3)
        return fc_error_set(err, FC_ERR_ARG,
                            "fc_frame_to_rgb: bad destination %dx%d with stride %d", dst_w, dst_h,
                            dst_stride);
    /* Bounds far beyond any picture keep the arithmetic below in range. */
    if (!(w >= 1e-3 && w <= 1e7 && h >= 1e-3 && h <= 1e7 && fabs(x) <= 1e7 && fabs(y) <= 1e7))
        return fc_error_set(err, FC_ERR_ARG, "fc_frame_to_rgb: bad region %g,%g %gx%g", x, y, w, h);
    if (!s) {
        struct fc_scaler *tmp = fc_scaler_new();
        if (!tmp)
            return fc_error_set(err, FC_ERR_NOMEM, "fc_frame_to_rgb: out of memory");
        int rc = fc_frame_to_rgb(f, x, y, w, h, dst_w, dst_h, dst, dst_stride, tmp, err);
        fc_scaler_free(tmp);
        return rc;
    }

    const AVFrame *af = f->av_frame;
    const int sw = af->width, sh = af->height, rot = f->rotation_deg;
    int full = af->color_range == AVCOL_RANGE_JPEG;
    enum AVPixelFormat fmt = unjpeg(af->format, &full);
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(fmt);
    if (!desc || (desc->flags & AV_PIX_FMT_FLAG_HWACCEL))
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "fc_frame_to_rgb: cannot convert pixel format %s",
                            desc ? desc->name : "unknown");
    if (rot != 0 && rot != 90 && rot != 180 && rot != 270)
        return fc_error_set(err, FC_ERR_ARG, "fc_frame_to_rgb: rotation %d", rot);

    /* Display region -> stored region. */
    double rx, ry, rw, rh;
    stored_region(rot, sw, sh, x, y, w, h, &rx, &ry, &rw, &rh);
    /* The work buffer has the stored orientation. */
    const int swap = rot == 90 || rot == 270;
    const int bw = swap ? dst_h : dst_w, bh = swap ? dst_w : dst_h;
    const int bstride = (bw * 3 + 63) & ~63;
    size_t need = (size_t)bstride * (size_t)bh + 64; /* swscale may write a little past a row */
    if (need > s->buf_size) {
        av_free(s->buf);
        s->buf = av_malloc(need);
        s->buf_size = s->buf ? need : 0;
        if (!s->buf)
            return fc_error_set(err, FC_ERR_NOMEM, "fc_frame_to_rgb: out of memory");
    }

    /* Clamp to the picture; whole source pixels on the chroma grid. */
    struct crop c;
    clip_region(desc, sw, sh, rx, ry, rw, rh, bw, bh, &c);
    const int sx0 = c.sx0, sy0 = c.sy0, sx1 = c.sx1, sy1 = c.sy1;
    const int bx0 = c.bx0, by0 = c.by0, bx1 = c.bx1, by1 = c.by1;
    if (bx1 <= bx0 || by1 <= by0) { /* nothing of the picture shows */
        for (int r = 0; r < dst_h; r++)
            memset(dst + (size_t)r * dst_stride, 0, (size_t)dst_w * 3);
        return 0;
    }

    const int cw = sx1 - sx0, ch = sy1 - sy0, ow = bx1 - bx0, oh = by1 - by0;
    int rc = configure(s, af, fmt, desc, full, cw, ch, ow, oh, err);
    if (rc < 0)
        return rc;

    const uint8_t *src[4] = {NULL};
    int src_stride[4] = {0};
    source_planes(af, desc, sx0, sy0, src, src_stride);
    /* The palette (plane 1 of PAL8) is passed as it is. */

    uint8_t *out[4] = {s->buf + (size_t)by0 * bstride + (size_t)bx0 * 3, NULL, NULL, NULL};
    int out_stride[4] = {bstride, 0, 0, 0};
    int got = sws_scale(s->sws, src, src_stride, 0, ch, out, out_stride);
    if (got <= 0)
        return fc_error_set(err, FC_ERR_FORMAT, "fc_frame_to_rgb: scaling %s %dx%d failed",
                            desc->name, cw, ch);
    black_outside(s->buf, bstride, bw, bh, bx0, by0, bx1, by1);
    turn_into(s->buf, bstride, bw, bh, rot, dst, dst_stride, dst_w, dst_h);
    return 0;
}
