/* The HTML report's evidence (report/evidence.h) for keypoint inputs: the
 * lines drawn for a metric are its definition (checked against angles built
 * into hand-made joints), nothing is drawn where the metric is not
 * measurable, and the page for a synthetic squat with an injected pelvic
 * obliquity shows one stick figure per finding, at the rep's bottom (known
 * from the generator's timing), with the value and a hip line tilted by the
 * injected angle against its level reference. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "import/synth.h"
#include "report/annotate.h"
#include "report/evidence.h"
#include "report/report.h"
#include "support/testutil.h"

#define PI 3.14159265358979323846

static char tmpdir[4096];

static void setup(void)
{
    fc_test_mkdtemp(tmpdir, sizeof tmpdir);
}

static void teardown(void)
{
    fc_test_rmtree(tmpdir);
}

TestSuite(evidence, .init = setup, .fini = teardown, .timeout = 60);

static void set(struct fc_keypoints *k, enum fc_joint j, double x, double y)
{
    fc_keypoints_set(k, j, (float)x, (float)y, NAN, 0.9f);
}

static struct fc_keypoints empty_frame(void)
{
    struct fc_keypoints k;
    memset(&k, 0, sizeof k);
    for (int j = 0; j < FC_JOINT_COUNT; j++)
        k.x[j] = k.y[j] = k.z[j] = NAN;
    return k;
}

/* Angle of a line in image coordinates, degrees, folded to (-90, 90]. */
static double line_deg(double x0, double y0, double x1, double y1)
{
    double a = atan2(y1 - y0, x1 - x0) * 180 / PI;
    while (a > 90)
        a -= 180;
    while (a <= -90)
        a += 180;
    return a;
}

static double turn_deg(double ax, double ay, double bx, double by)
{
    return atan2(ax * by - ay * bx, ax * bx + ay * by) * 180 / PI;
}

/* Knee FPPA: the thigh, the shank, and the thigh continued; the angle from
 * the continued line to the shank is the 20 deg built into the joints. */
Test(evidence, fppa_lines_make_the_angle_built_in)
{
    struct fc_keypoints k = empty_frame();
    const double a = 20 * PI / 180, len = 100;
    set(&k, FC_JOINT_LEFT_HIP, 300, 100);
    set(&k, FC_JOINT_LEFT_KNEE, 300, 100 + len);
    set(&k, FC_JOINT_LEFT_ANKLE, 300 + len * sin(a), 100 + len + len * cos(a));
    struct fc_evidence_geometry g;
    cr_assert_eq(fc_evidence_geometry(&k, FC_M_KNEE_FPPA_LEFT, 20.0f, 0, &g), 0);
    int measured = 0, ref = -1, shank = -1;
    for (int i = 0; i < g.n_lines; i++) {
        if (g.line[i].style == FC_EVIDENCE_REFERENCE)
            ref = i;
        else
            measured++;
        if (g.line[i].style == FC_EVIDENCE_MEASURED && g.line[i].y1 > 100 + len + 1)
            shank = i;
    }
    cr_assert_eq(measured, 2, "thigh and shank");
    cr_assert_geq(ref, 0, "the thigh continued");
    cr_assert_geq(shank, 0);
    /* the reference starts at the knee and goes on along the thigh */
    cr_assert_float_eq(g.line[ref].x0, 300, 1e-3);
    cr_assert_float_eq(g.line[ref].y0, 200, 1e-3);
    cr_assert_float_eq(g.line[ref].x1, 300, 1e-3);
    cr_assert_gt(g.line[ref].y1, 200);
    double t = turn_deg(g.line[ref].x1 - g.line[ref].x0, g.line[ref].y1 - g.line[ref].y0,
                        g.line[shank].x1 - g.line[shank].x0, g.line[shank].y1 - g.line[shank].y0);
    cr_assert_float_eq(fabs(t), 20.0, 1e-3, "%.4f deg", t);
    cr_assert_float_eq(g.anchor_x, 300, 1e-3);
    cr_assert_float_eq(g.anchor_y, 200, 1e-3);
}

/* Not measurable in the frame (NaN, as the analyzer leaves an FPPA with the
 * thigh pointing at the camera), a joint not seen, a 3-D metric: nothing. */
