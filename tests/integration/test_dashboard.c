/* test_dashboard.c - the control API's reads behind the dashboard over real
 * HTTP (http/admin_data.c): GET /__mock/tenants, /__mock/payments,
 * /__mock/customers, /__mock/schedules and /__mock/errors, their shapes,
 * filters, paging and refusals; the scenario switch (POST
 * /__mock/scenarios/{name}/enabled); the pages (http/admin_ui.c), served
 * by exact name with their security headers; and, with --admin-token, the
 * reads answering 401 without the token while the pages stay open. */
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

#define T0          1704034800LL /* 2024-01-01 00:00 KST */
#define ADMIN_TOKEN "dash-token-3"

static struct mock M;

static int start(void **state)
{
    (void)state;
    const char *args[] = {"--clock", "1704034800", "--seed", "11", NULL};
    mock_start(&M, args);
    mock_login(&M);
    return 0;
}

static int stop(void **state)
{
    (void)state;
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

/* GET path with X-Admin-Token: token (NULL: none) into res. */
static void admin_get(const char *path, const char *token, struct http_res *res)
{
    memset(res, 0, sizeof *res);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[1024], line[256];
    snprintf(url, sizeof url, "%s%s", M.base, path);
    struct curl_slist *hdrs = NULL;
    if (token) {
        snprintf(line, sizeof line, "X-Admin-Token: %s", token);
        hdrs = curl_slist_append(hdrs, line);
    }
    struct http_buf b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_buf_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    res->body = b.data ? b.data : strdup("");
    res->len = b.len;
    res->json = cJSON_Parse(res->body);
}

/* GET of a control read that must answer 200; the parsed body. */
static const cJSON *read_ok(const char *path, struct http_res *res)
{
    http_do(&M, "GET", path, NULL, NULL, NULL, res);
    if (res->status != 200 || !res->json)
        fail_msg("GET %s: HTTP %ld %.300s", path, res->status, res->body);
    return res->json;
}

/* GET of a control read that must be refused with status and a message containing needle. */
static void read_refused(const char *path, long status, const char *needle)
{
    struct http_res r;
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    const char *error = json_str(r.json, "error");
    if (r.status != status || !error || !strstr(error, needle))
        fail_msg("GET %s: wanted %ld with \"%s\", got %ld %.300s", path, status, needle, r.status,
                 r.body);
    http_res_free(&r);
}

static void post_ok(const char *path, const char *json, struct http_res *res)
{
    http_post_json(&M, path, json, res);
    if (res->status != 200 || env_code(res) != 0)
        fail_msg("POST %s: HTTP %ld %.300s", path, res->status, res->body);
}

static void issue_key(const char *uid, const char *card)
{
    char path[128], body[256];
    struct http_res r;
    snprintf(path, sizeof path, "/subscribe/customers/%s", uid);
    snprintf(body, sizeof body, "{\"card_number\":\"%s\",\"expiry\":\"2030-12\"}", card);
    post_ok(path, body, &r);
    http_res_free(&r);
}

/* Charges key uid for order mid; the new payment's imp_uid into ret (33 bytes). */
static void charge(const char *uid, const char *mid, int amount, char *ret)
{
    char body[256];
    struct http_res r;
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"%s\",\"merchant_uid\":\"%s\",\"amount\":%d,\"name\":\"dash\"}",
             uid, mid, amount);
    post_ok("/subscribe/payments/again", body, &r);
    snprintf(ret, 33, "%s", json_str(env_response(&r), "imp_uid"));
    http_res_free(&r);
}

/* The imp_uids of a payment page's list, in order, joined by spaces. */
static void imp_uids_of(const cJSON *page, char *out, size_t cap)
{
    out[0] = '\0';
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(page, "list"))
    {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s", n ? " " : "", json_str(it, "imp_uid"));
    }
}

