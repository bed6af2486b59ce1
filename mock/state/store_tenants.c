/* store_tenants.c - tenants (one per merchant key pair) and their access
 * tokens; see store.h. Emptying and removing a tenant are in store.c. */
#include "state/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tenant slots ---- */

bool store__free_push(struct store *s, uint32_t tid)
{
    store__assert_writing(s);
    if (!grow_array((void **)&s->free_tids, &s->cap_free, s->n_free + 1, sizeof *s->free_tids))
        return false; /* out of memory: the slot stays free, unused */
    s->free_tids[s->n_free++] = tid;
    return true;
}

/* Takes free slot tid off the free list; it is usually the last one pushed. */
static void store__free_take(struct store *s, uint32_t tid)
{
    store__assert_locked(s);
    for (size_t i = s->n_free; i-- > 0;) {
        if (s->free_tids[i] == tid) {
            s->free_tids[i] = s->free_tids[--s->n_free];
            return;
        }
    }
}

bool store__slots_extend(struct store *s, size_t n)
{
    store__assert_locked(s);
    if (n <= s->n_tenants)
        return true;
    if (!grow_array((void **)&s->tenants, &s->cap_tenants, n, sizeof *s->tenants))
        return false;
    for (size_t i = s->n_tenants; i < n; i++) {
        s->tenants[i] = NULL;
        s->n_tenants = i + 1;
        if (!store__free_push(s, (uint32_t)i))
            return false;
    }
    return true;
}

bool store__tenant_place(struct store *s, int tid, struct tenant *t)
{
    store__assert_writing(s);
    if (!store__slots_extend(s, (size_t)tid + 1))
        return false;
    store__free_take(s, (uint32_t)tid);
    s->tenants[tid] = t;
    return true;
}

/* The slot the next tenant takes: the last one freed, else a new one. */
static int store__next_slot(struct store *s)
{
    store__assert_locked(s);
    return s->n_free ? (int)s->free_tids[s->n_free - 1] : (int)s->n_tenants;
}

/* ---- tenants ---- */

/* Adds a tenant with a copy of m in slot tid (free, or past the end), indexed
 * by key and code; the change is queued. */
static enum mock_err store__tenant_add_at(struct store *s, const struct merchant *m, int tid)
{
    store__assert_locked(s);
    uint32_t dummy;
    if (hmap_get(&s->by_key, m->imp_key, &dummy) ||
        (m->merchant_code[0] && hmap_get(&s->by_code, m->merchant_code, &dummy)))
        return MOCK_BAD_PARAM;
    struct tenant *t = calloc(1, sizeof *t);
    if (!t)
        return MOCK_INTERNAL;
    t->m = *m;
    if (!hmap_put(&s->by_key, t->m.imp_key, (uint32_t)tid)) {
        free(t);
        return MOCK_INTERNAL;
    }
    if ((t->m.merchant_code[0] && !hmap_put(&s->by_code, t->m.merchant_code, (uint32_t)tid)) ||
        !store__tenant_place(s, tid, t)) {
        hmap_del(&s->by_key, t->m.imp_key);
        if (t->m.merchant_code[0])
            hmap_del(&s->by_code, t->m.merchant_code);
        free(t);
        return MOCK_INTERNAL;
    }
    s->n_on_the_fly += t->m.on_the_fly;
    store__emit(s, STORE_EV_TENANT_ADD, tid, &t->m);
    return MOCK_OK;
}

