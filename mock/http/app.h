/*
 * app.h - what every request handler can reach: the store, the fixtures and
 * the settings from the command line. Filled by main before the server
 * starts; the settings are read-only afterwards (the store locks itself).
 */
#ifndef IMPMOCK_APP_H
#define IMPMOCK_APP_H

#include "state/fixtures.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>

struct app {
    struct store *store;
    struct fixtures_live
        *fixtures; /* the set in force: app_fixtures(); a full reset may replace it */
    const struct merchant
        *open_template;                /* --open-tenants: what a new key pair gets; NULL: refused */
    size_t max_tenants;                /* --max-tenants: tenants made on the fly kept at once */
    size_t body_limit;                 /* bytes */
    size_t journal_page_limit;         /* bytes of one GET /__mock/requests answer */
    const char *admin_token;           /* NULL: control API open on the listener */
    const char *const *scenario_files; /* --scenario FILEs, reloaded by a full reset */
    size_t n_scenario_files;
};

/* The fixtures in force; valid for as long as the request that took it. */
static inline const struct fixtures *app_fixtures(struct app *a)
{
    return fixtures_now(a->fixtures);
}

#endif
