/* test_billing.c - billing rules (mock/domain/billing.c): expiry, pg parsing,
 * channel choice, card checks, the outcome decision and its hook, and the
 * charge paths against a real store (duplicates, retries, pre-registration). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/billing.h"
#include "infra/clock.h"
#include "state/fixtures.h"
#include "state/ids.h"
#include "unit_harness.h"

#include <stdio.h>
#include <string.h>

#define T_2030_06_15 1907712000LL /* 2030-06-15 00:00:00 UTC */

static struct merchant merchant_with(bool keyin)
{
    struct merchant m;
    memset(&m, 0, sizeof m);
    snprintf(m.imp_key, sizeof m.imp_key, "k%d", keyin);
    snprintf(m.merchant_code, sizeof m.merchant_code, "imp0000000%d", keyin);
    struct channel ch[] = {
        {.pg_provider = "kakaopay", .pg_id = "TC0ONETIME", .kind = CHANNEL_ONETIME},
        {.pg_provider = "kakaopay", .pg_id = "TCSUBSCRIP", .kind = CHANNEL_SUBSCRIPTION},
        {.pg_provider = "nice", .pg_id = "nictest04m", .kind = CHANNEL_KEYIN},
        {.pg_provider = "nice", .pg_id = "nictest99m", .kind = CHANNEL_KEYIN},
    };
    m.n_channels = keyin ? 4 : 2;
    memcpy(m.channels, ch, m.n_channels * sizeof ch[0]);
    return m;
}

/* ---- pure rules ---- */

static void test_expiry_parse(void **state)
{
    (void)state;
    int y = 0, mo = 0;
    assert_true(billing_expiry_parse("2030-12", &y, &mo));
    assert_int_equal(y, 2030);
    assert_int_equal(mo, 12);
    assert_true(billing_expiry_parse("203001", &y, &mo));
    assert_int_equal(mo, 1);
    assert_false(billing_expiry_parse("2030-13", &y, &mo));
    assert_false(billing_expiry_parse("2030-00", &y, &mo));
    assert_false(billing_expiry_parse("12/30", &y, &mo));
    assert_false(billing_expiry_parse("2030-1", &y, &mo));
    assert_false(billing_expiry_parse("2030/12", &y, &mo));
    assert_false(billing_expiry_parse("", &y, &mo));
}

static void test_expiry_current(void **state)
{
    (void)state;
    assert_true(billing_expiry_current(2030, 6, T_2030_06_15)); /* the expiry month itself */
    assert_true(billing_expiry_current(2031, 1, T_2030_06_15));
    assert_false(billing_expiry_current(2030, 5, T_2030_06_15));
    assert_false(billing_expiry_current(2029, 12, T_2030_06_15));
    /* 2030-06-30 15:00 UTC is already July 1st in Korea */
    int64_t kst_july = 1909062000LL;
    assert_true(billing_expiry_current(2030, 6, kst_july - 1));
    assert_false(billing_expiry_current(2030, 6, kst_july));
}

static void test_pg_parse(void **state)
{
    (void)state;
    char p[PG_PROVIDER_MAX + 1], mid[PG_ID_MAX + 1];
    assert_true(billing_pg_parse("nice", p, mid));
    assert_string_equal(p, "nice");
    assert_string_equal(mid, "");
    assert_true(billing_pg_parse("kakaopay.TCSUBSCRIP", p, mid));
    assert_string_equal(p, "kakaopay");
    assert_string_equal(mid, "TCSUBSCRIP");
    assert_false(billing_pg_parse("", p, mid));
    assert_false(billing_pg_parse(".MID", p, mid));
    assert_false(billing_pg_parse("nice.", p, mid));
    assert_false(billing_pg_parse("a_provider_name_that_is_too_long", p, mid));
}

