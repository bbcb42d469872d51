/* formcheck: the streaming biomechanics analyzer (analysis/analyzer.h).
 *
 * Layout of the work per frame (fc_analyzer_push):
 *   1. which joints are seen (score >= min_score, finite coordinates);
 *   2. before the standing baseline is locked: store the frame, watch for
 *      the first movement, lock when it comes (or when standing long enough);
 *   3. the metrics of the view's plane only (analysis/metrics.h), measured
 *      in the baseline's own axes: U (up, camera roll removed), L (the
 *      subject's right hip -> left hip), F (the way the subject faces);
 *   4. the exercise's movement signal through a hysteresis rep detector,
 *      and running peaks / sums of every measured metric.
 * Everything lives in the struct below, allocated once in create; push does
 * no allocation, no I/O and keeps to float arithmetic on flat arrays. */
#include "analysis/analyzer.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/filter.h"
#include "core/units.h"

#define DEG ((float)FC_DEG_PER_RAD)

/* ---- detection constants (algorithmic, not clinical thresholds) -------- */

/* Baseline frames kept for the medians (34 s at 30 Hz, 4 s at 240 Hz). */
#define BASE_CAP 1024
/* Stillness longer than this locks the baseline without waiting for the
 * first movement, so live feedback starts after a couple of seconds. */
#define BASE_MAX_S 2.0
/* With no standing phase the first BASE_FALLBACK_S are used anyway. */
#define BASE_FALLBACK_S 0.5
/* Movement onset: shoulders, hips, knees or ankles leave their running mean
 * position by this fraction of the torso length, MOVE_FRAMES frames running.
 * 8% of a ~50 cm torso is 4 cm: well above the jitter of a pose model
 * (~1% of the torso) and below the first 0.2 s of any exercise here. */
#define MOVE_FRAC 0.08f
#define MOVE_FRAMES 2
/* Low-confidence stretches shorter than this are not reported; untracked
 * runs closer than LOWCONF_GAP_S are one stretch. */
#define LOWCONF_MIN_S 0.3
#define LOWCONF_GAP_S 0.3
/* A joint fc_analyze_track found implausible (see JITTER_TORSO) carries
 * this score: not seen (below any min_score), and its frame untracked. */
#define SCORE_IMPLAUSIBLE (-1.0f)
/* View from shoulder width / torso length in the baseline. A person facing
 * the camera measures 0.7-0.9 (COCO shoulder keypoints ~35 cm apart, hip to
 * shoulder ~45-50 cm); the ratio falls as |cos(yaw)|. Above 0.55 the
 * subject is within ~50 deg of facing the camera (front); below 0.25 within
 * ~15-20 deg of side-on (side); in between neither plane projects cleanly
 * (oblique, no planar metric). */
#define VIEW_FRONT_MIN 0.55f
#define VIEW_SIDE_MAX 0.25f
/* When the shoulders are not seen, hip width / torso stands in: hip joint
 * centres sit about half as far apart as the shoulder keypoints. */
#define HIP_TO_SHOULDER_RATIO 2.0f
/* The baseline body axis (mid-ankle -> mid-shoulder) more than this far
 * from the image vertical: the subject is lying (glute bridge). */
#define LYING_MIN_DEG 50.0f
/* Stance leg in gait and deadlifts: the lower ankle, once the heights differ
 * by this fraction of the leg length (hysteresis against jitter; while the
 * feet are level the hip drop is near zero anyway). */
#define STANCE_SWITCH 0.01f
/* Split stance in the baseline: the ankles this far apart along the body
 * (one foot on a step) or, side-on, this far apart fore-aft (lunge), in leg
 * lengths. Feet side by side measure ~0 and ~0.3 (front view width). */
#define SPLIT_STEP 0.05f
#define SPLIT_STANCE 0.15f
/* Step-ups: the leading leg is the first ankle to rise this far. */
#define LEAD_RISE 0.05f
/* Rep peaks are taken on a centred quadratic Savitzky-Golay fit over
 * peak_window_s (odd, at most PEAK_RING - 1 frames), see fc_analyzer_params.
 * The fit's running moments are recomputed exactly every PEAK_RESYNC frames
 * so that rounding never accumulates. */
#define PEAK_RING 64
#define PEAK_RESYNC 4096
/* The lumbo-pelvic proxy is read only while the trunk is this upright. */
#define TILT_PROXY_UPRIGHT_DEG 15.0f
/* Upright (standing, not squatting or lunging): a leg straight in the image
 * (knee bent less than this, and the thigh not foreshortened below this
 * fraction of the shank, which a thigh pointing at the camera in a front
 * view squat is), the trunk in line with that leg, and the leg near the
 * image vertical. Only an upright body says where "up" is. */
#define UPRIGHT_KNEE_DEG 25.0f
#define UPRIGHT_THIGH_MIN 0.7f
#define UPRIGHT_TRUNK_DEG 25.0f
#define UPRIGHT_TILT_DEG 30.0f
/* A hand-held or tripod phone stands within a few degrees of level; a body
 * vertical further than this from the image vertical is the body leaning
 * (or a camera looking down steeply), not roll: roll is then taken as 0. */
#define ROLL_MAX_DEG 15.0f
/* In a split stance the trunk stands in for the body vertical, and unless
 * seen from the front a trunk leans forward by 5-15 deg there: only an
 * estimate this small is taken as roll then. */
#define ROLL_MAX_TRUNK_DEG 5.0f
/* View from the face: the nose's offset from the mid-shoulder point along
 * the shoulder line, in shoulder widths. The nose sits ~10 cm ahead of the
 * neck and the shoulder keypoints ~35 cm apart, so the offset is about
 * 0.29 tan(yaw): 0.35 is ~50 deg of yaw. A wide shoulder line with the face
 * turned this far is a front-oblique view (a barbell on the back widens the
 * shoulders' span). */
#define VIEW_NOSE_OBLIQUE 0.35f
/* Walking across a side view: the ankles' fore-aft separation in leg
 * lengths. A stride spreads the feet by 0.6-1.0 leg at heel strike; they
 * pass each other at mid-swing. Once the feet have been this far apart the
 * steps are counted from the separation (start / end / required peak),
 * which, unlike the ankle lift, survives the model swapping left and right
 * legs as they cross; before, from the lift (stepping in place). */
#define STRIDE_ON 0.40f
#define STRIDE_START 0.35f
#define STRIDE_END 0.20f
#define STRIDE_MIN_AMP 0.50f
/* A rep already under way when the analysis starts (the clip opens in the
 * middle of one) counts only if at least this fraction of the rep's
 * minimum amplitude was seen going into its extreme: a clip that opens at
 * the bottom of a squat and rises has shown that rep's bottom; one that
 * opens at the top of a bridge and lowers has not shown a rep. */
#define PARTIAL_REP_SEEN 0.5f
/* A rep the session ends in whose signal at the last frame is within this
 * of its extreme (in the signal's units) was cut off on its way down: its
 * bottom was not seen. It counts (it went deep enough) but has no peaks. */
#define CUT_REP_MARGIN 0.01f
/* See frontal_metrics: two knees reading this much valgus and varus at once
 * in a two-legged squat are a body turned from the camera. Injected faults
 * (and real knees) stay under it on one side at least. */
#define TURNED_FPPA_DEG 15.0f

/* ---- per-exercise movement signal and rep thresholds ------------------- */

enum signal_kind {
    SIG_NONE,
    SIG_DESCENT, /* (standing hip height - hip height) / leg length */
    SIG_RISE,    /* hip rise / leg length (step-up) */
    SIG_TRUNK,   /* trunk inclination / 90 deg (single-leg deadlift) */
    SIG_BRIDGE,  /* hip rise / torso length, from the lying baseline */
    SIG_GAIT,    /* (left ankle lift - right ankle lift) / leg length, two-sided */
};

enum stance_mode {
    STANCE_NONE,        /* two-legged: no hip drop */
    STANCE_LEFT,        /* single-leg squat left */
    STANCE_RIGHT,       /* single-leg squat right */
    STANCE_LOWER_ANKLE, /* gait, single-leg deadlift: the foot on the ground */
    STANCE_LEAD_LEG,    /* step-up: the leg that stepped onto the box */
};

enum side_mode {
    SIDE_NONE,
    SIDE_FIXED,       /* from the exercise name */
    SIDE_FRONT_LEG,   /* lunge */
    SIDE_LEAD_LEG,    /* step-up */
    SIDE_LOWER_ANKLE, /* single-leg deadlift: the stance leg at the bottom */
    SIDE_POLARITY,    /* gait: which foot swung */
};

/* start: the signal crossing it starts a rep; end: falling back under it
 * ends the rep (and below it the subject is at rest); min_amp: the rep's
 * extreme must reach it; min_s: shortest rep. Hip heights are in leg
 * lengths (~85-90 cm): 0.06 is ~5 cm, 0.10 ~9 cm; a quarter squat sinks
 * about 0.25, a single-leg squat 0.15-0.3. */
struct exercise_cfg {
    enum signal_kind signal;
    float start, end, min_amp;
    double min_s;
    enum stance_mode stance;
    enum side_mode side;
    int fixed_side;
};

static const struct exercise_cfg cfgs[FC_EXERCISE_COUNT] = {
    [FC_EXERCISE_AUTO] = {SIG_NONE, 1, 1, 1, 0, STANCE_NONE, SIDE_NONE, -1},
    [FC_EXERCISE_SQUAT] = {SIG_DESCENT, 0.06f, 0.03f, 0.10f, 0.3, STANCE_NONE, SIDE_NONE, -1},
    [FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT] = {SIG_DESCENT, 0.04f, 0.02f, 0.06f, 0.3, STANCE_LEFT,
                                           SIDE_FIXED, FC_SIDE_LEFT},
    [FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT] = {SIG_DESCENT, 0.04f, 0.02f, 0.06f, 0.3, STANCE_RIGHT,
                                            SIDE_FIXED, FC_SIDE_RIGHT},
    [FC_EXERCISE_LUNGE] = {SIG_DESCENT, 0.06f, 0.03f, 0.10f, 0.3, STANCE_NONE, SIDE_FRONT_LEG, -1},
    [FC_EXERCISE_STEP_UP] = {SIG_RISE, 0.06f, 0.03f, 0.10f, 0.3, STANCE_LEAD_LEG, SIDE_LEAD_LEG,
                             -1},
    /* 20 deg of trunk inclination starts a rep, 10 deg ends it, 30 deg needed. */
    [FC_EXERCISE_SINGLE_LEG_DEADLIFT] = {SIG_TRUNK, 20.0f / 90, 10.0f / 90, 30.0f / 90, 0.3,
                                         STANCE_LOWER_ANKLE, SIDE_LOWER_ANKLE, -1},
    [FC_EXERCISE_GLUTE_BRIDGE] = {SIG_BRIDGE, 0.08f, 0.04f, 0.12f, 0.3, STANCE_NONE, SIDE_NONE, -1},
    /* A swing foot lifts 5-15 cm: 0.03 leg lengths starts a step. */
    [FC_EXERCISE_GAIT] = {SIG_GAIT, 0.03f, 0.015f, 0.04f, 0.12, STANCE_LOWER_ANKLE, SIDE_POLARITY,
                          -1},
};

/* AUTO: the first clear movement decides (see infer_exercise). */
#define AUTO_DESCENT 0.10f /* hip descends 10% of the leg: a squat family */
#define AUTO_RISE 0.10f    /* hip rises 10%: step-up (standing) */
#define AUTO_LIFT 0.06f    /* one ankle lifted 6% of the leg */
#define AUTO_GROUND 0.03f  /* the other within 3%: on the ground */
#define AUTO_SPLIT 0.30f   /* ankles 30% of the leg further apart (side view): lunge */
#define AUTO_TRUNK_DEG 35.0f
#define AUTO_REST 0.03f

/* Per metric: the rep peak is the largest value (1 = max: depth, flexion,
 * hip drop, forward lean, knee travel) or the largest deviation with its
 * sign (0: obliquity, FPPA valgus + / varus -, lateral lean and shift,
 * the tilt proxy and the 3-D pelvis angles, where either direction is a
 * fault). */
static const unsigned char peak_is_max[FC_METRIC_COUNT] = {
    [FC_M_HIP_DROP] = 1,           [FC_M_HIP_FLEXION_LEFT] = 1,   [FC_M_HIP_FLEXION_RIGHT] = 1,
    [FC_M_KNEE_FLEXION_LEFT] = 1,  [FC_M_KNEE_FLEXION_RIGHT] = 1, [FC_M_DEPTH] = 1,
    [FC_M_TRUNK_FORWARD_LEAN] = 1, [FC_M_TRUNK_SHIN_DIFF] = 1,    [FC_M_KNEE_TRAVEL] = 1,
};

/* ---- state ----------------------------------------------------------- */

struct vec {
    float x, y;
};

enum rep_state { REP_IDLE, REP_ACTIVE };

