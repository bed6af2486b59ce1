/* server.c - see server.h. */
#include "http/server.h"

#include "domain/auth.h"
#include "http/api.h"
#include "http/envelope.h"
#include "http/form.h"
#include "infra/clock.h"
#include "infra/journal.h"
#include "infra/json.h"
#include "infra/scenario.h"
#include "infra/secret.h"
#include "infra/utf8.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SEGMENTS 16

struct server {
    struct mg_context *ctx;
    struct app *app;
    struct server_opts opts;
    int port;
};

static const char *status_text(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 207:
        return "Multi-Status";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ;
}

/* Splits a path into segments in place; returns count or -1 when too many. */
static int split_path(char *path, char **segs)
{
    int n = 0;
    char *p = path;
    while (*p == '/')
        p++;
    while (*p) {
        if (n == MAX_SEGMENTS)
            return -1;
        segs[n++] = p;
        char *slash = strchr(p, '/');
        if (!slash)
            break;
        *slash = '\0';
        p = slash + 1;
    }
    return n;
}

/* Whether the request's segments fit the route pattern ("{}" takes any one
 * segment into args). Walks the pattern in place: every request is tried
 * against the routes in order, and copying each pattern cost more than the rest. */
static bool pattern_matches(const char *pattern, char **segs, int nsegs, char **args, size_t *nargs)
{
    const char *p = pattern;
    size_t na = 0;
    while (*p == '/')
        p++;
    for (int i = 0; i < nsegs; i++) {
        if (!*p)
            return false; /* the pattern is shorter */
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '{' && p[1] == '}') {
            if (!segs[i][0] || na == REQ_MAX_ARGS)
                return false;
            args[na++] = segs[i];
        } else if (strncmp(p, segs[i], n) != 0 || segs[i][n] != '\0') {
            return false;
        }
        p += n;
        if (*p == '/')
            p++;
    }
    if (*p)
        return false; /* the pattern is longer */
    *nargs = na;
    return true;
}

/* Reads the whole body up to limit; returns malloc'd buffer (NUL-terminated) or NULL.
 * *too_large is set when the body exceeds limit, *ret_broken when it ended
 * before its Content-Length or its chunked framing was bad (never act on a
 * cut body: "amount=10000" cut short is a valid "amount=100"). */
