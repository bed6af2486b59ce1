/* store.c - see store.h; the insides are in store_internal.h. Here: the
 * store's life cycle, the change events and their sink, emptying and
 * removing a tenant, and replaying a logged change. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "state/store_internal.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tries at the lock before sleeping on it, when the process may run on
 * more than one core (store__lock). */
#define STORE_LOCK_SPINS 100

_Thread_local const struct store *store__holder;
_Thread_local bool store__holder_writes;

struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_rwlock_init(&s->lock, NULL);
    cpu_set_t cpus;
    bool several = sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) > 1;
    s->lock_spins = several ? STORE_LOCK_SPINS : 0;
    pthread_mutex_init(&s->flush_lock, NULL);
    paypack_init(&s->pack);
    return s;
}

/* Frees every record of tenant t; its merchant and token stay. */
static void store__tenant_records_clear(struct store *s, struct tenant *t)
{
    store__assert_locked(s);
    store__payments_clear(s, t);
    store__vbanks_clear(s, t);
    store__customers_clear(s, t);
    store__schedules_clear(s, t);
    store__documents_clear(s, t);
}

void store_free(struct store *s)
{
    if (!s)
        return;
    store__lock(s); /* nobody else uses it by now: taken for the helpers' sake */
    for (size_t i = 0; i < s->n_tenants; i++) {
        if (!s->tenants[i])
            continue;
        store__tenant_records_clear(s, s->tenants[i]);
        free(s->tenants[i]);
    }
    free(s->tenants);
    free(s->free_tids);
    paypack_fini(&s->pack);
    hmap_fini(&s->by_key);
    hmap_fini(&s->by_code);
    hmap_fini(&s->by_token);
    free(s->due);
    free(s->vbank_due);
    for (struct pending *n = s->pending_head, *next; n; n = next) {
        next = n->next;
        store_event_fini(&n->ev);
        free(n);
    }
    store__unlock(s);
    pthread_mutex_destroy(&s->flush_lock);
    pthread_rwlock_destroy(&s->lock);
    free(s);
}

/* ---- change events ---- */

void store_event_fini(struct store_event *ev)
{
    payment_fini(&ev->payment);
    customer_fini(&ev->customer);
    schedule_fini(&ev->schedule);
}

void store_set_sink(struct store *s, store_sink_fn fn, void *ud)
{
    s->sink = fn;
    s->sink_ud = ud;
}

/* Fills ev, zeroed but for kind and tid, with a copy of value (see store__emit);
 * false when out of memory. */
static bool event_fill(struct store_event *ev, const void *value)
{
    const struct tenant *t;
    switch (ev->kind) {
    case STORE_EV_TENANT_ADD:
        ev->merchant = *(const struct merchant *)value;
        return true;
    case STORE_EV_TOKEN:
        t = value;
        memcpy(ev->token, t->token, sizeof ev->token);
        ev->token_expires_at = t->token_expires_at;
        return true;
    case STORE_EV_PAYMENT:
        return payment_copy(&ev->payment, value);
    case STORE_EV_CUSTOMER:
        return customer_copy(&ev->customer, value);
    case STORE_EV_CUSTOMER_DEL:
        snprintf(ev->key, sizeof ev->key, "%s", (const char *)value);
        return true;
    case STORE_EV_PREPARE:
        ev->prepare = *(const struct prepare *)value;
        return true;
    case STORE_EV_SCHEDULE:
        if (!schedule_copy(&ev->schedule, value))
            return false;
        ev->schedule.running = false; /* a run cut short by a restart waits again */
        return true;
    case STORE_EV_RECEIPT:
        ev->receipt = *(const struct receipt *)value;
        return true;
    case STORE_EV_CERT:
        ev->cert = *(const struct certification *)value;
        return true;
    case STORE_EV_CERT_DEL:
        snprintf(ev->key, sizeof ev->key, "%s", (const char *)value);
        return true;
    case STORE_EV_LOGIS:
        ev->logis = *(const struct escrow_logis *)value;
        return true;
    case STORE_EV_TENANT_CLEAR:
    case STORE_EV_TENANT_REMOVE:
    case STORE_EV_CLOCK:
        return true;
    }
    return false;
}

/* A change of kind for tenant tid, zeroed, to fill in before it is appended;
 * NULL when out of memory (the next publish then answers false). */
