#include "analysis/pig.h"

#include "analysis/pelvis.h"
#include "core/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Davis et al. 1991: the hip centre lies at distance C = 0.115 L - 15.3 mm
 * (L the mean leg length) from the ASIS, in a direction given by theta = 28.4
 * deg and beta = 18 deg in the pelvis frame. Plug-in Gait uses these values
 * in radians to the float's precision, which is what they are here. */
static const double davis_c_per_leg = 0.115;
static const double davis_c_offset_mm = 15.3;
static const double davis_theta_rad = 0.500000178813934;
static const double davis_beta_rad = 0.314000427722931;
/* ASIS-trochanter distance when the lab did not measure it (Davis 1991,
 * Plug-in Gait): 0.1288 L - 48.56 mm. */
static const double atd_per_leg = 0.1288;
static const double atd_offset_mm = 48.56;
/* Without a caliper measurement the joint widths are guessed from the leg:
 * an adult knee is about 100 mm across for an 870 mm leg and an ankle about
 * 70 mm (Plug-in Gait's typical entries); the estimate costs degrees of knee
 * rotation, which is why the report says when it was used. */
static const double knee_width_per_leg = 0.115;
static const double ankle_width_per_leg = 0.08;
/* The offset solve converges in a few secant steps; a hundredth of a
 * millidegree is far below what markers resolve. */
static const int chord_max_iterations = 30;
static const double chord_tolerance_rad = 1e-7;
/* Vicon's default marker: 14 mm across. */
static const double default_marker_diameter_mm = 14.0;
/* The foot segment points from the toe back to the ankle, a quarter turn
 * from the tibia; Plug-in Gait reports the ankle relative to that. */
static const double foot_to_tibia_deg = 90.0;

static const char *const marker_names[FC_PIG_MARKER_COUNT] = {
    "LASI", "RASI", "LPSI", "RPSI", "SACR", "LTHI", "LKNE", "LTIB", "LANK", "LHEE", "LTOE",
    "RTHI", "RKNE", "RTIB", "RANK", "RHEE", "RTOE", "C7",   "T10",  "CLAV", "STRN"};

const char *fc_pig_marker_name(enum fc_pig_marker m)
{
    return (unsigned)m < FC_PIG_MARKER_COUNT ? marker_names[m] : NULL;
}

int fc_pig_marker_from_label(const char *label)
{
    if (!label)
        return -1;
    const char *colon = strrchr(label, ':');
    const char *name = colon ? colon + 1 : label;
    for (int i = 0; i < FC_PIG_MARKER_COUNT; i++)
        if (strcasecmp(name, marker_names[i]) == 0)
            return i;
    return -1;
}

int fc_pig_markers_bind(struct fc_pig_markers *m, const char *labels, size_t label_stride,
                        size_t n_points, const float *xyz, size_t n_frames, double mm_per_unit)
{
    memset(m, 0, sizeof *m);
    m->n_frames = n_frames;
    m->stride = n_points * 3;
    m->mm_per_unit = mm_per_unit;
    int bound = 0;
    for (size_t i = 0; i < n_points; i++) {
        int k = fc_pig_marker_from_label(labels + i * label_stride);
        if (k >= 0 && !m->xyz[k]) {
            m->xyz[k] = xyz + 3 * i;
            bound++;
        }
    }
    return bound;
}

