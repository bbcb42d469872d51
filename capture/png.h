/* formcheck capture: one RGB picture as PNG, with FFmpeg's PNG encoder
 * (a still for a report: a batch's worst-rep frame).
 *
 *     uint8_t *png;
 *     size_t len;
 *     if (fc_png_encode_rgb(rgb, 320, 180, 320 * 3, &png, &len, &err) < 0) ...;
 *     ... free(png);
 */
#ifndef FC_CAPTURE_PNG_H
#define FC_CAPTURE_PNG_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* rgb: height rows of width RGB24 pixels, stride bytes apart. *png (caller
 * frees) gets the file's bytes. */
int fc_png_encode_rgb(const uint8_t *rgb, int width, int height, int stride, uint8_t **png,
                      size_t *len, struct fc_error *err);

#endif
