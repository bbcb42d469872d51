#include "core/keypoints.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const joint_names[FC_JOINT_COUNT] = {
    "nose",          "left_eye",       "right_eye",     "left_ear",       "right_ear",
    "left_shoulder", "right_shoulder", "left_elbow",    "right_elbow",    "left_wrist",
    "right_wrist",   "left_hip",       "right_hip",     "left_knee",      "right_knee",
    "left_ankle",    "right_ankle",    "neck",          "mid_hip",        "left_heel",
    "right_heel",    "left_big_toe",   "right_big_toe", "left_small_toe", "right_small_toe",
    "left_asis",     "right_asis",     "left_psis",     "right_psis",     "sacrum",
};

const char *fc_joint_name(enum fc_joint j)
{
    return (unsigned)j < FC_JOINT_COUNT ? joint_names[j] : NULL;
}

int fc_joint_from_name(const char *name)
{
    for (int j = 0; j < FC_JOINT_COUNT; j++)
        if (strcmp(name, joint_names[j]) == 0)
            return j;
    return -1;
}

const char *fc_skeleton_name(enum fc_skeleton s)
{
    switch (s) {
    case FC_SKELETON_COCO17: return "coco17";
    case FC_SKELETON_MEDIAPIPE33: return "mediapipe33";
    case FC_SKELETON_BODY25: return "body25";
    case FC_SKELETON_OPENPOSE18: return "openpose_coco18";
    case FC_SKELETON_MARKERS: return "markers";
    case FC_SKELETON_COUNT: break;
    }
    return "unknown";
}

const char *fc_units_name(enum fc_units u)
{
    switch (u) {
    case FC_UNITS_PIXELS: return "px";
    case FC_UNITS_NORMALIZED: return "normalized";
    case FC_UNITS_MM: return "mm";
    }
    return "unknown";
}

/* One row per source point: its own name and the canonical joint (-1: none). */
struct point_map {
    const char *name;
    int joint;
};

#define J(x) FC_JOINT_##x

static const struct point_map mediapipe33[] = {
    {"nose", J(NOSE)},
    {"left_eye_inner", -1},
    {"left_eye", J(LEFT_EYE)},
    {"left_eye_outer", -1},
    {"right_eye_inner", -1},
    {"right_eye", J(RIGHT_EYE)},
    {"right_eye_outer", -1},
    {"left_ear", J(LEFT_EAR)},
    {"right_ear", J(RIGHT_EAR)},
    {"mouth_left", -1},
    {"mouth_right", -1},
    {"left_shoulder", J(LEFT_SHOULDER)},
    {"right_shoulder", J(RIGHT_SHOULDER)},
    {"left_elbow", J(LEFT_ELBOW)},
    {"right_elbow", J(RIGHT_ELBOW)},
    {"left_wrist", J(LEFT_WRIST)},
    {"right_wrist", J(RIGHT_WRIST)},
    {"left_pinky", -1},
    {"right_pinky", -1},
    {"left_index", -1},
    {"right_index", -1},
    {"left_thumb", -1},
    {"right_thumb", -1},
    {"left_hip", J(LEFT_HIP)},
    {"right_hip", J(RIGHT_HIP)},
    {"left_knee", J(LEFT_KNEE)},
    {"right_knee", J(RIGHT_KNEE)},
    {"left_ankle", J(LEFT_ANKLE)},
    {"right_ankle", J(RIGHT_ANKLE)},
    {"left_heel", J(LEFT_HEEL)},
    {"right_heel", J(RIGHT_HEEL)},
    /* BlazePose's foot_index is the tip of the foot: the big-toe landmark. */
    {"left_foot_index", J(LEFT_BIG_TOE)},
    {"right_foot_index", J(RIGHT_BIG_TOE)},
};

static const struct point_map body25[] = {
    {"Nose", J(NOSE)},
    {"Neck", J(NECK)},
    {"RShoulder", J(RIGHT_SHOULDER)},
    {"RElbow", J(RIGHT_ELBOW)},
    {"RWrist", J(RIGHT_WRIST)},
    {"LShoulder", J(LEFT_SHOULDER)},
    {"LElbow", J(LEFT_ELBOW)},
    {"LWrist", J(LEFT_WRIST)},
    {"MidHip", J(MID_HIP)},
    {"RHip", J(RIGHT_HIP)},
    {"RKnee", J(RIGHT_KNEE)},
    {"RAnkle", J(RIGHT_ANKLE)},
    {"LHip", J(LEFT_HIP)},
    {"LKnee", J(LEFT_KNEE)},
    {"LAnkle", J(LEFT_ANKLE)},
    {"REye", J(RIGHT_EYE)},
    {"LEye", J(LEFT_EYE)},
    {"REar", J(RIGHT_EAR)},
    {"LEar", J(LEFT_EAR)},
    {"LBigToe", J(LEFT_BIG_TOE)},
    {"LSmallToe", J(LEFT_SMALL_TOE)},
    {"LHeel", J(LEFT_HEEL)},
    {"RBigToe", J(RIGHT_BIG_TOE)},
    {"RSmallToe", J(RIGHT_SMALL_TOE)},
    {"RHeel", J(RIGHT_HEEL)},
};

