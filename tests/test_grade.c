/* Grading: the threshold table (built-in and from files) and the grades of
 * hand-built analyses. Expected findings come from the table's published
 * levels (a single-leg squat FPPA of 20 deg is past the 16.8 deg fault level
 * of Herrington 2014; 10 deg is inside the 13.5 deg watch level), not from
 * anything the grader computed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "report/grade.h"
#include "support/testutil.h"

/* ---- fixtures ---------------------------------------------------------- */

static struct fc_rep reps_buf[64];

/* A session as the analyzer would leave it: every metric of the view's plane
 * measurable, no peak measured yet (NaN), full tracking, a standing baseline. */
static void fixture(struct fc_analysis *a, enum fc_exercise e, enum fc_view v, size_t n_reps)
{
    memset(a, 0, sizeof *a);
    memset(reps_buf, 0, sizeof reps_buf);
    a->exercise = e;
    a->view = a->view_detected = v;
    a->view_confidence = 0.9f;
    a->body_yaw_deg = NAN; /* unknown: no error from the camera's angle */
    a->has_baseline = 1;
    a->frames = a->frames_tracked = 600;
    a->duration_s = 20;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        enum fc_metric_plane p = fc_metric_info(m)->plane;
        a->metric[m].measurable = (p == FC_PLANE_FRONTAL && v == FC_VIEW_FRONT) ||
                                  (p == FC_PLANE_SAGITTAL && v == FC_VIEW_SIDE);
        a->metric[m].frames = a->metric[m].measurable ? 600 : 0;
        a->metric[m].mean_peak = a->metric[m].sd_peak = a->metric[m].max_peak = NAN;
    }
    a->asymmetry_fppa_deg = a->asymmetry_knee_flexion_deg = a->asymmetry_hip_drop_deg = NAN;
    int side = e == FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT    ? FC_SIDE_LEFT
               : e == FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT ? FC_SIDE_RIGHT
                                                         : -1;
    for (size_t i = 0; i < n_reps; i++) {
        struct fc_rep *r = &reps_buf[i];
        r->index = (int)i;
        r->t_start_s = 1.0 + 2.0 * i;
        r->t_bottom_s = r->t_start_s + 0.8;
        r->t_end_s = r->t_start_s + 1.6;
        r->side = e == FC_EXERCISE_GAIT ? (int)(i % 2) : side;
        r->tracked_fraction = 1.0f;
        for (int m = 0; m < FC_METRIC_COUNT; m++) {
            r->peak[m] = r->at_bottom[m] = NAN;
            r->t_peak_s[m] = r->t_bottom_s;
        }
    }
    a->n_reps = a->n_reps_detailed = n_reps;
    a->reps = reps_buf;
}

static void set_all(size_t n, enum fc_metric m, float v)
{
    for (size_t i = 0; i < n; i++)
        reps_buf[i].peak[m] = v;
}

static struct fc_thresholds th;
static struct fc_error err;

static void load_builtin(void)
{
    memset(&err, 0, sizeof err);
    cr_assert_eq(fc_thresholds_load(NULL, &th, &err), 0, "%s", err.msg);
}

static void unload(void)
{
    fc_thresholds_free(&th);
}

static const struct fc_threshold *find(const char *id, enum fc_metric m)
{
    for (size_t k = 0; k < th.n; k++)
        if (strcmp(th.t[k].id, id) == 0 && th.t[k].metric == m)
            return &th.t[k];
    return NULL;
}

static size_t count_metric(const struct fc_grade *g, enum fc_metric m)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_findings; i++)
        n += g->findings[i].threshold->metric == m;
    return n;
}

/* ---- the built-in table ------------------------------------------------ */

TestSuite(grade, .init = load_builtin, .fini = unload);

Test(grade, builtin_table_is_complete_and_valid)
{
    cr_assert_gt(th.n, 15u);
    for (size_t k = 0; k < th.n; k++) {
        const struct fc_threshold *t = &th.t[k];
        cr_assert_not_null(fc_metric_info(t->metric), "%s", t->id);
        cr_assert_neq(t->exercise_mask, 0u, "%s applies to no exercise", t->id);
        cr_assert_eq(t->exercise_mask & 1u, 0u, "%s applies to 'auto'", t->id);
        cr_assert_eq(t->exercise_mask >> FC_EXERCISE_COUNT, 0u, "%s", t->id);
        cr_assert_gt(strlen(t->id), 0u);
        cr_assert_gt(strlen(t->fault), 0u, "%s", t->id);
        cr_assert_gt(strlen(t->what), 0u, "%s", t->id);
        cr_assert_gt(strlen(t->source), 10u, "%s has no source", t->id);
        cr_assert_gt(strlen(t->basis), 10u, "%s does not say how its levels were chosen", t->id);
        cr_assert_gt(strlen(t->cause), 10u, "%s has no cause", t->id);
        cr_assert_gt(strlen(t->remedies), 5u, "%s has no remedies", t->id);
        if (t->direction > 0)
            cr_assert_gt(t->fault_level, t->watch, "%s", t->id);
        else if (t->direction < 0)
            cr_assert_lt(t->fault_level, t->watch, "%s", t->id);
        else
            cr_assert(t->watch >= 0 && t->fault_level > t->watch, "%s", t->id);
        if (t->measure == FC_MEASURE_REP_PEAK)
            cr_assert_eq(t->min_reps, 0, "%s", t->id);
    }
}

Test(grade, builtin_levels_are_the_published_ones)
{
    /* Herrington 2014: healthy 8.4 +- 5.1 deg, patellofemoral pain 16.8 deg */
    const struct fc_threshold *t = find("fppa_single_leg", FC_M_KNEE_FPPA_LEFT);
    cr_assert_not_null(t);
    cr_assert_float_eq(t->watch, 8.4 + 5.1, 1e-9);
    cr_assert_float_eq(t->fault_level, 16.8, 1e-9);
    cr_assert_not_null(find("fppa_single_leg", FC_M_KNEE_FPPA_RIGHT), "both knees");
    cr_assert(fc_threshold_applies(t, FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT));
    cr_assert(fc_threshold_applies(t, FC_EXERCISE_STEP_UP));
    cr_assert(fc_threshold_applies(t, FC_EXERCISE_LUNGE));
    cr_assert_not_null(strstr(t->source, "Herrington"));
    /* Herrington & Munro 2010: normal FPPA up to 13 deg */
    t = find("fppa_squat", FC_M_KNEE_FPPA_RIGHT);
    cr_assert_not_null(t);
    cr_assert_float_eq(t->watch, 13.0, 1e-9);
    cr_assert_not_null(strstr(t->source, "Munro"));
    /* Dingenen 2018: SDD about 3 deg, mean of >= 7 steps */
    t = find("hip_drop_single_leg", FC_M_HIP_DROP);
    cr_assert_not_null(t);
    cr_assert_float_eq(t->watch, 3.0, 1e-9);
    cr_assert_not_null(strstr(t->source, "Dingenen"));
    t = find("hip_drop_gait", FC_M_HIP_DROP);
    cr_assert_not_null(t);
    cr_assert_eq(t->measure, FC_MEASURE_SET_MEAN);
    cr_assert_eq(t->min_reps, 7);
    cr_assert_not_null(strstr(t->source, "Bramah"));
    /* IPF depth: hip crease at or below the knee, depth_deg >= 0 */
    t = find("depth_squat", FC_M_DEPTH);
    cr_assert_not_null(t);
    cr_assert_eq(t->direction, -1);
    cr_assert_float_eq(t->watch, 0.0, 1e-9);
    /* the level the real-data lunge test checks (tests/test_realdata_lunge.c) */
    t = find("knee_travel_lunge", FC_M_KNEE_TRAVEL);
    cr_assert_not_null(t);
    cr_assert_float_eq(t->watch, -5.0, 1e-9);
    cr_assert_not(fc_threshold_applies(t, FC_EXERCISE_SQUAT), "knees past toes are fine in squats");
    /* conventions say so */
    cr_assert_not_null(
        strstr(find("trunk_shin_squat", FC_M_TRUNK_SHIN_DIFF)->basis, "formcheck convention"));
}

