/*
 * server.h - the HTTP side's entry: civetweb lifecycle and the one catch-all
 * handler that takes a request through its steps: read it (request.c), find
 * its route (routes.c), check its credentials, let scenarios script it
 * (scripted.c) or run its handler, journal it, answer it (send.c) and log
 * it (access_log.c).
 */
#ifndef IMPMOCK_SERVER_H
#define IMPMOCK_SERVER_H

#include "http/app.h"

#include <stdbool.h>
#include <stddef.h>

struct server_opts {
    const char *host;                 /* "127.0.0.1", "::1", "0.0.0.0" */
    int port;                         /* 0 = any free port */
    int threads;                      /* civetweb workers; one per concurrent keep-alive client */
    int request_timeout_ms;           /* time a client has to send one request; 0 = 15000 */
    int keep_alive_timeout_ms;        /* how long an idle keep-alive connection is kept; 0 = 5000 */
    bool quiet;                       /* no access log */
    const char *const *allowed_hosts; /* Host names answered besides the built-in ones */
    size_t n_allowed_hosts;
    const char *const *cors_origins; /* origins whose pages may call the REST API */
    size_t n_cors_origins;
};

struct server;

/* Starts listening; NULL with a message in err. */
struct server *server_start(struct app *app, const struct server_opts *o, char *err, size_t errlen);
/* The port actually bound. */
int server_port(const struct server *srv);
/* Stops and joins every worker, then frees srv (NULL allowed). */
void server_stop(struct server *srv);

#endif
