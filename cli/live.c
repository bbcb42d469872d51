/* formcheck live: feedback while the person moves.
 *
 * A camera, a stream or a file played at its real pace goes through
 * pipeline/live.h (capture in its own thread keeping only the newest frame,
 * MoveNet Lightning, the streaming analyzer, cues with hysteresis); this
 * file turns each analysed frame into feedback: an OpenCV window with the
 * skeleton and cues when a display exists, else a status line on a
 * terminal, and with --jsonl one JSON object per frame or event on stdout.
 * At the end (Ctrl-C, q in the window, the source's end or loss) it prints
 * the session summary and writes the same reports as analyze. */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/outputs.h"
#include "core/exercise.h"
#include "pipeline/live.h"
#include "pipeline/window.h"
#include "report/annotate.h"
#include "report/grade.h"
#include "report/json.h"
#include "report/report.h"

static const char live_usage[] =
    "usage: formcheck live [options] --camera DEVICE | --input URL\n"
    "\n"
    "Feedback while the person moves: skeleton, cues, rep counter and a grade\n"
    "per rep as it ends. Ends with Ctrl-C, q or Esc in the window, or when the\n"
    "source ends; then prints the session summary and writes the reports.\n"
    "\n"
    "source (one of):\n"
    "  --camera DEVICE      a V4L2 webcam, e.g. /dev/video0\n"
    "  --size WxH           camera picture size, e.g. 640x480\n"
    "  --fps N              camera frame rate, e.g. 30\n"
    "  --input URL          any input FFmpeg reads: udp://127.0.0.1:5000, rtsp://...,\n"
    "                       a FIFO, or a file (with --realtime: at its real pace)\n"
    "  --realtime           play a file at its real pace, as a stand-in camera\n"
    "  --timeout S          a source silent this long is lost (default 5)\n"
    "  --reconnect          open a lost source again, every second, until Ctrl-C\n"
    "\n"
    "analysis:\n"
    "  --exercise NAME      as for analyze (default auto)\n"
    "  --view VIEW          front, side or auto (default)\n"
    "  --model NAME         lightning (default: keeps up with a camera) or "
    "thunder\n" FC_CLI_RUNTIME_HELP
    "  --thresholds FILE    grade against this table instead of the built-in one\n"
    "  --duration S         end the session after S seconds\n"
    "\n"
    "feedback and outputs:\n"
    "  --jsonl              JSON events on stdout, one per line: start, frame,\n"
    "                       cue_on, cue_off, rep, reconnected, summary (the text\n"
    "                       summary then goes to stderr)\n"
    "  --window, --no-window  show (or not) the OpenCV window; default: when\n"
    "                       $DISPLAY or $WAYLAND_DISPLAY is set\n"
    "  --csv FILE, --json FILE, --html FILE, --out DIR\n"
    "                       the session's reports, as analyze writes them (--out:\n"
    "                       live-YYYYMMDD-HHMMSS.*, or the file's name)\n"
    "  -q, --quiet          no status line\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 the session ended (Ctrl-C, the window closed, --duration, the\n"
    "end of the source) and its reports were written; 1 the source could not be\n"
    "opened or gave no frame; 2 bad command line; 3 a report could not be\n"
    "written; 4 the source was lost mid-session (stopped sending, unplugged, a\n"
    "read error) and was not reconnected: the summary and reports of what was\n"
    "measured until then are written.\n";

struct live_opts {
    const char *camera, *size, *input, *thresholds;
    double fps, timeout_s, duration_s;
    int realtime, reconnect, jsonl, window, quiet;
    enum fc_exercise exercise;
    enum fc_view view;
    enum fc_movenet_model model;
    struct fc_cli_runtime runtime;
    struct fc_cli_outputs outs;
};

/* --size WxH: the camera's picture size. 0, or -1 after saying what is wrong. */
static int check_size(const char *arg)
{
    int w, h;
    char tail;
    if (sscanf(arg, "%dx%d%c", &w, &h, &tail) != 2 || w < 16 || h < 16 || w > 8192 || h > 8192) {
        fprintf(stderr, "formcheck live: --size needs WxH, e.g. 640x480, got '%s'\n", arg);
        return -1;
    }
    return 0;
}

