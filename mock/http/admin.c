/* admin.c - the control API under /__mock/: plain JSON, not the i'mport envelope. */
#include "base/limits.h"
#include "domain/notices.h"
#include "domain/sandbox.h"
#include "http/api.h"
#include "http/control.h"
#include "http/form.h"
#include "http/journal_page.h"
#include "infra/clock.h"
#include "infra/journal.h"
#include "infra/json.h"
#include "infra/scenario.h"
#include "infra/webhook.h"
#include "infra/webhook_journal.h"
#include "state/state.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct sandbox sandbox_of(struct req *r)
{
    const struct fixtures *fx = app_fixtures(r->app);
    struct sandbox sb = {r->app->store,          fixtures_cards(fx),       fx,
                         r->app->scenario_files, r->app->n_scenario_files, r->app->fixtures};
    return sb;
}

static void reply_error(struct req *r, enum control_err e, const char *detail)
{
    control_fail(&r->reply, e, detail);
}

/* The failure a read recorded in r->params, in the control API's shape. */
static void reply_bad_param(struct req *r)
{
    control_fail_params(&r->reply, &r->params);
}

void admin_health(struct req *r)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "status", "ok");
        cJSON_AddStringToObject(o, "version", IMPMOCK_VERSION);
        cJSON_AddNumberToObject(o, "now", (double)clock_now());
    }
    envelope_plain(&r->reply, 200, o);
}

static void reply_clock(struct req *r)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "now", (double)clock_now());
        cJSON_AddBoolToObject(o, "frozen", clock_is_frozen());
    }
    envelope_plain(&r->reply, 200, o);
}

void admin_clock_get(struct req *r)
{
    reply_clock(r);
}

void admin_clock_post(struct req *r)
{
    struct sandbox_clock c = {0};
    c.has_freeze = param_item(&r->params, "freeze", NULL) != NULL;
    if (!param_int(&r->params, "set", 0, TIME_MAX, false, &c.set, &c.has_set) ||
        !param_int(&r->params, "advance", -315576000000LL, 315576000000LL, false, &c.advance,
                   &c.has_advance) ||
        !param_bool(&r->params, "freeze", &c.freeze)) {
        reply_bad_param(r);
        return;
    }
    if (!c.has_set && !c.has_advance && !c.has_freeze) {
        reply_error(r, CONTROL_BAD_PARAM,
                    "give one of {\"set\": UNIX_SECONDS}, {\"advance\": SECONDS}, "
                    "{\"freeze\": true|false}");
        return;
    }
    struct sandbox sb = sandbox_of(r);
    sandbox_clock_change(&sb, &c); /* due schedules run first: the answer follows them */
    reply_clock(r);
}

static int tenant_of_query(struct req *r, bool *ret_scoped)
{
    const char *key = NULL;
    *ret_scoped = false;
    if (!param_str(&r->params, "imp_key", IMP_KEY_MAX, false, &key)) {
        reply_bad_param(r);
        return -2;
    }
    if (!key)
        return -1;
    *ret_scoped = true;
    int tid;
    if (!store_tenant_by_key(r->app->store, key, &tid, NULL)) {
        reply_error(r, CONTROL_TENANT_NOT_FOUND, NULL);
        return -2;
    }
    return tid;
}

/* Back to the fixtures (sandbox_reset); with ?imp_key= only that tenant. */
void admin_reset(struct req *r)
{
    bool scoped;
    int only = tenant_of_query(r, &scoped);
    if (only == -2)
        return;
    struct sandbox sb = sandbox_of(r);
    char err[512];
    if (!sandbox_reset(&sb, scoped ? only : SANDBOX_EVERY_TENANT, err, sizeof err)) {
        reply_error(r, CONTROL_RESET_FAILED, err);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddBoolToObject(o, "reset", 1);
        cJSON_AddStringToObject(o, "scope", scoped ? "tenant" : "all");
    }
    envelope_plain(&r->reply, 200, o);
}