static const struct point_map openpose18[] = {
    {"Nose", J(NOSE)},          {"Neck", J(NECK)},          {"RShoulder", J(RIGHT_SHOULDER)},
    {"RElbow", J(RIGHT_ELBOW)}, {"RWrist", J(RIGHT_WRIST)}, {"LShoulder", J(LEFT_SHOULDER)},
    {"LElbow", J(LEFT_ELBOW)},  {"LWrist", J(LEFT_WRIST)},  {"RHip", J(RIGHT_HIP)},
    {"RKnee", J(RIGHT_KNEE)},   {"RAnkle", J(RIGHT_ANKLE)}, {"LHip", J(LEFT_HIP)},
    {"LKnee", J(LEFT_KNEE)},    {"LAnkle", J(LEFT_ANKLE)},  {"REye", J(RIGHT_EYE)},
    {"LEye", J(LEFT_EYE)},      {"REar", J(RIGHT_EAR)},     {"LEar", J(LEFT_EAR)},
};

/* Plug-in Gait (Davis 1991 / Vicon) and ISB (Wu 2002) marker names. Markers on
 * the joint's lateral side stand in for the joint (LKNE: lateral epicondyle). */
static const struct point_map markers[] = {
    {"LASI", J(LEFT_ASIS)},
    {"RASI", J(RIGHT_ASIS)},
    {"LPSI", J(LEFT_PSIS)},
    {"RPSI", J(RIGHT_PSIS)},
    {"SACR", J(SACRUM)},
    {"L_IAS", J(LEFT_ASIS)},
    {"R_IAS", J(RIGHT_ASIS)},
    {"L_IPS", J(LEFT_PSIS)},
    {"R_IPS", J(RIGHT_PSIS)},
    {"LSHO", J(LEFT_SHOULDER)},
    {"RSHO", J(RIGHT_SHOULDER)},
    {"LELB", J(LEFT_ELBOW)},
    {"RELB", J(RIGHT_ELBOW)},
    {"LWRA", J(LEFT_WRIST)},
    {"RWRA", J(RIGHT_WRIST)},
    {"LKNE", J(LEFT_KNEE)},
    {"RKNE", J(RIGHT_KNEE)},
    {"LANK", J(LEFT_ANKLE)},
    {"RANK", J(RIGHT_ANKLE)},
    {"LHEE", J(LEFT_HEEL)},
    {"RHEE", J(RIGHT_HEEL)},
    {"LTOE", J(LEFT_BIG_TOE)},
    {"RTOE", J(RIGHT_BIG_TOE)},
    {"C7", J(NECK)},
    {"L_FLE", J(LEFT_KNEE)},
    {"R_FLE", J(RIGHT_KNEE)},
    {"L_FAL", J(LEFT_ANKLE)},
    {"R_FAL", J(RIGHT_ANKLE)},
    {"L_FCC", J(LEFT_HEEL)},
    {"R_FCC", J(RIGHT_HEEL)},
    {"L_FM1", J(LEFT_BIG_TOE)},
    {"R_FM1", J(RIGHT_BIG_TOE)},
    {"L_FM5", J(LEFT_SMALL_TOE)},
    {"R_FM5", J(RIGHT_SMALL_TOE)},
    {"L_SAE", J(LEFT_SHOULDER)},
    {"R_SAE", J(RIGHT_SHOULDER)},
    {"CV7", J(NECK)},
};

#undef J

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct point_map *skeleton_table(enum fc_skeleton s, int *n)
{
    switch (s) {
    case FC_SKELETON_COCO17: *n = FC_COCO17_COUNT; return NULL; /* identity */
    case FC_SKELETON_MEDIAPIPE33: *n = COUNT(mediapipe33); return mediapipe33;
    case FC_SKELETON_BODY25: *n = COUNT(body25); return body25;
    case FC_SKELETON_OPENPOSE18: *n = COUNT(openpose18); return openpose18;
    case FC_SKELETON_MARKERS: *n = COUNT(markers); return markers;
    case FC_SKELETON_COUNT: break;
    }
    *n = 0;
    return NULL;
}

int fc_skeleton_size(enum fc_skeleton s)
{
    int n;
    skeleton_table(s, &n);
    return n;
}

int fc_skeleton_to_joint(enum fc_skeleton s, int i)
{
    int n;
    const struct point_map *tab = skeleton_table(s, &n);
    if (i < 0 || i >= n)
        return -1;
    return tab ? tab[i].joint : i;
}

