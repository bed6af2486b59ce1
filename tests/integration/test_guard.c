/* test_guard.c - what a web page the developer happens to visit can do to
 * an impmock on their machine (http/guard.c, the window key), over real
 * HTTP with the headers a browser would send:
 *   - DNS rebinding: a Host that does not name this server gets 421;
 *   - the control API: no CORS headers, preflights refused, other origins
 *     refused, and a state change needs a JSON body or X-Impmock;
 *   - the REST API: no CORS headers and other origins refused unless
 *     --cors-origin lets them in;
 *   - the checkout: cross-origin as merchant pages need it (Private Network
 *     Access preflights included), but a window answers only its key.
 * Each refusal is checked to have changed nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define EVIL        "Origin: https://evil.example"
#define START_CLOCK 1700000000 /* --clock: frozen, so any move shows */

static struct mock M;

/* ---- helpers ---- */

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct http_res *res = ud;
    size_t len = size * n, have = strlen(res->headers);
    if (have + len < sizeof res->headers - 1) {
        memcpy(res->headers + have, p, len);
        res->headers[have + len] = '\0';
    }
    return len;
}

/* METHOD PATH with exactly these header lines (NULL-terminated; a "Host:"
 * line replaces curl's) and body; no Content-Type unless one is listed. */
static void send_with(const struct mock *m, const char *method, const char *path,
                      const char *const *headers, const char *body, struct http_res *res)
{
    memset(res, 0, sizeof *res);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[1024];
    snprintf(url, sizeof url, "%s%s", m->base, path);
    struct curl_slist *h = curl_slist_append(NULL, "Expect:");
    bool typed = false;
    for (size_t i = 0; headers && headers[i]; i++) {
        h = curl_slist_append(h, headers[i]);
        typed = typed || strncasecmp(headers[i], "Content-Type:", 13) == 0;
    }
    if (!typed)
        h = curl_slist_append(h, "Content-Type:"); /* curl would add a form type */
    struct http_buf b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_buf_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, res);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    res->body = b.data ? b.data : strdup("");
    res->len = b.len;
    res->json = cJSON_Parse(res->body);
}

/* Whether the answer has a header line starting with `line` (any case). */
static bool has_header(const struct http_res *res, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = res->headers; *p; p++)
        if ((p == res->headers || p[-1] == '\n') && strncasecmp(p, line, n) == 0)
            return true;
    return false;
}

/* No CORS permission of any kind in the answer. */
static void assert_no_cors(const struct http_res *res)
{
    if (has_header(res, "Access-Control-Allow-"))
        fail_msg("unexpected CORS headers:\n%s", res->headers);
}

/* A control API refusal: this status, {"error": ...} mentioning needle. */
static void assert_plain_refusal(const struct http_res *res, long status, const char *needle)
{
    if (res->status != status)
        fail_msg("wanted %ld, got %ld %s", status, res->status, res->body);
    const char *e = json_str(res->json, "error");
    assert_non_null(e);
    if (needle && !strstr(e, needle))
        fail_msg("'%s' does not mention '%s'", e, needle);
    assert_no_cors(res);
}

/* A REST refusal: this status, the envelope with code -1 mentioning needle. */
static void assert_envelope_refusal(const struct http_res *res, long status, const char *needle)
{
    if (res->status != status)
        fail_msg("wanted %ld, got %ld %s", status, res->status, res->body);
    assert_int_equal(env_code(res), -1);
    assert_non_null(env_message(res));
    if (needle && !strstr(env_message(res), needle))
        fail_msg("'%s' does not mention '%s'", env_message(res), needle);
    assert_true(cJSON_IsNull(env_response(res)));
}

static long long clock_now(const struct mock *m)
{
    struct http_res r;
    http_get(m, "/__mock/clock", &r);
    assert_int_equal(r.status, 200);
    long long now = (long long)json_num(r.json, "now");
    http_res_free(&r);
    return now;
}

