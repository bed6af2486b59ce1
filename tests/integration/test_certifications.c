/* test_certifications.c - identity verification over real HTTP (reference
 * §19): the SMS code pair with the fixtures' test phones, the result (GET,
 * DELETE), every refusal with its status, tenant isolation, --state-dir,
 * export/import, a scenario and fixtures with a code of their own. */
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
static char work_dir[SCRATCH_DIR_MAX];

#define FORM     "application/x-www-form-urlencoded"
#define PERSON   "name=홍길동&birth=930708&gender_digit=1&carrier=SKT"
#define GOOD_OTP "123456"

static int setup(void **state)
{
    (void)state;
    mock_start(&M, NULL);
    mock_login(&M);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

/* ---- helpers ---- */

static void send_form(const struct mock *m, const char *method, const char *path, const char *body,
                      struct http_res *r)
{
    http_do(m, method, path, FORM, body, m->token, r);
}

static void expect(const char *method, const char *path, const char *form, long http, int code,
                   const char *message)
{
    struct http_res r;
    send_form(&M, method, path, form, &r);
    env_refused(&r, http, code, message);
    http_res_free(&r);
}

/* An OTP request for the person with phone and `extra` fields; its imp_uid. */
static void request_otp(const struct mock *m, const char *phone, const char *extra, char uid[32])
{
    char body[512];
    snprintf(body, sizeof body, PERSON "&phone=%s%s", phone, extra ? extra : "");
    struct http_res r;
    send_form(m, "POST", "/certifications/otp/request", body, &r);
    cJSON *resp = env_ok(&r);
    assert_int_equal(cJSON_GetArraySize(resp), 1); /* {imp_uid} only */
    const char *u = json_str(resp, "imp_uid");
    assert_non_null(u);
    assert_int_equal(strlen(u), 16);
    assert_int_equal(strncmp(u, "imp_", 4), 0);
    snprintf(uid, 32, "%s", u);
    http_res_free(&r);
}

/* Confirms uid with otp; the result as compact JSON (owned). */
static char *confirm(const struct mock *m, const char *uid, const char *otp)
{
    char path[96], body[64];
    snprintf(path, sizeof path, "/certifications/otp/confirm/%s", uid);
    snprintf(body, sizeof body, "otp=%s", otp);
    struct http_res r;
    send_form(m, "POST", path, body, &r);
    char *text = cJSON_PrintUnformatted(env_ok(&r));
    http_res_free(&r);
    return text;
}

/* The same, parsed (owned: cJSON_Delete). */
static cJSON *confirm_json(const struct mock *m, const char *uid, const char *otp)
{
    char *text = confirm(m, uid, otp);
    cJSON *o = cJSON_Parse(text);
    cJSON_free(text);
    assert_non_null(o);
    return o;
}

static cJSON *get_cert(const char *uid, struct http_res *r)
{
    char path[96];
    snprintf(path, sizeof path, "/certifications/%s", uid);
    http_get(&M, path, r);
    return env_ok(r);
}

static bool is_null(const cJSON *o, const char *name)
{
    return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* ---- the code pair and the result ---- */

static void test_request_confirm_get(void **state)
{
    (void)state;
    char uid[32];
    request_otp(&M, "010-0000-1234", "&merchant_uid=signup-1&company=impmock.shop", uid);
    /* before the code: the request is there, the person's data are not */
    struct http_res r;
    cJSON *c = get_cert(uid, &r);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "certified")));
    assert_int_equal((long)json_num(c, "certified_at"), 0);
    assert_true(is_null(c, "name") && is_null(c, "unique_key") && is_null(c, "birthday"));
    assert_string_equal(json_str(c, "merchant_uid"), "signup-1");
    assert_string_equal(json_str(c, "pg_provider"), "danal");
    assert_int_equal(strlen(json_str(c, "pg_tid")), 24);
    http_res_free(&r);

    char *done = confirm(&M, uid, GOOD_OTP);
    cJSON *o = cJSON_Parse(done);
    assert_string_equal(json_str(o, "imp_uid"), uid);
    assert_string_equal(json_str(o, "name"), "홍길동");
    assert_string_equal(json_str(o, "gender"), "male");
    assert_int_equal((long)json_num(o, "birth"), 742057200L); /* 1993-07-08 00:00 KST */
    assert_string_equal(json_str(o, "birthday"), "1993-07-08");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "foreigner")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "foreigner_v2")));
    assert_string_equal(json_str(o, "phone"), "01000001234");
    assert_string_equal(json_str(o, "carrier"), "SKT");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "certified")));
    assert_true(json_num(o, "certified_at") > 0);
    assert_int_equal(strlen(json_str(o, "unique_key")), 88);
    assert_int_equal(strlen(json_str(o, "unique_in_site")), 64);
    assert_int_equal(strncmp(json_str(o, "unique_in_site"), "MC0GCCqGSIb3DQIJAyEA", 20), 0);
    assert_true(is_null(o, "origin"));
    /* GET gives the same result */
    c = get_cert(uid, &r);
    char *again = cJSON_PrintUnformatted(c);
    assert_string_equal(done, again);
    http_res_free(&r);
    /* the same person verified again gets the same CI and DI */
    char uid2[32];
    request_otp(&M, "01000001234", "&merchant_uid=signup-2", uid2);
    char *second = confirm(&M, uid2, GOOD_OTP);
    cJSON *o2 = cJSON_Parse(second);
    assert_string_equal(json_str(o2, "unique_key"), json_str(o, "unique_key"));
    assert_string_equal(json_str(o2, "unique_in_site"), json_str(o, "unique_in_site"));
    assert_string_not_equal(json_str(o2, "imp_uid"), uid);
    cJSON_Delete(o);
    cJSON_Delete(o2);
    cJSON_free(done);
    cJSON_free(again);
    cJSON_free(second);
}

