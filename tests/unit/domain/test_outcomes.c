/*
 * test_outcomes.c - mock/domain/outcomes.c joins the scenario engine to
 * billing's outcome hook: a business effect (decline, PG error, card
 * authentication failure, a slow PG) loaded as a scenario reaches every
 * charge and key issuance billing makes, matched on the tenant's imp_key,
 * the order, the key, the channel and the amount, and counted per key.
 */
#include "domain/billing.h"
#include "domain/outcomes.h"
#include "infra/scenario.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

static int setup(void **state)
{
    if (unit_world_setup(state) != 0)
        return -1;
    struct unit_world *w = *state;
    outcomes_install(w->s);
    return 0;
}

static int teardown(void **state)
{
    billing_set_outcome_hook(NULL, NULL);
    scenario_fini();
    return unit_world_teardown(state);
}

static void load(const char *json)
{
    char err[512];
    if (!scenario_load_text(json, strlen(json), "outcomes.json", err, sizeof err))
        fail_msg("%s", err);
}

static enum mock_err issue(struct unit_world *w, int tid, const char *uid, char *ret_detail)
{
    struct billing_card card = {"4242-4242-4242-4242", "2099-12", NULL, NULL};
    struct customer c;
    enum mock_err e = billing_issue_key(&w->billing, tid, uid, NULL, &card, NULL, &c, ret_detail);
    if (e == MOCK_OK)
        customer_fini(&c);
    return e;
}

/* Charges key uid for order muid; the payment's status, or -1 when refused
 * (the error in *ret_err, the text in ret_detail). */
static int charge(struct unit_world *w, int tid, const char *uid, const char *muid, int64_t amount,
                  enum mock_err *ret_err, char *ret_detail)
{
    struct billing_order o = {.merchant_uid = muid, .amount = amount};
    struct payment p;
    *ret_err = billing_charge_key(&w->billing, tid, uid, BILLING_DOOR_AGAIN, &o, &p, ret_detail);
    if (*ret_err != MOCK_OK)
        return -1;
    int status = (int)p.status;
    if (p.status == PAY_FAILED)
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", p.fail_reason);
    payment_fini(&p);
    return status;
}

static void test_no_scenario_the_card_decides(void **state)
{
    struct unit_world *w = *state;
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e;
    assert_int_equal(issue(w, w->a, "plain", detail), MOCK_OK);
    assert_int_equal(charge(w, w->a, "plain", "o-1", 1000, &e, detail), PAY_PAID);
}

static void test_each_business_effect(void **state)
{
    struct unit_world *w = *state;
    load("{\"name\":\"effects\",\"description\":\"one effect per kind of key\",\"rules\":["
         "{\"when\":{\"op\":\"charge\",\"customer_uid\":\"declined-*\"},"
         "\"then\":{\"decline\":\"[F104]거래정지카드\"}},"
         "{\"when\":{\"op\":\"charge\",\"customer_uid\":\"pgerr-*\"},"
         "\"then\":{\"pg_error\":\"[F999]PG사 응답 없음\"}},"
         "{\"when\":{\"op\":\"charge\",\"customer_uid\":\"auth-*\"},"
         "\"then\":{\"card_auth_fail\":\"[F113]카드번호틀림\"}},"
         "{\"when\":{\"op\":\"issue_key\",\"customer_uid\":\"badcard-*\"},"
         "\"then\":{\"card_auth_fail\":\"[F113]거래거절\"}}]}");
    char detail[BILLING_DETAIL_MAX] = "";
    enum mock_err e;
    /* issuance: refused with the scenario's text, no key stored */
    assert_int_equal(issue(w, w->a, "badcard-1", detail), MOCK_CARD_AUTH_FAILED);
    assert_string_equal(detail, "[F113]거래거절");
    struct customer c;
    assert_int_equal(store_customer_get(w->s, w->a, "badcard-1", &c), MOCK_CUSTOMER_NOT_FOUND);

    assert_int_equal(issue(w, w->a, "declined-1", detail), MOCK_OK); /* charges only */
    assert_int_equal(charge(w, w->a, "declined-1", "o-d", 1000, &e, detail), PAY_FAILED);
    assert_string_equal(detail, "[F104]거래정지카드");

    assert_int_equal(issue(w, w->a, "pgerr-1", detail), MOCK_OK);
    assert_int_equal(charge(w, w->a, "pgerr-1", "o-p", 1000, &e, detail), -1);
    assert_int_equal(e, MOCK_PG_FAILED);
    assert_string_equal(detail, "[F999]PG사 응답 없음");

    assert_int_equal(issue(w, w->a, "auth-1", detail), MOCK_OK);
    assert_int_equal(charge(w, w->a, "auth-1", "o-a", 1000, &e, detail), -1);
    assert_int_equal(e, MOCK_ONETIME_AUTH_FAILED);
    assert_non_null(strstr(detail, "[F113]카드번호틀림"));

    /* a refused charge stored nothing; the declined one is a failed payment */
    struct pay_query q = {.status = -1, .page = 1, .limit = 10};
    struct pay_page pg;
    assert_int_equal(store_payment_query(w->s, w->a, &q, &pg), MOCK_OK);
    assert_int_equal(pg.total, 1);
    assert_string_equal(pg.items[0].merchant_uid, "o-d");
    store_page_free(&pg);
}

