/* Keypoint CSV, formcheck's own format: read and write. Also home of the text
 * helpers in import/import_internal.h, which the MediaPipe reader shares. */
#include "import/import_internal.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/outfile.h"
#include "import/import.h"

/* ---- text helpers ------------------------------------------------------ */

int fc_text_open(struct fc_text_reader *r, const char *path, struct fc_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->fp = fopen(path, "rb");
    if (!r->fp)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    return 0;
}

int fc_text_next(struct fc_text_reader *r, char **line, struct fc_error *err)
{
    errno = 0;
    ssize_t n = getline(&r->buf, &r->cap, r->fp);
    if (n < 0) {
        if (errno == ENOMEM)
            return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory reading line %ld", r->path,
                                r->line_no + 1);
        if (ferror(r->fp))
            return fc_error_set(err, FC_ERR_IO, "%s: read error after line %ld: %s", r->path,
                                r->line_no, strerror(errno ? errno : EIO));
        return 0;
    }
    r->line_no++;
    if (n > 0 && r->buf[n - 1] == '\n')
        r->buf[--n] = '\0';
    if (n > 0 && r->buf[n - 1] == '\r')
        r->buf[--n] = '\0';
    /* Text has no control bytes but tabs; anything else (a NUL above all,
     * which would silently cut the line short) means the file is binary. */
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)r->buf[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return fc_error_set(err, FC_ERR_FORMAT, "%s:%ld: not text (control byte 0x%02X)",
                                r->path, r->line_no, c);
    }
    char *s = r->buf;
    if (r->line_no == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        s += 3; /* byte-order mark, as spreadsheet programs write it */
    *line = s;
    return 1;
}

void fc_text_close(struct fc_text_reader *r)
{
    if (r->fp)
        fclose(r->fp);
    free(r->buf);
    r->fp = NULL;
    r->buf = NULL;
    r->cap = 0;
}

static char *trim_cell(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        s[len - 1] = '\0';
        s++;
    }
    return s;
}

int fc_csv_split(char *line, struct fc_csv_row *row, struct fc_error *err)
{
    row->n = 0;
    for (char *s = line;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if (row->n == row->cap) {
            int cap = row->cap ? row->cap * 2 : 64;
            char **c = realloc(row->cell, (size_t)cap * sizeof *c);
            if (!c)
                return fc_error_set(err, FC_ERR_NOMEM, "out of memory splitting a CSV line");
            row->cell = c;
            row->cap = cap;
        }
        row->cell[row->n++] = trim_cell(s);
        if (!comma)
            break;
        s = comma + 1;
    }
    return 0;
}

void fc_csv_row_free(struct fc_csv_row *row)
{
    free(row->cell);
    row->cell = NULL;
    row->n = row->cap = 0;
}

static int cell_is_missing(const char *s)
{
    return *s == '\0' || strcasecmp(s, "nan") == 0;
}

int fc_cell_double(const char *s, double *out)
{
    if (cell_is_missing(s))
        return 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return -1;
    if (isnan(v)) /* "-nan", "nan(0x1)": printf's spellings of a missing value */
        return 0;
    if (isinf(v))
        return -1;
    *out = v;
    return 1;
}

int fc_cell_float(const char *s, float *out)
{
    if (cell_is_missing(s))
        return 0;
    char *end;
    /* strtof, not (float)strtod: a double rounding can miss the nearest float. */
    float v = strtof(s, &end);
    if (end == s || *end != '\0')
        return -1;
    if (isnan(v))
        return 0;
    if (isinf(v))
        return -1;
    *out = v;
    return 1;
}

