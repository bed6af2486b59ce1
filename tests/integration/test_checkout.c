/* test_checkout.c - the endpoints behind iamport.js and the Kakao Pay window,
 * over real HTTP against a real impmock (reference §9, §10): the static
 * pages, opening a window and its refusals, approving with a card or Kakao
 * Money, cancelling, test-card and scenario outcomes, billing keys through
 * the window, and the mobile redirect. The browser side is in tests/e2e. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct mock M;

#define UA_PC "Mozilla/5.0 (X11; Linux x86_64) impmock-test"

/* ---- helpers ---- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct http_res *res = ud;
    size_t len = size * n;
    char *nb = realloc(res->body, res->len + len + 1);
    if (!nb)
        return 0;
    memcpy(nb + res->len, p, len);
    res->body = nb;
    res->len += len;
    res->body[res->len] = '\0';
    return len;
}

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

/* POST /checkout/open as a browser's fetch would: JSON, a User-Agent, an Origin. */
static void open_window(const char *json, struct http_res *res)
{
    memset(res, 0, sizeof *res);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[128];
    snprintf(url, sizeof url, "%s/checkout/open", M.base);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    h = curl_slist_append(h, "Origin: http://127.0.0.1:1");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_USERAGENT, UA_PC);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, res);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, res);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (!res->body)
        res->body = strdup("");
    res->json = cJSON_Parse(res->body);
}

static bool all_of(const char *s, size_t from, size_t len, const char *set)
{
    if (strlen(s) != from + len)
        return false;
    for (size_t i = from; i < from + len; i++)
        if (!strchr(set, s[i]))
            return false;
    return true;
}

/* The keys of the windows open_ok opened (a ring): every call about a
 * window carries its key, as the window page and the SDK do. */
static struct {
    char id[40];
    char key[80];
} keys[64];
static size_t next_key;

static const char *key_of(const char *id)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].id, id) == 0)
            return keys[i].key;
    return "";
}

/* /checkout/session/{id}{suffix} with the window's key as the query field
 * window_key (as the mobile return sends it); out holds 256 bytes. */
static void session_path(char out[256], const char *id, const char *suffix)
{
    snprintf(out, 256, "/checkout/session/%s%s?window_key=%s", id, suffix, key_of(id));
}

/* Opens a window for a request_pay body (user_code added); the window id in ret_id. */
static void open_ok(const char *fields, char ret_id[40], char ret_imp_uid[40])
{
    char body[2048];
    snprintf(body, sizeof body, "{\"user_code\":\"imp00000000\",%s}", fields);
    struct http_res r;
    open_window(body, &r);
    if (r.status != 200)
        fprintf(stderr, "open: %ld %s\n", r.status, r.body);
    cJSON *w = env_ok(&r);
    snprintf(ret_id, 40, "%s", json_str(w, "id"));
    snprintf(ret_imp_uid, 40, "%s", json_str(w, "imp_uid"));
    const char *key = json_str(w, "window_key");
    assert_true(key && all_of(key, 0, 64, "0123456789abcdef"));
    snprintf(keys[next_key].id, sizeof keys[next_key].id, "%s", ret_id);
    snprintf(keys[next_key].key, sizeof keys[next_key].key, "%s", key);
    next_key = (next_key + 1) % (sizeof keys / sizeof keys[0]);
    char url[80];
    snprintf(url, sizeof url, "/checkout/window/%s", ret_id);
    assert_string_equal(json_str(w, "window_url"), url);
    http_res_free(&r);
}

/* An open refused with this HTTP status, code, X-Impmock-Error and message. */
static void open_refused(const char *fields, long http, int code, const char *name,
                         const char *message)
{
    char body[2048], header[96];
    snprintf(body, sizeof body, "{\"user_code\":\"imp00000000\",%s}", fields);
    struct http_res r;
    open_window(body, &r);
    assert_int_equal(r.status, http);
    assert_int_equal(env_code(&r), code);
    if (message)
        assert_string_equal(env_message(&r), message);
    snprintf(header, sizeof header, "X-Impmock-Error: %s\r\n", name);
    assert_non_null(strstr(r.headers, header));
    assert_non_null(strstr(r.headers, "Access-Control-Allow-Origin: *"));
    http_res_free(&r);
}

static void session_post(const char *id, const char *action, const char *json, struct http_res *res)
{
    char path[256], suffix[32];
    snprintf(suffix, sizeof suffix, "/%s", action);
    session_path(path, id, suffix);
    http_do(&M, "POST", path, json ? "application/json" : NULL, json, NULL, res);
}

/* An action that finished the window: its rsp (the callback's argument). */
static cJSON *act_done(const char *id, const char *action, const char *json, struct http_res *res)
{
    session_post(id, action, json, res);
    if (res->status != 200)
        fprintf(stderr, "%s: %ld %s\n", action, res->status, res->body);
    cJSON *o = env_ok(res);
    assert_string_equal(json_str(o, "state"), "done");
    cJSON *rsp = cJSON_GetObjectItemCaseSensitive(o, "rsp");
    assert_true(cJSON_IsObject(rsp));
    return rsp;
}

/* GET /payments/{imp_uid}; the payment in res. */
static cJSON *payment(const char *imp_uid, struct http_res *res)
{
    char path[96];
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    http_get(&M, path, res);
    return env_ok(res);
}

