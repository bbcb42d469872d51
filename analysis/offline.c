/* formcheck: the offline analysis of a whole track (fc_analyze_track,
 * analysis/analyzer.h): a zero-lag low-pass of the keypoints, implausible
 * joints dropped, then the streaming analyzer run once as it would run
 * live and, when the session did not open with a good reference posture,
 * a second time against the frames where the subject stood (or lay) at
 * rest anywhere in the session. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/analyzer_internal.h"
#include "analysis/filter.h"
#include "analysis/posture.h"
#include "analysis/skeleton.h"
#include "analysis/tuning.h"

/* Marks joints far from their low-passed path as not seen in the filtered
 * copy (see JITTER_TORSO). scratch holds n floats. */
static void drop_jitter(const struct fc_pose_track *raw, struct fc_keypoints *filt, size_t n,
                        float min_score, float *scratch)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        struct vec P[FC_COCO17_COUNT];
        fc_frame_skeleton(&filt[i], min_score, P);
        float tl = fc_skeleton_torso(P);
        if (tl > 0)
            scratch[m++] = tl;
    }
    if (m == 0)
        return;
    qsort(scratch, m, sizeof *scratch, fc_cmp_float);
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

/* Scratch for the choice of a reference, n_frames of each. */
struct ref_scratch {
    size_t *idx;
    float *h, *sorted;
    unsigned char *cls;
};

enum { CLS_BODY = 1, CLS_LYING = 2, CLS_UPRIGHT = 4 };

/* Classifies every frame (a body seen, lying, upright); returns whether the
 * session is lying work and sets *want to the class to take frames from. */
static int classify_frames(const struct fc_pose_track *t, const struct fc_analyzer_params *p,
                           unsigned char *cls, unsigned char *want)
{
    size_t n = t->n_frames, n_body = 0, n_lying = 0, n_upright = 0;
    for (size_t i = 0; i < n; i++) {
        struct vec P[FC_COCO17_COUNT];
        fc_frame_skeleton(&t->frames[i], p->min_score, P);
        unsigned char c = 0;
        if (vseen(pair_mid(P, LS, RS)) && vseen(pair_mid(P, LH, RH)) &&
            vseen(pair_mid(P, LA, RA))) {
            c = CLS_BODY;
            c |= fc_skeleton_lying(P) ? CLS_LYING : 0;
            c |= fc_skeleton_upright(P) ? CLS_UPRIGHT : 0;
        }
        cls[i] = c;
        n_body += (c & CLS_BODY) != 0;
        n_lying += (c & CLS_LYING) != 0;
        n_upright += (c & CLS_UPRIGHT) != 0;
    }
    int lying = p->exercise == FC_EXERCISE_GLUTE_BRIDGE ||
                (p->exercise == FC_EXERCISE_AUTO && 2 * n_lying > n_body);
    *want = lying ? CLS_LYING : n_upright >= REF_MIN_FRAMES ? CLS_UPRIGHT : CLS_BODY;
    return lying;
}

/* The reference posture from the whole session, for when the session does
 * not open with one (the subject already moving, holding a squat, or at the
 * top of a bridge). Standing work: the frames where the body stands upright
 * with the hip at its highest (its lowest for step-ups, whose top is on the
 * box), within REF_BAND of the extreme; with no upright frame at all, the
 * highest hip anyway (*has_ref = 0: a best guess). Lying work: the hips at
 * their lowest. Fills s->idx with frame indices and returns their count. */
static size_t choose_reference(const struct fc_pose_track *t, const struct fc_analyzer_params *p,
                               struct ref_scratch *s, int *has_ref)
{
    size_t n = t->n_frames;
    unsigned char want;
    int lying = classify_frames(t, p, s->cls, &want);
    *has_ref = lying || want == CLS_UPRIGHT;
    size_t q = 0;
    for (size_t i = 0; i < n; i++) {
        s->h[i] = NAN;
        if (!(s->cls[i] & want) || (!lying && (s->cls[i] & CLS_LYING)))
            continue;
        struct vec P[FC_COCO17_COUNT];
        fc_frame_skeleton(&t->frames[i], p->min_score, P);
        s->h[i] = fc_reference_height(P, lying);
        if (!isnan(s->h[i]))
            s->sorted[q++] = s->h[i];
    }
    if (q < REF_MIN_FRAMES)
        return 0;
    qsort(s->sorted, q, sizeof *s->sorted, fc_cmp_float);
    int low = lying || p->exercise == FC_EXERCISE_STEP_UP;
    float edge = low ? s->sorted[q / REF_OUTLIER_DIV] + (lying ? REF_BAND_LYING : REF_BAND)
                     : s->sorted[q - 1 - q / REF_OUTLIER_DIV] - REF_BAND;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(s->h[i]) && (low ? s->h[i] <= edge : s->h[i] >= edge))
            s->idx[k++] = i;
    return k;
}

