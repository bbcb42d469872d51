/* Plug-in Gait lower body: the Davis hip centre and the chord function
 * against another implementation's published examples (pyCGM, Schwartz &
 * Dixon 2018, whose doctests give the numbers), and whole legs built from
 * known joint angles, so that each angle's sign is pinned to the anatomy it
 * names (a knee forward is hip flexion, a knee towards the midline is hip
 * adduction, ...). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/pig.h"

static const double deg = 3.14159265358979323846 / 180.0;

Test(pig, davis_hip_centre_matches_pycgm_example)
{
    /* pyCGM's hipJointCenter doctest: mean leg 940 mm, ASIS-trochanter
     * 72.512 mm each side, inter-ASIS 215.909 mm, 7 mm marker radius, and a
     * pelvis given by its origin and the tips of its unit axes. */
    const double o[3] = {251.60830688, 391.74131775, 1032.89349365};
    const double tip[3][3] = {{251.74063624, 392.72694721, 1032.78850073},
                              {250.61711554, 391.87232862, 1032.8741063},
                              {251.60295336, 391.84795134, 1033.88777762}};
    const double expect[2][3] = {{182.57097799, 339.43231799, 935.52900136},
                                 {308.38050352, 322.80342433, 937.98979092}};
    for (int s = 0; s < 2; s++) {
        double local[3];
        fc_pig_davis_hjc(940.0, 72.512, 215.908996582031, 7.0, (enum fc_side)s, local);
        for (int c = 0; c < 3; c++) {
            double v = o[c];
            for (int a = 0; a < 3; a++)
                v += (tip[a][c] - o[c]) * local[a];
            cr_expect_float_eq(v, expect[s][c], 1e-4, "side %d coord %d: %.6f vs %.6f", s, c, v,
                               expect[s][c]);
        }
    }
}

Test(pig, chord_matches_pycgm_example)
{
    /* pyCGM's findJointC doctest: wand (THI), proximal centre (HJC), marker
     * (KNE), knee width / 2 + marker radius = 59.5 mm. */
    const double thi[3] = {468.14532471, 325.09780884, 673.12591553};
    const double hjc[3] = {355.90861996, 365.38260964, 940.6974861};
    const double kne[3] = {452.35180664, 329.0609436, 524.77893066};
    const double expect[3] = {396.25286248, 347.91367254, 518.63620527};
    double j[3];
    cr_assert_eq(fc_pig_chord(hjc, thi, kne, 59.5, 0.0, j), 0);
    for (int c = 0; c < 3; c++)
        cr_expect_float_eq(j[c], expect[c], 1e-4, "coord %d: %.6f vs %.6f", c, j[c], expect[c]);
}

