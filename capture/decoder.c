/* formcheck capture: opening a video source and closing it (see decoder.h
 * for the contract). Checks the path, opens the container, probes the
 * streams, picks the video, opens its codec, allocates the queue and
 * decodes the first picture, then starts the decoding thread
 * (capture/decoder_thread.c); the state both share, with its frame
 * ownership and locking, is in capture/decoder_internal.h. */
#include "capture/decoder_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef FC_HAVE_AVDEVICE /* cameras and screens as inputs: link libavdevice */
#include <libavdevice/avdevice.h>
#endif
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>

struct fc_decoder_params fc_decoder_default_params(void)
{
    struct fc_decoder_params p = {
        .queue_frames = 8,
        .max_held_frames = 2,
        .threads = 0,
        .drop_when_full = 0,
        .allow_truncated = 0,
        .input_format = NULL,
        .input_options = NULL,
        .realtime = 0,
        .read_timeout_s = 0,
        .interrupt = NULL,
        .fast = 0,
    };
    return p;
}

/* The I/O buffer of fc_decoder_open_memory's AVIOContext: FFmpeg's own
 * default for files (IO_BUFFER_SIZE in libavformat), so that probing and
 * reading see the same chunks as from disk. */
#define FC_DEC_MEMORY_IO_BYTES 32768

static pthread_once_t network_once = PTHREAD_ONCE_INIT;
static pthread_once_t device_once = PTHREAD_ONCE_INIT;
static void network_init(void)
{
    avformat_network_init();
}
static void device_init(void)
{
#ifdef FC_HAVE_AVDEVICE
    avdevice_register_all();
#endif
}

static int is_url(const char *s)
{
    const char *colon = strstr(s, "://");
    if (!colon || colon == s)
        return 0;
    for (const char *c = s; c < colon; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '+' || *c == '-' || *c == '.'))
            return 0;
    return strncmp(s, "file://", 7) != 0;
}

/* "rtsp://user:secret@cam/x" -> "rtsp://cam/x": messages end up in logs. */
static void display_name(char *buf, size_t len, const char *url)
{
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
    if (scheme && at && (!slash || at < slash))
        snprintf(buf, len, "%.*s%s", (int)(scheme + 3 - url), url, at + 1);
    else
        snprintf(buf, len, "%s", url);
}

/* Normalised clockwise rotation from stored to display, as the ffmpeg
 * program's autorotate computes it: the display matrix gives the
 * counter-clockwise angle. */
static int stream_rotation(const AVStream *st)
{
    size_t size = 0;
    const uint8_t *m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!m || size < 9 * sizeof(int32_t))
        return 0;
    double ccw = av_display_rotation_get((const int32_t *)m);
    if (isnan(ccw))
        return 0;
    long deg = lround(-ccw / 90.0) * 90 % 360;
    return (int)(deg < 0 ? deg + 360 : deg);
}

/* Why avformat_open_input refused the file, in words. */
static int open_failed(const struct fc_decoder *d, const char *url, int ret, struct fc_error *err)
{
    if (ret == AVERROR(ENOENT))
        return fc_error_set(err, FC_ERR_IO, "%s: no such file", d->name);
    if (ret == AVERROR(EACCES))
        return fc_error_set(err, FC_ERR_IO, "%s: permission denied", d->name);
    if (d->timed_out)
        return fc_error_set(err, FC_ERR_IO,
                            "%s: no data arrived within %.1f s (is the source sending?)", d->name,
                            d->read_timeout_s);
    if (fc_dec_interrupted(d))
        return fc_error_set(err, FC_ERR_IO, "%s: opening was interrupted", d->name);
    if (d->is_file) {
        unsigned char head[12] = {0};
        size_t got = 0;
        if (d->mem_pb) {
            got = d->mem.size < (int64_t)sizeof head ? (size_t)d->mem.size : sizeof head;
            memcpy(head, d->mem.data, got);
        } else {
            FILE *f = fopen(url, "rb");
            got = f ? fread(head, 1, sizeof head, f) : 0;
            if (f)
                fclose(f);
        }
        if (got >= 8 && memcmp(head + 4, "ftyp", 4) == 0)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: MP4/MOV file without its index (no 'moov' box): the file is "
                                "probably truncated or the recording was not finished (%s)",
                                d->name, av_err2str(ret));
        if (ret == AVERROR_INVALIDDATA)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: not a video file FFmpeg can read (%s)",
                                d->name, av_err2str(ret));
    }
    return fc_error_set(err, is_url(url) ? FC_ERR_IO : FC_ERR_FORMAT, "%s: cannot open: %s",
                        d->name, av_err2str(ret));
}

