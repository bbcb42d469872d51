/* The streaming analyzer on hand-built stick figures: every expected value
 * comes from how the figure was drawn (a knee placed medially by a known
 * angle, a hip line turned by a known angle, ...), never from the code
 * under test. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "analysis/analyzer.h"
#include "core/units.h"

#define RATE 30.0
#define CX 640.0
#define CY 360.0

/* A figure in image pixels (x right, y down); NaN = not seen. */
struct fig {
    double x[FC_COCO17_COUNT], y[FC_COCO17_COUNT];
    float score[FC_COCO17_COUNT];
};

static void fig_clear(struct fig *f)
{
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        f->x[j] = f->y[j] = NAN;
        f->score[j] = 0.9f;
    }
}

static void put(struct fig *f, int j, double x, double y)
{
    f->x[j] = x;
    f->y[j] = y;
}

/* Rotates p about (cx, cy) by deg, positive clockwise on screen. */
static void rot(double *x, double *y, double cx, double cy, double deg)
{
    double r = deg * FC_RAD_PER_DEG, dx = *x - cx, dy = *y - cy;
    *x = cx + dx * cos(r) - dy * sin(r);
    *y = cy + dx * sin(r) + dy * cos(r);
}

/* The figure as a keypoint frame, the whole image turned by roll_deg about
 * its centre (a tilted camera), counter-clockwise on screen as import/synth.h
 * and the analyzer count camera roll. */
static void emit(const struct fig *f, double t, double roll_deg, struct fc_keypoints *k)
{
    fc_keypoints_clear(k, t);
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        if (isnan(f->x[j]))
            continue;
        double x = f->x[j], y = f->y[j];
        rot(&x, &y, CX, CY, -roll_deg);
        fc_keypoints_set(k, j, (float)x, (float)y, NAN, f->score[j]);
    }
}

/* Facing the camera: the subject's left is on the image right. Ankles 80 px
 * apart, legs vertical (shank 120, thigh 120), hips 80 px apart, shoulders
 * 140 px apart, torso 160: shoulder width / torso = 0.875. half_sh scales
 * the shoulders and hips for oblique figures. */
static void front_standing(struct fig *f, double half_sh)
{
    fig_clear(f);
    double half_hip = 40.0 * half_sh / 70.0;
    put(f, FC_JOINT_LEFT_ANKLE, CX + half_hip, 600);
    put(f, FC_JOINT_RIGHT_ANKLE, CX - half_hip, 600);
    put(f, FC_JOINT_LEFT_KNEE, CX + half_hip, 480);
    put(f, FC_JOINT_RIGHT_KNEE, CX - half_hip, 480);
    put(f, FC_JOINT_LEFT_HIP, CX + half_hip, 360);
    put(f, FC_JOINT_RIGHT_HIP, CX - half_hip, 360);
    put(f, FC_JOINT_LEFT_SHOULDER, CX + half_sh, 200);
    put(f, FC_JOINT_RIGHT_SHOULDER, CX - half_sh, 200);
    put(f, FC_JOINT_LEFT_ELBOW, CX + half_sh + 10, 280);
    put(f, FC_JOINT_RIGHT_ELBOW, CX - half_sh - 10, 280);
    put(f, FC_JOINT_LEFT_WRIST, CX + half_sh + 15, 350);
    put(f, FC_JOINT_RIGHT_WRIST, CX - half_sh - 15, 350);
    put(f, FC_JOINT_NOSE, CX, 150);
    put(f, FC_JOINT_LEFT_EYE, CX + 8, 142);
    put(f, FC_JOINT_RIGHT_EYE, CX - 8, 142);
    put(f, FC_JOINT_LEFT_EAR, CX + 16, 148);
    put(f, FC_JOINT_RIGHT_EAR, CX - 16, 148);
}

static const int upper_body[] = {
    FC_JOINT_NOSE,        FC_JOINT_LEFT_EYE,      FC_JOINT_RIGHT_EYE,      FC_JOINT_LEFT_EAR,
    FC_JOINT_RIGHT_EAR,   FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER, FC_JOINT_LEFT_ELBOW,
    FC_JOINT_RIGHT_ELBOW, FC_JOINT_LEFT_WRIST,    FC_JOINT_RIGHT_WRIST,
};
#define N_UPPER (sizeof upper_body / sizeof upper_body[0])

/* Knee of `side` moved towards the midline, perpendicular to the hip-ankle
 * line at its middle, so that thigh and shank each turn by deg/2: FPPA deg. */
static void fig_fppa(struct fig *f, int side, double deg)
{
    int h = side ? FC_JOINT_RIGHT_HIP : FC_JOINT_LEFT_HIP;
    int o = side ? FC_JOINT_LEFT_HIP : FC_JOINT_RIGHT_HIP;
    int k = side ? FC_JOINT_RIGHT_KNEE : FC_JOINT_LEFT_KNEE;
    int a = side ? FC_JOINT_RIGHT_ANKLE : FC_JOINT_LEFT_ANKLE;
    double dx = f->x[a] - f->x[h], dy = f->y[a] - f->y[h], len = hypot(dx, dy);
    double nx = -dy / len, ny = dx / len;
    if (nx * (f->x[o] - f->x[h]) + ny * (f->y[o] - f->y[h]) < 0) {
        nx = -nx;
        ny = -ny;
    }
    double d = 0.5 * len * tan(0.5 * deg * FC_RAD_PER_DEG);
    put(f, k, f->x[h] + 0.5 * dx + d * nx, f->y[h] + 0.5 * dy + d * ny);
}

/* The hip line turned about the mid-hip so the LEFT hip rises by deg. */
static void fig_obliquity(struct fig *f, double deg)
{
    double mx = 0.5 * (f->x[FC_JOINT_LEFT_HIP] + f->x[FC_JOINT_RIGHT_HIP]);
    double my = 0.5 * (f->y[FC_JOINT_LEFT_HIP] + f->y[FC_JOINT_RIGHT_HIP]);
    /* The left hip is on the image right here: rising = turning it
     * anticlockwise on screen. */
    rot(&f->x[FC_JOINT_LEFT_HIP], &f->y[FC_JOINT_LEFT_HIP], mx, my, -deg);
    rot(&f->x[FC_JOINT_RIGHT_HIP], &f->y[FC_JOINT_RIGHT_HIP], mx, my, -deg);
}

