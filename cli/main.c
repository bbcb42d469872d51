/* formcheck: measure exercise form from video, keypoints and motion capture. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/cli.h"

/* Under an address-space limit (ulimit -v, as batch systems set), OpenBLAS,
 * which OpenCV loads, starts a thread per core before main, each reserving
 * a 64 MB malloc arena; a thread that finds no room retries for ever and
 * the program hangs at its exit. With one BLAS thread the limit is met by
 * formcheck's own allocations instead, which fail with a message. So a
 * limited process starts again, once, with OPENBLAS_NUM_THREADS=1 (a value
 * the user set is kept). */
static void one_blas_thread_under_a_memory_limit(char **argv)
{
    struct rlimit as;
    if (getrlimit(RLIMIT_AS, &as) != 0 || as.rlim_cur == RLIM_INFINITY ||
        getenv("OPENBLAS_NUM_THREADS"))
        return;
    if (setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0)
        execv("/proc/self/exe", argv); /* returns only on failure: go on as we are */
}

static const char usage[] =
    "usage: formcheck <command> [options]\n"
    "\n"
    "Measures exercise form (hip drop, pelvic tilt, knee valgus, trunk lean, depth,\n"
    "asymmetry) from keypoints and marker-based motion capture.\n"
    "\n"
    "commands:\n"
    "  analyze INPUT     analyse a session: grade, reps, findings, reports\n"
    "  synth --out FILE  generate a synthetic subject doing an exercise, with\n"
    "                    faults of known size (keypoint CSV)\n"
    "  live              feedback while the person moves, from a webcam or a\n"
    "                    stream (--camera DEVICE or --input URL)\n"
    "  batch MANIFEST|FOLDER  every recording of a clinic into a results database\n"
    "                    and reports; resumable, parallel, shardable\n"
    "  progress PATIENT  a patient's measures over sessions, change flagged only\n"
    "                    beyond the minimal detectable change\n"
    "  regrade           grade a batch's stored keypoints again (--thresholds FILE)\n"
    "  bench             short runs of the benchmarks (decode, pose model against\n"
    "                    ONNX Runtime, analyzer, end to end) in one table\n"
    "  version           print the version\n"
    "  help [COMMAND]    this text, or a command's options\n"
    "\n"
    "INPUT is a C3D motion-capture file, a keypoint CSV (formcheck's own format),\n"
    "a MediaPipe landmark CSV or a folder of OpenPose JSON files; formcheck tells\n"
    "them apart by content.\n"
    "\n"
    "exit status: 0 success, 1 unreadable or unusable input, 2 bad command line,\n"
    "3 an output could not be written, 4 (live) the source was lost mid-session.\n"
    "On failure no output file is left behind.\n";

int main(int argc, char **argv)
{
    /* A file-size limit (RLIMIT_FSIZE, as a quota or a batch system sets)
     * would otherwise kill the program in the middle of a write, leaving a
     * temporary file and no message; ignored, the write fails with EFBIG like
     * on a full disk, and the output is reported as not written (exit 3). */
    signal(SIGXFSZ, SIG_IGN);
    one_blas_thread_under_a_memory_limit(argv);
    if (argc < 2) {
        fputs(usage, stderr);
        return FC_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2 && strcmp(argv[2], "analyze") == 0) {
            char *help_argv[] = {"analyze", "--help", NULL};
            return fc_cli_analyze(2, help_argv);
        }
        if (argc > 2 && strcmp(argv[2], "live") == 0) {
            char *help_argv[] = {"live", "--help", NULL};
            return fc_cli_live(2, help_argv);
        }
        if (argc > 2 && strcmp(argv[2], "bench") == 0) {
            char *help_argv[] = {"bench", "--help", NULL};
            return fc_cli_bench(2, help_argv);
        }
        if (argc > 2 && strcmp(argv[2], "batch") == 0) {
            char *help_argv[] = {"batch", "--help", NULL};
            return fc_cli_batch(2, help_argv);
        }
        if (argc > 2 && strcmp(argv[2], "progress") == 0) {
            char *help_argv[] = {"progress", "--help", NULL};
            return fc_cli_progress(2, help_argv);
        }
        if (argc > 2 && strcmp(argv[2], "regrade") == 0) {
            char *help_argv[] = {"regrade", "--help", NULL};
            return fc_cli_regrade(2, help_argv);
        }
        if (argc > 2 && strcmp(argv[2], "synth") == 0) {
            char *help_argv[] = {"synth", "--help", NULL};
            return fc_cli_synth(2, help_argv);
        }
        fputs(usage, stdout);
        return FC_EXIT_OK;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("formcheck %s\n", FC_VERSION);
        return FC_EXIT_OK;
    }
    if (strcmp(cmd, "analyze") == 0)
        return fc_cli_analyze(argc - 1, argv + 1);
    if (strcmp(cmd, "synth") == 0)
        return fc_cli_synth(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0)
        return fc_cli_bench(argc - 1, argv + 1);
    if (strcmp(cmd, "live") == 0)
        return fc_cli_live(argc - 1, argv + 1);
    if (strcmp(cmd, "batch") == 0)
        return fc_cli_batch(argc - 1, argv + 1);
    if (strcmp(cmd, "progress") == 0)
        return fc_cli_progress(argc - 1, argv + 1);
    if (strcmp(cmd, "regrade") == 0)
        return fc_cli_regrade(argc - 1, argv + 1);
    fprintf(stderr, "formcheck: unknown command '%s' (try formcheck --help)\n", cmd);
    return FC_EXIT_USAGE;
}
