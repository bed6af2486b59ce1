/* test_cancel.c - cancel money rules (cancel_plan), applying a cancel, and
 * cancel_payment against a real store, including concurrent cancels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/cancel.h"
#include "state/ids.h"
#include "unit_harness.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct cancel_money money(int64_t amount, int64_t cancelled, int64_t tax_free,
                                 int64_t tax_free_cancelled)
{
    struct cancel_money m = {amount, cancelled, tax_free, tax_free_cancelled, 0};
    return m;
}

static enum mock_err plan(enum pay_status st, struct cancel_money m, int64_t amount,
                          int64_t tax_free, const int64_t *checksum, struct cancel_plan *ret,
                          int64_t *limit)
{
    struct cancel_request rq = {amount, tax_free, checksum != NULL, checksum ? *checksum : 0};
    return cancel_plan(st, &m, &rq, ret, limit);
}

static void test_full_and_partial(void **state)
{
    (void)state;
    struct cancel_plan p;
    int64_t limit;
    /* amount 0 (or omitted) = everything still cancellable */
    assert_int_equal(plan(PAY_PAID, money(10000, 0, 0, 0), 0, 0, NULL, &p, &limit), MOCK_OK);
    assert_int_equal(p.amount, 10000);
    assert_int_equal(p.balance, 10000);
    assert_true(p.full);

    assert_int_equal(plan(PAY_PAID, money(10000, 0, 0, 0), 3000, 0, NULL, &p, &limit), MOCK_OK);
    assert_int_equal(p.amount, 3000);
    assert_false(p.full);

    /* after a partial cancel the rest is what remains */
    assert_int_equal(plan(PAY_PAID, money(10000, 3000, 0, 0), 0, 0, NULL, &p, &limit), MOCK_OK);
    assert_int_equal(p.amount, 7000);
    assert_true(p.full);
    assert_int_equal(plan(PAY_PAID, money(10000, 3000, 0, 0), 7000, 0, NULL, &p, &limit), MOCK_OK);
    assert_true(p.full);
}

static void test_refusals(void **state)
{
    (void)state;
    struct cancel_plan p;
    int64_t limit;
    assert_int_equal(plan(PAY_PAID, money(10000, 3000, 0, 0), 7001, 0, NULL, &p, &limit),
                     MOCK_CANCEL_OVER);
    assert_int_equal(limit, 7000);
    assert_int_equal(plan(PAY_FAILED, money(10000, 0, 0, 0), 0, 0, NULL, &p, &limit),
                     MOCK_CANCEL_NOT_PAID);
    assert_int_equal(plan(PAY_READY, money(10000, 0, 0, 0), 0, 0, NULL, &p, &limit),
                     MOCK_CANCEL_NOT_PAID);
    assert_int_equal(plan(PAY_CANCELLED, money(10000, 10000, 0, 0), 0, 0, NULL, &p, &limit),
                     MOCK_CANCEL_ALREADY);
    /* a paid record with nothing left is as good as cancelled */
    assert_int_equal(plan(PAY_PAID, money(10000, 10000, 0, 0), 1, 0, NULL, &p, &limit),
                     MOCK_CANCEL_ALREADY);
}

static void test_checksum(void **state)
{
    (void)state;
    struct cancel_plan p;
    int64_t limit, sum = 7000;
    assert_int_equal(plan(PAY_PAID, money(10000, 3000, 0, 0), 1000, 0, &sum, &p, &limit), MOCK_OK);
    sum = 10000; /* the caller forgot the earlier partial cancel */
    assert_int_equal(plan(PAY_PAID, money(10000, 3000, 0, 0), 1000, 0, &sum, &p, &limit),
                     MOCK_CANCEL_CHECKSUM);
    assert_int_equal(limit, 7000);
    /* checksum is judged before the amount */
    assert_int_equal(plan(PAY_PAID, money(10000, 3000, 0, 0), 9000, 0, &sum, &p, &limit),
                     MOCK_CANCEL_CHECKSUM);
}

static void test_tax_free(void **state)
{
    (void)state;
    struct cancel_plan p;
    int64_t limit;
    /* 10000 paid, 4000 of it tax-free */
    assert_int_equal(plan(PAY_PAID, money(10000, 0, 4000, 0), 3000, 3000, NULL, &p, &limit),
                     MOCK_OK);
    assert_int_equal(p.tax_free, 3000);
    assert_int_equal(plan(PAY_PAID, money(10000, 3000, 4000, 3000), 5000, 2000, NULL, &p, &limit),
                     MOCK_CANCEL_TAX_FREE);
    assert_int_equal(limit, 1000);
    /* the tax-free part can never exceed the cancel itself */
    assert_int_equal(plan(PAY_PAID, money(10000, 0, 4000, 0), 1000, 2000, NULL, &p, &limit),
                     MOCK_CANCEL_TAX_FREE);
    assert_int_equal(limit, 1000);
    /* taxable 6000: a 7000 cancel needs at least 1000 of it tax-free */
    assert_int_equal(plan(PAY_PAID, money(10000, 0, 4000, 0), 7000, 0, NULL, &p, &limit),
                     MOCK_CANCEL_TAXABLE_OVER);
    assert_int_equal(limit, 6000);
    assert_int_equal(plan(PAY_PAID, money(10000, 0, 4000, 0), 7000, 1000, NULL, &p, &limit),
                     MOCK_OK);
    /* emptying the balance takes the remaining tax-free part with it */
    assert_int_equal(plan(PAY_PAID, money(10000, 3000, 4000, 3000), 0, 0, NULL, &p, &limit),
                     MOCK_OK);
    assert_int_equal(p.amount, 7000);
    assert_int_equal(p.tax_free, 1000);
}

