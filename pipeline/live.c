/* formcheck pipeline: a live session (see live.h). */
#include "pipeline/live.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analysis/filter.h"

/* Latencies are kept as a histogram: fixed memory for a session of any
 * length, percentiles to within one bin. */
#define LAT_BIN_MS 0.1
#define LAT_BINS 100000 /* up to 10 s; longer ones go in the last bin (max is exact) */

struct fc_live {
    struct fc_live_params p;
    int source_is_file;
    struct fc_decoder_params dp;
    struct fc_decoder *dec;
    struct fc_video_info info;
    struct fc_movenet *net;
    struct fc_scaler *scaler;
    uint8_t *rgb;
    int size;
    struct fc_frame frame; /* held until the next call */

    struct fc_keypoints kp;
    struct fc_one_euro fx[FC_JOINT_COUNT], fy[FC_JOINT_COUNT];
    struct fc_analyzer *an;
    struct fc_pose_track track;
    struct fc_frame_metrics *frames;
    size_t frames_cap;
    struct fc_analysis so_far;
    size_t reps_seen;
    struct fc_grade grade_so_far;
    int have_grade;
    struct fc_cues cues;
    struct fc_cue_event ev[FC_CUES_MAX_EVENTS];

    /* session time across reconnections */
    double t_offset, last_t, last_capture;
    int pending_reconnect;
    int64_t dropped_before, captured_before; /* from sources already closed */

    uint32_t *lat_hist;
    double lat_sum, lat_max, pending_capture;
    double pose_ms_sum, convert_ms_sum;
    double t_open;
    struct fc_live_stats st;

    int finished;
    struct fc_analysis final;
    struct fc_grade final_grade;
    int have_final_grade;
};

struct fc_live_params fc_live_default_params(void)
{
    struct fc_live_params p = {
        .read_timeout_s = 5.0,
        .reconnect_wait_s = 1.0,
        .model = FC_MOVENET_LIGHTNING,
        .backend = FC_DNN_BACKEND_XNNPACK,
        .fallback = 1,
        .exercise = FC_EXERCISE_AUTO,
        .view = FC_VIEW_AUTO,
        .smooth = 1,
        .smooth_min_cutoff_hz = 2.5,
        .smooth_beta = 300.0,
        .cues = fc_cue_default_params(),
    };
    return p;
}

static int is_interrupted(const struct fc_live *lv)
{
    return lv->p.interrupt && atomic_load(lv->p.interrupt);
}

static int open_source(struct fc_live *lv, struct fc_error *err)
{
    return fc_decoder_open(&lv->dec, lv->p.source, &lv->dp, err);
}

/* Folds the closing source's counters into the session's and closes it. */
static void close_source(struct fc_live *lv)
{
    if (!lv->dec)
        return;
    fc_frame_release(&lv->frame);
    struct fc_decoder_stats ds;
    fc_decoder_get_stats(lv->dec, &ds);
    lv->dropped_before += ds.frames_dropped;
    lv->captured_before += ds.frames_decoded;
    fc_decoder_close(lv->dec);
    lv->dec = NULL;
}