static void expect_payments(const char *query, const char *want)
{
    char path[512], got[512];
    struct http_res r;
    snprintf(path, sizeof path, "/__mock/payments?imp_key=imp_apikey%s", query);
    imp_uids_of(read_ok(path, &r), got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("%s: listed \"%s\", wanted \"%s\"", path, got, want);
    http_res_free(&r);
}

/* ---- tenants ---- */

static void test_tenants(void **state)
{
    (void)state;
    struct http_res r;
    const cJSON *arr = read_ok("/__mock/tenants", &r);
    assert_true(cJSON_IsArray(arr));
    const cJSON *t = cJSON_GetArrayItem(arr, 0);
    assert_string_equal(json_str(t, "imp_key"), TEST_IMP_KEY);
    assert_string_equal(json_str(t, "merchant_code"), "imp00000000");
    assert_non_null(json_str(t, "name"));
    assert_non_null(json_str(t, "default_pg"));
    assert_null(cJSON_GetObjectItemCaseSensitive(t, "imp_secret")); /* never the secret */
    assert_null(strstr(r.body, TEST_IMP_SECRET));
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(t, "counts");
    double before = json_num(counts, "payments");
    assert_true(before >= 0);
    assert_true(json_num(counts, "billing_keys") >= 0);
    assert_true(json_num(counts, "schedules") >= 0);
    assert_true(json_num(counts, "prepares") >= 0);
    http_res_free(&r);

    char imp[33];
    issue_key("tn_key", "4242-4242-4242-4242");
    charge("tn_key", "tn_order", 1000, imp);
    struct http_res p;
    post_ok("/payments/prepare", "{\"merchant_uid\":\"tn_prepared\",\"amount\":500}", &p);
    http_res_free(&p);
    counts = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(read_ok("/__mock/tenants", &r), 0),
                                              "counts");
    assert_int_equal((int)json_num(counts, "payments"), (int)before + 1);
    assert_true(json_num(counts, "billing_keys") >= 1);
    assert_true(json_num(counts, "prepares") >= 1);
    http_res_free(&r);
}

/* ---- payments ---- */

static void test_payments_filters_and_shape(void **state)
{
    (void)state;
    char a[33], b[33], c[33], d[33], want[256];
    issue_key("pf_key1", "4242-4242-4242-4242");
    issue_key("pf_key2", "4000-0000-0000-0341"); /* issues, then declines every charge */
    charge("pf_key1", "pf_order_a", 1000, a);
    charge("pf_key1", "pf_order_b", 2000, b);
    charge("pf_key2", "pf_order_c", 3000, c); /* failed */
    charge("pf_key1", "pf_order_d", 4000, d);
    struct http_res r;
    char body[256];
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":500,\"reason\":\"part\"}", b);
    post_ok("/payments/cancel", body, &r);
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\"}", d);
    post_ok("/payments/cancel", body, &r);
    http_res_free(&r);

    /* the REST API's Payment object, cancel history included */
    char path[256];
    snprintf(path, sizeof path, "/__mock/payments?imp_key=imp_apikey&imp_uid=%s", b);
    const cJSON *page = read_ok(path, &r);
    assert_int_equal((int)json_num(page, "total"), 1);
    assert_int_equal((int)json_num(page, "previous"), 0);
    assert_int_equal((int)json_num(page, "next"), 0);
    const cJSON *p = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(page, "list"), 0);
    assert_string_equal(json_str(p, "imp_uid"), b);
    assert_string_equal(json_str(p, "merchant_uid"), "pf_order_b");
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "customer_uid"), "pf_key1");
    assert_int_equal((int)json_num(p, "amount"), 2000);
    assert_int_equal((int)json_num(p, "cancel_amount"), 500);
    const cJSON *hist = cJSON_GetObjectItemCaseSensitive(p, "cancel_history");
    assert_int_equal(cJSON_GetArraySize(hist), 1);
    assert_int_equal((int)json_num(cJSON_GetArrayItem(hist, 0), "amount"), 500);
    assert_string_equal(json_str(cJSON_GetArrayItem(hist, 0), "reason"), "part");
    /* the same bytes as the REST API's own answer for it */
    struct http_res rest;
    snprintf(path, sizeof path, "/payments/%s", b);
    http_get(&M, path, &rest);
    char *mine = cJSON_PrintUnformatted(p);
    char *theirs = cJSON_PrintUnformatted(env_response(&rest));
    assert_string_equal(mine, theirs);
    cJSON_free(mine);
    cJSON_free(theirs);
    http_res_free(&rest);
    http_res_free(&r);

    /* filters, each exact, newest first */
    snprintf(want, sizeof want, "%s %s %s", d, b, a);
    expect_payments("&customer_uid=pf_key1", want);
    expect_payments("&merchant_uid=pf_order_c", c);
    expect_payments("&customer_uid=pf_key2&status=failed", c);
    expect_payments("&customer_uid=pf_key1&status=cancelled", d);
    snprintf(want, sizeof want, "%s %s", b, a);
    expect_payments("&customer_uid=pf_key1&status=paid", want);
    snprintf(want, sizeof want, "%s %s %s", d, b, a);
    expect_payments("&customer_uid=pf_key1&status=all&merchant_uid=", want); /* "" is no filter */
    snprintf(path, sizeof path, "&imp_uid=%s&status=paid", c);
    expect_payments(path, ""); /* the imp_uid, but another status */
    snprintf(path, sizeof path, "&imp_uid=%s&merchant_uid=pf_order_c", c);
    expect_payments(path, c);
    expect_payments("&imp_uid=imps_000000000000", "");
    expect_payments("&merchant_uid=nobody", "");

    /* paging */
    snprintf(path, sizeof path, "/__mock/payments?imp_key=imp_apikey&customer_uid=pf_key1&limit=2");
    page = read_ok(path, &r);
    assert_int_equal((int)json_num(page, "total"), 3);
    assert_int_equal((int)json_num(page, "next"), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(page, "list")), 2);
    http_res_free(&r);
    expect_payments("&customer_uid=pf_key1&limit=2&page=2", a);
    expect_payments("&customer_uid=pf_key1&limit=2&page=9", "");

    /* without imp_key: the first fixture tenant */
    snprintf(path, sizeof path, "/__mock/payments?merchant_uid=pf_order_c");
    imp_uids_of(read_ok(path, &r), want, sizeof want);
    assert_string_equal(want, c);
    http_res_free(&r);

    read_refused("/__mock/payments?status=done", 400, "status");
    read_refused("/__mock/payments?limit=0", 400, "limit");
    read_refused("/__mock/payments?limit=1001", 400, "limit");
    read_refused("/__mock/payments?page=0", 400, "page");
    read_refused("/__mock/payments?imp_key=nobody", 404, "imp_key");
    read_refused("/__mock/customers?imp_key=nobody", 404, "imp_key");
    read_refused("/__mock/schedules?imp_key=nobody", 404, "imp_key");
}

