/* The formcheck program end to end: usage, outputs, and bad inputs. Every bad
 * input must give a message naming the file, a non-zero exit, and leave no
 * output file behind. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/pelvis.h"
#include "core/units.h"
#include "support/c3d_writer.h"
#include "support/testutil.h"

static char dir[4096];
static char out[16384];

static void setup(void)
{
    fc_test_mkdtemp(dir, sizeof dir);
}

static void teardown(void)
{
    fc_test_rmtree(dir);
}

TestSuite(cli, .init = setup, .fini = teardown);

static void path_in(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

/* Runs `formcheck analyze --csv OUT.csv --json OUT.json INPUT` and checks the
 * failure contract: exit status, the message names the input and contains
 * what, and neither output exists. */
static void expect_input_error(const char *input, const char *what)
{
    char csv[4200], json[4200];
    path_in(csv, sizeof csv, "out.csv");
    path_in(json, sizeof json, "out.json");
    const char *argv[] = {"analyze", "--csv", csv, "--json", json, input, NULL};
    int rc = fc_test_run_formcheck(out, sizeof out, argv);
    cr_assert_eq(rc, 1, "exit %d for %s: %s", rc, input, out);
    cr_assert(strstr(out, input) != NULL, "message does not name %s: %s", input, out);
    cr_assert(strstr(out, what) != NULL, "message lacks '%s': %s", what, out);
    cr_assert_not(fc_test_file_exists(csv), "partial output %s", csv);
    cr_assert_not(fc_test_file_exists(json), "partial output %s", json);
    cr_assert_eq(fc_test_dir_count(dir) >= 0, 1);
}

static const char *write_text(const char *name, const char *text)
{
    static char p[4200];
    path_in(p, sizeof p, name);
    fc_test_write_file(p, text, strlen(text));
    return p;
}

Test(cli, help_and_version)
{
    const char *help[] = {"--help", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, help), 0);
    cr_assert(strstr(out, "analyze") != NULL);
    const char *ahelp[] = {"analyze", "--help", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, ahelp), 0);
    cr_assert(strstr(out, "--exercise") != NULL && strstr(out, "single-leg-squat-left"));
    const char *version[] = {"version", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, version), 0);
    cr_assert(strstr(out, "formcheck ") != NULL);
}

Test(cli, usage_errors)
{
    const char *none[] = {NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, none), 2);
    const char *bogus[] = {"frobnicate", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, bogus), 2);
    cr_assert(strstr(out, "frobnicate") != NULL);
    const char *no_input[] = {"analyze", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, no_input), 2);
    const char *bad_ex[] = {"analyze", "--exercise", "burpee", "x.csv", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, bad_ex), 2);
    cr_assert(strstr(out, "burpee") != NULL);
    const char *bad_view[] = {"analyze", "--view", "top", "x.csv", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, bad_view), 2);
    const char *bad_rate[] = {"analyze", "--rate", "fast", "x.csv", NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, bad_rate), 2);
}

Test(cli, every_exercise_name_is_accepted)
{
    const char *csv = write_text("k.csv", "t_s,left_hip_x,left_hip_y,left_hip_score\n"
                                          "0,10,20,0.9\n0.1,11,21,0.8\n");
    const char *names[] = {"squat",   "single-leg-squat-left", "single-leg-squat-right", "lunge",
                           "step-up", "single-leg-deadlift",   "glute-bridge",           "gait",
                           "auto"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *argv[] = {"analyze", "--exercise", names[i], "--view", "side", csv, NULL};
        cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 0, "%s: %s", names[i], out);
    }
}

Test(cli, keypoint_csv_round_trip_through_the_program)
{
    const char *in = write_text("in.csv", "# width=640 height=480\n"
                                          "t_s,left_hip_x,left_hip_y,left_hip_score,right_knee_x,"
                                          "right_knee_y,right_knee_score\n"
                                          "0,100.5,200.25,0.9,,,\n"
                                          "0.0333333,101,201,0.875,300,400,0.5\n");
    char kp1[4200], kp2[4200], outdir[4200], json[4300];
    path_in(kp1, sizeof kp1, "kp1.csv");
    path_in(kp2, sizeof kp2, "kp2.csv");
    path_in(outdir, sizeof outdir, "reports/nested");
    const char *a1[] = {"analyze", "--keypoints-out", kp1, "--out", outdir, in, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a1), 0, "%s", out);
    const char *a2[] = {"analyze", "--keypoints-out", kp2, kp1, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, a2), 0, "%s", out);
    char *t1 = fc_test_read_file(kp1, NULL), *t2 = fc_test_read_file(kp2, NULL);
    cr_assert_not_null(t1);
    cr_assert_not_null(t2);
    cr_assert_str_eq(t1, t2, "writing what was read must reproduce the file");
    cr_assert(strstr(t1, "width=640") && strstr(t1, "100.5,200.25,0.9"), "%s", t1);
    free(t1);
    free(t2);
    /* --out names files after the input */
    snprintf(json, sizeof json, "%s/in.json", outdir);
    char *j = fc_test_read_file(json, NULL);
    cr_assert_not_null(j, "no %s", json);
    cr_assert(strstr(j, "\"schema_version\"") && strstr(j, "\"frames\":\t2"), "%s", j);
    free(j);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, json);
}

