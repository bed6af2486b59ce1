/* store.c - see store.h. Everything below runs under store.lock unless a
 * function says otherwise; helpers named t_* assume the lock is held. */
#define _GNU_SOURCE /* PTHREAD_MUTEX_ADAPTIVE_NP */
#include "state/store.h"

#include "infra/hmap.h"
#include "state/ids.h"
#include "state/paypack.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pay_entry {
    uint8_t *rec; /* owned: the payment packed (paypack.h), ~70 bytes instead of ~600 */
    int32_t prev; /* index of the previous payment with the same merchant_uid, -1 */
};

struct tenant {
    struct merchant m;
    char token[IDS_TOKEN_LEN + 1]; /* "" = none */
    int64_t token_expires_at;

    struct pay_entry *pays; /* insertion order */
    size_t n_pays, cap_pays;
    struct hidx by_imp_uid; /* imp_uid -> index (keys read from the records) */
    struct hidx by_order;   /* merchant_uid -> index of the newest payment */

    struct prepare **preps;
    size_t n_preps, cap_preps;
    struct hmap by_prep;

    struct customer **custs; /* NULL slots after delete */
    size_t n_custs, cap_custs;
    struct hmap by_cust;

    bool removed;    /* reset dropped it; the slot stays so other tenant ids keep meaning */
    char **inflight; /* merchant_uids claimed by charges under way */
    size_t n_inflight, cap_inflight;

    struct sched_entry *scheds; /* schedule items, insertion order */
    size_t n_scheds, cap_scheds;
    struct hmap by_sched;      /* merchant_uid -> index */
    struct hmap by_sched_cust; /* customer_uid -> index of its newest item */
    size_t n_sched_waiting;    /* items scheduled and not taken by the executor */
};

struct pending {
    struct store_event ev;
    struct pending *next;
};

struct store {
    pthread_mutex_t lock;
    struct tenant **tenants; /* guarded by lock */
    size_t n_tenants, cap_tenants;
    struct hmap by_key;   /* imp_key -> tenant */
    struct hmap by_code;  /* merchant_code -> tenant */
    struct hmap by_token; /* access token -> tenant */
    struct paypack pack;  /* strings the payment records share; guarded by lock */

    struct sched_due *due; /* min-heap of schedule items by (schedule_at, seq); guarded by lock */
    size_t n_due, cap_due;
    uint64_t sched_seq; /* last insertion number given to a schedule item */
    uint64_t sched_gen; /* last gen stamp given to a schedule item */

