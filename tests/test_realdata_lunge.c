/* Real-data tier: MediaPipe landmarks of real people at the bottom of a lunge,
 * labelled by hand "C" (correct) or "L" (knee over toe), from the
 * Exercise-Correction data set (../shared/data/keypoints/exercise_correction,
 * MIT). formcheck's knee-travel metric must separate the two classes. The
 * labels are the independent reference; the threshold tested is the one in
 * formcheck's threshold table, not one fitted here. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/kinematics.h"
#include "import/import.h"
#include "support/testutil.h"

/* Knee travel (% shank) at which formcheck starts to flag a lunge: the
 * knee within 5% of a shank length of the toe (data/thresholds.json,
 * knee_travel_lunge "watch"). */
#define WATCH_PCT (-5.0)

Test(realdata_lunge, knee_travel_separates_correct_from_knee_over_toe)
{
    char path[4096];
    if (fc_test_data_path(path, sizeof path,
                          "keypoints/exercise_correction/core_lunge_model_err.test.csv") < 0)
        cr_skip("real data not present");
    struct fc_import_params p = fc_import_default_params();
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_mediapipe_csv(path, &p, &t, &err), 0, "%s", err.msg);
    cr_assert_not_null(t.labels);

    double *c = malloc(t.n_frames * sizeof *c), *l = malloc(t.n_frames * sizeof *l);
    size_t nc = 0, nl = 0, unknown = 0, correct_at_watch = 0;
    for (size_t i = 0; i < t.n_frames; i++) {
        double v = fc_knee_travel_pct(&t.frames[i], 0.3f, NULL);
        int is_l = strcmp(t.labels[i], "L") == 0;
        if (isnan(v)) {
            unknown++;
            continue;
        }
        if (is_l)
            l[nl++] = v;
        else
            c[nc++] = v;
        correct_at_watch += (v > WATCH_PCT) == is_l;
    }
    /* Area under the ROC curve: the chance that an L frame has more knee
     * travel than a C frame; threshold-free. */
    double wins = 0;
    for (size_t i = 0; i < nl; i++)
        for (size_t j = 0; j < nc; j++)
            wins += l[i] > c[j] ? 1.0 : l[i] == c[j] ? 0.5 : 0.0;
    double auc = wins / ((double)nl * (double)nc);
    double acc = (double)correct_at_watch / (double)(nl + nc);
    double mc = 0, ml = 0;
    for (size_t j = 0; j < nc; j++)
        mc += c[j] / nc;
    for (size_t i = 0; i < nl; i++)
        ml += l[i] / nl;
    fprintf(stderr,
            "lunge knee travel: C %zu frames mean %.1f%%, L %zu frames mean %.1f%%, %zu without "
            "a value; AUC %.3f; accuracy at the %.0f%% watch level %.3f\n",
            nc, mc, nl, ml, unknown, auc, WATCH_PCT, acc);
    cr_expect_eq(nc + nl + unknown, 1107u);
    cr_expect_lt(unknown, 20u);
    cr_expect_gt(auc, 0.9);
    cr_expect_gt(acc, 0.9);
    free(c);
    free(l);
    fc_pose_track_free(&t);
}
