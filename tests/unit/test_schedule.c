/*
 * test_schedule.c - schedule items in the store and the executor
 * (mock/store.c, mock/schedule.c): the due order (schedule_at, then
 * insertion, across tenants), claiming up to a time and a count, items
 * revoked or moved meanwhile, duplicates, the lists' filters and paging,
 * reschedule after a failure, and schedule_run_due charging through the
 * billing path with the test cards, dated at each item's due time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/billing.h"
#include "domain/schedule.h"
#include "state/fixtures.h"
#include "state/ids.h"
#include "state/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1704034800LL

static struct fixtures fx; /* the embedded default card table */

struct fixture {
    struct store *s;
    int a, b; /* two tenants */
};

static int setup_all(void **state)
{
    (void)state;
    char err[256];
    if (sodium_init() < 0)
        return -1;
    ids_init(true, 3);
    return fixtures_load(&fx, NULL, err, sizeof err) ? 0 : -1;
}

static int teardown_all(void **state)
{
    (void)state;
    fixtures_fini(&fx);
    return 0;
}

static void merchant_init(struct merchant *m, const char *key, const char *code)
{
    memset(m, 0, sizeof *m);
    snprintf(m->imp_key, sizeof m->imp_key, "%s", key);
    snprintf(m->merchant_code, sizeof m->merchant_code, "%s", code);
    struct channel ch = {.pg_provider = "nice", .pg_id = "nictest04m", .kind = CHANNEL_KEYIN};
    m->channels[0] = ch;
    m->n_channels = 1;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct merchant m;
    if (!f)
        return -1;
    f->s = store_new();
    merchant_init(&m, "key-a", "imp-a");
    if (!f->s || store_tenant_add(f->s, &m, &f->a) != MOCK_OK)
        return -1;
    merchant_init(&m, "key-b", "imp-b");
    if (store_tenant_add(f->s, &m, &f->b) != MOCK_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_free(f->s);
    free(f);
    return 0;
}

static struct schedule item(const char *mid, const char *cust, int64_t at)
{
    struct schedule s;
    memset(&s, 0, sizeof s);
    snprintf(s.merchant_uid, sizeof s.merchant_uid, "%s", mid);
    snprintf(s.customer_uid, sizeof s.customer_uid, "%s", cust);
    snprintf(s.currency, sizeof s.currency, "KRW");
    s.schedule_at = at;
    s.amount = 9900;
    s.payment_status = -1;
    return s;
}

static void add1(struct store *s, int tid, const char *mid, const char *cust, int64_t at)
{
    struct schedule it = item(mid, cust, at);
    assert_int_equal(store_schedule_add(s, tid, &it, 1, NULL, NULL), MOCK_OK);
}

/* Claims everything due at `until` (up to max) and checks the merchant_uids in order. */
static void expect_claims(struct store *s, int64_t until, size_t max, const char *const *mids,
                          size_t n)
{
    struct sched_claim c[16];
    size_t got = store_schedule_claim_due(s, until, max, c);
    assert_int_equal(got, n);
    for (size_t i = 0; i < got; i++) {
        assert_string_equal(c[i].item.merchant_uid, mids[i]);
        sched_claim_fini(&c[i]);
    }
}

static void test_due_order_across_tenants(void **state)
{
    struct fixture *f = *state;
    add1(f->s, f->a, "a300", "ca", 300);
    add1(f->s, f->a, "a100x", "ca", 100);
    add1(f->s, f->a, "a200", "ca", 200);
    add1(f->s, f->a, "a100y", "ca", 100);
    add1(f->s, f->b, "b150", "cb", 150);
    add1(f->s, f->b, "b100", "cb", 100);
    assert_int_equal(store_schedule_pending(f->s), 6);
    /* schedule_at first, then insertion order, whatever the tenant */
    const char *const want[] = {"a100x", "a100y", "b100", "b150", "a200", "a300"};
    expect_claims(f->s, 1000, 16, want, 6);
    assert_int_equal(store_schedule_pending(f->s), 0);
    expect_claims(f->s, 1000, 16, NULL, 0);
}

static void test_claim_until_and_max(void **state)
{
    struct fixture *f = *state;
    add1(f->s, f->a, "m1", "c", 100);
    add1(f->s, f->a, "m2", "c", 100);
    add1(f->s, f->a, "m3", "c", 150);
    add1(f->s, f->a, "m4", "c", 151);
    const char *const first[] = {"m1", "m2"};
    expect_claims(f->s, 150, 2, first, 2);
    const char *const second[] = {"m3"};
    expect_claims(f->s, 150, 16, second, 1);
    expect_claims(f->s, 150, 16, NULL, 0); /* m4 is not due at 150 */
    struct schedule sc;
    assert_int_equal(store_schedule_get(f->s, f->a, "m1", &sc), MOCK_OK);
    assert_true(sc.running); /* claimed, not finished */
    assert_int_equal(sc.status, SCHED_SCHEDULED);
    schedule_fini(&sc);
}

static void test_revoked_and_moved_items(void **state)
{
    struct fixture *f = *state;
    add1(f->s, f->a, "r1", "c", 100);
    add1(f->s, f->a, "r2", "c", 200);
    add1(f->s, f->a, "r3", "c", 300);
    const char *rev[] = {"r2"};
    struct sched_page pg;
    assert_int_equal(store_schedule_revoke(f->s, f->a, "c", rev, 1, 50, &pg), MOCK_OK);
    assert_int_equal(pg.n, 1);
    assert_int_equal(pg.items[0].status, SCHED_REVOKED);
    assert_int_equal(pg.items[0].revoked_at, 50);
    store_sched_page_free(&pg);
    /* revoking again finds nothing */
    assert_int_equal(store_schedule_revoke(f->s, f->a, "c", rev, 1, 60, &pg),
                     MOCK_SCHEDULE_NOTHING);
    struct schedule sc;
    assert_int_equal(store_schedule_move(f->s, f->a, "r3", 50, false, &sc), MOCK_OK);
    assert_int_equal(sc.schedule_at, 50);
    schedule_fini(&sc);
    assert_int_equal(store_schedule_move(f->s, f->a, "r2", 10, false, &sc),
                     MOCK_SCHEDULE_NOT_PENDING);
    assert_int_equal(store_schedule_move(f->s, f->a, "nope", 10, false, &sc),
                     MOCK_SCHEDULE_NOT_FOUND);
    /* r3 runs at its new time, once: its old entry is stale */
    const char *const want[] = {"r3", "r1"};
    expect_claims(f->s, 1000, 16, want, 2);
    /* many moves leave stale entries behind (compacted as they pile up); the
     * item still runs exactly once, at its last time */
    add1(f->s, f->b, "mv", "c", 5000);
    for (int i = 1; i <= 3000; i++) {
        assert_int_equal(store_schedule_move(f->s, f->b, "mv", 5000 + i, false, &sc), MOCK_OK);
        schedule_fini(&sc);
    }
    expect_claims(f->s, 7999, 16, NULL, 0);
    const char *const mv[] = {"mv"};
    expect_claims(f->s, 8000, 16, mv, 1);
    expect_claims(f->s, 100000, 16, NULL, 0);
}

static void test_duplicates_all_or_nothing(void **state)
{
    struct fixture *f = *state;
    struct schedule two[2] = {item("d1", "c", 100), item("d1", "c", 200)};
    size_t bad = 99;
    assert_int_equal(store_schedule_add(f->s, f->a, two, 2, NULL, &bad), MOCK_SCHEDULE_DUPLICATE);
    assert_int_equal(bad, 1);
    struct schedule sc;
    assert_int_equal(store_schedule_get(f->s, f->a, "d1", &sc), MOCK_SCHEDULE_NOT_FOUND);
    add1(f->s, f->a, "d1", "c", 100);
    struct schedule again[2] = {item("d2", "c", 100), item("d1", "c", 200)};
    assert_int_equal(store_schedule_add(f->s, f->a, again, 2, NULL, &bad), MOCK_SCHEDULE_DUPLICATE);
    assert_int_equal(bad, 1);
    assert_int_equal(store_schedule_get(f->s, f->a, "d2", &sc), MOCK_SCHEDULE_NOT_FOUND);
    /* the other tenant has its own merchant_uids */
    add1(f->s, f->b, "d1", "c", 100);
    /* a paid order cannot be scheduled */
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "paid-1");
    p.status = PAY_PAID;
    assert_int_equal(store_payment_insert(f->s, f->a, &p, true, NULL), MOCK_OK);
    struct schedule paid = item("paid-1", "c", 100);
    assert_int_equal(store_schedule_add(f->s, f->a, &paid, 1, NULL, &bad), MOCK_SCHEDULE_DUPLICATE);
}

