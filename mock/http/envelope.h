/*
 * envelope.h - the one place that renders answers as JSON: the i'mport
 * envelope {code, message, response} with its HTTP status, and the plain
 * JSON of the control API. Functions that take a cJSON tree take ownership.
 * If memory runs out, a 500 envelope rendered at compile time is sent.
 */
#ifndef IMPMOCK_ENVELOPE_H
#define IMPMOCK_ENVELOPE_H

#include "base/errors.h"
#include "http/params.h"
#include "http/reply.h"

#include <cjson/cJSON.h>

/* What a successful envelope starts with; "}" ends it. */
#define ENVELOPE_OK_HEAD "{\"code\":0,\"message\":null,\"response\":"

/* code 0, message null, response (NULL renders null). http is 200 or 207.
 * The body is the worker's scratch (valid until its next answer). */
void envelope_ok(struct reply *r, int http, cJSON *response);
/* The same around a response already written as JSON text (len bytes). */
void envelope_ok_json(struct reply *r, int http, const char *json, size_t len);
/* The error with an explicit message text (for messages built elsewhere). */
void envelope_fail_msg(struct reply *r, enum mock_err e, const char *message);
/* The error's status, code and message; detail fills the message's "%s". */
void envelope_fail(struct reply *r, enum mock_err e, const char *detail);
/* The same with several details, filling the message's "%s"s in order. */
void envelope_fail_args(struct reply *r, enum mock_err e, const char *const *args, size_t n);
/* The failure a params read recorded: its row and details. */
void envelope_fail_params(struct reply *r, const struct params *p);
/* Plain JSON (control API), not the envelope. */
void envelope_plain(struct reply *r, int http, cJSON *body);

#endif
