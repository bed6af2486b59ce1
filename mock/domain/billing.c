/* billing.c - see billing.h. */
#include "domain/billing.h"

#include "base/codes.h"
#include "base/limits.h"
#include "domain/notices.h"
#include "domain/order.h"
#include "infra/clock.h"
#include "state/ids.h"

#include <stdio.h>
#include <string.h>

/* Set before the server starts, read-only afterwards (see billing_set_outcome_hook). */
static billing_outcome_fn outcome_hook;
static void *outcome_hook_ud;

/* ---- outcome ---- */

void billing_set_outcome_hook(billing_outcome_fn fn, void *ud)
{
    outcome_hook = fn;
    outcome_hook_ud = ud;
}

void billing_decide(const struct billing *b, const struct billing_attempt *a,
                    struct billing_outcome *ret)
{
    memset(ret, 0, sizeof *ret);
    /* HOOK: the scenario engine decides business outcomes (decline, PG error,
     * card authentication failure) before the test card does. */
    if (outcome_hook && outcome_hook(outcome_hook_ud, a, ret))
        return;
    memset(ret, 0, sizeof *ret);
    if (a->door == BILLING_DOOR_ISSUE)
        return; /* the card check already refused what a card refuses at issuance */
    const char *reason = NULL;
    if (cards_charge_approved(b->cards, a->card_profile, a->charge_no, &reason))
        return;
    ret->verdict = BILLING_DECLINED;
    snprintf(ret->message, sizeof ret->message, "%s", reason ? reason : "");
}

/* The error a refusing verdict answers (MOCK_OK for approved / declined
 * charges, which store a payment); its text goes to ret_detail. */
static enum mock_err verdict_error(const struct billing_outcome *out, bool issuing,
                                   char ret_detail[BILLING_DETAIL_MAX])
{
    switch (out->verdict) {
    case BILLING_APPROVED:
        return MOCK_OK;
    case BILLING_DECLINED:
        if (!issuing)
            return MOCK_OK;
        break; /* a key cannot be "declined": the card company refused it */
    case BILLING_PG_ERROR:
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", out->message);
        return MOCK_PG_FAILED;
    case BILLING_AUTH_FAILED:
        break;
    }
    snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", out->message);
    return issuing ? MOCK_CARD_AUTH_FAILED : MOCK_ONETIME_AUTH_FAILED;
}

/* ---- pure rules ---- */

bool billing_pg_parse(const char *pg, char ret_provider[PG_PROVIDER_MAX + 1],
                      char ret_mid[PG_ID_MAX + 1])
{
    const char *dot = strchr(pg, '.');
    size_t plen = dot ? (size_t)(dot - pg) : strlen(pg);
    size_t mlen = dot ? strlen(dot + 1) : 0;
    if (plen == 0 || plen > PG_PROVIDER_MAX || mlen > PG_ID_MAX || (dot && mlen == 0))
        return false;
    memcpy(ret_provider, pg, plen);
    ret_provider[plen] = '\0';
    if (dot)
        memcpy(ret_mid, dot + 1, mlen + 1);
    else
        ret_mid[0] = '\0';
    return true;
}

enum mock_err billing_channel(const struct merchant *m, const char *pg, struct channel *ret_ch,
                              char ret_detail[BILLING_DETAIL_MAX])
{
    /* empty, not undefined, when pg is NULL: gcc -O3 cannot see that every
     * read below is under `pg` and warns (an error with -Werror) */
    char provider[PG_PROVIDER_MAX + 1] = "", mid[PG_ID_MAX + 1] = "";
    ret_detail[0] = '\0';
    if (pg && !billing_pg_parse(pg, provider, mid))
        return MOCK_NO_KEYIN_PG;
    for (size_t i = 0; i < m->n_channels; i++) {
        const struct channel *c = &m->channels[i];
        if (c->kind != CHANNEL_KEYIN)
            continue;
        if (pg && (strcmp(c->pg_provider, provider) != 0 || (mid[0] && strcmp(c->pg_id, mid) != 0)))
            continue;
        *ret_ch = *c;
        return MOCK_OK;
    }
    /* Kakao Pay keys come only from its window: say so rather than "no module" */
    if (pg && strcmp(provider, "kakaopay") == 0) {
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", provider);
        return MOCK_PG_NO_API_BILLING;
    }
    return MOCK_NO_KEYIN_PG;
}

