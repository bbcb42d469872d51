/* formcheck: rep peaks (analysis/peaks.h). */
#include "analysis/peaks.h"

#include <math.h>
#include <string.h>

void fc_peaks_set_window(struct fc_peaks *p, double window_s, double dt)
{
    double wf = dt > 0 ? floor(window_s / dt + 0.5) : 1; /* NaN: no dt */
    int w = wf >= 1 && wf < PEAK_RING - 1 ? (int)wf : wf >= PEAK_RING - 1 ? PEAK_RING - 1 : 1;
    p->w = w = w < 1 ? 1 : (w | 1);
    /* Quadratic Savitzky-Golay, centre point, half-width h (w = 2h + 1):
     * c_k = 3 (3h^2 + 3h - 1 - 5k^2) / ((2h - 1)(2h + 1)(2h + 3)). */
    double h = (w - 1) / 2, den = (2 * h - 1) * (2 * h + 1) * (2 * h + 3);
    p->sg_alpha = w > 1 ? 3 * (3 * h * h + 3 * h - 1) / den : 1;
    p->sg_beta = w > 1 ? 15 / den : 0;
    /* Over k = -h..h: sum k^2 = w h (h + 1) / 3 and
     * sum k^4 = h (h + 1) (2h + 1) (3h^2 + 3h - 1) / 15. */
    p->fit_c = h * (h + 1) / 3;
    p->fit_n1 = w * p->fit_c;
    p->fit_n2 = h * (h + 1) * (2 * h + 1) * (3 * h * h + 3 * h - 1) / 15 - w * p->fit_c * p->fit_c;
}

void fc_peaks_reset(struct fc_peaks *p)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        for (int q = 0; q < PEAK_RING; q++)
            p->ring[m][q] = NAN;
        p->s0[m] = p->s1[m] = p->s2[m] = p->q[m] = 0;
        p->cnt[m] = 0;
        p->sigma[m] = NAN;
    }
}

/* Recomputes a metric's window moments from its ring (slot h is the
 * newest). */
static void resync(struct fc_peaks *p, int m, int h)
{
    int w = p->w;
    double s0 = 0, s1 = 0, s2 = 0, q = 0;
    int n = 0;
    for (int j = 0; j < w; j++) {
        float y = p->ring[m][(h - (w - 1) + j + PEAK_RING) % PEAK_RING];
        if (!isnan(y)) {
            s0 += y;
            s1 += (double)j * y;
            s2 += (double)j * j * y;
            q += (double)y * y;
            n++;
        }
    }
    p->s0[m] = s0;
    p->s1[m] = s1;
    p->s2[m] = s2;
    p->q[m] = q;
    p->cnt[m] = n;
}

/* The noise sigma of a whole window from its residuals about the quadratic
 * fit: in the orthogonal polynomials 1, k, k^2 - c (k = j - h) the fit takes
 * T0^2 / w + T1^2 / n1 + T2^2 / n2 of Q = sum y^2, and the rest, the
 * residual sum of squares, has w - 3 degrees of freedom. NaN under 5 frames. */
static float window_sigma(const struct fc_peaks *p, int m)
{
    int w = p->w;
    if (w < 5)
        return NAN;
    double hc = (w - 1) / 2, S0 = p->s0[m];
    double t1 = p->s1[m] - hc * S0;
    double t2 = p->s2[m] - 2 * hc * p->s1[m] + hc * hc * S0 - p->fit_c * S0;
    double rss = p->q[m] - S0 * S0 / w - t1 * t1 / p->fit_n1 - t2 * t2 / p->fit_n2;
    return rss > 0 ? (float)sqrt(rss / (w - 3)) : 0.0f; /* < 0: rounding of a noiseless fit */
}

