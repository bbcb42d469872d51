/* The rep detector (analysis/reps.h) alone, on movement signals written
 * down directly: a squat signal s(t) = A sin^2(pi (t - t0) / T) crosses the
 * end level 0.03 at t0 + (T / pi) asin(sqrt(0.03 / A)), which is where a rep
 * starts (the last frame at rest) and ends; it bottoms at t0 + T / 2.
 * Jitter between the levels neither starts nor ends a rep. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "analysis/reps.h"
#include "core/units.h"

#define RATE 30.0
#define DT (1.0 / RATE)

static struct fc_body_ref ref;
static struct fc_rep store[16];
static struct fc_reps reps;
static struct fc_keypoints kp;
static int closed_n;
static struct fc_rep closed_last;

static void start(enum fc_exercise e)
{
    fc_body_ref_init(&ref, FC_VIEW_FRONT);
    ref.U = (struct vec){0, -1};
    ref.F = (struct vec){1, 0};
    ref.leg = 200;
    ref.lead_fixed = -1;
    fc_reps_init(&reps, e, store, 16);
    reps.ref = &ref;
    fc_keypoints_clear(&kp, 0);
    fc_reps_restart(&reps, 0);
    closed_n = 0;
}

/* One frame with signal s at t; v[FC_M_DEPTH] = depth (smoothing off:
 * the smoothed values are the raw ones). lift: NULL when not seen. */
static void step_lift(double t, float s, float depth, const float *lift)
{
    static const int active[1] = {FC_M_DEPTH};
    float v[FC_METRIC_COUNT];
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        v[m] = NAN;
    v[FC_M_DEPTH] = depth;
    struct fc_frame_ctx f = {&kp, 0, t, 1, {NAN, NAN}, 0, v, NULL};
    if (lift) {
        f.lift[0] = lift[0];
        f.lift[1] = lift[1];
        f.lifts_ok = 1;
    }
    float u[FC_METRIC_COUNT];
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        u[m] = NAN;
    struct fc_rep_input in = {s, NAN, NAN, v, u, t, active, 1};
    struct fc_rep c;
    if (fc_reps_push(&reps, &f, &in, &c)) {
        closed_n++;
        closed_last = c;
    }
}

static void step(double t, float s)
{
    step_lift(t, s, s * 100, NULL);
}

/* n reps of amplitude A and period T, each after rest_s at 0, from t = 0;
 * returns the time after the last frame. */
static double squats(int n, float A, double T, double rest_s)
{
    double t = 0;
    for (int r = 0; r < n; r++) {
        double t0 = t + rest_s;
        for (; t < t0 + T - 1e-9; t += DT) {
            double u = t < t0 ? 0 : sin(FC_PI * (t - t0) / T);
            step(t, (float)(A * u * u));
        }
    }
    return t;
}

/* The first frame time >= x on the frame grid, and the last <= x. */
static double frame_at_or_after(double x)
{
    return ceil(x * RATE - 1e-9) / RATE;
}
static double frame_at_or_before(double x)
{
    return floor(x * RATE + 1e-9) / RATE;
}

Test(reps, counts_and_times_squats)
{
    start(FC_EXERCISE_SQUAT);
    const float A = 0.3f;
    const double T = 2.0, rest = 1.0;
    squats(3, A, T, rest);
    cr_assert_eq(reps.n, 3u);
    double cross = T / FC_PI * asin(sqrt(0.03 / A)); /* s = end level */
    for (int r = 0; r < 3; r++) {
        double t0 = rest + r * (T + rest);
        const struct fc_rep *o = &store[r];
        cr_expect_eq(o->index, r);
        cr_expect_float_eq(o->t_start_s, frame_at_or_before(t0 + cross), 1e-6, "rep %d start %f", r,
                           o->t_start_s);
        cr_expect_float_eq(o->t_bottom_s, t0 + T / 2, 1e-6, "rep %d bottom %f", r, o->t_bottom_s);
        cr_expect_float_eq(o->t_end_s, frame_at_or_after(t0 + T - cross), 1e-6, "rep %d end %f", r,
                           o->t_end_s);
        /* The depth peaks at the bottom: 100 A. */
        cr_expect_float_eq(o->peak[FC_M_DEPTH], 100 * A, 1e-3);
        cr_expect_float_eq(o->at_bottom[FC_M_DEPTH], 100 * A, 1e-3);
        cr_expect_eq(o->side, -1);
        cr_expect_float_eq(o->tracked_fraction, 1.0, 1e-6);
    }
    cr_expect_eq(closed_n, 3);
    cr_expect_float_eq(closed_last.t_end_s, store[2].t_end_s, 0);
}

