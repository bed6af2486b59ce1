/* test_vbanks.c - virtual accounts over real HTTP (reference §17): issuing
 * (POST /vbanks) and reading the account back through /payments, changing
 * and revoking it, the holder lookup, deposits from the control API (full,
 * short, over), expiry by a clock advance, the ready and paid notices at a
 * receiver in this process, cancelling a paid account with and without its
 * refund account, a restart on --state-dir, export/import, and the scenario
 * files that refuse an issuance or script the buyer's deposit. */
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
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#define T0      1704034800LL /* 2024-01-01 00:00 KST, frozen */
#define T0_TEXT "1704034800"
#define DUE     (T0 + 86400)                                       /* the next day */
#define SETTLE  "channel-key-4f0e9a52-7c1d-4b8e-9a36-1d2c3b4a5e6f" /* the default fixtures' */

static struct mock M;
static struct receiver *RX;
static char STATE_DIR[SCRATCH_DIR_MAX];

static void start_with(const char *const *extra)
{
    const char *args[16] = {"--clock", T0_TEXT, "--seed", "7"};
    size_t n = 4;
    for (size_t i = 0; extra && extra[i] && n < 15; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    mock_start(&M, args);
    mock_login(&M);
}

static void start(void)
{
    start_with(NULL);
}

/* Starts with the scenario file scenarios/<file>. */
static void start_with_scenario(const char *file)
{
    static char path[512];
    const char *dir = getenv("TEST_SCENARIO_DIR");
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    const char *args[] = {"--scenario", path, NULL};
    start_with(args);
}

static int stop(void **state)
{
    (void)state;
    if (RX) {
        rx_stop(RX);
        RX = NULL;
    }
    if (STATE_DIR[0]) {
        if (!scratch_dir_remove(STATE_DIR))
            return -1;
        STATE_DIR[0] = '\0';
    }
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0; /* a sanitizer report fails the test */
}

/* POST /vbanks with extra JSON members (after the order's own). */
static void issue_raw(const char *merchant_uid, long long amount, long long due, const char *more,
                      struct http_res *r)
{
    char body[2048];
    snprintf(body, sizeof body,
             "{\"merchant_uid\":\"%s\",\"amount\":%lld,\"vbank_code\":\"88\",\"vbank_due\":%lld,"
             "\"vbank_holder\":\"임포트상점\",\"name\":\"주문\"%s%s}",
             merchant_uid, amount, due, more && more[0] ? "," : "", more ? more : "");
    http_post_json(&M, "/vbanks", body, r);
}

/* Issues an account and returns its imp_uid (static buffer per call site). */
static void issue(const char *merchant_uid, long long amount, long long due, const char *more,
                  char imp_uid[64])
{
    struct http_res r;
    issue_raw(merchant_uid, amount, due, more, &r);
    assert_int_equal(r.status, 200);
    if (env_code(&r) != 0)
        fail_msg("issue %s: %s", merchant_uid, r.body);
    snprintf(imp_uid, 64, "%s", json_str(env_response(&r), "imp_uid"));
    http_res_free(&r);
}

static cJSON *payment(const char *imp_uid, struct http_res *r)
{
    char path[128];
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    http_get(&M, path, r);
    assert_int_equal(r->status, 200);
    return env_response(r);
}

static void expect_status(const char *imp_uid, const char *status)
{
    struct http_res r;
    assert_string_equal(json_str(payment(imp_uid, &r), "status"), status);
    http_res_free(&r);
}

/* POST /__mock/vbanks/{imp_uid}/deposit with body (NULL: none). */
static void deposit(const char *imp_uid, const char *body, struct http_res *r)
{
    char path[128];
    snprintf(path, sizeof path, "/__mock/vbanks/%s/deposit", imp_uid);
    http_do(&M, "POST", path, body ? "application/json" : NULL, body, NULL, r);
}

static void advance(long long secs)
{
    char body[64];
    struct http_res r;
    snprintf(body, sizeof body, "{\"advance\":%lld}", secs);
    http_do(&M, "POST", "/__mock/clock", "application/json", body, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    mock_login(&M); /* the token may have expired meanwhile */
}

static void expect_refusal(const struct http_res *r, long status, int code, const char *message)
{
    if (r->status != status || env_code(r) != code)
        fail_msg("expected %ld/%d, got %ld: %s", status, code, r->status, r->body);
    assert_string_equal(env_message(r), message);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r->json, "response")));
}

/* ---- issuing ---- */