struct fc_pig_params fc_pig_default_params(void)
{
    struct fc_pig_params p;
    p.inter_asis_mm = NAN;
    p.marker_diameter_mm = default_marker_diameter_mm;
    for (int s = 0; s < 2; s++)
        p.side[s] = (struct fc_pig_side_params){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    return p;
}

/* Field names after the side prefix, in struct order. */
static const char *const side_field_names[] = {
    "LegLength",     "KneeWidth",     "AnkleWidth",      "AsisTrocanterDistance", "ThighRotation",
    "ShankRotation", "TibialTorsion", "StaticPlantFlex", "StaticRotOff",          "AnkleAbAdd"};
#define SIDE_FIELDS (sizeof side_field_names / sizeof side_field_names[0])

static double *side_field(struct fc_pig_side_params *s, size_t i)
{
    double *fields[] = {&s->leg_length_mm,
                        &s->knee_width_mm,
                        &s->ankle_width_mm,
                        &s->asis_trochanter_mm,
                        &s->thigh_rotation_deg,
                        &s->shank_rotation_deg,
                        &s->tibial_torsion_deg,
                        &s->static_plantar_flexion_deg,
                        &s->static_rotation_offset_deg,
                        &s->ankle_abadd_deg};
    return fields[i];
}

int fc_pig_params_set(struct fc_pig_params *p, const char *name, double value)
{
    if (!p || !name || !isfinite(value))
        return 0;
    if (strcasecmp(name, "InterAsisDistance") == 0) {
        if (value > 0)
            p->inter_asis_mm = value;
        return 1;
    }
    if (strcasecmp(name, "MarkerDiameter") == 0) {
        if (value > 0)
            p->marker_diameter_mm = value;
        return 1;
    }
    /* "LKneeWidth" (C3D PROCESSING) or "LeftKneeWidth" (VSK). */
    int side = -1;
    const char *rest = NULL;
    if (strncasecmp(name, "Left", 4) == 0)
        side = FC_SIDE_LEFT, rest = name + 4;
    else if (strncasecmp(name, "Right", 5) == 0)
        side = FC_SIDE_RIGHT, rest = name + 5;
    else if (name[0] == 'L' || name[0] == 'l')
        side = FC_SIDE_LEFT, rest = name + 1;
    else if (name[0] == 'R' || name[0] == 'r')
        side = FC_SIDE_RIGHT, rest = name + 1;
    if (side < 0)
        return 0;
    for (size_t i = 0; i < SIDE_FIELDS; i++) {
        if (strcasecmp(rest, side_field_names[i]) != 0)
            continue;
        /* A measurement of 0 means "not measured" in Vicon's files; the
         * offsets are stored in radians (Nexus and pyCGM2 both). */
        if (i < 4 && !(value > 0))
            return 1;
        *side_field(&p->side[side], i) = i < 4 ? value : value * FC_DEG_PER_RAD;
        return 1;
    }
    return 0;
}

void fc_pig_estimated_names(const struct fc_pig_output *o, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < SIDE_FIELDS; i++) {
            if (!(o->estimated & (1u << (s * 16 + (int)i))))
                continue;
            int n = snprintf(buf + used, cap - used, "%s%c%s", used ? ", " : "",
                             s == FC_SIDE_LEFT ? 'L' : 'R', side_field_names[i]);
            if (n < 0 || (size_t)n >= cap - used)
                return;
            used += (size_t)n;
        }
    if (o->estimated & (1u << 31))
        snprintf(buf + used, cap - used, "%sInterAsisDistance", used ? ", " : "");
}

/* ---- vectors ---- */

static void sub3(const double a[3], const double b[3], double o[3])
{
    for (int i = 0; i < 3; i++)
        o[i] = a[i] - b[i];
}

static void cross3(const double a[3], const double b[3], double o[3])
{
    double r[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    memcpy(o, r, sizeof r);
}

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static int unit3(double a[3])
{
    double n = sqrt(dot3(a, a));
    if (!(n > 1e-9) || !isfinite(n))
        return -1;
    for (int i = 0; i < 3; i++)
        a[i] /= n;
    return 0;
}

static int finite3(const double a[3])
{
    return isfinite(a[0]) && isfinite(a[1]) && isfinite(a[2]);
}

static void set_nan3(double a[3])
{
    a[0] = a[1] = a[2] = NAN;
}

/* R's columns are the axes. */
static void columns(double R[9], const double x[3], const double y[3], const double z[3])
{
    for (int i = 0; i < 3; i++) {
        R[i * 3 + 0] = x[i];
        R[i * 3 + 1] = y[i];
        R[i * 3 + 2] = z[i];
    }
}

/* C = A^T B */
static void mul_tn(const double A[9], const double B[9], double C[9])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 3; k++)
                s += A[k * 3 + i] * B[k * 3 + j];
            C[i * 3 + j] = s;
        }
}

