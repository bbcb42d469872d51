/* formcheck validity tier: a pinhole camera placed around a subject.
 *
 * The camera stands on a circle around a target point (the subject's
 * standing mid-hip), at a yaw angle from the subject's front and an
 * elevation angle above the target's height, and looks at the target.
 * Yaw 0 is straight in front of the subject, +90 at the subject's right
 * side, -90 at the left side, 180 behind. No lens distortion.
 *
 *     struct fc_camera cam;
 *     fc_camera_place(&cam, target, fwd, left, up, 30.0, 5.0, 3500.0, 1400.0, 1080, 1920);
 *     double u, v;
 *     fc_camera_project(&cam, point, &u, &v);
 */
#ifndef FC_VALIDITY_CAMERA_H
#define FC_VALIDITY_CAMERA_H

#include "validity/uiprmd.h"

struct fc_camera {
    struct fc_vec3 centre, right, down, ahead; /* position and image axes (lab frame) */
    double focal_px, cx, cy;
    int width, height;
};

void fc_camera_place(struct fc_camera *c, struct fc_vec3 target, struct fc_vec3 fwd,
                     struct fc_vec3 left, struct fc_vec3 up, double yaw_deg, double elevation_deg,
                     double distance_mm, double focal_px, int width, int height);

/* Pixel coordinates of a lab point; returns 0, or -1 when the point is
 * behind the camera or not finite. */
int fc_camera_project(const struct fc_camera *c, struct fc_vec3 p, double *u, double *v);

#endif