static void test_query_filters_and_paging(void **state)
{
    struct fixture *f = *state;
    for (int i = 1; i <= 7; i++) {
        char mid[16];
        snprintf(mid, sizeof mid, "q%d", i);
        add1(f->s, f->a, mid, i % 2 ? "odd" : "even", T0 + i * 100);
    }
    const char *rev[] = {"q1"};
    struct sched_page pg;
    assert_int_equal(store_schedule_revoke(f->s, f->a, NULL, rev, 1, T0, &pg), MOCK_OK);
    store_sched_page_free(&pg);
    struct sched_query q = {.status = -1, .page = 1, .limit = 3};
    assert_int_equal(store_schedule_query(f->s, f->a, &q, &pg), MOCK_OK);
    assert_int_equal(pg.total, 7);
    assert_int_equal(pg.n, 3);
    assert_string_equal(pg.items[0].merchant_uid, "q7"); /* newest first */
    store_sched_page_free(&pg);
    q.page = 3;
    assert_int_equal(store_schedule_query(f->s, f->a, &q, &pg), MOCK_OK);
    assert_int_equal(pg.n, 1);
    assert_string_equal(pg.items[0].merchant_uid, "q1");
    store_sched_page_free(&pg);
    q.page = 4;
    assert_int_equal(store_schedule_query(f->s, f->a, &q, &pg), MOCK_OK);
    assert_int_equal(pg.n, 0);
    assert_int_equal(pg.total, 7);
    store_sched_page_free(&pg);
    struct sched_query byc = {.customer_uid = "odd",
                              .status = SCHED_SCHEDULED,
                              .ascending = true,
                              .page = 1,
                              .limit = 10};
    assert_int_equal(store_schedule_query(f->s, f->a, &byc, &pg), MOCK_OK);
    assert_int_equal(pg.total, 3); /* q3, q5, q7: q1 is revoked */
    assert_string_equal(pg.items[0].merchant_uid, "q3");
    store_sched_page_free(&pg);
    struct sched_query range = {.status = -1,
                                .time_filter = true,
                                .from = T0 + 200,
                                .to = T0 + 400,
                                .ascending = true,
                                .page = 1,
                                .limit = 10};
    assert_int_equal(store_schedule_query(f->s, f->a, &range, &pg), MOCK_OK);
    assert_int_equal(pg.total, 2); /* from <= at < to */
    assert_string_equal(pg.items[1].merchant_uid, "q3");
    store_sched_page_free(&pg);
}