static int no_video(const struct fc_decoder *d, int ret, struct fc_error *err)
{
    char kinds[128] = "";
    size_t used = 0;
    for (unsigned i = 0; i < d->fmt->nb_streams && used < sizeof kinds - 16; i++) {
        const char *k = av_get_media_type_string(d->fmt->streams[i]->codecpar->codec_type);
        const AVStream *s = d->fmt->streams[i];
        if (s->disposition & AV_DISPOSITION_ATTACHED_PIC)
            k = "cover picture";
        used += (size_t)snprintf(kinds + used, sizeof kinds - used, "%s%s", i ? ", " : "",
                                 k ? k : "unknown");
    }
    if (ret == AVERROR_DECODER_NOT_FOUND) {
        for (unsigned i = 0; i < d->fmt->nb_streams; i++) {
            const AVCodecParameters *par = d->fmt->streams[i]->codecpar;
            if (par->codec_type != AVMEDIA_TYPE_VIDEO)
                continue;
            char tag[AV_FOURCC_MAX_STRING_SIZE];
            av_fourcc_make_string(tag, par->codec_tag);
            return fc_error_set(err, FC_ERR_UNSUPPORTED,
                                "%s: video codec '%s' (tag %s) is not supported: this FFmpeg "
                                "has no decoder for it",
                                d->name, avcodec_get_name(par->codec_id), tag);
        }
    }
    if (d->fmt->nb_streams == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no video stream (the file has no streams)",
                            d->name);
    return fc_error_set(err, FC_ERR_EMPTY, "%s: no video stream (the file has: %s)", d->name,
                        kinds);
}

static void fill_info(struct fc_decoder *d)
{
    struct fc_video_info *vi = &d->info;
    const AVStream *st = d->st;
    const AVFrame *f = d->work;
    vi->rotation_deg = stream_rotation(st);
    vi->coded_width = f->width;
    vi->coded_height = f->height;
    int swap = vi->rotation_deg == 90 || vi->rotation_deg == 270;
    vi->width = swap ? f->height : f->width;
    vi->height = swap ? f->width : f->height;
    snprintf(vi->codec, sizeof vi->codec, "%s", avcodec_get_name(st->codecpar->codec_id));
    const char *pf = av_get_pix_fmt_name(f->format);
    snprintf(vi->pix_fmt, sizeof vi->pix_fmt, "%s", pf ? pf : "unknown");
    snprintf(vi->container, sizeof vi->container, "%s", d->fmt->iformat->name);
    vi->full_range = f->color_range == AVCOL_RANGE_JPEG || f->format == AV_PIX_FMT_YUVJ420P ||
                     f->format == AV_PIX_FMT_YUVJ422P || f->format == AV_PIX_FMT_YUVJ444P ||
                     f->format == AV_PIX_FMT_YUVJ440P || f->format == AV_PIX_FMT_YUVJ411P;
    AVRational avg = st->avg_frame_rate, r = st->r_frame_rate;
    double favg = avg.num > 0 && avg.den > 0 ? av_q2d(avg) : 0;
    double fr = r.num > 0 && r.den > 0 ? av_q2d(r) : 0;
    vi->fps = favg > 0 ? favg : fr;
    /* r_frame_rate is the base rate every timestamp fits; the average
     * differs from it when frames are irregular. */
    vi->vfr = favg > 0 && fr > 0 && fabs(favg - fr) > 0.01 * fr;
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
        vi->duration_s = (double)st->duration * av_q2d(st->time_base);
    else if (d->fmt->duration != AV_NOPTS_VALUE && d->fmt->duration > 0)
        vi->duration_s = (double)d->fmt->duration / AV_TIME_BASE;
    if (st->nb_frames > 0)
        vi->frame_count_est = st->nb_frames;
    else if (vi->duration_s > 0 && vi->fps > 0)
        vi->frame_count_est = llround(vi->duration_s * vi->fps);
}