int fc_live_open(struct fc_live **out, const struct fc_live_params *p, struct fc_error *err)
{
    *out = NULL;
    if (!p || !p->source || !*p->source)
        return fc_error_set(err, FC_ERR_ARG, "live: no source given");
    if (!p->thresholds)
        return fc_error_set(err, FC_ERR_ARG, "%s: live: no threshold table given", p->source);
    struct fc_live *lv = calloc(1, sizeof *lv);
    if (!lv)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", p->source);
    int rc;
    lv->p = *p;
    lv->t_open = fc_monotonic_s();
    lv->pending_capture = NAN;
    lv->last_t = -INFINITY;
    fc_pose_track_init(&lv->track, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    struct stat sb;
    lv->source_is_file = !p->input_format && stat(p->source, &sb) == 0 && S_ISREG(sb.st_mode);

    /* The model first: a source that starts sending at once is not kept
     * waiting while the model loads. */
    struct fc_movenet_params mp = fc_movenet_default_params();
    mp.model = p->model;
    mp.threads = p->threads;
    mp.backend = p->backend;
    mp.fallback = p->fallback;
    mp.tracking = 1;
    if ((rc = fc_movenet_open(&lv->net, &mp, err)) < 0)
        goto fail;
    lv->size = fc_movenet_input_size(lv->net);
    lv->rgb = malloc((size_t)lv->size * (size_t)lv->size * 3);
    lv->scaler = fc_scaler_new();
    lv->lat_hist = calloc(LAT_BINS, sizeof *lv->lat_hist);
    if (!lv->rgb || !lv->scaler || !lv->lat_hist) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", p->source);
        goto fail;
    }
    struct fc_analyzer_params ap = fc_analyzer_default_params();
    ap.exercise = p->exercise;
    ap.view = p->view;
    if ((rc = fc_analyzer_create(&lv->an, &ap, err)) < 0)
        goto fail;
    if ((rc = fc_cues_init(&lv->cues, p->thresholds, &p->cues, err)) < 0)
        goto fail;
    for (int j = 0; j < FC_JOINT_COUNT; j++) {
        fc_one_euro_init(&lv->fx[j], p->smooth_min_cutoff_hz, p->smooth_beta, 2.5);
        fc_one_euro_init(&lv->fy[j], p->smooth_min_cutoff_hz, p->smooth_beta, 2.5);
    }

    /* Never behind: one frame waits at most, the newest; decoding on one
     * thread, as frame threading would hold frames back. */
    lv->dp = fc_decoder_default_params();
    lv->dp.queue_frames = 1;
    lv->dp.drop_when_full = 1;
    lv->dp.max_held_frames = 2;
    lv->dp.threads = 1;
    lv->dp.allow_truncated = 1;
    lv->dp.input_format = p->input_format;
    lv->dp.input_options = p->input_options;
    lv->dp.realtime = p->realtime;
    lv->dp.read_timeout_s = p->read_timeout_s;
    lv->dp.interrupt = p->interrupt;
    if ((rc = open_source(lv, err)) < 0)
        goto fail;
    lv->info = *fc_decoder_info(lv->dec);

    /* Room for ten minutes up front; more grows geometrically. */
    double fps = lv->info.fps > 1 && lv->info.fps < 1000 ? lv->info.fps : 30;
    lv->frames_cap = (size_t)(fps * 600);
    lv->frames = malloc(lv->frames_cap * sizeof *lv->frames);
    if (!lv->frames || fc_pose_track_reserve(&lv->track, lv->frames_cap, err) < 0) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", p->source);
        goto fail;
    }
    lv->track.width = lv->info.width;
    lv->track.height = lv->info.height;
    lv->track.rate_hz = lv->info.fps;
    lv->track.time_from_source = 1;
    *out = lv;
    return 0;

fail:
    fc_live_close(lv);
    return rc;
}

const struct fc_video_info *fc_live_video_info(const struct fc_live *lv)
{
    return &lv->info;
}

const char *fc_live_model_name(const struct fc_live *lv)
{
    return fc_movenet_model_name(lv->net);
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    nanosleep(&ts, NULL);
}

/* The source ended or failed: decides whether the session goes on with
 * the source opened again (0) or ends (1). */
static int source_ended(struct fc_live *lv, int rc, const struct fc_error *e)
{
    const char *warning = fc_decoder_warning(lv->dec);
    char why[FC_ERROR_MSG_MAX];
    enum fc_live_end end;
    if (is_interrupted(lv)) {
        end = FC_LIVE_END_INTERRUPTED;
        snprintf(why, sizeof why, "interrupted");
    } else if (rc < 0 || (warning && !lv->source_is_file)) {
        end = FC_LIVE_END_LOST;
        snprintf(why, sizeof why, "source lost: %.400s", rc < 0 ? e->msg : warning);
    } else {
        end = FC_LIVE_END_SOURCE;
        snprintf(why, sizeof why, "%.400s: the source ended", lv->p.source);
    }
    close_source(lv);
    if (end == FC_LIVE_END_INTERRUPTED || !lv->p.reconnect || lv->source_is_file) {
        lv->st.end = end;
        snprintf(lv->st.end_message, sizeof lv->st.end_message, "%s", why);
        return 1;
    }
    for (;;) {
        for (double w = 0; w < lv->p.reconnect_wait_s && !is_interrupted(lv); w += 0.05)
            sleep_s(0.05);
        if (is_interrupted(lv)) {
            lv->st.end = FC_LIVE_END_INTERRUPTED;
            snprintf(lv->st.end_message, sizeof lv->st.end_message, "interrupted (%.400s)", why);
            return 1;
        }
        struct fc_error oe = {0};
        if (open_source(lv, &oe) == 0) {
            lv->st.reconnects++;
            lv->pending_reconnect = 1;
            return 0;
        }
    }
}

static void smooth(struct fc_live *lv, struct fc_keypoints *k, int height)
{
    double scale = height > 0 ? height : 1;
    for (int j = 0; j < FC_JOINT_COUNT; j++) {
        if (isnan(k->x[j]) || isnan(k->y[j])) {
            fc_one_euro_reset(&lv->fx[j]); /* a gap restarts it */
            fc_one_euro_reset(&lv->fy[j]);
            continue;
        }
        k->x[j] = (float)(fc_one_euro_step(&lv->fx[j], k->t_s, k->x[j] / scale) * scale);
        k->y[j] = (float)(fc_one_euro_step(&lv->fy[j], k->t_s, k->y[j] / scale) * scale);
    }
}