static char *read_body(struct mg_connection *conn, long long declared, size_t limit,
                       size_t *ret_len, bool *too_large, bool *ret_broken)
{
    *too_large = false;
    *ret_broken = false;
    *ret_len = 0;
    if (declared > (long long)limit) {
        *too_large = true;
        return NULL;
    }
    size_t cap = declared > 0 ? (size_t)declared + 1 : 4096;
    char *buf = malloc(cap);
    size_t len = 0;
    if (!buf)
        return NULL;
    for (;;) {
        if (len + 1 >= cap) {
            if (cap > limit + 1) {
                *too_large = true;
                free(buf);
                return NULL;
            }
            size_t ncap = cap * 2 > limit + 2 ? limit + 2 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        int got = mg_read(conn, buf + len, cap - len - 1);
        if (got < 0)
            *ret_broken = true;
        if (got <= 0)
            break;
        len += (size_t)got;
        if (len > limit) {
            *too_large = true;
            free(buf);
            return NULL;
        }
    }
    if (declared > 0 && len < (size_t)declared)
        *ret_broken = true;
    buf[len] = '\0';
    *ret_len = len;
    return buf;
}

static const char *find_token(struct mg_connection *conn, const struct params *p)
{
    const char *auth = mg_get_header(conn, "Authorization");
    if (auth && *auth) {
        while (*auth == ' ')
            auth++;
        if (strncasecmp(auth, "Bearer ", 7) == 0) {
            auth += 7;
            while (*auth == ' ')
                auth++;
        }
        return auth;
    }
    const char *legacy = mg_get_header(conn, "X-ImpTokenHeader");
    if (legacy && *legacy)
        return legacy;
    const cJSON *q = p->query ? cJSON_GetObjectItemCaseSensitive(p->query, "_token") : NULL;
    return cJSON_IsString(q) ? q->valuestring : NULL;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

static bool body_is_json(const char *ctype, const char *body, size_t len)
{
    if (ctype && contains_ci(ctype, "json"))
        return true;
    if (ctype && contains_ci(ctype, "x-www-form-urlencoded"))
        return false;
    /* missing or odd content type: guess from the first byte */
    for (size_t i = 0; i < len; i++) {
        if (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')
            continue;
        return body[i] == '{' || body[i] == '[';
    }
    return false;
}

static void access_log(const struct server *srv, const struct req *r, const char *uri, double ms)
{
    char line[1024];
    if (srv->opts.log_json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "time", (double)clock_now());
        cJSON_AddStringToObject(o, "remote", r->remote_addr ? r->remote_addr : "");
        cJSON_AddStringToObject(o, "method", r->method);
        cJSON_AddStringToObject(o, "path", uri);
        cJSON_AddNumberToObject(o, "status", r->reply.status);
        cJSON_AddNumberToObject(o, "bytes", (double)r->reply.len);
        cJSON_AddNumberToObject(o, "ms", (double)((long)(ms * 1000)) / 1000.0);
        char *text = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!text)
            return;
        snprintf(line, sizeof line, "%s\n", text);
        cJSON_free(text);
    } else {
        snprintf(line, sizeof line, "%s \"%s %.400s\" %d %zu %.3fms\n",
                 r->remote_addr ? r->remote_addr : "-", r->method, uri, r->reply.status,
                 r->reply.len, ms);
    }
    fputs(line, stdout);
    fflush(stdout);
}

static char *put_text(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *put_uint(char *p, size_t v)
{
    char digits[24], *d = digits + sizeof digits;
    do {
        *--d = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    size_t n = (size_t)(digits + sizeof digits - d);
    memcpy(p, d, n);
    return p + n;
}

static void send_reply(struct mg_connection *conn, const struct reply *rep, bool head_only,
                       bool keep_alive)
{
    const char *parts[] = {"HTTP/1.1 ",
                           NULL /* status */,
                           " ",
                           status_text(rep->status),
                           "\r\nContent-Type: ",
                           rep->content_type ? rep->content_type
                                             : "application/json; charset=UTF-8",
                           "\r\nContent-Length: ",
                           NULL /* length */,
                           "\r\nAccess-Control-Allow-Origin: *\r\nCache-Control: no-store\r\n",
                           rep->extra_headers ? rep->extra_headers : "",
                           "Connection: ",
                           keep_alive ? "keep-alive" : "close",
                           "\r\n\r\n"};
    size_t cap = 48; /* the two numbers */
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        cap += parts[i] ? strlen(parts[i]) : 0;
    size_t body = head_only ? 0 : rep->len;
    /* head and body in one buffer and one write (some clients read only the
     * first chunk of a body); the head is put together by hand, as snprintf
     * cost a tenth of the CPU of a small answer */
    char *out = malloc(cap + body);
    if (!out) {
        char line[48];
        snprintf(line, sizeof line, "HTTP/1.1 %d ", rep->status);
        mg_write(conn, line, strlen(line));
        for (size_t i = 3; i < sizeof parts / sizeof *parts; i++) {
            if (!parts[i])
                snprintf(line, sizeof line, "%zu", rep->len);
            mg_write(conn, parts[i] ? parts[i] : line, strlen(parts[i] ? parts[i] : line));
        }
        if (body)
            mg_write(conn, rep->body, body);
        return;
    }
    char *p = out;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (parts[i])
            p = put_text(p, parts[i]);
        else
            p = put_uint(p, i == 1 ? (size_t)(rep->status > 0 ? rep->status : 0) : rep->len);
    }
    if (body)
        memcpy(p, rep->body, body);
    mg_write(conn, out, (size_t)(p - out) + body);
    free(out);
}

/* Headers at once, then the body a few bytes at a time (a slow upstream). */
static void send_drip(struct mg_connection *conn, const struct reply *rep, int drip_ms)
{
    char hdr[512];
    int hl = snprintf(hdr, sizeof hdr,
                      "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                      "Connection: close\r\n\r\n",
                      rep->status, status_text(rep->status),
                      rep->content_type ? rep->content_type : "application/json", rep->len);
    mg_write(conn, hdr, (size_t)hl);
    size_t chunk = rep->len / 20 + 1; /* at most ~20 pauses, whatever the size */
    for (size_t off = 0; off < rep->len; off += chunk) {
        size_t n = rep->len - off < chunk ? rep->len - off : chunk;
        if (mg_write(conn, rep->body + off, n) <= 0)
            break;
        sleep_ms(drip_ms);
    }
}

static bool wants_keep_alive(struct mg_connection *conn, const struct mg_request_info *ri)
{
    const char *c = mg_get_header(conn, "Connection");
    if (c && strcasecmp(c, "close") == 0)
        return false;
    if (ri->http_version && strcmp(ri->http_version, "1.0") == 0)
        return c && strcasecmp(c, "keep-alive") == 0;
    return true;
}

static const char *param_text(const struct params *p, const char *name)
{
    const cJSON *it = param_item(p, name, NULL);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Asks the scenario engine about this request at the transport layer. */
static bool transport_effect(struct server *srv, struct req *r, struct scn_effect *ret)
{
    enum scn_op op = r->route->op;
    char route[300];
    snprintf(route, sizeof route, "%s %.280s", r->method, r->path);
    struct merchant m;
    const char *imp_key = NULL;
    if (r->tid >= 0 && store_tenant_merchant(srv->app->store, r->tid, &m))
        imp_key = m.imp_key;
    else if (op == SCN_OP_TOKEN)
        imp_key = param_text(&r->params, "imp_key");
    struct scn_call call = {.op = op,
                            .route = route,
                            .imp_key = imp_key,
                            .merchant_uid = param_text(&r->params, "merchant_uid"),
                            .customer_uid = param_text(&r->params, "customer_uid"),
                            .pg = param_text(&r->params, "pg")};
    /* ids given in the path count as the fields they name */
    for (size_t i = 0; i < r->nargs; i++) {
        if (r->route->args[i] == ARG_CUSTOMER_UID && !call.customer_uid)
            call.customer_uid = r->args[i];
        else if (r->route->args[i] == ARG_MERCHANT_UID && !call.merchant_uid)
            call.merchant_uid = r->args[i];
    }
    int64_t amount;
    struct params probe = r->params;
    if (param_amount(&probe, "amount", false, &amount, &call.has_amount) && call.has_amount)
        call.amount = amount;
    else
        call.has_amount = false;
    return scenario_match(&call, SCN_TRANSPORT, ret);
}

/* Applies a transport effect the scenarios script for this request; true
 * when that answered it (the handler must not run). Not inlined: its 4 KB
 * effect would otherwise sit in every request's stack frame, scenarios or
 * not, and a deeper stack is resident memory in each of the many workers. */
__attribute__((noinline)) static bool scripted_answer(struct server *srv, struct req *r)
{
    struct scn_effect eff;
    if (!transport_effect(srv, r, &eff))
        return false;
    if (eff.delay_ms)
        sleep_ms(eff.delay_ms);
    r->fault = eff.kind;
    r->drip_ms = eff.drip_ms;
    if (eff.kind == SCN_HTTP) {
        size_t len = strlen(eff.body);
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, eff.body, len + 1);
            reply_owned(&r->reply, eff.http_status, "application/json; charset=UTF-8", copy, len);
        } else {
            envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        }
        return true;
    }
    if (eff.kind == SCN_CLOSE)
        return true;
    if (eff.kind == SCN_EXPIRE_TOKEN) {
        if (r->tid >= 0)
            store_token_expire(srv->app->store, r->tid);
        envelope_fail(&r->reply, MOCK_UNAUTHORIZED, NULL);
        return true;
    }
    return false;
}

static void dispatch(struct server *srv, struct mg_connection *conn,
                     const struct mg_request_info *ri, struct req *r, char *body, size_t body_len,
                     bool too_large)
{
    char pathbuf[2048];
    char *segs[MAX_SEGMENTS];
    char err[256];
    const char *uri = ri->local_uri ? ri->local_uri : "/";

    if (strcmp(r->method, "OPTIONS") == 0) {
        /* CORS preflight for pages on other origins */
        static const char cors[] =
            "Access-Control-Allow-Methods: GET, POST, PUT, DELETE, OPTIONS\r\n"
            "Access-Control-Allow-Headers: Authorization, Content-Type, "
            "X-ImpTokenHeader, Tier\r\n"
            "Access-Control-Max-Age: 600\r\n";
        reply_static(&r->reply, 204, "text/plain", "", 0);
        r->reply.extra_headers = cors;
        return;
    }
    if (strlen(uri) >= sizeof pathbuf) {
        envelope_fail(&r->reply, MOCK_NO_ROUTE, "(경로가 너무 깁니다)");
        return;
    }
    /* ids from the path end up in messages, the journal and the log: the
     * answer must stay valid UTF-8 whatever %XX the client sent */
    if (!utf8_valid(uri, strlen(uri))) {
        envelope_fail(&r->reply, MOCK_BAD_PATH_ENCODING, NULL);
        return;
    }
    memcpy(pathbuf, uri, strlen(uri) + 1);
    int nsegs = split_path(pathbuf, segs);
    const struct route *match = NULL;
    bool path_known = false;
    for (size_t i = 0; nsegs >= 0 && i < route_count; i++) {
        const struct route *rt = &route_table[i];
        size_t nargs;
        char *args[REQ_MAX_ARGS];
        if (!pattern_matches(rt->pattern, segs, nsegs, args, &nargs))
            continue;
        path_known = true;
        bool method_ok = strcmp(rt->method, r->method) == 0 ||
                         (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0);
        if (method_ok) {
            match = rt;
            memcpy(r->args, args, sizeof args);
            r->nargs = nargs;
            break;
        }
    }
    if (!match) {
        if (path_known)
            envelope_fail(&r->reply, MOCK_METHOD_NOT_ALLOWED, r->method);
        else
            envelope_fail(&r->reply, MOCK_NO_ROUTE, uri);
        return;
    }
    if (too_large) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", srv->app->body_limit);
        envelope_fail(&r->reply, MOCK_BODY_TOO_LARGE, lim);
        return;
    }
    cJSON *query = NULL, *parsed = NULL;
    if (ri->query_string && *ri->query_string) {
        query = form_parse(ri->query_string, strlen(ri->query_string), err, sizeof err);
        if (!query) {
            envelope_fail(&r->reply, MOCK_BAD_PARAM, err);
            return;
        }
    }
    r->params.query = query;
    if (body && body_len > 0) {
        const char *ctype = mg_get_header(conn, "Content-Type");
        if (body_is_json(ctype, body, body_len)) {
            if (!utf8_valid(body, body_len)) {
                envelope_fail(&r->reply, MOCK_BAD_ENCODING, NULL);
                goto out;
            }
            parsed = json_parse_object(body, body_len, err, sizeof err);
            if (!parsed) {
                envelope_fail(&r->reply, MOCK_BAD_JSON, err);
                goto out;
            }
        } else {
            parsed = form_parse(body, body_len, err, sizeof err);
            if (!parsed) {
                envelope_fail(&r->reply, MOCK_BAD_PARAM, err);
                goto out;
            }
            r->params.body_is_form = true;
        }
        r->params.body = parsed;
    }
    if (match->auth == AUTH_TOKEN) {
        if (auth_resolve(srv->app->store, find_token(conn, &r->params), &r->tid) != MOCK_OK) {
            envelope_fail(&r->reply, MOCK_UNAUTHORIZED, NULL);
            r->reply.extra_headers = "WWW-Authenticate: iamport\r\n";
            goto out;
        }
    } else if (match->auth == AUTH_ADMIN && srv->app->admin_token) {
        const char *given = mg_get_header(conn, "X-Admin-Token");
        if (!given || !secret_equal(given, srv->app->admin_token)) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "error", "control API needs header X-Admin-Token");
            envelope_plain(&r->reply, 401, o);
            goto out;
        }
    }
    r->route = match;
    if (match->op != OP_NONE && scenario_any() && scripted_answer(srv, r))
        goto out;
    match->fn(r);
    if (!r->reply.status)
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
out:
    cJSON_Delete(query);
    cJSON_Delete(parsed);
    r->params.query = NULL;
    r->params.body = NULL;
}

