/* test_order.c - the order rules every door applies (order_check) and the
 * installment minimum (order_check_quota, order_quota_allowed), plus the
 * error table rows they answer with: texts, statuses and codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/order.h"

#include <string.h>

static struct billing_order order(int64_t amount, int64_t tax_free, const char *currency,
                                  int card_quota)
{
    struct billing_order o = {.merchant_uid = "order_1",
                              .amount = amount,
                              .tax_free = tax_free,
                              .currency = currency,
                              .card_quota = card_quota};
    return o;
}

static enum mock_err check(struct billing_order o, enum billing_door door, bool issues_key,
                           char detail[BILLING_DETAIL_MAX])
{
    memset(detail, 'x', BILLING_DETAIL_MAX); /* "" must be written, not left over */
    return order_check(&o, door, issues_key, detail);
}

static const enum billing_door api_doors[] = {BILLING_DOOR_AGAIN, BILLING_DOOR_ONETIME,
                                              BILLING_DOOR_SCHEDULE};

static void test_amount_positive(void **state)
{
    (void)state;
    char detail[BILLING_DETAIL_MAX];
    for (size_t i = 0; i < sizeof api_doors / sizeof api_doors[0]; i++) {
        assert_int_equal(check(order(1, 0, NULL, 0), api_doors[i], false, detail), MOCK_OK);
        assert_string_equal(detail, "");
        assert_int_equal(check(order(0, 0, NULL, 0), api_doors[i], false, detail),
                         MOCK_ORDER_AMOUNT_ZERO);
        assert_string_equal(detail, "");
        /* a customer_uid changes nothing outside the window */
        assert_int_equal(check(order(0, 0, NULL, 0), api_doors[i], true, detail),
                         MOCK_ORDER_AMOUNT_ZERO);
        /* readers refuse negatives; the rule does too */
        assert_int_equal(check(order(-1, 0, NULL, 0), api_doors[i], false, detail),
                         MOCK_ORDER_AMOUNT_ZERO);
    }
}

static void test_window_zero_issues_key(void **state)
{
    (void)state;
    char detail[BILLING_DETAIL_MAX];
    /* 0 KRW through the window asks for a billing key only */
    assert_int_equal(check(order(0, 0, NULL, 0), BILLING_DOOR_WINDOW, true, detail), MOCK_OK);
    assert_int_equal(check(order(0, 0, NULL, 0), BILLING_DOOR_WINDOW, false, detail),
                     MOCK_ORDER_ZERO_WITHOUT_KEY);
    assert_int_equal(check(order(-1, 0, NULL, 0), BILLING_DOOR_WINDOW, true, detail),
                     MOCK_ORDER_ZERO_WITHOUT_KEY);
    assert_int_equal(check(order(1000, 0, NULL, 0), BILLING_DOOR_WINDOW, true, detail), MOCK_OK);
}

static void test_tax_free_within_amount(void **state)
{
    (void)state;
    char detail[BILLING_DETAIL_MAX];
    enum billing_door doors[] = {BILLING_DOOR_AGAIN, BILLING_DOOR_ONETIME, BILLING_DOOR_SCHEDULE,
                                 BILLING_DOOR_WINDOW};
    for (size_t i = 0; i < sizeof doors / sizeof doors[0]; i++) {
        assert_int_equal(check(order(1000, 1000, NULL, 0), doors[i], false, detail), MOCK_OK);
        assert_int_equal(check(order(1000, 1001, NULL, 0), doors[i], false, detail),
                         MOCK_ORDER_TAX_FREE_OVER);
        assert_string_equal(detail, "");
    }
    /* a key-only window order has no tax-free part to speak of */
    assert_int_equal(check(order(0, 1, NULL, 0), BILLING_DOOR_WINDOW, true, detail),
                     MOCK_ORDER_TAX_FREE_OVER);
    /* the amount rule is reported first */
    assert_int_equal(check(order(0, 1, NULL, 0), BILLING_DOOR_AGAIN, false, detail),
                     MOCK_ORDER_AMOUNT_ZERO);
}

static void test_currency(void **state)
{
    (void)state;
    char detail[BILLING_DETAIL_MAX];
    /* Kakao Pay's window takes KRW only; the currency is the detail */
    assert_int_equal(check(order(1000, 0, "KRW", 0), BILLING_DOOR_WINDOW, false, detail), MOCK_OK);
    assert_int_equal(check(order(1000, 0, NULL, 0), BILLING_DOOR_WINDOW, false, detail), MOCK_OK);
    assert_int_equal(check(order(1000, 0, "USD", 0), BILLING_DOOR_WINDOW, false, detail),
                     MOCK_ORDER_KRW_ONLY);
    assert_string_equal(detail, "USD");
    /* the key-in doors leave the currency to the PG */
    for (size_t i = 0; i < sizeof api_doors / sizeof api_doors[0]; i++) {
        assert_int_equal(check(order(1000, 0, "USD", 0), api_doors[i], false, detail), MOCK_OK);
        assert_string_equal(detail, "");
    }
    /* tax_free is reported before the currency */
    assert_int_equal(check(order(1000, 2000, "USD", 0), BILLING_DOOR_WINDOW, false, detail),
                     MOCK_ORDER_TAX_FREE_OVER);
}

