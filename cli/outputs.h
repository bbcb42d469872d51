/* formcheck: the report files a command writes (analyze, live). */
#ifndef FC_CLI_OUTPUTS_H
#define FC_CLI_OUTPUTS_H

#include <stddef.h>

#include "core/error.h"
#include "report/report.h"

struct fc_cli_outputs {
    const char *csv, *json, *html; /* explicit files, or NULL */
    const char *out_dir;           /* DIR: STEM.csv, STEM.json, STEM.html for those not given */
};

/* "dir/walk.c3d" -> "walk" */
void fc_cli_input_stem(const char *input, char *stem, size_t len);

/* Writes the CSV, JSON and HTML reports asked for, each atomically, and
 * appends every file written to written[] (room for 3 more). On failure
 * err names the file; the files already written stay listed so that the
 * caller removes them with whatever else it wrote (no half-done output). */
int fc_cli_write_reports(const struct fc_cli_outputs *o, const char *stem,
                         const struct fc_report *r, const char **written, int *n_written,
                         struct fc_error *err);

#endif
