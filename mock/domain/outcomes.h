/*
 * outcomes.h - connects the domain's business-outcome hooks (billing.h,
 * vbank.h) to the scenario engine, so a scripted decline, PG error,
 * card-authentication failure or slow PG applies to every door a charge or
 * key issuance comes through (again, onetime, schedules, the payment
 * window), and a virtual-account issuance can be refused or given a
 * deposit later.
 * Install once before the server starts.
 */
#ifndef IMPMOCK_OUTCOMES_H
#define IMPMOCK_OUTCOMES_H

#include "state/store.h"

/* The store (borrowed, must outlive the server) maps tenants to imp_keys. */
void outcomes_install(struct store *s);

#endif
