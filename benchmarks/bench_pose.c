/* bench_pose: milliseconds per frame of the pose stage.
 *
 * For MoveNet Lightning and Thunder, each backend and model file (OpenCV on
 * the -opencv and -std ONNX files, XNNPACK on the .xnn graph) and 1 and 2
 * inference threads, runs the whole per-frame pose step
 * (fc_movenet_run: input conversion, inference, head decoding, mapping back
 * to frame pixels) on the same frame many times and reports the median, the
 * 95th percentile and the fastest run, plus the head decoding alone. The
 * frame is messi5.jpg (Debian's opencv-doc) letterboxed to the model's input
 * as on a first video frame; scaling it is capture/'s work and not timed.
 *
 *     bench_pose [--frames N] [--image FILE] [--json FILE] [--profile]
 *                [--only lightning|thunder] [--encoding opencv|std|xnnpack] [--threads N]
 *                [--no-ort]
 *
 * --profile adds OpenCV's per-layer times (Net::getPerfProfile) of one run
 * per configuration: the slowest layers and the total per layer type.
 *
 * The reference: for each model the same input tensor (written to a file)
 * also goes through ONNX Runtime, driven from node by
 * tools/ort/movenet_ort.mjs on the -std file with the same thread counts and
 * frame count, and the table gives formcheck's inference time as a ratio to
 * it, for each backend (OpenCV on the -opencv file, XNNPACK). When node or
 * onnxruntime-node is missing (bash tools/ort/install.sh) the table says so
 * and has no ratio. The time compared is the model alone
 * (fc_dnn_run) on both sides; the whole pose step adds the input conversion
 * and the head decoding.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/outfile.h"
#include "pose/blazepose.h"
#include "pose/dnn.h"
#include "pose/movenet.h"

#define DEFAULT_IMAGE "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"
#define WARMUP 5
#define MAX_LAYERS 1024
/* What runs the model: OpenCV on either ONNX file, or XNNPACK. */
enum { ENC_OPENCV, ENC_STD, ENC_XNNPACK, ENC_COUNT };
static const char *const enc_names[ENC_COUNT] = {"opencv", "std", "xnnpack"};
/* The configurations compared with ONNX Runtime (one per backend). */
static const int ratio_encs[] = {ENC_OPENCV, ENC_XNNPACK};
#ifndef FC_SOURCE_DIR
#define FC_SOURCE_DIR "."
#endif

