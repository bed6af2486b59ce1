/* paypack.c - see paypack.h. The layout of a record, in order:
 *
 *   imp_uid NUL, merchant_uid NUL     (first: the indexes read them in place)
 *   flags                             status (bits 0-2), escrow (bit 3), and
 *                                     whether pg_tid (4), optional strings (5),
 *                                     cancels (6) and vbank times (7) follow;
 *                                     cash receipt issued (8). A varint: one
 *                                     byte unless bit 7 or 8 is set
 *   channel  pay_method, channel, pg_provider, pg_id and currency, which most
 *            payments share: varint k + 1 for interned "pay_method US channel
 *            US pg_provider US pg_id US currency", or varint 0 and the five
 *            strings NUL each (when the table is full or a part holds US)
 *   varint   customer_uid_usage       0 null, 1-3 the known values, 4 + k interned k
 *   varint   version
 *   zigzag   started_at
 *   time     paid_at, failed_at, cancelled_at, updated_at
 *                                     0 for 0, else zigzag(t - started_at) + 1
 *   zigzag   amount, cancel_amount, tax_free, cancel_tax_free, card_type, card_quota
 *   [string  pg_tid NUL]
 *   [bitmap  which PAYMENT_STR_FIELDS are not null, then each present one:
 *            istr for the few interned fields, string NUL for the rest;
 *            receipt_url as varint 0 and string NUL, or, when it holds
 *            pg_tid (as every URL the mock makes does), varint 1, istr of
 *            what comes before pg_tid and istr of what comes after]
 *   [varint  n_cancels, then each: pg_tid NUL, zigzag amount, tax_free,
 *            cancelled_at, flag + reason NUL, cancellation_id NUL,
 *            flag + receipt_url NUL]
 *   [time    vbank_date, vbank_issued_at, vbank_deposit_at, relative to
 *            started_at as above; only virtual accounts have them (bit 7)]
 *
 * istr: varint 0 and an inline string NUL, or varint k + 1 for interned k.
 * A payment as fixtures seed it packs into 52 bytes: one 64-byte malloc chunk;
 * a charge over the API into about 115: one 128-byte chunk. */
#include "state/paypack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A field added to struct payment has to be packed here too: this fails the
 * build until it is (x86-64 sizes). */
#if defined(__x86_64__)
_Static_assert(sizeof(struct payment) == 640,
               "struct payment changed: pack the new field in paypack.c, then update this size");
#endif

enum str_field {
#define X(f) SF_##f,
    PAYMENT_STR_FIELDS(X)
#undef X
        SF__COUNT
};

#define BITMAP_BYTES ((SF__COUNT + 7) / 8)

#define F_ESCROW  0x08
#define F_PG_TID  0x10
#define F_STRINGS 0x20
#define F_CANCELS 0x40
#define F_VBANK   0x80
#define F_RECEIPT 0x100
#define SEP       '\x1f' /* between the parts of the channel string */

/* repeated across payments: worth one interned copy each */
static bool interned_field(int f)
{
    return f == SF_emb_pg_provider || f == SF_bank_code || f == SF_bank_name || f == SF_card_code ||
           f == SF_card_name || f == SF_card_number || f == SF_customer_uid || f == SF_vbank_code ||
           f == SF_vbank_name;
}

/* Longest receipt_url stored as the two parts around pg_tid; longer ones are
 * stored whole. */
#define RECEIPT_SPLICE_MAX 512

static const char *const usages[] = {"issue", "payment", "payment.scheduled"};

/* ---- intern table ---- */

void paypack_init(struct paypack *pk)
{
    memset(pk, 0, sizeof *pk);
    hmap_init(&pk->index);
}

void paypack_fini(struct paypack *pk)
{
    hmap_fini(&pk->index);
    for (size_t i = 0; i < pk->n; i++)
        free(pk->strs[i]);
    free(pk->strs);
    free(pk->scratch);
    memset(pk, 0, sizeof *pk);
}