/* One source, and only the options that fit it. */
static int check_source(const struct live_opts *o)
{
    if (!o->camera == !o->input) {
        fprintf(stderr, "formcheck live: give one source: --camera DEVICE or --input URL\n%s",
                live_usage);
        return -1;
    }
    if ((o->size || o->fps > 0) && !o->camera) {
        fprintf(stderr, "formcheck live: --size and --fps are for --camera\n");
        return -1;
    }
    if (o->realtime && !o->input) {
        fprintf(stderr, "formcheck live: --realtime is for --input (a file as a camera)\n");
        return -1;
    }
    return 0;
}

/* 0 to go on, 1 after --help, -1 on a usage error (message printed). */
static int parse(int argc, char **argv, struct live_opts *o)
{
    enum {
        OPT_CAMERA = 256,
        OPT_SIZE,
        OPT_FPS,
        OPT_INPUT,
        OPT_REALTIME,
        OPT_TIMEOUT,
        OPT_RECONNECT,
        OPT_EXERCISE,
        OPT_VIEW,
        OPT_MODEL,
        OPT_BACKEND,
        OPT_THREADS,
        OPT_THRESHOLDS,
        OPT_DURATION,
        OPT_JSONL,
        OPT_WINDOW,
        OPT_NO_WINDOW,
        OPT_CSV,
        OPT_JSON,
        OPT_HTML,
        OPT_OUT,
    };
    static const struct option longopts[] = {
        {"camera", required_argument, NULL, OPT_CAMERA},
        {"size", required_argument, NULL, OPT_SIZE},
        {"fps", required_argument, NULL, OPT_FPS},
        {"input", required_argument, NULL, OPT_INPUT},
        {"realtime", no_argument, NULL, OPT_REALTIME},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"reconnect", no_argument, NULL, OPT_RECONNECT},
        {"exercise", required_argument, NULL, OPT_EXERCISE},
        {"view", required_argument, NULL, OPT_VIEW},
        {"model", required_argument, NULL, OPT_MODEL},
        {"backend", required_argument, NULL, OPT_BACKEND},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"thresholds", required_argument, NULL, OPT_THRESHOLDS},
        {"duration", required_argument, NULL, OPT_DURATION},
        {"jsonl", no_argument, NULL, OPT_JSONL},
        {"window", no_argument, NULL, OPT_WINDOW},
        {"no-window", no_argument, NULL, OPT_NO_WINDOW},
        {"csv", required_argument, NULL, OPT_CSV},
        {"json", required_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"out", required_argument, NULL, OPT_OUT},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->timeout_s = 5.0;
    o->window = -1;
    o->model = FC_MOVENET_LIGHTNING;
    fc_cli_runtime_init(&o->runtime);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CAMERA: o->camera = optarg; break;
        case OPT_SIZE:
            if (check_size(optarg) < 0)
                return -1;
            o->size = optarg;
            break;
        case OPT_FPS:
            if (fc_cli_number("live", "--fps", optarg, 0, 1000, &o->fps) < 0)
                return -1;
            break;
        case OPT_INPUT: o->input = optarg; break;
        case OPT_REALTIME: o->realtime = 1; break;
        case OPT_TIMEOUT:
            if (fc_cli_number("live", "--timeout", optarg, 0, 86400, &o->timeout_s) < 0)
                return -1;
            break;
        case OPT_RECONNECT: o->reconnect = 1; break;
        case OPT_EXERCISE:
            if (fc_cli_exercise("live", optarg, &o->exercise) < 0)
                return -1;
            break;
        case OPT_VIEW:
            if (fc_cli_view("live", optarg, &o->view) < 0)
                return -1;
            break;
        case OPT_MODEL:
            if (fc_cli_model("live", optarg, &o->model) < 0)
                return -1;
            break;
        case OPT_BACKEND:
            if (fc_cli_backend("live", optarg, &o->runtime) < 0)
                return -1;
            break;
        case OPT_THREADS:
            if (fc_cli_threads("live", optarg, &o->runtime) < 0)
                return -1;
            break;
        case OPT_THRESHOLDS: o->thresholds = optarg; break;
        case OPT_DURATION:
            if (fc_cli_number("live", "--duration", optarg, 0, 1e9, &o->duration_s) < 0)
                return -1;
            break;
        case OPT_JSONL: o->jsonl = 1; break;
        case OPT_WINDOW: o->window = 1; break;
        case OPT_NO_WINDOW: o->window = 0; break;
        case OPT_CSV: o->outs.csv = optarg; break;
        case OPT_JSON: o->outs.json = optarg; break;
        case OPT_HTML: o->outs.html = optarg; break;
        case OPT_OUT: o->outs.out_dir = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': fputs(live_usage, stdout); return 1;
        default:
            fprintf(stderr, "formcheck live: unknown or incomplete option '%s'\n%s",
                    argv[optind - 1], live_usage);
            return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr,
                "formcheck live: unexpected argument '%s' (the source is given with "
                "--camera or --input)\n",
                argv[optind]);
        return -1;
    }
    return check_source(o);
}

