/* test_receipt.c - the cash receipt rules (receipt.c): which PGs do what,
 * what each requires, VAT, identifiers, and issuing and revoking against a
 * real store (the payment's flag, partial cancels, a changed payment, a
 * scenario's PG failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/receipt.h"
#include "infra/scenario.h"
#include "unit_harness.h"

#include <stdio.h>
#include <string.h>

static void test_pg_support(void **state)
{
    (void)state;
    for (int op = RECEIPT_ISSUE; op <= RECEIPT_EXT_REVOKE; op++) {
        assert_true(receipt_pg_supports("html5_inicis", (enum receipt_op)op));
        assert_false(receipt_pg_supports("kakaopay", (enum receipt_op)op));
        assert_false(receipt_pg_supports("naverpay", (enum receipt_op)op));
    }
    /* KICC issues both kinds and revokes neither; 키움페이 (daou) has no outside receipts */
    assert_true(receipt_pg_supports("kicc", RECEIPT_ISSUE));
    assert_false(receipt_pg_supports("kicc", RECEIPT_REVOKE));
    assert_true(receipt_pg_supports("kicc", RECEIPT_EXT_ISSUE));
    assert_false(receipt_pg_supports("kicc", RECEIPT_EXT_REVOKE));
    assert_true(receipt_pg_supports("daou", RECEIPT_REVOKE));
    assert_false(receipt_pg_supports("daou", RECEIPT_EXT_ISSUE));
    assert_true(receipt_pg_supports("smartro", RECEIPT_ISSUE));
    assert_false(receipt_pg_supports("smartro", RECEIPT_REVOKE));
}

static void test_required_fields(void **state)
{
    (void)state;
    struct receipt_request rq = {.identifier = "01000000000"};
    assert_null(receipt_missing_field("html5_inicis", false, &rq));
    assert_null(receipt_missing_field("unknown", false, &rq));
    assert_string_equal(receipt_missing_field("kicc", false, &rq), "identifier_type");
    rq.identifier_type = "phone";
    assert_null(receipt_missing_field("kicc", false, &rq));
    /* in the order the PG asks for them */
    assert_string_equal(receipt_missing_field("daou", false, &rq), "company_tel");
    rq.company_tel = "021234";
    assert_string_equal(receipt_missing_field("daou", false, &rq), "company_name");
    rq.company_name = ""; /* "" is not given */
    assert_string_equal(receipt_missing_field("daou", false, &rq), "company_name");
    /* welcome asks more of outside receipts than of payments' */
    rq.type = "person";
    rq.corp_reg_no = "1234567890";
    assert_null(receipt_missing_field("welcome", false, &rq));
    assert_string_equal(receipt_missing_field("welcome", true, &rq), "buyer_tel");
    rq.buyer_tel = "01012345678";
    assert_string_equal(receipt_missing_field("welcome", true, &rq), "pay_method");
    assert_string_equal(receipt_missing_field("ksnet", true, &rq), "product_type");
}

static void test_vat(void **state)
{
    (void)state;
    assert_int_equal(receipt_vat(11000, 0), 1000);
    assert_int_equal(receipt_vat(1100, 100), 91); /* 90.9 */
    assert_int_equal(receipt_vat(10, 0), 1);      /* 0.909 */
    assert_int_equal(receipt_vat(5, 0), 0);       /* 0.45 */
    assert_int_equal(receipt_vat(1000, 1000), 0); /* all tax-free */
}