/* The rep in progress, or the frames since the last rest (pending). */
struct rep_acc {
    double t_start, t_bottom;
    float s_bottom;
    float s_first; /* the signal when a rep was under way from the start, else -inf */
    float hip_h0;  /* stride steps: the mid-hip along the image horizontal at the start */
    int polarity;  /* gait: +1 left foot swinging (right stance), -1 the other */
    int lead;      /* step-up: the first ankle to rise, -1 unknown */
    int side_at_bottom;
    long frames, tracked;
    float peak[FC_METRIC_COUNT];
    float at_bottom[FC_METRIC_COUNT];
    double t_peak[FC_METRIC_COUNT];
};

struct fc_analyzer {
    struct fc_analyzer_params p;
    struct exercise_cfg cfg;
    enum fc_exercise exercise; /* current (AUTO until inferred) */

    /* session */
    size_t n_frames, n_tracked;
    double t_first, t_last;

    /* baseline collection */
    int locked, has_baseline, lying;
    size_t base_n;
    double base_t0; /* first frame with a person */
    int base_started, moving_run, movement_seen;
    double movement_t;  /* when the first movement was seen */
    double base_last_t; /* time of the last stored baseline frame */
    double base_sum_x[FC_COCO17_COUNT], base_sum_y[FC_COCO17_COUNT];
    long base_cnt[FC_COCO17_COUNT];
    double base_score[2]; /* summed hip+knee+ankle scores per side */

    /* baseline geometry (after lock) */
    struct vec U, L, F, A; /* up, lateral (right -> left), forward, anterior */
    float s_lu, s_uf, s_flex;
    float hip_w, torso, leg, shank[2];
    float h0_midhip, h0_hip[2], h0_ankle[2];
    float off0_lat;
    float hipflex0[2];
    int near_side, facing_known;
    int lead_fixed; /* step-up begun with a foot on the step: that leg, else -1 */
    double roll_deg;
    int roll_assumed;        /* the body said roll_estimate_deg: implausible, 0 used */
    float roll_estimate_deg; /* the body vertical's angle, NaN when none */
    int ref_upright;         /* the reference skeleton stands upright */
    float ref_height;        /* its hip height (reference_height), NaN unknown */
    double ref_dt;           /* frame step for the peak window when set by the caller */
    enum fc_view view, view_detected;
    float view_conf, sh_ratio;
    unsigned char measurable[FC_METRIC_COUNT];
    int active[FC_METRIC_COUNT]; /* metrics measured each frame */
    int n_active;
    int frontal_on, sagittal_on;

    /* 3-D pelvis input */
    int has_3d_pending, any_3d;
    float pelvis3d[3];

    /* stance (hip drop) */
    int stance;
    /* reps: 1 once the signal has been at rest; gait: 1 once strides are
     * counted from the ankles' separation (STRIDE_ON) */
    int rest_seen, stride_mode;
    float s_last;     /* the last frame's movement signal */
    int last_rep_cut; /* the session ended before the last rep's bottom */
    /* 1: the session has no standing reference (the subject never stood
     * upright in view), so the standing exercises' reps, which start and
     * end standing, are not counted */
    int reps_off;

    /* AUTO inference */
    int auto_lifted;      /* the ankle lifted now (-1 none) */
    float auto_max_abs_d; /* largest |hip descent| while it was up */
    int auto_first_step;  /* gait decided at the end of a step: credit it */

    /* smoothing for the rep peaks: ring[metric][slot] (NaN = gap) and, per
     * metric, the window's moments S0 = sum y, S1 = sum j y, S2 = sum j^2 y
     * (j = 0 oldest .. w - 1 newest, gaps as 0) and its count of values */
    int peak_w, peak_head, peak_since_sync;
    double sg_alpha, sg_beta; /* centre coefficient c_k = alpha - beta k^2 */
    float peak_ring[FC_METRIC_COUNT][PEAK_RING];
    double peak_s0[FC_METRIC_COUNT], peak_s1[FC_METRIC_COUNT], peak_s2[FC_METRIC_COUNT];
    int peak_cnt[FC_METRIC_COUNT];
    double peak_t[PEAK_RING];

    /* reps */
    enum rep_state rep_state;
    struct rep_acc cur;
    size_t n_reps, max_reps;
    struct fc_rep *reps;

    /* summary accumulators */
    long m_frames[FC_METRIC_COUNT];
    double m_sum[FC_METRIC_COUNT];
    float m_min[FC_METRIC_COUNT], m_max[FC_METRIC_COUNT];
    long pk_n[FC_METRIC_COUNT];
    double pk_sum[FC_METRIC_COUNT], pk_sumsq[FC_METRIC_COUNT];
    float pk_max[FC_METRIC_COUNT];
    /* asymmetry: [fppa, knee flexion, hip drop][side] sums of rep peaks */
    double asym_sum[3][2];
    long asym_n[3][2];

    /* low confidence */
    int lc_in_run, lc_open; /* in an untracked run; a stretch not yet closed */
    double lc_start, lc_end;
    size_t n_lc;
    double lc_total_s;
    struct fc_low_confidence lc[FC_MAX_LOW_CONFIDENCE];

    float nan_values[FC_METRIC_COUNT];

    /* baseline frames, one row of BASE_CAP per joint (structure of arrays),
     * NaN where the joint was not seen; scratch for the medians */
    float base_x[FC_COCO17_COUNT][BASE_CAP];
    float base_y[FC_COCO17_COUNT][BASE_CAP];
    float scratch[BASE_CAP];
    float scratch_hx[BASE_CAP], scratch_hy[BASE_CAP], scratch_rx[BASE_CAP], scratch_ry[BASE_CAP];
};

/* ---- small geometry ---------------------------------------------------- */

static inline struct vec vsub(struct vec a, struct vec b)
{
    return (struct vec){a.x - b.x, a.y - b.y};
}
static inline struct vec vmid(struct vec a, struct vec b)
{
    return (struct vec){0.5f * (a.x + b.x), 0.5f * (a.y + b.y)};
}
static inline float vdot(struct vec a, struct vec b)
{
    return a.x * b.x + a.y * b.y;
}
static inline float vcross(struct vec a, struct vec b)
{
    return a.x * b.y - a.y * b.x;
}
static inline float vlen(struct vec a)
{
    return sqrtf(a.x * a.x + a.y * a.y);
}
/* atan2 in float, branch-light: atan on [0, 1] as an odd polynomial of
 * degree 15 (a minimax fit, max error 3.8e-8 rad = 2e-6 deg, below float
 * resolution of the result), then the octant. Four times faster than libm's
 * atan2f here and exact for every purpose of this file. NaN in, NaN out;
 * (0, 0) gives 0. */
static inline float fast_atan2f(float y, float x)
{
    float ax = fabsf(x), ay = fabsf(y);
    float hi = ax > ay ? ax : ay, lo = ax > ay ? ay : ax;
    float t = hi > 0 ? lo / hi : (hi == 0 ? 0.0f : hi + lo); /* NaN stays NaN */
    /* Estrin's scheme: four short chains instead of one long Horner chain. */
    float t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
    float p01 = 0.9999993355710016f - 0.33329860753516144f * t2;
    float p23 = 0.19946565280951317f - 0.13908627604597945f * t2;
    float p45 = 0.09642192121114761f - 0.05591225260926011f * t2;
    float p67 = 0.02186290438576327f - 0.004054551857603367f * t2;
    float r = t * ((p01 + t4 * p23) + t8 * (p45 + t4 * p67));
    if (ay > ax)
        r = (float)(FC_PI / 2) - r;
    if (x < 0)
        r = (float)FC_PI - r;
    return y < 0 ? -r : r;
}

/* Signed angle from a to b in degrees (image coordinates: positive turns
 * from +x towards +y); the sign constants s_* orient it. */
static inline float ang(struct vec a, struct vec b)
{
    return fast_atan2f(vcross(a, b), vdot(a, b)) * DEG;
}
static inline float sgnf(float v)
{
    return v < 0 ? -1.0f : 1.0f;
}

static inline struct vec jp(const struct fc_keypoints *k, int j)
{
    return (struct vec){k->x[j], k->y[j]};
}

#define LS FC_JOINT_LEFT_SHOULDER
#define RS FC_JOINT_RIGHT_SHOULDER
#define LH FC_JOINT_LEFT_HIP
#define RH FC_JOINT_RIGHT_HIP
#define LK FC_JOINT_LEFT_KNEE
#define RK FC_JOINT_RIGHT_KNEE
#define LA FC_JOINT_LEFT_ANKLE
#define RA FC_JOINT_RIGHT_ANKLE
#define BIT(j) (1u << (j))

/* The joints the metrics use. */
static const int body_joints[8] = {LS, RS, LH, RH, LK, RK, LA, RA};
static const int sh_j[2] = {LS, RS}, hip_j[2] = {LH, RH}, knee_j[2] = {LK, RK}, ank_j[2] = {LA, RA},
                 toe_j[2] = {FC_JOINT_LEFT_BIG_TOE, FC_JOINT_RIGHT_BIG_TOE};

/* Seen joints as a bit mask: the COCO 17 and the two big toes. */
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
    static const int body[8] = {LS, RS, LH, RH, LK, RK, LA, RA};
    uint32_t m = 0;
    for (int i = 0; i < 8; i++)
        m |= seen1(k, min_score, body[i]) << body[i];
    for (int s = 0; s < 2; s++)
        m |= seen1(k, min_score, toe_j[s]) << (FC_COCO17_COUNT + s);
    return m;
}
#define TOE_BIT(s) (1u << (FC_COCO17_COUNT + (s)))
#define HAS(m, bits) (((m) & (bits)) == (bits))

/* ---- parameters, create, free ------------------------------------------ */

struct fc_analyzer_params fc_analyzer_default_params(void)
{
    return (struct fc_analyzer_params){
        .exercise = FC_EXERCISE_AUTO,
        .view = FC_VIEW_AUTO,
        .min_score = 0.3f,
        .baseline_min_s = 0.3,
        .max_reps = 4096,
        .peak_window_s = 0.4,
        .markers = 0,
    };
}

static void acc_reset(struct rep_acc *r, double t, const float *nan_values)
{
    r->t_start = t;
    r->t_bottom = t;
    r->s_bottom = -INFINITY;
    r->s_first = -INFINITY;
    r->hip_h0 = NAN;
    r->polarity = 0;
    r->lead = -1;
    r->side_at_bottom = -1;
    r->frames = 0;
    r->tracked = 0;
    memcpy(r->peak, nan_values, sizeof r->peak);
    memcpy(r->at_bottom, nan_values, sizeof r->at_bottom);
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        r->t_peak[m] = NAN;
}

static void set_exercise(struct fc_analyzer *a, enum fc_exercise e)
{
    a->exercise = e;
    a->cfg = cfgs[e];
}

int fc_analyzer_create(struct fc_analyzer **out, const struct fc_analyzer_params *p,
                       struct fc_error *err)
{
    *out = NULL;
    struct fc_analyzer_params d = fc_analyzer_default_params();
    if (!p)
        p = &d;
    if ((unsigned)p->exercise >= FC_EXERCISE_COUNT)
        return fc_error_set(err, FC_ERR_ARG, "analyzer: unknown exercise %d", (int)p->exercise);
    if ((unsigned)p->view >= FC_VIEW_COUNT)
        return fc_error_set(err, FC_ERR_ARG, "analyzer: unknown view %d", (int)p->view);
    if (!(p->min_score >= 0 && p->min_score <= 1))
        return fc_error_set(err, FC_ERR_ARG, "analyzer: min_score %g is not within 0..1",
                            (double)p->min_score);
    if (!(p->baseline_min_s >= 0) || !isfinite(p->baseline_min_s))
        return fc_error_set(err, FC_ERR_ARG, "analyzer: baseline_min_s %g is not >= 0",
                            p->baseline_min_s);
    if (!(p->peak_window_s >= 0 && p->peak_window_s <= 10))
        return fc_error_set(err, FC_ERR_ARG, "analyzer: peak_window_s %g is not within 0..10 s",
                            p->peak_window_s);
    if (p->max_reps > ((size_t)1 << 28))
        return fc_error_set(err, FC_ERR_ARG, "analyzer: max_reps %zu is unreasonably large",
                            p->max_reps);
    struct fc_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        goto nomem;
    a->p = *p;
    a->max_reps = p->max_reps;
    if (a->max_reps) {
        a->reps = calloc(a->max_reps, sizeof *a->reps);
        if (!a->reps)
            goto nomem;
    }
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        a->nan_values[m] = NAN;
        a->m_min[m] = INFINITY;
        a->m_max[m] = -INFINITY;
        a->pk_max[m] = -INFINITY;
    }
    set_exercise(a, p->exercise);
    a->view = p->view;
    a->view_detected = FC_VIEW_AUTO;
    a->stance = -1;
    a->auto_lifted = -1;
    a->near_side = FC_SIDE_LEFT;
    a->rep_state = REP_IDLE;
    acc_reset(&a->cur, 0, a->nan_values);
    *out = a;
    return 0;
