/* MediaPipe (BlazePose) landmark CSV: "<landmark>_x,_y,_z,_v" columns, as the
 * exercise-correction data sets and most MediaPipe export scripts write them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/import_internal.h"

#define MP_POINTS 33

enum { MP_X, MP_Y, MP_Z, MP_V, MP_PER_POINT };
static const char *const mp_suffix[MP_PER_POINT] = {"_x", "_y", "_z", "_v"};

struct mp_columns {
    int label, time;
    const char *time_name;
    int col[MP_POINTS][MP_PER_POINT]; /* -1: absent */
    int any_z;
};

static int find_landmark(const char *name, size_t len)
{
    for (int i = 0; i < MP_POINTS; i++) {
        const char *pn = fc_skeleton_point_name(FC_SKELETON_MEDIAPIPE33, i);
        if (strlen(pn) == len && strncmp(name, pn, len) == 0)
            return i;
    }
    return -1;
}

static int parse_header(const struct fc_text_reader *r, const struct fc_csv_row *hdr,
                        struct mp_columns *c, struct fc_error *err)
{
    c->label = c->time = -1;
    c->time_name = NULL;
    c->any_z = 0;
    for (int i = 0; i < MP_POINTS; i++)
        for (int k = 0; k < MP_PER_POINT; k++)
            c->col[i][k] = -1;

    for (int i = 0; i < hdr->n; i++) {
        const char *name = hdr->cell[i];
        int *slot = NULL;
        if (strcmp(name, "label") == 0) {
            slot = &c->label;
        } else if (strcmp(name, "t_s") == 0 || strcmp(name, "time") == 0) {
            if (c->time >= 0)
                return fc_error_set(err, FC_ERR_FORMAT, "%s:%ld: two time columns, '%s' and '%s'",
                                    r->path, r->line_no, c->time_name, name);
            slot = &c->time;
            /* a literal: the header line's buffer is reused for the rows */
            c->time_name = name[1] == '_' ? "t_s" : "time";
        } else {
            for (int k = 0; k < MP_PER_POINT && !slot; k++) {
                size_t stem;
                int lm;
                if (fc_ends_with(name, mp_suffix[k], &stem) &&
                    (lm = find_landmark(name, stem)) >= 0)
                    slot = &c->col[lm][k];
            }
        }
        if (!slot)
            continue;
        if (*slot >= 0)
            return fc_error_set(err, FC_ERR_FORMAT, "%s:%ld: column '%s' appears twice", r->path,
                                r->line_no, name);
        *slot = i;
    }

    int n_points = 0;
    for (int i = 0; i < MP_POINTS; i++) {
        /* Landmarks with no canonical joint (mouth, fingers) are not read, so
         * their columns need not be complete. */
        if (fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, i) < 0)
            continue;
        int have = -1;
        for (int k = 0; k < MP_PER_POINT; k++)
            if (c->col[i][k] >= 0)
                have = k;
        if (have < 0)
            continue;
        const char *pn = fc_skeleton_point_name(FC_SKELETON_MEDIAPIPE33, i);
        static const int required[] = {MP_X, MP_Y, MP_V};
        for (int q = 0; q < 3; q++)
            if (c->col[i][required[q]] < 0)
                return fc_error_set(
                    err, FC_ERR_FORMAT, "%s:%ld: column '%s%s' is missing (the header has '%s%s')",
                    r->path, r->line_no, pn, mp_suffix[required[q]], pn, mp_suffix[have]);
        if (c->col[i][MP_Z] >= 0)
            c->any_z = 1;
        n_points++;
    }
    if (n_points == 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s:%ld: no MediaPipe landmark columns in the header (expected "
                            "<landmark>_x,_y,_z,_v, e.g. left_hip_x)",
                            r->path, r->line_no);
    return 0;
}

/* Skips leading blank lines and parses the header line into c; row keeps
 * its cells (the caller takes the header's field count from it). */
static int read_header(struct fc_text_reader *r, struct fc_csv_row *row, struct mp_columns *c,
                       struct fc_error *err)
{
    char *line = NULL;
    int rc;
    while ((rc = fc_text_next(r, &line, err)) > 0 && line[strspn(line, " \t")] == '\0')
        ; /* leading blank lines */
    if (rc < 0)
        return rc;
    if (rc == 0)
        return fc_error_set(err, FC_ERR_EMPTY,
                            "%s: empty file: no header line (expected "
                            "label,nose_x,nose_y,nose_z,nose_v,...)",
                            r->path);
    if ((rc = fc_csv_split(line, row, err)) < 0)
        return rc;
    return parse_header(r, row, c, err);
}

