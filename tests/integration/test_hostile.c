/*
 * test_hostile.c - bad requests against every route of the route table, over
 * raw sockets so nothing is tidied up on the way: malformed and truncated
 * JSON, wrong types, huge, negative and fractional amounts, over-long and
 * non-UTF-8 ids, deep nesting, duplicate keys, unknown methods, path
 * traversal, missing and garbage credentials, oversized bodies and headers,
 * broken framing and slow clients.
 *
 * The route list is read from GET /__mock/routes when the test runs, so a route
 * added later gets the generic cases at once; the field-specific cases are a
 * table below. Every answer must be a clear error (the i'mport envelope, the
 * control API's {"error"}, or a closed connection for transport abuse) in
 * valid UTF-8, never a 5xx; the server must keep serving; and the state seen
 * through the API (payments, billing keys, pre-registrations) must be the
 * same after every group as before it.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

#define ADMIN_TOKEN   "hostile-admin-token"
#define BODY_LIMIT    65536
#define REQ_TIMEOUT   1000 /* ms: --request-timeout of the server under test */
#define T0            "1700000000"
#define MAX_ROUTES    256
#define BAD_JSON_TEXT "요청 본문이 올바른 JSON 객체가 아닙니다"

static struct mock M;
static char *baseline; /* state snapshot taken after seeding */

/* ---- time and failures ---- */

/* Failures of the current test, reported together at its end. */
static int n_failed, n_cases;

static void bad(const char *label, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL %s: ", label);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    n_failed++;
}

static void begin_cases(void)
{
    n_failed = 0;
    n_cases = 0;
}

static void end_cases(const char *what)
{
    if (n_failed)
        fail_msg("%s: %d of %d cases failed (details on stderr)", what, n_failed, n_cases);
}

/* ---- raw HTTP ---- */

struct hres {
    int status; /* 0: the connection closed without an answer */
    char ctype[128];
    char connection[32];
    char www_auth[64];
    char allow[96];
    char date[64];
    char *body; /* NUL-terminated, owned */
    size_t len;
    bool complete; /* a whole answer arrived (Content-Length satisfied) */
};

static void hres_free(struct hres *h)
{
    free(h->body);
    memset(h, 0, sizeof *h);
}

static int connect_port(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        fail_msg("socket: %s", strerror(errno));
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        fail_msg("connect to impmock: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int connect_mock(void)
{
    return connect_port(M.port);
}

/* Writes everything or gives up (the server may close early on abuse). */
static bool send_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

static const char *find_header(const char *head, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    out[0] = '\0';
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ')
                v++;
            size_t n = strcspn(v, "\r\n");
            if (n >= cap)
                n = cap - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return out;
        }
    }
    return NULL;
}

/* Reads one answer from fd within timeout_ms. */
static void read_answer(int fd, int timeout_ms, struct hres *h)
{
    memset(h, 0, sizeof *h);
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        fail_msg("out of memory");
    double deadline = now_ms() + timeout_ms;
    long want = -1;      /* total bytes of the answer once the head is known */
    size_t head_len = 0; /* bytes of the head, "\r\n\r\n" included */
    for (;;) {
        if (want >= 0 && len >= (size_t)want)
            break;
        int left = (int)(deadline - now_ms());
        if (left <= 0)
            break;
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, left) <= 0)
            break;
        if (len + 4096 + 1 > cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb)
                fail_msg("out of memory");
            buf = nb;
        }
        ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        if (want < 0) {
            char *end = strstr(buf, "\r\n\r\n");
            if (end) {
                head_len = (size_t)(end - buf) + 4;
                char v[32];
                if (find_header(buf, "Content-Length", v, sizeof v))
                    want = (long)head_len + atol(v);
            }
        }
    }
    buf[len] = '\0';
    if (head_len == 0 || sscanf(buf, "HTTP/%*s %d", &h->status) != 1) {
        h->status = 0;
        h->body = buf;
        h->len = len;
        return;
    }
    char *head = strndup(buf, head_len);
    if (!head)
        fail_msg("out of memory");
    find_header(head, "Content-Type", h->ctype, sizeof h->ctype);
    find_header(head, "Connection", h->connection, sizeof h->connection);
    find_header(head, "WWW-Authenticate", h->www_auth, sizeof h->www_auth);
    find_header(head, "Allow", h->allow, sizeof h->allow);
    find_header(head, "Date", h->date, sizeof h->date);
    free(head);
    h->len = len - head_len;
    h->complete = want >= 0 && len >= (size_t)want;
    memmove(buf, buf + head_len, h->len + 1);
    h->body = buf;
}

/* One request to port on its own connection; data is sent as given. */
static void raw_to(int port, const char *data, size_t len, struct hres *h)
{
    int fd = connect_port(port);
    send_all(fd, data, len);
    read_answer(fd, 5000, h);
    close(fd);
}

static void raw(const char *data, size_t len, struct hres *h)
{
    raw_to(M.port, data, len, h);
}

/* Builds and sends METHOD TARGET with the given extra header lines and body. */
static void req(const char *method, const char *target, const char *headers, const char *ctype,
                const char *body, size_t body_len, struct hres *h)
{
    size_t cap = strlen(target) + (headers ? strlen(headers) : 0) + body_len + 512;
    char *buf = malloc(cap);
    if (!buf)
        fail_msg("out of memory");
    int n = snprintf(buf, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s",
                     method, target, headers ? headers : "");
    if (ctype)
        n += snprintf(buf + n, cap - (size_t)n, "Content-Type: %s\r\n", ctype);
    if (body)
        n += snprintf(buf + n, cap - (size_t)n, "Content-Length: %zu\r\n", body_len);
    n += snprintf(buf + n, cap - (size_t)n, "\r\n");
    if (body) {
        memcpy(buf + n, body, body_len);
        n += (int)body_len;
    }
    raw(buf, (size_t)n, h);
    free(buf);
}

static char auth_line[128];  /* "Authorization: Bearer T\r\n" */
static char admin_line[128]; /* "X-Admin-Token: T\r\n" */

/* ---- what an answer must look like ---- */

/* Structural UTF-8 check (lead byte, continuation bytes, no truncation). */
static bool utf8_ok(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        if (c < 0x80)
            n = 0;
        else if ((c & 0xe0) == 0xc0 && c >= 0xc2)
            n = 1;
        else if ((c & 0xf0) == 0xe0)
            n = 2;
        else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
            n = 3;
        else
            return false;
        if (i + n >= len)
            return false;
        for (size_t k = 1; k <= n; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        i += n + 1;
    }
    return true;
}

enum shape {
    ENVELOPE, /* {"code": non-zero, "message": string, "response": null} */
    PLAIN,    /* control API: {"error": string, "code": "NAME"} */
    ANY_JSON, /* either */
};

/* Checks a refusal: want_status (0 = any 4xx), the body shape, and that the
 * message contains `needle` (NULL = no check). Counts one case. */
static void expect(const char *label, const struct hres *h, int want_status, enum shape shape,
                   const char *needle)
{
    n_cases++;
    if (h->status == 0) {
        bad(label, "no answer (connection closed)");
        return;
    }
    if (want_status ? h->status != want_status : (h->status < 400 || h->status > 499)) {
        bad(label, "status %d, wanted %d; body %.200s", h->status, want_status, h->body);
        return;
    }
    if (!h->complete) {
        bad(label, "answer shorter than its Content-Length");
        return;
    }
    if (!utf8_ok((const unsigned char *)h->body, h->len)) {
        bad(label, "answer is not valid UTF-8: %.120s", h->body);
        return;
    }
    if (!strstr(h->ctype, "application/json")) {
        bad(label, "content type '%s', wanted JSON", h->ctype);
        return;
    }
    if (!strstr(h->date, " GMT")) {
        bad(label, "no Date header");
        return;
    }
    cJSON *j = cJSON_ParseWithLength(h->body, h->len);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(j, "response");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(j, "error");
    bool is_env =
        cJSON_IsNumber(code) && code->valueint != 0 && cJSON_IsString(msg) && cJSON_IsNull(resp);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "code");
    bool is_plain = cJSON_IsString(error) && cJSON_IsString(name) && name->valuestring[0] &&
                    cJSON_GetArraySize(j) == 2;
    const char *text = is_env ? msg->valuestring : is_plain ? error->valuestring : "";
    if ((shape == ENVELOPE && !is_env) || (shape == PLAIN && !is_plain) ||
        (shape == ANY_JSON && !is_env && !is_plain))
        bad(label, "not the expected error shape: %.200s", h->body);
    else if (needle && !strstr(text, needle))
        bad(label, "message '%s' does not mention '%s'", text, needle);
    cJSON_Delete(j);
}

/* An HTTP 200 that still refuses: the envelope with code != 0 and response
 * null, as operations that list no 4xx refuse (reference §16.0). */
static bool refused_in_body(const struct hres *h)
{
    cJSON *j = cJSON_ParseWithLength(h->body, h->len);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(j, "response");
    bool refused =
        h->status == 200 && cJSON_IsNumber(code) && code->valueint != 0 && cJSON_IsNull(resp);
    cJSON_Delete(j);
    return refused;
}

/* A refusal that may come before any handler: a 4xx envelope (or 505 for an
 * HTTP version), or a closed connection. */
static void expect_closed_or_4xx(const char *label, const struct hres *h)
{
    n_cases++;
    if (h->status == 0)
        return;
    if (h->status < 400 || (h->status > 499 && h->status != 505) ||
        !utf8_ok((const unsigned char *)h->body, h->len))
        bad(label, "status %d body %.160s", h->status, h->body);
    else if (!strstr(h->ctype, "application/json"))
        bad(label, "content type '%s', wanted the JSON envelope", h->ctype);
}

/* ---- the server and its state ---- */

static void must_serve(const char *label)
{
    struct hres h;
    req("GET", "/__mock/health", NULL, NULL, NULL, 0, &h);
    n_cases++;
    if (h.status != 200)
        bad(label, "server stopped serving: health answered %d", h.status);
    hres_free(&h);
    int st;
    if (waitpid(M.pid, &st, WNOHANG) == M.pid)
        fail_msg("%s: impmock exited (status %d)", label, st);
}

static const char *const watched_orders[] = {"order_h1", "order_h2", "hostile_order", "slow_order",
                                             "h0stile"};
static const char *const watched_customers[] = {"cust_h1", "hostile_cust", "h0stile"};

static void append(char **acc, size_t *len, const char *what, const struct hres *h)
{
    size_t add = strlen(what) + h->len + 16;
    char *n = realloc(*acc, *len + add + 1);
    if (!n)
        fail_msg("out of memory");
    *acc = n;
    *len += (size_t)snprintf(*acc + *len, add + 1, "%s %d %s\n", what, h->status,
                             h->body ? h->body : "");
}

/* Everything the API shows of the watched state, as one string. */
static char *snapshot(void)
{
    char *acc = NULL;
    size_t len = 0;
    struct hres h;
    req("GET", "/payments/status/all?limit=1000", auth_line, NULL, NULL, 0, &h);
    append(&acc, &len, "payments", &h);
    hres_free(&h);
    char target[512];
    int n = snprintf(target, sizeof target, "/subscribe/customers?");
    for (size_t i = 0; i < sizeof watched_customers / sizeof *watched_customers; i++)
        n += snprintf(target + n, sizeof target - (size_t)n, "customer_uid[]=%s&",
                      watched_customers[i]);
    req("GET", target, auth_line, NULL, NULL, 0, &h);
    append(&acc, &len, "customers", &h);
    hres_free(&h);
    for (size_t i = 0; i < sizeof watched_orders / sizeof *watched_orders; i++) {
        snprintf(target, sizeof target, "/payments/prepare/%s", watched_orders[i]);
        req("GET", target, auth_line, NULL, NULL, 0, &h);
        append(&acc, &len, target, &h);
        hres_free(&h);
        snprintf(target, sizeof target, "/payments/findAll/%s", watched_orders[i]);
        req("GET", target, auth_line, NULL, NULL, 0, &h);
        append(&acc, &len, target, &h);
        hres_free(&h);
    }
    return acc;
}

static void state_unchanged(const char *label)
{
    must_serve(label);
    char *now = snapshot();
    n_cases++;
    if (strcmp(now, baseline) != 0) {
        /* name the first line that differs */
        const char *a = baseline, *b = now;
        while (*a && *a == *b) {
            a++;
            b++;
        }
        while (a > baseline && a[-1] != '\n') {
            a--;
            b--;
        }
        bad(label, "the state changed:\n  before: %.300s\n  after:  %.300s", a, b);
    }
    free(now);
}