static void test_people(void **state)
{
    (void)state;
    char uid[32];
    /* born 2001, female (4), MVNO of KT, a JSON body */
    struct http_res r;
    http_post_json(&M, "/certifications/otp/request",
                   "{\"name\":\"김영희\",\"phone\":\"010.0000.5678\",\"birth\":\"01-02-28\","
                   "\"gender_digit\":\"4\",\"carrier\":\"KT\",\"is_mvno\":true}",
                   &r);
    snprintf(uid, sizeof uid, "%s", json_str(env_ok(&r), "imp_uid"));
    http_res_free(&r);
    cJSON *o = confirm_json(&M, uid, GOOD_OTP);
    assert_string_equal(json_str(o, "gender"), "female");
    assert_string_equal(json_str(o, "birthday"), "2001-02-28");
    assert_string_equal(json_str(o, "carrier"), "KT_MVNO");
    cJSON_Delete(o);
    /* a foreigner (kcp_v2: 5 to 8) */
    send_form(&M, "POST", "/certifications/otp/request",
              "name=John&birth=850101&gender_digit=5&carrier=LGT&phone=01000001111&pg=kcp_v2.MID",
              &r);
    snprintf(uid, sizeof uid, "%s", json_str(env_ok(&r), "imp_uid"));
    http_res_free(&r);
    o = confirm_json(&M, uid, GOOD_OTP);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "foreigner")));
    assert_string_equal(json_str(o, "gender"), "male");
    assert_string_equal(json_str(o, "birthday"), "1985-01-01");
    assert_string_equal(json_str(o, "pg_provider"), "kcp_v2");
    cJSON_Delete(o);
    /* 010-0000-0000: a merchant without the carriers' pre-approval sees no phone or carrier */
    request_otp(&M, "010-0000-0000", NULL, uid);
    o = confirm_json(&M, uid, GOOD_OTP);
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "phone"));
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "carrier"));
    assert_non_null(json_str(o, "name"));
    cJSON_Delete(o);
    /* kcp_v2's APP method is confirmed without a code (danal's needs one) */
    request_otp(&M, "010-0000-2222", "&pg=kcp_v2&verification_method=APP", uid);
    char path[96];
    snprintf(path, sizeof path, "/certifications/otp/confirm/%s", uid);
    send_form(&M, "POST", path, NULL, &r);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(env_ok(&r), "certified")));
    http_res_free(&r);
}