static void clear_scenarios(void)
{
    struct http_res r;
    http_do(&M, "DELETE", "/__mock/scenarios", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
}

/* Raw request bytes, so no client tidies the path first; the status line's code. */
static int raw_get(const char *path, char *ret_body, size_t cap)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)M.port);
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    char req[1024];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    assert_int_equal(write(fd, req, (size_t)n), n);
    size_t got = 0;
    for (int i = 0; i < 100 && got + 1 < cap; i++) { /* bounded: until close or 100 reads */
        ssize_t k = read(fd, ret_body + got, cap - 1 - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    ret_body[got] = '\0';
    close(fd);
    int status = 0;
    sscanf(ret_body, "HTTP/1.1 %d", &status);
    return status;
}

/* ---- static pages ---- */

static void test_static_pages(void **state)
{
    (void)state;
    static const struct {
        const char *path, *ctype, *needle;
    } pages[] = {
        {"/v1/iamport.js", "application/javascript", "request_pay"},
        {"/checkout/window/0123abcd", "text/html", "Approve 결제하기"},
        {"/checkout/assets/window.css", "text/css", "--kakao"},
        {"/checkout/assets/window.js", "application/javascript", "postMessage"},
        {"/examples/shop", "text/html", "IMP.request_pay"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        struct http_res r;
        http_do(&M, "GET", pages[i].path, NULL, NULL, NULL, &r);
        assert_int_equal(r.status, 200);
        char ctype[96];
        snprintf(ctype, sizeof ctype, "Content-Type: %s; charset=UTF-8", pages[i].ctype);
        assert_non_null(strstr(r.headers, ctype));
        assert_non_null(strstr(r.body, pages[i].needle));
        assert_non_null(strstr(r.headers, "Access-Control-Allow-Origin: *"));
        http_res_free(&r);
    }
    /* the examples page loads the SDK as a merchant would */
    struct http_res r;
    http_do(&M, "GET", "/examples/shop", NULL, NULL, NULL, &r);
    assert_non_null(strstr(r.body, "<script src=\"/v1/iamport.js\"></script>"));
    http_res_free(&r);
    http_do(&M, "POST", "/v1/iamport.js", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 405);
    http_res_free(&r);
}

static void test_static_no_escape(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/checkout/assets/../../../../etc/passwd",
        "/checkout/assets/..%2f..%2f..%2fetc%2fpasswd",
        "/checkout/assets/%2e%2e/%2e%2e/mock/checkout.c",
        "/v1/iamport.js/../../mock/static/iamport.js",
        "/v1/../mock/static/iamport.js",
        "/checkout/assets/window.js.map",
        "/checkout/assets/",
        "/examples/shop/../../meson.build",
        "/examples/../fixtures/default.json",
        "/mock/static/window.html",
        "/static/iamport.js",
    };
    char buf[8192];
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int status = raw_get(paths[i], buf, sizeof buf);
        if (status != 404 && status != 400)
            fprintf(stderr, "%s -> %d\n", paths[i], status);
        assert_true(status == 404 || status == 400);
        assert_null(strstr(buf, "root:"));
        assert_null(strstr(buf, "#include"));
        assert_null(strstr(buf, "project("));
        assert_null(strstr(buf, "imp_secret"));
    }
    /* civetweb decodes %00 and the path ends there: still only the embedded script */
    int nul = raw_get("/v1/iamport.js%00.txt", buf, sizeof buf);
    assert_true(nul == 404 || (nul == 200 && strstr(buf, "request_pay")));
    /* a window page is the one embedded page whatever the id: never a file */
    int status = raw_get("/checkout/window/..%2f..%2f..%2fetc%2fpasswd", buf, sizeof buf);
    assert_true(status == 200 || status == 404);
    assert_null(strstr(buf, "root:"));
}

/* ---- opening ---- */

