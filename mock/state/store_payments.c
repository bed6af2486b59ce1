/* store_payments.c - payments (packed records, paypack.h), the claims on a
 * merchant_uid while a charge is under way, pre-registrations, and the
 * queries and pages over payments; see store.h. */
#include "state/store_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- payments ---- */

/* The payment indexes read their keys from the records themselves (called
 * by hidx under the lock). */
static const char *key_imp_uid(const void *ud, uint32_t i)
{
    const struct tenant *t = ud;
    return paypack_imp_uid(t->pays[i].rec);
}

static const char *key_order(const void *ud, uint32_t i)
{
    const struct tenant *t = ud;
    return paypack_merchant_uid(t->pays[i].rec);
}

long store__payment_index(struct store *s, struct tenant *t, const char *imp_uid)
{
    store__assert_locked(s);
    uint32_t i;
    return hidx_get(&t->by_imp_uid, imp_uid, &i, key_imp_uid, t) ? (long)i : -1;
}

int store__payment_status(struct store *s, struct tenant *t, const char *imp_uid)
{
    store__assert_locked(s);
    long i = store__payment_index(s, t, imp_uid);
    struct paypack_head h;
    if (i < 0)
        return -1;
    paypack_head(t->pays[i].rec, &h);
    return (int)h.status;
}

void store__payments_clear(struct store *s, struct tenant *t)
{
    store__assert_locked(s);
    for (size_t i = 0; i < t->n_pays; i++)
        free(t->pays[i].rec);
    free(t->pays);
    t->pays = NULL;
    t->n_pays = t->cap_pays = 0;
    hidx_fini(&t->by_imp_uid);
    hidx_fini(&t->by_order);
    for (size_t i = 0; i < t->n_inflight; i++)
        free(t->inflight[i]);
    free(t->inflight);
    t->inflight = NULL;
    t->n_inflight = t->cap_inflight = 0;
    for (size_t i = 0; i < t->n_preps; i++)
        free(t->preps[i]);
    free(t->preps);
    t->preps = NULL;
    t->n_preps = t->cap_preps = 0;
    hmap_fini(&t->by_prep);
}

enum mock_err store_payment_get(struct store *s, int tid, const char *imp_uid,
                                struct payment *ret_payment)
{
    enum mock_err err = MOCK_PAYMENT_NOT_FOUND;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    long i = t ? store__payment_index(s, t, imp_uid) : -1;
    if (i >= 0)
        err = paypack_decode(&s->pack, t->pays[i].rec, ret_payment) ? MOCK_OK : MOCK_INTERNAL;
    store__unlock(s);
    return err;
}

/* Packs np as t's newest payment and indexes it; false when out of memory. */
static bool store__payment_append(struct store *s, struct tenant *t, const struct payment *np)
{
    store__assert_writing(s);
    if (!grow_array((void **)&t->pays, &t->cap_pays, t->n_pays + 1, sizeof *t->pays))
        return false;
    uint8_t *rec = paypack_encode(&s->pack, np);
    if (!rec)
        return false;
    uint32_t idx = (uint32_t)t->n_pays;
    uint32_t prev;
    int32_t prev_idx =
        hidx_get(&t->by_order, np->merchant_uid, &prev, key_order, t) ? (int32_t)prev : -1;
    /* in place before indexing (the indexes read keys through t->pays), counted after */
    t->pays[idx].rec = rec;
    t->pays[idx].prev = prev_idx;
    if (!hidx_put(&t->by_imp_uid, np->imp_uid, idx, key_imp_uid, t)) {
        free(rec);
        return false;
    }
    if (!hidx_put(&t->by_order, np->merchant_uid, idx, key_order, t)) {
        hidx_del(&t->by_imp_uid, np->imp_uid, key_imp_uid, t);
        free(rec);
        return false;
    }
    t->n_pays++;
    return true;
}

/* Stores *np (its imp_uid drawn unless given) in t; the lock is held alone. */
static enum mock_err store__payment_insert(struct store *s, int tid, struct tenant *t,
                                           struct payment *np, bool api)
{
    store__assert_writing(s);
    if (np->imp_uid[0] && store__payment_index(s, t, np->imp_uid) >= 0)
        return MOCK_BAD_PARAM; /* only fixtures choose their own imp_uid */
    for (int tries = 0; !np->imp_uid[0] && tries < 64; tries++) {
        ids_imp_uid(api, np->imp_uid);
        if (store__payment_index(s, t, np->imp_uid) >= 0)
            np->imp_uid[0] = '\0';
    }
    np->version = 1;
    if (!np->imp_uid[0] || !store__vbank_reserve(s) || !store__payment_append(s, t, np))
        return MOCK_INTERNAL;
    store__vbank_track(s, tid, np);
    store__emit(s, STORE_EV_PAYMENT, tid, np);
    return MOCK_OK;
}

void store__order_unclaim(struct store *s, struct tenant *t, const char *merchant_uid)
{
    store__assert_writing(s);
    for (size_t i = 0; i < t->n_inflight; i++) {
        if (strcmp(t->inflight[i], merchant_uid) == 0) {
            free(t->inflight[i]);
            t->inflight[i] = t->inflight[--t->n_inflight];
            return;
        }
    }
}

