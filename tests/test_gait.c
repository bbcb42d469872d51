/* Gait events and parameters on a synthetic walk whose events are known by
 * construction: the pelvis moves at 1.4 m/s; each heel and toe swings
 * about the sacrum so that the heel is furthest ahead at the foot strikes
 * and the toe furthest behind at the foot offs (Zeni 2008's definition). */
#include <criterion/criterion.h>
#include <math.h>

#include "analysis/gait.h"

#define RATE 100.0
#define N 420

static const double pi = 3.14159265358979323846;

static void set(struct fc_keypoints *k, enum fc_joint j, double x, double y, double z)
{
    fc_keypoints_set(k, j, (float)x, (float)y, (float)z, 1.0f);
}

/* Left strikes at 0.25 + k s and offs at 0.85 + k; the right half a stride
 * later. */
static void walk(struct fc_pose_track *t, double speed_mm_s)
{
    fc_pose_track_init(t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    t->rate_hz = RATE;
    for (int i = 0; i < N; i++) {
        struct fc_keypoints *k = fc_pose_track_push(t, NULL);
        cr_assert(k);
        double ts = i / RATE, px = speed_mm_s * ts;
        k->t_s = ts;
        set(k, FC_JOINT_LEFT_ASIS, px + 80, 120, 1000);
        set(k, FC_JOINT_RIGHT_ASIS, px + 80, -120, 1000);
        set(k, FC_JOINT_LEFT_PSIS, px - 80, 45, 1000);
        set(k, FC_JOINT_RIGHT_PSIS, px - 80, -45, 1000);
        for (int s = 0; s < 2; s++) {
            double shift = 0.5 * s, y = s ? -100 : 100;
            /* heel ahead of the sacrum: max at 0.25 + shift */
            double heel = 300 * sin(2 * pi * (ts - shift));
            /* toe: min at 0.85 + shift */
            double toe = -300 * cos(2 * pi * (ts - 0.85 - shift)) + 60;
            set(k, s ? FC_JOINT_RIGHT_HEEL : FC_JOINT_LEFT_HEEL, px - 80 + heel, y, 50);
            set(k, s ? FC_JOINT_RIGHT_BIG_TOE : FC_JOINT_LEFT_BIG_TOE, px - 80 + toe, y, 30);
        }
    }
}

Test(gait, zeni_finds_the_constructed_events)
{
    struct fc_pose_track t;
    walk(&t, 1400.0);
    struct fc_gait g;
    struct fc_error err = {0};
    cr_assert_eq(fc_gait_from_track(&t, NULL, &g, &err), 0, "%s", err.msg);
    /* expected: every event inside the trial, none at its edges */
    struct fc_gait_event ref[32];
    size_t nr = 0;
    for (int s = 0; s < 2; s++)
        for (int k = -1; k < 5; k++) {
            double fs = 0.25 + 0.5 * s + k, fo = 0.85 + 0.5 * s + k;
            if (fs * RATE >= 2 && fs * RATE < N - 2)
                ref[nr++] =
                    (struct fc_gait_event){s, FC_GAIT_FOOT_STRIKE, (size_t)lround(fs * RATE), fs};
            if (fo * RATE >= 2 && fo * RATE < N - 2)
                ref[nr++] =
                    (struct fc_gait_event){s, FC_GAIT_FOOT_OFF, (size_t)lround(fo * RATE), fo};
        }
    struct fc_gait_match m;
    fc_gait_compare(g.events, g.n_events, ref, nr, 5, &m);
    cr_expect_eq(g.n_events, nr, "%zu detected, %zu expected", g.n_events, nr);
    cr_expect_eq(m.matched, (long)nr);
    cr_expect_float_eq(m.max_abs_frames, 0.0, 1e-9);
    /* two steps a second; 1.4 m a stride; stance 60%, single support 40%,
     * double 20%; step length: the heels 300 mm either side of the sacrum */
    cr_expect_float_eq(g.cadence_steps_per_min, 120.0, 1e-6);
    cr_expect_float_eq(g.speed_m_s, 1.4, 1e-3);
    for (int s = 0; s < 2; s++) {
        cr_expect_float_eq(g.side[s].stride_time_s, 1.0, 1e-9);
        cr_expect_float_eq(g.side[s].stride_length_mm, 1400.0, 0.5);
        cr_expect_float_eq(g.side[s].stance_pct, 60.0, 1e-6);
        cr_expect_float_eq(g.side[s].single_support_pct, 40.0, 1e-6);
        cr_expect_float_eq(g.side[s].double_support_pct, 20.0, 1e-6);
        cr_expect_float_eq(g.side[s].step_length_mm, 600.0, 0.5);
    }
    cr_expect_float_eq(g.step_length_asym_pct, 0.0, 0.2);
    fc_gait_free(&g);
    fc_pose_track_free(&t);
}

Test(gait, symmetry_index_sees_a_short_step)
{
    /* The same events, left step longer: the left heel reaches 400 mm. */
    struct fc_gait_event ev[] = {
        {FC_SIDE_LEFT, FC_GAIT_FOOT_STRIKE, 10, 0},  {FC_SIDE_RIGHT, FC_GAIT_FOOT_OFF, 20, 0},
        {FC_SIDE_RIGHT, FC_GAIT_FOOT_STRIKE, 60, 0}, {FC_SIDE_LEFT, FC_GAIT_FOOT_OFF, 70, 0},
        {FC_SIDE_LEFT, FC_GAIT_FOOT_STRIKE, 110, 0}, {FC_SIDE_RIGHT, FC_GAIT_FOOT_OFF, 120, 0},
        {FC_SIDE_RIGHT, FC_GAIT_FOOT_STRIKE, 160, 0}};
    static double heel[2][200];
    for (int i = 0; i < 200; i++) {
        heel[0][i] = i == 10 || i == 110 ? 800 + 10 * i : 10 * i; /* left 800 ahead */
        heel[1][i] = i == 60 || i == 160 ? 400 + 10 * i : 10 * i; /* right 400 ahead */
    }
    const double *h[2] = {heel[0], heel[1]};
    struct fc_gait g = {0};
    fc_gait_parameters(ev, 7, h, 100.0, &g);
    cr_expect_float_eq(g.side[0].step_length_mm, 800.0, 1e-9);
    cr_expect_float_eq(g.side[1].step_length_mm, 400.0, 1e-9);
    /* 100 |800 - 400| / 600 */
    cr_expect_float_eq(g.step_length_asym_pct, 100.0 * 400.0 / 600.0, 1e-9);
    cr_expect_float_eq(g.cadence_steps_per_min, 60.0 * 3 / 1.5, 1e-9);
}

Test(gait, needs_markers_in_3d)
{
    struct fc_pose_track t;
    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    struct fc_gait g;
    struct fc_error err = {0};
    cr_expect_lt(fc_gait_from_track(&t, NULL, &g, &err), 0);
    fc_pose_track_free(&t);
}
