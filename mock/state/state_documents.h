/*
 * state_documents.h - lossless JSON for the paperwork around payments (cash
 * receipts, identity verifications, escrow shipping records): their records
 * in the durable state log and in a tenant's exported state, beside what
 * state.h does for payments, keys and schedules. Receipts keep no
 * identifier (the 주민등록번호, phone or card number they were issued to).
 * Functions returning cJSON * return an owned tree, NULL on OOM.
 */
#ifndef IMPMOCK_STATE_DOCUMENTS_H
#define IMPMOCK_STATE_DOCUMENTS_H

#include "base/model.h"
#include "state/store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

cJSON *state_receipt_to_json(const struct receipt *r);
bool state_receipt_from_json(const cJSON *o, struct receipt *ret, char *err, size_t errlen);
cJSON *state_cert_to_json(const struct certification *c);
bool state_cert_from_json(const cJSON *o, struct certification *ret, char *err, size_t errlen);
cJSON *state_logis_to_json(const struct escrow_logis *l);
bool state_logis_from_json(const cJSON *o, struct escrow_logis *ret, char *err, size_t errlen);

/* ---- the state log ---- */

/* Adds the body of a RECEIPT, CERT, CERT_DEL or LOGIS change to its log
 * record o ("receipt", "certification", "imp_uid", "escrow_logis"). */
bool state_document_event_to_json(const struct store_event *ev, cJSON *o);
/* Reads it back into ev, whose kind is set; false with err. */
bool state_document_event_from_json(const cJSON *o, struct store_event *ev, char *err,
                                    size_t errlen);
/* Calls emit with a change that puts back each record of tenant tid
 * (snapshots); false when a list could not be read or emit failed. */
typedef bool (*state_emit_fn)(void *ud, const struct store_event *ev);
bool state_documents_dump(struct store *s, int tid, state_emit_fn emit, void *ud);

/* ---- export / import ---- */

/* Adds "receipts", "certifications" and "escrow_logis" of tenant tid to doc. */
bool state_documents_export(struct store *s, int tid, cJSON *doc);

/* Those lists of an exported document, read in full before anything changes. */
struct state_documents {
    struct store_event *evs; /* owned: one change per record, tid unset */
    size_t n;
};

/* Reads the lists of doc (each optional); false with err naming the record. */
bool state_documents_parse(const cJSON *doc, struct state_documents *ret, char *err, size_t errlen);
/* Stores them in tenant tid (logged like any change); false when out of memory. */
bool state_documents_import(struct store *s, int tid, const struct state_documents *d);
void state_documents_free(struct state_documents *d);

#endif
