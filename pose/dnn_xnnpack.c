/* formcheck: the XNNPACK implementation of pose/dnn.h (through
 * pose/dnn_backends.h).
 *
 * XNNPACK (Debian's libxnnpack-dev, snapshot 2022-02-16: its C API differs
 * from upstream's today) has no model loader: the graph file of
 * tools/tfjs_to_xnn.py is read and checked by pose/xnn_graph.c, and here each
 * of its operators becomes a subgraph node. The runtime is created once, with
 * the input and output buffers bound at open, so a run is one copy of the
 * input and xnn_invoke_runtime. Tensors are NHWC (fc_dnn_channels_last). */
#include "pose/dnn_backends.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xnnpack.h>

#include "pose/xnn_graph.h"

struct fc_dnn_xnnpack {
    char *path;
    char runtime[96];
    struct fc_xnn_graph *g;
    pthreadpool_t pool; /* NULL: run on the caller's thread */
    xnn_runtime_t rt;
    float *input; /* the input tensor plus XNN_EXTRA_BYTES: XNNPACK reads past the end */
    float *outs[FC_XNN_MAX_OUTPUTS];  /* one buffer per graph output, in the file's order */
    int selected[FC_DNN_MAX_OUTPUTS]; /* graph output index of each fc_dnn output */
    int n_selected;
    int ran;
};

static const char *status_name(enum xnn_status s)
{
    switch (s) {
    case xnn_status_success: return "success";
    case xnn_status_uninitialized: return "not initialised";
    case xnn_status_invalid_parameter: return "invalid parameter";
    case xnn_status_invalid_state: return "invalid state";
    case xnn_status_unsupported_parameter: return "unsupported parameter";
    case xnn_status_unsupported_hardware:
        return "unsupported hardware (XNNPACK needs SSE2 or NEON)";
    case xnn_status_out_of_memory: return "out of memory";
    }
    return "unknown status";
}

static int xnn_fail(struct fc_error *err, const char *path, const char *doing, enum xnn_status s)
{
    return fc_error_set(err, s == xnn_status_out_of_memory ? FC_ERR_NOMEM : FC_ERR_FORMAT,
                        "%s: XNNPACK %s: %s", path, doing, status_name(s));
}

/* Defines every value of the graph under its own index as external id. */
static enum xnn_status define_values(xnn_subgraph_t sg, const struct fc_xnn_graph *g)
{
    for (uint32_t i = 0; i < g->value_count; i++) {
        const struct fc_xnn_value *v = &g->values[i];
        size_t dims[FC_XNN_MAX_DIMS];
        for (uint32_t k = 0; k < v->ndims; k++)
            dims[k] = v->dims[k];
        uint32_t flags = v->kind == FC_XNN_VALUE_INPUT    ? XNN_VALUE_FLAG_EXTERNAL_INPUT
                         : v->kind == FC_XNN_VALUE_OUTPUT ? XNN_VALUE_FLAG_EXTERNAL_OUTPUT
                                                          : 0;
        uint32_t id;
        enum xnn_status s = xnn_define_tensor_value(sg, xnn_datatype_fp32, v->ndims, dims,
                                                    fc_xnn_graph_data(g, i), i, flags, &id);
        if (s != xnn_status_success)
            return s;
    }
    return xnn_status_success;
}

