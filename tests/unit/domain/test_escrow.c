/* test_escrow.c - escrow shipping rules (escrow.c): which PGs do what, the
 * fields each requires, courier codes, and registering and editing against
 * a real store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/escrow.h"
#include "unit_harness.h"

#include <stdio.h>
#include <string.h>

/* The fields a request has: a NULL-terminated list of paths. */
static bool has_listed(void *ud, const char *path)
{
    for (const char *const *p = ud; *p; p++)
        if (!strcmp(*p, path))
            return true;
    return false;
}

static struct escrow_request request(const char *const *fields)
{
    struct escrow_request rq = {.company = "CJGLS",
                                .invoice = "1",
                                .sent_at = 1,
                                .has = has_listed,
                                .has_ud = (void *)fields};
    return rq;
}

static void test_pg_support(void **state)
{
    (void)state;
    assert_true(escrow_pg_supports("html5_inicis", ESCROW_EDIT));
    assert_true(escrow_pg_supports("nice_v2", ESCROW_REGISTER));
    assert_false(escrow_pg_supports("nice_v2", ESCROW_EDIT));
    assert_false(escrow_pg_supports("kakaopay", ESCROW_GET));
    assert_false(escrow_pg_supports("tosspayments", ESCROW_REGISTER));
}

static void test_required_fields(void **state)
{
    (void)state;
    static const char *const none[] = {NULL};
    static const char *const inicis[] = {"sender.name",     "sender.tel",        "sender.addr",
                                         "sender.postcode", "receiver.name",     "receiver.tel",
                                         "receiver.addr",   "receiver.postcode", NULL};
    struct escrow_request rq = request(none);
    assert_null(escrow_missing_field("kcp", &rq));
    assert_string_equal(escrow_missing_field("html5_inicis", &rq), "sender.name");
    assert_string_equal(escrow_missing_field("daou", &rq), "sender.relationship");
    assert_string_equal(escrow_missing_field("welcome", &rq), "products");
    assert_string_equal(escrow_missing_field("smartro_v2", &rq), "sender.name");
    rq = request(inicis);
    assert_null(escrow_missing_field("html5_inicis", &rq));
    /* smartro_v2 takes formed_address instead of addr */
    assert_string_equal(escrow_missing_field("smartro_v2", &rq), "sender.formed_address");
}

static void test_courier(void **state)
{
    (void)state;
    assert_string_equal(escrow_courier("CJGLS"), "CJGLS");
    assert_string_equal(escrow_courier("HDEXP"), "HDEXP");
    assert_string_equal(escrow_courier("LOGEN"), "LOGEN"); /* retired, kept */
    assert_string_equal(escrow_courier("cjgls"), "ETC");
    assert_string_equal(escrow_courier("FEDEX"), "ETC");
    assert_string_equal(escrow_courier(""), "ETC");
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
    return 0;
}

static void add_payment(struct world *w, const char *imp_uid, const char *pg, bool escrow,
                        enum pay_status st)
{
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "%s", imp_uid);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "m_%s", imp_uid);
    snprintf(p.pg_provider, sizeof p.pg_provider, "%s", pg);
    p.escrow = escrow;
    p.status = st;
    p.amount = 1000;
    assert_int_equal(store_payment_insert(w->store, w->tid, &p, false, NULL), MOCK_OK);
}

static void test_save(void **state)
{
    struct world *w = *state;
    static const char *const none[] = {NULL};
    static const char *const daou[] = {"sender.relationship", "logis.receiving_at", "logis.address",
                                       NULL};
    add_payment(w, "imp_kcp", "kcp", true, PAY_PAID);
    add_payment(w, "imp_plain", "kcp", false, PAY_PAID);
    add_payment(w, "imp_ready", "kcp", true, PAY_READY);
    add_payment(w, "imp_daou", "daou", true, PAY_PAID);
    struct escrow_request rq = request(none);
    struct escrow_logis l;
    char detail[ESCROW_DETAIL_MAX];
    assert_int_equal(escrow_get(w->store, w->tid, "imp_kcp", &l), MOCK_ESCROW_LOGIS_NONE);
    assert_int_equal(escrow_save(w->store, w->tid, "imp_kcp", false, &rq, &l, detail),
                     MOCK_ESCROW_LOGIS_NONE);
    rq.company = "SOMEONE";
    assert_int_equal(escrow_save(w->store, w->tid, "imp_kcp", true, &rq, &l, detail), MOCK_OK);
    assert_string_equal(l.company, "ETC");
    assert_true(l.applied_at > 0);
    assert_int_equal(escrow_save(w->store, w->tid, "imp_kcp", true, &rq, &l, detail),
                     MOCK_ESCROW_LOGIS_EXISTS);
    rq.invoice = "2";
    assert_int_equal(escrow_save(w->store, w->tid, "imp_kcp", false, &rq, &l, detail), MOCK_OK);
    assert_int_equal(escrow_get(w->store, w->tid, "imp_kcp", &l), MOCK_OK);
    assert_string_equal(l.invoice, "2");
    assert_int_equal(escrow_save(w->store, w->tid, "imp_none", true, &rq, &l, detail),
                     MOCK_PAYMENT_NOT_FOUND);
    assert_int_equal(escrow_save(w->store, w->tid, "imp_plain", true, &rq, &l, detail),
                     MOCK_ESCROW_UNSUPPORTED);
    assert_int_equal(escrow_get(w->store, w->tid, "imp_plain", &l), MOCK_ESCROW_UNSUPPORTED);
    assert_int_equal(escrow_save(w->store, w->tid, "imp_ready", true, &rq, &l, detail),
                     MOCK_ESCROW_NOT_PAID);
    assert_int_equal(escrow_save(w->store, w->tid, "imp_daou", true, &rq, &l, detail),
                     MOCK_PARAM_REQUIRED);
    assert_string_equal(detail, "sender.relationship");
    rq = request(daou);
    static const char *const days[][2] = {{"20240229", "ok"},   {"20230229", "bad"},
                                          {"2024013", "bad"},   {"20241301", "bad"},
                                          {"202401011", "bad"}, {"2024o101", "bad"}};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        rq.receiving_at = days[i][0];
        enum mock_err want = !strcmp(days[i][1], "ok") ? MOCK_OK : MOCK_ESCROW_BAD_RECEIVING_AT;
        assert_int_equal(escrow_save(w->store, w->tid, "imp_daou", true, &rq, &l, detail), want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg_support),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_courier),
        cmocka_unit_test_setup_teardown(test_save, world_setup, world_teardown),
    };
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
