/* formcheck synth: write the keypoints of a synthetic subject with known
 * form (import/synth.h) as keypoint CSV, to try the analyzer on, to test it,
 * or to show what a fault of a given size looks like. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/exercise.h"
#include "import/import.h"
#include "import/synth.h"

static const char synth_usage[] =
    "usage: formcheck synth [options] --out FILE\n"
    "\n"
    "Writes the COCO-17 keypoints (pixels) a pose model would see of a synthetic\n"
    "subject doing an exercise, with faults of known size at the bottom of every\n"
    "rep, as keypoint CSV. Sizes follow the analyzer's definitions exactly.\n"
    "\n"
    "options:\n"
    "  --out FILE           the keypoint CSV to write (required)\n"
    "  --exercise NAME      squat (default), single-leg-squat-left,\n"
    "                       single-leg-squat-right (named by the stance leg), lunge\n"
    "                       (left leg in front), step-up (left leg leads),\n"
    "                       single-leg-deadlift (left stance), glute-bridge, gait\n"
    "  --view VIEW          front (default) or side\n"
    "  --facing SIDE        side view: the subject faces image right (default) or left\n"
    "  --reps N             repetitions (5); gait: steps, stance left first\n"
    "  --rep-seconds S      one rep (2.0)\n"
    "  --pause-seconds S    standing after each rep (0.6)\n"
    "  --standing-seconds S standing before the first rep, the baseline (1.5)\n"
    "  --rate HZ            frames per second (30)\n"
    "  --width PX, --height PX   image size (1280 x 720)\n"
    "  --subject-height PX  the subject's standing height in the image (500)\n"
    "  --noise PX           Gaussian noise on every coordinate, sd (0)\n"
    "  --drop FRACTION      fraction of joint samples not seen (0)\n"
    "  --roll DEG           camera roll, counter-clockwise as seen (0)\n"
    "  --seed N             for noise and drops (1)\n"
    "faults, at the bottom of every rep (0 unless given):\n"
    "  --hip-drop DEG       the unsupported side's hip drops (single-leg work, gait)\n"
    "  --obliquity DEG      pelvic obliquity, left hip up + (two-legged work)\n"
    "  --fppa-left DEG, --fppa-right DEG   knee FPPA, valgus +\n"
    "  --trunk-lean DEG     lateral trunk lean, towards the subject's left +\n"
    "  --shift PCT          mid-hip moves left (+) by PCT % of hip width\n"
    "  --knee-flexion DEG   peak knee flexion (default: the exercise's normal)\n"
    "  --forward-lean DEG   peak forward trunk lean (default: the exercise's normal)\n"
    "  --knee-travel PCT    squat, lunge: knee past the toe, % of the shank\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 written, 2 bad command line (including faults the exercise\n"
    "cannot show or a body that does not fit the image), 3 the file could not be\n"
    "written.\n";

/* A number for option name, or -1 with a message. */
static int number(const char *name, const char *arg, double *v)
{
    char *end;
    *v = strtod(arg, &end);
    if (end == arg || *end || !isfinite(*v)) {
        fprintf(stderr, "formcheck synth: --%s needs a number, got '%s'\n", name, arg);
        return -1;
    }
    return 0;
}

static int whole_number(const char *name, const char *arg, long lo, long hi, long *v)
{
    char *end;
    *v = strtol(arg, &end, 10);
    if (end == arg || *end || *v < lo || *v > hi) {
        fprintf(stderr, "formcheck synth: --%s needs a whole number from %ld to %ld, got '%s'\n",
                name, lo, hi, arg);
        return -1;
    }
    return 0;
}

