/*
 * guard.h - who may reach what. impmock runs next to a developer's browser,
 * so every request is screened before it is routed:
 *
 *   Host     only names of this server: IP addresses, localhost, this
 *            machine's name, --allowed-host names; else 421 (a page on a
 *            rebound DNS name reaches 127.0.0.1 with its own name as Host)
 *   family   CORS answer                    a page on another origin
 *   -------  -----------------------------  -------------------------------
 *   control  none, preflights refused       refused (403)
 *   REST     none; --cors-origin ones only  refused unless --cors-origin
 *   checkout Allow-Origin: *, and           served: merchant pages load
 *            Allow-Private-Network when     iamport.js and the window; the
 *            a preflight asks for it        window's calls need its key
 *
 * and a control call that changes state must say it is not a web form:
 * Content-Type: application/json, or a header X-Impmock or X-Admin-Token
 * (a page on another site can send neither without a preflight, which the
 * control API refuses).
 * Thread-safety: a guard is read-only once made; any worker may use it.
 */
#ifndef IMPMOCK_GUARD_H
#define IMPMOCK_GUARD_H

#include "http/api.h"

#include <stdbool.h>
#include <stddef.h>

struct mg_connection;

struct guard;

/* A guard for a server listening on listen_host, answering also the Host
 * names in allowed_hosts ("*" = any) and serving REST answers to the pages
 * of cors_origins ("*" = any). The lists are copied. NULL when out of memory. */
struct guard *guard_new(const char *listen_host, const char *const *allowed_hosts,
                        size_t n_allowed_hosts, const char *const *cors_origins,
                        size_t n_cors_origins);
void guard_free(struct guard *g);

/* Whether a Host header value (NULL = none sent) names this server, with a
 * port or without. */
bool guard_host_allowed(const struct guard *g, const char *host);
/* Whether an Origin header value is the origin the Host header names. */
bool guard_same_origin(const char *origin, const char *host);

/* Screens r once it is routed (r->route, NULL when no route has its method), before
 * a miss is answered: the Host check, the answer to a CORS preflight
 * (OPTIONS), the refusal of other origins, and r->cors for the answer.
 * false when r->reply holds the answer already (a refusal or a preflight's). */
bool guard_admit(const struct guard *g, struct mg_connection *conn, struct req *r);
/* After routing: a control call that changes state without a JSON body or
 * an X-Impmock / X-Admin-Token header is refused; false with it rendered. */
bool guard_control_call(struct mg_connection *conn, struct req *r);

#endif
