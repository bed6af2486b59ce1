/* scenario_parse.c - the scenario file format (scenarios/README.md) read into
 * struct scenario; see scenario_rules.h. */
#include "infra/scenario_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[SCN_OP__COUNT] = {
    "any",      "token",    "charge",  "issue_key", "cancel",  "prepare",       "lookup",
    "schedule", "checkout", "webhook", "vbank",     "receipt", "certification", "escrow"};

const char *scenario_op_name(enum scn_op op)
{
    return op >= 0 && op < SCN_OP__COUNT ? op_names[op] : NULL;
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
                        "lookup, schedule, checkout, webhook, vbank, receipt, certification, "
                        "escrow");
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

/* ---- the effects of "then": one row per verb ---- */

struct verb;
/* Reads a verb's value into the effect; false when the value is not what
 * the verb takes (the caller reports v->rule). */
typedef bool (*verb_parse)(const struct verb *v, const cJSON *value, struct scn_effect *e);

struct choice {
    const char *name;
    enum scn_effect_kind kind;
};

struct verb {
    const char *name; /* the key in "then" */
    enum scn_effect_kind kind;
    enum scn_layer layer;
    verb_parse parse;
    int min, max;                 /* take_number: the range */
    size_t field;                 /* take_number: offsetof the int it sets in scn_effect */
    const struct choice *choices; /* take_choice: the values, ending with a NULL name */
    const char *rule;             /* what the value must be, for the error */
};

static bool take_status(const struct verb *v, const cJSON *value, struct scn_effect *e)
{
    (void)v;
    if (!cJSON_IsNumber(value) || value->valueint < 100 || value->valueint > 599)
        return false;
    e->http_status = value->valueint;
    return true;
}

static bool take_true(const struct verb *v, const cJSON *value, struct scn_effect *e)
{
    (void)v;
    (void)e;
    return cJSON_IsTrue(value);
}

static bool take_number(const struct verb *v, const cJSON *value, struct scn_effect *e)
{
    if (!cJSON_IsNumber(value) || value->valuedouble < v->min || value->valuedouble > v->max)
        return false;
    *(int *)((char *)e + v->field) = value->valueint;
    return true;
}

static bool take_message(const struct verb *v, const cJSON *value, struct scn_effect *e)
{
    (void)v;
    return get_text(value, e->message, sizeof e->message);
}

/* The value names the effect: it picks the kind among the verb's choices. */
static bool take_choice(const struct verb *v, const cJSON *value, struct scn_effect *e)
{
    for (const struct choice *c = v->choices; cJSON_IsString(value) && c->name; c++) {
        if (!strcmp(value->valuestring, c->name)) {
            e->kind = c->kind;
            return true;
        }
    }
    return false;
}

static const struct choice hook_choices[] = {{"drop", SCN_HOOK_DROP},
                                             {"reorder", SCN_HOOK_REORDER},
                                             {"before_redirect", SCN_HOOK_BEFORE_REDIRECT},
                                             {"after_redirect", SCN_HOOK_AFTER_REDIRECT},
                                             {NULL, SCN_NONE}};

static const struct choice window_choices[] = {{"approve_card", SCN_WINDOW_APPROVE_CARD},
                                               {"approve_money", SCN_WINDOW_APPROVE_MONEY},
                                               {"cancel", SCN_WINDOW_CANCEL},
                                               {"hang", SCN_WINDOW_HANG},
                                               {NULL, SCN_NONE}};

#define MUST_BE_MESSAGE "must be a non-empty message"

/* clang-format off */
static const struct verb verbs[] = {
    /* transport: applied by the server around the handler */
    {"status",       SCN_HTTP,         SCN_TRANSPORT, take_status, 0, 0, 0, NULL,
     "must be an HTTP status 100..599"},
    {"close",        SCN_CLOSE,        SCN_TRANSPORT, take_true, 0, 0, 0, NULL, "must be true"},
    {"truncate",     SCN_TRUNCATE,     SCN_TRANSPORT, take_true, 0, 0, 0, NULL, "must be true"},
    {"expire_token", SCN_EXPIRE_TOKEN, SCN_TRANSPORT, take_true, 0, 0, 0, NULL, "must be true"},
    {"drop_answer",  SCN_DROP_ANSWER,  SCN_TRANSPORT, take_true, 0, 0, 0, NULL, "must be true"},
    {"drip_ms",      SCN_DRIP,         SCN_TRANSPORT, take_number,
     1, 10000, offsetof(struct scn_effect, drip_ms), NULL, "must be 1 to 10000"},
    /* business: asked for by the domain where a charge or key issuance happens */
    {"pg_delay_ms",    SCN_PG_DELAY,       SCN_BUSINESS, take_number,
     1, 600000, offsetof(struct scn_effect, delay_ms), NULL, "must be 1 to 600000"},
    {"decline",        SCN_DECLINE,        SCN_BUSINESS, take_message, 0, 0, 0, NULL,
     MUST_BE_MESSAGE},
    {"pg_error",       SCN_PG_ERROR,       SCN_BUSINESS, take_message, 0, 0, 0, NULL,
     MUST_BE_MESSAGE},
    {"card_auth_fail", SCN_CARD_AUTH_FAIL, SCN_BUSINESS, take_message, 0, 0, 0, NULL,
     MUST_BE_MESSAGE},
    {"deposit_after_s", SCN_VBANK_DEPOSIT, SCN_BUSINESS, take_number,
     0, 31536000, offsetof(struct scn_effect, deposit_after_s), NULL,
     "must be 0 to 31536000 seconds"},
    /* delivery: webhooks */
    {"webhook",           SCN_NONE,           SCN_DELIVERY, take_choice, 0, 0, 0, hook_choices,
     "must be \"drop\", \"reorder\", \"before_redirect\" or \"after_redirect\""},
    {"webhook_duplicate", SCN_HOOK_DUPLICATE, SCN_DELIVERY, take_number,
     1, 10, offsetof(struct scn_effect, copies), NULL, "must be 1 to 10 extra copies"},
    {"webhook_delay_ms",  SCN_HOOK_DELAY,     SCN_DELIVERY, take_number,
     1, 600000, offsetof(struct scn_effect, hook_delay_ms), NULL, "must be 1 to 600000"},
    /* window: the emulated payment window */
    {"window",      SCN_NONE,        SCN_WINDOW, take_choice, 0, 0, 0, window_choices,
     "must be \"approve_card\", \"approve_money\", \"cancel\" or \"hang\""},
    {"window_fail", SCN_WINDOW_FAIL, SCN_WINDOW, take_message, 0, 0, 0, NULL, MUST_BE_MESSAGE},
};
/* clang-format on */

