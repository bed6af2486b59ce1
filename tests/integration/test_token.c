/*
 * test_token.c - POST /users/getToken and token use against the real
 * binary (reference §1.4, §2): JSON and form bodies, reuse while valid, the
 * +5 min extension in the last minute, a new token after expiry (driven by
 * --clock and POST /__mock/clock), credential errors, every accepted way of
 * sending the token, 401 envelopes, and tenant isolation.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1700000000

/* A payment of merchant A that merchant B must not see. */
static const char fixtures_json[] =
    "{\"merchants\":["
    "{\"merchant_code\":\"imp-a\",\"imp_key\":\"key-a\",\"imp_secret\":\"secret-a\","
    " \"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"}],"
    " \"payments\":[{\"imp_uid\":\"imp_100000000001\",\"merchant_uid\":\"order-a\","
    "               \"status\":\"paid\",\"amount\":1000}]},"
    "{\"merchant_code\":\"imp-b\",\"imp_key\":\"key-b\",\"imp_secret\":\"secret-b\","
    " \"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"}]}"
    "]}";

struct ctx {
    struct mock m;
};

static int start(void **state, bool with_fixtures)
{
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    const char *args[] = {"--clock", "1700000000", NULL};
    if (with_fixtures)
        mock_start_fixtures(&c->m, fixtures_json, args);
    else
        mock_start(&c->m, args);
    *state = c;
    return 0;
}

static int setup(void **state)
{
    return start(state, false);
}

static int setup_fixtures(void **state)
{
    return start(state, true);
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    int rc = mock_stop(&c->m); /* 0 only after a clean shutdown (no sanitizer abort) */
    free(c);
    if (rc != 0)
        fprintf(stderr, "impmock exited with %d\n", rc);
    return rc == 0 ? 0 : -1;
}

/* ---- helpers ---- */

/* GET with exactly the given extra header lines (NULL-terminated list). */
static void get_with(const struct mock *m, const char *path, const char *const *headers,
                     struct http_res *res)
{
    memset(res, 0, sizeof *res);
    CURL *h = curl_easy_init();
    assert_non_null(h);
    char url[512];
    snprintf(url, sizeof url, "%s%s", m->base, path);
    struct curl_slist *hl = NULL;
    for (size_t i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    struct http_buf body = {0}, head = {0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_buf_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, http_buf_write);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hl);
    if (rc != CURLE_OK)
        fail_msg("GET %s: %s", path, curl_easy_strerror(rc));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
    curl_easy_cleanup(h);
    res->body = body.data ? body.data : strdup("");
    res->len = body.len;
    res->json = cJSON_Parse(res->body);
    snprintf(res->headers, sizeof res->headers, "%s", head.data ? head.data : "");
    free(head.data);
}

static void get_token(const struct mock *m, const char *ctype, const char *body,
                      struct http_res *res)
{
    http_do(m, "POST", "/users/getToken", ctype, body, NULL, res);
}

/* Checks a 200 token answer; returns the token (static buffer). */
static const char *token_ok(struct http_res *res, int64_t want_now, int64_t want_expiry)
{
    static char tok[64];
    if (res->status != 200)
        fail_msg("getToken: %ld %s", res->status, res->body);
    assert_int_equal(env_code(res), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(res->json, "message")));
    const cJSON *r = env_response(res);
    const char *t = json_str(r, "access_token");
    assert_non_null(t);
    assert_int_equal(strlen(t), 40);
    assert_int_equal(strspn(t, "0123456789abcdef"), 40);
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(r, "now");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(r, "expired_at");
    assert_true(cJSON_IsNumber(now));
    assert_true(cJSON_IsNumber(exp));
    assert_int_equal((int64_t)now->valuedouble, want_now);
    assert_int_equal((int64_t)exp->valuedouble, want_expiry);
    snprintf(tok, sizeof tok, "%s", t);
    return tok;
}

static const char *login(const struct mock *m, const char *key, const char *secret,
                         int64_t want_now, int64_t want_expiry, char *out)
{
    char body[256];
    struct http_res r;
    snprintf(body, sizeof body, "{\"imp_key\":\"%s\",\"imp_secret\":\"%s\"}", key, secret);
    get_token(m, "application/json", body, &r);
    snprintf(out, 64, "%s", token_ok(&r, want_now, want_expiry));
    http_res_free(&r);
    return out;
}