/* Registers merchant_uid for 1000 KRW through the REST API (as a server does). */
static void prepare(const struct mock *m, const char *merchant_uid)
{
    char body[160];
    snprintf(body, sizeof body, "{\"merchant_uid\":\"%s\",\"amount\":1000}", merchant_uid);
    struct http_res r;
    http_post_json(m, "/payments/prepare", body, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

static bool prepared(const struct mock *m, const char *merchant_uid)
{
    char path[160];
    snprintf(path, sizeof path, "/payments/prepare/%s", merchant_uid);
    struct http_res r;
    http_get(m, path, &r);
    bool found = r.status == 200 && env_code(&r) == 0;
    http_res_free(&r);
    return found;
}

static void start(struct mock *m, const char *const *args)
{
    mock_start(m, args);
    mock_login(m);
}

static void stop(struct mock *m)
{
    assert_int_equal(mock_stop(m), 0);
}

/* ---- Host: DNS rebinding ---- */

static void test_host_names_this_server(void **state)
{
    (void)state;
    char host[300], self[256] = "";
    /* with the port or without; any address (an address cannot be rebound) */
    static const struct {
        const char *name;
        bool port;
    } fine[] = {{"127.0.0.1", false}, {"127.0.0.1", true},  {"localhost", false},
                {"LocalHost", true},  {"localhost.", true}, {"[::1]", false},
                {"[::1]", true},      {"10.1.2.3", true}};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        if (fine[i].port)
            snprintf(host, sizeof host, "Host: %s:%d", fine[i].name, M.port);
        else
            snprintf(host, sizeof host, "Host: %s", fine[i].name);
        const char *h[] = {host, NULL};
        struct http_res r;
        send_with(&M, "GET", "/__mock/health", h, NULL, &r);
        if (r.status != 200)
            fail_msg("%s: %ld %s", host, r.status, r.body);
        http_res_free(&r);
    }
    /* this machine's own name (a container's, reached by its host name) */
    if (gethostname(self, sizeof self - 1) == 0 && self[0]) {
        snprintf(host, sizeof host, "Host: %s:%d", self, M.port);
        const char *h[] = {host, NULL};
        struct http_res r;
        send_with(&M, "GET", "/__mock/health", h, NULL, &r);
        assert_int_equal(r.status, 200);
        http_res_free(&r);
    }
}

static void test_host_rebinding_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "rebind.evil.example",
        "rebind.evil.example:8080",
        "127.0.0.1.evil.example:8080",
        "localhost.evil.example",
        "localhost:http",
        "localhost:8080:8080",
        "[::1",
        "::1",
        "evil@127.0.0.1:8080",
        "localhost:123456",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char host[300];
        snprintf(host, sizeof host, "Host: %s", bad[i]);
        const char *h[] = {host, NULL};
        struct http_res r;
        /* the control API in its own shape, the REST API and the checkout in the envelope */
        send_with(&M, "GET", "/__mock/requests", h, NULL, &r);
        assert_plain_refusal(&r, 421, "--allowed-host");
        http_res_free(&r);
        send_with(&M, "GET", "/payments?imp_uid[]=x", h, NULL, &r);
        assert_envelope_refusal(&r, 421, "--allowed-host");
        assert_no_cors(&r);
        http_res_free(&r);
        send_with(&M, "GET", "/v1/iamport.js", h, NULL, &r);
        assert_envelope_refusal(&r, 421, "Host");
        http_res_free(&r);
    }
    /* the status line says what happened */
    const char *h[] = {"Host: rebind.evil.example", NULL};
    struct http_res r;
    send_with(&M, "GET", "/__mock/health", h, NULL, &r);
    assert_non_null(strstr(r.headers, "HTTP/1.1 421 Misdirected Request\r\n"));
    http_res_free(&r);
}

static void test_host_refusal_changes_nothing(void **state)
{
    (void)state;
    prepare(&M, "guard_host_1");
    const char *h[] = {"Host: rebind.evil.example", "Content-Type: application/json",
                       "X-Impmock: 1", NULL};
    struct http_res r;
    send_with(&M, "POST", "/__mock/reset", h, "{}", &r);
    assert_int_equal(r.status, 421);
    http_res_free(&r);
    send_with(&M, "POST", "/__mock/clock", h, "{\"advance\":100000}", &r);
    assert_int_equal(r.status, 421);
    http_res_free(&r);
    /* a preflight through a rebound name is not answered either */
    const char *pre[] = {"Host: rebind.evil.example", EVIL,
                         "Access-Control-Request-Private-Network: true", NULL};
    send_with(&M, "OPTIONS", "/checkout/open", pre, NULL, &r);
    assert_int_equal(r.status, 421);
    assert_no_cors(&r);
    http_res_free(&r);
    assert_true(prepared(&M, "guard_host_1"));
    assert_int_equal(clock_now(&M), START_CLOCK);
}

