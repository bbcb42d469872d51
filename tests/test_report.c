/* The four report forms of a hand-built analysis: JSON read back with cJSON,
 * the per-frame CSV, the self-contained HTML page and the text summary; and
 * that every file is written atomically. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/json.h"
#include "report/report.h"
#include "support/testutil.h"

/* ---- fixtures ---------------------------------------------------------- */

#define N_REPS 3
#define RATE_HZ 30.0
#define PI 3.14159265358979323846

static struct fc_rep reps_buf[N_REPS];
static struct fc_analysis an;
static struct fc_frame_metrics *frames;
static size_t n_frames;
static struct fc_thresholds th;
static struct fc_grade grade;
static struct fc_report rep;
static struct fc_error err;
static char dir[512];

static int measurable_in(enum fc_metric m, enum fc_view v)
{
    enum fc_metric_plane p = fc_metric_info(m)->plane;
    return (p == FC_PLANE_FRONTAL && v == FC_VIEW_FRONT) ||
           (p == FC_PLANE_SAGITTAL && v == FC_VIEW_SIDE);
}

/* A front-view squat of n frames at 30 Hz: three reps, the left knee FPPA a
 * smooth curve peaking at 20 deg in rep 2 (a fault) and missing for frames
 * 40..49 (a gap); every frontal metric has values, the sagittal ones none. */
static void build(size_t n)
{
    memset(&an, 0, sizeof an);
    memset(reps_buf, 0, sizeof reps_buf);
    an.exercise = FC_EXERCISE_SQUAT;
    an.view = an.view_detected = FC_VIEW_FRONT;
    an.view_confidence = 0.87f;
    an.camera_roll_deg = 1.5;
    an.roll_estimate_deg = 1.5;
    an.has_baseline = 1;
    an.last_rep_cut = 1;
    an.frames = n;
    an.frames_tracked = n - 10;
    an.duration_s = (double)(n - 1) / RATE_HZ;
    an.asymmetry_fppa_deg = 4.0f;
    an.asymmetry_knee_flexion_deg = NAN;
    an.asymmetry_hip_drop_deg = NAN;
    n_frames = n;
    frames = calloc(n, sizeof *frames);
    cr_assert_not_null(frames);
    double rep_len = (double)n / RATE_HZ / (N_REPS + 1);
    for (int i = 0; i < N_REPS; i++) {
        struct fc_rep *r = &reps_buf[i];
        r->index = i;
        r->side = -1;
        r->t_start_s = rep_len * (i + 0.5);
        r->t_end_s = r->t_start_s + rep_len * 0.8;
        r->t_bottom_s = (r->t_start_s + r->t_end_s) / 2;
        r->tracked_fraction = 1.0f;
        for (int m = 0; m < FC_METRIC_COUNT; m++) {
            r->peak[m] = r->at_bottom[m] = NAN;
            r->t_peak_s[m] = r->t_bottom_s;
        }
        r->peak[FC_M_KNEE_FPPA_LEFT] = i == 1 ? 20.0f : 8.0f;
        r->peak[FC_M_KNEE_FPPA_RIGHT] = 6.0f;
        r->peak[FC_M_PELVIC_OBLIQUITY] = 1.0f;
        r->peak[FC_M_TRUNK_LEAN_LATERAL] = 1.0f;
        /* measurable, but NaN: never measured in this rep -> null */
        r->peak[FC_M_LATERAL_SHIFT] = NAN;
    }
    an.n_reps = an.n_reps_detailed = N_REPS;
    an.reps = reps_buf;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        an.metric[m].measurable = measurable_in(m, an.view);
        an.metric[m].frames = an.metric[m].measurable ? (long)n : 0;
        an.metric[m].mean_peak = an.metric[m].measurable ? 5.0f : NAN;
        an.metric[m].sd_peak = an.metric[m].measurable ? 1.0f : NAN;
        an.metric[m].max_peak = an.metric[m].measurable ? 20.0f : NAN;
        an.metric[m].reps = an.metric[m].measurable ? N_REPS : 0;
        an.metric[m].frame_mean = an.metric[m].measurable ? 1.0f : NAN;
        an.metric[m].frame_min = an.metric[m].measurable ? -2.0f : NAN;
        an.metric[m].frame_max = an.metric[m].measurable ? 20.0f : NAN;
    }
    for (size_t i = 0; i < n; i++) {
        struct fc_frame_metrics *f = &frames[i];
        f->t_s = (double)i / RATE_HZ;
        f->rep = -1;
        for (int k = 0; k < N_REPS; k++)
            if (f->t_s >= reps_buf[k].t_start_s && f->t_s <= reps_buf[k].t_end_s)
                f->rep = k;
        f->tracked = !(i >= 40 && i < 50);
        for (int m = 0; m < FC_METRIC_COUNT; m++)
            f->value[m] = an.metric[m].measurable ? (float)(2.0 * sin(f->t_s + m)) : NAN;
        double phase = f->rep >= 0 ? sin(PI * (f->t_s - reps_buf[f->rep].t_start_s) /
                                         (reps_buf[f->rep].t_end_s - reps_buf[f->rep].t_start_s))
                                   : 0.0;
        f->value[FC_M_KNEE_FPPA_LEFT] = (float)((f->rep == 1 ? 20.0 : 8.0) * phase * phase);
        if (i >= 40 && i < 50)
            f->value[FC_M_KNEE_FPPA_LEFT] = NAN;
    }
    an.n_low_confidence = 1;
    an.low_confidence[0] = (struct fc_low_confidence){40 / RATE_HZ, 50 / RATE_HZ};

    cr_assert_eq(fc_grade_session(&an, &th, &grade, &err), 0, "%s", err.msg);
    rep = (struct fc_report){
        .input_path = "squat.mov",
        .input_kind = "video",
        .skeleton = "coco17",
        .analysis = &an,
        .grade = &grade,
        .thresholds = &th,
        .frames = frames,
        .n_frames = n,
    };
}

