/* test_cards.c - card-number rules and test-card outcomes (mock/cards.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/cards.h"
#include "infra/redact.h"

#include <string.h>

static void test_normalize(void **state)
{
    (void)state;
    char out[CARD_DIGITS_MAX + 1];
    assert_true(cards_normalize("4242-4242-4242-4242", out));
    assert_string_equal(out, "4242424242424242");
    assert_true(cards_normalize("4242 4242 4242 4242", out));
    assert_string_equal(out, "4242424242424242");
    assert_true(cards_normalize("3782822463 10005", out)); /* 15-digit card */
    assert_string_equal(out, "378282246310005");
    assert_false(cards_normalize("4242-4242-4242-424x", out));
    assert_false(cards_normalize("424242424242", out));         /* 12 digits: too short */
    assert_false(cards_normalize("42424242424242424242", out)); /* 20 digits: too long */
    assert_false(cards_normalize("", out));
}

static void test_luhn(void **state)
{
    (void)state;
    assert_true(cards_luhn_ok("4242424242424242"));
    assert_true(cards_luhn_ok("4000000000000002"));
    assert_true(cards_luhn_ok("378282246310005"));
    assert_false(cards_luhn_ok("4242424242424241"));
    assert_false(cards_luhn_ok("4000000000000001"));
    assert_false(cards_luhn_ok(""));
}

static void test_mask(void **state)
{
    (void)state;
    char out[CARD_DIGITS_MAX + 1];
    cards_mask("4242424242424242", out);
    assert_string_equal(out, "424242******4242");
    cards_mask("378282246310005", out); /* the last four always stay */
    assert_string_equal(out, "378282*****0005");
    cards_mask("6243030000000000001", out);
    assert_string_equal(out, "624303******0000001");
}

/* Masks a request body in place (the cases below never grow). */
static void redact_card_numbers(char *text)
{
    char out[REDACT_OUT_MAX(256)];
    size_t len = strlen(text);
    assert_true(len <= 256);
    assert_true(redact_body(text, len, false, out) <= len);
    strcpy(text, out);
}

static void test_redact(void **state)
{
    (void)state;
    char text[] = "card_number=4242-4242-4242-4242&amount=1000&birth=900101";
    redact_card_numbers(text);
    assert_null(strstr(text, "4242-4242-4242-4242"));
    assert_non_null(strstr(text, "amount=1000"));
    assert_non_null(strstr(text, "birth=******")); /* a secret field too */

    char plus[] = "card_number=4242+4242+4242+4242&x=1";
    redact_card_numbers(plus);
    assert_string_equal(plus, "card_number=4242+42**+****+4242&x=1");
    char escaped[] = "card_number=4242%204242%2D4242%2d4242";
    redact_card_numbers(escaped);
    assert_string_equal(escaped, "card_number=4242%2042**%2D****%2d4242");
    char json[] = "{\"card_number\":\"4000000000003220\",\"amount\":9900}";
    redact_card_numbers(json);
    assert_string_equal(json, "{\"card_number\":\"400000******3220\",\"amount\":9900}");
    char ids[] = "imp_123456789012 1700000000"; /* short runs stay readable */
    redact_card_numbers(ids);
    assert_string_equal(ids, "imp_123456789012 1700000000");
}

static struct test_card sample[] = {
    {.digits = "4242424242424242", .outcome = CARD_APPROVE, .card_name = "신한카드"},
    {.digits = "4000000000000002",
     .outcome = CARD_DECLINE,
     .fail_reason = "[F601]거래거절 카드사 승인거절"},
    {.digits = "4000000000003220",
     .outcome = CARD_APPROVE_THEN_DECLINE,
     .approve_count = 2,
     .fail_reason = "[F302]잔액부족"},
    {.digits = "4000000000000069", .outcome = CARD_AUTH_FAIL, .fail_reason = "[F112]"},
};

static void test_find_and_outcomes(void **state)
{
    (void)state;
    struct card_table t = {sample, sizeof sample / sizeof sample[0]};
    const char *reason = NULL;
    assert_int_equal(cards_find(&t, "4242424242424242"), 0);
    assert_int_equal(cards_find(&t, "4111111111111111"), -1);

    /* a plain card (-1) and an approving one always pass */
    assert_true(cards_charge_approved(&t, -1, 1, &reason));
    assert_true(cards_charge_approved(&t, 0, 100, &reason));

    assert_false(cards_charge_approved(&t, 1, 1, &reason));
    assert_string_equal(reason, "[F601]거래거절 카드사 승인거절");

    assert_true(cards_charge_approved(&t, 2, 1, &reason));
    assert_true(cards_charge_approved(&t, 2, 2, &reason));
    reason = NULL;
    assert_false(cards_charge_approved(&t, 2, 3, &reason));
    assert_string_equal(reason, "[F302]잔액부족");
    assert_false(cards_charge_approved(&t, 2, 4, &reason));
}

static void test_issuer(void **state)
{
    (void)state;
    struct card_table t = {sample, sizeof sample / sizeof sample[0]};
    const char *name, *code;
    int type;
    cards_issuer(&t, 0, &name, &code, &type);
    assert_string_equal(name, "신한카드");
    cards_issuer(&t, -1, &name, &code, &type);
    assert_string_equal(name, "BC카드");
    assert_string_equal(code, "361");
    assert_int_equal(type, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_luhn),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_find_and_outcomes),
        cmocka_unit_test(test_issuer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
