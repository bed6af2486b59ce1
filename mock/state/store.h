/*
 * store.h - all mutable state: tenants (one per merchant key pair), their
 * access tokens, payments, pre-registrations, billing keys, schedule items,
 * cash receipts, identity verifications and escrow shipping records, with
 * hash indexes (imp_uid, merchant_uid, customer_uid, token) and
 * a due index of the schedule items.
 * Owns every record once stored; callers only ever receive deep copies
 * (release them with payment_fini / customer_fini / store_page_free ...).
 * Thread-safety: callable from any thread. One mutex inside, never held
 * across I/O, logging, cJSON or callbacks (the change sink included).
 * Implemented by state/store*.c (each section below names its file); their
 * shared insides are in state/store_internal.h, which nobody else includes.
 */
#ifndef IMPMOCK_STORE_H
#define IMPMOCK_STORE_H

#include "base/errors.h"
#include "base/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* store.c */
struct store *store_new(void);
void store_free(struct store *s);

/* ---- tenants (store_tenants.c; clear and remove in store.c) ---- */

/* Adds a tenant with merchant m (copied). MOCK_BAD_PARAM when imp_key or
 * merchant_code is taken. ret_tid may be NULL. */
enum mock_err store_tenant_add(struct store *s, const struct merchant *m, int *ret_tid);
/* Adds a tenant made on the fly (--open-tenants) with merchant m, marked
 * so (m->on_the_fly). At most max of them live at once: at the cap, those
 * that are idle and empty at `now` (no payment, billing key,
 * pre-registration, schedule item, cash receipt, certification or shipping
 * record, and no token current at now) are
 * removed first, their ids put in *ret_evicted (malloc'd, *ret_n_evicted
 * of them, free() it) for the caller to forget what it keeps by tenant id.
 * MOCK_TENANT_LIMIT when none could go, MOCK_BAD_PARAM when imp_key is
 * taken (a concurrent call made it). */
enum mock_err store_tenant_add_open(struct store *s, const struct merchant *m, size_t max,
                                    int64_t now, int *ret_tid, int **ret_evicted,
                                    size_t *ret_n_evicted);
/* Lookups; ret_m may be NULL. false when unknown. */
bool store_tenant_by_key(struct store *s, const char *imp_key, int *ret_tid,
                         struct merchant *ret_m);
bool store_tenant_by_code(struct store *s, const char *merchant_code, int *ret_tid,
                          struct merchant *ret_m);
bool store_tenant_merchant(struct store *s, int tid, struct merchant *ret_m);
/* The tenant of imp_key and its imp_secret, without copying the whole
 * merchant (several KiB) as store_tenant_by_key would: what every getToken
 * needs. false when unknown. */
bool store_tenant_secret(struct store *s, const char *imp_key, int *ret_tid,
                         char ret_secret[IMP_SECRET_MAX + 1]);
/* Tenant tid's imp_key into ret_key (IMP_KEY_MAX + 1 bytes): the merchant
 * without copying all of it, for a log line. false when there is none. */
bool store_tenant_key(struct store *s, int tid, char *ret_key);
/* The same with where tenant tid's webhooks go: its webhook_url into
 * ret_url (URL_MAX + 1 bytes, "" for none) and webhook_form, for every
 * notice. false when there is none. */
bool store_tenant_webhook(struct store *s, int tid, char *ret_key, char *ret_url, bool *ret_form);
/* Drops every payment, key, prepare and token of tenant tid (its merchant stays). */
void store_tenant_clear(struct store *s, int tid);
/* Forgets tenant tid entirely: its key pair and merchant code become
 * unknown, its memory is freed and its id goes to the next tenant added. */
void store_tenant_remove(struct store *s, int tid);
/* Tenant ids are 0 .. store_tenant_count()-1; free ones answer false to lookups. */
size_t store_tenant_count(struct store *s);

/* ---- access tokens (reference §2; store_tenants.c) ---- */

#define STORE_TOKEN_TTL       1800 /* 30 minutes */
#define STORE_TOKEN_GRACE     60   /* asked within the last minute ... */
#define STORE_TOKEN_EXTENSION 300  /* ... extends by 5 minutes */

/* Gives tenant tid its token at time `now`: the current one while valid
 * (extended when asked in its last minute), else `candidate` (40 hex chars)
 * as a new 30-minute token. With candidate NULL, ret_token is "" when a new
 * token would be needed (so the caller makes a candidate only then). */
