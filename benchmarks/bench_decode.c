/* bench_decode: how fast capture/ decodes, and what the per-frame model
 * input conversion costs.
 *
 *     bench_decode [CLIP...] [--frames N] [--json FILE] [--threads N] [--queue N]
 *
 * Without CLIP it measures two clips: a 10 s 1920x1080 30 fps H.264 clip it
 * makes with the ffmpeg program (testsrc2, libx264 -preset veryfast,
 * yuv420p, in /tmp), and the real phone clip the build names
 * (FC_BENCH_DEFAULT_CLIP, ../shared/data/videos; skipped when absent).
 * Two passes over each clip (the first N frames with --frames):
 *   1. decode only: frames/s from open to the last frame, and CPU time;
 *   2. decode + conversion of every frame to the model inputs: the full
 *      frame letterboxed to 192x192 (MoveNet Lightning) and 256x256
 *      (Thunder), and a 256x256 crop around the picture centre (the
 *      tracking crop), each timed per call (mean, median, p95 ms).
 * Prints a table; --json FILE writes the same figures. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchmarks/bench_common.h"
#include "capture/decoder.h"

#define MAX_CLIPS 8

struct timing {
    const char *name;
    int w, h;
    double *ms;
    size_t n, cap;
    double mean, p50, p95;
};

static void add_sample(struct timing *t, double ms)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1024;
        t->ms = realloc(t->ms, t->cap * sizeof *t->ms);
        if (!t->ms) {
            fprintf(stderr, "bench_decode: out of memory\n");
            exit(1);
        }
    }
    t->ms[t->n++] = ms;
}

static void summarise(struct timing *t)
{
    if (!t->n)
        return;
    double s = 0;
    for (size_t i = 0; i < t->n; i++)
        s += t->ms[i];
    t->mean = s / t->n;
    t->p50 = fc_bench_percentile(t->ms, t->n, 0.5);
    t->p95 = fc_bench_percentile(t->ms, t->n, 0.95);
}

struct clip_result {
    const char *clip;
    int generated;
    struct fc_video_info vi;
    long frames, frames2;
    double wall, cpu, wall2;
    struct timing conv[3];
};

static double now_s(void)
{
    return fc_bench_now_ms() / 1e3;
}

static int bench_clip(const char *clip, int generated, long max_frames,
                      const struct fc_decoder_params *p, struct clip_result *r)
{
    struct fc_error err = {0};
    struct fc_decoder *d;
    struct fc_frame f;
    int rc;
    memset(r, 0, sizeof *r);
    r->clip = clip;
    r->generated = generated;

    /* Pass 1: decode only. */
    double t0 = now_s(), c0 = fc_bench_cpu_s();
    if (fc_decoder_open(&d, clip, p, &err) < 0) {
        fprintf(stderr, "bench_decode: %s\n", err.msg);
        return -1;
    }
    r->vi = *fc_decoder_info(d);
    while ((!max_frames || r->frames < max_frames) && (rc = fc_decoder_next(d, &f, &err)) == 0) {
        r->frames++;
        fc_frame_release(&f);
    }
    fc_decoder_close(d);
    r->wall = now_s() - t0;
    r->cpu = fc_bench_cpu_s() - c0;
    if (rc < 0) {
        fprintf(stderr, "bench_decode: %s\n", err.msg);
        return -1;
    }

    /* Pass 2: decode + the model inputs. */
    struct timing init[3] = {
        {.name = "letterbox 192x192", .w = 192, .h = 192},
        {.name = "letterbox 256x256", .w = 256, .h = 256},
        {.name = "centre crop 256x256", .w = 256, .h = 256},
    };
    memcpy(r->conv, init, sizeof init);
    uint8_t *rgb = malloc(256 * 256 * 3);
    struct fc_scaler *sc[3] = {fc_scaler_new(), fc_scaler_new(), fc_scaler_new()};
    rc = -1;
    if (!rgb || !sc[0] || !sc[1] || !sc[2]) {
        fprintf(stderr, "bench_decode: out of memory\n");
        goto done;
    }
    double t1 = now_s();
    if (fc_decoder_open(&d, clip, p, &err) < 0) {
        fprintf(stderr, "bench_decode: %s\n", err.msg);
        goto done;
    }
    const struct fc_video_info *vi = &r->vi;
    double lx, ly, lw, lh;
    fc_letterbox_region(vi->width, vi->height, &lx, &ly, &lw, &lh);
    double side = 0.6 * (vi->width < vi->height ? vi->width : vi->height);
    double cx = (vi->width - side) / 2, cy = (vi->height - side) / 2;
    int drc;
    while ((!max_frames || r->frames2 < max_frames) && (drc = fc_decoder_next(d, &f, &err)) == 0) {
        for (int k = 0; k < 3; k++) {
            double x = k < 2 ? lx : cx, y = k < 2 ? ly : cy, w = k < 2 ? lw : side,
                   h = k < 2 ? lh : side;
            double s = now_s();
            if (fc_frame_to_rgb(&f, x, y, w, h, r->conv[k].w, r->conv[k].h, rgb, r->conv[k].w * 3,
                                sc[k], &err) < 0) {
                fprintf(stderr, "bench_decode: %s\n", err.msg);
                fc_frame_release(&f);
                fc_decoder_close(d);
                goto done;
            }
            add_sample(&r->conv[k], (now_s() - s) * 1e3);
        }
        r->frames2++;
        fc_frame_release(&f);
    }
    fc_decoder_close(d);
    r->wall2 = now_s() - t1;
    for (int k = 0; k < 3; k++)
        summarise(&r->conv[k]);
    rc = 0;
done:
    for (int k = 0; k < 3; k++)
        fc_scaler_free(sc[k]);
    free(rgb);
    return rc;
}

