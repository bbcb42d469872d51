/* formcheck pipeline: a video to a keypoint track (see video.h). */
#include "pipeline/video.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/decoder.h"

/* How often the progress line is redrawn: a steady count without
 * flooding a terminal or a log. */
#define PROGRESS_EVERY_MS 250

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

/* The model's input: a region of a frame scaled to size x size RGB. */
struct pose_input {
    struct fc_scaler *scaler;
    uint8_t *rgb;
    int size;
};

static void describe_source(const struct fc_video_info *info, struct fc_pose_track *out,
                            struct fc_video_pose_stats *st)
{
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
}

/* One decoded frame (asked for at t0_ms, here at t1_ms): the tracked region
 * to the model's input, the model, the keypoints appended to out. */
static int pose_frame(struct fc_movenet *net, const struct fc_frame *frame, struct pose_input *in,
                      const struct fc_video_pose_params *p, double t0_ms, double t1_ms,
                      struct fc_pose_track *out, struct fc_video_pose_stats *st,
                      struct fc_error *err)
{
    struct fc_movenet_region r;
    fc_movenet_next_region(net, frame->width, frame->height, &r);
    int rc = fc_frame_to_rgb(frame, r.x, r.y, r.w, r.h, in->size, in->size, in->rgb, in->size * 3,
                             in->scaler, err);
    if (rc < 0)
        return rc;
    double t2 = now_ms();
    st->convert_ms += t2 - t1_ms;
    struct fc_keypoints *k = fc_pose_track_push(out, err);
    if (!k)
        return FC_ERR_NOMEM;
    if ((rc = fc_movenet_run(net, in->rgb, in->size * 3, &r, frame->width, frame->height,
                             frame->t_s, k, err)) < 0)
        return rc;
    double t3 = now_ms();
    st->pose_ms += t3 - t2;
    if (p->frame_ms && st->frames < p->frame_ms_cap)
        p->frame_ms[st->frames] = t3 - t0_ms;
    st->frames++;
    st->frames_with_person += person_found(k, p->person_score);
    return 0;
}

/* The main pass: every frame (or p->max_frames) through the model. */
static int pose_frames(struct fc_decoder *dec, struct fc_movenet *net, struct pose_input *in,
                       const struct fc_video_pose_params *p, struct fc_pose_track *out,
                       struct fc_video_pose_stats *st, struct fc_error *err)
{
    struct fc_frame frame = {0};
    const int64_t total = fc_decoder_info(dec)->frame_count_est;
    double start = now_ms(), last_report = start;
    int rc;
    for (;;) {
        double t0 = now_ms();
        rc = fc_decoder_next(dec, &frame, err);
        double t1 = now_ms();
        st->decode_ms += t1 - t0;
        if (rc != 0)
            break;
        rc = pose_frame(net, &frame, in, p, t0, t1, out, st, err);
        fc_frame_release(&frame);
        if (rc < 0)
            break;
        if (p->progress && now_ms() - last_report > PROGRESS_EVERY_MS) {
            progress(p->progress, st->frames, total, now_ms() - start, 0);
            last_report = now_ms();
        }
        if (p->max_frames > 0 && st->frames >= p->max_frames)
            break;
    }
    if (rc < 0)
        return rc;
    if (p->progress)
        progress(p->progress, st->frames, st->frames, now_ms() - start, 1);
    return 0;
}

int fc_video_pose_track(const char *path, const struct fc_video_pose_params *p,
                        struct fc_pose_track *out, struct fc_video_pose_stats *st,
                        struct fc_error *err)
{
    struct fc_decoder *dec = NULL;
    struct fc_movenet *net = NULL;
    struct pose_input in = {0};
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
    describe_source(fc_decoder_info(dec), out, st);

    in.size = fc_movenet_input_size(net);
    in.rgb = malloc((size_t)in.size * (size_t)in.size * 3);
    in.scaler = fc_scaler_new();
    if (!in.rgb || !in.scaler) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for the model input", path);
        goto fail;
    }
    if ((rc = pose_frames(dec, net, &in, p, out, st, err)) < 0)
        goto fail;
    const char *warning = fc_decoder_warning(dec);
    if (warning)
        snprintf(st->warning, sizeof st->warning, "%s", warning);
    if (st->frames == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: no decodable video frames", path);
        goto fail;
    }
    free(in.rgb);
    fc_scaler_free(in.scaler);
    fc_movenet_close(net);
    fc_people_free(&people);
    fc_decoder_close(dec);
    return 0;

fail:
    if (p->progress && st->frames > 0)
        fputc('\n', p->progress);
    free(in.rgb);
    fc_scaler_free(in.scaler);
    fc_movenet_close(net);
    fc_people_free(&people);
    fc_decoder_close(dec);
    fc_pose_track_free(out);
    return rc;
}
