/*
 * model.h - the records impmock keeps: merchants and their channels,
 * payments, billing keys (customers), pre-registrations. Plain C, no HTTP and
 * no JSON. Amounts are KRW as int64_t; times are unix seconds, 0 = not yet.
 * A string field that is NULL is JSON null. Owned strings are heap copies:
 * copy a record with *_copy and release it with *_fini.
 */
#ifndef IMPMOCK_MODEL_H
#define IMPMOCK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Field length limits of the real API (older official docs). */
#define IMP_UID_MAX       32
#define MERCHANT_UID_MAX  40
#define CUSTOMER_UID_MAX  80
#define PG_PROVIDER_MAX   16
#define PG_ID_MAX         80
#define PG_TID_MAX        80
#define PAY_METHOD_MAX    20
#define CHANNEL_MAX       10
#define CURRENCY_MAX      3
#define REASON_MAX        256
#define TEXT_MAX          1024 /* names, buyer fields */
#define CUSTOM_DATA_MAX   16384
#define MERCHANT_CODE_MAX 32
#define IMP_KEY_MAX       128
#define IMP_SECRET_MAX    256
#define URL_MAX           2048
#define MAX_CHANNELS      8
/* channel_key: "channel-key-" + a UUID, or "{pg}.{MID}" where one names a channel */
#define CHANNEL_KEY_MAX  128
#define CHANNEL_NAME_MAX 100
#define TIER_CODE_LEN    3 /* exactly: upper-case letters and digits */
#define TIER_NAME_MAX    100
#define MAX_TIERS        16
#define VBANK_NUM_MAX    32                 /* account number of a virtual account */
#define AMOUNT_MAX       9007199254740992LL /* 2^53: exact in a JSON double */

enum pay_status { PAY_READY, PAY_PAID, PAY_FAILED, PAY_CANCELLED, PAY__COUNT };

/* "ready" ... "cancelled"; parse returns false for anything else. */
const char *pay_status_name(enum pay_status s);
bool pay_status_parse(const char *name, enum pay_status *ret_status);

enum channel_kind {
    CHANNEL_ONETIME,      /* the payment window */
    CHANNEL_SUBSCRIPTION, /* billing keys through the window (Kakao Pay's recurring CID) */
    CHANNEL_KEYIN,        /* card data sent by the server */
    CHANNEL_VBANK,        /* virtual accounts issued by API (POST /vbanks) */
};

struct channel {
    char pg_provider[PG_PROVIDER_MAX + 1]; /* "kakaopay", "nice", ... */
    char pg_id[PG_ID_MAX + 1];             /* MID / Kakao CID */
    enum channel_kind kind;
    char key[CHANNEL_KEY_MAX + 1];   /* channel_key, unique in its merchant */
    char name[CHANNEL_NAME_MAX + 1]; /* channel_name; "" = null */
    bool sandbox;                    /* test mode, as GET /users/pg shows it */
};

/* The channel_key a channel declared without one gets: "channel-key-" and a
 * UUID-shaped hash of the merchant code and the channel's place, so it is
 * the same at every start. out holds CHANNEL_KEY_MAX + 1. */
void channel_default_key(const char *merchant_code, size_t index, const struct channel *c,
                         char *out);

/* A sub-merchant (reference §23.2): GET /tiers/{tier_code}. */
struct tier {
    char code[TIER_CODE_LEN + 1];
    char name[TIER_NAME_MAX + 1];
};

/* Whether code can be a tier code: exactly 3 upper-case letters or digits. */
bool tier_code_valid(const char *code);

struct merchant {
    char merchant_code[MERCHANT_CODE_MAX + 1]; /* "imp00000000", what IMP.init takes */
    char imp_key[IMP_KEY_MAX + 1];
    char imp_secret[IMP_SECRET_MAX + 1];
    char name[TEXT_MAX + 1];
    char default_pg[PG_PROVIDER_MAX + 1];
    char webhook_url[URL_MAX + 1]; /* "" = none */
    bool webhook_form;             /* deliver webhooks as form instead of JSON */
    struct channel channels[MAX_CHANNELS];
    size_t n_channels;
    struct tier tiers[MAX_TIERS]; /* sub-merchants; none for most merchants */
    size_t n_tiers;
    bool on_the_fly; /* made by a getToken under --open-tenants, not by the fixtures */
};