Test(evidence, nothing_drawn_where_not_measurable)
{
    struct fc_keypoints k = empty_frame();
    set(&k, FC_JOINT_LEFT_HIP, 300, 100);
    set(&k, FC_JOINT_LEFT_KNEE, 300, 200);
    set(&k, FC_JOINT_LEFT_ANKLE, 320, 300);
    struct fc_evidence_geometry g;
    cr_assert_eq(fc_evidence_geometry(&k, FC_M_KNEE_FPPA_LEFT, NAN, 0, &g), -1);
    cr_assert_eq(g.n_lines, 0);
    cr_assert_eq(fc_evidence_geometry(&k, FC_M_KNEE_FPPA_RIGHT, 5.0f, 0, &g), -1);
    cr_assert_eq(g.n_lines, 0);
    cr_assert_eq(fc_evidence_geometry(&k, FC_M_PELVIS_TILT_3D, 5.0f, 0, &g), -1);
    /* a joint under the analyzer's confidence gap level is not seen */
    k.score[FC_JOINT_LEFT_ANKLE] = 0.1f;
    cr_assert_eq(fc_evidence_geometry(&k, FC_M_KNEE_FPPA_LEFT, 5.0f, 0, &g), -1);

    /* The frame's value as the overlay and the evidence read it: the
     * out-of-plane bit hides even a finite value, and so does an FPPA no
     * knee makes. */
    struct fc_frame_metrics m;
    memset(&m, 0, sizeof m);
    m.value[FC_M_KNEE_FPPA_LEFT] = 12;
    cr_assert_float_eq(fc_annotate_value(&m, FC_M_KNEE_FPPA_LEFT), 12, 1e-6);
    m.out_of_plane = 1u << FC_M_KNEE_FPPA_LEFT;
    cr_assert(isnan(fc_annotate_value(&m, FC_M_KNEE_FPPA_LEFT)));
    m.out_of_plane = 0;
    m.value[FC_M_KNEE_FPPA_LEFT] = -107;
    cr_assert(isnan(fc_annotate_value(&m, FC_M_KNEE_FPPA_LEFT)));
}

/* The references turn with the camera roll: the trunk's vertical and the
 * level line under the hips are the body's, not the image's. */
Test(evidence, references_follow_the_camera_roll)
{
    struct fc_keypoints k = empty_frame();
    set(&k, FC_JOINT_LEFT_HIP, 340, 300);
    set(&k, FC_JOINT_RIGHT_HIP, 260, 300);
    set(&k, FC_JOINT_LEFT_SHOULDER, 360, 140);
    set(&k, FC_JOINT_RIGHT_SHOULDER, 240, 140);
    const double roll = 10;
    struct fc_evidence_geometry g;
    cr_assert_eq(fc_evidence_geometry(&k, FC_M_TRUNK_LEAN_LATERAL, 1.0f, roll, &g), 0);
    int found = 0;
    for (int i = 0; i < g.n_lines; i++)
        if (g.line[i].style == FC_EVIDENCE_REFERENCE) {
            /* up, turned 10 deg counter-clockwise on screen: towards -x */
            double dx = g.line[i].x1 - g.line[i].x0, dy = g.line[i].y1 - g.line[i].y0;
            cr_assert_float_eq(atan2(-dx, -dy) * 180 / PI, roll, 1e-3);
            found = 1;
        }
    cr_assert(found);
    cr_assert_eq(fc_evidence_geometry(&k, FC_M_PELVIC_OBLIQUITY, 1.0f, roll, &g), 0);
    for (int i = 0; i < g.n_lines; i++)
        if (g.line[i].style == FC_EVIDENCE_REFERENCE)
            cr_assert_float_eq(line_deg(g.line[i].x0, g.line[i].y0, g.line[i].x1, g.line[i].y1),
                               -roll, 1e-3, "level line at %.3f deg",
                               line_deg(g.line[i].x0, g.line[i].y0, g.line[i].x1, g.line[i].y1));
}

/* Depth: the knee -> hip line of the leg whose depth the value is, against
 * the level through that knee. */
