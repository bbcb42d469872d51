/* formcheck report: the grading thresholds, loaded from data (see thresholds.h).
 *
 * The table is JSON (data/thresholds.json, compiled in; --thresholds FILE
 * replaces it). Every field is checked on loading, and a wrong one is named
 * with the file, the entry and the field, so a hand-edited table fails with a
 * message rather than grading wrongly. */
#include "report/thresholds.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"

/* data/thresholds.json, compiled in by CMake (generated/thresholds_data.c). */
extern const unsigned char fc_builtin_thresholds_json[];
extern const size_t fc_builtin_thresholds_json_len;

#define BUILTIN_NAME "built-in thresholds"
#define MAX_TABLE_BYTES (4u << 20)
#define MAX_METRICS_PER_ENTRY 8
#define MAX_MIN_REPS 1000

const char *fc_measure_name(enum fc_measure m)
{
    switch (m) {
    case FC_MEASURE_REP_PEAK: return "rep_peak";
    case FC_MEASURE_SET_MEAN: return "set_mean";
    case FC_MEASURE_ASYMMETRY: return "asymmetry";
    }
    return "unknown";
}

const char *fc_direction_name(int direction)
{
    return direction > 0 ? "above" : direction < 0 ? "below" : "abs";
}

int fc_threshold_applies(const struct fc_threshold *t, enum fc_exercise e)
{
    return (unsigned)e < FC_EXERCISE_COUNT && ((t->exercise_mask >> e) & 1u);
}

/* ---- loading ----------------------------------------------------------- */

static const char *const placeholders[] = {"{side}", "{other_side}", "{stance}", "{value}",
                                           "{abs}"};

static const char *const entry_keys[] = {
    "id",   "fault",  "metric", "measure", "exercises", "direction", "levels",     "min_reps",
    "what", "source", "basis",  "cause",   "remedies",  "key",       "reliability"};

static int copy_string(const cJSON *e, const char *key, char *dst, size_t cap, const char *where,
                       struct fc_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
    if (!v)
        return fc_error_set(err, FC_ERR_FORMAT, "%smissing \"%s\"", where, key);
    if (!cJSON_IsString(v) || !v->valuestring)
        return fc_error_set(err, FC_ERR_FORMAT, "%s\"%s\" must be a string", where, key);
    size_t len = strlen(v->valuestring);
    if (len == 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s\"%s\" is empty", where, key);
    if (len >= cap)
        return fc_error_set(err, FC_ERR_FORMAT, "%s\"%s\" is %zu characters long; at most %zu fit",
                            where, key, len, cap - 1);
    memcpy(dst, v->valuestring, len + 1);
    return 0;
}

static int check_placeholders(const char *s, const char *key, const char *where,
                              struct fc_error *err)
{
    for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
        int known = 0;
        for (size_t k = 0; k < sizeof placeholders / sizeof *placeholders; k++)
            known |= strncmp(p, placeholders[k], strlen(placeholders[k])) == 0;
        if (!known) {
            const char *close = strchr(p, '}');
            int len = close && close - p < 24 ? (int)(close - p + 1) : (int)strnlen(p, 12);
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%sunknown placeholder \"%.*s\" in \"%s\" (known: {side} "
                                "{other_side} {stance} {value} {abs})",
                                where, len, p, key);
        }
    }
    return 0;
}

