/* uiprmd_project: one UI-PRMD repetition (validity/uiprmd.h) seen by a
 * camera at a chosen angle, as a formcheck keypoint CSV, with its 3-D
 * truth as JSON.
 *
 * The repetition is framed as a person films it: standing still before
 * (the first frame held for --stand seconds, the standing baseline
 * formcheck needs) and after, resampled to the camera's frame rate. Every
 * COCO-17 joint is projected from its 3-D joint centre (with --feet the
 * heels and toes from their markers too); --noise adds Gaussian pixel
 * noise of a given standard deviation (a pose model's jitter), all with
 * score 0.9. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile.h"
#include "import/import.h"
#include "validity/camera.h"
#include "validity/uiprmd.h"

static const char usage[] =
    "usage: uiprmd_project [options] REPETITION.txt.gz OUT.csv [TRUTH.json]\n"
    "  --yaw DEG         camera angle from the subject's front, + towards the right (0)\n"
    "  --elevation DEG   camera above the standing hip height (5)\n"
    "  --distance MM     camera to the standing mid-hip, horizontally (3500)\n"
    "  --focal PX        focal length in pixels (1400), image 1080 x 1920\n"
    "  --rate HZ         camera frame rate (30)\n"
    "  --stand S         standing still before and after the repetition (1.5)\n"
    "  --noise PX        Gaussian noise on every coordinate, sd (0)\n"
    "  --seed N          for the noise (1)\n"
    "  --feet            also the heel and toe markers (as heels and big toes)\n";

struct opts {
    double yaw, elevation, distance, focal, rate, stand, noise;
    unsigned long seed;
    int feet;
    const char *in, *csv, *json;
};

/* xorshift64* and Box-Muller: reproducible noise without libc's rand. */
static uint64_t rng_state;
static double uniform01(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return ((rng_state * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}
static double gauss(void)
{
    double u1 = uniform01(), u2 = uniform01();
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2 * log(u1)) * cos(2 * 3.14159265358979323846 * u2);
}

static int parse(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){0, 5, 3500, 1400, 30, 1.5, 0, 1, 0, NULL, NULL, NULL};
    static const struct option lo[] = {{"yaw", required_argument, NULL, 'y'},
                                       {"elevation", required_argument, NULL, 'e'},
                                       {"distance", required_argument, NULL, 'd'},
                                       {"focal", required_argument, NULL, 'f'},
                                       {"rate", required_argument, NULL, 'r'},
                                       {"stand", required_argument, NULL, 's'},
                                       {"noise", required_argument, NULL, 'n'},
                                       {"seed", required_argument, NULL, 'S'},
                                       {"feet", no_argument, NULL, 'F'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        double *dst = NULL;
        switch (c) {
        case 'y': dst = &o->yaw; break;
        case 'e': dst = &o->elevation; break;
        case 'd': dst = &o->distance; break;
        case 'f': dst = &o->focal; break;
        case 'r': dst = &o->rate; break;
        case 's': dst = &o->stand; break;
        case 'n': dst = &o->noise; break;
        case 'S': o->seed = strtoul(optarg, NULL, 10); continue;
        case 'F': o->feet = 1; continue;
        case 'h': fputs(usage, stdout); exit(0);
        default: fputs(usage, stderr); return -1;
        }
        char *end;
        *dst = strtod(optarg, &end);
        if (end == optarg || *end || !isfinite(*dst)) {
            fprintf(stderr, "uiprmd_project: '%s' is not a number\n", optarg);
            return -1;
        }
    }
    if (argc - optind < 2 || argc - optind > 3 || !(o->rate > 0) || !(o->distance > 500) ||
        !(o->stand >= 0) || !(o->noise >= 0)) {
        fputs(usage, stderr);
        return -1;
    }
    o->in = argv[optind];
    o->csv = argv[optind + 1];
    o->json = argc - optind == 3 ? argv[optind + 2] : NULL;
    return 0;
}

/* The joints projected: COCO-17 and the feet's heel and toe markers (the
 * toe marker on the second metatarsal head, Plug-in Gait, not the toe tip
 * a pose model's foot index marks). */
static const int projected[] = {
    FC_JOINT_NOSE,         FC_JOINT_LEFT_EYE,      FC_JOINT_RIGHT_EYE,      FC_JOINT_LEFT_EAR,
    FC_JOINT_RIGHT_EAR,    FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER, FC_JOINT_LEFT_ELBOW,
    FC_JOINT_RIGHT_ELBOW,  FC_JOINT_LEFT_WRIST,    FC_JOINT_RIGHT_WRIST,    FC_JOINT_LEFT_HIP,
    FC_JOINT_RIGHT_HIP,    FC_JOINT_LEFT_KNEE,     FC_JOINT_RIGHT_KNEE,     FC_JOINT_LEFT_ANKLE,
    FC_JOINT_RIGHT_ANKLE,  FC_JOINT_LEFT_HEEL,     FC_JOINT_RIGHT_HEEL,     FC_JOINT_LEFT_BIG_TOE,
    FC_JOINT_RIGHT_BIG_TOE};
#define N_PROJECTED ((int)(sizeof projected / sizeof *projected))

static int project_track(const struct opts *o, const struct fc_uiprmd_rep *rep,
                         const struct fc_camera *cam, struct fc_pose_track *t, size_t *n_before,
                         struct fc_error *err)
{
    fc_pose_track_init(t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    t->width = cam->width;
    t->height = cam->height;
    t->time_from_source = 1;
    t->rate_hz = o->rate;
    double rep_s = (rep->n_frames - 1) / FC_UIPRMD_RATE_HZ;
    size_t n = (size_t)floor((2 * o->stand + rep_s) * o->rate) + 1;
    *n_before = (size_t)ceil(o->stand * o->rate);
    for (size_t i = 0; i < n; i++) {
        double t_s = i / o->rate, tr = t_s - o->stand;
        long src = lround(tr * FC_UIPRMD_RATE_HZ);
        if (src < 0)
            src = 0;
        if (src >= (long)rep->n_frames)
            src = (long)rep->n_frames - 1;
        struct fc_keypoints *k = fc_pose_track_push(t, err);
        if (!k)
            return FC_ERR_NOMEM;
        k->t_s = t_s;
        for (int i = 0; i < (o->feet ? N_PROJECTED : FC_COCO17_COUNT); i++) {
            int j = projected[i];
            double u, v;
            if (fc_camera_project(cam, rep->joints[src][j], &u, &v) < 0)
                continue;
            if (o->noise > 0) {
                u += o->noise * gauss();
                v += o->noise * gauss();
            }
            if (u < 0 || v < 0 || u >= cam->width || v >= cam->height)
                continue;
            fc_keypoints_set(k, j, (float)u, (float)v, NAN, 0.9f);
        }
    }
    return 0;
}

static cJSON *frame_truth_json(const struct fc_uiprmd_frame_truth *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "knee_ankle_sep_ratio", f->knee_ankle_sep_ratio);
    cJSON_AddNumberToObject(o, "knee_medial_left_pct", f->knee_medial_left_pct);
    cJSON_AddNumberToObject(o, "knee_medial_right_pct", f->knee_medial_right_pct);
    cJSON_AddNumberToObject(o, "trunk_forward_lean_deg", f->trunk_forward_lean_deg);
    cJSON_AddNumberToObject(o, "trunk_lateral_lean_deg", f->trunk_lateral_lean_deg);
    cJSON_AddNumberToObject(o, "thigh_below_horizontal_deg", f->thigh_below_horizontal_deg);
    cJSON_AddNumberToObject(o, "hip_minus_knee_mm", f->hip_minus_knee_mm);
    cJSON_AddNumberToObject(o, "pelvic_obliquity_deg", f->pelvic_obliquity_deg);
    cJSON_AddNumberToObject(o, "shin_forward_lean_deg", f->shin_forward_lean_deg);
    cJSON_AddNumberToObject(o, "arm_trunk_deg", f->arm_trunk_deg);
    cJSON_AddNumberToObject(o, "lateral_shift_pct", f->lateral_shift_pct);
    cJSON_AddNumberToObject(o, "hip_over_base_pct", f->hip_over_base_pct);
    cJSON_AddNumberToObject(o, "wrist_ahead_pct", f->wrist_ahead_pct);
    return o;
}

static int write_truth(const struct opts *o, const struct fc_uiprmd_truth *tr, size_t n_before,
                       struct fc_error *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "repetition", o->in);
    cJSON_AddNumberToObject(root, "yaw_deg", o->yaw);
    cJSON_AddNumberToObject(root, "elevation_deg", o->elevation);
    cJSON_AddNumberToObject(root, "noise_px", o->noise);
    cJSON_AddNumberToObject(root, "t_bottom_s",
                            n_before / o->rate + tr->bottom / FC_UIPRMD_RATE_HZ);
    cJSON_AddNumberToObject(root, "leg_length_mm", tr->leg_length_mm);
    cJSON_AddItemToObject(root, "at_bottom", frame_truth_json(&tr->at_bottom));
    cJSON *ex = cJSON_AddObjectToObject(root, "extremes");
    cJSON_AddNumberToObject(ex, "min_knee_ankle_sep_ratio", tr->min_knee_ankle_sep_ratio);
    cJSON_AddNumberToObject(ex, "max_trunk_forward_lean_deg", tr->max_trunk_forward_lean_deg);
    cJSON_AddNumberToObject(ex, "max_abs_obliquity_deg", tr->max_abs_obliquity_deg);
    cJSON_AddNumberToObject(ex, "max_abs_lateral_shift_pct", tr->max_abs_lateral_shift_pct);
    cJSON_AddNumberToObject(ex, "max_abs_trunk_lateral_deg", tr->max_abs_trunk_lateral_deg);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", o->json);
    struct fc_outfile out;
    int rc = fc_outfile_open(&out, o->json, err);
    if (rc == 0) {
        fputs(text, out.fp);
        fputc('\n', out.fp);
        rc = fc_outfile_commit(&out, err);
    }
    free(text);
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o) < 0)
        return 2;
    rng_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)o.seed;
    struct fc_error err = {0};
    struct fc_uiprmd_rep rep;
    struct fc_pose_track t = {0};
    struct fc_uiprmd_truth truth;
    size_t n_before = 0;
    int rc = 1;
    if (fc_uiprmd_read(o.in, &rep, &err) < 0) {
        fprintf(stderr, "uiprmd_project: %s\n", err.msg);
        return 1;
    }
    fc_uiprmd_measure(&rep, &truth);
    const struct fc_vec3 *j0 = rep.joints[0];
    struct fc_vec3 target = {0.5 * (j0[FC_JOINT_LEFT_HIP].x + j0[FC_JOINT_RIGHT_HIP].x),
                             0.5 * (j0[FC_JOINT_LEFT_HIP].y + j0[FC_JOINT_RIGHT_HIP].y),
                             0.5 * (j0[FC_JOINT_LEFT_HIP].z + j0[FC_JOINT_RIGHT_HIP].z)};
    struct fc_camera cam;
    fc_camera_place(&cam, target, rep.fwd, rep.left, rep.up, o.yaw, o.elevation, o.distance,
                    o.focal, 1080, 1920);
    if (project_track(&o, &rep, &cam, &t, &n_before, &err) < 0 ||
        fc_write_keypoint_csv(o.csv, &t, &err) < 0 ||
        (o.json && write_truth(&o, &truth, n_before, &err) < 0)) {
        fprintf(stderr, "uiprmd_project: %s\n", err.msg);
        goto done;
    }
    rc = 0;
done:
    fc_pose_track_free(&t);
    fc_uiprmd_free(&rep);
    return rc;
}
