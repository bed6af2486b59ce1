/* state.c - see state.h. */
#include "state/state.h"

#include "infra/json.h"
#include "state/state_documents.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading helpers: every failure names the field ---- */

struct rd {
    const cJSON *o;
    const char *what; /* "payments[3]" */
    char *err;
    size_t errlen;
    bool ok;
};

static void rd_fail(struct rd *r, const char *field, const char *problem)
{
    if (r->ok)
        snprintf(r->err, r->errlen, "%s: field \"%s\" %s", r->what, field, problem);
    r->ok = false;
}

/* Into a fixed array; required fields must be present and non-empty. */
static void rd_fixed(struct rd *r, const char *field, char *dst, size_t cap, bool required)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(r->o, field);
    dst[0] = '\0';
    if (!it || cJSON_IsNull(it)) {
        if (required)
            rd_fail(r, field, "is required");
        return;
    }
    if (!cJSON_IsString(it) || strlen(it->valuestring) >= cap) {
        rd_fail(r, field, "must be a short string");
        return;
    }
    memcpy(dst, it->valuestring, strlen(it->valuestring) + 1);
    if (required && !dst[0])
        rd_fail(r, field, "must not be empty");
}

/* Into an owned string field (NULL for JSON null or absent). */
static void rd_str(struct rd *r, const char *field, char **dst)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(r->o, field);
    if (!it || cJSON_IsNull(it))
        return;
    if (!cJSON_IsString(it) || strlen(it->valuestring) > CUSTOM_DATA_MAX) {
        rd_fail(r, field, "must be a string or null");
        return;
    }
    if (!str_set(dst, it->valuestring))
        rd_fail(r, field, "could not be stored (out of memory)");
}

static int64_t rd_int(struct rd *r, const char *field, int64_t min, int64_t max, int64_t dflt)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(r->o, field);
    if (!it || cJSON_IsNull(it))
        return dflt;
    double d = cJSON_IsNumber(it) ? it->valuedouble : NAN;
    if (!isfinite(d) || d != floor(d) || d < (double)min || d > (double)max) {
        rd_fail(r, field, "must be a whole number in range");
        return dflt;
    }
    return (int64_t)d;
}

static bool rd_bool(struct rd *r, const char *field)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(r->o, field);
    if (!it || cJSON_IsNull(it))
        return false;
    if (!cJSON_IsBool(it))
        rd_fail(r, field, "must be true or false");
    return cJSON_IsTrue(it);
}

/* ---- writing helpers ---- */

static bool add_int(cJSON *o, const char *name, int64_t v)
{
    return cJSON_AddNumberToObject(o, name, (double)v) != NULL;
}

static bool add_nullable_int(cJSON *o, const char *name, int v)
{
    return v < 0 ? cJSON_AddNullToObject(o, name) != NULL : add_int(o, name, v);
}

/* ---- payments ---- */

static const char *const usages[] = {"issue", "payment", "payment.scheduled"};

