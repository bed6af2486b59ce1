/*
 * test_scenario.c - mock/infra/scenario.c: what a scenario file may say and
 * the refusals (each naming the source, the rule and the field, and leaving
 * the loaded set as it was), switching a scenario off and on, then
 * matching: operation, route and field globs, the PG with or without its
 * MID, amounts, tenant scoping, which matching calls fire (nth, first,
 * after), counting per tenant, merchant_uid or customer_uid, one effect per
 * layer, and the hit and fired counts.
 */
#include "infra/scenario.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int forget_all(void **state)
{
    (void)state;
    scenario_fini();
    return 0;
}

/* Loads a scenario that must be accepted. */
static void load(const char *json)
{
    char err[512] = "";
    if (!scenario_load_text(json, strlen(json), "test.json", err, sizeof err))
        fail_msg("refused: %s", err);
}

/* A scenario named "s" with the given rules (the JSON array's contents). */
static void load_rules(const char *rules)
{
    char json[4096];
    snprintf(json, sizeof json, "{\"name\":\"s\",\"description\":\"d\",\"rules\":[%s]}", rules);
    load(json);
}

/* ---- loading ---- */

static void test_a_valid_file_loads(void **state)
{
    (void)state;
    assert_false(scenario_any());
    load("{\"name\":\"pg-timeout.v2_x\",\"description\":\"the PG times out\","
         "\"tenant\":\"imp_apikey\",\"rules\":["
         "{\"when\":{\"op\":\"charge\",\"route\":\"POST /subscribe/*\",\"merchant_uid\":\"o-*\","
         "\"customer_uid\":\"c?\",\"pg\":\"nice.*\",\"amount\":{\"min\":1,\"max\":9},\"nth\":2,"
         "\"per\":\"customer_uid\"},\"then\":{\"delay_ms\":5,\"pg_error\":\"[F999]timeout\"}},"
         "{\"when\":{},\"then\":{\"status\":503,\"body\":{\"code\":-1}}},"
         "{\"when\":{\"op\":\"lookup\",\"amount\":3},\"then\":{\"delay_ms\":0}},"
         "{\"when\":{\"op\":\"webhook\",\"after\":1},\"then\":{\"webhook_duplicate\":10}},"
         "{\"when\":{\"op\":\"checkout\",\"first\":3},\"then\":{\"window\":\"hang\"}}]}");
    assert_true(scenario_any());
    char *list = scenario_list_json();
    cJSON *o = unit_parse_json(list, strlen(list));
    free(list);
    assert_int_equal(cJSON_GetArraySize(o), 1);
    const cJSON *sc = cJSON_GetArrayItem(o, 0);
    assert_string_equal(json_str(sc, "name"), "pg-timeout.v2_x");
    assert_string_equal(json_str(sc, "source"), "test.json");
    assert_string_equal(json_str(sc, "tenant"), "imp_apikey");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(sc, "rules");
    assert_int_equal(cJSON_GetArraySize(rules), 5);
    const cJSON *r0 = cJSON_GetArrayItem(rules, 0);
    /* the rule as written, with its counters */
    assert_string_equal(json_str(cJSON_GetObjectItemCaseSensitive(r0, "then"), "pg_error"),
                        "[F999]timeout");
    assert_int_equal((int)json_num(r0, "hits"), 0);
    assert_int_equal((int)json_num(r0, "fired"), 0);
    cJSON_Delete(o);
}

/* Every file of the scenario library (scenarios/) loads. */
static void test_the_library_loads(void **state)
{
    (void)state;
    const char *dir = getenv("TEST_SCENARIO_DIR");
    assert_non_null(dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char path[1024], err[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!scenario_load_file(path, err, sizeof err))
            fail_msg("%s", err);
        n++;
    }
    closedir(d);
    assert_true(n >= 10);
}