static void test_issue_and_look_up(void **state)
{
    (void)state;
    start();
    struct http_res r;
    issue_raw("vb-1", 39000, DUE, "\"buyer_name\":\"홍길동\",\"custom_data\":{\"plan\":\"A\"}", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    cJSON *p = env_response(&r);
    assert_string_equal(json_str(p, "pay_method"), "vbank");
    assert_string_equal(json_str(p, "status"), "ready");
    assert_string_equal(json_str(p, "channel"), "api");
    assert_string_equal(json_str(p, "pg_provider"), "settle");
    assert_string_equal(json_str(p, "vbank_code"), "088"); /* "88" as KG이니시스 spells it */
    assert_string_equal(json_str(p, "vbank_name"), "신한");
    assert_string_equal(json_str(p, "vbank_holder"), "임포트상점");
    const char *num = json_str(p, "vbank_num");
    assert_int_equal(strlen(num), 14);
    assert_int_equal(num[0], 'X');
    assert_int_equal((long long)json_num(p, "vbank_date"), DUE);
    assert_int_equal((long long)json_num(p, "vbank_issued_at"), T0);
    assert_int_equal((long long)json_num(p, "paid_at"), 0);
    assert_string_equal(json_str(p, "custom_data"), "{\"plan\":\"A\"}");
    assert_true(strncmp(json_str(p, "imp_uid"), "imp_", 4) == 0);
    char *issued = cJSON_PrintUnformatted(p);
    char imp_uid[64];
    snprintf(imp_uid, sizeof imp_uid, "%s", json_str(p, "imp_uid"));
    http_res_free(&r);

    /* every §3 lookup sees it, the same */
    cJSON *q = payment(imp_uid, &r);
    char *looked = cJSON_PrintUnformatted(q);
    assert_string_equal(issued, looked);
    http_res_free(&r);
    http_get(&M, "/payments/find/vb-1/ready", &r);
    assert_string_equal(json_str(env_response(&r), "imp_uid"), imp_uid);
    http_res_free(&r);
    free(issued);
    free(looked);

    /* by channel_key, by pg, PG spellings of the bank, a fixed account number */
    char other[64];
    issue("vb-2", 1000, DUE, "\"channel_key\":\"" SETTLE "\",\"vbank_num\":\"56211105948400\"",
          other);
    cJSON *o = payment(other, &r);
    assert_string_equal(json_str(o, "vbank_num"), "56211105948400");
    http_res_free(&r);
    http_post_json(&M, "/vbanks",
                   "{\"pg\":\"settle.settletest01\",\"merchant_uid\":\"vb-3\",\"amount\":1000,"
                   "\"vbank_code\":\"BK04\",\"vbank_due\":1704121200,\"vbank_holder\":\"상점\"}",
                   &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "vbank_code"), "004");
    assert_string_equal(json_str(env_response(&r), "vbank_name"), "국민");
    http_res_free(&r);
    /* several accounts may wait for one order */
    issue("vb-1", 39000, DUE, NULL, other);
    http_get(&M, "/payments/findAll/vb-1/ready", &r);
    assert_int_equal((int)json_num(env_response(&r), "total"), 2);
    http_res_free(&r);
}

