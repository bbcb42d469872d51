/* C3D reader (c3d.org format).
 *
 * The whole file is read into memory first. Every block number, count, offset
 * and length taken from it is checked against its size before anything is
 * read through it, so a truncated or damaged file gives an error that names
 * the file and the problem, never an out-of-bounds read.
 *
 * Layout: 512-byte blocks. Block 1 is the header; its first byte is the block
 * where the parameter section starts. The parameter section's fourth byte is
 * the processor type, which fixes the byte order and float format of every
 * number in the file, the header included. Parameter values win over their
 * header copies (the header's 16-bit fields overflow on long trials).
 */
#include "import/c3d.h"

#include "core/fileio.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define C3D_BLOCK 512
#define C3D_MAGIC 0x50
#define C3D_MAX_DIMS 7 /* the format's own limit on parameter dimensions */
#define C3D_NAME_MAX 128

enum c3d_type { C3D_CHAR = -1, C3D_BYTE = 1, C3D_INT16 = 2, C3D_FLOAT = 4 };

struct c3d_param {
    int group; /* 1..127: the group record with id -group */
    char name[C3D_NAME_MAX + 1];
    int type;
    int ndims;
    int dims[C3D_MAX_DIMS];
    size_t count;        /* product of dims; 1 for a scalar */
    const uint8_t *data; /* count * |type| bytes, inside the file buffer */
};

struct c3d_file {
    const char *path;
    const uint8_t *d;
    size_t size;
    enum fc_c3d_processor proc;
    char groups[C3D_NAME_MAX + 1][C3D_NAME_MAX + 1]; /* by id; "" = none */
    struct c3d_param *params;
    size_t n_params, cap_params;
};

/* ---- numbers in the processor's format ---- */

static unsigned rd_u16(const struct c3d_file *f, const uint8_t *p)
{
    if (f->proc == FC_C3D_MIPS)
        return (unsigned)p[0] << 8 | p[1];
    return (unsigned)p[1] << 8 | p[0];
}

static int rd_i16(const struct c3d_file *f, const uint8_t *p)
{
    unsigned u = rd_u16(f, p);
    return u >= 0x8000u ? (int)u - 0x10000 : (int)u;
}

/* DEC files hold VAX F-floating numbers: two little-endian 16-bit words, the
 * first with sign, 8-bit exponent (bias 128) and the top of the fraction, the
 * hidden bit before the binary point (0.1f), hence 1/4 of the IEEE reading. */
static double vax_f(uint32_t u)
{
    unsigned e = (u >> 23) & 0xffu;
    if (e == 0)
        return (u >> 31) ? NAN : 0.0; /* sign with exponent 0: VAX "reserved operand" */
    double m = (double)((u & 0x7fffffu) | 0x800000u);
    double v = ldexp(m, (int)e - 152); /* 0.1f * 2^(e-128) = M * 2^(e-128-24) */
    return (u >> 31) ? -v : v;
}

static double rd_f32(const struct c3d_file *f, const uint8_t *p)
{
    uint32_t u;
    switch (f->proc) {
    case FC_C3D_MIPS:
        u = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        break;
    case FC_C3D_DEC:
        u = (uint32_t)p[1] << 24 | (uint32_t)p[0] << 16 | (uint32_t)p[3] << 8 | p[2];
        return vax_f(u);
    case FC_C3D_INTEL:
    default: u = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]; break;
    }
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* ---- the file ---- */

/* What the first bytes alone can tell: an empty file, a wrong magic byte, a
 * file shorter than its header block. */
static int check_header(const char *path, const uint8_t *data, size_t size, struct fc_error *err)
{
    if (size == 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: file is empty (0 bytes), not a C3D file",
                            path);
    if (size >= 2 && data[1] != C3D_MAGIC)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: not a C3D file (second byte is 0x%02x, expected 0x50)", path,
                            data[1]);
    if (size < C3D_BLOCK)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: not a C3D file (%zu bytes, shorter than the 512-byte header)",
                            path, size);
    return 0;
}

/* ---- parameter section ---- */

static int push_param(struct c3d_file *f, const struct c3d_param *p, struct fc_error *err)
{
    if (f->n_params == f->cap_params) {
        size_t cap = f->cap_params ? f->cap_params * 2 : 64;
        struct c3d_param *np = realloc(f->params, cap * sizeof *np);
        if (!np)
            return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for %zu parameters", f->path,
                                cap);
        f->params = np;
        f->cap_params = cap;
    }
    f->params[f->n_params++] = *p;
    return 0;
}

/* The body of parameter record p (group and name already set), which
 * starts at *used_end: int8 type, uint8 ndims, the dims and the data, all
 * before end. Stores the parameter; *used_end gets the end of its data. pos
 * is where the record starts, for messages. */
