/* test_schedules.c - scheduled payments over real HTTP (reference §7):
 * creating, running on the virtual clock (one advance runs everything due,
 * in schedule_at order, dated at each item's due time), the webhook of each
 * run, revoking, moving, retrying, the three lists with paging and filters,
 * and every refusal. A receiver in this process takes the webhooks. */
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

#define T0  1704034800LL /* 2024-01-01 00:00 KST */
#define DAY 86400LL

static struct mock M;
static struct receiver *RX;
static int64_t NOW; /* the mock's clock, as these tests move it */

static void start_with(const char *const *extra)
{
    const char *args[16] = {"--clock", "1704034800", "--seed", "11"};
    size_t n = 4;
    for (size_t i = 0; extra && extra[i] && n < 15; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    mock_start(&M, args);
    mock_login(&M);
    NOW = T0;
    RX = rx_start();
}

static int stop(void **state)
{
    (void)state;
    rx_stop(RX);
    RX = NULL;
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

/* The 1st of month k after January 2024 (k = 1: February), 00:00 KST. */
static int64_t month_at(int k)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 124 + k / 12;
    tm.tm_mon = k % 12;
    tm.tm_mday = 1;
    return (int64_t)timegm(&tm) - 9 * 3600;
}

static void advance(int64_t secs)
{
    char body[64];
    struct http_res r;
    snprintf(body, sizeof body, "{\"advance\":%lld}", (long long)secs);
    http_do(&M, "POST", "/__mock/clock", "application/json", body, NULL, &r);
    assert_int_equal(r.status, 200);
    NOW += secs;
    assert_int_equal((int64_t)json_num(r.json, "now"), NOW);
    http_res_free(&r);
    mock_login(&M); /* a long jump outlives the token */
}

static void issue(const char *uid, const char *card)
{
    char path[128], body[256];
    struct http_res r;
    snprintf(path, sizeof path, "/subscribe/customers/%s", uid);
    snprintf(body, sizeof body,
             "{\"card_number\":\"%s\",\"expiry\":\"2099-12\",\"customer_name\":\"Hong\","
             "\"customer_email\":\"hong@example.com\"}",
             card);
    http_post_json(&M, path, body, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

/* One schedule item as JSON; notice (may be NULL) is the receiver path. */
static void item_json(char *out, size_t cap, const char *mid, int64_t at, int amount,
                      const char *notice)
{
    char url[128] = "";
    if (notice)
        rx_url(RX, notice, url, sizeof url);
    snprintf(out, cap,
             "{\"merchant_uid\":\"%s\",\"schedule_at\":%lld,\"amount\":%d,\"name\":\"Monthly "
             "plan\"%s%s%s}",
             mid, (long long)at, amount, notice ? ",\"notice_url\":\"" : "", url,
             notice ? "\"" : "");
}

static void schedule_raw(const char *uid, const char *items_json, struct http_res *r)
{
    size_t cap = strlen(items_json) + 256;
    char *body = malloc(cap);
    assert_non_null(body);
    snprintf(body, cap, "{\"customer_uid\":\"%s\",\"schedules\":[%s]}", uid, items_json);
    http_post_json(&M, "/subscribe/payments/schedule", body, r);
    free(body);
}

static void schedule_one(const char *uid, const char *mid, int64_t at, const char *notice)
{
    char item[512];
    struct http_res r;
    item_json(item, sizeof item, mid, at, 9900, notice);
    schedule_raw(uid, item, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

static void get_schedule(const char *mid, struct http_res *r)
{
    char path[160];
    snprintf(path, sizeof path, "/subscribe/payments/schedule/%s", mid);
    http_get(&M, path, r);
}

static void expect_schedule(const char *mid, const char *schedule_status, const char *pay_status)
{
    struct http_res r;
    get_schedule(mid, &r);
    assert_int_equal(r.status, 200);
    cJSON *s = env_response(&r);
    assert_string_equal(json_str(s, "schedule_status"), schedule_status);
    if (pay_status)
        assert_string_equal(json_str(s, "payment_status"), pay_status);
    else
        assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "payment_status")));
    http_res_free(&r);
}

static void post_json_expect(const char *path, const char *body, long http, int code,
                             const char *message)
{
    struct http_res r;
    http_do(&M, "POST", path, "application/json", body, M.token, &r);
    assert_int_equal(r.status, http);
    assert_int_equal(env_code(&r), code);
    if (message)
        assert_string_equal(env_message(&r), message);
    http_res_free(&r);
}

/* ---- running ---- */

static void test_schedule_runs_on_advance(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_a", "4242-4242-4242-4242");
    char item[512];
    struct http_res r;
    item_json(item, sizeof item, "sub_0001", T0 + 3600, 9900, "/hook");
    schedule_raw("cust_a", item, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    assert_null(env_message(&r));
    cJSON *list = env_response(&r);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    cJSON *s = cJSON_GetArrayItem(list, 0);
    /* the Schedule object of reference §7.2 */
    static const char *const fields[] = {
        "customer_uid", "merchant_uid",   "imp_uid",     "pg_provider",     "pg_id",
        "customer_id",  "schedule_at",    "executed_at", "revoked_at",      "amount",
        "currency",     "name",           "buyer_name",  "buyer_email",     "buyer_tel",
        "buyer_addr",   "buyer_postcode", "custom_data", "schedule_status", "payment_status",
        "fail_reason",  "promotion_id"};
    assert_int_equal(cJSON_GetArraySize(s), (int)(sizeof fields / sizeof fields[0]));
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        assert_non_null(cJSON_GetObjectItemCaseSensitive(s, fields[i]));
    assert_string_equal(json_str(s, "schedule_status"), "scheduled");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "payment_status")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "imp_uid")));
    assert_int_equal((int64_t)json_num(s, "executed_at"), 0);
    assert_int_equal((int64_t)json_num(s, "schedule_at"), T0 + 3600);
    assert_string_equal(json_str(s, "currency"), "KRW");
    assert_string_equal(json_str(s, "buyer_name"), "Hong"); /* from the key's customer_name */
    assert_string_equal(json_str(s, "buyer_email"), "hong@example.com");
    http_res_free(&r);

    advance(1800); /* not due yet */
    expect_schedule("sub_0001", "scheduled", NULL);
    assert_int_equal(rx_count(RX), 0);
    advance(3600);
    get_schedule("sub_0001", &r);
    s = env_response(&r);
    assert_string_equal(json_str(s, "schedule_status"), "executed");
    assert_string_equal(json_str(s, "payment_status"), "paid");
    assert_int_equal((int64_t)json_num(s, "executed_at"), T0 + 3600);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "fail_reason")));
    char imp_uid[64];
    snprintf(imp_uid, sizeof imp_uid, "%s", json_str(s, "imp_uid"));
    http_res_free(&r);
    assert_memory_equal(imp_uid, "imps_", 5);

    char path[128];
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    http_get(&M, path, &r);
    cJSON *p = env_response(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "customer_uid_usage"), "payment.scheduled");
    assert_string_equal(json_str(p, "channel"), "api");
    assert_string_equal(json_str(p, "customer_uid"), "cust_a");
    assert_int_equal((int64_t)json_num(p, "paid_at"), T0 + 3600); /* the due time */
    assert_int_equal((int64_t)json_num(p, "amount"), 9900);
    http_res_free(&r);

    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    struct rx_msg m;
    assert_true(rx_get(RX, 0, &m));
    assert_string_equal(m.method, "POST");
    assert_string_equal(m.path, "/hook");
    assert_string_equal(m.ctype, "application/json");
    cJSON *hook = cJSON_Parse(m.body);
    assert_string_equal(json_str(hook, "imp_uid"), imp_uid);
    assert_string_equal(json_str(hook, "merchant_uid"), "sub_0001");
    assert_string_equal(json_str(hook, "status"), "paid");
    assert_int_equal(cJSON_GetArraySize(hook), 3);
    cJSON_Delete(hook);
    free(m.body);
}

