/* scenario.c - see scenario.h. */
#include "infra/scenario.h"

#include "infra/hmap.h"

#include <cjson/cJSON.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 63
#define GLOB_MAX     256

enum count_per { PER_RULE, PER_TENANT, PER_MERCHANT_UID, PER_CUSTOMER_UID };

#define PER_KEYS_MAX 100000 /* distinct values counted per rule; later ones share one count */

/* Hit counts kept per value (customer_uid, ...) for rules with "per". */
struct per_counts {
    struct hmap index; /* value -> slot; keys point into `keys` */
    char **keys;       /* owned */
    uint64_t *counts;
    size_t n, cap;
    uint64_t overflow; /* count shared by values past PER_KEYS_MAX */
};

struct rule {
    /* WHEN */
    enum scn_op op;
    char route[GLOB_MAX];        /* glob on "METHOD /path", "" = any */
    char merchant_uid[GLOB_MAX]; /* globs, "" = any */
    char customer_uid[GLOB_MAX];
    char pg[GLOB_MAX];
    bool has_min, has_max;
    int64_t amount_min, amount_max;
    uint64_t nth, first, after; /* at most one is non-zero */
    enum count_per per;         /* count calls separately per value of this field */
    /* THEN */
    struct scn_effect effect;
    enum scn_layer layer;
    char *when_text, *then_text; /* as loaded, for listing */
    /* counters, guarded by lock */
    uint64_t hits, fired;
    struct per_counts per_counts;
};

struct scenario {
    char name[NAME_MAX_LEN + 1];
    char *description;
    char *source;
    char tenant[129]; /* imp_key, "" = every tenant */
    struct rule *rules;
    size_t n_rules;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct scenario **loaded; /* guarded by lock, in load order */
static size_t n_loaded, cap_loaded;
static atomic_size_t n_published; /* n_loaded as last stored under lock, read without it */

static const char *const op_names[SCN_OP__COUNT] = {"any",      "token",   "charge", "issue_key",
                                                    "cancel",   "prepare", "lookup", "schedule",
                                                    "checkout", "webhook"};

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

static void scenario_free(struct scenario *sc)
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

static bool fail(char *err, size_t errlen, const char *source, long rule, const char *field,
                 const char *what)
{
    if (rule >= 0)
        snprintf(err, errlen, "%s: rules[%ld]: %s: %s", source, rule, field, what);
    else
        snprintf(err, errlen, "%s: %s: %s", source, field, what);
    return false;
}

static bool get_glob(const cJSON *o, const char *name, char *dst, const char *source, long rule,
                     char *err, size_t errlen)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    dst[0] = '\0';
    if (!it)
        return true;
    if (!cJSON_IsString(it) || !it->valuestring[0] || strlen(it->valuestring) >= GLOB_MAX)
        return fail(err, errlen, source, rule, name, "must be a non-empty glob string");
    memcpy(dst, it->valuestring, strlen(it->valuestring) + 1);
    return true;
}

static bool get_count(const cJSON *o, const char *name, uint64_t *dst, const char *source,
                      long rule, char *err, size_t errlen)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    *dst = 0;
    if (!it)
        return true;
    if (!cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > 1e12 ||
        it->valuedouble != (double)(uint64_t)it->valuedouble)
        return fail(err, errlen, source, rule, name, "must be a whole number from 1");
    *dst = (uint64_t)it->valuedouble;
    return true;
}

/* A number that converts to int64_t exactly: casting a larger double is
 * undefined behaviour (found by tests/fuzz, scenario target). */
static bool whole_amount(const cJSON *it)
{
    double d = it->valuedouble;
    return d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(int64_t)d;
}

