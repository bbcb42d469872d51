/* formcheck analysis: the Plug-in Gait lower body from motion-capture markers.
 *
 * The Conventional Gait Model as Vicon's Plug-in Gait defines it (Davis et
 * al. 1991; Kadaba et al. 1990; Baker 2013, "Measuring walking"):
 *   hip joint centres    Davis's regression from leg length, inter-ASIS
 *                        distance and ASIS-trochanter distance, fixed in the
 *                        pelvis frame (analysis/pelvis.h);
 *   knee and ankle       the chord function: the centre lies half the joint
 *   joint centres        width plus a marker radius from the lateral marker,
 *                        in the plane of that marker, the wand marker and
 *                        the proximal centre, at a right angle; the thigh and
 *                        shank rotation offsets turn that plane;
 *   segments             femur, tibia (with and without tibial torsion) and
 *                        foot (toe to ankle, corrected by the static
 *                        plantarflexion and rotation offsets), all with X
 *                        forwards, Y to the subject's left and Z up;
 *   angles               YXZ Cardan angles of each segment relative to its
 *                        proximal one, in Plug-in Gait's signs: flexion,
 *                        adduction (varus) and internal rotation positive;
 *                        ankle dorsiflexion, inversion and internal rotation
 *                        positive; foot progression internal (toe-in)
 *                        positive; the thorax (where C7, T10, CLAV and
 *                        STRN exist: Z from mid STRN-T10 to mid CLAV-C7,
 *                        X forwards from the back pair to the front pair)
 *                        relative to the progression, with the pelvis's
 *                        signs.
 *
 * The module knows marker names, not files: the caller says where each
 * marker's samples lie (import/ reads C3D and TRC) and sets the subject's
 * measurements by their Plug-in Gait names.
 *
 *     struct fc_pig_markers m;
 *     fc_pig_markers_bind(&m, c3d.labels[0], FC_C3D_LABEL_MAX, c3d.n_points, c3d.xyz,
 *                         c3d.n_frames, 1.0);
 *     struct fc_pig_params p = fc_pig_default_params();
 *     fc_pig_params_set(&p, "LLegLength", 860.0);          // from the lab, if any
 *     struct fc_pig_output out;
 *     if (fc_pig_run(&m, &p, &out, &err) == 0) {
 *         const double *hip = fc_pig_angle(&out, frame, FC_SIDE_LEFT, FC_PIG_HIP);
 *         // hip[0] flexion, hip[1] adduction, hip[2] internal rotation, degrees
 *         fc_pig_output_free(&out);
 *     }
 */
#ifndef FC_ANALYSIS_PIG_H
#define FC_ANALYSIS_PIG_H

#include "core/error.h"
#include "core/keypoints.h"

#include <stddef.h>

enum fc_pig_marker {
    FC_PIG_LASI,
    FC_PIG_RASI,
    FC_PIG_LPSI,
    FC_PIG_RPSI,
    FC_PIG_SACR,
    FC_PIG_LTHI,
    FC_PIG_LKNE,
    FC_PIG_LTIB,
    FC_PIG_LANK,
    FC_PIG_LHEE,
    FC_PIG_LTOE,
    FC_PIG_RTHI,
    FC_PIG_RKNE,
    FC_PIG_RTIB,
    FC_PIG_RANK,
    FC_PIG_RHEE,
    FC_PIG_RTOE,
    FC_PIG_C7,
    FC_PIG_T10,
    FC_PIG_CLAV,
    FC_PIG_STRN,
    FC_PIG_MARKER_COUNT
};

/* "LASI", ...; NULL out of range. */
const char *fc_pig_marker_name(enum fc_pig_marker m);
/* A label to a marker, ignoring case and a "Subject:" prefix; -1 if not one. */
int fc_pig_marker_from_label(const char *label);

/* Where the samples are: marker k of frame i is xyz[k] + i * stride (x, y,
 * z in lab units times mm_per_unit; NaN = missing). xyz[k] NULL = the
 * marker is absent. A C3D's point array fits without a copy. */
struct fc_pig_markers {
    size_t n_frames;
    size_t stride;      /* floats from one frame to the next */
    double mm_per_unit; /* 0 is taken as 1 */
    const float *xyz[FC_PIG_MARKER_COUNT];
};

/* Binds the named markers of a point array laid out as [frame][point][3]
 * (a C3D's, a TRC's): label i is labels + i * label_stride. The first point
 * with a marker's name wins. Returns the number of markers bound. */
int fc_pig_markers_bind(struct fc_pig_markers *m, const char *labels, size_t label_stride,
                        size_t n_points, const float *xyz, size_t n_frames, double mm_per_unit);

/* Subject measurements (mm) and static offsets (deg), per side (index
 * enum fc_side). NaN = not given: fc_pig_run estimates it and sets the
 * field's bit in estimated. */
