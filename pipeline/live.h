/* formcheck pipeline: a live session, from a camera or stream to feedback.
 *
 * Orchestration (pipeline/): wires capture/ (the decoder), pose/ (MoveNet),
 * analysis/ (the streaming analyzer, the One Euro filter of
 * analysis/filter.h) and report/ (cues, grades) for one session; each of
 * those stages knows only plain structs. The names keep their fc_live_
 * prefix: cli/live.c, the benchmarks and the tests use them.
 *
 * Capture (capture/decoder.h) runs in its own thread and keeps only the
 * newest frame; each fc_live_next takes it, runs MoveNet on it (with crop
 * tracking), smooths the keypoints with the One Euro filter, feeds the
 * streaming analyzer and updates the cues, so the reader is never behind by
 * more than the frame it is working on: frames that arrive meanwhile
 * replace each other and are counted as dropped. The caller emits the
 * feedback (a window, a status line, JSON events) and then calls
 * fc_live_emitted: the frame's latency runs from the moment capture queued
 * it to that call.
 *
 *     struct fc_live_params p = fc_live_default_params();
 *     p.source = "udp://127.0.0.1:5000";
 *     p.thresholds = &th;
 *     struct fc_live *lv;
 *     if (fc_live_open(&lv, &p, &err) < 0) ...;      // names the source
 *     struct fc_live_frame f;
 *     while (fc_live_next(lv, &f, &err) == 0) {
 *         ... f.keypoints, f.metrics, f.cue_events, f.rep_done ...
 *         fc_live_emitted(lv);
 *     }
 *     struct fc_live_result res;
 *     fc_live_finish(lv, &res, &err);   // analysis, grade, per-frame data
 *     ... res.stats.latency_p95_ms, res.stats.end ...
 *     fc_live_close(lv);
 *
 * How a session ends (fc_live_next returns 1; fc_live_stats.end says why):
 * the source's own end (a file, a stream closed by its sender), the
 * interrupt (Ctrl-C, a window closed), or the source lost: no data for
 * read_timeout_s (unplugged, network silent) or a read error. A lost
 * source is opened again when params.reconnect is set, every
 * reconnect_wait_s, until it answers or the interrupt comes; session time
 * runs on across the gap. An error is returned only when the first open
 * fails or memory runs out; what was measured before a loss is kept.
 *
 * Memory: everything per frame is allocated at open, except the stored
 * track and metrics for the final reports, which grow geometrically (a
 * handful of reallocations an hour), and the grading of each rep as it
 * ends. */
#ifndef FC_PIPELINE_LIVE_H
#define FC_PIPELINE_LIVE_H

#include <stdatomic.h>
#include <stdint.h>

#include "analysis/analyzer.h"
#include "capture/decoder.h"
#include "core/error.h"
#include "pose/movenet.h"
#include "report/cues.h"
#include "report/grade.h"

struct fc_live_params {
    const char *source;          /* a path, an FFmpeg URL or a device */
    const char *input_format;    /* "v4l2" for a webcam; NULL: from the source (NULL) */
    const char *input_options;   /* "video_size=640x480:framerate=30" (NULL) */
    int realtime;                /* a file at its real pace, standing in for a camera (0) */
    double read_timeout_s;       /* a source silent this long is lost (5) */
    int reconnect;               /* open a lost source again (0) */
    double reconnect_wait_s;     /* between attempts (1) */
    const atomic_int *interrupt; /* non-zero ends the session (NULL) */
    enum fc_movenet_model model; /* Lightning */
    int threads;                 /* inference threads, 0: the runtime's default (0) */
    enum fc_dnn_backend backend; /* the pose model's runtime (XNNPACK) */
    int fallback;                /* OpenCV when XNNPACK cannot run (1): pose/movenet.h */
    enum fc_exercise exercise;   /* AUTO */
    enum fc_view view;           /* AUTO */
    int smooth;                  /* One Euro filter on the keypoints (1) */
    double smooth_min_cutoff_hz; /* 2.5, as TF.js MoveNet's keypoint filter */
    double smooth_beta;          /* 300 per (frame height)/s, likewise */
    const struct fc_thresholds *thresholds; /* for cues and grades; must outlive the session */
    struct fc_cue_params cues;
};