static bool parse_when(const cJSON *w, struct rule *r, const char *source, long i, char *err,
                       size_t errlen)
{
    if (!cJSON_IsObject(w))
        return fail(err, errlen, source, i, "when", "must be an object");
    static const char *const known[] = {"op",     "route", "merchant_uid", "customer_uid", "pg",
                                        "amount", "nth",   "first",        "after",        "per"};
    for (const cJSON *c = w->child; c; c = c->next) {
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok = ok || strcmp(c->string, known[k]) == 0;
        if (!ok)
            return fail(err, errlen, source, i, c->string, "unknown field in when");
    }
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(w, "op");
    r->op = SCN_OP_ANY;
    if (op) {
        bool found = false;
        for (int k = 0; cJSON_IsString(op) && k < SCN_OP__COUNT; k++) {
            if (strcmp(op->valuestring, op_names[k]) == 0) {
                r->op = (enum scn_op)k;
                found = true;
            }
        }
        if (!found)
            return fail(err, errlen, source, i, "op",
                        "must be one of any, token, charge, issue_key, cancel, prepare, "
                        "lookup, schedule, checkout, webhook");
    }
    if (!get_glob(w, "route", r->route, source, i, err, errlen) ||
        !get_glob(w, "merchant_uid", r->merchant_uid, source, i, err, errlen) ||
        !get_glob(w, "customer_uid", r->customer_uid, source, i, err, errlen) ||
        !get_glob(w, "pg", r->pg, source, i, err, errlen) ||
        !get_count(w, "nth", &r->nth, source, i, err, errlen) ||
        !get_count(w, "first", &r->first, source, i, err, errlen) ||
        !get_count(w, "after", &r->after, source, i, err, errlen))
        return false;
    if ((r->nth != 0) + (r->first != 0) + (r->after != 0) > 1)
        return fail(err, errlen, source, i, "nth/first/after", "give at most one of them");
    const cJSON *per = cJSON_GetObjectItemCaseSensitive(w, "per");
    r->per = PER_RULE;
    if (per) {
        const char *v = cJSON_IsString(per) ? per->valuestring : "";
        if (!strcmp(v, "tenant"))
            r->per = PER_TENANT;
        else if (!strcmp(v, "merchant_uid"))
            r->per = PER_MERCHANT_UID;
        else if (!strcmp(v, "customer_uid"))
            r->per = PER_CUSTOMER_UID;
        else
            return fail(err, errlen, source, i, "per",
                        "must be \"tenant\", \"merchant_uid\" or \"customer_uid\"");
    }
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(w, "amount");
    if (cJSON_IsNumber(amount)) {
        if (!whole_amount(amount))
            return fail(err, errlen, source, i, "amount", "must be a whole number below 2^53");
        r->has_min = r->has_max = true;
        r->amount_min = r->amount_max = (int64_t)amount->valuedouble;
    } else if (cJSON_IsObject(amount)) {
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(amount, "min");
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(amount, "max");
        if ((mn && !cJSON_IsNumber(mn)) || (mx && !cJSON_IsNumber(mx)) || (!mn && !mx))
            return fail(err, errlen, source, i, "amount", "must be a number or {\"min\", \"max\"}");
        if ((mn && !whole_amount(mn)) || (mx && !whole_amount(mx)))
            return fail(err, errlen, source, i, "amount",
                        "min and max must be whole numbers below 2^53");
        r->has_min = mn != NULL;
        r->has_max = mx != NULL;
        r->amount_min = mn ? (int64_t)mn->valuedouble : 0;
        r->amount_max = mx ? (int64_t)mx->valuedouble : 0;
    } else if (amount) {
        return fail(err, errlen, source, i, "amount", "must be a number or {\"min\", \"max\"}");
    }
    return true;
}

static bool get_text(const cJSON *it, char *dst, size_t cap)
{
    if (!cJSON_IsString(it) || !it->valuestring[0] || strlen(it->valuestring) >= cap)
        return false;
    memcpy(dst, it->valuestring, strlen(it->valuestring) + 1);
    return true;
}