int fc_cell_time(const struct fc_text_reader *r, const char *col, const char *cell, double prev_t_s,
                 double *t_s, struct fc_error *err)
{
    int rc = fc_cell_double(cell, t_s);
    if (rc == 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s:%ld: column '%s' is empty; every row needs a time", r->path,
                            r->line_no, col);
    if (rc < 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s:%ld: column '%s': '%.40s' is not a finite number", r->path,
                            r->line_no, col, cell);
    if (*t_s < prev_t_s)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s:%ld: column '%s' goes back in time: %.9g s after %.9g s", r->path,
                            r->line_no, col, *t_s, prev_t_s);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double fc_estimate_rate_hz(const struct fc_pose_track *t)
{
    if (t->n_frames < 2)
        return 0.0;
    size_t n = t->n_frames - 1;
    double *dt = malloc(n * sizeof *dt);
    if (!dt)
        return 0.0; /* an estimate only; "unknown" is an honest answer */
    for (size_t i = 0; i < n; i++)
        dt[i] = t->frames[i + 1].t_s - t->frames[i].t_s;
    qsort(dt, n, sizeof *dt, cmp_double);
    double med = n % 2 ? dt[n / 2] : 0.5 * (dt[n / 2 - 1] + dt[n / 2]);
    free(dt);
    return med > 0.0 ? 1.0 / med : 0.0;
}

int fc_ends_with(const char *name, const char *suffix, size_t *stem_len)
{
    size_t n = strlen(name), k = strlen(suffix);
    if (n <= k || strcmp(name + n - k, suffix) != 0)
        return 0;
    *stem_len = n - k;
    return 1;
}

/* ---- keypoint CSV reader ----------------------------------------------- */

enum { COL_X, COL_Y, COL_SCORE, COL_PER_JOINT };
static const char *const col_suffix[COL_PER_JOINT] = {"_x", "_y", "_score"};

/* The joints a keypoint CSV carries: COCO-17 in COCO order (always written),
 * then the feet a pose model may add (BlazePose's heels and foot tips, which
 * formcheck keeps as big toes), written only when some frame has them. */
static const enum fc_joint csv_joint[] = {
    FC_JOINT_NOSE,          FC_JOINT_LEFT_EYE,      FC_JOINT_RIGHT_EYE,      FC_JOINT_LEFT_EAR,
    FC_JOINT_RIGHT_EAR,     FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER, FC_JOINT_LEFT_ELBOW,
    FC_JOINT_RIGHT_ELBOW,   FC_JOINT_LEFT_WRIST,    FC_JOINT_RIGHT_WRIST,    FC_JOINT_LEFT_HIP,
    FC_JOINT_RIGHT_HIP,     FC_JOINT_LEFT_KNEE,     FC_JOINT_RIGHT_KNEE,     FC_JOINT_LEFT_ANKLE,
    FC_JOINT_RIGHT_ANKLE,   FC_JOINT_LEFT_HEEL,     FC_JOINT_RIGHT_HEEL,     FC_JOINT_LEFT_BIG_TOE,
    FC_JOINT_RIGHT_BIG_TOE,
};
#define N_CSV_JOINTS ((int)(sizeof csv_joint / sizeof *csv_joint))

/* Parses "key=value" words of a leading comment line; words without '=' (a
 * free-text note) and unknown keys are ignored so the line can grow. */
