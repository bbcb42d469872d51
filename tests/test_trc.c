/* TRC marker files: what formcheck writes reads back bit for bit; files
 * laid out as OpenSim's documentation and Pose2Sim write them import; and
 * damaged ones are refused with the line and column named. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "import/trc.h"
#include "support/testutil.h"

static char dir[4096];

static void setup(void)
{
    fc_test_mkdtemp(dir, sizeof dir);
}
static void teardown(void)
{
    fc_test_rmtree(dir);
}

static const char *put(const char *name, const char *text)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    return path;
}

TestSuite(trc, .init = setup, .fini = teardown);

Test(trc, written_file_reads_back_identically)
{
    struct fc_trc t, back;
    struct fc_error err = {0};
    cr_assert_eq(fc_trc_alloc(&t, 7, 3, &err), 0);
    t.rate_hz = 119.88;
    t.first_frame = 63;
    const char *names[3] = {"LASI", "Subject:RASI", "marker with space"};
    for (int m = 0; m < 3; m++)
        snprintf(t.labels[m], FC_TRC_LABEL_MAX, "%s", names[m]);
    for (int f = 0; f < 7; f++) {
        t.t_s[f] = (62.0 + f) / 119.88;
        for (int k = 0; k < 9; k++)
            t.xyz[f * 9 + k] = (float)((k + 1) * 1234.567891 / (f + 3.0) - 977.0 * (k % 2));
    }
    t.xyz[2 * 9 + 4] = NAN; /* one missing marker sample */
    t.xyz[6 * 9 + 0] = 1e-7f;
    t.xyz[6 * 9 + 1] = -0.0f + 1.0f / 3.0f;
    const char *path = put("out.trc", "");
    cr_assert_eq(fc_trc_write(path, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_trc_read(path, &back, &err), 0, "%s", err.msg);
    cr_expect_eq(back.n_frames, 7);
    cr_expect_eq(back.n_markers, 3);
    cr_expect_eq(back.first_frame, 63);
    cr_expect_eq(back.rate_hz, t.rate_hz);
    cr_expect_str_eq(back.units, "mm");
    for (int m = 0; m < 3; m++)
        cr_expect_str_eq(back.labels[m], names[m]);
    for (int f = 0; f < 7; f++) {
        cr_expect_eq(back.t_s[f], t.t_s[f], "time of frame %d", f);
        for (int k = 0; k < 9; k++) {
            float a = t.xyz[f * 9 + k], b = back.xyz[f * 9 + k];
            if (isnan(a))
                cr_expect(isnan(b), "frame %d value %d should be missing", f, k);
            else
                cr_expect(memcmp(&a, &b, sizeof a) == 0, "frame %d value %d: %.9g vs %.9g", f, k,
                          (double)a, (double)b);
        }
    }
    struct fc_error e2 = {0};
    cr_expect_eq(fc_input_detect(path, &e2), FC_INPUT_TRC, "%s", e2.msg);
    fc_trc_free(&t);
    fc_trc_free(&back);
}

/* The layout of the example in OpenSim's documentation ("Marker (.trc)
 * Files": five header lines, a blank line, then Frame#, Time and X Y Z per
 * marker, tab-separated); missing samples are empty cells. */
static const char opensim_doc[] =
    "PathFileType\t4\t(X/Y/Z)\tsubject01_walk1.trc\n"
    "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\t"
    "OrigNumFrames\n"
    "60.00\t60.00\t3\t3\tmm\t60.00\t1\t3\n"
    "Frame#\tTime\tR.ASIS\t\t\tL.ASIS\t\t\tV.Sacral\t\t\n"
    "\t\tX1\tY1\tZ1\tX2\tY2\tZ2\tX3\tY3\tZ3\n"
    "\n"
    "1\t0.000\t-1.7\t1000.5\t120.25\t-1.9\t1001.0\t-118.0\t-180.5\t1010.0\t0.5\n"
    "2\t0.017\t14.2\t1000.6\t120.3\t\t\t\t-165.0\t1010.2\t0.6\n"
    "3\t0.033\t30.1\t1000.7\t120.4\t28.0\t1001.2\t-117.8\t-150.0\t1010.4\t0.7\n";

Test(trc, opensim_documentation_layout_imports)
{
    const char *path = put("doc.trc", opensim_doc);
    struct fc_trc t;
    struct fc_error err = {0};
    cr_assert_eq(fc_trc_read(path, &t, &err), 0, "%s", err.msg);
    cr_expect_eq(t.n_frames, 3);
    cr_expect_eq(t.n_markers, 3);
    cr_expect_float_eq(t.rate_hz, 60.0, 1e-12);
    cr_expect_str_eq(t.labels[2], "V.Sacral");
    cr_expect_float_eq(fc_trc_point(&t, 0, 2)[0], -180.5f, 1e-6);
    cr_expect_float_eq(t.t_s[2], 0.033, 1e-12);
    cr_expect(isnan(fc_trc_point(&t, 1, 1)[0]) && isnan(fc_trc_point(&t, 1, 1)[2]),
              "the empty cells are a missing marker");
    cr_expect_float_eq(fc_trc_point(&t, 1, 2)[0], -165.0f, 1e-6);
    fc_trc_free(&t);
}

