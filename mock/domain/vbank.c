/* vbank.c - see vbank.h. */
#include "domain/vbank.h"

#include "domain/billing.h"
#include "domain/notices.h"
#include "infra/clock.h"
#include "state/ids.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLACE_RETRIES 16 /* replace attempts lost to concurrent changes of one account */

/* Set before the server starts, read-only afterwards (see vbank_set_outcome_hook). */
static vbank_outcome_fn outcome_hook;
static void *outcome_hook_ud;

/* One run of scripted deposits at a time, so they are made in due order. */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;

void vbank_set_outcome_hook(vbank_outcome_fn fn, void *ud)
{
    outcome_hook = fn;
    outcome_hook_ud = ud;
}

/* ---- the PGs that issue virtual accounts by API (reference §17.1) ---- */

/* What a PG requires of POST /vbanks beyond the common fields. */
#define NEEDS_HOLDER       0x01u
#define NEEDS_BUYER_NAME   0x02u
#define NEEDS_BUYER_EMAIL  0x04u
#define NEEDS_BUYER_TEL    0x08u
#define NEEDS_PRODUCT_TYPE 0x10u
#define NEEDS_API_KEY      0x20u

/* Whose name the account shows. */
enum holder_rule {
    HOLDER_GIVEN,    /* vbank_holder as sent (the merchant's name when absent) */
    HOLDER_MERCHANT, /* vbank_holder ignored: the merchant's name */
    HOLDER_NULL,     /* vbank_holder ignored and reported null (Toss Payments) */
};

static const struct vbank_pg {
    const char *provider;
    unsigned needs;
    enum holder_rule holder;
    const char *banks; /* the KFTC codes it issues at; NULL = every bank impmock knows */
} vbank_pgs[] = {
    {"settle", NEEDS_HOLDER, HOLDER_GIVEN, NULL},
    {"nice", NEEDS_HOLDER, HOLDER_GIVEN, NULL},
    {"nice_v2", 0, HOLDER_GIVEN, "004 023 034 003 011 031 032 088 081 020 071 089"},
    {"html5_inicis", NEEDS_HOLDER | NEEDS_BUYER_NAME | NEEDS_BUYER_EMAIL | NEEDS_API_KEY,
     HOLDER_GIVEN, NULL},
    {"ksnet", NEEDS_BUYER_NAME | NEEDS_PRODUCT_TYPE, HOLDER_MERCHANT, NULL},
    {"smartro_v2", NEEDS_HOLDER | NEEDS_BUYER_NAME | NEEDS_BUYER_EMAIL | NEEDS_BUYER_TEL,
     HOLDER_GIVEN, NULL},
    {"tosspayments", NEEDS_BUYER_NAME, HOLDER_NULL, NULL},
    {"welcome", NEEDS_BUYER_NAME, HOLDER_MERCHANT,
     "004 034 039 003 031 032 007 088 081 020 037 089"},
};

static const struct vbank_pg *pg_rules(const char *provider)
{
    for (size_t i = 0; i < sizeof vbank_pgs / sizeof vbank_pgs[0]; i++)
        if (strcmp(vbank_pgs[i].provider, provider) == 0)
            return &vbank_pgs[i];
    return NULL;
}

static bool is_vbank(const struct payment *p)
{
    return strcmp(p->pay_method, "vbank") == 0;
}

static bool given(const char *s)
{
    return s && s[0];
}

/* ---- pure rules ---- */

