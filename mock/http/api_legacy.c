/* api_legacy.c - operations official clients still call that the Swagger
 * no longer lists: GET /kakao/payment/orders (reference §22, answered from
 * impmock's own Kakao Pay payments) and POST /subscribe/payments/foreign
 * (§23.4, a foreign-card key-in payment on the one-time charge path). Both
 * list only 200 (and 401): the server answers their refusals with HTTP 200
 * (routes.c). */
#include "base/limits.h"
#include "domain/billing.h"
#include "domain/kakao_orders.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/render.h"
#include "http/specs.h"
#include "infra/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- GET /kakao/payment/orders ---- */

/* Kakao's timestamps: ISO-8601 in Korean local time, null for "not yet". */
static bool add_time(cJSON *o, const char *name, int64_t t)
{
    if (t <= 0)
        return cJSON_AddNullToObject(o, name) != NULL;
    time_t k = (time_t)(t + KST_OFFSET);
    struct tm tm;
    char text[32];
    memset(&tm, 0, sizeof tm);
    gmtime_r(&k, &tm);
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    return cJSON_AddStringToObject(o, name, text) != NULL;
}

/* {total, tax_free, vat, discount} */
static bool add_amount(cJSON *o, const char *name, int64_t total, int64_t tax_free)
{
    cJSON *a = cJSON_AddObjectToObject(o, name);
    return a && render_add_int(a, "total", total) && render_add_int(a, "tax_free", tax_free) &&
           render_add_int(a, "vat", kakao_order_vat(total, tax_free)) &&
           render_add_int(a, "discount", 0);
}

static bool add_card_info(cJSON *o, const struct payment *p)
{
    if (strcmp(kakao_order_method(p), "CARD") != 0 || !p->card_number)
        return cJSON_AddNullToObject(o, "selected_card_info") != NULL;
    char bin[7];
    snprintf(bin, sizeof bin, "%.6s", p->card_number);
    cJSON *c = cJSON_AddObjectToObject(o, "selected_card_info");
    return c && cJSON_AddStringToObject(c, "card_bin", bin) &&
           render_add_int(c, "install_month", p->card_quota) &&
           json_add_str(c, "card_corp_name", p->card_name) &&
           cJSON_AddStringToObject(c, "interest_free_install", "N");
}

/* One action: Kakao's aid is derived from the TID and the action's place
 * (null without a TID). */
static bool add_action(cJSON *list, const struct payment *p, size_t idx, const char *type,
                       int64_t at, int64_t amount)
{
    char aid[24];
    snprintf(aid, sizeof aid, "A%.17s%02zu", p->pg_tid[0] ? p->pg_tid + 1 : "", idx % 100);
    cJSON *a = cJSON_CreateObject();
    if (!a || !cJSON_AddItemToArray(list, a)) {
        cJSON_Delete(a);
        return false;
    }
    return json_add_str(a, "aid", p->pg_tid[0] ? aid : NULL) && add_time(a, "approved_at", at) &&
           render_add_int(a, "amount", amount) && render_add_int(a, "point_amount", 0) &&
           render_add_int(a, "discount_amount", 0) &&
           cJSON_AddStringToObject(a, "payment_action_type", type) &&
           cJSON_AddNullToObject(a, "payload");
}

static bool add_actions(cJSON *o, const struct payment *p, const char *status)
{
    cJSON *list = cJSON_AddArrayToObject(o, "payment_action_details");
    bool ok = list != NULL;
    if (ok && !strcmp(status, "ISSUED_SID"))
        return add_action(list, p, 0, "ISSUED_SID", p->paid_at, 0);
    if (ok && p->paid_at > 0)
        ok = add_action(list, p, 0, "PAYMENT", p->paid_at, p->amount);
    for (size_t i = 0; ok && i < p->n_cancels; i++)
        ok = add_action(list, p, i + 1, "CANCEL", p->cancels[i].cancelled_at, p->cancels[i].amount);
    return ok;
}

static int64_t last_cancel(const struct payment *p)
{
    if (p->cancelled_at > 0)
        return p->cancelled_at;
    return p->n_cancels ? p->cancels[p->n_cancels - 1].cancelled_at : 0;
}