/* The newest matching entries that fit in --journal-page-limit, oldest
 * first; X-Mock-Next-Before tells where the older ones continue. With
 * ?since=SEQ the oldest entries numbered above SEQ instead, and
 * X-Mock-Next-Since where the newer ones continue. X-Mock-Journal-Seq is
 * the newest number so far, a cursor for a later ?since=. */
void admin_requests(struct req *r)
{
    int64_t limit = 0, status = 0, before = 0, since = 0;
    const char *method = NULL, *path = NULL;
    if (!param_int(&r->params, "limit", 0, 1000000, false, &limit, NULL) ||
        !param_int(&r->params, "status", 0, 999, false, &status, NULL) ||
        !param_int(&r->params, "before", 1, INT64_MAX, false, &before, NULL) ||
        !param_int(&r->params, "since", 0, INT64_MAX, false, &since, NULL) ||
        !param_str(&r->params, "method", 7, false, &method) ||
        !param_str(&r->params, "path", 1024, false, &path)) {
        reply_bad_param(r);
        return;
    }
    bool scoped;
    int tid = tenant_of_query(r, &scoped);
    if (tid == -2)
        return;
    uint64_t newest = journal_last_seq();
    struct journal_filter f = {.limit = (size_t)limit,
                               .before = (uint64_t)before,
                               .since = (uint64_t)since,
                               .method = method,
                               .path_prefix = path,
                               .status = (int)status,
                               .tid = scoped ? tid : -2};
    struct journal_page page;
    if (!journal_page_render(r->app->store, &f, r->app->journal_page_limit, &page)) {
        reply_error(r, CONTROL_INTERNAL, NULL);
        return;
    }
    reply_owned(&r->reply, 200, "application/json; charset=UTF-8", page.body, page.len);
    char *h = malloc(160);
    if (!h)
        return;
    int n = snprintf(h, 160, "X-Mock-Journal-Seq: %llu\r\n", (unsigned long long)newest);
    if (page.next_before)
        n += snprintf(h + n, 160 - (size_t)n, "X-Mock-Next-Before: %llu\r\n",
                      (unsigned long long)page.next_before);
    if (page.next_since)
        snprintf(h + n, 160 - (size_t)n, "X-Mock-Next-Since: %llu\r\n",
                 (unsigned long long)page.next_since);
    r->reply.extra_headers = r->reply.headers_owned = h;
}

/* Forgets the journal, or with ?imp_key= that tenant's entries; numbering
 * goes on, so a since cursor taken before stays valid. */
void admin_requests_delete(struct req *r)
{
    bool scoped;
    int tid = tenant_of_query(r, &scoped);
    if (tid == -2)
        return;
    uint64_t newest = journal_last_seq();
    size_t n = journal_clear(scoped ? tid : -2);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "deleted", (double)n);
        cJSON_AddStringToObject(o, "scope", scoped ? "tenant" : "all");
        cJSON_AddNumberToObject(o, "seq", (double)newest);
    }
    envelope_plain(&r->reply, 200, o);
}

void admin_scenarios_get(struct req *r)
{
    char *text = scenario_list_json();
    if (!text) {
        reply_error(r, CONTROL_INTERNAL, NULL);
        return;
    }
    reply_owned(&r->reply, 200, "application/json; charset=UTF-8", text, strlen(text));
}

/* Loads a scenario sent as the JSON body; a bad one is refused and the
 * loaded set stays as it was. */