static void test_open_makes_ready_payment(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    open_ok("\"pg\":\"kakaopay\",\"merchant_uid\":\"co_ready_1\",\"amount\":15000,"
            "\"name\":\"주문 1\",\"buyer_name\":\"홍길동\",\"custom_data\":{\"plan\":\"a\"},"
            "\"pay_method\":\"card\"",
            id, imp_uid);
    assert_int_equal(strlen(id), 32);
    assert_true(all_of(imp_uid, 4, 12, "0123456789"));
    assert_int_equal(strncmp(imp_uid, "imp_", 4), 0);

    struct http_res r;
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "ready");
    assert_string_equal(json_str(p, "channel"), "pc");
    assert_string_equal(json_str(p, "pg_provider"), "kakaopay");
    assert_string_equal(json_str(p, "pg_id"), "TC0ONETIME");
    assert_true(all_of(json_str(p, "pg_tid"), 1, 19, "0123456789abcdef"));
    assert_int_equal(json_str(p, "pg_tid")[0], 'T');
    assert_string_equal(json_str(p, "user_agent"), UA_PC);
    assert_string_equal(json_str(p, "custom_data"), "{\"plan\":\"a\"}");
    assert_int_equal(json_num(p, "amount"), 15000);
    assert_int_equal(json_num(p, "paid_at"), 0);
    assert_true(json_is_null(p, "receipt_url"));
    http_res_free(&r);

    /* what the window shows */
    char path[256];
    session_path(path, id, "");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    cJSON *w = env_ok(&r);
    assert_string_equal(json_str(w, "state"), "open");
    assert_string_equal(json_str(w, "flow"), "pc");
    assert_string_equal(json_str(w, "merchant_name"), "impmock 테스트 상점");
    assert_string_equal(json_str(w, "name"), "주문 1");
    assert_int_equal(json_num(w, "amount"), 15000);
    assert_string_equal(json_str(w, "origin"), "");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(w, "methods")), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(w, "cards")), 8);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(w, "card_quotas")), 0);
    assert_true(json_is_null(w, "auto"));
    assert_true(json_is_null(w, "rsp"));
    http_res_free(&r);

    http_do(&M, "GET", "/checkout/session/00000000000000000000000000000000", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

static void test_open_refusals(void **state)
{
    (void)state;
    open_refused("\"merchant_uid\":\"co_bad_1\",\"amount\":\"1000\"", 400, -1, "BAD_PARAM",
                 "amount 파라미터는 숫자여야 합니다 (문자열 불가).");
    open_refused("\"amount\":1000", 400, -1, "BAD_PARAM", "merchant_uid 파라미터는 필수입니다.");
    open_refused("\"merchant_uid\":\"co_bad_2\"", 400, -1, "BAD_PARAM",
                 "amount 파라미터는 필수입니다.");
    open_refused("\"merchant_uid\":\"co_bad_3\",\"amount\":0", 400, -1, "BAD_PARAM", NULL);
    open_refused("\"merchant_uid\":\"co_bad_4\",\"amount\":1000,\"pg\":\"html5_inicis\"", 400, -1,
                 "CHECKOUT_PG_UNSUPPORTED", NULL);
    open_refused("\"merchant_uid\":\"co_bad_5\",\"amount\":1000,\"pg\":\"kakaopay.TCNOSUCH\"", 400,
                 -1, "CHECKOUT_NO_CHANNEL", "가맹점에 설정되지 않은 PG입니다: kakaopay.TCNOSUCH");
    open_refused("\"merchant_uid\":\"co_bad_6\",\"amount\":0,\"customer_uid\":\"c1\","
                 "\"pg\":\"kakaopay.TC0ONETIME\"",
                 400, -1, "BAD_PARAM", NULL);
    open_refused("\"merchant_uid\":\"co_bad_7\",\"amount\":1000,\"pg\":\"kakaopay.TCSUBSCRIP\"",
                 400, -1, "BAD_PARAM", NULL);
    open_refused("\"merchant_uid\":\"co_bad_8\",\"amount\":1000,\"currency\":\"USD\"", 400, -1,
                 "BAD_PARAM", "카카오페이는 원화(KRW) 결제만 지원합니다: USD");
    open_refused("\"merchant_uid\":\"co_bad_9\",\"amount\":1000,\"bypass\":{\"kakaopay\":"
                 "{\"payment_method_type\":\"POINT\"}}",
                 400, -1, "BAD_PARAM", NULL);
    open_refused("\"merchant_uid\":\"co_bad_10\",\"amount\":1000,\"notice_url\":\"ftp://x\"", 400,
                 -1, "BAD_PARAM", NULL);
    open_refused("\"merchant_uid\":\"co_bad_11\",\"amount\":1000,\"impmock_flow\":\"redirect\"",
                 400, -1, "BAD_PARAM", NULL);
    open_refused("\"merchant_uid\":\"co_bad_12\",\"amount\":1000,\"tax_free\":2000", 400, -1,
                 "BAD_PARAM", NULL);

    struct http_res r;
    open_window("{\"user_code\":\"imp99999999\",\"merchant_uid\":\"co_bad_13\",\"amount\":1000}",
                &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(env_message(&r), "가맹점 식별코드(imp99999999)를 찾을 수 없습니다. "
                                         "IMP.init()에 전달한 값을 확인해주세요.");
    assert_non_null(strstr(r.headers, "X-Impmock-Error: CHECKOUT_UNKNOWN_MERCHANT"));
    http_res_free(&r);

    /* nothing was stored for any refusal */
    http_get(&M, "/payments/findAll/co_bad_4", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

/* Webhook deliveries made for an order, as GET /__mock/webhooks lists them;
 * waits (bounded, 5 s) until there are `want`. */
static cJSON *deliveries(const char *merchant_uid, int want, struct http_res *res)
{
    char path[160];
    snprintf(path, sizeof path, "/__mock/webhooks?merchant_uid=%s", merchant_uid);
    for (int i = 0; i < 100; i++) {
        http_get(&M, path, res);
        assert_int_equal(res->status, 200);
        if (cJSON_GetArraySize(res->json) >= want)
            break;
        http_res_free(res);
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(cJSON_GetArraySize(res->json), want);
    return res->json;
}

/* request_pay's notice_url is read as the REST endpoints read theirs (the
 * window once had a reader of its own, which refused "" entries, counted
 * them against the limit, kept [url] as array text and capped the whole
 * array at 2048 bytes). */
static void test_open_notice_url(void **state)
{
    (void)state;
    open_refused("\"merchant_uid\":\"co_nu_1\",\"amount\":1000,\"notice_url\":\"ftp://x\"", 400, -1,
                 "BAD_PARAM",
                 "notice_url 파라미터는 http:// 또는 https:// URL(또는 그 배열)이어야 합니다.");
    open_refused("\"merchant_uid\":\"co_nu_2\",\"amount\":1000,\"notice_url\":[7]", 400, -1,
                 "BAD_PARAM",
                 "notice_url 파라미터는 http:// 또는 https:// URL(또는 그 배열)이어야 합니다.");

    /* ten URLs with empty and null entries among them are fine; eleven are not */
    char urls[1024] = "\"\",null";
    for (int i = 0; i < 10; i++) {
        size_t n = strlen(urls);
        snprintf(urls + n, sizeof urls - n, ",\"http://127.0.0.1:9/h%d\"", i);
    }
    char fields[1400], id[40], imp_uid[40];
    snprintf(fields, sizeof fields,
             "\"merchant_uid\":\"co_nu_3\",\"amount\":1000,"
             "\"notice_url\":[%s]",
             urls);
    open_ok(fields, id, imp_uid);
    snprintf(fields, sizeof fields,
             "\"merchant_uid\":\"co_nu_4\",\"amount\":1000,"
             "\"notice_url\":[%s,\"http://127.0.0.1:9/h10\"]",
             urls);
    open_refused(fields, 400, -1, "BAD_PARAM",
                 "notice_url 파라미터는 최대 10개까지 지정할 수 있습니다.");

    /* three long URLs, over 2048 bytes together */
    char path[1001], body[4096];
    memset(path, 'a', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    snprintf(body, sizeof body,
             "{\"user_code\":\"imp00000000\",\"merchant_uid\":\"co_nu_5\",\"amount\":1000,"
             "\"notice_url\":[\"http://127.0.0.1:9/%s1\",\"http://127.0.0.1:9/%s2\","
             "\"http://127.0.0.1:9/%s3\"]}",
             path, path, path);
    struct http_res r;
    open_window(body, &r);
    env_ok(&r);
    http_res_free(&r);

    /* an empty entry beside one URL: the paid webhook goes to that URL alone */
    open_ok("\"merchant_uid\":\"co_nu_6\",\"amount\":1000,"
            "\"notice_url\":[\"\",\"http://127.0.0.1:9/only\"]",
            id, imp_uid);
    act_done(id, "approve", "{\"method\":\"money\"}", &r);
    http_res_free(&r);
    cJSON *list = deliveries("co_nu_6", 1, &r);
    cJSON *d = cJSON_GetArrayItem(list, 0);
    assert_string_equal(json_str(d, "url"), "http://127.0.0.1:9/only");
    assert_string_equal(json_str(d, "imp_uid"), imp_uid);
    http_res_free(&r);
}

static void test_open_paid_order_refused(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    open_ok("\"merchant_uid\":\"co_dup_1\",\"amount\":1000", id, imp_uid);
    struct http_res r;
    act_done(id, "approve", "{\"method\":\"money\"}", &r);
    http_res_free(&r);
    open_refused("\"merchant_uid\":\"co_dup_1\",\"amount\":1000", 200, 1, "ALREADY_PAID",
                 "이미 결제가 이루어진 거래건입니다.");

    /* a failed attempt may be retried: a new window, a new imp_uid */
    char id2[40], imp2[40], id3[40], imp3[40];
    open_ok("\"merchant_uid\":\"co_dup_2\",\"amount\":1000", id2, imp2);
    act_done(id2, "cancel", NULL, &r);
    http_res_free(&r);
    open_ok("\"merchant_uid\":\"co_dup_2\",\"amount\":1000", id3, imp3);
    assert_string_not_equal(imp2, imp3);

    /* two windows of one order: the first approval wins, the second fails */
    char a[40], ia[40], b[40], ib[40];
    open_ok("\"merchant_uid\":\"co_dup_3\",\"amount\":1000", a, ia);
    open_ok("\"merchant_uid\":\"co_dup_3\",\"amount\":1000", b, ib);
    cJSON *rsp = act_done(a, "approve", "{\"method\":\"money\"}", &r);
    assert_true(json_is_true(rsp, "success"));
    http_res_free(&r);
    rsp = act_done(b, "approve", "{\"method\":\"money\"}", &r);
    assert_false(json_is_true(rsp, "success"));
    assert_string_equal(json_str(rsp, "error_code"), "ALREADY_PAID");
    assert_string_equal(json_str(rsp, "error_msg"), "이미 결제가 이루어진 거래건입니다.");
    http_res_free(&r);
}

static void test_open_prepare_mismatch(void **state)
{
    (void)state;
    struct http_res r;
    http_post_json(&M, "/payments/prepare", "{\"merchant_uid\":\"co_prep_1\",\"amount\":30000}",
                   &r);
    env_ok(&r);
    http_res_free(&r);
    open_refused("\"merchant_uid\":\"co_prep_1\",\"amount\":3000", 200, 1, "PREPARE_MISMATCH",
                 "사전 등록된 결제 금액과 요청 금액이 일치하지 않습니다.");
    http_get(&M, "/payments/findAll/co_prep_1", &r);
    assert_int_equal(r.status, 404); /* no window, no payment */
    http_res_free(&r);

    char id[40], imp_uid[40];
    open_ok("\"merchant_uid\":\"co_prep_1\",\"amount\":30000", id, imp_uid);
    /* the amount changed after the window opened: the approval re-checks it */
    http_do(&M, "PUT", "/payments/prepare", "application/json",
            "{\"merchant_uid\":\"co_prep_1\",\"amount\":31000}", M.token, &r);
    env_ok(&r);
    http_res_free(&r);
    cJSON *rsp = act_done(id, "approve", "{\"method\":\"money\"}", &r);
    assert_false(json_is_true(rsp, "success"));
    assert_string_equal(json_str(rsp, "error_code"), "PREPARE_MISMATCH");
    http_res_free(&r);
}

/* ---- approving and cancelling ---- */

static void test_approve_card(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    open_ok("\"pg\":\"kakaopay.TC0ONETIME\",\"merchant_uid\":\"co_card_1\",\"amount\":64000,"
            "\"name\":\"키보드\",\"buyer_email\":\"a@example.com\",\"pay_method\":\"trans\"",
            id, imp_uid);
    struct http_res r;
    cJSON *rsp = act_done(id, "approve", "{\"method\":\"card\",\"card\":0,\"quota\":3}", &r);
    assert_true(json_is_true(rsp, "success"));
    assert_true(json_is_null(rsp, "error_code"));
    assert_true(json_is_null(rsp, "error_msg"));
    assert_string_equal(json_str(rsp, "imp_uid"), imp_uid);
    assert_string_equal(json_str(rsp, "merchant_uid"), "co_card_1");
    assert_string_equal(json_str(rsp, "pay_method"), "card");
    assert_string_equal(json_str(rsp, "status"), "paid");
    assert_int_equal(json_num(rsp, "paid_amount"), 64000);
    assert_string_equal(json_str(rsp, "pg_provider"), "kakaopay");
    assert_string_equal(json_str(rsp, "pg_type"), "payment");
    assert_string_equal(json_str(rsp, "card_name"), "신한카드");
    assert_string_equal(json_str(rsp, "card_number"), "424242******4242");
    assert_int_equal(json_num(rsp, "card_quota"), 3);
    assert_string_equal(json_str(rsp, "buyer_email"), "a@example.com");
    assert_string_equal(json_str(rsp, "buyer_addr"), "");
    assert_true(json_num(rsp, "paid_at") > 0);
    assert_true(all_of(json_str(rsp, "apply_num"), 0, 8, "0123456789"));
    static const char *const fields[] = {
        "name",           "currency",     "pg_tid",      "buyer_name", "buyer_tel",
        "buyer_postcode", "custom_data",  "receipt_url", "bank_name",  "vbank_num",
        "vbank_name",     "vbank_holder", "vbank_date"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        assert_non_null(cJSON_GetObjectItemCaseSensitive(rsp, fields[i]));
    char tid[24];
    snprintf(tid, sizeof tid, "%s", json_str(rsp, "pg_tid"));
    http_res_free(&r);

    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "pay_method"), "card");
    assert_string_equal(json_str(p, "pg_tid"), tid);
    assert_string_equal(json_str(p, "card_code"), "366");
    assert_int_equal(json_num(p, "card_type"), 0);
    assert_int_equal(json_num(p, "card_quota"), 3);
    const char *receipt = json_str(p, "receipt_url");
    char prefix[96];
    snprintf(prefix, sizeof prefix, "https://mockup-pg-web.kakao.com/v1/confirmation/p/%s/", tid);
    assert_int_equal(strncmp(receipt, prefix, strlen(prefix)), 0);
    assert_true(all_of(receipt, strlen(prefix), 64, "0123456789abcdef"));
    assert_true(json_is_null(p, "customer_uid"));
    http_res_free(&r);

    /* a window answers once */
    session_post(id, "cancel", NULL, &r);
    assert_int_equal(env_code(&r), 1);
    assert_string_equal(env_message(&r), "이미 처리된 결제창입니다.");
    http_res_free(&r);
    session_post(id, "approve", "{\"method\":\"money\"}", &r);
    assert_int_equal(env_code(&r), 1);
    http_res_free(&r);
}

static void test_approve_money(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    open_ok("\"merchant_uid\":\"co_money_1\",\"amount\":500", id, imp_uid);
    struct http_res r;
    cJSON *rsp = act_done(id, "approve", "{\"method\":\"money\"}", &r);
    assert_true(json_is_true(rsp, "success"));
    assert_string_equal(json_str(rsp, "pay_method"), "point");
    assert_true(json_is_null(rsp, "card_name"));
    assert_string_equal(json_str(rsp, "card_number"), "");
    assert_string_equal(json_str(rsp, "apply_num"), "");
    http_res_free(&r);
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "pay_method"), "point");
    assert_true(json_is_null(p, "card_name"));
    assert_true(json_is_null(p, "card_number"));
    assert_true(json_is_null(p, "card_code"));
    assert_true(json_is_null(p, "card_type"));
    assert_int_equal(json_num(p, "card_quota"), 0);
    assert_string_equal(json_str(p, "apply_num"), "");
    http_res_free(&r);
}

static void test_cancel(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    open_ok("\"merchant_uid\":\"co_cancel_1\",\"amount\":2000", id, imp_uid);
    struct http_res r;
    cJSON *rsp = act_done(id, "cancel", NULL, &r);
    assert_false(json_is_true(rsp, "success"));
    assert_string_equal(json_str(rsp, "error_code"), "USER_CANCEL");
    assert_string_equal(json_str(rsp, "error_msg"), "사용자가 결제를 취소하셨습니다");
    assert_string_equal(json_str(rsp, "imp_uid"), imp_uid);
    assert_string_equal(json_str(rsp, "status"), "failed");
    assert_int_equal(json_num(rsp, "paid_amount"), 0);
    http_res_free(&r);
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "failed");
    assert_string_equal(json_str(p, "fail_reason"), "사용자가 결제를 취소하셨습니다");
    assert_true(json_num(p, "failed_at") > 0);
    assert_int_equal(json_num(p, "paid_at"), 0);
    http_res_free(&r);
}

static void test_method_rules(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    struct http_res r;
    open_ok("\"merchant_uid\":\"co_rule_1\",\"amount\":1000,"
            "\"bypass\":{\"kakaopay\":{\"payment_method_type\":\"MONEY\","
            "\"custom_message\":\"카카오머니 전용 상품\"}}",
            id, imp_uid);
    char path[256];
    session_path(path, id, "");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    cJSON *w = env_ok(&r);
    cJSON *methods = cJSON_GetObjectItemCaseSensitive(w, "methods");
    assert_int_equal(cJSON_GetArraySize(methods), 1);
    assert_string_equal(cJSON_GetArrayItem(methods, 0)->valuestring, "money");
    assert_string_equal(json_str(w, "custom_message"), "카카오머니 전용 상품");
    http_res_free(&r);
    session_post(id, "approve", "{\"method\":\"card\",\"card\":0}", &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.headers, "X-Impmock-Error: CHECKOUT_METHOD"));
    http_res_free(&r);
    /* installments: only from 50,000 KRW */
    session_post(id, "approve", "{\"method\":\"card\",\"card\":0,\"quota\":3}", &r);
    assert_int_equal(r.status, 400);
    http_res_free(&r);
    session_post(id, "approve", "{\"method\":\"card\",\"card\":99}", &r);
    assert_int_equal(r.status, 400);
    http_res_free(&r);
    session_post(id, "approve", "{\"method\":\"bank\"}", &r);
    assert_int_equal(r.status, 400);
    http_res_free(&r);
    /* the refusals left the window open */
    act_done(id, "approve", "{\"method\":\"money\"}", &r);
    http_res_free(&r);

    /* display.card_quota with one value fixes the months */
    open_ok("\"merchant_uid\":\"co_rule_2\",\"amount\":120000,\"display\":{\"card_quota\":[6]}", id,
            imp_uid);
    session_path(path, id, "");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    w = env_ok(&r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(w, "card_quotas")), 1);
    http_res_free(&r);
    session_post(id, "approve", "{\"method\":\"card\",\"card\":0,\"quota\":3}", &r);
    assert_int_equal(r.status, 400);
    http_res_free(&r);
    cJSON *rsp = act_done(id, "approve", "{\"method\":\"card\",\"card\":0,\"quota\":6}", &r);
    assert_int_equal(json_num(rsp, "card_quota"), 6);
    http_res_free(&r);
}

