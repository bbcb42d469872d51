/* fc_test_run_formcheck, apart from the other helpers: only the suites that
 * run the formcheck program link it, so only they wait for the program to be
 * built (the unit suites build and run without it). */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int fc_test_run_formcheck(char *out, size_t outlen, const char *const argv[])
{
    char capture[] = "/tmp/fcout.XXXXXX";
    int fd = mkstemp(capture);
    cr_assert_geq(fd, 0);
    const char *args[64];
    int n = 0;
    args[n++] = FC_FORMCHECK_BIN;
    for (int i = 0; argv[i] && n < 63; i++)
        args[n++] = argv[i];
    args[n] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, 1);
    posix_spawn_file_actions_adddup2(&fa, fd, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, FC_FORMCHECK_BIN, &fa, NULL, (char *const *)args, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "cannot run %s", FC_FORMCHECK_BIN);
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
