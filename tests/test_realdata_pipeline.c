/* Real-data tier, end to end: every recording in ../shared/data/videos goes
 * once through the formcheck program (decode, MoveNet Thunder, analysis,
 * grading) with the exercise MANIFEST.md names, and the report must agree
 * with what MANIFEST.md says was read off the clip by eye: the view, the
 * number of reps (or steps), the exerciser followed throughout on the clips
 * with a second person, a plausible camera roll (real phone clips are near
 * level), and on the occluded barbell clip low-confidence stretches instead
 * of a grade. A table per clip goes to stderr: reps, view, person-found
 * fraction, roll, low-confidence stretches and the top finding.
 *
 * Counting rule pinned here: a rep counts when its bottom was reached, also
 * when the clip ends while the subject rises from it (the 5 fps band squat:
 * 3 reps, the third still rising at the end) or opens at it (the side-view
 * squat opens at the bottom of one); a rep the clip ends in on the way down
 * counts but is not graded.
 *
 * Skips itself without the data folder or the provisioned pose model. About
 * 2900 frames at ~45 ms each with Thunder: 2-4 minutes in all. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

/* Views a clip may be detected as (bits of 1 << enum fc_view's order is not
 * assumed: names are compared). */
#define V_FRONT 1
#define V_SIDE 2
#define V_OBLIQUE 4

struct clip {
    const char *file;
    const char *exercise; /* as MANIFEST.md names it; NULL: auto (not a formcheck exercise) */
    int views;            /* acceptable detected views */
    int reps_min, reps_max;
    int second_person;   /* 1: the exerciser must be followed throughout */
    int expect_low_conf; /* 1: low-confidence stretches expected, and no grade */
};

/* From MANIFEST.md: reps "about" N are allowed +-1. */
static const struct clip clips[] = {
    /* about 4 reps: the clip opens at the bottom of one and ends on the
     * way down into another, so 3 bottoms are in view */
    {"pexels-gabby-k-6980032_side_bodyweight_squat.mp4", "squat", V_SIDE, 3, 5, 1, 0},
    /* walk-out, 1 rep, re-rack; plates occlude the joints */
    {"noquarter_test_squat.mp4", "squat", V_OBLIQUE, 1, 1, 0, 1},
    /* 3 reps, the third still rising at the end */
    {"tfjs_pexels4838220_front_band_squat.mp4", "squat", V_FRONT, 3, 3, 0, 0},
    /* about 4, bottoms near 0.8, 3.6, 6.4, 9.2 s */
    {"pexels5034577_front_wide_squat.mp4", "squat", V_FRONT, 3, 5, 0, 0},
    /* about 1-2 full cycles */
    {"pexels8233047_side_reverse_lunge.mp4", "lunge", V_SIDE, 1, 2, 0, 0},
    {"pexels6525487_side_glute_bridge.mp4", "glute-bridge", V_SIDE, 2, 2, 0, 0},
    /* a half squat held with small pulses: no full reps */
    {"pexels4838146_side_band_squat_2people.mp4", "squat", V_SIDE, 0, 0, 1, 0},
    /* about 4 strides each way: ~8 steps each way */
    {"sports2d_demo4_side_walk.mp4", "gait", V_SIDE, 12, 20, 0, 0},
    /* a woman walks across (~5 s in view: 6-16 steps) while a man jumps on
     * and off a box behind her: she is the most prominent and is followed
     * alone (the man before she enters is nobody) */
    {"sports2d_demo_side_walk_and_box.mp4", "gait", V_SIDE, 6, 16, 1, 0},
    /* single-leg balance and reach, 1 movement: no formcheck exercise */
    {"pose2sim_balancing_cam01_singleleg.mp4", NULL, V_FRONT | V_OBLIQUE, 0, 2, 1, 0},
};

static char dir[4096];

static void setup(void)
{
    fc_test_mkdtemp(dir, sizeof dir);
}

static void teardown(void)
{
    fc_test_rmtree(dir);
}

TestSuite(realdata_pipeline, .init = setup, .fini = teardown, .timeout = 560);

