/* api_checkout.c - the browser half over HTTP (reference §9): the SDK script
 * (/v1/iamport.js), the Kakao Pay window page and its assets, the example
 * shop, and the JSON endpoints the script and the window call. Pages are
 * embedded at build time and served by exact name only; no file is ever
 * read from disk. The rules live in checkout.c.
 *
 *   POST /checkout/open                 request_pay -> window (or the refusal)
 *   GET  /checkout/session/{id}         what the window shows
 * Every /checkout/session/ call needs the window's key (window_key in the
 * answer to /open, handed to the page in the window URL's fragment): header
 * X-Impmock-Window, or a window_key field in the query or body.
 *   POST /checkout/session/{id}/approve {method: "card"|"money", card, quota}
 *   POST /checkout/session/{id}/cancel  the buyer gives up
 *   POST /checkout/session/{id}/auto    the scenario effect, no click
 *   POST /checkout/session/{id}/done    PC: the callback has run
 *   GET  /checkout/session/{id}/return  mobile: 302 to m_redirect_url?imp_uid=…
 */
#include "domain/checkout.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/form.h"
#include "http/render.h"
#include "infra/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The embedded sources (tools/embed.py); long literals are fine here. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
#endif
#include "http/asset_iamport_js.h"
#include "http/asset_shop_html.h"
#include "http/asset_window_css.h"
#include "http/asset_window_html.h"
#include "http/asset_window_js.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

static const char ctype_js[] = "application/javascript; charset=UTF-8";
static const char ctype_css[] = "text/css; charset=UTF-8";
static const char ctype_html[] = "text/html; charset=UTF-8";

/* ---- static pages ---- */

struct asset {
    const char *path; /* exact request path */
    const char *content_type;
    const char *data;
    const size_t *len;
};

/* clang-format off */
static const struct asset assets[] = {
    {"/v1/iamport.js",               ctype_js,   asset_iamport_js,   &asset_iamport_js_len},
    {"/checkout/assets/window.css",  ctype_css,  asset_window_css,   &asset_window_css_len},
    {"/checkout/assets/window.js",   ctype_js,   asset_window_js,    &asset_window_js_len},
    {"/examples/shop",               ctype_html, asset_shop_html,    &asset_shop_html_len},
};
/* clang-format on */

void api_checkout_asset(struct req *r)
{
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
        if (strcmp(r->path, assets[i].path) == 0) {
            reply_static(&r->reply, 200, assets[i].content_type, assets[i].data, *assets[i].len);
            return;
        }
    }
    envelope_fail(&r->reply, MOCK_NO_ROUTE, r->path);
}

/* The window page is the same for every window: its script reads the id
 * from the address and asks /checkout/session/{id}. */
void api_checkout_window_page(struct req *r)
{
    reply_static(&r->reply, 200, ctype_html, asset_window_html, asset_window_html_len);
}

/* ---- rendering ---- */

static struct billing billing_of(struct req *r)
{
    struct billing b = {r->app->store, &app_fixtures(r->app)->cards};
    return b;
}

/* The refusal's name for the SDK's error_code (exposed to other origins);
 * every bad parameter is BAD_PARAM there. */
static const char *const error_headers[MOCK__COUNT] = {
#define X(name, http, code, msg)                                                                   \
    "X-Impmock-Error: " #name "\r\nAccess-Control-Expose-Headers: X-Impmock-Error\r\n",
    MOCK_ERRORS(X)
#undef X
};

static const char *error_header(enum mock_err e)
{
    return error_headers[mock_err_bad_param(e) ? MOCK_BAD_PARAM : e];
}

static void fail(struct req *r, enum mock_err e, const char *detail)
{
    envelope_fail(&r->reply, e, detail && detail[0] ? detail : NULL);
    r->reply.extra_headers = error_header(e);
}

/* The failure a read recorded in r->params. */
static void fail_params(struct req *r)
{
    envelope_fail_params(&r->reply, &r->params);
    r->reply.extra_headers = error_header(r->params.err);
}

static bool add_str_or_empty(cJSON *o, const char *name, const char *s)
{
    return cJSON_AddStringToObject(o, name, s ? s : "") != NULL;
}

/* custom_data as the page passed it: the stored JSON text parsed back. */
static bool add_custom_data(cJSON *o, const char *text)
{
    /* depth-checked: form bodies store custom_data as any text, "[[[[..." too */
    cJSON *v = text ? json_parse_value(text, strlen(text)) : NULL;
    if (!v && text)
        v = cJSON_CreateString(text);
    if (!v)
        v = cJSON_CreateNull();
    if (!v || !cJSON_AddItemToObject(o, "custom_data", v)) {
        cJSON_Delete(v);
        return false;
    }
    return true;
}

