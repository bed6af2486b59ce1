/*
 * test_pgx.c - what impmock answers for the PGs it does not emulate
 * (mock/domain/pgx.c, reference §24.0): unknown payments, payments of
 * another PG, no channel or contract, and a payment or channel that really
 * is of that PG (never a success).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/pgx.h"
#include "state/ids.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    struct store *s;
    int tid;
    struct merchant m;
};

static void add_channel(struct merchant *m, const char *pg, const char *key)
{
    struct channel *c = &m->channels[m->n_channels++];
    snprintf(c->pg_provider, sizeof c->pg_provider, "%s", pg);
    snprintf(c->pg_id, sizeof c->pg_id, "MID-%s", pg);
    snprintf(c->key, sizeof c->key, "%s", key);
}

static void put(struct store *s, int tid, const char *imp_uid, const char *pg, const char *method,
                enum pay_status st)
{
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "%s", imp_uid);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "order-%s", imp_uid);
    snprintf(p.pg_provider, sizeof p.pg_provider, "%s", pg);
    snprintf(p.pay_method, sizeof p.pay_method, "%s", method);
    p.amount = 3000;
    p.status = st;
    assert_int_equal(store_payment_insert(s, tid, &p, false, NULL), MOCK_OK);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f || sodium_init() < 0)
        return -1;
    ids_init(true, 7);
    f->s = store_new();
    snprintf(f->m.imp_key, sizeof f->m.imp_key, "key-a");
    snprintf(f->m.merchant_code, sizeof f->m.merchant_code, "imp-a");
    add_channel(&f->m, "kakaopay", "ch-kakao");
    add_channel(&f->m, "naverco", "ch-naver");
    add_channel(&f->m, "kcp", "ch-kcp");
    if (!f->s || store_tenant_add(f->s, &f->m, &f->tid) != MOCK_OK)
        return -1;
    put(f->s, f->tid, "imp_kakao", "kakaopay", "card", PAY_PAID);
    put(f->s, f->tid, "imp_naverco", "naverco", "naverpay", PAY_PAID);
    put(f->s, f->tid, "imp_naverpay", "naverpay", "naverpay", PAY_PAID);
    put(f->s, f->tid, "imp_payco", "payco", "card", PAY_PAID);
    put(f->s, f->tid, "imp_cvs", "galaxia", "cvs", PAY_READY);
    put(f->s, f->tid, "imp_inicis", "html5_inicis", "card", PAY_PAID);
    put(f->s, f->tid, "imp_inicis_ready", "html5_inicis", "card", PAY_READY);
    put(f->s, f->tid, "imp_pw", "paymentwall", "card", PAY_PAID);
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

static enum mock_err pay(struct fixture *f, enum pgx_family fam, const char *imp_uid,
                         const struct pgx_check *c, char *detail)
{
    return pgx_payment(f->s, f->tid, fam, imp_uid, c, detail);
}

static void test_payments(void **state)
{
    struct fixture *f = *state;
    char d[PGX_DETAIL_MAX];
    /* unknown payment, another PG's payment, a payment of that PG */
    assert_int_equal(pay(f, PGX_NAVERCO, "imp_none", NULL, d), MOCK_PAYMENT_NOT_FOUND);
    assert_int_equal(pay(f, PGX_NAVERCO, "imp_kakao", NULL, d), MOCK_NAVERCO_OTHER_PG);
    assert_int_equal(pay(f, PGX_NAVERCO, "imp_naverpay", NULL, d), MOCK_NAVERCO_OTHER_PG);
    assert_int_equal(pay(f, PGX_NAVERCO, "imp_naverco", NULL, d), MOCK_PG_NOT_EMULATED);
    assert_string_equal(d, "네이버페이 주문형(naverco)");
    assert_int_equal(pay(f, PGX_NAVERPAY, "imp_naverco", NULL, d), MOCK_NAVERPAY_OTHER_PG);
    assert_int_equal(pay(f, PGX_NAVERPAY, "imp_naverpay", NULL, d), MOCK_PG_NOT_EMULATED);
    assert_int_equal(pay(f, PGX_NAVERPAY_CASH, "imp_none", NULL, d), MOCK_NAVER_CASH_NOT_FOUND);
    assert_int_equal(pay(f, PGX_NAVERPAY_CASH, "imp_kakao", NULL, d), MOCK_NAVER_CASH_OTHER_PG);
    assert_int_equal(pay(f, PGX_PAYCO, "imp_none", NULL, d), MOCK_PAYMENT_NOT_FOUND);
    assert_int_equal(pay(f, PGX_PAYCO, "imp_kakao", NULL, d), MOCK_PAYCO_OTHER_PG);
    assert_int_equal(pay(f, PGX_PAYCO, "imp_payco", NULL, d), MOCK_PG_NOT_EMULATED);
    assert_string_equal(d, "PAYCO(payco)");
    /* cvs is told by the method, not the PG */
    assert_int_equal(pay(f, PGX_CVS, "imp_none", NULL, d), MOCK_PAYMENT_NOT_FOUND);
    assert_int_equal(pay(f, PGX_CVS, "imp_kakao", NULL, d), MOCK_CVS_OTHER_PG);
    assert_int_equal(pay(f, PGX_CVS, "imp_cvs", NULL, d), MOCK_PG_NOT_EMULATED);
    assert_int_equal(pay(f, PGX_PAYMENTWALL, "imp_kakao", NULL, d), MOCK_PAYMENTWALL_OTHER_PG);
    assert_int_equal(pay(f, PGX_PAYMENTWALL, "imp_pw", NULL, d), MOCK_PG_NOT_EMULATED);
}