static int read_param_body(struct c3d_file *f, struct c3d_param *p, size_t pos, size_t end,
                           size_t *used_end, struct fc_error *err)
{
    const uint8_t *d = f->d;
    const char *name = p->name;
    size_t body = *used_end;
    if (body + 2 > end)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: parameter %s at byte %zu runs past the end of the "
                            "parameter section",
                            f->path, name, pos);
    p->type = (int8_t)d[body];
    p->ndims = d[body + 1];
    if (p->type != C3D_CHAR && p->type != C3D_BYTE && p->type != C3D_INT16 && p->type != C3D_FLOAT)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: parameter %s has type %d, expected -1 (char), 1 "
                            "(byte), 2 (int16) or 4 (float)",
                            f->path, name, p->type);
    if (p->ndims > C3D_MAX_DIMS)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: parameter %s has %d dimensions, at most %d allowed", f->path, name,
                            p->ndims, C3D_MAX_DIMS);
    size_t data_at = body + 2 + (size_t)p->ndims;
    if (data_at > end)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: parameter %s's dimensions run past the end of the "
                            "parameter section",
                            f->path, name);
    /* Bounded before every multiply, so the product cannot wrap. */
    size_t count = 1, avail = end - data_at;
    for (int i = 0; i < p->ndims; i++) {
        p->dims[i] = d[body + 2 + i];
        count *= (size_t)p->dims[i];
        if (count > avail)
            break;
    }
    size_t width = (size_t)abs(p->type);
    if (count > avail || count * width > avail)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: parameter %s needs more bytes than are left in the "
                            "parameter section (%zu)",
                            f->path, name, avail);
    p->count = count;
    p->data = d + data_at;
    *used_end = data_at + count * width;
    return push_param(f, p, err);
}

/* Walks the group and parameter records of [start + 4, end). Each record:
 * int8 name length (negative = locked), int8 id (negative = group, positive =
 * parameter of that group), the name, int16 offset from itself to the next
 * record (0 = last); a parameter then has int8 type, uint8 ndims, the dims and
 * the data. A record whose next offset leaves the section ends the walk. */
static int parse_params(struct c3d_file *f, size_t start, size_t end, struct fc_error *err)
{
    const uint8_t *d = f->d;
    size_t pos = start + 4;
    while (pos + 2 <= end) {
        int nlen = abs((int)(int8_t)d[pos]);
        int id = (int8_t)d[pos + 1];
        if (nlen == 0)
            break;
        size_t off_at = pos + 2 + (size_t)nlen;
        if (off_at + 2 > end)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: parameter record at byte %zu runs past the end of the "
                                "parameter section (byte %zu)",
                                f->path, pos, end);
        char name[C3D_NAME_MAX + 1];
        memcpy(name, d + pos + 2, (size_t)nlen);
        name[nlen] = '\0';
        int next_off = rd_i16(f, d + off_at);
        size_t body = off_at + 2, used_end = body;
        if (id == 0)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: parameter record '%s' at byte %zu has group id 0", f->path,
                                name, pos);
        if (id < 0) {
            if (!f->groups[-id][0])
                memcpy(f->groups[-id], name, (size_t)nlen + 1);
        } else {
            struct c3d_param p = {.group = id};
            memcpy(p.name, name, (size_t)nlen + 1);
            int rc = read_param_body(f, &p, pos, end, &used_end, err);
            if (rc < 0)
                return rc;
        }
        if (next_off == 0)
            break;
        if (next_off < 0)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: record %s: offset to the next record is negative (%d)",
                                f->path, name, next_off);
        size_t next = off_at + (size_t)next_off;
        if (next < used_end)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: record %s: offset to the next record (%d) lands inside "
                                "its own data",
                                f->path, name, next_off);
        pos = next;
    }
    return 0;
}

/* Finds the parameter section the header points to, takes the processor
 * type (and so the number format) from it, and reads its records. */
static int read_param_section(struct c3d_file *f, struct fc_error *err)
{
    const uint8_t *data = f->d;
    const size_t size = f->size;
    int pblock = data[0];
    if (pblock < 2)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: header says the parameter section starts at block %d; it must "
                            "follow the header (block 1)",
                            f->path, pblock);
    size_t pstart = (size_t)(pblock - 1) * C3D_BLOCK;
    if (pstart + 4 > size)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: header points to parameter block %d but the file ends after %zu "
                            "blocks (%zu bytes)",
                            f->path, pblock, (size + C3D_BLOCK - 1) / C3D_BLOCK, size);
    int proc = data[pstart + 3];
    if (proc != FC_C3D_INTEL && proc != FC_C3D_DEC && proc != FC_C3D_MIPS)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: processor type byte is %d, expected 84 (Intel), 85 (DEC) or 86 "
                            "(MIPS)",
                            f->path, proc);
    f->proc = (enum fc_c3d_processor)proc;
    int nblocks = data[pstart + 2];
    if (nblocks == 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: parameter section says it has 0 blocks",
                            f->path);
    if ((size_t)nblocks * C3D_BLOCK > size - pstart)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: parameter section says %d blocks but the file ends after %zu",
                            f->path, nblocks, (size - pstart) / C3D_BLOCK);
    return parse_params(f, pstart, pstart + (size_t)nblocks * C3D_BLOCK, err);
}

static const struct c3d_param *find_param(const struct c3d_file *f, const char *group,
                                          const char *name)
{
    for (size_t i = 0; i < f->n_params; i++) {
        const struct c3d_param *p = &f->params[i];
        if (strcasecmp(p->name, name) == 0 && strcasecmp(f->groups[p->group], group) == 0)
            return p;
    }
    return NULL;
}