Test(cli, csv_with_missing_column)
{
    const char *p = write_text("missing.csv", "t_s,left_hip_x,left_hip_score\n0,1,0.5\n");
    expect_input_error(p, "left_hip_y");
}

Test(cli, csv_with_non_numeric_cell)
{
    const char *p = write_text("nonnum.csv", "t_s,left_hip_x,left_hip_y,left_hip_score\n"
                                             "0,1,2,0.5\n0.1,abc,2,0.5\n");
    expect_input_error(p, "nonnum.csv:3: column 'left_hip_x'");
}

Test(cli, csv_with_header_only)
{
    const char *p = write_text("empty.csv", "t_s,left_hip_x,left_hip_y,left_hip_score\n");
    expect_input_error(p, "frames");
}

Test(cli, zero_byte_file)
{
    const char *p = write_text("zero.mp4", "");
    expect_input_error(p, "empty");
}

Test(cli, file_that_is_none_of_the_formats)
{
    const char *p = write_text("notes.txt", "hello world\nthis is not data\n");
    expect_input_error(p, "not a");
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
    char bin[4200];
    path_in(bin, sizeof bin, "image.png");
    fc_test_write_file(bin, png, sizeof png);
    expect_input_error(bin, "not a");
    cr_assert(strstr(out, "a PNG image") != NULL, "an image is not handed to FFmpeg: %s", out);
    /* a text table whose header starts with "video" is text, not a video */
    const char *table =
        write_text("video_table.csv", "video,stage,knee_width\nsquat.mp4,down,0.1\n");
    expect_input_error(table, "text whose first line is 'video,stage,knee_width'");
}

/* Errors carry the command's name, then the file, then the problem. */
Test(cli, error_messages_name_the_command_and_the_file)
{
    const char *p = write_text("bad.csv", "t_s,left_hip_x,left_hip_y,left_hip_score\n0,x,1,0.5\n");
    const char *argv[] = {"analyze", p, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 1, "%s", out);
    char head[4400];
    snprintf(head, sizeof head, "formcheck analyze: %s", p);
    cr_assert_eq(strncmp(out, head, strlen(head)), 0, "'%s' does not start with '%s'", out, head);
}

Test(cli, missing_file)
{
    char p[4200];
    path_in(p, sizeof p, "does-not-exist.c3d");
    expect_input_error(p, "No such file");
}

Test(cli, empty_openpose_folder)
{
    char p[4200];
    path_in(p, sizeof p, "openpose");
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", p);
    cr_assert_eq(system(cmd), 0);
    expect_input_error(p, "OpenPose");
}

Test(cli, unwritable_output_leaves_nothing)
{
    const char *in = write_text("ok.csv", "t_s,left_hip_x,left_hip_y,left_hip_score\n0,1,2,0.5\n");
    char csv[4200];
    path_in(csv, sizeof csv, "good.csv");
    const char *argv[] = {"analyze", "--csv", csv, "--json", "/nonexistent-dir/x.json", in, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 3, "%s", out);
    cr_assert(strstr(out, "/nonexistent-dir/x.json") != NULL, "%s", out);
    cr_assert_not(fc_test_file_exists(csv), "the CSV written before the failure must go");
}

/* A file-size limit (RLIMIT_FSIZE, what a full disk or a quota does to a
 * write) met while writing the reports: a message naming the file, exit 3,
 * and no output or temporary file left, rather than the kernel's SIGXFSZ
 * killing the program mid-write. */
Test(cli, a_full_disk_while_writing_leaves_nothing)
{
    char in[4200], csv[4200], json[4200], html[4200], script[20000];
    path_in(in, sizeof in, "session.csv");
    path_in(csv, sizeof csv, "out.csv");
    path_in(json, sizeof json, "out.json");
    path_in(html, sizeof html, "out.html");
    const char *synth[] = {"synth", "--exercise", "squat", "--out", in, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, synth), 0, "%s", out);
    /* 8 KiB per file: the input reads, every report is larger. */
    snprintf(script, sizeof script,
             "ulimit -f 8 && exec '%s' analyze -q --csv '%s' --json '%s' --html '%s' '%s'",
             FC_FORMCHECK_BIN, csv, json, html, in);
    const char *args[] = {"/bin/sh", "-c", script, NULL};
    int rc = fc_test_run_captured("/bin/sh", args, out, sizeof out);
    cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
    cr_assert(strstr(out, "write failed") != NULL, "%s", out);
    cr_assert(strstr(out, dir) != NULL, "the message names the file: %s", out);
    /* Only the input is left in the folder: no report, no temporary file. */
    cr_assert_eq(fc_test_dir_count(dir), 1, "%s", out);
}

