#include "report/report.h"
#include "report/mocap.h"
#include "report/mot.h"
#include "report/screen.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile.h"
#include "report/json.h"

static const char *plane_name(enum fc_metric_plane p)
{
    return p == FC_PLANE_FRONTAL ? "frontal" : p == FC_PLANE_SAGITTAL ? "sagittal" : "3d";
}

/* The metrics the exercise is graded on per rep (or per set mean) and that
 * this recording measures: the "key peaks" of the reps table. */
static int key_metrics(const struct fc_report *r, int *out)
{
    const struct fc_analysis *a = r->analysis;
    int used[FC_METRIC_COUNT] = {0}, n = 0;
    for (size_t k = 0; r->thresholds && k < r->thresholds->n; k++) {
        const struct fc_threshold *t = &r->thresholds->t[k];
        if (t->measure != FC_MEASURE_ASYMMETRY && fc_threshold_applies(t, a->exercise) &&
            a->metric[t->metric].measurable)
            used[t->metric] = 1;
    }
    /* the free leg of a single-leg squat is not graded: no column for it */
    int free_side = a->exercise == FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT    ? FC_SIDE_RIGHT
                    : a->exercise == FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT ? FC_SIDE_LEFT
                                                                        : -2;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        if (used[m] && fc_metric_info(m)->side != free_side)
            out[n++] = m;
    return n;
}

/* 1 when a recording from view v can measure metrics of plane p. */
static int view_has_plane(enum fc_view v, enum fc_metric_plane p)
{
    return (p == FC_PLANE_FRONTAL && v == FC_VIEW_FRONT) ||
           (p == FC_PLANE_SAGITTAL && v == FC_VIEW_SIDE);
}

/* Rounds to one decimal the way %.1f would, without printing "-0.0". */
static double no_negative_zero(double v)
{
    return fabs(v) < 0.05 ? 0.0 : v;
}

/* 1 when an earlier finding has the same fault and the same cause text, so
 * that a cause shared by many reps is explained once. */
static int finding_seen_before(const struct fc_grade *g, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(g->findings[j].threshold->fault, g->findings[i].threshold->fault) == 0 &&
            strcmp(g->findings[j].cause, g->findings[i].cause) == 0)
            return 1;
    return 0;
}

static double rep_score(const struct fc_report *r, size_t i)
{
    const struct fc_grade *g = r->grade;
    return g && i < g->n_reps ? g->reps[i].score : NAN;
}

/* ---- text -------------------------------------------------------------- */

#define TEXT_WIDTH 100

/* Writes text after prefix, broken at spaces so that no line passes
 * TEXT_WIDTH columns; continuation lines start with indent. */
static void wrap(FILE *out, const char *prefix, const char *indent, const char *text)
{
    int col = fprintf(out, "%s", prefix);
    int at_start = 1;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        int len = (int)(p - w);
        if (len == 0)
            break;
        if (!at_start && col + 1 + len > TEXT_WIDTH) {
            col = fprintf(out, "\n%s", indent) - 1;
            at_start = 1;
        }
        col += fprintf(out, "%s%.*s", at_start ? "" : " ", len, w);
        at_start = 0;
    }
    fputc('\n', out);
}

