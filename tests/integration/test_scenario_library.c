/* test_scenario_library.c - every scenario in scenarios/ loaded with one
 * --scenario flag and reproduced over real HTTP, checking both what the
 * client saw and what the API reports afterwards. */
#include "harness.h"

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
#include <pthread.h>

static struct mock M;

static void start(const char *file)
{
    static char path[512];
    const char *dir = getenv("TEST_SCENARIO_DIR");
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    const char *args[] = {"--scenario", path, NULL};
    mock_start(&M, args);
    mock_login(&M);
}

static int stop(void **state)
{
    (void)state;
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0; /* a sanitizer report fails the test */
}

static void issue_key(const char *uid, struct http_res *res)
{
    char path[128];
    snprintf(path, sizeof path, "/subscribe/customers/%s", uid);
    http_post_json(&M, path, "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}",
                   res);
}

static void issue_ok(const char *uid)
{
    struct http_res r;
    issue_key(uid, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

static void again(const struct mock *m, const char *uid, const char *muid, struct http_res *res)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"%s\",\"merchant_uid\":\"%s\",\"amount\":9900,"
             "\"name\":\"Monthly plan\"}",
             uid, muid);
    http_post_json(m, "/subscribe/payments/again", body, res);
}

/* again must answer code 0; returns the payment status and keeps fail_reason. */
static void again_expect(const char *uid, const char *muid, const char *status,
                         const char *fail_reason)
{
    struct http_res r;
    again(&M, uid, muid, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    cJSON *p = env_response(&r);
    assert_string_equal(json_str(p, "status"), status);
    if (fail_reason)
        assert_string_equal(json_str(p, "fail_reason"), fail_reason);
    else
        assert_null(json_str(p, "fail_reason"));
    http_res_free(&r);
}

static void test_renewal_declined_third_charge(void **state)
{
    (void)state;
    start("renewal-declined-third-charge.json");
    issue_ok("cust_a");
    issue_ok("cust_b");
    again_expect("cust_a", "a_1", "paid", NULL);
    again_expect("cust_a", "a_2", "paid", NULL);
    again_expect("cust_b", "b_1", "paid", NULL); /* counted per key */
    again_expect("cust_a", "a_3", "failed", "[F302]잔액부족");
    again_expect("cust_a", "a_4", "paid", NULL);
    /* the declined renewal is stored and visible */
    struct http_res r;
    http_get(&M, "/payments/find/a_3", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "status"), "failed");
    assert_true(json_num(env_response(&r), "failed_at") > 0);
    http_res_free(&r);
}

static void test_suspended_card_customer(void **state)
{
    (void)state;
    start("suspended-card-customer.json");
    issue_ok("suspended-1");
    issue_ok("fine-1");
    again_expect("suspended-1", "s_1", "failed", "[F104]거래정지카드");
    again_expect("suspended-1", "s_2", "failed", "[F104]거래정지카드");
    again_expect("fine-1", "f_1", "paid", NULL);
    /* the same outcome through another door: onetime storing the key */
    struct http_res r;
    http_post_json(&M, "/subscribe/payments/onetime",
                   "{\"merchant_uid\":\"s_once\",\"amount\":1000,\"card_number\":"
                   "\"4242-4242-4242-4242\",\"expiry\":\"2099-12\",\"customer_uid\":"
                   "\"suspended-2\"}",
                   &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "status"), "failed");
    assert_string_equal(json_str(env_response(&r), "fail_reason"), "[F104]거래정지카드");
    http_res_free(&r);
}

struct racer {
    const char *muid;
    int code;
    char status[16];
};

static void *race(void *arg)
{
    struct racer *rc = arg;
    struct http_res r;
    again(&M, "dc_1", rc->muid, &r);
    rc->code = env_code(&r);
    const char *st = json_str(env_response(&r), "status");
    snprintf(rc->status, sizeof rc->status, "%s", st ? st : "");
    http_res_free(&r);
    return NULL;
}

