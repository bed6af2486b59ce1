/*
 * order.h - the rules an order meets before it is charged, whatever door it
 * comes through (again, onetime, a schedule item, the payment window): a
 * positive amount, a tax-free part within it, the currency the PG takes and
 * the card companies' installment minimum. Each broken rule is a row of the
 * error table. Pure functions: no store, no HTTP, no JSON; any thread.
 */
#ifndef IMPMOCK_ORDER_H
#define IMPMOCK_ORDER_H

#include "base/errors.h"
#include "domain/billing.h"

#include <stdbool.h>
#include <stdint.h>

#define ORDER_QUOTA_MIN_AMOUNT 50000 /* KRW: the smallest amount paid in installments */

/* Whether `months` installments may pay `amount` KRW: a lump sum (0 or 1)
 * always, 2 or more from ORDER_QUOTA_MIN_AMOUNT (reference §6.1). */
bool order_quota_allowed(int64_t amount, int months);

/* The installment minimum: MOCK_QUOTA_UNDER_MIN (a card company's refusal,
 * HTTP 200) when o->card_quota is not allowed for o->amount. */
enum mock_err order_check_quota(const struct billing_order *o);

/* The rules for order o coming through `door`, the first broken one wins:
 *  (a) amount > 0: MOCK_ORDER_AMOUNT_ZERO. Through the window 0 KRW asks
 *      for a billing key only, so it needs issues_key (a customer_uid),
 *      else MOCK_ORDER_ZERO_WITHOUT_KEY;
 *  (b) tax_free <= amount: MOCK_ORDER_TAX_FREE_OVER;
 *  (c) the window is Kakao Pay's, which takes KRW only (NULL = KRW):
 *      MOCK_ORDER_KRW_ONLY with the currency in ret_detail;
 *  (d) a schedule item meets the installment minimum now, since nobody
 *      watches when it is charged (again and onetime meet it when charged,
 *      after the key and card checks: billing.c).
 * The doors' other parameters (vat_amount, vat) are only read: VAT is the
 * PG's to work out (reference §4.1). ret_detail is "" but for (c). */
enum mock_err order_check(const struct billing_order *o, enum billing_door door, bool issues_key,
                          char ret_detail[BILLING_DETAIL_MAX]);

#endif