static void test_test_card_declines(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    open_ok("\"merchant_uid\":\"co_decl_1\",\"amount\":7000", id, imp_uid);
    struct http_res r;
    /* card 1 is 4000-0000-0000-0002: every charge declined */
    cJSON *rsp = act_done(id, "approve", "{\"method\":\"card\",\"card\":1}", &r);
    assert_false(json_is_true(rsp, "success"));
    assert_string_equal(json_str(rsp, "error_code"), "DECLINED");
    assert_string_equal(json_str(rsp, "error_msg"), "[F601]거래거절 카드사 승인거절");
    http_res_free(&r);
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "failed");
    assert_string_equal(json_str(p, "fail_reason"), "[F601]거래거절 카드사 승인거절");
    http_res_free(&r);
}

/* ---- billing keys through the window ---- */

static void test_key_issue_zero_then_again(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    open_ok("\"pg\":\"kakaopay\",\"merchant_uid\":\"co_key_1\",\"customer_uid\":\"co_cust_1\","
            "\"amount\":0,\"name\":\"최초인증결제\",\"buyer_name\":\"김철수\"",
            id, imp_uid);
    struct http_res r;
    cJSON *rsp = act_done(id, "approve", "{\"method\":\"money\"}", &r);
    assert_true(json_is_true(rsp, "success"));
    assert_int_equal(json_num(rsp, "paid_amount"), 0);
    assert_string_equal(json_str(rsp, "customer_uid"), "co_cust_1");
    http_res_free(&r);

    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_int_equal(json_num(p, "amount"), 0);
    assert_string_equal(json_str(p, "customer_uid"), "co_cust_1");
    assert_string_equal(json_str(p, "customer_uid_usage"), "issue");
    assert_string_equal(json_str(p, "pg_id"), "TCSUBSCRIP");
    assert_string_equal(json_str(p, "pay_method"), "point");
    http_res_free(&r);

    http_get(&M, "/subscribe/customers/co_cust_1", &r);
    cJSON *c = env_ok(&r);
    assert_string_equal(json_str(c, "pg_provider"), "kakaopay");
    assert_string_equal(json_str(c, "pg_id"), "TCSUBSCRIP");
    assert_string_equal(json_str(c, "customer_name"), "김철수");
    assert_true(json_is_null(c, "card_number"));
    http_res_free(&r);

    http_post_json(&M, "/subscribe/payments/again",
                   "{\"customer_uid\":\"co_cust_1\",\"merchant_uid\":\"co_key_1_m1\","
                   "\"amount\":9900,\"name\":\"월간\"}",
                   &r);
    p = env_ok(&r);
    assert_string_equal(json_str(p, "status"), "paid");
    assert_string_equal(json_str(p, "pay_method"), "point");
    assert_string_equal(json_str(p, "pg_provider"), "kakaopay");
    assert_string_equal(json_str(p, "pg_id"), "TCSUBSCRIP");
    assert_string_equal(json_str(p, "channel"), "api");
    assert_string_equal(json_str(p, "customer_uid_usage"), "payment");
    assert_int_equal(strncmp(json_str(p, "imp_uid"), "imps_", 5), 0);
    /* Kakao Money as reference §4.1 shows it: no card, apply_num "" */
    assert_true(json_is_null(p, "card_name"));
    assert_true(json_is_null(p, "card_number"));
    assert_true(json_is_null(p, "card_type"));
    assert_string_equal(json_str(p, "apply_num"), "");
    http_res_free(&r);
}

