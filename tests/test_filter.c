/* Butterworth filtfilt and One Euro filter, checked from first principles:
 * the expected gains are the analytic Butterworth response, not anything
 * the code under test computed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/filter.h"
#include "core/units.h"

/* Deterministic standard normal numbers (LCG + Box-Muller). */
static double gauss(unsigned *state)
{
    double u1, u2;
    do {
        *state = *state * 1103515245u + 12345u;
        u1 = ((*state >> 8) & 0xFFFFFF) / (double)0x1000000;
    } while (u1 <= 0);
    *state = *state * 1103515245u + 12345u;
    u2 = ((*state >> 8) & 0xFFFFFF) / (double)0x1000000;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * FC_PI * u2);
}

/* Amplitude and phase (rad) of the component at f_hz of y[i0..i1), by
 * projection on sin and cos over a whole number of periods. */
static void project(const double *y, size_t i0, size_t i1, double fs, double f_hz, double *amp,
                    double *phase)
{
    double s = 0, c = 0;
    for (size_t i = i0; i < i1; i++) {
        double w = 2.0 * FC_PI * f_hz * (double)i / fs;
        s += y[i] * sin(w);
        c += y[i] * cos(w);
    }
    double n = (double)(i1 - i0);
    s *= 2.0 / n;
    c *= 2.0 / n;
    *amp = sqrt(s * s + c * c);
    *phase = atan2(c, s);
}

/* The digital Butterworth (bilinear transform, pre-warped at fc) run twice:
 * |H(f)|^2 = 1 / (1 + (tan(pi f/fs) / tan(pi fc/fs))^(2N)). */
static double butter_gain2_digital(double f, double fc, double fs, int order)
{
    double r = tan(FC_PI * f / fs) / tan(FC_PI * fc / fs);
    return 1.0 / (1.0 + pow(r, 2.0 * order));
}

/* The analog prototype's, the textbook formula. */
static double butter_gain2_analog(double f, double fc, int order)
{
    return 1.0 / (1.0 + pow(f / fc, 2.0 * order));
}

#define N_SAMPLES 2000
#define FS 100.0

static void sine(double *x, size_t n, double f_hz, double amp)
{
    for (size_t i = 0; i < n; i++)
        x[i] = amp * sin(2.0 * FC_PI * f_hz * (double)i / FS);
}

