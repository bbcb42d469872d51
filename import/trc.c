#include "import/trc.h"

#include "core/fileio.h"
#include "core/outfile.h"
#include "import/c3d.h"
#include "import/import.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Limits against damaged headers: more markers than any body model has and
 * a line length no real file approaches. */
#define TRC_MAX_MARKERS 10000
#define TRC_MAX_LINE (1 << 24)
/* 9 significant digits print any float exactly (FLT_DECIMAL_DIG). */
#define TRC_FLOAT_DIGITS 9

void fc_trc_free(struct fc_trc *t)
{
    if (!t)
        return;
    free(t->labels);
    free(t->t_s);
    free(t->xyz);
    memset(t, 0, sizeof *t);
}

int fc_trc_alloc(struct fc_trc *t, int n_frames, int n_markers, struct fc_error *err)
{
    memset(t, 0, sizeof *t);
    if (n_frames < 0 || n_markers <= 0 || n_markers > TRC_MAX_MARKERS)
        return fc_error_set(err, FC_ERR_ARG, "a TRC needs 1 to %d markers, not %d", TRC_MAX_MARKERS,
                            n_markers);
    size_t nf = n_frames > 0 ? (size_t)n_frames : 1;
    t->labels = calloc((size_t)n_markers, sizeof *t->labels);
    t->t_s = calloc(nf, sizeof *t->t_s);
    t->xyz = malloc(nf * (size_t)n_markers * 3 * sizeof *t->xyz);
    if (!t->labels || !t->t_s || !t->xyz) {
        fc_trc_free(t);
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for %d frames x %d markers", n_frames,
                            n_markers);
    }
    for (size_t i = 0; i < nf * (size_t)n_markers * 3; i++)
        t->xyz[i] = NAN;
    t->n_frames = n_frames;
    t->n_markers = n_markers;
    t->first_frame = 1;
    snprintf(t->units, sizeof t->units, "mm");
    return 0;
}

double fc_trc_mm_per_unit(const struct fc_trc *t)
{
    return fc_c3d_units_mm(t->units);
}

/* ---- reading ---- */

struct lines {
    char *p, *end;
    int no; /* 1-based number of the line last returned */
};

/* The next line, NUL-terminated in place (CR dropped); NULL at the end. */
static char *next_line(struct lines *L)
{
    if (L->p >= L->end)
        return NULL;
    char *s = L->p, *nl = memchr(s, '\n', (size_t)(L->end - s));
    char *e = nl ? nl : L->end;
    L->p = nl ? nl + 1 : L->end;
    if (e > s && e[-1] == '\r')
        e--;
    *e = '\0';
    L->no++;
    return s;
}

/* Splits a line into cells at tabs (or at runs of spaces when it has no
 * tab); empty cells are kept for tab-separated lines. Returns the count. */
static int split(char *s, char **cells, int cap)
{
    int n = 0;
    if (strchr(s, '\t')) {
        while (n < cap) {
            cells[n++] = s;
            char *tab = strchr(s, '\t');
            if (!tab)
                break;
            *tab = '\0';
            s = tab + 1;
        }
        return n;
    }
    char *save = NULL; /* strtok_r: batch workers read files in parallel */
    for (char *tok = strtok_r(s, " ", &save); tok && n < cap; tok = strtok_r(NULL, " ", &save))
        cells[n++] = tok;
    return n;
}

static int parse_double(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return 0; /* empty: missing */
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || errno == ERANGE)
        return -1;
    *out = v;
    return 1;
}

static int header(const char *path, struct lines *L, struct fc_trc *t, int *n_markers,
                  struct fc_error *err)
{
    char *l1 = next_line(L);
    if (!l1 || strncasecmp(l1, "PathFileType", 12) != 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: not a TRC file (the first line does not start with "
                            "PathFileType)",
                            path);
    char *names = next_line(L), *values = next_line(L);
    if (!names || !values)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: the TRC header ends after line %d", path,
                            L->no);
    char *nc[16], *vc[16];
    int nn = split(names, nc, 16), nv = split(values, vc, 16);
    double rate = NAN, markers = NAN;
    t->units[0] = '\0';
    for (int i = 0; i < nn && i < nv; i++) {
        double v;
        if (strcasecmp(nc[i], "DataRate") == 0 && parse_double(vc[i], &v) == 1)
            rate = v;
        else if (strcasecmp(nc[i], "NumMarkers") == 0 && parse_double(vc[i], &v) == 1)
            markers = v;
        else if (strcasecmp(nc[i], "Units") == 0)
            snprintf(t->units, sizeof t->units, "%s", vc[i]);
    }
    if (!(rate > 0 && rate < 1e6))
        return fc_error_set(err, FC_ERR_FORMAT, "%s: line 3: DataRate is missing or not positive",
                            path);
    if (!(markers >= 1 && markers <= TRC_MAX_MARKERS) || markers != floor(markers))
        return fc_error_set(err, FC_ERR_FORMAT, "%s: line 3: NumMarkers must be 1 to %d", path,
                            TRC_MAX_MARKERS);
    t->rate_hz = rate;
    *n_markers = (int)markers;
    return 0;
}

