/* formcheck batch: the worst rep's frame, as a still with the face hidden.
 *
 * A progress report shows the frame at the bottom of a session's worst rep
 * (the clinician's "this is what it looked like"). It is taken from the
 * video when the batch processes it, scaled down, and the face is
 * pixelated from the keypoints: the box around the nose, eyes and ears the
 * pose stage saw, grown by a margin; with none of them seen, the head's
 * place above the shoulders. With neither, no still is made (privacy
 * first). Kept as PNG (capture/png.h) in base64, ready for a data: URI.
 *
 *     char *png_base64;
 *     if (fc_still_from_video("squat.mp4", &track, rep->t_bottom_s, &png_base64, &err) == 0)
 *         ... <img src="data:image/png;base64,..."> ... free(png_base64);
 */
#ifndef FC_BATCH_STILL_H
#define FC_BATCH_STILL_H

#include <stdint.h>

#include "core/error.h"
#include "core/keypoints.h"

/* Pixelates the face of k (display pixels; the image is the frame scaled by
 * scale) in an RGB24 image. 1 when a face or head box was hidden, 0 when
 * neither the face's joints nor both shoulders were seen (image untouched). */
int fc_still_pixelate_face(uint8_t *rgb, int width, int height, int stride,
                           const struct fc_keypoints *k, double scale);

/* The frame of video at t_s (the first at or after it), at most
 * FC_STILL_WIDTH wide, face pixelated with track's keypoints nearest t_s, as
 * base64 PNG (caller frees). FC_ERR_EMPTY when no face or head could be
 * placed: no still then. */
#define FC_STILL_WIDTH 360
int fc_still_from_video(const char *video, const struct fc_pose_track *track, double t_s,
                        char **png_base64, struct fc_error *err);

#endif
