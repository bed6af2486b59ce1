/*
 * receipt.h - the rules of cash receipts (현금영수증, reference §18): which
 * payments and PGs can have one, what each PG requires of a request, how
 * the amount and VAT are reckoned, and issuing, revoking and reading one,
 * for an i'mport payment (by imp_uid) or for a cash sale made outside
 * i'mport (external, by merchant_uid, through one of the merchant's
 * channels). A payment's receipt marks the payment cash_receipt_issued in
 * the same store step. The identifier a receipt is issued to (a phone,
 * 주민등록번호, business or card number) is checked and never kept.
 * No HTTP and no JSON. Thread-safety: callable from any thread.
 */
#ifndef IMPMOCK_RECEIPT_H
#define IMPMOCK_RECEIPT_H

#include "base/errors.h"
#include "base/model.h"
#include "state/store.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- types ---- */

#define RECEIPT_DETAIL_MAX  128 /* message detail: a field name, an amount, an id, a PG's text */
#define RECEIPT_MAX_RETRIES 64  /* issuances lost to concurrent changes of the payment */

enum receipt_op {
    RECEIPT_ISSUE,      /* POST /receipts/{imp_uid} */
    RECEIPT_REVOKE,     /* DELETE /receipts/{imp_uid} */
    RECEIPT_EXT_ISSUE,  /* POST /receipts/external/{merchant_uid} */
    RECEIPT_EXT_REVOKE, /* DELETE /receipts/external/{merchant_uid} */
};

/* An issuance request besides its key; strings borrowed, NULL = not given. */
struct receipt_request {
    const char *identifier;      /* required; never stored */
    const char *identifier_type; /* person, business, phone or taxcard */
    const char *type;            /* person or company; NULL: person */
    const char *product_type;    /* real or digital */
    const char *company_tel, *company_name, *corp_reg_no;
    const char *buyer_name, *buyer_email, *buyer_tel;
    int64_t tax_free; /* KRW, default 0 */
    bool has_vat;     /* vat_amount (or the deprecated vat) given */
    int64_t vat;      /* KRW */
    /* external only */
    const char *channel_key; /* required: which channel (so which PG) issues it */
    const char *name;        /* required: the order's name */
    const char *pay_method;  /* trans or vbank */
    int64_t amount;          /* required, KRW */
};

/* ---- pure rules ---- */

/* Whether the PG can do op (the Swagger's supported PGs of each operation). */
bool receipt_pg_supports(const char *pg_provider, enum receipt_op op);
/* The first field the PG requires of an issuance (external or not) that rq
 * lacks, or NULL. */
const char *receipt_missing_field(const char *pg_provider, bool external,
                                  const struct receipt_request *rq);
/* VAT of `amount` of which `tax_free` is exempt: 1/11 of the taxable part,
 * rounded half up. */
int64_t receipt_vat(int64_t amount, int64_t tax_free);
/* An identifier is 10 to 19 digits, with '-' or ' ' between them allowed:
 * MOCK_RECEIPT_BAD_IDENTIFIER otherwise. *ret_refused: all its digits are
 * 0, the test identifier the PG always refuses. */
enum mock_err receipt_check_identifier(const char *identifier, bool *ret_refused);

/* ---- the operations ---- */

/* Issues the receipt of payment imp_uid (at the clock's now). Refusals, in
 * order: MOCK_PAYMENT_NOT_FOUND, MOCK_RECEIPT_PG_UNSUPPORTED (the
 * payment's PG), MOCK_RECEIPT_NOT_CASH (not vbank or trans),
 * MOCK_RECEIPT_NOT_PAID, MOCK_RECEIPT_BAD_IDENTIFIER, MOCK_PARAM_REQUIRED (a
 * field the PG needs; detail: its name), MOCK_RECEIPT_NO_TAXCARD,
 * MOCK_RECEIPT_TAX_FREE_OVER, MOCK_RECEIPT_VAT_OVER (detail: the limit),
 * MOCK_RECEIPT_EXISTS, MOCK_RECEIPT_PG_FAILED (a scenario; detail: its
 * message), MOCK_RECEIPT_IDENTIFIER_REFUSED. The amount is what the
 * payment still holds after partial cancels. */
enum mock_err receipt_issue(struct store *s, int tid, const char *imp_uid,
                            const struct receipt_request *rq, struct receipt *ret_receipt,
                            char ret_detail[RECEIPT_DETAIL_MAX]);
/* Issues the receipt of outside sale merchant_uid through the channel
 * rq->channel_key names. Refusals: MOCK_RECEIPT_NO_CHANNEL,
 * MOCK_RECEIPT_PG_UNSUPPORTED, then as receipt_issue from the identifier on,
 * with MOCK_EXT_RECEIPT_EXISTS (detail: merchant_uid). */
enum mock_err receipt_issue_external(struct store *s, int tid, const char *merchant_uid,
                                     const struct receipt_request *rq, struct receipt *ret_receipt,
                                     char ret_detail[RECEIPT_DETAIL_MAX]);
/* Revokes a receipt: MOCK_RECEIPT_NOT_ISSUED (payment receipts) or
 * MOCK_EXT_RECEIPT_NOT_FOUND (external; detail: the key),
 * MOCK_RECEIPT_PG_UNSUPPORTED (the issuing PG cannot revoke),
 * MOCK_RECEIPT_REVOKED, MOCK_RECEIPT_PG_FAILED. */
enum mock_err receipt_revoke(struct store *s, int tid, bool external, const char *key,
                             struct receipt *ret_receipt, char ret_detail[RECEIPT_DETAIL_MAX]);
/* The receipt of a key, revoked ones included: for payments
 * MOCK_PAYMENT_NOT_FOUND, then MOCK_RECEIPT_NOT_FOUND; external
 * MOCK_EXT_RECEIPT_NOT_FOUND (detail: the key). */
enum mock_err receipt_get(struct store *s, int tid, bool external, const char *key,
                          struct receipt *ret_receipt, char ret_detail[RECEIPT_DETAIL_MAX]);

#endif
