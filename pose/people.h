/* formcheck: who is in a video, and which of them is the exerciser.
 *
 * A first look over the clip (the whole frame, a few times a second) finds
 * everyone the pose model sees (pose/movenet.h, fc_movenet_people) and links
 * the sightings into people by where they are and how far they can have
 * moved since. One of them is then chosen, by default the most prominent
 * (biggest in the picture, for longest, most confidently seen), or the one
 * at a point the user names, and the main pass follows only that person
 * (fc_movenet_follow), so someone walking past, a spectator or a trainer
 * beside the exerciser never takes over.
 *
 *     struct fc_people pp;
 *     struct fc_people_params p = fc_people_default_params();
 *     if (fc_people_look("squat.mov", net, &p, &pp, &err) < 0) ...;
 *     int who = fc_people_choose(&pp);          // -1: nobody seen
 *     if (pp.n > 1 && who >= 0) {
 *         struct fc_person_path path;
 *         fc_people_path(&pp.person[who], &path);
 *         fc_movenet_follow(net, &path);        // pp must outlive the pass
 *     }
 *     ... the main pass ...
 *     fc_people_free(&pp);
 */
#ifndef FC_POSE_PEOPLE_H
#define FC_POSE_PEOPLE_H

#include <stdio.h>

#include "core/error.h"
#include "pose/movenet.h"

struct fc_people_params {
    double look_every_s;   /* time between looks (0.5 s) */
    float min_torso_score; /* a sighting needs a hip and a shoulder above this (0.3) */
    int fast_decode;       /* decode quickly (capture/decoder.h "fast"): skip frames no
                              other refers to, no deblocking; the look needs only a few
                              frames a second, not the finest detail (1) */
    FILE *progress;        /* "looking for people: frames done" as it goes; NULL: silent */
};

struct fc_people_params fc_people_default_params(void);

/* One person: their sightings, in time order (structure of arrays). */
struct fc_person {
    int n, cap;
    double *t_s;
    float *x, *y;    /* centre of the body (the model's centre-map peak), frame pixels */
    float *torso;    /* mid-shoulder to mid-hip, pixels */
    float *height;   /* extent of the confidently seen joints, pixels */
    float *score;    /* mean score of the seen torso joints */
    double prominence; /* sum over sightings of height x score x time between looks */
};

struct fc_people {
    int n, cap;
    struct fc_person *person; /* in order of first sighting */
    long looks;               /* frames looked at */
    int most_at_once;         /* most people in one look */
};

/* Looks over the video at path with net (any model; the tracking state of
 * net is left alone) and fills out. A video that cannot be read gives the
 * decoder's error; a clip where nobody is seen gives out->n == 0, not an
 * error. */
int fc_people_look(const char *path, struct fc_movenet *net, const struct fc_people_params *p,
                   struct fc_people *out, struct fc_error *err);

/* Adds one look's sightings at t_s (after any earlier look): each continues
 * the person it is nearest to, measured in their torso lengths, when that is
 * within one torso length plus four per second since that person was last
 * seen (and they were seen within the last 1.5 s); else it starts a new
 * person. Sightings without a hip and a shoulder above min_torso_score, and
 * a second sighting of a body already sighted in this look, are ignored. */
int fc_people_add(struct fc_people *pp, double t_s, const struct fc_movenet_person *seen, int n,
                  float min_torso_score, struct fc_error *err);

/* The most prominent person, or -1 when nobody was seen. */
int fc_people_choose(const struct fc_people *pp);
/* The person seen nearest the point (x, y) (frame pixels) at the look
 * nearest t_s, if within 1 s of it and the point is within two torso lengths
 * of their centre; else -1. */
int fc_people_at(const struct fc_people *pp, double x, double y, double t_s);

/* The person's sightings as a path to follow (borrowing their arrays). */
void fc_people_path(const struct fc_person *p, struct fc_person_path *path);

void fc_people_free(struct fc_people *pp);

/* Who to analyse in a video, as the user asks. */
struct fc_people_choice {
    int look;           /* 1: look for people first and follow one (1) */
    double x, y, t_s;   /* the person at (x, y) pixels at t_s seconds; x NaN: the most
                           prominent (NaN) */
    struct fc_people_params params;
};

struct fc_people_choice fc_people_default_choice(void);

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

/* Looks over path (fc_people_look) and, when more than one person is seen
 * or a point is given, makes net follow the chosen one (fc_movenet_follow),
 * keeping the sightings in pp, which must outlive the pass and be freed
 * with fc_people_free. A point with nobody near it is FC_ERR_ARG, and the
 * message lists who was seen where. */
int fc_people_follow_chosen(const char *path, struct fc_movenet *net,
                            const struct fc_people_choice *c, struct fc_people *pp,
                            struct fc_people_summary *sum, struct fc_error *err);

#endif
