/* checkout.c - see checkout.h. */
#include "domain/checkout.h"

#include "domain/notices.h"
#include "domain/order.h"
#include "infra/clock.h"
#include "infra/scenario.h"
#include "infra/secret.h"
#include "infra/webhook.h"
#include "state/ids.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The text the real windows answer when the buyer gives up (reference §9.6). */
static const char user_cancel_reason[] = "사용자가 결제를 취소하셨습니다";

/* A ring of windows, newest at next_slot - 1; guarded by lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct checkout_window *windows[CHECKOUT_MAX_WINDOWS];
static size_t next_slot;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ;
}

/* Under lock. */
static struct checkout_window *find(const char *id)
{
    for (size_t i = 0; i < CHECKOUT_MAX_WINDOWS; i++)
        if (windows[i] && strcmp(windows[i]->id, id) == 0)
            return windows[i];
    return NULL;
}

static bool remember(const struct checkout_window *w)
{
    struct checkout_window *copy = malloc(sizeof *copy);
    if (!copy)
        return false;
    *copy = *w;
    pthread_mutex_lock(&lock);
    struct checkout_window *old = windows[next_slot];
    windows[next_slot] = copy;
    next_slot = (next_slot + 1) % CHECKOUT_MAX_WINDOWS;
    pthread_mutex_unlock(&lock);
    free(old);
    return true;
}

enum mock_err checkout_get(const char *id, struct checkout_window *ret_w)
{
    pthread_mutex_lock(&lock);
    const struct checkout_window *w = find(id);
    if (w)
        *ret_w = *w;
    pthread_mutex_unlock(&lock);
    return w ? MOCK_OK : MOCK_CHECKOUT_NOT_FOUND;
}

enum mock_err checkout_check_key(const char *id, const char *key)
{
    char want[CHECKOUT_KEY_LEN + 1] = "";
    pthread_mutex_lock(&lock);
    const struct checkout_window *w = find(id);
    if (w)
        memcpy(want, w->key, sizeof want);
    pthread_mutex_unlock(&lock);
    if (!w)
        return MOCK_CHECKOUT_NOT_FOUND;
    return key && secret_equal(key, want) ? MOCK_OK : MOCK_CHECKOUT_KEY;
}

void checkout_forget(int tid)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < CHECKOUT_MAX_WINDOWS; i++) {
        if (windows[i] && (tid < 0 || windows[i]->tid == tid)) {
            free(windows[i]);
            windows[i] = NULL;
        }
    }
    pthread_mutex_unlock(&lock);
}

void checkout_fini(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < CHECKOUT_MAX_WINDOWS; i++) {
        free(windows[i]);
        windows[i] = NULL;
    }
    next_slot = 0;
    pthread_mutex_unlock(&lock);
}

/* ---- opening ---- */

/* The Kakao Pay channel a request_pay pg names: "kakaopay" picks the
 * onetime channel, or the subscription one for a billing key; a CID must be
 * one of the merchant's (reference §9.2, §10). */
