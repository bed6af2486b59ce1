/*
 * request.h - reading one request from civetweb into struct req: the body
 * within the size limit, the query and the body parsed into r->params (JSON
 * or form), the caller's credentials for the route's auth, and whether the
 * client keeps the connection open.
 */
#ifndef IMPMOCK_REQUEST_H
#define IMPMOCK_REQUEST_H

#include "http/api.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct mg_connection;
struct mg_request_info;

/* What request_read_body found. */
struct body_read {
    size_t len;
    bool too_large; /* longer than the limit */
    bool broken;    /* ended before its Content-Length, or bad chunked framing */
    bool late;      /* not all there by the deadline (broken is set too) */
};

/* Reads the whole body up to limit by deadline (conns_now_ms time); returns
 * a malloc'd buffer (NUL-terminated) or NULL, and what it found in *ret.
 * Never act on a broken body: "amount=10000" cut short is a valid
 * "amount=100". A body not all there at the deadline is cut off by the
 * first read that ends after it: within one wait for a byte (under
 * --request-timeout, after which civetweb gives up on a read) when the
 * client slowed down in its first 4 KiB or never sent fast, within 16 such
 * waits when it sent more than that fast and then slowed down (request.c). */
char *request_read_body(struct mg_connection *conn, long long declared, size_t limit,
                        double deadline, struct body_read *ret);
/* Parses the query string and the body into *ret_query and *ret_body (NULL
 * when absent), which r->params then borrows; false with the error rendered.
 * Either way the caller deletes both once r->params is no longer used. */
bool request_parse_params(struct req *r, struct mg_connection *conn, const char *query_string,
                          const char *body, size_t body_len, cJSON **ret_query, cJSON **ret_body);
/* Checks the credentials r->route asks for and sets r->tid; false with the
 * 401 rendered. */
bool request_authorize(struct req *r, struct mg_connection *conn);
/* Whether the connection stays open after the answer. */
bool request_keep_alive(struct mg_connection *conn, const struct mg_request_info *ri);

#endif
