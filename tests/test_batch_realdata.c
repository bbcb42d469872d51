/* formcheck batch over the real recordings beside the project (keypoint
 * files and motion capture from ../shared/data) plus broken files made
 * here (a truncated video, text named .mp4, an empty CSV): every good one
 * done, every broken one failed with a message naming it. Videos go through
 * the pose model and take minutes on a small machine, so they are left to
 * the documented command in docs/batch.md; this suite skips itself when the
 * data folder is absent. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

/* Real recordings that are keypoints or markers with pelvis markers
 * (MANIFEST.md of the data; the c3d.org sample 01 variants and sample 06
 * have none formcheck knows, and fail with that message). */
static const char *const REAL[] = {
    "keypoints/exercise_correction/core_lunge_model_err.test.csv",
    "keypoints/exercise_correction/core_squat_model_test.csv",
    "c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d",
    "c3d/c3dorg_s03_gait-raw_DECint.c3d",
    "c3d/c3dorg_s25_walk_analogfpscale04_INTELfloat.c3d",
    "c3d/c3dorg_s25_walk_analogfpscale04i_DECint.c3d",
    "c3d/rehazenter_2014001_C1_01_gait_INTELfloat.c3d",
};
#define N_REAL (sizeof REAL / sizeof *REAL)

static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

Test(batch_realdata, real_recordings_done_broken_ones_failed, .timeout = 900)
{
    if (!fc_test_data_dir())
        cr_skip_test("no real-data folder");
    char work[256], path[1024], manifest[512], out_dir[512], db_path[600], out[16384];
    fc_test_mkdtemp(work, sizeof work);
    /* a video cut before its index (the moov atom at the end), text named
     * .mp4, an empty CSV */
    fc_test_ffmpeg("-f lavfi -i testsrc=size=160x120:rate=10 -t 1 -c:v mpeg4 %s/full.mp4", work);
    snprintf(path, sizeof path, "%s/full.mp4", work);
    size_t len;
    char *video = fc_test_read_file(path, &len);
    cr_assert(video && len > 1000);
    snprintf(path, sizeof path, "%s/truncated.mp4", work);
    fc_test_write_file(path, video, len / 3);
    free(video);
    snprintf(path, sizeof path, "%s/text.mp4", work);
    fc_test_write_file(path, "hello, I am not a video\n", 24);
    snprintf(path, sizeof path, "%s/empty.csv", work);
    fc_test_write_file(path, "", 0);

    snprintf(manifest, sizeof manifest, "%s/real.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient,recorded_at,notes\n");
    for (size_t i = 0; i < N_REAL; i++) {
        cr_assert_eq(fc_test_data_path(path, sizeof path, REAL[i]), 0);
        fprintf(f, "%s,real%zu,2024-01-0%zu,real data\n", path, i % 3, 1 + i % 3);
    }
    fprintf(f, "truncated.mp4,broken,2024-02-01,\ntext.mp4,broken,2024-02-01,\n"
               "empty.csv,broken,2024-02-01,\n");
    fclose(f);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    snprintf(db_path, sizeof db_path, "%s/formcheck.db", out_dir);
    const char *run[] = {"batch", "-q", "--jobs", "2", "--out", out_dir, manifest, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, run);
    cr_assert_eq(rc, 1, "broken files failed: exit 1, got %d: %s", rc, out);

    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT path, status, coalesce(error, '') FROM recordings",
                                    -1, &st, NULL),
                 SQLITE_OK);
    int done = 0, failed = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st, 0);
        const char *status = (const char *)sqlite3_column_text(st, 1);
        const char *error = (const char *)sqlite3_column_text(st, 2);
        int broken = strstr(p, work) == p;
        const char *name = strrchr(p, '/') + 1;
        if (broken) {
            cr_assert_str_eq(status, "failed", "%s", p);
            cr_assert(strstr(error, name), "%s: message '%s' names the file", p, error);
            failed++;
        } else {
            cr_assert_str_eq(status, "done", "%s: %s", p, error);
            done++;
        }
    }
    sqlite3_finalize(st);
    cr_assert_eq(done, (int)N_REAL);
    cr_assert_eq(failed, 3);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM results"), (long long)N_REAL);
    cr_assert_eq(query_int(db, "SELECT count(*) FROM keypoints"), (long long)N_REAL);
    /* The walks with Plug-in Gait markers (s00 and Rehazenter, both with
     * stored gait events) keep the motion-capture result in their report:
     * what was recorded and a verdict per graded measure and side. */
    cr_expect_eq(query_int(db, "SELECT count(*) FROM results r JOIN recordings c"
                               " ON r.recording_id = c.id WHERE (c.path LIKE '%s00_vicon%'"
                               " OR c.path LIKE '%rehazenter%')"
                               " AND json_extract(r.report, '$.mocap.recording') = 'gait'"
                               " AND json_array_length(r.report, '$.mocap.grade') > 0"),
                 2);
    sqlite3_close(db);

    /* a regrade (from the stored C3D bytes, under a copy of the table with
     * another hash) keeps the motion-capture result */
    size_t tlen;
    char *table = fc_test_read_file(FC_SOURCE_DIR "/data/thresholds.json", &tlen);
    cr_assert(table);
    snprintf(path, sizeof path, "%s/copy.json", work);
    fc_test_write_file(path, table, tlen);
    f = fopen(path, "a");
    fputs("\n", f); /* the same table, another SHA-256 */
    fclose(f);
    free(table);
    const char *regrade[] = {"regrade", "--db", db_path, "--thresholds", path, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, regrade), 0, "%s", out);
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM results r JOIN recordings c"
                               " ON r.recording_id = c.id WHERE c.path LIKE '%s00_vicon%'"
                               " AND r.current = 1 AND r.kind = 'regrade'"
                               " AND json_extract(r.report, '$.mocap.recording') = 'gait'"
                               " AND json_array_length(r.report, '$.mocap.grade') > 0"),
                 1);
    sqlite3_close(db);
    fc_test_rmtree(work);
}
