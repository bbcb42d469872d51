/* formcheck: the table of what each metric is (see metrics.h). One row per
 * metric; everything that names, grades, cues or draws a metric reads it. */
#include "analysis/metrics.h"

#include <string.h>

#include "core/keypoints.h"

/* Cue words: the same text with and without a side. */
#define CUE_PLAIN(words)                                                                           \
    {                                                                                              \
        .with_side = words, .no_side = words                                                       \
    }
/* A left or right metric whose cue is the threshold's own fault name. */
#define CUE_OWN_FAULT                                                                              \
    {                                                                                              \
        .with_side = "{side} {fault}", .no_side = "{fault}"                                        \
    }

/* A frontal measure read from a body turned from the camera: the median
 * error the turn adds at the bottom of a deep squat, per unit sin(yaw)
 * (the hips travel back and the knees forward, and sin(yaw) of that shows
 * as sideways travel), from the UI-PRMD squats projected at 0, 15 and 30
 * deg (docs/validity.md: (error at 15 - error at 0) / sin 15 deg, checked
 * at 30); and the yaw where that error reaches the squat's fault level
 * (data/thresholds.json), asin(fault / err), beyond which the measure
 * cannot tell a fault from the turn and is not reported. */
#define TURN_ERR_OBLIQUITY 6.6f     /* deg: 0.6 -> 2.3 -> 4.6 deg at 0/15/30 */
#define TURN_MAX_OBLIQUITY 65.0f    /* fault 6 deg: past any front view */
#define TURN_ERR_LEAN_LATERAL 28.0f /* deg: 0.8 -> 8.0 -> 18.7 */
#define TURN_MAX_LEAN_LATERAL 21.0f /* fault 10 deg */
#define TURN_ERR_SHIFT 95.0f        /* % of hip width: 2.7 -> 27.2 -> 65.9 */
#define TURN_MAX_SHIFT 12.0f        /* fault 20% */
/* % of the leg, both sides at 15 and 30 deg: left 1.4 -> 8.1 -> 13.4,
 * right 2.0 -> 5.4 -> 12.3 */
#define TURN_ERR_MEDIAL 22.0f
#define TURN_MAX_MEDIAL 27.0f /* fault 10% */
/* The hips over the base of support: the shift's geometry over the ankles'
 * separation, which is twice the hip joint centres' width standing in
 * UI-PRMD, so half the shift's error. */
#define TURN_ERR_OVER_BASE 47.0f
#define TURN_MAX_OVER_BASE 25.0f /* fault 20% */
/* The knee-to-ankle separation gains no error from 0 to 30 deg (6.5 -> 5.8
 * -> 4.9%: knees and ankles turn together); beyond 30 the table has values
 * from too few repetitions to say. */
#define TURN_MAX_KASR 30.0f
/* Sagittal measures from a camera short of side-on: per unit sin of the
 * angle off the side (90 deg - yaw), from the same table at 90, 75 and 60
 * deg of yaw; (error at 60 - error at 90) / sin 30 deg. The depth's error
 * does not grow over that range (4.8, 2.8, 2.4 deg). */
#define TURN_ERR_FORWARD_LEAN 4.2f /* deg: 0.2 -> 0.8 -> 2.3 */
#define TURN_ERR_ARM_FORWARD 14.0f /* deg: 0.8 -> 1.8 -> 7.9 (18.0 at 45) */
/* % of the shank: 5.2 -> 4.1 -> 9.3 (20.3 at 45 deg of yaw). The mean of
 * the two arms and the wrists' midpoint keep the arms' sideways splay out
 * (frame_metrics.c); what is left is the forward run foreshortened by
 * cos(off). Beyond 30 deg off the side the errors grow faster than
 * sin(off). */
#define TURN_ERR_WRIST_AHEAD 8.0f

