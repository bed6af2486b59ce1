/* test_webhook_scenarios.c - scenario effects on webhook deliveries (layer
 * delivery, op webhook): drop, duplicate, delay, reorder, matching one URL of
 * several by route, and the ready scenarios of scenarios/ that use them,
 * each reproduced over real HTTP against a receiver in this process. */
#include "harness.h"
#include "receiver.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#define T0 1704034800LL /* 2024-01-01 00:00 KST */

static struct mock M;
static struct receiver *RX;

static void start_with(const char *scenario_file)
{
    static char path[512];
    const char *args[8] = {"--clock", "1704034800", NULL};
    if (scenario_file) {
        snprintf(path, sizeof path, "%s/%s", getenv("TEST_SCENARIO_DIR"), scenario_file);
        args[2] = "--scenario";
        args[3] = path;
        args[4] = NULL;
    }
    RX = rx_start();
    mock_start(&M, args);
    mock_login(&M);
    struct http_res r;
    http_post_json(&M, "/subscribe/customers/ok",
                   "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

static int stop(void **state)
{
    (void)state;
    rx_stop(RX);
    RX = NULL;
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

/* again for order mid, notified at the receiver's `path`. */
static void again(const char *mid, const char *path)
{
    char url[128], body[512];
    struct http_res r;
    rx_url(RX, path, url, sizeof url);
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"ok\",\"merchant_uid\":\"%s\",\"amount\":9900,"
             "\"notice_url\":\"%s\"}",
             mid, url);
    http_post_json(&M, "/subscribe/payments/again", body, &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    http_res_free(&r);
}

static char *msg_field(size_t i, const char *field)
{
    struct rx_msg m;
    assert_true(rx_get(RX, i, &m));
    cJSON *o = cJSON_Parse(m.body);
    free(m.body);
    assert_non_null(o);
    char *v = strdup(json_str(o, field) ? json_str(o, field) : "");
    cJSON_Delete(o);
    return v;
}

static void expect_msg(size_t i, const char *merchant_uid, const char *status)
{
    char *mid = msg_field(i, "merchant_uid");
    char *st = msg_field(i, "status");
    assert_string_equal(mid, merchant_uid);
    assert_string_equal(st, status);
    free(mid);
    free(st);
}

static cJSON *journal(const char *query, struct http_res *r)
{
    char path[256];
    snprintf(path, sizeof path, "/__mock/webhooks%s", query);
    http_do(&M, "GET", path, NULL, NULL, NULL, r);
    assert_int_equal(r->status, 200);
    return r->json;
}

static void test_duplicate(void **state)
{
    (void)state;
    start_with(NULL);
    mock_load_scenario(&M,
                       "{\"name\":\"dup\",\"description\":\"each notice three times\",\"rules\":[{"
                       "\"when\":{\"op\":\"webhook\"},\"then\":{\"webhook_duplicate\":2}}]}");
    again("d_1", "/d");
    assert_int_equal(rx_wait(RX, 3, 5000), 3);
    for (size_t i = 0; i < 3; i++)
        expect_msg(i, "d_1", "paid");
    sleep_ms(300);
    assert_int_equal(rx_count(RX), 3);
    struct http_res r;
    cJSON *j = journal("?merchant_uid=d_1", &r);
    assert_int_equal(cJSON_GetArraySize(j), 3);
    assert_string_equal(json_str(cJSON_GetArrayItem(j, 0), "kind"), "delivery");
    assert_string_equal(json_str(cJSON_GetArrayItem(j, 1), "kind"), "duplicate");
    assert_string_equal(json_str(cJSON_GetArrayItem(j, 2), "kind"), "duplicate");
    assert_string_equal(json_str(cJSON_GetArrayItem(j, 0), "scenario"), "dup");
    assert_int_equal((int)json_num(cJSON_GetArrayItem(j, 2), "id"),
                     (int)json_num(cJSON_GetArrayItem(j, 0), "id"));
    http_res_free(&r);
}

static void test_drop(void **state)
{
    (void)state;
    start_with(NULL);
    mock_load_scenario(&M,
                       "{\"name\":\"lost\",\"description\":\"notices of drop-* orders are lost\","
                       "\"rules\":[{\"when\":{\"op\":\"webhook\",\"merchant_uid\":\"drop-*\"},"
                       "\"then\":{\"webhook\":\"drop\"}}]}");
    again("drop-1", "/x");
    again("keep-1", "/x");
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    expect_msg(0, "keep-1", "paid");
    sleep_ms(300);
    assert_int_equal(rx_count(RX), 1);
    struct http_res r;
    cJSON *a = cJSON_GetArrayItem(journal("?merchant_uid=drop-1", &r), 0);
    assert_non_null(a);
    assert_string_equal(json_str(a, "kind"), "dropped");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a, "status")));
    assert_string_equal(json_str(a, "error"), "dropped by scenario lost");
    http_res_free(&r);
}

