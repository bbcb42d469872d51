/* formcheck report: joint angles as an OpenSim motion file (.mot), so that
 * they open in OpenSim beside the markers' TRC (import/trc.h).
 *
 * A storage file: a name line, version=1, nRows, nColumns, inDegrees=yes,
 * endheader, then a tab-separated table "time" + one column per angle.
 * The columns are Plug-in Gait's angles (analysis/pig.h) with OpenSim-style
 * names and _l / _r suffixes (hip_flexion_l, hip_adduction_l,
 * hip_rotation_l, knee_flexion_l, ...): Plug-in Gait's definitions and
 * signs, not an OpenSim model's coordinates. Missing values are NaN. The
 * file is complete or absent.
 *
 *     fc_mot_write_pig("walk.mot", &pig_output, t_s, &err);
 */
#ifndef FC_REPORT_MOT_H
#define FC_REPORT_MOT_H

#include "analysis/pig.h"

/* The column of angle c (0..2) of joint j on side s: "hip_flexion_l". The
 * per-frame CSV report uses the same names. */
void fc_mot_column_name(enum fc_pig_joint j, int c, enum fc_side s, char *buf, size_t cap);

/* t_s: the time of each of o->n_frames frames. */
int fc_mot_write_pig(const char *path, const struct fc_pig_output *o, const double *t_s,
                     struct fc_error *err);

#endif
