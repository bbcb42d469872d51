/* formcheck: low-confidence stretches. Untracked frames make a stretch,
 * from the first of them to the next tracked frame; stretches less than
 * LOWCONF_GAP_S apart are one (an occluded knee comes and goes), and one is
 * reported when it spans at least LOWCONF_MIN_S (analysis/tuning.h).
 * Internal to analysis/.
 *
 *     struct fc_lowconf lc;
 *     fc_lowconf_init(&lc);
 *     for (each frame) fc_lowconf_push(&lc, tracked, t_s);
 *     fc_lowconf_finish(&lc, t_last_s + dt_s);     // closes an open stretch
 *     // lc.n stretches in lc.s[], lc.total_s seconds in all
 */
#ifndef FC_ANALYSIS_LOWCONF_H
#define FC_ANALYSIS_LOWCONF_H

#include <stddef.h>

#include "analysis/analyzer.h"

struct fc_lowconf {
    int in_run, open; /* in an untracked run; a stretch not yet closed */
    double start, end;
    size_t n; /* the first FC_MAX_LOW_CONFIDENCE are kept */
    double total_s;
    struct fc_low_confidence s[FC_MAX_LOW_CONFIDENCE];
};

void fc_lowconf_init(struct fc_lowconf *lc);
void fc_lowconf_push(struct fc_lowconf *lc, int tracked, double t_s);
/* The session ends: an untracked run still going ends at t_end_s. */
void fc_lowconf_finish(struct fc_lowconf *lc, double t_end_s);

#endif