static struct pending *store__pending_new(struct store *s, enum store_event_kind kind, int tid)
{
    store__assert_locked(s);
    struct pending *n = calloc(1, sizeof *n);
    if (!n) {
        s->sink_failed = true;
        return NULL;
    }
    n->ev.kind = kind;
    n->ev.tid = tid;
    return n;
}

static void store__pending_append(struct store *s, struct pending *n)
{
    store__assert_locked(s);
    if (s->pending_tail)
        s->pending_tail->next = n;
    else
        s->pending_head = n;
    s->pending_tail = n;
}

void store__emit(struct store *s, enum store_event_kind kind, int tid, const void *value)
{
    store__assert_writing(s);
    if (!s->sink)
        return;
    struct pending *n = store__pending_new(s, kind, tid);
    if (!n)
        return;
    if (!event_fill(&n->ev, value)) {
        store_event_fini(&n->ev);
        free(n);
        s->sink_failed = true;
        return;
    }
    store__pending_append(s, n);
}

/* Hands queued changes to the sink, in order, outside the store lock. */
static bool publish(struct store *s)
{
    if (!s->sink)
        return true;
    bool ok = true;
    pthread_mutex_lock(&s->flush_lock);
    store__lock(s);
    struct pending *list = s->pending_head;
    s->pending_head = s->pending_tail = NULL;
    if (s->sink_failed) {
        ok = false;
        s->sink_failed = false;
    }
    store__unlock(s);
    for (struct pending *n = list, *next; n; n = next) {
        next = n->next;
        ok = s->sink(s->sink_ud, &n->ev) && ok;
        store_event_fini(&n->ev);
        free(n);
    }
    pthread_mutex_unlock(&s->flush_lock);
    return ok;
}

bool store__unlock_publish(struct store *s)
{
    store__assert_locked(s);
    store__unlock(s);
    return publish(s);
}

void store_note_clock(struct store *s, bool frozen, int64_t value)
{
    store__lock(s);
    struct pending *n = s->sink ? store__pending_new(s, STORE_EV_CLOCK, -1) : NULL;
    if (n) {
        n->ev.clock_frozen = frozen;
        n->ev.clock_value = value;
        store__pending_append(s, n);
    }
    store__unlock_publish(s);
}

/* ---- emptying and removing a tenant ---- */

void store_tenant_clear(struct store *s, int tid)
{
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (t) {
        store__token_set(s, tid, "", 0);
        store__tenant_records_clear(s, t);
        store__emit(s, STORE_EV_TENANT_CLEAR, tid, NULL);
        s->evict_after = INT64_MIN; /* an empty tenant may be evictable now */
    }
    store__unlock_publish(s);
}

