/* formcheck: the streaming biomechanics analyzer (analysis/analyzer.h): the
 * orchestration of its parts.
 *
 * Layout of the work per frame (fc_analyzer_push):
 *   1. which joints are seen (score >= min_score, finite coordinates);
 *   2. before the standing baseline is locked: the frame goes to the
 *      baseline (analysis/baseline.h), which watches for the first movement
 *      and says when to lock;
 *   3. the metrics of the view's plane only (analysis/frame_metrics.h),
 *      measured in the baseline's own axes: U (up, camera roll removed),
 *      L (the subject's right hip -> left hip), F (the way the subject faces);
 *   4. while the exercise is AUTO, its inference (analysis/signal.h);
 *   5. the smoothed metrics (analysis/peaks.h) and the session statistics
 *      (analysis/summary.h);
 *   6. the exercise's movement signal through the hysteresis rep detector
 *      (analysis/reps.h), and the low-confidence stretches
 *      (analysis/lowconf.h).
 * Every part's state lives in struct fc_analyzer (analysis/analyzer_internal.h),
 * allocated once in create; push does no allocation, no I/O and keeps to
 * float arithmetic on flat arrays. The offline two-pass is in offline.c. */
#include "analysis/analyzer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer_internal.h"
#include "analysis/frame_metrics.h"
#include "analysis/skeleton.h"
#include "analysis/tuning.h"

/* ---- parameters, create, free ------------------------------------------ */

struct fc_analyzer_params fc_analyzer_default_params(void)
{
    return (struct fc_analyzer_params){
        .exercise = FC_EXERCISE_AUTO,
        .view = FC_VIEW_AUTO,
        .min_score = DEFAULT_MIN_SCORE,
        .baseline_min_s = DEFAULT_BASELINE_MIN_S,
        .max_reps = DEFAULT_MAX_REPS,
        .peak_window_s = DEFAULT_PEAK_WINDOW_S,
        .markers = 0,
    };
}

static int check_params(const struct fc_analyzer_params *p, struct fc_error *err)
{
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
    return 0;
}

int fc_analyzer_create(struct fc_analyzer **out, const struct fc_analyzer_params *p,
                       struct fc_error *err)
{
    *out = NULL;
    struct fc_analyzer_params d = fc_analyzer_default_params();
    if (!p)
        p = &d;
    int rc = check_params(p, err);
    if (rc < 0)
        return rc;
    struct fc_rep *reps = NULL;
    struct fc_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        goto nomem;
    if (p->max_reps) {
        reps = calloc(p->max_reps, sizeof *reps);
        if (!reps)
            goto nomem;
    }
    a->p = *p;
    fc_body_ref_init(&a->ref, p->view);
    fc_baseline_init(&a->base, p->baseline_min_s);
    fc_auto_init(&a->guess);
    a->guess.no_gait = p->auto_no_gait;
    fc_reps_init(&a->reps, p->exercise, reps, p->max_reps);
    a->reps.ref = &a->ref;
    fc_summary_init(&a->summary);
    fc_lowconf_init(&a->lowconf);
    *out = a;
    return 0;
nomem:
    free(reps);
    free(a);
    return fc_error_set(err, FC_ERR_NOMEM, "analyzer: out of memory for %zu reps", p->max_reps);
}

void fc_analyzer_free(struct fc_analyzer *a)
{
    if (!a)
        return;
    free(a->reps.reps);
    free(a);
}

/* ---- what is measured --------------------------------------------------- */

/* The metrics the view (and the exercise) support; the smoothing starts
 * afresh for them. */
