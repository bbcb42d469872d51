/* formcheck report: the JSON form of findings, reps and frames (see json.h). */
#include "report/json.h"

#include <math.h>

void fc_json_add_number(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

void fc_json_add_string(cJSON *o, const char *key, const char *s)
{
    if (s)
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

double fc_json_round(double v, int decimals)
{
    double scale = pow(10.0, decimals);
    return isfinite(v) ? round(v * scale) / scale : v;
}

const char *fc_json_side(int side)
{
    return side == FC_SIDE_LEFT ? "left" : side == FC_SIDE_RIGHT ? "right" : NULL;
}

cJSON *fc_json_event(const char *name)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "event", name);
    cJSON_AddNumberToObject(o, "schema_version", FC_LIVE_SCHEMA_VERSION);
    return o;
}

cJSON *fc_json_finding(const struct fc_finding *f)
{
    const struct fc_threshold *t = f->threshold;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "fault", t->fault);
    cJSON_AddStringToObject(o, "threshold", t->id);
    cJSON_AddStringToObject(o, "metric", fc_metric_info(t->metric)->name);
    cJSON_AddStringToObject(o, "measure", fc_measure_name(t->measure));
    cJSON_AddStringToObject(o, "severity", fc_severity_name(f->severity));
    fc_json_add_string(o, "side", fc_json_side(f->side));
    if (f->rep >= 0)
        cJSON_AddNumberToObject(o, "rep", f->rep);
    else
        cJSON_AddNullToObject(o, "rep");
    cJSON_AddNumberToObject(o, "n_reps", f->n_reps);
    fc_json_add_number(o, "t_s", f->t_s);
    fc_json_add_number(o, "magnitude", f->magnitude);
    fc_json_add_number(o, "uncertainty", f->uncertainty);
    fc_json_add_number(o, "level", f->level);
    cJSON_AddStringToObject(o, "direction", fc_direction_name(t->direction));
    cJSON_AddStringToObject(o, "unit", fc_metric_info(t->metric)->unit);
    fc_json_add_number(o, "penalty", f->penalty);
    cJSON_AddStringToObject(o, "source", t->source);
    cJSON_AddStringToObject(o, "cause", f->cause);
    cJSON_AddStringToObject(o, "remedies", f->remedies);
    cJSON_AddStringToObject(o, "message", f->message);
    return o;
}

cJSON *fc_json_findings(const struct fc_grade *g, int rep)
{
    cJSON *all = cJSON_CreateArray();
    for (size_t i = 0; g && i < g->n_findings; i++)
        if (rep == FC_JSON_EVERY_REP || g->findings[i].rep == rep)
            cJSON_AddItemToArray(all, fc_json_finding(&g->findings[i]));
    return all;
}

void fc_json_add_rep(cJSON *o, int index, const struct fc_rep *rep, double score,
                     const struct fc_analysis *a, const struct fc_grade *g)
{
    cJSON_AddNumberToObject(o, "index", index);
    fc_json_add_string(o, "side", rep ? fc_json_side(rep->side) : NULL);
    fc_json_add_number(o, "t_start_s", rep ? rep->t_start_s : NAN);
    fc_json_add_number(o, "t_bottom_s", rep ? rep->t_bottom_s : NAN);
    fc_json_add_number(o, "t_end_s", rep ? rep->t_end_s : NAN);
    fc_json_add_number(o, "score", score);
    fc_json_add_number(o, "tracked_fraction", rep ? rep->tracked_fraction : NAN);
    cJSON *peaks = cJSON_AddObjectToObject(o, "peaks");
    cJSON *peaks_u = cJSON_AddObjectToObject(o, "peaks_u");
    cJSON *at_peak = cJSON_AddObjectToObject(o, "t_peak_s");
    for (int m = 0; rep && m < FC_METRIC_COUNT; m++) {
        if (!a->metric[m].measurable)
            continue;
        fc_json_add_number(peaks, fc_metric_info(m)->name, rep->peak[m]);
        fc_json_add_number(peaks_u, fc_metric_info(m)->name, fc_grade_peak_u(g, rep, m));
        fc_json_add_number(at_peak, fc_metric_info(m)->name,
                           isfinite(rep->peak[m]) ? rep->t_peak_s[m] : NAN);
    }
}

void fc_json_add_frame(cJSON *o, const struct fc_frame_metrics *m)
{
    fc_json_add_number(o, "t_s", fc_json_round(m->t_s, FC_JSON_TIME_DECIMALS));
    if (m->rep >= 0)
        cJSON_AddNumberToObject(o, "rep", m->rep);
    else
        cJSON_AddNullToObject(o, "rep");
    cJSON_AddBoolToObject(o, "tracked", m->tracked);
    cJSON *values = cJSON_AddObjectToObject(o, "metrics");
    for (int k = 0; k < FC_METRIC_COUNT; k++)
        if (isfinite(m->value[k]))
            cJSON_AddNumberToObject(values, fc_metric_info(k)->name,
                                    fc_json_round(m->value[k], FC_JSON_VALUE_DECIMALS));
}
