/* test_cancel.c - POST /payments/cancel over real HTTP (reference §3.7):
 * which payment is named, full and partial cancels, tax_free, checksum, every
 * refusal, and concurrent cancels of one payment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct mock M;

/* The default merchant plus seeded payments that no API door can make. */
static const char fixture_json[] =
    "{\"merchants\":[{\"merchant_code\":\"imp00000000\",\"imp_key\":\"" TEST_IMP_KEY "\","
    "\"imp_secret\":\"" TEST_IMP_SECRET "\",\"channels\":["
    "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"},"
    "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\",\"kind\":\"subscription\"},"
    "{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}],"
    "\"payments\":["
    "{\"imp_uid\":\"imp_100000000001\",\"merchant_uid\":\"seed_ready\",\"status\":\"ready\","
    "\"amount\":1000},"
    "{\"imp_uid\":\"imp_100000000002\",\"merchant_uid\":\"seed_kakao\",\"status\":\"paid\","
    "\"amount\":5000,\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\","
    "\"pg_tid\":\"T4feb5797514397723d5\",\"pay_method\":\"point\","
    "\"receipt_url\":\"https://mockup-pg-web.kakao.com/v1/confirmation/p/T4feb5797514397723d5/"
    "00\"}]}]}";

/* ---- helpers ---- */

static void post(const char *path, const char *json, struct http_res *res)
{
    http_post_json(&M, path, json, res);
}

static cJSON *history(const cJSON *p)
{
    return cJSON_GetObjectItemCaseSensitive(p, "cancel_history");
}

/* A paid payment of `amount` (tax_free part given) made with a billing key;
 * its imp_uid goes to ret_imp_uid. */
static void paid_payment(const char *muid, long amount, long tax_free, char ret_imp_uid[32])
{
    struct http_res r;
    post("/subscribe/customers/cancel_key",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}", &r);
    env_ok(&r);
    http_res_free(&r);
    char body[256];
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"cancel_key\",\"merchant_uid\":\"%s\",\"amount\":%ld,"
             "\"tax_free\":%ld,\"name\":\"주문\"}",
             muid, amount, tax_free);
    post("/subscribe/payments/again", body, &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    snprintf(ret_imp_uid, 32, "%s", json_str(p, "imp_uid"));
    http_res_free(&r);
}

static void get_payment(const char *imp_uid, struct http_res *res)
{
    char path[64];
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    http_get(&M, path, res);
}

/* ---- tests ---- */

static void test_partial_then_full(void **state)
{
    (void)state;
    char uid[32], body[256];
    struct http_res r;
    paid_payment("cx_pf", 10000, 0, uid);

    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":3000,\"reason\":\"부분 환불\"}",
             uid);
    post("/payments/cancel", body, &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid"); /* partial: still paid */
    assert_int_equal(json_num(p, "cancel_amount"), 3000);
    assert_string_equal(json_str(p, "cancel_reason"), "부분 환불");
    assert_true(json_num(p, "cancelled_at") > 0);
    cJSON *h = history(p);
    assert_int_equal(cJSON_GetArraySize(h), 1);
    cJSON *e = cJSON_GetArrayItem(h, 0);
    assert_string_equal(json_str(e, "pg_tid"), json_str(p, "pg_tid"));
    assert_int_equal(json_num(e, "amount"), 3000);
    assert_string_equal(json_str(e, "reason"), "부분 환불");
    assert_true(json_num(e, "cancelled_at") > 0);
    const char *cid = json_str(e, "cancellation_id");
    assert_non_null(cid);
    assert_true(strlen(cid) >= 20);
    assert_string_equal(json_str(e, "receipt_url"), json_str(p, "receipt_url"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "cancel_receipt_urls")),
                     1);
    char first_cid[64];
    snprintf(first_cid, sizeof first_cid, "%s", cid);
    http_res_free(&r);

    /* merchant_uid alone names the paid payment; amount omitted = the rest */
    post("/payments/cancel", "{\"merchant_uid\":\"cx_pf\",\"reason\":\"전액 환불\"}", &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "imp_uid"), uid);
    assert_string_equal(json_str(p, "status"), "cancelled");
    assert_int_equal(json_num(p, "cancel_amount"), 10000);
    h = history(p);
    assert_int_equal(cJSON_GetArraySize(h), 2);
    assert_int_equal(json_num(cJSON_GetArrayItem(h, 1), "amount"), 7000);
    assert_string_not_equal(json_str(cJSON_GetArrayItem(h, 1), "cancellation_id"), first_cid);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "cancel_receipt_urls")),
                     2);
    http_res_free(&r);

    get_payment(uid, &r); /* the lookup agrees */
    p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "cancelled");
    assert_int_equal(cJSON_GetArraySize(history(p)), 2);
    http_res_free(&r);
    http_get(&M, "/payments/find/cx_pf/cancelled", &r);
    env_ok(&r);
    http_res_free(&r);

    post("/payments/cancel", "{\"merchant_uid\":\"cx_pf\"}", &r);
    env_refused(&r, 200, 1, "이미 전액취소된 주문입니다.");
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":1}", uid);
    post("/payments/cancel", body, &r);
    env_refused(&r, 200, 1, "이미 전액취소된 주문입니다.");
    http_res_free(&r);
}