/* ---- guards ---- */

enum mock_err billing_check_prepare(struct store *s, int tid, const char *merchant_uid,
                                    int64_t amount, const char *currency)
{
    struct prepare p;
    if (store_prepare_get(s, tid, merchant_uid, &p) != MOCK_OK)
        return MOCK_OK; /* not pre-registered: nothing to enforce */
    if (p.amount != amount)
        return MOCK_PREPARE_MISMATCH;
    if (p.currency[0] && strcmp(p.currency, currency ? currency : "KRW") != 0)
        return MOCK_PREPARE_MISMATCH;
    return MOCK_OK;
}

/* ---- PG artefacts ---- */

/* Writes v as exactly `width` decimal digits (v < 10^width) at out. */
static char *put_digits(char *out, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
    return out + width;
}

/* Kakao Pay: its TID. Other PGs: NICE's TID shape, MID + method "01" + medium
 * "16" + yyMMddHHmmss (Korean time) + 4 digits, cut to the field's length. */
static void make_pg_tid(const char *provider, const char *pg_id, int64_t now,
                        char out[PG_TID_MAX + 1])
{
    if (strcmp(provider, "kakaopay") == 0) {
        ids_kakao_tid(out);
        return;
    }
    struct clock_civil kst;
    clock_civil_of(now + KST_OFFSET, &kst);
    uint16_t r;
    ids_bytes(&r, sizeof r);
    char tid[50 + 4 + 12 + 4 + 1];
    size_t mid = strnlen(pg_id, 50);
    memcpy(tid, pg_id, mid);
    char *o = tid + mid;
    memcpy(o, "0116", 4);
    o = put_digits(o + 4, (unsigned)((kst.year % 100 + 100) % 100), 2);
    o = put_digits(o, (unsigned)kst.month, 2);
    o = put_digits(o, (unsigned)kst.day, 2);
    o = put_digits(o, (unsigned)kst.hour, 2);
    o = put_digits(o, (unsigned)kst.min, 2);
    o = put_digits(o, (unsigned)kst.sec, 2);
    o = put_digits(o, (unsigned)(r % 10000), 4);
    *o = '\0';
    str_copy_cut(out, PG_TID_MAX + 1, tid);
}

/* Appends s to out (cap bytes, *len used), cut to fit. */
static void append(char *out, size_t cap, size_t *len, const char *s)
{
    *len += str_copy_cut(out + *len, cap - *len, s);
}

/* Sales-slip URL of a paid payment (never fetched by the mock). */
static void make_receipt_url(const char *provider, const char *pg_tid, char *out, size_t cap)
{
    size_t len = 0;
    if (strcmp(provider, "kakaopay") == 0) {
        char hash[65];
        ids_hex(hash, 64);
        append(out, cap, &len, "https://mockup-pg-web.kakao.com/v1/confirmation/p/");
        append(out, cap, &len, pg_tid);
        append(out, cap, &len, "/");
        append(out, cap, &len, hash);
    } else if (strcmp(provider, "nice") == 0) {
        append(out, cap, &len, "https://npg.nicepay.co.kr/issue/IssueLoader.do?TID=");
        append(out, cap, &len, pg_tid);
        append(out, cap, &len, "&type=0");
    } else {
        /* no known slip host: a reserved .invalid name that can never resolve */
        append(out, cap, &len, "https://receipt.impmock.invalid/");
        append(out, cap, &len, provider);
        append(out, cap, &len, "/");
        append(out, cap, &len, pg_tid);
    }
}

static void make_apply_num(char out[9])
{
    uint32_t r;
    ids_bytes(&r, sizeof r);
    *put_digits(out, (unsigned)(r % 100000000u), 8) = '\0';
}

/* ---- charges ---- */

/* What is charged and how: filled by each door before store_charge. */
struct charge_src {
    const char *customer_uid; /* NULL: a card used once */
    const char *usage;        /* customer_uid_usage (static string) or NULL */
    const char *pg_provider, *pg_id;
    const char *pay_method;                          /* "card" / "point" */
    const char *card_name, *card_code, *card_number; /* masked number */
    int card_type;                                   /* -1 null */
    const struct customer *fallback;                 /* buyer_* defaults, may be NULL */
};