/* The upper body turned about the mid-hip towards the subject's left. */
static void fig_lean(struct fig *f, double deg)
{
    double mx = 0.5 * (f->x[FC_JOINT_LEFT_HIP] + f->x[FC_JOINT_RIGHT_HIP]);
    double my = 0.5 * (f->y[FC_JOINT_LEFT_HIP] + f->y[FC_JOINT_RIGHT_HIP]);
    for (size_t i = 0; i < N_UPPER; i++)
        rot(&f->x[upper_body[i]], &f->y[upper_body[i]], mx, my, deg);
}

/* Hips and everything above moved by (dx, dy) px; knees and ankles stay. */
static void fig_move_top(struct fig *f, double dx, double dy)
{
    for (size_t i = 0; i < N_UPPER; i++) {
        f->x[upper_body[i]] += dx;
        f->y[upper_body[i]] += dy;
    }
    f->x[FC_JOINT_LEFT_HIP] += dx;
    f->x[FC_JOINT_RIGHT_HIP] += dx;
    f->y[FC_JOINT_LEFT_HIP] += dy;
    f->y[FC_JOINT_RIGHT_HIP] += dy;
}

/* Side-on, facing +x (facing = 1) or -x (-1); both sides drawn on top of
 * each other. Shank 120 leaning forward by shin_deg, thigh 120 at
 * thigh_deg below horizontal from the knee back to the hip (-90: standing),
 * torso 160 leaning forward by trunk_deg. Then, by construction:
 *   depth = thigh_deg; knee flexion = 90 + thigh_deg + shin_deg;
 *   hip flexion = 90 + thigh_deg + trunk_deg; knee travel = 100 sin(shin). */
static void side_pose(struct fig *f, double facing, double shin_deg, double thigh_deg,
                      double trunk_deg)
{
    fig_clear(f);
    double s = shin_deg * FC_RAD_PER_DEG, th = thigh_deg * FC_RAD_PER_DEG,
           tr = trunk_deg * FC_RAD_PER_DEG;
    double ax = CX, ay = 600;
    double kx = ax + facing * 120 * sin(s), ky = ay - 120 * cos(s);
    double hx = kx - facing * 120 * cos(th), hy = ky + 120 * sin(th);
    double sx = hx + facing * 160 * sin(tr), sy = hy - 160 * cos(tr);
    /* The head upright above the shoulder (nose ahead of the ears), then
     * turned with the trunk. */
    double ex = sx - facing * 2, ey = sy - 52, nx = sx + facing * 20, ny = sy - 50;
    rot(&ex, &ey, sx, sy, facing * trunk_deg);
    rot(&nx, &ny, sx, sy, facing * trunk_deg);
    for (int side = 0; side < 2; side++) {
        put(f, side ? FC_JOINT_RIGHT_ANKLE : FC_JOINT_LEFT_ANKLE, ax, ay);
        put(f, side ? FC_JOINT_RIGHT_KNEE : FC_JOINT_LEFT_KNEE, kx, ky);
        put(f, side ? FC_JOINT_RIGHT_HIP : FC_JOINT_LEFT_HIP, hx, hy);
        put(f, side ? FC_JOINT_RIGHT_SHOULDER : FC_JOINT_LEFT_SHOULDER, sx, sy);
        put(f, side ? FC_JOINT_RIGHT_EAR : FC_JOINT_LEFT_EAR, ex, ey);
    }
    put(f, FC_JOINT_NOSE, nx, ny);
}

/* An analyzer fed `still` for standing_s, then `pose` for n frames; the
 * last frame's metrics are returned. */
struct run {
    struct fc_analyzer *a;
    struct fc_frame_metrics last;
    double t;
};

static void run_begin(struct run *r, enum fc_exercise e, enum fc_view v)
{
    struct fc_analyzer_params p = fc_analyzer_default_params();
    p.exercise = e;
    p.view = v;
    p.peak_window_s = 0; /* exact geometry: raw per-frame extremes */
    struct fc_error err = {0};
    cr_assert_eq(fc_analyzer_create(&r->a, &p, &err), 0, "%s", err.msg);
    r->t = 0;
}

static void run_push(struct run *r, const struct fig *f, double roll, int n)
{
    struct fc_keypoints k;
    for (int i = 0; i < n; i++) {
        emit(f, r->t, roll, &k);
        fc_analyzer_push(r->a, &k, &r->last);
        r->t += 1.0 / RATE;
    }
}

/* Standing 2.1 s: longer than the analyzer waits before locking a still
 * baseline, so every posed frame after it is measured. */
#define STAND_FRAMES 63

static void expect(float got, double want, double tol, const char *what)
{
    cr_assert(fabs(got - want) <= tol, "%s: got %.4f, want %.4f", what, got, want);
}

/* ---- frontal metrics ---------------------------------------------------- */

Test(analyzer, fppa_value_and_sign)
{
    for (int roll = 0; roll <= 7; roll += 7) {
        struct run r;
        run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
        struct fig f;
        front_standing(&f, 70);
        run_push(&r, &f, roll, STAND_FRAMES);
        /* Left knee 12 deg valgus, right knee 6 deg varus. */
        fig_fppa(&f, FC_SIDE_LEFT, 12.0);
        fig_fppa(&f, FC_SIDE_RIGHT, -6.0);
        run_push(&r, &f, roll, 1);
        expect(r.last.value[FC_M_KNEE_FPPA_LEFT], 12.0, 1e-3, "left FPPA");
        expect(r.last.value[FC_M_KNEE_FPPA_RIGHT], -6.0, 1e-3, "right FPPA");
        /* Sagittal metrics are not measured from the front. */
        cr_assert(isnan(r.last.value[FC_M_KNEE_FLEXION_LEFT]));
        cr_assert(isnan(r.last.value[FC_M_DEPTH]));
        struct fc_analysis res;
        fc_analyzer_finish(r.a, &res);
        cr_assert_eq(res.view, FC_VIEW_FRONT);
        cr_assert_float_eq(res.camera_roll_deg, (double)roll, 1e-3);
        cr_assert(res.has_baseline);
        fc_analyzer_free(r.a);
    }
}