/* Id of s, interning it when there is room (always when `force`); -1 = store inline. */
static long intern(struct paypack *pk, const char *s, bool force)
{
    uint32_t id;
    if (hmap_get(&pk->index, s, &id))
        return (long)id;
    if (pk->n >= PAYPACK_INTERN_MAX && !force)
        return -1;
    if (pk->n == pk->cap) {
        size_t ncap = pk->cap ? pk->cap * 2 : 32;
        char **ns = realloc(pk->strs, ncap * sizeof *ns);
        if (!ns)
            return -1;
        pk->strs = ns;
        pk->cap = ncap;
    }
    char *copy = strdup(s);
    if (!copy || !hmap_put(&pk->index, copy, (uint32_t)pk->n)) {
        free(copy);
        return -1;
    }
    pk->strs[pk->n] = copy;
    return (long)pk->n++;
}

/* ---- writing ---- */

struct wbuf {
    uint8_t *data;
    size_t len, cap;
    bool oom;
};

/* Grows w to hold n more bytes; false once out of memory. Out of line: the
 * scratch buffer is reused, so this runs for the first records only. */
static __attribute__((noinline)) bool wbuf_grow(struct wbuf *w, size_t n)
{
    if (w->oom)
        return false;
    size_t ncap = w->cap ? w->cap : 128;
    while (ncap < w->len + n)
        ncap *= 2;
    uint8_t *nd = realloc(w->data, ncap);
    if (!nd) {
        w->oom = true;
        return false;
    }
    w->data = nd;
    w->cap = ncap;
    return true;
}

/* Inline: a record is some forty puts of a byte or a few. */
static inline void put(struct wbuf *w, const void *src, size_t n)
{
    if (w->len + n > w->cap && !wbuf_grow(w, n))
        return;
    memcpy(w->data + w->len, src, n);
    w->len += n;
}

static void put_varint(struct wbuf *w, uint64_t v)
{
    uint8_t b[10];
    size_t n = 0;
    do {
        b[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v)
            b[n] |= 0x80;
        n++;
    } while (v);
    put(w, b, n);
}

static void put_signed(struct wbuf *w, int64_t v)
{
    put_varint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63)); /* zigzag */
}

static void put_time(struct wbuf *w, int64_t t, int64_t base)
{
    if (t == 0) {
        put_varint(w, 0);
        return;
    }
    int64_t d = t - base;
    put_varint(w, (((uint64_t)d << 1) ^ (uint64_t)(d >> 63)) + 1);
}

static void put_str(struct wbuf *w, const char *s)
{
    put(w, s, strlen(s) + 1);
}

static void put_istr(struct wbuf *w, struct paypack *pk, const char *s)
{
    long id = intern(pk, s, false);
    put_varint(w, id < 0 ? 0 : (uint64_t)id + 1);
    if (id < 0)
        put_str(w, s);
}

/* A receipt URL is mostly the PG's address around the payment's pg_tid: the
 * two constant parts are interned, so the URL costs a few bytes, not ~90. */
static void put_receipt(struct wbuf *w, struct paypack *pk, const char *url, const char *pg_tid)
{
    const char *at = pg_tid[0] ? strstr(url, pg_tid) : NULL;
    size_t len = strlen(url);
    if (!at || len >= RECEIPT_SPLICE_MAX) {
        put_varint(w, 0);
        put_str(w, url);
        return;
    }
    char before[RECEIPT_SPLICE_MAX];
    memcpy(before, url, (size_t)(at - url));
    before[at - url] = '\0';
    put_varint(w, 1);
    put_istr(w, pk, before);
    put_istr(w, pk, at + strlen(pg_tid));
}