static int get_number(const cJSON *obj, const char *key, double *out, const char *where,
                      struct fc_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return fc_error_set(err, FC_ERR_FORMAT, "%smissing \"%s\"", where, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return fc_error_set(err, FC_ERR_FORMAT, "%s\"%s\" must be a number", where, key);
    *out = v->valuedouble;
    return 0;
}

/* No field beyond the known ones ("_note" and other "_" fields are comments). */
static int check_keys(const cJSON *e, const char *where, struct fc_error *err)
{
    if (!cJSON_IsObject(e))
        return fc_error_set(err, FC_ERR_FORMAT, "%snot an object", where);
    for (const cJSON *k = e->child; k; k = k->next) {
        int known = k->string && k->string[0] == '_';
        for (size_t i = 0; !known && i < sizeof entry_keys / sizeof *entry_keys; i++)
            known = k->string && strcmp(k->string, entry_keys[i]) == 0;
        if (!known)
            return fc_error_set(err, FC_ERR_FORMAT, "%sunknown field \"%s\"", where,
                                k->string ? k->string : "?");
    }
    return 0;
}

static int parse_texts(const cJSON *e, const char *where, struct fc_threshold *t,
                       struct fc_error *err)
{
    int rc;
    if ((rc = copy_string(e, "fault", t->fault, sizeof t->fault, where, err)) < 0 ||
        (rc = copy_string(e, "what", t->what, sizeof t->what, where, err)) < 0 ||
        (rc = copy_string(e, "source", t->source, sizeof t->source, where, err)) < 0 ||
        (rc = copy_string(e, "basis", t->basis, sizeof t->basis, where, err)) < 0 ||
        (rc = copy_string(e, "cause", t->cause, sizeof t->cause, where, err)) < 0 ||
        (rc = copy_string(e, "remedies", t->remedies, sizeof t->remedies, where, err)) < 0)
        return rc;
    if ((rc = check_placeholders(t->what, "what", where, err)) < 0 ||
        (rc = check_placeholders(t->cause, "cause", where, err)) < 0 ||
        (rc = check_placeholders(t->remedies, "remedies", where, err)) < 0)
        return rc;
    return 0;
}

/* metric: one name, or a list (one threshold per metric, e.g. both knees). */
static int parse_metrics(const cJSON *e, const char *where, int *metrics, int *n_metrics,
                         struct fc_error *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "metric");
    *n_metrics = 0;
    if (!m)
        return fc_error_set(err, FC_ERR_FORMAT, "%smissing \"metric\"", where);
    const cJSON *one = cJSON_IsString(m) ? m : cJSON_IsArray(m) ? m->child : NULL;
    if (!one)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s\"metric\" must be a metric name or a non-empty list of them",
                            where);
    for (; one; one = cJSON_IsArray(m) ? one->next : NULL) {
        if (!cJSON_IsString(one) || !one->valuestring)
            return fc_error_set(err, FC_ERR_FORMAT, "%s\"metric\" list holds a non-string", where);
        int id = fc_metric_from_name(one->valuestring);
        if (id < 0)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%sunknown metric \"%s\" (the names are in analysis/metrics.h, "
                                "e.g. \"knee_fppa_left_deg\")",
                                where, one->valuestring);
        for (int i = 0; i < *n_metrics; i++)
            if (metrics[i] == id)
                return fc_error_set(err, FC_ERR_FORMAT, "%smetric \"%s\" is listed twice", where,
                                    one->valuestring);
        if (*n_metrics == MAX_METRICS_PER_ENTRY)
            return fc_error_set(err, FC_ERR_FORMAT, "%smore than %d metrics", where,
                                MAX_METRICS_PER_ENTRY);
        metrics[(*n_metrics)++] = id;
    }
    return 0;
}

static int parse_exercises(const cJSON *e, const char *where, struct fc_threshold *t,
                           struct fc_error *err)
{
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(e, "exercises");
    if (!ex)
        return fc_error_set(err, FC_ERR_FORMAT, "%smissing \"exercises\"", where);
    if (!cJSON_IsArray(ex) || !ex->child)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s\"exercises\" must be a non-empty list of exercise names", where);
    for (const cJSON *x = ex->child; x; x = x->next) {
        if (!cJSON_IsString(x) || !x->valuestring)
            return fc_error_set(err, FC_ERR_FORMAT, "%s\"exercises\" holds a non-string", where);
        int id = fc_exercise_from_name(x->valuestring);
        if (id <= FC_EXERCISE_AUTO)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%sunknown exercise \"%s\" (known: squat, "
                                "single-leg-squat-left, single-leg-squat-right, lunge, step-up, "
                                "single-leg-deadlift, glute-bridge, gait)",
                                where, x->valuestring);
        t->exercise_mask |= 1u << id;
    }
    return 0;
}

