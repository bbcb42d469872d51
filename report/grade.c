/* formcheck report: grading an analysed session against the thresholds
 * (see grade.h). What a metric is (its side, its plane, its asymmetry
 * pair, whether it is measured against the standing baseline) comes from
 * the metric table, analysis/metrics.h. */
#include "report/grade.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

static const char *const side_names[2] = {"left", "right"};

const char *fc_severity_name(enum fc_severity s)
{
    switch (s) {
    case FC_SEVERITY_OK: return "ok";
    case FC_SEVERITY_WATCH: return "watch";
    case FC_SEVERITY_FAULT: return "fault";
    }
    return "unknown";
}

const char *fc_grade_band(double score)
{
    if (!isfinite(score))
        return "not graded";
    if (score >= FC_GRADE_GOOD)
        return "good";
    if (score >= FC_GRADE_FAIR)
        return "fair";
    if (score >= FC_GRADE_NEEDS_WORK)
        return "needs work";
    return "poor";
}

const char *fc_metric_view_needed(enum fc_metric m)
{
    const struct fc_metric_info *mi = fc_metric_info(m);
    if (!mi)
        return "unknown";
    switch (mi->plane) {
    case FC_PLANE_FRONTAL: return "a front view";
    case FC_PLANE_SAGITTAL: return "a side view";
    case FC_PLANE_3D: return "marker-based motion capture";
    }
    return "unknown";
}

/* ---- grading ----------------------------------------------------------- */

static int threshold_measurable(const struct fc_analysis *a, const struct fc_threshold *t)
{
    enum fc_metric l, r;
    if (t->measure == FC_MEASURE_ASYMMETRY && fc_metric_asymmetry_pair(t->metric, &l, &r))
        return a->metric[l].measurable && a->metric[r].measurable;
    return a->metric[t->metric].measurable;
}

/* The loaded leg of a rep: stance, front or leading leg; -1 two-legged. */
static int rep_stance(const struct fc_analysis *a, const struct fc_rep *r)
{
    if (r->side == FC_SIDE_LEFT || r->side == FC_SIDE_RIGHT)
        return r->side;
    if (a->exercise == FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT)
        return FC_SIDE_LEFT;
    if (a->exercise == FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT)
        return FC_SIDE_RIGHT;
    return -1;
}

/* A left or right metric is graded only on the loaded leg when the rep has
 * one: the free leg of a single-leg squat is not under load. */
static int metric_applies_to_rep(enum fc_metric m, int stance)
{
    int side = fc_metric_info(m)->side;
    return side < 0 || stance < 0 || side == stance;
}

/* An asymmetry is left minus right: + says the left has more. */
static int finding_side(const struct fc_threshold *t, double v, int stance)
{
    if (t->measure == FC_MEASURE_ASYMMETRY)
        return v > 0 ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    return fc_metric_side_of(t->metric, v, stance);
}

/* Direction-aware comparison. The penalty grows with how far past the level
 * the value is, in units of the watch-to-fault gap, so a worse value never
 * scores better (10..20 watch, 25..40 fault). */
/* v, the watch and the fault level turned so that larger is worse. */
static void oriented(const struct fc_threshold *t, double v, double *x, double *w, double *f)
{
    *x = v, *w = t->watch, *f = t->fault_level;
    if (t->direction < 0) {
        *x = -v;
        *w = -*w;
        *f = -*f;
    } else if (t->direction == 0) {
        *x = fabs(v);
    }
}

enum fc_severity fc_threshold_severity(const struct fc_threshold *t, double v, double *past_watch)
{
    double x, w, f;
    oriented(t, v, &x, &w, &f);
    *past_watch = x - w;
    return x > f ? FC_SEVERITY_FAULT : x > w ? FC_SEVERITY_WATCH : FC_SEVERITY_OK;
}

double fc_grade_uncertainty(double u_jitter, double sem)
{
    double j = isfinite(u_jitter) ? u_jitter : 0;
    return sqrt(j * j + sem * sem);
}

/* The method's error for t's metric in this recording: the published SEM
 * and the body's turn in quadrature. */
static double method_u(const struct fc_grade *g, const struct fc_threshold *t)
{
    return hypot(t->sem, g->turn_u[t->metric]);
}

