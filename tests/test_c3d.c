/* C3D reader: synthetic round trips in all six encodings, damaged files,
 * byte-level fuzzing, and the real c3d.org / Rehazenter recordings. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/c3d.h"
#include "support/c3d_writer.h"
#include "support/testutil.h"

/* ---- synthetic data ---- */

#define SYN_MAX_POINTS 300

struct synth {
    char names[SYN_MAX_POINTS][24];
    const char *labels[SYN_MAX_POINTS];
    float *xyz;
    float *residual;
    struct fc_test_c3d_spec spec;
};

/* Known points: smooth values in +-3000 mm (inside int16 x 0.1 mm), residuals
 * on the scale grid, a few invalid samples. Labels include a subject prefix,
 * markers that map to joints and a second name for LEFT_ASIS (L_IAS) placed
 * after LASI, so "first wins" can be checked. */
static void synth_init(struct synth *s, int n_points, int n_frames)
{
    cr_assert_leq(n_points, SYN_MAX_POINTS);
    memset(s, 0, sizeof *s);
    static const char *fixed[] = {"A22:LASI", "RASI", "LPSI", "RPSI", "LKNE", "L_IAS"};
    for (int i = 0; i < n_points; i++) {
        if (i < 4)
            snprintf(s->names[i], sizeof s->names[i], "%s", fixed[i]);
        else if (i == n_points - 2 && n_points > 6)
            snprintf(s->names[i], sizeof s->names[i], "%s", fixed[4]);
        else if (i == n_points - 1 && n_points > 6)
            snprintf(s->names[i], sizeof s->names[i], "%s", fixed[5]);
        else
            snprintf(s->names[i], sizeof s->names[i], "M%03d", i);
        s->labels[i] = s->names[i];
    }
    size_t n = (size_t)(n_points > 0 ? n_points : 1) * (size_t)(n_frames > 0 ? n_frames : 1);
    s->xyz = calloc(n * 3, sizeof *s->xyz);
    s->residual = calloc(n, sizeof *s->residual);
    cr_assert(s->xyz && s->residual);
    for (int f = 0; f < n_frames; f++) {
        for (int i = 0; i < n_points; i++) {
            size_t k = (size_t)f * (size_t)n_points + (size_t)i;
            s->xyz[k * 3 + 0] = (float)(1000.0 * sin(0.1 * f + 0.37 * i) + 0.123 * i);
            s->xyz[k * 3 + 1] = (float)(-2500.0 + 17.31 * i - 3.7 * f);
            s->xyz[k * 3 + 2] = (float)(900.0 + 300.0 * cos(0.05 * f * i));
            s->residual[k] = (float)(((f + i) % 50) * 0.1);
        }
    }
    /* invalid samples, one of them in the LABELS2 part */
    if (n_frames > 3 && n_points > 3) {
        s->residual[1 * (size_t)n_points + 0] = -1.0f;
        s->residual[3 * (size_t)n_points + 2] = -1.0f;
        s->residual[0 * (size_t)n_points + (size_t)n_points - 1] = -1.0f;
    }
    s->spec = (struct fc_test_c3d_spec){
        .processor = FC_C3D_INTEL,
        .n_points = n_points,
        .n_frames = n_frames,
        .first_frame = 10,
        .rate_hz = 120.0,
        .scale = 0.1,
        .analog_channels = 3,
        .analog_per_frame = 4,
        .labels = s->labels,
        .xyz = s->xyz,
        .residual = s->residual,
    };
}

static void synth_free(struct synth *s)
{
    free(s->xyz);
    free(s->residual);
}

static unsigned char *synth_build(const struct synth *s, size_t *len,
                                  struct fc_test_c3d_layout *layout)
{
    unsigned char *buf = NULL;
    cr_assert_eq(fc_test_c3d_build(&s->spec, &buf, len, layout), 0, "writer failed");
    return buf;
}

/* Writes bytes to dir/name; the path goes to path. */
static void put_file(char *path, size_t cap, const char *dir, const char *name, const void *data,
                     size_t len)
{
    snprintf(path, cap, "%s/%s", dir, name);
    fc_test_write_file(path, data, len);
}

static const struct {
    enum fc_c3d_processor proc;
    int is_float;
    const char *name;
} variants[6] = {
    {FC_C3D_INTEL, 0, "intel_int.c3d"}, {FC_C3D_INTEL, 1, "intel_float.c3d"},
    {FC_C3D_DEC, 0, "dec_int.c3d"},     {FC_C3D_DEC, 1, "dec_float.c3d"},
    {FC_C3D_MIPS, 0, "mips_int.c3d"},   {FC_C3D_MIPS, 1, "mips_float.c3d"},
};

