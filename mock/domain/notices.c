/* notices.c - see notices.h. */
#include "domain/notices.h"

#include "infra/webhook.h"

#include <stdlib.h>

uint64_t notice_payment(struct store *s, int tid, const struct payment *p, const char *status,
                        const char *cancellation_id)
{
    struct merchant *m = malloc(sizeof *m); /* several KiB: not on a worker's small stack */
    if (!m || !store_tenant_merchant(s, tid, m)) {
        free(m);
        return 0;
    }
    struct webhook_notice n = {
        .tid = tid,
        .imp_key = m->imp_key,
        .fallback_url = m->webhook_url,
        .form = m->webhook_form,
        .payment = p,
        .status = status,
        .cancellation_id = cancellation_id,
    };
    uint64_t id = webhook_notify(&n);
    free(m);
    return id;
}