/* direction and levels, and that the levels are in the direction's order. */
static int parse_levels(const cJSON *e, const char *where, struct fc_threshold *t,
                        struct fc_error *err)
{
    int rc;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "direction");
    if (!d)
        return fc_error_set(err, FC_ERR_FORMAT, "%smissing \"direction\"", where);
    if (cJSON_IsString(d) && d->valuestring && strcmp(d->valuestring, "above") == 0)
        t->direction = 1;
    else if (cJSON_IsString(d) && d->valuestring && strcmp(d->valuestring, "below") == 0)
        t->direction = -1;
    else if (cJSON_IsString(d) && d->valuestring && strcmp(d->valuestring, "abs") == 0)
        t->direction = 0;
    else
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s\"direction\" must be \"above\", \"below\" or \"abs\"", where);

    const cJSON *lv = cJSON_GetObjectItemCaseSensitive(e, "levels");
    if (!lv)
        return fc_error_set(err, FC_ERR_FORMAT, "%smissing \"levels\"", where);
    if (!cJSON_IsObject(lv))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s\"levels\" must be an object {\"watch\": x, \"fault\": y}", where);
    if ((rc = get_number(lv, "watch", &t->watch, where, err)) < 0 ||
        (rc = get_number(lv, "fault", &t->fault_level, where, err)) < 0)
        return rc;
    if (t->direction > 0 && !(t->fault_level > t->watch))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%sdirection \"above\" needs the fault level (%g) above the watch "
                            "level (%g)",
                            where, t->fault_level, t->watch);
    if (t->direction < 0 && !(t->fault_level < t->watch))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%sdirection \"below\" needs the fault level (%g) below the watch "
                            "level (%g)",
                            where, t->fault_level, t->watch);
    if (t->direction == 0 && !(t->watch >= 0 && t->fault_level > t->watch))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%sdirection \"abs\" needs 0 <= watch (%g) < fault (%g)", where,
                            t->watch, t->fault_level);
    return 0;
}

/* min_reps and key, both optional. */
static int parse_options(const cJSON *e, const char *where, struct fc_threshold *t,
                         struct fc_error *err)
{
    const cJSON *mr = cJSON_GetObjectItemCaseSensitive(e, "min_reps");
    if (mr) {
        if (!cJSON_IsNumber(mr) || mr->valuedouble != floor(mr->valuedouble) ||
            mr->valuedouble < 0 || mr->valuedouble > MAX_MIN_REPS)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s\"min_reps\" must be a whole number from 0 to %d", where,
                                MAX_MIN_REPS);
        t->min_reps = (int)mr->valuedouble;
    }

    const cJSON *key = cJSON_GetObjectItemCaseSensitive(e, "key");
    t->key = 1;
    if (key) {
        if (!cJSON_IsBool(key))
            return fc_error_set(err, FC_ERR_FORMAT, "%s\"key\" must be true or false", where);
        t->key = cJSON_IsTrue(key);
    }
    return 0;
}

/* reliability, optional: {"sem": x, "sdd": y, "source": "..."}, both
 * numbers above 0 (an error of measurement of 0 would be no error at all). */
static int parse_reliability(const cJSON *e, const char *where, struct fc_threshold *t,
                             struct fc_error *err)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "reliability");
    if (!r)
        return 0;
    if (!cJSON_IsObject(r))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s\"reliability\" must be an object {\"sem\": x, \"sdd\": y, "
                            "\"source\": \"...\"}",
                            where);
    for (const cJSON *k = r->child; k; k = k->next) {
        const char *n = k->string ? k->string : "?";
        if (n[0] != '_' && strcmp(n, "sem") != 0 && strcmp(n, "sdd") != 0 &&
            strcmp(n, "source") != 0)
            return fc_error_set(err, FC_ERR_FORMAT, "%s\"reliability\": unknown field \"%s\"",
                                where, n);
    }
    char at[FC_ERROR_MSG_MAX + 24];
    snprintf(at, sizeof at, "%s\"reliability\": ", where);
    int rc;
    if ((rc = get_number(r, "sem", &t->sem, at, err)) < 0 ||
        (rc = get_number(r, "sdd", &t->sdd, at, err)) < 0)
        return rc;
    if (!(t->sem > 0) || !(t->sdd > 0))
        return fc_error_set(err, FC_ERR_FORMAT, "%s\"sem\" and \"sdd\" must be above 0", at);
    return copy_string(r, "source", t->reliability_source, sizeof t->reliability_source, at, err);
}

