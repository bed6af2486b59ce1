/* api_receipts.c - cash receipts (reference §18): of an i'mport payment
 * (/receipts/{imp_uid}) and of an outside cash sale
 * (/receipts/external/{merchant_uid}): issue (POST), look up (GET), revoke
 * (DELETE). Reads the request, calls receipt.c, renders the Receipt or
 * ExternalReceipt object. */
#include "domain/receipt.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/render.h"

#include <stdio.h>
#include <string.h>

#define IDENTIFIER_MAX 64 /* longer than any of the four kinds: checked by receipt.c */

bool api_param_enum(struct params *p, const char *name, const char *const *allowed,
                    const char **ret)
{
    const char *v = NULL;
    if (!fields_read_text(p, name, 32, &v)) {
        /* a longer value is as wrong as any other: name the choices */
        if (p->err != MOCK_PARAM_TOO_LONG)
            return false;
        v = "";
    }
    if (!v)
        return true;
    char list[160] = "";
    size_t at = 0;
    bool found = false;
    for (const char *const *a = allowed; *a; a++) {
        found = found || !strcmp(v, *a);
        at += (size_t)snprintf(list + at, at < sizeof list ? sizeof list - at : 0, "%s%s",
                               a == allowed ? "" : ", ", *a);
    }
    if (!found) {
        const char *args[] = {name, list};
        return param_fail(p, MOCK_PARAM_NOT_IN_ENUM, args, 2);
    }
    *ret = v;
    return true;
}

static const char *const identifier_types[] = {"person", "business", "phone", "taxcard", NULL};
static const char *const receipt_types[] = {"person", "company", NULL};
static const char *const product_types[] = {"real", "digital", NULL};
static const char *const cash_methods[] = {"trans", "vbank", NULL};

/* The fields both kinds of issuance take (reference §18.3). */
static bool read_common(struct params *p, struct receipt_request *rq)
{
    int64_t vat_amount = 0;
    bool has_vat_amount = false;
    if (!param_str(p, "identifier", IDENTIFIER_MAX, true, &rq->identifier) ||
        !api_param_enum(p, "identifier_type", identifier_types, &rq->identifier_type) ||
        !api_param_enum(p, "type", receipt_types, &rq->type) ||
        !api_param_enum(p, "product_type", product_types, &rq->product_type) ||
        !fields_read_text(p, "buyer_name", TEXT_MAX, &rq->buyer_name) ||
        !fields_read_text(p, "buyer_email", TEXT_MAX, &rq->buyer_email) ||
        !fields_read_text(p, "buyer_tel", TEXT_MAX, &rq->buyer_tel) ||
        !fields_read_text(p, "corp_reg_no", TEXT_MAX, &rq->corp_reg_no) ||
        !param_amount(p, "tax_free", false, &rq->tax_free, NULL) ||
        !param_amount(p, "vat_amount", false, &vat_amount, &has_vat_amount))
        return false;
    if (has_vat_amount) {
        rq->has_vat = true;
        rq->vat = vat_amount;
    }
    return true;
}

static cJSON *render_receipt(const struct receipt *rc)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, rc->external ? "merchant_uid" : "imp_uid", rc->key) &&
              cJSON_AddStringToObject(o, "receipt_tid", rc->receipt_tid) &&
              cJSON_AddStringToObject(o, "apply_num", rc->apply_num) &&
              cJSON_AddStringToObject(o, "type", rc->type) &&
              render_add_int(o, "amount", rc->amount) && render_add_int(o, "vat", rc->vat) &&
              cJSON_AddStringToObject(o, "receipt_url", rc->receipt_url) &&
              render_add_int(o, "applied_at", rc->applied_at) &&
              render_add_int(o, "cancelled_at", rc->cancelled_at);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void reply(struct req *r, enum mock_err e, const struct receipt *rc, const char *detail)
{
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    cJSON *o = render_receipt(rc);
    if (!o)
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
    else
        envelope_ok(&r->reply, 200, o);
}

/* ---- /receipts/{imp_uid} ---- */

void api_receipt_post(struct req *r)
{
    struct receipt_request rq = {0};
    int64_t vat = 0;
    bool has_vat = false;
    /* vat is the deprecated name of vat_amount, which wins when both come */
    if (!param_amount(&r->params, "vat", false, &vat, &has_vat) || !read_common(&r->params, &rq) ||
        !fields_read_text(&r->params, "company_tel", TEXT_MAX, &rq.company_tel) ||
        !fields_read_text(&r->params, "company_name", TEXT_MAX, &rq.company_name)) {
        api_bad_param(r);
        return;
    }
    if (has_vat && !rq.has_vat) {
        rq.has_vat = true;
        rq.vat = vat;
    }
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    enum mock_err e = receipt_issue(r->app->store, r->tid, r->args[0], &rq, &rc, detail);
    reply(r, e, &rc, detail);
}

void api_receipt_get(struct req *r)
{
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    enum mock_err e = receipt_get(r->app->store, r->tid, false, r->args[0], &rc, detail);
    reply(r, e, &rc, detail);
}

void api_receipt_delete(struct req *r)
{
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    enum mock_err e = receipt_revoke(r->app->store, r->tid, false, r->args[0], &rc, detail);
    reply(r, e, &rc, detail);
}

/* ---- /receipts/external/{merchant_uid} ---- */

void api_ext_receipt_post(struct req *r)
{
    struct receipt_request rq = {0};
    const char *merchant_uid = r->args[0];
    if (strlen(merchant_uid) > MERCHANT_UID_MAX) {
        char max[8];
        snprintf(max, sizeof max, "%d", MERCHANT_UID_MAX);
        const char *args[] = {"merchant_uid", max};
        envelope_fail_args(&r->reply, MOCK_PARAM_TOO_LONG, args, 2);
        return;
    }
    if (!param_str(&r->params, "channel_key", CHANNEL_KEY_MAX, true, &rq.channel_key) ||
        !param_str(&r->params, "name", TEXT_MAX, true, &rq.name) ||
        !param_amount(&r->params, "amount", true, &rq.amount, NULL) ||
        !read_common(&r->params, &rq) ||
        !api_param_enum(&r->params, "pay_method", cash_methods, &rq.pay_method)) {
        api_bad_param(r);
        return;
    }
    if (rq.amount == 0) {
        envelope_fail(&r->reply, MOCK_ORDER_AMOUNT_ZERO, NULL);
        return;
    }
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    enum mock_err e = receipt_issue_external(r->app->store, r->tid, merchant_uid, &rq, &rc, detail);
    reply(r, e, &rc, detail);
}

void api_ext_receipt_get(struct req *r)
{
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    enum mock_err e = receipt_get(r->app->store, r->tid, true, r->args[0], &rc, detail);
    reply(r, e, &rc, detail);
}

void api_ext_receipt_delete(struct req *r)
{
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    enum mock_err e = receipt_revoke(r->app->store, r->tid, true, r->args[0], &rc, detail);
    reply(r, e, &rc, detail);
}