static void test_amount_zero_is_full(void **state)
{
    (void)state;
    char uid[32], body[128];
    struct http_res r;
    paid_payment("cx_zero", 4000, 0, uid);
    snprintf(body, sizeof body, "imp_uid=%s&amount=0", uid);
    http_do(&M, "POST", "/payments/cancel", "application/x-www-form-urlencoded", body, M.token, &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "cancelled");
    assert_int_equal(json_num(p, "cancel_amount"), 4000);
    http_res_free(&r);
}

static void test_over_cancel_refused(void **state)
{
    (void)state;
    char uid[32], body[128];
    struct http_res r;
    paid_payment("cx_over", 5000, 0, uid);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":2000}", uid);
    post("/payments/cancel", body, &r);
    env_ok(&r);
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":3001}", uid);
    post("/payments/cancel", body, &r);
    env_refused(&r, 200, 1, "취소요청금액이 취소가능잔액을 초과합니다. (취소가능잔액: 3000원)");
    http_res_free(&r);
    get_payment(uid, &r);
    cJSON *p = env_ok(&r);
    assert_int_equal(json_num(p, "cancel_amount"), 2000);
    assert_int_equal(cJSON_GetArraySize(history(p)), 1);
    http_res_free(&r);
}

/* A payment takes at most 100 cancels, the last of them for the whole
 * balance: a partial cancel that would fill the history is refused (HTTP 200,
 * code 1, nothing changed), a full one is taken. */
static void test_history_bounded(void **state)
{
    (void)state;
    char uid[32], body[128];
    struct http_res r;
    paid_payment("cx_history", 10000, 0, uid);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":1}", uid);
    for (int i = 0; i < 99; i++) {
        post("/payments/cancel", body, &r);
        env_ok(&r);
        http_res_free(&r);
    }
    post("/payments/cancel", body, &r);
    env_refused(
        &r, 200, 1,
        "한 결제건의 취소 내역은 최대 100건이며, 마지막 취소는 남은 금액 전액이어야 합니다.");
    http_res_free(&r);
    get_payment(uid, &r);
    cJSON *p = env_ok(&r);
    assert_int_equal(json_num(p, "cancel_amount"), 99);
    assert_int_equal(cJSON_GetArraySize(history(p)), 99);
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\"}", uid);
    post("/payments/cancel", body, &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "cancelled");
    assert_int_equal(json_num(p, "cancel_amount"), 10000);
    assert_int_equal(cJSON_GetArraySize(history(p)), 100);
    http_res_free(&r);
}

static void test_checksum(void **state)
{
    (void)state;
    char uid[32], body[128];
    struct http_res r;
    paid_payment("cx_sum", 8000, 0, uid);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":1000,\"checksum\":8000}", uid);
    post("/payments/cancel", body, &r);
    env_ok(&r);
    http_res_free(&r);
    get_payment(uid, &r);
    cJSON *before = cJSON_Duplicate(env_ok(&r), 1);
    http_res_free(&r);

    /* the caller still thinks 8000 is cancellable: refused, nothing changes */
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":1000,\"checksum\":8000}", uid);
    post("/payments/cancel", body, &r);
    env_refused(&r, 200, 1, "checksum이 취소가능잔액과 일치하지 않습니다. (취소가능잔액: 7000원)");
    http_res_free(&r);
    get_payment(uid, &r);
    assert_true(cJSON_Compare(before, env_ok(&r), 1));
    http_res_free(&r);
    cJSON_Delete(before);

    /* null checksum = no check; the right one passes */
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":1000,\"checksum\":null}", uid);
    post("/payments/cancel", body, &r);
    assert_int_equal(json_num(env_ok(&r), "cancel_amount"), 2000);
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"checksum\":6000}", uid);
    post("/payments/cancel", body, &r);
    assert_string_equal(json_str(env_ok(&r), "status"), "cancelled");
    http_res_free(&r);
}