static void test_key_issue_with_charge_counts(void **state)
{
    (void)state;
    char id[40], imp_uid[40];
    /* card 6 is 4000-0000-0000-3220: two charges approved, then declined */
    open_ok("\"pg\":\"kakaopay.TCSUBSCRIP\",\"merchant_uid\":\"co_key_2\","
            "\"customer_uid\":\"co_cust_2\",\"amount\":9900",
            id, imp_uid);
    struct http_res r;
    cJSON *rsp = act_done(id, "approve", "{\"method\":\"card\",\"card\":6}", &r);
    assert_true(json_is_true(rsp, "success"));
    http_res_free(&r);
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "customer_uid_usage"), "issue");
    assert_int_equal(json_num(p, "amount"), 9900);
    assert_string_equal(json_str(p, "card_name"), "하나카드");
    http_res_free(&r);
    http_get(&M, "/subscribe/customers/co_cust_2", &r);
    cJSON *c = env_ok(&r);
    assert_string_equal(json_str(c, "card_number"), "400000******3220");
    http_res_free(&r);

    static const char *const expect[] = {"paid", "failed"};
    for (int i = 0; i < 2; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"customer_uid\":\"co_cust_2\",\"merchant_uid\":\"co_key_2_m%d\","
                 "\"amount\":9900}",
                 i + 2);
        http_post_json(&M, "/subscribe/payments/again", body, &r);
        p = env_ok(&r);
        assert_string_equal(json_str(p, "status"), expect[i]);
        assert_string_equal(json_str(p, "pay_method"), "card");
        assert_string_equal(json_str(p, "card_name"), "하나카드");
        assert_string_equal(json_str(p, "card_number"), "400000******3220");
        http_res_free(&r);
    }

    /* a card that fails authentication refuses even a 0-won issuance */
    open_ok("\"merchant_uid\":\"co_key_3\",\"customer_uid\":\"co_cust_3\",\"amount\":0", id,
            imp_uid);
    rsp = act_done(id, "approve", "{\"method\":\"card\",\"card\":7}", &r);
    assert_false(json_is_true(rsp, "success"));
    assert_string_equal(json_str(rsp, "error_code"), "AUTH_FAILED");
    http_res_free(&r);
    http_get(&M, "/subscribe/customers/co_cust_3", &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
}

