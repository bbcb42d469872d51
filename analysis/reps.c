/* formcheck: rep detection (analysis/reps.h). */
#include "analysis/reps.h"

#include <math.h>
#include <string.h>

#include "analysis/peaks.h"
#include "analysis/tuning.h"

static const struct fc_exercise_cfg cfgs[FC_EXERCISE_COUNT] = {
    [FC_EXERCISE_AUTO] = {SIG_NONE, 1, 1, 1, 0, STANCE_NONE, SIDE_NONE, -1},
    [FC_EXERCISE_SQUAT] = {SIG_DESCENT, REP_SQUAT_START, REP_SQUAT_END, REP_SQUAT_MIN_AMP,
                           REP_MIN_S, STANCE_NONE, SIDE_NONE, -1},
    [FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT] = {SIG_DESCENT, REP_SL_SQUAT_START, REP_SL_SQUAT_END,
                                           REP_SL_SQUAT_MIN_AMP, REP_MIN_S, STANCE_LEFT, SIDE_FIXED,
                                           FC_SIDE_LEFT},
    [FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT] = {SIG_DESCENT, REP_SL_SQUAT_START, REP_SL_SQUAT_END,
                                            REP_SL_SQUAT_MIN_AMP, REP_MIN_S, STANCE_RIGHT,
                                            SIDE_FIXED, FC_SIDE_RIGHT},
    [FC_EXERCISE_LUNGE] = {SIG_DESCENT, REP_SQUAT_START, REP_SQUAT_END, REP_SQUAT_MIN_AMP,
                           REP_MIN_S, STANCE_NONE, SIDE_FRONT_LEG, -1},
    [FC_EXERCISE_STEP_UP] = {SIG_RISE, REP_SQUAT_START, REP_SQUAT_END, REP_SQUAT_MIN_AMP, REP_MIN_S,
                             STANCE_LEAD_LEG, SIDE_LEAD_LEG, -1},
    [FC_EXERCISE_SINGLE_LEG_DEADLIFT] = {SIG_TRUNK, REP_SL_DEADLIFT_START, REP_SL_DEADLIFT_END,
                                         REP_SL_DEADLIFT_MIN_AMP, REP_MIN_S, STANCE_LOWER_ANKLE,
                                         SIDE_LOWER_ANKLE, -1},
    [FC_EXERCISE_GLUTE_BRIDGE] = {SIG_BRIDGE, REP_BRIDGE_START, REP_BRIDGE_END, REP_BRIDGE_MIN_AMP,
                                  REP_MIN_S, STANCE_NONE, SIDE_NONE, -1},
    [FC_EXERCISE_OVERHEAD_SQUAT] = {SIG_DESCENT, REP_SQUAT_START, REP_SQUAT_END, REP_SQUAT_MIN_AMP,
                                    REP_MIN_S, STANCE_NONE, SIDE_NONE, -1},
    [FC_EXERCISE_GAIT] = {SIG_GAIT, REP_GAIT_START, REP_GAIT_END, REP_GAIT_MIN_AMP, REP_GAIT_MIN_S,
                          STANCE_LOWER_ANKLE, SIDE_POLARITY, -1},
};

const struct fc_exercise_cfg *fc_exercise_cfg(enum fc_exercise e)
{
    return &cfgs[e];
}

static void acc_reset(struct fc_rep_acc *r, double t)
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
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        r->peak[m] = r->peak_u[m] = r->at_bottom[m] = NAN;
        r->t_peak[m] = NAN;
    }
}

void fc_reps_set_exercise(struct fc_reps *r, enum fc_exercise e)
{
    r->exercise = e;
    r->cfg = cfgs[e];
}

void fc_reps_init(struct fc_reps *r, enum fc_exercise e, struct fc_rep *reps, size_t max)
{
    memset(r, 0, sizeof *r);
    fc_reps_set_exercise(r, e);
    r->state = REP_IDLE;
    r->stance = -1;
    r->reps = reps;
    r->max = max;
    acc_reset(&r->cur, 0);
}

void fc_reps_restart(struct fc_reps *r, double t)
{
    acc_reset(&r->cur, t);
}

/* ---- closing a rep ------------------------------------------------------- */

/* The side a closed rep is credited to. */
static int rep_side(const struct fc_reps *r, const struct fc_rep_acc *c)
{
    switch (r->cfg.side) {
    case SIDE_FIXED: return r->cfg.fixed_side;
    case SIDE_LEAD_LEG: return c->lead;
    case SIDE_FRONT_LEG:
    case SIDE_LOWER_ANKLE: return c->side_at_bottom;
    case SIDE_POLARITY:
        return c->polarity > 0 ? FC_SIDE_RIGHT : c->polarity < 0 ? FC_SIDE_LEFT : -1;
    case SIDE_NONE: break;
    }
    return -1;
}

