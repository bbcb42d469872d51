/* The motion-capture section's grading: the built-in mocap thresholds
 * load, a side is graded on the mean of its strides' peaks once it has the
 * minimum number of them, and a malformed entry is named. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/mocap.h"
#include "support/testutil.h"

Test(mocap, builtin_thresholds_cover_the_four_measures)
{
    struct fc_mocap_thresholds th;
    struct fc_error err = {0};
    cr_assert_eq(fc_mocap_thresholds_load(NULL, &th, &err), 0, "%s", err.msg);
    int seen[FC_MOCAP_MEASURE_COUNT] = {0};
    for (size_t i = 0; i < th.n; i++) {
        seen[th.t[i].measure]++;
        cr_expect(th.t[i].source[0] && th.t[i].basis[0], "%s: no source or basis", th.t[i].id);
        cr_expect_lt(th.t[i].direction * th.t[i].watch, th.t[i].direction * th.t[i].fault_level);
    }
    /* every stride measure, the squat's depth and knee separation (the
     * trunk's forward lean has no 3-D squat level: reported, not graded) */
    for (int m = 0; m < FC_MOCAP_MEASURE_COUNT; m++)
        cr_expect_eq(seen[m], m == FC_MOCAP_TRUNK_FORWARD ? 0 : 1, "%s",
                     fc_mocap_measure_name((enum fc_mocap_measure)m));
    fc_mocap_thresholds_free(&th);
}

static struct fc_mocap_threshold drop = {.id = "d",
                                         .measure = FC_MOCAP_PELVIC_DROP,
                                         .fault = "drop",
                                         .watch = 5,
                                         .fault_level = 8,
                                         .direction = 1,
                                         .min_count = 3,
                                         .what = "{other_side} drops {value}"};

Test(mocap, a_side_is_graded_on_its_mean)
{
    /* left: 4, 6, 7 -> mean 5.67 (watch); right: 9, 9 -> 2 strides only */
    struct fc_mocap_stride st[5] = {{.side = FC_SIDE_LEFT},
                                    {.side = FC_SIDE_LEFT},
                                    {.side = FC_SIDE_LEFT},
                                    {.side = FC_SIDE_RIGHT},
                                    {.side = FC_SIDE_RIGHT}};
    const double v[5] = {4, 6, 7, 9, 9};
    for (int i = 0; i < 5; i++) {
        for (int m = 0; m < FC_MOCAP_MEASURE_COUNT; m++)
            st[i].value[m] = NAN;
        st[i].value[FC_MOCAP_PELVIC_DROP] = v[i];
    }
    struct fc_mocap mc;
    memset(&mc, 0, sizeof mc);
    mc.strides = st;
    mc.n_strides = 5;
    struct fc_mocap_thresholds th = {1, &drop};
    struct fc_mocap_grade g;
    fc_mocap_grade(&mc, &th, &g);
    cr_assert_eq(g.n, 2);
    cr_expect_eq(g.v[0].side, FC_SIDE_LEFT);
    cr_expect_float_eq(g.v[0].mean, 17.0 / 3.0, 1e-12);
    cr_expect_float_eq(g.v[0].max, 7.0, 1e-12); /* the worst: the largest */
    cr_expect_eq(g.v[0].level, FC_MOCAP_WATCH);
    cr_expect_eq(g.v[1].level, FC_MOCAP_NOT_GRADED, "2 strides, 3 needed");
    cr_expect_eq(g.graded, 1);
    cr_expect_eq(g.watches, 1);
    /* one more right stride: graded, mean 9 > 8 is a fault */
    struct fc_mocap_stride more[6];
    memcpy(more, st, sizeof st);
    more[5] = st[4];
    mc.strides = more;
    mc.n_strides = 6;
    fc_mocap_grade(&mc, &th, &g);
    cr_expect_eq(g.v[1].level, FC_MOCAP_FAULT);
    cr_expect_eq(g.faults, 1);
}

