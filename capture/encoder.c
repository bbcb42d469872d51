/* formcheck capture: RGB frames to an H.264 (or MPEG-4 Part 2) video file
 * (see encoder.h for the contract).
 *
 * The muxer writes through a custom AVIOContext onto the FILE of a
 * core/outfile.h temporary file, so the atomic rename and its error
 * handling are the same as for every other output; MP4 needs seeking (the
 * index is written at the end and sizes patched), which the FILE gives. */
#include "capture/encoder.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

#include "core/outfile.h"

/* One tick of the stream clock. 60000 is a multiple of 24, 25, 30, 50 and
 * 60 fps and of 30000/1001 and 60000/1001, and within MPEG-4 Part 2's limit
 * of 65535 for the time-base denominator. */
#define TICKS_PER_S 60000

struct fc_encoder {
    struct fc_outfile file;
    AVIOContext *io;
    unsigned char *io_buf; /* owned by io once io exists */
    AVFormatContext *fmt;
    AVCodecContext *enc;
    AVStream *st;
    AVFrame *frame;
    AVPacket *pkt;
    struct SwsContext *sws;
    int width, height;
    int64_t last_pts;
    int64_t frame_ticks; /* nominal frame duration */
    long frames;
    int header_written;
    char codec[32];
};

struct fc_encoder_params fc_encoder_default_params(void)
{
    struct fc_encoder_params p = {
        .fps = 30.0,
        .codec = NULL,
        .crf = 20,
        .preset = "veryfast",
        .threads = 0,
    };
    return p;
}

/* AVIO callbacks on the temporary file. FFmpeg 6.1 made the write buffer const. */
#if LIBAVFORMAT_VERSION_MAJOR >= 61
static int io_write(void *opaque, const uint8_t *buf, int size)
#else
static int io_write(void *opaque, uint8_t *buf, int size)
#endif
{
    FILE *fp = opaque;
    if (size > 0 && fwrite(buf, 1, (size_t)size, fp) != (size_t)size)
        return AVERROR(errno ? errno : EIO);
    return size;
}

static int64_t io_seek(void *opaque, int64_t offset, int whence)
{
    FILE *fp = opaque;
    if (whence & AVSEEK_SIZE) {
        off_t here = ftello(fp);
        if (here < 0 || fseeko(fp, 0, SEEK_END) != 0)
            return AVERROR(errno);
        off_t size = ftello(fp);
        if (fseeko(fp, here, SEEK_SET) != 0)
            return AVERROR(errno);
        return size;
    }
    whence &= ~AVSEEK_FORCE;
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
        return AVERROR(EINVAL);
    if (fseeko(fp, (off_t)offset, whence) != 0)
        return AVERROR(errno);
    return ftello(fp);
}

static void free_all(struct fc_encoder *e)
{
    sws_freeContext(e->sws);
    av_packet_free(&e->pkt);
    av_frame_free(&e->frame);
    avcodec_free_context(&e->enc);
    if (e->fmt)
        avformat_free_context(e->fmt);
    if (e->io) {
        av_freep(&e->io->buffer);
        avio_context_free(&e->io);
    } else {
        av_free(e->io_buf);
    }
    free(e);
}

void fc_encoder_abort(struct fc_encoder *e)
{
    if (!e)
        return;
    fc_outfile_abort(&e->file);
    free_all(e);
}

const char *fc_encoder_codec_name(const struct fc_encoder *e)
{
    return e->codec;
}

long fc_encoder_frames(const struct fc_encoder *e)
{
    return e->frames;
}

static const AVCodec *pick_codec(const char *name)
{
    if (name)
        return avcodec_find_encoder_by_name(name);
    const AVCodec *c = avcodec_find_encoder_by_name("libx264");
    return c ? c : avcodec_find_encoder(AV_CODEC_ID_MPEG4);
}

/* The muxer for the target's name: MP4 when the name says nothing, and it
 * must be able to hold the codec's video. */
static int open_muxer(struct fc_encoder *e, const char *path, const AVCodec *codec,
                      const AVOutputFormat **ofmt_out, struct fc_error *err)
{
    int ret;
    /* The container from the target's name (the temporary name ends in
     * random characters); MP4 when the name says nothing. */
    const AVOutputFormat *ofmt = av_guess_format(NULL, path, NULL);
    if (!ofmt)
        ofmt = av_guess_format("mp4", NULL, NULL);
    if (!ofmt)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "%s: this FFmpeg cannot write MP4", path);
    if (avformat_query_codec(ofmt, codec->id, FF_COMPLIANCE_NORMAL) != 1)
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "%s: a %s file cannot hold %s video; name the output .mp4", path,
                            ofmt->name, codec->name);
    if ((ret = avformat_alloc_output_context2(&e->fmt, ofmt, NULL, NULL)) < 0)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: cannot set up the %s muxer: %s", path,
                            ofmt->name, av_err2str(ret));
    *ofmt_out = ofmt;
    return 0;
}

