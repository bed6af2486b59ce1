/*
 * test_checkout.c - mock/domain/checkout.c, the emulated Kakao Pay window:
 * opening one (the merchant by its IMP.init code, the channel its pg names,
 * the amount rules, the paid-order and pre-registration guards, the `ready`
 * payment it stands for, nothing stored on a refusal), the installment rule,
 * and what happens in it: approve with a card or Kakao Money, decline,
 * cancel, the payment-method restrictions, a second window of an order paid
 * meanwhile, a billing key issued in a window, and the scenario effects that
 * make a window act by itself.
 */
#include "domain/checkout.h"
#include "domain/order.h"
#include "infra/scenario.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

static int teardown(void **state)
{
    checkout_fini();
    scenario_fini();
    return unit_world_teardown(state);
}

/* A request_pay of tenant a ("imp-a") for order muid. */
static struct checkout_request request(const char *muid, int64_t amount)
{
    struct checkout_request rq;
    memset(&rq, 0, sizeof rq);
    rq.merchant_code = "imp-a";
    rq.order.merchant_uid = muid;
    rq.order.amount = amount;
    rq.order.name = "월간 이용권";
    return rq;
}

static void open_ok(struct unit_world *w, const struct checkout_request *rq,
                    struct checkout_window *ret_w)
{
    char detail[BILLING_DETAIL_MAX];
    enum mock_err e = checkout_open(&w->billing, rq, ret_w, detail);
    if (e != MOCK_OK)
        fail_msg("%s refused: %s %s", rq->order.merchant_uid, mock_err_name(e), detail);
}

/* How many payments tenant a holds for muid. */
static size_t payments_of(struct unit_world *w, const char *muid)
{
    struct pay_query q = {.merchant_uid = muid, .status = -1, .page = 1, .limit = 10};
    struct pay_page pg;
    assert_int_equal(store_payment_query(w->s, w->a, &q, &pg), MOCK_OK);
    size_t n = pg.total;
    store_page_free(&pg);
    return n;
}

static bool all_of(const char *s, const char *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i] || !strchr(set, s[i]))
            return false;
    return s[n] == '\0';
}

/* ---- opening ---- */

