/* formcheck: the overhead squat screens (report/screen.h). */
#include "report/screen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/metrics.h"

#define MAX_ITEM_METRICS 4
/* What a feet item says when the pose model gave no feet (MoveNet's COCO-17). */
#define FEET_NEEDED "needs foot keypoints (heels and toes): --model blazepose-full"

/* A NASM item: the metrics whose findings show it, or none with the reason
 * no recording of formcheck can show it. */
struct nasm_def {
    const char *name;
    int n_metrics;
    enum fc_metric metrics[MAX_ITEM_METRICS];
    const char *never; /* why it is never measurable; NULL when metrics say */
};

static const struct nasm_def nasm_defs[FC_SCREEN_NASM_ITEMS] = {
    {"feet turn out", 1, {FC_M_FEET_TURN_OUT}, NULL},
    {"knees move in",
     4,
     {FC_M_KNEE_ANKLE_SEP, FC_M_KNEE_MEDIAL_LEFT, FC_M_KNEE_MEDIAL_RIGHT, FC_M_KNEE_INSIDE_TOE},
     NULL},
    {"excessive forward lean", 1, {FC_M_TRUNK_SHIN_DIFF}, NULL},
    {"low back arches",
     0,
     {0},
     "needs the lumbar spine and pelvis, which 2-D keypoints do not give"},
    {"arms fall forward", 1, {FC_M_ARM_FORWARD}, NULL},
    {"asymmetric weight shift", 2, {FC_M_LATERAL_SHIFT, FC_M_HIP_OVER_BASE}, NULL},
    {"heels rise", 1, {FC_M_HEEL_RISE}, NULL},
    {"depth", 1, {FC_M_DEPTH}, NULL},
};

/* An FMS criterion: met while the metric stays on the good side of level
 * (direction +1: not above it; -1: not below it). level_from: the threshold
 * id whose watch (or fault) level it takes; NULL: the criterion's own 0. */
struct fms_def {
    const char *name;
    int n_metrics;
    enum fc_metric metrics[2];
    int direction;
    const char *level_from;
    int use_fault_level;
};

static const struct fms_def fms_defs[FC_SCREEN_FMS_CRITERIA] = {
    {"upper torso parallel with the tibia or toward vertical",
     1,
     {FC_M_TRUNK_SHIN_DIFF},
     +1,
     NULL,
     0},
    {"femur below horizontal", 1, {FC_M_DEPTH}, -1, NULL, 0},
    {"knees aligned over the feet",
     2,
     {FC_M_KNEE_MEDIAL_LEFT, FC_M_KNEE_MEDIAL_RIGHT},
     +1,
     "knee_medial_squat",
     0},
    {"dowel aligned over the feet", 1, {FC_M_WRIST_AHEAD}, +1, "hands_over_feet_overhead_squat", 1},
};

const char *fc_screen_state_name(enum fc_screen_state st, int fms)
{
    switch (st) {
    case FC_SCREEN_NOT_SEEN: return fms ? "met" : "not seen";
    case FC_SCREEN_SEEN: return fms ? "not met" : "seen";
    default: return "not measurable";
    }
}

static int any_measurable(const struct fc_analysis *a, const enum fc_metric *m, int n)
{
    for (int i = 0; i < n; i++)
        if (a->metric[m[i]].measurable)
            return 1;
    return 0;
}

/* The first metric of the list that is not measurable: what it needs. */
static void not_measurable_reason(const struct fc_analysis *a, const enum fc_metric *m, int n,
                                  char *buf, size_t len)
{
    for (int q = 0; q < n; q++)
        if (a->metric[m[q]].beyond_turn) {
            snprintf(buf, len,
                     "needs the body square to the camera (turned about %.0f deg; holds to %.0f)",
                     a->body_yaw_deg, fc_metric_info(m[q])->turn_max_deg);
            return;
        }
    snprintf(buf, len, "needs %s", n > 0 ? fc_metric_view_needed(m[0]) : "other keypoints");
}

