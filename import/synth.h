/* formcheck import: a synthetic subject with known form.
 *
 * Generates the 2-D keypoints (COCO-17, pixels) a pose model would see of a
 * parametric body doing an exercise, seen from the front or the side, with
 * faults injected at known sizes. Every injected size is defined exactly as
 * the analyzer measures it (analysis/metrics.h), so a test can ask the
 * analyzer to find it again: with no noise and no roll the values are exact
 * at the bottom of each rep; noise, dropped joints and camera roll are added
 * on top, as a camera would.
 *
 *     struct fc_synth_params p = fc_synth_default_params();
 *     p.exercise = FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT;
 *     p.view = FC_VIEW_FRONT;
 *     p.faults.hip_drop_deg = 8;          // right hip drops 8 deg at the bottom
 *     p.faults.fppa_deg[FC_SIDE_LEFT] = 15;
 *     struct fc_pose_track t;
 *     fc_synth_generate(&p, &t, &err);
 *
 * Motion: the subject stands still for standing_s (the baseline), then does
 * `reps` repetitions of rep_s seconds each, separated by pause_s of
 * standing. Within a rep every fault grows with the movement as
 * sin^2(pi * phase), so it is zero standing and exactly its size at the
 * bottom (phase 0.5). Gait is walking in place (a treadmill): each "rep" is
 * one step, stances alternating left, right, left, ...
 *
 * Conventions (what the generator chose where the exercise leaves a choice)
 *   body      Winter's anthropometry (Biomechanics and Motor Control of Human
 *             Movement, 4th ed., fig. 4.1), as fractions of the standing
 *             height H: ankle joint 0.039 above the floor, shank 0.246,
 *             thigh 0.245, trunk (hip to shoulder joint) 0.288, hip width
 *             0.191, shoulder width 0.259, upper arm 0.186, forearm 0.146;
 *             nose 0.095 H above the shoulders.
 *   frames    round(rate_hz * (standing_s + reps * (rep_s + pause_s))): every
 *             rep, the last included, is followed by pause_s of standing.
 *             Frame i is at t = i / rate_hz; rep k's bottom is at
 *             standing_s + k * (rep_s + pause_s) + rep_s / 2.
 *   views     front: the subject faces the camera, so their left is at image
 *             right. side: facing_right shows the subject's RIGHT side (near,
 *             score 0.9); the far side's joints score 0.6 and are drawn 0.004 H
 *             higher and further back, the same shift for all of them, so every
 *             one-sided angle is unchanged. Frontal faults exist only in the
 *             front picture, sagittal ones in both (projected in the front view).
 *   camera    the figure is centred in the image (one placement for the whole
 *             track); camera_roll_deg rotates every point about the image
 *             centre, positive = counter-clockwise as seen in the image.
 *   sagittal  shin forward lean a (knee ahead of the ankle), thigh angle b from
 *             vertical, trunk lean g: knee flexion a + b, hip flexion b + g,
 *             depth b - 90, trunk-shin difference g - a, knee travel
 *             100 * sin(a) (COCO has no toe, so the ankle stands in for it).
 *             a = asin(knee_travel_pct / 100) when a travel is given, else 0.4 *
 *             knee flexion.
 *   pelvis    front view: obliquity = pelvic_obliquity_deg + hip_drop_deg with
 *             the stance side's sign (stance left: +).
 * Exercises
 *   squat                 both feet down, ankles 0.24 H apart, arms raised forward.
 *   overhead-squat        the squat with the arms held straight up in line with the
 *                         trunk (elbows 10 deg soft); arm_forward_deg turns the upper
 *                         arms forward of the trunk line, in full at the bottom.
 *   single-leg-squat-*    named by the stance leg; the free foot leaves the floor
 *                         as the rep starts and is held in front.
 *   lunge                 static split-stance lunge, the LEFT leg in front in every
 *                         rep; the feet 0.18 H ahead of and behind the hip. Standing
 *                         (baseline, pauses) is that split stance with both knees
 *                         straight (mid-ankle under the mid-hip), so knee travel there
 *                         is negative; the right heel rises 0.04 H during the rep.
 *   step-up               the LEFT leg leads. Standing on the floor in front of a box;
 *                         phase 0-0.2 the left foot goes up onto the box (its ankle is
 *                         the first to rise) and lands with the knee at
 *                         knee_flexion_deg (that sets the box height); 0.2-0.5 the hip
 *                         rises onto the left leg, whose knee extends to 10 deg at the
 *                         top, and the right foot comes up beside the box; then the
 *                         reverse. Frontal faults and trunk lean are exact at the top,
 *                         knee flexion at phase 0.2 and 0.8.
 *   single-leg-deadlift   stance LEFT; the trunk hinges forward, the right leg swings
 *                         back in line with it; hip drop is the right side's.
 *   glute-bridge          supine, feet towards the facing side; "standing" is lying
 *                         with the hips down, the top (phase 0.5) has hip flexion 0
 *                         and knee flexion knee_flexion_deg. Only obliquity and
 *                         lateral shift can be injected (FPPA and lateral lean need an
 *                         upright body).
 *   gait                  marching in place: the swing foot lifts (swing knee reaches
 *                         knee_flexion_deg, thigh half of it), the stance knee flexes
 *                         10 deg; arms swing opposite to the legs.
 *   hip_drop_deg needs a stance side (single-leg squats, step-up, single-leg
 *   deadlift, gait); knee_travel_pct needs a squat or a lunge; other
 *   combinations are rejected rather than silently ignored.
 *
 * Where it lives: import/synth_params.c (defaults, the normal form per
 * exercise, the checks), import/synth.c (the body, the poses, the views,
 * the camera).
 */
