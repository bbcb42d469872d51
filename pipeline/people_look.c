/* The look over a clip for who is in it (see people_look.h). */
#include "pipeline/people_look.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decoder.h"

/* How often the look reports progress, in frames: often enough to move,
 * rarely enough not to slow it. */
#define PROGRESS_EVERY_FRAMES 32

struct fc_people_params fc_people_default_params(void)
{
    return (struct fc_people_params){
        .look_every_s = 0.5, .min_torso_score = 0.3f, .fast_decode = 1};
}

struct fc_people_choice fc_people_default_choice(void)
{
    return (struct fc_people_choice){
        .look = 1, .x = NAN, .y = NAN, .t_s = NAN, .params = fc_people_default_params()};
}

static void look_progress(FILE *f, long frames, int64_t total)
{
    if (total > 0)
        fprintf(f, "\rlooking for people: %ld/%lld frames   ", frames, (long long)total);
    else
        fprintf(f, "\rlooking for people: %ld frames   ", frames);
    fflush(f);
}

/* The model's input for the whole of one frame. */
struct look_input {
    struct fc_scaler *scaler;
    uint8_t *rgb;
    int size;
};

/* One look: everyone the model sees in the whole frame, added to out. */
static int look_at(struct fc_movenet *net, const struct fc_frame *frame, struct look_input *in,
                   float min_torso_score, struct fc_people *out, struct fc_error *err)
{
    struct fc_movenet_person seen_now[FC_MOVENET_MAX_PEOPLE];
    struct fc_movenet_region r;
    fc_movenet_full_region(frame->width, frame->height, &r);
    int rc = fc_frame_to_rgb(frame, r.x, r.y, r.w, r.h, in->size, in->size, in->rgb, in->size * 3,
                             in->scaler, err);
    if (rc < 0)
        return rc;
    int n = fc_movenet_people(net, in->rgb, in->size * 3, &r, frame->width, frame->height,
                              frame->t_s, seen_now, FC_MOVENET_MAX_PEOPLE, err);
    if (n < 0)
        return n;
    if ((rc = fc_people_add(out, frame->t_s, seen_now, n, min_torso_score, err)) < 0)
        return rc;
    out->looks++;
    return 0;
}

int fc_people_look(const char *path, struct fc_movenet *net, const struct fc_people_params *pa,
                   struct fc_people *out, struct fc_error *err)
{
    struct fc_people_params def = fc_people_default_params();
    if (!pa)
        pa = &def;
    memset(out, 0, sizeof *out);
    struct fc_decoder *dec = NULL;
    struct look_input in = {.size = fc_movenet_input_size(net)};
    struct fc_frame frame = {0};
    struct fc_decoder_params dp = fc_decoder_default_params();
    dp.fast = pa->fast_decode;
    int rc = fc_decoder_open(&dec, path, &dp, err);
    if (rc < 0)
        goto fail;
    in.rgb = malloc((size_t)in.size * (size_t)in.size * 3);
    in.scaler = fc_scaler_new();
    if (!in.rgb || !in.scaler) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for the model input", path);
        goto fail;
    }
    double next_t = -INFINITY;
    const int64_t total = fc_decoder_info(dec)->frame_count_est;
    long frames = 0;
    while ((rc = fc_decoder_next(dec, &frame, err)) == 0) {
        if (pa->progress && frames++ % PROGRESS_EVERY_FRAMES == 0)
            look_progress(pa->progress, frames, total);
        if (frame.t_s >= next_t) {
            /* 0.999: a frame due exactly at the next look is not missed by
             * rounding in its timestamp */
            next_t = frame.t_s + pa->look_every_s * 0.999;
            if ((rc = look_at(net, &frame, &in, pa->min_torso_score, out, err)) < 0)
                goto fail;
        }
        fc_frame_release(&frame);
    }
    if (pa->progress) /* clear the line for the next stage's progress */
        fprintf(pa->progress, "\r%60s\r", "");
    if (rc < 0)
        goto fail;
    fc_people_weigh(out, pa->look_every_s);
    free(in.rgb);
    fc_scaler_free(in.scaler);
    fc_decoder_close(dec);
    return 0;

fail:
    fc_frame_release(&frame);
    free(in.rgb);
    fc_scaler_free(in.scaler);
    fc_decoder_close(dec);
    fc_people_free(out);
    return rc;
}

int fc_people_follow_chosen(const char *path, struct fc_movenet *net,
                            const struct fc_people_choice *c, struct fc_people *pp,
                            struct fc_people_summary *sum, struct fc_error *err)
{
    memset(sum, 0, sizeof *sum);
    memset(pp, 0, sizeof *pp);
    if (!c->look)
        return 0;
    int rc = fc_people_look(path, net, &c->params, pp, err);
    if (rc < 0)
        return rc;
    int who;
    if ((rc = fc_people_pick(pp, c->x, c->y, c->t_s, path, &who, sum, err)) < 0) {
        fc_people_free(pp);
        return rc;
    }
    sum->looked = 1;
    if (who >= 0) {
        struct fc_person_path fp;
        fc_people_path(&pp->person[who], &fp);
        fc_movenet_follow(net, &fp);
    }
    return 0;
}