/* The severity of v with uncertainty u: a value counts as past a level only
 * when it is past it by more than u (above: v - u > level; below:
 * v + u < level; abs: |v| - u > level). Within u of the level a second
 * measurement of the same movement could as well land on the good side, so
 * the video does not show the fault, and a finding that a re-take may
 * withdraw is not one to act on. The excess (hence the penalty) is the
 * value's own distance past the level. */
static enum fc_severity classify(const struct fc_threshold *t, double v, double u, double *level,
                                 double *excess, double *penalty)
{
    double x, w, f;
    oriented(t, v, &x, &w, &f);
    double gap = f - w; /* > 0: checked when the table was loaded */
    if (x - u > f) {
        *level = t->fault_level;
        *excess = (x - f) / gap;
        *penalty = 25.0 + 15.0 * fmin(1.0, *excess);
        return FC_SEVERITY_FAULT;
    }
    if (x - u > w) {
        *level = t->watch;
        *excess = (x - w) / gap;
        *penalty = 10.0 + 10.0 * fmin(1.0, *excess);
        return FC_SEVERITY_WATCH;
    }
    *level = NAN;
    *excess = 0;
    *penalty = 0;
    return FC_SEVERITY_OK;
}

struct fill {
    int side, stance;
    double value;
    double u; /* NaN: {value} and {abs} are the value alone, else "7.2 +- 1.5" */
};

static const char *side_word(int side, const char *unknown)
{
    return side == FC_SIDE_LEFT || side == FC_SIDE_RIGHT ? side_names[side] : unknown;
}

static void expand(char *dst, size_t cap, const char *tmpl, const struct fill *f)
{
    size_t o = 0;
    const char *p = tmpl;
    while (*p && o + 1 < cap) {
        char num[32];
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(p, "{side}", 6) == 0) {
            rep = side_word(f->side, "one");
            skip = 6;
        } else if (strncmp(p, "{other_side}", 12) == 0) {
            rep = f->side == FC_SIDE_LEFT || f->side == FC_SIDE_RIGHT ? side_names[1 - f->side]
                                                                      : "the other";
            skip = 12;
        } else if (strncmp(p, "{stance}", 8) == 0) {
            rep = side_word(f->stance, "standing");
            skip = 8;
        } else if (strncmp(p, "{value}", 7) == 0 || strncmp(p, "{abs}", 5) == 0) {
            /* The unit follows the placeholder in the text: "7.2 +- 1.5 deg". */
            int abs = p[1] == 'a';
            double v = abs ? fabs(f->value) : f->value;
            if (isnan(f->u))
                snprintf(num, sizeof num, "%.1f", v);
            else
                snprintf(num, sizeof num, "%.1f +- %.1f", v, f->u);
            rep = num;
            skip = abs ? 5 : 7;
        }
        if (rep) {
            size_t l = strlen(rep);
            if (o + l >= cap)
                l = cap - 1 - o;
            memcpy(dst + o, rep, l);
            o += l;
            p += skip;
        } else {
            dst[o++] = *p++;
        }
    }
    dst[o] = 0;
}

static void value_text(char *buf, size_t n, double v, const char *unit)
{
    if (strcmp(unit, "%") == 0)
        snprintf(buf, n, "%g%%", v);
    else
        snprintf(buf, n, "%g %s", v, unit);
}

/* The levels, and what the +- after the value is made of. */
static void levels_text(char *buf, size_t n, const struct fc_threshold *t, double u_value,
                        double turn_u)
{
    const char *unit = fc_metric_info(t->metric)->unit;
    char w[32], f[32], sem[32], turn[32], u[128];
    value_text(w, sizeof w, t->watch, unit);
    value_text(f, sizeof f, t->fault_level, unit);
    value_text(sem, sizeof sem, t->sem, unit);
    value_text(turn, sizeof turn, round(turn_u * 10) / 10, unit);
    if (t->sem > 0 && turn_u > 0)
        snprintf(u, sizeof u, "+- with the 2-D method's SEM of %s and %s for the body's turn", sem,
                 turn);
    else if (turn_u > 0)
        snprintf(u, sizeof u, "+- with %s for the body's turn from the camera", turn);
    else if (t->sem > 0)
        snprintf(u, sizeof u, "+- with the 2-D method's SEM of %s", sem);
    else if (u_value > 0)
        snprintf(u, sizeof u, "+- from this video's jitter only");
    else /* a clip too sparse for the smoother to see its jitter, or none */
        snprintf(u, sizeof u, "no uncertainty known: no published error, no jitter measured");
    if (t->direction > 0)
        snprintf(buf, n, "watch above %s, fault above %s; %s", w, f, u);
    else if (t->direction < 0)
        snprintf(buf, n, "watch below %s, fault below %s; %s", w, f, u);
    else
        snprintf(buf, n, "watch beyond \u00b1%s, fault beyond \u00b1%s; %s", w, f, u);
}

