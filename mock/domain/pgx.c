/* pgx.c - see pgx.h. */
#include "domain/pgx.h"

#include "domain/account.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* One family's answers; MOCK_OK in a column the family never reaches. */
struct rule {
    const char *pg_provider; /* channels of the family (and payments, unless pay_method) */
    const char *pay_method;  /* payments of the family are those of this method, any PG */
    const char *label;       /* names the PG in MOCK_PG_NOT_EMULATED */
    enum mock_err unknown;   /* no such payment (for this tenant) */
    enum mock_err other_pg;  /* a payment of another PG */
    enum mock_err no_contract;
};

/* clang-format off */
static const struct rule rules[PGX__COUNT] = {
    [PGX_NAVERCO]         = {"naverco", NULL, "네이버페이 주문형(naverco)",
                             MOCK_PAYMENT_NOT_FOUND, MOCK_NAVERCO_OTHER_PG, MOCK_NAVER_NO_CHANNEL},
    [PGX_NAVERCO_ORDER]   = {"naverco", NULL, "네이버페이 주문형(naverco)",
                             MOCK_OK, MOCK_OK, MOCK_NAVER_ORDER_NOT_FOUND},
    [PGX_NAVERPAY]        = {"naverpay", NULL, "네이버페이 결제형(naverpay)",
                             MOCK_PAYMENT_NOT_FOUND, MOCK_NAVERPAY_OTHER_PG, MOCK_OK},
    [PGX_NAVERPAY_CASH]   = {"naverpay", NULL, "네이버페이 결제형(naverpay)",
                             MOCK_NAVER_CASH_NOT_FOUND, MOCK_NAVER_CASH_OTHER_PG, MOCK_OK},
    [PGX_PAYCO]           = {"payco", NULL, "PAYCO(payco)",
                             MOCK_PAYMENT_NOT_FOUND, MOCK_PAYCO_OTHER_PG, MOCK_OK},
    [PGX_BENEPIA]         = {"kcp", NULL, "베네피아 포인트(kcp)",
                             MOCK_OK, MOCK_OK, MOCK_BENEPIA_NO_CONTRACT},
    [PGX_CVS]             = {"galaxia", "cvs", "편의점결제(galaxia)",
                             MOCK_PAYMENT_NOT_FOUND, MOCK_CVS_OTHER_PG, MOCK_CVS_NO_CONTRACT},
    [PGX_KCPQUICK_MONEY]  = {"kcp_quick", NULL, "KCP 퀵페이(kcp_quick)",
                             MOCK_OK, MOCK_OK, MOCK_NO_KEYIN_PG},
    [PGX_KCPQUICK_MEMBER] = {"kcp_quick", NULL, "KCP 퀵페이(kcp_quick)",
                             MOCK_OK, MOCK_OK, MOCK_KCPQUICK_MEMBER_NOT_FOUND},
    [PGX_PARTNERS]        = {"html5_inicis", NULL, "KG이니시스 하위 상점 거래 등록(html5_inicis)",
                             MOCK_PAYMENT_NOT_FOUND, MOCK_PARTNERS_UNSUPPORTED, MOCK_OK},
    [PGX_PAYMENTWALL]     = {"paymentwall", NULL, "페이먼트월(paymentwall)",
                             MOCK_PAYMENT_NOT_FOUND, MOCK_PAYMENTWALL_OTHER_PG, MOCK_OK},
};
/* clang-format on */

static const struct rule *rule_of(enum pgx_family f)
{
    assert((unsigned)f < PGX__COUNT);
    return &rules[f];
}

static enum mock_err not_emulated(const struct rule *r, char ret_detail[PGX_DETAIL_MAX])
{
    snprintf(ret_detail, PGX_DETAIL_MAX, "%s", r->label);
    return MOCK_PG_NOT_EMULATED;
}

static bool payment_in_family(const struct rule *r, const struct payment *p)
{
    if (r->pay_method)
        return strcmp(p->pay_method, r->pay_method) == 0;
    return strcmp(p->pg_provider, r->pg_provider) == 0;
}

/* The checks past the PG: partners' approval and sum. */
static enum mock_err check_more(const struct payment *p, const struct pgx_check *c,
                                char ret_detail[PGX_DETAIL_MAX])
{
    if (c->must_be_paid && p->status != PAY_PAID)
        return MOCK_PARTNERS_NOT_PAID;
    if (c->sum_given && c->amount_sum != p->amount) {
        snprintf(ret_detail, PGX_DETAIL_MAX, "%lld", (long long)c->amount_sum);
        return MOCK_PARTNERS_AMOUNT;
    }
    return MOCK_OK;
}

enum mock_err pgx_payment(struct store *s, int tid, enum pgx_family f, const char *imp_uid,
                          const struct pgx_check *c, char ret_detail[PGX_DETAIL_MAX])
{
    const struct rule *r = rule_of(f);
    static const struct pgx_check none = {0};
    ret_detail[0] = '\0';
    struct payment p;
    enum mock_err e = store_payment_get(s, tid, imp_uid, &p);
    if (e == MOCK_PAYMENT_NOT_FOUND)
        return r->unknown;
    if (e != MOCK_OK)
        return e;
    if (c && c->merchant_uid && strcmp(c->merchant_uid, p.merchant_uid) != 0)
        e = r->unknown; /* an order id that is not this payment's names no payment */
    else if (!payment_in_family(r, &p))
        e = r->other_pg;
    else
        e = check_more(&p, c ? c : &none, ret_detail);
    payment_fini(&p);
    return e == MOCK_OK ? not_emulated(r, ret_detail) : e;
}

enum mock_err pgx_channel(const struct merchant *m, enum pgx_family f, const char *channel_key,
                          char ret_detail[PGX_DETAIL_MAX])
{
    const struct rule *r = rule_of(f);
    ret_detail[0] = '\0';
    const struct channel *ch = account_channel_by_key(m, channel_key);
    if (!ch || strcmp(ch->pg_provider, r->pg_provider) != 0)
        return r->no_contract;
    return not_emulated(r, ret_detail);
}

enum mock_err pgx_merchant(const struct merchant *m, enum pgx_family f,
                           char ret_detail[PGX_DETAIL_MAX])
{
    const struct rule *r = rule_of(f);
    ret_detail[0] = '\0';
    if (!account_channel_of_pg(m, r->pg_provider))
        return r->no_contract;
    return not_emulated(r, ret_detail);
}

const char *pgx_pg_provider(enum pgx_family f)
{
    return rule_of(f)->pg_provider;
}
