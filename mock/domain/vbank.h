/*
 * vbank.h - virtual accounts (가상계좌, reference §17): issuing one by API as
 * a `ready` payment with pay_method "vbank" through the merchant's vbank
 * channel; changing it (settle) and revoking it before the deposit; the
 * deposit itself, from the control API or scripted by a scenario for later;
 * the refund account a cancel of a paid one needs; the account-holder lookup.
 *
 * Expiry is impmock's clock passing vbank_date: the account stays `ready`
 * and nobody is notified (§17.5: V1 has no expired status), but it takes no
 * deposit and no change any more, and a scripted deposit that comes due
 * after it is dropped. Notices: `ready` at issuance, `paid` at the deposit,
 * none for a change, a revocation or an expiry (notices.h).
 *
 * No HTTP and no JSON. Thread-safety: callable from any thread; state lives
 * in the store, scripted deposits are made by one runner at a time.
 */
#ifndef IMPMOCK_VBANK_H
#define IMPMOCK_VBANK_H

#include "base/accounts.h"
#include "base/errors.h"
#include "base/model.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- types ---- */

#define VBANK_DETAIL_MAX 256    /* bytes of a message detail (a scenario text), with NUL */
#define VBANK_DIGITS     13     /* digits after the "X" of a generated account number */
#define VBANK_RUN_BATCH  64     /* scripted deposits taken from the store at a time */
#define VBANK_RUN_MAX    100000 /* scripted deposits one run makes at most: a bound */

/* POST /vbanks: what to issue. Strings borrowed; NULL = absent. */
struct vbank_order {
    const char *channel_key; /* the channel, as newer clients name it */
    const char *pg;          /* "settle" or "settle.{MID}", as older clients name it */
    const char *merchant_uid;
    int64_t amount;           /* KRW to deposit, > 0 */
    int64_t tax_free;         /* tax-free part of amount */
    const char *vbank_code;   /* bank, as the PG spells it: "088", "88", "BK88" */
    int64_t vbank_due;        /* deposit deadline, unix s */
    const char *vbank_holder; /* account holder shown to the buyer */
    const char *vbank_num;    /* a fixed account number the PG gave, else one is made */
    const char *pg_api_key;   /* KG이니시스 only */
    const char *product_type; /* "real" / "digital" (KSNET) */
    const char *name;
    const char *buyer_name;
    const char *buyer_email;
    const char *buyer_tel;
    const char *buyer_addr;
    const char *buyer_postcode;
    const char *custom_data;
    const char *notice_url; /* one URL, or a JSON array of URLs as text */
};

/* PUT /vbanks/{imp_uid}: what to change. */
struct vbank_change {
    bool has_amount;
    int64_t amount; /* KRW, > 0 */
    bool has_due;
    int64_t vbank_due; /* unix s */
};

/* The refund account of a cancel (POST /payments/cancel); NULL = absent. */
struct vbank_refund {
    const char *holder;
    const char *bank; /* the PG's bank code */
    const char *account;
    const char *tel;
};

/* What a scenario decides for one issuance (the outcome hook). */
enum vbank_verdict {
    VBANK_ISSUED,        /* issued; no deposit scripted */
    VBANK_REFUSED,       /* the PG refuses: code -1 with message, nothing stored */
    VBANK_DEPOSIT_LATER, /* issued, and the buyer deposits deposit_after_s later */
};

struct vbank_outcome {
    enum vbank_verdict verdict;
    int64_t deposit_after_s; /* VBANK_DEPOSIT_LATER: seconds of impmock's clock, >= 0 */
    char message[256];       /* VBANK_REFUSED: the PG's text */
};

/* Everything the outcome decision may look at. */
struct vbank_attempt {
    int tid;
    const char *merchant_uid;
    const char *pg_provider;
    const char *pg_id;
    int64_t amount;
};

/* Decides *ret and returns true, or false to issue plainly. Called outside
 * every lock; may sleep (a scripted delay); must be thread-safe. */
typedef bool (*vbank_outcome_fn)(void *ud, const struct vbank_attempt *a,
                                 struct vbank_outcome *ret);

/* Installs the override (the scenario engine, outcomes.c). Call before the
 * server starts; NULL removes it. */
void vbank_set_outcome_hook(vbank_outcome_fn fn, void *ud);

/* ---- pure rules ---- */

/* The channel a POST /vbanks goes through: the vbank channel named by
 * channel_key, else by pg ("{provider}" or "{provider}.{MID}"), else the
 * merchant's only one. MOCK_VBANK_NO_CONTRACT (detail: what was asked for)
 * when none fits or its PG cannot issue by API, MOCK_VBANK_PG_REQUIRED when
 * neither is given and the merchant has several. */
enum mock_err vbank_channel(const struct merchant *m, const char *channel_key, const char *pg,
                            struct channel *ret_ch, char ret_detail[VBANK_DETAIL_MAX]);