struct grader {
    const struct fc_analysis *a;
    struct fc_grade *g;
    size_t cap;
    double set_penalty;
    int graded; /* something was compared with a threshold */
};

static void caveat_add(struct fc_grade *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void caveat_add(struct fc_grade *g, const char *fmt, ...)
{
    size_t used = strlen(g->caveat);
    if (used + 2 >= sizeof g->caveat)
        return;
    if (used) {
        g->caveat[used++] = ' ';
        g->caveat[used] = 0;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->caveat + used, sizeof g->caveat - used, fmt, ap);
    va_end(ap);
}

static int add_finding(struct grader *gr, const struct fc_threshold *t, enum fc_severity sev,
                       double v, double u, double level, double excess, double penalty, int rep,
                       int n_reps, double t_s, int stance, const char *prefix)
{
    struct fc_grade *g = gr->g;
    if (g->n_findings == gr->cap) {
        size_t ncap = gr->cap ? gr->cap * 2 : 16;
        struct fc_finding *nf = realloc(g->findings, ncap * sizeof *nf);
        if (!nf)
            return FC_ERR_NOMEM;
        g->findings = nf;
        gr->cap = ncap;
    }
    struct fc_finding *f = &g->findings[g->n_findings++];
    memset(f, 0, sizeof *f);
    f->threshold = t;
    f->severity = sev;
    f->side = finding_side(t, v, stance);
    f->rep = rep;
    f->n_reps = n_reps;
    f->t_s = t_s;
    f->magnitude = v;
    f->uncertainty = u;
    f->level = level;
    f->excess = excess;
    f->penalty = penalty;

    /* The uncertainty is told with the value in what; cause and remedies
     * keep the value alone. */
    struct fill fill = {f->side, stance, v, u > 0 ? u : NAN};
    char what[256], levels[224];
    expand(what, sizeof what, t->what, &fill);
    fill.u = NAN;
    expand(f->cause, sizeof f->cause, t->cause, &fill);
    expand(f->remedies, sizeof f->remedies, t->remedies, &fill);
    levels_text(levels, sizeof levels, t, u, gr->g->turn_u[t->metric]);
    snprintf(f->what, sizeof f->what, "%s%s (%s)", prefix, what, levels);
    snprintf(f->message, sizeof f->message, "%s: %s. Try: %s.", f->what, f->cause, f->remedies);
    return 0;
}

static const char *rep_word(const struct fc_analysis *a, size_t n)
{
    if (a->exercise == FC_EXERCISE_GAIT)
        return n == 1 ? "step" : "steps";
    return n == 1 ? "rep" : "reps";
}

static int rep_graded(const struct fc_rep *r)
{
    return !(r->tracked_fraction < FC_GRADE_MIN_TRACKED);
}

static int grade_reps(struct grader *gr, const struct fc_thresholds *th)
{
    const struct fc_analysis *a = gr->a;
    struct fc_grade *g = gr->g;
    for (size_t i = 0; i < g->n_reps; i++) {
        const struct fc_rep *r = &a->reps[i];
        g->reps[i].rep = r->index;
        g->reps[i].score = NAN;
        if (!rep_graded(r))
            continue;
        int stance = rep_stance(a, r), evaluated = 0;
        double penalty = 0;
        for (size_t k = 0; k < th->n; k++) {
            const struct fc_threshold *t = &th->t[k];
            if (t->measure != FC_MEASURE_REP_PEAK || !fc_threshold_applies(t, a->exercise) ||
                !a->metric[t->metric].measurable || !metric_applies_to_rep(t->metric, stance))
                continue;
            double v = r->peak[t->metric];
            if (!isfinite(v))
                continue;
            evaluated = 1;
            double u = fc_grade_uncertainty(r->peak_u[t->metric], method_u(gr->g, t)), level,
                   excess, pen;
            enum fc_severity sev = classify(t, v, u, &level, &excess, &pen);
            if (sev == FC_SEVERITY_OK)
                continue;
            char prefix[48];
            snprintf(prefix, sizeof prefix, "%s %d: ", rep_word(a, 1), r->index + 1);
            if (add_finding(gr, t, sev, v, u, level, excess, pen, r->index, 1,
                            r->t_peak_s[t->metric], stance, prefix) < 0)
                return FC_ERR_NOMEM;
            penalty += pen;
        }
        if (evaluated) {
            g->reps[i].score = fmax(0.0, 100.0 - penalty);
            gr->graded = 1;
        }
    }
    return 0;
}

static int grade_set_mean(struct grader *gr, const struct fc_threshold *t)
{
    const struct fc_analysis *a = gr->a;
    size_t n_reps = gr->g->n_reps;
    int sided = 0;
    for (size_t i = 0; i < n_reps; i++)
        sided |= rep_graded(&a->reps[i]) && rep_stance(a, &a->reps[i]) >= 0;
    for (int group = sided ? FC_SIDE_LEFT : -1; group <= (sided ? FC_SIDE_RIGHT : -1); group++) {
        double sum = 0, jitter2 = 0;
        int n = 0;
        for (size_t i = 0; i < n_reps; i++) {
            const struct fc_rep *r = &a->reps[i];
            int stance = rep_stance(a, r);
            if (!rep_graded(r) || (sided && stance != group) ||
                !metric_applies_to_rep(t->metric, stance) || !isfinite(r->peak[t->metric]))
                continue;
            sum += r->peak[t->metric];
            double j = fc_grade_uncertainty(r->peak_u[t->metric], 0);
            jitter2 += j * j;
            n++;
        }
        if (n == 0)
            continue;
        char who[48];
        if (group >= 0)
            snprintf(who, sizeof who, "%s-stance %s", side_names[group], rep_word(a, 2));
        else
            snprintf(who, sizeof who, "%s", rep_word(a, 2));
        if (n < t->min_reps) {
            caveat_add(gr->g,
                       "%s is graded on the mean of at least %d %s; this recording has %d, "
                       "so it is not graded.",
                       t->fault, t->min_reps, who, n);
            continue;
        }
        gr->graded = 1;
        /* The reps' jitter averages down over the mean; the method's error,
         * a bias of this camera set-up, does not. */
        double mean = sum / n, u = fc_grade_uncertainty(sqrt(jitter2) / n, method_u(gr->g, t));
        double level, excess, pen;
        enum fc_severity sev = classify(t, mean, u, &level, &excess, &pen);
        if (sev == FC_SEVERITY_OK)
            continue;
        char prefix[96];
        snprintf(prefix, sizeof prefix, "set, mean of %d %s: ", n, who);
        if (add_finding(gr, t, sev, mean, u, level, excess, pen, -1, n, NAN, group, prefix) < 0)
            return FC_ERR_NOMEM;
        gr->set_penalty += pen;
    }
    return 0;
}

static int grade_asymmetry(struct grader *gr, const struct fc_threshold *t)
{
    const struct fc_analysis *a = gr->a;
    enum fc_metric l = FC_M_HIP_DROP, r = FC_M_HIP_DROP;
    fc_metric_asymmetry_pair(t->metric, &l, &r);
    double v = l == FC_M_KNEE_FPPA_LEFT      ? a->asymmetry_fppa_deg
               : l == FC_M_KNEE_FLEXION_LEFT ? a->asymmetry_knee_flexion_deg
                                             : a->asymmetry_hip_drop_deg;
    if (!isfinite(v))
        return 0; /* one side absent: nothing to compare */
    int n[2] = {0, 0};
    double jitter2[2] = {0, 0}; /* each side's summed squared jitter */
    for (size_t i = 0; i < gr->g->n_reps; i++) {
        const struct fc_rep *rep = &a->reps[i];
        if (!rep_graded(rep))
            continue;
        double ul = fc_grade_uncertainty(rep->peak_u[l], 0);
        double ur = fc_grade_uncertainty(rep->peak_u[r], 0);
        if (l == r) { /* hip drop: left stance vs right stance */
            int s = rep_stance(a, rep);
            if (s >= 0 && isfinite(rep->peak[l])) {
                n[s]++;
                jitter2[s] += ul * ul;
            }
        } else {
            if (isfinite(rep->peak[l])) {
                n[0]++;
                jitter2[0] += ul * ul;
            }
            if (isfinite(rep->peak[r])) {
                n[1]++;
                jitter2[1] += ur * ur;
            }
        }
    }
    if (l == FC_M_KNEE_FPPA_LEFT) {
        /* "Caves in more": only valgus (FPPA > 0) counts. Two knees pushed
         * out (varus, as in a wide squat) by different amounts are not one
         * collapsing more than the other, so the difference is taken of the
         * valgus part of each side's rep peaks. */
        double sum[2] = {0, 0};
        for (size_t i = 0; i < gr->g->n_reps; i++) {
            const struct fc_rep *rep = &a->reps[i];
            if (!rep_graded(rep))
                continue;
            if (isfinite(rep->peak[l]))
                sum[0] += fmax(rep->peak[l], 0.0);
            if (isfinite(rep->peak[r]))
                sum[1] += fmax(rep->peak[r], 0.0);
        }
        if (n[0] && n[1])
            v = sum[0] / n[0] - sum[1] / n[1];
    }
    int need = t->min_reps > 0 ? t->min_reps : 1, have = n[0] < n[1] ? n[0] : n[1];
    if (have < need) {
        caveat_add(gr->g,
                   "%s needs at least %d %s measured on each side; this recording has %d, so "
                   "it is not graded.",
                   t->fault, need, rep_word(a, 2), have);
        return 0;
    }
    gr->graded = 1;
    /* A difference of two sides' means: each side's averaged jitter and its
     * own method error (two knees, two projections) add in quadrature. */
    double u_side[2];
    for (int s = 0; s < 2; s++)
        u_side[s] = fc_grade_uncertainty(sqrt(jitter2[s]) / n[s], method_u(gr->g, t));
    double u = fc_grade_uncertainty(u_side[0], u_side[1]), level, excess, pen;
    enum fc_severity sev = classify(t, v, u, &level, &excess, &pen);
    if (sev == FC_SEVERITY_OK)
        return 0;
    char prefix[96];
    snprintf(prefix, sizeof prefix, "set, %d left and %d right %s: ", n[0], n[1], rep_word(a, 2));
    if (add_finding(gr, t, sev, v, u, level, excess, pen, -1, have, NAN, -1, prefix) < 0)
        return FC_ERR_NOMEM;
    gr->set_penalty += pen;
    return 0;
}

static const char *plane_view_word(enum fc_metric_plane p)
{
    return p == FC_PLANE_FRONTAL ? "front" : p == FC_PLANE_SAGITTAL ? "side" : "markers";
}

/* Which of the exercise's graded faults this view cannot measure, and where
 * to film from instead. Returns how many applicable thresholds are
 * measurable, 0 when none of the key ones is. */
/* Appends word to the comma-separated list once. */
static void add_once(char *list, size_t size, const char *word)
{
    if (strstr(list, word))
        return;
    size_t used = strlen(list);
    snprintf(list + used, size - used, "%s%s", used ? ", " : "", word);
}

static int view_caveat(const struct fc_analysis *a, const struct fc_thresholds *th,
                       struct fc_grade *g)
{
    int measurable = 0, applicable = 0, key_applicable = 0, key_measurable = 0;
    int key_missing[3] = {0, 0, 0};
    char missing[3][400] = {"", "", ""}, turned[400] = "";
    double turned_max = 0;
    for (size_t k = 0; k < th->n; k++) {
        const struct fc_threshold *t = &th->t[k];
        if (!fc_threshold_applies(t, a->exercise))
            continue;
        applicable++;
        key_applicable += t->key;
        if (threshold_measurable(a, t)) {
            measurable++;
            key_measurable += t->key;
            continue;
        }
        if (a->metric[t->metric].beyond_turn) {
            add_once(turned, sizeof turned, t->fault);
            turned_max = fmax(turned_max, fc_metric_info(t->metric)->turn_max_deg);
            continue;
        }
        enum fc_metric_plane p = fc_metric_info(t->metric)->plane;
        key_missing[p] |= t->key;
        char *list = missing[p];
        if (strstr(list, t->fault)) /* each fault once */
            continue;
        size_t used = strlen(list);
        snprintf(list + used, sizeof missing[p] - used, "%s%s", used ? ", " : "", t->fault);
    }
    int markers = 0, flat = 0; /* marker input: only the 3-D pelvis angles */
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        int is3d = fc_metric_info(m)->plane == FC_PLANE_3D;
        markers |= is3d && a->metric[m].measurable;
        flat |= !is3d && a->metric[m].measurable;
    }
    if (markers && !flat && measurable == 0) {
        caveat_add(g,
                   "Marker-based motion capture has no camera view: formcheck reports the "
                   "pelvis angles from the markers, but the measurements it grades %s on "
                   "come from video or keypoints, so this recording is not graded.",
                   fc_exercise_name(a->exercise));
        return 0;
    }
    /* Secondary measurements alone do not make a grade: a single-leg squat
     * filmed from the side would otherwise score on its forward lean only. */
    if (turned[0])
        caveat_add(g,
                   "The body stood turned about %.0f deg from the camera (%s): %s %s only to "
                   "%.0f deg of turn or less, where the turn's own error reaches the fault "
                   "level, so %s not measured; film square to the body to grade %s.",
                   a->body_yaw_deg, a->body_yaw_from_face ? "from the face" : "from the widths",
                   turned, strchr(turned, ',') ? "hold" : "holds", turned_max,
                   strchr(turned, ',') ? "they are" : "it is", strchr(turned, ',') ? "them" : "it");
    if (key_applicable > 0 && key_measurable == 0)
        measurable = 0;
    if (applicable > 0 && measurable == 0)
        caveat_add(g,
                   "None of the main measurements formcheck grades %s on can be taken from "
                   "this recording (view: %s), so it is not graded.",
                   fc_exercise_name(a->exercise), fc_view_name(a->view));
    /* A plane is worth a caveat when one of the exercise's key measurements
     * needs it; secondary ones are only listed as not measurable. */
    for (int p = 0; p < 3; p++) {
        if (!missing[p][0] || !key_missing[p])
            continue;
        if (p == FC_PLANE_3D)
            caveat_add(g, "%s needs marker-based motion capture.", missing[p]);
        else if ((p == FC_PLANE_FRONTAL && a->view == FC_VIEW_FRONT) ||
                 (p == FC_PLANE_SAGITTAL && a->view == FC_VIEW_SIDE))
            caveat_add(g, "The joints needed for %s were not seen well enough to measure them.",
                       missing[p]);
        else
            caveat_add(g,
                       "From this view (%s) formcheck cannot measure %s: film from the %s "
                       "to grade %s.",
                       fc_view_name(a->view), missing[p], plane_view_word((enum fc_metric_plane)p),
                       strchr(missing[p], ',') ? "them" : "it");
    }
    return measurable;
}

