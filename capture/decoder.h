/* formcheck capture: decoded video frames from a file, URL or camera (FFmpeg).
 *
 *     struct fc_decoder *d;
 *     struct fc_error err = {0};
 *     struct fc_decoder_params p = fc_decoder_default_params();
 *     if (fc_decoder_open(&d, "squat.mov", &p, &err) < 0) { puts(err.msg); return 1; }
 *     const struct fc_video_info *vi = fc_decoder_info(d);   // upright size, fps, ...
 *     struct fc_scaler *sc = fc_scaler_new();
 *     double x, y, w, h;
 *     fc_letterbox_region(vi->width, vi->height, &x, &y, &w, &h);
 *     uint8_t rgb[192 * 192 * 3];
 *     struct fc_frame f;
 *     int rc;
 *     while ((rc = fc_decoder_next(d, &f, &err)) == 0) {
 *         fc_frame_to_rgb(&f, x, y, w, h, 192, 192, rgb, 192 * 3, sc, &err);
 *         ... f.t_s is the frame's time in seconds ...
 *         fc_frame_release(&f);
 *     }
 *     if (rc < 0) puts(err.msg);   // "squat.mov: file is truncated: ..."
 *     fc_scaler_free(sc);
 *     fc_decoder_close(d);
 *
 * Decoding runs in its own thread and fills a bounded queue of decoded
 * frames (references to FFmpeg's frame buffers, never copies of pixels);
 * fc_decoder_next takes the oldest. Every frame is described in DISPLAY
 * coordinates: a portrait phone video whose container says "rotate 90" comes
 * out upright, with width and height swapped, and fc_frame_to_rgb applies
 * the rotation while it converts. Times come from the stream's timestamps,
 * so variable-frame-rate video keeps its real timing.
 *
 * How a stream ends (the return value of fc_decoder_next after the last
 * frame):
 *   1            the stream ended normally.
 *   FC_ERR_TRUNCATED "file is truncated": the container promised more than the
 *                file holds (a cut download, a recording that was not
 *                finished). Every frame before the cut has already been
 *                delivered and is usable; the error says where the data
 *                stops. With params.allow_truncated the stream ends with 1
 *                instead and the same text is in fc_decoder_warning().
 *                Seen as: the last packet cut short; the demuxer failing at
 *                the end of the file; an index (MP4/MOV) pointing past the
 *                end; or the video stopping 0.5 s and 10% short of the
 *                duration the container states (how a cut WebM/MKV shows).
 *                A cut MP4/MOV whose index was to be written at the end has
 *                no index at all: fc_decoder_open fails ("no 'moov' box").
 *   other < 0    decoding or reading failed part-way ("decoding stopped at
 *                3.4 s: ..."); the frames before it were delivered.
 * Every later call returns the same result again.
 *
 * Live sources. A camera or network stream must never make its reader fall
 * behind: queue_frames = 1 with drop_when_full keeps only the newest frame
 * (every older one is dropped and counted). realtime paces a file to its
 * own timestamps, so that it stands in for a camera. read_timeout_s ends a
 * source that stops sending (a camera unplugged, a network stream gone
 * silent) with 1 and a warning instead of waiting for ever; interrupt lets
 * another thread or a signal handler end the stream the same way. Each
 * frame carries capture_s, the moment the decoding thread queued it, so
 * that a live reader can measure its latency from capture to feedback.
 *
 * Threads: one decoder is used from one thread at a time; different
 * decoders are independent. A struct fc_scaler belongs to one thread.
 */
#ifndef FC_CAPTURE_DECODER_H
#define FC_CAPTURE_DECODER_H

#include <stdatomic.h>
#include <stdint.h>

#include "core/error.h"

/* Largest frame formcheck accepts: either side, and the pixel count. */
#define FC_DECODER_MAX_SIDE 8192
#define FC_DECODER_MAX_PIXELS 40000000L

struct fc_decoder;

struct fc_decoder_params {
    int queue_frames;            /* decoded frames buffered ahead of the reader (8) */
    int max_held_frames;         /* frames the caller may hold unreleased at once (2) */
    int threads;                 /* codec threads; 0 = FFmpeg's choice, about one per core (0) */
    int drop_when_full;          /* live sources: when the queue is full, drop the oldest
                                    queued frame instead of waiting, and count it (0) */
    int allow_truncated;         /* a truncated file ends with 1 and a warning (0: error) */
    const char *input_format;    /* FFmpeg input format, e.g. "v4l2" for a webcam
                                    (devices need a build with FC_HAVE_AVDEVICE);
                                    NULL: detect from the content (NULL) */
    const char *input_options;   /* "key=value:key=value" for the input, e.g.
                                    "video_size=1280x720:framerate=30" (NULL) */
    int realtime;                /* deliver frames no faster than their timestamps, as a
                                    camera would: a file played at its real pace (0) */
    double read_timeout_s;       /* > 0: a source that gives no data for this long (also
                                    while opening) ends with 1 and a warning; 0: wait (0) */
    const atomic_int *interrupt; /* when it becomes non-zero, blocking reads stop and
                                    the stream ends with 1 (signal-safe to set) (NULL) */
    int fast;                    /* a quick look over a clip: frames no other frame refers to
                                    are skipped (not delivered), the in-loop deblocking filter
                                    is off and the codec may take shortcuts; pictures come out
                                    slightly softer (0) */
};