static void test_channel_choice(void **state)
{
    (void)state;
    struct merchant m = merchant_with(true);
    struct channel ch;
    char detail[BILLING_DETAIL_MAX];
    assert_int_equal(billing_channel(&m, NULL, &ch, detail), MOCK_OK);
    assert_string_equal(ch.pg_id, "nictest04m"); /* the first key-in channel */
    assert_int_equal(billing_channel(&m, "nice", &ch, detail), MOCK_OK);
    assert_string_equal(ch.pg_id, "nictest04m");
    assert_int_equal(billing_channel(&m, "nice.nictest99m", &ch, detail), MOCK_OK);
    assert_string_equal(ch.pg_id, "nictest99m");
    assert_int_equal(billing_channel(&m, "nice.other", &ch, detail), MOCK_NO_KEYIN_PG);
    assert_int_equal(billing_channel(&m, "kcp", &ch, detail), MOCK_NO_KEYIN_PG);
    assert_int_equal(billing_channel(&m, "kakaopay", &ch, detail), MOCK_PG_NO_API_BILLING);
    assert_string_equal(detail, "kakaopay");
    assert_int_equal(billing_channel(&m, "kakaopay.TCSUBSCRIP", &ch, detail),
                     MOCK_PG_NO_API_BILLING);

    struct merchant none = merchant_with(false);
    assert_int_equal(billing_channel(&none, NULL, &ch, detail), MOCK_NO_KEYIN_PG);
    assert_int_equal(billing_channel(&none, "nice", &ch, detail), MOCK_NO_KEYIN_PG);
}

static enum mock_err check(const char *number, const char *expiry, const char *birth,
                           const char *pwd, struct billing_card_info *info, char *detail)
{
    struct billing_card c = {number, expiry, birth, pwd};
    return billing_card_check(&unit_fixtures()->cards, &c, T_2030_06_15, info, detail);
}