/* The first lines: what was analysed, how, and the grade with its caveat. */
static void text_header(FILE *out, const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    const struct fc_grade *g = r->grade;
    fprintf(out, "formcheck report: %s (%s, %s)\n", r->input_path ? r->input_path : "-",
            r->input_kind ? r->input_kind : "input", r->skeleton ? r->skeleton : "skeleton ?");
    if (r->mocap) {
        /* Markers: the recording is what the markers show, every plane in
         * 3-D; the keypoint analyzer's exercise and view do not apply. */
        const char *what = fc_mocap_recording(r->mocap);
        if (what)
            fprintf(out, "recording: %s from markers, every plane in 3-D (no camera view)\n", what);
        else
            fprintf(out, "recording: markers, every plane in 3-D (no camera view); no gait "
                         "cycle or squat rep found in them\n");
    } else {
        fprintf(out, "exercise %s, ", fc_exercise_name(a->exercise));
        if (isnan(a->camera_roll_deg) && a->view == FC_VIEW_AUTO) {
            fprintf(out, "marker-based motion capture (no camera view)\n");
        } else {
            fprintf(out, "view %s", fc_view_name(a->view));
            if (a->view_from_user)
                fprintf(out, " (given; the keypoints suggest %s)", fc_view_name(a->view_detected));
            else
                fprintf(out, " (detected, confidence %.2f)", a->view_confidence);
            fprintf(out, ", camera roll %.1f deg%s\n", no_negative_zero(a->camera_roll_deg),
                    a->roll_assumed ? " (assumed level)" : "");
        }
    }
    if (isfinite(a->body_yaw_deg) && !a->view_from_user)
        fprintf(
            out, "body turned about %.0f deg from facing the camera (0 front, 90 side-on; %s)\n",
            a->body_yaw_deg, a->body_yaw_from_face ? "from the face" : "from the body's widths");
    if (r->mocap) {
        /* markers: the motion-capture section grades them, not the
         * keypoint analyzer (whose exercise was not asked for) */
        char what[96];
        fc_mocap_summary(r->mocap, what, sizeof what);
        fprintf(out, "%.1f s, %s\n", a->duration_s, what);
        if (r->mocap_grade && r->mocap_grade->graded > 0)
            fprintf(out, "grade (motion capture): %d fault, %d watch of %d graded\n",
                    r->mocap_grade->faults, r->mocap_grade->watches, r->mocap_grade->graded);
        else
            fprintf(out, "grade (motion capture): not graded (too few strides or reps, below)\n");
        return;
    }
    fprintf(out, "%.1f s, %zu %s\n", a->duration_s, a->n_reps,
            a->exercise == FC_EXERCISE_GAIT ? "steps" : "reps");
    if (g && isfinite(g->score))
        fprintf(out, "grade: %.0f/100, %s\n", g->score, g->band);
    else
        fprintf(out, "grade: not graded\n");
    if (g && g->caveat[0])
        wrap(out, "caveat: ", "        ", g->caveat);
}

/* Metric columns of the reps table that fit beside the times and the score
 * (41 columns) within TEXT_WIDTH; more go into a second block below. */
#define TEXT_REP_COLUMNS 5

/* One block of the reps table: the times and score in the first, then the
 * peaks of keys[0..nk) (at most TEXT_REP_COLUMNS). */
static void text_reps_block(FILE *out, const struct fc_report *r, const int *keys, int nk,
                            int first)
{
    const struct fc_analysis *a = r->analysis;
    size_t n_reps = a->n_reps_detailed;
    fprintf(out, "  %3s", "#");
    if (first)
        fprintf(out, " %-5s %7s %7s %7s %5s", "side", "start", "bottom", "end", "score");
    for (int k = 0; k < nk; k++)
        fprintf(out, " %9s", fc_metric_info(keys[k])->short_name);
    fputc('\n', out);
    for (size_t i = 0; i < n_reps; i++) {
        const struct fc_rep *rep = &a->reps[i];
        fprintf(out, "  %3d", rep->index + 1);
        if (first) {
            double sc = rep_score(r, i);
            fprintf(out, " %-5s %7.2f %7.2f %7.2f",
                    fc_json_side(rep->side) ? fc_json_side(rep->side) : "-", rep->t_start_s,
                    rep->t_bottom_s, rep->t_end_s);
            if (isfinite(sc))
                fprintf(out, " %5.0f", sc);
            else
                fprintf(out, " %5s", "-");
        }
        for (int k = 0; k < nk; k++) {
            double v = rep->peak[keys[k]];
            if (isfinite(v))
                fprintf(out, " %9.1f", v);
            else
                fprintf(out, " %9s", "-");
        }
        fputc('\n', out);
    }
}

/* The reps table: times, score and the peaks of the graded measurements. */
static void text_reps(FILE *out, const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    int keys[FC_METRIC_COUNT];
    int nk = key_metrics(r, keys);
    size_t n_reps = a->reps ? a->n_reps_detailed : 0;
    if (n_reps == 0)
        return;
    fprintf(out, "\n%s (times in s; peaks of the graded measurements):\n",
            a->exercise == FC_EXERCISE_GAIT ? "steps" : "reps");
    for (int k0 = 0; k0 == 0 || k0 < nk; k0 += TEXT_REP_COLUMNS) {
        int n = nk - k0 < TEXT_REP_COLUMNS ? nk - k0 : TEXT_REP_COLUMNS;
        text_reps_block(out, r, keys + k0, n, k0 == 0);
    }
    if (nk > 0) {
        char legend[1024] = "";
        for (int k = 0; k < nk; k++) {
            size_t used = strlen(legend);
            snprintf(legend + used, sizeof legend - used, "%s%s = %s (%s)", k ? ", " : "",
                     fc_metric_info(keys[k])->short_name, fc_metric_info(keys[k])->name,
                     fc_metric_info(keys[k])->unit);
        }
        wrap(out, "  columns: ", "    ", legend);
    }
}

