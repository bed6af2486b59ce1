/* server.c - see server.h. */
#include "http/server.h"

#include "http/access_log.h"
#include "http/api.h"
#include "http/conns.h"
#include "http/control.h"
#include "http/envelope.h"
#include "http/framing.h"
#include "http/guard.h"
#include "http/request.h"
#include "http/scripted.h"
#include "http/send.h"
#include "infra/journal.h"
#include "infra/scenario.h"
#include "infra/utf8.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct server {
    struct mg_context *ctx;
    struct app *app;
    struct server_opts opts;
    struct conns *conns; /* each connection's socket and state (deadlines, giving way) */
    int timeout_ms;      /* the request timeout in force */
    struct guard *guard; /* read-only while serving */
    int port;
};

/* Ids never hold a control character: a path that decoded to one (see
 * framing_path), or an id field of the query or body with one. The 400 is
 * fitted to the operation's statuses like every answer (dispatch). */
static bool ids_clean(struct req *r, bool path_control)
{
    bool control = control_answers(r);
    if (path_control)
        control_refuse(r, MOCK_ID_CONTROL_CHAR, control ? "the path" : "요청 경로");
    else if (param_ids_clean(&r->params))
        return true;
    else if (control)
        control_fail_params(&r->reply, &r->params);
    else
        envelope_fail_params(&r->reply, &r->params);
    return false;
}

/* Adds "Allow: ..." to a 405: the methods the path takes (RFC 9110 15.5.6). */
static void add_allow(struct req *r)
{
    char methods[96];
    route_allow(r->path, methods, sizeof methods);
    size_t n = strlen(methods) + 10;
    char *h = malloc(n);
    if (!h)
        return;
    snprintf(h, n, "Allow: %s\r\n", methods);
    free(r->reply.headers_owned);
    r->reply.extra_headers = r->reply.headers_owned = h;
}

enum route_lookup {
    ROUTE_FOUND,
    ROUTE_TOO_LONG,
    ROUTE_BAD_ENCODING,
    ROUTE_WRONG_METHOD,
    ROUTE_NONE
};

/* Finds r->route and r->args (pointing into pathbuf), once a request: the
 * guard asks the route's face before route_refuse renders a miss. */
static enum route_lookup route_lookup(struct req *r, char *pathbuf, size_t cap)
{
    size_t len = strlen(r->path);
    if (len >= cap)
        return ROUTE_TOO_LONG;
    /* ids from the path end up in messages, the journal and the log: the
     * answer must stay valid UTF-8 whatever %XX the client sent */
    if (!utf8_valid(r->path, len))
        return ROUTE_BAD_ENCODING;
    memcpy(pathbuf, r->path, len + 1);
    bool path_known;
    r->route = route_find(r->method, pathbuf, r->args, &r->nargs, &path_known);
    return r->route ? ROUTE_FOUND : path_known ? ROUTE_WRONG_METHOD : ROUTE_NONE;
}

/* true when the request has a route; false with the 404 or 405 rendered. */
static bool route_refuse(struct req *r, enum route_lookup found)
{
    switch (found) {
    case ROUTE_FOUND:
        return true;
    case ROUTE_TOO_LONG:
        control_refuse(r, MOCK_NO_ROUTE,
                       control_answers(r) ? "(a path that long)" : "(경로가 너무 깁니다)");
        break;
    case ROUTE_BAD_ENCODING:
        control_refuse(r, MOCK_BAD_PATH_ENCODING, NULL);
        break;
    case ROUTE_WRONG_METHOD:
        control_refuse(r, MOCK_METHOD_NOT_ALLOWED, r->method);
        add_allow(r);
        break;
    case ROUTE_NONE:
        control_refuse(r, MOCK_NO_ROUTE, r->path);
        break;
    }
    return false;
}

/* Renders r->reply for one request: who may ask (guard.c), routing,
 * limits, parsing, credentials, then a scenario's scripted answer or the
 * route's handler. */
static void dispatch(const struct server *srv, struct mg_connection *conn,
                     const struct mg_request_info *ri, struct req *r, enum route_lookup found,
                     const char *body, size_t body_len, bool too_large, bool path_control)
{
    if (!guard_admit(srv->guard, conn, r) || !route_refuse(r, found) ||
        !guard_control_call(conn, r))
        return;
    if (too_large) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", r->app->body_limit);
        control_refuse(r, MOCK_BODY_TOO_LARGE, lim);
        return;
    }
    cJSON *query, *parsed;
    bool scripted = false;
    if (request_parse_params(r, conn, ri->query_string, body, body_len, &query, &parsed) &&
        ids_clean(r, path_control) && request_authorize(r, conn)) {
        scripted = r->route->op != OP_NONE && scenario_any() && scripted_answer(r);
        if (!scripted)
            r->route->fn(r);
        if (!r->reply.status)
            control_refuse(r, MOCK_INTERNAL, NULL);
    }
    /* only the statuses the operation lists; a scenario's scripted answer
     * is sent as written (it is the test's own fault injection) */
    if (!scripted)
        route_fit_status(r->route, &r->reply);
    r->params.query = r->params.body = NULL;
    cJSON_Delete(query);
    cJSON_Delete(parsed);
}