static void setup(void)
{
    memset(&err, 0, sizeof err);
    cr_assert_eq(fc_thresholds_load(NULL, &th, &err), 0, "%s", err.msg);
    fc_test_mkdtemp(dir, sizeof dir);
    build(300);
}

static void teardown(void)
{
    fc_grade_free(&grade);
    fc_thresholds_free(&th);
    free(frames);
    frames = NULL;
    fc_test_rmtree(dir);
}

static char *write_and_read(int (*fn)(const char *, const struct fc_report *, struct fc_error *),
                            const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    cr_assert_eq(fn(path, &rep, &err), 0, "%s", err.msg);
    char *text = fc_test_read_file(path, NULL);
    cr_assert_not_null(text);
    return text;
}

static size_t count(const char *hay, const char *needle, const char *end)
{
    size_t n = 0, l = strlen(needle);
    for (const char *p = strstr(hay, needle); p && (!end || p < end); p = strstr(p + l, needle))
        n++;
    return n;
}

TestSuite(report, .init = setup, .fini = teardown);

/* ---- JSON -------------------------------------------------------------- */

Test(report, json_reads_back_with_the_schema_reps_and_findings)
{
    char path[600];
    char *text = write_and_read(fc_report_json, "r.json", path, sizeof path);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, path);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "not JSON");
    cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
    cr_assert(cJSON_IsNumber(v));
    cr_expect_eq(v->valueint, FC_REPORT_SCHEMA_VERSION);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(root, "formcheck_version")->valuestring,
                     FC_VERSION);
    cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "input");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(in, "path")->valuestring, "squat.mov");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(in, "skeleton")->valuestring, "coco17");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(root, "exercise")->valuestring, "squat");
    cJSON *view = cJSON_GetObjectItemCaseSensitive(root, "view");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(view, "used")->valuestring, "front");
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(view, "from_user")));
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(root, "camera_roll_deg")->valuedouble, 1.5,
                       1e-9);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "camera_roll_assumed")));
    cr_expect_float_eq(
        cJSON_GetObjectItemCaseSensitive(root, "camera_roll_estimate_deg")->valuedouble, 1.5, 1e-9);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "no_standing")));
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "last_rep_cut")));
    /* not a video: no input.video */
    cr_expect_null(cJSON_GetObjectItemCaseSensitive(in, "video"));

    cJSON *g = cJSON_GetObjectItemCaseSensitive(root, "grade");
    cJSON *score = cJSON_GetObjectItemCaseSensitive(g, "score");
    cr_assert(cJSON_IsNumber(score));
    cr_expect_float_eq(score->valuedouble, grade.score, 1e-6);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(g, "band")->valuestring, grade.band);

    cJSON *reps = cJSON_GetObjectItemCaseSensitive(root, "reps");
    cr_assert(cJSON_IsArray(reps));
    cr_assert_eq(cJSON_GetArraySize(reps), N_REPS);
    for (int i = 0; i < N_REPS; i++) {
        cJSON *r = cJSON_GetArrayItem(reps, i);
        cr_expect_eq(cJSON_GetObjectItemCaseSensitive(r, "index")->valueint, i);
        cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r, "side")));
        cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(r, "t_start_s")->valuedouble,
                           reps_buf[i].t_start_s, 1e-9);
        cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(r, "t_end_s")->valuedouble,
                           reps_buf[i].t_end_s, 1e-9);
        cJSON *peaks = cJSON_GetObjectItemCaseSensitive(r, "peaks");
        cr_expect_float_eq(
            cJSON_GetObjectItemCaseSensitive(peaks, "knee_fppa_left_deg")->valuedouble,
            i == 1 ? 20.0 : 8.0, 1e-6);
        /* NaN -> null, never a number */
        cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(peaks, "lateral_shift_pct")));
        cr_expect_null(cJSON_GetObjectItemCaseSensitive(peaks, "depth_deg"),
                       "not measurable: not a peak");
    }
    cJSON *findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    cr_assert(cJSON_IsArray(findings));
    cr_assert_eq(cJSON_GetArraySize(findings), (int)grade.n_findings);
    cr_assert_geq(grade.n_findings, 1u);
    cJSON *f0 = cJSON_GetArrayItem(findings, 0);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(f0, "fault")->valuestring, "knee valgus");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(f0, "metric")->valuestring,
                     "knee_fppa_left_deg");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(f0, "severity")->valuestring, "fault");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(f0, "side")->valuestring, "left");
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(f0, "rep")->valueint, 1);
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(f0, "magnitude")->valuedouble, 20.0, 1e-6);
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(f0, "level")->valuedouble, 16.8, 1e-9);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(f0, "unit")->valuestring, "deg");
    cr_expect_not_null(
        strstr(cJSON_GetObjectItemCaseSensitive(f0, "source")->valuestring, "Herrington"));
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(f0, "message")->valuestring,
                     grade.findings[0].message);
    cr_expect_null(strstr(cJSON_GetObjectItemCaseSensitive(f0, "cause")->valuestring, "{"),
                   "placeholders are filled");

    cJSON *metrics = cJSON_GetObjectItemCaseSensitive(root, "metrics");
    cJSON *depth = cJSON_GetObjectItemCaseSensitive(metrics, "depth_deg");
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(depth, "measurable")));
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(depth, "mean_peak")));
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(depth, "plane")->valuestring, "sagittal");
    cJSON *asym = cJSON_GetObjectItemCaseSensitive(root, "asymmetry");
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(asym, "knee_fppa_deg")->valuedouble, 4.0,
                       1e-6);
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(asym, "hip_drop_deg")));
    cJSON *tr = cJSON_GetObjectItemCaseSensitive(root, "tracking");
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(tr, "frames")->valueint, 300);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(tr, "frames_tracked")->valueint, 290);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(tr, "low_confidence")), 1);
    cJSON_Delete(root);
    free(text);
}