/* A decoder with its settings and its lock, nothing opened yet. */
static int decoder_new(struct fc_decoder **out, const char *url, const struct fc_decoder_params *p,
                       struct fc_error *err)
{
    struct fc_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", url);
    display_name(d->name, sizeof d->name, url);
    d->drop_when_full = p->drop_when_full;
    d->allow_truncated = p->allow_truncated;
    d->realtime = p->realtime;
    d->read_timeout_s = p->read_timeout_s > 0 ? p->read_timeout_s : 0;
    d->interrupt = p->interrupt;
    d->last_pkt_t = NAN;
    atomic_init(&d->stop, 0);
    if (pthread_mutex_init(&d->mu, NULL) != 0) {
        free(d);
        return fc_error_set(err, FC_ERR_NOMEM, "%s: cannot create a mutex", url);
    }
    pthread_cond_init(&d->not_empty, NULL);
    pthread_cond_init(&d->not_full, NULL);
    d->sync_ok = 1;
    *out = d;
    return 0;
}

/* A local file (url without a scheme, or file:): *path is its name on
 * disk. A missing, empty or folder path is refused here, in words, before
 * FFmpeg tries it. */
static int check_file(struct fc_decoder *d, const char *url, const char **path,
                      struct fc_error *err)
{
    d->is_file = 1;
    *path = url;
    if (strncmp(url, "file://", 7) == 0)
        *path = url + 7;
    else if (strncmp(url, "file:", 5) == 0)
        *path = url + 5;
    struct stat sb;
    if (stat(*path, &sb) != 0)
        return fc_error_set(err, FC_ERR_IO, "%s: %s", d->name,
                            errno == ENOENT ? "no such file" : strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return fc_error_set(err, FC_ERR_ARG, "%s: is a folder, not a video file", d->name);
    if (S_ISREG(sb.st_mode) && sb.st_size == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: file is empty (0 bytes)", d->name);
    return 0;
}

/* Opens the container: the file checks, the input format and options the
 * caller named, then avformat_open_input. */
static int open_input(struct fc_decoder *d, const char *url, const struct fc_decoder_params *p,
                      struct fc_error *err)
{
    AVDictionary *opts = NULL;
    const AVInputFormat *ifmt = NULL;
    const char *path = url;
    int rc = 0;
    if (d->mem_pb) {
        /* the bytes are already here: no file to check, no network */
    } else if (!p->input_format && !is_url(url)) {
        if ((rc = check_file(d, url, &path, err)) < 0)
            goto fail;
    } else {
        pthread_once(&network_once, network_init);
    }
    if (p->input_format) {
        pthread_once(&device_once, device_init);
        ifmt = av_find_input_format(p->input_format);
        if (!ifmt) {
            rc = fc_error_set(err, FC_ERR_UNSUPPORTED,
                              "%s: input format '%s' is not available in this FFmpeg", d->name,
                              p->input_format);
            goto fail;
        }
    }
    if (p->input_options && av_dict_parse_string(&opts, p->input_options, "=", ":", 0) < 0) {
        rc = fc_error_set(err, FC_ERR_ARG, "%s: cannot parse input options '%s'", d->name,
                          p->input_options);
        goto fail;
    }
    d->fmt = avformat_alloc_context();
    d->pkt = av_packet_alloc();
    d->work = av_frame_alloc();
    if (!d->fmt || !d->pkt || !d->work) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
        goto fail;
    }
    d->fmt->interrupt_callback.callback = fc_dec_interrupt_cb;
    d->fmt->interrupt_callback.opaque = d;
    /* Memory: FFmpeg reads through our AVIOContext and never opens the
     * name, which only hints the format by its extension. */
    d->fmt->pb = d->mem_pb;
    d->last_io_s = fc_monotonic_s();
    int ret = avformat_open_input(&d->fmt, d->is_file ? path : url, ifmt, &opts);
    if (ret < 0)
        rc = open_failed(d, path, ret, err); /* d->fmt was freed and set to NULL */

fail:
    av_dict_free(&opts);
    return rc;
}

/* Probes the streams (refusing huge pictures before anything decodes one)
 * and picks the video stream; the others are discarded. */
static int find_video(struct fc_decoder *d, const AVCodec **codec, struct fc_error *err)
{
    AVDictionary **stream_opts = NULL;
    int rc = 0, ret;
    for (unsigned i = 0; i < d->fmt->nb_streams; i++) {
        const AVCodecParameters *par = d->fmt->streams[i]->codecpar;
        if (par->codec_type == AVMEDIA_TYPE_VIDEO && fc_dec_too_large(par->width, par->height))
            return fc_dec_size_error(d, par->width, par->height, err);
    }
    /* Probing may find more streams than there were (a stream that starts
     * later in the data): the options array keeps its own length. */
    unsigned n_opts = d->fmt->nb_streams;
    stream_opts = av_calloc(n_opts ? n_opts : 1, sizeof *stream_opts);
    if (!stream_opts)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
    for (unsigned i = 0; i < n_opts; i++)
        av_dict_set_int(&stream_opts[i], "max_pixels", FC_DECODER_MAX_PIXELS, 0);
    ret = avformat_find_stream_info(d->fmt, stream_opts);
    for (unsigned i = 0; i < n_opts; i++)
        av_dict_free(&stream_opts[i]);
    av_freep(&stream_opts);
    if (ret < 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: cannot read the stream information: %s",
                            d->name, av_err2str(ret));

    ret = av_find_best_stream(d->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, codec, 0);
    if (ret >= 0 && (d->fmt->streams[ret]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        ret = AVERROR_STREAM_NOT_FOUND; /* album art is not a video */
    if (ret < 0)
        return no_video(d, ret, err);
    d->info.stream_index = ret;
    d->st = d->fmt->streams[ret];
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if ((int)i != ret)
            d->fmt->streams[i]->discard = AVDISCARD_ALL;
    if (fc_dec_too_large(d->st->codecpar->width, d->st->codecpar->height))
        rc = fc_dec_size_error(d, d->st->codecpar->width, d->st->codecpar->height, err);
    return rc;
}

static int open_codec(struct fc_decoder *d, const AVCodec *codec, const struct fc_decoder_params *p,
                      struct fc_error *err)
{
    d->dec = avcodec_alloc_context3(codec);
    if (!d->dec)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
    int ret = avcodec_parameters_to_context(d->dec, d->st->codecpar);
    if (ret >= 0) {
        d->dec->pkt_timebase = d->st->time_base;
        d->dec->thread_count = p->threads;
        d->dec->max_pixels = FC_DECODER_MAX_PIXELS;
        if (p->fast) {
            d->dec->skip_frame = AVDISCARD_NONREF;
            d->dec->skip_loop_filter = AVDISCARD_ALL;
            d->dec->flags2 |= AV_CODEC_FLAG2_FAST;
        }
        ret = avcodec_open2(d->dec, codec, NULL);
    }
    if (ret < 0)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "%s: cannot open the %s decoder: %s", d->name,
                            codec->name, av_err2str(ret));
    return 0;
}

/* Every AVFrame shell the decoder will use, allocated once (see
 * decoder_internal.h, frame ownership). */
static int alloc_queue(struct fc_decoder *d, const struct fc_decoder_params *p,
                       struct fc_error *err)
{
    d->cap = p->queue_frames;
    d->n_shells = p->max_held_frames;
    d->ring = calloc((size_t)d->cap, sizeof *d->ring);
    d->shells = calloc((size_t)d->n_shells, sizeof *d->shells);
    d->spare = calloc((size_t)d->n_shells, sizeof *d->spare);
    if (!d->ring || !d->shells || !d->spare)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
    for (int i = 0; i < d->cap; i++)
        if (!(d->ring[i].f = av_frame_alloc()))
            return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
    for (int i = 0; i < d->n_shells; i++) {
        if (!(d->shells[i] = av_frame_alloc()))
            return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
        d->spare[d->n_spare++] = d->shells[i];
    }
    return 0;
}

static int check_params(const char *name, const struct fc_decoder_params *p, struct fc_error *err)
{
    if (p->queue_frames < 1 || p->queue_frames > 1024 || p->max_held_frames < 1 ||
        p->max_held_frames > 1024 || p->threads < 0)
        return fc_error_set(err, FC_ERR_ARG,
                            "%s: decoder parameters out of range (queue_frames %d, "
                            "max_held_frames %d, threads %d)",
                            name, p->queue_frames, p->max_held_frames, p->threads);
    return 0;
}

static int open_and_start(struct fc_decoder *d, const char *url, const struct fc_decoder_params *p,
                          struct fc_error *err);

int fc_decoder_open(struct fc_decoder **out, const char *url, const struct fc_decoder_params *p,
                    struct fc_error *err)
{
    struct fc_decoder_params defaults = fc_decoder_default_params();
    struct fc_decoder *d = NULL;
    int rc = 0;

    if (!out || !url || !*url)
        return fc_error_set(err, FC_ERR_ARG, "fc_decoder_open: no output or no url given");
    *out = NULL;
    if (!p)
        p = &defaults;
    if ((rc = check_params(url, p, err)) < 0)
        return rc;
    if ((rc = decoder_new(&d, url, p, err)) < 0)
        return rc;
    if ((rc = open_and_start(d, url, p, err)) < 0)
        return rc;
    *out = d;
    return 0;
}

/* Everything after the decoder exists: the container, the stream, the
 * codec, the queue, the first picture and the decoding thread. On failure
 * d is closed (freed). */
static int open_and_start(struct fc_decoder *d, const char *url, const struct fc_decoder_params *p,
                          struct fc_error *err)
{
    const AVCodec *codec = NULL;
    int rc = 0, ret;
    if ((rc = open_input(d, url, p, err)) < 0 || (rc = find_video(d, &codec, err)) < 0 ||
        (rc = open_codec(d, codec, p, err)) < 0 || (rc = alloc_queue(d, p, err)) < 0)
        goto fail;

    /* Decode the first picture now: a stream with nothing decodable fails
     * here, and the info describes real decoded frames. */
    d->info.fps = av_q2d(d->st->avg_frame_rate) > 0 ? av_q2d(d->st->avg_frame_rate)
                                                    : av_q2d(d->st->r_frame_rate);
    double t0 = 0;
    char why[128];
    struct fc_error first = {0};
    ret = fc_dec_produce(d, &t0, &first);
    if (ret != 0) {
        if (ret == 1)
            rc = fc_error_set(err, FC_ERR_EMPTY, "%s: video stream %d (%s) has 0 decodable frames",
                              d->name, d->info.stream_index, avcodec_get_name(codec->id));
        else if (first.code == FC_ERR_TRUNCATED)
            rc = fc_error_set(err, FC_ERR_TRUNCATED,
                              "%s: file is truncated before its first complete frame", d->name);
        else if (first.code == FC_ERR_FORMAT && d->pending_averr) /* the decoder refused it */
            rc = fc_error_set(err, FC_ERR_FORMAT,
                              "%s: video stream %d (%s) has 0 decodable frames: %s", d->name,
                              d->info.stream_index, avcodec_get_name(codec->id),
                              fc_dec_error_text(d, d->pending_averr, why, sizeof why));
        else
            rc = fc_error_set(err, ret, "%s", first.msg);
        goto fail;
    }
    fill_info(d);
    fc_dec_pace(d, t0);
    fc_dec_push_work(d, t0);

    if ((ret = pthread_create(&d->thread, NULL, fc_dec_thread, d)) != 0) {
        /* EAGAIN: no memory for the thread's stack, or a limit on threads */
        rc = fc_error_set(err, FC_ERR_NOMEM,
                          "%s: cannot start the decoding thread (out of memory or threads: %s)",
                          d->name, strerror(ret));
        goto fail;
    }
    d->thread_started = 1;
    return 0;

fail:
    fc_decoder_close(d);
    return rc;
}

/* The AVIOContext callbacks over fc_decoder_open_memory's bytes: a file
 * that happens to be in memory, so that seeking and its size work as on
 * disk (MP4's index, the truncation checks). */
static int memory_read(void *opaque, uint8_t *buf, int buf_size)
{
    struct fc_dec_memory *m = opaque;
    int64_t left = m->size - m->pos;
    if (left <= 0)
        return AVERROR_EOF;
    int n = left < buf_size ? (int)left : buf_size;
    memcpy(buf, m->data + m->pos, (size_t)n);
    m->pos += n;
    return n;
}

static int64_t memory_seek(void *opaque, int64_t offset, int whence)
{
    struct fc_dec_memory *m = opaque;
    int64_t base;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return m->size;
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = m->pos; break;
    case SEEK_END: base = m->size; break;
    default: return AVERROR(EINVAL);
    }
    /* base is within [0, size]; a position before the start, or one that
     * would overflow, is refused. Past the end is allowed (as lseek does):
     * the next read then reports the end. */
    if (offset < -base || offset > INT64_MAX - base)
        return AVERROR(EINVAL);
    m->pos = base + offset;
    return m->pos;
}

int fc_decoder_open_memory(struct fc_decoder **out, const void *data, size_t size, const char *name,
                           const struct fc_decoder_params *p, struct fc_error *err)
{
    struct fc_decoder_params defaults = fc_decoder_default_params();
    struct fc_decoder *d = NULL;
    uint8_t *io_buf = NULL;
    int rc = 0;

    if (!name || !*name)
        name = "(memory)";
    if (out)
        *out = NULL;
    if (!out || (!data && size > 0))
        return fc_error_set(err, FC_ERR_ARG, "fc_decoder_open_memory: no output or no data given");
    if (!p)
        p = &defaults;
    if ((rc = check_params(name, p, err)) < 0)
        return rc;
    if (size == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no data (0 bytes)", name);
    if (size > (size_t)INT64_MAX)
        return fc_error_set(err, FC_ERR_ARG, "%s: %zu bytes is too large", name, size);
    if ((rc = decoder_new(&d, name, p, err)) < 0)
        return rc;
    d->is_file = 1; /* a finite source of known size: the truncation checks apply */
    d->mem.data = data;
    d->mem.size = (int64_t)size;
    io_buf = av_malloc(FC_DEC_MEMORY_IO_BYTES);
    if (io_buf)
        d->mem_pb = avio_alloc_context(io_buf, FC_DEC_MEMORY_IO_BYTES, 0, &d->mem, memory_read,
                                       NULL, memory_seek);
    if (!d->mem_pb) {
        av_free(io_buf); /* the context owns it once it exists */
        fc_decoder_close(d);
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", name);
    }
    if ((rc = open_and_start(d, name, p, err)) < 0)
        return rc;
    *out = d;
    return 0;
}

const struct fc_video_info *fc_decoder_info(const struct fc_decoder *d)
{
    return d ? &d->info : NULL;
}

void fc_decoder_close(struct fc_decoder *d)
{
    if (!d)
        return;
    if (d->thread_started) {
        pthread_mutex_lock(&d->mu);
        atomic_store(&d->stop, 1);
        pthread_cond_broadcast(&d->not_full);
        pthread_cond_broadcast(&d->not_empty);
        pthread_mutex_unlock(&d->mu);
        pthread_join(d->thread, NULL);
    }
    if (d->ring)
        for (int i = 0; i < d->cap; i++)
            av_frame_free(&d->ring[i].f);
    if (d->shells)
        for (int i = 0; i < d->n_shells; i++)
            av_frame_free(&d->shells[i]);
    free(d->ring);
    free(d->shells);
    free(d->spare);
    av_frame_free(&d->work);
    av_packet_free(&d->pkt);
    avcodec_free_context(&d->dec);
    avformat_close_input(&d->fmt); /* leaves a caller's AVIOContext alone */
    if (d->mem_pb) {
        av_freep(&d->mem_pb->buffer); /* FFmpeg may have replaced the one we gave */
        avio_context_free(&d->mem_pb);
    }
    if (d->sync_ok) {
        pthread_cond_destroy(&d->not_empty);
        pthread_cond_destroy(&d->not_full);
        pthread_mutex_destroy(&d->mu);
    }
    free(d);
}