struct result {
    const char *model; /* "lightning" */
    const char *enc;   /* "opencv", "std" (OpenCV) or "xnnpack" */
    int threads;
    int frames;
    double median_ms, p95_ms, min_ms, mean_ms;
    double decode_us; /* fc_movenet_decode alone, median */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v. */
static double percentile(const double *v, int n, double q)
{
    int i = (int)ceil(q * n) - 1;
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static void print_profile(struct fc_movenet *m)
{
    static struct fc_dnn_layer_time lt[MAX_LAYERS];
    struct fc_error err = {0};
    double total = 0;
    int n = fc_dnn_profile(fc_movenet_dnn(m), lt, MAX_LAYERS, &total, &err);
    if (n < 0) {
        fprintf(stderr, "bench_pose: %s\n", err.msg);
        return;
    }
    if (n > MAX_LAYERS)
        n = MAX_LAYERS;
    printf("    per-layer profile of one run (OpenCV getPerfProfile): %.2f ms in %d layers\n",
           total, n);
    /* by type */
    const char *types[64];
    double type_ms[64];
    int type_n[64], nt = 0;
    for (int i = 0; i < n; i++) {
        int t = 0;
        while (t < nt && strcmp(types[t], lt[i].type) != 0)
            t++;
        if (t == nt && nt < 64) {
            types[nt] = lt[i].type;
            type_ms[nt] = 0;
            type_n[nt] = 0;
            nt++;
        }
        if (t < nt) {
            type_ms[t] += lt[i].ms;
            type_n[t]++;
        }
    }
    for (int a = 0; a < nt; a++) /* selection sort, slowest first */
        for (int b = a + 1; b < nt; b++)
            if (type_ms[b] > type_ms[a]) {
                const char *ts = types[a];
                types[a] = types[b], types[b] = ts;
                double tm = type_ms[a];
                type_ms[a] = type_ms[b], type_ms[b] = tm;
                int tn = type_n[a];
                type_n[a] = type_n[b], type_n[b] = tn;
            }
    printf("      %-22s %6s %9s %6s\n", "layer type", "layers", "ms", "share");
    for (int t = 0; t < nt; t++)
        if (type_ms[t] > 0)
            printf("      %-22s %6d %9.3f %5.1f%%\n", types[t], type_n[t], type_ms[t],
                   total > 0 ? 100.0 * type_ms[t] / total : 0.0);
    /* the slowest ten layers */
    int idx[MAX_LAYERS];
    for (int i = 0; i < n; i++)
        idx[i] = i;
    for (int a = 0; a < 10 && a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (lt[idx[b]].ms > lt[idx[a]].ms) {
                int t = idx[a];
                idx[a] = idx[b], idx[b] = t;
            }
    /* by kind of convolution, from the converter's node names */
    static const char *const kinds[3][2] = {
        {"onnx_node!dwconv", "depthwise 3x3 convolutions"},
        {"onnx_node!conv", "other convolutions (1x1, stem 3x3)"},
        {"onnx_node!bilinear", "x2 upsampling (depthwise 3x3)"}};
    for (int k = 0; k < 3; k++) {
        double ms = 0;
        int cnt = 0;
        size_t len = strlen(kinds[k][0]);
        for (int i = 0; i < n; i++)
            if (!strncmp(lt[i].name, kinds[k][0], len) && lt[i].name[len] == '_' &&
                !strcmp(lt[i].type, "Convolution"))
                ms += lt[i].ms, cnt++;
        if (cnt)
            printf("      %-36s %3d %9.3f ms %5.1f%%\n", kinds[k][1], cnt, ms,
                   total > 0 ? 100 * ms / total : 0.0);
    }
    printf("      slowest layers:\n");
    for (int a = 0; a < 10 && a < n; a++)
        printf("      %8.3f ms  %-14s %s\n", lt[idx[a]].ms, lt[idx[a]].type, lt[idx[a]].name);
}

/* ONNX Runtime's figures for one model and thread count. */
struct ort_result {
    int ok;
    double median_ms, p95_ms, min_ms, max_heatmap_diff;
};

static char ort_runtime[64];
static char ort_missing[256]; /* why there is no reference, "" when there is */

static const char *ort_script(void)
{
    const char *s = getenv("FORMCHECK_ORT_SCRIPT");
    return s && *s ? s : FC_SOURCE_DIR "/tools/ort/movenet_ort.mjs";
}

/* Writes n floats to a new temporary file; its name goes to path. */
static int write_temp(char *path, size_t len, const char *tag, const float *v, size_t n)
{
    snprintf(path, len, "%s/fc_bench_pose_%s_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             tag);
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(path);
        return -1;
    }
    int ok = fwrite(v, sizeof *v, n, f) == n;
    if (fclose(f) != 0 || !ok) {
        unlink(path);
        return -1;
    }
    return 0;
}

/* ONNX Runtime's own profile of the same file on the same tensor: its time
 * per operator type, to set beside OpenCV's per-layer times. */
static void ort_profile(const char *model, const float *tensor, int n, int threads, int frames)
{
    char in_path[512], cmd[4096];
    if (ort_missing[0] ||
        write_temp(in_path, sizeof in_path, "input", tensor, (size_t)3 * n * n) < 0)
        return;
    snprintf(cmd, sizeof cmd,
             "node '%s' --model '%s' --input '%s' --size %d --runs %d --warmup %d --threads %d "
             "--profile 1 2>&1",
             ort_script(), model, in_path, n, frames, WARMUP, threads);
    FILE *pipe = popen(cmd, "r");
    static char out[1 << 16];
    size_t got = pipe ? fread(out, 1, sizeof out - 1, pipe) : 0;
    out[got] = 0;
    int status = pipe ? pclose(pipe) : -1;
    unlink(in_path);
    cJSON *j = status == 0 ? cJSON_Parse(out) : NULL;
    const cJSON *prof = j ? cJSON_GetObjectItem(j, "profile") : NULL;
    const cJSON *types = prof ? cJSON_GetObjectItem(prof, "types") : NULL;
    if (!types) {
        printf("    ONNX Runtime profile: not available\n");
        cJSON_Delete(j);
        return;
    }
    double total = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, types) total += t->valuedouble;
    printf("    ONNX Runtime's profile of the same file, %d threads (mean of %d runs): %.2f ms in "
           "operators\n",
           threads, cJSON_GetObjectItem(prof, "runs")->valueint, total);
    cJSON_ArrayForEach(t, types) if (t->valuedouble >= 0.005 * total) printf(
        "      %-22s %16.3f ms %5.1f%%\n", t->string, t->valuedouble, 100 * t->valuedouble / total);
    cJSON_Delete(j);
}

/* Runs the reference on the -std file of the model with the exact input
 * tensor formcheck fed (planar float RGB 0..255) and parses its JSON. */
static void run_ort(struct fc_movenet_params p, const float *tensor, int n, const float *heatmap,
                    size_t heatmap_count, int frames, int threads_only, struct ort_result res[3])
{
    memset(res, 0, sizeof *res * 3);
    if (ort_missing[0])
        return;
    char model[1024], in_path[512], hm_path[512], cmd[4096];
    struct fc_error err = {0};
    p.use_std_encoding = 1;
    if (fc_movenet_model_path(&p, model, sizeof model, &err) < 0 || access(model, R_OK) != 0) {
        snprintf(ort_missing, sizeof ort_missing, "%.200s: not readable", model);
        return;
    }
    if (write_temp(in_path, sizeof in_path, "input", tensor, (size_t)3 * n * n) < 0) {
        snprintf(ort_missing, sizeof ort_missing, "cannot write a temporary tensor file");
        return;
    }
    if (write_temp(hm_path, sizeof hm_path, "heatmap", heatmap, heatmap_count) < 0) {
        unlink(in_path);
        snprintf(ort_missing, sizeof ort_missing, "cannot write a temporary tensor file");
        return;
    }
    snprintf(cmd, sizeof cmd,
             "node '%s' --model '%s' --input '%s' --heads '%s' --size %d --runs %d "
             "--warmup %d --threads %s 2>&1",
             ort_script(), model, in_path, hm_path, n, frames, WARMUP,
             threads_only == 1   ? "1"
             : threads_only == 2 ? "2"
                                 : "1,2");
    FILE *pipe = popen(cmd, "r");
    char out[8192];
    size_t got = 0;
    if (pipe) {
        got = fread(out, 1, sizeof out - 1, pipe);
        out[got] = 0;
    }
    int status = pipe ? pclose(pipe) : -1;
    unlink(in_path);
    unlink(hm_path);
    cJSON *j = status == 0 ? cJSON_Parse(out) : NULL;
    if (!j) {
        /* node missing (127), onnxruntime-node missing (3) or a failure: say which */
        out[strcspn(out, "\n")] = 0;
        snprintf(ort_missing, sizeof ort_missing, "%.250s",
                 status == -1                                      ? "cannot start node"
                 : WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "node not found"
                 : got                                             ? out
                       : "the ONNX Runtime script failed");
        return;
    }
    const cJSON *rt = cJSON_GetObjectItem(j, "runtime");
    if (cJSON_IsString(rt))
        snprintf(ort_runtime, sizeof ort_runtime, "%s", rt->valuestring);
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "results"))
    {
        int t = cJSON_GetObjectItem(r, "threads") ? cJSON_GetObjectItem(r, "threads")->valueint : 0;
        if (t < 1 || t > 2)
            continue;
        res[t].ok = 1;
        res[t].median_ms = cJSON_GetNumberValue(cJSON_GetObjectItem(r, "median_ms"));
        res[t].p95_ms = cJSON_GetNumberValue(cJSON_GetObjectItem(r, "p95_ms"));
        res[t].min_ms = cJSON_GetNumberValue(cJSON_GetObjectItem(r, "min_ms"));
        const cJSON *d = cJSON_GetObjectItem(r, "max_heatmap_diff");
        res[t].max_heatmap_diff = cJSON_IsNumber(d) ? d->valuedouble : NAN;
    }
    cJSON_Delete(j);
}

