/* test_billing.c - billing keys, again, onetime, declines, duplicates and
 * pre-registration over real HTTP against a real impmock (reference §5, §6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static struct mock M; /* one server for the whole file (its --quiet default) */

/* ---- helpers ---- */

static void post(const char *path, const char *json, struct http_res *res)
{
    http_post_json(&M, path, json, res);
}

static void post_form(const char *path, const char *form, struct http_res *res)
{
    http_do(&M, "POST", path, "application/x-www-form-urlencoded", form, M.token, res);
}

static void issue_key(const char *uid, const char *number, struct http_res *res)
{
    char path[256], body[512];
    snprintf(path, sizeof path, "/subscribe/customers/%s", uid);
    snprintf(body, sizeof body,
             "{\"card_number\":\"%s\",\"expiry\":\"2099-12\",\"birth\":\"900101\","
             "\"pwd_2digit\":\"00\",\"customer_name\":\"홍길동\",\"customer_email\":"
             "\"hong@example.com\",\"customer_id\":\"member-7\"}",
             number);
    post(path, body, res);
}

static void issue_ok(const char *uid, const char *number)
{
    struct http_res r;
    issue_key(uid, number, &r);
    env_ok(&r);
    http_res_free(&r);
}

static void again(const char *uid, const char *muid, long amount, struct http_res *res)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"%s\",\"merchant_uid\":\"%s\",\"amount\":%ld,"
             "\"name\":\"월간 이용권\"}",
             uid, muid, amount);
    post("/subscribe/payments/again", body, res);
}

/* An again that reaches the card company, ending with `status`. */
static void again_expect(const char *uid, const char *muid, long amount, const char *status)
{
    struct http_res r;
    again(uid, muid, amount, &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), status);
    http_res_free(&r);
}

static void advance_clock(int seconds)
{
    char body[64];
    struct http_res r;
    snprintf(body, sizeof body, "{\"advance\":%d}", seconds);
    http_do(&M, "POST", "/__mock/clock", "application/json", body, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
}

static bool imps_format(const char *imp_uid)
{
    if (!imp_uid || strlen(imp_uid) != 17 || strncmp(imp_uid, "imps_", 5) != 0)
        return false;
    for (int i = 5; i < 17; i++)
        if (imp_uid[i] < '0' || imp_uid[i] > '9')
            return false;
    return true;
}

/* ---- billing keys ---- */

static void test_key_lifecycle(void **state)
{
    (void)state;
    struct http_res r;
    issue_key("life_1", "4242-4242-4242-4242", &r);
    cJSON *c = env_ok(&r);
    assert_string_equal(json_str(c, "customer_uid"), "life_1");
    assert_string_equal(json_str(c, "pg_provider"), "nice");
    assert_string_equal(json_str(c, "pg_id"), "nictest04m");
    assert_string_equal(json_str(c, "card_number"), "424242******4242");
    assert_string_equal(json_str(c, "card_name"), "신한카드");
    assert_string_equal(json_str(c, "card_code"), "366");
    assert_int_equal(json_num(c, "card_type"), 0);
    assert_string_equal(json_str(c, "customer_name"), "홍길동");
    assert_string_equal(json_str(c, "customer_email"), "hong@example.com");
    assert_string_equal(json_str(c, "customer_id"), "member-7");
    assert_true(json_is_null(c, "customer_tel"));
    double inserted = json_num(c, "inserted");
    assert_true(inserted > 0);
    assert_true(json_num(c, "updated") == inserted);
    http_res_free(&r);

    http_get(&M, "/subscribe/customers/life_1", &r);
    c = env_ok(&r);
    assert_string_equal(json_str(c, "card_number"), "424242******4242");
    http_res_free(&r);

    /* the same customer_uid again: the newest card replaces the old one */
    advance_clock(60);
    issue_key("life_1", "4000-0000-0000-0002", &r);
    c = env_ok(&r);
    assert_string_equal(json_str(c, "card_number"), "400000******0002");
    assert_string_equal(json_str(c, "card_name"), "KB국민카드");
    assert_true(json_num(c, "inserted") == inserted);
    assert_true(json_num(c, "updated") >= inserted + 60);
    http_res_free(&r);

    http_do(&M, "DELETE", "/subscribe/customers/life_1?reason=test&extra[requester]=admin", NULL,
            NULL, M.token, &r);
    c = env_ok(&r);
    assert_string_equal(json_str(c, "customer_uid"), "life_1");
    assert_string_equal(json_str(c, "card_number"), "400000******0002");
    http_res_free(&r);

    const char *gone = "요청하신 customer_uid(life_1)로 등록된 정보를 찾을 수 없습니다.";
    http_get(&M, "/subscribe/customers/life_1", &r);
    env_refused(&r, 404, 1, gone);
    http_res_free(&r);
    http_do(&M, "DELETE", "/subscribe/customers/life_1", NULL, NULL, M.token, &r);
    env_refused(&r, 404, 1, gone);
    http_res_free(&r);
}

static void test_key_form_body(void **state)
{
    (void)state;
    struct http_res r;
    post_form("/subscribe/customers/form_1",
              "card_number=4242-4242-4242-4242&expiry=2099-01&birth=900101&pwd_2digit=12"
              "&pg=nice.nictest04m&customer_tel=01012345678",
              &r);
    cJSON *c = env_ok(&r);
    assert_string_equal(json_str(c, "pg_id"), "nictest04m");
    assert_string_equal(json_str(c, "customer_tel"), "01012345678");
    http_res_free(&r);
}

static void test_key_multi(void **state)
{
    (void)state;
    struct http_res r;
    issue_ok("multi_a", "4242-4242-4242-4242");
    issue_ok("multi_b", "4242-4242-4242-4242");

    http_get(&M, "/subscribe/customers?customer_uid[]=multi_a&customer_uid[]=multi_b", &r);
    cJSON *list = env_ok(&r);
    assert_int_equal(cJSON_GetArraySize(list), 2);
    http_res_free(&r);

    http_get(&M, "/subscribe/customers?customer_uid[0]=multi_a&customer_uid[1]=nobody", &r);
    assert_int_equal(r.status, 207);
    assert_int_equal(env_code(&r), 0);
    list = env_response(&r);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 0), "customer_uid"), "multi_a");
    http_res_free(&r);

    http_get(&M, "/subscribe/customers?customer_uid[]=nobody&customer_uid[]=nobody2", &r);
    assert_int_equal(r.status, 404);
    assert_int_equal(env_code(&r), 1);
    http_res_free(&r);

    /* the multi-key lookup lists no 400 (reference §16.0): HTTP 200 */
    http_get(&M, "/subscribe/customers", &r);
    env_refused(&r, 200, -1, "customer_uid[] 파라미터를 1개 이상 지정해주세요.");
    http_res_free(&r);
}

