/* formcheck core: the canonical keypoint model every source converts into.
 *
 * core/ holds what every stage shares (errors, files, the exercises, this
 * model) and depends on nothing else in the project: pose/ writes these
 * tracks, import/ reads them from files, analysis/ consumes them.
 *
 * A pose model, a keypoint file and a motion-capture file all end up as a
 * struct fc_pose_track: a sequence of struct fc_keypoints, one per instant,
 * each holding every canonical joint as structure-of-arrays (x[], y[], z[],
 * score[] indexed by enum fc_joint). The track records which skeleton the
 * source used, so outputs can say where the numbers came from.
 *
 * Conventions
 *   - time is in seconds (t_s), taken from the source when it has one;
 *   - image sources: x right, y down, in pixels (or normalised 0..1 when the
 *     image size is unknown, see units); z is NaN unless the source gives depth;
 *   - marker sources: lab coordinates in millimetres, z is meaningful;
 *   - a joint the source did not see has score 0 and NaN coordinates. Nothing
 *     is ever interpolated here: gaps stay gaps.
 *   - left and right are the subject's own sides.
 *
 *     struct fc_pose_track t;
 *     fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
 *     struct fc_keypoints *k = fc_pose_track_push(&t, &err);   // all joints missing
 *     fc_keypoints_set(k, FC_JOINT_LEFT_HIP, 412.0f, 230.5f, NAN, 0.93f);
 *     ...
 *     fc_pose_track_free(&t);
 */
#ifndef FC_CORE_KEYPOINTS_H
#define FC_CORE_KEYPOINTS_H

#include <stddef.h>

#include "core/error.h"

/* The first 17 are COCO-17 in COCO order, so a COCO index is a joint index. */
enum fc_joint {
    FC_JOINT_NOSE,
    FC_JOINT_LEFT_EYE,
    FC_JOINT_RIGHT_EYE,
    FC_JOINT_LEFT_EAR,
    FC_JOINT_RIGHT_EAR,
    FC_JOINT_LEFT_SHOULDER,
    FC_JOINT_RIGHT_SHOULDER,
    FC_JOINT_LEFT_ELBOW,
    FC_JOINT_RIGHT_ELBOW,
    FC_JOINT_LEFT_WRIST,
    FC_JOINT_RIGHT_WRIST,
    FC_JOINT_LEFT_HIP,
    FC_JOINT_RIGHT_HIP,
    FC_JOINT_LEFT_KNEE,
    FC_JOINT_RIGHT_KNEE,
    FC_JOINT_LEFT_ANKLE,
    FC_JOINT_RIGHT_ANKLE,
    /* beyond COCO: feet (MediaPipe, BODY_25, markers) */
    FC_JOINT_NECK,
    FC_JOINT_MID_HIP,
    FC_JOINT_LEFT_HEEL,
    FC_JOINT_RIGHT_HEEL,
    FC_JOINT_LEFT_BIG_TOE,
    FC_JOINT_RIGHT_BIG_TOE,
    FC_JOINT_LEFT_SMALL_TOE,
    FC_JOINT_RIGHT_SMALL_TOE,
    /* pelvic landmarks: only marker-based capture has them */
    FC_JOINT_LEFT_ASIS,
    FC_JOINT_RIGHT_ASIS,
    FC_JOINT_LEFT_PSIS,
    FC_JOINT_RIGHT_PSIS,
    FC_JOINT_SACRUM,
    FC_JOINT_COUNT
};

#define FC_COCO17_COUNT 17

/* The subject's own sides. */
enum fc_side { FC_SIDE_LEFT, FC_SIDE_RIGHT };

/* The skeleton a source used. */
enum fc_skeleton {
    FC_SKELETON_COCO17,      /* MoveNet, keypoint CSV */
    FC_SKELETON_MEDIAPIPE33, /* BlazePose landmarks */
    FC_SKELETON_BODY25,      /* OpenPose BODY_25 */
    FC_SKELETON_OPENPOSE18,  /* OpenPose COCO (18 points, with neck) */
    FC_SKELETON_MARKERS,     /* named motion-capture markers (C3D) */
    FC_SKELETON_COUNT
};

enum fc_units {
    FC_UNITS_PIXELS,     /* image pixels, origin top-left */
    FC_UNITS_NORMALIZED, /* image fractions 0..1, origin top-left */
    FC_UNITS_MM,         /* lab millimetres */
};