static void tracking_caveat(const struct fc_analysis *a, const struct fc_thresholds *th,
                            struct fc_grade *g)
{
    double frac = a->frames ? (double)a->frames_tracked / (double)a->frames : 0.0;
    if (a->frames > 0 && frac < FC_GRADE_MIN_TRACKED)
        caveat_add(g, "Tracking was poor: the body was tracked in only %.0f%% of frames.",
                   100.0 * frac);
    if (a->n_low_confidence > 0) {
        char list[400] = "";
        size_t shown = a->n_low_confidence < 6 ? a->n_low_confidence : 6;
        for (size_t i = 0; i < shown; i++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%.1f-%.1f s", i ? ", " : "",
                     a->low_confidence[i].t_start_s, a->low_confidence[i].t_end_s);
        }
        caveat_add(g, "Tracking confidence was low at %s%s.", list,
                   a->n_low_confidence > shown ? " and later" : "");
    }
    char reps[200] = "";
    int n_bad = 0;
    for (size_t i = 0; i < g->n_reps; i++)
        if (!rep_graded(&a->reps[i])) {
            size_t used = strlen(reps);
            if (used + 16 < sizeof reps)
                snprintf(reps + used, sizeof reps - used, "%s%d", n_bad ? ", " : "",
                         a->reps[i].index + 1);
            n_bad++;
        }
    if (n_bad)
        caveat_add(g, "%s %s %s tracked in fewer than %.0f%% of %s frames and %s not graded.",
                   n_bad == 1 ? "Rep" : "Reps", reps, n_bad == 1 ? "was" : "were",
                   100.0 * FC_GRADE_MIN_TRACKED, n_bad == 1 ? "its" : "their",
                   n_bad == 1 ? "is" : "are");
    if (!a->has_baseline) {
        int uses = 0;
        for (size_t k = 0; k < th->n; k++)
            uses |= fc_threshold_applies(&th->t[k], a->exercise) &&
                    fc_metric_info(th->t[k].metric)->baseline_relative &&
                    threshold_measurable(a, &th->t[k]);
        if (uses)
            caveat_add(g, "No still standing phase was found, so angles measured against the "
                          "standing posture (pelvic obliquity, hip drop, lateral shift) may be "
                          "offset.");
    }
    if (a->last_rep_cut && a->n_reps > 0 && a->n_reps <= a->n_reps_detailed)
        caveat_add(g,
                   "The recording ends before the bottom of %s %zu: it is counted but not "
                   "graded.",
                   rep_word(a, 1), a->n_reps);
    if (a->no_standing)
        caveat_add(g,
                   "The subject never stood upright in view, so no %s were counted (each "
                   "starts and ends standing); positions are measured from the highest one "
                   "seen.",
                   rep_word(a, 2));
    if (a->roll_assumed && (a->view == FC_VIEW_FRONT || a->view == FC_VIEW_SIDE)) {
        if (isfinite(a->roll_estimate_deg) && fabs(a->roll_estimate_deg) > 5)
            caveat_add(g,
                       "The body stood %.0f deg from the picture's vertical, more likely "
                       "leaning than a tilted camera, so the camera is taken as level: angles "
                       "from the vertical (trunk lean, depth) assume it is.",
                       fabs(a->roll_estimate_deg));
        else
            caveat_add(g, "The subject was not seen standing upright, so the camera is taken "
                          "as level: angles from the vertical (trunk lean, depth) assume it is.");
    }
}