Test(grade, builtin_reliability_is_the_published_one)
{
    /* Munro 2012: 2-D FPPA between-day SEM 2.72-3.01 deg, SDD 7.54-8.93 deg */
    const struct fc_threshold *t = find("fppa_squat", FC_M_KNEE_FPPA_LEFT);
    cr_assert_float_eq(t->sem, 2.85, 1e-9);
    cr_assert_not_null(strstr(t->reliability_source, "Munro"));
    cr_assert_float_eq(find("knee_varus", FC_M_KNEE_FPPA_RIGHT)->sem, 2.85, 1e-9);
    /* Dingenen 2018: pelvic drop SDD 2.7-2.8 deg, SEM = SDD / (1.96 sqrt 2) */
    t = find("hip_drop_single_leg", FC_M_HIP_DROP);
    cr_assert_float_eq(t->sem, t->sdd / (1.96 * sqrt(2.0)), 0.05);
    cr_assert_not_null(strstr(t->reliability_source, "Dingenen"));
    cr_assert_float_eq(find("trunk_lean_lateral_squat", FC_M_TRUNK_LEAN_LATERAL)->sem, 0.66, 1e-9);
    /* depth: the keypoints' systematic 30-50 mm offset from the joint
     * centres (Needham 2021) across a 0.43 m thigh, atan(0.04 / 0.43) */
    t = find("depth_squat", FC_M_DEPTH);
    cr_assert_float_eq(t->sem, atan(0.040 / 0.430) * 180 / 3.14159265358979, 0.35);
    cr_assert_not_null(strstr(t->reliability_source, "Needham"));
    /* nothing published for the 2-D shift: the jitter alone */
    cr_assert_float_eq(find("lateral_shift_squat", FC_M_LATERAL_SHIFT)->sem, 0.0, 0);
    cr_assert_str_eq(find("lateral_shift_squat", FC_M_LATERAL_SHIFT)->reliability_source, "");
}

/* ---- malformed tables -------------------------------------------------- */

#define TAIL "\"what\":\"w\",\"source\":\"s\",\"basis\":\"b\",\"cause\":\"c\",\"remedies\":\"r\""
#define ENTRY(id, metric, ex, dir, w, f)                                                           \
    "{\"id\":\"" id "\",\"fault\":\"f\",\"metric\":" metric ",\"exercises\":" ex                   \
    ",\"direction\":\"" dir "\",\"levels\":{\"watch\":" w ",\"fault\":" f "}," TAIL "}"
#define TABLE(...) "{\"version\":1,\"thresholds\":[" __VA_ARGS__ "]}"
#define GOOD ENTRY("good", "\"knee_fppa_left_deg\"", "[\"squat\"]", "above", "1", "2")

static int load_text(const char *text, char *path, size_t len)
{
    char dir[512];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, len, "%s/my-thresholds.json", dir);
    fc_test_write_file(path, text, strlen(text));
    struct fc_thresholds t2;
    memset(&err, 0, sizeof err);
    int rc = fc_thresholds_load(path, &t2, &err);
    if (rc == 0)
        fc_thresholds_free(&t2);
    fc_test_rmtree(dir);
    return rc;
}

static void expect_format_error(const char *text, const char *what)
{
    char path[600];
    int rc = load_text(text, path, sizeof path);
    cr_expect_eq(rc, FC_ERR_FORMAT, "accepted: %s", text);
    cr_expect_eq(err.code, FC_ERR_FORMAT);
    cr_expect_not_null(strstr(err.msg, path), "message does not name the file: %s", err.msg);
    cr_expect_not_null(strstr(err.msg, what), "message '%s' lacks '%s'", err.msg, what);
}

Test(grade, a_valid_file_loads_and_a_metric_list_gives_one_entry_per_metric)
{
    char dir[512], path[600];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/t.json", dir);
    const char *text =
        TABLE(GOOD "," ENTRY("both", "[\"knee_fppa_left_deg\",\"knee_fppa_right_deg\"]",
                             "[\"lunge\",\"step-up\"]", "below", "-1", "-2"));
    fc_test_write_file(path, text, strlen(text));
    struct fc_thresholds t2;
    cr_assert_eq(fc_thresholds_load(path, &t2, &err), 0, "%s", err.msg);
    cr_assert_eq(t2.n, 3u);
    cr_assert_str_eq(t2.t[1].id, "both");
    cr_assert_str_eq(t2.t[2].id, "both");
    cr_assert_eq(t2.t[1].metric, FC_M_KNEE_FPPA_LEFT);
    cr_assert_eq(t2.t[2].metric, FC_M_KNEE_FPPA_RIGHT);
    cr_assert_eq(t2.t[2].direction, -1);
    cr_assert_eq(t2.t[2].exercise_mask, (1u << FC_EXERCISE_LUNGE) | (1u << FC_EXERCISE_STEP_UP));
    fc_thresholds_free(&t2);
    fc_test_rmtree(dir);
}

/* GOOD with a reliability object rel. */
#define WITH_RELIABILITY(rel)                                                                      \
    "{\"id\":\"rel\",\"fault\":\"f\",\"metric\":\"knee_fppa_left_deg\",\"exercises\":[\"squat\"]," \
    "\"direction\":\"above\",\"levels\":{\"watch\":1,\"fault\":2}," TAIL ",\"reliability\":" rel   \
    "}"

