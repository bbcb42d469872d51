#include "analysis/pelvis.h"

#include "core/units.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A walk shorter than this is treated as standing: its direction of travel
 * is noise, so the pelvis's own forward axis defines progression. */
static const double min_travel_mm = 300.0;

static void sub3(const double a[3], const double b[3], double out[3])
{
    for (int i = 0; i < 3; i++)
        out[i] = a[i] - b[i];
}

static void cross3(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

static double norm3(const double a[3])
{
    return sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
}

static int normalize3(double a[3])
{
    double n = norm3(a);
    if (!(n > 1e-9) || !isfinite(n))
        return -1;
    for (int i = 0; i < 3; i++)
        a[i] /= n;
    return 0;
}

static int finite3(const double *a)
{
    return a && isfinite(a[0]) && isfinite(a[1]) && isfinite(a[2]);
}

/* Columns of R are the axes: R[row * 3 + col]. */
static void set_columns(double R[9], const double x[3], const double y[3], const double z[3])
{
    for (int i = 0; i < 3; i++) {
        R[i * 3 + 0] = x[i];
        R[i * 3 + 1] = y[i];
        R[i * 3 + 2] = z[i];
    }
}

int fc_pelvis_frame(const double lasi[3], const double rasi[3], const double lpsi[3],
                    const double rpsi[3], const double sacr[3], double R[9])
{
    double sacrum[3];
    if (finite3(lpsi) && finite3(rpsi)) {
        for (int i = 0; i < 3; i++)
            sacrum[i] = 0.5 * (lpsi[i] + rpsi[i]);
    } else if (finite3(sacr)) {
        memcpy(sacrum, sacr, sizeof sacrum);
    } else {
        return -1;
    }
    if (!finite3(lasi) || !finite3(rasi))
        return -1;

    double origin[3], y[3], back_to_front[3], z[3], x[3];
    for (int i = 0; i < 3; i++)
        origin[i] = 0.5 * (lasi[i] + rasi[i]);
    sub3(lasi, rasi, y);
    sub3(origin, sacrum, back_to_front);
    if (normalize3(y) < 0)
        return -1;
    cross3(back_to_front, y, z);
    if (normalize3(z) < 0)
        return -1;
    cross3(y, z, x);
    set_columns(R, x, y, z);
    return 0;
}

void fc_rotation_yxz(double a, double b, double c, double R[9])
{
    double ca = cos(a), sa = sin(a), cb = cos(b), sb = sin(b), cc = cos(c), sc = sin(c);
    double Ry[9] = {ca, 0, sa, 0, 1, 0, -sa, 0, ca};
    double Rx[9] = {1, 0, 0, 0, cb, -sb, 0, sb, cb};
    double Rz[9] = {cc, -sc, 0, sc, cc, 0, 0, 0, 1};
    double RyRx[9];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 3, 3, 3, 1.0, Ry, 3, Rx, 3, 0.0, RyRx,
                3);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 3, 3, 3, 1.0, RyRx, 3, Rz, 3, 0.0, R, 3);
}

void fc_euler_yxz(const double R[9], double *a, double *b, double *c)
{
    /* Ry(a) Rx(b) Rz(c) has R12 = -sin b, R02/R22 = tan a, R10/R11 = tan c. */
    double s = -R[1 * 3 + 2];
    if (s > 1.0)
        s = 1.0;
    if (s < -1.0)
        s = -1.0;
    *b = asin(s);
    *a = atan2(R[0 * 3 + 2], R[2 * 3 + 2]);
    *c = atan2(R[1 * 3 + 0], R[1 * 3 + 1]);
}