static void set_measurable(struct fc_analyzer *a)
{
    struct fc_metric_set *set = &a->set;
    set->frontal_on = !a->p.markers && a->ref.view == FC_VIEW_FRONT;
    set->sagittal_on = !a->p.markers && a->ref.view == FC_VIEW_SIDE;
    /* The picture from the front sees the knee's bend foreshortened (the
     * thigh points at the camera); the model's world points do not
     * (docs/validity.md, "3-D world landmarks"). */
    set->world_knee = set->frontal_on && a->world_seen;
    set->n_active = 0;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        enum fc_metric_plane pl = fc_metric_info((enum fc_metric)m)->plane;
        int on = pl == FC_PLANE_FRONTAL    ? set->frontal_on
                 : pl == FC_PLANE_SAGITTAL ? set->sagittal_on
                                           : 1; /* 3-D: counted when set_pelvis_3d feeds it */
        if ((m == FC_M_KNEE_FLEXION_LEFT || m == FC_M_KNEE_FLEXION_RIGHT) && set->world_knee)
            on = 1;
        if (m == FC_M_HIP_DROP && a->reps.cfg.stance == STANCE_NONE)
            on = 0; /* two-legged work (or AUTO not yet decided): no unsupported side */
        if ((m == FC_M_KNEE_ANKLE_SEP || m == FC_M_KNEE_MEDIAL_LEFT ||
             m == FC_M_KNEE_MEDIAL_RIGHT || m == FC_M_HIP_OVER_BASE) &&
            !fc_exercise_bilateral_squat(a->reps.exercise))
            on = 0; /* knees and hips against the feet: both feet planted, side by side */
        if ((m == FC_M_ARM_FORWARD || m == FC_M_WRIST_AHEAD) &&
            a->reps.exercise != FC_EXERCISE_OVERHEAD_SQUAT)
            on = 0; /* the arms held up overhead */
        if ((m == FC_M_HEEL_RISE || m == FC_M_FEET_TURN_OUT || m == FC_M_KNEE_INSIDE_TOE) &&
            !fc_exercise_bilateral_squat(a->reps.exercise))
            on = 0; /* the feet flat and side by side while the hips go down */
        const struct fc_metric_info *mi = fc_metric_info((enum fc_metric)m);
        set->beyond_turn[m] = on && pl == FC_PLANE_FRONTAL && mi->turn_max_deg > 0 &&
                              a->ref.yaw_deg > mi->turn_max_deg;
        if (set->beyond_turn[m])
            on = 0; /* the turn's own error would reach the fault level */
        set->measurable[m] = (unsigned char)on;
        if (on && pl != FC_PLANE_3D)
            set->active[set->n_active++] = m;
    }
    fc_peaks_reset(&a->peaks);
}

/* Locks the baseline: the subject's reference, the peak window from the
 * frame rate seen so far, the metrics the view supports. */
static void lock(struct fc_analyzer *a, int has_baseline)
{
    a->locked = 1;
    a->has_baseline = has_baseline;
    fc_baseline_lock(&a->base, a->p.view, &a->ref);
    double dt = a->ref_dt > 0 ? a->ref_dt : fc_baseline_frame_step(&a->base);
    fc_peaks_set_window(&a->peaks, a->p.peak_window_s, dt);
    set_measurable(a);
}

void fc_analyzer_lock_on(struct fc_analyzer *a, const struct fc_pose_track *t, const size_t *idx,
                         size_t n, double dt, int has_ref)
{
    size_t step = (n + BASE_CAP - 1) / BASE_CAP;
    for (size_t q = 0; q < n && a->base.n < BASE_CAP; q += step) {
        const struct fc_keypoints *k = &t->frames[idx[q]];
        a->world_seen |= k->world;
        fc_baseline_store(&a->base, k, seen_mask_all(k, a->p.min_score));
    }
    a->base.started = 1;
    a->base.t0 = t->frames[idx[0]].t_s;
    a->base.last_t = t->frames[idx[n - 1]].t_s;
    a->ref_dt = dt;
    lock(a, has_ref);
    a->reps.reps_off = !has_ref;
    fc_reps_restart(&a->reps, t->frames[0].t_s);
}

/* ---- tracking ------------------------------------------------------------ */

