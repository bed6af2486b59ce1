/* webhook.c - see webhook.h. One worker thread sends queued deliveries one
 * at a time with a reused libcurl handle (so connections to a merchant are
 * kept alive). Everything shared sits under `mu`; nothing is sent, parsed or
 * built under it, and the store lock is never held here. */
#include "infra/webhook.h"

#include "infra/clock.h"
#include "infra/scenario.h"
#include "infra/webhook_journal.h"
#include "infra/webhook_wire.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define EVENTS_KEPT    4096 /* events webhook_wait / webhook_before_redirect remember */
#define REDIRECTS_KEPT 256  /* redirects remembered, for deliveries queued after them */
#define WAKE_MS        1000 /* the worker looks at the virtual clock at least this often */

enum hook_kind { HOOK_FIRST, HOOK_RETRY, HOOK_DUPLICATE, HOOK_RESEND };
static const char *const kind_names[] = {"delivery", "retry", "duplicate", "resend"};

enum hook_hold { HOLD_NONE, HOLD_REORDER, HOLD_REDIRECT };

/* One attempt waiting to be made. */
struct hook {
    uint64_t id;    /* delivery id */
    uint64_t event; /* the event's id (its first delivery's id) */
    int tid;
    char imp_uid[IMP_UID_MAX + 1];
    char merchant_uid[MERCHANT_UID_MAX + 1];
    char event_status[16];
    char *url, *body; /* owned */
    bool form;
    int attempt; /* 1-based */
    enum hook_kind kind;
    bool counts_for_wait; /* an original's first attempt: webhook_wait waits for it */
    int copies;           /* duplicates to send right after this attempt */
    int64_t due_at;       /* virtual clock: not before (retries) */
    double due_ms;        /* monotonic ms: not before (delay effect) */
    enum hook_hold hold;
    double hold_until_ms;        /* monotonic ms: the hold ends anyway */
    enum scn_effect_kind effect; /* the delivery effect a scenario gave it, SCN_NONE */
    int effect_delay_ms;         /* the rule's delay_ms */
    int effect_hook_delay_ms;    /* webhook_delay_ms */
    char scenario[64];
    struct hook *next;
};

struct hook_list {
    struct hook *head, *tail;
};

struct event_rec {
    uint64_t id; /* 0 = free slot */
    int pending; /* original deliveries not yet attempted */
    bool before_redirect;
};

struct redirect_rec {
    int tid;
    char imp_uid[IMP_UID_MAX + 1];
};

/* Everything below is guarded by mu. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake; /* the worker: new work, a clock change, stop */
static pthread_cond_t done; /* webhook_wait: an original delivery was attempted */
static bool started;
static bool conds_ready;     /* the condition variables live as long as the program */
static atomic_bool stopping; /* read by the transfer's progress callback */
static pthread_t worker;
static struct webhook_opts opts;
static struct hook_list ready;   /* due now, in sending order */
static struct hook_list waiting; /* delayed, held or retrying later */
static uint64_t next_id;
static struct event_rec events[EVENTS_KEPT];
static struct redirect_rec redirects[REDIRECTS_KEPT];
static size_t n_redirects;

/* ---- helpers ---- */

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void deadline_in(struct timespec *ts, double ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    long long ns = ts->tv_nsec + (long long)(ms * 1e6);
    ts->tv_sec += (time_t)(ns / 1000000000LL);
    ts->tv_nsec = (long)(ns % 1000000000LL);
}

static void hook_free(struct hook *h)
{
    if (!h)
        return;
    free(h->url);
    free(h->body);
    free(h);
}

static void list_push_tail(struct hook_list *l, struct hook *h)
{
    h->next = NULL;
    if (l->tail)
        l->tail->next = h;
    else
        l->head = h;
    l->tail = h;
}

static void list_push_head(struct hook_list *l, struct hook *h)
{
    h->next = l->head;
    l->head = h;
    if (!l->tail)
        l->tail = h;
}

