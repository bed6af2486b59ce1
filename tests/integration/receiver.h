/*
 * receiver.h - a webhook receiver for tests: a plain-socket HTTP server on
 * 127.0.0.1, port 0, run by one thread of the test process. It records every
 * request (path, content type, body, arrival time) and answers each with the
 * next scripted status (200 once the script is spent), one request per
 * connection. Every wait is bounded. Built as the library `receiver`
 * (tests/meson.build); arrival times are now_ms() of tests/common/common.h.
 */
#ifndef IMPMOCK_TEST_RECEIVER_H
#define IMPMOCK_TEST_RECEIVER_H

#include <stdbool.h>
#include <stddef.h>

#define RX_MAX_MSGS   512
#define RX_SCRIPT_MAX 64

struct rx_msg {
    char method[8];
    char path[256];
    char ctype[128];
    char *body;   /* owned by the receiver (rx_get copies it) */
    double at_ms; /* now_ms() at arrival */
};

struct receiver;

/* Listens on 127.0.0.1:0; aborts the test program on failure. */
struct receiver *rx_start(void);
void rx_stop(struct receiver *rx);
int rx_port(const struct receiver *rx);
/* "http://127.0.0.1:PORT" + path into out. */
void rx_url(const struct receiver *rx, const char *path, char *out, size_t cap);
/* The statuses of the next answers, in order (e.g. 500, 200). */
void rx_script(struct receiver *rx, const int *statuses, size_t n);
/* Waits until at least n requests arrived or timeout_ms passed; returns the count. */
size_t rx_wait(struct receiver *rx, size_t n, int timeout_ms);
size_t rx_count(struct receiver *rx);
/* Copy of request i (body malloc'd: free it); false when there is none. */
bool rx_get(struct receiver *rx, size_t i, struct rx_msg *ret);
/* Forgets what was received. */
void rx_clear(struct receiver *rx);
/* A port nothing listens on (bound, then closed): connections are refused. */
int rx_refusing_port(void);

#endif