static cJSON *order_object(const struct payment *p)
{
    const char *status = kakao_order_status(p);
    cJSON *o = cJSON_CreateObject();
    bool ok = o && json_add_str(o, "id", p->pg_tid[0] ? p->pg_tid : NULL) &&
              cJSON_AddStringToObject(o, "cid", p->pg_id) &&
              cJSON_AddStringToObject(o, "status", status) &&
              cJSON_AddStringToObject(o, "partner_order_id", p->merchant_uid) &&
              cJSON_AddStringToObject(o, "partner_user_id",
                                      p->customer_uid ? p->customer_uid : p->imp_uid) &&
              cJSON_AddStringToObject(o, "payment_method_type", kakao_order_method(p)) &&
              json_add_str(o, "item_name", p->name) && cJSON_AddNullToObject(o, "item_code") &&
              render_add_int(o, "quantity", 1) && add_amount(o, "amount", p->amount, p->tax_free) &&
              add_amount(o, "cancel_available_amount",
                         p->status == PAY_PAID ? p->amount - p->cancel_amount : 0,
                         p->status == PAY_PAID ? p->tax_free - p->cancel_tax_free : 0) &&
              add_amount(o, "canceled_amount", p->cancel_amount, p->cancel_tax_free) &&
              add_time(o, "created_at", p->started_at) && add_time(o, "approved_at", p->paid_at) &&
              add_time(o, "canceled_at", last_cancel(p)) && add_card_info(o, p) &&
              add_actions(o, p, status);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *orders_object(const struct kakao_orders *k, const char *date)
{
    size_t pages = (k->total + KAKAO_ORDERS_PAGE_SIZE - 1) / KAKAO_ORDERS_PAGE_SIZE;
    cJSON *o = cJSON_CreateObject();
    cJSON *pg = o ? cJSON_AddObjectToObject(o, "page") : NULL;
    cJSON *list = NULL;
    bool ok = pg && render_add_int(pg, "current_page", (int64_t)k->page) &&
              render_add_int(pg, "current_size", (int64_t)k->list.n) &&
              cJSON_AddBoolToObject(pg, "first", k->page == 1) &&
              cJSON_AddBoolToObject(pg, "last", k->page >= pages) &&
              render_add_int(pg, "total_pages", (int64_t)pages) &&
              render_add_int(pg, "total_size", (int64_t)k->total) &&
              cJSON_AddStringToObject(o, "payment_request_date", date) &&
              cJSON_AddStringToObject(o, "cid", k->cid) &&
              (list = cJSON_AddArrayToObject(o, "orders")) != NULL;
    for (size_t i = 0; ok && i < k->list.n; i++) {
        cJSON *item = order_object(&k->list.items[i]);
        ok = item && cJSON_AddItemToArray(list, item);
        if (!ok)
            cJSON_Delete(item);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

void api_kakao_orders(struct req *r)
{
    static const struct field_spec specs[] = {
        {.name = "payment_request_date", .kind = FIELD_STR, .required = true, .max = 8},
        {.name = "cid", .kind = FIELD_STR, .max = PG_ID_MAX},
    };
    int64_t page = 1, day;
    if (!specs_check(&r->params, specs, sizeof specs / sizeof specs[0]) ||
        !param_page(&r->params, &page)) {
        api_bad_param(r);
        return;
    }
    const char *date = specs_str(&r->params, "payment_request_date");
    const char *cid = specs_str(&r->params, "cid");
    if (!kakao_orders_date(date, &day)) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM,
                      "payment_request_date 파라미터는 YYYYMMDD 형식의 날짜여야 합니다.");
        return;
    }
    struct kakao_orders k;
    enum mock_err e =
        kakao_orders_list(r->app->store, r->tid, day, cid && cid[0] ? cid : NULL, (size_t)page, &k);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, cid);
        return;
    }
    cJSON *o = orders_object(&k, date);
    kakao_orders_fini(&k);
    if (o)
        envelope_ok(&r->reply, 200, o);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

/* ---- POST /subscribe/payments/foreign ---- */