static void test_refusals_name_source_rule_and_field(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *where; /* "rules[N]" or NULL for the top level */
        const char *field;
    } bad[] = {
        {"{\"name\":", NULL, "not valid JSON"},
        {"[]", NULL, "(top level)"},
        {"{\"name\":\"\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{\"close\":true}}]"
         "}",
         NULL, "name"},
        {"{\"name\":\"a "
         "b\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{\"close\":true}}]"
         "}",
         NULL, "name"},
        {"{\"name\":\"x\",\"rules\":[{\"when\":{},\"then\":{\"close\":true}}]}", NULL,
         "description"},
        {"{\"name\":\"x\",\"description\":\"d\",\"tenant\":7,\"rules\":[{\"when\":{},\"then\":{"
         "\"close\":true}}]}",
         NULL, "tenant"},
        {"{\"name\":\"x\",\"description\":\"d\",\"rules\":[]}", NULL, "rules"},
        {"{\"name\":\"x\",\"description\":\"d\",\"rules\":{}}", NULL, "rules"},
        {"{\"name\":\"x\",\"description\":\"d\",\"rules\":[7]}", "rules[0]", "(rule)"},
        {"{\"name\":\"x\",\"description\":\"d\",\"rules\":[{\"then\":{\"close\":true}}]}",
         "rules[0]", "when"},
        {"{\"name\":\"x\",\"description\":\"d\",\"rules\":[{\"when\":{}}]}", "rules[0]", "then"},
    };
    static const struct {
        const char *rule;
        const char *field;
    } bad_rules[] = {
        {"{\"when\":{\"opp\":\"charge\"},\"then\":{\"close\":true}}", "opp"},
        {"{\"when\":{\"op\":\"refund\"},\"then\":{\"close\":true}}", "op"},
        {"{\"when\":{\"merchant_uid\":\"\"},\"then\":{\"close\":true}}", "merchant_uid"},
        {"{\"when\":{\"route\":7},\"then\":{\"close\":true}}", "route"},
        {"{\"when\":{\"nth\":0},\"then\":{\"close\":true}}", "nth"},
        {"{\"when\":{\"first\":1.5},\"then\":{\"close\":true}}", "first"},
        {"{\"when\":{\"nth\":1,\"after\":2},\"then\":{\"close\":true}}", "nth/first/after"},
        {"{\"when\":{\"per\":\"imp_uid\"},\"then\":{\"close\":true}}", "per"},
        {"{\"when\":{\"amount\":\"1000\"},\"then\":{\"close\":true}}", "amount"},
        {"{\"when\":{\"amount\":{}},\"then\":{\"close\":true}}", "amount"},
        {"{\"when\":{\"amount\":{\"min\":1e300}},\"then\":{\"close\":true}}", "amount"},
        {"{\"when\":{},\"then\":{\"explode\":true}}", "explode"},
        {"{\"when\":{},\"then\":{}}", "then"},
        {"{\"when\":{},\"then\":{\"close\":true,\"truncate\":true}}", "then"},
        {"{\"when\":{},\"then\":{\"close\":false}}", "close"},
        {"{\"when\":{},\"then\":{\"status\":99}}", "status"},
        {"{\"when\":{},\"then\":{\"close\":true,\"body\":{}}}", "body"},
        {"{\"when\":{},\"then\":{\"delay_ms\":-1}}", "delay_ms"},
        {"{\"when\":{},\"then\":{\"delay_ms\":600001}}", "delay_ms"},
        {"{\"when\":{\"op\":\"charge\"},\"then\":{\"decline\":\"\"}}", "decline"},
        {"{\"when\":{\"op\":\"token\"},\"then\":{\"decline\":\"[F1]\"}}", "op"},
        {"{\"when\":{\"op\":\"cancel\"},\"then\":{\"pg_error\":\"[F1]\"}}", "op"},
        {"{\"when\":{\"op\":\"charge\"},\"then\":{\"delay_ms\":5,\"pg_delay_ms\":5}}", "delay_ms"},
        {"{\"when\":{\"op\":\"charge\"},\"then\":{\"webhook\":\"drop\"}}", "op"},
        {"{\"when\":{\"op\":\"webhook\"},\"then\":{\"webhook\":\"lose\"}}", "webhook"},
        {"{\"when\":{\"op\":\"webhook\"},\"then\":{\"webhook_duplicate\":11}}",
         "webhook_duplicate"},
        {"{\"when\":{\"op\":\"webhook\"},\"then\":{\"window\":\"cancel\"}}", "op"},
        {"{\"when\":{\"op\":\"checkout\"},\"then\":{\"window\":\"close\"}}", "window"},
        {"{\"when\":{\"op\":\"checkout\"},\"then\":{\"decline\":\"[F1]\"}}", "op"},
    };
    load_rules("{\"when\":{\"op\":\"cancel\"},\"then\":{\"status\":500}}");
    char *before = scenario_list_json();
    char err[512], json[2048], want[64];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_false(
            scenario_load_text(bad[i].json, strlen(bad[i].json), "bad.json", err, sizeof err));
        if (strncmp(err, "bad.json: ", 10) != 0 || !strstr(err, bad[i].field) ||
            (bad[i].where && !strstr(err, bad[i].where)))
            fail_msg("%s: the message \"%s\" does not name %s %s", bad[i].json, err,
                     bad[i].where ? bad[i].where : "", bad[i].field);
    }
    for (size_t i = 0; i < sizeof bad_rules / sizeof bad_rules[0]; i++) {
        /* the bad rule second, so its position is named */
        snprintf(json, sizeof json,
                 "{\"name\":\"x\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{"
                 "\"close\":true}},%s]}",
                 bad_rules[i].rule);
        err[0] = '\0';
        assert_false(scenario_load_text(json, strlen(json), "bad.json", err, sizeof err));
        snprintf(want, sizeof want, "bad.json: rules[1]: %s", bad_rules[i].field);
        if (strncmp(err, want, strlen(want)) != 0)
            fail_msg("%s: the message \"%s\" does not start with \"%s\"", bad_rules[i].rule, err,
                     want);
    }
    assert_false(scenario_load_file("/nonexistent/impmock.json", err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/impmock.json"));
    /* what was loaded before is still there, as it was */
    char *after = scenario_list_json();
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_same_name_replaces_remove_and_clear(void **state)
{
    (void)state;
    load("{\"name\":\"a\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{\"status\":500}"
         "}]}");
    load("{\"name\":\"b\",\"description\":\"d\",\"tenant\":\"key-b\",\"rules\":[{\"when\":{},"
         "\"then\":{\"status\":501}}]}");
    load("{\"name\":\"a\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{\"status\":502}"
         "}]}");
    struct scn_call c = {.op = SCN_OP_LOOKUP, .imp_key = "key-b"};
    struct scn_effect e;
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.http_status, 502); /* "a" replaced in place, still first */
    assert_string_equal(e.scenario, "a");
    assert_true(scenario_remove("a"));
    assert_false(scenario_remove("a"));
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.http_status, 501);
    scenario_clear_tenant("key-a"); /* another tenant's: "b" stays */
    assert_true(scenario_any());
    scenario_clear_tenant("key-b");
    assert_false(scenario_any());
    assert_false(scenario_match(&c, SCN_TRANSPORT, &e));
    load("{\"name\":\"c\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{\"close\":true}"
         "}]}");
    scenario_clear();
    assert_false(scenario_any());
}

