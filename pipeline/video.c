/* formcheck pipeline: a video to a keypoint track (see video.h). */
#include "pipeline/video.h"

#include <math.h>
#include <stdio.h>
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
        .blazepose = fc_blazepose_default_params(),
        /* the best tracking on the side-view clips (docs/validity.md, "Feet") */
        .blazepose_mode = FC_BLAZEPOSE_MOVENET_BODY,
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
    /* BlazePose: the rotated ROI's bounding square at the model's scale (at
     * most sqrt(2) x 256 a side), and the upright input sampled from it */
    struct fc_blazepose *bp;
    struct fc_scaler *box_scaler;
    uint8_t *box_rgb, *bp_rgb;
    int bp_size;
};

/* The torso score MoveNet must reach for its keypoints to seed BlazePose's
 * ROI: MoveNet's own crop-keeping score (MIN_CROP_KEYPOINT_SCORE). */
#define BLAZEPOSE_SEED_SCORE 0.2f

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

/* MoveNet on its tracked region of the frame: keypoints in k. */
static int movenet_frame(struct fc_movenet *net, const struct fc_frame *frame,
                         struct pose_input *in, struct fc_keypoints *k, struct fc_error *err)
{
    struct fc_movenet_region r;
    fc_movenet_next_region(net, frame->width, frame->height, &r);
    int rc = fc_frame_to_rgb(frame, r.x, r.y, r.w, r.h, in->size, in->size, in->rgb, in->size * 3,
                             in->scaler, err);
    if (rc < 0)
        return rc;
    return fc_movenet_run(net, in->rgb, in->size * 3, &r, frame->width, frame->height, frame->t_s,
                          k, err);
}

/* BlazePose on one ROI: capture/ converts the ROI's bounding square at
 * about the model's scale, the rotated square is sampled from that. */
static int blazepose_roi(const struct fc_frame *frame, struct pose_input *in,
                         const struct fc_blazepose_roi *roi, struct fc_blazepose_result *res,
                         struct fc_error *err)
{
    double c = fabs(cos(roi->rotation_rad)), s = fabs(sin(roi->rotation_rad));
    double side = roi->size * (c + s);
    int box = (int)ceil(in->bp_size * (c + s));
    double bx = roi->cx - side / 2, by = roi->cy - side / 2;
    int rc = fc_frame_to_rgb(frame, bx, by, side, side, box, box, in->box_rgb, box * 3,
                             in->box_scaler, err);
    if (rc < 0)
        return rc;
    const double px_per_frame_px = box / side;
    struct fc_blazepose_roi local = {(roi->cx - bx) * px_per_frame_px,
                                     (roi->cy - by) * px_per_frame_px, roi->size * px_per_frame_px,
                                     roi->rotation_rad};
    fc_blazepose_crop_rgb(in->box_rgb, box, box, box * 3, &local, in->bp_rgb, in->bp_size);
    return fc_blazepose_run(in->bp, in->bp_rgb, in->bp_size * 3, roi, res, err);
}

/* BlazePose's heels and toes added to MoveNet's body. The two models may
 * name the legs of a side view differently, so each BlazePose foot goes to
 * the MoveNet leg whose ankle is nearer to BlazePose's ankle of that foot
 * (crossed only when both feet agree on it). */
/* BlazePose's 3-D world points go with MoveNet's body: they are one
 * self-consistent skeleton, used for angles within it (analysis/), so they
 * are kept whole rather than mixed with MoveNet's picture. crossed: the two
 * models disagree on which leg is which (add_feet), so each left/right pair
 * of world points swaps to follow MoveNet's sides. */
