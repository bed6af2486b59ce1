/*
 * test_utf8.c - mock/infra/utf8.c: the length of each well-formed sequence
 * (every code point, encoded here independently), the forms UTF-8 forbids
 * (overlong, surrogates, past U+10FFFF, stray or missing continuation bytes,
 * a sequence cut short), and utf8_valid over whole buffers, including its
 * eight-bytes-at-a-time ASCII path.
 */
#include "infra/utf8.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

/* The encoding of code point cp (surrogates included, as a careless encoder
 * would write them); returns its length. */
static size_t encode(uint32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xc0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (unsigned char)(0xf0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

static void test_every_code_point(void **state)
{
    (void)state;
    char buf[4];
    for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
        size_t n = encode(cp, buf);
        bool surrogate = cp >= 0xd800 && cp <= 0xdfff;
        size_t got = utf8_seq_len(buf, n);
        if (got != (surrogate ? 0 : n))
            fail_msg("U+%04X: length %zu, expected %zu", (unsigned)cp, got, surrogate ? 0 : n);
        if (utf8_valid(buf, n) == surrogate)
            fail_msg("U+%04X: utf8_valid says %d", (unsigned)cp, !surrogate);
        /* one byte short is never a sequence */
        if (n > 1 && utf8_seq_len(buf, n - 1) != 0)
            fail_msg("U+%04X cut to %zu bytes was accepted", (unsigned)cp, n - 1);
    }
}

static void test_forbidden_forms(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        const char *why;
    } bad[] = {
        {"\x80", "a continuation byte on its own"},
        {"\xbf", "a continuation byte on its own"},
        {"\xc0\x80", "overlong NUL"},
        {"\xc1\xbf", "overlong U+007F"},
        {"\xe0\x80\x80", "overlong in three bytes"},
        {"\xe0\x9f\xbf", "overlong U+07FF"},
        {"\xf0\x80\x80\x80", "overlong in four bytes"},
        {"\xf0\x8f\xbf\xbf", "overlong U+FFFF"},
        {"\xed\xa0\x80", "surrogate U+D800"},
        {"\xed\xbf\xbf", "surrogate U+DFFF"},
        {"\xf4\x90\x80\x80", "U+110000"},
        {"\xf7\xbf\xbf\xbf", "U+1FFFFF"},
        {"\xf8\x88\x80\x80\x80", "a five-byte lead"},
        {"\xfc\x84\x80\x80\x80\x80", "a six-byte lead"},
        {"\xfe", "0xFE"},
        {"\xff", "0xFF"},
        {"\xed\x41\x9c", "a lead followed by ASCII"},
        {"\xed\x95\xc0", "a lead followed by another lead"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = strlen(bad[i].bytes);
        if (utf8_seq_len(bad[i].bytes, len) != 0)
            fail_msg("%s was taken as a sequence", bad[i].why);
        if (utf8_valid(bad[i].bytes, len))
            fail_msg("%s was called valid", bad[i].why);
    }
    assert_int_equal(utf8_seq_len("a", 0), 0); /* nothing available */
    assert_int_equal(utf8_seq_len("\xed\x95\x9c", 2), 0);
    assert_int_equal(utf8_seq_len("\xed\x95\x9c", 3), 3);
    assert_int_equal(utf8_seq_len("\xf4\x8f\xbf\xbf", 4), 4); /* U+10FFFF, the last one */
}

static void test_valid_buffers(void **state)
{
    (void)state;
    static const char korean[] = "결제 금액은 10,000원입니다: 😀 OK";
    assert_true(utf8_valid(korean, sizeof korean - 1));
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("a\0b", 3)); /* NUL is a character like any other */
    /* a length that cuts the last character in half */
    assert_false(utf8_valid(korean, strlen("결") - 1));
    assert_false(utf8_valid("abc\xed\x95", 5));
}

/* A bad byte anywhere in a long ASCII buffer, so on either side of and inside
 * each eight-byte word the fast path reads. */
static void test_bad_byte_at_every_position(void **state)
{
    (void)state;
    char buf[40];
    for (size_t at = 0; at < sizeof buf; at++) {
        memset(buf, 'x', sizeof buf);
        buf[at] = '\x80';
        if (utf8_valid(buf, sizeof buf))
            fail_msg("a stray 0x80 at byte %zu was missed", at);
        buf[at] = '\xff';
        if (utf8_valid(buf, sizeof buf))
            fail_msg("0xFF at byte %zu was missed", at);
    }
    /* and a good three-byte character straddling every word boundary */
    for (size_t at = 0; at + 3 <= sizeof buf; at++) {
        memset(buf, 'x', sizeof buf);
        memcpy(buf + at, "\xed\x95\x9c", 3);
        if (!utf8_valid(buf, sizeof buf))
            fail_msg("U+D55C at byte %zu was refused", at);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_point),
        cmocka_unit_test(test_forbidden_forms),
        cmocka_unit_test(test_valid_buffers),
        cmocka_unit_test(test_bad_byte_at_every_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
