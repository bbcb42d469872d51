/* bench_pipeline: formcheck end to end on one clip, the way `formcheck
 * analyze` runs it: decoding (in its own thread), MoveNet with its crop
 * tracking, the analyzer, grading and the reports.
 *
 *     bench_pipeline [--model lightning|thunder|both|blazepose-full|blazepose-lite|blazepose-heavy]
 *                    [--backend xnnpack|opencv|both]
 *                    [--threads N] [--frames N] [--generated] [--json FILE] [CLIP]
 *
 * CLIP defaults to the real phone clip the build names (FC_BENCH_DEFAULT_CLIP,
 * ../shared/data/videos; the generated clip when that is absent); --generated uses the 1920x1080 30
 * fps H.264 clip bench_decode makes (testsrc2: no person in it, so the model always sees the whole
 * frame). --frames stops after N frames (a short run).
 *
 * Reported per model and pose backend (XNNPACK, OpenCV; both by default): frames/s end to end (open
 * to reports written), the latency of each frame from asking the decoder for it to its keypoints
 * (p50/p95/p99: waiting for the picture, conversion, model, head decoding),
 * frames/s of that frame loop alone, ms per frame of each stage, the
 * pipeline overhead (loop time per frame beyond the pose step, as a share of
 * the pose step; and the same over the whole run) and the process's
 * peak resident memory so far (getrusage: it only grows, so a later model
 * reports the peak of both). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "analysis/analyzer.h"
#include "benchmarks/bench_common.h"
#include "pipeline/video.h"
#include "pose/dnn.h"
#include "report/grade.h"
#include "report/report.h"

#define MAX_FRAMES 200000

/* --model blazepose-*: BlazePose's landmarks, MoveNet Lightning finding the
 * person (pipeline/video.h); -1 for MoveNet alone. */
static int blazepose_variant = -1;

/* The clip when none is given; compared by address to tell it from a given one. */
static const char *const default_clip = FC_BENCH_DEFAULT_CLIP;

struct result {
    const char *model;
    const char *backend; /* "xnnpack", "opencv" */
    int threads;
    long frames;
    int width, height;
    char codec[32];
    double fps, wall_ms;
    double loop_fps;      /* the per-frame loop alone */
    double cpu_per_wall;  /* process CPU time / wall time: 2 = both cores busy throughout */
    double p50, p95, p99; /* latency, ms */
    double decode_ms, convert_ms, pose_ms, analysis_ms, report_ms; /* per frame */
    double overhead;     /* per frame in the loop, beyond the pose step, as a share of it */
    double overhead_all; /* the same over the whole run (opening, analysis, reports too) */
    long peak_rss_kib;
};

static int write_reports(const char *clip, struct fc_analysis *a, struct fc_grade *g,
                         struct fc_thresholds *th, struct fc_frame_metrics *frames, long n,
                         struct fc_error *err)
{
    struct fc_report r = {.input_path = clip,
                          .input_kind = "video",
                          .skeleton = "coco17",
                          .analysis = a,
                          .grade = g,
                          .thresholds = th,
                          .frames = frames,
                          .n_frames = (size_t)n};
    char tmp[] = "/tmp/fcbenchXXXXXX";
    if (!mkdtemp(tmp))
        return fc_error_set(err, FC_ERR_IO, "cannot make a temporary folder");
    char pj[64], pc[64], ph[64];
    snprintf(pj, sizeof pj, "%s/r.json", tmp);
    snprintf(pc, sizeof pc, "%s/r.csv", tmp);
    snprintf(ph, sizeof ph, "%s/r.html", tmp);
    int rc = 0;
    FILE *devnull = fopen("/dev/null", "w");
    if (fc_report_json(pj, &r, err) < 0 || fc_report_csv(pc, &r, err) < 0 ||
        fc_report_html(ph, &r, err) < 0)
        rc = -1;
    if (devnull) {
        fc_report_text(devnull, &r);
        fclose(devnull);
    }
    unlink(pj);
    unlink(pc);
    unlink(ph);
    rmdir(tmp);
    return rc;
}