static void post_ok(const char *target, const char *json)
{
    struct hres h;
    req("POST", target, auth_line, "application/json", json, strlen(json), &h);
    cJSON *j = cJSON_ParseWithLength(h.body, h.len);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
    if (h.status != 200 || !cJSON_IsNumber(code) || code->valueint != 0)
        fail_msg("seeding %s failed: %d %s", target, h.status, h.body);
    cJSON_Delete(j);
    hres_free(&h);
}

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    char limit[16], timeout[16];
    snprintf(limit, sizeof limit, "%d", BODY_LIMIT);
    snprintf(timeout, sizeof timeout, "%d", REQ_TIMEOUT);
    const char *args[] = {"--clock",
                          T0,
                          "--seed",
                          "11",
                          "--admin-token",
                          ADMIN_TOKEN,
                          "--body-limit",
                          limit,
                          "--request-timeout",
                          timeout,
                          NULL};
    mock_start(&M, args);
    mock_login(&M);
    snprintf(auth_line, sizeof auth_line, "Authorization: Bearer %s\r\n", M.token);
    snprintf(admin_line, sizeof admin_line, "X-Admin-Token: %s\r\n", ADMIN_TOKEN);
    /* a billing key, a paid and partly refunded payment, a pre-registration */
    post_ok("/subscribe/customers/cust_h1",
            "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2030-12\"}");
    post_ok("/subscribe/payments/again",
            "{\"customer_uid\":\"cust_h1\",\"merchant_uid\":\"order_h1\",\"amount\":10000}");
    post_ok("/payments/cancel", "{\"merchant_uid\":\"order_h1\",\"amount\":1000}");
    post_ok("/payments/prepare", "{\"merchant_uid\":\"order_h2\",\"amount\":5000}");
    baseline = snapshot();
    if (!strstr(baseline, "order_h1") || !strstr(baseline, "cust_h1"))
        fail_msg("seeded state not visible: %s", baseline);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(baseline);
    int rc = mock_stop(&M); /* 0 only after a clean shutdown, no sanitizer report */
    return rc == 0 ? 0 : -1;
}

/* ---- the route table, as GET /__mock/routes lists it ---- */

enum auth { A_NONE, A_TOKEN, A_ADMIN };

struct route {
    char method[16];
    char pattern[160];
    enum auth auth;
    char operation[16]; /* "" when scenarios never see the route */
    char args[4][16];   /* what each {} names */
    int nargs;
    bool any_status;  /* statuses null: the control API and the pages */
    int statuses[16]; /* the HTTP statuses the operation lists */
    int nstatuses;
};

static struct route routes[MAX_ROUTES];
static size_t n_routes;

static bool copy_text(const cJSON *it, char *dst, size_t cap)
{
    if (!cJSON_IsString(it) || strlen(it->valuestring) >= cap)
        return false;
    memcpy(dst, it->valuestring, strlen(it->valuestring) + 1);
    return true;
}

static bool read_route(const cJSON *o, struct route *r)
{
    static const char *const auths[] = {"none", "token", "admin"};
    const cJSON *auth = cJSON_GetObjectItemCaseSensitive(o, "auth");
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, "operation");
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(o, "args");
    if (!copy_text(cJSON_GetObjectItemCaseSensitive(o, "method"), r->method, sizeof r->method) ||
        !copy_text(cJSON_GetObjectItemCaseSensitive(o, "pattern"), r->pattern, sizeof r->pattern) ||
        !cJSON_IsString(auth) || !cJSON_IsArray(args) || cJSON_GetArraySize(args) > 4)
        return false;
    r->auth = (enum auth) - 1;
    for (int k = 0; k < 3; k++)
        if (strcmp(auth->valuestring, auths[k]) == 0)
            r->auth = (enum auth)k;
    r->operation[0] = '\0';
    if (!cJSON_IsNull(op) && !copy_text(op, r->operation, sizeof r->operation))
        return false;
    r->nargs = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, args)
    {
        if (!copy_text(a, r->args[r->nargs], sizeof r->args[0]))
            return false;
        r->nargs++;
    }
    const cJSON *statuses = cJSON_GetObjectItemCaseSensitive(o, "statuses");
    r->any_status = cJSON_IsNull(statuses);
    r->nstatuses = 0;
    if (!r->any_status && (!cJSON_IsArray(statuses) || cJSON_GetArraySize(statuses) > 16))
        return false;
    cJSON_ArrayForEach(a, statuses)
    {
        if (!cJSON_IsNumber(a))
            return false;
        r->statuses[r->nstatuses++] = a->valueint;
    }
    return (int)r->auth >= 0;
}

/* The status a refusal of route r has: `status` where the operation lists
 * it, else HTTP 200 with code != 0 (reference §16.0). */
static int as_listed(const struct route *r, int status)
{
    if (!r || r->any_status)
        return status;
    for (int i = 0; i < r->nstatuses; i++)
        if (r->statuses[i] == status)
            return status;
    return 200;
}

static void load_routes(void)
{
    if (n_routes)
        return;
    struct hres h;
    req("GET", "/__mock/routes", admin_line, NULL, NULL, 0, &h);
    cJSON *list = cJSON_ParseWithLength(h.body, h.len);
    if (h.status != 200 || !cJSON_IsArray(list))
        fail_msg("GET /__mock/routes: %d %.200s", h.status, h.body);
    const cJSON *o;
    cJSON_ArrayForEach(o, list)
    {
        if (n_routes == MAX_ROUTES)
            fail_msg("more than %d routes", MAX_ROUTES);
        char *text = cJSON_PrintUnformatted(o);
        if (!read_route(o, &routes[n_routes]))
            fail_msg("GET /__mock/routes: a bad entry: %.300s", text ? text : "?");
        cJSON_free(text);
        n_routes++;
    }
    cJSON_Delete(list);
    hres_free(&h);
    if (n_routes < 20)
        fail_msg("only %zu routes listed by GET /__mock/routes", n_routes);
}

static const struct route *route_named(const char *method, const char *pattern)
{
    for (size_t i = 0; i < n_routes; i++)
        if (strcmp(routes[i].method, method) == 0 && strcmp(routes[i].pattern, pattern) == 0)
            return &routes[i];
    return NULL;
}

/* The route a request to METHOD target (a path, maybe with a query) takes:
 * the first row whose pattern fits, {} taking one segment. */
static const struct route *route_for(const char *method, const char *target)
{
    size_t plen = strcspn(target, "?");
    for (size_t i = 0; i < n_routes; i++) {
        const char *p = routes[i].pattern, *t = target, *end = target + plen;
        if (strcmp(routes[i].method, method) != 0)
            continue;
        while (*p && t < end) {
            if (p[0] == '{' && p[1] == '}') {
                p += 2;
                const char *slash = memchr(t, '/', (size_t)(end - t));
                t = slash ? slash : end;
            } else if (*p == *t) {
                p++;
                t++;
            } else {
                break;
            }
        }
        if (!*p && t == end)
            return &routes[i];
    }
    return NULL;
}

static int count_captures(const char *pattern)
{
    int n = 0;
    for (const char *p = strstr(pattern, "{}"); p; p = strstr(p + 2, "{}"))
        n++;
    return n;
}

/* The listing itself: each {} named once, each row once, and the rows that
 * scenarios rely on saying what they did when the server routed by prefix. */
static void test_route_table(void **state)
{
    (void)state;
    load_routes();
    begin_cases();
    static const char *const ops[] = {"",       "any",     "token",         "charge",   "issue_key",
                                      "cancel", "prepare", "lookup",        "schedule", "checkout",
                                      "vbank",  "receipt", "certification", "escrow"};
    static const char *const arg_names[] = {"imp_uid", "merchant_uid", "customer_uid", "other"};
    for (size_t i = 0; i < n_routes; i++) {
        const struct route *r = &routes[i];
        n_cases++;
        bool op_known = false, args_known = true;
        for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
            op_known = op_known || strcmp(r->operation, ops[k]) == 0;
        for (int a = 0; a < r->nargs; a++) {
            bool known = false;
            for (size_t k = 0; k < sizeof arg_names / sizeof *arg_names; k++)
                known = known || strcmp(r->args[a], arg_names[k]) == 0;
            args_known = args_known && known;
        }
        if (r->nargs != count_captures(r->pattern) || !args_known)
            bad(r->pattern, "%d args for %d {}, or an unknown one", r->nargs,
                count_captures(r->pattern));
        if (!op_known)
            bad(r->pattern, "unknown operation \"%s\"", r->operation);
        if (route_named(r->method, r->pattern) != r)
            bad(r->pattern, "listed twice for %s", r->method);
    }
    static const struct {
        const char *method, *pattern, *operation, *arg0;
        enum auth auth;
    } rows[] = {
        {"GET", "/__mock/routes", "", NULL, A_ADMIN},
        {"GET", "/__mock/health", "", NULL, A_NONE},
        {"POST", "/users/getToken", "token", NULL, A_NONE},
        {"GET", "/payments/prepare/{}", "lookup", "merchant_uid", A_TOKEN},
        {"PUT", "/payments/prepare", "prepare", NULL, A_TOKEN},
        {"GET", "/payments/findAll/{}/{}", "lookup", "merchant_uid", A_TOKEN},
        {"GET", "/payments/{}", "lookup", "imp_uid", A_TOKEN},
        {"POST", "/payments/cancel", "cancel", NULL, A_TOKEN},
        {"POST", "/subscribe/customers/{}", "issue_key", "customer_uid", A_TOKEN},
        {"DELETE", "/subscribe/customers/{}", "any", "customer_uid", A_TOKEN},
        {"POST", "/subscribe/payments/onetime", "charge", NULL, A_TOKEN},
        {"POST", "/subscribe/payments/schedule/{}/retry", "charge", "merchant_uid", A_TOKEN},
        {"POST", "/subscribe/payments/schedule/{}/reschedule", "schedule", "merchant_uid", A_TOKEN},
        {"POST", "/subscribe/payments/unschedule", "schedule", NULL, A_TOKEN},
        {"POST", "/checkout/open", "checkout", NULL, A_NONE},
        {"POST", "/checkout/session/{}/approve", "checkout", "other", A_NONE},
        {"GET", "/checkout/session/{}", "", "other", A_NONE},
        {"GET", "/v1/iamport.js", "", NULL, A_NONE},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct route *r = route_named(rows[i].method, rows[i].pattern);
        n_cases++;
        if (!r)
            bad(rows[i].pattern, "not listed for %s", rows[i].method);
        else if (strcmp(r->operation, rows[i].operation) != 0 || r->auth != rows[i].auth ||
                 (rows[i].arg0 ? r->nargs < 1 || strcmp(r->args[0], rows[i].arg0) != 0
                               : r->nargs != 0))
            bad(rows[i].pattern, "listed as operation \"%s\", auth %d, %d args", r->operation,
                (int)r->auth, r->nargs);
    }
    end_cases("route table");
}

