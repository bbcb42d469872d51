/* formcheck pipeline: a window on the screen that shows RGB pictures (the
 * live view).
 *
 *     if (fc_window_display_available()) {
 *         struct fc_window *w;
 *         if (fc_window_open(&w, "formcheck live", &err) == 0) {
 *             int key;
 *             fc_window_show(w, rgb, width, height, 3 * width, &key, &err);
 *             if (key == 'q' || key == 27) ...   // also 27 when the window was closed
 *             fc_window_close(w);
 *         }
 *     }
 *
 * Implemented with OpenCV's highgui in pipeline/window_opencv.cpp, one of
 * the project's two thin C++ files (with pose/dnn_opencv.cpp). It lives in
 * pipeline/ beside the live session, its one user. Nothing here knows
 * about poses. One window
 * belongs to one thread (the one that opened it). */
#ifndef FC_PIPELINE_WINDOW_H
#define FC_PIPELINE_WINDOW_H

#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when a display is named in the environment: $DISPLAY, $WAYLAND_DISPLAY,
 * or $QT_QPA_PLATFORM (a Qt platform such as "offscreen", for OpenCV built
 * on Qt); without one no window can open. */
int fc_window_display_available(void);

struct fc_window; /* opaque */

/* Opens a resizable window titled title. FC_ERR_UNSUPPORTED when this
 * OpenCV has no GUI backend or the display cannot be reached. */
int fc_window_open(struct fc_window **out, const char *title, struct fc_error *err);

/* Shows a packed RGB24 picture (rows stride bytes apart) and handles the
 * window's events for 1 ms. *key gets the key pressed (0..255), 27 (Esc)
 * when the window was closed, -1 for none. Allocates only when the picture
 * size changes. */
int fc_window_show(struct fc_window *w, const uint8_t *rgb, int width, int height, int stride,
                   int *key, struct fc_error *err);

void fc_window_close(struct fc_window *w);

#ifdef __cplusplus
}
#endif

#endif
