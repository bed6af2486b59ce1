/* receipt.c - see receipt.h. */
#include "domain/receipt.h"

#include "domain/outcomes.h"
#include "infra/clock.h"
#include "state/ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what each PG supports and requires (the Swagger's lists, §18.1, §18.3) ---- */

#define OPS(a, b, c, d) ((a) | (b) << 1 | (c) << 2 | (d) << 3)

/* Fields named in required[] and required_ext[], each read from the request. */
enum req_field {
    RF_NONE,
    RF_IDENTIFIER_TYPE,
    RF_TYPE,
    RF_PRODUCT_TYPE,
    RF_COMPANY_TEL,
    RF_COMPANY_NAME,
    RF_CORP_REG_NO,
    RF_BUYER_NAME,
    RF_BUYER_TEL,
    RF_PAY_METHOD,
};

struct pg_rule {
    const char *pg;
    unsigned ops;               /* bit per enum receipt_op */
    enum req_field required[5]; /* by imp_uid, in the order they are asked for */
    enum req_field required_ext[5];
};

/* clang-format off */
static const struct pg_rule pg_rules[] = {
    /*               issue revoke ext ext-revoke */
    {"html5_inicis", OPS(1, 1, 1, 1), {RF_NONE}, {RF_NONE}},
    {"kcp",          OPS(1, 1, 1, 1), {RF_NONE}, {RF_NONE}},
    {"nice",         OPS(1, 1, 1, 1), {RF_NONE}, {RF_NONE}},
    {"kicc",         OPS(1, 0, 1, 0), {RF_IDENTIFIER_TYPE}, {RF_IDENTIFIER_TYPE}},
    {"settle",       OPS(1, 1, 1, 1), {RF_IDENTIFIER_TYPE}, {RF_IDENTIFIER_TYPE}},
    {"daou",         OPS(1, 1, 0, 0),
     {RF_COMPANY_TEL, RF_COMPANY_NAME, RF_CORP_REG_NO}, {RF_NONE}},
    {"tosspayments", OPS(1, 1, 1, 1), {RF_NONE}, {RF_NONE}},
    {"ksnet",        OPS(1, 1, 1, 1),
     {RF_PRODUCT_TYPE, RF_BUYER_NAME}, {RF_PRODUCT_TYPE, RF_BUYER_NAME}},
    {"smartro",      OPS(1, 0, 1, 0), {RF_NONE}, {RF_NONE}},
    {"smartro_v2",   OPS(1, 1, 1, 1),
     {RF_TYPE, RF_BUYER_NAME, RF_BUYER_TEL}, {RF_TYPE, RF_BUYER_NAME, RF_BUYER_TEL}},
    {"nice_v2",      OPS(1, 1, 1, 1),
     {RF_IDENTIFIER_TYPE, RF_TYPE}, {RF_IDENTIFIER_TYPE, RF_TYPE}},
    {"welcome",      OPS(1, 1, 1, 1),
     {RF_TYPE, RF_CORP_REG_NO}, {RF_TYPE, RF_BUYER_TEL, RF_CORP_REG_NO, RF_PAY_METHOD}},
};
/* clang-format on */

static const struct pg_rule *rule_of(const char *pg_provider)
{
    for (size_t i = 0; i < sizeof pg_rules / sizeof pg_rules[0]; i++)
        if (!strcmp(pg_rules[i].pg, pg_provider))
            return &pg_rules[i];
    return NULL;
}

bool receipt_pg_supports(const char *pg_provider, enum receipt_op op)
{
    const struct pg_rule *r = rule_of(pg_provider);
    return r && (r->ops >> op & 1u);
}

/* The request's value of field f and its name. */
static const char *field_value(const struct receipt_request *rq, enum req_field f,
                               const char **ret_name)
{
    switch (f) {
    case RF_IDENTIFIER_TYPE:
        *ret_name = "identifier_type";
        return rq->identifier_type;
    case RF_TYPE:
        *ret_name = "type";
        return rq->type;
    case RF_PRODUCT_TYPE:
        *ret_name = "product_type";
        return rq->product_type;
    case RF_COMPANY_TEL:
        *ret_name = "company_tel";
        return rq->company_tel;
    case RF_COMPANY_NAME:
        *ret_name = "company_name";
        return rq->company_name;
    case RF_CORP_REG_NO:
        *ret_name = "corp_reg_no";
        return rq->corp_reg_no;
    case RF_BUYER_NAME:
        *ret_name = "buyer_name";
        return rq->buyer_name;
    case RF_BUYER_TEL:
        *ret_name = "buyer_tel";
        return rq->buyer_tel;
    case RF_PAY_METHOD:
        *ret_name = "pay_method";
        return rq->pay_method;
    case RF_NONE:
        break;
    }
    *ret_name = NULL;
    return NULL;
}