/* ---- C3D through the program ---- */

enum { WALK_FRAMES = 120 };

/* A pelvis walking along lab +X (Z up) with known, varying angles, written as
 * an Intel-float C3D: LASI, RASI, LPSI, RPSI in the pelvis's own frame, then
 * rotated by the angles and moved along. */
static unsigned char *walk_c3d(size_t *len, struct fc_test_c3d_layout *layout, double *tilt,
                               double *obl, double *rot)
{
    static const double local[4][3] = {{0, 120, 0}, {0, -120, 0}, {-160, 45, 0}, {-160, -45, 0}};
    static const char *const labels[4] = {"Subj:LASI", "Subj:RASI", "Subj:LPSI", "Subj:RPSI"};
    static float xyz[WALK_FRAMES * 4 * 3];
    static float residual[WALK_FRAMES * 4];
    for (int f = 0; f < WALK_FRAMES; f++) {
        double s = f / 100.0;
        tilt[f] = 10 + 4 * sin(2 * FC_PI * s);
        obl[f] = 6 * sin(2 * FC_PI * s + 0.5);
        rot[f] = 9 * cos(2 * FC_PI * s);
        double R[9];
        fc_rotation_yxz(tilt[f] * FC_RAD_PER_DEG, obl[f] * FC_RAD_PER_DEG, rot[f] * FC_RAD_PER_DEG,
                        R);
        double origin[3] = {1300.0 * s, 200.0, 950.0};
        for (int m = 0; m < 4; m++) {
            for (int i = 0; i < 3; i++)
                xyz[(f * 4 + m) * 3 + i] =
                    (float)(origin[i] + R[i * 3 + 0] * local[m][0] + R[i * 3 + 1] * local[m][1] +
                            R[i * 3 + 2] * local[m][2]);
            residual[f * 4 + m] = 0.5f;
        }
    }
    /* one invalid sample: that frame must become a gap */
    residual[50 * 4 + 0] = -1.0f;
    struct fc_test_c3d_spec spec = {.processor = FC_C3D_INTEL,
                                    .is_float = 1,
                                    .n_points = 4,
                                    .n_frames = WALK_FRAMES,
                                    .first_frame = 1,
                                    .rate_hz = 100.0,
                                    .scale = 0.1,
                                    .labels = labels,
                                    .xyz = xyz,
                                    .residual = residual};
    unsigned char *buf = NULL;
    cr_assert_eq(fc_test_c3d_build(&spec, &buf, len, layout), 0);
    return buf;
}

Test(cli, c3d_pelvis_angles_end_to_end)
{
    double tilt[WALK_FRAMES], obl[WALK_FRAMES], rot[WALK_FRAMES];
    size_t len;
    unsigned char *buf = walk_c3d(&len, NULL, tilt, obl, rot);
    char in[4200], csv[4200];
    path_in(in, sizeof in, "walk.c3d");
    path_in(csv, sizeof csv, "walk.csv");
    fc_test_write_file(in, buf, len);
    free(buf);
    char json[4200];
    path_in(json, sizeof json, "walk.json");
    const char *argv[] = {"analyze", "--exercise", "gait", "--csv", csv, "--json", json, in, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 0, "%s", out);
    cr_assert(strstr(out, "pelvis_tilt_deg") != NULL, "%s", out);
    fc_test_assert_json_valid(FC_TEST_JSON_REPORT, json);

    /* Columns by name: the table has every metric, the pelvis among them. */
    FILE *f = fopen(csv, "r");
    cr_assert_not_null(f);
    char line[4096];
    cr_assert_not_null(fgets(line, sizeof line, f));
    const char *names[4] = {"t_s", "pelvis_tilt_deg", "pelvis_obliquity_deg",
                            "pelvis_rotation_deg"};
    int col[4] = {-1, -1, -1, -1}, c = 0;
    for (char *tok = strtok(line, ",\n"); tok; tok = strtok(NULL, ",\n"), c++)
        for (int k = 0; k < 4; k++)
            if (strcmp(tok, names[k]) == 0)
                col[k] = c;
    for (int k = 0; k < 4; k++)
        cr_assert_geq(col[k], 0, "no column %s", names[k]);
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        double v[4] = {NAN, NAN, NAN, NAN};
        /* split keeping empty cells (strtok would merge them) */
        c = 0;
        for (char *p = line, *next; p; p = next, c++) {
            next = strchr(p, ',');
            if (next)
                *next++ = 0;
            for (int k = 0; k < 4; k++)
                if (c == col[k] && *p && *p != '\n')
                    v[k] = strtod(p, NULL);
        }
        cr_assert_float_eq(v[0], rows / 100.0, 1e-6);
        if (rows == 50) {
            /* the invalid LASI sample: no angles, empty cells */
            cr_assert(isnan(v[1]) && isnan(v[2]) && isnan(v[3]), "frame 50 should be a gap");
            rows++;
            continue;
        }
        /* CSV carries 4 decimals; float storage adds ~1e-4 deg */
        cr_assert_float_eq(v[1], tilt[rows], 2e-3, "frame %d tilt %f vs %f", rows, v[1],
                           tilt[rows]);
        cr_assert_float_eq(v[2], obl[rows], 2e-3);
        cr_assert_float_eq(v[3], -rot[rows], 2e-3, "left rotation is minus the Z'' angle");
        rows++;
    }
    fclose(f);
    cr_assert_eq(rows, WALK_FRAMES);
}

