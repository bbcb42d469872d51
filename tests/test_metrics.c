/* The metric table (analysis/metrics.h): every metric is described, the
 * facts agree with one another (pairs are mutual, a left metric is on the
 * left) and with the definitions written in metrics.h and analyzer.h. The
 * expected values are taken from those written definitions, listed here
 * by hand, not read back from the table. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "analysis/metrics.h"
#include "core/keypoints.h"

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

Test(metrics, every_metric_has_a_name_label_unit_and_plane)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        const struct fc_metric_info *mi = fc_metric_info((enum fc_metric)m);
        cr_assert_not_null(mi, "metric %d", m);
        cr_assert(mi->name && mi->name[0], "metric %d has no name", m);
        cr_assert(mi->label && mi->label[0], "%s has no label", mi->name);
        cr_assert(mi->short_name && mi->short_name[0], "%s has no short name", mi->name);
        cr_assert_leq(strlen(mi->short_name), 9, "%s: the text table's columns are 9 wide",
                      mi->name);
        cr_assert(mi->unit && mi->unit[0], "%s has no unit", mi->name);
        /* The name says the unit: _deg in degrees, _pct in percent. */
        if (strcmp(mi->unit, "deg") == 0)
            cr_assert(ends_with(mi->name, "_deg"), "%s is in degrees", mi->name);
        else
            cr_assert(strcmp(mi->unit, "%") == 0 && ends_with(mi->name, "_pct"), "%s: unit \"%s\"",
                      mi->name, mi->unit);
        cr_assert(mi->plane == FC_PLANE_FRONTAL || mi->plane == FC_PLANE_SAGITTAL ||
                      mi->plane == FC_PLANE_3D,
                  "%s: plane %d", mi->name, (int)mi->plane);
        cr_assert_eq(fc_metric_from_name(mi->name), m, "%s does not name itself", mi->name);
        for (int k = 0; k < m; k++) {
            cr_assert_str_neq(fc_metric_info((enum fc_metric)k)->name, mi->name);
            cr_assert_str_neq(fc_metric_info((enum fc_metric)k)->short_name, mi->short_name);
        }
    }
    cr_assert_null(fc_metric_info(FC_METRIC_COUNT));
    cr_assert_eq(fc_metric_from_name("knee_fppa_deg"), -1);
}

/* The planes as metrics.h groups them. */
Test(metrics, planes_are_the_documented_ones)
{
    const enum fc_metric frontal[] = {
        FC_M_PELVIC_OBLIQUITY,   FC_M_HIP_DROP,      FC_M_KNEE_FPPA_LEFT, FC_M_KNEE_FPPA_RIGHT,
        FC_M_TRUNK_LEAN_LATERAL, FC_M_LATERAL_SHIFT, FC_M_KNEE_ANKLE_SEP, FC_M_KNEE_MEDIAL_LEFT,
        FC_M_KNEE_MEDIAL_RIGHT,  FC_M_HIP_OVER_BASE, FC_M_FEET_TURN_OUT,  FC_M_KNEE_INSIDE_TOE};
    const enum fc_metric markers[] = {FC_M_PELVIS_TILT_3D, FC_M_PELVIS_OBLIQUITY_3D,
                                      FC_M_PELVIS_ROTATION_3D};
    int want[FC_METRIC_COUNT];
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        want[m] = FC_PLANE_SAGITTAL;
    for (size_t i = 0; i < sizeof frontal / sizeof *frontal; i++)
        want[frontal[i]] = FC_PLANE_FRONTAL;
    for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
        want[markers[i]] = FC_PLANE_3D;
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        cr_assert_eq((int)fc_metric_info((enum fc_metric)m)->plane, want[m], "%s",
                     fc_metric_info((enum fc_metric)m)->name);
}

/* A metric named for a leg is that leg's own measurement; no other metric
 * has a leg of its own. */
