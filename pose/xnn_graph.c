/* The XNNPACK graph file: reading and checking. See xnn_graph.h and
 * docs/models.md for the format. Every number is checked before it is used
 * as a size, an index or an offset. */
#include "pose/xnn_graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"

/* Record sizes in the file (little-endian, packed). */
#define HEADER_BYTES 48
#define VALUE_BYTES 32
#define OUTPUT_BYTES 16
#define OP_BYTES 68
/* Limits far above MoveNet's (245 values, 94 operators, 6.2 M weights,
 * tensors of 1.3 M elements) and BlazePose heavy's (633 values, 264
 * operators, 13.7 M weights) that keep every size computed here, and every
 * buffer XNNPACK would allocate for a file that passes, small. */
#define MAX_VALUES 65536u
#define MAX_OPS 65536u
#define MAX_WEIGHTS (1u << 28) /* 1 GiB of float32 */
#define MAX_DIM 65536u
#define MAX_ELEMENTS (1u << 26) /* one tensor: 256 MiB */
#define MAX_KERNEL 64u
#define MAX_STRIDE 16u

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static float rdf(const unsigned char *p)
{
    uint32_t u = rd32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

uint32_t fc_xnn_crc32(const void *data, size_t len)
{
    /* Built per call (2048 steps, nothing next to a file's millions of
     * bytes) so that no shared state needs a lock. */
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    const unsigned char *p = data;
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++)
        c = table[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

size_t fc_xnn_value_count(const struct fc_xnn_value *v)
{
    size_t n = 1;
    for (uint32_t i = 0; i < v->ndims; i++)
        n *= v->dims[i];
    return n;
}

const float *fc_xnn_graph_data(const struct fc_xnn_graph *g, uint32_t v)
{
    if (v >= g->value_count || g->values[v].kind != FC_XNN_VALUE_STATIC)
        return NULL;
    return g->weights + g->values[v].weight_offset;
}

void fc_xnn_graph_free(struct fc_xnn_graph *g)
{
    if (!g)
        return;
    free(g->values);
    free(g->ops);
    free(g->outputs);
    free(g->weights);
    free(g);
}

/* ---- checks ---- */

struct check {
    const struct fc_xnn_graph *g;
    const char *name;
    struct fc_error *err;
    unsigned char *computed; /* per value: 1 once available to later operators */
};

static int bad(struct check *c, uint32_t op, const char *what)
{
    return fc_error_set(c->err, FC_ERR_FORMAT, "%s: operator %u: %s", c->name, op, what);
}

static int same_shape(const struct fc_xnn_value *a, const struct fc_xnn_value *b)
{
    if (a->ndims != b->ndims)
        return 0;
    for (uint32_t i = 0; i < a->ndims; i++)
        if (a->dims[i] != b->dims[i])
            return 0;
    return 1;
}

/* Output size of a convolution along one axis, or 0 when the kernel does
 * not fit the padded input. */
static uint32_t conv_out(uint32_t in, uint32_t pad_a, uint32_t pad_b, uint32_t k, uint32_t stride,
                         uint32_t dil)
{
    uint64_t padded = (uint64_t)in + pad_a + pad_b;
    uint64_t span = (uint64_t)(k - 1) * dil + 1;
    if (padded < span)
        return 0;
    return (uint32_t)((padded - span) / stride + 1);
}

static int check_conv(struct check *c, uint32_t i, const struct fc_xnn_op *op)
{
    const struct fc_xnn_graph *g = c->g;
    const struct fc_xnn_value *x = &g->values[op->inputs[0]], *w = &g->values[op->inputs[1]];
    const struct fc_xnn_value *b = &g->values[op->inputs[2]], *y = &g->values[op->output];
    const uint32_t *p = op->params;
    if (w->kind != FC_XNN_VALUE_STATIC || b->kind != FC_XNN_VALUE_STATIC)
        return bad(c, i, "convolution filter and bias must be stored in the file");
    if (x->ndims != 4 || w->ndims != 4 || b->ndims != 1 || y->ndims != 4)
        return bad(c, i, "convolution tensors must be 4-D (bias 1-D)");
    for (int k = FC_XNN_KERNEL_H; k <= FC_XNN_DILATION_W; k++)
        if (p[k] < 1 || p[k] > (k <= FC_XNN_KERNEL_W ? MAX_KERNEL : MAX_STRIDE))
            return bad(c, i, "kernel, stride or dilation out of range");
    for (int k = FC_XNN_PAD_TOP; k <= FC_XNN_PAD_LEFT; k++)
        if (p[k] > MAX_KERNEL)
            return bad(c, i, "padding out of range");
    uint32_t kh = p[FC_XNN_KERNEL_H], kw = p[FC_XNN_KERNEL_W], cin = x->dims[3], cout;
    if (op->type == FC_XNN_OP_CONV2D) {
        cout = w->dims[0];
        if (w->dims[1] != kh || w->dims[2] != kw || w->dims[3] != cin)
            return bad(c, i, "filter shape is not [out, kernel_h, kernel_w, in]");
    } else {
        cout = w->dims[3];
        if (w->dims[0] != 1 || w->dims[1] != kh || w->dims[2] != kw || cout % cin != 0)
            return bad(c, i, "depthwise filter shape is not [1, kernel_h, kernel_w, in * m]");
    }
    uint32_t oh = conv_out(x->dims[1], p[FC_XNN_PAD_TOP], p[FC_XNN_PAD_BOTTOM], kh,
                           p[FC_XNN_STRIDE_H], p[FC_XNN_DILATION_H]);
    uint32_t ow = conv_out(x->dims[2], p[FC_XNN_PAD_LEFT], p[FC_XNN_PAD_RIGHT], kw,
                           p[FC_XNN_STRIDE_W], p[FC_XNN_DILATION_W]);
    if (b->dims[0] != cout || y->dims[0] != x->dims[0] || y->dims[1] != oh || y->dims[2] != ow ||
        y->dims[3] != cout || oh == 0 || ow == 0)
        return bad(c, i, "output or bias shape does not follow from the input and parameters");
    return 0;
}

/* A max pooling: the convolution parameters, the window as the kernel;
 * channels pass through. */
static int check_pool(struct check *c, uint32_t i, const struct fc_xnn_op *op)
{
    const struct fc_xnn_value *x = &c->g->values[op->inputs[0]], *y = &c->g->values[op->output];
    const uint32_t *p = op->params;
    if (x->ndims != 4 || y->ndims != 4)
        return bad(c, i, "pooling tensors must be 4-D");
    for (int k = FC_XNN_KERNEL_H; k <= FC_XNN_DILATION_W; k++)
        if (p[k] < 1 || p[k] > (k <= FC_XNN_KERNEL_W ? MAX_KERNEL : MAX_STRIDE))
            return bad(c, i, "window, stride or dilation out of range");
    for (int k = FC_XNN_PAD_TOP; k <= FC_XNN_PAD_LEFT; k++)
        if (p[k] > MAX_KERNEL)
            return bad(c, i, "padding out of range");
    uint32_t oh = conv_out(x->dims[1], p[FC_XNN_PAD_TOP], p[FC_XNN_PAD_BOTTOM], p[FC_XNN_KERNEL_H],
                           p[FC_XNN_STRIDE_H], p[FC_XNN_DILATION_H]);
    uint32_t ow = conv_out(x->dims[2], p[FC_XNN_PAD_LEFT], p[FC_XNN_PAD_RIGHT], p[FC_XNN_KERNEL_W],
                           p[FC_XNN_STRIDE_W], p[FC_XNN_DILATION_W]);
    if (y->dims[0] != x->dims[0] || y->dims[1] != oh || y->dims[2] != ow ||
        y->dims[3] != x->dims[3] || oh == 0 || ow == 0)
        return bad(c, i, "pooling output shape does not follow from the input and parameters");
    return 0;
}

/* A zero padding: each output dimension is the input's plus its two pads;
 * the input has the output's rank and at most 4 dimensions. */
static int check_pad(struct check *c, uint32_t i, const struct fc_xnn_op *op)
{
    const struct fc_xnn_value *x = &c->g->values[op->inputs[0]], *y = &c->g->values[op->output];
    if (x->ndims != y->ndims)
        return bad(c, i, "padding changes the rank");
    for (uint32_t k = 0; k < FC_XNN_MAX_DIMS; k++) {
        uint32_t before = op->params[k], after = op->params[FC_XNN_MAX_DIMS + k];
        if (k >= x->ndims ? before || after : before > MAX_DIM || after > MAX_DIM)
            return bad(c, i, "padding out of range");
        if (k < x->ndims && (uint64_t)x->dims[k] + before + after != y->dims[k])
            return bad(c, i, "padded shape does not follow from the input and pads");
    }
    return 0;
}

static int check_binary(struct check *c, uint32_t i, const struct fc_xnn_op *op)
{
    const struct fc_xnn_graph *g = c->g;
    const struct fc_xnn_value *a = &g->values[op->inputs[0]], *b = &g->values[op->inputs[1]];
    const struct fc_xnn_value *y = &g->values[op->output];
    if (a->kind == FC_XNN_VALUE_STATIC && b->kind == FC_XNN_VALUE_STATIC)
        return bad(c, i, "both operands are constants");
    uint32_t n = a->ndims > b->ndims ? a->ndims : b->ndims;
    if (y->ndims != n)
        return bad(c, i, "output rank is not the operands' larger rank");
    /* numpy broadcasting, dimensions aligned at the right */
    for (uint32_t k = 0; k < n; k++) {
        uint32_t da = k < a->ndims ? a->dims[a->ndims - 1 - k] : 1;
        uint32_t db = k < b->ndims ? b->dims[b->ndims - 1 - k] : 1;
        if (da != db && da != 1 && db != 1)
            return bad(c, i, "operand shapes do not broadcast");
        if (y->dims[n - 1 - k] != (da > db ? da : db))
            return bad(c, i, "output shape is not the broadcast shape");
    }
    return 0;
}

static int check_op(struct check *c, uint32_t i)
{
    const struct fc_xnn_graph *g = c->g;
    const struct fc_xnn_op *op = &g->ops[i];
    int arity;
    switch (op->type) {
    case FC_XNN_OP_CONV2D:
    case FC_XNN_OP_DWCONV2D: arity = 3; break;
    case FC_XNN_OP_ADD2:
    case FC_XNN_OP_MULTIPLY2: arity = 2; break;
    case FC_XNN_OP_SIGMOID:
    case FC_XNN_OP_RESIZE_BILINEAR:
    case FC_XNN_OP_MAX_POOL2D:
    case FC_XNN_OP_CONSTANT_PAD: arity = 1; break;
    default: return bad(c, i, "unknown operator type");
    }
    for (int k = 0; k < FC_XNN_OP_INPUTS; k++) {
        uint32_t v = op->inputs[k];
        if (k >= arity) {
            if (v != FC_XNN_NO_VALUE)
                return bad(c, i, "more inputs than the operator takes");
            continue;
        }
        if (v >= g->value_count)
            return bad(c, i, "input refers to no value");
        if (!c->computed[v])
            return bad(c, i, "input is used before it is computed");
    }
    if (op->output >= g->value_count)
        return bad(c, i, "output refers to no value");
    const struct fc_xnn_value *y = &g->values[op->output];
    if (y->kind != FC_XNN_VALUE_INTERNAL && y->kind != FC_XNN_VALUE_OUTPUT)
        return bad(c, i, "output is a constant or the input");
    if (c->computed[op->output])
        return bad(c, i, "output is computed twice");
    if (isnan(op->out_min) || isnan(op->out_max) || !(op->out_min < op->out_max))
        return bad(c, i, "output clamp is empty");
    /* Parameters an operator does not take must be 0 (convolutions and
     * poolings take all ten, a resize its two sizes, a padding eight). */
    int takes = arity == 3 || op->type == FC_XNN_OP_MAX_POOL2D ? FC_XNN_OP_PARAMS
                : op->type == FC_XNN_OP_RESIZE_BILINEAR        ? 2
                : op->type == FC_XNN_OP_CONSTANT_PAD           ? 2 * FC_XNN_MAX_DIMS
                                                               : 0;
    for (int k = takes; k < FC_XNN_OP_PARAMS; k++)
        if (op->params[k] != 0)
            return bad(c, i, "a parameter the operator does not take is set");
    int rc = 0;
    const struct fc_xnn_value *x = &g->values[op->inputs[0]];
    switch (op->type) {
    case FC_XNN_OP_CONV2D:
    case FC_XNN_OP_DWCONV2D: rc = check_conv(c, i, op); break;
    case FC_XNN_OP_ADD2:
    case FC_XNN_OP_MULTIPLY2: rc = check_binary(c, i, op); break;
    case FC_XNN_OP_SIGMOID:
        if (!same_shape(x, y))
            rc = bad(c, i, "sigmoid output shape differs from its input");
        break;
    case FC_XNN_OP_RESIZE_BILINEAR:
        if (x->ndims != 4 || y->ndims != 4 || y->dims[0] != x->dims[0] ||
            y->dims[1] != op->params[0] || y->dims[2] != op->params[1] || y->dims[3] != x->dims[3])
            rc = bad(c, i, "resize output shape is not [n, new_h, new_w, c]");
        break;
    case FC_XNN_OP_MAX_POOL2D: rc = check_pool(c, i, op); break;
    case FC_XNN_OP_CONSTANT_PAD: rc = check_pad(c, i, op); break;
    }
    if (rc == 0)
        c->computed[op->output] = 1;
    return rc;
}

static int check_graph(struct check *c)
{
    const struct fc_xnn_graph *g = c->g;
    for (uint32_t i = 0; i < g->value_count; i++) {
        const struct fc_xnn_value *v = &g->values[i];
        c->computed[i] = v->kind == FC_XNN_VALUE_STATIC || v->kind == FC_XNN_VALUE_INPUT;
    }
    for (uint32_t i = 0; i < g->op_count; i++) {
        int rc = check_op(c, i);
        if (rc < 0)
            return rc;
    }
    for (uint32_t i = 0; i < g->value_count; i++)
        if (!c->computed[i])
            return fc_error_set(c->err, FC_ERR_FORMAT, "%s: value %u is never computed", c->name,
                                i);
    return 0;
}

/* ---- parsing ---- */

static int parse_values(struct fc_xnn_graph *g, const unsigned char *p, const char *name,
                        struct fc_error *err)
{
    uint32_t inputs = 0;
    for (uint32_t i = 0; i < g->value_count; i++, p += VALUE_BYTES) {
        struct fc_xnn_value *v = &g->values[i];
        v->ndims = rd32(p);
        if (v->ndims < 1 || v->ndims > FC_XNN_MAX_DIMS)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: value %u has %u dimensions (1..%d)", name,
                                i, v->ndims, FC_XNN_MAX_DIMS);
        uint64_t n = 1;
        for (uint32_t k = 0; k < FC_XNN_MAX_DIMS; k++) {
            v->dims[k] = rd32(p + 4 + 4 * k);
            int used = k < v->ndims;
            if (used ? v->dims[k] < 1 || v->dims[k] > MAX_DIM : v->dims[k] != 0)
                return fc_error_set(err, FC_ERR_FORMAT, "%s: value %u: dimension %u is %u", name, i,
                                    k, v->dims[k]);
            if (used)
                n *= v->dims[k];
        }
        if (n > MAX_ELEMENTS)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: value %u has %llu elements (at most %u)",
                                name, i, (unsigned long long)n, MAX_ELEMENTS);
        v->kind = rd32(p + 20);
        v->weight_offset = rd32(p + 24);
        if (v->kind > FC_XNN_VALUE_OUTPUT || rd32(p + 28) != 0)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: value %u: unknown kind %u", name, i,
                                v->kind);
        if (v->kind == FC_XNN_VALUE_STATIC ? (uint64_t)v->weight_offset + n > g->weight_count
                                           : v->weight_offset != 0)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: value %u: its data (%llu floats at %u) is not in the %u "
                                "weights",
                                name, i, (unsigned long long)n, v->weight_offset, g->weight_count);
        if (v->kind == FC_XNN_VALUE_INPUT && (++inputs > 1 || i != g->input))
            return fc_error_set(err, FC_ERR_FORMAT, "%s: value %u is an input besides value %u",
                                name, i, g->input);
    }
    if (inputs != 1)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: the input value %u is not marked as one", name,
                            g->input);
    return 0;
}