enum mock_err vbank_channel(const struct merchant *m, const char *channel_key, const char *pg,
                            struct channel *ret_ch, char ret_detail[VBANK_DETAIL_MAX])
{
    char provider[PG_PROVIDER_MAX + 1] = "", mid[PG_ID_MAX + 1] = "";
    ret_detail[0] = '\0';
    if (given(channel_key))
        snprintf(ret_detail, VBANK_DETAIL_MAX, "channel_key: %.100s", channel_key);
    else if (given(pg))
        snprintf(ret_detail, VBANK_DETAIL_MAX, "pg: %.100s", pg);
    else
        snprintf(ret_detail, VBANK_DETAIL_MAX, "가상계좌 채널 없음");
    if (!given(channel_key) && given(pg) && !billing_pg_parse(pg, provider, mid))
        return MOCK_VBANK_NO_CONTRACT;
    const struct channel *found = NULL;
    size_t n = 0;
    for (size_t i = 0; i < m->n_channels; i++) {
        const struct channel *c = &m->channels[i];
        if (c->kind != CHANNEL_VBANK || !pg_rules(c->pg_provider))
            continue;
        if (given(channel_key) && strcmp(c->key, channel_key) != 0)
            continue;
        if (!given(channel_key) && given(pg) &&
            (strcmp(c->pg_provider, provider) != 0 || (mid[0] && strcmp(c->pg_id, mid) != 0)))
            continue;
        if (!found)
            found = c;
        n++;
    }
    if (!found)
        return MOCK_VBANK_NO_CONTRACT;
    /* older docs: pg is needed only when several API-type PGs are set up */
    if (n > 1 && !given(channel_key) && !given(pg))
        return MOCK_VBANK_PG_REQUIRED;
    *ret_ch = *found;
    ret_detail[0] = '\0';
    return MOCK_OK;
}

/* Whether the space-separated list holds code. */
static bool listed(const char *list, const char *code)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if (n == strlen(code) && strncmp(p, code, n) == 0)
            return true;
        p += n;
        p += *p == ' ';
    }
    return false;
}

enum mock_err vbank_check_order(const struct channel *ch, const struct vbank_order *o, int64_t now,
                                char ret_kftc[4], char ret_detail[VBANK_DETAIL_MAX])
{
    static const struct {
        unsigned need;
        size_t field; /* offsetof the string in struct vbank_order */
        const char *name;
    } fields[] = {
        {NEEDS_HOLDER, offsetof(struct vbank_order, vbank_holder), "vbank_holder"},
        {NEEDS_BUYER_NAME, offsetof(struct vbank_order, buyer_name), "buyer_name"},
        {NEEDS_BUYER_EMAIL, offsetof(struct vbank_order, buyer_email), "buyer_email"},
        {NEEDS_BUYER_TEL, offsetof(struct vbank_order, buyer_tel), "buyer_tel"},
        {NEEDS_PRODUCT_TYPE, offsetof(struct vbank_order, product_type), "product_type"},
    };
    const struct vbank_pg *rules = pg_rules(ch->pg_provider);
    ret_detail[0] = '\0';
    if (!rules) {
        snprintf(ret_detail, VBANK_DETAIL_MAX, "%s", ch->pg_provider);
        return MOCK_VBANK_NO_CONTRACT;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = *(const char *const *)((const char *)o + fields[i].field);
        if ((rules->needs & fields[i].need) && !given(v)) {
            snprintf(ret_detail, VBANK_DETAIL_MAX, "%s", fields[i].name);
            return MOCK_VBANK_MISSING;
        }
    }
    if ((rules->needs & NEEDS_API_KEY) && !given(o->pg_api_key))
        return MOCK_VBANK_HASH_MISMATCH;
    snprintf(ret_detail, VBANK_DETAIL_MAX, "%.40s", o->vbank_code ? o->vbank_code : "");
    if (!o->vbank_code || !accounts_bank_code(o->vbank_code, ret_kftc))
        return MOCK_VBANK_BANK_UNKNOWN;
    if (rules->banks && !listed(rules->banks, ret_kftc)) {
        snprintf(ret_detail, VBANK_DETAIL_MAX, "%s (%s)", ret_kftc, rules->provider);
        return MOCK_VBANK_BANK_UNKNOWN;
    }
    ret_detail[0] = '\0';
    if (o->vbank_due <= now)
        return MOCK_VBANK_DUE_PAST;
    return MOCK_OK;
}

bool vbank_expired(const struct payment *p, int64_t now)
{
    /* the deadline second itself still takes deposits (23:59:59 is the last) */
    return is_vbank(p) && p->vbank_date > 0 && now > p->vbank_date;
}