static int parse_meta(const struct fc_text_reader *r, char *line, struct fc_pose_track *t,
                      struct fc_error *err)
{
    static const char *const sep = " \t,#";
    char *save = NULL;
    for (char *w = strtok_r(line, sep, &save); w; w = strtok_r(NULL, sep, &save)) {
        char *eq = strchr(w, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *val = eq + 1;
        if (strcmp(w, "width") == 0 || strcmp(w, "height") == 0) {
            char *end;
            errno = 0;
            long v = strtol(val, &end, 10);
            if (end == val || *end != '\0' || errno || v <= 0 || v > INT32_MAX)
                return fc_error_set(err, FC_ERR_FORMAT,
                                    "%s:%ld: %s='%.40s' is not a positive whole number of pixels",
                                    r->path, r->line_no, w, val);
            *(w[0] == 'w' ? &t->width : &t->height) = (int)v;
        } else if (strcmp(w, "units") == 0) {
            if (strcmp(val, "normalized") == 0)
                t->units = FC_UNITS_NORMALIZED;
            else if (strcmp(val, "px") == 0 || strcmp(val, "pixels") == 0)
                t->units = FC_UNITS_PIXELS;
            else
                return fc_error_set(err, FC_ERR_UNSUPPORTED,
                                    "%s:%ld: units=%.40s; keypoint CSV holds image coordinates "
                                    "(units=px or units=normalized)",
                                    r->path, r->line_no, val);
        }
    }
    return 0;
}

/* Where a keypoint CSV keeps each value: column indices, -1 when absent. */
struct kp_columns {
    int t;
    int col[N_CSV_JOINTS][COL_PER_JOINT];
};

/* Finds t_s and the <joint>_x/_y/_score columns by name. */
static int parse_header(const struct fc_text_reader *r, const struct fc_csv_row *hdr,
                        struct kp_columns *c, struct fc_error *err)
{
    c->t = -1;
    for (int j = 0; j < N_CSV_JOINTS; j++)
        for (int k = 0; k < COL_PER_JOINT; k++)
            c->col[j][k] = -1;

    for (int i = 0; i < hdr->n; i++) {
        const char *name = hdr->cell[i];
        int *slot = NULL;
        if (strcmp(name, "t_s") == 0) {
            slot = &c->t;
        } else {
            for (int k = 0; k < COL_PER_JOINT && !slot; k++) {
                size_t stem;
                if (!fc_ends_with(name, col_suffix[k], &stem))
                    continue;
                for (int j = 0; j < N_CSV_JOINTS; j++) {
                    const char *jn = fc_joint_name(csv_joint[j]);
                    if (strlen(jn) == stem && strncmp(name, jn, stem) == 0) {
                        slot = &c->col[j][k];
                        break;
                    }
                }
            }
        }
        if (!slot)
            continue; /* a column formcheck does not use */
        if (*slot >= 0)
            return fc_error_set(err, FC_ERR_FORMAT, "%s:%ld: column '%s' appears twice", r->path,
                                r->line_no, name);
        *slot = i;
    }

