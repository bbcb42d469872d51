/* Pelvis frame and Plug-in Gait angles, checked against synthetic pelvises
 * placed with known rotations: the expected angles are the ones used to
 * build the markers, not anything the code under test computed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/pelvis.h"
#include "core/units.h"

/* Marker positions in the pelvis's own frame (mm): ASIS 240 mm apart, PSIS
 * 90 mm apart and 160 mm behind. The sacrum lies in the pelvis X-Y plane by
 * the definition of the frame. */
static const double local_lasi[3] = {0, 120, 0};
static const double local_rasi[3] = {0, -120, 0};
static const double local_lpsi[3] = {-160, 45, 0};
static const double local_rpsi[3] = {-160, -45, 0};

static void matmul(const double A[9], const double B[9], double C[9])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 3; k++)
                s += A[i * 3 + k] * B[k * 3 + j];
            C[i * 3 + j] = s;
        }
}

static void place(const double R[9], const double origin[3], const double local[3], double out[3])
{
    for (int i = 0; i < 3; i++)
        out[i] =
            origin[i] + R[i * 3 + 0] * local[0] + R[i * 3 + 1] * local[1] + R[i * 3 + 2] * local[2];
}

/* A progression frame walking along lab -Y with Z up: X = -Y_lab, Y = +X_lab. */
static const double P_minus_y[9] = {0, 1, 0, -1, 0, 0, 0, 0, 1};

/* Deterministic pseudo-random numbers in [lo, hi). */
static double uniform(unsigned *state, double lo, double hi)
{
    *state = *state * 1103515245u + 12345u;
    return lo + (hi - lo) * ((*state >> 8) & 0xFFFFFF) / (double)0x1000000;
}

Test(pelvis, euler_yxz_round_trip)
{
    unsigned seed = 7;
    for (int i = 0; i < 1000; i++) {
        double a = uniform(&seed, -3.0, 3.0), b = uniform(&seed, -1.5, 1.5),
               c = uniform(&seed, -3.0, 3.0);
        double R[9], a2, b2, c2;
        fc_rotation_yxz(a, b, c, R);
        fc_euler_yxz(R, &a2, &b2, &c2);
        cr_assert_float_eq(a2, a, 1e-9, "tilt %g vs %g", a2, a);
        cr_assert_float_eq(b2, b, 1e-9);
        cr_assert_float_eq(c2, c, 1e-9);
    }
}

Test(pelvis, rotation_yxz_signs)
{
    /* Rotating about Y by +10 deg tips the forward axis down: anterior tilt. */
    double R[9];
    fc_rotation_yxz(10 * FC_RAD_PER_DEG, 0, 0, R);
    cr_assert_lt(R[2 * 3 + 0], 0.0, "X axis z component should be negative");
    /* About X by +10 deg lifts the left (Y) axis. */
    fc_rotation_yxz(0, 10 * FC_RAD_PER_DEG, 0, R);
    cr_assert_gt(R[2 * 3 + 1], 0.0);
}

