/* formcheck capture: demuxing and decoding in a thread, feeding a bounded
 * queue of decoded frames (see decoder.h for the contract).
 *
 * Frame ownership. All AVFrame shells are allocated at open and never
 * again: queue_frames ring slots, one work frame that the decoding thread
 * receives into, and max_held_frames shells for frames handed to the caller.
 * Moving a frame between them is av_frame_move_ref (pointer moves; the
 * pixels stay in the decoder's reference-counted buffers), so the per-frame
 * path allocates nothing beyond FFmpeg's own buffer pool.
 *
 * Locking. The mutex guards the ring, the spare shells, the end status and
 * the counters the caller can read. Everything else (the format and codec
 * contexts, the work frame, the timing state) belongs to the decoding
 * thread once it is started. */
#include "capture/decoder.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libavcodec/avcodec.h>
#ifdef FC_HAVE_AVDEVICE /* cameras and screens as inputs: link libavdevice */
#include <libavdevice/avdevice.h>
#endif
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>

struct slot {
    AVFrame *f;
    double t_s;
    double capture_s;
    int64_t index;
};

struct fc_decoder {
    char name[FC_ERROR_MSG_MAX / 2]; /* the url for messages, without credentials */
    int is_file;
    int drop_when_full, allow_truncated;
    int realtime;
    double read_timeout_s;
    const atomic_int *interrupt;

    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVStream *st;
    AVPacket *pkt;
    AVFrame *work;
    struct fc_video_info info;

    /* decoding-thread state */
    int flushing;      /* the decoder has been sent the end-of-stream packet */
    int truncated;     /* a short read at the end of the file was seen */
    int pending_rc;    /* an error to report once the decoder is drained */
    int pending_averr; /* the FFmpeg error behind it, when the decoder refused data */
    char pending_msg[FC_ERROR_MSG_MAX];
    int64_t start_pts; /* subtracted from every timestamp */
    int have_start;
    double last_t;     /* time of the previous frame */
    double last_pkt_t; /* time of the last packet read, for messages */
    int64_t n_frames;  /* frames produced so far */
    int64_t ts_fixes;
    double last_io_s;      /* when the source last gave data (read_timeout_s) */
    int64_t last_io_bytes; /* the input's byte count then */
    int timed_out;         /* the source was silent for read_timeout_s */
    double pace_wall0_s;   /* realtime: the wall-clock time of the first frame */
    double pace_t0_s;      /* and its timestamp */

    /* shared, under mu */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    pthread_t thread;
    int thread_started, sync_ok;
    struct slot *ring;
    int cap, head, count;
    AVFrame **shells; /* all max_held shells, freed at close */
    AVFrame **spare;  /* those not held by the caller */
    int n_shells, n_spare;
    int done, final_rc;
    char final_msg[FC_ERROR_MSG_MAX];
    char warning[FC_ERROR_MSG_MAX];
    int has_warning;
    struct fc_decoder_stats stats;

    atomic_int stop;
};

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

double fc_monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int interrupted(const struct fc_decoder *d)
{
    return d->interrupt && atomic_load(d->interrupt);
}

/* FFmpeg calls this while it waits for data: closing the decoder, the
 * caller's interrupt and a silent source all abandon the wait. */
static int interrupt_cb(void *opaque)
{
    struct fc_decoder *d = opaque;
    if (atomic_load(&d->stop) || interrupted(d))
        return 1;
    if (d->read_timeout_s <= 0)
        return 0;
    /* Bytes arriving while the stream is probed count as data too. */
    if (d->fmt && d->fmt->pb && d->fmt->pb->bytes_read != d->last_io_bytes) {
        d->last_io_bytes = d->fmt->pb->bytes_read;
        d->last_io_s = fc_monotonic_s();
    }
    if (fc_monotonic_s() - d->last_io_s > d->read_timeout_s) {
        d->timed_out = 1;
        return 1;
    }
    return 0;
}