/* C = A B */
static void mul_nn(const double A[9], const double B[9], double C[9])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 3; k++)
                s += A[i * 3 + k] * B[k * 3 + j];
            C[i * 3 + j] = s;
        }
}

/* ---- the model ---- */

void fc_pig_davis_hjc(double mean_leg_length_mm, double asis_trochanter_mm, double inter_asis_mm,
                      double marker_radius_mm, enum fc_side side, double out[3])
{
    double c = mean_leg_length_mm * davis_c_per_leg - davis_c_offset_mm;
    double a = asis_trochanter_mm + marker_radius_mm;
    out[0] = c * cos(davis_theta_rad) * sin(davis_beta_rad) - a * cos(davis_beta_rad);
    /* Medial of the ASIS by half the inter-ASIS distance less C sin(theta):
     * towards +Y (left) for the left hip. */
    double lateral = c * sin(davis_theta_rad) - 0.5 * inter_asis_mm;
    out[1] = side == FC_SIDE_LEFT ? -lateral : lateral;
    out[2] = -c * cos(davis_theta_rad) * cos(davis_beta_rad) - a * sin(davis_beta_rad);
}

/* The signed angle about axis from u to v, both projected onto the plane
 * perpendicular to it. */
static double angle_about(const double axis[3], const double u[3], const double v[3])
{
    double pu[3], pv[3], c[3];
    cross3(axis, u, c);
    cross3(c, axis, pu);
    cross3(axis, v, c);
    cross3(c, axis, pv);
    cross3(pu, pv, c);
    return atan2(dot3(c, axis) / sqrt(dot3(axis, axis)), dot3(pu, pv));
}

int fc_pig_chord(const double proximal[3], const double wand[3], const double marker[3],
                 double radius_mm, double offset_deg, double out[3])
{
    /* The centre J sees marker and proximal at a right angle (Thales) and
     * lies radius_mm from the marker: on a circle about the marker->proximal
     * line, r^2 / d along it and r sqrt(1 - r^2 / d^2) off it. With no
     * offset J is on the side away from the wand, in the wand's plane (the
     * wand and the marker are lateral, the centre medial). An offset turns
     * J round the circle until, seen along the bone (J -> proximal), the
     * wand is offset_deg from the marker (Kadaba 1990; Vicon's thigh and
     * shank rotation). */
    double x[3], t[3], p[3], e[3];
    sub3(proximal, marker, x);
    sub3(wand, marker, t);
    double d = sqrt(dot3(x, x));
    if (!(d > radius_mm) || !finite3(x) || !finite3(t))
        return -1;
    cross3(x, t, p);
    cross3(x, p, e); /* = -(the wand's offset from the line) * d^2 */
    if (unit3(x) < 0 || unit3(p) < 0 || unit3(e) < 0)
        return -1;
    double along = radius_mm * radius_mm / d;
    double off = sqrt(radius_mm * radius_mm - along * along);
    double target = offset_deg / FC_DEG_PER_RAD;
    double phi[2] = {0.0, target}, err[2] = {0.0, 0.0};
    for (int it = 0; it < chord_max_iterations; it++) {
        int k = it < 2 ? it : 1;
        for (int i = 0; i < 3; i++)
            out[i] = marker[i] + x[i] * along + off * (e[i] * cos(phi[k]) - p[i] * sin(phi[k]));
        if (target == 0.0)
            return 0;
        double bone[3], w[3], mk[3];
        sub3(proximal, out, bone);
        sub3(wand, out, w);
        sub3(marker, out, mk);
        err[k] = angle_about(bone, w, mk) - target;
        if (fabs(err[k]) < chord_tolerance_rad)
            return 0;
        if (it >= 1) {
            /* Secant step on phi -> angle error. */
            double slope = (err[1] - err[0]) / (phi[1] - phi[0]);
            if (!(fabs(slope) > 1e-12) || !isfinite(slope))
                return 0;
            double next = phi[1] - err[1] / slope;
            phi[0] = phi[1], err[0] = err[1];
            phi[1] = next;
        }
    }
    return 0;
}