static const char *or_else(const char *v, const char *dflt)
{
    return v ? v : dflt;
}

/* The method a charge on billing key `key` records. A Kakao Pay key keeps
 * what the buyer picked in its window, card or Kakao Money ("point"); one
 * that names no card (a seeded key) can only be Kakao Money (§4.1). Keys
 * from card data are cards. */
static const char *key_method(const struct customer *key)
{
    if (strcmp(key->pg_provider, "kakaopay") == 0 && !key->card_name && !key->card_number)
        return "point";
    return key->pay_method[0] ? key->pay_method : "card";
}

/* Builds and stores the payment an approved or declined charge leaves, and
 * drops the order's claim (charge_begin) in the same step, whatever the
 * outcome. */
static enum mock_err store_charge(const struct billing *b, int tid, const struct charge_src *src,
                                  const struct billing_order *o, const struct billing_outcome *out,
                                  struct payment *ret_payment)
{
    int64_t now = o->at ? o->at : clock_now();
    bool approved = out->verdict == BILLING_APPROVED;
    const struct customer *fb = src->fallback;
    struct payment p;
    memset(&p, 0, sizeof p);
    str_copy_cut(p.merchant_uid, sizeof p.merchant_uid, o->merchant_uid);
    str_copy_cut(p.pay_method, sizeof p.pay_method, src->pay_method);
    str_copy_cut(p.channel, sizeof p.channel, "api");
    str_copy_cut(p.pg_provider, sizeof p.pg_provider, src->pg_provider);
    str_copy_cut(p.pg_id, sizeof p.pg_id, src->pg_id);
    str_copy_cut(p.currency, sizeof p.currency, o->currency ? o->currency : "KRW");
    make_pg_tid(src->pg_provider, src->pg_id, now, p.pg_tid);
    p.customer_uid_usage = src->usage;
    bool money = strcmp(src->pay_method, "point") == 0;
    /* Kakao Money: no card fields and no installments (reference §4.1) */
    p.card_type = money ? -1 : src->card_type;
    p.card_quota = money ? 0 : o->card_quota;
    p.amount = o->amount;
    p.tax_free = o->tax_free;
    p.started_at = now;
    p.updated_at = now;
    char receipt[URL_MAX + 1] = "", apply_num[9] = "";
    if (approved) {
        p.status = PAY_PAID;
        p.paid_at = now;
        make_receipt_url(src->pg_provider, p.pg_tid, receipt, sizeof receipt);
        /* Kakao Money has no card approval number: "" as captures show */
        if (strcmp(src->pay_method, "card") == 0)
            make_apply_num(apply_num);
    } else {
        p.status = PAY_FAILED;
        p.failed_at = now;
    }
    /* p borrows every string (the order's, the key's, the two above): the
     * store packs its own copy, so nothing is duplicated here or freed */
    p.name = (char *)o->name;
    p.buyer_name = (char *)or_else(o->buyer_name, fb ? fb->customer_name : NULL);
    p.buyer_email = (char *)or_else(o->buyer_email, fb ? fb->customer_email : NULL);
    p.buyer_tel = (char *)or_else(o->buyer_tel, fb ? fb->customer_tel : NULL);
    p.buyer_addr = (char *)or_else(o->buyer_addr, fb ? fb->customer_addr : NULL);
    p.buyer_postcode = (char *)or_else(o->buyer_postcode, fb ? fb->customer_postcode : NULL);
    p.custom_data = (char *)o->custom_data;
    p.notice_url = (char *)o->notice_url;
    p.customer_uid = (char *)src->customer_uid;
    p.card_name = money ? NULL : (char *)src->card_name;
    p.card_code = money ? NULL : (char *)src->card_code;
    p.card_number = money ? NULL : (char *)src->card_number;
    p.fail_reason = approved ? NULL : (char *)out->message;
    p.receipt_url = approved ? receipt : NULL;
    p.apply_num = approved ? apply_num : NULL;
    return store_order_settle(b->store, tid, &p, ret_payment);
}

