/* formcheck bench: a short run of every benchmark in benchmarks/ and one
 * table of what they measured.
 *
 * The measuring code lives in the benchmark programs (bench_decode,
 * bench_pose, bench_analysis, bench_pipeline), built beside formcheck; this
 * command runs each with short settings, reads the JSON each one writes and
 * prints one table, so that the figures here and in docs/benchmarks.md come
 * from the same code. Each program's own full table goes to the log (shown
 * with --verbose). */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pose/dnn.h"

static const char bench_usage[] =
    "usage: formcheck bench [--verbose] [--keep DIR] [--clip FILE] [--backend NAME]\n"
    "\n"
    "Runs a short version (a few seconds each) of every benchmark and prints one\n"
    "table: decoding (a generated 1080p30 H.264 clip and a real clip), the pose\n"
    "model (MoveNet Lightning and Thunder, 1 and 2 threads, on each backend:\n"
    "XNNPACK and OpenCV) against ONNX Runtime on the same input when tools/ort is\n"
    "installed, the analyzer's hot loop, and end to end on a real clip per\n"
    "backend. For the full figures run the programs in benchmarks/\n"
    "(docs/benchmarks.md).\n"
    "\n"
    "options:\n"
    "  --verbose     also print each benchmark program's own table\n"
    "  --keep DIR    keep each program's JSON in DIR (created)\n"
    "  --clip FILE   the real clip for decoding and end to end (default: the one\n"
    "                the build names, else the generated clip)\n"
    "  --backend NAME  the pose stage and end to end on xnnpack or opencv alone\n"
    "                (default: both)\n"
    "\n"
    "The programs are looked for beside the formcheck executable, or in\n"
    "$FORMCHECK_BENCH_DIR.\n";

struct bench_ctx {
    char bin_dir[PATH_MAX];
    char out_dir[PATH_MAX];
    int verbose;
    const char *backend; /* "xnnpack" or "opencv"; NULL: both */
};

static int find_bin_dir(char *dir, size_t len)
{
    const char *env = getenv("FORMCHECK_BENCH_DIR");
    if (env && *env) {
        snprintf(dir, len, "%s", env);
        return 0;
    }
    ssize_t n = readlink("/proc/self/exe", dir, len - 1);
    if (n <= 0)
        return -1;
    dir[n] = 0;
    char *slash = strrchr(dir, '/');
    if (!slash)
        return -1;
    *slash = 0;
    return 0;
}

/* Runs DIR/prog with args, its output to a log (or the terminal with
 * --verbose), and parses the JSON it wrote to OUT/name.json. NULL when it
 * failed; the reason is printed. */
static cJSON *run_bench(const struct bench_ctx *c, const char *prog, const char *name,
                        const char *const *args)
{
    char exe[PATH_MAX + 64], json[PATH_MAX + 64], log[PATH_MAX + 64];
    snprintf(exe, sizeof exe, "%s/%s", c->bin_dir, prog);
    snprintf(json, sizeof json, "%s/%s.json", c->out_dir, name);
    snprintf(log, sizeof log, "%s/%s.log", c->out_dir, name);
    if (access(exe, X_OK) != 0) {
        printf("  %-10s not run: %s not found (build the benchmarks, or set "
               "FORMCHECK_BENCH_DIR)\n",
               name, exe);
        return NULL;
    }
    const char *argv[32];
    int n = 0;
    argv[n++] = exe;
    for (int i = 0; args[i] && n < 28; i++)
        argv[n++] = args[i];
    argv[n++] = "--json";
    argv[n++] = json;
    argv[n] = NULL;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("  %-10s not run: cannot start it (%s)\n", name, strerror(errno));
        return NULL;
    }
    if (pid == 0) {
        if (!c->verbose) {
            FILE *l = freopen(log, "w", stdout);
            if (l)
                dup2(fileno(stdout), 2);
        }
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("  %-10s failed (exit %d); see %s\n", name,
               WIFEXITED(status) ? WEXITSTATUS(status) : -1, c->verbose ? "above" : log);
        return NULL;
    }
    FILE *f = fopen(json, "rb");
    if (!f) {
        printf("  %-10s wrote no %s\n", name, json);
        return NULL;
    }
    static char buf[1 << 16];
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = 0;
    cJSON *j = cJSON_Parse(buf);
    if (!j)
        printf("  %-10s wrote unreadable JSON to %s\n", name, json);
    return j;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static void row(const char *stage, const char *what, const char *figure)
{
    printf("  %-10s %-44s %s\n", stage, what, figure);
}

static void show_decode(const cJSON *j)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(j, "clips"))
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "video");
        char what[128], fig[128];
        snprintf(what, sizeof what, "%s %.0fx%.0f %s",
                 cJSON_IsTrue(cJSON_GetObjectItem(c, "generated")) ? "generated" : "real clip",
                 num(v, "width"), num(v, "height"), str(v, "codec"));
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(c, "decode");
        snprintf(fig, sizeof fig, "%.1f frames/s decoded (%.0f frames)", num(d, "frames_per_s"),
                 num(d, "frames"));
        row("decode", what, fig);
        const cJSON *cv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "conversions"), 0);
        if (cv) {
            snprintf(fig, sizeof fig, "%.2f ms median, %.2f ms p95", num(cv, "median_ms"),
                     num(cv, "p95_ms"));
            row("", "  conversion to the 192x192 model input", fig);
        }
    }
}

