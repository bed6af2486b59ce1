/*
 * sandbox.h - what the control API's reset and clock change set off, in one
 * place (http/admin.c only reads the request and renders the answer):
 *
 *   reset, of every tenant or one: the store goes back to the fixtures
 *     (fixture tenants emptied and seeded again; tenants made on the fly
 *     forgotten by a full reset, emptied by their own), and the tenant's
 *     request journal, webhook deliveries and payment windows are
 *     forgotten; a tenant's own scenarios go with it, a full reset loads
 *     the command line's scenario files again (counters at zero). A full
 *     reset first reads the fixture files again when they changed: a bad
 *     file refuses the reset before anything is reset; a good one is put
 *     in force, its new merchants become tenants, merchants whose settings
 *     changed are made again (a new tenant id, the old one forgotten) and
 *     merchants no longer in the files are forgotten.
 *   clock change (set, advance, freeze, unfreeze): the new reading is
 *     logged so it survives a restart (--state-dir), the schedules now due
 *     run and the virtual-account deposits scenarios scripted for now are
 *     made (or dropped, when the account's vbank_date came first: that is
 *     its expiry) before the call returns, and webhook retries now due go
 *     at once. Token expiry needs nothing more: a token is checked against
 *     the clock each time it is used; so is a virtual account's deadline at
 *     a deposit or a change.
 *
 * No HTTP and no JSON. Thread-safety: callable from any thread; each part
 * locks what it changes, so a request served during a reset may see it half
 * done.
 */
#ifndef IMPMOCK_SANDBOX_H
#define IMPMOCK_SANDBOX_H

#include "base/cards.h"
#include "state/fixtures_seed.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SANDBOX_EVERY_TENANT (-1) /* sandbox_reset: all of them */

/* What a reset and a clock change reach; everything borrowed. */
struct sandbox {
    struct store *store;
    const struct card_table *cards;    /* the schedules that come due charge with it */
    const struct fixtures *fx;         /* what a reset seeds */
    const char *const *scenario_files; /* --scenario FILEs, loaded again by a full reset */
    size_t n_scenario_files;
    struct fixtures_live *live; /* the set in force, reread by a full reset; NULL: fx as is */
};

/* Resets tenant tid (SANDBOX_EVERY_TENANT: all) as above. false with a
 * message naming the file and field when a fixture file is bad (nothing
 * is reset then), or when a seed or scenario file cannot be read again
 * (the tenants before it are reset by then). */
bool sandbox_reset(const struct sandbox *sb, int tid, char *err, size_t errlen);

/* Forgets what is kept by tenant id outside the store (requests in the
 * journal, webhook deliveries, payment windows): the tenant is gone, and its
 * id goes to the next tenant made. */
void sandbox_forget_tenant(int tid);

/* One clock change; any of the three, applied freeze first, so
 * {set T, freeze} stops exactly at T. */
struct sandbox_clock {
    bool has_freeze;
    bool freeze; /* true: stop at the current reading; false: run again */
    bool has_set;
    int64_t set; /* unix s */
    bool has_advance;
    int64_t advance; /* s, may be negative */
};

/* Applies c, then what a clock change sets off (see above). */
void sandbox_clock_change(const struct sandbox *sb, const struct sandbox_clock *c);

#endif