/* Twelve monthly renewals by one advance, with the card that approves twice
 * and then declines: the items were sent newest first, so only running them
 * in schedule_at order gives paid, paid, then failed. */
static void test_year_of_renewals(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_y", "4000-0000-0000-3220");
    char items[12 * 512] = "", item[512];
    for (int k = 12; k >= 1; k--) {
        char mid[32];
        snprintf(mid, sizeof mid, "renew_%02d", k);
        item_json(item, sizeof item, mid, month_at(k), 9900, "/renew");
        strcat(items, item);
        if (k > 1)
            strcat(items, ",");
    }
    struct http_res r;
    schedule_raw("cust_y", items, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);

    double t0 = now_ms();
    advance(400 * DAY);
    double took = now_ms() - t0;
    assert_true(took < 1000.0); /* twelve renewals, well under a second */

    for (int k = 1; k <= 12; k++) {
        char mid[32], path[96];
        snprintf(mid, sizeof mid, "renew_%02d", k);
        snprintf(path, sizeof path, "/payments/find/%s", mid);
        http_get(&M, path, &r);
        cJSON *p = env_response(&r);
        assert_string_equal(json_str(p, "customer_uid_usage"), "payment.scheduled");
        if (k <= 2) {
            assert_string_equal(json_str(p, "status"), "paid");
            assert_int_equal((int64_t)json_num(p, "paid_at"), month_at(k));
        } else {
            assert_string_equal(json_str(p, "status"), "failed");
            assert_string_equal(json_str(p, "fail_reason"), "[F302]잔액부족");
            assert_int_equal((int64_t)json_num(p, "failed_at"), month_at(k));
            assert_int_equal((int64_t)json_num(p, "paid_at"), 0);
        }
        http_res_free(&r);
        expect_schedule(mid, "executed", k <= 2 ? "paid" : "failed");
    }
    get_schedule("renew_05", &r);
    assert_string_equal(json_str(env_response(&r), "fail_reason"), "[F302]잔액부족");
    http_res_free(&r);

    /* one webhook per run, in the order they ran; failures notify too */
    assert_int_equal(rx_wait(RX, 12, 10000), 12);
    for (size_t i = 0; i < 12; i++) {
        struct rx_msg m;
        char mid[32];
        assert_true(rx_get(RX, i, &m));
        cJSON *hook = cJSON_Parse(m.body);
        snprintf(mid, sizeof mid, "renew_%02zu", i + 1);
        assert_string_equal(json_str(hook, "merchant_uid"), mid);
        assert_string_equal(json_str(hook, "status"), i < 2 ? "paid" : "failed");
        cJSON_Delete(hook);
        free(m.body);
    }
}