/* A switched-off scenario neither fires nor counts, and says so in the
 * listing; switched on again it counts from where it was; loading it again
 * gives it switched on. */
static void test_switched_off_and_on(void **state)
{
    (void)state;
    load("{\"name\":\"a\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{\"status\":500}"
         "}]}");
    load("{\"name\":\"b\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{\"status\":501}"
         "}]}");
    struct scn_call c = {.op = SCN_OP_LOOKUP, .imp_key = "key-a"};
    struct scn_effect e;
    assert_false(scenario_set_enabled("nobody", false));
    assert_true(scenario_set_enabled("a", false));
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.http_status, 501); /* "a" is skipped, "b" fires */
    assert_true(scenario_set_enabled("b", false));
    assert_false(scenario_match(&c, SCN_TRANSPORT, &e));

    char *list = scenario_list_json();
    cJSON *o = unit_parse_json(list, strlen(list));
    free(list);
    const cJSON *a = cJSON_GetArrayItem(o, 0);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(a, "enabled")));
    const cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "rules"), 0);
    assert_int_equal((int)json_num(rule, "hits"), 0); /* a switched-off rule sees nothing */
    cJSON_Delete(o);

    assert_true(scenario_set_enabled("a", true));
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.http_status, 500);
    load("{\"name\":\"b\",\"description\":\"d\",\"rules\":[{\"when\":{},\"then\":{\"status\":502"
         "}}]}");
    assert_true(scenario_set_enabled("a", false));
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.http_status, 502); /* the reloaded "b" is on */
}