static enum mock_err pick_channel(const struct merchant *m, const char *pg, bool issue,
                                  struct channel *ret_ch, char ret_detail[BILLING_DETAIL_MAX])
{
    char provider[PG_PROVIDER_MAX + 1], cid[PG_ID_MAX + 1];
    const char *want = pg && pg[0] ? pg : m->default_pg;
    snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", want[0] ? want : "(기본 PG 없음)");
    if (!want[0] || !billing_pg_parse(want, provider, cid))
        return MOCK_CHECKOUT_NO_CHANNEL;
    if (strcmp(provider, "kakaopay") != 0)
        return MOCK_CHECKOUT_PG_UNSUPPORTED;
    /* the first channel of the right kind; else the first Kakao Pay one, refused below */
    const struct channel *found = NULL;
    bool found_fits = false;
    for (size_t i = 0; i < m->n_channels; i++) {
        const struct channel *c = &m->channels[i];
        bool window = c->kind == CHANNEL_ONETIME || c->kind == CHANNEL_SUBSCRIPTION;
        if (!window || strcmp(c->pg_provider, provider) != 0 ||
            (cid[0] && strcmp(c->pg_id, cid) != 0))
            continue;
        bool fits = (c->kind == CHANNEL_SUBSCRIPTION) == issue;
        if (!found || (fits && !found_fits)) {
            found = c;
            found_fits = fits;
        }
    }
    if (!found)
        return MOCK_CHECKOUT_NO_CHANNEL;
    if (issue && found->kind != CHANNEL_SUBSCRIPTION) {
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s.%s", found->pg_provider, found->pg_id);
        return MOCK_CHECKOUT_KEY_CID;
    }
    if (!issue && found->kind == CHANNEL_SUBSCRIPTION) {
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", found->pg_id);
        return MOCK_CHECKOUT_SUBSCRIPTION_CID;
    }
    *ret_ch = *found;
    ret_detail[0] = '\0';
    return MOCK_OK;
}

/* The `ready` payment a window stands for. */
static enum mock_err store_ready(const struct billing *b, int tid,
                                 const struct checkout_request *rq, const struct channel *ch,
                                 struct payment *ret_payment)
{
    const struct billing_order *o = &rq->order;
    int64_t now = clock_now();
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "%s", o->merchant_uid);
    /* what the request said until the buyer picks (Kakao Pay then overrides it) */
    snprintf(p.pay_method, sizeof p.pay_method, "%s",
             rq->pay_method && rq->pay_method[0] ? rq->pay_method : "card");
    snprintf(p.channel, sizeof p.channel, "%s", rq->mobile ? "mobile" : "pc");
    snprintf(p.pg_provider, sizeof p.pg_provider, "%s", ch->pg_provider);
    snprintf(p.pg_id, sizeof p.pg_id, "%s", ch->pg_id);
    snprintf(p.currency, sizeof p.currency, "KRW");
    ids_kakao_tid(p.pg_tid); /* Kakao issues the TID when the window opens (its "ready") */
    p.customer_uid_usage = rq->customer_uid ? "issue" : NULL;
    p.card_type = -1;
    p.amount = o->amount;
    p.tax_free = o->tax_free;
    p.status = PAY_READY;
    p.started_at = now;
    p.updated_at = now;
    bool ok = str_set(&p.name, o->name) && str_set(&p.buyer_name, o->buyer_name) &&
              str_set(&p.buyer_email, o->buyer_email) && str_set(&p.buyer_tel, o->buyer_tel) &&
              str_set(&p.buyer_addr, o->buyer_addr) &&
              str_set(&p.buyer_postcode, o->buyer_postcode) &&
              str_set(&p.custom_data, o->custom_data) && str_set(&p.notice_url, o->notice_url) &&
              str_set(&p.user_agent, rq->user_agent) && str_set(&p.customer_uid, rq->customer_uid);
    enum mock_err e =
        ok ? store_payment_insert(b->store, tid, &p, false, ret_payment) : MOCK_INTERNAL;
    payment_fini(&p);
    return e;
}