static void test_allowed_host_option(void **state)
{
    (void)state;
    struct mock m;
    const char *args[] = {"--allowed-host", "impmock", "--allowed-host", "mock.internal", NULL};
    /* and the variable, which the first flag replaces: here only the flags count */
    setenv("IMPMOCK_ALLOWED_HOST", "from-env", 1);
    mock_start(&m, args);
    unsetenv("IMPMOCK_ALLOWED_HOST");
    char host[96];
    static const char *const names[] = {"impmock", "IMPMOCK", "mock.internal", "from-env",
                                        "impmock.evil.example"};
    static const long want[] = {200, 200, 200, 421, 421};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(host, sizeof host, "Host: %s:%d", names[i], m.port);
        const char *h[] = {host, NULL};
        struct http_res r;
        send_with(&m, "GET", "/__mock/health", h, NULL, &r);
        if (r.status != want[i])
            fail_msg("%s: %ld", host, r.status);
        http_res_free(&r);
    }
    stop(&m);

    setenv("IMPMOCK_ALLOWED_HOST", "svc-a,svc-b", 1);
    mock_start(&m, NULL);
    unsetenv("IMPMOCK_ALLOWED_HOST");
    static const char *const env_names[] = {"svc-a", "svc-b", "svc-c"};
    static const long env_want[] = {200, 200, 421};
    for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++) {
        snprintf(host, sizeof host, "Host: %s", env_names[i]);
        const char *h[] = {host, NULL};
        struct http_res r;
        send_with(&m, "GET", "/__mock/health", h, NULL, &r);
        assert_int_equal(r.status, env_want[i]);
        http_res_free(&r);
    }
    stop(&m);

    const char *any[] = {"--allowed-host", "*", NULL};
    mock_start(&m, any);
    const char *h[] = {"Host: whatever.example", NULL};
    struct http_res r;
    send_with(&m, "GET", "/__mock/health", h, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    stop(&m);
}

/* With HTTPS on, a client of https://api.iamport.kr sends that Host (no
 * port): the certificate's names are answered; without --tls-port they are
 * foreign names like any other. */
static void test_tls_names_answered(void **state)
{
    (void)state;
    static const char *const names[] = {"api.iamport.kr", "api.iamport.kr:443", "shop.test",
                                        "other.iamport.kr"};
    static const bool with_tls[] = {true, true, true, false}; /* answered with --tls-port */
    char dir[SCRATCH_DIR_MAX];
    scratch_dir_new(dir);
    const char *args[] = {"--tls-port", "0", "--tls-ca-dir", dir, "--tls-name", "shop.test", NULL};
    struct mock m;
    for (int tls = 1; tls >= 0; tls--) {
        mock_start(&m, tls ? args : NULL);
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            char host[96];
            snprintf(host, sizeof host, "Host: %s", names[i]);
            const char *h[] = {host, NULL};
            struct http_res r;
            send_with(&m, "GET", "/payments?imp_uid[]=x", h, NULL, &r);
            if (tls && with_tls[i])
                assert_int_equal(r.status, 401); /* past the guard: no token */
            else
                assert_envelope_refusal(&r, 421, "--allowed-host");
            http_res_free(&r);
        }
        stop(&m);
    }
    assert_true(scratch_dir_remove(dir));
}

/* ---- the control API ---- */