/* A segment frame with Z from distal to proximal and X perpendicular to the
 * plane of Z and the lateral direction given: for the left side lateral x Z,
 * for the right Z x lateral, so that X points forwards on both. */
static int segment_frame(const double distal[3], const double proximal[3], const double lateral[3],
                         enum fc_side side, double R[9])
{
    double z[3], x[3], y[3];
    sub3(proximal, distal, z);
    if (unit3(z) < 0 || !finite3(lateral))
        return -1;
    if (side == FC_SIDE_LEFT)
        cross3(lateral, z, x);
    else
        cross3(z, lateral, x);
    if (unit3(x) < 0)
        return -1;
    cross3(z, x, y);
    columns(R, x, y, z);
    return 0;
}

static void rot_y(double a, double R[9])
{
    double m[9] = {cos(a), 0, sin(a), 0, 1, 0, -sin(a), 0, cos(a)};
    memcpy(R, m, sizeof m);
}

static void rot_x(double a, double R[9])
{
    double m[9] = {1, 0, 0, 0, cos(a), -sin(a), 0, sin(a), cos(a)};
    memcpy(R, m, sizeof m);
}

static void rot_z(double a, double R[9])
{
    double m[9] = {cos(a), -sin(a), 0, sin(a), cos(a), 0, 0, 0, 1};
    memcpy(R, m, sizeof m);
}

/* Euler YXZ of distal relative to proximal, in degrees. */
static void relative_yxz(const double P[9], const double D[9], double e[3])
{
    double M[9];
    mul_tn(P, D, M);
    fc_euler_yxz(M, &e[0], &e[1], &e[2]);
    for (int i = 0; i < 3; i++)
        e[i] *= FC_DEG_PER_RAD;
}

/* Wraps to (-180, 180]. */
static double wrap_deg(double a)
{
    while (a > 180.0)
        a -= 360.0;
    while (a <= -180.0)
        a += 360.0;
    return a;
}

/* ---- estimating what the lab did not give ---- */

static void marker_at(const struct fc_pig_markers *m, enum fc_pig_marker k, size_t i, double out[3])
{
    const float *p = m->xyz[k];
    if (!p) {
        set_nan3(out);
        return;
    }
    p += i * m->stride;
    double s = m->mm_per_unit > 0 ? m->mm_per_unit : 1.0;
    for (int c = 0; c < 3; c++)
        out[c] = (double)p[c] * s;
}

/* Mean distance between two markers over the frames that have both. */
static double mean_distance(const struct fc_pig_markers *m, enum fc_pig_marker a,
                            enum fc_pig_marker b)
{
    double sum = 0;
    long n = 0;
    for (size_t i = 0; i < m->n_frames; i++) {
        double pa[3], pb[3], d[3];
        marker_at(m, a, i, pa);
        marker_at(m, b, i, pb);
        sub3(pa, pb, d);
        if (!finite3(d))
            continue;
        sum += sqrt(dot3(d, d));
        n++;
    }
    return n ? sum / (double)n : NAN;
}