const char *fc_skeleton_point_name(enum fc_skeleton s, int i)
{
    int n;
    const struct point_map *tab = skeleton_table(s, &n);
    if (i < 0 || i >= n)
        return NULL;
    return tab ? tab[i].name : joint_names[i];
}

int fc_joint_from_marker(const char *label)
{
    const char *colon = strrchr(label, ':');
    const char *name = colon ? colon + 1 : label;
    while (isspace((unsigned char)*name))
        name++;
    size_t len = strlen(name);
    while (len > 0 && isspace((unsigned char)name[len - 1]))
        len--;
    for (int i = 0; i < COUNT(markers); i++)
        if (strlen(markers[i].name) == len && strncasecmp(markers[i].name, name, len) == 0)
            return markers[i].joint;
    return -1;
}

void fc_keypoints_clear(struct fc_keypoints *k, double t_s)
{
    k->t_s = t_s;
    k->world = 0;
    for (int j = 0; j < FC_JOINT_COUNT; j++) {
        k->x[j] = k->y[j] = k->z[j] = NAN;
        k->world_x[j] = k->world_y[j] = k->world_z[j] = NAN;
        k->score[j] = 0.0f;
    }
}

void fc_keypoints_set_world(struct fc_keypoints *k, enum fc_joint j, float x_m, float y_m,
                            float z_m)
{
    k->world = 1;
    k->world_x[j] = x_m;
    k->world_y[j] = y_m;
    k->world_z[j] = z_m;
}

int fc_keypoints_has_world(const struct fc_keypoints *k, enum fc_joint j)
{
    return k->world && (unsigned)j < FC_JOINT_COUNT && isfinite(k->world_x[j]) &&
           isfinite(k->world_y[j]) && isfinite(k->world_z[j]);
}

void fc_keypoints_set(struct fc_keypoints *k, enum fc_joint j, float x, float y, float z,
                      float score)
{
    k->x[j] = x;
    k->y[j] = y;
    k->z[j] = z;
    k->score[j] = score;
}

int fc_keypoints_has(const struct fc_keypoints *k, enum fc_joint j, float min_score)
{
    return k->score[j] > 0.0f && k->score[j] >= min_score && isfinite(k->x[j]) && isfinite(k->y[j]);
}

void fc_pose_track_init(struct fc_pose_track *t, enum fc_skeleton s, enum fc_units u, int dims)
{
    memset(t, 0, sizeof *t);
    t->skeleton = s;
    t->units = u;
    t->dims = dims;
}

struct fc_keypoints *fc_pose_track_push(struct fc_pose_track *t, struct fc_error *err)
{
    if (t->n_frames == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct fc_keypoints *f = realloc(t->frames, cap * sizeof *f);
        if (!f) {
            fc_error_set(err, FC_ERR_NOMEM, "out of memory growing a track to %zu frames", cap);
            return NULL;
        }
        t->frames = f;
        if (t->labels) {
            char(*l)[FC_LABEL_MAX] = realloc(t->labels, cap * sizeof *l);
            if (!l) {
                fc_error_set(err, FC_ERR_NOMEM, "out of memory growing labels to %zu", cap);
                return NULL;
            }
            memset(l + t->cap, 0, (cap - t->cap) * sizeof *l);
            t->labels = l;
        }
        t->cap = cap;
    }
    struct fc_keypoints *k = &t->frames[t->n_frames++];
    fc_keypoints_clear(k, 0.0);
    return k;
}

int fc_pose_track_reserve(struct fc_pose_track *t, size_t n, struct fc_error *err)
{
    if (n <= t->cap)
        return 0;
    struct fc_keypoints *f = realloc(t->frames, n * sizeof *f);
    if (!f)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for a track of %zu frames", n);
    t->frames = f;
    if (t->labels) {
        char(*l)[FC_LABEL_MAX] = realloc(t->labels, n * sizeof *l);
        if (!l)
            return fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu labels", n);
        memset(l + t->cap, 0, (n - t->cap) * sizeof *l);
        t->labels = l;
    }
    t->cap = n;
    return 0;
}

int fc_pose_track_set_label(struct fc_pose_track *t, size_t i, const char *label,
                            struct fc_error *err)
{
    if (i >= t->n_frames)
        return fc_error_set(err, FC_ERR_ARG, "label for frame %zu of %zu", i, t->n_frames);
    if (!t->labels) {
        t->labels = calloc(t->cap, sizeof *t->labels);
        if (!t->labels)
            return fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu labels", t->cap);
    }
    snprintf(t->labels[i], FC_LABEL_MAX, "%s", label);
    return 0;
}

void fc_pose_track_free(struct fc_pose_track *t)
{
    free(t->frames);
    free(t->labels);
    t->frames = NULL;
    t->labels = NULL;
    t->n_frames = t->cap = 0;
}
