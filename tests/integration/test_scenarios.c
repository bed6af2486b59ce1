/* test_scenarios.c - transport faults from scenario files and the control
 * API (scenarios, requests journal, reset, clock), over real HTTP. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

static const char outage[] =
    "{\"name\":\"outage\",\"description\":\"503 for the first 2 lookups, then recovery\","
    "\"rules\":[{\"when\":{\"op\":\"lookup\",\"first\":2},"
    "\"then\":{\"status\":503,\"body\":{\"code\":-1,\"message\":\"Service Unavailable\","
    "\"response\":null}}}]}";

static void start_with_scenario(struct mock *m, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "/tmp/impmock-scn-%d.json", (int)getpid());
    file_write(path, text);
    const char *args[] = {"--scenario", path, NULL};
    mock_start(m, args);
    mock_login(m);
}

static void test_outage_then_recovery(void **state)
{
    (void)state;
    struct mock m;
    char path[128];
    start_with_scenario(&m, outage, path, sizeof path);
    struct http_res r;
    for (int i = 0; i < 2; i++) {
        http_get(&m, "/payments/imp_000000000000", &r);
        assert_int_equal(r.status, 503);
        assert_string_equal(env_message(&r), "Service Unavailable");
        http_res_free(&r);
    }
    http_get(&m, "/payments/imp_000000000000", &r);
    assert_int_equal(r.status, 404); /* recovered: the real answer */
    assert_string_equal(env_message(&r), "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
    /* hit counts in the control API */
    http_do(&m, "GET", "/__mock/scenarios", NULL, NULL, NULL, &r);
    cJSON *rule = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(r.json, 0), "rules"), 0);
    assert_int_equal((int)json_num(rule, "hits"), 3);
    assert_int_equal((int)json_num(rule, "fired"), 2);
    http_res_free(&r);
    mock_stop(&m);
    remove(path);
}