static int finding_cmp(const void *pa, const void *pb)
{
    const struct fc_finding *x = pa, *y = pb;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->excess != y->excess)
        return x->excess > y->excess ? -1 : 1;
    if (x->rep != y->rep)
        return x->rep < y->rep ? -1 : 1;
    return x->threshold < y->threshold ? -1 : x->threshold > y->threshold;
}

/* Knee flexion from a front view comes from the model's 3-D estimate, not
 * the picture: the report says so, and its uncertainty carries the
 * method's error against the picture from the side. */
static void world_caveat(const struct fc_analysis *a, struct fc_grade *g)
{
    int any = 0;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        if (!a->metric[m].from_world)
            continue;
        g->sem[m] = fmax(g->sem[m], FC_WORLD_KNEE_FLEXION_ERR_DEG);
        any |= a->metric[m].measurable && a->metric[m].frames > 0;
    }
    if (any)
        caveat_add(g,
                   "Knee flexion from this front view comes from the pose model's 3-D "
                   "estimate of the body (BlazePose's world points), not from the picture, "
                   "which sees the bend foreshortened; against the picture from the side it "
                   "reads within about %.1f deg (median).",
                   FC_WORLD_KNEE_FLEXION_ERR_DEG);
}

int fc_grade_session(const struct fc_analysis *a, const struct fc_thresholds *th,
                     struct fc_grade *out, struct fc_error *err)
{
    if (!out)
        return fc_error_set(err, FC_ERR_ARG, "grading: no result to fill");
    memset(out, 0, sizeof *out);
    out->score = NAN;
    out->band = fc_grade_band(NAN);
    if (!a || !th || (a->n_reps_detailed > 0 && !a->reps) || (th->n > 0 && !th->t))
        return fc_error_set(err, FC_ERR_ARG, "grading: no analysis or no threshold table");