/* 1 when the first pass's reference (the streaming baseline) is a good one:
 * a still phase, upright (or lying at rest, the hips down). */
static int reference_ok(const struct fc_analyzer *a, const struct fc_pose_track *t,
                        const struct fc_analyzer_params *p, float *h)
{
    if (!a->locked || !a->has_baseline)
        return 0;
    if (p->exercise == FC_EXERCISE_GLUTE_BRIDGE || a->ref.lying) {
        if (!a->ref.lying)
            return 0;
        /* At rest: within the band of the session's lowest hips. */
        size_t q = 0;
        for (size_t i = 0; i < t->n_frames; i++) {
            struct vec P[FC_COCO17_COUNT];
            fc_frame_skeleton(&t->frames[i], p->min_score, P);
            if (fc_skeleton_lying(P)) {
                float v = fc_reference_height(P, 1);
                if (!isnan(v))
                    h[q++] = v;
            }
        }
        if (q < REF_MIN_FRAMES)
            return 1;
        qsort(h, q, sizeof *h, fc_cmp_float);
        return a->ref.ref_height <= h[q / REF_OUTLIER_DIV] + REF_BAND_LYING;
    }
    return a->ref.ref_upright;
}

/* One pass of the analyzer over every frame. With idx, the baseline is
 * locked on those frames first. */
struct pass {
    const struct fc_pose_track *src;
    const struct fc_analyzer_params *p;
    const struct fc_pelvis_angles *pelvis; /* markers: per frame, else NULL */
    double dt;
};

static int analyze_pass(const struct pass *ps, const size_t *idx, size_t n_idx, int has_ref,
                        struct fc_frame_metrics *fm, struct fc_analysis *res,
                        struct fc_analyzer **a_out, struct fc_error *err)
{
    struct fc_analyzer *a;
    int rc = fc_analyzer_create(&a, ps->p, err);
    if (rc < 0)
        return rc;
    if (idx)
        fc_analyzer_lock_on(a, ps->src, idx, n_idx, ps->dt, has_ref);
    for (size_t i = 0; i < ps->src->n_frames; i++) {
        if (ps->pelvis)
            fc_analyzer_set_pelvis_3d(a, &ps->pelvis[i]);
        fc_analyzer_push(a, &ps->src->frames[i], &fm[i]);
    }
    fc_analyzer_finish(a, res);
    *a_out = a;
    return 0;
}

/* The zero-lag low-pass of a copy of t into *frames (allocated here), with
 * joints below min_score as gaps, so a low-confidence guess never bleeds
 * into its neighbours; then the implausible joints dropped. */
static int filter_copy(const struct fc_pose_track *t, const struct fc_analyzer_params *pp,
                       double cutoff_hz, struct fc_pose_track *copy,
                       struct fc_keypoints **frames_out, float *scratch, struct fc_error *err)
{
    struct fc_keypoints *frames = malloc(t->n_frames * sizeof *frames);
    *frames_out = frames;
    if (!frames)
        return fc_error_set(err, FC_ERR_NOMEM, "analysis: out of memory for %zu frames",
                            t->n_frames);
    memcpy(frames, t->frames, t->n_frames * sizeof *frames);
    for (size_t i = 0; i < t->n_frames; i++)
        for (int j = 0; j < FC_JOINT_COUNT; j++)
            if (!(frames[i].score[j] >= pp->min_score)) {
                frames[i].score[j] = 0;
                frames[i].x[j] = frames[i].y[j] = frames[i].z[j] = NAN;
            }
    *copy = *t;
    copy->frames = frames;
    copy->cap = t->n_frames;
    copy->labels = NULL;
    int rc = fc_track_lowpass(copy, cutoff_hz, err);
    if (rc < 0)
        return rc;
    if (!pp->markers && t->dims == 2)
        drop_jitter(t, frames, t->n_frames, pp->min_score, scratch);
    return 0;
}

/* First pass: the streaming analyzer as it would run live. When the
 * session did not open with a good reference posture, a second pass takes
 * it from wherever in the session the subject stood (or lay) at rest, and
 * measures every frame against that. */