static int handle(struct mg_connection *conn, void *cbdata)
{
    struct server *srv = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    double t0 = mono_ms();
    struct req r;
    memset(&r, 0, sizeof r);
    r.app = srv->app;
    r.method = ri->request_method ? ri->request_method : "GET";
    r.path = ri->local_uri ? ri->local_uri : "/";
    r.tid = -1;
    r.user_agent = mg_get_header(conn, "User-Agent");
    r.remote_addr = ri->remote_addr;

    size_t body_len = 0;
    bool too_large = false, broken = false;
    char *body = NULL;
    if (ri->content_length != 0 && strcmp(r.method, "GET") != 0 && strcmp(r.method, "HEAD") != 0)
        body = read_body(conn, ri->content_length, srv->app->body_limit, &body_len, &too_large,
                         &broken);
    if (broken)
        envelope_fail(&r.reply, MOCK_BODY_INCOMPLETE, NULL);
    else
        dispatch(srv, conn, ri, &r, body, body_len, too_large);
    bool keep_alive = !too_large && !broken && wants_keep_alive(conn, ri);
    bool no_answer = r.fault == SCN_CLOSE || r.fault == SCN_DROP_ANSWER;
    /* journal before answering: a client that reads /__mock/requests right
     * after its answer must find the request there */
    if (strncmp(r.path, "/__mock/", 8) != 0)
        journal_record(r.tid, r.method, r.path, ri->query_string, no_answer ? 499 : r.reply.status,
                       body, body_len, no_answer ? "" : r.reply.body, no_answer ? 0 : r.reply.len);
    if (no_answer) {
        /* nothing written and no keep-alive: civetweb closes the connection
         * once this handler returns, and the client reads no byte */
        mg_disable_connection_keep_alive(conn);
        reply_fini(&r.reply);
        r.reply.status = 499; /* logged as "client saw no answer" */
    } else if (r.fault == SCN_TRUNCATE) {
        r.reply.len /= 2; /* a consistent frame around a body cut mid-JSON */
        send_reply(conn, &r.reply, false, keep_alive);
    } else if (r.fault == SCN_DRIP) {
        send_drip(conn, &r.reply, r.drip_ms);
    } else {
        send_reply(conn, &r.reply, strcmp(r.method, "HEAD") == 0, keep_alive);
    }
    if (!srv->opts.quiet)
        access_log(srv, &r, r.path, mono_ms() - t0);
    int status = r.reply.status;
    reply_fini(&r.reply);
    free(body);
    return status;
}