Test(report, json_score_is_null_when_not_graded)
{
    fc_grade_free(&grade);
    an.n_reps = an.n_reps_detailed = 0;
    cr_assert_eq(fc_grade_session(&an, &th, &grade, &err), 0, "%s", err.msg);
    char path[600];
    char *text = write_and_read(fc_report_json, "r.json", path, sizeof path);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, path);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root);
    cJSON *g = cJSON_GetObjectItemCaseSensitive(root, "grade");
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(g, "score")));
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(g, "band")->valuestring, "not graded");
    cr_expect_not_null(
        strstr(cJSON_GetObjectItemCaseSensitive(g, "caveat")->valuestring, "No reps were found"));
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "reps")), 0);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "findings")), 0);
    cJSON_Delete(root);
    free(text);
}

/* A video input: what was decoded and who was followed, as the program
 * filled it in, comes out under input.video; pelvis angles stored in the
 * input, compared, under pelvis_reference. */
Test(report, json_video_source_and_pelvis_reference)
{
    struct fc_source_info v = {
        .width = 1080,
        .height = 1920,
        .codec = "hevc",
        .fps = 29.97,
        .frames_decoded = 400,
        .person_found_fraction = 0.75,
        .pose_model = "MoveNet Thunder",
        .warning = NULL,
        .people = {.looked = 1,
                   .seen = 3,
                   .most_at_once = 2,
                   .followed = 2,
                   .by_point = 1,
                   .first_seen_s = 0.5,
                   .last_seen_s = 12.25},
    };
    rep.video = &v;
    struct fc_pelvis_reference ref = {.label = "LPelvisAngles stored in the file",
                                      .frames_compared = 10,
                                      .rms_deg = {1, 2, 3},
                                      .max_abs_deg = {2, 3, NAN}};
    rep.pelvis_reference = &ref;
    char path[600];
    char *text = write_and_read(fc_report_json, "v.json", path, sizeof path);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, path);
    cJSON *root = cJSON_Parse(text);
    cJSON *vid =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "input"), "video");
    cr_assert_not_null(vid);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(vid, "width")->valueint, 1080);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(vid, "height")->valueint, 1920);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(vid, "codec")->valuestring, "hevc");
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(vid, "fps")->valuedouble, 29.97, 1e-12);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(vid, "frames_decoded")->valueint, 400);
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(vid, "person_found_fraction")->valuedouble,
                       0.75, 1e-12);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(vid, "pose_model")->valuestring,
                     "MoveNet Thunder");
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(vid, "warning")));
    cJSON *pe = cJSON_GetObjectItemCaseSensitive(vid, "people");
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pe, "looked")));
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(pe, "seen")->valueint, 3);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(pe, "most_at_once")->valueint, 2);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(pe, "followed")->valueint, 2);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(pe, "chosen_by")->valuestring, "point");
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(pe, "followed_last_seen_s")->valuedouble,
                       12.25, 1e-12);
    cJSON *pr = cJSON_GetObjectItemCaseSensitive(root, "pelvis_reference");
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(pr, "frames_compared")->valueint, 10);
    cJSON *mx = cJSON_GetObjectItemCaseSensitive(pr, "max_abs_difference_deg");
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(mx, "obliquity")->valuedouble, 3, 1e-12);
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(mx, "rotation")));
    cJSON_Delete(root);
    free(text);

    /* nobody chosen, a warning, nothing decoded: followed is null and says
     * nothing of how or when; the fraction is null, not 0/0 */
    v.people = (struct fc_source_people){.looked = 1, .seen = 1, .most_at_once = 1};
    v.warning = "squat.mov: file is truncated";
    v.frames_decoded = 0;
    v.person_found_fraction = NAN;
    text = write_and_read(fc_report_json, "v2.json", path, sizeof path);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, path);
    root = cJSON_Parse(text);
    vid =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "input"), "video");
    pe = cJSON_GetObjectItemCaseSensitive(vid, "people");
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(pe, "followed")));
    cr_expect_null(cJSON_GetObjectItemCaseSensitive(pe, "chosen_by"));
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(vid, "person_found_fraction")));
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(vid, "warning")->valuestring,
                     "squat.mov: file is truncated");
    cJSON_Delete(root);
    free(text);
}

