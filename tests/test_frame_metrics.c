/* One frame's metrics (analysis/frame_metrics.h) alone, against a
 * reference written by hand: up is the image's up, the subject faces the
 * camera (left hip on the image right, so L = +x) or, side-on, faces +x.
 * Every expected angle comes from how the frame was drawn. */
#include <criterion/criterion.h>
#include <math.h>

#include "analysis/frame_metrics.h"
#include "core/units.h"

static struct fc_body_ref ref;
static struct fc_keypoints kp;
static float v[FC_METRIC_COUNT];

static void front_ref(void)
{
    fc_body_ref_init(&ref, FC_VIEW_FRONT);
    ref.U = (struct vec){0, -1};
    ref.L = (struct vec){1, 0};
    ref.F = ref.A = (struct vec){0, 0};
    ref.s_lu = sgnf(vcross(ref.L, ref.U));
    ref.hip_w = 80;
    ref.off0_lat = 0;
}

static void set(int j, double x, double y)
{
    fc_keypoints_set(&kp, j, (float)x, (float)y, NAN, 0.9f);
}

static struct fc_frame_ctx ctx(void)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        v[m] = NAN;
    struct fc_frame_ctx f = {&kp, seen_mask_body(&kp, 0.3f), 0, 1, {NAN, NAN}, 0, v, NULL};
    return f;
}

/* Standing from the front, hips at y = 360 and 80 px apart. */
static void front_frame(void)
{
    fc_keypoints_clear(&kp, 0);
    for (int s = 0; s < 2; s++) {
        double x = 640 + (s ? -40 : 40);
        set(sh_j[s], 640 + (s ? -70 : 70), 200);
        set(hip_j[s], x, 360);
        set(knee_j[s], x, 480);
        set(ank_j[s], x, 600);
    }
}

Test(frame_metrics, obliquity_and_hip_drop)
{
    front_ref();
    front_frame();
    /* The left hip 80 tan(5 deg) px higher: obliquity +5 deg (left up). */
    double d = 80 * tan(5 * FC_RAD_PER_DEG);
    set(LH, 680, 360 - d);
    struct fc_frame_ctx f = ctx();
    struct fc_metric_opts o = {FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT, FC_SIDE_RIGHT, 1, 0, 0, 0.3f};
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_PELVIC_OBLIQUITY], 5.0, 1e-3);
    /* Right stance: the left (unsupported) side rising is -5 of drop. */
    cr_expect_float_eq(v[FC_M_HIP_DROP], -5.0, 1e-3);
    /* No stance: no hip drop. */
    o.stance = -1;
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect(isnan(v[FC_M_HIP_DROP]));
}

Test(frame_metrics, fppa_and_a_body_turned_from_the_camera)
{
    front_ref();
    front_frame();
    /* Left knee 60 tan(6 deg) px towards the midline (-x): thigh and shank
     * each turn 6 deg, FPPA 12 deg valgus. */
    set(LK, 680 - 120 * tan(6 * FC_RAD_PER_DEG), 480);
    struct fc_frame_ctx f = ctx();
    struct fc_metric_opts o = {FC_EXERCISE_SQUAT, -1, 0, 0, 0, 0.3f};
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_FPPA_LEFT], 12.0, 1e-3);
    cr_expect_float_eq(v[FC_M_KNEE_FPPA_RIGHT], 0.0, 1e-3);
    /* Both knees 20 deg the same way across the picture (left valgus,
     * right varus) in a two-legged squat: a turned body, gaps. */
    set(RK, 600 - 120 * tan(10 * FC_RAD_PER_DEG), 480);
    set(LK, 680 - 120 * tan(10 * FC_RAD_PER_DEG), 480);
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect(isnan(v[FC_M_KNEE_FPPA_LEFT]) && isnan(v[FC_M_KNEE_FPPA_RIGHT]));
    cr_expect(isnan(v[FC_M_LATERAL_SHIFT]) && isnan(v[FC_M_TRUNK_LEAN_LATERAL]));
    /* The same knees in a lunge are knees. */
    o.exercise = FC_EXERCISE_LUNGE;
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_FPPA_LEFT], 20.0, 1e-3);
    cr_expect_float_eq(v[FC_M_KNEE_FPPA_RIGHT], -20.0, 1e-3);
}