Test(grade, a_reliability_object_loads_and_is_optional)
{
    char dir[512], path[600];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/t.json", dir);
    const char *text =
        TABLE(GOOD "," WITH_RELIABILITY("{\"sem\":2.85,\"sdd\":8.2,\"source\":\"Munro 2012\"}"));
    fc_test_write_file(path, text, strlen(text));
    struct fc_thresholds t2;
    cr_assert_eq(fc_thresholds_load(path, &t2, &err), 0, "%s", err.msg);
    cr_assert_eq(t2.n, 2u);
    cr_expect_float_eq(t2.t[0].sem, 0.0, 0);
    cr_expect_str_eq(t2.t[0].reliability_source, "");
    cr_expect_float_eq(t2.t[1].sem, 2.85, 1e-12);
    cr_expect_float_eq(t2.t[1].sdd, 8.2, 1e-12);
    cr_expect_str_eq(t2.t[1].reliability_source, "Munro 2012");
    fc_thresholds_free(&t2);
    fc_test_rmtree(dir);
}

Test(grade, a_bad_reliability_object_is_named_with_its_entry)
{
    expect_format_error(TABLE(WITH_RELIABILITY("2.85")),
                        "thresholds[0] (\"rel\"): \"reliability\" must be an object");
    expect_format_error(TABLE(WITH_RELIABILITY("{\"sdd\":8.2,\"source\":\"s\"}")),
                        "thresholds[0] (\"rel\"): \"reliability\": missing \"sem\"");
    expect_format_error(TABLE(WITH_RELIABILITY("{\"sem\":\"2\",\"sdd\":8.2,\"source\":\"s\"}")),
                        "\"reliability\": \"sem\" must be a number");
    expect_format_error(TABLE(WITH_RELIABILITY("{\"sem\":0,\"sdd\":8.2,\"source\":\"s\"}")),
                        "thresholds[0] (\"rel\"): \"reliability\": \"sem\" and \"sdd\" must be "
                        "above 0");
    expect_format_error(TABLE(WITH_RELIABILITY("{\"sem\":1,\"sdd\":-3,\"source\":\"s\"}")),
                        "must be above 0");
    expect_format_error(TABLE(WITH_RELIABILITY("{\"sem\":1,\"sdd\":3}")),
                        "thresholds[0] (\"rel\"): \"reliability\": missing \"source\"");
    expect_format_error(TABLE(WITH_RELIABILITY("{\"sem\":1,\"sdd\":3,\"source\":\"\"}")),
                        "\"reliability\": \"source\" is empty");
    expect_format_error(
        TABLE(WITH_RELIABILITY("{\"sem\":1,\"sdd\":3,\"source\":\"s\",\"icc\":0.9}")),
        "thresholds[0] (\"rel\"): \"reliability\": unknown field \"icc\"");
}

Test(grade, a_missing_file_is_an_io_error_naming_it)
{
    struct fc_thresholds t2;
    cr_assert_eq(fc_thresholds_load("/nonexistent/thresholds.json", &t2, &err), FC_ERR_IO);
    cr_assert_not_null(strstr(err.msg, "/nonexistent/thresholds.json"), "%s", err.msg);
}

Test(grade, malformed_tables_give_precise_errors)
{
    expect_format_error("{\"version\":1,\"thresholds\":[", "not valid JSON");
    expect_format_error("[1,2]", "top level must be an object");
    expect_format_error(TABLE(GOOD) "   x", "not valid JSON");
    expect_format_error("{\"version\":2,\"thresholds\":[]}", "\"version\" must be 1");
    expect_format_error("{\"version\":1}", "\"thresholds\" must be a list");
    expect_format_error("{\"version\":1,\"thresholds\":[],\"extra\":1}", "unknown top-level");
    /* the entry is named by index and id */
    expect_format_error(TABLE(GOOD ",{\"id\":\"nosrc\",\"fault\":\"f\",\"metric\":\"depth_deg\","
                                   "\"exercises\":[\"squat\"],\"direction\":\"below\","
                                   "\"levels\":{\"watch\":0,\"fault\":-1},\"what\":\"w\","
                                   "\"basis\":\"b\",\"cause\":\"c\",\"remedies\":\"r\"}"),
                        "thresholds[1] (\"nosrc\"): missing \"source\"");
    expect_format_error(TABLE("{\"fault\":\"f\"}"), "thresholds[0]: missing \"id\"");
    expect_format_error(
        TABLE(ENTRY("m", "\"knee_fpa_left_deg\"", "[\"squat\"]", "above", "1", "2")),
        "thresholds[0] (\"m\"): unknown metric \"knee_fpa_left_deg\"");
    expect_format_error(
        TABLE(ENTRY("m", "[\"depth_deg\",\"nope\"]", "[\"squat\"]", "above", "1", "2")),
        "unknown metric \"nope\"");
    expect_format_error(TABLE(ENTRY("e", "\"depth_deg\"", "[\"sqat\"]", "above", "1", "2")),
                        "thresholds[0] (\"e\"): unknown exercise \"sqat\"");
    expect_format_error(TABLE(ENTRY("e", "\"depth_deg\"", "[\"auto\"]", "above", "1", "2")),
                        "unknown exercise \"auto\"");
    expect_format_error(TABLE(ENTRY("e", "\"depth_deg\"", "[]", "above", "1", "2")),
                        "\"exercises\" must be a non-empty list");
    expect_format_error(TABLE(ENTRY("d", "\"depth_deg\"", "[\"squat\"]", "over", "1", "2")),
                        "\"direction\" must be");
    expect_format_error(TABLE(ENTRY("o", "\"depth_deg\"", "[\"squat\"]", "above", "5", "2")),
                        "thresholds[0] (\"o\"): direction \"above\" needs the fault level (2) "
                        "above the watch level (5)");
    expect_format_error(TABLE(ENTRY("o", "\"depth_deg\"", "[\"squat\"]", "below", "0", "5")),
                        "direction \"below\" needs the fault level (5) below");
    expect_format_error(TABLE(ENTRY("o", "\"depth_deg\"", "[\"squat\"]", "abs", "-1", "5")),
                        "direction \"abs\" needs 0 <= watch");
    expect_format_error(TABLE(ENTRY("o", "\"depth_deg\"", "[\"squat\"]", "above", "1", "\"2\"")),
                        "\"fault\" must be a number");
    expect_format_error(TABLE(GOOD "," GOOD), "thresholds[1] (\"good\"): the id is used");
    expect_format_error(TABLE("{\"id\":\"p\",\"fault\":\"f\",\"metric\":\"depth_deg\","
                              "\"exercises\":[\"squat\"],\"direction\":\"above\","
                              "\"levels\":{\"watch\":1,\"fault\":2},\"what\":\"w\","
                              "\"source\":\"s\",\"basis\":\"b\",\"cause\":\"weak {sied}\","
                              "\"remedies\":\"r\"}"),
                        "unknown placeholder \"{sied}\" in \"cause\"");
    expect_format_error(TABLE("{\"id\":\"u\",\"fault\":\"f\",\"metric\":\"depth_deg\","
                              "\"exercises\":[\"squat\"],\"direction\":\"above\","
                              "\"levels\":{\"watch\":1,\"fault\":2},\"what\":\"w\","
                              "\"source\":\"s\",\"basis\":\"b\",\"cause\":\"c\","
                              "\"remedies\":\"r\",\"watchh\":3}"),
                        "unknown field \"watchh\"");
    expect_format_error(TABLE("{\"id\":\"r\",\"fault\":\"f\",\"metric\":\"depth_deg\","
                              "\"exercises\":[\"squat\"],\"direction\":\"above\",\"min_reps\":7,"
                              "\"levels\":{\"watch\":1,\"fault\":2}," TAIL "}"),
                        "\"min_reps\" is for set-level measures");
    expect_format_error(TABLE("{\"id\":\"s\",\"fault\":\"f\",\"metric\":\"depth_deg\","
                              "\"exercises\":[\"squat\"],\"direction\":\"above\","
                              "\"measure\":\"set_mean\",\"levels\":{\"watch\":1,\"fault\":2}," TAIL
                              "}"),
                        "needs \"min_reps\" >= 1");
    expect_format_error(TABLE("{\"id\":\"a\",\"fault\":\"f\",\"metric\":\"depth_deg\","
                              "\"exercises\":[\"squat\"],\"direction\":\"abs\","
                              "\"measure\":\"asymmetry\",\"levels\":{\"watch\":1,\"fault\":2}," TAIL
                              "}"),
                        "needs one metric with a left/right asymmetry");
    expect_format_error(TABLE("{\"id\":\"q\",\"fault\":\"\",\"metric\":\"depth_deg\","
                              "\"exercises\":[\"squat\"],\"direction\":\"above\","
                              "\"levels\":{\"watch\":1,\"fault\":2}," TAIL "}"),
                        "\"fault\" is empty");
}

