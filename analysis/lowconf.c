/* formcheck: low-confidence stretches (analysis/lowconf.h). */
#include "analysis/lowconf.h"

#include <string.h>

#include "analysis/tuning.h"

void fc_lowconf_init(struct fc_lowconf *lc)
{
    memset(lc, 0, sizeof *lc);
}

/* Closes the pending stretch, recording it when long enough. */
static void lc_close(struct fc_lowconf *lc)
{
    double d = lc->end - lc->start;
    if (d >= LOWCONF_MIN_S) {
        lc->total_s += d;
        if (lc->n < FC_MAX_LOW_CONFIDENCE)
            lc->s[lc->n++] = (struct fc_low_confidence){lc->start, lc->end};
    }
    lc->open = 0;
}

void fc_lowconf_push(struct fc_lowconf *lc, int tracked, double t)
{
    if (!tracked) {
        if (!lc->in_run) {
            if (lc->open && t - lc->end >= LOWCONF_GAP_S)
                lc_close(lc);
            if (!lc->open) {
                lc->open = 1;
                lc->start = t;
            }
            lc->in_run = 1;
        }
        return;
    }
    if (lc->in_run) {
        lc->in_run = 0;
        lc->end = t;
    }
    if (lc->open && t - lc->end >= LOWCONF_GAP_S)
        lc_close(lc);
}

void fc_lowconf_finish(struct fc_lowconf *lc, double t_end)
{
    if (lc->in_run) {
        lc->end = t_end;
        lc->in_run = 0;
    }
    if (lc->open)
        lc_close(lc);
}
