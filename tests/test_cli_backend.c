/* formcheck analyze --backend and --threads: the options, and what a user
 * sees when the XNNPACK graph file is damaged (an error naming the file and
 * the command that regenerates it; without --backend, a notice and the
 * fallback to OpenCV). A small generated clip and a model folder made here:
 * no real model is needed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pose/dnn.h"
#include "support/testutil.h"

static char out[16384];

Test(cli_backend, unknown_backend_and_bad_thread_count_are_usage_errors)
{
    const char *a1[] = {"analyze", "--backend", "tensorrt", "clip.mp4", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a1), 2, "%s", out);
    cr_assert(strstr(out, "unknown backend 'tensorrt' (xnnpack or opencv)"), "%s", out);
    const char *a2[] = {"live", "--threads", "1.5", "--input", "clip.mp4", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a2), 2, "%s", out);
    cr_assert(strstr(out, "--threads"), "%s", out);
    const char *a3[] = {"analyze", "--help", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a3), 0, "%s", out);
    cr_assert(strstr(out, "--backend NAME") && strstr(out, "--threads N"), "%s", out);
}

Test(cli_backend, damaged_graph_file_names_itself_and_the_fix, .timeout = 120)
{
    char dir[512], models[600], clip[600], graph[700];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(models, sizeof models, "%s/models", dir);
    snprintf(clip, sizeof clip, "%s/clip.mp4", dir);
    snprintf(graph, sizeof graph, "%s/movenet-lightning.xnn", models);
    cr_assert_eq(mkdir(models, 0777), 0);
    fc_test_ffmpeg("-f lavfi -i testsrc=size=64x48:rate=10:duration=0.5 -c:v mpeg4 %s", clip);
    /* the first bytes of a graph file, cut short */
    fc_test_write_file(graph, "FCXNNGR\0\1\0\0\0", 12);
    setenv("FORMCHECK_MODELS", models, 1);

    const char *strict[] = {"analyze", "--model", "lightning", "--backend",
                            "xnnpack", "-q",      clip,        NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, strict), 1, "%s", out);
    cr_assert(strstr(out, graph), "%s", out);
    if (fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK)) {
        cr_assert(strstr(out, "truncated"), "%s", out);
        cr_assert(strstr(out, "bash tools/fetch_models.sh"), "%s", out);
    } else {
        cr_assert(strstr(out, "libxnnpack-dev"), "%s", out); /* the fix is a rebuild */
    }

    /* without --backend: the notice, then OpenCV, whose ONNX file is missing here too */
    const char *dflt[] = {"analyze", "--model", "lightning", "-q", clip, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, dflt), 1, "%s", out);
    cr_assert(strstr(out, graph), "%s", out);
    cr_assert(strstr(out, "running MoveNet on OpenCV DNN instead"), "%s", out);
    cr_assert(strstr(out, "movenet-lightning-opencv.onnx"), "%s", out);
    fc_test_rmtree(dir);
}
