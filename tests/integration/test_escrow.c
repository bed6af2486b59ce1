/* test_escrow.c - shipping records of escrow payments over real HTTP
 * (reference §20): register, edit, look up, the fields each PG requires,
 * courier codes, every refusal with its status (400, 404, 405, 409, 500),
 * tenant isolation, --state-dir, export/import and a scenario. */
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

#define OTHER_KEY    "imp_other"
#define OTHER_SECRET "other-secret"
#define FORM         "application/x-www-form-urlencoded"

#define PAY(uid, muid, status, pg, escrow)                                                         \
    "{\"imp_uid\":\"" uid "\",\"merchant_uid\":\"" muid "\",\"status\":\"" status "\","            \
    "\"amount\":30000,\"pg_provider\":\"" pg "\",\"escrow\":" escrow "}"

static const char
    fixture_json[] =
        "{\"merchants\":[{\"merchant_code\":\"imp00000000\",\"imp_key\":\"" TEST_IMP_KEY "\","
        "\"imp_secret\":\"" TEST_IMP_SECRET "\",\"channels\":["
        "{\"pg_provider\":\"html5_inicis\",\"pg_id\":\"INIpayTest\",\"kind\":\"onetime\"}],"
        "\"payments\":[" PAY("imp_100000000001", "o_inicis", "paid", "html5_inicis", "true") "," PAY("imp_100000000002", "o_kcp", "paid", "kcp", "true") "," PAY(
            "imp_100000000003",
            "o_nice_v2", "paid",
            "nice_v2",
            "true") "," PAY("imp_100000000004", "o_plain", "paid", "html5_inicis",
                            "false") "," PAY("imp_100000000005", "o_cancelled", "cancelled",
                                             "html5_inicis",
                                             "true") "," PAY("imp_100000000006", "o_daou", "paid",
                                                             "daou",
                                                             "true") "," PAY("imp_100000000007",
                                                                             "o_welcome", "paid",
                                                                             "welcome",
                                                                             "true") "," PAY("imp_"
                                                                                             "1000"
                                                                                             "0"
                                                                                             "0000"
                                                                                             "0"
                                                                                             "08",
                                                                                             "o_"
                                                                                             "kaka"
                                                                                             "o",
                                                                                             "pai"
                                                                                             "d",
                                                                                             "kaka"
                                                                                             "o"
                                                                                             "pay",
                                                                                             "tru"
                                                                                             "e") "," PAY("imp_100000000009",
                                                                                                          "o_smartro",
                                                                                                          "paid",
                                                                                                          "smartro_v2",
                                                                                                          "true") "]},"
                                                                                                                  "{\"merchant_code\":\"imp11111111\",\"imp_key\":\"" OTHER_KEY
                                                                                                                  "\","
                                                                                                                  "\"imp_secret\":\"" OTHER_SECRET
                                                                                                                  "\",\"channels\":["
                                                                                                                  "{\"pg_provider\":\"html5_inicis\",\"pg_id\":\"INIpayTest\",\"kind\":\"onetime\"}],"
                                                                                                                  "\"payments\":[" PAY(
                                                                                                                      "imp_100000000001",
                                                                                                                      "o_inicis",
                                                                                                                      "paid",
                                                                                                                      "html5_inicis",
                                                                                                                      "true") "]}]}";

/* What KG이니시스 requires: the sender and receiver in full. */
#define PEOPLE                                                                                      \
    "\"sender\":{\"name\":\"판매자\",\"tel\":\"02-1234-5678\",\"addr\":\"서울\",\"postcode\":" \
    "\"04524\",\"relationship\":\"본인\"},\"receiver\":{\"name\":\"구매자\",\"tel\":"          \
    "\"010-1234-5678\",\"addr\":\"부산\",\"postcode\":\"48058\"}"
#define LOGIS(company, invoice, sent_at)                                                           \
    "\"logis\":{\"company\":\"" company "\",\"invoice\":\"" invoice "\",\"sent_at\":" sent_at "}"

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

/* ---- helpers ---- */

static void send_json(const char *method, const char *uid, const char *json, struct http_res *r)
{
    char path[96];
    snprintf(path, sizeof path, "/escrows/logis/%s", uid);
    http_do(&M, method, path, json ? "application/json" : NULL, json, M.token, r);
}

static void expect(const char *method, const char *uid, const char *json, long http, int code,
                   const char *message)
{
    struct http_res r;
    send_json(method, uid, json, &r);
    env_refused(&r, http, code, message);
    http_res_free(&r);
}

