/* formcheck import: TRC marker files (OpenSim's track row column format, as
 * OpenSim, Pose2Sim, OpenCap and Sports2D write them), read and written.
 *
 * Layout (tab-separated text):
 *   PathFileType  4  (X/Y/Z)  name.trc
 *   DataRate CameraRate NumFrames NumMarkers Units OrigDataRate OrigDataStartFrame OrigNumFrames
 *   100  100  493  16  mm  100  1  493
 *   Frame#  Time  LASI        RASI ...
 *                 X1  Y1  Z1  X2  Y2  Z2 ...
 *   (an optional blank line)
 *   1  0.000  x  y  z  ...      one row per frame; an empty or NaN cell = missing
 * The reader checks every number and count and names the line and column
 * of what is wrong; it counts the rows itself rather than trusting
 * NumFrames. The writer prints floats with 9 significant digits, so what it
 * writes reads back bit for bit; the file is complete or absent.
 *
 *     struct fc_trc trc;
 *     if (fc_trc_read("walk.trc", &trc, &err) < 0) { puts(err.msg); return 1; }
 *     const float *p = fc_trc_point(&trc, frame, marker);   // x, y, z in trc.units
 *     fc_trc_free(&trc);
 */
#ifndef FC_IMPORT_TRC_H
#define FC_IMPORT_TRC_H

#include "core/error.h"
#include "core/keypoints.h"

#define FC_TRC_LABEL_MAX 64

struct fc_trc {
    double rate_hz;
    int first_frame; /* the first row's Frame# */
    int n_frames;
    int n_markers;
    char units[16];                   /* "mm", "m" */
    char (*labels)[FC_TRC_LABEL_MAX]; /* n_markers */
    double *t_s;                      /* n_frames: the Time column */
    float *xyz;                       /* n_frames * n_markers * 3; NaN = missing */
};

int fc_trc_read(const char *path, struct fc_trc *out, struct fc_error *err);
int fc_trc_write(const char *path, const struct fc_trc *t, struct fc_error *err);
void fc_trc_free(struct fc_trc *t);

/* An empty TRC of n_frames x n_markers, everything NaN, labels "". */
int fc_trc_alloc(struct fc_trc *t, int n_frames, int n_markers, struct fc_error *err);

static inline float *fc_trc_point(const struct fc_trc *t, int frame, int marker)
{
    return t->xyz + ((long)frame * t->n_markers + marker) * 3;
}

/* Millimetres per unit of t->units (mm, cm, m); 0 when unknown. */
double fc_trc_mm_per_unit(const struct fc_trc *t);

/* The markers that are canonical joints (fc_joint_from_marker), as a 3-D
 * track in mm with t_s from the Time column. */
int fc_trc_to_track(const struct fc_trc *trc, struct fc_pose_track *t, struct fc_error *err);

#endif
