/* auth.c - see auth.h. */
#include "domain/auth.h"

#include "infra/clock.h"
#include "infra/secret.h"
#include "state/ids.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum mock_err auth_get_token(struct store *s, const struct merchant *open_template,
                             const char *imp_key, const char *imp_secret, char *ret_token,
                             int64_t *ret_now, int64_t *ret_expires_at)
{
    struct merchant m;
    int tid;
    if (!store_tenant_by_key(s, imp_key, &tid, &m)) {
        if (!open_template)
            return MOCK_BAD_CREDENTIALS;
        struct merchant fresh = *open_template;
        snprintf(fresh.imp_key, sizeof fresh.imp_key, "%s", imp_key);
        snprintf(fresh.imp_secret, sizeof fresh.imp_secret, "%s", imp_secret);
        /* a concurrent getToken may have created it first: then look it up */
        if (store_tenant_add(s, &fresh, &tid) != MOCK_OK &&
            !store_tenant_by_key(s, imp_key, &tid, &fresh))
            return MOCK_INTERNAL;
        m = fresh;
    }
    if (!secret_equal(m.imp_secret, imp_secret))
        return MOCK_BAD_CREDENTIALS;
    int64_t now = clock_now();
    /* the current token when there is one: random bytes only for a new one */
    store_token_issue(s, tid, now, NULL, ret_token, ret_expires_at);
    if (!ret_token[0]) {
        char candidate[IDS_TOKEN_LEN + 1];
        ids_hex(candidate, IDS_TOKEN_LEN);
        store_token_issue(s, tid, now, candidate, ret_token, ret_expires_at);
    }
    if (!ret_token[0])
        return MOCK_INTERNAL;
    *ret_now = now;
    return MOCK_OK;
}

enum mock_err auth_resolve(struct store *s, const char *token, int *ret_tid)
{
    if (!token || !*token)
        return MOCK_UNAUTHORIZED;
    return store_token_lookup(s, token, clock_now(), ret_tid) ? MOCK_OK : MOCK_UNAUTHORIZED;
}