/* Ctrl-C ends the session cleanly; a second one ends the process at once. */
static atomic_int stop_flag;
static atomic_int duration_up; /* the --duration timer ended the session */

static void on_signal(int sig)
{
    if (sig == SIGALRM)
        atomic_store(&duration_up, 1);
    atomic_store(&stop_flag, 1);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = (int)SA_RESETHAND; /* no SA_RESTART: blocking reads return */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL); /* --duration */
    signal(SIGPIPE, SIG_IGN);      /* a reader of --jsonl that goes away ends the session */
}

/* JSON lines --------------------------------------------------------------
 * One event a line (docs/schema/live-event.schema.json), encoded by
 * report/json.h as the report's findings and reps are. */

/* Prints ev on one line and frees it. */
static void emit(FILE *f, cJSON *ev)
{
    char *line = ev ? cJSON_PrintUnformatted(ev) : NULL;
    if (line) {
        fputs(line, f);
        fputc('\n', f);
    } else {
        fprintf(stderr, "formcheck live: out of memory for a JSON event; it is left out\n");
    }
    cJSON_free(line);
    cJSON_Delete(ev);
}

/* Live numbers at the precision the measurement has: time and metric
 * values as report/json.h has them, and 0.01 ms of latency, a tenth of a
 * pixel, 0.001 of a keypoint score. */
#define MS_DECIMALS 2
#define PIXEL_DECIMALS 1
#define SCORE_DECIMALS 3

static void add_rounded(cJSON *o, const char *key, double v, int decimals)
{
    fc_json_add_number(o, key, fc_json_round(v, decimals));
}

static const char *end_name(enum fc_live_end e)
{
    switch (e) {
    case FC_LIVE_END_SOURCE: return "source_ended";
    case FC_LIVE_END_INTERRUPTED: return atomic_load(&duration_up) ? "duration" : "interrupted";
    case FC_LIVE_END_LOST: return "source_lost";
    case FC_LIVE_END_NONE: break;
    }
    return "running";
}

static void json_start(FILE *f, const char *source, const struct fc_video_info *vi,
                       const char *model, int realtime)
{
    cJSON *ev = fc_json_event("start");
    cJSON_AddStringToObject(ev, "formcheck_version", FC_VERSION);
    cJSON_AddStringToObject(ev, "source", source);
    cJSON_AddNumberToObject(ev, "width", vi->width);
    cJSON_AddNumberToObject(ev, "height", vi->height);
    add_rounded(ev, "fps", vi->fps, FC_JSON_TIME_DECIMALS);
    cJSON_AddStringToObject(ev, "codec", vi->codec);
    cJSON_AddStringToObject(ev, "model", model);
    cJSON_AddBoolToObject(ev, "realtime", realtime);
    emit(f, ev);
}

static void json_reconnected(FILE *f, double t_s)
{
    cJSON *ev = fc_json_event("reconnected");
    add_rounded(ev, "t_s", t_s, FC_JSON_TIME_DECIMALS);
    emit(f, ev);
}

