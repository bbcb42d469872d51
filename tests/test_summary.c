/* The session summary (analysis/summary.h) alone: the statistics of rep
 * peaks 1, 2, 3 are mean 2, SD 1, max 3; of frames -1, 4, NaN: mean 1.5,
 * min -1, max 4 over two frames; the asymmetry is the left-credited mean
 * minus the right-credited mean. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "analysis/summary.h"

static struct fc_summary s;
static struct fc_analysis res;

static struct fc_rep rep(int side, int metric, float x)
{
    struct fc_rep r;
    memset(&r, 0, sizeof r);
    r.side = side;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        r.peak[m] = NAN;
    r.peak[metric] = x;
    return r;
}

static void fill(void)
{
    unsigned char measurable[FC_METRIC_COUNT];
    memset(measurable, 1, sizeof measurable);
    memset(&res, 0, sizeof res);
    fc_summary_fill(&s, measurable, 0, &res);
}

Test(summary, rep_peaks_and_frames)
{
    fc_summary_init(&s);
    for (int i = 1; i <= 3; i++) {
        struct fc_rep r = rep(-1, FC_M_DEPTH, (float)i);
        fc_summary_add_rep(&s, &r);
    }
    const int active[1] = {FC_M_DEPTH};
    const float frames[3] = {-1, 4, NAN};
    for (int i = 0; i < 3; i++) {
        float v[FC_METRIC_COUNT];
        for (int m = 0; m < FC_METRIC_COUNT; m++)
            v[m] = NAN;
        v[FC_M_DEPTH] = frames[i];
        fc_summary_add_frame(&s, active, 1, v, 0);
    }
    fill();
    const struct fc_metric_summary *d = &res.metric[FC_M_DEPTH];
    cr_expect_eq(d->reps, 3);
    cr_expect_float_eq(d->mean_peak, 2.0, 1e-6);
    cr_expect_float_eq(d->sd_peak, 1.0, 1e-6);
    cr_expect_float_eq(d->max_peak, 3.0, 0);
    cr_expect_eq(d->frames, 2);
    cr_expect_float_eq(d->frame_mean, 1.5, 1e-6);
    cr_expect_float_eq(d->frame_min, -1.0, 0);
    cr_expect_float_eq(d->frame_max, 4.0, 0);
    /* Nothing else was seen. */
    const struct fc_metric_summary *k = &res.metric[FC_M_KNEE_FLEXION_LEFT];
    cr_expect_eq(k->reps, 0);
    cr_expect(isnan(k->mean_peak) && isnan(k->frame_mean));
    /* The 3-D angles are measurable only when fed. */
    cr_expect_eq(res.metric[FC_M_PELVIS_TILT_3D].measurable, 0);
    cr_expect_eq(res.metric[FC_M_DEPTH].measurable, 1);
}

Test(summary, asymmetry_counts_each_side_where_it_is_credited)
{
    fc_summary_init(&s);
    /* Two-legged reps count both knees: left FPPA 10 and 6, right 4. */
    struct fc_rep r = rep(-1, FC_M_KNEE_FPPA_LEFT, 10);
    r.peak[FC_M_KNEE_FPPA_RIGHT] = 4;
    fc_summary_add_rep(&s, &r);
    /* A rep on the left leg says nothing of the right knee. */
    r = rep(FC_SIDE_LEFT, FC_M_KNEE_FPPA_LEFT, 6);
    r.peak[FC_M_KNEE_FPPA_RIGHT] = 100;
    fc_summary_add_rep(&s, &r);
    fill();
    cr_expect_float_eq(res.asymmetry_fppa_deg, (10 + 6) / 2.0 - 4, 1e-6);
    cr_expect(isnan(res.asymmetry_knee_flexion_deg));
    /* Hip drop: left stance 5 and 7, right stance 2. */
    fc_summary_init(&s);
    const int side[3] = {FC_SIDE_LEFT, FC_SIDE_LEFT, FC_SIDE_RIGHT};
    const float drop[3] = {5, 7, 2};
    for (int i = 0; i < 3; i++) {
        r = rep(side[i], FC_M_HIP_DROP, drop[i]);
        fc_summary_add_rep(&s, &r);
    }
    r = rep(-1, FC_M_HIP_DROP, 50); /* no side: not in the asymmetry */
    fc_summary_add_rep(&s, &r);
    fill();
    cr_expect_float_eq(res.asymmetry_hip_drop_deg, 6.0 - 2.0, 1e-6);
}