static void test_installments(void **state)
{
    (void)state;
    /* a lump sum always; 2 months and more from 50,000 KRW */
    assert_true(order_quota_allowed(1, 0));
    assert_true(order_quota_allowed(1, 1));
    assert_false(order_quota_allowed(ORDER_QUOTA_MIN_AMOUNT - 1, 2));
    assert_true(order_quota_allowed(ORDER_QUOTA_MIN_AMOUNT, 2));
    assert_true(order_quota_allowed(ORDER_QUOTA_MIN_AMOUNT, 60));
    struct billing_order o = order(49999, 0, NULL, 3);
    assert_int_equal(order_check_quota(&o), MOCK_QUOTA_UNDER_MIN);
    o = order(50000, 0, NULL, 3);
    assert_int_equal(order_check_quota(&o), MOCK_OK);

    /* a schedule item meets the minimum up front; again and onetime when
     * charged (after the key and card checks), the window at its approval */
    char detail[BILLING_DETAIL_MAX];
    assert_int_equal(check(order(49999, 0, NULL, 3), BILLING_DOOR_SCHEDULE, false, detail),
                     MOCK_QUOTA_UNDER_MIN);
    assert_int_equal(check(order(49999, 0, NULL, 3), BILLING_DOOR_AGAIN, false, detail), MOCK_OK);
    assert_int_equal(check(order(49999, 0, NULL, 3), BILLING_DOOR_ONETIME, false, detail), MOCK_OK);
    assert_int_equal(check(order(49999, 0, NULL, 3), BILLING_DOOR_WINDOW, false, detail), MOCK_OK);
    /* the amount rules come first */
    assert_int_equal(check(order(0, 0, NULL, 3), BILLING_DOOR_SCHEDULE, false, detail),
                     MOCK_ORDER_AMOUNT_ZERO);
}

/* The rows as clients see them: the texts the handlers used to write. */
static void test_rows(void **state)
{
    (void)state;
    static const struct {
        enum mock_err e;
        const char *message;
    } rows[] = {
        {MOCK_ORDER_AMOUNT_ZERO, "amount 파라미터는 0보다 커야 합니다."},
        {MOCK_ORDER_ZERO_WITHOUT_KEY, "amount 파라미터는 0보다 커야 합니다 (0원은 customer_uid와 "
                                      "함께 빌링키만 발급할 때 쓸 수 있습니다)."},
        {MOCK_ORDER_TAX_FREE_OVER, "tax_free 파라미터는 amount보다 클 수 없습니다."},
        {MOCK_ORDER_KRW_ONLY, "카카오페이는 원화(KRW) 결제만 지원합니다: %s"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_string_equal(mock_err_message(rows[i].e), rows[i].message);
        assert_int_equal(mock_err_http(rows[i].e), 400);
        assert_int_equal(mock_err_code(rows[i].e), -1);
        assert_true(mock_err_bad_param(rows[i].e)); /* BAD_PARAM to the payment window */
    }
    /* the installment minimum is the card company's refusal, not a bad parameter */
    assert_string_equal(mock_err_message(MOCK_QUOTA_UNDER_MIN),
                        "할부거래는 50,000원 이상 결제건만 가능합니다.");
    assert_int_equal(mock_err_http(MOCK_QUOTA_UNDER_MIN), 200);
    assert_int_equal(mock_err_code(MOCK_QUOTA_UNDER_MIN), -1);
    assert_false(mock_err_bad_param(MOCK_QUOTA_UNDER_MIN));
}

/* mock_err_format fills "%s"s in order and cuts without splitting a character. */
static void test_format(void **state)
{
    (void)state;
    char buf[256];
    const char *currency[] = {"USD"};
    mock_err_format(MOCK_ORDER_KRW_ONLY, currency, 1, buf, sizeof buf);
    assert_string_equal(buf, "카카오페이는 원화(KRW) 결제만 지원합니다: USD");
    const char *range[] = {"limit", "1", "1000"};
    mock_err_format(MOCK_PARAM_RANGE, range, 3, buf, sizeof buf);
    assert_string_equal(buf, "limit 파라미터는 1 이상 1000 이하여야 합니다.");
    /* missing details are empty; a detail is copied as is, "%s" and all */
    mock_err_format(MOCK_PARAM_RANGE, range, 1, buf, sizeof buf);
    assert_string_equal(buf, "limit 파라미터는  이상  이하여야 합니다.");
    const char *odd[] = {"%s%d"};
    mock_err_format(MOCK_PARAM_REQUIRED, odd, 1, buf, sizeof buf);
    assert_string_equal(buf, "%s%d 파라미터는 필수입니다.");
    /* "amount " then 파 (3 bytes) does not fit in 9 bytes with the NUL */
    const char *field[] = {"amount"};
    size_t n = mock_err_format(MOCK_PARAM_REQUIRED, field, 1, buf, 9);
    assert_string_equal(buf, "amount ");
    assert_int_equal(n, 7);
    n = mock_err_format(MOCK_PARAM_REQUIRED, field, 1, buf, 10);
    assert_string_equal(buf, "amount ");
    n = mock_err_format(MOCK_PARAM_REQUIRED, field, 1, buf, 11);
    assert_string_equal(buf, "amount 파");
    assert_int_equal(n, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amount_positive),
        cmocka_unit_test(test_window_zero_issues_key),
        cmocka_unit_test(test_tax_free_within_amount),
        cmocka_unit_test(test_currency),
        cmocka_unit_test(test_installments),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