/* ---- grading ----------------------------------------------------------- */

Test(grade, single_leg_squat_fppa_20_is_a_fault_and_10_is_not_flagged)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT, FC_VIEW_FRONT, 2);
    set_all(2, FC_M_HIP_DROP, 1.0f);
    set_all(2, FC_M_TRUNK_LEAN_LATERAL, 1.0f);
    reps_buf[0].peak[FC_M_KNEE_FPPA_LEFT] = 20.0f;
    reps_buf[0].t_peak_s[FC_M_KNEE_FPPA_LEFT] = 1.75;
    reps_buf[1].peak[FC_M_KNEE_FPPA_LEFT] = 10.0f;
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 1u);
    const struct fc_finding *f = &g.findings[0];
    cr_expect_eq(f->threshold->metric, FC_M_KNEE_FPPA_LEFT);
    cr_expect_eq(f->severity, FC_SEVERITY_FAULT);
    cr_expect_eq(f->side, FC_SIDE_LEFT);
    cr_expect_eq(f->rep, 0);
    cr_expect_float_eq(f->t_s, 1.75, 1e-9);
    cr_expect_float_eq(f->magnitude, 20.0, 1e-6);
    cr_expect_float_eq(f->level, 16.8, 1e-9);
    cr_expect_not_null(strstr(f->message, "rep 1: left knee caves inward"), "%s", f->message);
    cr_expect_not_null(strstr(f->message, "fault above 16.8 deg"), "%s", f->message);
    cr_expect_not_null(strstr(f->message, "gluteus medius"), "%s", f->message);
    cr_expect_not_null(strstr(f->message, "Try: clamshells"), "%s", f->message);
    cr_expect_lt(g.reps[0].score, 80.0);
    cr_expect_float_eq(g.reps[1].score, 100.0, 1e-9);
    cr_expect_str_eq(g.caveat, "");
    fc_grade_free(&g);
}

Test(grade, a_clean_session_has_no_findings_and_grades_good)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 5);
    set_all(5, FC_M_KNEE_FPPA_LEFT, 6.0f);
    set_all(5, FC_M_KNEE_FPPA_RIGHT, 5.0f);
    set_all(5, FC_M_PELVIC_OBLIQUITY, -1.0f);
    set_all(5, FC_M_TRUNK_LEAN_LATERAL, 1.5f);
    set_all(5, FC_M_LATERAL_SHIFT, 3.0f);
    a.asymmetry_fppa_deg = 1.0f;
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_eq(g.n_findings, 0u);
    cr_expect_float_eq(g.score, 100.0, 1e-9);
    cr_expect_str_eq(g.band, "good");
    cr_expect_eq(g.n_reps, 5u);
    /* the caveat says depth needs a side view: a front view cannot grade it */
    cr_expect_not_null(strstr(g.caveat, "film from the side"), "%s", g.caveat);
    cr_expect_not_null(strstr(g.caveat, "shallow squat"), "%s", g.caveat);
    fc_grade_free(&g);
}

Test(grade, hip_drop_names_the_stance_sides_gluteus_medius)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT, FC_VIEW_FRONT, 3);
    reps_buf[2].peak[FC_M_HIP_DROP] = 7.2f;
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 1u);
    const struct fc_finding *f = &g.findings[0];
    cr_expect_eq(f->side, FC_SIDE_LEFT, "the stance side");
    cr_expect_eq(f->severity, FC_SEVERITY_FAULT);
    cr_expect_not_null(strstr(f->message,
                              "rep 3: right hip drops 7.2 +- 1.0 deg during left single-leg "
                              "stance (watch above 3 deg, fault above 6 deg; +- with the 2-D "
                              "method's SEM of 1 deg): a sign of weak left gluteus medius"),
                       "%s", f->message);
    cr_expect_not_null(strstr(f->cause, "weak left gluteus medius"), "%s", f->cause);
    cr_expect_not_null(strstr(f->message, "side-lying leg raises"), "%s", f->message);
    fc_grade_free(&g);

    fixture(&a, FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT, FC_VIEW_FRONT, 1);
    /* 4.5 deg: past the 3 deg watch level by more than the 1 deg SEM */
    reps_buf[0].peak[FC_M_HIP_DROP] = 4.5f;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 1u);
    cr_expect_eq(g.findings[0].severity, FC_SEVERITY_WATCH);
    cr_expect_eq(g.findings[0].side, FC_SIDE_RIGHT);
    cr_expect_not_null(strstr(g.findings[0].message, "left hip drops 4.5 +- 1.0 deg during right"),
                       "%s", g.findings[0].message);
    cr_expect_not_null(strstr(g.findings[0].message, "weak right gluteus medius"), "%s",
                       g.findings[0].message);
    fc_grade_free(&g);
}

