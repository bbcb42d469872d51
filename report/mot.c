#include "report/mot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/outfile.h"

static const char *const joint_cols[FC_PIG_JOINT_COUNT][3] = {
    {"pelvis_tilt", "pelvis_obliquity", "pelvis_rotation"},
    {"hip_flexion", "hip_adduction", "hip_rotation"},
    {"knee_flexion", "knee_varus", "knee_rotation"},
    {"ankle_dorsiflexion", "ankle_inversion", "ankle_rotation"},
    {"foot_tilt", "foot_roll", "foot_progression"},
    {"thorax_tilt", "thorax_obliquity", "thorax_rotation"}};

void fc_mot_column_name(enum fc_pig_joint j, int c, enum fc_side s, char *buf, size_t cap)
{
    if ((unsigned)j >= FC_PIG_JOINT_COUNT || c < 0 || c > 2) {
        snprintf(buf, cap, "?");
        return;
    }
    snprintf(buf, cap, "%s_%c", joint_cols[j][c], s == FC_SIDE_RIGHT ? 'r' : 'l');
}

int fc_mot_write_pig(const char *path, const struct fc_pig_output *o, const double *t_s,
                     struct fc_error *err)
{
    if (!o || !o->angle_deg || !t_s)
        return fc_error_set(err, FC_ERR_ARG, "%s: no angles to write", path);
    const char *base = strrchr(path, '/');
    struct fc_outfile out;
    int rc = fc_outfile_open(&out, path, err);
    if (rc < 0)
        return rc;
    FILE *fp = out.fp;
    fprintf(fp, "%s\nversion=1\nnRows=%zu\nnColumns=%d\ninDegrees=yes\nendheader\ntime",
            base ? base + 1 : path, o->n_frames, 1 + 2 * FC_PIG_JOINT_COUNT * 3);
    for (int s = 0; s < 2; s++)
        for (int j = 0; j < FC_PIG_JOINT_COUNT; j++)
            for (int c = 0; c < 3; c++) {
                char name[48];
                fc_mot_column_name((enum fc_pig_joint)j, c, (enum fc_side)s, name, sizeof name);
                fprintf(fp, "\t%s", name);
            }
    fputc('\n', fp);
    for (size_t i = 0; i < o->n_frames; i++) {
        fprintf(fp, "%.9g", t_s[i]);
        for (int s = 0; s < 2; s++)
            for (int j = 0; j < FC_PIG_JOINT_COUNT; j++) {
                const double *a = fc_pig_angle(o, i, (enum fc_side)s, (enum fc_pig_joint)j);
                for (int c = 0; c < 3; c++) {
                    if (isfinite(a[c]))
                        fprintf(fp, "\t%.9g", a[c]);
                    else
                        fputs("\tNaN", fp);
                }
            }
        fputc('\n', fp);
    }
    return fc_outfile_commit(&out, err);
}
