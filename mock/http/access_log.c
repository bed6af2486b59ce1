/* access_log.c - see access_log.h. */
#include "http/access_log.h"

#include "infra/clock.h"
#include "infra/utf8.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static char *json_line(const struct req *r, const char *method, const char *path, double ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "time", (double)clock_now());
    cJSON_AddStringToObject(o, "remote", r->remote_addr ? r->remote_addr : "");
    cJSON_AddStringToObject(o, "method", method);
    cJSON_AddStringToObject(o, "path", path);
    cJSON_AddNumberToObject(o, "status", r->reply.status);
    cJSON_AddNumberToObject(o, "bytes", (double)r->reply.len);
    cJSON_AddNumberToObject(o, "ms", (double)((long)(ms * 1000)) / 1000.0);
    char *text = cJSON_PrintUnformatted(o);
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

static char *text_line(const struct req *r, const char *method, const char *path, double ms)
{
    const char *remote = r->remote_addr ? r->remote_addr : "-";
    size_t cap = strlen(remote) + strlen(method) + strlen(path) + 96;
    char *line = malloc(cap);
    if (line)
        snprintf(line, cap, "%s \"%s %s\" %d %zu %.3fms\n", remote, method, path, r->reply.status,
                 r->reply.len, ms);
    return line;
}

void access_log_write(const struct req *r, double ms, bool json)
{
    /* whatever the client put in the method or the path, one request is one
     * whole line: escaped, never cut, written with one call */
    char *method = escaped(r->method, json);
    char *path = escaped(r->path, json);
    char *line = NULL;
    if (method && path)
        line = json ? json_line(r, method, path, ms) : text_line(r, method, path, ms);
    if (line) {
        fputs(line, stdout);
        fflush(stdout);
    }
    free(line);
    free(path);
    free(method);
}
