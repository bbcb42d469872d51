/* formcheck: rep detection. Each exercise has a movement signal (larger =
 * deeper into the rep; analysis/signal.h) run through a hysteresis
 * detector: at rest (signal <= end) the pending accumulators restart; the
 * signal crossing start begins a rep (from the last frame at rest); back
 * under end closes it when it reached min_amp and lasted min_s. Per rep the
 * smoothed peaks of every metric (analysis/peaks.h), the values at the
 * bottom frame and the side carrying the load. Internal to analysis/; the
 * thresholds are in analysis/tuning.h.
 *
 *     struct fc_rep buf[64];
 *     struct fc_reps r;
 *     fc_reps_init(&r, FC_EXERCISE_SQUAT, buf, 64);
 *     r.ref = &body_ref;                             // after the baseline lock
 *     fc_reps_restart(&r, t0);
 *     for (each frame) {
 *         struct fc_rep_input in = {.signal = s, ...};
 *         struct fc_rep closed;
 *         if (fc_reps_push(&r, &frame, &in, &closed))
 *             ... a rep ended: closed, also buf[closed.index] ...
 *     }
 *     fc_reps_finish(&r, t_last, &closed);           // a rep the session ends in
 */
#ifndef FC_ANALYSIS_REPS_H
#define FC_ANALYSIS_REPS_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "analysis/baseline.h"
#include "analysis/skeleton.h"

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

/* An exercise's signal and rep thresholds (see above), its stance (for hip
 * drop) and the side a rep is credited to. */
struct fc_exercise_cfg {
    enum signal_kind signal;
    float start, end, min_amp;
    double min_s;
    enum stance_mode stance;
    enum side_mode side;
    int fixed_side;
};

const struct fc_exercise_cfg *fc_exercise_cfg(enum fc_exercise e);

enum rep_state { REP_IDLE, REP_ACTIVE };

/* The rep in progress, or the frames since the last rest (pending). */
struct fc_rep_acc {
    double t_start, t_bottom;
    float s_bottom;
    float s_first; /* the signal when a rep was under way from the start, else -inf */
    float hip_h0;  /* stride steps: the mid-hip along the image horizontal at the start */
    int polarity;  /* gait: +1 left foot swinging (right stance), -1 the other */
    int lead;      /* step-up: the first ankle to rise, -1 unknown */
    int side_at_bottom;
    long frames, tracked;
    float peak[FC_METRIC_COUNT];
    float peak_u[FC_METRIC_COUNT];
    float at_bottom[FC_METRIC_COUNT];
    double t_peak[FC_METRIC_COUNT];
};

struct fc_reps {
    enum fc_exercise exercise; /* current (AUTO until inferred) */
    struct fc_exercise_cfg cfg;
    const struct fc_body_ref *ref; /* the subject's reference, once locked */
    enum rep_state state;
    struct fc_rep_acc cur;
    /* 1 once the signal has been at rest; gait: 1 once strides are counted
     * from the ankles' separation (STRIDE_ON) */
    int rest_seen, stride_mode;
    float s_last;     /* the last frame's movement signal */
    int last_rep_cut; /* the session ended before the last rep's bottom */
    /* 1: the session has no standing reference (the subject never stood
     * upright in view), so the standing exercises' reps, which start and
     * end standing, are not counted */
    int reps_off;
    int stance; /* lower-ankle stance leg, kept between frames; -1 unknown */
    size_t n;   /* reps completed */
    size_t max; /* kept in detail in reps[] */
    struct fc_rep *reps;
};

/* What the detector needs of a frame beyond struct fc_frame_ctx. */
struct fc_rep_input {
    float signal;     /* the movement signal, NaN = not measured */
    float stride_sep; /* gait seen from the side: the ankles' separation */
    float hip_h;      /* the mid-hip along the image horizontal */
    const float *sm;  /* the smoothed metrics (fc_peaks_smooth), at t_mid */
    const float *su;  /* their standard errors from the metrics' jitter */
    double t_mid;
    const int *active; /* the metrics measured */
    int n_active;
};

/* reps: caller-owned room for max reps in detail (later ones only counted). */
void fc_reps_init(struct fc_reps *r, enum fc_exercise e, struct fc_rep *reps, size_t max);
void fc_reps_set_exercise(struct fc_reps *r, enum fc_exercise e);
/* The pending accumulators start afresh at t. */
void fc_reps_restart(struct fc_reps *r, double t);
/* The stance leg this frame (FC_SIDE_*, -1 none), before fc_reps_push. */
int fc_reps_stance(struct fc_reps *r, const struct fc_frame_ctx *f);
/* One frame through the detector. Returns 1 when it closed a rep (*closed). */
int fc_reps_push(struct fc_reps *r, const struct fc_frame_ctx *f, const struct fc_rep_input *in,
                 struct fc_rep *closed);
/* While the exercise is AUTO: the frame joins the pending frames, whose
 * extreme of |left - right ankle lift| is kept should they turn out to be
 * a step. */
void fc_reps_pending(struct fc_reps *r, const struct fc_frame_ctx *f,
                     const struct fc_rep_input *in);
/* Gait recognised at the end of its first step: the pending frames are a
 * rep when they count. Returns 1 when it closed one. */
int fc_reps_first_step(struct fc_reps *r, double t, struct fc_rep *closed);
/* The session ends at t_last: a rep in progress counts when deep and long
 * enough. Returns 1 when it closed one. */
int fc_reps_finish(struct fc_reps *r, double t_last, struct fc_rep *closed);

#endif
