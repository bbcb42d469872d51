/* formcheck benchmarks: the small helpers every benchmark program shares
 * (clocks, percentiles, JSON strings, the generated 1080p test clip).
 * Header-only: each benchmarks/NAME.c is its own program. */
#ifndef FC_BENCH_COMMON_H
#define FC_BENCH_COMMON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

/* The clip bench_decode and bench_pipeline make when given none: 10 s of
 * FFmpeg's testsrc2 at 1920x1080, 30 fps, H.264 (libx264 veryfast), yuv420p. */
#define FC_BENCH_1080P_CLIP "/tmp/fc_bench_1080p30_h264.mp4"

static inline double fc_bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of the whole process (every thread), seconds. */
static inline double fc_bench_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static inline int fc_bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile (q in 0..1) of v[0..n-1], which it sorts. */
static inline double fc_bench_percentile(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, fc_bench_cmp_double);
    long i = (long)ceil(q * (double)n) - 1;
    return v[i < 0 ? 0 : (size_t)i >= n ? n - 1 : (size_t)i];
}

/* s as the inside of a JSON string */
static inline void fc_bench_json_str(FILE *o, const char *s)
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

/* Makes FC_BENCH_1080P_CLIP with the ffmpeg program unless it is there. */
static inline int fc_bench_make_1080p_clip(const char *who)
{
    struct stat st;
    if (stat(FC_BENCH_1080P_CLIP, &st) == 0 && st.st_size > 0)
        return 0;
    fprintf(stderr, "%s: making %s (10 s 1920x1080 30 fps H.264)...\n", who, FC_BENCH_1080P_CLIP);
    /* written under a temporary name and renamed: benchmarks may run side by side */
    int rc = system("ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi "
                    "-i testsrc2=s=1920x1080:r=30:d=10 -c:v libx264 -preset veryfast "
                    "-pix_fmt yuv420p -f mp4 " FC_BENCH_1080P_CLIP
                    ".part && mv -f " FC_BENCH_1080P_CLIP ".part " FC_BENCH_1080P_CLIP);
    if (rc != 0)
        fprintf(stderr, "%s: cannot make %s with the ffmpeg program\n", who, FC_BENCH_1080P_CLIP);
    return rc == 0 ? 0 : -1;
}

#endif
