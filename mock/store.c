/* store.c - see store.h. Everything below runs under store.lock unless a
 * function says otherwise; helpers named t_* assume the lock is held. */
#include "store.h"

#include "hmap.h"
#include "ids.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pay_entry {
    struct payment *p; /* owned */
    int32_t prev;      /* index of the previous payment with the same merchant_uid, -1 */
};

struct tenant {
    struct merchant m;
    char token[IDS_TOKEN_LEN + 1]; /* "" = none */
    int64_t token_expires_at;

    struct pay_entry *pays; /* insertion order */
    size_t n_pays, cap_pays;
    struct hmap by_imp_uid; /* imp_uid -> index */
    struct hmap by_order;   /* merchant_uid -> index of the newest payment */

    struct prepare **preps;
    size_t n_preps, cap_preps;
    struct hmap by_prep;

    struct customer **custs; /* NULL slots after delete */
    size_t n_custs, cap_custs;
    struct hmap by_cust;

    bool removed; /* reset dropped it; the slot stays so other tenant ids keep meaning */
    char **inflight; /* merchant_uids claimed by charges under way */
    size_t n_inflight, cap_inflight;
};

struct store {
    pthread_mutex_t lock;
    struct tenant **tenants; /* guarded by lock */
    size_t n_tenants, cap_tenants;
    struct hmap by_key;   /* imp_key -> tenant */
    struct hmap by_code;  /* merchant_code -> tenant */
    struct hmap by_token; /* access token -> tenant */
};

static bool grow_array(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *n = realloc(*arr, ncap * elem);
    if (!n)
        return false;
    *arr = n;
    *cap = ncap;
    return true;
}

static void tenant_clear(struct tenant *t)
{
    for (size_t i = 0; i < t->n_pays; i++) {
        payment_fini(t->pays[i].p);
        free(t->pays[i].p);
    }
    free(t->pays);
    t->pays = NULL;
    t->n_pays = t->cap_pays = 0;
    hmap_fini(&t->by_imp_uid);
    hmap_fini(&t->by_order);
    for (size_t i = 0; i < t->n_preps; i++)
        free(t->preps[i]);
    free(t->preps);
    t->preps = NULL;
    t->n_preps = t->cap_preps = 0;
    hmap_fini(&t->by_prep);
    for (size_t i = 0; i < t->n_custs; i++) {
        customer_fini(t->custs[i]);
        free(t->custs[i]);
    }
    free(t->custs);
    t->custs = NULL;
    t->n_custs = t->cap_custs = 0;
    hmap_fini(&t->by_cust);
    for (size_t i = 0; i < t->n_inflight; i++)
        free(t->inflight[i]);
    free(t->inflight);
    t->inflight = NULL;
    t->n_inflight = t->cap_inflight = 0;
}

struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void store_free(struct store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_tenants; i++) {
        tenant_clear(s->tenants[i]);
        free(s->tenants[i]);
    }
    free(s->tenants);
    hmap_fini(&s->by_key);
    hmap_fini(&s->by_code);
    hmap_fini(&s->by_token);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static struct tenant *tenant_at(struct store *s, int tid)
{
    if (tid < 0 || (size_t)tid >= s->n_tenants || s->tenants[tid]->removed)
        return NULL;
    return s->tenants[tid];
}

/* ---- tenants ---- */

enum mock_err store_tenant_add(struct store *s, const struct merchant *m, int *ret_tid)
{
    enum mock_err err = MOCK_BAD_PARAM;
    uint32_t dummy;
    pthread_mutex_lock(&s->lock);
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
out:
    pthread_mutex_unlock(&s->lock);
    return err;
}

static bool tenant_lookup(struct store *s, struct hmap *index, const char *key, int *ret_tid,
                          struct merchant *ret_m)
{
    uint32_t tid;
    pthread_mutex_lock(&s->lock);
    bool found = hmap_get(index, key, &tid);
    if (found) {
        if (ret_tid)
            *ret_tid = (int)tid;
        if (ret_m)
            *ret_m = s->tenants[tid]->m;
    }
    pthread_mutex_unlock(&s->lock);
    return found;
}

