#include "analysis/mocap.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

static const char *const measure_names[FC_MOCAP_MEASURE_COUNT] = {
    "pelvic_drop_deg", "hip_adduction_deg", "knee_valgus_deg",  "trunk_lean_deg",
    "squat_depth_deg", "knee_sep_pct",      "trunk_forward_deg"};

/* A squat's hip centres fall some 300-500 mm; walking moves them about 50
 * mm: 100 mm tells the two apart and keeps sway out. */
static const double squat_min_drop_mm = 100.0;
/* Feet level in a squat stand within a few cm of each other; a lunge's are
 * half a metre or more apart: 150 mm tells them apart. */
static const double lead_min_mm = 150.0;
/* A foot held off the floor in a single-leg squat is well clear of it; 100
 * mm is above any heel rise. */
static const double lifted_min_mm = 100.0;

double fc_mocap_rep_value(const struct fc_mocap_rep *r, enum fc_mocap_measure m)
{
    switch (m) {
    case FC_MOCAP_SQUAT_DEPTH: return r->depth_deg;
    case FC_MOCAP_KNEE_SEPARATION: return r->knee_sep_pct;
    case FC_MOCAP_TRUNK_FORWARD: return r->trunk_forward_deg;
    default: return NAN;
    }
}

const char *fc_mocap_measure_name(enum fc_mocap_measure m)
{
    return (unsigned)m < FC_MOCAP_MEASURE_COUNT ? measure_names[m] : NULL;
}

int fc_mocap_measure_from_name(const char *name)
{
    for (int i = 0; name && i < FC_MOCAP_MEASURE_COUNT; i++)
        if (strcmp(name, measure_names[i]) == 0)
            return i;
    return -1;
}

void fc_mocap_free(struct fc_mocap *mc)
{
    if (!mc)
        return;
    fc_pig_output_free(&mc->pig);
    fc_gait_free(&mc->gait);
    fc_mocap_squat_free(&mc->squat);
    free(mc->plate_events);
    mc->plate_events = NULL;
    mc->n_plate_events = 0;
    free(mc->strides);
    mc->strides = NULL;
    mc->n_strides = 0;
}