static bool parse_then(const cJSON *t, struct rule *r, const char *source, long i, char *err,
                       size_t errlen)
{
    struct scn_effect *e = &r->effect;
    if (!cJSON_IsObject(t))
        return fail(err, errlen, source, i, "then", "must be an object");
    const cJSON *delay = cJSON_GetObjectItemCaseSensitive(t, "delay_ms");
    if (delay) {
        if (!cJSON_IsNumber(delay) || delay->valuedouble < 0 || delay->valuedouble > 600000)
            return fail(err, errlen, source, i, "delay_ms", "must be 0 to 600000");
        e->delay_ms = delay->valueint;
    }
    size_t effects = 0;
    for (const cJSON *c = t->child; c; c = c->next) {
        const char *k = c->string;
        if (!strcmp(k, "delay_ms") || !strcmp(k, "body")) {
            continue;
        } else if (!strcmp(k, "status")) {
            if (!cJSON_IsNumber(c) || c->valueint < 100 || c->valueint > 599)
                return fail(err, errlen, source, i, "status", "must be an HTTP status 100..599");
            e->kind = SCN_HTTP;
            e->http_status = c->valueint;
        } else if (!strcmp(k, "close") || !strcmp(k, "truncate") || !strcmp(k, "expire_token") ||
                   !strcmp(k, "drop_answer")) {
            if (!cJSON_IsTrue(c))
                return fail(err, errlen, source, i, k, "must be true");
            e->kind = !strcmp(k, "close")          ? SCN_CLOSE
                      : !strcmp(k, "truncate")     ? SCN_TRUNCATE
                      : !strcmp(k, "expire_token") ? SCN_EXPIRE_TOKEN
                                                   : SCN_DROP_ANSWER;
        } else if (!strcmp(k, "webhook")) {
            /* delivery effects: "drop", "reorder", "before_redirect", "after_redirect" */
            static const struct {
                const char *name;
                enum scn_effect_kind kind;
            } hooks[] = {{"drop", SCN_HOOK_DROP},
                         {"reorder", SCN_HOOK_REORDER},
                         {"before_redirect", SCN_HOOK_BEFORE_REDIRECT},
                         {"after_redirect", SCN_HOOK_AFTER_REDIRECT}};
            bool known = false;
            for (size_t h = 0; cJSON_IsString(c) && h < sizeof hooks / sizeof hooks[0]; h++) {
                if (!strcmp(c->valuestring, hooks[h].name)) {
                    e->kind = hooks[h].kind;
                    known = true;
                }
            }
            if (!known)
                return fail(err, errlen, source, i, k,
                            "must be \"drop\", \"reorder\", \"before_redirect\" or "
                            "\"after_redirect\"");
        } else if (!strcmp(k, "webhook_duplicate")) {
            if (!cJSON_IsNumber(c) || c->valuedouble < 1 || c->valuedouble > 10)
                return fail(err, errlen, source, i, k, "must be 1 to 10 extra copies");
            e->kind = SCN_HOOK_DUPLICATE;
            e->copies = c->valueint;
        } else if (!strcmp(k, "webhook_delay_ms")) {
            if (!cJSON_IsNumber(c) || c->valuedouble < 1 || c->valuedouble > 600000)
                return fail(err, errlen, source, i, k, "must be 1 to 600000");
            e->kind = SCN_HOOK_DELAY;
            e->hook_delay_ms = c->valueint;
        } else if (!strcmp(k, "window")) {
            static const struct {
                const char *name;
                enum scn_effect_kind kind;
            } wins[] = {{"approve_card", SCN_WINDOW_APPROVE_CARD},
                        {"approve_money", SCN_WINDOW_APPROVE_MONEY},
                        {"cancel", SCN_WINDOW_CANCEL},
                        {"hang", SCN_WINDOW_HANG}};
            bool known = false;
            for (size_t h = 0; cJSON_IsString(c) && h < sizeof wins / sizeof wins[0]; h++) {
                if (!strcmp(c->valuestring, wins[h].name)) {
                    e->kind = wins[h].kind;
                    known = true;
                }
            }
            if (!known)
                return fail(err, errlen, source, i, k,
                            "must be \"approve_card\", \"approve_money\", \"cancel\" or "
                            "\"hang\"");
        } else if (!strcmp(k, "window_fail")) {
            if (!get_text(c, e->message, sizeof e->message))
                return fail(err, errlen, source, i, k, "must be a non-empty message");
            e->kind = SCN_WINDOW_FAIL;
        } else if (!strcmp(k, "pg_delay_ms")) {
            if (!cJSON_IsNumber(c) || c->valuedouble < 1 || c->valuedouble > 600000)
                return fail(err, errlen, source, i, k, "must be 1 to 600000");
            e->kind = SCN_PG_DELAY;
            e->delay_ms = c->valueint;
        } else if (!strcmp(k, "drip_ms")) {
            if (!cJSON_IsNumber(c) || c->valuedouble < 1 || c->valuedouble > 10000)
                return fail(err, errlen, source, i, k, "must be 1 to 10000");
            e->kind = SCN_DRIP;
            e->drip_ms = c->valueint;
        } else if (!strcmp(k, "decline") || !strcmp(k, "pg_error") ||
                   !strcmp(k, "card_auth_fail")) {
            if (!get_text(c, e->message, sizeof e->message))
                return fail(err, errlen, source, i, k, "must be a non-empty message");
            e->kind = !strcmp(k, "decline")    ? SCN_DECLINE
                      : !strcmp(k, "pg_error") ? SCN_PG_ERROR
                                               : SCN_CARD_AUTH_FAIL;
        } else {
            return fail(err, errlen, source, i, k, "unknown effect");
        }
        effects++;
    }
    if (effects > 1)
        return fail(err, errlen, source, i, "then", "give exactly one effect (plus delay_ms)");
    if (effects == 0) {
        if (!delay)
            return fail(err, errlen, source, i, "then", "needs an effect or delay_ms");
        e->kind = SCN_DELAY;
    }
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(t, "body");
    if (body && e->kind != SCN_HTTP)
        return fail(err, errlen, source, i, "body", "goes only with status");
    if (body) {
        char *text = cJSON_IsString(body) ? NULL : cJSON_PrintUnformatted(body);
        const char *src = cJSON_IsString(body) ? body->valuestring : text;
        bool fits = src && strlen(src) < sizeof e->body;
        if (fits)
            memcpy(e->body, src, strlen(src) + 1);
        cJSON_free(text);
        if (!fits)
            return fail(err, errlen, source, i, "body", "must be under 4096 bytes");
    }
    if (e->kind == SCN_PG_DELAY && delay)
        return fail(err, errlen, source, i, "delay_ms", "does not go with pg_delay_ms");
    r->layer = e->kind >= SCN_WINDOW_APPROVE_CARD ? SCN_WINDOW
               : e->kind >= SCN_HOOK_DROP         ? SCN_DELIVERY
               : e->kind >= SCN_PG_DELAY          ? SCN_BUSINESS
                                                  : SCN_TRANSPORT;
    /* each layer's effects need an op that reaches that layer */
    if (r->layer == SCN_BUSINESS && r->op != SCN_OP_CHARGE && r->op != SCN_OP_ISSUE_KEY &&
        r->op != SCN_OP_ANY)
        return fail(err, errlen, source, i, "op",
                    "decline, pg_error, card_auth_fail and pg_delay_ms apply to op charge or "
                    "issue_key");
    if (r->layer == SCN_DELIVERY && r->op != SCN_OP_WEBHOOK)
        return fail(err, errlen, source, i, "op", "webhook effects need op \"webhook\"");
    if (r->layer == SCN_WINDOW && r->op != SCN_OP_CHECKOUT)
        return fail(err, errlen, source, i, "op", "window effects need op \"checkout\"");
    if (r->layer != SCN_TRANSPORT && (r->op == SCN_OP_WEBHOOK || r->op == SCN_OP_CHECKOUT) &&
        r->layer != (r->op == SCN_OP_WEBHOOK ? SCN_DELIVERY : SCN_WINDOW))
        return fail(err, errlen, source, i, "op", "this effect does not apply to that op");
    return true;
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > NAME_MAX_LEN)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

