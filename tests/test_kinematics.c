/* Per-frame geometry: angles and knee travel on hand-placed joints. */
#include <criterion/criterion.h>
#include <math.h>

#include "analysis/kinematics.h"
#include "core/units.h"

Test(kinematics, angle_at_known_values)
{
    cr_assert_float_eq(fc_angle_at_deg(1, 0, 0, 0, 0, 1), 90.0, 1e-12);
    cr_assert_float_eq(fc_angle_at_deg(1, 0, 0, 0, -1, 0), 180.0, 1e-12);
    cr_assert_float_eq(fc_angle_at_deg(1, 0, 0, 0, cos(0.3), sin(0.3)), 0.3 * FC_DEG_PER_RAD,
                       1e-10);
    /* 179.999 deg: where acos would lose digits */
    double a = (180.0 - 1e-3) * FC_RAD_PER_DEG;
    cr_assert_float_eq(fc_angle_at_deg(1, 0, 0, 0, cos(a), sin(a)), 180.0 - 1e-3, 1e-9);
    cr_assert(isnan(fc_angle_at_deg(0, 0, 0, 0, 1, 1)));
}

/* A side-view lunge frame facing +x: front (left) shin leaning forward by
 * lean_deg, the toe 0.25 shank lengths ahead of the ankle. */
static void lunge_frame(struct fc_keypoints *k, double lean_deg, int with_feet, int facing)
{
    fc_keypoints_clear(k, 0);
    double shank = 100, s = sin(lean_deg * FC_RAD_PER_DEG), c = cos(lean_deg * FC_RAD_PER_DEG);
    fc_keypoints_set(k, FC_JOINT_LEFT_ANKLE, 500, 600, NAN, 0.9f);
    fc_keypoints_set(k, FC_JOINT_LEFT_KNEE, (float)(500 + facing * shank * s),
                     (float)(600 - shank * c), NAN, 0.9f);
    fc_keypoints_set(k, FC_JOINT_RIGHT_ANKLE, (float)(500 - facing * 150), 600, NAN, 0.9f);
    fc_keypoints_set(k, FC_JOINT_RIGHT_KNEE, (float)(500 - facing * 120), 560, NAN, 0.9f);
    fc_keypoints_set(k, FC_JOINT_NOSE, (float)(480 + facing * 20), 200, NAN, 0.9f);
    fc_keypoints_set(k, FC_JOINT_LEFT_EAR, 480, 195, NAN, 0.9f);
    if (with_feet) {
        fc_keypoints_set(k, FC_JOINT_LEFT_HEEL, (float)(500 - facing * 5), 605, NAN, 0.9f);
        fc_keypoints_set(k, FC_JOINT_LEFT_BIG_TOE, (float)(500 + facing * 25), 605, NAN, 0.9f);
    }
}

Test(kinematics, knee_travel_from_first_principles)
{
    struct fc_keypoints k;
    int side;
    for (int facing = -1; facing <= 1; facing += 2) {
        /* Without feet the facing comes from the nose, but with no toe
         * there is no knee travel. */
        lunge_frame(&k, 30, 0, facing);
        cr_assert_eq(fc_facing_sign(&k, 0.3f), facing);
        cr_assert(isnan(fc_knee_travel_pct(&k, 0.3f, &side)));
        cr_assert_eq(side, -1);
        /* Knee 50 px ahead of the ankle (sin 30 deg of a 100 px shank), the
         * toe 25 px ahead: 50 - 25 = 25% of the shank. */
        lunge_frame(&k, 30, 1, facing);
        cr_assert_float_eq(fc_knee_travel_pct(&k, 0.3f, &side), 25.0, 1e-3);
        cr_assert_eq(side, FC_SIDE_LEFT);
        /* Upright shin: the knee is 25% behind the toe. */
        lunge_frame(&k, 0, 1, facing);
        cr_assert_float_eq(fc_knee_travel_pct(&k, 0.3f, NULL), -25.0, 1e-3);
    }
}

Test(kinematics, knee_travel_gaps)
{
    struct fc_keypoints k;
    int side;
    lunge_frame(&k, 30, 1, 1);
    k.score[FC_JOINT_LEFT_KNEE] = 0.1f;
    cr_assert(isnan(fc_knee_travel_pct(&k, 0.3f, &side)));
    cr_assert_eq(side, -1);
    lunge_frame(&k, 30, 0, 1);
    k.score[FC_JOINT_NOSE] = 0.0f;
    cr_assert(isnan(fc_knee_travel_pct(&k, 0.3f, NULL)), "facing unknown");
}