nomem:
    fc_analyzer_free(a);
    return fc_error_set(err, FC_ERR_NOMEM, "analyzer: out of memory for %zu reps", p->max_reps);
}

void fc_analyzer_free(struct fc_analyzer *a)
{
    if (!a)
        return;
    free(a->reps);
    free(a);
}

/* ---- baseline ---------------------------------------------------------- */

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

/* Median of the seen samples of v[0..n); NaN when fewer than a third of the
 * frames saw it (too little to call a baseline). */
static float median_seen(const float *v, size_t n, float *scratch)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            scratch[m++] = v[i];
    if (m == 0 || 3 * m < n)
        return NAN;
    qsort(scratch, m, sizeof *scratch, cmp_float);
    return (m % 2) ? scratch[m / 2] : 0.5f * (scratch[m / 2 - 1] + scratch[m / 2]);
}

static int vseen(struct vec v)
{
    return !isnan(v.x) && !isnan(v.y);
}

/* Mid-point of a left/right pair, or the one seen, or NaN. */
static struct vec pair_mid(const struct vec *P, int l, int r)
{
    if (vseen(P[l]) && vseen(P[r]))
        return vmid(P[l], P[r]);
    if (vseen(P[l]))
        return P[l];
    return P[r];
}

static void choose_view(struct fc_analyzer *a, const struct vec *P)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH);
    float torso = vlen(vsub(msh, mhip));
    float r = NAN;
    if (vseen(P[LS]) && vseen(P[RS]) && torso > 0)
        r = vlen(vsub(P[LS], P[RS])) / torso;
    else if (vseen(P[LH]) && vseen(P[RH]) && torso > 0)
        r = HIP_TO_SHOULDER_RATIO * vlen(vsub(P[LH], P[RH])) / torso;
    a->sh_ratio = r;
    /* The face's turn: the nose's offset along the shoulder line. */
    float yaw = NAN;
    if (vseen(P[FC_JOINT_NOSE]) && vseen(P[LS]) && vseen(P[RS])) {
        struct vec sh = vsub(P[LS], P[RS]);
        float w = vlen(sh);
        if (w > 0)
            yaw = fabsf(vdot(vsub(P[FC_JOINT_NOSE], msh), sh)) / (w * w);
    }
    float conf = 0;
    if (isnan(r)) {
        a->view_detected = FC_VIEW_AUTO;
    } else if (r >= VIEW_FRONT_MIN && !(yaw > VIEW_NOSE_OBLIQUE)) {
        a->view_detected = FC_VIEW_FRONT;
        conf = 0.5f + 0.5f * fminf(1.0f, (r - VIEW_FRONT_MIN) / 0.25f);
        if (!isnan(yaw)) /* the face nearly as turned as an oblique view: less sure */
            conf = fminf(conf, 0.5f + 0.5f * fminf(1.0f, (VIEW_NOSE_OBLIQUE - yaw) / 0.2f));
    } else if (r <= VIEW_SIDE_MAX) {
        a->view_detected = FC_VIEW_SIDE;
        conf = 0.5f + 0.5f * fminf(1.0f, (VIEW_SIDE_MAX - r) / 0.2f);
    } else {
        a->view_detected = FC_VIEW_OBLIQUE;
        float margin = r >= VIEW_FRONT_MIN ? yaw - VIEW_NOSE_OBLIQUE
                                           : fminf(r - VIEW_SIDE_MAX, VIEW_FRONT_MIN - r);
        conf = 0.5f * fminf(1.0f, margin / 0.15f) + 0.5f;
    }
    a->view_conf = conf;
    if (a->p.view == FC_VIEW_AUTO) {
        a->view = a->view_detected == FC_VIEW_AUTO ? FC_VIEW_OBLIQUE : a->view_detected;
    } else {
        a->view = a->p.view;
    }
}

static void set_measurable(struct fc_analyzer *a)
{
    a->frontal_on = !a->p.markers && a->view == FC_VIEW_FRONT;
    a->sagittal_on = !a->p.markers && a->view == FC_VIEW_SIDE;
    a->n_active = 0;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        enum fc_metric_plane pl = fc_metric_info((enum fc_metric)m)->plane;
        int on = pl == FC_PLANE_FRONTAL    ? a->frontal_on
                 : pl == FC_PLANE_SAGITTAL ? a->sagittal_on
                                           : 1; /* 3-D: counted when set_pelvis_3d feeds it */
        if (m == FC_M_HIP_DROP && a->cfg.stance == STANCE_NONE)
            on = 0; /* two-legged work (or AUTO not yet decided): no unsupported side */
        a->measurable[m] = (unsigned char)on;
        if (on && pl != FC_PLANE_3D)
            a->active[a->n_active++] = m;
        /* The smoothing starts afresh for the new set of metrics. */
        for (int q = 0; q < PEAK_RING; q++)
            a->peak_ring[m][q] = NAN;
        a->peak_s0[m] = a->peak_s1[m] = a->peak_s2[m] = 0;
        a->peak_cnt[m] = 0;
    }
}

/* ---- posture of a skeleton (a frame, or the median reference) ----------- */

/* Leg s straight in the image: knee bent less than UPRIGHT_KNEE_DEG and the
 * thigh not foreshortened (a front-view squat keeps the knee straight in
 * the picture but points the thigh at the camera). */
static int leg_straight(const struct vec *P, int s)
{
    struct vec h = P[hip_j[s]], k = P[knee_j[s]], an = P[ank_j[s]];
    if (!vseen(h) || !vseen(k) || !vseen(an))
        return 0;
    struct vec thigh = vsub(k, h), shank = vsub(an, k);
    return fabsf(ang(thigh, shank)) <= UPRIGHT_KNEE_DEG &&
           vlen(thigh) >= UPRIGHT_THIGH_MIN * vlen(shank);
}

/* Standing upright: a straight leg near the image vertical with the trunk
 * in line with it, or, in a staggered stance, both legs straight with the
 * trunk in line with the mid-ankle -> mid-hip axis. A held squat, a lunge
 * at its bottom, a bridge or a body bent over are not. */
static int skeleton_upright(const struct vec *P)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH);
    if (!vseen(msh) || !vseen(mhip))
        return 0;
    struct vec trunk = vsub(msh, mhip), up = {0, -1};
    int straight[2];
    for (int s = 0; s < 2; s++) {
        straight[s] = leg_straight(P, s);
        if (!straight[s])
            continue;
        struct vec leg = vsub(P[hip_j[s]], P[ank_j[s]]);
        if (fabsf(ang(leg, trunk)) <= UPRIGHT_TRUNK_DEG && fabsf(ang(up, leg)) <= UPRIGHT_TILT_DEG)
            return 1;
    }
    if (!straight[0] || !straight[1])
        return 0;
    struct vec legs = vsub(mhip, vmid(P[LA], P[RA]));
    return fabsf(ang(legs, trunk)) <= UPRIGHT_TRUNK_DEG && fabsf(ang(up, legs)) <= UPRIGHT_TILT_DEG;
}

/* Lying: the shoulder -> ankle line more than LYING_MIN_DEG from the image
 * vertical (and the body seen from shoulders to ankles). */
static int skeleton_lying(const struct vec *P)
{
    struct vec msh = pair_mid(P, LS, RS), mank = pair_mid(P, LA, RA);
    struct vec axis = vsub(msh, mank);
    return vseen(axis) && vlen(axis) > 0 && fabsf(ang((struct vec){0, -1}, axis)) > LYING_MIN_DEG;
}

/* How far the hip is into its rest posture, comparable across frames of
 * one session: standing, the mid-hip's height over the mid-ankle in the
 * image, in thigh + shank lengths (about 1 standing, lower squatting, and
 * the same whatever the subject's distance from the camera); lying, the
 * sine of the trunk's angle above the shoulder -> ankle line (0 with the
 * hips on the floor). NaN when the joints are not seen. */
static float reference_height(const struct vec *P, int lying)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH), mank = pair_mid(P, LA, RA);
    if (!vseen(mhip) || !vseen(mank))
        return NAN;
    if (lying) {
        struct vec floor = vsub(mank, msh), trunk = vsub(mhip, msh);
        float fl = vlen(floor), tl = vlen(trunk);
        if (!(fl > 0) || !(tl > 0))
            return NAN;
        struct vec n = {-floor.y / fl, floor.x / fl};
        if (n.y > 0) /* the normal pointing up the image */
            n = (struct vec){-n.x, -n.y};
        return vdot(trunk, n) / tl;
    }
    float len = 0;
    int nl = 0;
    for (int s = 0; s < 2; s++) {
        float l = vlen(vsub(P[hip_j[s]], P[knee_j[s]])) + vlen(vsub(P[knee_j[s]], P[ank_j[s]]));
        if (l > 0) {
            len += l;
            nl++;
        }
    }
    return nl ? (mank.y - mhip.y) / (len / (float)nl) : NAN;
}

/* The baseline from the stored frames: a median skeleton, and from it the
 * subject's own axes and lengths. The median is taken of each joint's
 * position relative to the frame's mid-hip (plus the median mid-hip), so
 * that the skeleton stays one body even when the frames come from a
 * subject walking across the picture. */