Test(analyzer, obliquity_hip_drop_lean_shift)
{
    /* Each value with the whole scene (baseline included) turned by 0 and
     * by 7 deg: the camera roll cancels. */
    for (int roll = 0; roll <= 7; roll += 7) {
        struct run r;
        run_begin(&r, FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT, FC_VIEW_AUTO);
        struct fig f, g;
        front_standing(&f, 70);
        run_push(&r, &f, roll, STAND_FRAMES);

        g = f;
        fig_obliquity(&g, 5.0); /* left hip up 5 deg */
        run_push(&r, &g, roll, 1);
        expect(r.last.value[FC_M_PELVIC_OBLIQUITY], 5.0, 1e-3, "obliquity");
        /* Stance left: the right (unsupported) hip dropping = left up. */
        expect(r.last.value[FC_M_HIP_DROP], 5.0, 1e-3, "hip drop");

        g = f;
        fig_lean(&g, 9.0); /* trunk 9 deg towards the subject's left */
        run_push(&r, &g, roll, 1);
        expect(r.last.value[FC_M_TRUNK_LEAN_LATERAL], 9.0, 1e-3, "lateral lean");
        expect(r.last.value[FC_M_PELVIC_OBLIQUITY], 0.0, 1e-3, "obliquity stays");

        g = f;
        fig_lean(&g, -4.0);
        run_push(&r, &g, roll, 1);
        expect(r.last.value[FC_M_TRUNK_LEAN_LATERAL], -4.0, 1e-3, "lean to the right");

        g = f;
        fig_move_top(&g, 20.0, 0.0); /* pelvis 20 px towards the left = 25% of 80 px */
        run_push(&r, &g, roll, 1);
        expect(r.last.value[FC_M_LATERAL_SHIFT], 25.0, 1e-2, "lateral shift");

        struct fc_analysis res;
        fc_analyzer_finish(r.a, &res);
        cr_assert_float_eq(res.camera_roll_deg, (double)roll, 1e-3);
        fc_analyzer_free(r.a);
    }
}

Test(analyzer, hip_drop_sign_follows_the_stance_side)
{
    struct run r;
    run_begin(&r, FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT, FC_VIEW_AUTO);
    struct fig f;
    front_standing(&f, 70);
    run_push(&r, &f, 0, STAND_FRAMES);
    fig_obliquity(&f, -6.0); /* left hip 6 deg down: right stance, left side drops */
    run_push(&r, &f, 0, 1);
    expect(r.last.value[FC_M_PELVIC_OBLIQUITY], -6.0, 1e-3, "obliquity");
    expect(r.last.value[FC_M_HIP_DROP], 6.0, 1e-3, "hip drop");
    fc_analyzer_free(r.a);

    /* Two-legged work has no unsupported side. */
    run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
    front_standing(&f, 70);
    run_push(&r, &f, 0, STAND_FRAMES);
    fig_obliquity(&f, 3.0);
    run_push(&r, &f, 0, 1);
    expect(r.last.value[FC_M_PELVIC_OBLIQUITY], 3.0, 1e-3, "obliquity");
    cr_assert(isnan(r.last.value[FC_M_HIP_DROP]));
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.metric[FC_M_HIP_DROP].measurable, 0);
    fc_analyzer_free(r.a);
}

Test(analyzer, back_view_keeps_the_subjects_sides)
{
    /* Filmed from behind: the subject's left is on the image left. The same
     * left-hip-up and left valgus must read the same. */
    struct run r;
    run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
    struct fig f;
    front_standing(&f, 70);
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        if (!isnan(f.x[j]))
            f.x[j] = 2 * CX - f.x[j];
    run_push(&r, &f, 0, STAND_FRAMES);
    struct fig g = f;
    /* Left hip (image left now) up by 4 deg: turn it clockwise on screen. */
    double mx = CX, my = 360;
    rot(&g.x[FC_JOINT_LEFT_HIP], &g.y[FC_JOINT_LEFT_HIP], mx, my, 4.0);
    rot(&g.x[FC_JOINT_RIGHT_HIP], &g.y[FC_JOINT_RIGHT_HIP], mx, my, 4.0);
    run_push(&r, &g, 0, 1);
    expect(r.last.value[FC_M_PELVIC_OBLIQUITY], 4.0, 1e-3, "obliquity from behind");
    g = f;
    fig_fppa(&g, FC_SIDE_LEFT, 10.0);
    run_push(&r, &g, 0, 1);
    expect(r.last.value[FC_M_KNEE_FPPA_LEFT], 10.0, 1e-3, "left FPPA from behind");
    fc_analyzer_free(r.a);
}

/* ---- sagittal metrics ------------------------------------------------- */

Test(analyzer, sagittal_angles_on_a_known_squat)
{
    for (int facing = -1; facing <= 1; facing += 2)
        for (int roll = 0; roll <= 7; roll += 7) {
            struct run r;
            run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
            struct fig f;
            side_pose(&f, facing, 0, -90, 0);
            run_push(&r, &f, roll, STAND_FRAMES);
            const double shin = 30, thigh = 10, trunk = 40;
            side_pose(&f, facing, shin, thigh, trunk);
            run_push(&r, &f, roll, 1);
            const float *v = r.last.value;
            expect(v[FC_M_DEPTH], thigh, 1e-3, "depth");
            expect(v[FC_M_KNEE_FLEXION_LEFT], 90 + thigh + shin, 1e-3, "left knee flexion");
            expect(v[FC_M_KNEE_FLEXION_RIGHT], 90 + thigh + shin, 1e-3, "right knee flexion");
            expect(v[FC_M_HIP_FLEXION_LEFT], 90 + thigh + trunk, 1e-3, "hip flexion");
            expect(v[FC_M_TRUNK_FORWARD_LEAN], trunk, 1e-3, "forward lean");
            expect(v[FC_M_TRUNK_SHIN_DIFF], trunk - shin, 1e-3, "trunk - shin");
            /* COCO-17 has no toe, so no knee travel (see analysis/kinematics.h). */
            cr_assert(isnan(v[FC_M_KNEE_TRAVEL]), "knee travel without a toe");
            /* The trunk is not upright: no lumbo-pelvic proxy. */
            cr_assert(isnan(v[FC_M_PELVIC_TILT_PROXY]));
            /* Frontal metrics are not measured from the side. */
            cr_assert(isnan(v[FC_M_KNEE_FPPA_LEFT]) && isnan(v[FC_M_PELVIC_OBLIQUITY]));

            /* Above parallel: negative depth; shin behind vertical. */
            side_pose(&f, facing, -5, -30, 10);
            run_push(&r, &f, roll, 1);
            expect(v[FC_M_DEPTH], -30, 1e-3, "depth above parallel");
            expect(v[FC_M_TRUNK_SHIN_DIFF], 15, 1e-3, "trunk - shin");
            /* Upright trunk: the proxy is the hip flexion change. */
            expect(v[FC_M_PELVIC_TILT_PROXY], 90 - 30 + 10, 1e-3, "tilt proxy");

            struct fc_analysis res;
            fc_analyzer_finish(r.a, &res);
            cr_assert_eq(res.view, FC_VIEW_SIDE);
            cr_assert_float_eq(res.camera_roll_deg, (double)roll, 1e-3);
            fc_analyzer_free(r.a);
        }
}