void fc_mocap_add_reference(struct fc_mocap *mc, const char *name, enum fc_side side,
                            enum fc_pig_joint joint, const float *ref, size_t stride)
{
    if (!mc->has_pig || mc->n_references >= FC_MOCAP_MAX_REFERENCES || !ref)
        return;
    struct fc_mocap_reference *r = &mc->references[mc->n_references++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->side = side;
    r->joint = joint;
    double sq[3] = {0, 0, 0};
    for (size_t i = 0; i < mc->pig.n_frames; i++) {
        const double *a = fc_pig_angle(&mc->pig, i, side, joint);
        const float *p = ref + i * stride;
        double d[3] = {a[0] - p[0], a[1] - p[1], a[2] - p[2]};
        if (!isfinite(d[0]) || !isfinite(d[1]) || !isfinite(d[2]))
            continue;
        for (int k = 0; k < 3; k++)
            sq[k] += d[k] * d[k];
        r->frames++;
    }
    for (int k = 0; k < 3; k++)
        r->rms_deg[k] = r->frames ? sqrt(sq[k] / (double)r->frames) : NAN;
}

static int point(const struct fc_keypoints *k, enum fc_joint j, double out[3])
{
    if (!(k->score[j] > 0.0f))
        return 0;
    out[0] = k->x[j], out[1] = k->y[j], out[2] = k->z[j];
    return isfinite(out[0]) && isfinite(out[1]) && isfinite(out[2]);
}

/* Lean of the trunk towards the subject's left (deg), in the progression
 * frame's frontal plane: from the pelvis centre to C7, or to the middle of
 * the shoulders. NaN without those markers. */
static double trunk_lean_left_deg(const struct fc_keypoints *k, const double P[9])
{
    const enum fc_joint pelvis[4] = {FC_JOINT_LEFT_ASIS, FC_JOINT_RIGHT_ASIS, FC_JOINT_LEFT_PSIS,
                                     FC_JOINT_RIGHT_PSIS};
    double base[3] = {0, 0, 0}, top[3], q[3], l[3], r[3];
    int n = 0;
    for (int i = 0; i < 4; i++)
        if (point(k, pelvis[i], q))
            for (int c = 0; c < 3; c++)
                base[c] += q[c] / 4.0, n += c == 0;
    if (n != 4)
        return NAN;
    if (!point(k, FC_JOINT_NECK, top)) {
        if (!point(k, FC_JOINT_LEFT_SHOULDER, l) || !point(k, FC_JOINT_RIGHT_SHOULDER, r))
            return NAN;
        for (int c = 0; c < 3; c++)
            top[c] = 0.5 * (l[c] + r[c]);
    }
    double v[3] = {top[0] - base[0], top[1] - base[1], top[2] - base[2]};
    double y = v[0] * P[1] + v[1] * P[4] + v[2] * P[7];
    double z = v[0] * P[2] + v[1] * P[5] + v[2] * P[8];
    return atan2(y, z) * FC_DEG_PER_RAD;
}

/* The next event of a side and kind after frame, before limit; -1 if none. */
static long next_event(const struct fc_gait *g, enum fc_side side, enum fc_gait_event_kind kind,
                       size_t after, size_t limit)
{
    for (size_t i = 0; i < g->n_events; i++) {
        const struct fc_gait_event *e = &g->events[i];
        if (e->side == side && e->kind == kind && e->frame > after && e->frame < limit)
            return (long)e->frame;
    }
    return -1;
}

/* The peak of f over frames [a, b] (NaN samples skipped). */
static double peak(const double *f, size_t a, size_t b)
{
    double best = NAN;
    for (size_t i = a; i <= b; i++)
        if (isfinite(f[i]) && !(f[i] <= best))
            best = f[i];
    return best;
}

static void measure_stride(const struct fc_mocap *mc, const double *lean_left,
                           struct fc_mocap_stride *s, long fo_o, long fs_o, double *buf)
{
    const struct fc_pig_output *o = &mc->pig;
    enum fc_side me = s->side, other = (enum fc_side)(1 - me);
    for (int m = 0; m < FC_MOCAP_MEASURE_COUNT; m++)
        s->value[m] = NAN;
    size_t a = s->foot_strike, b = s->foot_off;
    if (fo_o >= 0 && fs_o > fo_o) {
        for (size_t i = (size_t)fo_o; i <= (size_t)fs_o; i++)
            buf[i] = -fc_pig_angle(o, i, other, FC_PIG_PELVIS)[1];
        s->value[FC_MOCAP_PELVIC_DROP] = peak(buf, (size_t)fo_o, (size_t)fs_o);
    }
    for (size_t i = a; i <= b; i++)
        buf[i] = fc_pig_angle(o, i, me, FC_PIG_HIP)[1];
    s->value[FC_MOCAP_HIP_ADDUCTION] = peak(buf, a, b);
    for (size_t i = a; i <= b; i++)
        buf[i] = -fc_pig_angle(o, i, me, FC_PIG_KNEE)[1];
    s->value[FC_MOCAP_KNEE_VALGUS] = peak(buf, a, b);
    if (lean_left) {
        for (size_t i = a; i <= b; i++)
            buf[i] = me == FC_SIDE_LEFT ? lean_left[i] : -lean_left[i];
        s->value[FC_MOCAP_TRUNK_LEAN] = peak(buf, a, b);
    }
}

int fc_mocap_analyze(const struct fc_pig_markers *m, const struct fc_pig_params *p,
                     const struct fc_pose_track *t, struct fc_mocap *out, struct fc_error *err)
{
    int rc;
    double *lean = NULL, *buf = NULL;
    memset(out, 0, sizeof *out);
    /* Either part alone is worth reporting: gait events need only heels,
     * toes and a pelvis under any marker names (ISB's too); the angles need
     * the Plug-in Gait set. */
    struct fc_error perr = {0}, gerr = {0};
    if (fc_pig_run(m, p, &out->pig, &perr) == 0) {
        out->has_pig = 1;
        if (out->pig.frames_with_legs == 0)
            snprintf(out->pig_problem, sizeof out->pig_problem,
                     "no frame has both legs' markers (THI, KNE, TIB, ANK, TOE)");
    } else {
        snprintf(out->pig_problem, sizeof out->pig_problem, "%s", perr.msg);
    }
    if (t && fc_gait_from_track(t, NULL, &out->gait, &gerr) == 0)
        out->has_gait = 1;
    if (!out->has_pig && !out->has_gait) {
        rc = fc_error_set(err, perr.code ? perr.code : FC_ERR_EMPTY, "%s", perr.msg);
        fc_mocap_free(out);
        return rc;
    }
    size_t n = out->has_pig ? out->pig.n_frames : t->n_frames;
    lean = malloc(n * sizeof *lean);
    buf = malloc(n * sizeof *buf);
    if (!lean || !buf) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu frames", n);
        goto fail;
    }
    long with_trunk = 0;
    for (size_t i = 0; i < n; i++) {
        lean[i] = t && i < t->n_frames && out->has_pig
                      ? trunk_lean_left_deg(&t->frames[i], out->pig.progression)
                      : NAN;
        with_trunk += isfinite(lean[i]);
    }
    out->has_trunk = with_trunk > 0;
    if (out->has_pig &&
        (rc = fc_mocap_squat(&out->pig, t, squat_min_drop_mm, &out->squat, err)) < 0)
        goto fail;
    if (!out->has_gait || out->gait.n_events == 0) {
        free(lean);
        free(buf);
        return 0;
    }
    out->strides = calloc(out->gait.n_events, sizeof *out->strides);
    if (!out->strides) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for strides");
        goto fail;
    }
    for (size_t i = 0; i < out->gait.n_events; i++) {
        const struct fc_gait_event *e = &out->gait.events[i];
        if (e->kind != FC_GAIT_FOOT_STRIKE || e->frame >= n)
            continue;
        enum fc_side me = e->side, other = (enum fc_side)(1 - me);
        long next = next_event(&out->gait, me, FC_GAIT_FOOT_STRIKE, e->frame, (size_t)-1);
        size_t limit = next >= 0 ? (size_t)next : n;
        long fo = next_event(&out->gait, me, FC_GAIT_FOOT_OFF, e->frame, limit);
        if (fo < 0 || (size_t)fo >= n)
            continue;
        long fo_o = next_event(&out->gait, other, FC_GAIT_FOOT_OFF, e->frame, (size_t)fo);
        long fs_o =
            fo_o >= 0 ? next_event(&out->gait, other, FC_GAIT_FOOT_STRIKE, (size_t)fo_o, (size_t)fo)
                      : -1;
        struct fc_mocap_stride *s = &out->strides[out->n_strides++];
        s->side = me;
        s->foot_strike = e->frame;
        s->foot_off = (size_t)fo;
        s->next_strike = next >= 0 ? (size_t)next : 0;
        s->t_s = e->t_s;
        if (out->has_pig)
            measure_stride(out, out->has_trunk ? lean : NULL, s, fo_o, fs_o, buf);
        else
            for (int k = 0; k < FC_MOCAP_MEASURE_COUNT; k++)
                s->value[k] = NAN;
    }
    free(lean);
    free(buf);
    return 0;