static double stream_time(const struct fc_decoder *d, int64_t ts)
{
    if (ts == AV_NOPTS_VALUE)
        return NAN;
    int64_t start = 0;
    if (d->have_start)
        start = d->start_pts;
    else if (d->st->start_time != AV_NOPTS_VALUE)
        start = d->st->start_time;
    return (double)(ts - start) * av_q2d(d->st->time_base);
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

static int too_large(int w, int h)
{
    return w > FC_DECODER_MAX_SIDE || h > FC_DECODER_MAX_SIDE ||
           (long)w * (long)h > FC_DECODER_MAX_PIXELS;
}

static int size_error(const struct fc_decoder *d, int w, int h, struct fc_error *err)
{
    return fc_error_set(err, FC_ERR_UNSUPPORTED,
                        "%s: frame size %dx%d is too large (formcheck accepts at most %dx%d and "
                        "%ld Mpixel)",
                        d->name, w, h, FC_DECODER_MAX_SIDE, FC_DECODER_MAX_SIDE,
                        FC_DECODER_MAX_PIXELS / 1000000);
}

/* Whether the container's index points past the end of the file: the
 * file was cut at a packet boundary, so no short read shows it. */
static int index_past_end(const struct fc_decoder *d)
{
    if (!d->is_file || !d->fmt->pb)
        return 0;
    int64_t size = avio_size(d->fmt->pb);
    if (size <= 0)
        return 0;
    int n = avformat_index_get_entries_count(d->st);
    for (int i = n - 1; i >= 0 && i >= n - 64; i--) {
        const AVIndexEntry *e = avformat_index_get_entry(d->st, i);
        if (e && e->size > 0 && e->pos + e->size > size)
            return 1;
    }
    return 0;
}

static void set_pending(struct fc_decoder *d, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_pending(struct fc_decoder *d, int rc, const char *fmt, ...)
{
    if (d->pending_rc)
        return; /* the first problem is the one to report */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->pending_msg, sizeof d->pending_msg, fmt, ap);
    va_end(ap);
    d->pending_rc = rc;
}

static double problem_time(const struct fc_decoder *d)
{
    if (!isnan(d->last_pkt_t))
        return d->last_pkt_t;
    return d->n_frames ? d->last_t : 0.0;
}

static void start_flush(struct fc_decoder *d)
{
    if (!d->flushing) {
        avcodec_send_packet(d->dec, NULL);
        d->flushing = 1;
    }
}

/* How long the container says the video lasts, for spotting a cut file
 * that no index gives away (Matroska/WebM): the stream's own duration, or
 * the file's when the video is its only stream. 0 when unknown. */
static double promised_duration(const struct fc_decoder *d)
{
    if (d->st->duration != AV_NOPTS_VALUE && d->st->duration > 0)
        return (double)d->st->duration * av_q2d(d->st->time_base);
    int others = 0;
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if ((int)i != d->info.stream_index &&
            !(d->fmt->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC))
            others++;
    if (!others && d->fmt->duration != AV_NOPTS_VALUE && d->fmt->duration > 0)
        return (double)d->fmt->duration / AV_TIME_BASE;
    return 0;
}

/* The end of the stream after the decoder is drained: 1, or the error that
 * stopped it, or FC_ERR_FORMAT for a truncated file (see decoder.h). A file
 * counts as truncated when the last packet was cut short, when the
 * demuxer failed at the end of the file, when the container's index points
 * past the end of the file, or when the video stops well short (0.5 s and
 * 10%) of the duration the container states. */
static int end_of_stream(struct fc_decoder *d, struct fc_error *e)
{
    if (interrupted(d))
        return 1; /* asked to stop: whatever the file holds after is not wanted */
    if (d->timed_out) {
        pthread_mutex_lock(&d->mu);
        snprintf(d->warning, sizeof d->warning,
                 "%s: no data for %.1f s after %" PRId64 " frames: the source is taken as ended",
                 d->name, d->read_timeout_s, d->n_frames);
        d->has_warning = 1;
        pthread_mutex_unlock(&d->mu);
        return 1;
    }
    if (d->pending_rc)
        return fc_error_set(e, d->pending_rc, "%s", d->pending_msg);
    if (!d->is_file)
        return 1;
    double t_end = d->n_frames ? d->last_t : 0.0;
    double promised = promised_duration(d);
    double period = d->info.fps > 0 ? 1.0 / d->info.fps : 0.0;
    char why[160] = "";
    if (d->truncated || index_past_end(d)) {
        if (d->st->nb_frames > 0)
            snprintf(why, sizeof why, " of the %" PRId64 " the container lists", d->st->nb_frames);
    } else if (promised > 0 && promised - (t_end + period) > fmax(0.5, 0.1 * promised)) {
        snprintf(why, sizeof why, "; the container says the video lasts %.2f s", promised);
    } else {
        return 1;
    }
    struct fc_error msg;
    fc_error_set(&msg, FC_ERR_FORMAT,
                 "%s: file is truncated: the data stops at %.2f s after %" PRId64
                 " complete frames%s; the frames before it are usable",
                 d->name, t_end, d->n_frames, why);
    if (!d->allow_truncated || d->n_frames == 0)
        return fc_error_set(e, FC_ERR_TRUNCATED, "%s", msg.msg);
    pthread_mutex_lock(&d->mu);
    memcpy(d->warning, msg.msg, sizeof d->warning);
    d->has_warning = 1;
    pthread_mutex_unlock(&d->mu);
    return 1;
}

/* The frame's time: the stream's best-effort timestamp relative to the
 * stream start, so variable frame rates keep their real timing. A frame
 * without a timestamp, or one that does not move forward, gets the
 * previous time plus one nominal frame period. */
static double frame_time(struct fc_decoder *d, const AVFrame *f)
{
    int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (ts != AV_NOPTS_VALUE && !d->have_start) {
        d->start_pts = d->st->start_time != AV_NOPTS_VALUE ? d->st->start_time : ts;
        d->have_start = 1;
    }
    double t = stream_time(d, ts);
    if (d->n_frames > 0 && (isnan(t) || t <= d->last_t)) {
        t = d->last_t + 1.0 / (d->info.fps > 0 ? d->info.fps : 30.0);
        d->ts_fixes++;
    } else if (isnan(t)) {
        t = 0.0;
    }
    return t;
}

/* Decodes the next frame into d->work: 0 frame, 1 end, < 0 error. Only the
 * decoding thread (or fc_decoder_open before it starts) calls this. */
static int produce(struct fc_decoder *d, double *t_s, struct fc_error *e)
{
    for (;;) {
        int ret = avcodec_receive_frame(d->dec, d->work);
        if (ret == 0) {
            if (too_large(d->work->width, d->work->height)) {
                int rc = size_error(d, d->work->width, d->work->height, e);
                av_frame_unref(d->work);
                return rc;
            }
            *t_s = frame_time(d, d->work);
            d->last_t = *t_s;
            d->n_frames++;
            return 0;
        }
        if (ret == AVERROR_EOF)
            return end_of_stream(d, e);
        if (ret != AVERROR(EAGAIN)) {
            /* A frame failed to decode: stop there, but deliver what the
             * decoder still holds from before it. */
            if (d->pending_rc)
                return end_of_stream(d, e);
            set_pending(d, FC_ERR_FORMAT,
                        "%s: decoding stopped at %.2f s after %" PRId64 " frames: %s", d->name,
                        problem_time(d), d->n_frames, av_err2str(ret));
            d->pending_averr = ret;
            start_flush(d);
            continue;
        }
        if (d->flushing) /* EAGAIN while draining: a decoder bug; end here */
            return end_of_stream(d, e);
        if (atomic_load(&d->stop) || interrupted(d))
            return 1;

        ret = av_read_frame(d->fmt, d->pkt);
        if (ret >= 0)
            d->last_io_s = fc_monotonic_s();
        if (ret < 0) {
            int at_eof = d->is_file && d->fmt->pb && avio_feof(d->fmt->pb);
            if (ret == AVERROR_EXIT || d->timed_out || interrupted(d))
                ; /* stopped on purpose or silent: see end_of_stream */
            else if (ret != AVERROR_EOF && at_eof)
                d->truncated = 1; /* the demuxer choked on a cut last packet */
            else if (ret != AVERROR_EOF && ret != AVERROR_EXIT)
                set_pending(d, ret == AVERROR(EIO) ? FC_ERR_IO : FC_ERR_FORMAT,
                            "%s: reading stopped at %.2f s after %" PRId64 " frames: %s", d->name,
                            problem_time(d), d->n_frames, av_err2str(ret));
            start_flush(d);
            continue;
        }
        if (d->pkt->stream_index != d->info.stream_index) {
            av_packet_unref(d->pkt);
            continue;
        }
        double pt = stream_time(d, d->pkt->pts != AV_NOPTS_VALUE ? d->pkt->pts : d->pkt->dts);
        if (!isnan(pt))
            d->last_pkt_t = pt;
        /* A short read at the end of the file: the last packet was cut.
         * Feeding half a picture to the decoder only produces an error
         * about the symptom; report the cause instead. */
        if ((d->pkt->flags & AV_PKT_FLAG_CORRUPT) && d->is_file && d->fmt->pb &&
            avio_feof(d->fmt->pb)) {
            d->truncated = 1;
            av_packet_unref(d->pkt);
            start_flush(d);
            continue;
        }
        ret = avcodec_send_packet(d->dec, d->pkt);
        av_packet_unref(d->pkt);
        if (ret < 0 && ret != AVERROR(EAGAIN)) {
            set_pending(d, FC_ERR_FORMAT,
                        "%s: decoding stopped at %.2f s after %" PRId64 " frames: %s", d->name,
                        problem_time(d), d->n_frames, av_err2str(ret));
            d->pending_averr = ret;
            start_flush(d);
        }
    }
}

/* realtime: waits until the frame's moment on the wall clock (the first
 * frame sets the origin), in short slices so that close and interrupt stay
 * prompt. */
static void pace(struct fc_decoder *d, double t_s)
{
    if (!d->realtime)
        return;
    if (d->pace_wall0_s == 0) {
        d->pace_wall0_s = fc_monotonic_s();
        d->pace_t0_s = t_s;
        return;
    }
    for (;;) {
        double wait = d->pace_wall0_s + (t_s - d->pace_t0_s) - fc_monotonic_s();
        if (wait <= 0 || atomic_load(&d->stop) || interrupted(d))
            return;
        if (wait > 0.05)
            wait = 0.05;
        struct timespec ts = {0, (long)(wait * 1e9)};
        nanosleep(&ts, NULL);
    }
}

/* Moves d->work into the ring; the caller holds mu and has made room. */
static void push_work(struct fc_decoder *d, double t_s)
{
    struct slot *s = &d->ring[(d->head + d->count) % d->cap];
    av_frame_move_ref(s->f, d->work);
    s->t_s = t_s;
    s->capture_s = fc_monotonic_s();
    s->index = d->n_frames - 1;
    d->count++;
    d->stats.frames_decoded = d->n_frames;
    d->stats.timestamp_fixes = d->ts_fixes;
    pthread_cond_signal(&d->not_empty);
}

static void *decode_thread(void *arg)
{
    struct fc_decoder *d = arg;
    struct fc_error e = {0};
    for (;;) {
        double t_s = 0;
        int rc = produce(d, &t_s, &e);
        if (rc == 0)
            pace(d, t_s);
        pthread_mutex_lock(&d->mu);
        if (rc == 0 && !atomic_load(&d->stop)) {
            while (d->count == d->cap && !d->drop_when_full && !atomic_load(&d->stop))
                pthread_cond_wait(&d->not_full, &d->mu);
            if (!atomic_load(&d->stop)) {
                if (d->count == d->cap) { /* live: the oldest waiting frame is stale */
                    av_frame_unref(d->ring[d->head].f);
                    d->head = (d->head + 1) % d->cap;
                    d->count--;
                    d->stats.frames_dropped++;
                }
                push_work(d, t_s);
                pthread_mutex_unlock(&d->mu);
                continue;
            }
        }
        av_frame_unref(d->work);
        d->done = 1;
        d->final_rc = atomic_load(&d->stop) ? FC_ERR_ARG : rc;
        snprintf(d->final_msg, sizeof d->final_msg, "%s",
                 atomic_load(&d->stop) ? "decoder closed" : e.msg);
        pthread_cond_broadcast(&d->not_empty);
        pthread_mutex_unlock(&d->mu);
        return NULL;
    }
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
    if (interrupted(d))
        return fc_error_set(err, FC_ERR_IO, "%s: opening was interrupted", d->name);
    if (d->is_file) {
        unsigned char head[12] = {0};
        FILE *f = fopen(url, "rb");
        size_t got = f ? fread(head, 1, sizeof head, f) : 0;
        if (f)
            fclose(f);
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

int fc_decoder_open(struct fc_decoder **out, const char *url, const struct fc_decoder_params *p,
                    struct fc_error *err)
{
    struct fc_decoder_params defaults = fc_decoder_default_params();
    AVDictionary *opts = NULL, **stream_opts = NULL;
    const AVInputFormat *ifmt = NULL;
    const AVCodec *codec = NULL;
    int rc = 0, ret;

    if (!out || !url || !*url)
        return fc_error_set(err, FC_ERR_ARG, "fc_decoder_open: no output or no url given");
    *out = NULL;
    if (!p)
        p = &defaults;
    if (p->queue_frames < 1 || p->queue_frames > 1024 || p->max_held_frames < 1 ||
        p->max_held_frames > 1024 || p->threads < 0)
        return fc_error_set(err, FC_ERR_ARG,
                            "%s: decoder parameters out of range (queue_frames %d, "
                            "max_held_frames %d, threads %d)",
                            url, p->queue_frames, p->max_held_frames, p->threads);

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

    const char *path = url;
    if (!p->input_format && !is_url(url)) {
        d->is_file = 1;
        if (strncmp(url, "file://", 7) == 0)
            path = url + 7;
        else if (strncmp(url, "file:", 5) == 0)
            path = url + 5;
        struct stat sb;
        if (stat(path, &sb) != 0) {
            rc = fc_error_set(err, FC_ERR_IO, "%s: %s", d->name,
                              errno == ENOENT ? "no such file" : strerror(errno));
            goto fail;
        }
        if (S_ISDIR(sb.st_mode)) {
            rc = fc_error_set(err, FC_ERR_ARG, "%s: is a folder, not a video file", d->name);
            goto fail;
        }
        if (S_ISREG(sb.st_mode) && sb.st_size == 0) {
            rc = fc_error_set(err, FC_ERR_EMPTY, "%s: file is empty (0 bytes)", d->name);
            goto fail;
        }
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
    d->fmt->interrupt_callback.callback = interrupt_cb;
    d->fmt->interrupt_callback.opaque = d;
    d->last_io_s = fc_monotonic_s();
    ret = avformat_open_input(&d->fmt, d->is_file ? path : url, ifmt, &opts);
    if (ret < 0) {
        rc = open_failed(d, path, ret, err); /* d->fmt was freed and set to NULL */
        goto fail;
    }

    /* Refuse huge pictures before anything decodes one. */
    for (unsigned i = 0; i < d->fmt->nb_streams; i++) {
        const AVCodecParameters *par = d->fmt->streams[i]->codecpar;
        if (par->codec_type == AVMEDIA_TYPE_VIDEO && too_large(par->width, par->height)) {
            rc = size_error(d, par->width, par->height, err);
            goto fail;
        }
    }
    stream_opts = av_calloc(d->fmt->nb_streams ? d->fmt->nb_streams : 1, sizeof *stream_opts);
    if (!stream_opts) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
        goto fail;
    }
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        av_dict_set_int(&stream_opts[i], "max_pixels", FC_DECODER_MAX_PIXELS, 0);
    ret = avformat_find_stream_info(d->fmt, stream_opts);
    if (ret < 0) {
        rc = fc_error_set(err, FC_ERR_FORMAT, "%s: cannot read the stream information: %s", d->name,
                          av_err2str(ret));
        goto fail;
    }

    ret = av_find_best_stream(d->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (ret >= 0 && (d->fmt->streams[ret]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        ret = AVERROR_STREAM_NOT_FOUND; /* album art is not a video */
    if (ret < 0) {
        rc = no_video(d, ret, err);
        goto fail;
    }
    d->info.stream_index = ret;
    d->st = d->fmt->streams[ret];
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if ((int)i != ret)
            d->fmt->streams[i]->discard = AVDISCARD_ALL;
    if (too_large(d->st->codecpar->width, d->st->codecpar->height)) {
        rc = size_error(d, d->st->codecpar->width, d->st->codecpar->height, err);
        goto fail;
    }

    d->dec = avcodec_alloc_context3(codec);
    if (!d->dec) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
        goto fail;
    }
    ret = avcodec_parameters_to_context(d->dec, d->st->codecpar);
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
    if (ret < 0) {
        rc = fc_error_set(err, FC_ERR_UNSUPPORTED, "%s: cannot open the %s decoder: %s", d->name,
                          codec->name, av_err2str(ret));
        goto fail;
    }

    d->cap = p->queue_frames;
    d->n_shells = p->max_held_frames;
    d->ring = calloc((size_t)d->cap, sizeof *d->ring);
    d->shells = calloc((size_t)d->n_shells, sizeof *d->shells);
    d->spare = calloc((size_t)d->n_shells, sizeof *d->spare);
    if (!d->ring || !d->shells || !d->spare) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
        goto fail;
    }
    for (int i = 0; i < d->cap; i++)
        if (!(d->ring[i].f = av_frame_alloc())) {
            rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
            goto fail;
        }
    for (int i = 0; i < d->n_shells; i++) {
        if (!(d->shells[i] = av_frame_alloc())) {
            rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", d->name);
            goto fail;
        }
        d->spare[d->n_spare++] = d->shells[i];
    }

    /* Decode the first picture now: a stream with nothing decodable fails
     * here, and the info describes real decoded frames. */
    d->info.fps = av_q2d(d->st->avg_frame_rate) > 0 ? av_q2d(d->st->avg_frame_rate)
                                                    : av_q2d(d->st->r_frame_rate);
    double t0 = 0;
    struct fc_error first = {0};
    ret = produce(d, &t0, &first);
    if (ret != 0) {
        if (ret == 1)
            rc = fc_error_set(err, FC_ERR_EMPTY, "%s: video stream %d (%s) has 0 decodable frames",
                              d->name, d->info.stream_index, avcodec_get_name(codec->id));
        else if (first.code == FC_ERR_TRUNCATED)
            rc = fc_error_set(err, FC_ERR_TRUNCATED,
                              "%s: file is truncated before its first complete frame", d->name);
        else if (first.code == FC_ERR_FORMAT && d->pending_averr) /* the decoder refused it */
            rc = fc_error_set(
                err, FC_ERR_FORMAT, "%s: video stream %d (%s) has 0 decodable frames: %s", d->name,
                d->info.stream_index, avcodec_get_name(codec->id), av_err2str(d->pending_averr));
        else
            rc = fc_error_set(err, ret, "%s", first.msg);
        goto fail;
    }
    fill_info(d);
    pace(d, t0);
    push_work(d, t0);

    if (pthread_create(&d->thread, NULL, decode_thread, d) != 0) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: cannot start the decoding thread", d->name);
        goto fail;
    }
    d->thread_started = 1;
    av_dict_free(&opts);
    for (unsigned i = 0; d->fmt && i < d->fmt->nb_streams; i++)
        av_dict_free(&stream_opts[i]);
    av_freep(&stream_opts);
    *out = d;
    return 0;

fail:
    av_dict_free(&opts);
    if (stream_opts) {
        for (unsigned i = 0; d->fmt && i < d->fmt->nb_streams; i++)
            av_dict_free(&stream_opts[i]);
        av_freep(&stream_opts);
    }
    fc_decoder_close(d);
    return rc;
}

const struct fc_video_info *fc_decoder_info(const struct fc_decoder *d)
{
    return d ? &d->info : NULL;
}

int fc_decoder_next(struct fc_decoder *d, struct fc_frame *out, struct fc_error *err)
{
    if (!d || !out)
        return fc_error_set(err, FC_ERR_ARG, "fc_decoder_next: no decoder or no frame given");
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&d->mu);
    if (d->n_spare == 0) {
        pthread_mutex_unlock(&d->mu);
        return fc_error_set(err, FC_ERR_ARG,
                            "%s: the caller already holds %d frames; release one "
                            "(fc_frame_release) before asking for the next",
                            d->name, d->n_shells);
    }
    while (d->count == 0 && !d->done) {
        if (!d->interrupt) {
            pthread_cond_wait(&d->not_empty, &d->mu);
            continue;
        }
        /* A signal handler cannot wake a condition variable: look at the
         * interrupt every 50 ms. */
        if (atomic_load(d->interrupt)) {
            pthread_mutex_unlock(&d->mu);
            return 1;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 50000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&d->not_empty, &d->mu, &until);
    }
    if (d->count > 0) {
        struct slot *s = &d->ring[d->head];
        AVFrame *f = d->spare[--d->n_spare];
        av_frame_move_ref(f, s->f);
        out->t_s = s->t_s;
        out->capture_s = s->capture_s;
        out->index = s->index;
        d->head = (d->head + 1) % d->cap;
        d->count--;
        pthread_cond_signal(&d->not_full);
        pthread_mutex_unlock(&d->mu);
        int rot = d->info.rotation_deg;
        int swap = rot == 90 || rot == 270;
        out->width = swap ? f->height : f->width;
        out->height = swap ? f->width : f->height;
        out->rotation_deg = rot;
        out->av_frame = f;
        out->owner = d;
        return 0;
    }
    int rc = d->final_rc;
    if (rc < 0)
        fc_error_set(err, rc, "%s", d->final_msg);
    pthread_mutex_unlock(&d->mu);
    return rc;
}

void fc_frame_release(struct fc_frame *f)
{
    if (!f || !f->owner || !f->av_frame)
        return;
    struct fc_decoder *d = f->owner;
    AVFrame *af = f->av_frame;
    av_frame_unref(af);
    pthread_mutex_lock(&d->mu);
    if (d->n_spare < d->n_shells)
        d->spare[d->n_spare++] = af;
    pthread_mutex_unlock(&d->mu);
    memset(f, 0, sizeof *f);
}

void fc_decoder_get_stats(struct fc_decoder *d, struct fc_decoder_stats *s)
{
    if (!s)
        return;
    memset(s, 0, sizeof *s);
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    *s = d->stats;
    pthread_mutex_unlock(&d->mu);
}

const char *fc_decoder_warning(struct fc_decoder *d)
{
    if (!d)
        return NULL;
    pthread_mutex_lock(&d->mu);
    const char *w = d->has_warning ? d->warning : NULL;
    pthread_mutex_unlock(&d->mu);
    return w;
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
    avformat_close_input(&d->fmt);
    if (d->sync_ok) {
        pthread_cond_destroy(&d->not_empty);
        pthread_cond_destroy(&d->not_full);
        pthread_mutex_destroy(&d->mu);
    }
    free(d);
}
