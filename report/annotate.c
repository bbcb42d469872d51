/* formcheck report: the overlay of the annotated video (see annotate.h):
 * skeleton, angles, header and cues for one moment, drawn with the
 * primitives of report/draw.h. Sizes follow the canvas's long side, so a
 * 320-pixel test clip and a 1280-pixel output read alike. The video around
 * it (decode, draw, encode) is report/annotate_video.c. */
#include "report/annotate.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/exercise.h"

/* Colours ----------------------------------------------------------------- */

static const struct fc_rgb black = {0, 0, 0}, white = {255, 255, 255};
static const struct fc_rgb fault_red = {214, 39, 40}, watch_amber = {245, 166, 35};
static const struct fc_rgb grey = {170, 170, 170};

/* Confidence: red below the analyzer's gap level (0.3), then through
 * yellow (0.5) to green (0.7 and above). */
static struct fc_rgb score_colour(float s)
{
    static const struct fc_rgb red = {235, 64, 52}, yellow = {250, 215, 40}, green = {60, 220, 90};
    if (s < 0.3f)
        return red;
    float t = (s - 0.3f) / 0.2f;
    struct fc_rgb a = red, b = yellow;
    if (t > 1) {
        t = fminf((s - 0.5f) / 0.2f, 1);
        a = yellow;
        b = green;
    }
    struct fc_rgb o = {(uint8_t)(a.r + (b.r - a.r) * t), (uint8_t)(a.g + (b.g - a.g) * t),
                       (uint8_t)(a.b + (b.b - a.b) * t)};
    return o;
}

static struct fc_rgb band_colour(double score)
{
    static const struct fc_rgb good = {60, 220, 90}, fair = {190, 225, 60};
    if (isnan(score))
        return grey;
    if (score >= FC_GRADE_GOOD)
        return good;
    if (score >= FC_GRADE_FAIR)
        return fair;
    if (score >= FC_GRADE_NEEDS_WORK)
        return watch_amber;
    return fault_red;
}

/* Cues -------------------------------------------------------------------- */

static const char *side_upper(int side)
{
    return side == FC_SIDE_LEFT ? "LEFT" : side == FC_SIDE_RIGHT ? "RIGHT" : NULL;
}

static const char *other_upper(int side)
{
    return side == FC_SIDE_LEFT ? "RIGHT" : side == FC_SIDE_RIGHT ? "LEFT" : NULL;
}

/* The cue's words from the metric table (analysis/metrics.h): the
 * asymmetry, "below" or plain pair, with or without a side. */
static const char *cue_template(const struct fc_threshold *t, int has_side)
{
    const struct fc_metric_cue *c = &fc_metric_info(t->metric)->cue;
    const char *with = c->with_side, *without = c->no_side;
    if (t->measure == FC_MEASURE_ASYMMETRY && c->asym_no_side) {
        with = c->asym_with_side;
        without = c->asym_no_side;
    } else if (t->direction < 0 && c->below_no_side) {
        with = c->below_with_side;
        without = c->below_no_side;
    }
    return has_side && with ? with : without;
}

void fc_annotate_cue(const struct fc_finding *f, char *buf, size_t len)
{
    if (!len)
        return;
    const struct fc_threshold *t = f->threshold;
    if (!t || !fc_metric_info(t->metric)) {
        snprintf(buf, len, "CHECK FORM");
        return;
    }
    const char *side = side_upper(f->side), *other = other_upper(f->side);
    const char *p = cue_template(t, side != NULL);
    size_t o = 0;
    while (*p && o + 1 < len) {
        const char *word = NULL;
        size_t skip = 0;
        if (strncmp(p, "{side}", 6) == 0) {
            word = side;
            skip = 6;
        } else if (strncmp(p, "{other_side}", 12) == 0) {
            word = other;
            skip = 12;
        } else if (strncmp(p, "{fault}", 7) == 0) {
            word = t->fault[0] ? t->fault : "check form";
            skip = 7;
        }
        if (!skip) {
            buf[o++] = *p++;
            continue;
        }
        for (size_t i = 0; word && word[i] && o + 1 < len; i++)
            buf[o++] = word[i];
        p += skip;
    }
    buf[o] = 0;
    for (char *q = buf; *q; q++)
        *q = (char)toupper((unsigned char)*q);
}

/* The annotator ------------------------------------------------------------ */