void store_token_issue(struct store *s, int tid, int64_t now, const char *candidate,
                       char *ret_token, int64_t *ret_expires_at);
/* true and the tenant when token is current at `now`. */
bool store_token_lookup(struct store *s, const char *token, int64_t now, int *ret_tid);
/* Expires tenant tid's token at once (scenario: forced token expiry). */
void store_token_expire(struct store *s, int tid);

/* ---- payments (store_payments.c) ---- */

enum mock_err store_payment_get(struct store *s, int tid, const char *imp_uid,
                                struct payment *ret_payment);
/* Stores a copy of p. When p->imp_uid is empty a fresh one is generated
 * ("imps_" when api). ret_payment (may be NULL) receives the stored copy. */
enum mock_err store_payment_insert(struct store *s, int tid, const struct payment *p, bool api,
                                   struct payment *ret_payment);
/* Replaces the stored payment p->imp_uid if its version is still p->version
 * (optimistic concurrency): MOCK_IN_PROGRESS when it changed meanwhile. */
enum mock_err store_payment_replace(struct store *s, int tid, const struct payment *p);

enum pay_sort { SORT_STARTED, SORT_PAID, SORT_UPDATED };

struct pay_query {
    const char *merchant_uid; /* NULL: any */
    const char *customer_uid; /* NULL: any */
    int status;               /* enum pay_status, or -1 for all */
    bool time_filter;         /* from <= (time of current status) <= to */
    int64_t from, to;
    enum pay_sort sort;
    bool descending;
    size_t page;  /* 1-based */
    size_t limit; /* items per page */
};

struct pay_page {
    size_t total; /* matches over all pages */
    struct payment *items;
    size_t n;
};

enum mock_err store_payment_query(struct store *s, int tid, const struct pay_query *q,
                                  struct pay_page *ret_page);
void store_page_free(struct pay_page *page);

/* ---- orders (merchant_uid; store_payments.c) ---- */

/* Claims merchant_uid for one charge attempt: MOCK_ALREADY_PAID when a payment
 * of it is paid (or was paid and cancelled), MOCK_IN_PROGRESS while another
 * attempt holds it. Release with store_order_release once stored. */
enum mock_err store_order_reserve(struct store *s, int tid, const char *merchant_uid);
void store_order_release(struct store *s, int tid, const char *merchant_uid);
/* Stores p (a charge over the API, of a claimed order) as
 * store_payment_insert does and drops the claim on p->merchant_uid, in one
 * turn of the lock; the claim is dropped whatever the outcome. */
enum mock_err store_order_settle(struct store *s, int tid, const struct payment *p,
                                 struct payment *ret_payment);
/* MOCK_ALREADY_PAID or MOCK_OK, without claiming. */
enum mock_err store_order_check(struct store *s, int tid, const char *merchant_uid);

/* ---- pre-registrations (reference §3.8; store_payments.c) ---- */

/* update=false: MOCK_PREPARE_EXISTS when merchant_uid is registered already;
 * update=true: MOCK_PREPARE_NOT_FOUND when it is not. */
enum mock_err store_prepare_put(struct store *s, int tid, const struct prepare *p, bool update);
enum mock_err store_prepare_get(struct store *s, int tid, const char *merchant_uid,
                                struct prepare *ret_prepare);

/* ---- billing keys (reference §5; store_customers.c) ---- */

/* Whether tenant tid has a billing key customer_uid (nothing copied). */
bool store_customer_exists(struct store *s, int tid, const char *customer_uid);
enum mock_err store_customer_get(struct store *s, int tid, const char *customer_uid,
                                 struct customer *ret_customer);
/* Inserts or replaces (keeping `inserted` and resetting the charge count). */
enum mock_err store_customer_put(struct store *s, int tid, const struct customer *c,
                                 struct customer *ret_customer);
enum mock_err store_customer_delete(struct store *s, int tid, const char *customer_uid,
                                    struct customer *ret_customer);
/* Counts one charge attempt with the key; ret_count is the count including it. */
enum mock_err store_customer_count_charge(struct store *s, int tid, const char *customer_uid,
                                          uint64_t *ret_count);

/* store_order_reserve for a charge on billing key customer_uid, which in the
 * same step is counted and copied as it is at that moment (so the card
 * charged is the card counted): one turn of the lock for both.
 * MOCK_CUSTOMER_UNKNOWN when there is no such key (nothing claimed). */