/* ---- scenarios ---- */

static void test_scenario_window_effects(void **state)
{
    (void)state;
    mock_load_scenario(&M,
                       "{\"name\":\"co-window\",\"description\":\"window effects by order id\","
                       "\"rules\":["
                       "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"co_auto_card*\"},"
                       " \"then\":{\"window\":\"approve_card\"}},"
                       "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"co_auto_money*\"},"
                       " \"then\":{\"window\":\"approve_money\",\"delay_ms\":50}},"
                       "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"co_auto_cancel*\"},"
                       " \"then\":{\"window\":\"cancel\"}},"
                       "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"co_auto_fail*\"},"
                       " \"then\":{\"window_fail\":\"[CANCEL]한도 초과로 결제가 거절되었습니다\"}},"
                       "{\"when\":{\"op\":\"checkout\",\"merchant_uid\":\"co_auto_hang*\"},"
                       " \"then\":{\"window\":\"hang\"}},"
                       "{\"when\":{\"op\":\"charge\",\"merchant_uid\":\"co_biz_*\"},"
                       " \"then\":{\"decline\":\"[F302]잔액부족\"}}]}");
    struct http_res r;
    char id[40], imp_uid[40], path[256];

    open_ok("\"merchant_uid\":\"co_auto_card_1\",\"amount\":1000", id, imp_uid);
    session_path(path, id, "");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    cJSON *a = cJSON_GetObjectItemCaseSensitive(env_ok(&r), "auto");
    assert_string_equal(json_str(a, "action"), "approve_card");
    assert_string_equal(json_str(a, "scenario"), "co-window");
    http_res_free(&r);
    cJSON *rsp = act_done(id, "auto", NULL, &r);
    assert_true(json_is_true(rsp, "success"));
    assert_string_equal(json_str(rsp, "pay_method"), "card");
    http_res_free(&r);

    open_ok("\"merchant_uid\":\"co_auto_money_1\",\"amount\":1000", id, imp_uid);
    rsp = act_done(id, "auto", NULL, &r);
    assert_string_equal(json_str(rsp, "pay_method"), "point");
    http_res_free(&r);

    open_ok("\"merchant_uid\":\"co_auto_cancel_1\",\"amount\":1000", id, imp_uid);
    rsp = act_done(id, "auto", NULL, &r);
    assert_string_equal(json_str(rsp, "error_code"), "USER_CANCEL");
    http_res_free(&r);

    open_ok("\"merchant_uid\":\"co_auto_fail_1\",\"amount\":1000", id, imp_uid);
    rsp = act_done(id, "auto", NULL, &r);
    assert_string_equal(json_str(rsp, "error_code"), "PG_ERROR");
    assert_string_equal(json_str(rsp, "error_msg"), "[CANCEL]한도 초과로 결제가 거절되었습니다");
    http_res_free(&r);
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "failed");
    http_res_free(&r);

    open_ok("\"merchant_uid\":\"co_auto_hang_1\",\"amount\":1000", id, imp_uid);
    session_post(id, "auto", NULL, &r);
    assert_string_equal(json_str(env_ok(&r), "state"), "open");
    http_res_free(&r);
    p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "status"), "ready");
    http_res_free(&r);

    /* no effect for this order: auto is refused, the buyer decides */
    open_ok("\"merchant_uid\":\"co_plain_1\",\"amount\":1000", id, imp_uid);
    session_post(id, "auto", NULL, &r);
    assert_int_equal(r.status, 400);
    http_res_free(&r);

    /* a business decline applies to window approvals too */
    open_ok("\"merchant_uid\":\"co_biz_1\",\"amount\":1000", id, imp_uid);
    rsp = act_done(id, "approve", "{\"method\":\"money\"}", &r);
    assert_string_equal(json_str(rsp, "error_code"), "DECLINED");
    assert_string_equal(json_str(rsp, "error_msg"), "[F302]잔액부족");
    http_res_free(&r);
    clear_scenarios();
}