static const struct fc_metric_info infos[FC_METRIC_COUNT] =
    {
        [FC_M_PELVIC_OBLIQUITY] =
            {
                .turn_err_per_sin = TURN_ERR_OBLIQUITY,
                .turn_max_deg = TURN_MAX_OBLIQUITY,
                .name = "pelvic_obliquity_deg",
                .label = "pelvic obliquity (left up +)",
                .unit = "deg",
                .plane = FC_PLANE_FRONTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_SIGN,
                .peak = FC_PEAK_SIGNED,
                .baseline_relative = 1,
                .pair = -1,
                .short_name = "obliquity",
                /* + is the left hip up: the finding's side points up, the
                 * other side is the low one. */
                .cue = {.with_side = "PELVIS TILTED: {other_side} HIP LOW",
                        .no_side = "PELVIS NOT LEVEL"},
            },
        [FC_M_HIP_DROP] =
            {
                .name = "hip_drop_deg",
                .label = "hip drop of the unsupported side",
                .unit = "deg",
                .plane = FC_PLANE_FRONTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_STANCE,
                .peak = FC_PEAK_MAX,
                .baseline_relative = 1,
                .pair = FC_M_HIP_DROP,
                .short_name = "hip_drop",
                /* The finding's side is the stance leg; the other hip drops. */
                .cue = {.with_side = "{other_side} HIP DROPPING",
                        .no_side = "HIP DROPPING",
                        .asym_with_side = "MORE HIP DROP IN {side} STANCE",
                        .asym_no_side = "UNEVEN HIP DROP"},
            },
        [FC_M_KNEE_FPPA_LEFT] =
            {
                .name = "knee_fppa_left_deg",
                .label = "left knee FPPA (valgus +)",
                .unit = "deg",
                .plane = FC_PLANE_FRONTAL,
                .side = FC_SIDE_LEFT,
                .sides = FC_METRIC_SIDE_OWN,
                .peak = FC_PEAK_SIGNED,
                .pair = FC_M_KNEE_FPPA_RIGHT,
                .short_name = "fppa_L",
                /* An asymmetry is relative (both knees may bow out): no side. */
                .cue = {.with_side = "{side} KNEE CAVING IN",
                        .no_side = "KNEE CAVING IN",
                        .below_with_side = "{side} KNEE BOWING OUT",
                        .below_no_side = "KNEE BOWING OUT",
                        .asym_with_side = "KNEES UNEVEN",
                        .asym_no_side = "KNEES UNEVEN"},
            },
        [FC_M_KNEE_FPPA_RIGHT] =
            {
                .name = "knee_fppa_right_deg",
                .label = "right knee FPPA (valgus +)",
                .unit = "deg",
                .plane = FC_PLANE_FRONTAL,
                .side = FC_SIDE_RIGHT,
                .sides = FC_METRIC_SIDE_OWN,
                .peak = FC_PEAK_SIGNED,
                .pair = FC_M_KNEE_FPPA_LEFT,
                .short_name = "fppa_R",
                .cue = {.with_side = "{side} KNEE CAVING IN",
                        .no_side = "KNEE CAVING IN",
                        .below_with_side = "{side} KNEE BOWING OUT",
                        .below_no_side = "KNEE BOWING OUT",
                        .asym_with_side = "KNEES UNEVEN",
                        .asym_no_side = "KNEES UNEVEN"},
            },
        [FC_M_TRUNK_LEAN_LATERAL] =
            {
                .turn_err_per_sin = TURN_ERR_LEAN_LATERAL,
                .turn_max_deg = TURN_MAX_LEAN_LATERAL,
                .name = "trunk_lean_lateral_deg",
                .label = "lateral trunk lean (left +)",
                .unit = "deg",
                .plane = FC_PLANE_FRONTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_SIGN,
                .peak = FC_PEAK_SIGNED,
                .pair = -1,
                .short_name = "lean_side",
                .cue = {.with_side = "TRUNK LEANING {side}", .no_side = "TRUNK LEANING SIDEWAYS"},
            },
        [FC_M_LATERAL_SHIFT] =
            {
                .turn_err_per_sin = TURN_ERR_SHIFT,
                .turn_max_deg = TURN_MAX_SHIFT,
                .name = "lateral_shift_pct",
                .label = "lateral pelvic shift (left +, % hip width)",
                .unit = "%",
                .plane = FC_PLANE_FRONTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_SIGN,
                .peak = FC_PEAK_SIGNED,
                .baseline_relative = 1,
                .pair = -1,
                .short_name = "shift_%",
                .cue = {.with_side = "HIPS SHIFTING {side}", .no_side = "HIPS SHIFTING SIDEWAYS"},
            },
        [FC_M_HIP_FLEXION_LEFT] =
            {
                .name = "hip_flexion_left_deg",
                .label = "left hip flexion",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = FC_SIDE_LEFT,
                .sides = FC_METRIC_SIDE_OWN,
                .peak = FC_PEAK_MAX,
                .pair = -1,
                .short_name = "hipflex_L",
                .cue = CUE_OWN_FAULT,
            },
        [FC_M_HIP_FLEXION_RIGHT] =
            {
                .name = "hip_flexion_right_deg",
                .label = "right hip flexion",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = FC_SIDE_RIGHT,
                .sides = FC_METRIC_SIDE_OWN,
                .peak = FC_PEAK_MAX,
                .pair = -1,
                .short_name = "hipflex_R",
                .cue = CUE_OWN_FAULT,
            },
        [FC_M_KNEE_FLEXION_LEFT] =
            {
                .name = "knee_flexion_left_deg",
                .label = "left knee flexion",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = FC_SIDE_LEFT,
                .sides = FC_METRIC_SIDE_OWN,
                .peak = FC_PEAK_MAX,
                .pair = FC_M_KNEE_FLEXION_RIGHT,
                .short_name = "kneeflx_L",
                .cue = CUE_OWN_FAULT,
            },
        [FC_M_KNEE_FLEXION_RIGHT] =
            {
                .name = "knee_flexion_right_deg",
                .label = "right knee flexion",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = FC_SIDE_RIGHT,
                .sides = FC_METRIC_SIDE_OWN,
                .peak = FC_PEAK_MAX,
                .pair = FC_M_KNEE_FLEXION_LEFT,
                .short_name = "kneeflx_R",
                .cue = CUE_OWN_FAULT,
            },
        [FC_M_DEPTH] =
            {
                .name = "depth_deg",
                .label = "depth: thigh below horizontal (+ = below parallel)",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_MAX,
                .pair = -1,
                .short_name = "depth",
                .cue = {.with_side = "TOO DEEP",
                        .no_side = "TOO DEEP",
                        .below_with_side = "NOT DEEP ENOUGH",
                        .below_no_side = "NOT DEEP ENOUGH"},
            },
        [FC_M_TRUNK_FORWARD_LEAN] =
            {
                .turn_err_per_sin = TURN_ERR_FORWARD_LEAN,
                .name = "trunk_forward_lean_deg",
                .label = "forward trunk lean",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_MAX,
                .pair = -1,
                .short_name = "lean_fwd",
                .cue = CUE_PLAIN("LEANING FORWARD"),
            },
        [FC_M_TRUNK_SHIN_DIFF] =
            {
                .name = "trunk_shin_diff_deg",
                .label = "trunk lean minus shin lean",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_MAX,
                .pair = -1,
                .short_name = "trnk-shin",
                .cue = CUE_PLAIN("CHEST FALLING FORWARD"),
            },
        [FC_M_KNEE_TRAVEL] =
            {
                .name = "knee_travel_pct",
                .label = "knee past the toe (% shank length)",
                .unit = "%",
                .plane = FC_PLANE_SAGITTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_MAX,
                .pair = -1,
                .short_name = "kneetrv_%",
                .cue = CUE_PLAIN("KNEE PAST THE TOES"),
            },
        [FC_M_PELVIC_TILT_PROXY] =
            {
                .name = "pelvic_tilt_proxy_deg",
                .label = "lumbo-pelvic proxy (not a true pelvic tilt)",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_SIGNED,
                .baseline_relative = 1,
                .pair = -1,
                .short_name = "tilt_prx",
                .cue = CUE_PLAIN("{fault}"),
            },
        [FC_M_PELVIS_TILT_3D] =
            {
                .name = "pelvis_tilt_deg",
                .label = "pelvic tilt (markers, anterior +)",
                .unit = "deg",
                .plane = FC_PLANE_3D,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_SIGNED,
                .pair = -1,
                .short_name = "pel_tilt",
                .cue = CUE_PLAIN("{fault}"),
            },
        [FC_M_PELVIS_OBLIQUITY_3D] =
            {
                .name = "pelvis_obliquity_deg",
                .label = "pelvic obliquity (markers, left up +)",
                .unit = "deg",
                .plane = FC_PLANE_3D,
                .side = -1,
                .sides = FC_METRIC_SIDE_SIGN,
                .peak = FC_PEAK_SIGNED,
                .pair = -1,
                .short_name = "pel_obliq",
                .cue = CUE_PLAIN("{fault}"),
            },
        [FC_M_PELVIS_ROTATION_3D] =
            {
                .name = "pelvis_rotation_deg",
                .label = "pelvic rotation (markers, left forward +)",
                .unit = "deg",
                .plane = FC_PLANE_3D,
                .side = -1,
                .sides = FC_METRIC_SIDE_SIGN,
                .peak = FC_PEAK_SIGNED,
                .pair = -1,
                .short_name = "pel_rot",
                .cue = CUE_PLAIN("{fault}"),
            },
        [FC_M_KNEE_ANKLE_SEP] =
            {
                .turn_err_per_sin = 0,
                .turn_max_deg = TURN_MAX_KASR,
                .name = "knee_ankle_sep_pct",
                .label = "knee separation, % of ankle separation (in < 100)",
                .unit = "%",
                .plane = FC_PLANE_FRONTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_BOTTOM,
                .pair = -1,
                .short_name = "kasr",
                .cue = CUE_PLAIN("KNEES CAVING IN"),
            },
        [FC_M_KNEE_MEDIAL_LEFT] =
            {
                .turn_err_per_sin = TURN_ERR_MEDIAL,
                .turn_max_deg = TURN_MAX_MEDIAL,
                .name = "knee_medial_left_pct",
                .label = "left knee medial of its ankle, % leg (in +)",
                .unit = "%",
                .plane = FC_PLANE_FRONTAL,
                .side = FC_SIDE_LEFT,
                .sides = FC_METRIC_SIDE_OWN,
                .peak = FC_PEAK_BOTTOM,
                .pair = -1,
                .short_name = "kmed_L",
                .cue = {.with_side = "{side} KNEE CAVING IN", .no_side = "KNEE CAVING IN"},
            },
        [FC_M_KNEE_MEDIAL_RIGHT] =
            {
                .turn_err_per_sin = TURN_ERR_MEDIAL,
                .turn_max_deg = TURN_MAX_MEDIAL,
                .name = "knee_medial_right_pct",
                .label = "right knee medial of its ankle, % leg (in +)",
                .unit = "%",
                .plane = FC_PLANE_FRONTAL,
                .side = FC_SIDE_RIGHT,
                .sides = FC_METRIC_SIDE_OWN,
                .peak = FC_PEAK_BOTTOM,
                .pair = -1,
                .short_name = "kmed_R",
                .cue = {.with_side = "{side} KNEE CAVING IN", .no_side = "KNEE CAVING IN"},
            },
        [FC_M_ARM_FORWARD] =
            {
                .turn_err_per_sin = TURN_ERR_ARM_FORWARD,
                .name = "arm_forward_deg",
                .label = "arms forward of the trunk line",
                .unit = "deg",
                .plane = FC_PLANE_SAGITTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_MAX,
                .pair = -1,
                .short_name = "arms_fwd",
                .cue = CUE_PLAIN("ARMS FALLING FORWARD"),
            },
        [FC_M_WRIST_AHEAD] =
            {
                .turn_err_per_sin = TURN_ERR_WRIST_AHEAD,
                .name = "wrist_ahead_pct",
                .label = "hands ahead of the ankles, % shank",
                .unit = "%",
                .plane = FC_PLANE_SAGITTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_MAX,
                .pair = -1,
                .short_name = "hands_%",
                .cue = CUE_PLAIN("HANDS OVER THE FEET"),
            },
        [FC_M_HIP_OVER_BASE] =
            {
                .turn_err_per_sin = TURN_ERR_OVER_BASE,
                .turn_max_deg = TURN_MAX_OVER_BASE,
                .name = "hip_over_base_pct",
                .label = "hips over the base of support (left +, % ankle separation)",
                .unit = "%",
                .plane = FC_PLANE_FRONTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_SIGN,
                .peak = FC_PEAK_SIGNED,
                .pair = -1,
                .short_name = "over_base",
                .cue = {.with_side = "HIPS OVER THE {side} FOOT", .no_side = "HIPS OFF CENTRE"},
            },
        [FC_M_HEEL_RISE] =
            {
                .name = "heel_rise_pct",
                .label = "heel risen from the floor, % shank",
                .unit = "%",
                .plane = FC_PLANE_SAGITTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_MAX,
                .baseline_relative = 1,
                .pair = -1,
                .short_name = "heel_up",
                .cue = CUE_PLAIN("HEELS DOWN"),
            },
        [FC_M_FEET_TURN_OUT] =
            {
                .name = "feet_turn_out_deg",
                .label = "foot turned out since standing",
                .unit = "deg",
                .plane = FC_PLANE_FRONTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_MAX,
                .baseline_relative = 1,
                .pair = -1,
                .short_name = "feet_out",
                .cue = CUE_PLAIN("FEET POINTING AHEAD"),
            },
        [FC_M_KNEE_INSIDE_TOE] =
            {
                .name = "knee_inside_toe_pct",
                .label = "knee inside its toe, % leg",
                .unit = "%",
                .plane = FC_PLANE_FRONTAL,
                .side = -1,
                .sides = FC_METRIC_SIDE_NONE,
                .peak = FC_PEAK_BOTTOM,
                .pair = -1,
                .short_name = "knee_toe",
                .cue = CUE_PLAIN("KNEES OVER THE TOES"),
            },
};