/* The Thunder model where pose/movenet.c looks for it. */
static int model_present(void)
{
    const char *models = getenv("FORMCHECK_MODELS");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char path[4200];
    if (models && *models)
        snprintf(path, sizeof path, "%s/movenet-thunder-opencv.onnx", models);
    else if (xdg && *xdg)
        snprintf(path, sizeof path, "%s/formcheck/models/movenet-thunder-opencv.onnx", xdg);
    else
        snprintf(path, sizeof path, "%s/.cache/formcheck/models/movenet-thunder-opencv.onnx",
                 home ? home : "");
    return fc_test_file_exists(path);
}

static int view_bit(const char *name)
{
    return !name                          ? 0
           : strcmp(name, "front") == 0   ? V_FRONT
           : strcmp(name, "side") == 0    ? V_SIDE
           : strcmp(name, "oblique") == 0 ? V_OBLIQUE
                                          : 0;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Where the tracked body jumps from one frame with both hips seen to the
 * next by more than 1.5 torso lengths (the clip's median mid-hip to
 * mid-shoulder), plus what a walker covers over any unseen frames between:
 * the pose stage went from one person to another. Reads the
 * keypoint CSV the run wrote; fills up to max times and returns how many
 * jumps there were. */
#define JUMP_TORSO 1.5
#define JUMP_SPEED 4.0 /* torso lengths per second */
#define JUMP_GAP_S 1.0
#define SEEN 0.3
#define MAX_FRAMES 4096
/* Where the tracked mid-hip was first and last seen. */
struct hip_ends {
    double first_t, first_x, last_t, last_x;
};

static int person_switches(const char *csv, double *at, int max, struct hip_ends *ends)
{
    FILE *f = fopen(csv, "r");
    cr_assert_not_null(f, "%s", csv);
    static char line[16384];
    static double t[MAX_FRAMES], hx[MAX_FRAMES], hy[MAX_FRAMES], torso[MAX_FRAMES];
    int nf = 0, nt = 0;
    while (fgets(line, sizeof line, f) && nf < MAX_FRAMES) {
        if (line[0] == '#' || line[0] == 't')
            continue;
        double v[1 + 17 * 3];
        int k = 0;
        char *p = line;
        while (k < 1 + 17 * 3) {
            char *end;
            v[k++] = strtod(p, &end);
            if (*end != ',')
                break;
            p = end + 1;
        }
        if (k < 1 + 17 * 3)
            continue;
        /* COCO order: shoulders 5, 6; hips 11, 12; x, y, score each. */
        const double *ls = &v[1 + 5 * 3], *rs = &v[1 + 6 * 3];
        const double *lh = &v[1 + 11 * 3], *rh = &v[1 + 12 * 3];
        t[nf] = v[0];
        hx[nf] = hy[nf] = NAN;
        if (lh[2] >= SEEN && rh[2] >= SEEN) {
            hx[nf] = 0.5 * (lh[0] + rh[0]);
            hy[nf] = 0.5 * (lh[1] + rh[1]);
            if (ls[2] >= SEEN && rs[2] >= SEEN)
                torso[nt++] = hypot(0.5 * (ls[0] + rs[0]) - hx[nf], 0.5 * (ls[1] + rs[1]) - hy[nf]);
        }
        nf++;
    }
    fclose(f);
    cr_assert_gt(nt, 0, "%s: no torso seen in any frame", csv);
    /* the median torso by partial selection sort is plenty for a few
     * hundred frames */
    for (int i = 0; i <= nt / 2; i++)
        for (int j = i + 1; j < nt; j++)
            if (torso[j] < torso[i]) {
                double x = torso[i];
                torso[i] = torso[j];
                torso[j] = x;
            }
    double tl = torso[nt / 2];
    int n = 0, prev = -1;
    for (int i = 0; i < nf; i++) {
        if (isnan(hx[i]))
            continue;
        if (prev < 0)
            ends->first_t = t[i], ends->first_x = hx[i];
        ends->last_t = t[i], ends->last_x = hx[i];
        /* Across a gap of unseen frames (up to 1 s) the body may have
         * moved: a walker covers about 4 torso lengths a second. */
        double dt = prev >= 0 ? t[i] - t[prev] : INFINITY;
        if (dt <= JUMP_GAP_S &&
            hypot(hx[i] - hx[prev], hy[i] - hy[prev]) > (JUMP_TORSO + JUMP_SPEED * dt) * tl) {
            if (n < max)
                at[n] = t[i];
            n++;
        }
        prev = i;
    }
    return n;
}

/* Analyses the clip (with --person when person is not NULL), checks what
 * every clip must satisfy and what its row in the table says, and returns
 * where the analysed person's hips were first and last seen. */
static void check_clip_as(const struct clip *c, const char *person, struct hip_ends *ends)
{
    char video[4096], rel[512];
    snprintf(rel, sizeof rel, "videos/%s", c->file);
    if (fc_test_data_path(video, sizeof video, rel) < 0)
        cr_skip("real data not present (%s)", rel);
    if (!model_present())
        cr_skip("the pose model is not provisioned (bash tools/fetch_models.sh)");

    char json[4200], csv[4200];
    snprintf(json, sizeof json, "%s/report.json", dir);
    snprintf(csv, sizeof csv, "%s/keypoints.csv", dir);
    const char *argv[16];
    int n = 0;
    argv[n++] = "analyze";
    argv[n++] = "-q";
    argv[n++] = "--exercise";
    argv[n++] = c->exercise ? c->exercise : "auto";
    argv[n++] = "--json";
    argv[n++] = json;
    argv[n++] = "--keypoints-out";
    argv[n++] = csv;
    if (person) {
        argv[n++] = "--person";
        argv[n++] = person;
    }
    argv[n++] = video;
    argv[n] = NULL;
    static char out[65536];
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 0, "%s: exit %d: %s", c->file, rc, out);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, json);

    /* "person found in 97% of them" */
    double person_pct = NAN;
    const char *pf = strstr(out, "person found in ");
    if (pf)
        person_pct = strtod(pf + strlen("person found in "), NULL);

    size_t len;
    char *text = fc_test_read_file(json, &len);
    cr_assert_not_null(text, "%s: no JSON written", c->file);
    cJSON *root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(root, "%s: the JSON does not parse", c->file);

    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(root, "reps");
    const cJSON *view = cJSON_GetObjectItemCaseSensitive(root, "view");
    const cJSON *track = cJSON_GetObjectItemCaseSensitive(root, "tracking");
    const cJSON *grade = cJSON_GetObjectItemCaseSensitive(root, "grade");
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    cr_assert(cJSON_IsArray(reps) && cJSON_IsObject(view) && cJSON_IsObject(track) &&
                  cJSON_IsObject(grade) && cJSON_IsArray(findings),
              "%s: report lacks reps, view, tracking, grade or findings", c->file);
    int n_reps = (int)num(root, "n_reps");
    const cJSON *detected = cJSON_GetObjectItemCaseSensitive(view, "detected");
    const char *view_name = cJSON_IsString(detected) ? detected->valuestring : "?";
    double roll = num(root, "camera_roll_deg");
    double duration = num(cJSON_GetObjectItemCaseSensitive(root, "input"), "duration_s");
    const cJSON *low = cJSON_GetObjectItemCaseSensitive(track, "low_confidence");
    int n_low = cJSON_IsArray(low) ? cJSON_GetArraySize(low) : 0;
    double score = num(grade, "score");

    double jumps[8];
    int n_jumps = person_switches(csv, jumps, 8, ends);

    /* The table row, whatever the checks say. */
    char lows[256] = "", top[160] = "-", sw[128] = "";
    for (int i = 0; i < n_low && strlen(lows) < sizeof lows - 24; i++) {
        const cJSON *s = cJSON_GetArrayItem(low, i);
        size_t used = strlen(lows);
        snprintf(lows + used, sizeof lows - used, "%s%.1f-%.1f", i ? "," : "", num(s, "t_start_s"),
                 num(s, "t_end_s"));
    }
    if (cJSON_GetArraySize(findings) > 0) {
        const cJSON *msg =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(findings, 0), "message");
        if (cJSON_IsString(msg))
            snprintf(top, sizeof top, "%.70s", msg->valuestring);
    }
    for (int i = 0; i < n_jumps && i < 8; i++) {
        size_t used = strlen(sw);
        snprintf(sw + used, sizeof sw - used, "%s%.1f", i ? "," : " person switch at ", jumps[i]);
    }
    char score_text[16] = "-";
    if (isfinite(score))
        snprintf(score_text, sizeof score_text, "%.0f", score);
    fprintf(stderr,
            "%-46.46s %-12s reps %2d  view %-7s person %3.0f%%  roll %5.1f  grade %3s  low [%s]%s"
            "  top: %s\n",
            c->file, c->exercise ? c->exercise : "auto", n_reps, view_name, person_pct, roll,
            score_text, lows, sw, top);
    fflush(stderr);

    /* Who was followed, in the JSON: on clips with a second person, one
     * chosen among several (by prominence, or at the point given). */
    const cJSON *people = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "input"), "video"),
        "people");
    cr_expect(cJSON_IsObject(people), "%s: no input.video.people in the JSON", c->file);
    if (person || strstr(c->file, "walk_and_box")) {
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(people, "chosen_by");
        cr_expect_geq(num(people, "seen"), 2, "%s: %g people seen", c->file, num(people, "seen"));
        cr_expect(cJSON_IsString(by) &&
                      strcmp(by->valuestring, person ? "point" : "prominence") == 0,
                  "%s: chosen by %s", c->file, cJSON_IsString(by) ? by->valuestring : "?");
    }
    if (person) {
        /* Someone other than the clip's exerciser: what MANIFEST.md says of
         * the clip is not about them; they are followed alone. */
        cr_expect_eq(n_jumps, 0, "%s: the tracked person jumps at %.2f s (%d times)", c->file,
                     n_jumps ? jumps[0] : NAN, n_jumps);
        cJSON_Delete(root);
        return;
    }

    /* Every clip: a plausible camera roll (phones stand within a few
     * degrees of level; the analyzer takes 0 rather than believe more). */
    cr_expect(fabs(roll) <= 15.0, "%s: camera roll %.1f deg", c->file, roll);
    cr_expect(person_pct >= 50, "%s: person found in %.0f%% of frames", c->file, person_pct);

    if (c->second_person)
        cr_expect_eq(n_jumps, 0, "%s: the tracked person jumps at %.2f s (%d times)", c->file,
                     n_jumps ? jumps[0] : NAN, n_jumps);

    cr_expect(view_bit(view_name) & c->views, "%s: view %s detected", c->file, view_name);
    cr_expect(n_reps >= c->reps_min && n_reps <= c->reps_max, "%s: %d reps, expected %d..%d",
              c->file, n_reps, c->reps_min, c->reps_max);

    if (c->expect_low_conf) {
        /* Occluded: where tracking was poor is said, and nothing from this
         * view is graded (no findings made of noise). */
        cr_expect(n_low > 0, "%s: no low-confidence stretch reported", c->file);
        cr_expect(!isfinite(score), "%s: graded %.0f", c->file, score);
        cr_expect_eq(cJSON_GetArraySize(findings), 0, "%s: %d findings", c->file,
                     cJSON_GetArraySize(findings));
    }

    /* Rep timing where MANIFEST.md gives it. */
    if (strstr(c->file, "front_wide_squat") && n_reps == 4) {
        static const double bottoms[4] = {0.8, 3.6, 6.4, 9.2};
        for (int i = 0; i < 4; i++) {
            double tb = num(cJSON_GetArrayItem(reps, i), "t_bottom_s");
            cr_expect(fabs(tb - bottoms[i]) <= 0.4, "%s: rep %d bottom at %.2f s, MANIFEST %.1f",
                      c->file, i + 1, tb, bottoms[i]);
        }
    }
    if (strstr(c->file, "front_band_squat") && n_reps == 3) {
        /* The third rep was still rising when the clip ended: it counts,
         * closed at the last frame, with its bottom inside the clip. */
        const cJSON *r3 = cJSON_GetArrayItem(reps, 2);
        cr_expect(num(r3, "t_end_s") >= duration - 0.5, "%s: rep 3 ends at %.2f of %.2f s", c->file,
                  num(r3, "t_end_s"), duration);
        cr_expect(num(r3, "t_bottom_s") < num(r3, "t_end_s") - 0.3,
                  "%s: rep 3 bottom %.2f not before its end", c->file, num(r3, "t_bottom_s"));
    }
    cJSON_Delete(root);
}