/* Line 4: Frame# Time and a name per marker (followed by empty cells). */
static int marker_names(const char *path, struct lines *L, struct fc_trc *t, char **cells, int cap,
                        struct fc_error *err)
{
    char *l = next_line(L);
    if (!l)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: no marker names (line 4)", path);
    int n = split(l, cells, cap), m = 0;
    for (int i = 2; i < n && m < t->n_markers; i++) {
        char *c = cells[i];
        while (*c == ' ')
            c++;
        if (!*c)
            continue;
        snprintf(t->labels[m++], FC_TRC_LABEL_MAX, "%s", c);
    }
    if (m != t->n_markers)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: line 4 names %d markers but NumMarkers says %d", path, m,
                            t->n_markers);
    if (!next_line(L)) /* X1 Y1 Z1 ... */
        return fc_error_set(err, FC_ERR_FORMAT, "%s: the TRC header ends after line 4", path);
    return 0;
}

static int grow(struct fc_trc *t, int *cap, struct fc_error *err)
{
    int nc = *cap ? *cap * 2 : 256;
    double *ts = realloc(t->t_s, (size_t)nc * sizeof *ts);
    if (ts)
        t->t_s = ts;
    float *xyz = realloc(t->xyz, (size_t)nc * (size_t)t->n_markers * 3 * sizeof *xyz);
    if (xyz)
        t->xyz = xyz;
    if (!ts || !xyz)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for %d frames", nc);
    *cap = nc;
    return 0;
}

static int data_rows(const char *path, struct lines *L, struct fc_trc *t, char **cells, int cap,
                     struct fc_error *err)
{
    int rows_cap = 0;
    char *l;
    while ((l = next_line(L))) {
        int n = split(l, cells, cap);
        if (n == 0 || (n == 1 && !cells[0][0]))
            continue; /* blank */
        double frame, time;
        if (parse_double(cells[0], &frame) != 1 || n < 2 || parse_double(cells[1], &time) != 1 ||
            !(fabs(frame) < 1e9) || !isfinite(time))
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: line %d: expected a frame number and a time", path, L->no);
        if (n > 2 + 3 * t->n_markers + 1)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: line %d: %d cells, more than %d markers x 3 + 2", path, L->no,
                                n, t->n_markers);
        if (t->n_frames == rows_cap && grow(t, &rows_cap, err) < 0)
            return FC_ERR_NOMEM;
        int f = t->n_frames;
        if (f == 0)
            t->first_frame = (int)frame;
        t->t_s[f] = time;
        float *row = t->xyz + (size_t)f * (size_t)t->n_markers * 3;
        for (int k = 0; k < 3 * t->n_markers; k++) {
            double v = NAN;
            int rc = 2 + k < n ? parse_double(cells[2 + k], &v) : 0;
            if (rc < 0)
                return fc_error_set(err, FC_ERR_FORMAT,
                                    "%s: line %d, column %d: '%s' is not a number", path, L->no,
                                    3 + k, cells[2 + k]);
            row[k] = rc == 1 ? (float)v : NAN;
        }
        t->n_frames++;
    }
    if (t->n_frames == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no data rows after the header", path);
    return 0;
}

int fc_trc_read(const char *path, struct fc_trc *out, struct fc_error *err)
{
    unsigned char *data = NULL;
    size_t size = 0;
    char **cells = NULL;
    int rc, n_markers = 0;
    memset(out, 0, sizeof *out);
    if ((rc = fc_read_file(path, 0, "a TRC file", &data, &size, err)) < 0)
        return rc;
    struct lines L = {(char *)data, (char *)data + size, 0};
    if ((rc = header(path, &L, out, &n_markers, err)) < 0)
        goto fail;
    out->labels = calloc((size_t)n_markers, sizeof *out->labels);
    int cap = 3 * n_markers + 8;
    cells = malloc((size_t)cap * sizeof *cells);
    if (!out->labels || !cells) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for %d markers", path, n_markers);
        goto fail;
    }
    out->n_markers = n_markers;
    if ((rc = marker_names(path, &L, out, cells, cap, err)) < 0 ||
        (rc = data_rows(path, &L, out, cells, cap, err)) < 0)
        goto fail;
    free(cells);
    free(data);
    return 0;
