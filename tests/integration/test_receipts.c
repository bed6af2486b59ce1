/* test_receipts.c - cash receipts over real HTTP (reference §18): of a
 * payment (/receipts/{imp_uid}) and of an outside sale
 * (/receipts/external/{merchant_uid}): issue, look up, revoke, every
 * refusal with its status, tenant isolation, --state-dir, export/import,
 * reset and a scenario that fails an issuance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct mock M;
static char work_dir[SCRATCH_DIR_MAX]; /* state directories of the restart tests */
static char state_dir[160];

#define OTHER_KEY    "imp_other"
#define OTHER_SECRET "other-secret"

/* Payments no API door makes: bank transfers and virtual accounts of PGs
 * that issue cash receipts, and the ones that cannot have one. */
static const char fixture_json[] =
    "{\"merchants\":[{\"merchant_code\":\"imp00000000\",\"imp_key\":\"" TEST_IMP_KEY "\","
    "\"imp_secret\":\"" TEST_IMP_SECRET "\",\"channels\":["
    "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"},"
    "{\"pg_provider\":\"html5_inicis\",\"pg_id\":\"INIpayTest\",\"kind\":\"onetime\"},"
    "{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"},"
    "{\"pg_provider\":\"kicc\",\"pg_id\":\"T5102001\",\"kind\":\"onetime\"},"
    "{\"pg_provider\":\"welcome\",\"pg_id\":\"welcometst\",\"kind\":\"onetime\"}],"
    "\"payments\":["
    "{\"imp_uid\":\"imp_100000000001\",\"merchant_uid\":\"o_trans\",\"status\":\"paid\","
    "\"amount\":11000,\"pay_method\":\"trans\",\"pg_provider\":\"html5_inicis\","
    "\"pg_id\":\"INIpayTest\"},"
    "{\"imp_uid\":\"imp_100000000002\",\"merchant_uid\":\"o_card\",\"status\":\"paid\","
    "\"amount\":11000,\"pay_method\":\"card\",\"pg_provider\":\"html5_inicis\"},"
    "{\"imp_uid\":\"imp_100000000003\",\"merchant_uid\":\"o_ready\",\"status\":\"ready\","
    "\"amount\":11000,\"pay_method\":\"vbank\",\"pg_provider\":\"html5_inicis\"},"
    "{\"imp_uid\":\"imp_100000000004\",\"merchant_uid\":\"o_partial\",\"status\":\"paid\","
    "\"amount\":20000,\"cancel_amount\":9000,\"pay_method\":\"vbank\",\"pg_provider\":\"kcp\"},"
    "{\"imp_uid\":\"imp_100000000005\",\"merchant_uid\":\"o_kakao\",\"status\":\"paid\","
    "\"amount\":11000,\"pay_method\":\"point\",\"pg_provider\":\"kakaopay\"},"
    "{\"imp_uid\":\"imp_100000000006\",\"merchant_uid\":\"o_kicc\",\"status\":\"paid\","
    "\"amount\":22000,\"pay_method\":\"trans\",\"pg_provider\":\"kicc\"},"
    "{\"imp_uid\":\"imp_100000000007\",\"merchant_uid\":\"o_daou\",\"status\":\"paid\","
    "\"amount\":11000,\"pay_method\":\"trans\",\"pg_provider\":\"daou\"},"
    "{\"imp_uid\":\"imp_100000000008\",\"merchant_uid\":\"o_nice_v2\",\"status\":\"paid\","
    "\"amount\":11000,\"pay_method\":\"vbank\",\"pg_provider\":\"nice_v2\"}]},"
    "{\"merchant_code\":\"imp11111111\",\"imp_key\":\"" OTHER_KEY "\","
    "\"imp_secret\":\"" OTHER_SECRET "\",\"channels\":["
    "{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}],"
    "\"payments\":["
    "{\"imp_uid\":\"imp_100000000001\",\"merchant_uid\":\"o_trans\",\"status\":\"paid\","
    "\"amount\":5000,\"pay_method\":\"trans\",\"pg_provider\":\"html5_inicis\"}]}]}";