/* Why p cannot be deposited into, changed or revoked now: not a virtual
 * account, or no longer waiting for its money. */
static enum mock_err check_ready(const struct payment *p, char ret_detail[VBANK_DETAIL_MAX])
{
    ret_detail[0] = '\0';
    if (!is_vbank(p))
        return MOCK_VBANK_NOT_VBANK;
    if (p->status != PAY_READY) {
        snprintf(ret_detail, VBANK_DETAIL_MAX, "%s", pay_status_name(p->status));
        return MOCK_VBANK_NOT_READY;
    }
    return MOCK_OK;
}

enum mock_err vbank_deposit_check(const struct payment *p, int64_t amount, int64_t at,
                                  char ret_detail[VBANK_DETAIL_MAX])
{
    enum mock_err e = check_ready(p, ret_detail);
    if (e != MOCK_OK)
        return e;
    if (vbank_expired(p, at))
        return MOCK_VBANK_EXPIRED;
    /* banks take exactly the amount owed: a short or an over-deposit is sent back */
    if (amount != p->amount) {
        snprintf(ret_detail, VBANK_DETAIL_MAX, "%lld", (long long)p->amount);
        return MOCK_VBANK_DEPOSIT_AMOUNT;
    }
    return MOCK_OK;
}

enum mock_err vbank_refund_check(const struct payment *p, const struct vbank_refund *r,
                                 char ret_detail[VBANK_DETAIL_MAX])
{
    ret_detail[0] = '\0';
    if (!is_vbank(p) || p->status != PAY_PAID)
        return MOCK_OK;
    if (!given(r->holder) || !given(r->bank) || !given(r->account))
        return MOCK_VBANK_REFUND_ACCOUNT;
    char kftc[ACCOUNTS_CODE_LEN + 1];
    if (!accounts_bank_code(r->bank, kftc)) {
        snprintf(ret_detail, VBANK_DETAIL_MAX, "%.40s", r->bank);
        return MOCK_VBANK_BANK_UNKNOWN;
    }
    return MOCK_OK;
}

void vbank_revoke_apply(struct payment *p, int64_t now)
{
    p->status = PAY_CANCELLED;
    p->cancelled_at = now;
    p->updated_at = now;
    p->vbank_deposit_at = 0;
}

/* ---- issuing ---- */

/* "X" + 13 digits, the shape test MIDs give (§17.5). */
static void make_vbank_num(char out[VBANK_NUM_MAX + 1])
{
    uint8_t r[VBANK_DIGITS];
    ids_bytes(r, sizeof r);
    out[0] = 'X';
    for (size_t i = 0; i < VBANK_DIGITS; i++)
        out[1 + i] = (char)('0' + r[i] % 10);
    out[1 + VBANK_DIGITS] = '\0';
}

/* The scenario's word on this issuance; issued plainly when none. */
static void decide(int tid, const struct vbank_order *o, const struct channel *ch,
                   struct vbank_outcome *ret)
{
    memset(ret, 0, sizeof *ret);
    struct vbank_attempt a = {tid, o->merchant_uid, ch->pg_provider, ch->pg_id, o->amount};
    if (!outcome_hook || !outcome_hook(outcome_hook_ud, &a, ret))
        memset(ret, 0, sizeof *ret);
}