/* fc_movenet_run on the same input, WARMUP runs and then frames timed ones
 * into t_ms. fc_movenet_run's return. */
static int time_runs(struct fc_movenet *m, const uint8_t *in, int n,
                     const struct fc_movenet_region *r, int iw, int ih, int frames, double *t_ms,
                     struct fc_error *err)
{
    struct fc_keypoints kp;
    int rc = 0;
    for (int i = 0; i < WARMUP + frames && rc == 0; i++) {
        double t0 = now_ms();
        rc = fc_movenet_run(m, in, 3 * n, r, iw, ih, i / 30.0, &kp, err);
        double t1 = now_ms();
        if (i >= WARMUP)
            t_ms[i - WARMUP] = t1 - t0;
    }
    return rc;
}

/* The C decoding alone, frames times on the last run's heads, into dec_us. */
static void time_decode(struct fc_movenet *m, int n, int frames, double *dec_us)
{
    struct fc_dnn_tensor h[4];
    for (int i = 0; i < 4; i++)
        fc_dnn_output(fc_movenet_dnn(m), i, &h[i]);
    int planar = h[0].shape[1] == 17;
    struct fc_movenet_heads heads = {.size = n / 4,
                                     .channels_last = !planar,
                                     .heatmap = h[0].data,
                                     .centre = h[1].data,
                                     .regression = h[2].data,
                                     .offset = h[3].data};
    float out[FC_COCO17_COUNT][3];
    for (int i = 0; i < frames; i++) {
        double t0 = now_ms();
        fc_movenet_decode(&heads, n / 8.0f, n / 8.0f, out, NULL, NULL);
        dec_us[i] = (now_ms() - t0) * 1e3;
    }
}

