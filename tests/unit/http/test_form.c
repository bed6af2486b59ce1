/*
 * test_form.c - form.c: query/form parsing with PHP conventions, URL
 * decoding, UTF-8 checks and the JSON body parser with its limits.
 */
#include "http/form.h"
#include "infra/json.h"
#include "infra/utf8.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Parses s as a form and compares the compact JSON rendering with `want`. */
static void form_is(const char *s, const char *want)
{
    char err[256] = "";
    cJSON *o = form_parse(s, strlen(s), err, sizeof err);
    if (!o)
        fail_msg("form_parse(\"%s\") failed: %s", s, err);
    char *text = cJSON_PrintUnformatted(o);
    assert_non_null(text);
    assert_string_equal(text, want);
    cJSON_free(text);
    cJSON_Delete(o);
}

/* Parses s as a form, expects a refusal with exactly `want_err`. */
static void form_fails(const char *s, size_t len, const char *want_err)
{
    char err[256] = "";
    cJSON *o = form_parse(s, len, err, sizeof err);
    if (o) {
        char *text = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        fail_msg("form_parse accepted \"%.80s\" as %.200s", s, text ? text : "?");
    }
    assert_string_equal(err, want_err);
}

static void json_is(const char *s, size_t len, const char *want)
{
    char err[256] = "";
    cJSON *o = json_parse_object(s, len, err, sizeof err);
    if (!o)
        fail_msg("form_parse_json failed: %s", err);
    char *text = cJSON_PrintUnformatted(o);
    assert_non_null(text);
    assert_string_equal(text, want);
    cJSON_free(text);
    cJSON_Delete(o);
}

static void json_fails(const char *s, size_t len, const char *want_err)
{
    char err[256] = "";
    cJSON *o = json_parse_object(s, len, err, sizeof err);
    if (o) {
        cJSON_Delete(o);
        fail_msg("form_parse_json accepted \"%.80s\"", s);
    }
    assert_string_equal(err, want_err);
}

/* ---- form / query strings ---- */

static void test_plain_pairs_are_decoded(void **state)
{
    (void)state;
    form_is("a=1&b=x+y&c=%ED%95%9C%EA%B8%80&d=%2B%26%3D",
            "{\"a\":\"1\",\"b\":\"x y\",\"c\":\"한글\",\"d\":\"+&=\"}");
}

static void test_empty_pairs_names_and_values(void **state)
{
    (void)state;
    /* empty segments are skipped, a name without '=' has the empty value,
     * a pair without a name is dropped (as PHP does) */
    form_is("&&a=&b&=x&", "{\"a\":\"\",\"b\":\"\"}");
    form_is("", "{}");
}

static void test_php_brackets_append(void **state)
{
    (void)state;
    form_is("imp_uid[]=imp_1&imp_uid[]=imp_2&imp_uid[]=imp_3",
            "{\"imp_uid\":[\"imp_1\",\"imp_2\",\"imp_3\"]}");
    /* percent-encoded brackets, as most HTTP clients send them */
    form_is("imp_uid%5B%5D=a&imp_uid%5B%5D=b", "{\"imp_uid\":[\"a\",\"b\"]}");
}

static void test_php_indexed_array(void **state)
{
    (void)state;
    form_is("merchant_uid[0]=m0&merchant_uid[1]=m1", "{\"merchant_uid\":[\"m0\",\"m1\"]}");
    /* a gap is padded with null, and a later index replaces in place */
    form_is("a[2]=z", "{\"a\":[null,null,\"z\"]}");
    form_is("a[0]=x&a[1]=y&a[0]=w", "{\"a\":[\"w\",\"y\"]}");
}

static void test_nested_schedules(void **state)
{
    (void)state;
    form_is("customer_uid=c1"
            "&schedules[0][merchant_uid]=m1&schedules[0][schedule_at]=1700000000"
            "&schedules[0][amount]=1000"
            "&schedules[1][merchant_uid]=m2&schedules[1][amount]=2000",
            "{\"customer_uid\":\"c1\",\"schedules\":["
            "{\"merchant_uid\":\"m1\",\"schedule_at\":\"1700000000\",\"amount\":\"1000\"},"
            "{\"merchant_uid\":\"m2\",\"amount\":\"2000\"}]}");
}