/* The callback's rsp (reference §9.3) for a window's payment. */
static cJSON *render_rsp(const struct checkout_window *w, const struct payment *p)
{
    bool paid = p->status == PAY_PAID;
    bool money = strcmp(p->pay_method, "point") == 0;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddBoolToObject(o, "success", paid) ||
        !json_add_str(o, "error_code", paid ? NULL : w->error_code) ||
        !json_add_str(o, "error_msg", paid ? NULL : w->error_msg) ||
        !cJSON_AddStringToObject(o, "imp_uid", p->imp_uid) ||
        !cJSON_AddStringToObject(o, "merchant_uid", p->merchant_uid) ||
        !cJSON_AddStringToObject(o, "pay_method", p->pay_method) ||
        !cJSON_AddNumberToObject(o, "paid_amount", paid ? (double)p->amount : 0) ||
        !cJSON_AddStringToObject(o, "status", pay_status_name(p->status)) ||
        !add_str_or_empty(o, "name", p->name) ||
        !cJSON_AddStringToObject(o, "currency", p->currency) ||
        !cJSON_AddStringToObject(o, "pg_provider", p->pg_provider) ||
        !cJSON_AddStringToObject(o, "pg_type", "payment") ||
        !cJSON_AddStringToObject(o, "pg_tid", p->pg_tid) ||
        !add_str_or_empty(o, "apply_num", paid ? p->apply_num : NULL) ||
        !add_str_or_empty(o, "buyer_name", p->buyer_name) ||
        !add_str_or_empty(o, "buyer_email", p->buyer_email) ||
        !add_str_or_empty(o, "buyer_tel", p->buyer_tel) ||
        !add_str_or_empty(o, "buyer_addr", p->buyer_addr) ||
        !add_str_or_empty(o, "buyer_postcode", p->buyer_postcode) ||
        !add_custom_data(o, p->custom_data) ||
        !cJSON_AddNumberToObject(o, "paid_at", (double)p->paid_at) ||
        !json_add_str(o, "receipt_url", paid ? p->receipt_url : NULL) ||
        !json_add_str(o, "card_name", money ? NULL : p->card_name) ||
        !add_str_or_empty(o, "card_number", money ? NULL : p->card_number) ||
        !cJSON_AddNumberToObject(o, "card_quota", p->card_quota) ||
        !cJSON_AddNullToObject(o, "bank_name") || !cJSON_AddNullToObject(o, "vbank_num") ||
        !cJSON_AddNullToObject(o, "vbank_name") || !cJSON_AddNullToObject(o, "vbank_holder") ||
        !cJSON_AddNumberToObject(o, "vbank_date", 0) ||
        !json_add_str(o, "customer_uid", p->customer_uid)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static const char *flow_name(const struct checkout_window *w)
{
    return w->mobile ? "redirect" : "pc";
}

static const char *state_name(enum checkout_state s)
{
    return s == CHECKOUT_OPEN ? "open" : s == CHECKOUT_BUSY ? "busy" : "done";
}

static const char *auto_name(enum checkout_auto a)
{
    static const char *const names[] = {NULL,     "approve_card", "approve_money",
                                        "cancel", "fail",         "hang"};
    return (size_t)a < sizeof names / sizeof names[0] ? names[a] : NULL;
}

/* {state, flow, rsp} after an action, or the window's state alone. */
static void reply_outcome(struct req *r, const struct checkout_window *w, const struct payment *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *rsp = w->state == CHECKOUT_DONE ? render_rsp(w, p) : NULL;
    if (!o || !cJSON_AddStringToObject(o, "state", state_name(w->state)) ||
        !cJSON_AddStringToObject(o, "flow", flow_name(w)) ||
        !cJSON_AddStringToObject(o, "id", w->id) ||
        !(rsp ? cJSON_AddItemToObject(o, "rsp", rsp) : cJSON_AddNullToObject(o, "rsp") != NULL)) {
        cJSON_Delete(rsp);
        cJSON_Delete(o);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    envelope_ok(&r->reply, 200, o);
}

/* ---- POST /checkout/open ---- */

static const cJSON *body_object(const cJSON *parent, const char *name)
{
    const cJSON *it = parent ? cJSON_GetObjectItemCaseSensitive(parent, name) : NULL;
    return cJSON_IsObject(it) ? it : NULL;
}

/* bypass.kakaopay.{payment_method_type, custom_message} (reference §9.2). */
static bool read_bypass(struct req *r, struct checkout_request *rq)
{
    const cJSON *kp = body_object(body_object(r->params.body, "bypass"), "kakaopay");
    const cJSON *type = kp ? cJSON_GetObjectItemCaseSensitive(kp, "payment_method_type") : NULL;
    const cJSON *msg = kp ? cJSON_GetObjectItemCaseSensitive(kp, "custom_message") : NULL;
    rq->methods = CHECKOUT_ANY;
    if (type && !cJSON_IsNull(type)) {
        const char *t = cJSON_IsString(type) ? type->valuestring : "";
        if (strcmp(t, "CARD") == 0) {
            rq->methods = CHECKOUT_CARD_ONLY;
        } else if (strcmp(t, "MONEY") == 0) {
            rq->methods = CHECKOUT_MONEY_ONLY;
        } else {
            return param_fail(&r->params, MOCK_CHECKOUT_METHOD_TYPE, NULL, 0);
        }
    }
    if (msg && !cJSON_IsNull(msg)) {
        if (!cJSON_IsString(msg) || strlen(msg->valuestring) > CHECKOUT_MESSAGE_MAX) {
            char max[16];
            snprintf(max, sizeof max, "%d", CHECKOUT_MESSAGE_MAX);
            return param_fail1(&r->params, MOCK_CHECKOUT_CUSTOM_MESSAGE, max);
        }
        rq->custom_message = msg->valuestring[0] ? msg->valuestring : NULL;
    }
    return true;
}

/* display.card_quota: installment months offered, e.g. [0, 2, 3]. */
static bool read_quota(struct req *r, int *quotas, struct checkout_request *rq)
{
    const cJSON *d = body_object(r->params.body, "display");
    const cJSON *q = d ? cJSON_GetObjectItemCaseSensitive(d, "card_quota") : NULL;
    rq->card_quotas = quotas;
    rq->n_card_quotas = 0;
    if (!q || cJSON_IsNull(q))
        return true;
    bool ok = cJSON_IsArray(q) && cJSON_GetArraySize(q) <= CHECKOUT_QUOTAS_MAX;
    const cJSON *m;
    cJSON_ArrayForEach(m, q)
    {
        ok = ok && cJSON_IsNumber(m) && m->valuedouble >= 0 &&
             m->valuedouble <= CHECKOUT_QUOTA_MONTHS && m->valuedouble == (double)m->valueint;
        if (ok && m->valueint > 0)
            quotas[rq->n_card_quotas++] = m->valueint;
    }
    if (!ok) {
        char months[16], count[16];
        snprintf(months, sizeof months, "%d", CHECKOUT_QUOTA_MONTHS);
        snprintf(count, sizeof count, "%d", CHECKOUT_QUOTAS_MAX);
        const char *args[] = {months, count};
        return param_fail(&r->params, MOCK_CHECKOUT_CARD_QUOTAS, args, 2);
    }
    return true;
}

static bool is_http_url(const char *u)
{
    return strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0;
}

/* The request_pay parameters (reference §9.2) as the SDK forwards them,
 * plus user_code (IMP.init's code), tier_code (IMP.agency's), impmock_flow
 * ("pc" or "redirect") and impmock_origin (the page's origin). The failure
 * is recorded in r->params; on success release f with fields_order_fini
 * and *ret_notice (backing the order's notice_url) with free(). */
static bool read_request(struct req *r, struct checkout_request *rq, int *quotas,
                         struct fields_order *f, char **ret_notice)
{
    struct params *p = &r->params;
    const char *flow = NULL, *ignored = NULL;
    memset(rq, 0, sizeof *rq);
    *ret_notice = NULL;
    if (!param_str(p, "user_code", MERCHANT_CODE_MAX, false, &rq->merchant_code) ||
        !fields_read_text(p, "tier_code", 64, &ignored) || !fields_read_order(p, FIELDS_WINDOW, f))
        return false;
    if (!fields_read_pg(p, &rq->pg) ||
        !fields_read_text(p, "pay_method", PAY_METHOD_MAX, &rq->pay_method) ||
        !fields_read_text(p, "customer_uid", CUSTOMER_UID_MAX, &rq->customer_uid) ||
        !fields_read_text(p, "m_redirect_url", URL_MAX, &rq->m_redirect_url) ||
        !fields_read_text(p, "impmock_flow", 16, &flow) ||
        !fields_read_text(p, "impmock_origin", CHECKOUT_ORIGIN_MAX, &rq->origin) ||
        !read_bypass(r, rq) || !read_quota(r, quotas, rq) ||
        !fields_read_notice_url(p, "notice_url", ret_notice)) {
        fields_order_fini(f);
        return false;
    }
    rq->order = f->order;
    rq->order.notice_url = *ret_notice;
    rq->mobile = flow && strcmp(flow, "redirect") == 0;
    if (rq->mobile && (!rq->m_redirect_url || !is_http_url(rq->m_redirect_url))) {
        fields_order_fini(f);
        free(*ret_notice);
        *ret_notice = NULL;
        return param_fail1(p, MOCK_PARAM_NOT_PAGE_URL, "m_redirect_url");
    }
    rq->user_agent = r->user_agent;
    return true;
}

void api_checkout_open(struct req *r)
{
    struct checkout_request rq;
    int quotas[CHECKOUT_QUOTAS_MAX];
    struct fields_order f;
    char *notice = NULL;
    if (!read_request(r, &rq, quotas, &f, &notice)) {
        fail_params(r);
        return;
    }
    struct billing b = billing_of(r);
    struct checkout_window w;
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e = checkout_open(&b, &rq, &w, detail);
    fields_order_fini(&f);
    free(notice);
    if (e != MOCK_OK) {
        fail(r, e, detail);
        return;
    }
    char url[64];
    snprintf(url, sizeof url, "/checkout/window/%s", w.id);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "imp_uid", w.imp_uid) ||
        !cJSON_AddStringToObject(o, "merchant_uid", w.merchant_uid) ||
        !cJSON_AddStringToObject(o, "id", w.id) || !cJSON_AddStringToObject(o, "window_url", url) ||
        !cJSON_AddStringToObject(o, "window_key", w.key) ||
        !cJSON_AddStringToObject(o, "flow", flow_name(&w))) {
        cJSON_Delete(o);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    envelope_ok(&r->reply, 200, o);
}

/* ---- the window's key ---- */

/* Whether the request carries window args[0]'s key; false with the refusal
 * rendered. The header is what the window's fetches send; the field serves
 * the mobile return (a navigation) and the SDK's last call (a simple POST,
 * so a page that is leaving needs no preflight). */
static bool key_ok(struct req *r)
{
    const char *key = r->window_key;
    if (!key) {
        const cJSON *it = param_item(&r->params, "window_key", NULL);
        key = cJSON_IsString(it) ? it->valuestring : NULL;
    }
    enum mock_err e = checkout_check_key(r->args[0], key);
    if (e != MOCK_OK)
        fail(r, e, NULL);
    return e == MOCK_OK;
}

/* ---- GET /checkout/session/{id} ---- */

/* One card of the buyer's Kakao Pay wallet: the test cards, so a person
 * (or a test) picks the outcome by picking the card. */
static cJSON *render_card(const struct test_card *c, int index)
{
    char masked[CARD_DIGITS_MAX + 1];
    cards_mask(c->digits, masked);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "index", index) ||
        !cJSON_AddStringToObject(o, "name", c->card_name) ||
        !cJSON_AddStringToObject(o, "number", masked) ||
        !cJSON_AddStringToObject(o, "type", c->card_type == 1 ? "check" : "credit") ||
        !cJSON_AddStringToObject(o, "outcome",
                                 c->outcome == CARD_APPROVE     ? "approve"
                                 : c->outcome == CARD_DECLINE   ? "decline"
                                 : c->outcome == CARD_AUTH_FAIL ? "auth_fail"
                                                                : "approve_then_decline") ||
        !json_add_str(o, "fail_reason", c->fail_reason[0] ? c->fail_reason : NULL) ||
        !cJSON_AddStringToObject(o, "description", c->description)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static bool add_methods(cJSON *o, const struct checkout_window *w)
{
    cJSON *a = cJSON_AddArrayToObject(o, "methods");
    if (!a)
        return false;
    bool ok = true;
    if (w->methods != CHECKOUT_MONEY_ONLY)
        ok = cJSON_AddItemToArray(a, cJSON_CreateString("card"));
    if (ok && w->methods != CHECKOUT_CARD_ONLY)
        ok = cJSON_AddItemToArray(a, cJSON_CreateString("money"));
    return ok;
}

static bool add_quotas(cJSON *o, const struct checkout_window *w)
{
    cJSON *a = cJSON_AddArrayToObject(o, "card_quotas");
    for (int m = 2; a && m <= CHECKOUT_QUOTA_MONTHS; m++)
        if (checkout_quota_allowed(w, m) && !cJSON_AddItemToArray(a, cJSON_CreateNumber(m)))
            return false;
    return a != NULL;
}

static bool add_auto(cJSON *o, const struct checkout_window *w)
{
    const char *name = auto_name(w->auto_action);
    if (!name)
        return cJSON_AddNullToObject(o, "auto") != NULL;
    cJSON *a = cJSON_AddObjectToObject(o, "auto");
    return a && cJSON_AddStringToObject(a, "action", name) &&
           cJSON_AddNumberToObject(a, "delay_ms", w->auto_delay_ms) &&
           cJSON_AddStringToObject(a, "scenario", w->auto_scenario);
}

void api_checkout_session(struct req *r)
{
    if (!key_ok(r))
        return;
    struct checkout_window w;
    enum mock_err e = checkout_get(r->args[0], &w);
    struct payment p;
    if (e == MOCK_OK)
        e = store_payment_get(r->app->store, w.tid, w.imp_uid, &p);
    if (e != MOCK_OK) {
        fail(r, e == MOCK_PAYMENT_NOT_FOUND ? MOCK_CHECKOUT_NOT_FOUND : e, NULL);
        return;
    }
    struct merchant m;
    bool known = store_tenant_merchant(r->app->store, w.tid, &m);
    const struct card_table *cards = &app_fixtures(r->app)->cards;
    cJSON *o = cJSON_CreateObject();
    cJSON *list = NULL, *rsp = NULL;
    bool ok = o && cJSON_AddStringToObject(o, "id", w.id) &&
              cJSON_AddStringToObject(o, "state", state_name(w.state)) &&
              cJSON_AddStringToObject(o, "flow", flow_name(&w)) &&
              cJSON_AddStringToObject(o, "merchant_name", known ? m.name : "") &&
              cJSON_AddStringToObject(o, "imp_uid", p.imp_uid) &&
              cJSON_AddStringToObject(o, "merchant_uid", p.merchant_uid) &&
              json_add_str(o, "name", p.name) &&
              cJSON_AddNumberToObject(o, "amount", (double)p.amount) &&
              cJSON_AddNumberToObject(o, "tax_free", (double)p.tax_free) &&
              cJSON_AddStringToObject(o, "currency", p.currency) &&
              json_add_str(o, "buyer_name", p.buyer_name) &&
              cJSON_AddStringToObject(o, "pg_provider", p.pg_provider) &&
              cJSON_AddStringToObject(o, "pg_id", p.pg_id) &&
              cJSON_AddStringToObject(o, "pg_tid", p.pg_tid) &&
              cJSON_AddBoolToObject(o, "issue_key", w.issue_key) &&
              json_add_str(o, "customer_uid", p.customer_uid) &&
              json_add_str(o, "custom_message", w.custom_message[0] ? w.custom_message : NULL) &&
              cJSON_AddStringToObject(o, "origin", w.origin) && add_methods(o, &w) &&
              add_quotas(o, &w) && add_auto(o, &w) && (list = cJSON_AddArrayToObject(o, "cards"));
    for (size_t i = 0; ok && i < cards->n; i++) {
        cJSON *c = render_card(&cards->cards[i], (int)i);
        ok = c && cJSON_AddItemToArray(list, c);
        if (!ok)
            cJSON_Delete(c);
    }
    if (ok && w.state == CHECKOUT_DONE) {
        rsp = render_rsp(&w, &p);
        ok = rsp && cJSON_AddItemToObject(o, "rsp", rsp);
        if (!ok)
            cJSON_Delete(rsp);
    } else if (ok) {
        ok = cJSON_AddNullToObject(o, "rsp") != NULL;
    }
    payment_fini(&p);
    if (!ok) {
        cJSON_Delete(o);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    envelope_ok(&r->reply, 200, o);
}

/* ---- actions ---- */

static void act(struct req *r, enum checkout_action action, const struct billing_window_pick *pick)
{
    struct billing b = billing_of(r);
    struct checkout_window w;
    struct payment p;
    enum mock_err e = checkout_act(&b, r->args[0], action, pick, &w, &p);
    if (e != MOCK_OK) {
        fail(r, e, NULL);
        return;
    }
    reply_outcome(r, &w, &p);
    payment_fini(&p);
}

void api_checkout_approve(struct req *r)
{
    if (!key_ok(r))
        return; /* before the fields: a caller without the key learns nothing */
    const char *method = NULL;
    int64_t card = 0, quota = 0;
    bool has_card = false;
    if (!param_str(&r->params, "method", 8, true, &method) ||
        !param_int(&r->params, "card", -1, 1000000, false, &card, &has_card) ||
        !param_int(&r->params, "quota", 0, CHECKOUT_QUOTA_MONTHS, false, &quota, NULL)) {
        fail_params(r);
        return;
    }
    bool money = strcmp(method, "money") == 0;
    if (!money && strcmp(method, "card") != 0) {
        fail(r, MOCK_CHECKOUT_PICK, NULL);
        return;
    }
    struct billing_window_pick pick = {
        .money = money,
        .card_profile = has_card ? (int)card : (app_fixtures(r->app)->cards.n ? 0 : -1),
        .card_quota = (int)quota,
    };
    act(r, CHECKOUT_APPROVE, &pick);
}

void api_checkout_cancel(struct req *r)
{
    if (key_ok(r))
        act(r, CHECKOUT_CANCEL, NULL);
}

void api_checkout_auto(struct req *r)
{
    if (key_ok(r))
        act(r, CHECKOUT_AUTO, NULL);
}

/* PC flow: the SDK has run the merchant's callback. */
void api_checkout_done(struct req *r)
{
    if (!key_ok(r))
        return;
    struct checkout_window w;
    enum mock_err e = checkout_returned(r->args[0], &w);
    if (e != MOCK_OK) {
        fail(r, e, NULL);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (o)
        cJSON_AddStringToObject(o, "state", state_name(w.state));
    envelope_ok(&r->reply, 200, o);
}

/* Appends name=value to a query string, percent-encoding the value. */
static void query_add(char *q, size_t cap, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(q);
    int w = snprintf(q + n, cap - n, "%s%s=", n ? "&" : "", name);
    if (w < 0 || (size_t)w >= cap - n)
        return;
    n += (size_t)w;
    for (const unsigned char *v = (const unsigned char *)value; *v && n + 4 < cap; v++) {
        bool plain = (*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
                     (*v >= '0' && *v <= '9') || *v == '-' || *v == '_' || *v == '.' || *v == '~';
        if (plain) {
            q[n++] = (char)*v;
        } else {
            q[n++] = '%';
            q[n++] = hex[*v >> 4];
            q[n++] = hex[*v & 15];
        }
    }
    q[n] = '\0';
}

/* Longest Location header line a redirect can need. */
#define LOCATION_MAX (URL_MAX + 2 * REASON_MAX * 3 + 256)

/* Mobile flow: 302 to m_redirect_url?imp_uid=…&merchant_uid=…&imp_success=…
 * (reference §9.4), once the window is done. */
void api_checkout_return(struct req *r)
{
    if (!key_ok(r))
        return;
    struct checkout_window w;
    enum mock_err e = checkout_returned(r->args[0], &w);
    if (e == MOCK_OK && !w.m_redirect_url[0])
        e = MOCK_CHECKOUT_NOT_FOUND; /* a PC window has nowhere to return to */
    if (e != MOCK_OK) {
        fail(r, e, NULL);
        return;
    }
    char q[LOCATION_MAX - URL_MAX - 32] = "";
    query_add(q, sizeof q, "imp_uid", w.imp_uid);
    query_add(q, sizeof q, "merchant_uid", w.merchant_uid);
    query_add(q, sizeof q, "imp_success", w.success ? "true" : "false");
    if (!w.success) {
        query_add(q, sizeof q, "error_code", w.error_code);
        query_add(q, sizeof q, "error_msg", w.error_msg);
    }
    char *hash = strchr(w.m_redirect_url, '#'); /* a fragment stays last */
    char fragment[URL_MAX + 1] = "";
    if (hash) {
        snprintf(fragment, sizeof fragment, "%s", hash);
        *hash = '\0';
    }
    char *location = malloc(LOCATION_MAX);
    if (!location) {
        fail(r, MOCK_INTERNAL, NULL);
        return;
    }
    snprintf(location, LOCATION_MAX, "Location: %s%c%s%s\r\n", w.m_redirect_url,
             strchr(w.m_redirect_url, '?') ? '&' : '?', q, fragment);
    static const char body[] =
        "<!doctype html><title>impmock</title>결제 결과 페이지로 이동합니다.";
    reply_static(&r->reply, 302, ctype_html, body, sizeof body - 1);
    r->reply.extra_headers = r->reply.headers_owned = location;
}
