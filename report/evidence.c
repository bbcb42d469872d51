/* formcheck report: the evidence of a finding, its geometry and its two
 * renderings, a still overlay and an SVG stick figure (see evidence.h). */
#include "report/evidence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/geometry.h"
#include "report/annotate.h"

/* Margin around the seen joints' box, as a fraction of its larger side:
 * room for the reference lines beside the body and the caption band. */
#define REGION_MARGIN 0.15
/* The crop is at least this wide for its height: a standing body seen from
 * the side is a thin column, and the lines beside it need room. */
#define REGION_MIN_ASPECT 0.75
/* Length of a reference line beyond the joint, as a fraction of the
 * segment it continues: long enough to read the angle, short of the frame. */
#define CONTINUE_FRAC 0.6

/* Every joint below the analyzer's confidence gap level (its default
 * parameters) or not finite set to NaN: a joint the analyzer would not
 * have used draws no line. */
static void usable_joints(const struct fc_keypoints *k, struct fc_keypoints *out)
{
    const float min_score = fc_analyzer_default_params().min_score;
    *out = *k;
    for (int j = 0; j < FC_JOINT_COUNT; j++)
        if (!(k->score[j] >= min_score) || !isfinite(k->x[j]) || !isfinite(k->y[j]))
            out->x[j] = out->y[j] = NAN;
}

static struct vec at(const struct fc_keypoints *k, int j)
{
    return (struct vec){k->x[j], k->y[j]};
}

/* Mid-point of a pair, or the one seen (as the analyzer's sagittal
 * measures take it). */
static struct vec mid(const struct fc_keypoints *k, int l, int r)
{
    struct vec P[2] = {at(k, l), at(k, r)};
    return pair_mid(P, 0, 1);
}

static struct vec vadd_s(struct vec a, struct vec d, float s)
{
    return (struct vec){a.x + d.x * s, a.y + d.y * s};
}

static void add(struct fc_evidence_geometry *g, struct vec a, struct vec b,
                enum fc_evidence_style st)
{
    if (g->n_lines >= FC_EVIDENCE_MAX_LINES || !vseen(a) || !vseen(b))
        return;
    g->line[g->n_lines].x0 = a.x;
    g->line[g->n_lines].y0 = a.y;
    g->line[g->n_lines].x1 = b.x;
    g->line[g->n_lines].y1 = b.y;
    g->line[g->n_lines].style = st;
    g->n_lines++;
}

/* a -> b measured, b -> c measured, and a -> b continued past b: the angle
 * at b between the continued line and b -> c is the one measured (FPPA and
 * flexion: 180 minus the angle a-b-c). */
static int bend(struct fc_evidence_geometry *g, struct vec a, struct vec b, struct vec c)
{
    if (!vseen(a) || !vseen(b) || !vseen(c))
        return -1;
    add(g, a, b, FC_EVIDENCE_MEASURED);
    add(g, b, c, FC_EVIDENCE_MEASURED);
    add(g, b, vadd_s(b, vsub(b, a), CONTINUE_FRAC), FC_EVIDENCE_REFERENCE);
    g->anchor_x = b.x;
    g->anchor_y = b.y;
    return 0;
}

/* from -> to measured against the vertical up from `from`, as long. */
static int from_vertical(struct fc_evidence_geometry *g, struct vec from, struct vec to,
                         struct vec up)
{
    if (!vseen(from) || !vseen(to))
        return -1;
    add(g, from, to, FC_EVIDENCE_MEASURED);
    add(g, from, vadd_s(from, up, vlen(vsub(to, from))), FC_EVIDENCE_REFERENCE);
    g->anchor_x = to.x;
    g->anchor_y = to.y;
    return 0;
}

/* A joint's sideways offset from the vertical through a base point: the
 * vertical up to the joint's height (reference), then across to the joint. */