static void test_object_keys(void **state)
{
    (void)state;
    form_is("extra[requester]=admin&extra[note]=x",
            "{\"extra\":{\"requester\":\"admin\",\"note\":\"x\"}}");
    /* PHP ignores anything after the last ']' */
    form_is("a[b]junk=1", "{\"a\":{\"b\":\"1\"}}");
}

static void test_repeated_plain_name_becomes_array(void **state)
{
    (void)state;
    form_is("imp_uid=a&imp_uid=b&imp_uid=c", "{\"imp_uid\":[\"a\",\"b\",\"c\"]}");
    form_is("imp_uid[]=a&imp_uid=b", "{\"imp_uid\":[\"a\",\"b\"]}");
}

/* Names as PHP's $_POST and $_GET read them (the real API is PHP). */
static void test_php_names(void **state)
{
    (void)state;
    /* the official Go client's getToken body: a space after each '&' */
    form_is("imp_key=K& imp_secret=S", "{\"imp_key\":\"K\",\"imp_secret\":\"S\"}");
    form_is("%20%20imp_key=K&+imp_secret=S", "{\"imp_key\":\"K\",\"imp_secret\":\"S\"}");
    /* a trailing space, inner spaces and dots become '_' */
    form_is("imp_secret =S", "{\"imp_secret_\":\"S\"}");
    form_is("a b.c=1&x.y[z.w]=2", "{\"a_b_c\":\"1\",\"x_y\":{\"z.w\":\"2\"}}");
    form_is(" a[ b]=1", "{\"a\":{\" b\":\"1\"}}");
    /* a name of spaces only is no name: the pair is dropped */
    form_is("   =x&a=1", "{\"a\":\"1\"}");
    /* values are kept as sent */
    form_is("a= b ", "{\"a\":\" b \"}");
}

static void test_bad_percent_escapes(void **state)
{
    (void)state;
    const char *msg = "잘못된 URL 인코딩입니다 (%XX).";
    form_fails("a=%zz", 5, msg);
    form_fails("a=%4", 4, msg);
    form_fails("a=%", 3, msg);
    form_fails("%G1=1", 5, msg);
    form_fails("ok=1&b=100%", 11, msg);
}

static void test_invalid_utf8_refused(void **state)
{
    (void)state;
    const char *msg = "파라미터가 올바른 UTF-8이 아닙니다.";
    form_fails("a=%C3%28", 8, msg);
    form_fails("%FF=1", 5, msg);
    form_fails("a=%ED%A0%80", 11, msg); /* UTF-16 surrogate */
}

static void test_malformed_names(void **state)
{
    (void)state;
    form_fails("a[b=1", 5, "파라미터 이름이 올바르지 않습니다: a[b");
    form_fails("[a]=1", 5, "파라미터 이름이 올바르지 않습니다: [a]");
}

static void test_pair_limit(void **state)
{
    (void)state;
    size_t cap = 16 * (FORM_MAX_PAIRS + 2);
    char *s = malloc(cap);
    assert_non_null(s);
    size_t len = 0;
    for (int i = 0; i < FORM_MAX_PAIRS; i++)
        len += (size_t)snprintf(s + len, cap - len, "%sk%d=v", i ? "&" : "", i);
    char err[256] = "";
    cJSON *o = form_parse(s, len, err, sizeof err);
    assert_non_null(o);
    assert_int_equal(cJSON_GetArraySize(o), FORM_MAX_PAIRS);
    cJSON_Delete(o);
    len += (size_t)snprintf(s + len, cap - len, "&one=more");
    form_fails(s, len, "파라미터가 너무 많습니다 (최대 2000개).");
    free(s);
}

