/* admin_data.c - the control API's reads of a tenant's records, for the
 * dashboard and for tests that would rather ask than keep track, and the
 * switch that turns a loaded scenario off and on. Plain JSON like the rest
 * of /__mock/; records are rendered as the REST API renders them.
 *
 *   GET  /__mock/tenants                    [{imp_key, merchant_code, ..., counts}]
 *   GET  /__mock/payments?imp_key=&...      {total, previous, next, list: [Payment]}
 *   GET  /__mock/customers?imp_key=&...     {total, previous, next, list: [Customer]}
 *   GET  /__mock/schedules?imp_key=&...     {total, previous, next, list: [Schedule]}
 *   GET  /__mock/errors                     [{name, http, code, message}]
 *   POST /__mock/scenarios/{name}/enabled   {"enabled": bool} -> the scenario list
 */
#include "base/limits.h"
#include "http/api.h"
#include "http/control.h"
#include "http/render.h"
#include "infra/scenario.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 20 /* items per page when ?limit= is absent, as in the REST lists */

static void reply_error(struct req *r, enum control_err e, const char *detail)
{
    control_fail(&r->reply, e, detail);
}

/* The failure a read recorded in r->params, in the control API's shape;
 * returns false for `return` chains. */
static bool reply_bad_param(struct req *r)
{
    control_fail_params(&r->reply, &r->params);
    return false;
}

/* The tenant ?imp_key= names, else the first fixture merchant (as export);
 * false with the 400 or 404 rendered. */
static bool tenant_of(struct req *r, int *ret_tid)
{
    const char *key = NULL;
    if (!param_str(&r->params, "imp_key", IMP_KEY_MAX, false, &key))
        return reply_bad_param(r);
    if (!key) {
        struct merchant m;
        if (!store_tenant_merchant(r->app->store, 0, &m)) {
            reply_error(r, CONTROL_TENANT_NOT_FOUND, NULL);
            return false;
        }
        *ret_tid = 0;
        return true;
    }
    if (!store_tenant_by_key(r->app->store, key, ret_tid, NULL)) {
        reply_error(r, CONTROL_TENANT_NOT_FOUND, NULL);
        return false;
    }
    return true;
}

/* ?page= (from 1) and ?limit= (1 to LIST_LIMIT_MAX, default 20). */
static bool read_paging(struct req *r, size_t *ret_page, size_t *ret_limit)
{
    int64_t page = 1, limit = DEFAULT_LIMIT;
    if (!param_int(&r->params, "page", 1, PAGE_MAX, false, &page, NULL) ||
        !param_int(&r->params, "limit", 1, LIST_LIMIT_MAX, false, &limit, NULL))
        return reply_bad_param(r);
    *ret_page = (size_t)page;
    *ret_limit = (size_t)limit;
    return true;
}

/* {total, previous, next, list}, list taking ownership of the items the
 * caller rendered (NULL ones mean out of memory); NULL on OOM. */
static cJSON *page_object(size_t total, size_t page, size_t limit, cJSON *list)
{
    size_t last = (total + limit - 1) / limit;
    cJSON *o = cJSON_CreateObject();
    if (!o || !list || !cJSON_AddNumberToObject(o, "total", (double)total) ||
        !cJSON_AddNumberToObject(o, "previous",
                                 page > 1 && page - 1 <= last ? (double)(page - 1) : 0) ||
        !cJSON_AddNumberToObject(o, "next", page < last ? (double)(page + 1) : 0) ||
        !cJSON_AddItemToObject(o, "list", list)) {
        cJSON_Delete(o);
        cJSON_Delete(list);
        return NULL;
    }
    return o;
}

/* Adds item to arr; false (item freed) when either is missing. */
static bool append(cJSON *arr, cJSON *item)
{
    if (arr && item && cJSON_AddItemToArray(arr, item))
        return true;
    cJSON_Delete(item);
    return false;
}

static void reply_json(struct req *r, cJSON *o)
{
    if (o)
        envelope_plain(&r->reply, 200, o);
    else
        reply_error(r, CONTROL_INTERNAL, NULL);
}

/* ---- tenants ---- */

