/* Who is in view: sightings linked into people, one of them chosen. See
 * people.h; the look over a clip that makes the sightings is in
 * pipeline/people_look.c. */
#include "pose/people.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Linking a sighting to a person: within LINK_TORSO torso lengths plus
 * LINK_TORSO_PER_S per second since they were last seen (the gate the main
 * pass follows them with, pose/movenet.c), for people seen within the last
 * LINK_MAX_GAP_S. */
#define LINK_TORSO 1.0
#define LINK_TORSO_PER_S 4.0
#define LINK_MAX_TORSO 6.0
#define LINK_MAX_GAP_S 1.5
/* Where a person is expected: their last place moved on at their last
 * speed (between their last two sightings, if no more than PREDICT_MAX_DT_S
 * apart), the speed capped at LINK_TORSO_PER_S torso lengths a second. */
#define PREDICT_MAX_DT_S 0.6
/* How much a change of size counts against a match: SCALE_COST torso
 * lengths per unit of |log(torso ratio)| (a body 1.5x the size costs 0.8),
 * so two people at different depths who cross are kept apart. */
#define SCALE_COST 2.0
/* Two sightings in one look whose hips and shoulders both lie within this
 * many torso lengths of each other are one body seen twice (two peaks of
 * one blob decode to the same joints; two people crossing do not). */
#define SAME_BODY_TORSO 0.25
/* fc_people_at: how near the point must be. */
#define AT_TORSO 2.0
#define AT_MAX_DT_S 1.0

static int seen(const struct fc_keypoints *k, int j, float min)
{
    return k->score[j] > min && isfinite(k->x[j]) && isfinite(k->y[j]);
}

/* Torso length, extent and torso score of a sighting; 0 when its torso is
 * not seen well enough. */
static int measure(const struct fc_movenet_person *s, float min, float *torso, float *height,
                   float *score, float mid[4])
{
    const struct fc_keypoints *k = &s->kp;
    int ls = seen(k, FC_JOINT_LEFT_SHOULDER, min), rs = seen(k, FC_JOINT_RIGHT_SHOULDER, min);
    int lh = seen(k, FC_JOINT_LEFT_HIP, min), rh = seen(k, FC_JOINT_RIGHT_HIP, min);
    if (!(ls || rs) || !(lh || rh))
        return 0;
    double sx = 0, sy = 0, hx = 0, hy = 0, sum = 0;
    if (ls)
        sx += k->x[FC_JOINT_LEFT_SHOULDER], sy += k->y[FC_JOINT_LEFT_SHOULDER],
            sum += k->score[FC_JOINT_LEFT_SHOULDER];
    if (rs)
        sx += k->x[FC_JOINT_RIGHT_SHOULDER], sy += k->y[FC_JOINT_RIGHT_SHOULDER],
            sum += k->score[FC_JOINT_RIGHT_SHOULDER];
    if (lh)
        hx += k->x[FC_JOINT_LEFT_HIP], hy += k->y[FC_JOINT_LEFT_HIP],
            sum += k->score[FC_JOINT_LEFT_HIP];
    if (rh)
        hx += k->x[FC_JOINT_RIGHT_HIP], hy += k->y[FC_JOINT_RIGHT_HIP],
            sum += k->score[FC_JOINT_RIGHT_HIP];
    sx /= ls + rs, sy /= ls + rs, hx /= lh + rh, hy /= lh + rh;
    *torso = (float)hypot(sx - hx, sy - hy);
    mid[0] = (float)sx, mid[1] = (float)sy, mid[2] = (float)hx, mid[3] = (float)hy;
    if (!(*torso > 1.0f))
        return 0;
    float x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int j = 0; j < FC_COCO17_COUNT; j++)
        if (seen(k, j, min)) {
            x0 = fminf(x0, k->x[j]), x1 = fmaxf(x1, k->x[j]);
            y0 = fminf(y0, k->y[j]), y1 = fmaxf(y1, k->y[j]);
        }
    *height = fmaxf(x1 - x0, y1 - y0);
    *score = (float)(sum / (ls + rs + lh + rh));
    return 1;
}