static enum xnn_status define_op(xnn_subgraph_t sg, const struct fc_xnn_graph *g,
                                 const struct fc_xnn_op *op)
{
    const uint32_t *p = op->params;
    const struct fc_xnn_value *x = &g->values[op->inputs[0]];
    switch (op->type) {
    case FC_XNN_OP_CONV2D: {
        const struct fc_xnn_value *w = &g->values[op->inputs[1]];
        return xnn_define_convolution_2d(
            sg, p[FC_XNN_PAD_TOP], p[FC_XNN_PAD_RIGHT], p[FC_XNN_PAD_BOTTOM], p[FC_XNN_PAD_LEFT],
            p[FC_XNN_KERNEL_H], p[FC_XNN_KERNEL_W], p[FC_XNN_STRIDE_H], p[FC_XNN_STRIDE_W],
            p[FC_XNN_DILATION_H], p[FC_XNN_DILATION_W], 1, x->dims[3], w->dims[0], op->out_min,
            op->out_max, op->inputs[0], op->inputs[1], op->inputs[2], op->output, 0);
    }
    case FC_XNN_OP_DWCONV2D: {
        const struct fc_xnn_value *w = &g->values[op->inputs[1]];
        return xnn_define_depthwise_convolution_2d(
            sg, p[FC_XNN_PAD_TOP], p[FC_XNN_PAD_RIGHT], p[FC_XNN_PAD_BOTTOM], p[FC_XNN_PAD_LEFT],
            p[FC_XNN_KERNEL_H], p[FC_XNN_KERNEL_W], p[FC_XNN_STRIDE_H], p[FC_XNN_STRIDE_W],
            p[FC_XNN_DILATION_H], p[FC_XNN_DILATION_W], w->dims[3] / x->dims[3], x->dims[3],
            op->out_min, op->out_max, op->inputs[0], op->inputs[1], op->inputs[2], op->output, 0);
    }
    case FC_XNN_OP_ADD2:
        return xnn_define_add2(sg, op->out_min, op->out_max, op->inputs[0], op->inputs[1],
                               op->output, 0);
    case FC_XNN_OP_MULTIPLY2:
        return xnn_define_multiply2(sg, op->out_min, op->out_max, op->inputs[0], op->inputs[1],
                                    op->output, 0);
    case FC_XNN_OP_SIGMOID: return xnn_define_sigmoid(sg, op->inputs[0], op->output, 0);
    case FC_XNN_OP_RESIZE_BILINEAR: /* no flag: half-pixel centres */
        return xnn_define_static_resize_bilinear_2d(sg, p[0], p[1], op->inputs[0], op->output, 0);
    case FC_XNN_OP_MAX_POOL2D:
        return xnn_define_max_pooling_2d(
            sg, p[FC_XNN_PAD_TOP], p[FC_XNN_PAD_RIGHT], p[FC_XNN_PAD_BOTTOM], p[FC_XNN_PAD_LEFT],
            p[FC_XNN_KERNEL_H], p[FC_XNN_KERNEL_W], p[FC_XNN_STRIDE_H], p[FC_XNN_STRIDE_W],
            p[FC_XNN_DILATION_H], p[FC_XNN_DILATION_W], op->out_min, op->out_max, op->inputs[0],
            op->output, 0);
    case FC_XNN_OP_CONSTANT_PAD: {
        size_t before[FC_XNN_MAX_DIMS], after[FC_XNN_MAX_DIMS];
        for (int k = 0; k < FC_XNN_MAX_DIMS; k++) {
            before[k] = p[k];
            after[k] = p[FC_XNN_MAX_DIMS + k];
        }
        return xnn_define_static_constant_pad(sg, before, after, 0.0f, op->inputs[0], op->output,
                                              0);
    }
    }
    return xnn_status_invalid_parameter; /* xnn_graph.c refuses other types */
}

/* Builds the runtime and binds the input and output buffers to it. */
static int build(struct fc_dnn_xnnpack *d, int threads, struct fc_error *err)
{
    const struct fc_xnn_graph *g = d->g;
    xnn_subgraph_t sg = NULL;
    int rc = 0;
    enum xnn_status s = xnn_initialize(NULL);
    if (s != xnn_status_success)
        return xnn_fail(err, d->path, "cannot start", s);
    if ((s = xnn_create_subgraph(g->value_count, 0, &sg)) != xnn_status_success ||
        (s = define_values(sg, g)) != xnn_status_success) {
        rc = xnn_fail(err, d->path, "refuses the graph's tensors", s);
        goto fail;
    }
    for (uint32_t i = 0; i < g->op_count; i++)
        if ((s = define_op(sg, g, &g->ops[i])) != xnn_status_success) {
            char what[64];
            snprintf(what, sizeof what, "refuses operator %u (type %u)", i, g->ops[i].type);
            rc = xnn_fail(err, d->path, what, s);
            goto fail;
        }
    if (threads > 1 && !(d->pool = pthreadpool_create((size_t)threads))) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: cannot start %d inference threads", d->path,
                          threads);
        goto fail;
    }
    if ((s = xnn_create_runtime_v2(sg, d->pool, 0, &d->rt)) != xnn_status_success) {
        rc = xnn_fail(err, d->path, "cannot plan the graph", s);
        goto fail;
    }
    struct xnn_external_value ext[1 + FC_XNN_MAX_OUTPUTS];
    size_t n_ext = 0;
    size_t in_count = fc_xnn_value_count(&g->values[g->input]);
    d->input = calloc(1, in_count * sizeof(float) + XNN_EXTRA_BYTES);
    if (!d->input)
        goto nomem;
    ext[n_ext++] = (struct xnn_external_value){g->input, d->input};
    for (uint32_t i = 0; i < g->output_count; i++) {
        uint32_t v = g->outputs[i].value;
        d->outs[i] = malloc(fc_xnn_value_count(&g->values[v]) * sizeof(float));
        if (!d->outs[i])
            goto nomem;
        ext[n_ext++] = (struct xnn_external_value){v, d->outs[i]};
    }
    if ((s = xnn_setup_runtime(d->rt, n_ext, ext)) != xnn_status_success) {
        rc = xnn_fail(err, d->path, "cannot bind the input and outputs", s);
        goto fail;
    }
    xnn_delete_subgraph(sg); /* the runtime no longer needs it (the weights stay in d->g) */
    return 0;