static void clock_advance(const struct mock *m, long seconds, int64_t want_now)
{
    char body[64];
    struct http_res r;
    snprintf(body, sizeof body, "{\"advance\":%ld}", seconds);
    http_do(m, "POST", "/__mock/clock", "application/json", body, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal((int64_t)json_num(r.json, "now"), want_now);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "frozen")));
    http_res_free(&r);
}

/* The envelope of a failure, exactly. */
static void unauthorized(const struct http_res *r)
{
    env_refused(r, 401, -1, "Unauthorized");
    assert_non_null(strstr(r->headers, "WWW-Authenticate: iamport\r\n"));
}

#define KEY_JSON "{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"" TEST_IMP_SECRET "\"}"
#define KEY_FORM "imp_key=" TEST_IMP_KEY "&imp_secret=" TEST_IMP_SECRET

/* ---- tests ---- */

static void test_json_form_and_charset_bodies(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    char first[64];
    get_token(&c->m, "application/json", KEY_JSON, &r);
    snprintf(first, sizeof first, "%s", token_ok(&r, T0, T0 + 1800));
    http_res_free(&r);
    /* the same tenant, asked in other encodings, gets the same token */
    get_token(&c->m, "application/x-www-form-urlencoded", KEY_FORM, &r);
    assert_string_equal(token_ok(&r, T0, T0 + 1800), first);
    http_res_free(&r);
    get_token(&c->m, "application/json;charset=utf-8", KEY_JSON, &r);
    assert_string_equal(token_ok(&r, T0, T0 + 1800), first);
    http_res_free(&r);
    get_token(&c->m, "application/x-www-form-urlencoded; charset=UTF-8", KEY_FORM, &r);
    assert_string_equal(token_ok(&r, T0, T0 + 1800), first);
    http_res_free(&r);
}