static void add_world(struct fc_keypoints *k, const struct fc_keypoints *bk, int crossed)
{
    if (!bk->world)
        return;
    for (int j = 0; j < FC_JOINT_COUNT; j++) {
        int from = j;
        const char *name = fc_joint_name((enum fc_joint)j);
        if (crossed && name) { /* "left_knee" <-> "right_knee" */
            char other[40];
            if (!strncmp(name, "left_", 5))
                snprintf(other, sizeof other, "right_%s", name + 5);
            else if (!strncmp(name, "right_", 6))
                snprintf(other, sizeof other, "left_%s", name + 6);
            else
                snprintf(other, sizeof other, "%s", name);
            int o = fc_joint_from_name(other);
            from = o >= 0 ? o : j;
        }
        if (isfinite(bk->world_x[from]))
            fc_keypoints_set_world(k, (enum fc_joint)j, bk->world_x[from], bk->world_y[from],
                                   bk->world_z[from]);
    }
}

static void add_feet(struct fc_keypoints *k, const struct fc_keypoints *bk)
{
    static const enum fc_joint ank[2] = {FC_JOINT_LEFT_ANKLE, FC_JOINT_RIGHT_ANKLE};
    static const enum fc_joint heel[2] = {FC_JOINT_LEFT_HEEL, FC_JOINT_RIGHT_HEEL};
    static const enum fc_joint toe[2] = {FC_JOINT_LEFT_BIG_TOE, FC_JOINT_RIGHT_BIG_TOE};
    double d[2][2]; /* BlazePose foot s to MoveNet ankle t */
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < 2; t++)
            d[s][t] = hypot(bk->x[ank[s]] - k->x[ank[t]], bk->y[ank[s]] - k->y[ank[t]]);
    int crossed = d[0][1] < d[0][0] && d[1][0] < d[1][1];
    for (int s = 0; s < 2; s++) {
        int t = crossed ? 1 - s : s;
        fc_keypoints_set(k, heel[t], bk->x[heel[s]], bk->y[heel[s]], NAN, bk->score[heel[s]]);
        fc_keypoints_set(k, toe[t], bk->x[toe[s]], bk->y[toe[s]], NAN, bk->score[toe[s]]);
    }
    add_world(k, bk, crossed);
}

/* BlazePose's keypoints for a frame: on its tracked ROI; when it has none,
 * or the tracked pose is lost, on a ROI from MoveNet's keypoints (which
 * stay the frame's keypoints when MoveNet sees no torso either). */
static int blazepose_frame(struct fc_movenet *net, const struct fc_frame *frame,
                           struct pose_input *in, const struct fc_video_pose_params *p,
                           struct fc_keypoints *k, struct fc_blazepose_result *keep,
                           struct fc_error *err)
{
    struct fc_blazepose_roi roi;
    struct fc_blazepose_result res;
    int rc,
        tracked = p->blazepose_mode == FC_BLAZEPOSE_OWN_ROI && fc_blazepose_next_roi(in->bp, &roi);
    if (tracked) {
        if ((rc = blazepose_roi(frame, in, &roi, &res, err)) < 0)
            return rc;
        if (res.pose_score >= p->blazepose.min_pose_score) {
            fc_blazepose_to_keypoints(&res, p->blazepose.min_pose_score, frame->t_s, k);
            if (keep)
                *keep = res;
            return 0;
        }
    }
    if ((rc = movenet_frame(net, frame, in, k, err)) < 0)
        return rc;
    if (!fc_blazepose_roi_from_keypoints(k, BLAZEPOSE_SEED_SCORE, &roi))
        return 0;
    if ((rc = blazepose_roi(frame, in, &roi, &res, err)) < 0)
        return rc;
    if (keep)
        *keep = res;
    if (p->blazepose_mode != FC_BLAZEPOSE_MOVENET_BODY) {
        fc_blazepose_to_keypoints(&res, p->blazepose.min_pose_score, frame->t_s, k);
        return 0;
    }
    struct fc_keypoints bk;
    fc_blazepose_to_keypoints(&res, p->blazepose.min_pose_score, frame->t_s, &bk);
    add_feet(k, &bk);
    return 0;
}

/* One decoded frame (asked for at t0_ms, here at t1_ms): the tracked region
 * to the model's input, the model, the keypoints appended to out. */