static void test_renewal_declined_scenario(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/renewal-declined-third-charge.json",
             getenv("TEST_SCENARIO_DIR"));
    const char *args[] = {"--scenario", path, NULL};
    start_with(args);
    issue("cust_s", "4242-4242-4242-4242");
    for (int k = 1; k <= 5; k++) {
        char mid[32];
        snprintf(mid, sizeof mid, "sc_%d", k);
        schedule_one("cust_s", mid, month_at(k), "/s");
    }
    advance(200 * DAY);
    for (int k = 1; k <= 5; k++) {
        char mid[32];
        snprintf(mid, sizeof mid, "sc_%d", k);
        expect_schedule(mid, "executed", k == 3 ? "failed" : "paid");
    }
    assert_int_equal(rx_wait(RX, 5, 5000), 5);
    struct rx_msg m;
    assert_true(rx_get(RX, 2, &m));
    assert_non_null(strstr(m.body, "\"status\":\"failed\""));
    assert_non_null(strstr(m.body, "sc_3"));
    free(m.body);
}

/* The background runner, with the clock running in real time. */
static void test_runs_in_real_time(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_rt", "4242-4242-4242-4242");
    struct http_res r;
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"freeze\":false}", NULL, &r);
    int64_t now = (int64_t)json_num(r.json, "now");
    http_res_free(&r);
    schedule_one("cust_rt", "rt_1", now + 1, "/rt");
    bool ran = false;
    for (int i = 0; i < 100 && !ran; i++) { /* up to 10 s */
        get_schedule("rt_1", &r);
        ran = strcmp(json_str(env_response(&r), "schedule_status"), "executed") == 0;
        http_res_free(&r);
        if (!ran) {
            struct timespec ts = {0, 100 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    assert_true(ran);
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
}

/* ---- revoking ---- */

static void test_unschedule(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_u", "4242-4242-4242-4242");
    issue("cust_v", "4242-4242-4242-4242");
    for (int k = 1; k <= 5; k++) {
        char mid[32];
        snprintf(mid, sizeof mid, "u_%d", k);
        schedule_one("cust_u", mid, T0 + k * DAY, "/u");
    }
    schedule_one("cust_v", "v_1", T0 + DAY, "/v");
    schedule_one("cust_v", "v_2", T0 + 2 * DAY, "/v");
    advance(60);

    /* one merchant_uid as a string */
    struct http_res r;
    http_post_json(&M, "/subscribe/payments/unschedule",
                   "{\"customer_uid\":\"cust_u\",\"merchant_uid\":\"u_1\"}", &r);
    assert_int_equal(env_code(&r), 0);
    cJSON *list = env_response(&r);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    cJSON *s = cJSON_GetArrayItem(list, 0);
    assert_string_equal(json_str(s, "schedule_status"), "revoked");
    assert_int_equal((int64_t)json_num(s, "revoked_at"), NOW);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "imp_uid")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "payment_status")));
    http_res_free(&r);
    /* an array */
    http_post_json(&M, "/subscribe/payments/unschedule",
                   "{\"customer_uid\":\"cust_u\",\"merchant_uid\":[\"u_2\",\"u_3\"]}", &r);
    assert_int_equal(cJSON_GetArraySize(env_response(&r)), 2);
    http_res_free(&r);
    /* merchant_uid alone, as a form's array */
    http_do(&M, "POST", "/subscribe/payments/unschedule", "application/x-www-form-urlencoded",
            "merchant_uid%5B%5D=u_4", M.token, &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(cJSON_GetArrayItem(env_response(&r), 0), "merchant_uid"), "u_4");
    http_res_free(&r);
    /* a whole customer, oldest first */
    http_post_json(&M, "/subscribe/payments/unschedule", "{\"customer_uid\":\"cust_v\"}", &r);
    list = env_response(&r);
    assert_int_equal(cJSON_GetArraySize(list), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 0), "merchant_uid"), "v_1");
    http_res_free(&r);
    post_json_expect("/subscribe/payments/unschedule", "{\"customer_uid\":\"cust_v\"}", 200, 1,
                     "취소할 예약결제 기록이 존재하지 않습니다.");
    post_json_expect("/subscribe/payments/unschedule",
                     "{\"customer_uid\":\"cust_v\",\"merchant_uid\":[\"u_5\"]}", 200, 1,
                     "취소할 예약결제 기록이 존재하지 않습니다."); /* another customer's item */
    post_json_expect("/subscribe/payments/unschedule", "{}", 200, -1, NULL);

    advance(10 * DAY);
    expect_schedule("u_5", "executed", "paid");
    for (int k = 1; k <= 4; k++) {
        char mid[32];
        snprintf(mid, sizeof mid, "u_%d", k);
        expect_schedule(mid, "revoked", NULL);
    }
    expect_schedule("v_2", "revoked", NULL);
    post_json_expect("/subscribe/payments/unschedule",
                     "{\"customer_uid\":\"cust_u\",\"merchant_uid\":\"u_5\"}", 200, 1,
                     "취소할 예약결제 기록이 존재하지 않습니다."); /* already executed */
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    assert_int_equal(rx_count(RX), 1); /* revoked items notify nobody */
}