/* The findings, then each probable cause once with what helps. */
static void text_findings(FILE *out, const struct fc_grade *g)
{
    if (!g || !isfinite(g->score))
        return;
    size_t nf = 0, nw = 0;
    for (size_t i = 0; i < g->n_findings; i++) {
        nf += g->findings[i].severity == FC_SEVERITY_FAULT;
        nw += g->findings[i].severity == FC_SEVERITY_WATCH;
    }
    fprintf(out, "\nfindings (%zu fault, %zu watch):\n", nf, nw);
    if (g->n_findings == 0)
        fprintf(out, "  none: every graded measurement stayed within its watch level.\n");
    for (size_t i = 0; i < g->n_findings; i++)
        wrap(out, g->findings[i].severity == FC_SEVERITY_FAULT ? "  FAULT  " : "  watch  ",
             "         ", g->findings[i].what);
    /* each probable cause once, in the order of the findings */
    if (g->n_findings > 0)
        fprintf(out, "\nwhat the findings suggest, and what helps:\n");
    for (size_t i = 0; i < g->n_findings; i++) {
        const struct fc_finding *f = &g->findings[i];
        if (finding_seen_before(g, i))
            continue;
        char buf[1024];
        snprintf(buf, sizeof buf, "%s: %s. Try: %s.", f->threshold->fault, f->cause, f->remedies);
        wrap(out, "  - ", "    ", buf);
    }
}

/* An overhead squat: the NASM checklist and the FMS deep squat score. */
static void text_screen(FILE *out, const struct fc_report *r)
{
    struct fc_screen s;
    if (!r->grade || !r->thresholds || !fc_screen_assess(r->analysis, r->grade, r->thresholds, &s))
        return;
    fprintf(out, "\noverhead squat assessment (NASM checklist):\n");
    char buf[600], state[32];
    const char *indent = "                 ";
    for (size_t i = 0; i < s.n_nasm; i++) {
        snprintf(buf, sizeof buf, "%s: %s", s.nasm[i].name, s.nasm[i].detail);
        snprintf(state, sizeof state, "  %-15s", fc_screen_state_name(s.nasm[i].state, 0));
        wrap(out, state, indent, buf);
    }
    wrap(out, "FMS deep squat: ", indent, s.fms_text);
    if (s.fms_best_rep >= 0)
        fprintf(out, "  criteria in the best rep (rep %d):\n", s.fms_best_rep + 1);
    for (int c = 0; c < FC_SCREEN_FMS_CRITERIA; c++) {
        snprintf(buf, sizeof buf, "%s: %s", s.fms[c].name, s.fms[c].detail);
        snprintf(state, sizeof state, "  %-15s", fc_screen_state_name(s.fms[c].state, 1));
        wrap(out, state, indent, buf);
    }
}

/* The metrics not measurable in some frames because the leg was out of the
 * picture's plane: said, never printed as numbers. */
static void text_out_of_plane(FILE *out, const struct fc_analysis *a)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        const struct fc_metric_summary *s = &a->metric[m];
        if (!s->measurable || s->frames_out_of_plane == 0)
            continue;
        char buf[512];
        snprintf(buf, sizeof buf,
                 "%s: not measurable in %ld frames, the leg out of the picture's plane (its "
                 "thigh or shank shorter than %.0f%% of standing, as when the thigh points at "
                 "the camera at the bottom of a squat, or an angle beyond %.0f deg, which no knee "
                 "makes); the rep peaks above come from the other frames",
                 fc_metric_info(m)->name, s->frames_out_of_plane,
                 100.0 * FC_FPPA_MIN_THIGH_FRACTION, FC_FPPA_MAX_PLAUSIBLE_DEG);
        wrap(out, "  ", "    ", buf);
    }
}

