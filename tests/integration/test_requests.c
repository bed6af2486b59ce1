/*
 * test_requests.c - the HTTP surface every handler relies on, against the
 * real binary: body parsing errors (JSON and form), type errors naming the
 * field, the body size limit, content-type guessing, unknown routes and
 * methods, Content-Length and the envelope on every answer, keep-alive; and
 * the command line: --help, --version, bad flags (exit 2), bad fixtures
 * (exit 1 naming file and field), the listening line and --healthcheck.
 * getToken, POST /payments/prepare and GET /payments list no 400 in the
 * Swagger: their refusals are HTTP 200 with code -1 (reference §16.0).
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEY_JSON "{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"" TEST_IMP_SECRET "\"}"
#define KEY_FORM "imp_key=" TEST_IMP_KEY "&imp_secret=" TEST_IMP_SECRET
#define BAD_JSON "요청 본문이 올바른 JSON 객체가 아닙니다: "
#define MIB      (1024 * 1024)

static int setup(void **state)
{
    struct mock *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    mock_start(m, NULL);
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    struct mock *m = *state;
    int rc = mock_stop(m); /* 0 only after a clean shutdown (no sanitizer abort) */
    free(m);
    if (rc != 0)
        fprintf(stderr, "impmock exited with %d\n", rc);
    return rc == 0 ? 0 : -1;
}

/* ---- raw requests ---- */

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
            size_t len = strcspn(v, "\r\n");
            snprintf(value, sizeof value, "%.*s", (int)len, v);
            return value;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return NULL;
}

/* Every REST answer: Content-Length matches the body, JSON content type, and
 * the body is exactly the envelope {code, message, response}. */
static void check_wire(const struct http_res *r)
{
    const char *cl = header(r->headers, "Content-Length");
    if (!cl)
        fail_msg("no Content-Length in:\n%s", r->headers);
    assert_int_equal(strtoull(cl, NULL, 10), r->len);
    assert_string_equal(header(r->headers, "Content-Type"), "application/json; charset=UTF-8");
    const char *date = header(r->headers, "Date"); /* RFC 9110 6.6.1: "Sun, 06 Nov 1994 08:49:37 GMT" */
    if (!date || strlen(date) != 29 || strcmp(date + 25, " GMT") != 0)
        fail_msg("no Date header of the IMF-fixdate form in:\n%s", r->headers);
    if (!cJSON_IsObject(r->json))
        fail_msg("body is not a JSON object: %.200s", r->body);
    assert_int_equal(cJSON_GetArraySize(r->json), 3);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(r->json, "code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(r->json, "message");
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(r->json, "response");
    assert_true(cJSON_IsNumber(code));
    assert_non_null(resp);
    if (code->valueint == 0) {
        assert_true(cJSON_IsNull(msg));
    } else {
        assert_true(cJSON_IsString(msg));
        assert_true(cJSON_IsNull(resp));
    }
}

/* Sends one request on handle h (created when NULL) and checks the wire
 * format. ctype NULL: curl's default; "": no Content-Type header at all. */
static void send_on(CURL *h, const struct mock *m, const char *method, const char *path,
                    const char *ctype, const char *body, size_t body_len, const char *token,
                    bool chunked, struct http_res *res)
{
    memset(res, 0, sizeof *res);
    bool own = h == NULL;
    if (own)
        h = curl_easy_init();
    assert_non_null(h);
    char url[512], line[256];
    snprintf(url, sizeof url, "%s%s", m->base, path);
    struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
    if (ctype) {
        snprintf(line, sizeof line, "Content-Type:%s%s", *ctype ? " " : "", ctype);
        hl = curl_slist_append(hl, line);
    }
    if (token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", token);
        hl = curl_slist_append(hl, line);
    }
    if (chunked)
        hl = curl_slist_append(hl, "Transfer-Encoding: chunked");
    struct http_buf b = {0}, hd = {0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_buf_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, http_buf_write);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &hd);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         chunked ? (curl_off_t)-1 : (curl_off_t)body_len);
    } else {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hl);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
    if (own)
        curl_easy_cleanup(h);
    res->body = b.data ? b.data : strdup("");
    res->len = b.len;
    res->json = cJSON_Parse(res->body);
    snprintf(res->headers, sizeof res->headers, "%s", hd.data ? hd.data : "");
    free(hd.data);
    check_wire(res);
}