Test(metrics, left_and_right_metrics_map_to_their_sides)
{
    int n_left = 0, n_right = 0;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        const struct fc_metric_info *mi = fc_metric_info((enum fc_metric)m);
        if (strstr(mi->name, "_left_")) {
            n_left++;
            cr_assert_eq(mi->side, FC_SIDE_LEFT, "%s", mi->name);
            cr_assert_eq(mi->sides, FC_METRIC_SIDE_OWN, "%s", mi->name);
            cr_assert(strncmp(mi->label, "left ", 5) == 0, "%s: label \"%s\"", mi->name, mi->label);
            cr_assert_eq(fc_metric_side_of((enum fc_metric)m, -10, FC_SIDE_RIGHT), FC_SIDE_LEFT);
        } else if (strstr(mi->name, "_right_")) {
            n_right++;
            cr_assert_eq(mi->side, FC_SIDE_RIGHT, "%s", mi->name);
            cr_assert_eq(mi->sides, FC_METRIC_SIDE_OWN, "%s", mi->name);
            cr_assert(strncmp(mi->label, "right ", 6) == 0, "%s: label \"%s\"", mi->name,
                      mi->label);
            cr_assert_eq(fc_metric_side_of((enum fc_metric)m, 10, FC_SIDE_LEFT), FC_SIDE_RIGHT);
        } else {
            cr_assert_eq(mi->side, -1, "%s has a side", mi->name);
            cr_assert_neq(mi->sides, FC_METRIC_SIDE_OWN, "%s", mi->name);
        }
    }
    /* FPPA, hip flexion, knee flexion and medial knee displacement, each
     * for both legs. */
    cr_assert_eq(n_left, 4);
    cr_assert_eq(n_right, 4);
}

/* "left +" in metrics.h: obliquity (left hip up), lateral lean and shift
 * (towards the left), the hips over the base (over the left foot), and the
 * Plug-in Gait obliquity and rotation. */
Test(metrics, signed_metrics_point_to_the_left_when_positive)
{
    const enum fc_metric sign[] = {FC_M_PELVIC_OBLIQUITY,   FC_M_TRUNK_LEAN_LATERAL,
                                   FC_M_LATERAL_SHIFT,      FC_M_PELVIS_OBLIQUITY_3D,
                                   FC_M_PELVIS_ROTATION_3D, FC_M_HIP_OVER_BASE};
    int is_sign[FC_METRIC_COUNT] = {0};
    for (size_t i = 0; i < sizeof sign / sizeof *sign; i++) {
        is_sign[sign[i]] = 1;
        cr_assert_eq(fc_metric_side_of(sign[i], 4.0, FC_SIDE_RIGHT), FC_SIDE_LEFT);
        cr_assert_eq(fc_metric_side_of(sign[i], -4.0, FC_SIDE_LEFT), FC_SIDE_RIGHT);
        cr_assert_eq(fc_metric_side_of(sign[i], -4.0, -1), FC_SIDE_RIGHT);
    }
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        cr_assert_eq(fc_metric_info((enum fc_metric)m)->sides == FC_METRIC_SIDE_SIGN, is_sign[m],
                     "%s", fc_metric_info((enum fc_metric)m)->name);
}

/* Hip drop is the unsupported side dropping: its side is the stance leg
 * whatever the value. Whole-body metrics take the loaded leg when there is
 * one, else none. */
Test(metrics, stance_relative_and_whole_body_sides)
{
    cr_assert_eq(fc_metric_info(FC_M_HIP_DROP)->sides, FC_METRIC_SIDE_STANCE);
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        if (m != FC_M_HIP_DROP)
            cr_assert_neq(fc_metric_info((enum fc_metric)m)->sides, FC_METRIC_SIDE_STANCE, "%s",
                          fc_metric_info((enum fc_metric)m)->name);
    cr_assert_eq(fc_metric_side_of(FC_M_HIP_DROP, 7.0, FC_SIDE_LEFT), FC_SIDE_LEFT);
    cr_assert_eq(fc_metric_side_of(FC_M_HIP_DROP, -7.0, FC_SIDE_RIGHT), FC_SIDE_RIGHT);
    cr_assert_eq(fc_metric_side_of(FC_M_HIP_DROP, 7.0, -1), -1);
    cr_assert_eq(fc_metric_side_of(FC_M_DEPTH, 5.0, FC_SIDE_RIGHT), FC_SIDE_RIGHT);
    cr_assert_eq(fc_metric_side_of(FC_M_DEPTH, 5.0, -1), -1);
    cr_assert_eq(fc_metric_side_of(FC_M_PELVIS_TILT_3D, 5.0, -1), -1);
    cr_assert_eq(fc_metric_side_of(FC_METRIC_COUNT, 5.0, FC_SIDE_LEFT), -1);
}

