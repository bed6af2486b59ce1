/*
 * access_log.h - the log on standard output: one line per answered request
 * and one per webhook attempt, as text or as one JSON object a line
 * (--log-format json), so `impmock --log-format json | jq` reads every line
 * (the start-up banner and warnings go to standard error).
 *
 *   request: wall-clock time (RFC 3339, UTC, milliseconds), impmock's clock
 *     when it is more than a second away from it, the client's address, the
 *     tenant (imp_key), method and path, HTTP status, the envelope's code
 *     and, for a refusal, its error name (a refusal answered with HTTP 200
 *     and code 1 shows as one), bytes and latency;
 *   webhook: "webhook → URL status, latency, attempt n", failures with what
 *     went wrong (no answer, a 5xx, dropped by a scenario).
 *
 * Text lines escape what could break or forge a line; JSON lines carry
 * "kind": "request" or "webhook".
 * Thread-safety: a line is written with one call; callable from any thread
 * once access_log_start has run.
 */
#ifndef IMPMOCK_ACCESS_LOG_H
#define IMPMOCK_ACCESS_LOG_H

#include "http/api.h"
#include "infra/webhook_journal.h"

#include <stdbool.h>

/* Call once before any line: s names the tenants (borrowed until the
 * program ends); json chooses the JSON lines. */
void access_log_start(struct store *s, bool json);
/* One request, answered in ms milliseconds. */
void access_log_write(const struct req *r, double ms);
/* One webhook attempt (webhook_opts.on_attempt). */
void access_log_webhook(const struct webhook_attempt *a);

#endif
