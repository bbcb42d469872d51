/* Real-data tier: UI-PRMD deep squats (m01, Vakanski et al. 2018; 39
 * Plug-in Gait markers at 100 Hz, one segmented repetition per file,
 * ../shared/data/uiprmd) analysed from their markers in 3-D: the Plug-in
 * Gait joint centres (subject measurements estimated: the data set has
 * none), the reps from the hip centres' descent, and per rep the depth,
 * the knees' separation, the trunk's forward and lateral lean. Correct and
 * "incorrect" repetitions (performed badly on instruction) must separate
 * where the data set's description says they differ: shallower, knees in.
 * Skips itself without the data. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mocap.h"
#include "support/testutil.h"

#define N_MARKERS 39
static const char *const names[N_MARKERS] = {
    "LFHD", "RFHD", "LBHD", "RBHD", "C7",   "T10",  "CLAV", "STRN", "RBAK", "LSHO",
    "LUPA", "LELB", "LFRM", "LWRA", "LWRB", "LFIN", "RSHO", "RUPA", "RELB", "RFRM",
    "RWRA", "RWRB", "RFIN", "LASI", "RASI", "LPSI", "RPSI", "LTHI", "LKNE", "LTIB",
    "LANK", "LHEE", "LTOE", "RTHI", "RKNE", "RTIB", "RANK", "RHEE", "RTOE"};

/* One file's frames (gzip text, 117 numbers a line); NULL when absent. */
static float *read_rep(const char *path, size_t *n_frames)
{
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 256, n = 0;
    float *xyz = malloc(cap * N_MARKERS * 3 * sizeof *xyz);
    char line[8192];
    while (xyz && fgets(line, sizeof line, p)) {
        if (n == cap) {
            cap *= 2;
            float *nx = realloc(xyz, cap * N_MARKERS * 3 * sizeof *xyz);
            if (!nx)
                break;
            xyz = nx;
        }
        char *s = line, *end;
        int k = 0;
        for (; k < N_MARKERS * 3; k++) {
            double v = strtod(s, &end);
            if (end == s)
                break;
            xyz[n * N_MARKERS * 3 + (size_t)k] = (float)v;
            s = end;
            while (*s == ',' || *s == ' ')
                s++;
        }
        if (k == N_MARKERS * 3)
            n++;
    }
    pclose(p);
    *n_frames = n;
    if (n == 0) {
        free(xyz);
        return NULL;
    }
    return xyz;
}