static void assert_zeroed(const struct fc_c3d *c)
{
    cr_assert_null(c->xyz);
    cr_assert_null(c->labels);
    cr_assert_null(c->residual);
    cr_assert_eq(c->n_points, 0);
    cr_assert_eq(c->n_frames, 0);
}

/* Reads path and expects failure with code and a message naming the file
 * and containing what. */
static void expect_error(const char *path, int code, const char *what)
{
    struct fc_c3d c;
    struct fc_error err = {0};
    int rc = fc_c3d_read(path, &c, &err);
    cr_log_info("%s -> %d: %s", path, rc, err.msg);
    cr_assert_eq(rc, code, "rc %d, expected %d (%s)", rc, code, err.msg);
    cr_assert_eq(err.code, code);
    cr_assert(strstr(err.msg, path), "message does not name the file: %s", err.msg);
    cr_assert(strstr(err.msg, what), "message lacks '%s': %s", what, err.msg);
    assert_zeroed(&c);
    fc_c3d_free(&c); /* harmless on a zeroed struct */
}

/* ---- round trips ---- */

Test(c3d_synthetic, round_trip_all_six_variants)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 260, 6); /* 260 labels: 255 in POINT:LABELS, 5 in LABELS2 */
    for (int v = 0; v < 6; v++) {
        s.spec.processor = variants[v].proc;
        s.spec.is_float = variants[v].is_float;
        size_t len;
        unsigned char *buf = synth_build(&s, &len, NULL);
        put_file(path, sizeof path, dir, variants[v].name, buf, len);
        free(buf);

        struct fc_c3d c;
        struct fc_error err = {0};
        cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s: %s", variants[v].name, err.msg);
        cr_assert_eq(c.processor, variants[v].proc);
        cr_assert_eq(c.is_float, variants[v].is_float);
        cr_assert_eq(c.n_points, 260);
        cr_assert_eq(c.n_frames, 6);
        cr_assert_eq(c.first_frame, 10);
        cr_assert_float_eq(c.point_rate_hz, 120.0, 1e-9);
        cr_assert_float_eq(c.point_scale, 0.1, 1e-7);
        cr_assert_eq(c.analog_per_frame, 12);
        cr_assert_str_eq(c.units, "mm");
        for (int i = 0; i < 260; i++)
            cr_assert_str_eq(c.labels[i], s.labels[i], "%s label %d", variants[v].name, i);
        for (int f = 0; f < 6; f++) {
            for (int i = 0; i < 260; i++) {
                size_t k = (size_t)f * 260 + (size_t)i;
                const float *p = fc_c3d_point(&c, f, i);
                if (s.residual[k] < 0.0f) {
                    cr_assert(isnan(p[0]) && isnan(p[1]) && isnan(p[2]), "frame %d point %d", f, i);
                    cr_assert_lt(c.residual[k], 0.0f);
                    continue;
                }
                /* float storage is exact; integers are rounded to the 0.1 mm grid */
                double tol = c.is_float ? 1e-4 : 0.05 + 1e-4;
                for (int a = 0; a < 3; a++)
                    cr_assert_float_eq(p[a], s.xyz[k * 3 + a], tol, "%s f%d p%d axis %d: %g vs %g",
                                       variants[v].name, f, i, a, p[a], s.xyz[k * 3 + a]);
                if (c.is_float)
                    for (int a = 0; a < 3; a++)
                        cr_assert_eq(p[a], s.xyz[k * 3 + a]);
                cr_assert_float_eq(c.residual[k], s.residual[k], 1e-5, "residual f%d p%d", f, i);
            }
        }
        fc_c3d_free(&c);
        assert_zeroed(&c);
    }
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_synthetic, find_point_with_and_without_prefix)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 8, 4);
    size_t len;
    unsigned char *buf = synth_build(&s, &len, NULL);
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    free(buf);
    struct fc_c3d c;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s", err.msg);
    cr_assert_str_eq(c.labels[0], "A22:LASI");
    cr_assert_eq(fc_c3d_find_point(&c, "LASI"), 0);
    cr_assert_eq(fc_c3d_find_point(&c, "lasi"), 0);
    cr_assert_eq(fc_c3d_find_point(&c, "A22:LASI"), 0);
    cr_assert_eq(fc_c3d_find_point(&c, "a22:lasi"), 0);
    cr_assert_eq(fc_c3d_find_point(&c, "B7:LASI"), -1);
    cr_assert_eq(fc_c3d_find_point(&c, "A22:RASI"), 1); /* unprefixed label, prefixed query */
    cr_assert_eq(fc_c3d_find_point(&c, "rpsi"), 3);
    cr_assert_eq(fc_c3d_find_point(&c, "LAS"), -1);
    cr_assert_eq(fc_c3d_find_point(&c, "NOPE"), -1);
    fc_c3d_free(&c);
    cr_assert_eq(fc_c3d_find_point(&c, "LASI"), -1); /* freed struct: no crash */
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_synthetic, to_track_maps_markers_first_wins)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 10, 5);
    s.spec.processor = FC_C3D_DEC;
    size_t len;
    unsigned char *buf = synth_build(&s, &len, NULL);
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    free(buf);
    struct fc_c3d c;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s", err.msg);
    struct fc_pose_track t;
    cr_assert_eq(fc_c3d_to_track(&c, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.skeleton, FC_SKELETON_MARKERS);
    cr_assert_eq(t.units, FC_UNITS_MM);
    cr_assert_eq(t.dims, 3);
    cr_assert_eq(t.time_from_source, 1);
    cr_assert_float_eq(t.rate_hz, 120.0, 1e-9);
    cr_assert_eq(t.n_frames, 5u);
    for (int f = 0; f < 5; f++) {
        const struct fc_keypoints *k = &t.frames[f];
        cr_assert_float_eq(k->t_s, (10 - 1 + f) / 120.0, 1e-12);
        /* LEFT_ASIS comes from "A22:LASI" (point 0), not the later "L_IAS" */
        const float *p = fc_c3d_point(&c, f, 0);
        if (f == 1) {
            cr_assert_eq(k->score[FC_JOINT_LEFT_ASIS], 0.0f); /* invalid sample */
            cr_assert(isnan(k->x[FC_JOINT_LEFT_ASIS]));
        } else {
            cr_assert_eq(k->score[FC_JOINT_LEFT_ASIS], 1.0f);
            cr_assert_eq(k->x[FC_JOINT_LEFT_ASIS], p[0]);
            cr_assert_eq(k->z[FC_JOINT_LEFT_ASIS], p[2]);
        }
        cr_assert_eq(k->score[FC_JOINT_RIGHT_ASIS], 1.0f);
        cr_assert_eq(k->x[FC_JOINT_LEFT_KNEE], fc_c3d_point(&c, f, 8)[0]);
        cr_assert_eq(k->score[FC_JOINT_NOSE], 0.0f);
    }
    fc_pose_track_free(&t);
    fc_c3d_free(&c);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_synthetic, units_in_metres_become_mm_in_the_track)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 6, 4);
    s.spec.is_float = 1;
    s.spec.units = "m";
    size_t len;
    unsigned char *buf = synth_build(&s, &len, NULL);
    put_file(path, sizeof path, dir, "metres.c3d", buf, len);
    free(buf);
    struct fc_c3d c;
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s", err.msg);
    cr_assert_str_eq(c.units, "m");
    cr_assert_eq(fc_c3d_to_track(&c, &t, &err), 0, "%s", err.msg);
    double want = fc_c3d_point(&c, 0, 1)[1] * 1000.0;
    cr_assert_float_eq(t.frames[0].y[FC_JOINT_RIGHT_ASIS], want, fabs(want) * 1e-6);
    fc_pose_track_free(&t);
    fc_c3d_free(&c);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_synthetic, header_values_used_when_parameters_absent)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 7, 5);
    for (int v = 0; v < 6; v++) {
        s.spec.processor = variants[v].proc;
        s.spec.is_float = variants[v].is_float;
        s.spec.header_only = 1;
        size_t len;
        unsigned char *buf = synth_build(&s, &len, NULL);
        put_file(path, sizeof path, dir, variants[v].name, buf, len);
        free(buf);
        struct fc_c3d c;
        struct fc_error err = {0};
        cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s: %s", variants[v].name, err.msg);
        cr_assert_eq(c.n_points, 7);
        cr_assert_eq(c.n_frames, 5);
        cr_assert_eq(c.first_frame, 10);
        cr_assert_eq(c.analog_per_frame, 12);
        cr_assert_float_eq(c.point_rate_hz, 120.0, 1e-9);
        cr_assert_float_eq(fc_c3d_point(&c, 4, 6)[1], s.xyz[(4 * 7 + 6) * 3 + 1], 0.0501);
        fc_c3d_free(&c);
    }
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_synthetic, frames_stored_as_float)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 5, 9);
    s.spec.frames_as_float = 1;
    s.spec.processor = FC_C3D_DEC;
    size_t len;
    unsigned char *buf = synth_build(&s, &len, NULL);
    put_file(path, sizeof path, dir, "ff.c3d", buf, len);
    free(buf);
    struct fc_c3d c;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s", err.msg);
    cr_assert_eq(c.n_frames, 9);
    fc_c3d_free(&c);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_synthetic, more_than_65535_frames_via_trial)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    enum { N = 70000 };
    float *xyz = calloc(N * 3, sizeof *xyz), *res = calloc(N, sizeof *res);
    cr_assert(xyz && res);
    for (int f = 0; f < N; f++)
        xyz[f * 3] = (float)(f % 3000);
    const char *labels[] = {"LASI"};
    struct fc_test_c3d_spec spec = {
        .processor = FC_C3D_MIPS,
        .n_points = 1,
        .n_frames = N,
        .first_frame = 1,
        .rate_hz = 1000.0,
        .scale = 0.1,
        .labels = labels,
        .xyz = xyz,
        .residual = res,
        .frames_via_trial = 1,
    };
    unsigned char *buf;
    size_t len;
    cr_assert_eq(fc_test_c3d_build(&spec, &buf, &len, NULL), 0);
    put_file(path, sizeof path, dir, "long.c3d", buf, len);
    free(buf);
    struct fc_c3d c;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s", err.msg);
    cr_assert_eq(c.n_frames, N);
    cr_assert_float_eq(fc_c3d_point(&c, N - 1, 0)[0], (float)((N - 1) % 3000), 0.051);
    fc_c3d_free(&c);
    free(xyz);
    free(res);
    fc_test_rmtree(dir);
}