enum mock_err store_order_reserve_key(struct store *s, int tid, const char *merchant_uid,
                                      const char *customer_uid, struct customer *ret_customer,
                                      uint64_t *ret_count);

/* ---- whole-tenant reads (export, snapshots; each in its records' file) ---- */

/* Copies of every billing key / pre-registration of tenant tid, in insertion
 * order; free with store_customers_free / free(). */
enum mock_err store_customer_list(struct store *s, int tid, struct customer **ret_list,
                                  size_t *ret_n);
void store_customers_free(struct customer *list, size_t n);
enum mock_err store_prepare_list(struct store *s, int tid, struct prepare **ret_list,
                                 size_t *ret_n);
/* Copies of every payment of tenant tid in insertion order (the order that
 * rebuilds the same merchant_uid histories). */
enum mock_err store_payment_all(struct store *s, int tid, struct pay_page *ret_page);

/* ---- change events (the durable state log; store.c) ---- */

enum store_event_kind {
    STORE_EV_TENANT_ADD,    /* merchant */
    STORE_EV_TENANT_CLEAR,  /* tid emptied */
    STORE_EV_TENANT_REMOVE, /* tid forgotten */
    STORE_EV_TOKEN,         /* token, token_expires_at ("" = none) */
    STORE_EV_PAYMENT,       /* payment, inserted or replaced */
    STORE_EV_CUSTOMER,      /* customer, inserted or replaced (with its charge count) */
    STORE_EV_CUSTOMER_DEL,  /* key = customer_uid */
    STORE_EV_PREPARE,       /* prepare, inserted or replaced */
    STORE_EV_CLOCK,         /* clock_frozen, clock_value (frozen time or offset) */
    STORE_EV_SCHEDULE,      /* schedule, added or changed (keyed by merchant_uid) */
    STORE_EV_RECEIPT,       /* receipt (either kind), issued or revoked */
    STORE_EV_CERT,          /* cert, requested or certified */
    STORE_EV_CERT_DEL,      /* key = imp_uid */
    STORE_EV_LOGIS,         /* logis, registered or edited */
};

/* One change, as absolute new values: replaying a log applies the same
 * assignments in the same order. Owned parts: payment, customer, schedule. */
struct store_event {
    enum store_event_kind kind;
    int tid;
    struct merchant merchant;
    struct payment payment;
    struct customer customer;
    struct prepare prepare;
    struct schedule schedule;
    struct receipt receipt;
    struct certification cert;
    struct escrow_logis logis;
    char token[41];
    int64_t token_expires_at;
    char key[CUSTOMER_UID_MAX + 1];
    bool clock_frozen;
    int64_t clock_value;
};

void store_event_fini(struct store_event *ev);

/* Receives every change, in order, before the mutating call returns, never
 * under the store lock; false when it could not keep it (the call then
 * answers MOCK_INTERNAL). Set once before threads start. */
typedef bool (*store_sink_fn)(void *ud, const struct store_event *ev);
void store_set_sink(struct store *s, store_sink_fn fn, void *ud);
/* Records a clock change in the same ordered stream. */
void store_note_clock(struct store *s, bool frozen, int64_t value);
/* Applies a logged change (replay; no event is emitted for it). Upserts, so
 * a change applied twice leaves the same state. */
enum mock_err store_apply(struct store *s, const struct store_event *ev);
/* Tenant slot tid including free ones (*ret_removed; their merchant and
 * token empty), to rebuild the same numbering. */
bool store_tenant_slot(struct store *s, int tid, struct merchant *ret_m, bool *ret_removed,
                       char *ret_token, int64_t *ret_token_expires_at);

/* ---- scripted virtual-account deposits (reference §17.5; store_vbanks.c) ---- */

/* A virtual account still ready with a deposit a scenario scripted for later
 * (its vbank_deposit_at). The store indexes them in step with every payment
 * it stores (replays and imports included), so the clock finds them without
 * looking at every payment. */
struct vbank_due {
    int tid;
    char imp_uid[IMP_UID_MAX + 1];
    int64_t at; /* vbank_deposit_at, unix s */
};

/* Copies up to max (at most 64) of the deposits due at `until` (at <= until)
 * into ret, earliest first, ties in the order they were scripted; returns
 * how many.
 * An entry stays until its payment is stored without a pending deposit (or
 * is no longer ready), so a caller that leaves it alone sees it again. */
