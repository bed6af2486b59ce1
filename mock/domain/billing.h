/*
 * billing.h - billing keys and non-authenticated charges (reference §5, §6):
 * choosing the key-in channel, checking card data, issuing keys, and the one
 * charge path every door uses (again, onetime, schedules, the payment window)
 * with its pre-registration and duplicate-order guards and the single place
 * where an approval or a decline is decided.
 * Never does HTTP or JSON. A full card number lives only in the caller's
 * request for the length of the call: it is never stored, logged or returned.
 * Thread-safety: callable from any thread; state lives in the store.
 */
#ifndef IMPMOCK_BILLING_H
#define IMPMOCK_BILLING_H

#include "base/cards.h"
#include "base/errors.h"
#include "base/model.h"
#include "state/store.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- types ---- */

#define BILLING_DETAIL_MAX 256 /* bytes of a message detail, with NUL */

/* What the domain works on; handlers build one per request. */
struct billing {
    struct store *store;            /* borrowed */
    const struct card_table *cards; /* borrowed, read-only */
};

/* Raw card data from a request: borrowed, never copied anywhere. */
struct billing_card {
    const char *number;     /* "dddd-dddd-dddd-dddd" (dashes/spaces optional) */
    const char *expiry;     /* "YYYY-MM" (also "YYYYMM") */
    const char *birth;      /* YYMMDD or business number; may be NULL */
    const char *pwd_2digit; /* may be NULL */
};

/* What a card check learned: nothing here can rebuild the number. */
struct billing_card_info {
    char masked[CARD_DIGITS_MAX + 1]; /* cards_mask */
    int profile;                      /* test-card index */
    const char *card_name;            /* static or card-table string */
    const char *card_code;
    int card_type; /* 0 credit, 1 check */
};

/* customer_* fields of a billing key; every pointer may be NULL. */
struct billing_holder {
    const char *customer_id;
    const char *name;
    const char *tel;
    const char *email;
    const char *addr;
    const char *postcode;
};

/* The order a charge pays for; strings borrowed, NULL = absent. */
struct billing_order {
    const char *merchant_uid;
    int64_t amount;       /* KRW, > 0 */
    int64_t tax_free;     /* tax-free part of amount */
    const char *currency; /* NULL = "KRW" */
    const char *name;
    const char *buyer_name;
    const char *buyer_email;
    const char *buyer_tel;
    const char *buyer_addr;
    const char *buyer_postcode;
    int card_quota; /* installment months, 0 = lump sum */
    const char *custom_data;
    const char *notice_url; /* one URL, or a JSON array of URLs as text */
    int64_t at;             /* unix s the charge happens at (a schedule's due time); 0 = now */
};

/* Which door a charge (or key issuance) came through; scenarios may tell them apart. */
enum billing_door {
    BILLING_DOOR_AGAIN,    /* POST /subscribe/payments/again */
    BILLING_DOOR_ONETIME,  /* POST /subscribe/payments/onetime */
    BILLING_DOOR_SCHEDULE, /* a scheduled payment coming due */
    BILLING_DOOR_WINDOW,   /* the emulated payment window */
    BILLING_DOOR_ISSUE,    /* POST /subscribe/customers/{uid}: a key, no charge */
};

/* Everything the outcome decision may look at. */
struct billing_attempt {
    enum billing_door door;
    int tid;
    const char *merchant_uid; /* NULL when issuing a key */
    const char *customer_uid; /* NULL for a card used once */
    const char *pg_provider;
    const char *pg_id;
    int64_t amount;     /* 0 when issuing a key */
    int card_profile;   /* test-card index, -1 = plain approving card */
    uint64_t charge_no; /* 1-based charge count of the key (1 for a card used once) */
};

enum billing_verdict {
    BILLING_APPROVED,    /* paid (a key: issued) */
    BILLING_DECLINED,    /* code 0, payment stored as failed; a key: refused as AUTH_FAILED */
    BILLING_PG_ERROR,    /* code -1 with message, nothing stored */
    BILLING_AUTH_FAILED, /* code -1 card authentication failure, nothing stored */
};

struct billing_outcome {
    enum billing_verdict verdict;
    char message[BILLING_DETAIL_MAX]; /* fail_reason / PG or card text; "" when approved */
};