    /* change events for the durable log, in mutation order */
    store_sink_fn sink; /* set before threads start; NULL = no log */
    void *sink_ud;
    struct pending *pending_head, *pending_tail; /* guarded by lock */
    bool sink_failed;                            /* guarded by lock */
    pthread_mutex_t flush_lock; /* orders writers; never taken while holding lock */
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

static void t_sched_clear(struct tenant *t);

static void tenant_clear(struct tenant *t)
{
    for (size_t i = 0; i < t->n_pays; i++)
        free(t->pays[i].rec);
    free(t->pays);
    t->pays = NULL;
    t->n_pays = t->cap_pays = 0;
    hidx_fini(&t->by_imp_uid);
    hidx_fini(&t->by_order);
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
    t_sched_clear(t);
}

struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    /* every request takes this lock briefly: spin a little before sleeping,
     * so a holder on the other core is waited for without a futex round trip */
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
#if defined(PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP)
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
    pthread_mutex_init(&s->lock, &ma);
    pthread_mutexattr_destroy(&ma);
    pthread_mutex_init(&s->flush_lock, NULL);
    paypack_init(&s->pack);
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
    paypack_fini(&s->pack);
    hmap_fini(&s->by_key);
    hmap_fini(&s->by_code);
    hmap_fini(&s->by_token);
    free(s->due);
    for (struct pending *n = s->pending_head, *next; n; n = next) {
        next = n->next;
        store_event_fini(&n->ev);
        free(n);
    }
    pthread_mutex_destroy(&s->flush_lock);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static struct tenant *tenant_at(struct store *s, int tid)
{
    if (tid < 0 || (size_t)tid >= s->n_tenants || s->tenants[tid]->removed)
        return NULL;
    return s->tenants[tid];
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

/* Queues a copy of the change (lock held). ev's owned parts move into the queue. */
static void emit(struct store *s, struct store_event *ev)
{
    if (!s->sink) {
        store_event_fini(ev);
        return;
    }
    struct pending *n = malloc(sizeof *n);
    if (!n) {
        s->sink_failed = true;
        store_event_fini(ev);
        return;
    }
    n->ev = *ev;
    n->next = NULL;
    if (s->pending_tail)
        s->pending_tail->next = n;
    else
        s->pending_head = n;
    s->pending_tail = n;
}

static void emit_simple(struct store *s, enum store_event_kind kind, int tid)
{
    struct store_event ev = {.kind = kind, .tid = tid};
    emit(s, &ev);
}

static void emit_payment(struct store *s, int tid, const struct payment *p)
{
    struct store_event ev = {.kind = STORE_EV_PAYMENT, .tid = tid};
    if (!s->sink)
        return;
    if (!payment_copy(&ev.payment, p)) {
        s->sink_failed = true;
        return;
    }
    emit(s, &ev);
}

static void emit_customer(struct store *s, int tid, const struct customer *c)
{
    struct store_event ev = {.kind = STORE_EV_CUSTOMER, .tid = tid};
    if (!s->sink)
        return;
    if (!customer_copy(&ev.customer, c)) {
        s->sink_failed = true;
        return;
    }
    emit(s, &ev);
}

static void emit_prepare(struct store *s, int tid, const struct prepare *p)
{
    struct store_event ev = {.kind = STORE_EV_PREPARE, .tid = tid};
    ev.prepare = *p;
    emit(s, &ev);
}

static void emit_token(struct store *s, int tid, const struct tenant *t)
{
    struct store_event ev = {.kind = STORE_EV_TOKEN, .tid = tid};
    memcpy(ev.token, t->token, sizeof ev.token);
    ev.token_expires_at = t->token_expires_at;
    emit(s, &ev);
}

/* Hands queued changes to the sink, in order, outside the store lock. Called
 * by every mutating function before it returns, so a change is in the log
 * before the caller can answer its client. false when a change could not be
 * logged. */
static bool publish(struct store *s)
{
    if (!s->sink)
        return true;
    bool ok = true;
    pthread_mutex_lock(&s->flush_lock);
    pthread_mutex_lock(&s->lock);
    struct pending *list = s->pending_head;
    s->pending_head = s->pending_tail = NULL;
    if (s->sink_failed) {
        ok = false;
        s->sink_failed = false;
    }
    pthread_mutex_unlock(&s->lock);
    for (struct pending *n = list, *next; n; n = next) {
        next = n->next;
        ok = s->sink(s->sink_ud, &n->ev) && ok;
        store_event_fini(&n->ev);
        free(n);
    }
    pthread_mutex_unlock(&s->flush_lock);
    return ok;
}

void store_note_clock(struct store *s, bool frozen, int64_t value)
{
    pthread_mutex_lock(&s->lock);
    struct store_event ev = {
        .kind = STORE_EV_CLOCK, .tid = -1, .clock_frozen = frozen, .clock_value = value};
    emit(s, &ev);
    pthread_mutex_unlock(&s->lock);
    publish(s);
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
    if (s->sink) {
        struct store_event ev = {.kind = STORE_EV_TENANT_ADD, .tid = (int)tid, .merchant = t->m};
        emit(s, &ev);
    }
out:
    pthread_mutex_unlock(&s->lock);
    if (err == MOCK_OK && !publish(s))
        err = MOCK_INTERNAL;
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
        emit_simple(s, STORE_EV_TENANT_CLEAR, tid);
    }
    pthread_mutex_unlock(&s->lock);
    publish(s);
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
        emit_simple(s, STORE_EV_TENANT_REMOVE, tid);
    }
    pthread_mutex_unlock(&s->lock);
    publish(s);
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
        if (t->token[0])
            hmap_del(&s->by_token, t->token);
        snprintf(t->token, sizeof t->token, "%s", candidate);
        t->token_expires_at = now + STORE_TOKEN_TTL;
        if (!hmap_put(&s->by_token, t->token, (uint32_t)tid))
            t->token[0] = '\0'; /* out of memory: the token will not be accepted */
    }
    memcpy(ret_token, t->token, sizeof t->token);
    *ret_expires_at = t->token_expires_at;
    if (t->token_expires_at != before_expires || strcmp(t->token, before_token) != 0)
        emit_token(s, tid, t);
out:
    pthread_mutex_unlock(&s->lock);
    if (!publish(s))
        ret_token[0] = '\0'; /* not durable: answered as an internal error */
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
        emit_token(s, tid, t);
    }
    pthread_mutex_unlock(&s->lock);
    publish(s);
}

/* ---- payments ---- */

/* The payment indexes read their keys from the records themselves. */
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

/* Index of payment imp_uid in t->pays, or -1. */
static long t_payment(struct tenant *t, const char *imp_uid)
{
    uint32_t i;
    return hidx_get(&t->by_imp_uid, imp_uid, &i, key_imp_uid, t) ? (long)i : -1;
}

