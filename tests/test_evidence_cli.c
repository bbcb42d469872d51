/* The evidence through the formcheck program on a real clip: analyze
 * --html of a video puts a JPEG still in the page for every rep finding,
 * at the finding's time. The depth levels are raised above any squat in a
 * thresholds file made here, so that every rep of the clip is a finding
 * whatever the analysis measures; the real-data clip is skipped when
 * ../shared/data is absent. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

static char dir[4096];
static char out[16384];

static void setup(void)
{
    fc_test_mkdtemp(dir, sizeof dir);
}

static void teardown(void)
{
    fc_test_rmtree(dir);
}

TestSuite(evidence_cli, .init = setup, .fini = teardown, .timeout = 600);

/* The built-in table with the squat depth levels at 60 / 50 deg ("below
 * is bad"): no squat's thighs reach 50 deg below horizontal, so every rep
 * with a depth peak is a fault. */
static void write_thresholds(const char *path)
{
    char src[4200];
    snprintf(src, sizeof src, "%s/data/thresholds.json", FC_SOURCE_DIR);
    char *text = fc_test_read_file(src, NULL);
    cr_assert_not_null(text, "%s", src);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(doc);
    cJSON *t, *found = NULL;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(doc, "thresholds"))
    {
        cJSON *id = cJSON_GetObjectItem(t, "id");
        if (cJSON_IsString(id) && strcmp(id->valuestring, "depth_squat") == 0)
            found = t;
    }
    cr_assert_not_null(found, "no depth_squat entry");
    cJSON *levels = cJSON_GetObjectItem(found, "levels");
    cJSON_ReplaceItemInObject(levels, "watch", cJSON_CreateNumber(60));
    cJSON_ReplaceItemInObject(levels, "fault", cJSON_CreateNumber(50));
    char *s = cJSON_Print(doc);
    fc_test_write_file(path, s, strlen(s));
    free(s);
    cJSON_Delete(doc);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

Test(evidence_cli, video_report_has_a_still_per_rep_finding)
{
    char clip[4200];
    if (fc_test_data_path(clip, sizeof clip,
                          "videos/pexels-gabby-k-6980032_side_bodyweight_squat.mp4") < 0)
        cr_skip("no real data");
    char th[4200], html[4200], json[4200];
    snprintf(th, sizeof th, "%s/deep.json", dir);
    snprintf(html, sizeof html, "%s/report.html", dir);
    snprintf(json, sizeof json, "%s/report.json", dir);
    write_thresholds(th);
    const char *argv[] = {"analyze", "-q", "--model", "lightning", "--thresholds", th,
                          "--html",  html, "--json",  json,        clip,           NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, json);

    char *js = fc_test_read_file(json, NULL);
    cJSON *doc = cJSON_Parse(js);
    free(js);
    cr_assert_not_null(doc);
    char *page = fc_test_read_file(html, NULL);
    cr_assert_not_null(page);
    size_t rep_findings = 0, i = 0;
    cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "findings"))
    {
        i++;
        cJSON *rep = cJSON_GetObjectItem(f, "rep");
        if (!cJSON_IsNumber(rep))
            continue;
        rep_findings++;
        /* Its figure: the rep numbered from 1, the frame nearest its time
         * (the clip runs at 30 fps, so within half a frame). */
        char id[64];
        snprintf(id, sizeof id, "<figure id=\"evidence-%zu\"", i);
        const char *fig = strstr(page, id);
        cr_assert_not_null(fig, "finding %zu has no figure", i);
        int rep1;
        double t;
        cr_assert_eq(sscanf(fig + strlen(id), " data-rep=\"%d\" data-t=\"%lf\"", &rep1, &t), 2);
        cr_assert_eq(rep1, rep->valueint + 1);
        double t_json = cJSON_GetObjectItem(f, "t_s")->valuedouble;
        cr_assert_float_eq(t, t_json, 0.5 / 30 + 1e-3, "figure at %.3f s, finding at %.3f s", t,
                           t_json);
        /* a JPEG (base64 of FF D8 FF begins "/9j/") in this figure */
        const char *img = strstr(fig, "src=\"data:image/jpeg;base64,/9j/");
        const char *end = strstr(fig, "</figure>");
        cr_assert(img && end && img < end, "finding %zu: no JPEG still", i);
    }
    cr_assert_geq(rep_findings, 2, "the clip's reps were not all findings: %s", out);
    cr_assert_eq(count(page, "<figure id=\"evidence-"), rep_findings);
    cr_assert_eq(count(page, "data:image/jpeg;base64,"), rep_findings);
    free(page);
    cJSON_Delete(doc);
}
