/* formcheck: Butterworth filtfilt and the One Euro filter (analysis/filter.h).
 *
 * The Butterworth low-pass is a cascade of biquads, each the bilinear
 * transform (frequency pre-warped to the cutoff) of one conjugate pole pair
 * of the analog prototype, so that the digital response is exactly
 * |H(f)|^2 = 1 / (1 + (tan(pi f / fs) / tan(pi fc / fs))^(2N)).
 * filtfilt runs it forwards and backwards: zero phase, |H|^2 overall, -6 dB
 * at fc (fc is the single-pass cutoff, as in scipy.signal.filtfilt). */
#include "analysis/filter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

#define MAX_SECTIONS 2

struct biquad {
    double b0, b1, b2, a1, a2;
};

/* Section k of an order-N Butterworth: Q_k = 1 / (2 cos(pi (2k+1) / (2N))). */
static void butter_design(double rate_hz, double cutoff_hz, int order, struct biquad *s)
{
    double K = tan(FC_PI * cutoff_hz / rate_hz);
    for (int k = 0; k < order / 2; k++) {
        double q = 1.0 / (2.0 * cos(FC_PI * (2 * k + 1) / (2.0 * order)));
        double norm = 1.0 / (1.0 + K / q + K * K);
        s[k].b0 = K * K * norm;
        s[k].b1 = 2.0 * s[k].b0;
        s[k].b2 = s[k].b0;
        s[k].a1 = 2.0 * (K * K - 1.0) * norm;
        s[k].a2 = (1.0 - K / q + K * K) * norm;
    }
}

/* One pass of the cascade over x[0..n) in place (transposed direct form II),
 * each section started in its steady state for a constant input x[0] (as
 * scipy's lfilter_zi), so a constant passes through with no transient. */
static void cascade_pass(const struct biquad *s, int n_sections, double *x, size_t n)
{
    for (int k = 0; k < n_sections; k++) {
        const struct biquad *q = &s[k];
        double c = x[0];
        double z2 = (q->b2 - q->a2) * c;
        double z1 = (q->b1 - q->a1) * c + z2;
        for (size_t i = 0; i < n; i++) {
            double in = x[i];
            double y = q->b0 * in + z1;
            z1 = q->b1 * in - q->a1 * y + z2;
            z2 = q->b2 * in - q->a2 * y;
            x[i] = y;
        }
    }
}

static void reverse(double *x, size_t n)
{
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        double t = x[i];
        x[i] = x[j];
        x[j] = t;
    }
}

/* Forward-backward over one gap-free run x[0..n), using buf (n + 2*pad). Odd
 * reflection about the end samples (2 x[0] - x[i]) extends the run so the
 * edges keep their level and slope, as scipy's default padding does. */
static void filtfilt_run(const struct biquad *s, int n_sections, double *x, size_t n, double *buf,
                         size_t pad)
{
    if (pad > n - 1)
        pad = n - 1;
    for (size_t i = 0; i < pad; i++)
        buf[i] = 2.0 * x[0] - x[pad - i];
    memcpy(buf + pad, x, n * sizeof *x);
    for (size_t i = 0; i < pad; i++)
        buf[pad + n + i] = 2.0 * x[n - 1] - x[n - 2 - i];
    size_t m = n + 2 * pad;
    cascade_pass(s, n_sections, buf, m);
    reverse(buf, m);
    cascade_pass(s, n_sections, buf, m);
    reverse(buf, m);
    memcpy(x, buf + pad, n * sizeof *x);
}

static int check_design(double rate_hz, double cutoff_hz, int order, struct fc_error *err)
{
    if (order != 2 && order != 4)
        return fc_error_set(err, FC_ERR_ARG, "Butterworth order %d: only 2 and 4 are supported",
                            order);
    if (!(rate_hz > 0) || !isfinite(rate_hz))
        return fc_error_set(err, FC_ERR_ARG, "low-pass: sample rate %g Hz is not positive",
                            rate_hz);
    if (!(cutoff_hz > 0) || !(cutoff_hz < 0.5 * rate_hz))
        return fc_error_set(err, FC_ERR_ARG,
                            "low-pass: cutoff %g Hz must lie between 0 and half the sample "
                            "rate (%g Hz)",
                            cutoff_hz, 0.5 * rate_hz);
    return 0;
}

/* Runs shorter than this are left as they are: too few samples for the
 * filter to mean anything. */
static size_t min_run(int order)
{
    return (size_t)(2 * order + 1);
}

/* Padding at each end: scipy's 3 * (order + 1), or two periods of the cutoff
 * when longer, so the start-up transient has died out before the data
 * begins (at 100 Hz and 6 Hz, 9 samples leave a 1.3% edge error on a slow
 * sine with order 2; 33 samples leave only the reflection's own 0.07%). */
static size_t pad_len(int order, double rate_hz, double cutoff_hz)
{
    size_t pad = (size_t)(3 * (order + 1));
    double periods = floor(2.0 * rate_hz / cutoff_hz + 0.5);
    return periods > (double)pad ? (size_t)periods : pad;
}

/* Filters every gap-free run of x[0..n) (NaN = gap) with buf (n + 2 pad) as
 * scratch. */
static void filtfilt_gaps(const struct biquad *s, int order, double *x, size_t n, double *buf,
                          size_t pad)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && isnan(x[i]))
            i++;
        size_t j = i;
        while (j < n && !isnan(x[j]))
            j++;
        if (j - i >= min_run(order))
            filtfilt_run(s, order / 2, x + i, j - i, buf, pad);
        i = j;
    }
}

