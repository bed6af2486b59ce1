/* test_isolation.c - what parallel CI jobs rely on: tenants made on the fly
 * that never see each other's data, scoped scenarios and resets, and byte-
 * identical answers for the same requests under --seed and a frozen clock. */
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

/* getToken for another key pair; returns the HTTP status, token into out. */
static long login_as(const struct mock *m, const char *key, const char *secret, char *out,
                     size_t cap)
{
    char body[256];
    snprintf(body, sizeof body, "{\"imp_key\":\"%s\",\"imp_secret\":\"%s\"}", key, secret);
    struct http_res r;
    http_do(m, "POST", "/users/getToken", "application/json", body, NULL, &r);
    long status = r.status;
    const char *t = json_str(env_response(&r), "access_token");
    snprintf(out, cap, "%s", t ? t : "");
    http_res_free(&r);
    return status;
}

static void as(const char *token, const char *method, const char *path, const char *json,
               struct http_res *r)
{
    http_do(&M, method, path, json ? "application/json" : NULL, json, token, r);
}

static void test_open_tenants_isolated(void **state)
{
    (void)state;
    const char *args[] = {"--open-tenants", NULL};
    mock_start(&M, args);
    char ta[64], tb[64], tmp[64];
    assert_int_equal(login_as(&M, "job-a", "secret-a", ta, sizeof ta), 200);
    assert_int_equal(login_as(&M, "job-b", "secret-b", tb, sizeof tb), 200);
    /* a known key with a wrong secret is still refused */
    assert_int_equal(login_as(&M, "job-a", "wrong", tmp, sizeof tmp), 401);
    /* the default channels come with a new tenant: both can issue keys and charge */
    struct http_res r;
    const char *key = "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}";
    as(ta, "POST", "/subscribe/customers/cust", key, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    as(tb, "POST", "/subscribe/customers/cust", key, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    /* the same merchant_uid in both tenants: each pays once, neither sees the other */
    const char *charge = "{\"customer_uid\":\"cust\",\"merchant_uid\":\"order_1\",\"amount\":1000}";
    char imp_a[32];
    as(ta, "POST", "/subscribe/payments/again", charge, &r);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    snprintf(imp_a, sizeof imp_a, "%s", json_str(env_response(&r), "imp_uid"));
    http_res_free(&r);
    as(tb, "POST", "/subscribe/payments/again", charge, &r);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    http_res_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/payments/%s", imp_a);
    as(tb, "GET", path, NULL, &r);
    assert_int_equal(r.status, 404); /* another tenant's imp_uid is unknown, never data */
    http_res_free(&r);
    as(tb, "GET", "/payments/findAll/order_1", NULL, &r);
    assert_int_equal((int)json_num(env_response(&r), "total"), 1);
    http_res_free(&r);
    as(ta, "GET", "/payments/status/all", NULL, &r);
    assert_int_equal((int)json_num(env_response(&r), "total"), 1);
    http_res_free(&r);
    /* a tenant made on the fly has no merchant code, the fixture merchant still works */
    mock_login(&M);
    http_get(&M, "/payments/status/all", &r);
    assert_int_equal((int)json_num(env_response(&r), "total"), 0);
    http_res_free(&r);
}

static void test_scoped_scenario_and_reset(void **state)
{
    (void)state;
    const char *args[] = {"--open-tenants", NULL};
    mock_start(&M, args);
    char ta[64], tb[64];
    login_as(&M, "job-a", "secret-a", ta, sizeof ta);
    login_as(&M, "job-b", "secret-b", tb, sizeof tb);
    struct http_res r;
    http_do(&M, "POST", "/__mock/scenarios?imp_key=job-a", "application/json",
            "{\"name\":\"a-down\",\"description\":\"only job-a sees an outage\",\"rules\":"
            "[{\"when\":{\"op\":\"lookup\"},\"then\":{\"status\":503}}]}",
            NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(cJSON_GetArrayItem(r.json, 0), "tenant"), "job-a");
    http_res_free(&r);
    as(ta, "GET", "/payments/status/all", NULL, &r);
    assert_int_equal(r.status, 503);
    http_res_free(&r);
    as(tb, "GET", "/payments/status/all", NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    /* job-b stores something, then job-a is reset alone */
    as(tb, "POST", "/payments/prepare", "{\"merchant_uid\":\"keep\",\"amount\":100}", &r);
    http_res_free(&r);
    as(ta, "POST", "/payments/prepare", "{\"merchant_uid\":\"drop\",\"amount\":100}", &r);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/reset?imp_key=job-a", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(r.json, "scope"), "tenant");
    http_res_free(&r);
    http_do(&M, "GET", "/__mock/scenarios", NULL, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0); /* job-a's scenario went with it */
    http_res_free(&r);
    as(tb, "GET", "/payments/prepare/keep", NULL, &r); /* job-b untouched, token still valid */
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    as(ta, "GET", "/payments/prepare/drop", NULL, &r);
    assert_int_equal(r.status, 401); /* job-a's token went too */
    http_res_free(&r);
    login_as(&M, "job-a", "secret-a", ta, sizeof ta);
    as(ta, "GET", "/payments/prepare/drop", NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/reset?imp_key=nobody", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

/* One fixed flow; every answer's bytes appended to out. */
static void run_flow(char *out, size_t cap)
{
    const char *args[] = {"--seed", "42", "--clock", "1700000000", NULL};
    mock_start(&M, args);
    static const char *const steps[][3] = {
        {"POST", "/users/getToken", "{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"" TEST_IMP_SECRET "\"}"},
        {"POST", "/subscribe/customers/det_1",
         "{\"card_number\":\"4000-0000-0000-3220\",\"expiry\":\"2099-12\"}"},
        {"POST", "/subscribe/payments/again",
         "{\"customer_uid\":\"det_1\",\"merchant_uid\":\"d_1\",\"amount\":9900}"},
        {"POST", "/subscribe/payments/again",
         "{\"customer_uid\":\"det_1\",\"merchant_uid\":\"d_2\",\"amount\":9900}"},
        {"POST", "/subscribe/payments/again",
         "{\"customer_uid\":\"det_1\",\"merchant_uid\":\"d_3\",\"amount\":9900}"},
        {"POST", "/payments/cancel", "{\"merchant_uid\":\"d_1\",\"amount\":900}"},
        {"POST", "/subscribe/payments/onetime",
         "{\"merchant_uid\":\"d_4\",\"amount\":5000,\"card_number\":\"4242-4242-4242-4242\","
         "\"expiry\":\"2099-12\"}"},
        {"GET", "/payments/status/all", NULL},
    };
    out[0] = '\0';
    char token[64] = "";
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        struct http_res r;
        http_do(&M, steps[i][0], steps[i][1], steps[i][2] ? "application/json" : NULL,
                steps[i][2], token[0] ? token : NULL, &r);
        assert_int_equal(r.status, 200);
        if (i == 0)
            snprintf(token, sizeof token, "%s", json_str(env_response(&r), "access_token"));
        assert_true(strlen(out) + r.len + 2 < cap);
        strcat(out, r.body);
        strcat(out, "\n");
        http_res_free(&r);
    }
    assert_int_equal(mock_stop(&M), 0);
}

static void test_seed_and_frozen_clock_are_deterministic(void **state)
{
    (void)state;
    static char first[1 << 17], second[1 << 17];
    run_flow(first, sizeof first);
    run_flow(second, sizeof second);
    assert_string_equal(first, second);
    /* the flow really produced ids, tokens and timestamps, not just errors */
    assert_non_null(strstr(first, "\"access_token\""));
    assert_non_null(strstr(first, "\"imp_uid\":\"imps_"));
    assert_non_null(strstr(first, "\"status\":\"failed\""));
    assert_non_null(strstr(first, "\"paid_at\":1700000000"));
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_open_tenants_isolated, stop),
        cmocka_unit_test_teardown(test_scoped_scenario_and_reset, stop),
        cmocka_unit_test_teardown(test_seed_and_frozen_clock_are_deterministic, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
