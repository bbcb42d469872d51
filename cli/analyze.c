/* formcheck analyze: a session in, a graded report out.
 *
 * Input: a video (through the pose model), keypoint files, or marker-based
 * motion capture. Then the analyzer (analysis/), grading against the
 * threshold table (report/grade.h) and the reports: text on stdout, and
 * JSON, per-frame CSV and HTML files when asked. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/analyzer.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/outputs.h"
#include "core/exercise.h"
#include "import/c3d.h"
#include "import/import.h"
#include "pipeline/mocap.h"
#include "pipeline/video.h"
#include "report/annotate.h"
#include "report/grade.h"
#include "report/mocap.h"
#include "report/mot.h"
#include "report/report.h"

static const char analyze_usage[] =
    "usage: formcheck analyze [options] INPUT\n"
    "\n"
    "INPUT: a video (any format FFmpeg reads), a C3D motion-capture file, a TRC\n"
    "marker file, a keypoint CSV, a MediaPipe landmark CSV or a folder of\n"
    "OpenPose JSON files.\n"
    "\n"
    "options:\n"
    "  --exercise NAME      squat, single-leg-squat-left, single-leg-squat-right\n"
    "                       (named by the stance leg), lunge, step-up,\n"
    "                       single-leg-deadlift, glute-bridge, gait, overhead-squat\n"
    "                       (the NASM / FMS screen: arms held up), auto (default;\n"
    "                       a squat with the arms up is an overhead squat)\n"
    "  --view VIEW          front, side or auto (default): the camera's view\n"
    "  --csv FILE           per-frame table: time, rep, every metric\n"
    "  --json FILE          the report as JSON (versioned schema)\n"
    "  --html FILE          a self-contained HTML report with plots\n"
    "  --out DIR            write INPUT-NAME.{csv,json,html} into DIR\n"
    "  --keypoints-out FILE the keypoints as keypoint CSV (COCO-17; heels, toes if found)\n"
    "  --trc-out FILE       C3D / TRC input: the markers as an OpenSim TRC file\n"
    "  --mot-out FILE       C3D / TRC input: the Plug-in Gait angles as an OpenSim\n"
    "                       .mot file\n"
    "  --annotate FILE      video input: an annotated copy (skeleton, angles, rep\n"
    "                       counter, grade, cues) as MP4\n"
    "  --model NAME         video: thunder (default: more accurate) or "
    "lightning (MoveNet,\n"
    "                       17 points), or blazepose-full, blazepose-lite or\n"
    "                       blazepose-heavy (33 points with heels and toes)\n"
    "  --blazepose-roi FROM with blazepose-*: movenet-body (default: MoveNet every\n"
    "                       frame for the body and the ROI, BlazePose adds heels\n"
    "                       and toes), movenet (BlazePose's landmarks on MoveNet's\n"
    "                       ROI) or own (BlazePose tracks its own ROI, MoveNet only\n"
    "                       finds the person)\n" FC_CLI_RUNTIME_HELP
    "  --person X,Y@T       video: analyse the person at pixel (X, Y) at T seconds\n"
    "                       (default: the most prominent person when several are\n"
    "                       in view); nobody near that point is a usage error (2)\n"
    "                       whose message lists who was seen where\n"
    "  --thresholds FILE    grade against this table instead of the built-in one\n"
    "  --no-filter          skip the zero-lag low-pass on the keypoints\n"
    "  --cutoff HZ          low-pass cut-off (default 6)\n"
    "  --rate HZ            frame rate for inputs without time stamps (default 30)\n"
    "  -q, --quiet          no progress display\n"
    "  -h, --help           this text\n";

struct analyze_opts {
    enum fc_exercise exercise;
    enum fc_view view;
    const char *csv, *json, *html, *out_dir, *keypoints_out, *thresholds, *annotate, *input;
    const char *trc_out, *mot_out;
    double rate_hz, cutoff_hz;
    double person_x, person_y, person_t_s; /* --person; NaN when not given */
    int no_filter, quiet;
    enum fc_movenet_model model;
    int blazepose;                         /* --model blazepose-* */
    enum fc_blazepose_mode blazepose_mode; /* --blazepose-roi */
    enum fc_blazepose_model blazepose_model;
    struct fc_cli_runtime runtime;
};

/* --person X,Y@T: frame pixels and a time in seconds. 0, or -1 after
 * saying what is wrong. */
