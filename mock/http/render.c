/* render.c - see render.h. */
#include "http/render.h"

#include "http/envelope.h"
#include "infra/json.h"
#include "infra/scratch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The field names below are literals: cJSON keeps the pointer instead of a
 * copy, one allocation less for each of the sixty fields of a payment. */
static bool put(cJSON *o, const char *name, cJSON *v)
{
    if (!v)
        return false;
    if (!cJSON_AddItemToObjectCS(o, name, v)) {
        cJSON_Delete(v);
        return false;
    }
    return true;
}

static bool put_str(cJSON *o, const char *name, const char *s)
{
    return put(o, name, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

static bool put_null(cJSON *o, const char *name)
{
    return put(o, name, cJSON_CreateNull());
}

static bool put_bool(cJSON *o, const char *name, bool b)
{
    return put(o, name, cJSON_CreateBool(b));
}

/* The decimal digits of v, written backwards from end (holds 24); returns the start. */
static char *digits(int64_t v, char *end)
{
    char *p = end;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    *--p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

/* Whole numbers go in as their digits (a raw item): cJSON 1.7.15 prints every
 * number with sprintf("%1.15g") and reads it back with sscanf to check it,
 * which was a fifth of the CPU of a payment lookup, and sends 9007199254740991
 * as 9.00719925474099e+15. */
static bool add_int(cJSON *o, const char *name, int64_t v)
{
    char text[24];
    return put(o, name, cJSON_CreateRaw(digits(v, text + sizeof text)));
}

bool render_add_int(cJSON *o, const char *name, int64_t v)
{
    char text[24];
    return cJSON_AddRawToObject(o, name, digits(v, text + sizeof text)) != NULL;
}

static bool add_nullable_int(cJSON *o, const char *name, int v)
{
    return v < 0 ? put_null(o, name) : add_int(o, name, v);
}

/* ---- payments, written as text ----
 * A payment has sixty fields; as a cJSON tree that is a hundred allocations,
 * then printing and freeing them, for each payment of every answer. It is
 * written straight to text instead, escaped exactly as cJSON escapes, and
 * handed on as one raw item. */

struct jw {
    char *buf;
    size_t len, cap;
    bool oom;
    bool scratch; /* buf is the worker's SCRATCH_BODY, not malloc'd */
};

/* Makes room for n more bytes and the NUL; false once out of memory. Kept
 * out of line: a payment's buffer is grown once, if ever. */
static __attribute__((noinline)) bool jw_grow(struct jw *w, size_t n)
{
    if (w->oom)
        return false;
    size_t ncap = w->cap ? w->cap : 2048;
    while (ncap < w->len + n + 1)
        ncap *= 2;
    char *nb = w->scratch ? scratch_grow(SCRATCH_BODY, ncap) : realloc(w->buf, ncap);
    if (!nb) {
        w->oom = true;
        return false;
    }
    w->buf = nb;
    w->cap = ncap;
    return true;
}

/* Inline: sixty fields make a hundred and twenty of these a payment, most
 * of a few bytes whose length the compiler knows. */
static inline void jw_put(struct jw *w, const char *s, size_t n)
{
    if (w->len + n + 1 > w->cap && !jw_grow(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void jw_lit(struct jw *w, const char *s)
{
    jw_put(w, s, strlen(s));
}

/* A JSON string as cJSON prints it: '"' '\\' and control characters escaped,
 * everything else (UTF-8 included) as it is; null for NULL. */
static void jw_str(struct jw *w, const char *s)
{
    if (!s) {
        jw_put(w, "null", 4);
        return;
    }
    jw_put(w, "\"", 1);
    /* most strings need no escaping: find out eight bytes at a time */
    size_t n = strlen(s), i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (json_word_special(x))
            break;
    }
    while (i < n && (unsigned char)s[i] >= 32 && s[i] != '"' && s[i] != '\\')
        i++;
    if (i == n) {
        jw_put(w, s, n);
        jw_put(w, "\"", 1);
        return;
    }
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 32 && *p != '"' && *p != '\\')
            continue;
        jw_put(w, run, (size_t)((const char *)p - run));
        char esc[8];
        switch (*p) {
        case '"':
            jw_put(w, "\\\"", 2);
            break;
        case '\\':
            jw_put(w, "\\\\", 2);
            break;
        case '\b':
            jw_put(w, "\\b", 2);
            break;
        case '\f':
            jw_put(w, "\\f", 2);
            break;
        case '\n':
            jw_put(w, "\\n", 2);
            break;
        case '\r':
            jw_put(w, "\\r", 2);
            break;
        case '\t':
            jw_put(w, "\\t", 2);
            break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            jw_put(w, esc, 6);
            break;
        }
        run = (const char *)p + 1;
    }
    jw_lit(w, run);
    jw_put(w, "\"", 1);
}

static void jw_int(struct jw *w, int64_t v)
{
    char text[24];
    const char *start = digits(v, text + sizeof text);
    jw_put(w, start, (size_t)(text + sizeof text - 1 - start)); /* the last byte is the NUL */
}

/* A literal piece of JSON: its length is known when compiling. */
#define LIT(w, text) jw_put(w, text, sizeof text - 1)
/* ,"name":value; the first field of an object is written with its "{" */
#define STR(w, name, v)    (LIT(w, ",\"" name "\":"), jw_str(w, v))
#define INT(w, name, v)    (LIT(w, ",\"" name "\":"), jw_int(w, v))
#define RAW(w, name, json) LIT(w, ",\"" name "\":" json)

static void write_cancel(struct jw *w, const struct cancel_entry *c)
{
    LIT(w, "{\"pg_tid\":");
    jw_str(w, c->pg_tid);
    INT(w, "amount", c->amount);
    INT(w, "cancelled_at", c->cancelled_at);
    STR(w, "reason", c->reason);
    STR(w, "cancellation_id", c->cancellation_id);
    STR(w, "receipt_url", c->receipt_url);
    LIT(w, "}");
}

/* Field order follows live responses (reference §4.2). */
static void write_payment(struct jw *w, const struct payment *p)
{
    LIT(w, "{\"imp_uid\":");
    jw_str(w, p->imp_uid);
    STR(w, "merchant_uid", p->merchant_uid);
    STR(w, "pay_method", p->pay_method);
    STR(w, "channel", p->channel);
    STR(w, "pg_provider", p->pg_provider);
    STR(w, "emb_pg_provider", p->emb_pg_provider);
    STR(w, "pg_tid", p->pg_tid);
    STR(w, "pg_id", p->pg_id);
    RAW(w, "sandbox", "false");
    if (p->escrow)
        RAW(w, "escrow", "true");
    else
        RAW(w, "escrow", "false");
    STR(w, "apply_num", p->apply_num);
    STR(w, "bank_code", p->bank_code);
    STR(w, "bank_name", p->bank_name);
    STR(w, "card_code", p->card_code);
    STR(w, "card_name", p->card_name);
    RAW(w, "card_issuer_code", "null");
    RAW(w, "card_issuer_name", "null");
    RAW(w, "card_publisher_code", "null");
    RAW(w, "card_publisher_name", "null");
    INT(w, "card_quota", p->card_quota);
    STR(w, "card_number", p->card_number);
    if (p->card_type < 0)
        RAW(w, "card_type", "null");
    else
        INT(w, "card_type", p->card_type);
    STR(w, "vbank_code", p->vbank_code);
    STR(w, "vbank_name", p->vbank_name);
    STR(w, "vbank_num", p->vbank_num);
    STR(w, "vbank_holder", p->vbank_holder);
    INT(w, "vbank_date", p->vbank_date);
    INT(w, "vbank_issued_at", p->vbank_issued_at);
    STR(w, "name", p->name);
    INT(w, "amount", p->amount);
    INT(w, "cancel_amount", p->cancel_amount);
    STR(w, "currency", p->currency);
    STR(w, "buyer_name", p->buyer_name);
    STR(w, "buyer_email", p->buyer_email);
    STR(w, "buyer_tel", p->buyer_tel);
    STR(w, "buyer_addr", p->buyer_addr);
    STR(w, "buyer_postcode", p->buyer_postcode);
    STR(w, "custom_data", p->custom_data);
    STR(w, "user_agent", p->user_agent);
    STR(w, "status", pay_status_name(p->status));
    INT(w, "started_at", p->started_at);
    INT(w, "paid_at", p->paid_at);
    INT(w, "failed_at", p->failed_at);
    INT(w, "cancelled_at", p->cancelled_at);
    STR(w, "fail_reason", p->fail_reason);
    STR(w, "cancel_reason", p->cancel_reason);
    STR(w, "receipt_url", p->receipt_url);
    LIT(w, ",\"cancel_history\":[");
    for (size_t i = 0; i < p->n_cancels; i++) {
        if (i)
            LIT(w, ",");
        write_cancel(w, &p->cancels[i]);
    }
    LIT(w, "],\"deposit_history\":[],\"cancel_receipt_urls\":[");
    bool first = true;
    for (size_t i = 0; i < p->n_cancels; i++) {
        if (!p->cancels[i].receipt_url)
            continue;
        if (!first)
            LIT(w, ",");
        jw_str(w, p->cancels[i].receipt_url);
        first = false;
    }
    LIT(w, "]");
    if (p->cash_receipt_issued)
        RAW(w, "cash_receipt_issued", "true");
    else
        RAW(w, "cash_receipt_issued", "false");
    STR(w, "customer_uid", p->customer_uid);
    STR(w, "customer_uid_usage", p->customer_uid_usage);
    LIT(w, ",\"promotion\":null}");
}

/* A raw item: prints as the text written, wherever the tree puts it. */
cJSON *render_payment(const struct payment *p)
{
    struct jw w = {0};
    write_payment(&w, p);
    cJSON *item = w.oom ? NULL : cJSON_CreateRaw("");
    if (!item) {
        free(w.buf);
        return NULL;
    }
    /* the text becomes the item's own (cJSON frees it with free(): impmock
     * never installs other cJSON hooks), instead of one more copy */
    cJSON_free(item->valuestring);
    item->valuestring = w.buf;
    return item;
}

const char *render_payment_answer(const struct payment *p, size_t *ret_len)
{
    /* straight into the worker's buffer, envelope and all: a lookup answer
     * is written once and copied only into the wire buffer */
    struct jw w = {.scratch = true};
    LIT(&w, ENVELOPE_OK_HEAD);
    write_payment(&w, p);
    LIT(&w, "}");
    *ret_len = w.len;
    return w.oom ? NULL : w.buf;
}

const char *render_token_answer(const char *token, int64_t now, int64_t expired_at, size_t *ret_len)
{
    /* the answer every client asks for most often: no tree to build and print */
    struct jw w = {.scratch = true};
    LIT(&w, ENVELOPE_OK_HEAD "{\"access_token\":");
    jw_str(&w, token);
    INT(&w, "now", now);
    INT(&w, "expired_at", expired_at);
    LIT(&w, "}}");
    *ret_len = w.len;
    return w.oom ? NULL : w.buf;
}

cJSON *render_payment_page(const struct pay_page *pg, size_t page, size_t limit)
{
    cJSON *o = cJSON_CreateObject();
    size_t last_page = limit ? (pg->total + limit - 1) / limit : 0;
    cJSON *list = NULL;
    if (!o || !add_int(o, "total", (int64_t)pg->total) ||
        !add_int(o, "previous", page > 1 && page - 1 <= last_page ? (int64_t)(page - 1) : 0) ||
        !add_int(o, "next", page < last_page ? (int64_t)(page + 1) : 0))
        goto fail;
    list = cJSON_AddArrayToObject(o, "list");
    if (!list)
        goto fail;
    for (size_t i = 0; i < pg->n; i++) {
        cJSON *p = render_payment(&pg->items[i]);
        if (!p || !cJSON_AddItemToArray(list, p)) {
            cJSON_Delete(p);
            goto fail;
        }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

cJSON *render_customer(const struct customer *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !put_str(o, "customer_uid", c->customer_uid) ||
        !put_str(o, "pg_provider", c->pg_provider) || !put_str(o, "pg_id", c->pg_id) ||
        !put_bool(o, "sandbox", 0) || !put_str(o, "customer_id", c->customer_id) ||
        !put_str(o, "card_name", c->card_name) || !put_str(o, "card_code", c->card_code) ||
        !put_null(o, "card_issuer_code") || !put_null(o, "card_issuer_name") ||
        !put_null(o, "card_publisher_code") || !put_null(o, "card_publisher_name") ||
        !put_str(o, "card_number", c->card_number) ||
        !add_nullable_int(o, "card_type", c->card_type) ||
        !put_str(o, "customer_name", c->customer_name) ||
        !put_str(o, "customer_tel", c->customer_tel) ||
        !put_str(o, "customer_email", c->customer_email) ||
        !put_str(o, "customer_addr", c->customer_addr) ||
        !put_str(o, "customer_postcode", c->customer_postcode) ||
        !add_int(o, "inserted", c->inserted) || !add_int(o, "updated", c->updated)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *render_prepare(const struct prepare *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !put_str(o, "merchant_uid", p->merchant_uid) || !add_int(o, "amount", p->amount) ||
        !put_str(o, "currency", p->currency[0] ? p->currency : NULL)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

cJSON *render_schedule(const struct schedule *sc)
{
    cJSON *o = cJSON_CreateObject();
    const char *pay_status =
        sc->payment_status >= 0 ? pay_status_name((enum pay_status)sc->payment_status) : NULL;
    if (!o || !put_str(o, "customer_uid", sc->customer_uid) ||
        !put_str(o, "merchant_uid", sc->merchant_uid) ||
        !put_str(o, "imp_uid", or_null(sc->imp_uid)) ||
        !put_str(o, "pg_provider", or_null(sc->pg_provider)) ||
        !put_str(o, "pg_id", or_null(sc->pg_id)) || !put_str(o, "customer_id", sc->customer_id) ||
        !add_int(o, "schedule_at", sc->schedule_at) ||
        !add_int(o, "executed_at", sc->executed_at) || !add_int(o, "revoked_at", sc->revoked_at) ||
        !add_int(o, "amount", sc->amount) ||
        !put_str(o, "currency", sc->currency[0] ? sc->currency : "KRW") ||
        !put_str(o, "name", sc->name) || !put_str(o, "buyer_name", sc->buyer_name) ||
        !put_str(o, "buyer_email", sc->buyer_email) || !put_str(o, "buyer_tel", sc->buyer_tel) ||
        !put_str(o, "buyer_addr", sc->buyer_addr) ||
        !put_str(o, "buyer_postcode", sc->buyer_postcode) ||
        !put_str(o, "custom_data", sc->custom_data) ||
        !put_str(o, "schedule_status", sched_status_name(sc->status)) ||
        !put_str(o, "payment_status", pay_status) || !put_str(o, "fail_reason", sc->fail_reason) ||
        !put_str(o, "promotion_id", sc->promotion_id)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