static void show_pose(const cJSON *j)
{
    const cJSON *r;
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(j, "reference");
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(j, "results"))
    {
        char what[128], fig[160];
        const char *enc = str(r, "encoding");
        snprintf(what, sizeof what, "MoveNet %s, %s, %.0f thread%s", str(r, "model"),
                 !strcmp(enc, "xnnpack") ? "XNNPACK"
                 : !strcmp(enc, "std")   ? "OpenCV -std"
                                         : "OpenCV",
                 num(r, "threads"), num(r, "threads") > 1 ? "s" : "");
        snprintf(fig, sizeof fig, "%.2f ms median, %.2f ms p95", num(r, "median_ms"),
                 num(r, "p95_ms"));
        row("pose", what, fig);
        const cJSON *o;
        cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(ref, "results"))
        {
            /* the ratio of this backend (formcheck_ratio: OpenCV's -opencv file) */
            const char *key = !strcmp(enc, "xnnpack")  ? "xnnpack_ratio"
                              : !strcmp(enc, "opencv") ? "formcheck_ratio"
                                                       : NULL;
            if (!key || strcmp(str(o, "model"), str(r, "model")) != 0 ||
                num(o, "threads") != num(r, "threads") || !isfinite(num(o, key)))
                continue;
            snprintf(what, sizeof what, "  %s, same input", str(ref, "runtime"));
            snprintf(fig, sizeof fig, "%.2f ms median: formcheck takes %.2fx", num(o, "median_ms"),
                     num(o, key));
            row("", what, fig);
        }
    }
    if (!cJSON_IsObject(ref)) {
        char fig[300];
        snprintf(fig, sizeof fig, "not available: %.250s", str(j, "reference_missing"));
        row("", "  ONNX Runtime reference", fig);
    }
}

static void show_analysis(const cJSON *j)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(j, "results"))
    {
        char what[128], fig[160];
        snprintf(what, sizeof what, "analyzer hot loop, %s view, %.0f frames", str(r, "view"),
                 num(j, "frames_per_view"));
        snprintf(fig, sizeof fig, "%.2f M keypoint frames/s (CPU time); peak RSS %.0f -> %.0f KiB",
                 num(r, "cpu_median_frames_per_s") / 1e6, num(r, "peak_rss_kb_at_10pct"),
                 num(r, "peak_rss_kb_at_100pct"));
        row("analysis", what, fig);
    }
}

static void show_pipeline(const cJSON *j)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(j, "results"))
    {
        char what[128], fig[300];
        snprintf(what, sizeof what, "%s %s, %.0fx%.0f %s, %.0f frames", str(r, "model"),
                 str(r, "backend"), num(r, "width"), num(r, "height"), str(r, "codec"),
                 num(r, "frames"));
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(r, "latency_ms");
        snprintf(fig, sizeof fig,
                 "%.1f frames/s in the frame loop (%.1f over the whole run); latency "
                 "p50/p95/p99 %.1f/%.1f/%.1f ms; overhead %.0f%% of the pose step; peak RSS "
                 "%.0f MiB",
                 num(r, "loop_fps"), num(r, "end_to_end_fps"), num(l, "p50"), num(l, "p95"),
                 num(l, "p99"), 100 * num(r, "overhead_share"), num(r, "peak_rss_kib") / 1024);
        row("end2end", what, fig);
    }
}

