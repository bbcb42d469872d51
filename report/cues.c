#include "report/cues.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/annotate.h"

struct fc_cue_params fc_cue_default_params(void)
{
    struct fc_cue_params p = {.on_s = 0.1, .min_show_s = 1.5, .release = 0.25};
    return p;
}

int fc_cues_init(struct fc_cues *c, const struct fc_thresholds *th, const struct fc_cue_params *p,
                 struct fc_error *err)
{
    memset(c, 0, sizeof *c);
    c->p = p ? *p : fc_cue_default_params();
    c->n = th->n < FC_CUES_MAX_EVENTS ? th->n : FC_CUES_MAX_EVENTS;
    c->cue = calloc(c->n ? c->n : 1, sizeof *c->cue);
    if (!c->cue)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu cues", c->n);
    for (size_t i = 0; i < c->n; i++) {
        c->cue[i].threshold = &th->t[i];
        c->cue[i].side = -1;
        c->cue[i].past_since_s = NAN;
    }
    return 0;
}

void fc_cues_free(struct fc_cues *c)
{
    free(c->cue);
    memset(c, 0, sizeof *c);
}

/* v moved towards the good side by u: what the value could as well be. A
 * level counts as passed only when this is past it, as a finding's peak
 * must be past its level by more than its uncertainty (report/grade.h). */
static double toward_good(const struct fc_threshold *th, double v, double u)
{
    if (th->direction > 0)
        return v - u;
    if (th->direction < 0)
        return v + u;
    return v < 0 ? fmin(v + u, 0.0) : fmax(v - u, 0.0);
}

static int cue_off(struct fc_cue *q, int i, struct fc_cue_event *ev, int n)
{
    q->on = 0;
    q->past_since_s = NAN;
    ev[n].cue = i;
    ev[n].on = 0;
    return n + 1;
}

int fc_cues_update(struct fc_cues *c, const struct fc_analysis *so_far,
                   const struct fc_frame_metrics *m, struct fc_cue_event *ev)
{
    int n = 0;
    double t = m->t_s;
    for (size_t i = 0; i < c->n; i++) {
        struct fc_cue *q = &c->cue[i];
        const struct fc_threshold *th = q->threshold;
        int applies = th->measure == FC_MEASURE_REP_PEAK &&
                      fc_threshold_applies(th, so_far->exercise) &&
                      so_far->metric[th->metric].measurable && m->rep >= 0;
        /* Never a value the report would call not measurable. */
        double v = applies ? fc_annotate_value(m, th->metric) : NAN;
        /* One frame has no jitter of its own to estimate: the method's
         * published error and the camera angle's alone (fc_grade_uncertainty
         * with no jitter). */
        const double u =
            fc_grade_uncertainty(NAN, hypot(th->sem, fc_grade_turn_u(so_far, th->metric)));
        enum fc_severity sev = FC_SEVERITY_OK;
        double past = NAN, past_u;
        if (!isnan(v)) {
            fc_threshold_severity(th, v, &past);
            sev = fc_threshold_severity(th, toward_good(th, v, u), &past_u);
        }
        double gap = fabs(th->fault_level - th->watch);
        if (!q->on) {
            /* The same band as for going off: a value wavering just under
             * the level does not restart the wait. */
            if (isnan(past) || past < -c->p.release * gap) {
                q->past_since_s = NAN;
                continue;
            }
            if (past > u && isnan(q->past_since_s))
                q->past_since_s = t;
            if (!(past > u) || t - q->past_since_s + 1e-9 < c->p.on_s)
                continue;
            q->on = 1;
            q->t_on_s = t;
            q->severity = sev;
            q->worst = v;
            /* Named as grading names a finding's side (analysis/metrics.h),
             * with this frame's stance leg standing for the rep's. */
            q->side = fc_metric_side_of(th->metric, v, m->stance);
            struct fc_finding f = {.threshold = th, .severity = sev, .side = q->side};
            fc_annotate_cue(&f, q->text, sizeof q->text);
            ev[n].cue = (int)i;
            ev[n++].on = 1;
            continue;
        }
        if (sev > q->severity)
            q->severity = sev;
        if (!isnan(v) && fabs(v) > fabs(q->worst))
            q->worst = v;
        /* A gap (NaN) keeps the cue: a joint missing for a frame says
         * nothing about the fault. The end of the rep ends it. */
        int back = m->rep < 0 || !applies || past < -c->p.release * gap;
        if (back && t - q->t_on_s >= c->p.min_show_s)
            n = cue_off(q, (int)i, ev, n);
    }
    return n;
}

int fc_cues_clear(struct fc_cues *c, double t_s, struct fc_cue_event *ev)
{
    (void)t_s;
    int n = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->cue[i].on)
            n = cue_off(&c->cue[i], (int)i, ev, n);
        else
            c->cue[i].past_since_s = NAN;
    return n;
}

int fc_cues_active(const struct fc_cues *c)
{
    int n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += c->cue[i].on;
    return n;
}
