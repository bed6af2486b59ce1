/*
 * fixtures_seed.h - what a reset needs of the fixtures (fixtures.h): which
 * tenants come from them, and seeding one again. Kept apart from fixtures.h
 * so a caller that only reseeds (domain/sandbox.c) sees no cJSON: the
 * fixtures are an opaque pointer here.
 * Thread-safety: the fixtures are read-only once loaded; the store locks itself.
 */
#ifndef IMPMOCK_FIXTURES_SEED_H
#define IMPMOCK_FIXTURES_SEED_H

#include "base/cards.h"
#include "base/model.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>

struct fixtures;      /* fixtures.h */
struct fixtures_live; /* the set in force, swapped whole at a reset (fixtures_live.c) */

/* The set in force now. It stays valid until fixtures_live_free, even after
 * a reset put another in force: a request under way keeps the one it took. */
const struct fixtures *fixtures_now(struct fixtures_live *l);
/* A set's test cards (what charges and the schedule runner use). */
const struct card_table *fixtures_cards(const struct fixtures *fx);
/* The fixture files read again, when any changed since the set in force
 * was read (names, sizes, times): a new set, not yet in force, checked
 * whole (every merchant and seed record stored in a scratch store). NULL
 * with err "" when nothing changed (or the fixtures are the embedded ones),
 * NULL with a message naming the file and field when a file is bad. */
struct fixtures *fixtures_reread(struct fixtures_live *l, char *err, size_t errlen);
/* Puts a set from fixtures_reread in force (its big seed arrays released
 * first, as at start-up); the one it replaces stays valid. */
void fixtures_install(struct fixtures_live *l, struct fixtures *fx);
/* Frees a set from fixtures_reread that is not put in force. */
void fixtures_discard(struct fixtures *fx);
/* Whether tenant merchant m is the fixtures' merchant of its imp_key with
 * the same settings (code, secret, name, channels, tiers, webhook). */
bool fixtures_merchant_same(const struct fixtures *fx, const struct merchant *m);
/* A tenant, seeded, for each merchant of fx that has none in s (by imp_key). */
bool fixtures_add_missing(const struct fixtures *fx, struct store *s, char *err, size_t errlen);

/* Seeds tenant tid again from the merchant whose imp_key it has (after a reset);
 * tenants not from fixtures get nothing. Seeds released by
 * fixtures_release_seeds are read from the merchant's file again. */
bool fixtures_seed_tenant(const struct fixtures *fx, struct store *s, int tid, char *err,
                          size_t errlen);
/* true when a fixture merchant has this imp_key. */
bool fixtures_has_key(const struct fixtures *fx, const char *imp_key);

#endif
