/*
 * conns.h - impmock's own record of each client connection, kept beside
 * civetweb's: its socket, whether a request is in a handler, since when it
 * has been idle. civetweb 1.15 gives every connection one worker thread from
 * its first byte to its close and has no way to interrupt one, so two limits
 * are enforced here, on the socket itself:
 *
 *   - deadline: a request body must have arrived --request-timeout after the
 *     connection was taken up (its first request) or after the headers
 *     ended (later ones); a watchdog thread shuts the socket's read side
 *     when the time is up, which ends civetweb's blocked read at once;
 *   - give way: when every worker is taken, the connection idle the
 *     longest between two requests is closed, and answers say
 *     "Connection: close" instead of keeping their worker, so a new client
 *     is served at once rather than after a keep-alive timeout.
 *
 * civetweb does not hand its socket to a handler: it is found once per
 * connection, as the descriptor whose two addresses are the request's. A
 * connection whose socket is not found, or that never sends a whole
 * request, is bounded by civetweb's own timeouts only.
 * Thread-safety: callable from any thread; one mutex inside, never held
 * across a call into civetweb.
 */
#ifndef IMPMOCK_CONNS_H
#define IMPMOCK_CONNS_H

#include <stdbool.h>

struct mg_request_info;

struct conns;
struct conn; /* one client connection */

/* A registry for `workers` civetweb workers and requests of timeout_ms;
 * starts the watchdog thread. NULL when it cannot. */
struct conns *conns_new(int workers, int timeout_ms);
/* Stops the watchdog; call after civetweb has stopped. NULL is fine. */
void conns_free(struct conns *cs);

/* A worker took a new connection (civetweb's init_connection): its record,
 * NULL when out of memory (the connection is then served unwatched). When
 * this took the last free worker, the connection idle the longest is closed. */
struct conn *conns_open(struct conns *cs);
/* civetweb is closing c (connection_close, before its socket is closed).
 * NULL is fine. */
void conns_close(struct conns *cs, struct conn *c);

/* A request reached the handler: c is busy, its socket looked up the first
 * time. Returns the deadline of its body (CLOCK_MONOTONIC ms). */
double conns_begin(struct conns *cs, struct conn *c, const struct mg_request_info *ri);
/* Cuts the reading side of c's socket at deadline unless conns_unwatch
 * comes first; conns_unwatch says whether it was cut. */
void conns_watch(struct conns *cs, struct conn *c, double deadline);
bool conns_unwatch(struct conns *cs, struct conn *c);
/* Whether the connection may stay open after its answer: not while every
 * worker is taken. */
bool conns_may_keep_alive(struct conns *cs);
/* c's answer is sent: c is idle from now until its next request. */
void conns_end(struct conns *cs, struct conn *c);

/* Whether civetweb answered c's current request itself (its http_error
 * callback); set and read by the worker serving c only, cleared by
 * conns_begin. */
void conns_set_answered(struct conn *c);
bool conns_answered(const struct conn *c);

/* CLOCK_MONOTONIC in ms. */
double conns_now_ms(void);

#endif
