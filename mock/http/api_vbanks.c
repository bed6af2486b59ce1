/* api_vbanks.c - virtual accounts (reference §17): POST /vbanks, PUT and
 * DELETE /vbanks/{imp_uid}, GET /vbanks/holder, and the control API's
 * deposit, POST /__mock/vbanks/{imp_uid}/deposit. Reads and checks fields,
 * calls vbank.c, renders. POST /vbanks lists only 200 and 401: the server
 * answers its refusals with HTTP 200 (routes.c, reference §16.0). */
#include "domain/vbank.h"
#include "http/api.h"
#include "http/control.h"
#include "http/fields.h"
#include "http/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUE_MAX        9999999999LL /* unix seconds have 10 digits (KSNET refuses milliseconds) */
#define CHARS_TO_BYTES 4            /* a character is at most 4 bytes of UTF-8 */

/* ---- reading ---- */

/* Renders a refusal; false, for `return` chains. */
static bool refuse(struct req *r, enum mock_err e, const char *detail)
{
    envelope_fail(&r->reply, e, detail && detail[0] ? detail : NULL);
    return false;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80; /* count lead bytes only */
    return n;
}

/* An optional string of at most max_chars characters (the Swagger counts
 * characters: a 16-character holder is 48 bytes of Korean); *ret stays NULL
 * when absent. false with the failure recorded in r->params. */
static bool opt_text(struct req *r, const char *name, size_t max_chars, const char **ret)
{
    *ret = NULL;
    if (!param_str(&r->params, name, max_chars * CHARS_TO_BYTES, false, ret))
        return false;
    if (*ret && utf8_chars(*ret) > max_chars) {
        char max[24];
        snprintf(max, sizeof max, "%zu", max_chars);
        const char *args[] = {name, max};
        return param_fail(&r->params, MOCK_PARAM_TOO_MANY_CHARS, args, 2);
    }
    return true;
}

/* Absent, null or "": the reference's "파라미터가 누락되었습니다." */
static bool present(struct req *r, const char *name)
{
    const cJSON *it = param_item(&r->params, name, NULL);
    return it && !(cJSON_IsString(it) && !it->valuestring[0]);
}

/* custom_data: a string, or any other JSON value kept as its text. */
/* The Swagger's fields of POST /vbanks, with their limits (§17.1). */
static bool read_strings(struct req *r, struct vbank_order *o)
{
    const char *ignored;
    return param_str(&r->params, "merchant_uid", MERCHANT_UID_MAX, false, &o->merchant_uid) &&
           param_str(&r->params, "channel_key", TEXT_MAX, false, &o->channel_key) &&
           param_str(&r->params, "pg", FIELDS_PG_MAX, false, &o->pg) &&
           param_str(&r->params, "vbank_code", 8, false, &o->vbank_code) &&
           param_str(&r->params, "pg_api_key", TEXT_MAX, false, &o->pg_api_key) &&
           opt_text(r, "vbank_holder", 16, &o->vbank_holder) &&
           opt_text(r, "vbank_num", VBANK_NUM_MAX, &o->vbank_num) &&
           opt_text(r, "vbank_key", 13, &ignored) && opt_text(r, "name", 40, &o->name) &&
           opt_text(r, "buyer_name", 16, &o->buyer_name) &&
           opt_text(r, "buyer_email", 64, &o->buyer_email) &&
           opt_text(r, "buyer_tel", 16, &o->buyer_tel) &&
           opt_text(r, "buyer_addr", 128, &o->buyer_addr) &&
           opt_text(r, "buyer_postcode", 8, &o->buyer_postcode) &&
           opt_text(r, "business_registration_number", 10, &ignored) &&
           opt_text(r, "product_type", 16, &o->product_type) &&
           param_str(&r->params, "escrow_password", TEXT_MAX, false, &ignored);
}