Test(grade, the_free_leg_of_a_single_leg_squat_is_not_graded)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT, FC_VIEW_FRONT, 2);
    set_all(2, FC_M_KNEE_FPPA_LEFT, 5.0f);
    set_all(2, FC_M_KNEE_FPPA_RIGHT, 30.0f); /* the swinging leg */
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_eq(g.n_findings, 0u);
    cr_expect_str_eq(g.band, "good");
    fc_grade_free(&g);
}

Test(grade, metrics_not_measurable_from_the_view_are_never_graded)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 3);
    set_all(3, FC_M_DEPTH, -40.0f); /* would be a fault, but needs a side view */
    set_all(3, FC_M_TRUNK_SHIN_DIFF, 40.0f);
    set_all(3, FC_M_KNEE_FPPA_LEFT, 30.0f);       /* would be a fault... */
    a.metric[FC_M_KNEE_FPPA_LEFT].measurable = 0; /* ...but the input cannot support it */
    set_all(3, FC_M_KNEE_FPPA_RIGHT, 2.0f);
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_eq(g.n_findings, 0u);
    cr_expect_eq(count_metric(&g, FC_M_DEPTH), 0u);
    cr_expect_str_eq(g.band, "good");
    cr_expect_not_null(strstr(g.caveat, "From this view (front) formcheck cannot measure "
                                        "shallow squat, excessive forward lean, heels rise: film "
                                        "from the side to grade them."),
                       "%s", g.caveat);
    fc_grade_free(&g);

    /* a side view of a single-leg squat: its frontal faults cannot be seen,
     * and the forward lean alone (a secondary measurement) makes no grade */
    fixture(&a, FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT, FC_VIEW_SIDE, 3);
    set_all(3, FC_M_HIP_DROP, 12.0f);
    set_all(3, FC_M_TRUNK_FORWARD_LEAN, 50.0f);
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_eq(g.n_findings, 0u);
    cr_expect_str_eq(g.band, "not graded");
    cr_expect_not_null(strstr(g.caveat, "knee valgus"), "%s", g.caveat);
    cr_expect_not_null(strstr(g.caveat, "film from the front"), "%s", g.caveat);
    fc_grade_free(&g);

    /* from the front, the forward lean is not measurable but raises no caveat */
    fixture(&a, FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT, FC_VIEW_FRONT, 3);
    set_all(3, FC_M_HIP_DROP, 1.0f);
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_str_eq(g.caveat, "");
    cr_expect_str_eq(g.band, "good");
    fc_grade_free(&g);
}

Test(grade, nothing_measurable_is_not_graded)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_OBLIQUE, 4); /* neither plane */
    set_all(4, FC_M_DEPTH, -40.0f);
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect(isnan(g.score));
    cr_expect_str_eq(g.band, "not graded");
    cr_expect_eq(g.n_findings, 0u);
    cr_expect_not_null(strstr(g.caveat, "None of the main measurements formcheck grades squat on"),
                       "%s", g.caveat);
    fc_grade_free(&g);
}

Test(grade, no_reps_is_not_graded)
{
    /* Decided: with no reps there is nothing to grade, so the score is NaN
     * and the band "not graded", with a caveat saying why. */
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 0);
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect(isnan(g.score));
    cr_expect_str_eq(g.band, "not graded");
    cr_expect_eq(g.n_reps, 0u);
    cr_expect_not_null(strstr(g.caveat, "No reps were found"), "%s", g.caveat);
    fc_grade_free(&g);

    fixture(&a, FC_EXERCISE_AUTO, FC_VIEW_FRONT, 2);
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_str_eq(g.band, "not graded");
    cr_expect_not_null(strstr(g.caveat, "not recognised"), "%s", g.caveat);
    fc_grade_free(&g);
}

Test(grade, poor_tracking_gets_a_caveat_with_the_times)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 3);
    set_all(3, FC_M_KNEE_FPPA_LEFT, 5.0f);
    a.frames_tracked = 300; /* of 600 */
    a.n_low_confidence = 2;
    a.low_confidence[0] = (struct fc_low_confidence){3.2, 4.1};
    a.low_confidence[1] = (struct fc_low_confidence){7.0, 7.5};
    reps_buf[1].tracked_fraction = 0.4f;
    reps_buf[1].peak[FC_M_KNEE_FPPA_LEFT] = 40.0f; /* noise in a badly tracked rep */
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_not_null(strstr(g.caveat, "Tracking was poor"), "%s", g.caveat);
    cr_expect_not_null(strstr(g.caveat, "50% of frames"), "%s", g.caveat);
    cr_expect_not_null(strstr(g.caveat, "3.2-4.1 s, 7.0-7.5 s"), "%s", g.caveat);
    cr_expect_not_null(strstr(g.caveat, "Rep 2 was tracked in fewer than 70%"), "%s", g.caveat);
    cr_expect_eq(g.n_findings, 0u, "the badly tracked rep is not graded");
    cr_expect(isnan(g.reps[1].score));
    cr_expect_float_eq(g.score, 100.0, 1e-9);
    fc_grade_free(&g);
}

Test(grade, scores_fall_monotonically_with_severity)
{
    /* Past a level means past it by more than the 2-D FPPA's SEM (2.85 deg,
     * Munro 2012; no jitter in these reps): 13.5 + 2.85 - 0.1 is within it. */
    const float u = 2.85f;
    const float fppa[] = {0,         10,     13.5f + u - 0.1f, 13.6f + u, 15 + u, 16.7f + u,
                          16.9f + u, 20 + u, 25 + u,           40,        60};
    size_t n = sizeof fppa / sizeof *fppa;
    cr_assert_float_eq(find("fppa_single_leg", FC_M_KNEE_FPPA_RIGHT)->sem, u, 1e-6);
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT, FC_VIEW_FRONT, n);
    for (size_t i = 0; i < n; i++)
        reps_buf[i].peak[FC_M_KNEE_FPPA_RIGHT] = fppa[i];
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    for (size_t i = 1; i < n; i++)
        cr_expect_leq(g.reps[i].score, g.reps[i - 1].score, "FPPA %g scored above %g", fppa[i],
                      fppa[i - 1]);
    cr_expect_float_eq(g.reps[2].score, 100.0, 1e-9, "within u of the watch level is not past it");
    cr_expect_lt(g.reps[3].score, 100.0);
    cr_expect_gt(g.reps[5].score, g.reps[6].score + 4.0, "crossing the fault level costs more");
    cr_expect_geq(g.reps[n - 1].score, 0.0);
    /* findings: faults first, the worst first */
    cr_assert_eq(g.n_findings, n - 3);
    for (size_t i = 1; i < g.n_findings; i++) {
        cr_expect_geq(g.findings[i - 1].severity, g.findings[i].severity);
        if (g.findings[i - 1].severity == g.findings[i].severity)
            cr_expect_geq(g.findings[i - 1].excess, g.findings[i].excess);
    }
    cr_expect_float_eq(g.findings[0].magnitude, 60.0, 1e-6);
    fc_grade_free(&g);

    /* the set score drops as one more rep turns bad */
    double last = 101;
    for (int bad = 0; bad <= 4; bad++) {
        fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_SIDE, 4);
        set_all(4, FC_M_DEPTH, 5.0f);
        for (int i = 0; i < bad; i++)
            reps_buf[i].peak[FC_M_DEPTH] = -20.0f;
        cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
        cr_expect_lt(g.score, last);
        last = g.score;
        fc_grade_free(&g);
    }
}

