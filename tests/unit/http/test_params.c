/*
 * test_params.c - params.c: strict typed reads. JSON bodies must carry the
 * right JSON type; form bodies and query strings carry text that is parsed
 * strictly. Every refusal names the field.
 */
#include "http/form.h"
#include "http/params.h"
#include "infra/json.h"
#include "infra/utf8.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

/* A request's fields: a JSON or form body and an optional query string. */
struct fields {
    cJSON *body, *query;
    struct params p;
};

static void fields_init(struct fields *f, const char *json, const char *form, const char *query)
{
    char err[256] = "";
    memset(f, 0, sizeof *f);
    if (json) {
        f->body = json_parse_object(json, strlen(json), err, sizeof err);
        if (!f->body)
            fail_msg("bad JSON in test: %s", err);
    } else if (form) {
        f->body = form_parse(form, strlen(form), err, sizeof err);
        if (!f->body)
            fail_msg("bad form in test: %s", err);
        f->p.body_is_form = true;
    }
    if (query) {
        f->query = form_parse(query, strlen(query), err, sizeof err);
        if (!f->query)
            fail_msg("bad query in test: %s", err);
    }
    f->p.body = f->body;
    f->p.query = f->query;
    param_index(&f->p); /* as request_parse_params does */
}

static void fields_fini(struct fields *f)
{
    cJSON_Delete(f->body);
    cJSON_Delete(f->query);
}

/* A refusal's text, as the envelope writes it from the recorded row. */
static const char *err_text(const struct params *p)
{
    static char text[512];
    param_message(p, text, sizeof text);
    return text;
}

/* Reads `amount` and checks the outcome: ok with value, or the refusal text. */
static void amount_ok(const char *json, const char *form, int64_t want)
{
    struct fields f;
    fields_init(&f, json, form, NULL);
    int64_t v = -7;
    bool present = false;
    if (!param_amount(&f.p, "amount", true, &v, &present))
        fail_msg("amount refused (%s): %s", json ? json : form, err_text(&f.p));
    assert_true(present);
    assert_int_equal(v, want);
    fields_fini(&f);
}

static void amount_refused(const char *json, const char *form, const char *want_err)
{
    struct fields f;
    fields_init(&f, json, form, NULL);
    int64_t v = -7;
    if (param_amount(&f.p, "amount", true, &v, NULL))
        fail_msg("amount accepted (%s) as %lld", json ? json : form, (long long)v);
    assert_string_equal(err_text(&f.p), want_err);
    assert_int_equal(v, -7); /* untouched on failure */
    fields_fini(&f);
}

/* The name filter only skips names in neither body nor query: with it or
 * without it, every read finds the same item (40 body keys and 10 query
 * keys fill most of its 64 bits, so many absent names share a bit with a
 * present one). */
static void test_name_filter_finds_what_a_walk_finds(void **state)
{
    (void)state;
    char json[2048], query[512], name[32];
    size_t n = (size_t)snprintf(json, sizeof json, "{");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(json + n, sizeof json - n, "%s\"k%d\":%d", i ? "," : "", i, i);
    snprintf(json + n, sizeof json - n, "}");
    n = 0;
    for (int i = 0; i < 10; i++)
        n += (size_t)snprintf(query + n, sizeof query - n, "%sq%d=%d", i ? "&" : "", i, i);
    struct fields f;
    fields_init(&f, json, NULL, query);
    struct params walk = f.p;
    walk.names_known = false;
    int found = 0;
    for (int i = 0; i < 400; i++) {
        snprintf(name, sizeof name, "%c%d", i % 2 ? 'k' : 'q', i / 2);
        const cJSON *a = param_item(&f.p, name, NULL), *b = param_item(&walk, name, NULL);
        if (a != b)
            fail_msg("%s: the filter answered %p, a walk %p", name, (const void *)a,
                     (const void *)b);
        found += a != NULL;
    }
    assert_int_equal(found, 50);
    fields_fini(&f);
}

static void test_amount_json_number(void **state)
{
    (void)state;
    amount_ok("{\"amount\":1000}", NULL, 1000);
    amount_ok("{\"amount\":0}", NULL, 0);
    amount_ok("{\"amount\":1000.0}", NULL, 1000);
    amount_ok("{\"amount\":9007199254740991}", NULL, 9007199254740991LL); /* 2^53 - 1 */
}

