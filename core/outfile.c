#define _POSIX_C_SOURCE 200809L
#include "core/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fc_outfile_open(struct fc_outfile *out, const char *path, struct fc_error *err)
{
    memset(out, 0, sizeof *out);
    if (strlen(path) >= sizeof out->path)
        return fc_error_set(err, FC_ERR_ARG, "%s: output path too long", path);
    strcpy(out->path, path);
    snprintf(out->tmp_path, sizeof out->tmp_path, "%s.tmpXXXXXX", path);
    int fd = mkstemp(out->tmp_path);
    if (fd < 0)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot create output file: %s", path,
                            strerror(errno));
    /* mkstemp creates 0600; give the file the mode a plain fopen would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    out->fp = fdopen(fd, "w");
    if (!out->fp) {
        close(fd);
        unlink(out->tmp_path);
        return fc_error_set(err, FC_ERR_IO, "%s: cannot open output file: %s", path,
                            strerror(errno));
    }
    return 0;
}

int fc_outfile_commit(struct fc_outfile *out, struct fc_error *err)
{
    if (!out->fp)
        return fc_error_set(err, FC_ERR_ARG, "%s: output file is not open", out->path);
    int failed = ferror(out->fp);
    if (fclose(out->fp) != 0)
        failed = 1;
    out->fp = NULL;
    if (failed) {
        unlink(out->tmp_path);
        return fc_error_set(err, FC_ERR_IO,
                            "%s: write failed (the disk is full or a file-size limit was reached)",
                            out->path);
    }
    if (rename(out->tmp_path, out->path) != 0) {
        int e = errno;
        unlink(out->tmp_path);
        return fc_error_set(err, FC_ERR_IO, "%s: cannot move output into place: %s", out->path,
                            strerror(e));
    }
    return 0;
}

void fc_outfile_abort(struct fc_outfile *out)
{
    if (out->fp) {
        fclose(out->fp);
        out->fp = NULL;
        unlink(out->tmp_path);
    }
}
