/* formcheck synth: write the keypoints of a synthetic subject with known
 * form (import/synth.h) as keypoint CSV, to try the analyzer on, to test it,
 * or to show what a fault of a given size looks like. */
#include <getopt.h>
#include <math.h>
#include <stddef.h>
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
    "                       single-leg-deadlift (left stance), glute-bridge, gait,\n"
    "                       overhead-squat (arms held up in line with the trunk)\n"
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
    "  --arm-forward DEG    overhead squat: upper arms forward of the trunk line\n"
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

/* How an option's value is read and where it lands. The ranges of the
 * numbers are the generator's to check, so that the library and the program
 * say the same thing; the whole numbers are checked here, as they must fit
 * their field. */
enum synth_kind {
    SYNTH_OUT,      /* the file to write */
    SYNTH_EXERCISE, /* an exercise name, not auto */
    SYNTH_VIEW,     /* front or side */
    SYNTH_FACING,   /* left or right */
    SYNTH_INT,      /* a whole number from lo to hi, into an int */
    SYNTH_UNSIGNED, /* a whole number from lo to hi, into an unsigned */
    SYNTH_NUMBER,   /* a finite number, into a double */
};

struct synth_option {
    const char *name; /* --name */
    enum synth_kind kind;
    size_t offset; /* of the field in struct fc_synth_params (INT, UNSIGNED, NUMBER) */
    long lo, hi;   /* INT and UNSIGNED */
};

#define PARAM(field) offsetof(struct fc_synth_params, field)

/* In the order of the usage text. */
static const struct synth_option synth_options[] = {
    {"out", SYNTH_OUT, 0, 0, 0},
    {"exercise", SYNTH_EXERCISE, 0, 0, 0},
    {"view", SYNTH_VIEW, 0, 0, 0},
    {"facing", SYNTH_FACING, 0, 0, 0},
    {"reps", SYNTH_INT, PARAM(reps), 1, 100000},
    {"rep-seconds", SYNTH_NUMBER, PARAM(rep_s), 0, 0},
    {"pause-seconds", SYNTH_NUMBER, PARAM(pause_s), 0, 0},
    {"standing-seconds", SYNTH_NUMBER, PARAM(standing_s), 0, 0},
    {"rate", SYNTH_NUMBER, PARAM(rate_hz), 0, 0},
    {"width", SYNTH_INT, PARAM(width), 16, 100000},
    {"height", SYNTH_INT, PARAM(height), 16, 100000},
    {"subject-height", SYNTH_NUMBER, PARAM(subject_height_px), 0, 0},
    {"noise", SYNTH_NUMBER, PARAM(noise_px), 0, 0},
    {"drop", SYNTH_NUMBER, PARAM(drop_fraction), 0, 0},
    {"roll", SYNTH_NUMBER, PARAM(camera_roll_deg), 0, 0},
    {"seed", SYNTH_UNSIGNED, PARAM(seed), 0, 4294967295L},
    {"hip-drop", SYNTH_NUMBER, PARAM(faults.hip_drop_deg), 0, 0},
    {"obliquity", SYNTH_NUMBER, PARAM(faults.pelvic_obliquity_deg), 0, 0},
    {"fppa-left", SYNTH_NUMBER, PARAM(faults.fppa_deg[FC_SIDE_LEFT]), 0, 0},
    {"fppa-right", SYNTH_NUMBER, PARAM(faults.fppa_deg[FC_SIDE_RIGHT]), 0, 0},
    {"trunk-lean", SYNTH_NUMBER, PARAM(faults.trunk_lean_lateral_deg), 0, 0},
    {"shift", SYNTH_NUMBER, PARAM(faults.lateral_shift_pct), 0, 0},
    {"knee-flexion", SYNTH_NUMBER, PARAM(faults.knee_flexion_deg), 0, 0},
    {"forward-lean", SYNTH_NUMBER, PARAM(faults.trunk_forward_lean_deg), 0, 0},
    {"knee-travel", SYNTH_NUMBER, PARAM(faults.knee_travel_pct), 0, 0},
    {"arm-forward", SYNTH_NUMBER, PARAM(faults.arm_forward_deg), 0, 0},
};

#define N_SYNTH_OPTIONS (sizeof synth_options / sizeof synth_options[0])

/* getopt_long's value for synth_options[i]: above every short option's. */
#define SYNTH_OPTION_VAL 256

/* Sets what opt says from arg. 0, or -1 with a message. */
static int set_option(const struct synth_option *opt, const char *arg, struct fc_synth_params *p,
                      const char **out)
{
    char *field = (char *)p + opt->offset;
    long n;
    switch (opt->kind) {
    case SYNTH_OUT: *out = arg; return 0;
    case SYNTH_EXERCISE: {
        int e = fc_exercise_from_name(arg);
        if (e <= FC_EXERCISE_AUTO) {
            fprintf(stderr,
                    "formcheck synth: --exercise '%s': synth needs one of squat, "
                    "single-leg-squat-left, single-leg-squat-right, lunge, step-up, "
                    "single-leg-deadlift, glute-bridge, gait (not auto)\n",
                    arg);
            return -1;
        }
        p->exercise = e;
        return 0;
    }
    case SYNTH_VIEW: {
        int v = fc_view_from_name(arg);
        if (v != FC_VIEW_FRONT && v != FC_VIEW_SIDE) {
            fprintf(stderr, "formcheck synth: --view '%s': front or side\n", arg);
            return -1;
        }
        p->view = v;
        return 0;
    }
    case SYNTH_FACING:
        if (strcmp(arg, "left") != 0 && strcmp(arg, "right") != 0) {
            fprintf(stderr, "formcheck synth: --facing '%s': left or right\n", arg);
            return -1;
        }
        p->facing_right = strcmp(arg, "right") == 0;
        return 0;
    case SYNTH_INT:
        if (whole_number(opt->name, arg, opt->lo, opt->hi, &n) < 0)
            return -1;
        *(int *)field = (int)n;
        return 0;
    case SYNTH_UNSIGNED:
        if (whole_number(opt->name, arg, opt->lo, opt->hi, &n) < 0)
            return -1;
        *(unsigned *)field = (unsigned)n;
        return 0;
    case SYNTH_NUMBER: return number(opt->name, arg, (double *)field);
    }
    return -1;
}

/* 0 to go on, 1 after --help, -1 on a usage error (message printed). */
static int parse(int argc, char **argv, struct fc_synth_params *p, const char **out)
{
    struct option longopts[N_SYNTH_OPTIONS + 2];
    for (size_t i = 0; i < N_SYNTH_OPTIONS; i++)
        longopts[i] = (struct option){synth_options[i].name, required_argument, NULL,
                                      SYNTH_OPTION_VAL + (int)i};
    longopts[N_SYNTH_OPTIONS] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[N_SYNTH_OPTIONS + 1] = (struct option){NULL, 0, NULL, 0};
    *p = fc_synth_default_params();
    *out = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(synth_usage, stdout);
            return 1;
        }
        if (c < SYNTH_OPTION_VAL || c >= SYNTH_OPTION_VAL + (int)N_SYNTH_OPTIONS) {
            fprintf(stderr, "formcheck synth: unknown or incomplete option '%s'\n%s",
                    argv[optind - 1], synth_usage);
            return -1;
        }
        if (set_option(&synth_options[c - SYNTH_OPTION_VAL], optarg, p, out) < 0)
            return -1;
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
        {"arms forward", "deg", f->arm_forward_deg},
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