static void test_amount_json_string_refused(void **state)
{
    (void)state;
    amount_refused("{\"amount\":\"1000\"}", NULL,
                   "amount 파라미터는 숫자여야 합니다 (문자열 불가).");
    amount_refused("{\"amount\":true}", NULL, "amount 파라미터는 숫자여야 합니다 (문자열 불가).");
    amount_refused("{\"amount\":[1000]}", NULL, "amount 파라미터는 숫자여야 합니다 (문자열 불가).");
}

static void test_amount_json_range(void **state)
{
    (void)state;
    amount_refused("{\"amount\":-1}", NULL, "amount 파라미터는 0 이상이어야 합니다.");
    amount_refused("{\"amount\":10.5}", NULL, "amount 파라미터는 원 단위 정수여야 합니다.");
    amount_refused("{\"amount\":0.001}", NULL, "amount 파라미터는 원 단위 정수여야 합니다.");
    amount_refused("{\"amount\":9007199254740994}", NULL, "amount 파라미터의 값이 너무 큽니다.");
    /* 2^53 + 1 reads as 2^53: refused rather than silently changed */
    amount_refused("{\"amount\":9007199254740993}", NULL, "amount 파라미터의 값이 너무 큽니다.");
    amount_refused("{\"amount\":1e300}", NULL, "amount 파라미터의 값이 너무 큽니다.");
}

static void test_amount_form_text(void **state)
{
    (void)state;
    amount_ok(NULL, "amount=1000", 1000);
    amount_ok(NULL, "amount=1000.0", 1000); /* some clients format floats */
    amount_ok(NULL, "amount=0", 0);
    amount_ok(NULL, "amount=9007199254740991", 9007199254740991LL);
    amount_refused(NULL, "amount=9007199254740992", "amount 파라미터의 값이 너무 큽니다.");
    amount_refused(NULL, "amount=-5", "amount 파라미터는 0 이상이어야 합니다.");
    amount_refused(NULL, "amount=10.5", "amount 파라미터는 원 단위 정수여야 합니다.");
    amount_refused(NULL, "amount=9007199254740993", "amount 파라미터의 값이 너무 큽니다.");
    amount_refused(NULL, "amount=", "amount 파라미터는 숫자여야 합니다.");
    amount_refused(NULL, "amount=12abc", "amount 파라미터는 숫자여야 합니다.");
    amount_refused(NULL, "amount=nan", "amount 파라미터는 숫자여야 합니다.");
    /* text other than plain decimal digits is not an amount */
    amount_refused(NULL, "amount=0x10", "amount 파라미터는 숫자여야 합니다.");
    amount_refused(NULL, "amount=1e3", "amount 파라미터는 숫자여야 합니다.");
    amount_refused(NULL, "amount=+1000", "amount 파라미터는 숫자여야 합니다.");
    amount_refused(NULL, "amount=%201000", "amount 파라미터는 숫자여야 합니다.");
    amount_refused(NULL, "amount=1,000", "amount 파라미터는 숫자여야 합니다.");
}

static void test_amount_missing(void **state)
{
    (void)state;
    struct fields f;
    fields_init(&f, "{\"amount\":null}", NULL, NULL);
    int64_t v = 42;
    bool present = true;
    assert_false(param_amount(&f.p, "amount", true, &v, &present));
    assert_string_equal(err_text(&f.p), "amount 파라미터는 필수입니다.");
    assert_false(present);
    /* optional and absent: fine, value untouched */
    assert_true(param_amount(&f.p, "amount", false, &v, &present));
    assert_false(present);
    assert_int_equal(v, 42);
    fields_fini(&f);
}

static void test_query_is_text_and_body_wins(void **state)
{
    (void)state;
    struct fields f;
    int64_t v = 0;
    /* a GET has no body: the query's text is parsed as a number */
    fields_init(&f, NULL, NULL, "amount=1500&page=3");
    assert_true(param_amount(&f.p, "amount", true, &v, NULL));
    assert_int_equal(v, 1500);
    assert_true(param_int(&f.p, "page", 1, 100, true, &v, NULL));
    assert_int_equal(v, 3);
    fields_fini(&f);
    /* the body is read first; JSON null there falls back to the query */
    fields_init(&f, "{\"amount\":700,\"page\":null}", NULL, "amount=1500&page=4");
    assert_true(param_amount(&f.p, "amount", true, &v, NULL));
    assert_int_equal(v, 700);
    assert_true(param_int(&f.p, "page", 1, 100, true, &v, NULL));
    assert_int_equal(v, 4);
    fields_fini(&f);
}

