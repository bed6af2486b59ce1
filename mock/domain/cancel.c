/* cancel.c - see cancel.h. */
#include "domain/cancel.h"

#include "domain/notices.h"
#include "infra/clock.h"
#include "state/ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

enum mock_err cancel_plan(enum pay_status status, const struct cancel_money *m,
                          const struct cancel_request *rq, struct cancel_plan *ret_plan,
                          int64_t *ret_limit)
{
    *ret_limit = 0;
    if (status == PAY_READY || status == PAY_FAILED)
        return MOCK_CANCEL_NOT_PAID;
    int64_t balance = m->amount - m->cancel_amount;
    if (status == PAY_CANCELLED || balance <= 0)
        return MOCK_CANCEL_ALREADY;
    /* seeded records may be inconsistent: never let the tax-free part exceed the balance */
    int64_t tax_free_balance = clamp(m->tax_free - m->cancel_tax_free, 0, balance);
    *ret_limit = balance;
    if (rq->has_checksum && rq->checksum != balance)
        return MOCK_CANCEL_CHECKSUM;
    int64_t amount = rq->amount == 0 ? balance : rq->amount;
    if (amount < 0 || amount > balance)
        return MOCK_CANCEL_OVER;
    bool full = amount == balance;
    int64_t tf_limit = tax_free_balance < amount ? tax_free_balance : amount;
    *ret_limit = tf_limit;
    if (rq->tax_free < 0 || rq->tax_free > tf_limit)
        return MOCK_CANCEL_TAX_FREE;
    int64_t tax_free = full ? tax_free_balance : rq->tax_free;
    int64_t taxable_balance = balance - tax_free_balance;
    *ret_limit = taxable_balance;
    if (amount - tax_free > taxable_balance)
        return MOCK_CANCEL_TAXABLE_OVER;
    *ret_limit = CANCEL_HISTORY_MAX;
    if (m->n_cancels >= CANCEL_HISTORY_MAX || (m->n_cancels + 1 == CANCEL_HISTORY_MAX && !full))
        return MOCK_CANCEL_HISTORY_FULL;
    *ret_limit = 0;
    ret_plan->balance = balance;
    ret_plan->amount = amount;
    ret_plan->tax_free = tax_free;
    ret_plan->full = full;
    return MOCK_OK;
}

bool cancel_apply(struct payment *p, const struct cancel_plan *plan, const char *reason,
                  const char *cancellation_id, int64_t now)
{
    struct cancel_entry e;
    memset(&e, 0, sizeof e);
    snprintf(e.pg_tid, sizeof e.pg_tid, "%s", p->pg_tid);
    snprintf(e.cancellation_id, sizeof e.cancellation_id, "%s", cancellation_id);
    e.amount = plan->amount;
    e.tax_free = plan->tax_free;
    e.cancelled_at = now;
    char *new_reason = NULL;
    if (!str_set(&e.reason, reason) || !str_set(&e.receipt_url, p->receipt_url) ||
        (reason && !str_set(&new_reason, reason)))
        goto oom;
    struct cancel_entry *grown = realloc(p->cancels, (p->n_cancels + 1) * sizeof *grown);
    if (!grown)
        goto oom;
    p->cancels = grown;
    p->cancels[p->n_cancels++] = e;
    p->cancel_amount += plan->amount;
    p->cancel_tax_free += plan->tax_free;
    p->cancelled_at = now;
    p->updated_at = now;
    if (reason) {
        free(p->cancel_reason);
        p->cancel_reason = new_reason;
    }
    if (plan->full)
        p->status = PAY_CANCELLED;
    return true;
oom:
    free(e.reason);
    free(e.receipt_url);
    free(new_reason);
    return false;
}

/* The payment a merchant_uid names: its paid payment, else (to say "already
 * cancelled") a cancelled one, else the newest attempt (to say "not paid"). */
