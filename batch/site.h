/* formcheck batch: a static site of a batch's database, that opens from
 * the file system (no server, no script, nothing fetched):
 *   index.html          every patient: sessions, the last one, its mean
 *                       score and the change from the session before
 *   patient-ID.html     the patient's sessions and the course of each
 *                       measure with change judged against the MDC
 *                       (batch/trend.h)
 *   session-ID.html     each recording of the session: status, grade,
 *                       reps, findings in plain words, or why it failed
 * Every link is relative, between these pages.
 *
 *     int pages;
 *     if (fc_site_write("out/formcheck.db", NULL, "out/site", &pages, &err) < 0) ...;
 */
#ifndef FC_BATCH_SITE_H
#define FC_BATCH_SITE_H

#include "core/error.h"

/* thresholds: the table whose reliability data judge change (NULL: built in). */
int fc_site_write(const char *db_path, const char *thresholds, const char *dir, int *pages,
                  struct fc_error *err);

#endif