/* insert (settle = false) and settle: one turn of the lock either way. */
static enum mock_err payment_store(struct store *s, int tid, const struct payment *p, bool api,
                                   bool settle, struct payment *ret_payment)
{
    /* a shallow copy: its strings stay the caller's, the record gets its own */
    struct payment np = *p;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    enum mock_err err = t ? store__payment_insert(s, tid, t, &np, api) : MOCK_INTERNAL;
    if (t && settle)
        store__order_unclaim(s, t, p->merchant_uid);
    if (!store__unlock_publish(s))
        err = MOCK_INTERNAL; /* not logged: answered as an error */
    /* np's strings are the caller's: the copy needs no lock */
    if (err == MOCK_OK && ret_payment && !payment_copy(ret_payment, &np))
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_payment_insert(struct store *s, int tid, const struct payment *p, bool api,
                                   struct payment *ret_payment)
{
    return payment_store(s, tid, p, api, false, ret_payment);
}

enum mock_err store_order_settle(struct store *s, int tid, const struct payment *p,
                                 struct payment *ret_payment)
{
    return payment_store(s, tid, p, true, true, ret_payment);
}

enum mock_err store_payment_replace(struct store *s, int tid, const struct payment *p)
{
    enum mock_err err = MOCK_PAYMENT_NOT_FOUND;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    long i = t ? store__payment_index(s, t, p->imp_uid) : -1;
    struct paypack_head cur;
    if (i >= 0)
        paypack_head(t->pays[i].rec, &cur);
    if (i >= 0 && cur.version != p->version) {
        err = MOCK_IN_PROGRESS;
    } else if (i >= 0) {
        struct payment next = *p; /* shallow: only packed */
        next.version = cur.version + 1;
        uint8_t *rec = store__vbank_reserve(s) ? paypack_encode(&s->pack, &next) : NULL;
        if (rec) {
            /* imp_uid and merchant_uid unchanged: the indexes stay right */
            free(t->pays[i].rec);
            t->pays[i].rec = rec;
            store__vbank_track(s, tid, &next);
            err = MOCK_OK;
            store__emit(s, STORE_EV_PAYMENT, tid, &next);
        } else {
            err = MOCK_INTERNAL;
        }
    }
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_payment_all(struct store *s, int tid, struct pay_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    memset(ret_page, 0, sizeof *ret_page);
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (t) {
        ret_page->items = t->n_pays ? calloc(t->n_pays, sizeof *ret_page->items) : NULL;
        if (!t->n_pays || ret_page->items) {
            err = MOCK_OK;
            for (size_t i = 0; i < t->n_pays; i++) {
                if (!paypack_decode(&s->pack, t->pays[i].rec, &ret_page->items[i])) {
                    err = MOCK_INTERNAL;
                    break;
                }
                ret_page->n = i + 1;
            }
            ret_page->total = ret_page->n;
        }
    }
    store__unlock(s);
    if (err != MOCK_OK)
        store_page_free(ret_page);
    return err;
}

/* ---- queries ---- */

static int64_t status_time(const struct paypack_head *p)
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

/* Whether record rec matches q; when it does, *ret_key is its sort key. */
static bool record_matches(const struct paypack *pk, const uint8_t *rec, const struct pay_query *q,
                           int64_t *ret_key)
{
    struct paypack_head p;
    paypack_head(rec, &p);
    if (q->status >= 0 && (int)p.status != q->status)
        return false;
    if (q->time_filter) {
        int64_t ts = status_time(&p);
        if (ts < q->from || ts > q->to)
            return false;
    }
    if (q->customer_uid) {
        const char *c = paypack_customer_uid(pk, rec);
        if (!c || strcmp(c, q->customer_uid) != 0)
            return false;
    }
    *ret_key = q->sort == SORT_PAID      ? p.paid_at
               : q->sort == SORT_UPDATED ? p.updated_at
                                         : p.started_at;
    return true;
}

/* Head of the chain of payments of merchant_uid (newest first), or -1. */
static int32_t store__order_head(struct store *s, struct tenant *t, const char *merchant_uid)
{
    store__assert_locked(s);
    uint32_t head;
    return hidx_get(&t->by_order, merchant_uid, &head, key_order, t) ? (int32_t)head : -1;
}

/* The payments of t matching q, unsorted, in *ret_items (malloc'd); false
 * when out of memory. */
static bool store__payment_select(struct store *s, struct tenant *t, const struct pay_query *q,
                                  struct sort_item **ret_items, size_t *ret_n)
{
    store__assert_locked(s);
    size_t cap = t->n_pays, n = 0;
    int32_t head = -1;
    if (q->merchant_uid) { /* walk the order's chain instead of every payment */
        head = store__order_head(s, t, q->merchant_uid);
        cap = 0;
        for (int32_t i = head; i >= 0; i = t->pays[i].prev)
            cap++;
    }
    struct sort_item *items = malloc((cap ? cap : 1) * sizeof *items);
    if (!items)
        return false;
    if (q->merchant_uid) {
        for (int32_t i = head; i >= 0; i = t->pays[i].prev)
            if (record_matches(&s->pack, t->pays[i].rec, q, &items[n].key))
                items[n++].idx = (size_t)i;
    } else {
        for (size_t i = 0; i < t->n_pays; i++)
            if (record_matches(&s->pack, t->pays[i].rec, q, &items[n].key))
                items[n++].idx = i;
    }
    *ret_items = items;
    *ret_n = n;
    return true;
}

enum mock_err store_payment_query(struct store *s, int tid, const struct pay_query *q,
                                  struct pay_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    struct sort_item *items = NULL;
    size_t n = 0;
    memset(ret_page, 0, sizeof *ret_page);
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t || !store__payment_select(s, t, q, &items, &n))
        goto out;
    qsort(items, n, sizeof *items, q->descending ? cmp_desc : cmp_asc);
    ret_page->total = n;
    size_t first = 0, count = page_slice(n, q->page, q->limit, &first);
    if (count) {
        ret_page->items = calloc(count, sizeof *ret_page->items);
        if (!ret_page->items)
            goto out;
        for (size_t i = 0; i < count; i++) {
            if (!paypack_decode(&s->pack, t->pays[items[first + i].idx].rec, &ret_page->items[i]))
                goto out;
            ret_page->n = i + 1;
        }
    }
    err = MOCK_OK;
out:
    store__unlock(s);
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

bool store__order_paid(struct store *s, struct tenant *t, const char *merchant_uid)
{
    store__assert_locked(s);
    for (int32_t i = store__order_head(s, t, merchant_uid); i >= 0; i = t->pays[i].prev) {
        struct paypack_head h;
        paypack_head(t->pays[i].rec, &h);
        if (h.status == PAY_PAID || h.status == PAY_CANCELLED)
            return true;
    }
    return false;
}

enum mock_err store_order_check(struct store *s, int tid, const char *merchant_uid)
{
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    enum mock_err err = t && store__order_paid(s, t, merchant_uid) ? MOCK_ALREADY_PAID : MOCK_OK;
    store__unlock(s);
    return err;
}

enum mock_err store__order_claim(struct store *s, struct tenant *t, const char *merchant_uid)
{
    store__assert_writing(s);
    if (store__order_paid(s, t, merchant_uid))
        return MOCK_ALREADY_PAID;
    for (size_t i = 0; i < t->n_inflight; i++)
        if (strcmp(t->inflight[i], merchant_uid) == 0)
            return MOCK_IN_PROGRESS;
    if (!grow_array((void **)&t->inflight, &t->cap_inflight, t->n_inflight + 1,
                    sizeof *t->inflight))
        return MOCK_INTERNAL;
    char *copy = strdup(merchant_uid);
    if (!copy)
        return MOCK_INTERNAL;
    t->inflight[t->n_inflight++] = copy;
    return MOCK_OK;
}

enum mock_err store_order_reserve(struct store *s, int tid, const char *merchant_uid)
{
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    enum mock_err err = t ? store__order_claim(s, t, merchant_uid) : MOCK_INTERNAL;
    store__unlock(s);
    return err;
}

void store_order_release(struct store *s, int tid, const char *merchant_uid)
{
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (t)
        store__order_unclaim(s, t, merchant_uid);
    store__unlock(s);
}

/* ---- pre-registrations ---- */

enum mock_err store_prepare_put(struct store *s, int tid, const struct prepare *p, bool update)
{
    enum mock_err err = MOCK_INTERNAL;
    uint32_t i;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    if (hmap_get(&t->by_prep, p->merchant_uid, &i)) {
        if (!update) {
            err = MOCK_PREPARE_EXISTS;
            goto out;
        }
        *t->preps[i] = *p;
        err = MOCK_OK;
        store__emit(s, STORE_EV_PREPARE, tid, p);
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
    store__emit(s, STORE_EV_PREPARE, tid, p);
out:
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_prepare_get(struct store *s, int tid, const char *merchant_uid,
                                struct prepare *ret_prepare)
{
    enum mock_err err = MOCK_PREPARE_NOT_FOUND;
    uint32_t i;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (t && hmap_get(&t->by_prep, merchant_uid, &i)) {
        *ret_prepare = *t->preps[i];
        err = MOCK_OK;
    }
    store__unlock(s);
    return err;
}

enum mock_err store_prepare_list(struct store *s, int tid, struct prepare **ret_list, size_t *ret_n)
{
    enum mock_err err = MOCK_INTERNAL;
    struct prepare *list = NULL;
    size_t n = 0;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (t) {
        list = t->n_preps ? malloc(t->n_preps * sizeof *list) : NULL;
        if (!t->n_preps || list) {
            for (size_t i = 0; i < t->n_preps; i++)
                list[n++] = *t->preps[i];
            err = MOCK_OK;
        }
    }
    store__unlock(s);
    *ret_list = list;
    *ret_n = n;
    return err;
}
