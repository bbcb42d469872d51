/* formcheck: which joints a frame shows, and one frame as the analyzer's
 * parts see it (struct fc_frame_ctx). Internal to analysis/.
 *
 * A joint is seen when its score reaches min_score and its coordinates are
 * finite; a frame's seen joints are a bit mask (bit j for COCO joint j, then
 * the two big toes), so a metric asks for its joints in one test:
 *
 *     uint32_t m = seen_mask_body(k, min_score);
 *     if (HAS(m, BIT(LH) | BIT(LK) | BIT(LA)))
 *         ... the left leg is seen: jp(k, LK) is the knee ...
 *
 * The per-frame context is filled once by fc_analyzer_push and handed to
 * each part (metrics, signal, reps) instead of long parameter lists.
 */
#ifndef FC_ANALYSIS_SKELETON_H
#define FC_ANALYSIS_SKELETON_H

#include <stdint.h>

#include "analysis/geometry.h"
#include "analysis/tuning.h"
#include "core/keypoints.h"

#define LS FC_JOINT_LEFT_SHOULDER
#define RS FC_JOINT_RIGHT_SHOULDER
#define LH FC_JOINT_LEFT_HIP
#define RH FC_JOINT_RIGHT_HIP
#define LK FC_JOINT_LEFT_KNEE
#define RK FC_JOINT_RIGHT_KNEE
#define LA FC_JOINT_LEFT_ANKLE
#define RA FC_JOINT_RIGHT_ANKLE
#define BIT(j) (1u << (j))
#define TOE_BIT(s) (1u << (FC_COCO17_COUNT + (s)))
#define HAS(m, bits) (((m) & (bits)) == (bits))

/* The joints the metrics use, and the left/right pairs by side
 * (FC_SIDE_LEFT = 0, FC_SIDE_RIGHT = 1). */
static const int body_joints[8] = {LS, RS, LH, RH, LK, RK, LA, RA};
static const int sh_j[2] = {LS, RS}, hip_j[2] = {LH, RH}, knee_j[2] = {LK, RK}, ank_j[2] = {LA, RA},
                 toe_j[2] = {FC_JOINT_LEFT_BIG_TOE, FC_JOINT_RIGHT_BIG_TOE},
                 elbow_j[2] = {FC_JOINT_LEFT_ELBOW, FC_JOINT_RIGHT_ELBOW},
                 wrist_j[2] = {FC_JOINT_LEFT_WRIST, FC_JOINT_RIGHT_WRIST};

static inline struct vec jp(const struct fc_keypoints *k, int j)
{
    return (struct vec){k->x[j], k->y[j]};
}

/* 1 when joint j is seen; x - x == 0 is isfinite(x) without a branch (NaN
 * and infinities give NaN). */
static inline uint32_t seen1(const struct fc_keypoints *k, float min_score, int j)
{
    float x = k->x[j], y = k->y[j];
    return (uint32_t)((k->score[j] >= min_score) & (x - x == 0.0f) & (y - y == 0.0f));
}

/* Every COCO joint and the two big toes (before the baseline locks). */
static inline uint32_t seen_mask_all(const struct fc_keypoints *k, float min_score)
{
    uint32_t m = 0;
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        m |= seen1(k, min_score, j) << j;
    for (int s = 0; s < 2; s++)
        m |= seen1(k, min_score, toe_j[s]) << (FC_COCO17_COUNT + s);
    return m;
}

/* The joints the metrics use after the baseline: shoulders, hips, knees,
 * ankles and big toes. */
static inline uint32_t seen_mask_body(const struct fc_keypoints *k, float min_score)
{
    uint32_t m = 0;
    for (int i = 0; i < 8; i++)
        m |= seen1(k, min_score, body_joints[i]) << body_joints[i];
    for (int s = 0; s < 2; s++)
        m |= seen1(k, min_score, toe_j[s]) << (FC_COCO17_COUNT + s);
    return m;
}

/* Mid-point of a pair, or the one seen; 0 when neither. */
static inline int mid_or_one(const struct fc_keypoints *k, uint32_t m, int l, int r,
                             struct vec *out)
{
    int hl = (m >> l) & 1, hr = (m >> r) & 1;
    if (hl && hr)
        *out = vmid(jp(k, l), jp(k, r));
    else if (hl)
        *out = jp(k, l);
    else if (hr)
        *out = jp(k, r);
    return hl | hr;
}

/* A wrist held up overhead: AUTO_ARMS_UP_TORSO standing torso lengths above
 * its shoulder along U (analysis/tuning.h). */
static inline int wrist_overhead(struct vec wrist, struct vec shoulder, struct vec U, float torso)
{
    return vdot(vsub(wrist, shoulder), U) >= AUTO_ARMS_UP_TORSO * torso;
}

/* Hip, knee and ankle of side s all seen. */
static inline int leg_seen(uint32_t m, int s)
{
    return HAS(m, BIT(hip_j[s]) | BIT(knee_j[s]) | BIT(ank_j[s]));
}

/* One frame after the baseline, as every part reads it. */
struct fc_frame_ctx {
    const struct fc_keypoints *k;
    uint32_t seen; /* seen_mask_body */
    double t_s;
    int tracked;   /* the view's joints were all seen */
    float lift[2]; /* ankle lifts over their standing heights, leg lengths */
    int lifts_ok;  /* 1 when both ankles were seen (lift[] valid) */
    float *v;      /* the frame's metric values, NaN = not measured */
    /* When not NULL, bit m is set for a metric m the leg's being out of the
     * picture's plane made not
     * measurable in this frame (fc_frame_metrics.out_of_plane). */
    uint32_t *out_of_plane;
};

#endif
