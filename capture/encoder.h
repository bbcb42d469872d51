/* formcheck capture: packed RGB frames in, a video file out (FFmpeg).
 *
 *     struct fc_encoder *e;
 *     struct fc_error err = {0};
 *     struct fc_encoder_params p = fc_encoder_default_params();
 *     p.fps = 25;
 *     if (fc_encoder_open(&e, "out.mp4", 640, 360, &p, &err) < 0) { puts(err.msg); return 1; }
 *     for (each frame i) {
 *         if (fc_encoder_write_rgb(e, rgb, 640 * 3, t_s[i], &err) < 0) {
 *             fc_encoder_abort(e);             // removes the partial file
 *             ...
 *         }
 *     }
 *     if (fc_encoder_close(e, &err) < 0) puts(err.msg);   // flush, trailer, rename
 *
 * H.264 through libx264 when this FFmpeg has it, else MPEG-4 Part 2 (the
 * encoder every FFmpeg build carries); 4:2:0 YUV with BT.709 limited-range
 * levels, tagged as such. The container is chosen from the file name's
 * extension (.mp4, .mov, .mkv, ...; MP4 when the name says nothing).
 *
 * Frame times: each frame keeps the time it is given (t_s, seconds, rising)
 * to within 1/60000 s, so a variable-frame-rate input comes out with its
 * own timing; the nominal rate (params.fps) only guides the encoder's rate
 * control and gives the last frame its duration.
 *
 * The output is written to a temporary file beside the target and renamed
 * into place by fc_encoder_close (core/outfile.h): the file is complete or
 * absent, never half-written. */
#ifndef FC_CAPTURE_ENCODER_H
#define FC_CAPTURE_ENCODER_H

#include <stdint.h>

#include "core/error.h"

struct fc_encoder;

struct fc_encoder_params {
    double fps;         /* nominal frame rate (30) */
    const char *codec;  /* FFmpeg encoder name, e.g. "mpeg4"; NULL: libx264 when
                           available, else mpeg4 (NULL) */
    int crf;            /* libx264 constant-rate factor, 0..51, lower is better (20);
                           mpeg4 uses a fixed quantiser of about the same quality */
    const char *preset; /* libx264 speed preset ("veryfast") */
    int threads;        /* encoder threads; 0 = FFmpeg's choice (0) */
};

struct fc_encoder_params fc_encoder_default_params(void);

/* Opens path for frames of width x height (both even: 4:2:0 halves them).
 * Errors name the file: FC_ERR_IO when it cannot be created,
 * FC_ERR_UNSUPPORTED when the container cannot hold the codec or the codec
 * is missing, FC_ERR_ARG for a bad size. */
int fc_encoder_open(struct fc_encoder **out, const char *path, int width, int height,
                    const struct fc_encoder_params *p, struct fc_error *err);

/* Encodes one frame of packed RGB24 (rows stride bytes apart) shown at t_s
 * seconds. A time that does not move forward is set 1/60000 s after the
 * previous one. On error the encoder can only be aborted. */
int fc_encoder_write_rgb(struct fc_encoder *e, const uint8_t *rgb, int stride, double t_s,
                         struct fc_error *err);

/* Flushes the encoder, writes the container's index and renames the file
 * into place; frees e in all cases. On error the temporary file is removed
 * and nothing is left at path. */
int fc_encoder_close(struct fc_encoder *e, struct fc_error *err);

/* Stops, frees e and removes the temporary file; path is left untouched.
 * NULL is ignored. */
void fc_encoder_abort(struct fc_encoder *e);

/* "libx264" or "mpeg4": the encoder in use, for reports. */
const char *fc_encoder_codec_name(const struct fc_encoder *e);

/* Frames written so far. */
long fc_encoder_frames(const struct fc_encoder *e);

#endif