static void lock_baseline(struct fc_analyzer *a, int has_baseline)
{
    struct vec P[FC_COCO17_COUNT];
    /* The mid-hip of every stored frame, NaN where no hip was seen. */
    float *hx = a->scratch_hx, *hy = a->scratch_hy;
    for (size_t i = 0; i < a->base_n; i++) {
        float lx = a->base_x[LH][i], ly = a->base_y[LH][i];
        float rx = a->base_x[RH][i], ry = a->base_y[RH][i];
        int l = !isnan(lx), r = !isnan(rx);
        hx[i] = l && r ? 0.5f * (lx + rx) : l ? lx : r ? rx : NAN;
        hy[i] = l && r ? 0.5f * (ly + ry) : l ? ly : r ? ry : NAN;
    }
    struct vec mh = {median_seen(hx, a->base_n, a->scratch),
                     median_seen(hy, a->base_n, a->scratch)};
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        if (vseen(mh)) {
            for (size_t i = 0; i < a->base_n; i++) {
                a->scratch_rx[i] = a->base_x[j][i] - hx[i];
                a->scratch_ry[i] = a->base_y[j][i] - hy[i];
            }
            P[j].x = mh.x + median_seen(a->scratch_rx, a->base_n, a->scratch);
            P[j].y = mh.y + median_seen(a->scratch_ry, a->base_n, a->scratch);
        } else {
            P[j].x = median_seen(a->base_x[j], a->base_n, a->scratch);
            P[j].y = median_seen(a->base_y[j], a->base_n, a->scratch);
        }
        if (isnan(P[j].x) || isnan(P[j].y))
            P[j].x = P[j].y = NAN;
    }
    a->locked = 1;
    a->has_baseline = has_baseline;

    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH), mank = pair_mid(P, LA, RA);
    /* Body vertical: mid-ankle -> mid-shoulder standing with the feet side by
     * side. In a split stance (lunge, a foot on a step) the mid-ankle is not
     * under the body, and the trunk (mid-hip -> mid-shoulder) stands in.
     * Lying (bridge), the shoulder-ankle line lies along the floor and up is
     * its normal. */
    struct vec axis = vsub(msh, mank);
    int trunk_axis = 0;
    if (vseen(P[LA]) && vseen(P[RA]) && vlen(axis) > 0) {
        struct vec feet = vsub(P[LA], P[RA]);
        struct vec n = {-axis.y / vlen(axis), axis.x / vlen(axis)};
        float leg = 0.5f * (vlen(vsub(P[LH], P[LA])) + vlen(vsub(P[RH], P[RA])));
        float along = fabsf(vdot(feet, axis)) / vlen(axis), across = fabsf(vdot(feet, n));
        float from_vertical = fabsf(ang((struct vec){0, -1}, axis));
        int side_on = !(vlen(vsub(P[LS], P[RS])) > 0.4f * vlen(vsub(msh, mhip)));
        if (from_vertical <= LYING_MIN_DEG && leg > 0 &&
            (along > SPLIT_STEP * leg || (side_on && across > SPLIT_STANCE * leg))) {
            axis = vsub(msh, mhip);
            trunk_axis = 1;
        }
    }
    struct vec up = {0, -1};
    float axis_len = vlen(axis);
    a->lying = 0;
    a->ref_upright = skeleton_upright(P);
    if (axis_len > 0) {
        struct vec b = {axis.x / axis_len, axis.y / axis_len};
        float from_vertical = fabsf(ang(up, b));
        if (from_vertical > LYING_MIN_DEG) {
            a->lying = 1;
            struct vec n = {-b.y, b.x};
            if (n.y > 0)
                n = (struct vec){-n.x, -n.y};
            a->U = n;
        } else {
            a->U = b;
        }
    } else {
        a->U = up;
    }
    a->ref_height = reference_height(P, a->lying);
    /* Roll: the angle from the image vertical to the body vertical,
     * positive counter-clockwise on screen (as import/synth.h rolls). Only an
     * upright (or lying) body gives it, and only within ROLL_MAX_DEG: a body
     * leaning in a held squat or a camera looking down on a subject near the
     * frame's edge would otherwise turn every angle by tens of degrees.
     * Otherwise the camera is taken as level and the report says so. */
    a->roll_estimate_deg = axis_len > 0 ? -ang(up, a->U) : NAN;
    choose_view(a, P);
    /* Unless seen from the front, the trunk of a split stance leans forward
     * as much as a camera ever rolls. */
    float roll_max =
        trunk_axis && a->view_detected != FC_VIEW_FRONT ? ROLL_MAX_TRUNK_DEG : ROLL_MAX_DEG;
    a->roll_assumed = !(fabsf(a->roll_estimate_deg) <= roll_max) || !(a->lying || a->ref_upright);
    if (a->roll_assumed) {
        a->U = up;
        a->roll_deg = 0;
    } else {
        a->roll_deg = a->roll_estimate_deg;
    }

    struct vec H = {-a->U.y, a->U.x}; /* horizontal, to the right of up on screen */
    if (vseen(P[LH]) && vseen(P[RH])) {
        struct vec h = vsub(P[LH], P[RH]);
        a->hip_w = vlen(h);
        a->L = a->hip_w > 0 ? (struct vec){h.x / a->hip_w, h.y / a->hip_w} : H;
    } else {
        a->hip_w = NAN;
        a->L = H;
    }
    a->torso = vlen(vsub(msh, mhip));
    float legs = 0;
    int nl = 0;
    for (int s = 0; s < 2; s++) {
        float l = vlen(vsub(P[hip_j[s]], P[ank_j[s]]));
        if (!isnan(l)) {
            legs += l;
            nl++;
        }
        a->shank[s] = vlen(vsub(P[knee_j[s]], P[ank_j[s]]));
        a->h0_hip[s] = vdot(P[hip_j[s]], a->U);
        a->h0_ankle[s] = vdot(P[ank_j[s]], a->U);
    }
    a->leg = nl ? legs / nl : NAN;
    if (!(a->leg > 0))
        a->leg = NAN;
    a->h0_midhip = vdot(mhip, a->U);
    a->off0_lat = vdot(vsub(mhip, mank), a->L);

    /* Facing: the nose ahead of the ears (else of the shoulders), else the
     * toes ahead of the heels. Anterior = the way the face points. */
    struct vec cue = {NAN, NAN};
    struct vec ears = pair_mid(P, FC_JOINT_LEFT_EAR, FC_JOINT_RIGHT_EAR);
    if (vseen(P[FC_JOINT_NOSE]) && vseen(ears))
        cue = vsub(P[FC_JOINT_NOSE], ears);
    else if (vseen(P[FC_JOINT_NOSE]) && vseen(msh))
        cue = vsub(P[FC_JOINT_NOSE], msh);
    a->facing_known = vseen(cue) && vlen(cue) > 0;
    if (a->lying) {
        /* Supine: the face points up unless the cue clearly says down. */
        a->A = (a->facing_known && vdot(cue, a->U) < 0) ? (struct vec){-a->U.x, -a->U.y} : a->U;
        /* "Forward" for the absolute sagittal angles: towards the feet. */
        struct vec to_feet = vsub(mank, msh);
        a->F = vdot(to_feet, H) >= 0 ? H : (struct vec){-H.x, -H.y};
    } else {
        float f = a->facing_known ? vdot(cue, H) : 1.0f;
        a->F = f >= 0 ? H : (struct vec){-H.x, -H.y};
        a->A = a->F;
    }
    a->s_lu = sgnf(vcross(a->L, a->U));
    a->s_uf = sgnf(vcross(a->U, a->F));
    struct vec body_down = vsub(mhip, msh);
    if (!(vlen(body_down) > 0))
        body_down = (struct vec){-a->U.x, -a->U.y};
    a->s_flex = sgnf(vcross(body_down, a->A));

    /* The near leg: better seen in the baseline; tied, the side facing the
     * camera (a subject facing image-right shows the left side). */
    if (fabs(a->base_score[0] - a->base_score[1]) > 0.05 * (double)a->base_n)
        a->near_side = a->base_score[0] > a->base_score[1] ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    else
        a->near_side = a->F.x >= 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;

    /* A step-up that begins with one foot on the step: that is the lead. */
    a->lead_fixed = -1;
    if (!isnan(a->h0_ankle[0]) && !isnan(a->h0_ankle[1]) &&
        fabsf(a->h0_ankle[0] - a->h0_ankle[1]) > SPLIT_STEP * a->leg)
        a->lead_fixed = a->h0_ankle[0] > a->h0_ankle[1] ? FC_SIDE_LEFT : FC_SIDE_RIGHT;

    for (int s = 0; s < 2; s++) {
        struct vec sh = vseen(P[sh_j[s]]) ? P[sh_j[s]] : msh;
        a->hipflex0[s] = ang(vsub(P[hip_j[s]], sh), vsub(P[knee_j[s]], P[hip_j[s]])) * a->s_flex;
    }

    /* The peak window in frames, from the frame rate seen so far. */
    double dt = a->ref_dt > 0   ? a->ref_dt
                : a->base_n > 1 ? (a->base_last_t - a->base_t0) / (double)(a->base_n - 1)
                                : 0;
    double wf = dt > 0 ? floor(a->p.peak_window_s / dt + 0.5) : 1; /* NaN: no dt */
    int w = wf >= 1 && wf < PEAK_RING - 1 ? (int)wf : wf >= PEAK_RING - 1 ? PEAK_RING - 1 : 1;
    a->peak_w = w = w < 1 ? 1 : (w | 1);
    /* Quadratic Savitzky-Golay, centre point, half-width h (w = 2h + 1):
     * c_k = 3 (3h^2 + 3h - 1 - 5k^2) / ((2h - 1)(2h + 1)(2h + 3)). */
    double h = (w - 1) / 2, den = (2 * h - 1) * (2 * h + 1) * (2 * h + 3);
    a->sg_alpha = w > 1 ? 3 * (3 * h * h + 3 * h - 1) / den : 1;
    a->sg_beta = w > 1 ? 15 / den : 0;

    set_measurable(a);
}

/* Stores a baseline frame and watches for the first movement. Returns 1
 * when the baseline has just been locked. */
static int baseline_frame(struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t seen)
{
    const uint32_t body =
        BIT(LS) | BIT(RS) | BIT(LH) | BIT(RH) | BIT(LK) | BIT(RK) | BIT(LA) | BIT(RA);
    int person = (seen & body) != 0;
    if (!a->base_started) {
        if (!person)
            return 0;
        a->base_started = 1;
        a->base_t0 = k->t_s;
    }
    double elapsed = k->t_s - a->base_t0;

    /* Movement: a key joint away from its running mean by MOVE_FRAC torso. */
    int moved = 0;
    double tx = 0, ty = 0;
    int nt = 0;
    for (int s = 0; s < 2; s++)
        for (int q = 0; q < 2; q++) {
            int j = q ? hip_j[s] : sh_j[s];
            if (!a->base_cnt[j])
                continue;
            double mx = a->base_sum_x[j] / a->base_cnt[j], my = a->base_sum_y[j] / a->base_cnt[j];
            tx += q ? -mx : mx;
            ty += q ? -my : my;
            nt++;
        }
    if (nt == 4 && a->base_n >= 3) {
        float torso = (float)(0.5 * sqrt(tx * tx + ty * ty));
        float lim = MOVE_FRAC * torso;
        const int keys[8] = {LS, RS, LH, RH, LK, RK, LA, RA};
        for (int i = 0; i < 8; i++) {
            int j = keys[i];
            if (!(seen & BIT(j)) || a->base_cnt[j] < 3)
                continue;
            float dx = k->x[j] - (float)(a->base_sum_x[j] / a->base_cnt[j]);
            float dy = k->y[j] - (float)(a->base_sum_y[j] / a->base_cnt[j]);
            if (dx * dx + dy * dy > lim * lim)
                moved = 1;
        }
    }
    a->moving_run = moved ? a->moving_run + 1 : 0;
    if (a->moving_run >= MOVE_FRAMES && !a->movement_seen) {
        a->movement_seen = 1;
        a->movement_t = k->t_s;
    }

    if (a->movement_seen && a->movement_t - a->base_t0 >= a->p.baseline_min_s && a->base_n >= 3) {
        lock_baseline(a, 1);
        return 1;
    }
    if (a->movement_seen && elapsed >= fmax(BASE_FALLBACK_S, a->p.baseline_min_s) &&
        a->base_n >= 3) {
        /* It never stood still long enough: the first half second anyway. */
        lock_baseline(a, 0);
        return 1;
    }
    if (a->movement_seen && a->base_n < 3 && elapsed >= BASE_FALLBACK_S) {
        lock_baseline(a, 0);
        return 1;
    }

    /* Still (or too early to tell): store the frame. */
    if (a->base_n < BASE_CAP) {
        size_t i = a->base_n++;
        a->base_last_t = k->t_s;
        for (int j = 0; j < FC_COCO17_COUNT; j++) {
            int ok = (seen >> j) & 1;
            a->base_x[j][i] = ok ? k->x[j] : NAN;
            a->base_y[j][i] = ok ? k->y[j] : NAN;
            if (ok && !a->movement_seen) {
                a->base_sum_x[j] += k->x[j];
                a->base_sum_y[j] += k->y[j];
                a->base_cnt[j]++;
            }
        }
        for (int s = 0; s < 2; s++)
            a->base_score[s] +=
                (double)k->score[hip_j[s]] + k->score[knee_j[s]] + k->score[ank_j[s]];
    }
    if (!a->movement_seen && (elapsed >= BASE_MAX_S || a->base_n >= BASE_CAP) &&
        elapsed >= a->p.baseline_min_s) {
        lock_baseline(a, 1);
        return 1;
    }
    return 0;
}

/* ---- per-frame metrics ------------------------------------------------- */

static void frontal_metrics(const struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m,
                            int stance, float *v)
{
    int hips = HAS(m, BIT(LH) | BIT(RH));
    if (hips) {
        /* Obliquity: the hip line's turn from its baseline direction L,
         * towards up (left hip rising) positive. */
        float obl = ang(a->L, vsub(jp(k, LH), jp(k, RH))) * a->s_lu;
        v[FC_M_PELVIC_OBLIQUITY] = obl;
        if (stance >= 0 && a->measurable[FC_M_HIP_DROP])
            v[FC_M_HIP_DROP] = stance == FC_SIDE_LEFT ? obl : -obl;
    }
    /* FPPA (Willson & Davis 2008): the turn from the thigh to the shank;
     * medial (valgus) is towards -L for the left knee, +L for the right. */
    if (HAS(m, BIT(LH) | BIT(LK) | BIT(LA)))
        v[FC_M_KNEE_FPPA_LEFT] =
            ang(vsub(jp(k, LK), jp(k, LH)), vsub(jp(k, LA), jp(k, LK))) * a->s_lu;
    if (HAS(m, BIT(RH) | BIT(RK) | BIT(RA)))
        v[FC_M_KNEE_FPPA_RIGHT] =
            -ang(vsub(jp(k, RK), jp(k, RH)), vsub(jp(k, RA), jp(k, RK))) * a->s_lu;
    if (hips && HAS(m, BIT(LS) | BIT(RS))) {
        struct vec t = vsub(vmid(jp(k, LS), jp(k, RS)), vmid(jp(k, LH), jp(k, RH)));
        v[FC_M_TRUNK_LEAN_LATERAL] = -ang(a->U, t) * a->s_lu;
    }
    if (hips && HAS(m, BIT(LA) | BIT(RA)) && a->hip_w > 0) {
        struct vec off = vsub(vmid(jp(k, LH), jp(k, RH)), vmid(jp(k, LA), jp(k, RA)));
        v[FC_M_LATERAL_SHIFT] = (vdot(off, a->L) - a->off0_lat) / a->hip_w * 100.0f;
    }
    /* Both knees of a two-legged squat bent the same way across the picture
     * (one reads valgus, the other varus, both beyond TURNED_FPPA_DEG) is
     * not knee motion but the squat's forward motion seen by a camera the
     * body is turned from: knees, hips and trunk all travel sideways in the
     * picture. Real valgus (or knees pushed out) is mirror-symmetric. In
     * such a frame the sideways measurements say nothing of the frontal
     * plane and are gaps. */
    float fl = v[FC_M_KNEE_FPPA_LEFT], fr = v[FC_M_KNEE_FPPA_RIGHT];
    if (a->exercise == FC_EXERCISE_SQUAT && fl * fr < 0 &&
        fminf(fabsf(fl), fabsf(fr)) >= TURNED_FPPA_DEG) {
        v[FC_M_KNEE_FPPA_LEFT] = v[FC_M_KNEE_FPPA_RIGHT] = NAN;
        v[FC_M_TRUNK_LEAN_LATERAL] = v[FC_M_LATERAL_SHIFT] = NAN;
    }
}