void fc_pelvis_angles(const double R[9], const double P[9], enum fc_side side,
                      struct fc_pelvis_angles *out)
{
    /* Pelvis orientation expressed in the progression frame: P^T R. */
    double M[9];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, 3, 3, 3, 1.0, P, 3, R, 3, 0.0, M, 3);
    double a, b, c;
    fc_euler_yxz(M, &a, &b, &c);
    /* Positive X' rotation lifts the left side; positive Z'' rotation turns
     * the pelvis to the left, bringing the right side forward. */
    double sign = side == FC_SIDE_LEFT ? 1.0 : -1.0;
    out->tilt_deg = a * FC_DEG_PER_RAD;
    out->obliquity_deg = sign * b * FC_DEG_PER_RAD;
    out->rotation_deg = -sign * c * FC_DEG_PER_RAD;
}

/* The lab axis (with sign) closest to direction v. */
static void snap_to_axis(const double v[3], double out[3])
{
    int best = 0;
    for (int i = 1; i < 3; i++)
        if (fabs(v[i]) > fabs(v[best]))
            best = i;
    out[0] = out[1] = out[2] = 0.0;
    out[best] = v[best] < 0 ? -1.0 : 1.0;
}

static void mean_direction(const double *xyz, size_t n, double out[3])
{
    out[0] = out[1] = out[2] = 0.0;
    for (size_t i = 0; i < n; i++)
        if (finite3(xyz + 3 * i))
            for (int k = 0; k < 3; k++)
                out[k] += xyz[3 * i + k];
}

int fc_lab_up_axis(const double *pelvis_z_xyz, size_t n, double up[3], struct fc_error *err)
{
    double sum[3];
    mean_direction(pelvis_z_xyz, n, sum);
    if (normalize3(sum) < 0)
        return fc_error_set(err, FC_ERR_EMPTY, "no frame has a pelvis to find the vertical from");
    snap_to_axis(sum, up);
    return 0;
}

/* Least-squares line p(i) = p0 + v i through the valid rows; v in out. */
static int fit_velocity(const double *xyz, size_t n, double v[3], double *travel)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += finite3(xyz + 3 * i);
    if (m < 2)
        return -1;
    double *A = malloc(m * 2 * sizeof *A);
    double *B = malloc(m * 3 * sizeof *B);
    if (!A || !B) {
        free(A);
        free(B);
        return -1;
    }
    size_t r = 0;
    double first = NAN, last = NAN;
    for (size_t i = 0; i < n; i++) {
        if (!finite3(xyz + 3 * i))
            continue;
        if (isnan(first))
            first = (double)i;
        last = (double)i;
        A[r * 2 + 0] = (double)i;
        A[r * 2 + 1] = 1.0;
        memcpy(B + r * 3, xyz + 3 * i, 3 * sizeof *B);
        r++;
    }
    lapack_int info = LAPACKE_dgels(LAPACK_ROW_MAJOR, 'N', (lapack_int)m, 2, 3, A, 2, B, 3);
    if (info == 0) {
        memcpy(v, B, 3 * sizeof *v); /* row 0 of the solution: the slope */
        double span[3] = {v[0] * (last - first), v[1] * (last - first), v[2] * (last - first)};
        *travel = norm3(span);
    }
    free(A);
    free(B);
    return info == 0 ? 0 : -1;
}

int fc_progression_frame(const double *origin_xyz, const double *pelvis_x_xyz, size_t n,
                         const double up[3], double P[9], struct fc_error *err)
{
    double dir[3], travel = 0.0;
    if (fit_velocity(origin_xyz, n, dir, &travel) < 0)
        travel = 0.0;
    /* Only the horizontal part says where the subject is heading. */
    double vertical_part = dir[0] * up[0] + dir[1] * up[1] + dir[2] * up[2];
    double horizontal_travel = 0.0;
    if (travel > 0.0) {
        for (int k = 0; k < 3; k++)
            dir[k] -= vertical_part * up[k];
        horizontal_travel = travel * norm3(dir) / (norm3(dir) + fabs(vertical_part) + 1e-12);
    }
    if (horizontal_travel < min_travel_mm || normalize3(dir) < 0) {
        mean_direction(pelvis_x_xyz, n, dir);
        double d = dir[0] * up[0] + dir[1] * up[1] + dir[2] * up[2];
        for (int k = 0; k < 3; k++)
            dir[k] -= d * up[k];
        if (normalize3(dir) < 0)
            return fc_error_set(err, FC_ERR_EMPTY,
                                "no frame has a pelvis to find the direction of progression");
    }
    double x[3], y[3], z[3];
    snap_to_axis(dir, x);
    memcpy(z, up, sizeof z);
    cross3(z, x, y);
    set_columns(P, x, y, z);
    return 0;
}

