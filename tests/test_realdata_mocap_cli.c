/* Real-data tier, through the program: formcheck analyze on the c3d.org
 * s00 walk reports the Plug-in Gait angles, the marker gait events against
 * the file's, and grades the walk per stance side, in the text and in a
 * JSON report that follows its schema. Skips without ../shared/data. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