Test(reps, hysteresis_ignores_jitter)
{
    start(FC_EXERCISE_SQUAT);
    double t = 0;
    /* Jitter between the end (0.03) and start (0.06) levels: never a rep. */
    for (int i = 0; i < 90; i++, t += DT)
        step(t, i % 2 ? 0.05f : 0.02f);
    cr_expect_eq(reps.n, 0u);
    cr_expect_eq(reps.state, REP_IDLE);
    /* One descent to 0.2 that comes back up to 0.04 (above the end level)
     * twice before going back to rest: one rep, not three. */
    const float path[] = {0.0f, 0.1f, 0.2f, 0.04f, 0.2f, 0.04f, 0.2f, 0.0f};
    for (int p = 0; p + 1 < 8; p++)
        for (int i = 0; i < 10; i++, t += DT)
            step(t, path[p] + (path[p + 1] - path[p]) * (float)i / 10);
    step(t, 0);
    cr_expect_eq(reps.n, 1u);
    /* Crossing the start level but never reaching the required 0.10: none. */
    for (int i = 0; i < 60; i++, t += DT)
        step(t, 0.09f * (float)sin(FC_PI * i / 60.0));
    step(t, 0);
    cr_expect_eq(reps.n, 1u);
}

Test(reps, too_short_a_rep_is_none)
{
    start(FC_EXERCISE_SQUAT);
    /* 0.25 s down and up (the shortest rep is 0.3 s). */
    squats(1, 0.3f, 0.25, 1.0);
    double t = 2.0;
    step(t, 0);
    cr_expect_eq(reps.n, 0u);
    /* 0.5 s: one. */
    start(FC_EXERCISE_SQUAT);
    squats(1, 0.3f, 0.5, 1.0);
    cr_expect_eq(reps.n, 1u);
}

Test(reps, a_rep_under_way_at_the_start)
{
    /* Opening 0.02 from the bottom (less than half the required 0.10 seen
     * going into it): not a rep. */
    start(FC_EXERCISE_SQUAT);
    double t = 0;
    for (int i = 0; i <= 30; i++, t += DT)
        step(t, 0.28f + 0.02f * (float)sin(FC_PI / 2 * i / 30.0));
    for (int i = 0; i <= 30; i++, t += DT)
        step(t, 0.3f * (float)cos(FC_PI / 2 * i / 30.0));
    step(t, 0);
    cr_expect_eq(reps.n, 0u);
    /* Opening at 0.2 and going down to 0.3 (0.1 seen): a rep. */
    start(FC_EXERCISE_SQUAT);
    t = 0;
    for (int i = 0; i <= 30; i++, t += DT)
        step(t, 0.2f + 0.1f * (float)sin(FC_PI / 2 * i / 30.0));
    for (int i = 0; i <= 30; i++, t += DT)
        step(t, 0.3f * (float)cos(FC_PI / 2 * i / 30.0));
    step(t, 0);
    cr_expect_eq(reps.n, 1u);
}