struct fc_live_params fc_live_default_params(void);

enum fc_live_end {
    FC_LIVE_END_NONE,        /* still running */
    FC_LIVE_END_SOURCE,      /* the source ended by itself */
    FC_LIVE_END_INTERRUPTED, /* the interrupt */
    FC_LIVE_END_LOST,        /* the source was lost and not (or no longer) reconnected */
};

struct fc_live_stats {
    long frames;      /* frames analysed */
    int64_t captured; /* frames capture delivered, all sources together */
    int64_t dropped;  /* frames replaced by newer ones before analysis */
    int reconnects;   /* times a lost source was opened again */
    long latency_n;   /* frames with a latency */
    double latency_p50_ms, latency_p95_ms, latency_max_ms, latency_mean_ms;
    double pose_ms_mean;    /* conversion + model per frame */
    double convert_ms_mean; /* of it, the frame region to the model's RGB input */
    double wall_s;          /* from open to the end */
    enum fc_live_end end;
    char end_message[FC_ERROR_MSG_MAX]; /* why it ended, for people */
};

/* One analysed frame; valid until the next fc_live_next. */
struct fc_live_frame {
    const struct fc_frame *frame;         /* the picture, for a live view */
    const struct fc_keypoints *keypoints; /* smoothed, frame pixels, session time */
    const struct fc_frame_metrics *metrics;
    const struct fc_analysis *so_far; /* fc_analyzer_snapshot after this frame */
    long index;                       /* 0, 1, ... frames analysed */
    double t_s;                       /* session time */
    double capture_s;                 /* fc_monotonic_s() when captured */
    int64_t dropped;                  /* dropped so far */
    const struct fc_cues *cues;
    int n_cue_events;
    const struct fc_cue_event *cue_events;
    /* A rep ended with this frame: the rep, its grade (NaN not graded) and
     * the grading of the session so far, whose findings with .rep ==
     * rep->index are this rep's. */
    int rep_done;
    const struct fc_rep *rep;
    double rep_score;
    const struct fc_grade *grade_so_far;
    int reconnected; /* the source was lost and opened again before this frame */
};

struct fc_live;

int fc_live_open(struct fc_live **out, const struct fc_live_params *p, struct fc_error *err);
/* The source as first opened. */
const struct fc_video_info *fc_live_video_info(const struct fc_live *lv);
const char *fc_live_model_name(const struct fc_live *lv);
/* 0 a frame, 1 the session is over (see stats.end), < 0 an error. */
int fc_live_next(struct fc_live *lv, struct fc_live_frame *out, struct fc_error *err);
/* The feedback for the frame last returned is out: records its latency. */
void fc_live_emitted(struct fc_live *lv);
/* Stats so far (also while running). */
void fc_live_get_stats(const struct fc_live *lv, struct fc_live_stats *st);

struct fc_live_result {
    struct fc_live_stats stats;
    const struct fc_pose_track *track;     /* the smoothed keypoints analysed */
    const struct fc_frame_metrics *frames; /* track->n_frames of them */
    const struct fc_analysis *analysis;
    const struct fc_grade *grade;
    /* The cue events still open at the end, turned off (like cue_events). */
    int n_cue_events;
    const struct fc_cue_event *cue_events;
    const struct fc_cues *cues;
};

/* Ends the session: closes the source, finishes the analysis (the rep in
 * progress counts as offline) and grades it. Pointers stay valid until
 * fc_live_close. FC_ERR_EMPTY when no frame was analysed. */
int fc_live_finish(struct fc_live *lv, struct fc_live_result *res, struct fc_error *err);
void fc_live_close(struct fc_live *lv);

#endif