static void test_issue_refusals_are_http_200(void **state)
{
    (void)state;
    start();
    struct http_res r;
    /* the reference's "파라미터가 누락되었습니다.", for each common field */
    http_post_json(&M, "/vbanks", "{\"merchant_uid\":\"x\",\"amount\":1000,\"vbank_code\":\"088\"}",
                   &r);
    expect_refusal(&r, 200, 1, "vbank_due 파라미터가 누락되었습니다.");
    http_res_free(&r);
    http_post_json(&M, "/vbanks", "{\"amount\":1000,\"vbank_code\":\"088\",\"vbank_due\":1}", &r);
    expect_refusal(&r, 200, 1, "merchant_uid 파라미터가 누락되었습니다.");
    http_res_free(&r);
    /* settle needs a holder */
    http_post_json(&M, "/vbanks",
                   "{\"merchant_uid\":\"x\",\"amount\":1000,\"vbank_code\":\"088\","
                   "\"vbank_due\":1704121200}",
                   &r);
    expect_refusal(&r, 200, 1, "vbank_holder 파라미터가 누락되었습니다.");
    http_res_free(&r);
    /* wrong types and lengths: no 400 here (§16.0) */
    http_post_json(&M, "/vbanks",
                   "{\"merchant_uid\":\"x\",\"amount\":\"1000\",\"vbank_code\":\"088\","
                   "\"vbank_due\":1704121200,\"vbank_holder\":\"a\"}",
                   &r);
    expect_refusal(&r, 200, -1, "amount 파라미터는 숫자여야 합니다 (문자열 불가).");
    http_res_free(&r);
    issue_raw("x", 1000, DUE, "\"buyer_name\":\"가나다라마바사아자차카타파하가나다\"", &r);
    expect_refusal(&r, 200, -1, "buyer_name 파라미터는 최대 16자까지 지정할 수 있습니다.");
    http_res_free(&r);
    issue_raw("x", 1000, DUE, "\"notice_url\":\"ftp://x\"", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), -1);
    assert_non_null(strstr(env_message(&r), "notice_url"));
    http_res_free(&r);
    /* a 16-character Korean holder fits */
    issue_raw("x", 1000, DUE, "\"buyer_name\":\"가나다라마바사아자차카타파하가나\"", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    /* bank, deadline, PG contract */
    http_post_json(&M, "/vbanks",
                   "{\"merchant_uid\":\"y\",\"amount\":1000,\"vbank_code\":\"999\","
                   "\"vbank_due\":1704121200,\"vbank_holder\":\"a\"}",
                   &r);
    expect_refusal(&r, 200, 1, "지원하지 않는 은행코드입니다: 999");
    http_res_free(&r);
    issue_raw("y", 1000, T0, NULL, &r);
    expect_refusal(&r, 200, 1, "vbank_due는 현재 시각 이후여야 합니다.");
    http_res_free(&r);
    issue_raw("y", 1000, DUE, "\"pg\":\"nice\"", &r);
    expect_refusal(&r, 200, 1, "가상계좌 API 발급은 PG사와 별도 계약이 필요합니다. (pg: nice)");
    http_res_free(&r);
    issue_raw("y", 1000, DUE, "\"channel_key\":\"channel-key-unknown\"", &r);
    assert_int_equal(env_code(&r), 1);
    assert_non_null(strstr(env_message(&r), "계약이 필요합니다."));
    http_res_free(&r);
    issue_raw("y", 1000, DUE, "\"fixed_unlimited_vbank\":true", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 1);
    http_res_free(&r);
    /* an order already paid takes no account */
    http_post_json(&M, "/subscribe/customers/c1",
                   "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}", &r);
    http_res_free(&r);
    http_post_json(&M, "/subscribe/payments/again",
                   "{\"customer_uid\":\"c1\",\"merchant_uid\":\"paid-1\",\"amount\":1000}", &r);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    http_res_free(&r);
    issue_raw("paid-1", 1000, DUE, NULL, &r);
    expect_refusal(&r, 200, 1, "이미 결제가 이루어진 거래건입니다.");
    http_res_free(&r);
    /* nothing of the refusals was stored */
    http_get(&M, "/payments/find/y", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    /* a bad token is still 401 */
    http_do(&M, "POST", "/vbanks", "application/json", "{}", "nope", &r);
    assert_int_equal(r.status, 401);
    http_res_free(&r);
}

/* ---- change, revoke, holder ---- */

static void test_change_before_deposit(void **state)
{
    (void)state;
    start();
    char imp_uid[64], path[128];
    issue("ch-1", 10000, DUE, NULL, imp_uid);
    snprintf(path, sizeof path, "/vbanks/%s", imp_uid);
    struct http_res r;
    char body[128];
    snprintf(body, sizeof body, "{\"amount\":12000,\"vbank_due\":%lld}", DUE + 3600);
    http_do(&M, "PUT", path, "application/json", body, M.token, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    assert_int_equal((long long)json_num(env_response(&r), "amount"), 12000);
    assert_int_equal((long long)json_num(env_response(&r), "vbank_date"), DUE + 3600);
    assert_string_equal(json_str(env_response(&r), "status"), "ready");
    http_res_free(&r);
    cJSON *p = payment(imp_uid, &r);
    assert_int_equal((long long)json_num(p, "amount"), 12000);
    http_res_free(&r);
    /* nothing to change; unknown account; not an account; a past deadline */
    http_do(&M, "PUT", path, "application/json", "{}", M.token, &r);
    expect_refusal(&r, 400, -1, "amount 또는 vbank_due 파라미터를 지정해주세요.");
    http_res_free(&r);
    http_do(&M, "PUT", "/vbanks/imp_000000000000", "application/json", "{\"amount\":1}", M.token,
            &r);
    expect_refusal(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"vbank_due\":%lld}", T0 - 1);
    http_do(&M, "PUT", path, "application/json", body, M.token, &r);
    expect_refusal(&r, 200, 1, "vbank_due는 현재 시각 이후여야 합니다.");
    http_res_free(&r);
    http_post_json(&M, "/subscribe/customers/c1",
                   "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}", &r);
    http_res_free(&r);
    http_post_json(&M, "/subscribe/payments/again",
                   "{\"customer_uid\":\"c1\",\"merchant_uid\":\"card-1\",\"amount\":1000}", &r);
    char card[64], card_path[128];
    snprintf(card, sizeof card, "%s", json_str(env_response(&r), "imp_uid"));
    http_res_free(&r);
    snprintf(card_path, sizeof card_path, "/vbanks/%s", card);
    http_do(&M, "PUT", card_path, "application/json", "{\"amount\":1}", M.token, &r);
    expect_refusal(&r, 400, 1, "가상계좌 결제건이 아닙니다.");
    http_res_free(&r);
    /* once paid it is not "before deposit" any more */
    deposit(imp_uid, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    http_do(&M, "PUT", path, "application/json", "{\"amount\":1}", M.token, &r);
    expect_refusal(&r, 400, 1, "입금대기(ready) 상태의 가상계좌가 아닙니다. (현재 상태: paid)");
    http_res_free(&r);
}

static void test_revoke_before_deposit(void **state)
{
    (void)state;
    RX = rx_start();
    start();
    char url[128], more[200], imp_uid[64], path[128];
    rx_url(RX, "/hook", url, sizeof url);
    snprintf(more, sizeof more, "\"notice_url\":\"%s\"", url);
    issue("rv-1", 5000, DUE, more, imp_uid);
    assert_int_equal(rx_wait(RX, 1, 5000), 1); /* the ready notice */
    snprintf(path, sizeof path, "/vbanks/%s", imp_uid);
    struct http_res r;
    http_do(&M, "DELETE", path, NULL, NULL, M.token, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    cJSON *p = env_response(&r);
    assert_string_equal(json_str(p, "status"), "cancelled");
    assert_int_equal((long long)json_num(p, "cancelled_at"), T0);
    assert_int_equal((long long)json_num(p, "cancel_amount"), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "cancel_history")), 0);
    http_res_free(&r);
    expect_status(imp_uid, "cancelled");
    /* gone: no deposit, no second revocation, and no notice for it */
    deposit(imp_uid, NULL, &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(json_str(r.json, "code"), "VBANK_NOT_READY");
    http_res_free(&r);
    http_do(&M, "DELETE", path, NULL, NULL, M.token, &r);
    expect_refusal(&r, 400, 1,
                   "입금대기(ready) 상태의 가상계좌가 아닙니다. (현재 상태: cancelled)");
    http_res_free(&r);
    http_do(&M, "DELETE", "/vbanks/imp_999999999999", NULL, NULL, M.token, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    usleep(300 * 1000);
    assert_int_equal(rx_count(RX), 1);
}

static void test_holder_lookup(void **state)
{
    (void)state;
    start();
    struct http_res r;
    http_get(&M, "/vbanks/holder?bank_code=004&bank_num=123-456-789012", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "bank_holder"), "홍길동");
    http_res_free(&r);
    /* the number compares by its digits */
    http_get(&M, "/vbanks/holder?bank_code=088&bank_num=110123456789", &r);
    assert_string_equal(json_str(env_response(&r), "bank_holder"), "김철수");
    http_res_free(&r);
    /* not a test account, an unknown bank, the account at another bank */
    const char *misses[] = {"/vbanks/holder?bank_code=004&bank_num=123-456-780000",
                            "/vbanks/holder?bank_code=777&bank_num=123-456-789012",
                            "/vbanks/holder?bank_code=088&bank_num=123-456-789012"};
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        http_get(&M, misses[i], &r);
        expect_refusal(&r, 404, -1, "계좌정보 조회 실패");
        http_res_free(&r);
    }
    http_get(&M, "/vbanks/holder?bank_code=004", &r);
    expect_refusal(&r, 400, -1, "bank_num 파라미터는 필수입니다.");
    http_res_free(&r);
}

/* ---- deposits ---- */

static void test_deposits_full_partial_over(void **state)
{
    (void)state;
    RX = rx_start();
    start();
    char url[128], more[200], imp_uid[64];
    rx_url(RX, "/hook", url, sizeof url);
    snprintf(more, sizeof more, "\"notice_url\":\"%s\"", url);
    issue("dp-1", 25000, DUE, more, imp_uid);
    struct http_res r;
    /* short and over: the bank sends them back; nothing changes */
    const char *wrong[] = {"{\"amount\":24999}", "{\"amount\":25001}"};
    for (size_t i = 0; i < 2; i++) {
        deposit(imp_uid, wrong[i], &r);
        assert_int_equal(r.status, 409);
        assert_string_equal(json_str(r.json, "code"), "VBANK_DEPOSIT_AMOUNT");
        assert_string_equal(json_str(r.json, "error"),
                            "a deposit must be the amount owed (25000 KRW)");
        http_res_free(&r);
        expect_status(imp_uid, "ready");
    }
    /* no amount: exactly what is owed */
    advance(600);
    deposit(imp_uid, "{\"depositor_name\":\"홍길동\"}", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(r.json, "status"), "paid");
    assert_int_equal((long long)json_num(r.json, "paid_at"), T0 + 600);
    http_res_free(&r);
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_int_equal((long long)json_num(p, "paid_at"), T0 + 600);
    http_res_free(&r);
    /* notices: ready at issuance, then paid */
    assert_int_equal(rx_wait(RX, 2, 5000), 2);
    const char *want[] = {"ready", "paid"};
    for (size_t i = 0; i < 2; i++) {
        struct rx_msg m;
        assert_true(rx_get(RX, i, &m));
        cJSON *o = cJSON_Parse(m.body);
        free(m.body);
        assert_string_equal(json_str(o, "status"), want[i]);
        assert_string_equal(json_str(o, "imp_uid"), imp_uid);
        assert_string_equal(json_str(o, "merchant_uid"), "dp-1");
        cJSON_Delete(o);
    }
    /* an explicit exact amount; an unknown account; not an account */
    char second[64];
    issue("dp-2", 3000, DUE, NULL, second);
    deposit(second, "{\"amount\":3000}", &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    deposit("imp_000000000000", NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    deposit(second, "{\"amount\":\"x\"}", &r);
    assert_int_equal(r.status, 400);
    http_res_free(&r);
    /* ?imp_key= names the tenant; another tenant's key does not see it */
    char path[160];
    snprintf(path, sizeof path, "/__mock/vbanks/%s/deposit?imp_key=nobody", second);
    http_do(&M, "POST", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

static void test_expiry_by_clock_advance(void **state)
{
    (void)state;
    RX = rx_start();
    start();
    char url[128], more[200], imp_uid[64], path[128];
    rx_url(RX, "/hook", url, sizeof url);
    snprintf(more, sizeof more, "\"notice_url\":\"%s\"", url);
    issue("ex-1", 7000, T0 + 3600, more, imp_uid);
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    advance(3600);
    struct http_res r;
    char other[64];
    issue("ex-2", 7000, T0 + 7200, NULL, other);
    advance(3601); /* one second past both deadlines */
    deposit(other, NULL, &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(json_str(r.json, "code"), "VBANK_EXPIRED");
    assert_string_equal(json_str(r.json, "error"),
                        "the virtual account is past its deadline (vbank_date)");
    http_res_free(&r);
    deposit(imp_uid, NULL, &r);
    assert_int_equal(r.status, 409);
    http_res_free(&r);
    /* V1 has no expired status: it stays ready, and nobody is told */
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "ready");
    assert_int_equal((long long)json_num(p, "vbank_date"), T0 + 3600);
    http_res_free(&r);
    snprintf(path, sizeof path, "/vbanks/%s", imp_uid);
    http_do(&M, "PUT", path, "application/json", "{\"vbank_due\":9999999999}", M.token, &r);
    expect_refusal(&r, 400, 1, "입금기한이 지난 가상계좌입니다.");
    http_res_free(&r);
    /* but it can be revoked */
    http_do(&M, "DELETE", path, NULL, NULL, M.token, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    usleep(300 * 1000);
    assert_int_equal(rx_count(RX), 1);
}

static void test_deadline_second_takes_deposit(void **state)
{
    (void)state;
    start();
    char imp_uid[64];
    issue("dl-1", 7000, T0 + 60, NULL, imp_uid);
    advance(60);
    struct http_res r;
    deposit(imp_uid, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(r.json, "status"), "paid");
    http_res_free(&r);
}

/* ---- cancels ---- */

static void test_cancel_needs_refund_account(void **state)
{
    (void)state;
    start();
    char imp_uid[64];
    issue("cn-1", 20000, DUE, NULL, imp_uid);
    struct http_res r;
    deposit(imp_uid, NULL, &r);
    http_res_free(&r);
    char body[512];
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"amount\":5000}", imp_uid);
    http_post_json(&M, "/payments/cancel", body, &r);
    expect_refusal(&r, 200, 1, "환불계좌 정보를 입력해주세요.");
    http_res_free(&r);
    snprintf(body, sizeof body,
             "{\"imp_uid\":\"%s\",\"amount\":5000,\"refund_holder\":\"홍길동\","
             "\"refund_bank\":\"88\"}",
             imp_uid);
    http_post_json(&M, "/payments/cancel", body, &r);
    expect_refusal(&r, 200, 1, "환불계좌 정보를 입력해주세요.");
    http_res_free(&r);
    snprintf(body, sizeof body,
             "{\"imp_uid\":\"%s\",\"amount\":5000,\"refund_holder\":\"홍길동\","
             "\"refund_bank\":\"XX\",\"refund_account\":\"110123456789\"}",
             imp_uid);
    http_post_json(&M, "/payments/cancel", body, &r);
    expect_refusal(&r, 200, 1, "지원하지 않는 은행코드입니다: XX");
    http_res_free(&r);
    expect_status(imp_uid, "paid");
    /* with the refund account: partly, then the rest (form body, as PHP clients send) */
    snprintf(body, sizeof body,
             "{\"imp_uid\":\"%s\",\"amount\":5000,\"refund_holder\":\"홍길동\","
             "\"refund_bank\":\"88\",\"refund_account\":\"110-123-456789\",\"reason\":\"부분\"}",
             imp_uid);
    http_post_json(&M, "/payments/cancel", body, &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    assert_int_equal((long long)json_num(env_response(&r), "cancel_amount"), 5000);
    http_res_free(&r);
    snprintf(body, sizeof body,
             "imp_uid=%s&refund_holder=%%ED%%99%%8D&refund_bank=088&refund_account=1101234",
             imp_uid);
    http_do(&M, "POST", "/payments/cancel", "application/x-www-form-urlencoded", body, M.token, &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "status"), "cancelled");
    assert_int_equal((long long)json_num(env_response(&r), "cancel_amount"), 20000);
    http_res_free(&r);
    /* a card payment needs none of it */
    http_post_json(&M, "/subscribe/customers/c1",
                   "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}", &r);
    http_res_free(&r);
    http_post_json(&M, "/subscribe/payments/again",
                   "{\"customer_uid\":\"c1\",\"merchant_uid\":\"card-1\",\"amount\":1000}", &r);
    http_res_free(&r);
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"card-1\"}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

static void test_cancel_of_waiting_account_revokes(void **state)
{
    (void)state;
    start();
    char imp_uid[64], body[128];
    issue("cw-1", 20000, DUE, NULL, imp_uid);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\"}", imp_uid);
    struct http_res r;
    http_post_json(&M, "/payments/cancel", body, &r);
    assert_int_equal(env_code(&r), 0);
    cJSON *p = env_response(&r);
    assert_string_equal(json_str(p, "status"), "cancelled");
    assert_int_equal((long long)json_num(p, "cancel_amount"), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "cancel_history")), 0);
    http_res_free(&r);
    http_post_json(&M, "/payments/cancel", body, &r);
    expect_refusal(&r, 200, 1, "이미 전액취소된 주문입니다.");
    http_res_free(&r);
}

/* Each key pair is its own world: another tenant neither sees nor touches
 * an account, and a reset of its own leaves it alone. */
static void test_tenants_are_isolated(void **state)
{
    (void)state;
    const char *args[] = {"--open-tenants", NULL};
    start_with(args);
    char imp_uid[64], path[128];
    issue("iso-1", 1000, DUE, NULL, imp_uid);
    struct http_res r;
    http_do(&M, "POST", "/users/getToken", "application/json",
            "{\"imp_key\":\"other-key\",\"imp_secret\":\"other-secret\"}", NULL, &r);
    char other[64];
    snprintf(other, sizeof other, "%s", json_str(env_response(&r), "access_token"));
    http_res_free(&r);
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    http_do(&M, "GET", path, NULL, NULL, other, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    snprintf(path, sizeof path, "/vbanks/%s", imp_uid);
    http_do(&M, "PUT", path, "application/json", "{\"amount\":5}", other, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    http_do(&M, "DELETE", path, NULL, NULL, other, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    snprintf(path, sizeof path, "/__mock/vbanks/%s/deposit?imp_key=other-key", imp_uid);
    http_do(&M, "POST", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/reset?imp_key=other-key", NULL, NULL, NULL, &r);
    http_res_free(&r);
    expect_status(imp_uid, "ready");
    /* a reset of the account's own tenant forgets it */
    http_do(&M, "POST", "/__mock/reset?imp_key=" TEST_IMP_KEY, NULL, NULL, NULL, &r);
    http_res_free(&r);
    mock_login(&M);
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    http_get(&M, path, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

/* ---- persistence and export ---- */

static void test_state_dir_keeps_accounts(void **state)
{
    (void)state;
    scratch_dir_new(STATE_DIR);
    const char *args[] = {"--state-dir", STATE_DIR, NULL};
    start_with(args);
    char waiting[64], paid[64];
    issue("st-1", 8000, DUE, NULL, waiting);
    issue("st-2", 9000, DUE, NULL, paid);
    struct http_res r;
    deposit(paid, NULL, &r);
    http_res_free(&r);
    char *before = mock_export(&M);
    assert_non_null(strstr(before, "\"vbank_num\""));
    assert_int_equal(mock_stop(&M), 0);
    start_with(args);
    char *after = mock_export(&M);
    assert_string_equal(before, after);
    cJSON *p = payment(waiting, &r);
    assert_string_equal(json_str(p, "status"), "ready");
    assert_string_equal(json_str(p, "vbank_code"), "088");
    assert_int_equal((long long)json_num(p, "vbank_date"), DUE);
    http_res_free(&r);
    expect_status(paid, "paid");
    /* the account still takes its deposit after the restart */
    deposit(waiting, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    /* and an export imported elsewhere brings the accounts along */
    assert_int_equal(mock_stop(&M), 0);
    start();
    http_do(&M, "POST", "/__mock/import", "application/json", before, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    mock_login(&M); /* an import replaces the tenant's token too */
    p = payment(waiting, &r);
    assert_string_equal(json_str(p, "status"), "ready");
    assert_non_null(json_str(p, "vbank_num"));
    http_res_free(&r);
    free(before);
    free(after);
}

/* ---- scenarios ---- */

static void test_scenario_refuses_issuance(void **state)
{
    (void)state;
    start_with_scenario("vbank-issuance-refused.json");
    struct http_res r;
    issue_raw("vbank-down-1", 5000, DUE, NULL, &r);
    expect_refusal(&r, 200, -1, "[V999]은행 점검시간에는 가상계좌를 발급할 수 없습니다.");
    http_res_free(&r);
    http_get(&M, "/payments/find/vbank-down-1", &r);
    assert_int_equal(r.status, 404); /* nothing stored */
    http_res_free(&r);
    char imp_uid[64];
    issue("vbank-up-1", 5000, DUE, NULL, imp_uid); /* others issue as usual */
    expect_status(imp_uid, "ready");
    /* the route table says what scenarios see POST /vbanks as */
    http_do(&M, "GET", "/__mock/routes", NULL, NULL, NULL, &r);
    bool seen = false;
    const cJSON *row;
    cJSON_ArrayForEach(row, r.json)
    {
        if (!strcmp(json_str(row, "pattern"), "/vbanks") &&
            !strcmp(json_str(row, "method"), "POST"))
            seen = !strcmp(json_str(row, "operation"), "vbank");
    }
    assert_true(seen);
    http_res_free(&r);
}

static void test_scenario_deposits_an_hour_later(void **state)
{
    (void)state;
    RX = rx_start();
    start_with_scenario("vbank-paid-an-hour-later.json");
    char url[128], more[200], on_time[64], too_late[64];
    rx_url(RX, "/hook", url, sizeof url);
    snprintf(more, sizeof more, "\"notice_url\":\"%s\"", url);
    issue("sc-1", 4000, DUE, more, on_time);
    issue("sc-2", 4000, T0 + 1800, more, too_late); /* its deadline comes first */
    assert_int_equal(rx_wait(RX, 2, 5000), 2);
    advance(3599);
    expect_status(on_time, "ready");
    advance(1);
    cJSON *p;
    struct http_res r;
    p = payment(on_time, &r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_int_equal((long long)json_num(p, "paid_at"), T0 + 3600);
    http_res_free(&r);
    expect_status(too_late, "ready");
    assert_int_equal(rx_wait(RX, 3, 5000), 3);
    struct rx_msg m;
    assert_true(rx_get(RX, 2, &m));
    cJSON *o = cJSON_Parse(m.body);
    free(m.body);
    assert_string_equal(json_str(o, "status"), "paid");
    assert_string_equal(json_str(o, "imp_uid"), on_time);
    cJSON_Delete(o);
    /* the late one's deposit was sent back: much later, still unpaid, no more notices */
    advance(86400);
    expect_status(too_late, "ready");
    usleep(300 * 1000);
    assert_int_equal(rx_count(RX), 3);
}

static void test_scripted_deposit_survives_restart(void **state)
{
    (void)state;
    scratch_dir_new(STATE_DIR);
    char path[512];
    const char *dir = getenv("TEST_SCENARIO_DIR");
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/vbank-paid-an-hour-later.json", dir);
    const char *args[] = {"--state-dir", STATE_DIR, "--scenario", path, NULL};
    start_with(args);
    char imp_uid[64];
    issue("rs-1", 4000, DUE, NULL, imp_uid);
    assert_int_equal(mock_stop(&M), 0);
    const char *plain[] = {"--state-dir", STATE_DIR, NULL}; /* no scenario after the restart */
    start_with(plain);
    advance(3600);
    expect_status(imp_uid, "paid");
}

/* With the clock running, the background runner makes a scripted deposit
 * about when it comes due, without any clock call. */
static void test_runner_deposits_in_real_time(void **state)
{
    (void)state;
    start();
    struct http_res r;
    http_do(&M, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"soon\",\"description\":\"d\",\"rules\":[{\"when\":{\"op\":\"vbank\"},"
            "\"then\":{\"deposit_after_s\":1}}]}",
            NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"freeze\":false}", NULL, &r);
    http_res_free(&r);
    char imp_uid[64];
    issue("rt-1", 1000, DUE, NULL, imp_uid);
    const char *status = "ready";
    for (int waited = 0; waited < 5000 && !strcmp(status, "ready"); waited += 100) {
        usleep(100 * 1000);
        cJSON *p = payment(imp_uid, &r);
        status = !strcmp(json_str(p, "status"), "paid") ? "paid" : "ready";
        http_res_free(&r);
    }
    assert_string_equal(status, "paid");
}

static void test_scenario_file_rules_checked(void **state)
{
    (void)state;
    start();
    struct http_res r;
    http_do(&M, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"bad\",\"description\":\"d\",\"rules\":[{\"when\":{\"op\":\"charge\"},"
            "\"then\":{\"deposit_after_s\":60}}]}",
            NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(json_str(r.json, "error"), "deposit_after_s needs op \"vbank\""));
    http_res_free(&r);
    /* a business effect on op vbank loads; the issuance refused by it answers 200 */
    http_do(&M, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"no\",\"description\":\"d\",\"rules\":[{\"when\":{\"op\":\"vbank\"},"
            "\"then\":{\"decline\":\"[X]거절\"}}]}",
            NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    issue_raw("sf-1", 1000, DUE, NULL, &r);
    expect_refusal(&r, 200, -1, "[X]거절");
    http_res_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_issue_and_look_up, stop),
        cmocka_unit_test_teardown(test_issue_refusals_are_http_200, stop),
        cmocka_unit_test_teardown(test_change_before_deposit, stop),
        cmocka_unit_test_teardown(test_revoke_before_deposit, stop),
        cmocka_unit_test_teardown(test_holder_lookup, stop),
        cmocka_unit_test_teardown(test_deposits_full_partial_over, stop),
        cmocka_unit_test_teardown(test_expiry_by_clock_advance, stop),
        cmocka_unit_test_teardown(test_deadline_second_takes_deposit, stop),
        cmocka_unit_test_teardown(test_cancel_needs_refund_account, stop),
        cmocka_unit_test_teardown(test_cancel_of_waiting_account_revokes, stop),
        cmocka_unit_test_teardown(test_tenants_are_isolated, stop),
        cmocka_unit_test_teardown(test_state_dir_keeps_accounts, stop),
        cmocka_unit_test_teardown(test_scenario_refuses_issuance, stop),
        cmocka_unit_test_teardown(test_scenario_deposits_an_hour_later, stop),
        cmocka_unit_test_teardown(test_scripted_deposit_survives_restart, stop),
        cmocka_unit_test_teardown(test_runner_deposits_in_real_time, stop),
        cmocka_unit_test_teardown(test_scenario_file_rules_checked, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
