/* bench_decode: how fast capture/ decodes, and what the per-frame model
 * input conversion costs.
 *
 *     bench_decode [CLIP] [--json FILE] [--threads N] [--queue N]
 *
 * Without CLIP it makes a 10 s 1920x1080 30 fps H.264 clip with the ffmpeg
 * program (testsrc2, libx264 -preset veryfast, yuv420p) in /tmp and uses
 * that. Two passes over the clip:
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture/decoder.h"

#define DEFAULT_CLIP "/tmp/fc_bench_1080p30_h264.mp4"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

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
    qsort(t->ms, t->n, sizeof *t->ms, cmp_double);
    t->p50 = t->ms[t->n / 2];
    t->p95 = t->ms[(size_t)(0.95 * (t->n - 1))];
}

/* s as the inside of a JSON string */
static void json_str(FILE *o, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(o, "\\%c", c);
        else if (c < 0x20)
            fprintf(o, "\\u%04x", c);
        else
            fputc(c, o);
    }
}

static int make_default_clip(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size > 0)
        return 0;
    fprintf(stderr, "bench_decode: making %s (10 s 1920x1080 30 fps H.264)...\n", path);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi "
             "-i testsrc2=s=1920x1080:r=30:d=10 -c:v libx264 -preset veryfast "
             "-pix_fmt yuv420p '%s'",
             path);
    return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *clip = NULL, *json = NULL;
    struct fc_decoder_params p = fc_decoder_default_params();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json") && i + 1 < argc)
            json = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            p.threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--queue") && i + 1 < argc)
            p.queue_frames = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: bench_decode [CLIP] [--json FILE] [--threads N] [--queue N]\n");
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "bench_decode: unknown option %s\n", argv[i]);
            return 2;
        } else
            clip = argv[i];
    }
    int generated = 0;
    if (!clip) {
        clip = DEFAULT_CLIP;
        if (make_default_clip(clip) < 0) {
            fprintf(stderr, "bench_decode: cannot make %s with the ffmpeg program\n", clip);
            return 1;
        }
        generated = 1;
    }

    struct fc_error err = {0};
    struct fc_decoder *d;
    struct fc_frame f;
    int rc;

    /* Pass 1: decode only. */
    double t0 = now_s(), c0 = cpu_s();
    if (fc_decoder_open(&d, clip, &p, &err) < 0) {
        fprintf(stderr, "bench_decode: %s\n", err.msg);
        return 1;
    }
    struct fc_video_info vi = *fc_decoder_info(d);
    long frames = 0;
    while ((rc = fc_decoder_next(d, &f, &err)) == 0) {
        frames++;
        fc_frame_release(&f);
    }
    fc_decoder_close(d);
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    if (rc < 0) {
        fprintf(stderr, "bench_decode: %s\n", err.msg);
        return 1;
    }
    double fps = frames / wall;

    /* Pass 2: decode + the model inputs. */
    struct timing conv[3] = {
        {.name = "letterbox 192x192", .w = 192, .h = 192},
        {.name = "letterbox 256x256", .w = 256, .h = 256},
        {.name = "centre crop 256x256", .w = 256, .h = 256},
    };
    uint8_t *rgb = malloc(256 * 256 * 3);
    struct fc_scaler *sc[3] = {fc_scaler_new(), fc_scaler_new(), fc_scaler_new()};
    if (!rgb || !sc[0] || !sc[1] || !sc[2]) {
        fprintf(stderr, "bench_decode: out of memory\n");
        return 1;
    }
    double t1 = now_s();
    if (fc_decoder_open(&d, clip, &p, &err) < 0) {
        fprintf(stderr, "bench_decode: %s\n", err.msg);
        return 1;
    }
    double lx, ly, lw, lh;
    fc_letterbox_region(vi.width, vi.height, &lx, &ly, &lw, &lh);
    double side = 0.6 * (vi.width < vi.height ? vi.width : vi.height);
    double cx = (vi.width - side) / 2, cy = (vi.height - side) / 2;
    long frames2 = 0;
    while ((rc = fc_decoder_next(d, &f, &err)) == 0) {
        for (int k = 0; k < 3; k++) {
            double x = k < 2 ? lx : cx, y = k < 2 ? ly : cy, w = k < 2 ? lw : side,
                   h = k < 2 ? lh : side;
            double s = now_s();
            if (fc_frame_to_rgb(&f, x, y, w, h, conv[k].w, conv[k].h, rgb, conv[k].w * 3, sc[k],
                                &err) < 0) {
                fprintf(stderr, "bench_decode: %s\n", err.msg);
                return 1;
            }
            add_sample(&conv[k], (now_s() - s) * 1e3);
        }
        frames2++;
        fc_frame_release(&f);
    }
    fc_decoder_close(d);
    double wall2 = now_s() - t1;
    for (int k = 0; k < 3; k++)
        summarise(&conv[k]);

    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    printf("bench_decode: %s%s\n", clip,
           generated ? " (generated: testsrc2, libx264 veryfast)" : "");
    printf("  %dx%d %s %s, %.2f fps, %.2f s, rotation %d, %ld CPUs, codec threads %s\n", vi.width,
           vi.height, vi.codec, vi.pix_fmt, vi.fps, vi.duration_s, vi.rotation_deg, ncpu,
           p.threads ? "set" : "auto");
    printf("\n  %-28s %10s %10s %10s\n", "stage", "frames/s", "ms/frame", "cpu/wall");
    printf("  %-28s %10.1f %10.3f %10.2f\n", "decode only", fps, 1e3 / fps, cpu / wall);
    printf("  %-28s %10.1f %10.3f\n", "decode + 3 conversions", frames2 / wall2,
           1e3 * wall2 / frames2);
    printf("\n  %-28s %10s %10s %10s\n", "conversion (per frame)", "mean ms", "median ms",
           "p95 ms");
    for (int k = 0; k < 3; k++)
        printf("  %-28s %10.3f %10.3f %10.3f\n", conv[k].name, conv[k].mean, conv[k].p50,
               conv[k].p95);

    if (json) {
        FILE *o = fopen(json, "w");
        if (!o) {
            fprintf(stderr, "bench_decode: cannot write %s\n", json);
            return 1;
        }
        fprintf(o, "{\n  \"benchmark\": \"decode\",\n  \"clip\": \"");
        json_str(o, clip);
        fprintf(o, "\",\n  \"generated\": %s,\n", generated ? "true" : "false");
        fprintf(o,
                "  \"video\": {\"width\": %d, \"height\": %d, \"codec\": \"%s\", \"pix_fmt\": "
                "\"%s\", \"fps\": %.4f, \"duration_s\": %.4f, \"rotation_deg\": %d},\n",
                vi.width, vi.height, vi.codec, vi.pix_fmt, vi.fps, vi.duration_s, vi.rotation_deg);
        fprintf(o, "  \"cpus\": %ld,\n  \"codec_threads\": %d,\n  \"queue_frames\": %d,\n", ncpu,
                p.threads, p.queue_frames);
        fprintf(o,
                "  \"decode\": {\"frames\": %ld, \"wall_s\": %.4f, \"cpu_s\": %.4f, "
                "\"frames_per_s\": %.2f},\n",
                frames, wall, cpu, fps);
        fprintf(o,
                "  \"decode_and_convert\": {\"frames\": %ld, \"wall_s\": %.4f, "
                "\"frames_per_s\": %.2f},\n  \"conversions\": [\n",
                frames2, wall2, frames2 / wall2);
        for (int k = 0; k < 3; k++)
            fprintf(o,
                    "    {\"name\": \"%s\", \"width\": %d, \"height\": %d, \"mean_ms\": %.4f, "
                    "\"median_ms\": %.4f, \"p95_ms\": %.4f}%s\n",
                    conv[k].name, conv[k].w, conv[k].h, conv[k].mean, conv[k].p50, conv[k].p95,
                    k < 2 ? "," : "");
        fprintf(o, "  ]\n}\n");
        fclose(o);
    }
    for (int k = 0; k < 3; k++) {
        free(conv[k].ms);
        fc_scaler_free(sc[k]);
    }
    free(rgb);
    return 0;
}