static int offset_from_vertical(struct fc_evidence_geometry *g, struct vec base, struct vec p,
                                struct vec up)
{
    if (!vseen(base) || !vseen(p))
        return -1;
    struct vec foot = vadd_s(base, up, vdot(vsub(p, base), up));
    add(g, base, foot, FC_EVIDENCE_REFERENCE);
    add(g, foot, p, FC_EVIDENCE_MEASURED);
    g->anchor_x = p.x;
    g->anchor_y = p.y;
    return 0;
}

/* Depth of one leg: the knee -> hip line below the level line, in degrees
 * (analysis/frame_metrics.c); NaN when a joint is not seen. */
static float depth_of(struct vec hip, struct vec knee, struct vec up, struct vec right)
{
    struct vec w = vsub(hip, knee);
    return fast_atan2f(vdot(w, up) * -1.0f, fabsf(vdot(w, right))) * DEG;
}

/* The leg whose depth is nearest the frame's value: the analyzer takes the
 * leg nearer the camera, which only its baseline knows. -1: none seen. */
static int depth_leg(const struct vec hip[2], const struct vec knee[2], float value, struct vec up,
                     struct vec right)
{
    int best = -1;
    float best_d = INFINITY;
    for (int s = 0; s < 2; s++) {
        float d = fabsf(depth_of(hip[s], knee[s], up, right) - value);
        if (d < best_d) { /* NaN compares false: an unseen leg is never taken */
            best_d = d;
            best = s;
        }
    }
    return best;
}

/* The leg with knee and ankle seen and the more confident (the nearer
 * one, which the analyzer prefers); -1: none. */
static int shin_leg(const struct fc_keypoints *raw, const struct vec knee[2],
                    const struct vec ank[2])
{
    static const int kj[2] = {FC_JOINT_LEFT_KNEE, FC_JOINT_RIGHT_KNEE};
    static const int aj[2] = {FC_JOINT_LEFT_ANKLE, FC_JOINT_RIGHT_ANKLE};
    int best = -1;
    float best_score = -1;
    for (int s = 0; s < 2; s++) {
        float sc = raw->score[kj[s]] + raw->score[aj[s]];
        if (vseen(knee[s]) && vseen(ank[s]) && sc > best_score) {
            best_score = sc;
            best = s;
        }
    }
    return best;
}