/* ---- views ---------------------------------------------------------------- */

static struct fc_analysis view_of(const struct fig *f, enum fc_view user, struct fc_analyzer **a)
{
    struct run r;
    run_begin(&r, FC_EXERCISE_SQUAT, user);
    run_push(&r, f, 0, STAND_FRAMES + 10);
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    *a = r.a;
    return res;
}

Test(analyzer, view_detection)
{
    struct fig f;
    struct fc_analyzer *a;
    front_standing(&f, 70);
    struct fc_analysis res = view_of(&f, FC_VIEW_AUTO, &a);
    cr_assert_eq(res.view_detected, FC_VIEW_FRONT);
    cr_assert_eq(res.view, FC_VIEW_FRONT);
    cr_assert_float_eq(res.shoulder_width_ratio, 140.0 / 160.0, 1e-4);
    cr_assert(res.view_confidence > 0.9f, "%g", (double)res.view_confidence);
    cr_assert_eq(res.view_from_user, 0);
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        enum fc_metric_plane pl = fc_metric_info(m)->plane;
        int want = pl == FC_PLANE_FRONTAL && m != FC_M_HIP_DROP;
        cr_assert_eq(res.metric[m].measurable, want, "%s", fc_metric_info(m)->name);
        if (!want)
            cr_assert_eq(res.metric[m].frames, 0, "%s", fc_metric_info(m)->name);
    }
    fc_analyzer_free(a);

    side_pose(&f, 1, 0, -90, 0);
    res = view_of(&f, FC_VIEW_AUTO, &a);
    cr_assert_eq(res.view, FC_VIEW_SIDE);
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        /* the arms' two only in an overhead squat */
        int want = fc_metric_info(m)->plane == FC_PLANE_SAGITTAL && m != FC_M_ARM_FORWARD &&
                   m != FC_M_WRIST_AHEAD;
        cr_assert_eq(res.metric[m].measurable, want, "%s", fc_metric_info(m)->name);
    }
    fc_analyzer_free(a);

    /* Turned about 60 deg: shoulders 70 px of 160 (0.44). Neither plane. */
    front_standing(&f, 35);
    res = view_of(&f, FC_VIEW_AUTO, &a);
    cr_assert_eq(res.view_detected, FC_VIEW_OBLIQUE);
    cr_assert_eq(res.view, FC_VIEW_OBLIQUE);
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        cr_assert_eq(res.metric[m].measurable, 0, "%s", fc_metric_info(m)->name);
    fc_analyzer_free(a);

    /* The user's word wins, and the detection is still reported. */
    front_standing(&f, 70);
    res = view_of(&f, FC_VIEW_SIDE, &a);
    cr_assert_eq(res.view, FC_VIEW_SIDE);
    cr_assert_eq(res.view_detected, FC_VIEW_FRONT);
    cr_assert_eq(res.view_from_user, 1);
    fc_analyzer_free(a);
}

Test(analyzer, unmeasurable_metrics_are_nan_in_every_frame)
{
    for (int side_view = 0; side_view < 2; side_view++) {
        struct run r;
        run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
        struct fig f;
        if (side_view)
            side_pose(&f, 1, 0, -90, 0);
        else
            front_standing(&f, 70);
        struct fc_keypoints k;
        for (int i = 0; i < 200; i++) {
            struct fig g = f;
            if (side_view)
                side_pose(&g, 1, 20 * sin(i * 0.1), -90 + 60 * sin(i * 0.1), 20);
            else
                fig_move_top(&g, 0, 40 * fabs(sin(i * 0.1)));
            emit(&g, i / RATE, 0, &k);
            fc_analyzer_push(r.a, &k, &r.last);
            for (int m = 0; m < FC_METRIC_COUNT; m++) {
                enum fc_metric_plane pl = fc_metric_info(m)->plane;
                int other = side_view ? pl != FC_PLANE_SAGITTAL : pl != FC_PLANE_FRONTAL;
                if (other)
                    cr_assert(isnan(r.last.value[m]), "frame %d %s", i, fc_metric_info(m)->name);
            }
        }
        fc_analyzer_free(r.a);
    }
}

/* ---- gaps ----------------------------------------------------------------- */

/* One squat rep seen from the front: hips and trunk sink by depth_px with
 * sin^2, the left knee goes valgus by fppa_deg * sin^2. */
static void front_rep_frame(struct fig *f, double phase, double depth_px, double fppa_deg)
{
    front_standing(f, 70);
    double w = sin(FC_PI * phase);
    w *= w;
    fig_move_top(f, 0, depth_px * w);
    fig_fppa(f, FC_SIDE_LEFT, fppa_deg * w);
}

Test(analyzer, missing_knee_is_a_gap_not_a_guess)
{
    struct run r;
    run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
    struct fig f;
    front_standing(&f, 70);
    run_push(&r, &f, 0, STAND_FRAMES);
    struct fc_keypoints k;
    const int n = 60;
    int gaps = 0;
    for (int i = 0; i <= n; i++) {
        /* A shallow squat (the hips sink 30 of the thigh's 120 px): the
         * thigh keeps 75% of its length and the FPPA stays measurable. */
        front_rep_frame(&f, (double)i / n, 30, 10);
        int gap = i == 20 || i == 21 || i == 30;
        if (gap) {
            f.x[FC_JOINT_LEFT_KNEE] = NAN;
            gaps++;
        }
        emit(&f, r.t, 0, &k);
        if (i == 40)
            k.score[FC_JOINT_LEFT_KNEE] = 0.1f; /* below min_score: also a gap */
        fc_analyzer_push(r.a, &k, &r.last);
        r.t += 1 / RATE;
        if (gap || i == 40)
            cr_assert(isnan(r.last.value[FC_M_KNEE_FPPA_LEFT]) && !r.last.tracked, "frame %d", i);
        else
            cr_assert(!isnan(r.last.value[FC_M_KNEE_FPPA_LEFT]), "frame %d", i);
        /* Metrics without the knee go on. */
        cr_assert(!isnan(r.last.value[FC_M_PELVIC_OBLIQUITY]));
    }
    front_standing(&f, 70);
    run_push(&r, &f, 0, 10);
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.n_reps, 1);
    /* The bottom frame (i = 30) was a gap: the peak comes from its
     * neighbours, and is below the drawn 10 deg. */
    cr_assert(res.reps[0].tracked_fraction < 1.0f, "%g", (double)res.reps[0].tracked_fraction);
    cr_assert(res.reps[0].peak[FC_M_KNEE_FPPA_LEFT] < 10.0f);
    cr_assert(res.reps[0].peak[FC_M_KNEE_FPPA_LEFT] > 9.0f);
    cr_assert(isnan(res.reps[0].at_bottom[FC_M_KNEE_FPPA_LEFT]));
    fc_analyzer_free(r.a);
}

