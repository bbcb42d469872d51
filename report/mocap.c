#include "report/mocap.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "report/json.h"

extern const unsigned char fc_builtin_thresholds_json[];
extern const size_t fc_builtin_thresholds_json_len;

void fc_mocap_thresholds_free(struct fc_mocap_thresholds *th)
{
    if (!th)
        return;
    free(th->t);
    th->t = NULL;
    th->n = 0;
}

static int copy_string(const cJSON *e, const char *key, char *dst, size_t cap, int required,
                       const char *where, struct fc_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
    if (!v) {
        dst[0] = '\0';
        return required ? fc_error_set(err, FC_ERR_FORMAT, "%s: no \"%s\"", where, key) : 0;
    }
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: \"%s\" must be text of under %zu characters",
                            where, key, cap);
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

static int parse_entry(const cJSON *e, size_t idx, const char *name, struct fc_mocap_threshold *t,
                       struct fc_error *err)
{
    char where[160];
    snprintf(where, sizeof where, "%s: mocap_thresholds[%zu]", name, idx);
    if (!cJSON_IsObject(e))
        return fc_error_set(err, FC_ERR_FORMAT, "%s: must be an object", where);
    int rc;
    char measure[48];
    if ((rc = copy_string(e, "id", t->id, sizeof t->id, 1, where, err)) < 0 ||
        (rc = copy_string(e, "measure", measure, sizeof measure, 1, where, err)) < 0 ||
        (rc = copy_string(e, "fault", t->fault, sizeof t->fault, 1, where, err)) < 0 ||
        (rc = copy_string(e, "what", t->what, sizeof t->what, 1, where, err)) < 0 ||
        (rc = copy_string(e, "source", t->source, sizeof t->source, 1, where, err)) < 0 ||
        (rc = copy_string(e, "basis", t->basis, sizeof t->basis, 1, where, err)) < 0 ||
        (rc = copy_string(e, "cause", t->cause, sizeof t->cause, 0, where, err)) < 0 ||
        (rc = copy_string(e, "remedies", t->remedies, sizeof t->remedies, 0, where, err)) < 0)
        return rc;
    int m = fc_mocap_measure_from_name(measure);
    if (m < 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s (\"%s\"): unknown measure \"%s\" (known: pelvic_drop_deg, "
                            "hip_adduction_deg, knee_valgus_deg, trunk_lean_deg)",
                            where, t->id, measure);
    t->measure = (enum fc_mocap_measure)m;
    const cJSON *lv = cJSON_GetObjectItemCaseSensitive(e, "levels");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(lv, "watch");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(lv, "fault");
    if (!cJSON_IsNumber(w) || !cJSON_IsNumber(f))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s (\"%s\"): \"levels\" needs numbers watch and fault", where, t->id);
    t->watch = w->valuedouble;
    t->fault_level = f->valuedouble;
    int per_rep = t->measure >= FC_MOCAP_FIRST_REP_MEASURE;
    const char *count_key = per_rep ? "min_reps" : "min_strides";
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(e, count_key);
    if (!cJSON_IsNumber(ms) || ms->valuedouble < 1 || ms->valuedouble > 1000)
        return fc_error_set(err, FC_ERR_FORMAT, "%s (\"%s\"): \"%s\" must be 1 to 1000", where,
                            t->id, count_key);
    t->min_count = (int)ms->valuedouble;
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(e, "direction");
    t->direction = 1;
    if (dir && !(cJSON_IsString(dir) && (strcmp(dir->valuestring, "above") == 0 ||
                                         strcmp(dir->valuestring, "below") == 0)))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s (\"%s\"): \"direction\" must be \"above\" or \"below\"", where,
                            t->id);
    if (dir && strcmp(dir->valuestring, "below") == 0)
        t->direction = -1;
    /* the levels in the bad direction: watch first */
    if (t->direction * (t->fault_level - t->watch) <= 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s (\"%s\"): the fault level must lie beyond the watch level in the "
                            "bad direction",
                            where, t->id);
    return 0;
}

int fc_mocap_thresholds_load(const char *path, struct fc_mocap_thresholds *out,
                             struct fc_error *err)
{
    unsigned char *data = NULL;
    size_t size = 0;
    int rc = 0;
    memset(out, 0, sizeof *out);
    if (path && (rc = fc_read_file(path, 0, "a thresholds file", &data, &size, err)) < 0)
        return rc;
    const char *name = path ? path : "built-in thresholds";
    const char *text = path ? (const char *)data : (const char *)fc_builtin_thresholds_json;
    size_t len = path ? size : fc_builtin_thresholds_json_len;
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "mocap_thresholds");
    if (!root) {
        rc = fc_error_set(err, FC_ERR_FORMAT, "%s: not valid JSON", name);
        goto done;
    }
    if (!list) /* a file of video thresholds only: nothing to grade markers on */
        goto done;
    if (!cJSON_IsArray(list)) {
        rc = fc_error_set(err, FC_ERR_FORMAT, "%s: \"mocap_thresholds\" must be a list", name);
        goto done;
    }
    size_t n = (size_t)cJSON_GetArraySize(list);
    out->t = calloc(n ? n : 1, sizeof *out->t);
    if (!out->t) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", name);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if ((rc = parse_entry(cJSON_GetArrayItem(list, (int)i), i, name, &out->t[i], err)) < 0)
            goto done;
        out->n++;
    }
done:
    cJSON_Delete(root);
    free(data);
    if (rc < 0)
        fc_mocap_thresholds_free(out);
    return rc;
}

