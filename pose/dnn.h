/* formcheck pose: a small C interface to a neural-network inference runtime.
 *
 * pose/ runs its model through this interface only, so that the runtime
 * behind it can change without touching a caller. Two are built in:
 * XNNPACK (pose/dnn_xnnpack.c, a graph file of tools/tfjs_to_xnn.py, NHWC;
 * when libxnnpack-dev is installed at build time) and OpenCV's DNN module
 * (pose/dnn_opencv.cpp, an ONNX file, NCHW). pose/dnn.c forwards each call
 * to the net's runtime (pose/dnn_backends.h); another runtime adds an enum
 * fc_dnn_backend value and its own pose/dnn_<runtime> file.
 *
 *     struct fc_dnn_params p = fc_dnn_default_params();
 *     p.threads = 2;
 *     p.backend = FC_DNN_BACKEND_OPENCV;   // or XNNPACK with a .xnn graph file
 *     struct fc_dnn *net;
 *     if (fc_dnn_open(&net, "movenet-lightning-opencv.onnx", &p, &err) < 0)
 *         return err.code;                 // "…onnx: OpenCV cannot read this ONNX model: …"
 *     const char *names[] = {"heatmap", "centre"};
 *     fc_dnn_select_outputs(net, names, 2, &err);
 *     int shape[4] = {1, 192, 192, 3};
 *     fc_dnn_run(net, input, shape, 4, &err);
 *     struct fc_dnn_tensor hm;
 *     fc_dnn_output(net, 0, &hm);          // hm.data valid until the next run
 *     fc_dnn_close(net);
 *
 * Tensors are dense float32, row-major (the last dimension varies fastest),
 * in the layout of the runtime (fc_dnn_channels_last). Nothing here knows
 * about poses; pose/dnn_opencv.cpp is the pose stage's only C++.
 */
#ifndef FC_POSE_DNN_H
#define FC_POSE_DNN_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FC_DNN_MAX_DIMS 6
#define FC_DNN_MAX_OUTPUTS 8

enum fc_dnn_backend {
    FC_DNN_BACKEND_OPENCV,  /* OpenCV DNN, its own CPU implementation (DNN_BACKEND_OPENCV) */
    FC_DNN_BACKEND_XNNPACK, /* XNNPACK's subgraph runtime, fp32, CPU */
};
#define FC_DNN_BACKEND_COUNT 2

struct fc_dnn_params {
    enum fc_dnn_backend backend; /* FC_DNN_BACKEND_OPENCV */
    /* Worker threads for inference; 0 = the runtime's default: all cores
     * for OpenCV, 1 for XNNPACK (its thread pool collapses under competing
     * load, docs/benchmarks.md). OpenCV applies this process-wide
     * (cv::setNumThreads): the last net opened sets it for every OpenCV net
     * in the process; XNNPACK per net. */
    int threads;
};

struct fc_dnn_params fc_dnn_default_params(void);

/* "opencv", "xnnpack" (for options and reports); NULL for an unknown value. */
const char *fc_dnn_backend_name(enum fc_dnn_backend b);
/* The backend of that name: 0, or FC_ERR_ARG for none. */
int fc_dnn_backend_parse(const char *name, enum fc_dnn_backend *out);
/* 1 when the backend was built into this program (XNNPACK needs
 * libxnnpack-dev at build time), else 0. */
int fc_dnn_backend_available(enum fc_dnn_backend b);

struct fc_dnn; /* opaque */

/* A view of one output of the last run. data stays valid until the next
 * fc_dnn_run or fc_dnn_close on the same net; it is owned by the runtime. */
struct fc_dnn_tensor {
    const float *data;
    int ndims;
    int shape[FC_DNN_MAX_DIMS];
    size_t count; /* product of shape */
};

/* Loads a model file: ONNX for OpenCV, a graph file (docs/models.md) for
 * XNNPACK. Errors name the file: FC_ERR_IO when it cannot be read,
 * FC_ERR_FORMAT when the runtime rejects its content (FC_ERR_TRUNCATED for
 * a graph file cut short), FC_ERR_UNSUPPORTED when the backend is not built
 * in. */
int fc_dnn_open(struct fc_dnn **out, const char *model_path, const struct fc_dnn_params *p,
                struct fc_error *err);

/* Names the outputs every later run computes, in the order fc_dnn_output
 * indexes them (the names are copied). FC_ERR_FORMAT when the model has no
 * output of that name. Without this call a run computes the model's graph
 * outputs in the model's order. */
int fc_dnn_select_outputs(struct fc_dnn *d, const char *const *names, int n, struct fc_error *err);

/* Runs the model on one input tensor (float32, dense, shape[0..ndims-1]);
 * the input is copied during the call and may be reused at once. */
int fc_dnn_run(struct fc_dnn *d, const float *input, const int *shape, int ndims,
               struct fc_error *err);

/* Number of outputs a run produces, and output i of the last run.
 * fc_dnn_output returns FC_ERR_ARG when i is out of range or nothing ran. */
int fc_dnn_output_count(const struct fc_dnn *d);
int fc_dnn_output(const struct fc_dnn *d, int i, struct fc_dnn_tensor *out);

/* Per-layer time of the last run, for benchmarks: fills up to cap entries
 * (name and milliseconds, in the runtime's layer order, names valid until
 * the next call or close) and returns how many layers there are (may exceed
 * cap); *total_ms gets the whole run. A negative code when the runtime
 * cannot profile (FC_ERR_UNSUPPORTED: XNNPACK, whose 2022 snapshot has no
 * per-operator profiler). Layers the runtime fused into a neighbour show 0 ms. */
struct fc_dnn_layer_time {
    const char *name;
    const char *type; /* the runtime's layer type: "Convolution", ... */
    double ms;
};
int fc_dnn_profile(struct fc_dnn *d, struct fc_dnn_layer_time *out, int cap, double *total_ms,
                   struct fc_error *err);

/* "OpenCV 4.6.0 (DNN_BACKEND_OPENCV, CPU)": what runs the model, for reports. */
const char *fc_dnn_runtime_name(const struct fc_dnn *d);

/* The backend running this net. */
enum fc_dnn_backend fc_dnn_backend_of(const struct fc_dnn *d);

/* 1 when the runtime's 4-D tensors, input and outputs, are NHWC (XNNPACK),
 * 0 when NCHW (OpenCV). */
int fc_dnn_channels_last(const struct fc_dnn *d);

void fc_dnn_close(struct fc_dnn *d);

/* Reads an image file (JPEG, PNG, ... whatever the runtime's image codecs
 * read) as 8-bit RGB, rows packed (stride = 3 * width). *rgb is malloc'd;
 * the caller frees it. For tests and benchmarks: video goes through
 * capture/. */
int fc_dnn_load_image_rgb(const char *path, uint8_t **rgb, int *width, int *height,
                          struct fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