struct cue {
    char text[64];
    enum fc_severity severity;
    enum fc_metric metric;
    int rep;    /* fc_rep.index; -1: a set-level finding */
    int stance; /* set-level: show only in reps with this stance side; -1 all */
};

struct fc_annotator {
    struct fc_annotate_input in;
    size_t n_cues;
    struct cue *cues;
};

int fc_annotator_new(struct fc_annotator **out, const struct fc_annotate_input *in,
                     struct fc_error *err)
{
    *out = NULL;
    struct fc_annotator *a = calloc(1, sizeof *a);
    if (!a)
        return fc_error_set(err, FC_ERR_NOMEM, "annotate: out of memory");
    a->in = *in;
    const struct fc_grade *g = in->grade;
    if (g && g->n_findings) {
        a->cues = calloc(g->n_findings, sizeof *a->cues);
        if (!a->cues) {
            free(a);
            return fc_error_set(err, FC_ERR_NOMEM, "annotate: out of memory");
        }
    }
    for (size_t i = 0; g && i < g->n_findings; i++) {
        const struct fc_finding *f = &g->findings[i];
        if (f->severity == FC_SEVERITY_OK)
            continue;
        struct cue *c = &a->cues[a->n_cues];
        fc_annotate_cue(f, c->text, sizeof c->text);
        c->severity = f->severity;
        c->metric = f->threshold ? f->threshold->metric : FC_METRIC_COUNT;
        c->rep = f->rep;
        /* A set-level finding of a stance-relative metric (hip drop) is
         * per stance side (its side is the stance); other set-level
         * findings concern every rep. */
        c->stance = f->rep < 0 && f->threshold && fc_metric_info(c->metric) &&
                            fc_metric_info(c->metric)->sides == FC_METRIC_SIDE_STANCE &&
                            f->threshold->measure != FC_MEASURE_ASYMMETRY
                        ? f->side
                        : -1;
        a->n_cues++;
    }
    *out = a;
    return 0;
}

void fc_annotator_free(struct fc_annotator *a)
{
    if (!a)
        return;
    free(a->cues);
    free(a);
}

/* The rep whose span holds t, or NULL; *ordinal gets how many reps have
 * started by t (the counter shows the one in progress or last finished). */
static const struct fc_rep *rep_at(const struct fc_analysis *an, double t, size_t *ordinal)
{
    const struct fc_rep *in = NULL;
    *ordinal = 0;
    for (size_t i = 0; an && i < an->n_reps_detailed; i++) {
        const struct fc_rep *r = &an->reps[i];
        if (r->t_start_s <= t)
            (*ordinal)++;
        if (r->t_start_s <= t && t <= r->t_end_s)
            in = r;
    }
    return in;
}

#define MAX_ACTIVE 4

/* The cues active in rep r, at most max, in findings order (faults first).
 * The same words twice (a rep and a set finding) show once, with the
 * first, more severe, colour. */
static int active_cues(const struct fc_annotator *a, const struct fc_rep *r, const struct cue **out,
                       int max)
{
    int n = 0;
    if (!r)
        return 0;
    for (size_t i = 0; i < a->n_cues && n < max; i++) {
        const struct cue *c = &a->cues[i];
        if (!(c->rep >= 0 ? c->rep == r->index
                          : c->stance < 0 || r->side < 0 || c->stance == r->side))
            continue;
        int dup = 0;
        for (int k = 0; k < n; k++)
            dup |= strcmp(out[k]->text, c->text) == 0;
        if (!dup)
            out[n++] = c;
    }
    return n;
}

/* Sizes from the canvas's long side: a 960-pixel frame gets 3x text in the
 * header and cues, 2x next to joints, 4-pixel bones. */
struct layout {
    int head_scale, label_scale;
    float bone_px, dot_px;
};

static struct layout layout_for(const struct fc_canvas *c)
{
    int side = c->width > c->height ? c->width : c->height;
    struct layout l;
    l.head_scale = (int)lround(side / 320.0);
    l.head_scale = l.head_scale < 1 ? 1 : l.head_scale;
    l.label_scale = (int)lround(side / 480.0);
    l.label_scale = l.label_scale < 1 ? 1 : l.label_scale;
    l.bone_px = fmaxf(3.0f, side / 240.0f);
    l.dot_px = l.bone_px * 0.9f + 1;
    return l;
}