static int run_one(const char *clip, enum fc_movenet_model model, enum fc_dnn_backend backend,
                   int threads, long max_frames, double *lat, struct result *res)
{
    struct fc_error err = {0};
    struct fc_video_pose_params vp = fc_video_pose_default_params();
    vp.movenet.model = model;
    vp.movenet.backend = backend;
    vp.movenet.fallback = 0; /* a figure for a backend is that backend's or none */
    vp.movenet.threads = threads;
    vp.max_frames = max_frames;
    vp.frame_ms = lat;
    vp.frame_ms_cap = MAX_FRAMES;
    if (blazepose_variant >= 0) {
        vp.use_blazepose = 1;
        vp.blazepose.model = (enum fc_blazepose_model)blazepose_variant;
        vp.blazepose.backend = backend;
        vp.blazepose.fallback = 0;
        vp.blazepose.threads = threads;
    }
    struct fc_pose_track track;
    struct fc_video_pose_stats st;
    double t0 = fc_bench_now_ms(), c0 = fc_bench_cpu_s();
    if (fc_video_pose_track(clip, &vp, &track, &st, &err) < 0) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
        return -1;
    }
    double t1 = fc_bench_now_ms();
    struct fc_analyzer_params ap = fc_analyzer_default_params();
    ap.exercise = FC_EXERCISE_SQUAT;
    struct fc_frame_metrics *frames = NULL;
    struct fc_analysis a;
    struct fc_analyzer *an = NULL;
    if (fc_analyze_track(&track, &ap, 1, 6.0, &frames, &a, &an, &err) < 0) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
        fc_pose_track_free(&track);
        return -1;
    }
    double t2 = fc_bench_now_ms();
    struct fc_thresholds th;
    struct fc_grade g;
    int rc = 0;
    if (fc_thresholds_load(NULL, &th, &err) < 0) {
        rc = -1;
    } else {
        if (fc_grade_session(&a, &th, &g, &err) < 0 ||
            write_reports(clip, &a, &g, &th, frames, (long)track.n_frames, &err) < 0)
            rc = -1;
        else
            fc_grade_free(&g);
        fc_thresholds_free(&th);
    }
    double t3 = fc_bench_now_ms();
    if (rc < 0)
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);

    double n = (double)st.frames;
    memset(res, 0, sizeof *res);
    res->model = blazepose_variant >= 0
                     ? fc_blazepose_model_label((enum fc_blazepose_model)blazepose_variant)
                 : model == FC_MOVENET_THUNDER ? "thunder"
                                               : "lightning";
    res->backend = fc_dnn_backend_name(backend);
    res->threads = threads;
    res->frames = st.frames;
    res->width = st.width;
    res->height = st.height;
    snprintf(res->codec, sizeof res->codec, "%s", st.codec);
    res->wall_ms = t3 - t0;
    res->cpu_per_wall = (fc_bench_cpu_s() - c0) * 1e3 / res->wall_ms;
    res->fps = n * 1e3 / res->wall_ms;
    size_t nl = st.frames < MAX_FRAMES ? (size_t)st.frames : MAX_FRAMES;
    double loop_ms = 0;
    for (size_t i = 0; i < nl; i++)
        loop_ms += lat[i];
    res->loop_fps = (double)nl * 1e3 / loop_ms;
    res->p50 = fc_bench_percentile(lat, nl, 0.50);
    res->p95 = fc_bench_percentile(lat, nl, 0.95);
    res->p99 = fc_bench_percentile(lat, nl, 0.99);
    res->decode_ms = st.decode_ms / n;
    res->convert_ms = st.convert_ms / n;
    res->pose_ms = st.pose_ms / n;
    res->analysis_ms = (t2 - t1) / n;
    res->report_ms = (t3 - t2) / n;
    res->overhead = (loop_ms / (double)nl - res->pose_ms) / res->pose_ms;
    res->overhead_all = (res->wall_ms / n - res->pose_ms) / res->pose_ms;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    res->peak_rss_kib = ru.ru_maxrss;
    fc_analyzer_free(an);
    free(frames);
    fc_pose_track_free(&track);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_pipeline [--model lightning|thunder|both|blazepose-full|-lite|-heavy] "
               "[--backend xnnpack|opencv|both]\n                      [--threads N] "
               "[--frames N] [--generated] [--json FILE] [CLIP]\n");
}