int fc_evidence_geometry(const struct fc_keypoints *raw, enum fc_metric m, float value,
                         double roll_deg, struct fc_evidence_geometry *g)
{
    memset(g, 0, sizeof *g);
    if (!isfinite(value))
        return -1;
    struct fc_keypoints kk;
    usable_joints(raw, &kk);
    const struct fc_keypoints *k = &kk;
    /* The body's vertical: the image's turned by the camera roll,
     * counter-clockwise on screen for a positive roll (analysis/analyzer.h). */
    const float r = (float)(roll_deg / FC_DEG_PER_RAD);
    const struct vec up = {-sinf(r), -cosf(r)}, right = {cosf(r), -sinf(r)};
    const struct vec lh = at(k, FC_JOINT_LEFT_HIP), rh = at(k, FC_JOINT_RIGHT_HIP);
    const struct vec lk = at(k, FC_JOINT_LEFT_KNEE), rk = at(k, FC_JOINT_RIGHT_KNEE);
    const struct vec la = at(k, FC_JOINT_LEFT_ANKLE), ra = at(k, FC_JOINT_RIGHT_ANKLE);
    const struct vec ls = at(k, FC_JOINT_LEFT_SHOULDER), rs = at(k, FC_JOINT_RIGHT_SHOULDER);
    const struct vec mhip = mid(k, FC_JOINT_LEFT_HIP, FC_JOINT_RIGHT_HIP);
    const struct vec msh = mid(k, FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER);
    const struct vec mank = mid(k, FC_JOINT_LEFT_ANKLE, FC_JOINT_RIGHT_ANKLE);
    const struct vec hip[2] = {lh, rh}, knee[2] = {lk, rk}, ank[2] = {la, ra}, sh[2] = {ls, rs};
    int rc = -1, s;
    switch (m) {
    case FC_M_KNEE_FPPA_LEFT:
    case FC_M_KNEE_FPPA_RIGHT:
        s = m - FC_M_KNEE_FPPA_LEFT;
        rc = bend(g, hip[s], knee[s], ank[s]);
        break;
    case FC_M_KNEE_FLEXION_LEFT:
    case FC_M_KNEE_FLEXION_RIGHT:
        s = m - FC_M_KNEE_FLEXION_LEFT;
        rc = bend(g, hip[s], knee[s], ank[s]);
        break;
    case FC_M_HIP_FLEXION_LEFT:
    case FC_M_HIP_FLEXION_RIGHT:
        s = m - FC_M_HIP_FLEXION_LEFT;
        /* the trunk of the same side, else the other (as the analyzer) */
        rc = bend(g, vseen(sh[s]) ? sh[s] : sh[1 - s], hip[s], knee[s]);
        break;
    case FC_M_PELVIC_TILT_PROXY:
        s = shin_leg(raw, knee, ank);
        rc = s < 0 ? -1 : bend(g, vseen(sh[s]) ? sh[s] : sh[1 - s], hip[s], knee[s]);
        break;
    case FC_M_PELVIC_OBLIQUITY:
    case FC_M_HIP_DROP:
        if (vseen(lh) && vseen(rh)) {
            /* The hip line against the level line through its middle, as
             * long; obliquity is its turn from the standing hip line,
             * which stands level when the subject stood square. */
            float half = 0.5f * vlen(vsub(lh, rh)) * 1.3f;
            add(g, rh, lh, FC_EVIDENCE_MEASURED);
            add(g, vadd_s(mhip, right, -half), vadd_s(mhip, right, half), FC_EVIDENCE_REFERENCE);
            g->anchor_x = mhip.x;
            g->anchor_y = mhip.y;
            rc = 0;
        }
        break;
    case FC_M_TRUNK_LEAN_LATERAL:
    case FC_M_TRUNK_FORWARD_LEAN: rc = from_vertical(g, mhip, msh, up); break;
    case FC_M_TRUNK_SHIN_DIFF:
        s = shin_leg(raw, knee, ank);
        if (s >= 0 && from_vertical(g, mhip, msh, up) == 0) {
            add(g, ank[s], knee[s], FC_EVIDENCE_SECOND);
            add(g, ank[s], vadd_s(ank[s], up, vlen(vsub(knee[s], ank[s]))), FC_EVIDENCE_REFERENCE);
            rc = 0;
        }
        break;
    case FC_M_LATERAL_SHIFT:
        if (offset_from_vertical(g, mank, mhip, up) == 0) {
            add(g, ra, la, FC_EVIDENCE_SECOND); /* the base of support */
            rc = 0;
        }
        break;
    case FC_M_KNEE_ANKLE_SEP:
        if (vseen(lk) && vseen(rk) && vseen(la) && vseen(ra)) {
            add(g, rk, lk, FC_EVIDENCE_MEASURED);
            add(g, ra, la, FC_EVIDENCE_SECOND);
            struct vec mk = vmid(lk, rk);
            g->anchor_x = mk.x;
            g->anchor_y = mk.y;
            rc = 0;
        }
        break;
    case FC_M_KNEE_MEDIAL_LEFT:
    case FC_M_KNEE_MEDIAL_RIGHT:
        s = m - FC_M_KNEE_MEDIAL_LEFT;
        rc = offset_from_vertical(g, ank[s], knee[s], up);
        break;
    case FC_M_DEPTH:
        s = depth_leg(hip, knee, value, up, right);
        if (s >= 0) {
            struct vec w = vsub(hip[s], knee[s]);
            float along = vdot(w, right) < 0 ? -1.0f : 1.0f;
            add(g, knee[s], hip[s], FC_EVIDENCE_MEASURED);
            add(g, knee[s], vadd_s(knee[s], right, along * vlen(w)), FC_EVIDENCE_REFERENCE);
            g->anchor_x = hip[s].x;
            g->anchor_y = hip[s].y;
            rc = 0;
        }
        break;
    case FC_M_KNEE_TRAVEL:
        s = shin_leg(raw, knee, ank);
        if (s >= 0) {
            struct vec toe = at(k, s == 0 ? FC_JOINT_LEFT_BIG_TOE : FC_JOINT_RIGHT_BIG_TOE);
            rc = offset_from_vertical(g, vseen(toe) ? toe : ank[s], knee[s], up);
            add(g, ank[s], knee[s], FC_EVIDENCE_SECOND);
        }
        break;
    case FC_M_HEEL_RISE:
    case FC_M_FEET_TURN_OUT:
        /* each foot seen, heel to toe; dashed: the floor line (heel rise) or
         * the downward vertical (turn-out) from the heel */
        for (s = 0; s < 2; s++) {
            struct vec heel = at(k, s ? FC_JOINT_RIGHT_HEEL : FC_JOINT_LEFT_HEEL);
            struct vec toe = at(k, s ? FC_JOINT_RIGHT_BIG_TOE : FC_JOINT_LEFT_BIG_TOE);
            if (!vseen(heel) || !vseen(toe))
                continue;
            float len = vlen(vsub(toe, heel));
            float along = m == FC_M_HEEL_RISE && vdot(vsub(toe, heel), right) < 0 ? -len : len;
            add(g, heel, toe, FC_EVIDENCE_MEASURED);
            add(g, heel, m == FC_M_HEEL_RISE ? vadd_s(heel, right, along) : vadd_s(heel, up, -len),
                FC_EVIDENCE_REFERENCE);
            g->anchor_x = heel.x;
            g->anchor_y = heel.y;
            rc = 0;
        }
        break;
    case FC_M_KNEE_INSIDE_TOE:
        /* the knee further inside its toe: the larger offset from the
         * vertical through the toe (the value does not say which) */
        for (s = 0, rc = -1; s < 2 && rc < 0; s++) {
            struct vec toe = at(k, s ? FC_JOINT_RIGHT_BIG_TOE : FC_JOINT_LEFT_BIG_TOE);
            struct vec other = at(k, s ? FC_JOINT_LEFT_BIG_TOE : FC_JOINT_RIGHT_BIG_TOE);
            float off = fabsf(vdot(vsub(knee[s], toe), right));
            float off_other = fabsf(vdot(vsub(knee[1 - s], other), right));
            if (vseen(toe) && vseen(knee[s]) && !(off_other > off && vseen(other)))
                rc = offset_from_vertical(g, toe, knee[s], up);
        }
        break;
    case FC_M_HIP_OVER_BASE:
        /* the mid-hip over the point midway between the ankles */
        if (offset_from_vertical(g, mank, mhip, up) == 0) {
            add(g, ra, la, FC_EVIDENCE_SECOND);
            rc = 0;
        }
        break;
    case FC_M_ARM_FORWARD:
        s = shin_leg(raw, knee, ank);
        s = s < 0 ? 0 : s;
        {
            /* both upper arms when both are seen (the value is their mean) */
            struct vec el[2] = {at(k, FC_JOINT_LEFT_ELBOW), at(k, FC_JOINT_RIGHT_ELBOW)};
            int both = vseen(el[0]) && vseen(sh[0]) && vseen(el[1]) && vseen(sh[1]);
            int one = vseen(el[s]) && vseen(sh[s]) ? s : 1 - s;
            if (vseen(el[one]) && vseen(sh[one]) && vseen(mhip) && vseen(msh)) {
                /* the trunk line continued up past the shoulder, and the
                 * upper arm turned forward from it */
                struct vec t = vsub(msh, mhip);
                add(g, mhip, msh, FC_EVIDENCE_SECOND);
                for (int a = 0; a < 2; a++) {
                    if (!(both || a == one))
                        continue;
                    float len = vlen(vsub(el[a], sh[a]));
                    add(g, sh[a], vadd_s(sh[a], t, len / fmaxf(vlen(t), 1e-6f)),
                        FC_EVIDENCE_REFERENCE);
                    add(g, sh[a], el[a], FC_EVIDENCE_MEASURED);
                }
                g->anchor_x = el[one].x;
                g->anchor_y = el[one].y;
                rc = 0;
            }
        }
        break;
    case FC_M_WRIST_AHEAD: {
        struct vec wr[2] = {at(k, FC_JOINT_LEFT_WRIST), at(k, FC_JOINT_RIGHT_WRIST)};
        if (vseen(wr[0]) && vseen(wr[1]) && vseen(ank[0]) && vseen(ank[1])) {
            /* the wrists' midpoint against the vertical through the ankles' */
            rc = offset_from_vertical(g, mank, mid(k, FC_JOINT_LEFT_WRIST, FC_JOINT_RIGHT_WRIST),
                                      up);
            break;
        }
        s = shin_leg(raw, knee, ank);
        if (s >= 0) {
            int w = vseen(wr[s]) ? s : 1 - s;
            /* the hand against the vertical through its ankle */
            if (vseen(wr[w]))
                rc = offset_from_vertical(g, ank[s], wr[w], up);
        }
        break;
    }
    default: /* the 3-D pelvis angles: no picture plane to show them in */ break;
    }
    if (rc < 0)
        memset(g, 0, sizeof *g);
    return rc;
}

