/* test_sandbox.c - what a reset sets off beyond the store, over real HTTP
 * (domain/sandbox.c): payment windows opened before a reset are gone after
 * it, for the tenant reset and only it, or for every tenant. Two fixture
 * merchants, each with its Kakao Pay channels, so each has its own windows. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#define OTHER_KEY  "imp_other"
#define OTHER_CODE "imp00000001"

/* What the window says for an id it does not know (base/errors.h). */
static const char window_unknown[] =
    "결제창 정보를 찾을 수 없습니다. 결제를 처음부터 다시 시도해주세요.";

static struct mock M;
static char FIXTURES[128];

static void write_fixtures(void)
{
    static const char merchant[] =
        "{\"merchant_code\":\"%s\",\"name\":\"%s\",\"imp_key\":\"%s\",\"imp_secret\":\"%s\","
        "\"default_pg\":\"kakaopay\",\"channels\":["
        "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"},"
        "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\",\"kind\":\"subscription\"},"
        "{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}]}";
    snprintf(FIXTURES, sizeof FIXTURES, "/tmp/impmock-sandbox-fx-%d.json", (int)getpid());
    FILE *f = fopen(FIXTURES, "w");
    assert_non_null(f);
    fputs("{\"merchants\":[", f);
    fprintf(f, merchant, "imp00000000", "first", TEST_IMP_KEY, TEST_IMP_SECRET);
    fputc(',', f);
    fprintf(f, merchant, OTHER_CODE, "second", OTHER_KEY, "other-secret");
    fputs("]}", f);
    assert_int_equal(fclose(f), 0);
}

static int start(void **state)
{
    (void)state;
    write_fixtures();
    const char *args[] = {"--fixtures", FIXTURES, "--clock", "1704034800", NULL};
    mock_start(&M, args);
    return 0;
}

static int stop(void **state)
{
    (void)state;
    remove(FIXTURES);
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

/* The keys of the windows opened here (a ring): a window's calls carry it. */
static struct {
    char id[40];
    char key[80];
} keys[16];
static size_t next_key;

/* /checkout/session/{id}{suffix}?window_key=KEY; out holds 256 bytes. */
static void session_path(char out[256], const char *id, const char *suffix)
{
    const char *key = "";
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].id, id) == 0)
            key = keys[i].key;
    snprintf(out, 256, "/checkout/session/%s%s?window_key=%s", id, suffix, key);
}

/* Opens a window at merchant `code` for merchant_uid; its id into ret_id.
 * extra: more request_pay fields, starting with a comma, or "". */
static void open_window(const char *code, const char *mid, const char *extra, char ret_id[40])
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"user_code\":\"%s\",\"pg\":\"kakaopay\",\"merchant_uid\":\"%s\","
             "\"amount\":3000%s}",
             code, mid, extra);
    struct http_res r;
    http_do(&M, "POST", "/checkout/open", "application/json", body, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    snprintf(ret_id, 40, "%s", json_str(env_response(&r), "id"));
    snprintf(keys[next_key].id, sizeof keys[next_key].id, "%s", ret_id);
    snprintf(keys[next_key].key, sizeof keys[next_key].key, "%s",
             json_str(env_response(&r), "window_key"));
    next_key = (next_key + 1) % (sizeof keys / sizeof keys[0]);
    http_res_free(&r);
}

/* POST /checkout/session/{id}/approve with Kakao Money; the HTTP status. */
static long approve(const char *id, struct http_res *r)
{
    char path[256];
    session_path(path, id, "/approve");
    http_do(&M, "POST", path, "application/json", "{\"method\":\"money\"}", NULL, r);
    return r->status;
}

static void reset(const char *query)
{
    char path[96];
    snprintf(path, sizeof path, "/__mock/reset%s", query);
    struct http_res r;
    http_do(&M, "POST", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
}

/* The window is gone: the page, an action and the return all say so. */
static void assert_gone(const char *id)
{
    char path[256];
    struct http_res r;
    session_path(path, id, "");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_string_equal(env_message(&r), window_unknown);
    http_res_free(&r);
    assert_int_equal(approve(id, &r), 404);
    assert_string_equal(env_message(&r), window_unknown);
    assert_non_null(strstr(r.headers, "X-Impmock-Error: CHECKOUT_NOT_FOUND\r\n"));
    http_res_free(&r);
    session_path(path, id, "/return");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

static void assert_open(const char *id)
{
    char path[256];
    struct http_res r;
    session_path(path, id, "");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "state"), "open");
    http_res_free(&r);
}

static void test_tenant_reset_closes_its_windows(void **state)
{
    (void)state;
    char open_a[40], done_a[40], open_b[40];
    struct http_res r;
    /* a mobile window already paid, which could still redirect before the reset */
    open_window("imp00000000", "sb_done",
                ",\"impmock_flow\":\"redirect\",\"m_redirect_url\":\"http://127.0.0.1:9/r\"",
                done_a);
    assert_int_equal(approve(done_a, &r), 200);
    http_res_free(&r);
    open_window("imp00000000", "sb_open", "", open_a);
    open_window(OTHER_CODE, "sb_other", "", open_b);

    reset("?imp_key=" TEST_IMP_KEY);
    assert_gone(open_a);
    assert_gone(done_a);
    /* the other tenant's window is untouched and still pays */
    assert_open(open_b);
    assert_int_equal(approve(open_b, &r), 200);
    assert_string_equal(
        json_str(cJSON_GetObjectItemCaseSensitive(env_response(&r), "rsp"), "status"), "paid");
    http_res_free(&r);

    /* the reset tenant opens new windows as before */
    open_window("imp00000000", "sb_open", "", open_a);
    assert_int_equal(approve(open_a, &r), 200);
    http_res_free(&r);
}

static void test_full_reset_closes_every_window(void **state)
{
    (void)state;
    char a[40], b[40];
    open_window("imp00000000", "sb_all_a", "", a);
    open_window(OTHER_CODE, "sb_all_b", "", b);
    assert_open(a);
    assert_open(b);
    reset("");
    assert_gone(a);
    assert_gone(b);
    struct http_res r;
    open_window(OTHER_CODE, "sb_all_b", "", b);
    assert_int_equal(approve(b, &r), 200);
    http_res_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tenant_reset_closes_its_windows, start, stop),
        cmocka_unit_test_setup_teardown(test_full_reset_closes_every_window, start, stop),
    };
    curl_global_init(CURL_GLOBAL_ALL);
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