static void test_int_json_and_text(void **state)
{
    (void)state;
    struct fields f;
    int64_t v = 0;
    bool present = false;
    fields_init(&f, "{\"page\":5,\"limit\":11,\"frac\":1.5,\"s\":\"5\",\"neg\":-3,\"big\":1e16}",
                NULL, NULL);
    assert_true(param_int(&f.p, "page", 1, 10, true, &v, &present));
    assert_int_equal(v, 5);
    assert_true(present);
    assert_false(param_int(&f.p, "limit", 1, 10, true, &v, NULL));
    assert_string_equal(err_text(&f.p), "limit 파라미터는 1 이상 10 이하여야 합니다.");
    assert_false(param_int(&f.p, "frac", 0, 10, true, &v, NULL));
    assert_string_equal(err_text(&f.p), "frac 파라미터는 정수여야 합니다.");
    assert_false(param_int(&f.p, "s", 0, 10, true, &v, NULL));
    assert_string_equal(err_text(&f.p), "s 파라미터는 숫자여야 합니다.");
    assert_true(param_int(&f.p, "neg", -5, 5, true, &v, NULL));
    assert_int_equal(v, -3);
    assert_false(param_int(&f.p, "big", 0, INT64_MAX, true, &v, NULL));
    assert_string_equal(err_text(&f.p), "big 파라미터의 값이 너무 큽니다.");
    assert_false(param_int(&f.p, "absent", 0, 10, true, &v, &present));
    assert_string_equal(err_text(&f.p), "absent 파라미터는 필수입니다.");
    assert_false(present);
    fields_fini(&f);

    fields_init(&f, NULL, "page=7&bad=7a&neg=-2&huge=99999999999999999999&empty=&plus=%2B1", NULL);
    assert_true(param_int(&f.p, "page", 1, 10, true, &v, NULL));
    assert_int_equal(v, 7);
    assert_true(param_int(&f.p, "neg", -5, 5, true, &v, NULL));
    assert_int_equal(v, -2);
    const char *bad[] = {"bad", "huge", "empty", "plus"};
    for (size_t i = 0; i < 4; i++) {
        assert_false(param_int(&f.p, bad[i], INT64_MIN, INT64_MAX, true, &v, NULL));
        char want[64];
        snprintf(want, sizeof want, "%s 파라미터는 정수여야 합니다.", bad[i]);
        assert_string_equal(err_text(&f.p), want);
    }
    fields_fini(&f);
}

static void test_str(void **state)
{
    (void)state;
    struct fields f;
    const char *s = "untouched";
    fields_init(&f, "{\"imp_key\":\"abc\",\"num\":1,\"empty\":\"\",\"long\":\"abcd\"}", NULL, NULL);
    assert_true(param_str(&f.p, "imp_key", 3, true, &s));
    assert_string_equal(s, "abc");
    assert_false(param_str(&f.p, "num", 10, true, &s));
    assert_string_equal(err_text(&f.p), "num 파라미터는 문자열이어야 합니다.");
    assert_false(param_str(&f.p, "long", 3, false, &s));
    assert_string_equal(err_text(&f.p), "long 파라미터가 너무 깁니다 (최대 3바이트).");
    assert_false(param_str(&f.p, "empty", 10, true, &s));
    assert_string_equal(err_text(&f.p), "empty 파라미터는 비어 있을 수 없습니다.");
    s = "untouched";
    assert_true(param_str(&f.p, "empty", 10, false, &s)); /* optional: "" is a value */
    assert_string_equal(s, "");
    s = "untouched";
    assert_true(param_str(&f.p, "missing", 10, false, &s));
    assert_string_equal(s, "untouched");
    assert_false(param_str(&f.p, "missing", 10, true, &s));
    assert_string_equal(err_text(&f.p), "missing 파라미터는 필수입니다.");
    fields_fini(&f);
    /* the byte limit counts UTF-8 bytes, not characters */
    fields_init(&f, NULL, "name=%ED%95%9C%EA%B8%80", NULL);
    assert_true(param_str(&f.p, "name", 6, true, &s));
    assert_string_equal(s, "한글");
    assert_false(param_str(&f.p, "name", 5, true, &s));
    fields_fini(&f);
}