static struct hook *list_pop(struct hook_list *l)
{
    struct hook *h = l->head;
    if (h) {
        l->head = h->next;
        if (!l->head)
            l->tail = NULL;
        h->next = NULL;
    }
    return h;
}

static void list_free(struct hook_list *l)
{
    struct hook *h;
    while ((h = list_pop(l)) != NULL)
        hook_free(h);
}

/* Unlinks every hook for which keep() is false, handing it to gone(). */
static void list_filter(struct hook_list *l, bool (*keep)(const struct hook *, const void *),
                        const void *arg, void (*gone)(struct hook *))
{
    struct hook_list kept = {NULL, NULL};
    struct hook *h;
    while ((h = list_pop(l)) != NULL) {
        if (keep(h, arg))
            list_push_tail(&kept, h);
        else
            gone(h);
    }
    *l = kept;
}

static struct event_rec *event_find(uint64_t id)
{
    struct event_rec *ev = &events[id % EVENTS_KEPT];
    return id && ev->id == id ? ev : NULL;
}

/* An original delivery of event `event` has been attempted (or dropped). */
static void event_settle(uint64_t event)
{
    struct event_rec *ev = event_find(event);
    if (ev && ev->pending > 0)
        ev->pending--;
    pthread_cond_broadcast(&done);
}

static bool redirected(int tid, const char *imp_uid)
{
    size_t n = n_redirects < REDIRECTS_KEPT ? n_redirects : REDIRECTS_KEPT;
    for (size_t i = 0; i < n; i++)
        if (redirects[i].tid == tid && strcmp(redirects[i].imp_uid, imp_uid) == 0)
            return true;
    return false;
}

/* ---- pure rules ---- */

bool webhook_url_valid(const char *url)
{
    size_t scheme;
    if (!url)
        return false;
    if (strncasecmp(url, "http://", 7) == 0)
        scheme = 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        scheme = 8;
    else
        return false;
    size_t len = strlen(url);
    if (len > URL_MAX || len == scheme || url[scheme] == '/' || url[scheme] == '?' ||
        url[scheme] == '#')
        return false; /* no host */
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return false;
    return true;
}

int64_t webhook_next_attempt(const struct webhook_opts *o, int attempt, int64_t at,
                             long http_status, bool transport_error)
{
    bool failed = transport_error || (http_status >= 500 && http_status <= 599);
    if (!failed || attempt < 1 || attempt > o->retries)
        return -1;
    return at + (o->retry_interval > 0 ? o->retry_interval : 0);
}

/* Records one attempt of h in the delivery journal; takes ownership of
 * error (may be NULL). */
static void journal_add(const struct hook *h, const char *kind, int64_t time, long status,
                        char *error, double elapsed_ms, int64_t next_at)
{
    struct webhook_attempt a = {
        .id = h->id,
        .tid = h->tid,
        .time = time,
        .attempt = h->attempt,
        .kind = kind,
        .http_status = status,
        .error = error,
        .url = h->url,
        .body = h->body,
        .content_type = webhook_wire_content_type(h->form),
        .elapsed_ms = elapsed_ms,
        .next_attempt_at = next_at,
    };
    snprintf(a.imp_uid, sizeof a.imp_uid, "%s", h->imp_uid);
    snprintf(a.merchant_uid, sizeof a.merchant_uid, "%s", h->merchant_uid);
    snprintf(a.event, sizeof a.event, "%s", h->event_status);
    snprintf(a.scenario, sizeof a.scenario, "%s", h->scenario);
    if (opts.on_attempt)
        opts.on_attempt(&a);
    webhook_journal_add(&a);
    free(error);
}

/* ---- the worker ---- */

static bool hook_is_due(const struct hook *h, int64_t vnow, double now_ms)
{
    if (h->hold != HOLD_NONE && now_ms < h->hold_until_ms)
        return false;
    return vnow >= h->due_at && now_ms >= h->due_ms;
}