static void fill_estimates(const struct fc_pig_markers *m, struct fc_pig_output *o)
{
    struct fc_pig_params *p = &o->used;
    if (!isfinite(p->inter_asis_mm)) {
        /* Plug-in Gait measures it from the markers when it is not entered. */
        p->inter_asis_mm = mean_distance(m, FC_PIG_LASI, FC_PIG_RASI);
        o->estimated |= 1u << 31;
    }
    if (!(p->marker_diameter_mm > 0))
        p->marker_diameter_mm = default_marker_diameter_mm;
    const enum fc_pig_marker asis[2] = {FC_PIG_LASI, FC_PIG_RASI};
    const enum fc_pig_marker ank[2] = {FC_PIG_LANK, FC_PIG_RANK};
    for (int s = 0; s < 2; s++) {
        struct fc_pig_side_params *q = &p->side[s];
        unsigned bit = 1u << (s * 16);
        /* Leg length is ASIS to medial malleolus; the lateral malleolus
         * marker is as far from the ASIS within a few mm. */
        if (!isfinite(q->leg_length_mm))
            q->leg_length_mm = mean_distance(m, asis[s], ank[s]), o->estimated |= bit << 0;
        if (!isfinite(q->knee_width_mm))
            q->knee_width_mm = knee_width_per_leg * q->leg_length_mm, o->estimated |= bit << 1;
        if (!isfinite(q->ankle_width_mm))
            q->ankle_width_mm = ankle_width_per_leg * q->leg_length_mm, o->estimated |= bit << 2;
        if (!isfinite(q->asis_trochanter_mm))
            q->asis_trochanter_mm = atd_per_leg * q->leg_length_mm - atd_offset_mm;
        /* Offsets come from a static trial (or a knee alignment device);
         * without one Plug-in Gait takes them as zero. */
        for (size_t i = 4; i < SIDE_FIELDS; i++) {
            double *f = side_field(q, i);
            if (!isfinite(*f))
                *f = 0.0;
            else
                o->offsets_given++;
        }
    }
}

/* ---- per frame ---- */

/* Turns the ankle centre about the axis through ANK along the shank's X
 * (Z = AJC->KJC, X = Z x (ANK - AJC)), as pyCGM2 does with AnkleAbAdd. */
static void rotate_ajc(double ajc[3], const double kjc[3], const double ank[3], double deg)
{
    double z[3], v[3], x[3], y[3], R[9], loc[3], Rx[9], F[9], d[3];
    sub3(kjc, ajc, z);
    sub3(ank, ajc, v);
    if (unit3(z) < 0 || unit3(v) < 0)
        return;
    cross3(z, v, x);
    if (unit3(x) < 0)
        return;
    cross3(z, x, y);
    columns(R, x, y, z);
    sub3(ajc, ank, d);
    for (int i = 0; i < 3; i++)
        loc[i] = R[0 * 3 + i] * d[0] + R[1 * 3 + i] * d[1] + R[2 * 3 + i] * d[2];
    rot_x(deg / FC_DEG_PER_RAD, Rx);
    mul_nn(R, Rx, F);
    for (int i = 0; i < 3; i++)
        ajc[i] = ank[i] + F[i * 3 + 0] * loc[0] + F[i * 3 + 1] * loc[1] + F[i * 3 + 2] * loc[2];
}

struct leg {
    double hjc[3], kjc[3], ajc[3];
    double femur[9], tibia[9], tibia_prox[9], foot[9];
    int has_femur, has_tibia, has_foot;
};

static void compute_leg(const struct fc_pig_markers *m, const struct fc_pig_params *p,
                        enum fc_side s, size_t i, const double pelvis_R[9], const double origin[3],
                        struct leg *L)
{
    const struct fc_pig_side_params *q = &p->side[s];
    const int left = s == FC_SIDE_LEFT;
    /* Plug-in Gait turns the left side's offsets the other way, so that a
     * positive value means the same anatomical thing on both legs. */
    const double sign = left ? -1.0 : 1.0;
    double r = 0.5 * p->marker_diameter_mm;
    double thi[3], kne[3], tib[3], ank[3], toe[3];
    marker_at(m, left ? FC_PIG_LTHI : FC_PIG_RTHI, i, thi);
    marker_at(m, left ? FC_PIG_LKNE : FC_PIG_RKNE, i, kne);
    marker_at(m, left ? FC_PIG_LTIB : FC_PIG_RTIB, i, tib);
    marker_at(m, left ? FC_PIG_LANK : FC_PIG_RANK, i, ank);
    marker_at(m, left ? FC_PIG_LTOE : FC_PIG_RTOE, i, toe);
    L->has_femur = L->has_tibia = L->has_foot = 0;
    set_nan3(L->kjc);
    set_nan3(L->ajc);

