/* Real-data tier, through the program: formcheck analyze on the c3d.org
 * s00 walk reports the Plug-in Gait angles, the marker gait events against
 * the file's, and grades the walk per stance side, in the text and in a
 * JSON report that follows its schema. Skips without ../shared/data. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/c3d.h"
#include "import/trc.h"
#include "support/testutil.h"

Test(realdata_mocap_cli, s00_walk_analysed_in_full)
{
    char in[4096];
    if (fc_test_data_path(in, sizeof in,
                          "c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d") < 0)
        cr_skip("real data not present");
    char dir[4096], json[4200];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/s00.json", dir);
    static char out[65536];
    const char *argv[] = {"analyze", "--json", json, in, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "Plug-in Gait lower body"), "%s", out);
    cr_expect(strstr(out, "vs LHipAngles stored in the file"), "%s", out);
    cr_expect(strstr(out, "vs the 17 in the file: 17 matched"), "%s", out);
    cr_expect(strstr(out, "grade (motion capture, per stance side)"), "%s", out);
    cr_expect(!strstr(out, "0 reps") && !strstr(out, "0 steps"), "%s", out);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, json);
    size_t len = 0;
    char *text = fc_test_read_file(json, &len);
    cJSON *root = cJSON_Parse(text);
    cJSON *mocap = cJSON_GetObjectItem(root, "mocap");
    cr_assert(mocap);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(mocap, "references")), 8);
    cr_expect_geq(cJSON_GetArraySize(cJSON_GetObjectItem(mocap, "strides")), 6);
    cJSON *gait = cJSON_GetObjectItem(mocap, "gait");
    double cadence = cJSON_GetNumberValue(cJSON_GetObjectItem(gait, "cadence_steps_per_min"));
    cr_expect(cadence > 100 && cadence < 125, "cadence %.1f", cadence);
    cJSON_Delete(root);
    free(text);
    fc_test_rmtree(dir);
}

/* --trc-out writes the C3D's points as they are; the TRC then analyses
 * like the C3D (the same gait events: they come from the markers alone),
 * with the subject measurements it lacks estimated and said so. */
Test(realdata_mocap_cli, c3d_to_trc_and_back)
{
    char in[4096];
    if (fc_test_data_path(in, sizeof in,
                          "c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d") < 0)
        cr_skip("real data not present");
    char dir[4096], trc[4200], mot[4200];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(trc, sizeof trc, "%s/s00.trc", dir);
    snprintf(mot, sizeof mot, "%s/s00.mot", dir);
    static char out[65536], out2[65536];
    const char *argv[] = {"analyze", "--trc-out", trc, "--mot-out", mot, in, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 0, "%s", out);

    struct fc_c3d c;
    struct fc_trc t;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(in, &c, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_trc_read(trc, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, c.n_frames);
    cr_assert_eq(t.n_markers, c.n_points);
    long differ = 0;
    for (long k = 0; k < (long)c.n_frames * c.n_points * 3; k++) {
        float a = c.xyz[k], b = t.xyz[k];
        differ += isnan(a) ? !isnan(b) : memcmp(&a, &b, sizeof a) != 0;
    }
    cr_expect_eq(differ, 0, "%ld of the C3D's values changed in the TRC", differ);
    for (int i = 0; i < c.n_points; i++)
        cr_expect_str_eq(t.labels[i], c.labels[i]);
    fc_trc_free(&t);
    fc_c3d_free(&c);

    const char *argv2[] = {"analyze", trc, NULL};
    cr_assert_eq(fc_test_run_formcheck(out2, sizeof out2, argv2), 0, "%s", out2);
    cr_expect(strstr(out2, "(TRC, markers)"), "%s", out2);
    cr_expect(strstr(out2, "not in the file, estimated: LLegLength"), "%s", out2);
    const char *ev = strstr(out, "gait (events from markers"),
               *ev2 = strstr(out2, "gait (events from markers");
    cr_assert(ev && ev2);
    size_t line = strcspn(ev2, "\n"); /* the TRC has no stored events to compare */
    cr_expect(strncmp(ev, ev2, line) == 0, "%.60s vs %.60s", ev, ev2);
    fc_test_rmtree(dir);
}