/* The figures of one configuration from its times (sorted here), and its
 * row of the table. */
static void summarise(struct result *res, enum fc_movenet_model model, int enc, int threads,
                      int frames, double *t_ms, double *dec_us)
{
    double sum = 0;
    for (int i = 0; i < frames; i++)
        sum += t_ms[i];
    qsort(t_ms, (size_t)frames, sizeof *t_ms, cmp_double);
    qsort(dec_us, (size_t)frames, sizeof *dec_us, cmp_double);
    res->model = model == FC_MOVENET_THUNDER ? "thunder" : "lightning";
    res->enc = enc_names[enc];
    res->threads = threads;
    res->frames = frames;
    res->median_ms = percentile(t_ms, frames, 0.5);
    res->p95_ms = percentile(t_ms, frames, 0.95);
    res->min_ms = t_ms[0];
    res->mean_ms = sum / frames;
    res->decode_us = percentile(dec_us, frames, 0.5);
    printf("%-10s %-8s %7d %10.2f %8.2f %8.2f %8.1f %10.1f\n", res->model, res->enc, threads,
           res->median_ms, res->p95_ms, res->min_ms, 1e3 / res->median_ms, res->decode_us);
    fflush(stdout);
}

/* The tensor fc_movenet_run feeds (planar float RGB 0..255) from the n x n
 * RGB input; NULL when out of memory. */
static float *planar_tensor(const uint8_t *in, int n)
{
    float *tensor = malloc(sizeof *tensor * 3 * (size_t)n * (size_t)n);
    if (!tensor)
        return NULL;
    size_t plane = (size_t)n * (size_t)n;
    for (size_t i = 0; i < plane; i++)
        for (int c = 0; c < 3; c++)
            tensor[c * plane + i] = (float)in[3 * i + (size_t)c];
    return tensor;
}

/* ONNX Runtime on the same input: its per-layer profile (with --profile)
 * and, when ort is given, the reference figures. */
static void run_references(struct fc_movenet *m, const struct fc_movenet_params *p,
                           const uint8_t *in, int n, int threads, int frames, int profile,
                           int ort_threads, struct ort_result *ort)
{
    if (profile && !ort_missing[0]) {
        struct fc_error err = {0};
        float *tensor = planar_tensor(in, n);
        char model_file[1024];
        if (tensor && fc_movenet_model_path(p, model_file, sizeof model_file, &err) == 0)
            ort_profile(model_file, tensor, n, threads, frames);
        free(tensor);
    }
    if (ort) {
        float *tensor = planar_tensor(in, n);
        struct fc_dnn_tensor hm;
        fc_dnn_output(fc_movenet_dnn(m), 0, &hm);
        float *planar = malloc(sizeof *planar * hm.count);
        if (tensor && planar) {
            /* the reference compares NCHW heatmaps */
            size_t cells = (size_t)(n / 4) * (size_t)(n / 4), c = hm.count / cells;
            for (size_t k = 0; k < hm.count; k++)
                planar[k] = fc_dnn_channels_last(fc_movenet_dnn(m))
                                ? hm.data[(k % cells) * c + k / cells]
                                : hm.data[k];
            run_ort(*p, tensor, n, planar, hm.count, frames, ort_threads, ort);
        }
        free(tensor);
        free(planar);
    }
}