static void test_identifier(void **state)
{
    (void)state;
    bool refused = true;
    assert_int_equal(receipt_check_identifier("010-1234-5678", &refused), MOCK_OK);
    assert_false(refused);
    assert_int_equal(receipt_check_identifier("123-45-67890", &refused), MOCK_OK);
    assert_int_equal(receipt_check_identifier("1234567890123456789", &refused), MOCK_OK);
    assert_int_equal(receipt_check_identifier("0000000000", &refused), MOCK_OK);
    assert_true(refused);
    assert_int_equal(receipt_check_identifier("000 0000 0000", &refused), MOCK_OK);
    assert_true(refused);
    static const char *const bad[] = {
        "", "abc", "123456789", "12345678901234567890", "0101234567x", "010.1234.5678"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(receipt_check_identifier(bad[i], &refused), MOCK_RECEIPT_BAD_IDENTIFIER);
}

/* ---- against a store ---- */

struct world {
    struct store *store;
    int tid;
};

static int world_setup(void **state)
{
    static struct world w;
    struct merchant m;
    memset(&m, 0, sizeof m);
    snprintf(m.imp_key, sizeof m.imp_key, "key");
    m.n_channels = 1;
    snprintf(m.channels[0].pg_provider, sizeof m.channels[0].pg_provider, "nice");
    snprintf(m.channels[0].pg_id, sizeof m.channels[0].pg_id, "nictest04m");
    w.store = store_new();
    if (!w.store || store_tenant_add(w.store, &m, &w.tid) != MOCK_OK)
        return -1;
    *state = &w;
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    store_free(w->store);
    scenario_clear();
    return 0;
}

static void add_payment(struct world *w, const char *imp_uid, const char *pay_method,
                        enum pay_status st, int64_t amount, int64_t cancelled)
{
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "%s", imp_uid);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "m_%s", imp_uid);
    snprintf(p.pay_method, sizeof p.pay_method, "%s", pay_method);
    snprintf(p.pg_provider, sizeof p.pg_provider, "html5_inicis");
    p.status = st;
    p.amount = amount;
    p.cancel_amount = cancelled;
    assert_int_equal(store_payment_insert(w->store, w->tid, &p, false, NULL), MOCK_OK);
}

static bool flag(struct world *w, const char *imp_uid, uint64_t *ret_version)
{
    struct payment p;
    assert_int_equal(store_payment_get(w->store, w->tid, imp_uid, &p), MOCK_OK);
    bool v = p.cash_receipt_issued;
    if (ret_version)
        *ret_version = p.version;
    payment_fini(&p);
    return v;
}

static void test_issue_and_revoke(void **state)
{
    struct world *w = *state;
    struct receipt_request rq = {.identifier = "01000000000"};
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    add_payment(w, "imp_1", "vbank", PAY_PAID, 22000, 11000);
    add_payment(w, "imp_2", "card", PAY_PAID, 1000, 0);
    add_payment(w, "imp_3", "trans", PAY_READY, 1000, 0);
    uint64_t v0, v1;
    assert_false(flag(w, "imp_1", &v0));
    assert_int_equal(receipt_issue(w->store, w->tid, "imp_1", &rq, &rc, detail), MOCK_OK);
    assert_int_equal(rc.amount, 11000); /* what partial cancels left */
    assert_int_equal(rc.vat, 1000);
    assert_false(rc.external);
    assert_true(flag(w, "imp_1", &v1));
    assert_true(v1 > v0); /* a new version: a cancel under way reads it again */
    assert_int_equal(receipt_issue(w->store, w->tid, "imp_1", &rq, &rc, detail),
                     MOCK_RECEIPT_EXISTS);
    assert_int_equal(receipt_issue(w->store, w->tid, "imp_2", &rq, &rc, detail),
                     MOCK_RECEIPT_NOT_CASH);
    assert_int_equal(receipt_issue(w->store, w->tid, "imp_3", &rq, &rc, detail),
                     MOCK_RECEIPT_NOT_PAID);
    assert_int_equal(receipt_issue(w->store, w->tid, "imp_9", &rq, &rc, detail),
                     MOCK_PAYMENT_NOT_FOUND);
    rq.tax_free = 11001;
    assert_int_equal(receipt_issue(w->store, w->tid, "imp_1", &rq, &rc, detail),
                     MOCK_RECEIPT_TAX_FREE_OVER);
    assert_string_equal(detail, "11000");

    assert_int_equal(receipt_revoke(w->store, w->tid, false, "imp_1", &rc, detail), MOCK_OK);
    assert_true(rc.cancelled_at > 0);
    assert_false(flag(w, "imp_1", NULL));
    assert_int_equal(receipt_revoke(w->store, w->tid, false, "imp_1", &rc, detail),
                     MOCK_RECEIPT_REVOKED);
    assert_int_equal(receipt_revoke(w->store, w->tid, false, "imp_2", &rc, detail),
                     MOCK_RECEIPT_NOT_ISSUED);
    assert_string_equal(detail, "imp_2");
    assert_int_equal(receipt_get(w->store, w->tid, false, "imp_9", &rc, detail),
                     MOCK_PAYMENT_NOT_FOUND);
    assert_int_equal(receipt_get(w->store, w->tid, false, "imp_2", &rc, detail),
                     MOCK_RECEIPT_NOT_FOUND);
}