/* Element i of a numeric parameter. Counts and block numbers are stored as
 * int16 but mean 0..65535, so unsigned16 reads them that way. */
static int param_num(const struct c3d_file *f, const struct c3d_param *p, size_t i, int unsigned16,
                     double *out)
{
    if (i >= p->count)
        return -1;
    switch (p->type) {
    case C3D_BYTE: *out = p->data[i]; return 0;
    case C3D_INT16:
        *out = unsigned16 ? (double)rd_u16(f, p->data + 2 * i) : (double)rd_i16(f, p->data + 2 * i);
        return 0;
    case C3D_FLOAT: *out = rd_f32(f, p->data + 4 * i); return 0;
    }
    return -1;
}

/* A whole number 0..max from GROUP:NAME: 1 found, 0 absent, < 0 error. */
static int param_count(const struct c3d_file *f, const char *group, const char *name, double max,
                       long *out, const struct c3d_param **found, struct fc_error *err)
{
    const struct c3d_param *p = find_param(f, group, name);
    if (found)
        *found = p;
    if (!p)
        return 0;
    double v;
    if (param_num(f, p, 0, 1, &v) < 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: %s:%s is %s, expected a number", f->path,
                            group, name, p->count ? "text" : "empty");
    if (!(v >= 0.0 && v <= max))
        return fc_error_set(err, FC_ERR_FORMAT, "%s: %s:%s is %g, expected 0 to %.0f", f->path,
                            group, name, v, max);
    *out = lround(v);
    return 1;
}

/* A real number from GROUP:NAME: 1 found, 0 absent, < 0 error. */
static int param_real(const struct c3d_file *f, const char *group, const char *name, double *out,
                      struct fc_error *err)
{
    const struct c3d_param *p = find_param(f, group, name);
    if (!p)
        return 0;
    if (param_num(f, p, 0, 0, out) < 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: %s:%s is %s, expected a number", f->path,
                            group, name, p->count ? "text" : "empty");
    return 1;
}

/* Copies a space-padded C3D string, dropping trailing blanks and NULs. */
static void copy_trimmed(char *dst, size_t cap, const uint8_t *src, size_t len)
{
    size_t n = 0;
    while (n < len && n + 1 < cap && src[n] != '\0') {
        dst[n] = (char)src[n];
        n++;
    }
    while (n > 0 &&
           (dst[n - 1] == ' ' || dst[n - 1] == '\t' || dst[n - 1] == '\r' || dst[n - 1] == '\n'))
        n--;
    dst[n] = '\0';
}

/* POINT:LABELS holds at most 255 labels (a dimension is one byte); longer
 * lists continue in LABELS2, LABELS3, ... Points left without one stay "". */
static int read_labels(const struct c3d_file *f, struct fc_c3d *c, struct fc_error *err)
{
    int filled = 0;
    for (int k = 1; filled < c->n_points; k++) {
        char name[24];
        if (k == 1)
            snprintf(name, sizeof name, "LABELS");
        else
            snprintf(name, sizeof name, "LABELS%d", k);
        const struct c3d_param *p = find_param(f, "POINT", name);
        if (!p)
            break;
        if (p->type != C3D_CHAR)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: POINT:%s has type %d, expected text",
                                f->path, name, p->type);
        size_t len = p->ndims >= 1 ? (size_t)p->dims[0] : 1;
        size_t n = len ? p->count / len : 0;
        for (size_t i = 0; i < n && filled < c->n_points; i++)
            copy_trimmed(c->labels[filled++], FC_C3D_LABEL_MAX, p->data + i * len, len);
    }
    return 0;
}

/* ---- what the parameters and header say about the point data ---- */

struct c3d_layout {
    long n_points, n_frames, first_frame, data_start, analog_words;
    long analog_channels; /* ANALOG:USED when analog_words > 0 */
    double scale, rate;
    char frames_from[64]; /* where n_frames came from, for the "no frames" message */
};

/* The header's copies of what the POINT and ANALOG parameters say. Header
 * words (1-based): 2 points, 3 analog values per frame, 4 first frame, 5 last
 * frame, 7-8 scale, 9 data start, 10 analog samples per frame per channel,
 * 11-12 frame rate. */
struct c3d_header {
    long points, analog, first, last, start, spf;
    double scale, rate;
};

static void read_header(const struct c3d_file *f, struct c3d_header *hdr)
{
    const uint8_t *h = f->d;
    hdr->points = (long)rd_u16(f, h + 2);
    hdr->analog = (long)rd_u16(f, h + 4);
    hdr->first = (long)rd_u16(f, h + 6);
    hdr->last = (long)rd_u16(f, h + 8);
    hdr->scale = rd_f32(f, h + 12);
    hdr->start = (long)rd_u16(f, h + 16);
    hdr->spf = (long)rd_u16(f, h + 18);
    hdr->rate = rd_f32(f, h + 20);
}