static void test_index_limit(void **state)
{
    (void)state;
    char err[256] = "";
    cJSON *o = form_parse("a[1000]=x", 9, err, sizeof err);
    assert_non_null(o);
    cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "a");
    assert_int_equal(cJSON_GetArraySize(a), FORM_MAX_INDEX + 1);
    assert_string_equal(cJSON_GetArrayItem(a, FORM_MAX_INDEX)->valuestring, "x");
    cJSON_Delete(o);
    form_fails("a[1001]=x", 9, "배열 인덱스가 올바르지 않습니다: [1001]");
    form_fails("a[]=1&a[-1]=x", 13, "배열 인덱스가 올바르지 않습니다: [-1]");
    form_fails("a[]=1&a[k]=x", 12, "배열 인덱스가 올바르지 않습니다: [k]");
}

static void test_depth_limit(void **state)
{
    (void)state;
    /* FORM_MAX_DEPTH bracket levels are fine, one more is refused */
    form_is("a[b][c][d][e][f][g][h][i]=1",
            "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":\"1\"}}}}}}}}}");
    form_fails("a[b][c][d][e][f][g][h][i][j]=1", 30,
               "파라미터 이름이 올바르지 않습니다: a[b][c][d][e][f][g][h][i][j]");
}

static void test_sparse_indexes_are_bounded(void **state)
{
    (void)state;
    /* Each a[1000] pads 1000 nulls; many of them, nested, must not let one
     * small body build millions of nodes. */
    char *s = malloc(64 * 200);
    assert_non_null(s);
    size_t len = 0;
    for (int i = 0; i < 200; i++)
        len += (size_t)sprintf(s + len, "%sa%d[1000][1000][1000]=1", i ? "&" : "", i);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char err[256] = "";
    cJSON *o = form_parse(s, len, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    free(s);
    if (o) {
        cJSON_Delete(o);
        fail_msg("200 sparse triple-nested arrays were accepted");
    }
    assert_string_equal(err, "배열 인덱스 사이의 빈 자리가 너무 많습니다 (최대 1000개).");
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    assert_true(ms < 2000.0);
}

/* ---- URL decoding and UTF-8 ---- */

static void test_url_decode(void **state)
{
    (void)state;
    char out[32];
    assert_true(form_url_decode("a+b%20c%7e", 10, out, true));
    assert_string_equal(out, "a b c~");
    assert_true(form_url_decode("a+b", 3, out, false));
    assert_string_equal(out, "a+b");
    /* only len bytes are read: the escape cut by len is incomplete */
    assert_false(form_url_decode("%41", 2, out, true));
    assert_false(form_url_decode("%41%42", 4, out, true));
    assert_true(form_url_decode("%41XYZ", 3, out, true));
    assert_string_equal(out, "A");
}

static void test_utf8_validation(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("plain ascii", 11));
    assert_true(utf8_valid("한글", strlen("한글")));
    assert_true(utf8_valid("\xF0\x9F\x98\x80", 4));      /* U+1F600 */
    assert_true(utf8_valid("\xF4\x8F\xBF\xBF", 4));      /* U+10FFFF */
    assert_false(utf8_valid("\xC0\x80", 2));             /* overlong NUL */
    assert_false(utf8_valid("\xE0\x80\xAF", 3));         /* overlong '/' */
    assert_false(utf8_valid("\xED\xA0\x80", 3));         /* surrogate */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4));     /* > U+10FFFF */
    assert_false(utf8_valid("\x80", 1));                 /* lone continuation */
    assert_false(utf8_valid("\xED\x95", 2));             /* truncated 한 */
    assert_false(utf8_valid("\xF8\x88\x80\x80\x80", 5)); /* 5-byte form */
    /* a valid sequence cut by len is invalid */
    assert_false(utf8_valid("한", 2));
}

/* ---- JSON bodies ---- */