Test(evidence, depth_takes_the_measured_leg)
{
    struct fc_keypoints k = empty_frame();
    /* left thigh 10 deg above level, right 25 deg above */
    set(&k, FC_JOINT_LEFT_KNEE, 400, 300);
    set(&k, FC_JOINT_LEFT_HIP, 400 - 100 * cos(10 * PI / 180), 300 - 100 * sin(10 * PI / 180));
    set(&k, FC_JOINT_RIGHT_KNEE, 410, 310);
    set(&k, FC_JOINT_RIGHT_HIP, 410 - 100 * cos(25 * PI / 180), 310 - 100 * sin(25 * PI / 180));
    struct fc_evidence_geometry g;
    cr_assert_eq(fc_evidence_geometry(&k, FC_M_DEPTH, -25.0f, 0, &g), 0);
    cr_assert_eq(g.n_lines, 2);
    for (int i = 0; i < 2; i++) {
        cr_assert_float_eq(g.line[i].x0, 410, 1e-3, "from the right knee");
        double a = line_deg(g.line[i].x0, g.line[i].y0, g.line[i].x1, g.line[i].y1);
        if (g.line[i].style == FC_EVIDENCE_REFERENCE)
            cr_assert_float_eq(a, 0, 1e-3);
        else
            cr_assert_float_eq(fabs(a), 25, 1e-3);
    }
}

Test(evidence, value_text)
{
    struct fc_threshold t;
    memset(&t, 0, sizeof t);
    t.metric = FC_M_KNEE_FPPA_LEFT;
    struct fc_finding f = {.threshold = &t, .magnitude = 7.24, .uncertainty = 1.04};
    char buf[64];
    fc_evidence_value_text(&f, buf, sizeof buf);
    cr_assert_str_eq(buf, "7.2 \xc2\xb1 1.0 deg");
    f.uncertainty = NAN;
    fc_evidence_value_text(&f, buf, sizeof buf);
    cr_assert_str_eq(buf, "7.2 deg");
    t.metric = FC_M_KNEE_ANKLE_SEP;
    f.magnitude = 80.2;
    f.uncertainty = 0.4;
    fc_evidence_value_text(&f, buf, sizeof buf);
    cr_assert_str_eq(buf, "80.2 \xc2\xb1 0.4%");
}

/* A whole session: generated, analysed, graded, written. */
struct session {
    struct fc_pose_track track;
    struct fc_frame_metrics *frames;
    struct fc_analyzer *an;
    struct fc_analysis res;
    struct fc_thresholds th;
    struct fc_grade g;
    struct fc_report r;
};