struct fc_pig_side_params {
    double leg_length_mm;
    double knee_width_mm;
    double ankle_width_mm;
    double asis_trochanter_mm;
    double thigh_rotation_deg;
    double shank_rotation_deg;
    double tibial_torsion_deg;
    double static_plantar_flexion_deg;
    double static_rotation_offset_deg;
    double ankle_abadd_deg; /* the ankle centre turned about the shank's X axis
                               through ANK (pyCGM2's AnkleAbAdd); side-signed
                               like the rotations: the same tilt is +a left,
                               -a right */
};

struct fc_pig_params {
    double inter_asis_mm;
    double marker_diameter_mm;
    struct fc_pig_side_params side[2];
};

/* Everything NaN (to be estimated) but the marker diameter, Vicon's 14 mm. */
struct fc_pig_params fc_pig_default_params(void);

/* Sets a parameter by its Plug-in Gait name, as Vicon Nexus stores them in
 * a C3D's PROCESSING group or a VSK ("LLegLength", "LeftLegLength",
 * "InterAsisDistance", "MarkerDiameter", "LTibialTorsion", ...; case
 * ignored): lengths in mm, the angular offsets (ThighRotation,
 * ShankRotation, TibialTorsion, StaticPlantFlex, StaticRotOff, AnkleAbAdd)
 * in radians as those files hold them; they are kept in degrees. A length
 * of 0 means "not measured" and leaves the field to be estimated. 1 when
 * the name is one it knows, else 0. */
int fc_pig_params_set(struct fc_pig_params *p, const char *name, double value);

enum fc_pig_joint {
    FC_PIG_PELVIS,           /* tilt, obliquity, rotation (analysis/pelvis.h) */
    FC_PIG_HIP,              /* flexion, adduction, internal rotation */
    FC_PIG_KNEE,             /* flexion, varus, internal rotation */
    FC_PIG_ANKLE,            /* dorsiflexion, inversion, internal rotation */
    FC_PIG_FOOT_PROGRESSION, /* foot to progression frame; [2] = toe-in */
    FC_PIG_THORAX,           /* thorax to progression frame (C7, T10, CLAV, STRN): forward
                                tilt, the named side up, the named side forward; the
                                pelvis's signs */
    FC_PIG_JOINT_COUNT
};

enum fc_pig_centre { FC_PIG_HJC, FC_PIG_KJC, FC_PIG_AJC, FC_PIG_CENTRE_COUNT };

struct fc_pig_output {
    size_t n_frames;
    double *angle_deg;         /* [frame][side][joint][3]; NaN where markers miss */
    double *centre_mm;         /* [frame][side][centre][3], lab mm; NaN likewise */
    double up[3];              /* the lab's vertical */
    double progression[9];     /* progression frame (pelvis.h), columns X Y Z */
    struct fc_pig_params used; /* the parameters with the estimates filled in */
    unsigned estimated;        /* bit (side * 16 + field index) set where estimated; see
                                  fc_pig_estimated_names */
    int offsets_given;         /* angular offsets the caller gave (the rest are 0, as
                                  Plug-in Gait takes them without a static trial) */
    long frames_with_legs;     /* frames where both hips, knees and ankles have angles */
};

/* The angles for the whole track. Needs the pelvis markers and, per leg,
 * THI KNE TIB ANK (HEE and TOE for the ankle and the foot). < 0 when no
 * frame has a pelvis. */
int fc_pig_run(const struct fc_pig_markers *m, const struct fc_pig_params *p,
               struct fc_pig_output *out, struct fc_error *err);
void fc_pig_output_free(struct fc_pig_output *o);

/* Writes the names of the estimated parameters ("LKneeWidth, RKneeWidth")
 * into buf; "" when none were. */
void fc_pig_estimated_names(const struct fc_pig_output *o, char *buf, size_t cap);

static inline const double *fc_pig_angle(const struct fc_pig_output *o, size_t frame,
                                         enum fc_side s, enum fc_pig_joint j)
{
    return o->angle_deg + ((frame * 2 + (size_t)s) * FC_PIG_JOINT_COUNT + (size_t)j) * 3;
}

static inline const double *fc_pig_centre(const struct fc_pig_output *o, size_t frame,
                                          enum fc_side s, enum fc_pig_centre c)
{
    return o->centre_mm + ((frame * 2 + (size_t)s) * FC_PIG_CENTRE_COUNT + (size_t)c) * 3;
}

/* Building blocks, exposed for their tests. */

/* Davis et al. 1991 hip joint centre in the pelvis frame (mm; X forward, Y
 * left, Z up, origin mid-ASIS) for one side. */
void fc_pig_davis_hjc(double mean_leg_length_mm, double asis_trochanter_mm, double inter_asis_mm,
                      double marker_radius_mm, enum fc_side side, double out[3]);

/* The chord function: the joint centre at distance radius_mm from marker,
 * seeing marker and proximal at a right angle, in the plane of wand, marker
 * and proximal; an offset turns it about the marker-proximal line until,
 * seen down the bone (centre -> proximal), the marker is offset_deg from
 * the wand (counter-clockwise positive). Returns -1 when the points are
 * degenerate. */
int fc_pig_chord(const double proximal[3], const double wand[3], const double marker[3],
                 double radius_mm, double offset_deg, double out[3]);

#endif