/* The window's scenario effect, if any (layer window, op checkout). */
static void window_effect(const struct merchant *m, const struct checkout_request *rq,
                          const struct channel *ch, struct checkout_window *w)
{
    struct scn_call call = {.op = SCN_OP_CHECKOUT,
                            .route = "POST /checkout/open",
                            .imp_key = m->imp_key,
                            .merchant_uid = rq->order.merchant_uid,
                            .customer_uid = rq->customer_uid,
                            .pg = ch->pg_provider,
                            .pg_id = ch->pg_id,
                            .amount = rq->order.amount,
                            .has_amount = true};
    struct scn_effect eff;
    if (!scenario_match(&call, SCN_WINDOW, &eff))
        return;
    switch (eff.kind) {
    case SCN_WINDOW_APPROVE_CARD:
        w->auto_action = CHECKOUT_AUTO_APPROVE_CARD;
        break;
    case SCN_WINDOW_APPROVE_MONEY:
        w->auto_action = CHECKOUT_AUTO_APPROVE_MONEY;
        break;
    case SCN_WINDOW_CANCEL:
        w->auto_action = CHECKOUT_AUTO_CANCEL;
        break;
    case SCN_WINDOW_FAIL:
        w->auto_action = CHECKOUT_AUTO_FAIL;
        break;
    case SCN_WINDOW_HANG:
        w->auto_action = CHECKOUT_AUTO_HANG;
        break;
    default:
        return;
    }
    w->auto_delay_ms = eff.delay_ms;
    snprintf(w->auto_message, sizeof w->auto_message, "%s", eff.message);
    snprintf(w->auto_scenario, sizeof w->auto_scenario, "%s", eff.scenario);
}

enum mock_err checkout_open(const struct billing *b, const struct checkout_request *rq,
                            struct checkout_window *ret_w, char ret_detail[BILLING_DETAIL_MAX])
{
    int tid;
    struct merchant m;
    ret_detail[0] = '\0';
    if (!rq->merchant_code || !store_tenant_by_code(b->store, rq->merchant_code, &tid, &m)) {
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s",
                 rq->merchant_code ? rq->merchant_code : "(IMP.init 호출 전)");
        return MOCK_CHECKOUT_UNKNOWN_MERCHANT;
    }
    bool issue = rq->customer_uid != NULL;
    struct channel ch;
    enum mock_err e = pick_channel(&m, rq->pg, issue, &ch, ret_detail);
    if (e == MOCK_OK)
        e = order_check(&rq->order, BILLING_DOOR_WINDOW, issue, ret_detail);
    /* refused before any window opens, as the real SDK does (reference §3.8, §9.6) */
    if (e == MOCK_OK)
        e = store_order_check(b->store, tid, rq->order.merchant_uid);
    if (e == MOCK_OK)
        e = billing_check_prepare(b->store, tid, rq->order.merchant_uid, rq->order.amount,
                                  rq->order.currency);
    if (e != MOCK_OK)
        return e;

    struct payment p;
    e = store_ready(b, tid, rq, &ch, &p);
    if (e != MOCK_OK)
        return e;
    struct checkout_window *w = calloc(1, sizeof *w);
    if (!w) {
        payment_fini(&p);
        return MOCK_INTERNAL;
    }
    ids_hex(w->id, CHECKOUT_ID_LEN);
    ids_secret_hex(w->key, CHECKOUT_KEY_LEN);
    w->tid = tid;
    snprintf(w->imp_uid, sizeof w->imp_uid, "%s", p.imp_uid);
    snprintf(w->merchant_uid, sizeof w->merchant_uid, "%s", p.merchant_uid);
    payment_fini(&p);
    w->mobile = rq->mobile;
    w->issue_key = issue;
    w->methods = rq->methods;
    w->state = CHECKOUT_OPEN;
    snprintf(w->m_redirect_url, sizeof w->m_redirect_url, "%s",
             rq->m_redirect_url ? rq->m_redirect_url : "");
    snprintf(w->origin, sizeof w->origin, "%s", rq->origin ? rq->origin : "");
    snprintf(w->custom_message, sizeof w->custom_message, "%s",
             rq->custom_message ? rq->custom_message : "");
    w->amount = rq->order.amount;
    for (size_t i = 0; i < rq->n_card_quotas && i < CHECKOUT_QUOTAS_MAX; i++)
        w->card_quotas[w->n_card_quotas++] = rq->card_quotas[i];
    window_effect(&m, rq, &ch, w);
    e = remember(w) ? MOCK_OK : MOCK_INTERNAL;
    if (e == MOCK_OK)
        *ret_w = *w;
    free(w);
    return e;
}

/* ---- the buyer's actions ---- */