/* ---- billing keys ---- */

static void test_customers(void **state)
{
    (void)state;
    issue_key("cu_first", "4242-4242-4242-4242");
    issue_key("cu_second", "4242-4242-4242-4242");
    struct http_res r;
    const cJSON *page = read_ok("/__mock/customers?imp_key=imp_apikey&limit=2", &r);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "list");
    assert_int_equal(cJSON_GetArraySize(list), 2);
    assert_true(json_num(page, "total") >= 2);
    const cJSON *k = cJSON_GetArrayItem(list, 0);
    assert_string_equal(json_str(k, "customer_uid"), "cu_second"); /* newest first */
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 1), "customer_uid"), "cu_first");
    /* the REST API's Customer object: the masked number, never the card */
    assert_string_equal(json_str(k, "card_number"), "424242******4242");
    assert_non_null(json_str(k, "pg_provider"));
    assert_true(json_num(k, "inserted") > 0);
    assert_null(strstr(r.body, "4242424242424242"));
    http_res_free(&r);

    page = read_ok("/__mock/customers?imp_key=imp_apikey&customer_uid=cu_first", &r);
    assert_int_equal((int)json_num(page, "total"), 1);
    assert_string_equal(
        json_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(page, "list"), 0),
                 "customer_uid"),
        "cu_first");
    http_res_free(&r);
    page = read_ok("/__mock/customers?customer_uid=nobody", &r);
    assert_int_equal((int)json_num(page, "total"), 0);
    http_res_free(&r);
}

/* ---- schedules ---- */

static void test_schedules(void **state)
{
    (void)state;
    issue_key("sc_key", "4242-4242-4242-4242");
    issue_key("sc_other", "4242-4242-4242-4242");
    char body[512];
    struct http_res r;
    /* given out of order: the list is in schedule_at order */
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"sc_key\",\"schedules\":["
             "{\"merchant_uid\":\"sc_late\",\"schedule_at\":%lld,\"amount\":300},"
             "{\"merchant_uid\":\"sc_early\",\"schedule_at\":%lld,\"amount\":100}]}",
             T0 + 7200, T0 + 3600);
    post_ok("/subscribe/payments/schedule", body, &r);
    http_res_free(&r);
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"sc_other\",\"schedules\":["
             "{\"merchant_uid\":\"sc_mid\",\"schedule_at\":%lld,\"amount\":200}]}",
             T0 + 5400);
    post_ok("/subscribe/payments/schedule", body, &r);
    http_res_free(&r);

    const cJSON *page = read_ok("/__mock/schedules?imp_key=imp_apikey&limit=1000", &r);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "list");
    const char *order[3];
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        const char *mid = json_str(it, "merchant_uid");
        if (strncmp(mid, "sc_", 3) == 0 && n < 3)
            order[n++] = mid;
    }
    assert_int_equal(n, 3);
    assert_string_equal(order[0], "sc_early");
    assert_string_equal(order[1], "sc_mid");
    assert_string_equal(order[2], "sc_late");
    /* the REST API's Schedule object */
    const cJSON *s = cJSON_GetArrayItem(list, 0);
    assert_non_null(json_str(s, "customer_uid"));
    assert_string_equal(json_str(s, "schedule_status"), "scheduled");
    assert_true(json_is_null(s, "payment_status"));
    assert_true(json_is_null(s, "imp_uid"));
    assert_string_equal(json_str(s, "currency"), "KRW");
    http_res_free(&r);

    page = read_ok("/__mock/schedules?customer_uid=sc_other", &r);
    assert_int_equal((int)json_num(page, "total"), 1);
    http_res_free(&r);

    /* the clock passes the first two: executed, the third still waiting */
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"advance\":5400}", NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    page = read_ok("/__mock/schedules?status=scheduled&customer_uid=sc_key", &r);
    assert_int_equal((int)json_num(page, "total"), 1);
    s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(page, "list"), 0);
    assert_string_equal(json_str(s, "merchant_uid"), "sc_late");
    http_res_free(&r);
    page = read_ok("/__mock/schedules?status=executed", &r);
    assert_int_equal((int)json_num(page, "total"), 2);
    s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(page, "list"), 0);
    assert_string_equal(json_str(s, "payment_status"), "paid");
    assert_non_null(json_str(s, "imp_uid"));
    http_res_free(&r);
    read_refused("/__mock/schedules?status=paid", 400, "status");
    mock_login(&M); /* the clock moved past the token's half hour */
}

