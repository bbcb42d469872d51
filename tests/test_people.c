/* Who is in a video: linking sightings into people, choosing one. Synthetic
 * sightings with known positions; the model itself is tested in
 * test_movenet.c and on real clips in test_realdata_pipeline.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "pose/people.h"

/* A standing body whose centre is (x, y): torso `torso` pixels, shoulders
 * and hips scored `score`, head and ankles too (extent 3.5 torsos). */
static struct fc_movenet_person body(double x, double y, float torso, float score)
{
    struct fc_movenet_person p;
    memset(&p, 0, sizeof p);
    p.centre_score = 0.8f;
    p.centre_x = x;
    p.centre_y = y;
    fc_keypoints_clear(&p.kp, 0.0);
    float hip_y = (float)y + 0.1f * torso, sh_y = hip_y - torso;
    fc_keypoints_set(&p.kp, FC_JOINT_LEFT_SHOULDER, (float)x + 0.2f * torso, sh_y, NAN, score);
    fc_keypoints_set(&p.kp, FC_JOINT_RIGHT_SHOULDER, (float)x - 0.2f * torso, sh_y, NAN, score);
    fc_keypoints_set(&p.kp, FC_JOINT_LEFT_HIP, (float)x + 0.15f * torso, hip_y, NAN, score);
    fc_keypoints_set(&p.kp, FC_JOINT_RIGHT_HIP, (float)x - 0.15f * torso, hip_y, NAN, score);
    fc_keypoints_set(&p.kp, FC_JOINT_NOSE, (float)x, sh_y - 0.5f * torso, NAN, score);
    fc_keypoints_set(&p.kp, FC_JOINT_LEFT_ANKLE, (float)x + 0.1f * torso, hip_y + 2.0f * torso, NAN,
                     score);
    return p;
}

Test(people, a_walker_and_a_bystander_stay_two_people)
{
    struct fc_people pp = {0};
    struct fc_error err = {0};
    /* A walks right at 3 torso lengths (300 px) a second past B, who
     * stands still, nearer the camera (torso 150); looks 0.2 s apart. A is
     * listed first in even looks, second in odd ones. */
    for (int i = 0; i < 20; i++) {
        double t = 0.2 * i;
        struct fc_movenet_person s[2] = {body(100 + 300 * t, 400, 100, 0.9f),
                                         body(900, 450, 150, 0.8f)};
        if (i % 2) {
            struct fc_movenet_person x = s[0];
            s[0] = s[1], s[1] = x;
        }
        cr_assert_eq(fc_people_add(&pp, t, s, 2, 0.3f, &err), 0, "%s", err.msg);
    }
    cr_assert_eq(pp.n, 2);
    cr_assert_eq(pp.most_at_once, 2);
    const struct fc_person *a = &pp.person[0], *b = &pp.person[1];
    cr_assert_eq(a->n, 20);
    cr_assert_eq(b->n, 20);
    for (int i = 0; i < 20; i++) {
        cr_assert_float_eq(a->x[i], 100 + 300 * 0.2 * i, 1e-3, "look %d", i);
        cr_assert_float_eq(b->x[i], 900, 1e-3);
        cr_assert_float_eq(a->torso[i], hypot(0, 100), 1e-3);
    }
    fc_people_free(&pp);
    cr_assert_eq(pp.n, 0);
}

Test(people, out_of_reach_or_long_gone_is_someone_new)
{
    struct fc_people pp = {0};
    struct fc_error err = {0};
    struct fc_movenet_person s = body(100, 400, 100, 0.9f);
    cr_assert_eq(fc_people_add(&pp, 0.0, &s, 1, 0.3f, &err), 0);
    /* 0.2 s later, 1.5 torso lengths away: within 1 + 4 x 0.2 = 1.8 */
    s = body(250, 400, 100, 0.9f);
    cr_assert_eq(fc_people_add(&pp, 0.2, &s, 1, 0.3f, &err), 0);
    cr_assert_eq(pp.n, 1);
    /* 0.2 s later, 10 torso lengths further: beyond the gate, even ahead
     * of where the first was heading */
    s = body(1250, 400, 100, 0.9f);
    cr_assert_eq(fc_people_add(&pp, 0.4, &s, 1, 0.3f, &err), 0);
    cr_assert_eq(pp.n, 2);
    /* back where the first was last seen, but 1.6 s later: gone too long */
    s = body(250, 400, 100, 0.9f);
    cr_assert_eq(fc_people_add(&pp, 1.8, &s, 1, 0.3f, &err), 0);
    cr_assert_eq(pp.n, 3);
    cr_assert_eq(pp.person[0].n, 2);
    cr_assert_eq(pp.most_at_once, 1);
    fc_people_free(&pp);
}