static void run_session(struct session *s, const struct fc_synth_params *p)
{
    struct fc_error err = {0};
    memset(s, 0, sizeof *s);
    cr_assert_eq(fc_synth_generate(p, &s->track, &err), 0, "%s", err.msg);
    struct fc_analyzer_params ap = fc_analyzer_default_params();
    ap.exercise = p->exercise;
    cr_assert_eq(fc_analyze_track(&s->track, &ap, 1, 6.0, &s->frames, &s->res, &s->an, &err), 0,
                 "%s", err.msg);
    cr_assert_eq(fc_thresholds_load(NULL, &s->th, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_grade_session(&s->res, &s->th, &s->g, &err), 0, "%s", err.msg);
    s->r = (struct fc_report){.input_path = "synthetic.csv",
                              .input_kind = "keypoint CSV",
                              .analysis = &s->res,
                              .grade = &s->g,
                              .thresholds = &s->th,
                              .frames = s->frames,
                              .n_frames = s->track.n_frames,
                              .track = &s->track};
}

static void free_session(struct session *s)
{
    fc_grade_free(&s->g);
    fc_thresholds_free(&s->th);
    fc_analyzer_free(s->an);
    free(s->frames);
    fc_pose_track_free(&s->track);
}

/* The evidence figure of finding i (1-based id) in html, NUL-terminated in
 * buf; 0 when absent. */
static int figure(const char *html, size_t i, char *buf, size_t len)
{
    char id[48];
    snprintf(id, sizeof id, "<figure id=\"evidence-%zu\"", i);
    const char *a = strstr(html, id);
    if (!a)
        return 0;
    const char *b = strstr(a, "</figure>");
    cr_assert_not_null(b);
    size_t n = (size_t)(b - a);
    cr_assert_lt(n, len);
    memcpy(buf, a, n);
    buf[n] = 0;
    return 1;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

Test(evidence, html_has_a_figure_per_rep_finding_at_its_bottom)
{
    struct fc_synth_params p = fc_synth_default_params();
    p.exercise = FC_EXERCISE_SQUAT;
    p.view = FC_VIEW_FRONT;
    p.reps = 3;
    const double obliquity_deg = 8; /* past the squat's fault level by more than its SEM */
    p.faults.pelvic_obliquity_deg = obliquity_deg;
    struct session *s = malloc(sizeof *s);
    run_session(s, &p);

    char path[4200];
    snprintf(path, sizeof path, "%s/report.html", tmpdir);
    struct fc_error err = {0};
    cr_assert_eq(fc_report_html(path, &s->r, &err), 0, "%s", err.msg);
    char *html = fc_test_read_file(path, NULL);

    size_t rep_findings = 0, obliquity = 0;
    for (size_t i = 0; i < s->g.n_findings; i++)
        rep_findings += s->g.findings[i].rep >= 0;
    cr_assert_gt(rep_findings, 0);
    cr_assert_eq(count(html, "<figure id=\"evidence-"), rep_findings);
    cr_assert_eq(count(html, "<svg class=\"stick\""), rep_findings);

    static char fig[1 << 16];
    for (size_t i = 0; i < s->g.n_findings; i++) {
        const struct fc_finding *f = &s->g.findings[i];
        if (f->rep < 0)
            continue;
        cr_assert(figure(html, i + 1, fig, sizeof fig), "finding %zu has no figure", i + 1);
        /* rep k's bottom is at standing + k (rep + pause) + rep / 2 */
        double bottom = p.standing_s + f->rep * (p.rep_s + p.pause_s) + p.rep_s / 2;
        int rep;
        double t;
        cr_assert_eq(sscanf(strstr(fig, "data-rep="), "data-rep=\"%d\" data-t=\"%lf\"", &rep, &t),
                     2);
        cr_assert_eq(rep, f->rep + 1);
        cr_assert_float_eq(t, bottom, 0.5 / p.rate_hz + 1e-9, "finding %zu at %.3f s, bottom %.3f",
                           i + 1, t, bottom);
        char v[64];
        fc_evidence_value_text(f, v, sizeof v);
        cr_assert(strstr(fig, v), "finding %zu: value %s not drawn", i + 1, v);
        if (f->threshold->metric != FC_M_PELVIC_OBLIQUITY)
            continue;
        obliquity++;
        cr_assert(strstr(fig, "8.0 \xc2\xb1"), "%s", v);
        /* The hip line (measured) against the level (dashed): the angle
         * injected. */
        double m[4], l[4];
        const char *pm = strstr(fig, "<line class=\"measured\"");
        const char *pr = strstr(fig, "<line class=\"ref\"");
        cr_assert(pm && pr);
        cr_assert_eq(sscanf(pm,
                            "<line class=\"measured\" x1=\"%lf\" y1=\"%lf\" x2=\"%lf\" y2=\"%lf\"",
                            &m[0], &m[1], &m[2], &m[3]),
                     4);
        cr_assert_eq(sscanf(pr, "<line class=\"ref\" x1=\"%lf\" y1=\"%lf\" x2=\"%lf\" y2=\"%lf\"",
                            &l[0], &l[1], &l[2], &l[3]),
                     4);
        double tilt = fabs(line_deg(m[0], m[1], m[2], m[3]) - line_deg(l[0], l[1], l[2], l[3]));
        /* coordinates are written to 0.1 px over a ~95 px hip line */
        cr_assert_float_eq(tilt, obliquity_deg, 0.2, "hip line at %.2f deg to the level", tilt);
    }
    cr_assert_eq(obliquity, (size_t)p.reps, "one obliquity finding per rep");
    free(html);
    free_session(s);
    free(s);
}

/* Without a track there is nothing to draw: no evidence section, and the
 * rest of the page as before. */
Test(evidence, html_without_track_has_no_figures)
{
    struct fc_synth_params p = fc_synth_default_params();
    p.reps = 2;
    p.faults.pelvic_obliquity_deg = 8;
    struct session *s = malloc(sizeof *s);
    run_session(s, &p);
    s->r.track = NULL;
    char path[4200];
    snprintf(path, sizeof path, "%s/report.html", tmpdir);
    struct fc_error err = {0};
    cr_assert_eq(fc_report_html(path, &s->r, &err), 0, "%s", err.msg);
    char *html = fc_test_read_file(path, NULL);
    cr_assert_eq(count(html, "<figure id=\"evidence-"), 0);
    cr_assert(strstr(html, "pelvis tilts"), "the findings are still listed");
    free(html);
    free_session(s);
    free(s);
}
