/*
 * test_json.c - mock/infra/json.c: what the strict parser refuses before
 * cJSON sees the text (raw control bytes and \u0000 in strings, nesting past
 * JSON_MAX_DEPTH, invalid UTF-8) wherever in a long string they sit, since
 * plain runs are passed eight bytes at a time; what it refuses after (a
 * repeated key, text after the value); and json_word_special on every byte
 * value in every lane of a word.
 */
#include "infra/json.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#define LONG 40 /* a string value of five words and more */

/* {"k":"<value>"} into out; returns its length. */
static size_t object_of(const char *value, size_t vlen, char *out, size_t cap)
{
    assert_true(vlen + 9 <= cap);
    memcpy(out, "{\"k\":\"", 6);
    memcpy(out + 6, value, vlen);
    memcpy(out + 6 + vlen, "\"}", 3);
    return vlen + 8;
}

static void test_word_special_every_byte_every_lane(void **state)
{
    (void)state;
    for (int lane = 0; lane < 8; lane++) {
        for (int c = 0; c < 256; c++) {
            unsigned char bytes[8];
            memset(bytes, 'a', sizeof bytes);
            bytes[lane] = (unsigned char)c;
            uint64_t x;
            memcpy(&x, bytes, 8);
            bool special = c < 32 || c == '"' || c == '\\';
            if (json_word_special(x) != special)
                fail_msg("byte 0x%02x in lane %d: special %d, expected %d", (unsigned)c, lane,
                         !special, special);
        }
    }
    /* UTF-8 text is plain: "가" is EA B0 80 */
    uint64_t hangul;
    memcpy(&hangul, "\xea\xb0\x80\xea\xb0\x80\xea\xb0", 8);
    assert_false(json_word_special(hangul));
}

static void test_control_byte_anywhere_in_a_string(void **state)
{
    (void)state;
    char value[LONG], text[LONG + 16], err[160];
    for (int at = 0; at < LONG; at++) {
        for (int c = 1; c < 32; c++) {
            memset(value, 'x', sizeof value);
            value[at] = (char)c;
            size_t n = object_of(value, sizeof value, text, sizeof text);
            cJSON *o = json_parse_object(text, n, err, sizeof err);
            if (o)
                fail_msg("control byte 0x%02x at %d was accepted", (unsigned)c, at);
            assert_non_null(strstr(err, "제어 문자"));
        }
        memset(value, 'x', sizeof value);
        value[at] = '\0';
        size_t n = object_of(value, sizeof value, text, sizeof text);
        assert_null(json_parse_object(text, n, err, sizeof err));
        assert_non_null(strstr(err, "NUL"));
    }
}

static void test_escaped_nul_anywhere_in_a_string(void **state)
{
    (void)state;
    char value[LONG + 6], text[LONG + 32], err[160];
    for (int at = 0; at <= LONG; at++) {
        memset(value, 'x', sizeof value);
        memcpy(value + at, "\\u0000", 6);
        size_t n = object_of(value, (size_t)LONG + 6, text, sizeof text);
        cJSON *o = json_parse_object(text, n, err, sizeof err);
        if (o)
            fail_msg("\\u0000 at %d was accepted", at);
        assert_non_null(strstr(err, "\\u0000"));
    }
}

/* Escapes that straddle the words are read as cJSON reads them: the value
 * comes back whole. */
static void test_escapes_across_words(void **state)
{
    (void)state;
    char value[LONG + 2], text[LONG + 32], err[160];
    for (int at = 0; at <= LONG; at++) {
        memset(value, 'y', sizeof value);
        memcpy(value + at, "\\\"", 2);
        size_t n = object_of(value, sizeof value, text, sizeof text);
        cJSON *o = json_parse_object(text, n, err, sizeof err);
        assert_non_null(o);
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "k");
        assert_true(cJSON_IsString(k));
        assert_int_equal(strlen(k->valuestring), LONG + 1);
        assert_int_equal(k->valuestring[at], '"');
        cJSON_Delete(o);
    }
    /* a string of backslashes: each pair is one, and the quote after ends it */
    const char *text2 = "{\"k\":\"\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\",\"n\":1}";
    cJSON *o = json_parse_object(text2, strlen(text2), err, sizeof err);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(o, "k")->valuestring,
                        "\\\\\\\\\\\\\\\\\\");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(o, "n")->valueint, 1);
    cJSON_Delete(o);
}

/* Brackets inside strings do not count as nesting; outside them they do. */
static void test_depth(void **state)
{
    (void)state;
    char text[512], err[160];
    size_t n = 0;
    for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
        text[n++] = '[';
    for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
        text[n++] = ']';
    assert_null(json_parse_value(text, n));
    n = 0;
    text[n++] = '{';
    for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "\"%c\":{", 'a');
    n += (size_t)snprintf(text + n, sizeof text - n, "\"s\":\"[[[[[[[[[[[[[[[[[[[[\"");
    for (int i = 0; i < JSON_MAX_DEPTH; i++)
        text[n++] = '}';
    cJSON *o = json_parse_object(text, n, err, sizeof err);
    assert_non_null(o);
    cJSON_Delete(o);
    text[0] = '[';
    memmove(text + 1, text, n);
    text[n + 1] = ']';
    assert_null(json_parse_object(text, n + 2, err, sizeof err));
    assert_non_null(strstr(err, "중첩"));
}

static void test_refusals_after_parsing(void **state)
{
    (void)state;
    char err[160];
    const char *dup = "{\"a\":1,\"b\":{\"x\":1,\"x\":2}}";
    assert_null(json_parse_object(dup, strlen(dup), err, sizeof err));
    assert_non_null(strstr(err, "\"x\""));
    const char *tail = "{\"a\":1} x";
    assert_null(json_parse_object(tail, strlen(tail), err, sizeof err));
    const char *arr = "[1,2]";
    assert_null(json_parse_object(arr, strlen(arr), err, sizeof err));
    cJSON *v = json_parse_value(arr, strlen(arr));
    assert_non_null(v);
    cJSON_Delete(v);
    const char *bad_utf8 = "{\"a\":\"\xc3\x28\"}";
    assert_null(json_parse_object(bad_utf8, strlen(bad_utf8), err, sizeof err));
    assert_non_null(strstr(err, "UTF-8"));
    const char *unterminated = "{\"a\":\"xxxxxxxxxxxxxxxxxxxxxxxx";
    assert_null(json_parse_object(unterminated, strlen(unterminated), err, sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word_special_every_byte_every_lane),
        cmocka_unit_test(test_control_byte_anywhere_in_a_string),
        cmocka_unit_test(test_escaped_nul_anywhere_in_a_string),
        cmocka_unit_test(test_escapes_across_words),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_refusals_after_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
