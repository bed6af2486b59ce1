/*
 * pgx.h - the PG-specific families impmock answers but does not emulate
 * (reference §24): Naver Pay 주문형 and 결제형, PAYCO, benepia, convenience
 * store (cvs), KCP 퀵페이, sub-merchant receipts (partners), Paymentwall.
 *
 * impmock talks to none of these PGs, so it answers what the real API
 * answers for a payment or a merchant without that PG (§24.0): an unknown
 * payment, a payment of another PG, no channel or contract for the PG. A
 * payment or channel that really is of that PG (a fixture may seed one) is
 * answered MOCK_PG_NOT_EMULATED: never a success impmock did not earn.
 *
 *   family           payment unknown      payment of another PG  no channel
 *   NAVERCO          404 -1 (결제정보)     404 1 주문형 아님      500 -1 채널 없음
 *   NAVERCO_ORDER    -                    -                      404 -1 상품주문 없음
 *   NAVERPAY         404 -1               404 1 결제형 아님      -
 *   NAVERPAY_CASH    400 -1               400 1 결제형 아님      -
 *   PAYCO            200 -1               200 1 PAYCO 아님       -
 *   BENEPIA          -                    -                      500 -1 사용정보 없음
 *   CVS              200 -1               200 1 편의점 아님      200 1 사용정보 없음
 *   KCPQUICK_MONEY   -                    -                      200 1 비인증결제모듈
 *   KCPQUICK_MEMBER  -                    -                      404 -1 member_id
 *   PARTNERS         404 -1               501 -1 (+400 미승인, 금액 불일치)
 *   PAYMENTWALL      200 -1               200 1 페이먼트월 아님  -
 *
 * No HTTP and no JSON. Thread-safety: callable from any thread.
 */
#ifndef IMPMOCK_PGX_H
#define IMPMOCK_PGX_H

#include "base/errors.h"
#include "base/model.h"
#include "state/store.h"

#include <stdint.h>

#define PGX_DETAIL_MAX 128 /* bytes of a message detail, with NUL */

enum pgx_family {
    PGX_NAVERCO,         /* 주문형 operations on an imp_uid; GET /naver/reviews */
    PGX_NAVERCO_ORDER,   /* GET /naver/product-orders/{product_order_id} */
    PGX_NAVERPAY,        /* 결제형 point, confirm */
    PGX_NAVERPAY_CASH,   /* 결제형 cash-amount (lists 400, no 404) */
    PGX_PAYCO,           /* POST /payco/orders/status/{imp_uid} */
    PGX_BENEPIA,         /* /benepia/point, /benepia/payment (through KCP) */
    PGX_CVS,             /* POST /cvs, DELETE /cvs/{imp_uid} */
    PGX_KCPQUICK_MONEY,  /* POST /kcpquick/payment/money */
    PGX_KCPQUICK_MEMBER, /* DELETE /kcpquick/members/{member_id} */
    PGX_PARTNERS,        /* POST /partners/receipts/{imp_uid} (KG이니시스 only) */
    PGX_PAYMENTWALL,     /* POST /paymentwall/delivery */
    PGX__COUNT
};

/* What an operation on a payment checks beyond its PG; zero = nothing. */
struct pgx_check {
    const char *merchant_uid; /* must be the payment's (paymentwall); NULL: any */
    bool sum_given;           /* partners: amount_sum must equal the payment's amount */
    int64_t amount_sum;
    bool must_be_paid; /* partners: only an approved payment */
};

/* The answer for payment imp_uid of tenant tid in family f (c may be NULL).
 * ret_detail is the message's detail ("" when none): the PG's name for
 * MOCK_PG_NOT_EMULATED, the sum for MOCK_PARTNERS_AMOUNT. */
enum mock_err pgx_payment(struct store *s, int tid, enum pgx_family f, const char *imp_uid,
                          const struct pgx_check *c, char ret_detail[PGX_DETAIL_MAX]);

/* The answer for a request naming channel channel_key of merchant m: the
 * family's no-contract error unless it is a channel of the family's PG. */
enum mock_err pgx_channel(const struct merchant *m, enum pgx_family f, const char *channel_key,
                          char ret_detail[PGX_DETAIL_MAX]);

/* The answer for a request that names no channel: the family's no-contract
 * error unless merchant m has some channel of the family's PG. */
enum mock_err pgx_merchant(const struct merchant *m, enum pgx_family f,
                           char ret_detail[PGX_DETAIL_MAX]);

/* The PG a family's payments and channels are of ("naverco", ...). */
const char *pgx_pg_provider(enum pgx_family f);

#endif