/* ---- damaged and foreign files ---- */

/* A valid Intel-int synthetic file to damage; layout says where things are. */
static unsigned char *valid_file(struct synth *s, size_t *len, struct fc_test_c3d_layout *L)
{
    synth_init(s, 12, 20);
    return synth_build(s, len, L);
}

Test(c3d_bad, truncated_in_point_data)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    struct fc_test_c3d_layout L;
    size_t len;
    unsigned char *buf = valid_file(&s, &len, &L);
    size_t cut = L.data_offset + (len - L.data_offset) / 2;
    put_file(path, sizeof path, dir, "walk.c3d", buf, cut);
    expect_error(path, FC_ERR_FORMAT, "point data needs");
    free(buf);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_bad, truncated_in_parameter_section)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    struct fc_test_c3d_layout L;
    size_t len;
    unsigned char *buf = valid_file(&s, &len, &L);
    put_file(path, sizeof path, dir, "walk.c3d", buf, L.param_offset + 200);
    expect_error(path, FC_ERR_FORMAT, "parameter section says 1 blocks but the file ends after 0");
    free(buf);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_bad, every_truncation_is_an_error)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    struct fc_test_c3d_layout L;
    size_t len;
    unsigned char *buf = valid_file(&s, &len, &L);
    /* The writer does not pad the last block, so any shorter file lacks data. */
    for (size_t cut = 0; cut < len; cut += (cut < 1100 ? 1 : 7)) {
        put_file(path, sizeof path, dir, "cut.c3d", buf, cut);
        struct fc_c3d c;
        struct fc_error err = {0};
        int rc = fc_c3d_read(path, &c, &err);
        cr_assert_lt(rc, 0, "cut at %zu of %zu read fine", cut, len);
        cr_assert(strstr(err.msg, path), "cut %zu: %s", cut, err.msg);
        assert_zeroed(&c);
    }
    free(buf);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_bad, wrong_processor_byte)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    struct fc_test_c3d_layout L;
    size_t len;
    unsigned char *buf = valid_file(&s, &len, &L);
    buf[L.param_offset + 3] = 12;
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    expect_error(path, FC_ERR_FORMAT,
                 "processor type byte is 12, expected 84 (Intel), 85 (DEC) or 86 (MIPS)");
    free(buf);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_bad, parameter_block_count_past_end)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    struct fc_test_c3d_layout L;
    size_t len;
    unsigned char *buf = valid_file(&s, &len, &L);
    buf[L.param_offset + 2] = 200;
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    expect_error(path, FC_ERR_FORMAT, "parameter section says 200 blocks but the file ends after");
    free(buf);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_bad, header_points_to_parameters_past_end)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    struct fc_test_c3d_layout L;
    size_t len;
    unsigned char *buf = valid_file(&s, &len, &L);
    buf[0] = 250;
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    expect_error(path, FC_ERR_FORMAT, "header points to parameter block 250");
    buf[0] = 1; /* the header itself */
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    expect_error(path, FC_ERR_FORMAT, "starts at block 1");
    free(buf);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_bad, zero_frames_and_zero_points)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 6, 0);
    size_t len;
    unsigned char *buf = synth_build(&s, &len, NULL);
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    expect_error(path, FC_ERR_EMPTY, "no frames (POINT:FRAMES is 0)");
    free(buf);
    synth_free(&s);

    synth_init(&s, 0, 5);
    buf = synth_build(&s, &len, NULL);
    put_file(path, sizeof path, dir, "nopoints.c3d", buf, len);
    expect_error(path, FC_ERR_EMPTY, "no points (POINT:USED is 0)");
    free(buf);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_bad, zero_byte_text_and_missing_files)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    put_file(path, sizeof path, dir, "empty.c3d", "", 0);
    expect_error(path, FC_ERR_FORMAT, "empty (0 bytes)");
    put_file(path, sizeof path, dir, "hello.c3d", "hello world\n", 12);
    expect_error(path, FC_ERR_FORMAT, "not a C3D file (second byte is 0x65, expected 0x50)");
    /* right magic, too short for a header */
    put_file(path, sizeof path, dir, "short.c3d", "\x02\x50\x00\x00", 4);
    expect_error(path, FC_ERR_FORMAT, "shorter than the 512-byte header");
    snprintf(path, sizeof path, "%s/absent.c3d", dir);
    expect_error(path, FC_ERR_IO, "cannot open");
    expect_error(dir, FC_ERR_IO, "not a regular file");
    fc_test_rmtree(dir);
}

