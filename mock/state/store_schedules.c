/* store_schedules.c - scheduled payments (reference §7): the items of each
 * tenant, indexed by merchant_uid and customer_uid, and one due index per
 * store, a min-heap on (schedule_at, insertion order), from which the
 * executor claims what is due across every tenant; see store.h. */
#include "state/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the due index (plain heap operations on an array) ---- */

static bool due_less(const struct sched_due *a, const struct sched_due *b)
{
    if (a->at != b->at)
        return a->at < b->at;
    return a->seq < b->seq;
}

static void due_swap(struct sched_due *h, size_t i, size_t j)
{
    struct sched_due tmp = h[i];
    h[i] = h[j];
    h[j] = tmp;
}

static void due_sift_up(struct sched_due *h, size_t i)
{
    while (i > 0 && due_less(&h[i], &h[(i - 1) / 2])) {
        due_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void due_sift_down(struct sched_due *h, size_t n, size_t i)
{
    while (2 * i + 1 < n) { /* i at least doubles each round */
        size_t m = 2 * i + 1;
        if (m + 1 < n && due_less(&h[m + 1], &h[m]))
            m++;
        if (!due_less(&h[m], &h[i]))
            return;
        due_swap(h, i, m);
        i = m;
    }
}

/* The item an entry still stands for, or NULL once the entry is stale. */
static struct schedule *store__due_item(struct store *s, const struct sched_due *d)
{
    store__assert_locked(s);
    struct tenant *t = store__tenant(s, (int)d->tid);
    if (!t || d->idx >= t->n_scheds)
        return NULL;
    struct schedule *sc = t->scheds[d->idx].sc;
    if (sc->gen != d->gen || sc->status != SCHED_SCHEDULED || sc->running)
        return NULL;
    return sc;
}

static size_t store__sched_waiting(struct store *s)
{
    store__assert_locked(s);
    size_t n = 0;
    for (size_t i = 0; i < s->n_tenants; i++)
        if (s->tenants[i])
            n += s->tenants[i]->n_sched_waiting;
    return n;
}

/* Drops stale entries once they outnumber the live ones, so moves, revokes
 * and resets cannot grow the index without bound. */
static void store__due_compact(struct store *s)
{
    store__assert_locked(s);
    if (s->n_due < 1024 || s->n_due < 2 * store__sched_waiting(s))
        return;
    size_t k = 0;
    for (size_t i = 0; i < s->n_due; i++)
        if (store__due_item(s, &s->due[i]))
            s->due[k++] = s->due[i];
    s->n_due = k;
    for (size_t i = k / 2; i-- > 0;)
        due_sift_down(s->due, k, i);
}

static bool store__due_reserve(struct store *s, size_t more)
{
    store__assert_locked(s);
    return grow_array((void **)&s->due, &s->cap_due, s->n_due + more, sizeof *s->due);
}

/* Room must have been reserved with store__due_reserve. */
static void store__due_push(struct store *s, int tid, uint32_t idx, const struct schedule *sc)
{
    store__assert_locked(s);
    struct sched_due d = {sc->schedule_at, sc->seq, sc->gen, (uint32_t)tid, idx};
    s->due[s->n_due] = d;
    due_sift_up(s->due, s->n_due);
    s->n_due++;
}

/* ---- items ---- */

static struct schedule *store__sched_find(struct store *s, struct tenant *t,
                                          const char *merchant_uid, uint32_t *ret_idx)
{
    store__assert_locked(s);
    uint32_t i;
    if (!hmap_get(&t->by_sched, merchant_uid, &i))
        return NULL;
    if (ret_idx)
        *ret_idx = i;
    return t->scheds[i].sc;
}

/* payment_status as the API shows it: the current status of the payment the
 * execution made, so a refund later reads "cancelled". */
static int store__sched_pay_status(struct store *s, struct tenant *t, const struct schedule *sc)
{
    store__assert_locked(s);
    int status = sc->imp_uid[0] ? store__payment_status(s, t, sc->imp_uid) : -1;
    return status >= 0 ? status : sc->payment_status;
}

static bool store__sched_copy(struct store *s, struct tenant *t, const struct schedule *src,
                              struct schedule *dst)
{
    store__assert_locked(s);
    if (!schedule_copy(dst, src))
        return false;
    dst->payment_status = store__sched_pay_status(s, t, src);
    return true;
}

static bool store__sched_failed_or_revoked(struct store *s, struct tenant *t,
                                           const struct schedule *sc)
{
    store__assert_locked(s);
    if (sc->running)
        return false;
    if (sc->status == SCHED_REVOKED)
        return true;
    return sc->status == SCHED_EXECUTED && store__sched_pay_status(s, t, sc) == PAY_FAILED;
}

/* Adds sc (owned) as t's newest item, indexed, with the next insertion
 * number; *ret_idx is its place. false when out of memory (sc not taken). */
static bool store__sched_append(struct store *s, struct tenant *t, struct schedule *sc,
                                uint32_t *ret_idx)
{
    store__assert_locked(s);
    if (!grow_array((void **)&t->scheds, &t->cap_scheds, t->n_scheds + 1, sizeof *t->scheds))
        return false;
    uint32_t idx = (uint32_t)t->n_scheds, prev;
    int32_t prev_idx = hmap_get(&t->by_sched_cust, sc->customer_uid, &prev) ? (int32_t)prev : -1;
    if (!hmap_put(&t->by_sched, sc->merchant_uid, idx))
        return false;
    if (!hmap_put(&t->by_sched_cust, sc->customer_uid, idx)) {
        hmap_del(&t->by_sched, sc->merchant_uid);
        return false;
    }
    sc->seq = ++s->sched_seq;
    t->scheds[idx].sc = sc;
    t->scheds[idx].prev = prev_idx;
    t->n_scheds++;
    *ret_idx = idx;
    return true;
}

/* Takes back t's newest n items (out of memory midway through an add):
 * their due entries point past n_scheds or at another gen, so they go stale. */
static void store__sched_drop_newest(struct store *s, struct tenant *t, size_t n)
{
    store__assert_locked(s);
    while (n > 0) {
        n--;
        struct sched_entry *e = &t->scheds[t->n_scheds - 1];
        hmap_del(&t->by_sched, e->sc->merchant_uid);
        if (e->prev >= 0) /* the key exists: replacing it allocates nothing */
            hmap_put(&t->by_sched_cust, t->scheds[e->prev].sc->customer_uid, (uint32_t)e->prev);
        else
            hmap_del(&t->by_sched_cust, e->sc->customer_uid);
        schedule_fini(e->sc);
        free(e->sc);
        t->n_scheds--;
        t->n_sched_waiting--;
    }
}

void store__schedules_clear(struct store *s, struct tenant *t)
{
    store__assert_locked(s);
    for (size_t i = 0; i < t->n_scheds; i++) {
        schedule_fini(t->scheds[i].sc);
        free(t->scheds[i].sc);
    }
    free(t->scheds);
    t->scheds = NULL;
    t->n_scheds = t->cap_scheds = 0;
    t->n_sched_waiting = 0;
    hmap_fini(&t->by_sched);
    hmap_fini(&t->by_sched_cust);
}

/* ---- adding ---- */

/* MOCK_SCHEDULE_DUPLICATE (and *ret_bad) when an item's merchant_uid is
 * scheduled already, is paid, or comes twice in items. */
static enum mock_err store__sched_check_new(struct store *s, struct tenant *t,
                                            const struct schedule *items, size_t n, size_t *ret_bad)
{
    store__assert_locked(s);
    uint32_t found;
    for (size_t i = 0; i < n; i++) {
        const char *mid = items[i].merchant_uid;
        bool dup = hmap_get(&t->by_sched, mid, &found) || store__order_paid(s, t, mid);
        for (size_t j = 0; !dup && j < i; j++)
            dup = strcmp(items[j].merchant_uid, mid) == 0;
        if (dup) {
            if (ret_bad)
                *ret_bad = i;
            return MOCK_SCHEDULE_DUPLICATE;
        }
    }
    return MOCK_OK;
}

/* Stores a copy of item as waiting to run; room in t->scheds and the due
 * index must have been reserved. false when out of memory. */
static bool store__sched_add_one(struct store *s, int tid, struct tenant *t,
                                 const struct schedule *item)
{
    store__assert_locked(s);
    struct schedule *sc = malloc(sizeof *sc);
    if (!sc)
        return false;
    if (!schedule_copy(sc, item)) {
        free(sc);
        return false;
    }
    free(sc->fail_reason);
    sc->fail_reason = NULL;
    sc->imp_uid[0] = '\0';
    sc->executed_at = sc->revoked_at = 0;
    sc->status = SCHED_SCHEDULED;
    sc->payment_status = -1;
    sc->running = false;
    uint32_t idx;
    if (!store__sched_append(s, t, sc, &idx)) {
        schedule_fini(sc);
        free(sc);
        return false;
    }
    sc->gen = ++s->sched_gen;
    t->n_sched_waiting++;
    store__due_push(s, tid, idx, sc);
    return true;
}

enum mock_err store_schedule_add(struct store *s, int tid, const struct schedule *items, size_t n,
                                 struct schedule *ret_items, size_t *ret_bad)
{
    enum mock_err err = MOCK_INTERNAL;
    size_t done = 0;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    err = store__sched_check_new(s, t, items, n, ret_bad);
    if (err != MOCK_OK)
        goto out;
    err = MOCK_INTERNAL;
    store__due_compact(s);
    if (!grow_array((void **)&t->scheds, &t->cap_scheds, t->n_scheds + n, sizeof *t->scheds) ||
        !store__due_reserve(s, n))
        goto out;
    while (done < n && store__sched_add_one(s, tid, t, &items[done]))
        done++;
    if (done < n) {
        store__sched_drop_newest(s, t, done); /* all or none */
        goto out;
    }
    err = MOCK_OK;
    struct sched_entry *added = &t->scheds[t->n_scheds - n];
    for (size_t i = 0; i < n; i++)
        store__emit(s, STORE_EV_SCHEDULE, tid, added[i].sc);
    for (size_t i = 0; ret_items && i < n; i++) {
        if (!store__sched_copy(s, t, added[i].sc, &ret_items[i])) {
            while (i > 0)
                schedule_fini(&ret_items[--i]);
            err = MOCK_INTERNAL; /* stored, but no answer can be rendered */
            break;
        }
    }
out:
    if (!store__unlock_publish(s) && err == MOCK_OK) {
        for (size_t i = 0; ret_items && i < n; i++)
            schedule_fini(&ret_items[i]);
        err = MOCK_INTERNAL;
    }
    return err;
}

bool store__schedule_restore(struct store *s, int tid, struct schedule *sc)
{
    store__assert_writing(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t || !store__due_reserve(s, 1))
        return false;
    sc->running = false;
    uint32_t idx;
    struct schedule *cur = store__sched_find(s, t, sc->merchant_uid, &idx);
    if (cur) {
        sc->seq = cur->seq;
        if (cur->status == SCHED_SCHEDULED && !cur->running)
            t->n_sched_waiting--;
        /* the indexes borrow their keys from the item: point them at the new
         * one while the old is still alive (replacing a key allocates nothing) */
        uint32_t head;
        hmap_put(&t->by_sched, sc->merchant_uid, idx);
        if (hmap_get(&t->by_sched_cust, sc->customer_uid, &head) && head == idx)
            hmap_put(&t->by_sched_cust, sc->customer_uid, idx);
        schedule_fini(cur);
        free(cur);
        t->scheds[idx].sc = sc;
    } else if (!store__sched_append(s, t, sc, &idx)) {
        return false;
    }
    sc->gen = ++s->sched_gen;
    if (sc->status == SCHED_SCHEDULED) {
        t->n_sched_waiting++;
        store__due_push(s, tid, idx, sc);
    }
    return true;
}

/* ---- reading ---- */

enum mock_err store_schedule_get(struct store *s, int tid, const char *merchant_uid,
                                 struct schedule *ret_schedule)
{
    enum mock_err err = MOCK_SCHEDULE_NOT_FOUND;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    const struct schedule *sc = t ? store__sched_find(s, t, merchant_uid, NULL) : NULL;
    if (sc)
        err = store__sched_copy(s, t, sc, ret_schedule) ? MOCK_OK : MOCK_INTERNAL;
    store__unlock(s);
    return err;
}

struct sched_sort {
    int64_t at;
    uint64_t seq;
    uint32_t idx;
};

static int sched_cmp_asc(const void *a, const void *b)
{
    const struct sched_sort *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static int sched_cmp_desc(const void *a, const void *b)
{
    return sched_cmp_asc(b, a);
}

static bool sched_matches(const struct schedule *sc, const struct sched_query *q)
{
    if (q->status >= 0 && (int)sc->status != q->status)
        return false;
    if (q->time_filter && (sc->schedule_at < q->from || sc->schedule_at >= q->to))
        return false;
    return true;
}

enum mock_err store_schedule_query(struct store *s, int tid, const struct sched_query *q,
                                   struct sched_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    struct sched_sort *items = NULL;
    size_t n = 0;
    memset(ret_page, 0, sizeof *ret_page);
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    items = malloc((t->n_scheds ? t->n_scheds : 1) * sizeof *items);
    if (!items)
        goto out;
    uint32_t head;
    if (q->customer_uid) {
        /* the customer's chain: indexes only go down, so it ends */
        if (hmap_get(&t->by_sched_cust, q->customer_uid, &head))
            for (int32_t i = (int32_t)head; i >= 0; i = t->scheds[i].prev)
                if (sched_matches(t->scheds[i].sc, q))
                    items[n++].idx = (uint32_t)i;
    } else {
        for (size_t i = 0; i < t->n_scheds; i++)
            if (sched_matches(t->scheds[i].sc, q))
                items[n++].idx = (uint32_t)i;
    }
    for (size_t i = 0; i < n; i++) {
        items[i].at = t->scheds[items[i].idx].sc->schedule_at;
        items[i].seq = t->scheds[items[i].idx].sc->seq;
    }
    qsort(items, n, sizeof *items, q->ascending ? sched_cmp_asc : sched_cmp_desc);
    ret_page->total = n;
    size_t first = 0, count = page_slice(n, q->page, q->limit, &first);
    if (count) {
        ret_page->items = calloc(count, sizeof *ret_page->items);
        if (!ret_page->items)
            goto out;
        for (size_t i = 0; i < count; i++) {
            if (!store__sched_copy(s, t, t->scheds[items[first + i].idx].sc, &ret_page->items[i]))
                goto out;
            ret_page->n = i + 1;
        }
    }
    err = MOCK_OK;
out:
    store__unlock(s);
    free(items);
    if (err != MOCK_OK)
        store_sched_page_free(ret_page);
    return err;
}

void store_sched_page_free(struct sched_page *page)
{
    for (size_t i = 0; i < page->n; i++)
        schedule_fini(&page->items[i]);
    free(page->items);
    memset(page, 0, sizeof *page);
}

size_t store_schedule_pending(struct store *s)
{
    store__lock_read(s);
    size_t n = store__sched_waiting(s);
    store__unlock(s);
    return n;
}

enum mock_err store_schedule_all(struct store *s, int tid, struct sched_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    memset(ret_page, 0, sizeof *ret_page);
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (t) {
        ret_page->items = t->n_scheds ? calloc(t->n_scheds, sizeof *ret_page->items) : NULL;
        if (!t->n_scheds || ret_page->items) {
            err = MOCK_OK;
            for (size_t i = 0; i < t->n_scheds; i++) {
                if (!schedule_copy(&ret_page->items[i], t->scheds[i].sc)) {
                    err = MOCK_INTERNAL;
                    break;
                }
                ret_page->items[i].running = false;
                ret_page->n = i + 1;
            }
            ret_page->total = ret_page->n;
        }
    }
    store__unlock(s);
    if (err != MOCK_OK)
        store_sched_page_free(ret_page);
    return err;
}

/* ---- revoking and moving ---- */

/* Picks the items of t still waiting that belong to customer_uid (NULL: any)
 * and, when n > 0, are named in merchant_uids (in that order, each once);
 * with n == 0 the customer's items in schedule_at order. picked has room for
 * every item of t; returns how many were picked. */
static size_t store__sched_pick_waiting(struct store *s, struct tenant *t, const char *customer_uid,
                                        const char *const *merchant_uids, size_t n,
                                        struct sched_sort *picked)
{
    store__assert_locked(s);
    size_t k = 0;
    uint32_t idx;
    if (n > 0) {
        for (size_t i = 0; i < n; i++) {
            struct schedule *sc = store__sched_find(s, t, merchant_uids[i], &idx);
            bool named_twice = false;
            for (size_t j = 0; sc && j < k; j++)
                named_twice = named_twice || picked[j].idx == idx;
            if (!sc || named_twice || sc->status != SCHED_SCHEDULED || sc->running ||
                (customer_uid && strcmp(sc->customer_uid, customer_uid) != 0))
                continue;
            picked[k++] = (struct sched_sort){sc->schedule_at, sc->seq, idx};
        }
    } else if (customer_uid && hmap_get(&t->by_sched_cust, customer_uid, &idx)) {
        for (int32_t i = (int32_t)idx; i >= 0; i = t->scheds[i].prev) {
            const struct schedule *sc = t->scheds[i].sc;
            if (sc->status != SCHED_SCHEDULED || sc->running)
                continue;
            picked[k++] = (struct sched_sort){sc->schedule_at, sc->seq, (uint32_t)i};
        }
        qsort(picked, k, sizeof *picked, sched_cmp_asc);
    }
    return k;
}

enum mock_err store_schedule_revoke(struct store *s, int tid, const char *customer_uid,
                                    const char *const *merchant_uids, size_t n, int64_t now,
                                    struct sched_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    struct sched_sort *picked = NULL;
    memset(ret_page, 0, sizeof *ret_page);
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    picked = malloc((t->n_scheds ? t->n_scheds : 1) * sizeof *picked);
    if (!picked)
        goto out;
    size_t k = store__sched_pick_waiting(s, t, customer_uid, merchant_uids, n, picked);
    if (k == 0) {
        err = MOCK_SCHEDULE_NOTHING;
        goto out;
    }
    ret_page->items = calloc(k, sizeof *ret_page->items);
    if (!ret_page->items)
        goto out;
    for (size_t i = 0; i < k; i++) {
        struct schedule *sc = t->scheds[picked[i].idx].sc;
        sc->status = SCHED_REVOKED;
        sc->revoked_at = now;
        t->n_sched_waiting--;
        store__emit(s, STORE_EV_SCHEDULE, tid, sc);
        if (store__sched_copy(s, t, sc, &ret_page->items[ret_page->n]))
            ret_page->n++;
    }
    ret_page->total = ret_page->n;
    err = ret_page->n == k ? MOCK_OK : MOCK_INTERNAL; /* revoked either way */
out:
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    free(picked);
    if (err != MOCK_OK)
        store_sched_page_free(ret_page);
    return err;
}

enum mock_err store_schedule_move(struct store *s, int tid, const char *merchant_uid, int64_t at,
                                  bool reschedule, struct schedule *ret_schedule)
{
    enum mock_err err = MOCK_SCHEDULE_NOT_FOUND;
    uint32_t idx;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    struct schedule *sc = t ? store__sched_find(s, t, merchant_uid, &idx) : NULL;
    if (!sc)
        goto out;
    if (!reschedule && (sc->status != SCHED_SCHEDULED || sc->running)) {
        err = MOCK_SCHEDULE_NOT_PENDING;
        goto out;
    }
    if (reschedule && !store__sched_failed_or_revoked(s, t, sc)) {
        err = MOCK_SCHEDULE_NOT_FAILED;
        goto out;
    }
    store__due_compact(s);
    err = MOCK_INTERNAL;
    if (!store__due_reserve(s, 1))
        goto out;
    if (reschedule) {
        /* waits again from scratch: the failed run or the revocation is forgotten */
        sc->status = SCHED_SCHEDULED;
        sc->executed_at = sc->revoked_at = 0;
        sc->imp_uid[0] = '\0';
        sc->payment_status = -1;
        free(sc->fail_reason);
        sc->fail_reason = NULL;
        t->n_sched_waiting++;
    }
    sc->schedule_at = at;
    sc->gen = ++s->sched_gen; /* the old due entry goes stale */
    store__due_push(s, tid, idx, sc);
    store__emit(s, STORE_EV_SCHEDULE, tid, sc);
    err = store__sched_copy(s, t, sc, ret_schedule) ? MOCK_OK : MOCK_INTERNAL;
out:
    if (!store__unlock_publish(s) && err == MOCK_OK) {
        schedule_fini(ret_schedule);
        err = MOCK_INTERNAL;
    }
    return err;
}

/* ---- running ---- */

size_t store_schedule_claim_due(struct store *s, int64_t until, size_t max, struct sched_claim *ret)
{
    size_t k = 0;
    store__lock(s);
    /* each round pops one entry, so the loop ends with the index */
    while (k < max && s->n_due > 0 && s->due[0].at <= until) {
        struct sched_due top = s->due[0];
        s->due[0] = s->due[--s->n_due];
        due_sift_down(s->due, s->n_due, 0);
        struct schedule *sc = store__due_item(s, &top);
        if (!sc)
            continue;
        if (!schedule_copy(&ret[k].item, sc)) {
            s->due[s->n_due] = top; /* the slot just freed: no allocation */
            due_sift_up(s->due, s->n_due);
            s->n_due++;
            break; /* out of memory: try again next time */
        }
        sc->running = true;
        store__tenant(s, (int)top.tid)->n_sched_waiting--;
        ret[k].tid = (int)top.tid;
        ret[k].idx = top.idx;
        k++;
    }
    store__unlock(s);
    return k;
}

enum mock_err store_schedule_claim(struct store *s, int tid, const char *merchant_uid,
                                   struct sched_claim *ret)
{
    enum mock_err err = MOCK_SCHEDULE_NOT_FOUND;
    uint32_t idx;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    struct schedule *sc = t ? store__sched_find(s, t, merchant_uid, &idx) : NULL;
    if (sc && !store__sched_failed_or_revoked(s, t, sc)) {
        err = MOCK_SCHEDULE_NOT_FAILED;
    } else if (sc) {
        err = MOCK_INTERNAL;
        if (schedule_copy(&ret->item, sc)) {
            sc->running = true;
            ret->tid = tid;
            ret->idx = idx;
            err = MOCK_OK;
        }
    }
    store__unlock(s);
    return err;
}

void store_schedule_finish(struct store *s, const struct sched_claim *c,
                           const struct sched_result *res)
{
    store__lock(s);
    struct tenant *t = store__tenant(s, c->tid);
    struct schedule *sc = t && c->idx < t->n_scheds ? t->scheds[c->idx].sc : NULL;
    if (sc && sc->gen == c->item.gen && sc->running) {
        sc->running = false;
        sc->status = SCHED_EXECUTED;
        sc->executed_at = res->executed_at;
        sc->revoked_at = 0;
        snprintf(sc->imp_uid, sizeof sc->imp_uid, "%s", res->imp_uid ? res->imp_uid : "");
        sc->payment_status = res->payment_status;
        if (res->pg_provider)
            snprintf(sc->pg_provider, sizeof sc->pg_provider, "%s", res->pg_provider);
        if (res->pg_id)
            snprintf(sc->pg_id, sizeof sc->pg_id, "%s", res->pg_id);
        if (!str_set(&sc->fail_reason, res->fail_reason)) {
            free(sc->fail_reason); /* out of memory: no reason rather than a stale one */
            sc->fail_reason = NULL;
        }
        store__emit(s, STORE_EV_SCHEDULE, c->tid, sc);
    }
    store__unlock_publish(s);
}

void sched_claim_fini(struct sched_claim *c)
{
    schedule_fini(&c->item);
}