Test(frame_metrics, fppa_only_while_the_thigh_keeps_its_length)
{
    front_ref();
    ref.thigh[0] = ref.thigh[1] = 120;
    struct fc_metric_opts o = {FC_EXERCISE_SQUAT, -1, 0, 0, 0, 0.3f};
    uint32_t deep;
    /* Hips 36 px lower: the thigh keeps 84 / 120 = 0.70, measured. A few
     * px more: not measurable at this depth, and said so. */
    const double drop[3] = {0, 35.9, 36.5};
    for (int i = 0; i < 3; i++) {
        front_frame();
        set(LH, 680, 360 + drop[i]);
        set(RH, 600, 360 + drop[i]);
        struct fc_frame_ctx f = ctx();
        deep = 0;
        f.out_of_plane = &deep;
        fc_frontal_metrics(&ref, &o, &f);
        int want = i < 2;
        cr_expect_eq(!isnan(v[FC_M_KNEE_FPPA_LEFT]), want, "drop %g", drop[i]);
        cr_expect_eq(!isnan(v[FC_M_KNEE_FPPA_RIGHT]), want, "drop %g", drop[i]);
        cr_expect_eq(deep, want ? 0u : (1u << FC_M_KNEE_FPPA_LEFT) | (1u << FC_M_KNEE_FPPA_RIGHT));
        /* The hip line is still measured. */
        cr_expect_float_eq(v[FC_M_PELVIC_OBLIQUITY], 0.0, 1e-3);
    }
}

Test(frame_metrics, fppa_beyond_what_a_knee_makes_is_a_leg_out_of_plane)
{
    front_ref();
    ref.thigh[0] = ref.thigh[1] = ref.shank[0] = ref.shank[1] = 120;
    struct fc_metric_opts o = {FC_EXERCISE_AUTO, -1, 0, 0, 0, 0.3f};
    /* The left knee towards the midline so that thigh and shank each turn
     * by half the angle: 30 deg is measured, 40 deg no knee makes. */
    const double fppa[2] = {30, 40};
    for (int i = 0; i < 2; i++) {
        front_frame();
        set(LK, 680 - 120 * tan(fppa[i] / 2 * FC_RAD_PER_DEG), 480);
        struct fc_frame_ctx f = ctx();
        uint32_t out = 0;
        f.out_of_plane = &out;
        fc_frontal_metrics(&ref, &o, &f);
        if (i == 0) {
            cr_expect_float_eq(v[FC_M_KNEE_FPPA_LEFT], 30.0, 1e-3);
            cr_expect_eq(out, 0u);
        } else {
            cr_expect(isnan(v[FC_M_KNEE_FPPA_LEFT]));
            cr_expect_eq(out, 1u << FC_M_KNEE_FPPA_LEFT);
        }
        cr_expect_float_eq(v[FC_M_KNEE_FPPA_RIGHT], 0.0, 1e-3);
    }
}

Test(frame_metrics, knee_to_ankle_separation_and_medial_knee_displacement)
{
    front_ref();
    ref.leg = 240;
    struct fc_metric_opts o = {FC_EXERCISE_SQUAT, -1, 0, 1, 0, 0.3f};
    /* Ankles 80 px apart; knees 10 px each towards the midline, at the
     * bottom of a squat (hips 100 px down, the thigh nearly end-on). */
    front_frame();
    set(LH, 680, 460);
    set(RH, 600, 460);
    set(LK, 670, 480);
    set(RK, 610, 480);
    struct fc_frame_ctx f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_ANKLE_SEP], 60.0 / 80.0 * 100, 1e-3);
    cr_expect_float_eq(v[FC_M_KNEE_MEDIAL_LEFT], 10.0 / 240 * 100, 1e-4);
    cr_expect_float_eq(v[FC_M_KNEE_MEDIAL_RIGHT], 10.0 / 240 * 100, 1e-4);
    /* Knees pushed out 8 px each: 96 / 80, lateral (negative). */
    set(LK, 688, 480);
    set(RK, 592, 480);
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_ANKLE_SEP], 96.0 / 80.0 * 100, 1e-3);
    cr_expect_float_eq(v[FC_M_KNEE_MEDIAL_LEFT], -8.0 / 240 * 100, 1e-4);
    /* The whole body 30 px to one side: the same knees over the feet. */
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        if (kp.score[j] > 0)
            kp.x[j] += 30;
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_ANKLE_SEP], 96.0 / 80.0 * 100, 1e-3);
    /* A body turned from the camera at depth: both knees (96 px apart) 24
     * px towards image right of their ankles, 10% of the leg, one inside
     * and one outside its ankle. The knees' own displacements, the shift
     * and the hips over the base are gaps; the separation ratio, which a
     * common sideways travel leaves alone, is still 96 / 80. */
    front_frame();
    set(LH, 680, 460);
    set(RH, 600, 460);
    set(LK, 688 + 24, 480);
    set(RK, 592 + 24, 480);
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_ANKLE_SEP], 96.0 / 80.0 * 100, 1e-3);
    cr_expect(isnan(v[FC_M_KNEE_MEDIAL_LEFT]) && isnan(v[FC_M_KNEE_MEDIAL_RIGHT]));
    cr_expect(isnan(v[FC_M_HIP_OVER_BASE]) && isnan(v[FC_M_LATERAL_SHIFT]));
    /* Feet together (10 px, under a tenth of the leg): no ratio, but each
     * knee against its own ankle still. */
    front_frame();
    set(LA, 645, 600);
    set(RA, 635, 600);
    set(LK, 640, 480);
    set(RK, 640, 480);
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect(isnan(v[FC_M_KNEE_ANKLE_SEP]));
    cr_expect_float_eq(v[FC_M_KNEE_MEDIAL_LEFT], 5.0 / 240 * 100, 1e-4);
    /* Not a bilateral squat: not measured. */
    o.knee_alignment = 0;
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect(isnan(v[FC_M_KNEE_MEDIAL_LEFT]) && isnan(v[FC_M_KNEE_ANKLE_SEP]));
}

