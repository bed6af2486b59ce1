/*
 * test_control.c - the control API as a test suite drives it, against the
 * real binary: every refusal has one shape ({"error", "code"}, English) and
 * a wrong method gets it with Allow, answers carry Date, --help lists every
 * control endpoint of the route table; the request journal keeps headers
 * (credentials masked) and the tenant's imp_key, reads from a since cursor
 * and forgets on DELETE; POST /__mock/webhooks/trigger sends a payment's
 * notice without touching the payment; POST /__mock/reset reads changed
 * fixture files again and refuses a bad one with nothing reset. And the
 * logs: the banner on standard error, standard output only log lines (each
 * a JSON object with --log-format json), every field a request line
 * promises, and one line per webhook attempt, failures included.
 */
#include "harness.h"
#include "receiver.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

static struct mock M;

/* The value of header `name` in a raw header block, or NULL (static buffer). */
static const char *header(const char *headers, const char *name)
{
    static char value[256];
    size_t n = strlen(name);
    for (const char *line = headers; line && *line;) {
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            snprintf(value, sizeof value, "%.*s", (int)strcspn(v, "\r\n"), v);
            return value;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return NULL;
}

/* A control-API refusal: this status and code, exactly the two fields, the
 * message mentioning needle (NULL: any) and no Korean in it. */
static void expect_refusal(const struct http_res *r, long status, const char *code,
                           const char *needle)
{
    if (r->status != status)
        fail_msg("HTTP %ld, wanted %ld: %s", r->status, status, r->body);
    if (!cJSON_IsObject(r->json) || cJSON_GetArraySize(r->json) != 2)
        fail_msg("not {\"error\", \"code\"}: %s", r->body);
    const char *error = json_str(r->json, "error");
    const char *name = json_str(r->json, "code");
    if (!error || !name || strcmp(name, code) != 0)
        fail_msg("code %s, wanted %s: %s", name ? name : "(none)", code, r->body);
    if (needle && !strstr(error, needle))
        fail_msg("'%s' does not mention '%s'", error, needle);
    for (const unsigned char *p = (const unsigned char *)error; *p; p++)
        if (*p >= 0x80)
            fail_msg("not in English: %s", error);
}

static void test_one_refusal_shape(void **state)
{
    (void)state;
    struct http_res r;
    /* a wrong method: the control API's shape, not the envelope, and Allow */
    http_do(&M, "PATCH", "/__mock/clock", NULL, NULL, NULL, &r);
    expect_refusal(&r, 405, "METHOD_NOT_ALLOWED", "PATCH");
    assert_string_equal(header(r.headers, "Allow"), "GET, HEAD, POST");
    http_res_free(&r);
    http_do(&M, "PUT", "/__mock/requests", "application/json", "{}", NULL, &r);
    expect_refusal(&r, 405, "METHOD_NOT_ALLOWED", "PUT");
    assert_string_equal(header(r.headers, "Allow"), "GET, HEAD, DELETE");
    http_res_free(&r);
    /* a path no route has is the REST API's, even under /__mock/ (routes.c) */
    http_do(&M, "GET", "/__mock/nowhere", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_int_equal(env_code(&r), -1);
    http_res_free(&r);
    /* a bad body, a bad query, a bad field, an unknown tenant */
    http_do(&M, "POST", "/__mock/scenarios", "application/json", "{\"name\":", NULL, &r);
    expect_refusal(&r, 400, "BAD_JSON", "JSON object");
    http_res_free(&r);
    http_do(&M, "GET", "/__mock/requests?page=%zz", NULL, NULL, NULL, &r);
    expect_refusal(&r, 400, "BAD_FORM", "%XX");
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"advance\":\"60\"}", NULL, &r);
    expect_refusal(&r, 400, "BAD_PARAM", "advance must be a number");
    http_res_free(&r);
    http_do(&M, "GET", "/__mock/requests?since=-1", NULL, NULL, NULL, &r);
    expect_refusal(&r, 400, "BAD_PARAM", "since must be from 0");
    http_res_free(&r);
    http_do(&M, "GET", "/__mock/requests?imp_key=nobody", NULL, NULL, NULL, &r);
    expect_refusal(&r, 404, "TENANT_NOT_FOUND", NULL);
    http_res_free(&r);
    http_do(&M, "DELETE", "/__mock/scenarios?name=nothing", NULL, NULL, NULL, &r);
    expect_refusal(&r, 404, "SCENARIO_NOT_FOUND", NULL);
    http_res_free(&r);
    /* the REST API keeps its envelope, and its 405 names the methods too */
    http_do(&M, "DELETE", "/payments/prepare", NULL, NULL, M.token, &r);
    assert_int_equal(r.status, 405);
    assert_int_equal(env_code(&r), -1);
    assert_string_equal(header(r.headers, "Allow"), "GET, HEAD, POST, PUT");
    http_res_free(&r);
}

static void test_date_on_every_answer(void **state)
{
    (void)state;
    const char *paths[] = {"/__mock/health", "/__mock/nowhere", "/payments/imp_none", "/__mock/ui",
                           "/v1/iamport.js"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        struct http_res r;
        http_do(&M, "GET", paths[i], NULL, NULL, M.token, &r);
        const char *date = header(r.headers, "Date");
        /* RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
        if (!date || strlen(date) != 29 || strcmp(date + 25, " GMT") != 0 || date[3] != ',')
            fail_msg("%s: Date '%s'", paths[i], date ? date : "(none)");
        http_res_free(&r);
    }
}

/* Runs `impmock --help` and returns its standard output (malloc'd). */
static char *help_text(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' --help", getenv("IMPMOCK_BIN"));
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 65536, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t got;
    while ((got = fread(text + len, 1, cap - 1 - len, p)) > 0)
        len += got;
    text[len] = '\0';
    assert_int_equal(pclose(p), 0);
    return text;
}

/* Whether a help line shows `method pattern`: "  METHOD  /__mock/a/NAME/b[?...]"
 * where an upper-case segment stands for a {}. */
static bool help_lists(const char *help, const char *method, const char *pattern)
{
    for (const char *line = help; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        char m[16], path[256];
        if (sscanf(line, " %15s %255[^ [\n]", m, path) != 2 || strcmp(m, method) != 0)
            continue;
        /* segment by segment: a {} of the pattern takes an upper-case word */
        const char *a = path, *b = pattern;
        bool same = true;
        while (same && *a && *b) {
            size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
            bool placeholder = lb == 2 && b[0] == '{' && la > 0;
            for (size_t k = 0; placeholder && k < la; k++)
                placeholder = (a[k] >= 'A' && a[k] <= 'Z') || a[k] == '_';
            same = placeholder || (la == lb && strncmp(a, b, la) == 0);
            a += la + (a[la] == '/');
            b += lb + (b[lb] == '/');
        }
        if (same && !*a && !*b)
            return true;
    }
    return false;
}

static void test_help_lists_every_control_endpoint(void **state)
{
    (void)state;
    char *help = help_text();
    struct http_res r;
    http_get(&M, "/__mock/routes", &r);
    assert_int_equal(r.status, 200);
    size_t checked = 0;
    const cJSON *rt;
    cJSON_ArrayForEach(rt, r.json)
    {
        const char *method = json_str(rt, "method"), *pattern = json_str(rt, "pattern");
        /* the endpoints, not the pages a browser opens (the help names those in prose) */
        if (strncmp(pattern, "/__mock/", 8) != 0 || strncmp(pattern, "/__mock/ui", 10) == 0 ||
            strncmp(pattern, "/__mock/docs", 12) == 0)
            continue;
        if (!help_lists(help, method, pattern))
            fail_msg("--help does not list %s %s", method, pattern);
        checked++;
    }
    assert_true(checked >= 20);
    assert_non_null(strstr(help, "/__mock/ui"));
    assert_non_null(strstr(help, "/__mock/docs"));
    http_res_free(&r);
    free(help);
}

/* GET /__mock/requests?QUERY: the parsed array (in r) and X-Mock-Journal-Seq. */
static uint64_t journal(const char *query, struct http_res *r)
{
    char path[256];
    snprintf(path, sizeof path, "/__mock/requests%s", query);
    http_do(&M, "GET", path, NULL, NULL, NULL, r);
    assert_int_equal(r->status, 200);
    assert_true(cJSON_IsArray(r->json));
    const char *seq = header(r->headers, "X-Mock-Journal-Seq");
    assert_non_null(seq);
    return strtoull(seq, NULL, 10);
}

static void test_journal_headers_and_tenant(void **state)
{
    (void)state;
    struct http_res r;
    uint64_t mark = journal("?limit=1", &r);
    http_res_free(&r);
    http_get(&M, "/payments/imp_journal_probe", &r); /* Authorization: Bearer TOKEN */
    http_res_free(&r);
    http_do(&M, "GET", "/payments/imp_journal_probe2", NULL, NULL, NULL, &r); /* no token */
    http_res_free(&r);
    char q[64];
    snprintf(q, sizeof q, "?since=%llu", (unsigned long long)mark);
    journal(q, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    const cJSON *with = cJSON_GetArrayItem(r.json, 0), *without = cJSON_GetArrayItem(r.json, 1);
    assert_string_equal(json_str(with, "path"), "/payments/imp_journal_probe");
    assert_string_equal(json_str(with, "imp_key"), TEST_IMP_KEY);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(without, "imp_key")));
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(with, "headers");
    assert_true(cJSON_IsObject(h));
    char want[64];
    snprintf(want, sizeof want, "Bearer %.4s****", M.token);
    assert_string_equal(json_str(h, "Authorization"), want);
    assert_null(strstr(r.body, M.token)); /* the token is nowhere in the journal */
    assert_non_null(json_str(h, "Host"));
    http_res_free(&r);
}

static void test_journal_admin_token_masked(void **state)
{
    (void)state;
    struct mock A;
    const char *args[] = {"--admin-token", "s3cret-admin-token", NULL};
    mock_start(&A, args);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    struct curl_slist *hl = curl_slist_append(NULL, "X-Admin-Token: s3cret-admin-token");
    char url[128];
    struct http_buf body = {0};
    snprintf(url, sizeof url, "%s/payments/imp_x", A.base); /* journaled: not a control call */
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_buf_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    free(body.data);
    body = (struct http_buf){0};
    snprintf(url, sizeof url, "%s/__mock/requests", A.base);
    curl_easy_setopt(c, CURLOPT_URL, url);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    assert_non_null(body.data);
    assert_null(strstr(body.data, "s3cret"));
    assert_non_null(strstr(body.data, "\"X-Admin-Token\":\"****\""));
    free(body.data);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    /* and without the token the journal stays closed, in the control API's shape */
    struct http_res r;
    http_do(&A, "GET", "/__mock/requests", NULL, NULL, NULL, &r);
    expect_refusal(&r, 401, "ADMIN_TOKEN_REQUIRED", "X-Admin-Token");
    http_res_free(&r);
    assert_int_equal(mock_stop(&A), 0);
}

static void test_journal_since_and_delete(void **state)
{
    (void)state;
    struct http_res r;
    uint64_t mark = journal("?limit=1", &r);
    http_res_free(&r);
    char path[64];
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "/payments/imp_since_%d", i);
        http_get(&M, path, &r);
        http_res_free(&r);
    }
    char q[96];
    snprintf(q, sizeof q, "?since=%llu", (unsigned long long)mark);
    uint64_t newest = journal(q, &r);
    assert_int_equal(newest, mark + 5);
    assert_int_equal(cJSON_GetArraySize(r.json), 5);
    for (int i = 0; i < 5; i++) {
        const cJSON *e = cJSON_GetArrayItem(r.json, i);
        assert_int_equal((uint64_t)json_num(e, "seq"), mark + 1 + (uint64_t)i); /* oldest first */
    }
    assert_null(header(r.headers, "X-Mock-Next-Since"));
    http_res_free(&r);
    /* a limit: the first two after the cursor, and where the rest go on */
    snprintf(q, sizeof q, "?since=%llu&limit=2", (unsigned long long)mark);
    journal(q, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(r.json, 0), "path"), "/payments/imp_since_0");
    const char *next = header(r.headers, "X-Mock-Next-Since");
    assert_non_null(next);
    assert_int_equal(strtoull(next, NULL, 10), mark + 2);
    http_res_free(&r);
    /* DELETE: everything forgotten, numbering goes on */
    http_do(&M, "DELETE", "/__mock/requests", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(json_num(r.json, "deleted") >= 5);
    assert_string_equal(json_str(r.json, "scope"), "all");
    http_res_free(&r);
    journal("", &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    http_res_free(&r);
    http_get(&M, "/payments/imp_after_delete", &r);
    http_res_free(&r);
    snprintf(q, sizeof q, "?since=%llu", (unsigned long long)mark);
    journal(q, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_int_equal((uint64_t)json_num(cJSON_GetArrayItem(r.json, 0), "seq"), mark + 6);
    http_res_free(&r);
}

static void test_journal_delete_one_tenant(void **state)
{
    (void)state;
    struct mock T;
    const char *args[] = {"--open-tenants", NULL};
    mock_start(&T, args);
    mock_login(&T);
    struct http_res r;
    http_do(&T, "POST", "/users/getToken", "application/json",
            "{\"imp_key\":\"other_key\",\"imp_secret\":\"other_secret\"}", NULL, &r);
    const char *other = json_str(env_response(&r), "access_token");
    assert_non_null(other);
    char other_token[64];
    snprintf(other_token, sizeof other_token, "%s", other);
    http_res_free(&r);
    http_do(&T, "GET", "/payments/imp_mine", NULL, NULL, T.token, &r);
    http_res_free(&r);
    http_do(&T, "GET", "/payments/imp_theirs", NULL, NULL, other_token, &r);
    http_res_free(&r);
    http_do(&T, "DELETE", "/__mock/requests?imp_key=other_key", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal((int)json_num(r.json, "deleted"), 2); /* its getToken and its GET */
    assert_string_equal(json_str(r.json, "scope"), "tenant");
    http_res_free(&r);
    http_do(&T, "GET", "/__mock/requests", NULL, NULL, NULL, &r);
    assert_null(strstr(r.body, "imp_theirs"));
    assert_non_null(strstr(r.body, "imp_mine"));
    http_res_free(&r);
    assert_int_equal(mock_stop(&T), 0);
}

/* A paid payment by onetime, its notices to notice_json (JSON, or "null"). */
static void pay(const char *mid, const char *notice_json, char *imp_uid, size_t cap)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"merchant_uid\":\"%s\",\"amount\":5000,\"card_number\":\"4242-4242-4242-4242\","
             "\"expiry\":\"2099-12\",\"notice_url\":%s}",
             mid, notice_json);
    struct http_res r;
    http_post_json(&M, "/subscribe/payments/onetime", body, &r);
    assert_int_equal(env_code(&r), 0);
    snprintf(imp_uid, cap, "%s", json_str(env_response(&r), "imp_uid"));
    http_res_free(&r);
}

static void test_webhook_trigger(void **state)
{
    (void)state;
    struct receiver *rx = rx_start();
    char url[128], notice[160], imp_uid[64];
    rx_url(rx, "/notice", url, sizeof url);
    snprintf(notice, sizeof notice, "\"%s\"", url);
    pay("trigger-1", notice, imp_uid, sizeof imp_uid);
    assert_int_equal(rx_wait(rx, 1, 5000), 1); /* the charge's own notice */
    rx_clear(rx);
    struct http_res r;
    http_get(&M, "/payments/status/all", &r); /* nothing below may add a payment */
    int before = (int)json_num(env_response(&r), "total");
    http_res_free(&r);

    /* its current status, then another one */
    char body[160];
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\"}", imp_uid);
    http_post_json(&M, "/__mock/webhooks/trigger", body, &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "triggered")));
    assert_string_equal(json_str(r.json, "status"), "paid");
    assert_string_equal(json_str(r.json, "merchant_uid"), "trigger-1");
    uint64_t id = (uint64_t)json_num(r.json, "id");
    assert_true(id > 0);
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"status\":\"cancelled\"}", imp_uid);
    http_post_json(&M, "/__mock/webhooks/trigger", body, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(r.json, "status"), "cancelled");
    http_res_free(&r);
    assert_int_equal(rx_wait(rx, 2, 5000), 2);
    const char *want[] = {"paid", "cancelled"};
    for (size_t i = 0; i < 2; i++) {
        struct rx_msg m;
        assert_true(rx_get(rx, i, &m));
        assert_string_equal(m.path, "/notice");
        cJSON *o = cJSON_Parse(m.body);
        free(m.body);
        assert_string_equal(json_str(o, "imp_uid"), imp_uid);
        assert_string_equal(json_str(o, "merchant_uid"), "trigger-1");
        assert_string_equal(json_str(o, "status"), want[i]);
        cJSON_Delete(o);
    }
    /* the attempt is in the webhook journal under the id the answer gave */
    char path[96];
    snprintf(path, sizeof path, "/__mock/webhooks?id=%llu", (unsigned long long)id);
    http_get(&M, path, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(r.json, 0), "event"), "paid");
    http_res_free(&r);
    /* the payment did not change and no payment was made */
    snprintf(path, sizeof path, "/payments/%s", imp_uid);
    http_get(&M, path, &r);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    http_res_free(&r);
    http_get(&M, "/payments/status/all", &r);
    assert_int_equal((int)json_num(env_response(&r), "total"), before);
    http_res_free(&r);

    /* refusals: unknown payment, unknown status, no URL anywhere */
    http_post_json(&M, "/__mock/webhooks/trigger", "{\"imp_uid\":\"imp_000000000000\"}", &r);
    expect_refusal(&r, 404, "PAYMENT_NOT_FOUND", NULL);
    http_res_free(&r);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\",\"status\":\"done\"}", imp_uid);
    http_post_json(&M, "/__mock/webhooks/trigger", body, &r);
    expect_refusal(&r, 400, "BAD_PARAM", "status");
    http_res_free(&r);
    http_post_json(&M, "/__mock/webhooks/trigger", "{}", &r);
    expect_refusal(&r, 400, "BAD_PARAM", "imp_uid is required");
    http_res_free(&r);
    char quiet[64];
    pay("trigger-2", "null", quiet, sizeof quiet);
    snprintf(body, sizeof body, "{\"imp_uid\":\"%s\"}", quiet);
    http_post_json(&M, "/__mock/webhooks/trigger", body, &r);
    expect_refusal(&r, 409, "NO_WEBHOOK_URL", NULL);
    http_res_free(&r);
    rx_stop(rx);
}