/* A two-legged squat when most reps have both feet down and level; else
 * a lunge (one foot ahead) or a single-leg squat (one foot lifted). */
static int is_squat(const struct fc_mocap *mc)
{
    size_t level = 0;
    for (size_t i = 0; i < mc->squat.n_reps; i++)
        level += mc->squat.reps[i].leading_side < 0 && mc->squat.reps[i].stance_side < 0;
    return mc->squat.n_reps > 0 && 2 * level > mc->squat.n_reps;
}

static int is_single_leg(const struct fc_mocap *mc)
{
    size_t one = 0;
    for (size_t i = 0; i < mc->squat.n_reps; i++)
        one += mc->squat.reps[i].stance_side >= 0;
    return mc->squat.n_reps > 0 && 2 * one > mc->squat.n_reps;
}

void fc_mocap_summary(const struct fc_mocap *mc, char *buf, size_t cap)
{
    if (mc->squat.n_reps > 0)
        snprintf(buf, cap, "%zu %s reps from markers", mc->squat.n_reps,
                 is_squat(mc)        ? "squat"
                 : is_single_leg(mc) ? "single-leg squat"
                                     : "lunge (one foot ahead)");
    else
        snprintf(buf, cap, "%zu strides (both sides) from marker gait events", mc->n_strides);
}

const char *fc_mocap_recording(const struct fc_mocap *mc)
{
    if (!mc)
        return NULL;
    if (mc->squat.n_reps > 0)
        return is_squat(mc) ? "squat" : is_single_leg(mc) ? "single-leg squat" : "lunge";
    return mc->has_gait && mc->n_strides > 0 ? "gait" : NULL;
}

const char *fc_mocap_level_name(enum fc_mocap_level l)
{
    switch (l) {
    case FC_MOCAP_OK: return "ok";
    case FC_MOCAP_WATCH: return "watch";
    case FC_MOCAP_FAULT: return "fault";
    case FC_MOCAP_NOT_GRADED: break;
    }
    return "not graded";
}

/* The level of value against t. */
static enum fc_mocap_level level_of(const struct fc_mocap_threshold *t, double v)
{
    if (t->direction * (v - t->fault_level) > 0)
        return FC_MOCAP_FAULT;
    if (t->direction * (v - t->watch) > 0)
        return FC_MOCAP_WATCH;
    return FC_MOCAP_OK;
}

