/* formcheck: the session summary (analysis/summary.h). */
#include "analysis/summary.h"

#include <math.h>
#include <string.h>

enum { ASYM_FPPA, ASYM_KNEE_FLEXION, ASYM_HIP_DROP, ASYM_COUNT };

void fc_summary_init(struct fc_summary *s)
{
    memset(s, 0, sizeof *s);
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        s->m_min[m] = INFINITY;
        s->m_max[m] = -INFINITY;
        s->pk_max[m] = -INFINITY;
    }
}

void fc_summary_add_frame(struct fc_summary *s, const int *active, int n_active, const float *v,
                          uint32_t out_of_plane)
{
    for (int m = 0; out_of_plane && m < FC_METRIC_COUNT; m++)
        s->out_of_plane[m] += (out_of_plane >> m) & 1u;
    for (int i = 0; i < n_active; i++) {
        int mm = active[i];
        float raw = v[mm];
        if (!isnan(raw)) {
            s->m_frames[mm]++;
            s->m_sum[mm] += raw;
            s->m_min[mm] = raw < s->m_min[mm] ? raw : s->m_min[mm];
            s->m_max[mm] = raw > s->m_max[mm] ? raw : s->m_max[mm];
        }
    }
}

void fc_summary_add_3d(struct fc_summary *s, const float *v)
{
    for (int mm = FC_M_PELVIS_TILT_3D; mm <= FC_M_PELVIS_ROTATION_3D; mm++) {
        float x = v[mm];
        if (isnan(x))
            continue;
        s->m_frames[mm]++;
        s->m_sum[mm] += x;
        if (x < s->m_min[mm])
            s->m_min[mm] = x;
        if (x > s->m_max[mm])
            s->m_max[mm] = x;
    }
}

void fc_summary_add_rep(struct fc_summary *s, const struct fc_rep *r)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        float x = r->peak[m];
        if (isnan(x))
            continue;
        s->pk_n[m]++;
        s->pk_sum[m] += x;
        s->pk_sumsq[m] += (double)x * x;
        /* The most extreme peak in the fault direction: the smallest for the
         * knee-to-ankle separation, whose fault is a fall. */
        int min = m == FC_M_KNEE_ANKLE_SEP;
        if (isinf(s->pk_max[m]) || (min ? x < s->pk_max[m] : x > s->pk_max[m]))
            s->pk_max[m] = x;
    }
    static const int pairs[2] = {FC_M_KNEE_FPPA_LEFT, FC_M_KNEE_FLEXION_LEFT};
    for (int q = 0; q < 2; q++)
        for (int side = 0; side < 2; side++) {
            float x = r->peak[pairs[q] + side];
            if (!isnan(x) && (r->side < 0 || r->side == side)) {
                s->asym_sum[q][side] += x;
                s->asym_n[q][side]++;
            }
        }
    if (r->side >= 0 && !isnan(r->peak[FC_M_HIP_DROP])) {
        s->asym_sum[ASYM_HIP_DROP][r->side] += r->peak[FC_M_HIP_DROP];
        s->asym_n[ASYM_HIP_DROP][r->side]++;
    }
}

static void fill_metric(const struct fc_summary *s, int m, struct fc_metric_summary *o)
{
    o->frames = s->m_frames[m];
    o->frames_out_of_plane = s->out_of_plane[m];
    o->frame_mean = o->frames ? (float)(s->m_sum[m] / (double)o->frames) : NAN;
    o->frame_min = o->frames ? s->m_min[m] : NAN;
    o->frame_max = o->frames ? s->m_max[m] : NAN;
    long n = s->pk_n[m];
    o->reps = n;
    if (n) {
        double mean = s->pk_sum[m] / (double)n;
        double var = n > 1 ? (s->pk_sumsq[m] - (double)n * mean * mean) / (double)(n - 1) : 0;
        o->mean_peak = (float)mean;
        o->sd_peak = (float)sqrt(var > 0 ? var : 0);
        o->max_peak = s->pk_max[m];
    } else {
        o->mean_peak = o->sd_peak = o->max_peak = NAN;
    }
}

void fc_summary_fill(const struct fc_summary *s, const unsigned char *measurable, int any_3d,
                     struct fc_analysis *res)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        int is3d = fc_metric_info((enum fc_metric)m)->plane == FC_PLANE_3D;
        res->metric[m].measurable = is3d ? any_3d : measurable[m];
        fill_metric(s, m, &res->metric[m]);
    }
    float asym[ASYM_COUNT];
    for (int q = 0; q < ASYM_COUNT; q++)
        asym[q] = s->asym_n[q][0] && s->asym_n[q][1]
                      ? (float)(s->asym_sum[q][0] / (double)s->asym_n[q][0] -
                                s->asym_sum[q][1] / (double)s->asym_n[q][1])
                      : NAN;
    res->asymmetry_fppa_deg = asym[ASYM_FPPA];
    res->asymmetry_knee_flexion_deg = asym[ASYM_KNEE_FLEXION];
    res->asymmetry_hip_drop_deg = asym[ASYM_HIP_DROP];
}