/* Point count, scale, frame rate and data start block. */
static int resolve_points(const struct c3d_file *f, const struct c3d_header *hdr,
                          struct c3d_layout *L, struct fc_error *err)
{
    int rc;
    L->n_points = hdr->points;
    if ((rc = param_count(f, "POINT", "USED", 65535, &L->n_points, NULL, err)) < 0)
        return rc;

    L->scale = hdr->scale;
    if ((rc = param_real(f, "POINT", "SCALE", &L->scale, err)) < 0)
        return rc;
    if (!isfinite(L->scale) || L->scale == 0.0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: POINT:SCALE is %g; it must be negative (float storage) or "
                            "positive (scaled integers)",
                            f->path, L->scale);
    /* Real scales are around 0.01..1 mm per unit; a huge one is damage, and
     * would overflow float when an int16 is scaled by it. */
    if (fabs(L->scale) > 1e6)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: POINT:SCALE is %g, implausibly large", f->path,
                            L->scale);

    L->rate = hdr->rate;
    if ((rc = param_real(f, "POINT", "RATE", &L->rate, err)) < 0)
        return rc;
    if (!(L->rate > 0.0 && L->rate < 1e7))
        return fc_error_set(err, FC_ERR_FORMAT, "%s: point frame rate is %g Hz", f->path, L->rate);

    L->data_start = hdr->start;
    if ((rc = param_count(f, "POINT", "DATA_START", 65535, &L->data_start, NULL, err)) < 0)
        return rc;
    return 0;
}

/* A frame count capped at 65535 defers to TRIAL:ACTUAL_START/END_FIELD, two
 * int16 words (low, high) each of a 32-bit frame number; they are used only
 * when both are there, well formed and in range. */
static void resolve_trial_frames(const struct c3d_file *f, struct c3d_layout *L)
{
    const struct c3d_param *ts = find_param(f, "TRIAL", "ACTUAL_START_FIELD");
    const struct c3d_param *te = find_param(f, "TRIAL", "ACTUAL_END_FIELD");
    if (!(ts && te && ts->type == C3D_INT16 && te->type == C3D_INT16 && ts->count >= 2 &&
          te->count >= 2))
        return;
    double s0, s1, e0, e1;
    param_num(f, ts, 0, 1, &s0);
    param_num(f, ts, 1, 1, &s1);
    param_num(f, te, 0, 1, &e0);
    param_num(f, te, 1, 1, &e1);
    double s = s0 + 65536.0 * s1, e = e0 + 65536.0 * e1;
    if (e >= s && e - s + 1 <= INT_MAX && s <= INT_MAX) {
        L->first_frame = (long)s;
        L->n_frames = (long)(e - s + 1);
        snprintf(L->frames_from, sizeof L->frames_from, "TRIAL fields say frames %.0f to %.0f", s,
                 e);
    }
}

/* Frames: POINT:FRAMES (int16 read unsigned, or float for long trials);
 * 65535 in int16 means "see TRIAL:ACTUAL_START/END_FIELD". */
static int resolve_frames(const struct c3d_file *f, const struct c3d_header *hdr,
                          struct c3d_layout *L, struct fc_error *err)
{
    int rc;
    const struct c3d_param *pf = NULL;
    L->first_frame = hdr->first;
    L->n_frames = hdr->last >= hdr->first ? hdr->last - hdr->first + 1 : 0;
    snprintf(L->frames_from, sizeof L->frames_from, "header frames %ld to %ld", hdr->first,
             hdr->last);
    if ((rc = param_count(f, "POINT", "FRAMES", INT_MAX, &L->n_frames, &pf, err)) < 0)
        return rc;
    if (rc > 0)
        snprintf(L->frames_from, sizeof L->frames_from, "POINT:FRAMES is %ld", L->n_frames);
    int capped = pf ? pf->type != C3D_FLOAT && L->n_frames == 65535 : hdr->last == 65535;
    if (capped)
        resolve_trial_frames(f, L);
    return 0;
}

/* Analog values follow each frame's points: ANALOG:USED channels, each
 * sampled ANALOG:RATE / POINT:RATE times per frame. Needs L->rate. */
static int resolve_analog(const struct c3d_file *f, const struct c3d_header *hdr,
                          struct c3d_layout *L, struct fc_error *err)
{
    int rc;
    long used = -1;
    L->analog_words = hdr->analog;
    if ((rc = param_count(f, "ANALOG", "USED", 65535, &used, NULL, err)) < 0)
        return rc;
    if (used == 0) {
        L->analog_words = 0;
    } else if (used > 0) {
        double arate = 0.0;
        if ((rc = param_real(f, "ANALOG", "RATE", &arate, err)) < 0)
            return rc;
        double ratio;
        if (rc > 0) {
            ratio = arate / L->rate;
            if (!(ratio >= 0.5 && ratio <= 65535.5) || fabs(ratio - round(ratio)) > 1e-3 * ratio)
                return fc_error_set(err, FC_ERR_FORMAT,
                                    "%s: ANALOG:RATE %g Hz is not a whole multiple of the point "
                                    "rate %g Hz",
                                    f->path, arate, L->rate);
            ratio = round(ratio);
        } else {
            ratio = hdr->spf > 0 ? (double)hdr->spf : (double)(hdr->analog / used);
        }
        if ((double)used * ratio > INT_MAX / 4)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: %ld analog channels x %.0f samples per frame is too many",
                                f->path, used, ratio);
        L->analog_words = used * (long)ratio;
        L->analog_channels = used;
    }
    return 0;
}