/* The checks of the order every charge passes before it is claimed. */
static enum mock_err charge_check(const struct billing *b, int tid, const struct billing_order *o)
{
    /* card companies take installments only from 50,000 KRW (reference §6.1) */
    enum mock_err e = order_check_quota(o);
    if (e != MOCK_OK)
        return e;
    return billing_check_prepare(b->store, tid, o->merchant_uid, o->amount, o->currency);
}

/* The guards every charge passes before reaching the card company. On
 * MOCK_OK the order is claimed: store_charge, or store_order_release when
 * no payment is stored, ends the claim. */
static enum mock_err charge_begin(const struct billing *b, int tid, const struct billing_order *o)
{
    enum mock_err e = charge_check(b, tid, o);
    if (e != MOCK_OK)
        return e;
    return store_order_reserve(b->store, tid, o->merchant_uid);
}

/* A key record for card data that passed billing_card_check. */
static bool build_key(struct customer *c, const char *customer_uid, const struct channel *ch,
                      const struct billing_card_info *info, const struct billing_holder *h,
                      int64_t now)
{
    memset(c, 0, sizeof *c);
    snprintf(c->customer_uid, sizeof c->customer_uid, "%s", customer_uid);
    snprintf(c->pg_provider, sizeof c->pg_provider, "%s", ch->pg_provider);
    snprintf(c->pg_id, sizeof c->pg_id, "%s", ch->pg_id);
    snprintf(c->pay_method, sizeof c->pay_method, "card");
    c->card_type = info->card_type;
    c->card_profile = info->profile;
    c->inserted = c->updated = now;
    bool ok = str_set(&c->card_name, info->card_name) && str_set(&c->card_code, info->card_code) &&
              str_set(&c->card_number, info->masked) &&
              str_set(&c->customer_id, h ? h->customer_id : NULL) &&
              str_set(&c->customer_name, h ? h->name : NULL) &&
              str_set(&c->customer_tel, h ? h->tel : NULL) &&
              str_set(&c->customer_email, h ? h->email : NULL) &&
              str_set(&c->customer_addr, h ? h->addr : NULL) &&
              str_set(&c->customer_postcode, h ? h->postcode : NULL);
    if (!ok)
        customer_fini(c);
    return ok;
}

/* The tenant's channel for card data plus the card check, shared by key
 * issuance and one-time payments. */
static enum mock_err card_channel(const struct billing *b, int tid, const char *pg,
                                  const struct billing_card *card, int64_t now,
                                  struct channel *ret_ch, struct billing_card_info *ret_info,
                                  char ret_detail[BILLING_DETAIL_MAX])
{
    struct merchant m;
    ret_detail[0] = '\0';
    if (!store_tenant_merchant(b->store, tid, &m))
        return MOCK_INTERNAL;
    enum mock_err e = billing_channel(&m, pg, ret_ch, ret_detail);
    if (e != MOCK_OK)
        return e;
    return billing_card_check(b->cards, card, now, ret_info, ret_detail);
}

enum mock_err billing_issue_key(const struct billing *b, int tid, const char *customer_uid,
                                const char *pg, const struct billing_card *card,
                                const struct billing_holder *holder, struct customer *ret_customer,
                                char ret_detail[BILLING_DETAIL_MAX])
{
    int64_t now = clock_now();
    struct channel ch;
    struct billing_card_info info;
    enum mock_err e = card_channel(b, tid, pg, card, now, &ch, &info, ret_detail);
    if (e != MOCK_OK)
        return e;
    struct billing_attempt a = {
        .door = BILLING_DOOR_ISSUE,
        .tid = tid,
        .customer_uid = customer_uid,
        .pg_provider = ch.pg_provider,
        .pg_id = ch.pg_id,
        .card_profile = info.profile,
    };
    struct billing_outcome out;
    billing_decide(b, &a, &out);
    e = verdict_error(&out, true, ret_detail);
    if (e != MOCK_OK)
        return e;
    struct customer c;
    if (!build_key(&c, customer_uid, &ch, &info, holder, now))
        return MOCK_INTERNAL;
    /* a reused customer_uid is replaced by the newest card (reference §5.2) */
    e = store_customer_put(b->store, tid, &c, ret_customer);
    customer_fini(&c);
    return e;
}

