/* api_subscribe.c - billing keys and non-authenticated payments (reference §5,
 * §6): /subscribe/customers..., /subscribe/payments/again and /onetime. Reads
 * and checks fields, calls billing.c, renders. Card data is handed to the
 * domain as borrowed strings and never copied here. */
#include "base/limits.h"
#include "domain/billing.h"
#include "domain/order.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUSTOMERS_MAX 100 /* customer_uid[] per GET /subscribe/customers */

static struct billing billing_of(struct req *r)
{
    struct billing b = {r->app->store, &app_fixtures(r->app)->cards};
    return b;
}

static void fail(struct req *r, enum mock_err e, const char *detail)
{
    envelope_fail(&r->reply, e, detail && detail[0] ? detail : NULL);
}

static void reply_customer(struct req *r, const struct customer *c)
{
    cJSON *o = render_customer(c);
    if (o)
        envelope_ok(&r->reply, 200, o);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

/* The path's customer_uid, which no field reader sees. */
static bool check_customer_uid(struct req *r, const char *uid)
{
    if (strlen(uid) <= CUSTOMER_UID_MAX)
        return true;
    char max[16];
    snprintf(max, sizeof max, "%d", CUSTOMER_UID_MAX);
    envelope_fail(&r->reply, MOCK_CUSTOMER_UID_TOO_LONG, max);
    return false;
}

/* The order of again and onetime with its rules and notice_url. Renders
 * the refusal; on success release f with fields_order_fini and *ret_notice
 * (backing f->order.notice_url) with free(). */
static bool read_order(struct req *r, enum billing_door door, struct fields_order *f,
                       char **ret_notice)
{
    char detail[BILLING_DETAIL_MAX];
    *ret_notice = NULL;
    if (!fields_read_order(&r->params, FIELDS_CHARGE, f))
        return api_bad_param(r);
    /* the installment minimum waits for the charge, after the key and card checks */
    enum mock_err e = order_check(&f->order, door, /* issues_key= */ false, detail);
    if (e != MOCK_OK) {
        fields_order_fini(f);
        fail(r, e, detail);
        return false;
    }
    if (!fields_read_notice_url(&r->params, "notice_url", ret_notice)) {
        fields_order_fini(f);
        return api_bad_param(r);
    }
    f->order.notice_url = *ret_notice;
    return true;
}

/* ---- /subscribe/customers ---- */

void api_customer_get(struct req *r)
{
    struct customer c;
    enum mock_err e = store_customer_get(r->app->store, r->tid, r->args[0], &c);
    if (e != MOCK_OK) {
        fail(r, e, r->args[0]);
        return;
    }
    reply_customer(r, &c);
    customer_fini(&c);
}

void api_customer_post(struct req *r)
{
    const char *uid = r->args[0];
    struct billing_card card;
    struct billing_holder holder;
    const char *pg = NULL, *ignored = NULL;
    if (!check_customer_uid(r, uid))
        return;
    if (!fields_read_card(&r->params, true, &card) ||
        !fields_read_holder(&r->params, false, &holder) || !fields_read_pg(&r->params, &pg) ||
        !fields_read_text(&r->params, "channel_key", TEXT_MAX, &ignored)) {
        api_bad_param(r);
        return;
    }
    struct billing b = billing_of(r);
    struct customer c;
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e = billing_issue_key(&b, r->tid, uid, pg, &card, &holder, &c, detail);
    if (e != MOCK_OK) {
        fail(r, e, detail);
        return;
    }
    reply_customer(r, &c);
    customer_fini(&c);
}

void api_customer_delete(struct req *r)
{
    const char *reason = NULL;
    /* reason and extra[requester] are recorded by the real service; nothing here uses them */
    if (!fields_read_text(&r->params, "reason", REASON_MAX, &reason)) {
        api_bad_param(r);
        return;
    }
    struct customer c;
    enum mock_err e = store_customer_delete(r->app->store, r->tid, r->args[0], &c);
    if (e != MOCK_OK) {
        fail(r, e, r->args[0]);
        return;
    }
    reply_customer(r, &c);
    customer_fini(&c);
}

void api_customers_multi(struct req *r)
{
    const char *uids[CUSTOMERS_MAX];
    size_t n = 0;
    if (!param_str_list(&r->params, "customer_uid", CUSTOMERS_MAX, CUSTOMER_UID_MAX, uids, &n)) {
        api_bad_param(r);
        return;
    }
    if (n == 0) {
        envelope_fail(&r->reply, MOCK_CUSTOMERS_NO_UID, NULL);
        return;
    }
    cJSON *list = cJSON_CreateArray();
    size_t found = 0;
    for (size_t i = 0; list && i < n; i++) {
        struct customer c;
        enum mock_err e = store_customer_get(r->app->store, r->tid, uids[i], &c);
        if (e == MOCK_CUSTOMER_NOT_FOUND)
            continue;
        cJSON *o = e == MOCK_OK ? render_customer(&c) : NULL;
        if (e == MOCK_OK)
            customer_fini(&c);
        if (!o || !cJSON_AddItemToArray(list, o)) {
            cJSON_Delete(o);
            cJSON_Delete(list);
            list = NULL;
            break;
        }
        found++;
    }
    if (!list) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
    } else if (found == 0) {
        cJSON_Delete(list);
        envelope_fail(&r->reply, MOCK_CUSTOMERS_NONE, NULL);
    } else {
        envelope_ok(&r->reply, found == n ? 200 : 207, list);
    }
}