static void close_rep(struct fc_reps *r, double t_end, struct fc_rep *o)
{
    const struct fc_rep_acc *c = &r->cur;
    size_t idx = r->n++;
    o->index = (int)idx;
    o->t_start_s = c->t_start;
    o->t_bottom_s = c->t_bottom;
    o->t_end_s = t_end;
    o->side = rep_side(r, c);
    memcpy(o->peak, c->peak, sizeof o->peak);
    memcpy(o->peak_u, c->peak_u, sizeof o->peak_u);
    memcpy(o->at_bottom, c->at_bottom, sizeof o->at_bottom);
    memcpy(o->t_peak_s, c->t_peak, sizeof o->t_peak_s);
    o->tracked_fraction = c->frames ? (float)c->tracked / (float)c->frames : 0.0f;
    if (idx < r->max)
        r->reps[idx] = *o;
}

/* The rep thresholds in force: the exercise's, or the stride ones once
 * gait is counted from the ankles' separation. */
static void rep_levels(const struct fc_reps *r, float *start, float *end, float *min_amp)
{
    if (r->stride_mode) {
        *start = STRIDE_START;
        *end = STRIDE_END;
        *min_amp = STRIDE_MIN_AMP;
    } else {
        *start = r->cfg.start;
        *end = r->cfg.end;
        *min_amp = r->cfg.min_amp;
    }
}

/* 1 when the rep in progress, ending at t_end, is one: deep and long
 * enough and, when it was under way before the signal was ever at rest,
 * seen going into its extreme (PARTIAL_REP_SEEN). */
static int rep_counts(const struct fc_reps *r, double t_end)
{
    const struct fc_rep_acc *c = &r->cur;
    float start, end, min_amp;
    rep_levels(r, &start, &end, &min_amp);
    return c->s_bottom >= min_amp && t_end - c->t_start >= r->cfg.min_s &&
           c->s_bottom - c->s_first >= PARTIAL_REP_SEEN * min_amp;
}

/* ---- sides ---------------------------------------------------------------- */

int fc_reps_stance(struct fc_reps *r, const struct fc_frame_ctx *f)
{
    switch (r->cfg.stance) {
    case STANCE_LEFT: return FC_SIDE_LEFT;
    case STANCE_RIGHT: return FC_SIDE_RIGHT;
    case STANCE_LOWER_ANKLE:
        if (f->lifts_ok) {
            float d = f->lift[FC_SIDE_LEFT] - f->lift[FC_SIDE_RIGHT];
            if (d > STANCE_SWITCH)
                r->stance = FC_SIDE_RIGHT;
            else if (d < -STANCE_SWITCH)
                r->stance = FC_SIDE_LEFT;
        }
        /* In a gait step the swing foot is known from the step itself. */
        if (r->cfg.signal == SIG_GAIT && r->state == REP_ACTIVE && r->cur.polarity)
            return r->cur.polarity > 0 ? FC_SIDE_RIGHT : FC_SIDE_LEFT;
        return r->stance;
    case STANCE_LEAD_LEG: return r->ref->lead_fixed >= 0 ? r->ref->lead_fixed : r->cur.lead;
    case STANCE_NONE: break;
    }
    return -1;
}

/* Step-ups: the leading leg, once an ankle has risen LEAD_RISE. */
static void learn_lead(struct fc_reps *r, const struct fc_frame_ctx *f)
{
    struct fc_rep_acc *c = &r->cur;
    if (r->cfg.side != SIDE_LEAD_LEG || c->lead >= 0)
        return;
    if (r->ref->lead_fixed >= 0)
        c->lead = r->ref->lead_fixed;
    else if (f->lifts_ok)
        for (int q = 0; q < 2; q++)
            if (f->lift[q] >= LEAD_RISE && f->lift[q] > f->lift[1 - q])
                c->lead = q;
}

/* The side at a new bottom: the front foot of a lunge, the lower ankle of
 * a deadlift, the swing foot of a stride. */
static void bottom_side(struct fc_reps *r, const struct fc_frame_ctx *f, float hip_h)
{
    const struct fc_body_ref *ref = r->ref;
    struct fc_rep_acc *c = &r->cur;
    const struct fc_keypoints *k = f->k;
    uint32_t m = f->seen;
    if (r->cfg.side == SIDE_FRONT_LEG && HAS(m, BIT(LA) | BIT(RA))) {
        if (ref->view == FC_VIEW_FRONT) /* the front foot stands lower in the image */
            c->side_at_bottom = vdot(vsub(jp(k, LA), jp(k, RA)), ref->U) < 0 ? 0 : 1;
        else
            c->side_at_bottom = vdot(vsub(jp(k, LA), jp(k, RA)), ref->F) > 0 ? 0 : 1;
    } else if (r->cfg.side == SIDE_LOWER_ANKLE && f->lifts_ok) {
        c->side_at_bottom = f->lift[0] < f->lift[1] ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    }
    if (r->stride_mode && HAS(m, BIT(LA) | BIT(RA))) {
        /* At the widest the swing foot is the one ahead in the way the
         * hip travels (the way the subject faces when it has not yet
         * moved): +1 the left swung, so the right is the stance leg. */
        struct vec H = {-ref->U.y, ref->U.x};
        float dir = hip_h - c->hip_h0;
        if (!(fabsf(dir) > STRIDE_DIR_MIN * ref->leg))
            dir = vdot(ref->F, H);
        float ahead = vdot(vsub(jp(k, LA), jp(k, RA)), H) * dir;
        c->polarity = ahead > 0 ? 1 : -1;
    }
}

