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
 *                          Only while the thigh's and the shank's pictures
 *                          keep FC_FPPA_MIN_THIGH_FRACTION of their standing
 *                          lengths and the angle stays within
 *                          FC_FPPA_MAX_PLAUSIBLE_DEG: otherwise the leg is
 *                          out of the picture's plane (the thigh pointing at
 *                          the camera at the bottom of a squat, a free leg
 *                          swung behind) and the angle says nothing of the
 *                          knee ("not measurable: leg out of plane", a gap).
 *   knee_ankle_sep_pct     bilateral squats: the knees' separation along the
 *                          lateral axis in % of the ankles' (the knee-to-ankle
 *                          separation ratio, KASR, of Mizner 2012, x 100);
 *                          100 = knees over the ankles, below = knees closer
 *                          together than the feet. Valid at any depth.
 *   knee_medial_{left,right}_pct  bilateral squats: how far each knee sits
 *                          towards the midline from its own ankle, along the
 *                          lateral axis, in % of the standing leg length;
 *                          + = medial (inside the foot), - = lateral.
 *   trunk_lean_lateral_deg angle of the mid-hip -> mid-shoulder line from
 *                          vertical; positive towards the subject's left.
 *   lateral_shift_pct      sideways move of the mid-hip relative to the
 *                          mid-ankle since the baseline, along the lateral
 *                          axis, in % of the baseline hip width; + = left.
 *   hip_over_base_pct      bilateral squats: where the mid-hip sits over the
 *                          base of support, along the lateral axis, in % of
 *                          the ankles' separation from their mid-point: 0 =
 *                          centred between the feet, +50 over the left ankle,
 *                          -50 over the right one. Unlike lateral_shift_pct it
 *                          needs no standing baseline: a subject who stands
 *                          off-centre already is seen so.
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
 *                          ahead of its toe tip (needs the toe; no value
 *                          when the toe lies behind its ankle), in % of that
 *                          leg's standing shank; positive = knee past the
 *                          toe. Front leg: the ankle further forward (lunge),
 *                          else the near leg: the foot lower in the picture
 *                          when the toes differ by > 0.1 shank, else the
 *                          baseline's near side.
 *   arm_forward_deg        overhead squat: the upper arm's (shoulder -> elbow,
 *                          near side) turn forward from the trunk line (mid-hip
 *                          -> mid-shoulder continued up); 0 = arms in line with
 *                          the trunk, + = the arms fall forward (NASM).
 *   wrist_ahead_pct        overhead squat: how far the wrists (the dowel in the
 *                          hands) are ahead of the near ankle, in % of that
 *                          leg's standing shank length; the FMS deep squat
 *                          wants the dowel over the feet.
 *   pelvic_tilt_proxy_deg  hip flexion while the trunk is upright, relative
 *                          to the baseline: NOT a pelvic tilt (2-D keypoints
 *                          have no ASIS/PSIS); a lumbo-pelvic proxy only.
 *                          Near leg; NaN unless |trunk forward lean| <= 15.
 * motion capture (3-D markers, any view)
 *   pelvis_{tilt,obliquity,rotation}_deg  Plug-in Gait angles (analysis/pelvis.h).
 *
 * Everything else formcheck knows about a metric lives in one table here
 * (fc_metric_info): its plane, the side of the body a value concerns, how
 * a rep's peak is taken, whether it is measured against the standing
 * baseline, its left/right partner for an asymmetry and the words of its
 * on-screen cue. Grading, cues, the annotated video and the reports read
 * it rather than keeping their own lists.
 *
 *     const struct fc_metric_info *mi = fc_metric_info(FC_M_KNEE_FPPA_LEFT);
 *     printf("%s (%s)\n", mi->label, mi->unit);        // left knee FPPA (valgus +) (deg)
 *     int side = fc_metric_side_of(FC_M_HIP_DROP, 7.0, FC_SIDE_LEFT);   // FC_SIDE_LEFT
 *     if (mi->peak == FC_PEAK_SIGNED) ...              // either sign is a fault
 */
#ifndef FC_ANALYSIS_METRICS_H
#define FC_ANALYSIS_METRICS_H

/* The knee FPPA is measured only while the thigh's picture keeps this
 * fraction of its standing length (why: analysis/tuning.h). */
#define FC_FPPA_MIN_THIGH_FRACTION 0.7
/* Nor beyond this angle, which no knee makes in the frontal plane (FPPA
 * norms 1-13 deg, patellofemoral pain 17 +- 5 deg in single-leg squats and
 * 22 deg in landings: Herrington 2014): a larger 2-D angle is the knee's
 * flexion seen from the side of its plane. */
#define FC_FPPA_MAX_PLAUSIBLE_DEG 35.0
/* Knee flexion from a front view, read from the pose model's 3-D world
 * points (BlazePose) where the picture cannot see the bend: the method's
 * error, taken as the largest median disagreement between the world
 * points' flexion and the picture's from the side (3.6-4.5 deg over the
 * side clips, validity/world_knee.c, docs/validity.md "3-D world
 * landmarks"). Added to the measurement's own jitter in the report. */
