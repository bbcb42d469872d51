#include "core/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int fc_read_file(const char *path, size_t max_size, const char *what, unsigned char **data,
                 size_t *size, struct fc_error *err)
{
    int rc = 0;
    unsigned char *buf = NULL;
    *data = NULL;
    *size = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) != 0) {
        rc = fc_error_set(err, FC_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = fc_error_set(err, FC_ERR_IO, "%s: not a regular file", path);
        goto fail;
    }
    size_t n = (size_t)st.st_size;
    if (max_size && n > max_size) {
        rc = fc_error_set(err, FC_ERR_FORMAT, "%s: %zu bytes is too large for %s", path, n, what);
        goto fail;
    }
    if (!(buf = malloc(n + 1))) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory reading %zu bytes", path, n);
        goto fail;
    }
    if (fread(buf, 1, n, fp) != n) {
        rc = fc_error_set(err, FC_ERR_IO, "%s: read error after %zu bytes", path, n);
        goto fail;
    }
    buf[n] = '\0';
    fclose(fp);
    *data = buf;
    *size = n;
    return 0;
fail:
    free(buf);
    fclose(fp);
    return rc;
}