/* ---- matching ---- */

static bool match(enum scn_op op, const char *route, const char *muid, const char *cuid,
                  const char *pg, const char *pg_id, const int64_t *amount, struct scn_effect *ret)
{
    struct scn_call c = {.op = op,
                         .route = route,
                         .imp_key = "key-a",
                         .merchant_uid = muid,
                         .customer_uid = cuid,
                         .pg = pg,
                         .pg_id = pg_id,
                         .amount = amount ? *amount : 0,
                         .has_amount = amount != NULL};
    struct scn_effect ignored;
    return scenario_match(&c, op == SCN_OP_CHARGE ? SCN_BUSINESS : SCN_TRANSPORT,
                          ret ? ret : &ignored);
}

static void test_what_a_rule_matches(void **state)
{
    (void)state;
    const int64_t small = 999, exact = 1000, big = 5001;
    load_rules("{\"when\":{\"op\":\"lookup\",\"route\":\"GET /payments/*\"},\"then\":{\"status\":"
               "503}}");
    assert_true(match(SCN_OP_LOOKUP, "GET /payments/imp_1", NULL, NULL, NULL, NULL, NULL, NULL));
    assert_false(match(SCN_OP_LOOKUP, "GET /subscribe/x", NULL, NULL, NULL, NULL, NULL, NULL));
    assert_false(match(SCN_OP_CANCEL, "GET /payments/imp_1", NULL, NULL, NULL, NULL, NULL, NULL));
    assert_false(match(SCN_OP_LOOKUP, NULL, NULL, NULL, NULL, NULL, NULL, NULL)); /* no route */
    scenario_clear();

    load_rules("{\"when\":{\"op\":\"charge\",\"merchant_uid\":\"ord-[0-9]*\",\"customer_uid\":"
               "\"vip-?\"},\"then\":{\"decline\":\"[F104]\"}}");
    assert_true(match(SCN_OP_CHARGE, NULL, "ord-7x", "vip-1", NULL, NULL, NULL, NULL));
    assert_false(match(SCN_OP_CHARGE, NULL, "ord-x", "vip-1", NULL, NULL, NULL, NULL));
    assert_false(match(SCN_OP_CHARGE, NULL, "ord-7", "vip-12", NULL, NULL, NULL, NULL));
    assert_false(match(SCN_OP_CHARGE, NULL, "ord-7", NULL, NULL, NULL, NULL, NULL));
    scenario_clear();

    /* the provider alone, or provider and MID */
    load_rules("{\"when\":{\"op\":\"charge\",\"pg\":\"nice\"},\"then\":{\"decline\":\"n\"}},"
               "{\"when\":{\"op\":\"charge\",\"pg\":\"kakaopay.TCSUB*\"},\"then\":{\"decline\":"
               "\"k\"}}");
    struct scn_effect e;
    assert_true(match(SCN_OP_CHARGE, NULL, "o", NULL, "nice", "nictest04m", NULL, &e));
    assert_string_equal(e.message, "n");
    assert_true(match(SCN_OP_CHARGE, NULL, "o", NULL, "kakaopay", "TCSUBSCRIP", NULL, &e));
    assert_string_equal(e.message, "k");
    assert_true(match(SCN_OP_CHARGE, NULL, "o", NULL, "kakaopay.TCSUBSCRIP", NULL, NULL, &e));
    assert_false(match(SCN_OP_CHARGE, NULL, "o", NULL, "kakaopay", "TC0ONETIME", NULL, NULL));
    assert_false(match(SCN_OP_CHARGE, NULL, "o", NULL, "kakaopay", NULL, NULL, NULL));
    scenario_clear();

    /* amounts: exact, and either bound alone; a call without an amount never matches */
    load_rules("{\"when\":{\"op\":\"charge\",\"amount\":1000},\"then\":{\"decline\":\"exact\"}},"
               "{\"when\":{\"op\":\"charge\",\"amount\":{\"min\":5000}},\"then\":{\"decline\":"
               "\"big\"}},"
               "{\"when\":{\"op\":\"charge\",\"amount\":{\"max\":999}},\"then\":{\"decline\":"
               "\"small\"}}");
    assert_true(match(SCN_OP_CHARGE, NULL, "o", NULL, NULL, NULL, &exact, &e));
    assert_string_equal(e.message, "exact");
    assert_true(match(SCN_OP_CHARGE, NULL, "o", NULL, NULL, NULL, &big, &e));
    assert_string_equal(e.message, "big");
    assert_true(match(SCN_OP_CHARGE, NULL, "o", NULL, NULL, NULL, &small, &e));
    assert_string_equal(e.message, "small");
    const int64_t between = 1001;
    assert_false(match(SCN_OP_CHARGE, NULL, "o", NULL, NULL, NULL, &between, NULL));
    assert_false(match(SCN_OP_CHARGE, NULL, "o", NULL, NULL, NULL, NULL, NULL));
}