/* Moves the waiting hooks that are due to the ready queue, in queueing order;
 * returns how long (ms) until the next one may be, capped at WAKE_MS. */
static double promote(void)
{
    int64_t vnow = clock_now();
    double now_ms = mono_ms();
    double next = WAKE_MS;
    struct hook_list still = {NULL, NULL};
    struct hook *h;
    while ((h = list_pop(&waiting)) != NULL) {
        if (hook_is_due(h, vnow, now_ms)) {
            h->hold = HOLD_NONE;
            list_push_tail(&ready, h);
            continue;
        }
        double until = h->hold != HOLD_NONE ? h->hold_until_ms : h->due_ms;
        if (until > now_ms && until - now_ms < next)
            next = until - now_ms;
        list_push_tail(&still, h);
    }
    waiting = still;
    return next;
}

static bool not_reordered_for(const struct hook *h, const void *url)
{
    return h->hold != HOLD_REORDER || strcmp(h->url, url) != 0;
}

static struct hook_list released; /* scratch for release_reordered, guarded by mu */

static void collect_released(struct hook *h)
{
    h->hold = HOLD_NONE;
    list_push_tail(&released, h);
}

/* A delivery to url went out: the ones held back behind it go next. */
static void release_reordered(const char *url)
{
    list_filter(&waiting, not_reordered_for, url, collect_released);
    struct hook *h, *rev = NULL;
    while ((h = list_pop(&released)) != NULL) { /* keep their order at the head */
        h->next = rev;
        rev = h;
    }
    while (rev) {
        h = rev;
        rev = rev->next;
        list_push_head(&ready, h);
    }
}

static struct hook *hook_clone(const struct hook *h)
{
    struct hook *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    *c = *h;
    c->next = NULL;
    c->url = strdup(h->url);
    c->body = strdup(h->body);
    if (!c->url || !c->body) {
        hook_free(c);
        return NULL;
    }
    return c;
}

/* After an attempt of h (mu held): journal it, queue its retry or its
 * duplicates, settle webhook_wait. Takes ownership of h and error. */
static void after_attempt(struct hook *h, int64_t at, long status, char *error, double ms)
{
    int64_t next_at = -1;
    if (h->kind == HOOK_FIRST || h->kind == HOOK_RETRY)
        next_at = webhook_next_attempt(&opts, h->attempt, at, status, error != NULL);
    journal_add(h, kind_names[h->kind], at, status, error, ms, next_at > 0 ? next_at : 0);
    if (h->counts_for_wait)
        event_settle(h->event);
    release_reordered(h->url);
    /* duplicates go right after the original, ahead of anything else */
    for (int i = 0; i < h->copies; i++) {
        struct hook *d = hook_clone(h);
        if (!d)
            break;
        d->kind = HOOK_DUPLICATE;
        d->attempt = 1;
        d->copies = 0;
        d->counts_for_wait = false;
        list_push_head(&ready, d);
    }
    if (next_at >= 0) {
        h->kind = HOOK_RETRY;
        h->attempt++;
        h->copies = 0;
        h->counts_for_wait = false;
        h->due_at = next_at;
        h->due_ms = 0;
        list_push_tail(&waiting, h);
    } else {
        hook_free(h);
    }
}

static void *worker_main(void *arg)
{
    (void)arg;
    CURL *c = NULL; /* made at the first delivery, reused: connections stay open */
    pthread_mutex_lock(&mu);
    while (!atomic_load(&stopping)) {
        double wait_ms = promote();
        struct hook *h = list_pop(&ready);
        if (!h) {
            struct timespec ts;
            deadline_in(&ts, wait_ms > 1 ? wait_ms : 1);
            pthread_cond_timedwait(&wake, &mu, &ts);
            continue;
        }
        pthread_mutex_unlock(&mu);
        int64_t at = clock_now();
        double t0 = mono_ms();
        char *error = NULL;
        if (!c)
            c = curl_easy_init();
        bool first = h->attempt == 1 && (h->kind == HOOK_FIRST || h->kind == HOOK_DUPLICATE);
        long status =
            c ? webhook_wire_post(c, h->url, h->body, h->form, first, &stopping, &error) : 0;
        if (!c)
            error = strdup("libcurl could not start");
        double ms = mono_ms() - t0;
        pthread_mutex_lock(&mu);
        after_attempt(h, at, status, error, ms);
    }
    pthread_mutex_unlock(&mu);
    if (c)
        curl_easy_cleanup(c);
    return NULL;
}