/* A body that stopped coming (late) or ended early; the message names the timeout. */
static void refuse_broken_body(struct req *r, bool late, int timeout_ms)
{
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", timeout_ms);
    control_refuse(r, late ? MOCK_BODY_TIMEOUT : MOCK_BODY_INCOMPLETE, timeout);
}

static int handle(struct mg_connection *conn, void *cbdata)
{
    struct server *srv = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    struct conn *c = mg_get_user_connection_data(conn);
    double t0 = conns_now_ms();
    double deadline = conns_begin(srv->conns, c);
    struct req r;
    memset(&r, 0, sizeof r);
    r.app = srv->app;
    r.method = ri->request_method ? ri->request_method : "GET";
    bool path_control = false;
    char *path = framing_path(ri->local_uri ? ri->local_uri : "/", &path_control);
    r.path = path ? path : "/";
    r.tid = -1;
    r.user_agent = mg_get_header(conn, "User-Agent");
    r.window_key = mg_get_header(conn, "X-Impmock-Window");
    r.remote_addr = ri->remote_addr;

    char pathbuf[2048]; /* r.args point into it */
    enum route_lookup found = route_lookup(&r, pathbuf, sizeof pathbuf);
    bool framed = path && framing_check(ri, control_answers(&r), &r.reply);
    struct body_read got = {0};
    char *body = NULL;
    if (framed && ri->content_length != 0 && strcmp(r.method, "GET") != 0 &&
        strcmp(r.method, "HEAD") != 0)
        body = request_read_body(conn, ri->content_length, srv->app->body_limit, deadline, &got);
    if (!path)
        envelope_fail(&r.reply, MOCK_INTERNAL, NULL);
    else if (!framed)
        ; /* refused by framing_check */
    else if (got.broken)
        refuse_broken_body(&r, got.late, srv->timeout_ms);
    else
        dispatch(srv, conn, ri, &r, found, body, got.len, got.too_large, path_control);
    r.reply.cors_headers = r.cors;
    /* a connection whose framing is in doubt, whose body was not read to
     * its end, or while every worker holds one, is not kept */
    bool keep_alive = framed && !got.too_large && !got.broken && request_keep_alive(conn, ri) &&
                      conns_may_keep_alive(srv->conns);
    if (!keep_alive)
        mg_disable_connection_keep_alive(conn);
    bool no_answer = r.fault == SCN_CLOSE || r.fault == SCN_DROP_ANSWER;
    /* journal before answering: a client that reads /__mock/requests right
     * after its answer must find the request there */
    if (strncmp(r.path, "/__mock/", 8) != 0) {
        struct journal_header headers[64];
        size_t n_headers = 0;
        for (int i = 0; i < ri->num_headers && n_headers < 64; i++)
            if (ri->http_headers[i].name && ri->http_headers[i].value)
                headers[n_headers++] =
                    (struct journal_header){ri->http_headers[i].name, ri->http_headers[i].value};
        journal_record(r.tid, r.method, r.path, ri->query_string, no_answer ? 499 : r.reply.status,
                       body, got.len, no_answer ? "" : r.reply.body, no_answer ? 0 : r.reply.len,
                       headers, n_headers);
    }
    send_answer(conn, &r, keep_alive);
    conns_end(c);
    if (!srv->opts.quiet)
        access_log_write(&r, conns_now_ms() - t0);
    int status = r.reply.status;
    reply_fini(&r.reply);
    free(body);
    free(path);
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
    conns_set_answered(mg_get_user_connection_data(conn));
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
    /* the answer's shape follows the path, as for every other refusal */
    struct req r;
    memset(&r, 0, sizeof r);
    /* only the request line's fields are this request's when civetweb
     * refuses it: local_uri may still be the previous request's on the
     * connection; request_uri is as sent (not decoded) */
    char target[2048] = "/";
    const char *uri = ri ? ri->request_uri : NULL;
    if (uri && uri[0] == '/')
        snprintf(target, sizeof target, "%.*s", (int)strcspn(uri, "?"), uri);
    r.path = target;
    r.method = method && *method ? method : "GET";
    if (unknown_method) {
        n = 0;
        for (const char *p = method; *p && n < 32; p++)
            if (*p > 0x20 && *p < 0x7f)
                shown[n++] = *p;
        shown[n] = '\0';
        control_refuse(&r, MOCK_METHOD_NOT_ALLOWED, shown);
        add_allow(&r);
    } else {
        control_refuse(&r, MOCK_BAD_HTTP, shown);
        if (status >= 400 && status <= 599)
            r.reply.status = status;
    }
    send_reply(conn, &r.reply, false, false);
    reply_fini(&r.reply);
    return 0;
}

