/* A small C3D writer for tests only: builds synthetic files from first
 * principles (c3d.org layout) in any of the three processor formats, integer
 * or float storage, so the reader can be checked against known values and
 * corrupted on purpose. Not a general writer: no events, no force plates. */
#ifndef FC_TESTS_C3D_WRITER_H
#define FC_TESTS_C3D_WRITER_H

#include <stddef.h>

#include "import/c3d.h"

struct fc_test_c3d_spec {
    enum fc_c3d_processor processor;
    int is_float; /* 1: float storage (negative POINT:SCALE) */
    int n_points, n_frames;
    int first_frame; /* 1-based; 0 is written as 1 */
    double rate_hz;
    double scale; /* > 0; written negated for float storage */
    int analog_channels;
    int analog_per_frame;      /* samples per channel per point frame */
    const char *const *labels; /* n_points labels */
    const float *xyz;          /* n_frames * n_points * 3, mm */
    const float *residual;     /* n_frames * n_points; < 0 marks an invalid sample */
    const char *units;         /* POINT:UNITS; NULL writes "mm" */
    int labels_per_param;      /* labels per POINT:LABELS/LABELS2/...; 0 = 255 */
    int frames_as_float;       /* POINT:FRAMES stored as a float */
    int frames_via_trial;      /* POINT:FRAMES 65535 and the count in TRIAL:ACTUAL_*_FIELD */
    int header_only;           /* leave out the numeric POINT and ANALOG parameters */
    int data_start_override;   /* header and POINT:DATA_START; 0 = right after parameters */
};

/* Where things landed, for tests that cut or corrupt the file. */
struct fc_test_c3d_layout {
    size_t param_offset; /* byte offset of the parameter section */
    size_t param_blocks;
    size_t data_offset; /* byte offset of the first frame */
    size_t frame_bytes; /* bytes per frame, points and analog */
};

/* Builds the file in memory (caller frees *out). 0 on success, -1 when the
 * spec cannot be written (a value outside int16 range in integer storage). */
int fc_test_c3d_build(const struct fc_test_c3d_spec *s, unsigned char **out, size_t *len,
                      struct fc_test_c3d_layout *layout);

#endif