static void test_finish_then_reschedule(void **state)
{
    struct fixture *f = *state;
    add1(f->s, f->a, "f1", "c", 100);
    struct sched_claim c;
    assert_int_equal(store_schedule_claim_due(f->s, 100, 1, &c), 1);
    struct schedule sc;
    /* a claimed item can be neither revoked nor moved */
    assert_int_equal(store_schedule_move(f->s, f->a, "f1", 500, false, &sc),
                     MOCK_SCHEDULE_NOT_PENDING);
    const char *rev[] = {"f1"};
    struct sched_page pg;
    assert_int_equal(store_schedule_revoke(f->s, f->a, NULL, rev, 1, 100, &pg),
                     MOCK_SCHEDULE_NOTHING);
    struct sched_result res = {
        .executed_at = 100, .payment_status = PAY_FAILED, .fail_reason = "[F302]잔액부족"};
    store_schedule_finish(f->s, &c, &res);
    sched_claim_fini(&c);
    assert_int_equal(store_schedule_get(f->s, f->a, "f1", &sc), MOCK_OK);
    assert_int_equal(sc.status, SCHED_EXECUTED);
    assert_int_equal(sc.payment_status, PAY_FAILED);
    assert_string_equal(sc.fail_reason, "[F302]잔액부족");
    assert_false(sc.running);
    schedule_fini(&sc);
    assert_int_equal(store_schedule_move(f->s, f->a, "f1", 400, true, &sc), MOCK_OK);
    assert_int_equal(sc.status, SCHED_SCHEDULED);
    assert_int_equal(sc.payment_status, -1);
    assert_null(sc.fail_reason);
    assert_int_equal(sc.executed_at, 0);
    schedule_fini(&sc);
    const char *const want[] = {"f1"};
    expect_claims(f->s, 400, 16, want, 1);
    /* a waiting item cannot be rescheduled; a claimed one cannot be retried */
    add1(f->s, f->a, "f2", "c", 900);
    assert_int_equal(store_schedule_move(f->s, f->a, "f2", 1000, true, &sc),
                     MOCK_SCHEDULE_NOT_FAILED);
    assert_int_equal(store_schedule_claim(f->s, f->a, "f2", &c), MOCK_SCHEDULE_NOT_FAILED);
}