/* fc_rep.peak in analyzer.h: "the largest value for hip drop, flexions,
 * depth, forward lean, trunk-shin difference and knee travel; the value at
 * the bottom for the knee-to-ankle separation and the medial knee
 * displacement; the largest deviation with its sign for obliquity, FPPA,
 * lateral lean, lateral shift, the tilt proxy and the 3-D pelvis angles". */
Test(metrics, peak_direction_matches_the_documented_definitions)
{
    const enum fc_metric largest[] = {
        FC_M_HIP_DROP,           FC_M_HIP_FLEXION_LEFT,   FC_M_HIP_FLEXION_RIGHT,
        FC_M_KNEE_FLEXION_LEFT,  FC_M_KNEE_FLEXION_RIGHT, FC_M_DEPTH,
        FC_M_TRUNK_FORWARD_LEAN, FC_M_TRUNK_SHIN_DIFF,    FC_M_KNEE_TRAVEL,
        FC_M_ARM_FORWARD,        FC_M_WRIST_AHEAD,        FC_M_HEEL_RISE,
        FC_M_FEET_TURN_OUT};
    const enum fc_metric deviation[] = {FC_M_PELVIC_OBLIQUITY,   FC_M_KNEE_FPPA_LEFT,
                                        FC_M_KNEE_FPPA_RIGHT,    FC_M_TRUNK_LEAN_LATERAL,
                                        FC_M_LATERAL_SHIFT,      FC_M_PELVIC_TILT_PROXY,
                                        FC_M_PELVIS_TILT_3D,     FC_M_PELVIS_OBLIQUITY_3D,
                                        FC_M_PELVIS_ROTATION_3D, FC_M_HIP_OVER_BASE};
    int seen[FC_METRIC_COUNT] = {0};
    const enum fc_metric at_bottom[] = {FC_M_KNEE_ANKLE_SEP, FC_M_KNEE_MEDIAL_LEFT,
                                        FC_M_KNEE_MEDIAL_RIGHT, FC_M_KNEE_INSIDE_TOE};
    for (size_t i = 0; i < sizeof at_bottom / sizeof *at_bottom; i++) {
        cr_assert_eq(fc_metric_info(at_bottom[i])->peak, FC_PEAK_BOTTOM);
        seen[at_bottom[i]]++;
    }
    for (size_t i = 0; i < sizeof largest / sizeof *largest; i++) {
        cr_assert_eq(fc_metric_info(largest[i])->peak, FC_PEAK_MAX, "%s",
                     fc_metric_info(largest[i])->name);
        seen[largest[i]]++;
    }
    for (size_t i = 0; i < sizeof deviation / sizeof *deviation; i++) {
        cr_assert_eq(fc_metric_info(deviation[i])->peak, FC_PEAK_SIGNED, "%s",
                     fc_metric_info(deviation[i])->name);
        seen[deviation[i]]++;
    }
    /* The documentation names every metric exactly once. */
    for (int m = 0; m < FC_METRIC_COUNT; m++)
        cr_assert_eq(seen[m], 1, "%s", fc_metric_info((enum fc_metric)m)->name);
}

/* metrics.h: obliquity is "minus its standing-baseline angle", hip drop is
 * obliquity signed by the stance, lateral shift is "since the baseline",
 * the tilt proxy is "relative to the baseline"; nothing else is. */
Test(metrics, baseline_relative_metrics)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        int want = m == FC_M_PELVIC_OBLIQUITY || m == FC_M_HIP_DROP || m == FC_M_LATERAL_SHIFT ||
                   m == FC_M_PELVIC_TILT_PROXY || m == FC_M_HEEL_RISE || m == FC_M_FEET_TURN_OUT;
        cr_assert_eq(fc_metric_info((enum fc_metric)m)->baseline_relative, want, "%s",
                     fc_metric_info((enum fc_metric)m)->name);
    }
}

/* The analyzer reports three asymmetries (fc_analysis.asymmetry_*): knee
 * FPPA and knee flexion left minus right, hip drop left stance minus right
 * stance. Pairs are mutual, on opposite legs, in one plane and unit. */