/* The encoder: size, clock, BT.709 colour, and the quality settings of
 * libx264 or MPEG-4. */
static int open_codec(struct fc_encoder *e, const char *path, const AVCodec *codec,
                      const struct fc_encoder_params *p, double fps, struct fc_error *err)
{
    const int width = e->width, height = e->height;
    int ret;
    e->enc = avcodec_alloc_context3(codec);
    e->frame = av_frame_alloc();
    e->pkt = av_packet_alloc();
    if (!e->enc || !e->frame || !e->pkt)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
    AVCodecContext *c = e->enc;
    c->width = width;
    c->height = height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = (AVRational){1, TICKS_PER_S};
    c->framerate = av_d2q(fps, 100000);
    c->sample_aspect_ratio = (AVRational){1, 1};
    c->thread_count = p->threads > 0 ? p->threads : 0;
    c->color_range = AVCOL_RANGE_MPEG;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    /* libx264 reports its version, options and statistics at FFmpeg's
     * default log level, in the middle of formcheck's own output: one
     * level quieter for this context only (warnings still show). */
    c->log_level_offset = AV_LOG_VERBOSE - AV_LOG_INFO;
    if (e->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary *opts = NULL;
    if (codec->id == AV_CODEC_ID_H264 && strcmp(codec->name, "libx264") == 0) {
        av_dict_set(&opts, "preset", p->preset ? p->preset : "veryfast", 0);
        av_dict_set_int(&opts, "crf", p->crf >= 0 && p->crf <= 51 ? p->crf : 20, 0);

    } else if (codec->id == AV_CODEC_ID_MPEG4) {
        /* A fixed quantiser: qscale 2 (best) .. 31; crf 20 maps to about 4. */
        int q = p->crf >= 0 && p->crf <= 51 ? 2 + p->crf / 10 : 4;
        c->flags |= AV_CODEC_FLAG_QSCALE;
        c->global_quality = FF_QP2LAMBDA * q;
        c->gop_size = (int)fmin(300, fmax(1, round(2 * fps)));
        c->max_b_frames = 2;
    }
    ret = avcodec_open2(c, codec, &opts);
    av_dict_free(&opts);
    if (ret < 0)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "%s: cannot start the %s encoder at %dx%d: %s",
                            path, codec->name, width, height, av_err2str(ret));
    return 0;
}

/* The stream, the reusable YUV frame and the RGB to YUV conversion. */
static int open_stream(struct fc_encoder *e, const char *path, struct fc_error *err)
{
    const AVCodecContext *c = e->enc;
    const int width = e->width, height = e->height;
    int ret;
    e->st = avformat_new_stream(e->fmt, NULL);
    if (!e->st)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
    e->st->time_base = c->time_base;
    e->st->avg_frame_rate = c->framerate;
    if ((ret = avcodec_parameters_from_context(e->st->codecpar, c)) < 0)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: %s", path, av_err2str(ret));

    e->frame->format = c->pix_fmt;
    e->frame->width = width;
    e->frame->height = height;
    e->frame->color_range = c->color_range;
    e->frame->colorspace = c->colorspace;
    e->frame->color_primaries = c->color_primaries;
    e->frame->color_trc = c->color_trc;
    if ((ret = av_frame_get_buffer(e->frame, 0)) < 0)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for a %dx%d frame", path, width,
                            height);
    /* Full-range RGB in, limited-range BT.709 YUV out. */
    e->sws = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P,
                            SWS_BILINEAR, NULL, NULL, NULL);
    if (!e->sws)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "%s: cannot convert RGB to YUV at %dx%d", path,
                            width, height);
    sws_setColorspaceDetails(e->sws, sws_getCoefficients(SWS_CS_DEFAULT), 1,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    return 0;
}

/* The output file (complete or absent, core/outfile.h) and the header. */
static int open_file(struct fc_encoder *e, const char *path, const AVOutputFormat *ofmt,
                     struct fc_error *err)
{
    int rc, ret;
    /* Only now touch the file system: every check that needs no file is done. */
    if ((rc = fc_outfile_open(&e->file, path, err)) < 0)
        return rc;
    const int io_size = 1 << 16;
    e->io_buf = av_malloc(io_size);
    if (e->io_buf)
        e->io = avio_alloc_context(e->io_buf, io_size, 1, e->file.fp, NULL, io_write, io_seek);
    if (!e->io)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
    e->fmt->pb = e->io;
    e->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    if ((ret = avformat_write_header(e->fmt, NULL)) < 0)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot write the %s header: %s", path, ofmt->name,
                            av_err2str(ret));
    return 0;
}