static void check_clip(const struct clip *c)
{
    struct hip_ends ends;
    check_clip_as(c, NULL, &ends);
}

Test(realdata_pipeline, pexels_gabby_k_side_squat)
{
    check_clip(&clips[0]);
}
Test(realdata_pipeline, noquarter_barbell_squat_occluded)
{
    check_clip(&clips[1]);
}
Test(realdata_pipeline, tfjs_front_band_squat_5fps)
{
    check_clip(&clips[2]);
}
Test(realdata_pipeline, pexels5034577_front_wide_squat)
{
    check_clip(&clips[3]);
}
Test(realdata_pipeline, pexels8233047_side_reverse_lunge)
{
    check_clip(&clips[4]);
}
Test(realdata_pipeline, pexels6525487_side_glute_bridge)
{
    check_clip(&clips[5]);
}
Test(realdata_pipeline, pexels4838146_side_band_squat_2people)
{
    check_clip(&clips[6]);
}
Test(realdata_pipeline, sports2d_demo4_side_walk)
{
    check_clip(&clips[7]);
}
Test(realdata_pipeline, sports2d_demo_side_walk_and_box)
{
    /* The woman walking across (MANIFEST.md) is the one analysed: first
     * seen after she enters from the right at about 1.5 s, then followed
     * leftwards across more than half the 1768-pixel frame, never the man
     * on the box. */
    struct hip_ends e;
    check_clip_as(&clips[8], NULL, &e);
    cr_expect_gt(e.first_t, 1.0, "analysed person first seen at %.2f s (the man?)", e.first_t);
    cr_expect_gt(e.first_x - e.last_x, 884.0, "analysed person moved from x %.0f to %.0f",
                 e.first_x, e.last_x);
}

