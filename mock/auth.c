/* auth.c - see auth.h. */
#include "auth.h"

#include "clock.h"
#include "ids.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

int auth_secret_equal(const char *a, const char *b)
{
    /* Secrets of usual size: both zero-padded to one fixed size and compared
     * in constant time, so neither content nor length shows in the time; a
     * fraction of the cost of hashing both on every getToken. */
    unsigned char pa[IMP_SECRET_MAX + 8], pb[IMP_SECRET_MAX + 8];
    _Static_assert(sizeof pa % 8 == 0, "compared in 8-byte words");
    size_t la = strlen(a), lb = strlen(b);
    if (la < sizeof pa && lb < sizeof pb) {
        memset(pa, 0, sizeof pa);
        memset(pb, 0, sizeof pb);
        memcpy(pa, a, la);
        memcpy(pb, b, lb);
        /* word by word, no early exit: the time is that of the full buffers */
        uint64_t diff = 0;
        for (size_t i = 0; i < sizeof pa; i += 8) {
            uint64_t wa, wb;
            memcpy(&wa, pa + i, 8);
            memcpy(&wb, pb + i, 8);
            diff |= wa ^ wb;
        }
        return diff == 0;
    }
    unsigned char ha[crypto_generichash_BYTES], hb[crypto_generichash_BYTES];
    /* longer ones: hash first so the comparison time does not depend on lengths either */
    crypto_generichash(ha, sizeof ha, (const unsigned char *)a, strlen(a), NULL, 0);
    crypto_generichash(hb, sizeof hb, (const unsigned char *)b, strlen(b), NULL, 0);
    return sodium_memcmp(ha, hb, sizeof ha) == 0;
}

enum mock_err auth_get_token(struct app *app, const char *imp_key, const char *imp_secret,
                             char *ret_token, int64_t *ret_now, int64_t *ret_expires_at)
{
    struct merchant m;
    int tid;
    if (!store_tenant_by_key(app->store, imp_key, &tid, &m)) {
        if (!app->open_tenants)
            return MOCK_BAD_CREDENTIALS;
        struct merchant fresh;
        fixtures_template_merchant(&app->fx, imp_key, imp_secret, &fresh);
        /* a concurrent getToken may have created it first: then look it up */
        if (store_tenant_add(app->store, &fresh, &tid) != MOCK_OK &&
            !store_tenant_by_key(app->store, imp_key, &tid, &fresh))
            return MOCK_INTERNAL;
        m = fresh;
    }
    if (!auth_secret_equal(m.imp_secret, imp_secret))
        return MOCK_BAD_CREDENTIALS;
    int64_t now = clock_now();
    /* the current token when there is one: random bytes only for a new one */
    store_token_issue(app->store, tid, now, NULL, ret_token, ret_expires_at);
    if (!ret_token[0]) {
        char candidate[IDS_TOKEN_LEN + 1];
        ids_hex(candidate, IDS_TOKEN_LEN);
        store_token_issue(app->store, tid, now, candidate, ret_token, ret_expires_at);
    }
    if (!ret_token[0])
        return MOCK_INTERNAL;
    *ret_now = now;
    return MOCK_OK;
}

enum mock_err auth_resolve(struct app *app, const char *token, int *ret_tid)
{
    if (!token || !*token)
        return MOCK_UNAUTHORIZED;
    return store_token_lookup(app->store, token, clock_now(), ret_tid) ? MOCK_OK
                                                                       : MOCK_UNAUTHORIZED;
}