static void send_req(const struct mock *m, const char *method, const char *path, const char *ctype,
                     const char *body, const char *token, struct http_res *res)
{
    send_on(NULL, m, method, path, ctype, body, body ? strlen(body) : 0, token, false, res);
}

static void envelope_is(const struct http_res *r, long status, int code, const char *message)
{
    if (r->status != status)
        fail_msg("HTTP %ld, expected %ld: %.300s", r->status, status, r->body);
    assert_int_equal(env_code(r), code);
    if (message)
        assert_string_equal(env_message(r), message);
}

static void token_issued(const struct http_res *r)
{
    envelope_is(r, 200, 0, NULL);
    const char *t = json_str(env_response(r), "access_token");
    assert_non_null(t);
    assert_int_equal(strlen(t), 40);
}

static void get_token(const struct mock *m, const char *ctype, const char *body, struct http_res *r)
{
    send_req(m, "POST", "/users/getToken", ctype, body, NULL, r);
}

/* ---- body parsing ---- */

static void test_malformed_json(void **state)
{
    struct mock *m = *state;
    struct http_res r;
    get_token(m, "application/json", "{\"imp_key\":", &r);
    envelope_is(&r, 200, -1, NULL);
    assert_memory_equal(env_message(&r), BAD_JSON, strlen(BAD_JSON));
    assert_non_null(strstr(env_message(&r), "구문 오류"));
    http_res_free(&r);
    get_token(m, "application/json", "[\"imp_apikey\"]", &r);
    envelope_is(&r, 200, -1, BAD_JSON "최상위 값은 객체({...})여야 합니다");
    http_res_free(&r);
    get_token(m, "application/json", "\"imp_apikey\"", &r);
    envelope_is(&r, 200, -1, BAD_JSON "최상위 값은 객체({...})여야 합니다");
    http_res_free(&r);
    get_token(m, "application/json", KEY_JSON " {}", &r);
    envelope_is(&r, 200, -1, BAD_JSON "JSON 값 뒤에 불필요한 내용이 있습니다");
    http_res_free(&r);
    get_token(m, "application/json", "{\"imp_key\":\"\xC3\x28\",\"imp_secret\":\"x\"}", &r);
    envelope_is(&r, 200, -1, "요청 본문이 올바른 UTF-8이 아닙니다.");
    http_res_free(&r);
    char deep[256];
    size_t n = 0;
    for (int i = 0; i < 65; i++)
        deep[n++] = '[';
    for (int i = 0; i < 65; i++)
        deep[n++] = ']';
    deep[n] = '\0';
    get_token(m, "application/json", deep, &r);
    envelope_is(&r, 200, -1, BAD_JSON "중첩이 너무 깊습니다 (최대 64단계)");
    http_res_free(&r);
    /* parsing comes before authentication: no token needed to learn the body is bad */
    send_req(m, "POST", "/payments/prepare", "application/json", "{", NULL, &r);
    envelope_is(&r, 200, -1, NULL);
    http_res_free(&r);
}

static void test_wrong_types_name_the_field(void **state)
{
    struct mock *m = *state;
    struct http_res r;
    get_token(m, "application/json", "{\"imp_key\":[\"imp_apikey\"],\"imp_secret\":\"x\"}", &r);
    envelope_is(&r, 200, -1, "imp_key 파라미터는 문자열이어야 합니다.");
    http_res_free(&r);
    get_token(m, "application/json", "{\"imp_key\":\"imp_apikey\",\"imp_secret\":true}", &r);
    envelope_is(&r, 200, -1, "imp_secret 파라미터는 문자열이어야 합니다.");
    http_res_free(&r);
    mock_login(m);
    send_req(m, "POST", "/payments/prepare", "application/json",
             "{\"merchant_uid\":\"o-1\",\"amount\":\"1000\"}", m->token, &r);
    envelope_is(&r, 200, -1, "amount 파라미터는 숫자여야 합니다 (문자열 불가).");
    http_res_free(&r);
    send_req(m, "POST", "/payments/prepare", "application/json",
             "{\"merchant_uid\":{\"id\":1},\"amount\":1000}", m->token, &r);
    envelope_is(&r, 200, -1, "merchant_uid 파라미터는 문자열이어야 합니다.");
    http_res_free(&r);
    send_req(m, "GET", "/payments/status/all?limit=ten", NULL, NULL, m->token, &r);
    envelope_is(&r, 400, -1, "limit 파라미터는 정수여야 합니다.");
    http_res_free(&r);
}

