/* formcheck capture: one packed RGB picture to a JPEG in memory (FFmpeg's
 * MJPEG encoder), for stills embedded in a report.
 *
 *     uint8_t *jpg;
 *     size_t n;
 *     if (fc_jpeg_encode_rgb(rgb, 480, 270, 480 * 3, FC_JPEG_DEFAULT_QUALITY, &jpg, &n,
 *                            &err) < 0) ...;
 *     fwrite(jpg, 1, n, f);
 *     free(jpg);
 *
 * Baseline JPEG, 4:2:0, full-range BT.601 YCbCr (JFIF), which every
 * browser and image viewer shows. */
#ifndef FC_CAPTURE_JPEG_H
#define FC_CAPTURE_JPEG_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* 2..31, FFmpeg's MJPEG quantiser scale (lower is better). 4 keeps thin
 * drawn lines and small text crisp at about 30-60 KB for a 480-pixel-wide
 * frame: small enough to embed a dozen in one page. */
#define FC_JPEG_DEFAULT_QUALITY 4

/* Encodes width x height RGB24 pixels (rows stride bytes apart; width and
 * height from 1 to 8192) into *out (malloc'ed, caller frees), *size bytes.
 * FC_ERR_ARG for a bad size, FC_ERR_UNSUPPORTED when this FFmpeg has no
 * MJPEG encoder, FC_ERR_NOMEM. */
int fc_jpeg_encode_rgb(const uint8_t *rgb, int width, int height, int stride, int quality,
                       uint8_t **out, size_t *size, struct fc_error *err);

#endif