static void test_request_refusals(void **state)
{
    (void)state;
    const char *p = "/certifications/otp/request";
    expect("POST", p, "birth=930708&gender_digit=1&carrier=SKT&phone=01000001234", 400, -1,
           "name 파라미터는 필수입니다.");
    expect("POST", p, PERSON, 400, -1, "phone 파라미터는 필수입니다.");
    expect("POST", p, "name=a&gender_digit=1&carrier=SKT&phone=01000001234", 400, -1,
           "birth 파라미터는 필수입니다.");
    expect("POST", p, "name=a&birth=930708&carrier=SKT&phone=01000001234", 400, -1,
           "gender_digit 파라미터는 필수입니다.");
    expect("POST", p, "name=a&birth=930708&gender_digit=1&phone=01000001234", 400, -1,
           "carrier 파라미터는 필수입니다.");
    expect("POST", p, "name=a&birth=930708&gender_digit=1&phone=01000001234&carrier=KTF", 400, -1,
           "carrier 파라미터는 SKT, KT, LGT 중 하나여야 합니다.");
    expect("POST", p, PERSON "&phone=02-123-4567", 400, -1,
           "phone 파라미터는 휴대폰번호(숫자 10~11자리)여야 합니다.");
    expect("POST", p, "name=a&birth=930230&gender_digit=1&carrier=SKT&phone=01000001234", 400, -1,
           "birth 파라미터는 생년월일 6자리(YYMMDD)여야 합니다.");
    expect("POST", p, "name=a&birth=1993-07-08&gender_digit=1&carrier=SKT&phone=01000001234", 400,
           -1, "birth 파라미터는 생년월일 6자리(YYMMDD)여야 합니다.");
    expect("POST", p, "name=a&birth=930708&gender_digit=9&carrier=SKT&phone=01000001234", 400, -1,
           "gender_digit 파라미터는 주민등록번호 뒷자리 첫 숫자(1~8)여야 합니다.");
    expect("POST", p, PERSON "&phone=01000001234&verification_method=PUSH", 400, -1,
           "verification_method 파라미터는 SMS, APP 중 하나여야 합니다.");
    expect("POST", p, PERSON "&phone=01000001234&pg=inicis", 400, -1,
           "휴대폰 본인인증 API는 다날(danal)과 kcp_v2만 지원합니다: inicis");
    /* the test phones the carrier refuses, and every phone the fixtures do not list */
    expect("POST", p, PERSON "&phone=010-9999-9999", 400, 1,
           "본인인증 대상자 정보가 올바르지 않습니다.");
    expect("POST", p, PERSON "&phone=010-1234-5678", 400, 1,
           "본인인증 대상자 정보가 올바르지 않습니다.");
    struct http_res r;
    http_do(&M, "POST", p, FORM, PERSON "&phone=01000001234", NULL, &r);
    env_refused(&r, 401, -1, "Unauthorized");
    http_res_free(&r);
}

static void test_confirm_refusals(void **state)
{
    (void)state;
    expect("POST", "/certifications/otp/confirm/imp_000000000000", "otp=123456", 404, -1,
           "인증결과가 존재하지 않습니다.");
    char uid[32], path[96];
    request_otp(&M, "010-0000-3333", NULL, uid);
    snprintf(path, sizeof path, "/certifications/otp/confirm/%s", uid);
    expect("POST", path, NULL, 400, -1, "otp 파라미터는 필수입니다.");
    expect("POST", path, "otp=", 400, -1, "otp 파라미터는 필수입니다.");
    expect("POST", path, "otp=000000", 500, -1, "인증번호가 일치하지 않습니다.");
    expect("POST", path, "otp=654321", 500, -1, "인증번호가 일치하지 않습니다.");
    cJSON_free(confirm(&M, uid, GOOD_OTP)); /* wrong codes before do not lock it */
    expect("POST", path, "otp=123456", 400, 1, "이미 본인인증이 완료된 건입니다.");
    struct http_res r;
    http_do(&M, "POST", path, FORM, "otp=123456", NULL, &r);
    env_refused(&r, 401, -1, "Unauthorized");
    http_res_free(&r);
}