static void test_duplicate_order_double_click(void **state)
{
    (void)state;
    start("duplicate-order-double-click.json");
    issue_ok("dc_1");
    struct racer rs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        rs[i] = (struct racer){.muid = "order_dc"};
        assert_int_equal(pthread_create(&th[i], NULL, race, &rs[i]), 0);
    }
    int paid = 0, refused = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        if (rs[i].code == 0 && strcmp(rs[i].status, "paid") == 0)
            paid++;
        else if (rs[i].code == 1)
            refused++;
    }
    assert_int_equal(paid, 1);
    assert_int_equal(refused, 3);
    /* a later click is refused as already paid */
    struct http_res r;
    again(&M, "dc_1", "order_dc", &r);
    assert_int_equal(env_code(&r), 1);
    assert_string_equal(env_message(&r), "이미 결제가 이루어진 거래건입니다.");
    http_res_free(&r);
    http_get(&M, "/payments/findAll/order_dc", &r);
    assert_int_equal((int)json_num(env_response(&r), "total"), 1);
    http_res_free(&r);
}

static void test_zero_amount_key_then_first_charge_declined(void **state)
{
    (void)state;
    start("zero-amount-key-then-first-charge-declined.json");
    struct http_res r;
    issue_key("zk_1", &r);
    assert_int_equal(env_code(&r), 0); /* the 0-won authorisation passes */
    http_res_free(&r);
    again_expect("zk_1", "zk_first", "failed", "[F601]거래거절 카드사 승인거절");
    again_expect("zk_1", "zk_second", "paid", NULL);
    /* a retry of the failed order is allowed and gets a new imp_uid */
    again_expect("zk_1", "zk_first", "paid", NULL);
    http_get(&M, "/payments/findAll/zk_first", &r);
    assert_int_equal((int)json_num(env_response(&r), "total"), 2);
    http_res_free(&r);
}

static void test_token_expires_mid_flow(void **state)
{
    (void)state;
    start("token-expires-mid-flow.json");
    issue_ok("te_1");
    char old[64];
    snprintf(old, sizeof old, "%s", M.token);
    struct http_res r;
    again(&M, "te_1", "te_order", &r);
    assert_int_equal(r.status, 401);
    assert_string_equal(env_message(&r), "Unauthorized");
    http_res_free(&r);
    http_get(&M, "/payments/findAll/te_order", &r); /* the old token is gone for good */
    assert_int_equal(r.status, 401);
    http_res_free(&r);
    mock_login(&M);
    assert_string_not_equal(M.token, old);
    http_get(&M, "/payments/findAll/te_order", &r); /* nothing was charged */
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    again_expect("te_1", "te_order", "paid", NULL);
}

static void test_pg_timeout(void **state)
{
    (void)state;
    start("pg-timeout.json");
    issue_ok("pt_1");
    struct http_res r;
    double t0 = now_ms();
    again(&M, "pt_1", "pt_order", &r);
    /* a lower bound only: the scripted wait happened */
    assert_true(now_ms() - t0 >= 1400);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), -1);
    assert_string_equal(env_message(&r), "[F999]PG사 응답시간 초과로 결제에 실패하였습니다.");
    assert_true(cJSON_IsNull(env_response(&r)));
    http_res_free(&r);
    http_get(&M, "/payments/findAll/pt_order", &r);
    assert_int_equal(r.status, 404); /* nothing stored */
    http_res_free(&r);
    again_expect("pt_1", "pt_order", "paid", NULL);
}

