/* Real-data tier: gait events from markers (Zeni et al. 2008) against the
 * events stored in the files: the c3d.org s00 trial (17 foot strikes and
 * foot offs, Vicon Nexus) and the Rehazenter trial (7, from its force
 * plates and the lab's own marking). Skips itself without ../shared/data. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gait.h"
#include "import/c3d.h"
#include "support/testutil.h"

/* The file's foot strikes and foot offs as frames of its point data. */
static size_t stored_events(const struct fc_c3d *c, struct fc_gait_event *out, size_t cap)
{
    struct fc_c3d_event *ev = NULL;
    size_t n = 0, m = 0;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_events(c, &ev, &n, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < n && m < cap; i++) {
        int strike = strncmp(ev[i].label, "Foot Strike", 11) == 0;
        int off = strncmp(ev[i].label, "Foot Off", 8) == 0;
        int left = strcmp(ev[i].context, "Left") == 0, right = strcmp(ev[i].context, "Right") == 0;
        if (!(strike || off) || !(left || right))
            continue;
        /* Event times count from frame 1 at 0 s. */
        long frame = lround(ev[i].t_s * c->point_rate_hz) - (c->first_frame - 1);
        if (frame < 0 || frame >= c->n_frames)
            continue;
        out[m++] = (struct fc_gait_event){left ? FC_SIDE_LEFT : FC_SIDE_RIGHT,
                                          strike ? FC_GAIT_FOOT_STRIKE : FC_GAIT_FOOT_OFF,
                                          (size_t)frame, ev[i].t_s};
    }
    free(ev);
    return m;
}

/* 15 frames is the pairing window, well below the half stride between
 * events of a kind. Measured (median |error|, frames at 100 Hz): s00 5.0
 * (strikes 5 early, offs 3 late), Rehazenter 6.5 (strikes 9 early, offs 4
 * early): the heel is furthest forward a little before it lands, the more
 * so in slow walking. */
static const double tolerance_frames = 15.0;
/* A foot on a plate: the usual 20 N (about 3% of body weight) keeps the
 * plate's noise out. */
static const double plate_threshold_n = 20.0;

static void check_file(const char *rel, size_t expect_stored, double max_median_frames)
{
    char path[4096];
    if (fc_test_data_path(path, sizeof path, rel) < 0)
        cr_skip("real data not present");
    struct fc_c3d c;
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_c3d_to_track(&c, &t, &err), 0, "%s", err.msg);
    struct fc_gait_event ref[64];
    size_t nr = stored_events(&c, ref, 64);
    cr_expect_eq(nr, expect_stored, "%s: %zu stored foot events", rel, nr);

    struct fc_gait g;
    cr_assert_eq(fc_gait_from_track(&t, NULL, &g, &err), 0, "%s", err.msg);
    struct fc_gait_match mt;
    fc_gait_compare(g.events, g.n_events, ref, nr, tolerance_frames, &mt);
    fprintf(stderr,
            "%s: %zu detected, %ld stored, %ld matched; median |error| %.1f frames, median "
            "signed %.1f, max %.0f\n",
            rel, g.n_events, mt.reference, mt.matched, mt.median_abs_frames,
            mt.median_signed_frames, mt.max_abs_frames);
    for (int s = 0; s < 2; s++) {
        const struct fc_gait_side *q = &g.side[s];
        fprintf(stderr,
                "  %s: %d strides, stride %.2f s %.0f mm, step %.2f s %.0f mm, stance %.0f%%, "
                "single support %.0f%%, double %.0f%%\n",
                s ? "right" : "left", q->strides, q->stride_time_s, q->stride_length_mm,
                q->step_time_s, q->step_length_mm, q->stance_pct, q->single_support_pct,
                q->double_support_pct);
    }
    fprintf(stderr,
            "  cadence %.0f steps/min, speed %.2f m/s; asymmetry: step length %.1f%%, step time "
            "%.1f%%, single support %.1f%%\n",
            g.cadence_steps_per_min, g.speed_m_s, g.step_length_asym_pct, g.step_time_asym_pct,
            g.single_support_asym_pct);
    for (int kind = 0; kind < 2; kind++) {
        struct fc_gait_event sub[64];
        size_t ns = 0;
        for (size_t i = 0; i < nr; i++)
            if ((int)ref[i].kind == kind)
                sub[ns++] = ref[i];
        struct fc_gait_match mk;
        fc_gait_compare(g.events, g.n_events, sub, ns, tolerance_frames, &mk);
        fprintf(stderr, "  %s: %ld of %ld matched, median |error| %.1f frames, signed %.1f\n",
                kind ? "foot off" : "foot strike", mk.matched, mk.reference, mk.median_abs_frames,
                mk.median_signed_frames);
    }
    cr_expect_geq(mt.matched, (long)nr - 2, "%s: %ld of %zu matched", rel, mt.matched, nr);
    cr_expect_leq(mt.median_abs_frames, max_median_frames, "%s: median %.1f frames", rel,
                  mt.median_abs_frames);
    /* Force plates: their events against the stored ones. */
    struct fc_gait_event *pe = NULL;
    size_t np = 0;
    for (int k = 0; k < fc_c3d_plate_count(&c); k++) {
        struct fc_gait_plate pl = {.samples_per_frame = c.analog_samples_per_frame};
        if (fc_c3d_plate_fz(&c, k, &pl.fz_n, &pl.stride, &pl.n_samples, pl.corners_mm) == 0)
            cr_assert_geq(fc_gait_plate_events(&pl, &t, plate_threshold_n, &pe, &np, &err), 0);
    }
    if (np) {
        /* each plate event against its stored twin; strikes apart, as the
         * plate sees a strike to the frame */
        struct fc_gait_match back, strikes;
        fc_gait_compare(ref, nr, pe, np, tolerance_frames, &back);
        struct fc_gait_event ps[16];
        size_t ns = 0;
        for (size_t i = 0; i < np && ns < 16; i++)
            if (pe[i].kind == FC_GAIT_FOOT_STRIKE)
                ps[ns++] = pe[i];
        fc_gait_compare(ref, nr, ps, ns, tolerance_frames, &strikes);
        fprintf(stderr,
                "  force plates: %zu events, %ld matched to a stored one, median |error| %.1f "
                "frames; strikes %ld, median %.1f, max %.0f\n",
                np, back.matched, back.median_abs_frames, strikes.matched,
                strikes.median_abs_frames, strikes.max_abs_frames);
        cr_expect_eq(back.matched, (long)np, "every plate event has a stored twin");
        cr_expect_leq(strikes.max_abs_frames, 3.0, "a plate strike within 3 frames");
    }
    free(pe);
    /* Walking, slow or brisk: 30-140 steps/min. */
    cr_expect(g.cadence_steps_per_min > 30 && g.cadence_steps_per_min < 140);

    fc_gait_free(&g);
    fc_pose_track_free(&t);
    fc_c3d_free(&c);
}

Test(realdata_gait, s00_events_match_nexus)
{
    check_file("c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d", 17, 8.0);
}

Test(realdata_gait, rehazenter_events_match)
{
    check_file("c3d/rehazenter_2014001_C1_01_gait_INTELfloat.c3d", 7, 8.0);
}
