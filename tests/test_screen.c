/* The overhead squat screens (report/screen.h) on hand-built analyses:
 * the FMS deep squat criteria (Cook et al. 2006) with the levels they are
 * defined by (torso parallel with the tibia: trunk - shin 0 deg; femur
 * horizontal: depth 0 deg) and the table's (the dowel past the toes: 46% of
 * the shank; a knee 5% of the leg inside its ankle), and the NASM items
 * from the findings grading raises. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "report/grade.h"
#include "report/screen.h"

static struct fc_rep reps_buf[4];
static struct fc_thresholds th;
static struct fc_error err;

static void load_builtin(void)
{
    cr_assert_eq(fc_thresholds_load(NULL, &th, &err), 0, "%s", err.msg);
}

static void unload(void)
{
    fc_thresholds_free(&th);
}

TestSuite(screen, .init = load_builtin, .fini = unload);

/* An overhead squat seen from view v with n reps, every peak NaN. */
static void fixture(struct fc_analysis *a, enum fc_exercise e, enum fc_view v, size_t n)
{
    memset(a, 0, sizeof *a);
    a->exercise = e;
    a->view = a->view_detected = v;
    a->view_confidence = 0.9f;
    a->body_yaw_deg = NAN; /* unknown: no error from the camera's angle */
    a->has_baseline = 1;
    a->frames = a->frames_tracked = 300;
    a->duration_s = 10;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        enum fc_metric_plane p = fc_metric_info(m)->plane;
        a->metric[m].measurable = (p == FC_PLANE_FRONTAL && v == FC_VIEW_FRONT) ||
                                  (p == FC_PLANE_SAGITTAL && v == FC_VIEW_SIDE);
        a->metric[m].frames = a->metric[m].measurable ? 300 : 0;
        a->metric[m].reps = a->metric[m].measurable ? (long)n : 0;
        a->metric[m].mean_peak = a->metric[m].sd_peak = a->metric[m].max_peak = NAN;
    }
    a->asymmetry_fppa_deg = a->asymmetry_knee_flexion_deg = a->asymmetry_hip_drop_deg = NAN;
    for (size_t i = 0; i < n; i++) {
        struct fc_rep *r = &reps_buf[i];
        memset(r, 0, sizeof *r);
        r->index = (int)i;
        r->t_start_s = 1.0 + 2.0 * i;
        r->t_bottom_s = r->t_start_s + 0.8;
        r->t_end_s = r->t_start_s + 1.6;
        r->side = -1;
        r->tracked_fraction = 1.0f;
        for (int m = 0; m < FC_METRIC_COUNT; m++) {
            r->peak[m] = r->at_bottom[m] = r->peak_u[m] = NAN;
            r->t_peak_s[m] = r->t_bottom_s;
        }
    }
    a->n_reps = a->n_reps_detailed = n;
    a->reps = reps_buf;
}

static void side_rep(int i, float trunk_shin, float depth, float wrist, float arm)
{
    reps_buf[i].peak[FC_M_TRUNK_SHIN_DIFF] = trunk_shin;
    reps_buf[i].peak[FC_M_DEPTH] = depth;
    reps_buf[i].peak[FC_M_WRIST_AHEAD] = wrist;
    reps_buf[i].peak[FC_M_ARM_FORWARD] = arm;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        reps_buf[i].peak_u[m] = isnan(reps_buf[i].peak[m]) ? NAN : 0.5f;
}

static void assess(const struct fc_analysis *a, struct fc_grade *g, struct fc_screen *s)
{
    cr_assert_eq(fc_grade_session(a, &th, g, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_screen_assess(a, g, &th, s), 1);
}

Test(screen, only_for_the_overhead_squat)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_SQUAT, FC_VIEW_SIDE, 1);
    struct fc_grade g = {0};
    struct fc_screen s;
    cr_expect_eq(fc_screen_assess(&a, &g, &th, &s), 0);
}