    double mean_leg = 0.5 * (p->side[0].leg_length_mm + p->side[1].leg_length_mm);
    double local[3];
    fc_pig_davis_hjc(mean_leg, q->asis_trochanter_mm, p->inter_asis_mm, r, s, local);
    for (int c = 0; c < 3; c++)
        L->hjc[c] = origin[c] + pelvis_R[c * 3 + 0] * local[0] + pelvis_R[c * 3 + 1] * local[1] +
                    pelvis_R[c * 3 + 2] * local[2];

    if (fc_pig_chord(L->hjc, thi, kne, 0.5 * q->knee_width_mm + r, sign * q->thigh_rotation_deg,
                     L->kjc) < 0) {
        set_nan3(L->kjc);
        return;
    }
    double lat[3];
    sub3(kne, L->kjc, lat);
    L->has_femur = segment_frame(L->kjc, L->hjc, lat, s, L->femur) == 0;

    if (fc_pig_chord(L->kjc, tib, ank, 0.5 * q->ankle_width_mm + r, sign * q->shank_rotation_deg,
                     L->ajc) < 0) {
        set_nan3(L->ajc);
        return;
    }
    /* AnkleAbAdd is stored side-signed like the other offsets (s00 holds
     * +8.9 deg left, -13.2 right: the same tilt on both legs), but
     * rotate_ajc's X already mirrors (it points back on the left, forward
     * on the right), so the left value goes in as stored and the right one
     * negated; with the right one as stored the right ankle centre lands
     * 20 mm from Vicon's RTIO and the ankle flexion is 9 deg off. */
    if (q->ankle_abadd_deg != 0.0)
        rotate_ajc(L->ajc, L->kjc, ank, -sign * q->ankle_abadd_deg);
    /* The tibia through the malleoli is the torsioned one (the ankle's
     * flexion axis); the knee sees it turned back by the tibial torsion. */
    sub3(ank, L->ajc, lat);
    L->has_tibia = segment_frame(L->ajc, L->kjc, lat, s, L->tibia) == 0;
    if (!L->has_tibia)
        return;
    double Rz[9];
    rot_z(-sign * q->tibial_torsion_deg / FC_DEG_PER_RAD, Rz);
    mul_nn(L->tibia, Rz, L->tibia_prox);

    /* The uncorrected foot: Z from the toe back to the ankle centre, X
     * perpendicular to it and the Y of the tibia the knee sees (turned back
     * by the tibial torsion): Vicon builds its foot on that tibia (the s00
     * file's foot axes lie on it within 0.5 deg, constant over the trial).
     * The static offsets turn it into the foot as the static trial saw it;
     * the ankle angles are still read against the torsioned tibia. */
    double z[3], x[3], y[3];
    double ty[3] = {L->tibia_prox[1], L->tibia_prox[4], L->tibia_prox[7]};
    sub3(L->ajc, toe, z);
    if (unit3(z) < 0)
        return;
    cross3(ty, z, x);
    if (unit3(x) < 0)
        return;
    cross3(z, x, y);
    double U[9], Ry[9], Rx[9], off[9];
    columns(U, x, y, z);
    rot_y(-q->static_plantar_flexion_deg / FC_DEG_PER_RAD, Ry);
    rot_x(sign * q->static_rotation_offset_deg / FC_DEG_PER_RAD, Rx);
    mul_nn(Ry, Rx, off);
    mul_nn(U, off, L->foot);
    L->has_foot = 1;
}

/* Plug-in Gait's signs: flexion of hip is -Y (the thigh's Z tips back),
 * of the knee +Y; X and Z rotations read as adduction and internal rotation
 * on the right, mirrored on the left. */