/* Every measurable metric's rep peaks and frame range. */
static void text_measurements(FILE *out, const struct fc_analysis *a)
{
    int header = 0;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        const struct fc_metric_summary *s = &a->metric[m];
        if (!s->measurable)
            continue;
        if (!header++)
            fprintf(out, "\nmeasurements (rep peaks: mean +- sd, max; all frames: min .. max):\n");
        fprintf(out, "  %-24s", fc_metric_info(m)->name);
        if (isfinite(s->mean_peak))
            fprintf(out, " %7.1f +- %-5.1f max %7.1f", s->mean_peak,
                    isfinite(s->sd_peak) ? s->sd_peak : 0.0, s->max_peak);
        else
            fprintf(out, " %-28s", "no rep peaks");
        if (s->frames > 0 && isfinite(s->frame_min))
            fprintf(out, " | %.1f .. %.1f %s\n", s->frame_min, s->frame_max,
                    fc_metric_info(m)->unit);
        else if (fc_metric_needs_feet(m) && a->frames_with_feet == 0)
            fprintf(out, " | needs foot keypoints (heels and toes)\n");
        else
            fprintf(out, " | no values\n");
    }
    text_out_of_plane(out, a);
}

/* The metrics this recording cannot measure, grouped by what would. */
static void text_not_measurable(FILE *out, const struct fc_analysis *a)
{
    int header = 0;
    for (int p = 0; p < 3; p++) {
        int col = 0;
        for (int m = 0; m < FC_METRIC_COUNT; m++) {
            if (a->metric[m].measurable || (int)fc_metric_info(m)->plane != p)
                continue;
            if (!header++)
                fprintf(out, "\nnot measurable from this recording (view %s):\n",
                        fc_view_name(a->view));
            const char *name = fc_metric_info(m)->name;
            if (col == 0 && view_has_plane(a->view, (enum fc_metric_plane)p))
                col = fprintf(
                    out, "  not measured in this exercise, or its joints were not seen: %s", name);
            else if (col == 0)
                col = fprintf(out, "  needs %s: %s", fc_metric_view_needed(m), name);
            else if (col + 2 + (int)strlen(name) > 100)
                col = fprintf(out, ",\n    %s", name) - 2;
            else
                col += fprintf(out, ", %s", name);
        }
        if (col)
            fputc('\n', out);
    }
}

/* How much of the session was tracked, and the stored pelvis angles'
 * agreement with formcheck's. */
static void text_tracking(FILE *out, const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    double frac = a->frames ? (double)a->frames_tracked / (double)a->frames : 0.0;
    char track[1024];
    int n = snprintf(track, sizeof track, "%zu of %zu frames (%.0f%%)", a->frames_tracked,
                     a->frames, 100.0 * frac);
    for (size_t i = 0; i < a->n_low_confidence && i < FC_MAX_LOW_CONFIDENCE; i++)
        if (n > 0 && (size_t)n < sizeof track)
            n += snprintf(track + n, sizeof track - (size_t)n, "%s%.1f-%.1f s",
                          i ? ", " : "; low confidence at ", a->low_confidence[i].t_start_s,
                          a->low_confidence[i].t_end_s);
    fputc('\n', out);
    wrap(out, "tracking: ", "  ", track);
    if (r->pelvis_reference && r->pelvis_reference->frames_compared > 0) {
        const struct fc_pelvis_reference *ref = r->pelvis_reference;
        fprintf(out,
                "pelvis angles vs %s over %ld frames: RMS difference tilt %.2g, obliquity %.2g, "
                "rotation %.2g deg\n",
                ref->label, ref->frames_compared, ref->rms_deg[0], ref->rms_deg[1],
                ref->rms_deg[2]);
    }
}

void fc_report_text(FILE *out, const struct fc_report *r)
{
    text_header(out, r);
    text_reps(out, r);
    text_findings(out, r->grade);
    text_screen(out, r);
    text_measurements(out, r->analysis);
    /* from markers every plane is measured: no camera view limits a metric */
    if (!r->mocap)
        text_not_measurable(out, r->analysis);
    text_tracking(out, r);
    if (r->mocap)
        fc_mocap_report_text(out, r->mocap, r->mocap_grade);
    fprintf(out, "A grade of movement quality, not a diagnosis.\n");
}

/* ---- JSON -------------------------------------------------------------- */