/* Status of payment imp_uid, or -1 when there is none. */
static int t_payment_status(struct tenant *t, const char *imp_uid)
{
    long i = t_payment(t, imp_uid);
    struct paypack_head h;
    if (i < 0)
        return -1;
    paypack_head(t->pays[i].rec, &h);
    return (int)h.status;
}

enum mock_err store_payment_get(struct store *s, int tid, const char *imp_uid,
                                struct payment *ret_payment)
{
    enum mock_err err = MOCK_PAYMENT_NOT_FOUND;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    long i = t ? t_payment(t, imp_uid) : -1;
    if (i >= 0)
        err = paypack_decode(&s->pack, t->pays[i].rec, ret_payment) ? MOCK_OK : MOCK_INTERNAL;
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
    /* a shallow copy: its strings stay the caller's, the record gets its own */
    struct payment np = *p;
    if (np.imp_uid[0] && t_payment(t, np.imp_uid) >= 0) {
        err = MOCK_BAD_PARAM; /* only fixtures choose their own imp_uid */
        goto out;
    }
    for (int tries = 0; !np.imp_uid[0] && tries < 64; tries++) {
        ids_imp_uid(api, np.imp_uid);
        if (t_payment(t, np.imp_uid) >= 0)
            np.imp_uid[0] = '\0';
    }
    np.version = 1;
    if (!np.imp_uid[0] ||
        !grow_array((void **)&t->pays, &t->cap_pays, t->n_pays + 1, sizeof *t->pays))
        goto out;
    uint8_t *rec = paypack_encode(&s->pack, &np);
    if (!rec)
        goto out;
    uint32_t idx = (uint32_t)t->n_pays;
    uint32_t prev;
    int32_t prev_idx =
        hidx_get(&t->by_order, np.merchant_uid, &prev, key_order, t) ? (int32_t)prev : -1;
    /* in place before indexing (the indexes read keys through t->pays), counted after */
    t->pays[idx].rec = rec;
    t->pays[idx].prev = prev_idx;
    if (!hidx_put(&t->by_imp_uid, np.imp_uid, idx, key_imp_uid, t)) {
        free(rec);
        goto out;
    }
    if (!hidx_put(&t->by_order, np.merchant_uid, idx, key_order, t)) {
        hidx_del(&t->by_imp_uid, np.imp_uid, key_imp_uid, t);
        free(rec);
        goto out;
    }
    t->n_pays++;
    err = MOCK_OK;
    emit_payment(s, tid, &np);
    if (ret_payment && !payment_copy(ret_payment, &np))
        err = MOCK_INTERNAL;
out:
    pthread_mutex_unlock(&s->lock);
    if (!publish(s) && err == MOCK_OK) {
        if (ret_payment) /* not logged: answered as an error, the copy is not the caller's */
            payment_fini(ret_payment);
        err = MOCK_INTERNAL;
    }
    return err;
}

