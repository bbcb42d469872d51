/* formcheck pose: the runtimes behind pose/dnn.h, for pose/dnn.c only.
 *
 * Each runtime implements the same functions under its own prefix, on its
 * own opaque struct; pose/dnn.c picks one per net from fc_dnn_params.backend
 * and forwards every call to it. A runtime not built in (XNNPACK without
 * libxnnpack-dev) has no functions here and dnn.c says so when asked for it.
 */
#ifndef FC_POSE_DNN_BACKENDS_H
#define FC_POSE_DNN_BACKENDS_H

#include "pose/dnn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* pose/dnn_opencv.cpp */
struct fc_dnn_opencv;
int fc_dnn_opencv_open(struct fc_dnn_opencv **out, const char *model_path,
                       const struct fc_dnn_params *p, struct fc_error *err);
int fc_dnn_opencv_select_outputs(struct fc_dnn_opencv *d, const char *const *names, int n,
                                 struct fc_error *err);
int fc_dnn_opencv_run(struct fc_dnn_opencv *d, const float *input, const int *shape, int ndims,
                      struct fc_error *err);
int fc_dnn_opencv_output_count(const struct fc_dnn_opencv *d);
int fc_dnn_opencv_output(const struct fc_dnn_opencv *d, int i, struct fc_dnn_tensor *out);
int fc_dnn_opencv_profile(struct fc_dnn_opencv *d, struct fc_dnn_layer_time *out, int cap,
                          double *total_ms, struct fc_error *err);
const char *fc_dnn_opencv_runtime_name(const struct fc_dnn_opencv *d);
void fc_dnn_opencv_close(struct fc_dnn_opencv *d);

#ifdef FC_HAVE_XNNPACK
/* pose/dnn_xnnpack.c: model_path is a graph file of tools/tfjs_to_xnn.py. */
struct fc_dnn_xnnpack;
int fc_dnn_xnnpack_open(struct fc_dnn_xnnpack **out, const char *model_path,
                        const struct fc_dnn_params *p, struct fc_error *err);
int fc_dnn_xnnpack_select_outputs(struct fc_dnn_xnnpack *d, const char *const *names, int n,
                                  struct fc_error *err);
int fc_dnn_xnnpack_run(struct fc_dnn_xnnpack *d, const float *input, const int *shape, int ndims,
                       struct fc_error *err);
int fc_dnn_xnnpack_output_count(const struct fc_dnn_xnnpack *d);
int fc_dnn_xnnpack_output(const struct fc_dnn_xnnpack *d, int i, struct fc_dnn_tensor *out);
const char *fc_dnn_xnnpack_runtime_name(const struct fc_dnn_xnnpack *d);
void fc_dnn_xnnpack_close(struct fc_dnn_xnnpack *d);
#endif

#ifdef __cplusplus
}
#endif

#endif