const char *receipt_missing_field(const char *pg_provider, bool external,
                                  const struct receipt_request *rq)
{
    const struct pg_rule *r = rule_of(pg_provider);
    const enum req_field *req = !r ? NULL : external ? r->required_ext : r->required;
    for (size_t i = 0; req && i < 5 && req[i] != RF_NONE; i++) {
        const char *name;
        const char *v = field_value(rq, req[i], &name);
        if (!v || !v[0])
            return name;
    }
    return NULL;
}

int64_t receipt_vat(int64_t amount, int64_t tax_free)
{
    int64_t taxable = amount - tax_free;
    return taxable > 0 ? (taxable + 5) / 11 : 0;
}

enum mock_err receipt_check_identifier(const char *identifier, bool *ret_refused)
{
    size_t digits = 0, zeros = 0;
    for (const char *p = identifier; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
            zeros += *p == '0';
        } else if (*p != '-' && *p != ' ') {
            return MOCK_RECEIPT_BAD_IDENTIFIER;
        }
    }
    if (digits < 10 || digits > 19)
        return MOCK_RECEIPT_BAD_IDENTIFIER;
    *ret_refused = zeros == digits;
    return MOCK_OK;
}

/* ---- building a receipt ---- */

static void random_digits(char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b;
        ids_bytes(&b, 1);
        out[i] = (char)('0' + b % 10);
    }
    out[n] = '\0';
}

/* The amounts checks shared by both kinds; the receipt's amount is `amount`. */
static enum mock_err check_amounts(const struct receipt_request *rq, int64_t amount,
                                   char ret_detail[RECEIPT_DETAIL_MAX])
{
    if (rq->tax_free > amount) {
        snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%lld", (long long)amount);
        return MOCK_RECEIPT_TAX_FREE_OVER;
    }
    if (rq->has_vat && rq->vat > amount - rq->tax_free) {
        snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%lld", (long long)(amount - rq->tax_free));
        return MOCK_RECEIPT_VAT_OVER;
    }
    return MOCK_OK;
}

/* Everything a request must meet once its PG is known. */
static enum mock_err check_request(const char *pg, bool external, const struct receipt_request *rq,
                                   int64_t amount, bool *ret_refused,
                                   char ret_detail[RECEIPT_DETAIL_MAX])
{
    enum mock_err e = receipt_check_identifier(rq->identifier, ret_refused);
    if (e != MOCK_OK)
        return e;
    const char *missing = receipt_missing_field(pg, external, rq);
    if (missing) {
        snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%s", missing);
        return MOCK_PARAM_REQUIRED;
    }
    if (!strcmp(pg, "nice_v2") && rq->identifier_type && !strcmp(rq->identifier_type, "taxcard"))
        return MOCK_RECEIPT_NO_TAXCARD;
    return check_amounts(rq, amount, ret_detail);
}

static void build(struct receipt *r, const char *key, bool external, const char *pg,
                  const struct receipt_request *rq, int64_t amount)
{
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    r->external = external;
    snprintf(r->pg_provider, sizeof r->pg_provider, "%s", pg);
    memcpy(r->receipt_tid, "RCPT", 4);
    random_digits(r->receipt_tid + 4, 16);
    random_digits(r->apply_num, RECEIPT_APPLY_NUM_MAX);
    snprintf(r->type, sizeof r->type, "%s", rq->type ? rq->type : "person");
    r->amount = amount;
    r->vat = rq->has_vat ? rq->vat : receipt_vat(amount, rq->tax_free);
    r->applied_at = clock_now();
    /* no known host serves these: a reserved .invalid name that never resolves */
    snprintf(r->receipt_url, sizeof r->receipt_url, "https://receipt.impmock.invalid/cash/%s/%s",
             pg, r->receipt_tid);
}