#ifndef FC_IMPORT_SYNTH_H
#define FC_IMPORT_SYNTH_H

#include <stddef.h>

#include "core/error.h"
#include "core/exercise.h"
#include "core/keypoints.h"

/* Sizes at the bottom of every rep, in the analyzer's definitions. */
struct fc_synth_faults {
    double hip_drop_deg;           /* unsupported side drops (single-leg work, gait) */
    double pelvic_obliquity_deg;   /* two-legged work: left hip up positive */
    double fppa_deg[2];            /* knee FPPA, [FC_SIDE_LEFT], [FC_SIDE_RIGHT]; valgus + */
    double trunk_lean_lateral_deg; /* towards the subject's left + */
    double lateral_shift_pct;      /* mid-hip towards the left, % of hip width */
    double knee_flexion_deg;       /* peak knee flexion; 0 = the exercise's normal depth */
    double trunk_forward_lean_deg; /* peak forward lean; < 0 (default -1) = the exercise's normal */
    double knee_travel_pct;        /* lunge / squat: knee past the toe, % shank length */
    double arm_forward_deg;        /* overhead squat: the upper arms forward of the trunk line */
};

struct fc_synth_params {
    enum fc_exercise exercise; /* not AUTO */
    enum fc_view view;         /* FRONT or SIDE */
    int facing_right;          /* side view: subject faces image right (1, default) or left */
    int reps;                  /* 5 */
    double rep_s, pause_s, standing_s; /* 2.0, 0.6, 1.5 */
    double rate_hz;                    /* 30 */
    int width, height;                 /* image size, 1280 x 720 */
    double subject_height_px;          /* standing height in the image, 500 */
    double noise_px;                   /* Gaussian noise on every coordinate (sd), 0 */
    double drop_fraction;              /* fraction of joint samples dropped (score 0), 0 */
    double camera_roll_deg;            /* image rotated about its centre, 0 */
    unsigned seed;                     /* for noise and drops, 1 */
    struct fc_synth_faults faults;
};

struct fc_synth_params fc_synth_default_params(void);

/* The exercise's fault-free depth and lean (what 0 / <0 in faults means). */
double fc_synth_normal_knee_flexion_deg(enum fc_exercise e);
double fc_synth_normal_trunk_lean_deg(enum fc_exercise e);

/* Generates the track (out is initialised here; free it with
 * fc_pose_track_free). FC_ERR_ARG with a message naming the parameter when
 * p is invalid or the body would leave the image; out is then empty. */
/* The checks fc_synth_generate makes first: 0, or FC_ERR_ARG naming the
 * parameter out of range or the fault the exercise cannot show. */
int fc_synth_check(const struct fc_synth_params *p, struct fc_error *err);

int fc_synth_generate(const struct fc_synth_params *p, struct fc_pose_track *out,
                      struct fc_error *err);

/* The bookkeeping above, for tests that look at particular frames. */
size_t fc_synth_frame_count(const struct fc_synth_params *p);
double fc_synth_rep_bottom_s(const struct fc_synth_params *p, int rep);
/* The side carrying the load in rep k (enum fc_side), -1 for two-legged work. */
int fc_synth_rep_stance(const struct fc_synth_params *p, int rep);

#endif