/* Joint positions on the canvas; seen[j] = 0 for a joint not drawn. */
struct joints {
    float x[FC_JOINT_COUNT], y[FC_JOINT_COUNT], s[FC_JOINT_COUNT];
    int seen[FC_JOINT_COUNT];
};

static void place_joints(const struct fc_keypoints *k, double sx, double sy, struct joints *j)
{
    for (int i = 0; i < FC_JOINT_COUNT; i++) {
        j->x[i] = (float)(k->x[i] * sx);
        j->y[i] = (float)(k->y[i] * sy);
        j->s[i] = k->score[i];
        j->seen[i] = k->score[i] >= FC_ANNOTATE_MIN_SCORE && isfinite(j->x[i]) &&
                     isfinite(j->y[i]) && fabsf(j->x[i]) < 1e6f && fabsf(j->y[i]) < 1e6f;
    }
}

static void draw_skeleton(struct fc_canvas *c, const struct joints *j, const struct layout *l)
{
    /* A dark outline under everything keeps the skeleton visible on light
     * backgrounds; then bones, then dots on top. */
    const int parts = FC_BONE_BODY | FC_BONE_FACE;
    for (size_t b = 0; b < fc_bones_count; b++) {
        int p = fc_bones[b].a, q = fc_bones[b].b;
        if ((fc_bones[b].part & parts) && j->seen[p] && j->seen[q])
            fc_draw_line(c, j->x[p], j->y[p], j->x[q], j->y[q], l->bone_px + 2, black, 0.5f);
    }
    for (size_t b = 0; b < fc_bones_count; b++) {
        int p = fc_bones[b].a, q = fc_bones[b].b;
        if ((fc_bones[b].part & parts) && j->seen[p] && j->seen[q])
            fc_draw_line(c, j->x[p], j->y[p], j->x[q], j->y[q], l->bone_px,
                         score_colour(fminf(j->s[p], j->s[q])), 1.0f);
    }
    for (int i = 0; i < FC_JOINT_COUNT; i++) {
        if (!j->seen[i])
            continue;
        fc_draw_disc(c, j->x[i], j->y[i], l->dot_px + 1.5f, black, 0.7f);
        fc_draw_disc(c, j->x[i], j->y[i], l->dot_px, score_colour(j->s[i]), 1.0f);
    }
}

float fc_annotate_value(const struct fc_frame_metrics *m, enum fc_metric metric)
{
    if (!m || (unsigned)metric >= FC_METRIC_COUNT || (m->out_of_plane >> metric & 1u))
        return NAN;
    float v = m->value[metric];
    /* The analyzer already leaves such a knee angle out; a value from
     * elsewhere (a live front end, a file) is held to the same limit. */
    if ((metric == FC_M_KNEE_FPPA_LEFT || metric == FC_M_KNEE_FPPA_RIGHT) &&
        !(fabsf(v) <= (float)FC_FPPA_MAX_PLAUSIBLE_DEG))
        return NAN;
    return v;
}

/* A text label in a box; fg on bg. Returns nothing; clipped to the canvas. */
struct box {
    int x, y, w, h;
};

static struct box text_box(int x, int y, const char *text, int scale)
{
    int pad = scale * 2;
    struct box b = {x, y, fc_text_width(text, scale) + 2 * pad, fc_text_height(scale) + 2 * pad};
    return b;
}

static void draw_label(struct fc_canvas *c, struct box b, const char *text, int scale,
                       struct fc_rgb bg, float bg_alpha, struct fc_rgb fg)
{
    int pad = scale * 2;
    fc_draw_rect(c, b.x, b.y, b.w, b.h, bg, bg_alpha);
    fc_draw_text(c, b.x + pad, b.y + pad, text, scale, fg);
}