/* A business-outcome override (the scenario engine). Returns true when it
 * decided *ret, false to let the test card decide. Called outside every lock;
 * may sleep (a scripted delay); must be thread-safe. */
typedef bool (*billing_outcome_fn)(void *ud, const struct billing_attempt *a,
                                   struct billing_outcome *ret);

/* ---- outcome: the one decision every door uses ---- */

/* Installs the override consulted before the test card. Call before the
 * server starts (the pointer is read unlocked afterwards); NULL removes it. */
void billing_set_outcome_hook(billing_outcome_fn fn, void *ud);
/* The verdict on attempt a: the override first, else the test card's rule for
 * its charge number (cards_charge_approved); a key issuance the card check
 * passed is approved. */
void billing_decide(const struct billing *b, const struct billing_attempt *a,
                    struct billing_outcome *ret);

/* ---- pure rules (no store) ---- */

/* "YYYY-MM" or "YYYYMM" with month 1..12; false otherwise. */
bool billing_expiry_parse(const char *expiry, int *ret_year, int *ret_month);
/* A card is valid through the last day of its expiry month, Korean time. */
bool billing_expiry_current(int year, int month, int64_t now);
/* Splits "nice" / "nice.nictest04m" into provider and MID ("" when absent);
 * false when a part is too long or empty. */
bool billing_pg_parse(const char *pg, char ret_provider[PG_PROVIDER_MAX + 1],
                      char ret_mid[PG_ID_MAX + 1]);
/* The channel that takes card data: the key-in channel named by pg, or the
 * merchant's first key-in channel when pg is NULL.
 * MOCK_PG_NO_API_BILLING (detail: the provider) when pg names a Kakao Pay
 * channel, MOCK_NO_KEYIN_PG when no key-in channel matches. */
enum mock_err billing_channel(const struct merchant *m, const char *pg, struct channel *ret_ch,
                              char ret_detail[BILLING_DETAIL_MAX]);
/* Checks card data as the PG and card company would: the fields' formats,
 * then the number (a BIN no card company issues from: "[F112]유효하지않은
 * 카드번호를 입력하셨습니다."; malformed, failing Luhn, or no test card:
 * "[F113]거래거절 카드번호틀림"; only the fixtures' test cards are real
 * cards here), then the expiry and the test card's auth_fail rule.
 * MOCK_CARD_AUTH_FAILED with the card company's text in ret_detail;
 * MOCK_CARD_EXPIRY_FORMAT, MOCK_CARD_BIRTH_FORMAT or MOCK_CARD_PWD_FORMAT
 * for a malformed expiry, birth or pwd_2digit. */
enum mock_err billing_card_check(const struct card_table *cards, const struct billing_card *card,
                                 int64_t now, struct billing_card_info *ret_info,
                                 char ret_detail[BILLING_DETAIL_MAX]);

/* ---- guards ---- */

/* MOCK_PREPARE_MISMATCH when merchant_uid is pre-registered (§3.8) with
 * another amount, or with a currency other than `currency` (NULL = KRW). */
enum mock_err billing_check_prepare(struct store *s, int tid, const char *merchant_uid,
                                    int64_t amount, const char *currency);

/* ---- billing keys and charges ---- */

/* POST /subscribe/customers/{uid}: issues (or replaces) key customer_uid on
 * the key-in channel chosen by pg. Errors as billing_channel and
 * billing_card_check, then the verdict (door ISSUE): MOCK_PG_FAILED or
 * MOCK_CARD_AUTH_FAILED with its text. ret_customer (owned copy) on MOCK_OK. */
enum mock_err billing_issue_key(const struct billing *b, int tid, const char *customer_uid,
                                const char *pg, const struct billing_card *card,
                                const struct billing_holder *holder, struct customer *ret_customer,
                                char ret_detail[BILLING_DETAIL_MAX]);

/* MOCK_OK when billing key customer_uid exists, else MOCK_CUSTOMER_UNKNOWN:
 * again reports an unknown key before it reads the order (the live API
 * answers a too-long merchant_uid with an unknown key so). */
enum mock_err billing_key_known(const struct billing *b, int tid, const char *customer_uid);

