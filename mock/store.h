/*
 * store.h - all mutable state: tenants (one per merchant key pair), their
 * access tokens, payments, pre-registrations and billing keys, with hash
 * indexes (imp_uid, merchant_uid, customer_uid, token).
 * Owns every record once stored; callers only ever receive deep copies
 * (release them with payment_fini / customer_fini / store_page_free).
 * Thread-safety: callable from any thread. One mutex inside, never held
 * across I/O, logging, cJSON or callbacks.
 */
#ifndef IMPMOCK_STORE_H
#define IMPMOCK_STORE_H

#include "errors.h"
#include "model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

struct store *store_new(void);
void store_free(struct store *s);

/* ---- tenants ---- */

/* Adds a tenant with merchant m (copied). MOCK_BAD_PARAM when imp_key or
 * merchant_code is taken. ret_tid may be NULL. */
enum mock_err store_tenant_add(struct store *s, const struct merchant *m, int *ret_tid);
/* Lookups; ret_m may be NULL. false when unknown. */
bool store_tenant_by_key(struct store *s, const char *imp_key, int *ret_tid,
                         struct merchant *ret_m);
bool store_tenant_by_code(struct store *s, const char *merchant_code, int *ret_tid,
                          struct merchant *ret_m);
bool store_tenant_merchant(struct store *s, int tid, struct merchant *ret_m);
/* Drops every payment, key, prepare and token of tenant tid (its merchant stays). */
void store_tenant_clear(struct store *s, int tid);
/* Forgets tenant tid entirely: its key pair and merchant code become unknown. */
void store_tenant_remove(struct store *s, int tid);
/* Tenant ids are 0 .. store_tenant_count()-1; removed ones answer false to lookups. */
size_t store_tenant_count(struct store *s);

/* ---- access tokens (reference §2) ---- */

#define STORE_TOKEN_TTL       1800 /* 30 minutes */
#define STORE_TOKEN_GRACE     60   /* asked within the last minute ... */
#define STORE_TOKEN_EXTENSION 300  /* ... extends by 5 minutes */

/* Gives tenant tid its token at time `now`: the current one while valid
 * (extended when asked in its last minute), else `candidate` (40 hex chars)
 * as a new 30-minute token. */
void store_token_issue(struct store *s, int tid, int64_t now, const char *candidate,
                       char *ret_token, int64_t *ret_expires_at);
/* true and the tenant when token is current at `now`. */
bool store_token_lookup(struct store *s, const char *token, int64_t now, int *ret_tid);
/* Expires tenant tid's token at once (scenario: forced token expiry). */
void store_token_expire(struct store *s, int tid);

/* ---- payments ---- */

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

/* ---- orders (merchant_uid) ---- */

/* Claims merchant_uid for one charge attempt: MOCK_ALREADY_PAID when a payment
 * of it is paid (or was paid and cancelled), MOCK_IN_PROGRESS while another
 * attempt holds it. Release with store_order_release once stored. */
enum mock_err store_order_reserve(struct store *s, int tid, const char *merchant_uid);
void store_order_release(struct store *s, int tid, const char *merchant_uid);
/* MOCK_ALREADY_PAID or MOCK_OK, without claiming. */
enum mock_err store_order_check(struct store *s, int tid, const char *merchant_uid);

/* ---- pre-registrations (reference §3.8) ---- */

/* update=false: MOCK_PREPARE_EXISTS when registered; update=true: MOCK_PREPARE_NOT_FOUND when not. */
enum mock_err store_prepare_put(struct store *s, int tid, const struct prepare *p, bool update);
enum mock_err store_prepare_get(struct store *s, int tid, const char *merchant_uid,
                                struct prepare *ret_prepare);

/* ---- billing keys (reference §5) ---- */

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

/* Counts one charge attempt with the key and copies the key as it is at that
 * moment, in one step (so the card charged is the card counted).
 * MOCK_CUSTOMER_UNKNOWN when there is no such key. */
enum mock_err store_customer_charge(struct store *s, int tid, const char *customer_uid,
                                    struct customer *ret_customer, uint64_t *ret_count);


/* ---- whole-tenant reads (export, snapshots) ---- */

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

#endif