/* ---- the mobile redirect ---- */

static void test_mobile_return(void **state)
{
    (void)state;
    char id[40], imp_uid[40], path[256];
    struct http_res r;
    open_ok("\"merchant_uid\":\"co_mob_1\",\"amount\":3000,\"impmock_flow\":\"redirect\","
            "\"m_redirect_url\":\"https://shop.example/done?from=app#top\"",
            id, imp_uid);
    session_path(path, id, "/return");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    assert_int_equal(env_code(&r), 1); /* not done yet: nowhere to return */
    http_res_free(&r);
    act_done(id, "approve", "{\"method\":\"money\"}", &r);
    http_res_free(&r);
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 302);
    char loc[512];
    snprintf(loc, sizeof loc,
             "Location: https://shop.example/done?from=app&imp_uid=%s&merchant_uid=co_mob_1"
             "&imp_success=true#top\r\n",
             imp_uid);
    assert_non_null(strstr(r.headers, loc));
    http_res_free(&r);
    cJSON *p = payment(imp_uid, &r);
    assert_string_equal(json_str(p, "channel"), "mobile");
    assert_non_null(strstr(json_str(p, "receipt_url"), "/confirmation/m/"));
    http_res_free(&r);

    open_ok("\"merchant_uid\":\"co_mob_2\",\"amount\":3000,\"impmock_flow\":\"redirect\","
            "\"m_redirect_url\":\"http://127.0.0.1:9/return\"",
            id, imp_uid);
    act_done(id, "cancel", NULL, &r);
    http_res_free(&r);
    session_path(path, id, "/return");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 302);
    snprintf(loc, sizeof loc,
             "Location: http://127.0.0.1:9/return?imp_uid=%s&merchant_uid=co_mob_2"
             "&imp_success=false&error_code=USER_CANCEL&error_msg=%%EC%%82%%AC%%EC%%9A%%A9",
             imp_uid);
    assert_non_null(strstr(r.headers, loc));
    http_res_free(&r);

    /* a PC window has no return */
    open_ok("\"merchant_uid\":\"co_mob_3\",\"amount\":3000", id, imp_uid);
    act_done(id, "cancel", NULL, &r);
    http_res_free(&r);
    session_path(path, id, "/return");
    http_do(&M, "GET", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    session_path(path, id, "/done");
    http_do(&M, "POST", path, NULL, NULL, NULL, &r);
    env_ok(&r);
    http_res_free(&r);
}

static void test_preflight(void **state)
{
    (void)state;
    struct http_res r;
    http_do(&M, "OPTIONS", "/checkout/open", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 204);
    assert_non_null(strstr(r.headers, "Access-Control-Allow-Origin: *"));
    assert_non_null(strstr(r.headers, "Content-Type"));
    http_res_free(&r);
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_ALL);
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
        cmocka_unit_test(test_static_pages),
        cmocka_unit_test(test_static_no_escape),
        cmocka_unit_test(test_open_makes_ready_payment),
        cmocka_unit_test(test_open_refusals),
        cmocka_unit_test(test_open_notice_url),
        cmocka_unit_test(test_open_paid_order_refused),
        cmocka_unit_test(test_open_prepare_mismatch),
        cmocka_unit_test(test_approve_card),
        cmocka_unit_test(test_approve_money),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_method_rules),
        cmocka_unit_test(test_test_card_declines),
        cmocka_unit_test(test_key_issue_zero_then_again),
        cmocka_unit_test(test_key_issue_with_charge_counts),
        cmocka_unit_test(test_scenario_window_effects),
        cmocka_unit_test(test_mobile_return),
        cmocka_unit_test(test_preflight),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
