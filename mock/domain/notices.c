/* notices.c - see notices.h. */
#include "domain/notices.h"

#include "infra/webhook.h"

#include <stdlib.h>

const char *notice_of_charge(enum billing_door door, enum pay_status status)
{
    if (door == BILLING_DOOR_ISSUE)
        return NULL;
    if (status == PAY_PAID)
        return "paid";
    /* a scheduled run reports its attempt either way (§7.5); elsewhere a
     * decline is an ordinary payment failure, which nobody hears about */
    if (status == PAY_FAILED && door == BILLING_DOOR_SCHEDULE)
        return "failed";
    return NULL;
}

uint64_t notice_charge(struct store *s, int tid, enum billing_door door, const struct payment *p)
{
    const char *status = notice_of_charge(door, p->status);
    return status ? notice_payment(s, tid, p, status, NULL) : 0;
}

const char *notice_of_vbank(enum notice_vbank_event ev)
{
    switch (ev) {
    case NOTICE_VBANK_ISSUED:
        return "ready";
    case NOTICE_VBANK_DEPOSITED:
        return "paid";
    case NOTICE_VBANK_CHANGED:
    case NOTICE_VBANK_REVOKED:
    case NOTICE_VBANK_EXPIRED:
        break;
    }
    return NULL;
}

uint64_t notice_vbank(struct store *s, int tid, enum notice_vbank_event ev, const struct payment *p)
{
    const char *status = notice_of_vbank(ev);
    return status ? notice_payment(s, tid, p, status, NULL) : 0;
}

uint64_t notice_trigger(struct store *s, int tid, const struct payment *p, enum pay_status status)
{
    const char *cancellation_id = NULL;
    if (status == PAY_CANCELLED && p->n_cancels > 0 &&
        p->cancels[p->n_cancels - 1].cancellation_id[0])
        cancellation_id = p->cancels[p->n_cancels - 1].cancellation_id;
    return notice_payment(s, tid, p, pay_status_name(status), cancellation_id);
}

uint64_t notice_payment(struct store *s, int tid, const struct payment *p, const char *status,
                        const char *cancellation_id)
{
    /* the key and the target only: every charge notifies, and the whole
     * merchant is several KiB to copy */
    char key[IMP_KEY_MAX + 1], url[URL_MAX + 1];
    bool form;
    if (!store_tenant_webhook(s, tid, key, url, &form))
        return 0;
    struct webhook_notice n = {
        .tid = tid,
        .imp_key = key,
        .fallback_url = url,
        .form = form,
        .payment = p,
        .status = status,
        .cancellation_id = cancellation_id,
    };
    return webhook_notify(&n);
}
