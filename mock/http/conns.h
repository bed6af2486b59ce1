/*
 * conns.h - impmock's own record of each client connection, kept beside
 * civetweb's through its init_connection and connection_close callbacks and
 * mg_get_user_connection_data. civetweb 1.15 gives every connection one
 * worker thread from its first byte to its close; a record says when the
 * connection's current request began (for the body's deadline, request.c)
 * and whether civetweb answered it itself, and the registry counts the
 * connections the workers hold:
 *
 *   - deadline: a request must be in --request-timeout after the connection
 *     was taken up (its first request: civetweb's wait for the headers
 *     counts from there too) or after its headers ended (later requests,
 *     whose headers civetweb bounds by the keep-alive timeout);
 *   - give way: while every worker holds a connection, answers say
 *     "Connection: close", so each client that makes a request frees its
 *     worker for the clients waiting; idle keep-alive connections free theirs
 *     after the keep-alive timeout (--keep-alive-timeout).
 *
 * A record is used by the worker serving its connection only; the count is
 * shared. Nothing here touches a socket.
 */
#ifndef IMPMOCK_CONNS_H
#define IMPMOCK_CONNS_H

#include <stdbool.h>

struct conns;
struct conn; /* one client connection */

/* A registry for `workers` civetweb workers and requests of timeout_ms;
 * NULL when out of memory. */
struct conns *conns_new(int workers, int timeout_ms);
/* Call after civetweb has stopped. NULL is fine. */
void conns_free(struct conns *cs);

/* A worker took a new connection (civetweb's init_connection): its record,
 * NULL when out of memory (the connection is then served with the request
 * timeout counted from its handler). */
struct conn *conns_open(struct conns *cs);
/* civetweb is closing c (connection_close). NULL is fine. */
void conns_close(struct conns *cs, struct conn *c);

/* A request reached the handler. Returns the deadline of its body
 * (conns_now_ms time). */
double conns_begin(struct conns *cs, struct conn *c);
/* Whether the connection may stay open after its answer: not while every
 * worker holds a connection. */
bool conns_may_keep_alive(struct conns *cs);
/* c's answer is sent: a later request on it is timed from its headers. */
void conns_end(struct conn *c);

/* Whether civetweb answered c's current request itself (its http_error
 * callback); cleared by conns_begin. */
void conns_set_answered(struct conn *c);
bool conns_answered(const struct conn *c);

/* CLOCK_MONOTONIC in ms. */
double conns_now_ms(void);

#endif
