/*
 * checkout.h - the emulated Kakao Pay payment window behind iamport.js
 * (reference §9, §10): opening a window for IMP.request_pay (the channel
 * its pg names, the already-paid and pre-registration guards, the `ready`
 * payment), the window sessions, and what the buyer or a scenario does in
 * one: approve with a card or Kakao Money, cancel, fail, hang. Approvals go
 * through billing_window_approve, so test cards and business scenarios apply
 * as at every other door; an approval queues the `paid` webhook.
 * No HTTP and no JSON: api_checkout.c reads the requests and renders.
 * Thread-safety: callable from any thread. The window table has one mutex
 * of its own, held only to find, claim or copy a window, never across
 * store, billing, scenario or webhook calls.
 */
#ifndef IMPMOCK_CHECKOUT_H
#define IMPMOCK_CHECKOUT_H

#include "base/errors.h"
#include "base/model.h"
#include "domain/billing.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- types ---- */

#define CHECKOUT_ID_LEN       32    /* hex characters of a window id */
#define CHECKOUT_KEY_LEN      64    /* hex characters of a window's key (256 bits) */
#define CHECKOUT_MAX_WINDOWS  1024  /* windows kept; past it the oldest is forgotten */
#define CHECKOUT_ORIGIN_MAX   256   /* bytes of the merchant page's origin */
#define CHECKOUT_MESSAGE_MAX  256   /* bytes of bypass.kakaopay.custom_message */
#define CHECKOUT_HOOK_WAIT_MS 40000 /* longest a callback waits for its webhook (10 s + 30 s) */
#define CHECKOUT_QUOTAS_MAX   12    /* display.card_quota entries kept */
#define CHECKOUT_QUOTA_MONTHS 36    /* longest installment the window offers */

/* bypass.kakaopay.payment_method_type: what the buyer may pay with. */
enum checkout_methods { CHECKOUT_ANY, CHECKOUT_CARD_ONLY, CHECKOUT_MONEY_ONLY };

enum checkout_state {
    CHECKOUT_OPEN, /* waiting for the buyer */
    CHECKOUT_BUSY, /* an approval or cancel is under way */
    CHECKOUT_DONE, /* paid or failed: the outcome is kept for the page */
};

/* What a scenario (layer window, op checkout) makes the window do by itself. */
enum checkout_auto {
    CHECKOUT_AUTO_NONE,
    CHECKOUT_AUTO_APPROVE_CARD,  /* approved with the first test card */
    CHECKOUT_AUTO_APPROVE_MONEY, /* approved with Kakao Money */
    CHECKOUT_AUTO_CANCEL,        /* the buyer cancels */
    CHECKOUT_AUTO_FAIL,          /* the PG fails the payment with auto_message */
    CHECKOUT_AUTO_HANG,          /* nothing ever happens */
};

/* What IMP.request_pay asked for. Strings are borrowed; NULL = absent. */
struct checkout_request {
    const char *merchant_code;  /* IMP.init's argument */
    const char *pg;             /* "kakaopay" / "kakaopay.{CID}"; NULL = the default PG */
    struct billing_order order; /* amount may be 0 only with customer_uid */
    const char *customer_uid;   /* issue a billing key in this window */
    const char *pay_method;     /* recorded while ready; Kakao Pay ignores it */
    const char *m_redirect_url; /* with mobile: where the browser returns */
    bool mobile;                /* the redirect flow (a mobile page, §9.4) */
    enum checkout_methods methods;
    const char *custom_message; /* bypass.kakaopay.custom_message */
    const int *card_quotas;     /* display.card_quota: months offered (one = fixed) */
    size_t n_card_quotas;       /* 0 = the usual 2..12 from 50,000 KRW */
    const char *user_agent;     /* the buyer's browser */
    const char *origin;         /* the merchant page's origin, for postMessage */
};

/* One window, as copied out of the table. */
struct checkout_window {
    char id[CHECKOUT_ID_LEN + 1];
    char key[CHECKOUT_KEY_LEN + 1]; /* the secret its page and its SDK send with every call */
    int tid;
    char imp_uid[IMP_UID_MAX + 1];
    char merchant_uid[MERCHANT_UID_MAX + 1];
    bool mobile;    /* redirect flow */
    bool issue_key; /* customer_uid given */
    enum checkout_methods methods;
    enum checkout_state state;
    char m_redirect_url[URL_MAX + 1];     /* "" = none */
    char origin[CHECKOUT_ORIGIN_MAX + 1]; /* "" = unknown: post to any origin */
    char custom_message[CHECKOUT_MESSAGE_MAX + 1];
    int64_t amount;                       /* KRW, for the installment rule */
    int card_quotas[CHECKOUT_QUOTAS_MAX]; /* display.card_quota */
    size_t n_card_quotas;
    enum checkout_auto auto_action;
    int auto_delay_ms;              /* waited before the automatic action */
    char auto_message[256];         /* CHECKOUT_AUTO_FAIL's reason */
    char auto_scenario[64];         /* the scenario that decided it, for the page */
    bool success;                   /* once done: paid */
    char error_code[32];            /* once done and failed: the cause, e.g. "USER_CANCEL" */
    char error_msg[REASON_MAX + 1]; /* once done and failed: the payment's fail_reason */
    uint64_t webhook_id;            /* the paid webhook's delivery, 0 = none */
    bool redirected;                /* the page called back or redirected */
};