nomem:
    rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for the tensors", d->path);
fail:
    if (sg)
        xnn_delete_subgraph(sg);
    return rc;
}

int fc_dnn_xnnpack_open(struct fc_dnn_xnnpack **out, const char *model_path,
                        const struct fc_dnn_params *p, struct fc_error *err)
{
    *out = NULL;
    struct fc_dnn_xnnpack *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(model_path))) {
        free(d);
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", model_path);
    }
    /* One thread unless asked: pthreadpool's workers wait for each other
     * after every operator, which collapses when another process (or the
     * decoder thread) competes for the cores (docs/benchmarks.md). */
    int threads = p->threads > 0 ? p->threads : 1;
    int rc = fc_xnn_graph_load(&d->g, model_path, err);
    if (rc < 0)
        goto fail;
    if ((rc = build(d, threads, err)) < 0)
        goto fail;
    snprintf(d->runtime, sizeof d->runtime, "XNNPACK 2022-02-16 (CPU, %d thread%s)", threads,
             threads > 1 ? "s" : "");
    d->n_selected = (int)d->g->output_count;
    for (int i = 0; i < d->n_selected; i++)
        d->selected[i] = i;
    *out = d;
    return 0;
fail:
    fc_dnn_xnnpack_close(d);
    return rc;
}

int fc_dnn_xnnpack_select_outputs(struct fc_dnn_xnnpack *d, const char *const *names, int n,
                                  struct fc_error *err)
{
    if (n < 1 || n > FC_DNN_MAX_OUTPUTS)
        return fc_error_set(err, FC_ERR_ARG, "%s: %d outputs asked for (1..%d)", d->path, n,
                            FC_DNN_MAX_OUTPUTS);
    int sel[FC_DNN_MAX_OUTPUTS];
    for (int i = 0; i < n; i++) {
        sel[i] = -1;
        for (uint32_t k = 0; k < d->g->output_count; k++)
            if (!strcmp(d->g->outputs[k].name, names[i]))
                sel[i] = (int)k;
        if (sel[i] < 0)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: the model has no output named '%s'",
                                d->path, names[i]);
    }
    memcpy(d->selected, sel, sizeof sel[0] * (size_t)n);
    d->n_selected = n;
    d->ran = 0;
    return 0;
}

int fc_dnn_xnnpack_run(struct fc_dnn_xnnpack *d, const float *input, const int *shape, int ndims,
                       struct fc_error *err)
{
    const struct fc_xnn_value *in = &d->g->values[d->g->input];
    int ok = ndims == (int)in->ndims;
    for (int k = 0; ok && k < ndims; k++)
        ok = shape[k] == (int)in->dims[k];
    if (!ok)
        return fc_error_set(err, FC_ERR_ARG,
                            "%s: input of %d dimensions is not the graph's %ux%ux%ux%u", d->path,
                            ndims, in->dims[0], in->dims[1], in->dims[2], in->dims[3]);
    d->ran = 0;
    memcpy(d->input, input, fc_xnn_value_count(in) * sizeof(float));
    enum xnn_status s = xnn_invoke_runtime(d->rt);
    if (s != xnn_status_success)
        return xnn_fail(err, d->path, "failed to run the graph", s);
    d->ran = 1;
    return 0;
}

int fc_dnn_xnnpack_output_count(const struct fc_dnn_xnnpack *d)
{
    return d->n_selected;
}

int fc_dnn_xnnpack_output(const struct fc_dnn_xnnpack *d, int i, struct fc_dnn_tensor *out)
{
    if (!d->ran || i < 0 || i >= d->n_selected)
        return FC_ERR_ARG;
    int k = d->selected[i];
    const struct fc_xnn_value *v = &d->g->values[d->g->outputs[k].value];
    out->data = d->outs[k];
    out->ndims = (int)v->ndims;
    out->count = fc_xnn_value_count(v);
    for (int j = 0; j < FC_DNN_MAX_DIMS; j++)
        out->shape[j] = j < (int)v->ndims ? (int)v->dims[j] : 0;
    return 0;
}

const char *fc_dnn_xnnpack_runtime_name(const struct fc_dnn_xnnpack *d)
{
    return d->runtime;
}

void fc_dnn_xnnpack_close(struct fc_dnn_xnnpack *d)
{
    if (!d)
        return;
    if (d->rt)
        xnn_delete_runtime(d->rt);
    if (d->pool)
        pthreadpool_destroy(d->pool);
    free(d->input);
    for (int i = 0; i < FC_XNN_MAX_OUTPUTS; i++)
        free(d->outs[i]);
    fc_xnn_graph_free(d->g);
    free(d->path);
    free(d);
}