int fc_evidence_region(const struct fc_keypoints *k, double *x, double *y, double *w, double *h)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int j = 0; j < FC_JOINT_COUNT; j++) {
        if (!(k->score[j] >= FC_ANNOTATE_MIN_SCORE) || !isfinite(k->x[j]) || !isfinite(k->y[j]))
            continue;
        x0 = fmin(x0, k->x[j]);
        x1 = fmax(x1, k->x[j]);
        y0 = fmin(y0, k->y[j]);
        y1 = fmax(y1, k->y[j]);
    }
    if (!(x1 >= x0))
        return -1;
    double bw = x1 - x0, bh = y1 - y0, margin = REGION_MARGIN * fmax(fmax(bw, bh), 1e-6);
    *w = bw + 2 * margin;
    *h = bh + 2 * margin;
    if (*w < REGION_MIN_ASPECT * *h)
        *w = REGION_MIN_ASPECT * *h;
    *x = (x0 + x1) / 2 - *w / 2;
    *y = (y0 + y1) / 2 - *h / 2;
    return 0;
}

long fc_evidence_frame(const struct fc_report *r, const struct fc_finding *f)
{
    if (!f || f->rep < 0 || !isfinite(f->t_s) || !r->frames || r->n_frames == 0)
        return -1;
    /* Frames are in time order: the first at or after t, or the one before. */
    size_t lo = 0, hi = r->n_frames;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (r->frames[m].t_s < f->t_s)
            lo = m + 1;
        else
            hi = m;
    }
    if (lo == r->n_frames)
        return (long)lo - 1;
    if (lo > 0 && f->t_s - r->frames[lo - 1].t_s < r->frames[lo].t_s - f->t_s)
        return (long)lo - 1;
    return (long)lo;
}

