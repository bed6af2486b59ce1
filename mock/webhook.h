/*
 * webhook.h - notice_url deliveries ("결제 통지", reference §8): what is sent,
 * to which URLs, when; a queue drained by one worker thread over libcurl, so
 * no request thread ever waits on a merchant's server and nothing is sent
 * under the store lock; the retry policy on the virtual clock; the delivery
 * journal behind GET /__mock/webhooks; the scenario effects for deliveries
 * (drop, duplicate, delay, reorder, before/after the window's redirect).
 * Thread-safety: callable from any thread; the queue has its own mutex and
 * condition variable.
 */
#ifndef IMPMOCK_WEBHOOK_H
#define IMPMOCK_WEBHOOK_H

#include "model.h"
#include "store.h"

#include <stdbool.h>
#include <stdint.h>

/* Queues the webhook for payment p (as stored) with status "paid", "failed",
 * "ready" or "cancelled" (+ cancellation_id for cancels, else NULL). Targets:
 * p->notice_url (one URL or a JSON array of URLs) when set, else the
 * merchant's webhook_url from the fixtures; none -> nothing is sent. The body
 * is {imp_uid, merchant_uid, status[, cancellation_id]} as JSON or form per
 * the merchant's webhook_format. Returns a delivery id (0 when nothing was
 * queued) that webhook_wait can wait on. Never blocks on the network. */
uint64_t webhook_payment_event(struct store *s, int tid, const struct payment *p,
                               const char *status, const char *cancellation_id);

/* Waits (bounded by timeout_ms) until delivery id has had its first attempt
 * answered or failed; false on timeout. For the window's "webhook before
 * redirect" effect. */
bool webhook_wait(uint64_t id, int timeout_ms);

/* The window calls this once it has redirected or called back for imp_uid,
 * releasing deliveries held by the "after_redirect" effect. */
void webhook_redirected(int tid, const char *imp_uid);

#endif
