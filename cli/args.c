#include "cli/args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fc_cli_number(const char *cmd, const char *opt, const char *arg, double lo, double hi,
                  double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || !(v > lo && v < hi)) {
        fprintf(stderr, "formcheck %s: %s needs a number between %g and %g, got '%s'\n", cmd, opt,
                lo, hi, arg);
        return -1;
    }
    *out = v;
    return 0;
}

int fc_cli_exercise(const char *cmd, const char *arg, enum fc_exercise *out)
{
    int e = fc_exercise_from_name(arg);
    if (e < 0) {
        fprintf(stderr,
                "formcheck %s: unknown exercise '%s' (one of squat, single-leg-squat-left, "
                "single-leg-squat-right, lunge, step-up, single-leg-deadlift, glute-bridge, "
                "gait, overhead-squat, auto)\n",
                cmd, arg);
        return -1;
    }
    *out = (enum fc_exercise)e;
    return 0;
}

int fc_cli_view(const char *cmd, const char *arg, enum fc_view *out)
{
    int v = fc_view_from_name(arg);
    if (v < 0) {
        fprintf(stderr, "formcheck %s: unknown view '%s' (front, side or auto)\n", cmd, arg);
        return -1;
    }
    *out = (enum fc_view)v;
    return 0;
}

int fc_cli_model(const char *cmd, const char *arg, enum fc_movenet_model *out)
{
    if (strcmp(arg, "thunder") == 0)
        *out = FC_MOVENET_THUNDER;
    else if (strcmp(arg, "lightning") == 0)
        *out = FC_MOVENET_LIGHTNING;
    else {
        fprintf(stderr, "formcheck %s: unknown model '%s' (thunder or lightning)\n", cmd, arg);
        return -1;
    }
    return 0;
}
