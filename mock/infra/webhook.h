/*
 * webhook.h - notice_url deliveries ("결제 통지", reference §8): what is sent,
 * to which URLs, when; a queue drained by one worker thread over libcurl, so
 * no request thread ever waits on a merchant's server and nothing is sent
 * under the store lock; the retry policy on the virtual clock; the scenario
 * effects for deliveries (drop, duplicate, delay, reorder, before/after the
 * window's redirect). Each attempt goes to the delivery journal
 * (webhook_journal.h); the wire format is webhook_wire.c's.
 * Thread-safety: callable from any thread; the queue has its own mutex and
 * condition variable.
 */
#ifndef IMPMOCK_WEBHOOK_H
#define IMPMOCK_WEBHOOK_H

#include "base/model.h"

#include <stdbool.h>
#include <stdint.h>

/* One notice to send: a payment's status change, described by the domain
 * (domain/notices.c), which knows the merchant. Borrowed for the call. */
struct webhook_notice {
    int tid;
    const char *imp_key;           /* the tenant's, for scenario matching */
    const char *fallback_url;      /* the merchant's webhook_url; NULL or "" = none */
    bool form;                     /* the merchant's webhook_format is form, else JSON */
    const struct payment *payment; /* as stored; its notice_url wins over fallback_url */
    const char *status;            /* "paid", "failed", "ready" or "cancelled" */
    const char *cancellation_id;   /* cancels only, else NULL */
};

/* Queues the notice to each target (the payment's notice_url, one URL or a
 * JSON array, else the fallback; none -> nothing is sent) with the body
 * {imp_uid, merchant_uid, status[, cancellation_id]} as JSON or form, after
 * the scenario engine's delivery effects. Returns a delivery id (0 when
 * nothing was queued) that webhook_wait can wait on. Never blocks on the
 * network. */
uint64_t webhook_notify(const struct webhook_notice *n);
/* Waits (bounded by timeout_ms) until delivery id has had its first attempt
 * answered or failed; false on timeout. For the window's "webhook before
 * redirect" effect. */
bool webhook_wait(uint64_t id, int timeout_ms);

/* The window calls this once it has redirected or called back for imp_uid,
 * releasing deliveries held by the "after_redirect" effect. */
void webhook_redirected(int tid, const char *imp_uid);

/* ---- additions: set-up, policy, journal ----
 * Who sends: the domain (domain/notices.c), for every status change it
 * decides on. Only this module and webhook_wire.c know libcurl and the
 * wire format. Deliveries are attempted in the order they were queued (one at a
 * time, by one worker thread); a failed attempt (no answer, or HTTP 5xx) is
 * retried per the policy on the virtual clock.
 */

#define WEBHOOK_RETRIES_MAX     5     /* i'mport resends at most 5 times (reference §8) */
#define WEBHOOK_URLS_MAX        10    /* notice_url array entries */
#define WEBHOOK_FIRST_CONNECT_S 10    /* first delivery: connect timeout */
#define WEBHOOK_FIRST_READ_S    30    /* first delivery: answer timeout (no byte for this long) */
#define WEBHOOK_RETRY_TOTAL_S   15    /* re-deliveries: whole attempt */
#define WEBHOOK_HOLD_MAX_MS     30000 /* a reorder / after_redirect hold ends after this anyway */

struct webhook_attempt; /* webhook_journal.h */

struct webhook_opts {
    int retries;         /* attempts after the first on no answer or 5xx, 0..WEBHOOK_RETRIES_MAX */
    int retry_interval;  /* seconds of virtual clock between attempts (default 60) */
    size_t journal_size; /* attempts kept for GET /__mock/webhooks, 0 = none */
    /* told of every attempt, answered, failed or dropped, as it is
     * journaled (the log's webhook lines); NULL: nobody. Runs with the
     * queue's lock held: it must be quick and not call this module. */
    void (*on_attempt)(const struct webhook_attempt *a);
};

/* Starts the delivery worker. Call once, after curl_global_init and before
 * the server starts; false (nothing started) when the thread cannot start.
 * Until it is called, webhook_payment_event queues nothing. */
bool webhook_start(const struct webhook_opts *o);
/* Stops the worker (a transfer under way is aborted), drops what is still
 * queued and frees the journal. Call after the server and the schedule
 * executor have stopped. */
void webhook_stop(void);
/* Tells the worker the virtual clock moved, so retries now due go at once. */
void webhook_clock_changed(void);
/* true when the "before_redirect" effect applied to an event: the window
 * should then webhook_wait for it before it redirects or calls back. */
bool webhook_before_redirect(uint64_t id);
/* An http:// or https:// URL with a host, no blanks or control characters,
 * at most URL_MAX bytes. */
bool webhook_url_valid(const char *url);

/* The retry timetable (pure): attempt number `attempt` (1-based) made at
 * `at` (virtual clock, unix s) got http_status (0 = no answer, with
 * transport_error true). Returns the virtual time of the next attempt, or -1
 * when none is due: success, a status other than 5xx, or the retries spent. */
int64_t webhook_next_attempt(const struct webhook_opts *o, int attempt, int64_t at,
                             long http_status, bool transport_error);

/* Queues one more attempt of delivery id with the URL and body the journal
 * has for it (kind "resend", no automatic retries); false when the journal
 * no longer knows id. */
bool webhook_resend(uint64_t id);
/* Forgets tenant tid's journal entries and queued deliveries (-2: all). */
void webhook_forget(int tid);

#endif