/* The ready payment o leaves, issued at `now` through ch (owned strings). */
static bool build_account(struct payment *p, const struct merchant *m, const struct channel *ch,
                          const struct vbank_order *o, const char *kftc, int64_t now)
{
    const struct vbank_pg *rules = pg_rules(ch->pg_provider);
    memset(p, 0, sizeof *p);
    snprintf(p->merchant_uid, sizeof p->merchant_uid, "%s", o->merchant_uid);
    snprintf(p->pay_method, sizeof p->pay_method, "vbank");
    snprintf(p->channel, sizeof p->channel, "api");
    snprintf(p->pg_provider, sizeof p->pg_provider, "%s", ch->pg_provider);
    snprintf(p->pg_id, sizeof p->pg_id, "%s", ch->pg_id);
    snprintf(p->currency, sizeof p->currency, "KRW");
    char hex[17];
    ids_hex(hex, 16);
    snprintf(p->pg_tid, sizeof p->pg_tid, "%.50s_V%s", ch->pg_id, hex);
    p->card_type = -1;
    p->amount = o->amount;
    p->tax_free = o->tax_free;
    p->status = PAY_READY;
    p->started_at = p->updated_at = p->vbank_issued_at = now;
    p->vbank_date = o->vbank_due;
    char num[VBANK_NUM_MAX + 1];
    if (given(o->vbank_num))
        snprintf(num, sizeof num, "%s", o->vbank_num);
    else
        make_vbank_num(num);
    const char *holder = rules->holder == HOLDER_NULL       ? NULL
                         : rules->holder == HOLDER_MERCHANT ? m->name
                         : given(o->vbank_holder)           ? o->vbank_holder
                                                            : m->name;
    bool ok = str_set(&p->vbank_code, kftc) && str_set(&p->vbank_name, accounts_bank_name(kftc)) &&
              str_set(&p->vbank_num, num) && str_set(&p->vbank_holder, holder) &&
              str_set(&p->name, o->name) && str_set(&p->buyer_name, o->buyer_name) &&
              str_set(&p->buyer_email, o->buyer_email) && str_set(&p->buyer_tel, o->buyer_tel) &&
              str_set(&p->buyer_addr, o->buyer_addr) &&
              str_set(&p->buyer_postcode, o->buyer_postcode) &&
              str_set(&p->custom_data, o->custom_data) && str_set(&p->notice_url, o->notice_url);
    if (!ok)
        payment_fini(p);
    return ok;
}

/* The deposit scripted at `at` into account imp_uid, made (or, when the
 * deadline passed first, dropped) at that time. */
static void scripted_deposit(struct store *s, int tid, const char *imp_uid, int64_t at);

enum mock_err vbank_issue(struct store *s, int tid, const struct vbank_order *o,
                          struct payment *ret_payment, char ret_detail[VBANK_DETAIL_MAX])
{
    int64_t now = clock_now();
    struct merchant *m = malloc(sizeof *m); /* several KiB: not on a worker's small stack */
    struct channel ch;
    char kftc[ACCOUNTS_CODE_LEN + 1];
    ret_detail[0] = '\0';
    if (!m || !store_tenant_merchant(s, tid, m)) {
        free(m);
        return MOCK_INTERNAL;
    }
    enum mock_err e = vbank_channel(m, o->channel_key, o->pg, &ch, ret_detail);
    if (e == MOCK_OK)
        e = vbank_check_order(&ch, o, now, kftc, ret_detail);
    if (e == MOCK_OK)
        e = billing_check_prepare(s, tid, o->merchant_uid, o->amount, NULL);
    /* several accounts of one order may wait at once; a paid order takes none */
    if (e == MOCK_OK)
        e = store_order_reserve(s, tid, o->merchant_uid);
    if (e != MOCK_OK) {
        free(m);
        return e;
    }
    struct vbank_outcome out;
    decide(tid, o, &ch, &out);
    struct payment p;
    if (out.verdict == VBANK_REFUSED) {
        snprintf(ret_detail, VBANK_DETAIL_MAX, "%s", out.message);
        e = MOCK_PG_FAILED;
    } else if (!build_account(&p, m, &ch, o, kftc, now)) {
        e = MOCK_INTERNAL;
    } else {
        if (out.verdict == VBANK_DEPOSIT_LATER)
            p.vbank_deposit_at = now + out.deposit_after_s;
        e = store_payment_insert(s, tid, &p, false, ret_payment);
        payment_fini(&p);
    }
    store_order_release(s, tid, o->merchant_uid);
    free(m);
    if (e != MOCK_OK)
        return e;
    notice_vbank(s, tid, NOTICE_VBANK_ISSUED, ret_payment);
    if (ret_payment->vbank_deposit_at && ret_payment->vbank_deposit_at <= now) {
        pthread_mutex_lock(&run_lock);
        scripted_deposit(s, tid, ret_payment->imp_uid, ret_payment->vbank_deposit_at);
        pthread_mutex_unlock(&run_lock);
    }
    return MOCK_OK;
}