static int resolve_layout(const struct c3d_file *f, struct c3d_layout *L, struct fc_error *err)
{
    struct c3d_header hdr;
    int rc;
    read_header(f, &hdr);
    if ((rc = resolve_points(f, &hdr, L, err)) < 0 || (rc = resolve_frames(f, &hdr, L, err)) < 0 ||
        (rc = resolve_analog(f, &hdr, L, err)) < 0)
        return rc;
    return 0;
}

/* ---- point data ---- */

/* Where the point data starts and how many bytes a frame of it takes. */
struct c3d_span {
    size_t start, frame_bytes;
    int is_float;
};

/* Checks that the layout describes some point data and that the file holds
 * all of it. */
static int locate_points(const struct c3d_file *f, const struct c3d_layout *L,
                         struct c3d_span *span, struct fc_error *err)
{
    const size_t size = f->size;
    if (L->n_points == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no points (POINT:USED is 0)", f->path);
    if (L->n_frames == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no frames (%s)", f->path, L->frames_from);
    if (L->data_start < 2)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: data start block is %ld; point data must follow the header",
                            f->path, L->data_start);
    size_t start = (size_t)(L->data_start - 1) * C3D_BLOCK;
    size_t blocks = (size + C3D_BLOCK - 1) / C3D_BLOCK;
    if (start >= size)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: data start block %ld is past the end of the file (%zu blocks)",
                            f->path, L->data_start, blocks);
    int is_float = L->scale < 0.0;
    size_t word = is_float ? 4 : 2;
    size_t frame_bytes = ((size_t)L->n_points * 4 + (size_t)L->analog_words) * word;
    size_t avail = size - start;
    /* Divide rather than multiply: frame counts from a damaged file can be
     * large enough to wrap the product. */
    if ((size_t)L->n_frames > avail / frame_bytes)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: point data needs %.0f bytes from block %ld (%ld frames x %ld "
                            "points, %ld analog values, %s) but the file has %zu",
                            f->path, (double)L->n_frames * (double)frame_bytes, L->data_start,
                            L->n_frames, L->n_points, L->analog_words, is_float ? "float" : "int16",
                            avail);
    span->start = start;
    span->frame_bytes = frame_bytes;
    span->is_float = is_float;
    return 0;
}

/* The scalar fields of out; POINT:UNITS, when it is non-blank text, wins
 * over the format's default of millimetres. */
static void describe_points(const struct c3d_file *f, const struct c3d_layout *L,
                            const struct c3d_span *span, struct fc_c3d *out)
{
    out->processor = f->proc;
    out->is_float = span->is_float;
    out->point_scale = fabs(L->scale);
    out->point_rate_hz = L->rate;
    out->first_frame = (int)L->first_frame;
    out->n_frames = (int)L->n_frames;
    out->n_points = (int)L->n_points;
    out->analog_per_frame = (int)L->analog_words;
    snprintf(out->units, sizeof out->units, "mm");
    const struct c3d_param *pu = find_param(f, "POINT", "UNITS");
    if (pu && pu->type == C3D_CHAR && pu->count > 0) {
        char units[sizeof out->units];
        size_t len = pu->ndims >= 1 ? (size_t)pu->dims[0] : pu->count;
        copy_trimmed(units, sizeof units, pu->data, len);
        if (units[0])
            memcpy(out->units, units, sizeof units);
    }
}

static int alloc_points(const char *path, struct fc_c3d *out, struct fc_error *err)
{
    size_t n = (size_t)out->n_frames * (size_t)out->n_points;
    out->labels = calloc((size_t)out->n_points, sizeof *out->labels);
    out->xyz = malloc(n * 3 * sizeof *out->xyz);
    out->residual = malloc(n * sizeof *out->residual);
    if (!out->labels || !out->xyz || !out->residual)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for %d frames x %d points", path,
                            out->n_frames, out->n_points);
    return 0;
}

static void decode_points(const struct c3d_file *f, size_t start, size_t frame_bytes,
                          struct fc_c3d *c)
{
    const double s = c->point_scale;
    const size_t np = (size_t)c->n_points;
    for (size_t fr = 0; fr < (size_t)c->n_frames; fr++) {
        const uint8_t *row = f->d + start + fr * frame_bytes;
        for (size_t i = 0; i < np; i++) {
            float *xyz = c->xyz + (fr * np + i) * 3;
            float *res = c->residual + fr * np + i;
            double x, y, z, w;
            if (c->is_float) {
                const uint8_t *p = row + i * 16;
                x = rd_f32(f, p);
                y = rd_f32(f, p + 4);
                z = rd_f32(f, p + 8);
                w = rd_f32(f, p + 12);
            } else {
                const uint8_t *p = row + i * 8;
                x = rd_i16(f, p) * s;
                y = rd_i16(f, p + 2) * s;
                z = rd_i16(f, p + 4) * s;
                w = rd_i16(f, p + 6);
            }
            /* The fourth word: negative = invalid sample; else its low byte
             * is the residual in scale units, the high byte a camera mask. In
             * float storage the same 16-bit word is held as a float. */
            if (!(w >= 0.0) || !isfinite(x) || !isfinite(y) || !isfinite(z)) {
                xyz[0] = xyz[1] = xyz[2] = NAN;
                *res = -1.0f;
                continue;
            }
            long word = w > 32767.0 ? 32767 : (long)w;
            xyz[0] = (float)x;
            xyz[1] = (float)y;
            xyz[2] = (float)z;
            *res = (float)((double)(word & 0xff) * s);
        }
    }
}

