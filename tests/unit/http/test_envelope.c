/*
 * test_envelope.c - mock/http/envelope.c, the one renderer: every row of the
 * error table (base/errors.h) answers its HTTP status and i'mport code with
 * its message, the detail filling "%s"; both answer shapes (the i'mport
 * envelope {code, message, response} and the control API's plain JSON) with
 * the same bytes cJSON would print; and when memory runs out at any
 * allocation, the 500 envelope rendered at compile time, allocating nothing.
 */
#include "http/envelope.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char json_type[] = "application/json; charset=UTF-8";

/* The table as errors.h writes it, to hold the renderer to it. */
static const struct row {
    enum mock_err e;
    const char *name;
    int http, code;
    const char *message;
} rows[] = {
#define X(name, http, code, msg) {MOCK_##name, #name, http, code, msg},
    MOCK_ERRORS(X)
#undef X
};

#define N_ROWS (sizeof rows / sizeof rows[0])

/* fmt as envelope_fail renders it with one detail. */
static void expected_message(const char *fmt, const char *detail, char *out, size_t cap)
{
    /* the detail fills the first "%s", any later one is left empty */
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = fmt; *p && len + 1 < cap;) {
        if (p[0] == '%' && p[1] == 's') {
            len += (size_t)snprintf(out + len, cap - len, "%s", detail);
            detail = "";
            p += 2;
        } else {
            out[len++] = *p++;
            out[len] = '\0';
        }
    }
}

/* The body of r as JSON, checking the status line and content type first. */
static cJSON *rendered(const struct reply *r, int want_status)
{
    if (r->status != want_status)
        fail_msg("HTTP %d, expected %d: %.*s", r->status, want_status, (int)r->len, r->body);
    assert_string_equal(r->content_type, json_type);
    assert_int_equal(strlen(r->body), r->len);
    return unit_parse_json(r->body, r->len);
}

static void test_accessors_follow_the_table(void **state)
{
    (void)state;
    assert_int_equal(N_ROWS, MOCK__COUNT);
    for (size_t i = 0; i < N_ROWS; i++) {
        assert_int_equal(rows[i].e, (enum mock_err)i);
        assert_string_equal(mock_err_name(rows[i].e), rows[i].name);
        assert_int_equal(mock_err_http(rows[i].e), rows[i].http);
        assert_int_equal(mock_err_code(rows[i].e), rows[i].code);
        assert_string_equal(mock_err_message(rows[i].e), rows[i].message ? rows[i].message : "");
    }
    /* outside the table: an internal error, never a crash */
    assert_int_equal(mock_err_http(MOCK__COUNT), 500);
    assert_int_equal(mock_err_code(MOCK__COUNT), -1);
    assert_string_equal(mock_err_name(MOCK__COUNT), "UNKNOWN");
    assert_string_equal(mock_err_message((enum mock_err) - 1), "");
}

static void test_every_row_renders_its_status_code_and_message(void **state)
{
    (void)state;
    static const char detail[] = "merchant_uid \"ord-1\"\\새 주문\n";
    for (size_t i = 0; i < N_ROWS; i++) {
        if (rows[i].e == MOCK_OK)
            continue; /* not a failure: envelope_ok answers it */
        struct reply r = {0};
        envelope_fail(&r, rows[i].e, detail);
        cJSON *o = rendered(&r, rows[i].http);
        char want[2048];
        expected_message(rows[i].message, detail, want, sizeof want);
        if ((int)json_num(o, "code") != rows[i].code)
            fail_msg("%s: code %g, expected %d", rows[i].name, json_num(o, "code"), rows[i].code);
        const char *msg = json_str(o, "message");
        if (!msg || strcmp(msg, want) != 0)
            fail_msg("%s: message \"%s\", expected \"%s\"", rows[i].name, msg ? msg : "(none)",
                     want);
        assert_true(json_is_null(o, "response"));
        assert_int_equal(cJSON_GetArraySize(o), 3);
        cJSON_Delete(o);

        /* without a detail the "%s" is simply empty */
        envelope_fail(&r, rows[i].e, NULL);
        o = rendered(&r, rows[i].http);
        expected_message(rows[i].message, "", want, sizeof want);
        assert_string_equal(json_str(o, "message"), want);
        cJSON_Delete(o);
        reply_fini(&r);
    }
}

static void test_explicit_message(void **state)
{
    (void)state;
    struct reply r = {0};
    envelope_fail_msg(&r, MOCK_CARD_AUTH_FAILED, "[F113]거래거절 카드번호틀림 %s");
    cJSON *o = rendered(&r, mock_err_http(MOCK_CARD_AUTH_FAILED));
    assert_int_equal((int)json_num(o, "code"), mock_err_code(MOCK_CARD_AUTH_FAILED));
    assert_string_equal(json_str(o, "message"), "[F113]거래거절 카드번호틀림 %s"); /* taken as is */
    cJSON_Delete(o);
    envelope_fail_msg(&r, MOCK_PAYMENT_NOT_FOUND, NULL); /* a null message stays null */
    o = rendered(&r, 404);
    assert_true(json_is_null(o, "message"));
    cJSON_Delete(o);
    reply_fini(&r);
}

/* The success envelope is written around the printed response: the bytes must
 * be those of cJSON printing the whole envelope. */