enum mock_err billing_key_known(const struct billing *b, int tid, const char *customer_uid)
{
    return store_customer_exists(b->store, tid, customer_uid) ? MOCK_OK : MOCK_CUSTOMER_UNKNOWN;
}

enum mock_err billing_charge_key(const struct billing *b, int tid, const char *customer_uid,
                                 enum billing_door door, const struct billing_order *o,
                                 struct payment *ret_payment, char ret_detail[BILLING_DETAIL_MAX])
{
    ret_detail[0] = '\0';
    struct customer key;
    /* an unknown key is refused before the order is looked at */
    enum mock_err e = billing_key_known(b, tid, customer_uid);
    if (e == MOCK_OK)
        e = charge_check(b, tid, o);
    if (e != MOCK_OK)
        return e;
    /* the order claimed and the key counted and copied at once: a concurrent
     * re-issue cannot split the card counted from the card charged */
    uint64_t charge_no = 0;
    e = store_order_reserve_key(b->store, tid, o->merchant_uid, customer_uid, &key, &charge_no);
    if (e == MOCK_OK) {
        struct billing_attempt a = {
            .door = door,
            .tid = tid,
            .merchant_uid = o->merchant_uid,
            .customer_uid = key.customer_uid,
            .pg_provider = key.pg_provider,
            .pg_id = key.pg_id,
            .amount = o->amount,
            .card_profile = key.card_profile,
            .charge_no = charge_no,
        };
        struct billing_outcome out;
        billing_decide(b, &a, &out);
        /* a scheduled run always leaves a payment: the schedule and its
         * webhook report a PG or card failure as a failed payment (§7.5) */
        if (door == BILLING_DOOR_SCHEDULE && out.verdict != BILLING_APPROVED)
            out.verdict = BILLING_DECLINED;
        e = verdict_error(&out, false, ret_detail);
        if (e == MOCK_OK) {
            struct charge_src src = {
                .customer_uid = key.customer_uid,
                .usage = door == BILLING_DOOR_SCHEDULE ? "payment.scheduled" : "payment",
                .pg_provider = key.pg_provider,
                .pg_id = key.pg_id,
                .pay_method = key_method(&key),
                .card_name = key.card_name,
                .card_code = key.card_code,
                .card_number = key.card_number,
                .card_type = key.card_type,
                .fallback = &key,
            };
            e = store_charge(b, tid, &src, o, &out, ret_payment); /* ends the claim */
        } else {
            store_order_release(b->store, tid, o->merchant_uid);
        }
        customer_fini(&key);
    }
    /* a scheduled run notifies once its item has recorded the outcome (schedule.c) */
    if (e == MOCK_OK && door != BILLING_DOOR_SCHEDULE)
        notice_charge(b->store, tid, door, ret_payment);
    return e;
}

