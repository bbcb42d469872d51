/* The canonical keypoint model and its mappings from each source skeleton. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "core/keypoints.h"

Test(keypoints, coco_indices_are_joint_indices)
{
    /* COCO-17 order from the COCO keypoint annotation spec. */
    static const char *coco[FC_COCO17_COUNT] = {
        "nose",           "left_eye",   "right_eye",   "left_ear",   "right_ear",   "left_shoulder",
        "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
        "right_hip",      "left_knee",  "right_knee",  "left_ankle", "right_ankle"};
    cr_assert_eq(fc_skeleton_size(FC_SKELETON_COCO17), 17);
    for (int i = 0; i < FC_COCO17_COUNT; i++) {
        cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_COCO17, i), i);
        cr_assert_str_eq(fc_joint_name(i), coco[i]);
        cr_assert_eq(fc_joint_from_name(coco[i]), i);
    }
    cr_assert_eq(fc_joint_from_name("left_pinky"), -1);
}

Test(keypoints, mediapipe33_mapping)
{
    cr_assert_eq(fc_skeleton_size(FC_SKELETON_MEDIAPIPE33), 33);
    /* BlazePose landmark indices from its model card. */
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, 0), FC_JOINT_NOSE);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, 11), FC_JOINT_LEFT_SHOULDER);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, 24), FC_JOINT_RIGHT_HIP);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, 27), FC_JOINT_LEFT_ANKLE);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, 30), FC_JOINT_RIGHT_HEEL);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, 31), FC_JOINT_LEFT_BIG_TOE);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, 17), -1); /* left pinky */
    cr_assert_str_eq(fc_skeleton_point_name(FC_SKELETON_MEDIAPIPE33, 32), "right_foot_index");
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_MEDIAPIPE33, 33), -1);
}

Test(keypoints, body25_and_openpose18_mapping)
{
    cr_assert_eq(fc_skeleton_size(FC_SKELETON_BODY25), 25);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_BODY25, 1), FC_JOINT_NECK);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_BODY25, 8), FC_JOINT_MID_HIP);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_BODY25, 9), FC_JOINT_RIGHT_HIP);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_BODY25, 12), FC_JOINT_LEFT_HIP);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_BODY25, 24), FC_JOINT_RIGHT_HEEL);
    cr_assert_eq(fc_skeleton_size(FC_SKELETON_OPENPOSE18), 18);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_OPENPOSE18, 8), FC_JOINT_RIGHT_HIP);
    cr_assert_eq(fc_skeleton_to_joint(FC_SKELETON_OPENPOSE18, 13), FC_JOINT_LEFT_ANKLE);
}

Test(keypoints, marker_names)
{
    cr_assert_eq(fc_joint_from_marker("LASI"), FC_JOINT_LEFT_ASIS);
    cr_assert_eq(fc_joint_from_marker("A22:RASI"), FC_JOINT_RIGHT_ASIS);
    cr_assert_eq(fc_joint_from_marker("IS070607:LPSI "), FC_JOINT_LEFT_PSIS);
    cr_assert_eq(fc_joint_from_marker("sacr"), FC_JOINT_SACRUM);
    cr_assert_eq(fc_joint_from_marker("L_IAS"), FC_JOINT_LEFT_ASIS);
    cr_assert_eq(fc_joint_from_marker("R_IPS"), FC_JOINT_RIGHT_PSIS);
    cr_assert_eq(fc_joint_from_marker("LPelvisAngles"), -1);
    cr_assert_eq(fc_joint_from_marker("LASIX"), -1);
}

Test(keypoints, track_grows_and_frames_start_missing)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    for (int i = 0; i < 1000; i++) {
        struct fc_keypoints *k = fc_pose_track_push(&t, &err);
        cr_assert_not_null(k);
        k->t_s = i / 30.0;
        if (i == 500)
            fc_keypoints_set(k, FC_JOINT_LEFT_HIP, 10.0f, 20.0f, NAN, 0.9f);
    }
    cr_assert_eq(fc_pose_track_set_label(&t, 999, "C", &err), 0);
    cr_assert_eq(t.n_frames, 1000u);
    cr_assert(fc_keypoints_has(&t.frames[500], FC_JOINT_LEFT_HIP, 0.5f));
    cr_assert_not(fc_keypoints_has(&t.frames[500], FC_JOINT_LEFT_HIP, 0.95f));
    cr_assert_not(fc_keypoints_has(&t.frames[499], FC_JOINT_LEFT_HIP, 0.0f));
    cr_assert(isnan(t.frames[0].x[FC_JOINT_NOSE]));
    cr_assert_str_eq(t.labels[999], "C");
    cr_assert_str_eq(t.labels[0], "");
    cr_assert_neq(fc_pose_track_set_label(&t, 1000, "x", &err), 0);
    fc_pose_track_free(&t);
}

Test(keypoints, world_points_are_absent_until_set)
{
    /* Every source but a model with world points leaves them absent. */
    struct fc_keypoints k;
    fc_keypoints_clear(&k, 0.5);
    cr_expect_eq(k.world, 0);
    cr_expect(!fc_keypoints_has_world(&k, FC_JOINT_LEFT_KNEE));
    cr_expect(isnan(k.world_x[FC_JOINT_LEFT_KNEE]));
    fc_keypoints_set_world(&k, FC_JOINT_LEFT_KNEE, 0.1f, 0.4f, -0.2f);
    cr_expect_eq(k.world, 1);
    cr_expect(fc_keypoints_has_world(&k, FC_JOINT_LEFT_KNEE));
    cr_expect(!fc_keypoints_has_world(&k, FC_JOINT_RIGHT_KNEE), "only the joint set");
    cr_expect(!fc_keypoints_has_world(&k, FC_JOINT_COUNT), "out of range");
    cr_expect_float_eq(k.world_z[FC_JOINT_LEFT_KNEE], -0.2f, 1e-7);
    /* A frame zeroed by hand (not cleared) has no world points either. */
    struct fc_keypoints z = {0};
    cr_expect(!fc_keypoints_has_world(&z, FC_JOINT_LEFT_KNEE));
}