struct fc_decoder_params fc_decoder_default_params(void);

struct fc_video_info {
    int width, height;             /* display size: after rotation */
    int coded_width, coded_height; /* as stored in the stream */
    int rotation_deg;              /* 0/90/180/270: clockwise turn from stored to display */
    char codec[32];                /* "h264", "hevc", "mpeg4", "vp9", ... */
    char pix_fmt[32];              /* pixel format of the decoded frames, "yuv420p", ... */
    char container[64];            /* "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", ... */
    int full_range;                /* 1: full-range (JPEG, "pc") levels, 0: limited ("tv") */
    int stream_index;              /* the video stream chosen */
    double fps;                    /* nominal frame rate (average when the container gives it) */
    double duration_s;             /* 0 when unknown (live sources) */
    int64_t frame_count_est;       /* from the container, or duration x fps; 0 unknown */
    int vfr; /* 1: the container's average rate differs from its base rate (MP4/MOV
                say so; Matroska does not); the frame times are right either way */
};

/* A decoded frame: plain data plus an opaque reference to FFmpeg's frame.
 * Valid until fc_frame_release; release every frame before
 * fc_decoder_close. */
struct fc_frame {
    double t_s;        /* presentation time in seconds from the start of the stream */
    int64_t index;     /* 0, 1, 2, ... in decoding order (gaps = dropped frames) */
    int width, height; /* display size (after rotation) */
    int rotation_deg;  /* clockwise turn from the stored picture to display */
    double capture_s;  /* fc_monotonic_s() when the decoding thread queued the frame */
    void *av_frame;    /* the AVFrame (stored orientation), for FFmpeg-aware code */
    void *owner;       /* private */
};

/* Opens url (a path, a URL FFmpeg reads, or a device with input_format),
 * chooses the best video stream and decodes its first frame before
 * returning, so that a file with no decodable picture fails here. */
int fc_decoder_open(struct fc_decoder **out, const char *url, const struct fc_decoder_params *p,
                    struct fc_error *err);
/* The same for a video held in memory (size bytes at data: a fuzzer's
 * input, a clip received over a socket): read through an AVIOContext over
 * the bytes, seekable, with the checks for a truncated file as on disk.
 * The bytes are not copied: they must stay unchanged until
 * fc_decoder_close. name is for messages and hints the container by its
 * extension ("clip.mp4"); NULL gives "(memory)". */
int fc_decoder_open_memory(struct fc_decoder **out, const void *data, size_t size, const char *name,
                           const struct fc_decoder_params *p, struct fc_error *err);
const struct fc_video_info *fc_decoder_info(const struct fc_decoder *d);
/* Blocks until the next frame (0), the end (1) or an error (< 0). Returns
 * FC_ERR_ARG when the caller already holds max_held_frames frames. */
int fc_decoder_next(struct fc_decoder *d, struct fc_frame *out, struct fc_error *err);
/* Gives the frame back to its decoder; a zeroed or released frame is ignored. */
void fc_frame_release(struct fc_frame *f);
/* Stops the decoding thread (also when it waits for queue space or for the
 * network) and frees everything. NULL is ignored. */
void fc_decoder_close(struct fc_decoder *d);

struct fc_decoder_stats {
    int64_t frames_decoded;  /* frames that came out of the decoder */
    int64_t frames_dropped;  /* dropped because the queue was full (drop_when_full) */
    int64_t timestamp_fixes; /* frames without a usable increasing timestamp, given
                                the previous time + 1/fps */
};
void fc_decoder_get_stats(struct fc_decoder *d, struct fc_decoder_stats *s);
/* A message about the stream that did not stop it (allow_truncated, a
 * source silent for read_timeout_s), or NULL. */
const char *fc_decoder_warning(struct fc_decoder *d);

/* Seconds on the monotonic clock (CLOCK_MONOTONIC), the clock of capture_s. */
double fc_monotonic_s(void);

/* Conversion to packed RGB ---------------------------------------------- */

struct fc_scaler; /* cached FFmpeg scaling context and a small work buffer */
struct fc_scaler *fc_scaler_new(void);
void fc_scaler_free(struct fc_scaler *s);

/* Converts the region (x, y, w, h) of the frame, in display coordinates
 * (pixels of the upright picture, x right, y down), to dst_w x dst_h packed
 * RGB24 at dst (rows dst_stride bytes apart), in one scaling step from the
 * decoded picture. The region may reach outside the picture: that part is
 * black (a letterbox, or a pose crop beyond the frame edge). The whole frame
 * is (0, 0, width, height). s may be NULL (a temporary scaler is used). */
int fc_frame_to_rgb(const struct fc_frame *f, double x, double y, double w, double h, int dst_w,
                    int dst_h, uint8_t *dst, int dst_stride, struct fc_scaler *s,
                    struct fc_error *err);

/* The centred square region that holds the whole width x height picture:
 * what a square model input fed with the full frame sees (black bars on
 * the short side). */
void fc_letterbox_region(int width, int height, double *x, double *y, double *w, double *h);

#endif