Test(pelvis, synthetic_pelvis_gives_known_angles)
{
    unsigned seed = 42;
    for (int i = 0; i < 500; i++) {
        double tilt = uniform(&seed, -30, 30), obl = uniform(&seed, -20, 20),
               rot = uniform(&seed, -40, 40);
        double Rlocal[9], R[9];
        fc_rotation_yxz(tilt * FC_RAD_PER_DEG, obl * FC_RAD_PER_DEG, rot * FC_RAD_PER_DEG, Rlocal);
        matmul(P_minus_y, Rlocal, R);
        double origin[3] = {uniform(&seed, -2000, 2000), uniform(&seed, -2000, 2000), 950};
        double lasi[3], rasi[3], lpsi[3], rpsi[3];
        place(R, origin, local_lasi, lasi);
        place(R, origin, local_rasi, rasi);
        place(R, origin, local_lpsi, lpsi);
        place(R, origin, local_rpsi, rpsi);

        double Rm[9];
        cr_assert_eq(fc_pelvis_frame(lasi, rasi, lpsi, rpsi, NULL, Rm), 0);
        struct fc_pelvis_angles l, r;
        fc_pelvis_angles(Rm, P_minus_y, FC_SIDE_LEFT, &l);
        fc_pelvis_angles(Rm, P_minus_y, FC_SIDE_RIGHT, &r);
        cr_assert_float_eq(l.tilt_deg, tilt, 1e-6, "tilt %.9f vs %.9f", l.tilt_deg, tilt);
        cr_assert_float_eq(l.obliquity_deg, obl, 1e-6);
        /* Positive rotation about Z'' turns the pelvis left: the right side
         * comes forward, so it is internal for the right, external for the left. */
        cr_assert_float_eq(l.rotation_deg, -rot, 1e-6);
        cr_assert_float_eq(r.tilt_deg, tilt, 1e-6);
        cr_assert_float_eq(r.obliquity_deg, -obl, 1e-6);
        cr_assert_float_eq(r.rotation_deg, rot, 1e-6);

        /* The sacrum marker alone defines the same frame. */
        double sacr[3], Rs[9];
        for (int k = 0; k < 3; k++)
            sacr[k] = 0.5 * (lpsi[k] + rpsi[k]);
        cr_assert_eq(fc_pelvis_frame(lasi, rasi, NULL, NULL, sacr, Rs), 0);
        for (int k = 0; k < 9; k++)
            cr_assert_float_eq(Rs[k], Rm[k], 1e-12);
    }
}