size_t store_vbank_due(struct store *s, int64_t until, size_t max, struct vbank_due *ret);

/* ---- scheduled payments (reference §7; store_schedules.c) ---- */

/* Schedule items live per tenant, indexed by merchant_uid and customer_uid;
 * one due index per store (a min-heap on schedule_at, then insertion order)
 * finds the next item to run in O(log n) whatever the number of tenants. */

/* Stores n items (each with customer_uid set) as scheduled, all or none:
 * MOCK_SCHEDULE_DUPLICATE when a merchant_uid is already scheduled (in any
 * state), is paid, or appears twice in items; *ret_bad is then its index.
 * ret_items (n entries, may be NULL) receives the stored copies. */
enum mock_err store_schedule_add(struct store *s, int tid, const struct schedule *items, size_t n,
                                 struct schedule *ret_items, size_t *ret_bad);
/* MOCK_SCHEDULE_NOT_FOUND when tenant tid has no item for merchant_uid.
 * payment_status of a copy reads the current status of its payment (a
 * cancelled payment reads cancelled). */
enum mock_err store_schedule_get(struct store *s, int tid, const char *merchant_uid,
                                 struct schedule *ret_schedule);

struct sched_query {
    const char *customer_uid; /* NULL: any */
    int status;               /* enum sched_status, -1 for all */
    bool time_filter;         /* from <= schedule_at < to */
    int64_t from, to;
    bool ascending; /* oldest schedule_at first; default newest first */
    size_t page;    /* 1-based */
    size_t limit;   /* items per page */
};

struct sched_page {
    size_t total; /* matches over all pages */
    struct schedule *items;
    size_t n;
};

enum mock_err store_schedule_query(struct store *s, int tid, const struct sched_query *q,
                                   struct sched_page *ret_page);
void store_sched_page_free(struct sched_page *page);

/* Revokes, at time now, the items still waiting to run that belong to
 * customer_uid (NULL: any) and, when n > 0, are named in merchant_uids.
 * MOCK_SCHEDULE_NOTHING when no item qualified; else ret_page holds the
 * revoked items (request order, or schedule_at order for a whole customer). */
enum mock_err store_schedule_revoke(struct store *s, int tid, const char *customer_uid,
                                    const char *const *merchant_uids, size_t n, int64_t now,
                                    struct sched_page *ret_page);
/* Moves item merchant_uid to run at `at`. reschedule=false (PUT): only an
 * item still waiting, else MOCK_SCHEDULE_NOT_PENDING. reschedule=true: only
 * a revoked item or one whose execution failed, else MOCK_SCHEDULE_NOT_FAILED;
 * it waits again, its execution or revocation forgotten. */
enum mock_err store_schedule_move(struct store *s, int tid, const char *merchant_uid, int64_t at,
                                  bool reschedule, struct schedule *ret_schedule);

/* An item taken by the executor: nobody else runs, revokes or moves it
 * until store_schedule_finish. */
struct sched_claim {
    int tid;
    uint32_t idx;         /* position in the tenant, with gen: which item to finish */
    struct schedule item; /* owned copy */
};

/* The execution's outcome, recorded on the item. */
struct sched_result {
    int64_t executed_at;
    const char *imp_uid;     /* NULL: refused before any payment was made */
    int payment_status;      /* enum pay_status */
    const char *fail_reason; /* NULL when paid */
    const char *pg_provider; /* NULL: unchanged */
    const char *pg_id;
};

/* Takes up to max items due at `until` (schedule_at <= until) in schedule_at
 * order, ties in insertion order, across every tenant; returns how many were
 * written to ret (release each with sched_claim_fini once finished). */
size_t store_schedule_claim_due(struct store *s, int64_t until, size_t max,
                                struct sched_claim *ret);
/* Takes one item for an immediate retry: only a revoked item or one whose
 * execution failed (MOCK_SCHEDULE_NOT_FAILED), MOCK_SCHEDULE_NOT_FOUND. */
enum mock_err store_schedule_claim(struct store *s, int tid, const char *merchant_uid,
                                   struct sched_claim *ret);
/* Records res on the claimed item, which becomes executed (a no-op when the
 * tenant was reset meanwhile). */
void store_schedule_finish(struct store *s, const struct sched_claim *c,
                           const struct sched_result *res);