/* ---- moving and retrying ---- */

static void test_reschedule_retry(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_r", "4242-4242-4242-4242");
    mock_load_scenario(
        &M, "{\"name\":\"first-declined\",\"description\":\"the first charge is declined\","
            "\"rules\":[{\"when\":{\"op\":\"charge\",\"nth\":1},"
            "\"then\":{\"decline\":\"[F302]잔액부족\"}}]}");
    schedule_one("cust_r", "r_1", T0 + 100, "/r");
    schedule_one("cust_r", "r_2", T0 + 200, "/r");
    advance(300);
    expect_schedule("r_1", "executed", "failed");
    expect_schedule("r_2", "executed", "paid");

    /* retry: only a failed or revoked item; it answers with a Payment */
    post_json_expect(
        "/subscribe/payments/schedule/r_2/retry", "{}", 400, 1,
        "결제에 실패했거나 취소된 예약결제만 다시 예약하거나 재시도할 수 있습니다: r_2");
    post_json_expect("/subscribe/payments/schedule/nope/retry", "{}", 404, 1,
                     "예약결제 정보가 존재하지 않습니다: nope");
    struct http_res r;
    http_post_json(&M, "/subscribe/payments/schedule/r_1/retry", "{}", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    cJSON *p = env_response(&r);
    assert_string_equal(json_str(p, "merchant_uid"), "r_1");
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "customer_uid_usage"), "payment.scheduled");
    assert_int_equal((int64_t)json_num(p, "paid_at"), NOW); /* a retry runs now */
    char imp_uid[64];
    snprintf(imp_uid, sizeof imp_uid, "%s", json_str(p, "imp_uid"));
    http_res_free(&r);
    get_schedule("r_1", &r);
    assert_string_equal(json_str(env_response(&r), "imp_uid"), imp_uid);
    assert_string_equal(json_str(env_response(&r), "payment_status"), "paid");
    assert_int_equal((int64_t)json_num(env_response(&r), "executed_at"), NOW);
    http_res_free(&r);
    assert_int_equal(rx_wait(RX, 3, 5000), 3); /* failed, paid, and the retry's paid */

    /* reschedule a revoked item */
    schedule_one("cust_r", "r_3", NOW + 1000, "/r");
    post_json_expect(
        "/subscribe/payments/schedule/r_3/reschedule", "{\"schedule_at\":1800000000}", 400, 1,
        "결제에 실패했거나 취소된 예약결제만 다시 예약하거나 재시도할 수 있습니다: r_3");
    http_post_json(&M, "/subscribe/payments/unschedule", "{\"merchant_uid\":[\"r_3\"]}", &r);
    http_res_free(&r);
    char body[96];
    snprintf(body, sizeof body, "{\"schedule_at\":%lld}", (long long)(NOW + 500));
    http_post_json(&M, "/subscribe/payments/schedule/r_3/reschedule", body, &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "schedule_status"), "scheduled");
    assert_int_equal((int64_t)json_num(env_response(&r), "revoked_at"), 0);
    assert_int_equal((int64_t)json_num(env_response(&r), "schedule_at"), NOW + 500);
    http_res_free(&r);
    advance(600);
    expect_schedule("r_3", "executed", "paid");

    /* PUT moves a waiting item */
    schedule_one("cust_r", "r_4", NOW + 1000, "/r");
    snprintf(body, sizeof body, "{\"schedule_at\":%lld}", (long long)(NOW + 2000));
    http_do(&M, "PUT", "/subscribe/payments/schedule/r_4", "application/json", body, M.token, &r);
    assert_int_equal(env_code(&r), 0);
    assert_int_equal((int64_t)json_num(env_response(&r), "schedule_at"), NOW + 2000);
    http_res_free(&r);
    advance(1500);
    expect_schedule("r_4", "scheduled", NULL);
    advance(600);
    expect_schedule("r_4", "executed", "paid");
    snprintf(body, sizeof body, "{\"schedule_at\":%lld}", (long long)(NOW + 5000));
    http_do(&M, "PUT", "/subscribe/payments/schedule/r_4", "application/json", body, M.token, &r);
    assert_int_equal(r.status, 400);
    assert_int_equal(env_code(&r), 1);
    assert_string_equal(env_message(&r), "이미 실행되었거나 취소된 예약결제입니다: r_4");
    http_res_free(&r);
    schedule_one("cust_r", "r_5", NOW + 1000, NULL);
    snprintf(body, sizeof body, "{\"schedule_at\":%lld}", (long long)(NOW - 1));
    http_do(&M, "PUT", "/subscribe/payments/schedule/r_5", "application/json", body, M.token, &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(env_message(&r), "schedule_at은 현재 시각 이후여야 합니다.");
    http_res_free(&r);
    http_do(&M, "PUT", "/subscribe/payments/schedule/nope", "application/json",
            "{\"schedule_at\":1900000000}", M.token, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    get_schedule("nope", &r);
    assert_int_equal(r.status, 404);
    assert_int_equal(env_code(&r), 1);
    http_res_free(&r);
}

/* A refund of the executed payment shows on the schedule. */
static void test_cancelled_payment_status(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_c", "4242-4242-4242-4242");
    schedule_one("cust_c", "c_1", T0 + 10, NULL);
    schedule_one("cust_c", "c_2", T0 + 20, NULL);
    advance(30);
    struct http_res r;
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"c_1\"}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"c_2\",\"amount\":1000}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    expect_schedule("c_1", "executed", "cancelled");
    expect_schedule("c_2", "executed", "paid"); /* a partial refund keeps it paid */
}

/* ---- lists ---- */

static cJSON *list_ok(const char *path, struct http_res *r)
{
    http_get(&M, path, r);
    assert_int_equal(r->status, 200);
    assert_int_equal(env_code(r), 0);
    return env_response(r);
}

static void list_fails(const char *path, long http, const char *message)
{
    struct http_res r;
    http_get(&M, path, &r);
    assert_int_equal(r.status, http);
    assert_int_not_equal(env_code(&r), 0);
    if (message)
        assert_string_equal(env_message(&r), message);
    http_res_free(&r);
}

static void test_lists(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_l", "4242-4242-4242-4242");
    issue("cust_m", "4242-4242-4242-4242");
    char items[25 * 256] = "", item[256];
    for (int k = 1; k <= 25; k++) {
        char mid[32];
        snprintf(mid, sizeof mid, "l_%02d", k);
        item_json(item, sizeof item, mid, T0 + k * DAY, 1000 * k, NULL);
        strcat(items, item);
        if (k < 25)
            strcat(items, ",");
    }
    struct http_res r;
    schedule_raw("cust_l", items, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    for (int k = 1; k <= 5; k++) {
        char mid[32];
        snprintf(mid, sizeof mid, "m_%d", k);
        schedule_one("cust_m", mid, T0 + k * DAY + 3600, NULL);
    }
    http_post_json(&M, "/subscribe/payments/unschedule",
                   "{\"merchant_uid\":[\"l_03\",\"l_04\",\"l_05\"]}", &r);
    http_res_free(&r);
    advance(2 * DAY + 60); /* l_01, l_02, m_1 run */

    char path[512];
    long long from = T0, to = T0 + 30 * DAY;
    snprintf(path, sizeof path, "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld",
             from, to);
    cJSON *pg = list_ok(path, &r);
    assert_int_equal((int)json_num(pg, "total"), 30);
    assert_int_equal((int)json_num(pg, "previous"), 0);
    assert_int_equal((int)json_num(pg, "next"), 2);
    cJSON *list = cJSON_GetObjectItemCaseSensitive(pg, "list");
    assert_int_equal(cJSON_GetArraySize(list), 20);
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 0), "merchant_uid"), "l_25"); /* newest */
    http_res_free(&r);
    snprintf(path, sizeof path,
             "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld&page=2", from, to);
    pg = list_ok(path, &r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(pg, "list")), 10);
    assert_int_equal((int)json_num(pg, "previous"), 1);
    assert_int_equal((int)json_num(pg, "next"), 0);
    http_res_free(&r);
    snprintf(path, sizeof path,
             "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld&sorting=scheduled"
             "&limit=3",
             from, to);
    pg = list_ok(path, &r);
    list = cJSON_GetObjectItemCaseSensitive(pg, "list");
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 0), "merchant_uid"), "l_01");
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 1), "merchant_uid"), "m_1");
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 2), "merchant_uid"), "l_02");
    assert_int_equal((int)json_num(pg, "next"), 2);
    http_res_free(&r);
    snprintf(path, sizeof path,
             "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld"
             "&schedule_status=revoked",
             from, to);
    assert_int_equal((int)json_num(list_ok(path, &r), "total"), 3);
    http_res_free(&r);
    snprintf(path, sizeof path,
             "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld"
             "&schedule_status=executed",
             from, to);
    assert_int_equal((int)json_num(list_ok(path, &r), "total"), 3);
    http_res_free(&r);
    /* from <= schedule_at < to */
    snprintf(path, sizeof path, "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld",
             (long long)(T0 + DAY), (long long)(T0 + 2 * DAY));
    pg = list_ok(path, &r);
    assert_int_equal((int)json_num(pg, "total"), 2); /* l_01 and m_1, not l_02 */
    http_res_free(&r);

    /* refusals of the list */
    snprintf(path, sizeof path, "/subscribe/payments/schedule?schedule_from=%lld", from);
    list_fails(path, 400, "schedule_to 파라미터는 필수입니다.");
    snprintf(path, sizeof path, "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld",
             from, (long long)(T0 + 100 * DAY));
    list_fails(path, 400, "조회기간은 최대 3개월까지 지정할 수 있습니다.");
    snprintf(path, sizeof path, "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld",
             to, from);
    list_fails(path, 400, "schedule_from 파라미터는 schedule_to보다 클 수 없습니다.");
    snprintf(path, sizeof path,
             "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld&schedule_status=x",
             from, to);
    list_fails(path, 400, "지원되지 않는 상태값입니다.");
    snprintf(path, sizeof path,
             "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld&page=3", from, to);
    list_fails(path, 400, "page 파라미터가 범위를 벗어났습니다 (전체 30건, 페이지당 20건).");
    snprintf(path, sizeof path,
             "/subscribe/payments/schedule?schedule_from=%lld&schedule_to=%lld&sorting=paid", from,
             to);
    list_fails(path, 400, NULL);

    /* the customer lists, under both paths */
    snprintf(path, sizeof path, "/subscribe/payments/schedule/customers/cust_l?from=%lld&to=%lld",
             from, to);
    pg = list_ok(path, &r);
    assert_int_equal((int)json_num(pg, "total"), 25);
    list = cJSON_GetObjectItemCaseSensitive(pg, "list");
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 0), "merchant_uid"), "l_25");
    http_res_free(&r);
    snprintf(path, sizeof path,
             "/subscribe/customers/cust_l/schedules?from=%lld&to=%lld&schedule-status=revoked",
             from, to);
    pg = list_ok(path, &r);
    assert_int_equal((int)json_num(pg, "total"), 3);
    list = cJSON_GetObjectItemCaseSensitive(pg, "list");
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 0), "merchant_uid"), "l_05");
    http_res_free(&r);
    snprintf(path, sizeof path, "/subscribe/customers/cust_m/schedules?from=%lld&to=%lld&page=1",
             from, to);
    pg = list_ok(path, &r);
    assert_int_equal((int)json_num(pg, "total"), 5);
    list = cJSON_GetObjectItemCaseSensitive(pg, "list");
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 4), "payment_status"), "paid");
    http_res_free(&r);
    snprintf(path, sizeof path, "/subscribe/customers/cust_l/schedules?from=%lld", from);
    list_fails(path, 400, "to 파라미터는 필수입니다.");
    /* a customer with nothing has an empty list: the Swagger lists no 404 here */
    static const char *const lists[] = {"/subscribe/customers/nobody/schedules",
                                        "/subscribe/payments/schedule/customers/nobody"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        snprintf(path, sizeof path, "%s?from=%lld&to=%lld", lists[i], from, to);
        pg = list_ok(path, &r);
        assert_int_equal((int)json_num(pg, "total"), 0);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(pg, "list")), 0);
        http_res_free(&r);
    }
}

