/*
 * outcomes.h - connects the domain's business-outcome hooks (billing.h,
 * vbank.h) to the scenario engine, so a scripted decline, PG error,
 * card-authentication failure or slow PG applies to every door a charge or
 * key issuance comes through (again, onetime, schedules, the payment
 * window), a virtual-account issuance can be refused or given a deposit
 * later, and the calls receipts, identity verifications and shipping
 * records make to a PG can fail.
 * Install once before the server starts.
 */
#ifndef IMPMOCK_OUTCOMES_H
#define IMPMOCK_OUTCOMES_H

#include "infra/scenario.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>

/* The store (borrowed, must outlive the server) maps tenants to imp_keys. */
void outcomes_install(struct store *s);

/* The business effect scenarios give a call that goes to a PG apart from
 * charges (op receipt, certification or escrow; call->imp_key is filled in
 * from tenant tid): waits out any delay or slow PG it asks for, then true
 * when the PG fails the call, its message in ret_message (cap bytes).
 * decline and card_auth_fail (from op "any" rules) fail it the same way. */
bool outcomes_pg_fails(struct store *s, int tid, struct scn_call call, char *ret_message,
                       size_t cap);

#endif
