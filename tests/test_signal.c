/* The movement signals and the AUTO exercise (analysis/signal.h) alone,
 * against a reference written down by hand: up is the image's up, legs
 * 240 px (hips at y = 360, ankles at y = 600), torso 160. A hip 36 px lower
 * has descended 0.15 leg; a whole body 24 px lower (a nudged camera) has
 * not sunk at all. */
#include <criterion/criterion.h>
#include <math.h>

#include "analysis/signal.h"
#include "core/units.h"

#define CX 640.0f

static struct fc_body_ref ref;
static struct fc_keypoints kp;
static float hip_y[2], ank_y[2], sh_y;

static void reset(enum fc_view view)
{
    fc_body_ref_init(&ref, view);
    ref.U = (struct vec){0, -1};
    ref.F = (struct vec){1, 0};
    ref.leg = 240;
    ref.torso = 160;
    ref.h0_midhip = -360;
    ref.h0_hip[0] = ref.h0_hip[1] = -360;
    ref.h0_ankle[0] = ref.h0_ankle[1] = -600;
    ref.lead_fixed = -1;
    ref.ref_upright = 1;
    hip_y[0] = hip_y[1] = 360;
    ank_y[0] = ank_y[1] = 600;
    sh_y = 200;
}

/* The figure facing the camera (left on the image right) as a frame. */
static struct fc_frame_ctx frame(void)
{
    fc_keypoints_clear(&kp, 0);
    for (int s = 0; s < 2; s++) {
        float x = CX + (s ? -40.0f : 40.0f);
        fc_keypoints_set(&kp, sh_j[s], CX + (s ? -70.0f : 70.0f), sh_y, NAN, 0.9f);
        fc_keypoints_set(&kp, hip_j[s], x, hip_y[s], NAN, 0.9f);
        fc_keypoints_set(&kp, knee_j[s], x, 0.5f * (hip_y[s] + ank_y[s]), NAN, 0.9f);
        fc_keypoints_set(&kp, ank_j[s], x, ank_y[s], NAN, 0.9f);
    }
    struct fc_frame_ctx f = {&kp, seen_mask_body(&kp, 0.3f), 0, 1, {NAN, NAN}, 0, NULL, NULL};
    f.lifts_ok = fc_ankle_lifts(&ref, &kp, f.seen, f.lift);
    return f;
}

static enum fc_exercise infer(struct fc_auto *au, int *rest)
{
    struct fc_frame_ctx f = frame();
    return fc_auto_infer(au, &ref, &f, rest);
}

Test(signal, hip_descent_and_sink)
{
    reset(FC_VIEW_FRONT);
    hip_y[0] = hip_y[1] = 396;
    struct fc_frame_ctx f = frame();
    cr_expect_float_eq(fc_hip_descent(&ref, &kp, f.seen), 0.15, 1e-6);
    cr_expect_float_eq(fc_hip_sink(&ref, STANCE_NONE, &kp, f.seen), 0.15, 1e-6);
    /* The whole picture 24 px lower: the hip descends 0.1 in the image,
     * but so do the planted feet. */
    hip_y[0] = hip_y[1] = 384;
    ank_y[0] = ank_y[1] = 624;
    f = frame();
    cr_expect_float_eq(fc_hip_descent(&ref, &kp, f.seen), 0.1, 1e-6);
    cr_expect_float_eq(fc_hip_sink(&ref, STANCE_NONE, &kp, f.seen), 0.0, 1e-6);
    /* One hip seen: its own descent. */
    reset(FC_VIEW_FRONT);
    hip_y[0] = 408;
    f = frame();
    f.seen &= ~BIT(RH);
    cr_expect_float_eq(fc_hip_descent(&ref, &kp, f.seen), 0.2, 1e-6);
}

Test(signal, signals_by_exercise)
{
    reset(FC_VIEW_FRONT);
    ank_y[0] = 576; /* the left foot lifted 0.1 leg */
    struct fc_frame_ctx f = frame();
    cr_assert_eq(f.lifts_ok, 1);
    cr_expect_float_eq(f.lift[0], 0.1, 1e-6);
    cr_expect_float_eq(f.lift[1], 0.0, 1e-6);
    cr_expect_float_eq(fc_movement_signal(&ref, fc_exercise_cfg(FC_EXERCISE_GAIT), &f), 0.1, 1e-6);
    /* Bridge: the hip rising 32 px is a fifth of the torso. */
    reset(FC_VIEW_SIDE);
    hip_y[0] = hip_y[1] = 328;
    f = frame();
    cr_expect_float_eq(fc_movement_signal(&ref, fc_exercise_cfg(FC_EXERCISE_GLUTE_BRIDGE), &f), 0.2,
                       1e-6);
    /* Single-leg deadlift from the front: a trunk foreshortened to
     * 160 cos 45 deg is inclined 45 deg: signal 0.5. */
    reset(FC_VIEW_FRONT);
    sh_y = 360 - 160 * (float)cos(FC_PI / 4);
    f = frame();
    cr_expect_float_eq(
        fc_movement_signal(&ref, fc_exercise_cfg(FC_EXERCISE_SINGLE_LEG_DEADLIFT), &f), 0.5, 1e-4);
}

