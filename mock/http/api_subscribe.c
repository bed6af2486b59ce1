/* api_subscribe.c - billing keys and non-authenticated payments (reference §5,
 * §6): /subscribe/customers..., /subscribe/payments/again and /onetime. Reads
 * and checks fields, calls billing.c, renders. Card data is handed to the
 * domain as borrowed strings and never copied here. */
#include "domain/billing.h"
#include "http/api.h"
#include "http/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUSTOMERS_MAX  100 /* customer_uid[] per GET /subscribe/customers */
#define LIST_LIMIT_MAX 1000
#define CARD_FIELD_MAX 64 /* card_number, expiry, birth, pwd_2digit: checked by the domain */
#define PG_PARAM_MAX   (PG_PROVIDER_MAX + 1 + PG_ID_MAX) /* "{pg}.{MID}" */
#define QUOTA_MAX      60                                /* installment months */

static struct billing billing_of(struct req *r)
{
    struct billing b = {r->app->store, &r->app->fx.cards};
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

/* Optional strings of at most maxlen bytes; *ret stays NULL when absent. */
static bool opt_str(struct req *r, const char *name, size_t maxlen, const char **ret)
{
    *ret = NULL;
    return param_str(&r->params, name, maxlen, false, ret);
}

static bool check_customer_uid(struct req *r, const char *uid)
{
    if (strlen(uid) <= CUSTOMER_UID_MAX)
        return true;
    char msg[96];
    snprintf(msg, sizeof msg, "customer_uid는 최대 %d바이트까지 지정할 수 있습니다.",
             CUSTOMER_UID_MAX);
    envelope_fail(&r->reply, MOCK_BAD_PARAM, msg);
    return false;
}

static bool read_card(struct req *r, struct billing_card *c)
{
    memset(c, 0, sizeof *c);
    return param_str(&r->params, "card_number", CARD_FIELD_MAX, true, &c->number) &&
           param_str(&r->params, "expiry", CARD_FIELD_MAX, true, &c->expiry) &&
           opt_str(r, "birth", CARD_FIELD_MAX, &c->birth) &&
           opt_str(r, "pwd_2digit", CARD_FIELD_MAX, &c->pwd_2digit);
}

/* customer_* fields, or with `from_buyer` the buyer_* ones (onetime copies them). */
static bool read_holder(struct req *r, bool from_buyer, struct billing_holder *h)
{
    const char *p = from_buyer ? "buyer_" : "customer_";
    char name[32];
    const char **dst[] = {&h->name, &h->tel, &h->email, &h->addr, &h->postcode};
    static const char *const fields[] = {"name", "tel", "email", "addr", "postcode"};
    memset(h, 0, sizeof *h);
    if (!opt_str(r, "customer_id", TEXT_MAX, &h->customer_id))
        return false;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        snprintf(name, sizeof name, "%s%s", p, fields[i]);
        if (!opt_str(r, name, TEXT_MAX, dst[i]))
            return false;
    }
    return true;
}

/* custom_data is a string; the JS SDK serialises objects, and server clients
 * sometimes send the object itself, so any other JSON value is kept as its text. */
static bool read_custom_data(struct req *r, const char **ret, char **ret_owned)
{
    *ret = NULL;
    *ret_owned = NULL;
    const cJSON *it = param_item(&r->params, "custom_data", NULL);
    if (!it)
        return true;
    if (cJSON_IsString(it)) {
        *ret = it->valuestring;
    } else {
        *ret_owned = cJSON_PrintUnformatted(it);
        if (!*ret_owned) {
            envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
            return false;
        }
        *ret = *ret_owned;
    }
    if (strlen(*ret) > CUSTOM_DATA_MAX) {
        char msg[96];
        snprintf(msg, sizeof msg, "custom_data 파라미터가 너무 깁니다 (최대 %d바이트).",
                 CUSTOM_DATA_MAX);
        envelope_fail(&r->reply, MOCK_BAD_PARAM, msg);
        return false;
    }
    return true;
}

/* The order fields shared by again and onetime. Writes the reply on failure;
 * *ret_owned (free with cJSON_free) backs o->custom_data. */
