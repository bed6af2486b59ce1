/* harness.c - see harness.h. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "harness: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(99);
}

/* Servers still running when the test process exits (a failed assertion
 * skips mock_stop) are killed, so no test leaves a server behind. */
static pid_t children[64];
static size_t n_children;

static void kill_children(void)
{
    for (size_t i = 0; i < n_children; i++) {
        if (children[i] > 0 && kill(children[i], SIGKILL) == 0)
            waitpid(children[i], NULL, 0);
    }
}

static void remember_child(pid_t pid)
{
    if (n_children == 0)
        atexit(kill_children);
    if (n_children < 64)
        children[n_children++] = pid;
}

/* fixtures_json (may be NULL) is written to the server's directory and given
 * as --fixtures; access_log leaves out --quiet. */
static void start(struct mock *m, const char *fixtures_json, bool access_log,
                  const char *const *extra_args)
{
    const char *bin = getenv("IMPMOCK_BIN");
    if (!bin)
        die("IMPMOCK_BIN is not set");
    memset(m, 0, sizeof *m);
    scratch_dir_new(m->dir);
    char port_file[128], log_file[128], fixtures_file[128];
    snprintf(port_file, sizeof port_file, "%s/port", m->dir);
    snprintf(log_file, sizeof log_file, "%s/log", m->dir);
    snprintf(fixtures_file, sizeof fixtures_file, "%s/fixtures.json", m->dir);
    const char *argv[64];
    size_t n = 0;
    argv[n++] = bin;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--port-file";
    argv[n++] = port_file;
    if (!access_log)
        argv[n++] = "--quiet";
    if (fixtures_json) {
        file_write(fixtures_file, fixtures_json);
        argv[n++] = "--fixtures";
        argv[n++] = fixtures_file;
    }
    for (size_t i = 0; extra_args && extra_args[i] && n < 62; i++)
        argv[n++] = extra_args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        /* stdout and stderr to the log: a failed test must not leave our pipes open */
        FILE *f = freopen(log_file, "w", stdout);
        if (f)
            dup2(fileno(f), 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    m->pid = pid;
    remember_child(pid);
    for (int i = 0; i < 500; i++) { /* up to 5 s */
        FILE *f = fopen(port_file, "r");
        if (f) {
            int port = 0;
            if (fscanf(f, "%d", &port) == 1 && port > 0) {
                fclose(f);
                m->port = port;
                snprintf(m->base, sizeof m->base, "http://127.0.0.1:%d", port);
                return;
            }
            fclose(f);
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            die("impmock exited during start-up (status %d)", status);
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    die("impmock did not write its port file within 5 s");
}

void mock_start(struct mock *m, const char *const *extra_args)
{
    start(m, NULL, false, extra_args);
}

void mock_start_fixtures(struct mock *m, const char *fixtures_json, const char *const *extra_args)
{
    start(m, fixtures_json, false, extra_args);
}

void mock_start_logged(struct mock *m, const char *const *extra_args)
{
    start(m, NULL, true, extra_args);
}

int mock_stop(struct mock *m)
{
    if (m->pid <= 0)
        return -1;
    kill(m->pid, SIGTERM);
    int status = -1;
    for (int i = 0; i < 500; i++) {
        if (waitpid(m->pid, &status, WNOHANG) == m->pid) {
            m->pid = 0;
            if (!scratch_dir_remove(m->dir))
                fprintf(stderr, "harness: could not remove %s\n", m->dir);
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        sleep_ms(10);
    }
    kill(m->pid, SIGKILL);
    waitpid(m->pid, &status, 0);
    m->pid = 0;
    return -1;
}

size_t http_buf_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct http_buf *b = ud;
    size_t n = size * nmemb;
    char *nd = realloc(b->data, b->len + n + 1);
    if (!nd)
        return 0;
    b->data = nd;
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
    char *h = ud;
    size_t n = size * nmemb;
    size_t have = strlen(h);
    if (have + n < 4095) {
        memcpy(h + have, ptr, n);
        h[have + n] = '\0';
    }
    return n;
}

static void http_request(const struct mock *m, const char *method, const char *path,
                         const char *ctype, const char *body, const char *token, bool soft,
                         struct http_res *res)
{
    memset(res, 0, sizeof *res);
    CURL *c = curl_easy_init();
    if (!c)
        die("curl_easy_init failed");
    char url[4096];
    snprintf(url, sizeof url, "%s%s", m->base, path);
    struct curl_slist *hdrs = NULL;
    char line[512];
    if (ctype) {
        snprintf(line, sizeof line, "Content-Type: %s", ctype);
        hdrs = curl_slist_append(hdrs, line);
    }
    if (token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", token);
        hdrs = curl_slist_append(hdrs, line);
    }
    /* what every client of the control API sends: a call that changes state
     * must say it is no web form (guard.c); test_guard.c checks the refusals */
    if (strncmp(path, "/__mock/", 8) == 0)
        hdrs = curl_slist_append(hdrs, "X-Impmock: 1");
    hdrs = curl_slist_append(hdrs, "Expect:");
    struct http_buf b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_buf_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, res->headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK && !soft)
        die("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    res->body = b.data ? b.data : strdup("");
    res->len = b.len;
    res->json = cJSON_Parse(res->body);
}

void http_do(const struct mock *m, const char *method, const char *path, const char *ctype,
             const char *body, const char *token, struct http_res *res)
{
    http_request(m, method, path, ctype, body, token, false, res);
}

void http_do_soft(const struct mock *m, const char *method, const char *path, const char *ctype,
                  const char *body, const char *token, struct http_res *res)
{
    http_request(m, method, path, ctype, body, token, true, res);
}

void http_get(const struct mock *m, const char *path, struct http_res *res)
{
    http_do(m, "GET", path, NULL, NULL, m->token[0] ? m->token : NULL, res);
}

void http_post_json(const struct mock *m, const char *path, const char *json, struct http_res *res)
{
    http_do(m, "POST", path, "application/json", json, m->token[0] ? m->token : NULL, res);
}

void http_res_free(struct http_res *res)
{
    free(res->body);
    cJSON_Delete(res->json);
    memset(res, 0, sizeof *res);
}

void mock_load_scenario(const struct mock *m, const char *json)
{
    struct http_res r;
    http_do(m, "POST", "/__mock/scenarios", "application/json", json, NULL, &r);
    if (r.status != 200)
        fail_msg("scenario refused: HTTP %ld: %.300s", r.status, r.body);
    http_res_free(&r);
}

void mock_login(struct mock *m)
{
    mock_login_as(m, TEST_IMP_KEY, TEST_IMP_SECRET, m->token);
}

void mock_login_as(const struct mock *m, const char *key, const char *secret, char ret_token[64])
{
    char body[256];
    struct http_res r;
    snprintf(body, sizeof body, "{\"imp_key\":\"%s\",\"imp_secret\":\"%s\"}", key, secret);
    http_do(m, "POST", "/users/getToken", "application/json", body, NULL, &r);
    const char *t = json_str(env_response(&r), "access_token");
    if (r.status != 200 || !t)
        die("getToken %s failed: %ld %s", key, r.status, r.body);
    snprintf(ret_token, 64, "%s", t);
    http_res_free(&r);
}

char *mock_export(const struct mock *m)
{
    struct http_res r;
    http_do(m, "GET", "/__mock/export", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    char *text = strdup(r.body);
    http_res_free(&r);
    return text;
}

int env_code(const struct http_res *res)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(res->json, "code");
    return cJSON_IsNumber(c) ? c->valueint : -9999;
}

const char *env_message(const struct http_res *res)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(res->json, "message");
    return cJSON_IsString(c) ? c->valuestring : NULL;
}

cJSON *env_response(const struct http_res *res)
{
    return cJSON_GetObjectItemCaseSensitive(res->json, "response");
}

cJSON *env_ok(const struct http_res *res)
{
    if (res->status != 200 || env_code(res) != 0 || env_message(res) || !env_response(res))
        fail_msg("expected a successful envelope, got HTTP %ld: %.300s", res->status, res->body);
    return env_response(res);
}

void env_refused(const struct http_res *res, long http, int code, const char *message)
{
    if (res->status != http || env_code(res) != code)
        fail_msg("expected HTTP %ld with code %d, got HTTP %ld: %.300s", http, code, res->status,
                 res->body);
    if (message && (!env_message(res) || strcmp(env_message(res), message) != 0))
        fail_msg("expected message '%s', got: %.300s", message, res->body);
    assert_true(cJSON_IsNull(env_response(res)));
}

void env_is(const struct http_res *res, long status, int code, const char *message)
{
    if (res->status != status)
        fail_msg("HTTP %ld, expected %ld: %.300s", res->status, status, res->body);
    assert_non_null(res->json);
    assert_int_equal(cJSON_GetArraySize(res->json), 3);
    assert_int_equal(env_code(res), code);
    if (message) {
        assert_string_equal(env_message(res), message);
        assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(res->json, "response")));
    } else {
        assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(res->json, "message")));
        assert_non_null(env_response(res));
    }
}