static char *body_of_size(size_t size)
{
    /* a valid getToken body padded with spaces to exactly `size` bytes */
    char *b = malloc(size + 1);
    assert_non_null(b);
    size_t n = strlen(KEY_JSON);
    memcpy(b, KEY_JSON, n);
    memset(b + n, ' ', size - n);
    b[size] = '\0';
    return b;
}

static void test_body_limit(void **state)
{
    struct mock *m = *state;
    struct http_res r;
    char *ok = body_of_size(MIB);
    send_on(NULL, m, "POST", "/users/getToken", "application/json", ok, MIB, NULL, false, &r);
    token_issued(&r); /* exactly the limit is fine */
    http_res_free(&r);
    free(ok);
    char *big = body_of_size(MIB + 1);
    send_on(NULL, m, "POST", "/users/getToken", "application/json", big, MIB + 1, NULL, false, &r);
    envelope_is(&r, 413, -1, "요청 본문이 너무 큽니다 (최대 1048576 바이트).");
    assert_string_equal(header(r.headers, "Connection"), "close");
    http_res_free(&r);
    /* without a Content-Length the limit holds while reading */
    send_on(NULL, m, "POST", "/users/getToken", "application/json", big, MIB + 1, NULL, true, &r);
    envelope_is(&r, 413, -1, "요청 본문이 너무 큽니다 (최대 1048576 바이트).");
    http_res_free(&r);
    free(big);
    /* and the server still answers afterwards */
    get_token(m, "application/json", KEY_JSON, &r);
    token_issued(&r);
    http_res_free(&r);
}