/* The attack of the issue: a "simple" cross-origin POST needs no preflight. */
static void test_control_simple_posts_refused(void **state)
{
    (void)state;
    prepare(&M, "guard_ctl_1");
    static const struct {
        const char *path, *ctype, *body;
    } posts[] = {
        {"/__mock/reset", "Content-Type: text/plain", "x"},
        {"/__mock/clock", "Content-Type: text/plain", "{\"advance\":100000}"},
        {"/__mock/clock", "Content-Type: text/plain;charset=UTF-8", "{\"advance\":100000}"},
        /* a parameter naming JSON is still text/plain to a browser: no preflight */
        {"/__mock/clock", "Content-Type: text/plain; x=application/json", "{\"advance\":100000}"},
        {"/__mock/clock", "Content-Type: application/x-www-form-urlencoded", "advance=100000"},
        {"/__mock/clock", "Content-Type: multipart/form-data; boundary=b",
         "--b\r\nContent-Disposition: form-data; name=\"advance\"\r\n\r\n100000\r\n--b--\r\n"},
        {"/__mock/clock", "Content-Type: application/jsonp", "{\"advance\":100000}"},
        {"/__mock/reset", NULL, NULL},
        {"//__mock/reset", "Content-Type: text/plain", "x"},
        {"/__mock/scenarios", "Content-Type: text/plain",
         "{\"name\":\"evil\",\"description\":\"d\",\"rules\":[{\"when\":{\"op\":\"charge\"},"
         "\"then\":{\"decline\":\"x\"}}]}"},
        {"/__mock/import?imp_key=imp_apikey", "Content-Type: text/plain", "{\"format\":1}"},
    };
    for (int with_origin = 0; with_origin < 2; with_origin++) {
        for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
            const char *h[3] = {NULL, NULL, NULL};
            size_t n = 0;
            if (with_origin)
                h[n++] = EVIL;
            if (posts[i].ctype)
                h[n++] = posts[i].ctype;
            struct http_res r;
            send_with(&M, "POST", posts[i].path, h, posts[i].body, &r);
            /* with an Origin the origin is refused first; without one (a browser
             * or an extension that drops it) the content type is */
            assert_plain_refusal(&r, 403, with_origin ? "other origins" : "X-Impmock");
            http_res_free(&r);
        }
    }
    struct http_res r;
    const char *del[] = {"Content-Type: text/plain", NULL};
    send_with(&M, "DELETE", "/__mock/scenarios", del, NULL, &r);
    assert_plain_refusal(&r, 403, "application/json");
    http_res_free(&r);
    send_with(&M, "POST", "/__mock/webhooks/1/resend", del, "x", &r);
    assert_plain_refusal(&r, 403, "X-Impmock");
    http_res_free(&r);

    /* nothing moved, nothing was loaded, nothing was reset */
    assert_int_equal(clock_now(&M), START_CLOCK);
    assert_true(prepared(&M, "guard_ctl_1"));
    http_get(&M, "/__mock/scenarios", &r);
    assert_null(strstr(r.body, "evil"));
    http_res_free(&r);
}

/* Other origins get nothing, whatever they send; the same origin (a
 * dashboard served under /__mock/) and tools without an Origin work. */
static void test_control_origins(void **state)
{
    (void)state;
    struct http_res r;
    const char *json_evil[] = {EVIL, "Content-Type: application/json", "X-Impmock: 1", NULL};
    send_with(&M, "POST", "/__mock/clock", json_evil, "{\"advance\":100000}", &r);
    assert_plain_refusal(&r, 403, "https://evil.example");
    http_res_free(&r);
    const char *null_origin[] = {"Origin: null", "Content-Type: application/json", NULL};
    send_with(&M, "POST", "/__mock/clock", null_origin, "{\"advance\":100000}", &r);
    assert_plain_refusal(&r, 403, "other origins");
    http_res_free(&r);
    const char *get_evil[] = {EVIL, NULL};
    send_with(&M, "GET", "/__mock/requests", get_evil, NULL, &r);
    assert_plain_refusal(&r, 403, "other origins");
    http_res_free(&r);
    assert_int_equal(clock_now(&M), START_CLOCK);

    /* a tool: JSON, or any body with X-Impmock */
    const char *json[] = {"Content-Type: application/json; charset=utf-8", NULL};
    send_with(&M, "POST", "/__mock/clock", json, "{\"advance\":10}", &r);
    assert_int_equal(r.status, 200);
    assert_no_cors(&r);
    http_res_free(&r);
    const char *form[] = {"X-Impmock: 1", NULL};
    send_with(&M, "POST", "/__mock/clock", form, "advance=10", &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    /* the same origin, as a page under /__mock/ would call it */
    char own[96];
    snprintf(own, sizeof own, "Origin: http://127.0.0.1:%d", M.port);
    const char *same[] = {own, "Content-Type: application/json", NULL};
    send_with(&M, "POST", "/__mock/clock", same, "{\"set\":1700000000}", &r);
    assert_int_equal(r.status, 200);
    assert_no_cors(&r);
    http_res_free(&r);
    /* reads carry no CORS header either */
    http_get(&M, "/__mock/health", &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.headers, "Access-Control"));
    http_res_free(&r);
    assert_int_equal(clock_now(&M), START_CLOCK);
}