static void test_key_payments(void **state)
{
    (void)state;
    struct http_res r;
    issue_ok("paged_1", "4242-4242-4242-4242");
    again_expect("paged_1", "paged_o1", 1000, "paid");
    again_expect("paged_1", "paged_o2", 2000, "paid");
    again_expect("paged_1", "paged_o3", 3000, "paid");

    http_get(&M, "/subscribe/customers/paged_1/payments", &r);
    cJSON *pg = env_ok(&r);
    assert_int_equal(json_num(pg, "total"), 3);
    assert_int_equal(json_num(pg, "previous"), 0);
    assert_int_equal(json_num(pg, "next"), 0);
    cJSON *list = cJSON_GetObjectItemCaseSensitive(pg, "list");
    assert_int_equal(cJSON_GetArraySize(list), 3);
    cJSON *p;
    cJSON_ArrayForEach(p, list)
    {
        assert_string_equal(json_str(p, "customer_uid"), "paged_1");
    }
    http_res_free(&r);

    http_get(&M, "/subscribe/customers/paged_1/payments?page=2&limit=2", &r);
    pg = env_ok(&r);
    assert_int_equal(json_num(pg, "previous"), 1);
    assert_int_equal(json_num(pg, "next"), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(pg, "list")), 1);
    http_res_free(&r);

    http_get(&M, "/subscribe/customers/paged_none/payments", &r);
    env_refused(&r, 404, 1, "요청하신 customer_uid(paged_none)로 등록된 정보를 찾을 수 없습니다.");
    http_res_free(&r);
}

