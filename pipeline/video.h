/* formcheck pipeline: keypoints from a video, frame by frame (offline).
 *
 * pipeline/ is where the stages are wired together; the stages below it
 * (capture/, pose/, analysis/, report/) know nothing of each other. This
 * is the offline path from a video file to a keypoint track, which cli/
 * then hands to the analyzer and the reports. The live path is
 * pipeline/live.h, the look for people before a pass
 * pipeline/people_look.h, the live view's window pipeline/window.h. The
 * names keep the fc_video_pose_ prefix they had before the folder existed:
 * cli/, the reports, the tests and the benchmarks use them.
 *
 * Decodes a video (capture/decoder.h, in its own thread), runs MoveNet on
 * each frame with its crop-region tracking (pose/movenet.h), converting the
 * region straight from the decoded picture to the model's input in one
 * scaling step, and collects a COCO-17 track in display pixels with the
 * stream's own timestamps (variable frame rate survives).
 *
 *     struct fc_video_pose_params p = fc_video_pose_default_params();
 *     struct fc_pose_track t;
 *     struct fc_video_pose_stats st;
 *     if (fc_video_pose_track("squat.mov", &p, &t, &st, &err) < 0) ...;
 */
#ifndef FC_PIPELINE_VIDEO_H
#define FC_PIPELINE_VIDEO_H

#include <stdio.h>

#include "core/error.h"
#include "core/keypoints.h"
#include "pipeline/people_look.h"
#include "pose/blazepose.h"
#include "pose/movenet.h"

/* Where BlazePose's region of interest, and the body, come from. */
enum fc_blazepose_mode {
    FC_BLAZEPOSE_OWN_ROI,      /* BlazePose tracks its own ROI; MoveNet only finds the person */
    FC_BLAZEPOSE_MOVENET_ROI,  /* MoveNet on every frame seeds every ROI; BlazePose's landmarks */
    FC_BLAZEPOSE_MOVENET_BODY, /* as MOVENET_ROI, but the body's joints stay MoveNet's and
                                  BlazePose adds the heels and toes */
};

struct fc_video_pose_params {
    struct fc_movenet_params movenet;
    /* 1: BlazePose landmarks (33 points with heels and toes) on a ROI that
     * tracks itself from frame to frame; MoveNet finds the person on the
     * first frame and whenever the pose is lost (pose/blazepose.h). The
     * track's skeleton is then mediapipe33. */
    int use_blazepose;
    struct fc_blazepose_params blazepose;
    enum fc_blazepose_mode blazepose_mode; /* FC_BLAZEPOSE_MOVENET_BODY */
    /* When not NULL, blazepose_out[i] (i < blazepose_out_cap) gets frame i's
     * BlazePose result, 3-D world points included (pose_score 0 when the
     * frame had none). For validity studies. */
    struct fc_blazepose_result *blazepose_out;
    long blazepose_out_cap;
    FILE *progress;     /* frames done, fps, time left; NULL: silent */
    float person_score; /* mean score of the torso joints that counts as "person found" (0.3) */
    long max_frames;    /* stop after this many frames; 0: the whole clip (benchmarks) */
    /* When not NULL, frame_ms[i] (i < frame_ms_cap) gets frame i's latency in
     * milliseconds: from asking the decoder for it to its keypoints (waiting
     * for the picture, conversion, model, head decoding). For benchmarks. */
    double *frame_ms;
    long frame_ms_cap;
    struct fc_people_choice people; /* who to follow when several are in view (people_look.h) */
};

struct fc_video_pose_params fc_video_pose_default_params(void);

struct fc_video_pose_stats {
    long frames;
    long frames_with_person; /* torso joints' mean score >= person_score */
    int width, height, rotation_deg;
    double fps, duration_s;
    char codec[32];
    double decode_ms, convert_ms, pose_ms; /* totals; decode = waiting for frames */
    char warning[256];                     /* a truncated tail and the like, "" when none */
    struct fc_people_summary people;       /* who was in view, whom the pose stage followed */
};

int fc_video_pose_track(const char *path, const struct fc_video_pose_params *p,
                        struct fc_pose_track *out, struct fc_video_pose_stats *stats,
                        struct fc_error *err);

#endif