Test(c3d_bad, data_start_past_end)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 6, 5);
    s.spec.data_start_override = 900;
    size_t len;
    unsigned char *buf = synth_build(&s, &len, NULL);
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    expect_error(path, FC_ERR_FORMAT, "data start block 900 is past the end of the file");
    free(buf);
    synth_free(&s);
    fc_test_rmtree(dir);
}

Test(c3d_bad, to_track_without_known_markers)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    struct synth s;
    synth_init(&s, 6, 5);
    for (int i = 0; i < 6; i++)
        s.labels[i] = "FOO";
    size_t len;
    unsigned char *buf = synth_build(&s, &len, NULL);
    put_file(path, sizeof path, dir, "walk.c3d", buf, len);
    free(buf);
    struct fc_c3d c;
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s", err.msg);
    cr_assert_eq(fc_c3d_to_track(&c, &t, &err), FC_ERR_EMPTY);
    cr_assert(strstr(err.msg, "none of the 6"), "%s", err.msg);
    cr_assert_null(t.frames);
    fc_c3d_free(&c);
    synth_free(&s);
    fc_test_rmtree(dir);
}

/* ---- fuzzing ---- */

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

Test(c3d_fuzz, single_byte_mutations_never_crash, .timeout = 300)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/fuzz.c3d", dir);
    unsigned char *base[6];
    size_t len[6];
    struct fc_test_c3d_layout L[6];
    struct synth s;
    synth_init(&s, 12, 5);
    s.spec.labels_per_param = 5; /* LABELS, LABELS2, LABELS3 */
    s.spec.analog_channels = 2;
    s.spec.analog_per_frame = 2;
    for (int v = 0; v < 6; v++) {
        s.spec.processor = variants[v].proc;
        s.spec.is_float = variants[v].is_float;
        base[v] = synth_build(&s, &len[v], &L[v]);
    }
    uint32_t state = 12345;
    int ok = 0, failed = 0;
    for (int it = 0; it < 2400; it++) {
        int v = it % 6;
        unsigned char *buf = malloc(len[v]);
        cr_assert_not_null(buf);
        memcpy(buf, base[v], len[v]);
        /* Three in four mutations hit the header and parameters, where the
         * offsets and counts live; the rest land anywhere. */
        size_t span = (lcg(&state) % 4) ? L[v].data_offset : len[v];
        size_t pos = lcg(&state) % span;
        static const unsigned char specials[] = {0x00, 0xff, 0x80, 0x7f, 0x01, 0xfe};
        switch (lcg(&state) % 3) {
        case 0: buf[pos] ^= (unsigned char)(1u << (lcg(&state) % 8)); break;
        case 1: buf[pos] = (unsigned char)lcg(&state); break;
        default: buf[pos] = specials[lcg(&state) % sizeof specials]; break;
        }
        fc_test_write_file(path, buf, len[v]);
        free(buf);

        struct fc_c3d c;
        struct fc_error err = {0};
        int rc = fc_c3d_read(path, &c, &err);
        cr_assert_leq(rc, 0, "iteration %d: rc %d", it, rc);
        if (rc < 0) {
            failed++;
            cr_assert(strstr(err.msg, path), "iteration %d: %s", it, err.msg);
            assert_zeroed(&c);
            continue;
        }
        ok++;
        cr_assert_gt(c.n_points, 0);
        cr_assert_gt(c.n_frames, 0);
        /* touch everything so the sanitizer sees any short allocation */
        double sum = 0.0;
        for (long k = 0; k < (long)c.n_frames * c.n_points; k++) {
            sum += c.residual[k];
            sum += c.xyz[k * 3] + c.xyz[k * 3 + 1] + c.xyz[k * 3 + 2];
        }
        for (int i = 0; i < c.n_points; i++)
            sum += (double)strlen(c.labels[i]);
        (void)sum;
        fc_c3d_find_point(&c, "LASI");
        struct fc_pose_track t;
        if (fc_c3d_to_track(&c, &t, &err) == 0)
            fc_pose_track_free(&t);
        fc_c3d_free(&c);
    }
    cr_log_info("fuzz: %d read, %d rejected", ok, failed);
    cr_assert_gt(ok, 0);
    cr_assert_gt(failed, 0);
    for (int v = 0; v < 6; v++)
        free(base[v]);
    synth_free(&s);
    fc_test_rmtree(dir);
}