static void test_tenant_scope_and_layers(void **state)
{
    (void)state;
    load("{\"name\":\"only-b\",\"description\":\"d\",\"tenant\":\"key-b\",\"rules\":["
         "{\"when\":{\"op\":\"any\"},\"then\":{\"status\":503}},"
         "{\"when\":{\"op\":\"any\"},\"then\":{\"decline\":\"[F302]\"}}]}");
    struct scn_call c = {.op = SCN_OP_CHARGE, .imp_key = "key-a"};
    struct scn_effect e;
    assert_false(scenario_match(&c, SCN_TRANSPORT, &e));
    c.imp_key = NULL;
    assert_false(scenario_match(&c, SCN_TRANSPORT, &e));
    c.imp_key = "key-b";
    /* one call gets at most one effect per layer, each from its own rule */
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.kind, SCN_HTTP);
    assert_int_equal(e.rule, 0);
    assert_true(scenario_match(&c, SCN_BUSINESS, &e));
    assert_int_equal(e.kind, SCN_DECLINE);
    assert_int_equal(e.rule, 1);
    assert_false(scenario_match(&c, SCN_DELIVERY, &e));
    assert_false(scenario_match(&c, SCN_WINDOW, &e));
}

/* Which of six matching calls fire. */
static void fires(const char *when, const char *want)
{
    char rule[512];
    snprintf(rule, sizeof rule, "{\"when\":%s,\"then\":{\"close\":true}}", when);
    load_rules(rule);
    char got[8] = "";
    for (int i = 0; i < 6; i++) {
        struct scn_call c = {.op = SCN_OP_PREPARE, .imp_key = "key-a"};
        struct scn_effect e;
        got[i] = scenario_match(&c, SCN_TRANSPORT, &e) ? 'x' : '.';
    }
    if (strcmp(got, want) != 0)
        fail_msg("%s: fired %s, expected %s", when, got, want);
    scenario_clear();
}

