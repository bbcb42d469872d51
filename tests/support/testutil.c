#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

void fc_test_mkdtemp(char *buf, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, len, "%s/fctest.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(buf), "mkdtemp %s", buf);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void fc_test_rmtree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fc_test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

char *fc_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = 0;
    if (len)
        *len = got;
    return buf;
}

int fc_test_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int fc_test_dir_count(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

int fc_test_run_captured(const char *prog, const char *const args[], char *out, size_t outlen)
{
    char capture[] = "/tmp/fcout.XXXXXX";
    int fd = mkstemp(capture);
    cr_assert_geq(fd, 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, 1);
    posix_spawn_file_actions_adddup2(&fa, fd, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, prog, &fa, NULL, (char *const *)args, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "cannot run %s", prog);
    int status;
    waitpid(pid, &status, 0);
    close(fd);

    size_t got = 0;
    char *text = fc_test_read_file(capture, &got);
    unlink(capture);
    if (out && outlen) {
        snprintf(out, outlen, "%s", text ? text : "");
    }
    free(text);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Debian's python with its python3-jsonschema, not whatever python3 a
 * virtual environment puts first on PATH. */
#define SYSTEM_PYTHON "/usr/bin/python3"

int fc_test_json_validate(enum fc_test_json kind, const char *path, char *out, size_t outlen)
{
    static const char *const schema[] = {
        [FC_TEST_JSON_REPORT] = FC_SOURCE_DIR "/docs/schema/report.schema.json",
        [FC_TEST_JSON_LIVE_EVENTS] = FC_SOURCE_DIR "/docs/schema/live-event.schema.json",
    };
    const char *args[6];
    int n = 0;
    args[n++] = SYSTEM_PYTHON;
    args[n++] = FC_SOURCE_DIR "/tools/validate_json.py";
    if (kind == FC_TEST_JSON_LIVE_EVENTS)
        args[n++] = "--lines";
    args[n++] = schema[kind];
    args[n++] = path;
    args[n] = NULL;
    return fc_test_run_captured(SYSTEM_PYTHON, args, out, outlen);
}

void fc_test_assert_json_valid(enum fc_test_json kind, const char *path)
{
    char out[4096];
    int rc = fc_test_json_validate(kind, path, out, sizeof out);
    cr_assert_eq(rc, 0, "%s does not follow its schema (validate_json.py exit %d):\n%s", path, rc,
                 out);
}

const char *fc_test_data_dir(void)
{
    static char dir[4096];
    const char *env = getenv("FORMCHECK_DATA");
    snprintf(dir, sizeof dir, "%s", env && *env ? env : FC_SHARED_DATA_DIR);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return NULL;
    return dir;
}

int fc_test_data_path(char *buf, size_t len, const char *rel)
{
    const char *dir = fc_test_data_dir();
    if (!dir)
        return -1;
    snprintf(buf, len, "%s/%s", dir, rel);
    return fc_test_file_exists(buf) ? 0 : -1;
}

void fc_test_ffmpeg(const char *fmt, ...)
{
    char args[6000], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -hide_banner -loglevel error -y %s", args);
    cr_assert_eq(system(cmd), 0, "ffmpeg failed: %s", cmd);
}

int fc_test_have_encoder(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ffmpeg -hide_banner -encoders 2>/dev/null | grep -qw -- '%s'", name);
    return system(cmd) == 0;
}