static void test_open_stores_a_ready_payment(void **state)
{
    struct unit_world *w = *state;
    struct checkout_request rq = request("ord-1", 15000);
    rq.order.tax_free = 1000;
    rq.order.buyer_name = "홍길동";
    rq.mobile = true;
    rq.m_redirect_url = "https://shop.example/done";
    rq.origin = "https://shop.example";
    struct checkout_window win;
    open_ok(w, &rq, &win);
    assert_true(all_of(win.id, "0123456789abcdef", CHECKOUT_ID_LEN));
    assert_int_equal(win.tid, w->a);
    assert_int_equal(win.state, CHECKOUT_OPEN);
    assert_string_equal(win.merchant_uid, "ord-1");
    assert_true(win.mobile);
    assert_false(win.issue_key);
    assert_string_equal(win.m_redirect_url, "https://shop.example/done");
    assert_string_equal(win.origin, "https://shop.example");
    assert_int_equal(win.auto_action, CHECKOUT_AUTO_NONE);
    assert_memory_equal(win.imp_uid, "imp_", 4);
    assert_true(all_of(win.imp_uid + 4, "0123456789", 12));

    struct payment p;
    assert_int_equal(store_payment_get(w->s, w->a, win.imp_uid, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_READY);
    assert_int_equal(p.amount, 15000);
    assert_int_equal(p.tax_free, 1000);
    assert_string_equal(p.pg_provider, "kakaopay");
    assert_string_equal(p.pg_id, "TC0ONETIME"); /* the default PG's onetime channel */
    assert_string_equal(p.channel, "mobile");
    assert_string_equal(p.currency, "KRW");
    assert_string_equal(p.name, "월간 이용권");
    assert_string_equal(p.buyer_name, "홍길동");
    assert_int_equal(p.pg_tid[0], 'T'); /* Kakao issues the TID when the window opens */
    assert_true(all_of(p.pg_tid + 1, "0123456789abcdef", 19));
    assert_null(p.customer_uid_usage);
    payment_fini(&p);

    struct checkout_window again;
    assert_int_equal(checkout_get(win.id, &again), MOCK_OK);
    assert_memory_equal(&again, &win, sizeof win);
    assert_int_equal(checkout_get("0123456789abcdef0123456789abcdef", &again),
                     MOCK_CHECKOUT_NOT_FOUND);
}

static void test_channel_choice(void **state)
{
    struct unit_world *w = *state;
    static const struct {
        const char *pg;
        bool key;         /* with a customer_uid */
        enum mock_err e;  /* what opening answers */
        const char *mid;  /* the channel chosen, when opened */
        const char *text; /* in the detail, when refused */
    } cases[] = {
        {NULL, false, MOCK_OK, "TC0ONETIME", NULL},
        {"", false, MOCK_OK, "TC0ONETIME", NULL},
        {"kakaopay", false, MOCK_OK, "TC0ONETIME", NULL},
        {"kakaopay", true, MOCK_OK, "TCSUBSCRIP", NULL},
        {"kakaopay.TCSUBSCRIP", true, MOCK_OK, "TCSUBSCRIP", NULL},
        {"kakaopay.TC0ONETIME", false, MOCK_OK, "TC0ONETIME", NULL},
        {"kakaopay.TCSUBSCRIP", false, MOCK_CHECKOUT_SUBSCRIPTION_CID, NULL, "TCSUBSCRIP"},
        {"kakaopay.TC0ONETIME", true, MOCK_CHECKOUT_KEY_CID, NULL, "TC0ONETIME"},
        {"kakaopay.TCNOSUCH", false, MOCK_CHECKOUT_NO_CHANNEL, NULL, "kakaopay.TCNOSUCH"},
        {"nice", false, MOCK_CHECKOUT_PG_UNSUPPORTED, NULL, "nice"},
        {"html5_inicis.MOI", false, MOCK_CHECKOUT_PG_UNSUPPORTED, NULL, "html5_inicis"},
        {".x", false, MOCK_CHECKOUT_NO_CHANNEL, NULL, ".x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char muid[32], detail[BILLING_DETAIL_MAX] = "";
        snprintf(muid, sizeof muid, "ch-%zu", i);
        struct checkout_request rq = request(muid, 1000);
        rq.pg = cases[i].pg;
        rq.customer_uid = cases[i].key ? "cust-w" : NULL;
        struct checkout_window win;
        enum mock_err e = checkout_open(&w->billing, &rq, &win, detail);
        if (e != cases[i].e)
            fail_msg("pg %s: %s (%s), expected %s", cases[i].pg ? cases[i].pg : "(none)",
                     mock_err_name(e), detail, mock_err_name(cases[i].e));
        if (e != MOCK_OK) {
            if (!strstr(detail, cases[i].text))
                fail_msg("pg %s: the detail \"%s\" does not name %s", cases[i].pg, detail,
                         cases[i].text);
            assert_int_equal(payments_of(w, muid), 0);
            continue;
        }
        struct payment p;
        assert_int_equal(store_payment_get(w->s, w->a, win.imp_uid, &p), MOCK_OK);
        assert_string_equal(p.pg_id, cases[i].mid);
        assert_int_equal(win.issue_key, cases[i].key);
        if (cases[i].key)
            assert_string_equal(p.customer_uid_usage, "issue");
        payment_fini(&p);
    }
}

static void test_refusals_store_nothing(void **state)
{
    struct unit_world *w = *state;
    struct checkout_window win;
    char detail[BILLING_DETAIL_MAX];

    struct checkout_request rq = request("ref-1", 1000);
    rq.merchant_code = "imp-nobody";
    assert_int_equal(checkout_open(&w->billing, &rq, &win, detail), MOCK_CHECKOUT_UNKNOWN_MERCHANT);
    assert_string_equal(detail, "imp-nobody");
    rq.merchant_code = NULL; /* IMP.init never called */
    assert_int_equal(checkout_open(&w->billing, &rq, &win, detail), MOCK_CHECKOUT_UNKNOWN_MERCHANT);

    rq = request("ref-1", 0); /* 0 won only to issue a key */
    assert_int_equal(checkout_open(&w->billing, &rq, &win, detail), MOCK_ORDER_ZERO_WITHOUT_KEY);
    rq = request("ref-1", 1000);
    rq.order.tax_free = 1001;
    assert_int_equal(checkout_open(&w->billing, &rq, &win, detail), MOCK_ORDER_TAX_FREE_OVER);
    rq = request("ref-1", 1000);
    rq.order.currency = "USD";
    assert_int_equal(checkout_open(&w->billing, &rq, &win, detail), MOCK_ORDER_KRW_ONLY);
    assert_non_null(strstr(detail, "USD"));
    assert_int_equal(payments_of(w, "ref-1"), 0);

    rq.order.currency = "KRW";
    open_ok(w, &rq, &win);
    rq = request("ref-key", 0);
    rq.customer_uid = "cust-0";
    open_ok(w, &rq, &win);
    assert_true(win.issue_key);
}

static void test_paid_order_and_prepare_guards(void **state)
{
    struct unit_world *w = *state;
    struct checkout_window win;
    char detail[BILLING_DETAIL_MAX];
    struct payment paid;
    memset(&paid, 0, sizeof paid);
    snprintf(paid.merchant_uid, sizeof paid.merchant_uid, "done-1");
    paid.status = PAY_PAID;
    paid.amount = 1000;
    assert_int_equal(store_payment_insert(w->s, w->a, &paid, true, NULL), MOCK_OK);
    struct checkout_request rq = request("done-1", 1000);
    assert_int_equal(checkout_open(&w->billing, &rq, &win, detail), MOCK_ALREADY_PAID);
    assert_int_equal(payments_of(w, "done-1"), 1);
    /* another tenant's order of the same name is its own */
    rq.merchant_code = "imp-b";
    open_ok(w, &rq, &win);
    assert_int_equal(win.tid, w->b);

    struct prepare pr = {.merchant_uid = "prep-1", .amount = 30000};
    assert_int_equal(store_prepare_put(w->s, w->a, &pr, false), MOCK_OK);
    rq = request("prep-1", 3000);
    assert_int_equal(checkout_open(&w->billing, &rq, &win, detail), MOCK_PREPARE_MISMATCH);
    assert_int_equal(payments_of(w, "prep-1"), 0);
    rq.order.amount = 30000;
    open_ok(w, &rq, &win);
}

static void test_installments(void **state)
{
    (void)state;
    struct checkout_window win;
    memset(&win, 0, sizeof win);
    win.amount = ORDER_QUOTA_MIN_AMOUNT - 1;
    assert_true(checkout_quota_allowed(&win, 0)); /* a lump sum always */
    assert_false(checkout_quota_allowed(&win, 2));
    win.amount = ORDER_QUOTA_MIN_AMOUNT;
    assert_false(checkout_quota_allowed(&win, 1));
    assert_true(checkout_quota_allowed(&win, 2));
    assert_true(checkout_quota_allowed(&win, 12));
    assert_false(checkout_quota_allowed(&win, 13));
    /* display.card_quota: only the months listed, up to 36 */
    win.card_quotas[0] = 3;
    win.card_quotas[1] = 24;
    win.n_card_quotas = 2;
    assert_true(checkout_quota_allowed(&win, 3));
    assert_true(checkout_quota_allowed(&win, 24));
    assert_false(checkout_quota_allowed(&win, 2));
    assert_true(checkout_quota_allowed(&win, 0));
    win.amount = 1000;
    assert_false(checkout_quota_allowed(&win, 3));
}

/* ---- in the window ---- */

static int card_of(const char *digits)
{
    int i = cards_find(&unit_fixtures()->cards, digits);
    assert_true(i >= 0);
    return i;
}

static enum mock_err act(struct unit_world *w, const char *id, enum checkout_action action,
                         const struct billing_window_pick *pick, struct checkout_window *ret_w,
                         struct payment *ret_p)
{
    struct payment ignored;
    enum mock_err e = checkout_act(&w->billing, id, action, pick, ret_w, ret_p ? ret_p : &ignored);
    if (e == MOCK_OK && !ret_p)
        payment_fini(&ignored);
    return e;
}

static void test_approve_decline_and_cancel(void **state)
{
    struct unit_world *w = *state;
    struct checkout_window win, after;
    struct payment p;
    struct billing_window_pick card = {.card_profile = -1};

    struct checkout_request rq = request("act-1", 64000);
    open_ok(w, &rq, &win);
    assert_int_equal(checkout_returned(win.id, &after), MOCK_CHECKOUT_OPEN);
    card.card_quota = 3;
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &card, &after, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID);
    assert_string_equal(p.pay_method, "card");
    assert_int_equal(p.card_quota, 3);
    assert_string_equal(p.imp_uid, win.imp_uid);
    payment_fini(&p);
    assert_int_equal(after.state, CHECKOUT_DONE);
    assert_true(after.success);
    /* once */
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &card, &after, NULL), MOCK_CHECKOUT_DONE);
    assert_int_equal(act(w, win.id, CHECKOUT_CANCEL, NULL, &after, NULL), MOCK_CHECKOUT_DONE);
    assert_int_equal(checkout_returned(win.id, &after), MOCK_OK);
    assert_true(after.redirected);

    /* Kakao Money: pay_method point, no installments */
    rq = request("act-2", 64000);
    open_ok(w, &rq, &win);
    struct billing_window_pick money = {.money = true, .card_profile = -1, .card_quota = 6};
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &money, &after, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID);
    assert_string_equal(p.pay_method, "point");
    assert_int_equal(p.card_quota, 0);
    payment_fini(&p);

    /* a declining test card: the payment fails with the card's reason */
    rq = request("act-3", 5000);
    open_ok(w, &rq, &win);
    struct billing_window_pick declined = {.card_profile = card_of("4000000000000002")};
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &declined, &after, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_FAILED);
    assert_string_equal(p.fail_reason, "[F601]거래거절 카드사 승인거절");
    payment_fini(&p);
    assert_int_equal(after.state, CHECKOUT_DONE);
    assert_false(after.success);
    assert_string_equal(after.error_code, "DECLINED");
    assert_string_equal(after.error_msg, "[F601]거래거절 카드사 승인거절");

    /* the buyer gives up */
    rq = request("act-4", 5000);
    open_ok(w, &rq, &win);
    assert_int_equal(act(w, win.id, CHECKOUT_CANCEL, NULL, &after, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_FAILED);
    assert_string_equal(p.fail_reason, "사용자가 결제를 취소하셨습니다");
    payment_fini(&p);
    assert_string_equal(after.error_code, "USER_CANCEL");
    assert_false(after.success);

    assert_int_equal(act(w, "no-such-window", CHECKOUT_CANCEL, NULL, &after, NULL),
                     MOCK_CHECKOUT_NOT_FOUND);
    assert_int_equal(checkout_returned("no-such-window", &after), MOCK_CHECKOUT_NOT_FOUND);
}