/* onetime (foreign = false) and foreign: the card check, then one charge. */
static enum mock_err charge_card(const struct billing *b, int tid, const char *pg,
                                 const struct billing_card *card, bool foreign,
                                 const char *customer_uid, const struct billing_holder *holder,
                                 const struct billing_order *o, struct payment *ret_payment,
                                 char ret_detail[BILLING_DETAIL_MAX])
{
    int64_t now = clock_now();
    struct channel ch;
    struct billing_card_info info;
    enum mock_err e = card_channel(b, tid, pg, card, now, &ch, &info, ret_detail);
    if (e == MOCK_CARD_AUTH_FAILED)
        return MOCK_ONETIME_AUTH_FAILED; /* same card text, the one-time wording */
    if (e != MOCK_OK)
        return e;
    const struct std_code *brand = foreign ? codes_card_brand(card->number) : NULL;
    if (brand) { /* a foreign card's issuer is the brand its BIN names */
        info.card_name = brand->name;
        info.card_code = brand->code;
    }
    e = charge_begin(b, tid, o);
    if (e != MOCK_OK)
        return e;
    /* Decided before the key is stored, so a refused request leaves no key.
     * The charge is the card's first either way (a stored key starts at 1). */
    struct billing_attempt a = {
        .door = BILLING_DOOR_ONETIME,
        .tid = tid,
        .merchant_uid = o->merchant_uid,
        .customer_uid = customer_uid,
        .pg_provider = ch.pg_provider,
        .pg_id = ch.pg_id,
        .amount = o->amount,
        .card_profile = info.profile,
        .charge_no = 1,
    };
    struct billing_outcome out;
    billing_decide(b, &a, &out);
    e = verdict_error(&out, false, ret_detail);
    if (e == MOCK_OK && customer_uid) {
        struct customer c;
        uint64_t counted;
        e = build_key(&c, customer_uid, &ch, &info, holder, now) ? MOCK_OK : MOCK_INTERNAL;
        if (e == MOCK_OK) {
            e = store_customer_put(b->store, tid, &c, NULL);
            customer_fini(&c);
        }
        /* this payment is the key's first charge (approve-N-then-decline cards count it) */
        if (e == MOCK_OK)
            e = store_customer_count_charge(b->store, tid, customer_uid, &counted);
    }
    if (e == MOCK_OK) {
        struct charge_src src = {
            .customer_uid = customer_uid,
            /* the key is issued in this payment: "issue" (reference §4 enum) */
            .usage = customer_uid ? "issue" : NULL,
            .pg_provider = ch.pg_provider,
            .pg_id = ch.pg_id,
            .pay_method = "card",
            .card_name = info.card_name,
            .card_code = info.card_code,
            .card_number = info.masked,
            .card_type = info.card_type,
            .fallback = NULL,
        };
        e = store_charge(b, tid, &src, o, &out, ret_payment); /* ends the claim */
    } else {
        store_order_release(b->store, tid, o->merchant_uid);
    }
    if (e == MOCK_OK)
        notice_charge(b->store, tid, BILLING_DOOR_ONETIME, ret_payment);
    return e;
}

enum mock_err billing_charge_card(const struct billing *b, int tid, const char *pg,
                                  const struct billing_card *card, const char *customer_uid,
                                  const struct billing_holder *holder,
                                  const struct billing_order *o, struct payment *ret_payment,
                                  char ret_detail[BILLING_DETAIL_MAX])
{
    return charge_card(b, tid, pg, card, false, customer_uid, holder, o, ret_payment, ret_detail);
}

enum mock_err billing_charge_foreign(const struct billing *b, int tid, const char *pg,
                                     const struct billing_card *card, const struct billing_order *o,
                                     struct payment *ret_payment,
                                     char ret_detail[BILLING_DETAIL_MAX])
{
    return charge_card(b, tid, pg, card, true, NULL, NULL, o, ret_payment, ret_detail);
}

/* ---- the payment window ---- */

/* Kakao Pay's sales slip for a window payment: "p" for the PC flow, "m"
 * for the mobile one (reference §4.1). */
static void window_receipt_url(const char *pg_tid, bool mobile, char *out, size_t cap)
{
    char hash[65];
    ids_hex(hash, 64);
    snprintf(out, cap, "https://mockup-pg-web.kakao.com/v1/confirmation/%c/%s/%s",
             mobile ? 'm' : 'p', pg_tid, hash);
}

/* The billing key an approved window issuance leaves: Kakao Pay keeps the
 * method picked, so later charges record it (reference §4.1). */
static bool window_key(const struct payment *p, const struct billing_window_pick *pick, int64_t now,
                       struct customer *ret_c)
{
    struct customer *c = ret_c;
    memset(c, 0, sizeof *c);
    snprintf(c->customer_uid, sizeof c->customer_uid, "%s", p->customer_uid);
    snprintf(c->pg_provider, sizeof c->pg_provider, "%s", p->pg_provider);
    snprintf(c->pg_id, sizeof c->pg_id, "%s", p->pg_id);
    snprintf(c->pay_method, sizeof c->pay_method, "%s", pick->money ? "point" : "card");
    c->card_type = pick->money ? -1 : p->card_type;
    c->card_profile = pick->money ? -1 : pick->card_profile;
    c->inserted = c->updated = now;
    bool ok =
        str_set(&c->customer_name, p->buyer_name) && str_set(&c->customer_tel, p->buyer_tel) &&
        str_set(&c->customer_email, p->buyer_email) && str_set(&c->customer_addr, p->buyer_addr) &&
        str_set(&c->customer_postcode, p->buyer_postcode);
    if (ok && !pick->money)
        ok = str_set(&c->card_name, p->card_name) && str_set(&c->card_code, p->card_code) &&
             str_set(&c->card_number, p->card_number);
    if (!ok)
        customer_fini(c);
    return ok;
}