static int bench_one(enum fc_movenet_model model, int enc, int threads, int frames,
                     const uint8_t *img, int iw, int ih, int profile, struct result *res,
                     char *runtime, size_t runtime_len, int ort_threads, struct ort_result *ort)
{
    struct fc_error err = {0};
    struct fc_movenet_params p = fc_movenet_default_params();
    p.model = model;
    p.use_std_encoding = enc == ENC_STD;
    p.backend = enc == ENC_XNNPACK ? FC_DNN_BACKEND_XNNPACK : FC_DNN_BACKEND_OPENCV;
    p.fallback = 0; /* a figure for XNNPACK is XNNPACK's or none */
    p.threads = threads;
    p.tracking = 0; /* the same input every frame */
    struct fc_movenet *m;
    if (fc_movenet_open(&m, &p, &err) < 0) {
        fprintf(stderr, "bench_pose: %s\n", err.msg);
        return -1;
    }
    snprintf(runtime, runtime_len, "%s", fc_dnn_runtime_name(fc_movenet_dnn(m)));
    int n = fc_movenet_input_size(m);
    uint8_t *in = malloc((size_t)n * n * 3);
    double *t = malloc(sizeof *t * (size_t)frames);
    double *dec = malloc(sizeof *dec * (size_t)frames);
    if (!in || !t || !dec) {
        fprintf(stderr, "bench_pose: out of memory\n");
        free(in), free(t), free(dec);
        fc_movenet_close(m);
        return -1;
    }
    struct fc_movenet_region r;
    fc_movenet_full_region(iw, ih, &r);
    fc_movenet_crop_rgb(img, iw, ih, 3 * iw, &r, in, n);
    int rc = time_runs(m, in, n, &r, iw, ih, frames, t, &err);
    if (rc < 0) {
        fprintf(stderr, "bench_pose: %s\n", err.msg);
    } else {
        time_decode(m, n, frames, dec);
        if (profile) {
            struct fc_keypoints kp;
            fc_movenet_run(m, in, 3 * n, &r, iw, ih, 0.0, &kp, &err); /* the profiled run */
        }
        summarise(res, model, enc, threads, frames, t, dec);
        if (profile && enc != ENC_XNNPACK)
            print_profile(m);
        if (profile || ort) {
            struct fc_movenet_params ref = p; /* ONNX Runtime reads the ONNX files */
            ref.backend = FC_DNN_BACKEND_OPENCV;
            run_references(m, &ref, in, n, threads, frames, profile && enc != ENC_XNNPACK,
                           ort_threads, ort);
        }
    }
    free(in), free(t), free(dec);
    fc_movenet_close(m);
    return rc;
}

/* formcheck (the -opencv file, whole pose step) against ONNX Runtime (the
 * -std file, inference alone) on the same tensor. */
static void print_ratios(const struct result *res, int n, struct ort_result ort[2][3])
{
    if (ort_missing[0] || !ort_runtime[0]) {
        printf("reference ONNX Runtime: not available (%s); no ratios\n",
               ort_missing[0] ? ort_missing : "no result");
        return;
    }
    printf("reference: %s, -std file, same input tensor, same frame count\n", ort_runtime);
    printf("%-10s %-8s %7s %12s %12s %8s %12s %12s %8s %10s\n", "model", "backend", "threads",
           "formcheck ms", "ORT ms", "ratio", "formcheck min", "ORT min", "ratio", "heatmap d");
    for (int m = 0; m < 2; m++)
        for (size_t e = 0; e < sizeof ratio_encs / sizeof ratio_encs[0]; e++)
            for (int t = 1; t <= 2; t++) {
                if (!ort[m][t].ok)
                    continue;
                for (int i = 0; i < n; i++)
                    if (!strcmp(res[i].enc, enc_names[ratio_encs[e]]) && res[i].threads == t &&
                        !strcmp(res[i].model, m ? "thunder" : "lightning"))
                        printf("%-10s %-8s %7d %12.2f %12.2f %7.2fx %12.2f %12.2f %7.2fx %10.1e\n",
                               res[i].model, res[i].enc, t, res[i].median_ms, ort[m][t].median_ms,
                               res[i].median_ms / ort[m][t].median_ms, res[i].min_ms,
                               ort[m][t].min_ms, res[i].min_ms / ort[m][t].min_ms,
                               ort[m][t].max_heatmap_diff);
            }
}