static void test_key_refusals(void **state)
{
    (void)state;
    struct http_res r;
    issue_key("bad_1", "4242-4242-4242-4241", &r); /* Luhn fails */
    env_refused(&r, 200, -1,
                "카드정보 인증 및 빌키 발급에 실패하였습니다. [F113]거래거절 카드번호틀림");
    http_res_free(&r);

    issue_key("bad_1", "4000-0000-0000-0069", &r); /* the auth_fail test card */
    env_refused(&r, 200, -1,
                "카드정보 인증 및 빌키 발급에 실패하였습니다. [F112]유효기간 경과카드");
    http_res_free(&r);

    post("/subscribe/customers/bad_1",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2001-01\"}", &r);
    env_refused(&r, 200, -1,
                "카드정보 인증 및 빌키 발급에 실패하였습니다. [F112]유효기간 경과카드");
    http_res_free(&r);

    post("/subscribe/customers/bad_1",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\",\"pg\":\"kakaopay\"}",
         &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 1);
    assert_non_null(strstr(env_message(&r), "kakaopay"));
    http_res_free(&r);

    post("/subscribe/customers/bad_1",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\",\"pg\":\"kakaopay."
         "TCSUBSCRIP\"}",
         &r);
    assert_int_equal(env_code(&r), 1);
    http_res_free(&r);

    post("/subscribe/customers/bad_1",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\",\"pg\":\"nice.nomid\"}",
         &r);
    env_refused(&r, 200, 1, "비인증결제모듈 사용정보를 찾을 수 없습니다.");
    http_res_free(&r);

    /* issuance lists 200 and 401 only (reference §16.0): bad fields are HTTP 200 */
    post("/subscribe/customers/bad_1", "{\"expiry\":\"2099-01\"}", &r);
    env_refused(&r, 200, -1, "card_number 파라미터는 필수입니다.");
    http_res_free(&r);

    post("/subscribe/customers/bad_1",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"99/01\"}", &r);
    env_refused(&r, 200, -1, "expiry 파라미터는 YYYY-MM 형식의 카드 유효기간이어야 합니다.");
    http_res_free(&r);

    http_get(&M, "/subscribe/customers/bad_1", &r); /* nothing was stored */
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

/* A merchant whose only channels are Kakao Pay's: no key-in module at all,
 * yet a Kakao Pay key charges by API. */
/* Only test cards are cards (a mock approves nothing it made up): a number
 * of a BIN no card company issues from is the PG's refusal, checked before
 * the expiry (the official Go client's sample card 1111-2222-3333-4444 with
 * its 2025-08 expiry); another well-formed number is the card company's. */
static void test_unknown_card_numbers(void **state)
{
    (void)state;
    struct http_res r;
    static const char invalid[] = "[F112]유효하지않은 카드번호를 입력하셨습니다.";
    static const char wrong[] = "[F113]거래거절 카드번호틀림";
    static const struct {
        const char *number, *expiry, *text;
    } cases[] = {
        {"1111-2222-3333-4444", "2025-08", invalid},
        {"1111-2222-3333-4444", "2099-12", invalid},
        {"1234567890123", "2001-01", invalid},
        {"4111-1111-1111-1111", "2099-12", wrong}, /* Luhn-valid, a Visa BIN */
        {"5555-5555-5555-4444", "2099-12", wrong},
        {"9540-4900-0000-1569", "2099-12", wrong}, /* a domestic-only BIN */
    };
    char body[512], want[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"card_number\":\"%s\",\"expiry\":\"%s\",\"merchant_uid\":\"unk_%zu\","
                 "\"amount\":1000,\"birth\":\"911125\",\"pwd_2digit\":\"11\"}",
                 cases[i].number, cases[i].expiry, i);
        post("/subscribe/payments/onetime", body, &r);
        snprintf(want, sizeof want, "카드정보 인증에 실패하였습니다. %s", cases[i].text);
        env_refused(&r, 200, -1, want);
        http_res_free(&r);
        post("/subscribe/customers/unk_key", body, &r);
        snprintf(want, sizeof want, "카드정보 인증 및 빌키 발급에 실패하였습니다. %s",
                 cases[i].text);
        env_refused(&r, 200, -1, want);
        http_res_free(&r);
    }
    /* nothing was stored */
    http_get(&M, "/subscribe/customers/unk_key", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    http_get(&M, "/payments/find/unk_0", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

static void test_kakao_only_merchant(void **state)
{
    (void)state;
    static const char fixtures[] =
        "{\"merchants\":[{\"merchant_code\":\"imp00000000\",\"imp_key\":\"" TEST_IMP_KEY "\","
        "\"imp_secret\":\"" TEST_IMP_SECRET "\",\"channels\":["
        "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"},"
        "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\",\"kind\":\"subscription\"}"
        "],\"customers\":[{\"customer_uid\":\"kakao_key\",\"pg_provider\":\"kakaopay\","
        "\"pg_id\":\"TCSUBSCRIP\",\"customer_name\":\"라이언\"},"
        "{\"customer_uid\":\"kakao_card\",\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\","
        "\"card_number\":\"4242-4242-4242-4242\"}]}]}";
    struct mock k;
    mock_start_fixtures(&k, fixtures, NULL);
    mock_login(&k);
    struct http_res r;
    http_post_json(&k, "/subscribe/customers/k1",
                   "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\"}", &r);
    env_refused(&r, 200, 1, "비인증결제모듈 사용정보를 찾을 수 없습니다.");
    http_res_free(&r);
    http_post_json(&k, "/subscribe/payments/onetime",
                   "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\","
                   "\"merchant_uid\":\"k_o1\",\"amount\":1000}",
                   &r);
    env_refused(&r, 200, 1, "비인증결제모듈 사용정보를 찾을 수 없습니다.");
    http_res_free(&r);

    /* a Kakao Pay key (made in its window; seeded here) still charges by API */
    http_post_json(&k, "/subscribe/payments/again",
                   "{\"customer_uid\":\"kakao_key\",\"merchant_uid\":\"k_o2\",\"amount\":5900}",
                   &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "pg_provider"), "kakaopay");
    assert_string_equal(json_str(p, "pg_id"), "TCSUBSCRIP");
    assert_string_equal(json_str(p, "buyer_name"), "라이언");
    const char *tid = json_str(p, "pg_tid");
    assert_int_equal(strlen(tid), 20);
    assert_int_equal(tid[0], 'T');
    char prefix[128];
    snprintf(prefix, sizeof prefix, "https://mockup-pg-web.kakao.com/v1/confirmation/p/%s/", tid);
    assert_int_equal(strncmp(json_str(p, "receipt_url"), prefix, strlen(prefix)), 0);
    assert_int_equal(strlen(json_str(p, "receipt_url")), strlen(prefix) + 64);
    /* a key that names no card is Kakao Money: rendered as reference §4.1 shows */
    assert_string_equal(json_str(p, "pay_method"), "point");
    assert_string_equal(json_str(p, "channel"), "api");
    assert_string_equal(json_str(p, "customer_uid_usage"), "payment");
    assert_string_equal(json_str(p, "apply_num"), "");
    assert_int_equal(json_num(p, "card_quota"), 0);
    static const char *const nulls[] = {"card_code", "card_name", "card_number",     "card_type",
                                        "bank_code", "bank_name", "emb_pg_provider", "user_agent"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (!json_is_null(p, nulls[i]))
            fail_msg("a Kakao Money charge has %s: %s", nulls[i], r.body);
    http_res_free(&r);
    /* installments mean nothing to Kakao Money: card_quota stays 0 */
    http_post_json(&k, "/subscribe/payments/again",
                   "{\"customer_uid\":\"kakao_key\",\"merchant_uid\":\"k_o3\",\"amount\":59000,"
                   "\"card_quota\":3}",
                   &r);
    assert_int_equal(json_num(env_ok(&r), "card_quota"), 0);
    http_res_free(&r);
    /* a card key: the card's fields and an approval number */
    http_post_json(&k, "/subscribe/payments/again",
                   "{\"customer_uid\":\"kakao_card\",\"merchant_uid\":\"k_o4\",\"amount\":59000,"
                   "\"card_quota\":3}",
                   &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "pay_method"), "card");
    assert_string_equal(json_str(p, "card_name"), "신한카드");
    assert_string_equal(json_str(p, "card_code"), "366");
    assert_string_equal(json_str(p, "card_number"), "424242******4242");
    assert_int_equal(json_num(p, "card_type"), 0);
    assert_int_equal(json_num(p, "card_quota"), 3);
    assert_int_equal(strlen(json_str(p, "apply_num")), 8);
    assert_true(json_is_null(p, "bank_code"));
    http_res_free(&r);
    assert_int_equal(mock_stop(&k), 0);
}

/* ---- again ---- */

static void test_again_paid(void **state)
{
    (void)state;
    struct http_res r;
    issue_ok("again_ok", "4242-4242-4242-4242");
    post("/subscribe/payments/again",
         "{\"customer_uid\":\"again_ok\",\"merchant_uid\":\"again_ok_1\",\"amount\":9900,"
         "\"tax_free\":900,\"name\":\"월간 이용권\",\"buyer_tel\":\"01099998888\","
         "\"custom_data\":{\"plan\":\"pro\"},\"notice_url\":\"http://127.0.0.1:9/hook\"}",
         &r);
    cJSON *p = env_ok(&r);
    const char *imp_uid = json_str(p, "imp_uid");
    assert_true(imps_format(imp_uid));
    assert_string_equal(json_str(p, "merchant_uid"), "again_ok_1");
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "channel"), "api");
    assert_string_equal(json_str(p, "pay_method"), "card");
    assert_string_equal(json_str(p, "pg_provider"), "nice");
    assert_string_equal(json_str(p, "pg_id"), "nictest04m");
    assert_true(strlen(json_str(p, "pg_tid")) > 0);
    assert_string_equal(json_str(p, "customer_uid"), "again_ok");
    assert_string_equal(json_str(p, "customer_uid_usage"), "payment");
    assert_int_equal(strlen(json_str(p, "apply_num")), 8);
    assert_non_null(json_str(p, "receipt_url"));
    assert_string_equal(json_str(p, "card_number"), "424242******4242");
    assert_string_equal(json_str(p, "card_name"), "신한카드");
    assert_string_equal(json_str(p, "name"), "월간 이용권");
    assert_string_equal(json_str(p, "buyer_tel"), "01099998888");
    assert_string_equal(json_str(p, "buyer_name"), "홍길동"); /* from customer_name */
    assert_string_equal(json_str(p, "custom_data"), "{\"plan\":\"pro\"}");
    assert_string_equal(json_str(p, "currency"), "KRW");
    assert_int_equal(json_num(p, "amount"), 9900);
    assert_int_equal(json_num(p, "cancel_amount"), 0);
    assert_true(json_num(p, "paid_at") > 0);
    assert_int_equal(json_num(p, "failed_at"), 0);
    assert_true(json_is_null(p, "fail_reason"));
    assert_true(json_is_null(p, "user_agent"));

    char path[128];
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    struct http_res g;
    http_get(&M, path, &g);
    assert_string_equal(json_str(env_ok(&g), "status"), "paid");
    http_res_free(&g);
    http_res_free(&r);
}

