/* The XNNPACK graph file (pose/xnn_graph.h) and its runtime (pose/dnn.h with
 * FC_DNN_BACKEND_XNNPACK): a graph written here byte by byte from the format
 * in docs/models.md (not by the converter), run on numbers whose result is
 * worked out by hand; and every way a file can be wrong refused with a
 * message naming it. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pose/dnn.h"
#include "pose/movenet.h"
#include "pose/xnn_graph.h"
#include "support/testutil.h"

/* ---- a writer for the format, independent of tools/tfjs_to_xnn.py ---- */

struct buf {
    unsigned char b[4096];
    size_t n;
};

static void put32(struct buf *w, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        w->b[w->n++] = (unsigned char)(v >> (8 * i));
}

static void putf(struct buf *w, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    put32(w, u);
}

static void value(struct buf *w, uint32_t ndims, const uint32_t *dims, uint32_t kind, uint32_t off)
{
    put32(w, ndims);
    for (uint32_t k = 0; k < 4; k++)
        put32(w, k < ndims ? dims[k] : 0);
    put32(w, kind);
    put32(w, off);
    put32(w, 0);
}

static void op(struct buf *w, uint32_t type, uint32_t a, uint32_t b, uint32_t c, uint32_t out,
               const uint32_t *params, int np, float lo, float hi)
{
    put32(w, type);
    put32(w, a);
    put32(w, b);
    put32(w, c);
    put32(w, out);
    for (int k = 0; k < 10; k++)
        put32(w, k < np ? params[k] : 0);
    putf(w, lo);
    putf(w, hi);
}

/* input x [1,2,2,1] -> 1x1 convolution y = clamp(2x + 1, 0, 6) -> bilinear
 * x2 to [1,4,4,1] -> + 0.5 -> sigmoid: output "y". conv_out_h lets a test
 * declare a wrong shape. Returns the file's size. */
static size_t sample(unsigned char *out, uint32_t conv_out_h)
{
    struct buf p = {.n = 0};
    const uint32_t in[4] = {1, 2, 2, 1}, w[4] = {1, 1, 1, 1}, one[1] = {1};
    const uint32_t conv[4] = {1, conv_out_h, 2, 1}, big[4] = {1, 4, 4, 1};
    /* values: 0 x, 1 filter, 2 bias, 3 conv, 4 resized, 5 const, 6 sum, 7 y */
    value(&p, 4, in, FC_XNN_VALUE_INPUT, 0);
    value(&p, 4, w, FC_XNN_VALUE_STATIC, 0);
    value(&p, 1, one, FC_XNN_VALUE_STATIC, 1);
    value(&p, 4, conv, FC_XNN_VALUE_INTERNAL, 0);
    value(&p, 4, big, FC_XNN_VALUE_INTERNAL, 0);
    value(&p, 1, one, FC_XNN_VALUE_STATIC, 2);
    value(&p, 4, big, FC_XNN_VALUE_INTERNAL, 0);
    value(&p, 4, big, FC_XNN_VALUE_OUTPUT, 0);
    put32(&p, 7); /* output 'y' */
    const char name[12] = "y";
    memcpy(p.b + p.n, name, 12);
    p.n += 12;
    const uint32_t c1[10] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, rs[2] = {4, 4};
    op(&p, FC_XNN_OP_CONV2D, 0, 1, 2, 3, c1, 10, 0.0f, 6.0f);
    op(&p, FC_XNN_OP_RESIZE_BILINEAR, 3, UINT32_MAX, UINT32_MAX, 4, rs, 2, -INFINITY, INFINITY);
    op(&p, FC_XNN_OP_ADD2, 4, 5, UINT32_MAX, 6, NULL, 0, -INFINITY, INFINITY);
    op(&p, FC_XNN_OP_SIGMOID, 6, UINT32_MAX, UINT32_MAX, 7, NULL, 0, -INFINITY, INFINITY);
    putf(&p, 2.0f); /* weights: filter, bias, the constant */
    putf(&p, 1.0f);
    putf(&p, 0.5f);

    struct buf h = {.n = 0};
    memcpy(h.b, "FCXNNGR", 8);
    h.n = 8;
    put32(&h, 1); /* version */
    put32(&h, 8); /* values */
    put32(&h, 4); /* operators */
    put32(&h, 1); /* outputs */
    put32(&h, 0); /* input value */
    put32(&h, 3); /* weights */
    put32(&h, (uint32_t)p.n);
    put32(&h, 0); /* payload size, high half */
    put32(&h, fc_xnn_crc32(p.b, p.n));
    put32(&h, 0);
    cr_assert_eq(h.n, 48);
    memcpy(out, h.b, h.n);
    memcpy(out + h.n, p.b, p.n);
    return h.n + p.n;
}