static void test_card_check(void **state)
{
    (void)state;
    struct billing_card_info info;
    char detail[BILLING_DETAIL_MAX];

    assert_int_equal(check("4242-4242-4242-4242", "2031-01", "900101", "12", &info, detail),
                     MOCK_OK);
    assert_string_equal(info.masked, "424242******4242");
    assert_string_equal(info.card_name, "신한카드");
    assert_true(info.profile >= 0);

    /* only test cards are cards: another Luhn-valid number of a known BIN
     * is refused by the card company, one of an unknown BIN by the PG,
     * before the expiry is looked at */
    assert_int_equal(check("4111-1111-1111-1111", "2031-01", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F113]거래거절 카드번호틀림");
    assert_int_equal(check("9410-1234-5678-9012", "2031-01", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F113]거래거절 카드번호틀림");
    assert_int_equal(check("1111-2222-3333-4444", "2031-01", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F112]유효하지않은 카드번호를 입력하셨습니다.");
    assert_int_equal(check("1111-2222-3333-4444", "2001-01", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F112]유효하지않은 카드번호를 입력하셨습니다.");
    assert_int_equal(check("4242-4242-4242-4242", "2001-01", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F112]유효기간 경과카드");

    assert_int_equal(check("4242-4242-4242-4241", "2031-01", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F113]거래거절 카드번호틀림");
    assert_int_equal(check("4242-abcd", "2031-01", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F113]거래거절 카드번호틀림");

    assert_int_equal(check("4242-4242-4242-4242", "2030-05", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F112]유효기간 경과카드");

    /* the auth_fail test card answers its own text */
    assert_int_equal(check("4000-0000-0000-0069", "2031-01", NULL, NULL, &info, detail),
                     MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F112]유효기간 경과카드");

    /* a decline card issues fine: it fails only when charged */
    assert_int_equal(check("4000-0000-0000-0002", "2031-01", NULL, NULL, &info, detail), MOCK_OK);

    /* malformed fields are bad parameters, each with a row naming the field */
    assert_int_equal(check("4242-4242-4242-4242", "31/01", NULL, NULL, &info, detail),
                     MOCK_CARD_EXPIRY_FORMAT);
    assert_true(mock_err_bad_param(MOCK_CARD_EXPIRY_FORMAT));
    assert_non_null(strstr(mock_err_message(MOCK_CARD_EXPIRY_FORMAT), "expiry"));
    assert_int_equal(check("4242-4242-4242-4242", "2031-01", "9001", NULL, &info, detail),
                     MOCK_CARD_BIRTH_FORMAT);
    assert_true(mock_err_bad_param(MOCK_CARD_BIRTH_FORMAT));
    assert_non_null(strstr(mock_err_message(MOCK_CARD_BIRTH_FORMAT), "birth"));
    assert_int_equal(check("4242-4242-4242-4242", "2031-01", "1234567890", "1", &info, detail),
                     MOCK_CARD_PWD_FORMAT);
    assert_true(mock_err_bad_param(MOCK_CARD_PWD_FORMAT));
    assert_non_null(strstr(mock_err_message(MOCK_CARD_PWD_FORMAT), "pwd_2digit"));
}

/* ---- the outcome decision ---- */

static int card_index(const char *digits)
{
    int i = cards_find(&unit_fixtures()->cards, digits);
    assert_true(i >= 0);
    return i;
}

static void test_decide_by_card(void **state)
{
    (void)state;
    struct billing b = {NULL, &unit_fixtures()->cards};
    struct billing_attempt a = {.door = BILLING_DOOR_AGAIN, .card_profile = -1, .charge_no = 1};
    struct billing_outcome out;
    billing_decide(&b, &a, &out);
    assert_int_equal(out.verdict, BILLING_APPROVED);

    a.card_profile = card_index("4000000000003220"); /* approve 2, then decline */
    for (uint64_t n = 1; n <= 4; n++) {
        a.charge_no = n;
        billing_decide(&b, &a, &out);
        assert_int_equal(out.verdict, n <= 2 ? BILLING_APPROVED : BILLING_DECLINED);
        if (n > 2)
            assert_string_equal(out.message, "[F302]잔액부족");
    }

    a.card_profile = card_index("4000000000009995");
    a.charge_no = 1;
    billing_decide(&b, &a, &out);
    assert_int_equal(out.verdict, BILLING_DECLINED);
    assert_string_equal(out.message, "[F302]잔액부족");

    /* a key issuance the card check let through is not declined by the card */
    a.door = BILLING_DOOR_ISSUE;
    billing_decide(&b, &a, &out);
    assert_int_equal(out.verdict, BILLING_APPROVED);
}

static int hook_calls;
static char hook_text[] = "scenario says no";

/* A stand-in scenario: one verdict per door, keyed on merchant_uid "hooked*"
 * for charges and customer_uid "hooked*" for issuance. */
static bool scripted(void *ud, const struct billing_attempt *a, struct billing_outcome *ret)
{
    hook_calls++;
    const char *key = a->door == BILLING_DOOR_ISSUE ? a->customer_uid : a->merchant_uid;
    if (!key || strncmp(key, "hooked", 6) != 0)
        return false;
    switch (a->door) {
    case BILLING_DOOR_SCHEDULE:
        ret->verdict = BILLING_DECLINED;
        break;
    case BILLING_DOOR_AGAIN:
    case BILLING_DOOR_ONETIME:
        ret->verdict = BILLING_PG_ERROR;
        break;
    default:
        ret->verdict = BILLING_AUTH_FAILED;
        break;
    }
    snprintf(ret->message, sizeof ret->message, "%s", (const char *)ud);
    return true;
}

static void test_decide_hook(void **state)
{
    (void)state;
    struct billing b = {NULL, &unit_fixtures()->cards};
    struct billing_attempt a = {
        .door = BILLING_DOOR_SCHEDULE, .merchant_uid = "plain", .card_profile = -1, .charge_no = 1};
    struct billing_outcome out;
    hook_calls = 0;
    billing_set_outcome_hook(scripted, hook_text);
    billing_decide(&b, &a, &out); /* no override: the card decides */
    assert_int_equal(out.verdict, BILLING_APPROVED);
    a.merchant_uid = "hooked_1";
    billing_decide(&b, &a, &out);
    assert_int_equal(out.verdict, BILLING_DECLINED);
    assert_string_equal(out.message, "scenario says no");
    assert_int_equal(hook_calls, 2);
    billing_set_outcome_hook(NULL, NULL);
    billing_decide(&b, &a, &out);
    assert_int_equal(out.verdict, BILLING_APPROVED);
    assert_int_equal(hook_calls, 2);
}

/* ---- charges against a real store ---- */

static enum mock_err issue(struct unit_world *w, const char *uid, const char *number)
{
    struct billing_card card = {number, "2099-12", NULL, NULL};
    struct billing_holder h = {.name = "홍길동", .email = "hong@example.com"};
    struct customer c;
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e = billing_issue_key(&w->billing, w->a, uid, NULL, &card, &h, &c, detail);
    if (e == MOCK_OK)
        customer_fini(&c);
    return e;
}

static enum mock_err again(struct unit_world *w, const char *uid, const char *muid, int64_t amount,
                           struct payment *ret)
{
    struct billing_order o = {.merchant_uid = muid, .amount = amount, .name = "plan"};
    char detail[BILLING_DETAIL_MAX];
    return billing_charge_key(&w->billing, w->a, uid, BILLING_DOOR_AGAIN, &o, ret, detail);
}

static void test_issue_replace_keeps_inserted(void **state)
{
    struct unit_world *w = *state;
    clock_freeze(true);
    clock_set(T_2030_06_15);
    assert_int_equal(issue(w, "cust_r", "4242-4242-4242-4242"), MOCK_OK);
    clock_advance(60);
    assert_int_equal(issue(w, "cust_r", "4000-0000-0000-0002"), MOCK_OK);
    struct customer c;
    assert_int_equal(store_customer_get(w->s, w->a, "cust_r", &c), MOCK_OK);
    assert_int_equal(c.inserted, T_2030_06_15);
    assert_int_equal(c.updated, T_2030_06_15 + 60);
    assert_string_equal(c.card_number, "400000******0002");
    assert_string_equal(c.customer_name, "홍길동");
    assert_string_equal(c.pg_provider, "nice");
    customer_fini(&c);
    clock_reset();
}

static void test_again_paid_and_declined(void **state)
{
    struct unit_world *w = *state;
    struct payment p;
    assert_int_equal(issue(w, "cust_ok", "4242-4242-4242-4242"), MOCK_OK);
    assert_int_equal(again(w, "cust_ok", "order_a1", 9900, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID);
    assert_string_equal(p.channel, "api");
    assert_int_equal(strncmp(p.imp_uid, "imps_", 5), 0);
    assert_int_equal(strlen(p.imp_uid), 17);
    assert_string_equal(p.customer_uid_usage, "payment");
    assert_string_equal(p.pg_provider, "nice");
    assert_string_equal(p.pg_id, "nictest04m");
    assert_int_equal(strlen(p.apply_num), 8);
    assert_non_null(p.receipt_url);
    assert_string_equal(p.buyer_name, "홍길동"); /* from the key's customer_name */
    assert_true(p.paid_at > 0);
    assert_int_equal(p.failed_at, 0);
    payment_fini(&p);

    assert_int_equal(issue(w, "cust_no", "4000-0000-0000-0002"), MOCK_OK);
    assert_int_equal(again(w, "cust_no", "order_d1", 9900, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_FAILED);
    assert_string_equal(p.fail_reason, "[F601]거래거절 카드사 승인거절");
    assert_int_equal(p.paid_at, 0);
    assert_true(p.failed_at > 0);
    assert_null(p.receipt_url);
    assert_null(p.apply_num);
    payment_fini(&p);

    assert_int_equal(again(w, "nobody", "order_x", 100, &p), MOCK_CUSTOMER_UNKNOWN);
}

static void test_again_duplicates_and_retry(void **state)
{
    struct unit_world *w = *state;
    struct payment p;
    char first[IMP_UID_MAX + 1];
    assert_int_equal(issue(w, "cust_dup", "4000-0000-0000-0002"), MOCK_OK);
    assert_int_equal(again(w, "cust_dup", "order_retry", 500, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_FAILED);
    memcpy(first, p.imp_uid, sizeof first);
    payment_fini(&p);

    /* the failed order may be retried with another card: a new imp_uid */
    assert_int_equal(issue(w, "cust_dup", "4242-4242-4242-4242"), MOCK_OK);
    assert_int_equal(again(w, "cust_dup", "order_retry", 500, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID);
    assert_string_not_equal(p.imp_uid, first);
    payment_fini(&p);

    /* once paid, refused before any charge (the count does not move) */
    struct customer before, after;
    assert_int_equal(store_customer_get(w->s, w->a, "cust_dup", &before), MOCK_OK);
    assert_int_equal(again(w, "cust_dup", "order_retry", 500, &p), MOCK_ALREADY_PAID);
    assert_int_equal(store_customer_get(w->s, w->a, "cust_dup", &after), MOCK_OK);
    assert_int_equal(before.charges, after.charges);
    customer_fini(&before);
    customer_fini(&after);

    struct pay_query q = {.merchant_uid = "order_retry", .status = -1, .page = 1, .limit = 10};
    struct pay_page pg;
    assert_int_equal(store_payment_query(w->s, w->a, &q, &pg), MOCK_OK);
    assert_int_equal(pg.total, 2);
    store_page_free(&pg);
}

static void test_prepare_and_quota(void **state)
{
    struct unit_world *w = *state;
    struct payment p;
    struct prepare pr = {.merchant_uid = "order_prep", .amount = 1000};
    assert_int_equal(store_prepare_put(w->s, w->a, &pr, false), MOCK_OK);
    assert_int_equal(issue(w, "cust_prep", "4242-4242-4242-4242"), MOCK_OK);
    assert_int_equal(again(w, "cust_prep", "order_prep", 999, &p), MOCK_PREPARE_MISMATCH);
    assert_int_equal(store_order_check(w->s, w->a, "order_prep"), MOCK_OK);
    assert_int_equal(again(w, "cust_prep", "order_prep", 1000, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID);
    payment_fini(&p);

    assert_int_equal(billing_check_prepare(w->s, w->a, "unregistered", 5, NULL), MOCK_OK);
    struct prepare usd = {.merchant_uid = "order_usd", .amount = 10, .currency = "USD"};
    assert_int_equal(store_prepare_put(w->s, w->a, &usd, false), MOCK_OK);
    assert_int_equal(billing_check_prepare(w->s, w->a, "order_usd", 10, NULL),
                     MOCK_PREPARE_MISMATCH);
    assert_int_equal(billing_check_prepare(w->s, w->a, "order_usd", 10, "USD"), MOCK_OK);

    struct billing_order o = {.merchant_uid = "order_q", .amount = 49999, .card_quota = 3};
    char detail[BILLING_DETAIL_MAX];
    assert_int_equal(
        billing_charge_key(&w->billing, w->a, "cust_prep", BILLING_DOOR_AGAIN, &o, &p, detail),
        MOCK_QUOTA_UNDER_MIN);
    o.amount = 50000;
    assert_int_equal(
        billing_charge_key(&w->billing, w->a, "cust_prep", BILLING_DOOR_AGAIN, &o, &p, detail),
        MOCK_OK);
    assert_int_equal(p.card_quota, 3);
    payment_fini(&p);
}

static void test_onetime(void **state)
{
    struct unit_world *w = *state;
    struct billing_card card = {"4000-0000-0000-3220", "2099-01", "900101", "00"};
    struct billing_holder buyer = {.name = "김철수", .tel = "01012345678"};
    struct billing_order o = {.merchant_uid = "order_once", .amount = 1200, .buyer_name = "김철수"};
    struct payment p;
    char detail[BILLING_DETAIL_MAX];

    assert_int_equal(
        billing_charge_card(&w->billing, w->a, NULL, &card, NULL, &buyer, &o, &p, detail), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID);
    assert_null(p.customer_uid);
    assert_null(p.customer_uid_usage);
    assert_string_equal(p.card_number, "400000******3220");
    payment_fini(&p);

    /* with a customer_uid the key is stored and this charge is its first */
    o.merchant_uid = "order_once_key";
    assert_int_equal(
        billing_charge_card(&w->billing, w->a, NULL, &card, "cust_once", &buyer, &o, &p, detail),
        MOCK_OK);
    assert_string_equal(p.customer_uid, "cust_once");
    assert_string_equal(p.customer_uid_usage, "issue");
    payment_fini(&p);
    struct customer c;
    assert_int_equal(store_customer_get(w->s, w->a, "cust_once", &c), MOCK_OK);
    assert_string_equal(c.customer_name, "김철수");
    assert_string_equal(c.customer_tel, "01012345678");
    assert_int_equal(c.charges, 1);
    customer_fini(&c);
    assert_int_equal(again(w, "cust_once", "order_once_2", 1200, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID); /* charge 2 of "approve 2" */
    payment_fini(&p);
    assert_int_equal(again(w, "cust_once", "order_once_3", 1200, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_FAILED);
    payment_fini(&p);

    struct billing_card bad = {"4242-4242-4242-4241", "2099-01", NULL, NULL};
    o.merchant_uid = "order_once_bad";
    assert_int_equal(
        billing_charge_card(&w->billing, w->a, NULL, &bad, "cust_bad", &buyer, &o, &p, detail),
        MOCK_ONETIME_AUTH_FAILED);
    assert_string_equal(detail, "[F113]거래거절 카드번호틀림");
    assert_int_equal(store_customer_get(w->s, w->a, "cust_bad", &c), MOCK_CUSTOMER_NOT_FOUND);
    assert_int_equal(
        billing_charge_card(&w->billing, w->a, "kakaopay", &card, NULL, &buyer, &o, &p, detail),
        MOCK_PG_NO_API_BILLING);
}

static void test_hook_refusals_store_nothing(void **state)
{
    struct unit_world *w = *state;
    struct payment p;
    struct customer c;
    char detail[BILLING_DETAIL_MAX];
    billing_set_outcome_hook(scripted, hook_text);

    assert_int_equal(issue(w, "hooked_key", "4242-4242-4242-4242"), MOCK_CARD_AUTH_FAILED);
    assert_int_equal(store_customer_get(w->s, w->a, "hooked_key", &c), MOCK_CUSTOMER_NOT_FOUND);

    assert_int_equal(issue(w, "cust_h", "4242-4242-4242-4242"), MOCK_OK);
    struct billing_order o = {.merchant_uid = "hooked_order", .amount = 700};
    assert_int_equal(
        billing_charge_key(&w->billing, w->a, "cust_h", BILLING_DOOR_AGAIN, &o, &p, detail),
        MOCK_PG_FAILED);
    assert_string_equal(detail, "scenario says no");
    assert_int_equal(
        billing_charge_key(&w->billing, w->a, "cust_h", BILLING_DOOR_SCHEDULE, &o, &p, detail),
        MOCK_OK);
    assert_int_equal(p.status, PAY_FAILED);
    assert_string_equal(p.fail_reason, "scenario says no");
    assert_string_equal(p.customer_uid_usage, "payment.scheduled");
    payment_fini(&p);

    struct billing_card card = {"4242-4242-4242-4242", "2099-01", NULL, NULL};
    o.merchant_uid = "hooked_once";
    assert_int_equal(
        billing_charge_card(&w->billing, w->a, NULL, &card, "cust_h2", NULL, &o, &p, detail),
        MOCK_PG_FAILED);
    assert_int_equal(store_customer_get(w->s, w->a, "cust_h2", &c), MOCK_CUSTOMER_NOT_FOUND);
    struct pay_query q = {.merchant_uid = "hooked_once", .status = -1, .page = 1, .limit = 5};
    struct pay_page pg;
    assert_int_equal(store_payment_query(w->s, w->a, &q, &pg), MOCK_OK);
    assert_int_equal(pg.total, 0);
    store_page_free(&pg);
    billing_set_outcome_hook(NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expiry_parse),
        cmocka_unit_test(test_expiry_current),
        cmocka_unit_test(test_pg_parse),
        cmocka_unit_test(test_channel_choice),
        cmocka_unit_test(test_card_check),
        cmocka_unit_test(test_decide_by_card),
        cmocka_unit_test(test_decide_hook),
        cmocka_unit_test_setup_teardown(test_issue_replace_keeps_inserted, unit_world_setup,
                                        unit_world_teardown),
        cmocka_unit_test_setup_teardown(test_again_paid_and_declined, unit_world_setup,
                                        unit_world_teardown),
        cmocka_unit_test_setup_teardown(test_again_duplicates_and_retry, unit_world_setup,
                                        unit_world_teardown),
        cmocka_unit_test_setup_teardown(test_prepare_and_quota, unit_world_setup,
                                        unit_world_teardown),
        cmocka_unit_test_setup_teardown(test_onetime, unit_world_setup, unit_world_teardown),
        cmocka_unit_test_setup_teardown(test_hook_refusals_store_nothing, unit_world_setup,
                                        unit_world_teardown),
    };
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