/* The landmarks of one row that map to a joint; a landmark needs x, y and
 * visibility to be set, z is optional. */
static int read_landmarks(const struct fc_text_reader *r, const struct fc_csv_row *row,
                          const struct mp_columns *c, struct fc_keypoints *k, struct fc_error *err)
{
    for (int i = 0; i < MP_POINTS; i++) {
        int j = fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, i);
        if (j < 0 || c->col[i][MP_X] < 0)
            continue;
        float v[MP_PER_POINT] = {NAN, NAN, NAN, NAN};
        int got[MP_PER_POINT] = {0};
        for (int q = 0; q < MP_PER_POINT; q++) {
            if (c->col[i][q] < 0)
                continue;
            const char *cell = row->cell[c->col[i][q]];
            if ((got[q] = fc_cell_float(cell, &v[q])) < 0)
                return fc_error_set(err, FC_ERR_FORMAT,
                                    "%s:%ld: column '%s%s': '%.40s' is not a number", r->path,
                                    r->line_no, fc_skeleton_point_name(FC_SKELETON_MEDIAPIPE33, i),
                                    mp_suffix[q], cell);
        }
        /* Visibility is MediaPipe's own estimate that the landmark is in
         * view, the nearest thing it has to a detection score. */
        if (got[MP_X] && got[MP_Y] && got[MP_V])
            fc_keypoints_set(k, j, v[MP_X], v[MP_Y], got[MP_Z] ? v[MP_Z] : NAN, v[MP_V]);
    }
    return 0;
}

/* The rows after the header, one frame each; blank lines are skipped. Without
 * a time column a frame's time is its index over rate_hz. 0 at the end of
 * the file, < 0 on an error. */
static int read_rows(struct fc_text_reader *r, struct fc_csv_row *row, int n_cols,
                     const struct mp_columns *c, double rate_hz, struct fc_pose_track *t,
                     struct fc_error *err)
{
    char *line = NULL;
    int rc;
    double prev_t_s = -INFINITY;
    while ((rc = fc_text_next(r, &line, err)) > 0) {
        if (line[strspn(line, " \t")] == '\0')
            continue;
        if ((rc = fc_csv_split(line, row, err)) < 0)
            return rc;
        if (row->n != n_cols)
            return fc_error_set(err, FC_ERR_FORMAT, "%s:%ld: %d fields, but the header has %d",
                                r->path, r->line_no, row->n, n_cols);
        double t_s = (double)t->n_frames / rate_hz;
        if (c->time >= 0) {
            if ((rc = fc_cell_time(r, c->time_name, row->cell[c->time], prev_t_s, &t_s, err)) < 0)
                return rc;
            prev_t_s = t_s;
        }
        struct fc_keypoints *k = fc_pose_track_push(t, err);
        if (!k)
            return FC_ERR_NOMEM;
        k->t_s = t_s;
        if ((rc = read_landmarks(r, row, c, k, err)) < 0)
            return rc;
        if (c->label >= 0 &&
            (rc = fc_pose_track_set_label(t, t->n_frames - 1, row->cell[c->label], err)) < 0)
            return rc;
    }
    return rc;
}

int fc_import_mediapipe_csv(const char *path, const struct fc_import_params *p,
                            struct fc_pose_track *t, struct fc_error *err)
{
    struct fc_import_params defaults = fc_import_default_params();
    struct fc_text_reader r;
    struct fc_csv_row row = {0};
    struct mp_columns c;
    int rc, n_cols;

    fc_pose_track_init(t, FC_SKELETON_MEDIAPIPE33, FC_UNITS_NORMALIZED, 3);
    if (!p)
        p = &defaults;
    if (!(p->rate_hz > 0.0) || !isfinite(p->rate_hz))
        return fc_error_set(err, FC_ERR_ARG, "%s: frame rate %g Hz is not a positive number", path,
                            p->rate_hz);
    if ((rc = fc_text_open(&r, path, err)) < 0)
        return rc;

    if ((rc = read_header(&r, &row, &c, err)) < 0)
        goto fail;
    n_cols = row.n;
    t->dims = c.any_z ? 3 : 2;
    t->time_from_source = c.time >= 0;
    if ((rc = read_rows(&r, &row, n_cols, &c, p->rate_hz, t, err)) < 0)
        goto fail;
    if (t->n_frames == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: the header is followed by no frames", path);
        goto fail;
    }
    t->rate_hz = c.time >= 0 ? fc_estimate_rate_hz(t) : p->rate_hz;
    fc_csv_row_free(&row);
    fc_text_close(&r);
    return 0;

fail:
    fc_csv_row_free(&row);
    fc_text_close(&r);
    fc_pose_track_free(t);
    return rc;
}
