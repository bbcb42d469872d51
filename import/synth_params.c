/* formcheck import: the synthetic subject's parameters (import/synth.h):
 * the defaults, the fault-free form of each exercise, the session's timing,
 * and the checks fc_synth_generate makes before it draws anything. The
 * drawing itself is in import/synth.c. */
#include <math.h>

#include "import/synth.h"

/* ------------------------------------------------------------ parameters */

struct fc_synth_params fc_synth_default_params(void)
{
    struct fc_synth_params p = {
        .exercise = FC_EXERCISE_SQUAT,
        .view = FC_VIEW_FRONT,
        .facing_right = 1,
        .reps = 5,
        .rep_s = 2.0,
        .pause_s = 0.6,
        .standing_s = 1.5,
        .rate_hz = 30.0,
        .width = 1280,
        .height = 720,
        .subject_height_px = 500.0,
        .seed = 1,
    };
    p.faults.trunk_forward_lean_deg = -1.0;
    return p;
}

/* Fault-free peak knee flexion and trunk forward lean per exercise, and the
 * knee flexion range the generator can build. Typical values of healthy
 * adults doing the exercise to its usual depth; the bridge's is the top
 * position, gait's the swing knee of walking in place, the step-up's the
 * lead knee with the foot on the box. */
static const struct {
    double knee_deg, lean_deg, knee_min_deg, knee_max_deg;
} exercise_table[FC_EXERCISE_COUNT] = {
    [FC_EXERCISE_SQUAT] = {110, 35, 20, 150},
    [FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT] = {75, 25, 20, 150},
    [FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT] = {75, 25, 20, 150},
    [FC_EXERCISE_LUNGE] = {95, 10, 20, 150},
    [FC_EXERCISE_STEP_UP] = {70, 15, 20, 120},
    [FC_EXERCISE_SINGLE_LEG_DEADLIFT] = {20, 80, 0, 90},
    [FC_EXERCISE_GLUTE_BRIDGE] = {90, 0, 30, 150},
    [FC_EXERCISE_GAIT] = {60, 5, 10, 120},
    [FC_EXERCISE_OVERHEAD_SQUAT] = {120, 30, 20, 150},
};

double fc_synth_normal_knee_flexion_deg(enum fc_exercise e)
{
    return (unsigned)e < FC_EXERCISE_COUNT ? exercise_table[e].knee_deg : 0.0;
}

double fc_synth_normal_trunk_lean_deg(enum fc_exercise e)
{
    return (unsigned)e < FC_EXERCISE_COUNT ? exercise_table[e].lean_deg : 0.0;
}

size_t fc_synth_frame_count(const struct fc_synth_params *p)
{
    double n = p->rate_hz * (p->standing_s + p->reps * (p->rep_s + p->pause_s));
    return n > 0 && n < 1e12 ? (size_t)llround(n) : 0;
}

double fc_synth_rep_bottom_s(const struct fc_synth_params *p, int rep)
{
    return p->standing_s + rep * (p->rep_s + p->pause_s) + 0.5 * p->rep_s;
}

int fc_synth_rep_stance(const struct fc_synth_params *p, int rep)
{
    switch (p->exercise) {
    case FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT:
    case FC_EXERCISE_STEP_UP:
    case FC_EXERCISE_SINGLE_LEG_DEADLIFT: return FC_SIDE_LEFT;
    case FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT: return FC_SIDE_RIGHT;
    case FC_EXERCISE_GAIT: return rep >= 0 && rep % 2 ? FC_SIDE_RIGHT : FC_SIDE_LEFT;
    default: return -1;
    }
}

static int is_squat_like(enum fc_exercise e)
{
    return fc_exercise_bilateral_squat(e) || e == FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT ||
           e == FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT || e == FC_EXERCISE_LUNGE;
}

/* Written as !(x within range) so that NaN fails too. */
static int within(double x, double lo, double hi)
{
    return x >= lo && x <= hi;
}

/* The session: exercise, view, timing, image, subject and camera. */
static int check_session(const struct fc_synth_params *p, struct fc_error *err)
{
    if (p->exercise <= FC_EXERCISE_AUTO || p->exercise >= FC_EXERCISE_COUNT)
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: the exercise must be a concrete one (squat, "
                            "single-leg-squat-left, ..., gait), not auto");
    if (p->view != FC_VIEW_FRONT && p->view != FC_VIEW_SIDE)
        return fc_error_set(err, FC_ERR_ARG, "synth: the view must be front or side, not %s",
                            fc_view_name(p->view));
    if (p->reps < 1 || p->reps > 100000)
        return fc_error_set(err, FC_ERR_ARG, "synth: reps must be 1 to 100000, got %d", p->reps);
    if (!within(p->rate_hz, 1e-3, 100000))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: the frame rate must be > 0 and at most 100000 Hz, got %g",
                            p->rate_hz);
    if (!within(p->rep_s, 0, 3600) || p->rep_s * p->rate_hz < 4)
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: a rep must last at least 4 frames (and at most an hour), "
                            "got %g s at %g Hz",
                            p->rep_s, p->rate_hz);
    if (!within(p->pause_s, 0, 3600) || !within(p->standing_s, 0, 3600))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: standing and pause times must be 0 to 3600 s, got %g and %g",
                            p->standing_s, p->pause_s);
    double frames = p->rate_hz * (p->standing_s + p->reps * (p->rep_s + p->pause_s));
    if (frames > 1e7)
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: %.0f frames asked for; at most 10 million (fewer reps, a "
                            "lower rate or shorter reps)",
                            frames);
    if (p->width < 16 || p->height < 16 || p->width > 100000 || p->height > 100000)
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: the image must be 16 to 100000 px each way, got %d x %d",
                            p->width, p->height);
    if (!within(p->subject_height_px, 20, 1e6))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: the subject's height must be at least 20 px, got %g",
                            p->subject_height_px);
    if (!within(p->noise_px, 0, 0.1 * p->subject_height_px))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: noise must be 0 to a tenth of the subject's height (%g px), "
                            "got %g px",
                            0.1 * p->subject_height_px, p->noise_px);
    if (!(p->drop_fraction >= 0 && p->drop_fraction < 1))
        return fc_error_set(err, FC_ERR_ARG, "synth: the drop fraction must be 0 to < 1, got %g",
                            p->drop_fraction);
    if (!within(p->camera_roll_deg, -180, 180))
        return fc_error_set(err, FC_ERR_ARG, "synth: camera roll must be -180 to 180 deg, got %g",
                            p->camera_roll_deg);
    return 0;
}