/* The joints the exercise needs in this view, as a mask. */
static uint32_t needed_joints(const struct fc_analyzer *a)
{
    if (!a->locked || a->ref.view == FC_VIEW_OBLIQUE || a->ref.view == FC_VIEW_AUTO)
        return 0; /* any side will do: see tracked_frame */
    if (a->ref.view == FC_VIEW_FRONT)
        return BIT(LS) | BIT(RS) | BIT(LH) | BIT(RH) | BIT(LK) | BIT(RK) | BIT(LA) | BIT(RA);
    int n = a->ref.near_side;
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

/* The view's joints all seen (any view: shoulder, hip, knee and ankle,
 * each on at least one side), and none implausible. */
static int tracked_frame(const struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m)
{
    uint32_t need = needed_joints(a);
    int seen = need ? HAS(m, need)
                    : (m & (BIT(LS) | BIT(RS))) && (m & (BIT(LH) | BIT(RH))) &&
                          (m & (BIT(LK) | BIT(RK))) && (m & (BIT(LA) | BIT(RA)));
    return seen && !implausible_frame(k);
}

/* ---- 3-D input ------------------------------------------------------------ */

void fc_analyzer_set_pelvis_3d(struct fc_analyzer *a, const struct fc_pelvis_angles *left)
{
    if (!left)
        return;
    struct fc_pelvis_in *in = &a->p3d;
    in->angles[0] = (float)left->tilt_deg;
    in->angles[1] = (float)left->obliquity_deg;
    in->angles[2] = (float)left->rotation_deg;
    in->pending = !(isnan(in->angles[0]) && isnan(in->angles[1]) && isnan(in->angles[2]));
    in->any |= in->pending;
}

/* ---- push ------------------------------------------------------------ */

/* Every frame: the counters, an empty record, the 3-D angles fed for it. */
static void begin_frame(struct fc_analyzer *a, double t, struct fc_frame_metrics *out)
{
    if (a->n_frames == 0)
        a->t_first = t;
    a->n_frames++;
    a->t_last = t;
    out->t_s = t;
    out->rep = -1;
    out->stance = -1;
    out->out_of_plane = 0;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        out->value[m] = NAN;
    if (a->p3d.pending) {
        out->value[FC_M_PELVIS_TILT_3D] = a->p3d.angles[0];
        out->value[FC_M_PELVIS_OBLIQUITY_3D] = a->p3d.angles[1];
        out->value[FC_M_PELVIS_ROTATION_3D] = a->p3d.angles[2];
    }
}

/* Every frame: tracking, low confidence, the 3-D statistics. */
static void end_frame(struct fc_analyzer *a, struct fc_frame_metrics *out, int tracked)
{
    out->tracked = tracked;
    a->n_tracked += (size_t)tracked;
    fc_lowconf_push(&a->lowconf, tracked, out->t_s);
    fc_summary_add_3d(&a->summary, out->value);
}

/* The arms held up overhead: every wrist seen (at least one) well above its
 * shoulder (AUTO_ARMS_UP_TORSO). */
static int arms_overhead(const struct fc_analyzer *a, const struct fc_keypoints *k)
{
    int up = 0, down = 0;
    for (int s = 0; s < 2; s++) {
        if (!seen1(k, a->p.min_score, wrist_j[s]) || !seen1(k, a->p.min_score, sh_j[s]))
            continue;
        if (wrist_overhead(jp(k, wrist_j[s]), jp(k, sh_j[s]), a->ref.U, a->ref.torso))
            up++;
        else
            down++;
    }
    return up > 0 && down == 0;
}

/* AUTO: the exercise, once the movement says it. */
static void guess_exercise(struct fc_analyzer *a, const struct fc_frame_ctx *f)
{
    int rest;
    enum fc_exercise e = fc_auto_infer(&a->guess, &a->ref, f, &rest);
    if (e == FC_EXERCISE_SQUAT && arms_overhead(a, f->k))
        e = FC_EXERCISE_OVERHEAD_SQUAT;
    if (e != FC_EXERCISE_AUTO) {
        fc_reps_set_exercise(&a->reps, e);
        set_measurable(a);
    } else if (rest) {
        fc_reps_restart(&a->reps, f->t_s);
    }
}

static void measure(const struct fc_analyzer *a, const struct fc_frame_ctx *f, int stance)
{
    struct fc_metric_opts o = {a->reps.exercise,
                               stance,
                               a->set.measurable[FC_M_HIP_DROP],
                               a->set.measurable[FC_M_KNEE_ANKLE_SEP],
                               a->set.measurable[FC_M_ARM_FORWARD],
                               a->p.min_score};
    if (a->set.frontal_on)
        fc_frontal_metrics(&a->ref, &o, f);
    else if (a->set.sagittal_on)
        fc_sagittal_metrics(&a->ref, &o, f);
    if (a->set.world_knee)
        fc_world_knee_flexion(f);
}

/* The feet (when the model gives them), against their own standing posture. */
static void measure_feet(struct fc_analyzer *a, const struct fc_frame_ctx *f)
{
    if (a->set.measurable[FC_M_HEEL_RISE] || a->set.measurable[FC_M_FEET_TURN_OUT] ||
        a->set.measurable[FC_M_KNEE_INSIDE_TOE])
        fc_feet_metrics(&a->feet, &a->ref, f, a->set.frontal_on, a->p.min_score);
}

/* The exercise's signal through the rep detector; closed reps go to the
 * summary. Returns the stance leg, which a step-up learns here. */
static int count_reps(struct fc_analyzer *a, const struct fc_frame_ctx *f, struct fc_rep_input *in,
                      int stance, struct fc_frame_metrics *out)
{
    struct fc_reps *r = &a->reps;
    struct fc_rep closed;
    if (a->guess.first_step) {
        /* Gait was recognised at the end of its first step: that step
         * (the pending frames) is the first rep. */
        a->guess.first_step = 0;
        if (fc_reps_first_step(r, f->t_s, &closed))
            fc_summary_add_rep(&a->summary, &closed);
    }
    in->signal =
        r->reps_off && r->cfg.signal != SIG_BRIDGE ? NAN : fc_movement_signal(&a->ref, &r->cfg, f);
    struct vec mh = {0, 0}, H = {-a->ref.U.y, a->ref.U.x};
    in->hip_h = mid_or_one(f->k, f->seen, LH, RH, &mh) ? vdot(mh, H) : NAN;
    in->stride_sep = r->cfg.signal == SIG_GAIT && a->ref.view == FC_VIEW_SIDE
                         ? fc_stride_separation(&a->ref, f->k, f->seen)
                         : NAN;
    if (fc_reps_push(r, f, in, &closed))
        fc_summary_add_rep(&a->summary, &closed);
    if (r->cfg.stance == STANCE_LEAD_LEG && stance < 0 && r->cur.lead >= 0) {
        stance = r->cur.lead;
        float obl = f->v[FC_M_PELVIC_OBLIQUITY];
        if (a->set.frontal_on && !isnan(obl))
            f->v[FC_M_HIP_DROP] = stance == FC_SIDE_LEFT ? obl : -obl;
    }
    if (r->state == REP_ACTIVE)
        out->rep = (int)r->n;
    return stance;
}

/* Before the lock: the frame goes to the baseline. Returns 1 when the
 * baseline has just locked (this frame is then measured). */
static int baseline_step(struct fc_analyzer *a, const struct fc_keypoints *k, uint32_t m)
{
    enum fc_baseline_verdict v = fc_baseline_push(&a->base, k, m);
    if (v == FC_BASELINE_COLLECTING)
        return 0;
    lock(a, v == FC_BASELINE_STILL);
    /* Reps and their peaks are measured from here on. */
    fc_reps_restart(&a->reps, k->t_s);
    return 1;
}

void fc_analyzer_push(struct fc_analyzer *a, const struct fc_keypoints *k,
                      struct fc_frame_metrics *out)
{
    begin_frame(a, k->t_s, out);
    if (a->p.markers) { /* motion capture: no camera view, only the 3-D angles */
        int tracked = a->p3d.pending;
        a->p3d.pending = 0;
        end_frame(a, out, tracked);
        return;
    }
    a->p3d.pending = 0;
    a->world_seen |= k->world;
    /* After the baseline only the body's eight joints (and toes) matter. */
    uint32_t m = a->locked ? seen_mask_body(k, a->p.min_score) : seen_mask_all(k, a->p.min_score);
    a->n_feet += (m & (TOE_BIT(0) | TOE_BIT(1))) != 0;
    if (!a->locked && !baseline_step(a, k, m)) {
        end_frame(a, out, tracked_frame(a, k, m));
        return;
    }
    struct fc_frame_ctx f = {k,          m, k->t_s,     tracked_frame(a, k, m),
                             {NAN, NAN}, 0, out->value, &out->out_of_plane};
    f.lifts_ok = fc_ankle_lifts(&a->ref, k, m, f.lift);
    if (a->reps.exercise == FC_EXERCISE_AUTO)
        guess_exercise(a, &f);
    int stance = fc_reps_stance(&a->reps, &f);
    measure(a, &f, stance);
    measure_feet(a, &f);
    for (int q = 0; q < FC_METRIC_COUNT; q++)
        if (a->set.beyond_turn[q])
            f.v[q] = NAN;
    float sm[FC_METRIC_COUNT], su[FC_METRIC_COUNT];
    struct fc_rep_input in = {NAN, NAN, NAN, sm, su, 0, a->set.active, a->set.n_active};
    fc_peaks_smooth(&a->peaks, a->set.active, a->set.n_active, f.v, f.t_s, sm, su, &in.t_mid);
    fc_summary_add_frame(&a->summary, a->set.active, a->set.n_active, f.v, out->out_of_plane);
    if (a->reps.exercise == FC_EXERCISE_AUTO)
        fc_reps_pending(&a->reps, &f, &in);
    else
        stance = count_reps(a, &f, &in, stance, out);
    out->stance = stance;
    end_frame(a, out, f.tracked);
}

/* ---- finish ----------------------------------------------------------- */

void fc_analyzer_finish(struct fc_analyzer *a, struct fc_analysis *res)
{
    memset(res, 0, sizeof *res);
    if (!a->locked && a->base.n > 0 && !a->p.markers)
        lock(a, 0);
    if (a->p.markers) {
        a->ref.view = a->ref.view_detected = FC_VIEW_AUTO;
        set_measurable(a);
    }
    /* An unfinished rep counts when it went deep and long enough: a clip
     * that ends while the subject rises from (or still sits at) the bottom
     * has shown that rep's bottom, and the bottom is what is graded. */
    struct fc_rep closed;
    if (fc_reps_finish(&a->reps, a->t_last, &closed))
        fc_summary_add_rep(&a->summary, &closed);
    double dt = a->n_frames > 1 ? (a->t_last - a->t_first) / (double)(a->n_frames - 1) : 0;
    fc_lowconf_finish(&a->lowconf, a->t_last + dt);
    fc_analyzer_snapshot(a, res);
}

void fc_analyzer_snapshot(const struct fc_analyzer *a, struct fc_analysis *res)
{
    memset(res, 0, sizeof *res);
    const struct fc_body_ref *ref = &a->ref;
    double dt = a->n_frames > 1 ? (a->t_last - a->t_first) / (double)(a->n_frames - 1) : 0;
    res->exercise = a->reps.exercise;
    res->view = ref->view;
    res->view_detected = ref->view_detected;
    res->view_from_user = a->p.view != FC_VIEW_AUTO && !a->p.markers;
    res->view_confidence = ref->view_conf;
    res->shoulder_width_ratio = ref->sh_ratio;
    res->body_yaw_deg = ref->yaw_deg;
    res->body_yaw_from_face = ref->yaw_from_face;
    res->camera_roll_deg = a->locked ? ref->roll_deg : NAN;
    res->roll_assumed = a->locked && !a->p.markers && ref->roll_assumed;
    res->roll_estimate_deg = a->locked && !a->p.markers ? ref->roll_estimate_deg : NAN;
    res->has_baseline = a->has_baseline;
    res->no_standing = a->reps.reps_off;
    res->last_rep_cut = a->reps.last_rep_cut;
    res->frames = a->n_frames;
    res->frames_tracked = a->n_tracked;
    res->frames_with_feet = a->n_feet;
    res->duration_s = a->n_frames ? a->t_last - a->t_first + dt : 0;
    res->n_reps = a->reps.n;
    res->n_reps_detailed = a->reps.n < a->reps.max ? a->reps.n : a->reps.max;
    res->reps = a->reps.reps;
    unsigned char measurable[FC_METRIC_COUNT];
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        measurable[m] = (unsigned char)(a->locked && a->set.measurable[m]);
    fc_summary_fill(&a->summary, measurable, a->p3d.any, res);
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        res->metric[m].beyond_turn = a->locked && a->set.beyond_turn[m];
    for (int s = 0; s < 2; s++)
        res->metric[FC_M_KNEE_FLEXION_LEFT + s].from_world = a->locked && a->set.world_knee;
    res->n_low_confidence = a->lowconf.n;
    memcpy(res->low_confidence, a->lowconf.s, sizeof res->low_confidence);
    res->low_confidence_s = a->lowconf.total_s;
}