static int overlaps(struct box a, struct box b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The angles shown next to joints: those of the view's plane, each only in
 * frames where it was measured. */
enum anchor { AT_JOINT, AT_MID_HIP, AT_MID_SHOULDER };
static const struct {
    enum fc_metric metric;
    enum anchor at;
    enum fc_joint joint;
    const char *name;
} angle_labels[] = {
    {FC_M_KNEE_FPPA_LEFT, AT_JOINT, FC_JOINT_LEFT_KNEE, "L FPPA"},
    {FC_M_KNEE_FPPA_RIGHT, AT_JOINT, FC_JOINT_RIGHT_KNEE, "R FPPA"},
    {FC_M_HIP_DROP, AT_MID_HIP, 0, "HIP DROP"},
    {FC_M_PELVIC_OBLIQUITY, AT_MID_HIP, 0, "PELVIS"},
    {FC_M_TRUNK_LEAN_LATERAL, AT_MID_SHOULDER, 0, "TRUNK"},
    {FC_M_KNEE_FLEXION_LEFT, AT_JOINT, FC_JOINT_LEFT_KNEE, "L KNEE"},
    {FC_M_KNEE_FLEXION_RIGHT, AT_JOINT, FC_JOINT_RIGHT_KNEE, "R KNEE"},
    {FC_M_HIP_FLEXION_LEFT, AT_JOINT, FC_JOINT_LEFT_HIP, "L HIP"},
    {FC_M_HIP_FLEXION_RIGHT, AT_JOINT, FC_JOINT_RIGHT_HIP, "R HIP"},
    {FC_M_TRUNK_FORWARD_LEAN, AT_MID_SHOULDER, 0, "LEAN"},
};

static int midpoint(const struct joints *j, int a, int b, float *x, float *y)
{
    if (!j->seen[a] || !j->seen[b])
        return 0;
    *x = (j->x[a] + j->x[b]) / 2;
    *y = (j->y[a] + j->y[b]) / 2;
    return 1;
}

/* The body's centre line: the mid-hip, else the mid-shoulder; NaN. */
static float body_centre_x(const struct joints *j)
{
    if (j->seen[FC_JOINT_LEFT_HIP] && j->seen[FC_JOINT_RIGHT_HIP])
        return (j->x[FC_JOINT_LEFT_HIP] + j->x[FC_JOINT_RIGHT_HIP]) / 2;
    if (j->seen[FC_JOINT_LEFT_SHOULDER] && j->seen[FC_JOINT_RIGHT_SHOULDER])
        return (j->x[FC_JOINT_LEFT_SHOULDER] + j->x[FC_JOINT_RIGHT_SHOULDER]) / 2;
    return NAN;
}

/* Clamps b to the canvas; the index of an earlier label it overlaps, or -1. */
static int place_hit(const struct fc_canvas *c, struct box *b, const struct box *placed, int n)
{
    b->x = b->x < 0 ? 0 : b->x + b->w > c->width ? c->width - b->w : b->x;
    b->y = b->y < 0 ? 0 : b->y + b->h > c->height ? c->height - b->h : b->y;
    for (int k = 0; k < n; k++)
        if (overlaps(*b, placed[k]))
            return k;
    return -1;
}

#define MAX_LABELS 16

static void draw_angles(struct fc_canvas *c, const struct joints *j,
                        const struct fc_frame_metrics *m, const struct cue *const *cues, int n_cues,
                        const struct layout *l, const struct box *avoid, int n_avoid)
{
    /* Labels go outwards from the body's centre line. */
    const float cx = body_centre_x(j);
    /* Nothing goes over the header, the cues or a body joint's dot. */
    struct box placed[MAX_LABELS + 8 + FC_COCO17_COUNT];
    int n_placed = 0;
    for (int i = 0; i < n_avoid && n_placed < 8; i++)
        placed[n_placed++] = avoid[i];
    const int dot = (int)ceilf(l->dot_px);
    for (int i = FC_JOINT_LEFT_SHOULDER; i < FC_COCO17_COUNT; i++)
        if (j->seen[i])
            placed[n_placed++] = (struct box){
                (int)lroundf(j->x[i]) - dot, (int)lroundf(j->y[i]) - dot, 2 * dot + 1, 2 * dot + 1};
    const int scale = l->label_scale, gap = (int)ceilf(l->dot_px) + 2 * scale;
    for (size_t i = 0; i < sizeof angle_labels / sizeof angle_labels[0]; i++) {
        float v = fc_annotate_value(m, angle_labels[i].metric);
        if (!isfinite(v))
            continue;
        float x = 0, y = 0;
        int found = 0;
        switch (angle_labels[i].at) {
        case AT_JOINT:
            found = j->seen[angle_labels[i].joint];
            x = j->x[angle_labels[i].joint];
            y = j->y[angle_labels[i].joint];
            break;
        /* A mid-line value goes beside the outer of its two joints, at
         * their mid height, so that it does not sit on the skeleton. */
        case AT_MID_HIP:
            found = midpoint(j, FC_JOINT_LEFT_HIP, FC_JOINT_RIGHT_HIP, &x, &y);
            x = fmaxf(j->x[FC_JOINT_LEFT_HIP], j->x[FC_JOINT_RIGHT_HIP]);
            break;
        case AT_MID_SHOULDER:
            found = midpoint(j, FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER, &x, &y);
            x = fmaxf(j->x[FC_JOINT_LEFT_SHOULDER], j->x[FC_JOINT_RIGHT_SHOULDER]);
            break;
        }
        if (!found)
            continue;
        char text[32];
        long deg = lroundf(v);
        /* The sign where either sign is a fault (+ valgus, + left, ...). */
        if (fc_metric_info(angle_labels[i].metric)->peak == FC_PEAK_SIGNED && deg != 0)
            snprintf(text, sizeof text, "%s %+ld\xc2\xb0", angle_labels[i].name, deg);
        else
            snprintf(text, sizeof text, "%s %ld\xc2\xb0", angle_labels[i].name, deg);
        struct box b = text_box(0, 0, text, scale);
        /* Outwards from the centre line (mid-line values: to the right);
         * if an earlier label is there, the other side; then further down
         * on the first side, with a leader line back to the joint. */
        int right = angle_labels[i].at != AT_JOINT || !isfinite(cx) || x >= cx;
        const int jx = (int)lroundf(x), jy = (int)lroundf(y);
        int moved = 0, hit = 0;
        for (int side = 0; side < 2 && hit >= 0; side++) {
            int on_right = side == 0 ? right : !right;
            b.x = on_right ? jx + gap : jx - gap - b.w;
            b.y = jy - b.h / 2;
            hit = place_hit(c, &b, placed, n_placed);
        }
        if (hit >= 0) {
            b.x = right ? jx + gap : jx - gap - b.w;
            for (int tries = 0; tries < 6 && hit >= 0; tries++) {
                b.y = placed[hit].y + placed[hit].h + scale;
                hit = place_hit(c, &b, placed, n_placed);
            }
            moved = 1;
        }
        if (moved) {
            float lx = jx < b.x ? b.x : jx > b.x + b.w ? b.x + b.w : jx;
            float ly = jy < b.y ? b.y : jy > b.y + b.h ? b.y + b.h : jy;
            fc_draw_line(c, x, y, lx, ly, fmaxf(1.0f, scale * 0.75f), white, 0.8f);
        }
        struct fc_rgb bg = black, fg = white;
        float bg_alpha = 0.6f;
        for (int k = 0; k < n_cues; k++) {
            if (cues[k]->metric == angle_labels[i].metric) {
                bg = cues[k]->severity == FC_SEVERITY_FAULT ? fault_red : watch_amber;
                fg = cues[k]->severity == FC_SEVERITY_FAULT ? white : black;
                bg_alpha = 0.9f;
                break;
            }
        }
        draw_label(c, b, text, scale, bg, bg_alpha, fg);
        if (n_placed < (int)(sizeof placed / sizeof placed[0]))
            placed[n_placed++] = b;
    }
}

static void upper_copy(char *dst, size_t len, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < len; i++)
        dst[i] = src[i] == '-' ? ' ' : (char)toupper((unsigned char)src[i]);
    dst[i] = 0;
}