/* Copies every parameter out of the file buffer, which is freed after the
 * read, so that PROCESSING and EVENT can be asked for later. */
static int keep_params(const struct c3d_file *f, struct fc_c3d *c, struct fc_error *err)
{
    if (f->n_params == 0)
        return 0;
    c->params = calloc(f->n_params, sizeof *c->params);
    if (!c->params)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for %zu parameters", f->path,
                            f->n_params);
    for (size_t i = 0; i < f->n_params; i++) {
        const struct c3d_param *p = &f->params[i];
        struct fc_c3d_param *q = &c->params[c->n_params++];
        snprintf(q->group, sizeof q->group, "%s", f->groups[p->group]);
        snprintf(q->name, sizeof q->name, "%s", p->name);
        q->type = p->type;
        q->ndims = p->ndims;
        memcpy(q->dims, p->dims, sizeof q->dims);
        q->count = p->count;
        if (p->type == C3D_CHAR) {
            q->text = malloc(p->count + 1);
            if (!q->text)
                return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for %s:%s", f->path,
                                    q->group, q->name);
            memcpy(q->text, p->data, p->count);
            q->text[p->count] = '\0';
            continue;
        }
        q->values = malloc((p->count ? p->count : 1) * sizeof *q->values);
        if (!q->values)
            return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for %s:%s", f->path, q->group,
                                q->name);
        for (size_t k = 0; k < p->count; k++)
            param_num(f, p, k, 0, &q->values[k]);
    }
    return 0;
}

/* ANALOG:SCALE, OFFSET (per channel) and GEN_SCALE; missing ones are 1, 0
 * and 1. */
static double channel_param(const struct c3d_file *f, const char *name, long ch, double dflt)
{
    const struct c3d_param *p = find_param(f, "ANALOG", name);
    double v;
    if (!p || param_num(f, p, (size_t)ch, 0, &v) < 0 || !isfinite(v))
        return dflt;
    return v;
}

/* The analog samples that follow each frame's points, in physical units:
 * (raw - OFFSET) * SCALE * GEN_SCALE. Integer files hold signed words unless
 * ANALOG:FORMAT says UNSIGNED. Absent (NULL) when there are none. */
static int decode_analog(const struct c3d_file *f, const struct c3d_layout *L,
                         const struct c3d_span *span, struct fc_c3d *c, struct fc_error *err)
{
    if (L->analog_words <= 0 || L->analog_channels <= 0 ||
        L->analog_words % L->analog_channels != 0)
        return 0;
    long ch = L->analog_channels, spf = L->analog_words / ch;
    size_t n = (size_t)c->n_frames * (size_t)L->analog_words;
    c->analog = malloc(n * sizeof *c->analog);
    double *scale = malloc((size_t)ch * sizeof *scale),
           *offset = malloc((size_t)ch * sizeof *offset);
    if (!c->analog || !scale || !offset) {
        free(scale);
        free(offset);
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for %zu analog samples", f->path,
                            n);
    }
    double gen = channel_param(f, "GEN_SCALE", 0, 1.0);
    for (long k = 0; k < ch; k++) {
        scale[k] = channel_param(f, "SCALE", k, 1.0) * gen;
        offset[k] = channel_param(f, "OFFSET", k, 0.0);
    }
    const struct c3d_param *fmt = find_param(f, "ANALOG", "FORMAT");
    int is_unsigned = fmt && fmt->type == C3D_CHAR && fmt->count >= 8 &&
                      strncasecmp((const char *)fmt->data, "UNSIGNED", 8) == 0;
    size_t word = span->is_float ? 4 : 2;
    for (size_t fr = 0; fr < (size_t)c->n_frames; fr++) {
        const uint8_t *a =
            f->d + span->start + fr * span->frame_bytes + (size_t)c->n_points * 4 * word;
        for (long k = 0; k < L->analog_words; k++) {
            const uint8_t *p = a + (size_t)k * word;
            double raw = span->is_float ? rd_f32(f, p)
                         : is_unsigned  ? (double)rd_u16(f, p)
                                        : (double)rd_i16(f, p);
            c->analog[fr * (size_t)L->analog_words + (size_t)k] =
                (float)((raw - offset[k % ch]) * scale[k % ch]);
        }
    }
    free(scale);
    free(offset);
    c->analog_channels = (int)ch;
    c->analog_samples_per_frame = (int)spf;
    return 0;
}

/* ---- public ---- */