/* ---- changing an account ---- */

/* Changes account p as of `now` (arg: what to change), or says why not. */
typedef enum mock_err (*change_fn)(struct payment *p, const void *arg, int64_t now,
                                   char ret_detail[VBANK_DETAIL_MAX]);

/* Reads payment imp_uid, lets `apply` change it, writes it back unless it
 * changed meanwhile (then again, on the fresh copy). MOCK_OK with *ret
 * (owned). */
static enum mock_err update(struct store *s, int tid, const char *imp_uid, change_fn apply,
                            const void *arg, int64_t now, struct payment *ret,
                            char ret_detail[VBANK_DETAIL_MAX])
{
    for (int attempt = 0; attempt < REPLACE_RETRIES; attempt++) {
        struct payment p;
        enum mock_err e = store_payment_get(s, tid, imp_uid, &p);
        if (e != MOCK_OK)
            return e;
        e = apply(&p, arg, now, ret_detail);
        if (e == MOCK_OK)
            e = store_payment_replace(s, tid, &p);
        if (e == MOCK_OK) {
            *ret = p; /* ownership moves to the caller */
            return MOCK_OK;
        }
        payment_fini(&p);
        if (e != MOCK_IN_PROGRESS)
            return e;
    }
    return MOCK_IN_PROGRESS;
}

static enum mock_err apply_change(struct payment *p, const void *arg, int64_t now,
                                  char ret_detail[VBANK_DETAIL_MAX])
{
    const struct vbank_change *c = arg;
    enum mock_err e = check_ready(p, ret_detail);
    if (e != MOCK_OK)
        return e;
    /* only settle lets an account be changed (§17.2) */
    if (strcmp(p->pg_provider, "settle") != 0) {
        snprintf(ret_detail, VBANK_DETAIL_MAX, "%s", p->pg_provider);
        return MOCK_VBANK_EDIT_PG;
    }
    if (p->tax_free > 0)
        return MOCK_VBANK_EDIT_TAX_FREE;
    if (vbank_expired(p, now))
        return MOCK_VBANK_EXPIRED;
    if (c->has_due && c->vbank_due <= now)
        return MOCK_VBANK_DUE_PAST;
    if (c->has_amount)
        p->amount = c->amount;
    if (c->has_due)
        p->vbank_date = c->vbank_due;
    return MOCK_OK;
}

enum mock_err vbank_change(struct store *s, int tid, const char *imp_uid,
                           const struct vbank_change *c, struct payment *ret_payment,
                           char ret_detail[VBANK_DETAIL_MAX])
{
    struct payment p;
    enum mock_err e = update(s, tid, imp_uid, apply_change, c, clock_now(), &p, ret_detail);
    if (e != MOCK_OK)
        return e;
    notice_vbank(s, tid, NOTICE_VBANK_CHANGED, &p); /* sends nothing, by the rule */
    *ret_payment = p;
    return MOCK_OK;
}

static enum mock_err apply_revoke(struct payment *p, const void *arg, int64_t now,
                                  char ret_detail[VBANK_DETAIL_MAX])
{
    const char *pg_api_key = arg;
    enum mock_err e = check_ready(p, ret_detail);
    if (e != MOCK_OK)
        return e;
    const struct vbank_pg *rules = pg_rules(p->pg_provider);
    if (rules && (rules->needs & NEEDS_API_KEY) && !given(pg_api_key))
        return MOCK_VBANK_HASH_MISMATCH;
    vbank_revoke_apply(p, now);
    return MOCK_OK;
}