static void test_delete(void **state)
{
    (void)state;
    char uid[32], path[96];
    request_otp(&M, "010-0000-4444", NULL, uid);
    char *done = confirm(&M, uid, GOOD_OTP);
    snprintf(path, sizeof path, "/certifications/%s", uid);
    struct http_res r;
    send_form(&M, "DELETE", path, NULL, &r);
    char *deleted = cJSON_PrintUnformatted(env_ok(&r));
    assert_string_equal(done, deleted); /* the result as it was */
    http_res_free(&r);
    expect("GET", path, NULL, 404, -1, "인증결과가 존재하지 않습니다.");
    expect("DELETE", path, NULL, 404, -1, "인증결과가 존재하지 않습니다.");
    snprintf(path, sizeof path, "/certifications/otp/confirm/%s", uid);
    expect("POST", path, "otp=123456", 404, -1, "인증결과가 존재하지 않습니다.");
    http_do(&M, "DELETE", "/certifications/imp_1", NULL, NULL, NULL, &r);
    env_refused(&r, 401, -1, "Unauthorized");
    http_res_free(&r);
    cJSON_free(done);
    cJSON_free(deleted);
}

/* ---- tenants, scenarios, fixtures ---- */

static void test_tenant_isolation(void **state)
{
    (void)state;
    assert_int_equal(mock_stop(&M), 0);
    const char *more[] = {"--open-tenants", NULL};
    mock_start(&M, more);
    mock_login(&M);
    struct mock other = M;
    struct http_res r;
    http_do(&M, "POST", "/users/getToken", FORM, "imp_key=job-2&imp_secret=s2", NULL, &r);
    snprintf(other.token, sizeof other.token, "%s", json_str(env_ok(&r), "access_token"));
    http_res_free(&r);
    char uid[32], path[96];
    request_otp(&M, "010-0000-5555", NULL, uid);
    cJSON *mine = confirm_json(&M, uid, GOOD_OTP);
    snprintf(path, sizeof path, "/certifications/%s", uid);
    http_do(&other, "GET", path, NULL, NULL, other.token, &r);
    env_refused(&r, 404, -1, NULL);
    http_res_free(&r);
    http_do(&other, "DELETE", path, NULL, NULL, other.token, &r);
    env_refused(&r, 404, -1, NULL);
    http_res_free(&r);
    /* the same person at another merchant: the same CI, a DI of its own */
    char uid2[32];
    request_otp(&other, "010-0000-5555", NULL, uid2);
    cJSON *theirs = confirm_json(&other, uid2, GOOD_OTP);
    assert_string_equal(json_str(mine, "unique_key"), json_str(theirs, "unique_key"));
    assert_string_not_equal(json_str(mine, "unique_in_site"), json_str(theirs, "unique_in_site"));
    cJSON_Delete(mine);
    cJSON_Delete(theirs);
}

static void test_scenario(void **state)
{
    (void)state;
    struct http_res r;
    http_do(&M, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"danal-down\",\"description\":\"Danal fails the first two calls\","
            "\"rules\":[{\"when\":{\"op\":\"certification\",\"first\":2},"
            "\"then\":{\"pg_error\":\"[DANAL] 통신사 응답 지연\"}}]}",
            NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    expect("POST", "/certifications/otp/request", PERSON "&phone=01000006666", 500, -1,
           "[DANAL] 통신사 응답 지연");
    char uid[32];
    expect("POST", "/certifications/otp/request", PERSON "&phone=01000006666", 500, -1, NULL);
    request_otp(&M, "010-0000-6666", NULL, uid);
    cJSON_free(confirm(&M, uid, GOOD_OTP));
    /* card refusals make no sense for a verification: refused at load */
    http_do(&M, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"x\",\"description\":\"x\",\"rules\":[{\"when\":{\"op\":"
            "\"certification\"},\"then\":{\"decline\":\"no\"}}]}",
            NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "pg_error or pg_delay_ms"));
    http_res_free(&r);
}