void api_customer_payments(struct req *r)
{
    int64_t page = 1, limit = 20;
    if (!param_page(&r->params, &page) ||
        !param_int(&r->params, "limit", 1, LIST_LIMIT_MAX, false, &limit, NULL)) {
        api_bad_param(r);
        return;
    }
    struct customer c;
    enum mock_err e = store_customer_get(r->app->store, r->tid, r->args[0], &c);
    if (e != MOCK_OK) {
        fail(r, e, r->args[0]);
        return;
    }
    customer_fini(&c);
    struct pay_query q = {
        .customer_uid = r->args[0],
        .status = -1,
        .sort = SORT_STARTED,
        .descending = true,
        .page = (size_t)page,
        .limit = (size_t)limit,
    };
    struct pay_page pg;
    e = store_payment_query(r->app->store, r->tid, &q, &pg);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    /* the spec declares no 400 here: a page past the end is just empty */
    cJSON *o = render_payment_page(&pg, q.page, q.limit);
    store_page_free(&pg);
    if (o)
        envelope_ok(&r->reply, 200, o);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

/* ---- /subscribe/payments ---- */

static void reply_charge(struct req *r, enum mock_err e, struct payment *p, const char *detail)
{
    if (e != MOCK_OK) {
        fail(r, e, detail);
        return;
    }
    /* approved or declined alike: code 0 and the payment (reference §6.2) */
    api_reply_payment(r, p);
    payment_fini(p);
}

void api_pay_again(struct req *r)
{
    const char *uid = NULL;
    struct fields_order f;
    char *notice = NULL;
    if (!param_str(&r->params, "customer_uid", CUSTOMER_UID_MAX, true, &uid)) {
        api_bad_param(r);
        return;
    }
    struct billing b = billing_of(r);
    /* an unknown key first, then the order: the live API answered a 60-byte
     * merchant_uid with an unknown key with 등록되지 않은 구매자입니다. */
    enum mock_err e = billing_key_known(&b, r->tid, uid);
    if (e != MOCK_OK) {
        fail(r, e, NULL);
        return;
    }
    if (!read_order(r, BILLING_DOOR_AGAIN, &f, &notice))
        return;
    struct payment p;
    char detail[BILLING_DETAIL_MAX];
    e = billing_charge_key(&b, r->tid, uid, BILLING_DOOR_AGAIN, &f.order, &p, detail);
    reply_charge(r, e, &p, detail);
    fields_order_fini(&f);
    free(notice);
}

void api_pay_onetime(struct req *r)
{
    struct billing_card card;
    struct billing_holder holder;
    struct fields_order f;
    const char *pg = NULL, *uid = NULL;
    char *notice = NULL;
    if (!fields_read_card(&r->params, true, &card) || !fields_read_pg(&r->params, &pg) ||
        !fields_read_text(&r->params, "customer_uid", CUSTOMER_UID_MAX, &uid) ||
        !fields_read_holder(&r->params, /* from_buyer= */ true, &holder)) {
        api_bad_param(r);
        return;
    }
    if (!read_order(r, BILLING_DOOR_ONETIME, &f, &notice))
        return;
    struct billing b = billing_of(r);
    struct payment p;
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e =
        billing_charge_card(&b, r->tid, pg, &card, uid, &holder, &f.order, &p, detail);
    reply_charge(r, e, &p, detail);
    fields_order_fini(&f);
    free(notice);
}