static void test_form_bodies(void **state)
{
    struct mock *m = *state;
    struct http_res r;
    const char *form = "application/x-www-form-urlencoded";
    /* PHP-style nested names parse and unknown fields are ignored */
    get_token(m, form,
              "extra%5Brequester%5D=admin&schedules[0][merchant_uid]=m1&schedules[0][amount]=1"
              "&tags[]=a&tags[]=b&" KEY_FORM,
              &r);
    token_issued(&r);
    http_res_free(&r);
    get_token(m, form, "a[b=1&" KEY_FORM, &r);
    envelope_is(&r, 200, -1, "파라미터 이름이 올바르지 않습니다: a[b");
    http_res_free(&r);
    get_token(m, form, "imp_key=%zz&imp_secret=x", &r);
    envelope_is(&r, 200, -1, "잘못된 URL 인코딩입니다 (%XX).");
    http_res_free(&r);
    get_token(m, form, "imp_key=%FF&imp_secret=x", &r);
    envelope_is(&r, 200, -1, "파라미터가 올바른 UTF-8이 아닙니다.");
    http_res_free(&r);
    get_token(m, form, "imp_key[]=" TEST_IMP_KEY "&imp_secret=x", &r);
    envelope_is(&r, 200, -1, "imp_key 파라미터는 문자열이어야 합니다.");
    http_res_free(&r);
    /* sparse indexes would pad with nulls: a small body must not build a huge tree */
    char *sparse = malloc(64 * 500);
    assert_non_null(sparse);
    size_t n = 0;
    for (int i = 0; i < 500; i++)
        n += (size_t)sprintf(sparse + n, "%sa%d[1000][1000][1000]=1", i ? "&" : "", i);
    get_token(m, form, sparse, &r);
    free(sparse);
    envelope_is(&r, 200, -1, "배열 인덱스 사이의 빈 자리가 너무 많습니다 (최대 1000개).");
    http_res_free(&r);
    /* the same rules hold for query strings */
    mock_login(m);
    send_req(m, "GET", "/payments?imp_uid[]=%zz", NULL, NULL, m->token, &r);
    envelope_is(&r, 200, -1, "잘못된 URL 인코딩입니다 (%XX).");
    http_res_free(&r);
    send_req(m, "GET", "/payments?imp_uid[0]=imp_1&imp_uid[1]=imp_2&merchant_uid[]=o", NULL, NULL,
             m->token, &r);
    envelope_is(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
    send_req(m, "GET", "/payments?imp_uid[x]=imp_1", NULL, NULL, m->token, &r);
    envelope_is(&r, 200, -1, "imp_uid 파라미터는 문자열 배열이어야 합니다.");
    http_res_free(&r);
}

static void test_missing_content_type_is_guessed(void **state)
{
    struct mock *m = *state;
    struct http_res r;
    get_token(m, "", KEY_JSON, &r);
    token_issued(&r);
    http_res_free(&r);
    get_token(m, "", "\r\n  " KEY_JSON, &r);
    token_issued(&r);
    http_res_free(&r);
    get_token(m, "", KEY_FORM, &r);
    token_issued(&r);
    http_res_free(&r);
    get_token(m, "text/plain", KEY_JSON, &r);
    token_issued(&r);
    http_res_free(&r);
    /* a declared type wins over the guess */
    get_token(m, "application/x-www-form-urlencoded", KEY_JSON, &r);
    envelope_is(&r, 200, -1, "imp_key 파라미터는 필수입니다.");
    http_res_free(&r);
}

static void test_unknown_route_and_method(void **state)
{
    struct mock *m = *state;
    struct http_res r;
    send_req(m, "GET", "/nope", NULL, NULL, NULL, &r);
    envelope_is(&r, 404, -1, "요청하신 API를 찾을 수 없습니다: /nope");
    http_res_free(&r);
    send_req(m, "GET", "/payments/a/b/c", NULL, NULL, NULL, &r);
    envelope_is(&r, 404, -1, "요청하신 API를 찾을 수 없습니다: /payments/a/b/c");
    http_res_free(&r);
    send_req(m, "GET", "/users/getToken", NULL, NULL, NULL, &r);
    envelope_is(&r, 405, -1, "허용되지 않는 HTTP 메소드입니다: GET");
    http_res_free(&r);
    send_req(m, "DELETE", "/payments/prepare", NULL, NULL, NULL, &r);
    envelope_is(&r, 405, -1, "허용되지 않는 HTTP 메소드입니다: DELETE");
    http_res_free(&r);
    send_req(m, "PATCH", "/payments/imp_1", "application/json", "{}", NULL, &r);
    envelope_is(&r, 405, -1, "허용되지 않는 HTTP 메소드입니다: PATCH");
    http_res_free(&r);
}

static void test_keep_alive_reuses_connection(void **state)
{
    struct mock *m = *state;
    struct http_res r;
    CURL *h = curl_easy_init();
    assert_non_null(h);
    long conns = -1, port1 = 0, port2 = 0;
    send_on(h, m, "POST", "/users/getToken", "application/json", KEY_JSON, strlen(KEY_JSON), NULL,
            false, &r);
    token_issued(&r);
    assert_string_equal(header(r.headers, "Connection"), "keep-alive");
    char tok[64];
    snprintf(tok, sizeof tok, "%s", json_str(env_response(&r), "access_token"));
    curl_easy_getinfo(h, CURLINFO_LOCAL_PORT, &port1);
    http_res_free(&r);
    /* an error answer does not close the connection either */
    send_on(h, m, "GET", "/payments/imp_000000000000", NULL, NULL, 0, tok, false, &r);
    envelope_is(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &conns);
    curl_easy_getinfo(h, CURLINFO_LOCAL_PORT, &port2);
    assert_int_equal(conns, 0); /* no new connection was opened */
    assert_int_equal(port2, port1);
    http_res_free(&r);
    send_on(h, m, "GET", "/nope", NULL, NULL, 0, NULL, false, &r);
    envelope_is(&r, 404, -1, NULL);
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &conns);
    assert_int_equal(conns, 0);
    http_res_free(&r);
    curl_easy_cleanup(h);
}