bool store_tenant_by_key(struct store *s, const char *imp_key, int *ret_tid,
                         struct merchant *ret_m)
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
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (t)
        *ret_m = t->m;
    pthread_mutex_unlock(&s->lock);
    return t != NULL;
}

void store_tenant_clear(struct store *s, int tid)
{
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (t) {
        if (t->token[0])
            hmap_del(&s->by_token, t->token);
        t->token[0] = '\0';
        t->token_expires_at = 0;
        tenant_clear(t);
    }
    pthread_mutex_unlock(&s->lock);
}

void store_tenant_remove(struct store *s, int tid)
{
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (t) {
        if (t->token[0])
            hmap_del(&s->by_token, t->token);
        t->token[0] = '\0';
        hmap_del(&s->by_key, t->m.imp_key);
        if (t->m.merchant_code[0])
            hmap_del(&s->by_code, t->m.merchant_code);
        tenant_clear(t);
        t->removed = true;
    }
    pthread_mutex_unlock(&s->lock);
}

size_t store_tenant_count(struct store *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->n_tenants;
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* ---- tokens ---- */

void store_token_issue(struct store *s, int tid, int64_t now, const char *candidate,
                       char *ret_token, int64_t *ret_expires_at)
{
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t) {
        ret_token[0] = '\0';
        *ret_expires_at = 0;
        goto out;
    }
    if (t->token[0] && now < t->token_expires_at) {
        if (t->token_expires_at - now <= STORE_TOKEN_GRACE)
            t->token_expires_at += STORE_TOKEN_EXTENSION;
    } else {
        if (t->token[0])
            hmap_del(&s->by_token, t->token);
        snprintf(t->token, sizeof t->token, "%s", candidate);
        t->token_expires_at = now + STORE_TOKEN_TTL;
        if (!hmap_put(&s->by_token, t->token, (uint32_t)tid))
            t->token[0] = '\0'; /* out of memory: the token will not be accepted */
    }
    memcpy(ret_token, t->token, sizeof t->token);
    *ret_expires_at = t->token_expires_at;
out:
    pthread_mutex_unlock(&s->lock);
}

