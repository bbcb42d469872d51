/* formcheck: reading a whole input file into memory, with its checks. */
#ifndef FC_CORE_FILEIO_H
#define FC_CORE_FILEIO_H

#include <stddef.h>

#include "core/error.h"

/* Reads the regular file at path into a new buffer (*data, caller frees)
 * with a NUL after the last byte, so text can be parsed in place; *size
 * excludes it. max_size (0: no limit) refuses larger files with
 * FC_ERR_FORMAT, naming what (e.g. "an OpenPose frame"). */
int fc_read_file(const char *path, size_t max_size, const char *what, unsigned char **data,
                 size_t *size, struct fc_error *err);

#endif
