/*
 * framing.h - what civetweb parses of a request but leaves its handler to
 * judge, judged in one place before a body is read or a route chosen: the
 * request target (a path only, decoded here), repeated and out-of-range
 * Content-Length headers, and a header count at civetweb's limit.
 *
 * What civetweb 1.15 hides from a handler, and what is done about it:
 *   - it keeps the first MG_MAX_HEADERS (64) headers and drops the rest
 *     unsaid, so 64 counted may mean more were sent: a request with 64
 *     headers or more is answered 431 (one fewer than the limit is fine);
 *   - it reads a Content-Length above 2^63-1 as 2^63-1: the header's own
 *     text is checked here instead;
 *   - a request whose target is absolute-form (http://host/path) for
 *     another host or port, or "*", never reaches a handler (civetweb
 *     closes the connection): server.c answers it from civetweb's
 *     connection_close callback with framing_unrouted_reply, and the ones
 *     civetweb does hand over are refused here the same way.
 * Pure: no I/O; callable from any thread.
 */
#ifndef IMPMOCK_FRAMING_H
#define IMPMOCK_FRAMING_H

#include "http/reply.h"

#include <stdbool.h>

struct mg_request_info;

/* false with the refusal in rep (400 for a target that is not a path or
 * Content-Length headers that disagree or are not a number up to 2^63-1,
 * 431 for too many headers), in the control API's shape when control is
 * set (http/control.h); the connection must then close. */
bool framing_check(const struct mg_request_info *ri, bool control, struct reply *rep);

/* The refusal of a target civetweb did not route (see above). */
void framing_unrouted_reply(struct reply *rep);

/* The path of a raw (undecoded) target, %XX decoded ("%zz" stays as sent);
 * owned, NULL when out of memory. When the decoded path would hold a
 * control character (a byte below 0x20, or 0x7f: %00 would even cut it
 * short), the raw path is returned as it came and *ret_control is set:
 * ids never hold one, and logs show what was sent. */
char *framing_path(const char *raw, bool *ret_control);

#endif
