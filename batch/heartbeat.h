/* formcheck batch: keeping a claim's lease alive while its recording runs.
 *
 * On a shared queue (PostgreSQL) a claim lasts lease_s seconds; a worker
 * whose machine dies stops renewing it and the recording is taken again by
 * another. A live worker renews it from a thread of its own, with its own
 * database connection (a libpq connection serves one thread), every third
 * of the lease, so that a recording may take longer than the lease.
 *
 *     struct fc_heartbeat *hb;
 *     fc_heartbeat_start(&hb, "postgresql://...", 60, &err);
 *     fc_heartbeat_watch(hb, claim.id, "host:123");   // renew while it runs
 *     ... fc_job_run ...
 *     fc_heartbeat_watch(hb, 0, NULL);                 // stop renewing
 *     fc_heartbeat_stop(hb);
 */
#ifndef FC_BATCH_HEARTBEAT_H
#define FC_BATCH_HEARTBEAT_H

#include <stdint.h>

#include "core/error.h"

struct fc_heartbeat;

int fc_heartbeat_start(struct fc_heartbeat **out, const char *db, double lease_s,
                       struct fc_error *err);
/* Renews recording id's lease for worker from now on; id 0 stops renewing. */
void fc_heartbeat_watch(struct fc_heartbeat *hb, int64_t id, const char *worker);
void fc_heartbeat_stop(struct fc_heartbeat *hb);

#endif