static void test_iamport_outage(void **state)
{
    (void)state;
    const char *dir = getenv("TEST_SCENARIO_DIR");
    char path[512];
    snprintf(path, sizeof path, "%s/iamport-outage.json", dir);
    const char *args[] = {"--scenario", path, NULL};
    mock_start(&M, args); /* no login: getToken is part of the outage */
    struct http_res r;
    const char *body = "{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"" TEST_IMP_SECRET "\"}";
    for (int i = 0; i < 3; i++) {
        http_do(&M, "POST", "/users/getToken", "application/json", body, NULL, &r);
        assert_int_equal(r.status, 503);
        assert_int_equal(env_code(&r), -1);
        assert_string_equal(env_message(&r), "Service Unavailable");
        http_res_free(&r);
    }
    mock_login(&M); /* recovered */
    http_get(&M, "/payments/imp_000000000000", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

static void test_partial_refund_then_refused(void **state)
{
    (void)state;
    start("partial-refund-then-refused.json");
    issue_ok("pr_1");
    again_expect("pr_1", "pr_order", "paid", NULL);
    struct http_res r;
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"pr_order\",\"amount\":4900}", &r);
    assert_int_equal(env_code(&r), 0);
    assert_int_equal((int)json_num(env_response(&r), "cancel_amount"), 4900);
    http_res_free(&r);
    /* an over-refund is refused by impmock's own rules before the PG is asked */
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"pr_order\",\"amount\":6000}", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), -1); /* the scripted PG refusal answers first */
    http_res_free(&r);
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"pr_order\"}", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), -1);
    assert_string_equal(env_message(&r), "[PG] 부분취소 가능 횟수를 초과하여 취소할 수 없습니다.");
    http_res_free(&r);
    http_get(&M, "/payments/find/pr_order", &r);
    cJSON *p = env_response(&r);
    assert_string_equal(json_str(p, "status"), "paid"); /* nothing changed */
    assert_int_equal((int)json_num(p, "cancel_amount"), 4900);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "cancel_history")), 1);
    http_res_free(&r);
}

static size_t discard(char *p, size_t s, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return s * n;
}

static void test_charge_answer_lost(void **state)
{
    (void)state;
    start("charge-answer-lost.json");
    issue_ok("al_1");
    CURL *c = curl_easy_init();
    char url[256], auth[128];
    snprintf(url, sizeof url, "%s/subscribe/payments/again", M.base);
    snprintf(auth, sizeof auth, "Authorization: %s", M.token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS,
                     "{\"customer_uid\":\"al_1\",\"merchant_uid\":\"al_order\",\"amount\":9900}");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    assert_int_equal(curl_easy_perform(c), CURLE_GOT_NOTHING);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    /* the money moved although the client never heard so */
    struct http_res r;
    http_get(&M, "/payments/find/al_order", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    http_res_free(&r);
    again(&M, "al_1", "al_order", &r); /* a blind retry is refused, not charged twice */
    assert_int_equal(env_code(&r), 1);
    assert_string_equal(env_message(&r), "이미 결제가 이루어진 거래건입니다.");
    http_res_free(&r);
}

static void test_card_rejected_at_issuance(void **state)
{
    (void)state;
    start("card-rejected-at-issuance.json");
    struct http_res r;
    issue_key("badcard-1", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), -1);
    assert_non_null(strstr(env_message(&r), "[F113]거래거절 카드번호틀림"));
    http_res_free(&r);
    http_get(&M, "/subscribe/customers/badcard-1", &r);
    assert_int_equal(r.status, 404); /* no key stored */
    http_res_free(&r);
    issue_ok("goodcard-1");
}

static void test_slow_api(void **state)
{
    (void)state;
    start("slow-api.json");
    struct http_res r;
    double t0 = now_ms();
    http_get(&M, "/payments/imp_000000000000", &r);
    assert_true(now_ms() - t0 >= 1900);
    assert_int_equal(r.status, 404); /* then the real answer */
    http_res_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_renewal_declined_third_charge, stop),
        cmocka_unit_test_teardown(test_suspended_card_customer, stop),
        cmocka_unit_test_teardown(test_duplicate_order_double_click, stop),
        cmocka_unit_test_teardown(test_zero_amount_key_then_first_charge_declined, stop),
        cmocka_unit_test_teardown(test_token_expires_mid_flow, stop),
        cmocka_unit_test_teardown(test_pg_timeout, stop),
        cmocka_unit_test_teardown(test_iamport_outage, stop),
        cmocka_unit_test_teardown(test_partial_refund_then_refused, stop),
        cmocka_unit_test_teardown(test_charge_answer_lost, stop),
        cmocka_unit_test_teardown(test_card_rejected_at_issuance, stop),
        cmocka_unit_test_teardown(test_slow_api, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