cJSON *state_payment_to_json(const struct payment *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *cancels = NULL;
    bool ok =
        o && cJSON_AddStringToObject(o, "imp_uid", p->imp_uid) &&
        cJSON_AddStringToObject(o, "merchant_uid", p->merchant_uid) &&
        cJSON_AddStringToObject(o, "pay_method", p->pay_method) &&
        cJSON_AddStringToObject(o, "channel", p->channel) &&
        cJSON_AddStringToObject(o, "pg_provider", p->pg_provider) &&
        cJSON_AddStringToObject(o, "pg_tid", p->pg_tid) &&
        cJSON_AddStringToObject(o, "pg_id", p->pg_id) &&
        cJSON_AddStringToObject(o, "currency", p->currency) &&
        json_add_str(o, "customer_uid_usage", p->customer_uid_usage) &&
        cJSON_AddBoolToObject(o, "escrow", p->escrow) &&
        cJSON_AddBoolToObject(o, "cash_receipt_issued", p->cash_receipt_issued) &&
        add_nullable_int(o, "card_type", p->card_type) && add_int(o, "card_quota", p->card_quota) &&
        add_int(o, "amount", p->amount) && add_int(o, "cancel_amount", p->cancel_amount) &&
        add_int(o, "tax_free", p->tax_free) && add_int(o, "cancel_tax_free", p->cancel_tax_free) &&
        cJSON_AddStringToObject(o, "status", pay_status_name(p->status)) &&
        add_int(o, "started_at", p->started_at) && add_int(o, "paid_at", p->paid_at) &&
        add_int(o, "failed_at", p->failed_at) && add_int(o, "cancelled_at", p->cancelled_at) &&
        add_int(o, "updated_at", p->updated_at) && add_int(o, "vbank_date", p->vbank_date) &&
        add_int(o, "vbank_issued_at", p->vbank_issued_at) &&
        add_int(o, "vbank_deposit_at", p->vbank_deposit_at);
#define X(f) ok = ok && json_add_str(o, #f, p->f);
    PAYMENT_STR_FIELDS(X)
#undef X
    ok = ok && (cancels = cJSON_AddArrayToObject(o, "cancels")) != NULL;
    for (size_t i = 0; ok && i < p->n_cancels; i++) {
        const struct cancel_entry *c = &p->cancels[i];
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(cancels, e) &&
             cJSON_AddStringToObject(e, "pg_tid", c->pg_tid) && add_int(e, "amount", c->amount) &&
             add_int(e, "tax_free", c->tax_free) && add_int(e, "cancelled_at", c->cancelled_at) &&
             json_add_str(e, "reason", c->reason) &&
             cJSON_AddStringToObject(e, "cancellation_id", c->cancellation_id) &&
             json_add_str(e, "receipt_url", c->receipt_url);
        if (!ok && e && !cJSON_GetArrayItem(cancels, (int)i))
            cJSON_Delete(e);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

bool state_payment_from_json(const cJSON *o, struct payment *ret, char *err, size_t errlen)
{
    struct payment p;
    memset(&p, 0, sizeof p);
    struct rd r = {o, "payment", err, errlen, true};
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "payment: must be an object");
        return false;
    }
    rd_fixed(&r, "imp_uid", p.imp_uid, sizeof p.imp_uid, true);
    rd_fixed(&r, "merchant_uid", p.merchant_uid, sizeof p.merchant_uid, true);
    rd_fixed(&r, "pay_method", p.pay_method, sizeof p.pay_method, false);
    rd_fixed(&r, "channel", p.channel, sizeof p.channel, false);
    rd_fixed(&r, "pg_provider", p.pg_provider, sizeof p.pg_provider, false);
    rd_fixed(&r, "pg_tid", p.pg_tid, sizeof p.pg_tid, false);
    rd_fixed(&r, "pg_id", p.pg_id, sizeof p.pg_id, false);
    rd_fixed(&r, "currency", p.currency, sizeof p.currency, false);
    char usage[32], status[16];
    rd_fixed(&r, "customer_uid_usage", usage, sizeof usage, false);
    p.customer_uid_usage = NULL;
    for (size_t i = 0; usage[0] && i < sizeof usages / sizeof usages[0]; i++)
        if (!strcmp(usage, usages[i]))
            p.customer_uid_usage = usages[i];
    if (usage[0] && !p.customer_uid_usage)
        rd_fail(&r, "customer_uid_usage", "must be issue, payment, payment.scheduled or null");
    rd_fixed(&r, "status", status, sizeof status, true);
    if (r.ok && !pay_status_parse(status, &p.status))
        rd_fail(&r, "status", "must be ready, paid, failed or cancelled");
    p.escrow = rd_bool(&r, "escrow");
    p.cash_receipt_issued = rd_bool(&r, "cash_receipt_issued");
    p.card_type = (int)rd_int(&r, "card_type", 0, 1, -1);
    p.card_quota = (int)rd_int(&r, "card_quota", 0, 60, 0);
    p.amount = rd_int(&r, "amount", 0, AMOUNT_MAX, 0);
    p.cancel_amount = rd_int(&r, "cancel_amount", 0, p.amount, 0);
    p.tax_free = rd_int(&r, "tax_free", 0, p.amount, 0);
    p.cancel_tax_free = rd_int(&r, "cancel_tax_free", 0, p.tax_free, 0);
    p.started_at = rd_int(&r, "started_at", 0, AMOUNT_MAX, 0);
    p.paid_at = rd_int(&r, "paid_at", 0, AMOUNT_MAX, 0);
    p.failed_at = rd_int(&r, "failed_at", 0, AMOUNT_MAX, 0);
    p.cancelled_at = rd_int(&r, "cancelled_at", 0, AMOUNT_MAX, 0);
    p.updated_at = rd_int(&r, "updated_at", 0, AMOUNT_MAX, 0);
    p.vbank_date = rd_int(&r, "vbank_date", 0, AMOUNT_MAX, 0);
    p.vbank_issued_at = rd_int(&r, "vbank_issued_at", 0, AMOUNT_MAX, 0);
    p.vbank_deposit_at = rd_int(&r, "vbank_deposit_at", 0, AMOUNT_MAX, 0);
    if (!p.pay_method[0])
        memcpy(p.pay_method, "card", 5);
    if (!p.currency[0])
        memcpy(p.currency, "KRW", 4);
#define X(f) rd_str(&r, #f, &p.f);
    PAYMENT_STR_FIELDS(X)
#undef X
    const cJSON *cancels = cJSON_GetObjectItemCaseSensitive(o, "cancels");
    if (cancels && !cJSON_IsArray(cancels))
        rd_fail(&r, "cancels", "must be an array");
    int n = r.ok && cancels ? cJSON_GetArraySize(cancels) : 0;
    if (n > 0) {
        p.cancels = calloc((size_t)n, sizeof *p.cancels);
        if (!p.cancels)
            rd_fail(&r, "cancels", "could not be stored (out of memory)");
    }
    for (int i = 0; r.ok && i < n; i++) {
        struct cancel_entry *c = &p.cancels[i];
        char what[48];
        snprintf(what, sizeof what, "payment cancels[%d]", i);
        struct rd rc = {cJSON_GetArrayItem(cancels, i), what, err, errlen, true};
        p.n_cancels = (size_t)i + 1;
        rd_fixed(&rc, "pg_tid", c->pg_tid, sizeof c->pg_tid, false);
        c->amount = rd_int(&rc, "amount", 0, AMOUNT_MAX, 0);
        c->tax_free = rd_int(&rc, "tax_free", 0, AMOUNT_MAX, 0);
        c->cancelled_at = rd_int(&rc, "cancelled_at", 0, AMOUNT_MAX, 0);
        rd_fixed(&rc, "cancellation_id", c->cancellation_id, sizeof c->cancellation_id, false);
        rd_str(&rc, "reason", &c->reason);
        rd_str(&rc, "receipt_url", &c->receipt_url);
        r.ok = rc.ok;
    }
    if (!r.ok) {
        payment_fini(&p);
        return false;
    }
    *ret = p;
    return true;
}

