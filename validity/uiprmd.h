/* formcheck validity tier: UI-PRMD repetitions as 3-D truth.
 *
 * UI-PRMD (Vakanski et al. 2018, Data 3(1):2) holds real people's deep
 * squats, hurdle steps and inline lunges recorded with Vicon: one
 * repetition per gzipped text file, one frame per line, 39 Plug-in Gait
 * markers x (x, y, z) in millimetres at 100 Hz, x forward (the way the
 * subject faces), y to the subject's left, z up.
 *
 * This module reads a repetition, derives joint centres from the markers
 * (as Plug-in Gait does, with stated approximations where the data set
 * has no subject measurements), and measures the quantities formcheck
 * grades in 3-D, so that a 2-D analysis of the same repetition projected
 * into a camera (validity/camera.h) can be compared with the truth.
 *
 *     struct fc_uiprmd_rep rep;
 *     if (fc_uiprmd_read("m01_s01_e01_positions.txt.gz", &rep, &err) < 0) ...;
 *     struct fc_uiprmd_truth truth;
 *     fc_uiprmd_measure(&rep, &truth);       // per frame and at the bottom
 *     ...
 *     fc_uiprmd_free(&rep);
 */
#ifndef FC_VALIDITY_UIPRMD_H
#define FC_VALIDITY_UIPRMD_H

#include <stddef.h>

#include "core/error.h"
#include "core/keypoints.h"

#define FC_UIPRMD_MARKERS 39
#define FC_UIPRMD_RATE_HZ 100.0

/* The marker order of the data set (its README, checked on the geometry). */
enum fc_uiprmd_marker {
    UM_LFHD,
    UM_RFHD,
    UM_LBHD,
    UM_RBHD,
    UM_C7,
    UM_T10,
    UM_CLAV,
    UM_STRN,
    UM_RBAK,
    UM_LSHO,
    UM_LUPA,
    UM_LELB,
    UM_LFRM,
    UM_LWRA,
    UM_LWRB,
    UM_LFIN,
    UM_RSHO,
    UM_RUPA,
    UM_RELB,
    UM_RFRM,
    UM_RWRA,
    UM_RWRB,
    UM_RFIN,
    UM_LASI,
    UM_RASI,
    UM_LPSI,
    UM_RPSI,
    UM_LTHI,
    UM_LKNE,
    UM_LTIB,
    UM_LANK,
    UM_LHEE,
    UM_LTOE,
    UM_RTHI,
    UM_RKNE,
    UM_RTIB,
    UM_RANK,
    UM_RHEE,
    UM_RTOE,
};

struct fc_vec3 {
    double x, y, z;
};

/* A repetition: markers per frame, then the joint centres derived from them
 * (canonical joints, lab mm; NaN where a marker was missing). */
struct fc_uiprmd_rep {
    size_t n_frames;
    struct fc_vec3 (*markers)[FC_UIPRMD_MARKERS];
    struct fc_vec3 (*joints)[FC_JOINT_COUNT];
    /* The body's axes from the first frame (the subject standing): forward
     * (horizontal, mid-PSIS -> mid-ASIS), left, up (lab z). */
    struct fc_vec3 fwd, left, up;
};

int fc_uiprmd_read(const char *path, struct fc_uiprmd_rep *rep, struct fc_error *err);
void fc_uiprmd_free(struct fc_uiprmd_rep *rep);

/* 3-D truth of the quantities formcheck measures, in the body's axes of the
 * first frame. Angles in degrees. */
struct fc_uiprmd_frame_truth {
    double knee_ankle_sep_ratio;   /* knee-centre / ankle-centre separation along "left" (KASR) */
    double knee_medial_left_pct;   /* each knee's displacement towards the midline from its  */
    double knee_medial_right_pct;  /* ankle, along "left", % of that leg's length            */
    double trunk_forward_lean_deg; /* mid-hip -> mid-shoulder from vertical, sagittal, + fwd */
    double trunk_lateral_lean_deg; /* the same in the frontal plane, + to the subject's left  */
    double thigh_below_horizontal_deg; /* knee -> hip below horizontal, mean of sides, sagittal */
    double hip_minus_knee_mm;          /* hip-centre height above the knee-centre height (mean)   */
    double pelvic_obliquity_deg;       /* right -> left hip-centre line, frontal, + left hip up,
                                          relative to the first frame                             */
    double shin_forward_lean_deg; /* ankle -> knee from vertical, sagittal, mean of sides     */
    double arm_trunk_deg;         /* upper arm (shoulder -> elbow) forward of the trunk line's
                                     upward extension, sagittal, mean of sides; 0 = arms in
                                     line with the trunk overhead, + = arms fall forward      */
    double lateral_shift_pct;     /* mid-hip along "left" relative to mid-ankle, from the
                                     first frame, % of hip-centre width                     */
    double hip_over_base_pct;     /* mid-hip along "left" from the point midway between the
                                     ankles, % of the ankles' separation (+ to the left)    */
    double wrist_ahead_pct;       /* mid-wrist ahead of the mid-ankle along "forward", % of
                                     the standing shank length (mean of sides)              */
};

struct fc_uiprmd_truth {
    size_t bottom; /* frame of the lowest mid-hip */
    struct fc_uiprmd_frame_truth at_bottom;
    double min_knee_ankle_sep_ratio;
    double max_trunk_forward_lean_deg;
    double max_abs_obliquity_deg;
    double max_abs_lateral_shift_pct;
    double max_abs_trunk_lateral_deg;
    double leg_length_mm; /* hip centre -> knee centre -> ankle centre, first frame, mean */
};

void fc_uiprmd_frame_measure(const struct fc_uiprmd_rep *rep, size_t i,
                             struct fc_uiprmd_frame_truth *out);
void fc_uiprmd_measure(const struct fc_uiprmd_rep *rep, struct fc_uiprmd_truth *out);

#endif
