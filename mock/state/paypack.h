/*
 * paypack.h - a stored payment packed into one small record: numbers as
 * varints (times relative to started_at), strings NUL-terminated and only
 * when present, and the few values that repeat across payments (pay_method,
 * channel, pg_provider, pg_id, currency, card company names) interned once
 * per store. A minimal payment takes about 70 bytes instead of the ~600 of
 * a struct payment, so a store of 100,000 payments fits in a few MB.
 * The store owns the records and the intern table; both are guarded by the
 * store's lock (nothing here locks). No I/O, no JSON.
 */
#ifndef IMPMOCK_PAYPACK_H
#define IMPMOCK_PAYPACK_H

#include "base/model.h"
#include "infra/hmap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- types ---- */

#define PAYPACK_INTERN_MAX 4096 /* distinct interned strings; later ones are stored inline */

/* The interned strings of one store. */
struct paypack {
    char **strs; /* owned; each string stays put while the store lives */
    size_t n, cap;
    struct hmap index; /* string -> id */
    uint8_t *scratch;  /* where records are built, reused: a record is then one exact malloc */
    size_t scratch_cap;
};

/* The fixed-size part of a record: what queries filter and sort on. */
struct paypack_head {
    enum pay_status status;
    bool escrow;
    uint64_t version;
    int64_t started_at, paid_at, failed_at, cancelled_at, updated_at;
};

/* ---- the intern table ---- */

void paypack_init(struct paypack *pk);
void paypack_fini(struct paypack *pk);

/* ---- records ---- */

/* A malloc'd record of p (free() it), NULL on OOM. */
uint8_t *paypack_encode(struct paypack *pk, const struct payment *p);
/* Fills *ret with an owned copy (payment_fini); false on OOM (*ret empty then). */
bool paypack_decode(const struct paypack *pk, const uint8_t *rec, struct payment *ret);

/* Borrowed views into a record, valid while it lives. */
const char *paypack_imp_uid(const uint8_t *rec);
const char *paypack_merchant_uid(const uint8_t *rec);
void paypack_head(const uint8_t *rec, struct paypack_head *ret);
/* customer_uid, NULL when null. */
const char *paypack_customer_uid(const struct paypack *pk, const uint8_t *rec);

#endif