/* A worker took a new connection. */
static int on_init_connection(const struct mg_connection *conn, void **conn_data)
{
    struct server *srv = mg_get_user_data(mg_get_context(conn));
    *conn_data = conns_open(srv->conns);
    return 0;
}

/* civetweb closes conn. A request it parsed but routed to no handler (an
 * absolute-form target for another host or port, or "*") gets no answer
 * from civetweb at all: it gets one here, while the socket is still open. */
static void on_connection_close(const struct mg_connection *conn)
{
    struct server *srv = mg_get_user_data(mg_get_context(conn));
    struct conn *c = mg_get_user_connection_data(conn);
    const struct mg_request_info *ri = mg_get_request_info(conn);
    if (ri && ri->request_uri && !ri->local_uri && !conns_answered(c)) {
        struct reply rep;
        memset(&rep, 0, sizeof rep);
        framing_unrouted_reply(&rep);
        /* the callback gets a const connection; writing the answer is the
         * one thing done with it, before civetweb closes the socket */
        send_reply((struct mg_connection *)conn, &rep, false, false);
        reply_fini(&rep);
    }
    conns_close(srv->conns, c);
}

static int log_message(const struct mg_connection *conn, const char *message)
{
    (void)conn;
    fprintf(stderr, "impmock: civetweb: %s\n", message);
    return 1;
}

/* Who may call what is decided by impmock (auth.c for tokens, guard.c for
 * the rest). Without an authorization handler civetweb looks for a
 * .htpasswd file on every request (a failed stat of /.htpasswd, with no
 * document root) and, were one there, would answer 401 itself. */
static int allow_all(struct mg_connection *conn, void *cbdata)
{
    (void)conn;
    (void)cbdata;
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
    srv->guard = guard_new(o->host, o->allowed_hosts, o->n_allowed_hosts, o->cors_origins,
                           o->n_cors_origins);
    if (!srv->guard) {
        snprintf(err, errlen, "out of memory");
        free(srv);
        return NULL;
    }
    char ports[128], threads[16];
    bool v6 = strchr(o->host, ':') != NULL;
    if (v6 && !mg_check_feature(MG_FEATURES_IPV6)) {
        snprintf(err, errlen,
                 "--host %s: this civetweb library was built without IPv6 support "
                 "(Debian's is); use an IPv4 address such as 127.0.0.1",
                 o->host);
        guard_free(srv->guard);
        free(srv);
        return NULL;
    }
    snprintf(ports, sizeof ports, v6 ? "[%s]:%d" : "%s:%d", o->host, o->port);
    snprintf(threads, sizeof threads, "%d", o->threads);
    char timeout_ms[16], keep_alive_ms[16];
    srv->timeout_ms = o->request_timeout_ms > 0 ? o->request_timeout_ms : 15000;
    snprintf(timeout_ms, sizeof timeout_ms, "%d", srv->timeout_ms);
    snprintf(keep_alive_ms, sizeof keep_alive_ms, "%d",
             o->keep_alive_timeout_ms > 0 ? o->keep_alive_timeout_ms : 5000);
    srv->conns = conns_new(o->threads, srv->timeout_ms);
    if (!srv->conns) {
        snprintf(err, errlen, "out of memory");
        guard_free(srv->guard);
        free(srv);
        return NULL;
    }
    /* an idle keep-alive connection keeps its worker for the keep-alive
     * timeout, which civetweb also applies to the headers of the
     * connection's later requests (counted from the previous answer): a
     * short one lets idle clients give way (conns.h) */
    /* empty access_control_*: civetweb would answer every CORS preflight
     * itself, for any origin, before our handler; guard.c decides */
    const char *options[] = {"listening_ports",
                             ports,
                             "num_threads",
                             threads,
                             "enable_keep_alive",
                             "yes",
                             "keep_alive_timeout_ms",
                             keep_alive_ms,
                             "request_timeout_ms",
                             timeout_ms,
                             "decode_url",
                             "no", /* framing_path decodes, and sees a %00 */
                             "tcp_nodelay",
                             "1",
                             "access_control_allow_methods",
                             "",
                             "access_control_allow_origin",
                             "",
                             NULL};
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.log_message = log_message;
    cb.http_error = on_http_error;
    cb.init_connection = on_init_connection;
    cb.connection_close = on_connection_close;
    srv->ctx = mg_start(&cb, srv, options);
    if (!srv->ctx) {
        snprintf(err, errlen, "cannot listen on %s (address in use or not available)", ports);
        conns_free(srv->conns);
        guard_free(srv->guard);
        free(srv);
        return NULL;
    }
    mg_set_auth_handler(srv->ctx, "/", allow_all, NULL);
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
    conns_free(srv->conns);
    guard_free(srv->guard);
    free(srv);
}
