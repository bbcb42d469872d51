/* formcheck pose: who is in view, and which of them is the exerciser.
 *
 * Pure logic over the pose model's sightings, with no decoder and no file:
 * each look at a frame (pose/movenet.h, fc_movenet_people) gives everyone
 * the model sees; fc_people_add links those sightings into people by where
 * they are and how far they can have moved since. One of them is then
 * chosen, by default the most prominent (biggest in the picture, for
 * longest, most confidently seen), or the one at a point the user names,
 * and the main pass follows only that person (fc_movenet_follow), so
 * someone walking past, a spectator or a trainer beside the exerciser never
 * takes over. Going over a clip to make the looks is orchestration and
 * lives in pipeline/people_look.h.
 *
 *     struct fc_people pp = {0};
 *     for (each look at t_s) {
 *         int n = fc_movenet_people(net, rgb, stride, &r, w, h, t_s, seen, FC_MOVENET_MAX_PEOPLE,
 *                                   &err);
 *         fc_people_add(&pp, t_s, seen, n, 0.3f, &err);
 *     }
 *     fc_people_weigh(&pp, 0.5);
 *     int who;
 *     struct fc_people_summary sum;
 *     if (fc_people_pick(&pp, NAN, NAN, NAN, "squat.mov", &who, &sum, &err) < 0) ...;
 *     if (who >= 0) {
 *         struct fc_person_path path;
 *         fc_people_path(&pp.person[who], &path);
 *         fc_movenet_follow(net, &path);        // pp must outlive the pass
 *     }
 *     ... the main pass ...
 *     fc_people_free(&pp);
 */
#ifndef FC_POSE_PEOPLE_H
#define FC_POSE_PEOPLE_H

#include "core/error.h"
#include "pose/movenet.h"

/* One person: their sightings, in time order (structure of arrays). */
struct fc_person {
    int n, cap;
    double *t_s;
    float *x, *y;      /* centre of the body (the model's centre-map peak), frame pixels */
    float *torso;      /* mid-shoulder to mid-hip, pixels */
    float *height;     /* extent of the confidently seen joints, pixels */
    float *score;      /* mean score of the seen torso joints */
    double prominence; /* sum over sightings of height x score x time between looks */
};

struct fc_people {
    int n, cap;
    struct fc_person *person; /* in order of first sighting */
    long looks;               /* frames looked at */
    int most_at_once;         /* most people in one look */
};

/* Adds one look's sightings at t_s (after any earlier look): each continues
 * the person it is nearest to, measured in their torso lengths, when that is
 * within one torso length plus four per second since that person was last
 * seen (and they were seen within the last 1.5 s); else it starts a new
 * person. Sightings without a hip and a shoulder above min_torso_score, and
 * a second sighting of a body already sighted in this look, are ignored. */
int fc_people_add(struct fc_people *pp, double t_s, const struct fc_movenet_person *seen, int n,
                  float min_torso_score, struct fc_error *err);

/* Fills each person's prominence: the sum over their sightings of extent
 * x torso score x the time the sighting stands for (the gap to their next
 * sighting, at most 1 s; look_every_s for the last). */
void fc_people_weigh(struct fc_people *pp, double look_every_s);

/* The most prominent person (after fc_people_weigh), or -1 when nobody was
 * seen. */
int fc_people_choose(const struct fc_people *pp);
/* The person seen nearest the point (x, y) (frame pixels) at the look
 * nearest t_s, if within 1 s of it and the point is within two torso lengths
 * of their centre; else -1. */
int fc_people_at(const struct fc_people *pp, double x, double y, double t_s);

/* The person's sightings as a path to follow (borrowing their arrays). */
void fc_people_path(const struct fc_person *p, struct fc_person_path *path);

void fc_people_free(struct fc_people *pp);

/* What the look found and whom it chose, for the report. */
struct fc_people_summary {
    int looked;             /* 1 when the clip was looked over */
    int seen;               /* people seen (0 when not looked) */
    int at_once;            /* most in one look */
    int chosen;             /* 1-based in order of first sighting; 0: not chosen (one person
                               or nobody: the pose stage tracks whoever it sees) */
    int by_point;           /* 1: chosen at the point the user gave */
    double first_s, last_s; /* the chosen person's first and last sighting */
};

/* Whom to follow: with a point (x, y, t_s all finite) the person at it
 * (fc_people_at), else, when more than one person was seen, the most
 * prominent (fc_people_choose); *who is their index, or -1 when there is
 * no one to single out (one person or nobody, and no point). Fills sum
 * (all but .looked, which says a look was made). A point with nobody near
 * it is FC_ERR_ARG, and the message, which starts with name (the clip),
 * lists who was seen where. */
int fc_people_pick(const struct fc_people *pp, double x, double y, double t_s, const char *name,
                   int *who, struct fc_people_summary *sum, struct fc_error *err);

#endif
