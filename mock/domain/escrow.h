/*
 * escrow.h - shipping records of escrow payments (에스크로 배송정보,
 * reference §20): which payments and PGs take one, the sender, receiver and
 * product fields each PG requires, the courier codes, and registering,
 * editing and reading a record.
 * No HTTP and no JSON. Thread-safety: callable from any thread.
 */
#ifndef IMPMOCK_ESCROW_H
#define IMPMOCK_ESCROW_H

#include "base/errors.h"
#include "base/model.h"
#include "state/store.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- types ---- */

#define ESCROW_DETAIL_MAX 256 /* message detail: a field's path, a PG's text */

enum escrow_op {
    ESCROW_GET,      /* GET /escrows/logis/{imp_uid} */
    ESCROW_REGISTER, /* POST */
    ESCROW_EDIT,     /* PUT */
};

/* Whether the request has a field, by path: "sender.name", "logis.address",
 * "products" (present and not empty). */
typedef bool (*escrow_has_fn)(void *ud, const char *path);

/* A registration or edit as read; strings borrowed. */
struct escrow_request {
    const char *company;      /* logis.company: a courier code */
    const char *invoice;      /* logis.invoice */
    int64_t sent_at;          /* logis.sent_at, unix s */
    const char *receiving_at; /* logis.receiving_at, YYYYMMDD; NULL: not given */
    escrow_has_fn has;        /* asked about the fields a PG requires */
    void *has_ud;
};

/* ---- pure rules ---- */

/* Whether the PG takes op for an escrow payment (the Swagger's lists). */
bool escrow_pg_supports(const char *pg_provider, enum escrow_op op);
/* The first field the PG requires (sender, receiver, logis and products
 * details) that the request lacks, as a path, or NULL. */
const char *escrow_missing_field(const char *pg_provider, const struct escrow_request *rq);
/* The code stored for a courier: a code of the table as it is (the retired
 * LOGEN and KOREX included), anything else ETC. */
const char *escrow_courier(const char *company);

/* ---- the operations ---- */

/* Registers (create) or edits the shipping record of payment imp_uid, at
 * the clock's now. Refusals, in order: MOCK_PAYMENT_NOT_FOUND,
 * MOCK_ESCROW_UNSUPPORTED (not escrow, or its PG cannot), MOCK_PARAM_REQUIRED
 * (detail: the path), MOCK_ESCROW_BAD_RECEIVING_AT, MOCK_ESCROW_NOT_PAID,
 * MOCK_ESCROW_LOGIS_EXISTS (create) or MOCK_ESCROW_LOGIS_NONE (edit),
 * MOCK_ESCROW_PG_FAILED (a scenario; detail: its message). */
enum mock_err escrow_save(struct store *s, int tid, const char *imp_uid, bool create,
                          const struct escrow_request *rq, struct escrow_logis *ret_logis,
                          char ret_detail[ESCROW_DETAIL_MAX]);
/* The record of payment imp_uid: MOCK_PAYMENT_NOT_FOUND,
 * MOCK_ESCROW_UNSUPPORTED, MOCK_ESCROW_LOGIS_NONE. */
enum mock_err escrow_get(struct store *s, int tid, const char *imp_uid,
                         struct escrow_logis *ret_logis);

#endif