static int write_json(const char *path, const struct result *res, int n, const char *image,
                      const char *runtime, struct ort_result ort[2][3])
{
    struct fc_error err = {0};
    struct fc_outfile out;
    if (fc_outfile_open(&out, path, &err) < 0) {
        fprintf(stderr, "bench_pose: %s\n", err.msg);
        return -1;
    }
    FILE *f = out.fp;
    fprintf(f, "{\n  \"benchmark\": \"pose\",\n  \"version\": \"%s\",\n", FC_VERSION);
    fprintf(f, "  \"runtime\": \"%s\",\n  \"cpus_online\": %ld,\n", runtime,
            sysconf(_SC_NPROCESSORS_ONLN));
    fprintf(f,
            "  \"image\": \"%s\",\n  \"timed\": \"fc_movenet_run per frame (input "
            "conversion, inference, decoding); warm-up runs excluded\",\n",
            image);
    fprintf(f, "  \"reference\": ");
    if (ort_missing[0] || !ort_runtime[0]) {
        fprintf(f, "null,\n  \"reference_missing\": \"");
        for (const char *c = ort_missing; *c; c++)
            fprintf(f, *c == '"' || *c == '\\' ? "\\%c" : (unsigned char)*c < 32 ? " " : "%c", *c);
        fprintf(f, "\",\n");
    } else {
        fprintf(f, "{\"runtime\": \"%s\", \"model_encoding\": \"std\", \"results\": [",
                ort_runtime);
        int first = 1;
        for (int m = 0; m < 2; m++)
            for (int t = 1; t <= 2; t++)
                if (ort[m][t].ok) {
                    /* formcheck's median over ORT's, per backend (null: not run) */
                    double mine[ENC_COUNT] = {NAN, NAN, NAN};
                    for (int i = 0; i < n; i++)
                        for (int e = 0; e < ENC_COUNT; e++)
                            if (!strcmp(res[i].enc, enc_names[e]) && res[i].threads == t &&
                                !strcmp(res[i].model, m ? "thunder" : "lightning"))
                                mine[e] = res[i].median_ms;
                    fprintf(f,
                            "%s\n    {\"model\": \"%s\", \"threads\": %d, \"median_ms\": %.3f, "
                            "\"p95_ms\": %.3f, \"min_ms\": %.3f, \"max_heatmap_diff\": %.2g, ",
                            first ? "" : ",", m ? "thunder" : "lightning", t, ort[m][t].median_ms,
                            ort[m][t].p95_ms, ort[m][t].min_ms, ort[m][t].max_heatmap_diff);
                    for (int e = 0; e < ENC_COUNT; e++) {
                        /* "formcheck_ratio" is the OpenCV -opencv file's, as before */
                        const char *key = e == ENC_OPENCV ? "formcheck_ratio"
                                          : e == ENC_STD  ? "std_ratio"
                                                          : "xnnpack_ratio";
                        if (isfinite(mine[e]))
                            fprintf(f, "\"%s\": %.3f%s", key, mine[e] / ort[m][t].median_ms,
                                    e + 1 < ENC_COUNT ? ", " : "");
                        else
                            fprintf(f, "\"%s\": null%s", key, e + 1 < ENC_COUNT ? ", " : "");
                    }
                    fprintf(f, "}");
                    first = 0;
                }
        fprintf(f, "\n  ]},\n");
    }
    fprintf(f, "  \"results\": [\n");
    for (int i = 0; i < n; i++)
        fprintf(f,
                "    {\"model\": \"%s\", \"encoding\": \"%s\", \"threads\": %d, \"frames\": %d, "
                "\"median_ms\": %.3f, \"p95_ms\": %.3f, \"min_ms\": %.3f, \"mean_ms\": %.3f, "
                "\"fps_median\": %.1f, \"decode_median_us\": %.1f}%s\n",
                res[i].model, res[i].enc, res[i].threads, res[i].frames, res[i].median_ms,
                res[i].p95_ms, res[i].min_ms, res[i].mean_ms, 1e3 / res[i].median_ms,
                res[i].decode_us, i + 1 < n ? "," : "");
    fprintf(f, "  ]\n}\n");
    if (fc_outfile_commit(&out, &err) < 0) {
        fprintf(stderr, "bench_pose: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_pose [--frames N] [--image FILE] [--json FILE] [--profile]\n"
               "                  [--only lightning|thunder] [--encoding opencv|std|xnnpack]\n"
               "                  [--backend opencv|xnnpack] [--threads N]\n"
               "                  [--no-ort] [--blazepose]\n");
}

/* --blazepose: BlazePose's per-frame step instead of MoveNet's, for each
 * variant and backend at `threads` threads (1 when 0): the ROI sampled from
 * the frame (rotated: the sampling is what a video frame costs), the model,
 * the points mapped back. Prints the same columns as MoveNet's table. */
static int bench_blazepose(const uint8_t *img, int iw, int ih, int frames, int threads)
{
    int failed = 0;
    struct fc_blazepose_roi roi;
    /* the letterboxed frame, turned 10 deg as a tracked ROI usually is */
    fc_blazepose_roi_from_points(iw / 2.0, ih / 2.0, iw / 2.0 + 0.2 * iw, ih / 2.0 - 0.4 * iw,
                                 &roi);
    double *t = malloc(sizeof *t * (size_t)frames);
    uint8_t *in = malloc(256 * 256 * 3);
    for (int model = FC_BLAZEPOSE_LITE; model <= FC_BLAZEPOSE_HEAVY && t && in; model++)
        for (int be = 0; be < FC_DNN_BACKEND_COUNT; be++) {
            struct fc_blazepose_params p = fc_blazepose_default_params();
            p.model = (enum fc_blazepose_model)model;
            p.backend = (enum fc_dnn_backend)be;
            p.fallback = 0;
            p.threads = threads ? threads : 1;
            struct fc_blazepose *b;
            struct fc_error err = {0};
            if (!fc_dnn_backend_available(p.backend) || fc_blazepose_open(&b, &p, &err) < 0) {
                printf("%-16s %-8s %s\n", fc_blazepose_model_label(p.model),
                       fc_dnn_backend_name(p.backend), err.msg[0] ? err.msg : "not built in");
                failed += err.msg[0] != 0;
                continue;
            }
            int n = fc_blazepose_input_size(b), rc = 0;
            struct fc_blazepose_result res;
            for (int i = 0; i < WARMUP + frames && rc == 0; i++) {
                double t0 = now_ms();
                fc_blazepose_crop_rgb(img, iw, ih, 3 * iw, &roi, in, n);
                rc = fc_blazepose_run(b, in, 3 * n, &roi, &res, &err);
                if (i >= WARMUP)
                    t[i - WARMUP] = now_ms() - t0;
            }
            if (rc == 0) {
                qsort(t, (size_t)frames, sizeof *t, cmp_double);
                printf("%-16s %-8s %7d %10.2f %8.2f %8.2f %8.1f\n",
                       fc_blazepose_model_label(p.model), fc_dnn_backend_name(p.backend), p.threads,
                       t[frames / 2], t[(int)(0.95 * (frames - 1))], t[0], 1e3 / t[frames / 2]);
            } else {
                printf("%-16s %-8s %s\n", fc_blazepose_model_label(p.model),
                       fc_dnn_backend_name(p.backend), err.msg);
                failed++;
            }
            fc_blazepose_close(b);
        }
    free(t);
    free(in);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    int frames = 100, profile = 0, only = -1, only_threads = 0, use_ort = 1, blazepose = 0;
    int encs = (1 << ENC_COUNT) - 1; /* bit e: run encoding e */
    const char *image = DEFAULT_IMAGE, *json = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--frames") && v) {
            frames = atoi(v), i++;
        } else if (!strcmp(a, "--image") && v) {
            image = v, i++;
        } else if (!strcmp(a, "--json") && v) {
            json = v, i++;
        } else if ((!strcmp(a, "--encoding") || !strcmp(a, "--backend")) && v) {
            /* a comma-separated list; --backend opencv is the -opencv file, as in formcheck */
            encs = 0;
            char list[64];
            snprintf(list, sizeof list, "%s", v);
            for (char *save, *tok = strtok_r(list, ",", &save); tok;
                 tok = strtok_r(NULL, ",", &save)) {
                int found = 0;
                for (int e = 0; e < ENC_COUNT; e++)
                    if (!strcmp(tok, enc_names[e]))
                        encs |= 1 << e, found = 1;
                if (!found)
                    encs = -1;
            }
            i++;
        } else if (!strcmp(a, "--blazepose")) {
            blazepose = 1;
        } else if (!strcmp(a, "--no-ort")) {
            use_ort = 0;
        } else if (!strcmp(a, "--profile")) {
            profile = 1;
        } else if (!strcmp(a, "--only") && v) {
            only = !strcmp(v, "thunder")     ? FC_MOVENET_THUNDER
                   : !strcmp(v, "lightning") ? FC_MOVENET_LIGHTNING
                                             : -2;
            i++;
        } else if (!strcmp(a, "--threads") && v) {
            only_threads = atoi(v), i++;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (frames < 1 || only == -2 || encs <= 0 || only_threads < 0) {
        usage(stderr);
        return 2;
    }

    struct fc_error err = {0};
    uint8_t *img;
    int iw, ih;
    if (fc_dnn_load_image_rgb(image, &img, &iw, &ih, &err) < 0) {
        fprintf(stderr, "bench_pose: %s\n", err.msg);
        return 1;
    }
    printf("pose stage: %s (%dx%d), %d timed frames after %d warm-up, %ld CPUs online\n", image, iw,
           ih, frames, WARMUP, sysconf(_SC_NPROCESSORS_ONLN));
    if (blazepose) {
        printf("%-16s %-8s %7s %10s %8s %8s %8s\n", "model", "backend", "threads", "median ms",
               "p95 ms", "min ms", "fps");
        int rc = bench_blazepose(img, iw, ih, frames, only_threads);
        free(img);
        return rc;
    }
    printf("%-10s %-8s %7s %10s %8s %8s %8s %10s\n", "model", "file", "threads", "median ms",
           "p95 ms", "min ms", "fps", "decode us");

    struct result res[2 * ENC_COUNT * 2];
    struct ort_result ort[2][3];
    memset(ort, 0, sizeof ort);
    if (!use_ort)
        snprintf(ort_missing, sizeof ort_missing, "not run (--no-ort)");
    char runtime[128] = "unknown", runtimes[2][128] = {"", ""};
    int n = 0, failed = 0;
    for (int model = FC_MOVENET_LIGHTNING; model <= FC_MOVENET_THUNDER; model++) {
        if (only >= 0 && model != only)
            continue;
        for (int enc = 0; enc < ENC_COUNT; enc++)
            for (int threads = 1; threads <= 2; threads++) {
                if ((only_threads && threads != only_threads) || !(encs & 1 << enc))
                    continue;
                if (enc == ENC_XNNPACK && !fc_dnn_backend_available(FC_DNN_BACKEND_XNNPACK)) {
                    if (threads == 1 || only_threads)
                        printf("%-10s %-8s not built in (install libxnnpack-dev, rebuild)\n",
                               model ? "thunder" : "lightning", "xnnpack");
                    continue;
                }
                /* the reference runs once per model, after its first configuration */
                int first_enc = 0;
                while (!(encs & 1 << first_enc))
                    first_enc++;
                int first = enc == first_enc && (threads == 1 || only_threads == threads);
                if (bench_one((enum fc_movenet_model)model, enc, threads, frames, img, iw, ih,
                              profile, &res[n], runtime, sizeof runtime, only_threads,
                              first ? ort[model] : NULL) == 0) {
                    snprintf(runtimes[enc == ENC_XNNPACK], sizeof runtimes[0], "%s", runtime);
                    n++;
                } else {
                    failed++;
                }
            }
    }
    free(img);
    for (int b = 0; b < 2; b++)
        if (runtimes[b][0])
            printf("runtime: %s\n", runtimes[b]);
    if (n > 0)
        print_ratios(res, n, ort);
    if (json && n > 0 && write_json(json, res, n, image, runtime, ort) < 0)
        return 1;
    return n == 0 || failed ? 1 : 0;
}
