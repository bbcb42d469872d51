#include "batch/heartbeat.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch/store.h"

/* Renewals per lease: a renewal may be late by up to two thirds of the
 * lease (a slow server, a busy machine) before the claim lapses. */
#define RENEWALS_PER_LEASE 3

struct fc_heartbeat {
    struct fc_store *db;
    double lease_s;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int64_t id; /* 0: nothing to renew */
    char worker[256];
    int stop;
};

static void *beat(void *arg)
{
    struct fc_heartbeat *hb = arg;
    pthread_mutex_lock(&hb->lock);
    while (!hb->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        double step = hb->lease_s / RENEWALS_PER_LEASE;
        until.tv_sec += (time_t)step;
        until.tv_nsec += (long)((step - (double)(time_t)step) * 1e9);
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int rc = pthread_cond_timedwait(&hb->wake, &hb->lock, &until);
        if (rc == ETIMEDOUT && !hb->stop && hb->id) {
            /* a failed renewal is retried at the next beat; the claim
             * lapses only when beats keep failing for the whole lease */
            struct fc_error err = {0};
            fc_store_renew(hb->db, hb->id, hb->worker, &err);
        }
    }
    pthread_mutex_unlock(&hb->lock);
    return NULL;
}

int fc_heartbeat_start(struct fc_heartbeat **out, const char *db, double lease_s,
                       struct fc_error *err)
{
    *out = NULL;
    struct fc_heartbeat *hb = calloc(1, sizeof *hb);
    if (!hb)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
    hb->lease_s = lease_s;
    if (fc_store_open(&hb->db, db, 0, err) < 0) {
        free(hb);
        return err->code;
    }
    fc_store_set_lease(hb->db, lease_s);
    pthread_mutex_init(&hb->lock, NULL);
    pthread_cond_init(&hb->wake, NULL);
    if (pthread_create(&hb->thread, NULL, beat, hb) != 0) {
        fc_store_close(hb->db);
        free(hb);
        return fc_error_set(err, FC_ERR_NOMEM, "cannot start the lease's heartbeat thread");
    }
    *out = hb;
    return 0;
}

void fc_heartbeat_watch(struct fc_heartbeat *hb, int64_t id, const char *worker)
{
    if (!hb)
        return;
    pthread_mutex_lock(&hb->lock);
    hb->id = id;
    snprintf(hb->worker, sizeof hb->worker, "%s", worker ? worker : "");
    pthread_mutex_unlock(&hb->lock);
}

void fc_heartbeat_stop(struct fc_heartbeat *hb)
{
    if (!hb)
        return;
    pthread_mutex_lock(&hb->lock);
    hb->stop = 1;
    pthread_cond_signal(&hb->wake);
    pthread_mutex_unlock(&hb->lock);
    pthread_join(hb->thread, NULL);
    pthread_cond_destroy(&hb->wake);
    pthread_mutex_destroy(&hb->lock);
    fc_store_close(hb->db);
    free(hb);
}