/* measure, and what each measure needs of the rest of the entry. */
static int parse_measure(const cJSON *e, const char *where, struct fc_threshold *t,
                         const int *metrics, int n_metrics, struct fc_error *err)
{
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(e, "measure");
    t->measure = FC_MEASURE_REP_PEAK;
    if (ms) {
        const char *s = cJSON_IsString(ms) ? ms->valuestring : NULL;
        if (s && strcmp(s, "rep_peak") == 0)
            t->measure = FC_MEASURE_REP_PEAK;
        else if (s && strcmp(s, "set_mean") == 0)
            t->measure = FC_MEASURE_SET_MEAN;
        else if (s && strcmp(s, "asymmetry") == 0)
            t->measure = FC_MEASURE_ASYMMETRY;
        else
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s\"measure\" must be \"rep_peak\", \"set_mean\" or "
                                "\"asymmetry\"",
                                where);
    }
    if (t->measure == FC_MEASURE_REP_PEAK && t->min_reps != 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s\"min_reps\" is for set-level measures; a rep_peak threshold "
                            "grades every rep",
                            where);
    if (t->measure == FC_MEASURE_SET_MEAN && t->min_reps < 1)
        return fc_error_set(err, FC_ERR_FORMAT, "%sa set_mean threshold needs \"min_reps\" >= 1",
                            where);
    if (t->measure == FC_MEASURE_ASYMMETRY) {
        enum fc_metric l, r;
        if (n_metrics != 1 || !fc_metric_asymmetry_pair((enum fc_metric)metrics[0], &l, &r))
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%san asymmetry threshold needs one metric with a left/right "
                                "asymmetry: knee_fppa_left_deg, knee_flexion_left_deg or "
                                "hip_drop_deg",
                                where);
        if (t->direction != 0)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%san asymmetry threshold needs direction \"abs\"", where);
    }
    return 0;
}

/* One entry of the file; metrics[] receives the metric(s) it names. */
static int parse_entry(const cJSON *e, const char *where, struct fc_threshold *t, int *metrics,
                       int *n_metrics, struct fc_error *err)
{
    int rc;
    memset(t, 0, sizeof *t);
    *n_metrics = 0;
    if ((rc = check_keys(e, where, err)) < 0 || (rc = parse_texts(e, where, t, err)) < 0 ||
        (rc = parse_metrics(e, where, metrics, n_metrics, err)) < 0 ||
        (rc = parse_exercises(e, where, t, err)) < 0 || (rc = parse_levels(e, where, t, err)) < 0 ||
        (rc = parse_options(e, where, t, err)) < 0 ||
        (rc = parse_reliability(e, where, t, err)) < 0 ||
        (rc = parse_measure(e, where, t, metrics, *n_metrics, err)) < 0)
        return rc;
    return 0;
}

/* The document around the entries: an object with "version": 1 and a
 * "thresholds" list, nothing else but "_" comments and the motion-capture
 * thresholds (report/mocap.h). Sets *list. */
static int parse_root(const char *name, const char *text, size_t len, cJSON **root,
                      const cJSON **list, struct fc_error *err)
{
    const char *end = NULL;
    /* len + 1 takes in the NUL after the text (both sources have one), which
     * is how cJSON checks that nothing follows the value. */
    *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!*root) {
        int line = 1, col = 1;
        for (const char *p = text; end && p < end && p < text + len; p++, col++)
            if (*p == '\n') {
                line++;
                col = 0;
            }
        return fc_error_set(err, FC_ERR_FORMAT, "%s: not valid JSON (near line %d, column %d)",
                            name, line, col);
    }
    if (!cJSON_IsObject(*root))
        return fc_error_set(err, FC_ERR_FORMAT, "%s: the top level must be an object", name);
    for (const cJSON *k = (*root)->child; k; k = k->next)
        if (k->string && k->string[0] != '_' && strcmp(k->string, "version") != 0 &&
            strcmp(k->string, "thresholds") != 0 &&
            strcmp(k->string, "mocap_thresholds") != 0) /* report/mocap.c reads those */
            return fc_error_set(err, FC_ERR_FORMAT, "%s: unknown top-level field \"%s\"", name,
                                k->string);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(*root, "version");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: \"version\" must be 1", name);
    *list = cJSON_GetObjectItemCaseSensitive(*root, "thresholds");
    if (!cJSON_IsArray(*list))
        return fc_error_set(err, FC_ERR_FORMAT, "%s: \"thresholds\" must be a list", name);
    return 0;
}

