// formcheck: the OpenCV implementation of pipeline/window.h, the live view's
// window (OpenCV highgui).
//
// The second of the two thin C++ files (with pose/dnn_opencv.cpp): it holds
// no logic of its own, forwards to OpenCV and turns every exception into an
// fc_error. No exception ever crosses into C.

extern "C" {
#include "core/error.h"
}

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <opencv2/highgui.hpp>

#include "pipeline/window.h"

struct fc_window {
    std::string title;
    cv::Mat bgr; // reused while the picture size stays the same
};

extern "C" int fc_window_display_available(void)
{
    // QT_QPA_PLATFORM names a Qt platform that needs no X or Wayland server
    // (offscreen, vnc, eglfs) when OpenCV's GUI is built on Qt.
    const char *x = std::getenv("DISPLAY");
    const char *w = std::getenv("WAYLAND_DISPLAY");
    const char *q = std::getenv("QT_QPA_PLATFORM");
    return (x && *x) || (w && *w) || (q && *q);
}

extern "C" int fc_window_open(struct fc_window **out, const char *title, struct fc_error *err)
{
    *out = nullptr;
    if (!fc_window_display_available())
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "no display ($DISPLAY, $WAYLAND_DISPLAY and $QT_QPA_PLATFORM are "
                            "not set)");
    fc_window *w = new (std::nothrow) fc_window;
    if (!w)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for a window");
    try {
        w->title = title ? title : "formcheck";
        cv::namedWindow(w->title, cv::WINDOW_NORMAL | cv::WINDOW_KEEPRATIO);
    } catch (const cv::Exception &e) {
        delete w;
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "cannot open a window: %s", e.what());
    }
    *out = w;
    return 0;
}

extern "C" int fc_window_show(struct fc_window *w, const uint8_t *rgb, int width, int height,
                              int stride, int *key, struct fc_error *err)
{
    *key = -1;
    try {
        cv::Mat src(height, width, CV_8UC3, const_cast<uint8_t *>(rgb), (size_t)stride);
        cv::cvtColor(src, w->bgr, cv::COLOR_RGB2BGR);
        cv::imshow(w->title, w->bgr);
        int k = cv::waitKey(1);
        if (k >= 0)
            *key = k & 0xff;
        else if (cv::getWindowProperty(w->title, cv::WND_PROP_VISIBLE) < 1)
            *key = 27; // closed with the mouse
    } catch (const cv::Exception &e) {
        return fc_error_set(err, FC_ERR_IO, "window '%s': %s", w->title.c_str(), e.what());
    }
    return 0;
}

extern "C" void fc_window_close(struct fc_window *w)
{
    if (!w)
        return;
    try {
        cv::destroyWindow(w->title);
        cv::waitKey(1);
    } catch (const cv::Exception &) {
        // the window is gone already
    }
    delete w;
}
