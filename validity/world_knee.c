/* Does BlazePose's 3-D world skeleton see the knee bend where the picture
 * cannot? For each clip: knee flexion (180 deg minus the hip-knee-ankle
 * angle) from the picture and from BlazePose's world landmarks (metres about
 * the hips; an angle between two 3-D segments does not depend on where the
 * camera stands), on the same frames and legs (hip, knee and ankle each with
 * visibility >= 0.5). From the side both should agree; from the front the
 * picture foreshortens the thigh and sees little bend (docs/validity.md,
 * "Feet").
 *
 *     world_knee CLIP:VIEW ...
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/video.h"

#define MAX_FRAMES 4096
#define MIN_VISIBILITY 0.5f
#define PI 3.14159265358979323846
/* MediaPipe's landmark indices: hips, knees, ankles (left, right) */
static const int hip_i[2] = {23, 24}, knee_i[2] = {25, 26}, ankle_i[2] = {27, 28};

static double angle3(const double a[3], const double b[3], const double c[3])
{
    double u[3], v[3], dot = 0, uu = 0, vv = 0;
    for (int k = 0; k < 3; k++) {
        u[k] = a[k] - b[k];
        v[k] = c[k] - b[k];
        dot += u[k] * v[k];
        uu += u[k] * u[k];
        vv += v[k] * v[k];
    }
    return acos(fmax(-1.0, fmin(1.0, dot / sqrt(uu * vv)))) * 180.0 / PI;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double q)
{
    if (n == 0)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[(int)(q * (n - 1))];
}

int main(int argc, char **argv)
{
    static struct fc_blazepose_result res[MAX_FRAMES];
    static double f2[2 * MAX_FRAMES], f3[2 * MAX_FRAMES], diff[2 * MAX_FRAMES];
    printf(
        "| clip | view | leg-frames | knee flexion 2-D, 95th pct (deg) | knee flexion 3-D world, "
        "95th pct (deg) | median abs(2-D - 3-D) (deg) |\n|---|---|---|---|---|---|\n");
    for (int i = 1; i < argc; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s", argv[i]);
        char *colon = strrchr(path, ':');
        const char *view = colon ? colon + 1 : "?";
        if (colon)
            *colon = 0;
        struct fc_video_pose_params p = fc_video_pose_default_params();
        p.use_blazepose = 1;
        p.blazepose_mode = FC_BLAZEPOSE_OWN_ROI; /* BlazePose's own 2-D and 3-D points */
        p.movenet.model = FC_MOVENET_LIGHTNING;
        p.blazepose_out = res;
        p.blazepose_out_cap = MAX_FRAMES;
        struct fc_pose_track t;
        struct fc_video_pose_stats st;
        struct fc_error err = {0};
        if (fc_video_pose_track(path, &p, &t, &st, &err) < 0) {
            fprintf(stderr, "world_knee: %s\n", err.msg);
            return 1;
        }
        int n = 0;
        long frames = st.frames < MAX_FRAMES ? st.frames : MAX_FRAMES;
        for (long f = 0; f < frames; f++) {
            const struct fc_blazepose_result *r = &res[f];
            if (!(r->pose_score >= p.blazepose.min_pose_score))
                continue;
            for (int s = 0; s < 2; s++) {
                int h = hip_i[s], k = knee_i[s], a = ankle_i[s];
                if (r->visibility[h] < MIN_VISIBILITY || r->visibility[k] < MIN_VISIBILITY ||
                    r->visibility[a] < MIN_VISIBILITY)
                    continue;
                double h2[3] = {r->x[h], r->y[h], 0}, k2[3] = {r->x[k], r->y[k], 0},
                       a2[3] = {r->x[a], r->y[a], 0};
                double h3[3] = {r->world_x[h], r->world_y[h], r->world_z[h]};
                double k3[3] = {r->world_x[k], r->world_y[k], r->world_z[k]};
                double a3[3] = {r->world_x[a], r->world_y[a], r->world_z[a]};
                f2[n] = 180.0 - angle3(h2, k2, a2);
                f3[n] = 180.0 - angle3(h3, k3, a3);
                diff[n] = fabs(f2[n] - f3[n]);
                n++;
            }
        }
        const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        printf("| %s | %s | %d | %.1f | %.1f | %.1f |\n", name, view, n, pct(f2, n, 0.95),
               pct(f3, n, 0.95), pct(diff, n, 0.5));
        fflush(stdout);
        fc_pose_track_free(&t);
    }
    return 0;
}
