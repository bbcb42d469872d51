/* formcheck capture: the decoder's state, shared by its two halves; not
 * part of the public API (that is decoder.h).
 *
 * capture/decoder.c opens a source (checks, probing, the codec, the queue,
 * the first picture) and closes it; capture/decoder_thread.c is the
 * decoding thread and the caller's side of the queue it fills
 * (fc_decoder_next, fc_frame_release). The functions below are the
 * seams between the two files.
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
#ifndef FC_CAPTURE_DECODER_INTERNAL_H
#define FC_CAPTURE_DECODER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "capture/decoder.h"

struct fc_decoder_slot {
    AVFrame *f;
    double t_s;
    double capture_s;
    int64_t index;
};

/* The bytes fc_decoder_open_memory reads (the caller's, not copied) and
 * the read position of its AVIOContext. */
struct fc_dec_memory {
    const uint8_t *data;
    int64_t size;
    int64_t pos;
};

struct fc_decoder {
    char name[FC_ERROR_MSG_MAX / 2]; /* the url for messages, without credentials */
    int is_file;                     /* a finite source of known size: a file, or memory */
    struct fc_dec_memory mem;        /* fc_decoder_open_memory: the bytes */
    AVIOContext *mem_pb;             /* and the I/O context over them (NULL otherwise) */
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
    struct fc_decoder_slot *ring;
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

/* 1 when the frame size is over the limits of decoder.h. */
int fc_dec_too_large(int w, int h);
/* FC_ERR_UNSUPPORTED for a picture of w x h, naming the limits. */
int fc_dec_size_error(const struct fc_decoder *d, int w, int h, struct fc_error *err);
/* Why the decoder failed with averr, in words for a message (names memory
 * when that ran out, which FFmpeg's decoders often report as a bare -1). */
const char *fc_dec_error_text(const struct fc_decoder *d, int averr, char *buf, size_t len);
/* 1 when the caller's interrupt is set. */
int fc_dec_interrupted(const struct fc_decoder *d);
/* FFmpeg's interrupt callback (opaque: the decoder). */
int fc_dec_interrupt_cb(void *opaque);
/* Decodes the next frame into d->work: 0 frame (*t_s its time), 1 end,
 * < 0 error. Only the decoding thread (or fc_decoder_open before it
 * starts) calls this. */
int fc_dec_produce(struct fc_decoder *d, double *t_s, struct fc_error *e);
/* realtime: waits until the frame's moment on the wall clock. */
void fc_dec_pace(struct fc_decoder *d, double t_s);
/* Moves d->work into the ring; the caller holds mu (or the thread has not
 * started) and has made room. */
void fc_dec_push_work(struct fc_decoder *d, double t_s);
/* The decoding thread (arg: the decoder). */
void *fc_dec_thread(void *arg);

#endif
