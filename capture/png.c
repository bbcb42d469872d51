#include "capture/png.h"

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <stdlib.h>
#include <string.h>

int fc_png_encode_rgb(const uint8_t *rgb, int width, int height, int stride, uint8_t **png,
                      size_t *len, struct fc_error *err)
{
    *png = NULL;
    *len = 0;
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    AVCodecContext *ctx = codec ? avcodec_alloc_context3(codec) : NULL;
    AVFrame *frame = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    int rc = FC_ERR_NOMEM;
    if (!codec) {
        rc = fc_error_set(err, FC_ERR_UNSUPPORTED, "this FFmpeg has no PNG encoder");
        goto done;
    }
    if (!ctx || !frame || !pkt)
        goto nomem;
    ctx->width = width;
    ctx->height = height;
    ctx->pix_fmt = AV_PIX_FMT_RGB24;
    ctx->time_base = (AVRational){1, 1};
    if (avcodec_open2(ctx, codec, NULL) < 0) {
        rc = fc_error_set(err, FC_ERR_UNSUPPORTED, "cannot open FFmpeg's PNG encoder");
        goto done;
    }
    frame->format = AV_PIX_FMT_RGB24;
    frame->width = width;
    frame->height = height;
    if (av_frame_get_buffer(frame, 0) < 0)
        goto nomem;
    for (int y = 0; y < height; y++)
        memcpy(frame->data[0] + (size_t)y * (size_t)frame->linesize[0],
               rgb + (size_t)y * (size_t)stride, (size_t)width * 3);
    if (avcodec_send_frame(ctx, frame) < 0 || avcodec_send_frame(ctx, NULL) < 0 ||
        avcodec_receive_packet(ctx, pkt) < 0) {
        rc = fc_error_set(err, FC_ERR_IO, "FFmpeg's PNG encoder failed");
        goto done;
    }
    *png = malloc((size_t)pkt->size);
    if (!*png)
        goto nomem;
    memcpy(*png, pkt->data, (size_t)pkt->size);
    *len = (size_t)pkt->size;
    rc = 0;
    goto done;
nomem:
    rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory encoding a PNG");
done:
    av_packet_free(&pkt);
    av_frame_free(&frame);
    avcodec_free_context(&ctx);
    return rc;
}
