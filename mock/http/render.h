/*
 * render.h - records to the JSON shapes of the real API (reference §4, §5.1,
 * §3.8, §4.4, §7.2). Every function returns an owned tree, NULL on OOM.
 */
#ifndef IMPMOCK_RENDER_H
#define IMPMOCK_RENDER_H

#include "base/model.h"
#include "state/store.h"

#include <cjson/cJSON.h>

/* A raw item holding the payment's JSON text (it prints as an object; do not
 * look fields up in it). */
cJSON *render_payment(const struct payment *p);
/* The whole answer of a payment lookup, the success envelope around the
 * payment, as text in the worker's SCRATCH_BODY buffer (valid until its next
 * answer); NULL on OOM. */
const char *render_payment_answer(const struct payment *p, size_t *ret_len);
/* The whole answer of a getToken, {access_token, now, expired_at} in the
 * success envelope, in the worker's SCRATCH_BODY buffer as above. */
const char *render_token_answer(const char *token, int64_t now, int64_t expired_at,
                                size_t *ret_len);
/* {total, previous, next, list}: previous/next are page numbers, 0 when none. */
cJSON *render_payment_page(const struct pay_page *pg, size_t page, size_t limit);
cJSON *render_customer(const struct customer *c);
cJSON *render_prepare(const struct prepare *p);
/* The Schedule object, fields in the order of reference §7.2. */
cJSON *render_schedule(const struct schedule *sc);
/* Adds v as a JSON integer, written exactly (no double on the way). */
bool render_add_int(cJSON *o, const char *name, int64_t v);

#endif
