/* formcheck: the metrics the analyzer measures, their units, signs and the
 * camera view each needs.
 *
 * Definitions (image coordinates: x right, y down; "vertical" is the image
 * vertical after the camera roll found in the standing baseline is removed;
 * left and right are the subject's own sides; "lateral axis" is the
 * direction from the right hip to the left hip in the standing baseline):
 *
 * frontal plane (front view)
 *   pelvic_obliquity_deg   angle of the right-hip -> left-hip line minus its
 *                          standing-baseline angle; positive when the LEFT
 *                          hip rises (Plug-in Gait's left-side sign). Roll
 *                          cancels because the baseline is in the same camera.
 *   hip_drop_deg           single-leg work and gait: how far the UNSUPPORTED
 *                          side's hip drops, positive = drops (obliquity with
 *                          the sign of the stance side: stance left -> +obliquity).
 *   knee_fppa_{left,right}_deg  frontal plane projection angle, Willson & Davis
 *                          2008: 180 minus the hip-knee-ankle angle in the
 *                          image; positive = valgus (knee inside the hip-ankle
 *                          line, towards the body's midline), negative = varus.
 *   trunk_lean_lateral_deg angle of the mid-hip -> mid-shoulder line from
 *                          vertical; positive towards the subject's left.
 *   lateral_shift_pct      sideways move of the mid-hip relative to the
 *                          mid-ankle since the baseline, along the lateral
 *                          axis, in % of the baseline hip width; + = left.
 * sagittal plane (side view); "forward" is the way the subject faces
 *   hip_flexion_{left,right}_deg   180 minus the shoulder-hip-knee angle.
 *   knee_flexion_{left,right}_deg  180 minus the hip-knee-ankle angle.
 *                          Both signed: negative when the joint is
 *                          extended beyond straight (hip extension at the
 *                          top of a bridge or in late stance).
 *   depth_deg              angle of the knee -> hip line below horizontal
 *                          for the leg nearer the camera (higher score in
 *                          the baseline);
 *                          >= 0 means the hip is at or below the knee (the
 *                          thigh at or below parallel, IPF depth rule).
 *   trunk_forward_lean_deg angle of mid-hip -> mid-shoulder from vertical,
 *                          positive forward.
 *   trunk_shin_diff_deg    trunk forward lean minus shin forward lean
 *                          (ankle -> knee from vertical) of the nearer leg;
 *                          positive: the chest falls ahead of the shins.
 *   knee_travel_pct        how far the knee of the front (leading) leg is
 *                          ahead of its toe (big toe when seen, else the
 *                          ankle), in % of that shank's length in the frame;
 *                          positive = knee past the toe. Front leg: the
 *                          ankle further forward (lunge), else the near leg.
 *   pelvic_tilt_proxy_deg  hip flexion while the trunk is upright, relative
 *                          to the baseline: NOT a pelvic tilt (2-D keypoints
 *                          have no ASIS/PSIS); a lumbo-pelvic proxy only.
 *                          Near leg; NaN unless |trunk forward lean| <= 15.
 * motion capture (3-D markers, any view)
 *   pelvis_{tilt,obliquity,rotation}_deg  Plug-in Gait angles (analysis/pelvis.h).
 */
#ifndef FC_ANALYSIS_METRICS_H
#define FC_ANALYSIS_METRICS_H

enum fc_metric {
    FC_M_PELVIC_OBLIQUITY,
    FC_M_HIP_DROP,
    FC_M_KNEE_FPPA_LEFT,
    FC_M_KNEE_FPPA_RIGHT,
    FC_M_TRUNK_LEAN_LATERAL,
    FC_M_LATERAL_SHIFT,
    FC_M_HIP_FLEXION_LEFT,
    FC_M_HIP_FLEXION_RIGHT,
    FC_M_KNEE_FLEXION_LEFT,
    FC_M_KNEE_FLEXION_RIGHT,
    FC_M_DEPTH,
    FC_M_TRUNK_FORWARD_LEAN,
    FC_M_TRUNK_SHIN_DIFF,
    FC_M_KNEE_TRAVEL,
    FC_M_PELVIC_TILT_PROXY,
    FC_M_PELVIS_TILT_3D,
    FC_M_PELVIS_OBLIQUITY_3D,
    FC_M_PELVIS_ROTATION_3D,
    FC_METRIC_COUNT
};

/* What a metric needs from the input. */
enum fc_metric_plane {
    FC_PLANE_FRONTAL,  /* a front (or back) view */
    FC_PLANE_SAGITTAL, /* a side view */
    FC_PLANE_3D,       /* marker-based motion capture */
};

struct fc_metric_info {
    const char *name;  /* column name: "knee_fppa_left_deg" */
    const char *label; /* for people: "left knee FPPA (valgus +)" */
    const char *unit;  /* "deg", "%" */
    enum fc_metric_plane plane;
    int side; /* -1 none, 0 left, 1 right (enum fc_side) */
};

const struct fc_metric_info *fc_metric_info(enum fc_metric m);
/* -1 when unknown. */
int fc_metric_from_name(const char *name);

#endif