void fc_c3d_free(struct fc_c3d *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_params; i++) {
        free(c->params[i].values);
        free(c->params[i].text);
    }
    free(c->params);
    free(c->analog);
    free(c->labels);
    free(c->xyz);
    free(c->residual);
    memset(c, 0, sizeof *c);
}

int fc_c3d_read(const char *path, struct fc_c3d *out, struct fc_error *err)
{
    int rc = 0;
    unsigned char *data = NULL;
    size_t size = 0;
    struct c3d_file *f = NULL;
    struct c3d_layout L = {0};
    struct c3d_span span = {0};

    if (!out)
        return fc_error_set(err, FC_ERR_ARG, "fc_c3d_read: no output struct");
    memset(out, 0, sizeof *out);
    if (!path) {
        rc = fc_error_set(err, FC_ERR_ARG, "fc_c3d_read: no path");
        goto fail;
    }
    if ((rc = fc_read_file(path, 0, "a C3D file", &data, &size, err)) < 0 ||
        (rc = check_header(path, data, size, err)) < 0)
        goto fail;

    f = calloc(1, sizeof *f);
    if (!f) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    f->path = path;
    f->d = data;
    f->size = size;
    if ((rc = read_param_section(f, err)) < 0 || (rc = resolve_layout(f, &L, err)) < 0 ||
        (rc = locate_points(f, &L, &span, err)) < 0)
        goto fail;

    describe_points(f, &L, &span, out);
    if ((rc = alloc_points(path, out, err)) < 0 || (rc = read_labels(f, out, err)) < 0)
        goto fail;
    decode_points(f, span.start, span.frame_bytes, out);
    if ((rc = keep_params(f, out, err)) < 0 || (rc = decode_analog(f, &L, &span, out, err)) < 0)
        goto fail;

    free(f->params);
    free(f);
    free(data);
    return 0;
fail:
    if (f)
        free(f->params);
    free(f);
    free(data);
    fc_c3d_free(out);
    return rc;
}

int fc_c3d_find_point(const struct fc_c3d *c, const char *name)
{
    if (!c || !c->labels || !name)
        return -1;
    for (int i = 0; i < c->n_points; i++)
        if (strcasecmp(c->labels[i], name) == 0)
            return i;
    /* "LASI" finds "A22:LASI"; "A22:LASI" finds an unprefixed "LASI". */
    const char *bare = strrchr(name, ':');
    for (int i = 0; i < c->n_points; i++) {
        const char *colon = strrchr(c->labels[i], ':');
        if (!bare && colon && strcasecmp(colon + 1, name) == 0)
            return i;
        if (bare && !colon && strcasecmp(c->labels[i], bare + 1) == 0)
            return i;
    }
    return -1;
}

double fc_c3d_units_mm(const char *units)
{
    if (!units[0] || strcasecmp(units, "mm") == 0)
        return 1.0;
    if (strcasecmp(units, "cm") == 0)
        return 10.0;
    if (strcasecmp(units, "m") == 0)
        return 1000.0;
    return 0.0;
}

int fc_c3d_to_track(const struct fc_c3d *c, struct fc_pose_track *t, struct fc_error *err)
{
    int rc = 0;
    if (!t)
        return fc_error_set(err, FC_ERR_ARG, "fc_c3d_to_track: no output track");
    fc_pose_track_init(t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    if (!c || !c->xyz || !c->labels || c->n_frames <= 0 || c->n_points <= 0)
        return fc_error_set(err, FC_ERR_ARG, "fc_c3d_to_track: no C3D data");
    double mm = fc_c3d_units_mm(c->units);
    if (mm == 0.0)
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "C3D point units are '%s'; formcheck reads mm, cm or m", c->units);

    /* First marker for a joint wins: later ones are usually model outputs or
     * duplicates of the same landmark. */
    int point_of[FC_JOINT_COUNT];
    int mapped = 0;
    for (int j = 0; j < FC_JOINT_COUNT; j++)
        point_of[j] = -1;
    for (int i = 0; i < c->n_points; i++) {
        int j = fc_joint_from_marker(c->labels[i]);
        if (j >= 0 && point_of[j] < 0) {
            point_of[j] = i;
            mapped++;
        }
    }
    if (mapped == 0)
        return fc_error_set(err, FC_ERR_EMPTY,
                            "none of the %d C3D point labels is a marker formcheck knows (LASI, "
                            "RASI, LPSI, RPSI, L_IAS, ...); first label '%s'",
                            c->n_points, c->labels[0]);

    t->rate_hz = c->point_rate_hz;
    t->time_from_source = 1;
    for (int fr = 0; fr < c->n_frames; fr++) {
        struct fc_keypoints *k = fc_pose_track_push(t, err);
        if (!k) {
            rc = FC_ERR_NOMEM;
            goto fail;
        }
        k->t_s = ((double)c->first_frame - 1.0 + fr) / c->point_rate_hz;
        for (int j = 0; j < FC_JOINT_COUNT; j++) {
            int i = point_of[j];
            if (i < 0)
                continue;
            const float *p = fc_c3d_point(c, fr, i);
            if (c->residual[(size_t)fr * (size_t)c->n_points + (size_t)i] < 0.0f ||
                !isfinite(p[0]) || !isfinite(p[1]) || !isfinite(p[2]))
                continue;
            fc_keypoints_set(k, (enum fc_joint)j, (float)(p[0] * mm), (float)(p[1] * mm),
                             (float)(p[2] * mm), 1.0f);
        }
    }
    return 0;
fail:
    fc_pose_track_free(t);
    return rc;
}

