/* formcheck analysis: gait events and spatiotemporal parameters from
 * motion-capture markers.
 *
 * Events by Zeni et al. 2008 ("Two simple methods for determining gait
 * events during treadmill and overground walking using kinematic data",
 * Gait & Posture 27:710): along the direction of progression, a foot strike
 * is where the heel is furthest ahead of the sacrum, a foot off where the
 * toe is furthest behind it. The sacrum is the mid-PSIS point (or SACR), the
 * progression frame the pelvis module's (analysis/pelvis.h). Overground the
 * heel is furthest ahead when it moves as fast as the sacrum, before it has
 * slowed to land: strikes come early by construction (s00: median 5 frames
 * at 100 Hz), offs late; no offset is added (docs/validity.md).
 *
 * From the events: strides, stance, single and double support (as % of the
 * stride), step time and length, cadence, speed, and the left/right
 * symmetry index 100 |L - R| / ((L + R) / 2) of each.
 *
 *     struct fc_gait g;
 *     struct fc_gait_params gp = fc_gait_default_params();
 *     if (fc_gait_from_track(&track, &gp, &g, &err) == 0) {   // 3-D markers, mm
 *         printf("%.0f steps/min\n", g.cadence_steps_per_min);
 *         fc_gait_free(&g);
 *     }
 */
#ifndef FC_ANALYSIS_GAIT_H
#define FC_ANALYSIS_GAIT_H

#include "core/error.h"
#include "core/keypoints.h"

#include <stddef.h>

struct fc_gait_params {
    double min_step_s;        /* same-foot events closer than this are one event */
    double min_prominence_mm; /* a heel or toe excursion smaller than this is not a step */
};

struct fc_gait_params fc_gait_default_params(void);

enum fc_gait_event_kind { FC_GAIT_FOOT_STRIKE, FC_GAIT_FOOT_OFF };

struct fc_gait_event {
    enum fc_side side;
    enum fc_gait_event_kind kind;
    size_t frame; /* index into the track */
    double t_s;
};

struct fc_gait_side {
    int strides;          /* complete foot strike to foot strike cycles */
    double stride_time_s; /* means over the strides; NaN without one */
    double stride_length_mm;
    double step_time_s;        /* from the other foot's strike to this one's */
    double step_length_mm;     /* this heel ahead of the other at this strike */
    double stance_pct;         /* of the stride */
    double single_support_pct; /* this foot alone on the ground */
    double double_support_pct; /* both feet, both periods */
};

struct fc_gait {
    size_t n_events;
    struct fc_gait_event *events; /* sorted by frame */
    struct fc_gait_side side[2];
    double cadence_steps_per_min;
    double speed_m_s;
    /* symmetry index in %, 0 = symmetric; NaN when a side lacks the value */
    double step_length_asym_pct, step_time_asym_pct, single_support_asym_pct, stance_asym_pct;
};

/* Events and parameters of a 3-D marker track (heel, toe, PSIS or sacrum,
 * ASIS: Plug-in Gait or ISB names, core/keypoints.h). < 0 when the track
 * lacks them; a track with no step gives 0 events. */
int fc_gait_from_track(const struct fc_pose_track *t, const struct fc_gait_params *p,
                       struct fc_gait *out, struct fc_error *err);

/* The parameters of events given (from a file, or detected): fills out's
 * side[], cadence, speed and asymmetries. heel_fwd_mm[side] is each heel's
 * position along the progression, per frame (NaN allowed). */
void fc_gait_parameters(const struct fc_gait_event *ev, size_t n, const double *heel_fwd_mm[2],
                        double rate_hz, struct fc_gait *out);

void fc_gait_free(struct fc_gait *g);

/* One force plate's vertical force and where it lies. */
struct fc_gait_plate {
    const float *fz_n; /* sample i at fz_n[i * stride], newtons, either sign */
    size_t n_samples, stride;
    int samples_per_frame;   /* analog samples per marker frame */
    double corners_mm[4][3]; /* lab coordinates */
};

/* Foot strikes and foot offs from a plate: a strike where |Fz| first rises
 * above threshold_n, an off where it falls below it again; each given to
 * the foot whose heel (strike) or toe (off) is nearest the plate's centre
 * then. Appends to *ev (realloc'ed; *n counts). Returns the number added,
 * < 0 on allocation failure. */
int fc_gait_plate_events(const struct fc_gait_plate *pl, const struct fc_pose_track *t,
                         double threshold_n, struct fc_gait_event **ev, size_t *n,
                         struct fc_error *err);

/* Detected against reference events: each reference event is paired with
 * the nearest detected one of the same side and kind within tolerance. */
struct fc_gait_match {
    long reference, matched;
    double median_abs_frames;    /* |detected - reference|, median over matches */
    double median_signed_frames; /* detected - reference: the method's bias */
    double max_abs_frames;
};
void fc_gait_compare(const struct fc_gait_event *detected, size_t n_detected,
                     const struct fc_gait_event *reference, size_t n_reference,
                     double tolerance_frames, struct fc_gait_match *out);

#endif