/* ---- set-up ---- */

bool webhook_start(const struct webhook_opts *o)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_lock(&mu);
    if (started) {
        pthread_mutex_unlock(&mu);
        pthread_condattr_destroy(&ca);
        return true;
    }
    opts = *o;
    if (opts.retries < 0)
        opts.retries = 0;
    if (opts.retries > WEBHOOK_RETRIES_MAX)
        opts.retries = WEBHOOK_RETRIES_MAX;
    if (!webhook_journal_init(opts.journal_size)) {
        pthread_mutex_unlock(&mu);
        pthread_condattr_destroy(&ca);
        return false;
    }
    if (!conds_ready) {
        pthread_cond_init(&wake, &ca);
        pthread_cond_init(&done, &ca);
        conds_ready = true;
    }
    pthread_condattr_destroy(&ca);
    atomic_store(&stopping, false);
    if (pthread_create(&worker, NULL, worker_main, NULL) != 0) {
        webhook_journal_fini();
        pthread_mutex_unlock(&mu);
        return false;
    }
    started = true;
    pthread_mutex_unlock(&mu);
    return true;
}

void webhook_stop(void)
{
    pthread_mutex_lock(&mu);
    if (!started) {
        pthread_mutex_unlock(&mu);
        return;
    }
    started = false; /* nothing new is queued from here on */
    atomic_store(&stopping, true);
    pthread_cond_broadcast(&wake);
    pthread_cond_broadcast(&done);
    pthread_mutex_unlock(&mu);
    pthread_join(worker, NULL);
    pthread_mutex_lock(&mu);
    list_free(&ready);
    list_free(&waiting);
    webhook_journal_fini();
    memset(events, 0, sizeof events);
    n_redirects = 0;
    pthread_mutex_unlock(&mu);
}

void webhook_clock_changed(void)
{
    pthread_mutex_lock(&mu);
    if (started)
        pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&mu);
}

/* ---- queueing ---- */

/* What the scenario engine makes of delivery h (outside mu): fills h's
 * effect fields. Large temporaries live on the heap: this runs on civetweb
 * worker threads, whose stacks are small. */
static void delivery_effect(const char *imp_key, const struct payment *p, struct hook *h)
{
    size_t rlen = strlen(h->url) + 6;
    char *route = malloc(rlen);
    struct scn_effect *e = malloc(sizeof *e);
    if (route && e) {
        snprintf(route, rlen, "POST %s", h->url);
        struct scn_call call = {.op = SCN_OP_WEBHOOK,
                                .route = route,
                                .imp_key = imp_key,
                                .merchant_uid = p->merchant_uid,
                                .customer_uid = p->customer_uid,
                                .pg = p->pg_provider,
                                .pg_id = p->pg_id,
                                .amount = p->amount,
                                .has_amount = true};
        if (scenario_match(&call, SCN_DELIVERY, e)) {
            h->effect = e->kind;
            h->effect_delay_ms = e->delay_ms;
            h->effect_hook_delay_ms = e->hook_delay_ms;
            h->copies = e->kind == SCN_HOOK_DUPLICATE ? e->copies : 0;
            snprintf(h->scenario, sizeof h->scenario, "%s", e->scenario);
        }
    }
    free(route);
    free(e);
}