/* Exhaustive over the structure: every header field byte and every byte of
 * the parameter section, set in turn to each extreme value. */
Test(c3d_fuzz, every_structural_byte_extremes, .timeout = 300)
{
    char dir[256], path[512];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/fuzz.c3d", dir);
    struct synth s;
    synth_init(&s, 7, 3);
    s.spec.labels_per_param = 3;
    static const unsigned char extremes[] = {0x00, 0xff, 0x80, 0x7f};
    long reads = 0, ok = 0;
    for (int v = 0; v < 6; v++) {
        s.spec.processor = variants[v].proc;
        s.spec.is_float = variants[v].is_float;
        struct fc_test_c3d_layout L;
        size_t len;
        unsigned char *buf = synth_build(&s, &len, &L);
        for (size_t pos = 0; pos < L.data_offset; pos++) {
            if (pos >= 24 && pos < L.param_offset)
                continue; /* unused header words */
            unsigned char orig = buf[pos];
            for (size_t x = 0; x < sizeof extremes; x++) {
                buf[pos] = extremes[x];
                fc_test_write_file(path, buf, len);
                struct fc_c3d c;
                struct fc_error err = {0};
                int rc = fc_c3d_read(path, &c, &err);
                cr_assert_leq(rc, 0);
                reads++;
                if (rc == 0) {
                    ok++;
                    struct fc_pose_track t;
                    if (fc_c3d_to_track(&c, &t, &err) == 0)
                        fc_pose_track_free(&t);
                } else {
                    cr_assert(strstr(err.msg, path), "%s", err.msg);
                    assert_zeroed(&c);
                }
                fc_c3d_free(&c);
            }
            buf[pos] = orig;
        }
        free(buf);
    }
    cr_log_info("structural fuzz: %ld reads, %ld accepted", reads, ok);
    synth_free(&s);
    fc_test_rmtree(dir);
}