/* ---- hysteresis ------------------------------------------------------------ */

/* The frame joins the rep (or the pending frames): counts and peaks. */
static void acc_add(struct fc_reps *r, const struct fc_frame_ctx *f, const struct fc_rep_input *in)
{
    struct fc_rep_acc *c = &r->cur;
    c->frames++;
    c->tracked += f->tracked;
    fc_peaks_take(in->active, in->n_active, in->sm, in->su, in->t_mid, c->t_bottom, f->v, f->t_s,
                  c->peak, c->peak_u, c->t_peak);
}

/* Hysteresis on the signal s: at rest (s <= end) the pending accumulators
 * restart; s >= start begins a rep (from the last rest frame); back to
 * s <= end closes it when it went deep and long enough. */
static int rep_step(struct fc_reps *r, float s, const struct fc_frame_ctx *f,
                    const struct fc_rep_input *in, struct fc_rep *closed)
{
    struct fc_rep_acc *c = &r->cur;
    double t = f->t_s;
    float start, end, min_amp; /* min_amp: see rep_counts */
    rep_levels(r, &start, &end, &min_amp);
    if (r->cfg.signal == SIG_GAIT && !r->stride_mode && !isnan(s)) {
        if (r->state == REP_IDLE && fabsf(s) >= start)
            c->polarity = s > 0 ? 1 : -1;
        s = c->polarity ? s * (float)c->polarity : fabsf(s);
    }
    if (r->state == REP_IDLE && !isnan(s) && s <= end) {
        acc_reset(c, t);
        r->rest_seen = 1;
    }
    acc_add(r, f, in);
    learn_lead(r, f);
    if (isnan(s))
        return 0;
    r->s_last = s;
    if (r->state == REP_IDLE) {
        if (s < start)
            return 0;
        r->state = REP_ACTIVE;
        if (!r->rest_seen)
            c->s_first = s;
        c->hip_h0 = in->hip_h;
    }
    if (s > c->s_bottom) {
        c->s_bottom = s;
        c->t_bottom = t;
        memcpy(c->at_bottom, f->v, sizeof c->at_bottom);
        bottom_side(r, f, in->hip_h);
    }
    int got = 0;
    if (s <= end) {
        if (rep_counts(r, t)) {
            close_rep(r, t, closed);
            got = 1;
        }
        r->state = REP_IDLE;
        acc_reset(c, t);
        r->rest_seen = 1;
    }
    return got;
}

int fc_reps_push(struct fc_reps *r, const struct fc_frame_ctx *f, const struct fc_rep_input *in,
                 struct fc_rep *closed)
{
    float s = in->signal;
    if (r->cfg.signal == SIG_GAIT && r->ref->view == FC_VIEW_SIDE) {
        if (!r->stride_mode && in->stride_sep >= STRIDE_ON) {
            /* Walking across: the steps from here on are strides. */
            r->stride_mode = 1;
            r->state = REP_IDLE;
            acc_reset(&r->cur, f->t_s);
        }
        if (r->stride_mode)
            s = in->stride_sep;
    }
    return rep_step(r, s, f, in, closed);
}

void fc_reps_pending(struct fc_reps *r, const struct fc_frame_ctx *f, const struct fc_rep_input *in)
{
    struct fc_rep_acc *c = &r->cur;
    acc_add(r, f, in);
    float sd = f->lifts_ok ? fabsf(f->lift[0] - f->lift[1]) : NAN;
    if (sd > c->s_bottom) {
        c->s_bottom = sd;
        c->t_bottom = f->t_s;
        c->polarity = f->lift[0] > f->lift[1] ? 1 : -1;
        memcpy(c->at_bottom, f->v, sizeof c->at_bottom);
    }
}

int fc_reps_first_step(struct fc_reps *r, double t, struct fc_rep *closed)
{
    int got = 0;
    if (rep_counts(r, t)) {
        close_rep(r, t, closed);
        got = 1;
    }
    acc_reset(&r->cur, t);
    return got;
}

int fc_reps_finish(struct fc_reps *r, double t_last, struct fc_rep *closed)
{
    if (r->state != REP_ACTIVE)
        return 0;
    int got = 0;
    if (rep_counts(r, t_last)) {
        /* Still going deeper at the last frame: the bottom was not seen,
         * so the rep counts but its peaks are not its own. */
        if (!(r->s_last < r->cur.s_bottom - CUT_REP_MARGIN)) {
            struct fc_rep_acc *c = &r->cur;
            for (int m = 0; m < FC_METRIC_COUNT; m++) {
                c->peak[m] = c->peak_u[m] = c->at_bottom[m] = NAN;
                c->t_peak[m] = NAN;
            }
            r->last_rep_cut = 1;
        }
        close_rep(r, t_last, closed);
        got = 1;
    }
    r->state = REP_IDLE;
    acc_reset(&r->cur, t_last);
    return got;
}