/* The pattern with each {} replaced by id. */
static void fill(const struct route *r, const char *id, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = r->pattern; *p && o + 1 < cap; p++) {
        if (p[0] == '{' && p[1] == '}') {
            int n = snprintf(out + o, cap - o, "%s", id);
            o += n > 0 ? (size_t)n : 0;
            if (o >= cap)
                o = cap - 1;
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static const char *creds(const struct route *r)
{
    return r->auth == A_TOKEN ? auth_line : r->auth == A_ADMIN ? admin_line : "";
}

/* A route of the control API (its pages with it: the landing page at /
 * too), which refuses as {"error", "code"}. */
static bool control(const struct route *r)
{
    return strncmp(r->pattern, "/__mock", 7) == 0 || strcmp(r->pattern, "/") == 0;
}

static bool takes_body(const struct route *r)
{
    return strcmp(r->method, "GET") != 0;
}

/* ---- generic cases, every route ---- */

static void test_credentials(void **state)
{
    (void)state;
    load_routes();
    begin_cases();
    static const char *const garbage[] = {
        "",
        "Authorization: Bearer \r\n",
        "Authorization: Bearer      \r\n",
        "Authorization: Bearer 0000000000000000000000000000000000000000\r\n",
        "Authorization: Basic aW1wX2FwaWtleTpzZWNyZXQ=\r\n",
        "Authorization: Bearer \xed\x95\x9c\xea\xb8\x80\r\n",
        "X-ImpTokenHeader: %00%ff\r\n",
        "Authorization: Bearer a b c\r\nAuthorization: Bearer d\r\n",
    };
    char target[512], label[700], longtok[6000];
    snprintf(longtok, sizeof longtok, "Authorization: Bearer %05000d\r\n", 7);
    for (size_t i = 0; i < n_routes; i++) {
        const struct route *r = &routes[i];
        if (r->auth == A_NONE)
            continue;
        fill(r, "h0stile", target, sizeof target);
        for (size_t g = 0; g <= sizeof garbage / sizeof *garbage; g++) {
            const char *hdr = g < sizeof garbage / sizeof *garbage ? garbage[g] : longtok;
            struct hres h;
            const char *body = takes_body(r) ? "{}" : NULL;
            req(r->method, target, hdr, body ? "application/json" : NULL, body, body ? 2 : 0, &h);
            snprintf(label, sizeof label, "%.15s %.160s with credentials #%zu", r->method,
                     r->pattern, g);
            if (r->auth == A_TOKEN) {
                expect(label, &h, 401, ENVELOPE, "Unauthorized");
                if (h.status == 401 && strcmp(h.www_auth, "iamport") != 0)
                    bad(label, "no WWW-Authenticate: iamport");
            } else {
                expect(label, &h, 401, PLAIN, "X-Admin-Token");
            }
            hres_free(&h);
        }
    }
    /* a token in the query string does not rescue a bad Authorization header */
    struct hres h;
    snprintf(target, sizeof target, "/payments/find/order_h1?_token=%s", M.token);
    req("GET", target, "Authorization: Bearer nope\r\n", NULL, NULL, 0, &h);
    expect("bad header, good _token", &h, 401, ENVELOPE, "Unauthorized");
    hres_free(&h);
    state_unchanged("credentials");
    end_cases("credentials");
}

/* Bodies no handler may ever see: refused by the server before routing to one. */
struct body_case {
    const char *name;
    const char *ctype;
    const char *body; /* NULL: built in code */
    const char *needle;
};

static char deep_json[4096], deep_ok_then_bad[512], dup_nested[256];

static const struct body_case body_cases[] = {
    {"malformed JSON", "application/json", "{\"amount\":", BAD_JSON_TEXT},
    {"truncated JSON", "application/json", "{\"merchant_uid\":\"hostile_order\",\"amou",
     BAD_JSON_TEXT},
    {"truncated string", "application/json", "{\"merchant_uid\":\"hostile_ord", BAD_JSON_TEXT},
    {"trailing garbage", "application/json", "{\"amount\":1} {\"amount\":2}", BAD_JSON_TEXT},
    {"top-level array", "application/json", "[{\"amount\":1}]", BAD_JSON_TEXT},
    {"top-level string", "application/json", "\"amount\"", BAD_JSON_TEXT},
    {"top-level number", "application/json", "1e999", BAD_JSON_TEXT},
    {"bare word", "application/json", "amount", BAD_JSON_TEXT},
    {"single quotes", "application/json", "{'amount':1}", BAD_JSON_TEXT},
    {"comment", "application/json", "{\"amount\":1 /* x */}", BAD_JSON_TEXT},
    {"NaN", "application/json", "{\"amount\":NaN}", BAD_JSON_TEXT},
    {"lone surrogate", "application/json", "{\"name\":\"\\ud800\"}", BAD_JSON_TEXT},
    {"NUL escape", "application/json", "{\"merchant_uid\":\"hostile_order\\u0000x\"}", "u0000"},
    {"raw control byte in a string", "application/json", "{\"merchant_uid\":\"hostile\x01order\"}",
     "제어 문자"},
    {"raw newline in a string", "application/json", "{\"name\":\"two\nlines\"}", "\\u000a"},
    {"invalid UTF-8", "application/json", "{\"name\":\"\xff\xfe\xc0\xaf\"}", "UTF-8"},
    {"overlong UTF-8", "application/json", "{\"name\":\"\xc0\xaf\"}", "UTF-8"},
    {"UTF-16 surrogate in UTF-8", "application/json", "{\"name\":\"\xed\xa0\x80\"}", "UTF-8"},
    {"duplicate key", "application/json",
     "{\"merchant_uid\":\"hostile_order\",\"amount\":1,\"amount\":2}", "\"amount\""},
    {"duplicate nested key", "application/json", NULL, "\"b\""},
    {"deep nesting", "application/json", NULL, "중첩"},
    {"deep nesting in a valid prefix", "application/json", NULL, "중첩"},
    {"form bad escape", "application/x-www-form-urlencoded", "merchant_uid=%zz&amount=1", "%XX"},
    {"form half escape", "application/x-www-form-urlencoded", "amount=1%4", "%XX"},
    {"form NUL", "application/x-www-form-urlencoded", "merchant_uid=hostile_order%00x", "%00"},
    {"form invalid UTF-8", "application/x-www-form-urlencoded", "name=%ff%fe", "UTF-8"},
    {"form bad name", "application/x-www-form-urlencoded", "[x]=1", "이름"},
    {"form too deep", "application/x-www-form-urlencoded", "a[][][][][][][][][][]=1", NULL},
    {"form index over the limit", "application/x-www-form-urlencoded", "a[0]=1&a[1001]=2",
     "인덱스"},
    {"form name as array and object", "application/x-www-form-urlencoded", "a[]=1&a[x]=2",
     "인덱스"},
    {"sniffed JSON, no type", NULL, "{\"amount\":", BAD_JSON_TEXT},
};

static const char *body_of(const struct body_case *c)
{
    if (c->body)
        return c->body;
    if (strcmp(c->name, "deep nesting") == 0)
        return deep_json;
    if (strcmp(c->name, "duplicate nested key") == 0)
        return dup_nested;
    return deep_ok_then_bad;
}

static void build_bodies(void)
{
    size_t n = 0;
    n += (size_t)snprintf(deep_json, sizeof deep_json, "{\"a\":");
    for (int i = 0; i < 1500; i++)
        deep_json[n++] = '[';
    for (int i = 0; i < 1500; i++)
        deep_json[n++] = ']';
    deep_json[n++] = '}';
    deep_json[n] = '\0';
    n = (size_t)snprintf(deep_ok_then_bad, sizeof deep_ok_then_bad,
                         "{\"merchant_uid\":\"x\",\"a\":");
    for (int i = 0; i < 65; i++)
        deep_ok_then_bad[n++] = '{', deep_ok_then_bad[n++] = '"', deep_ok_then_bad[n++] = 'k',
        deep_ok_then_bad[n++] = '"', deep_ok_then_bad[n++] = ':';
    deep_ok_then_bad[n++] = '1';
    for (int i = 0; i < 66; i++)
        deep_ok_then_bad[n++] = '}';
    deep_ok_then_bad[n] = '\0';
    snprintf(
        dup_nested, sizeof dup_nested,
        "{\"merchant_uid\":\"hostile_order\",\"custom_data\":{\"a\":[{\"b\":1,\"c\":2,\"b\":3}]}}");
}

static void test_bodies(void **state)
{
    (void)state;
    load_routes();
    build_bodies();
    begin_cases();
    char target[512], label[700];
    for (size_t i = 0; i < n_routes; i++) {
        const struct route *r = &routes[i];
        if (!takes_body(r))
            continue;
        fill(r, "h0stile", target, sizeof target);
        for (size_t c = 0; c < sizeof body_cases / sizeof *body_cases; c++) {
            const struct body_case *bc = &body_cases[c];
            const char *body = body_of(bc);
            struct hres h;
            req(r->method, target, creds(r), bc->ctype, body, strlen(body), &h);
            snprintf(label, sizeof label, "%.15s %.160s: %.100s", r->method, r->pattern, bc->name);
            /* the control API answers in its own shape and in English */
            expect(label, &h, as_listed(r, 400), control(r) ? PLAIN : ENVELOPE,
                   control(r) ? NULL : bc->needle);
            hres_free(&h);
        }
    }
    /* the refused bodies are in the request journal, which must still be valid JSON */
    struct hres h;
    req("GET", "/__mock/requests?limit=1000", admin_line, NULL, NULL, 0, &h);
    n_cases++;
    cJSON *j = cJSON_ParseWithLength(h.body, h.len);
    if (h.status != 200 || !utf8_ok((const unsigned char *)h.body, h.len) || !j)
        bad("journal after bad bodies", "%d, not valid UTF-8 JSON: %.200s", h.status, h.body);
    cJSON_Delete(j);
    hres_free(&h);
    state_unchanged("bodies");
    end_cases("bodies");
}

/* Query strings are parsed for every route before its handler runs. */
static void test_queries(void **state)
{
    (void)state;
    load_routes();
    begin_cases();
    static const struct {
        const char *name, *query, *needle;
    } cases[] = {
        {"bad escape", "page=%zz", "%XX"},
        {"cut escape", "page=1%2", "%XX"},
        {"NUL", "merchant_uid=hostile_order%00x", "%00"},
        {"invalid UTF-8", "sorting=%c0%af", "UTF-8"},
        {"bad name", "[]=1", "이름"},
        {"too deep", "a[][][][][][][][][][]=1", NULL},
        {"huge index", "imp_uid[1001]=x", "인덱스"},
        {"array then key", "imp_uid[]=a&imp_uid[x]=b", "인덱스"},
    };
    char target[4096], label[700];
    for (size_t i = 0; i < n_routes; i++) {
        const struct route *r = &routes[i];
        char path[512];
        fill(r, "h0stile", path, sizeof path);
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
            snprintf(target, sizeof target, "%s?%s", path, cases[c].query);
            struct hres h;
            const char *body = takes_body(r) ? "{}" : NULL;
            req(r->method, target, creds(r), body ? "application/json" : NULL, body, body ? 2 : 0,
                &h);
            snprintf(label, sizeof label, "%.15s %.160s?%.100s", r->method, r->pattern,
                     cases[c].query);
            expect(label, &h, as_listed(r, 400), control(r) ? PLAIN : ENVELOPE,
                   control(r) ? NULL : cases[c].needle);
            hres_free(&h);
        }
    }
    /* more pairs than any form may have */
    size_t cap = 2101 * 6 + 64;
    char *many = malloc(cap);
    if (!many)
        fail_msg("out of memory");
    size_t n = (size_t)snprintf(many, cap, "/payments/status/all?");
    for (int k = 0; k < 2100 && n + 8 < cap; k++)
        n += (size_t)snprintf(many + n, cap - n, "a%d=&", k % 10);
    struct hres h;
    req("GET", many, auth_line, NULL, NULL, 0, &h);
    expect("2100 query pairs", &h, 400, ENVELOPE, NULL);
    hres_free(&h);
    free(many);
    state_unchanged("queries");
    end_cases("queries");
}

/* Unknown and unsupported methods on every path: 405 in the envelope (the
 * control API's shape under /__mock/), with Allow naming the route's method. */
static void test_methods(void **state)
{
    (void)state;
    load_routes();
    begin_cases();
    static const char *const methods[] = {"PATCH",    "FOO", "TRACE",   "CONNECT",
                                          "PROPFIND", "get", "M-SEARCH"};
    char target[512], label[700];
    for (size_t i = 0; i < n_routes; i++) {
        const struct route *r = &routes[i];
        fill(r, "h0stile", target, sizeof target);
        for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
            struct hres h;
            req(methods[m], target, creds(r), NULL, NULL, 0, &h);
            snprintf(label, sizeof label, "%s %s", methods[m], target);
            expect(label, &h, 405, control(r) ? PLAIN : ENVELOPE, methods[m]);
            n_cases++;
            if (!strstr(h.allow, r->method))
                bad(label, "Allow '%s' does not name %s", h.allow, r->method);
            hres_free(&h);
        }
    }
    /* a method civetweb knows but no route takes, with a body */
    struct hres h;
    req("DELETE", "/payments/prepare", auth_line, "application/json",
        "{\"merchant_uid\":\"order_h2\"}", 26, &h);
    expect("DELETE /payments/prepare", &h, 405, ENVELOPE, "DELETE");
    n_cases++;
    if (strcmp(h.allow, "GET, HEAD, POST, PUT") != 0)
        bad("DELETE /payments/prepare", "Allow '%s', wanted 'GET, HEAD, POST, PUT'", h.allow);
    hres_free(&h);
    state_unchanged("methods");
    end_cases("methods");
}

/* Path parameters that cannot be ids: too long, not UTF-8, traversal. */
static void test_path_ids(void **state)
{
    (void)state;
    load_routes();
    begin_cases();
    static char longid[4100];
    memset(longid, 'a', 4000);
    longid[4000] = '\0';
    static const char *const ids[] = {
        longid,
        "%ff%fe%80",
        "%c0%ae%c0%ae",
        "%ed%a0%80",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%2f..%2f..%2fmeson.build",
        "%0d%0aX-Injected:%201",
        "%e2%80%ae",
    };
    char target[8400], label[700];
    for (size_t i = 0; i < n_routes; i++) {
        const struct route *r = &routes[i];
        if (!strstr(r->pattern, "{}"))
            continue;
        for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
            fill(r, ids[k], target, sizeof target);
            struct hres h;
            const char *body = takes_body(r) ? "{}" : NULL;
            req(r->method, target, creds(r), body ? "application/json" : NULL, body, body ? 2 : 0,
                &h);
            snprintf(label, sizeof label, "%.15s %.160s with id #%zu", r->method, r->pattern, k);
            n_cases++;
            if (h.status == 0)
                bad(label, "no answer");
            else if (h.status >= 500)
                bad(label, "status %d: %.200s", h.status, h.body);
            else if (!utf8_ok((const unsigned char *)h.body, h.len))
                bad(label, "answer is not valid UTF-8: %.100s", h.body);
            else if (strstr(h.body, "root:") || strstr(h.body, "project('impmock'"))
                bad(label, "a file's content leaked: %.100s", h.body);
            else if (h.status < 400 && r->auth != A_NONE && !refused_in_body(&h))
                bad(label, "accepted (%d): %.200s", h.status, h.body);
            hres_free(&h);
        }
    }
    struct hres h;
    req("GET", "/__mock/requests?limit=1000", admin_line, NULL, NULL, 0, &h);
    n_cases++;
    if (h.status != 200 || !utf8_ok((const unsigned char *)h.body, h.len))
        bad("journal after bad ids", "%d, not valid UTF-8", h.status);
    hres_free(&h);
    state_unchanged("path ids");
    end_cases("path ids");
}

/* Static routes and traversal: never a file's content, never outside the table. */
static void test_traversal(void **state)
{
    (void)state;
    begin_cases();
    static const char *const targets[] = {
        "/v1/../..",
        "/v1/../../etc/passwd",
        "/v1/%2e%2e/%2e%2e/etc/passwd",
        "/v1/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/v1/..%2f..%2f..%2fmeson.build",
        "/checkout/assets/../../../../etc/passwd",
        "/checkout/assets/%2e%2e/%2e%2e/mock/server.c",
        "/checkout/assets/..%5c..%5cmeson.build",
        "//etc/passwd",
        "//v1//..//..//etc/passwd",
        "/./././etc/passwd",
        "/v1/iamport.js/../../../etc/passwd",
        "/checkout/window/..%2f..%2f..%2fetc%2fpasswd",
        "/mock/routes.c",
        "/meson.build",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/shadow",
        "/%252e%252e/etc/passwd",
        "/.git/config",
    };
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        struct hres h;
        req("GET", targets[i], NULL, NULL, NULL, 0, &h);
        n_cases++;
        bool leaked = h.body && (strstr(h.body, "root:") || strstr(h.body, "project(") ||
                                 strstr(h.body, "#include") || strstr(h.body, "[core]"));
        /* its dot segments resolve to "/", whose route is the landing page */
        bool root = strcmp(targets[i], "/v1/../..") == 0;
        if (leaked)
            bad(targets[i], "a file's content leaked: %.100s", h.body);
        else if (root && (h.status != 200 || !strstr(h.ctype, "text/html")))
            bad(targets[i], "status %d (%s), wanted the landing page", h.status, h.ctype);
        else if (root)
            ; /* the page, as for GET / */
        else if (h.status != 0 && (h.status < 400 || h.status > 499))
            bad(targets[i], "status %d, wanted a 4xx: %.120s", h.status, h.body);
        else if (h.status != 0)
            expect(targets[i], &h, 404, ENVELOPE, NULL);
        hres_free(&h);
    }
    /* civetweb decodes %00 and the path ends there: only the public script may come back */
    struct hres h;
    req("GET", "/v1/iamport.js%00.png", NULL, NULL, NULL, 0, &h);
    n_cases++;
    if (h.status == 200 && !strstr(h.ctype, "javascript"))
        bad("/v1/iamport.js%00.png", "served %s", h.ctype);
    hres_free(&h);
    state_unchanged("traversal");
    end_cases("traversal");
}

