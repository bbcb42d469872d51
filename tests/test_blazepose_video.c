/* BlazePose in the video pipeline on a real side-view squat: the track has
 * heels and toes, and they are where a body's are (the toes ahead of the
 * heels in the way the person faces, a foot shorter than a shank). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "pipeline/video.h"
#include "support/testutil.h"

#define CLIP "videos/pexels-gabby-k-6980032_side_bodyweight_squat.mp4"
#define FRAMES 90 /* 3 s: standing, then the first squat */

static void check_feet(enum fc_blazepose_mode mode)
{
    char clip[4096];
    if (fc_test_data_path(clip, sizeof clip, CLIP) < 0 || !fc_test_file_exists(clip))
        cr_skip("%s absent (the real-data folder)", CLIP);
    struct fc_video_pose_params p = fc_video_pose_default_params();
    p.use_blazepose = 1;
    p.blazepose_mode = mode;
    p.movenet.model = FC_MOVENET_LIGHTNING;
    p.max_frames = FRAMES;
    p.people.look = 0; /* who to follow: not the question here */
    char path[4096];
    struct fc_error err = {0};
    if (fc_blazepose_model_path(&p.blazepose, path, sizeof path, &err) < 0 ||
        !fc_test_file_exists(path)) {
        p.blazepose.backend = FC_DNN_BACKEND_OPENCV;
        if (fc_blazepose_model_path(&p.blazepose, path, sizeof path, &err) < 0 ||
            !fc_test_file_exists(path))
            cr_skip("%s absent: run `bash tools/fetch_models.sh`", path);
    }
    struct fc_pose_track t;
    struct fc_video_pose_stats st;
    cr_assert_eq(fc_video_pose_track(clip, &p, &t, &st, &err), 0, "%s", err.msg);
    cr_assert_eq(t.skeleton,
                 mode == FC_BLAZEPOSE_MOVENET_BODY ? FC_SKELETON_COCO17 : FC_SKELETON_MEDIAPIPE33);
    int seen = 0, ahead = 0, short_foot = 0;
    for (size_t i = 0; i < t.n_frames; i++) {
        const struct fc_keypoints *k = &t.frames[i];
        /* she faces the way her nose points from her ears */
        double head =
            k->x[FC_JOINT_NOSE] - 0.5 * (k->x[FC_JOINT_LEFT_EAR] + k->x[FC_JOINT_RIGHT_EAR]);
        for (int s = 0; s < 2; s++) {
            enum fc_joint heel = s ? FC_JOINT_RIGHT_HEEL : FC_JOINT_LEFT_HEEL;
            enum fc_joint toe = s ? FC_JOINT_RIGHT_BIG_TOE : FC_JOINT_LEFT_BIG_TOE;
            enum fc_joint knee = s ? FC_JOINT_RIGHT_KNEE : FC_JOINT_LEFT_KNEE;
            enum fc_joint ankle = s ? FC_JOINT_RIGHT_ANKLE : FC_JOINT_LEFT_ANKLE;
            if (!fc_keypoints_has(k, heel, 0.3f) || !fc_keypoints_has(k, toe, 0.3f))
                continue;
            seen++;
            ahead += (k->x[toe] - k->x[heel]) * head > 0;
            double foot = hypot(k->x[toe] - k->x[heel], k->y[toe] - k->y[heel]);
            double shank = hypot(k->x[knee] - k->x[ankle], k->y[knee] - k->y[ankle]);
            short_foot += foot < shank;
        }
    }
    cr_log_info("%zu frames: feet seen %d times, toe ahead %d, foot shorter than shank %d",
                t.n_frames, seen, ahead, short_foot);
    cr_assert_eq(t.n_frames, FRAMES);
    /* both feet in at least 90% of the frames; every one the right way round */
    cr_assert_geq(seen, 0.9 * 2 * FRAMES);
    cr_assert_eq(ahead, seen);
    cr_assert_eq(short_foot, seen);
    fc_pose_track_free(&t);
}

/* BlazePose's landmarks throughout, on the ROI it tracks itself */
Test(blazepose_video, side_squat_has_plausible_feet_own_roi, .timeout = 300)
{
    check_feet(FC_BLAZEPOSE_OWN_ROI);
}

/* the default: MoveNet's body, BlazePose's heels and toes */
Test(blazepose_video, side_squat_has_plausible_feet_movenet_body, .timeout = 300)
{
    check_feet(FC_BLAZEPOSE_MOVENET_BODY);
}
