/*
 * fields.h - the one reader of each request concept that several endpoints
 * share: an order (again, onetime, a schedule item, the payment window),
 * its custom_data and notice_url, a billing key's holder (customer_*),
 * pg and card data. Readers take the fields to read (a request's, or one schedule item's)
 * and record a failure in them as params.h does; they render nothing, so a
 * caller may put the failure in context (schedules[i]: ...). The rules an
 * order must then meet are the domain's (order.h).
 * "" is "not given" for every optional text: the JS SDK and form clients
 * send "" for a field left empty (docs/decisions.md, 22).
 */
#ifndef IMPMOCK_FIELDS_H
#define IMPMOCK_FIELDS_H

#include "domain/billing.h"
#include "http/params.h"

#include <stdbool.h>
#include <stddef.h>

#define FIELDS_PG_MAX    (PG_PROVIDER_MAX + 1 + PG_ID_MAX) /* "{pg}.{MID}" */
#define FIELDS_QUOTA_MAX 60                                /* installment months */

/* What a door takes besides the common order fields (reference §6.1, §6.2,
 * §7.1, §9.2): the window has no card_quota (display.card_quota instead),
 * and only again and onetime list the deprecated vat. */
enum fields_door {
    FIELDS_CHARGE,   /* again, onetime: + vat, card_quota, the two card flags */
    FIELDS_SCHEDULE, /* a schedule item: + card_quota, the two card flags */
    FIELDS_WINDOW,   /* request_pay */
};

/* An order as read: its strings borrow from the fields read, or from
 * custom_data_text. Release with fields_order_fini. */
struct fields_order {
    struct billing_order order;
    char *custom_data_text; /* owned (cJSON_free): custom_data sent as other JSON */
};

/* Optional text of at most maxlen bytes; *ret is NULL when absent or "". */
bool fields_read_text(struct params *p, const char *name, size_t maxlen, const char **ret);

/* merchant_uid and amount (both required), tax_free, vat_amount, currency,
 * name, buyer_name/email/tel/addr/postcode, custom_data, and what `door`
 * adds. Types and sizes only: the rules are order_check's. notice_url is
 * read apart (fields_read_notice_url) since its failures name the field as
 * the door calls it. On failure nothing is left to release. */
bool fields_read_order(struct params *p, enum fields_door door, struct fields_order *ret);
void fields_order_fini(struct fields_order *f);

/* custom_data: a string, or any other JSON value kept as its text (the SDK
 * serialises objects, server clients sometimes send the object itself), at
 * most CUSTOM_DATA_MAX bytes. *ret is NULL when absent or ""; *ret_owned
 * (cJSON_free, NULL when not needed) backs it when printed. */
bool fields_read_custom_data(struct params *p, const char **ret, char **ret_owned);

/* notice_url: a string, or an array of at most WEBHOOK_URLS_MAX http(s)
 * URLs; "" and empty or null entries are none (reference §8). *ret (owned,
 * free()) is NULL for none, the URL for one, a JSON array text for several.
 * Failures name `field`. */
bool fields_read_notice_url(struct params *p, const char *field, char **ret);

/* customer_id and customer_name/tel/email/addr/postcode; with from_buyer,
 * buyer_* stand for customer_* (onetime copies the buyer to the key). */
bool fields_read_holder(struct params *p, bool from_buyer, struct billing_holder *ret);

/* pg: "{pg}" or "{pg}.{MID}"; NULL picks the merchant's default channel. */
bool fields_read_pg(struct params *p, const char **ret);

/* Card data (card_number, expiry, birth, pwd_2digit; cvc is accepted and
 * dropped), borrowed and never copied. card_number and expiry are required
 * when `required`; birth and pwd_2digit go to the domain as sent ("" too:
 * the card company checks them). */
bool fields_read_card(struct params *p, bool required, struct billing_card *ret);

#endif