Test(signal, stride_separation)
{
    reset(FC_VIEW_SIDE);
    fc_keypoints_clear(&kp, 0);
    fc_keypoints_set(&kp, LA, 500, 600, NAN, 0.9f);
    fc_keypoints_set(&kp, RA, 596, 600, NAN, 0.9f);
    uint32_t m = seen_mask_body(&kp, 0.3f);
    cr_expect_float_eq(fc_stride_separation(&ref, &kp, m), 0.4, 1e-6);
    cr_expect(isnan(fc_stride_separation(&ref, &kp, m & ~BIT(RA))));
}

Test(signal, auto_from_the_first_clear_movement)
{
    struct fc_auto au;
    int rest;
    /* Still: undecided, at rest. */
    reset(FC_VIEW_FRONT);
    fc_auto_init(&au);
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_AUTO);
    cr_expect_eq(rest, 1);
    /* Hip down 0.15 on both feet: squat. */
    hip_y[0] = hip_y[1] = 396;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_SQUAT);
    /* ... with the right foot up 0.1: a single-leg squat on the left. */
    reset(FC_VIEW_FRONT);
    fc_auto_init(&au);
    hip_y[0] = hip_y[1] = 396;
    ank_y[1] = 576;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT);
    /* ... with the feet at different heights in the standing reference
     * (the back heel up), from the front: a lunge. */
    reset(FC_VIEW_FRONT);
    fc_auto_init(&au);
    ref.h0_ankle[1] = -620;
    ank_y[1] = 620;
    hip_y[0] = hip_y[1] = 396;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_LUNGE);
    /* Seen obliquely, the ankles 80 px apart across the picture (a third
     * of the leg) both standing and at the bottom: the stance's width, not
     * a split, so a squat; the same separation appearing only at the
     * bottom is a lunge. */
    for (int split = 0; split < 2; split++) {
        reset(FC_VIEW_OBLIQUE);
        fc_auto_init(&au);
        ref.ank_sep0 = split ? 0 : 80;
        hip_y[0] = hip_y[1] = 396;
        cr_expect_eq(infer(&au, &rest), split ? FC_EXERCISE_LUNGE : FC_EXERCISE_SQUAT, "split %d",
                     split);
    }
    /* Hip up 0.15: step-up. */
    reset(FC_VIEW_FRONT);
    fc_auto_init(&au);
    hip_y[0] = hip_y[1] = 324;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_STEP_UP);
    /* Trunk inclined 40 deg (front view: foreshortened), hip level:
     * single-leg deadlift. */
    reset(FC_VIEW_FRONT);
    fc_auto_init(&au);
    sh_y = 360 - 160 * (float)cos(40 * FC_RAD_PER_DEG);
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_SINGLE_LEG_DEADLIFT);
    /* Lying reference: glute bridge. */
    reset(FC_VIEW_SIDE);
    fc_auto_init(&au);
    ref.lying = 1;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_GLUTE_BRIDGE);
}

Test(signal, auto_gait_from_a_step)
{
    struct fc_auto au;
    int rest;
    reset(FC_VIEW_FRONT);
    fc_auto_init(&au);
    /* The left foot lifts 0.1 leg with the hip level: not yet decided. */
    ank_y[0] = 576;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_AUTO);
    cr_expect_eq(rest, 0);
    cr_expect_eq(au.lifted, FC_SIDE_LEFT);
    /* Set down again: a step, which counts as the first rep. */
    ank_y[0] = 600;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_GAIT);
    cr_expect_eq(au.first_step, 1);
    /* The hip sinking 0.06 while the foot was up is no step (a single-leg
     * squat was beginning). */
    reset(FC_VIEW_FRONT);
    fc_auto_init(&au);
    ank_y[0] = 576;
    hip_y[0] = hip_y[1] = 374.4f;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_AUTO);
    ank_y[0] = 600;
    hip_y[0] = hip_y[1] = 360;
    cr_expect_eq(infer(&au, &rest), FC_EXERCISE_AUTO);
    cr_expect_eq(au.first_step, 0);
    /* A foot lifted and set down from a reference that never stood upright
     * (a held half squat) is no step; nor with steps ignored. */
    for (int variant = 0; variant < 2; variant++) {
        reset(FC_VIEW_FRONT);
        fc_auto_init(&au);
        if (variant)
            au.no_gait = 1;
        else
            ref.ref_upright = 0;
        ank_y[0] = 576;
        cr_expect_eq(infer(&au, &rest), FC_EXERCISE_AUTO);
        ank_y[0] = 600;
        cr_expect_eq(infer(&au, &rest), FC_EXERCISE_AUTO, "variant %d", variant);
        cr_expect_eq(au.first_step, 0);
    }
}