static int parse_outputs(struct fc_xnn_graph *g, const unsigned char *p, const char *name,
                         struct fc_error *err)
{
    for (uint32_t i = 0; i < g->output_count; i++, p += OUTPUT_BYTES) {
        struct fc_xnn_output *o = &g->outputs[i];
        o->value = rd32(p);
        memcpy(o->name, p + 4, FC_XNN_NAME_BYTES);
        if (!memchr(o->name, '\0', FC_XNN_NAME_BYTES) || !o->name[0])
            return fc_error_set(err, FC_ERR_FORMAT, "%s: output %u has no name", name, i);
        if (o->value >= g->value_count || g->values[o->value].kind != FC_XNN_VALUE_OUTPUT)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: output '%s' is not an output value", name,
                                o->name);
        for (uint32_t k = 0; k < i; k++)
            if (g->outputs[k].value == o->value || !strcmp(g->outputs[k].name, o->name))
                return fc_error_set(err, FC_ERR_FORMAT, "%s: output '%s' is listed twice", name,
                                    o->name);
    }
    uint32_t marked = 0;
    for (uint32_t i = 0; i < g->value_count; i++)
        marked += g->values[i].kind == FC_XNN_VALUE_OUTPUT;
    if (marked != g->output_count)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: %u values are outputs but %u are listed", name,
                            marked, g->output_count);
    return 0;
}