    struct grader gr = {.a = a, .g = out};
    int rc = 0;
    out->n_reps = a->n_reps_detailed;
    out->reps = calloc(out->n_reps ? out->n_reps : 1, sizeof *out->reps);
    if (!out->reps)
        goto nomem;

    if (a->exercise <= FC_EXERCISE_AUTO || a->exercise >= FC_EXERCISE_COUNT) {
        caveat_add(out, "The exercise was not recognised, so nothing is graded: name it "
                        "(e.g. --exercise squat).");
        return 0;
    }
    for (size_t k = 0; k < th->n; k++)
        if (fc_threshold_applies(&th->t[k], a->exercise))
            out->sem[th->t[k].metric] = fmax(out->sem[th->t[k].metric], th->t[k].sem);
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        out->turn_u[m] = fc_grade_turn_u(a, (enum fc_metric)m);
    world_caveat(a, out);
    int measurable = view_caveat(a, th, out);
    tracking_caveat(a, th, out);
    if (measurable == 0)
        return 0;
    if (a->n_reps == 0) {
        caveat_add(out,
                   "No %s were found, so nothing is graded: check the exercise (%s) and "
                   "that the whole movement is in view.",
                   rep_word(a, 2), fc_exercise_name(a->exercise));
        return 0;
    }
    if (a->n_reps > a->n_reps_detailed)
        caveat_add(out, "Only the first %zu of %zu %s are graded.", a->n_reps_detailed, a->n_reps,
                   rep_word(a, 2));