enum mock_err store_payment_replace(struct store *s, int tid, const struct payment *p)
{
    enum mock_err err = MOCK_PAYMENT_NOT_FOUND;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    long i = t ? t_payment(t, p->imp_uid) : -1;
    struct paypack_head cur;
    if (i >= 0)
        paypack_head(t->pays[i].rec, &cur);
    if (i >= 0 && cur.version != p->version) {
        err = MOCK_IN_PROGRESS;
    } else if (i >= 0) {
        struct payment next = *p; /* shallow: only packed */
        next.version = cur.version + 1;
        uint8_t *rec = paypack_encode(&s->pack, &next);
        if (rec) {
            /* imp_uid and merchant_uid unchanged: the indexes stay right */
            free(t->pays[i].rec);
            t->pays[i].rec = rec;
            err = MOCK_OK;
            emit_payment(s, tid, &next);
        } else {
            err = MOCK_INTERNAL;
        }
    }
    pthread_mutex_unlock(&s->lock);
    if (!publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

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

/* How many of n sorted items page `page` of `limit` shows, from *ret_first
 * (page and limit 0 mean 1 and 20); 0 past the end. */
static size_t page_slice(size_t n, size_t page, size_t limit, size_t *ret_first)
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

/* Whether record rec matches q; when it does, *ret_key is its sort key. */
static bool t_matches(const struct paypack *pk, const uint8_t *rec, const struct pay_query *q,
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
        if (hidx_get(&t->by_order, q->merchant_uid, &head, key_order, t))
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
        if (hidx_get(&t->by_order, q->merchant_uid, &head, key_order, t))
            for (int32_t i = (int32_t)head; i >= 0; i = t->pays[i].prev)
                if (t_matches(&s->pack, t->pays[i].rec, q, &items[n].key))
                    items[n++].idx = (size_t)i;
    } else {
        for (size_t i = 0; i < t->n_pays; i++)
            if (t_matches(&s->pack, t->pays[i].rec, q, &items[n].key))
                items[n++].idx = i;
    }
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
    if (!hidx_get(&t->by_order, merchant_uid, &head, key_order, t))
        return false;
    for (int32_t i = (int32_t)head; i >= 0; i = t->pays[i].prev) {
        struct paypack_head h;
        paypack_head(t->pays[i].rec, &h);
        if (h.status == PAY_PAID || h.status == PAY_CANCELLED)
            return true;
    }
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
        emit_prepare(s, tid, p);
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
    emit_prepare(s, tid, p);
out:
    pthread_mutex_unlock(&s->lock);
    if (!publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
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
    emit_customer(s, tid, cur);
    if (ret_customer && !customer_copy(ret_customer, cur))
        err = MOCK_INTERNAL;
out:
    pthread_mutex_unlock(&s->lock);
    customer_fini(&copy);
    if (!publish(s) && err == MOCK_OK) {
        if (ret_customer)
            customer_fini(ret_customer);
        err = MOCK_INTERNAL;
    }
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
        struct store_event ev = {.kind = STORE_EV_CUSTOMER_DEL, .tid = tid};
        snprintf(ev.key, sizeof ev.key, "%s", customer_uid);
        emit(s, &ev);
    }
    pthread_mutex_unlock(&s->lock);
    if (!publish(s) && err == MOCK_OK) {
        customer_fini(ret_customer);
        err = MOCK_INTERNAL;
    }
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
        emit_customer(s, tid, c);
    }
    pthread_mutex_unlock(&s->lock);
    if (!publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
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
        if (err == MOCK_OK) {
            *ret_count = ++c->charges;
            emit_customer(s, tid, c);
        }
    }
    pthread_mutex_unlock(&s->lock);
    if (!publish(s) && err == MOCK_OK) {
        customer_fini(ret_customer);
        err = MOCK_INTERNAL;
    }
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

enum mock_err store_prepare_list(struct store *s, int tid, struct prepare **ret_list, size_t *ret_n)
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
                if (!paypack_decode(&s->pack, t->pays[i].rec, &ret_page->items[i])) {
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

/* ---- replay ---- */

bool store_tenant_slot(struct store *s, int tid, struct merchant *ret_m, bool *ret_removed,
                       char *ret_token, int64_t *ret_token_expires_at)
{
    pthread_mutex_lock(&s->lock);
    bool ok = tid >= 0 && (size_t)tid < s->n_tenants;
    if (ok) {
        const struct tenant *t = s->tenants[tid];
        *ret_m = t->m;
        *ret_removed = t->removed;
        memcpy(ret_token, t->token, sizeof t->token);
        *ret_token_expires_at = t->token_expires_at;
    }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static enum mock_err apply_token(struct store *s, const struct store_event *ev)
{
    enum mock_err err = MOCK_OK;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, ev->tid);
    if (t) {
        if (t->token[0])
            hmap_del(&s->by_token, t->token);
        snprintf(t->token, sizeof t->token, "%s", ev->token);
        t->token_expires_at = ev->token_expires_at;
        if (t->token[0] && !hmap_put(&s->by_token, t->token, (uint32_t)ev->tid))
            err = MOCK_INTERNAL;
    }
    pthread_mutex_unlock(&s->lock);
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

static enum mock_err apply_customer(struct store *s, const struct store_event *ev)
{
    struct customer copy;
    if (!customer_copy(&copy, &ev->customer))
        return MOCK_INTERNAL;
    enum mock_err err = MOCK_INTERNAL;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, ev->tid);
    struct customer *cur = t ? t_customer(t, copy.customer_uid) : NULL;
    if (cur) {
        customer_fini(cur);
        *cur = copy; /* exactly as logged, charge count included */
        memset(&copy, 0, sizeof copy);
        err = MOCK_OK;
    } else if (t &&
               grow_array((void **)&t->custs, &t->cap_custs, t->n_custs + 1, sizeof *t->custs)) {
        cur = malloc(sizeof *cur);
        if (cur) {
            *cur = copy;
            if (hmap_put(&t->by_cust, cur->customer_uid, (uint32_t)t->n_custs)) {
                t->custs[t->n_custs++] = cur;
                memset(&copy, 0, sizeof copy);
                err = MOCK_OK;
            } else {
                free(cur);
            }
        }
    }
    pthread_mutex_unlock(&s->lock);
    customer_fini(&copy);
    return err;
}

static enum mock_err apply_schedule(struct store *s, int tid, const struct schedule *src);

enum mock_err store_apply(struct store *s, const struct store_event *ev)
{
    struct customer gone;
    enum mock_err err;
    switch (ev->kind) {
    case STORE_EV_TENANT_ADD: {
        size_t n = store_tenant_count(s);
        if ((size_t)ev->tid < n)
            return MOCK_OK; /* already there: the log repeats what a snapshot holds */
        if ((size_t)ev->tid != n)
            return MOCK_BAD_PARAM;
        return store_tenant_add(s, &ev->merchant, NULL);
    }
    case STORE_EV_TENANT_CLEAR:
        store_tenant_clear(s, ev->tid);
        return MOCK_OK;
    case STORE_EV_TENANT_REMOVE:
        store_tenant_remove(s, ev->tid);
        return MOCK_OK;
    case STORE_EV_TOKEN:
        return apply_token(s, ev);
    case STORE_EV_PAYMENT:
        return apply_payment(s, ev);
    case STORE_EV_CUSTOMER:
        return apply_customer(s, ev);
    case STORE_EV_CUSTOMER_DEL:
        err = store_customer_delete(s, ev->tid, ev->key, &gone);
        if (err == MOCK_OK)
            customer_fini(&gone);
        return err == MOCK_CUSTOMER_NOT_FOUND ? MOCK_OK : err;
    case STORE_EV_PREPARE: {
        struct prepare cur;
        bool exists = store_prepare_get(s, ev->tid, ev->prepare.merchant_uid, &cur) == MOCK_OK;
        return store_prepare_put(s, ev->tid, &ev->prepare, exists);
    }
    case STORE_EV_CLOCK:
        return MOCK_OK; /* the clock is not the store's: the log reader sets it */
    case STORE_EV_SCHEDULE:
        return apply_schedule(s, ev->tid, &ev->schedule);
    }
    return MOCK_BAD_PARAM;
}

/* ---- scheduled payments ---- */

static void emit_schedule(struct store *s, int tid, const struct schedule *sc)
{
    struct store_event ev = {.kind = STORE_EV_SCHEDULE, .tid = tid};
    if (!s->sink)
        return;
    if (!schedule_copy(&ev.schedule, sc)) {
        s->sink_failed = true;
        return;
    }
    ev.schedule.running = false; /* a run cut short by a restart waits again */
    emit(s, &ev);
}

struct sched_entry {
    struct schedule *sc; /* owned */
    int32_t prev;        /* previous item of the same customer_uid, -1 */
};

/* One entry of the due index. Entries are dropped only from the top: an item
 * revoked, moved or run no longer matches its entry (gen, status), and the
 * entry is discarded when it surfaces (or by s_due_compact). */
struct sched_due {
    int64_t at;   /* the item's schedule_at when pushed */
    uint64_t seq; /* the item's insertion order: ties of `at` run in it */
    uint64_t gen; /* the item's gen when pushed */
    uint32_t tid;
    uint32_t idx;
};

static void t_sched_clear(struct tenant *t)
{
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
static struct schedule *s_due_item(struct store *s, const struct sched_due *d)
{
    struct tenant *t = tenant_at(s, (int)d->tid);
    if (!t || d->idx >= t->n_scheds)
        return NULL;
    struct schedule *sc = t->scheds[d->idx].sc;
    if (sc->gen != d->gen || sc->status != SCHED_SCHEDULED || sc->running)
        return NULL;
    return sc;
}

static size_t s_sched_waiting(struct store *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_tenants; i++)
        if (!s->tenants[i]->removed)
            n += s->tenants[i]->n_sched_waiting;
    return n;
}

/* Drops stale entries once they outnumber the live ones, so moves, revokes
 * and resets cannot grow the index without bound. */
static void s_due_compact(struct store *s)
{
    if (s->n_due < 1024 || s->n_due < 2 * s_sched_waiting(s))
        return;
    size_t k = 0;
    for (size_t i = 0; i < s->n_due; i++)
        if (s_due_item(s, &s->due[i]))
            s->due[k++] = s->due[i];
    s->n_due = k;
    for (size_t i = k / 2; i-- > 0;)
        due_sift_down(s->due, k, i);
}

static bool s_due_reserve(struct store *s, size_t more)
{
    return grow_array((void **)&s->due, &s->cap_due, s->n_due + more, sizeof *s->due);
}

/* Room must have been reserved with s_due_reserve. */
static void s_due_push(struct store *s, int tid, uint32_t idx, const struct schedule *sc)
{
    struct sched_due d = {sc->schedule_at, sc->seq, sc->gen, (uint32_t)tid, idx};
    s->due[s->n_due] = d;
    due_sift_up(s->due, s->n_due);
    s->n_due++;
}

static struct schedule *t_sched(struct tenant *t, const char *merchant_uid, uint32_t *ret_idx)
{
    uint32_t i;
    if (!hmap_get(&t->by_sched, merchant_uid, &i))
        return NULL;
    if (ret_idx)
        *ret_idx = i;
    return t->scheds[i].sc;
}

/* payment_status as the API shows it: the current status of the payment the
 * execution made, so a refund later reads "cancelled". */
static bool t_sched_copy(struct tenant *t, const struct schedule *src, struct schedule *dst)
{
    if (!schedule_copy(dst, src))
        return false;
    int status = src->imp_uid[0] ? t_payment_status(t, src->imp_uid) : -1;
    if (status >= 0)
        dst->payment_status = status;
    return true;
}

static int t_sched_pay_status(struct tenant *t, const struct schedule *sc)
{
    int status = sc->imp_uid[0] ? t_payment_status(t, sc->imp_uid) : -1;
    return status >= 0 ? status : sc->payment_status;
}

static bool sched_failed_or_revoked(struct tenant *t, const struct schedule *sc)
{
    if (sc->running)
        return false;
    if (sc->status == SCHED_REVOKED)
        return true;
    return sc->status == SCHED_EXECUTED && t_sched_pay_status(t, sc) == PAY_FAILED;
}

enum mock_err store_schedule_add(struct store *s, int tid, const struct schedule *items, size_t n,
                                 struct schedule *ret_items, size_t *ret_bad)
{
    enum mock_err err = MOCK_INTERNAL;
    size_t done = 0;
    uint32_t found;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const char *mid = items[i].merchant_uid;
        bool dup = hmap_get(&t->by_sched, mid, &found) || t_order_paid(t, mid);
        for (size_t j = 0; !dup && j < i; j++)
            dup = strcmp(items[j].merchant_uid, mid) == 0;
        if (dup) {
            if (ret_bad)
                *ret_bad = i;
            err = MOCK_SCHEDULE_DUPLICATE;
            goto out;
        }
    }
    s_due_compact(s);
    if (!grow_array((void **)&t->scheds, &t->cap_scheds, t->n_scheds + n, sizeof *t->scheds) ||
        !s_due_reserve(s, n))
        goto out;
    for (; done < n; done++) {
        struct schedule *sc = malloc(sizeof *sc);
        if (!sc)
            goto undo;
        if (!schedule_copy(sc, &items[done])) {
            free(sc);
            goto undo;
        }
        free(sc->fail_reason);
        sc->fail_reason = NULL;
        sc->imp_uid[0] = '\0';
        sc->executed_at = sc->revoked_at = 0;
        sc->status = SCHED_SCHEDULED;
        sc->payment_status = -1;
        sc->running = false;
        sc->seq = ++s->sched_seq;
        sc->gen = ++s->sched_gen;
        uint32_t idx = (uint32_t)t->n_scheds, prev;
        int32_t prev_idx =
            hmap_get(&t->by_sched_cust, sc->customer_uid, &prev) ? (int32_t)prev : -1;
        bool indexed = hmap_put(&t->by_sched, sc->merchant_uid, idx);
        if (indexed && !hmap_put(&t->by_sched_cust, sc->customer_uid, idx)) {
            hmap_del(&t->by_sched, sc->merchant_uid);
            indexed = false;
        }
        if (!indexed) {
            schedule_fini(sc);
            free(sc);
            goto undo;
        }
        t->scheds[idx].sc = sc;
        t->scheds[idx].prev = prev_idx;
        t->n_scheds++;
        t->n_sched_waiting++;
        s_due_push(s, tid, idx, sc);
    }
    err = MOCK_OK;
    for (size_t i = 0; i < n; i++)
        emit_schedule(s, tid, t->scheds[t->n_scheds - n + i].sc);
    for (size_t i = 0; ret_items && i < n; i++) {
        if (!t_sched_copy(t, t->scheds[t->n_scheds - n + i].sc, &ret_items[i])) {
            while (i > 0)
                schedule_fini(&ret_items[--i]);
            err = MOCK_INTERNAL; /* stored, but no answer can be rendered */
            break;
        }
    }
    goto out;
undo:
    /* out of memory: take back this call's items, newest first (their due
     * entries point past n_scheds or at another gen, so they go stale) */
    while (done > 0) {
        done--;
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
out:
    pthread_mutex_unlock(&s->lock);
    if (!publish(s) && err == MOCK_OK) {
        for (size_t i = 0; ret_items && i < n; i++)
            schedule_fini(&ret_items[i]);
        err = MOCK_INTERNAL;
    }
    return err;
}

enum mock_err store_schedule_get(struct store *s, int tid, const char *merchant_uid,
                                 struct schedule *ret_schedule)
{
    enum mock_err err = MOCK_SCHEDULE_NOT_FOUND;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    const struct schedule *sc = t ? t_sched(t, merchant_uid, NULL) : NULL;
    if (sc)
        err = t_sched_copy(t, sc, ret_schedule) ? MOCK_OK : MOCK_INTERNAL;
    pthread_mutex_unlock(&s->lock);
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
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
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
            if (!t_sched_copy(t, t->scheds[items[first + i].idx].sc, &ret_page->items[i]))
                goto out;
            ret_page->n = i + 1;
        }
    }
    err = MOCK_OK;
out:
    pthread_mutex_unlock(&s->lock);
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

enum mock_err store_schedule_revoke(struct store *s, int tid, const char *customer_uid,
                                    const char *const *merchant_uids, size_t n, int64_t now,
                                    struct sched_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    struct sched_sort *picked = NULL;
    size_t k = 0;
    memset(ret_page, 0, sizeof *ret_page);
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t)
        goto out;
    picked = malloc((t->n_scheds ? t->n_scheds : 1) * sizeof *picked);
    if (!picked)
        goto out;
    uint32_t idx;
    if (n > 0) {
        for (size_t i = 0; i < n; i++) {
            struct schedule *sc = t_sched(t, merchant_uids[i], &idx);
            bool named_twice = false;
            for (size_t j = 0; sc && j < k; j++)
                named_twice = named_twice || picked[j].idx == idx;
            if (!sc || named_twice || sc->status != SCHED_SCHEDULED || sc->running ||
                (customer_uid && strcmp(sc->customer_uid, customer_uid) != 0))
                continue;
            picked[k].idx = idx;
            picked[k].at = sc->schedule_at;
            picked[k].seq = sc->seq;
            k++;
        }
    } else if (customer_uid && hmap_get(&t->by_sched_cust, customer_uid, &idx)) {
        for (int32_t i = (int32_t)idx; i >= 0; i = t->scheds[i].prev) {
            const struct schedule *sc = t->scheds[i].sc;
            if (sc->status != SCHED_SCHEDULED || sc->running)
                continue;
            picked[k].idx = (uint32_t)i;
            picked[k].at = sc->schedule_at;
            picked[k].seq = sc->seq;
            k++;
        }
        qsort(picked, k, sizeof *picked, sched_cmp_asc);
    }
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
        emit_schedule(s, tid, sc);
        if (t_sched_copy(t, sc, &ret_page->items[ret_page->n]))
            ret_page->n++;
    }
    ret_page->total = ret_page->n;
    err = ret_page->n == k ? MOCK_OK : MOCK_INTERNAL; /* revoked either way */
