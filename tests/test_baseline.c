/* The standing baseline (analysis/baseline.h) alone, on a stick figure
 * drawn with known proportions (legs 240 px hip to ankle, shank 120, torso
 * 160, hips 80 apart) and turned by a known camera roll: the lock recovers
 * the roll, the lengths whatever the roll, the view from the shoulder
 * width / torso ratio, lying, facing, the near leg and a foot on a step;
 * the lock comes after 2 s of stillness, or at the first movement. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/baseline.h"
#include "analysis/posture.h"
#include "analysis/skeleton.h"
#include "core/units.h"

#define RATE 30.0
#define CX 640.0
#define CY 360.0

struct fig {
    double x[FC_COCO17_COUNT], y[FC_COCO17_COUNT];
    float score[FC_COCO17_COUNT];
};

static void put(struct fig *f, int j, double x, double y)
{
    f->x[j] = x;
    f->y[j] = y;
    f->score[j] = 0.9f;
}

/* Standing facing the camera (the subject's left on the image right):
 * shoulders 2 half_sh apart, hips 80, legs straight and vertical. */
static void standing(struct fig *f, double half_sh)
{
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        f->x[j] = f->y[j] = NAN;
        f->score[j] = 0;
    }
    for (int s = 0; s < 2; s++) {
        double side = s == FC_SIDE_LEFT ? 1 : -1;
        put(f, ank_j[s], CX + 40 * side, 600);
        put(f, knee_j[s], CX + 40 * side, 480);
        put(f, hip_j[s], CX + 40 * side, 360);
        put(f, sh_j[s], CX + half_sh * side, 200);
    }
    put(f, FC_JOINT_NOSE, CX, 150);
    put(f, FC_JOINT_LEFT_EAR, CX + 16, 148);
    put(f, FC_JOINT_RIGHT_EAR, CX - 16, 148);
}

/* The figure as keypoints, the picture turned counter-clockwise on screen
 * by roll_deg about its centre (a camera rolled clockwise), as
 * import/synth.h rolls. */
static void emit(const struct fig *f, double t, double roll_deg, double dx, struct fc_keypoints *k)
{
    fc_keypoints_clear(k, t);
    double r = -roll_deg * FC_RAD_PER_DEG;
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        if (isnan(f->x[j]))
            continue;
        double x = f->x[j] + dx - CX, y = f->y[j] - CY;
        fc_keypoints_set(k, j, (float)(CX + x * cos(r) - y * sin(r)),
                         (float)(CY + x * sin(r) + y * cos(r)), NAN, f->score[j]);
    }
}

static struct fc_baseline *base;

static void setup(void)
{
    base = calloc(1, sizeof *base);
    cr_assert_not_null(base);
    fc_baseline_init(base, 0.3);
}

static void teardown(void)
{
    free(base);
}

/* Pushes the still figure until the baseline says lock; returns the frame
 * index it said so at (-1: never within n frames). */
static int push_until_lock(const struct fig *f, double roll, int n, enum fc_baseline_verdict *v)
{
    struct fc_keypoints k;
    for (int i = 0; i < n; i++) {
        emit(f, i / RATE, roll, 0, &k);
        *v = fc_baseline_push(base, &k, seen_mask_all(&k, 0.3f));
        if (*v != FC_BASELINE_COLLECTING)
            return i;
    }
    return -1;
}

static struct fc_body_ref lock_still(const struct fig *f, double roll, enum fc_view user)
{
    enum fc_baseline_verdict v;
    cr_assert_geq(push_until_lock(f, roll, 200, &v), 0);
    struct fc_body_ref r;
    fc_body_ref_init(&r, user);
    fc_baseline_lock(base, user, &r);
    return r;
}

TestSuite(baseline, .init = setup, .fini = teardown);