/* Writes text with the first occurrence of from replaced by to (to NULL:
 * the whole line that holds from removed) and returns the validator's
 * verdict on it. */
static int validate_edited(const char *text, const char *from, const char *to, char *out,
                           size_t outlen)
{
    const char *at = strstr(text, from);
    cr_assert_not_null(at, "'%s' is not in the report", from);
    size_t len = strlen(text);
    char *edited = malloc(len + strlen(to ? to : "") + 1);
    cr_assert_not_null(edited);
    const char *cut_from = at, *cut_to = at + strlen(from);
    if (!to) { /* the whole line (callers pick a field that is not its object's last) */
        while (cut_from > text && cut_from[-1] != '\n')
            cut_from--;
        cut_to = strchr(at, '\n') + 1;
        to = "";
    }
    size_t head = (size_t)(cut_from - text);
    memcpy(edited, text, head);
    strcpy(edited + head, to);
    strcat(edited, cut_to);
    char path[600];
    snprintf(path, sizeof path, "%s/edited.json", dir);
    fc_test_write_file(path, edited, strlen(edited));
    free(edited);
    return fc_test_json_validate(FC_TEST_JSON_REPORT, path, out, outlen);
}

/* The schema is strict enough to be worth checking against: a misnamed, a
 * missing or an extra field, a wrong type, a NaN fail, and say where. */
Test(report, json_schema_catches_a_broken_document)
{
    char path[600], out[4096];
    char *text = write_and_read(fc_report_json, "r.json", path, sizeof path);
    cr_assert_eq(fc_test_json_validate(FC_TEST_JSON_REPORT, path, out, sizeof out), 0, "%s", out);

    cr_expect_eq(validate_edited(text, "\"severity\":", "\"severety\":", out, sizeof out), 1,
                 "misnamed finding field: %s", out);
    cr_expect_not_null(strstr(out, "/findings/0"), "%s", out);
    cr_expect_not_null(strstr(out, "severety"), "%s", out);
    /* "remedies" is not a finding's last field, so the JSON stays valid */
    cr_expect_eq(validate_edited(text, "\"remedies\":", NULL, out, sizeof out), 1,
                 "missing finding field: %s", out);
    cr_expect_not_null(strstr(out, "'remedies' is a required property"), "%s", out);
    cr_expect_eq(validate_edited(text, "\"t_bottom_s\":", NULL, out, sizeof out), 1,
                 "missing rep field: %s", out);
    cr_expect_eq(validate_edited(text, "\"index\":", "\"number\":", out, sizeof out), 1,
                 "misnamed rep field: %s", out);
    cr_expect_eq(validate_edited(text, "\"has_baseline\":", "\"baseline\":", out, sizeof out), 1,
                 "%s", out);
    cr_expect_eq(validate_edited(text, "\"depth_deg\":", "\"depth\":", out, sizeof out), 1,
                 "unknown metric name: %s", out);
    cr_expect_eq(validate_edited(text, "\"schema_version\":\t2", "\"schema_version\":\t\"2\"", out,
                                 sizeof out),
                 1, "a version as a string: %s", out);
    cr_expect_eq(validate_edited(text, "\"camera_roll_deg\":\t1.5", "\"camera_roll_deg\":\tNaN",
                                 out, sizeof out),
                 1, "NaN is not JSON: %s", out);
    free(text);
}

