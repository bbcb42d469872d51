#include "pipeline/mocap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The file's foot strikes and offs as frames of its point data. */
static size_t file_events(const struct fc_c3d *c, struct fc_gait_event **out)
{
    struct fc_c3d_event *ev = NULL;
    size_t n = 0, m = 0;
    struct fc_error err = {0};
    *out = NULL;
    if (fc_c3d_events(c, &ev, &n, &err) < 0 || n == 0)
        return 0;
    *out = calloc(n, sizeof **out);
    for (size_t i = 0; *out && i < n; i++) {
        int strike = strncasecmp(ev[i].label, "Foot Strike", 11) == 0;
        int off = strncasecmp(ev[i].label, "Foot Off", 8) == 0;
        int left = strcasecmp(ev[i].context, "Left") == 0;
        int right = strcasecmp(ev[i].context, "Right") == 0;
        /* event times count from frame 1 at 0 s */
        long frame = lround(ev[i].t_s * c->point_rate_hz) - (c->first_frame - 1);
        if (!(strike || off) || !(left || right) || frame < 0 || frame >= c->n_frames)
            continue;
        (*out)[m++] = (struct fc_gait_event){left ? FC_SIDE_LEFT : FC_SIDE_RIGHT,
                                             strike ? FC_GAIT_FOOT_STRIKE : FC_GAIT_FOOT_OFF,
                                             (size_t)frame, ev[i].t_s};
    }
    free(ev);
    return m;
}

/* Detected and stored events are paired within this many frames at 100 Hz
 * scaled to the file's rate: a quarter of a fast stride. */
static const double pair_window_s = 0.15;
/* A foot on a force plate: above 20 N (about 3% of body weight), clear of
 * the plate's noise. */
static const double plate_threshold_n = 20.0;

int fc_pipeline_mocap_from_c3d(const struct fc_c3d *c, const struct fc_pose_track *t,
                               struct fc_mocap *mc)
{
    memset(mc, 0, sizeof *mc);
    double mm = fc_c3d_units_mm(c->units);
    if (mm == 0.0)
        return -1;
    struct fc_pig_markers m;
    fc_pig_markers_bind(&m, c->labels[0], FC_C3D_LABEL_MAX, (size_t)c->n_points, c->xyz,
                        (size_t)c->n_frames, mm);
    struct fc_pig_params p = fc_pig_default_params();
    for (size_t i = 0; i < c->n_params; i++)
        if (strcasecmp(c->params[i].group, "PROCESSING") == 0 && c->params[i].values &&
            c->params[i].count == 1)
            fc_pig_params_set(&p, c->params[i].name, c->params[i].values[0]);
    struct fc_error err = {0};
    if (fc_mocap_analyze(&m, &p, t, mc, &err) < 0)
        return -1;
    /* Plug-in Gait's own angles, where the file holds them */
    static const struct {
        const char *name;
        enum fc_pig_joint joint;
    } stored[] = {{"HipAngles", FC_PIG_HIP},
                  {"KneeAngles", FC_PIG_KNEE},
                  {"AnkleAngles", FC_PIG_ANKLE},
                  {"FootProgressAngles", FC_PIG_FOOT_PROGRESSION}};
    for (size_t k = 0; mc->pig.frames_with_legs > 0 && k < sizeof stored / sizeof stored[0]; k++)
        for (int s = 0; s < 2; s++) {
            char name[32];
            snprintf(name, sizeof name, "%c%s", s ? 'R' : 'L', stored[k].name);
            int idx = fc_c3d_find_point(c, name);
            if (idx >= 0)
                fc_mocap_add_reference(mc, name, (enum fc_side)s, stored[k].joint,
                                       fc_c3d_point(c, 0, idx), (size_t)c->n_points * 3);
        }
    for (int k = 0; k < fc_c3d_plate_count(c); k++) {
        struct fc_gait_plate pl = {.samples_per_frame = c->analog_samples_per_frame};
        if (fc_c3d_plate_fz(c, k, &pl.fz_n, &pl.stride, &pl.n_samples, pl.corners_mm) == 0)
            fc_gait_plate_events(&pl, t, plate_threshold_n, &mc->plate_events, &mc->n_plate_events,
                                 &err);
    }
    struct fc_gait_event *ref = NULL;
    size_t nr = file_events(c, &ref);
    double window = pair_window_s * c->point_rate_hz;
    if (nr > 0 && mc->has_gait) {
        mc->has_file_events = 1;
        fc_gait_compare(mc->gait.events, mc->gait.n_events, ref, nr, window, &mc->events_vs_file);
    }
    if (nr > 0 && mc->n_plate_events > 0) {
        mc->has_plate_vs_file = 1;
        fc_gait_compare(ref, nr, mc->plate_events, mc->n_plate_events, window, &mc->plate_vs_file);
    }
    free(ref);
    return 0;
}

int fc_pipeline_mocap_from_trc(const struct fc_trc *trc, const struct fc_pose_track *t,
                               struct fc_mocap *mc)
{
    memset(mc, 0, sizeof *mc);
    double mm = fc_trc_mm_per_unit(trc);
    if (mm == 0.0)
        return -1;
    struct fc_pig_markers m;
    fc_pig_markers_bind(&m, trc->labels[0], FC_TRC_LABEL_MAX, (size_t)trc->n_markers, trc->xyz,
                        (size_t)trc->n_frames, mm);
    struct fc_pig_params p = fc_pig_default_params();
    struct fc_error err = {0};
    return fc_mocap_analyze(&m, &p, t, mc, &err) < 0 ? -1 : 0;
}

int fc_pipeline_trc_from_c3d(const struct fc_c3d *c, struct fc_trc *out, struct fc_error *err)
{
    int rc = fc_trc_alloc(out, c->n_frames, c->n_points, err);
    if (rc < 0)
        return rc;
    out->rate_hz = c->point_rate_hz;
    out->first_frame = c->first_frame;
    snprintf(out->units, sizeof out->units, "%s", c->units);
    for (int i = 0; i < c->n_points; i++)
        snprintf(out->labels[i], FC_TRC_LABEL_MAX, "%s", c->labels[i]);
    for (int f = 0; f < c->n_frames; f++)
        out->t_s[f] = ((double)c->first_frame - 1.0 + f) / c->point_rate_hz;
    memcpy(out->xyz, c->xyz, (size_t)c->n_frames * (size_t)c->n_points * 3 * sizeof *out->xyz);
    return 0;
}
