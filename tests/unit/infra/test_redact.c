/*
 * test_redact.c - redact_card_numbers masks card numbers however they are
 * written (separators, %-escapes, JSON) and leaves short digit runs alone;
 * redact_may_hold_card_number, the quick check the request journal makes
 * before masking: whenever it says "no", redact_card_numbers would indeed
 * have changed nothing (random text of digits, separators, escapes, letters).
 */
#include "infra/redact.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

static void test_masks_card_numbers(void **state)
{
    (void)state;
    char text[] = "card_number=4242-4242-4242-4242&amount=1000&birth=900101";
    redact_card_numbers(text);
    assert_null(strstr(text, "4242-4242-4242-4242"));
    assert_non_null(strstr(text, "amount=1000"));
    assert_non_null(strstr(text, "birth=900101"));

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

static void test_no_means_nothing_to_mask(void **state)
{
    (void)state;
    static const char *const parts[] = {"4",   "2",   "0",   "9", "-", " ", "+",  "%20", "%2D",
                                        "%2d", "%2B", "%25", "a", "=", "&", "\"", "%",   "44444"};
    unsigned seed = 99;
    int masked = 0;
    for (int round = 0; round < 200000; round++) {
        char text[256] = "", copy[256];
        int n = rand_r(&seed) % 30;
        for (int i = 0; i < n; i++)
            strcat(text, parts[rand_r(&seed) % (int)(sizeof parts / sizeof *parts)]);
        memcpy(copy, text, sizeof text);
        bool may = redact_may_hold_card_number(text);
        redact_card_numbers(copy);
        if (strcmp(copy, text) != 0) {
            masked++;
            if (!may)
                fail_msg("said no card number, yet masking changed \"%s\" to \"%s\"", text, copy);
        }
    }
    assert_true(masked > 100); /* the random text did contain card numbers */
}

static void test_examples(void **state)
{
    (void)state;
    assert_false(redact_may_hold_card_number("imp_key=imp_apikey&imp_secret=ekKoeW8Ry0z4A6b5lam9"));
    assert_false(redact_may_hold_card_number("{\"merchant_uid\":\"order_1700000000\"}"));
    assert_true(redact_may_hold_card_number("card_number=4242-4242-4242-4242"));
    assert_true(redact_may_hold_card_number("card_number=4242%204242%204242%204242"));
    assert_true(redact_may_hold_card_number("{\"card_number\":\"4242424242424242\"}"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_masks_card_numbers),
        cmocka_unit_test(test_no_means_nothing_to_mask),
        cmocka_unit_test(test_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