Test(screen, side_view_best_rep_meets_the_side_criteria)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_OVERHEAD_SQUAT, FC_VIEW_SIDE, 2);
    /* rep 1: thighs 12 deg above parallel; rep 2: every side criterion met
     * (trunk 5 deg more upright than the shins, 3 deg below parallel, the
     * hands 20% of the shank ahead of the ankle, over the foot). */
    side_rep(0, -5, -12, 20, 0);
    side_rep(1, -5, 3, 20, 0);
    /* MoveNet's points: no foot ever seen */
    a.metric[FC_M_HEEL_RISE].frames = a.metric[FC_M_HEEL_RISE].reps = 0;
    struct fc_grade g;
    struct fc_screen s;
    assess(&a, &g, &s);
    cr_expect_eq(s.fms_best_rep, 1);
    cr_expect_eq(s.fms[0].state, FC_SCREEN_NOT_SEEN);
    cr_expect_eq(s.fms[1].state, FC_SCREEN_NOT_SEEN);
    cr_expect_eq(s.fms[2].state, FC_SCREEN_NOT_MEASURABLE); /* knees: the front */
    cr_expect_eq(s.fms[3].state, FC_SCREEN_NOT_SEEN);
    cr_expect_eq(s.fms_score_low, 1);
    cr_expect_eq(s.fms_score_high, 3);
    cr_expect(strstr(s.fms[2].detail, "front view") != NULL, "%s", s.fms[2].detail);
    /* NASM: depth seen (rep 1 above parallel beyond the 5 deg uncertainty),
     * arms not seen, the feet never measurable from MoveNet's points. */
    cr_expect_eq(s.nasm[7].state, FC_SCREEN_SEEN, "%s", s.nasm[7].detail);
    cr_expect_eq(s.nasm[4].state, FC_SCREEN_NOT_SEEN);
    cr_expect_eq(s.nasm[0].state, FC_SCREEN_NOT_MEASURABLE);
    cr_expect_eq(s.nasm[6].state, FC_SCREEN_NOT_MEASURABLE);
    cr_expect(strstr(s.nasm[6].detail, "needs foot keypoints") != NULL, "%s", s.nasm[6].detail);
    cr_expect_eq(s.nasm[1].state, FC_SCREEN_NOT_MEASURABLE);
    fc_grade_free(&g);
}

Test(screen, a_criterion_not_met_in_every_rep_caps_the_score_at_two)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_OVERHEAD_SQUAT, FC_VIEW_SIDE, 2);
    /* The hands 60% of the shank ahead of the ankle: past the toes (46%)
     * by more than the 0.5 uncertainty, in both reps; the chest 4 deg
     * ahead of the shins: not parallel. */
    side_rep(0, 4, 3, 60, 25);
    side_rep(1, 4, 3, 60, 25);
    struct fc_grade g;
    struct fc_screen s;
    assess(&a, &g, &s);
    cr_expect_eq(s.fms[3].state, FC_SCREEN_SEEN);
    cr_expect_eq(s.fms[0].state, FC_SCREEN_SEEN);
    cr_expect_eq(s.fms[1].state, FC_SCREEN_NOT_SEEN);
    cr_expect_eq(s.fms_score_low, 1);
    cr_expect_eq(s.fms_score_high, 2);
    cr_expect_eq(s.nasm[4].state, FC_SCREEN_SEEN, "%s", s.nasm[4].detail); /* 25 > 20 deg */
    fc_grade_free(&g);
}

Test(screen, within_the_uncertainty_a_criterion_is_met)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_OVERHEAD_SQUAT, FC_VIEW_SIDE, 1);
    /* 0.4 deg past parallel the wrong way with an uncertainty of 0.5 (plus
     * the table's 5 deg for depth): the femur criterion is not failed. */
    side_rep(0, -0.3f, -0.4f, 46.3f, 0);
    struct fc_grade g;
    struct fc_screen s;
    assess(&a, &g, &s);
    cr_expect_eq(s.fms[0].state, FC_SCREEN_NOT_SEEN);
    cr_expect_eq(s.fms[1].state, FC_SCREEN_NOT_SEEN);
    cr_expect_eq(s.fms[3].state, FC_SCREEN_NOT_SEEN);
    fc_grade_free(&g);
}

Test(screen, front_view_knees_and_shift)
{
    struct fc_analysis a;
    fixture(&a, FC_EXERCISE_OVERHEAD_SQUAT, FC_VIEW_FRONT, 1);
    /* The left knee 8% of the leg inside its ankle: past the 5% level. */
    reps_buf[0].peak[FC_M_KNEE_MEDIAL_LEFT] = 8;
    reps_buf[0].peak[FC_M_KNEE_MEDIAL_RIGHT] = 1;
    reps_buf[0].peak[FC_M_KNEE_ANKLE_SEP] = 95;
    reps_buf[0].peak[FC_M_HIP_OVER_BASE] = 2;
    reps_buf[0].peak[FC_M_LATERAL_SHIFT] = 1;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        reps_buf[0].peak_u[m] = isnan(reps_buf[0].peak[m]) ? NAN : 0.5f;
    struct fc_grade g;
    struct fc_screen s;
    assess(&a, &g, &s);
    cr_expect_eq(s.fms[2].state, FC_SCREEN_SEEN);
    cr_expect(strstr(s.fms[2].detail, "knee_medial_left_pct 8.0") != NULL, "%s", s.fms[2].detail);
    cr_expect_eq(s.fms_score_high, 2);
    cr_expect_eq(s.nasm[1].state, FC_SCREEN_SEEN);
    cr_expect_eq(s.nasm[5].state, FC_SCREEN_NOT_SEEN);
    cr_expect_eq(s.nasm[2].state, FC_SCREEN_NOT_MEASURABLE); /* forward lean: the side */
    fc_grade_free(&g);
}