/* ---- real recordings ---- */

static int real_path(char *buf, size_t cap, const char *rel)
{
    if (!fc_test_data_dir())
        return -1;
    char r[512];
    snprintf(r, sizeof r, "c3d/%s", rel);
    return fc_test_data_path(buf, cap, r);
}

static void read_real(const char *rel, struct fc_c3d *c)
{
    char path[1024];
    if (real_path(path, sizeof path, rel) < 0)
        cr_skip_test("real data absent: %s", rel);
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, c, &err), 0, "%s", err.msg);
}

static const char *proc_name(enum fc_c3d_processor p)
{
    return p == FC_C3D_INTEL ? "Intel" : p == FC_C3D_DEC ? "DEC" : "MIPS";
}

/* Largest |a - b| over samples valid in both; -1 if validity differs. */
static double max_diff(const struct fc_c3d *a, const struct fc_c3d *b)
{
    double worst = 0.0;
    for (long k = 0; k < (long)a->n_frames * a->n_points; k++) {
        int va = a->residual[k] >= 0.0f, vb = b->residual[k] >= 0.0f;
        if (va != vb)
            return -1.0;
        if (!va)
            continue;
        for (int i = 0; i < 3; i++) {
            double d = fabs((double)a->xyz[k * 3 + i] - (double)b->xyz[k * 3 + i]);
            if (d > worst)
                worst = d;
        }
    }
    return worst;
}

