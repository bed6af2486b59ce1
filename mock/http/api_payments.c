/* api_payments.c - payment lookups and pre-registration (reference §3.1-3.6, §3.8). */
#include "base/limits.h"
#include "http/api.h"
#include "http/render.h"
#include "infra/clock.h"

#include <stdio.h>
#include <string.h>

#define MULTI_MAX     100
#define STATUS_WINDOW (90 * 24 * 3600)

void api_bad_page(struct req *r, size_t total, size_t limit)
{
    char total_text[24], limit_text[24];
    snprintf(total_text, sizeof total_text, "%zu", total);
    snprintf(limit_text, sizeof limit_text, "%zu", limit);
    const char *args[] = {total_text, limit_text};
    envelope_fail_args(&r->reply, MOCK_BAD_PAGE, args, 2);
}

void api_reply_payment(struct req *r, const struct payment *p)
{
    size_t len;
    const char *text = render_payment_answer(p, &len);
    if (!text)
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
    else
        reply_borrowed(&r->reply, 200, "application/json; charset=UTF-8", text, len);
}

static bool parse_sorting(struct req *r, struct pay_query *q)
{
    const char *s = "-started";
    if (!param_str(&r->params, "sorting", 16, false, &s))
        return api_bad_param(r);
    q->descending = s[0] == '-';
    const char *key = q->descending ? s + 1 : s;
    if (!strcmp(key, "started"))
        q->sort = SORT_STARTED;
    else if (!strcmp(key, "paid"))
        q->sort = SORT_PAID;
    else if (!strcmp(key, "updated"))
        q->sort = SORT_UPDATED;
    else {
        envelope_fail(&r->reply, MOCK_BAD_SORTING, s);
        return false;
    }
    return true;
}

static bool parse_status(struct req *r, const char *name, bool allow_all, int *ret)
{
    enum pay_status st;
    if (allow_all && !strcmp(name, "all")) {
        *ret = -1;
        return true;
    }
    if (!pay_status_parse(name, &st)) {
        envelope_fail(&r->reply, MOCK_BAD_STATUS, NULL);
        return false;
    }
    *ret = (int)st;
    return true;
}

static bool parse_paging(struct req *r, struct pay_query *q)
{
    int64_t page = 1, limit = 20;
    if (!param_page(&r->params, &page) ||
        !param_int(&r->params, "limit", 1, LIST_LIMIT_MAX, false, &limit, NULL))
        return api_bad_param(r);
    q->page = (size_t)page;
    q->limit = (size_t)limit;
    return true;
}

static void reply_page(struct req *r, const struct pay_query *q, bool not_found_when_empty)
{
    struct pay_page pg;
    enum mock_err e = store_payment_query(r->app->store, r->tid, q, &pg);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    if (pg.total == 0 && not_found_when_empty) {
        envelope_fail(&r->reply, MOCK_PAYMENT_NOT_FOUND, NULL);
    } else if (pg.n == 0 && (pg.total > 0 || q->page > 1)) {
        /* past the last page; with no match at all only page 1 exists */
        api_bad_page(r, pg.total, q->limit);
    } else {
        cJSON *o = render_payment_page(&pg, q->page, q->limit);
        if (o)
            envelope_ok(&r->reply, 200, o);
        else
            envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
    }
    store_page_free(&pg);
}

void api_payment_get(struct req *r)
{
    struct payment p;
    enum mock_err e = store_payment_get(r->app->store, r->tid, r->args[0], &p);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    api_reply_payment(r, &p);
    payment_fini(&p);
}

/* Newest payment of an order (by `sorting`, default -started), optionally with a status. */
static enum mock_err find_one(struct req *r, const char *merchant_uid, int status,
                              const struct pay_query *sort, struct payment *ret)
{
    struct pay_query q = *sort;
    q.merchant_uid = merchant_uid;
    q.status = status;
    q.page = 1;
    q.limit = 1;
    struct pay_page pg;
    enum mock_err e = store_payment_query(r->app->store, r->tid, &q, &pg);
    if (e != MOCK_OK)
        return e;
    if (pg.n == 0) {
        store_page_free(&pg);
        return MOCK_PAYMENT_NOT_FOUND;
    }
    *ret = pg.items[0];
    pg.n = 0; /* ownership of items[0] moved to ret */
    store_page_free(&pg);
    return MOCK_OK;
}

void api_payments_multi(struct req *r)
{
    const char *imp_uids[MULTI_MAX], *merchant_uids[MULTI_MAX];
    size_t ni = 0, nm = 0;
    if (!param_str_list(&r->params, "imp_uid", MULTI_MAX, IMP_UID_MAX, imp_uids, &ni) ||
        !param_str_list(&r->params, "merchant_uid", MULTI_MAX, MERCHANT_UID_MAX, merchant_uids,
                        &nm)) {
        api_bad_param(r);
        return;
    }
    if (ni + nm == 0) {
        envelope_fail(&r->reply, MOCK_PAYMENTS_NO_ID, NULL);
        return;
    }
    if (ni + nm > MULTI_MAX) {
        char max[16];
        snprintf(max, sizeof max, "%d", MULTI_MAX);
        envelope_fail(&r->reply, MOCK_PAYMENTS_TOO_MANY_IDS, max);
        return;
    }
    cJSON *list = cJSON_CreateArray();
    size_t found = 0;
    struct pay_query sort = {.sort = SORT_STARTED, .descending = true};
    for (size_t i = 0; list && i < ni + nm; i++) {
        struct payment p;
        enum mock_err e = i < ni ? store_payment_get(r->app->store, r->tid, imp_uids[i], &p)
                                 : find_one(r, merchant_uids[i - ni], -1, &sort, &p);
        if (e == MOCK_PAYMENT_NOT_FOUND)
            continue;
        cJSON *o = e == MOCK_OK ? render_payment(&p) : NULL;
        if (e == MOCK_OK)
            payment_fini(&p);
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
        envelope_fail(&r->reply, MOCK_PAYMENT_NOT_FOUND, NULL);
    } else {
        envelope_ok(&r->reply, found == ni + nm ? 200 : 207, list);
    }
}

