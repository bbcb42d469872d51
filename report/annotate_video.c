/* formcheck report: the annotated video writer (see annotate.h): decodes
 * the video a second time, draws the overlay of report/annotate.c on each
 * frame and encodes the result, keeping every frame's time. */
#include "report/annotate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/decoder.h"
#include "capture/encoder.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void progress_line(FILE *f, long done, int64_t total, double elapsed_ms, int final)
{
    double fps = elapsed_ms > 0 ? done * 1e3 / elapsed_ms : 0;
    if (total > 0 && fps > 0)
        fprintf(f, "\rannotating: %ld/%lld frames, %.1f frames/s, %.0f s left   ", done,
                (long long)total, fps, fmax(0.0, (double)(total - done) / fps));
    else
        fprintf(f, "\rannotating: %ld frames, %.1f frames/s   ", done, fps);
    if (final)
        fputc('\n', f);
    fflush(f);
}

/* An even size no larger than FC_ANNOTATE_MAX_SIDE on the long side. */
static void output_size(int w, int h, int *ow, int *oh)
{
    int side = w > h ? w : h;
    double s = side > FC_ANNOTATE_MAX_SIDE ? (double)FC_ANNOTATE_MAX_SIDE / side : 1.0;
    *ow = 2 * (int)lround(w * s / 2);
    *oh = 2 * (int)lround(h * s / 2);
    *ow = *ow < 2 ? 2 : *ow;
    *oh = *oh < 2 ? 2 : *oh;
}

/* What the writer holds while it runs; NULL until opened. */
struct writer {
    struct fc_decoder *dec;
    struct fc_scaler *scaler;
    struct fc_encoder *enc;
    struct fc_annotator *ann;
    uint8_t *rgb;
    struct fc_canvas canvas;
    double sx, sy; /* track units -> output pixels */
    double fps;
    int64_t frames_est; /* the decoder's estimate, for progress */
};

static void writer_free(struct writer *w)
{
    fc_encoder_abort(w->enc);
    fc_annotator_free(w->ann);
    fc_scaler_free(w->scaler);
    fc_decoder_close(w->dec);
    free(w->rgb);
    memset(w, 0, sizeof *w);
}

/* Opens the input, sizes the output and opens the encoder. */
static int writer_open(struct writer *w, const char *out_path, const struct fc_annotate_input *in,
                       struct fc_annotate_stats *st, struct fc_error *err)
{
    const struct fc_pose_track *tr = in->track;
    struct fc_decoder_params dp = fc_decoder_default_params();
    dp.allow_truncated = 1; /* as the first pass: the good frames of a cut file */
    int rc = fc_decoder_open(&w->dec, in->video_path, &dp, err);
    if (rc < 0)
        return rc;
    const struct fc_video_info *info = fc_decoder_info(w->dec);
    w->frames_est = info->frame_count_est;
    int ow, oh;
    output_size(info->width, info->height, &ow, &oh);
    /* Track units -> output pixels. The track's own size when it has one
     * (it was made from this video), else the video's. */
    if (tr->units == FC_UNITS_NORMALIZED) {
        w->sx = ow;
        w->sy = oh;
    } else {
        w->sx = (double)ow / (tr->width > 0 ? tr->width : info->width);
        w->sy = (double)oh / (tr->height > 0 ? tr->height : info->height);
    }
    if ((rc = fc_annotator_new(&w->ann, in, err)) < 0)
        return rc;
    int stride = ow * 3;
    w->rgb = malloc((size_t)stride * (size_t)oh);
    w->scaler = fc_scaler_new();
    if (!w->rgb || !w->scaler)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for a %dx%d frame", out_path, ow,
                            oh);
    w->canvas = (struct fc_canvas){w->rgb, ow, oh, stride};
    struct fc_encoder_params ep = fc_encoder_default_params();
    if (info->fps > 0)
        ep.fps = info->fps;
    else if (tr->rate_hz > 0)
        ep.fps = tr->rate_hz;
    w->fps = ep.fps;
    if ((rc = fc_encoder_open(&w->enc, out_path, ow, oh, &ep, err)) < 0)
        return rc;
    st->width = ow;
    st->height = oh;
    snprintf(st->codec, sizeof st->codec, "%s", fc_encoder_codec_name(w->enc));
    return 0;
}