Test(c3d_real, sample01_six_variants_decode_identically)
{
    static const char *names[6] = {"pi", "pr", "si", "sr", "vi", "vr"};
    struct fc_c3d c[6];
    for (int v = 0; v < 6; v++) {
        char rel[128];
        snprintf(rel, sizeof rel, "c3d_org_variants/sample_01_Eb015%s.c3d", names[v]);
        read_real(rel, &c[v]);
        cr_assert_eq(c[v].n_points, 26);
        cr_assert_eq(c[v].n_frames, 450);
        cr_assert_float_eq(c[v].point_rate_hz, 50.0, 1e-9);
        cr_assert_eq(c[v].is_float, names[v][1] == 'r');
    }
    cr_assert_eq(c[0].processor, FC_C3D_INTEL);
    cr_assert_eq(c[2].processor, FC_C3D_MIPS);
    cr_assert_eq(c[4].processor, FC_C3D_DEC);
    for (int v = 1; v < 6; v++) {
        for (int i = 0; i < 26; i++)
            cr_assert_str_eq(c[v].labels[i], c[0].labels[i]);
        /* The float files hold exactly int x POINT:SCALE (in float), so all
         * six decode bit-identically, int against float included. */
        double d = max_diff(&c[0], &c[v]);
        cr_log_info("sample01 %s vs pi: max |diff| %g mm", names[v], d);
        cr_assert_eq(d, 0.0, "%s differs from pi by %g mm (-1: validity)", names[v], d);
        for (long k = 0; k < 450L * 26; k++)
            cr_assert_eq(c[v].residual[k] < 0.0f, c[0].residual[k] < 0.0f);
    }
    for (int v = 0; v < 6; v++)
        fc_c3d_free(&c[v]);
}

Test(c3d_real, s25_intel_float_and_dec_int_agree)
{
    struct fc_c3d f, i;
    read_real("c3dorg_s25_walk_analogfpscale04_INTELfloat.c3d", &f);
    read_real("c3dorg_s25_walk_analogfpscale04i_DECint.c3d", &i);
    cr_assert_eq(f.processor, FC_C3D_INTEL);
    cr_assert_eq(i.processor, FC_C3D_DEC);
    cr_assert(f.is_float && !i.is_float);
    cr_assert_eq(f.n_points, i.n_points);
    cr_assert_eq(f.n_frames, i.n_frames);
    for (int k = 0; k < f.n_points; k++)
        cr_assert_str_eq(f.labels[k], i.labels[k]);
    double d = max_diff(&f, &i);
    cr_log_info("s25 float vs DEC int: max |diff| %g mm (int scale %g)", d, i.point_scale);
    cr_assert_geq(d, 0.0, "validity differs");
    /* c3d.org's converter truncated toward zero instead of rounding, so the
     * int file is up to one whole scale step (not half) from the float one;
     * check that truncation is indeed what happened. */
    cr_assert_lt(d, i.point_scale + 1e-4);
    long n = 0, truncated = 0;
    for (long k = 0; k < (long)f.n_frames * f.n_points; k++) {
        if (f.residual[k] < 0.0f)
            continue;
        for (int a = 0; a < 3; a++, n++) {
            double want = trunc(f.xyz[k * 3 + a] / i.point_scale) * i.point_scale;
            truncated += fabs(want - i.xyz[k * 3 + a]) < 1e-3;
        }
    }
    cr_log_info("s25: %ld of %ld coordinates are the float value truncated", truncated, n);
    cr_assert_gt(truncated, n * 999 / 1000);
    fc_c3d_free(&f);
    fc_c3d_free(&i);
}

static int read_dir(const char *dir, int *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".c3d") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct fc_c3d c;
        struct fc_error err = {0};
        int rc = fc_c3d_read(path, &c, &err);
        cr_expect_eq(rc, 0, "%s", err.msg);
        if (rc == 0) {
            int valid = 0;
            for (long k = 0; k < (long)c.n_frames * c.n_points; k++)
                valid += c.residual[k] >= 0.0f;
            /* Frames line up (the analog block was skipped by the right
             * amount): a named body marker moves at most a few cm between
             * consecutive frames of these recordings; misaligned frames would
             * jump by metres. */
            double jump = 0.0;
            int named = 0;
            for (int i = 0; i < c.n_points; i++)
                named += fc_joint_from_marker(c.labels[i]) >= 0;
            for (int i = 0; i < c.n_points; i++) {
                /* with no known marker names (sample 01) every point is a marker */
                if (named && fc_joint_from_marker(c.labels[i]) < 0)
                    continue;
                for (int f = 1; f < c.n_frames; f++) {
                    const float *p = fc_c3d_point(&c, f, i), *q = fc_c3d_point(&c, f - 1, i);
                    double dd = fabs(p[0] - q[0]) + fabs(p[1] - q[1]) + fabs(p[2] - q[2]);
                    if (!isnan(dd) && dd > jump)
                        jump = dd;
                }
            }
            cr_expect_lt(jump, 150.0, "%s: a marker jumps %g mm between frames", e->d_name, jump);
            fprintf(stderr,
                    "c3d: %-58s %-5s %-5s points %3d frames %4d (first %d) rate %g Hz, analog "
                    "%d/frame, scale %g, units %s, valid %.1f%%, max marker step %.1f mm\n",
                    e->d_name, proc_name(c.processor), c.is_float ? "float" : "int", c.n_points,
                    c.n_frames, c.first_frame, c.point_rate_hz, c.analog_per_frame, c.point_scale,
                    c.units, 100.0 * valid / ((double)c.n_frames * c.n_points), jump);
            (*count)++;
        }
        fc_c3d_free(&c);
    }
    closedir(d);
    return 0;
}

