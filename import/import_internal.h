/* formcheck import: text-reading helpers shared by the importers
 * (import/import_*.c).
 *
 * Not part of the public API. The helpers live in import/import_csv.c so that a
 * program using only the CSV or JSON importers does not pull in the C3D reader.
 *
 *     struct fc_text_reader r;
 *     struct fc_csv_row row = {0};
 *     char *line;
 *     if (fc_text_open(&r, path, err) < 0) return err->code;
 *     while ((rc = fc_text_next(&r, &line, err)) > 0) {
 *         fc_csv_split(line, &row, err);      // row.cell[0..row.n-1], trimmed
 *         ... r.line_no is the 1-based number of that line ...
 *     }
 *     fc_csv_row_free(&row);
 *     fc_text_close(&r);
 */
#ifndef FC_IMPORT_IMPORT_INTERNAL_H
#define FC_IMPORT_IMPORT_INTERNAL_H

#include <stdio.h>

#include "core/error.h"
#include "core/keypoints.h"

struct fc_text_reader {
    FILE *fp;
    const char *path; /* borrowed, for messages */
    char *buf;
    size_t cap;
    long line_no; /* 1-based number of the line last returned */
};

int fc_text_open(struct fc_text_reader *r, const char *path, struct fc_error *err);
/* 1 and *line (without "\n" or "\r\n", NUL-terminated, writable until the next
 * call) on a line; 0 at end of file; <0 on a read error or a control byte
 * other than tab inside the line (the file is binary, not text). A UTF-8 byte-order mark on the
 * first line is dropped. */
int fc_text_next(struct fc_text_reader *r, char **line, struct fc_error *err);
void fc_text_close(struct fc_text_reader *r);

/* Cells of one comma-separated line, split in place: each cell trimmed of
 * blanks and of one pair of surrounding double quotes. Quoted commas are not
 * supported: none of the formats read here uses them. */
struct fc_csv_row {
    char **cell;
    int n, cap;
};

int fc_csv_split(char *line, struct fc_csv_row *row, struct fc_error *err);
void fc_csv_row_free(struct fc_csv_row *row);

/* 1 when s is a finite number (stored in *out), 0 when it marks a missing
 * value (empty, or "nan" in any case), -1 when it is anything else. */
int fc_cell_float(const char *s, float *out);
int fc_cell_double(const char *s, double *out);

/* Parses a time cell into *t_s and checks that it is finite and not before
 * prev_t_s (pass -INFINITY for the first row); the message names the file,
 * line and column. */
int fc_cell_time(const struct fc_text_reader *r, const char *col, const char *cell, double prev_t_s,
                 double *t_s, struct fc_error *err);

/* 1 / (median time step) of a track's frames; 0 when fewer than two frames or
 * the median step is not positive. The median keeps a single dropped frame
 * from skewing the rate. */
double fc_estimate_rate_hz(const struct fc_pose_track *t);

/* 1 when name ends with suffix; *stem_len gets the length before it. */
int fc_ends_with(const char *name, const char *suffix, size_t *stem_len);

#endif