static const struct verb *verb_named(const char *name)
{
    for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
        if (!strcmp(name, verbs[v].name))
            return &verbs[v];
    return NULL;
}

/* "body" of a status effect: a string as is, anything else as compact JSON. */
static bool parse_body(const cJSON *t, struct scn_effect *e, const char *source, long i, char *err,
                       size_t errlen)
{
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(t, "body");
    if (!body)
        return true;
    if (e->kind != SCN_HTTP)
        return fail(err, errlen, source, i, "body", "goes only with status");
    char *text = cJSON_IsString(body) ? NULL : cJSON_PrintUnformatted(body);
    const char *src = cJSON_IsString(body) ? body->valuestring : text;
    bool fits = src && strlen(src) < sizeof e->body;
    if (fits)
        memcpy(e->body, src, strlen(src) + 1);
    cJSON_free(text);
    if (!fits)
        return fail(err, errlen, source, i, "body", "must be under 4096 bytes");
    return true;
}

/* Each layer's effects need an op that reaches that layer. */
static bool layer_fits_op(const struct rule *r, const char *source, long i, char *err,
                          size_t errlen)
{
    bool paperwork =
        r->op == SCN_OP_RECEIPT || r->op == SCN_OP_CERTIFICATION || r->op == SCN_OP_ESCROW;
    if (r->layer == SCN_BUSINESS && r->op != SCN_OP_CHARGE && r->op != SCN_OP_ISSUE_KEY &&
        r->op != SCN_OP_VBANK && r->op != SCN_OP_ANY && !paperwork)
        return fail(err, errlen, source, i, "op",
                    "decline, pg_error, card_auth_fail and pg_delay_ms apply to op charge, "
                    "issue_key, vbank, receipt, certification or escrow");
    if (r->effect.kind == SCN_VBANK_DEPOSIT && r->op != SCN_OP_VBANK)
        return fail(err, errlen, source, i, "op", "deposit_after_s needs op \"vbank\"");
    if (paperwork && (r->effect.kind == SCN_DECLINE || r->effect.kind == SCN_CARD_AUTH_FAIL))
        return fail(err, errlen, source, i, "op",
                    "receipt, certification and escrow take pg_error or pg_delay_ms");
    if (r->layer == SCN_DELIVERY && r->op != SCN_OP_WEBHOOK)
        return fail(err, errlen, source, i, "op", "webhook effects need op \"webhook\"");
    if (r->layer == SCN_WINDOW && r->op != SCN_OP_CHECKOUT)
        return fail(err, errlen, source, i, "op", "window effects need op \"checkout\"");
    if (r->layer != SCN_TRANSPORT && (r->op == SCN_OP_WEBHOOK || r->op == SCN_OP_CHECKOUT) &&
        r->layer != (r->op == SCN_OP_WEBHOOK ? SCN_DELIVERY : SCN_WINDOW))
        return fail(err, errlen, source, i, "op", "this effect does not apply to that op");
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
    r->layer = SCN_TRANSPORT;
    for (const cJSON *c = t->child; c; c = c->next) {
        if (!strcmp(c->string, "delay_ms") || !strcmp(c->string, "body"))
            continue; /* they go with an effect: read around the loop */
        const struct verb *v = verb_named(c->string);
        if (!v)
            return fail(err, errlen, source, i, c->string, "unknown effect");
        e->kind = v->kind;
        if (!v->parse(v, c, e))
            return fail(err, errlen, source, i, c->string, v->rule);
        r->layer = v->layer;
        effects++;
    }
    if (effects > 1)
        return fail(err, errlen, source, i, "then", "give exactly one effect (plus delay_ms)");
    if (effects == 0) {
        if (!delay)
            return fail(err, errlen, source, i, "then", "needs an effect or delay_ms");
        e->kind = SCN_DELAY;
    }
    if (!parse_body(t, e, source, i, err, errlen))
        return false;
    if (e->kind == SCN_PG_DELAY && delay)
        return fail(err, errlen, source, i, "delay_ms", "does not go with pg_delay_ms");
    return layer_fits_op(r, source, i, err, errlen);
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

struct scenario *scenario_parse(const cJSON *root, const char *source, char *err, size_t errlen)
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