static int two_passes(const struct pass *ps, struct ref_scratch *s, struct fc_frame_metrics *fm,
                      struct fc_analysis *res, struct fc_analyzer **a_out, struct fc_error *err)
{
    struct fc_analyzer *a = NULL;
    int rc = analyze_pass(ps, NULL, 0, 0, fm, res, &a, err);
    if (rc < 0)
        return rc;
    if (!ps->p->markers && a->locked && !reference_ok(a, ps->src, ps->p, s->h)) {
        int has_ref;
        size_t n_ref = choose_reference(ps->src, ps->p, s, &has_ref);
        if (n_ref >= REF_MIN_FRAMES) {
            fc_analyzer_free(a);
            a = NULL;
            rc = analyze_pass(ps, s->idx, n_ref, has_ref, fm, res, &a, err);
            if (rc < 0)
                return rc;
        }
    }
    *a_out = a;
    return 0;
}

/* A hip lowered by a tenth of the leg and raised again: walking never does
 * that, so it names the exercise over any step taken around it. */
static int hip_lowering_exercise(enum fc_exercise e)
{
    switch (e) {
    case FC_EXERCISE_SQUAT:
    case FC_EXERCISE_OVERHEAD_SQUAT:
    case FC_EXERCISE_LUNGE:
    case FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT:
    case FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT: return 1;
    default: return 0;
    }
}

/* AUTO decides at the first clear movement, which in a recording is often
 * the walk to the bar or the mat. When that made it gait, a second look
 * with steps ignored: if the session holds a squat, lunge or single-leg
 * squat with at least one rep, that is the exercise and the steps were the
 * walk in and out. fm2 holds n frames. */
static int second_look(const struct pass *ps, struct ref_scratch *s, struct fc_frame_metrics *fm,
                       struct fc_frame_metrics *fm2, struct fc_analysis *res,
                       struct fc_analyzer **a, struct fc_error *err)
{
    struct fc_analyzer_params p2 = *ps->p;
    p2.auto_no_gait = 1;
    struct pass ps2 = *ps;
    ps2.p = &p2;
    struct fc_analysis res2;
    struct fc_analyzer *a2 = NULL;
    int rc = two_passes(&ps2, s, fm2, &res2, &a2, err);
    if (rc < 0)
        return rc;
    if (hip_lowering_exercise(res2.exercise) && res2.n_reps > 0) {
        fc_analyzer_free(*a);
        *a = a2;
        *res = res2;
        memcpy(fm, fm2, ps->src->n_frames * sizeof *fm);
    } else {
        fc_analyzer_free(a2);
    }
    return 0;
}

int fc_analyze_track(const struct fc_pose_track *t, const struct fc_analyzer_params *p,
                     int zero_lag, double cutoff_hz, struct fc_frame_metrics **frames_out,
                     struct fc_analysis *res, struct fc_analyzer **a_out, struct fc_error *err)
{
    struct fc_analyzer_params pp = p ? *p : fc_analyzer_default_params();
    struct fc_pose_track copy;
    struct fc_keypoints *frames = NULL;
    struct fc_pelvis_angles *pelvis = NULL;
    struct fc_frame_metrics *fm = NULL, *fm2 = NULL;
    struct ref_scratch s = {0};
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

    s.idx = malloc(t->n_frames * sizeof *s.idx);
    s.h = malloc(t->n_frames * sizeof *s.h);
    s.sorted = malloc(t->n_frames * sizeof *s.sorted);
    s.cls = malloc(t->n_frames);
    if (!s.idx || !s.h || !s.sorted || !s.cls)
        goto nomem;
    const struct fc_pose_track *src = t;
    if (zero_lag) {
        rc = filter_copy(t, &pp, cutoff_hz, &copy, &frames, s.h, err);
        if (rc < 0)
            goto fail;
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
    struct pass ps = {src, &pp, pelvis, dt};
    rc = two_passes(&ps, &s, fm, res, a_out, err);
    if (rc < 0)
        goto fail;
    if (pp.exercise == FC_EXERCISE_AUTO && res->exercise == FC_EXERCISE_GAIT && !pp.markers) {
        fm2 = malloc(t->n_frames * sizeof *fm2);
        if (!fm2)
            goto nomem;
        rc = second_look(&ps, &s, fm, fm2, res, a_out, err);
        if (rc < 0) {
            fc_analyzer_free(*a_out);
            *a_out = NULL;
            goto fail;
        }
    }
    *frames_out = fm;
    fm = NULL;
    goto done;
nomem:
    rc = fc_error_set(err, FC_ERR_NOMEM, "analysis: out of memory for %zu frames", t->n_frames);
fail:
    free(fm);
done:
    free(fm2);
    free(frames);
    free(pelvis);
    free(s.idx);
    free(s.h);
    free(s.sorted);
    free(s.cls);
    return rc;
}
