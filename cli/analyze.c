/* formcheck analyze: import a session, compute what the input supports,
 * and write the per-frame table, the JSON summary and a text summary. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/exercise.h"
#include "analysis/pelvis.h"
#include "cli/cli.h"
#include "pose/c3d.h"
#include "pose/import.h"
#include "report/summary.h"

static const char analyze_usage[] =
    "usage: formcheck analyze [options] INPUT\n"
    "\n"
    "options:\n"
    "  --exercise NAME      squat, single-leg-squat-left, single-leg-squat-right\n"
    "                       (named by the stance leg), lunge, step-up,\n"
    "                       single-leg-deadlift, glute-bridge, gait, auto (default)\n"
    "  --view VIEW          front, side or auto (default): the camera's view\n"
    "  --csv FILE           per-frame table (time, tracking, pelvis angles)\n"
    "  --json FILE          summary with a versioned schema\n"
    "  --html FILE          HTML report with plots\n"
    "  --out DIR            write INPUT-NAME.csv and INPUT-NAME.json into DIR\n"
    "  --keypoints-out FILE the imported keypoints as keypoint CSV (COCO-17)\n"
    "  --rate HZ            frame rate for inputs without time stamps (default 30)\n"
    "  -h, --help           this text\n";

struct analyze_opts {
    enum fc_exercise exercise;
    enum fc_view view;
    const char *csv, *json, *html, *out_dir, *keypoints_out, *input;
    double rate_hz;
};

static int parse(int argc, char **argv, struct analyze_opts *o)
{
    enum { OPT_EXERCISE = 256, OPT_VIEW, OPT_CSV, OPT_JSON, OPT_HTML, OPT_OUT, OPT_KP, OPT_RATE };
    static const struct option longopts[] = {
        {"exercise", required_argument, NULL, OPT_EXERCISE},
        {"view", required_argument, NULL, OPT_VIEW},
        {"csv", required_argument, NULL, OPT_CSV},
        {"json", required_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"out", required_argument, NULL, OPT_OUT},
        {"keypoints-out", required_argument, NULL, OPT_KP},
        {"rate", required_argument, NULL, OPT_RATE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->rate_hz = fc_import_default_params().rate_hz;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_EXERCISE: {
            int e = fc_exercise_from_name(optarg);
            if (e < 0) {
                fprintf(stderr,
                        "formcheck analyze: unknown exercise '%s' (one of squat, "
                        "single-leg-squat-left, single-leg-squat-right, lunge, step-up, "
                        "single-leg-deadlift, glute-bridge, gait, auto)\n",
                        optarg);
                return -1;
            }
            o->exercise = e;
            break;
        }
        case OPT_VIEW: {
            int v = fc_view_from_name(optarg);
            if (v < 0) {
                fprintf(stderr, "formcheck analyze: unknown view '%s' (front, side or auto)\n",
                        optarg);
                return -1;
            }
            o->view = v;
            break;
        }
        case OPT_CSV: o->csv = optarg; break;
        case OPT_JSON: o->json = optarg; break;
        case OPT_HTML: o->html = optarg; break;
        case OPT_OUT: o->out_dir = optarg; break;
        case OPT_KP: o->keypoints_out = optarg; break;
        case OPT_RATE: {
            char *end;
            o->rate_hz = strtod(optarg, &end);
            if (*end || !(o->rate_hz > 0 && o->rate_hz < 100000)) {
                fprintf(stderr, "formcheck analyze: --rate needs frames per second, got '%s'\n",
                        optarg);
                return -1;
            }
            break;
        }
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
    if (o->html) {
        fprintf(stderr, "formcheck analyze: --html: the HTML report is not part of this "
                        "version yet (use --csv and --json)\n");
        return -1;
    }
    return 0;
}

/* "dir/walk.c3d" -> "walk" */
static void input_stem(const char *input, char *stem, size_t len)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", input);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = 0;
    snprintf(stem, len, "%s", basename(copy));
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = 0;
}

static int make_dir(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* A stored pelvis-angle "point" (Plug-in Gait / CGM write angles as points
 * whose x, y, z are tilt, obliquity, rotation in degrees). */
static struct fc_pelvis_angles *c3d_reference_angles(const struct fc_c3d *c3d, const char **label)
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
    *label = "LPelvisAngles stored in the file";
    return ref;
}

