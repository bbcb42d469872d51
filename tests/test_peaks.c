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
    float peak[FC_METRIC_COUNT], peak_u[FC_METRIC_COUNT];
    double t_peak[FC_METRIC_COUNT];
    float raw_max;
};

static void feed(struct feed *f, double (*y)(double, int), int n)
{
    nan_fill(f->peak);
    f->raw_max = -INFINITY;
    for (int i = 0; i < n; i++) {
        double t = i / RATE;
        float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT], su[FC_METRIC_COUNT];
        nan_fill(v);
        v[FC_M_DEPTH] = (float)y(t, i);
        f->raw_max = fmaxf(f->raw_max, v[FC_M_DEPTH]);
        double t_mid;
        fc_peaks_smooth(&peaks, depth_only, 1, v, t, sm, su, &t_mid);
        fc_peaks_take(depth_only, 1, sm, su, t_mid, NAN, v, t, f->peak, f->peak_u, f->t_peak);
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
        float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT], su[FC_METRIC_COUNT];
        nan_fill(v);
        v[FC_M_DEPTH] = y[i] = (float)wave(t, i);
        double t_mid;
        fc_peaks_smooth(&peaks, depth_only, 1, v, t, sm, su, &t_mid);
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
    float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT], su[FC_METRIC_COUNT];
    double t_mid;
    nan_fill(v);
    /* Seven of 13 frames seen (more than half): their mean. */
    for (int i = 0; i < 13; i++) {
        v[FC_M_DEPTH] = i < 6 ? NAN : (float)i;
        fc_peaks_smooth(&peaks, depth_only, 1, v, i / RATE, sm, su, &t_mid);
    }
    cr_expect_float_eq(sm[FC_M_DEPTH], (6 + 7 + 8 + 9 + 10 + 11 + 12) / 7.0, 1e-5);
    /* Six of 13 seen: nothing. */
    fc_peaks_reset(&peaks);
    for (int i = 0; i < 13; i++) {
        v[FC_M_DEPTH] = i < 7 ? NAN : 1.0f;
        fc_peaks_smooth(&peaks, depth_only, 1, v, (13 + i) / RATE, sm, su, &t_mid);
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
    float peak[FC_METRIC_COUNT], peak_u[FC_METRIC_COUNT], v[FC_METRIC_COUNT];
    double t_peak[FC_METRIC_COUNT];
    nan_fill(peak);
    nan_fill(v);
    const float seq[3] = {3, -7, 5};
    for (int i = 0; i < 3; i++) {
        v[FC_M_DEPTH] = v[FC_M_KNEE_FPPA_LEFT] = seq[i];
        fc_peaks_take(act, 2, v, v, i, NAN, v, i, peak, peak_u, t_peak);
    }
    /* Depth: the largest value; FPPA: the largest deviation, with its sign. */
    cr_expect_float_eq(peak[FC_M_DEPTH], 5.0, 0);
    cr_expect_float_eq(t_peak[FC_M_DEPTH], 2.0, 0);
    cr_expect_float_eq(peak[FC_M_KNEE_FPPA_LEFT], -7.0, 0);
    cr_expect_float_eq(t_peak[FC_M_KNEE_FPPA_LEFT], 1.0, 0);
    /* The 3-D angles are taken raw, also when not among the active ones. */
    v[FC_M_PELVIS_TILT_3D] = -4;
    fc_peaks_take(act, 0, v, v, 9, NAN, v, 9, peak, peak_u, t_peak);
    cr_expect_float_eq(peak[FC_M_PELVIS_TILT_3D], -4.0, 0);
}

/* ---- the jitter estimate --------------------------------------------------- */

/* Standard normal deviates from a fixed 64-bit linear congruential sequence
 * (Box-Muller), so the test is the same on every run. */