long fc_pelvis_track_angles(const struct fc_pose_track *t, const double *up,
                            struct fc_pelvis_angles *out_left, struct fc_pelvis_angles *out_right,
                            struct fc_error *err)
{
    size_t n = t->n_frames;
    if (t->dims != 3)
        return fc_error_set(err, FC_ERR_UNSUPPORTED,
                            "pelvis angles need 3-D marker data; this track is %d-D", t->dims);
    if (n == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "no frames");
    double *R = malloc(n * 9 * sizeof *R);
    double *origin = malloc(n * 3 * sizeof *origin);
    double *xs = malloc(n * 3 * sizeof *xs);
    double *zs = malloc(n * 3 * sizeof *zs);
    long valid = 0;
    int rc = 0;
    if (!R || !origin || !xs || !zs) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu frames", n);
        goto done;
    }

    for (size_t i = 0; i < n; i++) {
        const struct fc_keypoints *k = &t->frames[i];
        double m[5][3];
        const enum fc_joint ids[5] = {FC_JOINT_LEFT_ASIS, FC_JOINT_RIGHT_ASIS, FC_JOINT_LEFT_PSIS,
                                      FC_JOINT_RIGHT_PSIS, FC_JOINT_SACRUM};
        for (int j = 0; j < 5; j++) {
            int seen = k->score[ids[j]] > 0.0f;
            m[j][0] = seen ? k->x[ids[j]] : NAN;
            m[j][1] = seen ? k->y[ids[j]] : NAN;
            m[j][2] = seen ? k->z[ids[j]] : NAN;
        }
        double *Ri = R + 9 * i;
        if (fc_pelvis_frame(m[0], m[1], m[2], m[3], m[4], Ri) == 0) {
            for (int c = 0; c < 3; c++) {
                origin[3 * i + c] = 0.5 * (m[0][c] + m[1][c]);
                xs[3 * i + c] = Ri[c * 3 + 0];
                zs[3 * i + c] = Ri[c * 3 + 2];
            }
            valid++;
        } else {
            Ri[0] = NAN;
            for (int c = 0; c < 3; c++)
                origin[3 * i + c] = xs[3 * i + c] = zs[3 * i + c] = NAN;
        }
    }
    if (valid == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY,
                          "no frame has the pelvis markers (LASI, RASI and LPSI+RPSI or SACR)");
        goto done;
    }

    double lab_up[3], P[9];
    if (up)
        memcpy(lab_up, up, sizeof lab_up);
    else if ((rc = fc_lab_up_axis(zs, n, lab_up, err)) < 0)
        goto done;
    if ((rc = fc_progression_frame(origin, xs, n, lab_up, P, err)) < 0)
        goto done;

    for (size_t i = 0; i < n; i++) {
        struct fc_pelvis_angles l = {NAN, NAN, NAN}, r = {NAN, NAN, NAN};
        if (!isnan(R[9 * i])) {
            fc_pelvis_angles(R + 9 * i, P, FC_SIDE_LEFT, &l);
            fc_pelvis_angles(R + 9 * i, P, FC_SIDE_RIGHT, &r);
        }
        if (out_left)
            out_left[i] = l;
        if (out_right)
            out_right[i] = r;
    }
done:
    free(R);
    free(origin);
    free(xs);
    free(zs);
    return rc < 0 ? rc : valid;
}
