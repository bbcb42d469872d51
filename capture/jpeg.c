/* formcheck capture: RGB to JPEG through libavcodec's MJPEG encoder (see
 * jpeg.h). */
#include "capture/jpeg.h"

#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/macros.h>
#include <libavutil/mem.h>
#include <libswscale/swscale.h>

/* JPEG's own limit is 65535; far beyond any still a report embeds. */
#define MAX_SIDE_PX 8192
/* swscale's SIMD reads source rows in blocks of up to 64 bytes and may pass
 * the end of the last row: the pixels are copied into rows this aligned,
 * with a block to spare after them, so that every read stays in the buffer. */
#define ROW_ALIGN 64

/* What one encode holds; freed on every path. */
struct job {
    AVCodecContext *enc;
    AVFrame *frame;
    AVPacket *pkt;
    struct SwsContext *sws;
    uint8_t *src; /* the pixels with aligned, padded rows */
};

static void job_free(struct job *j)
{
    sws_freeContext(j->sws);
    av_free(j->src);
    av_packet_free(&j->pkt);
    av_frame_free(&j->frame);
    avcodec_free_context(&j->enc);
}

static int open_encoder(struct job *j, int width, int height, int quality, struct fc_error *err)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "jpeg: this FFmpeg has no MJPEG encoder");
    if (!(j->enc = avcodec_alloc_context3(codec)))
        return fc_error_set(err, FC_ERR_NOMEM, "jpeg: out of memory");
    AVCodecContext *c = j->enc;
    c->width = width;
    c->height = height;
    c->time_base = (AVRational){1, 25}; /* required; meaningless for one still */
    /* yuvj420p: full-range 4:2:0, what JFIF files carry. */
    c->pix_fmt = AV_PIX_FMT_YUVJ420P;
    c->color_range = AVCOL_RANGE_JPEG;
    /* A fixed quantiser: every still looks alike whatever its content. */
    c->flags |= AV_CODEC_FLAG_QSCALE;
    c->global_quality = FF_QP2LAMBDA * quality;
    c->qmin = c->qmax = quality;
    if (avcodec_open2(c, codec, NULL) < 0)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "jpeg: cannot open the MJPEG encoder");
    if (!(j->frame = av_frame_alloc()) || !(j->pkt = av_packet_alloc()))
        return fc_error_set(err, FC_ERR_NOMEM, "jpeg: out of memory");
    j->frame->format = c->pix_fmt;
    j->frame->width = width;
    j->frame->height = height;
    j->frame->color_range = AVCOL_RANGE_JPEG;
    j->frame->quality = c->global_quality;
    if (av_frame_get_buffer(j->frame, 0) < 0)
        return fc_error_set(err, FC_ERR_NOMEM, "jpeg: out of memory for a %dx%d picture", width,
                            height);
    return 0;
}

int fc_jpeg_encode_rgb(const uint8_t *rgb, int width, int height, int stride, int quality,
                       uint8_t **out, size_t *size, struct fc_error *err)
{
    *out = NULL;
    *size = 0;
    if (!rgb || width < 1 || height < 1 || width > MAX_SIDE_PX || height > MAX_SIDE_PX ||
        stride < 3 * width)
        return fc_error_set(err, FC_ERR_ARG, "jpeg: bad picture %dx%d (stride %d)", width, height,
                            stride);
    quality = quality < 2 ? 2 : quality > 31 ? 31 : quality;
    struct job j = {0};
    int rc = open_encoder(&j, width, height, quality, err);
    if (rc < 0)
        goto fail;
    /* RGB -> full-range YCbCr with BT.601 coefficients, as JFIF defines. */
    j.sws = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUVJ420P,
                           SWS_BICUBIC, NULL, NULL, NULL);
    if (!j.sws) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "jpeg: cannot convert a %dx%d picture", width, height);
        goto fail;
    }
    const int row = FFALIGN(3 * width, ROW_ALIGN);
    if (!(j.src = av_mallocz((size_t)row * (size_t)height + ROW_ALIGN))) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "jpeg: out of memory");
        goto fail;
    }
    for (int y = 0; y < height; y++)
        memcpy(j.src + (size_t)y * row, rgb + (size_t)y * stride, (size_t)width * 3);
    const uint8_t *src[4] = {j.src, NULL, NULL, NULL};
    const int src_stride[4] = {row, 0, 0, 0};
    sws_scale(j.sws, src, src_stride, 0, height, j.frame->data, j.frame->linesize);
    if (avcodec_send_frame(j.enc, j.frame) < 0 || avcodec_send_frame(j.enc, NULL) < 0 ||
        avcodec_receive_packet(j.enc, j.pkt) < 0) {
        rc = fc_error_set(err, FC_ERR_FORMAT, "jpeg: the encoder refused a %dx%d picture", width,
                          height);
        goto fail;
    }
    if (!(*out = malloc((size_t)j.pkt->size))) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "jpeg: out of memory");
        goto fail;
    }
    memcpy(*out, j.pkt->data, (size_t)j.pkt->size);
    *size = (size_t)j.pkt->size;
    job_free(&j);
    return 0;

fail:
    job_free(&j);
    return rc;
}
