/* test_codes.c - the KFTC code tables and card brands (mock/base/codes.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/codes.h"

#include <string.h>

/* Every table is sorted by code with no code twice, and every name is set. */
static void check_table(const struct std_code *t, size_t n)
{
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].code);
        assert_true(t[i].name && t[i].name[0]);
        if (i > 0)
            assert_true(strcmp(t[i - 1].code, t[i].code) < 0);
    }
}

static void test_banks(void **state)
{
    (void)state;
    size_t n;
    const struct std_code *t = codes_banks(&n);
    check_table(t, n);
    assert_int_equal(n, 47); /* the Swagger's 45, plus 045 and 092 (reference §21.2) */
    assert_string_equal(codes_bank("004")->name, "KB국민은행");
    assert_string_equal(codes_bank("081")->name, "하나은행(서울은행)");
    assert_string_equal(codes_bank("045")->name, "새마을금고");
    assert_string_equal(codes_bank("092")->name, "토스뱅크");
    assert_string_equal(codes_bank("290")->name, "부국증권");
    assert_null(codes_bank("001")); /* in the Node enum only, not in the Swagger */
    assert_null(codes_bank("04"));
    assert_null(codes_bank(""));
    assert_null(codes_bank(NULL));
}

static void test_cards(void **state)
{
    (void)state;
    size_t n;
    const struct std_code *t = codes_cards(&n);
    check_table(t, n);
    assert_int_equal(n, 27);
    assert_string_equal(codes_card("361")->name, "BC카드");
    assert_string_equal(codes_card("381")->name, "KB국민카드");
    assert_string_equal(codes_card("VIS")->name, "해외비자카드");
    assert_string_equal(codes_card("UNI")->name, "중국은련카드");
    assert_null(codes_card("vis")); /* codes are matched exactly */
    assert_null(codes_card("10001"));
    /* every card company of the default test cards has its row */
    static const char *const test_card_codes[] = {"366", "381", "371", "365",
                                                  "367", "368", "374", "361"};
    for (size_t i = 0; i < sizeof test_card_codes / sizeof *test_card_codes; i++)
        assert_non_null(codes_card(test_card_codes[i]));
}

static const char *brand(const char *number)
{
    const struct std_code *c = codes_card_brand(number);
    return c ? c->code : "-";
}

static void test_brands(void **state)
{
    (void)state;
    assert_string_equal(brand("4242-4242-4242-4242"), "VIS");
    assert_string_equal(brand("4000 0000 0000 0002"), "VIS");
    assert_string_equal(brand("5555555555554444"), "MAS");
    assert_string_equal(brand("2223003122003222"), "MAS");
    assert_string_equal(brand("2720990000000000"), "MAS");
    assert_string_equal(brand("378282246310005"), "AMX");
    assert_string_equal(brand("341111111111111"), "AMX");
    assert_string_equal(brand("3530111333300000"), "JCB");
    assert_string_equal(brand("36227206271667"), "DIN");
    assert_string_equal(brand("30569309025904"), "DIN");
    assert_string_equal(brand("6011111111111117"), "DIS");
    assert_string_equal(brand("6500000000000002"), "DIS");
    assert_string_equal(brand("6200000000000005"), "UNI");
    /* domestic-only and malformed numbers name no brand */
    assert_string_equal(brand("9410123412341234"), "-");
    assert_string_equal(brand("1111-2222-3333-4444"), "-");
    assert_string_equal(brand("2721000000000000"), "-");
    assert_string_equal(brand("card-number"), "-");
    assert_string_equal(brand("4"), "VIS");
    assert_string_equal(brand(""), "-");
    assert_string_equal(brand(NULL), "-");
}

static void test_known_bins(void **state)
{
    (void)state;
    assert_true(codes_bin_known("4242-4242-4242-4242"));
    assert_true(codes_bin_known("5555555555554444"));
    assert_true(codes_bin_known("9540-4900-1234-1569")); /* a domestic-only BC card */
    assert_true(codes_bin_known(" 9410"));
    assert_false(codes_bin_known("1111-2222-3333-4444"));
    assert_false(codes_bin_known("2721000000000000"));
    assert_false(codes_bin_known("card-number"));
    assert_false(codes_bin_known(""));
    assert_false(codes_bin_known(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_banks),
        cmocka_unit_test(test_cards),
        cmocka_unit_test(test_brands),
        cmocka_unit_test(test_known_bins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