Test(people, doubles_and_faint_sightings_are_not_people)
{
    struct fc_people pp = {0};
    struct fc_error err = {0};
    /* a second peak on the same body (its joints within 0.2 torso lengths
     * of the first's), and a sighting whose torso scores 0.2 */
    struct fc_movenet_person s[4] = {body(500, 400, 100, 0.9f), body(518, 400, 100, 0.7f),
                                     body(100, 400, 100, 0.2f), body(540, 400, 100, 0.7f)};
    cr_assert_eq(fc_people_add(&pp, 0.0, s, 3, 0.3f, &err), 0);
    cr_assert_eq(pp.n, 1);
    cr_assert_float_eq(pp.person[0].x[0], 500, 1e-3);
    cr_assert_eq(pp.most_at_once, 1);
    /* 0.4 torso lengths apart: someone else, close beside */
    struct fc_movenet_person two[2] = {s[0], s[3]};
    cr_assert_eq(fc_people_add(&pp, 0.2, two, 2, 0.3f, &err), 0);
    cr_assert_eq(pp.n, 2);
    cr_assert_eq(pp.most_at_once, 2);
    fc_people_free(&pp);
}

Test(people, choice_by_prominence_and_by_point)
{
    struct fc_people pp = {0};
    struct fc_error err = {0};
    cr_assert_eq(fc_people_choose(&pp), -1);
    /* A: small (torso 60), in view the whole 4 s; B: large (torso 150),
     * in view 1..3 s. Extents 3.5 torsos: A 210 px x 4 s = 840 < B 525 px
     * x 2 s = 1050 at equal scores. */
    for (int i = 0; i <= 20; i++) {
        double t = 0.2 * i;
        struct fc_movenet_person s[2] = {body(200, 300, 60, 0.9f), body(800, 500, 150, 0.9f)};
        int n = t >= 1.0 - 1e-9 && t <= 3.0 + 1e-9 ? 2 : 1;
        cr_assert_eq(fc_people_add(&pp, t, s, n, 0.3f, &err), 0);
    }
    /* prominence is computed by the look; weigh as it does */
    cr_assert_eq(pp.n, 2);
    struct fc_person *a = &pp.person[0], *b = &pp.person[1];
    cr_assert_eq(a->n, 21);
    cr_assert_eq(b->n, 11);
    /* the look fills prominence; here by its definition: extent x score x
     * the time each sighting stands for */
    a->prominence = 0, b->prominence = 0;
    for (int i = 0; i < a->n; i++)
        a->prominence += a->height[i] * a->score[i] * 0.2;
    for (int i = 0; i < b->n; i++)
        b->prominence += b->height[i] * b->score[i] * 0.2;
    cr_assert_float_eq(a->height[0], 3.5f * 60, 1e-3); /* nose to ankle */
    cr_assert_eq(fc_people_choose(&pp), 1);
    /* by point: near A's centre at 2 s; near B's; near nobody; too late */
    cr_assert_eq(fc_people_at(&pp, 210, 310, 2.0), 0);
    cr_assert_eq(fc_people_at(&pp, 790, 520, 2.0), 1);
    cr_assert_eq(fc_people_at(&pp, 500, 100, 2.0), -1);
    cr_assert_eq(fc_people_at(&pp, 790, 520, 4.5), -1);
    /* the path borrows the sightings */
    struct fc_person_path path;
    fc_people_path(b, &path);
    cr_assert_eq(path.n, 11);
    cr_assert_eq(path.t_s, b->t_s);
    cr_assert_float_eq(path.t_s[0], 1.0, 1e-9);
    fc_people_free(&pp);
}

