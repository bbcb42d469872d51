/* formcheck report: the findings' stills from the video (see evidence.h).
 *
 * Findings are known only after grading, when the first decode is long
 * over; the video is decoded again from the start up to the last finding's
 * frame. That costs one more decode of (at most) the clip, with the memory
 * of one frame and the JPEGs: keeping candidate frames during the first
 * pass would need a frame (several MB at 1080p) for every rep bottom and
 * every metric's peak, which in a long set is far more, and would tie the
 * video stage to the grading. The annotated video (annotate_video.c)
 * decodes a second time in the same way. */
#include "report/evidence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decoder.h"
#include "capture/jpeg.h"

/* A decoded frame is the finding's frame when their times agree within a
 * quarter of a frame period, as the annotated video matches them. */
#define MATCH_PERIODS 0.25
/* Stills are not enlarged more than this: a small person in a small clip
 * would come out as blocks. */
#define MAX_UPSCALE 2.0

struct need {
    size_t finding;
    long frame;
    double t_s;
};

static int by_time(const void *a, const void *b)
{
    double ta = ((const struct need *)a)->t_s, tb = ((const struct need *)b)->t_s;
    return ta < tb ? -1 : ta > tb;
}

/* The frames to cut, in time order; returns how many. */
static size_t collect_needs(const struct fc_report *r, struct need *need)
{
    size_t n = 0;
    for (size_t i = 0; i < r->grade->n_findings && n < FC_EVIDENCE_MAX_STILLS; i++) {
        long k = fc_evidence_frame(r, &r->grade->findings[i]);
        if (k < 0 || (size_t)k >= r->track->n_frames)
            continue;
        need[n++] = (struct need){i, k, r->track->frames[k].t_s};
    }
    qsort(need, n, sizeof *need, by_time);
    return n;
}

/* One still: the body's region of the decoded frame, drawn on, to JPEG. */
static int cut_still(const struct fc_frame *fr, const struct fc_report *r, const struct need *nd,
                     struct fc_evidence_still *out, struct fc_scaler *sc, struct fc_error *err)
{
    struct fc_keypoints k;
    double x = 0, y = 0, w = fr->width, h = fr->height;
    if (fc_evidence_keypoints(r->track, nd->frame, &k) == 0)
        fc_evidence_region(&k, &x, &y, &w, &h);
    double s = fmin(FC_EVIDENCE_MAX_SIDE_PX / w, FC_EVIDENCE_MAX_SIDE_PX / h);
    s = fmin(s, MAX_UPSCALE);
    /* Even sizes: the JPEG's 4:2:0 chroma halves them. */
    int ow = 2 * (int)lround(w * s / 2), oh = 2 * (int)lround(h * s / 2);
    ow = ow < 2 ? 2 : ow;
    oh = oh < 2 ? 2 : oh;
    uint8_t *rgb = malloc((size_t)ow * (size_t)oh * 3);
    if (!rgb)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory for a %dx%d still", ow, oh);
    int rc = fc_frame_to_rgb(fr, x, y, w, h, ow, oh, rgb, ow * 3, sc, err);
    if (rc == 0) {
        struct fc_canvas c = {rgb, ow, oh, ow * 3};
        /* The drawn scale is the picture's: ow / w across, oh / h down, the
         * same within rounding. */
        fc_evidence_draw(&c, r, nd->finding, nd->frame, x, y, ow / w);
        rc = fc_jpeg_encode_rgb(rgb, ow, oh, ow * 3, FC_JPEG_DEFAULT_QUALITY, &out->jpeg,
                                &out->jpeg_size, err);
    }
    free(rgb);
    if (rc < 0)
        return rc;
    out->finding = nd->finding;
    out->frame = nd->frame;
    out->t_s = nd->t_s;
    out->width = ow;
    out->height = oh;
    return 0;
}

/* Decodes up to the last needed frame, cutting each still as its frame
 * comes. */
static int cut_stills(struct fc_decoder *dec, const struct fc_report *r, const struct need *need,
                      size_t n, struct fc_evidence *out, struct fc_scaler *sc, struct fc_error *err)
{
    const struct fc_video_info *info = fc_decoder_info(dec);
    double fps = info->fps > 0 ? info->fps : r->track->rate_hz > 0 ? r->track->rate_hz : 30;
    const double tol = MATCH_PERIODS / fps;
    size_t next = 0;
    struct fc_frame fr = {0};
    while (next < n) {
        int rc = fc_decoder_next(dec, &fr, err);
        if (rc < 0)
            return rc;
        if (rc == 1)
            break; /* the rest are beyond the decoded end: no still */
        while (next < n && need[next].t_s < fr.t_s - tol)
            next++; /* a frame the decode skipped: no still */
        for (; next < n && fabs(need[next].t_s - fr.t_s) <= tol; next++) {
            if ((rc = cut_still(&fr, r, &need[next], &out->still[out->n], sc, err)) < 0)
                break;
            out->n++;
        }
        fc_frame_release(&fr);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int fc_evidence_from_video(const char *video_path, const struct fc_report *r,
                           struct fc_evidence *out, struct fc_error *err)
{
    memset(out, 0, sizeof *out);
    if (!r->grade || !r->track || r->grade->n_findings == 0 || r->track->dims != 2)
        return 0;
    struct need need[FC_EVIDENCE_MAX_STILLS];
    size_t n = collect_needs(r, need);
    if (n == 0)
        return 0;
    struct fc_decoder *dec = NULL;
    struct fc_scaler *sc = NULL;
    struct fc_decoder_params dp = fc_decoder_default_params();
    dp.allow_truncated = 1; /* as the first pass: the good frames of a cut file */
    int rc = fc_decoder_open(&dec, video_path, &dp, err);
    if (rc < 0)
        goto fail;
    out->still = calloc(n, sizeof *out->still);
    sc = fc_scaler_new();
    if (!out->still || !sc) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory for the findings' stills",
                          video_path);
        goto fail;
    }
    if ((rc = cut_stills(dec, r, need, n, out, sc, err)) < 0) {
        /* The decoder and the scaler name no file: say which. */
        char msg[FC_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        if (!strstr(msg, video_path))
            fc_error_set(err, rc, "%s: %s", video_path, msg);
        goto fail;
    }
    fc_scaler_free(sc);
    fc_decoder_close(dec);
    return 0;

fail:
    fc_scaler_free(sc);
    fc_decoder_close(dec);
    fc_evidence_free(out);
    return rc;
}