static void test_again_declined(void **state)
{
    (void)state;
    struct http_res r, g;
    issue_ok("again_no", "4000-0000-0000-0002");
    again("again_no", "again_no_1", 9900, &r);
    /* a decline is a successful request: code 0, message null, status failed */
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "failed");
    assert_string_equal(json_str(p, "fail_reason"), "[F601]거래거절 카드사 승인거절");
    assert_true(json_num(p, "failed_at") > 0);
    assert_int_equal(json_num(p, "paid_at"), 0);
    assert_true(json_is_null(p, "receipt_url"));
    assert_true(imps_format(json_str(p, "imp_uid")));
    char path[128];
    snprintf(path, sizeof path, "/payments/%s", json_str(p, "imp_uid"));

    /* stored and visible through every lookup */
    http_get(&M, path, &g);
    assert_string_equal(json_str(env_ok(&g), "status"), "failed");
    http_res_free(&g);
    http_get(&M, "/payments/find/again_no_1", &g);
    assert_string_equal(json_str(env_ok(&g), "fail_reason"), "[F601]거래거절 카드사 승인거절");
    http_res_free(&g);
    http_get(&M, "/payments/find/again_no_1/failed", &g);
    env_ok(&g);
    http_res_free(&g);
    http_get(&M, "/payments/findAll/again_no_1", &g);
    assert_int_equal(json_num(env_ok(&g), "total"), 1);
    http_res_free(&g);
    http_get(&M, "/payments?merchant_uid[]=again_no_1", &g);
    assert_int_equal(cJSON_GetArraySize(env_ok(&g)), 1);
    http_res_free(&g);
    http_res_free(&r);
}