static void test_fixture_phones(void **state)
{
    (void)state;
    assert_int_equal(mock_stop(&M), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/phones.json", work_dir);
    file_write(
        path, "{\"merchants\":[{\"merchant_code\":\"imp00000000\",\"imp_key\":\"" TEST_IMP_KEY "\","
              "\"imp_secret\":\"" TEST_IMP_SECRET "\",\"channels\":[{\"pg_provider\":\"kakaopay\","
              "\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"}]}],"
              "\"certification\":{\"otp\":\"654321\",\"test_phones\":["
              "{\"phone\":\"010-1234-5678\",\"outcome\":\"send\",\"disclose\":false}]}}");
    const char *args[] = {"--fixtures", path, NULL};
    mock_start(&M, args);
    mock_login(&M);
    expect("POST", "/certifications/otp/request", PERSON "&phone=01000001234", 400, 1, NULL);
    char uid[32];
    request_otp(&M, "010-1234-5678", NULL, uid);
    char p[96];
    snprintf(p, sizeof p, "/certifications/otp/confirm/%s", uid);
    expect("POST", p, "otp=123456", 500, -1, "인증번호가 일치하지 않습니다.");
    cJSON *o = confirm_json(&M, uid, "654321");
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "phone"));
    cJSON_Delete(o);
    /* a bad block stops start-up naming the field */
    file_write(path, "{\"merchants\":[{\"merchant_code\":\"imp00000000\",\"imp_key\":\"k\","
                     "\"imp_secret\":\"s\",\"channels\":[{\"pg_provider\":\"kakaopay\","
                     "\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"}]}],"
                     "\"certification\":{\"otp\":\"12345\",\"test_phones\":[]}}");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "timeout 20 %s --port 0 --quiet --fixtures '%s' 2>&1 | grep -q otp",
             getenv("IMPMOCK_BIN"), path);
    assert_int_equal(system(cmd), 0);
}

/* ---- state across restarts, export / import ---- */

static void test_state_dir_and_export(void **state)
{
    (void)state;
    assert_int_equal(mock_stop(&M), 0);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/state", work_dir);
    const char *more[] = {"--state-dir", dir, NULL};
    mock_start(&M, more);
    mock_login(&M);
    char done_uid[32], open_uid[32], gone_uid[32], path[96];
    request_otp(&M, "010-0000-7777", NULL, done_uid);
    cJSON_free(confirm(&M, done_uid, GOOD_OTP));
    request_otp(&M, "010-0000-8888", NULL, open_uid);
    request_otp(&M, "010-0000-9999", NULL, gone_uid);
    snprintf(path, sizeof path, "/certifications/%s", gone_uid);
    struct http_res r;
    send_form(&M, "DELETE", path, NULL, &r);
    env_ok(&r);
    http_res_free(&r);
    char *before = mock_export(&M);
    assert_int_equal(mock_stop(&M), 0);
    mock_start(&M, more);
    mock_login(&M);
    char *after = mock_export(&M);
    assert_string_equal(before, after);
    expect("GET", path, NULL, 404, -1, NULL);    /* the deletion was kept */
    cJSON_free(confirm(&M, open_uid, GOOD_OTP)); /* the open request still takes its code */
    char *confirmed = mock_export(&M);
    /* export / import: the same state back, after a reset */
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/import", "application/json", confirmed, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    char *imported = mock_export(&M);
    assert_string_equal(confirmed, imported);
    mock_login(&M);
    cJSON *c = get_cert(done_uid, &r);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "certified")));
    http_res_free(&r);
    free(before);
    free(after);
    free(confirmed);
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
        T(test_request_confirm_get),
        T(test_people),
        T(test_request_refusals),
        T(test_confirm_refusals),
        T(test_delete),
        T(test_tenant_isolation),
        T(test_scenario),
        T(test_fixture_phones),
        T(test_state_dir_and_export),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
