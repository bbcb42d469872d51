/* fc_test_run_formcheck, apart from the other helpers: only the suites that
 * run the formcheck program link it, so only they wait for the program to be
 * built (the unit suites build and run without it). */
#include "testutil.h"

int fc_test_run_formcheck(char *out, size_t outlen, const char *const argv[])
{
    const char *args[64];
    int n = 0;
    args[n++] = FC_FORMCHECK_BIN;
    for (int i = 0; argv[i] && n < 63; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    return fc_test_run_captured(FC_FORMCHECK_BIN, args, out, outlen);
}