/* The entry's id, checked: present, not too long, not used before. Fills
 * where with the prefix of every message about the entry. */
static int entry_id(const cJSON *e, const char *name, size_t idx,
                    const struct fc_thresholds *so_far, char *where, size_t where_len,
                    const char **out, struct fc_error *err)
{
    const cJSON *id = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "id") : NULL;
    const char *ids = cJSON_IsString(id) ? id->valuestring : NULL;
    if (ids)
        snprintf(where, where_len, "%s: thresholds[%zu] (\"%.47s\"): ", name, idx, ids);
    else
        snprintf(where, where_len, "%s: thresholds[%zu]: ", name, idx);
    if (!ids || !ids[0] || strlen(ids) >= sizeof so_far->t->id)
        return fc_error_set(err, FC_ERR_FORMAT, "%s%s", where,
                            !id               ? "missing \"id\""
                            : !ids || !ids[0] ? "\"id\" must be a non-empty string"
                                              : "\"id\" is too long (at most 47 characters)");
    for (size_t i = 0; i < so_far->n; i++)
        if (strcmp(so_far->t[i].id, ids) == 0)
            return fc_error_set(err, FC_ERR_FORMAT, "%sthe id is used by an earlier entry", where);
    *out = ids;
    return 0;
}

/* Appends one threshold per metric of the entry, growing the table. */
static int append_entry(struct fc_thresholds *th, size_t *cap, const struct fc_threshold *one,
                        const int *metrics, int n_metrics, const char *name, struct fc_error *err)
{
    if (th->n + (size_t)n_metrics > *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        while (ncap < th->n + (size_t)n_metrics)
            ncap *= 2;
        struct fc_threshold *nt = realloc(th->t, ncap * sizeof *nt);
        if (!nt)
            return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", name);
        th->t = nt;
        *cap = ncap;
    }
    for (int i = 0; i < n_metrics; i++) {
        th->t[th->n] = *one;
        th->t[th->n].metric = (enum fc_metric)metrics[i];
        th->n++;
    }
    return 0;
}

int fc_thresholds_load(const char *path, struct fc_thresholds *out, struct fc_error *err)
{
    const char *name = path ? path : BUILTIN_NAME;
    unsigned char *data = NULL;
    size_t size = 0, cap = 0;
    cJSON *root = NULL;
    const cJSON *list = NULL;
    struct fc_thresholds th = {0, NULL};
    int rc;
    char where[FC_ERROR_MSG_MAX];

    memset(out, 0, sizeof *out);
    if (path) {
        rc = fc_read_file(path, MAX_TABLE_BYTES, "a threshold table", &data, &size, err);
        if (rc < 0)
            return rc;
    }
    const char *text = path ? (const char *)data : (const char *)fc_builtin_thresholds_json;
    size_t len = path ? size : fc_builtin_thresholds_json_len;
    if ((rc = parse_root(name, text, len, &root, &list, err)) < 0)
        goto fail;

    size_t idx = 0;
    for (const cJSON *e = list->child; e; e = e->next, idx++) {
        const char *ids = NULL;
        struct fc_threshold one;
        int metrics[MAX_METRICS_PER_ENTRY], n_metrics = 0;
        if ((rc = entry_id(e, name, idx, &th, where, sizeof where, &ids, err)) < 0 ||
            (rc = parse_entry(e, where, &one, metrics, &n_metrics, err)) < 0)
            goto fail;
        strcpy(one.id, ids);
        if ((rc = append_entry(&th, &cap, &one, metrics, n_metrics, name, err)) < 0)
            goto fail;
    }
    cJSON_Delete(root);
    free(data);
    *out = th;
    return 0;

fail:
    cJSON_Delete(root);
    free(data);
    free(th.t);
    return rc;
}

void fc_thresholds_free(struct fc_thresholds *th)
{
    if (!th)
        return;
    free(th->t);
    th->t = NULL;
    th->n = 0;
}
