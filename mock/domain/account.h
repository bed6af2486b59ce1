/*
 * account.h - what a merchant's account says about itself (reference
 * §23.1, §23.2): its PG channels as GET /users/pg lists them, the channel a
 * channel_key names, and its sub-merchants (tiers).
 * Pure functions over a merchant record (store_tenant_merchant copies one).
 * No HTTP and no JSON; callable from any thread.
 */
#ifndef IMPMOCK_ACCOUNT_H
#define IMPMOCK_ACCOUNT_H

#include "base/errors.h"
#include "base/model.h"

#include <stdbool.h>

/* The PgSetting `type` of a channel: "payment" for the payment window
 * (one-time and recurring), "api_payment" for key-in (reference §23.1). */
const char *account_channel_type(const struct channel *c);

/* The channel whose channel_key is key, or NULL. */
const struct channel *account_channel_by_key(const struct merchant *m, const char *key);

/* The first channel of pg_provider, or NULL. */
const struct channel *account_channel_of_pg(const struct merchant *m, const char *pg_provider);

/* Sub-merchant tier_code of m: MOCK_TIER_NOT_FOUND for a code the merchant
 * has not registered (or one that cannot be a tier code). */
enum mock_err account_tier(const struct merchant *m, const char *tier_code, struct tier *ret_tier);

#endif
