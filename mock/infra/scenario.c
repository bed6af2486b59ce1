/* scenario.c - see scenario.h: the engine (loaded set, matching, counters,
 * listing); the file format is read by scenario_parse.c. */
#include "infra/scenario.h"

#include "infra/hmap.h"
#include "infra/scenario_rules.h"

#include <cjson/cJSON.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_KEYS_MAX 100000 /* distinct values counted per rule; later ones share one count */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct scenario **loaded; /* guarded by lock, in load order */
static size_t n_loaded, cap_loaded;
static atomic_size_t n_published; /* n_loaded as last stored under lock, read without it */

static void per_counts_clear(struct per_counts *pc)
{
    hmap_fini(&pc->index);
    for (size_t i = 0; i < pc->n; i++)
        free(pc->keys[i]);
    free(pc->keys);
    free(pc->counts);
    memset(pc, 0, sizeof *pc);
}

/* Counts one more call for `value`; returns the count including it. */
static uint64_t per_counts_bump(struct per_counts *pc, const char *value)
{
    uint32_t slot;
    if (hmap_get(&pc->index, value, &slot))
        return ++pc->counts[slot];
    if (pc->n == PER_KEYS_MAX)
        return ++pc->overflow;
    if (pc->n == pc->cap) {
        size_t ncap = pc->cap ? pc->cap * 2 : 16;
        char **nk = realloc(pc->keys, ncap * sizeof *nk);
        if (!nk)
            return ++pc->overflow;
        pc->keys = nk;
        uint64_t *nc = realloc(pc->counts, ncap * sizeof *nc);
        if (!nc)
            return ++pc->overflow;
        pc->counts = nc;
        pc->cap = ncap;
    }
    char *key = strdup(value);
    if (!key || !hmap_put(&pc->index, key, (uint32_t)pc->n)) {
        free(key);
        return ++pc->overflow;
    }
    pc->keys[pc->n] = key;
    pc->counts[pc->n] = 1;
    return pc->counts[pc->n++];
}

void scenario_free(struct scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_rules; i++) {
        free(sc->rules[i].when_text);
        free(sc->rules[i].then_text);
        per_counts_clear(&sc->rules[i].per_counts);
    }
    free(sc->rules);
    free(sc->description);
    free(sc->source);
    free(sc);
}

static bool add(struct scenario *sc)
{
    pthread_mutex_lock(&lock);
    struct scenario *old = NULL;
    bool ok = true;
    size_t k;
    for (k = 0; k < n_loaded; k++)
        if (strcmp(loaded[k]->name, sc->name) == 0)
            break;
    if (k < n_loaded) {
        old = loaded[k]; /* same name: the new version replaces it in place */
        loaded[k] = sc;
    } else if (n_loaded == cap_loaded) {
        size_t ncap = cap_loaded ? cap_loaded * 2 : 8;
        struct scenario **nl = realloc(loaded, ncap * sizeof *nl);
        ok = nl != NULL;
        if (ok) {
            loaded = nl;
            cap_loaded = ncap;
            loaded[n_loaded++] = sc;
        }
    } else {
        loaded[n_loaded++] = sc;
    }
    atomic_store(&n_published, n_loaded);
    pthread_mutex_unlock(&lock);
    scenario_free(old);
    return ok;
}

bool scenario_load_text(const char *text, size_t len, const char *source, char *err, size_t errlen)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        snprintf(err, errlen, "%s: not valid JSON (near byte %ld)", source,
                 end ? (long)(end - text) : 0L);
        return false;
    }
    struct scenario *sc = scenario_parse(root, source, err, errlen);
    cJSON_Delete(root);
    if (!sc)
        return false;
    if (!add(sc)) {
        scenario_free(sc);
        snprintf(err, errlen, "%s: out of memory", source);
        return false;
    }
    return true;
}

bool scenario_load_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return false;
    }
    char *buf = malloc(1 << 20);
    size_t len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    bool too_big = buf && len == (1 << 20);
    fclose(f);
    if (!buf || too_big) {
        free(buf);
        snprintf(err, errlen, "%s: %s", path, buf ? "larger than 1 MiB" : "out of memory");
        return false;
    }
    bool ok = scenario_load_text(buf, len, path, err, errlen);
    free(buf);
    return ok;
}

