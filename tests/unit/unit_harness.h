/*
 * unit_harness.h - set-up the unit tests share: libsodium and the seeded id
 * stream, the embedded default fixtures (merchant and test cards), a store
 * with two tenants and a billing context over it, and a field-by-field
 * payment comparison. The helpers every test kind uses (scratch
 * directories, files, JSON fields, sleeps) are in tests/common/common.h.
 */
#ifndef IMPMOCK_UNIT_HARNESS_H
#define IMPMOCK_UNIT_HARNESS_H

#include "common.h"

#include "domain/billing.h"
#include "state/fixtures.h"
#include "state/store.h"

#include <stdint.h>

#define UNIT_SEED 7 /* ids_init seed of unit_group_setup */

/* ---- the program ---- */

/* cmocka group set-up: sodium_init, ids_init(true, UNIT_SEED) and the
 * embedded default fixtures. Pair with unit_group_teardown. */
int unit_group_setup(void **state);
int unit_group_teardown(void **state);
/* The fixtures unit_group_setup loaded (fails the test before it ran). */
const struct fixtures *unit_fixtures(void);

/* ---- a store with tenants ---- */

/* A merchant shaped like the default fixture one: key pair imp_key /
 * "secret-" imp_key, default_pg kakaopay, channels kakaopay TC0ONETIME
 * (onetime), kakaopay TCSUBSCRIP (subscription) and nice nictest04m (keyin). */
void unit_merchant(struct merchant *ret_m, const char *imp_key, const char *merchant_code);

/* A fresh store with tenants a (unit_merchant "key-a", "imp-a") and b
 * ("key-b", "imp-b"), and a billing context over it and the default test
 * cards (those of unit_fixtures()). */
struct unit_world {
    struct store *s;
    int a, b;               /* tenant ids */
    struct billing billing; /* s and the default test cards */
};

/* cmocka per-test set-up and teardown: *state is a struct unit_world. */
int unit_world_setup(void **state);
int unit_world_teardown(void **state);

/* ---- records ---- */

/* A billing key on the nice nictest04m key-in channel: pay_method card, a
 * credit card of no test-card profile, inserted and updated at `when`;
 * no strings set (release with customer_fini). */
void unit_customer(struct customer *ret_c, const char *customer_uid, int64_t when);
/* A scheduled payment of 9900 KRW: merchant_uid charged with key
 * customer_uid at `at`; no strings set. */
struct schedule unit_schedule(const char *merchant_uid, const char *customer_uid, int64_t at);

/* ---- assertions ---- */

/* Both NULL, or equal strings. */
void unit_assert_str_or_null(const char *a, const char *b);
/* Every field of two payments, cancels included. */
void unit_assert_payment_equal(const struct payment *a, const struct payment *b);
/* text parsed as JSON (owned: cJSON_Delete); fails the test when it is not. */
cJSON *unit_parse_json(const char *text, size_t len);

#endif
