/* formcheck benchmark: the streaming analyzer's hot loop.
 *
 * Pushes a long session through fc_analyzer_push on one core and reports
 * keypoint frames per second and peak resident memory at 10% and 100% of
 * the session (memory must stay flat: nothing is allocated per frame).
 * Each view runs --repeat times (3); the table gives the best and the
 * median, by wall clock and by the thread's own CPU time (the CPU figure
 * does not count time the thread spent descheduled on a busy machine).
 * The session is one synthetic rep of each view (import/synth.h, with noise)
 * repeated: the frames are built once in memory and only their times are
 * rewritten, so the loop measures the analyzer and not a generator.
 *
 *     bench_analysis [--frames N] [--repeat R] [--json FILE] [--exercise NAME]
 *
 * Prints a table; with --json also writes the figures as JSON. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "analysis/analyzer.h"
#include "import/synth.h"

struct result {
    const char *view;
    double wall_s, cpu_s;
    long rss_10_kb, rss_100_kb;
    size_t reps;
};

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* kilobytes on Linux */
}

static int run(enum fc_exercise ex, enum fc_view view, long frames, struct result *out)
{
    /* One generated session: standing, then two reps; the second rep and
     * its pause make the cycle that repeats. */
    struct fc_synth_params sp = fc_synth_default_params();
    sp.exercise = ex;
    sp.view = view;
    sp.reps = 2;
    sp.noise_px = 1.0;
    struct fc_pose_track t;
    struct fc_error err = {0};
    if (fc_synth_generate(&sp, &t, &err) < 0) {
        fprintf(stderr, "bench_analysis: %s\n", err.msg);
        return -1;
    }
    size_t stand = (size_t)llround(sp.standing_s * sp.rate_hz);
    size_t cycle = (size_t)llround((sp.rep_s + sp.pause_s) * sp.rate_hz);
    size_t first = stand + cycle; /* the second rep */
    if (first + cycle > t.n_frames) {
        fprintf(stderr, "bench_analysis: generated session too short\n");
        fc_pose_track_free(&t);
        return -1;
    }
    struct fc_analyzer_params p = fc_analyzer_default_params();
    p.exercise = ex;
    struct fc_analyzer *a;
    if (fc_analyzer_create(&a, &p, &err) < 0) {
        fprintf(stderr, "bench_analysis: %s\n", err.msg);
        fc_pose_track_free(&t);
        return -1;
    }
    struct fc_frame_metrics m;
    double dt = 1.0 / sp.rate_hz, t_s = 0;
    /* The baseline: the standing part once. */
    for (size_t i = 0; i < stand; i++, t_s += dt) {
        t.frames[i].t_s = t_s;
        fc_analyzer_push(a, &t.frames[i], &m);
    }
    struct fc_keypoints *cyc = &t.frames[first];
    long tenth = frames / 10;
    double sink = 0;
    double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    size_t c = 0;
    for (long i = 0; i < frames; i++, t_s += dt) {
        cyc[c].t_s = t_s;
        fc_analyzer_push(a, &cyc[c], &m);
        sink += m.value[FC_M_PELVIC_OBLIQUITY] + m.value[FC_M_KNEE_FLEXION_LEFT];
        if (++c == cycle)
            c = 0;
        if (i + 1 == tenth)
            out->rss_10_kb = peak_rss_kb();
    }
    double t1 = clock_s(CLOCK_MONOTONIC), c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    out->rss_100_kb = peak_rss_kb();
    struct fc_analysis res;
    fc_analyzer_finish(a, &res);
    out->view = fc_view_name(view);
    out->wall_s = t1 - t0;
    out->cpu_s = c1 - c0;
    out->reps = res.n_reps;
    if (sink == 12345.678)
        fprintf(stderr, "(unlikely)\n"); /* keeps the values live */
    fc_analyzer_free(a);
    fc_pose_track_free(&t);
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_analysis [--frames N] [--repeat R] [--json FILE] [--exercise NAME]\n");
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Best and median of n seconds, as frames per second. */
struct rate {
    double best_fps, median_fps;
};

static struct rate rates(double *sec, int n, long frames)
{
    qsort(sec, (size_t)n, sizeof *sec, cmp_double);
    double med = n % 2 ? sec[n / 2] : 0.5 * (sec[n / 2 - 1] + sec[n / 2]);
    return (struct rate){(double)frames / sec[0], (double)frames / med};
}

int main(int argc, char **argv)
{
    long frames = 5000000;
    int repeat = 3;
    const char *json = NULL;
    enum fc_exercise ex = FC_EXERCISE_SQUAT;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--frames") == 0 || strcmp(argv[i], "--repeat") == 0) &&
            i + 1 < argc) {
            int is_frames = argv[i][2] == 'f';
            char *end;
            errno = 0;
            long v = strtol(argv[++i], &end, 10);
            if (errno || *end || v < (is_frames ? 10 : 1) || (!is_frames && v > 100)) {
                fprintf(stderr, "bench_analysis: %s wants a number %s, got '%s'\n", argv[i - 1],
                        is_frames ? ">= 10" : "from 1 to 100", argv[i]);
                return 2;
            }
            if (is_frames)
                frames = v;
            else
                repeat = (int)v;
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json = argv[++i];
        } else if (strcmp(argv[i], "--exercise") == 0 && i + 1 < argc) {
            int e = fc_exercise_from_name(argv[++i]);
            if (e <= FC_EXERCISE_AUTO) {
                fprintf(stderr, "bench_analysis: unknown exercise '%s'\n", argv[i]);
                return 2;
            }
            ex = (enum fc_exercise)e;
        } else {
            usage();
            return 2;
        }
    }
    const enum fc_view views[2] = {FC_VIEW_FRONT, FC_VIEW_SIDE};
    struct result last[2];
    struct rate wall[2], cpu[2];
    long rss10[2], rss100[2];
    for (int v = 0; v < 2; v++) {
        double ws[100], cs[100];
        for (int r = 0; r < repeat; r++) {
            if (run(ex, views[v], frames, &last[v]) < 0)
                return 1;
            ws[r] = last[v].wall_s;
            cs[r] = last[v].cpu_s;
            if (r == 0) { /* ru_maxrss is the process's peak: only the first run shows growth */
                rss10[v] = last[v].rss_10_kb;
                rss100[v] = last[v].rss_100_kb;
            }
        }
        wall[v] = rates(ws, repeat, frames);
        cpu[v] = rates(cs, repeat, frames);
    }

    printf("analyzer hot loop: %s, %ld frames per view, best and median of %d runs, one core\n",
           fc_exercise_name(ex), frames, repeat);
    printf("%-6s %12s %12s %12s %12s %9s %12s %13s %8s\n", "view", "wall best/s", "wall med/s",
           "cpu best/s", "cpu med/s", "ns/frame", "RSS@10% KB", "RSS@100% KB", "reps");
    for (int v = 0; v < 2; v++)
        printf("%-6s %12.0f %12.0f %12.0f %12.0f %9.1f %12ld %13ld %8zu\n", last[v].view,
               wall[v].best_fps, wall[v].median_fps, cpu[v].best_fps, cpu[v].median_fps,
               1e9 / cpu[v].best_fps, rss10[v], rss100[v], last[v].reps);
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            fprintf(stderr, "bench_analysis: %s: %s\n", json, strerror(errno));
            return 1;
        }
        fprintf(f, "{\n  \"benchmark\": \"analysis\",\n  \"exercise\": \"%s\",\n",
                fc_exercise_name(ex));
        fprintf(f, "  \"frames_per_view\": %ld,\n  \"repeat\": %d,\n  \"results\": [\n", frames,
                repeat);
        for (int v = 0; v < 2; v++)
            fprintf(f,
                    "    {\"view\": \"%s\", \"wall_best_frames_per_s\": %.0f, "
                    "\"wall_median_frames_per_s\": %.0f, \"cpu_best_frames_per_s\": %.0f, "
                    "\"cpu_median_frames_per_s\": %.0f, \"cpu_best_ns_per_frame\": %.2f, "
                    "\"peak_rss_kb_at_10pct\": %ld, \"peak_rss_kb_at_100pct\": %ld, "
                    "\"reps\": %zu}%s\n",
                    last[v].view, wall[v].best_fps, wall[v].median_fps, cpu[v].best_fps,
                    cpu[v].median_fps, 1e9 / cpu[v].best_fps, rss10[v], rss100[v], last[v].reps,
                    v ? "" : ",");
        fprintf(f, "  ]\n}\n");
        if (fclose(f) != 0) {
            fprintf(stderr, "bench_analysis: %s: %s\n", json, strerror(errno));
            return 1;
        }
    }
    return 0;
}
