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

#define JOURNAL_BODY_MAX 65536 /* bytes of each body, as a JSON string */
#define JOURNAL_PATH_MAX 4096  /* bytes of the target (path and query), as a JSON string */

struct journal_entry {
    uint64_t seq;
    int64_t time; /* virtual clock, unix seconds */
    int tid;      /* tenant, -1 when none */
    char method[8];
    char *path; /* path with query string */
    int status;
    char *request_body;
    char *response_body;
};

struct journal_filter {
    size_t limit;       /* 0 = all kept */
    uint64_t before;    /* 0 = from the newest; else only entries numbered below it */
    const char *method; /* NULL = any */
    const char *path_prefix;
    int status; /* 0 = any */
    int tid;    /* -2 = any */
};

/* capacity 0 disables recording. Call before threads start. */
void journal_init(size_t capacity);
void journal_fini(void);
/* Copies everything it keeps. */
void journal_record(int tid, const char *method, const char *path, const char *query, int status,
                    const char *req_body, size_t req_len, const char *resp_body, size_t resp_len);
/* Shows a matching entry; false stops the walk. e (a copy) is valid during
 * the call only. */
typedef bool (*journal_fn)(const struct journal_entry *e, void *ud);
/* Calls fn with each matching entry, newest first, until fn returns false
 * or f->limit entries were shown; fn runs with no lock held, and only one
 * entry is copied at a time. false when memory ran out on the way (an
 * entry was skipped). */
bool journal_walk(const struct journal_filter *f, journal_fn fn, void *ud);
/* Matching entries, oldest first (the newest `limit` of them), all copied:
 * for small lists. Free with journal_list_free. */
struct journal_entry *journal_list(const struct journal_filter *f, size_t *ret_n);
void journal_list_free(struct journal_entry *list, size_t n);
/* Forgets everything (tid -2) or one tenant's entries. */
void journal_clear(int tid);

#endif