static int parse_person(const char *arg, struct analyze_opts *o)
{
    char tail;
    if (sscanf(arg, "%lf,%lf@%lf%c", &o->person_x, &o->person_y, &o->person_t_s, &tail) != 3 ||
        !isfinite(o->person_x) || !isfinite(o->person_y) || !(o->person_t_s >= 0)) {
        fprintf(stderr,
                "formcheck analyze: --person needs X,Y@T (pixels and seconds, e.g. "
                "640,360@2.5), got '%s'\n",
                arg);
        return -1;
    }
    return 0;
}

/* 0 to go on, 1 after --help, -1 on a usage error (message printed). */
static int parse(int argc, char **argv, struct analyze_opts *o)
{
    enum {
        OPT_EXERCISE = 256,
        OPT_VIEW,
        OPT_CSV,
        OPT_JSON,
        OPT_HTML,
        OPT_OUT,
        OPT_KP,
        OPT_RATE,
        OPT_MODEL,
        OPT_THRESHOLDS,
        OPT_NO_FILTER,
        OPT_CUTOFF,
        OPT_ANNOTATE,
        OPT_PERSON,
        OPT_BACKEND,
        OPT_THREADS,
        OPT_BLAZEPOSE_ROI,
        OPT_TRC_OUT,
        OPT_MOT_OUT,
    };
    static const struct option longopts[] = {
        {"exercise", required_argument, NULL, OPT_EXERCISE},
        {"view", required_argument, NULL, OPT_VIEW},
        {"csv", required_argument, NULL, OPT_CSV},
        {"json", required_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"out", required_argument, NULL, OPT_OUT},
        {"keypoints-out", required_argument, NULL, OPT_KP},
        {"rate", required_argument, NULL, OPT_RATE},
        {"model", required_argument, NULL, OPT_MODEL},
        {"thresholds", required_argument, NULL, OPT_THRESHOLDS},
        {"no-filter", no_argument, NULL, OPT_NO_FILTER},
        {"cutoff", required_argument, NULL, OPT_CUTOFF},
        {"annotate", required_argument, NULL, OPT_ANNOTATE},
        {"person", required_argument, NULL, OPT_PERSON},
        {"trc-out", required_argument, NULL, OPT_TRC_OUT},
        {"mot-out", required_argument, NULL, OPT_MOT_OUT},
        {"backend", required_argument, NULL, OPT_BACKEND},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"blazepose-roi", required_argument, NULL, OPT_BLAZEPOSE_ROI},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->rate_hz = fc_import_default_params().rate_hz;
    o->cutoff_hz = 6.0;
    o->model = FC_MOVENET_THUNDER;
    o->blazepose_mode = fc_video_pose_default_params().blazepose_mode;
    fc_cli_runtime_init(&o->runtime);
    o->person_x = o->person_y = o->person_t_s = NAN;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_EXERCISE:
            if (fc_cli_exercise("analyze", optarg, &o->exercise) < 0)
                return -1;
            break;
        case OPT_VIEW:
            if (fc_cli_view("analyze", optarg, &o->view) < 0)
                return -1;
            break;
        case OPT_CSV: o->csv = optarg; break;
        case OPT_JSON: o->json = optarg; break;
        case OPT_HTML: o->html = optarg; break;
        case OPT_OUT: o->out_dir = optarg; break;
        case OPT_KP: o->keypoints_out = optarg; break;
        case OPT_TRC_OUT: o->trc_out = optarg; break;
        case OPT_MOT_OUT: o->mot_out = optarg; break;
        case OPT_THRESHOLDS: o->thresholds = optarg; break;
        case OPT_ANNOTATE: o->annotate = optarg; break;
        case OPT_NO_FILTER: o->no_filter = 1; break;
        case 'q': o->quiet = 1; break;
        case OPT_MODEL:
            if (fc_blazepose_model_parse(optarg, &o->blazepose_model) == 0) {
                o->blazepose = 1;
            } else if (fc_cli_model("analyze", optarg, &o->model) < 0) {
                return -1;
            } else {
                o->blazepose = 0;
            }
            break;
        case OPT_BLAZEPOSE_ROI:
            if (strcmp(optarg, "own") == 0)
                o->blazepose_mode = FC_BLAZEPOSE_OWN_ROI;
            else if (strcmp(optarg, "movenet") == 0)
                o->blazepose_mode = FC_BLAZEPOSE_MOVENET_ROI;
            else if (strcmp(optarg, "movenet-body") == 0)
                o->blazepose_mode = FC_BLAZEPOSE_MOVENET_BODY;
            else {
                fprintf(stderr,
                        "formcheck analyze: unknown --blazepose-roi '%s' (own, movenet or "
                        "movenet-body)\n",
                        optarg);
                return -1;
            }
            break;
        case OPT_BACKEND:
            if (fc_cli_backend("analyze", optarg, &o->runtime) < 0)
                return -1;
            break;
        case OPT_THREADS:
            if (fc_cli_threads("analyze", optarg, &o->runtime) < 0)
                return -1;
            break;
        case OPT_RATE:
            if (fc_cli_number("analyze", "--rate", optarg, 0, 100000, &o->rate_hz) < 0)
                return -1;
            break;
        case OPT_CUTOFF:
            if (fc_cli_number("analyze", "--cutoff", optarg, 0, 1000, &o->cutoff_hz) < 0)
                return -1;
            break;
        case OPT_PERSON:
            if (parse_person(optarg, o) < 0)
                return -1;
            break;
        case 'h': fputs(analyze_usage, stdout); return 1;
        default:
            fprintf(stderr, "formcheck analyze: unknown or incomplete option '%s'\n%s",
                    argv[optind - 1], analyze_usage);
            return -1;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "formcheck analyze: %s\n%s",
                optind >= argc ? "no INPUT given" : "more than one INPUT given", analyze_usage);
        return -1;
    }
    o->input = argv[optind];
    return 0;
}