    if ((rc = grade_reps(&gr, th)) < 0)
        goto nomem;
    for (size_t k = 0; k < th->n; k++) {
        const struct fc_threshold *t = &th->t[k];
        if (!fc_threshold_applies(t, a->exercise) || !threshold_measurable(a, t))
            continue;
        if (t->measure == FC_MEASURE_SET_MEAN)
            rc = grade_set_mean(&gr, t);
        else if (t->measure == FC_MEASURE_ASYMMETRY)
            rc = grade_asymmetry(&gr, t);
        if (rc < 0)
            goto nomem;
    }
    if (!gr.graded) {
        caveat_add(out, "No graded measurement had a value in any %s, so nothing is graded.",
                   rep_word(a, 1));
        return 0;
    }

    double sum = 0;
    int n = 0;
    for (size_t i = 0; i < out->n_reps; i++)
        if (isfinite(out->reps[i].score)) {
            sum += out->reps[i].score;
            n++;
        }
    double base = n ? sum / n : 100.0;
    out->score = fmin(100.0, fmax(0.0, base - gr.set_penalty));
    out->band = fc_grade_band(out->score);
    if (out->n_findings > 1)
        qsort(out->findings, out->n_findings, sizeof *out->findings, finding_cmp);
    return 0;

nomem:
    fc_grade_free(out);
    return fc_error_set(err, FC_ERR_NOMEM, "grading: out of memory");
}

