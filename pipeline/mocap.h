/* formcheck pipeline: a C3D's markers through the Plug-in Gait lower body, the
 * gait events and their comparison with what the file stores (its
 * PROCESSING measurements, its Plug-in Gait angles, its EVENT group).
 *
 *     struct fc_mocap mc;
 *     if (fc_pipeline_mocap_from_c3d(&c3d, &track, &mc) == 0) { ...; fc_mocap_free(&mc); }
 */
#ifndef FC_PIPELINE_MOCAP_H
#define FC_PIPELINE_MOCAP_H

#include "analysis/mocap.h"
#include "import/c3d.h"
#include "import/trc.h"

/* 0 with mc filled; -1 when the file has no pelvis markers to build on
 * (mc then empty: the report has no motion-capture section). */
int fc_pipeline_mocap_from_c3d(const struct fc_c3d *c, const struct fc_pose_track *t,
                               struct fc_mocap *mc);

/* The same from a TRC's markers (no stored angles or events to compare). */
int fc_pipeline_mocap_from_trc(const struct fc_trc *trc, const struct fc_pose_track *t,
                               struct fc_mocap *mc);

/* A C3D's points as a TRC (all of them, in the C3D's units, times from its
 * first frame), for --trc-out. */
int fc_pipeline_trc_from_c3d(const struct fc_c3d *c, struct fc_trc *out, struct fc_error *err);

#endif