/* A stored pelvis-angle "point" (Plug-in Gait / CGM write angles as points
 * whose x, y, z are tilt, obliquity, rotation in degrees). */
static struct fc_pelvis_angles *c3d_reference_angles(const struct fc_c3d *c3d)
{
    int idx = fc_c3d_find_point(c3d, "LPelvisAngles");
    if (idx < 0)
        return NULL;
    struct fc_pelvis_angles *ref = calloc((size_t)c3d->n_frames, sizeof *ref);
    if (!ref)
        return NULL;
    for (int i = 0; i < c3d->n_frames; i++) {
        const float *p = fc_c3d_point(c3d, i, idx);
        ref[i].tilt_deg = p[0];
        ref[i].obliquity_deg = p[1];
        ref[i].rotation_deg = p[2];
    }
    return ref;
}

/* Puts "path: " before err's message: for the stages that are handed data,
 * not the file, and so cannot name it (the importers and the decoder do). */
static int name_file(struct fc_error *err, const char *path)
{
    char msg[FC_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return fc_error_set(err, err->code ? err->code : FC_ERR_FORMAT, "%s: %s", path, msg);
}

/* Everything analyze holds, so that one function frees it on every path. */
struct session {
    struct fc_pose_track track;
    struct fc_pelvis_angles *reference;
    struct fc_frame_metrics *frames;
    struct fc_analyzer *analyzer;
    struct fc_analysis analysis;
    struct fc_thresholds thresholds;
    struct fc_grade grade;
    struct fc_video_pose_stats video;
    const char *kind;
    int is_video;
    int has_mocap;   /* a C3D with markers to run the Plug-in Gait model on */
    int has_markers; /* a C3D or TRC: its markers, for --trc-out */
    struct fc_trc markers;
    struct fc_mocap mocap;
    struct fc_mocap_thresholds mocap_thresholds;
    struct fc_mocap_grade mocap_grade;
};

static void session_free(struct session *s)
{
    fc_pose_track_free(&s->track);
    free(s->reference);
    free(s->frames);
    fc_analyzer_free(s->analyzer);
    fc_grade_free(&s->grade);
    fc_thresholds_free(&s->thresholds);
    fc_mocap_free(&s->mocap);
    fc_trc_free(&s->markers);
    fc_mocap_thresholds_free(&s->mocap_thresholds);
}

static const char *model_name(enum fc_movenet_model m)
{
    return m == FC_MOVENET_THUNDER ? "MoveNet Thunder" : "MoveNet Lightning";
}

/* The MoveNet model of a run: with BlazePose's own landmarks it only finds
 * the person (Lightning, the fast one); with MoveNet's body it is --model's. */
static enum fc_movenet_model movenet_model(const struct analyze_opts *o)
{
    return o->blazepose && o->blazepose_mode != FC_BLAZEPOSE_MOVENET_BODY ? FC_MOVENET_LIGHTNING
                                                                          : o->model;
}

static const char *pose_model_name(const struct analyze_opts *o)
{
    static char name[160];
    if (!o->blazepose)
        return model_name(o->model);
    const char *bp = o->blazepose_model == FC_BLAZEPOSE_LITE    ? "lite"
                     : o->blazepose_model == FC_BLAZEPOSE_HEAVY ? "heavy"
                                                                : "full";
    if (o->blazepose_mode == FC_BLAZEPOSE_MOVENET_BODY)
        snprintf(name, sizeof name, "%s with heels and toes from BlazePose GHUM %s",
                 model_name(movenet_model(o)), bp);
    else
        snprintf(name, sizeof name, "BlazePose GHUM %s (person found by %s)", bp,
                 model_name(movenet_model(o)));
    return name;
}

/* What the report says about the video: the video stage's statistics as
 * plain data (pointing into v, which must outlive the report). */
static struct fc_source_info source_info(const struct fc_video_pose_stats *v,
                                         const char *pose_model)
{
    const struct fc_people_summary *pe = &v->people;
    return (struct fc_source_info){
        .width = v->width,
        .height = v->height,
        .codec = v->codec,
        .fps = v->fps,
        .frames_decoded = v->frames,
        .person_found_fraction =
            v->frames ? (double)v->frames_with_person / (double)v->frames : NAN,
        .pose_model = pose_model,
        .warning = v->warning[0] ? v->warning : NULL,
        .people = {.looked = pe->looked,
                   .seen = pe->seen,
                   .most_at_once = pe->at_once,
                   .followed = pe->chosen,
                   .by_point = pe->by_point,
                   .first_seen_s = pe->first_s,
                   .last_seen_s = pe->last_s},
    };
}

static int load_input(const struct analyze_opts *o, struct session *s, struct fc_error *err)
{
    enum fc_input_kind kind = fc_input_detect(o->input, err);
    if (kind != FC_INPUT_UNKNOWN && isfinite(o->person_x))
        return fc_error_set(err, FC_ERR_ARG, "--person picks a person in a video; %s is a %s",
                            o->input, fc_input_kind_name(kind));
    if (kind == FC_INPUT_C3D) {
        struct fc_c3d c3d;
        if (fc_c3d_read(o->input, &c3d, err) < 0)
            return -1;
        int rc = fc_c3d_to_track(&c3d, &s->track, err);
        if (rc == 0) {
            s->reference = c3d_reference_angles(&c3d);
            s->has_mocap = fc_pipeline_mocap_from_c3d(&c3d, &s->track, &s->mocap) == 0;
            if (o->trc_out && fc_pipeline_trc_from_c3d(&c3d, &s->markers, err) < 0)
                rc = -1;
            s->has_markers = rc == 0 && o->trc_out;
        } else
            name_file(err, o->input);
        fc_c3d_free(&c3d);
        s->kind = fc_input_kind_name(kind);
        return rc;
    }
    if (kind == FC_INPUT_TRC) {
        s->kind = fc_input_kind_name(kind);
        if (fc_trc_read(o->input, &s->markers, err) < 0)
            return -1;
        s->has_markers = 1;
        if (fc_trc_to_track(&s->markers, &s->track, err) < 0)
            return name_file(err, o->input);
        s->has_mocap = fc_pipeline_mocap_from_trc(&s->markers, &s->track, &s->mocap) == 0;
        return 0;
    }
    if (kind != FC_INPUT_UNKNOWN) {
        struct fc_import_params ip = fc_import_default_params();
        ip.rate_hz = o->rate_hz;
        s->kind = fc_input_kind_name(kind);
        return fc_import_any(o->input, &ip, &s->track, err);
    }
    /* Not a keypoint format: a video, if FFmpeg can decode it. Text, images,
     * folders and empty files keep the detector's message, which says what
     * they are. */
    if (err->code != FC_ERR_NOT_KEYPOINTS)
        return -1;
    struct fc_video_pose_params vp = fc_video_pose_default_params();
    vp.movenet.model = movenet_model(o);
    fc_cli_runtime_apply(&o->runtime, &vp.movenet);
    vp.use_blazepose = o->blazepose;
    vp.blazepose_mode = o->blazepose_mode;
    vp.blazepose.model = o->blazepose_model;
    vp.blazepose.backend = vp.movenet.backend;
    vp.blazepose.fallback = vp.movenet.fallback;
    vp.blazepose.threads = vp.movenet.threads;
    vp.people.x = o->person_x;
    vp.people.y = o->person_y;
    vp.people.t_s = o->person_t_s;
    vp.progress = !o->quiet && isatty(STDERR_FILENO) ? stderr : NULL;
    s->is_video = 1;
    s->kind = "video";
    if (fc_video_pose_track(o->input, &vp, &s->track, &s->video, err) < 0)
        return -1;
    if (s->video.frames_with_person == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no person found in any of the %ld frames",
                            o->input, s->video.frames);
    return 0;
}

/* The analysis of the loaded track, then its grade. */
static int analyze_and_grade(const struct analyze_opts *o, struct session *s, struct fc_error *err)
{
    struct fc_analyzer_params ap = fc_analyzer_default_params();
    ap.exercise = o->exercise;
    ap.view = o->view;
    /* Marker data are already precise; the camera's keypoints are not. */
    int markers = s->track.dims == 3 && s->track.units == FC_UNITS_MM;
    int zero_lag = !o->no_filter && !markers;
    if (fc_analyze_track(&s->track, &ap, zero_lag, o->cutoff_hz, &s->frames, &s->analysis,
                         &s->analyzer, err) < 0)
        return name_file(err, o->input);
    return fc_grade_session(&s->analysis, &s->thresholds, &s->grade, err);
}

/* --trc-out and --mot-out: the markers and the Plug-in Gait angles for
 * OpenSim. */
static int write_marker_outputs(const struct analyze_opts *o, const struct session *s,
                                const char **written, int *n_written, int *status,
                                struct fc_error *err)
{
    if (o->trc_out) {
        if (!s->has_markers) {
            *status = FC_EXIT_USAGE;
            return fc_error_set(err, FC_ERR_ARG, "--trc-out needs a C3D or TRC input; %s is a %s",
                                o->input, s->kind);
        }
        if (fc_trc_write(o->trc_out, &s->markers, err) < 0)
            return err->code;
        written[(*n_written)++] = o->trc_out;
    }
    if (o->mot_out) {
        if (!s->has_mocap || s->mocap.pig.frames_with_legs == 0) {
            *status = FC_EXIT_USAGE;
            return fc_error_set(err, FC_ERR_ARG,
                                "--mot-out needs a C3D or TRC input with Plug-in Gait leg "
                                "markers; %s has none",
                                o->input);
        }
        double *t_s = malloc(s->track.n_frames * sizeof *t_s);
        if (!t_s)
            return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < s->track.n_frames; i++)
            t_s[i] = s->track.frames[i].t_s;
        int rc = fc_mot_write_pig(o->mot_out, &s->mocap.pig, t_s, err);
        free(t_s);
        if (rc < 0)
            return rc;
        written[(*n_written)++] = o->mot_out;
    }
    return 0;
}