static void test_bool(void **state)
{
    (void)state;
    struct fields f;
    bool b;
    fields_init(&f, "{\"t\":true,\"f\":false,\"s\":\"true\",\"n\":1}", NULL, NULL);
    b = false;
    assert_true(param_bool(&f.p, "t", &b));
    assert_true(b);
    assert_true(param_bool(&f.p, "f", &b));
    assert_false(b);
    /* JSON carries real booleans: a string or a number is refused */
    assert_false(param_bool(&f.p, "s", &b));
    assert_string_equal(err_text(&f.p), "s 파라미터는 true 또는 false여야 합니다.");
    assert_false(param_bool(&f.p, "n", &b));
    assert_string_equal(err_text(&f.p), "n 파라미터는 true 또는 false여야 합니다.");
    b = true;
    assert_true(param_bool(&f.p, "absent", &b));
    assert_true(b); /* untouched */
    fields_fini(&f);

    fields_init(&f, NULL, "a=true&b=1&c=false&d=0&e=&f=yes&g=TRUE", NULL);
    const char *truthy[] = {"a", "b"}, *falsy[] = {"c", "d", "e"}, *bad[] = {"f", "g"};
    for (size_t i = 0; i < 2; i++) {
        b = false;
        assert_true(param_bool(&f.p, truthy[i], &b));
        assert_true(b);
    }
    for (size_t i = 0; i < 3; i++) {
        b = true;
        assert_true(param_bool(&f.p, falsy[i], &b));
        assert_false(b);
    }
    for (size_t i = 0; i < 2; i++)
        assert_false(param_bool(&f.p, bad[i], &b));
    fields_fini(&f);
}

static void test_str_list(void **state)
{
    (void)state;
    struct fields f;
    const char *items[3];
    size_t n = 99;

    fields_init(&f, NULL, NULL, "imp_uid[]=a&imp_uid[]=b&merchant_uid=m&one=x");
    assert_true(param_str_list(&f.p, "imp_uid", 3, 32, items, &n));
    assert_int_equal(n, 2);
    assert_string_equal(items[0], "a");
    assert_string_equal(items[1], "b");
    assert_true(param_str_list(&f.p, "merchant_uid", 3, 32, items, &n));
    assert_int_equal(n, 1);
    assert_string_equal(items[0], "m");
    assert_true(param_str_list(&f.p, "absent", 3, 32, items, &n));
    assert_int_equal(n, 0);
    assert_false(param_str_list(&f.p, "imp_uid", 1, 32, items, &n));
    assert_string_equal(err_text(&f.p), "imp_uid 파라미터는 최대 1개까지 지정할 수 있습니다.");
    fields_fini(&f);

    fields_init(&f, NULL, NULL, "imp_uid[0]=a&imp_uid[1]=b&imp_uid[2]=c");
    assert_true(param_str_list(&f.p, "imp_uid", 3, 32, items, &n));
    assert_int_equal(n, 3);
    assert_string_equal(items[2], "c");
    fields_fini(&f);

    /* JSON: an array of strings, or the key spelled "imp_uid[]" */
    fields_init(&f,
                "{\"imp_uid[]\":[\"x\",\"y\"],\"mixed\":[\"a\",1],\"obj\":{\"a\":\"b\"},"
                "\"long\":[\"abcd\"]}",
                NULL, NULL);
    assert_true(param_str_list(&f.p, "imp_uid", 3, 32, items, &n));
    assert_int_equal(n, 2);
    assert_string_equal(items[1], "y");
    assert_false(param_str_list(&f.p, "mixed", 3, 32, items, &n));
    assert_string_equal(err_text(&f.p), "mixed 파라미터는 문자열 배열이어야 합니다.");
    assert_false(param_str_list(&f.p, "obj", 3, 32, items, &n));
    assert_string_equal(err_text(&f.p), "obj 파라미터는 문자열 배열이어야 합니다.");
    assert_false(param_str_list(&f.p, "long", 3, 3, items, &n));
    assert_string_equal(err_text(&f.p), "long 파라미터의 값이 너무 깁니다.");
    fields_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_filter_finds_what_a_walk_finds),
        cmocka_unit_test(test_amount_json_number),
        cmocka_unit_test(test_amount_json_string_refused),
        cmocka_unit_test(test_amount_json_range),
        cmocka_unit_test(test_amount_form_text),
        cmocka_unit_test(test_amount_missing),
        cmocka_unit_test(test_query_is_text_and_body_wins),
        cmocka_unit_test(test_int_json_and_text),
        cmocka_unit_test(test_str),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_str_list),
    };
    return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