static void test_again_unknown_key(void **state)
{
    (void)state;
    struct http_res r;
    again("nobody_here", "again_unknown_1", 1000, &r);
    env_refused(&r, 200, 1, "등록되지 않은 구매자입니다.");
    http_res_free(&r);
    http_get(&M, "/payments/find/again_unknown_1", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

static void test_approve_two_then_decline(void **state)
{
    (void)state;
    struct http_res r;
    issue_ok("renew_1", "4000-0000-0000-3220");
    again_expect("renew_1", "renew_o1", 5900, "paid");
    again_expect("renew_1", "renew_o2", 5900, "paid");
    again("renew_1", "renew_o3", 5900, &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "failed");
    assert_string_equal(json_str(p, "fail_reason"), "[F302]잔액부족");
    http_res_free(&r);
    again_expect("renew_1", "renew_o4", 5900, "failed");
    /* a newly issued key starts counting again */
    issue_ok("renew_1", "4000-0000-0000-3220");
    again_expect("renew_1", "renew_o5", 5900, "paid");
}

static void test_retry_after_failure(void **state)
{
    (void)state;
    struct http_res r;
    char first[64];
    issue_ok("retry_1", "4000-0000-0000-9995");
    again("retry_1", "retry_o", 3000, &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "failed");
    snprintf(first, sizeof first, "%s", json_str(p, "imp_uid"));
    http_res_free(&r);

    issue_ok("retry_1", "4242-4242-4242-4242");
    again("retry_1", "retry_o", 3000, &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_not_equal(json_str(p, "imp_uid"), first);
    http_res_free(&r);

    http_get(&M, "/payments/findAll/retry_o", &r);
    cJSON *pg = env_ok(&r);
    assert_int_equal(json_num(pg, "total"), 2);
    http_res_free(&r);

    again("retry_1", "retry_o", 3000, &r);
    env_refused(&r, 200, 1, "이미 결제가 이루어진 거래건입니다.");
    http_res_free(&r);

    /* paid then cancelled still counts as paid */
    post("/payments/cancel", "{\"merchant_uid\":\"retry_o\"}", &r);
    assert_string_equal(json_str(env_ok(&r), "status"), "cancelled");
    http_res_free(&r);
    again("retry_1", "retry_o", 3000, &r);
    env_refused(&r, 200, 1, "이미 결제가 이루어진 거래건입니다.");
    http_res_free(&r);
    http_get(&M, "/payments/findAll/retry_o", &r);
    assert_int_equal(json_num(env_ok(&r), "total"), 2);
    http_res_free(&r);
}

static void test_prepare_enforced(void **state)
{
    (void)state;
    struct http_res r;
    issue_ok("prep_1", "4242-4242-4242-4242");
    post("/payments/prepare", "{\"merchant_uid\":\"prep_o1\",\"amount\":10000}", &r);
    env_ok(&r);
    http_res_free(&r);

    again("prep_1", "prep_o1", 9000, &r);
    env_refused(&r, 200, 1, "사전 등록된 결제 금액과 요청 금액이 일치하지 않습니다.");
    http_res_free(&r);
    post("/subscribe/payments/onetime",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\","
         "\"merchant_uid\":\"prep_o1\",\"amount\":10001}",
         &r);
    env_refused(&r, 200, 1, "사전 등록된 결제 금액과 요청 금액이 일치하지 않습니다.");
    http_res_free(&r);
    http_get(&M, "/payments/find/prep_o1", &r); /* no payment was created */
    assert_int_equal(r.status, 404);
    http_res_free(&r);

    again_expect("prep_1", "prep_o1", 10000, "paid");
}

static void test_installments(void **state)
{
    (void)state;
    struct http_res r;
    issue_ok("quota_1", "4242-4242-4242-4242");
    post("/subscribe/payments/again",
         "{\"customer_uid\":\"quota_1\",\"merchant_uid\":\"quota_o1\",\"amount\":49000,"
         "\"card_quota\":3}",
         &r);
    env_refused(&r, 200, -1, NULL);
    http_res_free(&r);
    post("/subscribe/payments/again",
         "{\"customer_uid\":\"quota_1\",\"merchant_uid\":\"quota_o1\",\"amount\":50000,"
         "\"card_quota\":3}",
         &r);
    assert_int_equal(json_num(env_ok(&r), "card_quota"), 3);
    http_res_free(&r);
}

static void test_again_bad_params(void **state)
{
    (void)state;
    struct http_res r;
    /* again lists 200 and 401 only (reference §16.0): bad fields are HTTP 200 */
    issue_ok("again_bp", "4242-4242-4242-4242");
    post("/subscribe/payments/again", "{\"customer_uid\":\"again_bp\",\"amount\":1000}", &r);
    env_refused(&r, 200, -1, "merchant_uid 파라미터는 필수입니다.");
    http_res_free(&r);
    post("/subscribe/payments/again",
         "{\"customer_uid\":\"again_bp\",\"merchant_uid\":\"bp\",\"amount\":\"1000\"}", &r);
    env_refused(&r, 200, -1, "amount 파라미터는 숫자여야 합니다 (문자열 불가).");
    http_res_free(&r);
    post("/subscribe/payments/again",
         "{\"customer_uid\":\"again_bp\",\"merchant_uid\":\"bp\",\"amount\":0}", &r);
    env_refused(&r, 200, -1, "amount 파라미터는 0보다 커야 합니다.");
    http_res_free(&r);
    post("/subscribe/payments/again",
         "{\"customer_uid\":\"again_bp\",\"merchant_uid\":\"bp\",\"amount\":100,"
         "\"tax_free\":101}",
         &r);
    env_refused(&r, 200, -1, "tax_free 파라미터는 amount보다 클 수 없습니다.");
    http_res_free(&r);
    char body[256];
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"again_bp\",\"merchant_uid\":\"%060d\",\"amount\":100}", 7);
    post("/subscribe/payments/again", body, &r);
    env_refused(&r, 200, -1, "merchant_uid 파라미터가 너무 깁니다 (최대 40바이트).");
    http_res_free(&r);
    /* an unknown key is reported before the order's fields, as the live API
     * answered a 60-byte merchant_uid with an unknown key (issue 12) */
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"nobody\",\"merchant_uid\":\"%060d\",\"amount\":100}", 7);
    post("/subscribe/payments/again", body, &r);
    env_refused(&r, 200, 1, "등록되지 않은 구매자입니다.");
    http_res_free(&r);
    post("/subscribe/payments/again", "{\"customer_uid\":\"nobody\",\"amount\":\"x\"}", &r);
    env_refused(&r, 200, 1, "등록되지 않은 구매자입니다.");
    http_res_free(&r);
}

/* "" is "not given" in every optional text (the REST endpoints once kept
 * it, and refused pg "" as an unknown PG, while the window dropped it):
 * null in the key and the payment, buyer_* from the key's customer_*,
 * the merchant's key-in channel for pg. */
static void test_empty_text_not_given(void **state)
{
    (void)state;
    struct http_res r;
    post("/subscribe/customers/empty_key",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\",\"pg\":\"\","
         "\"customer_name\":\"홍길동\",\"customer_tel\":\"\",\"customer_email\":\"\","
         "\"customer_id\":\"\"}",
         &r);
    cJSON *c = env_ok(&r);
    assert_string_equal(json_str(c, "pg_provider"), "nice");
    assert_string_equal(json_str(c, "customer_name"), "홍길동");
    assert_true(json_is_null(c, "customer_tel"));
    assert_true(json_is_null(c, "customer_email"));
    assert_true(json_is_null(c, "customer_id"));
    http_res_free(&r);

    post("/subscribe/payments/again",
         "{\"customer_uid\":\"empty_key\",\"merchant_uid\":\"empty_o1\",\"amount\":1000,"
         "\"name\":\"\",\"buyer_name\":\"\",\"buyer_tel\":\"\",\"buyer_addr\":\"\","
         "\"currency\":\"\",\"custom_data\":\"\",\"notice_url\":\"\"}",
         &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_true(json_is_null(p, "name"));
    assert_string_equal(json_str(p, "buyer_name"), "홍길동"); /* the key's customer_name */
    assert_true(json_is_null(p, "buyer_tel"));
    assert_true(json_is_null(p, "buyer_addr"));
    assert_string_equal(json_str(p, "currency"), "KRW");
    assert_true(json_is_null(p, "custom_data"));
    http_res_free(&r);

    /* a form body, where nothing but "" can say "empty" */
    post_form("/subscribe/payments/again",
              "customer_uid=empty_key&merchant_uid=empty_o2&amount=1000&name=&buyer_name="
              "&buyer_email=&custom_data=",
              &r);
    p = env_ok(&r);
    assert_true(json_is_null(p, "name"));
    assert_string_equal(json_str(p, "buyer_name"), "홍길동");
    assert_true(json_is_null(p, "buyer_email")); /* the key has none either */
    assert_true(json_is_null(p, "custom_data"));
    http_res_free(&r);

    post("/subscribe/payments/onetime",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\",\"pg\":\"\","
         "\"customer_uid\":\"\",\"merchant_uid\":\"empty_o3\",\"amount\":1500,"
         "\"buyer_name\":\"\",\"custom_data\":\"\"}",
         &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "pg_provider"), "nice");
    assert_true(json_is_null(p, "customer_uid"));
    assert_true(json_is_null(p, "buyer_name"));
    assert_true(json_is_null(p, "custom_data"));
    http_res_free(&r);
    /* pg= in a form, as the PHP client sends an unset pg: not given either */
    post_form("/subscribe/payments/onetime",
              "card_number=4242-4242-4242-4242&expiry=2099-01&pg=&merchant_uid=empty_o5"
              "&amount=1500",
              &r);
    assert_string_equal(json_str(env_ok(&r), "pg_provider"), "nice");
    http_res_free(&r);

    /* sent, a value is kept as it is */
    post("/subscribe/payments/again",
         "{\"customer_uid\":\"empty_key\",\"merchant_uid\":\"empty_o4\",\"amount\":1000,"
         "\"name\":\" \",\"buyer_name\":\"김\",\"custom_data\":\"0\"}",
         &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "name"), " ");
    assert_string_equal(json_str(p, "buyer_name"), "김");
    assert_string_equal(json_str(p, "custom_data"), "0");
    http_res_free(&r);
}

