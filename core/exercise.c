#include "core/exercise.h"

#include <string.h>

static const char *const exercise_names[FC_EXERCISE_COUNT] = {
    "auto",  "squat",          "single-leg-squat-left", "single-leg-squat-right",
    "lunge", "step-up",        "single-leg-deadlift",   "glute-bridge",
    "gait",  "overhead-squat",
};

static const char *const view_names[FC_VIEW_COUNT] = {"auto", "front", "side", "oblique"};

const char *fc_exercise_name(enum fc_exercise e)
{
    return (unsigned)e < FC_EXERCISE_COUNT ? exercise_names[e] : "unknown";
}

int fc_exercise_bilateral_squat(enum fc_exercise e)
{
    return e == FC_EXERCISE_SQUAT || e == FC_EXERCISE_OVERHEAD_SQUAT;
}

int fc_exercise_from_name(const char *name)
{
    for (int i = 0; i < FC_EXERCISE_COUNT; i++)
        if (strcmp(name, exercise_names[i]) == 0)
            return i;
    return -1;
}

const char *fc_view_name(enum fc_view v)
{
    return (unsigned)v < FC_VIEW_COUNT ? view_names[v] : "unknown";
}

int fc_view_from_name(const char *name)
{
    /* Oblique is something formcheck detects, not a view a user picks. */
    for (int i = 0; i < FC_VIEW_OBLIQUE; i++)
        if (strcmp(name, view_names[i]) == 0)
            return i;
    return -1;
}