/* input.video: what was decoded and who was followed. */
static cJSON *source_json(const struct fc_source_info *v)
{
    cJSON *vid = cJSON_CreateObject();
    cJSON_AddNumberToObject(vid, "width", v->width);
    cJSON_AddNumberToObject(vid, "height", v->height);
    fc_json_add_string(vid, "codec", v->codec);
    fc_json_add_number(vid, "fps", v->fps);
    cJSON_AddNumberToObject(vid, "frames_decoded", (double)v->frames_decoded);
    fc_json_add_number(vid, "person_found_fraction", v->person_found_fraction);
    fc_json_add_string(vid, "pose_model", v->pose_model);
    fc_json_add_string(vid, "warning", v->warning);
    const struct fc_source_people *pe = &v->people;
    cJSON *people = cJSON_AddObjectToObject(vid, "people");
    cJSON_AddBoolToObject(people, "looked", pe->looked);
    cJSON_AddNumberToObject(people, "seen", pe->seen);
    cJSON_AddNumberToObject(people, "most_at_once", pe->most_at_once);
    if (pe->followed) {
        cJSON_AddNumberToObject(people, "followed", pe->followed);
        cJSON_AddStringToObject(people, "chosen_by", pe->by_point ? "point" : "prominence");
        fc_json_add_number(people, "followed_first_seen_s", pe->first_seen_s);
        fc_json_add_number(people, "followed_last_seen_s", pe->last_seen_s);
    } else {
        cJSON_AddNullToObject(people, "followed");
    }
    return vid;
}

/* input: what was analysed. */
static cJSON *input_json(const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    cJSON *in = cJSON_CreateObject();
    fc_json_add_string(in, "path", r->input_path);
    fc_json_add_string(in, "kind", r->input_kind);
    fc_json_add_string(in, "skeleton", r->skeleton);
    cJSON_AddNumberToObject(in, "frames", (double)a->frames);
    fc_json_add_number(in, "duration_s", a->duration_s);
    if (r->video)
        cJSON_AddItemToObject(in, "video", source_json(r->video));
    return in;
}

/* exercise, view, the camera's roll and what the baseline found. */
static void add_setting(cJSON *root, const struct fc_analysis *a)
{
    cJSON_AddStringToObject(root, "exercise", fc_exercise_name(a->exercise));
    cJSON *view = cJSON_AddObjectToObject(root, "view");
    cJSON_AddStringToObject(view, "used", fc_view_name(a->view));
    cJSON_AddStringToObject(view, "detected", fc_view_name(a->view_detected));
    cJSON_AddBoolToObject(view, "from_user", a->view_from_user);
    fc_json_add_number(view, "confidence", a->view_confidence);
    fc_json_add_number(view, "body_yaw_deg", a->body_yaw_deg);
    fc_json_add_string(view, "body_yaw_from",
                       isfinite(a->body_yaw_deg) ? (a->body_yaw_from_face ? "face" : "widths")
                                                 : NULL);
    fc_json_add_number(root, "camera_roll_deg", a->camera_roll_deg);
    cJSON_AddBoolToObject(root, "camera_roll_assumed", a->roll_assumed);
    fc_json_add_number(root, "camera_roll_estimate_deg", a->roll_estimate_deg);
    cJSON_AddBoolToObject(root, "has_baseline", a->has_baseline);
    cJSON_AddBoolToObject(root, "no_standing", a->no_standing);
    cJSON_AddBoolToObject(root, "last_rep_cut", a->last_rep_cut);
}

/* grade, n_reps, reps and findings. */
static void add_grading(cJSON *root, const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    const struct fc_grade *g = r->grade;
    cJSON *grade = cJSON_AddObjectToObject(root, "grade");
    fc_json_add_number(grade, "score", g ? g->score : NAN);
    cJSON_AddStringToObject(grade, "band", g ? g->band : fc_grade_band(NAN));
    cJSON_AddStringToObject(grade, "caveat", g ? g->caveat : "");
    cJSON_AddStringToObject(grade, "note", "a grade of movement quality, not a diagnosis");

    cJSON_AddNumberToObject(root, "n_reps", (double)a->n_reps);
    cJSON *reps = cJSON_AddArrayToObject(root, "reps");
    for (size_t i = 0; a->reps && i < a->n_reps_detailed; i++) {
        cJSON *o = cJSON_CreateObject();
        fc_json_add_rep(o, a->reps[i].index, &a->reps[i], rep_score(r, i), a, g);
        cJSON_AddItemToArray(reps, o);
    }
    cJSON_AddItemToObject(root, "findings", fc_json_findings(g, FC_JSON_EVERY_REP));
}