static void test_changed_payment(void **state)
{
    struct world *w = *state;
    add_payment(w, "imp_1", "trans", PAY_PAID, 1000, 0);
    uint64_t version;
    flag(w, "imp_1", &version);
    struct receipt rc;
    memset(&rc, 0, sizeof rc);
    snprintf(rc.key, sizeof rc.key, "imp_1");
    /* the payment moved on since it was read: the store refuses, nothing changes */
    assert_int_equal(store_receipt_issue(w->store, w->tid, &rc, version + 1), MOCK_IN_PROGRESS);
    assert_int_equal(store_receipt_get(w->store, w->tid, false, "imp_1", &rc),
                     MOCK_RECEIPT_NOT_FOUND);
    assert_false(flag(w, "imp_1", NULL));
    assert_int_equal(store_receipt_issue(w->store, w->tid, &rc, version), MOCK_OK);
    assert_true(flag(w, "imp_1", NULL));
}

static void test_external(void **state)
{
    struct world *w = *state;
    struct receipt_request rq = {
        .identifier = "1234567890", .channel_key = "nice", .name = "x", .amount = 5500};
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    assert_int_equal(receipt_issue_external(w->store, w->tid, "cash-1", &rq, &rc, detail), MOCK_OK);
    assert_true(rc.external);
    assert_string_equal(rc.pg_provider, "nice");
    assert_int_equal(rc.vat, 500);
    assert_int_equal(receipt_issue_external(w->store, w->tid, "cash-1", &rq, &rc, detail),
                     MOCK_EXT_RECEIPT_EXISTS);
    rq.channel_key = "nice.other";
    assert_int_equal(receipt_issue_external(w->store, w->tid, "cash-2", &rq, &rc, detail),
                     MOCK_RECEIPT_NO_CHANNEL);
    assert_string_equal(detail, "nice.other");
    rq.channel_key = "nice.nictest04m";
    rq.identifier = "0000000000";
    assert_int_equal(receipt_issue_external(w->store, w->tid, "cash-2", &rq, &rc, detail),
                     MOCK_RECEIPT_IDENTIFIER_REFUSED);
    /* payments' receipts and outside ones are apart, even under one key */
    assert_int_equal(receipt_get(w->store, w->tid, true, "cash-1", &rc, detail), MOCK_OK);
    assert_int_equal(store_receipt_get(w->store, w->tid, false, "cash-1", &rc),
                     MOCK_RECEIPT_NOT_FOUND);
    assert_int_equal(receipt_revoke(w->store, w->tid, true, "cash-3", &rc, detail),
                     MOCK_EXT_RECEIPT_NOT_FOUND);
}

static void test_scenario_failure(void **state)
{
    struct world *w = *state;
    static const char sc[] =
        "{\"name\":\"r\",\"description\":\"d\",\"rules\":[{\"when\":{\"op\":\"receipt\","
        "\"nth\":1},\"then\":{\"pg_error\":\"[PG] down\"}}]}";
    char err[256];
    assert_true(scenario_load_text(sc, sizeof sc - 1, "test", err, sizeof err));
    add_payment(w, "imp_1", "trans", PAY_PAID, 1000, 0);
    struct receipt_request rq = {.identifier = "01000000000"};
    struct receipt rc;
    char detail[RECEIPT_DETAIL_MAX];
    assert_int_equal(receipt_issue(w->store, w->tid, "imp_1", &rq, &rc, detail),
                     MOCK_RECEIPT_PG_FAILED);
    assert_string_equal(detail, "[PG] down");
    assert_false(flag(w, "imp_1", NULL));
    assert_int_equal(receipt_issue(w->store, w->tid, "imp_1", &rq, &rc, detail), MOCK_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg_support),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_vat),
        cmocka_unit_test(test_identifier),
        cmocka_unit_test_setup_teardown(test_issue_and_revoke, world_setup, world_teardown),
        cmocka_unit_test_setup_teardown(test_changed_payment, world_setup, world_teardown),
        cmocka_unit_test_setup_teardown(test_external, world_setup, world_teardown),
        cmocka_unit_test_setup_teardown(test_scenario_failure, world_setup, world_teardown),
    };
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