struct cancel_entry {
    char pg_tid[PG_TID_MAX + 1];
    int64_t amount;
    int64_t tax_free;
    int64_t cancelled_at;
    char *reason; /* owned, may be NULL */
    char cancellation_id[33];
    char *receipt_url; /* owned, may be NULL */
};

/* Owned nullable strings of a payment, in rendering order where it matters. */
#define PAYMENT_STR_FIELDS(X)                                                                      \
    X(emb_pg_provider)                                                                             \
    X(apply_num)                                                                                   \
    X(bank_code)                                                                                   \
    X(bank_name)                                                                                   \
    X(card_code)                                                                                   \
    X(card_name)                                                                                   \
    X(card_number)                                                                                 \
    X(name)                                                                                        \
    X(buyer_name)                                                                                  \
    X(buyer_email)                                                                                 \
    X(buyer_tel)                                                                                   \
    X(buyer_addr)                                                                                  \
    X(buyer_postcode)                                                                              \
    X(custom_data)                                                                                 \
    X(user_agent)                                                                                  \
    X(fail_reason)                                                                                 \
    X(cancel_reason)                                                                               \
    X(receipt_url)                                                                                 \
    X(customer_uid)                                                                                \
    X(notice_url)                                                                                  \
    X(vbank_code)                                                                                  \
    X(vbank_name)                                                                                  \
    X(vbank_num)                                                                                   \
    X(vbank_holder)

struct payment {
    char imp_uid[IMP_UID_MAX + 1];
    char merchant_uid[MERCHANT_UID_MAX + 1];
    char pay_method[PAY_METHOD_MAX + 1];
    char channel[CHANNEL_MAX + 1]; /* "pc", "mobile", "api" */
    char pg_provider[PG_PROVIDER_MAX + 1];
    char pg_tid[PG_TID_MAX + 1];
    char pg_id[PG_ID_MAX + 1];
    char currency[CURRENCY_MAX + 1];
    const char *customer_uid_usage; /* static string or NULL: issue/payment/payment.scheduled */
    bool escrow;
    /* a cash receipt of it is issued and not revoked (§18) */
    bool cash_receipt_issued;
    int card_type;  /* 0 credit, 1 check, -1 null */
    int card_quota; /* months, 0 = lump sum */
    int64_t amount;
    int64_t cancel_amount;
    int64_t tax_free;        /* tax-free part of amount */
    int64_t cancel_tax_free; /* tax-free part already cancelled */
    enum pay_status status;
    int64_t started_at, paid_at, failed_at, cancelled_at;
    int64_t updated_at; /* last status change, for sorting=updated */
    uint64_t version;   /* bumped by the store on every replace */
    /* virtual accounts (pay_method "vbank"; 0 otherwise), unix s */
    int64_t vbank_date;       /* deposit deadline */
    int64_t vbank_issued_at;  /* when the account was issued */
    int64_t vbank_deposit_at; /* a deposit a scenario scripted for then; 0 = none (not rendered) */
#define X(f) char *f;
    PAYMENT_STR_FIELDS(X)
#undef X
    struct cancel_entry *cancels; /* owned array */
    size_t n_cancels;
};

/* Deep copy; false on OOM (dst is then empty). */
bool payment_copy(struct payment *dst, const struct payment *src);
void payment_fini(struct payment *p);
/* Replace an owned string field with a copy of s (NULL allowed); false on OOM. */
bool str_set(char **field, const char *s);
/* Copies s into a fixed field dst of cap bytes, cut to fit as snprintf "%s"
 * would cut it, without the formatter (charges and lookups fill a dozen);
 * returns the bytes copied. */