/* Sends and checks the EscrowLogis answer. */
static void saved(const char *method, const char *uid, const char *json, const char *company,
                  const char *invoice, long sent_at)
{
    struct http_res r;
    send_json(method, uid, json, &r);
    cJSON *l = env_ok(&r);
    assert_int_equal(cJSON_GetArraySize(l), 4);
    assert_string_equal(json_str(l, "company"), company);
    assert_string_equal(json_str(l, "invoice"), invoice);
    assert_int_equal((long)json_num(l, "sent_at"), sent_at);
    assert_true(json_num(l, "applied_at") > 0);
    http_res_free(&r);
}

/* ---- register, edit, look up ---- */

static void test_register_edit_get(void **state)
{
    (void)state;
    const char *u = "imp_100000000001";
    expect("GET", u, NULL, 409, 1, "등록된 배송정보가 존재하지 않습니다.");
    expect("PUT", u, "{" PEOPLE "," LOGIS("CJGLS", "1", "1700000000") "}", 409, 1,
           "등록된 배송정보가 존재하지 않습니다.");
    saved("POST", u, "{" PEOPLE "," LOGIS("CJGLS", "640012345678", "1700000000") "}", "CJGLS",
          "640012345678", 1700000000);
    expect("POST", u, "{" PEOPLE "," LOGIS("HANJIN", "2", "1700000000") "}", 409, 1,
           "이미 배송정보가 등록된 거래건입니다.");
    struct http_res r;
    send_json("GET", u, NULL, &r);
    assert_string_equal(json_str(env_ok(&r), "invoice"), "640012345678");
    http_res_free(&r);
    /* an edit, form-encoded two levels deep; a code outside the table is ETC */
    http_do(&M, "PUT", "/escrows/logis/imp_100000000001", FORM,
            "sender[name]=a&sender[tel]=1&sender[addr]=x&sender[postcode]=1&receiver[name]=b&"
            "receiver[tel]=2&receiver[addr]=y&receiver[postcode]=2&logis[company]=UNKNOWN&"
            "logis[invoice]=99&logis[sent_at]=1700000500",
            M.token, &r);
    cJSON *l = env_ok(&r);
    assert_string_equal(json_str(l, "company"), "ETC");
    assert_int_equal((long)json_num(l, "sent_at"), 1700000500L);
    http_res_free(&r);
    send_json("GET", u, NULL, &r);
    assert_string_equal(json_str(env_ok(&r), "invoice"), "99");
    http_res_free(&r);
    /* the retired LOGEN is still taken as it is (the official Java client sends it) */
    saved("PUT", u, "{" PEOPLE "," LOGIS("LOGEN", "7", "1700000600") "}", "LOGEN", "7", 1700000600);
    /* a method the path does not take */
    expect("DELETE", u, NULL, 405, -1, "허용되지 않는 HTTP 메소드입니다: DELETE");
}