static int grow(struct fc_live *lv, struct fc_error *err)
{
    if (lv->track.n_frames < lv->frames_cap)
        return 0;
    size_t cap = lv->frames_cap * 2;
    struct fc_frame_metrics *f = realloc(lv->frames, cap * sizeof *f);
    if (!f)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory after %zu frames", lv->p.source,
                            lv->track.n_frames);
    lv->frames = f;
    lv->frames_cap = cap;
    return 0;
}

/* Session time: the source's own, continued across reconnections, and
 * always moving forward. */
static double session_time(struct fc_live *lv, const struct fc_frame *fr)
{
    double t = fr->t_s + lv->t_offset;
    if (lv->pending_reconnect && isfinite(lv->last_t)) {
        lv->t_offset = lv->last_t + fmax(fr->capture_s - lv->last_capture, 0.001) - fr->t_s;
        t = fr->t_s + lv->t_offset;
    }
    if (!(t > lv->last_t) && isfinite(lv->last_t))
        t = lv->last_t + 1.0 / (lv->info.fps > 0 ? lv->info.fps : 30);
    return t;
}

/* A rep ended with this frame: grades the session so far (a failed grading
 * leaves the rep ungraded, not the session stopped) and fills out's rep. */
static void rep_ended(struct fc_live *lv, struct fc_live_frame *out)
{
    size_t idx = lv->so_far.n_reps - 1;
    lv->reps_seen = lv->so_far.n_reps;
    if (lv->have_grade)
        fc_grade_free(&lv->grade_so_far);
    lv->have_grade = 0;
    struct fc_error ge = {0};
    if (fc_grade_session(&lv->so_far, lv->p.thresholds, &lv->grade_so_far, &ge) == 0) {
        lv->have_grade = 1;
        if (idx < lv->grade_so_far.n_reps)
            out->rep_score = lv->grade_so_far.reps[idx].score;
    }
    out->rep_done = 1;
    out->rep = idx < lv->so_far.n_reps_detailed ? &lv->so_far.reps[idx] : NULL;
    out->grade_so_far = lv->have_grade ? &lv->grade_so_far : NULL;
}

int fc_live_next(struct fc_live *lv, struct fc_live_frame *out, struct fc_error *err)
{
    memset(out, 0, sizeof *out);
    if (lv->finished || lv->st.end != FC_LIVE_END_NONE)
        return 1;
    fc_frame_release(&lv->frame);
    struct fc_frame *fr = &lv->frame;
    for (;;) {
        struct fc_error e = {0};
        int rc = lv->dec ? fc_decoder_next(lv->dec, fr, &e) : 1;
        if (rc == 0 && is_interrupted(lv)) {
            fc_frame_release(fr);
            rc = 1;
        }
        if (rc == 0)
            break;
        if (source_ended(lv, rc, &e))
            return 1;
    }

    double t = session_time(lv, fr);

    double t0 = fc_monotonic_s();
    struct fc_movenet_region r;
    fc_movenet_next_region(lv->net, fr->width, fr->height, &r);
    int rc = fc_frame_to_rgb(fr, r.x, r.y, r.w, r.h, lv->size, lv->size, lv->rgb, lv->size * 3,
                             lv->scaler, err);
    if (rc < 0)
        return rc;
    lv->convert_ms_sum += (fc_monotonic_s() - t0) * 1e3;
    if ((rc = fc_movenet_run(lv->net, lv->rgb, lv->size * 3, &r, fr->width, fr->height, t, &lv->kp,
                             err)) < 0)
        return rc;
    lv->pose_ms_sum += (fc_monotonic_s() - t0) * 1e3;
    if (lv->p.smooth)
        smooth(lv, &lv->kp, fr->height);

    if ((rc = grow(lv, err)) < 0)
        return rc;
    struct fc_keypoints *k = fc_pose_track_push(&lv->track, err);
    if (!k)
        return FC_ERR_NOMEM;
    *k = lv->kp;
    struct fc_frame_metrics *m = &lv->frames[lv->track.n_frames - 1];
    fc_analyzer_push(lv->an, k, m);
    fc_analyzer_snapshot(lv->an, &lv->so_far);

    out->rep_score = NAN;
    if (lv->so_far.n_reps > lv->reps_seen)
        rep_ended(lv, out);
    out->n_cue_events = fc_cues_update(&lv->cues, &lv->so_far, m, lv->ev);
    out->cue_events = lv->ev;
    out->cues = &lv->cues;

    struct fc_decoder_stats ds;
    fc_decoder_get_stats(lv->dec, &ds);
    lv->st.frames++;
    lv->st.dropped = lv->dropped_before + ds.frames_dropped;
    lv->st.captured = lv->captured_before + ds.frames_decoded;
    out->frame = fr;
    out->keypoints = k;
    out->metrics = m;
    out->so_far = &lv->so_far;
    out->index = lv->st.frames - 1;
    out->t_s = t;
    out->capture_s = fr->capture_s;
    out->dropped = lv->st.dropped;
    out->reconnected = lv->pending_reconnect;
    lv->pending_reconnect = 0;
    lv->last_t = t;
    lv->last_capture = fr->capture_s;
    lv->pending_capture = fr->capture_s;
    return 0;
}