/* ---- onetime ---- */

static void test_onetime(void **state)
{
    (void)state;
    struct http_res r;
    post("/subscribe/payments/onetime",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\",\"birth\":\"900101\","
         "\"pwd_2digit\":\"12\",\"merchant_uid\":\"once_o1\",\"amount\":1500,\"name\":\"단건\"}",
         &r);
    cJSON *p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_true(imps_format(json_str(p, "imp_uid")));
    assert_string_equal(json_str(p, "channel"), "api");
    assert_string_equal(json_str(p, "pg_provider"), "nice");
    assert_true(json_is_null(p, "customer_uid"));
    assert_true(json_is_null(p, "customer_uid_usage"));
    assert_string_equal(json_str(p, "card_number"), "424242******4242");
    http_res_free(&r);

    /* with customer_uid the card is kept as a key; buyer_* become customer_* */
    post_form("/subscribe/payments/onetime",
              "card_number=4242-4242-4242-4242&expiry=2099-01&merchant_uid=once_o2&amount=2500"
              "&customer_uid=once_key&buyer_name=%EA%B9%80%EC%B2%A0%EC%88%98"
              "&buyer_tel=01055556666&buyer_email=kim%40example.com",
              &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "customer_uid"), "once_key");
    assert_string_equal(json_str(p, "customer_uid_usage"), "issue");
    http_res_free(&r);
    http_get(&M, "/subscribe/customers/once_key", &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "customer_name"), "김철수");
    assert_string_equal(json_str(p, "customer_tel"), "01055556666");
    assert_string_equal(json_str(p, "customer_email"), "kim@example.com");
    assert_string_equal(json_str(p, "card_number"), "424242******4242");
    http_res_free(&r);
    again_expect("once_key", "once_o3", 2500, "paid");

    post("/subscribe/payments/onetime",
         "{\"card_number\":\"4242-4242-4242-4241\",\"expiry\":\"2099-01\","
         "\"merchant_uid\":\"once_o4\",\"amount\":1500}",
         &r);
    env_refused(&r, 200, -1, "카드정보 인증에 실패하였습니다. [F113]거래거절 카드번호틀림");
    http_res_free(&r);

    post("/subscribe/payments/onetime",
         "{\"card_number\":\"4000-0000-0000-6975\",\"expiry\":\"2099-01\","
         "\"merchant_uid\":\"once_o5\",\"amount\":1500}",
         &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "failed");
    assert_string_equal(json_str(p, "fail_reason"), "[F303]한도초과");
    http_res_free(&r);

    post("/subscribe/payments/onetime",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\",\"pg\":\"kakaopay\","
         "\"merchant_uid\":\"once_o6\",\"amount\":1500}",
         &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 1);
    http_res_free(&r);

    post("/subscribe/payments/onetime",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\","
         "\"merchant_uid\":\"once_o1\",\"amount\":1500}",
         &r);
    env_refused(&r, 200, 1, "이미 결제가 이루어진 거래건입니다.");
    http_res_free(&r);
}