const struct fc_c3d_param *fc_c3d_param(const struct fc_c3d *c, const char *group, const char *name)
{
    if (!c || !group || !name)
        return NULL;
    for (size_t i = 0; i < c->n_params; i++)
        if (strcasecmp(c->params[i].name, name) == 0 && strcasecmp(c->params[i].group, group) == 0)
            return &c->params[i];
    return NULL;
}

int fc_c3d_param_real(const struct fc_c3d *c, const char *group, const char *name, size_t i,
                      double *out)
{
    const struct fc_c3d_param *p = fc_c3d_param(c, group, name);
    if (!p || !p->values || i >= p->count)
        return 0;
    *out = p->values[i];
    return 1;
}

int fc_c3d_param_string(const struct fc_c3d *c, const char *group, const char *name, size_t i,
                        char *out, size_t cap)
{
    const struct fc_c3d_param *p = fc_c3d_param(c, group, name);
    if (!p || !p->text || cap == 0)
        return 0;
    size_t len = p->ndims >= 1 ? (size_t)p->dims[0] : p->count;
    if (len == 0 || i >= p->count / len)
        return 0;
    copy_trimmed(out, cap, (const uint8_t *)p->text + i * len, len);
    return 1;
}

static int event_cmp(const void *a, const void *b)
{
    double ta = ((const struct fc_c3d_event *)a)->t_s, tb = ((const struct fc_c3d_event *)b)->t_s;
    return (ta > tb) - (ta < tb);
}

int fc_c3d_events(const struct fc_c3d *c, struct fc_c3d_event **out, size_t *n,
                  struct fc_error *err)
{
    *out = NULL;
    *n = 0;
    const struct fc_c3d_param *times = fc_c3d_param(c, "EVENT", "TIMES");
    double used_d = 0.0;
    if (!times || !fc_c3d_param_real(c, "EVENT", "USED", 0, &used_d) || !(used_d >= 1.0))
        return 0;
    /* TIMES is float [2][USED]: minutes, then seconds, of each event. */
    size_t used = (size_t)used_d;
    if (!times->values || times->count / 2 < used)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "EVENT:USED says %zu events but EVENT:TIMES holds %zu numbers", used,
                            times->count);
    struct fc_c3d_event *ev = calloc(used, sizeof *ev);
    if (!ev)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu events", used);
    for (size_t i = 0; i < used; i++) {
        ev[i].t_s = times->values[2 * i] * 60.0 + times->values[2 * i + 1];
        if (!fc_c3d_param_string(c, "EVENT", "CONTEXTS", i, ev[i].context, sizeof ev[i].context))
            ev[i].context[0] = '\0';
        if (!fc_c3d_param_string(c, "EVENT", "LABELS", i, ev[i].label, sizeof ev[i].label))
            ev[i].label[0] = '\0';
    }
    qsort(ev, used, sizeof *ev, event_cmp);
    *out = ev;
    *n = used;
    return 0;
}

int fc_c3d_plate_count(const struct fc_c3d *c)
{
    double used = 0;
    if (!fc_c3d_param_real(c, "FORCE_PLATFORM", "USED", 0, &used) || !(used >= 1 && used < 1000))
        return 0;
    return (int)used;
}

int fc_c3d_plate_fz(const struct fc_c3d *c, int plate, const float **fz, size_t *stride,
                    size_t *n_samples, double corners[4][3])
{
    if (!c->analog || plate < 0 || plate >= fc_c3d_plate_count(c))
        return -1;
    double type = 0, chan = 0;
    if (!fc_c3d_param_real(c, "FORCE_PLATFORM", "TYPE", (size_t)plate, &type) ||
        !(type == 1 || type == 2 || type == 4))
        return -1;
    /* types 1, 2, 4: six channels per plate, Fz third; CHANNEL is 1-based */
    const struct fc_c3d_param *ch = fc_c3d_param(c, "FORCE_PLATFORM", "CHANNEL");
    size_t per_plate = ch && ch->ndims >= 2 ? (size_t)ch->dims[0] : 6;
    if (!fc_c3d_param_real(c, "FORCE_PLATFORM", "CHANNEL", (size_t)plate * per_plate + 2, &chan) ||
        !(chan >= 1 && chan <= c->analog_channels))
        return -1;
    for (int k = 0; k < 4; k++)
        for (int a = 0; a < 3; a++)
            if (!fc_c3d_param_real(c, "FORCE_PLATFORM", "CORNERS",
                                   (size_t)plate * 12 + (size_t)k * 3 + (size_t)a, &corners[k][a]))
                return -1;
    *fz = c->analog + (long)chan - 1;
    *stride = (size_t)c->analog_channels;
    *n_samples = (size_t)c->n_frames * (size_t)c->analog_samples_per_frame;
    return 0;
}
