/* Low-confidence stretches (analysis/lowconf.h) alone, on tracked flags
 * laid out at 30 frames a second: an untracked run from 1.0 s up to the
 * tracked frame at 1.5 s is a stretch of 0.5 s; runs less than 0.3 s
 * apart are one; a stretch shorter than 0.3 s is not reported. */
#include <criterion/criterion.h>

#include "analysis/lowconf.h"

#define RATE 30.0

static struct fc_lowconf lc;

/* Frames [0, n) at 30 fps; untracked where lo <= t < hi for one of the
 * given ranges. Returns the time after the last frame. */
static double run(int n, const double (*bad)[2], int n_bad)
{
    fc_lowconf_init(&lc);
    for (int i = 0; i < n; i++) {
        double t = i / RATE;
        int tracked = 1;
        for (int b = 0; b < n_bad; b++)
            if (t >= bad[b][0] - 1e-9 && t < bad[b][1] - 1e-9)
                tracked = 0;
        fc_lowconf_push(&lc, tracked, t);
    }
    return n / RATE;
}

Test(lowconf, one_stretch)
{
    const double bad[1][2] = {{1.0, 1.5}};
    fc_lowconf_finish(&lc, run(90, bad, 1));
    cr_assert_eq(lc.n, 1u);
    cr_expect_float_eq(lc.s[0].t_start_s, 1.0, 1e-9);
    cr_expect_float_eq(lc.s[0].t_end_s, 1.5, 1e-9);
    cr_expect_float_eq(lc.total_s, 0.5, 1e-9);
}

Test(lowconf, close_runs_are_one_short_ones_none)
{
    /* 1.0-1.2 and 1.4-1.6 (0.2 s apart): one stretch 1.0-1.6. 2.5-2.7
     * alone: 0.2 s, not reported. */
    const double bad[3][2] = {{1.0, 1.2}, {1.4, 1.6}, {2.5, 2.7}};
    fc_lowconf_finish(&lc, run(120, bad, 3));
    cr_assert_eq(lc.n, 1u);
    cr_expect_float_eq(lc.s[0].t_start_s, 1.0, 1e-9);
    cr_expect_float_eq(lc.s[0].t_end_s, 1.6, 1e-9);
}

Test(lowconf, a_stretch_the_session_ends_in)
{
    /* Untracked from 2.0 s to the end (3 s of frames): it ends where the
     * session does. */
    const double bad[1][2] = {{2.0, 10.0}};
    double end = run(90, bad, 1);
    cr_expect_eq(lc.n, 0u);
    fc_lowconf_finish(&lc, end);
    cr_assert_eq(lc.n, 1u);
    cr_expect_float_eq(lc.s[0].t_start_s, 2.0, 1e-9);
    cr_expect_float_eq(lc.s[0].t_end_s, 3.0, 1e-9);
}