    if (c->t < 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s:%ld: no 't_s' column in the header", r->path,
                            r->line_no);
    int n_joints = 0;
    for (int j = 0; j < N_CSV_JOINTS; j++) {
        int have = -1;
        for (int k = 0; k < COL_PER_JOINT; k++)
            if (c->col[j][k] >= 0)
                have = k;
        if (have < 0)
            continue; /* joint omitted entirely: it stays missing */
        for (int k = 0; k < COL_PER_JOINT; k++)
            if (c->col[j][k] < 0)
                return fc_error_set(err, FC_ERR_FORMAT,
                                    "%s:%ld: column '%s%s' is missing (the header has '%s%s')",
                                    r->path, r->line_no, fc_joint_name(csv_joint[j]), col_suffix[k],
                                    fc_joint_name(csv_joint[j]), col_suffix[have]);
        n_joints++;
    }
    if (n_joints == 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s:%ld: no keypoint columns in the header (expected "
                            "<joint>_x,<joint>_y,<joint>_score, e.g. left_hip_x)",
                            r->path, r->line_no);
    return 0;
}

static int is_blank(const char *s)
{
    return s[strspn(s, " \t")] == '\0';
}

/* Reads the comment lines (the "# width=.. height=.." one) and blank lines
 * before the header, then parses the header line; row keeps its cells (the
 * caller takes the header's field count from it). */
static int read_header(struct fc_text_reader *r, struct fc_csv_row *row, struct fc_pose_track *t,
                       struct kp_columns *c, struct fc_error *err)
{
    char *line = NULL;
    int rc;
    while ((rc = fc_text_next(r, &line, err)) > 0) {
        if (line[0] == '#') {
            if ((rc = parse_meta(r, line, t, err)) < 0)
                return rc;
        } else if (!is_blank(line)) {
            break;
        }
    }
    if (rc < 0)
        return rc;
    if (rc == 0)
        return fc_error_set(err, FC_ERR_EMPTY,
                            "%s: empty file: no header line (expected "
                            "t_s,<joint>_x,<joint>_y,<joint>_score,...)",
                            r->path);
    if ((rc = fc_csv_split(line, row, err)) < 0)
        return rc;
    return parse_header(r, row, c, err);
}

/* The joints of one row. A joint with any cell empty was not seen: score 0,
 * NaN coordinates, never half a joint. */
static int read_joints(const struct fc_text_reader *r, const struct fc_csv_row *row,
                       const struct kp_columns *cols, struct fc_keypoints *k, struct fc_error *err)
{
    for (int j = 0; j < N_CSV_JOINTS; j++) {
        if (cols->col[j][COL_X] < 0)
            continue;
        float v[COL_PER_JOINT] = {0}; /* read only when every cell is there */
        int present = 0;
        for (int c = 0; c < COL_PER_JOINT; c++) {
            const char *cell = row->cell[cols->col[j][c]];
            int got = fc_cell_float(cell, &v[c]);
            if (got < 0)
                return fc_error_set(err, FC_ERR_FORMAT,
                                    "%s:%ld: column '%s%s': '%.40s' is not a number", r->path,
                                    r->line_no, fc_joint_name(csv_joint[j]), col_suffix[c], cell);
            present += got;
        }
        if (present == COL_PER_JOINT)
            fc_keypoints_set(k, csv_joint[j], v[COL_X], v[COL_Y], NAN, v[COL_SCORE]);
    }
    return 0;
}

/* The rows after the header, one frame each; blank lines are skipped. 0 at
 * the end of the file, < 0 on an error. */
static int read_rows(struct fc_text_reader *r, struct fc_csv_row *row, int n_cols,
                     const struct kp_columns *cols, struct fc_pose_track *t, struct fc_error *err)
{
    char *line = NULL;
    int rc;
    double prev_t_s = -INFINITY;
    while ((rc = fc_text_next(r, &line, err)) > 0) {
        if (is_blank(line))
            continue;
        if ((rc = fc_csv_split(line, row, err)) < 0)
            return rc;
        if (row->n != n_cols)
            return fc_error_set(err, FC_ERR_FORMAT, "%s:%ld: %d fields, but the header has %d",
                                r->path, r->line_no, row->n, n_cols);
        double t_s;
        if ((rc = fc_cell_time(r, "t_s", row->cell[cols->t], prev_t_s, &t_s, err)) < 0)
            return rc;
        prev_t_s = t_s;
        struct fc_keypoints *k = fc_pose_track_push(t, err);
        if (!k)
            return FC_ERR_NOMEM;
        k->t_s = t_s;
        if ((rc = read_joints(r, row, cols, k, err)) < 0)
            return rc;
    }
    return rc;
}

int fc_import_keypoint_csv(const char *path, struct fc_pose_track *t, struct fc_error *err)
{
    struct fc_text_reader r;
    struct fc_csv_row row = {0};
    struct kp_columns cols;
    int n_cols = 0;
    int rc;

    fc_pose_track_init(t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    t->time_from_source = 1;
    if ((rc = fc_text_open(&r, path, err)) < 0)
        return rc;

    if ((rc = read_header(&r, &row, t, &cols, err)) < 0)
        goto fail;
    n_cols = row.n;
    if ((rc = read_rows(&r, &row, n_cols, &cols, t, err)) < 0)
        goto fail;
    if (t->n_frames == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: the header is followed by no frames", path);
        goto fail;
    }
    t->rate_hz = fc_estimate_rate_hz(t);
    fc_csv_row_free(&row);
    fc_text_close(&r);
    return 0;

fail:
    fc_csv_row_free(&row);
    fc_text_close(&r);
    fc_pose_track_free(t);
    return rc;
}

/* ---- keypoint CSV writer ----------------------------------------------- */

/* The shortest %g form that reads back as the same value: 6 to 9 digits
 * for a float, 15 to 17 for a double (9 and 17 always do). Keeps "0.9" from
 * becoming "0.899999976" and "0.1" from becoming "0.10000000000000001". */
static void format_shortest(char *buf, size_t len, double v, int is_float)
{
    int prec = is_float ? 6 : 15, last = is_float ? 9 : 17;
    for (; prec < last; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (is_float ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
            return;
    }
    snprintf(buf, len, "%.*g", last, v);
}

static int joint_written(const struct fc_keypoints *k, enum fc_joint j)
{
    return isfinite(k->x[j]) && isfinite(k->y[j]) && isfinite(k->score[j]);
}

/* Which of csv_joint[] this track writes: COCO-17 always (the documented
 * layout), a foot joint when any frame has it. Returns how many. */
static int joints_to_write(const struct fc_pose_track *t, enum fc_joint out[N_CSV_JOINTS])
{
    int n = 0;
    for (int i = 0; i < N_CSV_JOINTS; i++) {
        int any = i < FC_COCO17_COUNT;
        for (size_t f = 0; f < t->n_frames && !any; f++)
            any = joint_written(&t->frames[f], csv_joint[i]);
        if (any)
            out[n++] = csv_joint[i];
    }
    return n;
}

int fc_write_keypoint_csv(const char *path, const struct fc_pose_track *t, struct fc_error *err)
{
    struct fc_outfile out;
    if (t->units == FC_UNITS_MM)
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "%s: keypoint CSV holds image coordinates; this track is in lab "
                            "millimetres (from %s)",
                            path, fc_skeleton_name(t->skeleton));
    if (t->n_frames == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no frames to write", path);
    /* Check what the reader will check, so that a written file always reads back. */
    for (size_t i = 0; i < t->n_frames; i++) {
        if (!isfinite(t->frames[i].t_s))
            return fc_error_set(err, FC_ERR_ARG, "%s: frame %zu has no finite time", path, i);
        if (i > 0 && t->frames[i].t_s < t->frames[i - 1].t_s)
            return fc_error_set(err, FC_ERR_ARG,
                                "%s: frame %zu (%.9g s) comes before frame %zu (%.9g s)", path, i,
                                t->frames[i].t_s, i - 1, t->frames[i - 1].t_s);
    }

    int rc = fc_outfile_open(&out, path, err);
    if (rc < 0)
        return rc;
    FILE *fp = out.fp;
    if (t->width > 0 || t->height > 0 || t->units == FC_UNITS_NORMALIZED) {
        fputs("#", fp);
        if (t->width > 0)
            fprintf(fp, " width=%d", t->width);
        if (t->height > 0)
            fprintf(fp, " height=%d", t->height);
        if (t->units == FC_UNITS_NORMALIZED)
            fputs(" units=normalized", fp);
        fputs("\n", fp);
    }
    enum fc_joint joint[N_CSV_JOINTS];
    int n_joints = joints_to_write(t, joint);
    fputs("t_s", fp);
    for (int i = 0; i < n_joints; i++) {
        const char *name = fc_joint_name(joint[i]);
        fprintf(fp, ",%s_x,%s_y,%s_score", name, name, name);
    }
    fputs("\n", fp);

    for (size_t i = 0; i < t->n_frames; i++) {
        const struct fc_keypoints *k = &t->frames[i];
        char tbuf[40];
        format_shortest(tbuf, sizeof tbuf, k->t_s, 0);
        fputs(tbuf, fp);
        for (int i = 0; i < n_joints; i++) {
            enum fc_joint j = joint[i];
            if (!joint_written(k, j)) {
                fputs(",,,", fp);
                continue;
            }
            const float v[3] = {k->x[j], k->y[j], k->score[j]};
            for (int c = 0; c < 3; c++) {
                format_shortest(tbuf, sizeof tbuf, v[c], 1);
                fputc(',', fp);
                fputs(tbuf, fp);
            }
        }
        fputs("\n", fp);
    }
    return fc_outfile_commit(&out, err);
}