void admin_scenarios_post(struct req *r)
{
    if (!r->params.body || r->params.body_is_form) {
        reply_error(r, CONTROL_BAD_PARAM,
                    "send the scenario as a JSON body (Content-Type: application/json)");
        return;
    }
    const char *scope = NULL;
    if (!param_str(&r->params, "imp_key", IMP_KEY_MAX, false, &scope)) {
        reply_bad_param(r);
        return;
    }
    /* ?imp_key=K scopes the scenario to that tenant, whatever the file says */
    cJSON *doc = cJSON_Duplicate(r->params.body, 1);
    if (doc && scope) {
        cJSON_DeleteItemFromObjectCaseSensitive(doc, "tenant");
        cJSON_AddStringToObject(doc, "tenant", scope);
    }
    char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    cJSON_Delete(doc);
    char err[512];
    bool ok = text && scenario_load_text(text, strlen(text), "control API", err, sizeof err);
    cJSON_free(text);
    if (!ok) {
        reply_error(r, text ? CONTROL_SCENARIO_INVALID : CONTROL_INTERNAL, text ? err : NULL);
        return;
    }
    admin_scenarios_get(r);
}

void admin_scenarios_delete(struct req *r)
{
    const char *name = NULL;
    if (!param_str(&r->params, "name", 63, false, &name)) {
        reply_bad_param(r);
        return;
    }
    if (!name) {
        scenario_clear();
    } else if (!scenario_remove(name)) {
        reply_error(r, CONTROL_SCENARIO_NOT_FOUND, NULL);
        return;
    }
    admin_scenarios_get(r);
}

/* The tenant named by ?imp_key=, else the first fixture merchant. */
static bool export_tenant_of(struct req *r, int *ret_tid)
{
    bool scoped;
    int tid = tenant_of_query(r, &scoped);
    if (tid == -2)
        return false;
    *ret_tid = scoped ? tid : 0;
    struct merchant m;
    if (!store_tenant_merchant(r->app->store, *ret_tid, &m)) {
        reply_error(r, CONTROL_TENANT_NOT_FOUND, NULL);
        return false;
    }
    return true;
}

void admin_export(struct req *r)
{
    int tid;
    if (!export_tenant_of(r, &tid))
        return;
    cJSON *doc = state_export_tenant(r->app->store, tid);
    if (!doc) {
        reply_error(r, CONTROL_INTERNAL, NULL);
        return;
    }
    envelope_plain(&r->reply, 200, doc);
}

/* Replaces a tenant's payments, keys and pre-registrations with an exported
 * document; a bad document is refused whole and changes nothing. */