/* ---- field-specific cases: types, numbers, lengths ---- */

struct field_case {
    const char *method, *target;
    enum auth auth;
    const char *ctype;
    const char *body;
    int status;         /* expected; 0: any refusal (4xx, or 200 with code != 0) */
    const char *needle; /* in the message */
};

#define J     "application/json"
#define F     "application/x-www-form-urlencoded"
#define CARD  "\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2030-12\""
#define AGAIN "\"customer_uid\":\"cust_h1\",\"merchant_uid\":\"hostile_order\""

static const struct field_case field_cases[] = {
    /* getToken */
    {"POST", "/users/getToken", A_NONE, J, "{\"imp_key\":1,\"imp_secret\":\"x\"}", 400, "imp_key"},
    {"POST", "/users/getToken", A_NONE, J, "{\"imp_key\":[\"imp_apikey\"],\"imp_secret\":\"x\"}",
     400, "imp_key"},
    {"POST", "/users/getToken", A_NONE, J, "{\"imp_key\":\"imp_apikey\",\"imp_secret\":{}}", 400,
     "imp_secret"},
    {"POST", "/users/getToken", A_NONE, J, "{\"imp_key\":\"imp_apikey\",\"imp_secret\":\"\"}", 400,
     "imp_secret"},
    {"POST", "/users/getToken", A_NONE, J, "{\"imp_key\":\"imp_apikey\",\"imp_secret\":null}", 400,
     "imp_secret"},
    {"POST", "/users/getToken", A_NONE, F, "imp_key=imp_apikey&imp_secret=wrong", 401, NULL},
    {"POST", "/users/getToken", A_NONE, F, "imp_key[]=imp_apikey&imp_secret=x", 400, "imp_key"},
    /* prepare */
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":\"5000\"}", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":\"hostile_order\",\"amount\":-1}",
     400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":\"hostile_order\",\"amount\":0.5}",
     400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":1e400}", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":-1e400}", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":9007199254740993}", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":1e300}", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":\"hostile_order\",\"amount\":[1]}",
     400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":true}", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":{\"v\":1}}", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":7,\"amount\":1}", 400,
     "merchant_uid"},
    {"POST", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":\"\",\"amount\":1}", 400,
     "merchant_uid"},
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order_0123456789012345678901234567\",\"amount\":1}", 400,
     "merchant_uid"},
    {"POST", "/payments/prepare", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":1,\"currency\":\"KRWX\"}", 400, "currency"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid=hostile_order&amount=1.5", 400,
     "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid=hostile_order&amount=-0.0001", 400,
     "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid=hostile_order&amount=0x10", 400,
     "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid=hostile_order&amount=1e3", 400,
     "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid=hostile_order&amount=+5", 400,
     "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid=hostile_order&amount=%205", 400,
     "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F,
     "merchant_uid=hostile_order&amount=99999999999999999999999", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid=hostile_order&amount=", 400, "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid=hostile_order&amount[]=5", 400,
     "amount"},
    {"POST", "/payments/prepare", A_TOKEN, F, "merchant_uid[x]=hostile_order&amount=5", 400,
     "merchant_uid"},
    {"POST", "/payments/prepare", A_TOKEN, F,
     "merchant_uid=hostile_order&merchant_uid[a]=b&amount=5", 400, "merchant_uid"},
    {"POST", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":\"order_h2\",\"amount\":7}", 200,
     "PUT"},
    {"PUT", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":\"hostile_order\",\"amount\":7}",
     404, NULL},
    {"PUT", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":\"order_h2\",\"amount\":-7}", 400,
     "amount"},
    {"PUT", "/payments/prepare", A_TOKEN, J, "{\"merchant_uid\":\"order_h2\",\"amount\":7.25}", 400,
     "amount"},
    /* cancel */
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":\"order_h1\",\"amount\":-1}", 400,
     "amount"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":\"order_h1\",\"amount\":0.5}", 400,
     "amount"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":\"order_h1\",\"amount\":\"1\"}",
     400, "amount"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":\"order_h1\",\"amount\":1e400}",
     400, "amount"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":\"order_h1\",\"amount\":100000}",
     200, "취소가능잔액"},
    {"POST", "/payments/cancel", A_TOKEN, J,
     "{\"merchant_uid\":\"order_h1\",\"amount\":1,\"checksum\":1}", 200, "checksum"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":\"order_h1\",\"checksum\":-5}", 400,
     "checksum"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":\"order_h1\",\"tax_free\":[]}", 400,
     "tax_free"},
    {"POST", "/payments/cancel", A_TOKEN, J,
     "{\"merchant_uid\":\"order_h1\",\"amount\":1,\"tax_free\":2}", 0, NULL},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"imp_uid\":12345}", 400, "imp_uid"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":{\"$ne\":null}}", 400,
     "merchant_uid"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{}", 200, "imp_uid"},
    {"POST", "/payments/cancel", A_TOKEN, J, "{\"merchant_uid\":\"order_h1\",\"reason\":7}", 400,
     "reason"},
    {"POST", "/payments/cancel", A_TOKEN, J,
     "{\"merchant_uid\":\"order_h1\",\"enable_webhook\":\"maybe\"}", 400, "enable_webhook"},
    {"POST", "/payments/cancel", A_TOKEN, F, "imp_uid[]=a&imp_uid[]=b", 400, "imp_uid"},
    {"POST", "/payments/cancel", A_TOKEN, F, "merchant_uid=order_h1&amount=1.0001", 400, "amount"},
    /* billing keys */
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J,
     "{\"card_number\":4242424242424242,\"expiry\":\"2030-12\"}", 400, "card_number"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J,
     "{\"card_number\":\"4242-4242-4242-4242\"}", 400, "expiry"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J, "{" CARD ",\"birth\":12}", 400,
     "birth"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J,
     "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2030-13\"}", 400, "expiry"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J,
     "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"20301\"}", 400, "expiry"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J, "{" CARD ",\"pwd_2digit\":\"123\"}",
     400, "pwd_2digit"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J,
     "{\"card_number\":\"4242-4242-4242-4241\",\"expiry\":\"2030-12\"}", 200, "F113"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J,
     "{\"card_number\":\"42424242424242424242424242\",\"expiry\":\"2030-12\"}", 200, "F113"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J,
     "{" CARD ",\"customer_name\":[\"a\"]}", 400, "customer_name"},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J, "{" CARD ",\"pg\":\"nice.\"}", 0,
     NULL},
    {"POST", "/subscribe/customers/hostile_cust", A_TOKEN, J, "{" CARD ",\"pg\":7}", 400, "pg"},
    {"POST",
     "/subscribe/customers/"
     "hostile_cust_0123456789012345678901234567890123456789012345678901234567890123456789",
     A_TOKEN, J, "{" CARD "}", 400, "customer_uid"},
    {"GET", "/subscribe/customers?customer_uid=", A_TOKEN, NULL, NULL, 404, NULL},
    {"GET", "/subscribe/customers?customer_uid[0][x]=a", A_TOKEN, NULL, NULL, 400, "customer_uid"},
    /* charges */
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":0}", 400, "amount"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":-100}", 400, "amount"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":99.5}", 400, "amount"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":\"1000\"}", 400,
     "amount"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":1e400}", 400,
     "amount"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":18446744073709551616}",
     400, "amount"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{" AGAIN ",\"amount\":1000,\"tax_free\":1001}", 400, "tax_free"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":1000,\"tax_free\":-1}",
     400, "tax_free"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{" AGAIN ",\"amount\":1000,\"card_quota\":61}", 400, "card_quota"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{" AGAIN ",\"amount\":1000,\"card_quota\":2.5}", 400, "card_quota"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{" AGAIN ",\"amount\":1000,\"card_quota\":3}", 200, "50,000"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":1000,\"name\":5}", 400,
     "name"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{" AGAIN ",\"amount\":1000,\"notice_url\":5}", 400, "notice_url"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":9007199254740993}",
     400, "amount"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J, "{" AGAIN ",\"amount\":9007199254740992}",
     400, "amount"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{" AGAIN ",\"amount\":1000,\"use_card_point\":\"yes\"}", 400, "use_card_point"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{\"customer_uid\":\"cust_h1\",\"merchant_uid\":\"order_h1\",\"amount\":1000}", 200,
     "이미 결제"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{\"customer_uid\":\"hostile_cust\",\"merchant_uid\":\"hostile_order\",\"amount\":1000}", 200,
     "등록되지 않은"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{\"customer_uid\":\"cust_h1\",\"merchant_uid\":\"order_h2\",\"amount\":1000}", 200,
     "사전 등록"},
    {"POST", "/subscribe/payments/again", A_TOKEN, J,
     "{\"customer_uid\":123,\"merchant_uid\":\"hostile_order\",\"amount\":1000}", 400,
     "customer_uid"},
    {"POST", "/subscribe/payments/again", A_TOKEN, F,
     "customer_uid=cust_h1&merchant_uid=hostile_order&amount=1000&card_quota=abc", 400,
     "card_quota"},
    {"POST", "/subscribe/payments/again", A_TOKEN, F,
     "customer_uid=cust_h1&merchant_uid=hostile_order&amount=1%2C000", 400, "amount"},
    {"POST", "/subscribe/payments/onetime", A_TOKEN, J,
     "{\"merchant_uid\":\"hostile_order\",\"amount\":1000}", 400, "card_number"},
    {"POST", "/subscribe/payments/onetime", A_TOKEN, J,
     "{" CARD ",\"merchant_uid\":\"hostile_order\",\"amount\":-1000}", 400, "amount"},
    {"POST", "/subscribe/payments/onetime", A_TOKEN, J,
     "{" CARD ",\"merchant_uid\":\"hostile_order\",\"amount\":1000,\"customer_uid\":[]}", 400,
     "customer_uid"},
    {"POST", "/subscribe/payments/onetime", A_TOKEN, J,
     "{\"card_number\":\"4000-0000-0000-0069\",\"expiry\":\"2030-12\",\"merchant_uid\":\"hostile_"
     "order\",\"amount\":1000,\"customer_uid\":\"hostile_cust\"}",
     200, "F112"},
    {"POST", "/subscribe/payments/onetime", A_TOKEN, J,
     "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"1999-01\",\"merchant_uid\":\"hostile_"
     "order\",\"amount\":1000}",
     200, "F112"},
    /* lookups */
    {"GET", "/payments/status/all?limit=0", A_TOKEN, NULL, NULL, 400, "limit"},
    {"GET", "/payments/status/all?limit=1001", A_TOKEN, NULL, NULL, 400, "limit"},
    {"GET", "/payments/status/all?page=-1", A_TOKEN, NULL, NULL, 400, "page"},
    {"GET", "/payments/status/all?page=99999999999999999999", A_TOKEN, NULL, NULL, 400, "page"},
    {"GET", "/payments/status/all?page=1.5", A_TOKEN, NULL, NULL, 400, "page"},
    {"GET", "/payments/status/all?page=2", A_TOKEN, NULL, NULL, 400, "page"},
    {"GET", "/payments/status/all?from=1700000000&to=1600000000", A_TOKEN, NULL, NULL, 400, "from"},
    {"GET", "/payments/status/all?from=-1", A_TOKEN, NULL, NULL, 400, "from"},
    {"GET", "/payments/status/all?to=1e9", A_TOKEN, NULL, NULL, 400, "to"},
    {"GET", "/payments/status/all?sorting=-paid,started", A_TOKEN, NULL, NULL, 400, NULL},
    {"GET", "/payments/status/all?sorting=--paid", A_TOKEN, NULL, NULL, 400, NULL},
    {"GET", "/payments/status/all?sorting[]=paid", A_TOKEN, NULL, NULL, 400, "sorting"},
    {"GET", "/payments/status/refunded", A_TOKEN, NULL, NULL, 400, NULL},
    {"GET", "/payments/find/order_h1/bogus", A_TOKEN, NULL, NULL, 400, NULL},
    {"GET", "/payments/findAll/order_h1?limit=abc", A_TOKEN, NULL, NULL, 400, "limit"},
    {"GET", "/payments", A_TOKEN, NULL, NULL, 400, "imp_uid"},
    {"GET", "/payments?imp_uid[]=imp_000000000000000000000000000000001", A_TOKEN, NULL, NULL, 400,
     "imp_uid"},
    {"GET", "/payments?imp_uid[0][1]=x", A_TOKEN, NULL, NULL, 400, "imp_uid"},
    {"GET", "/payments?imp_uid=", A_TOKEN, NULL, NULL, 404, NULL},
    {"GET", "/payments/h0stile/balance", A_TOKEN, NULL, NULL, 404, NULL},
    {"GET", "/subscribe/customers/cust_h1/payments?page=-1", A_TOKEN, NULL, NULL, 400, "page"},
    /* control API */
    {"POST", "/__mock/clock", A_ADMIN, J, "{\"set\":\"soon\"}", 400, "set"},
    {"POST", "/__mock/clock", A_ADMIN, J, "{\"set\":-1}", 400, "set"},
    {"POST", "/__mock/clock", A_ADMIN, J, "{\"set\":1e400}", 400, "set"},
    {"POST", "/__mock/clock", A_ADMIN, J, "{\"advance\":1e300}", 400, "advance"},
    {"POST", "/__mock/clock", A_ADMIN, J, "{\"advance\":0.5}", 400, "advance"},
    {"POST", "/__mock/clock", A_ADMIN, J, "{\"freeze\":\"maybe\"}", 400, "freeze"},
    {"POST", "/__mock/clock", A_ADMIN, J, "{}", 400, NULL},
    {"POST", "/__mock/clock", A_ADMIN, F, "set=1e3", 400, "set"},
    {"POST", "/__mock/scenarios", A_ADMIN, J, "{\"name\":\"x\"}", 400, NULL},
    {"POST", "/__mock/scenarios", A_ADMIN, J,
     "{\"name\":\"../../x\",\"description\":\"d\",\"rules\":[]}", 400, NULL},
    {"POST", "/__mock/scenarios", A_ADMIN, J,
     "{\"name\":\"h\",\"description\":\"d\",\"rules\":[{\"when\":{\"op\":\"charge\"},\"then\":{"
     "\"delay_ms\":-5}}]}",
     400, "delay_ms"},
    {"POST", "/__mock/scenarios", A_ADMIN, F, "name=x", 400, NULL},
    {"DELETE", "/__mock/scenarios?name=nonexistent", A_ADMIN, NULL, NULL, 404, NULL},
    {"POST", "/__mock/reset?imp_key=nobody", A_ADMIN, NULL, NULL, 404, NULL},
    {"GET", "/__mock/requests?limit=-1", A_ADMIN, NULL, NULL, 400, "limit"},
    {"GET", "/__mock/requests?status=abc", A_ADMIN, NULL, NULL, 400, "status"},
    {"GET", "/__mock/requests?before=0", A_ADMIN, NULL, NULL, 400, "before"},
    {"GET", "/__mock/requests?before=1e3", A_ADMIN, NULL, NULL, 400, "before"},
    {"POST", "/__mock/import?imp_key=imp_apikey", A_ADMIN, J, "{\"payments\":[{\"imp_uid\":5}]}",
     400, NULL},
    {"POST", "/__mock/import?imp_key=imp_apikey", A_ADMIN, J, "{\"format\":1,\"payments\":\"all\"}",
     400, NULL},
    {"POST", "/__mock/import?imp_key=imp_apikey", A_ADMIN, F, "payments=1", 400, NULL},
    {"POST", "/__mock/import?imp_key=nobody", A_ADMIN, J, "{}", 404, NULL},
};

static void test_fields(void **state)
{
    (void)state;
    load_routes();
    begin_cases();
    char label[900];
    for (size_t i = 0; i < sizeof field_cases / sizeof *field_cases; i++) {
        const struct field_case *c = &field_cases[i];
        const char *hdr = c->auth == A_TOKEN ? auth_line : c->auth == A_ADMIN ? admin_line : "";
        struct hres h;
        req(c->method, c->target, hdr, c->ctype, c->body, c->body ? strlen(c->body) : 0, &h);
        snprintf(label, sizeof label, "%s %s %.300s", c->method, c->target, c->body ? c->body : "");
        bool admin = strncmp(c->target, "/__mock/", 8) == 0;
        if (c->status == 0) {
            /* any refusal: a 4xx, or 200 with a non-zero code */
            n_cases++;
            cJSON *j = cJSON_ParseWithLength(h.body, h.len);
            const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
            if (!(h.status >= 400 && h.status < 500) &&
                !(h.status == 200 && cJSON_IsNumber(code) && code->valueint != 0))
                bad(label, "not refused: %d %.200s", h.status, h.body);
            cJSON_Delete(j);
        } else if (c->status == 200) {
            /* a business refusal: HTTP 200 with code != 0 */
            n_cases++;
            cJSON *j = cJSON_ParseWithLength(h.body, h.len);
            const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
            const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
            if (h.status != 200 || !cJSON_IsNumber(code) || code->valueint == 0 ||
                !cJSON_IsString(msg) || (c->needle && !strstr(msg->valuestring, c->needle)))
                bad(label, "wanted a 200 refusal mentioning '%s': %d %.200s",
                    c->needle ? c->needle : "", h.status, h.body);
            cJSON_Delete(j);
        } else {
            int want = as_listed(route_for(c->method, c->target), c->status);
            expect(label, &h, want, admin ? PLAIN : ENVELOPE, c->needle);
        }
        hres_free(&h);
    }
    state_unchanged("fields");
    end_cases("fields");
}

/* A NUL or another control character never ends up inside an id: %00 in the
 * path once found the payment of the id before it, a raw NUL in a body
 * charged the merchant_uid before it, and escaped newlines were stored.
 * Refused in the envelope; HTTP 400 where the operation's Swagger lists 400,
 * else HTTP 200 with code -1. */
static void test_control_chars(void **state)
{
    (void)state;
    begin_cases();
    struct hres h;
    req("GET", "/payments/find/order_h1", auth_line, NULL, NULL, 0, &h);
    cJSON *j = cJSON_ParseWithLength(h.body, h.len);
    const char *uid = json_str(cJSON_GetObjectItemCaseSensitive(j, "response"), "imp_uid");
    if (!uid)
        fail_msg("order_h1 not found: %s", h.body);
    char imp_uid[64], target[256];
    snprintf(imp_uid, sizeof imp_uid, "%s", uid);
    cJSON_Delete(j);
    hres_free(&h);
    static const char ctl[] = "제어 문자";
    static const struct {
        const char *method, *target, *ctype, *body;
        int status;
    } cases[] = {
        {"GET", "/payments/%s%%00junk", NULL, NULL, 200},
        {"GET", "/payments/%s%%0a", NULL, NULL, 200},
        {"GET", "/payments/%s%%7f", NULL, NULL, 200},
        {"GET", "/payments/findAll/order_h1%%0d%%0a/paid", NULL, NULL, 400},
        {"GET", "/subscribe/customers/cust_h1%%09", NULL, NULL, 200},
        {"GET", "/subscribe/customers?customer_uid[]=cust_h1&customer_uid[]=a%%0ab", NULL, NULL,
         200},
        {"GET",
         "/subscribe/payments/schedule?customer_uid=cust%%01h1&schedule_from=1&schedule_to=2", NULL,
         NULL, 400},
        {"POST", "/subscribe/payments/again", J,
         "{\"customer_uid\":\"cust_h1\",\"merchant_uid\":\"hostile\\norder\",\"amount\":100}", 200},
        {"POST", "/subscribe/payments/again", F,
         "customer_uid=cust_h1&merchant_uid=hostile%%0Aorder&amount=100", 200},
        {"POST", "/payments/cancel", J, "{\"imp_uid\":\"%s\\u0001\",\"amount\":1}", 200},
        {"POST", "/payments/prepare", J, "{\"merchant_uid\":\"hostile_order\\r\",\"amount\":1}",
         200},
        {"POST", "/subscribe/payments/schedule", J,
         "{\"customer_uid\":\"cust_h1\",\"schedules\":[{\"merchant_uid\":\"hostile\\u001border\","
         "\"schedule_at\":1800000000,\"amount\":100}]}",
         200},
        {"POST", "/users/getToken", J, "{\"imp_key\":\"imp\\napikey\",\"imp_secret\":\"x\"}", 200},
    };
    char body[512], label[700];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(target, sizeof target, cases[i].target, imp_uid);
        if (cases[i].body)
            snprintf(body, sizeof body, cases[i].body, imp_uid);
        req(cases[i].method, target, auth_line, cases[i].ctype, cases[i].body ? body : NULL,
            cases[i].body ? strlen(body) : 0, &h);
        snprintf(label, sizeof label, "%s %s %s", cases[i].method, target,
                 cases[i].body ? body : "");
        if (cases[i].status == 400)
            expect(label, &h, 400, ENVELOPE, ctl);
        else if (n_cases++, !refused_in_body(&h) || !strstr(h.body, ctl))
            bad(label, "wanted HTTP 200, code -1, about control characters: %d %.200s", h.status,
                h.body);
        hres_free(&h);
    }
    /* a raw NUL byte: in JSON it is no JSON at all, in a form it would cut the
     * value; again lists no 400, so both are refused in HTTP 200 */
    static const char json_nul[] =
        "{\"customer_uid\":\"cust_h1\",\"merchant_uid\":\"hostile\0_tail\",\"amount\":100}";
    static const char form_nul[] = "customer_uid=cust_h1&merchant_uid=hostile\0_tail&amount=100";
    req("POST", "/subscribe/payments/again", auth_line, J, json_nul, sizeof json_nul - 1, &h);
    if (n_cases++, !refused_in_body(&h) || !strstr(h.body, "0x00"))
        bad("raw NUL in a JSON body", "wanted HTTP 200, code -1, about NUL: %d %.200s", h.status,
            h.body);
    hres_free(&h);
    req("POST", "/subscribe/payments/again", auth_line, F, form_nul, sizeof form_nul - 1, &h);
    if (n_cases++, !refused_in_body(&h) || !strstr(h.body, "NUL"))
        bad("raw NUL in a form body", "wanted HTTP 200, code -1, about NUL: %d %.200s", h.status,
            h.body);
    hres_free(&h);
    /* text fields may hold them: a reason with a newline is a reason */
    static const char reason[] = "{\"merchant_uid\":\"no_such_order\",\"reason\":\"two\\nlines\"}";
    req("POST", "/payments/cancel", auth_line, J, reason, sizeof reason - 1, &h);
    n_cases++;
    if (strstr(h.body, ctl))
        bad("newline in a reason", "refused as an id: %.200s", h.body);
    hres_free(&h);
    state_unchanged("control characters");
    end_cases("control characters");
}

/* ---- transport abuse (raw bytes) ---- */

static void test_transport(void **state)
{
    (void)state;
    load_routes();
    begin_cases();
    static char big_header[80000], many_headers[40000], long_line[30000];
    size_t n = (size_t)snprintf(big_header, sizeof big_header,
                                "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
    memset(big_header + n, 'a', 70000);
    n += 70000;
    snprintf(big_header + n, sizeof big_header - n, "\r\n\r\n");
    n = (size_t)snprintf(many_headers, sizeof many_headers, "GET /__mock/health HTTP/1.1\r\n");
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(many_headers + n, sizeof many_headers - n, "X-H%d: v\r\n", i);
    snprintf(many_headers + n, sizeof many_headers - n, "\r\n");
    n = (size_t)snprintf(long_line, sizeof long_line, "GET /payments/");
    memset(long_line + n, 'x', 25000);
    n += 25000;
    snprintf(long_line + n, sizeof long_line - n, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    static const struct {
        const char *name;
        const char *data;
    } cases[] = {
        {"no version", "GET /__mock/health\r\n\r\n"},
        {"HTTP/0.9", "GET /\r\n"},
        {"HTTP/9.9", "GET /__mock/health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n"},
        {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"},
        {"header without colon", "GET /__mock/health HTTP/1.1\r\nHost x\r\n\r\n"},
        {"tab in a header value", "GET /payments/x HTTP/1.1\r\nAuthorization: Bearer \t x\r\n\r\n"},
        {"raw non-UTF-8 header",
         "GET /payments/x HTTP/1.1\r\nAuthorization: Bearer \xff\xfe\r\n\r\n"},
        {"control bytes in target", "GET /payments/\x01\x7f HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
        {"raw non-UTF-8 target", "GET /payments/\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
        {"binary noise", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"},
        {"non-numeric Content-Length",
         "POST /users/getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n"},
        {"negative Content-Length",
         "POST /users/getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n"},
        {"huge Content-Length",
         "POST /users/getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
         "99999999999999999999\r\n\r\n"},
        {"Content-Length above the limit",
         "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n{"},
        {"two Content-Lengths",
         "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
         "5\r\nContent-Length: 50\r\n\r\n{}"},
        {"bad chunk size",
         "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
         "chunked\r\nContent-Type: "
         "application/"
         "x-www-form-urlencoded\r\n\r\nzz\r\nmerchant_uid=hostile_order&amount=1\r\n0\r\n\r\n"},
        {"chunk longer than sent",
         "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
         "chunked\r\n\r\n100\r\nmerchant_uid=hostile_order&amount=1"},
        {"unknown transfer coding",
         "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\nxx"},
        {"body shorter than Content-Length",
         "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
         "application/x-www-form-urlencoded\r\nContent-Length: "
         "60\r\n\r\nmerchant_uid=hostile_order&amount=1"},
        {"absolute-form target",
         "GET http://evil.invalid/payments/imp_1 HTTP/1.1\r\nHost: evil\r\n\r\n"},
        {"asterisk target", "GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
        {"oversized header", big_header},
        {"25 KB request line", long_line},
    };
    char label[200];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct hres h;
        int fd = connect_mock();
        send_all(fd, cases[i].data, strlen(cases[i].data));
        shutdown(fd, SHUT_WR); /* nothing more is coming: the server must not wait for it */
        read_answer(fd, 5000, &h);
        close(fd);
        snprintf(label, sizeof label, "transport: %s", cases[i].name);
        expect_closed_or_4xx(label, &h);
        hres_free(&h);
    }
    /* oddities civetweb tolerates: any answer will do but a server error */
    static const char *const tolerated[] = {
        "GET /__mock/health HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET /__mock/health HTTP/1.1\nHost: 127.0.0.1\n\n",
        "GET /__mock/health HTTP/1.0\r\n\r\n",
        many_headers,
    };
    for (size_t i = 0; i < sizeof tolerated / sizeof *tolerated; i++) {
        struct hres h;
        raw(tolerated[i], strlen(tolerated[i]), &h);
        snprintf(label, sizeof label, "tolerated #%zu", i);
        n_cases++;
        if (h.status >= 500)
            bad(label, "status %d", h.status);
        hres_free(&h);
    }
    /* a peer that goes away mid-request, many times */
    for (int i = 0; i < 50; i++) {
        int fd = connect_mock();
        send_all(fd, "POST /payments/prepare HTTP/1.1\r\nContent-Length: 100\r\n\r\nmerch", 57);
        struct linger lg = {1, 0}; /* reset, not a clean close */
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(fd);
    }
    must_serve("after resets");
    /* a valid chunked body is read whole */
    static const char chunked[] =
        "POST /users/getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        "b\r\n{\"imp_key\":\r\n3\r\n\"x\"\r\n10\r\n,\"imp_secret\":1}\r\n0\r\n\r\n";
    struct hres h;
    raw(chunked, sizeof chunked - 1, &h);
    expect("chunked body read whole", &h, as_listed(route_named("POST", "/users/getToken"), 400),
           ENVELOPE, "imp_secret");
    hres_free(&h);
    /* a GET with a body: the body must not be taken for the next request */
    static const char pipelined[] =
        "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 78\r\n\r\n"
        "POST /__mock/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Impmock: 1\r\nContent-Length: "
        "0\r\n\r\n"
        "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    int fd = connect_mock();
    send_all(fd, pipelined, sizeof pipelined - 1);
    char buf[4096];
    size_t got = 0;
    double deadline = now_ms() + 3000;
    while (got + 1 < sizeof buf && now_ms() < deadline) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        ssize_t r = recv(fd, buf + got, sizeof buf - got - 1, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    close(fd);
    n_cases++;
    if (strstr(buf, "\"reset\""))
        bad("GET body smuggled as a request", "%s", buf);
    /* oversized bodies: refused with 413 and the connection closed */
    size_t big = BODY_LIMIT + 4096;
    char *body = malloc(big + 1);
    if (!body)
        fail_msg("out of memory");
    memset(body, ' ', big);
    memcpy(body, "{\"merchant_uid\":\"hostile_order\",\"amount\":1,\"x\":\"", 48);
    body[big - 2] = '"';
    body[big - 1] = '}';
    body[big] = '\0';
    req("POST", "/payments/prepare", auth_line, "application/json", body, big, &h);
    expect("body over --body-limit", &h, 413, ENVELOPE, NULL);
    n_cases++;
    if (strcasecmp(h.connection, "close") != 0)
        bad("body over --body-limit", "connection not closed: '%s'", h.connection);
    hres_free(&h);
    free(body);
    state_unchanged("transport");
    end_cases("transport");
}

/* A client dribbling its headers is cut off by the request timeout, while
 * other clients keep being served. Bounded: gives up after 8 s. */
static void test_slow_clients(void **state)
{
    (void)state;
    begin_cases();
    static const char head[] =
        "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    int slow = connect_mock();
    /* idle connections that never send a byte hold a worker each until the timeout */
    int idle[8];
    for (int i = 0; i < 8; i++)
        idle[i] = connect_mock();
    double t0 = now_ms(), cut_at = -1;
    size_t sent = 0;
    int served = 0, refused = 0;
    while (now_ms() - t0 < 8000) {
        if (sent < sizeof head - 1 && send(slow, head + sent, 1, MSG_NOSIGNAL) == 1)
            sent++;
        struct pollfd pfd = {slow, POLLIN, 0};
        if (poll(&pfd, 1, 0) > 0) {
            char b[512];
            ssize_t r = recv(slow, b, sizeof b, 0);
            if (r >= 0) { /* an answer or a close: the server gave up on it */
                cut_at = now_ms() - t0;
                break;
            }
        }
        /* meanwhile, a normal client */
        struct hres h;
        req("POST", "/users/getToken", NULL, "application/json",
            "{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"" TEST_IMP_SECRET "\"}",
            strlen("{\"imp_key\":\"" TEST_IMP_KEY "\",\"imp_secret\":\"" TEST_IMP_SECRET "\"}"),
            &h);
        if (h.status == 200)
            served++;
        else
            refused++;
        hres_free(&h);
        sleep_ms(100);
    }
    close(slow);
    n_cases++;
    if (cut_at < 0)
        bad("slow headers", "still connected after 8 s (%zu bytes dribbled)", sent);
    else if (cut_at < REQ_TIMEOUT * 0.8 || cut_at > REQ_TIMEOUT * 3)
        bad("slow headers", "cut after %.0f ms, --request-timeout is %d ms", cut_at, REQ_TIMEOUT);
    n_cases++;
    if (served < 5 || refused)
        bad("others served meanwhile", "%d served, %d refused", served, refused);
    /* the idle ones were cut too */
    for (int i = 0; i < 8; i++) {
        struct pollfd pfd = {idle[i], POLLIN, 0};
        n_cases++;
        if (poll(&pfd, 1, 3000) <= 0)
            bad("idle connection", "#%d still open after the timeout", i);
        close(idle[i]);
    }
    /* a body sent too slowly is not acted on, even where its first part is valid */
    static const char partial[] =
        "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\n"
        "Content-Length: 36\r\n%s\r\nmerchant_uid=slow_order&amount=100";
    char msg[512];
    int len = snprintf(msg, sizeof msg, partial, auth_line);
    int fd = connect_mock();
    send_all(fd, msg, (size_t)len); /* "...amount=100" of "...amount=10000" */
    struct hres h;
    read_answer(fd, REQ_TIMEOUT * 4, &h);
    close(fd);
    expect_closed_or_4xx("slow body", &h);
    hres_free(&h);
    state_unchanged("slow clients");
    end_cases("slow clients");
}

/* Reads from fd until the server closes it or ms pass; returns how many
 * answers (status lines) came, the first one's status in *ret_status. */
static int count_answers(int fd, int ms, int *ret_status)
{
    char buf[16384];
    size_t got = 0;
    double until = now_ms() + ms;
    for (int left; (left = (int)(until - now_ms())) > 0 && got + 1 < sizeof buf;) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, left) <= 0)
            break;
        ssize_t n = recv(fd, buf + got, sizeof buf - got - 1, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    *ret_status = 0;
    sscanf(buf, "HTTP/1.1 %d", ret_status);
    int answers = 0;
    for (const char *p = buf; (p = strstr(p, "HTTP/1.1 ")) != NULL; p += 9)
        answers += p == buf || p[-1] == '\n';
    return answers;
}

/* Framing civetweb leaves to the handler: each case gets exactly one answer
 * with the given status, never a second one and never silence. */
static void test_framing(void **state)
{
    (void)state;
    begin_cases();
    static char many[8192], few[8192];
    size_t n = (size_t)snprintf(many, sizeof many, "GET /payments/find/order_h1 HTTP/1.1\r\n");
    for (int i = 0; i < 71; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, "X-H%d: v\r\n", i);
    snprintf(many + n, sizeof many - n, "%sConnection: close\r\n\r\n", auth_line);
    n = (size_t)snprintf(few, sizeof few, "GET /payments/find/order_h1 HTTP/1.1\r\n");
    for (int i = 0; i < 61; i++)
        n += (size_t)snprintf(few + n, sizeof few - n, "X-H%d: v\r\n", i);
    snprintf(few + n, sizeof few - n, "%sConnection: close\r\n\r\n", auth_line);
    char own_host[128];
    snprintf(own_host, sizeof own_host,
             "GET http://mydomain.com:%d/__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
             M.port);
    const struct {
        const char *name, *data;
        int status;
    } cases[] = {
        {"two different Content-Lengths",
         "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Content-Length: 2\r\nContent-Length: 60\r\n\r\n{}",
         400},
        {"Content-Length above 2^63",
         "POST /users/getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
         "99999999999999999999\r\n\r\n{}",
         400},
        {"Content-Length 2^63-1",
         "POST /users/getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
         "9223372036854775807\r\n\r\n{}",
         413},
        {"absolute-form target, another host",
         "GET http://evil.invalid/payments/find/order_h1 HTTP/1.1\r\nHost: evil\r\n\r\n", 400},
        {"absolute-form target, this server", own_host, 400},
        {"asterisk target", "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400},
        {"Authorization as the 73rd header", many, 431},
        {"Authorization as the 63rd header", few, 200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int fd = connect_mock();
        send_all(fd, cases[i].data, strlen(cases[i].data));
        int status;
        int answers = count_answers(fd, REQ_TIMEOUT * 3, &status);
        close(fd);
        n_cases++;
        if (answers != 1 || status != cases[i].status)
            bad(cases[i].name, "%d answers, the first %d; wanted one %d", answers, status,
                cases[i].status);
    }
    state_unchanged("framing");
    end_cases("framing");
}

/* A body must be in by the deadline: --request-timeout after a worker took
 * the connection (the first request) or after the headers (later ones).
 * Reads are checked against it as they return (request.c), and civetweb
 * gives up on a read after --request-timeout without a byte, so:
 *   - a body that drips (a byte every 100 ms here) is cut off by the first
 *     byte after the deadline: 408 within one gap of it;
 *   - a body that stalls is refused --request-timeout after its last byte
 *     (never before the deadline, which that is never before): 408.
 * Without the deadline a dripping body was read for as long as it dripped,
 * and a stalled one answered 400 after one wait and closed after another. */
static void test_slow_bodies(void **state)
{
    (void)state;
    begin_cases();
    static const char head[] =
        "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 200\r\n\r\n{\"merchant_uid\":\"slow_order\"";
    enum { STALLED, DRIPPING, SLOW_HEADERS };
    static const char *const names[] = {"stalled body", "dripping body", "headers, then body"};
    for (int kind = STALLED; kind <= SLOW_HEADERS; kind++) {
        double t0 = now_ms(), answered = -1;
        int fd = connect_mock();
        size_t sent = 0;
        if (kind == SLOW_HEADERS) /* the first 60 bytes over 600 ms */
            for (; sent < 60; sent += 6, sleep_ms(60))
                send_all(fd, head + sent, 6);
        send_all(fd, head + sent, sizeof head - 1 - sent);
        double last_byte = now_ms() - t0;
        int status = 0;
        while (answered < 0 && now_ms() - t0 < REQ_TIMEOUT * 4) {
            if (kind == DRIPPING && send(fd, " ", 1, MSG_NOSIGNAL) == 1)
                last_byte = now_ms() - t0;
            struct pollfd pfd = {fd, POLLIN, 0};
            if (poll(&pfd, 1, kind == DRIPPING ? 100 : 50) > 0) {
                char b[512];
                ssize_t r = recv(fd, b, sizeof b - 1, 0);
                b[r > 0 ? r : 0] = '\0';
                sscanf(b, "HTTP/1.1 %d", &status);
                answered = now_ms() - t0;
            }
        }
        close(fd);
        /* dripping: by the deadline plus one gap (100 ms) and some slack;
         * stalled: --request-timeout after the last byte, with the same slack */
        double from = kind == DRIPPING ? REQ_TIMEOUT : last_byte + REQ_TIMEOUT;
        double to = kind == DRIPPING ? REQ_TIMEOUT + 100 + 300 : last_byte + REQ_TIMEOUT + 300;
        n_cases++;
        if (answered < 0)
            bad(names[kind], "still reading after %d ms", REQ_TIMEOUT * 4);
        else if (answered < from - 50 || answered > to || status != 408)
            bad(names[kind], "answered %d after %.0f ms; wanted 408 after %.0f to %.0f ms", status,
                answered, from, to);
    }
    state_unchanged("slow bodies");
    end_cases("slow bodies");
}

/* Workers held by dripping bodies come back at their deadline: with every
 * worker taken by one, a new client is served soon after the timeout
 * (without the deadline, never). */
static void test_dripping_clients_give_workers_back(void **state)
{
    (void)state;
    begin_cases();
    enum { WORKERS = 4 };
    struct mock D;
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", REQ_TIMEOUT);
    const char *args[] = {"--threads", "4", "--request-timeout", timeout, NULL};
    mock_start(&D, args);
    static const char head[] =
        "POST /payments/prepare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 5000\r\n\r\n{";
    int drip[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        drip[i] = connect_port(D.port);
        send_all(drip[i], head, sizeof head - 1);
    }
    sleep_ms(50); /* every worker has taken its dripping client */
    static const char ask[] =
        "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    double t0 = now_ms();
    int fd = connect_port(D.port);
    send_all(fd, ask, sizeof ask - 1);
    /* keep dripping while the new client waits for a worker */
    struct hres h = {0};
    bool done = false;
    while (!done && now_ms() - t0 < REQ_TIMEOUT * 4) {
        for (int i = 0; i < WORKERS; i++)
            send(drip[i], " ", 1, MSG_NOSIGNAL);
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, 100) > 0) {
            read_answer(fd, 1000, &h);
            done = true;
        }
    }
    double waited = now_ms() - t0;
    close(fd);
    for (int i = 0; i < WORKERS; i++)
        close(drip[i]);
    n_cases++;
    if (!done || h.status != 200 || waited > REQ_TIMEOUT + 100 + 500)
        bad("every worker held by a dripping body", "new client: %d after %.0f ms", h.status,
            waited);
    hres_free(&h);
    n_cases++;
    if (mock_stop(&D) != 0)
        bad("every worker held by a dripping body", "the server did not stop cleanly");
    end_cases("dripping clients");
}

/* Keep-alive clients gone idle keep their workers for --keep-alive-timeout
 * only, and while every worker holds a connection answers say
 * "Connection: close", so each client that asks gives its worker up; with
 * workers to spare nobody is closed. Without a keep-alive timeout of its own
 * (civetweb's was 30 s) a new client waited for it. */
static void test_idle_give_way(void **state)
{
    (void)state;
    begin_cases();
    enum { WORKERS = 8, KEEP_MS = 1000 };
    struct mock K;
    const char *args[] = {"--threads", "8", "--keep-alive-timeout", "1000", NULL};
    mock_start(&K, args);
    static const char ask[] = "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    static const char ask_close[] =
        "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    struct hres h;

    /* an idle keep-alive connection is closed after the keep-alive timeout */
    int one = connect_port(K.port);
    send_all(one, ask, sizeof ask - 1);
    read_answer(one, 3000, &h);
    double answered = now_ms();
    n_cases++;
    if (h.status != 200 || strcasecmp(h.connection, "keep-alive") != 0)
        bad("idle connection", "answer %d, Connection: %s", h.status, h.connection);
    hres_free(&h);
    struct pollfd pfd = {one, POLLIN, 0};
    char b;
    bool closed = poll(&pfd, 1, KEEP_MS * 4) > 0 && recv(one, &b, 1, 0) <= 0;
    double idle_for = now_ms() - answered;
    close(one);
    n_cases++;
    if (!closed || idle_for < KEEP_MS * 0.8 || idle_for > KEEP_MS + 500)
        bad("idle connection", "%s after %.0f ms; wanted closed after %d ms",
            closed ? "closed" : "still open", idle_for, KEEP_MS);

    /* half the workers idle: a new client is served, nobody is closed */
    int idle[WORKERS];
    for (int i = 0; i < WORKERS / 2; i++) {
        idle[i] = connect_port(K.port);
        send_all(idle[i], ask, sizeof ask - 1);
        read_answer(idle[i], 3000, &h);
        if (h.status != 200)
            fail_msg("idle client %d: %d", i, h.status);
        hres_free(&h);
    }
    double t0 = now_ms();
    raw_to(K.port, ask_close, sizeof ask_close - 1, &h);
    n_cases++;
    if (h.status != 200 || now_ms() - t0 > 300)
        bad("workers to spare", "new client: %d after %.0f ms", h.status, now_ms() - t0);
    hres_free(&h);
    for (int k = 0; k < WORKERS / 2; k++) {
        struct pollfd p = {idle[k], POLLIN, 0};
        n_cases++;
        if (poll(&p, 1, 0) != 0)
            bad("workers to spare", "idle client %d was closed", k);
        close(idle[k]);
    }
    sleep_ms(100); /* their workers see the close */

    /* every other worker held by a client that sends nothing (bounded by
     * --request-timeout, 15 s here): the answer that takes the last worker
     * says Connection: close */
    int silent[WORKERS];
    for (int i = 0; i < WORKERS - 1; i++)
        silent[i] = connect_port(K.port);
    sleep_ms(50); /* the workers have taken them */
    int fd = connect_port(K.port);
    send_all(fd, ask, sizeof ask - 1);
    read_answer(fd, 3000, &h);
    close(fd);
    n_cases++;
    if (h.status != 200 || strcasecmp(h.connection, "close") != 0)
        bad("last worker", "answer %d, Connection: %s; wanted close", h.status, h.connection);
    hres_free(&h);
    for (int i = 0; i < WORKERS - 1; i++)
        close(silent[i]);
    sleep_ms(100); /* their workers see the close */

    /* every worker held: seven idle keep-alive clients and one that sends
     * nothing; a new client gets the worker of the first idle one to time
     * out */
    for (int i = 0; i < WORKERS - 1; i++) {
        idle[i] = connect_port(K.port);
        send_all(idle[i], ask, sizeof ask - 1);
        read_answer(idle[i], 3000, &h);
        if (h.status != 200 || strcasecmp(h.connection, "keep-alive") != 0)
            fail_msg("idle client %d: %d, Connection: %s", i, h.status, h.connection);
        hres_free(&h);
    }
    silent[0] = connect_port(K.port);
    sleep_ms(50); /* a worker has taken it */
    t0 = now_ms();
    fd = connect_port(K.port);
    send_all(fd, ask, sizeof ask - 1);
    read_answer(fd, KEEP_MS * 4, &h);
    double waited = now_ms() - t0;
    close(fd);
    n_cases++;
    if (h.status != 200 || waited > KEEP_MS + 500)
        bad("every worker held", "new client: %d after %.0f ms; wanted within %d ms", h.status,
            waited, KEEP_MS);
    hres_free(&h);
    close(silent[0]);
    for (int i = 0; i < WORKERS - 1; i++)
        close(idle[i]);
    n_cases++;
    if (mock_stop(&K) != 0)
        bad("every worker held", "the server did not stop cleanly");
    end_cases("idle keep-alive clients");
}

/* Text a client stored (custom_data as a form string) that is parsed again
 * when shown: "[[[[..." 8000 deep must not take the worker's small stack. */
static void test_stored_text(void **state)
{
    (void)state;
    begin_cases();
    size_t depth = 7900;
    size_t cap = 64 + 2 * depth * 3 + 256;
    char *body = malloc(cap);
    if (!body)
        fail_msg("out of memory");
    size_t n = (size_t)snprintf(body, cap,
                                "user_code=imp00000000&merchant_uid=hostile_order&"
                                "amount=1000&pg=kakaopay&custom_data=");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)snprintf(body + n, cap - n, "%%5B");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)snprintf(body + n, cap - n, "%%5D");
    struct hres h;
    req("POST", "/checkout/open", NULL, "application/x-www-form-urlencoded", body, n, &h);
    free(body);
    cJSON *j = cJSON_ParseWithLength(h.body, h.len);
    const char *id = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "response"), "id"));
    if (h.status == 200 && id) {
        char target[256];
        snprintf(target, sizeof target, "/checkout/session/%s", id);
        struct hres s2;
        req("GET", target, NULL, NULL, NULL, 0, &s2);
        n_cases++;
        if (s2.status == 0 || s2.status >= 500)
            bad("deep custom_data shown back", "status %d", s2.status);
        hres_free(&s2);
    } else {
        n_cases++; /* refused up front is fine too, as long as it is a clear refusal */
        if (h.status < 400 || h.status > 499)
            bad("deep custom_data", "status %d %.200s", h.status, h.body);
    }
    cJSON_Delete(j);
    hres_free(&h);
    must_serve("stored text");
    end_cases("stored text");
}

/* ---- the access log ---- */

/* Paths that once forged a text line (%0A) or cut a JSON one (over 1 KB),
 * and bytes that are not UTF-8: each request must be exactly one whole line,
 * in either format. */
static void test_access_log(void **state)
{
    (void)state;
    begin_cases();
    static char long_id[4001], long_path[4200];
    memset(long_id, 'a', 4000);
    snprintf(long_path, sizeof long_path,
             "GET /payments/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", long_id);
    const char *const sent[] = {
        "GET /payments/x%0A127.0.0.1%20%22GET%20/forged%22%20200%200%200.1ms HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nConnection: close\r\n\r\n",
        long_path,
        "GET /payments/%ff%fe%22%5c%1b[31m HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: "
        "close\r\n\r\n",
        "GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    };
    const size_t n_sent = sizeof sent / sizeof *sent;
    static const char *const formats[] = {"text", "json"};
    for (size_t f = 0; f < 2; f++) {
        struct mock L;
        const char *args[] = {"--log-format", formats[f], NULL};
        mock_start_logged(&L, args);
        for (size_t i = 0; i < n_sent; i++) {
            struct hres h;
            raw_to(L.port, sent[i], strlen(sent[i]), &h);
            hres_free(&h);
        }
        char path[128];
        snprintf(path, sizeof path, "%s/log", L.dir);
        /* a line is written just after its answer: wait for them, bounded */
        char *log = NULL;
        for (double until = now_ms() + 3000; now_ms() < until; sleep_ms(20)) {
            free(log);
            log = file_read(path, NULL);
            size_t nl = 0;
            for (const char *c = log ? log : ""; *c; c++)
                nl += *c == '\n';
            if (nl >= n_sent + 1) /* the listening line, then one per request */
                break;
        }
        mock_stop(&L);
        if (!log)
            fail_msg("no access log in %s", path);
        size_t lines = 0, long_whole = 0; /* lines, and lines with the long path whole */
        for (char *line = log, *end; *line; line = end + 1) {
            end = strchr(line, '\n');
            if (!end)
                end = line + strlen(line) - 1; /* an unterminated last line */
            *end = '\0';
            if (strncmp(line, "impmock", 7) == 0)
                continue; /* the listening line and notices, not access lines */
            lines++;
            n_cases++;
            char label[64];
            snprintf(label, sizeof label, "%s access log line %zu", formats[f], lines);
            if (f == 1) {
                cJSON *j = cJSON_Parse(line);
                const char *p = json_str(j, "path");
                if (!p || !utf8_ok((const unsigned char *)line, strlen(line)))
                    bad(label, "not one whole JSON record: %.200s", line);
                else if (strstr(p, long_id))
                    long_whole++;
                cJSON_Delete(j);
            } else {
                /* "2026-01-02T03:04:05.678Z 127.0.0.1 - \"GET /...\" ... 0.1ms": the
                 * time, the address, no tenant (none logged in), the request */
                size_t len = strlen(line);
                if (len < 40 || line[4] != '-' || line[10] != 'T' || line[23] != 'Z' ||
                    strncmp(line + 24, " 127.0.0.1 - \"", 14) != 0 ||
                    strcmp(line + len - 2, "ms") != 0)
                    bad(label, "not one whole text record: %.200s", line);
                for (const char *c = line; *c; c++)
                    if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f) {
                        bad(label, "unescaped byte 0x%02x: %.200s", (unsigned char)*c, line);
                        break;
                    }
                if (strstr(line, long_id))
                    long_whole++;
            }
        }
        n_cases++;
        if (lines != n_sent || long_whole != 1)
            bad(formats[f],
                "%zu access lines for %zu requests, %zu with the long path whole:\n%.2000s", lines,
                n_sent, long_whole, log);
        free(log);
    }
    end_cases("access log");
}

/* ---- what the request journal shows: no secret, whatever its encoding ---- */

#define CARD_ESC                                                                                   \
    "\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032"                                     \
    "\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032\\u0034\\u0032"
#define CARD_PCT "%34%32%34%32%34%32%34%32%34%32%34%32%34%32%34%32"

struct secret_case {
    const char *name;
    const char *method, *target, *ctype, *body; /* body NULL: none */
};

/* Sent to a path no route takes (404, nothing changes), then read back
 * from GET /__mock/requests. Each value must come back masked. */
static const struct secret_case secret_cases[] = {
    {"JSON escapes", "POST", "/hostile/secrets", J,
     "{\"card_number\":\"" CARD_ESC "\",\"expiry\":\"2030-12\"}"},
    {"JSON escaped separators", "POST", "/hostile/secrets", J,
     "{\"card_number\":\"4242\\u002d4242\\u002d4242\\u002d4242\"}"},
    {"JSON escaped name", "POST", "/hostile/secrets", J,
     "{\"card\\u005fnumber\":\"4242424242424242\",\"b\\u0069rth\":\"880101\"}"},
    {"JSON numbers", "POST", "/hostile/secrets", J,
     "{\"card_number\":4242424242424242,\"birth\":880101,\"pwd_2digit\":97}"},
    {"JSON secret fields", "POST", "/hostile/secrets", J,
     "{\"birth\":\"880101\",\"pwd_2digit\":\"97\",\"cvc\":\"531\",\"imp_secret\":\"" TEST_IMP_SECRET
     "\"}"},
    {"JSON nested objects", "POST", "/hostile/secrets", J,
     "{\"customer\":{\"card_number\":\"" CARD_ESC
     "\",\"birth\":\"880101\",\"cards\":[{\"cvc\":\"531\",\"PWD_2DIGIT\":\"97\"}]}}"},
    {"JSON secret holding an object", "POST", "/hostile/secrets", J,
     "{\"imp_secret\":{\"a\":[\"" TEST_IMP_SECRET "\"]}}"},
    {"JSON control bytes between tokens", "POST", "/hostile/secrets", J,
     "{\"birth\":\x01\"880101\",\"imp_secret\"\x1f:\x02\"" TEST_IMP_SECRET "\"}"},
    {"malformed JSON", "POST", "/hostile/secrets", J,
     "{\"card_number\":\"" CARD_ESC "\",\"birth\":\"880101\""},
    {"form %-escapes", "POST", "/hostile/secrets", F, "card_number=" CARD_PCT "&expiry=2030-12"},
    {"form '+'", "POST", "/hostile/secrets", F, "card_number=4242+4242+4242+4242&birth=880101"},
    {"form escaped separators", "POST", "/hostile/secrets", F,
     "card_number=4242%2D4242%204242%2B4242"},
    {"form escaped names", "POST", "/hostile/secrets", F,
     "card%5Fnumber=4242424242424242&imp%5Fsecret=" TEST_IMP_SECRET},
    {"form arrays", "POST", "/hostile/secrets", F,
     "schedules[0][card_number]=" CARD_PCT
     "&schedules[0][birth]=880101&customer%5Bpwd_2digit%5D=97&cvc[]=531"},
    {"query string", "GET",
     "/hostile/secrets?card_number=" CARD_PCT "&birth=880101&imp_secret=" TEST_IMP_SECRET, NULL,
     NULL},
    {"path", "GET", "/hostile/secrets/" CARD_PCT, NULL, NULL},
    {"plain text", "POST", "/hostile/secrets", "text/plain", "my card: 4242 4242 4242 4242"},
    {"cut at the journal's limit", "POST", "/hostile/secrets", J, NULL}, /* built below */
};

/* %XX and '+' decoded in place (what a form reader sees). */
static void form_decoded(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        unsigned hi, lo;
        if (*r == '%' && sscanf(r + 1, "%1x%1x", &hi, &lo) == 2) {
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = *r == '+' ? ' ' : *r;
        }
    }
    *w = '\0';
}

static bool is_secret_name(const char *name)
{
    static const char *const names[] = {"card_number", "birth", "pwd_2digit", "cvc", "imp_secret"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(name, names[i]) == 0)
            return true;
    return false;
}

/* A masked value: only '*' (and a card number's kept 6 + 4 digits and separators). */
static bool masked_value(const char *name, const char *v)
{
    size_t digits = 0;
    for (const char *p = v; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p != '*' && *p != '-' && *p != ' ')
            return false;
    }
    return strcasecmp(name, "card_number") == 0 ? digits <= 10 : digits == 0;
}

/* The longest run of digits, '-', ' ' and '+' between them not counted. */
static size_t longest_digit_run(const char *s)
{
    size_t best = 0, run = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            best = ++run > best ? run : best;
        else if (!(run && (*s == '-' || *s == ' ' || *s == '+')))
            run = 0;
    }
    return best;
}

/* Secret fields anywhere in a decoded JSON value hold masks only. */
static void check_json_fields(const char *label, const cJSON *v)
{
    for (const cJSON *c = v ? v->child : NULL; c; c = c->next) {
        if (c->string && is_secret_name(c->string)) {
            char *text = cJSON_IsString(c) ? strdup(c->valuestring) : cJSON_PrintUnformatted(c);
            n_cases++;
            /* a secret holding an object: every string in it is masked */
            bool ok = cJSON_IsString(c) ? masked_value(c->string, text)
                                        : longest_digit_run(text) == 0 && !strstr(text, "ekKoeW8R");
            if (!ok)
                bad(label, "%s shown as %s", c->string, text);
            free(text);
        }
        check_json_fields(label, c);
    }
}

/* The same for a form body or query string. */
static void check_form_fields(const char *label, const char *text)
{
    char *copy = strdup(text);
    char *save = NULL;
    for (char *pair = strtok_r(copy, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        if (!eq)
            continue;
        *eq = '\0';
        form_decoded(pair);
        form_decoded(eq + 1);
        /* the last name in brackets: schedules[0][birth] -> birth */
        char *name = pair, *open;
        while ((open = strrchr(name, '[')) != NULL) {
            char *inner = open + 1;
            inner[strcspn(inner, "]")] = '\0';
            if (*inner && strspn(inner, "0123456789") != strlen(inner)) {
                name = inner;
                break;
            }
            *open = '\0';
        }
        n_cases++;
        if (is_secret_name(name) && !masked_value(name, eq + 1))
            bad(label, "%s shown as %s", name, eq + 1);
    }
    free(copy);
}

/* No card number (more than the 6 digits a masked one keeps in a row),
 * birth date or imp_secret in a decoded text. */
static void check_text(const char *label, const char *text)
{
    n_cases++;
    if (longest_digit_run(text) > 6)
        bad(label, "a card number shows: %.300s", text);
    n_cases++;
    if (strstr(text, "880101") || strstr(text, "ekKoeW8R"))
        bad(label, "birth or imp_secret shows: %.300s", text);
}

/* The same for every key and string of a JSON value, as decoded. */
static void check_json_texts(const char *label, const cJSON *v)
{
    if (v && v->string)
        check_text(label, v->string);
    if (cJSON_IsString(v))
        check_text(label, v->valuestring);
    for (const cJSON *c = v ? v->child : NULL; c; c = c->next)
        check_json_texts(label, c);
}

/* A shown entry: secret fields masked, and no secret in any text. */
static void check_shown(const char *label, const cJSON *e)
{
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(e, "request_body");
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "path"));
    char *target = strdup(path ? path : "");
    char *q = strchr(target, '?');
    if (q)
        check_form_fields(label, q + 1);
    form_decoded(target);
    check_text(label, target);
    free(target);
    if (cJSON_IsString(body)) {
        char *text = strdup(body->valuestring);
        check_form_fields(label, text);
        form_decoded(text);
        check_text(label, text);
        free(text);
    } else {
        check_json_fields(label, body);
        check_json_texts(label, body);
    }
}

static void test_journal_hides_secrets(void **state)
{
    (void)state;
    begin_cases();
    /* a number across the journal's cut: each \x01 takes 6 bytes shown as
     * "\u0001", and the cut leaves 12 of the 16 digits */
    size_t n = 0, ctl = 10919;
    char *cut = malloc(ctl + 64);
    if (!cut)
        fail_msg("out of memory");
    n += (size_t)sprintf(cut, "{\"x\":\"a");
    memset(cut + n, 1, ctl);
    n += ctl;
    n += (size_t)sprintf(cut + n, "4242424242424242\"}");
    size_t count = sizeof secret_cases / sizeof *secret_cases;
    for (size_t i = 0; i < count; i++) {
        const struct secret_case *c = &secret_cases[i];
        const char *body = c->body ? c->body : strcmp(c->method, "POST") == 0 ? cut : NULL;
        struct hres h;
        req(c->method, c->target, NULL, c->ctype, body, body ? strlen(body) : 0, &h);
        n_cases++;
        if (h.status != 404 && h.status != 400)
            bad(c->name, "status %d, wanted a refusal", h.status);
        hres_free(&h);
    }
    free(cut);
    char target[128];
    snprintf(target, sizeof target, "/__mock/requests?path=/hostile/secrets&limit=%zu", count);
    struct hres h;
    req("GET", target, admin_line, NULL, NULL, 0, &h);
    cJSON *list = cJSON_ParseWithLength(h.body, h.len);
    n_cases++;
    if (h.status != 200 || cJSON_GetArraySize(list) != (int)count)
        fail_msg("journal: %d, %d entries of %zu", h.status, cJSON_GetArraySize(list), count);
    for (size_t i = 0; i < count; i++)
        check_shown(secret_cases[i].name, cJSON_GetArrayItem(list, (int)i));
    cJSON_Delete(list);
    hres_free(&h);
    must_serve("journal secrets"); /* (test_stored_text opened a payment window) */
    end_cases("journal secrets");
}

/* ---- what the request journal keeps and answers is bounded ---- */

/* A header of a libcurl answer (harness http_res.headers), or NULL. */
static const char *res_header(const struct http_res *r, const char *name, char *out, size_t cap)
{
    char head[4200];
    snprintf(head, sizeof head, "\r\n%s", r->headers);
    return find_header(head, name, out, cap);
}

static void test_journal_bounded(void **state)
{
    (void)state;
    begin_cases();
    struct mock jm;
    const char *args[] = {"--journal-size", "300", "--journal-page-limit", "1048576", NULL};
    mock_start(&jm, args);
    /* 300 bodies of 70 KB of \x01: each would be written 6 times over ("\u0001") */
    size_t big = 70000;
    char *body = malloc(big + 1);
    if (!body)
        fail_msg("out of memory");
    memset(body, 1, big);
    body[big] = '\0';
    for (int i = 0; i < 300; i++) {
        struct http_res r;
        http_do(&jm, "POST", "/payments/prepare", "application/json", body, NULL, &r);
        http_res_free(&r);
    }
    free(body);
    /* page by page, newest first: every entry once, each answer within the limit */
    uint64_t before = 0, last_seq = UINT64_MAX;
    int seen = 0, pages = 0;
    for (; pages < 100; pages++) {
        char target[96];
        snprintf(target, sizeof target, "/__mock/requests%s", before ? "?before=" : "");
        if (before)
            snprintf(target + strlen(target), sizeof target - strlen(target), "%llu",
                     (unsigned long long)before);
        struct http_res r;
        http_do(&jm, "GET", target, NULL, NULL, NULL, &r);
        n_cases++;
        if (r.status != 200 || r.len > 1048576 || !cJSON_IsArray(r.json))
            bad("journal page", "status %ld, %zu bytes", r.status, r.len);
        int n = cJSON_GetArraySize(r.json);
        for (int i = n - 1; i >= 0; i--) {
            const cJSON *e = cJSON_GetArrayItem(r.json, i);
            uint64_t seq = (uint64_t)json_num(e, "seq");
            const char *rb = json_str(e, "request_body");
            n_cases++;
            if (seq >= last_seq || !rb || strlen(rb) > 65536 / 6)
                bad("journal entry", "seq %llu after %llu, body of %zu bytes",
                    (unsigned long long)seq, (unsigned long long)last_seq, rb ? strlen(rb) : 0);
            last_seq = seq;
            seen++;
        }
        char next[32];
        bool more = res_header(&r, "X-Mock-Next-Before", next, sizeof next) != NULL;
        http_res_free(&r);
        if (!more)
            break;
        before = strtoull(next, NULL, 10);
    }
    n_cases++;
    if (seen != 300 || pages < 2)
        bad("journal pages", "%d entries in %d pages, wanted 300 in several", seen, pages + 1);
    assert_int_equal(mock_stop(&jm), 0);
    end_cases("journal bounds");
}

/* ---- exposure ---- */

/* impmock's start-up output with these arguments (bounded: stopped after 5 s). */
static char *start_output(const char *env, const char *args)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s timeout -k 2 5 %s --port 0 --quiet %s 2>&1", env,
             getenv("IMPMOCK_BIN"), args);
    FILE *p = popen(cmd, "r");
    if (!p)
        fail_msg("popen: %s", strerror(errno));
    static char out[4096];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

static void test_exposure(void **state)
{
    (void)state;
    begin_cases();
    /* 192.0.2.1 (TEST-NET-1) is on no interface: start-up fails to bind, so
     * nothing listens beyond loopback, but the warning comes first */
    char *out = start_output("", "--host 192.0.2.1");
    n_cases++;
    if (!strstr(out, "warning: listening on 192.0.2.1"))
        bad("no admin token on a public address", "no warning: %s", out);
    out = start_output("IMPMOCK_ADMIN_TOKEN=t", "--host 192.0.2.1");
    n_cases++;
    if (strstr(out, "warning"))
        bad("admin token on a public address", "warned: %s", out);

    /* the admin token from a file: in force, and not in the process list */
    char path[64];
    snprintf(path, sizeof path, "/tmp/impmock-token-%d", (int)getpid());
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("%s: %s", path, strerror(errno));
    fputs("token-from-a-file\n", f);
    fclose(f);
    struct mock tm;
    const char *args[] = {"--admin-token-file", path, NULL};
    mock_start(&tm, args);
    struct http_res r;
    http_do(&tm, "GET", "/__mock/requests", NULL, NULL, NULL, &r);
    n_cases++;
    if (r.status != 401)
        bad("control API without the file's token", "status %ld", r.status);
    http_res_free(&r);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)tm.port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    static const char with_token[] =
        "GET /__mock/requests HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "X-Admin-Token: token-from-a-file\r\nConnection: close\r\n\r\n";
    struct hres h = {0};
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        send_all(fd, with_token, sizeof with_token - 1))
        read_answer(fd, 5000, &h);
    if (fd >= 0)
        close(fd);
    n_cases++;
    if (h.status != 200)
        bad("control API with the file's token", "status %d", h.status);
    hres_free(&h);
    char proc[64], cmdline[4096] = "";
    snprintf(proc, sizeof proc, "/proc/%d/cmdline", (int)tm.pid);
    f = fopen(proc, "rb");
    size_t n = f ? fread(cmdline, 1, sizeof cmdline - 1, f) : 0;
    if (f)
        fclose(f);
    for (size_t i = 0; i < n; i++)
        cmdline[i] = cmdline[i] ? cmdline[i] : ' ';
    n_cases++;
    if (!n || strstr(cmdline, "token-from-a-file"))
        bad("process list", "the token shows: %s", cmdline);
    assert_int_equal(mock_stop(&tm), 0);
    remove(path);
    end_cases("exposure");
}

int main(void)
{
    /* test_stored_text opens a payment window (a payment appears), so the
     * tests that compare the state with the baseline come before it */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_table),
        cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_bodies),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_path_ids),
        cmocka_unit_test(test_traversal),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_control_chars),
        cmocka_unit_test(test_transport),
        cmocka_unit_test(test_slow_clients),
        cmocka_unit_test(test_framing),
        cmocka_unit_test(test_slow_bodies),
        cmocka_unit_test(test_dripping_clients_give_workers_back),
        cmocka_unit_test(test_idle_give_way),
        cmocka_unit_test(test_stored_text),
        cmocka_unit_test(test_access_log),
        cmocka_unit_test(test_journal_hides_secrets),
        cmocka_unit_test(test_journal_bounded),
        cmocka_unit_test(test_exposure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