uint8_t *paypack_encode(struct paypack *pk, const struct payment *p)
{
    struct wbuf w = {pk->scratch, 0, pk->scratch_cap, false};
    const char *strs[SF__COUNT] = {
#define X(f) p->f,
        PAYMENT_STR_FIELDS(X)
#undef X
    };
    bool any_str = false;
    for (int f = 0; f < SF__COUNT; f++)
        any_str = any_str || strs[f];
    put_str(&w, p->imp_uid);
    put_str(&w, p->merchant_uid);
    unsigned flags = ((unsigned)p->status & 7u) | (p->escrow ? F_ESCROW : 0u) |
                     (p->pg_tid[0] ? F_PG_TID : 0u) | (any_str ? F_STRINGS : 0u) |
                     (p->n_cancels ? F_CANCELS : 0u) |
                     (p->vbank_date || p->vbank_issued_at || p->vbank_deposit_at ? F_VBANK : 0u) |
                     (p->cash_receipt_issued ? F_RECEIPT : 0u);
    put_varint(&w, flags);
    const char *parts[5] = {p->pay_method, p->channel, p->pg_provider, p->pg_id, p->currency};
    char chan[PAY_METHOD_MAX + CHANNEL_MAX + PG_PROVIDER_MAX + PG_ID_MAX + CURRENCY_MAX + 8];
    size_t chan_len = 0;
    bool joinable = true; /* a part holding SEP itself could not be split again */
    for (int i = 0; i < 5; i++) {
        size_t n = strlen(parts[i]); /* each fits: it came from its fixed field */
        joinable = joinable && !memchr(parts[i], SEP, n);
        memcpy(chan + chan_len, parts[i], n);
        chan_len += n;
        chan[chan_len++] = i < 4 ? SEP : '\0';
    }
    long chan_id = joinable ? intern(pk, chan, false) : -1;
    put_varint(&w, chan_id < 0 ? 0 : (uint64_t)chan_id + 1);
    for (int i = 0; chan_id < 0 && i < 5; i++)
        put_str(&w, parts[i]);
    uint64_t usage = 0;
    if (p->customer_uid_usage) {
        for (size_t i = 0; i < sizeof usages / sizeof *usages && !usage; i++)
            if (strcmp(p->customer_uid_usage, usages[i]) == 0)
                usage = i + 1;
        if (!usage) {
            long id = intern(pk, p->customer_uid_usage, true);
            if (id < 0)
                w.oom = true;
            usage = 4 + (uint64_t)(id < 0 ? 0 : id);
        }
    }
    put_varint(&w, usage);
    put_varint(&w, p->version);
    put_signed(&w, p->started_at);
    put_time(&w, p->paid_at, p->started_at);
    put_time(&w, p->failed_at, p->started_at);
    put_time(&w, p->cancelled_at, p->started_at);
    put_time(&w, p->updated_at, p->started_at);
    put_signed(&w, p->amount);
    put_signed(&w, p->cancel_amount);
    put_signed(&w, p->tax_free);
    put_signed(&w, p->cancel_tax_free);
    put_signed(&w, p->card_type);
    put_signed(&w, p->card_quota);
    if (flags & F_PG_TID)
        put_str(&w, p->pg_tid);
    if (flags & F_STRINGS) {
        uint8_t bitmap[BITMAP_BYTES] = {0};
        for (int f = 0; f < SF__COUNT; f++)
            if (strs[f])
                bitmap[f / 8] |= (uint8_t)(1u << (f % 8));
        put(&w, bitmap, sizeof bitmap);
        for (int f = 0; f < SF__COUNT; f++) {
            if (!strs[f])
                continue;
            if (f == SF_receipt_url)
                put_receipt(&w, pk, strs[f], p->pg_tid);
            else if (interned_field(f))
                put_istr(&w, pk, strs[f]);
            else
                put_str(&w, strs[f]);
        }
    }
    if (flags & F_CANCELS)
        put_varint(&w, p->n_cancels);
    for (size_t i = 0; i < p->n_cancels; i++) {
        const struct cancel_entry *c = &p->cancels[i];
        uint8_t has_reason = c->reason != NULL, has_receipt = c->receipt_url != NULL;
        put_str(&w, c->pg_tid);
        put_signed(&w, c->amount);
        put_signed(&w, c->tax_free);
        put_signed(&w, c->cancelled_at);
        put(&w, &has_reason, 1);
        if (has_reason)
            put_str(&w, c->reason);
        put_str(&w, c->cancellation_id);
        put(&w, &has_receipt, 1);
        if (has_receipt)
            put_str(&w, c->receipt_url);
    }
    if (flags & F_VBANK) {
        put_time(&w, p->vbank_date, p->started_at);
        put_time(&w, p->vbank_issued_at, p->started_at);
        put_time(&w, p->vbank_deposit_at, p->started_at);
    }
    pk->scratch = w.data; /* kept, grown or not, for the next record */
    pk->scratch_cap = w.cap;
    if (w.oom)
        return NULL;
    /* one exact allocation: shrinking a bigger one with realloc would leave a
     * small free gap behind every record, which nothing else fits in */
    uint8_t *rec = malloc(w.len);
    if (rec)
        memcpy(rec, w.data, w.len);
    return rec;
}

/* ---- reading ---- */

struct rbuf {
    const uint8_t *p;
};

static uint64_t get_varint(struct rbuf *r)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