/* ---- reset reads the fixture files again ---- */

#define MERCHANT(code, key, secret, extra)                                                         \
    "{\"merchant_code\":\"" code "\",\"imp_key\":\"" key "\",\"imp_secret\":\"" secret "\","        \
    "\"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"},"  \
    "{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}]" extra "}"
#define SEED(mid) ",\"payments\":[{\"merchant_uid\":\"" mid "\",\"status\":\"paid\",\"amount\":1000}]"

static int count_payments(struct mock *m, const char *token)
{
    struct http_res r;
    http_do(m, "GET", "/payments/status/all", NULL, NULL, token, &r);
    int n = (int)json_num(env_response(&r), "total");
    http_res_free(&r);
    return n;
}

static void token_for(struct mock *m, const char *key, const char *secret, char *out, size_t cap)
{
    char body[256];
    snprintf(body, sizeof body, "{\"imp_key\":\"%s\",\"imp_secret\":\"%s\"}", key, secret);
    struct http_res r;
    http_do(m, "POST", "/users/getToken", "application/json", body, NULL, &r);
    const char *t = json_str(env_response(&r), "access_token");
    snprintf(out, cap, "%s", t ? t : "");
    http_res_free(&r);
}

static void test_reset_rereads_fixtures(void **state)
{
    (void)state;
    struct mock F;
    mock_start_fixtures(&F, "{\"merchants\":[" MERCHANT("imp10000001", "key_a", "secret_a", SEED("seed-a1")) "]}",
                        NULL);
    char file[160], token[64];
    snprintf(file, sizeof file, "%s/fixtures.json", F.dir);
    token_for(&F, "key_a", "secret_a", token, sizeof token);
    assert_int_equal(count_payments(&F, token), 1);

    /* a second seed payment and a second merchant */
    file_write(file, "{\"merchants\":[" MERCHANT("imp10000001", "key_a", "secret_a",
                                                  ",\"payments\":[{\"merchant_uid\":\"seed-a1\","
                                                  "\"status\":\"paid\",\"amount\":1000},"
                                                  "{\"merchant_uid\":\"seed-a2\",\"status\":"
                                                  "\"ready\",\"amount\":2000}]") "," MERCHANT("imp10000002", "key_b", "secret_b", SEED("seed-b1")) "]}");
    struct http_res r;
    http_do(&F, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    token_for(&F, "key_a", "secret_a", token, sizeof token);
    assert_int_equal(count_payments(&F, token), 2);
    char token_b[64];
    token_for(&F, "key_b", "secret_b", token_b, sizeof token_b);
    assert_true(token_b[0]);
    assert_int_equal(count_payments(&F, token_b), 1);

    /* a bad file: refused, naming the file and the field, nothing reset */
    http_do(&F, "POST", "/payments/prepare", "application/json",
            "{\"merchant_uid\":\"kept-order\",\"amount\":500}", token, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    file_write(file, "{\"merchants\":[" MERCHANT("imp10000001", "key_a", "secret_a",
                                                  ",\"payments\":[{\"merchant_uid\":\"bad\","
                                                  "\"status\":\"done\",\"amount\":1}]") "]}");
    http_do(&F, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    expect_refusal(&r, 500, "RESET_FAILED", "\"status\"");
    if (!strstr(json_str(r.json, "error"), file))
        fail_msg("the refusal does not name %s: %s", file, r.body);
    http_res_free(&r);
    http_do(&F, "GET", "/payments/prepare/kept-order", NULL, NULL, token, &r);
    assert_int_equal(env_code(&r), 0); /* the pre-registration is still there */
    http_res_free(&r);
    assert_int_equal(count_payments(&F, token_b), 1); /* and merchant b too */

    /* a merchant taken out of the file and one with a new secret */
    file_write(file, "{\"merchants\":[" MERCHANT("imp10000001", "key_a", "secret_a2", "") "]}");
    http_do(&F, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    token_for(&F, "key_b", "secret_b", token_b, sizeof token_b);
    assert_string_equal(token_b, "");
    token_for(&F, "key_a", "secret_a", token, sizeof token);
    assert_string_equal(token, "");
    token_for(&F, "key_a", "secret_a2", token, sizeof token);
    assert_true(token[0]);
    assert_int_equal(count_payments(&F, token), 0);
    assert_int_equal(mock_stop(&F), 0);
}

/* ---- logs ---- */

/* impmock with args, standard output and standard error in files of their
 * own (dir/out, dir/err), the access log on; *m as mock_start fills it. */
static void start_split(struct mock *m, const char *const *args)
{
    memset(m, 0, sizeof *m);
    scratch_dir_new(m->dir);
    char port_file[160], out[160], err[160];
    snprintf(port_file, sizeof port_file, "%s/port", m->dir);
    snprintf(out, sizeof out, "%s/out", m->dir);
    snprintf(err, sizeof err, "%s/err", m->dir);
    const char *argv[32] = {getenv("IMPMOCK_BIN"), "--port", "0", "--port-file", port_file};
    size_t n = 5;
    for (size_t i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    m->pid = pid;
    for (int i = 0; i < 500 && !m->port; i++) { /* up to 5 s */
        char *text = file_read(port_file, NULL);
        if (text)
            m->port = atoi(text);
        free(text);
        if (!m->port)
            sleep_ms(10);
    }
    if (!m->port) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        fail_msg("impmock wrote no port file");
    }
    snprintf(m->base, sizeof m->base, "http://127.0.0.1:%d", m->port);
}

/* The file dir/name of m, read whole (malloc'd; "" when absent). */
static char *read_out(const struct mock *m, const char *name)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", m->dir, name);
    char *text = file_read(path, NULL);
    return text ? text : strdup("");
}

/* The lines of text (modified in place) that contain needle. */
static size_t lines_with(char *text, const char *needle, char **ret, size_t cap)
{
    size_t n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (strstr(line, needle) && n < cap)
            ret[n++] = line;
    return n;
}

/* Waits (bounded) until dir/name of m holds needle. */
static void wait_for_text(const struct mock *m, const char *name, const char *needle)
{
    for (int i = 0; i < 300; i++) {
        char *text = read_out(m, name);
        bool found = strstr(text, needle) != NULL;
        free(text);
        if (found)
            return;
        sleep_ms(10);
    }
    fail_msg("%s never showed '%s'", name, needle);
}

/* "2026-01-02T03:04:05.678Z" */
static bool is_rfc3339_ms(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
            return false;
    return true;
}

static void test_log_json_lines(void **state)
{
    (void)state;
    struct mock L;
    /* the clock set a year ahead: the lines show it beside the wall time */
    const char *args[] = {"--log-format", "json", "--clock", "1893456000", NULL};
    start_split(&L, args);
    struct receiver *rx = rx_start();
    mock_login(&L);
    struct http_res r;
    /* a refusal answered with HTTP 200 and code 1 */
    for (int i = 0; i < 2; i++) {
        http_post_json(&L, "/payments/prepare", "{\"merchant_uid\":\"log-dup\",\"amount\":100}", &r);
        assert_int_equal(r.status, 200);
        http_res_free(&r);
    }
    /* a control-API refusal */
    http_do(&L, "PATCH", "/__mock/clock", NULL, NULL, NULL, &r);
    http_res_free(&r);
    /* a notice to a receiver, one to a port nothing listens on */
    char url[128], body[512];
    rx_url(rx, "/ok", url, sizeof url);
    snprintf(body, sizeof body,
             "{\"merchant_uid\":\"log-pay\",\"amount\":5000,\"card_number\":"
             "\"4242-4242-4242-4242\",\"expiry\":\"2099-12\",\"notice_url\":[\"%s\","
             "\"http://127.0.0.1:%d/dead\"]}",
             url, rx_refusing_port());
    http_post_json(&L, "/subscribe/payments/onetime", body, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    wait_for_text(&L, "out", "/dead");
    wait_for_text(&L, "out", "/ok");
    char *err = read_out(&L, "err");
    char *out = read_out(&L, "out");
    assert_int_equal(mock_stop(&L), 0); /* removes the files */
    rx_stop(rx);

    /* standard error: the banner; standard output: JSON lines only */
    assert_non_null(strstr(err, "impmock listening on http://127.0.0.1:"));
    free(err);
    assert_null(strstr(out, "listening"));
    char *lines[64];
    size_t n = lines_with(out, "", lines, 64);
    assert_true(n >= 6);
    bool saw_dup = false, saw_405 = false, saw_ok_hook = false, saw_dead_hook = false;
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_Parse(lines[i]);
        if (!cJSON_IsObject(o))
            fail_msg("not a JSON object: %s", lines[i]);
        const char *kind = json_str(o, "kind"), *time = json_str(o, "time");
        assert_non_null(kind);
        if (!time || !is_rfc3339_ms(time))
            fail_msg("time is not RFC 3339: %s", lines[i]);
        assert_string_equal(json_str(o, "clock"), "2030-01-01T00:00:00Z");
        const char *path = json_str(o, "path"), *hook = json_str(o, "url");
        if (strcmp(kind, "request") == 0) {
            assert_non_null(path);
            assert_non_null(json_str(o, "method"));
            assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "status")));
            assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "ms")));
            assert_non_null(cJSON_GetObjectItemCaseSensitive(o, "imp_key"));
        }
        if (path && strcmp(path, "/payments/prepare") == 0 && json_num(o, "code") == 1) {
            saw_dup = true;
            assert_int_equal((int)json_num(o, "status"), 200);
            assert_string_equal(json_str(o, "error"), "PREPARE_EXISTS");
            assert_string_equal(json_str(o, "imp_key"), TEST_IMP_KEY);
        }
        if (path && strcmp(path, "/__mock/clock") == 0) {
            saw_405 = true;
            assert_string_equal(json_str(o, "error"), "METHOD_NOT_ALLOWED");
        }
        if (strcmp(kind, "webhook") == 0) {
            assert_int_equal((int)json_num(o, "attempt"), 1);
            assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "ms")));
            if (strstr(hook, "/ok")) {
                saw_ok_hook = true;
                assert_int_equal((int)json_num(o, "status"), 200);
            } else if (strstr(hook, "/dead")) {
                saw_dead_hook = true;
                assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "status")));
                assert_non_null(json_str(o, "error"));
            }
        }
        cJSON_Delete(o);
    }
    assert_true(saw_dup && saw_405 && saw_ok_hook && saw_dead_hook);
    free(out);
}