bool store_token_lookup(struct store *s, const char *token, int64_t now, int *ret_tid)
{
    uint32_t tid;
    bool ok = false;
    pthread_mutex_lock(&s->lock);
    if (hmap_get(&s->by_token, token, &tid) && now < s->tenants[tid]->token_expires_at) {
        *ret_tid = (int)tid;
        ok = true;
    }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

void store_token_expire(struct store *s, int tid)
{
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (t && t->token[0]) {
        hmap_del(&s->by_token, t->token);
        t->token[0] = '\0';
        t->token_expires_at = 0;
    }
    pthread_mutex_unlock(&s->lock);
}

/* ---- payments ---- */

static struct payment *t_payment(struct tenant *t, const char *imp_uid)
{
    uint32_t i;
    return hmap_get(&t->by_imp_uid, imp_uid, &i) ? t->pays[i].p : NULL;
}

enum mock_err store_payment_get(struct store *s, int tid, const char *imp_uid,
                                struct payment *ret_payment)
{
    enum mock_err err = MOCK_PAYMENT_NOT_FOUND;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    const struct payment *p = t ? t_payment(t, imp_uid) : NULL;
    if (p)
        err = payment_copy(ret_payment, p) ? MOCK_OK : MOCK_INTERNAL;
    pthread_mutex_unlock(&s->lock);
    return err;
}

enum mock_err store_payment_insert(struct store *s, int tid, const struct payment *p, bool api,
                                   struct payment *ret_payment)
{
    enum mock_err err = MOCK_INTERNAL;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t)
        goto out;
    struct payment *np = malloc(sizeof *np);
    if (!np)
        goto out;
    if (!payment_copy(np, p)) {
        free(np);
        goto out;
    }
    if (np->imp_uid[0] && t_payment(t, np->imp_uid)) {
        payment_fini(np);
        free(np);
        err = MOCK_BAD_PARAM; /* only fixtures choose their own imp_uid */
        goto out;
    }
    for (int tries = 0; !np->imp_uid[0] && tries < 64; tries++) {
        ids_imp_uid(api, np->imp_uid);
        if (t_payment(t, np->imp_uid))
            np->imp_uid[0] = '\0';
    }
    np->version = 1;
    if (!np->imp_uid[0] ||
        !grow_array((void **)&t->pays, &t->cap_pays, t->n_pays + 1, sizeof *t->pays)) {
        payment_fini(np);
        free(np);
        goto out;
    }
    uint32_t idx = (uint32_t)t->n_pays;
    uint32_t prev;
    int32_t prev_idx = hmap_get(&t->by_order, np->merchant_uid, &prev) ? (int32_t)prev : -1;
    if (!hmap_put(&t->by_imp_uid, np->imp_uid, idx)) {
        payment_fini(np);
        free(np);
        goto out;
    }
    if (!hmap_put(&t->by_order, np->merchant_uid, idx)) {
        hmap_del(&t->by_imp_uid, np->imp_uid);
        payment_fini(np);
        free(np);
        goto out;
    }
    t->pays[t->n_pays].p = np;
    t->pays[t->n_pays].prev = prev_idx;
    t->n_pays++;
    err = MOCK_OK;
    if (ret_payment && !payment_copy(ret_payment, np))
        err = MOCK_INTERNAL;
out:
    pthread_mutex_unlock(&s->lock);
    return err;
}

enum mock_err store_payment_replace(struct store *s, int tid, const struct payment *p)
{
    enum mock_err err = MOCK_PAYMENT_NOT_FOUND;
    struct payment copy;
    if (!payment_copy(&copy, p))
        return MOCK_INTERNAL;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    struct payment *cur = t ? t_payment(t, p->imp_uid) : NULL;
    if (cur && cur->version != p->version) {
        err = MOCK_IN_PROGRESS;
    } else if (cur) {
        copy.version = cur->version + 1;
        payment_fini(cur);
        *cur = copy; /* imp_uid and merchant_uid unchanged: index keys stay valid */
        memset(&copy, 0, sizeof copy);
        err = MOCK_OK;
    }
    pthread_mutex_unlock(&s->lock);
    payment_fini(&copy);
    return err;
}

static int64_t status_time(const struct payment *p)
{
    switch (p->status) {
    case PAY_PAID:
        return p->paid_at;
    case PAY_FAILED:
        return p->failed_at;
    case PAY_CANCELLED:
        return p->cancelled_at;
    default:
        return p->started_at;
    }
}

struct sort_item {
    int64_t key;
    size_t idx;
};

