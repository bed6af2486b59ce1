/*
 * webhook_wire.h - a notice as it travels (reference §8): its body
 * {imp_uid, merchant_uid, status[, cancellation_id]} as JSON or as a form,
 * the URLs it goes to, and one POST of it over libcurl with the real
 * service's timeouts. No queue and no shared state: webhook.c decides when.
 * Thread-safety: pure functions; a CURL handle is used by one thread at a time.
 */
#ifndef IMPMOCK_WEBHOOK_WIRE_H
#define IMPMOCK_WEBHOOK_WIRE_H

#include "infra/webhook.h"

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* "application/json" or "application/x-www-form-urlencoded" (static; the
 * journal compares these pointers). */
const char *webhook_wire_content_type(bool form);
/* The body; owned (free()), NULL on OOM. cancellation_id may be NULL. */
char *webhook_wire_body(const char *imp_uid, const char *merchant_uid, const char *status,
                        const char *cancellation_id, bool form);
/* The URLs a payment's notice goes to: its notice_url (one URL, or a JSON
 * array of them) when set, else fallback (the merchant's webhook_url).
 * Owned strings in ret, at most WEBHOOK_URLS_MAX; returns how many. */
size_t webhook_wire_targets(const char *notice_url, const char *fallback,
                            char *ret[WEBHOOK_URLS_MAX]);
/* One POST of body to url with handle c, outside every lock. A first
 * delivery gets 10 s to connect and 30 s for the answer, a later attempt
 * 15 s in all; *abort (when it turns true) cuts the transfer short.
 * Returns the HTTP status, or 0 with an owned error text in *ret_error. */
long webhook_wire_post(CURL *c, const char *url, const char *body, bool form, bool first_delivery,
                       const atomic_bool *abort, char **ret_error);

#endif