/* Scenarios and the test identifier, once the request is known to be good. */
static enum mock_err ask_pg(struct store *s, int tid, const char *merchant_uid, const char *pg,
                            const char *pg_id, int64_t amount, bool refused,
                            char ret_detail[RECEIPT_DETAIL_MAX])
{
    struct scn_call call = {.op = SCN_OP_RECEIPT,
                            .merchant_uid = merchant_uid,
                            .pg = pg,
                            .pg_id = pg_id,
                            .amount = amount,
                            .has_amount = true};
    if (outcomes_pg_fails(s, tid, call, ret_detail, RECEIPT_DETAIL_MAX))
        return MOCK_RECEIPT_PG_FAILED;
    return refused ? MOCK_RECEIPT_IDENTIFIER_REFUSED : MOCK_OK;
}

/* ---- receipts of payments ---- */

/* The payment's own refusals, in order. */
static enum mock_err check_payment(const struct payment *p)
{
    if (!receipt_pg_supports(p->pg_provider, RECEIPT_ISSUE))
        return MOCK_RECEIPT_PG_UNSUPPORTED;
    if (strcmp(p->pay_method, "vbank") != 0 && strcmp(p->pay_method, "trans") != 0)
        return MOCK_RECEIPT_NOT_CASH;
    if (p->status != PAY_PAID)
        return MOCK_RECEIPT_NOT_PAID;
    return MOCK_OK;
}

static enum mock_err check_paid(struct store *s, int tid, const char *imp_uid,
                                const struct receipt_request *rq, struct payment *ret_payment,
                                bool *ret_refused, char ret_detail[RECEIPT_DETAIL_MAX])
{
    if (store_payment_get(s, tid, imp_uid, ret_payment) != MOCK_OK)
        return MOCK_PAYMENT_NOT_FOUND;
    enum mock_err e = check_payment(ret_payment);
    if (e == MOCK_OK)
        e = check_request(ret_payment->pg_provider, false, rq,
                          ret_payment->amount - ret_payment->cancel_amount, ret_refused,
                          ret_detail);
    if (e != MOCK_OK)
        payment_fini(ret_payment);
    return e;
}

static bool active_receipt(struct store *s, int tid, bool external, const char *key)
{
    struct receipt cur;
    return store_receipt_get(s, tid, external, key, &cur) == MOCK_OK && !cur.cancelled_at;
}

enum mock_err receipt_issue(struct store *s, int tid, const char *imp_uid,
                            const struct receipt_request *rq, struct receipt *ret_receipt,
                            char ret_detail[RECEIPT_DETAIL_MAX])
{
    struct payment p;
    bool refused = false;
    ret_detail[0] = '\0';
    enum mock_err e = check_paid(s, tid, imp_uid, rq, &p, &refused, ret_detail);
    if (e != MOCK_OK)
        return e;
    int64_t balance = p.amount - p.cancel_amount;
    e = active_receipt(s, tid, false, imp_uid) ? MOCK_RECEIPT_EXISTS : MOCK_OK;
    if (e == MOCK_OK)
        e = ask_pg(s, tid, p.merchant_uid, p.pg_provider, p.pg_id, balance, refused, ret_detail);
    for (int tries = 0; e == MOCK_OK; tries++) {
        build(ret_receipt, imp_uid, false, p.pg_provider, rq, balance);
        e = store_receipt_issue(s, tid, ret_receipt, p.version);
        if (e != MOCK_IN_PROGRESS)
            break;
        /* the payment changed meanwhile (a cancel): judge it again as it is now */
        payment_fini(&p);
        if (tries == RECEIPT_MAX_RETRIES)
            return MOCK_INTERNAL;
        e = check_paid(s, tid, imp_uid, rq, &p, &refused, ret_detail);
        if (e != MOCK_OK)
            return e;
        balance = p.amount - p.cancel_amount;
    }
    payment_fini(&p);
    return e;
}

/* ---- receipts of outside sales ---- */

/* The merchant channel channel_key names: "{pg_provider}.{pg_id}" or
 * "{pg_provider}" (channels carry no key of their own yet). */
static bool find_channel(struct store *s, int tid, const char *channel_key,
                         struct channel *ret_channel)
{
    struct merchant *m = malloc(sizeof *m); /* several KiB: not on a worker's small stack */
    bool found = false;
    if (m && store_tenant_merchant(s, tid, m)) {
        for (size_t i = 0; !found && i < m->n_channels; i++) {
            const struct channel *c = &m->channels[i];
            size_t pl = strlen(c->pg_provider);
            found = !strcmp(channel_key, c->pg_provider) ||
                    (!strncmp(channel_key, c->pg_provider, pl) && channel_key[pl] == '.' &&
                     !strcmp(channel_key + pl + 1, c->pg_id));
            if (found)
                *ret_channel = *c;
        }
    }
    free(m);
    return found;
}