/* ---- customers ---- */

cJSON *state_customer_to_json(const struct customer *c)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "customer_uid", c->customer_uid) &&
              cJSON_AddStringToObject(o, "pg_provider", c->pg_provider) &&
              cJSON_AddStringToObject(o, "pg_id", c->pg_id) &&
              cJSON_AddStringToObject(o, "pay_method", c->pay_method) &&
              add_nullable_int(o, "card_type", c->card_type) &&
              add_int(o, "card_profile", c->card_profile) && add_int(o, "inserted", c->inserted) &&
              add_int(o, "updated", c->updated) && add_int(o, "charges", (int64_t)c->charges);
#define X(f) ok = ok && json_add_str(o, #f, c->f);
    CUSTOMER_STR_FIELDS(X)
#undef X
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

bool state_customer_from_json(const cJSON *o, struct customer *ret, char *err, size_t errlen)
{
    struct customer c;
    memset(&c, 0, sizeof c);
    struct rd r = {o, "customer", err, errlen, true};
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "customer: must be an object");
        return false;
    }
    rd_fixed(&r, "customer_uid", c.customer_uid, sizeof c.customer_uid, true);
    rd_fixed(&r, "pg_provider", c.pg_provider, sizeof c.pg_provider, true);
    rd_fixed(&r, "pg_id", c.pg_id, sizeof c.pg_id, true);
    rd_fixed(&r, "pay_method", c.pay_method, sizeof c.pay_method, false);
    if (!c.pay_method[0])
        memcpy(c.pay_method, "card", 5);
    c.card_type = (int)rd_int(&r, "card_type", 0, 1, -1);
    c.card_profile = (int)rd_int(&r, "card_profile", -1, 100000, -1);
    c.inserted = rd_int(&r, "inserted", 0, AMOUNT_MAX, 0);
    c.updated = rd_int(&r, "updated", 0, AMOUNT_MAX, 0);
    c.charges = (uint64_t)rd_int(&r, "charges", 0, AMOUNT_MAX, 0);
