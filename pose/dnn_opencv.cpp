// formcheck: the OpenCV implementation of pose/dnn.h (through
// pose/dnn_backends.h; pose/dnn.c picks the runtime).
//
// OpenCV 4 has no C API, so this thin C++ file gives the C code access to
// its DNN module (and, for tests and benchmarks, to its image reader). With
// pipeline/window_opencv.cpp it is the only C++ in the project; it holds no
// logic of its own: every function forwards to OpenCV and turns each
// exception into an fc_error naming the model file. No exception ever
// crosses into C.

extern "C" {
#include "core/error.h"
}
#include "pose/dnn_backends.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

struct fc_dnn_opencv {
    cv::dnn::Net net;
    std::string path;
    std::string runtime;
    std::vector<cv::String> out_names; // what forward computes, in output order
    std::vector<cv::Mat> outs;         // views of the last run's outputs (OpenCV-owned)
    bool ran = false;
    std::vector<std::string> layer_names, layer_types; // for fc_dnn_profile
    std::vector<double> layer_ticks;
};

namespace
{

// OpenCV's own message without the source file and line it adds in what().
int cv_fail(struct fc_error *err, const std::string &path, const char *doing,
            const cv::Exception &e)
{
    std::string msg = e.err.empty() ? std::string(e.what()) : e.err;
    // OpenCV messages can run over several lines; keep the error one line.
    for (char &c : msg)
        if (c == '\n' || c == '\r')
            c = ' ';
    return fc_error_set(err, FC_ERR_FORMAT, "%s: OpenCV %s %s: %s", path.c_str(), CV_VERSION, doing,
                        msg.c_str());
}

int other_fail(struct fc_error *err, const std::string &path, const char *doing,
               const std::exception &e)
{
    if (dynamic_cast<const std::bad_alloc *>(&e))
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory while %s", path.c_str(), doing);
    return fc_error_set(err, FC_ERR_FORMAT, "%s: %s: %s", path.c_str(), doing, e.what());
}

} // namespace

extern "C" int fc_dnn_opencv_open(struct fc_dnn_opencv **out, const char *model_path,
                                  const struct fc_dnn_params *p, struct fc_error *err)
{
    *out = nullptr;
    // Check readability first: OpenCV's own message for a missing file is
    // an assertion text, not something a user can act on.
    FILE *f = std::fopen(model_path, "rb");
    if (!f)
        return fc_error_set(err, FC_ERR_IO, "%s: %s", model_path, std::strerror(errno));
    std::fclose(f);

    fc_dnn_opencv *d = nullptr;
    try {
        d = new fc_dnn_opencv;
        d->path = model_path;
        d->runtime = std::string("OpenCV ") + CV_VERSION + " (DNN_BACKEND_OPENCV, CPU)";
        cv::setNumThreads(p->threads > 0 ? p->threads : -1); // -1: OpenCV's default
        d->net = cv::dnn::readNetFromONNX(d->path);
        if (d->net.empty()) {
            int rc = fc_error_set(err, FC_ERR_FORMAT, "%s: OpenCV read no layers from this file",
                                  model_path);
            delete d;
            return rc;
        }
        d->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        d->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        d->out_names = d->net.getUnconnectedOutLayersNames();
    } catch (const cv::Exception &e) {
        std::string path = model_path;
        delete d;
        return cv_fail(err, path, "cannot read this ONNX model", e);
    } catch (const std::exception &e) {
        std::string path = model_path;
        delete d;
        return other_fail(err, path, "reading the model", e);
    }
    *out = d;
    return 0;
}

extern "C" int fc_dnn_opencv_select_outputs(struct fc_dnn_opencv *d, const char *const *names,
                                            int n, struct fc_error *err)
{
    if (n < 1 || n > FC_DNN_MAX_OUTPUTS)
        return fc_error_set(err, FC_ERR_ARG, "%s: %d outputs asked for (1..%d)", d->path.c_str(), n,
                            FC_DNN_MAX_OUTPUTS);
    try {
        std::vector<cv::String> sel;
        for (int i = 0; i < n; i++) {
            if (d->net.getLayerId(names[i]) < 0)
                return fc_error_set(err, FC_ERR_FORMAT, "%s: the model has no output named '%s'",
                                    d->path.c_str(), names[i]);
            sel.push_back(names[i]);
        }
        d->out_names.swap(sel);
        d->outs.clear();
        d->ran = false;
    } catch (const cv::Exception &e) {
        return cv_fail(err, d->path, "cannot select outputs", e);
    } catch (const std::exception &e) {
        return other_fail(err, d->path, "selecting outputs", e);
    }
    return 0;
}