/* Claims an open window for one action; false when done or under way. */
static enum mock_err claim(const char *id, struct checkout_window *ret_w)
{
    enum mock_err e = MOCK_CHECKOUT_NOT_FOUND;
    pthread_mutex_lock(&lock);
    struct checkout_window *w = find(id);
    if (w && w->state != CHECKOUT_OPEN) {
        e = MOCK_CHECKOUT_DONE;
    } else if (w) {
        w->state = CHECKOUT_BUSY;
        *ret_w = *w;
        e = MOCK_OK;
    }
    pthread_mutex_unlock(&lock);
    return e;
}

/* Stores the outcome of the claimed window (state from w). */
static void settle(const struct checkout_window *w)
{
    pthread_mutex_lock(&lock);
    struct checkout_window *cur = find(w->id);
    if (cur)
        *cur = *w; /* forgotten meanwhile (ring full): nothing to keep */
    pthread_mutex_unlock(&lock);
}

/* The pick an automatic approval makes: the buyer's first card (the first
 * test card, which the default fixtures approve), or Kakao Money. */
static struct billing_window_pick auto_pick(const struct checkout_window *w, bool money)
{
    struct billing_window_pick pick = {.money = money, .card_profile = -1, .mobile = w->mobile};
    if (!money)
        pick.card_profile = 0;
    /* a single display.card_quota fixes the months (reference §9.2) */
    if (!money && w->n_card_quotas == 1 && checkout_quota_allowed(w, w->card_quotas[0]))
        pick.card_quota = w->card_quotas[0];
    return pick;
}

bool checkout_quota_allowed(const struct checkout_window *w, int months)
{
    if (months == 0)
        return true;
    if (months < 2 || months > CHECKOUT_QUOTA_MONTHS || !order_quota_allowed(w->amount, months))
        return false;
    if (w->n_card_quotas == 0)
        return months <= 12;
    for (size_t i = 0; i < w->n_card_quotas; i++)
        if (w->card_quotas[i] == months)
            return true;
    return false;
}

static enum mock_err approve(const struct billing *b, struct checkout_window *w,
                             const struct billing_window_pick *pick, struct payment *ret_payment)
{
    struct billing_window_pick p = *pick;
    if (w->methods == CHECKOUT_CARD_ONLY && p.money)
        return MOCK_CHECKOUT_METHOD;
    if (w->methods == CHECKOUT_MONEY_ONLY && !p.money)
        return MOCK_CHECKOUT_METHOD;
    if (!p.money &&
        (p.card_profile < -1 || (p.card_profile >= 0 && (size_t)p.card_profile >= b->cards->n)))
        return MOCK_CHECKOUT_METHOD;
    if (p.money)
        p.card_quota = 0;
    else if (!checkout_quota_allowed(w, p.card_quota))
        return MOCK_CHECKOUT_METHOD;
    p.mobile = w->mobile;
    const char *cause = NULL;
    enum mock_err e = billing_window_approve(b, w->tid, w->imp_uid, &p, ret_payment, &cause);
    if (e != MOCK_OK)
        return e;
    w->success = ret_payment->status == PAY_PAID;
    if (!w->success) {
        snprintf(w->error_code, sizeof w->error_code, "%s", cause ? cause : "DECLINED");
        snprintf(w->error_msg, sizeof w->error_msg, "%s",
                 ret_payment->fail_reason ? ret_payment->fail_reason : "");
    }
    w->webhook_id = notice_charge(b->store, w->tid, BILLING_DOOR_WINDOW, ret_payment);
    return MOCK_OK;
}

static enum mock_err fail(const struct billing *b, struct checkout_window *w, const char *code,
                          const char *reason, struct payment *ret_payment)
{
    enum mock_err e = billing_window_fail(b, w->tid, w->imp_uid, reason, ret_payment);
    if (e != MOCK_OK)
        return e;
    w->success = false;
    snprintf(w->error_code, sizeof w->error_code, "%s", code);
    snprintf(w->error_msg, sizeof w->error_msg, "%s", reason);
    return MOCK_OK;
}