/* Two people seen at the same three looks (0, 1.4 and 1.9 s): A small
 * (torso 60) at (200, 300), B large (torso 150) at (800, 500). */
static void two_people(struct fc_people *pp, int with_b)
{
    struct fc_error err = {0};
    const double looks[3] = {0.0, 1.4, 1.9};
    for (int i = 0; i < 3; i++) {
        struct fc_movenet_person s[2] = {body(200, 300, 60, 0.9f), body(800, 500, 150, 0.8f)};
        cr_assert_eq(fc_people_add(pp, looks[i], s, with_b ? 2 : 1, 0.3f, &err), 0, "%s", err.msg);
    }
}

Test(people, prominence_weighs_extent_score_and_time_each_sighting_stands_for)
{
    struct fc_people pp = {0};
    two_people(&pp, 1);
    fc_people_weigh(&pp, 0.25);
    /* extent 3.5 torsos (nose to ankle); each sighting stands for the gap
     * to the next, at most 1 s (1.4 -> 1), then 0.5, and the last for the
     * time between looks (0.25): 2.0 - 0.25 = 1.75 s in all */
    cr_assert_float_eq(pp.person[0].prominence, 3.5 * 60 * 0.9 * 1.75, 1e-3);
    cr_assert_float_eq(pp.person[1].prominence, 3.5 * 150 * 0.8 * 1.75, 1e-3);
    cr_assert_eq(fc_people_choose(&pp), 1);
    fc_people_free(&pp);
}

Test(people, pick_singles_out_someone_only_among_several_or_at_a_point)
{
    struct fc_people pp = {0};
    struct fc_error err = {0};
    struct fc_people_summary sum;
    int who = 7;
    /* nobody seen, no point: no one to follow, not an error */
    cr_assert_eq(fc_people_pick(&pp, NAN, NAN, NAN, "clip.mp4", &who, &sum, &err), 0);
    cr_assert_eq(who, -1);
    cr_assert_eq(sum.seen, 0);
    cr_assert_eq(sum.chosen, 0);
    /* one person: the pose stage tracks whoever it sees */
    two_people(&pp, 0);
    fc_people_weigh(&pp, 0.5);
    cr_assert_eq(fc_people_pick(&pp, NAN, NAN, NAN, "clip.mp4", &who, &sum, &err), 0);
    cr_assert_eq(who, -1);
    cr_assert_eq(sum.seen, 1);
    cr_assert_eq(sum.at_once, 1);
    cr_assert_eq(sum.chosen, 0);
    /* one person at a point: chosen, by the point */
    cr_assert_eq(fc_people_pick(&pp, 210, 310, 0.1, "clip.mp4", &who, &sum, &err), 0);
    cr_assert_eq(who, 0);
    cr_assert_eq(sum.chosen, 1);
    cr_assert_eq(sum.by_point, 1);
    cr_assert_float_eq(sum.first_s, 0.0, 1e-9);
    cr_assert_float_eq(sum.last_s, 1.9, 1e-9);
    fc_people_free(&pp);

    /* two people: the bigger one, B, without a point */
    two_people(&pp, 1);
    fc_people_weigh(&pp, 0.5);
    cr_assert_eq(fc_people_pick(&pp, NAN, NAN, NAN, "clip.mp4", &who, &sum, &err), 0);
    cr_assert_eq(who, 1);
    cr_assert_eq(sum.seen, 2);
    cr_assert_eq(sum.at_once, 2);
    cr_assert_eq(sum.chosen, 2);
    cr_assert_eq(sum.by_point, 0);
    /* a point near neither (6 of A's torso lengths, 3.3 of B's from the
     * look at 1.4 s): a usage error that lists who was seen where */
    cr_assert_eq(fc_people_pick(&pp, 500, 100, 1.0, "clip.mp4", &who, &sum, &err), FC_ERR_ARG);
    cr_assert_eq(who, -1);
    cr_assert_str_eq(err.msg, "clip.mp4: nobody seen near (500, 100) at 1.0 s; people seen: "
                              "#1 at (200, 300) from 0.0 s to 1.9 s; #2 at (800, 500) from 0.0 s "
                              "to 1.9 s");
    fc_people_free(&pp);
}
