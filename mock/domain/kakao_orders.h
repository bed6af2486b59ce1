/*
 * kakao_orders.h - GET /kakao/payment/orders (reference §22, legacy): the
 * Kakao Pay order list of one day, the wrapper i'mport kept of Kakao's own
 * 주문내역조회. impmock answers it from its own Kakao Pay payments of the
 * tenant: those with pg_provider "kakaopay", the CID asked for as pg_id,
 * and the window opened (started_at) on that day in Korea; newest first,
 * KAKAO_ORDERS_PAGE_SIZE per page.
 * No HTTP and no JSON. Thread-safety: callable from any thread.
 */
#ifndef IMPMOCK_KAKAO_ORDERS_H
#define IMPMOCK_KAKAO_ORDERS_H

#include "base/errors.h"
#include "base/model.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KAKAO_ORDERS_PAGE_SIZE 20

/* One page of orders. */
struct kakao_orders {
    char cid[PG_ID_MAX + 1]; /* the CID listed */
    size_t page;             /* 1-based, as asked (past the last: an empty page) */
    size_t total;            /* orders over all pages */
    struct pay_page list;    /* this page's payments (owned copies), newest first */
};

/* The unix time of 00:00 in Korea on yyyymmdd ("20240105"); false unless it
 * is 8 digits naming a real date from 1970 on. */
bool kakao_orders_date(const char *yyyymmdd, int64_t *ret_day_start);

/* The orders of tenant tid on the day starting at day_start (a
 * kakao_orders_date result) through CID cid (NULL: the merchant's Kakao Pay
 * CID, its one-time channel's first), page `page` (1-based).
 * MOCK_KAKAO_NO_CHANNEL when the merchant has no Kakao Pay channel at all,
 * MOCK_KAKAO_UNKNOWN_CID when cid is none of its Kakao Pay CIDs.
 * Release *ret with kakao_orders_fini. */
enum mock_err kakao_orders_list(struct store *s, int tid, int64_t day_start, const char *cid,
                                size_t page, struct kakao_orders *ret);
void kakao_orders_fini(struct kakao_orders *o);

/* Kakao's status of a payment: READY, SUCCESS_PAYMENT, PART_CANCEL_PAYMENT,
 * CANCEL_PAYMENT, QUIT_PAYMENT (the buyer closed the window), FAIL_PAYMENT,
 * ISSUED_SID (a 0-won billing key issuance). */
const char *kakao_order_status(const struct payment *p);
/* "MONEY" for Kakao Money (pay_method "point"), else "CARD". */
const char *kakao_order_method(const struct payment *p);
/* The VAT inside a VAT-inclusive total whose tax_free part bears none. */
int64_t kakao_order_vat(int64_t total, int64_t tax_free);

#endif