#define X(f) rd_str(&r, #f, &c.f);
    CUSTOMER_STR_FIELDS(X)
#undef X
    /* a full card number never enters the store, even from an import */
    if (r.ok && c.card_number) {
        size_t digits = 0;
        for (const char *q = c.card_number; *q; q++)
            digits += *q >= '0' && *q <= '9';
        if (!strchr(c.card_number, '*') && digits >= 13)
            rd_fail(&r, "card_number", "must be masked (e.g. 424242******4242)");
    }
    if (!r.ok) {
        customer_fini(&c);
        return false;
    }
    *ret = c;
    return true;
}

/* ---- schedules ---- */

cJSON *state_schedule_to_json(const struct schedule *sc)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "customer_uid", sc->customer_uid) &&
              cJSON_AddStringToObject(o, "merchant_uid", sc->merchant_uid) &&
              cJSON_AddStringToObject(o, "imp_uid", sc->imp_uid) &&
              cJSON_AddStringToObject(o, "pg_provider", sc->pg_provider) &&
              cJSON_AddStringToObject(o, "pg_id", sc->pg_id) &&
              cJSON_AddStringToObject(o, "currency", sc->currency) &&
              add_int(o, "schedule_at", sc->schedule_at) &&
              add_int(o, "executed_at", sc->executed_at) &&
              add_int(o, "revoked_at", sc->revoked_at) && add_int(o, "amount", sc->amount) &&
              add_int(o, "tax_free", sc->tax_free) && add_int(o, "card_quota", sc->card_quota) &&
              cJSON_AddStringToObject(o, "schedule_status", sched_status_name(sc->status)) &&
              add_int(o, "payment_status", sc->payment_status);
#define X(f) ok = ok && json_add_str(o, #f, sc->f);
    SCHEDULE_STR_FIELDS(X)
#undef X
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

bool state_schedule_from_json(const cJSON *o, struct schedule *ret, char *err, size_t errlen)
{
    struct schedule sc;
    memset(&sc, 0, sizeof sc);
    struct rd r = {o, "schedule", err, errlen, true};
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "schedule: must be an object");
        return false;
    }
    char status[16];
    rd_fixed(&r, "customer_uid", sc.customer_uid, sizeof sc.customer_uid, true);
    rd_fixed(&r, "merchant_uid", sc.merchant_uid, sizeof sc.merchant_uid, true);
    rd_fixed(&r, "imp_uid", sc.imp_uid, sizeof sc.imp_uid, false);
    rd_fixed(&r, "pg_provider", sc.pg_provider, sizeof sc.pg_provider, false);
    rd_fixed(&r, "pg_id", sc.pg_id, sizeof sc.pg_id, false);
    rd_fixed(&r, "currency", sc.currency, sizeof sc.currency, false);
    if (!sc.currency[0])
        memcpy(sc.currency, "KRW", 4);
    sc.schedule_at = rd_int(&r, "schedule_at", 0, AMOUNT_MAX, 0);
    sc.executed_at = rd_int(&r, "executed_at", 0, AMOUNT_MAX, 0);
    sc.revoked_at = rd_int(&r, "revoked_at", 0, AMOUNT_MAX, 0);
    sc.amount = rd_int(&r, "amount", 0, AMOUNT_MAX, 0);
    sc.tax_free = rd_int(&r, "tax_free", 0, sc.amount, 0);
    sc.card_quota = (int)rd_int(&r, "card_quota", 0, 60, 0);
    sc.payment_status = (int)rd_int(&r, "payment_status", -1, PAY__COUNT - 1, -1);
    rd_fixed(&r, "schedule_status", status, sizeof status, true);
    if (r.ok && !sched_status_parse(status, &sc.status))
        rd_fail(&r, "schedule_status", "must be scheduled, executed or revoked");
