/*
 * scenario.h - scripted edge cases. A scenario is a named, ordered list of
 * rules; a rule says WHEN (operation, tenant, field globs, amount range,
 * which matching calls by count) and THEN (one effect, optionally after a
 * delay). Effects are of two layers:
 *   - transport, applied by http/ before the handler runs: a given HTTP
 *     status and body, added latency, a connection closed with no answer, a
 *     truncated body, a slow drip, a forced token expiry;
 *   - business, asked for by the domain wherever a charge, key issuance or
 *     virtual-account issuance happens (whichever door it came through):
 *     decline, PG error, card authentication failure, a deposit later; and
 *     where a receipt, an identity verification or a shipping record goes to
 *     the PG: PG error, slow PG.
 * The format is documented in scenarios/README.md.
 * Thread-safety: the loaded set and the hit counters are guarded by one
 * mutex inside; nothing is held across I/O or sleeps.
 */
#ifndef IMPMOCK_SCENARIO_H
#define IMPMOCK_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum scn_op {
    SCN_OP_ANY,
    SCN_OP_TOKEN,         /* POST /users/getToken */
    SCN_OP_CHARGE,        /* again, onetime, scheduled execution, window approval */
    SCN_OP_ISSUE_KEY,     /* billing key issuance */
    SCN_OP_CANCEL,        /* POST /payments/cancel */
    SCN_OP_PREPARE,       /* /payments/prepare */
    SCN_OP_LOOKUP,        /* GET of payments, customers, schedules */
    SCN_OP_SCHEDULE,      /* schedule / unschedule */
    SCN_OP_CHECKOUT,      /* the browser payment window */
    SCN_OP_WEBHOOK,       /* webhook deliveries */
    SCN_OP_VBANK,         /* virtual accounts: issue, change, revoke (POST/PUT/DELETE /vbanks) */
    SCN_OP_RECEIPT,       /* cash receipts: issue and revoke (both kinds) */
    SCN_OP_CERTIFICATION, /* identity verification: OTP request and confirm, delete */
    SCN_OP_ESCROW,        /* escrow shipping: register and edit */
    SCN_OP__COUNT
};

enum scn_layer {
    SCN_TRANSPORT, /* HTTP layer of the REST API */
    SCN_BUSINESS,  /* domain: charges, key and virtual-account issuance */
    SCN_DELIVERY,  /* webhook deliveries (op webhook) */
    SCN_WINDOW,    /* the emulated payment window (op checkout) */
};

enum scn_effect_kind {
    SCN_NONE,
    /* transport */
    SCN_HTTP,         /* answer status + body instead of the handler */
    SCN_DELAY,        /* only wait, then handle normally */
    SCN_CLOSE,        /* close the connection without an answer */
    SCN_TRUNCATE,     /* send the real answer cut in half (malformed JSON) */
    SCN_DRIP,         /* send the real answer a few bytes at a time */
    SCN_EXPIRE_TOKEN, /* expire the caller's token, answer 401 */
    SCN_DROP_ANSWER,  /* handle the request (state changes), then close with no answer */
    /* business */
    SCN_PG_DELAY,       /* the PG answers slowly, then the card decides as usual */
    SCN_DECLINE,        /* HTTP 200, code 0, payment status failed with reason */
    SCN_PG_ERROR,       /* code -1 with message, no payment */
    SCN_CARD_AUTH_FAIL, /* code -1 card authentication failure with message */
    SCN_VBANK_DEPOSIT,  /* the buyer deposits into the issued account deposit_after_s later */
    /* delivery (webhooks) */
    SCN_HOOK_DROP,            /* the delivery is never sent (recorded as dropped) */
    SCN_HOOK_DUPLICATE,       /* sent `copies` more times after the first */
    SCN_HOOK_DELAY,           /* sent hook_delay_ms later than due */
    SCN_HOOK_REORDER,         /* held back until the next delivery to the same URL went out */
    SCN_HOOK_BEFORE_REDIRECT, /* the window's redirect/callback waits for this delivery */
    SCN_HOOK_AFTER_REDIRECT,  /* this delivery waits until the window has redirected */
    /* window (checkout) */
    SCN_WINDOW_APPROVE_CARD,  /* approved at once with a card, no click needed */
    SCN_WINDOW_APPROVE_MONEY, /* approved at once with Kakao Money */
    SCN_WINDOW_CANCEL,        /* the buyer cancels */
    SCN_WINDOW_FAIL,          /* the PG fails the payment with message */
    SCN_WINDOW_HANG,          /* the window never answers */
};

/* One call as the engine sees it; NULL/has_amount=false fields are unknown. */
struct scn_call {
    enum scn_op op;
    const char *route; /* "POST /subscribe/payments/again" */
    const char *imp_key;
    const char *merchant_uid;
    const char *customer_uid;
    const char *pg;    /* "nice" or "kakaopay.TCSUBSCRIP" as the request named it */
    const char *pg_id; /* MID when known separately from pg (domain calls), else NULL */
    int64_t amount;
    bool has_amount;
};

struct scn_effect {
    enum scn_effect_kind kind;
    int delay_ms;        /* waited before the effect (all kinds) */
    int http_status;     /* SCN_HTTP */
    char body[4096];     /* SCN_HTTP body */
    char message[256];   /* decline reason / PG or card message (< 256 bytes) */
    int drip_ms;         /* SCN_DRIP: pause between chunks */
    int copies;          /* SCN_HOOK_DUPLICATE: extra deliveries */
    int hook_delay_ms;   /* SCN_HOOK_DELAY */
    int deposit_after_s; /* SCN_VBANK_DEPOSIT: seconds of impmock's clock after issuance */
    char scenario[64];   /* which scenario and rule fired, for logs */
    size_t rule;
};

/* Loads a scenario file's text. On error, false and a message naming source, rule and field. */
bool scenario_load_text(const char *text, size_t len, const char *source, char *err, size_t errlen);
bool scenario_load_file(const char *path, char *err, size_t errlen);
/* Removes one scenario by name (false when unknown), or all. */
bool scenario_remove(const char *name);
void scenario_clear(void);
/* Switches scenario `name` off (it then matches no call and counts none)
 * or on again; false when no scenario has this name. Loading a scenario of
 * the same name again gives it switched on. */
bool scenario_set_enabled(const char *name, bool enabled);
/* Removes the scenarios scoped to one tenant (imp_key). */
void scenario_clear_tenant(const char *imp_key);
/* Whether any scenario is loaded: a lock-free check that lets a request skip
 * scenario_match (and the store look-ups its call needs) when there is none. */
bool scenario_any(void);
/* The first firing rule of the layer for this call (counting every rule whose WHEN matches). */
bool scenario_match(const struct scn_call *call, enum scn_layer layer, struct scn_effect *ret);
/* JSON text [{name, description, source, tenant, enabled,
 * rules:[{when, then, hits, fired}]}];
 * owned (free()), NULL on OOM. */
char *scenario_list_json(void);
/* The name scenario files use for an operation ("charge"); NULL for
 * SCN_OP__COUNT. */
const char *scenario_op_name(enum scn_op op);
/* Frees everything (at exit). */
void scenario_fini(void);

#endif