uint64_t webhook_notify(const struct webhook_notice *n)
{
    const struct payment *p = n->payment;
    char *urls[WEBHOOK_URLS_MAX];
    size_t count = webhook_wire_targets(p->notice_url, n->fallback_url, urls);
    if (count == 0)
        return 0; /* nobody to tell: the queue (and its lock) is not needed */
    pthread_mutex_lock(&mu);
    bool on = started;
    pthread_mutex_unlock(&mu);
    if (!on) {
        for (size_t i = 0; i < count; i++)
            free(urls[i]);
        return 0;
    }
    char *body =
        webhook_wire_body(p->imp_uid, p->merchant_uid, n->status, n->cancellation_id, n->form);
    struct hook *hooks[WEBHOOK_URLS_MAX] = {NULL};
    for (size_t i = 0; i < count; i++) {
        struct hook *h = body ? calloc(1, sizeof *h) : NULL;
        if (h) {
            h->url = urls[i];
            urls[i] = NULL;
            h->body = strdup(body);
            h->tid = n->tid;
            h->form = n->form;
            h->attempt = 1;
            h->kind = HOOK_FIRST;
            h->counts_for_wait = true;
            snprintf(h->imp_uid, sizeof h->imp_uid, "%s", p->imp_uid);
            snprintf(h->merchant_uid, sizeof h->merchant_uid, "%s", p->merchant_uid);
            snprintf(h->event_status, sizeof h->event_status, "%s", n->status);
            delivery_effect(n->imp_key, p, h);
        }
        free(urls[i]);
        if (h && !h->body) {
            hook_free(h);
            h = NULL;
        }
        hooks[i] = h;
    }
    free(body);

    uint64_t event = 0;
    double now_ms = mono_ms();
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < count; i++) {
        struct hook *h = hooks[i];
        if (!h)
            continue;
        if (!started) {
            hook_free(h);
            continue;
        }
        h->id = ++next_id;
        if (!event) {
            event = h->id;
            struct event_rec *ev = &events[event % EVENTS_KEPT];
            memset(ev, 0, sizeof *ev);
            ev->id = event;
        }
        h->event = event;
        events[event % EVENTS_KEPT].pending++;
        bool in_waiting = false;
        if (!webhook_url_valid(h->url)) {
            /* only a fixture's webhook_url can get here: requests are checked */
            journal_add(h, "dropped", clock_now(), 0, strdup("not an http(s) URL: not sent"), 0, 0);
            event_settle(event);
            hook_free(h);
            continue;
        }
        if (h->effect != SCN_NONE) {
            h->due_ms = h->effect_delay_ms ? now_ms + h->effect_delay_ms : 0;
            in_waiting = h->effect_delay_ms > 0;
            switch (h->effect) {
            case SCN_HOOK_DROP: {
                char *why = malloc(128);
                if (why)
                    snprintf(why, 128, "dropped by scenario %s", h->scenario);
                journal_add(h, "dropped", clock_now(), 0, why, 0, 0);
                event_settle(event);
                hook_free(h);
                continue;
            }
            case SCN_HOOK_DUPLICATE:
                break; /* h->copies go right after the first attempt */
            case SCN_HOOK_DELAY:
                h->due_ms = now_ms + h->effect_delay_ms + h->effect_hook_delay_ms;
                in_waiting = true;
                break;
            case SCN_HOOK_REORDER:
                h->hold = HOLD_REORDER;
                h->hold_until_ms = now_ms + WEBHOOK_HOLD_MAX_MS;
                in_waiting = true;
                break;
            case SCN_HOOK_BEFORE_REDIRECT:
                events[event % EVENTS_KEPT].before_redirect = true;
                break;
            case SCN_HOOK_AFTER_REDIRECT:
                if (!redirected(n->tid, h->imp_uid)) {
                    h->hold = HOLD_REDIRECT;
                    h->hold_until_ms = now_ms + WEBHOOK_HOLD_MAX_MS;
                    in_waiting = true;
                }
                break;
            default:
                break;
            }
        }
        list_push_tail(in_waiting ? &waiting : &ready, h);
    }
    if (event)
        pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&mu);
    return event;
}