Test(reps, the_session_ends_inside_a_rep)
{
    struct fc_rep c;
    /* Ends on the way up from a 0.3 bottom: the bottom was seen. */
    start(FC_EXERCISE_SQUAT);
    double t = 0;
    for (int i = 0; i < 30; i++, t += DT)
        step(t, 0);
    for (int i = 0; i <= 45; i++, t += DT)
        step(t, 0.3f * (float)sin(FC_PI * i / 60.0));
    cr_expect_eq(reps.n, 0u);
    cr_assert_eq(fc_reps_finish(&reps, t - DT, &c), 1);
    cr_expect_eq(reps.n, 1u);
    cr_expect_eq(reps.last_rep_cut, 0);
    cr_expect_float_eq(c.peak[FC_M_DEPTH], 30.0, 1e-3);
    /* Ends on the way down past the required depth: counts, no peaks. */
    start(FC_EXERCISE_SQUAT);
    t = 0;
    for (int i = 0; i < 30; i++, t += DT)
        step(t, 0);
    for (int i = 0; i <= 20; i++, t += DT)
        step(t, 0.3f * (float)sin(FC_PI * i / 60.0));
    cr_assert_eq(fc_reps_finish(&reps, t - DT, &c), 1);
    cr_expect_eq(reps.last_rep_cut, 1);
    cr_expect(isnan(c.peak[FC_M_DEPTH]));
    /* Ends on the way down before the required depth: none. */
    start(FC_EXERCISE_SQUAT);
    t = 0;
    for (int i = 0; i < 30; i++, t += DT)
        step(t, 0);
    for (int i = 0; i <= 5; i++, t += DT)
        step(t, 0.3f * (float)sin(FC_PI * i / 60.0));
    cr_expect_eq(fc_reps_finish(&reps, t - DT, &c), 0);
    cr_expect_eq(reps.n, 0u);
}

Test(reps, gait_steps_are_credited_to_the_stance_leg)
{
    start(FC_EXERCISE_GAIT);
    double t = 0;
    /* The left foot lifts 0.06 leg (signal + : left minus right lift),
     * then the right foot does: two steps, right stance then left stance. */
    for (int side = 0; side < 2; side++) {
        for (int i = 0; i < 10; i++, t += DT) {
            float l[2] = {0, 0};
            step_lift(t, 0, 0, l);
        }
        for (int i = 0; i <= 15; i++, t += DT) {
            float up = 0.06f * (float)sin(FC_PI * i / 15.0);
            float l[2] = {side ? 0 : up, side ? up : 0};
            float s = l[0] - l[1];
            if (i == 7)
                cr_expect_eq(
                    fc_reps_stance(
                        &reps, &(struct fc_frame_ctx){&kp, 0, t, 1, {l[0], l[1]}, 1, NULL, NULL}),
                    side ? FC_SIDE_LEFT : FC_SIDE_RIGHT);
            step_lift(t, s, 0, l);
        }
    }
    cr_assert_eq(reps.n, 2u);
    cr_expect_eq(store[0].side, FC_SIDE_RIGHT);
    cr_expect_eq(store[1].side, FC_SIDE_LEFT);
}

Test(reps, stance_by_exercise)
{
    struct fc_frame_ctx f = {&kp, 0, 0, 1, {NAN, NAN}, 0, NULL, NULL};
    start(FC_EXERCISE_SQUAT);
    cr_expect_eq(fc_reps_stance(&reps, &f), -1);
    start(FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT);
    cr_expect_eq(fc_reps_stance(&reps, &f), FC_SIDE_LEFT);
    start(FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT);
    cr_expect_eq(fc_reps_stance(&reps, &f), FC_SIDE_RIGHT);
    /* Single-leg deadlift: the lower ankle, switching only past 0.01 leg. */
    start(FC_EXERCISE_SINGLE_LEG_DEADLIFT);
    cr_expect_eq(fc_reps_stance(&reps, &f), -1);
    f.lifts_ok = 1;
    f.lift[0] = 0.05f, f.lift[1] = 0;
    cr_expect_eq(fc_reps_stance(&reps, &f), FC_SIDE_RIGHT);
    f.lift[0] = 0, f.lift[1] = 0.005f; /* within the hysteresis: unchanged */
    cr_expect_eq(fc_reps_stance(&reps, &f), FC_SIDE_RIGHT);
    f.lift[1] = 0.05f;
    cr_expect_eq(fc_reps_stance(&reps, &f), FC_SIDE_LEFT);
    /* Step-up begun with a foot on the step: that leg. */
    start(FC_EXERCISE_STEP_UP);
    ref.lead_fixed = FC_SIDE_RIGHT;
    cr_expect_eq(fc_reps_stance(&reps, &f), FC_SIDE_RIGHT);
}
