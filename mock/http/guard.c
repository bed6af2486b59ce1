/* guard.c - see guard.h. */
#include "http/guard.h"

#include "http/control.h"
#include "http/envelope.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define NAME_MAX_LEN 253 /* the longest DNS name */

struct guard {
    char **names; /* Host names answered besides IP addresses and localhost */
    size_t n_names;
    bool any_host; /* --allowed-host '*': no Host check */
    struct cors_origin {
        char *origin; /* a --cors-origin value */
        char *line;   /* its "Access-Control-Allow-Origin: ..." lines */
    } * origins;
    size_t n_origins;
    bool any_origin; /* --cors-origin '*' */
};

static const char allow_any[] = "Access-Control-Allow-Origin: *\r\n";

/* clang-format off */
static const char preflight_rest[] =
    "Access-Control-Allow-Methods: GET, POST, PUT, DELETE, OPTIONS\r\n"
    "Access-Control-Allow-Headers: Authorization, Content-Type, X-ImpTokenHeader, Tier\r\n"
    "Access-Control-Max-Age: 600\r\n";
static const char preflight_checkout[] =
    "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n"
    "Access-Control-Allow-Headers: Content-Type, X-Impmock-Window\r\n"
    "Access-Control-Max-Age: 600\r\n";
/* Chromium asks before a public page reaches a private address (Private
 * Network Access); only the browser half answers yes */
static const char preflight_checkout_pna[] =
    "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n"
    "Access-Control-Allow-Headers: Content-Type, X-Impmock-Window\r\n"
    "Access-Control-Max-Age: 600\r\n"
    "Access-Control-Allow-Private-Network: true\r\n";
/* clang-format on */

static bool add_copy(char ***list, size_t *n, const char *s)
{
    char **grown = realloc(*list, (*n + 1) * sizeof **list);
    if (!grown)
        return false;
    *list = grown;
    grown[*n] = strdup(s);
    if (!grown[*n])
        return false;
    (*n)++;
    return true;
}

static bool add_origin(struct guard *g, const char *origin)
{
    if (strcmp(origin, "*") == 0) {
        g->any_origin = true;
        return true;
    }
    struct cors_origin *grown = realloc(g->origins, (g->n_origins + 1) * sizeof *grown);
    if (!grown)
        return false;
    g->origins = grown;
    char line[512];
    snprintf(line, sizeof line, "Access-Control-Allow-Origin: %s\r\nVary: Origin\r\n", origin);
    struct cors_origin o = {strdup(origin), strdup(line)};
    if (!o.origin || !o.line) {
        free(o.origin);
        free(o.line);
        return false;
    }
    g->origins[g->n_origins++] = o;
    return true;
}

struct guard *guard_new(const char *listen_host, const char *const *allowed_hosts,
                        size_t n_allowed_hosts, const char *const *cors_origins,
                        size_t n_cors_origins)
{
    struct guard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    bool ok = true;
    /* this machine's own name: a container is often reached by it */
    char self[NAME_MAX_LEN + 2] = "";
    if (gethostname(self, sizeof self - 1) == 0 && self[0])
        ok = add_copy(&g->names, &g->n_names, self);
    if (ok && listen_host && listen_host[0])
        ok = add_copy(&g->names, &g->n_names, listen_host);
    for (size_t i = 0; ok && i < n_allowed_hosts; i++) {
        if (strcmp(allowed_hosts[i], "*") == 0)
            g->any_host = true;
        else
            ok = add_copy(&g->names, &g->n_names, allowed_hosts[i]);
    }
    for (size_t i = 0; ok && i < n_cors_origins; i++)
        ok = add_origin(g, cors_origins[i]);
    if (!ok) {
        guard_free(g);
        return NULL;
    }
    return g;
}

void guard_free(struct guard *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n_names; i++)
        free(g->names[i]);
    for (size_t i = 0; i < g->n_origins; i++) {
        free(g->origins[i].origin);
        free(g->origins[i].line);
    }
    free(g->names);
    free(g->origins);
    free(g);
}

/* The name of a Host value ("name", "name:port", "[v6]", "[v6]:port") into
 * name, brackets and one trailing dot dropped; false when malformed. */
static bool host_name(const char *host, char *name, size_t cap, bool *ret_v6)
{
    const char *start = host, *end;
    *ret_v6 = host[0] == '[';
    if (*ret_v6) {
        start = host + 1;
        end = strchr(start, ']');
        if (!end)
            return false;
    } else {
        end = start + strcspn(start, ":");
    }
    size_t len = (size_t)(end - start);
    const char *port = *ret_v6 ? end + 1 : end;
    if (*port == ':') {
        size_t digits = strspn(port + 1, "0123456789");
        if (digits == 0 || digits > 5)
            return false;
        port += 1 + digits;
    }
    if (*port || len == 0 || len >= cap)
        return false;
    memcpy(name, start, len);
    name[len] = '\0';
    if (!*ret_v6 && len > 1 && name[len - 1] == '.')
        name[len - 1] = '\0';
    return true;
}