Test(baseline, stillness_locks_after_two_seconds)
{
    struct fig f;
    standing(&f, 70);
    enum fc_baseline_verdict v;
    /* The first frame 2 s after the first: frame 60 at 30 fps, itself
     * still, so kept with the 60 before it. */
    cr_expect_eq(push_until_lock(&f, 0, 200, &v), 60);
    cr_expect_eq(v, FC_BASELINE_STILL);
    cr_expect_eq(base->n, 61u);
    cr_expect_float_eq(fc_baseline_frame_step(base), 1 / RATE, 1e-9);
}

Test(baseline, the_first_movement_locks)
{
    struct fig f;
    standing(&f, 70);
    struct fc_keypoints k;
    enum fc_baseline_verdict v = FC_BASELINE_COLLECTING;
    int i;
    /* 0.5 s still, then the whole body 20 px aside: 12.5% of the 160 px
     * torso (beyond 8%). The second moved frame is the movement. */
    for (i = 0; i < 40 && v == FC_BASELINE_COLLECTING; i++) {
        emit(&f, i / RATE, 0, i < 15 ? 0 : 20, &k);
        v = fc_baseline_push(base, &k, seen_mask_all(&k, 0.3f));
    }
    cr_expect_eq(i - 1, 16);
    cr_expect_eq(v, FC_BASELINE_STILL);
    cr_expect_eq(base->n, 16u);
}

Test(baseline, roll_and_lengths_from_a_rolled_skeleton)
{
    const double rolls[] = {-8, 0, 6.5};
    for (int q = 0; q < 3; q++) {
        fc_baseline_init(base, 0.3);
        struct fig f;
        standing(&f, 70);
        struct fc_body_ref r = lock_still(&f, rolls[q], FC_VIEW_AUTO);
        cr_expect_float_eq(r.roll_deg, rolls[q], 1e-3, "roll %f, want %f", r.roll_deg, rolls[q]);
        cr_expect_eq(r.roll_assumed, 0);
        double a = rolls[q] * FC_RAD_PER_DEG; /* up turned counter-clockwise on screen */
        cr_expect_float_eq(r.U.x, -sin(a), 1e-5);
        cr_expect_float_eq(r.U.y, -cos(a), 1e-5);
        cr_expect_float_eq(r.leg, 240, 1e-2);
        cr_expect_float_eq(r.torso, 160, 1e-2);
        cr_expect_float_eq(r.hip_w, 80, 1e-2);
        cr_expect_float_eq(r.shank[0], 120, 1e-2);
        cr_expect_eq(r.lying, 0);
        cr_expect_eq(r.ref_upright, 1);
        cr_expect_eq(r.lead_fixed, -1);
    }
}

Test(baseline, a_roll_no_phone_stands_at_is_taken_as_level)
{
    struct fig f;
    standing(&f, 70);
    struct fc_body_ref r = lock_still(&f, 20, FC_VIEW_AUTO);
    cr_expect_eq(r.roll_assumed, 1);
    cr_expect_float_eq(r.roll_deg, 0, 0);
    cr_expect_float_eq(r.roll_estimate_deg, 20, 1e-3);
    cr_expect_float_eq(r.U.y, -1, 0);
}

