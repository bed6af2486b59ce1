/* api_token.c - POST /users/getToken (reference §2). */
#include "domain/auth.h"
#include "http/api.h"
#include "state/ids.h"

#include <stdio.h>

bool api_bad_param(struct req *r)
{
    envelope_fail_params(&r->reply, &r->params);
    return false;
}

void api_get_token(struct req *r)
{
    const char *key = NULL, *secret = NULL;
    if (!param_str(&r->params, "imp_key", IMP_KEY_MAX, true, &key) ||
        !param_str(&r->params, "imp_secret", IMP_SECRET_MAX, true, &secret)) {
        api_bad_param(r);
        return;
    }
    char token[IDS_TOKEN_LEN + 1];
    int64_t now, expires;
    enum mock_err e = auth_get_token(r->app->store, r->app->open_template, r->app->max_tenants, key,
                                     secret, token, &now, &expires);
    if (e != MOCK_OK) {
        char max[24];
        snprintf(max, sizeof max, "%zu", r->app->max_tenants);
        envelope_fail(&r->reply, e, e == MOCK_TENANT_LIMIT ? max : NULL);
        return;
    }
    /* the request is the tenant's from here on: its journal entry names it */
    auth_resolve(r->app->store, token, &r->tid);
    /* written as text (the token is hex, the times whole numbers): the answer
     * every client asks for most often, with no tree to build and print */
    char text[IDS_TOKEN_LEN + 96];
    snprintf(text, sizeof text, "{\"access_token\":\"%s\",\"now\":%lld,\"expired_at\":%lld}", token,
             (long long)now, (long long)expires);
    cJSON *o = cJSON_CreateRaw(text);
    if (!o) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    envelope_ok(&r->reply, 200, o);
}
