#include "pipeline/video.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/decoder.h"

struct fc_video_pose_params fc_video_pose_default_params(void)
{
    struct fc_video_pose_params p = {
        .movenet = fc_movenet_default_params(),
        .progress = NULL,
        .person_score = 0.3f,
        .people = fc_people_default_choice(),
    };
    p.movenet.tracking = 1;
    return p;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* "Person found" for the report: the torso (shoulders and hips) seen. */
static int person_found(const struct fc_keypoints *k, float min_score)
{
    static const enum fc_joint torso[4] = {FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER,
                                           FC_JOINT_LEFT_HIP, FC_JOINT_RIGHT_HIP};
    float sum = 0;
    for (int i = 0; i < 4; i++)
        sum += k->score[torso[i]];
    return sum / 4 >= min_score;
}

static void progress(FILE *f, long done, int64_t total, double elapsed_ms, int final)
{
    double fps = elapsed_ms > 0 ? done * 1e3 / elapsed_ms : 0;
    if (total > 0 && fps > 0)
        fprintf(f, "\r%ld/%lld frames, %.1f frames/s, %.0f s left   ", done, (long long)total, fps,
                fmax(0.0, (double)(total - done) / fps));
    else
        fprintf(f, "\r%ld frames, %.1f frames/s   ", done, fps);
    if (final)
        fputc('\n', f);
    fflush(f);
}

int fc_video_pose_track(const char *path, const struct fc_video_pose_params *p,
                        struct fc_pose_track *out, struct fc_video_pose_stats *st,
                        struct fc_error *err)
{
    struct fc_decoder *dec = NULL;
    struct fc_movenet *net = NULL;
    struct fc_scaler *scaler = NULL;
    uint8_t *rgb = NULL;
    struct fc_frame frame = {0};
    struct fc_people people = {0};
    int rc;

    memset(st, 0, sizeof *st);
    fc_pose_track_init(out, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    /* A file cut short is an error (the decoder's message says how many
     * good frames it had): a report on part of a set would mislead. */
    struct fc_decoder_params dp = fc_decoder_default_params();
    if ((rc = fc_decoder_open(&dec, path, &dp, err)) < 0)
        goto fail;
    if ((rc = fc_movenet_open(&net, &p->movenet, err)) < 0)
        goto fail;
    /* Who is in view, and whom to follow when that is more than one. */
    struct fc_people_choice choice = p->people;
    choice.params.progress = p->progress;
    if ((rc = fc_people_follow_chosen(path, net, &choice, &people, &st->people, err)) < 0)
        goto fail;
    const struct fc_video_info *info = fc_decoder_info(dec);
    st->width = info->width;
    st->height = info->height;
    st->rotation_deg = info->rotation_deg;
    st->fps = info->fps;
    st->duration_s = info->duration_s;
    snprintf(st->codec, sizeof st->codec, "%s", info->codec);
    out->width = info->width;
    out->height = info->height;
    out->rate_hz = info->fps;
    out->time_from_source = 1;

    int size = fc_movenet_input_size(net);
    rgb = malloc((size_t)size * (size_t)size * 3);
    scaler = fc_scaler_new();
    if (!rgb || !scaler) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for the model input", path);
        goto fail;
    }

    double start = now_ms(), last_report = start;
    for (;;) {
        double t0 = now_ms();
        rc = fc_decoder_next(dec, &frame, err);
        double t1 = now_ms();
        st->decode_ms += t1 - t0;
        if (rc < 0)
            goto fail;
        if (rc == 1)
            break;
        struct fc_movenet_region r;
        fc_movenet_next_region(net, frame.width, frame.height, &r);
        if ((rc = fc_frame_to_rgb(&frame, r.x, r.y, r.w, r.h, size, size, rgb, size * 3, scaler,
                                  err)) < 0)
            goto fail;
        double t2 = now_ms();
        st->convert_ms += t2 - t1;
        struct fc_keypoints *k = fc_pose_track_push(out, err);
        if (!k) {
            rc = FC_ERR_NOMEM;
            goto fail;
        }
        if ((rc = fc_movenet_run(net, rgb, size * 3, &r, frame.width, frame.height, frame.t_s, k,
                                 err)) < 0)
            goto fail;
        double t3 = now_ms();
        st->pose_ms += t3 - t2;
        if (p->frame_ms && st->frames < p->frame_ms_cap)
            p->frame_ms[st->frames] = t3 - t0;
        st->frames++;
        st->frames_with_person += person_found(k, p->person_score);
        fc_frame_release(&frame);
        if (p->progress && now_ms() - last_report > 250) {
            progress(p->progress, st->frames, info->frame_count_est, now_ms() - start, 0);
            last_report = now_ms();
        }
        if (p->max_frames > 0 && st->frames >= p->max_frames)
            break;
    }
    if (p->progress)
        progress(p->progress, st->frames, st->frames, now_ms() - start, 1);
    const char *warning = fc_decoder_warning(dec);
    if (warning)
        snprintf(st->warning, sizeof st->warning, "%s", warning);
    if (st->frames == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: no decodable video frames", path);
        goto fail;
    }
    free(rgb);
    fc_scaler_free(scaler);
    fc_movenet_close(net);
    fc_people_free(&people);
    fc_decoder_close(dec);
    return 0;

fail:
    if (p->progress && st->frames > 0)
        fputc('\n', p->progress);
    fc_frame_release(&frame);
    free(rgb);
    fc_scaler_free(scaler);
    fc_movenet_close(net);
    fc_people_free(&people);
    fc_decoder_close(dec);
    fc_pose_track_free(out);
    return rc;
}