/* A deep squat from the front: the thigh's projection shrinks as the hips
 * sink towards the knees. The FPPA is measured while the thigh keeps 70% of
 * its standing 120 px (the hips down by at most 36 px) and is "not
 * measurable at this depth" below; the knees' separation against the
 * ankles' and each knee's displacement from its ankle hold at any depth. */
Test(analyzer, fppa_not_measurable_at_depth_knee_alignment_is)
{
    struct run r;
    run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
    struct fig f;
    front_standing(&f, 70);
    run_push(&r, &f, 0, STAND_FRAMES);
    struct fc_keypoints k;
    const int n = 60;
    const double depth_px = 96, knee_in_px = 12; /* at the bottom */
    long deep = 0;
    for (int i = 0; i <= n; i++) {
        double w = sin(FC_PI * i / n);
        w *= w;
        front_standing(&f, 70);
        fig_move_top(&f, 0, depth_px * w);
        /* Both knees towards the midline by knee_in_px * w (ankles 80 px
         * apart, knees over them standing). */
        f.x[FC_JOINT_LEFT_KNEE] -= knee_in_px * w;
        f.x[FC_JOINT_RIGHT_KNEE] += knee_in_px * w;
        emit(&f, r.t, 0, &k);
        fc_analyzer_push(r.a, &k, &r.last);
        r.t += 1 / RATE;
        double thigh = hypot(knee_in_px * w, 120 - depth_px * w);
        int measurable = thigh >= 0.7 * 120;
        deep += !measurable;
        for (int s = 0; s < 2; s++) {
            float fppa = r.last.value[FC_M_KNEE_FPPA_LEFT + s];
            int bit = (r.last.out_of_plane >> (FC_M_KNEE_FPPA_LEFT + s)) & 1;
            cr_assert_eq(!isnan(fppa), measurable, "frame %d side %d: %g", i, s, (double)fppa);
            cr_assert_eq(bit, !measurable, "frame %d side %d", i, s);
            expect(r.last.value[FC_M_KNEE_MEDIAL_LEFT + s], knee_in_px * w / 240 * 100, 1e-3,
                   "medial knee displacement");
        }
        expect(r.last.value[FC_M_KNEE_ANKLE_SEP], (80 - 2 * knee_in_px * w) / 80 * 100, 1e-3,
               "KASR");
    }
    front_standing(&f, 70);
    run_push(&r, &f, 0, 10);
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.n_reps, 1);
    cr_assert_gt(deep, 10);
    cr_assert_eq(res.metric[FC_M_KNEE_FPPA_LEFT].frames_out_of_plane, deep);
    cr_assert_eq(res.metric[FC_M_KNEE_ANKLE_SEP].frames_out_of_plane, 0);
    /* The rep's KASR is its smallest, at the bottom; the medial
     * displacement its largest. */
    expect(res.reps[0].peak[FC_M_KNEE_ANKLE_SEP], (80 - 2 * knee_in_px) / 80.0 * 100, 0.2,
           "KASR peak");
    expect(res.metric[FC_M_KNEE_ANKLE_SEP].max_peak, (80 - 2 * knee_in_px) / 80.0 * 100, 0.2,
           "KASR worst peak");
    expect(res.reps[0].peak[FC_M_KNEE_MEDIAL_RIGHT], knee_in_px / 240 * 100, 0.05, "medial peak");
    fc_analyzer_free(r.a);
}

Test(analyzer, low_confidence_stretches)
{
    struct run r;
    run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
    struct fig f, none;
    front_standing(&f, 70);
    fig_clear(&none);
    run_push(&r, &f, 0, STAND_FRAMES);
    double t0 = r.t;
    run_push(&r, &none, 0, 15); /* 0.5 s lost */
    run_push(&r, &f, 0, 30);
    run_push(&r, &none, 0, 3); /* 0.1 s: too short to report */
    run_push(&r, &f, 0, 30);
    double t1 = r.t;
    run_push(&r, &none, 0, 12); /* lost at the end, 0.4 s */
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.n_low_confidence, 2);
    cr_assert_float_eq(res.low_confidence[0].t_start_s, t0, 1e-9);
    cr_assert_float_eq(res.low_confidence[0].t_end_s, t0 + 0.5, 1e-9);
    cr_assert_float_eq(res.low_confidence[1].t_start_s, t1, 1e-9);
    cr_assert_float_eq(res.low_confidence[1].t_end_s, t1 + 0.4, 1e-9);
    cr_assert_float_eq(res.low_confidence_s, 0.9, 1e-9);
    cr_assert_eq(res.frames, (size_t)STAND_FRAMES + 15 + 30 + 3 + 30 + 12);
    cr_assert_eq(res.frames_tracked, (size_t)STAND_FRAMES + 60);
    fc_analyzer_free(r.a);
}

/* ---- reps ------------------------------------------------------------------ */

