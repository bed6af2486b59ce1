/* framing.c - see framing.h. */
#include "http/framing.h"

#include "http/control.h"
#include "http/envelope.h"
#include "http/form.h"

#include <civetweb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A Content-Length value: decimal digits only, at most 2^63-1. */
static bool content_length_of(const char *v, long long *ret)
{
    unsigned long long n = 0;
    if (!v || !*v)
        return false;
    for (const char *p = v; *p; p++) {
        unsigned digit = (unsigned)(*p - '0');
        if (*p < '0' || *p > '9' || n > ((unsigned long long)INT64_MAX - digit) / 10)
            return false;
        n = n * 10 + digit;
    }
    *ret = (long long)n;
    return true;
}

/* Whether the Content-Length headers are one number (repeated or not). */
static bool content_length_ok(const struct mg_request_info *ri, const char **ret_why)
{
    bool seen = false;
    long long first = 0;
    for (int i = 0; i < ri->num_headers; i++) {
        if (strcasecmp(ri->http_headers[i].name, "Content-Length") != 0)
            continue;
        long long n;
        if (!content_length_of(ri->http_headers[i].value, &n)) {
            *ret_why = "Content-Length is not a number from 0 to 2^63-1";
            return false;
        }
        if (seen && n != first) {
            *ret_why = "two different Content-Length headers";
            return false;
        }
        seen = true;
        first = n;
    }
    return true;
}

static void refuse(struct reply *rep, bool control, enum mock_err e, const char *detail)
{
    if (control)
        control_fail_mock(rep, e, detail);
    else
        envelope_fail(rep, e, detail);
}

bool framing_check(const struct mg_request_info *ri, bool control, struct reply *rep)
{
    if (ri->num_headers >= MG_MAX_HEADERS) {
        char max[16];
        snprintf(max, sizeof max, "%d", MG_MAX_HEADERS - 1);
        refuse(rep, control, MOCK_TOO_MANY_HEADERS, max);
        return false;
    }
    /* civetweb routes an absolute-form target naming its own host and port
     * by its path: refused like the ones it does not route */
    if (!ri->request_uri || ri->request_uri[0] != '/') {
        framing_unrouted_reply(rep);
        return false;
    }
    const char *why = NULL;
    if (!content_length_ok(ri, &why)) {
        refuse(rep, control, MOCK_BAD_HTTP, why);
        return false;
    }
    return true;
}

void framing_unrouted_reply(struct reply *rep)
{
    envelope_fail(rep, MOCK_BAD_HTTP, "the request target must be a path (/...), not a URL or *");
}

char *framing_path(const char *raw, bool *ret_control)
{
    size_t len = strlen(raw);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    bool control = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        int hi = c == '%' && i + 2 < len ? form_hex_digit(raw[i + 1]) : -1;
        int lo = hi >= 0 ? form_hex_digit(raw[i + 2]) : -1;
        if (lo >= 0) {
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        }
        control = control || c < 0x20 || c == 0x7f;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    *ret_control = control;
    if (control)
        memcpy(out, raw, len + 1); /* as sent: shorter decoded, never longer */
    return out;
}
