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

int fc_annotate_video(const char *out_path, const struct fc_annotate_input *in, FILE *progress,
                      struct fc_annotate_stats *stats, struct fc_error *err)
{
    struct fc_annotate_stats st_local;
    struct fc_annotate_stats *st = stats ? stats : &st_local;
    memset(st, 0, sizeof *st);
    if (!out_path || !in || !in->video_path || !in->track)
        return fc_error_set(err, FC_ERR_ARG, "annotate: no video, keypoints or output given");
    const struct fc_pose_track *tr = in->track;
    if (tr->units == FC_UNITS_MM)
        return fc_error_set(err, FC_ERR_ARG,
                            "%s: cannot draw motion-capture markers (millimetres) on a video",
                            out_path);

    struct fc_decoder *dec = NULL;
    struct fc_scaler *scaler = NULL;
    struct fc_encoder *enc = NULL;
    struct fc_annotator *ann = NULL;
    struct fc_frame frame = {0};
    uint8_t *rgb = NULL;
    int rc;

    struct fc_decoder_params dp = fc_decoder_default_params();
    dp.allow_truncated = 1; /* as the first pass: the good frames of a cut file */
    if ((rc = fc_decoder_open(&dec, in->video_path, &dp, err)) < 0)
        goto fail;
    const struct fc_video_info *info = fc_decoder_info(dec);
    int ow, oh;
    output_size(info->width, info->height, &ow, &oh);
    /* Track units -> output pixels. The track's own size when it has one
     * (it was made from this video), else the video's. */
    double sx, sy;
    if (tr->units == FC_UNITS_NORMALIZED) {
        sx = ow;
        sy = oh;
    } else {
        sx = (double)ow / (tr->width > 0 ? tr->width : info->width);
        sy = (double)oh / (tr->height > 0 ? tr->height : info->height);
    }
    if ((rc = fc_annotator_new(&ann, in, err)) < 0)
        goto fail;
    int stride = ow * 3;
    rgb = malloc((size_t)stride * (size_t)oh);
    scaler = fc_scaler_new();
    if (!rgb || !scaler) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for a %dx%d frame", out_path, ow,
                          oh);
        goto fail;
    }
    struct fc_encoder_params ep = fc_encoder_default_params();
    if (info->fps > 0)
        ep.fps = info->fps;
    else if (tr->rate_hz > 0)
        ep.fps = tr->rate_hz;
    if ((rc = fc_encoder_open(&enc, out_path, ow, oh, &ep, err)) < 0)
        goto fail;
    st->width = ow;
    st->height = oh;
    snprintf(st->codec, sizeof st->codec, "%s", fc_encoder_codec_name(enc));

    /* A decoded frame shows track frame k when their times agree within a
     * quarter of a frame period. Both are in time order: one cursor. */
    const double tol = 0.25 / ep.fps;
    size_t cursor = 0;
    struct fc_canvas canvas = {rgb, ow, oh, stride};
    double start = now_ms(), last_report = start;
    for (;;) {
        double t0 = now_ms();
        rc = fc_decoder_next(dec, &frame, err);
        if (rc < 0)
            goto fail;
        if (rc == 1)
            break;
        if ((rc = fc_frame_to_rgb(&frame, 0, 0, frame.width, frame.height, ow, oh, rgb, stride,
                                  scaler, err)) < 0)
            goto fail;
        double t_s = frame.t_s;
        fc_frame_release(&frame);
        double t1 = now_ms();
        while (cursor + 1 < tr->n_frames && tr->frames[cursor + 1].t_s <= t_s + tol)
            cursor++;
        long k = -1;
        if (cursor < tr->n_frames && fabs(tr->frames[cursor].t_s - t_s) <= tol) {
            k = (long)cursor;
            st->frames_matched++;
        }
        fc_annotator_draw(ann, &canvas, k, t_s, sx, sy);
        double t2 = now_ms();
        if ((rc = fc_encoder_write_rgb(enc, rgb, stride, t_s, err)) < 0)
            goto fail;
        double t3 = now_ms();
        st->decode_ms += t1 - t0;
        st->draw_ms += t2 - t1;
        st->encode_ms += t3 - t2;
        st->frames++;
        if (progress && t3 - last_report > 250) {
            progress_line(progress, st->frames, info->frame_count_est, t3 - start, 0);
            last_report = t3;
        }
    }
    if (progress)
        progress_line(progress, st->frames, st->frames, now_ms() - start, 1);
    if (st->frames_matched == 0 && tr->n_frames > 0) {
        rc = fc_error_set(err, FC_ERR_FORMAT,
                          "%s: none of its %ld frame times match the keypoints' (is it the "
                          "video the keypoints were made from?)",
                          in->video_path, st->frames);
        goto fail;
    }
    double t0 = now_ms();
    rc = fc_encoder_close(enc, err);
    enc = NULL;
    st->encode_ms += now_ms() - t0;
    if (rc < 0)
        goto fail;
    fc_annotator_free(ann);
    fc_scaler_free(scaler);
    fc_decoder_close(dec);
    free(rgb);
    return 0;

fail:
    fc_frame_release(&frame);
    fc_encoder_abort(enc);
    fc_annotator_free(ann);
    fc_scaler_free(scaler);
    fc_decoder_close(dec);
    free(rgb);
    return rc;
}