static void test_nth_first_after(void **state)
{
    (void)state;
    fires("{}", "xxxxxx");
    fires("{\"nth\":3}", "..x...");
    fires("{\"first\":2}", "xx....");
    fires("{\"after\":4}", "....xx");
    fires("{\"op\":\"prepare\",\"nth\":1}", "x.....");
    fires("{\"op\":\"cancel\",\"first\":6}", "......"); /* other calls are not counted */
}

/* A later rule counts every call its when matches, even those an earlier
 * rule fired for; the first rule whose count allows it fires. */
static void test_counts_and_the_first_firing_rule(void **state)
{
    (void)state;
    load_rules("{\"when\":{\"op\":\"cancel\",\"first\":1},\"then\":{\"status\":500}},"
               "{\"when\":{\"op\":\"cancel\",\"nth\":2},\"then\":{\"status\":501}},"
               "{\"when\":{\"op\":\"cancel\",\"nth\":1},\"then\":{\"status\":502}}");
    struct scn_call c = {.op = SCN_OP_CANCEL};
    struct scn_effect e;
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.http_status, 500); /* rule 2's 1st call too, but rule 0 comes first */
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.http_status, 501);
    assert_false(scenario_match(&c, SCN_TRANSPORT, &e));

    char *list = scenario_list_json();
    cJSON *o = unit_parse_json(list, strlen(list));
    free(list);
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(o, 0), "rules");
    static const int hits[] = {3, 3, 3}, fired[] = {1, 1, 0};
    for (int i = 0; i < 3; i++) {
        const cJSON *r = cJSON_GetArrayItem(rules, i);
        assert_int_equal((int)json_num(r, "hits"), hits[i]);
        assert_int_equal((int)json_num(r, "fired"), fired[i]);
    }
    cJSON_Delete(o);
}

static void test_counted_per_value(void **state)
{
    (void)state;
    load_rules("{\"when\":{\"op\":\"charge\",\"per\":\"customer_uid\",\"nth\":2},\"then\":{"
               "\"decline\":\"cust\"}},"
               "{\"when\":{\"op\":\"charge\",\"per\":\"merchant_uid\",\"after\":1},\"then\":{"
               "\"decline\":\"order\"}},"
               "{\"when\":{\"op\":\"charge\",\"per\":\"tenant\",\"nth\":5},\"then\":{\"decline\":"
               "\"tenant\"}}");
    static const struct {
        const char *key, *cuid, *muid, *want; /* want: the message fired, "" none */
    } calls[] = {
        {"key-a", "c1", "o1", ""},       {"key-a", "c2", "o2", ""},
        {"key-a", "c1", "o3", "cust"},   /* c1's 2nd */
        {"key-b", "c2", "o4", "cust"},   /* c2's 2nd, whatever the tenant */
        {"key-a", "c3", "o1", "order"},  /* o1's 2nd (and key-a's 4th) */
        {"key-a", NULL, "o5", "tenant"}, /* key-a's 5th; no customer_uid for rule 0 to count */
        {"key-a", "c4", "o6", ""},       {"key-b", "c5", "o7", ""}, /* key-b's 2nd */
        {"key-a", "c3", "o8", "cust"},                              /* c3's 2nd */
        {"key-b", NULL, "o9", ""}, /* calls without a customer_uid share no count */
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        struct scn_call c = {.op = SCN_OP_CHARGE,
                             .imp_key = calls[i].key,
                             .customer_uid = calls[i].cuid,
                             .merchant_uid = calls[i].muid,
                             .amount = 100,
                             .has_amount = true};
        struct scn_effect e;
        memset(&e, 0, sizeof e);
        bool hit = scenario_match(&c, SCN_BUSINESS, &e);
        if (hit != (calls[i].want[0] != '\0') || (hit && strcmp(e.message, calls[i].want) != 0))
            fail_msg("call %zu: fired \"%s\", expected \"%s\"", i, hit ? e.message : "",
                     calls[i].want);
    }
}

