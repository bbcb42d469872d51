/* formcheck: a synthetic subject with known form.
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
 */
#ifndef FC_POSE_SYNTH_H
#define FC_POSE_SYNTH_H

#include "core/exercise.h"
#include "core/error.h"
#include "pose/keypoints.h"

/* Sizes at the bottom of every rep, in the analyzer's definitions. */
struct fc_synth_faults {
    double hip_drop_deg;           /* unsupported side drops (single-leg work, gait) */
    double pelvic_obliquity_deg;   /* two-legged work: left hip up positive */
    double fppa_deg[2];            /* knee FPPA, [FC_SIDE_LEFT], [FC_SIDE_RIGHT]; valgus + */
    double trunk_lean_lateral_deg; /* towards the subject's left + */
    double lateral_shift_pct;      /* mid-hip towards the left, % of hip width */
    double knee_flexion_deg;       /* peak knee flexion; 0 = the exercise's normal depth */
    double trunk_forward_lean_deg; /* peak forward lean; < 0 = the exercise's normal */
    double knee_travel_pct;        /* lunge / squat: knee past the toe, % shank length */
};

struct fc_synth_params {
    enum fc_exercise exercise; /* not AUTO */
    enum fc_view view;         /* FRONT or SIDE */
    int facing_right;          /* side view: subject faces image right (1) or left (0) */
    int reps;                  /* 5 */
    double rep_s, pause_s, standing_s; /* 2.0, 0.6, 1.5 */
    double rate_hz;            /* 30 */
    int width, height;         /* image size, 1280 x 720 */
    double subject_height_px;  /* standing height in the image, 500 */
    double noise_px;           /* Gaussian noise on every coordinate (sd), 0 */
    double drop_fraction;      /* fraction of joint samples dropped (score 0), 0 */
    double camera_roll_deg;    /* image rotated about its centre, 0 */
    unsigned seed;             /* for noise and drops */
    struct fc_synth_faults faults;
};

struct fc_synth_params fc_synth_default_params(void);

/* The exercise's fault-free depth and lean (what 0 / <0 in faults means). */
double fc_synth_normal_knee_flexion_deg(enum fc_exercise e);
double fc_synth_normal_trunk_lean_deg(enum fc_exercise e);

int fc_synth_generate(const struct fc_synth_params *p, struct fc_pose_track *out,
                      struct fc_error *err);

#endif