#define X(f) rd_str(&r, #f, &sc.f);
    SCHEDULE_STR_FIELDS(X)
#undef X
    if (!r.ok) {
        schedule_fini(&sc);
        return false;
    }
    *ret = sc;
    return true;
}

/* ---- prepares and merchants ---- */

cJSON *state_prepare_to_json(const struct prepare *p)
{
    /* the API's own shape (GET /payments/prepare/{merchant_uid}) */
    cJSON *o = cJSON_CreateObject();
    if (!o || !json_add_str(o, "merchant_uid", p->merchant_uid) ||
        !cJSON_AddNumberToObject(o, "amount", (double)p->amount) ||
        !json_add_str(o, "currency", p->currency[0] ? p->currency : NULL)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

bool state_prepare_from_json(const cJSON *o, struct prepare *ret, char *err, size_t errlen)
{
    struct prepare p;
    memset(&p, 0, sizeof p);
    struct rd r = {o, "prepare", err, errlen, true};
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "prepare: must be an object");
        return false;
    }
    rd_fixed(&r, "merchant_uid", p.merchant_uid, sizeof p.merchant_uid, true);
    p.amount = rd_int(&r, "amount", 0, AMOUNT_MAX, 0);
    if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "amount")))
        rd_fail(&r, "amount", "is required");
    rd_fixed(&r, "currency", p.currency, sizeof p.currency, false);
    if (!r.ok)
        return false;
    *ret = p;
    return true;
}