bool guard_host_allowed(const struct guard *g, const char *host)
{
    if (!host || !host[0] || g->any_host)
        return true; /* no Host: an HTTP/1.0 client, never a browser */
    char name[NAME_MAX_LEN + 2];
    bool v6;
    if (!host_name(host, name, sizeof name, &v6))
        return false;
    /* an address cannot be rebound: only a DNS name can point a page's
     * origin at this server */
    struct in6_addr addr;
    if (v6)
        return inet_pton(AF_INET6, name, &addr) == 1;
    if (inet_pton(AF_INET, name, &addr) == 1 || strcasecmp(name, "localhost") == 0)
        return true;
    for (size_t i = 0; i < g->n_names; i++)
        if (strcasecmp(name, g->names[i]) == 0)
            return true;
    return false;
}

bool guard_same_origin(const char *origin, const char *host)
{
    if (!origin || !host)
        return false;
    const char *authority = strncasecmp(origin, "http://", 7) == 0    ? origin + 7
                            : strncasecmp(origin, "https://", 8) == 0 ? origin + 8
                                                                      : NULL;
    return authority && strcasecmp(authority, host) == 0;
}

/* The Access-Control-Allow-Origin line a page on `origin` gets, or NULL. */
static const char *cors_for(const struct guard *g, enum route_face family, const char *origin)
{
    if (family == FACE_CHECKOUT || (family == FACE_REST && g->any_origin))
        return allow_any;
    if (family != FACE_REST || !origin)
        return NULL;
    for (size_t i = 0; i < g->n_origins; i++)
        if (strcasecmp(origin, g->origins[i].origin) == 0)
            return g->origins[i].line;
    return NULL;
}

/* Printable ASCII of a header value, for a message. */
static void shown(const char *value, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = value ? value : ""; *p && n + 1 < cap; p++)
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            out[n++] = *p;
    out[n] = '\0';
}

static void refuse_host(struct req *r, enum route_face family, const char *host)
{
    char name[128];
    shown(host, name, sizeof name);
    if (family == FACE_CONTROL)
        control_fail(&r->reply, CONTROL_HOST_NOT_ALLOWED, name);
    else
        envelope_fail(&r->reply, MOCK_HOST_NOT_ALLOWED, name);
}

static void refuse_origin(struct req *r, enum route_face family, const char *origin)
{
    char from[128];
    shown(origin ? origin : "-", from, sizeof from);
    if (family == FACE_REST)
        envelope_fail(&r->reply, MOCK_CROSS_ORIGIN, from);
    else
        control_fail(&r->reply, CONTROL_CROSS_ORIGIN, from);
}

static void answer_preflight(struct mg_connection *conn, struct req *r, enum route_face family,
                             const char *origin)
{
    if (family == FACE_CHECKOUT) {
        const char *pna = mg_get_header(conn, "Access-Control-Request-Private-Network");
        reply_static(&r->reply, 204, "text/plain", "", 0);
        r->reply.extra_headers =
            pna && strcasecmp(pna, "true") == 0 ? preflight_checkout_pna : preflight_checkout;
    } else if (family == FACE_REST && r->cors) {
        reply_static(&r->reply, 204, "text/plain", "", 0);
        r->reply.extra_headers = preflight_rest;
    } else {
        refuse_origin(r, family, origin);
    }
}

bool guard_admit(const struct guard *g, struct mg_connection *conn, struct req *r)
{
    enum route_face family = route_face_of_req(r); /* routed already (server.c) */
    const char *host = mg_get_header(conn, "Host");
    if (!guard_host_allowed(g, host)) {
        refuse_host(r, family, host);
        return false;
    }
    const char *origin = mg_get_header(conn, "Origin");
    r->cors = cors_for(g, family, origin);
    if (strcmp(r->method, "OPTIONS") == 0) {
        answer_preflight(conn, r, family, origin);
        return false;
    }
    if (family != FACE_CHECKOUT && origin && !r->cors && !guard_same_origin(origin, host)) {
        refuse_origin(r, family, origin);
        return false;
    }
    return true;
}

/* Content-Type application/json, parameters allowed: a type no web form
 * and no "simple" cross-origin fetch can send. */
static bool is_json_type(const char *ctype)
{
    if (!ctype)
        return false;
    ctype += strspn(ctype, " \t");
    if (strncasecmp(ctype, "application/json", 16) != 0)
        return false;
    char next = ctype[16];
    return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

static bool has_value(const char *header)
{
    return header && header[0];
}

bool guard_control_call(struct mg_connection *conn, struct req *r)
{
    /* by the route's pattern: the canonical path, whatever slashes came */
    if (r->route->face != FACE_CONTROL || strcmp(r->method, "GET") == 0 ||
        strcmp(r->method, "HEAD") == 0)
        return true;
    if (is_json_type(mg_get_header(conn, "Content-Type")) ||
        has_value(mg_get_header(conn, "X-Impmock")) ||
        has_value(mg_get_header(conn, "X-Admin-Token")))
        return true;
    control_fail(&r->reply, CONTROL_CONTROL_HEADER_REQUIRED, NULL);
    return false;
}
