/* The offline analysis of recordings that do not start and end neatly, as
 * real clips do, reproduced with the synthetic subject (import/synth.h) whose
 * reps, depth and camera are known: a clip that opens at the bottom of a
 * rep and ends on the way down into another, a held squat with no upright
 * frame, a camera rolled past what a phone plausibly stands at, and a clip
 * at 5 frames a second. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "core/units.h"
#include "import/synth.h"

static struct fc_error err;

/* The frames of src between t0 and t1 (seconds), times kept. */
static void cut(const struct fc_pose_track *src, double t0, double t1, struct fc_pose_track *dst)
{
    fc_pose_track_init(dst, src->skeleton, src->units, src->dims);
    dst->width = src->width, dst->height = src->height, dst->rate_hz = src->rate_hz;
    dst->time_from_source = src->time_from_source;
    for (size_t i = 0; i < src->n_frames; i++) {
        if (src->frames[i].t_s < t0 || src->frames[i].t_s > t1)
            continue;
        struct fc_keypoints *k = fc_pose_track_push(dst, &err);
        cr_assert_not_null(k, "%s", err.msg);
        *k = src->frames[i];
    }
}

static void generate(struct fc_synth_params *p, struct fc_pose_track *t)
{
    cr_assert_eq(fc_synth_generate(p, t, &err), 0, "%s", err.msg);
}

struct run {
    struct fc_frame_metrics *fm;
    struct fc_analysis res;
    struct fc_analyzer *a;
};

static void analyse(const struct fc_pose_track *t, enum fc_exercise e, struct run *r)
{
    struct fc_analyzer_params p = fc_analyzer_default_params();
    p.exercise = e;
    cr_assert_eq(fc_analyze_track(t, &p, 1, 6.0, &r->fm, &r->res, &r->a, &err), 0, "%s", err.msg);
}

static void done(struct run *r)
{
    free(r->fm);
    fc_analyzer_free(r->a);
}

Test(analyzer_offline, opens_at_a_bottom_and_ends_on_the_way_down)
{
    /* Side-view squats to 110 deg of knee flexion. The clip opens 0.3 s
     * before the bottom of rep 1 and ends 85% of the way down into rep 5:
     * the bottom of rep 1 is in view, reached after more than half the
     * required descent (it counts), reps 2-4 are whole, rep 5 counts
     * without peaks. The standing reference comes from the upright frames
     * between reps, so the depth of reps 2-4 is measured as injected. */
    struct fc_synth_params p = fc_synth_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    p.view = FC_VIEW_SIDE;
    p.faults.knee_flexion_deg = 110;
    struct fc_pose_track whole, t;
    generate(&p, &whole);
    double b1 = fc_synth_rep_bottom_s(&p, 0), b5 = fc_synth_rep_bottom_s(&p, 4);
    double start5 = b5 - p.rep_s / 2;
    cut(&whole, b1 - 0.3, start5 + 0.85 * (b5 - start5), &t);
    struct run r;
    analyse(&t, FC_EXERCISE_SQUAT, &r);
    cr_expect_eq(r.res.n_reps, 5u);
    cr_expect(r.res.last_rep_cut);
    cr_expect(!r.res.no_standing);
    cr_expect_float_eq(r.res.reps[0].t_bottom_s, b1, 0.2);
    for (int q = 1; q <= 3; q++)
        cr_expect_float_eq(r.res.reps[q].peak[FC_M_KNEE_FLEXION_LEFT], 110.0, 1.0,
                           "rep %d: knee flexion %.1f", q + 1,
                           r.res.reps[q].peak[FC_M_KNEE_FLEXION_LEFT]);
    cr_expect(isnan(r.res.reps[4].peak[FC_M_KNEE_FLEXION_LEFT]), "the cut rep has no peaks");
    done(&r);
    fc_pose_track_free(&t);
    fc_pose_track_free(&whole);
}