static void test_tax_free(void **state)
{
    (void)state;
    char uid[32], body[128];
    struct http_res r;
    paid_payment("cx_tf", 10000, 4000, uid);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":5000,\"tax_free\":4001}", uid);
    post("/payments/cancel", body, &r);
    env_refused(&r, 200, 1,
                "면세 취소금액이 취소가능한 면세금액을 초과합니다. (취소가능 면세금액: 4000원)");
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":3000,\"tax_free\":3000}", uid);
    post("/payments/cancel", body, &r);
    assert_int_equal(json_num(env_ok(&r), "cancel_amount"), 3000);
    http_res_free(&r);
    /* 1000 tax-free remains: 2000 more is too much */
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":2000,\"tax_free\":2000}", uid);
    post("/payments/cancel", body, &r);
    env_refused(&r, 200, 1,
                "면세 취소금액이 취소가능한 면세금액을 초과합니다. (취소가능 면세금액: 1000원)");
    http_res_free(&r);
    /* taxable balance is 6000: a 6500 cancel needs 500 of it tax-free */
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":6500}", uid);
    post("/payments/cancel", body, &r);
    env_refused(&r, 200, 1,
                "과세 취소금액이 취소가능한 과세금액을 초과합니다. (취소가능 과세금액: 6000원)");
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":6500,\"tax_free\":500}", uid);
    post("/payments/cancel", body, &r);
    env_ok(&r);
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\"}", uid);
    post("/payments/cancel", body, &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "cancelled");
    assert_int_equal(json_num(p, "cancel_amount"), 10000);
    http_res_free(&r);
}

static void test_which_payment(void **state)
{
    (void)state;
    char uid[32], body[160];
    struct http_res r;
    paid_payment("cx_who", 1000, 0, uid);

    /* imp_uid wins: an unknown one fails even with a valid merchant_uid */
    post("/payments/cancel", "{\"imp_uid\":\"imps_999999999999\",\"merchant_uid\":\"cx_who\"}", &r);
    env_refused(&r, 200, 1, "취소할 결제건이 존재하지 않습니다.");
    http_res_free(&r);
    post("/payments/cancel", "{\"merchant_uid\":\"cx_nothing\"}", &r);
    env_refused(&r, 200, 1, "취소할 결제건이 존재하지 않습니다.");
    http_res_free(&r);
    post("/payments/cancel", "{\"amount\":100}", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 1);
    assert_non_null(strstr(env_message(&r), "지정해주셔야합니다."));
    http_res_free(&r);
    post("/payments/cancel", "{\"imp_uid\":\"\",\"merchant_uid\":\"\"}", &r);
    assert_non_null(strstr(env_message(&r), "지정해주셔야합니다."));
    http_res_free(&r);

    /* a known imp_uid wins over a mismatched merchant_uid */
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"merchant_uid\":\"cx_nothing\"}", uid);
    post("/payments/cancel", body, &r);
    assert_string_equal(json_str(env_ok(&r), "status"), "cancelled");
    http_res_free(&r);

    /* unknown fields (cancel_request_amount) are ignored: a full cancel */
    paid_payment("cx_who2", 1000, 0, uid);
    post("/payments/cancel", "{\"merchant_uid\":\"cx_who2\",\"cancel_request_amount\":10}", &r);
    assert_int_equal(json_num(env_ok(&r), "cancel_amount"), 1000);
    http_res_free(&r);
}

static void test_unpaid_refused(void **state)
{
    (void)state;
    struct http_res r;
    const char *not_paid = "결제완료 상태가 아닌 결제건은 취소할 수 없습니다.";
    post("/subscribe/customers/cx_decline",
         "{\"card_number\":\"4000-0000-0000-0002\",\"expiry\":\"2099-12\"}", &r);
    env_ok(&r);
    http_res_free(&r);
    post("/subscribe/payments/again",
         "{\"customer_uid\":\"cx_decline\",\"merchant_uid\":\"cx_failed\",\"amount\":1000}", &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "failed");
    char body[96];
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\"}", json_str(p, "imp_uid"));
    http_res_free(&r);
    post("/payments/cancel", body, &r);
    env_refused(&r, 200, 1, not_paid);
    http_res_free(&r);
    post("/payments/cancel", "{\"merchant_uid\":\"cx_failed\"}", &r);
    env_refused(&r, 200, 1, not_paid);
    http_res_free(&r);

    post("/payments/cancel", "{\"imp_uid\":\"imp_100000000001\"}", &r); /* seeded, ready */
    env_refused(&r, 200, 1, not_paid);
    http_res_free(&r);
    post("/payments/cancel", "{\"merchant_uid\":\"seed_ready\"}", &r);
    env_refused(&r, 200, 1, not_paid);
    http_res_free(&r);
}