/* Charges billing key customer_uid for order o (again: door AGAIN; a due
 * schedule: door SCHEDULE). Missing buyer_* fall back to the key's customer_*.
 * MOCK_CUSTOMER_UNKNOWN, MOCK_QUOTA_UNDER_MIN, MOCK_PREPARE_MISMATCH,
 * MOCK_ALREADY_PAID or MOCK_IN_PROGRESS refuse before any charge; a verdict
 * of PG_ERROR / AUTH_FAILED answers MOCK_PG_FAILED / MOCK_ONETIME_AUTH_FAILED
 * (text in ret_detail) and stores nothing. MOCK_OK with *ret_payment (owned
 * copy of the stored payment) whether it was approved or declined: check
 * ret_payment->status. An approval sends the "paid" notice (notices.h),
 * except at door SCHEDULE, whose caller notifies once it has recorded the
 * run on its item. */
enum mock_err billing_charge_key(const struct billing *b, int tid, const char *customer_uid,
                                 enum billing_door door, const struct billing_order *o,
                                 struct payment *ret_payment, char ret_detail[BILLING_DETAIL_MAX]);

/* POST /subscribe/payments/onetime: charges card data once on the key-in
 * channel chosen by pg. With customer_uid the card is also stored as that
 * billing key (holder = the customer_* fields) and the charge counts as the
 * key's first. Errors as billing_channel, billing_card_check (the card
 * failure is then MOCK_ONETIME_AUTH_FAILED) and billing_charge_key; a refusing
 * verdict stores no key either. An approval sends the "paid" notice. */
enum mock_err billing_charge_card(const struct billing *b, int tid, const char *pg,
                                  const struct billing_card *card, const char *customer_uid,
                                  const struct billing_holder *holder,
                                  const struct billing_order *o, struct payment *ret_payment,
                                  char ret_detail[BILLING_DETAIL_MAX]);

/* POST /subscribe/payments/foreign (legacy, reference §23.4): a one-time
 * charge of a foreign card, on the same path as billing_charge_card without
 * a billing key; the payment names the brand the card's BIN names
 * (codes_card_brand: 해외비자카드 VIS, ...) as its card company. */
enum mock_err billing_charge_foreign(const struct billing *b, int tid, const char *pg,
                                     const struct billing_card *card, const struct billing_order *o,
                                     struct payment *ret_payment,
                                     char ret_detail[BILLING_DETAIL_MAX]);

/* ---- the payment window (reference §4.1, §9.5, §10) ---- */

/* What the buyer picked in the emulated Kakao Pay window. */
struct billing_window_pick {
    bool money;       /* Kakao Money (pay_method "point") instead of a card */
    int card_profile; /* test-card index of the card picked, -1 = a plain approving card */
    int card_quota;   /* installment months, 0 = lump sum */
    bool mobile;      /* redirect (mobile) flow: "m" in the receipt URL, else "p" */
};

/* Approves the window payment imp_uid, which must still be `ready`. The
 * pre-registration and duplicate-order guards run again (a second window of
 * an order paid meanwhile fails), then the verdict: billing_decide with door
 * WINDOW (a 0-won key issuance asks door ISSUE, and a test card that fails
 * authentication refuses it). The payment becomes paid (pay_method "card" or
 * "point", card fields only for a card, receipt URL) or failed with the
 * reason; with a customer_uid an approval stores the billing key on the
 * window's channel, and a charge counts as the key's first. MOCK_OK with
 * *ret_payment (owned copy) whatever the verdict, and *ret_error_code NULL
 * when paid, else a static name of the cause ("DECLINED", "PG_ERROR",
 * "AUTH_FAILED", "ALREADY_PAID", "IN_PROGRESS", "PREPARE_MISMATCH").
 * MOCK_PAYMENT_NOT_FOUND, or MOCK_CHECKOUT_DONE when it is not ready. */
enum mock_err billing_window_approve(const struct billing *b, int tid, const char *imp_uid,
                                     const struct billing_window_pick *pick,
                                     struct payment *ret_payment, const char **ret_error_code);

/* Ends the window payment imp_uid (still `ready`) as failed with reason
 * (the buyer cancelled, or a scenario failed it). Errors as
 * billing_window_approve; *ret_payment (owned copy) on MOCK_OK. */
enum mock_err billing_window_fail(const struct billing *b, int tid, const char *imp_uid,
                                  const char *reason, struct payment *ret_payment);

#endif