extern "C" int fc_dnn_opencv_run(struct fc_dnn_opencv *d, const float *input, const int *shape,
                                 int ndims, struct fc_error *err)
{
    if (ndims < 1 || ndims > FC_DNN_MAX_DIMS)
        return fc_error_set(err, FC_ERR_ARG, "%s: input has %d dimensions (1..%d)", d->path.c_str(),
                            ndims, FC_DNN_MAX_DIMS);
    d->ran = false;
    try {
        // A header over the caller's data; setInput copies it into the net.
        cv::Mat blob(ndims, shape, CV_32F, const_cast<float *>(input));
        d->net.setInput(blob);
        d->net.forward(d->outs, d->out_names);
    } catch (const cv::Exception &e) {
        return cv_fail(err, d->path, "failed to run the model", e);
    } catch (const std::exception &e) {
        return other_fail(err, d->path, "running the model", e);
    }
    for (size_t i = 0; i < d->outs.size(); i++) {
        const cv::Mat &m = d->outs[i];
        if (m.type() != CV_32F || !m.isContinuous() || m.dims > FC_DNN_MAX_DIMS)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: output '%s' is not a dense float32 tensor of at most %d "
                                "dimensions",
                                d->path.c_str(), d->out_names[i].c_str(), FC_DNN_MAX_DIMS);
    }
    d->ran = true;
    return 0;
}

extern "C" int fc_dnn_opencv_output_count(const struct fc_dnn_opencv *d)
{
    return (int)d->out_names.size();
}

extern "C" int fc_dnn_opencv_output(const struct fc_dnn_opencv *d, int i, struct fc_dnn_tensor *out)
{
    if (!d->ran || i < 0 || i >= (int)d->outs.size())
        return FC_ERR_ARG;
    const cv::Mat &m = d->outs[(size_t)i];
    out->data = m.ptr<float>();
    out->ndims = m.dims;
    out->count = m.total();
    for (int k = 0; k < FC_DNN_MAX_DIMS; k++)
        out->shape[k] = k < m.dims ? m.size[k] : 0;
    return 0;
}

extern "C" int fc_dnn_opencv_profile(struct fc_dnn_opencv *d, struct fc_dnn_layer_time *out,
                                     int cap, double *total_ms, struct fc_error *err)
{
    if (!d->ran)
        return fc_error_set(err, FC_ERR_ARG, "%s: nothing has run yet to profile", d->path.c_str());
    try {
        double tick_ms = 1000.0 / cv::getTickFrequency();
        int64 total = d->net.getPerfProfile(d->layer_ticks);
        if (d->layer_names.empty()) {
            // getLayerNames and getPerfProfile both list layers by id, input layer left out.
            for (const cv::String &s : d->net.getLayerNames()) {
                d->layer_names.push_back(s);
                d->layer_types.push_back(d->net.getLayer(d->net.getLayerId(s))->type);
            }
        }
        if (total_ms)
            *total_ms = (double)total * tick_ms;
        int n = (int)std::min(d->layer_ticks.size(), d->layer_names.size());
        for (int i = 0; i < n && i < cap; i++) {
            out[i].name = d->layer_names[(size_t)i].c_str();
            out[i].type = d->layer_types[(size_t)i].c_str();
            out[i].ms = d->layer_ticks[(size_t)i] * tick_ms;
        }
        return n;
    } catch (const cv::Exception &e) {
        return cv_fail(err, d->path, "cannot profile", e);
    } catch (const std::exception &e) {
        return other_fail(err, d->path, "profiling", e);
    }
}

extern "C" const char *fc_dnn_opencv_runtime_name(const struct fc_dnn_opencv *d)
{
    return d->runtime.c_str();
}

extern "C" void fc_dnn_opencv_close(struct fc_dnn_opencv *d)
{
    delete d; // cv::dnn::Net's destructor does not throw
}

extern "C" int fc_dnn_load_image_rgb(const char *path, uint8_t **rgb, int *width, int *height,
                                     struct fc_error *err)
{
    *rgb = nullptr;
    *width = *height = 0;
    FILE *f = std::fopen(path, "rb");
    if (!f)
        return fc_error_set(err, FC_ERR_IO, "%s: %s", path, std::strerror(errno));
    std::fclose(f);
    try {
        cv::Mat bgr = cv::imread(path, cv::IMREAD_COLOR); // applies EXIF orientation
        if (bgr.empty())
            return fc_error_set(err, FC_ERR_FORMAT, "%s: not an image OpenCV %s can read", path,
                                CV_VERSION);
        cv::Mat rgb_mat;
        cv::cvtColor(bgr, rgb_mat, cv::COLOR_BGR2RGB);
        size_t row = (size_t)rgb_mat.cols * 3;
        uint8_t *buf = (uint8_t *)std::malloc(row * (size_t)rgb_mat.rows);
        if (!buf)
            return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for a %dx%d image", path,
                                rgb_mat.cols, rgb_mat.rows);
        for (int y = 0; y < rgb_mat.rows; y++)
            std::memcpy(buf + (size_t)y * row, rgb_mat.ptr<uint8_t>(y), row);
        *rgb = buf;
        *width = rgb_mat.cols;
        *height = rgb_mat.rows;
    } catch (const cv::Exception &e) {
        return cv_fail(err, path, "cannot read this image", e);
    } catch (const std::exception &e) {
        return other_fail(err, path, "reading the image", e);
    }
    return 0;
}