Test(frame_metrics, lateral_shift_in_hip_widths)
{
    front_ref();
    front_frame();
    /* Hips 20 px to the subject's left over the ankles: 25% of 80 px. */
    set(LH, 700, 360);
    set(RH, 620, 360);
    struct fc_frame_ctx f = ctx();
    struct fc_metric_opts o = {FC_EXERCISE_SQUAT, -1, 0, 0, 0, 0.3f};
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_LATERAL_SHIFT], 25.0, 1e-3);
}

Test(frame_metrics, sagittal_angles_of_a_drawn_squat)
{
    /* Side-on facing +x: knee 30 deg of shin lean ahead of the ankle, thigh
     * 10 deg below horizontal back to the hip, trunk 40 deg forward. */
    fc_body_ref_init(&ref, FC_VIEW_SIDE);
    ref.U = (struct vec){0, -1};
    ref.F = ref.A = (struct vec){1, 0};
    ref.s_uf = sgnf(vcross(ref.U, ref.F));
    ref.s_flex = sgnf(vcross((struct vec){0, 1}, ref.A));
    ref.near_side = FC_SIDE_LEFT;
    ref.shank[0] = ref.shank[1] = 120; /* standing, as drawn */
    double s = 30 * FC_RAD_PER_DEG, th = 10 * FC_RAD_PER_DEG, tr = 40 * FC_RAD_PER_DEG;
    double ax = 640, ay = 600, kx = ax + 120 * sin(s), ky = ay - 120 * cos(s);
    double hx = kx - 120 * cos(th), hy = ky + 120 * sin(th);
    double sx = hx + 160 * sin(tr), sy = hy - 160 * cos(tr);
    fc_keypoints_clear(&kp, 0);
    for (int q = 0; q < 2; q++) {
        set(ank_j[q], ax, ay);
        set(knee_j[q], kx, ky);
        set(hip_j[q], hx, hy);
        set(sh_j[q], sx, sy);
    }
    struct fc_frame_ctx f = ctx();
    struct fc_metric_opts o = {FC_EXERCISE_SQUAT, -1, 0, 0, 0, 0.3f};
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_DEPTH], 10.0, 1e-3);
    cr_expect_float_eq(v[FC_M_KNEE_FLEXION_LEFT], 90 + 10 + 30, 1e-3);
    cr_expect_float_eq(v[FC_M_HIP_FLEXION_RIGHT], 90 + 10 + 40, 1e-3);
    cr_expect_float_eq(v[FC_M_TRUNK_FORWARD_LEAN], 40.0, 1e-3);
    cr_expect_float_eq(v[FC_M_TRUNK_SHIN_DIFF], 10.0, 1e-3);
    cr_expect(isnan(v[FC_M_KNEE_TRAVEL]));       /* no toe */
    cr_expect(isnan(v[FC_M_PELVIC_TILT_PROXY])); /* trunk not upright */
    /* With a big toe 20 px ahead of the ankle: the knee is 60 - 20 px past
     * it, a third of the 120 px shank. */
    set(FC_JOINT_LEFT_BIG_TOE, ax + 20, ay);
    f = ctx();
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_TRAVEL], 100.0 * 40 / 120, 1e-3);
}

