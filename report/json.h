/* formcheck report: the JSON form of findings, reps and frames.
 *
 * One encoder for every output that carries them: the report file
 * (fc_report_json, docs/schema/report.schema.json) and the live event
 * stream (formcheck live --jsonl, docs/schema/live-event.schema.json), so
 * that a finding has the same fields wherever a program reads it. Each
 * function builds cJSON nodes; the caller adds what only it knows and prints
 * them (cJSON_Print for a file, cJSON_PrintUnformatted for an event a line).
 *
 *     cJSON *ev = fc_json_event("rep");     // {"event":"rep","schema_version":1}
 *     fc_json_add_rep(ev, rep->index, rep, score, analysis, grade);
 *     cJSON_AddItemToObject(ev, "findings", fc_json_findings(grade, rep->index));
 *     char *line = cJSON_PrintUnformatted(ev);
 *     ...
 *     cJSON_free(line);
 *     cJSON_Delete(ev);
 *
 * Every NaN is null. The keys come in a fixed order, so the same analysis
 * gives the same bytes. Out of memory, a function that builds a node returns
 * NULL and one that adds to a node adds less (cJSON's adders do nothing with
 * a NULL object or item). */
#ifndef FC_REPORT_JSON_H
#define FC_REPORT_JSON_H

#include <cjson/cJSON.h>

#include "analysis/analyzer.h"
#include "report/grade.h"

/* The version of the live event stream's format; each event carries it.
 * Raise it when a field changes meaning or goes away (not when one is
 * added), with docs/schema/live-event.schema.json. */
#define FC_LIVE_SCHEMA_VERSION 2

/* The live stream's precision (fc_json_add_frame, the live events): a
 * millisecond of session time, 0.01 of a metric's unit; both well below
 * what a camera's keypoints resolve. */
#define FC_JSON_TIME_DECIMALS 3
#define FC_JSON_VALUE_DECIMALS 2

/* fc_json_findings: every finding of the session, not only one rep's. */
#define FC_JSON_EVERY_REP (-2)

/* v under key, null when not finite. */
void fc_json_add_number(cJSON *o, const char *key, double v);
/* s under key, null when s is NULL. */
void fc_json_add_string(cJSON *o, const char *key, const char *s);
/* v rounded to the given number of decimal places (NaN stays NaN): the live
 * stream's numbers carry the precision the measurement has, not 17 digits. */
double fc_json_round(double v, int decimals);
/* "left", "right", or NULL for no side (enum fc_side, -1): a side as every
 * output names it (the text and HTML reports show NULL as "-"). */
const char *fc_json_side(int side);

/* {"event": name, "schema_version": FC_LIVE_SCHEMA_VERSION}: the start of
 * every live event. */
cJSON *fc_json_event(const char *name);

/* A finding: fault, threshold, metric, measure, severity, side, rep (the
 * rep's index, null for a set-level finding), n_reps, t_s, magnitude,
 * uncertainty, level, direction, unit, penalty, source, cause, remedies,
 * message. */
cJSON *fc_json_finding(const struct fc_finding *f);
/* The findings of g (NULL: none) whose rep is rep (its index, -1 for the
 * set-level ones), or all of them with FC_JSON_EVERY_REP, in g's order. */
cJSON *fc_json_findings(const struct fc_grade *g, int rep);

/* Adds a rep's fields to o: index, side, t_start_s, t_bottom_s, t_end_s,
 * score (NaN: not graded), tracked_fraction, and peaks, peaks_u (one
 * standard uncertainty of each peak, fc_grade_peak_u with g, which may be
 * NULL: the jitter alone) and t_peak_s {metric: value} over the metrics that
 * a measures. rep may be NULL (a rep past the analysis's max_reps, whose
 * details were not kept): then every field but index and score is null or
 * empty. */
void fc_json_add_rep(cJSON *o, int index, const struct fc_rep *rep, double score,
                     const struct fc_analysis *a, const struct fc_grade *g);

/* Adds a frame's fields to o: t_s (to the millisecond), rep (null between
 * reps), tracked, and metrics {metric: value} for the metrics with a value
 * in this frame (to 0.01 of their unit). */
void fc_json_add_frame(cJSON *o, const struct fc_frame_metrics *m);

#endif
