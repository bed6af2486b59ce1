/* request.c - see request.h. */
#include "http/request.h"

#include "domain/auth.h"
#include "http/conns.h"
#include "http/control.h"
#include "http/envelope.h"
#include "http/form.h"
#include "infra/json.h"
#include "infra/secret.h"
#include "infra/utf8.h"

#include <civetweb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How much one mg_read may ask for. civetweb returns from mg_read only once
 * it has every byte asked for, or after --request-timeout without any, so
 * the deadline can be checked only between reads, and a read of n bytes may
 * outlast it by up to n waits for a byte. A read asks for one byte at
 * first and after any read that had to wait; each read that found its bytes
 * waiting (no clock tick passed) lets the next ask for twice as many, up to
 * BODY_READ_MAX. A body sent whole takes a few reads; a dripping one is read
 * a byte at a time, and one that alternates bursts and drips outlasts the
 * deadline by at most BODY_READ_MAX waits. The clock is the coarse one:
 * civetweb reads the clock itself on every mg_read, and two fine readings
 * more per read made small reads cost more than the request. */
#define BODY_READ_MAX 64

char *request_read_body(struct mg_connection *conn, long long declared, size_t limit,
                        double deadline, struct body_read *ret)
{
    memset(ret, 0, sizeof *ret);
    if (declared > (long long)limit) {
        ret->too_large = true;
        return NULL;
    }
    size_t cap = declared > 0 ? (size_t)declared + 1 : 4096;
    char *buf = malloc(cap);
    size_t len = 0, step = 1;
    double before = conns_coarse_ms();
    if (!buf)
        return NULL;
    for (;;) {
        if (len + 1 >= cap) {
            if (cap > limit + 1) {
                ret->too_large = true;
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
        size_t want = cap - len - 1 < step ? cap - len - 1 : step;
        int got = mg_read(conn, buf + len, want);
        double now = conns_coarse_ms();
        if (got < 0)
            ret->broken = true;
        if (got <= 0)
            break;
        len += (size_t)got;
        if (len > limit) {
            ret->too_large = true;
            free(buf);
            return NULL;
        }
        if (declared > 0 && len == (size_t)declared)
            break; /* whole, even if its last byte came late */
        if (declared > 0 && (size_t)got < want) {
            /* civetweb stops short of a Content-Length body only when the
             * client closed or went --request-timeout without a byte (a
             * chunked body's reads stop at the end of each chunk) */
            ret->broken = true;
            break;
        }
        if (now >= deadline) {
            ret->late = ret->broken = true;
            break;
        }
        if (now > before)
            step = 1;
        else if (step < BODY_READ_MAX)
            step *= 2;
        before = now;
    }
    if (declared > 0 && len < (size_t)declared)
        ret->broken = true;
    /* civetweb gives up on a body after --request-timeout without a byte,
     * which is past the deadline too */
    if (ret->broken && conns_now_ms() >= deadline)
        ret->late = true;
    buf[len] = '\0';
    ret->len = len;
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

bool request_parse_params(struct req *r, struct mg_connection *conn, const char *query_string,
                          const char *body, size_t body_len, cJSON **ret_query, cJSON **ret_body)
{
    char err[256];
    *ret_query = *ret_body = NULL;
    if (query_string && *query_string) {
        *ret_query = form_parse(query_string, strlen(query_string), err, sizeof err);
        if (!*ret_query) {
            control_refuse(r, MOCK_BAD_PARAM, err);
            return false;
        }
        r->params.query = *ret_query;
    }
    if (!body || body_len == 0) {
        param_index(&r->params);
        return true;
    }
    if (!body_is_json(mg_get_header(conn, "Content-Type"), body, body_len)) {
        *ret_body = form_parse(body, body_len, err, sizeof err);
        if (!*ret_body) {
            control_refuse(r, MOCK_BAD_PARAM, err);
            return false;
        }
        r->params.body_is_form = true;
    } else if (!utf8_valid(body, body_len)) {
        control_refuse(r, MOCK_BAD_ENCODING, NULL);
        return false;
    } else if (!(*ret_body = json_parse_object(body, body_len, err, sizeof err))) {
        control_refuse(r, MOCK_BAD_JSON, err);
        return false;
    }
    r->params.body = *ret_body;
    param_index(&r->params);
    return true;
}

bool request_authorize(struct req *r, struct mg_connection *conn)
{
    if (r->route->auth == AUTH_TOKEN) {
        if (auth_resolve(r->app->store, find_token(conn, &r->params), &r->tid) != MOCK_OK) {
            envelope_fail(&r->reply, MOCK_UNAUTHORIZED, NULL);
            r->reply.extra_headers = "WWW-Authenticate: iamport\r\n";
            return false;
        }
    } else if (r->route->auth == AUTH_ADMIN && r->app->admin_token) {
        const char *given = mg_get_header(conn, "X-Admin-Token");
        if (!given || !secret_equal(given, r->app->admin_token)) {
            control_fail(&r->reply, CONTROL_ADMIN_TOKEN_REQUIRED, NULL);
            return false;
        }
    }
    return true;
}

bool request_keep_alive(struct mg_connection *conn, const struct mg_request_info *ri)
{
    const char *c = mg_get_header(conn, "Connection");
    if (c && strcasecmp(c, "close") == 0)
        return false;
    if (ri->http_version && strcmp(ri->http_version, "1.0") == 0)
        return c && strcasecmp(c, "keep-alive") == 0;
    return true;
}