static void print_clip(const struct clip_result *r, const struct fc_decoder_params *p)
{
    const struct fc_video_info *vi = &r->vi;
    double fps = r->frames / r->wall;
    printf("bench_decode: %s%s\n", r->clip,
           r->generated ? " (generated: testsrc2, libx264 veryfast)" : "");
    printf("  %dx%d %s %s, %.2f fps, %.2f s, rotation %d, %ld CPUs, codec threads %s\n", vi->width,
           vi->height, vi->codec, vi->pix_fmt, vi->fps, vi->duration_s, vi->rotation_deg,
           sysconf(_SC_NPROCESSORS_ONLN), p->threads ? "set" : "auto");
    printf("  %-28s %10s %10s %10s\n", "stage", "frames/s", "ms/frame", "cpu/wall");
    printf("  %-28s %10.1f %10.3f %10.2f\n", "decode only", fps, 1e3 / fps, r->cpu / r->wall);
    printf("  %-28s %10.1f %10.3f\n", "decode + 3 conversions", r->frames2 / r->wall2,
           1e3 * r->wall2 / r->frames2);
    printf("  %-28s %10s %10s %10s\n", "conversion (per frame)", "mean ms", "median ms", "p95 ms");
    for (int k = 0; k < 3; k++)
        printf("  %-28s %10.3f %10.3f %10.3f\n", r->conv[k].name, r->conv[k].mean, r->conv[k].p50,
               r->conv[k].p95);
    printf("\n");
}

static void json_clip(FILE *o, const struct clip_result *r)
{
    const struct fc_video_info *vi = &r->vi;
    fprintf(o, "    {\"clip\": \"");
    fc_bench_json_str(o, r->clip);
    fprintf(o, "\", \"generated\": %s,\n", r->generated ? "true" : "false");
    fprintf(o,
            "     \"video\": {\"width\": %d, \"height\": %d, \"codec\": \"%s\", \"pix_fmt\": "
            "\"%s\", \"fps\": %.4f, \"duration_s\": %.4f, \"rotation_deg\": %d},\n",
            vi->width, vi->height, vi->codec, vi->pix_fmt, vi->fps, vi->duration_s,
            vi->rotation_deg);
    fprintf(o,
            "     \"decode\": {\"frames\": %ld, \"wall_s\": %.4f, \"cpu_s\": %.4f, "
            "\"frames_per_s\": %.2f},\n",
            r->frames, r->wall, r->cpu, r->frames / r->wall);
    fprintf(o,
            "     \"decode_and_convert\": {\"frames\": %ld, \"wall_s\": %.4f, "
            "\"frames_per_s\": %.2f},\n     \"conversions\": [\n",
            r->frames2, r->wall2, r->frames2 / r->wall2);
    for (int k = 0; k < 3; k++)
        fprintf(o,
                "       {\"name\": \"%s\", \"width\": %d, \"height\": %d, \"mean_ms\": %.4f, "
                "\"median_ms\": %.4f, \"p95_ms\": %.4f}%s\n",
                r->conv[k].name, r->conv[k].w, r->conv[k].h, r->conv[k].mean, r->conv[k].p50,
                r->conv[k].p95, k < 2 ? "," : "");
    fprintf(o, "     ]}");
}

int main(int argc, char **argv)
{
    const char *clips[MAX_CLIPS], *json = NULL;
    int generated[MAX_CLIPS] = {0}, n = 0;
    long max_frames = 0;
    struct fc_decoder_params p = fc_decoder_default_params();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json") && i + 1 < argc)
            json = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            p.threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--queue") && i + 1 < argc)
            p.queue_frames = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--frames") && i + 1 < argc)
            max_frames = atol(argv[++i]);
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: bench_decode [CLIP...] [--frames N] [--json FILE] [--threads N] "
                   "[--queue N]\n");
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "bench_decode: unknown option %s\n", argv[i]);
            return 2;
        } else if (n < MAX_CLIPS)
            clips[n++] = argv[i];
    }
    if (n == 0) {
        if (fc_bench_make_1080p_clip("bench_decode") < 0)
            return 1;
        clips[n] = FC_BENCH_1080P_CLIP;
        generated[n++] = 1;
        if (access(FC_BENCH_DEFAULT_CLIP, R_OK) == 0)
            clips[n++] = FC_BENCH_DEFAULT_CLIP;
        else
            printf("bench_decode: %s not readable; the real phone clip is skipped\n\n",
                   FC_BENCH_DEFAULT_CLIP);
    }

    static struct clip_result res[MAX_CLIPS];
    int failed = 0;
    for (int i = 0; i < n; i++) {
        if (bench_clip(clips[i], generated[i], max_frames, &p, &res[i]) < 0)
            failed = 1;
        else
            print_clip(&res[i], &p);
    }
    if (json && !failed) {
        FILE *o = fopen(json, "w");
        if (!o) {
            fprintf(stderr, "bench_decode: cannot write %s\n", json);
            return 1;
        }
        fprintf(o,
                "{\n  \"benchmark\": \"decode\",\n  \"cpus\": %ld,\n  \"codec_threads\": %d,\n"
                "  \"queue_frames\": %d,\n  \"clips\": [\n",
                sysconf(_SC_NPROCESSORS_ONLN), p.threads, p.queue_frames);
        for (int i = 0; i < n; i++) {
            json_clip(o, &res[i]);
            fprintf(o, "%s\n", i + 1 < n ? "," : "");
        }
        fprintf(o, "  ]\n}\n");
        if (fclose(o) != 0) {
            fprintf(stderr, "bench_decode: cannot write %s\n", json);
            return 1;
        }
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            free(res[i].conv[k].ms);
    return failed;
}