/* Every file asked for, each atomic, listed in written[] (room for 8) so
 * that the caller removes them all when a later one fails: a failed run
 * leaves nothing behind. *status becomes the exit status of a failure. */
static int write_outputs(const struct analyze_opts *o, const struct session *s,
                         const struct fc_report *r, const char **written, int *n_written,
                         int *status, struct fc_error *err)
{
    *status = FC_EXIT_OUTPUT;
    char stem[1024];
    fc_cli_input_stem(o->input, stem, sizeof stem);
    struct fc_cli_outputs outs = {o->csv, o->json, o->html, o->out_dir};
    if (fc_cli_write_reports(&outs, stem, r, written, n_written, err) < 0)
        return err->code;
    if (o->keypoints_out) {
        if (fc_write_keypoint_csv(o->keypoints_out, &s->track, err) < 0)
            return err->code;
        written[(*n_written)++] = o->keypoints_out;
    }
    if (o->trc_out || o->mot_out) {
        int rc = write_marker_outputs(o, s, written, n_written, status, err);
        if (rc < 0)
            return rc;
    }
    if (o->annotate) {
        if (!s->is_video) {
            *status = FC_EXIT_USAGE;
            return fc_error_set(err, FC_ERR_ARG, "--annotate needs a video input; %s is a %s",
                                o->input, s->kind);
        }
        struct fc_annotate_input ai = {o->input, &s->track, s->frames, &s->analysis, &s->grade};
        FILE *prog = !o->quiet && isatty(STDERR_FILENO) ? stderr : NULL;
        if (fc_annotate_video(o->annotate, &ai, prog, NULL, err) < 0)
            return err->code;
        written[(*n_written)++] = o->annotate;
    }
    return 0;
}