bool scenario_remove(const char *name)
{
    struct scenario *gone = NULL;
    pthread_mutex_lock(&lock);
    for (size_t k = 0; k < n_loaded; k++) {
        if (strcmp(loaded[k]->name, name) == 0) {
            gone = loaded[k];
            memmove(&loaded[k], &loaded[k + 1], (n_loaded - k - 1) * sizeof *loaded);
            n_loaded--;
            break;
        }
    }
    atomic_store(&n_published, n_loaded);
    pthread_mutex_unlock(&lock);
    scenario_free(gone);
    return gone != NULL;
}

bool scenario_set_enabled(const char *name, bool enabled)
{
    bool found = false;
    pthread_mutex_lock(&lock);
    for (size_t k = 0; k < n_loaded && !found; k++) {
        if (strcmp(loaded[k]->name, name) == 0) {
            loaded[k]->disabled = !enabled;
            found = true;
        }
    }
    pthread_mutex_unlock(&lock);
    return found;
}

static void remove_where(const char *tenant)
{
    struct scenario **gone = NULL;
    size_t n_gone = 0;
    pthread_mutex_lock(&lock);
    gone = n_loaded ? malloc(n_loaded * sizeof *gone) : NULL;
    size_t kept = 0;
    for (size_t k = 0; k < n_loaded; k++) {
        bool drop = !tenant || strcmp(loaded[k]->tenant, tenant) == 0;
        if (drop && gone)
            gone[n_gone++] = loaded[k];
        else
            loaded[kept++] = loaded[k];
    }
    n_loaded = kept;
    atomic_store(&n_published, n_loaded);
    pthread_mutex_unlock(&lock);
    for (size_t k = 0; k < n_gone; k++)
        scenario_free(gone[k]);
    free(gone);
}

void scenario_clear(void)
{
    remove_where(NULL);
}

void scenario_clear_tenant(const char *imp_key)
{
    remove_where(imp_key);
}

static bool glob_ok(const char *pattern, const char *value)
{
    if (!pattern[0])
        return true;
    return value && fnmatch(pattern, value, 0) == 0;
}

static bool when_matches(const struct scenario *sc, const struct rule *r, const struct scn_call *c)
{
    if (sc->tenant[0] && (!c->imp_key || strcmp(sc->tenant, c->imp_key) != 0))
        return false;
    if (r->op != SCN_OP_ANY && r->op != c->op)
        return false;
    if (!glob_ok(r->route, c->route) || !glob_ok(r->merchant_uid, c->merchant_uid) ||
        !glob_ok(r->customer_uid, c->customer_uid))
        return false;
    if (r->pg[0] && !glob_ok(r->pg, c->pg)) {
        /* "nice" matches the provider, "nice.nictest04m" provider and MID */
        char full[2 * GLOB_MAX];
        if (!c->pg || !c->pg_id)
            return false;
        snprintf(full, sizeof full, "%s.%s", c->pg, c->pg_id);
        if (!glob_ok(r->pg, full))
            return false;
    }
    if ((r->has_min || r->has_max) && !c->has_amount)
        return false;
    if (r->has_min && c->amount < r->amount_min)
        return false;
    if (r->has_max && c->amount > r->amount_max)
        return false;
    return true;
}

static bool count_allows(const struct rule *r, uint64_t count)
{
    if (r->nth)
        return count == r->nth;
    if (r->first)
        return count <= r->first;
    if (r->after)
        return count > r->after;
    return true;
}

/* The value a "per" rule counts by; NULL when the call does not have it. */
static const char *per_value(const struct rule *r, const struct scn_call *c)
{
    switch (r->per) {
    case PER_TENANT:
        return c->imp_key;
    case PER_MERCHANT_UID:
        return c->merchant_uid;
    case PER_CUSTOMER_UID:
        return c->customer_uid;
    case PER_RULE:
        break;
    }
    return NULL;
}

bool scenario_any(void)
{
    return atomic_load_explicit(&n_published, memory_order_relaxed) > 0;
}