int fc_encoder_open(struct fc_encoder **out, const char *path, int width, int height,
                    const struct fc_encoder_params *p, struct fc_error *err)
{
    *out = NULL;
    struct fc_encoder_params defaults = fc_encoder_default_params();
    if (!p)
        p = &defaults;
    if (width < 2 || height < 2 || width % 2 || height % 2 || width > 16384 || height > 16384)
        return fc_error_set(err, FC_ERR_ARG,
                            "%s: cannot encode %dx%d frames (sides must be even, 2 to 16384)", path,
                            width, height);
    const AVCodec *codec = pick_codec(p->codec);
    if (!codec)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "%s: this FFmpeg has no %s encoder", path,
                            p->codec ? p->codec : "H.264 or MPEG-4");

    struct fc_encoder *e = calloc(1, sizeof *e);
    if (!e)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
    e->width = width;
    e->height = height;
    e->last_pts = INT64_MIN;
    snprintf(e->codec, sizeof e->codec, "%s", codec->name);
    double fps = p->fps > 0 && p->fps < 10000 ? p->fps : 30.0;
    e->frame_ticks = llround(TICKS_PER_S / fps);
    if (e->frame_ticks < 1)
        e->frame_ticks = 1;
    int rc;

    const AVOutputFormat *ofmt = NULL;
    if ((rc = open_muxer(e, path, codec, &ofmt, err)) < 0 ||
        (rc = open_codec(e, path, codec, p, fps, err)) < 0 ||
        (rc = open_stream(e, path, err)) < 0 || (rc = open_file(e, path, ofmt, err)) < 0)
        goto fail;
    e->header_written = 1;
    *out = e;
    return 0;

fail:
    fc_encoder_abort(e);
    return rc;
}

/* Sends frame (NULL: end of stream) and writes every packet that comes out. */
static int encode(struct fc_encoder *e, AVFrame *frame, struct fc_error *err)
{
    int ret = avcodec_send_frame(e->enc, frame);
    if (ret < 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: the %s encoder failed at frame %ld: %s",
                            e->file.path, e->codec, e->frames, av_err2str(ret));
    for (;;) {
        ret = avcodec_receive_packet(e->enc, e->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: the %s encoder failed: %s", e->file.path,
                                e->codec, av_err2str(ret));
        if (e->pkt->duration <= 0)
            e->pkt->duration = e->frame_ticks;
        av_packet_rescale_ts(e->pkt, e->enc->time_base, e->st->time_base);
        e->pkt->stream_index = e->st->index;
        ret = av_interleaved_write_frame(e->fmt, e->pkt); /* takes the packet's data */
        if (ret < 0)
            return fc_error_set(err, FC_ERR_IO, "%s: cannot write: %s", e->file.path,
                                av_err2str(ret));
    }
}

int fc_encoder_write_rgb(struct fc_encoder *e, const uint8_t *rgb, int stride, double t_s,
                         struct fc_error *err)
{
    if (!rgb || stride < e->width * 3)
        return fc_error_set(err, FC_ERR_ARG, "%s: bad RGB frame (stride %d for width %d)",
                            e->file.path, stride, e->width);
    if (!isfinite(t_s) || fabs(t_s) > 1e9)
        return fc_error_set(err, FC_ERR_ARG, "%s: frame %ld has no usable time (%g s)",
                            e->file.path, e->frames, t_s);
    /* The encoder may still hold the previous picture (B-frame lookahead):
     * give this one its own buffer if so. */
    int ret = av_frame_make_writable(e->frame);
    if (ret < 0)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", e->file.path);
    const uint8_t *src[4] = {rgb, NULL, NULL, NULL};
    int src_stride[4] = {stride, 0, 0, 0};
    sws_scale(e->sws, src, src_stride, 0, e->height, e->frame->data, e->frame->linesize);
    int64_t pts = llround(t_s * TICKS_PER_S);
    if (e->last_pts != INT64_MIN && pts <= e->last_pts)
        pts = e->last_pts + 1;
    e->frame->pts = pts;
    e->last_pts = pts;
    int rc = encode(e, e->frame, err);
    if (rc == 0)
        e->frames++;
    return rc;
}

int fc_encoder_close(struct fc_encoder *e, struct fc_error *err)
{
    if (!e)
        return fc_error_set(err, FC_ERR_ARG, "fc_encoder_close: no encoder");
    int rc = encode(e, NULL, err);
    if (rc == 0 && e->frames == 0)
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: no frames to write", e->file.path);
    if (rc == 0) {
        int ret = av_write_trailer(e->fmt);
        if (ret >= 0) {
            avio_flush(e->io);
            ret = e->io->error;
        }
        if (ret < 0)
            rc = fc_error_set(err, FC_ERR_IO, "%s: cannot finish the file: %s", e->file.path,
                              av_err2str(ret));
    }
    if (rc < 0) {
        fc_encoder_abort(e);
        return rc;
    }
    rc = fc_outfile_commit(&e->file, err);
    free_all(e);
    return rc;
}
