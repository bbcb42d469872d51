/* formcheck fuzzing: scratch files for the fuzz targets (fuzz/fuzz_input.h). */
#include "fuzz/fuzz_input.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch_base[512];

static const char *base(void)
{
    if (!scratch_base[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(scratch_base, sizeof scratch_base, "%s/fc-fuzz-%ld", tmp && *tmp ? tmp : "/tmp",
                 (long)getpid());
        mkdir(scratch_base, 0700);
    }
    return scratch_base;
}

const char *fc_fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[640];
    snprintf(path, sizeof path, "%s/input%s", base(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    size_t put = size ? fwrite(data, 1, size, f) : 0;
    if (fclose(f) != 0 || put != size)
        return NULL;
    return path;
}

const char *fc_fuzz_dir(void)
{
    static char dir[640];
    snprintf(dir, sizeof dir, "%s/folder", base());
    mkdir(dir, 0700);
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    return dir;
}