fail:
    free(lean);
    free(buf);
    fc_mocap_free(out);
    return rc;
}

/* ---- squats ---- */

void fc_mocap_squat_free(struct fc_mocap_squat *s)
{
    if (!s)
        return;
    free(s->reps);
    s->reps = NULL;
    s->n_reps = 0;
}

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* The midpoint of the two sides' centre c at frame i; 0 when missing. */
static int mid_centre(const struct fc_pig_output *o, size_t i, enum fc_pig_centre c, double m[3])
{
    const double *l = fc_pig_centre(o, i, FC_SIDE_LEFT, c),
                 *r = fc_pig_centre(o, i, FC_SIDE_RIGHT, c);
    for (int k = 0; k < 3; k++)
        m[k] = 0.5 * (l[k] + r[k]);
    return isfinite(m[0]) && isfinite(m[1]) && isfinite(m[2]);
}

/* Horizontal distance between the two sides' centre c. */
static double width(const struct fc_pig_output *o, size_t i, enum fc_pig_centre c)
{
    const double *l = fc_pig_centre(o, i, FC_SIDE_LEFT, c),
                 *r = fc_pig_centre(o, i, FC_SIDE_RIGHT, c);
    double d[3] = {l[0] - r[0], l[1] - r[1], l[2] - r[2]};
    double v = dot3(d, o->up);
    return sqrt(fmax(0.0, dot3(d, d) - v * v));
}