Test(xnn_graph, crc32_is_zlibs)
{
    /* the check value of CRC-32/ISO-HDLC */
    cr_assert_eq(fc_xnn_crc32("123456789", 9), 0xCBF43926u);
}

Test(xnn_graph, reads_a_valid_file)
{
    unsigned char f[4096];
    size_t n = sample(f, 2);
    struct fc_xnn_graph *g;
    struct fc_error err = {0};
    cr_assert_eq(fc_xnn_graph_parse(&g, f, n, "sample.xnn", &err), 0, "%s", err.msg);
    cr_assert_eq(g->op_count, 4);
    cr_assert_str_eq(g->outputs[0].name, "y");
    cr_assert_float_eq(fc_xnn_graph_data(g, 5)[0], 0.5f, 0);
    fc_xnn_graph_free(g);
}

Test(xnn_graph, every_truncation_is_refused)
{
    unsigned char f[4096];
    size_t n = sample(f, 2);
    for (size_t len = 0; len < n; len++) {
        struct fc_xnn_graph *g = NULL;
        struct fc_error err = {0};
        int rc = fc_xnn_graph_parse(&g, f, len, "cut.xnn", &err);
        cr_assert_eq(rc, FC_ERR_TRUNCATED, "%zu bytes: %d %s", len, rc, err.msg);
        cr_assert_null(g);
        cr_assert(strstr(err.msg, "cut.xnn: truncated"), "%s", err.msg);
    }
}

Test(xnn_graph, any_flipped_byte_is_refused)
{
    unsigned char f[4096];
    size_t n = sample(f, 2);
    for (size_t i = 0; i < n; i++) {
        if (i >= 40 && i < 44)
            continue; /* a different checksum: refused too, but by the comparison itself */
        unsigned char g2[4096];
        memcpy(g2, f, n);
        g2[i] ^= 0x10;
        struct fc_xnn_graph *g = NULL;
        struct fc_error err = {0};
        cr_assert_lt(fc_xnn_graph_parse(&g, g2, n, "bad.xnn", &err), 0, "byte %zu", i);
        cr_assert_null(g);
        cr_assert(strstr(err.msg, "bad.xnn: "), "%s", err.msg);
        if (i >= 48)
            cr_assert(strstr(err.msg, "corrupt: checksum"), "byte %zu: %s", i, err.msg);
    }
}

Test(xnn_graph, inconsistent_shapes_are_refused_even_with_a_good_checksum)
{
    unsigned char f[4096];
    size_t n = sample(f, 3); /* a 1x1 convolution of a 2-row input declared 3 rows high */
    struct fc_xnn_graph *g = NULL;
    struct fc_error err = {0};
    cr_assert_eq(fc_xnn_graph_parse(&g, f, n, "shape.xnn", &err), FC_ERR_FORMAT);
    cr_assert(strstr(err.msg, "shape.xnn: operator 0: output"), "%s", err.msg);
}

Test(xnn_graph, missing_file_names_it)
{
    struct fc_dnn_params p = fc_dnn_default_params();
    p.backend = FC_DNN_BACKEND_XNNPACK;
    struct fc_dnn *d = NULL;
    struct fc_error err = {0};
    int rc = fc_dnn_open(&d, "/nonexistent/movenet-lightning.xnn", &p, &err);
    cr_assert_null(d);
    if (!fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK)) {
        cr_assert_eq(rc, FC_ERR_UNSUPPORTED, "%s", err.msg);
        cr_assert(strstr(err.msg, "libxnnpack-dev"), "%s", err.msg);
        return;
    }
    cr_assert_eq(rc, FC_ERR_IO, "%s", err.msg);
    cr_assert(strstr(err.msg, "/nonexistent/movenet-lightning.xnn: "), "%s", err.msg);
}

static float sigmoid(float x)
{
    return 1.0f / (1.0f + expf(-x));
}