static void json_cue(FILE *f, const struct fc_cues *cues, const struct fc_cue_event *e, double t)
{
    const struct fc_cue *q = &cues->cue[e->cue];
    cJSON *ev = fc_json_event(e->on ? "cue_on" : "cue_off");
    add_rounded(ev, "t_s", t, FC_JSON_TIME_DECIMALS);
    cJSON_AddStringToObject(ev, "cue", q->text);
    cJSON_AddStringToObject(ev, "fault", q->threshold->fault);
    cJSON_AddStringToObject(ev, "metric", fc_metric_info(q->threshold->metric)->name);
    cJSON_AddStringToObject(ev, "severity", fc_severity_name(q->severity));
    fc_json_add_string(ev, "side", fc_json_side(q->side));
    add_rounded(ev, "value", q->worst, FC_JSON_VALUE_DECIMALS);
    if (!e->on)
        add_rounded(ev, "shown_s", t - q->t_on_s, FC_JSON_TIME_DECIMALS);
    emit(f, ev);
}

static void json_frame(FILE *f, const struct fc_live_frame *lf)
{
    cJSON *ev = fc_json_event("frame");
    cJSON_AddNumberToObject(ev, "index", (double)lf->index);
    fc_json_add_frame(ev, lf->metrics);
    add_rounded(ev, "latency_ms", (fc_monotonic_s() - lf->capture_s) * 1e3, MS_DECIMALS);
    cJSON_AddNumberToObject(ev, "dropped", (double)lf->dropped);
    cJSON_AddNumberToObject(ev, "reps", (double)lf->so_far->n_reps);
    cJSON_AddStringToObject(ev, "exercise", fc_exercise_name(lf->so_far->exercise));
    cJSON_AddStringToObject(ev, "view", fc_view_name(lf->so_far->view));
    cJSON *cues = cJSON_AddArrayToObject(ev, "cues");
    for (size_t i = 0; i < lf->cues->n; i++)
        if (lf->cues->cue[i].on)
            cJSON_AddItemToArray(cues, cJSON_CreateString(lf->cues->cue[i].text));
    /* [x, y, score] per COCO-17 joint, in frame pixels */
    cJSON *kps = cJSON_AddArrayToObject(ev, "keypoints");
    const struct fc_keypoints *k = lf->keypoints;
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        double v[3] = {fc_json_round(k->x[j], PIXEL_DECIMALS),
                       fc_json_round(k->y[j], PIXEL_DECIMALS),
                       fc_json_round(k->score[j], SCORE_DECIMALS)};
        cJSON *kp = cJSON_CreateArray();
        for (int c = 0; c < 3; c++)
            cJSON_AddItemToArray(kp,
                                 isfinite(v[c]) ? cJSON_CreateNumber(v[c]) : cJSON_CreateNull());
        cJSON_AddItemToArray(kps, kp);
    }
    emit(f, ev);
}

/* A rep event: the rep as the report has it (index, side, times, score,
 * tracked fraction, peaks), its number from 1, the session time t_s it was
 * told at, its band and its findings with the report's fields. at_end: the
 * session ended in it (the clip ended before the rep was closed). */
static void json_rep(FILE *f, size_t idx, const struct fc_rep *r, double score, double t_s,
                     int at_end, const struct fc_analysis *a, const struct fc_grade *g)
{
    cJSON *ev = fc_json_event("rep");
    cJSON_AddNumberToObject(ev, "number", (double)(idx + 1));
    add_rounded(ev, "t_s", t_s, FC_JSON_TIME_DECIMALS);
    cJSON_AddBoolToObject(ev, "at_end", at_end);
    fc_json_add_rep(ev, (int)idx, r, score, a, g);
    cJSON_AddStringToObject(ev, "band", fc_grade_band(score));
    cJSON_AddItemToObject(ev, "findings", fc_json_findings(g, (int)idx));
    emit(f, ev);
}

/* A rep closed by the end of the session (the clip ended in it). */
static void json_rep_at_end(FILE *f, const struct fc_analysis *a, const struct fc_grade *g,
                            size_t idx)
{
    const struct fc_rep *r = idx < a->n_reps_detailed ? &a->reps[idx] : NULL;
    double score = idx < g->n_reps ? g->reps[idx].score : NAN;
    json_rep(f, idx, r, score, r ? r->t_end_s : NAN, 1, a, g);
}

