/* fixtures.c - see fixtures.h. */
#include "state/fixtures.h"
#include "state/fixtures_read.h"

#include "infra/clock.h"
#include "infra/hmap.h"
#include "infra/json.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char fixtures_default_json[];
extern const size_t fixtures_default_json_len;

/* The "certification" block of one document replaces any earlier one. */
static bool merge_certification(cJSON *merged, cJSON *doc, const char *file, char *err,
                                size_t errlen)
{
    cJSON *cert = cJSON_DetachItemFromObjectCaseSensitive(doc, "certification");
    if (!cert)
        return true;
    bool ok = cJSON_IsObject(cert);
    if (!ok)
        snprintf(err, errlen, "%s: field \"certification\" must be an object", file);
    cJSON_DeleteItemFromObjectCaseSensitive(cert, TAG_FILE);
    if (ok && !cJSON_AddStringToObject(cert, TAG_FILE, file)) {
        snprintf(err, errlen, "%s: out of memory", file);
        ok = false;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(merged, "certification");
    if (ok && !cJSON_AddItemToObject(merged, "certification", cert)) {
        snprintf(err, errlen, "%s: out of memory", file);
        ok = false;
    }
    if (!ok)
        cJSON_Delete(cert);
    return ok;
}

/* Appends the arrays of one fixture document to the merged one. */
static bool merge_doc(cJSON *merged, cJSON *doc, const char *file, char *err, size_t errlen)
{
    if (!cJSON_IsObject(doc)) {
        snprintf(err, errlen, "%s: the top level must be an object", file);
        return false;
    }
    static const char *const keys[] = {"merchants", "test_cards", "bank_accounts"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, keys[k]);
        if (!arr)
            continue;
        if (!cJSON_IsArray(arr)) {
            snprintf(err, errlen, "%s: field \"%s\" must be an array", file, keys[k]);
            return false;
        }
        cJSON *dst = cJSON_GetObjectItemCaseSensitive(merged, keys[k]);
        for (int i = 0; arr->child; i++) {
            cJSON *item = cJSON_DetachItemViaPointer(arr, arr->child);
            if (cJSON_IsObject(item)) {
                cJSON_DeleteItemFromObjectCaseSensitive(item, TAG_FILE);
                cJSON_DeleteItemFromObjectCaseSensitive(item, TAG_INDEX);
                if (!cJSON_AddStringToObject(item, TAG_FILE, file) ||
                    !cJSON_AddNumberToObject(item, TAG_INDEX, i)) {
                    cJSON_Delete(item);
                    snprintf(err, errlen, "%s: out of memory", file);
                    return false;
                }
            }
            if (!cJSON_AddItemToArray(dst, item)) {
                cJSON_Delete(item);
                snprintf(err, errlen, "%s: out of memory", file);
                return false;
            }
        }
    }
    return merge_certification(merged, doc, file, err, errlen);
}

static bool load_text(cJSON *merged, const char *text, size_t len, const char *file, char *err,
                      size_t errlen)
{
    char perr[160];
    cJSON *doc = json_parse_object(text, len, perr, sizeof perr);
    if (!doc) {
        snprintf(err, errlen, "%s: not valid JSON: %s", file, perr);
        return false;
    }
    bool ok = merge_doc(merged, doc, file, err, errlen);
    cJSON_Delete(doc);
    return ok;
}

static bool load_file(cJSON *merged, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return false;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            cap = cap ? cap * 2 : 65536 * 2;
            /* room for a million seeded payments (about 100 MB of JSON) */
            if (cap > 256u << 20) {
                snprintf(err, errlen, "%s: larger than 256 MiB", path);
                free(buf);
                fclose(f);
                return false;
            }
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(err, errlen, "%s: out of memory", path);
                return false;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    bool ok = load_text(merged, buf ? buf : "", len, path, err, errlen);
    free(buf);
    return ok;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_dir(cJSON *merged, const char *path, DIR *d, char *err, size_t errlen)
{
    char *names[1024];
    size_t n = 0;
    struct dirent *e;
    bool ok = true;
    while ((e = readdir(d)) && n < 1024) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0 && e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    }
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, names[i] ? names[i] : "");
        if (ok && names[i])
            ok = load_file(merged, full, err, errlen);
        free(names[i]);
    }
    if (ok && n == 0) {
        snprintf(err, errlen, "%s: no *.json files in the directory", path);
        ok = false;
    }
    return ok;
}