static int pose_frame(struct fc_movenet *net, const struct fc_frame *frame, struct pose_input *in,
                      const struct fc_video_pose_params *p, double t0_ms, double t1_ms,
                      struct fc_pose_track *out, struct fc_video_pose_stats *st,
                      struct fc_error *err)
{
    struct fc_keypoints *k = fc_pose_track_push(out, err);
    if (!k)
        return FC_ERR_NOMEM;
    int rc;
    double t2 = t1_ms;
    if (in->bp) { /* conversions and models interleave: all counted as pose */
        struct fc_blazepose_result *keep = p->blazepose_out && st->frames < p->blazepose_out_cap
                                               ? &p->blazepose_out[st->frames]
                                               : NULL;
        if (keep)
            keep->pose_score = 0; /* none, unless the model ran */
        rc = blazepose_frame(net, frame, in, p, k, keep, err);
    } else {
        struct fc_movenet_region r;
        fc_movenet_next_region(net, frame->width, frame->height, &r);
        rc = fc_frame_to_rgb(frame, r.x, r.y, r.w, r.h, in->size, in->size, in->rgb, in->size * 3,
                             in->scaler, err);
        if (rc < 0)
            return rc;
        t2 = now_ms();
        st->convert_ms += t2 - t1_ms;
        rc = fc_movenet_run(net, in->rgb, in->size * 3, &r, frame->width, frame->height, frame->t_s,
                            k, err);
    }
    if (rc < 0)
        return rc;
    double t3 = now_ms();
    st->pose_ms += t3 - t2;
    if (p->frame_ms && st->frames < p->frame_ms_cap)
        p->frame_ms[st->frames] = t3 - t0_ms;
    st->frames++;
    st->frames_with_person += person_found(k, p->person_score);
    return 0;
}

static void close_blazepose(struct pose_input *in)
{
    fc_blazepose_close(in->bp);
    fc_scaler_free(in->box_scaler);
    free(in->box_rgb);
    free(in->bp_rgb);
}

static int open_blazepose(struct pose_input *in, const struct fc_video_pose_params *p,
                          struct fc_pose_track *out, struct fc_error *err)
{
    int rc = fc_blazepose_open(&in->bp, &p->blazepose, err);
    if (rc < 0)
        return rc;
    in->bp_size = fc_blazepose_input_size(in->bp);
    /* the bounding square of a square turned 45 degrees: sqrt(2) x the side */
    size_t box = (size_t)ceil(in->bp_size * 1.5);
    in->box_rgb = malloc(box * box * 3);
    in->bp_rgb = malloc((size_t)in->bp_size * (size_t)in->bp_size * 3);
    in->box_scaler = fc_scaler_new();
    if (!in->box_rgb || !in->bp_rgb || !in->box_scaler)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for the BlazePose input");
    if (p->blazepose_mode != FC_BLAZEPOSE_MOVENET_BODY) /* else COCO-17 and the feet */
        out->skeleton = FC_SKELETON_MEDIAPIPE33;
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
    if (p->use_blazepose && (rc = open_blazepose(&in, p, out, err)) < 0)
        goto fail;
    if ((rc = pose_frames(dec, net, &in, p, out, st, err)) < 0)
        goto fail;
    const char *warning = fc_decoder_warning(dec);
    if (warning)
        snprintf(st->warning, sizeof st->warning, "%s", warning);
    if (st->frames == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: no decodable video frames", path);
        goto fail;
    }
    close_blazepose(&in);
    free(in.rgb);
    fc_scaler_free(in.scaler);
    fc_movenet_close(net);
    fc_people_free(&people);
    fc_decoder_close(dec);
    return 0;

fail:
    if (p->progress && st->frames > 0)
        fputc('\n', p->progress);
    close_blazepose(&in);
    free(in.rgb);
    fc_scaler_free(in.scaler);
    fc_movenet_close(net);
    fc_people_free(&people);
    fc_decoder_close(dec);
    fc_pose_track_free(out);
    return rc;
}