/* One instant. Structure of arrays so loops over joints vectorise. */
struct fc_keypoints {
    double t_s;
    float x[FC_JOINT_COUNT];
    float y[FC_JOINT_COUNT];
    float z[FC_JOINT_COUNT];
    float score[FC_JOINT_COUNT]; /* 0 = not seen, else confidence 0..1 */
    /* The model's own 3-D estimate of the body, when it gives one
     * (BlazePose's world landmarks): metres about the mid-hip, x right and
     * y down as the picture, z away from the camera. world is 0 (and every
     * world point NaN) for every other source; a joint the model has no
     * world point for stays NaN. Image-plane metrics ignore these. */
    int world;
    float world_x[FC_JOINT_COUNT];
    float world_y[FC_JOINT_COUNT];
    float world_z[FC_JOINT_COUNT];
};

#define FC_LABEL_MAX 16

struct fc_pose_track {
    enum fc_skeleton skeleton; /* what the source used */
    enum fc_units units;
    int dims;             /* 2 for images, 3 for markers (or image + depth) */
    int width, height;    /* image size in pixels; 0 when unknown */
    int time_from_source; /* 1: t_s read from the source; 0: frame index / rate_hz */
    double rate_hz;       /* nominal sample rate; 0 when unknown */
    size_t n_frames, cap;
    struct fc_keypoints *frames;
    /* Optional per-frame class label from the source (e.g. a labelled data
     * set's "C"/"L"); NULL when the source has none. */
    char (*labels)[FC_LABEL_MAX];
};

const char *fc_joint_name(enum fc_joint j);       /* "left_hip"; NULL if out of range */
int fc_joint_from_name(const char *name);         /* inverse; -1 if unknown */
const char *fc_skeleton_name(enum fc_skeleton s); /* "coco17", "mediapipe33", ... */
const char *fc_units_name(enum fc_units u);       /* "px", "normalized", "mm" */

/* Mappings from a source skeleton's point index to a canonical joint.
 * Returns -1 where the source point has no canonical counterpart (MediaPipe's
 * mouth, fingers; ...). Names are the source's own ("LHip" in BODY_25). */
int fc_skeleton_size(enum fc_skeleton s);
int fc_skeleton_to_joint(enum fc_skeleton s, int source_index);
const char *fc_skeleton_point_name(enum fc_skeleton s, int source_index);

/* A motion-capture marker label to a canonical joint: Plug-in Gait names
 * (LASI, RASI, LPSI, RPSI, SACR, LKNE, LANK, LHEE, LTOE, LSHO, ...) and ISB
 * names (L_IAS, R_IAS, L_IPS, R_IPS). A subject prefix ("A22:LASI") is
 * ignored, and so is case. -1 when the marker is not a joint. */
int fc_joint_from_marker(const char *label);

void fc_keypoints_clear(struct fc_keypoints *k, double t_s); /* all joints missing */
void fc_keypoints_set(struct fc_keypoints *k, enum fc_joint j, float x, float y, float z,
                      float score);
/* Sets joint j's world point (metres) and marks the frame as having them. */
void fc_keypoints_set_world(struct fc_keypoints *k, enum fc_joint j, float x_m, float y_m,
                            float z_m);
/* 1 when the frame has world points and joint j's is finite. */
int fc_keypoints_has_world(const struct fc_keypoints *k, enum fc_joint j);
/* 1 when the joint was seen with at least min_score. */
int fc_keypoints_has(const struct fc_keypoints *k, enum fc_joint j, float min_score);

void fc_pose_track_init(struct fc_pose_track *t, enum fc_skeleton s, enum fc_units u, int dims);
/* Appends a frame with every joint missing; NULL (and err set) on allocation failure. */
struct fc_keypoints *fc_pose_track_push(struct fc_pose_track *t, struct fc_error *err);
/* Makes room for n frames in all, so that pushes up to the n-th do not
 * reallocate (a live session allocates before its per-frame loop). */
int fc_pose_track_reserve(struct fc_pose_track *t, size_t n, struct fc_error *err);
/* Sets the label of frame i, allocating the label array on first use. */
int fc_pose_track_set_label(struct fc_pose_track *t, size_t i, const char *label,
                            struct fc_error *err);
void fc_pose_track_free(struct fc_pose_track *t);

#endif