Test(baseline, view_from_known_proportions)
{
    /* Shoulder width / torso: 140 / 160 = 0.875 (front), 60 / 160 = 0.375
     * (oblique, with the face towards the camera), 20 / 160 = 0.125 (side). */
    const double half[3] = {70, 30, 10};
    const enum fc_view want[3] = {FC_VIEW_FRONT, FC_VIEW_OBLIQUE, FC_VIEW_SIDE};
    for (int q = 0; q < 3; q++) {
        fc_baseline_init(base, 0.3);
        struct fig f;
        standing(&f, half[q]);
        struct fc_body_ref r = lock_still(&f, 0, FC_VIEW_AUTO);
        cr_expect_float_eq(r.sh_ratio, 2 * half[q] / 160, 1e-5);
        cr_expect_eq(r.view_detected, want[q], "ratio %.3f", (double)r.sh_ratio);
        cr_expect_eq(r.view, want[q]);
    }
    /* A body turned 60-70 deg from the camera: shoulders 0.375 of the torso,
     * hips 2 x 20 / 160 = 0.25, the face turned more than half-way (the nose
     * 0.5 shoulder widths to the side): a near-side view, side. The same
     * with the shoulders at 0.5 (0.8 cos 50 deg), or with the hips as wide as
     * from the front (a narrow shoulder line of arms overhead), is oblique.
     * The ears are hidden here (their face turn: below). */
    const double near_half[3] = {30, 40, 30}, near_hip[3] = {10, 10, 40};
    const enum fc_view near_want[3] = {FC_VIEW_SIDE, FC_VIEW_OBLIQUE, FC_VIEW_OBLIQUE};
    for (int q = 0; q < 3; q++) {
        fc_baseline_init(base, 0.3);
        struct fig g;
        standing(&g, near_half[q]);
        put(&g, FC_JOINT_NOSE, CX + near_half[q], 150);
        for (int j = FC_JOINT_LEFT_EAR; j <= FC_JOINT_RIGHT_EAR; j++) {
            g.x[j] = g.y[j] = NAN;
            g.score[j] = 0;
        }
        for (int s = 0; s < 2; s++)
            put(&g, hip_j[s], CX + (s == FC_SIDE_LEFT ? 1 : -1) * near_hip[q], 360);
        struct fc_body_ref r = lock_still(&g, 0, FC_VIEW_AUTO);
        cr_expect_eq(r.view_detected, near_want[q], "ratio %.3f", (double)r.sh_ratio);
        cr_expect_geq(r.view_conf, 0.5f);
    }
    /* A wide pelvis: hips 2 x 30 / 160 = 0.375 ... 2 x 40 / 160 = 0.5 of
     * the torso, a body turned 60 deg whose hip line reads as 51 deg. With
     * the ears seen, a face turned psi from the camera shows them 2e cos
     * psi apart and the nose n sin psi off their midpoint: at 60 deg the
     * face is the body's turn and the view is side; at 30 deg (the head
     * turned towards the camera, or a body not turned that far) the wide
     * hip line keeps it oblique. */
    const double face_psi[2] = {60, 30};
    const enum fc_view face_want[2] = {FC_VIEW_SIDE, FC_VIEW_OBLIQUE};
    for (int q = 0; q < 2; q++) {
        const double e = 15, n = 2 * e / 1.3, psi = face_psi[q] * FC_RAD_PER_DEG;
        fc_baseline_init(base, 0.3);
        struct fig g;
        standing(&g, 30);
        put(&g, FC_JOINT_NOSE, CX + 30, 150);
        put(&g, FC_JOINT_LEFT_EAR, CX + 30 - n * sin(psi) + e * cos(psi), 148);
        put(&g, FC_JOINT_RIGHT_EAR, CX + 30 - n * sin(psi) - e * cos(psi), 148);
        for (int s = 0; s < 2; s++)
            put(&g, hip_j[s], CX + (s == FC_SIDE_LEFT ? 1 : -1) * 40, 360);
        struct fc_body_ref r = lock_still(&g, 0, FC_VIEW_AUTO);
        cr_expect_eq(r.view_detected, face_want[q], "face %.0f deg", face_psi[q]);
    }
    /* The user's view wins; what the keypoints say is kept. */
    fc_baseline_init(base, 0.3);
    struct fig f;
    standing(&f, 70);
    struct fc_body_ref r = lock_still(&f, 0, FC_VIEW_SIDE);
    cr_expect_eq(r.view, FC_VIEW_SIDE);
    cr_expect_eq(r.view_detected, FC_VIEW_FRONT);
}