static void json_summary(FILE *f, const struct fc_live_stats *st, const struct fc_analysis *a,
                         const struct fc_grade *g, const char **written, int n_written)
{
    cJSON *ev = fc_json_event("summary");
    cJSON_AddStringToObject(ev, "end", end_name(st->end));
    cJSON_AddStringToObject(ev, "message", st->end_message);
    cJSON_AddNumberToObject(ev, "frames", (double)st->frames);
    cJSON_AddNumberToObject(ev, "captured", (double)st->captured);
    cJSON_AddNumberToObject(ev, "dropped", (double)st->dropped);
    cJSON_AddNumberToObject(ev, "reconnects", st->reconnects);
    add_rounded(ev, "duration_s", a ? a->duration_s : NAN, FC_JSON_TIME_DECIMALS);
    cJSON_AddStringToObject(ev, "exercise", a ? fc_exercise_name(a->exercise) : "auto");
    cJSON_AddStringToObject(ev, "view", a ? fc_view_name(a->view) : "auto");
    cJSON_AddNumberToObject(ev, "reps", a ? (double)a->n_reps : 0);
    fc_json_add_number(ev, "score", g ? g->score : NAN);
    cJSON_AddStringToObject(ev, "band", g ? g->band : fc_grade_band(NAN));
    cJSON *lat = cJSON_AddObjectToObject(ev, "latency_ms");
    add_rounded(lat, "p50", st->latency_p50_ms, MS_DECIMALS);
    add_rounded(lat, "p95", st->latency_p95_ms, MS_DECIMALS);
    add_rounded(lat, "max", st->latency_max_ms, MS_DECIMALS);
    add_rounded(lat, "mean", st->latency_mean_ms, MS_DECIMALS);
    cJSON_AddNumberToObject(lat, "frames", (double)st->latency_n);
    add_rounded(ev, "pose_ms_mean", st->pose_ms_mean, MS_DECIMALS);
    cJSON_AddItemToObject(ev, "findings", fc_json_findings(g, FC_JSON_EVERY_REP));
    cJSON *reports = cJSON_AddArrayToObject(ev, "reports");
    for (int i = 0; i < n_written; i++)
        cJSON_AddItemToArray(reports, cJSON_CreateString(written[i]));
    emit(f, ev);
}

/* The window ------------------------------------------------------------- */

struct view {
    struct fc_window *win;
    struct fc_scaler *scaler;
    struct fc_canvas canvas;
    size_t canvas_bytes;
    struct fc_annotator *ann;
    /* The annotator draws frame 0 of this one-frame track. */
    struct fc_keypoints kp;
    struct fc_pose_track one;
    struct fc_frame_metrics metrics;
};

static int view_reannotate(struct view *v, const struct fc_analysis *so_far,
                           const struct fc_grade *grade, struct fc_error *err)
{
    fc_annotator_free(v->ann);
    v->ann = NULL;
    struct fc_annotate_input in = {NULL, &v->one, &v->metrics, so_far, grade};
    return fc_annotator_new(&v->ann, &in, err);
}

static int view_show(struct view *v, const struct fc_live_frame *lf, int *key, struct fc_error *err)
{
    const struct fc_frame *fr = lf->frame;
    int side = fr->width > fr->height ? fr->width : fr->height;
    double s = side > 960 ? 960.0 / side : 1.0;
    int w = (int)lround(fr->width * s), h = (int)lround(fr->height * s);
    size_t bytes = (size_t)w * (size_t)h * 3;
    if (bytes > v->canvas_bytes) { /* once, or when a reconnected source grew */
        uint8_t *p = realloc(v->canvas.rgb, bytes);
        if (!p)
            return fc_error_set(err, FC_ERR_NOMEM, "out of memory for the live view");
        v->canvas.rgb = p;
        v->canvas_bytes = bytes;
    }
    v->canvas.width = w;
    v->canvas.height = h;
    v->canvas.stride = w * 3;
    int rc = fc_frame_to_rgb(fr, 0, 0, fr->width, fr->height, w, h, v->canvas.rgb, w * 3, v->scaler,
                             err);
    if (rc < 0)
        return rc;
    v->kp = *lf->keypoints;
    v->metrics = *lf->metrics;
    fc_annotator_draw(v->ann, &v->canvas, 0, lf->t_s, (double)w / fr->width,
                      (double)h / fr->height);
    /* The live cues, under the header on the left. */
    int scale = side * s > 640 ? 3 : 2, y = fc_text_height(scale) * 3 + 8 * scale;
    for (size_t i = 0; i < lf->cues->n; i++) {
        const struct fc_cue *q = &lf->cues->cue[i];
        if (!q->on)
            continue;
        struct fc_rgb bg = q->severity == FC_SEVERITY_FAULT ? (struct fc_rgb){200, 30, 30}
                                                            : (struct fc_rgb){230, 150, 20};
        int tw = fc_text_width(q->text, scale), th = fc_text_height(scale);
        fc_draw_rect(&v->canvas, 4 * scale, y, tw + 4 * scale, th + 4 * scale, bg, 0.85f);
        fc_draw_text(&v->canvas, 6 * scale, y + 2 * scale, q->text, scale,
                     (struct fc_rgb){255, 255, 255});
        y += th + 7 * scale;
    }
    return fc_window_show(v->win, v->canvas.rgb, w, h, w * 3, key, err);
}