Test(mocap, squat_reps_are_graded_below_is_bad)
{
    /* knee separation 95, 85, 70 %: mean 83.3 -> watch (below 90, not 80);
     * the worst rep is the lowest, 70 */
    static struct fc_mocap_threshold sep = {.id = "s",
                                            .measure = FC_MOCAP_KNEE_SEPARATION,
                                            .fault = "knees in",
                                            .watch = 90,
                                            .fault_level = 80,
                                            .direction = -1,
                                            .min_count = 1,
                                            .what = "{value}"};
    struct fc_mocap_rep reps[3];
    memset(reps, 0, sizeof reps);
    for (int i = 0; i < 3; i++)
        reps[i].leading_side = reps[i].stance_side = -1; /* both feet down, level: a squat */
    reps[0].knee_sep_pct = 95;
    reps[1].knee_sep_pct = 85;
    reps[2].knee_sep_pct = 70;
    struct fc_mocap mc;
    memset(&mc, 0, sizeof mc);
    mc.squat.reps = reps;
    mc.squat.n_reps = 3;
    struct fc_mocap_thresholds th = {1, &sep};
    struct fc_mocap_grade g;
    fc_mocap_grade(&mc, &th, &g);
    cr_assert_eq(g.n, 1, "one verdict for both legs");
    cr_expect(g.v[0].both_sides);
    cr_expect_float_eq(g.v[0].mean, 250.0 / 3.0, 1e-12);
    cr_expect_float_eq(g.v[0].max, 70.0, 1e-12);
    cr_expect_eq(g.v[0].level, FC_MOCAP_WATCH);
    /* a squat: the stride thresholds are not applied */
    struct fc_mocap_threshold both[2] = {sep, drop};
    struct fc_mocap_thresholds th2 = {2, both};
    fc_mocap_grade(&mc, &th2, &g);
    cr_expect_eq(g.n, 1);
    /* one foot ahead in every rep: a lunge, not graded on squat levels */
    for (int i = 0; i < 3; i++)
        reps[i].leading_side = FC_SIDE_LEFT;
    fc_mocap_grade(&mc, &th, &g);
    cr_expect_eq(g.n, 0);
}

Test(mocap, malformed_entry_is_named)
{
    char dir[4096], path[4200];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/t.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("{\"version\": 1, \"thresholds\": [], \"mocap_thresholds\": [{\"id\": \"x\", "
          "\"measure\": \"elbow_deg\", \"fault\": \"f\", \"what\": \"w\", \"source\": \"s\", "
          "\"basis\": \"b\", \"levels\": {\"watch\": 1, \"fault\": 2}, \"min_strides\": 1}]}",
          f);
    fclose(f);
    struct fc_mocap_thresholds th;
    struct fc_error err = {0};
    cr_expect_lt(fc_mocap_thresholds_load(path, &th, &err), 0);
    cr_expect(strstr(err.msg, "mocap_thresholds[0]") && strstr(err.msg, "elbow_deg"), "%s",
              err.msg);
    fc_test_rmtree(dir);
}

#include "report/mot.h"

Test(mocap, mot_file_has_opensim_header_and_every_angle)
{
    double angles[2 * 2 * FC_PIG_JOINT_COUNT * 3];
    for (size_t i = 0; i < sizeof angles / sizeof angles[0]; i++)
        angles[i] = (double)i / 4.0;
    angles[5] = NAN;
    struct fc_pig_output o;
    memset(&o, 0, sizeof o);
    o.n_frames = 2;
    o.angle_deg = angles;
    const double t_s[2] = {0.5, 0.51};
    char d[4096], path[4200];
    fc_test_mkdtemp(d, sizeof d);
    snprintf(path, sizeof path, "%s/a.mot", d);
    struct fc_error err = {0};
    cr_assert_eq(fc_mot_write_pig(path, &o, t_s, &err), 0, "%s", err.msg);
    size_t len = 0;
    char *text = fc_test_read_file(path, &len);
    cr_assert(text);
    cr_expect(strstr(text, "version=1\nnRows=2\nnColumns=37\ninDegrees=yes\nendheader\ntime\t"),
              "%s", text);
    cr_expect(strstr(text, "\thip_flexion_l\t") && strstr(text, "\tfoot_progression_r\t") &&
              strstr(text, "\tthorax_rotation_r\n"));
    /* the second row: time, then left pelvis tilt = angles[2 sides x 6 joints x 3] */
    const char *row2 = strstr(text, "\n0.51\t");
    cr_assert(row2, "%s", text);
    cr_expect(strncmp(row2 + 6, "9\t", 2) == 0, "%.40s", row2);
    cr_expect(strstr(text, "\tNaN\t") != NULL, "a missing angle is NaN");
    free(text);
    fc_test_rmtree(d);
}