cJSON *state_merchant_to_json(const struct merchant *m)
{
    static const char *const kinds[] = {"onetime", "subscription", "keyin", "vbank"};
    cJSON *o = cJSON_CreateObject();
    cJSON *chs = NULL;
    /* the secret stays out: an export is for bug reports */
    bool ok = o && cJSON_AddStringToObject(o, "merchant_code", m->merchant_code) &&
              cJSON_AddStringToObject(o, "imp_key", m->imp_key) &&
              cJSON_AddStringToObject(o, "name", m->name) &&
              cJSON_AddStringToObject(o, "default_pg", m->default_pg) &&
              json_add_str(o, "webhook_url", m->webhook_url[0] ? m->webhook_url : NULL) &&
              cJSON_AddStringToObject(o, "webhook_format", m->webhook_form ? "form" : "json") &&
              (chs = cJSON_AddArrayToObject(o, "channels")) != NULL;
    for (size_t i = 0; ok && i < m->n_channels; i++) {
        const struct channel *ch = &m->channels[i];
        cJSON *c = cJSON_CreateObject();
        ok = c && cJSON_AddItemToArray(chs, c) &&
             cJSON_AddStringToObject(c, "pg_provider", ch->pg_provider) &&
             cJSON_AddStringToObject(c, "pg_id", ch->pg_id) &&
             cJSON_AddStringToObject(c, "kind", kinds[ch->kind]) &&
             cJSON_AddStringToObject(c, "channel_key", ch->key) &&
             json_add_str(c, "channel_name", ch->name[0] ? ch->name : NULL) &&
             cJSON_AddBoolToObject(c, "sandbox", ch->sandbox);
    }
    cJSON *tiers = ok && m->n_tiers ? cJSON_AddArrayToObject(o, "tiers") : NULL;
    for (size_t i = 0; ok && i < m->n_tiers; i++) {
        cJSON *t = cJSON_CreateObject();
        ok = tiers && t && cJSON_AddItemToArray(tiers, t) &&
             cJSON_AddStringToObject(t, "tier_code", m->tiers[i].code) &&
             cJSON_AddStringToObject(t, "tier_name", m->tiers[i].name);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *state_merchant_to_json_full(const struct merchant *m)
{
    cJSON *o = state_merchant_to_json(m);
    if (o && (!cJSON_AddStringToObject(o, "imp_secret", m->imp_secret) ||
              (m->on_the_fly && !cJSON_AddTrueToObject(o, "on_the_fly")))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

bool state_merchant_from_json(const cJSON *o, struct merchant *ret, char *err, size_t errlen)
{
    struct merchant m;
    memset(&m, 0, sizeof m);
    struct rd r = {o, "merchant", err, errlen, true};
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "merchant: must be an object");
        return false;
    }
    char fmt[8];
    rd_fixed(&r, "merchant_code", m.merchant_code, sizeof m.merchant_code, false);
    rd_fixed(&r, "imp_key", m.imp_key, sizeof m.imp_key, true);
    rd_fixed(&r, "imp_secret", m.imp_secret, sizeof m.imp_secret, true);
    rd_fixed(&r, "name", m.name, sizeof m.name, false);
    rd_fixed(&r, "default_pg", m.default_pg, sizeof m.default_pg, false);
    rd_fixed(&r, "webhook_url", m.webhook_url, sizeof m.webhook_url, false);
    rd_fixed(&r, "webhook_format", fmt, sizeof fmt, false);
    m.webhook_form = strcmp(fmt, "form") == 0;
    m.on_the_fly = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "on_the_fly"));
    const cJSON *chs = cJSON_GetObjectItemCaseSensitive(o, "channels");
    const cJSON *ch;
    if (!cJSON_IsArray(chs))
        chs = NULL;
    cJSON_ArrayForEach(ch, chs)
    {
        if (m.n_channels == MAX_CHANNELS) {
            rd_fail(&r, "channels", "has too many channels");
            break;
        }
        struct channel *c = &m.channels[m.n_channels++];
        char kind[16];
        struct rd rc = {ch, "merchant channel", err, errlen, true};
        rd_fixed(&rc, "pg_provider", c->pg_provider, sizeof c->pg_provider, true);
        rd_fixed(&rc, "pg_id", c->pg_id, sizeof c->pg_id, true);
        rd_fixed(&rc, "kind", kind, sizeof kind, true);
        c->kind = !strcmp(kind, "subscription") ? CHANNEL_SUBSCRIPTION
                  : !strcmp(kind, "keyin")      ? CHANNEL_KEYIN
                  : !strcmp(kind, "vbank")      ? CHANNEL_VBANK
                                                : CHANNEL_ONETIME;
        rd_fixed(&rc, "channel_key", c->key, sizeof c->key, false);
        rd_fixed(&rc, "channel_name", c->name, sizeof c->name, false);
        c->sandbox = rd_bool(&rc, "sandbox");
        if (!cJSON_GetObjectItemCaseSensitive(ch, "channel_key")) /* written before keys */
            channel_default_key(m.merchant_code, m.n_channels - 1, c, c->key);
        if (!rc.ok)
            r.ok = false;
    }
    const cJSON *tiers = cJSON_GetObjectItemCaseSensitive(o, "tiers");
    const cJSON *ti;
    if (!cJSON_IsArray(tiers))
        tiers = NULL;
    cJSON_ArrayForEach(ti, tiers)
    {
        if (m.n_tiers == MAX_TIERS) {
            rd_fail(&r, "tiers", "has too many tiers");
            break;
        }
        struct tier *t = &m.tiers[m.n_tiers++];
        struct rd rt = {ti, "merchant tier", err, errlen, true};
        rd_fixed(&rt, "tier_code", t->code, sizeof t->code, true);
        rd_fixed(&rt, "tier_name", t->name, sizeof t->name, true);
        if (!rt.ok)
            r.ok = false;
    }
    if (!r.ok)
        return false;
    *ret = m;
    return true;
}

/* ---- whole tenant ---- */