static void test_json_object_accepted(void **state)
{
    (void)state;
    const char *s = " {\"imp_key\":\"k\",\"amount\":1000,\"ok\":true,\"n\":null} \r\n";
    json_is(s, strlen(s), "{\"imp_key\":\"k\",\"amount\":1000,\"ok\":true,\"n\":null}");
    /* only len bytes count: what follows is not part of the body */
    json_is("{\"a\":1}GARBAGE", 7, "{\"a\":1}");
}

static void test_json_trailing_garbage(void **state)
{
    (void)state;
    const char *msg = "JSON 값 뒤에 불필요한 내용이 있습니다";
    json_fails("{\"a\":1} x", 9, msg);
    json_fails("{\"a\":1}{\"b\":2}", 14, msg);
    json_fails("{\"a\":1}\0", 8, msg);
}

static void test_json_not_an_object(void **state)
{
    (void)state;
    const char *msg = "최상위 값은 객체({...})여야 합니다";
    json_fails("[1,2]", 5, msg);
    json_fails("\"text\"", 6, msg);
    json_fails("1000", 4, msg);
    json_fails("null", 4, msg);
}

static void test_json_syntax_error(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(json_parse_object("{\"a\":}", 6, err, sizeof err));
    assert_non_null(strstr(err, "번째 바이트 근처에서 구문 오류"));
    err[0] = '\0';
    assert_null(json_parse_object("", 0, err, sizeof err));
    assert_non_null(strstr(err, "구문 오류"));
}

static void test_json_invalid_utf8(void **state)
{
    (void)state;
    json_fails("{\"a\":\"\xC3\x28\"}", 10, "올바른 UTF-8이 아닙니다");
    json_fails("{\"a\":\"\xED\xA0\x80\"}", 11, "올바른 UTF-8이 아닙니다");
}

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 8 + 16);
    size_t n = 0;
    for (int i = 0; i < depth; i++) {
        memcpy(s + n, "{\"a\":", 5);
        n += 5;
    }
    s[n++] = '1';
    for (int i = 0; i < depth; i++)
        s[n++] = '}';
    s[n] = '\0';
    return s;
}

static void test_json_depth_limit(void **state)
{
    (void)state;
    char err[256];
    char *ok = nested(JSON_MAX_DEPTH);
    cJSON *o = json_parse_object(ok, strlen(ok), err, sizeof err);
    assert_non_null(o);
    cJSON_Delete(o);
    free(ok);
    char *deep = nested(JSON_MAX_DEPTH + 1);
    json_fails(deep, strlen(deep), "중첩이 너무 깊습니다 (최대 64단계)");
    free(deep);
    /* brackets inside strings (even after escaped quotes) are not nesting */
    char s[512];
    int n = snprintf(s, sizeof s, "{\"a\":\"\\\"");
    for (int i = 0; i < 100; i++)
        s[n++] = '[';
    n += snprintf(s + n, sizeof s - (size_t)n, "\"}");
    o = json_parse_object(s, (size_t)n, err, sizeof err);
    if (!o)
        fail_msg("brackets in a string were counted as nesting: %s", err);
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_pairs_are_decoded),
        cmocka_unit_test(test_empty_pairs_names_and_values),
        cmocka_unit_test(test_php_brackets_append),
        cmocka_unit_test(test_php_indexed_array),
        cmocka_unit_test(test_nested_schedules),
        cmocka_unit_test(test_object_keys),
        cmocka_unit_test(test_repeated_plain_name_becomes_array),
        cmocka_unit_test(test_php_names),
        cmocka_unit_test(test_bad_percent_escapes),
        cmocka_unit_test(test_invalid_utf8_refused),
        cmocka_unit_test(test_malformed_names),
        cmocka_unit_test(test_pair_limit),
        cmocka_unit_test(test_index_limit),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_sparse_indexes_are_bounded),
        cmocka_unit_test(test_url_decode),
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_json_object_accepted),
        cmocka_unit_test(test_json_trailing_garbage),
        cmocka_unit_test(test_json_not_an_object),
        cmocka_unit_test(test_json_syntax_error),
        cmocka_unit_test(test_json_invalid_utf8),
        cmocka_unit_test(test_json_depth_limit),
    };
    return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