static void test_close_truncate_expire(void **state)
{
    (void)state;
    struct mock m;
    char path[128];
    start_with_scenario(
        &m,
        "{\"name\":\"faults\",\"description\":\"broken connections\",\"rules\":["
        "{\"when\":{\"op\":\"prepare\",\"nth\":1},\"then\":{\"close\":true}},"
        "{\"when\":{\"op\":\"prepare\",\"nth\":2},\"then\":{\"truncate\":true}},"
        "{\"when\":{\"route\":\"GET /payments/find/*\",\"merchant_uid\":\"cut_*\",\"nth\":1},"
        "\"then\":{\"expire_token\":true}}]}",
        path, sizeof path);
    /* 1st prepare: connection closed with no answer, nothing stored */
    CURL *c = curl_easy_init();
    char url[256];
    snprintf(url, sizeof url, "%s/payments/prepare?_token=%s", m.base, m.token);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "merchant_uid=closed_1&amount=100");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, NULL);
    FILE *devnull = fopen("/dev/null", "w");
    curl_easy_setopt(c, CURLOPT_WRITEDATA, devnull);
    assert_int_equal(curl_easy_perform(c), CURLE_GOT_NOTHING);
    curl_easy_cleanup(c);
    fclose(devnull);
    struct http_res r;
    http_get(&m, "/payments/prepare/closed_1", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    /* 2nd prepare: the answer is cut mid-JSON */
    http_post_json(&m, "/payments/prepare", "{\"merchant_uid\":\"cut_1\",\"amount\":100}", &r);
    assert_int_equal(r.status, 200);
    assert_null(r.json);
    assert_true(r.len > 0);
    http_res_free(&r);
    /* the lookup naming a merchant_uid expires the token: 401 now and after */
    http_get(&m, "/payments/find/cut_1", &r);
    assert_int_equal(r.status, 401);
    http_res_free(&r);
    http_get(&m, "/payments/prepare/cut_1", &r);
    assert_int_equal(r.status, 401);
    http_res_free(&r);
    mock_login(&m); /* a new token works again */
    http_get(&m, "/payments/prepare/cut_1", &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    mock_stop(&m);
    remove(path);
}

static void test_bad_scenario_refused_and_previous_kept(void **state)
{
    (void)state;
    struct mock m;
    char path[128];
    start_with_scenario(&m, outage, path, sizeof path);
    struct http_res r;
    http_do(&m, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"bad\",\"description\":\"x\",\"rules\":[{\"when\":{\"op\":\"charge\"},"
            "\"then\":{\"status\":99}}]}",
            NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(json_str(r.json, "error"), "rules[0]: status"));
    http_res_free(&r);
    http_do(&m, "GET", "/__mock/scenarios", NULL, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(r.json, 0), "name"), "outage");
    http_res_free(&r);
    /* delete by name, then lookups are real again */
    http_do(&m, "DELETE", "/__mock/scenarios?name=outage", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    http_res_free(&r);
    http_get(&m, "/payments/imp_000000000000", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    /* a full reset brings back the command-line scenario with counters at 0 */
    http_do(&m, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    mock_login(&m);
    http_get(&m, "/payments/imp_000000000000", &r);
    assert_int_equal(r.status, 503);
    http_res_free(&r);
    mock_stop(&m);
    remove(path);
}

static void test_bad_scenario_file_fails_startup(void **state)
{
    (void)state;
    char path[128], cmd[512];
    snprintf(path, sizeof path, "/tmp/impmock-badscn-%d.json", (int)getpid());
    file_write(path, "{\"name\":\"x\",\"description\":\"d\",\"rules\":[{\"when\":{},"
                     "\"then\":{\"decline\":\"\"}}]}");
    snprintf(cmd, sizeof cmd, "%s --port 0 --scenario %s 2>&1", getenv("IMPMOCK_BIN"), path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[512] = "";
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_non_null(strstr(out, path));
    assert_non_null(strstr(out, "rules[0]: decline"));
    remove(path);
}

static void test_requests_journal_and_reset(void **state)
{
    (void)state;
    struct mock m;
    mock_start(&m, NULL);
    mock_login(&m);
    struct http_res r;
    http_post_json(&m, "/payments/prepare", "{\"merchant_uid\":\"j1\",\"amount\":300}", &r);
    http_res_free(&r);
    http_get(&m, "/payments/prepare/j1", &r);
    http_res_free(&r);
    http_do(&m, "GET", "/__mock/requests?limit=2", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    cJSON *first = cJSON_GetArrayItem(r.json, 0); /* oldest first */
    assert_string_equal(json_str(first, "method"), "POST");
    assert_string_equal(json_str(first, "path"), "/payments/prepare");
    assert_int_equal((int)json_num(first, "status"), 200);
    cJSON *req_body = cJSON_GetObjectItemCaseSensitive(first, "request_body");
    assert_string_equal(json_str(req_body, "merchant_uid"), "j1");
    http_res_free(&r);
    http_do(&m, "GET", "/__mock/requests?method=GET&path=/payments/prepare/", NULL, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    http_res_free(&r);
    /* reset: data, tokens and journal gone */
    http_do(&m, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    http_do(&m, "GET", "/__mock/requests", NULL, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    http_res_free(&r);
    http_get(&m, "/payments/prepare/j1", &r);
    assert_int_equal(r.status, 401);
    http_res_free(&r);
    mock_login(&m);
    http_get(&m, "/payments/prepare/j1", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    mock_stop(&m);
}

static void test_admin_token_guards_control_api(void **state)
{
    (void)state;
    struct mock m;
    const char *args[] = {"--admin-token", "s3cret", NULL};
    mock_start(&m, args);
    struct http_res r;
    http_do(&m, "GET", "/__mock/clock", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 401);
    http_res_free(&r);
    http_do(&m, "GET", "/__mock/health", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200); /* health stays open for readiness probes */
    http_res_free(&r);
    mock_stop(&m);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outage_then_recovery),
        cmocka_unit_test(test_close_truncate_expire),
        cmocka_unit_test(test_bad_scenario_refused_and_previous_kept),
        cmocka_unit_test(test_bad_scenario_file_fails_startup),
        cmocka_unit_test(test_requests_journal_and_reset),
        cmocka_unit_test(test_admin_token_guards_control_api),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