Test(metrics, asymmetry_pairs_are_mutual)
{
    int n_paired = 0;
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        const struct fc_metric_info *mi = fc_metric_info((enum fc_metric)m);
        enum fc_metric l = FC_METRIC_COUNT, r = FC_METRIC_COUNT;
        int has = fc_metric_asymmetry_pair((enum fc_metric)m, &l, &r);
        cr_assert_eq(has, mi->pair >= 0, "%s", mi->name);
        if (!has)
            continue;
        n_paired++;
        const struct fc_metric_info *pi = fc_metric_info((enum fc_metric)mi->pair);
        cr_assert_not_null(pi, "%s: pair %d", mi->name, mi->pair);
        cr_assert_eq(pi->pair, m, "%s and %s are not each other's pair", mi->name, pi->name);
        cr_assert_eq(pi->plane, mi->plane);
        cr_assert_str_eq(pi->unit, mi->unit);
        cr_assert(l == (enum fc_metric)m || r == (enum fc_metric)m, "%s", mi->name);
        if (mi->pair != m) {
            cr_assert_eq(fc_metric_info(l)->side, FC_SIDE_LEFT, "%s", mi->name);
            cr_assert_eq(fc_metric_info(r)->side, FC_SIDE_RIGHT, "%s", mi->name);
        }
    }
    cr_assert_eq(n_paired, 5, "FPPA and knee flexion both legs, and hip drop");
    enum fc_metric l, r;
    cr_assert(fc_metric_asymmetry_pair(FC_M_KNEE_FLEXION_RIGHT, &l, &r));
    cr_assert(l == FC_M_KNEE_FLEXION_LEFT && r == FC_M_KNEE_FLEXION_RIGHT);
    cr_assert(fc_metric_asymmetry_pair(FC_M_HIP_DROP, &l, &r));
    cr_assert(l == FC_M_HIP_DROP && r == FC_M_HIP_DROP);
    cr_assert_not(fc_metric_asymmetry_pair(FC_M_HIP_FLEXION_LEFT, &l, &r));
    cr_assert_not(fc_metric_asymmetry_pair(FC_M_DEPTH, &l, &r));
}

/* Every placeholder in a cue's words is one fc_annotate_cue fills. */
static void check_words(const char *name, const char *w, int may_name_a_side)
{
    for (const char *p = strchr(w, '{'); p; p = strchr(p + 1, '{')) {
        int side = strncmp(p, "{side}", 6) == 0 || strncmp(p, "{other_side}", 12) == 0;
        cr_assert(side || strncmp(p, "{fault}", 7) == 0, "%s: \"%s\"", name, w);
        cr_assert(!side || may_name_a_side, "%s: \"%s\" names a side it does not know", name, w);
    }
}

Test(metrics, every_metric_has_cue_words)
{
    for (int m = 0; m < FC_METRIC_COUNT; m++) {
        const struct fc_metric_info *mi = fc_metric_info((enum fc_metric)m);
        const struct fc_metric_cue *c = &mi->cue;
        cr_assert(c->with_side && c->no_side, "%s has no cue words", mi->name);
        check_words(mi->name, c->with_side, 1);
        check_words(mi->name, c->no_side, 0);
        /* A variant comes as a pair or not at all. */
        cr_assert_eq(!c->below_with_side, !c->below_no_side, "%s", mi->name);
        cr_assert_eq(!c->asym_with_side, !c->asym_no_side, "%s", mi->name);
        if (c->below_no_side) {
            check_words(mi->name, c->below_with_side, 1);
            check_words(mi->name, c->below_no_side, 0);
        }
        if (c->asym_no_side) {
            cr_assert_geq(mi->pair, 0, "%s: asymmetry words without a pair", mi->name);
            check_words(mi->name, c->asym_with_side, 1);
            check_words(mi->name, c->asym_no_side, 0);
        }
        /* Upper case, as drawn. */
        for (const char *p = c->no_side; *p; p++)
            if (*p == '{')
                p = strchr(p, '}');
            else
                cr_assert(!(*p >= 'a' && *p <= 'z'), "%s: \"%s\"", mi->name, c->no_side);
    }
}