bool webhook_wait(uint64_t id, int timeout_ms)
{
    struct timespec ts;
    deadline_in(&ts, timeout_ms > 0 ? timeout_ms : 0);
    pthread_mutex_lock(&mu);
    bool settled = true;
    /* bounded: every wait ends by the deadline, and a timeout ends the loop */
    while (started) {
        const struct event_rec *ev = event_find(id);
        if (!ev || ev->pending == 0)
            break; /* unknown ids were settled long ago */
        if (pthread_cond_timedwait(&done, &mu, &ts) != 0) {
            ev = event_find(id);
            settled = !ev || ev->pending == 0;
            break;
        }
    }
    pthread_mutex_unlock(&mu);
    return settled;
}

bool webhook_before_redirect(uint64_t id)
{
    pthread_mutex_lock(&mu);
    const struct event_rec *ev = event_find(id);
    bool b = ev && ev->before_redirect;
    pthread_mutex_unlock(&mu);
    return b;
}

static bool not_held_for(const struct hook *h, const void *arg)
{
    const struct redirect_rec *r = arg;
    return h->hold != HOLD_REDIRECT || h->tid != r->tid || strcmp(h->imp_uid, r->imp_uid) != 0;
}

static void to_ready(struct hook *h)
{
    h->hold = HOLD_NONE;
    list_push_tail(&ready, h);
}

void webhook_redirected(int tid, const char *imp_uid)
{
    if (!imp_uid)
        return;
    struct redirect_rec r;
    r.tid = tid;
    snprintf(r.imp_uid, sizeof r.imp_uid, "%s", imp_uid);
    pthread_mutex_lock(&mu);
    redirects[n_redirects % REDIRECTS_KEPT] = r;
    n_redirects++;
    list_filter(&waiting, not_held_for, &r, to_ready);
    if (started)
        pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&mu);
}

/* ---- control API ---- */

bool webhook_resend(uint64_t id)
{
    bool ok = false;
    struct webhook_attempt last;
    int attempts = 0;
    if (!webhook_journal_last(id, &last, &attempts))
        return false;
    pthread_mutex_lock(&mu);
    struct hook *h = started ? calloc(1, sizeof *h) : NULL;
    if (h) {
        h->id = id;
        h->event = 0;
        h->tid = last.tid;
        h->url = last.url;
        h->body = last.body;
        last.url = last.body = NULL; /* now the hook's */
        h->form = last.content_type == webhook_wire_content_type(true);
        h->attempt = attempts + 1;
        h->kind = HOOK_RESEND;
        snprintf(h->imp_uid, sizeof h->imp_uid, "%s", last.imp_uid);
        snprintf(h->merchant_uid, sizeof h->merchant_uid, "%s", last.merchant_uid);
        snprintf(h->event_status, sizeof h->event_status, "%s", last.event);
        if (h->url && h->body) {
            list_push_tail(&ready, h);
            pthread_cond_broadcast(&wake);
            ok = true;
        } else {
            hook_free(h);
        }
    }
    pthread_mutex_unlock(&mu);
    webhook_journal_free_one(&last);
    return ok;
}

static bool not_of_tenant(const struct hook *h, const void *arg)
{
    int tid = *(const int *)arg;
    return tid != -2 && h->tid != tid;
}

static void drop_hook(struct hook *h)
{
    if (h->counts_for_wait)
        event_settle(h->event);
    hook_free(h);
}

void webhook_forget(int tid)
{
    pthread_mutex_lock(&mu);
    list_filter(&ready, not_of_tenant, &tid, drop_hook);
    list_filter(&waiting, not_of_tenant, &tid, drop_hook);
    pthread_mutex_unlock(&mu);
    webhook_journal_forget(tid);
}
