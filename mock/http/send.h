/*
 * send.h - writing an answer to the client: the one write of head and body
 * with Content-Length, and the faults scenarios script on the way out (a
 * body cut in half, a dripped body, no answer at all). The only writer of
 * answer bytes.
 */
#ifndef IMPMOCK_SEND_H
#define IMPMOCK_SEND_H

#include "http/api.h"
#include "http/reply.h"

#include <stdbool.h>

struct mg_connection;

/* Head and body of rep in one write (head only for HEAD). */
void send_reply(struct mg_connection *conn, const struct reply *rep, bool head_only,
                bool keep_alive);
/* r->reply as r->fault says: whole, cut in half, dripped, or nothing (the
 * connection then closes once the handler returns, and r->reply.status
 * becomes 499 for the log). */
void send_answer(struct mg_connection *conn, struct req *r, bool keep_alive);

#endif
