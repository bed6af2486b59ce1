/*
 * reply.h - a rendered HTTP answer waiting to be sent: status, content type
 * and body bytes. Filled by envelope.c (and by static pages); written to the
 * socket only by send.c, in one write with Content-Length.
 */
#ifndef IMPMOCK_REPLY_H
#define IMPMOCK_REPLY_H

#include <stdbool.h>
#include <stddef.h>

struct reply {
    int status;               /* HTTP status; 0 = nothing rendered yet */
    const char *content_type; /* static string */
    char *body;               /* owned unless body_static (static or borrowed) */
    size_t len;
    bool body_static;
    const char *extra_headers; /* "Name: value\r\n" lines: static, or headers_owned */
    const char *cors_headers;  /* Access-Control-* lines chosen by guard.c; static, NULL none */
    char *headers_owned;       /* malloc'd, freed with the reply; NULL when static */
    const char *refusal;       /* a refusal's name in the error table or the control
                                  API's (static), for the access log; NULL otherwise */
};

void reply_fini(struct reply *r);
/* A body that lives as long as the program (no copy made). */
void reply_static(struct reply *r, int status, const char *content_type, const char *body,
                  size_t len);
/* A body that stays valid until the answer is sent: the worker's scratch
 * buffer (infra/scratch.h), neither copied nor freed. */
void reply_borrowed(struct reply *r, int status, const char *content_type, const char *body,
                    size_t len);
/* Takes ownership of a malloc'd body. */
void reply_owned(struct reply *r, int status, const char *content_type, char *body, size_t len);

#endif
