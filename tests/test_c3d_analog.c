/* C3D analog data and parameters kept by the reader: synthetic files in
 * each processor type and storage, whose analog words the writer sets to a
 * known pattern (tests/support/c3d_writer.c: ((f 131 + a 17) mod 4001) -
 * 2000, halved in float storage), read back per channel and sample. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "import/c3d.h"
#include "support/c3d_writer.h"
#include "support/testutil.h"

static void check(enum fc_c3d_processor proc, int is_float)
{
    enum { NP = 2, NF = 5, CH = 3, SPF = 4 };
    static const char *labels[NP] = {"LASI", "RASI"};
    float xyz[NF * NP * 3], residual[NF * NP];
    for (int i = 0; i < NF * NP * 3; i++)
        xyz[i] = (float)(i * 1.5);
    for (int i = 0; i < NF * NP; i++)
        residual[i] = 0.5f;
    struct fc_test_c3d_spec spec = {.processor = proc,
                                    .is_float = is_float,
                                    .n_points = NP,
                                    .n_frames = NF,
                                    .first_frame = 1,
                                    .rate_hz = 100,
                                    .scale = 0.1,
                                    .analog_channels = CH,
                                    .analog_per_frame = SPF,
                                    .labels = labels,
                                    .xyz = xyz,
                                    .residual = residual};
    unsigned char *buf = NULL;
    size_t len = 0;
    cr_assert_eq(fc_test_c3d_build(&spec, &buf, &len, NULL), 0);
    char dir[4096], path[4200];
    fc_test_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/a.c3d", dir);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(buf, 1, len, f) == len);
    fclose(f);
    free(buf);
    struct fc_c3d c;
    struct fc_error err = {0};
    cr_assert_eq(fc_c3d_read(path, &c, &err), 0, "%s", err.msg);
    cr_assert(c.analog, "processor %d float %d: no analog data", proc, is_float);
    cr_expect_eq(c.analog_channels, CH);
    cr_expect_eq(c.analog_samples_per_frame, SPF);
    for (int fr = 0; fr < NF; fr++)
        for (int a = 0; a < CH * SPF; a++) {
            double v = (double)((fr * 131 + a * 17) % 4001) - 2000;
            if (is_float)
                v *= 0.5;
            cr_expect_float_eq(c.analog[fr * CH * SPF + a], v, 1e-3, "frame %d word %d", fr, a);
        }
    double used = 0;
    cr_expect_eq(fc_c3d_param_real(&c, "ANALOG", "USED", 0, &used), 1);
    cr_expect_float_eq(used, CH, 1e-12);
    cr_expect_eq(fc_c3d_plate_count(&c), 0);
    fc_c3d_free(&c);
    fc_test_rmtree(dir);
}

Test(c3d_analog, every_encoding_reads_its_analog_words)
{
    const enum fc_c3d_processor procs[3] = {FC_C3D_INTEL, FC_C3D_DEC, FC_C3D_MIPS};
    for (int p = 0; p < 3; p++)
        for (int fl = 0; fl < 2; fl++)
            check(procs[p], fl);
}