out:
    pthread_mutex_unlock(&s->lock);
    free(picked);
    if (!publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    if (err != MOCK_OK)
        store_sched_page_free(ret_page);
    return err;
}

enum mock_err store_schedule_move(struct store *s, int tid, const char *merchant_uid, int64_t at,
                                  bool reschedule, struct schedule *ret_schedule)
{
    enum mock_err err = MOCK_SCHEDULE_NOT_FOUND;
    uint32_t idx;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    struct schedule *sc = t ? t_sched(t, merchant_uid, &idx) : NULL;
    if (!sc)
        goto out;
    if (!reschedule && (sc->status != SCHED_SCHEDULED || sc->running)) {
        err = MOCK_SCHEDULE_NOT_PENDING;
        goto out;
    }
    if (reschedule && !sched_failed_or_revoked(t, sc)) {
        err = MOCK_SCHEDULE_NOT_FAILED;
        goto out;
    }
    s_due_compact(s);
    err = MOCK_INTERNAL;
    if (!s_due_reserve(s, 1))
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
    s_due_push(s, tid, idx, sc);
    emit_schedule(s, tid, sc);
    err = t_sched_copy(t, sc, ret_schedule) ? MOCK_OK : MOCK_INTERNAL;
out:
    pthread_mutex_unlock(&s->lock);
    if (!publish(s) && err == MOCK_OK) {
        schedule_fini(ret_schedule);
        err = MOCK_INTERNAL;
    }
    return err;
}

