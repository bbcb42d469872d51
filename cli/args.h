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

#endif
