/* store_tenants.c - tenants (one per merchant key pair) and their access
 * tokens; see store.h. Emptying and removing a tenant are in store.c. */
#include "state/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tenants ---- */

enum mock_err store_tenant_add(struct store *s, const struct merchant *m, int *ret_tid)
{
    enum mock_err err = MOCK_BAD_PARAM;
    uint32_t dummy;
    store__lock(s);
    if (hmap_get(&s->by_key, m->imp_key, &dummy) ||
        (m->merchant_code[0] && hmap_get(&s->by_code, m->merchant_code, &dummy)))
        goto out;
    err = MOCK_INTERNAL;
    if (!grow_array((void **)&s->tenants, &s->cap_tenants, s->n_tenants + 1, sizeof *s->tenants))
        goto out;
    struct tenant *t = calloc(1, sizeof *t);
    if (!t)
        goto out;
    t->m = *m;
    uint32_t tid = (uint32_t)s->n_tenants;
    if (!hmap_put(&s->by_key, t->m.imp_key, tid)) {
        free(t);
        goto out;
    }
    if (t->m.merchant_code[0] && !hmap_put(&s->by_code, t->m.merchant_code, tid)) {
        hmap_del(&s->by_key, t->m.imp_key);
        free(t);
        goto out;
    }
    s->tenants[s->n_tenants++] = t;
    if (ret_tid)
        *ret_tid = (int)tid;
    err = MOCK_OK;
    store__emit(s, STORE_EV_TENANT_ADD, (int)tid, &t->m);
out:
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

static bool tenant_lookup(struct store *s, struct hmap *index, const char *key, int *ret_tid,
                          struct merchant *ret_m)
{
    uint32_t tid;
    store__lock(s);
    bool found = hmap_get(index, key, &tid);
    if (found) {
        if (ret_tid)
            *ret_tid = (int)tid;
        if (ret_m)
            *ret_m = s->tenants[tid]->m;
    }
    store__unlock(s);
    return found;
}

bool store_tenant_by_key(struct store *s, const char *imp_key, int *ret_tid, struct merchant *ret_m)
{
    return tenant_lookup(s, &s->by_key, imp_key, ret_tid, ret_m);
}

bool store_tenant_by_code(struct store *s, const char *merchant_code, int *ret_tid,
                          struct merchant *ret_m)
{
    return tenant_lookup(s, &s->by_code, merchant_code, ret_tid, ret_m);
}

bool store_tenant_merchant(struct store *s, int tid, struct merchant *ret_m)
{
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (t)
        *ret_m = t->m;
    store__unlock(s);
    return t != NULL;
}

size_t store_tenant_count(struct store *s)
{
    store__lock(s);
    size_t n = s->n_tenants;
    store__unlock(s);
    return n;
}

bool store_tenant_slot(struct store *s, int tid, struct merchant *ret_m, bool *ret_removed,
                       char *ret_token, int64_t *ret_token_expires_at)
{
    store__lock(s);
    bool ok = tid >= 0 && (size_t)tid < s->n_tenants;
    if (ok) {
        const struct tenant *t = s->tenants[tid];
        *ret_m = t->m;
        *ret_removed = t->removed;
        memcpy(ret_token, t->token, sizeof t->token);
        *ret_token_expires_at = t->token_expires_at;
    }
    store__unlock(s);
    return ok;
}

/* ---- access tokens ---- */

bool store__token_set(struct store *s, int tid, const char *token, int64_t expires_at)
{
    store__assert_locked(s);
    struct tenant *t = s->tenants[tid];
    if (t->token[0])
        hmap_del(&s->by_token, t->token);
    snprintf(t->token, sizeof t->token, "%s", token);
    t->token_expires_at = expires_at;
    if (t->token[0] && !hmap_put(&s->by_token, t->token, (uint32_t)tid)) {
        t->token[0] = '\0'; /* out of memory: the token will not be accepted */
        return false;
    }
    return true;
}

void store_token_issue(struct store *s, int tid, int64_t now, const char *candidate,
                       char *ret_token, int64_t *ret_expires_at)
{
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t) {
        ret_token[0] = '\0';
        *ret_expires_at = 0;
        goto out;
    }
    char before_token[sizeof t->token];
    memcpy(before_token, t->token, sizeof before_token);
    int64_t before_expires = t->token_expires_at;
    if (t->token[0] && now < t->token_expires_at) {
        if (t->token_expires_at - now <= STORE_TOKEN_GRACE)
            t->token_expires_at += STORE_TOKEN_EXTENSION;
    } else if (!candidate) {
        ret_token[0] = '\0'; /* a new token is needed: the caller makes one and asks again */
        *ret_expires_at = 0;
        goto out;
    } else {
        store__token_set(s, tid, candidate, now + STORE_TOKEN_TTL);
    }
    memcpy(ret_token, t->token, sizeof t->token);
    *ret_expires_at = t->token_expires_at;
    if (t->token_expires_at != before_expires || strcmp(t->token, before_token) != 0)
        store__emit(s, STORE_EV_TOKEN, tid, t);
out:
    if (!store__unlock_publish(s))
        ret_token[0] = '\0'; /* not durable: answered as an internal error */
}

bool store_token_lookup(struct store *s, const char *token, int64_t now, int *ret_tid)
{
    uint32_t tid;
    bool ok = false;
    store__lock(s);
    if (hmap_get(&s->by_token, token, &tid) && now < s->tenants[tid]->token_expires_at) {
        *ret_tid = (int)tid;
        ok = true;
    }
    store__unlock(s);
    return ok;
}

void store_token_expire(struct store *s, int tid)
{
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (t && t->token[0]) {
        store__token_set(s, tid, "", 0);
        store__emit(s, STORE_EV_TOKEN, tid, t);
    }
    store__unlock_publish(s);
}