/* 0 to go on, 1 after --help, -1 on a usage error (message printed). */
static int parse(int argc, char **argv, struct bench_ctx *c, const char **keep, const char **clip)
{
    static const struct option longopts[] = {
        {"verbose", no_argument, NULL, 'v'},    {"keep", required_argument, NULL, 'k'},
        {"clip", required_argument, NULL, 'c'}, {"backend", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    *keep = *clip = NULL;
    optind = 1;
    opterr = 0;
    int o;
    while ((o = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
        switch (o) {
        case 'v': c->verbose = 1; break;
        case 'k': *keep = optarg; break;
        case 'c': *clip = optarg; break;
        case 'b': {
            enum fc_dnn_backend b;
            if (fc_dnn_backend_parse(optarg, &b) < 0) {
                fprintf(stderr, "formcheck bench: unknown backend '%s' (xnnpack or opencv)\n",
                        optarg);
                return -1;
            }
            c->backend = fc_dnn_backend_name(b);
            break;
        }
        case 'h': fputs(bench_usage, stdout); return 1;
        default:
            fprintf(stderr, "formcheck bench: bad option '%s'\n%s", argv[optind - 1], bench_usage);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "formcheck bench: unexpected argument '%s'\n%s", argv[optind], bench_usage);
        return -1;
    }
    return 0;
}

/* The folder for the programs' JSON and logs: keep (created), else a new
 * temporary one. FC_EXIT_OK, or FC_EXIT_OUTPUT after saying why not. */
static int make_out_dir(struct bench_ctx *c, const char *keep)
{
    if (keep) {
        if (mkdir(keep, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "formcheck bench: %s: %s\n", keep, strerror(errno));
            return FC_EXIT_OUTPUT;
        }
        snprintf(c->out_dir, sizeof c->out_dir, "%s", keep);
        return FC_EXIT_OK;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(c->out_dir, sizeof c->out_dir, "%s/formcheck-bench-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(c->out_dir)) {
        fprintf(stderr, "formcheck bench: cannot make a temporary folder: %s\n", strerror(errno));
        return FC_EXIT_OUTPUT;
    }
    return FC_EXIT_OK;
}

/* The benchmarks, in the order of the table. */
static const struct bench_program {
    const char *prog, *name;
    void (*show)(const cJSON *j);
} programs[] = {
    {"bench_decode", "decode", show_decode},
    {"bench_pose", "pose", show_pose},
    {"bench_analysis", "analysis", show_analysis},
    {"bench_pipeline", "pipeline", show_pipeline},
};

#define N_PROGRAMS (sizeof programs / sizeof programs[0])

/* Runs every program with short settings and shows its rows. 1 when one
 * of them failed. */
static int run_all(const struct bench_ctx *c, const char *clip)
{
    double load[1] = {0};
    int have_load = getloadavg(load, 1) == 1;
    printf("formcheck bench: short runs of benchmarks/ (%ld CPUs online, load average %.2f%s)\n",
           sysconf(_SC_NPROCESSORS_ONLN), have_load ? load[0] : NAN,
           have_load && load[0] > 0.5 ? ": the machine is busy, figures will be low" : "");
    const char *dec_args[] = {"--frames", "90", clip, NULL};
    const char *pose_args[] = {"--frames", "20", "--encoding",
                               c->backend ? c->backend : "opencv,xnnpack", NULL};
    const char *ana_args[] = {"--frames", "1000000", "--repeat", "1", NULL};
    /* end to end: the real clip when there is one (bench_pipeline falls back
     * to the generated one by itself) */
    const char *pipe_args[] = {
        "--model",  "lightning", "--backend",        c->backend ? c->backend : "both",
        "--frames", "90",        clip ? clip : NULL, NULL};
    const char *const *args[N_PROGRAMS] = {dec_args, pose_args, ana_args, pipe_args};

    int failed = 0;
    for (size_t i = 0; i < N_PROGRAMS; i++) {
        cJSON *j = run_bench(c, programs[i].prog, programs[i].name, args[i]);
        if (j) {
            programs[i].show(j);
            cJSON_Delete(j);
        } else {
            failed = 1;
        }
    }
    return failed;
}

/* Removes what the programs wrote to the temporary folder, then the folder. */
static void remove_out_dir(const struct bench_ctx *c)
{
    char p[PATH_MAX + 64];
    for (size_t i = 0; i < N_PROGRAMS; i++) {
        snprintf(p, sizeof p, "%s/%s.json", c->out_dir, programs[i].name);
        unlink(p);
        snprintf(p, sizeof p, "%s/%s.log", c->out_dir, programs[i].name);
        unlink(p);
    }
    rmdir(c->out_dir);
}

int fc_cli_bench(int argc, char **argv)
{
    struct bench_ctx c = {0};
    const char *keep, *clip;
    int prc = parse(argc, argv, &c, &keep, &clip);
    if (prc != 0)
        return prc > 0 ? FC_EXIT_OK : FC_EXIT_USAGE;
    if (clip && access(clip, R_OK) != 0) {
        fprintf(stderr, "formcheck bench: %s: %s\n", clip, strerror(errno));
        return FC_EXIT_INPUT;
    }
    if (find_bin_dir(c.bin_dir, sizeof c.bin_dir) < 0) {
        fprintf(stderr, "formcheck bench: cannot tell where the benchmark programs are; set "
                        "FORMCHECK_BENCH_DIR\n");
        return FC_EXIT_INPUT;
    }
    /* Built with formcheck in a source build; an installed formcheck has
     * none beside it. One line saying how, rather than a table of failures. */
    for (size_t i = 0; i < N_PROGRAMS; i++) {
        char exe[PATH_MAX + 64];
        snprintf(exe, sizeof exe, "%s/%s", c.bin_dir, programs[i].prog);
        if (access(exe, X_OK) != 0) {
            fprintf(stderr,
                    "formcheck bench: %s is not built: run `cmake --build build --target "
                    "benchmarks` in the source tree (or set FORMCHECK_BENCH_DIR)\n",
                    exe);
            return FC_EXIT_INPUT;
        }
    }
    int rc = make_out_dir(&c, keep);
    if (rc != FC_EXIT_OK)
        return rc;
    int failed = run_all(&c, clip);
    if (keep)
        printf("JSON and logs kept in %s\n", c.out_dir);
    else
        remove_out_dir(&c);
    return failed ? FC_EXIT_INPUT : FC_EXIT_OK;
}