static bool add_list(cJSON *doc, const char *name, cJSON **ret_arr)
{
    *ret_arr = cJSON_AddArrayToObject(doc, name);
    return *ret_arr != NULL;
}

static bool push(cJSON *arr, cJSON *item)
{
    if (item && cJSON_AddItemToArray(arr, item))
        return true;
    cJSON_Delete(item);
    return false;
}

cJSON *state_export_tenant(struct store *s, int tid)
{
    struct merchant m;
    if (!store_tenant_merchant(s, tid, &m))
        return NULL;
    struct pay_page pays = {0};
    struct sched_page scheds = {0};
    struct customer *custs = NULL;
    struct prepare *preps = NULL;
    size_t n_custs = 0, n_preps = 0;
    cJSON *doc = NULL, *arr;
    if (store_payment_all(s, tid, &pays) != MOCK_OK ||
        store_customer_list(s, tid, &custs, &n_custs) != MOCK_OK ||
        store_prepare_list(s, tid, &preps, &n_preps) != MOCK_OK ||
        store_schedule_all(s, tid, &scheds) != MOCK_OK)
        goto out;
    doc = cJSON_CreateObject();
    bool ok = doc && cJSON_AddNumberToObject(doc, "format", STATE_FORMAT) &&
              cJSON_AddStringToObject(doc, "generator", "impmock " IMPMOCK_VERSION) &&
              cJSON_AddItemToObject(doc, "merchant", state_merchant_to_json(&m)) &&
              add_list(doc, "payments", &arr);
    for (size_t i = 0; ok && i < pays.n; i++)
        ok = push(arr, state_payment_to_json(&pays.items[i]));
    ok = ok && add_list(doc, "customers", &arr);
    for (size_t i = 0; ok && i < n_custs; i++)
        ok = push(arr, state_customer_to_json(&custs[i]));
    ok = ok && add_list(doc, "prepares", &arr);
    for (size_t i = 0; ok && i < n_preps; i++)
        ok = push(arr, state_prepare_to_json(&preps[i]));
    ok = ok && add_list(doc, "schedules", &arr);
    for (size_t i = 0; ok && i < scheds.n; i++)
        ok = push(arr, state_schedule_to_json(&scheds.items[i]));
    ok = ok && state_documents_export(s, tid, doc);
    if (!ok) {
        cJSON_Delete(doc);
        doc = NULL;
    }
out:
    store_page_free(&pays);
    store_sched_page_free(&scheds);
    store_customers_free(custs, n_custs);
    free(preps);
    return doc;
}

struct parsed {
    struct payment *pays;
    size_t n_pays;
    struct customer *custs;
    size_t n_custs;
    struct prepare *preps;
    size_t n_preps;
    struct schedule *scheds;
    size_t n_scheds;
};

static void parsed_free(struct parsed *p)
{
    for (size_t i = 0; i < p->n_pays; i++)
        payment_fini(&p->pays[i]);
    free(p->pays);
    store_customers_free(p->custs, p->n_custs);
    free(p->preps);
    for (size_t i = 0; i < p->n_scheds; i++)
        schedule_fini(&p->scheds[i]);
    free(p->scheds);
    memset(p, 0, sizeof *p);
}

static const cJSON *list_of(const cJSON *doc, const char *name, char *err, size_t errlen, bool *ok)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(doc, name);
    if (a && !cJSON_IsArray(a)) {
        snprintf(err, errlen, "field \"%s\" must be an array", name);
        *ok = false;
    }
    return cJSON_IsArray(a) ? a : NULL;
}

/* Each record as "what[i]: ..." in err, prefixed once. */
static void prefix_err(char *err, size_t errlen, const char *what, size_t i)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s[%zu]: %s", what, i, err);
    snprintf(err, errlen, "%s", tmp);
}