/* An empty document: the arrays merge_doc appends to. NULL when out of memory. */
static cJSON *empty_doc(void)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc || !cJSON_AddArrayToObject(doc, "merchants") ||
        !cJSON_AddArrayToObject(doc, "test_cards") ||
        !cJSON_AddArrayToObject(doc, "bank_accounts")) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* Fixtures that leave array `name` (test cards, test accounts) empty keep the
 * documented default ones. */
static bool keep_defaults(cJSON *merged, const char *name, char *err, size_t errlen)
{
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(merged, name)) > 0)
        return true;
    cJSON *defaults = empty_doc();
    bool ok = defaults && load_text(defaults, fixtures_default_json, fixtures_default_json_len,
                                    EMBEDDED, err, errlen);
    if (!defaults)
        snprintf(err, errlen, "out of memory");
    if (ok)
        cJSON_ReplaceItemInObjectCaseSensitive(
            merged, name, cJSON_DetachItemFromObjectCaseSensitive(defaults, name));
    cJSON_Delete(defaults);
    return ok;
}

static bool parse_cards(const cJSON *cards, struct card_table *t, char *err, size_t errlen)
{
    size_t ncards = (size_t)cJSON_GetArraySize(cards);
    if (!ncards)
        return true;
    t->cards = calloc(ncards, sizeof *t->cards);
    if (!t->cards) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, cards)
    {
        if (!fixtures__parse_card(c, t->n, &t->cards[t->n], err, errlen))
            return false;
        t->n++;
    }
    return true;
}

/* Fixtures without a "certification" block keep the documented default one. */
static bool default_certification(cJSON *merged, char *err, size_t errlen)
{
    cJSON *defaults = empty_doc();
    bool ok = defaults && load_text(defaults, fixtures_default_json, fixtures_default_json_len,
                                    EMBEDDED, err, errlen);
    cJSON *cert = ok ? cJSON_DetachItemFromObjectCaseSensitive(defaults, "certification") : NULL;
    cJSON_Delete(defaults);
    if (cert && cJSON_AddItemToObject(merged, "certification", cert))
        return true;
    cJSON_Delete(cert);
    if (ok)
        snprintf(err, errlen, "%s: no certification block", EMBEDDED);
    return false;
}

bool fixtures_load(struct fixtures *fx, const char *path, char *err, size_t errlen)
{
    memset(fx, 0, sizeof *fx);
    cJSON *merged = empty_doc();
    if (!merged) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    bool ok;
    if (!path) {
        ok = load_text(merged, fixtures_default_json, fixtures_default_json_len, EMBEDDED, err,
                       errlen);
    } else {
        DIR *d = opendir(path);
        if (d) {
            ok = load_dir(merged, path, d, err, errlen);
            closedir(d);
        } else {
            ok = load_file(merged, path, err, errlen);
        }
        ok = ok && keep_defaults(merged, "test_cards", err, errlen) &&
             keep_defaults(merged, "bank_accounts", err, errlen);
    }
    if (ok && !cJSON_GetObjectItemCaseSensitive(merged, "certification"))
        ok = default_certification(merged, err, errlen);
    const cJSON *cert = cJSON_GetObjectItemCaseSensitive(merged, "certification");
    ok = ok &&
         fixtures_parse_certification(cert, fixtures__tag_file(cert), &fx->phones, err, errlen);
    cJSON *merchants = cJSON_GetObjectItemCaseSensitive(merged, "merchants");
    if (ok && cJSON_GetArraySize(merchants) == 0) {
        snprintf(err, errlen, "%s: no merchants defined", path ? path : "fixtures");
        ok = false;
    }
    /* validate every merchant now so a bad file fails start-up, not a request */
    const cJSON *m;
    const cJSON *to_check = ok ? merchants : NULL;
    cJSON_ArrayForEach(m, to_check)
    {
        struct merchant tmp;
        if (!fixtures__parse_merchant(m, &tmp, err, errlen)) {
            ok = false;
            break;
        }
    }
    ok = ok &&
         parse_cards(cJSON_GetObjectItemCaseSensitive(merged, "test_cards"), &fx->cards, err,
                     errlen) &&
         fixtures__parse_accounts(cJSON_GetObjectItemCaseSensitive(merged, "bank_accounts"),
                                  &fx->accounts, err, errlen);
    if (!ok) {
        cJSON_Delete(merged);
        cards_fini(&fx->cards);
        accounts_fini(&fx->accounts);
        phones_fini(&fx->phones);
        return false;
    }
    fx->merchants = cJSON_DetachItemFromObjectCaseSensitive(merged, "merchants");
    cJSON_Delete(merged);
    return true;
}

