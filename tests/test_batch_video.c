/* formcheck batch on a real video through the pose model: the recording is
 * done, its worst rep's frame is kept as a PNG still with the face
 * pixelated, and the progress page shows it. Skips itself without the real
 * data folder. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

/* Front view, straight on, about 4 squats in 10 s (MANIFEST.md). */
#define CLIP "videos/pexels5034577_front_wide_squat.mp4"

Test(batch_video, worst_rep_still_of_a_real_clip, .timeout = 1500)
{
    char clip[1024];
    if (!fc_test_data_dir() || fc_test_data_path(clip, sizeof clip, CLIP) != 0 ||
        !fc_test_file_exists(clip))
        cr_skip_test("no " CLIP);
    char work[256], manifest[512], out_dir[512], db_path[600], html[600];
    static char out[65536];
    fc_test_mkdtemp(work, sizeof work);
    snprintf(manifest, sizeof manifest, "%s/m.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient,recorded_at,exercise\n%s,V1,2024-01-01,squat\n", clip);
    fclose(f);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    snprintf(db_path, sizeof db_path, "%s/formcheck.db", out_dir);
    const char *run[] = {"batch", "-q", "--out", out_dir, manifest, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, run), 0, "%s", out);

    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT s.png_base64, s.rep, s.t_s, k.format FROM stills s"
                                    " JOIN keypoints k USING (recording_id)",
                                    -1, &st, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "a still for the clip");
    /* "\x89PNG\r\n\x1a\n" in base64 */
    cr_assert(strncmp((const char *)sqlite3_column_text(st, 0), "iVBORw0KGgo", 11) == 0);
    double t_s = sqlite3_column_double(st, 2);
    cr_assert(t_s > 0 && t_s < 10.1, "at a rep's bottom within the clip: %g", t_s);
    cr_assert_str_eq((const char *)sqlite3_column_text(st, 3), "keypoint-csv+zlib",
                     "a video's keypoints are kept as the pose track");
    sqlite3_finalize(st);
    sqlite3_close(db);

    snprintf(html, sizeof html, "%s/p.html", work);
    const char *prog[] = {"progress", "--db", db_path, "--html", html, "V1", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, prog), 0, "%s", out);
    size_t len;
    char *page = fc_test_read_file(html, &len);
    cr_assert(page && strstr(page, "src=\"data:image/png;base64,iVBORw0KGgo") &&
              strstr(page, "face pixelated"));
    free(page);
    fc_test_rmtree(work);
}