void admin_import(struct req *r)
{
    int tid;
    if (!export_tenant_of(r, &tid))
        return;
    if (!r->params.body || r->params.body_is_form) {
        reply_error(r, CONTROL_BAD_PARAM, "send the exported state as a JSON body");
        return;
    }
    char err[512];
    if (!state_import_tenant(r->app->store, tid, r->params.body, err, sizeof err)) {
        reply_error(r, CONTROL_STATE_INVALID, err);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (o)
        cJSON_AddBoolToObject(o, "imported", 1);
    envelope_plain(&r->reply, 200, o);
}

/* ---- webhook deliveries ---- */

static cJSON *hook_body_value(const struct webhook_attempt *a)
{
    /* JSON deliveries are shown as JSON, form ones as their text */
    cJSON *v = strstr(a->content_type, "json") ? cJSON_Parse(a->body) : NULL;
    return v ? v : cJSON_CreateString(a->body);
}

/* Every attempt kept, oldest first, filtered by limit, imp_key, status (the
 * HTTP status; 0 = no answer), id and merchant_uid. */
void admin_webhooks(struct req *r)
{
    int64_t limit = 0, status = -1, id = 0;
    const char *merchant_uid = NULL;
    if (!param_int(&r->params, "limit", 0, 1000000, false, &limit, NULL) ||
        !param_int(&r->params, "status", 0, 999, false, &status, NULL) ||
        !param_int(&r->params, "id", 1, INT64_MAX, false, &id, NULL) ||
        !param_str(&r->params, "merchant_uid", MERCHANT_UID_MAX, false, &merchant_uid)) {
        reply_bad_param(r);
        return;
    }
    bool scoped;
    int tid = tenant_of_query(r, &scoped);
    if (tid == -2)
        return;
    struct webhook_filter f = {.limit = (size_t)limit,
                               .tid = scoped ? tid : -2,
                               .http_status = status,
                               .id = (uint64_t)id,
                               .merchant_uid = merchant_uid};
    size_t n = 0;
    struct webhook_attempt *list = webhook_journal_list(&f, &n);
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        const struct webhook_attempt *a = &list[i];
        struct merchant m;
        bool known = store_tenant_merchant(r->app->store, a->tid, &m);
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            arr = NULL;
            break;
        }
        cJSON_AddNumberToObject(o, "seq", (double)a->seq);
        cJSON_AddNumberToObject(o, "id", (double)a->id);
        cJSON_AddNumberToObject(o, "time", (double)a->time);
        if (known)
            cJSON_AddStringToObject(o, "imp_key", m.imp_key);
        else
            cJSON_AddNullToObject(o, "imp_key");
        cJSON_AddStringToObject(o, "url", a->url);
        cJSON_AddStringToObject(o, "content_type", a->content_type);
        cJSON_AddItemToObject(o, "body", hook_body_value(a));
        cJSON_AddNumberToObject(o, "attempt", a->attempt);
        cJSON_AddStringToObject(o, "kind", a->kind);
        if (a->http_status)
            cJSON_AddNumberToObject(o, "status", (double)a->http_status);
        else
            cJSON_AddNullToObject(o, "status");
        if (a->error)
            cJSON_AddStringToObject(o, "error", a->error);
        else
            cJSON_AddNullToObject(o, "error");
        cJSON_AddStringToObject(o, "imp_uid", a->imp_uid);
        cJSON_AddStringToObject(o, "merchant_uid", a->merchant_uid);
        cJSON_AddStringToObject(o, "event", a->event);
        if (a->scenario[0])
            cJSON_AddStringToObject(o, "scenario", a->scenario);
        else
            cJSON_AddNullToObject(o, "scenario");
        cJSON_AddNumberToObject(o, "elapsed_ms", (double)(long)(a->elapsed_ms * 1000) / 1000.0);
        cJSON_AddNumberToObject(o, "next_attempt_at", (double)a->next_attempt_at);
    }
    webhook_journal_free(list, n);
    if (!arr) {
        reply_error(r, CONTROL_INTERNAL, NULL);
        return;
    }
    envelope_plain(&r->reply, 200, arr);
}

/* Sends delivery {id} once more, now (the console's "resend"). */
void admin_webhook_resend(struct req *r)
{
    const char *s = r->args[0];
    char *end = NULL;
    unsigned long long id = strtoull(s, &end, 10);
    if (!*s || *s < '0' || *s > '9' || *end || id == 0) {
        reply_error(r, CONTROL_BAD_PARAM, "the delivery id is a positive whole number");
        return;
    }
    if (!webhook_resend((uint64_t)id)) {
        reply_error(r, CONTROL_DELIVERY_NOT_FOUND, NULL);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddBoolToObject(o, "resent", 1);
        cJSON_AddNumberToObject(o, "id", (double)id);
    }
    envelope_plain(&r->reply, 200, o);
}

/* The tenant holding imp_uid: the one ?imp_key= names, else the first that
 * has it (imp_uids are random: one tenant at most in practice). Fills *ret_p
 * (payment_fini it); false with the error rendered. */
static bool payment_of(struct req *r, const char *imp_uid, int *ret_tid, struct payment *ret_p)
{
    bool scoped;
    int only = tenant_of_query(r, &scoped);
    if (only == -2)
        return false;
    size_t n = store_tenant_count(r->app->store);
    for (size_t tid = 0; tid < n; tid++) {
        if (scoped && (int)tid != only)
            continue;
        enum mock_err e = store_payment_get(r->app->store, (int)tid, imp_uid, ret_p);
        if (e == MOCK_OK) {
            *ret_tid = (int)tid;
            return true;
        }
        if (e != MOCK_PAYMENT_NOT_FOUND) {
            reply_error(r, CONTROL_INTERNAL, NULL);
            return false;
        }
    }
    reply_error(r, CONTROL_PAYMENT_NOT_FOUND, NULL);
    return false;
}