Test(baseline, body_yaw_from_the_face)
{
    /* A head with the ears 2e = 30 px apart and the nose n = 30 / 1.3 px
     * ahead of their midpoint, turned psi from the camera: the picture
     * shows the ears 2e cos psi apart and the nose n sin psi to one side,
     * so the yaw read back is psi. The shoulders are drawn 0.8 cos psi of
     * the torso wide, as a body turned with the head. From 50 deg on the
     * shoulder width decides; a face alone past 45 deg with the shoulders
     * square (the head turned to look aside) is not taken as the body's. */
    const double e = 15, n = 2 * e / 1.3;
    const double psi_deg[4] = {0, 10, 25, 50};
    for (int q = 0; q < 4; q++) {
        double psi = psi_deg[q] * FC_RAD_PER_DEG;
        fc_baseline_init(base, 0.3);
        struct fig f;
        standing(&f, 0.5 * 0.8 * 160 * cos(psi));
        put(&f, FC_JOINT_LEFT_EAR, CX + e * cos(psi), 148);
        put(&f, FC_JOINT_RIGHT_EAR, CX - e * cos(psi), 148);
        put(&f, FC_JOINT_NOSE, CX + n * sin(psi), 150);
        struct fc_body_ref r = lock_still(&f, 0, FC_VIEW_AUTO);
        cr_expect_float_eq(r.yaw_deg, psi_deg[q], 0.5, "psi %.0f: read %.2f", psi_deg[q],
                           (double)r.yaw_deg);
        cr_expect_eq(r.yaw_from_face, psi_deg[q] < 45, "psi %.0f", psi_deg[q]);
    }
    fc_baseline_init(base, 0.3);
    struct fig f;
    standing(&f, 64);
    put(&f, FC_JOINT_LEFT_EAR, CX + e * cos(1.1), 148);
    put(&f, FC_JOINT_RIGHT_EAR, CX - e * cos(1.1), 148);
    put(&f, FC_JOINT_NOSE, CX + n * sin(1.1), 150);
    struct fc_body_ref r = lock_still(&f, 0, FC_VIEW_AUTO);
    cr_expect_eq(r.yaw_from_face, 0);
    cr_expect_float_eq(r.yaw_deg, 0, 0.5);
    /* Arms overhead draw the shoulder points in (16 px apart here; the
     * hips say square): the nose sits more than 0.35 shoulder widths to the
     * side (VIEW_NOSE_OBLIQUE) at 15 deg of face turn already. A face 15
     * deg from the camera is still a front view; one 25 deg away is not
     * (VIEW_FRONT_FACE_MAX_DEG, 20). */
    const double face_deg[2] = {15, 25};
    const int face_front[2] = {1, 0};
    for (int q = 0; q < 2; q++) {
        double psi = face_deg[q] * FC_RAD_PER_DEG;
        fc_baseline_init(base, 0.3);
        struct fig h;
        standing(&h, 8);
        put(&h, FC_JOINT_LEFT_WRIST, CX + 12, 100);
        put(&h, FC_JOINT_RIGHT_WRIST, CX - 12, 100);
        put(&h, FC_JOINT_LEFT_EAR, CX + e * cos(psi), 148);
        put(&h, FC_JOINT_RIGHT_EAR, CX - e * cos(psi), 148);
        put(&h, FC_JOINT_NOSE, CX + n * sin(psi), 150);
        struct fc_body_ref v = lock_still(&h, 0, FC_VIEW_AUTO);
        cr_expect_eq(v.view_detected == FC_VIEW_FRONT, face_front[q], "face %.0f deg", face_deg[q]);
        cr_expect_geq(v.view_conf, 0.5f);
    }
}