/* ---- the executor ---- */

static void put_key(struct store *s, int tid, const char *uid, const char *card)
{
    struct customer c;
    char digits[CARD_DIGITS_MAX + 1];
    memset(&c, 0, sizeof c);
    snprintf(c.customer_uid, sizeof c.customer_uid, "%s", uid);
    snprintf(c.pg_provider, sizeof c.pg_provider, "nice");
    snprintf(c.pg_id, sizeof c.pg_id, "nictest04m");
    snprintf(c.pay_method, sizeof c.pay_method, "card");
    assert_true(cards_normalize(card, digits));
    c.card_profile = cards_find(&fx.cards, digits);
    c.card_type = 0;
    assert_true(str_set(&c.customer_name, "Hong"));
    assert_int_equal(store_customer_put(s, tid, &c, NULL), MOCK_OK);
    customer_fini(&c);
}

static void test_run_due_charges_in_order(void **state)
{
    struct fixture *f = *state;
    struct billing b = {f->s, &fx.cards};
    put_key(f->s, f->a, "cust", "4000-0000-0000-3220"); /* approves twice, then declines */
    struct schedule items[4];
    char detail[SCHEDULE_DETAIL_MAX];
    /* sent newest first: only schedule_at order gives paid, paid, failed, failed */
    for (int i = 0; i < 4; i++) {
        char mid[16];
        snprintf(mid, sizeof mid, "run%d", 4 - i);
        items[i] = item(mid, "", T0 + (4 - i) * 30 * 86400LL);
    }
    struct schedule stored[4];
    assert_int_equal(schedule_create(f->s, f->a, "cust", items, 4, T0, stored, detail), MOCK_OK);
    assert_string_equal(stored[0].buyer_name, "Hong"); /* the key's customer_name */
    assert_string_equal(stored[0].pg_provider, "nice");
    for (int i = 0; i < 4; i++) {
        schedule_fini(&items[i]);
        schedule_fini(&stored[i]);
    }
    assert_int_equal(schedule_run_due(&b, T0 + 60 * 86400LL, 0), 2); /* two are due */
    assert_int_equal(schedule_run_due(&b, T0 + 365 * 86400LL, 0), 2);
    assert_int_equal(schedule_run_due(&b, T0 + 365 * 86400LL, 0), 0);
    for (int k = 1; k <= 4; k++) {
        char mid[16];
        snprintf(mid, sizeof mid, "run%d", k);
        struct schedule sc;
        assert_int_equal(store_schedule_get(f->s, f->a, mid, &sc), MOCK_OK);
        assert_int_equal(sc.status, SCHED_EXECUTED);
        assert_int_equal(sc.executed_at, T0 + k * 30 * 86400LL);
        assert_int_equal(sc.payment_status, k <= 2 ? PAY_PAID : PAY_FAILED);
        struct payment p;
        assert_int_equal(store_payment_get(f->s, f->a, sc.imp_uid, &p), MOCK_OK);
        assert_string_equal(p.customer_uid_usage, "payment.scheduled");
        assert_string_equal(p.channel, "api");
        assert_string_equal(p.buyer_name, "Hong");
        assert_int_equal(k <= 2 ? p.paid_at : p.failed_at, T0 + k * 30 * 86400LL);
        assert_int_equal(p.started_at, T0 + k * 30 * 86400LL);
        payment_fini(&p);
        schedule_fini(&sc);
    }
}