Test(xnn_graph, runs_with_hand_worked_numbers)
{
    if (!fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK))
        cr_skip("XNNPACK is not built in");
    char dir[512], path[600];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/sample.xnn", dir);
    unsigned char f[4096];
    fc_test_write_file(path, f, sample(f, 2));
    struct fc_dnn_params p = fc_dnn_default_params();
    p.backend = FC_DNN_BACKEND_XNNPACK;
    struct fc_dnn *d;
    struct fc_error err = {0};
    cr_assert_eq(fc_dnn_open(&d, path, &p, &err), 0, "%s", err.msg);
    cr_assert(fc_dnn_channels_last(d));
    /* conv: 2x + 1 clamped to [0, 6]: -1 -> 0 (clamped), 0 -> 1, 1 -> 3, 4 -> 6 (clamped) */
    const float x[4] = {-1.0f, 0.0f, 1.0f, 4.0f};
    const float c[2][2] = {{0.0f, 1.0f}, {3.0f, 6.0f}};
    const int shape[4] = {1, 2, 2, 1};
    cr_assert_eq(fc_dnn_run(d, x, shape, 4, &err), 0, "%s", err.msg);
    struct fc_dnn_tensor t;
    cr_assert_eq(fc_dnn_output(d, 0, &t), 0);
    cr_assert_eq(t.count, 16);
    cr_assert_eq(t.shape[1], 4);
    /* bilinear x2, half-pixel centres: output i samples input (i + 0.5) / 2 - 0.5, clamped:
     * weights along an axis, per output index: 0 -> a, 1 -> .75a + .25b, 2 -> .25a + .75b, 3 -> b
     */
    const float wa[4] = {1.0f, 0.75f, 0.25f, 0.0f};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            float top = wa[j] * c[0][0] + (1 - wa[j]) * c[0][1];
            float bottom = wa[j] * c[1][0] + (1 - wa[j]) * c[1][1];
            float want = sigmoid(wa[i] * top + (1 - wa[i]) * bottom + 0.5f);
            cr_assert_float_eq(t.data[i * 4 + j], want, 1e-5, "(%d,%d) %f != %f", i, j,
                               t.data[i * 4 + j], want);
        }
    /* a wrong input shape is the caller's error, named */
    const int wrong[4] = {1, 3, 2, 1};
    cr_assert_eq(fc_dnn_run(d, x, wrong, 4, &err), FC_ERR_ARG);
    cr_assert(strstr(err.msg, path), "%s", err.msg);
    const char *names[] = {"z"};
    cr_assert_eq(fc_dnn_select_outputs(d, names, 1, &err), FC_ERR_FORMAT);
    fc_dnn_close(d);
    fc_test_rmtree(dir);
}

/* input x [1,2,2,1] -> zero pad of the channels (0 before, 1 after) to
 * [1,2,2,2] -> 2x2 max pooling, stride 2, to [1,1,1,2]: output "y" =
 * (max of x, 0). pool_out_c lets a test declare a wrong shape. */
static size_t pool_sample(unsigned char *out, uint32_t pool_out_c)
{
    struct buf p = {.n = 0};
    const uint32_t in[4] = {1, 2, 2, 1}, padded[4] = {1, 2, 2, 2}, y[4] = {1, 1, 1, pool_out_c};
    value(&p, 4, in, FC_XNN_VALUE_INPUT, 0);
    value(&p, 4, padded, FC_XNN_VALUE_INTERNAL, 0);
    value(&p, 4, y, FC_XNN_VALUE_OUTPUT, 0);
    put32(&p, 2);
    const char name[12] = "y";
    memcpy(p.b + p.n, name, 12);
    p.n += 12;
    const uint32_t pad[8] = {0, 0, 0, 0, 0, 0, 0, 1}, pool[10] = {0, 0, 0, 0, 2, 2, 2, 2, 1, 1};
    op(&p, FC_XNN_OP_CONSTANT_PAD, 0, UINT32_MAX, UINT32_MAX, 1, pad, 8, -INFINITY, INFINITY);
    op(&p, FC_XNN_OP_MAX_POOL2D, 1, UINT32_MAX, UINT32_MAX, 2, pool, 10, -INFINITY, INFINITY);
    struct buf h = {.n = 0};
    memcpy(h.b, "FCXNNGR", 8);
    h.n = 8;
    put32(&h, 1); /* version */
    put32(&h, 3); /* values */
    put32(&h, 2); /* operators */
    put32(&h, 1); /* outputs */
    put32(&h, 0); /* input value */
    put32(&h, 0); /* weights */
    put32(&h, (uint32_t)p.n);
    put32(&h, 0);
    put32(&h, fc_xnn_crc32(p.b, p.n));
    put32(&h, 0);
    memcpy(out, h.b, h.n);
    memcpy(out + h.n, p.b, p.n);
    return h.n + p.n;
}

Test(xnn_graph, pooling_and_padding_shapes_are_checked)
{
    unsigned char f[4096];
    struct fc_xnn_graph *g = NULL;
    struct fc_error err = {0};
    size_t n = pool_sample(f, 2);
    cr_assert_eq(fc_xnn_graph_parse(&g, f, n, "pool.xnn", &err), 0, "%s", err.msg);
    fc_xnn_graph_free(g);
    g = NULL;
    n = pool_sample(f, 1); /* the padded channel lost */
    cr_assert_eq(fc_xnn_graph_parse(&g, f, n, "pool.xnn", &err), FC_ERR_FORMAT);
    cr_assert(strstr(err.msg, "pool.xnn: operator 1: pooling output shape"), "%s", err.msg);
}