static unsigned long long gauss_state = 88172645463325252ull;
static double uniform01(void)
{
    gauss_state = gauss_state * 6364136223846793005ull + 1442695040888963407ull;
    return ((double)(gauss_state >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void)
{
    return sqrt(-2.0 * log(uniform01())) * cos(6.283185307179586 * uniform01());
}

/* The quadratic the noise rides on: any quadratic is fitted exactly, so the
 * residuals are the noise alone. */
static double slow_quadratic(double t)
{
    return 40.0 + 3.0 * t - 0.01 * t * t;
}

/* The centre coefficient of the 13-point quadratic fit, from its formula. */
static double centre_coefficient_13(void)
{
    const double h = 6, den = (2 * h - 1) * (2 * h + 1) * (2 * h + 3);
    return 3 * (3 * h * h + 3 * h - 1) / den; /* 375 / 2145 */
}

Test(peaks, centre_coefficient_is_the_sum_of_the_squared_coefficients)
{
    /* A least-squares fit's smoothed value has variance sigma^2 sum c_k^2,
     * and for the centre point that sum is c_0 itself. */
    const int h = 6;
    double den = (2.0 * h - 1) * (2.0 * h + 1) * (2.0 * h + 3), sum = 0;
    for (int k = -h; k <= h; k++) {
        double c = 3.0 * (3.0 * h * h + 3.0 * h - 1 - 5.0 * k * k) / den;
        sum += c * c;
    }
    cr_expect_float_eq(sum, centre_coefficient_13(), 1e-12);
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    cr_expect_float_eq(peaks.sg_alpha, centre_coefficient_13(), 1e-12);
}

Test(peaks, jitter_estimate_recovers_the_noise_sigma)
{
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    fc_peaks_reset(&peaks);
    const double sigma = 1.5, c0 = centre_coefficient_13();
    const int n = 20000; /* with resyncs of the moments on the way */
    double sum_sigma2 = 0, sum_u2 = 0, worst_gain = 0;
    int got = 0;
    for (int i = 0; i < n; i++) {
        double t = i / RATE;
        float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT], su[FC_METRIC_COUNT];
        nan_fill(v);
        v[FC_M_DEPTH] = (float)(slow_quadratic(t) + sigma * gauss());
        double t_mid;
        fc_peaks_smooth(&peaks, depth_only, 1, v, t, sm, su, &t_mid);
        if (i < 12) {
            cr_assert(isnan(su[FC_M_DEPTH]), "frame %d: a standard error before a window", i);
            continue;
        }
        double s = peaks.sigma[FC_M_DEPTH];
        /* The smoothed value's standard error is sigma sqrt(c_0). */
        worst_gain = fmax(worst_gain, fabs(su[FC_M_DEPTH] - s * sqrt(c0)));
        sum_sigma2 += s * s;
        sum_u2 += (double)su[FC_M_DEPTH] * su[FC_M_DEPTH];
        got++;
    }
    /* The residual sum of squares over w - 3 degrees of freedom is unbiased
     * for sigma^2; over ~20000 windows the mean is within ~1%. */
    double est = sqrt(sum_sigma2 / got), u_est = sqrt(sum_u2 / got);
    cr_expect(fabs(est / sigma - 1) < 0.03, "sigma %.4f estimated as %.4f", sigma, est);
    cr_expect(fabs(u_est / (sigma * sqrt(c0)) - 1) < 0.03, "u_jitter %.4f, want %.4f", u_est,
              sigma * sqrt(c0));
    cr_expect(worst_gain < 1e-5, "su differs from sigma sqrt(c_0) by %g", worst_gain);
}

Test(peaks, a_noiseless_signal_has_no_jitter)
{
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    fc_peaks_reset(&peaks);
    struct feed f;
    feed(&f, parabola, 61);
    cr_assert(isfinite(f.peak_u[FC_M_DEPTH]));
    /* Only the rounding of the values to float is left (~1e-6 of 50). */
    cr_expect(f.peak_u[FC_M_DEPTH] < 1e-3f, "u %g", (double)f.peak_u[FC_M_DEPTH]);
}

Test(peaks, the_peak_keeps_the_standard_error_of_its_frame)
{
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    fc_peaks_reset(&peaks);
    /* Uniform noise of +-2 (SD 2 / sqrt 3 = 1.15): the peak's u_jitter is
     * 1.15 sqrt(c_0) = 0.48 give or take the spread of one window's estimate
     * (10 degrees of freedom, ~25%). */
    struct feed f;
    feed(&f, noisy, 61);
    float u = f.peak_u[FC_M_DEPTH];
    cr_expect(u > 0.25f && u < 0.8f, "u %f", (double)u);
}

Test(peaks, no_jitter_estimate_without_residual_freedom)
{
    /* 3 frames fit a quadratic exactly: no residuals, no estimate. */
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.1, 1.0 / RATE);
    cr_assert_eq(peaks.w, 3);
    fc_peaks_reset(&peaks);
    float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT], su[FC_METRIC_COUNT];
    double t_mid;
    nan_fill(v);
    for (int i = 0; i < 10; i++) {
        v[FC_M_DEPTH] = (float)(i % 2);
        fc_peaks_smooth(&peaks, depth_only, 1, v, i / RATE, sm, su, &t_mid);
    }
    cr_expect(isfinite(sm[FC_M_DEPTH]));
    cr_expect(isnan(su[FC_M_DEPTH]));
}

Test(peaks, a_window_with_gaps_uses_the_last_whole_windows_sigma)
{
    memset(&peaks, 0, sizeof peaks);
    fc_peaks_set_window(&peaks, 0.4, 1.0 / RATE);
    fc_peaks_reset(&peaks);
    float v[FC_METRIC_COUNT], sm[FC_METRIC_COUNT], su[FC_METRIC_COUNT];
    double t_mid;
    nan_fill(v);
    /* A whole window alternating 0, 1: a known residual sigma. */
    for (int i = 0; i < 13; i++) {
        v[FC_M_DEPTH] = (float)(i % 2);
        fc_peaks_smooth(&peaks, depth_only, 1, v, i / RATE, sm, su, &t_mid);
    }
    float s = peaks.sigma[FC_M_DEPTH];
    cr_assert(s > 0);
    /* Then 3 gaps: 10 of 13 seen, their mean, whose error is sigma / sqrt 10. */
    for (int i = 13; i < 16; i++) {
        v[FC_M_DEPTH] = NAN;
        fc_peaks_smooth(&peaks, depth_only, 1, v, i / RATE, sm, su, &t_mid);
    }
    cr_expect_float_eq(su[FC_M_DEPTH], s / sqrtf(10), 1e-6);
}