void store__tenant_free(struct store *s, int tid)
{
    store__assert_writing(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        return;
    store__token_set(s, tid, "", 0);
    hmap_del(&s->by_key, t->m.imp_key);
    if (t->m.merchant_code[0])
        hmap_del(&s->by_code, t->m.merchant_code);
    store__tenant_records_clear(s, t);
    s->n_on_the_fly -= t->m.on_the_fly;
    free(t);
    s->tenants[tid] = NULL;
    store__free_push(s, (uint32_t)tid);
}

void store_tenant_remove(struct store *s, int tid)
{
    store__lock(s);
    if (store__tenant(s, tid)) {
        store__tenant_free(s, tid);
        store__emit(s, STORE_EV_TENANT_REMOVE, tid, NULL);
    }
    store__unlock_publish(s);
}

/* ---- replay ---- */

static enum mock_err apply_tenant_add(struct store *s, const struct store_event *ev)
{
    store__lock(s);
    enum mock_err err = store__tenant_restore(s, &ev->merchant, ev->tid);
    store__unlock_publish(s);
    return err;
}

/* A removed tenant; a slot past the end becomes a free one (a snapshot
 * keeps free slots by their number alone). */
static enum mock_err apply_tenant_remove(struct store *s, const struct store_event *ev)
{
    if (ev->tid < 0)
        return MOCK_BAD_PARAM;
    store__lock(s);
    bool ok = store__slots_extend(s, (size_t)ev->tid + 1);
    if (store__tenant(s, ev->tid))
        store__tenant_free(s, ev->tid);
    store__unlock(s);
    return ok ? MOCK_OK : MOCK_INTERNAL;
}

static enum mock_err apply_token(struct store *s, const struct store_event *ev)
{
    enum mock_err err = MOCK_OK;
    store__lock(s);
    if (store__tenant(s, ev->tid) && !store__token_set(s, ev->tid, ev->token, ev->token_expires_at))
        err = MOCK_INTERNAL;
    store__unlock(s);
    return err;
}

static enum mock_err apply_payment(struct store *s, const struct store_event *ev)
{
    struct payment cur;
    enum mock_err err = store_payment_get(s, ev->tid, ev->payment.imp_uid, &cur);
    if (err == MOCK_PAYMENT_NOT_FOUND)
        return store_payment_insert(s, ev->tid, &ev->payment, false, NULL);
    if (err != MOCK_OK)
        return err;
    struct payment p = ev->payment; /* shallow: replace copies it */
    p.version = cur.version;
    payment_fini(&cur);
    return store_payment_replace(s, ev->tid, &p);
}

/* The key exactly as logged, charge count included. */
static enum mock_err apply_customer(struct store *s, const struct store_event *ev)
{
    struct customer copy;
    if (!customer_copy(&copy, &ev->customer))
        return MOCK_INTERNAL;
    store__lock(s);
    struct tenant *t = store__tenant(s, ev->tid);
    bool stored = t && store__customer_store(s, t, &copy);
    store__unlock(s);
    customer_fini(&copy);
    return stored ? MOCK_OK : MOCK_INTERNAL;
}

static enum mock_err apply_customer_delete(struct store *s, const struct store_event *ev)
{
    struct customer gone;
    enum mock_err err = store_customer_delete(s, ev->tid, ev->key, &gone);
    if (err == MOCK_OK)
        customer_fini(&gone);
    return err == MOCK_CUSTOMER_NOT_FOUND ? MOCK_OK : err;
}

static enum mock_err apply_prepare(struct store *s, const struct store_event *ev)
{
    struct prepare cur;
    bool exists = store_prepare_get(s, ev->tid, ev->prepare.merchant_uid, &cur) == MOCK_OK;
    return store_prepare_put(s, ev->tid, &ev->prepare, exists);
}

enum mock_err store_schedule_restore(struct store *s, int tid, const struct schedule *sc)
{
    struct schedule *copy = malloc(sizeof *copy);
    if (!copy)
        return MOCK_INTERNAL;
    if (!schedule_copy(copy, sc)) {
        free(copy);
        return MOCK_INTERNAL;
    }
    store__lock(s);
    bool stored = store__schedule_restore(s, tid, copy);
    if (stored) /* logged like any other change: an import must survive a restart */
        store__emit(s, STORE_EV_SCHEDULE, tid, copy);
    else {
        schedule_fini(copy);
        free(copy);
    }
    bool logged = store__unlock_publish(s);
    return stored && logged ? MOCK_OK : MOCK_INTERNAL;
}

static enum mock_err apply_schedule(struct store *s, const struct store_event *ev)
{
    return store_schedule_restore(s, ev->tid, &ev->schedule);
}

enum mock_err store_apply(struct store *s, const struct store_event *ev)
{
    switch (ev->kind) {
    case STORE_EV_TENANT_ADD:
        return apply_tenant_add(s, ev);
    case STORE_EV_TENANT_CLEAR:
        store_tenant_clear(s, ev->tid);
        return MOCK_OK;
    case STORE_EV_TENANT_REMOVE:
        return apply_tenant_remove(s, ev);
    case STORE_EV_TOKEN:
        return apply_token(s, ev);
    case STORE_EV_PAYMENT:
        return apply_payment(s, ev);
    case STORE_EV_CUSTOMER:
        return apply_customer(s, ev);
    case STORE_EV_CUSTOMER_DEL:
        return apply_customer_delete(s, ev);
    case STORE_EV_PREPARE:
        return apply_prepare(s, ev);
    case STORE_EV_CLOCK:
        return MOCK_OK; /* the clock is not the store's: the log reader sets it */
    case STORE_EV_SCHEDULE:
        return apply_schedule(s, ev);
    case STORE_EV_RECEIPT:
    case STORE_EV_CERT:
    case STORE_EV_CERT_DEL:
    case STORE_EV_LOGIS:
        return store_document_restore(s, ev); /* logged only with a sink: never in replay */
    }
    return MOCK_BAD_PARAM;
}
