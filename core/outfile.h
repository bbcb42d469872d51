/* formcheck: output files that are either complete or absent.
 *
 * Writers never leave a half-written file behind: they write to a temporary
 * file beside the target and rename it into place only when everything
 * succeeded (rename within one directory is atomic on POSIX).
 *
 *     struct fc_outfile out;
 *     if (fc_outfile_open(&out, "report.csv", &err) < 0) return err.code;
 *     fprintf(out.fp, "...");
 *     return fc_outfile_commit(&out, &err);   // or fc_outfile_abort(&out)
 */
#ifndef FC_CORE_OUTFILE_H
#define FC_CORE_OUTFILE_H

#include <stdio.h>

#include "core/error.h"

struct fc_outfile {
    FILE *fp;
    char path[4096];
    char tmp_path[4096 + 16];
};

int fc_outfile_open(struct fc_outfile *out, const char *path, struct fc_error *err);
/* Flushes, checks for write errors, and renames into place. Closes in all cases. */
int fc_outfile_commit(struct fc_outfile *out, struct fc_error *err);
/* Closes and removes the temporary file; the target is left untouched. */
void fc_outfile_abort(struct fc_outfile *out);

#endif