static void test_log_text_lines(void **state)
{
    (void)state;
    struct mock L;
    start_split(&L, NULL);
    struct receiver *rx = rx_start();
    mock_login(&L);
    struct http_res r;
    http_get(&L, "/payments/imp_missing", &r);
    http_res_free(&r);
    char body[512];
    snprintf(body, sizeof body,
             "{\"merchant_uid\":\"log-t\",\"amount\":5000,\"card_number\":"
             "\"4242-4242-4242-4242\",\"expiry\":\"2099-12\","
             "\"notice_url\":\"http://127.0.0.1:%d/dead\"}",
             rx_refusing_port());
    http_post_json(&L, "/subscribe/payments/onetime", body, &r);
    http_res_free(&r);
    wait_for_text(&L, "out", "/dead");
    char *out = read_out(&L, "out");
    assert_int_equal(mock_stop(&L), 0); /* removes the file */
    rx_stop(rx);
    char *hits[4];
    char *copy = strdup(out);
    assert_int_equal(lines_with(copy, "GET /payments/imp_missing", hits, 4), 1);
    /* time, address, tenant, request, status, code and error, bytes, latency */
    assert_true(is_rfc3339_ms(hits[0]));
    assert_null(strstr(hits[0], "clock=")); /* the clock follows the wall clock */
    assert_non_null(strstr(hits[0], " 127.0.0.1 " TEST_IMP_KEY " \"GET /payments/imp_missing\" 404 code=-1 PAYMENT_NOT_FOUND "));
    assert_non_null(strstr(hits[0], "ms"));
    free(copy);
    copy = strdup(out);
    assert_int_equal(lines_with(copy, "webhook \u2192 http://127.0.0.1:", hits, 4), 1);
    assert_non_null(strstr(hits[0], "/dead failed: "));
    assert_non_null(strstr(hits[0], "attempt 1"));
    free(copy);
    free(out);
}

/* ---- main ---- */

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
        cmocka_unit_test(test_one_refusal_shape),
        cmocka_unit_test(test_date_on_every_answer),
        cmocka_unit_test(test_help_lists_every_control_endpoint),
        cmocka_unit_test(test_journal_headers_and_tenant),
        cmocka_unit_test(test_journal_admin_token_masked),
        cmocka_unit_test(test_journal_since_and_delete),
        cmocka_unit_test(test_journal_delete_one_tenant),
        cmocka_unit_test(test_webhook_trigger),
        cmocka_unit_test(test_reset_rereads_fixtures),
        cmocka_unit_test(test_log_json_lines),
        cmocka_unit_test(test_log_text_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