static int cmp_asc(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

static int cmp_desc(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return x->idx > y->idx ? -1 : (x->idx < y->idx);
}

static bool t_matches(const struct payment *p, const struct pay_query *q)
{
    if (q->status >= 0 && (int)p->status != q->status)
        return false;
    if (q->customer_uid && (!p->customer_uid || strcmp(p->customer_uid, q->customer_uid) != 0))
        return false;
    if (q->time_filter) {
        int64_t ts = status_time(p);
        if (ts < q->from || ts > q->to)
            return false;
    }
    return true;
}

enum mock_err store_payment_query(struct store *s, int tid, const struct pay_query *q,
                                  struct pay_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    struct sort_item *items = NULL;
    size_t n = 0;
    memset(ret_page, 0, sizeof *ret_page);
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t)
        goto out;
    size_t cap = t->n_pays ? t->n_pays : 1;
    if (q->merchant_uid) {
        /* walk the order's chain instead of every payment */
        uint32_t head;
        cap = 0;
        if (hmap_get(&t->by_order, q->merchant_uid, &head))
            for (int32_t i = (int32_t)head; i >= 0; i = t->pays[i].prev)
                cap++;
        if (cap == 0)
            cap = 1;
    }
    items = malloc(cap * sizeof *items);
    if (!items)
        goto out;
    if (q->merchant_uid) {
        uint32_t head;
        if (hmap_get(&t->by_order, q->merchant_uid, &head))
            for (int32_t i = (int32_t)head; i >= 0; i = t->pays[i].prev)
                if (t_matches(t->pays[i].p, q))
                    items[n++].idx = (size_t)i;
    } else {
        for (size_t i = 0; i < t->n_pays; i++)
            if (t_matches(t->pays[i].p, q))
                items[n++].idx = i;
    }
    for (size_t i = 0; i < n; i++) {
        const struct payment *p = t->pays[items[i].idx].p;
        items[i].key = q->sort == SORT_PAID      ? p->paid_at
                       : q->sort == SORT_UPDATED ? p->updated_at
                                                 : p->started_at;
    }
    qsort(items, n, sizeof *items, q->descending ? cmp_desc : cmp_asc);
    ret_page->total = n;
    size_t limit = q->limit ? q->limit : 20;
    size_t page = q->page ? q->page : 1;
    size_t first = (page - 1) * limit;
    if (first < n && page <= SIZE_MAX / limit) {
        size_t count = n - first < limit ? n - first : limit;
        ret_page->items = calloc(count, sizeof *ret_page->items);
        if (!ret_page->items)
            goto out;
        for (size_t i = 0; i < count; i++) {
            if (!payment_copy(&ret_page->items[i], t->pays[items[first + i].idx].p))
                goto out;
            ret_page->n = i + 1;
        }
    }
    err = MOCK_OK;
out:
    pthread_mutex_unlock(&s->lock);
    free(items);
    if (err != MOCK_OK)
        store_page_free(ret_page);
    return err;
}

void store_page_free(struct pay_page *page)
{
    for (size_t i = 0; i < page->n; i++)
        payment_fini(&page->items[i]);
    free(page->items);
    memset(page, 0, sizeof *page);
}

/* ---- orders ---- */

static bool t_order_paid(struct tenant *t, const char *merchant_uid)
{
    uint32_t head;
    if (!hmap_get(&t->by_order, merchant_uid, &head))
        return false;
    for (int32_t i = (int32_t)head; i >= 0; i = t->pays[i].prev)
        if (t->pays[i].p->status == PAY_PAID || t->pays[i].p->status == PAY_CANCELLED)
            return true;
    return false;
}

enum mock_err store_order_check(struct store *s, int tid, const char *merchant_uid)
{
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    enum mock_err err = t && t_order_paid(t, merchant_uid) ? MOCK_ALREADY_PAID : MOCK_OK;
    pthread_mutex_unlock(&s->lock);
    return err;
}

enum mock_err store_order_reserve(struct store *s, int tid, const char *merchant_uid)
{
    enum mock_err err = MOCK_INTERNAL;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t)
        goto out;
    if (t_order_paid(t, merchant_uid)) {
        err = MOCK_ALREADY_PAID;
        goto out;
    }
    for (size_t i = 0; i < t->n_inflight; i++) {
        if (strcmp(t->inflight[i], merchant_uid) == 0) {
            err = MOCK_IN_PROGRESS;
            goto out;
        }
    }
    if (!grow_array((void **)&t->inflight, &t->cap_inflight, t->n_inflight + 1,
                    sizeof *t->inflight))
        goto out;
    char *copy = strdup(merchant_uid);
    if (!copy)
        goto out;
    t->inflight[t->n_inflight++] = copy;
    err = MOCK_OK;
out:
    pthread_mutex_unlock(&s->lock);
    return err;
}

void store_order_release(struct store *s, int tid, const char *merchant_uid)
{
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    for (size_t i = 0; t && i < t->n_inflight; i++) {
        if (strcmp(t->inflight[i], merchant_uid) == 0) {
            free(t->inflight[i]);
            t->inflight[i] = t->inflight[--t->n_inflight];
            break;
        }
    }
    pthread_mutex_unlock(&s->lock);
}

