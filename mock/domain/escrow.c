/* escrow.c - see escrow.h. */
#include "domain/escrow.h"

#include "domain/outcomes.h"
#include "infra/clock.h"

#include <stdio.h>
#include <string.h>

#define OPS(get, reg, edit) ((get) | (reg) << 1 | (edit) << 2)

struct pg_rule {
    const char *pg;
    unsigned ops;            /* bit per enum escrow_op */
    const char *required[9]; /* paths, NULL-terminated */
};

/* clang-format off */
static const struct pg_rule pg_rules[] = {
    {"html5_inicis", OPS(1, 1, 1),
     {"sender.name", "sender.tel", "sender.addr", "sender.postcode",
      "receiver.name", "receiver.tel", "receiver.addr", "receiver.postcode", NULL}},
    {"kcp",          OPS(1, 1, 1), {NULL}},
    {"daou",         OPS(1, 1, 1),
     {"sender.relationship", "logis.receiving_at", "logis.address", NULL}},
    {"ksnet",        OPS(1, 1, 1), {NULL}},
    {"smartro_v2",   OPS(1, 1, 1),
     {"sender.name", "sender.tel", "sender.postcode", "sender.formed_address",
      "receiver.name", "receiver.tel", "receiver.postcode", "receiver.formed_address", NULL}},
    {"nice_v2",      OPS(1, 1, 0), {NULL}},
    {"welcome",      OPS(1, 1, 1), {"products", NULL}},
};

/* courier codes, the same whatever the PG (reference §20) */
static const char *const couriers[] = {
    "HYUNDAI", "HANARO", "SAGAWA", "KGB", "YELLOWCAP", "DONGBU", "EPOST", "CJGLS", "HANJIN",
    "DAESIN", "REGISTPOST", "CHUNIL", "ILYANG", "CVSNET", "KDEXP", "HONAM", "HDEXP", "ETC",
    "LOGEN", "KOREX", /* retired, still sent by official clients */
};
/* clang-format on */

static const struct pg_rule *rule_of(const char *pg_provider)
{
    for (size_t i = 0; i < sizeof pg_rules / sizeof pg_rules[0]; i++)
        if (!strcmp(pg_rules[i].pg, pg_provider))
            return &pg_rules[i];
    return NULL;
}

bool escrow_pg_supports(const char *pg_provider, enum escrow_op op)
{
    const struct pg_rule *r = rule_of(pg_provider);
    return r && (r->ops >> op & 1u);
}

const char *escrow_missing_field(const char *pg_provider, const struct escrow_request *rq)
{
    const struct pg_rule *r = rule_of(pg_provider);
    for (size_t i = 0; r && r->required[i]; i++)
        if (!rq->has(rq->has_ud, r->required[i]))
            return r->required[i];
    return NULL;
}

const char *escrow_courier(const char *company)
{
    for (size_t i = 0; i < sizeof couriers / sizeof couriers[0]; i++)
        if (!strcmp(company, couriers[i]))
            return couriers[i];
    return "ETC";
}

/* YYYYMMDD of a day that exists. */
static bool valid_day(const char *s)
{
    int v[8];
    for (int i = 0; i < 8; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v[i] = s[i] - '0';
    }
    if (s[8] != '\0')
        return false;
    int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    int m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
    return m >= 1 && m <= 12 && d >= 1 && d <= clock_days_in_month(y, m);
}

/* The payment's refusals for op, in order; *ret_payment filled on MOCK_OK. */
static enum mock_err check_payment(struct store *s, int tid, const char *imp_uid, enum escrow_op op,
                                   struct payment *ret_payment)
{
    if (store_payment_get(s, tid, imp_uid, ret_payment) != MOCK_OK)
        return MOCK_PAYMENT_NOT_FOUND;
    if (!ret_payment->escrow || !escrow_pg_supports(ret_payment->pg_provider, op)) {
        payment_fini(ret_payment);
        return MOCK_ESCROW_UNSUPPORTED;
    }
    return MOCK_OK;
}

/* What the request must meet once the payment is known. */
static enum mock_err check_request(const struct payment *p, const struct escrow_request *rq,
                                   char ret_detail[ESCROW_DETAIL_MAX])
{
    const char *missing = escrow_missing_field(p->pg_provider, rq);
    if (missing) {
        snprintf(ret_detail, ESCROW_DETAIL_MAX, "%s", missing);
        return MOCK_PARAM_REQUIRED;
    }
    if (rq->receiving_at && !valid_day(rq->receiving_at))
        return MOCK_ESCROW_BAD_RECEIVING_AT;
    if (p->status != PAY_PAID)
        return MOCK_ESCROW_NOT_PAID;
    return MOCK_OK;
}

enum mock_err escrow_save(struct store *s, int tid, const char *imp_uid, bool create,
                          const struct escrow_request *rq, struct escrow_logis *ret_logis,
                          char ret_detail[ESCROW_DETAIL_MAX])
{
    struct payment p;
    struct escrow_logis cur;
    ret_detail[0] = '\0';
    enum mock_err e = check_payment(s, tid, imp_uid, create ? ESCROW_REGISTER : ESCROW_EDIT, &p);
    if (e != MOCK_OK)
        return e;
    e = check_request(&p, rq, ret_detail);
    bool exists = store_logis_get(s, tid, imp_uid, &cur) == MOCK_OK;
    if (e == MOCK_OK && create && exists)
        e = MOCK_ESCROW_LOGIS_EXISTS;
    else if (e == MOCK_OK && !create && !exists)
        e = MOCK_ESCROW_LOGIS_NONE;
    struct scn_call call = {.op = SCN_OP_ESCROW,
                            .merchant_uid = p.merchant_uid,
                            .pg = p.pg_provider,
                            .pg_id = p.pg_id,
                            .amount = p.amount,
                            .has_amount = true};
    if (e == MOCK_OK && outcomes_pg_fails(s, tid, call, ret_detail, ESCROW_DETAIL_MAX))
        e = MOCK_ESCROW_PG_FAILED;
    payment_fini(&p);
    if (e != MOCK_OK)
        return e;
    memset(ret_logis, 0, sizeof *ret_logis);
    snprintf(ret_logis->imp_uid, sizeof ret_logis->imp_uid, "%s", imp_uid);
    snprintf(ret_logis->company, sizeof ret_logis->company, "%s", escrow_courier(rq->company));
    snprintf(ret_logis->invoice, sizeof ret_logis->invoice, "%s", rq->invoice);
    ret_logis->sent_at = rq->sent_at;
    ret_logis->applied_at = clock_now();
    /* the store decides again: another registration may have come first */
    return store_logis_put(s, tid, ret_logis, create);
}

enum mock_err escrow_get(struct store *s, int tid, const char *imp_uid,
                         struct escrow_logis *ret_logis)
{
    struct payment p;
    enum mock_err e = check_payment(s, tid, imp_uid, ESCROW_GET, &p);
    if (e != MOCK_OK)
        return e;
    payment_fini(&p);
    return store_logis_get(s, tid, imp_uid, ret_logis);
}