enum mock_err checkout_act(const struct billing *b, const char *id, enum checkout_action action,
                           const struct billing_window_pick *pick, struct checkout_window *ret_w,
                           struct payment *ret_payment)
{
    struct checkout_window w;
    enum mock_err e = checkout_get(id, &w);
    if (e == MOCK_OK && action == CHECKOUT_AUTO && w.auto_action == CHECKOUT_AUTO_NONE)
        return MOCK_CHECKOUT_NO_AUTO; /* the buyer decides this one */
    if (e == MOCK_OK)
        e = claim(id, &w);
    if (e != MOCK_OK)
        return e;
    if (action == CHECKOUT_AUTO && w.auto_delay_ms > 0)
        sleep_ms(w.auto_delay_ms);
    enum checkout_auto what = action == CHECKOUT_AUTO ? w.auto_action : CHECKOUT_AUTO_NONE;
    struct billing_window_pick chosen;
    switch (what) {
    case CHECKOUT_AUTO_NONE:
        if (action == CHECKOUT_APPROVE)
            e = approve(b, &w, pick, ret_payment);
        else
            e = fail(b, &w, "USER_CANCEL", user_cancel_reason, ret_payment);
        break;
    case CHECKOUT_AUTO_APPROVE_CARD:
    case CHECKOUT_AUTO_APPROVE_MONEY:
        chosen = auto_pick(&w, what == CHECKOUT_AUTO_APPROVE_MONEY);
        /* a restriction wins over the scenario: a card-only window pays by card */
        if (w.methods == CHECKOUT_CARD_ONLY)
            chosen = auto_pick(&w, false);
        else if (w.methods == CHECKOUT_MONEY_ONLY)
            chosen = auto_pick(&w, true);
        if (!chosen.money && b->cards->n == 0)
            chosen.card_profile = -1;
        e = approve(b, &w, &chosen, ret_payment);
        break;
    case CHECKOUT_AUTO_CANCEL:
        e = fail(b, &w, "USER_CANCEL", user_cancel_reason, ret_payment);
        break;
    case CHECKOUT_AUTO_FAIL:
        e = fail(b, &w, "PG_ERROR", w.auto_message, ret_payment);
        break;
    case CHECKOUT_AUTO_HANG:
        /* the window never answers: leave it open, the payment ready */
        w.state = CHECKOUT_OPEN;
        settle(&w);
        *ret_w = w;
        return store_payment_get(b->store, w.tid, w.imp_uid, ret_payment);
    }
    /* a payment finished or forgotten elsewhere (a reset) closes the window too */
    bool over = e == MOCK_OK || e == MOCK_CHECKOUT_DONE || e == MOCK_PAYMENT_NOT_FOUND;
    w.state = over ? CHECKOUT_DONE : CHECKOUT_OPEN;
    settle(&w);
    if (e != MOCK_OK)
        return e;
    /* a scenario may make the answer wait for the merchant's webhook (reference §8) */
    if (w.webhook_id && webhook_before_redirect(w.webhook_id))
        webhook_wait(w.webhook_id, CHECKOUT_HOOK_WAIT_MS);
    *ret_w = w;
    return MOCK_OK;
}

enum mock_err checkout_returned(const char *id, struct checkout_window *ret_w)
{
    bool first = false;
    enum mock_err e = MOCK_CHECKOUT_NOT_FOUND;
    pthread_mutex_lock(&lock);
    struct checkout_window *w = find(id);
    if (w && w->state != CHECKOUT_DONE) {
        e = MOCK_CHECKOUT_OPEN;
    } else if (w) {
        first = !w->redirected;
        w->redirected = true;
        *ret_w = *w;
        e = MOCK_OK;
    }
    pthread_mutex_unlock(&lock);
    if (first)
        webhook_redirected(ret_w->tid, ret_w->imp_uid);
    return e;
}