int fc_filtfilt_butter(double *x, size_t n, double rate_hz, double cutoff_hz, int order,
                       struct fc_error *err)
{
    int rc = check_design(rate_hz, cutoff_hz, order, err);
    if (rc < 0)
        return rc;
    if (n < min_run(order))
        return 0;
    struct biquad s[MAX_SECTIONS];
    butter_design(rate_hz, cutoff_hz, order, s);
    size_t pad = pad_len(order, rate_hz, cutoff_hz);
    if (pad > n - 1)
        pad = n - 1;
    double *buf = malloc((n + 2 * pad) * sizeof *buf);
    if (!buf)
        return fc_error_set(err, FC_ERR_NOMEM, "low-pass: out of memory for %zu samples", n);
    filtfilt_gaps(s, order, x, n, buf, pad);
    free(buf);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The track's sample rate: rate_hz, else 1 / median time step. */
static double track_rate(const struct fc_pose_track *t, double *scratch)
{
    if (t->rate_hz > 0)
        return t->rate_hz;
    size_t m = 0;
    for (size_t i = 1; i < t->n_frames; i++) {
        double dt = t->frames[i].t_s - t->frames[i - 1].t_s;
        if (dt > 0 && isfinite(dt))
            scratch[m++] = dt;
    }
    if (m == 0)
        return 0;
    qsort(scratch, m, sizeof *scratch, cmp_double);
    double med = (m % 2) ? scratch[m / 2] : 0.5 * (scratch[m / 2 - 1] + scratch[m / 2]);
    return 1.0 / med;
}

int fc_track_lowpass(struct fc_pose_track *t, double cutoff_hz, struct fc_error *err)
{
    size_t n = t->n_frames;
    if (n < min_run(4))
        return 0;
    const int order = 4;
    double *buf = NULL;
    double *x = malloc(n * sizeof *x);
    int rc = 0;
    if (!x) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "low-pass: out of memory for %zu frames", n);
        goto done;
    }
    double rate_hz = track_rate(t, x);
    if (!(rate_hz > 0)) {
        rc = fc_error_set(err, FC_ERR_ARG,
                          "low-pass: the track has no sample rate and no increasing times");
        goto done;
    }
    rc = check_design(rate_hz, cutoff_hz, order, err);
    if (rc < 0)
        goto done;
    size_t pad = pad_len(order, rate_hz, cutoff_hz);
    if (pad > n - 1)
        pad = n - 1;
    buf = malloc((n + 2 * pad) * sizeof *buf);
    if (!buf) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "low-pass: out of memory for %zu frames", n);
        goto done;
    }
    struct biquad s[MAX_SECTIONS];
    butter_design(rate_hz, cutoff_hz, order, s);
    int dims = t->dims >= 3 ? 3 : 2;
    for (int j = 0; j < FC_JOINT_COUNT; j++) {
        for (int c = 0; c < dims; c++) {
            int any = 0;
            for (size_t i = 0; i < n; i++) {
                const struct fc_keypoints *k = &t->frames[i];
                float v = c == 0 ? k->x[j] : c == 1 ? k->y[j] : k->z[j];
                /* A joint the source did not see is a gap, whatever its coordinates. */
                x[i] = (k->score[j] > 0 && isfinite(v)) ? (double)v : NAN;
                any |= !isnan(x[i]);
            }
            if (!any)
                continue;
            filtfilt_gaps(s, order, x, n, buf, pad);
            for (size_t i = 0; i < n; i++) {
                if (isnan(x[i]))
                    continue;
                struct fc_keypoints *k = &t->frames[i];
                float *dst = c == 0 ? k->x : c == 1 ? k->y : k->z;
                dst[j] = (float)x[i];
            }
        }
    }
done:
    free(x);
    free(buf);
    return rc;
}

void fc_one_euro_init(struct fc_one_euro *f, double min_cutoff_hz, double beta, double d_cutoff_hz)
{
    memset(f, 0, sizeof *f);
    f->min_cutoff_hz = min_cutoff_hz;
    f->beta = beta;
    f->d_cutoff_hz = d_cutoff_hz;
}

/* Smoothing factor of a first-order low-pass at cutoff_hz for a step dt
 * (Casiez et al. 2012, eq. 2-3): alpha = 1 / (1 + tau / dt), tau = 1/(2 pi fc). */
static double one_euro_alpha(double cutoff_hz, double dt)
{
    double tau = 1.0 / (2.0 * FC_PI * cutoff_hz);
    return 1.0 / (1.0 + tau / dt);
}

double fc_one_euro_step(struct fc_one_euro *f, double t_s, double x)
{
    if (isnan(x))
        return NAN; /* a gap: the state waits, and the next dt spans the gap */
    if (!f->initialized) {
        f->x_prev = x;
        f->dx_prev = 0;
        f->t_prev = t_s;
        f->initialized = 1;
        return x;
    }
    double dt = t_s - f->t_prev;
    if (!(dt > 0))
        return f->x_prev; /* same instant again: nothing new to smooth */
    /* The speed is itself low-passed at d_cutoff; the cutoff then rises with
     * the speed, so slow motion is smoothed hard and fast motion lags little. */
    double dx = (x - f->x_prev) / dt;
    double edx = f->dx_prev + one_euro_alpha(f->d_cutoff_hz, dt) * (dx - f->dx_prev);
    double cutoff = f->min_cutoff_hz + f->beta * fabs(edx);
    double xh = f->x_prev + one_euro_alpha(cutoff, dt) * (x - f->x_prev);
    f->x_prev = xh;
    f->dx_prev = edx;
    f->t_prev = t_s;
    return xh;
}

void fc_one_euro_reset(struct fc_one_euro *f)
{
    f->initialized = 0;
}
