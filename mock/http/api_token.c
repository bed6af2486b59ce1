/* api_token.c - POST /users/getToken (reference §2). */
#include "domain/auth.h"
#include "http/api.h"
#include "http/render.h"

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
    struct auth_grant g;
    enum mock_err e =
        auth_get_token(r->app->store, r->app->open_template, r->app->max_tenants, key, secret, &g);
    if (e != MOCK_OK) {
        char max[24];
        snprintf(max, sizeof max, "%zu", r->app->max_tenants);
        envelope_fail(&r->reply, e, e == MOCK_TENANT_LIMIT ? max : NULL);
        return;
    }
    r->tid = g.tid; /* the request is the tenant's from here on: its journal entry names it */
    size_t len;
    const char *text = render_token_answer(g.token, g.now, g.expires_at, &len);
    if (!text)
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
    else
        reply_borrowed(&r->reply, 200, "application/json; charset=UTF-8", text, len);
}
