/*
 * state.h - lossless JSON for every record the store keeps (payments with
 * their internal counters, billing keys with their test-card profile and
 * charge count, pre-registrations, merchants), and a tenant's whole state
 * as one document: GET /__mock/export and POST /__mock/import, and the
 * records of the durable state log. Full card numbers never appear: keys
 * carry only the masked number and the index of their test-card behaviour.
 * Functions returning cJSON * return an owned tree, NULL on OOM.
 */
#ifndef IMPMOCK_STATE_H
#define IMPMOCK_STATE_H

#include "base/model.h"
#include "state/store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define STATE_FORMAT 1 /* "format" of exported documents and state logs */

cJSON *state_payment_to_json(const struct payment *p);
/* Fills *ret (owned strings; payment_fini) from a tree made by state_payment_to_json. */
bool state_payment_from_json(const cJSON *o, struct payment *ret, char *err, size_t errlen);
cJSON *state_customer_to_json(const struct customer *c);
bool state_customer_from_json(const cJSON *o, struct customer *ret, char *err, size_t errlen);
cJSON *state_schedule_to_json(const struct schedule *sc);
bool state_schedule_from_json(const cJSON *o, struct schedule *ret, char *err, size_t errlen);
cJSON *state_prepare_to_json(const struct prepare *p);
bool state_prepare_from_json(const cJSON *o, struct prepare *ret, char *err, size_t errlen);
/* Without the secret (exports). */
cJSON *state_merchant_to_json(const struct merchant *m);
/* With the secret, for the state log (never for exports). */
cJSON *state_merchant_to_json_full(const struct merchant *m);
/* Reads what state_merchant_to_json_full wrote (merchant_code may be empty). */
bool state_merchant_from_json(const cJSON *o, struct merchant *ret, char *err, size_t errlen);

/* {format, merchant, payments, customers, prepares, schedules, receipts,
 * certifications, escrow_logis} of tenant tid (the last three:
 * state_documents.h). */
cJSON *state_export_tenant(struct store *s, int tid);
/* Replaces everything tenant tid holds with doc (as exported; the merchant
 * part is ignored: the tenant keeps its keys). Validates the whole document
 * before changing anything: on false nothing changed and err says what is
 * wrong (which record, which field). */
bool state_import_tenant(struct store *s, int tid, const cJSON *doc, char *err, size_t errlen);

#endif