/* Writes the final state of a window payment; MOCK_CHECKOUT_DONE when
 * another request changed it first. */
static enum mock_err window_store(const struct billing *b, int tid, struct payment *p,
                                  struct payment *ret_payment)
{
    enum mock_err e = store_payment_replace(b->store, tid, p);
    if (e == MOCK_IN_PROGRESS)
        return MOCK_CHECKOUT_DONE;
    if (e != MOCK_OK)
        return e;
    return store_payment_get(b->store, tid, p->imp_uid, ret_payment);
}

static void window_failed(struct payment *p, int64_t now, const char *reason, bool *ok)
{
    p->status = PAY_FAILED;
    p->failed_at = now;
    p->updated_at = now;
    *ok = str_set(&p->fail_reason, reason);
}

/* The window payment imp_uid, still ready; MOCK_CHECKOUT_DONE otherwise. */
static enum mock_err window_payment(const struct billing *b, int tid, const char *imp_uid,
                                    struct payment *ret_p)
{
    enum mock_err e = store_payment_get(b->store, tid, imp_uid, ret_p);
    if (e != MOCK_OK)
        return e;
    if (ret_p->status != PAY_READY) {
        payment_fini(ret_p);
        return MOCK_CHECKOUT_DONE;
    }
    return MOCK_OK;
}

enum mock_err billing_window_fail(const struct billing *b, int tid, const char *imp_uid,
                                  const char *reason, struct payment *ret_payment)
{
    struct payment p;
    enum mock_err e = window_payment(b, tid, imp_uid, &p);
    if (e != MOCK_OK)
        return e;
    bool ok;
    window_failed(&p, clock_now(), reason, &ok);
    e = ok ? window_store(b, tid, &p, ret_payment) : MOCK_INTERNAL;
    payment_fini(&p);
    return e;
}

/* Fills the card or Kakao Money fields of a window payment as picked. */
static bool window_method(const struct billing *b, struct payment *p,
                          const struct billing_window_pick *pick)
{
    snprintf(p->pay_method, sizeof p->pay_method, "%s", pick->money ? "point" : "card");
    if (pick->money) {
        /* Kakao Money: no card fields, quota 0, apply_num "" (reference §4.1) */
        p->card_type = -1;
        p->card_quota = 0;
        return str_set(&p->card_name, NULL) && str_set(&p->card_code, NULL) &&
               str_set(&p->card_number, NULL);
    }
    const char *name, *code;
    int type;
    char masked[CARD_DIGITS_MAX + 1] = "";
    cards_issuer(b->cards, pick->card_profile, &name, &code, &type);
    if (pick->card_profile >= 0 && (size_t)pick->card_profile < b->cards->n)
        cards_mask(b->cards->cards[pick->card_profile].digits, masked);
    else
        snprintf(masked, sizeof masked, "%s", "940912******5432"); /* a plain BC card */
    p->card_type = type;
    p->card_quota = pick->card_quota;
    return str_set(&p->card_name, name) && str_set(&p->card_code, code) &&
           str_set(&p->card_number, masked);
}

/* The verdict on a window approval, or the guard that refused it first.
 * *ret_error_code is NULL when approved. */
