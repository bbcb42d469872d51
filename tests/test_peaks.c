/* The rep-peak smoother (analysis/peaks.h) alone: a quadratic
 * Savitzky-Golay fit reproduces any parabola exactly, so the smoothed peak
 * of a parabola is its vertex, at the vertex's time; on a noisy parabola
 * it stays near the vertex where the raw maximum overshoots; the running
 * moments agree with the textbook convolution (Savitzky & Golay 1964)
 * over thousands of frames. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "analysis/peaks.h"

#define RATE 30.0

static struct fc_peaks peaks;
static const int depth_only[1] = {FC_M_DEPTH};

static void nan_fill(float *v)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        v[m] = NAN;
}

/* Feeds y(t) for n frames into metric FC_M_DEPTH; keeps the smoothed peak
 * (fc_peaks_take) and the raw maximum. */
struct feed {
    float peak[FC_METRIC_COUNT];
    double t_peak[FC_METRIC_COUNT];
    float raw_max;
};

static void feed(struct feed *f, double (*y)(double, int), int n)
{
    nan_fill(f->peak);
    f->raw_max = -INFINITY;
    for (int i = 0; i < n; i++) {
        double t = i / RATE;
        float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT];
        nan_fill(v);
        v[FC_M_DEPTH] = (float)y(t, i);
        f->raw_max = fmaxf(f->raw_max, v[FC_M_DEPTH]);
        double t_mid;
        fc_peaks_smooth(&peaks, depth_only, 1, v, t, sm, &t_mid);
        fc_peaks_take(depth_only, 1, sm, t_mid, v, t, f->peak, f->t_peak);
    }
}

/* A parabola with its vertex of 50 at t = 1 s. */
static double parabola(double t, int i)
{
    (void)i;
    return 50.0 - 40.0 * (t - 1.0) * (t - 1.0);
}

Test(peaks, window_in_frames_from_the_frame_rate)
{
    /* 0.4 s at 30 fps is 12 frames, made odd: 13. */
    fc_peaks_set_window(&peaks, 0.4, 1.0 / 30);
    cr_expect_eq(peaks.w, 13);
    /* 0.4 s at 100 fps: 40 -> 41. */
    fc_peaks_set_window(&peaks, 0.4, 0.01);
    cr_expect_eq(peaks.w, 41);
    /* Longer than the ring holds: capped at PEAK_RING - 1. */
    fc_peaks_set_window(&peaks, 0.4, 0.001);
    cr_expect_eq(peaks.w, PEAK_RING - 1);
    /* No frame step known, or no window: no smoothing. */
    fc_peaks_set_window(&peaks, 0.4, 0);
    cr_expect_eq(peaks.w, 1);
    fc_peaks_set_window(&peaks, 0, 1.0 / 30);
    cr_expect_eq(peaks.w, 1);
}

Test(peaks, the_fit_keeps_a_parabolas_vertex)
{
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    fc_peaks_reset(&peaks);
    struct feed f;
    feed(&f, parabola, 61);
    cr_expect_float_eq(f.peak[FC_M_DEPTH], 50.0, 1e-3, "peak %f", (double)f.peak[FC_M_DEPTH]);
    cr_expect_float_eq(f.t_peak[FC_M_DEPTH], 1.0, 1e-9, "at %f s", f.t_peak[FC_M_DEPTH]);
}

/* A flat parabola with a vertex of 60 at 1 s plus uniform noise of +-2, from
 * a fixed linear congruential sequence. */
static unsigned lcg = 12345;
static double noisy(double t, int i)
{
    (void)i;
    lcg = lcg * 1103515245u + 12345u;
    double u = (double)((lcg >> 8) & 0xffff) / 65535.0;
    return 60.0 - 10.0 * (t - 1.0) * (t - 1.0) + 4.0 * (u - 0.5);
}

Test(peaks, noise_does_not_push_the_peak_up)
{
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    fc_peaks_reset(&peaks);
    struct feed f;
    feed(&f, noisy, 61);
    /* The centre coefficient of a 13-point quadratic fit is 375 / 2145:
     * the noise's SD (2 / sqrt 3) shrinks to 0.48; the raw maximum over the
     * frames near the top rides on the noise. */
    cr_expect(fabsf(f.peak[FC_M_DEPTH] - 60.0f) < 1.0f, "smoothed %f", (double)f.peak[FC_M_DEPTH]);
    cr_expect(f.raw_max - 60.0f > 1.0f, "raw %f", (double)f.raw_max);
}