/* ---- the duplicate race ---- */

#define RACERS 16

struct racer {
    pthread_barrier_t *start;
    struct http_res res;
};

static void *race(void *arg)
{
    struct racer *rc = arg;
    pthread_barrier_wait(rc->start);
    http_do(&M, "POST", "/subscribe/payments/again", "application/json",
            "{\"customer_uid\":\"race_key\",\"merchant_uid\":\"race_order\",\"amount\":7700}",
            M.token, &rc->res);
    return NULL;
}

static void test_duplicate_race(void **state)
{
    (void)state;
    issue_ok("race_key", "4242-4242-4242-4242");
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACERS);
    pthread_t th[RACERS];
    static struct racer rc[RACERS];
    for (int i = 0; i < RACERS; i++) {
        rc[i].start = &start;
        assert_int_equal(pthread_create(&th[i], NULL, race, &rc[i]), 0);
    }
    int paid = 0, refused = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(rc[i].res.status, 200);
        if (env_code(&rc[i].res) == 0) {
            assert_string_equal(json_str(env_response(&rc[i].res), "status"), "paid");
            paid++;
        } else if (env_code(&rc[i].res) == 1) {
            refused++;
        }
        http_res_free(&rc[i].res);
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(paid, 1);
    assert_int_equal(refused, RACERS - 1);

    struct http_res r;
    http_get(&M, "/payments/findAll/race_order", &r);
    assert_int_equal(json_num(env_ok(&r), "total"), 1);
    http_res_free(&r);
}

/* ---- full card numbers never leave the request ---- */

/* The text with the separators a card number may be written with removed
 * (dash, space, plus, and their %-escapes), so any rendering is caught. */
static char *squeeze(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-' || s[i] == ' ' || s[i] == '+')
            continue;
        if (s[i] == '%' && i + 2 < n &&
            (!strncmp(s + i + 1, "20", 2) || !strncasecmp(s + i + 1, "2D", 2) ||
             !strncasecmp(s + i + 1, "2B", 2))) {
            i += 2;
            continue;
        }
        *o++ = s[i];
    }
    *o = '\0';
    return out;
}

static const char *const leak_cards[] = {
    "4242424242424242", "4000000000003220", "4000000000000002",
    "4000000000000069", "4242424242424241", "4111111111111111",
};