static void to_track(const float *xyz, size_t n, struct fc_pose_track *t)
{
    fc_pose_track_init(t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    t->rate_hz = 100.0;
    for (size_t f = 0; f < n; f++) {
        struct fc_keypoints *k = fc_pose_track_push(t, NULL);
        cr_assert(k);
        k->t_s = (double)f / 100.0;
        for (int m = 0; m < N_MARKERS; m++) {
            int j = fc_joint_from_marker(names[m]);
            const float *p = xyz + (f * N_MARKERS + (size_t)m) * 3;
            if (j >= 0 && !(k->score[j] > 0))
                fc_keypoints_set(k, (enum fc_joint)j, p[0], p[1], p[2], 1.0f);
        }
    }
}

#define MEASURES 5
static const char *const measure_names[MEASURES] = {"depth_mm (hip centres above knees)",
                                                    "knee_flexion_deg", "knee_sep_pct",
                                                    "trunk_forward_deg", "trunk_lateral_deg"};

/* A squat's hip centres fall some 400 mm; 100 mm keeps sway out. */
static const double min_drop_mm = 100.0;

struct sample {
    double v[MEASURES];
};

/* Every m01 file of one class: one rep each. */
static size_t analyse_class(const char *cls, const char *suffix, struct sample *out, size_t cap,
                            size_t *files, size_t *one_rep)
{
    size_t m = 0;
    *files = *one_rep = 0;
    for (int s = 1; s <= 10; s++)
        for (int e = 1; e <= 10; e++) {
            char rel[256], path[4096];
            snprintf(rel, sizeof rel, "uiprmd/%s/m01_s%02d_e%02d_positions%s.txt.gz", cls, s, e,
                     suffix);
            if (fc_test_data_path(path, sizeof path, rel) < 0)
                continue;
            size_t n = 0;
            float *xyz = read_rep(path, &n);
            if (!xyz)
                continue;
            (*files)++;
            char labels[N_MARKERS][8];
            for (int k = 0; k < N_MARKERS; k++)
                snprintf(labels[k], sizeof labels[k], "%s", names[k]);
            struct fc_pig_markers mk;
            fc_pig_markers_bind(&mk, labels[0], 8, N_MARKERS, xyz, n, 1.0);
            struct fc_pig_output o;
            struct fc_error err = {0};
            cr_assert_eq(fc_pig_run(&mk, NULL, &o, &err), 0, "%s: %s", rel, err.msg);
            struct fc_pose_track t;
            to_track(xyz, n, &t);
            struct fc_mocap_squat sq;
            cr_assert_eq(fc_mocap_squat(&o, &t, min_drop_mm, &sq, &err), 0, "%s", err.msg);
            *one_rep += sq.n_reps == 1;
            if (sq.n_reps >= 1 && m < cap) {
                const struct fc_mocap_rep *r = &sq.reps[0];
                out[m++] = (struct sample){{r->depth_mm, r->knee_flexion_deg, r->knee_sep_pct,
                                            r->trunk_forward_deg, r->trunk_lateral_deg}};
            }
            fc_mocap_squat_free(&sq);
            fc_pose_track_free(&t);
            fc_pig_output_free(&o);
            free(xyz);
        }
    return m;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(const struct sample *s, size_t n, int k)
{
    double *v = malloc(n * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(s[i].v[k]))
            v[m++] = s[i].v[k];
    qsort(v, m, sizeof *v, cmp);
    double r = m ? (m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2])) : NAN;
    free(v);
    return r;
}

/* P(incorrect > correct) over all pairs (Mann-Whitney), ties half. */
static double auc(const struct sample *c, size_t nc, const struct sample *in, size_t ni, int k)
{
    double wins = 0, pairs = 0;
    for (size_t i = 0; i < ni; i++)
        for (size_t j = 0; j < nc; j++) {
            if (!isfinite(in[i].v[k]) || !isfinite(c[j].v[k]))
                continue;
            wins += in[i].v[k] > c[j].v[k] ? 1.0 : in[i].v[k] == c[j].v[k] ? 0.5 : 0.0;
            pairs += 1;
        }
    return pairs ? wins / pairs : NAN;
}

Test(realdata_uiprmd, deep_squats_from_markers_separate_correct_from_incorrect, .timeout = 600)
{
    static struct sample cor[128], inc[128];
    size_t fc_, fi, oc, oi;
    size_t nc = analyse_class("correct", "", cor, 128, &fc_, &oc);
    size_t ni = analyse_class("incorrect", "_inc", inc, 128, &fi, &oi);
    if (fc_ == 0 && fi == 0)
        cr_skip("real data not present");
    fprintf(stderr,
            "UI-PRMD m01: %zu correct files (%zu with exactly one rep), %zu incorrect (%zu)\n", fc_,
            oc, fi, oi);
    fprintf(stderr, "%-36s %10s %10s %6s\n", "measure (3-D, at the bottom)", "correct", "incorrect",
            "AUC");
    double a[MEASURES];
    for (int k = 0; k < MEASURES; k++) {
        a[k] = auc(cor, nc, inc, ni, k);
        fprintf(stderr, "%-36s %10.1f %10.1f %6.2f\n", measure_names[k], median_of(cor, nc, k),
                median_of(inc, ni, k), a[k]);
    }
    /* one segmented repetition per file: found as one rep */
    cr_expect_geq(oc + oi, (fc_ + fi) * 9 / 10, "%zu of %zu files gave one rep", oc + oi, fc_ + fi);
    /* the data set's description: incorrect squats are shallower and bring
     * the knees in */
    cr_expect_geq(a[0], 0.75, "depth AUC %.2f", a[0]);
    cr_expect_leq(a[2], 0.25, "knee separation AUC %.2f (incorrect lower)", a[2]);
    cr_expect_leq(a[1], 0.25, "knee flexion AUC %.2f (incorrect less flexed)", a[1]);
}