/* ---- prepares ---- */

enum mock_err store_prepare_put(struct store *s, int tid, const struct prepare *p, bool update)
{
    enum mock_err err = MOCK_INTERNAL;
    uint32_t i;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t)
        goto out;
    if (hmap_get(&t->by_prep, p->merchant_uid, &i)) {
        if (!update) {
            err = MOCK_PREPARE_EXISTS;
            goto out;
        }
        *t->preps[i] = *p;
        err = MOCK_OK;
        goto out;
    }
    if (update) {
        err = MOCK_PREPARE_NOT_FOUND;
        goto out;
    }
    if (!grow_array((void **)&t->preps, &t->cap_preps, t->n_preps + 1, sizeof *t->preps))
        goto out;
    struct prepare *np = malloc(sizeof *np);
    if (!np)
        goto out;
    *np = *p;
    if (!hmap_put(&t->by_prep, np->merchant_uid, (uint32_t)t->n_preps)) {
        free(np);
        goto out;
    }
    t->preps[t->n_preps++] = np;
    err = MOCK_OK;
out:
    pthread_mutex_unlock(&s->lock);
    return err;
}

enum mock_err store_prepare_get(struct store *s, int tid, const char *merchant_uid,
                                struct prepare *ret_prepare)
{
    enum mock_err err = MOCK_PREPARE_NOT_FOUND;
    uint32_t i;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (t && hmap_get(&t->by_prep, merchant_uid, &i)) {
        *ret_prepare = *t->preps[i];
        err = MOCK_OK;
    }
    pthread_mutex_unlock(&s->lock);
    return err;
}

/* ---- customers ---- */

static struct customer *t_customer(struct tenant *t, const char *customer_uid)
{
    uint32_t i;
    return hmap_get(&t->by_cust, customer_uid, &i) ? t->custs[i] : NULL;
}

enum mock_err store_customer_get(struct store *s, int tid, const char *customer_uid,
                                 struct customer *ret_customer)
{
    enum mock_err err = MOCK_CUSTOMER_NOT_FOUND;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    const struct customer *c = t ? t_customer(t, customer_uid) : NULL;
    if (c)
        err = customer_copy(ret_customer, c) ? MOCK_OK : MOCK_INTERNAL;
    pthread_mutex_unlock(&s->lock);
    return err;
}

enum mock_err store_customer_put(struct store *s, int tid, const struct customer *c,
                                 struct customer *ret_customer)
{
    enum mock_err err = MOCK_INTERNAL;
    struct customer copy;
    if (!customer_copy(&copy, c))
        return MOCK_INTERNAL;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t)
        goto out;
    struct customer *cur = t_customer(t, c->customer_uid);
    if (cur) {
        copy.inserted = cur->inserted;
        copy.charges = 0;
        customer_fini(cur);
        *cur = copy;
        memset(&copy, 0, sizeof copy);
    } else {
        if (!grow_array((void **)&t->custs, &t->cap_custs, t->n_custs + 1, sizeof *t->custs))
            goto out;
        cur = malloc(sizeof *cur);
        if (!cur)
            goto out;
        *cur = copy;
        if (!hmap_put(&t->by_cust, cur->customer_uid, (uint32_t)t->n_custs)) {
            free(cur);
            goto out;
        }
        memset(&copy, 0, sizeof copy);
        t->custs[t->n_custs++] = cur;
    }
    err = MOCK_OK;
    if (ret_customer && !customer_copy(ret_customer, cur))
        err = MOCK_INTERNAL;
out:
    pthread_mutex_unlock(&s->lock);
    customer_fini(&copy);
    return err;
}