/* How many records of each kind tenant tid holds; NULL on OOM. */
static cJSON *tenant_counts(struct store *s, int tid)
{
    struct pay_query pq = {.status = -1, .page = 1, .limit = 1};
    struct sched_query sq = {.status = -1, .page = 1, .limit = 1};
    struct pay_page pp;
    struct sched_page sp;
    struct customer *keys = NULL;
    struct prepare *prepares = NULL;
    size_t n_keys = 0, n_prepares = 0, n_pays = 0, n_scheds = 0;
    bool ok = store_payment_query(s, tid, &pq, &pp) == MOCK_OK;
    if (ok) {
        n_pays = pp.total;
        store_page_free(&pp);
    }
    ok = ok && store_schedule_query(s, tid, &sq, &sp) == MOCK_OK;
    if (ok) {
        n_scheds = sp.total;
        store_sched_page_free(&sp);
    }
    ok = ok && store_customer_list(s, tid, &keys, &n_keys) == MOCK_OK;
    store_customers_free(keys, n_keys);
    ok = ok && store_prepare_list(s, tid, &prepares, &n_prepares) == MOCK_OK;
    free(prepares);
    cJSON *o = ok ? cJSON_CreateObject() : NULL;
    if (!o || !cJSON_AddNumberToObject(o, "payments", (double)n_pays) ||
        !cJSON_AddNumberToObject(o, "billing_keys", (double)n_keys) ||
        !cJSON_AddNumberToObject(o, "schedules", (double)n_scheds) ||
        !cJSON_AddNumberToObject(o, "prepares", (double)n_prepares)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* One tenant as the picker shows it; never its imp_secret. NULL on OOM. */
static cJSON *tenant_json(struct store *s, int tid, const struct merchant *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *counts = tenant_counts(s, tid);
    if (!o || !counts || !cJSON_AddStringToObject(o, "imp_key", m->imp_key) ||
        !cJSON_AddStringToObject(o, "merchant_code", m->merchant_code) ||
        !cJSON_AddStringToObject(o, "name", m->name) ||
        !cJSON_AddStringToObject(o, "default_pg", m->default_pg) ||
        !(m->webhook_url[0] ? cJSON_AddStringToObject(o, "webhook_url", m->webhook_url)
                            : cJSON_AddNullToObject(o, "webhook_url")) ||
        !cJSON_AddItemToObject(o, "counts", counts)) {
        cJSON_Delete(counts);
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Every tenant there is, fixture ones first, in the order they were made. */
void admin_tenants(struct req *r)
{
    struct store *s = r->app->store;
    size_t n = store_tenant_count(s);
    cJSON *arr = cJSON_CreateArray();
    for (size_t tid = 0; arr && tid < n; tid++) {
        struct merchant m;
        if (!store_tenant_merchant(s, (int)tid, &m))
            continue; /* removed */
        if (!append(arr, tenant_json(s, (int)tid, &m))) {
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    reply_json(r, arr);
}

/* ---- payments ---- */

/* ?status= as a status name, "" or "all" for any; -1 for any. */
static bool read_status(struct req *r, bool schedule, int *ret_status)
{
    const char *name = NULL;
    if (!param_str(&r->params, "status", 16, false, &name))
        return reply_bad_param(r);
    *ret_status = -1;
    if (!name || !name[0] || strcmp(name, "all") == 0)
        return true;
    enum pay_status ps;
    enum sched_status ss;
    if (schedule ? sched_status_parse(name, &ss) : pay_status_parse(name, &ps)) {
        *ret_status = schedule ? (int)ss : (int)ps;
        return true;
    }
    reply_error(r, CONTROL_BAD_PARAM,
                schedule ? "status is one of scheduled, executed, revoked (or all)"
                         : "status is one of ready, paid, failed, cancelled (or all)");
    return false;
}

/* An empty filter is no filter (a form sends its empty fields). */
static const char *filter(const char *s)
{
    return s && s[0] ? s : NULL;
}

static bool same_or_any(const char *want, const char *have)
{
    return !want || (have && strcmp(want, have) == 0);
}

/* The one payment ?imp_uid= names, as a page of 0 or 1 that also honours
 * the other filters; false with the error rendered. */
static bool payment_by_imp_uid(struct req *r, int tid, const char *imp_uid,
                               const struct pay_query *q, struct pay_page *ret)
{
    memset(ret, 0, sizeof *ret);
    struct payment p;
    enum mock_err e = store_payment_get(r->app->store, tid, imp_uid, &p);
    if (e == MOCK_PAYMENT_NOT_FOUND)
        return true;
    if (e != MOCK_OK) {
        reply_error(r, CONTROL_INTERNAL, NULL);
        return false;
    }
    if (!same_or_any(q->merchant_uid, p.merchant_uid) ||
        !same_or_any(q->customer_uid, p.customer_uid) ||
        (q->status >= 0 && (int)p.status != q->status)) {
        payment_fini(&p);
        return true;
    }
    ret->items = malloc(sizeof *ret->items);
    if (!ret->items) {
        payment_fini(&p);
        reply_error(r, CONTROL_INTERNAL, NULL);
        return false;
    }
    ret->items[0] = p; /* moved: the page owns its strings now */
    ret->total = ret->n = 1;
    return true;
}

/* A tenant's payments, newest first, filtered by imp_uid, merchant_uid,
 * customer_uid (each exact) and status. */
void admin_payments(struct req *r)
{
    int tid;
    size_t page = 1, limit = DEFAULT_LIMIT; /* read_paging overwrites both */
    const char *imp_uid = NULL;
    struct pay_query q = {.sort = SORT_STARTED, .descending = true};
    if (!tenant_of(r, &tid) || !read_paging(r, &page, &limit) || !read_status(r, false, &q.status))
        return;
    if (!param_str(&r->params, "imp_uid", IMP_UID_MAX, false, &imp_uid) ||
        !param_str(&r->params, "merchant_uid", MERCHANT_UID_MAX, false, &q.merchant_uid) ||
        !param_str(&r->params, "customer_uid", CUSTOMER_UID_MAX, false, &q.customer_uid)) {
        reply_bad_param(r);
        return;
    }
    q.merchant_uid = filter(q.merchant_uid);
    q.customer_uid = filter(q.customer_uid);
    q.page = page;
    q.limit = limit;
    struct pay_page pg;
    if (filter(imp_uid)) {
        if (!payment_by_imp_uid(r, tid, imp_uid, &q, &pg))
            return;
        if (page > 1) { /* the one match is on page 1 */
            size_t total = pg.total;
            store_page_free(&pg);
            pg.total = total;
        }
    } else if (store_payment_query(r->app->store, tid, &q, &pg) != MOCK_OK) {
        reply_error(r, CONTROL_INTERNAL, NULL);
        return;
    }
    cJSON *o = render_payment_page(&pg, page, limit);
    store_page_free(&pg);
    reply_json(r, o);
}

/* ---- billing keys ---- */

/* A tenant's billing keys, newest first, filtered by customer_uid. */
void admin_customers(struct req *r)
{
    int tid;
    size_t page = 1, limit = DEFAULT_LIMIT; /* read_paging overwrites both */
    const char *uid = NULL;
    if (!tenant_of(r, &tid) || !read_paging(r, &page, &limit))
        return;
    if (!param_str(&r->params, "customer_uid", CUSTOMER_UID_MAX, false, &uid)) {
        reply_bad_param(r);
        return;
    }
    struct customer *keys = NULL;
    size_t n = 0;
    if (store_customer_list(r->app->store, tid, &keys, &n) != MOCK_OK) {
        reply_error(r, CONTROL_INTERNAL, NULL);
        return;
    }
    size_t total = 0, first = (page - 1) * limit;
    cJSON *list = cJSON_CreateArray();
    for (size_t i = n; i-- > 0;) {
        if (filter(uid) && strcmp(keys[i].customer_uid, uid) != 0)
            continue;
        if (total >= first && total - first < limit && !append(list, render_customer(&keys[i]))) {
            cJSON_Delete(list);
            list = NULL;
        }
        total++;
    }
    store_customers_free(keys, n);
    reply_json(r, page_object(total, page, limit, list));
}

/* ---- schedules ---- */

/* A tenant's schedule items in schedule_at order (the timeline's), filtered
 * by customer_uid and status. */
void admin_schedules(struct req *r)
{
    int tid;
    size_t page = 1, limit = DEFAULT_LIMIT; /* read_paging overwrites both */
    struct sched_query q = {.ascending = true};
    if (!tenant_of(r, &tid) || !read_paging(r, &page, &limit) || !read_status(r, true, &q.status))
        return;
    if (!param_str(&r->params, "customer_uid", CUSTOMER_UID_MAX, false, &q.customer_uid)) {
        reply_bad_param(r);
        return;
    }
    q.customer_uid = filter(q.customer_uid);
    q.page = page;
    q.limit = limit;
    struct sched_page pg;
    if (store_schedule_query(r->app->store, tid, &q, &pg) != MOCK_OK) {
        reply_error(r, CONTROL_INTERNAL, NULL);
        return;
    }
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < pg.n; i++) {
        if (!append(list, render_schedule(&pg.items[i]))) {
            cJSON_Delete(list);
            list = NULL;
        }
    }
    size_t total = pg.total;
    store_sched_page_free(&pg);
    reply_json(r, page_object(total, page, limit, list));
}

/* ---- the error table ---- */

/* Every row of the error table: what a journal entry's code and message
 * were (the dashboard names an answer's error by it). */
void admin_errors(struct req *r)
{
    cJSON *arr = cJSON_CreateArray();
    for (int e = 0; arr && e < MOCK__COUNT; e++) {
        const char *msg = mock_err_message((enum mock_err)e);
        cJSON *o = cJSON_CreateObject();
        bool ok = o && cJSON_AddStringToObject(o, "name", mock_err_name((enum mock_err)e)) &&
                  cJSON_AddNumberToObject(o, "http", mock_err_http((enum mock_err)e)) &&
                  cJSON_AddNumberToObject(o, "code", mock_err_code((enum mock_err)e)) &&
                  (msg[0] ? cJSON_AddStringToObject(o, "message", msg)
                          : cJSON_AddNullToObject(o, "message"));
        if (!ok) {
            cJSON_Delete(o);
            o = NULL;
        }
        if (!append(arr, o)) {
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    reply_json(r, arr);
}

/* ---- scenario switch ---- */

/* Turns scenario {name} off or on ({"enabled": false|true}); answers the
 * scenario list as the other scenario calls do. */
void admin_scenario_enabled(struct req *r)
{
    bool enabled = true;
    if (!param_item(&r->params, "enabled", NULL)) {
        reply_error(r, CONTROL_BAD_PARAM, "give {\"enabled\": true|false}");
        return;
    }
    if (!param_bool(&r->params, "enabled", &enabled)) {
        reply_bad_param(r);
        return;
    }
    if (!scenario_set_enabled(r->args[0], enabled)) {
        reply_error(r, CONTROL_SCENARIO_NOT_FOUND, NULL);
        return;
    }
    admin_scenarios_get(r);
}
