/* formcheck: pose/dnn.h, forwarded to the net's runtime (pose/dnn_backends.h).
 * No logic of a runtime's own lives here: the choice of runtime, the checks
 * every runtime shares, and one switch per call. */
#include "pose/dnn.h"

#include <stdlib.h>
#include <string.h>

#include "pose/dnn_backends.h"

struct fc_dnn {
    enum fc_dnn_backend backend;
    struct fc_dnn_opencv *cv;
#ifdef FC_HAVE_XNNPACK
    struct fc_dnn_xnnpack *xnn;
#endif
};

static const char *const backend_names[FC_DNN_BACKEND_COUNT] = {"opencv", "xnnpack"};

struct fc_dnn_params fc_dnn_default_params(void)
{
    return (struct fc_dnn_params){.backend = FC_DNN_BACKEND_OPENCV, .threads = 0};
}

const char *fc_dnn_backend_name(enum fc_dnn_backend b)
{
    return (unsigned)b < FC_DNN_BACKEND_COUNT ? backend_names[b] : NULL;
}

int fc_dnn_backend_parse(const char *name, enum fc_dnn_backend *out)
{
    for (int i = 0; name && i < FC_DNN_BACKEND_COUNT; i++)
        if (!strcmp(name, backend_names[i])) {
            *out = (enum fc_dnn_backend)i;
            return 0;
        }
    return FC_ERR_ARG;
}

int fc_dnn_backend_available(enum fc_dnn_backend b)
{
#ifdef FC_HAVE_XNNPACK
    return b == FC_DNN_BACKEND_OPENCV || b == FC_DNN_BACKEND_XNNPACK;
#else
    return b == FC_DNN_BACKEND_OPENCV;
#endif
}

int fc_dnn_open(struct fc_dnn **out, const char *model_path, const struct fc_dnn_params *p,
                struct fc_error *err)
{
    *out = NULL;
    struct fc_dnn_params def = fc_dnn_default_params();
    if (!p)
        p = &def;
    if (!model_path)
        return fc_error_set(err, FC_ERR_ARG, "no model file given");
    if (!fc_dnn_backend_available(p->backend)) {
        const char *name = fc_dnn_backend_name(p->backend);
        if (name)
            return fc_error_set(err, FC_ERR_UNSUPPORTED,
                                "%s: the %s inference backend is not built into this program "
                                "(install libxnnpack-dev and libpthreadpool-dev, then rebuild)",
                                model_path, name);
        return fc_error_set(err, FC_ERR_ARG, "%s: unknown inference backend %d", model_path,
                            (int)p->backend);
    }
    struct fc_dnn *d = calloc(1, sizeof *d);
    if (!d)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", model_path);
    d->backend = p->backend;
    int rc;
#ifdef FC_HAVE_XNNPACK
    if (p->backend == FC_DNN_BACKEND_XNNPACK)
        rc = fc_dnn_xnnpack_open(&d->xnn, model_path, p, err);
    else
#endif
        rc = fc_dnn_opencv_open(&d->cv, model_path, p, err);
    if (rc < 0) {
        free(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* Each call below goes to the net's runtime: XNNPACK's when it has one,
 * else OpenCV's. */

int fc_dnn_select_outputs(struct fc_dnn *d, const char *const *names, int n, struct fc_error *err)
{
#ifdef FC_HAVE_XNNPACK
    if (d->xnn)
        return fc_dnn_xnnpack_select_outputs(d->xnn, names, n, err);
#endif
    return fc_dnn_opencv_select_outputs(d->cv, names, n, err);
}

int fc_dnn_run(struct fc_dnn *d, const float *input, const int *shape, int ndims,
               struct fc_error *err)
{
#ifdef FC_HAVE_XNNPACK
    if (d->xnn)
        return fc_dnn_xnnpack_run(d->xnn, input, shape, ndims, err);
#endif
    return fc_dnn_opencv_run(d->cv, input, shape, ndims, err);
}

int fc_dnn_output_count(const struct fc_dnn *d)
{
#ifdef FC_HAVE_XNNPACK
    if (d->xnn)
        return fc_dnn_xnnpack_output_count(d->xnn);
#endif
    return fc_dnn_opencv_output_count(d->cv);
}

int fc_dnn_output(const struct fc_dnn *d, int i, struct fc_dnn_tensor *out)
{
#ifdef FC_HAVE_XNNPACK
    if (d->xnn)
        return fc_dnn_xnnpack_output(d->xnn, i, out);
#endif
    return fc_dnn_opencv_output(d->cv, i, out);
}

int fc_dnn_profile(struct fc_dnn *d, struct fc_dnn_layer_time *out, int cap, double *total_ms,
                   struct fc_error *err)
{
    if (d->backend == FC_DNN_BACKEND_XNNPACK)
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "XNNPACK's 2022 snapshot has no per-operator profiler");
    return fc_dnn_opencv_profile(d->cv, out, cap, total_ms, err);
}

const char *fc_dnn_runtime_name(const struct fc_dnn *d)
{
#ifdef FC_HAVE_XNNPACK
    if (d->xnn)
        return fc_dnn_xnnpack_runtime_name(d->xnn);
#endif
    return fc_dnn_opencv_runtime_name(d->cv);
}

enum fc_dnn_backend fc_dnn_backend_of(const struct fc_dnn *d)
{
    return d->backend;
}

int fc_dnn_channels_last(const struct fc_dnn *d)
{
    return d->backend == FC_DNN_BACKEND_XNNPACK;
}

void fc_dnn_close(struct fc_dnn *d)
{
    if (!d)
        return;
#ifdef FC_HAVE_XNNPACK
    fc_dnn_xnnpack_close(d->xnn);
#endif
    if (d->cv)
        fc_dnn_opencv_close(d->cv);
    free(d);
}