void fc_evidence_value_text(const struct fc_finding *f, char *buf, size_t len)
{
    const char *unit = fc_metric_info(f->threshold->metric)->unit;
    const char *sep = strcmp(unit, "%") == 0 ? "" : " ";
    if (isfinite(f->uncertainty) && f->uncertainty > 0)
        snprintf(buf, len, "%.1f \xc2\xb1 %.1f%s%s", f->magnitude, f->uncertainty, sep, unit);
    else
        snprintf(buf, len, "%.1f%s%s", f->magnitude, sep, unit);
}

const struct fc_evidence_still *fc_evidence_still_of(const struct fc_evidence *ev, size_t i)
{
    for (size_t k = 0; ev && k < ev->n; k++)
        if (ev->still[k].finding == i && ev->still[k].jpeg)
            return &ev->still[k];
    return NULL;
}

void fc_evidence_free(struct fc_evidence *ev)
{
    if (!ev)
        return;
    for (size_t k = 0; k < ev->n; k++)
        free(ev->still[k].jpeg);
    free(ev->still);
    memset(ev, 0, sizeof *ev);
}

int fc_evidence_keypoints(const struct fc_pose_track *t, long frame, struct fc_keypoints *k)
{
    if (!t || t->dims != 2 || frame < 0 || (size_t)frame >= t->n_frames)
        return -1;
    *k = t->frames[frame];
    if (t->units == FC_UNITS_NORMALIZED) {
        double sx = t->width > 0 ? t->width : 1000, sy = t->height > 0 ? t->height : 1000;
        for (int j = 0; j < FC_JOINT_COUNT; j++) {
            k->x[j] = (float)(k->x[j] * sx);
            k->y[j] = (float)(k->y[j] * sy);
        }
    }
    return 0;
}