size_t str_copy_cut(char *dst, size_t cap, const char *s);

#define CUSTOMER_STR_FIELDS(X)                                                                     \
    X(customer_id)                                                                                 \
    X(card_name)                                                                                   \
    X(card_code)                                                                                   \
    X(card_number)                                                                                 \
    X(customer_name)                                                                               \
    X(customer_tel)                                                                                \
    X(customer_email)                                                                              \
    X(customer_addr)                                                                               \
    X(customer_postcode)

/* A billing key. The full card number is never kept: only its mask and the
 * index of the test-card behaviour it decided at issuance. */
struct customer {
    char customer_uid[CUSTOMER_UID_MAX + 1];
    char pg_provider[PG_PROVIDER_MAX + 1];
    char pg_id[PG_ID_MAX + 1];
    int card_type;    /* -1 null */
    int card_profile; /* index into the test-card table, -1 = plain approving card */
    int64_t inserted, updated;
    uint64_t charges; /* charge attempts made with this key, for approve-N-then-decline cards */
    char pay_method[PAY_METHOD_MAX + 1]; /* what charges record: "card" / "point" */
#define X(f) char *f;
    CUSTOMER_STR_FIELDS(X)
#undef X
};

bool customer_copy(struct customer *dst, const struct customer *src);
void customer_fini(struct customer *c);

struct prepare {
    char merchant_uid[MERCHANT_UID_MAX + 1];
    int64_t amount;
    char currency[CURRENCY_MAX + 1]; /* "" = no currency check (JSON null) */
};

/* ---- scheduled payments (reference §7.2) ---- */

enum sched_status { SCHED_SCHEDULED, SCHED_EXECUTED, SCHED_REVOKED, SCHED__COUNT };

/* "scheduled" / "executed" / "revoked"; parse returns false for anything else. */
const char *sched_status_name(enum sched_status s);
bool sched_status_parse(const char *name, enum sched_status *ret_status);

/* Owned nullable strings of a schedule item. */
#define SCHEDULE_STR_FIELDS(X)                                                                     \
    X(customer_id)                                                                                 \
    X(name)                                                                                        \
    X(buyer_name)                                                                                  \
    X(buyer_email)                                                                                 \
    X(buyer_tel)                                                                                   \
    X(buyer_addr)                                                                                  \
    X(buyer_postcode)                                                                              \
    X(custom_data)                                                                                 \
    X(notice_url)                                                                                  \
    X(fail_reason)                                                                                 \
    X(promotion_id)

/* One scheduled payment: an order that is charged with billing key
 * customer_uid once the clock reaches schedule_at. */
struct schedule {
    char customer_uid[CUSTOMER_UID_MAX + 1];
    char merchant_uid[MERCHANT_UID_MAX + 1];
    char imp_uid[IMP_UID_MAX + 1];         /* payment of the execution; "" = null */
    char pg_provider[PG_PROVIDER_MAX + 1]; /* PG the key routes to; "" = null */
    char pg_id[PG_ID_MAX + 1];             /* "" = null */
    char currency[CURRENCY_MAX + 1];       /* "KRW" unless asked otherwise */
    int64_t schedule_at;                   /* unix s: when it comes due */
    int64_t executed_at;                   /* unix s, 0 = not yet */
    int64_t revoked_at;                    /* unix s, 0 = not revoked */
    int64_t amount;                        /* KRW */
    int64_t tax_free;                      /* tax-free part of amount, KRW */
    int card_quota;                        /* installment months, 0 = lump sum */
    enum sched_status status;
    int payment_status; /* enum pay_status of the execution's payment, -1 = null */
    bool running;       /* claimed by the executor; still shown as scheduled */
    uint64_t seq;       /* insertion order, store-wide: ties of schedule_at run in it */
    uint64_t gen;       /* store-wide stamp, renewed whenever schedule_at changes */
#define X(f) char *f;
    SCHEDULE_STR_FIELDS(X)
#undef X
};

