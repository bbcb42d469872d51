/* formcheck: the exercises and camera views the analyzer knows.
 *
 * Names are the command line's (`--exercise single-leg-squat-left`); a
 * single-leg exercise is named by its stance leg. */
#ifndef FC_CORE_EXERCISE_H
#define FC_CORE_EXERCISE_H

enum fc_exercise {
    FC_EXERCISE_AUTO,
    FC_EXERCISE_SQUAT,
    FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT,
    FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT,
    FC_EXERCISE_LUNGE,
    FC_EXERCISE_STEP_UP,
    FC_EXERCISE_SINGLE_LEG_DEADLIFT,
    FC_EXERCISE_GLUTE_BRIDGE,
    FC_EXERCISE_GAIT,
    FC_EXERCISE_OVERHEAD_SQUAT, /* a two-legged squat with the arms held up overhead (a dowel
                                   in the hands): the NASM and FMS movement screen */
    FC_EXERCISE_COUNT
};

enum fc_view {
    FC_VIEW_AUTO,
    FC_VIEW_FRONT,
    FC_VIEW_SIDE,
    FC_VIEW_OBLIQUE, /* detected only; not a choice on the command line */
    FC_VIEW_COUNT
};

const char *fc_exercise_name(enum fc_exercise e);
/* 1 for the two-legged squats (plain and overhead): both feet planted side
 * by side, so the knees are judged against the feet. */
int fc_exercise_bilateral_squat(enum fc_exercise e);
/* -1 when name is not an exercise. */
int fc_exercise_from_name(const char *name);
const char *fc_view_name(enum fc_view v);
/* -1 when name is not front, side or auto. */
int fc_view_from_name(const char *name);

#endif