/* civetweb refuses some requests before any handler runs (unknown method,
 * malformed request line or headers, bad Content-Length, HTTP version): answer
 * those in the envelope too, with civetweb's status, and close. */
static int on_http_error(struct mg_connection *conn, int status, const char *errmsg)
{
    static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *method = ri ? ri->request_method : NULL;
    char shown[48];
    size_t n = 0;
    /* only printable ASCII of what the client sent goes into the message */
    for (const char *p = errmsg ? errmsg : ""; *p && n < 40; p++)
        if (*p >= 0x20 && *p < 0x7f)
            shown[n++] = *p;
    shown[n] = '\0';
    bool unknown_method = false;
    if (status == 400 && method && *method) {
        unknown_method = true;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            unknown_method = unknown_method && strcmp(method, known[i]) != 0;
    }
    struct reply rep;
    memset(&rep, 0, sizeof rep);
    if (unknown_method) {
        n = 0;
        for (const char *p = method; *p && n < 32; p++)
            if (*p > 0x20 && *p < 0x7f)
                shown[n++] = *p;
        shown[n] = '\0';
        envelope_fail(&rep, MOCK_METHOD_NOT_ALLOWED, shown);
    } else {
        envelope_fail(&rep, MOCK_BAD_HTTP, shown);
        if (status >= 400 && status <= 599)
            rep.status = status;
    }
    send_reply(conn, &rep, false, false);
    reply_fini(&rep);
    return 0;
}

