/* The feet's metrics (analysis/feet.h) on hand-made frames: a heel lifted
 * by a known height, a foot turned by a known angle. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "analysis/feet.h"
#include "analysis/metrics.h"
#include "core/units.h"

#define SHANK_PX 100.0f

/* A subject facing the camera (front view) or facing right (side view),
 * legs straight; left foot: heel at (hx, hy), toe at (tx, ty). */
static void frame(struct fc_keypoints *k, float hx, float hy, float tx, float ty)
{
    fc_keypoints_clear(k, 0);
    for (int s = 0; s < 2; s++) {
        float x = s ? 100 : 200; /* the left leg on the image right, facing the camera */
        fc_keypoints_set(k, s ? FC_JOINT_RIGHT_HIP : FC_JOINT_LEFT_HIP, x, 100, NAN, 0.9f);
        fc_keypoints_set(k, s ? FC_JOINT_RIGHT_KNEE : FC_JOINT_LEFT_KNEE, x, 200, NAN, 0.9f);
        fc_keypoints_set(k, s ? FC_JOINT_RIGHT_ANKLE : FC_JOINT_LEFT_ANKLE, x, 300, NAN, 0.9f);
    }
    fc_keypoints_set(k, FC_JOINT_LEFT_HEEL, hx, hy, NAN, 0.9f);
    fc_keypoints_set(k, FC_JOINT_LEFT_BIG_TOE, tx, ty, NAN, 0.9f);
}

static struct fc_body_ref ref(void)
{
    struct fc_body_ref a;
    memset(&a, 0, sizeof a);
    a.U = (struct vec){0, -1}; /* up */
    a.L = (struct vec){1, 0};  /* right hip -> left hip: image right */
    a.shank[0] = a.shank[1] = SHANK_PX;
    a.near_side = FC_SIDE_LEFT;
    return a;
}

static float run(struct fc_feet_ref *r, const struct fc_body_ref *a, const struct fc_keypoints *k,
                 int frontal, enum fc_metric m)
{
    float v[FC_METRIC_COUNT];
    for (int i = 0; i < FC_METRIC_COUNT; i++)
        v[i] = NAN;
    struct fc_frame_ctx f = {.k = k, .v = v};
    fc_feet_metrics(r, a, &f, frontal, 0.3f);
    return v[m];
}

Test(feet, heel_rise_against_the_standing_foot)
{
    struct fc_body_ref a = ref();
    struct fc_feet_ref r = {0};
    struct fc_keypoints k;
    /* standing: the heel landmark 8 px above the toe tip (it sits on the shoe's back) */
    frame(&k, 200, 312, 250, 320);
    for (int i = 0; i < 10; i++)
        cr_assert(isnan(run(&r, &a, &k, 0, FC_M_HEEL_RISE)), "still learning");
    cr_assert_float_eq(run(&r, &a, &k, 0, FC_M_HEEL_RISE), 0.0f, 1e-4);
    /* the heel 12 px higher: 12% of the 100 px shank */
    frame(&k, 200, 300, 250, 320);
    cr_assert_float_eq(run(&r, &a, &k, 0, FC_M_HEEL_RISE), 12.0f, 1e-4);
    /* no toe: nothing */
    k.score[FC_JOINT_LEFT_BIG_TOE] = 0;
    k.score[FC_JOINT_RIGHT_BIG_TOE] = 0;
    cr_assert(isnan(run(&r, &a, &k, 0, FC_M_HEEL_RISE)));
}

Test(feet, turn_out_against_the_standing_foot)
{
    struct fc_body_ref a = ref();
    struct fc_feet_ref r = {0};
    struct fc_keypoints k;
    /* standing: the left foot points straight down the picture (at the camera) */
    frame(&k, 200, 310, 200, 330);
    for (int i = 0; i < 10; i++)
        run(&r, &a, &k, 1, FC_M_FEET_TURN_OUT);
    /* turned 30 deg outward: the left foot's toe moves to the image right */
    float dx = 20 * sinf(30 * (float)FC_PI / 180), dy = 20 * cosf(30 * (float)FC_PI / 180);
    frame(&k, 200, 310, 200 + dx, 310 + dy);
    cr_assert_float_eq(run(&r, &a, &k, 1, FC_M_FEET_TURN_OUT), 30.0f, 1e-3);
    /* turned in instead: negative */
    frame(&k, 200, 310, 200 - dx, 310 + dy);
    cr_assert_float_eq(run(&r, &a, &k, 1, FC_M_FEET_TURN_OUT), -30.0f, 1e-3);
}

Test(feet, knee_inside_its_toe)
{
    struct fc_body_ref a = ref();
    a.leg = 200; /* hip -> ankle, px */
    struct fc_feet_ref r = {0};
    struct fc_keypoints k;
    /* facing the camera: the left leg on the image right (x 200), its toe
     * straight below the ankle; the left knee 10 px towards the midline
     * (image left): 5% of the leg inside */
    frame(&k, 200, 310, 200, 330);
    k.x[FC_JOINT_LEFT_KNEE] = 190;
    k.x[FC_JOINT_RIGHT_BIG_TOE] = 100;
    k.y[FC_JOINT_RIGHT_BIG_TOE] = 330;
    k.score[FC_JOINT_RIGHT_BIG_TOE] = 0.9f;
    cr_assert_float_eq(run(&r, &a, &k, 1, FC_M_KNEE_INSIDE_TOE), 5.0f, 1e-4);
    /* the right knee 6 px inside its toe (towards the image right): 3%;
     * the left one's 5% is the larger */
    k.x[FC_JOINT_RIGHT_KNEE] = 106;
    cr_assert_float_eq(run(&r, &a, &k, 1, FC_M_KNEE_INSIDE_TOE), 5.0f, 1e-4);
    /* the left knee outside its toe: the right one's 3% */
    k.x[FC_JOINT_LEFT_KNEE] = 215;
    cr_assert_float_eq(run(&r, &a, &k, 1, FC_M_KNEE_INSIDE_TOE), 3.0f, 1e-4);
}

Test(feet, bent_legs_do_not_set_the_reference)
{
    struct fc_body_ref a = ref();
    struct fc_feet_ref r = {0};
    struct fc_keypoints k;
    frame(&k, 200, 312, 250, 320);
    k.x[FC_JOINT_LEFT_KNEE] = 260; /* a bent knee: 100 deg */
    for (int i = 0; i < 20; i++)
        cr_assert(isnan(run(&r, &a, &k, 0, FC_M_HEEL_RISE)));
    cr_assert_eq(r.n[0], 0);
}