Test(realdata_pipeline, sports2d_walk_and_box_the_man_on_the_box)
{
    /* Asked for the man on the box (centre near (635, 221) in the first
     * second), formcheck follows him, not the walker who passes in front. */
    struct hip_ends e;
    check_clip_as(&clips[8], "635,221@0.5", &e);
    cr_expect_lt(e.first_t, 0.5, "first seen at %.2f s", e.first_t);
    cr_expect_lt(fabs(e.first_x - 635.0), 150.0, "first seen at x %.0f", e.first_x);
}

Test(realdata_pipeline, person_point_with_nobody_there)
{
    char video[4096];
    if (fc_test_data_path(video, sizeof video, "videos/sports2d_demo_side_walk_and_box.mp4") < 0)
        cr_skip("real data not present");
    if (!model_present())
        cr_skip("the pose model is not provisioned (bash tools/fetch_models.sh)");
    char json[4200];
    snprintf(json, sizeof json, "%s/report.json", dir);
    const char *argv[] = {"analyze", "-q", "--json", json, "--person", "1700,60@1", video, NULL};
    static char out[65536];
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_expect_eq(rc, 2, "exit %d: %s", rc, out);
    cr_expect(strstr(out, "nobody seen near (1700, 60) at 1.0 s") && strstr(out, "#1 at ("), "%s",
              out);
    cr_expect(!fc_test_file_exists(json), "a report was written");
}
Test(realdata_pipeline, pose2sim_balancing_cam01)
{
    check_clip(&clips[9]);
}
