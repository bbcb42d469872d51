/* formcheck: the overhead squat as the movement screens clinicians use read
 * it: the NASM overhead squat assessment's checklist of compensations and
 * the FMS deep squat score. Both come from the graded session: each item is
 * seen, not seen, or not measurable from this recording (with the reason:
 * the view, or keypoints the pose model does not give).
 *
 *     struct fc_screen s;
 *     if (fc_screen_assess(analysis, grade, thresholds, &s)) {
 *         for (size_t i = 0; i < s.n_nasm; i++)
 *             printf("%s: %s\n", s.nasm[i].name, fc_screen_state_name(s.nasm[i].state));
 *         printf("FMS deep squat: %s\n", s.fms_text);
 *     }
 *
 * NASM (Clark & Lucett, NASM Essentials of Corrective Exercise Training,
 * 2011): feet turn out, knees move in, excessive forward lean, low back
 * arches, arms fall forward, asymmetric weight shift, heels rise; depth is
 * listed with them. An item is "seen" when grading found the compensation
 * (a watch or fault finding on its measurements, each beyond its
 * uncertainty).
 *
 * FMS deep squat (Cook, Burton & Hoogenboom 2006, N Am J Sports Phys Ther
 * 1(2):62-72): 3 when the upper torso is parallel with the tibia or toward
 * vertical, the femur below horizontal, the knees aligned over the feet and
 * the dowel over the feet; 2 when that is reached only with the heels raised
 * on a board; 1 when not even then; 0 with pain. The best rep counts (the
 * screen allows three tries). Each criterion is read per rep: not met when
 * the rep's value is past the criterion's level by more than its
 * uncertainty, met otherwise; the torso and femur levels are the criteria's
 * own definitions (0 deg), the knees' and the dowel's the threshold table's
 * (knee_medial_squat's watch level, hands_over_feet_overhead_squat's fault
 * level). One camera sees either the front or the side, so a single
 * recording leaves some criteria not measurable: the score is then given
 * as what the measurable criteria allow.
 */
#ifndef FC_REPORT_SCREEN_H
#define FC_REPORT_SCREEN_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "report/grade.h"
#include "report/thresholds.h"

enum fc_screen_state {
    FC_SCREEN_NOT_MEASURABLE, /* reason in detail */
    FC_SCREEN_NOT_SEEN,       /* measured, the compensation absent (FMS: criterion met) */
    FC_SCREEN_SEEN,           /* the compensation found (FMS: criterion not met) */
};

struct fc_screen_item {
    const char *name; /* "knees move in" */
    enum fc_screen_state state;
    char detail[560]; /* the finding that decided, the value, or why not measurable */
};

#define FC_SCREEN_NASM_ITEMS 8
#define FC_SCREEN_FMS_CRITERIA 4

struct fc_screen {
    size_t n_nasm;
    struct fc_screen_item nasm[FC_SCREEN_NASM_ITEMS];
    /* FMS criteria as met in the best rep (the rep meeting the most
     * measurable criteria): state NOT_SEEN = met, SEEN = not met. */
    struct fc_screen_item fms[FC_SCREEN_FMS_CRITERIA];
    int fms_best_rep;   /* fc_rep.index of that rep, -1 without reps */
    int fms_score_low;  /* the score's range from what was measurable: 3..3 all met */
    int fms_score_high; /* and measured; 1..2 one not met; 1..3 unknown */
    char fms_text[240]; /* "3 of 3 possible" ... in words */
};

/* Fills s for an overhead squat and returns 1; returns 0 (s untouched) for
 * any other exercise. g and th: the grading of a and its table. */
int fc_screen_assess(const struct fc_analysis *a, const struct fc_grade *g,
                     const struct fc_thresholds *th, struct fc_screen *s);
/* "not measurable", "not seen", "seen" (FMS: "met" / "not met" by fms). */
const char *fc_screen_state_name(enum fc_screen_state st, int fms);

#endif