Test(analyzer, counts_reps_on_a_hip_height_signal)
{
    struct run r;
    run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
    struct fig f;
    front_standing(&f, 70);
    run_push(&r, &f, 0, 30); /* 1 s standing, then reps: lock at the first movement */
    const int reps = 7, per_rep = 60, pause = 15;
    double t_rep0[7];
    struct fc_keypoints k;
    int frames_in_rep = 0;
    for (int q = 0; q < reps; q++) {
        t_rep0[q] = r.t;
        for (int i = 0; i < per_rep; i++) {
            /* Descent 30% of the 240 px leg, FPPA 8 + q deg at the bottom. */
            front_rep_frame(&f, (double)i / per_rep, 72, 8.0 + q);
            emit(&f, r.t, 0, &k);
            fc_analyzer_push(r.a, &k, &r.last);
            frames_in_rep += r.last.rep >= 0;
            r.t += 1 / RATE;
        }
        front_standing(&f, 70);
        run_push(&r, &f, 0, pause);
    }
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.n_reps, (size_t)reps);
    cr_assert_eq(res.n_reps_detailed, (size_t)reps);
    cr_assert(frames_in_rep > reps * per_rep / 2);
    cr_assert(res.has_baseline);
    for (int q = 0; q < reps; q++) {
        const struct fc_rep *p = &res.reps[q];
        cr_assert_eq(p->index, q);
        cr_assert(p->t_start_s < p->t_bottom_s && p->t_bottom_s < p->t_end_s, "rep %d", q);
        /* The bottom is the middle frame of the drawn rep. */
        cr_assert_float_eq(p->t_bottom_s, t_rep0[q] + 30 / RATE, 1e-9, "rep %d", q);
        cr_assert(p->t_start_s >= t_rep0[q] - 1e-9 && p->t_end_s <= t_rep0[q] + 2.0 + 1e-9);
        cr_assert_eq(p->side, -1);
        expect(p->peak[FC_M_KNEE_FPPA_LEFT], 8.0 + q, 1e-3, "rep FPPA peak");
        expect(p->at_bottom[FC_M_KNEE_FPPA_LEFT], 8.0 + q, 1e-3, "FPPA at the bottom");
        cr_assert_float_eq(p->t_peak_s[FC_M_KNEE_FPPA_LEFT], p->t_bottom_s, 1e-9);
        cr_assert_float_eq(p->tracked_fraction, 1.0f, 1e-6);
    }
    const struct fc_metric_summary *s = &res.metric[FC_M_KNEE_FPPA_LEFT];
    cr_assert_eq(s->reps, reps);
    expect(s->mean_peak, 11.0, 1e-3, "mean peak");
    expect(s->max_peak, 14.0, 1e-3, "max peak");
    expect(s->sd_peak, sqrt(28.0 / 6.0), 1e-3, "sd of the peaks"); /* 8..14 */
    expect(res.asymmetry_fppa_deg, 11.0, 1e-3, "left - right FPPA");
    fc_analyzer_free(r.a);
}

Test(analyzer, rep_peaks_are_smoothed_but_keep_their_height)
{
    /* Default peak window: 0.4 s at 30 Hz = 13 frames, a quadratic
     * Savitzky-Golay fit centred on each frame (centre weights
     * c_k = 3 (3h^2 + 3h - 1 - 5k^2) / ((2h - 1)(2h + 1)(2h + 3)), h = 6).
     * A one-frame spike is averaged away; a smooth sin^2 peak keeps its
     * height to within a hundredth of a degree. */
    struct fc_analyzer_params p = fc_analyzer_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    struct fc_analyzer *a;
    struct fc_error err = {0};
    cr_assert_eq(fc_analyzer_create(&a, &p, &err), 0);
    struct fig f;
    struct fc_keypoints k;
    struct fc_frame_metrics m;
    double t = 0;
    front_standing(&f, 70);
    for (int i = 0; i < STAND_FRAMES; i++, t += 1 / RATE) {
        emit(&f, t, 0, &k);
        fc_analyzer_push(a, &k, &m);
    }
    double t_bottom = 0;
    for (int i = 0; i <= 60; i++, t += 1 / RATE) {
        front_rep_frame(&f, i / 60.0, 72, 10);
        if (i == 15)
            fig_fppa(&f, FC_SIDE_LEFT, 15); /* a one-frame glitch: raw, it would be the peak */
        if (i == 30)
            t_bottom = t;
        emit(&f, t, 0, &k);
        fc_analyzer_push(a, &k, &m);
    }
    struct fc_analysis res;
    fc_analyzer_finish(a, &res);
    cr_assert_eq(res.n_reps, 1);
    const int h = 6;
    double want = 0;
    for (int q = -h; q <= h; q++) {
        double w = sin(FC_PI * (30 + q) / 60.0);
        double c =
            3.0 * (3 * h * h + 3 * h - 1 - 5 * q * q) / ((2 * h - 1) * (2 * h + 1) * (2 * h + 3));
        want += c * 10 * w * w;
    }
    expect(res.reps[0].peak[FC_M_KNEE_FPPA_LEFT], want, 1e-3, "smoothed peak");
    expect(res.reps[0].peak[FC_M_KNEE_FPPA_LEFT], 10.0, 0.01, "smoothed peak's height");
    cr_assert_float_eq(res.reps[0].t_peak_s[FC_M_KNEE_FPPA_LEFT], t_bottom, 1e-9);
    /* The value at the bottom frame stays the raw one. */
    expect(res.reps[0].at_bottom[FC_M_KNEE_FPPA_LEFT], 10.0, 1e-3, "at the bottom");
    fc_analyzer_free(a);
}

Test(analyzer, shallow_wobbles_are_not_reps)
{
    struct run r;
    run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
    struct fig f;
    front_standing(&f, 70);
    run_push(&r, &f, 0, STAND_FRAMES);
    struct fc_keypoints k;
    for (int i = 0; i < 600; i++) {
        struct fig g = f;
        /* 4% of the leg up and down, below the start threshold. */
        fig_move_top(&g, 3 * sin(i * 0.7), 10 * fabs(sin(i * 0.05)));
        emit(&g, r.t, 0, &k);
        fc_analyzer_push(r.a, &k, &r.last);
        r.t += 1 / RATE;
    }
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.n_reps, 0);
    cr_assert(isnan(res.metric[FC_M_KNEE_FPPA_LEFT].mean_peak));
    /* Every frame after the baseline locked (at 2 s of standing). */
    cr_assert(res.metric[FC_M_KNEE_FPPA_LEFT].frames >= 600 &&
              res.metric[FC_M_KNEE_FPPA_LEFT].frames <= 603);
    fc_analyzer_free(r.a);
}

Test(analyzer, no_standing_phase_still_gives_a_baseline)
{
    struct run r;
    run_begin(&r, FC_EXERCISE_SQUAT, FC_VIEW_AUTO);
    struct fig f;
    struct fc_keypoints k;
    for (int q = 0; q < 4; q++)
        for (int i = 0; i < 60; i++) {
            /* Starts in the middle of a fast descent. */
            front_rep_frame(&f, (double)((i + 15) % 60) / 60, 120, 0);
            emit(&f, r.t, 0, &k);
            fc_analyzer_push(r.a, &k, &r.last);
            r.t += 1 / RATE;
        }
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.has_baseline, 0);
    cr_assert_eq(res.view, FC_VIEW_FRONT);
    cr_assert(res.n_reps >= 2, "%zu reps", res.n_reps);
    fc_analyzer_free(r.a);
}