Test(pelvis, left_side_up_is_positive_left_obliquity)
{
    /* Build the markers by hand: left ASIS 20 mm higher than the right. */
    double lasi[3] = {0, 120, 1020}, rasi[3] = {0, -120, 1000};
    double lpsi[3] = {-160, 45, 1020}, rpsi[3] = {-160, -45, 1000};
    double R[9], P[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    cr_assert_eq(fc_pelvis_frame(lasi, rasi, lpsi, rpsi, NULL, R), 0);
    struct fc_pelvis_angles l;
    fc_pelvis_angles(R, P, FC_SIDE_LEFT, &l);
    cr_assert_float_eq(l.obliquity_deg, atan2(20, 240) * FC_DEG_PER_RAD, 1e-9);
    cr_assert_float_eq(l.tilt_deg, 0.0, 1e-9);
}

Test(pelvis, degenerate_or_missing_markers_are_rejected)
{
    double a[3] = {0, 0, 0}, nan3[3] = {NAN, 0, 0}, p[3] = {-100, 0, 0}, R[9];
    cr_assert_eq(fc_pelvis_frame(a, a, p, p, NULL, R), -1, "coincident ASIS");
    cr_assert_eq(fc_pelvis_frame(nan3, a, p, p, NULL, R), -1);
    double lasi[3] = {0, 120, 0}, rasi[3] = {0, -120, 0};
    cr_assert_eq(fc_pelvis_frame(lasi, rasi, NULL, NULL, NULL, R), -1, "no sacrum");
    double on_line[3] = {0, 0, 0}; /* sacrum on the ASIS line */
    cr_assert_eq(fc_pelvis_frame(lasi, rasi, NULL, NULL, on_line, R), -1);
}

/* A walk along lab -Y, or along +X with Y up, with angles that vary over time. */
static void make_walk(struct fc_pose_track *t, int n, int y_up, double *tilt, double *obl,
                      double *rot)
{
    struct fc_error err = {0};
    fc_pose_track_init(t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    /* Y-up lab: progression +X, lab up +Y, so progression Y = up x X = -Z_lab. */
    static const double P_y_up[9] = {1, 0, 0, 0, 0, 1, 0, -1, 0};
    const double *P = y_up ? P_y_up : P_minus_y;
    for (int i = 0; i < n; i++) {
        double s = i / 100.0;
        tilt[i] = 12 + 3 * sin(2 * FC_PI * s);
        obl[i] = 5 * sin(2 * FC_PI * s + 1);
        rot[i] = 8 * sin(2 * FC_PI * s + 2);
        double Rl[9], R[9];
        fc_rotation_yxz(tilt[i] * FC_RAD_PER_DEG, obl[i] * FC_RAD_PER_DEG, rot[i] * FC_RAD_PER_DEG,
                        Rl);
        matmul(P, Rl, R);
        double forward_mm = 1300.0 * s, origin[3];
        for (int k = 0; k < 3; k++)
            origin[k] = P[k * 3 + 0] * forward_mm + P[k * 3 + 2] * 950.0;
        struct fc_keypoints *k = fc_pose_track_push(t, &err);
        cr_assert_not_null(k);
        k->t_s = s;
        const double *loc[4] = {local_lasi, local_rasi, local_lpsi, local_rpsi};
        const enum fc_joint ids[4] = {FC_JOINT_LEFT_ASIS, FC_JOINT_RIGHT_ASIS, FC_JOINT_LEFT_PSIS,
                                      FC_JOINT_RIGHT_PSIS};
        for (int m = 0; m < 4; m++) {
            double g[3];
            place(R, origin, loc[m], g);
            fc_keypoints_set(k, ids[m], (float)g[0], (float)g[1], (float)g[2], 1.0f);
        }
    }
}

static void check_walk(int y_up)
{
    enum { N = 300 };
    double tilt[N], obl[N], rot[N];
    struct fc_pose_track t;
    make_walk(&t, N, y_up, tilt, obl, rot);
    /* Drop the markers in one frame: it must come out as a gap. */
    t.frames[100].score[FC_JOINT_LEFT_ASIS] = 0.0f;
    struct fc_pelvis_angles *l = calloc(N, sizeof *l);
    struct fc_error err = {0};
    long valid = fc_pelvis_track_angles(&t, NULL, l, NULL, &err);
    cr_assert_eq(valid, N - 1, "%s", err.msg);
    for (int i = 0; i < N; i++) {
        if (i == 100) {
            cr_assert(isnan(l[i].tilt_deg));
            continue;
        }
        /* Markers are stored as float (mm), so about 1e-4 deg of rounding. */
        cr_assert_float_eq(l[i].tilt_deg, tilt[i], 1e-3, "frame %d", i);
        cr_assert_float_eq(l[i].obliquity_deg, obl[i], 1e-3);
        cr_assert_float_eq(l[i].rotation_deg, -rot[i], 1e-3);
    }
    free(l);
    fc_pose_track_free(&t);
}

Test(pelvis, walk_along_minus_y_z_up)
{
    check_walk(0);
}

Test(pelvis, walk_along_x_y_up)
{
    check_walk(1);
}

Test(pelvis, standing_uses_pelvis_heading)
{
    enum { N = 50 };
    double tilt[N], obl[N], rot[N];
    struct fc_pose_track t;
    make_walk(&t, N, 0, tilt, obl, rot);
    /* Pin the pelvis in place: no travel, so heading decides progression. */
    for (int i = 0; i < N; i++)
        for (int j = FC_JOINT_LEFT_ASIS; j <= FC_JOINT_RIGHT_PSIS; j++)
            t.frames[i].y[j] += (float)(1300.0 * i / 100.0);
    struct fc_pelvis_angles l[N];
    struct fc_error err = {0};
    cr_assert_eq(fc_pelvis_track_angles(&t, NULL, l, NULL, &err), N, "%s", err.msg);
    cr_assert_float_eq(l[10].tilt_deg, tilt[10], 1e-3);
    cr_assert_float_eq(l[10].rotation_deg, -rot[10], 1e-3);
    fc_pose_track_free(&t);
}

Test(pelvis, track_without_pelvis_markers_is_an_error)
{
    struct fc_pose_track t;
    struct fc_error err = {0};
    fc_pose_track_init(&t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    struct fc_keypoints *k = fc_pose_track_push(&t, &err);
    fc_keypoints_set(k, FC_JOINT_LEFT_KNEE, 1, 2, 3, 1);
    cr_assert_lt(fc_pelvis_track_angles(&t, NULL, NULL, NULL, &err), 0);
    cr_assert(strstr(err.msg, "LASI") != NULL, "%s", err.msg);
    fc_pose_track_free(&t);

    fc_pose_track_init(&t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    fc_pose_track_push(&t, &err);
    cr_assert_lt(fc_pelvis_track_angles(&t, NULL, NULL, NULL, &err), 0);
    cr_assert(strstr(err.msg, "3-D") != NULL, "%s", err.msg);
    fc_pose_track_free(&t);
}
