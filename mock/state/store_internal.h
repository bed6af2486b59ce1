/*
 * store_internal.h - the store's insides, shared by its files. Private: only
 * state/store*.c include it; everyone else uses store.h.
 *
 *   store.c            life cycle, the lock, change events and the sink,
 *                      tenant clear/remove, replay (store_apply)
 *   store_tenants.c    tenants and access tokens
 *   store_payments.c   payments, orders (merchant_uid claims), pre-registrations
 *   store_customers.c  billing keys
 *   store_schedules.c  schedule items and their due min-heap
 *   store_vbanks.c     the index of scripted virtual-account deposits
 *   store_documents.c  cash receipts, certifications, escrow shipping records
 *
 * Locking: one readers-writer lock, store.lock, guards everything below
 * unless a field says otherwise. Calls that only read take it shared
 * (store__lock_read), so a lookup never waits for another lookup, nor for
 * a reader preempted while holding it; calls that change anything take it
 * alone (store__lock). It is taken and released only through these wrappers
 * and store__unlock, which also mark the calling thread as its holder. A
 * function named store__x (other than the lock wrappers) assumes the lock is
 * held and asserts it first thing (store__assert_writing when it changes
 * anything), so a missing lock fails loudly in every test run. Public
 * functions (store_x) take the lock themselves; never call one while
 * holding it (the lock is not recursive).
 */
#ifndef IMPMOCK_STORE_INTERNAL_H
#define IMPMOCK_STORE_INTERNAL_H

#include "state/store.h"

#include "infra/hmap.h"
#include "state/ids.h"
#include "state/paypack.h"

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* ---- types ---- */

/* A stored payment. Guarded by store.lock. */
struct pay_entry {
    uint8_t *rec; /* owned: the payment packed (paypack.h), ~70 bytes instead of ~600 */
    int32_t prev; /* index of the previous payment with the same merchant_uid, -1 */
};

/* A stored schedule item. Guarded by store.lock. */
struct sched_entry {
    struct schedule *sc; /* owned */
    int32_t prev;        /* previous item of the same customer_uid, -1 */
};

/* One entry of the due index (store.due). Entries are dropped only from the
 * top: an item revoked, moved or run no longer matches its entry (gen,
 * status), and the entry is discarded when it surfaces (or by compaction).
 * Guarded by store.lock. */
struct sched_due {
    int64_t at;   /* the item's schedule_at when pushed, unix seconds */
    uint64_t seq; /* the item's insertion order: ties of `at` run in it */
    uint64_t gen; /* the item's gen when pushed */
    uint32_t tid;
    uint32_t idx; /* position in the tenant's scheds */
};

/* A scripted deposit waiting for the clock (store_vbanks.c). Guarded by
 * store.lock. */
struct vbank_pending {
    struct vbank_due due;
    uint64_t seq; /* scripting order: ties of `at` are made in it */
};

/* Fixed-size records of one kind (struct receipt, certification,
 * escrow_logis), each malloc'd, keyed by a string inside the record.
 * Guarded by store.lock. */
struct doc_table {
    void **items; /* owned, insertion order; NULL where one was deleted */
    size_t n, cap;
    struct hmap index; /* key (borrowed from the record) -> position */
};

/* One merchant key pair and everything stored for it. Every field is guarded
 * by store.lock. A removed tenant is freed and its slot (its tenant id) is
 * free for the next tenant: whoever keeps a tenant id past a reset or an
 * eviction (journal, webhooks, payment windows) forgets it then (sandbox.c,
 * auth.c). */
struct tenant {
    struct merchant m;
    char token[IDS_TOKEN_LEN + 1]; /* the access token, "" = none */
    int64_t token_expires_at;      /* unix seconds */

    /* payments (store_payments.c) */
    struct pay_entry *pays; /* insertion order */
    size_t n_pays, cap_pays;
    struct hidx by_imp_uid; /* imp_uid -> index (keys read from the records) */
    struct hidx by_order;   /* merchant_uid -> index of the newest payment */
    char **inflight;        /* merchant_uids claimed by charges under way (owned) */
    size_t n_inflight, cap_inflight;
    struct prepare **preps; /* pre-registrations, insertion order (owned) */
    size_t n_preps, cap_preps;
    struct hmap by_prep; /* merchant_uid -> index */

    /* billing keys (store_customers.c) */
    struct customer **custs; /* insertion order (owned), NULL slots after delete */
    size_t n_custs, cap_custs;
    struct hmap by_cust; /* customer_uid -> index */

    /* schedule items (store_schedules.c) */
    struct sched_entry *scheds; /* insertion order */
    size_t n_scheds, cap_scheds;
    struct hmap by_sched;      /* merchant_uid -> index */
    struct hmap by_sched_cust; /* customer_uid -> index of its newest item */
    size_t n_sched_waiting;    /* items scheduled and not taken by the executor */