static void view_free(struct view *v)
{
    fc_annotator_free(v->ann);
    fc_window_close(v->win);
    fc_scaler_free(v->scaler);
    free(v->canvas.rgb);
}

/* The status line ---------------------------------------------------------- */

static void status_line(FILE *f, const struct fc_live_frame *lf, double last_score)
{
    char cues[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < lf->cues->n && used < sizeof cues - 64; i++)
        if (lf->cues->cue[i].on)
            used += (size_t)snprintf(cues + used, sizeof cues - used, "%s%s", used ? ", " : "",
                                     lf->cues->cue[i].text);
    char last[48] = "";
    if (lf->so_far->n_reps > 0)
        snprintf(last, sizeof last, " (last: %.0f, %s)", last_score, fc_grade_band(last_score));
    fprintf(f, "\r\033[K%6.1f s  %s  reps %zu%s  %s  latency %.0f ms  dropped %lld", lf->t_s,
            fc_exercise_name(lf->so_far->exercise), lf->so_far->n_reps, last, used ? cues : "-",
            (fc_monotonic_s() - lf->capture_s) * 1e3, (long long)lf->dropped);
    fflush(f);
}

/* The session -------------------------------------------------------------- */

/* What a session holds from the source's opening to its reports. */
struct session {
    const struct live_opts *o;
    const char *source; /* the camera device or the input URL */
    FILE *text;         /* the text summary: stdout, or stderr under --jsonl */
    struct fc_thresholds th;
    struct fc_live *lv;
    struct view v;
    char input_options[128]; /* the camera's FFmpeg options; the session keeps a pointer */
    int tty;                 /* a status line on a terminal */
    double last_status_s;    /* fc_monotonic_s() of the last status line */
    double last_score;       /* the last rep's score, for the status line */
    size_t reps_told;        /* reps already told as they ended */
    const char *written[4];  /* the reports written, removed again on failure */
    int n_written;
    int status; /* the exit status should the session fail now */
};

/* The live pipeline's parameters from the command line. */
static struct fc_live_params session_params(struct session *s)
{
    const struct live_opts *o = s->o;
    struct fc_live_params p = fc_live_default_params();
    p.source = s->source;
    if (o->camera) {
        char *opts = s->input_options;
        size_t len = sizeof s->input_options;
        p.input_format = "v4l2";
        if (o->size)
            snprintf(opts, len, "video_size=%s", o->size);
        if (o->fps > 0)
            snprintf(opts + strlen(opts), len - strlen(opts), "%sframerate=%g", o->size ? ":" : "",
                     o->fps);
        p.input_options = opts[0] ? opts : NULL;
    } else if (strncmp(o->input, "udp://", 6) == 0 || strncmp(o->input, "rtp://", 6) == 0) {
        /* A network stream: start at once with the newest data. */
        p.input_options = "fflags=nobuffer";
    }
    p.realtime = o->realtime;
    p.read_timeout_s = o->timeout_s;
    p.reconnect = o->reconnect;
    p.interrupt = &stop_flag;
    p.model = o->model;
    p.backend = o->runtime.backend;
    p.fallback = !o->runtime.chosen;
    p.threads = o->runtime.threads;
    p.exercise = o->exercise;
    p.view = o->view;
    p.thresholds = &s->th;
    return p;
}

