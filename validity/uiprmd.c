/* formcheck validity tier: UI-PRMD reader, joint centres and 3-D truth
 * (validity/uiprmd.h). */
#include "validity/uiprmd.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/units.h"

/* Subject measurements the data set does not store, set to adult means and
 * used for every subject: the knee and ankle widths of Plug-in Gait's
 * chord function (the joint centre sits half a width plus the marker radius
 * medial of the lateral marker). An error of 1 cm in a width moves the
 * centre 5 mm: small against a knee separation of 15-30 cm. */
#define KNEE_WIDTH_MM 100.0
#define ANKLE_WIDTH_MM 70.0
#define MARKER_RADIUS_MM 7.0
/* The head: the nose sits about 2 cm ahead of the front head markers and
 * 7 cm below them; the eyes 3.5 cm above the nose and 3 cm to each side;
 * the ears between the front and back head markers, 3 cm lower. */
#define NOSE_FWD_MM 20.0
#define NOSE_DOWN_MM 70.0
#define EYE_UP_MM 35.0
#define EYE_SIDE_MM 30.0
#define EAR_DOWN_MM 30.0

#define LINE_MAX_CHARS 8192

static struct fc_vec3 v3(double x, double y, double z)
{
    return (struct fc_vec3){x, y, z};
}
static struct fc_vec3 add(struct fc_vec3 a, struct fc_vec3 b)
{
    return v3(a.x + b.x, a.y + b.y, a.z + b.z);
}
static struct fc_vec3 sub(struct fc_vec3 a, struct fc_vec3 b)
{
    return v3(a.x - b.x, a.y - b.y, a.z - b.z);
}
static struct fc_vec3 scale(struct fc_vec3 a, double s)
{
    return v3(a.x * s, a.y * s, a.z * s);
}
static struct fc_vec3 mid(struct fc_vec3 a, struct fc_vec3 b)
{
    return scale(add(a, b), 0.5);
}
static double dot(struct fc_vec3 a, struct fc_vec3 b)
{
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
static struct fc_vec3 cross(struct fc_vec3 a, struct fc_vec3 b)
{
    return v3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
static double norm(struct fc_vec3 a)
{
    return sqrt(dot(a, a));
}
static struct fc_vec3 unit(struct fc_vec3 a)
{
    double n = norm(a);
    return n > 0 ? scale(a, 1.0 / n) : v3(NAN, NAN, NAN);
}

/* Hip joint centres, Harrington et al. 2007 (J Biomech 40:595-602), in
 * the pelvis frame (origin mid-ASIS, x anterior, y superior, z right):
 * x = -0.24 PD - 9.9, y = -0.30 PW - 10.9, z = +-(0.33 PW + 7.3) mm, with
 * PW the inter-ASIS width and PD the mid-ASIS to mid-PSIS depth. */
static void hip_centres(const struct fc_vec3 *m, struct fc_vec3 *left, struct fc_vec3 *right)
{
    struct fc_vec3 masis = mid(m[UM_LASI], m[UM_RASI]), mpsis = mid(m[UM_LPSI], m[UM_RPSI]);
    /* The lateral axis from the ASIS and the PSIS lines together: in a deep
     * squat the ASIS markers sink into the fold between thigh and trunk and
     * move apart in height (10 deg and more of false obliquity), while the
     * PSIS stay level. */
    struct fc_vec3 zr =
        unit(add(unit(sub(m[UM_RASI], m[UM_LASI])), unit(sub(m[UM_RPSI], m[UM_LPSI]))));
    struct fc_vec3 a = sub(masis, mpsis);
    struct fc_vec3 y = unit(cross(zr, a)); /* right x anterior = superior */
    struct fc_vec3 x = cross(y, zr);
    double pw = norm(sub(m[UM_LASI], m[UM_RASI])), pd = norm(a);
    double hx = -0.24 * pd - 9.9, hy = -0.30 * pw - 10.9, hz = 0.33 * pw + 7.3;
    struct fc_vec3 base = add(masis, add(scale(x, hx), scale(y, hy)));
    *right = add(base, scale(zr, hz));
    *left = add(base, scale(zr, -hz));
}

/* Plug-in Gait's chord function: the joint centre J of a segment whose
 * proximal centre is P, lateral marker K and wand marker W: |J - K| = d,
 * the angle P-J-K is 90 deg, and J lies in the plane of P, K, W on the
 * side of the line P-K away from the wand (which is lateral). */
static struct fc_vec3 chord(struct fc_vec3 p, struct fc_vec3 k, struct fc_vec3 w, double d)
{
    struct fc_vec3 pk = sub(p, k);
    double len = norm(pk);
    if (!(len > d))
        return v3(NAN, NAN, NAN);
    struct fc_vec3 u = scale(pk, 1.0 / len);
    struct fc_vec3 kw = sub(w, k);
    struct fc_vec3 perp = unit(sub(kw, scale(u, dot(kw, u))));
    double c = d / len, s = sqrt(1.0 - c * c);
    return add(k, add(scale(u, d * c), scale(perp, -d * s)));
}

static void joint_centres(const struct fc_vec3 *m, struct fc_vec3 up, double humerus_mm,
                          struct fc_vec3 *j)
{
    for (int i = 0; i < FC_JOINT_COUNT; i++)
        j[i] = v3(NAN, NAN, NAN);
    struct fc_vec3 hl, hr;
    hip_centres(m, &hl, &hr);
    j[FC_JOINT_LEFT_HIP] = hl;
    j[FC_JOINT_RIGHT_HIP] = hr;
    double dk = KNEE_WIDTH_MM / 2 + MARKER_RADIUS_MM, da = ANKLE_WIDTH_MM / 2 + MARKER_RADIUS_MM;
    j[FC_JOINT_LEFT_KNEE] = chord(hl, m[UM_LKNE], m[UM_LTHI], dk);
    j[FC_JOINT_RIGHT_KNEE] = chord(hr, m[UM_RKNE], m[UM_RTHI], dk);
    j[FC_JOINT_LEFT_ANKLE] = chord(j[FC_JOINT_LEFT_KNEE], m[UM_LANK], m[UM_LTIB], da);
    j[FC_JOINT_RIGHT_ANKLE] = chord(j[FC_JOINT_RIGHT_KNEE], m[UM_RANK], m[UM_RTIB], da);
    /* Upper limb: the shoulder centre on the humerus axis (elbow marker ->
     * upper-arm marker, both on the lateral surface, so parallel to the
     * bone) one humerus length from the elbow: the acromion marker rides up
     * and inwards with the scapula when the arms are overhead, as they are
     * in the overhead squat, and is no joint centre then. The elbow: its
     * lateral epicondyle marker; the wrist: between its two bar markers. */
    j[FC_JOINT_LEFT_SHOULDER] =
        add(m[UM_LELB], scale(unit(sub(m[UM_LUPA], m[UM_LELB])), humerus_mm));
    j[FC_JOINT_RIGHT_SHOULDER] =
        add(m[UM_RELB], scale(unit(sub(m[UM_RUPA], m[UM_RELB])), humerus_mm));
    j[FC_JOINT_LEFT_ELBOW] = m[UM_LELB];
    j[FC_JOINT_RIGHT_ELBOW] = m[UM_RELB];
    j[FC_JOINT_LEFT_WRIST] = mid(m[UM_LWRA], m[UM_LWRB]);
    j[FC_JOINT_RIGHT_WRIST] = mid(m[UM_RWRA], m[UM_RWRB]);
    j[FC_JOINT_LEFT_HEEL] = m[UM_LHEE];
    j[FC_JOINT_RIGHT_HEEL] = m[UM_RHEE];
    j[FC_JOINT_LEFT_BIG_TOE] = m[UM_LTOE];
    j[FC_JOINT_RIGHT_BIG_TOE] = m[UM_RTOE];
    /* Face from the head markers. */
    struct fc_vec3 fh = mid(m[UM_LFHD], m[UM_RFHD]), bh = mid(m[UM_LBHD], m[UM_RBHD]);
    struct fc_vec3 hf = unit(sub(fh, bh)), hl_dir = unit(sub(m[UM_LFHD], m[UM_RFHD]));
    struct fc_vec3 nose = add(fh, add(scale(hf, NOSE_FWD_MM), scale(up, -NOSE_DOWN_MM)));
    j[FC_JOINT_NOSE] = nose;
    struct fc_vec3 eye = add(nose, scale(up, EYE_UP_MM));
    j[FC_JOINT_LEFT_EYE] = add(eye, scale(hl_dir, EYE_SIDE_MM));
    j[FC_JOINT_RIGHT_EYE] = add(eye, scale(hl_dir, -EYE_SIDE_MM));
    j[FC_JOINT_LEFT_EAR] = add(mid(m[UM_LFHD], m[UM_LBHD]), scale(up, -EAR_DOWN_MM));
    j[FC_JOINT_RIGHT_EAR] = add(mid(m[UM_RFHD], m[UM_RBHD]), scale(up, -EAR_DOWN_MM));
}

static int parse_line(const char *path, long line_no, char *line, struct fc_vec3 *m,
                      struct fc_error *err)
{
    char *p = line;
    double v[3 * FC_UIPRMD_MARKERS];
    for (int i = 0; i < 3 * FC_UIPRMD_MARKERS; i++) {
        char *end;
        errno = 0;
        v[i] = strtod(p, &end);
        if (end == p || errno == ERANGE)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s:%ld: value %d of %d is not a number (expected 39 markers "
                                "x 3 comma-separated coordinates)",
                                path, line_no, i + 1, 3 * FC_UIPRMD_MARKERS);
        p = end;
        while (*p == ' ' || *p == '\t')
            p++;
        if (i + 1 < 3 * FC_UIPRMD_MARKERS) {
            if (*p != ',')
                return fc_error_set(err, FC_ERR_FORMAT, "%s:%ld: %d values, expected %d", path,
                                    line_no, i + 1, 3 * FC_UIPRMD_MARKERS);
            p++;
        }
    }
    for (int k = 0; k < FC_UIPRMD_MARKERS; k++)
        m[k] = v3(v[3 * k], v[3 * k + 1], v[3 * k + 2]);
    return 0;
}

int fc_uiprmd_read(const char *path, struct fc_uiprmd_rep *rep, struct fc_error *err)
{
    memset(rep, 0, sizeof *rep);
    int rc = 0;
    char *line = malloc(LINE_MAX_CHARS);
    gzFile f = gzopen(path, "rb");
    size_t cap = 0;
    long line_no = 0;
    if (!line) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    if (!f) {
        rc = fc_error_set(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        goto fail;
    }
    while (gzgets(f, line, LINE_MAX_CHARS)) {
        line_no++;
        if (line[strspn(line, " \t\r\n")] == '\0')
            continue;
        if (rep->n_frames == cap) {
            size_t nc = cap ? 2 * cap : 256;
            void *nm = realloc(rep->markers, nc * sizeof *rep->markers);
            if (!nm) {
                rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
                goto fail;
            }
            rep->markers = nm;
            cap = nc;
        }
        if ((rc = parse_line(path, line_no, line, rep->markers[rep->n_frames], err)) < 0)
            goto fail;
        rep->n_frames++;
    }
    int gzerr;
    const char *gzmsg = gzerror(f, &gzerr);
    if (gzerr != Z_OK && gzerr != Z_STREAM_END) {
        rc = fc_error_set(err, FC_ERR_FORMAT, "%s: %s", path, gzmsg);
        goto fail;
    }
    if (rep->n_frames == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: no frames", path);
        goto fail;
    }
    rep->joints = malloc(rep->n_frames * sizeof *rep->joints);
    if (!rep->joints) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    const struct fc_vec3 *m0 = rep->markers[0];
    rep->up = v3(0, 0, 1);
    struct fc_vec3 a = sub(mid(m0[UM_LASI], m0[UM_RASI]), mid(m0[UM_LPSI], m0[UM_RPSI]));
    rep->fwd = unit(v3(a.x, a.y, 0));
    rep->left = cross(rep->up, rep->fwd);
    /* Humerus length from stature (the highest head marker standing plus
     * 1 cm of scalp), 0.186 of it (Winter, Biomechanics and Motor Control
     * of Human Movement, segment lengths). */
    double top = fmax(fmax(m0[UM_LFHD].z, m0[UM_RFHD].z), fmax(m0[UM_LBHD].z, m0[UM_RBHD].z));
    double humerus_mm = 0.186 * (top + 10.0);
    for (size_t i = 0; i < rep->n_frames; i++)
        joint_centres(rep->markers[i], rep->up, humerus_mm, rep->joints[i]);
    free(line);
    gzclose(f);
    return 0;

fail:
    free(line);
    if (f)
        gzclose(f);
    fc_uiprmd_free(rep);
    return rc;
}

void fc_uiprmd_free(struct fc_uiprmd_rep *rep)
{
    free(rep->markers);
    free(rep->joints);
    memset(rep, 0, sizeof *rep);
}

/* Angle of v from the up axis within the plane spanned by up and axis,
 * positive towards axis. */
static double plane_angle_deg(struct fc_vec3 v, struct fc_vec3 up, struct fc_vec3 axis)
{
    return atan2(dot(v, axis), dot(v, up)) * FC_DEG_PER_RAD;
}

static double leg_len(const struct fc_vec3 *j, int hip, int knee, int ankle)
{
    return norm(sub(j[knee], j[hip])) + norm(sub(j[ankle], j[knee]));
}

void fc_uiprmd_frame_measure(const struct fc_uiprmd_rep *rep, size_t i,
                             struct fc_uiprmd_frame_truth *o)
{
    const struct fc_vec3 *j = rep->joints[i], *j0 = rep->joints[0];
    struct fc_vec3 F = rep->fwd, L = rep->left, U = rep->up;
    struct fc_vec3 hl = j[FC_JOINT_LEFT_HIP], hr = j[FC_JOINT_RIGHT_HIP];
    struct fc_vec3 kl = j[FC_JOINT_LEFT_KNEE], kr = j[FC_JOINT_RIGHT_KNEE];
    struct fc_vec3 al = j[FC_JOINT_LEFT_ANKLE], ar = j[FC_JOINT_RIGHT_ANKLE];
    struct fc_vec3 sl = j[FC_JOINT_LEFT_SHOULDER], sr = j[FC_JOINT_RIGHT_SHOULDER];
    struct fc_vec3 mh = mid(hl, hr), ms = mid(sl, sr), ma = mid(al, ar);

    double ksep = dot(sub(kl, kr), L), asep = dot(sub(al, ar), L);
    o->knee_ankle_sep_ratio = asep > 0 ? ksep / asep : NAN;
    double legl = leg_len(j0, FC_JOINT_LEFT_HIP, FC_JOINT_LEFT_KNEE, FC_JOINT_LEFT_ANKLE);
    double legr = leg_len(j0, FC_JOINT_RIGHT_HIP, FC_JOINT_RIGHT_KNEE, FC_JOINT_RIGHT_ANKLE);
    /* Towards the midline: the left knee moving right (-L), the right knee left (+L). */
    o->knee_medial_left_pct = -dot(sub(kl, al), L) / legl * 100;
    o->knee_medial_right_pct = dot(sub(kr, ar), L) / legr * 100;

    struct fc_vec3 trunk = sub(ms, mh);
    o->trunk_forward_lean_deg = plane_angle_deg(trunk, U, F);
    o->trunk_lateral_lean_deg = plane_angle_deg(trunk, U, L);
    double th_l = atan2(dot(sub(kl, hl), U), fabs(dot(sub(kl, hl), F)));
    double th_r = atan2(dot(sub(kr, hr), U), fabs(dot(sub(kr, hr), F)));
    /* knee -> hip below horizontal: hip lower than knee is positive. */
    o->thigh_below_horizontal_deg = 0.5 * (th_l + th_r) * FC_DEG_PER_RAD;
    o->hip_minus_knee_mm = 0.5 * (dot(sub(hl, kl), U) + dot(sub(hr, kr), U));
    struct fc_vec3 hline = sub(hl, hr), hline0 = sub(j0[FC_JOINT_LEFT_HIP], j0[FC_JOINT_RIGHT_HIP]);
    double obl = atan2(dot(hline, U), dot(hline, L)) * FC_DEG_PER_RAD;
    double obl0 = atan2(dot(hline0, U), dot(hline0, L)) * FC_DEG_PER_RAD;
    o->pelvic_obliquity_deg = obl - obl0;
    o->shin_forward_lean_deg =
        0.5 * (plane_angle_deg(sub(kl, al), U, F) + plane_angle_deg(sub(kr, ar), U, F));
    double arm_l = plane_angle_deg(sub(j[FC_JOINT_LEFT_ELBOW], sl), U, F);
    double arm_r = plane_angle_deg(sub(j[FC_JOINT_RIGHT_ELBOW], sr), U, F);
    double trunk_fwd = o->trunk_forward_lean_deg;
    o->arm_trunk_deg = 0.5 * (arm_l + arm_r) - trunk_fwd;
    struct fc_vec3 mh0 = mid(j0[FC_JOINT_LEFT_HIP], j0[FC_JOINT_RIGHT_HIP]);
    struct fc_vec3 ma0 = mid(j0[FC_JOINT_LEFT_ANKLE], j0[FC_JOINT_RIGHT_ANKLE]);
    double hipw0 = fabs(dot(hline0, L));
    o->lateral_shift_pct = (dot(sub(mh, ma), L) - dot(sub(mh0, ma0), L)) / hipw0 * 100;
    o->hip_over_base_pct = asep > 0 ? dot(sub(mh, ma), L) / asep * 100 : NAN;
    double shank0 = 0.5 * (norm(sub(j0[FC_JOINT_LEFT_ANKLE], j0[FC_JOINT_LEFT_KNEE])) +
                           norm(sub(j0[FC_JOINT_RIGHT_ANKLE], j0[FC_JOINT_RIGHT_KNEE])));
    struct fc_vec3 mw = mid(j[FC_JOINT_LEFT_WRIST], j[FC_JOINT_RIGHT_WRIST]);
    o->wrist_ahead_pct = shank0 > 0 ? dot(sub(mw, ma), F) / shank0 * 100 : NAN;
}

void fc_uiprmd_measure(const struct fc_uiprmd_rep *rep, struct fc_uiprmd_truth *o)
{
    memset(o, 0, sizeof *o);
    double low = INFINITY;
    o->min_knee_ankle_sep_ratio = INFINITY;
    o->max_trunk_forward_lean_deg = -INFINITY;
    for (size_t i = 0; i < rep->n_frames; i++) {
        const struct fc_vec3 *j = rep->joints[i];
        double h = 0.5 * (j[FC_JOINT_LEFT_HIP].z + j[FC_JOINT_RIGHT_HIP].z);
        if (h < low) {
            low = h;
            o->bottom = i;
        }
        struct fc_uiprmd_frame_truth t;
        fc_uiprmd_frame_measure(rep, i, &t);
        if (t.knee_ankle_sep_ratio < o->min_knee_ankle_sep_ratio)
            o->min_knee_ankle_sep_ratio = t.knee_ankle_sep_ratio;
        if (t.trunk_forward_lean_deg > o->max_trunk_forward_lean_deg)
            o->max_trunk_forward_lean_deg = t.trunk_forward_lean_deg;
        if (fabs(t.pelvic_obliquity_deg) > o->max_abs_obliquity_deg)
            o->max_abs_obliquity_deg = fabs(t.pelvic_obliquity_deg);
        if (fabs(t.lateral_shift_pct) > o->max_abs_lateral_shift_pct)
            o->max_abs_lateral_shift_pct = fabs(t.lateral_shift_pct);
        if (fabs(t.trunk_lateral_lean_deg) > o->max_abs_trunk_lateral_deg)
            o->max_abs_trunk_lateral_deg = fabs(t.trunk_lateral_lean_deg);
    }
    fc_uiprmd_frame_measure(rep, o->bottom, &o->at_bottom);
    const struct fc_vec3 *j0 = rep->joints[0];
    o->leg_length_mm =
        0.5 * (leg_len(j0, FC_JOINT_LEFT_HIP, FC_JOINT_LEFT_KNEE, FC_JOINT_LEFT_ANKLE) +
               leg_len(j0, FC_JOINT_RIGHT_HIP, FC_JOINT_RIGHT_KNEE, FC_JOINT_RIGHT_ANKLE));
}