Test(frame_metrics, depth_from_the_thigh_nearer_the_pictures_plane)
{
    /* Both thighs 10 deg below horizontal, 120 px long standing. The near
     * (left) one points partly at the camera: its forward run shows at 0.64
     * of its length and it reads atan(tan 10 / 0.64) = 15.4 deg; the far
     * one lies in the picture's plane and reads the true 10 deg, which is
     * the depth. With both in plane the near one is used. */
    fc_body_ref_init(&ref, FC_VIEW_SIDE);
    ref.U = (struct vec){0, -1};
    ref.F = ref.A = (struct vec){1, 0};
    ref.s_uf = sgnf(vcross(ref.U, ref.F));
    ref.s_flex = sgnf(vcross((struct vec){0, 1}, ref.A));
    ref.near_side = FC_SIDE_LEFT;
    ref.thigh[0] = ref.thigh[1] = 120;
    ref.shank[0] = ref.shank[1] = 120;
    double th = 10 * FC_RAD_PER_DEG, run = 120 * cos(th), drop = 120 * sin(th);
    const double near_run[2] = {0.64, 1.0};
    const double want[2] = {10.0, 10.0};
    for (int q = 0; q < 2; q++) {
        double hx = 500, hy = 400;
        fc_keypoints_clear(&kp, 0);
        set(FC_JOINT_LEFT_HIP, hx, hy);
        set(FC_JOINT_RIGHT_HIP, hx, hy);
        set(FC_JOINT_LEFT_KNEE, hx + near_run[q] * run, hy - drop);
        set(FC_JOINT_RIGHT_KNEE, hx + run, hy - drop);
        struct fc_frame_ctx f = ctx();
        struct fc_metric_opts o = {FC_EXERCISE_SQUAT, -1, 0, 0, 0, 0.3f};
        fc_sagittal_metrics(&ref, &o, &f);
        cr_expect_float_eq(v[FC_M_DEPTH], want[q], 1e-3, "near run %.2f: depth %.2f", near_run[q],
                           (double)v[FC_M_DEPTH]);
    }
}

/* Side-on facing +x, standing shanks 120 px; leg q's knee kx[q] px ahead of
 * its ankle at x = 640, its toe 30 px ahead of the ankle, the right foot
 * drawn drop_px lower in the picture than the left. */
static void travel_frame(const double kx[2], double drop_px)
{
    fc_body_ref_init(&ref, FC_VIEW_SIDE);
    ref.U = (struct vec){0, -1};
    ref.F = ref.A = (struct vec){1, 0};
    ref.s_uf = sgnf(vcross(ref.U, ref.F));
    ref.s_flex = sgnf(vcross((struct vec){0, 1}, ref.A));
    ref.near_side = FC_SIDE_LEFT; /* as the joints' scores may have it */
    ref.shank[0] = ref.shank[1] = 120;
    fc_keypoints_clear(&kp, 0);
    for (int q = 0; q < 2; q++) {
        double ay = 600 + (q ? drop_px : 0);
        set(ank_j[q], 640, ay);
        set(knee_j[q], 640 + kx[q], ay - sqrt(120 * 120 - kx[q] * kx[q]));
        set(hip_j[q], 640 + kx[q] - 120, ay - sqrt(120 * 120 - kx[q] * kx[q]));
        set(toe_j[q], 670, ay + 10);
    }
}