/* As Pose2Sim writes its triangulated markers: metres, Windows line ends,
 * no blank line before the data, Plug-in Gait marker names. */
static const char pose2sim[] =
    "PathFileType\t4\t(X/Y/Z)\tS00_P00_T00_0-5.trc\r\n"
    "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\t"
    "OrigNumFrames\r\n"
    "30\t30\t2\t4\tm\t30\t0\t2\r\n"
    "Frame#\tTime\tLASI\t\t\tRASI\t\t\tLPSI\t\t\tRPSI\r\n"
    "\t\tX1\tY1\tZ1\tX2\tY2\tZ2\tX3\tY3\tZ3\tX4\tY4\tZ4\r\n"
    "0\t0.0\t0.1\t0.12\t1.0\t0.1\t-0.12\t1.0\t-0.06\t0.05\t1.05\t-0.06\t-0.05\t1.05\r\n"
    "1\t0.0333\t0.15\t0.12\t1.0\t0.15\t-0.12\t1.0\t-0.01\t0.05\t1.05\t-0.01\t-0.05\t1.05\r\n";

Test(trc, pose2sim_layout_in_metres_imports_as_a_track)
{
    const char *path = put("p2s.trc", pose2sim);
    struct fc_pose_track tr;
    struct fc_error err = {0};
    cr_assert_eq(fc_import_any(path, NULL, &tr, &err), 0, "%s", err.msg);
    cr_expect_eq(tr.n_frames, 2);
    cr_expect_eq(tr.dims, 3);
    cr_expect_eq(tr.units, FC_UNITS_MM);
    cr_expect_float_eq(tr.frames[1].x[FC_JOINT_LEFT_ASIS], 150.0f, 1e-3);
    cr_expect_float_eq(tr.frames[0].z[FC_JOINT_RIGHT_PSIS], 1050.0f, 1e-3);
    cr_expect_float_eq(tr.frames[1].t_s, 0.0333, 1e-12);
    fc_pose_track_free(&tr);
}

static void refused(const char *text, const char *expect)
{
    const char *path = put("bad.trc", text);
    struct fc_trc t;
    struct fc_error err = {0};
    cr_expect_lt(fc_trc_read(path, &t, &err), 0);
    cr_expect(strstr(err.msg, expect) != NULL, "'%s' should say '%s'", err.msg, expect);
}

Test(trc, damaged_files_are_refused_with_the_place)
{
    refused("PathFileType\t4\n", "header ends");
    refused("Frame#\tTime\n", "not a TRC file");
    refused(
        "PathFileType\t4\nDataRate\tNumMarkers\n100\t2\nFrame#\tTime\tA\t\t\n\tX1\n1\t0\t1\t2\t3\n",
        "line 4 names 1 markers but NumMarkers says 2");
    refused("PathFileType\t4\nDataRate\tNumMarkers\n100\t1\nFrame#"
            "\tTime\tA\t\t\n\tX1\n1\t0\t1\tx2\t3\n",
            "line 6, column 4");
    refused("PathFileType\t4\nDataRate\tNumMarkers\n-5\t1\n", "DataRate");
    refused("PathFileType\t4\nDataRate\tNumMarkers\n100\t1\nFrame#\tTime\tA\n\tX1\n",
            "no data rows");
}

/* Mutated files (bytes changed, lines cut, digits swapped for letters)
 * are read or refused with a message, never a crash or an out-of-bounds
 * read (the sanitizer build checks the latter). */
Test(trc, mutated_files_never_crash)
{
    size_t len = strlen(opensim_doc);
    char buf[sizeof opensim_doc + 8];
    unsigned seed = 12345u;
    for (int round = 0; round < 400; round++) {
        memcpy(buf, opensim_doc, len + 1);
        int edits = 1 + round % 6;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            static const char pool[] = "\t\n0123456789.-eNaX \r";
            buf[at] = pool[(seed >> 20) % (sizeof pool - 1)];
        }
        if (round % 7 == 0)
            buf[(seed >> 4) % len] = '\0'; /* cut short */
        const char *path = put("m.trc", buf);
        struct fc_trc t;
        struct fc_error err = {0};
        if (fc_trc_read(path, &t, &err) == 0) {
            cr_expect_gt(t.n_frames, 0);
            fc_trc_free(&t);
        } else {
            cr_expect(strstr(err.msg, "m.trc") != NULL, "the message names the file: %s", err.msg);
        }
    }
}