static void test_control_preflight_refused(void **state)
{
    (void)state;
    static const char *const paths[] = {"/__mock/reset", "/__mock/clock", "/__mock/requests",
                                        "/__mock/health", "/__mock/nothing"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const char *h[] = {EVIL, "Access-Control-Request-Method: POST",
                           "Access-Control-Request-Headers: content-type, x-impmock",
                           "Access-Control-Request-Private-Network: true", NULL};
        struct http_res r;
        send_with(&M, "OPTIONS", paths[i], h, NULL, &r);
        if (i < 4) {
            assert_plain_refusal(&r, 403, "other origins");
        } else { /* no route: it answers as the REST API does, refusing too */
            assert_int_equal(r.status, 403);
            assert_int_equal(env_code(&r), -1);
            assert_false(has_header(&r, "Access-Control-Allow-"));
        }
        http_res_free(&r);
    }
}

static void test_control_admin_token(void **state)
{
    (void)state;
    struct mock m;
    const char *args[] = {"--admin-token", "s3cret", NULL};
    mock_start(&m, args);
    struct http_res r;
    /* the token is a header no page can send without a preflight: it will do */
    const char *good[] = {"X-Admin-Token: s3cret",
                          "Content-Type: application/x-www-form-urlencoded", NULL};
    send_with(&m, "POST", "/__mock/clock", good, "freeze=true", &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "frozen")));
    http_res_free(&r);
    const char *wrong[] = {"X-Admin-Token: guess", "Content-Type: application/json", NULL};
    send_with(&m, "POST", "/__mock/clock", wrong, "{\"freeze\":false}", &r);
    assert_int_equal(r.status, 401);
    http_res_free(&r);
    const char *evil[] = {EVIL, "X-Admin-Token: s3cret", "Content-Type: application/json", NULL};
    send_with(&m, "POST", "/__mock/clock", evil, "{\"freeze\":false}", &r);
    assert_plain_refusal(&r, 403, "other origins");
    http_res_free(&r);
    stop(&m);
}

/* ---- the REST API ---- */

static const char token_body[] =
    "{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"" TEST_IMP_SECRET "\"}";