static void test_kakao_history(void **state)
{
    (void)state;
    struct http_res r;
    /* Kakao Pay: the history's pg_tid is the TID, its receipt the payment's */
    post("/payments/cancel", "{\"imp_uid\":\"imp_100000000002\",\"amount\":500}", &r);
    cJSON *p = env_ok(&r);
    cJSON *e = cJSON_GetArrayItem(history(p), 0);
    assert_string_equal(json_str(e, "pg_tid"), "T4feb5797514397723d5");
    assert_string_equal(json_str(e, "receipt_url"), json_str(p, "receipt_url"));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(e, "reason")));
    http_res_free(&r);
}

static void test_bad_params(void **state)
{
    (void)state;
    struct http_res r;
    /* cancel lists 200 and 401 only (reference §16.0): a bad field is HTTP
     * 200 with code -1, so clients that treat other statuses as transport
     * errors still read why */
    post("/payments/cancel", "{\"merchant_uid\":\"x\",\"amount\":\"100\"}", &r);
    env_refused(&r, 200, -1, "amount 파라미터는 숫자여야 합니다 (문자열 불가).");
    http_res_free(&r);
    post("/payments/cancel", "{\"merchant_uid\":\"x\",\"amount\":1.5}", &r);
    env_refused(&r, 200, -1, "amount 파라미터는 원 단위 정수여야 합니다.");
    http_res_free(&r);
    post("/payments/cancel", "{\"merchant_uid\":\"x\",\"amount\":-1}", &r);
    env_refused(&r, 200, -1, "amount 파라미터는 0 이상이어야 합니다.");
    http_res_free(&r);
    post("/payments/cancel", "{\"merchant_uid\":\"x\",\"refund_bank\":\"12345678901234567\"}", &r);
    env_refused(&r, 200, -1, "refund_bank 파라미터가 너무 깁니다 (최대 16바이트).");
    http_res_free(&r);
}

#define RACERS 16

struct racer {
    pthread_barrier_t *start;
    const char *body;
    struct http_res res;
};

static void *race(void *arg)
{
    struct racer *rc = arg;
    pthread_barrier_wait(rc->start);
    http_do(&M, "POST", "/payments/cancel", "application/json", rc->body, M.token, &rc->res);
    return NULL;
}

static void test_concurrent_cancels(void **state)
{
    (void)state;
    char uid[32], body[128];
    paid_payment("cx_race", 1000, 0, uid); /* room for exactly 10 cancels of 100 */
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":100}", uid);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACERS);
    pthread_t th[RACERS];
    static struct racer rc[RACERS];
    for (int i = 0; i < RACERS; i++) {
        rc[i].start = &start;
        rc[i].body = body;
        assert_int_equal(pthread_create(&th[i], NULL, race, &rc[i]), 0);
    }
    int ok = 0, refused = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(rc[i].res.status, 200);
        ok += env_code(&rc[i].res) == 0;
        refused += env_code(&rc[i].res) == 1;
        http_res_free(&rc[i].res);
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 10);
    assert_int_equal(refused, RACERS - 10);
    struct http_res r;
    get_payment(uid, &r);
    cJSON *p = env_ok(&r);
    assert_int_equal(json_num(p, "cancel_amount"), 1000);
    assert_int_equal(cJSON_GetArraySize(history(p)), 10);
    assert_string_equal(json_str(p, "status"), "cancelled");
    http_res_free(&r);
}

/* ---- main ---- */

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_ALL);
    mock_start_fixtures(&M, fixture_json, NULL);
    mock_login(&M);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int rc = mock_stop(&M);
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_then_full),
        cmocka_unit_test(test_amount_zero_is_full),
        cmocka_unit_test(test_over_cancel_refused),
        cmocka_unit_test(test_history_bounded),
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_tax_free),
        cmocka_unit_test(test_which_payment),
        cmocka_unit_test(test_unpaid_refused),
        cmocka_unit_test(test_kakao_history),
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_concurrent_cancels),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
