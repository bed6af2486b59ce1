/*
 * test_store.c - mock/state/store.c: tenants, the access-token lifetime rules driven
 * by explicit `now` values, payments (insert/get/replace/query with paging,
 * sorting and filters), order claims, pre-registrations and billing keys,
 * the change events a sink receives and store_apply replays, and when the
 * lock is tried before a waiter sleeps.
 */
#define _GNU_SOURCE /* sched_setaffinity */
#include "state/ids.h"
#include "state/store.h"
#include "state/store_internal.h" /* the lock's policy */
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1700000000

static const char TOK_A[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char TOK_B[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
static const char TOK_C[] = "cccccccccccccccccccccccccccccccccccccccc";

/* ---- tenants ---- */

static void test_tenants(void **state)
{
    struct unit_world *f = *state;
    struct merchant m;
    int tid = -1;
    assert_int_not_equal(f->a, f->b);
    assert_true(store_tenant_by_key(f->s, "key-b", &tid, &m));
    assert_int_equal(tid, f->b);
    assert_string_equal(m.merchant_code, "imp-b");
    assert_string_equal(m.imp_secret, "secret-key-b");
    assert_true(store_tenant_by_code(f->s, "imp-a", &tid, NULL));
    assert_int_equal(tid, f->a);
    assert_false(store_tenant_by_key(f->s, "nobody", &tid, NULL));
    assert_false(store_tenant_merchant(f->s, 99, &m));
    /* a key or a merchant code may be used once */
    unit_merchant(&m, "key-a", "imp-new");
    assert_int_equal(store_tenant_add(f->s, &m, NULL), MOCK_BAD_PARAM);
    unit_merchant(&m, "key-new", "imp-a");
    assert_int_equal(store_tenant_add(f->s, &m, NULL), MOCK_BAD_PARAM);
    unit_merchant(&m, "key-c", "");
    assert_int_equal(store_tenant_add(f->s, &m, &tid), MOCK_OK);
    assert_int_equal(tid, 2);
}

/* A removed tenant is freed and its id goes to the next tenant: adding and
 * removing tenants over and over keeps the slots (and the memory) bounded;
 * the old id knows nothing of the new tenant's predecessor. */
static void test_removed_slots_are_reused(void **state)
{
    struct unit_world *f = *state;
    struct merchant m;
    size_t slots = store_tenant_count(f->s);
    char key[32];
    for (int round = 0; round < 1000; round++) {
        snprintf(key, sizeof key, "key-round-%d", round);
        unit_merchant(&m, key, "");
        int tid = -1;
        assert_int_equal(store_tenant_add(f->s, &m, &tid), MOCK_OK);
        char tok[IDS_TOKEN_LEN + 1];
        int64_t exp;
        store_token_issue(f->s, tid, 1700000000, TOK_C, tok, &exp);
        store_tenant_remove(f->s, tid);
        assert_false(store_tenant_by_key(f->s, key, NULL, NULL));
        assert_false(store_token_lookup(f->s, TOK_C, 1700000001, &tid));
    }
    assert_int_equal(store_tenant_count(f->s), slots + 1);
    /* the free slot reads as removed, with nothing in it */
    bool removed = false;
    char tok[IDS_TOKEN_LEN + 1] = "x";
    int64_t exp = -1;
    assert_true(store_tenant_slot(f->s, (int)slots, &m, &removed, tok, &exp));
    assert_true(removed);
    assert_string_equal(m.imp_key, "");
    assert_string_equal(tok, "");
}

/* ---- tokens ---- */

static void issue(struct unit_world *f, int tid, int64_t now, const char *candidate,
                  const char *want_token, int64_t want_expiry)
{
    char tok[IDS_TOKEN_LEN + 1] = "";
    int64_t exp = -1;
    store_token_issue(f->s, tid, now, candidate, tok, &exp);
    assert_string_equal(tok, want_token);
    assert_int_equal(exp, want_expiry);
}

static void test_token_issue_and_reuse(void **state)
{
    struct unit_world *f = *state;
    int tid = -1;
    issue(f, f->a, T0, TOK_A, TOK_A, T0 + 1800);
    /* asked again while valid: the same token and the same expiry */
    issue(f, f->a, T0 + 1, TOK_B, TOK_A, T0 + 1800);
    issue(f, f->a, T0 + 1739, TOK_B, TOK_A, T0 + 1800); /* 61 s left: no extension */
    assert_true(store_token_lookup(f->s, TOK_A, T0 + 1799, &tid));
    assert_int_equal(tid, f->a);
    assert_false(store_token_lookup(f->s, TOK_A, T0 + 1800, &tid));
    assert_false(store_token_lookup(f->s, TOK_B, T0, &tid));
}

static void test_token_extension_in_last_minute(void **state)
{
    struct unit_world *f = *state;
    int tid;
    issue(f, f->a, T0, TOK_A, TOK_A, T0 + 1800);
    issue(f, f->a, T0 + 1740, TOK_B, TOK_A, T0 + 2100); /* 60 s left: +5 min */
    issue(f, f->a, T0 + 1741, TOK_B, TOK_A, T0 + 2100); /* once, not per call */
    assert_true(store_token_lookup(f->s, TOK_A, T0 + 2099, &tid));
    issue(f, f->a, T0 + 2099, TOK_B, TOK_A, T0 + 2400); /* last second: again */
    assert_false(store_token_lookup(f->s, TOK_A, T0 + 2400, &tid));
}

static void test_token_expiry_gives_new_token(void **state)
{
    struct unit_world *f = *state;
    int tid = -1;
    issue(f, f->a, T0, TOK_A, TOK_A, T0 + 1800);
    issue(f, f->a, T0 + 1800, TOK_B, TOK_B, T0 + 3600);
    assert_false(store_token_lookup(f->s, TOK_A, T0 + 1800, &tid));
    assert_true(store_token_lookup(f->s, TOK_B, T0 + 1800, &tid));
    assert_int_equal(tid, f->a);
    /* forced expiry drops the token at once */
    store_token_expire(f->s, f->a);
    assert_false(store_token_lookup(f->s, TOK_B, T0 + 1801, &tid));
    issue(f, f->a, T0 + 1802, TOK_C, TOK_C, T0 + 1802 + 1800);
}

static void test_tokens_are_per_tenant(void **state)
{
    struct unit_world *f = *state;
    int tid = -1;
    issue(f, f->a, T0, TOK_A, TOK_A, T0 + 1800);
    issue(f, f->b, T0 + 10, TOK_B, TOK_B, T0 + 1810);
    assert_true(store_token_lookup(f->s, TOK_A, T0 + 20, &tid));
    assert_int_equal(tid, f->a);
    assert_true(store_token_lookup(f->s, TOK_B, T0 + 20, &tid));
    assert_int_equal(tid, f->b);
    store_tenant_clear(f->s, f->b);
    assert_false(store_token_lookup(f->s, TOK_B, T0 + 20, &tid));
    assert_true(store_token_lookup(f->s, TOK_A, T0 + 20, &tid));
    /* an unknown tenant gets nothing */
    issue(f, 42, T0, TOK_C, "", 0);
}

/* ---- payments ---- */

static void pay_init(struct payment *p, const char *imp_uid, const char *muid, enum pay_status st,
                     int64_t started, int64_t amount)
{
    memset(p, 0, sizeof *p);
    snprintf(p->imp_uid, sizeof p->imp_uid, "%s", imp_uid);
    snprintf(p->merchant_uid, sizeof p->merchant_uid, "%s", muid);
    snprintf(p->pay_method, sizeof p->pay_method, "card");
    snprintf(p->currency, sizeof p->currency, "KRW");
    p->status = st;
    p->amount = amount;
    p->card_type = -1;
    p->started_at = started;
    p->updated_at = started;
    if (st == PAY_PAID || st == PAY_CANCELLED)
        p->paid_at = p->updated_at = started + 30;
    if (st == PAY_FAILED)
        p->failed_at = p->updated_at = started + 20;
    if (st == PAY_CANCELLED)
        p->cancelled_at = p->updated_at = started + 100;
}

static bool is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[n] == '\0';
}

static void test_payment_insert_and_get(void **state)
{
    struct unit_world *f = *state;
    struct payment p, got, stored;
    pay_init(&p, "", "order-1", PAY_PAID, T0, 1000);
    assert_true(str_set(&p.name, "주문명"));
    assert_int_equal(store_payment_insert(f->s, f->a, &p, false, &stored), MOCK_OK);
    /* a generated window id: imp_ + 12 digits */
    assert_int_equal(strlen(stored.imp_uid), 16);
    assert_memory_equal(stored.imp_uid, "imp_", 4);
    assert_true(is_digits(stored.imp_uid + 4, 12));
    assert_int_equal(stored.version, 1);

    assert_int_equal(store_payment_get(f->s, f->a, stored.imp_uid, &got), MOCK_OK);
    assert_string_equal(got.merchant_uid, "order-1");
    assert_int_equal(got.amount, 1000);
    assert_int_equal(got.status, PAY_PAID);
    assert_string_equal(got.name, "주문명");
    /* deep copies: the caller's strings are its own */
    assert_ptr_not_equal(got.name, stored.name);
    assert_ptr_not_equal(got.name, p.name);
    got.name[0] = 'X';
    payment_fini(&got);
    assert_int_equal(store_payment_get(f->s, f->a, stored.imp_uid, &got), MOCK_OK);
    assert_string_equal(got.name, "주문명");
    payment_fini(&got);

    /* other tenants and unknown ids see nothing */
    assert_int_equal(store_payment_get(f->s, f->b, stored.imp_uid, &got), MOCK_PAYMENT_NOT_FOUND);
    assert_int_equal(store_payment_get(f->s, f->a, "imp_000000000000", &got),
                     MOCK_PAYMENT_NOT_FOUND);

    /* API payments get imps_ + 12 digits */
    struct payment api;
    payment_fini(&p);
    pay_init(&p, "", "order-2", PAY_PAID, T0, 500);
    assert_int_equal(store_payment_insert(f->s, f->a, &p, true, &api), MOCK_OK);
    assert_int_equal(strlen(api.imp_uid), 17);
    assert_memory_equal(api.imp_uid, "imps_", 5);
    assert_true(is_digits(api.imp_uid + 5, 12));

    /* a chosen imp_uid may be used once per tenant */
    struct payment dup;
    pay_init(&dup, stored.imp_uid, "order-3", PAY_READY, T0, 1);
    assert_int_equal(store_payment_insert(f->s, f->a, &dup, false, NULL), MOCK_BAD_PARAM);
    assert_int_equal(store_payment_insert(f->s, f->b, &dup, false, NULL), MOCK_OK);
    assert_int_equal(store_payment_insert(f->s, 42, &dup, false, NULL), MOCK_INTERNAL);
    payment_fini(&api);
    payment_fini(&stored);
    payment_fini(&p);
}

static void test_payment_replace_checks_version(void **state)
{
    struct unit_world *f = *state;
    struct payment p, cur, later;
    pay_init(&p, "imp_100000000001", "order-1", PAY_READY, T0, 1000);
    assert_int_equal(store_payment_insert(f->s, f->a, &p, false, &cur), MOCK_OK);
    assert_int_equal(store_payment_get(f->s, f->a, p.imp_uid, &later), MOCK_OK);
    cur.status = PAY_PAID;
    cur.paid_at = T0 + 5;
    assert_int_equal(store_payment_replace(f->s, f->a, &cur), MOCK_OK);
    /* the second writer read version 1 too: refused */
    later.status = PAY_FAILED;
    assert_int_equal(store_payment_replace(f->s, f->a, &later), MOCK_IN_PROGRESS);
    payment_fini(&later);
    assert_int_equal(store_payment_get(f->s, f->a, p.imp_uid, &later), MOCK_OK);
    assert_int_equal(later.status, PAY_PAID);
    assert_int_equal(later.paid_at, T0 + 5);
    assert_int_equal(later.version, 2);
    payment_fini(&later);
    payment_fini(&cur);
    pay_init(&p, "imp_999999999999", "x", PAY_READY, T0, 1);
    assert_int_equal(store_payment_replace(f->s, f->a, &p), MOCK_PAYMENT_NOT_FOUND);
}

/* 25 payments: started T0+i*10, status i%4, order "o<i/5>" (5 per order). */
static void seed_25(struct unit_world *f)
{
    for (int i = 0; i < 25; i++) {
        struct payment p;
        char uid[32], muid[32];
        snprintf(uid, sizeof uid, "imp_1000000000%02d", i);
        snprintf(muid, sizeof muid, "o%d", i / 5);
        pay_init(&p, uid, muid, (enum pay_status)(i % 4), T0 + i * 10, 100 + i);
        assert_int_equal(store_payment_insert(f->s, f->a, &p, false, NULL), MOCK_OK);
    }
}

static void query(struct unit_world *f, const struct pay_query *q, size_t want_total,
                  const char *want_first, size_t want_n, struct pay_page *ret)
{
    assert_int_equal(store_payment_query(f->s, f->a, q, ret), MOCK_OK);
    assert_int_equal(ret->total, want_total);
    assert_int_equal(ret->n, want_n);
    if (want_first)
        assert_string_equal(ret->items[0].imp_uid, want_first);
}

static void test_payment_query_paging_and_sorting(void **state)
{
    struct unit_world *f = *state;
    struct pay_page pg;
    seed_25(f);
    struct pay_query q = {
        .status = -1, .sort = SORT_STARTED, .descending = true, .page = 1, .limit = 10};
    query(f, &q, 25, "imp_100000000024", 10, &pg);
    assert_string_equal(pg.items[9].imp_uid, "imp_100000000015");
    store_page_free(&pg);
    q.page = 3;
    query(f, &q, 25, "imp_100000000004", 5, &pg);
    assert_string_equal(pg.items[4].imp_uid, "imp_100000000000");
    store_page_free(&pg);
    q.page = 4; /* past the end: total still counted, nothing listed */
    query(f, &q, 25, NULL, 0, &pg);
    assert_null(pg.items);
    store_page_free(&pg);

    q.page = 1;
    q.descending = false;
    query(f, &q, 25, "imp_100000000000", 10, &pg);
    store_page_free(&pg);

    /* limit 0 and page 0 mean the defaults (20, first page) */
    q.page = 0;
    q.limit = 0;
    query(f, &q, 25, "imp_100000000000", 20, &pg);
    store_page_free(&pg);
}

static void test_payment_query_sort_keys(void **state)
{
    struct unit_world *f = *state;
    struct pay_page pg;
    struct payment p;
    /* started and paid order disagree: B started later but was paid first */
    pay_init(&p, "imp_200000000001", "sort", PAY_PAID, T0, 1);
    p.paid_at = T0 + 500;
    p.updated_at = T0 + 900;
    assert_int_equal(store_payment_insert(f->s, f->a, &p, false, NULL), MOCK_OK);
    pay_init(&p, "imp_200000000002", "sort", PAY_PAID, T0 + 100, 1);
    p.paid_at = T0 + 200;
    p.updated_at = T0 + 300;
    assert_int_equal(store_payment_insert(f->s, f->a, &p, false, NULL), MOCK_OK);
    struct pay_query q = {.status = -1, .merchant_uid = "sort", .page = 1, .limit = 1};
    q.sort = SORT_STARTED;
    q.descending = true;
    query(f, &q, 2, "imp_200000000002", 1, &pg);
    store_page_free(&pg);
    q.sort = SORT_PAID;
    query(f, &q, 2, "imp_200000000001", 1, &pg);
    store_page_free(&pg);
    q.descending = false;
    query(f, &q, 2, "imp_200000000002", 1, &pg);
    store_page_free(&pg);
    q.sort = SORT_UPDATED;
    q.descending = true;
    query(f, &q, 2, "imp_200000000001", 1, &pg);
    store_page_free(&pg);
}

static void test_payment_query_filters(void **state)
{
    struct unit_world *f = *state;
    struct pay_page pg;
    seed_25(f);
    struct pay_query q = {
        .status = PAY_PAID, .sort = SORT_STARTED, .descending = true, .page = 1, .limit = 100};
    /* i % 4 == 1: 1, 5, 9, 13, 17, 21 */
    query(f, &q, 6, "imp_100000000021", 6, &pg);
    for (size_t i = 0; i < pg.n; i++)
        assert_int_equal(pg.items[i].status, PAY_PAID);
    store_page_free(&pg);
    /* statuses add up to all */
    size_t sum = 0;
    for (int st = 0; st < PAY__COUNT; st++) {
        q.status = st;
        assert_int_equal(store_payment_query(f->s, f->a, &q, &pg), MOCK_OK);
        sum += pg.total;
        store_page_free(&pg);
    }
    assert_int_equal(sum, 25);

    /* one order's chain: o2 holds i = 10..14 */
    q.status = -1;
    q.merchant_uid = "o2";
    query(f, &q, 5, "imp_100000000014", 5, &pg);
    assert_string_equal(pg.items[4].imp_uid, "imp_100000000010");
    store_page_free(&pg);
    q.status = PAY_READY; /* i = 12 */
    query(f, &q, 1, "imp_100000000012", 1, &pg);
    store_page_free(&pg);
    q.merchant_uid = "no-such-order";
    query(f, &q, 0, NULL, 0, &pg);
    store_page_free(&pg);

    /* the time filter reads the time of each payment's current status, inclusive:
     * ready i=0 started T0; paid i=1 paid T0+40; failed i=2 failed T0+40;
     * cancelled i=3 cancelled T0+130; ready i=4 started T0+40 */
    q.merchant_uid = NULL;
    q.status = -1;
    q.descending = false;
    q.time_filter = true;
    q.from = T0;
    q.to = T0 + 40;
    query(f, &q, 4, "imp_100000000000", 4, &pg);
    assert_string_equal(pg.items[1].imp_uid, "imp_100000000001");
    assert_string_equal(pg.items[2].imp_uid, "imp_100000000002");
    assert_string_equal(pg.items[3].imp_uid, "imp_100000000004");
    store_page_free(&pg);
    q.from = T0 + 130;
    q.to = T0 + 130;
    query(f, &q, 1, "imp_100000000003", 1, &pg);
    store_page_free(&pg);
    /* other tenants have none of these */
    q.time_filter = false;
    assert_int_equal(store_payment_query(f->s, f->b, &q, &pg), MOCK_OK);
    assert_int_equal(pg.total, 0);
    store_page_free(&pg);
}

/* ---- orders ---- */

static void test_order_claims(void **state)
{
    struct unit_world *f = *state;
    assert_int_equal(store_order_reserve(f->s, f->a, "ord"), MOCK_OK);
    assert_int_equal(store_order_reserve(f->s, f->a, "ord"), MOCK_IN_PROGRESS);
    assert_int_equal(store_order_reserve(f->s, f->b, "ord"), MOCK_OK); /* per tenant */
    store_order_release(f->s, f->a, "ord");
    assert_int_equal(store_order_reserve(f->s, f->a, "ord"), MOCK_OK);
    store_order_release(f->s, f->a, "ord");
    store_order_release(f->s, f->a, "never-claimed"); /* harmless */

    /* a failed attempt leaves the order open; a paid (or cancelled) one closes it */
    struct payment p;
    pay_init(&p, "", "ord", PAY_FAILED, T0, 1000);
    assert_int_equal(store_payment_insert(f->s, f->a, &p, false, NULL), MOCK_OK);
    assert_int_equal(store_order_check(f->s, f->a, "ord"), MOCK_OK);
    assert_int_equal(store_order_reserve(f->s, f->a, "ord"), MOCK_OK);
    pay_init(&p, "", "ord", PAY_PAID, T0 + 5, 1000);
    assert_int_equal(store_payment_insert(f->s, f->a, &p, false, NULL), MOCK_OK);
    store_order_release(f->s, f->a, "ord");
    assert_int_equal(store_order_check(f->s, f->a, "ord"), MOCK_ALREADY_PAID);
    assert_int_equal(store_order_reserve(f->s, f->a, "ord"), MOCK_ALREADY_PAID);

    pay_init(&p, "", "ord-c", PAY_CANCELLED, T0, 1000);
    assert_int_equal(store_payment_insert(f->s, f->a, &p, false, NULL), MOCK_OK);
    assert_int_equal(store_order_reserve(f->s, f->a, "ord-c"), MOCK_ALREADY_PAID);
    assert_int_equal(store_order_check(f->s, f->b, "ord-c"), MOCK_OK);

    /* paid wins over under way, and a refused claim is not kept */
    assert_int_equal(store_order_reserve(f->s, f->b, "ord-p"), MOCK_OK);
    pay_init(&p, "", "ord-p", PAY_PAID, T0, 1000);
    assert_int_equal(store_payment_insert(f->s, f->b, &p, false, NULL), MOCK_OK);
    assert_int_equal(store_order_reserve(f->s, f->b, "ord-p"), MOCK_ALREADY_PAID);
    store_order_release(f->s, f->b, "ord-p");
    store_tenant_clear(f->s, f->b);
    assert_int_equal(store_order_reserve(f->s, f->b, "ord-p"), MOCK_OK);

    /* emptying a tenant drops the claims of its charges under way */
    assert_int_equal(store_order_reserve(f->s, f->b, "ord-q"), MOCK_OK);
    store_tenant_clear(f->s, f->b);
    assert_int_equal(store_order_reserve(f->s, f->b, "ord-q"), MOCK_OK);
    assert_int_equal(store_order_reserve(f->s, f->b, "ord-p"), MOCK_OK);
    store_order_release(f->s, f->b, "ord-p");
    store_order_release(f->s, f->b, "ord-q");
}

/* A charge on a billing key claims its order and counts the key in one
 * step; store_order_settle stores its payment and ends the claim. */
static void test_claim_with_key(void **state)
{
    struct unit_world *f = *state;
    struct customer c, got;
    uint64_t n = 0;
    unit_customer(&c, "cust-k", T0);
    assert_int_equal(store_customer_put(f->s, f->a, &c, NULL), MOCK_OK);
    /* no key: nothing claimed */
    assert_int_equal(store_order_reserve_key(f->s, f->a, "ord-k", "nobody", &got, &n),
                     MOCK_CUSTOMER_UNKNOWN);
    assert_int_equal(store_order_reserve(f->s, f->a, "ord-k"), MOCK_OK);
    /* the order taken: refused, and the key not counted */
    assert_int_equal(store_order_reserve_key(f->s, f->a, "ord-k", "cust-k", &got, &n),
                     MOCK_IN_PROGRESS);
    store_order_release(f->s, f->a, "ord-k");
    assert_int_equal(store_order_reserve_key(f->s, f->a, "ord-k", "cust-k", &got, &n), MOCK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(got.customer_uid, "cust-k");
    customer_fini(&got);
    assert_int_equal(store_order_reserve(f->s, f->a, "ord-k"), MOCK_IN_PROGRESS);
    /* a declined payment settles the order: stored, claim gone, order open */
    struct payment p, stored, got_pay;
    pay_init(&p, "", "ord-k", PAY_FAILED, T0, 1000);
    assert_int_equal(store_order_settle(f->s, f->a, &p, &stored), MOCK_OK);
    assert_int_equal(store_payment_get(f->s, f->a, stored.imp_uid, &got_pay), MOCK_OK);
    payment_fini(&got_pay);
    payment_fini(&stored);
    assert_int_equal(store_order_reserve_key(f->s, f->a, "ord-k", "cust-k", &got, &n), MOCK_OK);
    assert_int_equal(n, 2);
    customer_fini(&got);
    /* a paid one closes it */
    pay_init(&p, "", "ord-k", PAY_PAID, T0 + 1, 1000);
    assert_int_equal(store_order_settle(f->s, f->a, &p, NULL), MOCK_OK);
    assert_int_equal(store_order_reserve_key(f->s, f->a, "ord-k", "cust-k", &got, &n),
                     MOCK_ALREADY_PAID);
    assert_int_equal(store_order_check(f->s, f->a, "ord-k"), MOCK_ALREADY_PAID);
}

/* A tenant made on the fly is not evicted while a charge of it is under way,
 * and is once the charge ends with nothing stored. */
static void test_claim_keeps_open_tenant(void **state)
{
    struct unit_world *f = *state;
    struct merchant m;
    int first = -1, second = -1, *evicted = NULL;
    size_t n_evicted = 0;
    unit_merchant(&m, "fly-1", "");
    m.on_the_fly = true;
    assert_int_equal(store_tenant_add_open(f->s, &m, 1, T0, &first, &evicted, &n_evicted), MOCK_OK);
    free(evicted);
    assert_int_equal(store_order_reserve(f->s, first, "ord"), MOCK_OK);
    unit_merchant(&m, "fly-2", "");
    m.on_the_fly = true;
    evicted = NULL;
    assert_int_equal(store_tenant_add_open(f->s, &m, 1, T0, &second, &evicted, &n_evicted),
                     MOCK_TENANT_LIMIT);
    free(evicted);
    store_order_release(f->s, first, "ord");
    evicted = NULL;
    n_evicted = 0;
    assert_int_equal(store_tenant_add_open(f->s, &m, 1, T0, &second, &evicted, &n_evicted),
                     MOCK_OK);
    assert_int_equal(n_evicted, 1);
    assert_int_equal(evicted[0], first);
    free(evicted);
}

/* ---- pre-registrations ---- */

static void test_prepare(void **state)
{
    struct unit_world *f = *state;
    struct prepare p, got;
    memset(&p, 0, sizeof p);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "order-p");
    p.amount = 1000;
    assert_int_equal(store_prepare_get(f->s, f->a, "order-p", &got), MOCK_PREPARE_NOT_FOUND);
    assert_int_equal(store_prepare_put(f->s, f->a, &p, true), MOCK_PREPARE_NOT_FOUND);
    assert_int_equal(store_prepare_put(f->s, f->a, &p, false), MOCK_OK);
    assert_int_equal(store_prepare_put(f->s, f->a, &p, false), MOCK_PREPARE_EXISTS);
    assert_int_equal(store_prepare_get(f->s, f->a, "order-p", &got), MOCK_OK);
    assert_int_equal(got.amount, 1000);
    assert_string_equal(got.currency, "");
    p.amount = 2500;
    snprintf(p.currency, sizeof p.currency, "KRW");
    assert_int_equal(store_prepare_put(f->s, f->a, &p, true), MOCK_OK);
    assert_int_equal(store_prepare_get(f->s, f->a, "order-p", &got), MOCK_OK);
    assert_int_equal(got.amount, 2500);
    assert_string_equal(got.currency, "KRW");
    assert_int_equal(store_prepare_get(f->s, f->b, "order-p", &got), MOCK_PREPARE_NOT_FOUND);
    /* many entries: the index keeps finding each one after it grows */
    for (int i = 0; i < 200; i++) {
        snprintf(p.merchant_uid, sizeof p.merchant_uid, "bulk-%d", i);
        p.amount = i;
        assert_int_equal(store_prepare_put(f->s, f->a, &p, false), MOCK_OK);
    }
    for (int i = 0; i < 200; i++) {
        char muid[32];
        snprintf(muid, sizeof muid, "bulk-%d", i);
        assert_int_equal(store_prepare_get(f->s, f->a, muid, &got), MOCK_OK);
        assert_int_equal(got.amount, i);
    }
}

/* ---- billing keys ---- */

static void test_customers(void **state)
{
    struct unit_world *f = *state;
    struct customer c, got;
    uint64_t n = 0;
    unit_customer(&c, "cust-1", T0);
    assert_true(str_set(&c.card_number, "424242******4242"));
    assert_int_equal(store_customer_get(f->s, f->a, "cust-1", &got), MOCK_CUSTOMER_NOT_FOUND);
    assert_int_equal(store_customer_put(f->s, f->a, &c, NULL), MOCK_OK);
    assert_int_equal(store_customer_get(f->s, f->a, "cust-1", &got), MOCK_OK);
    assert_string_equal(got.card_number, "424242******4242");
    assert_ptr_not_equal(got.card_number, c.card_number);
    customer_fini(&got);
    assert_int_equal(store_customer_get(f->s, f->b, "cust-1", &got), MOCK_CUSTOMER_NOT_FOUND);

    assert_int_equal(store_customer_count_charge(f->s, f->a, "cust-1", &n), MOCK_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_customer_count_charge(f->s, f->a, "cust-1", &n), MOCK_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_customer_count_charge(f->s, f->a, "nobody", &n), MOCK_CUSTOMER_UNKNOWN);

    /* re-issuing keeps `inserted` and restarts the charge count */
    struct customer again;
    unit_customer(&again, "cust-1", T0 + 60);
    assert_true(str_set(&again.card_number, "400000******0002"));
    assert_int_equal(store_customer_put(f->s, f->a, &again, &got), MOCK_OK);
    assert_int_equal(got.inserted, T0);
    assert_int_equal(got.updated, T0 + 60);
    assert_string_equal(got.card_number, "400000******0002");
    customer_fini(&got);
    assert_int_equal(store_customer_count_charge(f->s, f->a, "cust-1", &n), MOCK_OK);
    assert_int_equal(n, 1);

    /* delete hands the record over, then it is gone */
    assert_int_equal(store_customer_delete(f->s, f->a, "cust-1", &got), MOCK_OK);
    assert_string_equal(got.customer_uid, "cust-1");
    assert_string_equal(got.card_number, "400000******0002");
    customer_fini(&got);
    assert_int_equal(store_customer_get(f->s, f->a, "cust-1", &got), MOCK_CUSTOMER_NOT_FOUND);
    assert_int_equal(store_customer_delete(f->s, f->a, "cust-1", &got), MOCK_CUSTOMER_NOT_FOUND);
    /* and may be issued again */
    assert_int_equal(store_customer_put(f->s, f->a, &c, NULL), MOCK_OK);
    assert_int_equal(store_customer_get(f->s, f->a, "cust-1", &got), MOCK_OK);
    assert_int_equal(got.inserted, T0);
    customer_fini(&got);
    customer_fini(&again);
    customer_fini(&c);
}

/* ---- change events and replay ---- */

#define LOG_MAX 32

/* A sink that keeps deep copies of what it is given, or refuses all. */
struct event_log {
    struct store_event ev[LOG_MAX];
    size_t n;
    bool refuse;
};

static bool log_sink(void *ud, const struct store_event *ev)
{
    struct event_log *log = ud;
    if (log->refuse || log->n == LOG_MAX)
        return false;
    struct store_event *e = &log->ev[log->n];
    *e = *ev;
    if (!payment_copy(&e->payment, &ev->payment) || !customer_copy(&e->customer, &ev->customer) ||
        !schedule_copy(&e->schedule, &ev->schedule))
        return false;
    log->n++;
    return true;
}

static struct schedule sched_item(const char *mid, const char *cust, int64_t at)
{
    struct schedule sc;
    memset(&sc, 0, sizeof sc);
    snprintf(sc.merchant_uid, sizeof sc.merchant_uid, "%s", mid);
    snprintf(sc.customer_uid, sizeof sc.customer_uid, "%s", cust);
    snprintf(sc.currency, sizeof sc.currency, "KRW");
    sc.schedule_at = at;
    sc.amount = 9900;
    sc.payment_status = -1;
    return sc;
}

/* One of each change, as the sink sees it, in order. */
static void make_changes(struct store *s, char *ret_imp_uid)
{
    struct merchant m;
    char tok[41];
    int64_t exp;
    int tid = -1;
    unit_merchant(&m, "key-a", "imp-a");
    assert_int_equal(store_tenant_add(s, &m, &tid), MOCK_OK);
    store_token_issue(s, tid, T0, TOK_A, tok, &exp);
    store_token_issue(s, tid, T0 + 1, NULL, tok, &exp); /* unchanged: no event */

    struct payment p, stored;
    pay_init(&p, "", "order-1", PAY_PAID, T0, 1000);
    assert_int_equal(store_payment_insert(s, tid, &p, true, &stored), MOCK_OK);
    snprintf(ret_imp_uid, IMP_UID_MAX + 1, "%s", stored.imp_uid);
    stored.status = PAY_CANCELLED;
    assert_int_equal(store_payment_replace(s, tid, &stored), MOCK_OK);
    payment_fini(&stored);

    struct prepare pr = {.merchant_uid = "order-2", .amount = 1000};
    assert_int_equal(store_prepare_put(s, tid, &pr, false), MOCK_OK);
    pr.amount = 2000;
    assert_int_equal(store_prepare_put(s, tid, &pr, true), MOCK_OK);

    struct customer c, got;
    uint64_t n;
    unit_customer(&c, "cust-1", T0);
    assert_int_equal(store_customer_put(s, tid, &c, NULL), MOCK_OK);
    assert_int_equal(store_order_reserve_key(s, tid, "order-k", "cust-1", &got, &n), MOCK_OK);
    store_order_release(s, tid, "order-k");
    customer_fini(&got);
    unit_customer(&c, "cust-2", T0);
    assert_int_equal(store_customer_put(s, tid, &c, NULL), MOCK_OK);
    assert_int_equal(store_customer_delete(s, tid, "cust-2", &got), MOCK_OK);
    customer_fini(&got);

    struct schedule items[2] = {sched_item("sub-1", "cust-1", T0 + 60),
                                sched_item("sub-2", "cust-1", T0 + 120)};
    assert_int_equal(store_schedule_add(s, tid, items, 2, NULL, NULL), MOCK_OK);
    struct sched_claim claim;
    assert_int_equal(store_schedule_claim_due(s, T0 + 60, 1, &claim), 1);
    struct sched_result res = {
        .executed_at = T0 + 60, .payment_status = PAY_FAILED, .fail_reason = "한도초과"};
    store_schedule_finish(s, &claim, &res);
    sched_claim_fini(&claim);

    store_note_clock(s, true, T0 + 60);
    store_token_expire(s, tid);
    unit_merchant(&m, "key-b", "imp-b");
    assert_int_equal(store_tenant_add(s, &m, &tid), MOCK_OK);
    store_tenant_remove(s, tid);
}

static void test_change_events_and_replay(void **state)
{
    (void)state;
    struct event_log *log = calloc(1, sizeof *log);
    struct store *s = store_new(), *copy = store_new();
    char imp_uid[IMP_UID_MAX + 1];
    assert_non_null(log);
    store_set_sink(s, log_sink, log);
    make_changes(s, imp_uid);

    static const enum store_event_kind want[] = {
        STORE_EV_TENANT_ADD,   STORE_EV_TOKEN,        STORE_EV_PAYMENT,  STORE_EV_PAYMENT,
        STORE_EV_PREPARE,      STORE_EV_PREPARE,      STORE_EV_CUSTOMER, STORE_EV_CUSTOMER,
        STORE_EV_CUSTOMER,     STORE_EV_CUSTOMER_DEL, STORE_EV_SCHEDULE, STORE_EV_SCHEDULE,
        STORE_EV_SCHEDULE,     STORE_EV_CLOCK,        STORE_EV_TOKEN,    STORE_EV_TENANT_ADD,
        STORE_EV_TENANT_REMOVE};
    assert_int_equal(log->n, sizeof want / sizeof *want);
    for (size_t i = 0; i < log->n; i++)
        assert_int_equal(log->ev[i].kind, want[i]);
    /* each carries the new values */
    assert_string_equal(log->ev[0].merchant.imp_key, "key-a");
    assert_string_equal(log->ev[1].token, TOK_A);
    assert_int_equal(log->ev[1].token_expires_at, T0 + STORE_TOKEN_TTL);
    assert_string_equal(log->ev[3].payment.imp_uid, imp_uid);
    assert_int_equal(log->ev[3].payment.status, PAY_CANCELLED);
    assert_int_equal(log->ev[3].payment.version, 2);
    assert_int_equal(log->ev[5].prepare.amount, 2000);
    assert_int_equal(log->ev[7].customer.charges, 1);
    assert_string_equal(log->ev[9].key, "cust-2");
    assert_string_equal(log->ev[12].schedule.merchant_uid, "sub-1");
    assert_int_equal(log->ev[12].schedule.status, SCHED_EXECUTED);
    assert_false(log->ev[12].schedule.running);
    assert_true(log->ev[13].clock_frozen);
    assert_int_equal(log->ev[13].clock_value, T0 + 60);
    assert_string_equal(log->ev[14].token, "");
    assert_int_equal(log->ev[16].tid, 1);

    /* replayed, twice (a log may repeat what a snapshot holds): the same state */
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < log->n; i++)
            assert_int_equal(store_apply(copy, &log->ev[i]), MOCK_OK);
    struct payment p;
    assert_int_equal(store_payment_get(copy, 0, imp_uid, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_CANCELLED);
    payment_fini(&p);
    struct pay_page all;
    assert_int_equal(store_payment_all(copy, 0, &all), MOCK_OK);
    assert_int_equal(all.n, 1);
    store_page_free(&all);
    struct prepare pr;
    assert_int_equal(store_prepare_get(copy, 0, "order-2", &pr), MOCK_OK);
    assert_int_equal(pr.amount, 2000);
    struct customer c;
    assert_int_equal(store_customer_get(copy, 0, "cust-1", &c), MOCK_OK);
    assert_int_equal(c.charges, 1);
    customer_fini(&c);
    assert_int_equal(store_customer_get(copy, 0, "cust-2", &c), MOCK_CUSTOMER_NOT_FOUND);
    struct schedule sc;
    assert_int_equal(store_schedule_get(copy, 0, "sub-1", &sc), MOCK_OK);
    assert_int_equal(sc.status, SCHED_EXECUTED);
    assert_string_equal(sc.fail_reason, "한도초과");
    schedule_fini(&sc);
    assert_int_equal(store_schedule_pending(copy), 1); /* sub-2, once */
    int tid;
    assert_false(store_token_lookup(copy, TOK_A, T0 + 1, &tid));
    assert_int_equal(store_tenant_count(copy), 2);
    assert_false(store_tenant_by_key(copy, "key-b", &tid, NULL));

    for (size_t i = 0; i < log->n; i++)
        store_event_fini(&log->ev[i]);
    free(log);
    store_free(copy);
    store_free(s);
}

/* A change the sink cannot keep is answered as an internal error. */
static void test_sink_refusal(void **state)
{
    (void)state;
    struct event_log *log = calloc(1, sizeof *log);
    struct store *s = store_new();
    struct merchant m;
    int tid;
    assert_non_null(log);
    store_set_sink(s, log_sink, log);
    unit_merchant(&m, "key-a", "imp-a");
    assert_int_equal(store_tenant_add(s, &m, &tid), MOCK_OK);
    log->refuse = true;

    char tok[41];
    int64_t exp;
    store_token_issue(s, tid, T0, TOK_A, tok, &exp);
    assert_string_equal(tok, "");
    struct payment p;
    pay_init(&p, "", "order-1", PAY_PAID, T0, 1000);
    assert_int_equal(store_payment_insert(s, tid, &p, false, NULL), MOCK_INTERNAL);
    struct customer c;
    unit_customer(&c, "cust-1", T0);
    assert_int_equal(store_customer_put(s, tid, &c, NULL), MOCK_INTERNAL);
    struct schedule item = sched_item("sub-1", "cust-1", T0 + 60);
    assert_int_equal(store_schedule_add(s, tid, &item, 1, NULL, NULL), MOCK_INTERNAL);
    /* what was refused is not kept, and a read publishes nothing */
    log->refuse = false;
    assert_int_equal(store_customer_get(s, tid, "cust-1", &c), MOCK_OK);
    customer_fini(&c);
    assert_int_equal(log->n, 1);

    for (size_t i = 0; i < log->n; i++)
        store_event_fini(&log->ev[i]);
    free(log);
    store_free(s);
}

/* Waiters try the lock a few times before sleeping only when the process
 * may run on several cores: on one, the holder cannot be running meanwhile. */
static void test_lock_tries_only_with_several_cores(void **state)
{
    (void)state;
    cpu_set_t all, one;
    assert_int_equal(sched_getaffinity(0, sizeof all, &all), 0);
    CPU_ZERO(&one);
    for (int c = 0; c < CPU_SETSIZE; c++) {
        if (CPU_ISSET(c, &all)) {
            CPU_SET(c, &one);
            break;
        }
    }
    assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
    struct store *s = store_new();
    assert_int_equal(s->lock_spins, 0);
    store_free(s);
    assert_int_equal(sched_setaffinity(0, sizeof all, &all), 0);
    s = store_new();
    if (CPU_COUNT(&all) > 1)
        assert_true(s->lock_spins > 0);
    else
        assert_int_equal(s->lock_spins, 0);
    store_free(s);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, unit_world_setup, unit_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_tenants),
        T(test_removed_slots_are_reused),
        T(test_token_issue_and_reuse),
        T(test_token_extension_in_last_minute),
        T(test_token_expiry_gives_new_token),
        T(test_tokens_are_per_tenant),
        T(test_payment_insert_and_get),
        T(test_payment_replace_checks_version),
        T(test_payment_query_paging_and_sorting),
        T(test_payment_query_sort_keys),
        T(test_payment_query_filters),
        T(test_order_claims),
        T(test_claim_keeps_open_tenant),
        T(test_claim_with_key),
        T(test_prepare),
        T(test_customers),
        T(test_change_events_and_replay),
        T(test_sink_refusal),
        cmocka_unit_test(test_lock_tries_only_with_several_cores),
    };
#undef T
    return cmocka_run_group_tests_name("store", tests, unit_group_setup, unit_group_teardown);
}