static void test_refusals(void **state)
{
    (void)state;
    const char *good = "{" PEOPLE "," LOGIS("CJGLS", "1", "1700000000") "}";
    const char *nf = "존재하지 않는 결제정보입니다.";
    const char *unsupported = "에스크로 배송정보 등록을 지원하지 않는 거래입니다.";
    expect("GET", "imp_999999999999", NULL, 404, -1, nf);
    expect("POST", "imp_999999999999", good, 404, -1, nf);
    expect("PUT", "imp_999999999999", good, 404, -1, nf);
    expect("GET", "imp_100000000004", NULL, 400, 1, unsupported); /* not escrow */
    expect("POST", "imp_100000000004", good, 400, 1, unsupported);
    expect("POST", "imp_100000000008", good, 400, 1, unsupported); /* Kakao Pay */
    expect("POST", "imp_100000000005", good, 409, 1,
           "배송정보를 등록하거나 수정할 수 없는 거래건입니다."); /* cancelled */
    /* the body */
    expect("POST", "imp_100000000001", "{" LOGIS("CJGLS", "1", "1") "}", 400, -1,
           "sender 파라미터는 필수입니다.");
    expect("POST", "imp_100000000001",
           "{\"sender\":\"x\",\"receiver\":{}," LOGIS("CJGLS", "1", "1") "}", 400, -1,
           "sender 파라미터는 객체여야 합니다.");
    expect("POST", "imp_100000000001", "{" PEOPLE "}", 400, -1, "logis 파라미터는 필수입니다.");
    expect("POST", "imp_100000000001",
           "{" PEOPLE ",\"logis\":{\"company\":\"CJGLS\",\"sent_at\":1}}", 400, -1,
           "logis.invoice 파라미터는 필수입니다.");
    expect("POST", "imp_100000000001",
           "{" PEOPLE ",\"logis\":{\"company\":\"CJGLS\",\"invoice\":\"1\",\"sent_at\":\"x\"}}",
           400, -1, "logis.sent_at 파라미터는 숫자여야 합니다.");
    expect("POST", "imp_100000000001",
           "{\"sender\":{\"name\":\"a\",\"tel\":\"1\",\"postcode\":\"1\"},\"receiver\":{}," LOGIS(
               "CJGLS", "1", "1") "}",
           400, -1, "sender.addr 파라미터는 필수입니다.");
    expect("POST", "imp_100000000001",
           "{" PEOPLE "," LOGIS("CJGLS", "1", "1") ",\"products\":[{\"id\":\"p1\"}]}", 400, -1,
           "products[0].name 파라미터는 필수입니다.");
    /* nice_v2 registers but cannot edit */
    saved("POST", "imp_100000000003",
          "{\"sender\":{},\"receiver\":{}," LOGIS("EPOST", "5", "1") "}", "EPOST", "5", 1);
    expect("PUT", "imp_100000000003",
           "{\"sender\":{},\"receiver\":{}," LOGIS("EPOST", "6", "1") "}", 400, 1, unsupported);
    struct http_res r;
    http_do(&M, "GET", "/escrows/logis/imp_100000000001", NULL, NULL, NULL, &r);
    env_refused(&r, 401, -1, "Unauthorized");
    http_res_free(&r);
    http_do(&M, "POST", "/escrows/logis/imp_100000000001", "application/json", good, NULL, &r);
    env_refused(&r, 401, -1, "Unauthorized");
    http_res_free(&r);
}

static void test_pg_requirements(void **state)
{
    (void)state;
    /* kcp needs nothing beyond logis */
    saved("POST", "imp_100000000002",
          "{\"sender\":{},\"receiver\":{}," LOGIS("HANJIN", "8", "2") "}", "HANJIN", "8", 2);
    /* 키움페이 (daou): the sender's relationship, logis.receiving_at and address */
    const char *daou_people = "\"sender\":{\"name\":\"a\"},\"receiver\":{}";
    expect("POST", "imp_100000000006", "{" PEOPLE "," LOGIS("CJGLS", "1", "1") "}", 400, -1,
           "logis.receiving_at 파라미터는 필수입니다.");
    char body[512];
    snprintf(body, sizeof body,
             "{%s,\"logis\":{\"company\":\"CJGLS\",\"invoice\":\"1\",\"sent_at\":1,"
             "\"receiving_at\":\"20240101\",\"address\":\"서울\"}}",
             daou_people);
    expect("POST", "imp_100000000006", body, 400, -1, "sender.relationship 파라미터는 필수입니다.");
    expect("POST", "imp_100000000006",
           "{" PEOPLE ",\"logis\":{\"company\":\"CJGLS\",\"invoice\":\"1\",\"sent_at\":1,"
           "\"receiving_at\":\"20240230\",\"address\":\"서울\"}}",
           400, -1, "logis.receiving_at 파라미터는 YYYYMMDD 형식의 날짜여야 합니다.");
    saved("POST", "imp_100000000006",
          "{" PEOPLE ",\"logis\":{\"company\":\"CJGLS\",\"invoice\":\"1\",\"sent_at\":1,"
          "\"receiving_at\":\"20240229\",\"address\":\"서울\"}}",
          "CJGLS", "1", 1);
    /* 웰컴페이먼츠: products */
    expect("POST", "imp_100000000007", "{" PEOPLE "," LOGIS("CJGLS", "1", "1") "}", 400, -1,
           "products 파라미터는 필수입니다.");
    saved("POST", "imp_100000000007",
          "{" PEOPLE "," LOGIS("CJGLS", "1", "1") ",\"products\":[{\"id\":\"p1\",\"name\":"
                                                  "\"원두\",\"amount\":15000,\"quantity\":2}]}",
          "CJGLS", "1", 1);
    /* 스마트로 (smartro_v2): formed_address instead of addr */
    expect("POST", "imp_100000000009", "{" PEOPLE "," LOGIS("CJGLS", "1", "1") "}", 400, -1,
           "sender.formed_address 파라미터는 필수입니다.");
    saved(
        "POST", "imp_100000000009",
        "{\"sender\":{\"name\":\"a\",\"tel\":\"1\",\"postcode\":\"1\",\"formed_address\":{"
        "\"address_line_1\":\"서울\",\"address_line_2\":\"1층\"}},\"receiver\":{\"name\":\"b\","
        "\"tel\":\"2\",\"postcode\":\"2\",\"formed_address\":{\"address_line_1\":\"부산\"}}," LOGIS(
            "CJGLS", "1", "1") "}",
        "CJGLS", "1", 1);
}

