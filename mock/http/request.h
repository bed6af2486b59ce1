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

/* Reads the whole body up to limit; returns a malloc'd buffer (NUL-terminated)
 * or NULL. *too_large is set when the body exceeds limit, *ret_broken when it
 * ended before its Content-Length or its chunked framing was bad (never act
 * on a cut body: "amount=10000" cut short is a valid "amount=100"). */
char *request_read_body(struct mg_connection *conn, long long declared, size_t limit,
                        size_t *ret_len, bool *too_large, bool *ret_broken);
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
