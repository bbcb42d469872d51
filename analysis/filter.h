/* formcheck: smoothing keypoint tracks.
 *
 * Offline: a zero-lag low-pass, a Butterworth filter of order 2*n_sections
 * run forwards then backwards (filtfilt), as Sports2D and OpenCap do (4th
 * order at 6 Hz by default). Gaps (NaN) split the signal: each run between
 * gaps is filtered on its own and gaps stay gaps; runs too short to filter
 * are left as they are.
 * Live: the One Euro filter (Casiez et al. 2012), a speed-adaptive low-pass
 * with no look-ahead. */
#ifndef FC_ANALYSIS_FILTER_H
#define FC_ANALYSIS_FILTER_H

#include <stddef.h>

#include "core/error.h"
#include "core/keypoints.h"

/* Zero-lag low-pass of x[0..n) sampled at rate_hz, in place. order is 2 or 4. */
int fc_filtfilt_butter(double *x, size_t n, double rate_hz, double cutoff_hz, int order,
                       struct fc_error *err);

/* Every joint coordinate of a 2-D or 3-D track, in place. Uses the track's
 * rate_hz, or the median time step when rate_hz is 0. */
int fc_track_lowpass(struct fc_pose_track *t, double cutoff_hz, struct fc_error *err);

struct fc_one_euro {
    double min_cutoff_hz, beta, d_cutoff_hz;
    double x_prev, dx_prev, t_prev;
    int initialized;
};

void fc_one_euro_init(struct fc_one_euro *f, double min_cutoff_hz, double beta, double d_cutoff_hz);
double fc_one_euro_step(struct fc_one_euro *f, double t_s, double x);
/* Forgets the signal (a gap): the next step starts afresh, as after init. */
void fc_one_euro_reset(struct fc_one_euro *f);

#endif