static void add_value(struct fc_mocap_verdict *v, double x, double *sum)
{
    if (!isfinite(x))
        return;
    *sum += x;
    v->max = v->strides ? (v->threshold->direction * (x - v->max) > 0 ? x : v->max) : x;
    v->strides++;
}

/* Strides are graded in a walk, reps in a squat: a squat's hips moving
 * back can look like steps to the gait events, a walk has no reps. */
void fc_mocap_grade(const struct fc_mocap *mc, const struct fc_mocap_thresholds *th,
                    struct fc_mocap_grade *out)
{
    memset(out, 0, sizeof *out);
    int reps = mc->squat.n_reps > 0, squat = is_squat(mc);
    for (size_t k = 0; th && k < th->n && out->n + 2 <= FC_MOCAP_MAX_VERDICTS; k++) {
        const struct fc_mocap_threshold *t = &th->t[k];
        int per_rep = t->measure >= FC_MOCAP_FIRST_REP_MEASURE;
        /* the rep measures are a two-legged squat's; a walk's are strides */
        if (per_rep != reps || (per_rep && !squat))
            continue;
        for (int s = 0; s < (per_rep ? 1 : 2); s++) {
            struct fc_mocap_verdict *v = &out->v[out->n++];
            v->threshold = t;
            v->side = (enum fc_side)s;
            v->both_sides = per_rep;
            v->mean = v->max = NAN;
            double sum = 0;
            if (per_rep)
                for (size_t i = 0; i < mc->squat.n_reps; i++)
                    add_value(v, fc_mocap_rep_value(&mc->squat.reps[i], t->measure), &sum);
            else
                for (size_t i = 0; i < mc->n_strides; i++)
                    if ((int)mc->strides[i].side == s)
                        add_value(v, mc->strides[i].value[t->measure], &sum);
            if (v->strides)
                v->mean = sum / v->strides;
            if (v->strides < t->min_count) {
                v->level = FC_MOCAP_NOT_GRADED;
                continue;
            }
            out->graded++;
            v->level = level_of(t, v->mean);
            out->faults += v->level == FC_MOCAP_FAULT;
            out->watches += v->level == FC_MOCAP_WATCH;
        }
    }
}

static const char *side_name(enum fc_side s)
{
    return s == FC_SIDE_LEFT ? "left" : "right";
}

/* what with {side} {other_side} {value} filled in. */
static void fill(char *dst, size_t cap, const char *what, enum fc_side side, double value)
{
    size_t n = 0;
    for (const char *p = what; *p && n + 1 < cap;) {
        const char *rep = NULL;
        char num[32];
        size_t skip = 0;
        if (strncmp(p, "{side}", 6) == 0)
            rep = side_name(side), skip = 6;
        else if (strncmp(p, "{other_side}", 12) == 0)
            rep = side_name((enum fc_side)(1 - side)), skip = 12;
        else if (strncmp(p, "{value}", 7) == 0) {
            snprintf(num, sizeof num, "%.1f", value);
            rep = num, skip = 7;
        }
        if (rep) {
            int w = snprintf(dst + n, cap - n, "%s", rep);
            n = w > 0 && (size_t)w < cap - n ? n + (size_t)w : cap - 1;
            p += skip;
        } else {
            dst[n++] = *p++;
        }
    }
    dst[n] = '\0';
}

/* The report's text keeps to 100 columns: text after prefix, continued
 * lines indented. */
#define TEXT_COLUMNS 100

static void wrap(FILE *out, const char *prefix, const char *indent, const char *text)
{
    size_t col = strlen(prefix), start = col;
    fputs(prefix, out);
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (w == 0)
            break;
        if (col > start && col + 1 + w > TEXT_COLUMNS) {
            fputc('\n', out);
            fputs(indent, out);
            col = start = strlen(indent);
        } else if (col > start) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, w, out);
        col += w;
        p += w;
    }
    fputc('\n', out);
}

static const char *const joint_words[FC_PIG_JOINT_COUNT] = {
    "pelvis", "hip", "knee", "ankle", "foot progression", "thorax"};