#define FORM "application/x-www-form-urlencoded"

/* ---- helpers ---- */

static void start_with(const char *const *more)
{
    mock_start_fixtures(&M, fixture_json, more);
    mock_login(&M);
}

static int setup(void **state)
{
    (void)state;
    start_with(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

static void send_form(const char *method, const char *path, const char *body, struct http_res *r)
{
    http_do(&M, method, path, FORM, body, M.token, r);
}

static void expect(const char *method, const char *path, const char *form, long http, int code,
                   const char *message)
{
    struct http_res r;
    send_form(method, path, form, &r);
    env_refused(&r, http, code, message);
    http_res_free(&r);
}

static long num(const cJSON *o, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(it))
        fail_msg("field %s is not a number", name);
    return (long)it->valuedouble;
}

static bool receipt_flag(const char *imp_uid)
{
    char path[64];
    struct http_res r;
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    http_get(&M, path, &r);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(env_ok(&r), "cash_receipt_issued");
    assert_true(cJSON_IsBool(f));
    bool v = cJSON_IsTrue(f);
    http_res_free(&r);
    return v;
}

static void issue_ok(const char *path, const char *form, long amount, long vat)
{
    struct http_res r;
    send_form("POST", path, form, &r);
    cJSON *rc = env_ok(&r);
    assert_int_equal(num(rc, "amount"), amount);
    assert_int_equal(num(rc, "vat"), vat);
    http_res_free(&r);
}

/* ---- receipts of payments ---- */

static void test_issue_lookup_revoke(void **state)
{
    (void)state;
    struct http_res r;
    assert_false(receipt_flag("imp_100000000001"));
    send_form("POST", "/receipts/imp_100000000001", "identifier=010-0000-0000", &r);
    cJSON *rc = env_ok(&r);
    assert_string_equal(json_str(rc, "imp_uid"), "imp_100000000001");
    assert_string_equal(json_str(rc, "type"), "person");
    assert_int_equal(num(rc, "amount"), 11000);
    assert_int_equal(num(rc, "vat"), 1000);
    assert_int_equal(strlen(json_str(rc, "apply_num")), 9);
    assert_int_equal(strncmp(json_str(rc, "receipt_tid"), "RCPT", 4), 0);
    assert_non_null(strstr(json_str(rc, "receipt_url"), json_str(rc, "receipt_tid")));
    assert_true(num(rc, "applied_at") > 0);
    assert_int_equal(num(rc, "cancelled_at"), 0);
    char *issued = cJSON_PrintUnformatted(rc);
    char first_tid[64];
    snprintf(first_tid, sizeof first_tid, "%s", json_str(rc, "receipt_tid"));
    http_res_free(&r);
    assert_true(receipt_flag("imp_100000000001"));

    http_get(&M, "/receipts/imp_100000000001", &r);
    char *looked_up = cJSON_PrintUnformatted(env_ok(&r));
    assert_string_equal(issued, looked_up);
    http_res_free(&r);

    send_form("DELETE", "/receipts/imp_100000000001", NULL, &r);
    rc = env_ok(&r);
    assert_true(num(rc, "cancelled_at") >= num(rc, "applied_at"));
    assert_true(num(rc, "cancelled_at") > 0);
    http_res_free(&r);
    assert_false(receipt_flag("imp_100000000001"));
    /* a revoked receipt is still there to look up, and cannot be revoked twice */
    http_get(&M, "/receipts/imp_100000000001", &r);
    assert_true(num(env_ok(&r), "cancelled_at") > 0);
    http_res_free(&r);
    expect("DELETE", "/receipts/imp_100000000001", NULL, 200, 1,
           "이미 발급취소된 현금영수증입니다.");
    /* a new one may be issued in its place, as a company's (지출증빙), JSON this time */
    http_post_json(&M, "/receipts/imp_100000000001",
                   "{\"identifier\":\"1234567890\",\"type\":\"company\"}", &r);
    rc = env_ok(&r);
    assert_string_equal(json_str(rc, "type"), "company");
    assert_int_equal(num(rc, "cancelled_at"), 0);
    assert_string_not_equal(json_str(rc, "receipt_tid"), first_tid);
    http_res_free(&r);
    assert_true(receipt_flag("imp_100000000001"));
    cJSON_free(issued);
    cJSON_free(looked_up);
}

static void test_issue_refusals(void **state)
{
    (void)state;
    const char *id = "identifier=01000000000";
    issue_ok("/receipts/imp_100000000001", id, 11000, 1000);
    expect("POST", "/receipts/imp_100000000001", id, 400, 1,
           "이미 현금영수증이 발급된 거래입니다.");
    /* the Swagger lists no 404 here: an unknown payment is a 200 refusal */
    expect("POST", "/receipts/imp_999999999999", id, 200, -1, "존재하지 않는 결제정보입니다.");
    expect("POST", "/receipts/imp_100000000002", id, 200, 1,
           "현금성 거래(가상계좌, 계좌이체)에만 현금영수증을 발행할 수 있습니다.");
    expect("POST", "/receipts/imp_100000000003", id, 400, 1,
           "결제완료(paid) 상태가 아닌 결제건에는 현금영수증을 발행할 수 없습니다.");
    expect("POST", "/receipts/imp_100000000005", id, 501, -1,
           "현금영수증 발급을 지원하지 않는 PG사입니다.");
    expect("POST", "/receipts/imp_100000000004", NULL, 400, -1,
           "identifier 파라미터는 필수입니다.");
    expect("POST", "/receipts/imp_100000000004", "identifier=abc", 400, -1,
           "identifier 파라미터는 휴대폰번호, 주민등록번호, 사업자등록번호 또는 현금영수증카드 "
           "번호(숫자 10~19자리)여야 합니다.");
    expect("POST", "/receipts/imp_100000000004", "identifier=01000000000&type=private", 400, -1,
           "type 파라미터는 person, company 중 하나여야 합니다.");
    expect("POST", "/receipts/imp_100000000004", "identifier=01000000000&tax_free=12000", 400, -1,
           "tax_free 파라미터는 현금영수증 발행금액(11000원)보다 클 수 없습니다.");
    expect("POST", "/receipts/imp_100000000004", "identifier=01000000000&vat_amount=11001", 400, -1,
           "부가세(vat_amount)는 과세금액(11000원)보다 클 수 없습니다.");
    /* the PG's own requirements */
    expect("POST", "/receipts/imp_100000000006", id, 400, -1,
           "identifier_type 파라미터는 필수입니다.");
    expect("POST", "/receipts/imp_100000000007", id, 400, -1, "company_tel 파라미터는 필수입니다.");
    expect("POST", "/receipts/imp_100000000008", "identifier=01000000000&identifier_type=taxcard",
           400, -1, "type 파라미터는 필수입니다.");
    expect("POST", "/receipts/imp_100000000008",
           "identifier=1234567890123&identifier_type=taxcard&type=person", 400, -1,
           "nice_v2는 현금영수증카드 번호(identifier_type: taxcard)로 현금영수증을 발급할 수 "
           "없습니다.");
    /* the test identifier the PG refuses */
    expect("POST", "/receipts/imp_100000000004", "identifier=000-0000-0000", 500, -1,
           "현금영수증 발급에 실패하였습니다. 국세청에 등록되지 않은 식별정보입니다.");
    struct http_res r;
    http_get(&M, "/receipts/imp_100000000004", &r);
    assert_int_equal(r.status, 404); /* nothing was issued by any refusal */
    http_res_free(&r);
    assert_false(receipt_flag("imp_100000000004"));
}

static void test_amounts(void **state)
{
    (void)state;
    /* the balance after partial cancels; VAT 1/11 of the taxable part, rounded */
    issue_ok("/receipts/imp_100000000004", "identifier=01000000000&tax_free=1000", 11000, 909);
    issue_ok("/receipts/imp_100000000006",
             "identifier=01000000000&identifier_type=phone&vat_amount=1500", 22000, 1500);
    /* the deprecated vat, when vat_amount is not given */
    issue_ok("/receipts/imp_100000000007",
             "identifier=1234567890&company_tel=0212345678&company_name=상점&corp_reg_no="
             "1234567890&vat=800",
             11000, 800);
    issue_ok("/receipts/imp_100000000008",
             "identifier=01000000000&identifier_type=phone&type="
             "person&vat=800&vat_amount=700",
             11000, 700);
}

static void test_lookup_and_revoke_refusals(void **state)
{
    (void)state;
    expect("GET", "/receipts/imp_999999999999", NULL, 404, -1, "존재하지 않는 결제정보입니다.");
    expect("GET", "/receipts/imp_100000000001", NULL, 404, -1,
           "해당 아임포트 고유 번호(imp_100000000001)로 현금영수증을 발급 한 내역이 존재하지 "
           "않습니다.");
    expect("DELETE", "/receipts/imp_100000000001", NULL, 400, -1,
           "해당 아임포트 고유 번호(imp_100000000001)로 현금영수증을 발급 한 내역이 존재하지 "
           "않습니다.");
    expect("DELETE", "/receipts/imp_999999999999", NULL, 400, -1, NULL);
    /* KICC issues receipts through the API but cannot revoke them */
    issue_ok("/receipts/imp_100000000006", "identifier=01000000000&identifier_type=phone", 22000,
             2000);
    expect("DELETE", "/receipts/imp_100000000006", NULL, 501, -1,
           "현금영수증 발급을 지원하지 않는 PG사입니다.");
    assert_true(receipt_flag("imp_100000000006"));
}

static void test_unauthorized(void **state)
{
    (void)state;
    static const char *const calls[][2] = {
        {"GET", "/receipts/imp_100000000001"},    {"POST", "/receipts/imp_100000000001"},
        {"DELETE", "/receipts/imp_100000000001"}, {"GET", "/receipts/external/x"},
        {"POST", "/receipts/external/x"},         {"DELETE", "/receipts/external/x"},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        struct http_res r;
        http_do(&M, calls[i][0], calls[i][1], FORM, "identifier=01000000000", NULL, &r);
        env_refused(&r, 401, -1, "Unauthorized");
        http_res_free(&r);
    }
}

/* ---- receipts of outside sales ---- */

static void test_external(void **state)
{
    (void)state;
    struct http_res r;
    const char *body = "channel_key=nice&name=현장판매&amount=33000&identifier=01000000000";
    send_form("POST", "/receipts/external/cash-0001", body, &r);
    cJSON *rc = env_ok(&r);
    assert_string_equal(json_str(rc, "merchant_uid"), "cash-0001");
    assert_null(cJSON_GetObjectItemCaseSensitive(rc, "imp_uid"));
    assert_int_equal(num(rc, "amount"), 33000);
    assert_int_equal(num(rc, "vat"), 3000);
    assert_non_null(strstr(json_str(rc, "receipt_url"), "/nice/"));
    http_res_free(&r);
    expect("POST", "/receipts/external/cash-0001", body, 400, 1,
           "이미 현금영수증이 발행된 merchant_uid입니다: cash-0001");
    http_get(&M, "/receipts/external/cash-0001", &r);
    assert_int_equal(num(env_ok(&r), "amount"), 33000);
    http_res_free(&r);
    /* "{pg}.{MID}" names the channel too; JSON bodies work as forms do */
    http_post_json(&M, "/receipts/external/cash-0002",
                   "{\"channel_key\":\"nice.nictest04m\",\"name\":\"x\",\"amount\":1100,"
                   "\"identifier\":\"01000000000\",\"tax_free\":100,\"pay_method\":\"trans\"}",
                   &r);
    assert_int_equal(num(env_ok(&r), "vat"), 91);
    http_res_free(&r);

    send_form("DELETE", "/receipts/external/cash-0001", NULL, &r);
    assert_true(num(env_ok(&r), "cancelled_at") > 0);
    http_res_free(&r);
    expect("DELETE", "/receipts/external/cash-0001", NULL, 200, 1,
           "이미 발급취소된 현금영수증입니다.");
    issue_ok("/receipts/external/cash-0001", body, 33000, 3000); /* again after the revocation */
    expect("GET", "/receipts/external/nope", NULL, 404, -1,
           "merchant_uid(nope)로 발행된 현금영수증이 존재하지 않습니다.");
    expect("DELETE", "/receipts/external/nope", NULL, 404, -1,
           "merchant_uid(nope)로 발행된 현금영수증이 존재하지 않습니다.");
    /* KICC issues outside receipts but cannot revoke them */
    issue_ok("/receipts/external/cash-kicc",
             "channel_key=kicc&name=x&amount=1100&identifier=01000000000&identifier_type=phone",
             1100, 100);
    expect("DELETE", "/receipts/external/cash-kicc", NULL, 501, -1, NULL);
}

static void test_external_refusals(void **state)
{
    (void)state;
    const char *p = "/receipts/external/cash-0003";
    expect("POST", p, "name=x&amount=1000&identifier=01000000000", 400, -1,
           "channel_key 파라미터는 필수입니다.");
    expect("POST", p, "channel_key=nice&amount=1000&identifier=01000000000", 400, -1,
           "name 파라미터는 필수입니다.");
    expect("POST", p, "channel_key=nice&name=x&identifier=01000000000", 400, -1,
           "amount 파라미터는 필수입니다.");
    expect("POST", p, "channel_key=nice&name=x&amount=0&identifier=01000000000", 400, -1,
           "amount 파라미터는 0보다 커야 합니다.");
    expect("POST", p, "channel_key=nice&name=x&amount=1000&identifier=01000000000&pay_method=card",
           400, -1, "pay_method 파라미터는 trans, vbank 중 하나여야 합니다.");
    expect("POST", "/receipts/external/m12345678901234567890123456789012345678901",
           "channel_key=nice&name=x&amount=1000&identifier=01000000000", 400, -1,
           "merchant_uid 파라미터가 너무 깁니다 (최대 40바이트).");
    expect("POST", p, "channel_key=naverpay&name=x&amount=1000&identifier=01000000000", 200, -1,
           "channel_key(naverpay)에 해당하는 채널을 찾을 수 없습니다.");
    expect("POST", p, "channel_key=kakaopay&name=x&amount=1000&identifier=01000000000", 501, -1,
           "현금영수증 발급을 지원하지 않는 PG사입니다.");
    /* welcome needs a buyer_tel, corp_reg_no, type and pay_method */
    expect("POST", p, "channel_key=welcome&name=x&amount=1000&identifier=01000000000", 400, -1,
           "type 파라미터는 필수입니다.");
    expect("POST", p,
           "channel_key=welcome&name=x&amount=1000&identifier=01000000000&type=person&buyer_"
           "tel=01012345678&corp_reg_no=1234567890",
           400, -1, "pay_method 파라미터는 필수입니다.");
    issue_ok(p,
             "channel_key=welcome&name=x&amount=1000&identifier=01000000000&type=person&buyer_"
             "tel=01012345678&corp_reg_no=1234567890&pay_method=vbank",
             1000, 91);
}

/* ---- tenants, reset, scenarios ---- */

static void login_other(struct mock *other)
{
    *other = M;
    struct http_res r;
    http_do(&M, "POST", "/users/getToken", FORM, "imp_key=" OTHER_KEY "&imp_secret=" OTHER_SECRET,
            NULL, &r);
    snprintf(other->token, sizeof other->token, "%s", json_str(env_ok(&r), "access_token"));
    http_res_free(&r);
}

static void test_tenant_isolation(void **state)
{
    (void)state;
    struct mock other;
    login_other(&other);
    issue_ok("/receipts/imp_100000000001", "identifier=01000000000", 11000, 1000);
    issue_ok("/receipts/external/cash-1",
             "channel_key=nice&name=x&amount=1100&identifier="
             "01000000000",
             1100, 100);
    /* the other merchant has a payment of the same imp_uid, with no receipt */
    struct http_res r;
    http_do(&other, "GET", "/receipts/imp_100000000001", NULL, NULL, other.token, &r);
    env_refused(&r, 404, -1, NULL);
    http_res_free(&r);
    http_do(&other, "GET", "/receipts/external/cash-1", NULL, NULL, other.token, &r);
    env_refused(&r, 404, -1, NULL);
    http_res_free(&r);
    http_do(&other, "DELETE", "/receipts/imp_100000000001", NULL, NULL, other.token, &r);
    env_refused(&r, 400, -1, NULL);
    http_res_free(&r);
    /* and issues its own, which leaves the first merchant's as it was */
    http_do(&other, "POST", "/receipts/imp_100000000001", FORM, "identifier=01000000000",
            other.token, &r);
    assert_int_equal(num(env_ok(&r), "amount"), 5000);
    http_res_free(&r);
    http_get(&M, "/receipts/imp_100000000001", &r);
    assert_int_equal(num(env_ok(&r), "amount"), 11000);
    http_res_free(&r);
    /* a reset of the other merchant forgets its receipt only */
    http_do(&M, "POST", "/__mock/reset?imp_key=" OTHER_KEY, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    http_get(&M, "/receipts/imp_100000000001", &r);
    env_ok(&r);
    http_res_free(&r);
    login_other(&other);
    http_do(&other, "GET", "/receipts/imp_100000000001", NULL, NULL, other.token, &r);
    env_refused(&r, 404, -1, NULL);
    http_res_free(&r);
}

static void test_reset_forgets(void **state)
{
    (void)state;
    issue_ok("/receipts/imp_100000000001", "identifier=01000000000", 11000, 1000);
    struct http_res r;
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    mock_login(&M);
    expect("GET", "/receipts/imp_100000000001", NULL, 404, -1, NULL);
    assert_false(receipt_flag("imp_100000000001"));
}

static void test_scenario_fails_receipt(void **state)
{
    (void)state;
    assert_int_equal(mock_stop(&M), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/receipt-issuance-fails.json", getenv("TEST_SCENARIO_DIR"));
    const char *more[] = {"--scenario", path, NULL};
    start_with(more);
    /* the first receipt call of the order fails at the PG: nothing issued */
    expect("POST", "/receipts/imp_100000000001", "identifier=01000000000", 500, -1,
           "[PG] 현금영수증 발급 요청이 국세청에 전달되지 않았습니다. 잠시 후 다시 시도해주세요.");
    expect("GET", "/receipts/imp_100000000001", NULL, 404, -1, NULL);
    assert_false(receipt_flag("imp_100000000001"));
    /* the retry is issued, and later calls of the order go through */
    issue_ok("/receipts/imp_100000000001", "identifier=01000000000", 11000, 1000);
    struct http_res r;
    send_form("DELETE", "/receipts/imp_100000000001", NULL, &r);
    env_ok(&r);
    http_res_free(&r);
    /* each order fails once: an outside sale's first call too */
    const char *ext = "channel_key=nice&name=x&amount=1100&identifier=01000000000";
    expect("POST", "/receipts/external/cash-9", ext, 500, -1, NULL);
    issue_ok("/receipts/external/cash-9", ext, 1100, 100);
    /* a transport rule on op receipt answers before the handler */
    http_do(&M, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"receipts-down\",\"description\":\"t\",\"rules\":[{\"when\":{\"op\":"
            "\"receipt\"},\"then\":{\"status\":503}}]}",
            NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    send_form("POST", "/receipts/imp_100000000004", "identifier=01000000000", &r);
    assert_int_equal(r.status, 503);
    http_res_free(&r);
    http_get(&M, "/receipts/imp_100000000001", &r); /* lookups are op lookup */
    env_ok(&r);
    http_res_free(&r);
}

/* ---- state across restarts, export / import ---- */

static void make_receipts(void)
{
    issue_ok("/receipts/imp_100000000001", "identifier=01000000000", 11000, 1000);
    issue_ok("/receipts/imp_100000000004", "identifier=01000000000", 11000, 1000);
    struct http_res r;
    send_form("DELETE", "/receipts/imp_100000000004", NULL, &r);
    env_ok(&r);
    http_res_free(&r);
    issue_ok("/receipts/external/cash-1",
             "channel_key=nice&name=x&amount=1100&identifier="
             "01000000000",
             1100, 100);
}

static void test_state_dir_restart(void **state)
{
    (void)state;
    assert_int_equal(mock_stop(&M), 0);
    snprintf(state_dir, sizeof state_dir, "%s/state", work_dir);
    const char *more[] = {"--state-dir", state_dir, NULL};
    start_with(more);
    make_receipts();
    char *before = mock_export(&M);
    assert_non_null(strstr(before, "\"receipts\""));
    assert_null(strstr(before, "01000000000")); /* the identifier is kept nowhere */
    assert_int_equal(mock_stop(&M), 0);
    start_with(more);
    char *after = mock_export(&M);
    assert_string_equal(before, after);
    assert_true(receipt_flag("imp_100000000001"));
    assert_false(receipt_flag("imp_100000000004"));
    expect("POST", "/receipts/imp_100000000001", "identifier=01000000000", 400, 1, NULL);
    free(before);
    free(after);
    /* the log holds no identifier either */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "grep -q 01000000000 '%s/state.log'", state_dir);
    assert_int_not_equal(system(cmd), 0);
    assert_int_equal(mock_stop(&M), 0);
    assert_true(scratch_dir_remove(state_dir));
    start_with(NULL);
}

static void test_export_import(void **state)
{
    (void)state;
    make_receipts();
    char *before = mock_export(&M);
    struct http_res r;
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/import", "application/json", before, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    char *after = mock_export(&M);
    assert_string_equal(before, after);
    mock_login(&M);
    http_get(&M, "/receipts/external/cash-1", &r);
    assert_int_equal(num(env_ok(&r), "amount"), 1100);
    http_res_free(&r);
    assert_true(receipt_flag("imp_100000000001"));
    /* a bad receipt record changes nothing */
    http_do(&M, "POST", "/__mock/import", "application/json",
            "{\"format\":1,\"receipts\":[{\"key\":\"\"}]}", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "receipts[0]"));
    http_res_free(&r);
    char *still = mock_export(&M);
    assert_string_equal(before, still);
    free(before);
    free(after);
    free(still);
}

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    scratch_dir_new(work_dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    bool removed = scratch_dir_remove(work_dir);
    curl_global_cleanup();
    return removed ? 0 : -1;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_issue_lookup_revoke),        T(test_issue_refusals),    T(test_amounts),
        T(test_lookup_and_revoke_refusals), T(test_unauthorized),      T(test_external),
        T(test_external_refusals),          T(test_tenant_isolation),  T(test_reset_forgets),
        T(test_scenario_fails_receipt),     T(test_state_dir_restart), T(test_export_import),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