#define FC_WORLD_KNEE_FLEXION_ERR_DEG 4.5

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
    FC_M_KNEE_ANKLE_SEP,
    FC_M_KNEE_MEDIAL_LEFT,
    FC_M_KNEE_MEDIAL_RIGHT,
    FC_M_ARM_FORWARD,
    FC_M_WRIST_AHEAD,
    FC_M_HIP_OVER_BASE,
    FC_M_HEEL_RISE,       /* needs heels and toes (analysis/feet.h) */
    FC_M_FEET_TURN_OUT,   /* needs heels and toes (analysis/feet.h) */
    FC_M_KNEE_INSIDE_TOE, /* needs toes (analysis/feet.h) */
    FC_METRIC_COUNT
};

/* Feet (heels and toes; BlazePose, not MoveNet's COCO-17): heel_rise_pct
 * (side view) and feet_turn_out_deg (front view), each against the foot's
 * own standing posture, peak the largest; knee_inside_toe_pct (front view),
 * the knee against its own toe, read at the bottom. Definitions in
 * analysis/feet.h. */

/* What a metric needs from the input. */
enum fc_metric_plane {
    FC_PLANE_FRONTAL,  /* a front (or back) view */
    FC_PLANE_SAGITTAL, /* a side view */
    FC_PLANE_3D,       /* marker-based motion capture */
};

/* Which side of the body a value concerns (fc_metric_side_of). */
enum fc_metric_sides {
    FC_METRIC_SIDE_NONE,   /* the whole body (depth, forward lean): the rep's loaded leg,
                              when it has one, stands for it */
    FC_METRIC_SIDE_OWN,    /* one leg's measurement: its own side (fc_metric_info.side) */
    FC_METRIC_SIDE_SIGN,   /* signed left/right: + points to the subject's left, - right */
    FC_METRIC_SIDE_STANCE, /* measured relative to the stance leg: hip drop is the
                              unsupported side dropping, so its side is the stance leg's
                              and the hip that drops is the other one */
};

/* How a rep's peak is taken (fc_rep.peak in analysis/analyzer.h). */
enum fc_metric_peak {
    FC_PEAK_MAX,    /* the largest value: only one direction is a fault (flexion, depth) */
    FC_PEAK_BOTTOM, /* the value at the rep's bottom, where the knees carry the most
                       load: knee alignment over the feet, which a wide stance
                       already reads as "knees in" while standing (the legs slant
                       in from the feet to the hips); the KASR is taken at peak
                       knee flexion (Mizner 2012) */
    FC_PEAK_SIGNED, /* the largest deviation from zero, with its sign: either way is a
                       fault (valgus + and varus -, a lean to either side) */
};

/* The short on-screen words of a cue (report/annotate.h, fc_annotate_cue),
 * upper case. Placeholders: {side} the finding's side ("LEFT"), {other_side}
 * the opposite one, {fault} the threshold's own fault name. The *_no_side
 * texts are for a finding without a side; a NULL below / asymmetry pair
 * means the same words as the plain pair. */
struct fc_metric_cue {
    const char *with_side, *no_side;             /* the fault in its usual direction */
    const char *below_with_side, *below_no_side; /* a threshold whose bad direction is "below" */
    const char *asym_with_side, *asym_no_side;   /* a left-right asymmetry: {side} has more */
};

struct fc_metric_info {
    const char *name;  /* column name: "knee_fppa_left_deg" */
    const char *label; /* for people: "left knee FPPA (valgus +)" */
    const char *unit;  /* "deg", "%" */
    enum fc_metric_plane plane;
    int side; /* FC_SIDE_LEFT / FC_SIDE_RIGHT for one leg's metric, else -1 */
    enum fc_metric_sides sides;
    enum fc_metric_peak peak;
    int baseline_relative; /* 1: measured against the standing baseline, so a session
                              without a still standing phase may offset it */
    /* The metric of the other side whose left-minus-right difference the
     * analyzer reports (fc_analysis.asymmetry_*): left knee FPPA <-> right;
     * hip drop is its own pair (left stance minus right stance); -1 none. */
    int pair;
    const char *short_name; /* narrow column heading of the text report: "fppa_L" */
    struct fc_metric_cue cue;
    /* The error a camera off the measure's plane adds, per unit sin of the
     * angle off it (0: none known): the body's yaw for a frontal measure,
     * 90 deg - yaw for a sagittal one; and, for frontal measures, the yaw
     * beyond which the measure is not reported (0: no limit). Measured on
     * 3-D squats (metrics.c). */
    float turn_err_per_sin;
    float turn_max_deg;
};

/* NULL when m is out of range. */
const struct fc_metric_info *fc_metric_info(enum fc_metric m);
/* 1 when m needs the feet (heels and toes), which COCO-17 models lack. */
int fc_metric_needs_feet(enum fc_metric m);
/* -1 when unknown. */
int fc_metric_from_name(const char *name);
/* The side (FC_SIDE_LEFT, FC_SIDE_RIGHT, -1 none) a value v of m concerns,
 * as findings and cues name it: a leg's own metric its leg, a signed one the
 * side its sign points to (v > 0 left, else right), any other the stance
 * (loaded) leg given, which may be -1. */
int fc_metric_side_of(enum fc_metric m, double v, int stance);
/* The metric whose left-minus-right asymmetry covers m, as the pair
 * (*left, *right); 0 when the analyzer reports none for m. */
int fc_metric_asymmetry_pair(enum fc_metric m, enum fc_metric *left, enum fc_metric *right);

#endif