static void test_checks(void **state)
{
    struct fixture *f = *state;
    char d[PGX_DETAIL_MAX];
    /* paymentwall: the order id must be the payment's */
    struct pgx_check pw = {.merchant_uid = "order-imp_pw"};
    assert_int_equal(pay(f, PGX_PAYMENTWALL, "imp_pw", &pw, d), MOCK_PG_NOT_EMULATED);
    pw.merchant_uid = "order-other";
    assert_int_equal(pay(f, PGX_PAYMENTWALL, "imp_pw", &pw, d), MOCK_PAYMENT_NOT_FOUND);
    assert_int_equal(pay(f, PGX_PAYMENTWALL, "imp_kakao", &pw, d), MOCK_PAYMENT_NOT_FOUND);
    /* partners: KG이니시스 only, approved, lines adding up to the amount */
    struct pgx_check pc = {.sum_given = true, .amount_sum = 3000, .must_be_paid = true};
    assert_int_equal(pay(f, PGX_PARTNERS, "imp_none", &pc, d), MOCK_PAYMENT_NOT_FOUND);
    assert_int_equal(pay(f, PGX_PARTNERS, "imp_kakao", &pc, d), MOCK_PARTNERS_UNSUPPORTED);
    assert_int_equal(pay(f, PGX_PARTNERS, "imp_inicis_ready", &pc, d), MOCK_PARTNERS_NOT_PAID);
    assert_int_equal(pay(f, PGX_PARTNERS, "imp_inicis", &pc, d), MOCK_PG_NOT_EMULATED);
    pc.amount_sum = 2999;
    assert_int_equal(pay(f, PGX_PARTNERS, "imp_inicis", &pc, d), MOCK_PARTNERS_AMOUNT);
    assert_string_equal(d, "2999");
}

static void test_channels(void **state)
{
    struct fixture *f = *state;
    char d[PGX_DETAIL_MAX];
    struct merchant *m = &f->m;
    assert_int_equal(pgx_channel(m, PGX_NAVERCO, "ch-unknown", d), MOCK_NAVER_NO_CHANNEL);
    assert_int_equal(pgx_channel(m, PGX_NAVERCO, "ch-kakao", d), MOCK_NAVER_NO_CHANNEL);
    assert_int_equal(pgx_channel(m, PGX_NAVERCO, "ch-naver", d), MOCK_PG_NOT_EMULATED);
    assert_int_equal(pgx_channel(m, PGX_BENEPIA, "ch-naver", d), MOCK_BENEPIA_NO_CONTRACT);
    assert_int_equal(pgx_channel(m, PGX_BENEPIA, "ch-kcp", d), MOCK_PG_NOT_EMULATED);
    assert_int_equal(pgx_channel(m, PGX_CVS, "ch-kcp", d), MOCK_CVS_NO_CONTRACT);
    assert_int_equal(pgx_channel(m, PGX_KCPQUICK_MONEY, "ch-kcp", d), MOCK_NO_KEYIN_PG);
    assert_int_equal(pgx_channel(m, PGX_KCPQUICK_MONEY, NULL, d), MOCK_NO_KEYIN_PG);
    assert_int_equal(pgx_merchant(m, PGX_KCPQUICK_MEMBER, d), MOCK_KCPQUICK_MEMBER_NOT_FOUND);
    assert_int_equal(pgx_merchant(m, PGX_NAVERCO_ORDER, d), MOCK_PG_NOT_EMULATED);
    m->n_channels = 1; /* only Kakao Pay */
    assert_int_equal(pgx_merchant(m, PGX_NAVERCO_ORDER, d), MOCK_NAVER_ORDER_NOT_FOUND);
    assert_string_equal(d, "");
    assert_string_equal(pgx_pg_provider(PGX_CVS), "galaxia");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payments),
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_channels),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