/* ---- refusals ---- */

static void test_refusals(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_x", "4242-4242-4242-4242");
    char item[512], two[1100];
    struct http_res r;

    item_json(item, sizeof item, "x_1", T0 + DAY, 9900, NULL);
    schedule_raw("nobody", item, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 1);
    assert_string_equal(env_message(&r), "등록된 고객정보가 없습니다.");
    assert_true(cJSON_IsNull(env_response(&r)));
    http_res_free(&r);

    item_json(item, sizeof item, "x_past", T0 - 1, 9900, NULL);
    schedule_raw("cust_x", item, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 1);
    assert_string_equal(env_message(&r),
                        "schedule_at은 현재 시각 이후여야 합니다 (merchant_uid: x_past).");
    http_res_free(&r);

    schedule_one("cust_x", "x_1", T0 + DAY, NULL);
    item_json(item, sizeof item, "x_1", T0 + 2 * DAY, 9900, NULL);
    schedule_raw("cust_x", item, &r); /* already scheduled */
    assert_int_equal(env_code(&r), 1);
    assert_string_equal(env_message(&r), "이미 예약되었거나 결제가 완료된 merchant_uid입니다: x_1");
    http_res_free(&r);
    item_json(item, sizeof item, "x_2", T0 + DAY, 9900, NULL);
    snprintf(two, sizeof two, "%s,%s", item, item);
    schedule_raw("cust_x", two, &r); /* twice in one request: nothing stored */
    assert_int_equal(env_code(&r), 1);
    http_res_free(&r);
    get_schedule("x_2", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    http_post_json(&M, "/subscribe/payments/again",
                   "{\"customer_uid\":\"cust_x\",\"merchant_uid\":\"x_paid\",\"amount\":1000}", &r);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    http_res_free(&r);
    item_json(item, sizeof item, "x_paid", T0 + DAY, 9900, NULL);
    schedule_raw("cust_x", item, &r); /* an order already paid */
    assert_int_equal(env_code(&r), 1);
    assert_string_equal(env_message(&r),
                        "이미 예약되었거나 결제가 완료된 merchant_uid입니다: x_paid");
    http_res_free(&r);

    /* malformed requests, naming the field: HTTP 200, as these operations
     * list 200 and 401 only (reference §16.0) */
    post_json_expect("/subscribe/payments/schedule", "{\"customer_uid\":\"cust_x\"}", 200, -1,
                     "schedules 파라미터는 필수입니다.");
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_x\",\"schedules\":[]}", 200, -1, NULL);
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_x\",\"schedules\":[{\"merchant_uid\":\"y\","
                     "\"amount\":1000}]}",
                     200, -1, "schedules[0]: schedule_at 파라미터는 필수입니다.");
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_x\",\"schedules\":[{\"merchant_uid\":\"y\","
                     "\"schedule_at\":1800000000,\"amount\":0}]}",
                     200, -1, "schedules[0]: amount 파라미터는 0보다 커야 합니다.");
    post_json_expect(
        "/subscribe/payments/schedule",
        "{\"customer_uid\":\"cust_x\",\"schedules\":[{\"merchant_uid\":\"y\","
        "\"schedule_at\":1800000000,\"amount\":1000,\"notice_url\":\"ftp://x\"}]}",
        200, -1,
        "schedules[0].notice_url 파라미터는 http:// 또는 https:// URL(또는 그 배열)이어야 "
        "합니다.");
    post_json_expect("/subscribe/payments/again",
                     "{\"customer_uid\":\"cust_x\",\"merchant_uid\":\"z\",\"amount\":1000,"
                     "\"notice_url\":[\"https://ok.example/h\",\"not a url\"]}",
                     200, -1,
                     "notice_url 파라미터는 http:// 또는 https:// URL(또는 그 배열)이어야 합니다.");

    /* card data issues the key first, on the key-in channel */
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_new\",\"card_number\":\"4242-4242-4242-4242\","
                     "\"expiry\":\"2099-12\",\"schedules\":[{\"merchant_uid\":\"n_1\","
                     "\"schedule_at\":1800000000,\"amount\":1000}]}",
                     200, 0, NULL);
    http_get(&M, "/subscribe/customers/cust_new", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "pg_provider"), "nice");
    http_res_free(&r);
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_bad\",\"card_number\":\"4000-0000-0000-0069\","
                     "\"expiry\":\"2099-12\",\"schedules\":[{\"merchant_uid\":\"b_1\","
                     "\"schedule_at\":1800000000,\"amount\":1000}]}",
                     200, 1, "카드정보 확인에 실패하였습니다. [F112]유효기간 경과카드");
    /* never for Kakao Pay: its keys come from the window only */
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_kp\",\"pg\":\"kakaopay\",\"card_number\":"
                     "\"4242-4242-4242-4242\",\"expiry\":\"2099-12\",\"schedules\":[{"
                     "\"merchant_uid\":\"k_1\",\"schedule_at\":1800000000,\"amount\":1000}]}",
                     200, 1,
                     "kakaopay는 카드정보를 이용한 빌링키 발급 및 결제를 지원하지 않습니다. "
                     "결제창(IMP.request_pay)을 이용해주세요.");
    http_get(&M, "/subscribe/customers/cust_kp", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);

    /* a form body, as the PHP client sends it */
    http_do(&M, "POST", "/subscribe/payments/schedule", "application/x-www-form-urlencoded",
            "customer_uid=cust_x&schedules%5B0%5D%5Bmerchant_uid%5D=f_1"
            "&schedules%5B0%5D%5Bschedule_at%5D=1800000000&schedules%5B0%5D%5Bamount%5D=1000"
            "&schedules%5B0%5D%5Bnotice_url%5D=&schedules%5B1%5D%5Bmerchant_uid%5D=f_2"
            "&schedules%5B1%5D%5Bschedule_at%5D=1800000100&schedules%5B1%5D%5Bamount%5D=2000",
            M.token, &r);
    assert_int_equal(env_code(&r), 0);
    assert_int_equal(cJSON_GetArraySize(env_response(&r)), 2);
    assert_int_equal((int)json_num(cJSON_GetArrayItem(env_response(&r), 1), "amount"), 2000);
    http_res_free(&r);
}