static bool read_numbers(struct req *r, struct vbank_order *o, bool *ret_unlimited)
{
    int64_t ignored;
    return param_amount(&r->params, "amount", false, &o->amount, NULL) &&
           param_int(&r->params, "vbank_due", 0, DUE_MAX, false, &o->vbank_due, NULL) &&
           param_amount(&r->params, "tax_free", false, &o->tax_free, NULL) &&
           param_amount(&r->params, "vat_amount", false, &ignored, NULL) &&
           param_int(&r->params, "product_count", 1, 1000000, false, &ignored, NULL) &&
           param_bool(&r->params, "fixed_unlimited_vbank", ret_unlimited);
}

/* Everything of POST /vbanks into *o; renders the refusal and returns false
 * otherwise. *ret_owned (free both) back o->notice_url and o->custom_data. */
static bool read_order(struct req *r, struct vbank_order *o, char **ret_notice, char **ret_custom)
{
    static const char *const required[] = {"merchant_uid", "amount", "vbank_code", "vbank_due"};
    bool unlimited = false;
    memset(o, 0, sizeof *o);
    *ret_notice = *ret_custom = NULL;
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!present(r, required[i]))
            return refuse(r, MOCK_VBANK_MISSING, required[i]);
    if (!read_strings(r, o) || !read_numbers(r, o, &unlimited))
        return api_bad_param(r);
    if (unlimited)
        return refuse(r, MOCK_VBANK_UNLIMITED, NULL);
    if (o->amount == 0)
        return refuse(r, MOCK_ORDER_AMOUNT_ZERO, NULL);
    if (o->tax_free > o->amount)
        return refuse(r, MOCK_ORDER_TAX_FREE_OVER, NULL);
    if (o->product_type && strcmp(o->product_type, "real") != 0 &&
        strcmp(o->product_type, "digital") != 0)
        return refuse(r, MOCK_BAD_PARAM, "product_type 파라미터는 real 또는 digital이어야 합니다.");
    if (!fields_read_notice_url(&r->params, "notice_url", ret_notice) ||
        !fields_read_custom_data(&r->params, &o->custom_data, ret_custom))
        return api_bad_param(r);
    o->notice_url = *ret_notice;
    return true;
}

/* ---- the REST API ---- */

void api_vbank_issue(struct req *r)
{
    struct vbank_order o;
    char *notice = NULL, *custom = NULL;
    if (read_order(r, &o, &notice, &custom)) {
        struct payment p;
        char detail[VBANK_DETAIL_MAX];
        enum mock_err e = vbank_issue(r->app->store, r->tid, &o, &p, detail);
        if (e == MOCK_OK) {
            api_reply_payment(r, &p);
            payment_fini(&p);
        } else {
            refuse(r, e, detail);
        }
    }
    free(notice);
    cJSON_free(custom);
}

/* The imp_uid of the path: one longer than any can be is simply unknown. */
static bool path_imp_uid(struct req *r)
{
    if (strlen(r->args[0]) <= IMP_UID_MAX)
        return true;
    envelope_fail(&r->reply, MOCK_PAYMENT_NOT_FOUND, NULL);
    return false;
}

void api_vbank_change(struct req *r)
{
    struct vbank_change c = {0};
    if (!path_imp_uid(r))
        return;
    if (!param_amount(&r->params, "amount", false, &c.amount, &c.has_amount) ||
        !param_int(&r->params, "vbank_due", 0, DUE_MAX, false, &c.vbank_due, &c.has_due)) {
        api_bad_param(r);
        return;
    }
    if (!c.has_amount && !c.has_due) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM, "amount 또는 vbank_due 파라미터를 지정해주세요.");
        return;
    }
    if (c.has_amount && c.amount == 0) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM, "amount 파라미터는 0보다 커야 합니다.");
        return;
    }
    struct payment p;
    char detail[VBANK_DETAIL_MAX];
    enum mock_err e = vbank_change(r->app->store, r->tid, r->args[0], &c, &p, detail);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    api_reply_payment(r, &p);
    payment_fini(&p);
}