/* Decodes, draws and encodes every frame. */
static int writer_frames(struct writer *w, const struct fc_annotate_input *in, FILE *progress,
                         struct fc_annotate_stats *st, struct fc_error *err)
{
    const struct fc_pose_track *tr = in->track;
    struct fc_canvas *c = &w->canvas;
    struct fc_frame frame = {0};
    /* A decoded frame shows track frame k when their times agree within a
     * quarter of a frame period. Both are in time order: one cursor. */
    const double tol = 0.25 / w->fps;
    size_t cursor = 0;
    double start = now_ms(), last_report = start;
    for (;;) {
        double t0 = now_ms();
        int rc = fc_decoder_next(w->dec, &frame, err);
        if (rc < 0)
            return rc;
        if (rc == 1)
            break;
        rc = fc_frame_to_rgb(&frame, 0, 0, frame.width, frame.height, c->width, c->height, c->rgb,
                             c->stride, w->scaler, err);
        double t_s = frame.t_s;
        fc_frame_release(&frame);
        if (rc < 0)
            return rc;
        double t1 = now_ms();
        while (cursor + 1 < tr->n_frames && tr->frames[cursor + 1].t_s <= t_s + tol)
            cursor++;
        long k = -1;
        if (cursor < tr->n_frames && fabs(tr->frames[cursor].t_s - t_s) <= tol) {
            k = (long)cursor;
            st->frames_matched++;
        }
        fc_annotator_draw(w->ann, c, k, t_s, w->sx, w->sy);
        double t2 = now_ms();
        if ((rc = fc_encoder_write_rgb(w->enc, c->rgb, c->stride, t_s, err)) < 0)
            return rc;
        double t3 = now_ms();
        st->decode_ms += t1 - t0;
        st->draw_ms += t2 - t1;
        st->encode_ms += t3 - t2;
        st->frames++;
        if (progress && t3 - last_report > 250) {
            progress_line(progress, st->frames, w->frames_est, t3 - start, 0);
            last_report = t3;
        }
    }
    if (progress)
        progress_line(progress, st->frames, st->frames, now_ms() - start, 1);
    if (st->frames_matched == 0 && tr->n_frames > 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: none of its %ld frame times match the keypoints' (is it the "
                            "video the keypoints were made from?)",
                            in->video_path, st->frames);
    return 0;
}

int fc_annotate_video(const char *out_path, const struct fc_annotate_input *in, FILE *progress,
                      struct fc_annotate_stats *stats, struct fc_error *err)
{
    struct fc_annotate_stats st_local;
    struct fc_annotate_stats *st = stats ? stats : &st_local;
    memset(st, 0, sizeof *st);
    if (!out_path || !in || !in->video_path || !in->track)
        return fc_error_set(err, FC_ERR_ARG, "annotate: no video, keypoints or output given");
    if (in->track->units == FC_UNITS_MM)
        return fc_error_set(err, FC_ERR_ARG,
                            "%s: cannot draw motion-capture markers (millimetres) on a video",
                            out_path);
    struct writer w = {0};
    int rc;
    if ((rc = writer_open(&w, out_path, in, st, err)) < 0 ||
        (rc = writer_frames(&w, in, progress, st, err)) < 0)
        goto fail;
    double t0 = now_ms();
    rc = fc_encoder_close(w.enc, err);
    w.enc = NULL;
    st->encode_ms += now_ms() - t0;
    if (rc < 0)
        goto fail;
    writer_free(&w);
    return 0;

fail:
    writer_free(&w);
    return rc;
}
