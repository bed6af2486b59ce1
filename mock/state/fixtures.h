/*
 * fixtures.h - the merchants, seed records, test cards, test bank accounts
 * and test phones impmock starts with: the embedded fixtures/default.json, or --fixtures FILE|DIR
 * (every
 * *.json of a directory, in name order, merged). Loaded once before the
 * server starts; read-only afterwards (reset re-applies them).
 * fixtures_seed.h has the part a reset uses: reseeding a tenant.
 */
#ifndef IMPMOCK_FIXTURES_H
#define IMPMOCK_FIXTURES_H

#include "base/accounts.h"
#include "base/cards.h"
#include "base/model.h"
#include "base/phones.h"
#include "state/fixtures_seed.h"
#include "state/store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct fixtures {
    cJSON *merchants; /* owned array of merchant objects, validated */
    struct card_table cards;
    struct account_table accounts; /* test accounts of GET /vbanks/holder */
    struct phone_table phones;     /* identity verification ("certification") */
};

/* The fixtures of path (NULL: the embedded defaults) as the set in force,
 * which a reset may replace (fixtures_seed.h). NULL with a message naming
 * file and field. path is borrowed for the program's life. */
struct fixtures_live *fixtures_live_open(const char *path, char *err, size_t errlen);
/* Frees every set, the one in force and those it replaced. */
void fixtures_live_free(struct fixtures_live *l);
/* The set in force, to change before any thread reads it (start-up). */
struct fixtures *fixtures_live_current(struct fixtures_live *l);

/* path NULL: the embedded defaults. false with a message naming file and field. */
bool fixtures_load(struct fixtures *fx, const char *path, char *err, size_t errlen);
void fixtures_fini(struct fixtures *fx);
/* Creates a tenant per merchant and seeds its customers and payments. */
bool fixtures_apply(const struct fixtures *fx, struct store *s, char *err, size_t errlen);
/* Frees the seed records (payments, customers) of every merchant with more
 * than FIXTURES_KEEP_MAX of them, once they are in the store: 100,000 seeds
 * would otherwise sit in memory twice. A reset reads those from their file
 * again (fixtures_seed_tenant). Call after fixtures_apply. */
#define FIXTURES_KEEP_MAX 1000
void fixtures_release_seeds(struct fixtures *fx);
/* The channels and settings a tenant created on the fly (--open-tenants) gets:
 * those of the first fixture merchant, with the given key pair. */
void fixtures_template_merchant(const struct fixtures *fx, const char *imp_key,
                                const char *imp_secret, struct merchant *ret_m);
/* Reads a "certification" block (fixtures_phones.c); file names it in errors. */
bool fixtures_parse_certification(const cJSON *o, const char *file, struct phone_table *ret,
                                  char *err, size_t errlen);

#endif