struct options {
    const char *clip, *json;
    int first, last;                 /* the models to run, from first to last */
    int first_backend, last_backend; /* likewise the backends (enum fc_dnn_backend) */
    int threads, generated;
    long max_frames; /* 0: the whole clip */
};

/* -1 to go on, else the exit status (0 after --help, 2 a bad command line). */
static int parse_args(int argc, char **argv, struct options *o)
{
    o->clip = default_clip;
    o->json = NULL;
    o->first = FC_MOVENET_LIGHTNING;
    o->last = FC_MOVENET_THUNDER;
    o->first_backend = FC_DNN_BACKEND_OPENCV;
    o->last_backend = FC_DNN_BACKEND_XNNPACK;
    o->threads = o->generated = 0;
    o->max_frames = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--model") && v) {
            enum fc_blazepose_model bm;
            if (!strcmp(v, "lightning"))
                o->first = o->last = FC_MOVENET_LIGHTNING;
            else if (!strcmp(v, "thunder"))
                o->first = o->last = FC_MOVENET_THUNDER;
            else if (!strncmp(v, "blazepose-", 10) && fc_blazepose_model_parse(v, &bm) == 0) {
                blazepose_variant = (int)bm;
                o->first = o->last = FC_MOVENET_LIGHTNING; /* the person finder */
            } else if (strcmp(v, "both") != 0) {
                usage(stderr);
                return 2;
            }
            i++;
        } else if (!strcmp(argv[i], "--backend") && v) {
            enum fc_dnn_backend b;
            if (fc_dnn_backend_parse(v, &b) == 0) {
                o->first_backend = o->last_backend = (int)b;
            } else if (strcmp(v, "both") != 0) {
                usage(stderr);
                return 2;
            }
            i++;
        } else if (!strcmp(argv[i], "--threads") && v) {
            o->threads = atoi(v), i++;
        } else if (!strcmp(argv[i], "--frames") && v) {
            o->max_frames = atol(v), i++;
        } else if (!strcmp(argv[i], "--json") && v) {
            o->json = v, i++;
        } else if (!strcmp(argv[i], "--generated")) {
            o->generated = 1;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-') {
            usage(stderr);
            return 2;
        } else {
            o->clip = argv[i];
        }
    }
    return -1;
}

/* The clip to run: the one given, else the default one, else the generated
 * one (made when missing). 0, or -1 after saying why there is none. */
static int choose_clip(struct options *o)
{
    if (!o->generated && o->clip == default_clip && access(o->clip, R_OK) != 0) {
        printf("bench_pipeline: %s not readable; using the generated 1080p clip\n", o->clip);
        o->generated = 1;
    }
    if (o->generated) {
        if (fc_bench_make_1080p_clip("bench_pipeline") < 0)
            return -1;
        o->clip = FC_BENCH_1080P_CLIP;
    }
    if (access(o->clip, R_OK) != 0) {
        fprintf(stderr, "bench_pipeline: %s: not readable; give a clip (or --generated)\n",
                o->clip);
        return -1;
    }
    return 0;
}

/* Runs each model asked for into res; *n of them succeeded. 1 when one
 * failed. */
static int run_models(const struct options *o, struct result res[4], int *n)
{
    *n = 0;
    double *lat = malloc(sizeof *lat * MAX_FRAMES);
    if (!lat) {
        fprintf(stderr, "bench_pipeline: out of memory\n");
        return 1;
    }
    int failed = 0;
    for (int m = o->first; m <= o->last; m++)
        for (int b = o->first_backend; b <= o->last_backend; b++) {
            struct result *r = &res[*n];
            if (!fc_dnn_backend_available((enum fc_dnn_backend)b)) {
                printf("bench_pipeline: %s is not built in\n",
                       fc_dnn_backend_name((enum fc_dnn_backend)b));
                continue;
            }
            if (run_one(o->clip, (enum fc_movenet_model)m, (enum fc_dnn_backend)b, o->threads,
                        o->max_frames, lat, r) < 0) {
                failed = 1;
                continue;
            }
            if (*n == 0)
                printf("end to end: %s\n  %dx%d %s, %ld frames%s, %ld CPUs, inference threads %s\n",
                       o->clip, r->width, r->height, r->codec, r->frames,
                       o->max_frames ? " (--frames)" : "", sysconf(_SC_NPROCESSORS_ONLN),
                       o->threads ? "set" : "default");
            (*n)++;
        }
    free(lat);
    return failed;
}

