/*
 * test_redact.c - masking what the request journal keeps (mock/infra/redact.c):
 * every encoding a client may use for a secret - JSON escapes, form
 * %-escapes, '+', separators, escaped names, nested objects and form arrays,
 * numbers, text cut short - comes out masked, the rest as it was sent; and
 * redact_may_hold_secret, the quick check made first, says "no" only when
 * masking would change nothing (random text of digits, separators, escapes,
 * names and letters).
 */
#include "infra/redact.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *body(const char *text, bool cut)
{
    static char out[REDACT_OUT_MAX(4096)];
    size_t len = strlen(text);
    assert_true(len <= 4096);
    size_t n = redact_body(text, len, cut, out);
    assert_int_equal(n, strlen(out));
    return out;
}

static void test_no_means_nothing_to_mask(void **state)
{
    (void)state;
    static const char *const parts[] = {"4",
                                        "2",
                                        "0",
                                        "9",
                                        "-",
                                        " ",
                                        "+",
                                        "%20",
                                        "%2D",
                                        "%2d",
                                        "%2B",
                                        "%25",
                                        "a",
                                        "=",
                                        "&",
                                        "\"",
                                        "%",
                                        "44444",
                                        "\\u0034",
                                        "\\",
                                        "{",
                                        "}",
                                        "[",
                                        "]",
                                        ":",
                                        ",",
                                        "1e5",
                                        "Card",
                                        "birth",
                                        "_",
                                        "pwd",
                                        "secret",
                                        "cvc",
                                        "imp_",
                                        "x[",
                                        "number",
                                        "\"\"",
                                        "birth=",
                                        "\"cvc\":\"",
                                        "4242424242424242",
                                        "card_number=",
                                        "[card_number]="};
    unsigned seed = 99;
    int masked = 0;
    for (int round = 0; round < 200000; round++) {
        char text[512] = "";
        int n = rand_r(&seed) % 30;
        for (int i = 0; i < n; i++)
            strcat(text, parts[rand_r(&seed) % (int)(sizeof parts / sizeof *parts)]);
        bool cut = rand_r(&seed) % 4 == 0;
        bool may = redact_may_hold_secret(text, strlen(text), cut);
        const char *out = body(text, cut);
        if (strcmp(out, text) != 0) {
            masked++;
            if (!may)
                fail_msg("said nothing to mask, yet \"%s\" became \"%s\"", text, out);
        }
    }
    if (masked < 1000) /* the random text did hold secrets */
        fail_msg("only %d of 200000 random texts had something to mask", masked);
}