enum mock_err store_customer_delete(struct store *s, int tid, const char *customer_uid,
                                    struct customer *ret_customer)
{
    enum mock_err err = MOCK_CUSTOMER_NOT_FOUND;
    uint32_t i;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (t && hmap_get(&t->by_cust, customer_uid, &i)) {
        struct customer *c = t->custs[i];
        hmap_del(&t->by_cust, customer_uid);
        t->custs[i] = NULL;
        *ret_customer = *c; /* ownership of its strings moves to the caller */
        free(c);
        err = MOCK_OK;
    }
    pthread_mutex_unlock(&s->lock);
    return err;
}

enum mock_err store_customer_count_charge(struct store *s, int tid, const char *customer_uid,
                                          uint64_t *ret_count)
{
    enum mock_err err = MOCK_CUSTOMER_UNKNOWN;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    struct customer *c = t ? t_customer(t, customer_uid) : NULL;
    if (c) {
        *ret_count = ++c->charges;
        err = MOCK_OK;
    }
    pthread_mutex_unlock(&s->lock);
    return err;
}

enum mock_err store_customer_charge(struct store *s, int tid, const char *customer_uid,
                                    struct customer *ret_customer, uint64_t *ret_count)
{
    enum mock_err err = MOCK_CUSTOMER_UNKNOWN;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    struct customer *c = t ? t_customer(t, customer_uid) : NULL;
    if (c) {
        err = customer_copy(ret_customer, c) ? MOCK_OK : MOCK_INTERNAL;
        if (err == MOCK_OK)
            *ret_count = ++c->charges;
    }
    pthread_mutex_unlock(&s->lock);
    return err;
}

/* ---- whole-tenant reads ---- */

enum mock_err store_customer_list(struct store *s, int tid, struct customer **ret_list,
                                  size_t *ret_n)
{
    enum mock_err err = MOCK_INTERNAL;
    struct customer *list = NULL;
    size_t n = 0;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t)
        goto out;
    list = t->n_custs ? calloc(t->n_custs, sizeof *list) : NULL;
    if (t->n_custs && !list)
        goto out;
    for (size_t i = 0; i < t->n_custs; i++) {
        if (!t->custs[i])
            continue; /* deleted */
        if (!customer_copy(&list[n], t->custs[i]))
            goto out;
        n++;
    }
    err = MOCK_OK;
out:
    pthread_mutex_unlock(&s->lock);
    if (err != MOCK_OK) {
        store_customers_free(list, n);
        list = NULL;
        n = 0;
    }
    *ret_list = list;
    *ret_n = n;
    return err;
}

void store_customers_free(struct customer *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        customer_fini(&list[i]);
    free(list);
}

enum mock_err store_prepare_list(struct store *s, int tid, struct prepare **ret_list,
                                 size_t *ret_n)
{
    enum mock_err err = MOCK_INTERNAL;
    struct prepare *list = NULL;
    size_t n = 0;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (t) {
        list = t->n_preps ? malloc(t->n_preps * sizeof *list) : NULL;
        if (!t->n_preps || list) {
            for (size_t i = 0; i < t->n_preps; i++)
                list[n++] = *t->preps[i];
            err = MOCK_OK;
        }
    }
    pthread_mutex_unlock(&s->lock);
    *ret_list = list;
    *ret_n = n;
    return err;
}

enum mock_err store_payment_all(struct store *s, int tid, struct pay_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    memset(ret_page, 0, sizeof *ret_page);
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (t) {
        ret_page->items = t->n_pays ? calloc(t->n_pays, sizeof *ret_page->items) : NULL;
        if (!t->n_pays || ret_page->items) {
            err = MOCK_OK;
            for (size_t i = 0; i < t->n_pays; i++) {
                if (!payment_copy(&ret_page->items[i], t->pays[i].p)) {
                    err = MOCK_INTERNAL;
                    break;
                }
                ret_page->n = i + 1;
            }
            ret_page->total = ret_page->n;
        }
    }
    pthread_mutex_unlock(&s->lock);
    if (err != MOCK_OK)
        store_page_free(ret_page);
    return err;
}