void fixtures_fini(struct fixtures *fx)
{
    cJSON_Delete(fx->merchants);
    cards_fini(&fx->cards);
    accounts_fini(&fx->accounts);
    phones_fini(&fx->phones);
    memset(fx, 0, sizeof *fx);
}

static const char *opt_str(const cJSON *o, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static const struct channel *channel_of_kind(const struct merchant *m, enum channel_kind k)
{
    for (size_t i = 0; i < m->n_channels; i++)
        if (m->channels[i].kind == k)
            return &m->channels[i];
    return &m->channels[0];
}

static bool seed_customer(const struct fixtures *fx, struct store *s, int tid,
                          const struct merchant *m, const char *file, const cJSON *o, size_t i,
                          char *err, size_t errlen)
{
    struct customer c;
    memset(&c, 0, sizeof c);
    char where[512];
    snprintf(where, sizeof where, "%s%smerchant %s customers[%zu]", file ? file : "",
             file ? ": " : "", m->merchant_code, i);
    const struct channel *ch = channel_of_kind(m, CHANNEL_KEYIN);
    if (!fixtures__copy_str(o, "customer_uid", c.customer_uid, sizeof c.customer_uid, true, where,
                            err, errlen) ||
        !fixtures__copy_str(o, "pg_provider", c.pg_provider, sizeof c.pg_provider, false, where,
                            err, errlen) ||
        !fixtures__copy_str(o, "pg_id", c.pg_id, sizeof c.pg_id, false, where, err, errlen))
        return false;
    if (!c.pg_provider[0])
        memcpy(c.pg_provider, ch->pg_provider, sizeof c.pg_provider);
    if (!c.pg_id[0])
        memcpy(c.pg_id, ch->pg_id, sizeof c.pg_id);
    c.card_profile = -1;
    c.card_type = -1;
    memcpy(c.pay_method, "card", 5);
    const char *number = opt_str(o, "card_number");
    bool ok = true;
    if (number) {
        char digits[CARD_DIGITS_MAX + 1], masked[CARD_DIGITS_MAX + 1];
        if (!cards_normalize(number, digits)) {
            snprintf(err, errlen, "%s: field \"card_number\" must be 13 to 19 digits", where);
            return false;
        }
        c.card_profile = cards_find(&fx->cards, digits);
        cards_mask(digits, masked);
        const char *name, *code;
        cards_issuer(&fx->cards, c.card_profile, &name, &code, &c.card_type);
        ok = str_set(&c.card_number, masked) && str_set(&c.card_name, name) &&
             str_set(&c.card_code, code);
    }
    if (!fixtures__opt_num(o, "inserted", clock_now(), &c.inserted, where, err, errlen)) {
        customer_fini(&c);
        return false;
    }
    c.updated = c.inserted;
#define X(f)                                                                                       \
    if (ok && !c.f && opt_str(o, #f))                                                              \
        ok = str_set(&c.f, opt_str(o, #f));
    CUSTOMER_STR_FIELDS(X)
#undef X
    enum mock_err e = ok ? store_customer_put(s, tid, &c, NULL) : MOCK_INTERNAL;
    customer_fini(&c);
    if (e != MOCK_OK) {
        snprintf(err, errlen, "%s: could not be stored", where);
        return false;
    }
    return true;
}

/* Every field a seeded payment may have. Its keys are read in one pass, each
 * looked up once in a table of these names, instead of every field searched
 * for among its keys (a million seeded payments would compare names some
 * forty million times). */
#define SEED_FIXED_FIELDS(X)                                                                       \
    X(imp_uid)                                                                                     \
    X(merchant_uid)                                                                                \
    X(status)                                                                                      \
    X(pay_method)                                                                                  \
    X(channel)                                                                                     \
    X(pg_provider)                                                                                 \
    X(pg_id)                                                                                       \
    X(pg_tid)                                                                                      \
    X(currency)                                                                                    \
    X(escrow)                                                                                      \
    X(amount)                                                                                      \
    X(cancel_amount)                                                                               \
    X(tax_free)                                                                                    \
    X(cancel_tax_free)                                                                             \
    X(started_at)                                                                                  \
    X(paid_at)                                                                                     \
    X(failed_at)                                                                                   \
    X(cancelled_at)                                                                                \
    X(vbank_date)                                                                                  \
    X(vbank_issued_at)

enum seed_field {
#define X(f) SF_##f,
    SEED_FIXED_FIELDS(X) PAYMENT_STR_FIELDS(X)
#undef X
        SF_COUNT
};

static bool seed_fields_index(struct hmap *names)
{
    static const char *const fields[] = {
#define X(f) #f,
        SEED_FIXED_FIELDS(X) PAYMENT_STR_FIELDS(X)
#undef X
    };
    hmap_init(names);
    for (uint32_t f = 0; f < SF_COUNT; f++)
        if (!hmap_put(names, fields[f], f))
            return false;
    return true;
}

/* Seeds one payment. Its messages start with ": ", the place being left
 * out: seed_payment puts it in front, formatting it only when it is needed
 * (a million seeded payments would otherwise format a million of them). */
static bool seed_payment_at(struct store *s, int tid, const struct merchant *m,
                            const struct hmap *names, const cJSON *o, char *err, size_t errlen)
{
    const cJSON *f[SF_COUNT] = {0};
    /* keys are unique: json_parse_object refuses an object that repeats one */
    for (const cJSON *c = o->child; c; c = c->next) {
        uint32_t k;
        if (hmap_get(names, c->string, &k))
            f[k] = c;
    }
    struct payment p;
    memset(&p, 0, sizeof p);
    char status[16];
    const char *where = "";
#define STR(name, dst, required)                                                                   \
    fixtures__str_item(f[SF_##name], #name, dst, sizeof dst, required, where, err, errlen)
    if (!STR(imp_uid, p.imp_uid, false) || !STR(merchant_uid, p.merchant_uid, true) ||
        !STR(status, status, true) || !STR(pay_method, p.pay_method, false) ||
        !STR(channel, p.channel, false) || !STR(pg_provider, p.pg_provider, false) ||
        !STR(pg_id, p.pg_id, false) || !STR(pg_tid, p.pg_tid, false) ||
        !STR(currency, p.currency, false))
        return false;
#undef STR
    if (!pay_status_parse(status, &p.status)) {
        snprintf(err, errlen, "%s: field \"status\" must be ready, paid, failed or cancelled",
                 where);
        return false;
    }
    if (!cJSON_IsNumber(f[SF_amount])) {
        snprintf(err, errlen, "%s: field \"amount\" is required (a whole number from 0)", where);
        return false;
    }
    bool cancelled = p.status == PAY_CANCELLED;
#define NUM(name, dflt, dst) fixtures__num_item(f[SF_##name], #name, dflt, dst, where, err, errlen)
    if (!NUM(amount, 0, &p.amount) ||
        !NUM(cancel_amount, cancelled ? p.amount : 0, &p.cancel_amount) ||
        !NUM(tax_free, 0, &p.tax_free) ||
        !NUM(cancel_tax_free, cancelled ? p.tax_free : 0, &p.cancel_tax_free))
        return false;
    /* the balance and cancel rules assume these never exceed what was paid */
    const char *over = p.cancel_amount > p.amount            ? "cancel_amount"
                       : p.tax_free > p.amount               ? "tax_free"
                       : p.cancel_tax_free > p.tax_free      ? "cancel_tax_free"
                       : p.cancel_tax_free > p.cancel_amount ? "cancel_tax_free"
                                                             : NULL;
    if (over) {
        snprintf(err, errlen, "%s: field \"%s\" is larger than the amount it is part of", where,
                 over);
        return false;
    }
    if (!p.pay_method[0])
        memcpy(p.pay_method, "card", 5);
    if (!p.channel[0])
        memcpy(p.channel, "pc", 3);
    if (!p.pg_provider[0]) {
        memcpy(p.pg_provider, m->channels[0].pg_provider, sizeof p.pg_provider);
        memcpy(p.pg_id, m->channels[0].pg_id, sizeof p.pg_id);
    }
    if (!p.currency[0])
        memcpy(p.currency, "KRW", 4);
    p.card_type = -1;
    p.escrow = cJSON_IsTrue(f[SF_escrow]);
    int64_t now = clock_now();
    if (!NUM(started_at, now, &p.started_at) ||
        !NUM(paid_at, p.status == PAY_PAID || cancelled ? now : 0, &p.paid_at) ||
        !NUM(failed_at, p.status == PAY_FAILED ? now : 0, &p.failed_at) ||
        !NUM(cancelled_at, cancelled ? now : 0, &p.cancelled_at) ||
        !NUM(vbank_date, 0, &p.vbank_date) || !NUM(vbank_issued_at, 0, &p.vbank_issued_at))
        return false;
#undef NUM
    p.updated_at = p.started_at;
    if (p.paid_at > p.updated_at)
        p.updated_at = p.paid_at;
    if (p.failed_at > p.updated_at)
        p.updated_at = p.failed_at;
    if (p.cancelled_at > p.updated_at)
        p.updated_at = p.cancelled_at;
    bool ok = true;
#define X(name)                                                                                    \
    if (ok && cJSON_IsString(f[SF_##name]))                                                        \
        ok = str_set(&p.name, f[SF_##name]->valuestring);
    PAYMENT_STR_FIELDS(X)
#undef X
    enum mock_err e = ok ? store_payment_insert(s, tid, &p, false, NULL) : MOCK_INTERNAL;
    payment_fini(&p);
    if (e != MOCK_OK) {
        snprintf(err, errlen, "%s: could not be stored (duplicate imp_uid?)", where);
        return false;
    }
    return true;
}

static bool seed_payment(struct store *s, int tid, const struct merchant *m,
                         const struct hmap *names, const char *file, const cJSON *o, size_t i,
                         char *err, size_t errlen)
{
    if (seed_payment_at(s, tid, m, names, o, err, errlen))
        return true;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err);
    snprintf(err, errlen, "%s%smerchant %s payments[%zu]%s", file ? file : "", file ? ": " : "",
             m->merchant_code, i, msg);
    return false;
}

static bool seed(const struct fixtures *fx, struct store *s, int tid, const cJSON *mo,
                 const struct merchant *m, char *err, size_t errlen)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(mo, "customers");
    const cJSON *it;
    const char *file = fixtures__tag_file(mo);
    size_t i = 0;
    if (!cJSON_IsArray(arr))
        arr = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        if (!seed_customer(fx, s, tid, m, file, it, i++, err, errlen))
            return false;
    }
    arr = cJSON_GetObjectItemCaseSensitive(mo, "payments");
    i = 0;
    if (!cJSON_IsArray(arr))
        arr = NULL;
    struct hmap names;
    bool ok = seed_fields_index(&names);
    if (!ok)
        snprintf(err, errlen, "out of memory");
    for (it = ok && arr ? arr->child : NULL; ok && it; it = it->next)
        ok = seed_payment(s, tid, m, &names, file, it, i++, err, errlen);
    hmap_fini(&names);
    return ok;
}

bool fixtures_apply(const struct fixtures *fx, struct store *s, char *err, size_t errlen)
{
    const cJSON *mo;
    cJSON_ArrayForEach(mo, fx->merchants)
    {
        struct merchant m;
        int tid;
        if (!fixtures__parse_merchant(mo, &m, err, errlen))
            return false;
        if (store_tenant_add(s, &m, &tid) != MOCK_OK) {
            const char *file = fixtures__tag_file(mo);
            snprintf(err, errlen, "%s%smerchant %s: imp_key or merchant_code used twice",
                     file ? file : "", file ? ": " : "", m.merchant_code);
            return false;
        }
        if (!seed(fx, s, tid, mo, &m, err, errlen))
            return false;
    }
    return true;
}

void fixtures_release_seeds(struct fixtures *fx)
{
    cJSON *mo;
    cJSON_ArrayForEach(mo, fx->merchants)
    {
        int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(mo, "payments")) +
                cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(mo, "customers"));
        if (n <= FIXTURES_KEEP_MAX || !fixtures__tag_file(mo) ||
            !cJSON_AddTrueToObject(mo, TAG_RELOAD))
            continue;
        cJSON_DeleteItemFromObjectCaseSensitive(mo, "payments");
        cJSON_DeleteItemFromObjectCaseSensitive(mo, "customers");
    }
}

/* Seeds tenant tid from merchant object mo, reading its seed arrays from its
 * file again when they were released. */
static bool seed_again(const struct fixtures *fx, struct store *s, int tid, const cJSON *mo,
                       const struct merchant *cur, char *err, size_t errlen)
{
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(mo, TAG_RELOAD)))
        return seed(fx, s, tid, mo, cur, err, errlen);
    const char *file = fixtures__tag_file(mo);
    cJSON *merged = empty_doc();
    bool ok = merged != NULL;
    if (!ok)
        snprintf(err, errlen, "out of memory");
    else if (strcmp(file, EMBEDDED) == 0)
        ok = load_text(merged, fixtures_default_json, fixtures_default_json_len, EMBEDDED, err,
                       errlen);
    else
        ok = load_file(merged, file, err, errlen);
    const cJSON *again = NULL, *it;
    const cJSON *list = ok ? cJSON_GetObjectItemCaseSensitive(merged, "merchants") : NULL;
    cJSON_ArrayForEach(it, list)
    {
        const char *key = opt_str(it, "imp_key");
        if (key && strcmp(key, cur->imp_key) == 0)
            again = it;
    }
    if (ok && !again) {
        snprintf(err, errlen, "%s: merchant %s is no longer in the file", file, cur->merchant_code);
        ok = false;
    }
    if (ok)
        ok = seed(fx, s, tid, again, cur, err, errlen);
    cJSON_Delete(merged);
    return ok;
}

bool fixtures_seed_tenant(const struct fixtures *fx, struct store *s, int tid, char *err,
                          size_t errlen)
{
    struct merchant cur;
    if (!store_tenant_merchant(s, tid, &cur))
        return true;
    const cJSON *mo;
    cJSON_ArrayForEach(mo, fx->merchants)
    {
        const char *key = opt_str(mo, "imp_key");
        if (key && strcmp(key, cur.imp_key) == 0)
            return seed_again(fx, s, tid, mo, &cur, err, errlen);
    }
    return true;
}

void fixtures_template_merchant(const struct fixtures *fx, const char *imp_key,
                                const char *imp_secret, struct merchant *ret_m)
{
    char err[256];
    if (!fixtures__parse_merchant(cJSON_GetArrayItem(fx->merchants, 0), ret_m, err, sizeof err))
        memset(ret_m, 0, sizeof *ret_m);
    snprintf(ret_m->imp_key, sizeof ret_m->imp_key, "%s", imp_key);
    snprintf(ret_m->imp_secret, sizeof ret_m->imp_secret, "%s", imp_secret);
    ret_m->merchant_code[0] = '\0'; /* a tenant made on the fly has no IMP.init code */
}

bool fixtures_has_key(const struct fixtures *fx, const char *imp_key)
{
    const cJSON *mo;
    cJSON_ArrayForEach(mo, fx->merchants)
    {
        const char *key = opt_str(mo, "imp_key");
        if (key && strcmp(key, imp_key) == 0)
            return true;
    }
    return false;
}

static bool channel_same(const struct channel *a, const struct channel *b)
{
    return strcmp(a->pg_provider, b->pg_provider) == 0 && strcmp(a->pg_id, b->pg_id) == 0 &&
           a->kind == b->kind && strcmp(a->key, b->key) == 0 && strcmp(a->name, b->name) == 0 &&
           a->sandbox == b->sandbox;
}

/* Field by field: the text fields are NUL-terminated in fixed arrays whose
 * tails may differ. */
static bool merchant_same(const struct merchant *a, const struct merchant *b)
{
    bool same = strcmp(a->merchant_code, b->merchant_code) == 0 &&
                strcmp(a->imp_key, b->imp_key) == 0 && strcmp(a->imp_secret, b->imp_secret) == 0 &&
                strcmp(a->name, b->name) == 0 && strcmp(a->default_pg, b->default_pg) == 0 &&
                strcmp(a->webhook_url, b->webhook_url) == 0 && a->webhook_form == b->webhook_form &&
                a->n_channels == b->n_channels && a->n_tiers == b->n_tiers;
    for (size_t i = 0; same && i < a->n_channels; i++)
        same = channel_same(&a->channels[i], &b->channels[i]);
    for (size_t i = 0; same && i < a->n_tiers; i++)
        same = strcmp(a->tiers[i].code, b->tiers[i].code) == 0 &&
               strcmp(a->tiers[i].name, b->tiers[i].name) == 0;
    return same;
}

bool fixtures_merchant_same(const struct fixtures *fx, const struct merchant *m)
{
    struct merchant *f = malloc(sizeof *f); /* several KiB: not on a worker's small stack */
    char err[256];
    bool same = false;
    const cJSON *mo;
    cJSON_ArrayForEach(mo, fx->merchants)
    {
        const char *key = opt_str(mo, "imp_key");
        if (f && key && strcmp(key, m->imp_key) == 0)
            same = fixtures__parse_merchant(mo, f, err, sizeof err) && merchant_same(f, m);
    }
    free(f);
    return same;
}

bool fixtures_add_missing(const struct fixtures *fx, struct store *s, char *err, size_t errlen)
{
    struct merchant *m = malloc(sizeof *m);
    bool ok = m != NULL;
    if (!ok)
        snprintf(err, errlen, "out of memory");
    const cJSON *mo;
    const cJSON *list = ok ? fx->merchants : NULL;
    cJSON_ArrayForEach(mo, list)
    {
        const char *key = opt_str(mo, "imp_key");
        int tid;
        if (!ok || !key || store_tenant_by_key(s, key, NULL, NULL))
            continue;
        ok = fixtures__parse_merchant(mo, m, err, errlen);
        if (ok && store_tenant_add(s, m, &tid) != MOCK_OK) {
            snprintf(err, errlen, "merchant %s: imp_key or merchant_code used twice",
                     m->merchant_code);
            ok = false;
        }
        ok = ok && seed(fx, s, tid, mo, m, err, errlen);
    }
    free(m);
    return ok;
}