void api_payment_find(struct req *r)
{
    struct pay_query sort = {0};
    int status = -1;
    if (!parse_sorting(r, &sort))
        return;
    if (r->nargs > 1 && !parse_status(r, r->args[1], false, &status))
        return;
    struct payment p;
    enum mock_err e = find_one(r, r->args[0], status, &sort, &p);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    api_reply_payment(r, &p);
    payment_fini(&p);
}

void api_payment_find_all(struct req *r)
{
    struct pay_query q = {.status = -1};
    if (!parse_sorting(r, &q) || !parse_paging(r, &q))
        return;
    if (r->nargs > 1 && !parse_status(r, r->args[1], false, &q.status))
        return;
    q.merchant_uid = r->args[0];
    reply_page(r, &q, true);
}

void api_payments_by_status(struct req *r)
{
    struct pay_query q = {.status = -1};
    if (!parse_status(r, r->args[0], true, &q.status) || !parse_sorting(r, &q) ||
        !parse_paging(r, &q))
        return;
    int64_t now = clock_now();
    int64_t to = now, from;
    bool has_from = false, has_to = false;
    if (!param_int(&r->params, "to", 0, AMOUNT_MAX, false, &to, &has_to) ||
        !param_int(&r->params, "from", 0, AMOUNT_MAX, false, &from, &has_from)) {
        api_bad_param(r);
        return;
    }
    if (!has_from)
        from = to - STATUS_WINDOW;
    if (from > to) {
        const char *names[] = {"from", "to"};
        envelope_fail_args(&r->reply, MOCK_PARAM_FROM_AFTER_TO, names, 2);
        return;
    }
    if (to - from > STATUS_WINDOW) {
        envelope_fail(&r->reply, MOCK_PAYMENTS_WINDOW, NULL);
        return;
    }
    q.time_filter = true;
    q.from = from;
    q.to = to;
    reply_page(r, &q, false);
}

static cJSON *amount_block(int64_t total, int64_t tax_free)
{
    /* VAT-inclusive split of the taxable part: supply = round(taxable / 1.1) */
    int64_t taxable = total - tax_free;
    int64_t supply = (taxable * 10 + 5) / 11;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "tax_free", (double)tax_free) ||
        !cJSON_AddNumberToObject(o, "supply", (double)supply) ||
        !cJSON_AddNumberToObject(o, "vat", (double)(taxable - supply)) ||
        !cJSON_AddNumberToObject(o, "service", 0)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

void api_payment_balance(struct req *r)
{
    struct payment p;
    enum mock_err e = store_payment_get(r->app->store, r->tid, r->args[0], &p);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    if (strcmp(p.pg_provider, "payco") != 0) {
        payment_fini(&p);
        envelope_fail(&r->reply, MOCK_BALANCE_UNSUPPORTED, NULL);
        return;
    }
    int64_t remaining = p.amount - p.cancel_amount;
    int64_t tax_free_left = p.tax_free - p.cancel_tax_free;
    cJSON *o = cJSON_CreateObject();
    cJSON *hist = NULL;
    /* amount is the first total paid (the Swagger's 최초 총 결제금액), the
     * blocks what is left after refunds */
    bool ok = o && render_add_int(o, "amount", p.amount) &&
              cJSON_AddItemToObject(o, "cash_receipt", amount_block(0, 0)) &&
              cJSON_AddItemToObject(o, "primary", amount_block(remaining, tax_free_left)) &&
              cJSON_AddItemToObject(o, "secondary", amount_block(0, 0)) &&
              cJSON_AddItemToObject(o, "discount", amount_block(0, 0)) &&
              (hist = cJSON_AddArrayToObject(o, "histories")) != NULL;
    payment_fini(&p);
    if (!ok) {
        cJSON_Delete(o);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    envelope_ok(&r->reply, 200, o);
}

static void prepare_write(struct req *r, bool update)
{
    const char *muid = NULL, *currency = NULL;
    int64_t amount = 0;
    if (!param_str(&r->params, "merchant_uid", MERCHANT_UID_MAX, true, &muid) ||
        !param_amount(&r->params, "amount", true, &amount, NULL) ||
        !param_str(&r->params, "currency", CURRENCY_MAX, false, &currency)) {
        api_bad_param(r);
        return;
    }
    struct prepare p;
    memset(&p, 0, sizeof p);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "%s", muid);
    p.amount = amount;
    snprintf(p.currency, sizeof p.currency, "%s", currency ? currency : "");
    enum mock_err e = store_prepare_put(r->app->store, r->tid, &p, update);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    cJSON *o = render_prepare(&p);
    if (o)
        envelope_ok(&r->reply, 200, o);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

void api_prepare_post(struct req *r)
{
    prepare_write(r, false);
}

void api_prepare_put(struct req *r)
{
    prepare_write(r, true);
}

void api_prepare_get(struct req *r)
{
    struct prepare p;
    enum mock_err e = store_prepare_get(r->app->store, r->tid, r->args[0], &p);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    cJSON *o = render_prepare(&p);
    if (o)
        envelope_ok(&r->reply, 200, o);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}
