/* formcheck analysis: a motion-capture walk analysed in full.
 *
 * Runs the Plug-in Gait lower body (analysis/pig.h) and the gait events
 * (analysis/gait.h) on one recording, then measures, per stride and side,
 * what weak hip abductors show in 3-D:
 *   pelvic_drop_deg    the other side's pelvis dropping below level (-its
 *                      Plug-in Gait obliquity), peak during this side's
 *                      single support (contralateral pelvic drop);
 *   hip_adduction_deg  peak hip adduction during this side's stance;
 *   knee_valgus_deg    peak knee valgus (-Plug-in Gait varus) in stance;
 *   trunk_lean_deg     peak lean of the trunk (mid-pelvis to C7, or to the
 *                      shoulders' midpoint) towards the stance side in the
 *                      progression frame's frontal plane, during stance;
 *                      NaN without trunk markers.
 * The graded findings come from report/ (report/mocap.h).
 *
 *     struct fc_mocap mc;
 *     if (fc_mocap_analyze(&markers, &params, &track, &mc, &err) == 0) {
 *         for (size_t i = 0; i < mc.n_strides; i++) ...mc.strides[i].pelvic_drop_deg...
 *         fc_mocap_free(&mc);
 *     }
 */
#ifndef FC_ANALYSIS_MOCAP_H
#define FC_ANALYSIS_MOCAP_H

#include "analysis/gait.h"
#include "analysis/pig.h"

enum fc_mocap_measure {
    /* per stride and stance side */
    FC_MOCAP_PELVIC_DROP,
    FC_MOCAP_HIP_ADDUCTION,
    FC_MOCAP_KNEE_VALGUS,
    FC_MOCAP_TRUNK_LEAN,
    /* per squat rep (struct fc_mocap_rep), both legs at once */
    FC_MOCAP_SQUAT_DEPTH,
    FC_MOCAP_KNEE_SEPARATION,
    FC_MOCAP_TRUNK_FORWARD,
    FC_MOCAP_MEASURE_COUNT
};
#define FC_MOCAP_FIRST_REP_MEASURE FC_MOCAP_SQUAT_DEPTH

/* "pelvic_drop_deg", ..., "squat_depth_deg", "knee_sep_pct", "trunk_forward_deg";
 * NULL out of range. Also the names thresholds use. */
const char *fc_mocap_measure_name(enum fc_mocap_measure m);
/* -1 when unknown. */
int fc_mocap_measure_from_name(const char *name);

struct fc_mocap_stride {
    enum fc_side side;                         /* the stance leg */
    size_t foot_strike, foot_off, next_strike; /* frames */
    double t_s;                                /* of the foot strike */
    double value[FC_MOCAP_MEASURE_COUNT];      /* NaN where not measurable */
};

/* A stored angle (Plug-in Gait's own output in the file) against
 * formcheck's, over the frames both have. */
struct fc_mocap_reference {
    char name[32]; /* "LHipAngles" */
    enum fc_side side;
    enum fc_pig_joint joint;
    long frames;
    double rms_deg[3];
};

/* ---- squats from markers ---- */

/* One squat repetition, measured in 3-D at its bottom (the lowest point of
 * the hip centres) or over the whole rep:
 *   depth_mm            mid hip centre above mid knee centre at the bottom
 *                       (0 = thighs parallel, negative = below parallel);
 *   depth_deg           the thighs (hip to knee centre) below horizontal at
 *                       the bottom, mean of the sides: negative = above
 *                       parallel, as the video metric depth_deg;
 *   knee_flexion_deg    Plug-in Gait knee flexion at the bottom, mean of
 *                       the two sides;
 *   knee_sep_pct        distance between the knee centres as % of that
 *                       between the ankle centres, at the bottom (100 =
 *                       knees over ankles; less = knees in), as the video
 *                       metric knee_ankle_sep_pct defines it;
 *   trunk_forward_deg   trunk (mid-pelvis to C7) from vertical in the
 *                       sagittal plane at the bottom, forward positive;
 *   trunk_lateral_deg   the largest |lean| in the frontal plane in the rep;
 *   leading_side, knee_valgus_deg: for lunges and single-leg work, which
 *                       foot is ahead and each knee's peak valgus;
 *   stance_side, pelvic_drop_deg: for single-leg squats, the leg standing
 *                       and the contralateral pelvic drop. */
struct fc_mocap_rep {
    size_t start, bottom, end; /* frames */
    double depth_mm, depth_deg, knee_flexion_deg, knee_sep_pct, trunk_forward_deg,
        trunk_lateral_deg;
    int leading_side;          /* the foot further forward at the bottom (lunge, split
                                  squat); -1 when the feet are level within 150 mm */
    double knee_valgus_deg[2]; /* per side, peak valgus (-varus) over the rep */
    int stance_side;           /* single-leg work: the foot left on the ground (the other
                                  ankle centre 100 mm higher at the bottom); -1 otherwise */
    double pelvic_drop_deg;    /* single-leg work: the free side's pelvis below level
                                  (-its obliquity), peak over the rep; NaN otherwise */
};

/* A rep measure (FC_MOCAP_FIRST_REP_MEASURE and after); NaN for others. */
double fc_mocap_rep_value(const struct fc_mocap_rep *r, enum fc_mocap_measure m);

struct fc_mocap_squat {
    size_t n_reps;
    struct fc_mocap_rep *reps;
};

#define FC_MOCAP_MAX_REFERENCES 10

struct fc_mocap {
    int has_pig;
    struct fc_pig_output pig;
    char pig_problem[FC_ERROR_MSG_MAX]; /* why there are no leg angles; "" when there are */
    int has_gait;
    struct fc_gait gait;
    size_t n_strides;
    struct fc_mocap_stride *strides;
    int has_trunk;
    /* filled by the caller when the file holds them */
    size_t n_references;
    struct fc_mocap_reference references[FC_MOCAP_MAX_REFERENCES];
    int has_file_events;
    struct fc_gait_match events_vs_file;
    struct fc_mocap_squat squat; /* reps of a squat; none in a walk */
    /* from force plates, when the caller has them (fc_gait_plate_events) */
    size_t n_plate_events;
    struct fc_gait_event *plate_events;
    int has_plate_vs_file;
    struct fc_gait_match plate_vs_file; /* the file's events against the plates' */
};

/* m: the Plug-in Gait markers; t: the same recording as a 3-D track (heel,
 * toe, pelvis, C7 / shoulders). Without leg markers the angles are absent
 * and pig_problem says why; without a pelvis it fails. */
int fc_mocap_analyze(const struct fc_pig_markers *m, const struct fc_pig_params *p,
                     const struct fc_pose_track *t, struct fc_mocap *out, struct fc_error *err);
void fc_mocap_free(struct fc_mocap *mc);

/* Adds a reference: ref is frame 0's x, y, z of the stored angle, frames
 * stride floats apart (a C3D point). */
void fc_mocap_add_reference(struct fc_mocap *mc, const char *name, enum fc_side side,
                            enum fc_pig_joint joint, const float *ref, size_t stride);

/* Reps are the hip centres' descents: local minima of their height at
 * least min_drop_mm below the highest point on either side, the rep
 * running between those highest points. o from fc_pig_run; t the same
 * recording as a track (C7 or shoulders for the trunk). */
int fc_mocap_squat(const struct fc_pig_output *o, const struct fc_pose_track *t, double min_drop_mm,
                   struct fc_mocap_squat *out, struct fc_error *err);
void fc_mocap_squat_free(struct fc_mocap_squat *s);

#endif
