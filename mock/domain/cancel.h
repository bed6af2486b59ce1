/*
 * cancel.h - the rules of POST /payments/cancel (reference §3.7): which
 * payment a request names, how much of it may still be refunded (full,
 * partial, tax-free part, checksum), and applying one cancel atomically
 * against concurrent ones (optimistic retry on the store's version).
 * No HTTP and no JSON; cancel_plan is pure arithmetic.
 * Thread-safety: callable from any thread; state lives in the store.
 */
#ifndef IMPMOCK_CANCEL_H
#define IMPMOCK_CANCEL_H

#include "base/errors.h"
#include "base/model.h"
#include "domain/vbank.h"
#include "state/store.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- types ---- */

#define CANCEL_DETAIL_MAX  64 /* message detail: an amount in KRW, a bank code */
#define CANCEL_ID_LEN      24 /* cancellation_id: 24 lowercase hex characters */
#define CANCEL_MAX_RETRIES 64 /* replace attempts lost to concurrent cancels */
/* cancel_history entries one payment may have: every cancel rewrites and
 * answers the whole history, so an unbounded one makes each cancel (and each
 * lookup) slower than the last. The last entry allowed must take the whole
 * remaining balance, so a payment can always be refunded in full. The
 * reference names no limit; this one is impmock's (README, hardening). */
#define CANCEL_HISTORY_MAX 100

/* The money of a payment, all KRW. */
struct cancel_money {
    int64_t amount;          /* paid */
    int64_t cancel_amount;   /* cancelled so far */
    int64_t tax_free;        /* tax-free part of amount */
    int64_t cancel_tax_free; /* tax-free part cancelled so far */
    size_t n_cancels;        /* entries in cancel_history so far */
};

/* What the caller asks for. */
struct cancel_request {
    int64_t amount;    /* 0 = everything still cancellable (a full cancel) */
    int64_t tax_free;  /* tax-free part of this cancel (default 0) */
    bool has_checksum; /* false: no check */
    int64_t checksum;  /* caller's idea of the cancellable balance before this cancel */
};

/* What one cancel will do. */
struct cancel_plan {
    int64_t balance;  /* cancellable before this cancel */
    int64_t amount;   /* cancelled now */
    int64_t tax_free; /* of which tax-free */
    bool full;        /* nothing remains afterwards: status becomes cancelled */
};

/* A cancel request naming its payment; strings borrowed. */
struct cancel_args {
    const char *imp_uid;      /* wins when given (non-empty), even if merchant_uid is valid */
    const char *merchant_uid; /* else: the paid payment of this order */
    struct cancel_request rq;
    const char *reason; /* may be NULL */
    bool notify;        /* enable_webhook: send the "cancelled" notice (reference §3.7, §8) */
    struct vbank_refund refund; /* refund_*: where a paid virtual account's money goes back */
};

/* ---- pure rules ---- */

/* Checks rq against a payment in `status` holding money m. Refusals, in this
 * order: MOCK_CANCEL_NOT_PAID (ready/failed), MOCK_CANCEL_ALREADY (nothing
 * left), MOCK_CANCEL_CHECKSUM, MOCK_CANCEL_OVER, MOCK_CANCEL_TAX_FREE,
 * MOCK_CANCEL_TAXABLE_OVER, MOCK_CANCEL_HISTORY_FULL (the history would pass
 * CANCEL_HISTORY_MAX, or its last entry would leave a balance); *ret_limit
 * is then the amount the message names (the balance, the tax-free or the
 * taxable balance; CANCEL_HISTORY_MAX for the history). A cancel that empties the
 * balance also takes whatever tax-free part remains, so none is left over.
 * ret_plan is written only on MOCK_OK. */
enum mock_err cancel_plan(enum pay_status status, const struct cancel_money *m,
                          const struct cancel_request *rq, struct cancel_plan *ret_plan,
                          int64_t *ret_limit);

/* Applies plan to p: appends a cancel_history entry (pg_tid and receipt_url
 * of the payment), adds to the cancelled totals, sets cancelled_at,
 * updated_at and (when reason is given) cancel_reason, and the status when
 * full. false on OOM (p unchanged then). */
bool cancel_apply(struct payment *p, const struct cancel_plan *plan, const char *reason,
                  const char *cancellation_id, int64_t now);

/* ---- the operation ---- */

/* Cancels as a asks: MOCK_CANCEL_NO_UID when neither uid is given,
 * MOCK_CANCEL_NOT_FOUND for an unknown payment, cancel_plan's refusals (with
 * the amount in ret_detail), vbank_refund_check's for a paid virtual account
 * without its refund account (reference §17.5), MOCK_CANCEL_CONFLICT when
 * concurrent cancels kept winning the race. A virtual account still waiting
 * for its deposit is revoked instead (as DELETE /vbanks does: nothing to
 * refund). MOCK_OK with the updated payment (owned copy), after queuing the
 * "cancelled" notice when a->notify asks for it (an API cancel is silent
 * otherwise). */
enum mock_err cancel_payment(struct store *s, int tid, const struct cancel_args *a,
                             struct payment *ret_payment, char ret_detail[CANCEL_DETAIL_MAX]);

#endif