static void parse_ops(struct fc_xnn_graph *g, const unsigned char *p)
{
    for (uint32_t i = 0; i < g->op_count; i++, p += OP_BYTES) {
        struct fc_xnn_op *op = &g->ops[i];
        op->type = rd32(p);
        for (int k = 0; k < FC_XNN_OP_INPUTS; k++)
            op->inputs[k] = rd32(p + 4 + 4 * k);
        op->output = rd32(p + 16);
        for (int k = 0; k < FC_XNN_OP_PARAMS; k++)
            op->params[k] = rd32(p + 20 + 4 * k);
        op->out_min = rdf(p + 60);
        op->out_max = rdf(p + 64);
    }
}

/* The header's counts, checked against each other and the data's length;
 * the payload's checksum checked too. */
struct header {
    uint32_t values, ops, outputs, input, weights;
};

static int read_header(const unsigned char *b, size_t len, const char *name, struct header *h,
                       struct fc_error *err)
{
    if (len < HEADER_BYTES)
        return fc_error_set(err, FC_ERR_TRUNCATED,
                            "%s: truncated: %zu bytes, shorter than the %d-byte header", name, len,
                            HEADER_BYTES);
    if (memcmp(b, FC_XNN_GRAPH_MAGIC, sizeof FC_XNN_GRAPH_MAGIC) != 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: not a formcheck XNNPACK graph file", name);
    uint32_t version = rd32(b + 8);
    if (version != FC_XNN_GRAPH_VERSION)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "%s: graph file version %u (this reads %u)",
                            name, version, FC_XNN_GRAPH_VERSION);
    *h = (struct header){.values = rd32(b + 12),
                         .ops = rd32(b + 16),
                         .outputs = rd32(b + 20),
                         .input = rd32(b + 24),
                         .weights = rd32(b + 28)};
    uint64_t payload = (uint64_t)rd32(b + 32) | (uint64_t)rd32(b + 36) << 32;
    uint32_t crc = rd32(b + 40);
    if (h->values < 2 || h->values > MAX_VALUES || h->ops < 1 || h->ops > MAX_OPS ||
        h->outputs < 1 || h->outputs > FC_XNN_MAX_OUTPUTS || h->weights > MAX_WEIGHTS ||
        h->input >= h->values || rd32(b + 44) != 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: header counts out of range (%u values, %u operators, %u outputs, "
                            "%u weights)",
                            name, h->values, h->ops, h->outputs, h->weights);
    uint64_t want = (uint64_t)h->values * VALUE_BYTES + (uint64_t)h->outputs * OUTPUT_BYTES +
                    (uint64_t)h->ops * OP_BYTES + (uint64_t)h->weights * sizeof(float);
    if (payload != want)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: header says %llu bytes follow, its counts make %llu", name,
                            (unsigned long long)payload, (unsigned long long)want);
    if (len - HEADER_BYTES < payload)
        return fc_error_set(err, FC_ERR_TRUNCATED,
                            "%s: truncated: %zu bytes, the header promises %llu", name, len,
                            (unsigned long long)(payload + HEADER_BYTES));
    if (len - HEADER_BYTES > payload)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: %llu bytes after the end of the graph", name,
                            (unsigned long long)(len - HEADER_BYTES - payload));
    uint32_t got = fc_xnn_crc32(b + HEADER_BYTES, (size_t)payload);
    if (got != crc)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: corrupt: checksum %08x, the header says %08x",
                            name, got, crc);
    return 0;
}