static int grow(void **p, size_t size, int cap)
{
    void *q = realloc(*p, size * (size_t)cap);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

static int push(struct fc_person *p, double t_s, float x, float y, float torso, float height,
                float score)
{
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 32;
        if (grow((void **)&p->t_s, sizeof *p->t_s, cap) < 0 ||
            grow((void **)&p->x, sizeof *p->x, cap) < 0 ||
            grow((void **)&p->y, sizeof *p->y, cap) < 0 ||
            grow((void **)&p->torso, sizeof *p->torso, cap) < 0 ||
            grow((void **)&p->height, sizeof *p->height, cap) < 0 ||
            grow((void **)&p->score, sizeof *p->score, cap) < 0)
            return -1;
        p->cap = cap;
    }
    int i = p->n++;
    p->t_s[i] = t_s, p->x[i] = x, p->y[i] = y;
    p->torso[i] = torso, p->height[i] = height, p->score[i] = score;
    return 0;
}

int fc_people_add(struct fc_people *pp, double t_s, const struct fc_movenet_person *s, int n,
                  float min_torso_score, struct fc_error *err)
{
    float torso[FC_MOVENET_MAX_PEOPLE], height[FC_MOVENET_MAX_PEOPLE], score[FC_MOVENET_MAX_PEOPLE];
    int ok[FC_MOVENET_MAX_PEOPLE], taken[FC_MOVENET_MAX_PEOPLE] = {0};
    float mid[FC_MOVENET_MAX_PEOPLE][4]; /* mid-shoulder x, y, mid-hip x, y */
    if (n > FC_MOVENET_MAX_PEOPLE)
        n = FC_MOVENET_MAX_PEOPLE;
    for (int i = 0; i < n; i++) {
        ok[i] = measure(&s[i], min_torso_score, &torso[i], &height[i], &score[i], mid[i]);
        /* s is strongest first: a weaker peak on a body already sighted is
         * the same body */
        for (int j = 0; j < i && ok[i]; j++) {
            float near = SAME_BODY_TORSO * fmaxf(torso[i], torso[j]);
            if (ok[j] && hypotf(mid[i][0] - mid[j][0], mid[i][1] - mid[j][1]) < near &&
                hypotf(mid[i][2] - mid[j][2], mid[i][3] - mid[j][3]) < near)
                ok[i] = 0;
        }
    }

    /* Greedy matching, nearest first, of sightings to people seen lately. */
    int *used = calloc((size_t)pp->n + 1, sizeof *used);
    if (!used)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for the people in view");
    for (;;) {
        int bi = -1, bp = -1;
        double best = INFINITY;
        for (int i = 0; i < n; i++) {
            if (!ok[i] || taken[i])
                continue;
            for (int q = 0; q < pp->n; q++) {
                const struct fc_person *p = &pp->person[q];
                double dt = t_s - p->t_s[p->n - 1];
                if (used[q] || dt > LINK_MAX_GAP_S)
                    continue;
                const int k = p->n - 1;
                double t = fmax(p->torso[k], torso[i]);
                double px = p->x[k], py = p->y[k];
                if (k > 0 && p->t_s[k] - p->t_s[k - 1] <= PREDICT_MAX_DT_S) {
                    double span = p->t_s[k] - p->t_s[k - 1];
                    double vx = (p->x[k] - p->x[k - 1]) / span, vy = (p->y[k] - p->y[k - 1]) / span;
                    double v = hypot(vx, vy), vmax = LINK_TORSO_PER_S * p->torso[k];
                    if (v > vmax)
                        vx *= vmax / v, vy *= vmax / v;
                    px += vx * dt, py += vy * dt;
                }
                double d = hypot(s[i].centre_x - p->x[k], s[i].centre_y - p->y[k]) / t;
                double cost = hypot(s[i].centre_x - px, s[i].centre_y - py) / t +
                              SCALE_COST * fabs(log(torso[i] / p->torso[k]));
                if (d <= fmin(LINK_TORSO + LINK_TORSO_PER_S * dt, LINK_MAX_TORSO) && cost < best) {
                    best = cost;
                    bi = i;
                    bp = q;
                }
            }
        }
        if (bi < 0)
            break;
        taken[bi] = 1;
        used[bp] = 1;
        if (push(&pp->person[bp], t_s, (float)s[bi].centre_x, (float)s[bi].centre_y, torso[bi],
                 height[bi], score[bi]) < 0) {
            free(used);
            return fc_error_set(err, FC_ERR_NOMEM, "out of memory for the people in view");
        }
    }
    free(used);
    int at_once = 0;
    for (int i = 0; i < n; i++) {
        if (!ok[i])
            continue;
        at_once++;
        if (taken[i])
            continue;
        if (pp->n == pp->cap) {
            int cap = pp->cap ? 2 * pp->cap : 4;
            if (grow((void **)&pp->person, sizeof *pp->person, cap) < 0)
                return fc_error_set(err, FC_ERR_NOMEM, "out of memory for the people in view");
            memset(pp->person + pp->cap, 0, sizeof *pp->person * (size_t)(cap - pp->cap));
            pp->cap = cap;
        }
        struct fc_person *p = &pp->person[pp->n++];
        if (push(p, t_s, (float)s[i].centre_x, (float)s[i].centre_y, torso[i], height[i],
                 score[i]) < 0)
            return fc_error_set(err, FC_ERR_NOMEM, "out of memory for the people in view");
    }
    if (at_once > pp->most_at_once)
        pp->most_at_once = at_once;
    return 0;
}

