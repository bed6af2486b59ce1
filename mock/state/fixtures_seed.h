/*
 * fixtures_seed.h - what a reset needs of the fixtures (fixtures.h): which
 * tenants come from them, and seeding one again. Kept apart from fixtures.h
 * so a caller that only reseeds (domain/sandbox.c) sees no cJSON: the
 * fixtures are an opaque pointer here.
 * Thread-safety: the fixtures are read-only once loaded; the store locks itself.
 */
#ifndef IMPMOCK_FIXTURES_SEED_H
#define IMPMOCK_FIXTURES_SEED_H

#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>

struct fixtures; /* fixtures.h */

/* Seeds tenant tid again from the merchant whose imp_key it has (after a reset);
 * tenants not from fixtures get nothing. Seeds released by
 * fixtures_release_seeds are read from the merchant's file again. */
bool fixtures_seed_tenant(const struct fixtures *fx, struct store *s, int tid, char *err,
                          size_t errlen);
/* true when a fixture merchant has this imp_key. */
bool fixtures_has_key(const struct fixtures *fx, const char *imp_key);

#endif