static const struct fc_finding *worst_finding(const struct fc_grade *g, const enum fc_metric *m,
                                              int n)
{
    /* Findings come faults first, then by how far past the level: the first
     * one on these metrics is the worst. */
    for (size_t i = 0; i < g->n_findings; i++)
        for (int q = 0; q < n; q++)
            if (g->findings[i].threshold->metric == m[q])
                return &g->findings[i];
    return NULL;
}

static void nasm_item(const struct fc_analysis *a, const struct fc_grade *g,
                      const struct nasm_def *d, struct fc_screen_item *it)
{
    it->name = d->name;
    it->state = FC_SCREEN_NOT_MEASURABLE;
    if (d->never) {
        snprintf(it->detail, sizeof it->detail, "%s", d->never);
        return;
    }
    if (!any_measurable(a, d->metrics, d->n_metrics)) {
        not_measurable_reason(a, d->metrics, d->n_metrics, it->detail, sizeof it->detail);
        return;
    }
    const struct fc_finding *f = worst_finding(g, d->metrics, d->n_metrics);
    if (f) {
        it->state = FC_SCREEN_SEEN;
        snprintf(it->detail, sizeof it->detail, "%s", f->what);
        return;
    }
    long reps = 0, frames = 0;
    for (int q = 0; q < d->n_metrics; q++) {
        reps += a->metric[d->metrics[q]].measurable ? a->metric[d->metrics[q]].reps : 0;
        frames += a->metric[d->metrics[q]].frames;
    }
    if (frames == 0 && fc_metric_needs_feet(d->metrics[0]) && a->frames_with_feet == 0) {
        snprintf(it->detail, sizeof it->detail, "%s", FEET_NEEDED);
        return;
    }
    if (reps == 0) {
        snprintf(it->detail, sizeof it->detail, "no rep measured it (tracking or no reps)");
        return;
    }
    it->state = FC_SCREEN_NOT_SEEN;
    snprintf(it->detail, sizeof it->detail, "within its levels in every rep (%s)",
             fc_metric_info(d->metrics[0])->name);
}

/* The criterion's level, or NAN when the table lacks the threshold. */
static double fms_level(const struct fms_def *d, const struct fc_thresholds *th)
{
    if (!d->level_from)
        return 0.0;
    for (size_t i = 0; i < th->n; i++)
        if (strcmp(th->t[i].id, d->level_from) == 0)
            return d->use_fault_level ? th->t[i].fault_level : th->t[i].watch;
    return NAN;
}

/* One criterion in one rep: NOT_MEASURABLE (no value), NOT_SEEN (met) or
 * SEEN (not met: past the level by more than the uncertainty); the worse
 * side's value in *v (the larger in the bad direction), its uncertainty in
 * *u. */
static enum fc_screen_state fms_rep(const struct fc_analysis *a, const struct fc_grade *g,
                                    const struct fc_rep *r, const struct fms_def *d, double level,
                                    double *v, double *u, enum fc_metric *which)
{
    enum fc_screen_state st = FC_SCREEN_NOT_MEASURABLE;
    for (int q = 0; q < d->n_metrics && !isnan(level); q++) {
        enum fc_metric m = d->metrics[q];
        double x = r->peak[m];
        if (!a->metric[m].measurable || isnan(x))
            continue;
        double ux = fc_grade_peak_u(g, r, m);
        ux = isnan(ux) ? 0 : ux;
        if (st == FC_SCREEN_NOT_MEASURABLE || d->direction * (x - *v) > 0) {
            *v = x;
            *u = ux;
            *which = m;
        }
        int fails = d->direction > 0 ? x - ux > level : x + ux < level;
        st = fails || st == FC_SCREEN_SEEN ? FC_SCREEN_SEEN : FC_SCREEN_NOT_SEEN;
    }
    return st;
}

/* The criteria of rep r into items; returns met - 10 * not met, the rep's
 * standing (the best rep has the fewest criteria not met, then the most met). */