bool state_import_tenant(struct store *s, int tid, const cJSON *doc, char *err, size_t errlen)
{
    struct parsed p;
    memset(&p, 0, sizeof p);
    bool ok = true;
    if (!cJSON_IsObject(doc)) {
        snprintf(err, errlen, "the state must be a JSON object");
        return false;
    }
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(doc, "format");
    if (!cJSON_IsNumber(fmt) || fmt->valueint != STATE_FORMAT) {
        snprintf(err, errlen, "field \"format\" must be %d (a state exported by this impmock)",
                 STATE_FORMAT);
        return false;
    }
    const cJSON *pays = list_of(doc, "payments", err, errlen, &ok);
    const cJSON *custs = list_of(doc, "customers", err, errlen, &ok);
    const cJSON *preps = list_of(doc, "prepares", err, errlen, &ok);
    const cJSON *scheds = list_of(doc, "schedules", err, errlen, &ok);
    size_t ns = ok ? (size_t)cJSON_GetArraySize(scheds) : 0;
    size_t np = ok ? (size_t)cJSON_GetArraySize(pays) : 0;
    size_t nc = ok ? (size_t)cJSON_GetArraySize(custs) : 0;
    size_t nr = ok ? (size_t)cJSON_GetArraySize(preps) : 0;
    if (ok && ((np && !(p.pays = calloc(np, sizeof *p.pays))) ||
               (nc && !(p.custs = calloc(nc, sizeof *p.custs))) ||
               (nr && !(p.preps = calloc(nr, sizeof *p.preps))) ||
               (ns && !(p.scheds = calloc(ns, sizeof *p.scheds))))) {
        snprintf(err, errlen, "out of memory");
        ok = false;
    }
    /* parse everything first: a bad record leaves the tenant as it was */
    for (size_t i = 0; ok && i < np; i++) {
        ok = state_payment_from_json(cJSON_GetArrayItem(pays, (int)i), &p.pays[i], err, errlen);
        if (ok)
            p.n_pays = i + 1;
        else
            prefix_err(err, errlen, "payments", i);
        for (size_t k = 0; ok && k < i; k++)
            if (!strcmp(p.pays[k].imp_uid, p.pays[i].imp_uid)) {
                snprintf(err, errlen, "payments[%zu]: imp_uid %s appears twice", i,
                         p.pays[i].imp_uid);
                ok = false;
            }
    }
    for (size_t i = 0; ok && i < nc; i++) {
        ok = state_customer_from_json(cJSON_GetArrayItem(custs, (int)i), &p.custs[i], err, errlen);
        if (ok)
            p.n_custs = i + 1;
        else
            prefix_err(err, errlen, "customers", i);
    }
    for (size_t i = 0; ok && i < nr; i++) {
        ok = state_prepare_from_json(cJSON_GetArrayItem(preps, (int)i), &p.preps[i], err, errlen);
        if (ok)
            p.n_preps = i + 1;
        else
            prefix_err(err, errlen, "prepares", i);
    }
    for (size_t i = 0; ok && i < ns; i++) {
        ok =
            state_schedule_from_json(cJSON_GetArrayItem(scheds, (int)i), &p.scheds[i], err, errlen);
        if (ok)
            p.n_scheds = i + 1;
        else
            prefix_err(err, errlen, "schedules", i);
    }
    struct state_documents docs = {0};
    ok = ok && state_documents_parse(doc, &docs, err, errlen);
    if (ok) {
        store_tenant_clear(s, tid);
        for (size_t i = 0; ok && i < p.n_pays; i++)
            ok = store_payment_insert(s, tid, &p.pays[i], false, NULL) == MOCK_OK;
        for (size_t i = 0; ok && i < p.n_custs; i++)
            ok = store_customer_put(s, tid, &p.custs[i], NULL) == MOCK_OK;
        for (size_t i = 0; ok && i < p.n_preps; i++)
            ok = store_prepare_put(s, tid, &p.preps[i], false) == MOCK_OK;
        for (size_t i = 0; ok && i < p.n_scheds; i++)
            ok = store_schedule_restore(s, tid, &p.scheds[i]) == MOCK_OK;
        ok = ok && state_documents_import(s, tid, &docs);
        if (!ok)
            snprintf(err, errlen, "out of memory while importing (the tenant is now partial)");
    }
    parsed_free(&p);
    state_documents_free(&docs);
    return ok;
}