static void leg_angles(const struct leg *L, const double pelvis_R[9], const double P[9],
                       enum fc_side s, double *a /* [joint][3] */)
{
    const double side = s == FC_SIDE_LEFT ? -1.0 : 1.0;
    double e[3];
    for (int j = FC_PIG_HIP; j < FC_PIG_JOINT_COUNT; j++)
        set_nan3(a + 3 * j);
    if (L->has_femur) {
        relative_yxz(pelvis_R, L->femur, e);
        a[3 * FC_PIG_HIP + 0] = -e[0];
        a[3 * FC_PIG_HIP + 1] = side * e[1];
        a[3 * FC_PIG_HIP + 2] = side * e[2];
    }
    if (L->has_femur && L->has_tibia) {
        relative_yxz(L->femur, L->tibia_prox, e);
        a[3 * FC_PIG_KNEE + 0] = e[0];
        a[3 * FC_PIG_KNEE + 1] = side * e[1];
        a[3 * FC_PIG_KNEE + 2] = side * e[2];
    }
    if (L->has_foot) {
        /* The foot's Z points back along it: its first angle is -90 deg at
         * neutral, its X rotation is about the tibia's long axis and its Z
         * rotation about the foot's. */
        relative_yxz(L->tibia, L->foot, e);
        a[3 * FC_PIG_ANKLE + 0] = wrap_deg(-(e[0] + foot_to_tibia_deg));
        a[3 * FC_PIG_ANKLE + 1] = side * e[2];
        a[3 * FC_PIG_ANKLE + 2] = side * e[1];
        relative_yxz(P, L->foot, e);
        a[3 * FC_PIG_FOOT_PROGRESSION + 0] = e[0];
        a[3 * FC_PIG_FOOT_PROGRESSION + 1] = -side * e[2];
        a[3 * FC_PIG_FOOT_PROGRESSION + 2] = side * e[1];
    }
}

/* The thorax frame from C7, T10, CLAV and STRN; -1 when one is missing. */
static int thorax_frame(const struct fc_pig_markers *m, size_t i, double R[9])
{
    double c7[3], t10[3], clav[3], strn[3];
    marker_at(m, FC_PIG_C7, i, c7);
    marker_at(m, FC_PIG_T10, i, t10);
    marker_at(m, FC_PIG_CLAV, i, clav);
    marker_at(m, FC_PIG_STRN, i, strn);
    double z[3], x[3], y[3];
    for (int c = 0; c < 3; c++) {
        z[c] = 0.5 * (clav[c] + c7[c]) - 0.5 * (strn[c] + t10[c]);
        x[c] = 0.5 * (clav[c] + strn[c]) - 0.5 * (c7[c] + t10[c]);
    }
    if (!finite3(z) || !finite3(x) || unit3(z) < 0)
        return -1;
    double along = dot3(x, z);
    for (int c = 0; c < 3; c++)
        x[c] -= along * z[c];
    if (unit3(x) < 0)
        return -1;
    cross3(z, x, y);
    columns(R, x, y, z);
    return 0;
}

void fc_pig_output_free(struct fc_pig_output *o)
{
    if (!o)
        return;
    free(o->angle_deg);
    free(o->centre_mm);
    o->angle_deg = o->centre_mm = NULL;
    o->n_frames = 0;
}