static void test_reuse_extension_and_expiry(void **state)
{
    struct ctx *c = *state;
    char tok[64], again[64];
    login(&c->m, TEST_IMP_KEY, TEST_IMP_SECRET, T0, T0 + 1800, tok);
    /* valid: the same token and expiry, with the current `now` */
    clock_advance(&c->m, 600, T0 + 600);
    assert_string_equal(login(&c->m, TEST_IMP_KEY, TEST_IMP_SECRET, T0 + 600, T0 + 1800, again),
                        tok);
    clock_advance(&c->m, 1139, T0 + 1739); /* 61 s left: not yet the last minute */
    assert_string_equal(login(&c->m, TEST_IMP_KEY, TEST_IMP_SECRET, T0 + 1739, T0 + 1800, again),
                        tok);
    /* the last minute: +5 minutes, once */
    clock_advance(&c->m, 1, T0 + 1740);
    assert_string_equal(login(&c->m, TEST_IMP_KEY, TEST_IMP_SECRET, T0 + 1740, T0 + 2100, again),
                        tok);
    clock_advance(&c->m, 30, T0 + 1770);
    assert_string_equal(login(&c->m, TEST_IMP_KEY, TEST_IMP_SECRET, T0 + 1770, T0 + 2100, again),
                        tok);
    /* the extended token still works just before its new expiry */
    clock_advance(&c->m, 300, T0 + 2070);
    struct http_res r;
    http_do(&c->m, "GET", "/payments/imp_000000000000", NULL, NULL, tok, &r);
    env_refused(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
    /* expired: refused, and getToken issues a different 30-minute token */
    clock_advance(&c->m, 30, T0 + 2100);
    http_do(&c->m, "GET", "/payments/imp_000000000000", NULL, NULL, tok, &r);
    unauthorized(&r);
    http_res_free(&r);
    login(&c->m, TEST_IMP_KEY, TEST_IMP_SECRET, T0 + 2100, T0 + 2100 + 1800, again);
    assert_string_not_equal(again, tok);
    http_do(&c->m, "GET", "/payments/imp_000000000000", NULL, NULL, again, &r);
    env_refused(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
}

static void test_credential_errors(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    const char *bad = "imp_key 또는 imp_secret이 올바르지 않습니다.";
    get_token(&c->m, "application/json", "{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"x\"}",
              &r);
    env_refused(&r, 401, -1, bad);
    http_res_free(&r);
    get_token(&c->m, "application/x-www-form-urlencoded", "imp_key=nobody&imp_secret=x", &r);
    env_refused(&r, 401, -1, bad);
    http_res_free(&r);
    /* a secret that only shares a prefix is wrong too */
    get_token(&c->m, "application/x-www-form-urlencoded",
              "imp_key=" TEST_IMP_KEY "&imp_secret=" TEST_IMP_SECRET "x", &r);
    env_refused(&r, 401, -1, bad);
    http_res_free(&r);
    /* getToken lists only 200 and 401 (reference §16.0): a bad field is HTTP 200 */
    get_token(&c->m, "application/json", "{\"imp_secret\":\"x\"}", &r);
    env_refused(&r, 200, -1, "imp_key 파라미터는 필수입니다.");
    http_res_free(&r);
    get_token(&c->m, "application/x-www-form-urlencoded", "imp_key=" TEST_IMP_KEY, &r);
    env_refused(&r, 200, -1, "imp_secret 파라미터는 필수입니다.");
    http_res_free(&r);
    get_token(&c->m, "application/json", "{\"imp_key\":12,\"imp_secret\":\"x\"}", &r);
    env_refused(&r, 200, -1, "imp_key 파라미터는 문자열이어야 합니다.");
    http_res_free(&r);
    get_token(&c->m, "application/json", NULL, &r); /* no body at all */
    env_refused(&r, 200, -1, "imp_key 파라미터는 필수입니다.");
    http_res_free(&r);
}

/* The official Go client builds its form by rewriting its JSON, which
 * leaves a space after each '&': "imp_key=K& imp_secret=S". PHP (the real
 * API) drops leading spaces of a name, so the call works there. */
static void test_go_client_body(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    const char *form = "application/x-www-form-urlencoded";
    get_token(&c->m, form, "imp_key=" TEST_IMP_KEY "& imp_secret=" TEST_IMP_SECRET, &r);
    token_ok(&r, T0, T0 + 1800);
    http_res_free(&r);
    get_token(&c->m, form, "+imp_key=" TEST_IMP_KEY "&%20%20imp_secret=" TEST_IMP_SECRET, &r);
    token_ok(&r, T0, T0 + 1800);
    http_res_free(&r);
    /* PHP makes a trailing space '_': imp_secret_ is not imp_secret */
    get_token(&c->m, form, "imp_key=" TEST_IMP_KEY "&imp_secret =" TEST_IMP_SECRET, &r);
    env_refused(&r, 200, -1, "imp_secret 파라미터는 필수입니다.");
    http_res_free(&r);
}

static void test_token_in_every_accepted_place(void **state)
{
    struct ctx *c = *state;
    char tok[64], line[128], path[160];
    struct http_res r;
    login(&c->m, TEST_IMP_KEY, TEST_IMP_SECRET, T0, T0 + 1800, tok);
    /* an authorised lookup of an unknown payment is a 404, never a 401 */
    const char *found = "존재하지 않는 결제정보입니다.";
    const char *forms[] = {"Authorization: Bearer %s", "Authorization: %s",
                           "authorization: bearer %s", "X-ImpTokenHeader: %s"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(line, sizeof line, forms[i], tok);
        const char *h[] = {line, NULL};
        get_with(&c->m, "/payments/imp_000000000000", h, &r);
        env_refused(&r, 404, -1, found);
        http_res_free(&r);
    }
    snprintf(path, sizeof path, "/payments/imp_000000000000?_token=%s", tok);
    get_with(&c->m, path, NULL, &r);
    env_refused(&r, 404, -1, found);
    http_res_free(&r);
    /* Authorization wins over the legacy header */
    snprintf(line, sizeof line, "X-ImpTokenHeader: %s", tok);
    const char *both[] = {"Authorization: Bearer 0000000000000000000000000000000000000000", line,
                          NULL};
    get_with(&c->m, "/payments/imp_000000000000", both, &r);
    unauthorized(&r);
    http_res_free(&r);
}

static void test_missing_garbage_and_expired_tokens(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    char tok[64];
    get_with(&c->m, "/payments/imp_000000000000", NULL, &r);
    unauthorized(&r);
    http_res_free(&r);
    const char *garbage[][2] = {
        {"Authorization: Bearer garbage", NULL},
        {"Authorization: Bearer ", NULL},
        {"X-ImpTokenHeader: 0123456789abcdef0123456789abcdef01234567", NULL}};
    for (size_t i = 0; i < 3; i++) {
        get_with(&c->m, "/payments/imp_000000000000", garbage[i], &r);
        unauthorized(&r);
        http_res_free(&r);
    }
    get_with(&c->m, "/payments/imp_000000000000?_token=garbage", NULL, &r);
    unauthorized(&r);
    http_res_free(&r);
    /* every protected route refuses, not only one */
    const char *paths[] = {"/payments?imp_uid[]=x", "/payments/find/o",    "/payments/findAll/o",
                           "/payments/status/all",  "/payments/x/balance", "/payments/prepare/o"};
    for (size_t i = 0; i < 6; i++) {
        get_with(&c->m, paths[i], NULL, &r);
        unauthorized(&r);
        http_res_free(&r);
    }
    http_do(&c->m, "POST", "/payments/prepare", "application/json",
            "{\"merchant_uid\":\"o\",\"amount\":1}", "garbage", &r);
    unauthorized(&r);
    http_res_free(&r);
    /* a token past expired_at is refused in every place it may be sent */
    login(&c->m, TEST_IMP_KEY, TEST_IMP_SECRET, T0, T0 + 1800, tok);
    clock_advance(&c->m, 1800, T0 + 1800);
    char line[128];
    snprintf(line, sizeof line, "X-ImpTokenHeader: %s", tok);
    const char *h[] = {line, NULL};
    get_with(&c->m, "/payments/imp_000000000000", h, &r);
    unauthorized(&r);
    http_res_free(&r);
}

static void test_tenants_are_isolated(void **state)
{
    struct ctx *c = *state;
    char ta[64], tb[64];
    struct http_res r;
    login(&c->m, "key-a", "secret-a", T0, T0 + 1800, ta);
    login(&c->m, "key-b", "secret-b", T0, T0 + 1800, tb);
    assert_string_not_equal(ta, tb);
    /* each merchant's secret is its own */
    get_token(&c->m, "application/json", "{\"imp_key\":\"key-b\",\"imp_secret\":\"secret-a\"}", &r);
    env_refused(&r, 401, -1, "imp_key 또는 imp_secret이 올바르지 않습니다.");
    http_res_free(&r);
    /* fixtures replace the defaults: the public test key is gone */
    get_token(&c->m, "application/json", KEY_JSON, &r);
    env_refused(&r, 401, -1, "imp_key 또는 imp_secret이 올바르지 않습니다.");
    http_res_free(&r);

    http_do(&c->m, "GET", "/payments/imp_100000000001", NULL, NULL, ta, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "merchant_uid"), "order-a");
    http_res_free(&r);
    http_do(&c->m, "GET", "/payments/imp_100000000001", NULL, NULL, tb, &r);
    env_refused(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
    http_do(&c->m, "GET", "/payments/find/order-a", NULL, NULL, tb, &r);
    env_refused(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
    http_do(&c->m, "GET", "/payments?imp_uid[]=imp_100000000001", NULL, NULL, tb, &r);
    env_refused(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
    /* pre-registrations are per merchant as well */
    http_do(&c->m, "POST", "/payments/prepare", "application/json",
            "{\"merchant_uid\":\"shared\",\"amount\":100}", ta, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    http_do(&c->m, "GET", "/payments/prepare/shared", NULL, NULL, tb, &r);
    env_refused(&r, 404, -1, "사전등록된 결제정보가 존재하지 않습니다.");
    http_res_free(&r);
    http_do(&c->m, "POST", "/payments/prepare", "application/json",
            "{\"merchant_uid\":\"shared\",\"amount\":200}", tb, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json_form_and_charset_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reuse_extension_and_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credential_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_client_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_in_every_accepted_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_garbage_and_expired_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenants_are_isolated, setup_fixtures, teardown),
    };
    int rc = cmocka_run_group_tests_name("token", tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