/* ---- memory stays flat --------------------------------------------------- */

Test(analyzer, a_million_frames_in_flat_memory)
{
    struct fc_analyzer_params p = fc_analyzer_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    p.max_reps = 8;
    p.peak_window_s = 0;
    struct fc_analyzer *a;
    struct fc_error err = {0};
    cr_assert_eq(fc_analyzer_create(&a, &p, &err), 0);
    /* One cycle: 1 s standing-still for the baseline first, then a rep of
     * 40 frames and 10 frames standing, repeated. */
    enum { CYCLE = 50 };
    static struct fc_keypoints cycle[CYCLE];
    struct fig f;
    for (int i = 0; i < CYCLE; i++) {
        if (i < 40)
            front_rep_frame(&f, i / 40.0, 72, 10);
        else
            front_standing(&f, 70);
        emit(&f, 0, 0, &cycle[i]);
    }
    struct fc_keypoints still;
    front_standing(&f, 70);
    emit(&f, 0, 0, &still);
    struct fc_frame_metrics m;
    double t = 0;
    for (int i = 0; i < 30; i++, t += 1 / RATE) {
        still.t_s = t;
        fc_analyzer_push(a, &still, &m);
    }
#ifdef __GLIBC__
    struct mallinfo2 before = mallinfo2();
#endif
    const long n = 1000000;
    for (long i = 0; i < n; i++, t += 1 / RATE) {
        struct fc_keypoints *k = &cycle[i % CYCLE];
        k->t_s = t;
        fc_analyzer_push(a, k, &m);
    }
#ifdef __GLIBC__
    struct mallinfo2 after = mallinfo2();
    cr_assert_eq(after.uordblks, before.uordblks, "the heap grew by %zd bytes",
                 (ssize_t)(after.uordblks - before.uordblks));
#endif
    struct fc_analysis res;
    fc_analyzer_finish(a, &res);
    cr_assert_eq(res.n_reps, (size_t)(n / CYCLE), "%zu reps", res.n_reps);
    cr_assert_eq(res.n_reps_detailed, 8);
    cr_assert_eq(res.metric[FC_M_KNEE_FPPA_LEFT].reps, n / CYCLE);
    expect(res.metric[FC_M_KNEE_FPPA_LEFT].mean_peak, 10.0, 1e-3, "mean over all reps");
    fc_analyzer_free(a);
}

/* ---- exercise inference, offline, markers, errors ----------------------- */

Test(analyzer, auto_exercise_from_the_movement)
{
    /* A side-view squat. */
    struct run r;
    run_begin(&r, FC_EXERCISE_AUTO, FC_VIEW_AUTO);
    struct fig f;
    side_pose(&f, 1, 0, -90, 0);
    run_push(&r, &f, 0, 30);
    struct fc_keypoints k;
    for (int q = 0; q < 3; q++) {
        for (int i = 0; i < 60; i++) {
            double w = sin(FC_PI * i / 60.0);
            w *= w;
            side_pose(&f, 1, 30 * w, -90 + 95 * w, 35 * w);
            emit(&f, r.t, 0, &k);
            fc_analyzer_push(r.a, &k, &r.last);
            r.t += 1 / RATE;
        }
        side_pose(&f, 1, 0, -90, 0);
        run_push(&r, &f, 0, 15);
    }
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.exercise, FC_EXERCISE_SQUAT);
    cr_assert_eq(res.n_reps, 3);
    expect(res.reps[0].peak[FC_M_DEPTH], 5.0, 1e-3, "depth of the first rep");
    fc_analyzer_free(r.a);

    /* From the front: the right foot lifts, then the hips sink: a left
     * single-leg squat. */
    run_begin(&r, FC_EXERCISE_AUTO, FC_VIEW_AUTO);
    front_standing(&f, 70);
    run_push(&r, &f, 0, 30);
    for (int q = 0; q < 3; q++) {
        for (int i = 0; i < 80; i++) {
            front_standing(&f, 70);
            double lift = i < 10 ? i / 10.0 : i >= 70 ? (80 - i) / 10.0 : 1.0;
            f.y[FC_JOINT_RIGHT_ANKLE] -= 40 * lift;
            f.y[FC_JOINT_RIGHT_KNEE] -= 20 * lift;
            double w = i < 10 || i >= 70 ? 0 : sin(FC_PI * (i - 10) / 60.0);
            fig_move_top(&f, 0, 60 * w * w);
            fig_obliquity(&f, 6 * w * w);
            emit(&f, r.t, 0, &k);
            fc_analyzer_push(r.a, &k, &r.last);
            r.t += 1 / RATE;
        }
        front_standing(&f, 70);
        run_push(&r, &f, 0, 15);
    }
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.exercise, FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT);
    cr_assert_eq(res.n_reps, 3);
    cr_assert_eq(res.reps[2].side, FC_SIDE_LEFT);
    expect(res.reps[2].peak[FC_M_HIP_DROP], 6.0, 1e-3, "hip drop");
    fc_analyzer_free(r.a);
}

Test(analyzer, step_up_from_the_floor_takes_the_first_foot_up_as_stance)
{
    /* Both feet on the floor; the right foot goes onto a 60 px step, then
     * the body rises 80 px (a third of the leg) on it while the left
     * (unsupported) hip drops 5 deg: hip drop +5 with stance right. */
    struct run r;
    run_begin(&r, FC_EXERCISE_STEP_UP, FC_VIEW_AUTO);
    struct fig f;
    front_standing(&f, 70);
    run_push(&r, &f, 0, STAND_FRAMES);
    for (int q = 0; q < 3; q++) {
        struct fc_keypoints k;
        for (int i = 0; i < 80; i++) {
            front_standing(&f, 70);
            double up = i < 10 ? i / 10.0 : i >= 70 ? (80 - i) / 10.0 : 1.0;
            f.y[FC_JOINT_RIGHT_ANKLE] -= 60 * up;
            f.y[FC_JOINT_RIGHT_KNEE] -= 60 * up;
            double w = i < 10 || i >= 70 ? 0 : sin(FC_PI * (i - 10) / 60.0);
            fig_move_top(&f, 0, -80 * w * w);
            fig_obliquity(&f, -5 * w * w);
            emit(&f, r.t, 0, &k);
            fc_analyzer_push(r.a, &k, &r.last);
            r.t += 1 / RATE;
        }
        front_standing(&f, 70);
        run_push(&r, &f, 0, 15);
    }
    struct fc_analysis res;
    fc_analyzer_finish(r.a, &res);
    cr_assert_eq(res.n_reps, 3);
    for (size_t q = 0; q < 3; q++) {
        cr_assert_eq(res.reps[q].side, FC_SIDE_RIGHT, "rep %zu", q);
        expect(res.reps[q].peak[FC_M_HIP_DROP], 5.0, 1e-3, "hip drop");
        expect(res.reps[q].peak[FC_M_PELVIC_OBLIQUITY], -5.0, 1e-3, "obliquity");
    }
    cr_assert(isnan(res.asymmetry_hip_drop_deg), "only right-stance reps");
    fc_analyzer_free(r.a);
}