static void assert_no_card(const char *where, const char *text)
{
    char *sq = squeeze(text);
    for (size_t i = 0; i < sizeof leak_cards / sizeof leak_cards[0]; i++) {
        if (strstr(sq, leak_cards[i]))
            fail_msg("%s holds the full card number %s", where, leak_cards[i]);
    }
    free(sq);
}

static struct mock L; /* the logged server; stop_logged ends it even after a failure */

static int stop_logged(void **state)
{
    (void)state;
    /* a sanitizer report in the server makes it exit non-zero */
    if (L.pid > 0 && mock_stop(&L) != 0)
        return -1;
    return 0;
}

static void test_no_full_card_number_leaks(void **state)
{
    (void)state;
    mock_start_logged(&L, NULL);
    mock_login(&L);
    static const char *const bodies[][2] = {
        {"/subscribe/customers/leak_1",
         "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-01\",\"birth\":\"900101\"}"},
        {"/subscribe/customers/leak_2",
         "{\"card_number\":\"4000000000003220\",\"expiry\":\"2099-01\"}"},
        {"/subscribe/customers/leak_3",
         "{\"card_number\":\"4242 4242 4242 4241\",\"expiry\":\"2099-01\"}"},
        {"/subscribe/customers/leak_4",
         "{\"card_number\":\"4000-0000-0000-0069\",\"expiry\":\"2099-01\"}"},
        {"/subscribe/payments/onetime",
         "{\"card_number\":\"4000-0000-0000-0002\",\"expiry\":\"2099-01\","
         "\"merchant_uid\":\"leak_o1\",\"amount\":1000,\"customer_uid\":\"leak_5\"}"},
        {"/subscribe/payments/onetime",
         "{\"card_number\":\"4111111111111111\",\"expiry\":\"2001-01\","
         "\"merchant_uid\":\"leak_o2\",\"amount\":1000}"},
        {"/subscribe/payments/again",
         "{\"customer_uid\":\"leak_2\",\"merchant_uid\":\"leak_o3\",\"amount\":1000}"},
    };
    struct http_res r;
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        http_post_json(&L, bodies[i][0], bodies[i][1], &r);
        assert_no_card("a response body", r.body);
        http_res_free(&r);
    }
    /* card data in a query string */
    http_do(&L, "POST",
            "/subscribe/customers/leak_7?card_number=4242-4242-4242-4242&expiry=2099-01", NULL,
            NULL, L.token, &r);
    assert_int_equal(env_code(&r), 0);
    assert_no_card("a response body", r.body);
    http_res_free(&r);

    /* form bodies writing the separators as '+' or %-escapes */
    const char *forms[] = {"card_number=4242+4242+4242+4242&expiry=2099-01",
                           "card_number=4242%204242%204242%204242&expiry=2099-01",
                           "card_number=4242%2D4242%2d4242%2D4242&expiry=2099-01"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        http_do(&L, "POST", "/subscribe/customers/leak_6", "application/x-www-form-urlencoded",
                forms[i], L.token, &r);
        assert_int_equal(env_code(&r), 0);
        assert_no_card("a response body", r.body);
        http_res_free(&r);
    }
    http_get(&L, "/subscribe/customers/leak_6", &r);
    assert_no_card("a response body", r.body);
    http_res_free(&r);

    /* every read-back: keys, payments, the request journal */
    const char *reads[] = {
        "/subscribe/customers?customer_uid[]=leak_1&customer_uid[]=leak_2&customer_uid[]=leak_5"
        "&customer_uid[]=leak_7",
        "/subscribe/customers/leak_2/payments",
        "/payments/status/all",
        "/__mock/requests",
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        http_get(&L, reads[i], &r);
        assert_true(r.status == 200 || r.status == 207);
        assert_no_card(reads[i], r.body);
        http_res_free(&r);
    }

    char log_path[128];
    snprintf(log_path, sizeof log_path, "%s/log", L.dir);
    char *log = file_read(log_path, NULL);
    assert_non_null(log);
    assert_non_null(strstr(log, "/subscribe/payments/onetime")); /* the log is on */
    assert_no_card("the access log", log);
    free(log);
}

/* ---- main ---- */

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_ALL); /* before any thread uses curl */
    mock_start(&M, NULL);
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
        cmocka_unit_test(test_key_lifecycle),
        cmocka_unit_test(test_key_form_body),
        cmocka_unit_test(test_key_multi),
        cmocka_unit_test(test_key_payments),
        cmocka_unit_test(test_key_refusals),
        cmocka_unit_test(test_unknown_card_numbers),
        cmocka_unit_test(test_kakao_only_merchant),
        cmocka_unit_test(test_again_paid),
        cmocka_unit_test(test_again_declined),
        cmocka_unit_test(test_again_unknown_key),
        cmocka_unit_test(test_approve_two_then_decline),
        cmocka_unit_test(test_retry_after_failure),
        cmocka_unit_test(test_prepare_enforced),
        cmocka_unit_test(test_installments),
        cmocka_unit_test(test_again_bad_params),
        cmocka_unit_test(test_empty_text_not_given),
        cmocka_unit_test(test_onetime),
        cmocka_unit_test(test_duplicate_race),
        cmocka_unit_test_teardown(test_no_full_card_number_leaks, stop_logged),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
