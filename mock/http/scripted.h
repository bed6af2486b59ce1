/*
 * scripted.h - the transport layer of scenarios: before a handler runs, asks
 * the engine about the call (its route's operation, tenant, fields from the
 * body, query and path) and applies what a rule scripts: an answer of its
 * own, a delay, an expired token, or a fault for send_answer to apply.
 */
#ifndef IMPMOCK_SCRIPTED_H
#define IMPMOCK_SCRIPTED_H

#include "http/api.h"

#include <stdbool.h>

/* true when a rule answered the call (the handler must not run); r->fault
 * and r->drip_ms tell send_answer what to do to the answer. */
bool scripted_answer(struct req *r);

#endif
