/* schedule.c - see schedule.h. */
#include "domain/schedule.h"

#include "domain/notices.h"
#include "domain/vbank.h"
#include "infra/clock.h"
#include "infra/webhook.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define RUN_ITEMS_MAX 100000000 /* items one call runs at most: a bound, not a budget */

/* One runner at a time, so items run in due order whoever runs them. */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;

/* The background runner; fields guarded by mu. */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cond; /* stop requests */
    bool cond_ready;
    bool started;
    bool stop;
    pthread_t thread;
    struct billing b;
} runner = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* ---- creating and moving ---- */

/* Fills an absent item field from the key: false on OOM. */
static bool default_to(char **field, const char *key_value)
{
    return *field || str_set(field, key_value);
}

enum mock_err schedule_create(struct store *s, int tid, const char *customer_uid,
                              struct schedule *items, size_t n, int64_t now,
                              struct schedule *ret_items, char ret_detail[SCHEDULE_DETAIL_MAX])
{
    struct customer key;
    ret_detail[0] = '\0';
    enum mock_err e = store_customer_get(s, tid, customer_uid, &key);
    if (e == MOCK_CUSTOMER_NOT_FOUND)
        return MOCK_SCHEDULE_NO_CUSTOMER;
    if (e != MOCK_OK)
        return e;
    for (size_t i = 0; i < n && e == MOCK_OK; i++) {
        struct schedule *it = &items[i];
        if (it->schedule_at < now) {
            snprintf(ret_detail, SCHEDULE_DETAIL_MAX, "%s", it->merchant_uid);
            e = MOCK_SCHEDULE_PAST;
            break;
        }
        snprintf(it->customer_uid, sizeof it->customer_uid, "%s", key.customer_uid);
        snprintf(it->pg_provider, sizeof it->pg_provider, "%s", key.pg_provider);
        snprintf(it->pg_id, sizeof it->pg_id, "%s", key.pg_id);
        if (!it->currency[0])
            snprintf(it->currency, sizeof it->currency, "KRW");
        /* absent buyer_* are the key's customer_* (reference §7.1) */
        bool ok = default_to(&it->customer_id, key.customer_id) &&
                  default_to(&it->buyer_name, key.customer_name) &&
                  default_to(&it->buyer_email, key.customer_email) &&
                  default_to(&it->buyer_tel, key.customer_tel) &&
                  default_to(&it->buyer_addr, key.customer_addr) &&
                  default_to(&it->buyer_postcode, key.customer_postcode);
        if (!ok)
            e = MOCK_INTERNAL;
    }
    customer_fini(&key);
    if (e != MOCK_OK)
        return e;
    size_t bad = 0;
    e = store_schedule_add(s, tid, items, n, ret_items, &bad);
    if (e == MOCK_SCHEDULE_DUPLICATE)
        snprintf(ret_detail, SCHEDULE_DETAIL_MAX, "%s", items[bad].merchant_uid);
    return e;
}

enum mock_err schedule_move(struct store *s, int tid, const char *merchant_uid, int64_t at,
                            bool reschedule, int64_t now, struct schedule *ret_schedule,
                            char ret_detail[SCHEDULE_DETAIL_MAX])
{
    ret_detail[0] = '\0';
    if (at < now)
        return MOCK_SCHEDULE_AT_PAST;
    enum mock_err e = store_schedule_move(s, tid, merchant_uid, at, reschedule, ret_schedule);
    if (e != MOCK_OK)
        snprintf(ret_detail, SCHEDULE_DETAIL_MAX, "%s", merchant_uid);
    return e;
}

/* ---- running ---- */

static void order_of(const struct schedule *sc, int64_t at, struct billing_order *o)
{
    memset(o, 0, sizeof *o);
    o->merchant_uid = sc->merchant_uid;
    o->amount = sc->amount;
    o->tax_free = sc->tax_free;
    o->currency = sc->currency[0] ? sc->currency : NULL;
    o->name = sc->name;
    o->buyer_name = sc->buyer_name;
    o->buyer_email = sc->buyer_email;
    o->buyer_tel = sc->buyer_tel;
    o->buyer_addr = sc->buyer_addr;
    o->buyer_postcode = sc->buyer_postcode;
    o->card_quota = sc->card_quota;
    o->custom_data = sc->custom_data;
    o->notice_url = sc->notice_url;
    o->at = at;
}

/* Charges claimed item c at `at` (0 = now), records the outcome on it and
 * queues the webhook. On MOCK_OK *ret_payment (when not NULL) receives the
 * payment; otherwise ret_detail (when not NULL) the refusal's detail. */