bool scenario_match(const struct scn_call *call, enum scn_layer layer, struct scn_effect *ret)
{
    bool found = false;
    pthread_mutex_lock(&lock);
    for (size_t k = 0; k < n_loaded; k++) {
        struct scenario *sc = loaded[k];
        for (size_t i = 0; !sc->disabled && i < sc->n_rules; i++) {
            struct rule *r = &sc->rules[i];
            if (r->layer != layer || !when_matches(sc, r, call))
                continue;
            const char *value = per_value(r, call);
            if (r->per != PER_RULE && !value)
                continue; /* counted per customer_uid, and this call has none */
            r->hits++;
            uint64_t count = r->per == PER_RULE ? r->hits : per_counts_bump(&r->per_counts, value);
            if (!found && count_allows(r, count)) {
                r->fired++;
                *ret = r->effect;
                found = true;
            }
        }
    }
    pthread_mutex_unlock(&lock);
    return found;
}

struct rule_copy {
    char *when_text, *then_text;
    uint64_t hits, fired;
};

char *scenario_list_json(void)
{
    /* copy under the lock, build JSON outside it */
    pthread_mutex_lock(&lock);
    size_t n = n_loaded;
    struct scenario *copies = n ? calloc(n, sizeof *copies) : NULL;
    struct rule_copy **rules = n ? calloc(n, sizeof *rules) : NULL;
    bool ok = n == 0 || (copies && rules);
    for (size_t k = 0; ok && k < n; k++) {
        const struct scenario *sc = loaded[k];
        copies[k] = *sc;
        copies[k].description = strdup(sc->description);
        copies[k].source = strdup(sc->source);
        rules[k] = calloc(sc->n_rules, sizeof **rules);
        ok = copies[k].description && copies[k].source && rules[k];
        for (size_t i = 0; ok && i < sc->n_rules; i++) {
            rules[k][i].when_text = strdup(sc->rules[i].when_text);
            rules[k][i].then_text = strdup(sc->rules[i].then_text);
            rules[k][i].hits = sc->rules[i].hits;
            rules[k][i].fired = sc->rules[i].fired;
            ok = rules[k][i].when_text && rules[k][i].then_text;
        }
    }
    pthread_mutex_unlock(&lock);
    cJSON *arr = ok ? cJSON_CreateArray() : NULL;
    for (size_t k = 0; arr && k < n; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON *rs = NULL;
        if (!o || !cJSON_AddItemToArray(arr, o) ||
            !cJSON_AddStringToObject(o, "name", copies[k].name) ||
            !cJSON_AddStringToObject(o, "description", copies[k].description) ||
            !cJSON_AddStringToObject(o, "source", copies[k].source) ||
            !(copies[k].tenant[0] ? cJSON_AddStringToObject(o, "tenant", copies[k].tenant)
                                  : cJSON_AddNullToObject(o, "tenant")) ||
            !cJSON_AddBoolToObject(o, "enabled", !copies[k].disabled) ||
            !(rs = cJSON_AddArrayToObject(o, "rules"))) {
            cJSON_Delete(arr);
            arr = NULL;
            break;
        }
        for (size_t i = 0; i < copies[k].n_rules; i++) {
            cJSON *ro = cJSON_CreateObject();
            cJSON_AddItemToArray(rs, ro);
            cJSON_AddItemToObject(ro, "when", cJSON_Parse(rules[k][i].when_text));
            cJSON_AddItemToObject(ro, "then", cJSON_Parse(rules[k][i].then_text));
            cJSON_AddNumberToObject(ro, "hits", (double)rules[k][i].hits);
            cJSON_AddNumberToObject(ro, "fired", (double)rules[k][i].fired);
        }
    }
    char *text = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    for (size_t k = 0; k < n && copies && rules; k++) {
        free(copies[k].description);
        free(copies[k].source);
        for (size_t i = 0; rules[k] && i < copies[k].n_rules; i++) {
            free(rules[k][i].when_text);
            free(rules[k][i].then_text);
        }
        free(rules[k]);
    }
    free(copies);
    free(rules);
    return text;
}

void scenario_fini(void)
{
    scenario_clear();
    free(loaded);
    loaded = NULL;
    cap_loaded = 0;
}