void fc_mocap_report_text(FILE *out, const struct fc_mocap *mc, const struct fc_mocap_grade *g)
{
    if (!mc)
        return;
    if (!mc->has_pig)
        fprintf(out, "\nmotion capture: no Plug-in Gait angles (%s)\n", mc->pig_problem);
    else
        fprintf(out,
                "\nmotion capture, Plug-in Gait lower body (%ld of %zu frames with both legs)\n",
                mc->pig.frames_with_legs, mc->pig.n_frames);
    if (mc->has_pig && mc->pig_problem[0])
        fprintf(out, "  no leg angles: %s\n", mc->pig_problem);
    char est[256] = "";
    if (mc->has_pig)
        fc_pig_estimated_names(&mc->pig, est, sizeof est);
    if (est[0])
        wrap(out, "  not in the file, estimated: ", "    ", est);
    if (mc->has_pig && mc->pig.offsets_given == 0)
        fprintf(out, "  no static offsets in the file: taken as 0 (no static trial)\n");
    if (mc->pig.frames_with_legs > 0) {
        fprintf(out, "  range over the trial (min .. max, deg)      left               right\n");
        for (int j = FC_PIG_HIP; j < FC_PIG_JOINT_COUNT; j++) {
            static const char *const comp[FC_PIG_JOINT_COUNT][3] = {
                {"", "", ""},
                {"flexion", "adduction", "int. rotation"},
                {"flexion", "varus", "int. rotation"},
                {"dorsiflexion", "inversion", "int. rotation"},
                {"", "", "toe-in"},
                {"forward tilt", "side up", "side forward"}};
            for (int c = 0; c < 3; c++) {
                if (!comp[j][c][0])
                    continue;
                double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
                for (size_t i = 0; i < mc->pig.n_frames; i++)
                    for (int s = 0; s < 2; s++) {
                        double v = fc_pig_angle(&mc->pig, i, (enum fc_side)s, j)[c];
                        if (isfinite(v))
                            lo[s] = fmin(lo[s], v), hi[s] = fmax(hi[s], v);
                    }
                char label[48], range[2][24];
                snprintf(label, sizeof label, "%s %s", joint_words[j], comp[j][c]);
                for (int s = 0; s < 2; s++) {
                    if (lo[s] <= hi[s])
                        snprintf(range[s], sizeof range[s], "%6.1f .. %6.1f", lo[s], hi[s]);
                    else /* its markers are not in the file */
                        snprintf(range[s], sizeof range[s], "%16s", "not measured");
                }
                fprintf(out, "    %-40s %s   %s\n", label, range[0], range[1]);
            }
        }
    }
    for (size_t i = 0; i < mc->n_references; i++) {
        const struct fc_mocap_reference *r = &mc->references[i];
        fprintf(out, "  vs %s stored in the file, %ld frames: RMS %.2f %.2f %.2f deg\n", r->name,
                r->frames, r->rms_deg[0], r->rms_deg[1], r->rms_deg[2]);
    }
    /* a squat's hips moving back read as steps: no gait in a squat */
    if (mc->has_gait && mc->squat.n_reps == 0) {
        const struct fc_gait *ga = &mc->gait;
        fprintf(out, "gait events from markers (Zeni 2008): %zu", ga->n_events);
        if (mc->has_file_events)
            fprintf(out, "; the file's %ld: %ld matched, median error %.1f frames",
                    mc->events_vs_file.reference, mc->events_vs_file.matched,
                    mc->events_vs_file.median_abs_frames);
        if (mc->n_plate_events > 0) {
            fprintf(out, "\n  force plates: %zu events", mc->n_plate_events);
            if (mc->has_plate_vs_file)
                fprintf(out, "; %ld of them match the file's, median error %.1f frames",
                        mc->plate_vs_file.matched, mc->plate_vs_file.median_abs_frames);
        }
        fprintf(out, "\n  cadence %.0f steps/min, speed %.2f m/s\n", ga->cadence_steps_per_min,
                ga->speed_m_s);
        for (int s = 0; s < 2; s++) {
            const struct fc_gait_side *q = &ga->side[s];
            fprintf(out,
                    "  %-5s %d strides: %.2f s, %.0f mm; step %.0f mm; stance %.0f%%, single "
                    "support %.0f%%, double %.0f%%\n",
                    side_name((enum fc_side)s), q->strides, q->stride_time_s, q->stride_length_mm,
                    q->step_length_mm, q->stance_pct, q->single_support_pct, q->double_support_pct);
        }
        fprintf(out,
                "  asymmetry (symmetry index): step length %.1f%%, step time %.1f%%, single "
                "support %.1f%%, stance %.1f%%\n",
                ga->step_length_asym_pct, ga->step_time_asym_pct, ga->single_support_asym_pct,
                ga->stance_asym_pct);
    }
    if (!g || g->n == 0)
        return;
    if (mc->squat.n_reps > 0) {
        fprintf(out, "reps from markers (the hip centres' descent): %zu\n", mc->squat.n_reps);
        /* depth: the thighs' angle (deg, + below parallel) and the hips above
         * the knees (mm); valgus and trunk lean in deg */
        fprintf(out, "  rep  frame lead stand  drop  depth  hip-knee  k.flex  k.sep%%  valg.L  "
                     "valg.R  trunk.f  trunk.l\n");
        for (size_t i = 0; i < mc->squat.n_reps; i++) {
            const struct fc_mocap_rep *r = &mc->squat.reps[i];
            const char *lead = r->leading_side < 0               ? "-"
                               : r->leading_side == FC_SIDE_LEFT ? "L"
                                                                 : "R";
            const char *stand = r->stance_side < 0               ? "both"
                                : r->stance_side == FC_SIDE_LEFT ? "L"
                                                                 : "R";
            fprintf(out,
                    "  %3zu  %5zu %4s %5s %5.1f %6.1f  %8.0f  %6.1f  %6.0f  %6.1f  %6.1f  %7.1f  "
                    "%7.1f\n",
                    i + 1, r->bottom, lead, stand, r->pelvic_drop_deg, r->depth_deg, r->depth_mm,
                    r->knee_flexion_deg, r->knee_sep_pct, r->knee_valgus_deg[0],
                    r->knee_valgus_deg[1], r->trunk_forward_deg, r->trunk_lateral_deg);
        }
        fprintf(out, is_squat(mc) ? "graded on the mean over the reps:\n"
                                  : "one foot ahead or lifted: not graded (the squat levels do "
                                    "not apply; no 3-D lunge or single-leg levels yet)\n");
    } else {
        fprintf(out, "graded per stance side on the strides' peaks (%zu strides):\n",
                mc->n_strides);
    }
    for (size_t i = 0; i < g->n; i++) {
        const struct fc_mocap_verdict *v = &g->v[i];
        const struct fc_mocap_threshold *t = v->threshold;
        if (v->level == FC_MOCAP_NOT_GRADED) {
            fprintf(out, "  %-5s %-26s not graded: %d %s, needs %d%s\n",
                    v->both_sides ? "both" : side_name(v->side), t->fault, v->strides,
                    v->both_sides ? "reps" : "strides", t->min_count,
                    t->measure == FC_MOCAP_TRUNK_LEAN && !mc->has_trunk ? " (no C7 or shoulders)"
                                                                        : "");
            continue;
        }
        char what[256], cause[512], line[1024];
        fill(what, sizeof what, t->what, v->side, v->mean);
        fill(cause, sizeof cause, t->cause, v->side, v->mean);
        fprintf(out, "  %-5s %-26s %-6s %.1f (worst %.1f, %d %s; watch %g, fault %g)\n",
                v->both_sides ? "both" : side_name(v->side), t->fault,
                fc_mocap_level_name(v->level), v->mean, v->max, v->strides,
                v->both_sides ? "reps" : "strides", t->watch, t->fault_level);
        if (v->level != FC_MOCAP_OK) {
            snprintf(line, sizeof line, "%s; %s", what, cause);
            wrap(out, "        ", "        ", line);
        }
    }
}

