/* formcheck validity tier: pinhole camera (validity/camera.h). */
#include "validity/camera.h"

#include <math.h>

#include "core/units.h"

static struct fc_vec3 lin(struct fc_vec3 a, double sa, struct fc_vec3 b, double sb)
{
    return (struct fc_vec3){a.x * sa + b.x * sb, a.y * sa + b.y * sb, a.z * sa + b.z * sb};
}
static double dot(struct fc_vec3 a, struct fc_vec3 b)
{
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
static struct fc_vec3 cross(struct fc_vec3 a, struct fc_vec3 b)
{
    return (struct fc_vec3){a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
static struct fc_vec3 unit(struct fc_vec3 a)
{
    double n = sqrt(dot(a, a));
    return lin(a, 1.0 / n, a, 0);
}

void fc_camera_place(struct fc_camera *c, struct fc_vec3 target, struct fc_vec3 fwd,
                     struct fc_vec3 left, struct fc_vec3 up, double yaw_deg, double elevation_deg,
                     double distance_mm, double focal_px, int width, int height)
{
    double yaw = yaw_deg / FC_DEG_PER_RAD, el = elevation_deg / FC_DEG_PER_RAD;
    /* Horizontal direction from the target to the camera: fwd at yaw 0,
     * towards the subject's right (-left) as yaw grows. */
    struct fc_vec3 dir = lin(fwd, cos(yaw), left, -sin(yaw));
    struct fc_vec3 off = lin(dir, distance_mm * cos(el), up, distance_mm * sin(el));
    c->centre = lin(target, 1, off, 1);
    c->ahead = unit(lin(target, 1, c->centre, -1));
    c->right = unit(cross(c->ahead, up));
    c->down = cross(c->ahead, c->right);
    c->focal_px = focal_px;
    c->width = width;
    c->height = height;
    c->cx = 0.5 * width;
    c->cy = 0.5 * height;
}

int fc_camera_project(const struct fc_camera *c, struct fc_vec3 p, double *u, double *v)
{
    struct fc_vec3 d = lin(p, 1, c->centre, -1);
    double z = dot(d, c->ahead);
    if (!(z > 1.0))
        return -1;
    *u = c->cx + c->focal_px * dot(d, c->right) / z;
    *v = c->cy + c->focal_px * dot(d, c->down) / z;
    return isfinite(*u) && isfinite(*v) ? 0 : -1;
}
