/* formcheck pose: the flat graph file that the XNNPACK backend runs.
 *
 * XNNPACK has no model loader, so tools/tfjs_to_xnn.py writes the graph as a
 * list of operators with their weights (the format: docs/models.md, "The
 * XNNPACK graph file"), and this reader checks all of it before anything is
 * built: every count, offset and shape is consistent, every operator's output
 * shape follows from its inputs and parameters, values are used only after
 * they are computed, and a CRC-32 covers everything after the header. So a
 * corrupt, truncated or hand-made file is refused here with a message naming
 * the file, never handed to XNNPACK. No XNNPACK header is needed to read it
 * (the fuzz target fuzz/fuzz_graph.c links this alone).
 *
 *     struct fc_xnn_graph *g;
 *     if (fc_xnn_graph_load(&g, "movenet-lightning.xnn", &err) < 0)
 *         return err.code;        // "movenet-lightning.xnn: truncated: ..."
 *     for (uint32_t i = 0; i < g->op_count; i++)
 *         define(g->ops[i]);      // values: g->values, static data: fc_xnn_graph_data()
 *     fc_xnn_graph_free(g);
 */
#ifndef FC_POSE_XNN_GRAPH_H
#define FC_POSE_XNN_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define FC_XNN_GRAPH_MAGIC "FCXNNGR"
#define FC_XNN_GRAPH_VERSION 1u
#define FC_XNN_MAX_DIMS 4
#define FC_XNN_OP_INPUTS 3
#define FC_XNN_OP_PARAMS 10
#define FC_XNN_NAME_BYTES 12
#define FC_XNN_MAX_OUTPUTS 8
#define FC_XNN_NO_VALUE UINT32_MAX

enum fc_xnn_value_kind {
    FC_XNN_VALUE_INTERNAL = 0, /* computed by an operator, used by others */
    FC_XNN_VALUE_STATIC = 1,   /* weights stored in the file */
    FC_XNN_VALUE_INPUT = 2,    /* the graph's one input */
    FC_XNN_VALUE_OUTPUT = 3,   /* computed, and read by the caller */
};

enum fc_xnn_op_type {
    FC_XNN_OP_CONV2D = 1,   /* in: x, filter [O,kh,kw,I], bias [O] */
    FC_XNN_OP_DWCONV2D = 2, /* in: x, filter [1,kh,kw,C*M], bias [C*M] */
    FC_XNN_OP_ADD2 = 3,     /* in: a, b (broadcast) */
    FC_XNN_OP_MULTIPLY2 = 4,
    FC_XNN_OP_SIGMOID = 5,
    FC_XNN_OP_RESIZE_BILINEAR = 6, /* half-pixel centres; params: new height, new width */
    FC_XNN_OP_MAX_POOL2D = 7,      /* params as a convolution's (kernel = pooling window) */
    FC_XNN_OP_CONSTANT_PAD = 8,    /* zeros; params: 4 dims before, then 4 dims after */
};

/* Convolution parameters, by index into fc_xnn_op.params. */
enum {
    FC_XNN_PAD_TOP,
    FC_XNN_PAD_RIGHT,
    FC_XNN_PAD_BOTTOM,
    FC_XNN_PAD_LEFT,
    FC_XNN_KERNEL_H,
    FC_XNN_KERNEL_W,
    FC_XNN_STRIDE_H,
    FC_XNN_STRIDE_W,
    FC_XNN_DILATION_H,
    FC_XNN_DILATION_W,
};

struct fc_xnn_value {
    uint32_t ndims;
    uint32_t dims[FC_XNN_MAX_DIMS];
    uint32_t kind;          /* enum fc_xnn_value_kind */
    uint32_t weight_offset; /* static values: first float in the weights */
};

struct fc_xnn_op {
    uint32_t type;                     /* enum fc_xnn_op_type */
    uint32_t inputs[FC_XNN_OP_INPUTS]; /* FC_XNN_NO_VALUE when unused */
    uint32_t output;
    uint32_t params[FC_XNN_OP_PARAMS];
    float out_min, out_max; /* the output clamp (a fused ReLU / ReLU6) */
};

struct fc_xnn_output {
    uint32_t value;
    char name[FC_XNN_NAME_BYTES]; /* NUL-terminated */
};

struct fc_xnn_graph {
    uint32_t value_count, op_count, output_count, input;
    struct fc_xnn_value *values;
    struct fc_xnn_op *ops;
    struct fc_xnn_output *outputs;
    uint32_t weight_count;
    float *weights; /* weight_count floats, owned by the graph */
};

/* Checks and copies a graph from memory. name is for messages. FC_ERR_FORMAT
 * (message "NAME: ...") when anything is wrong, FC_ERR_NOMEM. */
int fc_xnn_graph_parse(struct fc_xnn_graph **out, const void *data, size_t len, const char *name,
                       struct fc_error *err);

/* Reads and checks a graph file: FC_ERR_IO when it cannot be read, else as
 * fc_xnn_graph_parse. */
int fc_xnn_graph_load(struct fc_xnn_graph **out, const char *path, struct fc_error *err);

/* The static data of value v (NULL for a value without). */
const float *fc_xnn_graph_data(const struct fc_xnn_graph *g, uint32_t v);

/* Elements in value v. */
size_t fc_xnn_value_count(const struct fc_xnn_value *v);

void fc_xnn_graph_free(struct fc_xnn_graph *g);

/* The CRC-32 of the file's payload (ISO-HDLC, as zlib's crc32). */
uint32_t fc_xnn_crc32(const void *data, size_t len);

#endif