/* A live rep event, built as formcheck live builds it, follows the live
 * schema with the report's finding fields; without its band it does not. */
Test(report, json_live_rep_event_follows_its_schema)
{
    char path[600], out[4096];
    snprintf(path, sizeof path, "%s/events.jsonl", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (int with_band = 1; with_band >= 0; with_band--) {
        const struct fc_rep *r = &an.reps[1]; /* rep 2: a knee valgus fault */
        double score = grade.reps[1].score;
        cJSON *ev = fc_json_event("rep");
        cJSON_AddNumberToObject(ev, "number", 2);
        cJSON_AddNumberToObject(ev, "t_s", r->t_end_s);
        cJSON_AddBoolToObject(ev, "at_end", 0);
        fc_json_add_rep(ev, r->index, r, score, &an, &grade);
        if (with_band)
            cJSON_AddStringToObject(ev, "band", fc_grade_band(score));
        cJSON *findings = fc_json_findings(&grade, r->index);
        cr_assert_geq(cJSON_GetArraySize(findings), 1);
        cJSON_AddItemToObject(ev, "findings", findings);
        char *line = cJSON_PrintUnformatted(ev);
        fprintf(f, "%s\n", line);
        cJSON_free(line);
        cJSON_Delete(ev);
        if (with_band) {
            fflush(f);
            cr_expect_eq(fc_test_json_validate(FC_TEST_JSON_LIVE_EVENTS, path, out, sizeof out), 0,
                         "%s", out);
        }
    }
    fclose(f);
    cr_expect_eq(fc_test_json_validate(FC_TEST_JSON_LIVE_EVENTS, path, out, sizeof out), 1, "%s",
                 out);
    cr_expect_not_null(strstr(out, "events.jsonl:2: /: 'band' is a required property"), "%s", out);
}

/* The shared encoder on its own: a finding has the 19 fields in both
 * outputs, a rep's findings are picked by its index, and a live frame
 * carries its numbers at a millisecond and 0.01. */
Test(report, json_encoder_parts)
{
    cr_assert_gt(grade.n_findings, 0);
    cJSON *f = fc_json_finding(&grade.findings[0]);
    cr_expect_eq(cJSON_GetArraySize(f), 19);
    cJSON_Delete(f);

    /* rep 2 (index 1) peaks at 20 deg: a fault; reps 1 and 3 at 8 deg: none */
    cJSON *all = fc_json_findings(&grade, FC_JSON_EVERY_REP);
    cJSON *rep1 = fc_json_findings(&grade, 1);
    cJSON *rep0 = fc_json_findings(&grade, 0);
    cr_expect_eq(cJSON_GetArraySize(all), (int)grade.n_findings);
    cr_expect_geq(cJSON_GetArraySize(rep1), 1);
    cr_expect_eq(cJSON_GetArraySize(rep0), 0);
    cJSON *item;
    cJSON_ArrayForEach(item, rep1)
        cr_expect_eq(cJSON_GetObjectItemCaseSensitive(item, "rep")->valueint, 1);
    cJSON_Delete(all);
    cJSON_Delete(rep1);
    cJSON_Delete(rep0);

    struct fc_frame_metrics m;
    memset(&m, 0, sizeof m);
    for (int k = 0; k < FC_METRIC_COUNT; k++)
        m.value[k] = NAN;
    m.t_s = 1.23456;
    m.rep = -1;
    m.tracked = 1;
    m.value[FC_M_HIP_DROP] = 7.125f; /* exact in binary: rounds half away from zero */
    m.value[FC_M_DEPTH] = -12.3456f;
    cJSON *o = fc_json_event("frame");
    fc_json_add_frame(o, &m);
    char *line = cJSON_PrintUnformatted(o);
    cr_expect_str_eq(line, "{\"event\":\"frame\",\"schema_version\":2,\"t_s\":1.235,\"rep\":null,"
                           "\"tracked\":true,\"metrics\":{\"hip_drop_deg\":7.13,"
                           "\"depth_deg\":-12.35}}");
    cJSON_free(line);
    cJSON_Delete(o);
}

/* ---- CSV --------------------------------------------------------------- */

Test(report, csv_has_a_row_per_frame_and_empty_cells_for_gaps)
{
    char path[600];
    char *text = write_and_read(fc_report_csv, "r.csv", path, sizeof path);
    char header[2048] = "t_s,rep,tracked";
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        strcat(header, ",");
        strcat(header, fc_metric_info(m)->name);
    }
    strcat(header, "\n");
    cr_assert_eq(strncmp(text, header, strlen(header)), 0, "header: %.300s", text);
    cr_expect_eq(count(text, "\n", NULL), n_frames + 1);

    /* every row has the header's number of cells */
    int fppa_col = 3 + FC_M_KNEE_FPPA_LEFT, depth_col = 3 + FC_M_DEPTH;
    const char *line = strchr(text, '\n') + 1;
    for (size_t i = 0; i < n_frames; i++) {
        const char *eol = strchr(line, '\n');
        cr_assert_not_null(eol);
        char row[2048];
        size_t len = (size_t)(eol - line);
        cr_assert_lt(len, sizeof row);
        memcpy(row, line, len);
        row[len] = 0;
        char *cells[64];
        int nc = 0;
        cells[nc++] = row;
        for (char *p = row; *p && nc < 64; p++)
            if (*p == ',') {
                *p = 0;
                cells[nc++] = p + 1;
            }
        cr_assert_eq(nc, 3 + FC_METRIC_COUNT, "row %zu: %s", i, row);
        cr_expect_float_eq(strtod(cells[0], NULL), frames[i].t_s, 1e-6);
        if (frames[i].rep < 0)
            cr_expect_str_eq(cells[1], "", "row %zu: between reps", i);
        else
            cr_expect_eq(atoi(cells[1]), frames[i].rep);
        cr_expect_str_eq(cells[2], frames[i].tracked ? "1" : "0");
        cr_expect_str_eq(cells[depth_col], "", "not measurable: empty");
        if (i >= 40 && i < 50)
            cr_expect_str_eq(cells[fppa_col], "", "row %zu: a gap is empty", i);
        else
            cr_expect_float_eq(strtod(cells[fppa_col], NULL), frames[i].value[FC_M_KNEE_FPPA_LEFT],
                               1e-3);
        line = eol + 1;
    }
    free(text);
}