Test(frame_metrics, knee_travel_of_the_near_foot_in_standing_shanks)
{
    struct fc_metric_opts o = {FC_EXERCISE_SQUAT, -1, 0, 0, 0, 0.3f};
    /* feet level: the baseline's near leg (left), knee 60 px ahead of the
     * ankle, 30 px past the toe: a quarter of the 120 px shank */
    travel_frame((double[2]){60, 24}, 0);
    struct fc_frame_ctx f = ctx();
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_TRAVEL], 25.0, 1e-3);
    /* the right foot 60 px (half a shank) lower: nearer the camera, so its
     * knee, 24 px ahead of the ankle, 6 px behind the toe: -5% */
    travel_frame((double[2]){60, 24}, 60);
    f = ctx();
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_TRAVEL], -5.0, 1e-3);
    /* 6 px lower (within a tenth of a shank): level, the left leg again */
    travel_frame((double[2]){60, 24}, 6);
    f = ctx();
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_TRAVEL], 25.0, 1e-3);
    /* this frame's left ankle placed 40 px too high (a shank of 80 px in the
     * picture): the travel stays in standing shanks, 30 / 120 */
    travel_frame((double[2]){60, 24}, 0);
    set(FC_JOINT_LEFT_ANKLE, 640, 560);
    f = ctx();
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_TRAVEL], 25.0, 1e-3);
    /* the left toe behind its ankle: a landmark on the wrong foot, no value */
    travel_frame((double[2]){60, 24}, 0);
    set(FC_JOINT_LEFT_BIG_TOE, 620, 610);
    f = ctx();
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect(isnan(v[FC_M_KNEE_TRAVEL]));
    /* a lunge keeps its front leg (ankle further forward) whatever the feet's
     * heights: the right foot 60 px lower, but the left ankle 100 px ahead */
    travel_frame((double[2]){60, 24}, 60);
    for (int j = 0; j < 2; j++) {
        int jt[2] = {ank_j[0], toe_j[0]};
        kp.x[jt[j]] += 100;
    }
    kp.x[knee_j[0]] += 100;
    o.exercise = FC_EXERCISE_LUNGE;
    f = ctx();
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_KNEE_TRAVEL], 25.0, 1e-3);
}

Test(frame_metrics, hips_over_the_base_of_support)
{
    front_ref();
    ref.leg = 240;
    struct fc_metric_opts o = {FC_EXERCISE_OVERHEAD_SQUAT, -1, 0, 1, 0, 0.3f};
    front_frame();
    /* Ankles 80 px apart, centred under x = 640; the hips 20 px towards the
     * subject's left (image right): a quarter of the base, +25%. */
    set(LH, 700, 360);
    set(RH, 620, 360);
    struct fc_frame_ctx f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_HIP_OVER_BASE], 25.0, 1e-3);
    /* A wider stance (ankles 160 px apart): the same 20 px is 12.5%. */
    set(LA, 720, 600);
    set(RA, 560, 600);
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect_float_eq(v[FC_M_HIP_OVER_BASE], 12.5, 1e-3);
    /* Not a bilateral squat: not measured. */
    o.knee_alignment = 0;
    f = ctx();
    fc_frontal_metrics(&ref, &o, &f);
    cr_expect(isnan(v[FC_M_HIP_OVER_BASE]));
}

/* An overhead squat from the side, facing +x: the trunk 30 deg forward, the
 * upper arm at a known turn from the trunk line, the wrist at a known
 * distance ahead of the ankle. */