Test(analyzer_offline, a_held_squat_has_no_standing_and_no_reps)
{
    /* Only the lowest 0.6 s of one deep rep: never upright. */
    struct fc_synth_params p = fc_synth_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    p.view = FC_VIEW_SIDE;
    struct fc_pose_track whole, t;
    generate(&p, &whole);
    double b = fc_synth_rep_bottom_s(&p, 1);
    cut(&whole, b - 0.3, b + 0.3, &t);
    struct run r;
    analyse(&t, FC_EXERCISE_SQUAT, &r);
    cr_expect(r.res.no_standing);
    cr_expect(!r.res.has_baseline);
    cr_expect_eq(r.res.n_reps, 0u);
    done(&r);
    fc_pose_track_free(&t);
    fc_pose_track_free(&whole);
}

Test(analyzer_offline, camera_roll_past_what_a_phone_stands_at_is_not_believed)
{
    /* A body leaning 25 deg in the picture reads as a camera roll of 25
     * deg; phones stand within a few degrees of level, so formcheck takes
     * the camera as level, says so, and keeps the estimate. 7 deg is
     * believed. */
    const double rolls[2] = {25.0, 7.0};
    for (int i = 0; i < 2; i++) {
        struct fc_synth_params p = fc_synth_default_params();
        p.exercise = FC_EXERCISE_SQUAT;
        p.view = FC_VIEW_FRONT;
        p.camera_roll_deg = rolls[i];
        struct fc_pose_track t;
        generate(&p, &t);
        struct run r;
        analyse(&t, FC_EXERCISE_SQUAT, &r);
        cr_expect_float_eq(r.res.roll_estimate_deg, rolls[i], 0.5, "roll %g: estimate %.2f",
                           rolls[i], r.res.roll_estimate_deg);
        if (i == 0) {
            cr_expect(r.res.roll_assumed);
            cr_expect_float_eq(r.res.camera_roll_deg, 0.0, 1e-9);
        } else {
            cr_expect(!r.res.roll_assumed);
            cr_expect_float_eq(r.res.camera_roll_deg, 7.0, 0.5);
        }
        cr_expect_eq(r.res.n_reps, 5u);
        done(&r);
        fc_pose_track_free(&t);
    }
}

Test(analyzer_offline, five_frames_a_second_is_analysed_unfiltered)
{
    /* At 5 fps nothing lies above a 6 Hz cut-off (Nyquist 2.5 Hz): the
     * low-pass is skipped, not run unstable, and the reps are all found
     * with their depth. Slow reps (3 s) so that each has frames near its
     * bottom. */
    struct fc_synth_params p = fc_synth_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    p.view = FC_VIEW_SIDE;
    p.rate_hz = 5;
    p.rep_s = 3.0;
    p.faults.knee_flexion_deg = 100;
    struct fc_pose_track t;
    generate(&p, &t);
    struct run r;
    analyse(&t, FC_EXERCISE_SQUAT, &r);
    cr_expect_eq(r.res.n_reps, 5u);
    for (size_t q = 0; q < r.res.n_reps && q < 5; q++) {
        float k = r.res.reps[q].peak[FC_M_KNEE_FLEXION_LEFT];
        /* the frame nearest the bottom is at most 0.1 s away from it */
        cr_expect(k > 95.0f && k <= 100.5f, "rep %zu: knee flexion %.1f", q + 1, k);
    }
    done(&r);
    fc_pose_track_free(&t);
}

/* src appended to dst, its times shifted to follow dst's last frame. */
static void append(struct fc_pose_track *dst, const struct fc_pose_track *src)
{
    double t0 = dst->n_frames ? dst->frames[dst->n_frames - 1].t_s + 1 / src->rate_hz : 0;
    for (size_t i = 0; i < src->n_frames; i++) {
        struct fc_keypoints *k = fc_pose_track_push(dst, &err);
        cr_assert_not_null(k, "%s", err.msg);
        *k = src->frames[i];
        k->t_s = t0 + src->frames[i].t_s;
    }
}

