/* The stance leg the analyzer reports with every frame
 * (fc_frame_metrics.stance), on the synthetic subject (import/synth.h)
 * whose stance leg in each rep is known: none for two-legged work, the
 * named leg of a single-leg squat, and the stance foot of each gait step
 * and the leading leg of each step-up at the rep's bottom. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/analyzer.h"
#include "import/synth.h"

static struct fc_error err;

struct run {
    struct fc_pose_track t;
    struct fc_frame_metrics *fm;
    struct fc_analyzer *a;
    struct fc_analysis res;
};

/* The exercise from the front, streamed frame by frame as a live session. */
static void run(struct fc_synth_params *p, struct run *r)
{
    p->view = FC_VIEW_FRONT;
    cr_assert_eq(fc_synth_generate(p, &r->t, &err), 0, "%s", err.msg);
    struct fc_analyzer_params ap = fc_analyzer_default_params();
    ap.exercise = p->exercise;
    cr_assert_eq(fc_analyzer_create(&r->a, &ap, &err), 0, "%s", err.msg);
    r->fm = calloc(r->t.n_frames, sizeof *r->fm);
    cr_assert_not_null(r->fm);
    for (size_t i = 0; i < r->t.n_frames; i++)
        fc_analyzer_push(r->a, &r->t.frames[i], &r->fm[i]);
    fc_analyzer_finish(r->a, &r->res);
}

static void done(struct run *r)
{
    free(r->fm);
    fc_analyzer_free(r->a);
    fc_pose_track_free(&r->t);
}

/* The frame nearest time t. */
static size_t frame_at(const struct run *r, double t)
{
    size_t best = 0;
    for (size_t i = 0; i < r->t.n_frames; i++)
        if (fabs(r->t.frames[i].t_s - t) < fabs(r->t.frames[best].t_s - t))
            best = i;
    return best;
}

Test(analyzer_stance, none_for_two_legged_work)
{
    struct fc_synth_params p = fc_synth_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    struct run r;
    run(&p, &r);
    cr_expect_eq(r.res.n_reps, 5u);
    for (size_t i = 0; i < r.t.n_frames; i++)
        cr_assert_eq(r.fm[i].stance, -1, "frame %zu", i);
    done(&r);
}

Test(analyzer_stance, the_named_leg_of_a_single_leg_squat)
{
    for (int side = 0; side < 2; side++) {
        struct fc_synth_params p = fc_synth_default_params();
        p.exercise = side ? FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT : FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT;
        struct run r;
        run(&p, &r);
        /* From the first measured frame (the baseline locked) on. */
        size_t first = r.t.n_frames;
        for (size_t i = 0; i < r.t.n_frames && first == r.t.n_frames; i++)
            if (!isnan(r.fm[i].value[FC_M_PELVIC_OBLIQUITY]))
                first = i;
        cr_assert_lt(first, r.t.n_frames);
        for (size_t i = 0; i < first; i++)
            cr_assert_eq(r.fm[i].stance, -1, "frame %zu before the baseline", i);
        for (size_t i = first; i < r.t.n_frames; i++)
            cr_assert_eq(r.fm[i].stance, side, "frame %zu", i);
        done(&r);
    }
}

Test(analyzer_stance, gait_steps_and_step_ups_at_each_bottom)
{
    const enum fc_exercise ex[2] = {FC_EXERCISE_GAIT, FC_EXERCISE_STEP_UP};
    for (int e = 0; e < 2; e++) {
        struct fc_synth_params p = fc_synth_default_params();
        p.exercise = ex[e];
        struct run r;
        run(&p, &r);
        cr_assert_eq(r.res.n_reps, (size_t)p.reps);
        for (int k = 0; k < p.reps; k++) {
            size_t i = frame_at(&r, fc_synth_rep_bottom_s(&p, k));
            cr_expect_eq(r.fm[i].stance, fc_synth_rep_stance(&p, k), "%s rep %d: stance %d",
                         e ? "step-up" : "gait", k, r.fm[i].stance);
        }
        done(&r);
    }
}