static void test_picks_the_window_does_not_offer(void **state)
{
    struct unit_world *w = *state;
    struct checkout_window win, after;
    struct checkout_request rq = request("pick-1", 64000);
    rq.methods = CHECKOUT_CARD_ONLY;
    int quotas[] = {6};
    rq.card_quotas = quotas;
    rq.n_card_quotas = 1;
    open_ok(w, &rq, &win);
    struct billing_window_pick money = {.money = true, .card_profile = -1};
    struct billing_window_pick unknown_card = {.card_profile = 10000};
    struct billing_window_pick bad_card = {.card_profile = -2};
    struct billing_window_pick wrong_months = {.card_profile = -1, .card_quota = 3};
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &money, &after, NULL), MOCK_CHECKOUT_METHOD);
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &unknown_card, &after, NULL),
                     MOCK_CHECKOUT_METHOD);
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &bad_card, &after, NULL),
                     MOCK_CHECKOUT_METHOD);
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &wrong_months, &after, NULL),
                     MOCK_CHECKOUT_METHOD);
    /* a refused pick leaves the window open and the payment ready */
    assert_int_equal(checkout_get(win.id, &after), MOCK_OK);
    assert_int_equal(after.state, CHECKOUT_OPEN);
    struct payment p;
    assert_int_equal(store_payment_get(w->s, w->a, win.imp_uid, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_READY);
    payment_fini(&p);
    struct billing_window_pick six = {.card_profile = -1, .card_quota = 6};
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &six, &after, NULL), MOCK_OK);

    rq = request("pick-2", 1000);
    rq.methods = CHECKOUT_MONEY_ONLY;
    open_ok(w, &rq, &win);
    struct billing_window_pick card = {.card_profile = -1};
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &card, &after, NULL), MOCK_CHECKOUT_METHOD);
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &money, &after, NULL), MOCK_OK);
    /* no scenario: the window does nothing by itself */
    rq = request("pick-3", 1000);
    open_ok(w, &rq, &win);
    assert_int_equal(act(w, win.id, CHECKOUT_AUTO, NULL, &after, NULL), MOCK_CHECKOUT_NO_AUTO);
}