/* ---- HTML -------------------------------------------------------------- */

static size_t measurable_count(void)
{
    size_t n = 0;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        n += an.metric[m].measurable != 0;
    return n;
}

/* The text of one metric's <figure>. */
static const char *figure(const char *html, const char *metric, const char **end)
{
    char key[128];
    snprintf(key, sizeof key, "<figure id=\"plot-%s\"", metric);
    const char *p = strstr(html, key);
    cr_assert_not_null(p, "no plot for %s", metric);
    *end = strstr(p, "</figure>");
    cr_assert_not_null(*end);
    return p;
}

Test(report, html_is_self_contained_with_one_svg_per_measurable_metric)
{
    char path[600];
    char *html = write_and_read(fc_report_html, "r.html", path, sizeof path);
    cr_expect_eq(strncmp(html, "<!DOCTYPE html>", 15), 0);
    cr_expect_null(strstr(html, "http://"), "refers to the network");
    cr_expect_null(strstr(html, "https://"), "refers to the network");
    cr_expect_null(strstr(html, "<script src"));
    cr_expect_null(strstr(html, "<link"));
    cr_expect_null(strstr(html, "<img"));
    cr_expect_null(strstr(html, "@import"));
    cr_expect_null(strstr(html, "url("));
    cr_expect_eq(count(html, "<svg", NULL), measurable_count());
    cr_expect_eq(count(html, "</svg>", NULL), measurable_count());
    cr_expect_not_null(strstr(html, "<style>"));
    cr_expect_not_null(strstr(html, "</html>"));
    /* grade badge, findings, reps table, sources footer */
    char badge[64];
    snprintf(badge, sizeof badge, "<span class=\"score\">%.0f</span>", grade.score);
    cr_expect_not_null(strstr(html, badge), "no badge %s", badge);
    cr_expect_not_null(strstr(html, "knee caves inward"));
    cr_expect_not_null(strstr(html, "<table>"));
    cr_expect_not_null(strstr(html, "Herrington L, Munro A."));
    cr_expect_not_null(strstr(html, "Not measurable from this recording (view front)"));
    cr_expect_not_null(strstr(html, "depth_deg"));
    free(html);
}

