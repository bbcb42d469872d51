#include "analysis/metrics.h"

#include <string.h>

static const struct fc_metric_info infos[FC_METRIC_COUNT] = {
    [FC_M_PELVIC_OBLIQUITY] = {"pelvic_obliquity_deg", "pelvic obliquity (left up +)", "deg",
                               FC_PLANE_FRONTAL, -1},
    [FC_M_HIP_DROP] = {"hip_drop_deg", "hip drop of the unsupported side", "deg",
                       FC_PLANE_FRONTAL, -1},
    [FC_M_KNEE_FPPA_LEFT] = {"knee_fppa_left_deg", "left knee FPPA (valgus +)", "deg",
                             FC_PLANE_FRONTAL, 0},
    [FC_M_KNEE_FPPA_RIGHT] = {"knee_fppa_right_deg", "right knee FPPA (valgus +)", "deg",
                              FC_PLANE_FRONTAL, 1},
    [FC_M_TRUNK_LEAN_LATERAL] = {"trunk_lean_lateral_deg", "lateral trunk lean (left +)", "deg",
                                 FC_PLANE_FRONTAL, -1},
    [FC_M_LATERAL_SHIFT] = {"lateral_shift_pct", "lateral pelvic shift (left +, % hip width)",
                            "%", FC_PLANE_FRONTAL, -1},
    [FC_M_HIP_FLEXION_LEFT] = {"hip_flexion_left_deg", "left hip flexion", "deg",
                               FC_PLANE_SAGITTAL, 0},
    [FC_M_HIP_FLEXION_RIGHT] = {"hip_flexion_right_deg", "right hip flexion", "deg",
                                FC_PLANE_SAGITTAL, 1},
    [FC_M_KNEE_FLEXION_LEFT] = {"knee_flexion_left_deg", "left knee flexion", "deg",
                                FC_PLANE_SAGITTAL, 0},
    [FC_M_KNEE_FLEXION_RIGHT] = {"knee_flexion_right_deg", "right knee flexion", "deg",
                                 FC_PLANE_SAGITTAL, 1},
    [FC_M_DEPTH] = {"depth_deg", "depth: thigh below horizontal (+ = below parallel)", "deg",
                    FC_PLANE_SAGITTAL, -1},
    [FC_M_TRUNK_FORWARD_LEAN] = {"trunk_forward_lean_deg", "forward trunk lean", "deg",
                                 FC_PLANE_SAGITTAL, -1},
    [FC_M_TRUNK_SHIN_DIFF] = {"trunk_shin_diff_deg", "trunk lean minus shin lean", "deg",
                              FC_PLANE_SAGITTAL, -1},
    [FC_M_KNEE_TRAVEL] = {"knee_travel_pct", "knee past the toe (% shank length)", "%",
                          FC_PLANE_SAGITTAL, -1},
    [FC_M_PELVIC_TILT_PROXY] = {"pelvic_tilt_proxy_deg",
                                "lumbo-pelvic proxy (not a true pelvic tilt)", "deg",
                                FC_PLANE_SAGITTAL, -1},
    [FC_M_PELVIS_TILT_3D] = {"pelvis_tilt_deg", "pelvic tilt (markers, anterior +)", "deg",
                             FC_PLANE_3D, -1},
    [FC_M_PELVIS_OBLIQUITY_3D] = {"pelvis_obliquity_deg", "pelvic obliquity (markers, left up +)",
                                  "deg", FC_PLANE_3D, -1},
    [FC_M_PELVIS_ROTATION_3D] = {"pelvis_rotation_deg",
                                 "pelvic rotation (markers, left forward +)", "deg", FC_PLANE_3D,
                                 -1},
};

const struct fc_metric_info *fc_metric_info(enum fc_metric m)
{
    return (unsigned)m < FC_METRIC_COUNT ? &infos[m] : NULL;
}

int fc_metric_from_name(const char *name)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        if (strcmp(name, infos[m].name) == 0)
            return m;
    return -1;
}