/* O(1) per metric: the moments slide (j -> j - 1 for the values that stay):
 *   S0' = S0 - y_out + y_in
 *   S1' = S1 - (S0 - y_out) + (w - 1) y_in
 *   S2' = S2 - 2 S1 + (S0 - y_out) + (w - 1)^2 y_in
 *   Q'  = Q - y_out^2 + y_in^2
 * and the fit at the centre j = h is alpha S0 - beta (S2 - 2 h S1 + h^2 S0).
 * Non-finite values count as gaps, so the sums never turn into NaN. */
void fc_peaks_smooth(struct fc_peaks *p, const int *active, int n_active, const float *v, double t,
                     float *sm, float *su, double *t_mid)
{
    int w = p->w, h = p->head;
    if (w == 1) {
        memcpy(sm, v, FC_METRIC_COUNT * sizeof *sm);
        for (int m = 0; m < FC_METRIC_COUNT; m++)
            su[m] = NAN;
        *t_mid = t;
        return;
    }
    int old = (h - w + PEAK_RING) % PEAK_RING; /* the value leaving the window */
    int sync = ++p->since_sync >= PEAK_RESYNC;
    if (sync)
        p->since_sync = 0;
    double hc = (w - 1) / 2, wl = w - 1;
    p->t[h] = t;
    for (int i = 0; i < n_active; i++) {
        int m = active[i];
        float o = p->ring[m][old], x = v[m];
        double yo = 0, yi = 0;
        if (!isnan(o)) {
            yo = o;
            p->cnt[m]--;
        }
        if (!isfinite(x)) {
            x = NAN;
        } else {
            yi = x;
            p->cnt[m]++;
        }
        p->ring[m][h] = x;
        p->q[m] += yi * yi - yo * yo;
        double s0 = p->s0[m] - yo, s1 = p->s1[m];
        p->s2[m] += -2 * s1 + s0 + wl * wl * yi;
        p->s1[m] = s1 - s0 + wl * yi;
        p->s0[m] = s0 + yi;
        if (sync)
            resync(p, m, h);
        int n = p->cnt[m];
        double S0 = p->s0[m];
        if (n == w) {
            sm[m] = (float)(p->sg_alpha * S0 -
                            p->sg_beta * (p->s2[m] - 2 * hc * p->s1[m] + hc * hc * S0));
            p->sigma[m] = window_sigma(p, m);
            su[m] = p->sigma[m] * (float)sqrt(p->sg_alpha);
        } else if (2 * n > w) {
            sm[m] = (float)(S0 / n);
            su[m] = p->sigma[m] / sqrtf((float)n);
        } else {
            sm[m] = su[m] = NAN;
        }
    }
    *t_mid = p->t[(h - (w - 1) / 2 + PEAK_RING) % PEAK_RING];
    p->head = (h + 1) % PEAK_RING;
}

void fc_peaks_take(const int *active, int n_active, const float *sm, const float *su, double t_mid,
                   double t_bottom, const float *v, double t, float *peak, float *peak_u,
                   double *t_peak)
{
    for (int i = 0; i < n_active; i++) {
        int mm = active[i];
        float x = sm[mm];
        if (isnan(x))
            continue;
        float p = peak[mm];
        enum fc_metric_peak dir = fc_metric_info(mm)->peak;
        int better = isnan(p) ||
                     (dir == FC_PEAK_BOTTOM ? fabs(t_mid - t_bottom) < fabs(t_peak[mm] - t_bottom)
                      : dir == FC_PEAK_MAX  ? x > p
                                            : fabsf(x) > fabsf(p));
        if (better) {
            peak[mm] = x;
            peak_u[mm] = su[mm];
            t_peak[mm] = t_mid;
        }
    }
    for (int mm = FC_M_PELVIS_TILT_3D; mm <= FC_M_PELVIS_ROTATION_3D; mm++) {
        float x = v[mm];
        if (!isnan(x) && (isnan(peak[mm]) || fabsf(x) > fabsf(peak[mm]))) {
            peak[mm] = x;
            peak_u[mm] = NAN;
            t_peak[mm] = t;
        }
    }
}
