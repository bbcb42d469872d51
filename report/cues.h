/* formcheck report: live cues that do not flicker.
 *
 * During a rep, each frame's metrics are compared with the grading
 * thresholds that apply to the exercise and the view (report/grade.h: the
 * rep-peak ones). As for a finding, a level counts as passed only when the
 * value is past it by more than its uncertainty: fc_grade_uncertainty with
 * the threshold's sem (one frame has no jitter estimate of its own), so a
 * cue never says more than the report will. A value the report calls not
 * measurable in that frame (fc_annotate_value) counts as a gap. Around the
 * watch level lies a band release x |fault -
 * watch| wide on the good side. A cue comes on when its metric passed the
 * watch level on_s ago and has not left the band since; it stays on for at
 * least min_show_s, and goes off only when the metric has come back out of
 * the band (hysteresis) or the rep is over. While
 * on, its severity is the worst reached (watch or fault). Its text is the
 * annotated video's ("LEFT KNEE CAVING IN", report/annotate.h).
 *
 *     struct fc_cues cues;
 *     fc_cues_init(&cues, &thresholds, NULL, &err);   // default timing
 *     for (each frame) {
 *         struct fc_cue_event ev[FC_CUES_MAX_EVENTS];
 *         int n = fc_cues_update(&cues, &analysis_so_far, &metrics, ev);
 *         ... ev[i].on, cues.cue[ev[i].cue].text ...
 *     }
 *     fc_cues_free(&cues);
 *
 * Allocates only in fc_cues_init. */
#ifndef FC_REPORT_CUES_H
#define FC_REPORT_CUES_H

#include "analysis/analyzer.h"
#include "core/error.h"
#include "report/grade.h"

struct fc_cue_params {
    double on_s;       /* the level must be passed this long before the cue shows (0.1 s) */
    double min_show_s; /* a cue, once shown, stays at least this long (1.5 s) */
    double release;    /* back inside watch by this fraction of |fault - watch| to go off (0.25) */
};

struct fc_cue_params fc_cue_default_params(void);

struct fc_cue {
    const struct fc_threshold *threshold;
    int on;
    enum fc_severity severity; /* while on: the worst reached */
    int side;                  /* enum fc_side, -1 none: as grading names a finding's side
                                  (fc_metric_side_of, analysis/metrics.h), the frame's stance
                                  standing for the rep's loaded leg */
    double t_on_s;             /* when it came on */
    double worst;              /* the value furthest past the level while on */
    char text[64];             /* "LEFT KNEE CAVING IN" */
    double past_since_s;       /* private: the level has been passed since (NaN: not) */
};

/* At most this many cues change in one frame: each threshold once. */
#define FC_CUES_MAX_EVENTS 64

struct fc_cue_event {
    int cue; /* index into fc_cues.cue */
    int on;  /* 1 came on, 0 went off */
};

struct fc_cues {
    struct fc_cue_params p;
    size_t n; /* one per threshold of the table, in its order (at most FC_CUES_MAX_EVENTS) */
    struct fc_cue *cue;
};

/* One cue slot per threshold in th (which must outlive the cues). p NULL:
 * the defaults. */
int fc_cues_init(struct fc_cues *c, const struct fc_thresholds *th, const struct fc_cue_params *p,
                 struct fc_error *err);
/* Advances to frame m; so_far says the exercise and what the view can
 * measure (fc_analyzer_snapshot). Writes the cues that changed to ev (room
 * for FC_CUES_MAX_EVENTS) and returns how many. */
int fc_cues_update(struct fc_cues *c, const struct fc_analysis *so_far,
                   const struct fc_frame_metrics *m, struct fc_cue_event *ev);
/* Turns every cue off (the session ends); returns the events like update. */
int fc_cues_clear(struct fc_cues *c, double t_s, struct fc_cue_event *ev);
/* The number of cues on now. */
int fc_cues_active(const struct fc_cues *c);
void fc_cues_free(struct fc_cues *c);

#endif