Test(baseline, lying_and_facing)
{
    /* Lying along the image horizontal, head to the left, face up. */
    struct fig f;
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        f.x[j] = f.y[j] = NAN, f.score[j] = 0;
    for (int s = 0; s < 2; s++) {
        put(&f, sh_j[s], 400, 500 - 5 * s);
        put(&f, hip_j[s], 560, 500 - 5 * s);
        put(&f, knee_j[s], 660, 440 - 5 * s);
        put(&f, ank_j[s], 760, 500 - 5 * s);
    }
    put(&f, FC_JOINT_NOSE, 360, 480);
    put(&f, FC_JOINT_LEFT_EAR, 370, 495);
    struct fc_body_ref r = lock_still(&f, 0, FC_VIEW_AUTO);
    cr_expect_eq(r.lying, 1);
    cr_expect_float_eq(r.U.y, -1, 1e-3); /* up: the floor's normal */
    cr_expect_float_eq(r.F.x, 1, 1e-3);  /* forward: towards the feet */
    cr_expect_lt(r.A.y, 0);              /* the face points up */

    /* Side-on, the nose ahead of the ears: facing +x, then -x. */
    for (int dir = -1; dir <= 1; dir += 2) {
        fc_baseline_init(base, 0.3);
        standing(&f, 10);
        put(&f, FC_JOINT_NOSE, CX + dir * 20, 150);
        put(&f, FC_JOINT_LEFT_EAR, CX, 150);
        put(&f, FC_JOINT_RIGHT_EAR, CX, 150);
        r = lock_still(&f, 0, FC_VIEW_AUTO);
        cr_expect_eq(r.facing_known, 1);
        cr_expect_float_eq(r.F.x, dir, 1e-6);
    }
}

Test(baseline, near_leg_and_a_foot_on_a_step)
{
    /* The right leg scored low throughout: the left is the near one. */
    struct fig f;
    standing(&f, 10);
    f.score[hip_j[FC_SIDE_RIGHT]] = f.score[knee_j[FC_SIDE_RIGHT]] = f.score[ank_j[FC_SIDE_RIGHT]] =
        0.4f;
    struct fc_body_ref r = lock_still(&f, 0, FC_VIEW_AUTO);
    cr_expect_eq(r.near_side, FC_SIDE_LEFT);
    /* Both legs seen alike, side-on: the side facing the camera. Facing
     * image-right (the nose right of the ears) that is the right side (the
     * left, up x forward, points away from the camera); facing left, the
     * left. */
    for (int q = 0; q < 2; q++) {
        fc_baseline_init(base, 0.3);
        standing(&f, 10);
        double dir = q == 0 ? 1 : -1;
        put(&f, FC_JOINT_LEFT_EAR, CX, 148);
        put(&f, FC_JOINT_RIGHT_EAR, CX, 148);
        put(&f, FC_JOINT_NOSE, CX + dir * 20, 150);
        r = lock_still(&f, 0, FC_VIEW_SIDE);
        cr_expect_eq(r.F.x > 0, q == 0);
        cr_expect_eq(r.near_side, q == 0 ? FC_SIDE_RIGHT : FC_SIDE_LEFT, "facing %s",
                     q == 0 ? "right" : "left");
    }
    /* The left foot 30 px up on a step (1/8 of the leg): the lead. */
    fc_baseline_init(base, 0.3);
    standing(&f, 70);
    f.y[FC_JOINT_LEFT_ANKLE] -= 30;
    f.y[FC_JOINT_LEFT_KNEE] -= 30;
    r = lock_still(&f, 0, FC_VIEW_AUTO);
    cr_expect_eq(r.lead_fixed, FC_SIDE_LEFT);
}

Test(baseline, posture_of_a_skeleton)
{
    struct fig f;
    standing(&f, 70);
    struct vec P[FC_COCO17_COUNT];
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        P[j] = (struct vec){(float)f.x[j], (float)f.y[j]};
    cr_expect(fc_skeleton_upright(P));
    cr_expect(!fc_skeleton_lying(P));
    /* Standing: the hip 240 px over the ankle, legs 240 long. */
    cr_expect_float_eq(fc_reference_height(P, 0), 1.0, 1e-6);
    /* Knees bent 60 deg: not upright. */
    for (int s = 0; s < 2; s++)
        P[knee_j[s]].x += (float)(s ? -1 : 1) * 120 * (float)sin(FC_PI / 6);
    cr_expect(!fc_skeleton_upright(P));
}
