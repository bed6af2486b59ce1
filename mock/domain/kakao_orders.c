/* kakao_orders.c - see kakao_orders.h. */
#include "domain/kakao_orders.h"

#include "infra/clock.h"

#include <stdlib.h>
#include <string.h>

#define KST_OFFSET (9 * 3600)
#define DAY        86400

/* The start of the text a payment window leaves when the buyer closes it (checkout.c). */
static const char quit_reason[] = "사용자가 결제를 취소";

bool kakao_orders_date(const char *s, int64_t *ret_day_start)
{
    if (!s || strlen(s) != 8)
        return false;
    for (int i = 0; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[4] - '0') * 10 + (s[5] - '0');
    int d = (s[6] - '0') * 10 + (s[7] - '0');
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > clock_days_in_month(y, m))
        return false;
    *ret_day_start = clock_days_from_civil(y, m, d) * DAY - KST_OFFSET;
    return true;
}

/* The CID to list: cid when it is one of the merchant's Kakao Pay CIDs, or
 * by default its one-time channel's (else its first Kakao Pay channel's). */
static enum mock_err pick_cid(const struct merchant *m, const char *cid, char *ret_cid)
{
    const struct channel *dflt = NULL;
    for (size_t i = 0; i < m->n_channels; i++) {
        const struct channel *c = &m->channels[i];
        if (strcmp(c->pg_provider, "kakaopay") != 0)
            continue;
        if (cid && strcmp(c->pg_id, cid) == 0) {
            memcpy(ret_cid, c->pg_id, sizeof c->pg_id);
            return MOCK_OK;
        }
        if (!dflt || (dflt->kind != CHANNEL_ONETIME && c->kind == CHANNEL_ONETIME))
            dflt = c;
    }
    if (!dflt)
        return MOCK_KAKAO_NO_CHANNEL;
    if (cid)
        return MOCK_KAKAO_UNKNOWN_CID;
    memcpy(ret_cid, dflt->pg_id, sizeof dflt->pg_id);
    return MOCK_OK;
}

static int newest_first(const void *a, const void *b)
{
    const struct payment *x = a, *y = b;
    if (x->started_at != y->started_at)
        return x->started_at < y->started_at ? 1 : -1;
    return strcmp(y->imp_uid, x->imp_uid);
}

enum mock_err kakao_orders_list(struct store *s, int tid, int64_t day_start, const char *cid,
                                size_t page, struct kakao_orders *ret)
{
    memset(ret, 0, sizeof *ret);
    struct merchant m;
    if (!store_tenant_merchant(s, tid, &m))
        return MOCK_INTERNAL;
    enum mock_err e = pick_cid(&m, cid, ret->cid);
    if (e != MOCK_OK)
        return e;
    struct pay_page all;
    e = store_payment_all(s, tid, &all);
    if (e != MOCK_OK)
        return e;
    /* keep the day's orders of the CID at the front, in place */
    size_t n = 0;
    for (size_t i = 0; i < all.n; i++) {
        struct payment *p = &all.items[i];
        bool keep = strcmp(p->pg_provider, "kakaopay") == 0 && strcmp(p->pg_id, ret->cid) == 0 &&
                    p->started_at >= day_start && p->started_at < day_start + DAY;
        if (!keep)
            continue;
        struct payment tmp = all.items[n];
        all.items[n++] = *p;
        *p = tmp;
    }
    if (n > 1) /* items is NULL for a tenant without payments */
        qsort(all.items, n, sizeof *all.items, newest_first);
    ret->page = page;
    ret->total = n;
    size_t first = page - 1 > n / KAKAO_ORDERS_PAGE_SIZE ? n : (page - 1) * KAKAO_ORDERS_PAGE_SIZE;
    if (first > n)
        first = n;
    size_t count = n - first < KAKAO_ORDERS_PAGE_SIZE ? n - first : KAKAO_ORDERS_PAGE_SIZE;
    /* move this page's payments to the front and free the rest */
    for (size_t i = 0; i < count; i++) {
        struct payment tmp = all.items[i];
        all.items[i] = all.items[first + i];
        all.items[first + i] = tmp;
    }
    for (size_t i = count; i < all.n; i++)
        payment_fini(&all.items[i]);
    all.n = count;
    all.total = n;
    ret->list = all;
    return MOCK_OK;
}

void kakao_orders_fini(struct kakao_orders *o)
{
    if (o)
        store_page_free(&o->list);
}

const char *kakao_order_status(const struct payment *p)
{
    switch (p->status) {
    case PAY_READY:
        return "READY";
    case PAY_PAID:
        if (p->amount == 0 && p->customer_uid)
            return "ISSUED_SID";
        return p->cancel_amount > 0 ? "PART_CANCEL_PAYMENT" : "SUCCESS_PAYMENT";
    case PAY_CANCELLED:
        return "CANCEL_PAYMENT";
    case PAY_FAILED:
        /* the window's cancel text (checkout.c): the buyer quit, Kakao says so */
        if (p->fail_reason && strncmp(p->fail_reason, quit_reason, sizeof quit_reason - 1) == 0)
            return "QUIT_PAYMENT";
        return "FAIL_PAYMENT";
    case PAY__COUNT:
        break;
    }
    return "READY";
}

const char *kakao_order_method(const struct payment *p)
{
    return strcmp(p->pay_method, "point") == 0 ? "MONEY" : "CARD";
}

int64_t kakao_order_vat(int64_t total, int64_t tax_free)
{
    int64_t taxable = total - tax_free;
    return taxable - (taxable * 10 + 5) / 11;
}