/* The thigh (hip centre to knee centre) below horizontal, deg. */
static double thigh_below_deg(const struct fc_pig_output *o, size_t i, enum fc_side s)
{
    const double *h = fc_pig_centre(o, i, s, FC_PIG_HJC), *k = fc_pig_centre(o, i, s, FC_PIG_KJC);
    double d[3] = {k[0] - h[0], k[1] - h[1], k[2] - h[2]};
    double len = sqrt(dot3(d, d));
    /* knee above hip: below parallel, positive */
    return len > 0 ? asin(fmax(-1.0, fmin(1.0, dot3(d, o->up) / len))) * FC_DEG_PER_RAD : NAN;
}

/* Trunk angles (deg): forward (about the progression's Y) and left. */
static void trunk_angles(const struct fc_keypoints *k, const double P[9], double *fwd, double *left)
{
    *fwd = *left = NAN;
    const enum fc_joint pelvis[4] = {FC_JOINT_LEFT_ASIS, FC_JOINT_RIGHT_ASIS, FC_JOINT_LEFT_PSIS,
                                     FC_JOINT_RIGHT_PSIS};
    double base[3] = {0, 0, 0}, top[3], q[3], l[3], r[3];
    for (int i = 0; i < 4; i++) {
        if (!point(k, pelvis[i], q))
            return;
        for (int c = 0; c < 3; c++)
            base[c] += q[c] / 4.0;
    }
    if (!point(k, FC_JOINT_NECK, top)) {
        if (!point(k, FC_JOINT_LEFT_SHOULDER, l) || !point(k, FC_JOINT_RIGHT_SHOULDER, r))
            return;
        for (int c = 0; c < 3; c++)
            top[c] = 0.5 * (l[c] + r[c]);
    }
    double v[3] = {top[0] - base[0], top[1] - base[1], top[2] - base[2]};
    double x = v[0] * P[0] + v[1] * P[3] + v[2] * P[6];
    double y = v[0] * P[1] + v[1] * P[4] + v[2] * P[7];
    double z = v[0] * P[2] + v[1] * P[5] + v[2] * P[8];
    *fwd = atan2(x, z) * FC_DEG_PER_RAD;
    *left = atan2(y, z) * FC_DEG_PER_RAD;
}

/* The next rep from frame *i of the hip height h: from a highest point, a
 * fall of at least min_drop to the lowest point, then a rise of at least
 * half that to the highest point before the next fall. 0 with start,
 * bottom, end set (and *i moved to end); -1 when there is none. */
static int next_rep(const double *h, size_t n, double min_drop, size_t *i, size_t se[3])
{
    double top = -INFINITY;
    size_t s0 = *i, bottom = SIZE_MAX, k = *i;
    for (; k < n; k++) {
        if (!isfinite(h[k]))
            continue;
        if (bottom == SIZE_MAX) {
            if (h[k] > top)
                top = h[k], s0 = k;
            else if (top - h[k] >= min_drop)
                bottom = k;
        } else if (h[k] < h[bottom]) {
            bottom = k;
        } else if (h[k] - h[bottom] >= min_drop) {
            break;
        }
    }
    if (bottom == SIZE_MAX)
        return -1;
    size_t e = bottom;
    for (k = bottom; k < n; k++) {
        if (!isfinite(h[k]))
            continue;
        if (h[k] >= h[e])
            e = k;
        else if (h[e] - h[k] >= min_drop)
            break;
    }
    if (h[e] - h[bottom] < 0.5 * min_drop)
        return -1; /* the recording ends at the bottom: not a whole rep */
    se[0] = s0, se[1] = bottom, se[2] = e;
    *i = e;
    return 0;
}

/* The leading foot: the ankle centre ahead along the progression. */
static int leading_side(const struct fc_pig_output *o, size_t i)
{
    const double *P = o->progression;
    const double *al = fc_pig_centre(o, i, FC_SIDE_LEFT, FC_PIG_AJC);
    const double *ar = fc_pig_centre(o, i, FC_SIDE_RIGHT, FC_PIG_AJC);
    double ahead = (al[0] - ar[0]) * P[0] + (al[1] - ar[1]) * P[3] + (al[2] - ar[2]) * P[6];
    if (!(fabs(ahead) > lead_min_mm))
        return -1;
    return ahead > 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
}