Test(report, html_gaps_break_the_line_and_levels_are_drawn)
{
    char path[600];
    char *html = write_and_read(fc_report_html, "r.html", path, sizeof path);
    const char *end;
    const char *fig = figure(html, "knee_fppa_left_deg", &end);
    /* frames 40..49 are missing: two separate lines, never one across the gap */
    cr_expect_eq(count(fig, "<polyline", end), 2u);
    /* a series without gaps is one line */
    const char *end2;
    const char *fig2 = figure(html, "knee_fppa_right_deg", &end2);
    cr_expect_eq(count(fig2, "<polyline", end2), 1u);
    /* squat FPPA levels: watch 13, fault 16.8 (valgus; varus is not graded
     * in two-legged squats) */
    cr_expect_eq(count(fig, "class=\"lvl watch\"", end), 1u);
    cr_expect_eq(count(fig, "class=\"lvl fault\"", end), 1u);
    cr_expect_lt((const void *)strstr(fig, "watch 13 deg"), (const void *)end);
    cr_expect_lt((const void *)strstr(fig, "fault 16.8 deg"), (const void *)end);
    cr_expect_not_null(strstr(fig, "stroke-dasharray") ? fig : strstr(html, ".lvl{"),
                       "levels are dashed");
    /* reps shaded and numbered; the fault marked */
    cr_expect_eq(count(fig, "<rect class=\"rep\"", end), (size_t)N_REPS);
    cr_expect_eq(count(fig, "<circle class=\"mark fault\"", end), 1u);
    /* with a bar of +- its uncertainty (here the 2-D FPPA's SEM) */
    cr_expect_eq(count(fig, "<line class=\"ubar fault\"", end), 1u);
    /* abs thresholds draw both signs */
    const char *end3;
    const char *fig3 = figure(html, "pelvic_obliquity_deg", &end3);
    cr_expect_eq(count(fig3, "class=\"lvl watch\"", end3), 2u);
    cr_expect_eq(count(fig3, "class=\"lvl fault\"", end3), 2u);
    free(html);
}

Test(report, html_escapes_text)
{
    rep.input_path = "clip<&>'\".mov";
    char path[600];
    char *html = write_and_read(fc_report_html, "r.html", path, sizeof path);
    cr_expect_not_null(strstr(html, "clip&lt;&amp;&gt;&#39;&quot;.mov"));
    cr_expect_null(strstr(html, "clip<"));
    cr_expect_null(strstr(html, "<&>"));
    free(html);
}

Test(report, html_of_a_long_session_is_decimated_but_keeps_peaks)
{
    free(frames);
    fc_grade_free(&grade);
    build(100000); /* 55 minutes at 30 Hz */
    for (size_t i = 0; i < n_frames; i++)
        frames[i].value[FC_M_KNEE_FPPA_RIGHT] = (float)(5.0 + 3.0 * sin(frames[i].t_s * 3.0));
    frames[55555].value[FC_M_KNEE_FPPA_RIGHT] = 50.0f; /* one spike */
    char path[600];
    size_t len = 0;
    char *html = write_and_read(fc_report_html, "long.html", path, sizeof path);
    len = strlen(html);
    cr_expect_lt(len, 2u * 1024 * 1024, "%zu bytes", len);
    const char *end;
    const char *fig = figure(html, "knee_fppa_right_deg", &end);
    const char *pts = strstr(fig, "points=\"");
    cr_assert_not_null(pts);
    pts += 8;
    size_t n = 0;
    double min_y = 1e9;
    for (const char *p = pts; *p && *p != '"';) {
        double x, y;
        int used;
        if (sscanf(p, "%lf,%lf%n", &x, &y, &used) != 2)
            break;
        min_y = fmin(min_y, y);
        n++;
        p += used;
        while (*p == ' ')
            p++;
    }
    cr_expect_leq(n, 2100u, "%zu points", n);
    cr_expect_gt(n, 500u);
    /* the spike is the top of the plot: y near the top margin, far above
     * the rest of the series (which stays within 2..8 deg) */
    cr_expect_lt(min_y, 60.0, "the 50 deg spike was lost (min y %.1f)", min_y);
    free(html);
}

/* ---- atomic writes ----------------------------------------------------- */