static void test_create_refusals(void **state)
{
    struct fixture *f = *state;
    char detail[SCHEDULE_DETAIL_MAX];
    struct schedule it = item("p1", "", T0 - 1), out;
    assert_int_equal(schedule_create(f->s, f->a, "nobody", &it, 1, T0, &out, detail),
                     MOCK_SCHEDULE_NO_CUSTOMER);
    put_key(f->s, f->a, "cust", "4242-4242-4242-4242");
    assert_int_equal(schedule_create(f->s, f->a, "cust", &it, 1, T0, &out, detail),
                     MOCK_SCHEDULE_PAST);
    assert_string_equal(detail, "p1");
    schedule_fini(&it);
    struct schedule sc;
    assert_int_equal(schedule_move(f->s, f->a, "p1", T0 - 1, false, T0, &sc, detail),
                     MOCK_SCHEDULE_AT_PAST);
}

/* A deleted key fails the run before any payment: the item records why. */
static void test_run_with_deleted_key(void **state)
{
    struct fixture *f = *state;
    struct billing b = {f->s, &fx.cards};
    put_key(f->s, f->a, "gone", "4242-4242-4242-4242");
    struct schedule it = item("g1", "", T0 + 10), out;
    char detail[SCHEDULE_DETAIL_MAX];
    assert_int_equal(schedule_create(f->s, f->a, "gone", &it, 1, T0, &out, detail), MOCK_OK);
    schedule_fini(&it);
    schedule_fini(&out);
    struct customer c;
    assert_int_equal(store_customer_delete(f->s, f->a, "gone", &c), MOCK_OK);
    customer_fini(&c);
    assert_int_equal(schedule_run_due(&b, T0 + 10, 0), 1);
    struct schedule sc;
    assert_int_equal(store_schedule_get(f->s, f->a, "g1", &sc), MOCK_OK);
    assert_int_equal(sc.status, SCHED_EXECUTED);
    assert_int_equal(sc.payment_status, PAY_FAILED);
    assert_string_equal(sc.imp_uid, "");
    assert_string_equal(sc.fail_reason, "등록되지 않은 구매자입니다.");
    schedule_fini(&sc);
    struct payment p;
    assert_int_equal(schedule_retry(&b, f->a, "g1", &p, detail), MOCK_CUSTOMER_UNKNOWN);
}

/* A reset forgets a tenant's items, and their due entries go stale. */
static void test_tenant_clear(void **state)
{
    struct fixture *f = *state;
    add1(f->s, f->a, "x1", "c", 100);
    add1(f->s, f->b, "y1", "c", 200);
    store_tenant_clear(f->s, f->a);
    assert_int_equal(store_schedule_pending(f->s), 1);
    add1(f->s, f->a, "x2", "c", 300); /* reuses index 0 of tenant a */
    const char *const want[] = {"y1", "x2"};
    expect_claims(f->s, 1000, 16, want, 2);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_due_order_across_tenants), T(test_claim_until_and_max),
        T(test_revoked_and_moved_items),  T(test_duplicates_all_or_nothing),
        T(test_query_filters_and_paging), T(test_finish_then_reschedule),
        T(test_run_due_charges_in_order), T(test_create_refusals),
        T(test_run_with_deleted_key),     T(test_tenant_clear),
    };
#undef T
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
