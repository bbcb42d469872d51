/* Test-only C3D writer; see c3d_writer.h. Deliberately written apart from
 * the reader (frexp-based VAX encoding, its own byte emitters) so a shared
 * misunderstanding of the format does not cancel out in round trips. */
#include "c3d_writer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bytes {
    unsigned char *p;
    size_t n, cap;
    enum fc_c3d_processor proc;
    int failed;
};

static void put(struct bytes *b, const void *src, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

static void put_u8(struct bytes *b, int v)
{
    unsigned char c = (unsigned char)v;
    put(b, &c, 1);
}

static void put_zeros(struct bytes *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_u8(b, 0);
}

static void put_i16(struct bytes *b, long v)
{
    unsigned u = (unsigned)(v & 0xffff);
    unsigned char c[2];
    if (b->proc == FC_C3D_MIPS) {
        c[0] = (unsigned char)(u >> 8);
        c[1] = (unsigned char)u;
    } else {
        c[0] = (unsigned char)u;
        c[1] = (unsigned char)(u >> 8);
    }
    put(b, c, 2);
}

static void encode_f32(enum fc_c3d_processor proc, double v, unsigned char c[4])
{
    if (proc == FC_C3D_DEC) {
        /* VAX F: v = 0.1fff... x 2^(e-128); word 0 = sign|exponent|fraction
         * high 7 bits, word 1 = fraction low 16 bits, each word little-endian. */
        uint32_t word0 = 0, word1 = 0;
        if (v != 0.0) {
            int e;
            double m = frexp(fabs(v), &e); /* 0.5 <= m < 1 */
            uint32_t frac = (uint32_t)llround((m * 2.0 - 1.0) * 8388608.0);
            if (frac == 8388608u) { /* rounded up to the next power of two */
                frac = 0;
                e++;
            }
            uint32_t u = (v < 0 ? 1u << 31 : 0u) | (uint32_t)(e + 128) << 23 | frac;
            word0 = u >> 16;
            word1 = u & 0xffffu;
        }
        c[0] = (unsigned char)word0;
        c[1] = (unsigned char)(word0 >> 8);
        c[2] = (unsigned char)word1;
        c[3] = (unsigned char)(word1 >> 8);
        return;
    }
    float fv = (float)v;
    uint32_t u;
    memcpy(&u, &fv, 4);
    for (int i = 0; i < 4; i++) {
        int shift = proc == FC_C3D_MIPS ? 24 - 8 * i : 8 * i;
        c[i] = (unsigned char)(u >> shift);
    }
}

static void put_f32(struct bytes *b, double v)
{
    unsigned char c[4];
    encode_f32(b->proc, v, c);
    put(b, c, 4);
}

/* One group or parameter record. data is already in file order. */
struct record {
    int id; /* < 0 group */
    const char *name;
    int type;
    int ndims;
    int dims[3];
    struct bytes data;
};

static void put_record(struct bytes *b, const struct record *r, int last)
{
    const char *desc = r->id < 0 ? "test group" : "";
    size_t nlen = strlen(r->name);
    put_u8(b, (int)nlen);
    put_u8(b, r->id);
    put(b, r->name, nlen);
    /* offset counts from the offset field itself to the next record */
    size_t rest = 2 + 1 + strlen(desc);
    if (r->id > 0)
        rest += 2 + (size_t)r->ndims + r->data.n;
    put_i16(b, last ? 0 : (long)rest);
    if (r->id > 0) {
        put_u8(b, r->type);
        put_u8(b, r->ndims);
        for (int i = 0; i < r->ndims; i++)
            put_u8(b, r->dims[i]);
        put(b, r->data.p, r->data.n);
    }
    put_u8(b, (int)strlen(desc));
    put(b, desc, strlen(desc));
}

#define MAX_RECORDS 64

struct params {
    struct record r[MAX_RECORDS];
    int n;
    enum fc_c3d_processor proc;
};

static struct record *add(struct params *ps, int id, const char *name, int type, int ndims, int d0,
                          int d1)
{
    struct record *r = &ps->r[ps->n++];
    memset(r, 0, sizeof *r);
    r->id = id;
    r->name = name;
    r->type = type;
    r->ndims = ndims;
    r->dims[0] = d0;
    r->dims[1] = d1;
    r->data.proc = ps->proc;
    return r;
}

static void add_int(struct params *ps, int gid, const char *name, long v)
{
    put_i16(&add(ps, gid, name, 2, 0, 0, 0)->data, v);
}

static void add_float(struct params *ps, int gid, const char *name, double v)
{
    put_f32(&add(ps, gid, name, 4, 0, 0, 0)->data, v);
}

static void add_text(struct params *ps, int gid, const char *name, const char *text)
{
    int len = (int)strlen(text);
    struct record *r = add(ps, gid, name, -1, 1, len, 0);
    put(&r->data, text, (size_t)len);
}

/* A 2-D char array: count strings each padded with spaces to width. */
static void add_labels(struct params *ps, int gid, const char *name, const char *const *labels,
                       int count, int width)
{
    struct record *r = add(ps, gid, name, -1, 2, width, count);
    for (int i = 0; i < count; i++) {
        size_t n = strlen(labels[i]);
        put(&r->data, labels[i], n);
        for (size_t k = n; k < (size_t)width; k++)
            put_u8(&r->data, ' ');
    }
}

static long round_i16(double v, int *bad)
{
    long r = lround(v);
    if (r < -32768 || r > 32767)
        *bad = 1;
    return r;
}

int fc_test_c3d_build(const struct fc_test_c3d_spec *s, unsigned char **out, size_t *len,
                      struct fc_test_c3d_layout *layout)
{
    char names[40][16];
    struct params ps = {.proc = s->processor};
    struct bytes pb = {.proc = s->processor}, file = {.proc = s->processor};
    int bad = 0;
    int first = s->first_frame > 0 ? s->first_frame : 1;
    int analog_words = s->analog_channels * s->analog_per_frame;
    double stored_scale = s->is_float ? -s->scale : s->scale;

    /* Parameters first: their size fixes where the data starts. */
    add(&ps, -1, "POINT", 0, 0, 0, 0);
    add(&ps, -2, "ANALOG", 0, 0, 0, 0);
    if (s->frames_via_trial)
        add(&ps, -3, "TRIAL", 0, 0, 0, 0);
    int width = 1;
    for (int i = 0; i < s->n_points; i++)
        if ((int)strlen(s->labels[i]) > width)
            width = (int)strlen(s->labels[i]);
    int per = s->labels_per_param > 0 ? s->labels_per_param : 255;
    for (int k = 0, done = 0; done < s->n_points && k < 40; k++) {
        int count = s->n_points - done < per ? s->n_points - done : per;
        if (k == 0)
            snprintf(names[k], sizeof names[k], "LABELS");
        else
            snprintf(names[k], sizeof names[k], "LABELS%d", k + 1);
        add_labels(&ps, 1, names[k], s->labels + done, count, width);
        done += count;
    }
    add_text(&ps, 1, "UNITS", s->units ? s->units : "mm");
    struct record *rdata_start = NULL;
    if (!s->header_only) {
        add_int(&ps, 1, "USED", s->n_points);
        add_float(&ps, 1, "SCALE", stored_scale);
        add_float(&ps, 1, "RATE", s->rate_hz);
        if (s->frames_as_float)
            add_float(&ps, 1, "FRAMES", s->n_frames);
        else
            add_int(&ps, 1, "FRAMES", s->frames_via_trial ? 65535 : s->n_frames);
        rdata_start = add(&ps, 1, "DATA_START", 2, 0, 0, 0);
        add_int(&ps, 2, "USED", s->analog_channels);
        add_float(&ps, 2, "RATE", s->rate_hz * s->analog_per_frame);
    }
    if (s->frames_via_trial) {
        long last = (long)first + s->n_frames - 1;
        struct record *r = add(&ps, 3, "ACTUAL_START_FIELD", 2, 1, 2, 0);
        put_i16(&r->data, first & 0xffff);
        put_i16(&r->data, first >> 16);
        r = add(&ps, 3, "ACTUAL_END_FIELD", 2, 1, 2, 0);
        put_i16(&r->data, last & 0xffff);
        put_i16(&r->data, last >> 16);
    }

    /* Size of the section with DATA_START's two bytes included. */
    size_t psize = 4;
    for (int i = 0; i < ps.n; i++) {
        struct bytes tmp = {.proc = s->processor};
        if (&ps.r[i] == rdata_start)
            put_i16(&ps.r[i].data, 0); /* placeholder of the right size */
        put_record(&tmp, &ps.r[i], i == ps.n - 1);
        psize += tmp.n;
        free(tmp.p);
    }
    size_t nblocks = (psize + 511) / 512;
    /* The data always goes right after the parameters; an override only
     * changes what the header and POINT:DATA_START claim. */
    long data_start = 2 + (long)nblocks;
    long claimed_start = s->data_start_override ? s->data_start_override : data_start;
    if (rdata_start) {
        rdata_start->data.n = 0;
        put_i16(&rdata_start->data, claimed_start);
    }

    put_u8(&pb, 0x01);
    put_u8(&pb, 0x50);
    put_u8(&pb, (int)nblocks);
    put_u8(&pb, (int)s->processor);
    for (int i = 0; i < ps.n; i++)
        put_record(&pb, &ps.r[i], i == ps.n - 1);
    put_zeros(&pb, nblocks * 512 - pb.n);

    /* Header, block 1. */
    long last = (long)first + s->n_frames - 1;
    put_u8(&file, 2);
    put_u8(&file, 0x50);
    put_i16(&file, s->n_points);
    put_i16(&file, analog_words);
    put_i16(&file, first > 65535 ? 65535 : first);
    put_i16(&file, last > 65535 ? 65535 : last);
    put_i16(&file, 10);
    put_f32(&file, stored_scale);
    put_i16(&file, claimed_start);
    put_i16(&file, s->analog_per_frame);
    put_f32(&file, s->rate_hz);
    put_zeros(&file, 512 - file.n);
    put(&file, pb.p, pb.n);
    size_t data_offset = file.n;

    for (int f = 0; f < s->n_frames; f++) {
        for (int i = 0; i < s->n_points; i++) {
            size_t k = (size_t)f * (size_t)s->n_points + (size_t)i;
            const float *p = s->xyz + k * 3;
            int valid = s->residual[k] >= 0.0f;
            long res = valid ? lround(s->residual[k] / s->scale) : 0;
            long cam = (f * 7 + i) & 0x7f; /* camera mask: high byte, ignored by readers */
            long word = valid ? (cam << 8 | (res & 0xff)) : -1;
            if (s->is_float) {
                for (int c = 0; c < 3; c++)
                    put_f32(&file, valid ? p[c] : 0.0);
                put_f32(&file, (double)word);
            } else {
                for (int c = 0; c < 3; c++)
                    put_i16(&file, valid ? round_i16(p[c] / s->scale, &bad) : 0);
                put_i16(&file, word);
            }
        }
        for (int a = 0; a < analog_words; a++) {
            long v = (long)((f * 131 + a * 17) % 4001) - 2000;
            if (s->is_float)
                put_f32(&file, v * 0.5);
            else
                put_i16(&file, v);
        }
    }

    for (int i = 0; i < ps.n; i++) {
        bad |= ps.r[i].data.failed;
        free(ps.r[i].data.p);
    }
    free(pb.p);
    if (bad || file.failed || pb.failed) {
        free(file.p);
        return -1;
    }
    if (layout) {
        layout->param_offset = 512;
        layout->param_blocks = nblocks;
        layout->data_offset = data_offset;
        layout->frame_bytes =
            ((size_t)s->n_points * 4 + (size_t)analog_words) * (s->is_float ? 4u : 2u);
    }
    *out = file.p;
    *len = file.n;
    return 0;
}
