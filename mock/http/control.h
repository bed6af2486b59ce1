/*
 * control.h - how the control API (/__mock/) refuses: one shape and one
 * language for every refusal, whoever makes it (routing, the guard, body
 * parsing, credentials, a handler):
 *
 *     HTTP status, {"error": "English sentence", "code": "NAME"}
 *
 * NAME comes from the table below; where a row shares a name with the
 * i'mport error table (errors.h) it means the same thing. The REST API keeps
 * its envelope and Korean messages (docs/decisions.md says why the two
 * differ). control_refuse picks the shape by the request's route or path,
 * for the refusals made before a route's handler runs.
 * Thread-safety: pure rendering; callable from any worker.
 */
#ifndef IMPMOCK_CONTROL_H
#define IMPMOCK_CONTROL_H

#include "base/errors.h"
#include "http/api.h"
#include "http/params.h"
#include "http/reply.h"

/* Columns: name, HTTP status, message ("%s"s filled in order by details). */
/* clang-format off */
#define CONTROL_ERRORS(X)                                                                          \
    X(BAD_PARAM,              400, "%s")                                                           \
    X(BAD_JSON,               400, "the body is not one valid JSON object (check its syntax, "      \
                                   "duplicate keys, nesting depth and \\u0000 in strings)")        \
    X(BAD_FORM,               400, "the query string or form body cannot be read (a bad %XX "      \
                                   "escape, %00, invalid UTF-8, a bad [] index or too many fields)") \
    X(BAD_ENCODING,           400, "the body is not valid UTF-8")                                  \
    X(BAD_PATH_ENCODING,      400, "the path is not valid UTF-8")                                  \
    X(BODY_INCOMPLETE,        400, "the body ended before its Content-Length, or its chunked "     \
                                   "framing is bad")                                               \
    X(BAD_HTTP,               400, "the request is not well-formed HTTP: %s")                      \
    X(ID_CONTROL_CHAR,        400, "%s must not hold control characters (NUL, line breaks)")      \
    X(SCENARIO_INVALID,       400, "%s")                                                           \
    X(STATE_INVALID,          400, "%s")                                                           \
    X(ADMIN_TOKEN_REQUIRED,   401, "the control API needs the header X-Admin-Token "               \
                                   "(impmock runs with --admin-token)")                            \
    X(CROSS_ORIGIN,           403, "the control API takes no requests from web pages on other "    \
                                   "origins (Origin: %s)")                                         \
    X(CONTROL_HEADER_REQUIRED, 403, "a control call that changes state needs Content-Type: "       \
                                   "application/json or the header X-Impmock: 1 (e.g. curl -H "    \
                                   "'X-Impmock: 1'); a web page on another site can send neither " \
                                   "without a preflight, which the control API refuses")           \
    X(NO_ROUTE,               404, "no control endpoint at %s (GET /__mock/routes lists them)")    \
    X(TENANT_NOT_FOUND,       404, "no tenant has this imp_key")                                   \
    X(PAYMENT_NOT_FOUND,      404, "no payment has this imp_uid")                                  \
    X(SCENARIO_NOT_FOUND,     404, "no scenario has this name")                                    \
    X(DELIVERY_NOT_FOUND,     404, "no delivery with this id in the webhook journal")              \
    X(METHOD_NOT_ALLOWED,     405, "%s is not allowed here; the Allow header lists what is")       \
    X(VBANK_NOT_VBANK,        409, "the payment is not a virtual account")                         \
    X(VBANK_NOT_READY,        409, "the virtual account is not waiting for a deposit (status: %s)") \
    X(VBANK_EXPIRED,          409, "the virtual account is past its deadline (vbank_date)")        \
    X(VBANK_DEPOSIT_AMOUNT,   409, "a deposit must be the amount owed (%s KRW)")                   \
    X(NO_WEBHOOK_URL,         409, "the payment has no notice_url and its merchant no "           \
                                   "webhook_url: there is nowhere to send the notice")             \
    X(BODY_TIMEOUT,           408, "the request did not arrive whole within %s ms "               \
                                   "(--request-timeout)")                                          \
    X(BODY_TOO_LARGE,         413, "the body is larger than %s bytes (--body-limit)")              \
    X(HOST_NOT_ALLOWED,       421, "Host '%s' does not name this server: impmock answers IP "      \
                                   "addresses, localhost, this machine's name and --allowed-host " \
                                   "names (IMPMOCK_ALLOWED_HOST), so that a web page on a "        \
                                   "rebound DNS name cannot reach it")                             \
    X(TOO_MANY_HEADERS,       431, "too many request headers (at most %s)")                       \
    X(RESET_FAILED,           500, "%s")                                                           \
    X(INTERNAL,               500, "out of memory")
/* clang-format on */

enum control_err {
#define CONTROL_ENUM(name, http, msg) CONTROL_##name,
    CONTROL_ERRORS(CONTROL_ENUM)
#undef CONTROL_ENUM
        CONTROL__COUNT
};

const char *control_err_name(enum control_err e);
int control_err_http(enum control_err e);
/* The message template, "%s"s unfilled. */
const char *control_err_message(enum control_err e);

/* Renders e with its status; detail (may be NULL) fills its "%s". */
void control_fail(struct reply *rep, enum control_err e, const char *detail);
/* The failure a params read recorded, as BAD_PARAM in English. */
void control_fail_params(struct reply *rep, const struct params *p);
/* An outcome of the error table (a request-level refusal: routing, body,
 * parsing, the guard; or a domain refusal: a deposit the bank would send
 * back) in the control API's shape. */
void control_fail_mock(struct reply *rep, enum mock_err e, const char *detail);
/* Whether r is answered as the control API: its route's face, else (no
 * route yet) the face of its path; a path no route has is the REST API's. */
bool control_answers(const struct req *r);
/* A refusal made before a route's handler runs: the control API's shape
 * under /__mock/, the i'mport envelope elsewhere. */
void control_refuse(struct req *r, enum mock_err e, const char *detail);

#endif