Test(grade, squat_depth_and_lean_from_the_side)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_SIDE, 3);
    reps_buf[0].peak[FC_M_DEPTH] = 5.0f;   /* below parallel: fine */
    reps_buf[1].peak[FC_M_DEPTH] = -8.0f;  /* above parallel by more than its 5 deg: watch */
    reps_buf[2].peak[FC_M_DEPTH] = -25.0f; /* half squat: fault */
    set_all(3, FC_M_TRUNK_SHIN_DIFF, 5.0f);
    reps_buf[0].peak[FC_M_TRUNK_SHIN_DIFF] = 28.0f;
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 3u);
    cr_expect_eq(count_metric(&g, FC_M_DEPTH), 2u);
    const struct fc_finding *f = NULL;
    for (size_t i = 0; i < g.n_findings; i++)
        if (g.findings[i].rep == 1)
            f = &g.findings[i];
    cr_assert_not_null(f);
    cr_expect_eq(f->severity, FC_SEVERITY_WATCH);
    cr_expect_eq(f->side, -1);
    /* No jitter in the fixture: the method's 5 deg alone. */
    cr_expect_not_null(strstr(f->message, "thighs stop 8.0 +- 5.0 deg above parallel (watch "
                                          "below 0 deg, fault below -15 deg; +- with the 2-D "
                                          "method's SEM of 5 deg"),
                       "%s", f->message);
    cr_expect_str_eq(g.band, "fair"); /* reps 70.5, 86.7, 70 */
    fc_grade_free(&g);
}

Test(grade, lateral_lean_side_comes_from_its_sign)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 2);
    reps_buf[0].peak[FC_M_TRUNK_LEAN_LATERAL] = -7.0f; /* towards the subject's right */
    reps_buf[1].peak[FC_M_LATERAL_SHIFT] = 25.0f;      /* towards the left */
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 2u);
    const struct fc_finding *shift = &g.findings[0], *lean = &g.findings[1];
    cr_expect_eq(shift->severity, FC_SEVERITY_FAULT);
    cr_expect_eq(shift->side, FC_SIDE_LEFT);
    cr_expect_not_null(strstr(shift->message, "hips shift 25.0% of hip width towards the left"),
                       "%s", shift->message);
    cr_expect_not_null(strstr(shift->message, "watch beyond \u00b110%"), "%s", shift->message);
    cr_expect_not_null(strstr(shift->cause, "sparing the right side"), "%s", shift->cause);
    cr_expect_eq(lean->side, FC_SIDE_RIGHT);
    cr_expect_not_null(strstr(lean->message, "leans 7.0 +- 0.7 deg towards the right"), "%s",
                       lean->message);
    cr_expect_not_null(strstr(lean->remedies, "on the left leg"), "%s", lean->remedies);
    fc_grade_free(&g);
}

Test(grade, gait_hip_drop_is_graded_on_the_mean_of_seven_steps_per_side)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_GAIT, FC_VIEW_FRONT, 16); /* 8 left, 8 right stance */
    /* Past the levels by more than their uncertainty (SEM 1 deg; the
     * difference of two sides' means sqrt(2) deg). */
    for (size_t i = 0; i < 16; i++)
        reps_buf[i].peak[FC_M_HIP_DROP] = reps_buf[i].side == FC_SIDE_LEFT ? 6.5f : 2.0f;
    a.asymmetry_hip_drop_deg = 4.5f;
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 2u, "%s", g.n_findings ? g.findings[0].message : "");
    const struct fc_finding *drop = NULL, *asym = NULL;
    for (size_t i = 0; i < g.n_findings; i++)
        if (g.findings[i].threshold->measure == FC_MEASURE_SET_MEAN)
            drop = &g.findings[i];
        else
            asym = &g.findings[i];
    cr_assert_not_null(drop);
    cr_assert_not_null(asym);
    cr_expect_eq(drop->rep, -1);
    cr_expect_eq(drop->n_reps, 8);
    cr_expect_eq(drop->side, FC_SIDE_LEFT);
    cr_expect_eq(drop->severity, FC_SEVERITY_WATCH);
    cr_expect_not_null(strstr(drop->message, "set, mean of 8 left-stance steps: right hip drops "
                                             "6.5 +- 1.0 deg on average during left stance"),
                       "%s", drop->message);
    cr_expect_eq(asym->side, FC_SIDE_LEFT);
    cr_expect_not_null(strstr(asym->message, "drops 4.5 +- 1.4 deg more during left stance"), "%s",
                       asym->message);
    cr_expect_lt(g.score, 100.0);
    cr_expect(isnan(g.reps[0].score), "gait has no per-step thresholds");
    fc_grade_free(&g);

    /* too few steps: not graded, and said so */
    fixture(&a, FC_EXERCISE_GAIT, FC_VIEW_FRONT, 10);
    set_all(10, FC_M_HIP_DROP, 9.0f);
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_eq(g.n_findings, 0u);
    cr_expect_str_eq(g.band, "not graded");
    cr_expect_not_null(strstr(g.caveat, "hip drop is graded on the mean of at least 7 "
                                        "left-stance steps; this recording has 5"),
                       "%s", g.caveat);
    fc_grade_free(&g);
}

Test(grade, knee_valgus_asymmetry_in_squats)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 3);
    set_all(3, FC_M_KNEE_FPPA_LEFT, 12.0f); /* both under the 13 deg watch level */
    set_all(3, FC_M_KNEE_FPPA_RIGHT, 2.0f);
    /* 10 deg: past the 5 deg watch level by more than sqrt(2) 2.85 = 4.0 */
    a.asymmetry_fppa_deg = 10.0f;
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 1u);
    cr_expect_eq(g.findings[0].threshold->measure, FC_MEASURE_ASYMMETRY);
    cr_expect_eq(g.findings[0].side, FC_SIDE_LEFT);
    cr_expect_not_null(
        strstr(g.findings[0].message, "the left knee caves in 10.0 +- 4.0 deg more than the right"),
        "%s", g.findings[0].message);
    cr_expect_float_eq(g.reps[0].score, 100.0, 1e-9);
    cr_expect_lt(g.score, 100.0, "the set-level penalty lowers the set score");
    fc_grade_free(&g);
}