/* The skeleton drawn under the lines: the body, and the nose to the
 * shoulders for where the head is. */
#define EVIDENCE_BONES (FC_BONE_BODY | FC_BONE_HEAD)

static int drawn_joint(const struct fc_keypoints *k, int j)
{
    return k->score[j] >= FC_ANNOTATE_MIN_SCORE && isfinite(k->x[j]) && isfinite(k->y[j]);
}

/* The overlay on a still ---------------------------------------------------- */

static const struct fc_rgb ink_black = {0, 0, 0}, ink_white = {255, 255, 255};
static const struct fc_rgb ink_fault = {214, 39, 40}, ink_watch = {245, 166, 35};
/* The second measured segment: a colour apart from the light skeleton and
 * the finding's red or amber. */
static const struct fc_rgb ink_second = {40, 190, 240};
static const struct fc_rgb ink_bone = {225, 230, 236};

/* The skeleton in one light colour, thinner than the measured lines: the
 * overlay's confidence colours (red for an unsure joint) would read as
 * the finding's red here. */
static void draw_skeleton(struct fc_canvas *c, const struct fc_keypoints *k, double ox, double oy,
                          double s, float bone_px)
{
    for (size_t b = 0; b < fc_bones_count; b++) {
        int p = fc_bones[b].a, q = fc_bones[b].b;
        if (!(fc_bones[b].part & EVIDENCE_BONES) || !drawn_joint(k, p) || !drawn_joint(k, q))
            continue;
        float x0 = (float)((k->x[p] - ox) * s), y0 = (float)((k->y[p] - oy) * s);
        float x1 = (float)((k->x[q] - ox) * s), y1 = (float)((k->y[q] - oy) * s);
        fc_draw_line(c, x0, y0, x1, y1, bone_px + 2, ink_black, 0.5f);
        fc_draw_line(c, x0, y0, x1, y1, bone_px, ink_bone, 0.9f);
    }
    for (int j = 0; j < FC_JOINT_COUNT; j++)
        if (drawn_joint(k, j)) {
            float x = (float)((k->x[j] - ox) * s), y = (float)((k->y[j] - oy) * s);
            fc_draw_disc(c, x, y, bone_px + 1, ink_black, 0.6f);
            fc_draw_disc(c, x, y, bone_px * 0.8f, ink_bone, 1.0f);
        }
}

/* The metric's value shown in the frame, NaN when not measurable there. */
static float frame_value(const struct fc_report *r, long frame, enum fc_metric m)
{
    if (!r->frames || frame < 0 || (size_t)frame >= r->n_frames)
        return NAN;
    return fc_annotate_value(&r->frames[frame], m);
}

/* The lines on the still, references first so that the measured
 * segments lie on top where they meet. */