void sched_claim_fini(struct sched_claim *c);
/* Items waiting to run, over every tenant (for tests and the benchmark). */
size_t store_schedule_pending(struct store *s);

/* Puts schedule item sc (any state, as exported) back into tenant tid, as
 * replay and import do; logged like any change. */
enum mock_err store_schedule_restore(struct store *s, int tid, const struct schedule *sc);
/* Raw copies of every schedule item of tenant tid, in insertion order
 * (for snapshots and exports); free with store_sched_page_free. */
enum mock_err store_schedule_all(struct store *s, int tid, struct sched_page *ret_page);

/* ---- cash receipts, certifications, escrow shipping (reference §18-§20;
 * store_documents.c) ---- */

/* The receipt of payment imp_uid (external false) or of the outside sale
 * merchant_uid (external true), revoked or not: MOCK_RECEIPT_NOT_FOUND. */
enum mock_err store_receipt_get(struct store *s, int tid, bool external, const char *key,
                                struct receipt *ret_receipt);
/* Stores r unless its key holds a receipt not revoked (MOCK_RECEIPT_EXISTS);
 * a revoked one is replaced. A payment's receipt (not external) also marks
 * the payment cash_receipt_issued, in the same step, provided the payment
 * is still at version pay_version: MOCK_IN_PROGRESS when it changed
 * meanwhile (read it again), MOCK_PAYMENT_NOT_FOUND when it is gone. */
enum mock_err store_receipt_issue(struct store *s, int tid, const struct receipt *r,
                                  uint64_t pay_version);
/* Marks the receipt revoked at `now` (and its payment no longer
 * cash_receipt_issued): MOCK_RECEIPT_NOT_FOUND, MOCK_RECEIPT_REVOKED when it
 * already is. ret_receipt (may be NULL) gets the revoked receipt. */
enum mock_err store_receipt_revoke(struct store *s, int tid, bool external, const char *key,
                                   int64_t now, struct receipt *ret_receipt);

/* Stores c as a new verification under a fresh imp_uid ("imp_" + 12 digits,
 * unused by any verification or payment of the tenant); ret_cert gets it. */
enum mock_err store_cert_insert(struct store *s, int tid, const struct certification *c,
                                struct certification *ret_cert);
/* MOCK_CERT_NOT_FOUND when the tenant has no verification imp_uid. */
enum mock_err store_cert_get(struct store *s, int tid, const char *imp_uid,
                             struct certification *ret_cert);
/* Marks verification imp_uid certified at `now`: MOCK_CERT_NOT_FOUND,
 * MOCK_CERT_ALREADY when it is. ret_cert gets it as certified. */
enum mock_err store_cert_certify(struct store *s, int tid, const char *imp_uid, int64_t now,
                                 struct certification *ret_cert);
/* Forgets verification imp_uid; ret_cert gets it as it was. MOCK_CERT_NOT_FOUND. */
enum mock_err store_cert_delete(struct store *s, int tid, const char *imp_uid,
                                struct certification *ret_cert);

/* The shipping record of payment imp_uid: MOCK_ESCROW_LOGIS_NONE. */
enum mock_err store_logis_get(struct store *s, int tid, const char *imp_uid,
                              struct escrow_logis *ret_logis);
/* create: stores l unless its payment has one (MOCK_ESCROW_LOGIS_EXISTS);
 * else replaces the one it has (MOCK_ESCROW_LOGIS_NONE when none). */
enum mock_err store_logis_put(struct store *s, int tid, const struct escrow_logis *l, bool create);

/* Copies of every record of tenant tid of one of these kinds, in insertion
 * order (malloc'd arrays, free()); receipts of both kinds in one list. */
enum mock_err store_receipt_list(struct store *s, int tid, struct receipt **ret_list,
                                 size_t *ret_n);
enum mock_err store_cert_list(struct store *s, int tid, struct certification **ret_list,
                              size_t *ret_n);
enum mock_err store_logis_list(struct store *s, int tid, struct escrow_logis **ret_list,
                               size_t *ret_n);
/* Puts back one record as logged or exported (ev: RECEIPT, CERT, CERT_DEL
 * or LOGIS): stores it as it is, replacing the record of the same key (or
 * deletes it), and logs the change. For replay (store_apply) and import. */
enum mock_err store_document_restore(struct store *s, const struct store_event *ev);

#endif
