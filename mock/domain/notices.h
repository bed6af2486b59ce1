/*
 * notices.h - the payment notices ("결제 통지", reference §8) the domain
 * sends when it changes a payment's status: which change notifies (the one
 * rule every door uses), which merchant settings apply (webhook_url,
 * webhook_format), handed to infra/webhook.c to deliver.
 * Who calls: the operation that finishes the change, once it is stored:
 * billing.c for again and onetime, schedule.c once a run is recorded on its
 * item, checkout.c for the window, cancel.c for POST /payments/cancel,
 * vbank.c for virtual accounts.
 * Thread-safety: callable from any thread, never under the store lock.
 */
#ifndef IMPMOCK_NOTICES_H
#define IMPMOCK_NOTICES_H

#include "base/model.h"
#include "domain/billing.h"
#include "state/store.h"

#include <stdint.h>

/* The notice a charge through `door` sends once it has left a payment in
 * `status` (reference §8): "paid" for an approval at every door, "failed"
 * only for a scheduled run (an ordinary decline notifies nobody); NULL when
 * it sends none (a key issuance through the API stores no payment). Pure. */
const char *notice_of_charge(enum billing_door door, enum pay_status status);

/* Queues notice_of_charge's notice of charged payment p (as stored), if any.
 * Returns the delivery id, 0 when nothing was queued. */
uint64_t notice_charge(struct store *s, int tid, enum billing_door door, const struct payment *p);

/* What happened to a virtual account (reference §17.5). */
enum notice_vbank_event {
    NOTICE_VBANK_ISSUED,    /* POST /vbanks */
    NOTICE_VBANK_DEPOSITED, /* the buyer paid it in */
    NOTICE_VBANK_CHANGED,   /* PUT /vbanks/{imp_uid} */
    NOTICE_VBANK_REVOKED,   /* DELETE /vbanks/{imp_uid} */
    NOTICE_VBANK_EXPIRED,   /* the clock passed vbank_date */
};

/* "ready" for an issuance and "paid" for a deposit (§8's trigger list: "가상계좌가
 * 발급되었을 때", "입금되었을 때"); NULL for a change, a revocation or an
 * expiry, which notify nobody (§17.3, §17.5). Pure. */
const char *notice_of_vbank(enum notice_vbank_event ev);

/* Queues notice_of_vbank's notice of virtual account p (as stored), if any.
 * Returns the delivery id, 0 when nothing was queued. */
uint64_t notice_vbank(struct store *s, int tid, enum notice_vbank_event ev,
                      const struct payment *p);

/* Sends the notice of payment p (as stored) again on request, as a status
 * change would, with `status` (the payment's own, or another to test a
 * handler with); a "cancelled" notice carries p's last cancellation_id.
 * Nothing about p changes. Who calls: the control API's
 * POST /__mock/webhooks/trigger. Returns the delivery id, 0 when nothing
 * was queued (p has no notice_url and the merchant no webhook_url). */
uint64_t notice_trigger(struct store *s, int tid, const struct payment *p, enum pay_status status);

/* Queues the notice of payment p (as stored) with status "paid", "failed",
 * "ready" or "cancelled" (+ cancellation_id for a cancel, else NULL) to
 * p->notice_url, else the merchant's webhook_url. Returns the delivery id,
 * 0 when nothing was queued. Never blocks on the network. */
uint64_t notice_payment(struct store *s, int tid, const struct payment *p, const char *status,
                        const char *cancellation_id);

#endif
