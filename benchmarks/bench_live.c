/* bench_live: latency and dropped frames of `formcheck live`.
 *
 *     bench_live [--model lightning|thunder] [--backend xnnpack|opencv] [--threads N] [--generated]
 *                [--json FILE] [CLIP]
 *
 * The clip plays at its real pace (as `formcheck live --input CLIP
 * --realtime` plays it: the stand-in camera) through the live session of
 * pipeline/live.h, the same code path as the program: capture in its own
 * thread keeping only the newest frame, MoveNet with crop tracking, One Euro
 * smoothing, the streaming analyzer, cues and per-rep grading. Each frame's
 * feedback is formatted as the --jsonl frame event (written to /dev/null)
 * before its latency is taken, so the figure is capture -> feedback out.
 *
 * CLIP defaults to the real phone clip the build names (FC_BENCH_DEFAULT_CLIP:
 * 1080x2048, 30 fps, a person squatting); --generated uses the 1920x1080
 * 30 fps H.264 testsrc2 clip of bench_common.h (no person: the model sees
 * the whole frame every time).
 *
 * Reported: frames captured, analysed and dropped (a drop is a frame that
 * a newer one replaced before the analysis got to it), latency p50/p95/max
 * and mean, pose ms per frame (wall clock) and the reading thread's CPU time
 * per frame (with --threads 1 the model runs on that thread, so it is the
 * work per frame even on a busy machine), the rate kept, reps counted. The target is
 * p95 under 50 ms and no drops at 30 frames/s with Lightning on 2 cores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmarks/bench_common.h"
#include "pipeline/live.h"
#include "report/grade.h"

/* CPU time of the calling thread: with --threads 1 the model runs on it, so
 * this is the work per frame whatever else the machine is doing. */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void feedback(FILE *o, const struct fc_live_frame *f)
{
    /* What --jsonl writes for a frame, minus the keypoints' formatting
     * details: enough work to stand for emitting the feedback. */
    fprintf(o, "{\"event\":\"frame\",\"index\":%ld,\"t_s\":%.3f,\"reps\":%zu,\"metrics\":{",
            f->index, f->t_s, f->so_far->n_reps);
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        if (!isnan(f->metrics->value[m]))
            fprintf(o, "\"%s\":%.2f,", fc_metric_info((enum fc_metric)m)->name,
                    f->metrics->value[m]);
    fputs("},\"keypoints\":[", o);
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        fprintf(o, "[%.1f,%.1f,%.3f],", f->keypoints->x[j], f->keypoints->y[j],
                f->keypoints->score[j]);
    fputs("]}\n", o);
    fflush(o);
}

struct options {
    const char *clip, *json;
    enum fc_movenet_model model;
    enum fc_dnn_backend backend; /* the pose runtime (XNNPACK, no fallback) */
    int threads, generated;
};

/* -1 to go on, else the exit status (2: a bad command line, said why). */
static int parse_args(int argc, char **argv, struct options *o)
{
    o->clip = FC_BENCH_DEFAULT_CLIP;
    o->json = NULL;
    o->model = FC_MOVENET_LIGHTNING;
    o->backend = FC_DNN_BACKEND_XNNPACK;
    o->threads = o->generated = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            o->json = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            o->threads = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
            const char *m = argv[++i];
            if (strcmp(m, "thunder") == 0)
                o->model = FC_MOVENET_THUNDER;
            else if (strcmp(m, "lightning") != 0) {
                fprintf(stderr, "bench_live: --model lightning or thunder, not '%s'\n", m);
                return 2;
            }
        } else if (strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
            if (fc_dnn_backend_parse(argv[++i], &o->backend) < 0) {
                fprintf(stderr, "bench_live: --backend xnnpack or opencv, not '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--generated") == 0) {
            o->generated = 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr,
                    "usage: bench_live [--model lightning|thunder] [--backend xnnpack|opencv] "
                    "[--threads N] [--generated] [--json FILE] [CLIP]\n");
            return 2;
        } else {
            o->clip = argv[i];
        }
    }
    return -1;
}

/* What a session measured: the live pipeline's result and what this
 * program timed around it. */
struct measured {
    struct fc_video_info vi;
    char model_name[64];
    double reader_cpu_ms; /* the reading thread's CPU time, all frames */
    double cpu_s;         /* the process's CPU time over the frame loop */
    struct fc_live_result res;
    /* from the above */
    double rate;            /* frames analysed a second */
    double drop_pct;        /* of the frames captured */
    double reader_ms_frame; /* reader_cpu_ms a frame */
    double cores_busy;      /* cpu_s over the session's wall time */
    int pass;               /* the target met */
};

/* Plays the clip through a live session to its end; *lv stays open for
 * m->res. 0, or -1 after saying why. */
