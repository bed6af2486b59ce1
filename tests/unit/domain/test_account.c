/*
 * test_account.c - the account's own records and the legacy Kakao order
 * list: channel types and keys, tiers (mock/domain/account.c), the day,
 * CID, status and paging rules of GET /kakao/payment/orders
 * (mock/domain/kakao_orders.c) against a real store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/account.h"
#include "domain/kakao_orders.h"
#include "state/store.h"
#include "unit_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_20240105 1704380400LL /* 2024-01-05 00:00 KST = 2024-01-04 15:00 UTC */

static void add_channel(struct merchant *m, const char *pg, const char *mid, enum channel_kind k)
{
    struct channel *c = &m->channels[m->n_channels];
    snprintf(c->pg_provider, sizeof c->pg_provider, "%s", pg);
    snprintf(c->pg_id, sizeof c->pg_id, "%s", mid);
    c->kind = k;
    channel_default_key(m->merchant_code, m->n_channels, c, c->key);
    m->n_channels++;
}

static struct merchant shop(void)
{
    struct merchant m;
    memset(&m, 0, sizeof m);
    snprintf(m.imp_key, sizeof m.imp_key, "key-shop");
    snprintf(m.merchant_code, sizeof m.merchant_code, "imp-shop");
    add_channel(&m, "kakaopay", "TCSUBSCRIP", CHANNEL_SUBSCRIPTION);
    add_channel(&m, "kakaopay", "TC0ONETIME", CHANNEL_ONETIME);
    add_channel(&m, "nice", "nictest04m", CHANNEL_KEYIN);
    snprintf(m.tiers[0].code, sizeof m.tiers[0].code, "ABC");
    snprintf(m.tiers[0].name, sizeof m.tiers[0].name, "테스트 하위상점");
    m.n_tiers = 1;
    return m;
}

/* ---- account ---- */

static void test_channels(void **state)
{
    (void)state;
    struct merchant m = shop();
    assert_string_equal(account_channel_type(&m.channels[0]), "payment");
    assert_string_equal(account_channel_type(&m.channels[1]), "payment");
    assert_string_equal(account_channel_type(&m.channels[2]), "api_payment");
    /* default keys: the shape of the console's, different per channel, stable */
    char again[CHANNEL_KEY_MAX + 1];
    channel_default_key("imp-shop", 2, &m.channels[2], again);
    assert_string_equal(again, m.channels[2].key);
    assert_int_equal(strlen(m.channels[0].key), 48);
    assert_memory_equal(m.channels[0].key, "channel-key-", 12);
    assert_string_not_equal(m.channels[0].key, m.channels[1].key);
    channel_default_key("imp-other", 2, &m.channels[2], again);
    assert_string_not_equal(again, m.channels[2].key);
    assert_ptr_equal(account_channel_by_key(&m, m.channels[1].key), &m.channels[1]);
    assert_null(account_channel_by_key(&m, "channel-key-unknown"));
    assert_null(account_channel_by_key(&m, NULL));
    assert_ptr_equal(account_channel_of_pg(&m, "kakaopay"), &m.channels[0]);
    assert_null(account_channel_of_pg(&m, "naverco"));
}

static void test_tiers(void **state)
{
    (void)state;
    struct merchant m = shop();
    struct tier t;
    assert_int_equal(account_tier(&m, "ABC", &t), MOCK_OK);
    assert_string_equal(t.name, "테스트 하위상점");
    assert_int_equal(account_tier(&m, "XYZ", &t), MOCK_TIER_NOT_FOUND);
    assert_int_equal(account_tier(&m, "abc", &t), MOCK_TIER_NOT_FOUND);
    assert_int_equal(account_tier(&m, "ABCD", &t), MOCK_TIER_NOT_FOUND);
    assert_true(tier_code_valid("A1Z"));
    assert_true(tier_code_valid("999"));
    assert_false(tier_code_valid("AB"));
    assert_false(tier_code_valid("AB-"));
    assert_false(tier_code_valid("aBC"));
    assert_false(tier_code_valid(NULL));
    m.n_tiers = 0; /* a merchant without sub-merchants */
    assert_int_equal(account_tier(&m, "ABC", &t), MOCK_TIER_NOT_FOUND);
}

/* ---- Kakao order list ---- */

static void test_order_day(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_true(kakao_orders_date("20240105", &t));
    assert_int_equal(t, DAY_20240105);
    assert_true(kakao_orders_date("20240229", &t)); /* leap day */
    assert_true(kakao_orders_date("19700102", &t));
    assert_int_equal(t, 86400 - 9 * 3600);
    assert_false(kakao_orders_date("20230229", &t));
    assert_false(kakao_orders_date("20241301", &t));
    assert_false(kakao_orders_date("20240100", &t));
    assert_false(kakao_orders_date("2024-01-05", &t));
    assert_false(kakao_orders_date("2024015", &t));
    assert_false(kakao_orders_date("19691231", &t));
    assert_false(kakao_orders_date("", &t));
    assert_false(kakao_orders_date(NULL, &t));
}