/* Mid-point of a pair, or the one seen; 0 when neither. */
static int mid_or_one(const struct fc_keypoints *k, uint32_t m, int l, int r, struct vec *out)
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

static int leg_seen(uint32_t m, int s)
{
    return HAS(m, BIT(hip_j[s]) | BIT(knee_j[s]) | BIT(ank_j[s]));
}

static void sagittal_metrics(const struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m,
                             float *v)
{
    float hipflex[2] = {NAN, NAN};
    for (int s = 0; s < 2; s++) {
        int hip = hip_j[s], knee = knee_j[s];
        if (!HAS(m, BIT(hip) | BIT(knee)))
            continue;
        struct vec thigh = vsub(jp(k, knee), jp(k, hip));
        int sh = (m & BIT(sh_j[s])) ? sh_j[s] : (m & BIT(sh_j[1 - s])) ? sh_j[1 - s] : -1;
        if (sh >= 0) {
            /* Flexion: the thigh's turn from the trunk line continued down,
             * towards the front (anterior) positive; extension negative. */
            hipflex[s] = ang(vsub(jp(k, hip), jp(k, sh)), thigh) * a->s_flex;
            v[FC_M_HIP_FLEXION_LEFT + s] = hipflex[s];
        }
        if (m & BIT(ank_j[s]))
            v[FC_M_KNEE_FLEXION_LEFT + s] =
                -ang(thigh, vsub(jp(k, ank_j[s]), jp(k, knee))) * a->s_flex;
    }
    struct vec msh = {0, 0}, mhip = {0, 0};
    float trunk = NAN;
    if (mid_or_one(k, m, LS, RS, &msh) && mid_or_one(k, m, LH, RH, &mhip)) {
        trunk = ang(a->U, vsub(msh, mhip)) * a->s_uf;
        v[FC_M_TRUNK_FORWARD_LEAN] = trunk;
    }
    int n = a->near_side;
    if (!leg_seen(m, n) && leg_seen(m, 1 - n))
        n = 1 - n;
    if (HAS(m, BIT(knee_j[n]) | BIT(ank_j[n]))) {
        float shin = ang(a->U, vsub(jp(k, knee_j[n]), jp(k, ank_j[n]))) * a->s_uf;
        v[FC_M_TRUNK_SHIN_DIFF] = trunk - shin;
    }
    if (HAS(m, BIT(hip_j[n]) | BIT(knee_j[n]))) {
        /* Depth: the knee -> hip line below horizontal, + = hip below knee. */
        struct vec w = vsub(jp(k, hip_j[n]), jp(k, knee_j[n]));
        v[FC_M_DEPTH] = fast_atan2f(-vdot(w, a->U), fabsf(vdot(w, a->F))) * DEG;
    }
    /* Knee travel: the front leg (ankle further forward, as
     * analysis/kinematics.c) for lunges, else the near leg. */
    int f = n;
    if (a->exercise == FC_EXERCISE_LUNGE && HAS(m, BIT(LA) | BIT(RA)))
        f = vdot(vsub(jp(k, LA), jp(k, RA)), a->F) > 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    /* Only with a toe: where the toe sits ahead of the ankle depends on the
     * foot and the camera angle, so COCO-17 (no toes) gives no knee travel. */
    if (HAS(m, BIT(knee_j[f]) | BIT(ank_j[f])) && (m & TOE_BIT(f))) {
        struct vec kn = jp(k, knee_j[f]), an = jp(k, ank_j[f]);
        struct vec tip = jp(k, toe_j[f]);
        float shank = vlen(vsub(kn, an));
        if (shank > 0)
            v[FC_M_KNEE_TRAVEL] = vdot(vsub(kn, tip), a->F) / shank * 100.0f;
    }
    if (!isnan(hipflex[n]) && fabsf(trunk) <= TILT_PROXY_UPRIGHT_DEG)
        v[FC_M_PELVIC_TILT_PROXY] = hipflex[n] - a->hipflex0[n];
}

/* Ankle lifts above their standing heights, in leg lengths. */
static int ankle_lifts(const struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m,
                       float lift[2])
{
    if (!HAS(m, BIT(LA) | BIT(RA)))
        return 0;
    for (int s = 0; s < 2; s++)
        lift[s] = (vdot(jp(k, ank_j[s]), a->U) - a->h0_ankle[s]) / a->leg;
    return 1;
}

static float hip_descent(const struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m)
{
    if (HAS(m, BIT(LH) | BIT(RH)))
        return (a->h0_midhip - vdot(vmid(jp(k, LH), jp(k, RH)), a->U)) / a->leg;
    for (int s = 0; s < 2; s++)
        if (m & BIT(hip_j[s]))
            return (a->h0_hip[s] - vdot(jp(k, hip_j[s]), a->U)) / a->leg;
    return NAN;
}

/* Hip descent measured from the floor, in leg lengths: the hip's descent
 * in the picture less the descent of the foot that stayed planted (of the
 * ankles seen, the one that rose least from its own baseline height). Unlike
 * the hip's height alone it stays at zero when the camera is nudged, when
 * the subject walks a barbell out of a rack (a stepping foot lifts, the
 * other stays down; in an oblique view the far foot also sits higher in
 * the picture, so the lower ankle is no floor), and when one foot is lifted
 * in a single-leg squat (there, the stance foot is the planted one). With
 * no ankle seen, the hip's descent alone. */
static float hip_sink(const struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m)
{
    float d = hip_descent(a, k, m), planted = NAN;
    int only = a->cfg.stance == STANCE_LEFT    ? FC_SIDE_LEFT
               : a->cfg.stance == STANCE_RIGHT ? FC_SIDE_RIGHT
                                               : -1; /* single-leg work: the stance foot */
    for (int s = 0; s < 2; s++)
        if ((m & BIT(ank_j[s])) && (only < 0 || s == only))
            planted = fminf(planted, vdot(jp(k, ank_j[s]), a->U) - a->h0_ankle[s]);
    return isnan(planted) ? d : d + planted / a->leg;
}

static float trunk_inclination_deg(const struct fc_analyzer *a, const struct fc_keypoints *k,
                                   uint32_t m)
{
    struct vec msh = {0, 0}, mhip = {0, 0};
    if (!mid_or_one(k, m, LS, RS, &msh) || !mid_or_one(k, m, LH, RH, &mhip))
        return NAN;
    struct vec t = vsub(msh, mhip);
    if (a->view == FC_VIEW_FRONT) {
        /* Seen from the front a forward bend only shortens the trunk. */
        float c = vlen(t) / a->torso;
        return acosf(c < 1 ? c : 1) * DEG;
    }
    return fabsf(ang(a->U, t));
}

/* Walking across a side view: the ankles' fore-aft distance along the
 * image horizontal, in leg lengths (unsigned: the model often swaps the
 * legs' sides as they pass each other). NaN unless both ankles are seen. */
static float stride_separation(const struct fc_analyzer *a, const struct fc_keypoints *k,
                               uint32_t m)
{
    if (!HAS(m, BIT(LA) | BIT(RA)))
        return NAN;
    struct vec H = {-a->U.y, a->U.x};
    return fabsf(vdot(vsub(jp(k, LA), jp(k, RA)), H)) / a->leg;
}

/* The exercise's movement signal, oriented so that larger = deeper into
 * the rep (gait: signed, see SIG_GAIT). */
static float movement_signal(const struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m,
                             const float lift[2], int lifts_ok)
{
    if (a->reps_off && a->cfg.signal != SIG_BRIDGE)
        return NAN;
    switch (a->cfg.signal) {
    case SIG_DESCENT: return hip_sink(a, k, m);
    case SIG_RISE: return -hip_descent(a, k, m);
    case SIG_BRIDGE: return -hip_descent(a, k, m) * a->leg / a->torso;
    case SIG_TRUNK: return trunk_inclination_deg(a, k, m) / 90.0f;
    case SIG_GAIT: return lifts_ok ? lift[FC_SIDE_LEFT] - lift[FC_SIDE_RIGHT] : NAN;
    case SIG_NONE: break;
    }
    return NAN;
}

/* ---- AUTO exercise ------------------------------------------------------ */

/* Best effort, at the first clear movement after the baseline:
 *   lying baseline                                   -> glute bridge;
 *   hip rises 10% of the leg                         -> step-up;
 *   hip descends 10%: one ankle lifted, other down   -> single-leg squat (that stance);
 *                     else                           -> squat, unless:
 *                     standing ankles at different heights (back heel up),
 *                     or ankles split 30% fore-aft (side view) -> lunge;
 *   trunk inclines 35 deg, hip within 10%            -> single-leg deadlift;
 *   a foot lifted and set down with the hip level    -> gait (that step counts).
 * Reps are detected from that frame on (the pending accumulators keep the
 * peaks since the last rest, so the rep in progress is kept). */
static void infer_exercise(struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m,
                           const float lift[2], int lifts_ok, int *rest)
{
    *rest = 0;
    if (a->lying) {
        set_exercise(a, FC_EXERCISE_GLUTE_BRIDGE);
        return;
    }
    float d = hip_descent(a, k, m), sink = hip_sink(a, k, m);
    float incl = trunk_inclination_deg(a, k, m);
    int lifted = -1;
    if (lifts_ok) {
        for (int s = 0; s < 2; s++)
            if (lift[s] >= AUTO_LIFT && fabsf(lift[1 - s]) < AUTO_GROUND)
                lifted = s;
        if (lifted >= 0 && a->auto_lifted < 0) {
            a->auto_lifted = lifted;
            a->auto_max_abs_d = 0;
        }
        if (a->auto_lifted >= 0 && !isnan(d))
            a->auto_max_abs_d = fmaxf(a->auto_max_abs_d, fabsf(d));
    }
    /* Split stance: seen from the front, the ankles stood at different
     * heights (the back heel up); otherwise they are far apart fore-aft
     * now (side-on the near foot stands lower in the picture than the far
     * one, so heights say nothing there). */
    int split = a->view == FC_VIEW_FRONT
                    ? fabsf(a->h0_ankle[0] - a->h0_ankle[1]) > SPLIT_STEP * a->leg
                    : HAS(m, BIT(LA) | BIT(RA)) &&
                          fabsf(vdot(vsub(jp(k, LA), jp(k, RA)), a->F)) / a->leg >= AUTO_SPLIT;
    if (!isnan(sink) && sink >= AUTO_DESCENT) {
        if (lifted >= 0)
            set_exercise(a, lifted == FC_SIDE_RIGHT ? FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT
                                                    : FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT);
        else
            set_exercise(a, split ? FC_EXERCISE_LUNGE : FC_EXERCISE_SQUAT);
    } else if (!isnan(d) && d <= -AUTO_RISE) {
        set_exercise(a, FC_EXERCISE_STEP_UP);
    } else if (!isnan(incl) && incl >= AUTO_TRUNK_DEG) {
        set_exercise(a, FC_EXERCISE_SINGLE_LEG_DEADLIFT);
    } else if (a->auto_lifted >= 0 && lifts_ok && lift[a->auto_lifted] < AUTO_GROUND) {
        /* A foot went up and came down with the hip level: a step. */
        if (a->auto_max_abs_d < 0.5f * AUTO_DESCENT) {
            set_exercise(a, FC_EXERCISE_GAIT);
            a->auto_first_step = 1;
        }
        a->auto_lifted = -1;
    } else {
        *rest = !isnan(d) && fabsf(d) < AUTO_REST &&
                (!lifts_ok || (lift[0] < AUTO_REST && lift[1] < AUTO_REST));
    }
}

/* ---- reps --------------------------------------------------------------- */

/* Recomputes a metric's window moments from its ring (slot h is the
 * newest). */
static void smooth_resync(struct fc_analyzer *a, int m, int h)
{
    int w = a->peak_w;
    double s0 = 0, s1 = 0, s2 = 0;
    int n = 0;
    for (int j = 0; j < w; j++) {
        float y = a->peak_ring[m][(h - (w - 1) + j + PEAK_RING) % PEAK_RING];
        if (!isnan(y)) {
            s0 += y;
            s1 += (double)j * y;
            s2 += (double)j * j * y;
            n++;
        }
    }
    a->peak_s0[m] = s0;
    a->peak_s1[m] = s1;
    a->peak_s2[m] = s2;
    a->peak_cnt[m] = n;
}

/* Pushes this frame's values into the smoothing windows; sm[] receives the
 * smoothed value of the frame (w - 1) / 2 back, at *t_mid: the quadratic
 * Savitzky-Golay fit when the whole window was seen, the mean of what was
 * seen when more than half was, else NaN. O(1) per metric: the moments
 * slide (j -> j - 1 for the values that stay):
 *   S0' = S0 - y_out + y_in
 *   S1' = S1 - (S0 - y_out) + (w - 1) y_in
 *   S2' = S2 - 2 S1 + (S0 - y_out) + (w - 1)^2 y_in
 * and the fit at the centre j = h is alpha S0 - beta (S2 - 2 h S1 + h^2 S0).
 * Non-finite values count as gaps, so the sums never turn into NaN. */