/* "" is "not given" in an item's texts too (they were once kept as ""),
 * the custom_data limit is named as on again, and an item's fields are all
 * read before its order rules are checked (the rules once came first). */
static void test_item_fields(void **state)
{
    (void)state;
    start_with(NULL);
    issue("cust_e", "4242-4242-4242-4242");
    struct http_res r;
    schedule_raw("cust_e",
                 "{\"merchant_uid\":\"e_1\",\"schedule_at\":1704121200,\"amount\":9900,"
                 "\"name\":\"\",\"buyer_name\":\"\",\"buyer_tel\":\"\",\"currency\":\"\","
                 "\"custom_data\":\"\",\"promotion_id\":\"\",\"notice_url\":\"\"}",
                 &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    cJSON *s = cJSON_GetArrayItem(env_response(&r), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "name")));
    assert_string_equal(json_str(s, "buyer_name"), "Hong"); /* the key's customer_name */
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "buyer_tel")));
    assert_string_equal(json_str(s, "currency"), "KRW");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "custom_data")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "promotion_id")));
    http_res_free(&r);

    /* card data with pg "" issues the key on the merchant's key-in channel */
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_e2\",\"pg\":\"\",\"card_number\":"
                     "\"4242-4242-4242-4242\",\"expiry\":\"2099-12\",\"customer_name\":\"\","
                     "\"schedules\":[{\"merchant_uid\":\"e_2\",\"schedule_at\":1800000000,"
                     "\"amount\":1000}]}",
                     200, 0, NULL);
    http_get(&M, "/subscribe/customers/cust_e2", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "pg_provider"), "nice");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(env_response(&r), "customer_name")));
    http_res_free(&r);

    size_t cap = 17000 + 256;
    char *big = malloc(cap);
    assert_non_null(big);
    int n = snprintf(big, cap,
                     "{\"customer_uid\":\"cust_e\",\"schedules\":[{\"merchant_uid\":\"e_3\","
                     "\"schedule_at\":1800000000,\"amount\":1000,\"custom_data\":\"");
    memset(big + n, 'x', 16385);
    snprintf(big + n + 16385, cap - (size_t)n - 16385, "\"}]}");
    post_json_expect("/subscribe/payments/schedule", big, 200, -1,
                     "schedules[0]: custom_data 파라미터가 너무 깁니다 (최대 16384바이트).");
    free(big);

    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_e\",\"schedules\":[{\"merchant_uid\":\"e_4\","
                     "\"schedule_at\":1800000000,\"amount\":0,\"buyer_name\":7}]}",
                     200, -1, "schedules[0]: buyer_name 파라미터는 문자열이어야 합니다.");
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_e\",\"schedules\":[{\"merchant_uid\":\"e_5\","
                     "\"schedule_at\":1800000000,\"amount\":1000,\"card_quota\":3}]}",
                     200, -1, "schedules[0]: 할부거래는 50,000원 이상 결제건만 가능합니다.");
    post_json_expect("/subscribe/payments/schedule",
                     "{\"customer_uid\":\"cust_e\",\"schedules\":[7]}", 200, -1,
                     "schedules[0]: 각 항목은 객체여야 합니다.");
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_schedule_runs_on_advance, stop),
        cmocka_unit_test_teardown(test_year_of_renewals, stop),
        cmocka_unit_test_teardown(test_renewal_declined_scenario, stop),
        cmocka_unit_test_teardown(test_runs_in_real_time, stop),
        cmocka_unit_test_teardown(test_unschedule, stop),
        cmocka_unit_test_teardown(test_reschedule_retry, stop),
        cmocka_unit_test_teardown(test_cancelled_payment_status, stop),
        cmocka_unit_test_teardown(test_lists, stop),
        cmocka_unit_test_teardown(test_refusals, stop),
        cmocka_unit_test_teardown(test_item_fields, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