static void test_order_status(void **state)
{
    (void)state;
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.pay_method, sizeof p.pay_method, "card");
    p.amount = 1000;
    p.status = PAY_READY;
    assert_string_equal(kakao_order_status(&p), "READY");
    p.status = PAY_PAID;
    assert_string_equal(kakao_order_status(&p), "SUCCESS_PAYMENT");
    p.cancel_amount = 100;
    assert_string_equal(kakao_order_status(&p), "PART_CANCEL_PAYMENT");
    p.status = PAY_CANCELLED;
    assert_string_equal(kakao_order_status(&p), "CANCEL_PAYMENT");
    p.status = PAY_FAILED;
    assert_string_equal(kakao_order_status(&p), "FAIL_PAYMENT");
    char quit[] = "사용자가 결제를 취소하셨습니다";
    p.fail_reason = quit;
    assert_string_equal(kakao_order_status(&p), "QUIT_PAYMENT");
    p.fail_reason = NULL;
    char uid[] = "cust_1";
    p.status = PAY_PAID;
    p.amount = 0;
    p.cancel_amount = 0;
    p.customer_uid = uid;
    assert_string_equal(kakao_order_status(&p), "ISSUED_SID");
    assert_string_equal(kakao_order_method(&p), "CARD");
    snprintf(p.pay_method, sizeof p.pay_method, "point");
    assert_string_equal(kakao_order_method(&p), "MONEY");
    assert_int_equal(kakao_order_vat(11000, 0), 1000);
    assert_int_equal(kakao_order_vat(11000, 1000), 909);
    assert_int_equal(kakao_order_vat(0, 0), 0);
}

static void put(struct store *s, int tid, const char *imp_uid, const char *pg, const char *cid,
                int64_t started_at)
{
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "%s", imp_uid);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "o-%s", imp_uid);
    snprintf(p.pg_provider, sizeof p.pg_provider, "%s", pg);
    snprintf(p.pg_id, sizeof p.pg_id, "%s", cid);
    snprintf(p.pay_method, sizeof p.pay_method, "card");
    p.amount = 1000;
    p.status = PAY_PAID;
    p.started_at = p.paid_at = p.updated_at = started_at;
    assert_int_equal(store_payment_insert(s, tid, &p, false, NULL), MOCK_OK);
}

static void test_order_list(void **state)
{
    (void)state;
    struct store *s = store_new();
    struct merchant m = shop();
    int tid, bare;
    assert_int_equal(store_tenant_add(s, &m, &tid), MOCK_OK);
    struct merchant none = shop();
    snprintf(none.imp_key, sizeof none.imp_key, "key-none");
    snprintf(none.merchant_code, sizeof none.merchant_code, "imp-none");
    none.n_channels = 0;
    add_channel(&none, "nice", "nictest04m", CHANNEL_KEYIN);
    assert_int_equal(store_tenant_add(s, &none, &bare), MOCK_OK);
    /* 25 orders on the day through the one-time CID, and some that are not */
    char id[32];
    for (int i = 0; i < 25; i++) {
        snprintf(id, sizeof id, "imp_%012d", 100 + i);
        put(s, tid, id, "kakaopay", "TC0ONETIME", DAY_20240105 + 60 * i);
    }
    put(s, tid, "imp_000000000001", "kakaopay", "TC0ONETIME", DAY_20240105 - 1); /* day before */
    put(s, tid, "imp_000000000002", "kakaopay", "TC0ONETIME", DAY_20240105 + 86400);
    put(s, tid, "imp_000000000003", "kakaopay", "TCSUBSCRIP", DAY_20240105 + 5);
    put(s, tid, "imp_000000000004", "nice", "TC0ONETIME", DAY_20240105 + 5);

    struct kakao_orders k;
    assert_int_equal(kakao_orders_list(s, tid, DAY_20240105, NULL, 1, &k), MOCK_OK);
    assert_string_equal(k.cid, "TC0ONETIME"); /* the one-time CID, though listed second */
    assert_int_equal(k.total, 25);
    assert_int_equal(k.list.n, KAKAO_ORDERS_PAGE_SIZE);
    assert_string_equal(k.list.items[0].imp_uid, "imp_000000000124"); /* newest first */
    kakao_orders_fini(&k);
    assert_int_equal(kakao_orders_list(s, tid, DAY_20240105, NULL, 2, &k), MOCK_OK);
    assert_int_equal(k.list.n, 5);
    assert_string_equal(k.list.items[4].imp_uid, "imp_000000000100");
    kakao_orders_fini(&k);
    assert_int_equal(kakao_orders_list(s, tid, DAY_20240105, NULL, 3, &k), MOCK_OK);
    assert_int_equal(k.list.n, 0);
    assert_int_equal(k.total, 25);
    kakao_orders_fini(&k);
    assert_int_equal(kakao_orders_list(s, tid, DAY_20240105, NULL, (size_t)-1, &k), MOCK_OK);
    assert_int_equal(k.list.n, 0);
    kakao_orders_fini(&k);
    assert_int_equal(kakao_orders_list(s, tid, DAY_20240105, "TCSUBSCRIP", 1, &k), MOCK_OK);
    assert_int_equal(k.total, 1);
    assert_string_equal(k.list.items[0].imp_uid, "imp_000000000003");
    kakao_orders_fini(&k);
    assert_int_equal(kakao_orders_list(s, tid, DAY_20240105, "nictest04m", 1, &k),
                     MOCK_KAKAO_UNKNOWN_CID);
    assert_int_equal(kakao_orders_list(s, bare, DAY_20240105, NULL, 1, &k), MOCK_KAKAO_NO_CHANNEL);
    /* a Kakao Pay merchant without a single payment */
    struct merchant empty = shop();
    snprintf(empty.imp_key, sizeof empty.imp_key, "key-empty");
    snprintf(empty.merchant_code, sizeof empty.merchant_code, "imp-empty");
    int e;
    assert_int_equal(store_tenant_add(s, &empty, &e), MOCK_OK);
    assert_int_equal(kakao_orders_list(s, e, DAY_20240105, NULL, 1, &k), MOCK_OK);
    assert_int_equal(k.total, 0);
    assert_int_equal(k.list.n, 0);
    kakao_orders_fini(&k);
    store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_channels),   cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_order_day),  cmocka_unit_test(test_order_status),
        cmocka_unit_test(test_order_list),
    };
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
