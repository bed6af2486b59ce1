/* render.c - see render.h. */
#include "render.h"

#include <string.h>

bool render_add_str(cJSON *o, const char *name, const char *s)
{
    return s ? cJSON_AddStringToObject(o, name, s) != NULL
             : cJSON_AddNullToObject(o, name) != NULL;
}

static bool add_int(cJSON *o, const char *name, int64_t v)
{
    return cJSON_AddNumberToObject(o, name, (double)v) != NULL;
}

static bool add_nullable_int(cJSON *o, const char *name, int v)
{
    return v < 0 ? cJSON_AddNullToObject(o, name) != NULL : add_int(o, name, v);
}

static cJSON *render_cancel(const struct cancel_entry *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "pg_tid", c->pg_tid) ||
        !add_int(o, "amount", c->amount) || !add_int(o, "cancelled_at", c->cancelled_at) ||
        !render_add_str(o, "reason", c->reason) ||
        !cJSON_AddStringToObject(o, "cancellation_id", c->cancellation_id) ||
        !render_add_str(o, "receipt_url", c->receipt_url)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *render_payment(const struct payment *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *hist = NULL, *receipts = NULL;
    /* Field order follows live responses (reference §4.2). */
    if (!o || !cJSON_AddStringToObject(o, "imp_uid", p->imp_uid) ||
        !cJSON_AddStringToObject(o, "merchant_uid", p->merchant_uid) ||
        !cJSON_AddStringToObject(o, "pay_method", p->pay_method) ||
        !cJSON_AddStringToObject(o, "channel", p->channel) ||
        !cJSON_AddStringToObject(o, "pg_provider", p->pg_provider) ||
        !render_add_str(o, "emb_pg_provider", p->emb_pg_provider) ||
        !cJSON_AddStringToObject(o, "pg_tid", p->pg_tid) ||
        !cJSON_AddStringToObject(o, "pg_id", p->pg_id) ||
        !cJSON_AddBoolToObject(o, "sandbox", 0) || !cJSON_AddBoolToObject(o, "escrow", p->escrow) ||
        !render_add_str(o, "apply_num", p->apply_num) ||
        !render_add_str(o, "bank_code", p->bank_code) ||
        !render_add_str(o, "bank_name", p->bank_name) ||
        !render_add_str(o, "card_code", p->card_code) ||
        !render_add_str(o, "card_name", p->card_name) ||
        !cJSON_AddNullToObject(o, "card_issuer_code") ||
        !cJSON_AddNullToObject(o, "card_issuer_name") ||
        !cJSON_AddNullToObject(o, "card_publisher_code") ||
        !cJSON_AddNullToObject(o, "card_publisher_name") ||
        !add_int(o, "card_quota", p->card_quota) ||
        !render_add_str(o, "card_number", p->card_number) ||
        !add_nullable_int(o, "card_type", p->card_type) ||
        !cJSON_AddNullToObject(o, "vbank_code") || !cJSON_AddNullToObject(o, "vbank_name") ||
        !cJSON_AddNullToObject(o, "vbank_num") || !cJSON_AddNullToObject(o, "vbank_holder") ||
        !add_int(o, "vbank_date", 0) || !add_int(o, "vbank_issued_at", 0) ||
        !render_add_str(o, "name", p->name) || !add_int(o, "amount", p->amount) ||
        !add_int(o, "cancel_amount", p->cancel_amount) ||
        !cJSON_AddStringToObject(o, "currency", p->currency) ||
        !render_add_str(o, "buyer_name", p->buyer_name) ||
        !render_add_str(o, "buyer_email", p->buyer_email) ||
        !render_add_str(o, "buyer_tel", p->buyer_tel) ||
        !render_add_str(o, "buyer_addr", p->buyer_addr) ||
        !render_add_str(o, "buyer_postcode", p->buyer_postcode) ||
        !render_add_str(o, "custom_data", p->custom_data) ||
        !render_add_str(o, "user_agent", p->user_agent) ||
        !cJSON_AddStringToObject(o, "status", pay_status_name(p->status)) ||
        !add_int(o, "started_at", p->started_at) || !add_int(o, "paid_at", p->paid_at) ||
        !add_int(o, "failed_at", p->failed_at) || !add_int(o, "cancelled_at", p->cancelled_at) ||
        !render_add_str(o, "fail_reason", p->fail_reason) ||
        !render_add_str(o, "cancel_reason", p->cancel_reason) ||
        !render_add_str(o, "receipt_url", p->receipt_url))
        goto fail;
    hist = cJSON_AddArrayToObject(o, "cancel_history");
    if (!hist || !cJSON_AddArrayToObject(o, "deposit_history"))
        goto fail;
    receipts = cJSON_AddArrayToObject(o, "cancel_receipt_urls");
    if (!receipts)
        goto fail;
    for (size_t i = 0; i < p->n_cancels; i++) {
        cJSON *c = render_cancel(&p->cancels[i]);
        if (!c || !cJSON_AddItemToArray(hist, c)) {
            cJSON_Delete(c);
            goto fail;
        }
        if (p->cancels[i].receipt_url) {
            cJSON *u = cJSON_CreateString(p->cancels[i].receipt_url);
            if (!u || !cJSON_AddItemToArray(receipts, u)) {
                cJSON_Delete(u);
                goto fail;
            }
        }
    }
    if (!cJSON_AddBoolToObject(o, "cash_receipt_issued", 0) ||
        !render_add_str(o, "customer_uid", p->customer_uid) ||
        !render_add_str(o, "customer_uid_usage", p->customer_uid_usage) ||
        !cJSON_AddNullToObject(o, "promotion"))
        goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

cJSON *render_payment_page(const struct pay_page *pg, size_t page, size_t limit)
{
    cJSON *o = cJSON_CreateObject();
    size_t last_page = limit ? (pg->total + limit - 1) / limit : 0;
    cJSON *list = NULL;
    if (!o || !add_int(o, "total", (int64_t)pg->total) ||
        !add_int(o, "previous", page > 1 && page - 1 <= last_page ? (int64_t)(page - 1) : 0) ||
        !add_int(o, "next", page < last_page ? (int64_t)(page + 1) : 0))
        goto fail;
    list = cJSON_AddArrayToObject(o, "list");
    if (!list)
        goto fail;
    for (size_t i = 0; i < pg->n; i++) {
        cJSON *p = render_payment(&pg->items[i]);
        if (!p || !cJSON_AddItemToArray(list, p)) {
            cJSON_Delete(p);
            goto fail;
        }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

cJSON *render_customer(const struct customer *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "customer_uid", c->customer_uid) ||
        !cJSON_AddStringToObject(o, "pg_provider", c->pg_provider) ||
        !cJSON_AddStringToObject(o, "pg_id", c->pg_id) || !cJSON_AddBoolToObject(o, "sandbox", 0) ||
        !render_add_str(o, "customer_id", c->customer_id) ||
        !render_add_str(o, "card_name", c->card_name) ||
        !render_add_str(o, "card_code", c->card_code) ||
        !cJSON_AddNullToObject(o, "card_issuer_code") ||
        !cJSON_AddNullToObject(o, "card_issuer_name") ||
        !cJSON_AddNullToObject(o, "card_publisher_code") ||
        !cJSON_AddNullToObject(o, "card_publisher_name") ||
        !render_add_str(o, "card_number", c->card_number) ||
        !add_nullable_int(o, "card_type", c->card_type) ||
        !render_add_str(o, "customer_name", c->customer_name) ||
        !render_add_str(o, "customer_tel", c->customer_tel) ||
        !render_add_str(o, "customer_email", c->customer_email) ||
        !render_add_str(o, "customer_addr", c->customer_addr) ||
        !render_add_str(o, "customer_postcode", c->customer_postcode) ||
        !add_int(o, "inserted", c->inserted) || !add_int(o, "updated", c->updated)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *render_prepare(const struct prepare *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "merchant_uid", p->merchant_uid) ||
        !add_int(o, "amount", p->amount) ||
        !render_add_str(o, "currency", p->currency[0] ? p->currency : NULL)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