/* ---- command line ---- */

struct run {
    int status; /* exit code, or -1 when killed */
    char out[16384], err[16384]; /* --help is about 9 KiB */
};

/* Runs impmock with args (NULL-terminated), collecting stdout and stderr;
 * killed after 10 s (a start-up that should have failed but did not). */
static void run_cli(const char *const *args, struct run *ret)
{
    const char *bin = getenv("IMPMOCK_BIN");
    assert_non_null(bin);
    memset(ret, 0, sizeof *ret);
    const char *argv[32] = {bin};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int po[2], pe[2];
    assert_int_equal(pipe(po), 0);
    assert_int_equal(pipe(pe), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    size_t got[2] = {0, 0};
    char *bufs[2] = {ret->out, ret->err};
    int open_fds = 2;
    double deadline = now_ms() + 10000;
    bool killed = false;
    while (open_fds > 0) {
        double left = deadline - now_ms();
        if (left <= 0) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        int k = poll(fds, 2, (int)left);
        if (k < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            ssize_t r = read(fds[i].fd, bufs[i] + got[i], sizeof ret->out - 1 - got[i]);
            if (r <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else {
                got[i] += (size_t)r;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    int status = 0;
    waitpid(pid, &status, 0);
    ret->status = !killed && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_cli_help_and_version(void **state)
{
    (void)state;
    struct run r;
    const char *help[] = {"--help", NULL};
    run_cli(help, &r);
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "Usage: impmock [OPTIONS]\n", 25);
    assert_non_null(strstr(r.out, "--fixtures PATH"));
    assert_string_equal(r.err, "");
    const char *version[] = {"--version", NULL};
    run_cli(version, &r);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "impmock " IMPMOCK_VERSION "\n");
    assert_string_equal(r.err, "");
}

static void test_cli_bad_flags_exit_2(void **state)
{
    (void)state;
    static const struct {
        const char *args[3];
        const char *message;
    } cases[] = {
        {{"--bogus", NULL}, "impmock: unknown option '--bogus'\n"},
        {{"--port", "70000"}, "impmock: --port must be a number from 0 to 65535, got '70000'\n"},
        {{"--port", "80x"}, "impmock: --port must be a number from 0 to 65535, got '80x'\n"},
        {{"--clock", "soon"}, "impmock: --clock must be unix seconds, got 'soon'\n"},
        {{"--threads", "0"}, "impmock: --threads must be a number from 1 to 4096, got '0'\n"},
        {{"--body-limit", "100"},
         "impmock: --body-limit must be from 1024 to 1073741824 bytes, got '100'\n"},
        {{"--log-format", "xml"}, "impmock: --log-format must be 'text' or 'json', got 'xml'\n"},
        {{"--seed", "-1"}, "impmock: --seed must be a whole number from 0 to 2^64-1, got '-1'\n"},
        {{"stray", NULL}, "impmock: unexpected argument 'stray'\n"},
        {{"--tls-port", "-1"}, "impmock: --tls-port must be a number from 0 to 65535, got '-1'\n"},
        {{"--tls-name", "not a name"},
         "impmock: --tls-name must be a DNS name or an IP address, got 'not a name'\n"},
        {{"--tls-cert", "cert.pem"},
         "impmock: --tls-cert and --tls-key (IMPMOCK_TLS_CERT, IMPMOCK_TLS_KEY) go together\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct run r;
        run_cli(cases[i].args, &r);
        if (r.status != 2)
            fail_msg("%s: exit %d, expected 2 (stderr: %s)", cases[i].args[0], r.status, r.err);
        char want[256];
        snprintf(want, sizeof want, "%sTry 'impmock --help'.\n", cases[i].message);
        assert_string_equal(r.err, want);
        assert_string_equal(r.out, "");
    }
    /* a flag missing its value names the flag */
    struct run r;
    const char *novalue[] = {"--port", NULL};
    run_cli(novalue, &r);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "'--port'"));
}

#define CHANNELS                                                                                   \
    "\"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"}]"

/* A scratch directory for fixture files, removed even when a test fails. */
static int setup_dir(void **state)
{
    char *dir = malloc(SCRATCH_DIR_MAX);
    if (!dir)
        return -1;
    scratch_dir_new(dir);
    *state = dir;
    return 0;
}

static int teardown_dir(void **state)
{
    char *dir = *state;
    bool gone = scratch_dir_remove(dir);
    free(dir);
    return gone ? 0 : -1;
}

static void test_cli_bad_fixtures_exit_1(void **state)
{
    const char *dir = *state;
    static const struct {
        const char *file, *text, *field;
    } cases[] = {
        {"syntax.json", "{\"merchants\": [", "not valid JSON"},
        {"secret.json",
         "{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\"," CHANNELS "}]}",
         "\"imp_secret\""},
        {"kind.json",
         "{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\",\"imp_secret\":\"s\","
         "\"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"C\",\"kind\":\"magic\"}]}]}",
         "\"kind\""},
        {"status.json",
         "{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\",\"imp_secret\":"
         "\"s\"," CHANNELS
         ",\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"done\",\"amount\":1}]}]}",
         "\"status\""},
        {"amount.json",
         "{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\",\"imp_secret\":"
         "\"s\"," CHANNELS
         ",\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"paid\",\"amount\":\"1000\"}]}]}",
         "\"amount\""},
        {"paid_at.json",
         "{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\",\"imp_secret\":"
         "\"s\"," CHANNELS
         ",\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"paid\",\"amount\":1,"
         "\"paid_at\":1e300}]}]}",
         "\"paid_at\""},
        {"card.json",
         "{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\",\"imp_secret\":"
         "\"s\"," CHANNELS
         "}],\"test_cards\":[{\"number\":\"4242\",\"outcome\":\"approve\",\"card_name\":\"x\"}]}",
         "\"number\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char saved[256];
        snprintf(saved, sizeof saved, "%s/%s", dir, cases[i].file);
        file_write(saved, cases[i].text);
        const char *args[] = {"--port", "0", "--quiet", "--fixtures", saved, NULL};
        struct run r;
        run_cli(args, &r);
        if (r.status != 1)
            fail_msg("%s: exit %d, expected 1 (stderr: %s)", cases[i].file, r.status, r.err);
        if (!strstr(r.err, saved) || !strstr(r.err, cases[i].field))
            fail_msg("%s: stderr does not name the file and %s: %s", cases[i].file, cases[i].field,
                     r.err);
        assert_memory_equal(r.err, "impmock: fixtures: ", 19);
        assert_string_equal(r.out, "");
        unlink(saved);
    }
    /* a missing file, and a directory without *.json */
    char missing[128];
    snprintf(missing, sizeof missing, "%s/missing.json", dir);
    const char *args[] = {"--port", "0", "--quiet", "--fixtures", missing, NULL};
    struct run r;
    run_cli(args, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, missing));
    const char *dargs[] = {"--port", "0", "--quiet", "--fixtures", dir, NULL};
    run_cli(dargs, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no *.json files"));
}

static void test_listening_line(void **state)
{
    (void)state;
    struct mock m;
    mock_start(&m, NULL);
    char path[128], want[96], line[128] = "";
    snprintf(path, sizeof path, "%s/log", m.dir);
    snprintf(want, sizeof want, "impmock listening on http://127.0.0.1:%d\n", m.port);
    /* the line follows the port file: wait for it, bounded */
    for (int i = 0; i < 200 && strcmp(line, want) != 0; i++) {
        FILE *f = fopen(path, "r");
        if (f) {
            if (!fgets(line, sizeof line, f))
                line[0] = '\0';
            fclose(f);
        }
        if (strcmp(line, want) != 0) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    int rc = mock_stop(&m);
    assert_string_equal(line, want);
    assert_int_equal(rc, 0); /* SIGTERM is a clean shutdown */
}

/* Every option has an IMPMOCK_* variable; a bad value is refused naming the
 * variable, exactly as a bad flag names the flag. */
static void test_env_bad_values_exit_2(void **state)
{
    (void)state;
    static const struct {
        const char *name, *value, *message;
    } cases[] = {
        {"IMPMOCK_PORT", "x", "impmock: IMPMOCK_PORT must be a number from 0 to 65535, got 'x'\n"},
        {"IMPMOCK_OPEN_TENANTS", "maybe",
         "impmock: IMPMOCK_OPEN_TENANTS must be 1, true, yes, on, 0, false, no or off, got "
         "'maybe'\n"},
        {"IMPMOCK_LOG_FORMAT", "xml",
         "impmock: IMPMOCK_LOG_FORMAT must be 'text' or 'json', got 'xml'\n"},
        {"IMPMOCK_SEED", "-1",
         "impmock: IMPMOCK_SEED must be a whole number from 0 to 2^64-1, got '-1'\n"},
        {"IMPMOCK_WEBHOOK_RETRIES", "9",
         "impmock: IMPMOCK_WEBHOOK_RETRIES must be a number from 0 to 5, got '9'\n"},
        {"IMPMOCK_TLS_NAMES", "impmock.test,-bad",
         "impmock: IMPMOCK_TLS_NAMES must be a DNS name or an IP address, got '-bad'\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct run r;
        const char *none[] = {NULL};
        setenv(cases[i].name, cases[i].value, 1);
        run_cli(none, &r);
        unsetenv(cases[i].name);
        if (r.status != 2)
            fail_msg("%s: exit %d, expected 2 (stderr: %s)", cases[i].name, r.status, r.err);
        char want[256];
        snprintf(want, sizeof want, "%sTry 'impmock --help'.\n", cases[i].message);
        assert_string_equal(r.err, want);
    }
    /* an empty variable counts as unset (compose files often write NAME=) */
    struct run r;
    const char *version[] = {"--version", NULL};
    setenv("IMPMOCK_PORT", "", 1);
    run_cli(version, &r);
    unsetenv("IMPMOCK_PORT");
    assert_int_equal(r.status, 0);
    /* --help names every variable beside its flag */
    const char *help[] = {"--help", NULL};
    run_cli(help, &r);
    assert_non_null(strstr(r.out, "(env IMPMOCK_STATE_DIR)"));
    assert_non_null(strstr(r.out, "(env IMPMOCK_SCENARIOS)"));
}

/* getToken's "now": the clock the server runs on. */
static double server_now(struct mock *m, const char *imp_key, const char *imp_secret)
{
    char body[512];
    snprintf(body, sizeof body, "{\"imp_key\":\"%s\",\"imp_secret\":\"%s\"}", imp_key, imp_secret);
    struct http_res r;
    http_do(m, "POST", "/users/getToken", "application/json", body, NULL, &r);
    double now = env_code(&r) == 0 ? json_num(env_response(&r), "now") : -1;
    http_res_free(&r);
    return now;
}

/* A scenario file with one harmless rule. */
#define SCENARIO(name)                                                                             \
    "{\"name\":\"" name "\",\"description\":\"a slow lookup, to see the file loaded\","            \
    "\"rules\":[{\"when\":{\"op\":\"lookup\"},\"then\":{\"delay_ms\":1}}]}"

/* Configuration by environment alone (a service container cannot pass
 * arguments), and a flag winning over its variable. */
static void test_env_configures_and_flags_win(void **state)
{
    const char *dir = *state;
    char a[256], b[256], list[600];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    file_write(a, SCENARIO("env-a"));
    file_write(b, SCENARIO("env-b"));
    snprintf(list, sizeof list, "%s,%s", a, b);
    setenv("IMPMOCK_CLOCK", "1704153600", 1);
    setenv("IMPMOCK_OPEN_TENANTS", "true", 1);
    setenv("IMPMOCK_SCENARIOS", list, 1);
    struct mock m;
    mock_start(&m, NULL);
    /* the clock is frozen where the variable says, an unknown pair gets a tenant */
    assert_int_equal((long long)server_now(&m, "env_key", "env_secret"), 1704153600LL);
    struct http_res r;
    http_do(&m, "GET", "/__mock/scenarios", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "env-a"));
    assert_non_null(strstr(r.body, "env-b"));
    http_res_free(&r);
    assert_int_equal(mock_stop(&m), 0);

    /* the flag wins: its clock, and --scenario replaces the variable's list */
    const char *args[] = {"--clock", "1700000000", "--scenario", a, NULL};
    mock_start(&m, args);
    unsetenv("IMPMOCK_CLOCK");
    unsetenv("IMPMOCK_OPEN_TENANTS");
    unsetenv("IMPMOCK_SCENARIOS");
    assert_int_equal((long long)server_now(&m, TEST_IMP_KEY, TEST_IMP_SECRET), 1700000000LL);
    http_do(&m, "GET", "/__mock/scenarios", NULL, NULL, NULL, &r);
    assert_non_null(strstr(r.body, "env-a"));
    assert_null(strstr(r.body, "env-b"));
    http_res_free(&r);
    assert_int_equal(mock_stop(&m), 0);
}

/* --healthcheck: 0 on a 200 from /__mock/health, 1 on anything else within
 * its 3 s, 2 on a bad URL, port variable or extra argument. */
static void test_cli_healthcheck(void **state)
{
    (void)state;
    struct mock m;
    mock_start(&m, NULL);
    char health[96], nope[96], port[16];
    snprintf(health, sizeof health, "%s/__mock/health", m.base);
    snprintf(nope, sizeof nope, "%s/nope", m.base);
    snprintf(port, sizeof port, "%d", m.port);
    struct run r;
    const char *up[] = {"--healthcheck", health, NULL};
    run_cli(up, &r);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_string_equal(r.out, "");
    const char *by_env[] = {"--healthcheck", NULL};
    setenv("IMPMOCK_PORT", port, 1);
    run_cli(by_env, &r);
    assert_int_equal(r.status, 0);
    const char *not_found[] = {"--healthcheck", nope, NULL};
    run_cli(not_found, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "answered HTTP 404"));
    assert_int_equal(mock_stop(&m), 0);
    run_cli(by_env, &r); /* nothing listens there now */
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, health));

    setenv("IMPMOCK_PORT", "80x", 1);
    run_cli(by_env, &r);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "IMPMOCK_PORT must be a number from 1 to 65535, got '80x'"));
    unsetenv("IMPMOCK_PORT");
    const char *ftp[] = {"--healthcheck", "ftp://127.0.0.1/", NULL};
    run_cli(ftp, &r);
    assert_int_equal(r.status, 2);
    const char *extra[] = {"--healthcheck", health, "more", NULL};
    run_cli(extra, &r);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unexpected argument 'more'"));

    /* a listener that never answers: the probe gives up after its 3 s */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, len), 0);
    assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    char silent[64];
    snprintf(silent, sizeof silent, "http://127.0.0.1:%d/__mock/health", ntohs(sa.sin_port));
    const char *hang[] = {"--healthcheck", silent, NULL};
    double t0 = now_ms();
    run_cli(hang, &r);
    double took = now_ms() - t0;
    close(fd);
    assert_int_equal(r.status, 1);
    assert_true(took >= 2900 && took < 8000);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_malformed_json),
        T(test_wrong_types_name_the_field),
        T(test_body_limit),
        T(test_form_bodies),
        T(test_missing_content_type_is_guessed),
        T(test_unknown_route_and_method),
        T(test_keep_alive_reuses_connection),
        cmocka_unit_test(test_cli_help_and_version),
        cmocka_unit_test(test_cli_bad_flags_exit_2),
        cmocka_unit_test_setup_teardown(test_cli_bad_fixtures_exit_1, setup_dir, teardown_dir),
        cmocka_unit_test(test_listening_line),
        cmocka_unit_test(test_env_bad_values_exit_2),
        cmocka_unit_test_setup_teardown(test_env_configures_and_flags_win, setup_dir, teardown_dir),
        cmocka_unit_test(test_cli_healthcheck),
    };
#undef T
    int rc = cmocka_run_group_tests_name("requests", tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