static cJSON *screen_items_json(const struct fc_screen_item *it, size_t n, int fms)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "item", it[i].name);
        cJSON_AddStringToObject(o, "state", fc_screen_state_name(it[i].state, fms));
        cJSON_AddStringToObject(o, "detail", it[i].detail);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* screen: the overhead squat's NASM checklist and FMS deep squat score;
 * absent for other exercises. */
static void add_screen(cJSON *root, const struct fc_report *r)
{
    struct fc_screen s;
    if (!r->grade || !r->thresholds || !fc_screen_assess(r->analysis, r->grade, r->thresholds, &s))
        return;
    cJSON *o = cJSON_AddObjectToObject(root, "screen");
    cJSON_AddItemToObject(o, "nasm", screen_items_json(s.nasm, s.n_nasm, 0));
    cJSON *fms = cJSON_AddObjectToObject(o, "fms_deep_squat");
    cJSON_AddNumberToObject(fms, "score_low", s.fms_score_low);
    cJSON_AddNumberToObject(fms, "score_high", s.fms_score_high);
    if (s.fms_best_rep >= 0)
        cJSON_AddNumberToObject(fms, "best_rep_index", s.fms_best_rep);
    else
        cJSON_AddNullToObject(fms, "best_rep_index");
    cJSON_AddStringToObject(fms, "text", s.fms_text);
    cJSON_AddItemToObject(fms, "criteria", screen_items_json(s.fms, FC_SCREEN_FMS_CRITERIA, 1));
}

/* metrics: every metric, measurable or not, with its summary. */
static cJSON *metrics_json(const struct fc_analysis *a)
{
    cJSON *metrics = cJSON_CreateObject();
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        const struct fc_metric_info *mi = fc_metric_info(m);
        const struct fc_metric_summary *s = &a->metric[m];
        cJSON *o = cJSON_AddObjectToObject(metrics, mi->name);
        cJSON_AddBoolToObject(o, "measurable", s->measurable);
        cJSON_AddStringToObject(o, "label", mi->label);
        cJSON_AddStringToObject(o, "plane", plane_name(mi->plane));
        cJSON_AddStringToObject(o, "needs", fc_metric_view_needed(m));
        cJSON_AddStringToObject(o, "unit", mi->unit);
        cJSON_AddNumberToObject(o, "frames", (double)s->frames);
        fc_json_add_number(o, "mean_peak", s->measurable ? s->mean_peak : NAN);
        fc_json_add_number(o, "sd_peak", s->measurable ? s->sd_peak : NAN);
        fc_json_add_number(o, "max_peak", s->measurable ? s->max_peak : NAN);
        cJSON_AddNumberToObject(o, "reps", (double)s->reps);
        fc_json_add_number(o, "frame_mean", s->frames > 0 ? s->frame_mean : NAN);
        fc_json_add_number(o, "frame_min", s->frames > 0 ? s->frame_min : NAN);
        fc_json_add_number(o, "frame_max", s->frames > 0 ? s->frame_max : NAN);
        cJSON_AddNumberToObject(o, "frames_out_of_plane", (double)s->frames_out_of_plane);
        if (s->from_world) /* only then: every other report stays as it was */
            cJSON_AddBoolToObject(o, "from_model_3d", 1);
    }
    return metrics;
}