static void smooth_step(struct fc_analyzer *a, const float *v, double t, float *sm, double *t_mid)
{
    int w = a->peak_w, h = a->peak_head;
    if (w == 1) {
        memcpy(sm, v, FC_METRIC_COUNT * sizeof *sm);
        *t_mid = t;
        return;
    }
    int old = (h - w + PEAK_RING) % PEAK_RING; /* the value leaving the window */
    int resync = ++a->peak_since_sync >= PEAK_RESYNC;
    if (resync)
        a->peak_since_sync = 0;
    double hc = (w - 1) / 2, wl = w - 1;
    a->peak_t[h] = t;
    for (int i = 0; i < a->n_active; i++) {
        int m = a->active[i];
        float o = a->peak_ring[m][old], x = v[m];
        double yo = 0, yi = 0;
        if (!isnan(o)) {
            yo = o;
            a->peak_cnt[m]--;
        }
        if (!isfinite(x)) {
            x = NAN;
        } else {
            yi = x;
            a->peak_cnt[m]++;
        }
        a->peak_ring[m][h] = x;
        double s0 = a->peak_s0[m] - yo, s1 = a->peak_s1[m];
        a->peak_s2[m] += -2 * s1 + s0 + wl * wl * yi;
        a->peak_s1[m] = s1 - s0 + wl * yi;
        a->peak_s0[m] = s0 + yi;
        if (resync)
            smooth_resync(a, m, h);
        int n = a->peak_cnt[m];
        double S0 = a->peak_s0[m];
        if (n == w)
            sm[m] = (float)(a->sg_alpha * S0 -
                            a->sg_beta * (a->peak_s2[m] - 2 * hc * a->peak_s1[m] + hc * hc * S0));
        else
            sm[m] = 2 * n > w ? (float)(S0 / n) : NAN;
    }
    *t_mid = a->peak_t[(h - (w - 1) / 2 + PEAK_RING) % PEAK_RING];
    a->peak_head = (h + 1) % PEAK_RING;
}

static void accumulate(struct fc_analyzer *a, const float *v, double t, int tracked)
{
    struct rep_acc *r = &a->cur;
    r->frames++;
    r->tracked += tracked;
    float sm[FC_METRIC_COUNT];
    double t_mid;
    smooth_step(a, v, t, sm, &t_mid);
    for (int i = 0; i < a->n_active; i++) {
        int mm = a->active[i];
        float raw = v[mm];
        if (!isnan(raw)) { /* session statistics, every frame */
            a->m_frames[mm]++;
            a->m_sum[mm] += raw;
            a->m_min[mm] = raw < a->m_min[mm] ? raw : a->m_min[mm];
            a->m_max[mm] = raw > a->m_max[mm] ? raw : a->m_max[mm];
        }
        float x = sm[mm];
        if (isnan(x))
            continue;
        float p = r->peak[mm];
        int better = isnan(p) || (peak_is_max[mm] ? x > p : fabsf(x) > fabsf(p));
        if (better) {
            r->peak[mm] = x;
            r->t_peak[mm] = t_mid;
        }
    }
    for (int mm = FC_M_PELVIS_TILT_3D; mm <= FC_M_PELVIS_ROTATION_3D; mm++) {
        float x = v[mm];
        if (!isnan(x) && (isnan(r->peak[mm]) || fabsf(x) > fabsf(r->peak[mm]))) {
            r->peak[mm] = x;
            r->t_peak[mm] = t;
        }
    }
}

/* The side a closed rep is credited to. */
static int rep_side(const struct fc_analyzer *a, const struct rep_acc *r)
{
    switch (a->cfg.side) {
    case SIDE_FIXED: return a->cfg.fixed_side;
    case SIDE_LEAD_LEG: return r->lead;
    case SIDE_FRONT_LEG:
    case SIDE_LOWER_ANKLE: return r->side_at_bottom;
    case SIDE_POLARITY:
        return r->polarity > 0 ? FC_SIDE_RIGHT : r->polarity < 0 ? FC_SIDE_LEFT : -1;
    case SIDE_NONE: break;
    }
    return -1;
}

static void close_rep(struct fc_analyzer *a, double t_end)
{
    const struct rep_acc *r = &a->cur;
    int side = rep_side(a, r);
    size_t idx = a->n_reps++;
    if (idx < a->max_reps) {
        struct fc_rep *o = &a->reps[idx];
        o->index = (int)idx;
        o->t_start_s = r->t_start;
        o->t_bottom_s = r->t_bottom;
        o->t_end_s = t_end;
        o->side = side;
        memcpy(o->peak, r->peak, sizeof o->peak);
        memcpy(o->at_bottom, r->at_bottom, sizeof o->at_bottom);
        memcpy(o->t_peak_s, r->t_peak, sizeof o->t_peak_s);
        o->tracked_fraction = r->frames ? (float)r->tracked / (float)r->frames : 0.0f;
    }
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        float x = r->peak[m];
        if (isnan(x))
            continue;
        a->pk_n[m]++;
        a->pk_sum[m] += x;
        a->pk_sumsq[m] += (double)x * x;
        if (x > a->pk_max[m])
            a->pk_max[m] = x;
    }
    /* Asymmetry: a rep credited to one side counts only that side's value. */
    static const int pairs[2] = {FC_M_KNEE_FPPA_LEFT, FC_M_KNEE_FLEXION_LEFT};
    for (int q = 0; q < 2; q++)
        for (int s = 0; s < 2; s++) {
            float x = r->peak[pairs[q] + s];
            if (!isnan(x) && (side < 0 || side == s)) {
                a->asym_sum[q][s] += x;
                a->asym_n[q][s]++;
            }
        }
    if (side >= 0 && !isnan(r->peak[FC_M_HIP_DROP])) {
        a->asym_sum[2][side] += r->peak[FC_M_HIP_DROP];
        a->asym_n[2][side]++;
    }
}

/* The rep thresholds in force: the exercise's, or the stride ones once
 * gait is counted from the ankles' separation. */
static void rep_levels(const struct fc_analyzer *a, float *start, float *end, float *min_amp)
{
    if (a->stride_mode) {
        *start = STRIDE_START;
        *end = STRIDE_END;
        *min_amp = STRIDE_MIN_AMP;
    } else {
        *start = a->cfg.start;
        *end = a->cfg.end;
        *min_amp = a->cfg.min_amp;
    }
}

/* 1 when the rep in progress, ending at t_end, is one: deep and long
 * enough and, when it was under way before the signal was ever at rest,
 * seen going into its extreme (PARTIAL_REP_SEEN). */
static int rep_counts(const struct fc_analyzer *a, const struct rep_acc *r, double t_end)
{
    float start, end, min_amp;
    rep_levels(a, &start, &end, &min_amp);
    return r->s_bottom >= min_amp && t_end - r->t_start >= a->cfg.min_s &&
           r->s_bottom - r->s_first >= PARTIAL_REP_SEEN * min_amp;
}

/* Hysteresis: at rest (s <= end) the pending accumulators restart; s >=
 * start begins a rep (from the last rest frame); back to s <= end closes
 * it when it went deep and long enough. hip_h is the mid-hip along the
 * image horizontal (stride steps: the way the subject walks). */
static void rep_step(struct fc_analyzer *a, float s, double t, const float *v, int tracked,
                     const struct fc_keypoints *k, uint32_t m, const float lift[2], int lifts_ok,
                     float hip_h)
{
    struct rep_acc *r = &a->cur;
    const struct exercise_cfg *c = &a->cfg;
    float start, end, min_amp; /* min_amp: see rep_counts */
    rep_levels(a, &start, &end, &min_amp);
    if (c->signal == SIG_GAIT && !a->stride_mode && !isnan(s)) {
        if (a->rep_state == REP_IDLE && fabsf(s) >= start)
            r->polarity = s > 0 ? 1 : -1;
        s = r->polarity ? s * (float)r->polarity : fabsf(s);
    }
    if (a->rep_state == REP_IDLE && !isnan(s) && s <= end) {
        acc_reset(r, t, a->nan_values);
        a->rest_seen = 1;
    }
    accumulate(a, v, t, tracked);
    if (c->side == SIDE_LEAD_LEG && r->lead < 0) {
        if (a->lead_fixed >= 0)
            r->lead = a->lead_fixed;
        else if (lifts_ok)
            for (int q = 0; q < 2; q++)
                if (lift[q] >= LEAD_RISE && lift[q] > lift[1 - q])
                    r->lead = q;
    }
    if (isnan(s))
        return;
    a->s_last = s;
    if (a->rep_state == REP_IDLE) {
        if (s < start)
            return;
        a->rep_state = REP_ACTIVE;
        if (!a->rest_seen)
            r->s_first = s;
        r->hip_h0 = hip_h;
    }
    if (s > r->s_bottom) {
        r->s_bottom = s;
        r->t_bottom = t;
        memcpy(r->at_bottom, v, sizeof r->at_bottom);
        if (c->side == SIDE_FRONT_LEG && HAS(m, BIT(LA) | BIT(RA))) {
            if (a->view == FC_VIEW_FRONT) /* the front foot stands lower in the image */
                r->side_at_bottom = vdot(vsub(jp(k, LA), jp(k, RA)), a->U) < 0 ? 0 : 1;
            else
                r->side_at_bottom = vdot(vsub(jp(k, LA), jp(k, RA)), a->F) > 0 ? 0 : 1;
        } else if (c->side == SIDE_LOWER_ANKLE && lifts_ok) {
            r->side_at_bottom = lift[0] < lift[1] ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
        }
        if (a->stride_mode && HAS(m, BIT(LA) | BIT(RA))) {
            /* At the widest the swing foot is the one ahead in the way the
             * hip travels (the way the subject faces when it has not yet
             * moved): +1 the left swung, so the right is the stance leg. */
            struct vec H = {-a->U.y, a->U.x};
            float dir = hip_h - r->hip_h0;
            if (!(fabsf(dir) > 0.02f * a->leg))
                dir = vdot(a->F, H);
            float ahead = vdot(vsub(jp(k, LA), jp(k, RA)), H) * dir;
            r->polarity = ahead > 0 ? 1 : -1;
        }
    }
    if (s <= end) {
        if (rep_counts(a, r, t))
            close_rep(a, t);
        a->rep_state = REP_IDLE;
        acc_reset(r, t, a->nan_values);
        a->rest_seen = 1;
    }
}

/* ---- push ------------------------------------------------------------ */

/* Closes the pending low-confidence stretch, recording it when long enough. */
static void lc_close(struct fc_analyzer *a)
{
    double d = a->lc_end - a->lc_start;
    if (d >= LOWCONF_MIN_S) {
        a->lc_total_s += d;
        if (a->n_lc < FC_MAX_LOW_CONFIDENCE)
            a->lc[a->n_lc++] = (struct fc_low_confidence){a->lc_start, a->lc_end};
    }
    a->lc_open = 0;
}

/* Untracked frames make a low-confidence stretch, from the first of them to
 * the next tracked frame; stretches less than LOWCONF_GAP_S apart are one
 * (an occluded knee comes and goes), and one is reported when it spans at
 * least LOWCONF_MIN_S. */
static void low_confidence(struct fc_analyzer *a, int tracked, double t)
{
    if (!tracked) {
        if (!a->lc_in_run) {
            if (a->lc_open && t - a->lc_end >= LOWCONF_GAP_S)
                lc_close(a);
            if (!a->lc_open) {
                a->lc_open = 1;
                a->lc_start = t;
            }
            a->lc_in_run = 1;
        }
        return;
    }
    if (a->lc_in_run) {
        a->lc_in_run = 0;
        a->lc_end = t;
    }
    if (a->lc_open && t - a->lc_end >= LOWCONF_GAP_S)
        lc_close(a);
}

/* The joints the exercise needs in this view, as a mask. */
static uint32_t needed_joints(const struct fc_analyzer *a)
{
    if (!a->locked || a->view == FC_VIEW_OBLIQUE || a->view == FC_VIEW_AUTO)
        return 0; /* any side will do: see tracked_frame */
    if (a->view == FC_VIEW_FRONT)
        return BIT(LS) | BIT(RS) | BIT(LH) | BIT(RH) | BIT(LK) | BIT(RK) | BIT(LA) | BIT(RA);
    int n = a->near_side;
    return BIT(sh_j[n]) | BIT(hip_j[n]) | BIT(knee_j[n]) | BIT(ank_j[n]);
}

/* 1 when fc_analyze_track marked one of the body joints implausible. */
static int implausible_frame(const struct fc_keypoints *k)
{
    int bad = 0;
    for (int q = 0; q < 8; q++)
        bad |= k->score[body_joints[q]] == SCORE_IMPLAUSIBLE;
    return bad;
}