/* What the official clients send (§23.4): onetime's fields without a billing key. */
static const struct field_spec foreign_specs[] = {
    {.name = "merchant_uid", .kind = FIELD_STR, .required = true, .max = MERCHANT_UID_MAX},
    {.name = "amount", .kind = FIELD_AMOUNT, .required = true},
    {.name = "tax_free", .kind = FIELD_AMOUNT},
    {.name = "card_number", .kind = FIELD_STR, .required = true, .max = CARD_FIELD_MAX},
    {.name = "expiry", .kind = FIELD_STR, .required = true, .max = CARD_FIELD_MAX},
    {.name = "cvc", .kind = FIELD_STR, .max = CARD_FIELD_MAX},
    {.name = "birth", .kind = FIELD_STR, .max = CARD_FIELD_MAX},
    {.name = "pwd_2digit", .kind = FIELD_STR, .max = CARD_FIELD_MAX},
    {.name = "pg", .kind = FIELD_STR, .max = FIELDS_PG_MAX},
    {.name = "currency", .kind = FIELD_STR, .max = CURRENCY_MAX},
    {.name = "name", .kind = FIELD_STR, .max = TEXT_MAX},
    {.name = "buyer_name", .kind = FIELD_STR, .max = TEXT_MAX},
    {.name = "buyer_email", .kind = FIELD_STR, .max = TEXT_MAX},
    {.name = "buyer_tel", .kind = FIELD_STR, .max = TEXT_MAX},
    {.name = "buyer_addr", .kind = FIELD_STR, .max = TEXT_MAX},
    {.name = "buyer_postcode", .kind = FIELD_STR, .max = TEXT_MAX},
    {.name = "custom_data", .kind = FIELD_ANY, .max = CUSTOM_DATA_MAX},
    {.name = "notice_url", .kind = FIELD_URLS},
};

/* The order; *ret_owned backs custom_data when it came as an object. */
static bool read_foreign_order(struct req *r, struct billing_order *o, char **ret_owned)
{
    const struct params *p = &r->params;
    memset(o, 0, sizeof *o);
    *ret_owned = NULL;
    o->merchant_uid = specs_str(p, "merchant_uid");
    if (!param_amount(&r->params, "amount", true, &o->amount, NULL) ||
        !param_amount(&r->params, "tax_free", false, &o->tax_free, NULL))
        return api_bad_param(r);
    if (o->amount == 0 || o->tax_free > o->amount) {
        envelope_fail(&r->reply, o->amount == 0 ? MOCK_ORDER_AMOUNT_ZERO : MOCK_ORDER_TAX_FREE_OVER,
                      NULL);
        return false;
    }
    o->currency = specs_str(p, "currency");
    if (o->currency && !o->currency[0])
        o->currency = NULL;
    o->name = specs_str(p, "name");
    o->buyer_name = specs_str(p, "buyer_name");
    o->buyer_email = specs_str(p, "buyer_email");
    o->buyer_tel = specs_str(p, "buyer_tel");
    o->buyer_addr = specs_str(p, "buyer_addr");
    o->buyer_postcode = specs_str(p, "buyer_postcode");
    const cJSON *cd = param_item(p, "custom_data", NULL);
    if (cd && !cJSON_IsString(cd)) {
        *ret_owned = cJSON_PrintUnformatted(cd);
        if (!*ret_owned) {
            envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
            return false;
        }
    }
    o->custom_data = *ret_owned ? *ret_owned : specs_str(p, "custom_data");
    return true;
}

void api_pay_foreign(struct req *r)
{
    struct billing_order o;
    char *owned = NULL, *notice = NULL;
    if (!specs_check(&r->params, foreign_specs, sizeof foreign_specs / sizeof foreign_specs[0])) {
        api_bad_param(r);
        return;
    }
    if (!read_foreign_order(r, &o, &owned))
        return;
    /* checked above: only running out of memory fails here */
    if (!fields_read_notice_url(&r->params, "notice_url", &notice)) {
        cJSON_free(owned);
        api_bad_param(r);
        return;
    }
    o.notice_url = notice;
    struct billing_card card = {
        .number = specs_str(&r->params, "card_number"),
        .expiry = specs_str(&r->params, "expiry"),
        .birth = specs_str(&r->params, "birth"),
        .pwd_2digit = specs_str(&r->params, "pwd_2digit"),
    };
    const char *pg = specs_str(&r->params, "pg");
    struct billing b = {r->app->store, &app_fixtures(r->app)->cards};
    struct payment p;
    char detail[BILLING_DETAIL_MAX] = "";
    enum mock_err e =
        billing_charge_foreign(&b, r->tid, pg && pg[0] ? pg : NULL, &card, &o, &p, detail);
    cJSON_free(owned);
    free(notice);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    /* approved or declined alike: code 0 and the payment, as onetime answers */
    api_reply_payment(r, &p);
    payment_fini(&p);
}