/* asymmetry and tracking. */
static void add_asymmetry_and_tracking(cJSON *root, const struct fc_analysis *a)
{
    cJSON *asym = cJSON_AddObjectToObject(root, "asymmetry");
    cJSON_AddStringToObject(asym, "definition",
                            "left minus right of the mean rep peak; hip drop: left stance "
                            "minus right stance");
    fc_json_add_number(asym, "knee_fppa_deg", a->asymmetry_fppa_deg);
    fc_json_add_number(asym, "knee_flexion_deg", a->asymmetry_knee_flexion_deg);
    fc_json_add_number(asym, "hip_drop_deg", a->asymmetry_hip_drop_deg);

    cJSON *tr = cJSON_AddObjectToObject(root, "tracking");
    cJSON_AddNumberToObject(tr, "frames", (double)a->frames);
    cJSON_AddNumberToObject(tr, "frames_tracked", (double)a->frames_tracked);
    fc_json_add_number(tr, "tracked_fraction",
                       a->frames ? (double)a->frames_tracked / (double)a->frames : NAN);
    fc_json_add_number(tr, "low_confidence_s", a->low_confidence_s);
    cJSON *low = cJSON_AddArrayToObject(tr, "low_confidence");
    for (size_t i = 0; i < a->n_low_confidence && i < FC_MAX_LOW_CONFIDENCE; i++) {
        cJSON *o = cJSON_CreateObject();
        fc_json_add_number(o, "t_start_s", a->low_confidence[i].t_start_s);
        fc_json_add_number(o, "t_end_s", a->low_confidence[i].t_end_s);
        cJSON_AddItemToArray(low, o);
    }
}

/* pelvis_reference: formcheck's pelvis angles against those in the file. */
static cJSON *pelvis_reference_json(const struct fc_pelvis_reference *ref)
{
    static const char *const names[3] = {"tilt", "obliquity", "rotation"};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "source", ref->label);
    cJSON_AddNumberToObject(o, "frames_compared", (double)ref->frames_compared);
    cJSON *rms = cJSON_AddObjectToObject(o, "rms_difference_deg");
    cJSON *mx = cJSON_AddObjectToObject(o, "max_abs_difference_deg");
    for (int k = 0; k < 3; k++) {
        fc_json_add_number(rms, names[k], ref->rms_deg[k]);
        fc_json_add_number(mx, names[k], ref->max_abs_deg[k]);
    }
    return o;
}

/* thresholds: those this exercise is graded against, with their sources. */
static cJSON *thresholds_json(const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    cJSON *ths = cJSON_CreateArray();
    for (size_t k = 0; r->thresholds && k < r->thresholds->n; k++) {
        const struct fc_threshold *t = &r->thresholds->t[k];
        if (!fc_threshold_applies(t, a->exercise))
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", t->id);
        cJSON_AddStringToObject(o, "fault", t->fault);
        cJSON_AddStringToObject(o, "metric", fc_metric_info(t->metric)->name);
        cJSON_AddStringToObject(o, "measure", fc_measure_name(t->measure));
        cJSON_AddStringToObject(o, "direction", fc_direction_name(t->direction));
        cJSON_AddNumberToObject(o, "watch", t->watch);
        cJSON_AddNumberToObject(o, "fault_level", t->fault_level);
        cJSON_AddNumberToObject(o, "min_reps", t->min_reps);
        cJSON_AddBoolToObject(o, "key", t->key);
        cJSON_AddBoolToObject(o, "measurable", a->metric[t->metric].measurable);
        cJSON_AddStringToObject(o, "source", t->source);
        cJSON_AddStringToObject(o, "basis", t->basis);
        cJSON_AddItemToArray(ths, o);
    }
    return ths;
}

/* The report document, its keys in the order of docs/schema/report.schema.json. */
static cJSON *report_json(const struct fc_report *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "schema_version", FC_REPORT_SCHEMA_VERSION);
    cJSON_AddStringToObject(root, "formcheck_version", FC_VERSION);
    cJSON_AddItemToObject(root, "input", input_json(r));
    add_setting(root, r->analysis);
    add_grading(root, r);
    add_screen(root, r);
    cJSON_AddItemToObject(root, "metrics", metrics_json(r->analysis));
    add_asymmetry_and_tracking(root, r->analysis);
    if (r->pelvis_reference)
        cJSON_AddItemToObject(root, "pelvis_reference", pelvis_reference_json(r->pelvis_reference));
    if (r->mocap)
        cJSON_AddItemToObject(root, "mocap", fc_mocap_report_json(r->mocap, r->mocap_grade));
    cJSON_AddItemToObject(root, "thresholds", thresholds_json(r));
    return root;
}

int fc_report_json(const char *path, const struct fc_report *r, struct fc_error *err)
{
    cJSON *root = report_json(r);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory building the report", path);
    struct fc_outfile out;
    int rc = fc_outfile_open(&out, path, err);
    if (rc == 0) {
        fputs(text, out.fp);
        fputc('\n', out.fp);
        rc = fc_outfile_commit(&out, err);
    }
    cJSON_free(text);
    return rc;
}