size_t store_schedule_claim_due(struct store *s, int64_t until, size_t max, struct sched_claim *ret)
{
    size_t k = 0;
    pthread_mutex_lock(&s->lock);
    /* each round pops one entry, so the loop ends with the index */
    while (k < max && s->n_due > 0 && s->due[0].at <= until) {
        struct sched_due top = s->due[0];
        s->due[0] = s->due[--s->n_due];
        due_sift_down(s->due, s->n_due, 0);
        struct schedule *sc = s_due_item(s, &top);
        if (!sc)
            continue;
        if (!schedule_copy(&ret[k].item, sc)) {
            s->due[s->n_due] = top; /* the slot just freed: no allocation */
            due_sift_up(s->due, s->n_due);
            s->n_due++;
            break; /* out of memory: try again next time */
        }
        sc->running = true;
        tenant_at(s, (int)top.tid)->n_sched_waiting--;
        ret[k].tid = (int)top.tid;
        ret[k].idx = top.idx;
        k++;
    }
    pthread_mutex_unlock(&s->lock);
    return k;
}

enum mock_err store_schedule_claim(struct store *s, int tid, const char *merchant_uid,
                                   struct sched_claim *ret)
{
    enum mock_err err = MOCK_SCHEDULE_NOT_FOUND;
    uint32_t idx;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    struct schedule *sc = t ? t_sched(t, merchant_uid, &idx) : NULL;
    if (sc && !sched_failed_or_revoked(t, sc)) {
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
    pthread_mutex_unlock(&s->lock);
    return err;
}

void store_schedule_finish(struct store *s, const struct sched_claim *c,
                           const struct sched_result *res)
{
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, c->tid);
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
        emit_schedule(s, c->tid, sc);
    }
    pthread_mutex_unlock(&s->lock);
    publish(s);
}