static int fms_rep_items(const struct fc_analysis *a, const struct fc_grade *g,
                         const struct fc_thresholds *th, const struct fc_rep *r,
                         struct fc_screen_item *items)
{
    int standing = 0;
    for (int c = 0; c < FC_SCREEN_FMS_CRITERIA; c++) {
        const struct fms_def *d = &fms_defs[c];
        struct fc_screen_item *it = &items[c];
        double level = fms_level(d, th), v = NAN, u = 0;
        it->name = d->name;
        enum fc_metric which = d->metrics[0];
        it->state = fms_rep(a, g, r, d, level, &v, &u, &which);
        const struct fc_metric_info *mi = fc_metric_info(which);
        if (it->state == FC_SCREEN_NOT_MEASURABLE) {
            if (isnan(level))
                snprintf(it->detail, sizeof it->detail,
                         "no level: threshold %s is not in the table", d->level_from);
            else if (!any_measurable(a, d->metrics, d->n_metrics))
                not_measurable_reason(a, d->metrics, d->n_metrics, it->detail, sizeof it->detail);
            else
                snprintf(it->detail, sizeof it->detail, "not measured in this rep");
            continue;
        }
        snprintf(it->detail, sizeof it->detail, "%s %.1f +- %.1f %s (level %s %g)", mi->name, v, u,
                 mi->unit, d->direction > 0 ? "at most" : "at least", level);
        standing += it->state == FC_SCREEN_SEEN ? -10 : 1;
    }
    return standing;
}

static void fms_score(struct fc_screen *s, size_t n_reps)
{
    int measured = 0, not_met = 0;
    const char *missing = NULL;
    for (int c = 0; c < FC_SCREEN_FMS_CRITERIA; c++) {
        measured += s->fms[c].state != FC_SCREEN_NOT_MEASURABLE;
        not_met += s->fms[c].state == FC_SCREEN_SEEN;
        if (s->fms[c].state == FC_SCREEN_NOT_MEASURABLE && !missing)
            missing = s->fms[c].detail;
    }
    if (n_reps == 0 || measured == 0) {
        s->fms_score_low = 1;
        s->fms_score_high = 3;
        snprintf(s->fms_text, sizeof s->fms_text, "not scored: %s",
                 n_reps == 0 ? "no reps" : "no criterion measurable");
    } else if (not_met > 0) {
        s->fms_score_low = 1;
        s->fms_score_high = 2;
        snprintf(s->fms_text, sizeof s->fms_text,
                 "below 3 (%d of %d measured criteria not met in the best rep): 2 if they are "
                 "met with the heels raised on a board, else 1",
                 not_met, measured);
    } else if (measured < FC_SCREEN_FMS_CRITERIA) {
        s->fms_score_low = 1;
        s->fms_score_high = 3;
        snprintf(s->fms_text, sizeof s->fms_text,
                 "3 if the %d criteria this view cannot see are met too (%s); the %d measured "
                 "are met",
                 FC_SCREEN_FMS_CRITERIA - measured, missing ? missing : "", measured);
    } else {
        s->fms_score_low = s->fms_score_high = 3;
        snprintf(s->fms_text, sizeof s->fms_text, "3: every criterion met");
    }
}

int fc_screen_assess(const struct fc_analysis *a, const struct fc_grade *g,
                     const struct fc_thresholds *th, struct fc_screen *s)
{
    if (a->exercise != FC_EXERCISE_OVERHEAD_SQUAT)
        return 0;
    memset(s, 0, sizeof *s);
    s->n_nasm = FC_SCREEN_NASM_ITEMS;
    for (size_t i = 0; i < s->n_nasm; i++)
        nasm_item(a, g, &nasm_defs[i], &s->nasm[i]);
    s->fms_best_rep = -1;
    int best = -1000;
    struct fc_screen_item items[FC_SCREEN_FMS_CRITERIA];
    for (size_t i = 0; i < a->n_reps_detailed; i++) {
        int standing = fms_rep_items(a, g, th, &a->reps[i], items);
        if (standing > best) {
            best = standing;
            s->fms_best_rep = a->reps[i].index;
            memcpy(s->fms, items, sizeof items);
        }
    }
    if (s->fms_best_rep < 0)
        for (int c = 0; c < FC_SCREEN_FMS_CRITERIA; c++) {
            s->fms[c].name = fms_defs[c].name;
            s->fms[c].state = FC_SCREEN_NOT_MEASURABLE;
            snprintf(s->fms[c].detail, sizeof s->fms[c].detail, "no reps");
        }
    fms_score(s, a->n_reps_detailed);
    return 1;
}
