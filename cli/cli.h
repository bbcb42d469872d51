/* formcheck: the command-line program's subcommands. Each returns the
 * process exit status (see `formcheck --help`). */
#ifndef FC_CLI_CLI_H
#define FC_CLI_CLI_H

/* Exit statuses, documented in the help text and the README. */
enum {
    FC_EXIT_OK = 0,
    FC_EXIT_INPUT = 1,      /* the input could not be read or analysed */
    FC_EXIT_USAGE = 2,      /* bad command line */
    FC_EXIT_OUTPUT = 3,     /* an output file could not be written */
    FC_EXIT_SOURCE_LOST = 4 /* live: the source was lost mid-session (reports still written) */
};

int fc_cli_analyze(int argc, char **argv);
int fc_cli_synth(int argc, char **argv);
int fc_cli_bench(int argc, char **argv);
int fc_cli_live(int argc, char **argv);
int fc_cli_batch(int argc, char **argv);
int fc_cli_progress(int argc, char **argv);
int fc_cli_regrade(int argc, char **argv);

#endif