/* ---- the error table ---- */

static void test_errors(void **state)
{
    (void)state;
    struct http_res r;
    const cJSON *arr = read_ok("/__mock/errors", &r);
    assert_true(cJSON_GetArraySize(arr) > 10);
    const cJSON *ok = cJSON_GetArrayItem(arr, 0);
    assert_string_equal(json_str(ok, "name"), "OK");
    assert_int_equal((int)json_num(ok, "code"), 0);
    assert_true(json_is_null(ok, "message"));
    bool found = false;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        if (strcmp(json_str(e, "name"), "CUSTOMER_UNKNOWN") == 0) {
            found = true;
            assert_int_equal((int)json_num(e, "http"), 200);
            assert_int_equal((int)json_num(e, "code"), 1);
            assert_string_equal(json_str(e, "message"), "등록되지 않은 구매자입니다.");
        }
    }
    assert_true(found);
    http_res_free(&r);
}

/* ---- the scenario switch ---- */

static const cJSON *scenario_named(const cJSON *list, const char *name)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, list)
    {
        if (strcmp(json_str(s, "name"), name) == 0)
            return s;
    }
    return NULL;
}

static long lookup_status(void)
{
    struct http_res r;
    http_get(&M, "/payments/find/sw_order", &r);
    long status = r.status;
    http_res_free(&r);
    return status;
}

static void test_scenario_switch(void **state)
{
    (void)state;
    mock_load_scenario(&M, "{\"name\":\"sw-503\",\"description\":\"lookups of sw_ fail\","
                           "\"rules\":[{\"when\":{\"op\":\"lookup\",\"merchant_uid\":\"sw_*\"},"
                           "\"then\":{\"status\":503,\"body\":{\"code\":-1}}}]}");
    assert_int_equal(lookup_status(), 503);

    struct http_res r;
    http_do(&M, "POST", "/__mock/scenarios/sw-503/enabled", "application/json",
            "{\"enabled\":false}", NULL, &r);
    assert_int_equal(r.status, 200);
    const cJSON *s = scenario_named(r.json, "sw-503");
    assert_non_null(s);
    assert_false(json_is_true(s, "enabled"));
    const cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s, "rules"), 0);
    int hits = (int)json_num(rule, "hits");
    http_res_free(&r);
    assert_int_equal(lookup_status(), 404); /* answered as if it were not there */

    http_do(&M, "GET", "/__mock/scenarios", NULL, NULL, NULL, &r);
    s = scenario_named(r.json, "sw-503");
    rule = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s, "rules"), 0);
    assert_int_equal((int)json_num(rule, "hits"), hits); /* and it counted nothing */
    http_res_free(&r);

    http_do(&M, "POST", "/__mock/scenarios/sw-503/enabled", "application/x-www-form-urlencoded",
            "enabled=true", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(scenario_named(r.json, "sw-503"), "enabled"));
    http_res_free(&r);
    assert_int_equal(lookup_status(), 503);

    static const struct {
        const char *path, *body;
        long status;
        const char *needle;
    } refusals[] = {
        {"/__mock/scenarios/nobody/enabled", "{\"enabled\":false}", 404, "no scenario"},
        {"/__mock/scenarios/sw-503/enabled", "{}", 400, "enabled"},
        {"/__mock/scenarios/sw-503/enabled", "{\"enabled\":\"no\"}", 400, "enabled"},
        {"/__mock/scenarios/sw-503/enabled", "{\"enabled\":null}", 400, "enabled"},
    };
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        http_do(&M, "POST", refusals[i].path, "application/json", refusals[i].body, NULL, &r);
        const char *error = json_str(r.json, "error");
        if (r.status != refusals[i].status || !error || !strstr(error, refusals[i].needle))
            fail_msg("%s %s: got %ld %.200s", refusals[i].path, refusals[i].body, r.status, r.body);
        http_res_free(&r);
    }
    assert_int_equal(lookup_status(), 503); /* refusals changed nothing */
    http_do(&M, "DELETE", "/__mock/scenarios?name=sw-503", NULL, NULL, NULL, &r);
    http_res_free(&r);
}