enum mock_err store_tenant_add(struct store *s, const struct merchant *m, int *ret_tid)
{
    store__lock(s);
    int tid = store__next_slot(s);
    enum mock_err err = store__tenant_add_at(s, m, tid);
    if (err == MOCK_OK && ret_tid)
        *ret_tid = tid;
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store__tenant_restore(struct store *s, const struct merchant *m, int tid)
{
    store__assert_locked(s);
    if (tid < 0)
        return MOCK_BAD_PARAM;
    if ((size_t)tid < s->n_tenants && s->tenants[tid])
        return MOCK_OK; /* already there: the log repeats what a snapshot holds */
    return store__tenant_add_at(s, m, tid);
}

/* ---- tenants made on the fly ---- */

/* Whether t holds nothing: no payment, billing key, pre-registration,
 * schedule item, cash receipt, certification or shipping record. */
static bool tenant_empty(const struct tenant *t)
{
    return t->n_pays == 0 && t->n_preps == 0 && t->by_cust.live == 0 && t->n_scheds == 0 &&
           t->receipts.index.live == 0 && t->ext_receipts.index.live == 0 &&
           t->certs.index.live == 0 && t->logis.index.live == 0;
}

/* Removes every tenant made on the fly that is empty, has no charge under
 * way and no token current at now, appending their ids to evicted (room for
 * all of them); notes when the next one may become evictable. */
static size_t store__evict_idle(struct store *s, int64_t now, int *evicted)
{
    store__assert_locked(s);
    size_t n = 0;
    int64_t next = INT64_MAX;
    for (size_t i = 0; i < s->n_tenants; i++) {
        struct tenant *t = s->tenants[i];
        if (!t || !t->m.on_the_fly || !tenant_empty(t))
            continue;
        if (t->n_inflight) {
            next = now < next ? now : next; /* a charge that stores nothing leaves it empty */
            continue;
        }
        if (t->token[0] && now < t->token_expires_at) {
            next = t->token_expires_at < next ? t->token_expires_at : next;
            continue;
        }
        store__tenant_free(s, (int)i);
        store__emit(s, STORE_EV_TENANT_REMOVE, (int)i, NULL);
        evicted[n++] = (int)i;
    }
    s->evict_after = next;
    return n;
}

enum mock_err store_tenant_add_open(struct store *s, const struct merchant *m, size_t max,
                                    int64_t now, int *ret_tid, int **ret_evicted,
                                    size_t *ret_n_evicted)
{
    struct merchant fresh = *m;
    fresh.on_the_fly = true;
    *ret_evicted = NULL;
    *ret_n_evicted = 0;
    store__lock(s);
    enum mock_err err = MOCK_BAD_PARAM;
    uint32_t dummy;
    if (hmap_get(&s->by_key, fresh.imp_key, &dummy))
        goto out; /* a concurrent getToken made it first */
    if (s->n_on_the_fly >= max && now >= s->evict_after) {
        int *evicted = malloc(s->n_on_the_fly * sizeof *evicted);
        if (evicted)
            *ret_n_evicted = store__evict_idle(s, now, evicted);
        *ret_evicted = evicted;
    }
    err = MOCK_TENANT_LIMIT;
    if (s->n_on_the_fly >= max)
        goto out;
    int tid = store__next_slot(s);
    err = store__tenant_add_at(s, &fresh, tid);
    if (err == MOCK_OK)
        *ret_tid = tid;
out:
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

/* The tenant of key in index; ret_m gets its whole merchant, ret_secret its
 * imp_secret alone (either may be NULL). */
static bool tenant_lookup(struct store *s, struct hmap *index, const char *key, int *ret_tid,
                          struct merchant *ret_m, char *ret_secret)
{
    uint32_t tid;
    store__lock_read(s);
    bool found = hmap_get(index, key, &tid);
    if (found) {
        if (ret_tid)
            *ret_tid = (int)tid;
        if (ret_m)
            *ret_m = s->tenants[tid]->m;
        if (ret_secret)
            memcpy(ret_secret, s->tenants[tid]->m.imp_secret, IMP_SECRET_MAX + 1);
    }
    store__unlock(s);
    return found;
}

bool store_tenant_by_key(struct store *s, const char *imp_key, int *ret_tid, struct merchant *ret_m)
{
    return tenant_lookup(s, &s->by_key, imp_key, ret_tid, ret_m, NULL);
}

bool store_tenant_secret(struct store *s, const char *imp_key, int *ret_tid,
                         char ret_secret[IMP_SECRET_MAX + 1])
{
    return tenant_lookup(s, &s->by_key, imp_key, ret_tid, NULL, ret_secret);
}

bool store_tenant_by_code(struct store *s, const char *merchant_code, int *ret_tid,
                          struct merchant *ret_m)
{
    return tenant_lookup(s, &s->by_code, merchant_code, ret_tid, ret_m, NULL);
}

bool store_tenant_merchant(struct store *s, int tid, struct merchant *ret_m)
{
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (t)
        *ret_m = t->m;
    store__unlock(s);
    return t != NULL;
}

bool store_tenant_key(struct store *s, int tid, char *ret_key)
{
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (t)
        memcpy(ret_key, t->m.imp_key, sizeof t->m.imp_key);
    store__unlock(s);
    return t != NULL;
}

bool store_tenant_webhook(struct store *s, int tid, char *ret_key, char *ret_url, bool *ret_form)
{
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (t) {
        memcpy(ret_key, t->m.imp_key, sizeof t->m.imp_key);
        memcpy(ret_url, t->m.webhook_url, strlen(t->m.webhook_url) + 1);
        *ret_form = t->m.webhook_form;
    }
    store__unlock(s);
    return t != NULL;
}

size_t store_tenant_count(struct store *s)
{
    store__lock_read(s);
    size_t n = s->n_tenants;
    store__unlock(s);
    return n;
}

bool store_tenant_slot(struct store *s, int tid, struct merchant *ret_m, bool *ret_removed,
                       char *ret_token, int64_t *ret_token_expires_at)
{
    store__lock_read(s);
    bool ok = tid >= 0 && (size_t)tid < s->n_tenants;
    const struct tenant *t = ok ? s->tenants[tid] : NULL;
    if (t) {
        *ret_m = t->m;
        memcpy(ret_token, t->token, sizeof t->token);
        *ret_token_expires_at = t->token_expires_at;
    } else if (ok) { /* a free slot */
        memset(ret_m, 0, sizeof *ret_m);
        ret_token[0] = '\0';
        *ret_token_expires_at = 0;
    }
    if (ok)
        *ret_removed = t == NULL;
    store__unlock(s);
    return ok;
}

/* ---- access tokens ---- */

bool store__token_set(struct store *s, int tid, const char *token, int64_t expires_at)
{
    store__assert_writing(s);
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

/* The current token of t, when it is valid beyond the grace period: asking
 * for one then changes nothing. */
static bool token_current(const struct tenant *t, int64_t now, char *ret_token,
                          int64_t *ret_expires_at)
{
    if (!t || !t->token[0] || now >= t->token_expires_at ||
        t->token_expires_at - now <= STORE_TOKEN_GRACE)
        return false;
    memcpy(ret_token, t->token, sizeof t->token);
    *ret_expires_at = t->token_expires_at;
    return true;
}

void store_token_issue(struct store *s, int tid, int64_t now, const char *candidate,
                       char *ret_token, int64_t *ret_expires_at)
{
    /* most calls get the token the key already has: a shared look first, so
     * they do not take the lock alone (and make every reader wait). Not
     * with a durable log: there the answer waits for the log as before,
     * which may still be writing the token another worker just made. */
    if (!s->sink) {
        store__lock_read(s);
        bool current = token_current(store__tenant(s, tid), now, ret_token, ret_expires_at);
        store__unlock(s);
        if (current)
            return;
    }
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
    store__lock_read(s);
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
        s->evict_after = INT64_MIN; /* it may be evictable now */
    }
    store__unlock_publish(s);
}