static struct scenario *parse(const cJSON *root, const char *source, char *err, size_t errlen)
{
    if (!cJSON_IsObject(root)) {
        fail(err, errlen, source, -1, "(top level)", "must be an object");
        return NULL;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
    const cJSON *tenant = cJSON_GetObjectItemCaseSensitive(root, "tenant");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
    if (!cJSON_IsString(name) || !valid_name(name->valuestring)) {
        fail(err, errlen, source, -1, "name", "must be 1-63 characters of A-Z a-z 0-9 - _ .");
        return NULL;
    }
    if (!cJSON_IsString(desc) || !desc->valuestring[0]) {
        fail(err, errlen, source, -1, "description", "must say what real failure this reproduces");
        return NULL;
    }
    if (tenant && (!cJSON_IsString(tenant) || strlen(tenant->valuestring) > 128)) {
        fail(err, errlen, source, -1, "tenant", "must be an imp_key string");
        return NULL;
    }
    if (!cJSON_IsArray(rules) || cJSON_GetArraySize(rules) == 0 ||
        cJSON_GetArraySize(rules) > 1000) {
        fail(err, errlen, source, -1, "rules", "must be an array of 1 to 1000 rules");
        return NULL;
    }
    struct scenario *sc = calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    snprintf(sc->name, sizeof sc->name, "%s", name->valuestring);
    snprintf(sc->tenant, sizeof sc->tenant, "%s", tenant ? tenant->valuestring : "");
    sc->description = strdup(desc->valuestring);
    sc->source = strdup(source);
    sc->rules = calloc((size_t)cJSON_GetArraySize(rules), sizeof *sc->rules);
    if (!sc->description || !sc->source || !sc->rules) {
        scenario_free(sc);
        return NULL;
    }
    const cJSON *ro;
    long i = 0;
    cJSON_ArrayForEach(ro, rules)
    {
        struct rule *r = &sc->rules[i];
        sc->n_rules = (size_t)i + 1;
        if (!cJSON_IsObject(ro)) {
            fail(err, errlen, source, i, "(rule)", "must be an object with when and then");
            goto bad;
        }
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(ro, "when");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(ro, "then");
        if (!w) {
            fail(err, errlen, source, i, "when", "is required");
            goto bad;
        }
        if (!t) {
            fail(err, errlen, source, i, "then", "is required");
            goto bad;
        }
        if (!parse_when(w, r, source, i, err, errlen) || !parse_then(t, r, source, i, err, errlen))
            goto bad;
        snprintf(r->effect.scenario, sizeof r->effect.scenario, "%s", sc->name);
        r->effect.rule = (size_t)i;
        r->when_text = cJSON_PrintUnformatted(w);
        r->then_text = cJSON_PrintUnformatted(t);
        if (!r->when_text || !r->then_text)
            goto bad;
        i++;
    }
    return sc;
bad:
    scenario_free(sc);
    return NULL;
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
    struct scenario *sc = parse(root, source, err, errlen);
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

void scenario_reset_counts(void)
{
    pthread_mutex_lock(&lock);
    for (size_t k = 0; k < n_loaded; k++)
        for (size_t i = 0; i < loaded[k]->n_rules; i++) {
            loaded[k]->rules[i].hits = loaded[k]->rules[i].fired = 0;
            per_counts_clear(&loaded[k]->rules[i].per_counts);
        }
    pthread_mutex_unlock(&lock);
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
        for (size_t i = 0; i < sc->n_rules; i++) {
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