/* Single-leg work: the foot on the ground when the other ankle centre is
 * lifted_min_mm higher; -1 when both are down. */
static int stance_side(const struct fc_pig_output *o, size_t i)
{
    const double *al = fc_pig_centre(o, i, FC_SIDE_LEFT, FC_PIG_AJC);
    const double *ar = fc_pig_centre(o, i, FC_SIDE_RIGHT, FC_PIG_AJC);
    double higher = dot3(al, o->up) - dot3(ar, o->up);
    if (!(fabs(higher) > lifted_min_mm))
        return -1;
    return higher > 0 ? FC_SIDE_RIGHT : FC_SIDE_LEFT;
}

static void measure_rep(const struct fc_pig_output *o, const struct fc_pose_track *t,
                        struct fc_mocap_rep *r)
{
    size_t b = r->bottom;
    double hm[3], km[3];
    r->depth_mm = mid_centre(o, b, FC_PIG_HJC, hm) && mid_centre(o, b, FC_PIG_KJC, km)
                      ? dot3(hm, o->up) - dot3(km, o->up)
                      : NAN;
    r->depth_deg =
        0.5 * (thigh_below_deg(o, b, FC_SIDE_LEFT) + thigh_below_deg(o, b, FC_SIDE_RIGHT));
    r->knee_flexion_deg = 0.5 * (fc_pig_angle(o, b, FC_SIDE_LEFT, FC_PIG_KNEE)[0] +
                                 fc_pig_angle(o, b, FC_SIDE_RIGHT, FC_PIG_KNEE)[0]);
    r->knee_sep_pct = 100.0 * width(o, b, FC_PIG_KJC) / width(o, b, FC_PIG_AJC);
    r->leading_side = leading_side(o, b);
    r->stance_side = stance_side(o, b);
    r->pelvic_drop_deg = NAN;
    if (r->stance_side >= 0) {
        enum fc_side free_side = r->stance_side == FC_SIDE_LEFT ? FC_SIDE_RIGHT : FC_SIDE_LEFT;
        for (size_t k = r->start; k <= r->end; k++) {
            double v = -fc_pig_angle(o, k, free_side, FC_PIG_PELVIS)[1];
            if (isfinite(v) && !(v <= r->pelvic_drop_deg))
                r->pelvic_drop_deg = v;
        }
    }
    for (int sd = 0; sd < 2; sd++) {
        r->knee_valgus_deg[sd] = NAN;
        for (size_t k = r->start; k <= r->end; k++) {
            double v = -fc_pig_angle(o, k, (enum fc_side)sd, FC_PIG_KNEE)[1];
            if (isfinite(v) && !(v <= r->knee_valgus_deg[sd]))
                r->knee_valgus_deg[sd] = v;
        }
    }
    double fwd, left;
    r->trunk_forward_deg = r->trunk_lateral_deg = NAN;
    if (!t || b >= t->n_frames)
        return;
    trunk_angles(&t->frames[b], o->progression, &fwd, &left);
    r->trunk_forward_deg = fwd;
    for (size_t k = r->start; k <= r->end && k < t->n_frames; k++) {
        trunk_angles(&t->frames[k], o->progression, &fwd, &left);
        if (isfinite(left) && !(fabs(left) <= r->trunk_lateral_deg))
            r->trunk_lateral_deg = fabs(left);
    }
}

int fc_mocap_squat(const struct fc_pig_output *o, const struct fc_pose_track *t, double min_drop_mm,
                   struct fc_mocap_squat *out, struct fc_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = o->n_frames;
    double *h = malloc((n ? n : 1) * sizeof *h);
    out->reps = calloc(n / 2 + 1, sizeof *out->reps);
    if (!h || !out->reps) {
        free(h);
        fc_mocap_squat_free(out);
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu frames", n);
    }
    for (size_t i = 0; i < n; i++) {
        double m[3];
        h[i] = mid_centre(o, i, FC_PIG_HJC, m) ? dot3(m, o->up) : NAN;
    }
    size_t i = 0, se[3];
    while (i < n && next_rep(h, n, min_drop_mm, &i, se) == 0) {
        struct fc_mocap_rep *r = &out->reps[out->n_reps++];
        r->start = se[0], r->bottom = se[1], r->end = se[2];
        measure_rep(o, t, r);
    }
    free(h);
    return 0;
}