void fc_live_emitted(struct fc_live *lv)
{
    if (isnan(lv->pending_capture))
        return;
    double ms = (fc_monotonic_s() - lv->pending_capture) * 1e3;
    lv->pending_capture = NAN;
    if (!(ms >= 0))
        ms = 0;
    long bin = (long)(ms / LAT_BIN_MS);
    lv->lat_hist[bin < LAT_BINS ? bin : LAT_BINS - 1]++;
    lv->lat_sum += ms;
    if (ms > lv->lat_max)
        lv->lat_max = ms;
    lv->st.latency_n++;
}

static double percentile(const struct fc_live *lv, double q)
{
    long n = lv->st.latency_n;
    if (n == 0)
        return NAN;
    long want = (long)ceil(q * (double)n), seen = 0;
    if (want < 1)
        want = 1;
    for (long b = 0; b < LAT_BINS; b++) {
        seen += lv->lat_hist[b];
        if (seen >= want)
            return fmin((b + 0.5) * LAT_BIN_MS, lv->lat_max);
    }
    return lv->lat_max;
}

void fc_live_get_stats(const struct fc_live *lv, struct fc_live_stats *st)
{
    *st = lv->st;
    if (lv->dec) {
        struct fc_decoder_stats ds;
        fc_decoder_get_stats(lv->dec, &ds);
        st->dropped = lv->dropped_before + ds.frames_dropped;
        st->captured = lv->captured_before + ds.frames_decoded;
    }
    st->latency_p50_ms = percentile(lv, 0.50);
    st->latency_p95_ms = percentile(lv, 0.95);
    st->latency_max_ms = st->latency_n ? lv->lat_max : NAN;
    st->latency_mean_ms = st->latency_n ? lv->lat_sum / (double)st->latency_n : NAN;
    st->pose_ms_mean = st->frames ? lv->pose_ms_sum / (double)st->frames : NAN;
    st->convert_ms_mean = st->frames ? lv->convert_ms_sum / (double)st->frames : NAN;
    st->wall_s = fc_monotonic_s() - lv->t_open;
}

int fc_live_finish(struct fc_live *lv, struct fc_live_result *res, struct fc_error *err)
{
    memset(res, 0, sizeof *res);
    if (!lv->finished) {
        if (lv->st.end == FC_LIVE_END_NONE) {
            lv->st.end = is_interrupted(lv) ? FC_LIVE_END_INTERRUPTED : FC_LIVE_END_SOURCE;
            snprintf(lv->st.end_message, sizeof lv->st.end_message, "%s",
                     lv->st.end == FC_LIVE_END_INTERRUPTED ? "interrupted" : "stopped");
        }
        fc_live_get_stats(lv, &lv->st);
        close_source(lv);
        lv->st.dropped = lv->dropped_before;
        lv->st.captured = lv->captured_before;
        lv->finished = 1;
        double t_end = isfinite(lv->last_t) ? lv->last_t : 0;
        res->n_cue_events = fc_cues_clear(&lv->cues, t_end, lv->ev);
        if (lv->track.n_frames == 0)
            return fc_error_set(err, FC_ERR_EMPTY, "%s: no frame was analysed (%s)", lv->p.source,
                                lv->st.end_message);
        fc_analyzer_finish(lv->an, &lv->final);
        if (fc_grade_session(&lv->final, lv->p.thresholds, &lv->final_grade, err) < 0)
            return err->code;
        lv->have_final_grade = 1;
    }
    if (lv->track.n_frames == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no frame was analysed (%s)", lv->p.source,
                            lv->st.end_message);
    res->stats = lv->st;
    res->track = &lv->track;
    res->frames = lv->frames;
    res->analysis = &lv->final;
    res->grade = &lv->final_grade;
    res->cue_events = lv->ev;
    res->cues = &lv->cues;
    return 0;
}

void fc_live_close(struct fc_live *lv)
{
    if (!lv)
        return;
    close_source(lv);
    fc_scaler_free(lv->scaler);
    free(lv->rgb);
    free(lv->lat_hist);
    fc_movenet_close(lv->net);
    fc_analyzer_free(lv->an);
    fc_cues_free(&lv->cues);
    if (lv->have_grade)
        fc_grade_free(&lv->grade_so_far);
    if (lv->have_final_grade)
        fc_grade_free(&lv->final_grade);
    fc_pose_track_free(&lv->track);
    free(lv->frames);
    free(lv);
}
