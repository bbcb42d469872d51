/* formcheck pipeline: the look over a clip for who is in it, before the
 * main pass.
 *
 * Decodes the clip quickly (capture/decoder.h, "fast"), runs the pose model
 * on the whole frame a few times a second (pose/movenet.h,
 * fc_movenet_people) and links what it sees into people (pose/people.h,
 * the pure logic). Then, when more than one person is in view or the user
 * names a point, makes the model follow the chosen one for the main pass.
 * The names keep the fc_people_ prefix of the stage they drive.
 *
 *     struct fc_people_choice c = fc_people_default_choice();   // the most prominent
 *     struct fc_people pp;
 *     struct fc_people_summary sum;
 *     if (fc_people_follow_chosen("squat.mov", net, &c, &pp, &sum, &err) < 0) ...;
 *     ... the main pass with net ...
 *     fc_people_free(&pp);                      // after the pass: net borrows the path
 */
#ifndef FC_PIPELINE_PEOPLE_LOOK_H
#define FC_PIPELINE_PEOPLE_LOOK_H

#include <stdio.h>

#include "core/error.h"
#include "pose/movenet.h"
#include "pose/people.h"

struct fc_people_params {
    double look_every_s;   /* time between looks (0.5 s) */
    float min_torso_score; /* a sighting needs a hip and a shoulder above this (0.3) */
    int fast_decode;       /* decode quickly (capture/decoder.h "fast"): skip frames no
                              other refers to, no deblocking; the look needs only a few
                              frames a second, not the finest detail (1) */
    FILE *progress;        /* "looking for people: frames done" as it goes; NULL: silent */
};

struct fc_people_params fc_people_default_params(void);

/* Looks over the video at path with net (any model; the tracking state of
 * net is left alone) and fills out, prominence included (fc_people_weigh).
 * A video that cannot be read gives the decoder's error; a clip where
 * nobody is seen gives out->n == 0, not an error. */
int fc_people_look(const char *path, struct fc_movenet *net, const struct fc_people_params *p,
                   struct fc_people *out, struct fc_error *err);

/* Who to analyse in a video, as the user asks. */
struct fc_people_choice {
    int look;         /* 1: look for people first and follow one (1) */
    double x, y, t_s; /* the person at (x, y) pixels at t_s seconds; x NaN: the most
                         prominent (NaN) */
    struct fc_people_params params;
};

struct fc_people_choice fc_people_default_choice(void);

/* Looks over path (fc_people_look) and, when more than one person is seen
 * or a point is given, makes net follow the chosen one (fc_people_pick,
 * fc_movenet_follow), keeping the sightings in pp, which must outlive the
 * pass and be freed with fc_people_free. A point with nobody near it is
 * FC_ERR_ARG, and the message lists who was seen where. */
int fc_people_follow_chosen(const char *path, struct fc_movenet *net,
                            const struct fc_people_choice *c, struct fc_people *pp,
                            struct fc_people_summary *sum, struct fc_error *err);

#endif
