/* formcheck batch: the list of recordings a batch processes.
 *
 * Two sources give the same list:
 *   a manifest CSV  a header row, then one recording a row. Columns `path`
 *                   and `patient` are required; `recorded_at` (ISO 8601
 *                   date or date-time), `exercise` (default auto), `view`
 *                   (front, side, auto), `session` and `notes` are optional;
 *                   any other column is kept as metadata (a JSON object).
 *                   Fields may be quoted ("a, b", "say ""hi"""); a relative
 *                   path is relative to the manifest's folder.
 *   a folder        walked as ROOT/PATIENT/DATE/RECORDING: a file or an
 *                   OpenPose folder at the third level is a recording of
 *                   PATIENT in session DATE (a folder name starting with an
 *                   ISO date gives recorded_at). Hidden names are skipped.
 * Entries come sorted by patient, session, path, so that a plan and a
 * shard's share do not depend on the order of the file or the directory.
 *
 *     struct fc_manifest m;
 *     if (fc_manifest_load("clinic.csv", &m, &err) < 0)   // or a folder
 *         fprintf(stderr, "formcheck batch: %s\n", err.msg);
 *     // "clinic.csv: line 7: 3 fields, the header has 5"
 *     for (size_t i = 0; i < m.n; i++) ... m.e[i].path, m.e[i].patient ...
 *     fc_manifest_free(&m);
 */
#ifndef FC_BATCH_MANIFEST_H
#define FC_BATCH_MANIFEST_H

#include <stddef.h>

#include "core/error.h"
#include "core/exercise.h"

struct fc_manifest_entry {
    char *path;        /* as opened: the manifest's folder joined on */
    char *patient;     /* never empty */
    char *session;     /* the session column, else recorded_at's date, else "undated" */
    char *recorded_at; /* ISO 8601 as given; "" when unknown */
    char *notes;       /* "" when none */
    char *metadata;    /* the other columns as a JSON object; "{}" when none */
    enum fc_exercise exercise;
    enum fc_view view;
    int line; /* the manifest line (1 = header); 0 from a folder */
};

struct fc_manifest {
    size_t n;
    struct fc_manifest_entry *e;
};

/* A manifest CSV held in memory: name is what messages call it, base_dir
 * the folder relative paths start from ("" or NULL: as given). */
int fc_manifest_parse(const char *text, size_t len, const char *name, const char *base_dir,
                      struct fc_manifest *out, struct fc_error *err);
/* A manifest file or a folder, by what path is. */
int fc_manifest_load(const char *path, struct fc_manifest *out, struct fc_error *err);
void fc_manifest_free(struct fc_manifest *m);

/* 1 when s is an ISO 8601 date (YYYY-MM-DD) or date-time
 * (YYYY-MM-DDThh:mm[:ss[.fff]][Z|+hh:mm|-hh:mm], a space allowed for T). */
int fc_manifest_iso_date(const char *s);

#endif