static int run_session(const struct options *o, const struct fc_thresholds *th, struct fc_live **lv,
                       struct measured *m)
{
    struct fc_error err = {0};
    struct fc_live_params p = fc_live_default_params();
    p.source = o->clip;
    p.realtime = 1;
    p.model = o->model;
    p.backend = o->backend;
    p.fallback = 0; /* a figure for a backend is that backend's or none */
    p.threads = o->threads;
    p.thresholds = th;
    if (fc_live_open(lv, &p, &err) < 0) {
        fprintf(stderr, "bench_live: %s\n", err.msg);
        return -1;
    }
    m->vi = *fc_live_video_info(*lv);
    snprintf(m->model_name, sizeof m->model_name, "%s", fc_live_model_name(*lv));
    FILE *sink = fopen("/dev/null", "w");
    double cpu0 = fc_bench_cpu_s();
    struct fc_live_frame f;
    int rc;
    m->reader_cpu_ms = 0;
    for (;;) {
        double c0 = thread_cpu_ms();
        if ((rc = fc_live_next(*lv, &f, &err)) != 0)
            break;
        if (sink)
            feedback(sink, &f);
        fc_live_emitted(*lv);
        m->reader_cpu_ms += thread_cpu_ms() - c0;
    }
    m->cpu_s = fc_bench_cpu_s() - cpu0;
    if (sink)
        fclose(sink);
    if (rc < 0 || fc_live_finish(*lv, &m->res, &err) < 0) {
        fprintf(stderr, "bench_live: %s\n", err.msg);
        return -1;
    }
    const struct fc_live_stats *s = &m->res.stats;
    m->rate = s->wall_s > 0 ? (double)s->frames / s->wall_s : 0;
    m->drop_pct = s->captured ? 100.0 * (double)s->dropped / (double)s->captured : 0;
    m->reader_ms_frame = s->frames ? m->reader_cpu_ms / (double)s->frames : 0;
    m->cores_busy = s->wall_s > 0 ? m->cpu_s / s->wall_s : 0;
    m->pass = s->latency_p95_ms < 50 && s->dropped == 0;
    return 0;
}

static void print_table(const struct options *o, const struct measured *m)
{
    const struct fc_live_stats *s = &m->res.stats;
    printf("bench_live: %s played at its real pace (%dx%d %s, %.2f fps), %s\n", o->clip,
           m->vi.width, m->vi.height, m->vi.codec, m->vi.fps, m->model_name);
    printf("%-28s %12s\n", "", "value");
    printf("%-28s %12lld\n", "frames captured", (long long)s->captured);
    printf("%-28s %12ld\n", "frames analysed", s->frames);
    printf("%-28s %12lld (%.1f%%)\n", "frames dropped", (long long)s->dropped, m->drop_pct);
    printf("%-28s %12.1f\n", "latency p50 (ms)", s->latency_p50_ms);
    printf("%-28s %12.1f\n", "latency p95 (ms)", s->latency_p95_ms);
    printf("%-28s %12.1f\n", "latency max (ms)", s->latency_max_ms);
    printf("%-28s %12.1f\n", "latency mean (ms)", s->latency_mean_ms);
    printf("%-28s %12.1f\n", "pose per frame (ms)", s->pose_ms_mean);
    printf("%-28s %12.1f\n", "  of it, conversion (ms)", s->convert_ms_mean);
    printf("%-28s %12.1f\n", "frames/s analysed", m->rate);
    printf("%-28s %12.1f\n", "reader CPU per frame (ms)", m->reader_ms_frame);
    printf("%-28s %12.2f\n", "CPU cores busy", m->cores_busy);
    printf("%-28s %12zu\n", "reps", m->res.analysis->n_reps);
    printf("target (p95 < 50 ms, no drops at %.0f fps): %s\n", m->vi.fps,
           m->pass ? "met" : "not met");
}

static void write_json(const struct options *o, const struct measured *m)
{
    const struct fc_live_stats *s = &m->res.stats;
    FILE *f = fopen(o->json, "w");
    if (!f) {
        fprintf(stderr, "bench_live: cannot write %s\n", o->json);
        return;
    }
    fprintf(f, "{\n  \"benchmark\": \"bench_live\",\n  \"clip\": \"");
    fc_bench_json_str(f, o->clip);
    fprintf(f,
            "\",\n  \"width\": %d,\n  \"height\": %d,\n  \"codec\": \"%s\",\n"
            "  \"fps\": %.3f,\n  \"model\": \"%s\",\n  \"threads\": %d,\n"
            "  \"frames_captured\": %lld,\n  \"frames_analysed\": %ld,\n"
            "  \"frames_dropped\": %lld,\n  \"latency_ms\": {\"p50\": %.2f, \"p95\": "
            "%.2f, \"max\": %.2f, \"mean\": %.2f},\n  \"pose_ms\": %.2f,\n"
            "  \"convert_ms\": %.2f,\n  \"reader_cpu_ms\": %.2f,\n"
            "  \"analysed_fps\": %.2f,\n  \"cpu_cores_busy\": %.2f,\n  \"reps\": %zu,\n"
            "  \"target_met\": %s\n}\n",
            m->vi.width, m->vi.height, m->vi.codec, m->vi.fps, m->model_name, o->threads,
            (long long)s->captured, s->frames, (long long)s->dropped, s->latency_p50_ms,
            s->latency_p95_ms, s->latency_max_ms, s->latency_mean_ms, s->pose_ms_mean,
            s->convert_ms_mean, m->reader_ms_frame, m->rate, m->cores_busy, m->res.analysis->n_reps,
            m->pass ? "true" : "false");
    fclose(f);
}

int main(int argc, char **argv)
{
    struct options o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.generated) {
        if (fc_bench_make_1080p_clip("bench_live") < 0)
            return 1;
        o.clip = FC_BENCH_1080P_CLIP;
    }
    struct fc_error err = {0};
    struct fc_thresholds th;
    if (fc_thresholds_load(NULL, &th, &err) < 0) {
        fprintf(stderr, "bench_live: %s\n", err.msg);
        return 1;
    }
    struct fc_live *lv = NULL;
    struct measured m;
    memset(&m, 0, sizeof m);
    rc = run_session(&o, &th, &lv, &m) < 0 ? 1 : 0;
    if (rc == 0) {
        print_table(&o, &m);
        if (o.json)
            write_json(&o, &m);
    }
    fc_live_close(lv);
    fc_thresholds_free(&th);
    return rc;
}