static enum mock_err find_by_order(struct store *s, int tid, const char *merchant_uid,
                                   char ret_imp_uid[IMP_UID_MAX + 1])
{
    static const int preference[] = {PAY_PAID, PAY_CANCELLED, -1};
    for (size_t i = 0; i < sizeof preference / sizeof preference[0]; i++) {
        struct pay_query q = {
            .merchant_uid = merchant_uid,
            .status = preference[i],
            .sort = SORT_STARTED,
            .descending = true,
            .page = 1,
            .limit = 1,
        };
        struct pay_page pg;
        enum mock_err e = store_payment_query(s, tid, &q, &pg);
        if (e != MOCK_OK)
            return e;
        bool found = pg.n > 0;
        if (found)
            memcpy(ret_imp_uid, pg.items[0].imp_uid, IMP_UID_MAX + 1);
        store_page_free(&pg);
        if (found)
            return MOCK_OK;
    }
    return MOCK_CANCEL_NOT_FOUND;
}

enum mock_err cancel_payment(struct store *s, int tid, const struct cancel_args *a,
                             struct payment *ret_payment, char ret_detail[CANCEL_DETAIL_MAX])
{
    char imp_uid[IMP_UID_MAX + 1];
    ret_detail[0] = '\0';
    if (a->imp_uid && a->imp_uid[0]) {
        if (strlen(a->imp_uid) > IMP_UID_MAX)
            return MOCK_CANCEL_NOT_FOUND;
        memcpy(imp_uid, a->imp_uid, strlen(a->imp_uid) + 1);
    } else if (a->merchant_uid && a->merchant_uid[0]) {
        enum mock_err e = find_by_order(s, tid, a->merchant_uid, imp_uid);
        if (e != MOCK_OK)
            return e;
    } else {
        return MOCK_CANCEL_NO_UID;
    }
    char cancellation_id[CANCEL_ID_LEN + 1];
    ids_hex(cancellation_id, CANCEL_ID_LEN);
    /* Optimistic: read, decide, write back only if nobody changed it meanwhile.
     * A lost race re-reads, so a checksum or balance is judged on fresh money. */
    for (int attempt = 0; attempt < CANCEL_MAX_RETRIES; attempt++) {
        struct payment p;
        enum mock_err e = store_payment_get(s, tid, imp_uid, &p);
        if (e != MOCK_OK)
            return e == MOCK_PAYMENT_NOT_FOUND ? MOCK_CANCEL_NOT_FOUND : e;
        struct cancel_money m = {p.amount, p.cancel_amount, p.tax_free, p.cancel_tax_free,
                                 p.n_cancels};
        struct cancel_plan plan;
        int64_t limit = 0;
        char vbank_detail[VBANK_DETAIL_MAX] = "";
        bool revoke = strcmp(p.pay_method, "vbank") == 0 && p.status == PAY_READY;
        if (revoke) {
            vbank_revoke_apply(&p, clock_now()); /* no money to send back (reference §17.5) */
            e = MOCK_OK;
        } else {
            e = cancel_plan(p.status, &m, &a->rq, &plan, &limit);
            if (e == MOCK_OK)
                e = vbank_refund_check(&p, &a->refund, vbank_detail);
            if (e == MOCK_OK && !cancel_apply(&p, &plan, a->reason, cancellation_id, clock_now()))
                e = MOCK_INTERNAL;
        }
        if (e == MOCK_OK)
            e = store_payment_replace(s, tid, &p);
        if (e == MOCK_OK) {
            if (a->notify) /* after the store has it, outside its lock */
                notice_payment(s, tid, &p, "cancelled", revoke ? NULL : cancellation_id);
            *ret_payment = p; /* ownership moves to the caller */
            return MOCK_OK;
        }
        payment_fini(&p);
        if (e != MOCK_IN_PROGRESS) {
            if (vbank_detail[0])
                snprintf(ret_detail, CANCEL_DETAIL_MAX, "%.40s", vbank_detail);
            else
                snprintf(ret_detail, CANCEL_DETAIL_MAX, "%lld", (long long)limit);
            return e == MOCK_PAYMENT_NOT_FOUND ? MOCK_CANCEL_NOT_FOUND : e;
        }
    }
    return MOCK_CANCEL_CONFLICT;
}