static int log_message(const struct mg_connection *conn, const char *message)
{
    (void)conn;
    fprintf(stderr, "impmock: civetweb: %s\n", message);
    return 1;
}

struct server *server_start(struct app *app, const struct server_opts *o, char *err, size_t errlen)
{
    struct server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    srv->app = app;
    srv->opts = *o;
    char ports[128], threads[16];
    bool v6 = strchr(o->host, ':') != NULL;
    if (v6 && !mg_check_feature(MG_FEATURES_IPV6)) {
        snprintf(err, errlen,
                 "--host %s: this civetweb library was built without IPv6 support "
                 "(Debian's is); use an IPv4 address such as 127.0.0.1",
                 o->host);
        free(srv);
        return NULL;
    }
    snprintf(ports, sizeof ports, v6 ? "[%s]:%d" : "%s:%d", o->host, o->port);
    snprintf(threads, sizeof threads, "%d", o->threads);
    char timeout_ms[16];
    snprintf(timeout_ms, sizeof timeout_ms, "%d",
             o->request_timeout_ms > 0 ? o->request_timeout_ms : 15000);
    const char *options[] = {"listening_ports",
                             ports,
                             "num_threads",
                             threads,
                             "enable_keep_alive",
                             "yes",
                             "keep_alive_timeout_ms",
                             "30000",
                             "request_timeout_ms",
                             timeout_ms,
                             "tcp_nodelay",
                             "1",
                             NULL};
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.log_message = log_message;
    cb.http_error = on_http_error;
    srv->ctx = mg_start(&cb, srv, options);
    if (!srv->ctx) {
        snprintf(err, errlen, "cannot listen on %s (address in use or not available)", ports);
        free(srv);
        return NULL;
    }
    mg_set_request_handler(srv->ctx, "/", handle, srv);
    struct mg_server_port sp[4];
    int n = mg_get_server_ports(srv->ctx, 4, sp);
    srv->port = n > 0 ? sp[0].port : o->port;
    return srv;
}

int server_port(const struct server *srv)
{
    return srv->port;
}

/* civetweb's listener sleeps in poll() for up to two seconds between checks
 * of its stop flag; a connection to ourselves wakes it at once, so a stop
 * (every test's teardown) takes milliseconds instead. */
static void *wake_listener(void *arg)
{
    const struct server *srv = arg;
    for (int i = 0; i < 20; i++) { /* bounded: up to ~2 s, as long as the wait it saves */
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return NULL;
        struct sockaddr_in sa;
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)srv->port);
        const char *host = strcmp(srv->opts.host, "0.0.0.0") == 0 ? "127.0.0.1" : srv->opts.host;
        if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
            close(fd);
            return NULL; /* a name, not an address: let civetweb take its time */
        }
        int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
        close(fd);
        if (rc != 0)
            return NULL; /* the listener is closed: the server has stopped */
    }
    return NULL;
}

void server_stop(struct server *srv)
{
    if (!srv)
        return;
    pthread_t waker;
    bool woke = pthread_create(&waker, NULL, wake_listener, srv) == 0;
    mg_stop(srv->ctx);
    if (woke)
        pthread_join(waker, NULL);
    free(srv);
}