int fc_cli_analyze(int argc, char **argv)
{
    struct analyze_opts o;
    int prc = parse(argc, argv, &o);
    if (prc != 0)
        return prc > 0 ? FC_EXIT_OK : FC_EXIT_USAGE;

    struct fc_error err = {0};
    struct fc_pose_track track;
    fc_pose_track_init(&track, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    struct fc_pelvis_angles *pelvis = NULL, *reference = NULL;
    const char *reference_label = NULL;
    char csv_path[4096], json_path[4096];
    const char *written[3];
    int n_written = 0, status = FC_EXIT_INPUT;

    enum fc_input_kind kind = fc_input_detect(o.input, &err);
    if (kind == FC_INPUT_UNKNOWN)
        goto fail;
    if (kind == FC_INPUT_C3D) {
        struct fc_c3d c3d;
        if (fc_c3d_read(o.input, &c3d, &err) < 0)
            goto fail;
        int rc = fc_c3d_to_track(&c3d, &track, &err);
        if (rc == 0)
            reference = c3d_reference_angles(&c3d, &reference_label);
        fc_c3d_free(&c3d);
        if (rc < 0) {
            /* the track builder knows the markers, not the file name */
            char msg[FC_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err.msg);
            fc_error_set(&err, rc, "%s: %s", o.input, msg);
            goto fail;
        }
    } else {
        struct fc_import_params ip = fc_import_default_params();
        ip.rate_hz = o.rate_hz;
        if (fc_import_any(o.input, &ip, &track, &err) < 0)
            goto fail;
    }

    if (track.dims == 3 && track.units == FC_UNITS_MM) {
        pelvis = malloc(track.n_frames * sizeof *pelvis);
        struct fc_error perr = {0};
        if (!pelvis || fc_pelvis_track_angles(&track, NULL, pelvis, NULL, &perr) < 0) {
            fprintf(stderr, "formcheck: %s: pelvis angles not measurable: %s\n", o.input,
                    pelvis ? perr.msg : "out of memory");
            free(pelvis);
            pelvis = NULL;
        }
    }
    if (!pelvis) {
        free(reference);
        reference = NULL;
    }

    struct fc_summary s = {
        .input_path = o.input,
        .input_kind = fc_input_kind_name(kind),
        .exercise = o.exercise,
        .view = o.view,
        .track = &track,
        .pelvis = pelvis,
        .reference = reference,
        .reference_label = reference_label,
    };
    fc_summary_compute(&s);

    if (o.out_dir) {
        char stem[1024];
        input_stem(o.input, stem, sizeof stem);
        if (make_dir(o.out_dir) != 0) {
            fc_error_set(&err, FC_ERR_IO, "%s: cannot create output folder: %s", o.out_dir,
                         strerror(errno));
            status = FC_EXIT_OUTPUT;
            goto fail;
        }
        if (!o.csv) {
            snprintf(csv_path, sizeof csv_path, "%s/%s.csv", o.out_dir, stem);
            o.csv = csv_path;
        }
        if (!o.json) {
            snprintf(json_path, sizeof json_path, "%s/%s.json", o.out_dir, stem);
            o.json = json_path;
        }
    }

    /* Outputs are each atomic; if a later one fails, earlier ones are
     * removed so that a failed run leaves nothing behind. */
    status = FC_EXIT_OUTPUT;
    if (o.csv) {
        if (fc_report_frames_csv(o.csv, &s, &err) < 0)
            goto fail;
        written[n_written++] = o.csv;
    }
    if (o.json) {
        if (fc_report_summary_json(o.json, &s, &err) < 0)
            goto fail;
        written[n_written++] = o.json;
    }
    if (o.keypoints_out) {
        if (fc_write_keypoint_csv(o.keypoints_out, &track, &err) < 0)
            goto fail;
        written[n_written++] = o.keypoints_out;
    }

    fc_report_summary_text(stdout, &s);
    for (int i = 0; i < n_written; i++)
        printf("wrote %s\n", written[i]);
    free(pelvis);
    free(reference);
    fc_pose_track_free(&track);
    return FC_EXIT_OK;

fail:
    for (int i = 0; i < n_written; i++)
        unlink(written[i]);
    fprintf(stderr, "formcheck: %s\n", err.msg[0] ? err.msg : "analysis failed");
    free(pelvis);
    free(reference);
    fc_pose_track_free(&track);
    return status;
}
