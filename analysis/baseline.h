/* formcheck: the standing baseline. The frames before the first movement
 * are stored; at the lock their medians make one reference skeleton, and
 * from it the subject's own axes, camera roll, view, lengths and facing
 * (struct fc_body_ref), against which every later frame is measured.
 * Internal to analysis/; the behaviour is described in analysis/analyzer.h
 * ("Standing baseline", "Body vertical and camera roll", "View"), the
 * numbers are in analysis/tuning.h.
 *
 *     struct fc_baseline *b = calloc(1, sizeof *b);  // large: frames stored
 *     fc_baseline_init(b, baseline_min_s);
 *     for (each frame k) {
 *         uint32_t seen = seen_mask_all(k, min_score);
 *         int v = fc_baseline_push(b, k, seen);
 *         if (v != FC_BASELINE_COLLECTING) {
 *             struct fc_body_ref ref;
 *             fc_baseline_lock(b, FC_VIEW_AUTO, &ref);
 *             // has_baseline = v == FC_BASELINE_STILL
 *         }
 *     }
 *
 * No allocation: the stored frames live in the struct (BASE_CAP of them).
 */
#ifndef FC_ANALYSIS_BASELINE_H
#define FC_ANALYSIS_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/geometry.h"
#include "analysis/tuning.h"
#include "core/exercise.h"
#include "core/keypoints.h"

/* The subject's reference, from the locked baseline. Image axes: U up
 * (camera roll removed), L the subject's right hip -> left hip, F forward
 * (the way the subject faces; lying: towards the feet), A anterior (the
 * way the face points). */
struct fc_body_ref {
    struct vec U, L, F, A;
    float s_lu, s_uf, s_flex;                /* signs that orient ang() for the metrics */
    float hip_w, torso, leg, shank[2];       /* px; leg: hip -> ankle */
    float thigh[2];                          /* px, hip -> knee standing, per side */
    float h0_midhip, h0_hip[2], h0_ankle[2]; /* standing heights along U */
    float off0_lat;                          /* mid-hip over mid-ankle along L */
    float ank_sep0;    /* standing ankles' separation across the picture, px (0 unseen) */
    float hipflex0[2]; /* standing hip flexion, deg */
    int near_side, facing_known;
    int lead_fixed; /* step-up begun with a foot on the step: that leg, else -1 */
    int lying;      /* the reference lies (glute bridge) */
    double roll_deg;
    int roll_assumed;        /* the body said roll_estimate_deg: implausible, 0 used */
    float roll_estimate_deg; /* the body vertical's angle, NaN when none */
    int ref_upright;         /* the reference skeleton stands upright */
    float ref_height;        /* its hip height (fc_reference_height), NaN unknown */
    enum fc_view view, view_detected;
    float view_conf, sh_ratio;
    /* The body's turn from facing the camera, 0-90 deg, from the width of
     * the shoulder line (the hip line with the arms overhead) against
     * VIEW_SQUARE_RATIO; NaN when not seen. Which way is not known. */
    float yaw_deg;
    int yaw_from_face; /* 1: yaw_deg is the face's (nose against ears), 0: the widths' */
};

/* The reference before any lock: the view as the user gave it, nothing
 * detected yet. */
void fc_body_ref_init(struct fc_body_ref *r, enum fc_view user_view);

enum fc_baseline_verdict {
    FC_BASELINE_COLLECTING, /* keep pushing */
    FC_BASELINE_STILL,      /* lock now: a standing phase was seen */
    FC_BASELINE_FALLBACK,   /* lock now on what there is: no standing phase */
};

/* Baseline frames, one row of BASE_CAP per joint (structure of arrays),
 * NaN where the joint was not seen; the running means that watch for the
 * first movement; scratch for the medians. */
struct fc_baseline {
    double min_s; /* standing time needed before the first rep */
    size_t n;
    double t0; /* first frame with a person */
    int started, moving_run, movement_seen;
    double movement_t; /* when the first movement was seen */
    double last_t;     /* time of the last stored frame */
    double sum_x[FC_COCO17_COUNT], sum_y[FC_COCO17_COUNT];
    long cnt[FC_COCO17_COUNT];
    double score[2]; /* summed hip + knee + ankle scores per side */
    float x[FC_COCO17_COUNT][BASE_CAP];
    float y[FC_COCO17_COUNT][BASE_CAP];
    float scratch[BASE_CAP];
    float scratch_hx[BASE_CAP], scratch_hy[BASE_CAP], scratch_rx[BASE_CAP], scratch_ry[BASE_CAP];
};

void fc_baseline_init(struct fc_baseline *b, double baseline_min_s);
/* One frame before the lock (seen: seen_mask_all): stored, or the verdict
 * that the baseline locks now (the frame is then not stored). */
enum fc_baseline_verdict fc_baseline_push(struct fc_baseline *b, const struct fc_keypoints *k,
                                          uint32_t seen);
/* Stores a frame without watching for movement (a reference chosen
 * offline); 0 when the store is full. */
int fc_baseline_store(struct fc_baseline *b, const struct fc_keypoints *k, uint32_t seen);
/* The stored frames' time step, 0 with fewer than two. */
double fc_baseline_frame_step(const struct fc_baseline *b);
/* The reference from the stored frames. user_view: FC_VIEW_AUTO, or the
 * view the user fixed (ref->view). */
void fc_baseline_lock(struct fc_baseline *b, enum fc_view user_view, struct fc_body_ref *ref);

#endif
