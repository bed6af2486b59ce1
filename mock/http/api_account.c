/* api_account.c - what the account says about itself (reference §23.1,
 * §23.2): GET /users/pg (the merchant's PG channels) and GET
 * /tiers/{tier_code} (its sub-merchants). */
#include "domain/account.h"
#include "http/api.h"
#include "infra/json.h"

static cJSON *channel_object(const struct channel *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "pg_provider", c->pg_provider) ||
        !cJSON_AddStringToObject(o, "pg_id", c->pg_id) ||
        !cJSON_AddBoolToObject(o, "sandbox", c->sandbox) ||
        !cJSON_AddStringToObject(o, "type", account_channel_type(c)) ||
        !json_add_str(o, "channel_name", c->name[0] ? c->name : NULL) ||
        !cJSON_AddStringToObject(o, "channel_key", c->key)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

void api_users_pg(struct req *r)
{
    struct merchant m;
    if (!store_tenant_merchant(r->app->store, r->tid, &m)) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < m.n_channels; i++) {
        cJSON *o = channel_object(&m.channels[i]);
        if (!o || !cJSON_AddItemToArray(list, o)) {
            cJSON_Delete(o);
            cJSON_Delete(list);
            list = NULL;
        }
    }
    if (list)
        envelope_ok(&r->reply, 200, list);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

void api_tier(struct req *r)
{
    struct merchant m;
    struct tier t;
    if (!store_tenant_merchant(r->app->store, r->tid, &m)) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    enum mock_err e = account_tier(&m, r->args[0], &t);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, NULL);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "tier_code", t.code) ||
        !cJSON_AddStringToObject(o, "tier_name", t.name)) {
        cJSON_Delete(o);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    envelope_ok(&r->reply, 200, o);
}