static int tracked_frame(const struct fc_analyzer *a, uint32_t m)
{
    uint32_t need = needed_joints(a);
    if (need)
        return HAS(m, need);
    /* Shoulder, hip, knee and ankle, each on at least one side. */
    return (m & (BIT(LS) | BIT(RS))) && (m & (BIT(LH) | BIT(RH))) && (m & (BIT(LK) | BIT(RK))) &&
           (m & (BIT(LA) | BIT(RA)));
}

/* Session statistics of the 3-D pelvis angles (the planar metrics are
 * counted in accumulate, in the same pass as their rep peaks). */
static void stats_3d(struct fc_analyzer *a, const float *v)
{
    for (int mm = FC_M_PELVIS_TILT_3D; mm <= FC_M_PELVIS_ROTATION_3D; mm++) {
        float x = v[mm];
        if (isnan(x))
            continue;
        a->m_frames[mm]++;
        a->m_sum[mm] += x;
        if (x < a->m_min[mm])
            a->m_min[mm] = x;
        if (x > a->m_max[mm])
            a->m_max[mm] = x;
    }
}

void fc_analyzer_set_pelvis_3d(struct fc_analyzer *a, const struct fc_pelvis_angles *left)
{
    if (!left)
        return;
    a->pelvis3d[0] = (float)left->tilt_deg;
    a->pelvis3d[1] = (float)left->obliquity_deg;
    a->pelvis3d[2] = (float)left->rotation_deg;
    a->has_3d_pending = !(isnan(a->pelvis3d[0]) && isnan(a->pelvis3d[1]) && isnan(a->pelvis3d[2]));
    a->any_3d |= a->has_3d_pending;
}

void fc_analyzer_push(struct fc_analyzer *a, const struct fc_keypoints *k,
                      struct fc_frame_metrics *out)
{
    double t = k->t_s;
    if (a->n_frames == 0)
        a->t_first = t;
    a->n_frames++;
    a->t_last = t;
    out->t_s = t;
    out->rep = -1;
    out->stance = -1;
    float *v = out->value;
    memcpy(v, a->nan_values, sizeof out->value);

    if (a->has_3d_pending) {
        v[FC_M_PELVIS_TILT_3D] = a->pelvis3d[0];
        v[FC_M_PELVIS_OBLIQUITY_3D] = a->pelvis3d[1];
        v[FC_M_PELVIS_ROTATION_3D] = a->pelvis3d[2];
    }
    if (a->p.markers) {
        /* Motion capture: no camera view, only the 3-D pelvis angles. */
        int tracked = a->has_3d_pending;
        a->has_3d_pending = 0;
        out->tracked = tracked;
        a->n_tracked += (size_t)tracked;
        low_confidence(a, tracked, t);
        stats_3d(a, v);
        return;
    }
    a->has_3d_pending = 0;

    /* After the baseline only the body's eight joints (and toes) matter. */
    uint32_t m = a->locked ? seen_mask_body(k, a->p.min_score) : seen_mask_all(k, a->p.min_score);
    if (!a->locked) {
        if (!baseline_frame(a, k, m)) {
            int tracked = tracked_frame(a, m) && !implausible_frame(k);
            out->tracked = tracked;
            a->n_tracked += (size_t)tracked;
            low_confidence(a, tracked, t);
            stats_3d(a, v);
            return;
        }
        /* Just locked: reps and their peaks are measured from here on. */
        acc_reset(&a->cur, t, a->nan_values);
    }

    int tracked = tracked_frame(a, m) && !implausible_frame(k);
    float lift[2] = {NAN, NAN};
    int lifts_ok = ankle_lifts(a, k, m, lift);

    if (a->exercise == FC_EXERCISE_AUTO) {
        int rest;
        infer_exercise(a, k, m, lift, lifts_ok, &rest);
        if (a->exercise != FC_EXERCISE_AUTO)
            set_measurable(a);
        else if (rest)
            acc_reset(&a->cur, t, a->nan_values);
    }

    /* Stance side for hip drop. */
    int stance = -1;
    switch (a->cfg.stance) {
    case STANCE_LEFT: stance = FC_SIDE_LEFT; break;
    case STANCE_RIGHT: stance = FC_SIDE_RIGHT; break;
    case STANCE_LOWER_ANKLE:
        if (lifts_ok) {
            float d = lift[FC_SIDE_LEFT] - lift[FC_SIDE_RIGHT];
            if (d > STANCE_SWITCH)
                a->stance = FC_SIDE_RIGHT;
            else if (d < -STANCE_SWITCH)
                a->stance = FC_SIDE_LEFT;
        }
        stance = a->stance;
        /* In a gait step the swing foot is known from the step itself. */
        if (a->cfg.signal == SIG_GAIT && a->rep_state == REP_ACTIVE && a->cur.polarity)
            stance = a->cur.polarity > 0 ? FC_SIDE_RIGHT : FC_SIDE_LEFT;
        break;
    case STANCE_LEAD_LEG: stance = a->lead_fixed >= 0 ? a->lead_fixed : a->cur.lead; break;
    case STANCE_NONE: break;
    }

    if (a->frontal_on)
        frontal_metrics(a, k, m, stance, v);
    else if (a->sagittal_on)
        sagittal_metrics(a, k, m, v);

    if (a->exercise == FC_EXERCISE_AUTO) {
        accumulate(a, v, t, tracked);
        /* The pending frames' extreme, should they turn out to be a step. */
        float sd = lifts_ok ? fabsf(lift[0] - lift[1]) : NAN;
        if (sd > a->cur.s_bottom) {
            a->cur.s_bottom = sd;
            a->cur.t_bottom = t;
            a->cur.polarity = lift[0] > lift[1] ? 1 : -1;
            memcpy(a->cur.at_bottom, v, sizeof a->cur.at_bottom);
        }
    } else {
        if (a->auto_first_step) {
            /* Gait was recognised at the end of its first step: that step
             * (the pending frames) is the first rep. */
            a->auto_first_step = 0;
            if (rep_counts(a, &a->cur, t))
                close_rep(a, t);
            acc_reset(&a->cur, t, a->nan_values);
        }
        float s = movement_signal(a, k, m, lift, lifts_ok);
        struct vec mh;
        float hip_h = mid_or_one(k, m, LH, RH, &mh) ? vdot(mh, (struct vec){-a->U.y, a->U.x}) : NAN;
        if (a->cfg.signal == SIG_GAIT && a->view == FC_VIEW_SIDE) {
            float sep = stride_separation(a, k, m);
            if (!a->stride_mode && sep >= STRIDE_ON) {
                /* Walking across: the steps from here on are strides. */
                a->stride_mode = 1;
                a->rep_state = REP_IDLE;
                acc_reset(&a->cur, t, a->nan_values);
            }
            if (a->stride_mode)
                s = sep;
        }
        rep_step(a, s, t, v, tracked, k, m, lift, lifts_ok, hip_h);
        /* Step-ups learn the stance leg inside rep_step. */
        if (a->cfg.stance == STANCE_LEAD_LEG && stance < 0 && a->cur.lead >= 0 && a->frontal_on &&
            !isnan(v[FC_M_PELVIC_OBLIQUITY]))
            v[FC_M_HIP_DROP] =
                a->cur.lead == FC_SIDE_LEFT ? v[FC_M_PELVIC_OBLIQUITY] : -v[FC_M_PELVIC_OBLIQUITY];
        if (a->rep_state == REP_ACTIVE)
            out->rep = (int)a->n_reps;
    }
    /* A step-up learns its stance leg inside rep_step, as hip drop above. */
    out->stance = stance >= 0 || a->cfg.stance != STANCE_LEAD_LEG ? stance : a->cur.lead;
    out->tracked = tracked;
    a->n_tracked += (size_t)tracked;
    low_confidence(a, tracked, t);
    stats_3d(a, v);
}

/* ---- finish ----------------------------------------------------------- */

void fc_analyzer_finish(struct fc_analyzer *a, struct fc_analysis *res)
{
    memset(res, 0, sizeof *res);
    if (!a->locked && a->base_n > 0 && !a->p.markers)
        lock_baseline(a, 0);
    if (a->p.markers) {
        a->view = a->view_detected = FC_VIEW_AUTO;
        set_measurable(a);
    }
    /* An unfinished rep counts when it went deep and long enough: a clip
     * that ends while the subject rises from (or still sits at) the bottom
     * has shown that rep's bottom, and the bottom is what is graded. */
    if (a->rep_state == REP_ACTIVE) {
        if (rep_counts(a, &a->cur, a->t_last)) {
            /* Still going deeper at the last frame: the bottom was not
             * seen, so the rep counts but its peaks are not its own. */
            if (!(a->s_last < a->cur.s_bottom - CUT_REP_MARGIN)) {
                struct rep_acc *r = &a->cur;
                memcpy(r->peak, a->nan_values, sizeof r->peak);
                memcpy(r->at_bottom, a->nan_values, sizeof r->at_bottom);
                for (int m = 0; m < FC_METRIC_COUNT; m++)
                    r->t_peak[m] = NAN;
                a->last_rep_cut = 1;
            }
            close_rep(a, a->t_last);
        }
        a->rep_state = REP_IDLE;
        acc_reset(&a->cur, a->t_last, a->nan_values);
    }
    double dt = a->n_frames > 1 ? (a->t_last - a->t_first) / (double)(a->n_frames - 1) : 0;
    if (a->lc_in_run) {
        a->lc_end = a->t_last + dt;
        a->lc_in_run = 0;
    }
    if (a->lc_open)
        lc_close(a);
    fc_analyzer_snapshot(a, res);
}

void fc_analyzer_snapshot(const struct fc_analyzer *a, struct fc_analysis *res)
{
    memset(res, 0, sizeof *res);
    double dt = a->n_frames > 1 ? (a->t_last - a->t_first) / (double)(a->n_frames - 1) : 0;
    res->exercise = a->exercise;
    res->view = a->view;
    res->view_detected = a->view_detected;
    res->view_from_user = a->p.view != FC_VIEW_AUTO && !a->p.markers;
    res->view_confidence = a->view_conf;
    res->shoulder_width_ratio = a->sh_ratio;
    res->camera_roll_deg = a->locked ? a->roll_deg : NAN;
    res->roll_assumed = a->locked && !a->p.markers && a->roll_assumed;
    res->roll_estimate_deg = a->locked && !a->p.markers ? a->roll_estimate_deg : NAN;
    res->has_baseline = a->has_baseline;
    res->no_standing = a->reps_off;
    res->last_rep_cut = a->last_rep_cut;
    res->frames = a->n_frames;
    res->frames_tracked = a->n_tracked;
    res->duration_s = a->n_frames ? a->t_last - a->t_first + dt : 0;
    res->n_reps = a->n_reps;
    res->n_reps_detailed = a->n_reps < a->max_reps ? a->n_reps : a->max_reps;
    res->reps = a->reps;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        struct fc_metric_summary *s = &res->metric[m];
        int is3d = fc_metric_info((enum fc_metric)m)->plane == FC_PLANE_3D;
        s->measurable = is3d ? a->any_3d : a->locked && a->measurable[m];
        s->frames = a->m_frames[m];
        s->frame_mean = s->frames ? (float)(a->m_sum[m] / (double)s->frames) : NAN;
        s->frame_min = s->frames ? a->m_min[m] : NAN;
        s->frame_max = s->frames ? a->m_max[m] : NAN;
        long n = a->pk_n[m];
        s->reps = n;
        if (n) {
            double mean = a->pk_sum[m] / (double)n;
            double var = n > 1 ? (a->pk_sumsq[m] - (double)n * mean * mean) / (double)(n - 1) : 0;
            s->mean_peak = (float)mean;
            s->sd_peak = (float)sqrt(var > 0 ? var : 0);
            s->max_peak = a->pk_max[m];
        } else {
            s->mean_peak = s->sd_peak = s->max_peak = NAN;
        }
    }
    float asym[3];
    for (int q = 0; q < 3; q++)
        asym[q] = a->asym_n[q][0] && a->asym_n[q][1]
                      ? (float)(a->asym_sum[q][0] / (double)a->asym_n[q][0] -
                                a->asym_sum[q][1] / (double)a->asym_n[q][1])
                      : NAN;
    res->asymmetry_fppa_deg = asym[0];
    res->asymmetry_knee_flexion_deg = asym[1];
    res->asymmetry_hip_drop_deg = asym[2];
    res->n_low_confidence = a->n_lc;
    memcpy(res->low_confidence, a->lc, sizeof res->low_confidence);
    res->low_confidence_s = a->lc_total_s;
}

/* ---- offline ------------------------------------------------------------ */

/* A keypoint whose raw position lies further than this from its low-passed
 * path, in (median) torso lengths, is the model guessing, not measuring:
 * an occluded knee behind a barbell plate hops by 10-30% of the torso from
 * frame to frame while a tracked one stays within 3-5% (real clips, 25-30
 * fps, MoveNet Thunder: 99th percentile 0.04-0.06 on unoccluded squats).
 * Such a joint is a gap, so what it would measure is not graded and the
 * stretch is reported as low confidence. */