/* A slow sine with an offset, for the long run. */
static double wave(double t, int i)
{
    (void)i;
    return 1000.0 + 30.0 * sin(2.0 * t);
}

Test(peaks, running_moments_match_the_convolution)
{
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    fc_peaks_reset(&peaks);
    const int w = 13, h = 6;
    /* c_k = 3 (3h^2 + 3h - 1 - 5k^2) / ((2h - 1)(2h + 1)(2h + 3)). */
    double c[13], den = (2.0 * h - 1) * (2.0 * h + 1) * (2.0 * h + 3);
    for (int k = -h; k <= h; k++)
        c[k + h] = 3.0 * (3.0 * h * h + 3.0 * h - 1 - 5.0 * k * k) / den;
    const int n = 2 * PEAK_RESYNC + 100;
    static float y[2 * PEAK_RESYNC + 100];
    double worst = 0;
    for (int i = 0; i < n; i++) {
        double t = i / RATE;
        float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT];
        nan_fill(v);
        v[FC_M_DEPTH] = y[i] = (float)wave(t, i);
        double t_mid;
        fc_peaks_smooth(&peaks, depth_only, 1, v, t, sm, &t_mid);
        if (i < w - 1)
            continue;
        double want = 0;
        for (int k = -h; k <= h; k++)
            want += c[k + h] * y[i - h + k];
        worst = fmax(worst, fabs(sm[FC_M_DEPTH] - want));
        cr_assert_float_eq(t_mid, (i - h) / RATE, 1e-9);
    }
    cr_expect(worst < 1e-3, "largest difference %g", worst);
}

Test(peaks, gaps_give_the_mean_of_what_was_seen)
{
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    fc_peaks_reset(&peaks);
    float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT];
    double t_mid;
    nan_fill(v);
    /* Seven of 13 frames seen (more than half): their mean. */
    for (int i = 0; i < 13; i++) {
        v[FC_M_DEPTH] = i < 6 ? NAN : (float)i;
        fc_peaks_smooth(&peaks, depth_only, 1, v, i / RATE, sm, &t_mid);
    }
    cr_expect_float_eq(sm[FC_M_DEPTH], (6 + 7 + 8 + 9 + 10 + 11 + 12) / 7.0, 1e-5);
    /* Six of 13 seen: nothing. */
    fc_peaks_reset(&peaks);
    for (int i = 0; i < 13; i++) {
        v[FC_M_DEPTH] = i < 7 ? NAN : 1.0f;
        fc_peaks_smooth(&peaks, depth_only, 1, v, (13 + i) / RATE, sm, &t_mid);
    }
    cr_expect(isnan(sm[FC_M_DEPTH]));
}

Test(peaks, each_metric_in_its_fault_direction)
{
    cr_expect_eq(fc_metric_info(FC_M_DEPTH)->peak, FC_PEAK_MAX);
    cr_expect_eq(fc_metric_info(FC_M_HIP_DROP)->peak, FC_PEAK_MAX);
    cr_expect_eq(fc_metric_info(FC_M_KNEE_FPPA_LEFT)->peak, FC_PEAK_SIGNED);
    cr_expect_eq(fc_metric_info(FC_M_PELVIC_OBLIQUITY)->peak, FC_PEAK_SIGNED);
    const int act[2] = {FC_M_DEPTH, FC_M_KNEE_FPPA_LEFT};
    float peak[FC_METRIC_COUNT], v[FC_METRIC_COUNT];
    double t_peak[FC_METRIC_COUNT];
    nan_fill(peak);
    nan_fill(v);
    const float seq[3] = {3, -7, 5};
    for (int i = 0; i < 3; i++) {
        v[FC_M_DEPTH] = v[FC_M_KNEE_FPPA_LEFT] = seq[i];
        fc_peaks_take(act, 2, v, i, v, i, peak, t_peak);
    }
    /* Depth: the largest value; FPPA: the largest deviation, with its sign. */
    cr_expect_float_eq(peak[FC_M_DEPTH], 5.0, 0);
    cr_expect_float_eq(t_peak[FC_M_DEPTH], 2.0, 0);
    cr_expect_float_eq(peak[FC_M_KNEE_FPPA_LEFT], -7.0, 0);
    cr_expect_float_eq(t_peak[FC_M_KNEE_FPPA_LEFT], 1.0, 0);
    /* The 3-D angles are taken raw, also when not among the active ones. */
    v[FC_M_PELVIS_TILT_3D] = -4;
    fc_peaks_take(act, 0, v, 9, v, 9, peak, t_peak);
    cr_expect_float_eq(peak[FC_M_PELVIS_TILT_3D], -4.0, 0);
}