/* Damaged C3D files through the program: message, exit 1, nothing written. */
static void damaged_c3d(const char *name,
                        void (*damage)(unsigned char *, size_t *,
                                       const struct fc_test_c3d_layout *),
                        const char *what)
{
    double a[WALK_FRAMES], b[WALK_FRAMES], c[WALK_FRAMES];
    size_t len;
    struct fc_test_c3d_layout L;
    unsigned char *buf = walk_c3d(&len, &L, a, b, c);
    damage(buf, &len, &L);
    char in[4200];
    path_in(in, sizeof in, name);
    fc_test_write_file(in, buf, len);
    free(buf);
    expect_input_error(in, what);
}

static void truncate_data(unsigned char *buf, size_t *len, const struct fc_test_c3d_layout *L)
{
    (void)buf;
    *len = L->data_offset + (*len - L->data_offset) / 3;
}

static void bad_processor(unsigned char *buf, size_t *len, const struct fc_test_c3d_layout *L)
{
    (void)len;
    buf[L->param_offset + 3] = 99;
}

static void params_past_end(unsigned char *buf, size_t *len, const struct fc_test_c3d_layout *L)
{
    (void)len;
    buf[L->param_offset + 2] = 250;
}

static void header_only(unsigned char *buf, size_t *len, const struct fc_test_c3d_layout *L)
{
    (void)buf;
    *len = L->param_offset;
}

Test(cli, truncated_c3d)
{
    damaged_c3d("truncated.c3d", truncate_data, "point data needs");
}

Test(cli, c3d_wrong_processor_byte)
{
    damaged_c3d("proc.c3d", bad_processor, "processor type byte is 99");
}

Test(cli, c3d_parameter_block_past_end)
{
    damaged_c3d("params.c3d", params_past_end, "parameter section says 250 blocks");
}

Test(cli, c3d_cut_after_header)
{
    damaged_c3d("header.c3d", header_only, "parameter");
}

Test(cli, c3d_zero_frames)
{
    static const char *const labels[1] = {"LASI"};
    float xyz[3] = {0, 0, 0}, res[1] = {0};
    struct fc_test_c3d_spec spec = {.processor = FC_C3D_DEC,
                                    .n_points = 1,
                                    .n_frames = 0,
                                    .rate_hz = 50,
                                    .scale = 0.1,
                                    .labels = labels,
                                    .xyz = xyz,
                                    .residual = res};
    unsigned char *buf = NULL;
    size_t len;
    cr_assert_eq(fc_test_c3d_build(&spec, &buf, &len, NULL), 0);
    char in[4200];
    path_in(in, sizeof in, "empty.c3d");
    fc_test_write_file(in, buf, len);
    free(buf);
    expect_input_error(in, "no frames");
}

Test(cli, c3d_without_known_markers)
{
    static const char *const labels[2] = {"FOO", "BAR"};
    float xyz[2 * 2 * 3] = {0}, res[4] = {0};
    struct fc_test_c3d_spec spec = {.processor = FC_C3D_MIPS,
                                    .n_points = 2,
                                    .n_frames = 2,
                                    .rate_hz = 50,
                                    .scale = 0.1,
                                    .labels = labels,
                                    .xyz = xyz,
                                    .residual = res};
    unsigned char *buf = NULL;
    size_t len;
    cr_assert_eq(fc_test_c3d_build(&spec, &buf, &len, NULL), 0);
    char in[4200];
    path_in(in, sizeof in, "unknown.c3d");
    fc_test_write_file(in, buf, len);
    free(buf);
    expect_input_error(in, "marker");
}
