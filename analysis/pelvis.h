/* formcheck: pelvis orientation from motion-capture markers.
 *
 * The pelvis segment and its angles follow Plug-in Gait (Davis et al. 1991;
 * Vicon "Lower body angles as output from Plug-in Gait"):
 *   origin  midpoint of LASI and RASI;
 *   Y       from RASI to LASI (towards the subject's left);
 *   Z       perpendicular to Y and to the line from the sacrum (SACR, or the
 *           midpoint of LPSI and RPSI) to the mid-ASIS point, pointing up;
 *   X       Y x Z, forwards.
 * Angles are the YXZ Euler decomposition of the pelvis frame relative to the
 * progression frame (lab axes turned so that X points along the walk):
 *   tilt       about Y, anterior tilt positive;
 *   obliquity  about X', the named side up positive;
 *   rotation   about Z'', the named side forward (internal) positive.
 * Left and right differ only in the sign of obliquity and rotation, as in
 * Plug-in Gait's LPelvisAngles and RPelvisAngles.
 *
 *     double R[9];
 *     if (fc_pelvis_frame(lasi, rasi, lpsi, rpsi, NULL, R) == 0) {
 *         struct fc_pelvis_angles a;
 *         fc_pelvis_angles(R, progression, FC_SIDE_LEFT, &a);
 *     }
 */
#ifndef FC_ANALYSIS_PELVIS_H
#define FC_ANALYSIS_PELVIS_H

#include "core/error.h"
#include "core/keypoints.h"

struct fc_pelvis_angles {
    double tilt_deg;
    double obliquity_deg;
    double rotation_deg;
};

/* Rotation matrices are 3x3, row-major; their columns are the segment's X, Y
 * and Z axes in lab coordinates. */

/* The pelvis frame from the four markers (3 doubles each). Pass lpsi and
 * rpsi, or sacr (with lpsi = rpsi = NULL). Returns -1 when a marker is
 * missing (NaN) or the markers are degenerate (collinear). */
int fc_pelvis_frame(const double lasi[3], const double rasi[3], const double lpsi[3],
                    const double rpsi[3], const double sacr[3], double R[9]);

/* R = Ry(tilt) Rx(obliquity) Rz(rotation) (intrinsic Y, X', Z''), angles in
 * radians; the inverse of fc_euler_yxz. */
void fc_rotation_yxz(double y_rad, double x_rad, double z_rad, double R[9]);
/* Decomposes R as above; x in [-pi/2, pi/2]. */
void fc_euler_yxz(const double R[9], double *y_rad, double *x_rad, double *z_rad);

/* Angles of pelvis frame R relative to the progression frame P (both as
 * above), in degrees with the named side's signs. */
void fc_pelvis_angles(const double R[9], const double P[9], enum fc_side side,
                      struct fc_pelvis_angles *out);

/* The lab's vertical: the lab axis (with sign) closest to the mean of the
 * pelvis Z axes given (n frames, 3 doubles each, NaN rows skipped). Motion
 * capture labs use +Z or +Y up; deciding from the pelvis keeps both working. */
int fc_lab_up_axis(const double *pelvis_z_xyz, size_t n, double up[3], struct fc_error *err);

/* The progression frame: X along the direction of travel snapped to the
 * nearest horizontal lab axis (as Plug-in Gait does), Z = up, Y = Z x X.
 * The direction of travel is the slope of a least-squares line (LAPACKE
 * dgels) through the mid-ASIS positions against frame index. When the
 * pelvis travels less than 300 mm (standing, squatting) the mean forward
 * axis of the pelvis is used instead. n frames of 3 doubles; NaN rows skipped. */
int fc_progression_frame(const double *origin_xyz, const double *pelvis_x_xyz, size_t n,
                         const double up[3], double P[9], struct fc_error *err);

/* Per-frame pelvis angles for a marker track (core/keypoints.h, 3-D, mm):
 * frames, lab vertical (when up is NULL) and progression frame as above.
 * out_left/out_right hold t->n_frames entries (either may be NULL); frames
 * without the markers get NaN. Returns the number of frames with angles, or
 * a negative error when the track has no usable pelvis markers. */
long fc_pelvis_track_angles(const struct fc_pose_track *t, const double *up,
                            struct fc_pelvis_angles *out_left, struct fc_pelvis_angles *out_right,
                            struct fc_error *err);

#endif
