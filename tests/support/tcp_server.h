/* A one-connection TCP server on 127.0.0.1 in a thread of the test, for
 * network sources that misbehave: one that never sends, one that sends
 * garbage, one that stalls after part of a stream.
 *
 *     struct fc_test_server s = {.data = bytes, .len = n / 2};
 *     fc_test_server_start(&s, FC_SERVE_PREFIX);
 *     snprintf(url, sizeof url, "tcp://127.0.0.1:%d", s.port);
 *     ... open url ...
 *     fc_test_server_stop(&s);
 */
#ifndef FC_TESTS_TCP_SERVER_H
#define FC_TESTS_TCP_SERVER_H

#include <pthread.h>
#include <stddef.h>

enum fc_test_serve {
    FC_SERVE_NOTHING, /* accept, then send nothing (the connection stays open) */
    FC_SERVE_GARBAGE, /* 256 KiB of random bytes, then close */
    FC_SERVE_PREFIX,  /* data[0..len), then nothing (the connection stays open) */
};

struct fc_test_server {
    const char *data; /* FC_SERVE_PREFIX: what to send */
    size_t len;
    int port; /* set by fc_test_server_start */
    /* private */
    int listen_fd;
    enum fc_test_serve mode;
    pthread_t thread;
};

/* Listens on an ephemeral port of 127.0.0.1 and serves one client in a
 * thread; aborts the test on failure. */
void fc_test_server_start(struct fc_test_server *s, enum fc_test_serve mode);
/* Waits for the client to hang up (or for a minute at most), then stops. */
void fc_test_server_stop(struct fc_test_server *s);

#endif