static void test_effect_details(void **state)
{
    (void)state;
    load_rules(
        "{\"when\":{\"op\":\"token\"},\"then\":{\"status\":429,\"body\":{\"code\":-1,"
        "\"message\":\"slow down\"}}},"
        "{\"when\":{\"op\":\"lookup\"},\"then\":{\"status\":502,\"body\":\"<html>\"}},"
        "{\"when\":{\"op\":\"schedule\"},\"then\":{\"delay_ms\":250}},"
        "{\"when\":{\"op\":\"prepare\"},\"then\":{\"drip_ms\":20}},"
        "{\"when\":{\"op\":\"charge\"},\"then\":{\"delay_ms\":10,\"decline\":\"[F302]잔액부족"
        "\"}},"
        "{\"when\":{\"op\":\"issue_key\"},\"then\":{\"pg_delay_ms\":30}},"
        "{\"when\":{\"op\":\"webhook\"},\"then\":{\"webhook_delay_ms\":40}},"
        "{\"when\":{\"op\":\"checkout\"},\"then\":{\"window_fail\":\"한도 초과\"}}");
    struct scn_effect e;
    struct scn_call c = {.op = SCN_OP_TOKEN};
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.kind, SCN_HTTP);
    assert_int_equal(e.http_status, 429);
    assert_string_equal(e.body, "{\"code\":-1,\"message\":\"slow down\"}");
    assert_string_equal(e.scenario, "s");
    assert_int_equal(e.rule, 0);
    c.op = SCN_OP_LOOKUP;
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_string_equal(e.body, "<html>"); /* a string body is sent as it is */
    c.op = SCN_OP_SCHEDULE;
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.kind, SCN_DELAY);
    assert_int_equal(e.delay_ms, 250);
    c.op = SCN_OP_PREPARE;
    assert_true(scenario_match(&c, SCN_TRANSPORT, &e));
    assert_int_equal(e.kind, SCN_DRIP);
    assert_int_equal(e.drip_ms, 20);
    c.op = SCN_OP_CHARGE;
    assert_true(scenario_match(&c, SCN_BUSINESS, &e));
    assert_int_equal(e.kind, SCN_DECLINE);
    assert_int_equal(e.delay_ms, 10);
    assert_string_equal(e.message, "[F302]잔액부족");
    assert_int_equal(e.rule, 4);
    c.op = SCN_OP_ISSUE_KEY;
    assert_true(scenario_match(&c, SCN_BUSINESS, &e));
    assert_int_equal(e.kind, SCN_PG_DELAY);
    assert_int_equal(e.delay_ms, 30);
    c.op = SCN_OP_WEBHOOK;
    assert_true(scenario_match(&c, SCN_DELIVERY, &e));
    assert_int_equal(e.kind, SCN_HOOK_DELAY);
    assert_int_equal(e.hook_delay_ms, 40);
    c.op = SCN_OP_CHECKOUT;
    assert_true(scenario_match(&c, SCN_WINDOW, &e));
    assert_int_equal(e.kind, SCN_WINDOW_FAIL);
    assert_string_equal(e.message, "한도 초과");
}

int main(void)
{
#define T(name) cmocka_unit_test_teardown(name, forget_all)
    const struct CMUnitTest tests[] = {
        T(test_a_valid_file_loads),
        T(test_the_library_loads),
        T(test_refusals_name_source_rule_and_field),
        T(test_same_name_replaces_remove_and_clear),
        T(test_switched_off_and_on),
        T(test_what_a_rule_matches),
        T(test_tenant_scope_and_layers),
        T(test_nth_first_after),
        T(test_counts_and_the_first_firing_rule),
        T(test_counted_per_value),
        T(test_effect_details),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