Test(grade, knees_pushed_out_by_different_amounts_are_not_valgus_asymmetry)
{
    /* A wide squat: both knees out (varus), the left by 43 deg, the right
     * by 28. The left-minus-right difference is 15 deg, but neither knee
     * caves in, so there is no valgus asymmetry to grade. */
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 4);
    set_all(4, FC_M_KNEE_FPPA_LEFT, -43.0f);
    set_all(4, FC_M_KNEE_FPPA_RIGHT, -28.0f);
    a.asymmetry_fppa_deg = -15.0f;
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_eq(g.n_findings, 0u, "%s", g.n_findings ? g.findings[0].message : "");
    fc_grade_free(&g);
    /* One knee out (-20), the other caving in by 11: only the valgus part
     * counts, 0 against 11. */
    set_all(4, FC_M_KNEE_FPPA_LEFT, -20.0f);
    set_all(4, FC_M_KNEE_FPPA_RIGHT, 11.0f);
    a.asymmetry_fppa_deg = -31.0f;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 1u);
    cr_expect_eq(g.findings[0].side, FC_SIDE_RIGHT);
    cr_expect_not_null(
        strstr(g.findings[0].message, "the right knee caves in 11.0 +- 4.0 deg more than the left"),
        "%s", g.findings[0].message);
    fc_grade_free(&g);
}

Test(grade, findings_of_a_custom_table_point_into_it)
{
    char dir[512], path[600];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/t.json", dir);
    const char *text =
        TABLE(ENTRY("mine", "\"knee_travel_pct\"", "[\"lunge\"]", "above", "0", "20"));
    fc_test_write_file(path, text, strlen(text));
    struct fc_thresholds t2;
    cr_assert_eq(fc_thresholds_load(path, &t2, &err), 0, "%s", err.msg);
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_LUNGE, FC_VIEW_SIDE, 2);
    reps_buf[0].peak[FC_M_KNEE_TRAVEL] = 10.0f;
    reps_buf[1].peak[FC_M_KNEE_TRAVEL] = -10.0f;
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &t2, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 1u);
    cr_expect_eq(g.findings[0].threshold, &t2.t[0]);
    cr_expect_eq(g.findings[0].severity, FC_SEVERITY_WATCH);
    cr_expect_not_null(strstr(g.findings[0].message, "watch above 0%, fault above 20%"), "%s",
                       g.findings[0].message);
    fc_grade_free(&g);
    fc_thresholds_free(&t2);
    fc_test_rmtree(dir);
}

/* ---- uncertainty ----------------------------------------------------------- */

/* The one finding of g for metric m, NULL when there is none. */
static const struct fc_finding *finding_of(const struct fc_grade *g, enum fc_metric m)
{
    for (size_t i = 0; i < g->n_findings; i++)
        if (g->findings[i].threshold->metric == m)
            return &g->findings[i];
    return NULL;
}

Test(grade, a_value_within_its_uncertainty_of_the_level_is_no_finding)
{
    /* Trunk - shin has no published SEM: u is the rep's own jitter (1.5 deg
     * here). Watch above 15 deg, fault above 25 deg: value - u must be above. */
    static const struct {
        float depth;
        enum fc_severity want;
    } cases[] = {
        {16.0f, FC_SEVERITY_OK},    /* past the watch level, within u */
        {17.0f, FC_SEVERITY_WATCH}, /* past it by more than u */
        {26.0f, FC_SEVERITY_WATCH}, /* past the fault level, within u */
        {27.0f, FC_SEVERITY_FAULT},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct fc_analysis a;
        fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_SIDE, 1);
        reps_buf[0].peak[FC_M_TRUNK_SHIN_DIFF] = cases[c].depth;
        reps_buf[0].peak_u[FC_M_TRUNK_SHIN_DIFF] = 1.5f;
        struct fc_grade g;
        cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
        const struct fc_finding *f = finding_of(&g, FC_M_TRUNK_SHIN_DIFF);
        if (cases[c].want == FC_SEVERITY_OK) {
            cr_expect_null(f, "trunk - shin %g +- 1.5: %s", (double)cases[c].depth,
                           f ? f->message : "");
            cr_expect_float_eq(g.reps[0].score, 100.0, 1e-9);
        } else {
            cr_assert_not_null(f, "trunk - shin %g +- 1.5", (double)cases[c].depth);
            cr_expect_eq(f->severity, cases[c].want, "trunk - shin %g", (double)cases[c].depth);
            cr_expect_float_eq(f->uncertainty, 1.5, 1e-6);
            char want[64];
            snprintf(want, sizeof want, "trunk leans %.1f +- 1.5 deg further",
                     (double)cases[c].depth);
            cr_expect_not_null(strstr(f->what, want), "%s", f->what);
            cr_expect_not_null(strstr(f->what, "+- from this video's jitter only"), "%s", f->what);
        }
        fc_grade_free(&g);
    }
}

Test(grade, the_jitter_and_the_methods_sem_add_in_quadrature)
{
    /* Squat FPPA: watch above 13 deg, SEM 2.85 deg (Munro 2012). */
    struct fc_analysis a;
    struct fc_grade g;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 3);
    reps_buf[0].peak[FC_M_KNEE_FPPA_LEFT] = 15.0f; /* 13 + 2 < 13 + 2.85: none */
    reps_buf[1].peak[FC_M_KNEE_FPPA_LEFT] = 16.0f; /* u = 2.85: watch */
    reps_buf[2].peak[FC_M_KNEE_FPPA_LEFT] = 16.0f; /* u = sqrt(1 + 2.85^2) = 3.02: none */
    reps_buf[2].peak_u[FC_M_KNEE_FPPA_LEFT] = 1.0f;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 1u, "%s", g.n_findings ? g.findings[0].message : "");
    const struct fc_finding *f = &g.findings[0];
    cr_expect_eq(f->rep, 1);
    cr_expect_eq(f->severity, FC_SEVERITY_WATCH);
    cr_expect_float_eq(f->uncertainty, 2.85, 1e-9);
    cr_expect_not_null(strstr(f->what, "projection angle 16.0 +- 2.9 deg"), "%s", f->what);
    cr_expect_not_null(strstr(f->what, "+- with the 2-D method's SEM of 2.85 deg"), "%s", f->what);
    cr_expect_float_eq(fc_grade_uncertainty(1.0, 2.85), sqrt(1.0 + 2.85 * 2.85), 1e-12);
    cr_expect_float_eq(fc_grade_uncertainty(NAN, 2.85), 2.85, 1e-12);
    cr_expect_float_eq(fc_grade_peak_u(&g, &reps_buf[2], FC_M_KNEE_FPPA_LEFT),
                       sqrt(1.0 + 2.85 * 2.85), 1e-6);
    cr_expect(isnan(fc_grade_peak_u(&g, &reps_buf[2], FC_M_KNEE_FPPA_RIGHT)), "no peak");
    cr_expect_float_eq(fc_grade_peak_u(NULL, &reps_buf[2], FC_M_KNEE_FPPA_LEFT), 1.0, 1e-6);
    fc_grade_free(&g);
}

