/* formcheck: option values the subcommands share, parsed with one message
 * each ("formcheck analyze: unknown view 'top' (front, side or auto)").
 * Each returns 0, or -1 after printing what was wrong to stderr. */
#ifndef FC_CLI_ARGS_H
#define FC_CLI_ARGS_H

#include "core/exercise.h"
#include "pose/movenet.h"

/* A number strictly between lo and hi. */
int fc_cli_number(const char *cmd, const char *opt, const char *arg, double lo, double hi,
                  double *out);
/* An exercise name, auto included. */
int fc_cli_exercise(const char *cmd, const char *arg, enum fc_exercise *out);
/* front, side or auto. */
int fc_cli_view(const char *cmd, const char *arg, enum fc_view *out);
/* thunder or lightning. */
int fc_cli_model(const char *cmd, const char *arg, enum fc_movenet_model *out);

/* The pose model's runtime, --backend NAME and --threads N (analyze, live,
 * bench). Without --backend, XNNPACK with OpenCV as the fallback (a notice
 * on stderr); --backend xnnpack is XNNPACK or an error. */
struct fc_cli_runtime {
    enum fc_dnn_backend backend;
    int chosen;  /* --backend was given */
    int threads; /* 0: the runtime's default */
};
#define FC_CLI_RUNTIME_HELP                                                                        \
    "  --backend NAME       video: the pose model's runtime, xnnpack (default; OpenCV\n"           \
    "                       when its graph file is missing) or opencv\n"                           \
    "  --threads N          video: inference threads (default: 1 for xnnpack, which\n"             \
    "                       leaves the other core to decoding; all cores for opencv)\n"
void fc_cli_runtime_init(struct fc_cli_runtime *r);
int fc_cli_backend(const char *cmd, const char *arg, struct fc_cli_runtime *r);
int fc_cli_threads(const char *cmd, const char *arg, struct fc_cli_runtime *r);
void fc_cli_runtime_apply(const struct fc_cli_runtime *r, struct fc_movenet_params *mp);

#endif