static void test_rest_no_cors_by_default(void **state)
{
    (void)state;
    struct http_res r;
    /* as the real service: a server calls it, no CORS header in any answer */
    const char *json[] = {"Content-Type: application/json", NULL};
    send_with(&M, "POST", "/users/getToken", json, token_body, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.headers, "Access-Control"));
    http_res_free(&r);

    /* a page on another origin cannot take a token with the public test key */
    const char *evil_json[] = {EVIL, "Content-Type: application/json", NULL};
    send_with(&M, "POST", "/users/getToken", evil_json, token_body, &r);
    assert_envelope_refusal(&r, 403, "--cors-origin");
    assert_no_cors(&r);
    http_res_free(&r);
    const char *evil_text[] = {EVIL, "Content-Type: text/plain", NULL};
    send_with(&M, "POST", "/users/getToken", evil_text, token_body, &r);
    assert_envelope_refusal(&r, 403, "https://evil.example");
    http_res_free(&r);

    /* nor read payments, even with a token it guessed (--seed makes them predictable) */
    char auth[128], path[160];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", M.token);
    const char *evil_auth[] = {EVIL, auth, NULL};
    send_with(&M, "GET", "/payments/status/all", evil_auth, NULL, &r);
    assert_envelope_refusal(&r, 403, NULL);
    assert_no_cors(&r);
    http_res_free(&r);
    /* nor change anything with a form post carrying the token in the query */
    snprintf(path, sizeof path, "/payments/prepare?_token=%s", M.token);
    const char *evil_form[] = {EVIL, "Content-Type: application/x-www-form-urlencoded", NULL};
    send_with(&M, "POST", path, evil_form, "merchant_uid=guard_rest_1&amount=100", &r);
    assert_envelope_refusal(&r, 403, NULL);
    http_res_free(&r);
    assert_false(prepared(&M, "guard_rest_1"));

    /* preflights are refused, with no Private Network Access answer */
    const char *pre[] = {EVIL, "Access-Control-Request-Method: POST",
                         "Access-Control-Request-Headers: authorization, content-type",
                         "Access-Control-Request-Private-Network: true", NULL};
    send_with(&M, "OPTIONS", "/payments/prepare", pre, NULL, &r);
    assert_envelope_refusal(&r, 403, NULL);
    assert_no_cors(&r);
    http_res_free(&r);

    /* the example shop calls it from impmock's own origin */
    char own[96];
    snprintf(own, sizeof own, "Origin: http://127.0.0.1:%d", M.port);
    const char *same[] = {own, "Content-Type: application/json", NULL};
    send_with(&M, "POST", "/users/getToken", same, token_body, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

/* impmock answers for itself: a .htpasswd file on the host (civetweb
 * looks for /.htpasswd when no authorization handler is set) must not turn
 * every request into civetweb's 401 digest challenge. Needs root to make
 * the file, and leaves one that was there alone. */
static void test_rest_ignores_htpasswd(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    int fd = open("/.htpasswd", O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        skip(); /* there already, or / is read-only */
    close(fd);
    struct http_res r;
    const char *json[] = {"Content-Type: application/json", NULL};
    send_with(&M, "POST", "/users/getToken", json, token_body, &r);
    unlink("/.htpasswd");
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    assert_null(strstr(r.headers, "WWW-Authenticate"));
    http_res_free(&r);
}

static void test_rest_cors_origin_option(void **state)
{
    (void)state;
    struct mock m;
    const char *args[] = {"--cors-origin", "http://localhost:3000", "--cors-origin",
                          "https://app.example", NULL};
    mock_start(&m, args);
    struct http_res r;
    const char *pre[] = {"Origin: http://localhost:3000", "Access-Control-Request-Method: POST",
                         "Access-Control-Request-Headers: content-type",
                         "Access-Control-Request-Private-Network: true", NULL};
    send_with(&m, "OPTIONS", "/users/getToken", pre, NULL, &r);
    assert_int_equal(r.status, 204);
    assert_true(has_header(&r, "Access-Control-Allow-Origin: http://localhost:3000\r\n"));
    assert_true(has_header(&r, "Vary: Origin"));
    assert_true(has_header(&r, "Access-Control-Allow-Headers: Authorization, Content-Type"));
    /* Private Network Access is the checkout's alone */
    assert_false(has_header(&r, "Access-Control-Allow-Private-Network"));
    http_res_free(&r);

    const char *listed[] = {"Origin: https://app.example", "Content-Type: application/json", NULL};
    send_with(&m, "POST", "/users/getToken", listed, token_body, &r);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Access-Control-Allow-Origin: https://app.example\r\n"));
    http_res_free(&r);

    const char *evil[] = {EVIL, "Content-Type: application/json", NULL};
    send_with(&m, "POST", "/users/getToken", evil, token_body, &r);
    assert_envelope_refusal(&r, 403, NULL);
    assert_no_cors(&r);
    http_res_free(&r);
    /* the control API stays closed whatever --cors-origin says */
    const char *ctl[] = {"Origin: https://app.example", "Content-Type: application/json", NULL};
    send_with(&m, "POST", "/__mock/reset", ctl, "{}", &r);
    assert_plain_refusal(&r, 403, "other origins");
    http_res_free(&r);
    stop(&m);

    setenv("IMPMOCK_CORS_ORIGIN", "*", 1);
    mock_start(&m, NULL);
    unsetenv("IMPMOCK_CORS_ORIGIN");
    send_with(&m, "POST", "/users/getToken", evil, token_body, &r);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Access-Control-Allow-Origin: *\r\n"));
    http_res_free(&r);
    send_with(&m, "OPTIONS", "/__mock/clock", pre, NULL, &r);
    assert_int_equal(r.status, 403);
    assert_no_cors(&r);
    http_res_free(&r);
    stop(&m);
}

/* ---- the checkout ---- */

static void test_checkout_cross_origin(void **state)
{
    (void)state;
    struct http_res r;
    const char *evil[] = {EVIL, NULL};
    send_with(&M, "GET", "/v1/iamport.js", evil, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Access-Control-Allow-Origin: *\r\n"));
    http_res_free(&r);

    /* Chromium's Private Network Access preflight from a public page */
    const char *pna[] = {"Origin: https://shop.example", "Access-Control-Request-Method: POST",
                         "Access-Control-Request-Headers: content-type",
                         "Access-Control-Request-Private-Network: true", NULL};
    static const char *const paths[] = {"/checkout/open", "/checkout/session/abc/done",
                                        "/checkout/window/abc", "/v1/iamport.js"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        send_with(&M, "OPTIONS", paths[i], pna, NULL, &r);
        assert_int_equal(r.status, 204);
        assert_true(has_header(&r, "Access-Control-Allow-Origin: *\r\n"));
        assert_true(has_header(&r, "Access-Control-Allow-Private-Network: true\r\n"));
        assert_true(has_header(&r, "Access-Control-Allow-Headers: Content-Type, X-Impmock-Window"));
        http_res_free(&r);
    }
    const char *plain[] = {"Origin: https://shop.example", "Access-Control-Request-Method: POST",
                           NULL};
    send_with(&M, "OPTIONS", "/checkout/open", plain, NULL, &r);
    assert_int_equal(r.status, 204);
    assert_false(has_header(&r, "Access-Control-Allow-Private-Network"));
    http_res_free(&r);
}

/* Opens a window as a merchant page on another origin does; id and key out. */
static void open_window(const struct mock *m, const char *merchant_uid, char ret_id[40],
                        char ret_key[80], char ret_imp_uid[40])
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"user_code\":\"imp00000000\",\"pg\":\"kakaopay\",\"merchant_uid\":\"%s\","
             "\"amount\":1000}",
             merchant_uid);
    const char *h[] = {"Origin: https://shop.example", "Content-Type: application/json", NULL};
    struct http_res r;
    send_with(m, "POST", "/checkout/open", h, body, &r);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Access-Control-Allow-Origin: *\r\n"));
    const cJSON *w = env_response(&r);
    snprintf(ret_id, 40, "%s", json_str(w, "id"));
    snprintf(ret_key, 80, "%s", json_str(w, "window_key"));
    if (ret_imp_uid)
        snprintf(ret_imp_uid, 40, "%s", json_str(w, "imp_uid"));
    assert_int_equal(strlen(ret_key), 64);
    /* the key is not in the window's address: the SDK puts it in the fragment */
    assert_null(strstr(json_str(w, "window_url"), ret_key));
    http_res_free(&r);
}

static const char *payment_status(const char *imp_uid)
{
    static char status[32];
    char path[96];
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    struct http_res r;
    http_get(&M, path, &r);
    snprintf(status, sizeof status, "%s", json_str(env_response(&r), "status"));
    http_res_free(&r);
    return status;
}

static void assert_key_refused(const struct http_res *r)
{
    assert_envelope_refusal(r, 403, "window_key");
    assert_true(has_header(r, "X-Impmock-Error: CHECKOUT_KEY\r\n"));
}

static void test_window_needs_its_key(void **state)
{
    (void)state;
    char id[40], key[80], imp_uid[40], other_id[40], other_key[80];
    open_window(&M, "guard_win_1", id, key, imp_uid);
    open_window(&M, "guard_win_2", other_id, other_key, NULL);
    char wrong[80];
    snprintf(wrong, sizeof wrong, "%s", key);
    wrong[0] = wrong[0] == '0' ? '1' : '0';

    /* a page that learnt or guessed the id: no key, a wrong one, another window's */
    char no_key[4] = "", wrong_line[128], other_line[128];
    char empty_line[] = "X-Impmock-Window;"; /* curl's way to send it empty */
    snprintf(wrong_line, sizeof wrong_line, "X-Impmock-Window: %s", wrong);
    snprintf(other_line, sizeof other_line, "X-Impmock-Window: %s", other_key);
    const char *keys[] = {no_key, wrong_line, other_line, empty_line};
    static const struct {
        const char *method, *suffix, *body;
    } calls[] = {
        {"POST", "/approve", "{\"method\":\"money\"}"},
        {"POST", "/approve", "{\"method\":\"card\",\"card\":0}"},
        {"POST", "/cancel", NULL},
        {"POST", "/auto", NULL},
        {"POST", "/done", NULL},
        {"GET", "", NULL},
        {"GET", "/return", NULL},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
            char path[160];
            snprintf(path, sizeof path, "/checkout/session/%s%s", id, calls[i].suffix);
            const char *h[] = {EVIL, "Content-Type: application/json", keys[k][0] ? keys[k] : NULL,
                               NULL};
            struct http_res r;
            send_with(&M, calls[i].method, path, h, calls[i].body, &r);
            assert_key_refused(&r);
            http_res_free(&r);
        }
    }
    /* nor as a form field or a query field with the wrong value */
    char path[256];
    snprintf(path, sizeof path, "/checkout/session/%s/approve?window_key=%s", id, wrong);
    const char *form[] = {EVIL, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct http_res r;
    send_with(&M, "POST", path, form, "method=money", &r);
    assert_key_refused(&r);
    http_res_free(&r);
    snprintf(path, sizeof path, "/checkout/session/%s/cancel", id);
    char body[128];
    snprintf(body, sizeof body, "window_key=%s", other_key);
    send_with(&M, "POST", path, form, body, &r);
    assert_key_refused(&r);
    http_res_free(&r);
    assert_string_equal(payment_status(imp_uid), "ready");

    /* the window itself: its key as the header its page sends */
    char line[128];
    snprintf(line, sizeof line, "X-Impmock-Window: %s", key);
    const char *own[] = {line, "Content-Type: application/json", NULL};
    snprintf(path, sizeof path, "/checkout/session/%s", id);
    send_with(&M, "GET", path, own, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "state"), "open");
    http_res_free(&r);
    snprintf(path, sizeof path, "/checkout/session/%s/approve", id);
    send_with(&M, "POST", path, own, "{\"method\":\"money\"}", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "state"), "done");
    http_res_free(&r);
    assert_string_equal(payment_status(imp_uid), "paid");
    /* and the SDK's last call, a simple form POST from the merchant page */
    snprintf(path, sizeof path, "/checkout/session/%s/done", id);
    snprintf(body, sizeof body, "window_key=%s", key);
    const char *sdk[] = {"Origin: https://shop.example", "Content-Type: text/plain;charset=UTF-8",
                         NULL};
    send_with(&M, "POST", path, sdk, body, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    /* an unknown window stays unknown, key or not */
    send_with(&M, "GET", "/checkout/session/00000000000000000000000000000000", own, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

/* --seed makes ids repeat from run to run; the keys never do. */
static void test_window_key_not_seeded(void **state)
{
    (void)state;
    char ids[2][40], keys[2][80];
    for (int i = 0; i < 2; i++) {
        struct mock m;
        const char *args[] = {"--seed", "17", NULL};
        mock_start(&m, args);
        open_window(&m, "guard_seed_1", ids[i], keys[i], NULL);
        stop(&m);
    }
    assert_string_equal(ids[0], ids[1]);
    assert_string_not_equal(keys[0], keys[1]);
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_ALL);
    const char *args[] = {"--clock", "1700000000", NULL};
    start(&M, args);
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
        cmocka_unit_test(test_host_names_this_server),
        cmocka_unit_test(test_host_rebinding_refused),
        cmocka_unit_test(test_host_refusal_changes_nothing),
        cmocka_unit_test(test_allowed_host_option),
        cmocka_unit_test(test_tls_names_answered),
        cmocka_unit_test(test_control_simple_posts_refused),
        cmocka_unit_test(test_control_origins),
        cmocka_unit_test(test_control_preflight_refused),
        cmocka_unit_test(test_control_admin_token),
        cmocka_unit_test(test_rest_no_cors_by_default),
        cmocka_unit_test(test_rest_ignores_htpasswd),
        cmocka_unit_test(test_rest_cors_origin_option),
        cmocka_unit_test(test_checkout_cross_origin),
        cmocka_unit_test(test_window_needs_its_key),
        cmocka_unit_test(test_window_key_not_seeded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