static enum mock_err execute(const struct billing *b, const struct sched_claim *c, int64_t at,
                             struct payment *ret_payment, char *ret_detail)
{
    struct billing_order o;
    struct payment p;
    char detail[BILLING_DETAIL_MAX];
    order_of(&c->item, at, &o);
    memset(&p, 0, sizeof p);
    enum mock_err e =
        billing_charge_key(b, c->tid, c->item.customer_uid, BILLING_DOOR_SCHEDULE, &o, &p, detail);
    struct sched_result res = {.executed_at = at ? at : clock_now(), .payment_status = PAY_FAILED};
    char reason[BILLING_DETAIL_MAX + 512];
    if (e == MOCK_OK) {
        res.imp_uid = p.imp_uid;
        res.payment_status = (int)p.status;
        res.fail_reason = p.fail_reason;
        res.pg_provider = p.pg_provider;
        res.pg_id = p.pg_id;
    } else {
        /* refused before the card company: no payment, the item fails with the refusal's text */
        const char *args[] = {detail};
        mock_err_format(e, args, 1, reason, sizeof reason);
        res.fail_reason = reason;
    }
    store_schedule_finish(b->store, c, &res);
    if (e != MOCK_OK) {
        if (ret_detail)
            snprintf(ret_detail, SCHEDULE_DETAIL_MAX, "%s", detail);
        return e;
    }
    /* a scheduled run notifies paid and failed alike (reference §7.5, §8) */
    notice_charge(b->store, c->tid, BILLING_DOOR_SCHEDULE, &p);
    if (ret_payment)
        *ret_payment = p;
    else
        payment_fini(&p);
    return MOCK_OK;
}

size_t schedule_run_due(const struct billing *b, int64_t until, size_t max)
{
    size_t limit = max && max < RUN_ITEMS_MAX ? max : RUN_ITEMS_MAX;
    size_t ran = 0;
    pthread_mutex_lock(&run_lock);
    /* one item claimed at a time: only the item being charged is out of reach
     * of unschedule and PUT */
    while (ran < limit) {
        struct sched_claim c;
        if (store_schedule_claim_due(b->store, until, 1, &c) == 0)
            break;
        execute(b, &c, c.item.schedule_at, NULL, NULL);
        sched_claim_fini(&c);
        ran++;
    }
    pthread_mutex_unlock(&run_lock);
    return ran;
}

enum mock_err schedule_retry(const struct billing *b, int tid, const char *merchant_uid,
                             struct payment *ret_payment, char ret_detail[SCHEDULE_DETAIL_MAX])
{
    struct sched_claim c;
    ret_detail[0] = '\0';
    enum mock_err e = store_schedule_claim(b->store, tid, merchant_uid, &c);
    if (e != MOCK_OK) {
        snprintf(ret_detail, SCHEDULE_DETAIL_MAX, "%s", merchant_uid);
        return e;
    }
    e = execute(b, &c, 0, ret_payment, ret_detail);
    sched_claim_fini(&c);
    return e;
}

/* ---- the background runner ---- */

static void *runner_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&runner.mu);
    while (!runner.stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += SCHEDULE_TICK_MS / 1000;
        ts.tv_nsec += (long)(SCHEDULE_TICK_MS % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&runner.cond, &runner.mu, &ts);
        if (runner.stop)
            break;
        struct billing b = runner.b; /* a reset may give it new test cards meanwhile */
        pthread_mutex_unlock(&runner.mu);
        schedule_run_due(&b, clock_now(), SCHEDULE_TICK_ITEMS);
        vbank_run_due(b.store, clock_now()); /* deposits scenarios scripted */
        pthread_mutex_lock(&runner.mu);
    }
    pthread_mutex_unlock(&runner.mu);
    return NULL;
}

void schedule_use_cards(const struct card_table *cards)
{
    pthread_mutex_lock(&runner.mu);
    runner.b.cards = cards;
    pthread_mutex_unlock(&runner.mu);
}

bool schedule_start(const struct billing *b)
{
    pthread_mutex_lock(&runner.mu);
    if (runner.started) {
        pthread_mutex_unlock(&runner.mu);
        return true;
    }
    if (!runner.cond_ready) {
        pthread_condattr_t ca;
        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        pthread_cond_init(&runner.cond, &ca);
        pthread_condattr_destroy(&ca);
        runner.cond_ready = true;
    }
    runner.b = *b;
    runner.stop = false;
    runner.started = pthread_create(&runner.thread, NULL, runner_main, NULL) == 0;
    bool ok = runner.started;
    pthread_mutex_unlock(&runner.mu);
    return ok;
}

void schedule_stop(void)
{
    pthread_mutex_lock(&runner.mu);
    if (!runner.started) {
        pthread_mutex_unlock(&runner.mu);
        return;
    }
    runner.stop = true;
    pthread_cond_broadcast(&runner.cond);
    pthread_mutex_unlock(&runner.mu);
    pthread_join(runner.thread, NULL);
    pthread_mutex_lock(&runner.mu);
    runner.started = false;
    pthread_mutex_unlock(&runner.mu);
}