/* POST /__mock/webhooks/trigger {imp_uid, status?}: the payment's notice
 * sent now, with its current status or the one given, without a charge or
 * any change to the payment (as `stripe trigger` sends an event), so a
 * merchant's notice handler can be tested alone. */
void admin_webhook_trigger(struct req *r)
{
    const char *imp_uid = NULL, *status_name = NULL;
    if (!param_str(&r->params, "imp_uid", IMP_UID_MAX, true, &imp_uid) ||
        !param_str(&r->params, "status", 16, false, &status_name)) {
        reply_bad_param(r);
        return;
    }
    enum pay_status status = PAY_READY;
    if (status_name && !pay_status_parse(status_name, &status)) {
        reply_error(r, CONTROL_BAD_PARAM, "status must be one of ready, paid, failed, cancelled");
        return;
    }
    int tid;
    struct payment p;
    if (!payment_of(r, imp_uid, &tid, &p))
        return;
    if (!status_name)
        status = p.status;
    uint64_t id = notice_trigger(r->app->store, tid, &p, status);
    cJSON *o = id ? cJSON_CreateObject() : NULL;
    if (o) {
        cJSON_AddBoolToObject(o, "triggered", 1);
        cJSON_AddNumberToObject(o, "id", (double)id);
        cJSON_AddStringToObject(o, "imp_uid", p.imp_uid);
        cJSON_AddStringToObject(o, "merchant_uid", p.merchant_uid);
        cJSON_AddStringToObject(o, "status", pay_status_name(status));
    }
    payment_fini(&p);
    if (!id)
        reply_error(r, CONTROL_NO_WEBHOOK_URL, NULL);
    else
        envelope_plain(&r->reply, 200, o);
}

/* The statuses a route may answer with, as a list (null: any). */
static bool add_statuses(cJSON *o, const struct route *rt)
{
    static const int known[] = {200, 207, 400, 401, 404, 405, 409, 500, 501};
    if (rt->statuses == ST_ALL)
        return cJSON_AddNullToObject(o, "statuses") != NULL;
    cJSON *list = cJSON_AddArrayToObject(o, "statuses");
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < sizeof known / sizeof known[0]; i++)
        if (route_lists_status(rt, known[i]))
            ok = cJSON_AddItemToArray(list, cJSON_CreateNumber(known[i]));
    return ok;
}

/* One row of the route table as {method, pattern, auth, operation, args,
 * statuses}; NULL when out of memory. */
static cJSON *route_json(const struct route *rt)
{
    const char *op = rt->op == OP_NONE ? NULL : scenario_op_name(rt->op);
    cJSON *o = cJSON_CreateObject(), *args = NULL;
    bool ok = o && cJSON_AddStringToObject(o, "method", rt->method) &&
              cJSON_AddStringToObject(o, "pattern", rt->pattern) &&
              cJSON_AddStringToObject(o, "auth", route_auth_name(rt->auth)) &&
              (op ? cJSON_AddStringToObject(o, "operation", op)
                  : cJSON_AddNullToObject(o, "operation")) &&
              add_statuses(o, rt) && (args = cJSON_AddArrayToObject(o, "args"));
    for (size_t k = 0; ok && k < REQ_MAX_ARGS && rt->args[k] != ARG_NONE; k++)
        ok = cJSON_AddItemToArray(args, cJSON_CreateString(route_arg_name(rt->args[k])));
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The route table as data, in match order: operation is null for routes
 * scenarios never see, args says what each {} of the pattern is. */
void admin_routes(struct req *r)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < route_count; i++) {
        cJSON *o = route_json(&route_table[i]);
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            arr = NULL; /* rendered as out of memory */
        }
    }
    envelope_plain(&r->reply, 200, arr);
}