/* The history is bounded: the last entry it may take must empty the balance. */
static void test_history_bound(void **state)
{
    (void)state;
    struct cancel_plan p;
    int64_t limit;
    struct cancel_money m = money(10000, 98, 0, 0);
    m.n_cancels = CANCEL_HISTORY_MAX - 2;
    assert_int_equal(plan(PAY_PAID, m, 1, 0, NULL, &p, &limit), MOCK_OK);
    m.n_cancels = CANCEL_HISTORY_MAX - 1;
    assert_int_equal(plan(PAY_PAID, m, 1, 0, NULL, &p, &limit), MOCK_CANCEL_HISTORY_FULL);
    assert_int_equal(limit, CANCEL_HISTORY_MAX);
    assert_int_equal(plan(PAY_PAID, m, 0, 0, NULL, &p, &limit), MOCK_OK);
    assert_true(p.full);
    assert_int_equal(plan(PAY_PAID, m, 9902, 0, NULL, &p, &limit), MOCK_OK);
    /* a longer history (seeded, imported) takes no more cancels at all */
    m.n_cancels = CANCEL_HISTORY_MAX;
    assert_int_equal(plan(PAY_PAID, m, 0, 0, NULL, &p, &limit), MOCK_CANCEL_HISTORY_FULL);
    /* the money rules are judged first */
    assert_int_equal(plan(PAY_PAID, m, 9903, 0, NULL, &p, &limit), MOCK_CANCEL_OVER);
}

static void test_apply(void **state)
{
    (void)state;
    struct payment p;
    memset(&p, 0, sizeof p);
    p.status = PAY_PAID;
    p.amount = 10000;
    p.tax_free = 4000;
    snprintf(p.pg_tid, sizeof p.pg_tid, "T0123456789abcdef012");
    assert_true(str_set(&p.receipt_url, "https://example.com/slip"));

    struct cancel_plan pl = {.balance = 10000, .amount = 3000, .tax_free = 1000};
    assert_true(cancel_apply(&p, &pl, "부분취소", "aaaaaaaaaaaaaaaaaaaaaaaa", 1700000000));
    assert_int_equal(p.status, PAY_PAID);
    assert_int_equal(p.cancel_amount, 3000);
    assert_int_equal(p.cancel_tax_free, 1000);
    assert_int_equal(p.cancelled_at, 1700000000);
    assert_string_equal(p.cancel_reason, "부분취소");
    assert_int_equal(p.n_cancels, 1);
    assert_string_equal(p.cancels[0].pg_tid, "T0123456789abcdef012");
    assert_string_equal(p.cancels[0].receipt_url, "https://example.com/slip");
    assert_int_equal(p.cancels[0].amount, 3000);

    struct cancel_plan rest = {.balance = 7000, .amount = 7000, .tax_free = 3000, .full = true};
    assert_true(cancel_apply(&p, &rest, NULL, "bbbbbbbbbbbbbbbbbbbbbbbb", 1700000100));
    assert_int_equal(p.status, PAY_CANCELLED);
    assert_int_equal(p.cancel_amount, 10000);
    assert_int_equal(p.n_cancels, 2);
    assert_null(p.cancels[1].reason);
    assert_string_equal(p.cancel_reason, "부분취소"); /* no new reason: the last one stays */
    assert_int_equal(p.cancelled_at, 1700000100);
    payment_fini(&p);
}

/* ---- against a store ---- */

static void add_payment(struct unit_world *w, const char *muid, enum pay_status st, int64_t amount,
                        char *ret_imp_uid)
{
    struct payment p, stored;
    memset(&p, 0, sizeof p);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "%s", muid);
    snprintf(p.pg_tid, sizeof p.pg_tid, "TID_%s", muid);
    p.status = st;
    p.amount = amount;
    assert_int_equal(store_payment_insert(w->s, w->a, &p, true, &stored), MOCK_OK);
    memcpy(ret_imp_uid, stored.imp_uid, IMP_UID_MAX + 1);
    payment_fini(&stored);
}

