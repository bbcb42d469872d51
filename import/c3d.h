/* formcheck import: C3D motion-capture files (c3d.org format).
 *
 * Reads the 3-D point data of a C3D file written by any of the three
 * processor types (Intel, DEC, SGI/MIPS), in integer or floating-point
 * storage, with POINT:SCALE applied, samples marked invalid by a negative
 * residual set to NaN, POINT:LABELS continued by LABELS2, LABELS3..., the
 * analog channels scaled to their units, and every parameter kept (the
 * PROCESSING group's subject measurements, the EVENT group). Everything else in the file is
 * validated against its size before it is used: a damaged file gives an error, never a crash.
 *
 *     struct fc_c3d c3d;
 *     struct fc_error err = {0};
 *     if (fc_c3d_read("walk.c3d", &c3d, &err) < 0) { puts(err.msg); return 1; }
 *     int lasi = fc_c3d_find_point(&c3d, "LASI");      // also finds "A22:LASI"
 *     const float *p = fc_c3d_point(&c3d, frame, lasi); // x, y, z in mm or NaN
 *     fc_c3d_free(&c3d);
 */
#ifndef FC_IMPORT_C3D_H
#define FC_IMPORT_C3D_H

#include "core/error.h"
#include "core/keypoints.h"

enum fc_c3d_processor {
    FC_C3D_INTEL = 84, /* little-endian, IEEE floats */
    FC_C3D_DEC = 85,   /* little-endian integers, DEC (VAX F) floats */
    FC_C3D_MIPS = 86,  /* big-endian, IEEE floats */
};

#define FC_C3D_LABEL_MAX 64
#define FC_C3D_PARAM_NAME_MAX 129 /* a C3D name is at most 127 bytes (a signed byte) */

/* One parameter as stored: numbers as doubles (int16 signed, bytes
 * unsigned, floats in the processor's format), text as its raw bytes. */
struct fc_c3d_param {
    char group[FC_C3D_PARAM_NAME_MAX];
    char name[FC_C3D_PARAM_NAME_MAX];
    int type; /* -1 text, 1 byte, 2 int16, 4 float */
    int ndims;
    int dims[7];
    size_t count;   /* product of dims (1 for a scalar) */
    double *values; /* count numbers; NULL for text */
    char *text;     /* count bytes + NUL for text; NULL for numbers */
};

/* One event of the EVENT group (Vicon Nexus writes foot strikes and foot
 * offs there). */
struct fc_c3d_event {
    char context[32]; /* "Left", "Right", "General" */
    char label[32];   /* "Foot Strike", "Foot Off", ... */
    double t_s;       /* EVENT:TIMES minutes * 60 + seconds */
};

struct fc_c3d {
    enum fc_c3d_processor processor;
    int is_float;         /* storage: 1 float, 0 scaled int16 */
    double point_scale;   /* POINT:SCALE (absolute value) */
    double point_rate_hz; /* POINT:RATE, or the header rate */
    int first_frame;      /* 1-based frame number of the first sample */
    int n_frames;
    int n_points;
    int analog_per_frame;             /* analog samples per point frame, all channels */
    char units[16];                   /* POINT:UNITS, "mm" when absent */
    char (*labels)[FC_C3D_LABEL_MAX]; /* n_points labels, trimmed, prefix kept */
    float *xyz;                       /* n_frames * n_points * 3; NaN where the sample is invalid */
    float *residual;                  /* n_frames * n_points; negative where invalid */
    /* Analog data (force plates, EMG) in physical units, (raw - OFFSET) *
     * SCALE * GEN_SCALE: sample s of channel k in frame i is
     * analog[(i * analog_samples_per_frame + s) * analog_channels + k];
     * NULL when the file has none. */
    float *analog;
    int analog_channels, analog_samples_per_frame;
    size_t n_params; /* every parameter of the file, for fc_c3d_param_* */
    struct fc_c3d_param *params;
};

int fc_c3d_read(const char *path, struct fc_c3d *out, struct fc_error *err);
void fc_c3d_free(struct fc_c3d *c);
/* Millimetres per unit of a length unit as C3D's POINT:UNITS and TRC's
 * Units name it ("mm" or empty, "cm", "m"); 0 when formcheck does not know
 * it. */
double fc_c3d_units_mm(const char *units);

/* Index of the point whose label equals name, ignoring case and any
 * "PREFIX:" before it; -1 when absent. */
int fc_c3d_find_point(const struct fc_c3d *c, const char *name);

/* Parameter GROUP:NAME (case ignored); NULL when absent. */
const struct fc_c3d_param *fc_c3d_param(const struct fc_c3d *c, const char *group,
                                        const char *name);
/* Element i of a numeric parameter: 1 found, 0 absent, text or i out of range. */
int fc_c3d_param_real(const struct fc_c3d *c, const char *group, const char *name, size_t i,
                      double *out);
/* String i of a text parameter (a 2-D char array: dims[0] characters per
 * string), trailing blanks dropped: 1 found, 0 absent or out of range. */
int fc_c3d_param_string(const struct fc_c3d *c, const char *group, const char *name, size_t i,
                        char *out, size_t cap);
/* The EVENT group's events sorted by time (*out malloc'ed; *n 0 and *out
 * NULL when the file has none). < 0 when the group is inconsistent (the
 * TIMES array shorter than EVENT:USED). */
int fc_c3d_events(const struct fc_c3d *c, struct fc_c3d_event **out, size_t *n,
                  struct fc_error *err);

/* Force plate i (0-based) of FORCE_PLATFORM: its vertical force channel
 * (types 1, 2 and 4: the third of its CHANNELs) as samples fz[k * stride],
 * k < n_samples, in the channel's units (N), and its CORNERS (lab units).
 * 0 when found; -1 when the file has no such plate, no analog data, or a
 * plate type without one vertical channel (type 3). */
int fc_c3d_plate_fz(const struct fc_c3d *c, int plate, const float **fz, size_t *stride,
                    size_t *n_samples, double corners[4][3]);
int fc_c3d_plate_count(const struct fc_c3d *c);

static inline const float *fc_c3d_point(const struct fc_c3d *c, int frame, int point)
{
    return c->xyz + ((long)frame * c->n_points + point) * 3;
}

/* The named markers that are canonical joints (fc_joint_from_marker), as a
 * 3-D track in mm with t_s = (first_frame - 1 + i) / rate. Score 1 for a
 * valid sample, 0 for an invalid one. */
int fc_c3d_to_track(const struct fc_c3d *c, struct fc_pose_track *t, struct fc_error *err);

#endif