/* ---- pages ---- */

static void expect_page(const char *path, const char *ctype, const char *needle)
{
    struct http_res r;
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    if (r.status != 200 || !strstr(r.headers, ctype) || !strstr(r.body, needle))
        fail_msg("GET %s: %ld, headers %.300s", path, r.status, r.headers);
    if (!strstr(r.headers, "Content-Security-Policy: default-src 'none'; script-src 'self'") ||
        !strstr(r.headers, "frame-ancestors 'none'") ||
        !strstr(r.headers, "X-Content-Type-Options: nosniff"))
        fail_msg("GET %s: missing security headers in %.600s", path, r.headers);
    http_res_free(&r);
}

static void test_pages(void **state)
{
    (void)state;
    expect_page("/", "text/html", "/__mock/ui");
    expect_page("/__mock", "text/html", "/examples/shop");
    expect_page("/__mock/", "text/html", "/__mock/routes");
    expect_page("/__mock/ui", "text/html", "/__mock/ui/dashboard.js");
    expect_page("/__mock/ui/", "text/html", "/__mock/ui/ui.css");
    expect_page("/__mock/ui/dashboard.js", "application/javascript", "X-Admin-Token");
    expect_page("/__mock/ui/ui.css", "text/css", "@media");
    /* nothing else under the page names; no CDN in what they load */
    struct http_res r;
    http_do(&M, "GET", "/__mock/ui/other.js", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/ui", "application/json", "{}", NULL, &r);
    assert_int_equal(r.status, 405);
    http_res_free(&r);
    const char *pages[] = {"/", "/__mock/ui", "/__mock/ui/dashboard.js", "/__mock/ui/ui.css"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        http_do(&M, "GET", pages[i], NULL, NULL, NULL, &r);
        if (strstr(r.body, "https://") || strstr(r.body, "http://") || strstr(r.body, "//cdn"))
            fail_msg("%s names another site", pages[i]);
        http_res_free(&r);
    }
}

/* ---- --admin-token ---- */

static void test_admin_token(void **state)
{
    (void)state;
    mock_stop(&M);
    const char *args[] = {"--admin-token", ADMIN_TOKEN, NULL};
    mock_start(&M, args);
    static const char *const reads[] = {
        "/__mock/tenants",   "/__mock/payments?imp_key=imp_apikey",
        "/__mock/customers", "/__mock/schedules",
        "/__mock/errors",
    };
    struct http_res r;
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        admin_get(reads[i], NULL, &r);
        if (r.status != 401 || !strstr(r.body, "X-Admin-Token"))
            fail_msg("%s without the token: %ld %.200s", reads[i], r.status, r.body);
        http_res_free(&r);
        admin_get(reads[i], "wrong", &r);
        assert_int_equal(r.status, 401);
        http_res_free(&r);
        admin_get(reads[i], ADMIN_TOKEN, &r);
        if (r.status != 200 || !r.json)
            fail_msg("%s with the token: %ld %.200s", reads[i], r.status, r.body);
        http_res_free(&r);
    }
    http_do(&M, "POST", "/__mock/scenarios/any/enabled", "application/json", "{\"enabled\":true}",
            NULL, &r);
    assert_int_equal(r.status, 401);
    http_res_free(&r);
    /* the pages hold no data and stay open: the dashboard asks for the token */
    admin_get("/__mock/ui", NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    admin_get("/", NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tenants),   cmocka_unit_test(test_payments_filters_and_shape),
        cmocka_unit_test(test_customers), cmocka_unit_test(test_schedules),
        cmocka_unit_test(test_errors),    cmocka_unit_test(test_scenario_switch),
        cmocka_unit_test(test_pages),     cmocka_unit_test(test_admin_token),
    };
    int rc = cmocka_run_group_tests(tests, start, stop);
    curl_global_cleanup();
    return rc;
}