Test(analyzer_offline, steps_around_a_squat_do_not_make_it_gait)
{
    /* Three steps in place (walking to the bar), then four squats: AUTO's
     * first clear movement is a step, but a hip lowered and raised again
     * is no walk: the session is a squat with its four reps. The same
     * steps alone stay gait. */
    struct fc_synth_params g = fc_synth_default_params();
    g.exercise = FC_EXERCISE_GAIT;
    g.view = FC_VIEW_SIDE;
    g.reps = 3;
    struct fc_synth_params q = fc_synth_default_params();
    q.exercise = FC_EXERCISE_SQUAT;
    q.view = FC_VIEW_SIDE;
    q.reps = 4;
    struct fc_pose_track steps, squats, t;
    generate(&g, &steps);
    generate(&q, &squats);
    fc_pose_track_init(&t, steps.skeleton, steps.units, steps.dims);
    t.width = steps.width, t.height = steps.height, t.rate_hz = steps.rate_hz;
    t.time_from_source = steps.time_from_source;
    append(&t, &steps);
    append(&t, &squats);
    struct run r;
    analyse(&t, FC_EXERCISE_AUTO, &r);
    cr_expect_eq(r.res.exercise, FC_EXERCISE_SQUAT, "exercise %s",
                 fc_exercise_name(r.res.exercise));
    cr_expect_eq(r.res.n_reps, 4u);
    done(&r);
    analyse(&steps, FC_EXERCISE_AUTO, &r);
    cr_expect_eq(r.res.exercise, FC_EXERCISE_GAIT, "steps alone: %s",
                 fc_exercise_name(r.res.exercise));
    done(&r);
    fc_pose_track_free(&t);
    fc_pose_track_free(&squats);
    fc_pose_track_free(&steps);
}

/* Every frame's face turned psi (deg) from the camera: the ears, e either
 * side of their midpoint, drawn e cos psi apart and the nose n = 2e / 1.3
 * sin psi to the side (analysis/tuning.h FACE_BREADTH_OVER_DEPTH). */
static void turn_face(struct fc_pose_track *t, double psi_deg)
{
    double psi = psi_deg * FC_RAD_PER_DEG;
    for (size_t i = 0; i < t->n_frames; i++) {
        struct fc_keypoints *k = &t->frames[i];
        float *x = k->x;
        double mid = 0.5 * (x[FC_JOINT_LEFT_EAR] + x[FC_JOINT_RIGHT_EAR]);
        double e = 0.5 * fabs(x[FC_JOINT_LEFT_EAR] - x[FC_JOINT_RIGHT_EAR]);
        double sgn = x[FC_JOINT_LEFT_EAR] > x[FC_JOINT_RIGHT_EAR] ? 1 : -1;
        x[FC_JOINT_LEFT_EAR] = (float)(mid + sgn * e * cos(psi));
        x[FC_JOINT_RIGHT_EAR] = (float)(mid - sgn * e * cos(psi));
        x[FC_JOINT_NOSE] = (float)(mid + sgn * 2 * e / 1.3 * sin(psi));
    }
}

Test(analyzer_offline, a_body_turned_past_a_measures_limit_leaves_it_unmeasured)
{
    /* A front-view squat whose face reads 5 and 25 deg of turn: the body's
     * yaw is read from the face; the lateral shift holds to 12 deg
     * (metrics.c), so at 25 it is not measured, not in any frame either,
     * and flagged as such; the knee-to-ankle separation (30 deg) and the
     * pelvic obliquity stay. At 5 deg everything is measured. */
    const double psi[2] = {5, 25};
    for (int q = 0; q < 2; q++) {
        struct fc_synth_params p = fc_synth_default_params();
        p.exercise = FC_EXERCISE_SQUAT;
        p.view = FC_VIEW_FRONT;
        p.faults.lateral_shift_pct = 15;
        struct fc_pose_track t;
        generate(&p, &t);
        turn_face(&t, psi[q]);
        struct run r;
        analyse(&t, FC_EXERCISE_SQUAT, &r);
        cr_expect_float_eq(r.res.body_yaw_deg, psi[q], 1.0, "read %.1f",
                           (double)r.res.body_yaw_deg);
        cr_expect(r.res.body_yaw_from_face);
        int beyond = psi[q] > fc_metric_info(FC_M_LATERAL_SHIFT)->turn_max_deg;
        cr_expect_eq(r.res.metric[FC_M_LATERAL_SHIFT].measurable, !beyond, "psi %.0f", psi[q]);
        cr_expect_eq(r.res.metric[FC_M_LATERAL_SHIFT].beyond_turn, beyond, "psi %.0f", psi[q]);
        cr_expect(r.res.metric[FC_M_KNEE_ANKLE_SEP].measurable, "psi %.0f", psi[q]);
        cr_expect(r.res.metric[FC_M_PELVIC_OBLIQUITY].measurable);
        size_t shift_frames = 0;
        for (size_t i = 0; i < t.n_frames; i++)
            shift_frames += isfinite(r.fm[i].value[FC_M_LATERAL_SHIFT]);
        if (beyond)
            cr_expect_eq(shift_frames, 0u);
        else
            cr_expect_gt(shift_frames, 0u);
        done(&r);
        fc_pose_track_free(&t);
    }
}