static double dot(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

Test(pig, chord_with_offset_keeps_its_geometry)
{
    /* Whatever the offset, the centre is radius from the marker and sees the
     * marker and the proximal centre at a right angle; seen down the bone,
     * the wand and the marker are offset apart. */
    const double hjc[3] = {0, -80, 900}, kne[3] = {0, 60, 480}, thi[3] = {20, 75, 700};
    for (double off = -20; off <= 20; off += 5) {
        double j[3], a[3], b[3], c[3];
        cr_assert_eq(fc_pig_chord(hjc, thi, kne, 57.0, off, j), 0);
        for (int i = 0; i < 3; i++)
            a[i] = kne[i] - j[i], b[i] = hjc[i] - j[i], c[i] = thi[i] - j[i];
        cr_expect_float_eq(sqrt(dot(a, a)), 57.0, 1e-6);
        cr_expect(fabs(dot(a, b)) < 1e-6 * sqrt(dot(a, a) * dot(b, b)), "not a right angle");
        /* project the marker and the wand onto the plane across the bone */
        double bb = dot(b, b), pa[3], pc[3];
        for (int i = 0; i < 3; i++) {
            pa[i] = a[i] - b[i] * dot(a, b) / bb;
            pc[i] = c[i] - b[i] * dot(c, b) / bb;
        }
        double cr[3] = {pc[1] * pa[2] - pc[2] * pa[1], pc[2] * pa[0] - pc[0] * pa[2],
                        pc[0] * pa[1] - pc[1] * pa[0]};
        double ang = atan2(dot(cr, b) / sqrt(bb), dot(pc, pa)) / deg;
        cr_expect_float_eq(ang, off, 1e-4, "offset %.1f gave %.4f", off, ang);
        /* no offset: the centre is medial of the marker (towards -Y here,
         * the wand and marker being at +Y) */
        if (off == 0)
            cr_expect_lt(j[1], kne[1] - 40.0);
    }
}

Test(pig, params_by_their_vicon_names)
{
    struct fc_pig_params p = fc_pig_default_params();
    cr_expect(isnan(p.side[0].leg_length_mm));
    cr_expect_float_eq(p.marker_diameter_mm, 14.0, 1e-12);
    cr_expect_eq(fc_pig_params_set(&p, "LLegLength", 860), 1);
    cr_expect_eq(fc_pig_params_set(&p, "RightKneeWidth", 101), 1);
    cr_expect_eq(fc_pig_params_set(&p, "interasisdistance", 240), 1);
    cr_expect_eq(fc_pig_params_set(&p, "LTibialTorsion", -0.25), 1);
    cr_expect_eq(fc_pig_params_set(&p, "RAnkleWidth", 0), 1); /* 0 = not measured */
    cr_expect_eq(fc_pig_params_set(&p, "Bodymass", 77), 0);
    cr_expect_eq(fc_pig_params_set(&p, "LFWT_Root_Z", 1), 0);
    cr_expect_float_eq(p.side[FC_SIDE_LEFT].leg_length_mm, 860, 1e-12);
    cr_expect_float_eq(p.side[FC_SIDE_RIGHT].knee_width_mm, 101, 1e-12);
    cr_expect_float_eq(p.inter_asis_mm, 240, 1e-12);
    cr_expect_float_eq(p.side[FC_SIDE_LEFT].tibial_torsion_deg, -0.25 / deg, 1e-9);
    cr_expect(isnan(p.side[FC_SIDE_RIGHT].ankle_width_mm));
    cr_expect_eq(fc_pig_marker_from_label("Subj:ltoe"), FC_PIG_LTOE);
    cr_expect_eq(fc_pig_marker_from_label("LHipAngles"), -1);
}

/* ---- legs built from known angles ---- */

static void mat(double R[9], double a[3][3])
{
    memcpy(R, a, 9 * sizeof *R);
}
static void ry(double a, double R[9])
{
    double m[3][3] = {{cos(a), 0, sin(a)}, {0, 1, 0}, {-sin(a), 0, cos(a)}};
    mat(R, m);
}
static void rx(double a, double R[9])
{
    double m[3][3] = {{1, 0, 0}, {0, cos(a), -sin(a)}, {0, sin(a), cos(a)}};
    mat(R, m);
}
static void rz(double a, double R[9])
{
    double m[3][3] = {{cos(a), -sin(a), 0}, {sin(a), cos(a), 0}, {0, 0, 1}};
    mat(R, m);
}
static void mul(const double A[9], const double B[9], double C[9])
{
    double t[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            t[i * 3 + j] = A[i * 3] * B[j] + A[i * 3 + 1] * B[3 + j] + A[i * 3 + 2] * B[6 + j];
    memcpy(C, t, sizeof t);
}
/* p = o + R v */
static void place(const double o[3], const double R[9], double x, double y, double z, float *p)
{
    for (int i = 0; i < 3; i++)
        p[i] = (float)(o[i] + R[i * 3] * x + R[i * 3 + 1] * y + R[i * 3 + 2] * z);
}

/* Clinical angles of one leg: hip flex/add/int-rot, knee flex/varus/int-rot,
 * ankle dorsiflexion. */
struct pose {
    double hip[3], knee[3], dorsi;
};

#define N_FRAMES 8
#define N_MARKERS 16
static const char *names[N_MARKERS] = {"LASI", "RASI", "LPSI", "RPSI", "LTHI", "LKNE",
                                       "LTIB", "LANK", "LHEE", "LTOE", "RTHI", "RKNE",
                                       "RTIB", "RANK", "RHEE", "RTOE"};

static const double thigh_mm = 420, shank_mm = 400, knee_w = 100, ankle_w = 70, foot_mm = 150;

/* One frame: the pelvis level and facing +X (so progression is +X), each
 * leg rotated as asked. Movements are built from what they look like: hip
 * flexion takes the knee forwards, adduction takes it towards the midline,
 * internal rotation turns the front of the thigh towards the midline; the
 * knee and ankle likewise relative to the thigh and the shank. */
static void build(float *xyz, double walk_x, const struct pose pose[2],
                  const struct fc_pig_params *p)
{
    const double o[3] = {walk_x, 0, 1000};
    double I[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    place(o, I, 0, 120, 0, xyz + 0 * 3);  /* LASI */
    place(o, I, 0, -120, 0, xyz + 1 * 3); /* RASI */
    place(o, I, -160, 45, 0, xyz + 2 * 3);
    place(o, I, -160, -45, 0, xyz + 3 * 3);
    double r = p->marker_diameter_mm / 2;
    for (int s = 0; s < 2; s++) {
        /* medial = towards the other leg: -Y for the left, +Y for the right */
        double lat = s == 0 ? 1.0 : -1.0;
        double hjc_local[3];
        double mean_leg = 0.5 * (p->side[0].leg_length_mm + p->side[1].leg_length_mm);
        fc_pig_davis_hjc(mean_leg, 0.1288 * p->side[s].leg_length_mm - 48.56, p->inter_asis_mm, r,
                         (enum fc_side)s, hjc_local);
        double hjc[3] = {o[0] + hjc_local[0], o[1] + hjc_local[1], o[2] + hjc_local[2]};
        const struct pose *q = &pose[s];
        /* knee forwards: rotation about +Y by -flexion; knee medial: about
         * +X by -lat * adduction; front turned medial: about Z by -lat * rot */
        double a[9], b[9], c[9], F[9], T[9], Fo[9];
        ry(-q->hip[0] * deg, a);
        rx(-lat * q->hip[1] * deg, b);
        rz(-lat * q->hip[2] * deg, c);
        mul(a, b, F);
        mul(F, c, F);
        /* knee flexion takes the ankle backwards: about +Y by +flexion;
         * varus takes it medially: about +X by -lat * varus */
        ry(q->knee[0] * deg, a);
        rx(-lat * q->knee[1] * deg, b);
        rz(-lat * q->knee[2] * deg, c);
        mul(a, b, T);
        mul(T, c, T);
        mul(F, T, T);
        /* dorsiflexion lifts the toe: the foot's forward axis turns about
         * +Y by -dorsiflexion */
        ry(-q->dorsi * deg, a);
        mul(T, a, Fo);
        float *m = xyz + (4 + 6 * s) * 3;
        double kjc[3], ajc[3];
        for (int i = 0; i < 3; i++)
            kjc[i] = hjc[i] - F[i * 3 + 2] * thigh_mm;
        for (int i = 0; i < 3; i++)
            ajc[i] = kjc[i] - T[i * 3 + 2] * shank_mm;
        place(hjc, F, 0, lat * 70, -thigh_mm / 2, m + 0);    /* THI in the thigh's frontal plane */
        place(kjc, F, 0, lat * (knee_w / 2 + r), 0, m + 3);  /* KNE */
        place(ajc, T, 0, lat * 65, shank_mm / 2, m + 6);     /* TIB */
        place(ajc, T, 0, lat * (ankle_w / 2 + r), 0, m + 9); /* ANK */
        place(ajc, Fo, -60, 0, -40, m + 12);                 /* HEE */
        place(ajc, Fo, foot_mm, 0, 0, m + 15);               /* TOE */
    }
}

static void run_pose(const struct pose pose[2], struct fc_pig_output *out)
{
    static float xyz[N_FRAMES * N_MARKERS * 3];
    struct fc_pig_params p = fc_pig_default_params();
    fc_pig_params_set(&p, "InterAsisDistance", 240);
    for (int s = 0; s < 2; s++) {
        p.side[s].leg_length_mm = 880;
        p.side[s].knee_width_mm = knee_w;
        p.side[s].ankle_width_mm = ankle_w;
    }
    for (int f = 0; f < N_FRAMES; f++)
        build(xyz + f * N_MARKERS * 3, 60.0 * f, pose, &p);
    char labels[N_MARKERS][8];
    for (int i = 0; i < N_MARKERS; i++)
        snprintf(labels[i], sizeof labels[i], "%s", names[i]);
    struct fc_pig_markers m;
    cr_assert_eq(fc_pig_markers_bind(&m, labels[0], 8, N_MARKERS, xyz, N_FRAMES, 1.0), 16);
    struct fc_error err = {0};
    cr_assert_eq(fc_pig_run(&m, &p, out, &err), 0, "%s", err.msg);
    cr_assert_eq(out->frames_with_legs, N_FRAMES);
}

static void expect_pose(const struct pose pose[2])
{
    struct fc_pig_output o;
    run_pose(pose, &o);
    for (int s = 0; s < 2; s++) {
        const double *h = fc_pig_angle(&o, 3, (enum fc_side)s, FC_PIG_HIP);
        const double *k = fc_pig_angle(&o, 3, (enum fc_side)s, FC_PIG_KNEE);
        const double *a = fc_pig_angle(&o, 3, (enum fc_side)s, FC_PIG_ANKLE);
        const double *pe = fc_pig_angle(&o, 3, (enum fc_side)s, FC_PIG_PELVIS);
        for (int c = 0; c < 3; c++) {
            /* float markers: a few thousandths of a degree */
            cr_expect_float_eq(h[c], pose[s].hip[c], 0.01, "side %d hip %d: %.4f vs %.4f", s, c,
                               h[c], pose[s].hip[c]);
            cr_expect_float_eq(k[c], pose[s].knee[c], 0.01, "side %d knee %d: %.4f vs %.4f", s, c,
                               k[c], pose[s].knee[c]);
            cr_expect_float_eq(pe[c], 0.0, 0.01, "side %d pelvis %d", s, c);
        }
        cr_expect_float_eq(a[0], pose[s].dorsi, 0.01, "side %d dorsiflexion %.4f vs %.4f", s, a[0],
                           pose[s].dorsi);
    }
    fc_pig_output_free(&o);
}

Test(pig, standing_straight_is_all_zero)
{
    struct pose p[2] = {{{0, 0, 0}, {0, 0, 0}, 0}, {{0, 0, 0}, {0, 0, 0}, 0}};
    expect_pose(p);
}

Test(pig, each_plane_alone_has_its_sign)
{
    struct pose flex[2] = {{{30, 0, 0}, {45, 0, 0}, 10}, {{-10, 0, 0}, {5, 0, 0}, -15}};
    expect_pose(flex);
    struct pose add[2] = {{{0, 12, 0}, {0, 6, 0}, 0}, {{0, -8, 0}, {0, -4, 0}, 0}};
    expect_pose(add);
    struct pose rot[2] = {{{0, 0, 15}, {0, 0, -10}, 0}, {{0, 0, -20}, {0, 0, 8}, 0}};
    expect_pose(rot);
}

Test(pig, combined_angles_decompose_back)
{
    struct pose p[2] = {{{35, 8, -12}, {50, 4, 9}, 12}, {{-5, -6, 14}, {20, -3, -7}, -8}};
    expect_pose(p);
}

Test(pig, foot_progression_reads_toe_in_positive)
{
    /* Internal rotation of the whole leg at the hip turns the toes in:
     * foot progression equals it (nothing else turns). */
    struct pose p[2] = {{{0, 0, 10}, {0, 0, 0}, 0}, {{0, 0, -7}, {0, 0, 0}, 0}};
    struct fc_pig_output o;
    run_pose(p, &o);
    cr_expect_float_eq(fc_pig_angle(&o, 2, FC_SIDE_LEFT, FC_PIG_FOOT_PROGRESSION)[2], 10.0, 0.01);
    cr_expect_float_eq(fc_pig_angle(&o, 2, FC_SIDE_RIGHT, FC_PIG_FOOT_PROGRESSION)[2], -7.0, 0.01);
    fc_pig_output_free(&o);
}

Test(pig, missing_measurements_are_estimated_and_named)
{
    struct pose p[2] = {{{0, 0, 0}, {0, 0, 0}, 0}, {{0, 0, 0}, {0, 0, 0}, 0}};
    static float xyz[N_FRAMES * N_MARKERS * 3];
    struct fc_pig_params known = fc_pig_default_params();
    known.inter_asis_mm = 240;
    for (int s = 0; s < 2; s++) {
        known.side[s].leg_length_mm = 880;
        known.side[s].knee_width_mm = knee_w;
        known.side[s].ankle_width_mm = ankle_w;
    }
    for (int f = 0; f < N_FRAMES; f++)
        build(xyz + f * N_MARKERS * 3, 60.0 * f, p, &known);
    char labels[N_MARKERS][8];
    for (int i = 0; i < N_MARKERS; i++)
        snprintf(labels[i], sizeof labels[i], "%s", names[i]);
    struct fc_pig_markers m;
    fc_pig_markers_bind(&m, labels[0], 8, N_MARKERS, xyz, N_FRAMES, 1.0);
    struct fc_pig_params none = fc_pig_default_params();
    struct fc_pig_output o;
    struct fc_error err = {0};
    cr_assert_eq(fc_pig_run(&m, &none, &o, &err), 0, "%s", err.msg);
    char est[256];
    fc_pig_estimated_names(&o, est, sizeof est);
    cr_expect(strstr(est, "LKneeWidth") && strstr(est, "RLegLength") &&
                  strstr(est, "InterAsisDistance"),
              "estimated: %s", est);
    /* The inter-ASIS distance is measured from the markers exactly. */
    cr_expect_float_eq(o.used.inter_asis_mm, 240.0, 1e-3);
    /* A straight leg stays nearly straight with guessed widths. */
    cr_expect_lt(fabs(fc_pig_angle(&o, 0, FC_SIDE_LEFT, FC_PIG_KNEE)[0]), 3.0);
    fc_pig_output_free(&o);
}

Test(pig, no_pelvis_is_an_error)
{
    float xyz[3] = {0, 0, 0};
    char labels[1][8] = {"LKNE"};
    struct fc_pig_markers m;
    fc_pig_markers_bind(&m, labels[0], 8, 1, xyz, 1, 1.0);
    struct fc_pig_output o;
    struct fc_error err = {0};
    cr_expect_lt(fc_pig_run(&m, NULL, &o, &err), 0);
    cr_expect(strstr(err.msg, "pelvis") != NULL, "%s", err.msg);
}

/* ---- squat reps from joint centres ---- */

#include "analysis/mocap.h"

/* Three squats built from their joint centres, bottoms at frames 50, 150
 * and 250: the thighs turn from hanging down to 10 deg below horizontal,
 * the knees come in to 80% of the ankles' separation, flex to 120 deg and
 * go 5 deg into valgus. */
Test(pig, squat_reps_and_their_measures_from_centres)
{
    enum { N = 300 };
    static double centres[N * 2 * FC_PIG_CENTRE_COUNT * 3], angles[N * 2 * FC_PIG_JOINT_COUNT * 3];
    struct fc_pig_output o;
    memset(&o, 0, sizeof o);
    o.n_frames = N;
    o.centre_mm = centres;
    o.angle_deg = angles;
    o.up[2] = 1;
    double P[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    memcpy(o.progression, P, sizeof P);
    const double thigh = 450, shank = 420, ankle_half = 150;
    for (int i = 0; i < N; i++) {
        /* depth: 0 standing, 1 at each bottom */
        double d = 0.5 - 0.5 * cos(2 * 3.14159265358979323846 * i / 100.0);
        double incl = (-90.0 + d * 100.0) * deg; /* thigh from -90 (down) to +10 deg */
        double knee_half = ankle_half * (1.0 - 0.2 * d);
        for (int s = 0; s < 2; s++) {
            double y = s == 0 ? 1 : -1;
            double *h = centres + ((size_t)(i * 2 + s) * FC_PIG_CENTRE_COUNT) * 3;
            double *k = h + 3, *a = h + 6;
            a[0] = 0, a[1] = y * ankle_half, a[2] = 80;
            k[0] = 0.2 * shank * d, k[1] = y * knee_half,
            k[2] = 80 + shank * sqrt(1 - 0.04 * d * d);
            /* the hip behind the knee, at the thigh's inclination */
            h[0] = k[0] - thigh * cos(incl), h[1] = k[1], h[2] = k[2] - thigh * sin(incl);
            double *ang = angles + ((size_t)(i * 2 + s) * FC_PIG_JOINT_COUNT) * 3;
            ang[3 * FC_PIG_KNEE + 0] = 120 * d;
            ang[3 * FC_PIG_KNEE + 1] = -5 * d; /* 5 deg valgus at the bottom */
        }
    }
    struct fc_mocap_squat sq;
    struct fc_error err = {0};
    cr_assert_eq(fc_mocap_squat(&o, NULL, 100.0, &sq, &err), 0, "%s", err.msg);
    cr_assert_eq(sq.n_reps, 3);
    for (size_t r = 0; r < 3; r++) {
        const struct fc_mocap_rep *q = &sq.reps[r];
        cr_expect_eq(q->bottom, 50 + 100 * r);
        cr_expect_float_eq(q->depth_deg, 10.0, 1e-6);
        /* hips 450 sin(10 deg) below the knees */
        cr_expect_float_eq(q->depth_mm, -thigh * sin(10 * deg), 1e-6);
        cr_expect_float_eq(q->knee_sep_pct, 80.0, 1e-9);
        cr_expect_float_eq(q->knee_flexion_deg, 120.0, 1e-9);
        cr_expect_eq(q->leading_side, -1, "feet level");
        cr_expect_float_eq(q->knee_valgus_deg[0], 5.0, 1e-9);
        cr_expect(isnan(q->trunk_forward_deg), "no trunk markers given");
        cr_expect_eq(q->stance_side, -1, "both feet down");
        cr_expect(isnan(q->pelvic_drop_deg));
    }
    fc_mocap_squat_free(&sq);

    /* The same reps on the left leg alone: the right ankle held 200 mm up
     * and the right pelvis dropping to 6 deg below level at the bottoms. */
    for (int i = 0; i < N; i++) {
        double d = 0.5 - 0.5 * cos(2 * 3.14159265358979323846 * i / 100.0);
        double *ar = centres + ((size_t)(i * 2 + 1) * FC_PIG_CENTRE_COUNT + FC_PIG_AJC) * 3;
        ar[2] += 200;
        angles[((size_t)(i * 2 + 1) * FC_PIG_JOINT_COUNT + FC_PIG_PELVIS) * 3 + 1] = -6 * d;
    }
    cr_assert_eq(fc_mocap_squat(&o, NULL, 100.0, &sq, &err), 0, "%s", err.msg);
    cr_assert_eq(sq.n_reps, 3);
    for (size_t r = 0; r < 3; r++) {
        cr_expect_eq(sq.reps[r].stance_side, FC_SIDE_LEFT);
        cr_expect_float_eq(sq.reps[r].pelvic_drop_deg, 6.0, 1e-9);
    }
    fc_mocap_squat_free(&sq);
}

Test(pig, thorax_angles_from_a_thorax_built_tilted)
{
    /* A level pelvis walking along +X; the thorax leaning 20 deg forward
     * and, by a rotation about its forward axis, 10 deg to the left (its
     * left side down). */
    enum { F = 8, M = 8 };
    static const char *nm[M] = {"LASI", "RASI", "LPSI", "RPSI", "C7", "T10", "CLAV", "STRN"};
    const double local[4][3] = {{-60, 0, 450}, {-80, 0, 250}, {60, 0, 430}, {80, 0, 280}};
    static float xyz[F * M * 3];
    double a[9], b[9], R[9];
    ry(20 * deg, a);
    rx(-10 * deg, b);
    mul(a, b, R);
    double I[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    for (int f = 0; f < F; f++) {
        const double o[3] = {60.0 * f, 0, 1000};
        float *p = xyz + f * M * 3;
        place(o, I, 0, 120, 0, p + 0);
        place(o, I, 0, -120, 0, p + 3);
        place(o, I, -160, 45, 0, p + 6);
        place(o, I, -160, -45, 0, p + 9);
        for (int k = 0; k < 4; k++)
            place(o, R, local[k][0], local[k][1], local[k][2], p + 12 + 3 * k);
    }
    char labels[M][8];
    for (int i = 0; i < M; i++)
        snprintf(labels[i], sizeof labels[i], "%s", nm[i]);
    struct fc_pig_markers m;
    cr_assert_eq(fc_pig_markers_bind(&m, labels[0], 8, M, xyz, F, 1.0), 8);
    struct fc_pig_output o;
    struct fc_error err = {0};
    cr_assert_eq(fc_pig_run(&m, NULL, &o, &err), 0, "%s", err.msg);
    const double *l = fc_pig_angle(&o, 4, FC_SIDE_LEFT, FC_PIG_THORAX);
    const double *r = fc_pig_angle(&o, 4, FC_SIDE_RIGHT, FC_PIG_THORAX);
    cr_expect_float_eq(l[0], 20.0, 0.01, "forward tilt %.4f", l[0]);
    cr_expect_float_eq(l[1], -10.0, 0.01, "left side down: %.4f", l[1]);
    cr_expect_float_eq(r[1], 10.0, 0.01, "right side up: %.4f", r[1]);
    cr_expect_float_eq(l[2], 0.0, 0.01);
    cr_expect(isnan(fc_pig_angle(&o, 4, FC_SIDE_LEFT, FC_PIG_HIP)[0]), "no legs, no hip angle");
    fc_pig_output_free(&o);
}

/* AnkleAbAdd is stored side-signed, like the thigh and shank rotations: a
 * lab that measured the same tilt of both ankles stores +a on the left and
 * -a on the right (c3d.org s00: +8.9 and -13.2 deg). On a body that is its
 * own mirror image the two ankle centres must then be mirror images too:
 * the same height and progression, opposite sides of the midline (y = 0). */
Test(pig, ankle_abadd_is_side_signed)
{
    static float xyz[N_FRAMES * N_MARKERS * 3];
    const struct pose pose[2] = {{{20, 5, 3}, {30, 2, 4}, 10}, {{20, 5, 3}, {30, 2, 4}, 10}};
    struct fc_pig_params p = fc_pig_default_params();
    fc_pig_params_set(&p, "InterAsisDistance", 240);
    for (int s = 0; s < 2; s++) {
        p.side[s].leg_length_mm = 880;
        p.side[s].knee_width_mm = knee_w;
        p.side[s].ankle_width_mm = ankle_w;
    }
    for (int f = 0; f < N_FRAMES; f++)
        build(xyz + f * N_MARKERS * 3, 60.0 * f, pose, &p);
    char labels[N_MARKERS][8];
    for (int i = 0; i < N_MARKERS; i++)
        snprintf(labels[i], sizeof labels[i], "%s", names[i]);
    struct fc_pig_markers m;
    cr_assert_eq(fc_pig_markers_bind(&m, labels[0], 8, N_MARKERS, xyz, N_FRAMES, 1.0), 16);
    const double tilt_deg = 12.0;
    cr_assert_eq(fc_pig_params_set(&p, "LAnkleAbAdd", tilt_deg * deg), 1);
    cr_assert_eq(fc_pig_params_set(&p, "RAnkleAbAdd", -tilt_deg * deg), 1);
    struct fc_pig_output o;
    struct fc_error err = {0};
    cr_assert_eq(fc_pig_run(&m, &p, &o, &err), 0, "%s", err.msg);
    const double *l = fc_pig_centre(&o, 3, FC_SIDE_LEFT, FC_PIG_AJC);
    const double *r = fc_pig_centre(&o, 3, FC_SIDE_RIGHT, FC_PIG_AJC);
    /* The tilt moves each centre about 8 mm (a 42 mm radius turned by 12
     * deg); a wrong side sign moves the two apart by twice that in height. */
    cr_expect_float_eq(l[0], r[0], 0.01, "progression %.3f vs %.3f", l[0], r[0]);
    cr_expect_float_eq(l[1], -r[1], 0.01, "lateral %.3f vs %.3f", l[1], -r[1]);
    cr_expect_float_eq(l[2], r[2], 0.01, "height %.3f vs %.3f", l[2], r[2]);
    /* and the ankle angles read the same on both sides */
    const double *al = fc_pig_angle(&o, 3, FC_SIDE_LEFT, FC_PIG_ANKLE);
    const double *ar = fc_pig_angle(&o, 3, FC_SIDE_RIGHT, FC_PIG_ANKLE);
    for (int c = 0; c < 3; c++)
        cr_expect_float_eq(al[c], ar[c], 0.01, "ankle %d: %.4f vs %.4f", c, al[c], ar[c]);
    fc_pig_output_free(&o);
}