void api_vbank_revoke(struct req *r)
{
    const char *pg_api_key = NULL;
    if (!path_imp_uid(r))
        return;
    if (!param_str(&r->params, "pg_api_key", TEXT_MAX, false, &pg_api_key)) {
        api_bad_param(r);
        return;
    }
    struct payment p;
    char detail[VBANK_DETAIL_MAX];
    enum mock_err e = vbank_revoke(r->app->store, r->tid, r->args[0], pg_api_key, &p, detail);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    api_reply_payment(r, &p);
    payment_fini(&p);
}

void api_vbank_holder(struct req *r)
{
    const char *bank_code = NULL, *bank_num = NULL, *holder = NULL;
    if (!param_str(&r->params, "bank_code", 8, true, &bank_code) ||
        !param_str(&r->params, "bank_num", 64, true, &bank_num)) {
        api_bad_param(r);
        return;
    }
    enum mock_err e = vbank_holder(&app_fixtures(r->app)->accounts, bank_code, bank_num, &holder);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "bank_holder", holder)) {
        cJSON_Delete(o);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    envelope_ok(&r->reply, 200, o);
}

/* ---- the control API ---- */

/* The tenant holding imp_uid: the one ?imp_key= names, else the first that
 * has it (imp_uids are random, so one tenant at most in practice). */
static bool deposit_tenant(struct req *r, const char *imp_uid, int *ret_tid)
{
    const char *key = NULL;
    if (!param_str(&r->params, "imp_key", IMP_KEY_MAX, false, &key)) {
        control_fail_params(&r->reply, &r->params);
        return false;
    }
    if (key) {
        if (store_tenant_by_key(r->app->store, key, ret_tid, NULL))
            return true;
        control_fail(&r->reply, CONTROL_TENANT_NOT_FOUND, NULL);
        return false;
    }
    size_t n = store_tenant_count(r->app->store);
    for (size_t tid = 0; tid < n; tid++) {
        struct payment p;
        if (store_payment_get(r->app->store, (int)tid, imp_uid, &p) == MOCK_OK) {
            payment_fini(&p);
            *ret_tid = (int)tid;
            return true;
        }
    }
    control_fail(&r->reply, CONTROL_PAYMENT_NOT_FOUND, NULL);
    return false;
}

/* POST /__mock/vbanks/{imp_uid}/deposit {amount?, depositor_name?}: the
 * buyer pays into the account now; amount defaults to what is owed. 200 with
 * the paid payment; 404 unknown; 409 when the bank would refuse it (not a
 * virtual account, not waiting, past its deadline, another amount). */
void admin_vbank_deposit(struct req *r)
{
    const char *imp_uid = r->args[0], *depositor = NULL;
    int64_t amount = 0;
    bool has_amount = false;
    int tid;
    if (!param_amount(&r->params, "amount", false, &amount, &has_amount) ||
        !param_str(&r->params, "depositor_name", TEXT_MAX, false, &depositor)) {
        control_fail_params(&r->reply, &r->params);
        return;
    }
    if (strlen(imp_uid) > IMP_UID_MAX) {
        control_fail(&r->reply, CONTROL_PAYMENT_NOT_FOUND, NULL);
        return;
    }
    if (!deposit_tenant(r, imp_uid, &tid))
        return;
    struct payment p;
    char detail[VBANK_DETAIL_MAX];
    enum mock_err e = vbank_deposit(r->app->store, tid, imp_uid, has_amount, amount, &p, detail);
    if (e != MOCK_OK) {
        control_fail_mock(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    cJSON *o = render_payment(&p);
    payment_fini(&p);
    if (!o) {
        control_fail(&r->reply, CONTROL_INTERNAL, NULL);
        return;
    }
    envelope_plain(&r->reply, 200, o);
}