/* ---- CSV --------------------------------------------------------------- */

static const enum fc_metric pelvis_3d[3] = {FC_M_PELVIS_TILT_3D, FC_M_PELVIS_OBLIQUITY_3D,
                                            FC_M_PELVIS_ROTATION_3D};

static void reference_values(const struct fc_pelvis_angles *a, double v[3])
{
    v[0] = a->tilt_deg;
    v[1] = a->obliquity_deg;
    v[2] = a->rotation_deg;
}

void fc_pelvis_reference_compare(struct fc_pelvis_reference *ref,
                                 const struct fc_frame_metrics *frames, size_t n)
{
    double sq[3] = {0, 0, 0}, mx[3] = {0, 0, 0};
    long both = 0;
    for (size_t i = 0; i < n; i++) {
        double r[3], d[3];
        reference_values(&ref->angle[i], r);
        int ok = 1;
        for (int k = 0; k < 3; k++) {
            d[k] = frames[i].value[pelvis_3d[k]] - r[k];
            ok &= isfinite(d[k]);
        }
        if (!ok)
            continue;
        for (int k = 0; k < 3; k++) {
            sq[k] += d[k] * d[k];
            mx[k] = fmax(mx[k], fabs(d[k]));
        }
        both++;
    }
    ref->frames_compared = both;
    for (int k = 0; k < 3; k++) {
        ref->rms_deg[k] = both ? sqrt(sq[k] / (double)both) : NAN;
        ref->max_abs_deg[k] = both ? mx[k] : NAN;
    }
}

int fc_report_csv(const char *path, const struct fc_report *r, struct fc_error *err)
{
    struct fc_outfile out;
    int rc = fc_outfile_open(&out, path, err);
    if (rc < 0)
        return rc;
    FILE *f = out.fp;
    const struct fc_pelvis_reference *ref = r->pelvis_reference;
    fputs("t_s,rep,tracked", f);
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        fprintf(f, ",%s", fc_metric_info(m)->name);
    for (int k = 0; ref && k < 3; k++)
        fprintf(f, ",ref_%s", fc_metric_info(pelvis_3d[k])->name);
    /* markers analysed in full: the Plug-in Gait angles, as in the .mot */
    const struct fc_pig_output *pig =
        r->mocap && r->mocap->has_pig && r->mocap->pig.frames_with_legs > 0 ? &r->mocap->pig : NULL;
    for (int s = 0; pig && s < 2; s++)
        for (int j = 0; j < FC_PIG_JOINT_COUNT; j++)
            for (int c = 0; c < 3; c++) {
                char name[48];
                fc_mot_column_name((enum fc_pig_joint)j, c, (enum fc_side)s, name, sizeof name);
                fprintf(f, ",%s", name);
            }
    fputc('\n', f);
    for (size_t i = 0; r->frames && i < r->n_frames; i++) {
        const struct fc_frame_metrics *fm = &r->frames[i];
        fprintf(f, "%.6f,", fm->t_s);
        if (fm->rep >= 0) /* empty between reps */
            fprintf(f, "%d", fm->rep);
        fprintf(f, ",%d", fm->tracked ? 1 : 0);
        for (int m = 0; m < FC_METRIC_COUNT; m++) {
            if (isfinite(fm->value[m]))
                fprintf(f, ",%.4f", fm->value[m]);
            else
                fputc(',', f);
        }
        if (ref) {
            double v[3];
            reference_values(&ref->angle[i], v);
            for (int k = 0; k < 3; k++)
                if (isfinite(v[k]))
                    fprintf(f, ",%.4f", v[k]);
                else
                    fputc(',', f);
        }
        for (int s = 0; pig && i < pig->n_frames && s < 2; s++)
            for (int j = 0; j < FC_PIG_JOINT_COUNT; j++) {
                const double *a = fc_pig_angle(pig, i, (enum fc_side)s, (enum fc_pig_joint)j);
                for (int c = 0; c < 3; c++)
                    if (isfinite(a[c]))
                        fprintf(f, ",%.4f", a[c]);
                    else
                        fputc(',', f);
            }
        fputc('\n', f);
    }
    return fc_outfile_commit(&out, err);
}