Test(analyzer, offline_zero_lag_matches_the_streaming_values_on_clean_data)
{
    struct fc_pose_track t;
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    t.rate_hz = RATE;
    struct fc_error err = {0};
    struct fig f;
    int n = 0;
    for (int i = 0; i < 45; i++, n++) {
        front_standing(&f, 70);
        emit(&f, n / RATE, 0, fc_pose_track_push(&t, &err));
    }
    for (int q = 0; q < 3; q++) {
        for (int i = 0; i < 60; i++, n++) {
            front_rep_frame(&f, i / 60.0, 72, 12);
            emit(&f, n / RATE, 0, fc_pose_track_push(&t, &err));
        }
        for (int i = 0; i < 15; i++, n++) {
            front_standing(&f, 70);
            emit(&f, n / RATE, 0, fc_pose_track_push(&t, &err));
        }
    }
    struct fc_analyzer_params p = fc_analyzer_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    p.peak_window_s = 0;
    struct fc_frame_metrics *fm;
    struct fc_analysis res;
    struct fc_analyzer *a;
    float knee_x = t.frames[100].x[FC_JOINT_LEFT_KNEE];
    cr_assert_eq(fc_analyze_track(&t, &p, 1, 6.0, &fm, &res, &a, &err), 0, "%s", err.msg);
    cr_assert_eq(res.n_reps, 3);
    /* A slow sin^2 (0.5 Hz) goes through a 6 Hz low-pass untouched. */
    for (size_t q = 0; q < res.n_reps; q++)
        expect(res.reps[q].peak[FC_M_KNEE_FPPA_LEFT], 12.0, 0.05, "peak after filtering");
    cr_assert_eq(fm[10].t_s, t.frames[10].t_s);
    /* The caller's track is untouched. */
    cr_assert_eq(t.frames[100].x[FC_JOINT_LEFT_KNEE], knee_x);
    free(fm);
    fc_analyzer_free(a);
    fc_pose_track_free(&t);
}

Test(analyzer, marker_input_reports_only_the_3d_pelvis)
{
    /* A pelvis in the lab (mm, Z up, walking along +X) rolling about X by a
     * known obliquity: ASIS 240 mm apart, PSIS 90 mm apart 160 mm behind. */
    struct fc_pose_track t;
    fc_pose_track_init(&t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    t.rate_hz = 100;
    struct fc_error err = {0};
    const int n = 200;
    for (int i = 0; i < n; i++) {
        struct fc_keypoints *k = fc_pose_track_push(&t, &err);
        k->t_s = i / 100.0;
        double ob = 6.0 * sin(2 * FC_PI * i / 100.0) * FC_RAD_PER_DEG;
        const double local[4][3] = {{0, 120, 0}, {0, -120, 0}, {-160, 45, 0}, {-160, -45, 0}};
        const int joints[4] = {FC_JOINT_LEFT_ASIS, FC_JOINT_RIGHT_ASIS, FC_JOINT_LEFT_PSIS,
                               FC_JOINT_RIGHT_PSIS};
        for (int q = 0; q < 4; q++) {
            /* Rotation about X by ob: the left (+Y) side goes up (+Z). */
            double x = local[q][0], y = local[q][1] * cos(ob), z = 1000 + local[q][1] * sin(ob);
            fc_keypoints_set(k, joints[q], (float)x, (float)y, (float)z, 1.0f);
        }
    }
    struct fc_frame_metrics *fm;
    struct fc_analysis res;
    struct fc_analyzer *a;
    cr_assert_eq(fc_analyze_track(&t, NULL, 1, 6.0, &fm, &res, &a, &err), 0, "%s", err.msg);
    for (int i = 0; i < n; i++) {
        double want = 6.0 * sin(2 * FC_PI * i / 100.0);
        expect(fm[i].value[FC_M_PELVIS_OBLIQUITY_3D], want, 1e-2, "3-D obliquity");
        expect(fm[i].value[FC_M_PELVIS_TILT_3D], 0.0, 1e-2, "3-D tilt");
        for (int m = 0; m < FC_M_PELVIS_TILT_3D; m++)
            cr_assert(isnan(fm[i].value[m]));
    }
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        cr_assert_eq(res.metric[m].measurable, fc_metric_info(m)->plane == FC_PLANE_3D, "%s",
                     fc_metric_info(m)->name);
    cr_assert_eq(res.view, FC_VIEW_AUTO);
    cr_assert_eq(res.frames_tracked, (size_t)n);
    expect(res.metric[FC_M_PELVIS_OBLIQUITY_3D].frame_max, 6.0, 1e-2, "max obliquity");
    free(fm);
    fc_analyzer_free(a);
    fc_pose_track_free(&t);
}

Test(analyzer, rejects_bad_parameters)
{
    struct fc_analyzer_params p = fc_analyzer_default_params();
    struct fc_analyzer *a = (struct fc_analyzer *)&p;
    struct fc_error err = {0};
    p.min_score = 2.0f;
    cr_assert_eq(fc_analyzer_create(&a, &p, &err), FC_ERR_ARG);
    cr_assert_null(a);
    cr_assert(strstr(err.msg, "min_score") != NULL, "%s", err.msg);
    p = fc_analyzer_default_params();
    p.exercise = (enum fc_exercise)99;
    cr_assert_eq(fc_analyzer_create(&a, &p, &err), FC_ERR_ARG);
    struct fc_pose_track t;
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    struct fc_frame_metrics *fm;
    struct fc_analysis res;
    cr_assert_eq(fc_analyze_track(&t, NULL, 0, 6.0, &fm, &res, &a, &err), FC_ERR_EMPTY);
}