int fc_pig_run(const struct fc_pig_markers *m, const struct fc_pig_params *p,
               struct fc_pig_output *o, struct fc_error *err)
{
    int rc = 0;
    double *R = NULL, *origin = NULL, *xs = NULL, *zs = NULL;
    memset(o, 0, sizeof *o);
    if (!m || m->n_frames == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "no frames of markers");
    if (!m->xyz[FC_PIG_LASI] || !m->xyz[FC_PIG_RASI] ||
        !((m->xyz[FC_PIG_LPSI] && m->xyz[FC_PIG_RPSI]) || m->xyz[FC_PIG_SACR]))
        return fc_error_set(err, FC_ERR_EMPTY,
                            "no pelvis markers (LASI, RASI and LPSI+RPSI or SACR)");
    size_t n = m->n_frames;
    o->n_frames = n;
    o->used = p ? *p : fc_pig_default_params();
    o->angle_deg = malloc(n * 2 * FC_PIG_JOINT_COUNT * 3 * sizeof *o->angle_deg);
    o->centre_mm = malloc(n * 2 * FC_PIG_CENTRE_COUNT * 3 * sizeof *o->centre_mm);
    R = malloc(n * 9 * sizeof *R);
    origin = malloc(n * 3 * sizeof *origin);
    xs = malloc(n * 3 * sizeof *xs);
    zs = malloc(n * 3 * sizeof *zs);
    if (!o->angle_deg || !o->centre_mm || !R || !origin || !xs || !zs) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu frames of markers", n);
        goto fail;
    }
    for (size_t k = 0; k < n * 2 * FC_PIG_JOINT_COUNT * 3; k++)
        o->angle_deg[k] = NAN;
    for (size_t k = 0; k < n * 2 * FC_PIG_CENTRE_COUNT * 3; k++)
        o->centre_mm[k] = NAN;
    fill_estimates(m, o);

    /* Pass 1: the pelvis, which fixes the vertical and the progression. */
    long valid = 0;
    for (size_t i = 0; i < n; i++) {
        double la[3], ra[3], lp[3], rp[3], sa[3];
        marker_at(m, FC_PIG_LASI, i, la);
        marker_at(m, FC_PIG_RASI, i, ra);
        marker_at(m, FC_PIG_LPSI, i, lp);
        marker_at(m, FC_PIG_RPSI, i, rp);
        marker_at(m, FC_PIG_SACR, i, sa);
        double *Ri = R + 9 * i;
        if (fc_pelvis_frame(la, ra, lp, rp, sa, Ri) == 0) {
            for (int c = 0; c < 3; c++) {
                origin[3 * i + c] = 0.5 * (la[c] + ra[c]);
                xs[3 * i + c] = Ri[c * 3 + 0];
                zs[3 * i + c] = Ri[c * 3 + 2];
            }
            valid++;
        } else {
            Ri[0] = NAN;
            set_nan3(origin + 3 * i);
            set_nan3(xs + 3 * i);
            set_nan3(zs + 3 * i);
        }
    }
    if (valid == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "no frame has all the pelvis markers");
        goto fail;
    }
    if ((rc = fc_lab_up_axis(zs, n, o->up, err)) < 0 ||
        (rc = fc_progression_frame(origin, xs, n, o->up, o->progression, err)) < 0)
        goto fail;

    /* Pass 2: the legs. */
    for (size_t i = 0; i < n; i++) {
        if (isnan(R[9 * i]))
            continue;
        int legs = 0;
        for (int s = 0; s < 2; s++) {
            double *a = o->angle_deg + (i * 2 + (size_t)s) * FC_PIG_JOINT_COUNT * 3;
            struct fc_pelvis_angles pa;
            fc_pelvis_angles(R + 9 * i, o->progression, (enum fc_side)s, &pa);
            a[0] = pa.tilt_deg;
            a[1] = pa.obliquity_deg;
            a[2] = pa.rotation_deg;
            struct leg L;
            compute_leg(m, &o->used, (enum fc_side)s, i, R + 9 * i, origin + 3 * i, &L);
            leg_angles(&L, R + 9 * i, o->progression, (enum fc_side)s, a);
            double *c = o->centre_mm + (i * 2 + (size_t)s) * FC_PIG_CENTRE_COUNT * 3;
            memcpy(c + 3 * FC_PIG_HJC, L.hjc, sizeof L.hjc);
            memcpy(c + 3 * FC_PIG_KJC, L.kjc, sizeof L.kjc);
            memcpy(c + 3 * FC_PIG_AJC, L.ajc, sizeof L.ajc);
            legs += L.has_femur && L.has_tibia && L.has_foot;
            double T[9];
            if (thorax_frame(m, i, T) == 0) {
                struct fc_pelvis_angles ta;
                fc_pelvis_angles(T, o->progression, (enum fc_side)s, &ta);
                a[3 * FC_PIG_THORAX + 0] = ta.tilt_deg;
                a[3 * FC_PIG_THORAX + 1] = ta.obliquity_deg;
                a[3 * FC_PIG_THORAX + 2] = ta.rotation_deg;
            }
        }
        o->frames_with_legs += legs == 2;
    }
    free(R);
    free(origin);
    free(xs);
    free(zs);
    return 0;
fail:
    free(R);
    free(origin);
    free(xs);
    free(zs);
    fc_pig_output_free(o);
    return rc;
}