void fc_mocap_report_html(FILE *out, const struct fc_mocap *mc, const struct fc_mocap_grade *g)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    fc_mocap_report_text(mem, mc, g);
    fclose(mem);
    /* the text form, preformatted: its columns line up */
    fputs("<section id=\"mocap\"><h2>Motion capture</h2>\n<pre>", out);
    for (const char *p = text; p && *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        default: fputc(*p, out);
        }
    }
    fputs("</pre></section>\n", out);
    free(text);
}

cJSON *fc_mocap_report_json(const struct fc_mocap *mc, const struct fc_mocap_grade *g)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !mc)
        return o;
    cJSON_AddStringToObject(o, "model", "Plug-in Gait lower body");
    fc_json_add_string(o, "recording", fc_mocap_recording(mc));
    cJSON_AddNumberToObject(o, "frames_with_legs",
                            mc->has_pig ? (double)mc->pig.frames_with_legs : 0.0);
    char est[256] = "";
    if (mc->has_pig)
        fc_pig_estimated_names(&mc->pig, est, sizeof est);
    fc_json_add_string(o, "estimated", est);
    cJSON_AddBoolToObject(o, "static_offsets_in_file", mc->has_pig && mc->pig.offsets_given > 0);
    cJSON *refs = cJSON_AddArrayToObject(o, "references");
    for (size_t i = 0; i < mc->n_references; i++) {
        const struct fc_mocap_reference *r = &mc->references[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", r->name);
        cJSON_AddNumberToObject(e, "frames", (double)r->frames);
        cJSON *rms = cJSON_AddArrayToObject(e, "rms_deg");
        for (int k = 0; k < 3; k++)
            cJSON_AddItemToArray(rms, isfinite(r->rms_deg[k]) ? cJSON_CreateNumber(r->rms_deg[k])
                                                              : cJSON_CreateNull());
        cJSON_AddItemToArray(refs, e);
    }
    if (mc->has_gait && mc->squat.n_reps == 0) {
        const struct fc_gait *ga = &mc->gait;
        cJSON *gj = cJSON_AddObjectToObject(o, "gait");
        cJSON *ev = cJSON_AddArrayToObject(gj, "events");
        for (size_t i = 0; i < ga->n_events; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "side", side_name(ga->events[i].side));
            cJSON_AddStringToObject(
                e, "kind", ga->events[i].kind == FC_GAIT_FOOT_STRIKE ? "foot_strike" : "foot_off");
            cJSON_AddNumberToObject(e, "frame", (double)ga->events[i].frame);
            fc_json_add_number(e, "t_s", ga->events[i].t_s);
            cJSON_AddItemToArray(ev, e);
        }
        if (mc->has_file_events) {
            cJSON *fe = cJSON_AddObjectToObject(gj, "vs_file_events");
            cJSON_AddNumberToObject(fe, "reference", (double)mc->events_vs_file.reference);
            cJSON_AddNumberToObject(fe, "matched", (double)mc->events_vs_file.matched);
            fc_json_add_number(fe, "median_abs_frames", mc->events_vs_file.median_abs_frames);
        }
        cJSON *pev = cJSON_AddArrayToObject(gj, "force_plate_events");
        for (size_t i = 0; i < mc->n_plate_events; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "side", side_name(mc->plate_events[i].side));
            cJSON_AddStringToObject(e, "kind",
                                    mc->plate_events[i].kind == FC_GAIT_FOOT_STRIKE ? "foot_strike"
                                                                                    : "foot_off");
            cJSON_AddNumberToObject(e, "frame", (double)mc->plate_events[i].frame);
            cJSON_AddItemToArray(pev, e);
        }
        fc_json_add_number(gj, "cadence_steps_per_min", ga->cadence_steps_per_min);
        fc_json_add_number(gj, "speed_m_s", ga->speed_m_s);
        for (int s = 0; s < 2; s++) {
            const struct fc_gait_side *q = &ga->side[s];
            cJSON *sj = cJSON_AddObjectToObject(gj, side_name((enum fc_side)s));
            cJSON_AddNumberToObject(sj, "strides", q->strides);
            fc_json_add_number(sj, "stride_time_s", q->stride_time_s);
            fc_json_add_number(sj, "stride_length_mm", q->stride_length_mm);
            fc_json_add_number(sj, "step_time_s", q->step_time_s);
            fc_json_add_number(sj, "step_length_mm", q->step_length_mm);
            fc_json_add_number(sj, "stance_pct", q->stance_pct);
            fc_json_add_number(sj, "single_support_pct", q->single_support_pct);
            fc_json_add_number(sj, "double_support_pct", q->double_support_pct);
        }
        cJSON *as = cJSON_AddObjectToObject(gj, "asymmetry_pct");
        fc_json_add_number(as, "step_length", ga->step_length_asym_pct);
        fc_json_add_number(as, "step_time", ga->step_time_asym_pct);
        fc_json_add_number(as, "single_support", ga->single_support_asym_pct);
        fc_json_add_number(as, "stance", ga->stance_asym_pct);
    }
    cJSON *st = cJSON_AddArrayToObject(o, "strides");
    for (size_t i = 0; i < mc->n_strides; i++) {
        const struct fc_mocap_stride *s = &mc->strides[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "side", side_name(s->side));
        fc_json_add_number(e, "t_s", s->t_s);
        for (int m = 0; m < FC_MOCAP_MEASURE_COUNT; m++)
            fc_json_add_number(e, fc_mocap_measure_name((enum fc_mocap_measure)m), s->value[m]);
        cJSON_AddItemToArray(st, e);
    }
    cJSON *sr = cJSON_AddArrayToObject(o, "squat_reps");
    for (size_t i = 0; i < mc->squat.n_reps; i++) {
        const struct fc_mocap_rep *r = &mc->squat.reps[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "bottom_frame", (double)r->bottom);
        fc_json_add_number(e, "depth_deg", r->depth_deg);
        fc_json_add_number(e, "depth_mm", r->depth_mm);
        fc_json_add_number(e, "knee_flexion_deg", r->knee_flexion_deg);
        fc_json_add_number(e, "knee_sep_pct", r->knee_sep_pct);
        fc_json_add_number(e, "trunk_forward_deg", r->trunk_forward_deg);
        fc_json_add_number(e, "trunk_lateral_deg", r->trunk_lateral_deg);
        fc_json_add_string(e, "leading_side",
                           r->leading_side < 0 ? NULL : side_name((enum fc_side)r->leading_side));
        fc_json_add_number(e, "knee_valgus_left_deg", r->knee_valgus_deg[0]);
        fc_json_add_number(e, "knee_valgus_right_deg", r->knee_valgus_deg[1]);
        fc_json_add_string(e, "stance_side",
                           r->stance_side < 0 ? NULL : side_name((enum fc_side)r->stance_side));
        fc_json_add_number(e, "pelvic_drop_deg", r->pelvic_drop_deg);
        cJSON_AddItemToArray(sr, e);
    }
    cJSON *gr = cJSON_AddArrayToObject(o, "grade");
    for (size_t i = 0; g && i < g->n; i++) {
        const struct fc_mocap_verdict *v = &g->v[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "threshold", v->threshold->id);
        cJSON_AddStringToObject(e, "fault", v->threshold->fault);
        cJSON_AddStringToObject(e, "side", v->both_sides ? "both" : side_name(v->side));
        cJSON_AddStringToObject(e, "level", fc_mocap_level_name(v->level));
        cJSON_AddNumberToObject(e, "strides", v->strides);
        fc_json_add_number(e, "mean", v->mean);
        fc_json_add_number(e, "max", v->max);
        fc_json_add_number(e, "watch", v->threshold->watch);
        fc_json_add_number(e, "fault_level", v->threshold->fault_level);
        cJSON_AddStringToObject(e, "source", v->threshold->source);
        cJSON_AddItemToArray(gr, e);
    }
    return o;
}
