/* sandbox.c - see sandbox.h. */
#include "domain/sandbox.h"

#include "domain/billing.h"
#include "domain/checkout.h"
#include "domain/schedule.h"
#include "domain/vbank.h"
#include "infra/clock.h"
#include "infra/journal.h"
#include "infra/scenario.h"
#include "infra/webhook.h"

#include <stdio.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#define EVERY_TENANT_INFRA (-2) /* how journal.c and webhook.c say "all tenants" */

/* Back to the fixtures fx: m is tenant tid's merchant (as before the
 * reset). A full reset forgets a tenant the fixtures no longer describe as
 * it is (made on the fly, or its merchant's settings changed: the changed
 * ones are made again afterwards, by fixtures_add_missing). */
static bool reset_store(const struct sandbox *sb, const struct fixtures *fx, int tid,
                        const struct merchant *m, bool full, char *err, size_t errlen)
{
    store_tenant_clear(sb->store, tid);
    bool kept = fixtures_has_key(fx, m->imp_key) && (!full || fixtures_merchant_same(fx, m));
    if (kept)
        return fixtures_seed_tenant(fx, sb->store, tid, err, errlen);
    if (full)
        store_tenant_remove(sb->store, tid);
    return true;
}

static bool reload_scenarios(const struct sandbox *sb, char *err, size_t errlen)
{
    scenario_clear();
    for (size_t i = 0; i < sb->n_scenario_files; i++)
        if (!scenario_load_file(sb->scenario_files[i], err, errlen))
            return false;
    return true;
}

void sandbox_forget_tenant(int tid)
{
    journal_clear(tid);
    webhook_forget(tid);
    checkout_forget(tid);
}

/* Every tenant (full) or tenant tid back to fx. */
static bool reset_tenants(const struct sandbox *sb, const struct fixtures *fx, int tid, bool full,
                          char *err, size_t errlen)
{
    struct merchant *m = malloc(sizeof *m); /* several KiB: not on a worker's small stack */
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    bool ok = true;
    size_t n = store_tenant_count(sb->store);
    for (size_t i = 0; ok && i < n; i++) {
        int t = (int)i;
        if ((full || t == tid) && store_tenant_merchant(sb->store, t, m))
            ok = reset_store(sb, fx, t, m, full, err, errlen);
    }
    if (ok && full)
        ok = fixtures_add_missing(fx, sb->store, err, errlen);
    if (ok && !full && store_tenant_merchant(sb->store, tid, m))
        scenario_clear_tenant(m->imp_key);
    free(m);
    return ok;
}

bool sandbox_reset(const struct sandbox *sb, int tid, char *err, size_t errlen)
{
    bool full = tid == SANDBOX_EVERY_TENANT;
    const struct fixtures *fx = sb->fx;
    struct fixtures *fresh = NULL;
    if (full && sb->live) {
        /* read and checked whole before anything is reset */
        fresh = fixtures_reread(sb->live, err, errlen);
        if (!fresh && err[0])
            return false;
        if (fresh)
            fx = fresh;
    }
    bool ok = reset_tenants(sb, fx, tid, full, err, errlen);
    if (fresh) {
        fixtures_install(sb->live, fresh); /* even when a seed failed: the store follows it */
        schedule_use_cards(fixtures_cards(fx));
    }
    if (ok) {
        journal_clear(full ? EVERY_TENANT_INFRA : tid);
        webhook_forget(full ? EVERY_TENANT_INFRA : tid);
        checkout_forget(full ? -1 : tid);
        if (full)
            ok = reload_scenarios(sb, err, errlen);
    }
#if defined(__GLIBC__)
    /* hand what the reset freed back to the system, not only to malloc's
     * free lists: memory must come back after a reset */
    if (full)
        malloc_trim(0);
#endif
    return ok;
}

void sandbox_clock_change(const struct sandbox *sb, const struct sandbox_clock *c)
{
    if (c->has_freeze)
        clock_freeze(c->freeze);
    if (c->has_set)
        clock_set(c->set);
    if (c->has_advance)
        clock_advance(c->advance);
    bool frozen;
    int64_t value;
    clock_get_state(&frozen, &value);
    store_note_clock(sb->store, frozen, value); /* kept across restarts */
    /* schedules and scripted deposits that came due run now, so the
     * caller's answer follows their results */
    struct billing b = {sb->store, sb->cards};
    schedule_run_due(&b, clock_now(), 0);
    vbank_run_due(sb->store, clock_now());
    webhook_clock_changed(); /* retries now due go at once */
}