enum mock_err vbank_revoke(struct store *s, int tid, const char *imp_uid, const char *pg_api_key,
                           struct payment *ret_payment, char ret_detail[VBANK_DETAIL_MAX])
{
    struct payment p;
    enum mock_err e =
        update(s, tid, imp_uid, apply_revoke, pg_api_key, clock_now(), &p, ret_detail);
    if (e != MOCK_OK)
        return e;
    notice_vbank(s, tid, NOTICE_VBANK_REVOKED, &p); /* sends nothing, by the rule */
    *ret_payment = p;
    return MOCK_OK;
}

/* ---- deposits ---- */

struct deposit_arg {
    bool has_amount;
    int64_t amount;
    bool scripted;       /* a scenario's deposit: the pending one is used up either way */
    int64_t scripted_at; /* which pending deposit (it may have been rescripted) */
};

static enum mock_err apply_deposit(struct payment *p, const void *arg, int64_t at,
                                   char ret_detail[VBANK_DETAIL_MAX])
{
    const struct deposit_arg *d = arg;
    if (d->scripted && (p->vbank_deposit_at != d->scripted_at || p->status != PAY_READY))
        return MOCK_VBANK_NOT_READY; /* changed meanwhile: nothing left to do */
    enum mock_err e = vbank_deposit_check(p, d->has_amount ? d->amount : p->amount, at, ret_detail);
    if (e == MOCK_OK) {
        p->status = PAY_PAID;
        p->paid_at = at;
        p->updated_at = at;
        p->vbank_deposit_at = 0;
        return MOCK_OK;
    }
    /* a scripted deposit the deadline overtook is sent back by the bank: it
     * is dropped, and the account stays as it is */
    if (d->scripted && e == MOCK_VBANK_EXPIRED) {
        p->vbank_deposit_at = 0;
        return MOCK_OK;
    }
    return e;
}

enum mock_err vbank_deposit(struct store *s, int tid, const char *imp_uid, bool has_amount,
                            int64_t amount, struct payment *ret_payment,
                            char ret_detail[VBANK_DETAIL_MAX])
{
    struct deposit_arg d = {has_amount, amount, false, 0};
    struct payment p;
    enum mock_err e = update(s, tid, imp_uid, apply_deposit, &d, clock_now(), &p, ret_detail);
    if (e != MOCK_OK)
        return e;
    notice_vbank(s, tid, NOTICE_VBANK_DEPOSITED, &p);
    *ret_payment = p;
    return MOCK_OK;
}

static void scripted_deposit(struct store *s, int tid, const char *imp_uid, int64_t at)
{
    struct deposit_arg d = {false, 0, true, at};
    struct payment p;
    char detail[VBANK_DETAIL_MAX];
    if (update(s, tid, imp_uid, apply_deposit, &d, at, &p, detail) != MOCK_OK)
        return;
    if (p.status == PAY_PAID)
        notice_vbank(s, tid, NOTICE_VBANK_DEPOSITED, &p);
    else
        notice_vbank(s, tid, NOTICE_VBANK_EXPIRED, &p); /* sends nothing, by the rule */
    payment_fini(&p);
}

size_t vbank_run_due(struct store *s, int64_t until)
{
    size_t handled = 0;
    pthread_mutex_lock(&run_lock);
    while (handled < VBANK_RUN_MAX) {
        struct vbank_due due[VBANK_RUN_BATCH];
        size_t n = store_vbank_due(s, until, VBANK_RUN_BATCH, due);
        for (size_t i = 0; i < n; i++)
            scripted_deposit(s, due[i].tid, due[i].imp_uid, due[i].at);
        handled += n;
        if (n < VBANK_RUN_BATCH)
            break;
    }
    pthread_mutex_unlock(&run_lock);
    return handled;
}

/* ---- holder lookup ---- */

enum mock_err vbank_holder(const struct account_table *t, const char *bank_code,
                           const char *bank_num, const char **ret_holder)
{
    char kftc[ACCOUNTS_CODE_LEN + 1];
    const struct bank_account *a =
        accounts_bank_code(bank_code, kftc) ? accounts_find(t, kftc, bank_num) : NULL;
    if (!a)
        return MOCK_VBANK_HOLDER_NOT_FOUND;
    *ret_holder = a->holder;
    return MOCK_OK;
}