static void print_table(const struct result *res, int n)
{
    printf("  %-15s %-8s %8s %8s %7s %7s %7s | %7s %7s %7s %8s %7s | %8s %8s %8s %8s\n", "model",
           "backend", "e2e f/s", "loop f/s", "p50 ms", "p95 ms", "p99 ms", "wait", "convert",
           "pose", "analysis", "report", "overhead", "e2e ovh", "peak RSS", "cpu/wall");
    for (int i = 0; i < n; i++)
        printf("  %-15s %-8s %8.2f %8.2f %7.2f %7.2f %7.2f | %7.3f %7.3f %7.3f %8.4f %7.4f | "
               "%7.1f%% %7.1f%% %4ld MiB %8.2f\n",
               res[i].model, res[i].backend, res[i].fps, res[i].loop_fps, res[i].p50, res[i].p95,
               res[i].p99, res[i].decode_ms, res[i].convert_ms, res[i].pose_ms, res[i].analysis_ms,
               res[i].report_ms, 100 * res[i].overhead, 100 * res[i].overhead_all,
               res[i].peak_rss_kib / 1024, res[i].cpu_per_wall);
    printf("  e2e f/s: frames / whole run (opening the clip and the model, the person search,\n"
           "  the frame loop, analysis, grading, reports); loop f/s: the frame loop alone.\n"
           "  Stages in ms per frame; wait = waiting for a decoded frame; overhead = loop time\n"
           "  per frame beyond the pose step (model + head decoding) as a share of it; e2e ovh\n"
           "  the same for the whole run; cpu/wall: CPU time of all threads over wall time.\n");
}

/* 0, or -1 after saying why the file could not be written. */
static int write_json(const struct options *o, const struct result *res, int n)
{
    FILE *f = fopen(o->json, "w");
    if (!f) {
        perror(o->json);
        return -1;
    }
    fprintf(f, "{\n  \"benchmark\": \"pipeline\",\n  \"clip\": \"");
    fc_bench_json_str(f, o->clip);
    fprintf(f, "\",\n  \"generated\": %s,\n  \"cpus\": %ld,\n  \"results\": [\n",
            o->generated ? "true" : "false", sysconf(_SC_NPROCESSORS_ONLN));
    for (int i = 0; i < n; i++)
        fprintf(f,
                "    {\"model\": \"%s\", \"backend\": \"%s\", \"threads\": %d, \"frames\": %ld, "
                "\"width\": %d, "
                "\"height\": %d, \"codec\": \"%s\", \"end_to_end_fps\": %.3f, "
                "\"latency_ms\": {\"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f}, "
                "\"ms_per_frame\": {\"decode_wait\": %.4f, \"convert\": %.4f, \"pose\": %.4f, "
                "\"analysis\": %.5f, \"report\": %.5f}, \"loop_fps\": %.3f, "
                "\"overhead_share\": %.4f, \"overhead_share_end_to_end\": %.4f, "
                "\"cpu_per_wall\": %.3f, \"peak_rss_kib\": %ld}%s\n",
                res[i].model, res[i].backend, res[i].threads, res[i].frames, res[i].width,
                res[i].height, res[i].codec, res[i].fps, res[i].p50, res[i].p95, res[i].p99,
                res[i].decode_ms, res[i].convert_ms, res[i].pose_ms, res[i].analysis_ms,
                res[i].report_ms, res[i].loop_fps, res[i].overhead, res[i].overhead_all,
                res[i].cpu_per_wall, res[i].peak_rss_kib, i + 1 < n ? "," : "");
    fprintf(f, "  ]\n}\n");
    if (fclose(f) != 0) {
        perror(o->json);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (choose_clip(&o) < 0)
        return 1;
    struct result res[4];
    int n;
    int failed = run_models(&o, res, &n);
    if (n == 0)
        return 1;
    print_table(res, n);
    if (o.json && write_json(&o, res, n) < 0)
        return 1;
    return failed;
}