/* Faults: sizes beyond these are not form, they are a different body. */
static int check_fault_sizes(const struct fc_synth_params *p, struct fc_error *err)
{
    const struct fc_synth_faults *f = &p->faults;
    const char *ex = fc_exercise_name(p->exercise);
    for (int s = 0; s < 2; s++)
        if (!within(f->fppa_deg[s], -45, 45))
            return fc_error_set(err, FC_ERR_ARG,
                                "synth: %s knee FPPA must be -45 to 45 deg, got %g",
                                s == FC_SIDE_LEFT ? "left" : "right", f->fppa_deg[s]);
    if (!within(f->hip_drop_deg, -30, 30))
        return fc_error_set(err, FC_ERR_ARG, "synth: hip drop must be -30 to 30 deg, got %g",
                            f->hip_drop_deg);
    if (!within(f->pelvic_obliquity_deg, -30, 30))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: pelvic obliquity must be -30 to 30 deg, got %g",
                            f->pelvic_obliquity_deg);
    if (!within(f->trunk_lean_lateral_deg, -45, 45))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: lateral trunk lean must be -45 to 45 deg, got %g",
                            f->trunk_lean_lateral_deg);
    if (!within(f->lateral_shift_pct, -100, 100))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: lateral shift must be -100 to 100 %% of hip width, got %g",
                            f->lateral_shift_pct);
    double kmin = exercise_table[p->exercise].knee_min_deg;
    double kmax = exercise_table[p->exercise].knee_max_deg;
    if (f->knee_flexion_deg != 0 && !within(f->knee_flexion_deg, kmin, kmax))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: %s knee flexion must be %g to %g deg (0 = the normal %g), "
                            "got %g",
                            ex, kmin, kmax, exercise_table[p->exercise].knee_deg,
                            f->knee_flexion_deg);
    if (!(f->trunk_forward_lean_deg < 0 || within(f->trunk_forward_lean_deg, 0, 90)))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: forward trunk lean must be 0 to 90 deg (< 0 = the normal), "
                            "got %g",
                            f->trunk_forward_lean_deg);
    if (!within(f->arm_forward_deg, -30, 90))
        return fc_error_set(err, FC_ERR_ARG, "synth: arms forward must be -30 to 90 deg, got %g",
                            f->arm_forward_deg);
    if (!within(f->knee_travel_pct, -60, 90))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: knee travel must be -60 to 90 %% of the shank, got %g",
                            f->knee_travel_pct);
    return 0;
}

/* Faults the exercise cannot show are refused rather than ignored, so a
 * test never believes it injected something that is not there. */
static int check_fault_fits(const struct fc_synth_params *p, struct fc_error *err)
{
    const struct fc_synth_faults *f = &p->faults;
    const char *ex = fc_exercise_name(p->exercise);
    if (f->hip_drop_deg != 0 && fc_synth_rep_stance(p, 0) < 0)
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: %s is two-legged, it has no unsupported side to drop; "
                            "use pelvic obliquity instead of hip drop",
                            ex);
    if (f->knee_travel_pct != 0 && !is_squat_like(p->exercise))
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: knee travel is a squat and lunge measure, not %s's", ex);
    if (f->arm_forward_deg != 0 && p->exercise != FC_EXERCISE_OVERHEAD_SQUAT)
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: arms forward is an overhead-squat measure, not %s's", ex);
    if (p->exercise == FC_EXERCISE_GLUTE_BRIDGE) {
        if (f->fppa_deg[0] != 0 || f->fppa_deg[1] != 0 || f->trunk_lean_lateral_deg != 0)
            return fc_error_set(err, FC_ERR_ARG,
                                "synth: glute-bridge is supine; knee FPPA and lateral trunk "
                                "lean need an upright body (use obliquity or lateral shift)");
        if (f->trunk_forward_lean_deg >= 0)
            return fc_error_set(err, FC_ERR_ARG,
                                "synth: glute-bridge is supine; forward trunk lean has no "
                                "meaning there (leave it < 0)");
    }
    return 0;
}

int fc_synth_check(const struct fc_synth_params *p, struct fc_error *err)
{
    int rc;
    if ((rc = check_session(p, err)) < 0 || (rc = check_fault_sizes(p, err)) < 0 ||
        (rc = check_fault_fits(p, err)) < 0)
        return rc;
    return 0;
}
