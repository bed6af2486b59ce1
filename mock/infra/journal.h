/*
 * journal.h - a bounded ring of recent requests and their answers, so a test
 * can assert what its code sent (GET /__mock/requests). Secrets in request
 * targets and bodies are masked before they are kept (infra/redact.h).
 * What one entry keeps is bounded by what it takes to show: each body at
 * most JOURNAL_BODY_MAX bytes and the target JOURNAL_PATH_MAX bytes once
 * written as a JSON string (a control byte counts 6, as "\u0001"), so a
 * full ring of N entries holds at most about N * 132 KiB.
 * Thread-safety: callable from any thread; striped mutexes inside, held only
 * for copies.
 */
#ifndef IMPMOCK_JOURNAL_H
#define IMPMOCK_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_BODY_MAX    65536 /* bytes of each body, as a JSON string */
#define JOURNAL_PATH_MAX    4096  /* bytes of the target (path and query), as a JSON string */
#define JOURNAL_HEADERS_MAX 8192  /* bytes of the request's header lines, as a JSON string */
#define JOURNAL_CRED_SHOWN  4     /* characters of a credential a journal entry keeps */

/* One request header as received. */
struct journal_header {
    const char *name;
    const char *value;
};

struct journal_entry {
    uint64_t seq;
    int64_t time; /* virtual clock, unix seconds */
    int tid;      /* tenant, -1 when none */
    char method[8];
    char *path;    /* path with query string */
    char *headers; /* "Name: value\n" lines, credentials masked (journal_record) */
    int status;
    char *request_body;
    char *response_body;
};

struct journal_filter {
    size_t limit;       /* 0 = all kept */
    uint64_t before;    /* 0 = from the newest; else only entries numbered below it */
    uint64_t since;     /* 0 = any; else only entries numbered above it, walked oldest first */
    const char *method; /* NULL = any */
    const char *path_prefix;
    int status; /* 0 = any */
    int tid;    /* -2 = any */
};

/* capacity 0 disables recording. Call before threads start. */
void journal_init(size_t capacity);
void journal_fini(void);
/* Copies everything it keeps. Of the headers, credentials are masked:
 * Authorization, Proxy-Authorization and X-ImpTokenHeader keep their
 * scheme and first JOURNAL_CRED_SHOWN characters ("Bearer 1a2b****"),
 * X-Admin-Token and cookies keep nothing ("****"). */
void journal_record(int tid, const char *method, const char *path, const char *query, int status,
                    const char *req_body, size_t req_len, const char *resp_body, size_t resp_len,
                    const struct journal_header *headers, size_t n_headers);
/* The number of the newest entry recorded so far (0: none yet), kept or
 * not: a cursor for journal_filter.since. */
uint64_t journal_last_seq(void);
/* Shows a matching entry; false stops the walk. e (a copy) is valid during
 * the call only. */
typedef bool (*journal_fn)(const struct journal_entry *e, void *ud);
/* Calls fn with each matching entry, newest first (oldest first when
 * f->since is set), until fn returns false or f->limit entries were shown; fn runs with no lock
 * held, and only one entry is copied at a time. false when memory ran out on the way (an entry was
 * skipped). */
bool journal_walk(const struct journal_filter *f, journal_fn fn, void *ud);
/* Matching entries, oldest first (the newest `limit` of them), all copied:
 * for small lists. Free with journal_list_free. */
struct journal_entry *journal_list(const struct journal_filter *f, size_t *ret_n);
void journal_list_free(struct journal_entry *list, size_t n);
/* Forgets everything (tid -2) or one tenant's entries; returns how many.
 * Numbering goes on: a cursor taken before stays valid. */
size_t journal_clear(int tid);

#endif