/* What the channel's PG requires of o beyond the common fields, in order:
 * MOCK_VBANK_MISSING (detail: the field) for vbank_holder, buyer_name,
 * buyer_email, buyer_tel or product_type, MOCK_VBANK_HASH_MISMATCH without
 * pg_api_key (KG이니시스), MOCK_VBANK_BANK_UNKNOWN (detail: the code) for a
 * bank the PG does not issue at, MOCK_VBANK_DUE_PAST for a deadline not
 * after now. ret_kftc (4 bytes) receives the bank's KFTC code. */
enum mock_err vbank_check_order(const struct channel *ch, const struct vbank_order *o, int64_t now,
                                char ret_kftc[4], char ret_detail[VBANK_DETAIL_MAX]);
/* Whether p is a virtual account whose deadline has passed at `now`. */
bool vbank_expired(const struct payment *p, int64_t now);
/* Whether a deposit of `amount` at time `at` goes into p: MOCK_VBANK_NOT_VBANK,
 * MOCK_VBANK_NOT_READY (detail: the status), MOCK_VBANK_EXPIRED,
 * MOCK_VBANK_DEPOSIT_AMOUNT (detail: the amount owed) for a partial or an
 * over-deposit, which the bank refuses. */
enum mock_err vbank_deposit_check(const struct payment *p, int64_t amount, int64_t at,
                                  char ret_detail[VBANK_DETAIL_MAX]);
/* A cancel of p that moves money back to the buyer needs r's holder, bank
 * and account when p is a paid virtual account: MOCK_VBANK_REFUND_ACCOUNT,
 * or MOCK_VBANK_BANK_UNKNOWN (detail: the code) for a bank code no PG
 * spells so. MOCK_OK for every other payment. */
enum mock_err vbank_refund_check(const struct payment *p, const struct vbank_refund *r,
                                 char ret_detail[VBANK_DETAIL_MAX]);
/* Revokes ready virtual account p at `now`: cancelled, nothing refunded
 * (no money moved), no pending deposit (§17.3). */
void vbank_revoke_apply(struct payment *p, int64_t now);

/* ---- operations ---- */

/* Issues o for tenant tid: vbank_channel's and vbank_check_order's refusals,
 * then the order guards (MOCK_PREPARE_MISMATCH, MOCK_ALREADY_PAID,
 * MOCK_IN_PROGRESS), then the outcome (a refusal is MOCK_PG_FAILED with its
 * text in ret_detail). MOCK_OK with *ret_payment (owned copy of the ready
 * payment as issued), after queuing its `ready` notice; a deposit scripted
 * for 0 seconds later is made right after. */
enum mock_err vbank_issue(struct store *s, int tid, const struct vbank_order *o,
                          struct payment *ret_payment, char ret_detail[VBANK_DETAIL_MAX]);
/* PUT: MOCK_PAYMENT_NOT_FOUND, MOCK_VBANK_NOT_VBANK, MOCK_VBANK_NOT_READY,
 * MOCK_VBANK_EDIT_PG (settle only), MOCK_VBANK_EDIT_TAX_FREE,
 * MOCK_VBANK_EXPIRED, MOCK_VBANK_DUE_PAST; MOCK_OK with the changed payment. */
enum mock_err vbank_change(struct store *s, int tid, const char *imp_uid,
                           const struct vbank_change *c, struct payment *ret_payment,
                           char ret_detail[VBANK_DETAIL_MAX]);
/* DELETE: MOCK_PAYMENT_NOT_FOUND, MOCK_VBANK_NOT_VBANK, MOCK_VBANK_NOT_READY,
 * MOCK_VBANK_HASH_MISMATCH (KG이니시스 without pg_api_key); MOCK_OK with the
 * revoked payment (no notice). An expired account may be revoked. */
enum mock_err vbank_revoke(struct store *s, int tid, const char *imp_uid, const char *pg_api_key,
                           struct payment *ret_payment, char ret_detail[VBANK_DETAIL_MAX]);
/* The buyer deposits `amount` (has_amount false: exactly what is owed) now:
 * MOCK_PAYMENT_NOT_FOUND, then vbank_deposit_check's refusals. MOCK_OK with
 * the paid payment, after queuing its `paid` notice. */
enum mock_err vbank_deposit(struct store *s, int tid, const char *imp_uid, bool has_amount,
                            int64_t amount, struct payment *ret_payment,
                            char ret_detail[VBANK_DETAIL_MAX]);
/* Makes the scripted deposits due at `until`, earliest first, each dated at
 * its own time; one the account's deadline overtook is dropped. Returns how
 * many were handled. Serialised with every other run. */
size_t vbank_run_due(struct store *s, int64_t until);

/* GET /vbanks/holder: the holder of test account bank_code (KFTC, or as a
 * PG spells it) + bank_num; MOCK_VBANK_HOLDER_NOT_FOUND otherwise. */
enum mock_err vbank_holder(const struct account_table *t, const char *bank_code,
                           const char *bank_num, const char **ret_holder);

#endif