enum mock_err receipt_issue_external(struct store *s, int tid, const char *merchant_uid,
                                     const struct receipt_request *rq, struct receipt *ret_receipt,
                                     char ret_detail[RECEIPT_DETAIL_MAX])
{
    struct channel ch;
    bool refused = false;
    ret_detail[0] = '\0';
    if (!find_channel(s, tid, rq->channel_key, &ch)) {
        snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%s", rq->channel_key);
        return MOCK_RECEIPT_NO_CHANNEL;
    }
    if (!receipt_pg_supports(ch.pg_provider, RECEIPT_EXT_ISSUE))
        return MOCK_RECEIPT_PG_UNSUPPORTED;
    enum mock_err e = check_request(ch.pg_provider, true, rq, rq->amount, &refused, ret_detail);
    if (e == MOCK_OK && active_receipt(s, tid, true, merchant_uid)) {
        snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%s", merchant_uid);
        e = MOCK_EXT_RECEIPT_EXISTS;
    }
    if (e == MOCK_OK)
        e = ask_pg(s, tid, merchant_uid, ch.pg_provider, ch.pg_id, rq->amount, refused, ret_detail);
    if (e != MOCK_OK)
        return e;
    build(ret_receipt, merchant_uid, true, ch.pg_provider, rq, rq->amount);
    e = store_receipt_issue(s, tid, ret_receipt, 0);
    if (e == MOCK_RECEIPT_EXISTS) {
        snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%s", merchant_uid);
        e = MOCK_EXT_RECEIPT_EXISTS; /* another issuance came first */
    }
    return e;
}

/* ---- revoking and reading ---- */

enum mock_err receipt_revoke(struct store *s, int tid, bool external, const char *key,
                             struct receipt *ret_receipt, char ret_detail[RECEIPT_DETAIL_MAX])
{
    struct receipt cur;
    snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%s", key);
    if (store_receipt_get(s, tid, external, key, &cur) != MOCK_OK)
        return external ? MOCK_EXT_RECEIPT_NOT_FOUND : MOCK_RECEIPT_NOT_ISSUED;
    ret_detail[0] = '\0';
    if (!receipt_pg_supports(cur.pg_provider, external ? RECEIPT_EXT_REVOKE : RECEIPT_REVOKE))
        return MOCK_RECEIPT_PG_UNSUPPORTED;
    if (cur.cancelled_at)
        return MOCK_RECEIPT_REVOKED;
    /* scenarios see a payment's receipt as its order, as at issuance */
    struct payment p;
    bool paid = !external && store_payment_get(s, tid, key, &p) == MOCK_OK;
    struct scn_call call = {.op = SCN_OP_RECEIPT,
                            .merchant_uid = external ? key
                                            : paid   ? p.merchant_uid
                                                     : NULL,
                            .pg = cur.pg_provider,
                            .pg_id = paid ? p.pg_id : NULL,
                            .amount = cur.amount,
                            .has_amount = true};
    bool failed = outcomes_pg_fails(s, tid, call, ret_detail, RECEIPT_DETAIL_MAX);
    if (paid)
        payment_fini(&p);
    if (failed)
        return MOCK_RECEIPT_PG_FAILED;
    enum mock_err e = store_receipt_revoke(s, tid, external, key, clock_now(), ret_receipt);
    if (e == MOCK_RECEIPT_NOT_FOUND) { /* deleted meanwhile (a reset) */
        snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%s", key);
        return external ? MOCK_EXT_RECEIPT_NOT_FOUND : MOCK_RECEIPT_NOT_ISSUED;
    }
    return e;
}

enum mock_err receipt_get(struct store *s, int tid, bool external, const char *key,
                          struct receipt *ret_receipt, char ret_detail[RECEIPT_DETAIL_MAX])
{
    ret_detail[0] = '\0';
    if (!external) {
        struct payment p;
        if (store_payment_get(s, tid, key, &p) != MOCK_OK)
            return MOCK_PAYMENT_NOT_FOUND;
        payment_fini(&p);
    }
    if (store_receipt_get(s, tid, external, key, ret_receipt) == MOCK_OK)
        return MOCK_OK;
    snprintf(ret_detail, RECEIPT_DETAIL_MAX, "%s", key);
    return external ? MOCK_EXT_RECEIPT_NOT_FOUND : MOCK_RECEIPT_NOT_FOUND;
}