static void window_verdict(const struct billing *b, int tid, const struct payment *p,
                           const struct billing_window_pick *pick, struct billing_outcome *ret,
                           const char **ret_error_code)
{
    bool issue_only = p->customer_uid && p->amount == 0;
    memset(ret, 0, sizeof *ret);
    *ret_error_code = NULL;
    const struct test_card *tc = NULL;
    if (!pick->money && pick->card_profile >= 0 && (size_t)pick->card_profile < b->cards->n)
        tc = &b->cards->cards[pick->card_profile];
    if (issue_only && tc && tc->outcome == CARD_AUTH_FAIL) {
        /* the 0-won check a key issuance makes is where such a card fails */
        ret->verdict = BILLING_AUTH_FAILED;
        snprintf(ret->message, sizeof ret->message, "%s", tc->fail_reason);
    } else {
        struct billing_attempt a = {
            .door = issue_only ? BILLING_DOOR_ISSUE : BILLING_DOOR_WINDOW,
            .tid = tid,
            .merchant_uid = p->merchant_uid,
            .customer_uid = p->customer_uid,
            .pg_provider = p->pg_provider,
            .pg_id = p->pg_id,
            .amount = p->amount,
            .card_profile = pick->money ? -1 : pick->card_profile,
            .charge_no = 1,
        };
        billing_decide(b, &a, ret);
    }
    switch (ret->verdict) {
    case BILLING_APPROVED:
        break;
    case BILLING_DECLINED:
        *ret_error_code = "DECLINED";
        break;
    case BILLING_PG_ERROR:
        *ret_error_code = "PG_ERROR";
        break;
    case BILLING_AUTH_FAILED:
        *ret_error_code = "AUTH_FAILED";
        break;
    }
}

enum mock_err billing_window_approve(const struct billing *b, int tid, const char *imp_uid,
                                     const struct billing_window_pick *pick,
                                     struct payment *ret_payment, const char **ret_error_code)
{
    struct payment p;
    *ret_error_code = NULL;
    enum mock_err e = window_payment(b, tid, imp_uid, &p);
    if (e != MOCK_OK)
        return e;
    int64_t now = clock_now();
    bool ok = true;
    char merchant_uid[MERCHANT_UID_MAX + 1]; /* outlives p, for the release */
    snprintf(merchant_uid, sizeof merchant_uid, "%s", p.merchant_uid);
    struct billing_order o = {.merchant_uid = merchant_uid,
                              .amount = p.amount,
                              .currency = p.currency,
                              .card_quota = pick->money ? 0 : pick->card_quota};
    /* the same guards as every other door: prepare amount, paid order, one at a time */
    enum mock_err guard = charge_begin(b, tid, &o);
    if (guard != MOCK_OK) {
        *ret_error_code = guard == MOCK_ALREADY_PAID       ? "ALREADY_PAID"
                          : guard == MOCK_IN_PROGRESS      ? "IN_PROGRESS"
                          : guard == MOCK_PREPARE_MISMATCH ? "PREPARE_MISMATCH"
                                                           : mock_err_name(guard);
        window_failed(&p, now, mock_err_message(guard), &ok);
        e = ok ? window_store(b, tid, &p, ret_payment) : MOCK_INTERNAL;
        payment_fini(&p);
        return e;
    }
    struct billing_outcome out;
    ok = window_method(b, &p, pick);
    window_verdict(b, tid, &p, pick, &out, ret_error_code);
    if (ok && out.verdict == BILLING_APPROVED) {
        char receipt[URL_MAX + 1], apply_num[9] = "";
        window_receipt_url(p.pg_tid, pick->mobile, receipt, sizeof receipt);
        if (!pick->money)
            make_apply_num(apply_num);
        p.status = PAY_PAID;
        p.paid_at = now;
        p.updated_at = now;
        ok = str_set(&p.receipt_url, receipt) && str_set(&p.apply_num, apply_num);
        if (ok && p.customer_uid) {
            struct customer c;
            uint64_t counted;
            ok = window_key(&p, pick, now, &c);
            /* a reused customer_uid is replaced by the newest key (reference §5.2) */
            e = ok ? store_customer_put(b->store, tid, &c, NULL) : MOCK_INTERNAL;
            if (ok)
                customer_fini(&c);
            /* a window payment that also charged is the key's first charge */
            if (e == MOCK_OK && p.amount > 0)
                e = store_customer_count_charge(b->store, tid, p.customer_uid, &counted);
            ok = e == MOCK_OK;
        }
    } else if (ok) {
        window_failed(&p, now, out.message, &ok);
    }
    e = ok ? window_store(b, tid, &p, ret_payment) : MOCK_INTERNAL;
    payment_fini(&p);
    store_order_release(b->store, tid, merchant_uid);
    return e;
}