/* The header bar; returns its box. */
static struct box draw_header(struct fc_canvas *c, const struct fc_annotator *a, double t,
                              const struct layout *l)
{
    const struct fc_analysis *an = a->in.analysis;
    const struct fc_grade *g = a->in.grade;
    char left[96] = "", mid[48] = "", right[64] = "";
    if (an) {
        char ex[40], view[16];
        upper_copy(ex, sizeof ex, fc_exercise_name(an->exercise));
        upper_copy(view, sizeof view, fc_view_name(an->view));
        if (an->view == FC_VIEW_FRONT || an->view == FC_VIEW_SIDE)
            snprintf(left, sizeof left, "%s  %s VIEW", ex, view);
        else
            snprintf(left, sizeof left, "%s", ex);
        size_t ordinal;
        rep_at(an, t, &ordinal);
        if (an->n_reps)
            snprintf(mid, sizeof mid, "REP %zu/%zu", ordinal, an->n_reps);
        else
            snprintf(mid, sizeof mid, "NO REPS");
    }
    struct fc_rgb grade_colour = grey;
    if (g) {
        char band[24];
        upper_copy(band, sizeof band, g->band ? g->band : "");
        if (isnan(g->score))
            snprintf(right, sizeof right, "NOT GRADED");
        else
            snprintf(right, sizeof right, "GRADE %.0f %s", g->score, band);
        grade_colour = band_colour(g->score);
    }
    /* Largest scale at which the three parts fit side by side; at 1x,
     * drop the view, then the exercise. */
    int scale = l->head_scale, margin, need;
    for (;;) {
        margin = 3 * scale;
        need = fc_text_width(left, scale) + fc_text_width(mid, scale) +
               fc_text_width(right, scale) + 6 * margin;
        if (need <= c->width || scale == 1)
            break;
        scale--;
    }
    if (need > c->width && an) {
        upper_copy(left, sizeof left, fc_exercise_name(an->exercise));
        need = fc_text_width(left, scale) + fc_text_width(mid, scale) +
               fc_text_width(right, scale) + 6 * margin;
        if (need > c->width)
            left[0] = 0;
    }
    struct box bar = {0, 0, c->width, fc_text_height(scale) + 2 * margin};
    fc_draw_rect(c, bar.x, bar.y, bar.w, bar.h, black, 0.6f);
    fc_draw_text(c, margin, margin, left, scale, white);
    int wm = fc_text_width(mid, scale), wr = fc_text_width(right, scale);
    /* The counter in the middle of the space the other two leave. */
    int lx = margin + fc_text_width(left, scale), rx = c->width - margin - wr;
    int mx = (lx + rx - wm) / 2;
    fc_draw_text(c, mx, margin, mid, scale, white);
    fc_draw_text(c, rx, margin, right, scale, grade_colour);
    return bar;
}

