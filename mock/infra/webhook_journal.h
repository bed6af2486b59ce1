/*
 * webhook_journal.h - the delivery journal behind GET /__mock/webhooks: the
 * newest attempts (--webhook-journal-size), whatever became of them, and
 * what a resend needs (the URL and body last sent for a delivery).
 * Thread-safety: callable from any thread; one mutex of its own, taken
 * after webhook.c's queue lock when both are held, never the other way.
 */
#ifndef IMPMOCK_WEBHOOK_JOURNAL_H
#define IMPMOCK_WEBHOOK_JOURNAL_H

#include "base/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One attempt as the journal keeps it. */
struct webhook_attempt {
    uint64_t seq;             /* journal order */
    uint64_t id;              /* delivery id: one event to one URL */
    int tid;                  /* tenant */
    int64_t time;             /* virtual clock at the attempt, unix s */
    int attempt;              /* 1-based; a duplicate or dropped delivery is 1 */
    const char *kind;         /* "delivery", "retry", "duplicate", "resend", "dropped" (static) */
    long http_status;         /* 0 = no answer */
    char *error;              /* owned; NULL when answered */
    char *url;                /* owned */
    char *body;               /* owned */
    const char *content_type; /* static */
    char imp_uid[IMP_UID_MAX + 1];
    char merchant_uid[MERCHANT_UID_MAX + 1];
    char event[16];    /* paid, failed, ready, cancelled */
    char scenario[64]; /* scenario whose effect applied, "" none */
    double elapsed_ms;
    int64_t next_attempt_at; /* virtual time of the retry this failure queued, 0 none */
};

struct webhook_filter {
    size_t limit;             /* newest `limit` matches, 0 = all kept */
    int tid;                  /* -2 = any tenant */
    long http_status;         /* -1 = any; 0 = attempts that got no answer */
    uint64_t id;              /* 0 = any delivery */
    const char *merchant_uid; /* NULL = any */
};

/* Matching attempts, oldest first; free with webhook_journal_free. */
struct webhook_attempt *webhook_journal_list(const struct webhook_filter *f, size_t *ret_n);
void webhook_journal_free(struct webhook_attempt *list, size_t n);

/* Keeps the newest `size` attempts (0: none). false on OOM. */
bool webhook_journal_init(size_t size);
void webhook_journal_fini(void);
/* Records a copy of a (url, body and error are copied, seq is assigned). */
void webhook_journal_add(const struct webhook_attempt *a);
/* The newest attempt of delivery id (an owned copy, release with
 * webhook_journal_free_one) and the highest attempt number it reached;
 * false when the journal no longer has it. */
bool webhook_journal_last(uint64_t id, struct webhook_attempt *ret, int *ret_attempts);
void webhook_journal_free_one(struct webhook_attempt *a);
/* Forgets tenant tid's attempts (-2: everybody's). */
void webhook_journal_forget(int tid);

#endif