static enum mock_err cancel(struct unit_world *w, const char *imp_uid, const char *muid,
                            int64_t amount, struct payment *ret)
{
    struct cancel_args a = {.imp_uid = imp_uid, .merchant_uid = muid, .rq = {.amount = amount}};
    char detail[CANCEL_DETAIL_MAX];
    struct payment tmp;
    enum mock_err e = cancel_payment(w->s, w->a, &a, ret ? ret : &tmp, detail);
    if (e == MOCK_OK && !ret)
        payment_fini(&tmp);
    return e;
}

static void test_which_payment(void **state)
{
    struct unit_world *w = *state;
    char failed[IMP_UID_MAX + 1], paid[IMP_UID_MAX + 1];
    add_payment(w, "order_1", PAY_FAILED, 1000, failed);
    add_payment(w, "order_1", PAY_PAID, 1000, paid);

    assert_int_equal(cancel(w, NULL, NULL, 0, NULL), MOCK_CANCEL_NO_UID);
    assert_int_equal(cancel(w, "", "", 0, NULL), MOCK_CANCEL_NO_UID);
    assert_int_equal(cancel(w, NULL, "order_none", 0, NULL), MOCK_CANCEL_NOT_FOUND);
    /* imp_uid wins: a wrong one fails even with a valid merchant_uid */
    assert_int_equal(cancel(w, "imps_000000000000", "order_1", 0, NULL), MOCK_CANCEL_NOT_FOUND);
    assert_int_equal(cancel(w, failed, NULL, 0, NULL), MOCK_CANCEL_NOT_PAID);

    struct payment p;
    assert_int_equal(cancel(w, NULL, "order_1", 400, &p), MOCK_OK); /* the paid attempt */
    assert_string_equal(p.imp_uid, paid);
    assert_int_equal(p.cancel_amount, 400);
    assert_int_equal(strlen(p.cancels[0].cancellation_id), CANCEL_ID_LEN);
    assert_string_equal(p.cancels[0].pg_tid, "TID_order_1");
    payment_fini(&p);
    assert_int_equal(cancel(w, NULL, "order_1", 0, NULL), MOCK_OK);
    assert_int_equal(cancel(w, NULL, "order_1", 0, NULL), MOCK_CANCEL_ALREADY);
    assert_int_equal(cancel(w, paid, NULL, 0, NULL), MOCK_CANCEL_ALREADY);
}

static void test_refusal_changes_nothing(void **state)
{
    struct unit_world *w = *state;
    char uid[IMP_UID_MAX + 1];
    add_payment(w, "order_2", PAY_PAID, 5000, uid);
    struct cancel_args a = {.imp_uid = uid,
                            .rq = {.amount = 100, .has_checksum = true, .checksum = 4999}};
    struct payment p;
    char detail[CANCEL_DETAIL_MAX];
    assert_int_equal(cancel_payment(w->s, w->a, &a, &p, detail), MOCK_CANCEL_CHECKSUM);
    assert_string_equal(detail, "5000");
    a.rq.has_checksum = false;
    a.rq.amount = 5001;
    assert_int_equal(cancel_payment(w->s, w->a, &a, &p, detail), MOCK_CANCEL_OVER);
    assert_string_equal(detail, "5000");
    assert_int_equal(store_payment_get(w->s, w->a, uid, &p), MOCK_OK);
    assert_int_equal(p.cancel_amount, 0);
    assert_int_equal(p.n_cancels, 0);
    assert_int_equal(p.version, 1);
    payment_fini(&p);
}

#define RACERS 16

struct racer {
    struct unit_world *w;
    const char *imp_uid;
    enum mock_err result;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    r->result = cancel(r->w, r->imp_uid, NULL, 100, NULL);
    return NULL;
}

static void test_concurrent_cancels(void **state)
{
    struct unit_world *w = *state;
    char uid[IMP_UID_MAX + 1];
    add_payment(w, "order_race", PAY_PAID, 1000, uid); /* room for exactly 10 cancels of 100 */
    pthread_t th[RACERS];
    struct racer r[RACERS];
    for (int i = 0; i < RACERS; i++) {
        r[i] = (struct racer){w, uid, MOCK_INTERNAL};
        assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
    }
    int ok = 0, over = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        ok += r[i].result == MOCK_OK;
        over += r[i].result == MOCK_CANCEL_ALREADY;
    }
    assert_int_equal(ok, 10);
    assert_int_equal(over, RACERS - 10);
    struct payment p;
    assert_int_equal(store_payment_get(w->s, w->a, uid, &p), MOCK_OK);
    assert_int_equal(p.cancel_amount, 1000);
    assert_int_equal(p.n_cancels, 10);
    assert_int_equal(p.status, PAY_CANCELLED);
    payment_fini(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_and_partial),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_tax_free),
        cmocka_unit_test(test_history_bound),
        cmocka_unit_test(test_apply),
        cmocka_unit_test_setup_teardown(test_which_payment, unit_world_setup, unit_world_teardown),
        cmocka_unit_test_setup_teardown(test_refusal_changes_nothing, unit_world_setup,
                                        unit_world_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_cancels, unit_world_setup,
                                        unit_world_teardown),
    };
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
