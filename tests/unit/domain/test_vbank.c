/*
 * test_vbank.c - the rules of virtual accounts (mock/domain/vbank.c) and
 * what they stand on: bank codes and test accounts (mock/base/accounts.c),
 * the store's index of scripted deposits (mock/state/store_vbanks.c) and the
 * vbank fields of a packed payment. Which channel issues, what each PG
 * requires, deposits (exact, short, over, late), refund accounts,
 * revocation, notices, and scripted deposits made in due order on a frozen
 * clock. Over HTTP: tests/integration/test_vbanks.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/accounts.h"
#include "domain/notices.h"
#include "domain/vbank.h"
#include "infra/clock.h"
#include "state/fixtures.h"
#include "state/ids.h"
#include "state/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0  1704034800LL
#define DUE (T0 + 86400)

static struct fixtures fx; /* the embedded defaults: their test accounts */

static int setup_all(void **state)
{
    (void)state;
    char err[256];
    if (sodium_init() < 0)
        return -1;
    ids_init(true, 11);
    clock_freeze(true);
    clock_set(T0);
    return fixtures_load(&fx, NULL, err, sizeof err) ? 0 : -1;
}

static int teardown_all(void **state)
{
    (void)state;
    fixtures_fini(&fx);
    vbank_set_outcome_hook(NULL, NULL);
    return 0;
}

static struct channel vbank_channel_of(const char *provider, const char *mid, const char *key)
{
    struct channel c;
    memset(&c, 0, sizeof c);
    snprintf(c.pg_provider, sizeof c.pg_provider, "%s", provider);
    snprintf(c.pg_id, sizeof c.pg_id, "%s", mid);
    snprintf(c.key, sizeof c.key, "%s", key);
    c.kind = CHANNEL_VBANK;
    return c;
}

static void merchant_init(struct merchant *m, const char *key)
{
    memset(m, 0, sizeof *m);
    snprintf(m->imp_key, sizeof m->imp_key, "%s", key);
    snprintf(m->merchant_code, sizeof m->merchant_code, "code-%s", key);
    snprintf(m->name, sizeof m->name, "테스트상점");
    struct channel keyin = {.pg_provider = "nice", .pg_id = "nictest04m", .kind = CHANNEL_KEYIN};
    m->channels[0] = keyin;
    m->channels[1] = vbank_channel_of("settle", "settle01", "channel-key-settle");
    m->n_channels = 2;
}

static struct vbank_order order(const char *merchant_uid)
{
    struct vbank_order o;
    memset(&o, 0, sizeof o);
    o.merchant_uid = merchant_uid;
    o.amount = 10000;
    o.vbank_code = "088";
    o.vbank_due = DUE;
    o.vbank_holder = "상점";
    return o;
}

/* A stored-looking virtual account, for the pure rules. */
static struct payment account(enum pay_status status)
{
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "imp_100000000001");
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "o1");
    snprintf(p.pay_method, sizeof p.pay_method, "vbank");
    snprintf(p.pg_provider, sizeof p.pg_provider, "settle");
    snprintf(p.currency, sizeof p.currency, "KRW");
    p.card_type = -1;
    p.status = status;
    p.amount = 10000;
    p.started_at = p.vbank_issued_at = T0;
    p.vbank_date = DUE;
    return p;
}

/* ---- bank codes and test accounts ---- */