/* 0 to go on, 1 after --help, -1 on a usage error (message printed). */
static int parse(int argc, char **argv, struct fc_synth_params *p, const char **out)
{
    enum {
        OPT_OUT = 256,
        OPT_EXERCISE,
        OPT_VIEW,
        OPT_FACING,
        OPT_REPS,
        OPT_REP_S,
        OPT_PAUSE_S,
        OPT_STANDING_S,
        OPT_RATE,
        OPT_WIDTH,
        OPT_HEIGHT,
        OPT_SUBJECT,
        OPT_NOISE,
        OPT_DROP,
        OPT_ROLL,
        OPT_SEED,
        OPT_HIP_DROP,
        OPT_OBLIQUITY,
        OPT_FPPA_L,
        OPT_FPPA_R,
        OPT_LEAN,
        OPT_SHIFT,
        OPT_KNEE,
        OPT_FWD_LEAN,
        OPT_TRAVEL
    };
    static const struct option longopts[] = {
        {"out", required_argument, NULL, OPT_OUT},
        {"exercise", required_argument, NULL, OPT_EXERCISE},
        {"view", required_argument, NULL, OPT_VIEW},
        {"facing", required_argument, NULL, OPT_FACING},
        {"reps", required_argument, NULL, OPT_REPS},
        {"rep-seconds", required_argument, NULL, OPT_REP_S},
        {"pause-seconds", required_argument, NULL, OPT_PAUSE_S},
        {"standing-seconds", required_argument, NULL, OPT_STANDING_S},
        {"rate", required_argument, NULL, OPT_RATE},
        {"width", required_argument, NULL, OPT_WIDTH},
        {"height", required_argument, NULL, OPT_HEIGHT},
        {"subject-height", required_argument, NULL, OPT_SUBJECT},
        {"noise", required_argument, NULL, OPT_NOISE},
        {"drop", required_argument, NULL, OPT_DROP},
        {"roll", required_argument, NULL, OPT_ROLL},
        {"seed", required_argument, NULL, OPT_SEED},
        {"hip-drop", required_argument, NULL, OPT_HIP_DROP},
        {"obliquity", required_argument, NULL, OPT_OBLIQUITY},
        {"fppa-left", required_argument, NULL, OPT_FPPA_L},
        {"fppa-right", required_argument, NULL, OPT_FPPA_R},
        {"trunk-lean", required_argument, NULL, OPT_LEAN},
        {"shift", required_argument, NULL, OPT_SHIFT},
        {"knee-flexion", required_argument, NULL, OPT_KNEE},
        {"forward-lean", required_argument, NULL, OPT_FWD_LEAN},
        {"knee-travel", required_argument, NULL, OPT_TRAVEL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    /* Where each numeric option lands; the ranges are the generator's to
     * check, so that the library and the program say the same thing. */
    struct fc_synth_faults *f = &p->faults;
    double *const dest[] = {
        [OPT_REP_S - OPT_OUT] = &p->rep_s,
        [OPT_PAUSE_S - OPT_OUT] = &p->pause_s,
        [OPT_STANDING_S - OPT_OUT] = &p->standing_s,
        [OPT_RATE - OPT_OUT] = &p->rate_hz,
        [OPT_SUBJECT - OPT_OUT] = &p->subject_height_px,
        [OPT_NOISE - OPT_OUT] = &p->noise_px,
        [OPT_DROP - OPT_OUT] = &p->drop_fraction,
        [OPT_ROLL - OPT_OUT] = &p->camera_roll_deg,
        [OPT_HIP_DROP - OPT_OUT] = &f->hip_drop_deg,
        [OPT_OBLIQUITY - OPT_OUT] = &f->pelvic_obliquity_deg,
        [OPT_FPPA_L - OPT_OUT] = &f->fppa_deg[FC_SIDE_LEFT],
        [OPT_FPPA_R - OPT_OUT] = &f->fppa_deg[FC_SIDE_RIGHT],
        [OPT_LEAN - OPT_OUT] = &f->trunk_lean_lateral_deg,
        [OPT_SHIFT - OPT_OUT] = &f->lateral_shift_pct,
        [OPT_KNEE - OPT_OUT] = &f->knee_flexion_deg,
        [OPT_FWD_LEAN - OPT_OUT] = &f->trunk_forward_lean_deg,
        [OPT_TRAVEL - OPT_OUT] = &f->knee_travel_pct,
    };
    *p = fc_synth_default_params();
    *out = NULL;
    optind = 1;
    opterr = 0;
    int c, li;
    while ((c = getopt_long(argc, argv, "h", longopts, &li)) != -1) {
        long n;
        switch (c) {
        case OPT_OUT: *out = optarg; break;
        case OPT_EXERCISE: {
            int e = fc_exercise_from_name(optarg);
            if (e <= FC_EXERCISE_AUTO) {
                fprintf(stderr,
                        "formcheck synth: --exercise '%s': synth needs one of squat, "
                        "single-leg-squat-left, single-leg-squat-right, lunge, step-up, "
                        "single-leg-deadlift, glute-bridge, gait (not auto)\n",
                        optarg);
                return -1;
            }
            p->exercise = e;
            break;
        }
        case OPT_VIEW: {
            int v = fc_view_from_name(optarg);
            if (v != FC_VIEW_FRONT && v != FC_VIEW_SIDE) {
                fprintf(stderr, "formcheck synth: --view '%s': front or side\n", optarg);
                return -1;
            }
            p->view = v;
            break;
        }
        case OPT_FACING:
            if (strcmp(optarg, "left") != 0 && strcmp(optarg, "right") != 0) {
                fprintf(stderr, "formcheck synth: --facing '%s': left or right\n", optarg);
                return -1;
            }
            p->facing_right = strcmp(optarg, "right") == 0;
            break;
        case OPT_REPS:
            if (whole_number("reps", optarg, 1, 100000, &n) < 0)
                return -1;
            p->reps = (int)n;
            break;
        case OPT_WIDTH:
        case OPT_HEIGHT:
            if (whole_number(longopts[li].name, optarg, 16, 100000, &n) < 0)
                return -1;
            *(c == OPT_WIDTH ? &p->width : &p->height) = (int)n;
            break;
        case OPT_SEED:
            if (whole_number("seed", optarg, 0, 4294967295L, &n) < 0)
                return -1;
            p->seed = (unsigned)n;
            break;
        case 'h': fputs(synth_usage, stdout); return 1;
        default:
            if (c > OPT_OUT && c <= OPT_TRAVEL && dest[c - OPT_OUT]) {
                if (number(longopts[li].name, optarg, dest[c - OPT_OUT]) < 0)
                    return -1;
                break;
            }
            fprintf(stderr, "formcheck synth: unknown or incomplete option '%s'\n%s",
                    argv[optind - 1], synth_usage);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "formcheck synth: unexpected argument '%s' (the file goes after --out)\n",
                argv[optind]);
        return -1;
    }
    if (!*out) {
        fprintf(stderr, "formcheck synth: no --out FILE given\n%s", synth_usage);
        return -1;
    }
    return 0;
}

/* "hip drop 8 deg, left FPPA 15 deg" or "none" */
static void describe_faults(const struct fc_synth_params *p, char *buf, size_t len)
{
    const struct fc_synth_faults *f = &p->faults;
    const struct {
        const char *name, *unit;
        double v;
    } items[] = {
        {"hip drop", "deg", f->hip_drop_deg},
        {"obliquity", "deg", f->pelvic_obliquity_deg},
        {"left FPPA", "deg", f->fppa_deg[FC_SIDE_LEFT]},
        {"right FPPA", "deg", f->fppa_deg[FC_SIDE_RIGHT]},
        {"lateral trunk lean", "deg", f->trunk_lean_lateral_deg},
        {"lateral shift", "%", f->lateral_shift_pct},
        {"knee travel", "%", f->knee_travel_pct},
    };
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof items / sizeof items[0] && used < len; i++)
        if (items[i].v != 0)
            used += (size_t)snprintf(buf + used, len - used, "%s%s %g %s", used ? ", " : "",
                                     items[i].name, items[i].v, items[i].unit);
    if (used < len)
        snprintf(buf + used, len - used, "%sknee flexion %g deg%s, forward lean %g deg%s",
                 used ? ", " : "",
                 f->knee_flexion_deg != 0 ? f->knee_flexion_deg
                                          : fc_synth_normal_knee_flexion_deg(p->exercise),
                 f->knee_flexion_deg != 0 ? "" : " (normal)",
                 f->trunk_forward_lean_deg >= 0 ? f->trunk_forward_lean_deg
                                                : fc_synth_normal_trunk_lean_deg(p->exercise),
                 f->trunk_forward_lean_deg >= 0 ? "" : " (normal)");
}

int fc_cli_synth(int argc, char **argv)
{
    struct fc_synth_params p;
    const char *out;
    int prc = parse(argc, argv, &p, &out);
    if (prc != 0)
        return prc > 0 ? FC_EXIT_OK : FC_EXIT_USAGE;

    struct fc_error err = {0};
    struct fc_pose_track t;
    int rc = fc_synth_generate(&p, &t, &err);
    if (rc < 0) {
        /* Every generator refusal is about the parameters, i.e. the command line. */
        fprintf(stderr, "formcheck %s\n", err.msg);
        return rc == FC_ERR_ARG ? FC_EXIT_USAGE : FC_EXIT_INPUT;
    }
    if (fc_write_keypoint_csv(out, &t, &err) < 0) {
        fprintf(stderr, "formcheck synth: %s\n", err.msg);
        fc_pose_track_free(&t);
        return FC_EXIT_OUTPUT;
    }
    char faults[512];
    describe_faults(&p, faults, sizeof faults);
    printf("formcheck synth: wrote %s: %s, %s view%s, %d reps of %g s, %.2f s at %g Hz "
           "(%zu frames); %s; noise %g px, drop %g, roll %g deg, seed %u\n",
           out, fc_exercise_name(p.exercise), fc_view_name(p.view),
           p.view == FC_VIEW_SIDE ? (p.facing_right ? " facing right" : " facing left") : "",
           p.reps, p.rep_s, t.n_frames / p.rate_hz, p.rate_hz, t.n_frames, faults, p.noise_px,
           p.drop_fraction, p.camera_roll_deg, p.seed);
    fc_pose_track_free(&t);
    return FC_EXIT_OK;
}