/* Prominence: how much of the picture a person fills, for how long, how
 * surely: the sum over sightings of extent x torso score x the time each
 * sighting stands for (the gap to the next, at most a second). */
void fc_people_weigh(struct fc_people *pp, double look_every_s)
{
    for (int q = 0; q < pp->n; q++) {
        struct fc_person *p = &pp->person[q];
        p->prominence = 0;
        for (int i = 0; i < p->n; i++) {
            double dt = i + 1 < p->n ? fmin(p->t_s[i + 1] - p->t_s[i], 1.0) : look_every_s;
            p->prominence += (double)p->height[i] * p->score[i] * dt;
        }
    }
}

int fc_people_choose(const struct fc_people *pp)
{
    int best = -1;
    for (int q = 0; q < pp->n; q++)
        if (best < 0 || pp->person[q].prominence > pp->person[best].prominence)
            best = q;
    return best;
}

int fc_people_at(const struct fc_people *pp, double x, double y, double t_s)
{
    int best = -1;
    double best_d = INFINITY;
    for (int q = 0; q < pp->n; q++) {
        const struct fc_person *p = &pp->person[q];
        int near = 0;
        for (int i = 1; i < p->n; i++)
            if (fabs(p->t_s[i] - t_s) < fabs(p->t_s[near] - t_s))
                near = i;
        if (p->n == 0 || fabs(p->t_s[near] - t_s) > AT_MAX_DT_S)
            continue;
        double d = hypot(x - p->x[near], y - p->y[near]) / p->torso[near];
        if (d <= AT_TORSO && d < best_d) {
            best_d = d;
            best = q;
        }
    }
    return best;
}

void fc_people_path(const struct fc_person *p, struct fc_person_path *path)
{
    path->n = p->n;
    path->t_s = p->t_s;
    path->x = p->x;
    path->y = p->y;
    path->torso = p->torso;
}

void fc_people_free(struct fc_people *pp)
{
    for (int q = 0; q < pp->n; q++) {
        struct fc_person *p = &pp->person[q];
        free(p->t_s), free(p->x), free(p->y), free(p->torso), free(p->height), free(p->score);
    }
    free(pp->person);
    memset(pp, 0, sizeof *pp);
}

/* FC_ERR_ARG for a point with nobody near it, listing who was seen where
 * so that the user can give a better point. */
static int nobody_at(const struct fc_people *pp, double x, double y, double t_s, const char *name,
                     struct fc_error *err)
{
    char list[640] = "";
    for (int q = 0; q < pp->n && strlen(list) < sizeof list - 80; q++) {
        const struct fc_person *p = &pp->person[q];
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s#%d at (%.0f, %.0f) from %.1f s to %.1f s",
                 q ? "; " : "", q + 1, p->x[0], p->y[0], p->t_s[0], p->t_s[p->n - 1]);
    }
    return fc_error_set(err, FC_ERR_ARG, "%s: nobody seen near (%.0f, %.0f) at %.1f s; %s%s", name,
                        x, y, t_s, pp->n ? "people seen: " : "nobody seen", list);
}

int fc_people_pick(const struct fc_people *pp, double x, double y, double t_s, const char *name,
                   int *who, struct fc_people_summary *sum, struct fc_error *err)
{
    memset(sum, 0, sizeof *sum);
    *who = -1;
    sum->seen = pp->n;
    sum->at_once = pp->most_at_once;
    int by_point = isfinite(x) && isfinite(y) && isfinite(t_s);
    if (!by_point && pp->n <= 1)
        return 0;
    int q = by_point ? fc_people_at(pp, x, y, t_s) : fc_people_choose(pp);
    if (q < 0)
        return nobody_at(pp, x, y, t_s, name, err);
    const struct fc_person *p = &pp->person[q];
    sum->chosen = q + 1;
    sum->by_point = by_point;
    sum->first_s = p->t_s[0];
    sum->last_s = p->t_s[p->n - 1];
    *who = q;
    return 0;
}