static int64_t get_signed(struct rbuf *r)
{
    uint64_t z = get_varint(r);
    return (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
}

static int64_t get_time(struct rbuf *r, int64_t base)
{
    uint64_t z = get_varint(r);
    if (z == 0)
        return 0;
    z -= 1;
    return base + ((int64_t)(z >> 1) ^ -(int64_t)(z & 1));
}

static const char *get_str(struct rbuf *r)
{
    const char *s = (const char *)r->p;
    r->p += strlen(s) + 1;
    return s;
}

static const char *get_istr(struct rbuf *r, const struct paypack *pk)
{
    uint64_t id = get_varint(r);
    return id ? pk->strs[id - 1] : get_str(r);
}

/* The string field f at r; a spliced receipt_url is put together in buf. */
static const char *get_field(struct rbuf *r, const struct paypack *pk, int f, const char *pg_tid,
                             char buf[RECEIPT_SPLICE_MAX])
{
    if (f == SF_receipt_url) {
        if (get_varint(r) == 0)
            return get_str(r);
        /* joined without the formatter: a lookup decodes one, and
         * snprintf was a fifth of the decoding */
        size_t len = str_copy_cut(buf, RECEIPT_SPLICE_MAX, get_istr(r, pk));
        len += str_copy_cut(buf + len, RECEIPT_SPLICE_MAX - len, pg_tid);
        str_copy_cut(buf + len, RECEIPT_SPLICE_MAX - len, get_istr(r, pk));
        return buf;
    }
    return interned_field(f) ? get_istr(r, pk) : get_str(r);
}

const char *paypack_imp_uid(const uint8_t *rec)
{
    return (const char *)rec;
}

const char *paypack_merchant_uid(const uint8_t *rec)
{
    return (const char *)rec + strlen((const char *)rec) + 1;
}

/* Reads the head; leaves r just after card_quota. The channel string and the
 * usage code go to *ret_chan / *ret_usage when those are not NULL. */
static unsigned read_head(struct rbuf *r, const struct paypack *pk, struct paypack_head *h,
                          int64_t *amounts /* [6] */, const char **ret_chan, bool *ret_chan_joined,
                          uint64_t *ret_usage)
{
    get_str(r);
    get_str(r);
    unsigned flags = (unsigned)get_varint(r);
    h->status = (enum pay_status)(flags & 7);
    h->escrow = (flags & F_ESCROW) != 0;
    uint64_t chan_id = get_varint(r);
    const char *chan = chan_id ? (pk ? pk->strs[chan_id - 1] : NULL) : (const char *)r->p;
    for (int i = 0; chan_id == 0 && i < 5; i++)
        get_str(r);
    if (ret_chan)
        *ret_chan = chan;
    if (ret_chan_joined)
        *ret_chan_joined = chan_id != 0;
    uint64_t usage = get_varint(r);
    if (ret_usage)
        *ret_usage = usage;
    h->version = get_varint(r);
    h->started_at = get_signed(r);
    h->paid_at = get_time(r, h->started_at);
    h->failed_at = get_time(r, h->started_at);
    h->cancelled_at = get_time(r, h->started_at);
    h->updated_at = get_time(r, h->started_at);
    for (int i = 0; i < 6; i++) {
        int64_t v = get_signed(r);
        if (amounts)
            amounts[i] = v;
    }
    return flags;
}

void paypack_head(const uint8_t *rec, struct paypack_head *ret)
{
    struct rbuf r = {rec};
    read_head(&r, NULL, ret, NULL, NULL, NULL, NULL);
}

const char *paypack_customer_uid(const struct paypack *pk, const uint8_t *rec)
{
    struct rbuf r = {rec};
    struct paypack_head h;
    unsigned flags = read_head(&r, NULL, &h, NULL, NULL, NULL, NULL);
    if (!(flags & F_STRINGS))
        return NULL;
    const char *pg_tid = flags & F_PG_TID ? get_str(&r) : "";
    const uint8_t *bitmap = r.p;
    r.p += BITMAP_BYTES;
    char buf[RECEIPT_SPLICE_MAX];
    for (int f = 0; f < SF__COUNT; f++) {
        if (!(bitmap[f / 8] & (1u << (f % 8))))
            continue;
        const char *s = get_field(&r, pk, f, pg_tid, buf);
        if (f == SF_customer_uid)
            return s;
    }
    return NULL;
}

/* s[0..len) into a fixed field of cap bytes (it came from one: it fits). */
static void copy_part(char *dst, size_t cap, const char *s, size_t len)
{
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, s, len);
    dst[len] = '\0';
}