/* Opens the window, or leaves v->win NULL (the status line stands in). */
static void view_open(struct view *v)
{
    struct fc_error we = {0};
    v->one.n_frames = v->one.cap = 1;
    v->one.frames = &v->kp;
    v->one.skeleton = FC_SKELETON_COCO17;
    v->one.units = FC_UNITS_PIXELS;
    v->one.dims = 2;
    if (fc_window_open(&v->win, "formcheck live", &we) < 0 || !(v->scaler = fc_scaler_new())) {
        fprintf(stderr, "formcheck live: no window (%s); using the status line\n",
                we.msg[0] ? we.msg : "out of memory");
        fc_window_close(v->win);
        v->win = NULL;
    }
}

/* A timer rather than a check per frame: the session also ends on time
 * while a lost source is being reconnected. */
static void start_duration_timer(double duration_s)
{
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)duration_s;
    it.it_value.tv_usec = (suseconds_t)((duration_s - floor(duration_s)) * 1e6);
    setitimer(ITIMER_REAL, &it, NULL);
}

/* Opens the source and the pose model, then the feedback: the start event,
 * the window or the status line, the --duration timer. */
static int session_open(struct session *s, struct fc_error *err)
{
    const struct live_opts *o = s->o;
    if (fc_thresholds_load(o->thresholds, &s->th, err) < 0)
        return -1;
    struct fc_live_params p = session_params(s);
    atomic_store(&stop_flag, 0);
    install_signals();
    if (fc_live_open(&s->lv, &p, err) < 0)
        return -1;
    const struct fc_video_info *vi = fc_live_video_info(s->lv);
    if (o->jsonl) {
        json_start(stdout, s->source, vi, fc_live_model_name(s->lv), o->realtime);
        fflush(stdout);
    }
    if (o->window < 0 ? fc_window_display_available() : o->window)
        view_open(&s->v);
    s->tty = !o->quiet && isatty(STDERR_FILENO);
    if (!o->quiet)
        fprintf(stderr, "formcheck live: %s, %dx%d, %s; Ctrl-C ends the session\n", s->source,
                vi->width, vi->height, fc_live_model_name(s->lv));
    if (o->duration_s > 0)
        start_duration_timer(o->duration_s);
    return 0;
}

/* One analysed frame's events on stdout; a reader that went away ends the
 * session. */
static void json_frame_events(const struct fc_live_frame *lf)
{
    if (lf->reconnected)
        json_reconnected(stdout, lf->t_s);
    for (int i = 0; i < lf->n_cue_events; i++)
        json_cue(stdout, lf->cues, &lf->cue_events[i], lf->t_s);
    if (lf->rep_done)
        json_rep(stdout, lf->so_far->n_reps - 1, lf->rep, lf->rep_score, lf->t_s, 0, lf->so_far,
                 lf->grade_so_far);
    json_frame(stdout, lf);
    if (fflush(stdout) != 0 || ferror(stdout))
        atomic_store(&stop_flag, 1);
}

/* The feedback on one analysed frame: JSON events, then the window or the
 * status line (at most ten a second), or a line per rep. */
static int session_frame(struct session *s, const struct fc_live_frame *lf, struct fc_error *err)
{
    const struct live_opts *o = s->o;
    if (lf->rep_done) {
        s->last_score = lf->rep_score;
        s->reps_told = lf->so_far->n_reps;
    }
    if (o->jsonl)
        json_frame_events(lf);
    if (s->v.win) {
        int key = -1;
        if (lf->rep_done || !s->v.ann) {
            if (view_reannotate(&s->v, lf->so_far, lf->grade_so_far, err) < 0)
                return -1;
        }
        if (view_show(&s->v, lf, &key, err) < 0)
            return -1;
        if (key == 'q' || key == 'Q' || key == 27 /* Esc */)
            atomic_store(&stop_flag, 1);
    } else if (s->tty && fc_monotonic_s() - s->last_status_s > 0.1) {
        status_line(stderr, lf, s->last_score);
        s->last_status_s = fc_monotonic_s();
    }
    if (!s->tty && !o->quiet && !o->jsonl && lf->rep_done)
        fprintf(stderr, "rep %zu: score %.0f (%s)\n", lf->so_far->n_reps, lf->rep_score,
                fc_grade_band(lf->rep_score));
    return 0;
}

/* Frames until the session ends (Ctrl-C, the window, --duration, the
 * source's end or loss). */