/* The world points of the subject's legs for a front view: each leg drawn
 * in its own sagittal plane, as the side picture shows it (forward, the
 * side picture's +x for a subject facing right, is towards the camera: -z),
 * at the lateral place of its hip in the front picture. The leg then bends
 * in space by exactly the side picture's knee flexion. Metres: the picture's
 * pixels over the standing height in pixels. */
static void add_world_legs(struct fc_pose_track *front, const struct fc_pose_track *side,
                           double height_px)
{
    cr_assert_eq(front->n_frames, side->n_frames);
    for (size_t i = 0; i < front->n_frames; i++) {
        struct fc_keypoints *f = &front->frames[i];
        const struct fc_keypoints *s = &side->frames[i];
        for (int leg = 0; leg < 2; leg++) {
            int hip = leg ? FC_JOINT_RIGHT_HIP : FC_JOINT_LEFT_HIP;
            int joints[3] = {hip, hip + 2, hip + 4}; /* hip, knee, ankle */
            for (int q = 0; q < 3; q++) {
                int j = joints[q];
                fc_keypoints_set_world(f, j, (float)((f->x[hip] - 640) / height_px),
                                       (float)((s->y[j] - 360) / height_px),
                                       (float)(-(s->x[j] - 640) / height_px));
            }
        }
    }
}

Test(analyzer_offline, front_view_knee_flexion_from_the_world_points)
{
    /* Squats to 100 deg of knee flexion filmed from the front: the picture
     * sees the thigh foreshortened and cannot measure the bend, so knee
     * flexion needs a side view, unless the pose model gives its 3-D world
     * points; then the flexion is measured from them as the leg bent in
     * space, 100 deg at each rep's bottom. */
    struct fc_synth_params p = fc_synth_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    p.faults.knee_flexion_deg = 100;
    p.view = FC_VIEW_SIDE;
    struct fc_pose_track side, front;
    generate(&p, &side);
    p.view = FC_VIEW_FRONT;
    generate(&p, &front);

    struct run r;
    analyse(&front, FC_EXERCISE_SQUAT, &r);
    cr_assert_eq(r.res.view, FC_VIEW_FRONT);
    cr_expect(!r.res.metric[FC_M_KNEE_FLEXION_LEFT].measurable, "the picture alone: no flexion");
    done(&r);

    add_world_legs(&front, &side, p.subject_height_px);
    analyse(&front, FC_EXERCISE_SQUAT, &r);
    cr_assert_eq(r.res.view, FC_VIEW_FRONT);
    cr_assert_eq(r.res.n_reps, 5u);
    for (int s = 0; s < 2; s++) {
        const struct fc_metric_summary *ms = &r.res.metric[FC_M_KNEE_FLEXION_LEFT + s];
        cr_expect(ms->measurable && ms->from_world, "side %d: measured from the world points", s);
        for (size_t q = 0; q < r.res.n_reps_detailed; q++)
            cr_expect_float_eq(r.res.reps[q].peak[FC_M_KNEE_FLEXION_LEFT + s], 100.0, 1.0,
                               "side %d rep %zu: knee flexion %.1f", s, q + 1,
                               r.res.reps[q].peak[FC_M_KNEE_FLEXION_LEFT + s]);
    }
    /* The frontal metrics are still the picture's. */
    cr_expect(r.res.metric[FC_M_KNEE_FPPA_LEFT].measurable);
    cr_expect(!r.res.metric[FC_M_DEPTH].measurable, "depth still needs a side view");
    done(&r);
    fc_pose_track_free(&front);
    fc_pose_track_free(&side);
}
