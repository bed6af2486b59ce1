/* access_log.c - see access_log.h. */
#include "http/access_log.h"

#include "infra/clock.h"
#include "infra/utf8.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* s with what could break or forge a line written as \xHH: in text, every
 * byte but printable ASCII (and '"' and '\\', which delimit the request);
 * for JSON, only bytes that are not well-formed UTF-8 (cJSON escapes the
 * controls). Owned; NULL when out of memory. */
static char *escaped(const char *s, bool keep_utf8)
{
    size_t len = strlen(s);
    char *out = malloc(len * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t seq = keep_utf8 ? utf8_seq_len(s + i, len - i) : 0;
        if (seq > 0 || (!keep_utf8 && c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            seq = seq ? seq : 1;
            memcpy(out + o, s + i, seq);
            o += seq;
            i += seq;
        } else {
            o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

static struct store *log_store; /* set before any line, read-only after */
static bool log_json;

void access_log_start(struct store *s, bool json)
{
    log_store = s;
    log_json = json;
}

/* t (unix ms) as RFC 3339 in UTC: "2026-01-02T03:04:05.678Z" (millis) or
 * "2026-01-02T03:04:05Z" (whole seconds). */
static void rfc3339(int64_t ms, bool millis, char out[32])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&secs, &tm)) {
        snprintf(out, 32, "?");
        return;
    }
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    if (millis)
        snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
    else
        snprintf(out + n, 32 - n, "Z");
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Both times: wall clock always, impmock's clock when it is more than a
 * second away from it (a test moved it). */
struct log_times {
    char wall[32];
    char virt[32]; /* "" when it follows the wall clock */
};

static void times_now(struct log_times *t)
{
    int64_t wall = wall_ms();
    int64_t virt = clock_now();
    rfc3339(wall, true, t->wall);
    t->virt[0] = '\0';
    if (virt - wall / 1000 > 1 || wall / 1000 - virt > 1)
        rfc3339(virt * 1000, false, t->virt);
}

/* The envelope's code of an answer, when its body is the envelope. */
static bool envelope_code(const struct reply *rep, long *ret_code)
{
    static const char head[] = "{\"code\":";
    if (!rep->body || rep->len <= sizeof head - 1 || memcmp(rep->body, head, sizeof head - 1) != 0)
        return false;
    char *end = NULL;
    long code = strtol(rep->body + sizeof head - 1, &end, 10);
    if (end == rep->body + sizeof head - 1)
        return false;
    *ret_code = code;
    return true;
}

/* A refusal: an error name, or an envelope code other than 0. */
static const char *refusal_of(const struct reply *rep, bool has_code, long code)
{
    if (rep->refusal && strcmp(rep->refusal, "OK") != 0)
        return rep->refusal;
    /* only a scenario's scripted answer carries a code of no table row */
    return has_code && code != 0 ? "SCRIPTED" : NULL;
}

/* Writes one line (with its newline) in one call. */
static void put_line(char *line)
{
    if (!line)
        return;
    fputs(line, stdout);
    fflush(stdout);
    free(line);
}

/* A cJSON object printed as a line; NULL on OOM. Takes o. */
static char *json_text(cJSON *o)
{
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *line = malloc(n + 2);
    if (line) {
        memcpy(line, text, n);
        memcpy(line + n, "\n", 2);
    }
    cJSON_free(text);
    return line;
}

struct request_line {
    const struct req *r;
    const char *method, *path; /* escaped */
    const char *key;           /* imp_key or NULL */
    bool has_code;
    long code;
    const char *refusal;
    double ms;
    struct log_times t;
};

static char *json_line(const struct request_line *l)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "time", l->t.wall);
    if (l->t.virt[0])
        cJSON_AddStringToObject(o, "clock", l->t.virt);
    cJSON_AddStringToObject(o, "kind", "request");
    cJSON_AddStringToObject(o, "remote", l->r->remote_addr ? l->r->remote_addr : "");
    if (l->key)
        cJSON_AddStringToObject(o, "imp_key", l->key);
    else
        cJSON_AddNullToObject(o, "imp_key");
    cJSON_AddStringToObject(o, "method", l->method);
    cJSON_AddStringToObject(o, "path", l->path);
    cJSON_AddNumberToObject(o, "status", l->r->reply.status);
    if (l->has_code)
        cJSON_AddNumberToObject(o, "code", (double)l->code);
    if (l->refusal)
        cJSON_AddStringToObject(o, "error", l->refusal);
    cJSON_AddNumberToObject(o, "bytes", (double)l->r->reply.len);
    cJSON_AddNumberToObject(o, "ms", (double)((long)(l->ms * 1000)) / 1000.0);
    return json_text(o);
}