/* Cue boxes stacked down from under the header, on the side of the frame
 * away from the subject (body_x: the body's centre, NaN when unknown: the
 * left side), so that they cover background rather than the legs they are
 * about. Returns how many. */
static int draw_cues(struct fc_canvas *c, const struct cue *const *cues, int n, float body_x,
                     int top, const struct layout *l, struct box *boxes)
{
    int scale = l->head_scale;
    int left = !(body_x < c->width / 2.0f);
    int y = top + 2 * scale;
    for (int i = 0; i < n; i++) {
        int s = scale;
        while (s > 1 && fc_text_width(cues[i]->text, s) + 10 * s > c->width)
            s--;
        int pad = 3 * s;
        struct box b = {0, y, fc_text_width(cues[i]->text, s) + 2 * pad,
                        fc_text_height(s) + 2 * pad};
        b.x = left ? 2 * s : c->width - 2 * s - b.w;
        int fault = cues[i]->severity == FC_SEVERITY_FAULT;
        fc_draw_rect(c, b.x, b.y, b.w, b.h, fault ? fault_red : watch_amber, 0.9f);
        fc_draw_text(c, b.x + pad, b.y + pad, cues[i]->text, s, fault ? white : black);
        boxes[i] = b;
        y = b.y + b.h + s * 2;
    }
    return n;
}

void fc_annotator_draw(const struct fc_annotator *a, struct fc_canvas *c, long frame, double t_s,
                       double sx, double sy)
{
    const struct layout l = layout_for(c);
    const struct fc_pose_track *tr = a->in.track;
    size_t ordinal;
    const struct fc_rep *rep = rep_at(a->in.analysis, t_s, &ordinal);
    const struct cue *cues[MAX_ACTIVE];
    int n_cues = active_cues(a, rep, cues, MAX_ACTIVE);

    struct joints j;
    int have = tr && frame >= 0 && (size_t)frame < tr->n_frames;
    if (have) {
        place_joints(&tr->frames[frame], sx, sy, &j);
        draw_skeleton(c, &j, &l);
    }
    struct box avoid[MAX_ACTIVE + 1];
    avoid[0] = draw_header(c, a, t_s, &l);
    int n_avoid = 1 + draw_cues(c, cues, n_cues, have ? body_centre_x(&j) : NAN,
                                avoid[0].y + avoid[0].h, &l, avoid + 1);
    if (have && a->in.frames)
        draw_angles(c, &j, &a->in.frames[frame], cues, n_cues, &l, avoid, n_avoid);
}