    /* receipts, certifications, shipping records (store_documents.c) */
    struct doc_table receipts;     /* cash receipts of payments, by imp_uid */
    struct doc_table ext_receipts; /* cash receipts of outside sales, by merchant_uid */
    struct doc_table certs;        /* identity verifications, by imp_uid */
    struct doc_table logis;        /* escrow shipping records, by imp_uid */
};

/* A change waiting to be handed to the sink. Guarded by store.lock. */
struct pending {
    struct store_event ev; /* owns its parts */
    struct pending *next;
};

struct store {
    pthread_rwlock_t lock;   /* guards every field below not marked otherwise */
    int lock_spins;          /* tries before sleeping on it (store__lock); set once */
    struct tenant **tenants; /* by tenant id; NULL: a free slot */
    size_t n_tenants, cap_tenants;
    uint32_t *free_tids; /* free slots, the last freed on top */
    size_t n_free, cap_free;
    size_t n_on_the_fly;  /* live tenants with m.on_the_fly (--max-tenants counts them) */
    int64_t evict_after;  /* no tenant made on the fly can be evicted before this unix time */
    struct hmap by_key;   /* imp_key -> tid */
    struct hmap by_code;  /* merchant_code -> tid */
    struct hmap by_token; /* access token -> tid */
    struct paypack pack;  /* the strings the payment records share */

    struct sched_due *due; /* min-heap of schedule items by (schedule_at, seq) */
    size_t n_due, cap_due;
    uint64_t sched_seq; /* last insertion number given to a schedule item */
    uint64_t sched_gen; /* last gen stamp given to a schedule item */

    struct vbank_pending *vbank_due; /* scripted deposits waiting, unordered */
    size_t n_vbank_due, cap_vbank_due;
    uint64_t vbank_seq; /* last scripting number given */

    /* change events for the durable log, in mutation order */
    store_sink_fn sink; /* set before threads start, then read-only; NULL = no log */
    void *sink_ud;      /* likewise */
    struct pending *pending_head, *pending_tail;
    bool sink_failed;           /* a change could not be queued since the last publish */
    pthread_mutex_t flush_lock; /* orders sink calls; taken before lock, never while holding it */
};

/* ---- the lock ---- */

/* The store whose lock this thread holds, or NULL, and whether it holds it
 * alone. Thread-local, so reading them races with nobody; they cost one
 * write per lock and unlock. */
extern _Thread_local const struct store *store__holder;
extern _Thread_local bool store__holder_writes;

/* Lets a sibling hyperthread run while spinning. */
static inline void store__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Tries the lock with try_lock up to s->lock_spins times; true once held.
 * A holder running on another core lets go within a few microseconds, so a
 * few tries first spare most waiters the sleep and the wake-up (two futex
 * calls and a context switch). With one core the holder cannot be running:
 * no tries. */
static inline bool store__spin(struct store *s, int (*try_lock)(pthread_rwlock_t *))
{
    for (int i = 0; i < s->lock_spins; i++) {
        if (try_lock(&s->lock) == 0)
            return true;
        store__cpu_relax();
    }
    return false;
}

/* Takes the lock alone: for calls that change the store. */
static inline void store__lock(struct store *s)
{
    if (!store__spin(s, pthread_rwlock_trywrlock))
        pthread_rwlock_wrlock(&s->lock);
    store__holder = s;
    store__holder_writes = true;
}

/* Takes the lock shared: for calls that only read. */
static inline void store__lock_read(struct store *s)
{
    if (!store__spin(s, pthread_rwlock_tryrdlock))
        pthread_rwlock_rdlock(&s->lock);
    store__holder = s;
    store__holder_writes = false;
}

static inline void store__unlock(struct store *s)
{
    store__holder = NULL;
    pthread_rwlock_unlock(&s->lock);
}

static inline void store__assert_locked(const struct store *s)
{
    assert(store__holder == s && "the store lock must be held");
    (void)s; /* only assert reads it, and NDEBUG drops assert */
}

static inline void store__assert_writing(const struct store *s)
{
    assert(store__holder == s && store__holder_writes && "the store lock must be held alone");
    (void)s;
}

/* Ends a mutating call: releases the lock, then hands the changes it queued
 * to the sink, outside the lock, so a change is in the log before the caller
 * can answer its client. false when a change could not be logged. */
bool store__unlock_publish(struct store *s);

/* ---- shared helpers (lock held) ---- */

/* Tenant tid, or NULL when there is none or it was removed. */
static inline struct tenant *store__tenant(struct store *s, int tid)
{
    store__assert_locked(s);
    if (tid < 0 || (size_t)tid >= s->n_tenants)
        return NULL;
    return s->tenants[tid];
}