static char *text_line(const struct request_line *l)
{
    const char *remote = l->r->remote_addr ? l->r->remote_addr : "-";
    char code[24] = "";
    if (l->has_code)
        snprintf(code, sizeof code, " code=%ld", l->code);
    size_t cap = strlen(remote) + strlen(l->method) + strlen(l->path) + 256;
    char *line = malloc(cap);
    if (line)
        snprintf(line, cap, "%s%s%s %s %s \"%s %s\" %d%s%s%s %zuB %.3fms\n", l->t.wall,
                 l->t.virt[0] ? " clock=" : "", l->t.virt, remote, l->key ? l->key : "-", l->method,
                 l->path, l->r->reply.status, code, l->refusal ? " " : "",
                 l->refusal ? l->refusal : "", l->r->reply.len, l->ms);
    return line;
}

void access_log_write(const struct req *r, double ms)
{
    /* whatever the client put in the method or the path, one request is one
     * whole line: escaped, never cut, written with one call */
    char *method = escaped(r->method, log_json);
    char *path = escaped(r->path, log_json);
    char key[IMP_KEY_MAX + 1];
    struct request_line l = {.r = r, .method = method, .path = path, .ms = ms};
    if (r->tid >= 0 && log_store && store_tenant_key(log_store, r->tid, key))
        l.key = key;
    l.has_code = envelope_code(&r->reply, &l.code);
    l.refusal = refusal_of(&r->reply, l.has_code, l.code);
    times_now(&l.t);
    if (method && path)
        put_line(log_json ? json_line(&l) : text_line(&l));
    free(path);
    free(method);
}

void access_log_webhook(const struct webhook_attempt *a)
{
    struct log_times t;
    times_now(&t);
    char *url = escaped(a->url, log_json);
    char *why = a->error ? escaped(a->error, log_json) : NULL;
    if (!url || (a->error && !why)) {
        free(url);
        free(why);
        return;
    }
    char *line = NULL;
    if (log_json) {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddStringToObject(o, "time", t.wall);
            if (t.virt[0])
                cJSON_AddStringToObject(o, "clock", t.virt);
            cJSON_AddStringToObject(o, "kind", "webhook");
            cJSON_AddStringToObject(o, "url", url);
            if (a->http_status)
                cJSON_AddNumberToObject(o, "status", (double)a->http_status);
            else
                cJSON_AddNullToObject(o, "status");
            if (why)
                cJSON_AddStringToObject(o, "error", why);
            cJSON_AddNumberToObject(o, "ms", (double)((long)(a->elapsed_ms * 1000)) / 1000.0);
            cJSON_AddNumberToObject(o, "attempt", a->attempt);
            cJSON_AddStringToObject(o, "delivery", a->kind);
            cJSON_AddNumberToObject(o, "id", (double)a->id);
            cJSON_AddStringToObject(o, "imp_uid", a->imp_uid);
            cJSON_AddStringToObject(o, "event", a->event);
        }
        line = json_text(o);
    } else {
        /* "webhook → URL 200, 1.234ms, attempt 1", or what went wrong */
        char status[24];
        snprintf(status, sizeof status, "%ld", a->http_status);
        const char *outcome = why && a->http_status ? "" : why ? "failed: " : "";
        size_t cap = strlen(url) + (why ? strlen(why) : 0) + 256;
        line = malloc(cap);
        if (line)
            snprintf(line, cap,
                     "%s%s%s webhook \u2192 %s %s%s%s%s, %.3fms, attempt %d (%s %s %s)\n", t.wall,
                     t.virt[0] ? " clock=" : "", t.virt, url, a->http_status ? status : "",
                     a->http_status && why ? " " : "", outcome, why ? why : "", a->elapsed_ms,
                     a->attempt, a->kind, a->imp_uid, a->event);
    }
    put_line(line);
    free(url);
    free(why);
}
