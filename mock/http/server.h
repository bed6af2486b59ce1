/*
 * server.h - the HTTP side: civetweb lifecycle, the route table dispatch,
 * request context (path parameters, query, body in JSON or form, tenant from
 * the access token), body limits, one-write responses with Content-Length,
 * keep-alive, and the access log. The only module that logs requests.
 */
#ifndef IMPMOCK_SERVER_H
#define IMPMOCK_SERVER_H

#include "http/app.h"

#include <stdbool.h>
#include <stddef.h>

struct server_opts {
    const char *host;       /* "127.0.0.1", "::1", "0.0.0.0" */
    int port;               /* 0 = any free port */
    int threads;            /* civetweb workers; one per concurrent keep-alive client */
    int request_timeout_ms; /* time a client has to send one request; 0 = 15000 */
    bool quiet;             /* no access log */
    bool log_json;          /* access log as JSON lines instead of text */
};

struct server;

/* Starts listening; NULL with a message in err. */
struct server *server_start(struct app *app, const struct server_opts *o, char *err, size_t errlen);
/* The port actually bound. */
int server_port(const struct server *srv);
/* Stops and joins every worker, then frees srv (NULL allowed). */
void server_stop(struct server *srv);

#endif