Test(c3d_real, every_file_reads)
{
    const char *data = fc_test_data_dir();
    if (!data)
        cr_skip_test("real data absent");
    char dir[1024];
    int count = 0;
    snprintf(dir, sizeof dir, "%s/c3d", data);
    cr_assert_eq(read_dir(dir, &count), 0);
    snprintf(dir, sizeof dir, "%s/c3d/c3d_org_variants", data);
    cr_assert_eq(read_dir(dir, &count), 0);
    cr_assert_geq(count, 12);
}

Test(c3d_real, named_markers_and_manifest_counts)
{
    struct fc_c3d c;
    /* s00: MANIFEST says 171 points, 100 Hz, 493 frames. POINT:USED counts
     * the model outputs too (angles, forces, moments, powers). */
    read_real("c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d", &c);
    cr_assert_eq(c.processor, FC_C3D_INTEL);
    cr_assert(c.is_float);
    cr_assert_eq(c.n_points, 171);
    cr_assert_eq(c.n_frames, 493);
    cr_assert_eq(c.first_frame, 63);
    cr_assert_float_eq(c.point_rate_hz, 100.0, 1e-9);
    const char *s00[] = {"LASI", "RASI", "LPSI", "RPSI", "LPelvisAngles"};
    for (int k = 0; k < 5; k++)
        cr_assert_geq(fc_c3d_find_point(&c, s00[k]), 0, "%s missing", s00[k]);
    fc_c3d_free(&c);

    read_real("rehazenter_2014001_C1_01_gait_INTELfloat.c3d", &c);
    cr_assert_eq(c.n_points, 52);
    cr_assert_eq(c.n_frames, 387);
    cr_assert_float_eq(c.point_rate_hz, 100.0, 1e-9);
    const char *isb[] = {"L_IAS", "R_IAS", "L_IPS", "R_IPS"};
    for (int k = 0; k < 4; k++)
        cr_assert_geq(fc_c3d_find_point(&c, isb[k]), 0, "%s missing", isb[k]);
    fc_c3d_free(&c);

    read_real("c3dorg_s25_walk_analogfpscale04_INTELfloat.c3d", &c);
    cr_assert_eq(c.n_points, 17);
    cr_assert_eq(c.n_frames, 397);
    cr_assert_float_eq(c.point_rate_hz, 120.0, 1e-9);
    int lasi = fc_c3d_find_point(&c, "LASI");
    cr_assert_geq(lasi, 0);
    cr_assert_str_eq(c.labels[lasi], "IS070607:LASI");
    fc_c3d_free(&c);

    read_real("c3dorg_s03_gait-raw_DECint.c3d", &c);
    cr_assert_eq(c.processor, FC_C3D_DEC);
    cr_assert(!c.is_float);
    cr_assert_eq(c.n_points, 27);
    cr_assert_eq(c.n_frames, 142);
    cr_assert_float_eq(c.point_rate_hz, 50.0, 1e-9);
    cr_assert_geq(fc_c3d_find_point(&c, "SACR"), 0);
    fc_c3d_free(&c);

    read_real("c3dorg_s06_MACsample_MIPSint.c3d", &c);
    cr_assert_eq(c.processor, FC_C3D_MIPS);
    cr_assert(!c.is_float);
    cr_assert_eq(c.n_points, 33);
    cr_assert_eq(c.n_frames, 180);
    cr_assert_float_eq(c.point_rate_hz, 60.0, 1e-9);
    cr_assert_geq(fc_c3d_find_point(&c, "VSAC"), 0);
    fc_c3d_free(&c);
}

Test(c3d_real, s00_track_has_left_asis)
{
    struct fc_c3d c;
    read_real("c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d", &c);
    struct fc_pose_track t;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_to_track(&c, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.n_frames, 493u);
    size_t seen = 0;
    for (size_t f = 0; f < t.n_frames; f++)
        seen += fc_keypoints_has(&t.frames[f], FC_JOINT_LEFT_ASIS, 0.5f);
    cr_log_info("s00: LEFT_ASIS in %zu of %zu frames", seen, t.n_frames);
    cr_assert_gt(seen, t.n_frames * 9 / 10);
    cr_assert_float_eq(t.frames[0].t_s, 62 / 100.0, 1e-12);
    fc_pose_track_free(&t);
    fc_c3d_free(&c);
}
