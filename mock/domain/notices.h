/*
 * notices.h - the payment notices ("결제 통지", reference §8) the domain
 * sends when it changes a payment's status: which merchant settings apply
 * (webhook_url, webhook_format), handed to infra/webhook.c to deliver.
 * Thread-safety: callable from any thread, never under the store lock.
 */
#ifndef IMPMOCK_NOTICES_H
#define IMPMOCK_NOTICES_H

#include "base/model.h"
#include "state/store.h"

#include <stdint.h>

/* Queues the notice of payment p (as stored) with status "paid", "failed",
 * "ready" or "cancelled" (+ cancellation_id for a cancel, else NULL) to
 * p->notice_url, else the merchant's webhook_url. Returns the delivery id,
 * 0 when nothing was queued. Never blocks on the network. */
uint64_t notice_payment(struct store *s, int tid, const struct payment *p, const char *status,
                        const char *cancellation_id);

#endif
