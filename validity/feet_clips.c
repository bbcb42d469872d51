/* The feet BlazePose gives on real clips, checked against what a body
 * must look like: toes ahead of heels in a side view, a foot about as long
 * as 0.6 shanks, heels down while standing; and the knee's travel past the
 * toes. One table row per clip (docs/validity.md):
 *
 *     feet_clips [--model blazepose-full] [--roi movenet-body|movenet|own] CLIP:VIEW ...
 *
 * VIEW is side or front (from data/MANIFEST.md). Writes a Markdown table on
 * stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/kinematics.h"
#include "pipeline/video.h"

/* a joint counts as seen at MoveNet's and the analyzer's gate */
#define MIN_SCORE 0.3f
/* Standing: the knee within this of straight (the angle between thigh and
 * shank lines), as the analyzer's rep detector treats a near-straight leg. */
#define STANDING_KNEE_DEG 160.0
/* Foot length (heel to foot tip) / shank (knee to ankle): Drillis & Contini's
 * segment fractions of stature, 0.152 / 0.246 = 0.62. */
#define FOOT_SHANK_EXPECTED 0.62

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    if (n == 0)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int has(const struct fc_keypoints *k, enum fc_joint j)
{
    return fc_keypoints_has(k, j, MIN_SCORE);
}

static double dist(const struct fc_keypoints *k, enum fc_joint a, enum fc_joint b)
{
    return hypot(k->x[a] - k->x[b], k->y[a] - k->y[b]);
}

struct row {
    long frames, feet_seen, toe_ahead, toe_judged;
    double foot_shank, heel_rise_standing, knee_travel_max, torso_score;
    int standing_frames;
};

static void measure(const struct fc_pose_track *t, int side_view, struct row *r)
{
    size_t n = t->n_frames;
    double *ratio = malloc(sizeof *ratio * 2 * n), *rise = malloc(sizeof *rise * 2 * n);
    int nr = 0, ns = 0;
    double torso = 0;
    memset(r, 0, sizeof *r);
    r->knee_travel_max = NAN;
    for (size_t i = 0; i < n; i++) {
        const struct fc_keypoints *k = &t->frames[i];
        r->frames++;
        torso += (k->score[FC_JOINT_LEFT_HIP] + k->score[FC_JOINT_RIGHT_HIP] +
                  k->score[FC_JOINT_LEFT_SHOULDER] + k->score[FC_JOINT_RIGHT_SHOULDER]) /
                 4;
        int facing = fc_facing_sign(k, MIN_SCORE);
        for (int s = 0; s < 2; s++) {
            enum fc_joint heel = s ? FC_JOINT_RIGHT_HEEL : FC_JOINT_LEFT_HEEL;
            enum fc_joint toe = s ? FC_JOINT_RIGHT_BIG_TOE : FC_JOINT_LEFT_BIG_TOE;
            enum fc_joint knee = s ? FC_JOINT_RIGHT_KNEE : FC_JOINT_LEFT_KNEE;
            enum fc_joint ankle = s ? FC_JOINT_RIGHT_ANKLE : FC_JOINT_LEFT_ANKLE;
            enum fc_joint hip = s ? FC_JOINT_RIGHT_HIP : FC_JOINT_LEFT_HIP;
            if (!has(k, heel) || !has(k, toe))
                continue;
            r->feet_seen++;
            if (side_view && facing) {
                /* the facing sign comes from heel -> toe itself when feet are
                 * seen: judge it against the head (nose ahead of the ears) */
                double ears = 0;
                int ne = 0;
                for (int j = FC_JOINT_LEFT_EAR; j <= FC_JOINT_RIGHT_EAR; j++)
                    if (has(k, (enum fc_joint)j)) {
                        ears += k->x[j];
                        ne++;
                    }
                if (ne && has(k, FC_JOINT_NOSE)) {
                    double head = k->x[FC_JOINT_NOSE] - ears / ne;
                    r->toe_judged++;
                    r->toe_ahead += (k->x[toe] - k->x[heel]) * head > 0;
                }
            }
            if (!has(k, knee) || !has(k, ankle))
                continue;
            double shank = dist(k, knee, ankle);
            if (side_view && shank > 0)
                ratio[nr++] = dist(k, heel, toe) / shank;
            if (has(k, hip) && shank > 0 &&
                fc_angle_at_deg(k->x[hip], k->y[hip], k->x[knee], k->y[knee], k->x[ankle],
                                k->y[ankle]) > STANDING_KNEE_DEG)
                /* heel above the toe tip, in shanks (image y grows down) */
                rise[ns++] = (k->y[toe] - k->y[heel]) / shank;
        }
        double kt = fc_knee_travel_pct(k, MIN_SCORE, NULL);
        if (side_view && isfinite(kt) && !(kt <= r->knee_travel_max))
            r->knee_travel_max = kt;
    }
    r->torso_score = n ? torso / (double)n : NAN;
    r->foot_shank = median(ratio, nr);
    r->heel_rise_standing = median(rise, ns);
    r->standing_frames = ns;
    free(ratio);
    free(rise);
}

int main(int argc, char **argv)
{
    struct fc_video_pose_params p = fc_video_pose_default_params();
    p.use_blazepose = 1;
    p.movenet.model = FC_MOVENET_LIGHTNING;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        if (strcmp(argv[i], "--model") == 0 &&
            fc_blazepose_model_parse(argv[i + 1], &p.blazepose.model) == 0)
            continue;
        if (strcmp(argv[i], "--roi") == 0) {
            const char *r = argv[i + 1];
            if (!strcmp(r, "own"))
                p.blazepose_mode = FC_BLAZEPOSE_OWN_ROI;
            else if (!strcmp(r, "movenet"))
                p.blazepose_mode = FC_BLAZEPOSE_MOVENET_ROI;
            else if (!strcmp(r, "movenet-body"))
                p.blazepose_mode = FC_BLAZEPOSE_MOVENET_BODY;
            else
                break;
            continue;
        }
        fprintf(stderr, "feet_clips: bad option %s %s\n", argv[i], argv[i + 1]);
        return 2;
    }
    printf("| clip | view | frames | torso score | feet seen | toe ahead of heel | foot / shank "
           "(median; expected %.2f) | heel above toe when standing (shanks; frames) | knee "
           "past toe, max (%% shank) |\n|---|---|---|---|---|---|---|---|---|\n",
           FOOT_SHANK_EXPECTED);
    for (; i < argc; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s", argv[i]);
        char *colon = strrchr(path, ':');
        int side_view = colon && strcmp(colon + 1, "side") == 0;
        if (colon)
            *colon = 0;
        struct fc_pose_track t;
        struct fc_video_pose_stats st;
        struct fc_error err = {0};
        if (fc_video_pose_track(path, &p, &t, &st, &err) < 0) {
            fprintf(stderr, "feet_clips: %s\n", err.msg);
            return 1;
        }
        struct row r;
        measure(&t, side_view, &r);
        const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        printf("| %s | %s | %ld | %.2f | %.0f%% | ", name, side_view ? "side" : "front", r.frames,
               r.torso_score, 50.0 * r.feet_seen / (double)r.frames);
        if (r.toe_judged)
            printf("%.0f%% of %ld | ", 100.0 * r.toe_ahead / (double)r.toe_judged, r.toe_judged);
        else
            printf("- | ");
        printf("%.2f | %.3f (%d) | %.1f |\n", r.foot_shank, r.heel_rise_standing, r.standing_frames,
               r.knee_travel_max);
        fflush(stdout);
        fc_pose_track_free(&t);
    }
    return 0;
}
