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
        {"POST", "/users/getToken",
         "{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"" TEST_IMP_SECRET "\"}"},
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
        http_do(&M, steps[i][0], steps[i][1], steps[i][2] ? "application/json" : NULL, steps[i][2],
                token[0] ? token : NULL, &r);
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

/* --max-tenants bounds the tenants made on the fly: past it a new pair is
 * refused (HTTP 200, code -1: getToken lists only 200 and 401) until idle
 * empty ones (no record, no current token) can be dropped to make room;
 * a tenant holding records is never dropped. */
static void test_open_tenants_bounded(void **state)
{
    (void)state;
    const char *args[] = {"--open-tenants", "--max-tenants", "5", "--clock", "1700000000", NULL};
    mock_start(&M, args);
    char tok[64], keep[64], key[32], secret[32];
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "job-%d", i);
        snprintf(secret, sizeof secret, "secret-%d", i);
        assert_int_equal(login_as(&M, key, secret, i == 0 ? keep : tok, sizeof tok), 200);
    }
    struct http_res r;
    http_do(&M, "POST", "/users/getToken", "application/json",
            "{\"imp_key\":\"job-5\",\"imp_secret\":\"secret-5\"}", NULL, &r);
    env_refused(&r, 200, -1,
                "더 이상 새 imp_key로 가맹점을 만들 수 없습니다 (최대 5개, --max-tenants).");
    http_res_free(&r);
    /* job-0 holds a billing key: never dropped */
    as(keep, "POST", "/subscribe/customers/cust",
       "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    /* 31 minutes on, every token expired: the four idle empty ones make room */
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"advance\":1860}", NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    for (int i = 5; i < 9; i++) {
        snprintf(key, sizeof key, "job-%d", i);
        snprintf(secret, sizeof secret, "secret-%d", i);
        assert_int_equal(login_as(&M, key, secret, tok, sizeof tok), 200);
        assert_true(tok[0] != '\0');
    }
    assert_int_equal(login_as(&M, "job-9", "secret-9", tok, sizeof tok), 200);
    assert_true(tok[0] == '\0'); /* refused again: job-0 and the four new ones */
    assert_int_equal(login_as(&M, "job-0", "secret-0", keep, sizeof keep), 200);
    as(keep, "GET", "/subscribe/customers/cust", NULL, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

/* VmRSS of pid in kB, 0 when unreadable. */
static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

/* Whether pid runs under AddressSanitizer or ThreadSanitizer, whose
 * allocators keep freed memory (quarantine, shadow): RSS says nothing then. */
static bool under_sanitizer(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    char *maps = file_read(path, NULL);
    bool yes = maps && (strstr(maps, "libasan") || strstr(maps, "libtsan"));
    free(maps);
    return yes;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    (void)ud;
    return size * nmemb;
}

/* A flood of new key pairs grows the server by their tenants; a full reset
 * gives that memory back (it stayed: 626 MB of 5.9 GB after a reset). */
static void test_reset_frees_tenants(void **state)
{
    (void)state;
    enum { PAIRS = 10000 };
    const char *args[] = {"--open-tenants", "--max-tenants", "20000", NULL};
    mock_start(&M, args);
    char tok[64];
    login_as(&M, "warm-up", "s", tok, sizeof tok);
    long before = rss_kb(M.pid);
    CURL *c = curl_easy_init(); /* one handle: one keep-alive connection */
    assert_non_null(c);
    char url[128], body[128];
    snprintf(url, sizeof url, "%s/users/getToken", M.base);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    int ok = 0;
    for (int i = 0; i < PAIRS; i++) {
        snprintf(body, sizeof body, "{\"imp_key\":\"flood-%d\",\"imp_secret\":\"s\"}", i);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        long status = 0;
        if (curl_easy_perform(c) == CURLE_OK &&
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200)
            ok++;
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    assert_int_equal(ok, PAIRS);
    long flooded = rss_kb(M.pid);
    struct http_res r;
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    long after = rss_kb(M.pid);
    /* the pairs are gone: a known one is a new tenant again */
    assert_int_equal(login_as(&M, "flood-1", "another", tok, sizeof tok), 200);
    bool sanitized = under_sanitizer(M.pid);
    mock_stop(&M);
    fprintf(stderr, "RSS: %ld kB before, %ld kB after %d new pairs, %ld kB after the reset%s\n",
            before, flooded, PAIRS, after,
            sanitized ? " (a sanitizer's allocator: not judged)" : "");
    if (sanitized)
        return;
    if (flooded - before < 20000)
        fail_msg("%d tenants took only %ld kB: not a test of their memory", PAIRS,
                 flooded - before);
    if (after - before > (flooded - before) / 4)
        fail_msg("the reset kept %ld of %ld kB", after - before, flooded - before);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_open_tenants_isolated, stop),
        cmocka_unit_test_teardown(test_scoped_scenario_and_reset, stop),
        cmocka_unit_test_teardown(test_seed_and_frozen_clock_are_deterministic, stop),
        cmocka_unit_test_teardown(test_open_tenants_bounded, stop),
        cmocka_unit_test_teardown(test_reset_frees_tenants, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