#define JITTER_TORSO 0.08f

/* Frame i of t as a skeleton, NaN where a joint is not seen. */
static void frame_skeleton(const struct fc_keypoints *k, float min_score, struct vec *P)
{
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        int ok = (int)seen1(k, min_score, j);
        P[j] = ok ? jp(k, j) : (struct vec){NAN, NAN};
    }
}

/* The torso length of a skeleton, NaN when not seen. */
static float skeleton_torso(const struct vec *P)
{
    return vlen(vsub(pair_mid(P, LS, RS), pair_mid(P, LH, RH)));
}

/* Marks joints far from their low-passed path as not seen in the filtered
 * copy (see JITTER_TORSO). scratch holds n floats. */
static void drop_jitter(const struct fc_pose_track *raw, struct fc_keypoints *filt, size_t n,
                        float min_score, float *scratch)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        struct vec P[FC_COCO17_COUNT];
        frame_skeleton(&filt[i], min_score, P);
        float tl = skeleton_torso(P);
        if (tl > 0)
            scratch[m++] = tl;
    }
    if (m == 0)
        return;
    qsort(scratch, m, sizeof *scratch, cmp_float);
    float lim = JITTER_TORSO * scratch[m / 2];
    for (size_t i = 0; i < n; i++) {
        const struct fc_keypoints *r = &raw->frames[i];
        struct fc_keypoints *f = &filt[i];
        for (int q = 0; q < 8; q++) {
            int j = body_joints[q];
            if (!seen1(f, min_score, j))
                continue;
            float dx = r->x[j] - f->x[j], dy = r->y[j] - f->y[j];
            if (dx * dx + dy * dy > lim * lim) {
                f->score[j] = SCORE_IMPLAUSIBLE;
                f->x[j] = f->y[j] = f->z[j] = NAN;
            }
        }
    }
}

/* The reference posture from the whole session, for when the session does
 * not open with one (the subject already moving, holding a squat, or at the
 * top of a bridge). Standing work: the frames where the body stands upright
 * with the hip at its highest (its lowest for step-ups, whose top is on the
 * box), within REF_BAND of the extreme; with no upright frame at all, the
 * highest hip anyway (*has_ref = 0: a best guess). Lying work: the hips at
 * their lowest. Fills idx with frame indices and returns their count.
 * h (n floats), sorted (n floats) and cls (n bytes) are scratch. */
#define REF_BAND 0.03f
#define REF_BAND_LYING 0.05f
enum { CLS_BODY = 1, CLS_LYING = 2, CLS_UPRIGHT = 4 };
static size_t choose_reference(const struct fc_pose_track *t, const struct fc_analyzer_params *p,
                               size_t *idx, float *h, float *sorted, unsigned char *cls,
                               int *has_ref)
{
    size_t n = t->n_frames, n_body = 0, n_lying = 0, n_upright = 0;
    for (size_t i = 0; i < n; i++) {
        struct vec P[FC_COCO17_COUNT];
        frame_skeleton(&t->frames[i], p->min_score, P);
        unsigned char c = 0;
        if (vseen(pair_mid(P, LS, RS)) && vseen(pair_mid(P, LH, RH)) &&
            vseen(pair_mid(P, LA, RA))) {
            c = CLS_BODY;
            c |= skeleton_lying(P) ? CLS_LYING : 0;
            c |= skeleton_upright(P) ? CLS_UPRIGHT : 0;
        }
        cls[i] = c;
        n_body += (c & CLS_BODY) != 0;
        n_lying += (c & CLS_LYING) != 0;
        n_upright += (c & CLS_UPRIGHT) != 0;
    }
    int lying = p->exercise == FC_EXERCISE_GLUTE_BRIDGE ||
                (p->exercise == FC_EXERCISE_AUTO && 2 * n_lying > n_body);
    unsigned char want = lying ? CLS_LYING : n_upright >= 3 ? CLS_UPRIGHT : CLS_BODY;
    *has_ref = lying || want == CLS_UPRIGHT;
    size_t q = 0;
    for (size_t i = 0; i < n; i++) {
        h[i] = NAN;
        if (!(cls[i] & want) || (!lying && (cls[i] & CLS_LYING)))
            continue;
        struct vec P[FC_COCO17_COUNT];
        frame_skeleton(&t->frames[i], p->min_score, P);
        h[i] = reference_height(P, lying);
        if (!isnan(h[i]))
            sorted[q++] = h[i];
    }
    if (q < 3)
        return 0;
    qsort(sorted, q, sizeof *sorted, cmp_float);
    int low = lying || p->exercise == FC_EXERCISE_STEP_UP;
    float edge = low ? sorted[q / 10] + (lying ? REF_BAND_LYING : REF_BAND)
                     : sorted[q - 1 - q / 10] - REF_BAND;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(h[i]) && (low ? h[i] <= edge : h[i] >= edge))
            idx[k++] = i;
    return k;
}

/* 1 when the first pass's reference (the streaming baseline) is a good one:
 * a still phase, upright (or lying at rest, the hips down). */
static int reference_ok(const struct fc_analyzer *a, const struct fc_pose_track *t,
                        const struct fc_analyzer_params *p, float *h)
{
    if (!a->locked || !a->has_baseline)
        return 0;
    if (p->exercise == FC_EXERCISE_GLUTE_BRIDGE || a->lying) {
        if (!a->lying)
            return 0;
        /* At rest: within the band of the session's lowest hips. */
        size_t q = 0;
        for (size_t i = 0; i < t->n_frames; i++) {
            struct vec P[FC_COCO17_COUNT];
            frame_skeleton(&t->frames[i], p->min_score, P);
            if (skeleton_lying(P)) {
                float v = reference_height(P, 1);
                if (!isnan(v))
                    h[q++] = v;
            }
        }
        if (q < 3)
            return 1;
        qsort(h, q, sizeof *h, cmp_float);
        return a->ref_height <= h[q / 10] + REF_BAND_LYING;
    }
    return a->ref_upright;
}

/* Locks a fresh analyzer's baseline on the given frames of t. */
static void set_reference(struct fc_analyzer *a, const struct fc_pose_track *t, const size_t *idx,
                          size_t n, double dt, int has_ref)
{
    size_t step = (n + BASE_CAP - 1) / BASE_CAP;
    for (size_t q = 0; q < n && a->base_n < BASE_CAP; q += step) {
        const struct fc_keypoints *k = &t->frames[idx[q]];
        uint32_t seen = seen_mask_all(k, a->p.min_score);
        size_t i = a->base_n++;
        for (int j = 0; j < FC_COCO17_COUNT; j++) {
            int ok = (seen >> j) & 1;
            a->base_x[j][i] = ok ? k->x[j] : NAN;
            a->base_y[j][i] = ok ? k->y[j] : NAN;
        }
        for (int s = 0; s < 2; s++)
            a->base_score[s] +=
                (double)k->score[hip_j[s]] + k->score[knee_j[s]] + k->score[ank_j[s]];
    }
    a->base_started = 1;
    a->base_t0 = t->frames[idx[0]].t_s;
    a->base_last_t = t->frames[idx[n - 1]].t_s;
    a->ref_dt = dt;
    lock_baseline(a, has_ref);
    a->reps_off = !has_ref;
    acc_reset(&a->cur, t->frames[0].t_s, a->nan_values);
}

/* One pass of the analyzer over every frame. With idx, the baseline is
 * locked on those frames first. */
static int analyze_pass(const struct fc_pose_track *src, const struct fc_analyzer_params *pp,
                        const struct fc_pelvis_angles *pelvis, const size_t *idx, size_t n_idx,
                        double dt, int has_ref, struct fc_frame_metrics *fm,
                        struct fc_analysis *res, struct fc_analyzer **a_out, struct fc_error *err)
{
    struct fc_analyzer *a;
    int rc = fc_analyzer_create(&a, pp, err);
    if (rc < 0)
        return rc;
    if (idx)
        set_reference(a, src, idx, n_idx, dt, has_ref);
    for (size_t i = 0; i < src->n_frames; i++) {
        if (pelvis)
            fc_analyzer_set_pelvis_3d(a, &pelvis[i]);
        fc_analyzer_push(a, &src->frames[i], &fm[i]);
    }
    fc_analyzer_finish(a, res);
    *a_out = a;
    return 0;
}

int fc_analyze_track(const struct fc_pose_track *t, const struct fc_analyzer_params *p,
                     int zero_lag, double cutoff_hz, struct fc_frame_metrics **frames_out,
                     struct fc_analysis *res, struct fc_analyzer **a_out, struct fc_error *err)
{
    struct fc_analyzer_params pp = p ? *p : fc_analyzer_default_params();
    struct fc_pose_track copy = *t;
    struct fc_keypoints *frames = NULL;
    struct fc_pelvis_angles *pelvis = NULL;
    struct fc_frame_metrics *fm = NULL;
    struct fc_analyzer *a = NULL;
    size_t *idx = NULL;
    float *h = NULL, *sorted = NULL;
    unsigned char *cls = NULL;
    int rc = 0;
    *frames_out = NULL;
    *a_out = NULL;
    if (t->n_frames == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "analysis: the track has no frames");
    int markers = t->dims == 3 && t->units == FC_UNITS_MM;
    pp.markers = pp.markers || markers;
    double dt = t->n_frames > 1 ? (t->frames[t->n_frames - 1].t_s - t->frames[0].t_s) /
                                      (double)(t->n_frames - 1)
                                : 0;
    double rate = t->rate_hz > 0 ? t->rate_hz : dt > 0 ? 1 / dt : 0;
    /* A track sampled at no more than twice the cut-off (a 5 fps clip and
     * the 6 Hz default) holds nothing above it to remove: it is analysed
     * as it is. */
    if (zero_lag && rate > 0 && cutoff_hz >= 0.5 * rate)
        zero_lag = 0;

    idx = malloc(t->n_frames * sizeof *idx);
    h = malloc(t->n_frames * sizeof *h);
    sorted = malloc(t->n_frames * sizeof *sorted);
    cls = malloc(t->n_frames);
    if (!idx || !h || !sorted || !cls)
        goto nomem;
    const struct fc_pose_track *src = t;
    if (zero_lag) {
        /* Filter a copy; joints below min_score are gaps for the filter too,
         * so a low-confidence guess never bleeds into its neighbours. */
        frames = malloc(t->n_frames * sizeof *frames);
        if (!frames)
            goto nomem;
        memcpy(frames, t->frames, t->n_frames * sizeof *frames);
        for (size_t i = 0; i < t->n_frames; i++)
            for (int j = 0; j < FC_JOINT_COUNT; j++)
                if (!(frames[i].score[j] >= pp.min_score)) {
                    frames[i].score[j] = 0;
                    frames[i].x[j] = frames[i].y[j] = frames[i].z[j] = NAN;
                }
        copy.frames = frames;
        copy.cap = t->n_frames;
        copy.labels = NULL;
        rc = fc_track_lowpass(&copy, cutoff_hz, err);
        if (rc < 0)
            goto fail;
        if (!pp.markers && t->dims == 2)
            drop_jitter(t, frames, t->n_frames, pp.min_score, h);
        src = &copy;
    }
    if (pp.markers) {
        pelvis = malloc(t->n_frames * sizeof *pelvis);
        if (!pelvis)
            goto nomem;
        long got = fc_pelvis_track_angles(src, NULL, pelvis, NULL, err);
        if (got < 0) {
            rc = (int)got;
            goto fail;
        }
    }
    fm = malloc(t->n_frames * sizeof *fm);
    if (!fm)
        goto nomem;
    /* First pass: the streaming analyzer as it would run live. When the
     * session did not open with a good reference posture, a second pass
     * takes it from wherever in the session the subject stood (or lay)
     * at rest, and measures every frame against that. */
    rc = analyze_pass(src, &pp, pelvis, NULL, 0, dt, 0, fm, res, &a, err);
    if (rc < 0)
        goto fail;
    if (!pp.markers && a->locked && !reference_ok(a, src, &pp, h)) {
        int has_ref;
        size_t n_ref = choose_reference(src, &pp, idx, h, sorted, cls, &has_ref);
        if (n_ref >= 3) {
            fc_analyzer_free(a);
            a = NULL;
            rc = analyze_pass(src, &pp, pelvis, idx, n_ref, dt, has_ref, fm, res, &a, err);
            if (rc < 0)
                goto fail;
        }
    }
    free(frames);
    free(pelvis);
    free(idx);
    free(h);
    free(sorted);
    free(cls);
    *frames_out = fm;
    *a_out = a;
    return 0;
nomem:
    rc = fc_error_set(err, FC_ERR_NOMEM, "analysis: out of memory for %zu frames", t->n_frames);
fail:
    free(frames);
    free(pelvis);
    free(idx);
    free(h);
    free(sorted);
    free(cls);
    free(fm);
    fc_analyzer_free(a);
    return rc;
}