void sched_claim_fini(struct sched_claim *c)
{
    schedule_fini(&c->item);
}

size_t store_schedule_pending(struct store *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s_sched_waiting(s);
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* Puts a logged schedule item back as it was (replay): replaces the item of
 * the same merchant_uid or adds it, and queues it to run when it waits. */
static enum mock_err apply_schedule(struct store *s, int tid, const struct schedule *src)
{
    struct schedule *copy = malloc(sizeof *copy);
    if (!copy)
        return MOCK_INTERNAL;
    if (!schedule_copy(copy, src)) {
        free(copy);
        return MOCK_INTERNAL;
    }
    copy->running = false;
    enum mock_err err = MOCK_INTERNAL;
    uint32_t idx;
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
    if (!t || !s_due_reserve(s, 1))
        goto out;
    struct schedule *cur = t_sched(t, copy->merchant_uid, &idx);
    if (cur) {
        copy->seq = cur->seq;
        if (cur->status == SCHED_SCHEDULED && !cur->running)
            t->n_sched_waiting--;
        /* the indexes borrow their keys from the item: point them at the new
         * one while the old is still alive (replacing a key allocates nothing) */
        uint32_t head;
        hmap_put(&t->by_sched, copy->merchant_uid, idx);
        if (hmap_get(&t->by_sched_cust, copy->customer_uid, &head) && head == idx)
            hmap_put(&t->by_sched_cust, copy->customer_uid, idx);
        schedule_fini(cur);
        free(cur);
        t->scheds[idx].sc = copy;
    } else {
        if (!grow_array((void **)&t->scheds, &t->cap_scheds, t->n_scheds + 1, sizeof *t->scheds))
            goto out;
        uint32_t prev;
        idx = (uint32_t)t->n_scheds;
        int32_t prev_idx =
            hmap_get(&t->by_sched_cust, copy->customer_uid, &prev) ? (int32_t)prev : -1;
        if (!hmap_put(&t->by_sched, copy->merchant_uid, idx))
            goto out;
        if (!hmap_put(&t->by_sched_cust, copy->customer_uid, idx)) {
            hmap_del(&t->by_sched, copy->merchant_uid);
            goto out;
        }
        copy->seq = ++s->sched_seq;
        t->scheds[idx].sc = copy;
        t->scheds[idx].prev = prev_idx;
        t->n_scheds++;
    }
    copy->gen = ++s->sched_gen;
    if (copy->status == SCHED_SCHEDULED) {
        t->n_sched_waiting++;
        s_due_push(s, tid, idx, copy);
    }
    copy = NULL;
    err = MOCK_OK;
out:
    pthread_mutex_unlock(&s->lock);
    if (copy) {
        schedule_fini(copy);
        free(copy);
    }
    return err;
}

enum mock_err store_schedule_all(struct store *s, int tid, struct sched_page *ret_page)
{
    enum mock_err err = MOCK_INTERNAL;
    memset(ret_page, 0, sizeof *ret_page);
    pthread_mutex_lock(&s->lock);
    struct tenant *t = tenant_at(s, tid);
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
    pthread_mutex_unlock(&s->lock);
    if (err != MOCK_OK)
        store_sched_page_free(ret_page);
    return err;
}