/* What the buyer does in the window. */
enum checkout_action {
    CHECKOUT_APPROVE, /* with the pick */
    CHECKOUT_CANCEL,  /* the cancel button or the close button */
    CHECKOUT_AUTO,    /* whatever the window's scenario effect says */
};

/* ---- windows ---- */

/* Opens a window: the tenant of merchant_code, the Kakao Pay channel pg
 * names (the subscription CID when customer_uid is given), the order rules
 * (order_check, door WINDOW), then the guards: MOCK_ALREADY_PAID when the order is paid,
 * MOCK_PREPARE_MISMATCH against /payments/prepare. Otherwise the payment is
 * stored as `ready` (imp_ + 12 digits, its Kakao TID, channel pc/mobile),
 * the window's scenario effect is looked up, and *ret_w is the new window.
 * Refusals: MOCK_CHECKOUT_UNKNOWN_MERCHANT (detail: the code),
 * MOCK_CHECKOUT_PG_UNSUPPORTED / MOCK_CHECKOUT_NO_CHANNEL (detail: the pg),
 * MOCK_CHECKOUT_KEY_CID (detail: pg.CID) / MOCK_CHECKOUT_SUBSCRIPTION_CID
 * (detail: the CID), order_check's rows; nothing is stored then. */
enum mock_err checkout_open(const struct billing *b, const struct checkout_request *rq,
                            struct checkout_window *ret_w, char ret_detail[BILLING_DETAIL_MAX]);

/* A copy of window id; MOCK_CHECKOUT_NOT_FOUND when unknown or forgotten. */
enum mock_err checkout_get(const char *id, struct checkout_window *ret_w);

/* Whether key (NULL = none given) is window id's key: the window answers
 * only its own page and the SDK that opened it, never a page that learnt
 * or guessed the id. MOCK_CHECKOUT_NOT_FOUND when the window is unknown,
 * MOCK_CHECKOUT_KEY when the key is missing or wrong. */
enum mock_err checkout_check_key(const char *id, const char *key);

/* Whether the window lets the buyer pay in `months` installments (0 = lump
 * sum, always allowed): display.card_quota when given, else 2..12 from
 * 50,000 KRW (reference §6.1). */
bool checkout_quota_allowed(const struct checkout_window *w, int months);

/* Does what the buyer did (pick is read for CHECKOUT_APPROVE only) in an
 * open window, once: MOCK_CHECKOUT_DONE when it was done or under way,
 * MOCK_CHECKOUT_METHOD for a pick the window does not offer, and
 * MOCK_CHECKOUT_NO_AUTO for CHECKOUT_AUTO without a scenario effect.
 * Approval: billing_window_approve, then the `paid` webhook; when a
 * scenario holds the window's answer for that webhook, this waits (at
 * most CHECKOUT_HOOK_WAIT_MS) until it has been answered. A cancel fails the
 * payment with 사용자가 결제를 취소하셨습니다 (no webhook: failures send none).
 * CHECKOUT_AUTO sleeps the effect's delay first; on a hanging window it
 * returns MOCK_OK with the window still open. *ret_w is the window after it;
 * *ret_payment (owned copy, release with payment_fini) the payment. */
enum mock_err checkout_act(const struct billing *b, const char *id, enum checkout_action action,
                           const struct billing_window_pick *pick, struct checkout_window *ret_w,
                           struct payment *ret_payment);

/* The page has called the merchant's callback or redirected the browser:
 * releases webhooks a scenario held until then. Once per window. */
enum mock_err checkout_returned(const char *id, struct checkout_window *ret_w);

/* Forgets tenant tid's windows, open or done (a reset; tid < 0: every
 * tenant's): they answer MOCK_CHECKOUT_NOT_FOUND afterwards, and an action
 * under way in one keeps nothing. */
void checkout_forget(int tid);

/* Forgets every window (at exit; tests). */
void checkout_fini(void);

#endif
