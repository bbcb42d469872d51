/* formcheck: rep peaks. A running centred quadratic Savitzky-Golay fit
 * smooths each metric before its extreme is taken (a pose model's jitter
 * would otherwise push every maximum up by about two standard deviations),
 * and each metric's extreme is kept in its fault direction (the peak
 * direction of the metric table, analysis/metrics.h).
 * Internal to analysis/; window and ring sizes in analysis/tuning.h.
 *
 *     struct fc_peaks p = {0};                    // ring position and resync count at 0
 *     fc_peaks_set_window(&p, 0.4, 1.0 / 30);     // 0.4 s at 30 fps: 13 frames
 *     fc_peaks_reset(&p);
 *     int active[] = {FC_M_DEPTH};
 *     for (each frame) {
 *         float sm[FC_METRIC_COUNT], su[FC_METRIC_COUNT]; double t_mid;
 *         fc_peaks_smooth(&p, active, 1, v, t, sm, su, &t_mid);   // (w-1)/2 frames back
 *         fc_peaks_take(active, 1, sm, su, t_mid, t_bottom, v, t, peak, peak_u, t_peak);
 *     }
 *
 * O(1) per metric and frame, no allocation.
 */
#ifndef FC_ANALYSIS_PEAKS_H
#define FC_ANALYSIS_PEAKS_H

#include "analysis/metrics.h"
#include "analysis/tuning.h"

/* Per metric a ring of the last values (NaN = gap) and the window's moments
 * S0 = sum y, S1 = sum j y, S2 = sum j^2 y and Q = sum y^2 (j = 0 oldest ..
 * w - 1 newest, gaps as 0) with its count of values. Q gives the residuals
 * about the fit, hence the metric's own frame-to-frame noise. */
struct fc_peaks {
    int w, head, since_sync;
    double sg_alpha, sg_beta; /* centre coefficient c_k = alpha - beta k^2 */
    /* The fit in polynomials orthogonal over k = -h..h: 1, k, k^2 - fit_c,
     * with squared norms w, fit_n1, fit_n2. */
    double fit_c, fit_n1, fit_n2;
    float ring[FC_METRIC_COUNT][PEAK_RING];
    double s0[FC_METRIC_COUNT], s1[FC_METRIC_COUNT], s2[FC_METRIC_COUNT], q[FC_METRIC_COUNT];
    int cnt[FC_METRIC_COUNT];
    /* The noise sigma of the last whole window, per metric (NaN: none yet),
     * for the standard error of a window with gaps. */
    float sigma[FC_METRIC_COUNT];
    double t[PEAK_RING];
};

/* The window in frames from window_s and the frame step dt_s (odd, at most
 * PEAK_RING - 1; 1 = no smoothing, also when dt_s is 0 or NaN). */
void fc_peaks_set_window(struct fc_peaks *p, double window_s, double dt_s);
/* Forgets every metric's values (a new set of metrics is measured); the
 * window and the ring position stay. */
void fc_peaks_reset(struct fc_peaks *p);
/* Pushes this frame's values v of the active metrics; sm[] receives the
 * smoothed value of the frame (w - 1) / 2 back, at *t_mid: the quadratic
 * fit when the whole window was seen, the mean of what was seen when more
 * than half was, else NaN. With w = 1, sm = v.
 * su[] receives sm's standard error from the metric's own jitter: the noise
 * sigma from the residuals of the window's values about the fit (RSS over
 * w - 3 degrees of freedom) times sqrt(c_0), c_0 the fit's centre
 * coefficient (for a least-squares fit c_0 = sum c_k^2, the variance ratio
 * of the smoothed value); for the mean of a window with gaps, the last
 * whole window's sigma over sqrt(n). NaN where sm is, and where no sigma is
 * known: a window under 5 frames leaves the residuals fewer than 2 degrees
 * of freedom, and with w = 1 there is no fit. */
void fc_peaks_smooth(struct fc_peaks *p, const int *active, int n_active, const float *v, double t,
                     float *sm, float *su, double *t_mid);
/* Keeps the extremes in the fault direction: for the active metrics from
 * sm at t_mid (their standard errors su into peak_u), for the 3-D pelvis
 * angles from the raw v at t (peak_u NaN: a raw marker angle's jitter is
 * not estimated). A metric whose peak is its value at the bottom
 * (FC_PEAK_BOTTOM) keeps the smoothed value whose time is nearest t_bottom
 * so far; the bottom may still move, and a later frame nearer replaces it. */
void fc_peaks_take(const int *active, int n_active, const float *sm, const float *su, double t_mid,
                   double t_bottom, const float *v, double t, float *peak, float *peak_u,
                   double *t_peak);

#endif
