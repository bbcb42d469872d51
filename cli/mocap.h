/* formcheck CLI: a C3D's markers through the Plug-in Gait lower body, the
 * gait events and their comparison with what the file stores (its
 * PROCESSING measurements, its Plug-in Gait angles, its EVENT group).
 *
 *     struct fc_mocap mc;
 *     if (fc_cli_mocap_from_c3d(&c3d, &track, &mc) == 0) { ...; fc_mocap_free(&mc); }
 */
#ifndef FC_CLI_MOCAP_H
#define FC_CLI_MOCAP_H

#include "analysis/mocap.h"
#include "import/c3d.h"

/* 0 with mc filled; -1 when the file has no pelvis markers to build on
 * (mc then empty: the report has no motion-capture section). */
int fc_cli_mocap_from_c3d(const struct fc_c3d *c, const struct fc_pose_track *t,
                          struct fc_mocap *mc);

#endif