const struct fc_metric_info *fc_metric_info(enum fc_metric m)
{
    return (unsigned)m < FC_METRIC_COUNT ? &infos[m] : NULL;
}

int fc_metric_needs_feet(enum fc_metric m)
{
    return m == FC_M_KNEE_TRAVEL || m == FC_M_HEEL_RISE || m == FC_M_FEET_TURN_OUT ||
           m == FC_M_KNEE_INSIDE_TOE;
}

int fc_metric_from_name(const char *name)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        if (strcmp(name, infos[m].name) == 0)
            return m;
    return -1;
}

int fc_metric_side_of(enum fc_metric m, double v, int stance)
{
    const struct fc_metric_info *mi = fc_metric_info(m);
    if (!mi)
        return -1;
    switch (mi->sides) {
    case FC_METRIC_SIDE_OWN: return mi->side;
    case FC_METRIC_SIDE_SIGN: return v > 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    case FC_METRIC_SIDE_NONE:
    case FC_METRIC_SIDE_STANCE: break;
    }
    return stance == FC_SIDE_LEFT || stance == FC_SIDE_RIGHT ? stance : -1;
}

int fc_metric_asymmetry_pair(enum fc_metric m, enum fc_metric *left, enum fc_metric *right)
{
    const struct fc_metric_info *mi = fc_metric_info(m);
    if (!mi || mi->pair < 0)
        return 0;
    /* A pair of one leg's metrics is ordered by side; a stance-relative
     * metric is its own pair (left stance minus right stance). */
    int own_left = mi->sides != FC_METRIC_SIDE_OWN || mi->side == FC_SIDE_LEFT;
    *left = own_left ? m : (enum fc_metric)mi->pair;
    *right = own_left ? (enum fc_metric)mi->pair : m;
    return 1;
}
