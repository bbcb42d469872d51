/* formcheck capture: the decoding thread and the caller's side of the
 * queue it fills (see decoder.h for the contract, decoder_internal.h for
 * the shared state and its locking). Reading packets, decoding them, timing
 * the frames, spotting a truncated file at the end of the stream, pacing a
 * file at its real rate, and handing frames to the caller. */
#include "capture/decoder_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavutil/imgutils.h>

int fc_dec_too_large(int w, int h)
{
    return w > FC_DECODER_MAX_SIDE || h > FC_DECODER_MAX_SIDE ||
           (long)w * (long)h > FC_DECODER_MAX_PIXELS;
}

int fc_dec_size_error(const struct fc_decoder *d, int w, int h, struct fc_error *err)
{
    return fc_error_set(err, FC_ERR_UNSUPPORTED,
                        "%s: frame size %dx%d is too large (formcheck accepts at most %dx%d and "
                        "%ld Mpixel)",
                        d->name, w, h, FC_DECODER_MAX_SIDE, FC_DECODER_MAX_SIDE,
                        FC_DECODER_MAX_PIXELS / 1000000);
}

double fc_monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int fc_dec_interrupted(const struct fc_decoder *d)
{
    return d->interrupt && atomic_load(d->interrupt);
}

/* FFmpeg calls this while it waits for data: closing the decoder, the
 * caller's interrupt and a silent source all abandon the wait. */
int fc_dec_interrupt_cb(void *opaque)
{
    struct fc_decoder *d = opaque;
    if (atomic_load(&d->stop) || fc_dec_interrupted(d))
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

/* Why the decoder refused a packet or a frame, in words. FFmpeg's decoders
 * often report a failed allocation as a bare -1, which av_err2str calls
 * "Operation not permitted": when one more picture of the stream's size
 * cannot be allocated now, memory is the reason and is named. */
const char *fc_dec_error_text(const struct fc_decoder *d, int averr, char *buf, size_t len)
{
    int w = d->dec ? d->dec->width : 0, h = d->dec ? d->dec->height : 0;
    int bytes = w > 0 && h > 0 && d->dec->pix_fmt != AV_PIX_FMT_NONE
                    ? av_image_get_buffer_size(d->dec->pix_fmt, w, h, 1)
                    : 0;
    int no_room = averr == AVERROR(ENOMEM);
    if (!no_room && bytes > 0) {
        void *probe = malloc((size_t)bytes);
        no_room = probe == NULL;
        free(probe);
    }
    if (no_room && bytes > 0)
        snprintf(buf, len, "out of memory (one %dx%d picture takes %.0f MB)", w, h, bytes / 1e6);
    else if (no_room)
        snprintf(buf, len, "out of memory");
    else
        snprintf(buf, len, "%s", av_err2str(averr));
    return buf;
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
    if (fc_dec_interrupted(d))
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
int fc_dec_produce(struct fc_decoder *d, double *t_s, struct fc_error *e)
{
    for (;;) {
        int ret = avcodec_receive_frame(d->dec, d->work);
        if (ret == 0) {
            if (fc_dec_too_large(d->work->width, d->work->height)) {
                int rc = fc_dec_size_error(d, d->work->width, d->work->height, e);
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
            char why[128];
            set_pending(d, FC_ERR_FORMAT,
                        "%s: decoding stopped at %.2f s after %" PRId64 " frames: %s", d->name,
                        problem_time(d), d->n_frames, fc_dec_error_text(d, ret, why, sizeof why));
            d->pending_averr = ret;
            start_flush(d);
            continue;
        }
        if (d->flushing) /* EAGAIN while draining: a decoder bug; end here */
            return end_of_stream(d, e);
        if (atomic_load(&d->stop) || fc_dec_interrupted(d))
            return 1;

        ret = av_read_frame(d->fmt, d->pkt);
        if (ret >= 0)
            d->last_io_s = fc_monotonic_s();
        if (ret < 0) {
            int at_eof = d->is_file && d->fmt->pb && avio_feof(d->fmt->pb);
            if (ret == AVERROR_EXIT || d->timed_out || fc_dec_interrupted(d))
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
            char why[128];
            set_pending(d, FC_ERR_FORMAT,
                        "%s: decoding stopped at %.2f s after %" PRId64 " frames: %s", d->name,
                        problem_time(d), d->n_frames, fc_dec_error_text(d, ret, why, sizeof why));
            d->pending_averr = ret;
            start_flush(d);
        }
    }
}

/* realtime: waits until the frame's moment on the wall clock (the first
 * frame sets the origin), in short slices so that close and interrupt stay
 * prompt. */
void fc_dec_pace(struct fc_decoder *d, double t_s)
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
        if (wait <= 0 || atomic_load(&d->stop) || fc_dec_interrupted(d))
            return;
        if (wait > 0.05)
            wait = 0.05;
        struct timespec ts = {0, (long)(wait * 1e9)};
        nanosleep(&ts, NULL);
    }
}

/* Moves d->work into the ring; the caller holds mu and has made room. */
void fc_dec_push_work(struct fc_decoder *d, double t_s)
{
    struct fc_decoder_slot *s = &d->ring[(d->head + d->count) % d->cap];
    av_frame_move_ref(s->f, d->work);
    s->t_s = t_s;
    s->capture_s = fc_monotonic_s();
    s->index = d->n_frames - 1;
    d->count++;
    d->stats.frames_decoded = d->n_frames;
    d->stats.timestamp_fixes = d->ts_fixes;
    pthread_cond_signal(&d->not_empty);
}

void *fc_dec_thread(void *arg)
{
    struct fc_decoder *d = arg;
    struct fc_error e = {0};
    for (;;) {
        double t_s = 0;
        int rc = fc_dec_produce(d, &t_s, &e);
        if (rc == 0)
            fc_dec_pace(d, t_s);
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
                fc_dec_push_work(d, t_s);
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
        struct fc_decoder_slot *s = &d->ring[d->head];
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