Test(filter, dc_passes_unchanged)
{
    static double x[N_SAMPLES];
    for (size_t i = 0; i < N_SAMPLES; i++)
        x[i] = 3.7;
    struct fc_error err = {0};
    cr_assert_eq(fc_filtfilt_butter(x, N_SAMPLES, FS, 6.0, 4, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < N_SAMPLES; i++)
        cr_assert_float_eq(x[i], 3.7, 1e-9, "sample %zu: %.12f", i, x[i]);
}

Test(filter, ramp_keeps_its_edges)
{
    /* Odd reflection extends a straight line as a straight line, so a ramp
     * passes unchanged right up to the ends (no edge droop). */
    static double x[300];
    for (size_t i = 0; i < 300; i++)
        x[i] = 0.25 * (double)i - 10.0;
    struct fc_error err = {0};
    cr_assert_eq(fc_filtfilt_butter(x, 300, FS, 6.0, 4, &err), 0);
    for (size_t i = 0; i < 300; i++)
        cr_assert_float_eq(x[i], 0.25 * (double)i - 10.0, 1e-2, "sample %zu: %g", i,
                           x[i] - (0.25 * (double)i - 10.0));
}

Test(filter, slow_sine_keeps_amplitude_and_has_no_lag)
{
    for (int order = 2; order <= 4; order += 2) {
        static double x[N_SAMPLES], ref[N_SAMPLES];
        sine(x, N_SAMPLES, 1.0, 10.0);
        memcpy(ref, x, sizeof x);
        struct fc_error err = {0};
        cr_assert_eq(fc_filtfilt_butter(x, N_SAMPLES, FS, 6.0, order, &err), 0);
        double amp, ph;
        project(x, 100, 1900, FS, 1.0, &amp, &ph);
        cr_assert(fabs(amp / 10.0 - 1.0) < 0.01, "order %d: amplitude %g", order, amp);
        /* Zero lag: no phase shift at all (a single pass would lag ~20 deg). */
        cr_assert(fabs(ph) * FC_DEG_PER_RAD < 0.05, "order %d: phase %g deg", order,
                  ph * FC_DEG_PER_RAD);
        /* And sample by sample, edges included: it is the input. */
        for (size_t i = 0; i < N_SAMPLES; i++)
            cr_assert(fabs(x[i] - ref[i]) < 0.1, "order %d sample %zu: %g vs %g", order, i, x[i],
                      ref[i]);
    }
}

Test(filter, response_matches_butterworth_squared)
{
    const double fc = 6.0;
    const double freqs[] = {3.0, 6.0, 9.0, 12.0, 18.0};
    for (int order = 2; order <= 4; order += 2) {
        for (size_t q = 0; q < sizeof freqs / sizeof freqs[0]; q++) {
            static double x[N_SAMPLES];
            sine(x, N_SAMPLES, freqs[q], 1.0);
            struct fc_error err = {0};
            cr_assert_eq(fc_filtfilt_butter(x, N_SAMPLES, FS, fc, order, &err), 0);
            double amp, ph;
            project(x, 200, 1800, FS, freqs[q], &amp, &ph);
            double want = butter_gain2_digital(freqs[q], fc, FS, order);
            cr_assert(fabs(amp - want) < 0.02 * want + 1e-6, "order %d, %g Hz: gain %g, |H|^2 %g",
                      order, freqs[q], amp, want);
            /* The textbook analog formula agrees where warping is small. */
            double analog = butter_gain2_analog(freqs[q], fc, order);
            cr_assert(fabs(amp - analog) < 0.35 * analog + 1e-3, "order %d, %g Hz: %g vs %g", order,
                      freqs[q], amp, analog);
            if (amp > 1e-3)
                cr_assert(fabs(ph) * FC_DEG_PER_RAD < 0.5, "order %d, %g Hz: phase %g deg", order,
                          freqs[q], ph * FC_DEG_PER_RAD);
        }
    }
    /* -6 dB at the cutoff: half amplitude after two passes. */
    cr_assert_float_eq(butter_gain2_digital(fc, fc, FS, 4), 0.5, 1e-12);
}

Test(filter, fourth_order_rolls_off_24_db_per_octave_per_pass)
{
    /* Well above the cutoff, each octave divides a pass by 2^4 (24 dB), so
     * the forward-backward gain by 2^8 (48 dB), as the analytic response. */
    static double a[N_SAMPLES], b[N_SAMPLES];
    sine(a, N_SAMPLES, 8.0, 1.0);
    sine(b, N_SAMPLES, 16.0, 1.0);
    struct fc_error err = {0};
    cr_assert_eq(fc_filtfilt_butter(a, N_SAMPLES, FS, 4.0, 4, &err), 0);
    cr_assert_eq(fc_filtfilt_butter(b, N_SAMPLES, FS, 4.0, 4, &err), 0);
    double ga, gb, ph;
    project(a, 200, 1800, FS, 8.0, &ga, &ph);
    project(b, 200, 1800, FS, 16.0, &gb, &ph);
    double db_per_octave = 20.0 * log10(ga / gb);
    double want = 20.0 * log10(butter_gain2_digital(8.0, 4.0, FS, 4) /
                               butter_gain2_digital(16.0, 4.0, FS, 4));
    cr_assert(fabs(db_per_octave - want) < 1.0, "%g dB/octave, analytic %g", db_per_octave, want);
    cr_assert(db_per_octave > 45.0 && db_per_octave < 60.0, "%g dB/octave", db_per_octave);
}

Test(filter, gaps_stay_gaps_and_runs_are_filtered_alone)
{
    static double x[400];
    unsigned seed = 3;
    for (size_t i = 0; i < 400; i++)
        x[i] = (i < 200 ? 5.0 : -5.0) + 0.5 * gauss(&seed);
    for (size_t i = 195; i < 205; i++)
        x[i] = NAN;
    x[100] = NAN;
    /* A run too short to filter (4 samples) is left as it is. */
    x[300] = NAN;
    x[305] = NAN;
    double short_run[4];
    memcpy(short_run, &x[301], sizeof short_run);
    struct fc_error err = {0};
    cr_assert_eq(fc_filtfilt_butter(x, 400, FS, 6.0, 4, &err), 0);
    for (size_t i = 0; i < 400; i++) {
        int gap = (i >= 195 && i < 205) || i == 100 || i == 300 || i == 305;
        cr_assert_eq(isnan(x[i]) != 0, gap, "sample %zu: %g", i, x[i]);
    }
    cr_assert_eq(memcmp(short_run, &x[301], sizeof short_run), 0);
    /* Each side of the big gap keeps its own level: nothing leaks across. */
    for (size_t i = 150; i < 195; i++)
        cr_assert(fabs(x[i] - 5.0) < 0.5, "sample %zu: %g", i, x[i]);
    for (size_t i = 205; i < 250; i++)
        cr_assert(fabs(x[i] + 5.0) < 0.5, "sample %zu: %g", i, x[i]);
}

Test(filter, rejects_bad_designs)
{
    double x[64] = {0};
    struct fc_error err = {0};
    cr_assert_eq(fc_filtfilt_butter(x, 64, FS, 6.0, 3, &err), FC_ERR_ARG);
    cr_assert(strstr(err.msg, "order") != NULL, "%s", err.msg);
    cr_assert_eq(fc_filtfilt_butter(x, 64, FS, 50.0, 4, &err), FC_ERR_ARG);
    cr_assert(strstr(err.msg, "cutoff") != NULL, "%s", err.msg);
    cr_assert_eq(fc_filtfilt_butter(x, 64, 0.0, 6.0, 4, &err), FC_ERR_ARG);
}

/* A track with the left knee moving as a slow sine plus noise, a gap, and a
 * joint that is never seen. */
static void make_track(struct fc_pose_track *t, double rate_hz, int with_rate)
{
    struct fc_error err = {0};
    fc_pose_track_init(t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    t->rate_hz = with_rate ? rate_hz : 0;
    unsigned seed = 11;
    for (size_t i = 0; i < 600; i++) {
        struct fc_keypoints *k = fc_pose_track_push(t, &err);
        cr_assert_not_null(k);
        k->t_s = (double)i / rate_hz;
        if (i >= 300 && i < 320)
            continue; /* knee lost */
        double x = 400.0 + 30.0 * sin(2.0 * FC_PI * 0.5 * k->t_s) + 2.0 * gauss(&seed);
        double y = 300.0 + 2.0 * gauss(&seed);
        fc_keypoints_set(k, FC_JOINT_LEFT_KNEE, (float)x, (float)y, NAN, 0.9f);
    }
}

Test(filter, track_lowpass_per_joint_coordinate)
{
    struct fc_pose_track a, b;
    make_track(&a, 60.0, 1);
    make_track(&b, 60.0, 0); /* no rate: the median time step gives 60 Hz */
    struct fc_error err = {0};
    cr_assert_eq(fc_track_lowpass(&a, 6.0, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_track_lowpass(&b, 6.0, &err), 0, "%s", err.msg);
    double ss_raw = 0, ss_filt = 0;
    unsigned seed = 11;
    for (size_t i = 0; i < 600; i++) {
        const struct fc_keypoints *k = &a.frames[i];
        cr_assert(isnan(k->x[FC_JOINT_NOSE]), "an unseen joint stays unseen");
        if (i >= 300 && i < 320) {
            cr_assert(isnan(k->x[FC_JOINT_LEFT_KNEE]) && k->score[FC_JOINT_LEFT_KNEE] == 0);
            cr_assert(isnan(b.frames[i].x[FC_JOINT_LEFT_KNEE]));
            continue;
        }
        cr_assert_float_eq(k->x[FC_JOINT_LEFT_KNEE], b.frames[i].x[FC_JOINT_LEFT_KNEE], 1e-3,
                           "frame %zu: %g vs %g", i, k->x[FC_JOINT_LEFT_KNEE],
                           b.frames[i].x[FC_JOINT_LEFT_KNEE]);
        double truth = 400.0 + 30.0 * sin(2.0 * FC_PI * 0.5 * k->t_s);
        double noise = 2.0 * gauss(&seed);
        (void)gauss(&seed);
        ss_raw += noise * noise;
        ss_filt += (k->x[FC_JOINT_LEFT_KNEE] - truth) * (k->x[FC_JOINT_LEFT_KNEE] - truth);
        cr_assert_float_eq(k->score[FC_JOINT_LEFT_KNEE], 0.9f, 1e-6);
    }
    /* 6 Hz of a 30 Hz band keeps about a fifth of white noise's power (the
     * squared response integrates to ~0.19 of the band). */
    cr_assert(ss_filt < 0.35 * ss_raw, "noise power %g of %g", ss_filt, ss_raw);
    fc_pose_track_free(&a);
    fc_pose_track_free(&b);
}

Test(one_euro, constant_in_constant_out)
{
    struct fc_one_euro f;
    fc_one_euro_init(&f, 1.0, 0.01, 1.0);
    for (int i = 0; i < 500; i++)
        cr_assert_eq(fc_one_euro_step(&f, i / 30.0, 42.5), 42.5);
}

Test(one_euro, step_converges)
{
    struct fc_one_euro f;
    fc_one_euro_init(&f, 1.0, 0.0, 1.0);
    double y = 0, prev = 0;
    for (int i = 0; i < 30; i++)
        y = fc_one_euro_step(&f, i / 30.0, 0.0);
    cr_assert_eq(y, 0.0);
    for (int i = 30; i < 120; i++) {
        y = fc_one_euro_step(&f, i / 30.0, 10.0);
        cr_assert(y >= prev - 1e-12 && y <= 10.0, "monotone towards the step: %g", y);
        prev = y;
    }
    /* A first-order low-pass at 1 Hz: after 3 s (about 19 time constants) it
     * has arrived. */
    cr_assert(fabs(y - 10.0) < 1e-3, "after 3 s: %g", y);
}

Test(one_euro, speed_raises_the_cutoff)
{
    /* With beta > 0 a fast ramp lags less than with beta = 0. */
    struct fc_one_euro slow, fast;
    fc_one_euro_init(&slow, 1.0, 0.0, 1.0);
    fc_one_euro_init(&fast, 1.0, 0.5, 1.0);
    double ys = 0, yf = 0, x = 0;
    for (int i = 0; i < 60; i++) {
        x = 100.0 * i / 30.0;
        ys = fc_one_euro_step(&slow, i / 30.0, x);
        yf = fc_one_euro_step(&fast, i / 30.0, x);
    }
    cr_assert(x - yf < 0.5 * (x - ys), "lag %g with beta vs %g without", x - yf, x - ys);
}

Test(one_euro, less_jitter_on_a_noisy_constant)
{
    struct fc_one_euro f;
    fc_one_euro_init(&f, 1.0, 0.007, 1.0);
    unsigned seed = 5;
    double ss_in = 0, ss_out = 0;
    for (int i = 0; i < 3000; i++) {
        double n = gauss(&seed);
        double y = fc_one_euro_step(&f, i / 60.0, 7.0 + n);
        if (i >= 60) {
            ss_in += n * n;
            ss_out += (y - 7.0) * (y - 7.0);
        }
    }
    cr_assert(sqrt(ss_out / ss_in) < 0.5, "jitter ratio %g", sqrt(ss_out / ss_in));
}

Test(one_euro, gaps_return_nan_and_keep_state)
{
    struct fc_one_euro f;
    fc_one_euro_init(&f, 1.0, 0.0, 1.0);
    fc_one_euro_step(&f, 0.0, 5.0);
    cr_assert(isnan(fc_one_euro_step(&f, 1.0 / 30, NAN)));
    cr_assert_eq(fc_one_euro_step(&f, 2.0 / 30, 5.0), 5.0);
}