Test(xnn_graph, pooling_and_padding_run_with_hand_worked_numbers)
{
    if (!fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK))
        cr_skip("XNNPACK is not built in");
    char dir[512], path[600];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/pool.xnn", dir);
    unsigned char f[4096];
    fc_test_write_file(path, f, pool_sample(f, 2));
    struct fc_dnn_params p = fc_dnn_default_params();
    p.backend = FC_DNN_BACKEND_XNNPACK;
    struct fc_dnn *d;
    struct fc_error err = {0};
    cr_assert_eq(fc_dnn_open(&d, path, &p, &err), 0, "%s", err.msg);
    const float x[4] = {-3.0f, 2.5f, -1.0f, 0.5f};
    const int shape[4] = {1, 2, 2, 1};
    cr_assert_eq(fc_dnn_run(d, x, shape, 4, &err), 0, "%s", err.msg);
    struct fc_dnn_tensor t;
    cr_assert_eq(fc_dnn_output(d, 0, &t), 0);
    cr_assert_eq(t.count, 2);
    cr_assert_float_eq(t.data[0], 2.5f, 0); /* the largest of the four */
    cr_assert_float_eq(t.data[1], 0.0f, 0); /* the padded channel: zeros */
    fc_dnn_close(d);
    fc_test_rmtree(dir);
}

/* The pose stage asked for XNNPACK alone: a damaged graph is an error that
 * names the file and the command that re-creates it; with the fallback, the
 * same reason goes to the log and OpenCV is tried. */
Test(xnn_graph, movenet_names_a_damaged_graph_and_how_to_regenerate_it)
{
    char dir[512], path[600], logpath[600];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/movenet-lightning.xnn", dir);
    unsigned char f[4096];
    size_t n = sample(f, 2);
    fc_test_write_file(path, f, n - 5); /* truncated */
    struct fc_movenet_params p = fc_movenet_default_params();
    p.model_dir = dir;
    p.backend = FC_DNN_BACKEND_XNNPACK;
    p.fallback = 0;
    struct fc_movenet *m = NULL;
    struct fc_error err = {0};
    int rc = fc_movenet_open(&m, &p, &err);
    cr_assert_lt(rc, 0);
    cr_assert_null(m);
    cr_assert(strstr(err.msg, path), "%s", err.msg);
    if (fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK)) {
        cr_assert_eq(rc, FC_ERR_TRUNCATED, "%s", err.msg);
        cr_assert(strstr(err.msg, "truncated"), "%s", err.msg);
        cr_assert(strstr(err.msg, "bash tools/fetch_models.sh"), "%s", err.msg);
    }

    /* corrupt: one byte of the weights changed */
    f[n - 2] ^= 0x01;
    fc_test_write_file(path, f, n);
    cr_assert_lt(fc_movenet_open(&m, &p, &err), 0);
    cr_assert(strstr(err.msg, path), "%s", err.msg);
    if (fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK))
        cr_assert(strstr(err.msg, "corrupt"), "%s", err.msg);

    /* a valid graph that is not MoveNet: its heads are missing */
    fc_test_write_file(path, f, sample(f, 2));
    cr_assert_lt(fc_movenet_open(&m, &p, &err), 0);
    cr_assert(strstr(err.msg, path), "%s", err.msg);
    if (fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK))
        cr_assert(strstr(err.msg, "no output named 'heatmap'"), "%s", err.msg);

    /* with the fallback: the reason on the log, then OpenCV (no ONNX file here) */
    snprintf(logpath, sizeof logpath, "%s/log.txt", dir);
    FILE *log = fopen(logpath, "w+");
    cr_assert_not_null(log);
    p.fallback = 1;
    p.log = log;
    cr_assert_eq(fc_movenet_open(&m, &p, &err), FC_ERR_IO, "%s", err.msg);
    cr_assert(strstr(err.msg, "movenet-lightning-opencv.onnx"), "%s", err.msg);
    rewind(log);
    char line[2048] = "";
    cr_assert_not_null(fgets(line, sizeof line, log));
    fclose(log);
    cr_assert(strstr(line, path), "%s", line);
    cr_assert(strstr(line, fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK)
                               ? "bash tools/fetch_models.sh"
                               : "libxnnpack-dev"),
              "%s", line);
    cr_assert(strstr(line, "OpenCV"), "%s", line);
    fc_test_rmtree(dir);
}