/* ---- tenants, scenarios, state ---- */

static void test_tenant_isolation(void **state)
{
    (void)state;
    saved("POST", "imp_100000000001", "{" PEOPLE "," LOGIS("CJGLS", "1", "1") "}", "CJGLS", "1", 1);
    struct mock other = M;
    struct http_res r;
    http_do(&M, "POST", "/users/getToken", FORM, "imp_key=" OTHER_KEY "&imp_secret=" OTHER_SECRET,
            NULL, &r);
    snprintf(other.token, sizeof other.token, "%s", json_str(env_ok(&r), "access_token"));
    http_res_free(&r);
    /* its payment of the same imp_uid has no record, and gets its own */
    http_do(&other, "GET", "/escrows/logis/imp_100000000001", NULL, NULL, other.token, &r);
    env_refused(&r, 409, 1, NULL);
    http_res_free(&r);
    http_do(&other, "POST", "/escrows/logis/imp_100000000001", "application/json",
            "{" PEOPLE "," LOGIS("EPOST", "2", "2") "}", other.token, &r);
    env_ok(&r);
    http_res_free(&r);
    send_json("GET", "imp_100000000001", NULL, &r);
    assert_string_equal(json_str(env_ok(&r), "company"), "CJGLS");
    http_res_free(&r);
    /* a reset forgets the records */
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    mock_login(&M);
    expect("GET", "imp_100000000001", NULL, 409, 1, NULL);
}

static void test_scenario(void **state)
{
    (void)state;
    struct http_res r;
    http_do(&M, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"logis-fails\",\"description\":\"the PG fails the first registration\","
            "\"rules\":[{\"when\":{\"op\":\"escrow\",\"pg\":\"html5_inicis\",\"nth\":1},"
            "\"then\":{\"pg_error\":\"[INICIS] 배송등록 실패\"}}]}",
            NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    const char *body = "{" PEOPLE "," LOGIS("CJGLS", "1", "1") "}";
    expect("POST", "imp_100000000001", body, 500, -1, "[INICIS] 배송등록 실패");
    expect("GET", "imp_100000000001", NULL, 409, 1, NULL); /* nothing registered */
    saved("POST", "imp_100000000001", body, "CJGLS", "1", 1);
    saved("POST", "imp_100000000002", body, "CJGLS", "1", 1); /* kcp: not matched */
}

static void test_state_dir_and_export(void **state)
{
    (void)state;
    assert_int_equal(mock_stop(&M), 0);
    char dir[160];
    snprintf(dir, sizeof dir, "%s/state", work_dir);
    const char *more[] = {"--state-dir", dir, NULL};
    start_with(more);
    saved("POST", "imp_100000000001", "{" PEOPLE "," LOGIS("CJGLS", "1", "1") "}", "CJGLS", "1", 1);
    saved("PUT", "imp_100000000001", "{" PEOPLE "," LOGIS("HANJIN", "2", "2") "}", "HANJIN", "2",
          2);
    char *before = mock_export(&M);
    assert_non_null(strstr(before, "\"escrow_logis\""));
    assert_int_equal(mock_stop(&M), 0);
    start_with(more);
    char *after = mock_export(&M);
    assert_string_equal(before, after);
    expect("POST", "imp_100000000001", "{" PEOPLE "," LOGIS("CJGLS", "1", "1") "}", 409, 1, NULL);
    struct http_res r;
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/import", "application/json", before, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    char *imported = mock_export(&M);
    assert_string_equal(before, imported);
    mock_login(&M);
    send_json("GET", "imp_100000000001", NULL, &r);
    assert_string_equal(json_str(env_ok(&r), "company"), "HANJIN");
    http_res_free(&r);
    free(before);
    free(after);
    free(imported);
    assert_int_equal(mock_stop(&M), 0);
    assert_true(scratch_dir_remove(dir));
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
        T(test_register_edit_get), T(test_refusals), T(test_pg_requirements),
        T(test_tenant_isolation),  T(test_scenario), T(test_state_dir_and_export),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