static void test_ok_envelope_bytes(void **state)
{
    (void)state;
    struct reply r = {0};
    cJSON *resp = cJSON_CreateObject();
    assert_non_null(cJSON_AddStringToObject(resp, "imp_uid", "imps_123456789012"));
    assert_non_null(cJSON_AddNumberToObject(resp, "amount", 9007199254740991.0));
    assert_non_null(cJSON_AddStringToObject(resp, "name", "정기 \"구독\"\t/"));
    cJSON *whole = cJSON_CreateObject();
    assert_non_null(cJSON_AddNumberToObject(whole, "code", 0));
    assert_non_null(cJSON_AddNullToObject(whole, "message"));
    assert_true(cJSON_AddItemReferenceToObject(whole, "response", resp));
    char *want = cJSON_PrintUnformatted(whole);
    assert_non_null(want);

    envelope_ok(&r, 200, resp); /* takes resp */
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, json_type);
    assert_int_equal(r.len, strlen(want));
    assert_string_equal(r.body, want);
    cJSON_free(want);
    cJSON_Delete(whole); /* a reference: resp itself is envelope_ok's */

    /* 207 passes through; no response is null */
    envelope_ok(&r, 207, NULL);
    assert_int_equal(r.status, 207);
    assert_string_equal(r.body, "{\"code\":0,\"message\":null,\"response\":null}");

    /* a raw item (a payment written as text) is embedded as it is */
    envelope_ok(&r, 200, cJSON_CreateRaw("[1,{\"a\":\"b\"}]"));
    assert_string_equal(r.body, "{\"code\":0,\"message\":null,\"response\":[1,{\"a\":\"b\"}]}");
    reply_fini(&r);
    assert_null(r.body);
}

static void test_plain_shape(void **state)
{
    (void)state;
    struct reply r = {0};
    cJSON *body = cJSON_CreateObject();
    assert_non_null(cJSON_AddStringToObject(body, "status", "reset"));
    assert_non_null(cJSON_AddBoolToObject(body, "frozen", 1));
    envelope_plain(&r, 202, body);
    cJSON *o = rendered(&r, 202);
    /* no envelope around it */
    assert_int_equal(cJSON_GetArraySize(o), 2);
    assert_string_equal(json_str(o, "status"), "reset");
    assert_true(json_is_true(o, "frozen"));
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "code"));
    cJSON_Delete(o);
    reply_fini(&r);
}

/* ---- out of memory ---- */

static long allocations_left = -1; /* cJSON allocations that still succeed; < 0: all */

static void *failing_malloc(size_t n)
{
    if (allocations_left == 0)
        return NULL;
    if (allocations_left > 0)
        allocations_left--;
    return malloc(n);
}

static void hooks_fail_after(long n)
{
    allocations_left = n;
    cJSON_Hooks h = {failing_malloc, free};
    cJSON_InitHooks(&h);
}

static void hooks_restore(void)
{
    cJSON_InitHooks(NULL);
    allocations_left = -1;
}

/* The answer when rendering ran out of memory: the static 500 envelope. */
static void assert_oom_answer(const struct reply *r)
{
    assert_int_equal(r->status, 500);
    assert_true(r->body_static);
    cJSON *o = rendered(r, 500);
    assert_int_equal((int)json_num(o, "code"), mock_err_code(MOCK_INTERNAL));
    assert_string_equal(json_str(o, "message"), mock_err_message(MOCK_INTERNAL));
    assert_true(json_is_null(o, "response"));
    cJSON_Delete(o);
}

static void test_out_of_memory_at_every_allocation(void **state)
{
    (void)state;
    int oom_fail = 0, oom_ok = 0, oom_plain = 0;
    for (long n = 0; n < 64; n++) {
        struct reply r = {0};
        hooks_fail_after(n);
        envelope_fail(&r, MOCK_CANCEL_OVER, "3000");
        hooks_restore();
        if (r.status == 500) {
            assert_oom_answer(&r);
            oom_fail++;
        } else {
            cJSON *o = rendered(&r, mock_err_http(MOCK_CANCEL_OVER));
            cJSON_Delete(o);
        }
        reply_fini(&r);

        cJSON *resp = cJSON_CreateObject(); /* made while memory lasts */
        assert_non_null(cJSON_AddStringToObject(resp, "imp_uid", "imp_1"));
        hooks_fail_after(n);
        envelope_ok(&r, 200, resp);
        hooks_restore();
        if (r.status == 500) {
            assert_oom_answer(&r);
            oom_ok++;
        } else {
            assert_string_equal(
                r.body, "{\"code\":0,\"message\":null,\"response\":{\"imp_uid\":\"imp_1\"}}");
        }
        reply_fini(&r);

        cJSON *plain = cJSON_CreateArray();
        assert_non_null(plain);
        hooks_fail_after(n);
        envelope_plain(&r, 200, plain);
        hooks_restore();
        if (r.status == 500) {
            assert_oom_answer(&r);
            oom_plain++;
        } else {
            assert_string_equal(r.body, "[]");
        }
        reply_fini(&r);
    }
    /* the first allocation failing always ends in the static answer */
    assert_true(oom_fail > 0);
    assert_true(oom_ok > 0);
    assert_true(oom_plain > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accessors_follow_the_table),
        cmocka_unit_test(test_every_row_renders_its_status_code_and_message),
        cmocka_unit_test(test_explicit_message),
        cmocka_unit_test(test_ok_envelope_bytes),
        cmocka_unit_test(test_plain_shape),
        cmocka_unit_test(test_out_of_memory_at_every_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