Test(grade, below_and_abs_levels_take_the_uncertainty_the_bad_way)
{
    /* Knee-to-ankle separation, watch below 90%: value + u < 90. Lateral
     * shift, watch beyond +-10%: |value| - u > 10. u = 3 (jitter alone). */
    struct fc_analysis a;
    struct fc_grade g;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 2);
    reps_buf[0].peak[FC_M_KNEE_ANKLE_SEP] = 88.0f;
    reps_buf[1].peak[FC_M_KNEE_ANKLE_SEP] = 86.0f;
    reps_buf[0].peak[FC_M_LATERAL_SHIFT] = -12.0f;
    reps_buf[1].peak[FC_M_LATERAL_SHIFT] = -14.0f;
    for (int i = 0; i < 2; i++)
        reps_buf[i].peak_u[FC_M_KNEE_ANKLE_SEP] = reps_buf[i].peak_u[FC_M_LATERAL_SHIFT] = 3.0f;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.n_findings, 2u, "%s", g.n_findings ? g.findings[0].message : "");
    for (size_t i = 0; i < g.n_findings; i++) {
        cr_expect_eq(g.findings[i].rep, 1, "%s", g.findings[i].message);
        cr_expect_eq(g.findings[i].severity, FC_SEVERITY_WATCH);
    }
    fc_grade_free(&g);
}

Test(grade, the_bodys_turn_adds_its_error_and_past_its_limit_a_caveat)
{
    /* Squat lateral shift: fault beyond 20% of the hip width. A body turned
     * psi from the camera adds turn_err_per_sin x sin psi (95% per unit:
     * the hips' backward travel seen sideways; a median absolute error,
     * 1.4826 x that as a standard uncertainty, the normal distribution's
     * ratio) in quadrature: 28% is a fault square to the camera and at 3
     * deg (u = 7.37: 28 - 7.37 > 20), none at 10 deg (u = 24.5: 3.5 is not
     * past the watch level of 10). */
    const double psi[3] = {0, 3, 10};
    const int faults[3] = {1, 1, 0};
    for (int q = 0; q < 3; q++) {
        struct fc_analysis a;
        struct fc_grade g;
        fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 3);
        a.body_yaw_deg = (float)psi[q];
        set_all(3, FC_M_LATERAL_SHIFT, 28.0f);
        cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
        double want_u = 1.4826 * fc_metric_info(FC_M_LATERAL_SHIFT)->turn_err_per_sin *
                        sin(psi[q] * FC_RAD_PER_DEG);
        cr_expect_float_eq(g.turn_u[FC_M_LATERAL_SHIFT], want_u, 1e-4);
        cr_expect_float_eq(fc_grade_peak_u(&g, &reps_buf[0], FC_M_LATERAL_SHIFT), want_u, 1e-4);
        cr_expect_eq(count_metric(&g, FC_M_LATERAL_SHIFT), faults[q] ? 3u : 0u, "psi %.0f", psi[q]);
        if (q == 1)
            cr_expect_not_null(strstr(g.findings[0].what, "for the body's turn"), "%s",
                               g.findings[0].what);
        fc_grade_free(&g);
    }
    /* From the side the angle off the sagittal plane is 90 deg - yaw: at 60
     * deg of yaw the arm measure gains 1.4826 x 14 x sin 30 deg = 10.4 deg; a frontal
     * measure gains nothing from a side view. */
    {
        struct fc_analysis a;
        struct fc_grade g;
        fixture(&a, FC_EXERCISE_OVERHEAD_SQUAT, FC_VIEW_SIDE, 3);
        a.body_yaw_deg = 60.0f;
        cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
        cr_expect_float_eq(g.turn_u[FC_M_ARM_FORWARD],
                           1.4826 * fc_metric_info(FC_M_ARM_FORWARD)->turn_err_per_sin * 0.5, 1e-4);
        cr_expect_eq(g.turn_u[FC_M_LATERAL_SHIFT], 0.0);
        fc_grade_free(&g);
    }
    /* Past the measure's limit the analyzer leaves it unmeasured and
     * flagged; the caveat names the fault and the turn. */
    struct fc_analysis a;
    struct fc_grade g;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 3);
    a.body_yaw_deg = 20.0f;
    a.body_yaw_from_face = 1;
    a.metric[FC_M_LATERAL_SHIFT].measurable = 0;
    a.metric[FC_M_LATERAL_SHIFT].beyond_turn = 1;
    set_all(3, FC_M_KNEE_ANKLE_SEP, 95.0f);
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect_not_null(strstr(g.caveat, "turned about 20 deg from the camera (from the face): "
                                        "lateral shift holds only to 12 deg"),
                       "%s", g.caveat);
    cr_expect_null(strstr(g.caveat, "not seen well enough"), "%s", g.caveat);
    fc_grade_free(&g);
}

Test(grade, knee_flexion_from_the_world_points_is_said_and_carries_the_method_error)
{
    /* A front view whose knee flexion came from the model's 3-D world
     * points: the caveat names the source, and a peak's uncertainty is the
     * jitter (3 deg) and the method's 4.5 deg in quadrature, 5.41 deg. */
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 3);
    set_all(3, FC_M_KNEE_FLEXION_LEFT, 95.0f);
    reps_buf[1].peak_u[FC_M_KNEE_FLEXION_LEFT] = 3.0f;
    for (int s = 0; s < 2; s++) {
        a.metric[FC_M_KNEE_FLEXION_LEFT + s].measurable = 1;
        a.metric[FC_M_KNEE_FLEXION_LEFT + s].frames = 600;
        a.metric[FC_M_KNEE_FLEXION_LEFT + s].from_world = 1;
    }
    struct fc_grade g;
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect(strstr(g.caveat, "3-D estimate"), "%s", g.caveat);
    cr_expect_float_eq(fc_grade_peak_u(&g, &reps_buf[1], FC_M_KNEE_FLEXION_LEFT), hypot(3.0, 4.5),
                       1e-4);
    fc_grade_free(&g);

    /* The same view without world points says nothing of them. */
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_FRONT, 3);
    cr_assert_eq(fc_grade_session(&a, &th, &g, &err), 0, "%s", err.msg);
    cr_expect(!strstr(g.caveat, "3-D estimate"), "%s", g.caveat);
    fc_grade_free(&g);
}
