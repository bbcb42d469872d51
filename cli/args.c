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

void fc_cli_runtime_init(struct fc_cli_runtime *r)
{
    struct fc_movenet_params mp = fc_movenet_default_params();
    r->backend = mp.backend;
    r->chosen = 0;
    r->threads = mp.threads;
}

int fc_cli_backend(const char *cmd, const char *arg, struct fc_cli_runtime *r)
{
    if (fc_dnn_backend_parse(arg, &r->backend) < 0) {
        fprintf(stderr, "formcheck %s: unknown backend '%s' (xnnpack or opencv)\n", cmd, arg);
        return -1;
    }
    r->chosen = 1;
    return 0;
}

/* More inference threads than this gain nothing on MoveNet's small tensors. */
#define MAX_INFERENCE_THREADS 64

int fc_cli_threads(const char *cmd, const char *arg, struct fc_cli_runtime *r)
{
    double n;
    if (fc_cli_number(cmd, "--threads", arg, 0, MAX_INFERENCE_THREADS + 1, &n) < 0)
        return -1;
    if (n != (int)n) {
        fprintf(stderr, "formcheck %s: --threads needs a whole number, got '%s'\n", cmd, arg);
        return -1;
    }
    r->threads = (int)n;
    return 0;
}

void fc_cli_runtime_apply(const struct fc_cli_runtime *r, struct fc_movenet_params *mp)
{
    mp->backend = r->backend;
    mp->fallback = !r->chosen;
    mp->threads = r->threads;
}