int fc_xnn_graph_parse(struct fc_xnn_graph **out, const void *data, size_t len, const char *name,
                       struct fc_error *err)
{
    *out = NULL;
    struct header h = {0};
    int rc = read_header(data, len, name, &h, err);
    if (rc < 0)
        return rc;
    struct check c = {.name = name, .err = err};
    struct fc_xnn_graph *g = calloc(1, sizeof *g);
    if (!g)
        goto nomem;
    g->value_count = h.values, g->op_count = h.ops, g->output_count = h.outputs;
    g->input = h.input, g->weight_count = h.weights;
    g->values = calloc(h.values, sizeof *g->values);
    g->ops = calloc(h.ops, sizeof *g->ops);
    g->outputs = calloc(h.outputs, sizeof *g->outputs);
    g->weights = malloc(h.weights ? (size_t)h.weights * sizeof(float) : 1);
    c.computed = calloc(h.values, 1);
    if (!g->values || !g->ops || !g->outputs || !g->weights || !c.computed)
        goto nomem;
    /* the payload's parts, in file order */
    const unsigned char *p = (const unsigned char *)data + HEADER_BYTES;
    if ((rc = parse_values(g, p, name, err)) < 0)
        goto fail;
    p += (size_t)h.values * VALUE_BYTES;
    if ((rc = parse_outputs(g, p, name, err)) < 0)
        goto fail;
    p += (size_t)h.outputs * OUTPUT_BYTES;
    parse_ops(g, p);
    p += (size_t)h.ops * OP_BYTES;
    for (uint32_t i = 0; i < h.weights; i++)
        g->weights[i] = rdf(p + 4 * (size_t)i);
    c.g = g;
    if ((rc = check_graph(&c)) < 0)
        goto fail;
    free(c.computed);
    *out = g;
    return 0;
nomem:
    rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for the graph", name);
fail:
    free(c.computed);
    fc_xnn_graph_free(g);
    return rc;
}

int fc_xnn_graph_load(struct fc_xnn_graph **out, const char *path, struct fc_error *err)
{
    unsigned char *data = NULL;
    size_t size = 0;
    *out = NULL;
    int rc = fc_read_file(path, HEADER_BYTES + (size_t)MAX_WEIGHTS * sizeof(float),
                          "an XNNPACK graph", &data, &size, err);
    if (rc < 0)
        return rc;
    rc = fc_xnn_graph_parse(out, data, size, path, err);
    free(data);
    return rc;
}