static void test_bank_codes_as_pgs_spell_them(void **state)
{
    (void)state;
    char kftc[4];
    const char *same[] = {"088", "88", "BK88"};
    for (size_t i = 0; i < 3; i++) {
        memset(kftc, 0, sizeof kftc);
        assert_true(accounts_bank_code(same[i], kftc));
        assert_string_equal(kftc, "088");
    }
    assert_string_equal(accounts_bank_name("088"), "신한");
    assert_string_equal(accounts_bank_name("004"), "국민");
    assert_string_equal(accounts_bank_name("020"), "우리");
    assert_string_equal(accounts_bank_name("081"), "하나");
    assert_string_equal(accounts_bank_name("011"), "농협");
    assert_string_equal(accounts_bank_name("003"), "기업");
    const char *bad[] = {"999", "8", "BK8", "BK088", "0880", "abc", "", "08a", "bk88"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(accounts_bank_code(bad[i], kftc));
    assert_null(accounts_bank_name("999"));
}

static void test_test_accounts_by_digits(void **state)
{
    (void)state;
    char digits[ACCOUNTS_DIGITS_MAX + 1];
    assert_true(accounts_digits("123-456 789", digits));
    assert_string_equal(digits, "123456789");
    assert_false(accounts_digits("--", digits));
    assert_false(accounts_digits("123456789012345678901234567890123", digits)); /* 33 digits */
    const struct bank_account *a = accounts_find(&fx.accounts, "004", "123456789012");
    assert_non_null(a);
    assert_string_equal(a->holder, "홍길동");
    assert_non_null(accounts_find(&fx.accounts, "004", "(123)456.789.012"));
    assert_null(accounts_find(&fx.accounts, "088", "123-456-789012")); /* another bank */
    assert_null(accounts_find(&fx.accounts, "004", "123-456-780000"));
    const char *holder = NULL;
    assert_int_equal(vbank_holder(&fx.accounts, "BK04", "123-456-789012", &holder), MOCK_OK);
    assert_string_equal(holder, "홍길동");
    assert_int_equal(vbank_holder(&fx.accounts, "777", "123-456-789012", &holder),
                     MOCK_VBANK_HOLDER_NOT_FOUND);
}

/* ---- which channel ---- */

static void test_channel_choice(void **state)
{
    (void)state;
    struct merchant m;
    struct channel ch;
    char detail[VBANK_DETAIL_MAX];
    merchant_init(&m, "k");
    /* neither: the only vbank channel */
    assert_int_equal(vbank_channel(&m, NULL, NULL, &ch, detail), MOCK_OK);
    assert_string_equal(ch.pg_provider, "settle");
    assert_int_equal(vbank_channel(&m, "", "", &ch, detail), MOCK_OK);
    /* by key, by pg, by pg and MID */
    assert_int_equal(vbank_channel(&m, "channel-key-settle", NULL, &ch, detail), MOCK_OK);
    assert_int_equal(vbank_channel(&m, NULL, "settle.settle01", &ch, detail), MOCK_OK);
    assert_int_equal(vbank_channel(&m, NULL, "settle.other", &ch, detail), MOCK_VBANK_NO_CONTRACT);
    assert_string_equal(detail, "pg: settle.other");
    /* a key-in channel issues no account, and a key beats pg */
    assert_int_equal(vbank_channel(&m, NULL, "nice", &ch, detail), MOCK_VBANK_NO_CONTRACT);
    assert_int_equal(vbank_channel(&m, "channel-key-x", "settle", &ch, detail),
                     MOCK_VBANK_NO_CONTRACT);
    /* two API vbank PGs: one must be named */
    m.channels[2] = vbank_channel_of("tosspayments", "tosstest", "channel-key-toss");
    m.n_channels = 3;
    assert_int_equal(vbank_channel(&m, NULL, NULL, &ch, detail), MOCK_VBANK_PG_REQUIRED);
    assert_int_equal(vbank_channel(&m, NULL, "tosspayments", &ch, detail), MOCK_OK);
    assert_string_equal(ch.pg_id, "tosstest");
    /* a vbank channel on a PG that cannot issue by API does not count */
    m.channels[2] = vbank_channel_of("kakaopay", "TC0ONETIME", "");
    assert_int_equal(vbank_channel(&m, NULL, NULL, &ch, detail), MOCK_OK);
    assert_string_equal(ch.pg_provider, "settle");
    m.n_channels = 1;
    assert_int_equal(vbank_channel(&m, NULL, NULL, &ch, detail), MOCK_VBANK_NO_CONTRACT);
}

/* ---- what each PG requires ---- */

static void test_pg_requirements(void **state)
{
    (void)state;
    char kftc[4], detail[VBANK_DETAIL_MAX];
    struct vbank_order o = order("o1");
    struct channel settle = vbank_channel_of("settle", "s", "");
    assert_int_equal(vbank_check_order(&settle, &o, T0, kftc, detail), MOCK_OK);
    assert_string_equal(kftc, "088");
    o.vbank_holder = "";
    assert_int_equal(vbank_check_order(&settle, &o, T0, kftc, detail), MOCK_VBANK_MISSING);
    assert_string_equal(detail, "vbank_holder");
    /* KG이니시스: holder, buyer name and email, then its pg_api_key */
    struct channel inicis = vbank_channel_of("html5_inicis", "INIpayTest", "");
    o = order("o1");
    assert_int_equal(vbank_check_order(&inicis, &o, T0, kftc, detail), MOCK_VBANK_MISSING);
    assert_string_equal(detail, "buyer_name");
    o.buyer_name = "홍길동";
    o.buyer_email = "a@example.com";
    assert_int_equal(vbank_check_order(&inicis, &o, T0, kftc, detail), MOCK_VBANK_HASH_MISMATCH);
    o.pg_api_key = "key";
    assert_int_equal(vbank_check_order(&inicis, &o, T0, kftc, detail), MOCK_OK);
    /* KSNET: product_type; Toss Payments: no holder needed */
    struct channel ksnet = vbank_channel_of("ksnet", "k", "");
    o = order("o1");
    o.buyer_name = "홍길동";
    assert_int_equal(vbank_check_order(&ksnet, &o, T0, kftc, detail), MOCK_VBANK_MISSING);
    assert_string_equal(detail, "product_type");
    struct channel toss = vbank_channel_of("tosspayments", "t", "");
    o.vbank_holder = NULL;
    assert_int_equal(vbank_check_order(&toss, &o, T0, kftc, detail), MOCK_OK);
    /* banks: unknown anywhere, or not among the few nice_v2 takes */
    o = order("o1");
    o.vbank_code = "999";
    assert_int_equal(vbank_check_order(&settle, &o, T0, kftc, detail), MOCK_VBANK_BANK_UNKNOWN);
    assert_string_equal(detail, "999");
    struct channel nice_v2 = vbank_channel_of("nice_v2", "n", "");
    o.vbank_code = "BK90"; /* 카카오뱅크 */
    assert_int_equal(vbank_check_order(&nice_v2, &o, T0, kftc, detail), MOCK_VBANK_BANK_UNKNOWN);
    assert_string_equal(detail, "090 (nice_v2)");
    o.vbank_code = "04";
    assert_int_equal(vbank_check_order(&nice_v2, &o, T0, kftc, detail), MOCK_OK);
    /* the deadline must be ahead */
    o.vbank_due = T0;
    assert_int_equal(vbank_check_order(&nice_v2, &o, T0, kftc, detail), MOCK_VBANK_DUE_PAST);
}

/* ---- deposits, refunds, revocation, notices ---- */

static void test_deposit_rules(void **state)
{
    (void)state;
    char detail[VBANK_DETAIL_MAX];
    struct payment p = account(PAY_READY);
    assert_int_equal(vbank_deposit_check(&p, 10000, T0, detail), MOCK_OK);
    assert_int_equal(vbank_deposit_check(&p, 10000, DUE, detail), MOCK_OK); /* the last second */
    assert_int_equal(vbank_deposit_check(&p, 10000, DUE + 1, detail), MOCK_VBANK_EXPIRED);
    assert_true(vbank_expired(&p, DUE + 1));
    assert_false(vbank_expired(&p, DUE));
    assert_int_equal(vbank_deposit_check(&p, 9999, T0, detail), MOCK_VBANK_DEPOSIT_AMOUNT);
    assert_string_equal(detail, "10000");
    assert_int_equal(vbank_deposit_check(&p, 10001, T0, detail), MOCK_VBANK_DEPOSIT_AMOUNT);
    p.status = PAY_PAID;
    assert_int_equal(vbank_deposit_check(&p, 10000, T0, detail), MOCK_VBANK_NOT_READY);
    assert_string_equal(detail, "paid");
    snprintf(p.pay_method, sizeof p.pay_method, "card");
    assert_int_equal(vbank_deposit_check(&p, 10000, T0, detail), MOCK_VBANK_NOT_VBANK);
    assert_false(vbank_expired(&p, DUE + 1)); /* only accounts expire */
}

static void test_refund_account_rules(void **state)
{
    (void)state;
    char detail[VBANK_DETAIL_MAX];
    struct vbank_refund none = {0};
    struct vbank_refund full = {"홍길동", "88", "110123456789", NULL};
    struct payment p = account(PAY_PAID);
    assert_int_equal(vbank_refund_check(&p, &none, detail), MOCK_VBANK_REFUND_ACCOUNT);
    struct vbank_refund part = {"홍길동", "088", "", NULL};
    assert_int_equal(vbank_refund_check(&p, &part, detail), MOCK_VBANK_REFUND_ACCOUNT);
    assert_int_equal(vbank_refund_check(&p, &full, detail), MOCK_OK);
    struct vbank_refund odd = {"홍길동", "X1", "110", NULL};
    assert_int_equal(vbank_refund_check(&p, &odd, detail), MOCK_VBANK_BANK_UNKNOWN);
    assert_string_equal(detail, "X1");
    /* nothing to send back, or not an account: no refund account needed */
    p.status = PAY_READY;
    assert_int_equal(vbank_refund_check(&p, &none, detail), MOCK_OK);
    p.status = PAY_PAID;
    snprintf(p.pay_method, sizeof p.pay_method, "card");
    assert_int_equal(vbank_refund_check(&p, &none, detail), MOCK_OK);
}

static void test_revoke_and_notices(void **state)
{
    (void)state;
    struct payment p = account(PAY_READY);
    p.vbank_deposit_at = T0 + 60;
    vbank_revoke_apply(&p, T0 + 5);
    assert_int_equal(p.status, PAY_CANCELLED);
    assert_int_equal(p.cancelled_at, T0 + 5);
    assert_int_equal(p.cancel_amount, 0);
    assert_int_equal(p.n_cancels, 0);
    assert_int_equal(p.vbank_deposit_at, 0);
    assert_string_equal(notice_of_vbank(NOTICE_VBANK_ISSUED), "ready");
    assert_string_equal(notice_of_vbank(NOTICE_VBANK_DEPOSITED), "paid");
    assert_null(notice_of_vbank(NOTICE_VBANK_CHANGED));
    assert_null(notice_of_vbank(NOTICE_VBANK_REVOKED));
    assert_null(notice_of_vbank(NOTICE_VBANK_EXPIRED));
}

/* ---- the store: packed fields and the scripted-deposit index ---- */

struct fixture {
    struct store *s;
    int a, b;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct merchant m;
    if (!f)
        return -1;
    f->s = store_new();
    merchant_init(&m, "a");
    if (!f->s || store_tenant_add(f->s, &m, &f->a) != MOCK_OK)
        return -1;
    merchant_init(&m, "b");
    if (store_tenant_add(f->s, &m, &f->b) != MOCK_OK)
        return -1;
    clock_set(T0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_free(f->s);
    free(f);
    vbank_set_outcome_hook(NULL, NULL);
    return 0;
}

static void insert(struct store *s, int tid, const char *imp_uid, int64_t deposit_at)
{
    struct payment p = account(PAY_READY);
    snprintf(p.imp_uid, sizeof p.imp_uid, "%s", imp_uid);
    p.vbank_deposit_at = deposit_at;
    assert_true(str_set(&p.vbank_code, "088") && str_set(&p.vbank_num, "X1234567890123"));
    assert_int_equal(store_payment_insert(s, tid, &p, false, NULL), MOCK_OK);
    payment_fini(&p);
}

static void test_packed_fields_round_trip(void **state)
{
    struct fixture *f = *state;
    insert(f->s, f->a, "imp_1", T0 + 90);
    struct payment p;
    assert_int_equal(store_payment_get(f->s, f->a, "imp_1", &p), MOCK_OK);
    assert_int_equal(p.vbank_date, DUE);
    assert_int_equal(p.vbank_issued_at, T0);
    assert_int_equal(p.vbank_deposit_at, T0 + 90);
    assert_string_equal(p.vbank_code, "088");
    assert_string_equal(p.vbank_num, "X1234567890123");
    assert_null(p.vbank_holder);
    payment_fini(&p);
}

static void expect_due(struct store *s, int64_t until, size_t max, const char *const *uids,
                       size_t n)
{
    struct vbank_due d[64];
    size_t got = store_vbank_due(s, until, max, d);
    assert_int_equal(got, n);
    for (size_t i = 0; i < got; i++)
        assert_string_equal(d[i].imp_uid, uids[i]);
}

static void test_due_index_order_and_upkeep(void **state)
{
    struct fixture *f = *state;
    insert(f->s, f->a, "imp_late", T0 + 300);
    insert(f->s, f->b, "imp_first", T0 + 100);
    insert(f->s, f->a, "imp_tie", T0 + 300); /* same time, scripted after imp_late */
    insert(f->s, f->a, "imp_none", 0);
    const char *all[] = {"imp_first", "imp_late", "imp_tie"};
    expect_due(f->s, T0 + 1000, 64, all, 3);
    expect_due(f->s, T0 + 299, 64, all, 1);
    expect_due(f->s, T0 + 1000, 2, all, 2); /* the earliest max */
    /* a payment that is no longer waiting leaves the index */
    struct payment p;
    assert_int_equal(store_payment_get(f->s, f->b, "imp_first", &p), MOCK_OK);
    p.status = PAY_PAID;
    assert_int_equal(store_payment_replace(f->s, f->b, &p), MOCK_OK);
    payment_fini(&p);
    const char *left[] = {"imp_late", "imp_tie"};
    expect_due(f->s, T0 + 1000, 64, left, 2);
    /* rescripted earlier: it moves */
    assert_int_equal(store_payment_get(f->s, f->a, "imp_tie", &p), MOCK_OK);
    p.vbank_deposit_at = T0 + 200;
    assert_int_equal(store_payment_replace(f->s, f->a, &p), MOCK_OK);
    payment_fini(&p);
    const char *moved[] = {"imp_tie", "imp_late"};
    expect_due(f->s, T0 + 1000, 64, moved, 2);
    /* a tenant emptied takes its entries along */
    store_tenant_clear(f->s, f->a);
    expect_due(f->s, T0 + 1000, 64, NULL, 0);
}

/* ---- issuing and scripted deposits on a frozen clock ---- */

static int64_t scripted_after = -1; /* the hook's deposit_after_s; -1: no script */
static bool refuse_next;

static bool hook(void *ud, const struct vbank_attempt *a, struct vbank_outcome *ret)
{
    (void)ud;
    (void)a;
    if (refuse_next) {
        ret->verdict = VBANK_REFUSED;
        snprintf(ret->message, sizeof ret->message, "[V1]거절");
        return true;
    }
    if (scripted_after < 0)
        return false;
    ret->verdict = VBANK_DEPOSIT_LATER;
    ret->deposit_after_s = scripted_after;
    return true;
}

static void test_issue_holders_and_refusal(void **state)
{
    struct fixture *f = *state;
    struct payment p;
    char detail[VBANK_DETAIL_MAX];
    struct vbank_order o = order("o-1");
    assert_int_equal(vbank_issue(f->s, f->a, &o, &p, detail), MOCK_OK);
    assert_string_equal(p.pay_method, "vbank");
    assert_int_equal(p.status, PAY_READY);
    assert_string_equal(p.vbank_holder, "상점");
    assert_string_equal(p.vbank_name, "신한");
    assert_int_equal(p.vbank_deposit_at, 0);
    payment_fini(&p);
    /* Toss Payments reports no holder; KSNET shows the merchant's name */
    struct merchant m;
    merchant_init(&m, "t");
    m.channels[1] = vbank_channel_of("tosspayments", "tosstest", "");
    m.channels[2] = vbank_channel_of("ksnet", "kstest", "");
    m.n_channels = 3;
    int t;
    assert_int_equal(store_tenant_add(f->s, &m, &t), MOCK_OK);
    o.pg = "tosspayments";
    o.buyer_name = "홍길동";
    assert_int_equal(vbank_issue(f->s, t, &o, &p, detail), MOCK_OK);
    assert_null(p.vbank_holder);
    payment_fini(&p);
    o.pg = "ksnet";
    o.product_type = "digital";
    assert_int_equal(vbank_issue(f->s, t, &o, &p, detail), MOCK_OK);
    assert_string_equal(p.vbank_holder, "테스트상점");
    payment_fini(&p);
    /* a refusal stores nothing */
    vbank_set_outcome_hook(hook, NULL);
    refuse_next = true;
    o = order("o-2");
    assert_int_equal(vbank_issue(f->s, f->a, &o, &p, detail), MOCK_PG_FAILED);
    assert_string_equal(detail, "[V1]거절");
    refuse_next = false;
    struct pay_query q = {.merchant_uid = "o-2", .status = -1, .page = 1, .limit = 10};
    struct pay_page pg;
    assert_int_equal(store_payment_query(f->s, f->a, &q, &pg), MOCK_OK);
    assert_int_equal(pg.total, 0);
    store_page_free(&pg);
}

static void test_scripted_deposits_in_due_order(void **state)
{
    struct fixture *f = *state;
    struct payment p, q, r;
    char detail[VBANK_DETAIL_MAX];
    vbank_set_outcome_hook(hook, NULL);
    scripted_after = 600;
    struct vbank_order o = order("s-1");
    assert_int_equal(vbank_issue(f->s, f->a, &o, &p, detail), MOCK_OK);
    o = order("s-2");
    o.vbank_due = T0 + 300; /* its deadline comes before the deposit */
    assert_int_equal(vbank_issue(f->s, f->a, &o, &q, detail), MOCK_OK);
    scripted_after = 0; /* deposited at once, right after issuance */
    o = order("s-3");
    assert_int_equal(vbank_issue(f->s, f->a, &o, &r, detail), MOCK_OK);
    assert_int_equal(r.status, PAY_READY); /* the answer is the account as issued */
    scripted_after = -1;
    struct payment now;
    assert_int_equal(store_payment_get(f->s, f->a, r.imp_uid, &now), MOCK_OK);
    assert_int_equal(now.status, PAY_PAID);
    assert_int_equal(now.paid_at, T0);
    payment_fini(&now);
    assert_int_equal(vbank_run_due(f->s, T0 + 599), 0);
    clock_set(T0 + 5000);
    assert_int_equal(vbank_run_due(f->s, T0 + 5000), 2);
    assert_int_equal(store_payment_get(f->s, f->a, p.imp_uid, &now), MOCK_OK);
    assert_int_equal(now.status, PAY_PAID);
    assert_int_equal(now.paid_at, T0 + 600); /* dated when it came due */
    assert_int_equal(now.vbank_deposit_at, 0);
    payment_fini(&now);
    assert_int_equal(store_payment_get(f->s, f->a, q.imp_uid, &now), MOCK_OK);
    assert_int_equal(now.status, PAY_READY); /* expired: the bank sent it back */
    assert_int_equal(now.vbank_deposit_at, 0);
    payment_fini(&now);
    assert_int_equal(vbank_run_due(f->s, T0 + 100000), 0); /* nothing left */
    payment_fini(&p);
    payment_fini(&q);
    payment_fini(&r);
    clock_set(T0);
}

static void test_change_and_revoke(void **state)
{
    struct fixture *f = *state;
    struct payment p, c;
    char detail[VBANK_DETAIL_MAX];
    struct vbank_order o = order("c-1");
    assert_int_equal(vbank_issue(f->s, f->a, &o, &p, detail), MOCK_OK);
    struct vbank_change ch = {true, 12000, true, DUE + 60};
    assert_int_equal(vbank_change(f->s, f->a, p.imp_uid, &ch, &c, detail), MOCK_OK);
    assert_int_equal(c.amount, 12000);
    assert_int_equal(c.vbank_date, DUE + 60);
    payment_fini(&c);
    assert_int_equal(vbank_deposit(f->s, f->a, p.imp_uid, true, 10000, &c, detail),
                     MOCK_VBANK_DEPOSIT_AMOUNT);
    assert_int_equal(vbank_revoke(f->s, f->a, p.imp_uid, NULL, &c, detail), MOCK_OK);
    assert_int_equal(c.status, PAY_CANCELLED);
    payment_fini(&c);
    assert_int_equal(vbank_change(f->s, f->a, p.imp_uid, &ch, &c, detail), MOCK_VBANK_NOT_READY);
    assert_int_equal(vbank_change(f->s, f->a, "imp_nope", &ch, &c, detail), MOCK_PAYMENT_NOT_FOUND);
    payment_fini(&p);
    /* only settle changes an account */
    struct merchant m;
    merchant_init(&m, "n");
    m.channels[1] = vbank_channel_of("nice", "nicevbank", "");
    int t;
    assert_int_equal(store_tenant_add(f->s, &m, &t), MOCK_OK);
    o = order("c-2");
    assert_int_equal(vbank_issue(f->s, t, &o, &p, detail), MOCK_OK);
    assert_int_equal(vbank_change(f->s, t, p.imp_uid, &ch, &c, detail), MOCK_VBANK_EDIT_PG);
    assert_string_equal(detail, "nice");
    payment_fini(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bank_codes_as_pgs_spell_them),
        cmocka_unit_test(test_test_accounts_by_digits),
        cmocka_unit_test(test_channel_choice),
        cmocka_unit_test(test_pg_requirements),
        cmocka_unit_test(test_deposit_rules),
        cmocka_unit_test(test_refund_account_rules),
        cmocka_unit_test(test_revoke_and_notices),
        cmocka_unit_test_setup_teardown(test_packed_fields_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due_index_order_and_upkeep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issue_holders_and_refusal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scripted_deposits_in_due_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_and_revoke, setup, teardown),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
