/* formcheck: the session summary. Running statistics of every metric over
 * the frames (mean, min, max) and over the reps' peaks (mean, SD, max), and
 * the left-right asymmetry of the rep peaks; fc_summary_fill writes them
 * into an fc_analysis. Internal to analysis/.
 *
 *     struct fc_summary s;
 *     fc_summary_init(&s);
 *     for (each frame) fc_summary_add_frame(&s, active, n_active, v, out_of_plane);
 *     for (each closed rep) fc_summary_add_rep(&s, &rep);
 *     fc_summary_fill(&s, measurable, any_3d, &res);   // res.metric[], asymmetry
 */
#ifndef FC_ANALYSIS_SUMMARY_H
#define FC_ANALYSIS_SUMMARY_H

#include <stdint.h>

#include "analysis/analyzer.h"

struct fc_summary {
    long m_frames[FC_METRIC_COUNT];
    double m_sum[FC_METRIC_COUNT];
    float m_min[FC_METRIC_COUNT], m_max[FC_METRIC_COUNT];
    long pk_n[FC_METRIC_COUNT];
    double pk_sum[FC_METRIC_COUNT], pk_sumsq[FC_METRIC_COUNT];
    float pk_max[FC_METRIC_COUNT];      /* the most extreme peak in the fault direction */
    long out_of_plane[FC_METRIC_COUNT]; /* frames a metric was not measurable: leg out of plane */
    /* asymmetry: [fppa, knee flexion, hip drop][side] sums of rep peaks */
    double asym_sum[3][2];
    long asym_n[3][2];
};

void fc_summary_init(struct fc_summary *s);
/* One frame's values of the active (planar) metrics; NaN = no value. */
/* out_of_plane: bit m set when metric m could not be measured in this frame
 * because of the depth (fc_frame_metrics.out_of_plane). */
void fc_summary_add_frame(struct fc_summary *s, const int *active, int n_active, const float *v,
                          uint32_t out_of_plane);
/* One frame's 3-D pelvis angles. */
void fc_summary_add_3d(struct fc_summary *s, const float *v);
/* A closed rep: its peaks, and its side for the asymmetry (a rep credited to
 * one side counts only that side's value). */
void fc_summary_add_rep(struct fc_summary *s, const struct fc_rep *r);
/* res->metric[] (measurable: per metric, 1 when the view supports it;
 * any_3d: the 3-D angles were fed) and the asymmetries. */
void fc_summary_fill(const struct fc_summary *s, const unsigned char *measurable, int any_3d,
                     struct fc_analysis *res);

#endif