void fc_grade_free(struct fc_grade *g)
{
    if (!g)
        return;
    free(g->findings);
    free(g->reps);
    g->findings = NULL;
    g->reps = NULL;
    g->n_findings = g->n_reps = 0;
}

/* The turn's errors (fc_metric_info.turn_err_per_sin) are median absolute
 * errors from the UI-PRMD table; as a standard uncertainty, like the SEM it
 * joins, a median absolute deviation is 1.4826 of it (a normal error's
 * median absolute value is 0.6745 standard deviations). */
#define MEDIAN_ABS_TO_SD 1.4826

double fc_grade_turn_u(const struct fc_analysis *a, enum fc_metric m)
{
    const struct fc_metric_info *mi = fc_metric_info(m);
    if (!mi || !isfinite(a->body_yaw_deg))
        return 0;
    double off = mi->plane == FC_PLANE_FRONTAL && a->view == FC_VIEW_FRONT   ? a->body_yaw_deg
                 : mi->plane == FC_PLANE_SAGITTAL && a->view == FC_VIEW_SIDE ? 90 - a->body_yaw_deg
                                                                             : 0;
    return MEDIAN_ABS_TO_SD * mi->turn_err_per_sin * sin(off * FC_RAD_PER_DEG);
}

double fc_grade_peak_u(const struct fc_grade *g, const struct fc_rep *r, enum fc_metric m)
{
    if (!r || !isfinite(r->peak[m]))
        return NAN;
    return fc_grade_uncertainty(r->peak_u[m], g ? hypot(g->sem[m], g->turn_u[m]) : 0);
}