static void test_delay(void **state)
{
    (void)state;
    start_with(NULL);
    mock_load_scenario(&M, "{\"name\":\"late\",\"description\":\"notices 3 s late\",\"rules\":[{"
                           "\"when\":{\"op\":\"webhook\"},\"then\":{\"webhook_delay_ms\":3000}}]}");
    double t0 = now_ms();
    again("l_1", "/l");
    /* the answer came first: nothing has been delivered yet */
    assert_int_equal(rx_count(RX), 0);
    assert_int_equal(rx_wait(RX, 1, 10000), 1);
    struct rx_msg m;
    assert_true(rx_get(RX, 0, &m));
    free(m.body);
    assert_true(m.at_ms - t0 >= 2900.0); /* a lower bound only: the scripted wait happened */
}

static void test_reorder(void **state)
{
    (void)state;
    start_with(NULL);
    mock_load_scenario(
        &M, "{\"name\":\"swap\",\"description\":\"the first notice goes after the next\","
            "\"rules\":[{\"when\":{\"op\":\"webhook\",\"nth\":1},"
            "\"then\":{\"webhook\":\"reorder\"}}]}");
    again("o_1", "/o");
    sleep_ms(300);
    assert_int_equal(rx_count(RX), 0); /* held back */
    again("o_2", "/o");
    assert_int_equal(rx_wait(RX, 2, 5000), 2);
    expect_msg(0, "o_2", "paid");
    expect_msg(1, "o_1", "paid");
}

/* Rules see each URL of a notice_url array as its own delivery (route "POST <url>"). */
static void test_one_url_of_several(void **state)
{
    (void)state;
    start_with(NULL);
    mock_load_scenario(
        &M, "{\"name\":\"b-down\",\"description\":\"one of two endpoints is unreachable\","
            "\"rules\":[{\"when\":{\"op\":\"webhook\",\"route\":\"POST */b\"},"
            "\"then\":{\"webhook\":\"drop\"}}]}");
    char a[128], b[128], body[512];
    rx_url(RX, "/a", a, sizeof a);
    rx_url(RX, "/b", b, sizeof b);
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"ok\",\"merchant_uid\":\"m_1\",\"amount\":9900,"
             "\"notice_url\":[\"%s\",\"%s\"]}",
             a, b);
    struct http_res r;
    http_post_json(&M, "/subscribe/payments/again", body, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    sleep_ms(300);
    assert_int_equal(rx_count(RX), 1);
    struct rx_msg m;
    assert_true(rx_get(RX, 0, &m));
    assert_string_equal(m.path, "/a");
    free(m.body);
}

/* ---- the library ---- */

static void test_library_delivered_twice(void **state)
{
    (void)state;
    start_with("webhook-delivered-twice.json");
    again("t_1", "/t");
    assert_int_equal(rx_wait(RX, 2, 5000), 2);
    expect_msg(0, "t_1", "paid");
    expect_msg(1, "t_1", "paid");
    sleep_ms(300);
    assert_int_equal(rx_count(RX), 2);
}

static void test_library_renewal_webhook_lost(void **state)
{
    (void)state;
    start_with("renewal-webhook-lost.json");
    again("first", "/w"); /* the key's first charge: notified */
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    char url[128], body[1024];
    rx_url(RX, "/w", url, sizeof url);
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"ok\",\"schedules\":[{\"merchant_uid\":\"renew_1\","
             "\"schedule_at\":%lld,\"amount\":9900,\"notice_url\":\"%s\"},{\"merchant_uid\":"
             "\"renew_2\",\"schedule_at\":%lld,\"amount\":9900,\"notice_url\":\"%s\"}]}",
             T0 + 86400, url, T0 + 2 * 86400, url);
    struct http_res r;
    http_post_json(&M, "/subscribe/payments/schedule", body, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"advance\":86400}", NULL, &r);
    http_res_free(&r);
    sleep_ms(500);
    assert_int_equal(rx_count(RX), 1); /* the renewal's notice is lost ... */
    mock_login(&M);
    http_get(&M, "/subscribe/payments/schedule/renew_1", &r);
    assert_string_equal(json_str(env_response(&r), "payment_status"),
                        "paid"); /* ... not the money */
    http_res_free(&r);
    cJSON *a = cJSON_GetArrayItem(journal("?merchant_uid=renew_1", &r), 0);
    assert_string_equal(json_str(a, "kind"), "dropped");
    assert_string_equal(json_str(a, "scenario"), "renewal-webhook-lost");
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"advance\":86400}", NULL, &r);
    http_res_free(&r);
    assert_int_equal(rx_wait(RX, 2, 5000), 2); /* later renewals are notified again */
    expect_msg(1, "renew_2", "paid");
}

static void test_library_out_of_order(void **state)
{
    (void)state;
    start_with("webhook-out-of-order.json");
    again("p_1", "/p");
    struct http_res r;
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"p_1\",\"enable_webhook\":true}",
                   &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    assert_int_equal(rx_wait(RX, 2, 5000), 2);
    expect_msg(0, "p_1", "cancelled"); /* the later event first */
    expect_msg(1, "p_1", "paid");
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_duplicate, stop),
        cmocka_unit_test_teardown(test_drop, stop),
        cmocka_unit_test_teardown(test_delay, stop),
        cmocka_unit_test_teardown(test_reorder, stop),
        cmocka_unit_test_teardown(test_one_url_of_several, stop),
        cmocka_unit_test_teardown(test_library_delivered_twice, stop),
        cmocka_unit_test_teardown(test_library_renewal_webhook_lost, stop),
        cmocka_unit_test_teardown(test_library_out_of_order, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
