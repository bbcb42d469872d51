#define _GNU_SOURCE
#include "tcp_server.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* How long the server waits at most for the client (to connect, or to
 * hang up): longer than a client with a working timeout ever takes, so
 * only a hung client meets it, and the test's own timeout ends the test. */
#define SERVER_WAIT_MS 60000
/* Garbage: enough to outlast FFmpeg's first probe (2 KiB, growing). */
#define GARBAGE_CHUNKS 64
#define GARBAGE_CHUNK_BYTES 4096

static void send_garbage(int c)
{
    unsigned seed = 7;
    char buf[GARBAGE_CHUNK_BYTES];
    for (int k = 0; k < GARBAGE_CHUNKS; k++) {
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = (char)rand_r(&seed);
        if (send(c, buf, sizeof buf, MSG_NOSIGNAL) < 0)
            return;
    }
}

static void *serve(void *arg)
{
    struct fc_test_server *s = arg;
    struct pollfd pl = {.fd = s->listen_fd, .events = POLLIN};
    if (poll(&pl, 1, SERVER_WAIT_MS) <= 0)
        return NULL;
    int c = accept(s->listen_fd, NULL, NULL);
    if (c < 0)
        return NULL;
    if (s->mode == FC_SERVE_GARBAGE) {
        send_garbage(c);
        close(c);
        return NULL;
    }
    if (s->mode == FC_SERVE_PREFIX)
        (void)!send(c, s->data, s->len, MSG_NOSIGNAL);
    /* the stall: the connection stays open until the client hangs up */
    struct pollfd pc = {.fd = c, .events = POLLIN};
    char sink[256];
    while (poll(&pc, 1, SERVER_WAIT_MS) > 0 && recv(c, sink, sizeof sink, 0) > 0)
        ;
    close(c);
    return NULL;
}

void fc_test_server_start(struct fc_test_server *s, enum fc_test_serve mode)
{
    s->mode = mode;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(s->listen_fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(s->listen_fd, (struct sockaddr *)&a, sizeof a), 0, "%s", strerror(errno));
    cr_assert_eq(listen(s->listen_fd, 1), 0);
    socklen_t al = sizeof a;
    cr_assert_eq(getsockname(s->listen_fd, (struct sockaddr *)&a, &al), 0);
    s->port = ntohs(a.sin_port);
    cr_assert_eq(pthread_create(&s->thread, NULL, serve, s), 0);
}

void fc_test_server_stop(struct fc_test_server *s)
{
    shutdown(s->listen_fd, SHUT_RDWR); /* wakes a server still waiting for its client */
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
}