static void test_matched_on_tenant_channel_and_amount(void **state)
{
    struct unit_world *w = *state;
    load("{\"name\":\"tenant-b\",\"description\":\"only key-b\",\"tenant\":\"key-b\",\"rules\":["
         "{\"when\":{\"op\":\"charge\"},\"then\":{\"decline\":\"b only\"}}]}");
    load("{\"name\":\"shape\",\"description\":\"by channel and amount\",\"rules\":["
         "{\"when\":{\"op\":\"charge\",\"pg\":\"nice.nictest04m\",\"amount\":{\"min\":50000}},"
         "\"then\":{\"decline\":\"big on nice\"}},"
         "{\"when\":{\"op\":\"issue_key\",\"amount\":{\"max\":10}},"
         "\"then\":{\"card_auth_fail\":\"never: issuance has no amount\"}}]}");
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e;
    assert_int_equal(issue(w, w->a, "ka", detail), MOCK_OK);
    assert_int_equal(issue(w, w->b, "kb", detail), MOCK_OK);
    assert_int_equal(charge(w, w->a, "ka", "o-1", 1000, &e, detail), PAY_PAID);
    assert_int_equal(charge(w, w->b, "kb", "o-1", 1000, &e, detail), PAY_FAILED);
    assert_string_equal(detail, "b only");
    assert_int_equal(charge(w, w->a, "ka", "o-2", 50000, &e, detail), PAY_FAILED);
    assert_string_equal(detail, "big on nice");
    assert_int_equal(charge(w, w->a, "ka", "o-3", 49999, &e, detail), PAY_PAID);
}

/* "The 3rd charge of each billing key", through the real charge path. */
static void test_counted_per_key(void **state)
{
    struct unit_world *w = *state;
    load("{\"name\":\"third\",\"description\":\"every key's third charge declined\",\"rules\":["
         "{\"when\":{\"op\":\"charge\",\"per\":\"customer_uid\",\"nth\":3},"
         "\"then\":{\"decline\":\"[F302]잔액부족\"}}]}");
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e;
    assert_int_equal(issue(w, w->a, "k1", detail), MOCK_OK);
    assert_int_equal(issue(w, w->a, "k2", detail), MOCK_OK);
    static const struct {
        const char *key;
        int status;
    } seq[] = {{"k1", PAY_PAID}, {"k1", PAY_PAID}, {"k2", PAY_PAID},  {"k1", PAY_FAILED},
               {"k2", PAY_PAID}, {"k1", PAY_PAID}, {"k2", PAY_FAILED}};
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        char muid[32];
        snprintf(muid, sizeof muid, "per-%zu", i);
        int got = charge(w, w->a, seq[i].key, muid, 1000, &e, detail);
        if (got != seq[i].status)
            fail_msg("charge %zu (%s): status %d, expected %d", i, seq[i].key, got, seq[i].status);
    }
}

static void test_slow_pg_then_the_card_decides(void **state)
{
    struct unit_world *w = *state;
    load(
        "{\"name\":\"slow\",\"description\":\"a slow PG\",\"rules\":["
        "{\"when\":{\"op\":\"charge\",\"merchant_uid\":\"slow-*\"},\"then\":{\"pg_delay_ms\":150}},"
        "{\"when\":{\"op\":\"charge\",\"merchant_uid\":\"late-*\"},"
        "\"then\":{\"delay_ms\":150,\"decline\":\"late\"}}]}");
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e;
    assert_int_equal(issue(w, w->a, "k", detail), MOCK_OK);
    double t0 = now_ms();
    assert_int_equal(charge(w, w->a, "k", "slow-1", 1000, &e, detail), PAY_PAID);
    assert_true(now_ms() - t0 >= 140);
    t0 = now_ms();
    assert_int_equal(charge(w, w->a, "k", "late-1", 1000, &e, detail), PAY_FAILED);
    assert_true(now_ms() - t0 >= 140);
    assert_string_equal(detail, "late");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_no_scenario_the_card_decides),         T(test_each_business_effect),
        T(test_matched_on_tenant_channel_and_amount), T(test_counted_per_key),
        T(test_slow_pg_then_the_card_decides),
    };
#undef T
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