/* Deep copy; false on OOM (dst is then empty). */
bool schedule_copy(struct schedule *dst, const struct schedule *src);
void schedule_fini(struct schedule *s);

/* ---- cash receipts, certifications, escrow shipping (reference §18-§20) ----
 * Fixed-size records (no owned strings): a plain assignment copies them. */

#define RECEIPT_TID_MAX       24
#define RECEIPT_APPLY_NUM_MAX 9 /* the 국세청 approval number: 9 digits */
#define RECEIPT_TYPE_MAX      7 /* "person" or "company" */
#define RECEIPT_URL_MAX       160

/* A cash receipt (현금영수증). One per key: the imp_uid of an i'mport payment,
 * or the merchant_uid of a cash sale made outside i'mport (external). A
 * revoked receipt stays, with cancelled_at set, until its key gets a new one. */
struct receipt {
    char key[MERCHANT_UID_MAX + 1]; /* imp_uid, or merchant_uid when external */
    bool external;
    char pg_provider[PG_PROVIDER_MAX + 1]; /* the PG that issued it */
    char receipt_tid[RECEIPT_TID_MAX + 1];
    char apply_num[RECEIPT_APPLY_NUM_MAX + 1];
    char type[RECEIPT_TYPE_MAX + 1]; /* person (소득공제) or company (지출증빙) */
    int64_t amount;                  /* KRW */
    int64_t vat;                     /* KRW, part of amount */
    int64_t applied_at;              /* unix s */
    int64_t cancelled_at;            /* unix s, 0 = valid */
    char receipt_url[RECEIPT_URL_MAX + 1];
};

#define CERT_NAME_MAX    100
#define CERT_PHONE_MAX   11 /* digits */
#define CERT_CARRIER_MAX 8  /* "LGT_MVNO" */
#define CERT_PG_TID_MAX  24
#define CERT_CI_LEN      88 /* unique_key: base64 of 64 bytes */
#define CERT_DI_LEN      64 /* unique_in_site: base64 of 47 bytes */

/* An identity verification (본인인증) by SMS one-time code: requested with the
 * person's data, then certified with the code. Its imp_uid is its own, not a
 * payment's. The person's data are shown only once certified. */
struct certification {
    char imp_uid[IMP_UID_MAX + 1];
    char merchant_uid[MERCHANT_UID_MAX + 1]; /* "" = null */
    char pg_provider[PG_PROVIDER_MAX + 1];   /* danal or kcp_v2 */
    char pg_tid[CERT_PG_TID_MAX + 1];
    char name[CERT_NAME_MAX + 1];
    char gender[7];    /* male or female */
    char birthday[11]; /* YYYY-MM-DD */
    int64_t birth;     /* unix s of 00:00 KST on the birthday (negative before 1970) */
    bool foreigner;
    char phone[CERT_PHONE_MAX + 1];     /* digits only */
    char carrier[CERT_CARRIER_MAX + 1]; /* SKT, KT, LGT, or one of them + "_MVNO" */
    bool phone_disclosed;               /* phone and carrier appear in the result */
    bool by_app;                        /* kcp_v2 APP method: confirmed without a code */
    bool certified;
    int64_t requested_at;                 /* unix s */
    int64_t certified_at;                 /* unix s, 0 = not yet */
    char unique_key[CERT_CI_LEN + 1];     /* CI: the same person gives the same value */
    char unique_in_site[CERT_DI_LEN + 1]; /* DI: CI as one merchant sees it */
};

#define ESCROW_COMPANY_MAX 16
#define ESCROW_INVOICE_MAX 64

/* The shipping record of an escrow payment (에스크로 배송정보). */
struct escrow_logis {
    char imp_uid[IMP_UID_MAX + 1];
    char company[ESCROW_COMPANY_MAX + 1]; /* courier code; ETC for codes not in the table */
    char invoice[ESCROW_INVOICE_MAX + 1]; /* tracking number */
    int64_t sent_at;                      /* unix s */
    int64_t applied_at;                   /* unix s: registered, or last edited */
};

#endif