/* What the video stage decoded and whom it followed, before the report. */
static void print_video(const struct fc_video_pose_stats *v, const char *pose_model)
{
    printf("video: %dx%d %s, %ld frames, person found in %.0f%% of them; %s\n", v->width, v->height,
           v->codec, v->frames, v->frames ? 100.0 * v->frames_with_person / v->frames : 0.0,
           pose_model);
    const struct fc_people_summary *pe = &v->people;
    if (pe->chosen)
        printf("people: %d seen (%d at once); analysed #%d, %s, seen %.1f-%.1f s; "
               "choose another with --person X,Y@T\n",
               pe->seen, pe->at_once, pe->chosen,
               pe->by_point ? "the one at --person" : "the most prominent", pe->first_s,
               pe->last_s);
    if (v->warning[0])
        printf("warning: %s\n", v->warning);
}

int fc_cli_analyze(int argc, char **argv)
{
    struct analyze_opts o;
    int prc = parse(argc, argv, &o);
    if (prc != 0)
        return prc > 0 ? FC_EXIT_OK : FC_EXIT_USAGE;

    struct fc_error err = {0};
    struct session s;
    memset(&s, 0, sizeof s);
    fc_pose_track_init(&s.track, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    const char *written[8];
    int n_written = 0, status = FC_EXIT_INPUT;

    if (fc_thresholds_load(o.thresholds, &s.thresholds, &err) < 0)
        goto fail;
    if (load_input(&o, &s, &err) < 0) {
        if (err.code == FC_ERR_ARG && isfinite(o.person_x)) /* --person fits no one */
            status = FC_EXIT_USAGE;
        goto fail;
    }
    if (analyze_and_grade(&o, &s, &err) < 0)
        goto fail;
    if (s.has_mocap) {
        if (fc_mocap_thresholds_load(o.thresholds, &s.mocap_thresholds, &err) < 0)
            goto fail;
        fc_mocap_grade(&s.mocap, &s.mocap_thresholds, &s.mocap_grade);
    }

    struct fc_pelvis_reference ref = {.label = "LPelvisAngles stored in the file",
                                      .angle = s.reference};
    if (s.reference)
        fc_pelvis_reference_compare(&ref, s.frames, s.track.n_frames);
    struct fc_source_info video = source_info(&s.video, pose_model_name(&o));
    struct fc_report r = {
        .input_path = o.input,
        .input_kind = s.kind,
        .skeleton = fc_skeleton_name(s.track.skeleton),
        .analysis = &s.analysis,
        .grade = &s.grade,
        .thresholds = &s.thresholds,
        .frames = s.frames,
        .n_frames = s.track.n_frames,
        .pelvis_reference = s.reference ? &ref : NULL,
        .video = s.is_video ? &video : NULL,
        .track = &s.track,
        .mocap = s.has_mocap ? &s.mocap : NULL,
        .mocap_grade = s.has_mocap ? &s.mocap_grade : NULL,
    };
    if (write_outputs(&o, &s, &r, written, &n_written, &status, &err) < 0)
        goto fail;

    if (s.is_video)
        print_video(&s.video, video.pose_model);
    fc_report_text(stdout, &r);
    for (int i = 0; i < n_written; i++)
        printf("wrote %s\n", written[i]);
    /* The text report is an output too: lost on a full disk (stdout
     * redirected to a file), it fails the command like a lost --csv. */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fc_error_set(&err, FC_ERR_IO, "standard output: write failed (%s)",
                     errno ? strerror(errno) : "the disk is full or a file-size limit was reached");
        status = FC_EXIT_OUTPUT;
        goto fail;
    }
    session_free(&s);
    return FC_EXIT_OK;

fail:
    for (int i = 0; i < n_written; i++)
        unlink(written[i]);
    fprintf(stderr, "formcheck analyze: %s\n", err.msg[0] ? err.msg : "analysis failed");
    session_free(&s);
    return status;
}
