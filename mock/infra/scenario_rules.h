/*
 * scenario_rules.h - a loaded scenario as both halves of the scenario module
 * see it: scenario_parse.c reads the file format (scenarios/README.md) into
 * it, scenario.c (the engine) keeps, matches and counts it. Private to the
 * two; everyone else uses scenario.h.
 */
#ifndef IMPMOCK_SCENARIO_RULES_H
#define IMPMOCK_SCENARIO_RULES_H

#include "infra/hmap.h"
#include "infra/scenario.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAME_MAX_LEN 63
#define GLOB_MAX     256

enum count_per { PER_RULE, PER_TENANT, PER_MERCHANT_UID, PER_CUSTOMER_UID };

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
    /* counters, guarded by the engine's lock */
    uint64_t hits, fired;
    struct per_counts per_counts;
};

struct scenario {
    char name[NAME_MAX_LEN + 1];
    char *description;
    char *source;
    char tenant[129]; /* imp_key, "" = every tenant */
    bool disabled;    /* switched off: matches nothing, counts nothing, stays listed */
    struct rule *rules;
    size_t n_rules;
};

/* A scenario from its parsed JSON; NULL with a message naming source, rule
 * and field (or out of memory). Counters start at zero. */
struct scenario *scenario_parse(const cJSON *root, const char *source, char *err, size_t errlen);
/* Frees a scenario and its rules (NULL allowed). */
void scenario_free(struct scenario *sc);

#endif