Test(frame_metrics, arms_of_an_overhead_squat)
{
    fc_body_ref_init(&ref, FC_VIEW_SIDE);
    ref.U = (struct vec){0, -1};
    ref.F = ref.A = (struct vec){1, 0};
    ref.s_uf = sgnf(vcross(ref.U, ref.F));
    ref.s_flex = sgnf(vcross((struct vec){0, 1}, ref.A));
    ref.near_side = FC_SIDE_LEFT;
    ref.shank[0] = ref.shank[1] = 120;
    const double tr = 30 * FC_RAD_PER_DEG;
    double hx = 600, hy = 480, sx = hx + 160 * sin(tr), sy = hy - 160 * cos(tr);
    const double turn_deg[3] = {0, 15, -20};
    for (int i = 0; i < 3; i++) {
        double a = tr + turn_deg[i] * FC_RAD_PER_DEG; /* the arm, forward of up */
        double ex = sx + 90 * sin(a), ey = sy - 90 * cos(a);
        double wx = ex + 70 * sin(a), wy = ey - 70 * cos(a);
        fc_keypoints_clear(&kp, 0);
        for (int q = 0; q < 2; q++) {
            set(ank_j[q], 640, 600);
            set(knee_j[q], 700, 520);
            set(hip_j[q], hx, hy);
            set(sh_j[q], sx, sy);
        }
        set(FC_JOINT_LEFT_ELBOW, ex, ey);
        set(FC_JOINT_LEFT_WRIST, wx, wy);
        struct fc_frame_ctx f = ctx();
        struct fc_metric_opts o = {FC_EXERCISE_OVERHEAD_SQUAT, -1, 0, 0, 1, 0.3f};
        fc_sagittal_metrics(&ref, &o, &f);
        cr_expect_float_eq(v[FC_M_ARM_FORWARD], turn_deg[i], 1e-3, "turn %g", turn_deg[i]);
        cr_expect_float_eq(v[FC_M_WRIST_AHEAD], (wx - 640) / 120 * 100, 1e-3);
        /* Arms not asked for (a plain squat): not measured. */
        o.overhead = 0;
        f = ctx();
        fc_sagittal_metrics(&ref, &o, &f);
        cr_expect(isnan(v[FC_M_ARM_FORWARD]) && isnan(v[FC_M_WRIST_AHEAD]));
    }
    /* Both arms seen, raised phi = 20 deg forward of the trunk and splayed
     * psi = 15 deg sideways, the camera beta = 30 deg short of side-on: the
     * picture's horizontal is cos(beta) forward + sin(beta) sideways, so
     * each arm shows (cos psi sin phi cos beta +- sin psi sin beta, cos psi
     * cos phi), 24.6 and 9.8 deg from the trunk line. Their mean keeps the
     * forward run alone, atan(tan phi cos beta) = 17.5 deg, within 0.5 deg;
     * either arm alone is 5-8 deg off it. The trunk stands upright here. */
    {
        const double phi = 20 * FC_RAD_PER_DEG, psi = 15 * FC_RAD_PER_DEG,
                     beta = 30 * FC_RAD_PER_DEG, len = 90;
        double fwd = cos(psi) * sin(phi) * cos(beta), side = sin(psi) * sin(beta),
               up = cos(psi) * cos(phi);
        fc_keypoints_clear(&kp, 0);
        for (int q = 0; q < 2; q++) {
            set(ank_j[q], 640, 600);
            set(knee_j[q], 640, 520);
            set(hip_j[q], 640, 480);
            set(sh_j[q], 640, 320);
        }
        set(FC_JOINT_LEFT_ELBOW, 640 + len * (fwd + side), 320 - len * up);
        set(FC_JOINT_RIGHT_ELBOW, 640 + len * (fwd - side), 320 - len * up);
        struct fc_frame_ctx f = ctx();
        struct fc_metric_opts o = {FC_EXERCISE_OVERHEAD_SQUAT, -1, 0, 0, 1, 0.3f};
        fc_sagittal_metrics(&ref, &o, &f);
        double want = atan(tan(phi) * cos(beta)) * FC_DEG_PER_RAD;
        cr_expect_float_eq(v[FC_M_ARM_FORWARD], want, 0.5, "arms %.2f, want %.2f",
                           (double)v[FC_M_ARM_FORWARD], want);
        cr_expect_gt(fabs(atan2(fwd + side, up) * FC_DEG_PER_RAD - want), 5);
        cr_expect_gt(fabs(atan2(fwd - side, up) * FC_DEG_PER_RAD - want), 5);
        /* The hands 2 x 20 px apart sideways over ankles 2 x 50 apart, 30 px
         * ahead of them: the wrists' midpoint against the ankles' reads 30
         * cos(beta) / 120 of the shank, where either wrist against its own
         * ankle adds (20 - 50) sin(beta) = -15 px. */
        for (int q = 0; q < 2; q++) {
            double lat = q == FC_SIDE_LEFT ? 1 : -1;
            set(ank_j[q], 640 + 50 * lat * sin(beta), 600);
            set(wrist_j[q], 640 + 30 * cos(beta) + 20 * lat * sin(beta), 150);
        }
        f = ctx();
        fc_sagittal_metrics(&ref, &o, &f);
        cr_expect_float_eq(v[FC_M_WRIST_AHEAD], 30 * cos(beta) / 120 * 100, 1e-3, "hands %.2f",
                           (double)v[FC_M_WRIST_AHEAD]);
        /* One wrist seen: that one against its own ankle. */
        kp.score[FC_JOINT_RIGHT_WRIST] = 0;
        f = ctx();
        fc_sagittal_metrics(&ref, &o, &f);
        cr_expect_float_eq(v[FC_M_WRIST_AHEAD], (30 * cos(beta) - 30 * sin(beta)) / 120 * 100, 1e-3,
                           "one wrist %.2f", (double)v[FC_M_WRIST_AHEAD]);
    }
    /* The elbow unseen: no arm angle. */
    kp.score[FC_JOINT_LEFT_ELBOW] = kp.score[FC_JOINT_RIGHT_ELBOW] = 0;
    struct fc_frame_ctx f = ctx();
    struct fc_metric_opts o = {FC_EXERCISE_OVERHEAD_SQUAT, -1, 0, 0, 1, 0.3f};
    fc_sagittal_metrics(&ref, &o, &f);
    cr_expect(isnan(v[FC_M_ARM_FORWARD]));
}
