/* auth.c - see auth.h. */
#include "domain/auth.h"

#include "domain/sandbox.h"
#include "infra/clock.h"
#include "infra/secret.h"
#include "state/ids.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A tenant for a new key pair (--open-tenants), within max of them. */
static enum mock_err open_tenant(struct store *s, const struct merchant *open_template, size_t max,
                                 const char *imp_key, const char *imp_secret, int *ret_tid,
                                 char ret_secret[IMP_SECRET_MAX + 1])
{
    struct merchant fresh = *open_template;
    snprintf(fresh.imp_key, sizeof fresh.imp_key, "%s", imp_key);
    snprintf(fresh.imp_secret, sizeof fresh.imp_secret, "%s", imp_secret);
    int *evicted = NULL;
    size_t n_evicted = 0;
    enum mock_err err =
        store_tenant_add_open(s, &fresh, max, clock_now(), ret_tid, &evicted, &n_evicted);
    /* what was kept by the ids of the tenants that made room goes with them */
    for (size_t i = 0; i < n_evicted; i++)
        sandbox_forget_tenant(evicted[i]);
    free(evicted);
    if (err == MOCK_OK)
        memcpy(ret_secret, fresh.imp_secret, IMP_SECRET_MAX + 1);
    /* a concurrent getToken may have created it first: then look it up */
    else if (err == MOCK_BAD_PARAM && store_tenant_secret(s, imp_key, ret_tid, ret_secret))
        err = MOCK_OK;
    else if (err != MOCK_TENANT_LIMIT)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err auth_get_token(struct store *s, const struct merchant *open_template, size_t max_open,
                             const char *imp_key, const char *imp_secret, struct auth_grant *ret)
{
    char secret[IMP_SECRET_MAX + 1];
    int tid;
    memset(ret, 0, sizeof *ret);
    if (!store_tenant_secret(s, imp_key, &tid, secret)) {
        if (!open_template)
            return MOCK_BAD_CREDENTIALS;
        enum mock_err err =
            open_tenant(s, open_template, max_open, imp_key, imp_secret, &tid, secret);
        if (err != MOCK_OK)
            return err;
    }
    if (!secret_equal(secret, imp_secret))
        return MOCK_BAD_CREDENTIALS;
    int64_t now = clock_now();
    /* the current token when there is one: random bytes only for a new one */
    store_token_issue(s, tid, now, NULL, ret->token, &ret->expires_at);
    if (!ret->token[0]) {
        char candidate[IDS_TOKEN_LEN + 1];
        ids_hex(candidate, IDS_TOKEN_LEN);
        store_token_issue(s, tid, now, candidate, ret->token, &ret->expires_at);
    }
    if (!ret->token[0])
        return MOCK_INTERNAL;
    ret->now = now;
    ret->tid = tid;
    return MOCK_OK;
}

enum mock_err auth_resolve(struct store *s, const char *token, int *ret_tid)
{
    if (!token || !*token)
        return MOCK_UNAUTHORIZED;
    return store_token_lookup(s, token, clock_now(), ret_tid) ? MOCK_OK : MOCK_UNAUTHORIZED;
}