Test(report, an_unwritable_path_is_an_error_and_leaves_no_file)
{
    int (*fns[3])(const char *, const struct fc_report *,
                  struct fc_error *) = {fc_report_json, fc_report_csv, fc_report_html};
    for (int i = 0; i < 3; i++) {
        memset(&err, 0, sizeof err);
        char path[700];
        snprintf(path, sizeof path, "%s/no-such-dir/out.%d", dir, i);
        cr_expect_eq(fns[i](path, &rep, &err), FC_ERR_IO);
        cr_expect_not_null(strstr(err.msg, path), "%s", err.msg);
        cr_expect_not(fc_test_file_exists(path));
    }
    cr_expect_eq(fc_test_dir_count(dir), 0, "nothing left behind");
    /* successful writes leave exactly the outputs, no temporaries */
    char path[700];
    snprintf(path, sizeof path, "%s/a.json", dir);
    cr_assert_eq(fc_report_json(path, &rep, &err), 0, "%s", err.msg);
    snprintf(path, sizeof path, "%s/a.csv", dir);
    cr_assert_eq(fc_report_csv(path, &rep, &err), 0, "%s", err.msg);
    snprintf(path, sizeof path, "%s/a.html", dir);
    cr_assert_eq(fc_report_html(path, &rep, &err), 0, "%s", err.msg);
    cr_expect_eq(fc_test_dir_count(dir), 3);
}

/* ---- text -------------------------------------------------------------- */

static char *text_report(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    fc_report_text(f, &rep);
    fclose(f);
    return buf;
}

/* The text with every run of blanks and line breaks made one space, so that
 * phrases can be found wherever the report wrapped them. */
static char *flatten(const char *t)
{
    char *f = malloc(strlen(t) + 1), *o = f;
    for (const char *p = t; *p; p++) {
        if (*p == ' ' || *p == '\n') {
            if (o == f || o[-1] != ' ')
                *o++ = ' ';
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return f;
}

Test(report, text_has_grade_reps_findings_and_what_is_not_measurable)
{
    char *raw = text_report(), *t = flatten(raw);
    char line[64];
    snprintf(line, sizeof line, "\ngrade: %.0f/100, %s\n", grade.score, grade.band);
    cr_expect_not_null(strstr(raw, line), "%s", raw);
    cr_expect_not_null(strstr(raw, "\ncaveat: "), "%s", raw);
    cr_expect_not_null(strstr(t, "film from the side"), "%s", raw);
    cr_expect_not_null(strstr(t, "reps (times in s"), "%s", raw);
    cr_expect_not_null(strstr(t, "fppa_L = knee_fppa_left_deg (deg)"), "%s", raw);
    cr_expect_not_null(strstr(t, "FAULT rep 2: left knee caves inward"), "%s", raw);
    cr_expect_not_null(strstr(raw, "not measurable from this recording (view front):"), "%s", raw);
    cr_expect_not_null(strstr(raw, "  needs a side view: hip_flexion_left_deg, "), "%s", raw);
    cr_expect_not_null(strstr(t, "depth_deg"), "%s", raw);
    cr_expect_not_null(strstr(t, "needs marker-based motion capture: pelvis_tilt_deg, "
                                 "pelvis_obliquity_deg, pelvis_rotation_deg"),
                       "%s", raw);
    cr_expect_not_null(strstr(raw, "measurements (rep peaks"), "%s", raw);
    cr_expect_not_null(strstr(t, "low confidence at 1.3-1.7 s"), "%s", raw);
    cr_expect_not_null(strstr(t, "not a diagnosis"), "%s", raw);
    /* the caveat comes before the reps and findings */
    cr_expect_lt((void *)strstr(raw, "caveat: "), (void *)strstr(raw, "reps (times"));
    for (const char *p = raw; *p;) { /* 100 columns */
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        cr_expect_leq(len, 100u, "long line: %.*s", (int)len, p);
        p += len + (eol ? 1 : 0);
    }
    free(t);
    free(raw);
}

Test(report, text_of_an_ungraded_session_says_so_first)
{
    fc_grade_free(&grade);
    an.frames_tracked = 100; /* of 300 */
    an.n_reps = an.n_reps_detailed = 0;
    cr_assert_eq(fc_grade_session(&an, &th, &grade, &err), 0, "%s", err.msg);
    char *raw = text_report(), *t = flatten(raw);
    cr_expect_not_null(strstr(raw, "grade: not graded\ncaveat: "), "%s", raw);
    cr_expect_not_null(strstr(t, "Tracking was poor"), "%s", raw);
    cr_expect_not_null(strstr(t, "No reps were found"), "%s", raw);
    cr_expect_null(strstr(t, "findings ("), "no findings section when not graded");
    free(t);
    free(raw);
}
