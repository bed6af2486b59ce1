/* test_state.c - a tenant's whole state as JSON (export / import), and the
 * durable state directory (--state-dir): restarts, kill -9, torn records,
 * foreign or unreadable state. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

static struct mock M;

static int stop(void **state)
{
    (void)state;
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

static void make_history(struct mock *m)
{
    struct http_res r;
    http_post_json(m, "/subscribe/customers/c1",
                   "{\"card_number\":\"4000-0000-0000-3220\",\"expiry\":\"2099-12\"}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    for (int i = 1; i <= 3; i++) {
        char body[128];
        snprintf(body, sizeof body,
                 "{\"customer_uid\":\"c1\",\"merchant_uid\":\"o%d\",\"amount\":1000}", i);
        http_post_json(m, "/subscribe/payments/again", body, &r);
        assert_int_equal(env_code(&r), 0);
        http_res_free(&r);
    }
    http_post_json(m, "/payments/cancel", "{\"merchant_uid\":\"o1\",\"amount\":300}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    http_post_json(m, "/payments/prepare", "{\"merchant_uid\":\"p1\",\"amount\":700}", &r);
    http_res_free(&r);
}

static char *export_text(struct mock *m)
{
    struct http_res r;
    http_do(m, "GET", "/__mock/export", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    char *text = strdup(r.body);
    http_res_free(&r);
    return text;
}

static void test_export_import_roundtrip(void **state)
{
    (void)state;
    mock_start(&M, NULL);
    mock_login(&M);
    make_history(&M);
    char *before = export_text(&M);
    assert_null(strstr(before, "4000000000003220")); /* only the masked number */
    assert_non_null(strstr(before, "400000******3220"));
    struct http_res r;
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/import", "application/json", before, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    char *after = export_text(&M);
    assert_string_equal(before, after);
    /* the key's charge count came back: the approve-twice card now declines */
    mock_login(&M);
    http_post_json(&M, "/subscribe/payments/again",
                   "{\"customer_uid\":\"c1\",\"merchant_uid\":\"o4\",\"amount\":1000}", &r);
    assert_string_equal(json_str(env_response(&r), "status"), "failed");
    http_res_free(&r);
    free(before);
    free(after);
}

static void test_bad_import_changes_nothing(void **state)
{
    (void)state;
    mock_start(&M, NULL);
    mock_login(&M);
    make_history(&M);
    char *before = export_text(&M);
    static const char *const bad[][2] = {
        {"{\"format\":2}", "format"},
        {"{\"format\":1,\"payments\":[{\"imp_uid\":\"x\"}]}", "payments[0]"},
        {"{\"format\":1,\"payments\":[{\"imp_uid\":\"x\",\"merchant_uid\":\"m\",\"status\":\"paid\","
         "\"amount\":-5}]}",
         "amount"},
        {"{\"format\":1,\"customers\":[{\"customer_uid\":\"z\",\"pg_provider\":\"nice\","
         "\"pg_id\":\"m\",\"card_number\":\"4242424242424242\"}]}",
         "card_number"},
        {"[1,2]", "객체"}, /* refused by the body parser, before the control API */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct http_res r;
        http_do(&M, "POST", "/__mock/import", "application/json", bad[i][0], NULL, &r);
        assert_int_equal(r.status, 400);
        const char *err = json_str(r.json, "error");
        if (!err)
            err = env_message(&r); /* bodies the request parser refuses come as the envelope */
        if (!err || !strstr(err, bad[i][1]))
            fail_msg("import %zu: error '%s' does not mention %s", i, err ? err : r.body,
                     bad[i][1]);
        http_res_free(&r);
    }
    char *after = export_text(&M);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_export_import_roundtrip, stop),
        cmocka_unit_test_teardown(test_bad_import_changes_nothing, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