/* Queues a change for the sink; nothing without one. value is borrowed
 * (the queue keeps a copy) and points at, by kind:
 *   TENANT_ADD                   struct merchant
 *   TOKEN                        struct tenant (its token and expiry)
 *   PAYMENT                      struct payment
 *   CUSTOMER                     struct customer
 *   CUSTOMER_DEL                 the customer_uid (a string)
 *   PREPARE                      struct prepare
 *   SCHEDULE                     struct schedule
 *   RECEIPT, CERT, LOGIS         struct receipt, certification, escrow_logis
 *   CERT_DEL                     the imp_uid (a string)
 *   TENANT_CLEAR, TENANT_REMOVE  nothing (NULL)
 * (CLOCK is store_note_clock's own.) Out of memory the change is lost, and
 * the publish that follows answers false. */
void store__emit(struct store *s, enum store_event_kind kind, int tid, const void *value);

/* Gives tenant tid the access token `token` ("" = none) until expires_at,
 * keeping by_token in step; false when out of memory (then it has none). */
bool store__token_set(struct store *s, int tid, const char *token, int64_t expires_at);

/* Index of payment imp_uid in t->pays, or -1. */
long store__payment_index(struct store *s, struct tenant *t, const char *imp_uid);
/* Status of payment imp_uid of t, or -1 when there is none. */
int store__payment_status(struct store *s, struct tenant *t, const char *imp_uid);
/* Whether a payment of merchant_uid is paid, or was paid and then cancelled. */
bool store__order_paid(struct store *s, struct tenant *t, const char *merchant_uid);
/* Claims merchant_uid of t for one charge: MOCK_ALREADY_PAID, MOCK_IN_PROGRESS
 * (another charge holds it), MOCK_INTERNAL (out of memory) or MOCK_OK. */
enum mock_err store__order_claim(struct store *s, struct tenant *t, const char *merchant_uid);
/* Drops the claim on merchant_uid of t, if any. */
void store__order_unclaim(struct store *s, struct tenant *t, const char *merchant_uid);

/* Moves *c (its strings included) into t's billing keys, replacing the key
 * of the same customer_uid as is: NULL when out of memory (*c untouched),
 * else the stored key (*c emptied). */
struct customer *store__customer_store(struct store *s, struct tenant *t, struct customer *c);

/* Puts a logged schedule item back (replay): takes *sc (malloc'd, owned)
 * in place of t's item of the same merchant_uid, or adds it, and queues it
 * when it waits to run. false when out of memory (*sc stays the caller's). */
bool store__schedule_restore(struct store *s, int tid, struct schedule *sc);

/* Makes room for one more scripted deposit, so that store__vbank_track
 * cannot fail after a payment is stored; false when out of memory. */
bool store__vbank_reserve(struct store *s);
/* Brings the scripted-deposit index in step with payment p of tenant tid as
 * just stored: in it while p is a ready "vbank" payment with a
 * vbank_deposit_at, out of it otherwise. Call store__vbank_reserve first. */
void store__vbank_track(struct store *s, int tid, const struct payment *p);
/* Drops the scripted deposits of tenant t (emptied or removed). */
void store__vbanks_clear(struct store *s, const struct tenant *t);
/* Frees tenant tid (its records, token and key entries) and frees its slot;
 * nothing when there is none. Queues no change: the caller does. */
void store__tenant_free(struct store *s, int tid);
/* Puts slot tid on the free list (the next tenant added takes it); false
 * when out of memory (the slot then stays free and unused). */
bool store__free_push(struct store *s, uint32_t tid);
/* Makes slots 0 .. n-1 exist, the new ones free; false when out of memory. */
bool store__slots_extend(struct store *s, size_t n);
/* Puts tenant t (owned) in slot tid, which is free or past the end (slots
 * skipped on the way are free); false when out of memory. */
bool store__tenant_place(struct store *s, int tid, struct tenant *t);
/* Replay: adds merchant m in slot tid unless a tenant is there already
 * (the log repeats what a snapshot holds); queues the change. */
enum mock_err store__tenant_restore(struct store *s, const struct merchant *m, int tid);

/* Frees every record of t (what store_tenant_clear drops), one file each. */
void store__payments_clear(struct store *s, struct tenant *t);
void store__customers_clear(struct store *s, struct tenant *t);
void store__schedules_clear(struct store *s, struct tenant *t);
void store__documents_clear(struct store *s, struct tenant *t);

/* ---- plain helpers (no lock involved) ---- */

/* Makes room for `need` elements of size elem in *arr (doubling); false on OOM. */
static inline bool grow_array(void **arr, size_t *cap, size_t need, size_t elem)
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

/* How many of n sorted items page `page` of `limit` shows, from *ret_first
 * (page and limit 0 mean 1 and 20); 0 past the end. */
static inline size_t page_slice(size_t n, size_t page, size_t limit, size_t *ret_first)
{
    if (!limit)
        limit = 20;
    if (!page)
        page = 1;
    if (page > SIZE_MAX / limit || (page - 1) * limit >= n)
        return 0;
    *ret_first = (page - 1) * limit;
    return n - *ret_first < limit ? n - *ret_first : limit;
}

#endif