static void draw_lines(struct fc_canvas *c, const struct fc_evidence_geometry *g, double ox,
                       double oy, double s, float w, struct fc_rgb ink)
{
    for (int pass = 0; pass < 2; pass++)
        for (int l = 0; l < g->n_lines; l++) {
            int ref = g->line[l].style == FC_EVIDENCE_REFERENCE;
            if (ref != (pass == 0))
                continue;
            float x0 = (float)((g->line[l].x0 - ox) * s), y0 = (float)((g->line[l].y0 - oy) * s);
            float x1 = (float)((g->line[l].x1 - ox) * s), y1 = (float)((g->line[l].y1 - oy) * s);
            if (ref) {
                fc_draw_dashed(c, x0, y0, x1, y1, w * 0.6f + 2, 3 * w, ink_black, 0.6f);
                fc_draw_dashed(c, x0, y0, x1, y1, w * 0.6f, 3 * w, ink_white, 1.0f);
            } else {
                struct fc_rgb col = g->line[l].style == FC_EVIDENCE_SECOND ? ink_second : ink;
                fc_draw_line(c, x0, y0, x1, y1, w + 2, ink_black, 0.6f);
                fc_draw_line(c, x0, y0, x1, y1, w, col, 1.0f);
            }
        }
    /* A marker at the joint the value belongs to. */
    float ax = (float)((g->anchor_x - ox) * s), ay = (float)((g->anchor_y - oy) * s);
    fc_draw_disc(c, ax, ay, w * 1.6f, ink_black, 0.7f);
    fc_draw_disc(c, ax, ay, w * 1.2f, ink, 1.0f);
}

/* A band at the top: rep and time, then the value (or why there is none)
 * in a light tint of the finding's colour, which reads on the dark band. */
static void draw_caption(struct fc_canvas *c, const struct fc_report *r, const struct fc_finding *f,
                         long frame, int measurable, int scale)
{
    static const struct fc_rgb text_fault = {255, 120, 110}, text_watch = {255, 196, 90};
    char top[48], value[80];
    double t = r->frames && frame >= 0 ? r->frames[frame].t_s : f->t_s;
    snprintf(top, sizeof top, "rep %d, %.2f s", f->rep + 1, t);
    if (measurable)
        fc_evidence_value_text(f, value, sizeof value);
    else
        snprintf(value, sizeof value, "not measurable in this frame");
    int pad = 3 * scale, lh = fc_text_height(scale) + 3 * scale;
    fc_draw_rect(c, 0, 0, c->width, 2 * lh + 2 * pad, ink_black, 0.7f);
    fc_draw_text(c, pad, pad, top, scale, ink_white);
    fc_draw_text(c, pad, pad + lh, value, scale,
                 !measurable                        ? ink_white
                 : f->severity == FC_SEVERITY_FAULT ? text_fault
                                                    : text_watch);
}

void fc_evidence_draw(struct fc_canvas *c, const struct fc_report *r, size_t i, long frame,
                      double ox, double oy, double s)
{
    const struct fc_finding *f = &r->grade->findings[i];
    struct fc_keypoints k;
    if (fc_evidence_keypoints(r->track, frame, &k) < 0)
        return;
    enum fc_metric m = f->threshold->metric;
    /* Sizes follow the still's long side: 3-pixel lines and 2x text at 480. */
    const int side = c->width > c->height ? c->width : c->height;
    const float w = fmaxf(3.0f, side / 160.0f);
    const int scale = side >= 400 ? 2 : 1;
    draw_skeleton(c, &k, ox, oy, s, w * 0.6f);
    struct fc_evidence_geometry g;
    int measurable = fc_evidence_geometry(&k, m, frame_value(r, frame, m),
                                          r->analysis ? r->analysis->camera_roll_deg : 0, &g) == 0;
    if (measurable)
        draw_lines(c, &g, ox, oy, s, w, f->severity == FC_SEVERITY_FAULT ? ink_fault : ink_watch);
    draw_caption(c, r, f, frame, measurable, scale);
}

/* The SVG stick figure ------------------------------------------------------ */

