/* send.c - see send.h. */
#include "http/send.h"

#include "infra/clock.h"
#include "infra/scenario.h"
#include "infra/scratch.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 421:
        return "Misdirected Request";
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

/* "Date: ...\r\n" for now, in wall-clock time (RFC 9110 6.6.1; the virtual
 * clock is the API's, not the wire's); made once a second per worker. */
static const char *date_line(void)
{
    static _Thread_local char line[48];
    static _Thread_local time_t made = -1;
    time_t now = time(NULL);
    if (now != made) {
        struct tm tm;
        gmtime_r(&now, &tm);
        /* the C locale (impmock never sets another): English day and month names */
        if (strftime(line, sizeof line, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm) == 0)
            line[0] = '\0';
        made = now;
    }
    return line;
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

void send_reply(struct mg_connection *conn, const struct reply *rep, bool head_only,
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
                           "\r\nCache-Control: no-store\r\n",
                           date_line(),
                           rep->cors_headers ? rep->cors_headers : "",
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
     * cost a tenth of the CPU of a small answer, in the worker's own buffer */
    char *out = scratch_get(SCRATCH_WIRE, cap + body);
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
}

/* Headers at once, then the body a few bytes at a time (a slow upstream). */
static void send_drip(struct mg_connection *conn, const struct reply *rep, int drip_ms)
{
    char hdr[512];
    int hl =
        snprintf(hdr, sizeof hdr,
                 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                 "%sConnection: close\r\n\r\n",
                 rep->status, status_text(rep->status),
                 rep->content_type ? rep->content_type : "application/json", rep->len, date_line());
    mg_write(conn, hdr, (size_t)hl);
    size_t chunk = rep->len / 20 + 1; /* at most ~20 pauses, whatever the size */
    for (size_t off = 0; off < rep->len; off += chunk) {
        size_t n = rep->len - off < chunk ? rep->len - off : chunk;
        if (mg_write(conn, rep->body + off, n) <= 0)
            break;
        clock_sleep_ms(drip_ms);
    }
}

void send_answer(struct mg_connection *conn, struct req *r, bool keep_alive)
{
    if (r->fault == SCN_CLOSE || r->fault == SCN_DROP_ANSWER) {
        /* nothing written and no keep-alive: civetweb closes the connection
         * once the handler returns, and the client reads no byte */
        mg_disable_connection_keep_alive(conn);
        reply_fini(&r->reply);
        r->reply.status = 499; /* logged as "client saw no answer" */
    } else if (r->fault == SCN_TRUNCATE) {
        r->reply.len /= 2; /* a consistent frame around a body cut mid-JSON */
        send_reply(conn, &r->reply, false, keep_alive);
    } else if (r->fault == SCN_DRIP) {
        send_drip(conn, &r->reply, r->drip_ms);
    } else {
        send_reply(conn, &r->reply, strcmp(r->method, "HEAD") == 0, keep_alive);
    }
}