static void test_quick_check_examples(void **state)
{
    (void)state;
    static const char *const no[] = {"imp_key=imp_apikey&merchant_uid=o1",
                                     "{\"merchant_uid\":\"order_1700000000\"}", "amount=1000"};
    static const char *const yes[] = {"card_number=4242-4242-4242-4242", "{\"imp_secret\":\"x\"}",
                                      "a=%34", "{\"a\":\"\\u0034\"}", "{\"BIRTH\":1}"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(redact_may_hold_secret(no[i], strlen(no[i]), false));
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_true(redact_may_hold_secret(yes[i], strlen(yes[i]), false));
    assert_true(redact_may_hold_secret("a=4242424", 9, true)); /* digits at a cut */
}

/* The encodings of issue 13 item 4, one case each: body in, body out. */
static const struct {
    const char *name, *in, *out;
} cases[] = {
    {"plain JSON", "{\"card_number\":\"4242424242424242\",\"amount\":1000}",
     "{\"card_number\":\"424242******4242\",\"amount\":1000}"},
    {"JSON escapes",
     "{\"card_number\":\"\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032"
     "\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032\"}",
     "{\"card_number\":\"\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032******"
     "\\u0034\\u0032\\u0034\\u0032\"}"},
    {"JSON escaped separators", "{\"x\":\"4242\\u002d4242\\u002d4242\\u002d4242\"}",
     "{\"x\":\"4242\\u002d42**\\u002d****\\u002d4242\"}"},
    {"escaped name", "{\"card\\u005fnumber\":\"12345\"}", "{\"card\\u005fnumber\":\"*****\"}"},
    {"name in capitals", "{\"CVC\":\"123\"}", "{\"CVC\":\"***\"}"},
    {"birth, pwd_2digit, cvc",
     "{\"birth\":\"880101\",\"pwd_2digit\":\"12\",\"cvc\":\"123\",\"n\":\"12\"}",
     "{\"birth\":\"******\",\"pwd_2digit\":\"**\",\"cvc\":\"***\",\"n\":\"12\"}"},
    {"numbers", "{\"birth\":880101,\"pwd_2digit\":12,\"amount\":4242424242424242}",
     "{\"birth\":\"******\",\"pwd_2digit\":\"**\",\"amount\":\"424242******4242\"}"},
    {"card number as a number", "{\"card_number\":4242424242424242}",
     "{\"card_number\":\"424242******4242\"}"},
    {"imp_secret", "{\"imp_key\":\"imp_apikey\",\"imp_secret\":\"ekKoeW8Ry\"}",
     "{\"imp_key\":\"imp_apikey\",\"imp_secret\":\"*********\"}"},
    {"nested object",
     "{\"customer\":{\"card_number\":\"4242-4242-4242-4242\",\"birth\":\"880101\"}}",
     "{\"customer\":{\"card_number\":\"4242-42**-****-4242\",\"birth\":\"******\"}}"},
    {"a secret holding an object", "{\"birth\":{\"y\":\"88\",\"d\":[\"01\",1]},\"n\":\"7\"}",
     "{\"birth\":{\"y\":\"**\",\"d\":[\"**\",\"*\"]},\"n\":\"7\"}"},
    {"array of objects", "[{\"cvc\":\"123\"},{\"cvc\":\"456\",\"x\":\"1\"}]",
     "[{\"cvc\":\"***\"},{\"cvc\":\"***\",\"x\":\"1\"}]"},
    {"short card number", "{\"card_number\":\"4242\"}", "{\"card_number\":\"****\"}"},
    {"other characters in a card number", "{\"card_number\":\"4242/4242.4242x4242\"}",
     "{\"card_number\":\"4242*42********4242\"}"},
    {"malformed JSON", "{\"card_number\":\"4242424242424242\",,,}",
     "{\"card_number\":\"424242******4242\",,,}"},
    {"form", "card_number=4242424242424242&expiry=2030-12",
     "card_number=424242******4242&expiry=2030-12"},
    {"form %-escapes", "card_number=%34%32%34%32%34%32%34%32%34%32%34%32%34%32%34%32",
     "card_number=%34%32%34%32%34%32******%34%32%34%32"},
    {"form %-escapes elsewhere", "memo=%34%32%34%32%34%32%34%32%34%32%34%32%34%32%34%32",
     "memo=%34%32%34%32%34%32******%34%32%34%32"},
    {"form '+'", "card_number=4242+4242+4242+4242", "card_number=4242+42**+****+4242"},
    {"form escaped separators", "card_number=4242%204242%2D4242%2d4242",
     "card_number=4242%2042**%2D****%2d4242"},
    {"form escaped name", "card%5Fnumber=4242424242424242&birth%3D=1",
     "card%5Fnumber=424242******4242&birth%3D=1"},
    {"form arrays",
     "schedules[0][card_number]=4242424242424242&schedules[0][birth]=880101"
     "&pwd_2digit[]=12&customer%5Bcvc%5D=123",
     "schedules[0][card_number]=424242******4242&schedules[0][birth]=******"
     "&pwd_2digit[]=**&customer%5Bcvc%5D=***"},
    {"form imp_secret", "imp_key=imp_apikey&imp_secret=ekKo%2BW8",
     "imp_key=imp_apikey&imp_secret=*******"},
    {"plain text", "card 4242 4242 4242 4242 here", "card 4242 42** **** 4242 here"},
    {"short runs stay", "imp_123456789012 1700000000&order=202401021234",
     "imp_123456789012 1700000000&order=202401021234"},
    {"longer runs stay", "{\"ids\":\"12345678901234567890123\"}",
     "{\"ids\":\"12345678901234567890123\"}"},
    /* cJSON takes every byte up to 0x20 outside a string as whitespace */
    {"control bytes between tokens",
     "\x01{\"birth\":\x01\"880101\",\"cvc\"\x1f:\x02"
     "123}",
     "\x01{\"birth\":\x01\"******\",\"cvc\"\x1f:\x02\"***\"}"},
};

static void test_every_encoding(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *out = body(cases[i].in, false);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("%s:\n  in   %s\n  out  %s\n  want %s", cases[i].name, cases[i].in, out,
                     cases[i].out);
    }
}

/* A NUL outside a string is whitespace to cJSON too: the number after it is
 * still a number, masked and quoted, and the body still parses. */
static void test_nul_between_tokens(void **state)
{
    (void)state;
    static const char in[] = "[\0\0\0"
                             "4242424242424242] ";
    static const char want[] = "[\0\0\0\"424242******4242\"] ";
    char out[REDACT_OUT_MAX(sizeof in)];
    size_t n = redact_body(in, sizeof in - 1, false, out);
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(out, want, n);
}

/* A number cut by the journal's size limit keeps at most its first 6 digits. */
static void test_cut(void **state)
{
    (void)state;
    assert_string_equal(body("{\"x\":\"424242424242", true), "{\"x\":\"424242******");
    assert_string_equal(body("{\"x\":\"4242\\u00342424242", true), "{\"x\":\"4242\\u00342******");
    assert_string_equal(body("{\"x\":42424242", true), "{\"x\":\"424242**\"");
    assert_string_equal(body("a=4242-4242-42", true), "a=4242-42**-**");
    assert_string_equal(body("card_number=4242424", true), "card_number=424242*");
    assert_string_equal(body("{\"x\":\"1700000\",\"y\":\"1234567", true),
                        "{\"x\":\"1700000\",\"y\":\"123456*");
    assert_string_equal(body("{\"x\":\"123456", true), "{\"x\":\"123456");    /* 6 say nothing */
    assert_string_equal(body("{\"x\":\"1234567", false), "{\"x\":\"1234567"); /* not cut */
}

static void test_targets(void **state)
{
    (void)state;
    char out[REDACT_OUT_MAX(256)];
    static const char *const in[][2] = {
        {"/payments/4242424242424242", "/payments/424242******4242"},
        {"/p?card_number=%34%32%34%32%34%32%34%32%34%32%34%32%34%32%34%32&x=1",
         "/p?card_number=%34%32%34%32%34%32******%34%32%34%32&x=1"},
        {"/p?birth=880101&imp_secret=s3cr3t", "/p?birth=******&imp_secret=******"},
        {"/p/%34242424242424242", "/p/%3424242******4242"},
    };
    for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
        redact_target(in[i][0], strlen(in[i][0]), false, out);
        assert_string_equal(out, in[i][1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_means_nothing_to_mask),
        cmocka_unit_test(test_quick_check_examples),
        cmocka_unit_test(test_every_encoding),
        cmocka_unit_test(test_nul_between_tokens),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
