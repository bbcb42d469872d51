/* The batch's input list (batch/manifest.h) and digests (batch/digest.h):
 * CSV rules from RFC 4180, the folder convention, the messages that name
 * the file and line, and SHA-256 against the published test vectors; the
 * database's checkpoints (batch/store.h). */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/digest.h"
#include "batch/manifest.h"
#include "batch/still.h"
#include "batch/store.h"
#include "support/testutil.h"

static int parse(const char *text, struct fc_manifest *m, struct fc_error *err)
{
    return fc_manifest_parse(text, strlen(text), "m.csv", "/data", m, err);
}

Test(manifest, required_and_optional_columns)
{
    struct fc_manifest m;
    struct fc_error err = {0};
    int rc = parse("path,patient,recorded_at,exercise,view,session,notes\n"
                   "a.csv,P02,2024-03-05T10:30,squat,front,,first visit\n"
                   "/abs/b.mp4,P01,2024-03-04,,,,\n",
                   &m, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_eq(m.n, 2);
    /* sorted by patient: P01 first */
    cr_assert_str_eq(m.e[0].patient, "P01");
    cr_assert_str_eq(m.e[0].path, "/abs/b.mp4", "an absolute path stays");
    cr_assert_str_eq(m.e[0].session, "2024-03-04", "no session: the day recorded");
    cr_assert_eq(m.e[0].exercise, FC_EXERCISE_AUTO);
    cr_assert_str_eq(m.e[1].path, "/data/a.csv", "relative to the manifest");
    cr_assert_eq(m.e[1].exercise, FC_EXERCISE_SQUAT);
    cr_assert_eq(m.e[1].view, FC_VIEW_FRONT);
    cr_assert_str_eq(m.e[1].notes, "first visit");
    cr_assert_str_eq(m.e[1].session, "2024-03-05");
    cr_assert_eq(m.e[1].line, 2);
    fc_manifest_free(&m);
}

Test(manifest, quoting_crlf_bom_and_metadata)
{
    struct fc_manifest m;
    struct fc_error err = {0};
    int rc = parse("\xEF\xBB\xBFpatient,path,therapist,notes\r\n"
                   "P1,\"dir, with comma/x.csv\",\"Dr \"\"K\"\"\",\"two\nlines\"\r\n"
                   "\r\n",
                   &m, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_eq(m.n, 1);
    cr_assert_str_eq(m.e[0].path, "/data/dir, with comma/x.csv");
    cr_assert_str_eq(m.e[0].notes, "two\nlines");
    cr_assert_str_eq(m.e[0].metadata, "{\"therapist\":\"Dr \\\"K\\\"\"}");
    cr_assert_str_eq(m.e[0].session, "undated");
    fc_manifest_free(&m);
}

/* Each bad manifest gets a message with the file, the line and the problem. */
static void expect_error(const char *text, const char *want)
{
    struct fc_manifest m;
    struct fc_error err = {0};
    cr_assert_lt(parse(text, &m, &err), 0, "accepted: %s", text);
    cr_assert(strstr(err.msg, want), "message '%s' lacks '%s'", err.msg, want);
    cr_assert_eq(m.n, 0);
}

Test(manifest, errors_name_file_and_line)
{
    expect_error("", "m.csv: empty");
    expect_error("path,notes\nx.csv,hi\n",
                 "m.csv: line 1: the header needs the columns 'path' and 'patient'");
    expect_error("path,patient,path\n", "column 'path' appears twice");
    expect_error("path,patient\na.csv,P1\nb.csv\n", "m.csv: line 3: 1 fields, the header has 2");
    expect_error("path,patient\na.csv,\n", "m.csv: line 2: no patient");
    expect_error("path,patient,recorded_at\na.csv,P1,05/03/2024\n",
                 "m.csv: line 2: recorded_at '05/03/2024' is not an ISO 8601 date");
    expect_error("path,patient,exercise\na.csv,P1,jumping\n", "line 2: unknown exercise 'jumping'");
    expect_error("path,patient,view\na.csv,P1,top\n", "line 2: unknown view 'top'");
    expect_error("path,patient\n\"a.csv,P1\n", "line 2: a quoted field is never closed");
    expect_error("path,patient\n\"a\"b.csv,P1\n", "line 2: text after a closing quote");
    expect_error("path,patient\n", "no recordings listed");
    /* a quoted line break counts: the bad row starts on line 4 */
    expect_error("path,patient,notes\na.csv,P1,\"x\ny\"\nb.csv\n", "m.csv: line 4:");
}

Test(manifest, iso_dates)
{
    const char *good[] = {"2024-03-05", "2024-03-05T10:30", "2024-03-05 10:30:15",
                          "2024-03-05T10:30:15.25Z", "2024-03-05T10:30+01:00"};
    const char *bad[] = {"2024-3-5",           "2024-13-01", "2024-03-05T25:00",
                         "2024-03-05T10:30+1", "yesterday",  "2024-03-05T10:30:15."};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        cr_assert(fc_manifest_iso_date(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_not(fc_manifest_iso_date(bad[i]), "%s", bad[i]);
}

Test(manifest, folder_convention)
{
    char root[256], path[512];
    fc_test_mkdtemp(root, sizeof root);
    const char *files[] = {"P2/2024-01-02/walk.csv",
                           "P1/2024-01-09_am/sq.csv",
                           "P1/2024-01-02/a.csv",
                           "P1/notes.txt",
                           "README.md",
                           "P1/2024-01-02/.hidden"};
    const char *dirs[] = {"P1", "P2", "P1/2024-01-02", "P1/2024-01-09_am", "P2/2024-01-02"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
        cr_assert_eq(mkdir(path, 0777), 0);
    }
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", root, files[i]);
        fc_test_write_file(path, "x", 1);
    }
    struct fc_manifest m;
    struct fc_error err = {0};
    cr_assert_eq(fc_manifest_load(root, &m, &err), 0, "%s", err.msg);
    cr_assert_eq(m.n, 3, "only PATIENT/DATE/RECORDING counts, hidden names skipped");
    cr_assert_str_eq(m.e[0].patient, "P1");
    cr_assert_str_eq(m.e[0].session, "2024-01-02");
    cr_assert(strstr(m.e[0].path, "/P1/2024-01-02/a.csv"));
    cr_assert_eq(m.e[0].path[0], '/', "absolute");
    cr_assert_str_eq(m.e[1].session, "2024-01-09_am");
    cr_assert_str_eq(m.e[1].recorded_at, "2024-01-09");
    cr_assert_str_eq(m.e[2].patient, "P2");
    fc_manifest_free(&m);
    fc_test_rmtree(root);
}

/* FIPS 180-2 test vectors. */
Test(digest, sha256_vectors)
{
    char hex[FC_SHA256_HEX];
    cr_assert_eq(fc_digest_bytes("abc", 3, hex), 0);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cr_assert_eq(fc_digest_bytes("", 0, hex), 0);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/f", dir);
    fc_test_write_file(path, "abc", 3);
    long long size;
    struct fc_error err = {0};
    cr_assert_eq(fc_digest_path(path, hex, &size, &err), 0, "%s", err.msg);
    cr_assert_eq(size, 3);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    fc_test_rmtree(dir);
}

/* ------------------------------------------------------- the still's face */

#define IMG_W 160
#define IMG_H 120

/* A picture whose every pixel differs from its neighbours: x, y, x ^ y. */
static void gradient(uint8_t *rgb)
{
    for (int y = 0; y < IMG_H; y++)
        for (int x = 0; x < IMG_W; x++) {
            uint8_t *p = rgb + (y * IMG_W + x) * 3;
            p[0] = (uint8_t)(x * 3);
            p[1] = (uint8_t)(y * 5);
            p[2] = (uint8_t)(x ^ y);
        }
}

static void place(struct fc_keypoints *k, int j, float x, float y)
{
    k->x[j] = x;
    k->y[j] = y;
    k->score[j] = 0.9f;
}

/* Every 8x8 block inside [x0, x1) x [y0, y1) of one colour. */
static int blocks_uniform(const uint8_t *rgb, int x0, int y0, int x1, int y1)
{
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const uint8_t *p = rgb + (y * IMG_W + x) * 3;
            const uint8_t *q = rgb + ((y / 8 * 8) * IMG_W + x / 8 * 8) * 3;
            if (memcmp(p, q, 3) != 0)
                return 0;
        }
    return 1;
}

Test(still, the_face_is_pixelated_and_nothing_else)
{
    static uint8_t rgb[IMG_W * IMG_H * 3], orig[IMG_W * IMG_H * 3];
    gradient(rgb);
    memcpy(orig, rgb, sizeof rgb);
    struct fc_keypoints k;
    memset(&k, 0, sizeof k);
    /* the frame is 320x240 in display pixels, the still half that */
    place(&k, FC_JOINT_NOSE, 160, 60);
    place(&k, FC_JOINT_LEFT_EYE, 168, 52);
    place(&k, FC_JOINT_RIGHT_EYE, 152, 52);
    place(&k, FC_JOINT_LEFT_EAR, 176, 56);
    place(&k, FC_JOINT_RIGHT_EAR, 144, 56);
    cr_assert_eq(fc_still_pixelate_face(rgb, IMG_W, IMG_H, IMG_W * 3, &k, 0.5), 1);
    /* the joints span 32 px across in the frame, 16 in the still: the face
     * at (80, 28) in the still is covered, in blocks */
    cr_assert(blocks_uniform(rgb, 72, 24, 88, 32));
    cr_assert_neq(memcmp(rgb + (28 * IMG_W + 80) * 3, orig + (28 * IMG_W + 80) * 3, 3), 0);
    /* far from the face: untouched */
    cr_assert_eq(memcmp(rgb + (100 * IMG_W + 10) * 3, orig + (100 * IMG_W + 10) * 3, 3), 0);
    cr_assert_eq(memcmp(rgb + (110 * IMG_W + 150) * 3, orig + (110 * IMG_W + 150) * 3, 3), 0);
}

Test(still, without_a_face_the_head_above_the_shoulders_and_without_those_nothing)
{
    static uint8_t rgb[IMG_W * IMG_H * 3], orig[IMG_W * IMG_H * 3];
    gradient(rgb);
    memcpy(orig, rgb, sizeof rgb);
    struct fc_keypoints k;
    memset(&k, 0, sizeof k);
    cr_assert_eq(fc_still_pixelate_face(rgb, IMG_W, IMG_H, IMG_W * 3, &k, 1.0), 0);
    cr_assert_eq(memcmp(rgb, orig, sizeof rgb), 0, "nothing seen: nothing changed");
    place(&k, FC_JOINT_LEFT_SHOULDER, 100, 80);
    place(&k, FC_JOINT_RIGHT_SHOULDER, 60, 80);
    cr_assert_eq(fc_still_pixelate_face(rgb, IMG_W, IMG_H, IMG_W * 3, &k, 1.0), 1);
    /* shoulder width 40: the head's place is 40 wide, up to 48 above them */
    cr_assert(blocks_uniform(rgb, 64, 40, 96, 72));
    cr_assert_eq(memcmp(rgb + (110 * IMG_W + 80) * 3, orig + (110 * IMG_W + 80) * 3, 3), 0,
                 "below the shoulders: untouched");
}

static long long pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sqlite3_errmsg(db));
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* SQLite's automatic checkpoint (passive: beside other connections' writes,
 * which SQLite up to 3.51.2 can get wrong) is off on the store's
 * connections, and their commits copy the WAL back themselves: 3000 pages
 * written in 30 commits leave a WAL of at most the threshold (1000 pages)
 * and one commit, where without a checkpoint it would hold all 3000. */
Test(store, commits_checkpoint_the_wal_themselves)
{
    char dir[512], path[600], wal[620];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/store.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct fc_store *s;
    struct fc_error err = {0};
    cr_assert_eq(fc_store_open(&s, path, 0, &err), 0, "%s", err.msg);
    sqlite3 *db = fc_store_db(s);
    cr_assert_eq(pragma_int(db, "PRAGMA wal_autocheckpoint"), 0, "no passive checkpoints");
    long long page = pragma_int(db, "PRAGMA page_size");
    cr_assert_eq(sqlite3_exec(db, "CREATE TABLE big(b BLOB)", NULL, NULL, NULL), SQLITE_OK);
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO big VALUES(zeroblob(%lld))", 100 * page);
    for (int i = 0; i < 30; i++)
        cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    struct stat st;
    cr_assert_eq(stat(wal, &st), 0, "%s", wal);
    long long frames = (st.st_size - 32) / (page + 24); /* WAL header 32, frame header 24 */
    cr_assert_leq(frames, 1000 + 105, "%lld frames in the WAL", frames);
    cr_assert_gt(pragma_int(db, "SELECT count(*) FROM big"), 29);
    fc_store_close(s);
    fc_test_rmtree(dir);
}