/* The skeleton in grey, u drawing units per 1/400 of the figure. */
static void svg_skeleton(FILE *f, const struct fc_keypoints *k, double u)
{
    fprintf(f, "<g stroke=\"#7b8794\" stroke-width=\"%.2f\" stroke-linecap=\"round\">\n", 4 * u);
    for (size_t b = 0; b < fc_bones_count; b++) {
        int p = fc_bones[b].a, q = fc_bones[b].b;
        if ((fc_bones[b].part & EVIDENCE_BONES) && drawn_joint(k, p) && drawn_joint(k, q))
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", k->x[p],
                    k->y[p], k->x[q], k->y[q]);
    }
    fputs("</g><g fill=\"#3e4c59\">\n", f);
    for (int j = 0; j < FC_JOINT_COUNT; j++)
        if (drawn_joint(k, j))
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.2f\"/>\n", k->x[j], k->y[j], 4 * u);
    fputs("</g>\n", f);
}

/* The metric's lines, references under the measured ones, and the marker
 * at the joint the value belongs to. */
static void svg_lines(FILE *f, const struct fc_evidence_geometry *g, double u, const char *ink)
{
    char dash[64];
    snprintf(dash, sizeof dash, " stroke-dasharray=\"%.1f %.1f\"", 9 * u, 7 * u);
    for (int pass = 0; pass < 2; pass++)
        for (int l = 0; l < g->n_lines; l++) {
            int ref = g->line[l].style == FC_EVIDENCE_REFERENCE;
            if (ref != (pass == 0))
                continue;
            const char *col = ref                                      ? "#1d2430"
                              : g->line[l].style == FC_EVIDENCE_SECOND ? "#1a9ad6"
                                                                       : ink;
            fprintf(f,
                    "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\" stroke-width=\"%.2f\" stroke-linecap=\"round\"%s/>\n",
                    ref ? "ref" : "measured", g->line[l].x0, g->line[l].y0, g->line[l].x1,
                    g->line[l].y1, col, (ref ? 2.5 : 5.0) * u, ref ? dash : "");
        }
    fprintf(f, "<circle class=\"at\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.2f\" fill=\"%s\"/>\n",
            g->anchor_x, g->anchor_y, 7 * u, ink);
}

int fc_evidence_write_svg(FILE *f, const struct fc_report *r, size_t i, long frame)
{
    struct fc_keypoints k;
    double x, y, w, h;
    if (!r->grade || i >= r->grade->n_findings || fc_evidence_keypoints(r->track, frame, &k) < 0 ||
        fc_evidence_region(&k, &x, &y, &w, &h) < 0)
        return -1;
    const struct fc_finding *fd = &r->grade->findings[i];
    const int fault = fd->severity == FC_SEVERITY_FAULT;
    enum fc_metric m = fd->threshold->metric;
    /* One drawing unit per 1/400 of the figure's larger side: strokes and
     * dots the same on screen whatever the source's pixel size. */
    const double u = fmax(w, h) / 400.0;
    /* A band above the figure for the value, as on a still: beside the
     * joint it would run off the picture. */
    const double band = 36 * u;
    const double t_s = r->frames ? r->frames[frame].t_s : fd->t_s;
    fprintf(f,
            "<svg class=\"stick\" viewBox=\"%.1f %.1f %.1f %.1f\" role=\"img\" "
            "aria-label=\"stick figure at %.2f s\">\n"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f4f6f8\"/>\n"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1d2430\"/>\n",
            x, y - band, w, h + band, t_s, x, y, w, h, x, y - band, w, band);
    svg_skeleton(f, &k, u);
    struct fc_evidence_geometry g;
    char v[64] = "not measurable in this frame";
    /* The value in a light tint of the finding's colour: it reads on the
     * dark band. */
    const char *text = "#fff";
    if (fc_evidence_geometry(&k, m, frame_value(r, frame, m),
                             r->analysis ? r->analysis->camera_roll_deg : 0, &g) == 0) {
        svg_lines(f, &g, u, fault ? "#d62728" : "#e69500");
        fc_evidence_value_text(fd, v, sizeof v);
        text = fault ? "#ff786e" : "#ffc45a";
    }
    fprintf(f,
            "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" fill=\"%s\" "
            "font-weight=\"700\">%s</text>\n</svg>",
            x + 10 * u, y - band + 26 * u, 22 * u, text, v);
    return 0;
}