/* Two windows of one order: the first paid, the second can no longer be. */
static void test_second_window_of_a_paid_order(void **state)
{
    struct unit_world *w = *state;
    struct checkout_window first, second, after;
    struct checkout_request rq = request("twice-1", 1000);
    open_ok(w, &rq, &first);
    open_ok(w, &rq, &second);
    struct billing_window_pick card = {.card_profile = -1};
    assert_int_equal(act(w, first.id, CHECKOUT_APPROVE, &card, &after, NULL), MOCK_OK);
    assert_true(after.success);
    struct payment p;
    assert_int_equal(act(w, second.id, CHECKOUT_APPROVE, &card, &after, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_FAILED);
    payment_fini(&p);
    assert_false(after.success);
    assert_string_equal(after.error_code, "ALREADY_PAID");
    char detail[BILLING_DETAIL_MAX];
    assert_int_equal(checkout_open(&w->billing, &rq, &after, detail), MOCK_ALREADY_PAID);
}

static void test_key_issued_in_a_window(void **state)
{
    struct unit_world *w = *state;
    struct checkout_window win, after;
    struct checkout_request rq = request("key-1", 0);
    rq.customer_uid = "cust-window";
    open_ok(w, &rq, &win);
    struct customer c;
    assert_int_equal(store_customer_get(w->s, w->a, "cust-window", &c), MOCK_CUSTOMER_NOT_FOUND);
    struct billing_window_pick card = {.card_profile = -1};
    assert_int_equal(act(w, win.id, CHECKOUT_APPROVE, &card, &after, NULL), MOCK_OK);
    assert_true(after.success);
    assert_int_equal(store_customer_get(w->s, w->a, "cust-window", &c), MOCK_OK);
    assert_string_equal(c.pg_provider, "kakaopay");
    assert_string_equal(c.pg_id, "TCSUBSCRIP");
    customer_fini(&c);
    /* a cancelled key window stores no key */
    rq = request("key-2", 0);
    rq.customer_uid = "cust-gone";
    open_ok(w, &rq, &win);
    assert_int_equal(act(w, win.id, CHECKOUT_CANCEL, NULL, &after, NULL), MOCK_OK);
    assert_int_equal(store_customer_get(w->s, w->a, "cust-gone", &c), MOCK_CUSTOMER_NOT_FOUND);
}

static void test_windows_that_act_by_themselves(void **state)
{
    struct unit_world *w = *state;
    static const char rules[] =
        "{\"name\":\"auto\",\"description\":\"windows acting alone\",\"rules\":["
        "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"card-*\"},\"then\":{\"window\":"
        "\"approve_card\"}},"
        "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"money-*\"},\"then\":{\"window\":"
        "\"approve_money\"}},"
        "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"quit-*\"},\"then\":{\"window\":"
        "\"cancel\"}},"
        "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"fail-*\"},\"then\":{\"window_fail\":"
        "\"[CANCEL]한도 초과\"}},"
        "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"hang-*\"},\"then\":{\"window\":"
        "\"hang\"}}]}";
    char err[256];
    assert_true(scenario_load_text(rules, strlen(rules), "auto.json", err, sizeof err));
    static const struct {
        const char *muid;
        enum checkout_auto action;
        enum pay_status status;
        const char *pay_method; /* when paid */
        const char *error_code; /* when failed */
    } cases[] = {
        {"card-1", CHECKOUT_AUTO_APPROVE_CARD, PAY_PAID, "card", NULL},
        {"money-1", CHECKOUT_AUTO_APPROVE_MONEY, PAY_PAID, "point", NULL},
        {"quit-1", CHECKOUT_AUTO_CANCEL, PAY_FAILED, NULL, "USER_CANCEL"},
        {"fail-1", CHECKOUT_AUTO_FAIL, PAY_FAILED, NULL, "PG_ERROR"},
        {"hang-1", CHECKOUT_AUTO_HANG, PAY_READY, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct checkout_window win, after;
        struct checkout_request rq = request(cases[i].muid, 2000);
        open_ok(w, &rq, &win);
        assert_int_equal(win.auto_action, cases[i].action);
        assert_string_equal(win.auto_scenario, "auto");
        struct payment p;
        assert_int_equal(act(w, win.id, CHECKOUT_AUTO, NULL, &after, &p), MOCK_OK);
        if (p.status != cases[i].status)
            fail_msg("%s: payment %s", cases[i].muid, pay_status_name(p.status));
        if (cases[i].pay_method)
            assert_string_equal(p.pay_method, cases[i].pay_method);
        if (cases[i].error_code)
            assert_string_equal(after.error_code, cases[i].error_code);
        if (cases[i].action == CHECKOUT_AUTO_FAIL) {
            assert_string_equal(p.fail_reason, "[CANCEL]한도 초과");
            assert_string_equal(after.error_msg, "[CANCEL]한도 초과");
        }
        /* a hanging window stays open: the buyer may still close it */
        assert_int_equal(after.state,
                         cases[i].action == CHECKOUT_AUTO_HANG ? CHECKOUT_OPEN : CHECKOUT_DONE);
        payment_fini(&p);
    }
    /* a card-only window pays by card whatever the scenario says */
    struct checkout_window win, after;
    struct checkout_request rq = request("money-2", 2000);
    rq.methods = CHECKOUT_CARD_ONLY;
    open_ok(w, &rq, &win);
    struct payment p;
    assert_int_equal(act(w, win.id, CHECKOUT_AUTO, NULL, &after, &p), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID);
    assert_string_equal(p.pay_method, "card");
    payment_fini(&p);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, unit_world_setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_open_stores_a_ready_payment),
        T(test_channel_choice),
        T(test_refusals_store_nothing),
        T(test_paid_order_and_prepare_guards),
        T(test_installments),
        T(test_approve_decline_and_cancel),
        T(test_picks_the_window_does_not_offer),
        T(test_second_window_of_a_paid_order),
        T(test_key_issued_in_a_window),
        T(test_windows_that_act_by_themselves),
    };
#undef T
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