static bool read_order(struct req *r, struct billing_order *o, char **ret_owned)
{
    int64_t quota = 0, ignored;
    bool flag;
    memset(o, 0, sizeof *o);
    *ret_owned = NULL;
    if (!param_str(&r->params, "merchant_uid", MERCHANT_UID_MAX, true, &o->merchant_uid) ||
        !param_amount(&r->params, "amount", true, &o->amount, NULL) ||
        !param_amount(&r->params, "tax_free", false, &o->tax_free, NULL) ||
        /* VAT is derived by the PG here; Kakao Pay does not take it at all (§4.1) */
        !param_amount(&r->params, "vat_amount", false, &ignored, NULL) ||
        !param_amount(&r->params, "vat", false, &ignored, NULL) ||
        !opt_str(r, "currency", CURRENCY_MAX, &o->currency) ||
        !opt_str(r, "name", TEXT_MAX, &o->name) ||
        !opt_str(r, "buyer_name", TEXT_MAX, &o->buyer_name) ||
        !opt_str(r, "buyer_email", TEXT_MAX, &o->buyer_email) ||
        !opt_str(r, "buyer_tel", TEXT_MAX, &o->buyer_tel) ||
        !opt_str(r, "buyer_addr", TEXT_MAX, &o->buyer_addr) ||
        !opt_str(r, "buyer_postcode", TEXT_MAX, &o->buyer_postcode) ||
        !param_int(&r->params, "card_quota", 0, QUOTA_MAX, false, &quota, NULL) ||
        !param_bool(&r->params, "interest_free_by_merchant", &flag) ||
        !param_bool(&r->params, "use_card_point", &flag))
        return api_bad_param(r);
    if (o->amount == 0) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM, "amount 파라미터는 0보다 커야 합니다.");
        return false;
    }
    if (o->tax_free > o->amount) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM, "tax_free 파라미터는 amount보다 클 수 없습니다.");
        return false;
    }
    if (o->currency && !o->currency[0])
        o->currency = NULL;
    o->card_quota = (int)quota;
    return read_custom_data(r, &o->custom_data, ret_owned);
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
    if (!read_card(r, &card) || !read_holder(r, false, &holder) ||
        !opt_str(r, "pg", PG_PARAM_MAX, &pg) || !opt_str(r, "cvc", CARD_FIELD_MAX, &ignored) ||
        !opt_str(r, "channel_key", TEXT_MAX, &ignored)) {
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
    if (!opt_str(r, "reason", REASON_MAX, &reason)) {
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
        envelope_fail(&r->reply, MOCK_BAD_PARAM,
                      "customer_uid[] 파라미터를 1개 이상 지정해주세요.");
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
    if (!param_int(&r->params, "page", 1, 1000000000, false, &page, NULL) ||
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
    struct billing_order o;
    char *owned = NULL;
    if (!param_str(&r->params, "customer_uid", CUSTOMER_UID_MAX, true, &uid)) {
        api_bad_param(r);
        return;
    }
    if (!read_order(r, &o, &owned))
        return;
    char *notice = NULL; /* a string or an array of URLs (api_notice_url) */
    if (!api_notice_url(r, param_item(&r->params, "notice_url", NULL), "notice_url", &notice)) {
        cJSON_free(owned);
        return;
    }
    o.notice_url = notice;
    struct billing b = billing_of(r);
    struct payment p;
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e = billing_charge_key(&b, r->tid, uid, BILLING_DOOR_AGAIN, &o, &p, detail);
    reply_charge(r, e, &p, detail);
    cJSON_free(owned);
    free(notice);
}

void api_pay_onetime(struct req *r)
{
    struct billing_card card;
    struct billing_holder holder;
    struct billing_order o;
    const char *pg = NULL, *uid = NULL, *ignored = NULL;
    char *owned = NULL;
    if (!read_card(r, &card) || !opt_str(r, "pg", PG_PARAM_MAX, &pg) ||
        !opt_str(r, "customer_uid", CUSTOMER_UID_MAX, &uid) ||
        !opt_str(r, "cvc", CARD_FIELD_MAX, &ignored) || !read_holder(r, true, &holder)) {
        api_bad_param(r);
        return;
    }
    if (uid && !uid[0])
        uid = NULL;
    if (!read_order(r, &o, &owned))
        return;
    char *notice = NULL; /* a string or an array of URLs (api_notice_url) */
    if (!api_notice_url(r, param_item(&r->params, "notice_url", NULL), "notice_url", &notice)) {
        cJSON_free(owned);
        return;
    }
    o.notice_url = notice;
    struct billing b = billing_of(r);
    struct payment p;
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e = billing_charge_card(&b, r->tid, pg, &card, uid, &holder, &o, &p, detail);
    reply_charge(r, e, &p, detail);
    cJSON_free(owned);
    free(notice);
}