static bool dup_into(char **dst, const char *s)
{
    *dst = strdup(s);
    return *dst != NULL;
}

bool paypack_decode(const struct paypack *pk, const uint8_t *rec, struct payment *ret)
{
    memset(ret, 0, sizeof *ret);
    struct rbuf r = {rec};
    struct paypack_head h;
    int64_t nums[6];
    str_copy_cut(ret->imp_uid, sizeof ret->imp_uid, paypack_imp_uid(rec));
    str_copy_cut(ret->merchant_uid, sizeof ret->merchant_uid, paypack_merchant_uid(rec));
    const char *chan;
    bool joined;
    uint64_t usage;
    unsigned flags = read_head(&r, pk, &h, nums, &chan, &joined, &usage);
    ret->status = h.status;
    ret->escrow = h.escrow;
    ret->cash_receipt_issued = (flags & F_RECEIPT) != 0;
    ret->version = h.version;
    ret->started_at = h.started_at;
    ret->paid_at = h.paid_at;
    ret->failed_at = h.failed_at;
    ret->cancelled_at = h.cancelled_at;
    ret->updated_at = h.updated_at;
    ret->amount = nums[0];
    ret->cancel_amount = nums[1];
    ret->tax_free = nums[2];
    ret->cancel_tax_free = nums[3];
    ret->card_type = (int)nums[4];
    ret->card_quota = (int)nums[5];
    /* the channel's five parts: separated by SEP when interned, else NUL each */
    char *parts[5] = {ret->pay_method, ret->channel, ret->pg_provider, ret->pg_id, ret->currency};
    size_t caps[5] = {sizeof ret->pay_method, sizeof ret->channel, sizeof ret->pg_provider,
                      sizeof ret->pg_id, sizeof ret->currency};
    for (int i = 0; i < 5; i++) {
        size_t len = joined ? strcspn(chan, "\x1f") : strlen(chan);
        copy_part(parts[i], caps[i], chan, len);
        chan += len + (chan[len] != '\0' || !joined);
    }
    ret->customer_uid_usage = usage == 0   ? NULL
                              : usage <= 3 ? usages[usage - 1]
                                           : pk->strs[usage - 4];
    if (flags & F_PG_TID)
        str_copy_cut(ret->pg_tid, sizeof ret->pg_tid, get_str(&r));
    char **dst[SF__COUNT] = {
#define X(f) &ret->f,
        PAYMENT_STR_FIELDS(X)
#undef X
    };
    bool ok = true;
    if (flags & F_STRINGS) {
        const uint8_t *bitmap = r.p;
        r.p += BITMAP_BYTES;
        char buf[RECEIPT_SPLICE_MAX];
        for (int f = 0; f < SF__COUNT; f++) {
            if (!(bitmap[f / 8] & (1u << (f % 8))))
                continue;
            const char *s = get_field(&r, pk, f, ret->pg_tid, buf);
            ok = ok && dup_into(dst[f], s);
        }
    }
    size_t n = flags & F_CANCELS ? (size_t)get_varint(&r) : 0;
    if (ok && n) {
        ret->cancels = calloc(n, sizeof *ret->cancels);
        ok = ret->cancels != NULL;
    }
    for (size_t i = 0; ok && i < n; i++) {
        struct cancel_entry *c = &ret->cancels[i];
        ret->n_cancels = i + 1;
        str_copy_cut(c->pg_tid, sizeof c->pg_tid, get_str(&r));
        c->amount = get_signed(&r);
        c->tax_free = get_signed(&r);
        c->cancelled_at = get_signed(&r);
        if (*r.p++)
            ok = dup_into(&c->reason, get_str(&r));
        str_copy_cut(c->cancellation_id, sizeof c->cancellation_id, get_str(&r));
        if (*r.p++)
            ok = ok && dup_into(&c->receipt_url, get_str(&r));
    }
    if (ok && (flags & F_VBANK)) {
        ret->vbank_date = get_time(&r, h.started_at);
        ret->vbank_issued_at = get_time(&r, h.started_at);
        ret->vbank_deposit_at = get_time(&r, h.started_at);
    }
    if (!ok)
        payment_fini(ret);
    return ok;
}