static int session_run(struct session *s, struct fc_error *err)
{
    struct fc_live_frame lf;
    int rc;
    while ((rc = fc_live_next(s->lv, &lf, err)) == 0) {
        if (session_frame(s, &lf, err) < 0)
            return -1;
        fc_live_emitted(s->lv);
    }
    if (s->tty)
        fputc('\n', stderr);
    return rc < 0 ? -1 : 0;
}

static void summary_text(const struct session *s, const struct fc_live_stats *st,
                         const struct fc_report *r)
{
    fprintf(s->text,
            "live session: %s (%s)\n"
            "frames: %ld analysed of %lld captured, %lld dropped, %d reconnects; %s\n"
            "latency capture->feedback: p50 %.1f ms, p95 %.1f ms, max %.1f ms (pose %.1f ms a "
            "frame)\n",
            s->source, st->end_message, st->frames, (long long)st->captured, (long long)st->dropped,
            st->reconnects, fc_live_model_name(s->lv), st->latency_p50_ms, st->latency_p95_ms,
            st->latency_max_ms, st->pose_ms_mean);
    fc_report_text(s->text, r);
    for (int i = 0; i < s->n_written; i++)
        fprintf(s->text, "wrote %s\n", s->written[i]);
}

static void session_stem(const struct live_opts *o, char *stem, size_t len)
{
    if (o->input && o->realtime) {
        fc_cli_input_stem(o->input, stem, len);
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stem, len, "live-%Y%m%d-%H%M%S", &tm);
}

/* The end: the last events, the reports, the summary; sets the exit status. */
static int session_end(struct session *s, struct fc_error *err)
{
    const struct live_opts *o = s->o;
    struct fc_live_result res;
    if (fc_live_finish(s->lv, &res, err) < 0)
        return -1;
    if (res.stats.end == FC_LIVE_END_INTERRUPTED && atomic_load(&duration_up))
        snprintf(res.stats.end_message, sizeof res.stats.end_message, "--duration %g s reached",
                 o->duration_s);
    if (o->jsonl) {
        for (int i = 0; i < res.n_cue_events; i++)
            json_cue(stdout, res.cues, &res.cue_events[i], res.analysis->duration_s);
        for (size_t i = s->reps_told; i < res.analysis->n_reps; i++)
            json_rep_at_end(stdout, res.analysis, res.grade, i);
    }

    char stem[1024];
    session_stem(o, stem, sizeof stem);
    struct fc_report r = {
        .input_path = s->source,
        .input_kind = o->camera ? "camera (live)" : "stream (live)",
        .skeleton = fc_skeleton_name(res.track->skeleton),
        .analysis = res.analysis,
        .grade = res.grade,
        .thresholds = &s->th,
        .frames = res.frames,
        .n_frames = res.track->n_frames,
        .pelvis_reference = NULL,
    };
    s->status = FC_EXIT_OUTPUT;
    if (fc_cli_write_reports(&o->outs, stem, &r, s->written, &s->n_written, err) < 0)
        return -1;

    summary_text(s, &res.stats, &r);
    if (o->jsonl) {
        json_summary(stdout, &res.stats, res.analysis, res.grade, s->written, s->n_written);
        fflush(stdout);
    }
    s->status = res.stats.end == FC_LIVE_END_LOST ? FC_EXIT_SOURCE_LOST : FC_EXIT_OK;
    return 0;
}

int fc_cli_live(int argc, char **argv)
{
    struct live_opts o;
    int prc = parse(argc, argv, &o);
    if (prc != 0)
        return prc > 0 ? FC_EXIT_OK : FC_EXIT_USAGE;

    struct fc_error err = {0};
    struct session s;
    memset(&s, 0, sizeof s);
    s.o = &o;
    s.source = o.camera ? o.camera : o.input;
    s.text = o.jsonl ? stderr : stdout;
    s.last_score = NAN;
    s.status = FC_EXIT_INPUT;
    if (session_open(&s, &err) < 0 || session_run(&s, &err) < 0 || session_end(&s, &err) < 0) {
        for (int i = 0; i < s.n_written; i++)
            unlink(s.written[i]);
        fprintf(stderr, "formcheck live: %s\n", err.msg[0] ? err.msg : "the session failed");
    }
    view_free(&s.v);
    fc_live_close(s.lv);
    fc_thresholds_free(&s.th);
    return s.status;
}
