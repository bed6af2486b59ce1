/* scripted.c - see scripted.h. */
#include "http/scripted.h"

#include "http/envelope.h"
#include "http/params.h"
#include "infra/clock.h"
#include "infra/scenario.h"
#include "state/store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *param_text(const struct params *p, const char *name)
{
    const cJSON *it = param_item(p, name, NULL);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Asks the scenario engine about this request at the transport layer. */
static bool transport_effect(const struct req *r, struct scn_effect *ret)
{
    enum scn_op op = r->route->op;
    char route[300];
    snprintf(route, sizeof route, "%s %.280s", r->method, r->path);
    struct merchant m;
    const char *imp_key = NULL;
    if (r->tid >= 0 && store_tenant_merchant(r->app->store, r->tid, &m))
        imp_key = m.imp_key;
    else if (op == SCN_OP_TOKEN)
        imp_key = param_text(&r->params, "imp_key");
    struct scn_call call = {.op = op,
                            .route = route,
                            .imp_key = imp_key,
                            .merchant_uid = param_text(&r->params, "merchant_uid"),
                            .customer_uid = param_text(&r->params, "customer_uid"),
                            .pg = param_text(&r->params, "pg")};
    /* ids given in the path count as the fields they name */
    for (size_t i = 0; i < r->nargs; i++) {
        if (r->route->args[i] == ARG_CUSTOMER_UID && !call.customer_uid)
            call.customer_uid = r->args[i];
        else if (r->route->args[i] == ARG_MERCHANT_UID && !call.merchant_uid)
            call.merchant_uid = r->args[i];
    }
    int64_t amount;
    struct params probe = r->params;
    if (param_amount(&probe, "amount", false, &amount, &call.has_amount) && call.has_amount)
        call.amount = amount;
    else
        call.has_amount = false;
    return scenario_match(&call, SCN_TRANSPORT, ret);
}

/* Applies a transport effect the scenarios script for this request; true
 * when that answered it (the handler must not run). Not inlined: its 4 KB
 * effect would otherwise sit in every request's stack frame, scenarios or
 * not, and a deeper stack is resident memory in each of the many workers. */
__attribute__((noinline)) bool scripted_answer(struct req *r)
{
    struct scn_effect eff;
    if (!transport_effect(r, &eff))
        return false;
    if (eff.delay_ms)
        clock_sleep_ms(eff.delay_ms);
    r->fault = eff.kind;
    r->drip_ms = eff.drip_ms;
    if (eff.kind == SCN_HTTP) {
        size_t len = strlen(eff.body);
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, eff.body, len + 1);
            reply_owned(&r->reply, eff.http_status, "application/json; charset=UTF-8", copy, len);
        } else {
            envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        }
        return true;
    }
    if (eff.kind == SCN_CLOSE)
        return true;
    if (eff.kind == SCN_EXPIRE_TOKEN) {
        if (r->tid >= 0)
            store_token_expire(r->app->store, r->tid);
        envelope_fail(&r->reply, MOCK_UNAUTHORIZED, NULL);
        return true;
    }
    return false;
}