fail:
    free(cells);
    free(data);
    fc_trc_free(out);
    return rc;
}

/* ---- writing ---- */

static void put_value(FILE *fp, float v)
{
    if (isfinite(v))
        fprintf(fp, "\t%.*g", TRC_FLOAT_DIGITS, (double)v);
    else
        fputc('\t', fp); /* OpenSim's missing marker: an empty cell */
}

int fc_trc_write(const char *path, const struct fc_trc *t, struct fc_error *err)
{
    if (!t || t->n_markers <= 0 || !t->labels || !t->xyz)
        return fc_error_set(err, FC_ERR_ARG, "%s: no markers to write", path);
    const char *base = strrchr(path, '/');
    struct fc_outfile out;
    int rc = fc_outfile_open(&out, path, err);
    if (rc < 0)
        return rc;
    FILE *fp = out.fp;
    fprintf(fp, "PathFileType\t4\t(X/Y/Z)\t%s\n", base ? base + 1 : path);
    fprintf(fp, "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\t"
                "OrigDataStartFrame\tOrigNumFrames\n");
    fprintf(fp, "%.*g\t%.*g\t%d\t%d\t%s\t%.*g\t%d\t%d\n", TRC_FLOAT_DIGITS + 8, t->rate_hz,
            TRC_FLOAT_DIGITS + 8, t->rate_hz, t->n_frames, t->n_markers,
            t->units[0] ? t->units : "mm", TRC_FLOAT_DIGITS + 8, t->rate_hz, t->first_frame,
            t->n_frames);
    fprintf(fp, "Frame#\tTime");
    for (int m = 0; m < t->n_markers; m++)
        fprintf(fp, "\t%s\t\t", t->labels[m]);
    fprintf(fp, "\n\t");
    for (int m = 0; m < t->n_markers; m++)
        fprintf(fp, "\tX%d\tY%d\tZ%d", m + 1, m + 1, m + 1);
    fprintf(fp, "\n\n");
    for (int f = 0; f < t->n_frames; f++) {
        /* 17 digits: a double time reads back exactly */
        fprintf(fp, "%d\t%.17g", t->first_frame + f, t->t_s[f]);
        const float *row = t->xyz + (size_t)f * (size_t)t->n_markers * 3;
        for (int k = 0; k < 3 * t->n_markers; k++)
            put_value(fp, row[k]);
        fputc('\n', fp);
    }
    return fc_outfile_commit(&out, err);
}

/* ---- as a track ---- */

int fc_trc_to_track(const struct fc_trc *trc, struct fc_pose_track *t, struct fc_error *err)
{
    fc_pose_track_init(t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    double mm = fc_trc_mm_per_unit(trc);
    if (mm == 0.0)
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "TRC units are '%s'; formcheck reads mm, cm or m", trc->units);
    int point_of[FC_JOINT_COUNT], mapped = 0;
    for (int j = 0; j < FC_JOINT_COUNT; j++)
        point_of[j] = -1;
    for (int i = 0; i < trc->n_markers; i++) {
        int j = fc_joint_from_marker(trc->labels[i]);
        if (j >= 0 && point_of[j] < 0)
            point_of[j] = i, mapped++;
    }
    if (mapped == 0)
        return fc_error_set(err, FC_ERR_EMPTY,
                            "none of the %d TRC markers is one formcheck knows (LASI, RASI, "
                            "LPSI, RPSI, ...); first '%s'",
                            trc->n_markers, trc->labels[0]);
    t->rate_hz = trc->rate_hz;
    t->time_from_source = 1;
    for (int f = 0; f < trc->n_frames; f++) {
        struct fc_keypoints *k = fc_pose_track_push(t, err);
        if (!k) {
            fc_pose_track_free(t);
            return FC_ERR_NOMEM;
        }
        k->t_s = trc->t_s[f];
        for (int j = 0; j < FC_JOINT_COUNT; j++) {
            if (point_of[j] < 0)
                continue;
            const float *p = fc_trc_point(trc, f, point_of[j]);
            if (isfinite(p[0]) && isfinite(p[1]) && isfinite(p[2]))
                fc_keypoints_set(k, (enum fc_joint)j, (float)(p[0] * mm), (float)(p[1] * mm),
                                 (float)(p[2] * mm), 1.0f);
        }
    }
    return 0;
}

int fc_import_trc(const char *path, struct fc_pose_track *t, struct fc_error *err)
{
    struct fc_trc trc;
    fc_pose_track_init(t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    int rc = fc_trc_read(path, &trc, err);
    if (rc < 0)
        return rc;
    rc = fc_trc_to_track(&trc, t, err);
    fc_trc_free(&trc);
    return rc;
}
