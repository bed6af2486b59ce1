/*
 * test_codes.c - the code tables and the account operations against the
 * real binary (reference §21, §23.1, §23.2): GET /cards, /cards/{code},
 * /banks, /banks/{code}, /users/pg, /tiers/{tier_code}; channels and tiers
 * declared in the fixtures, kept across a restart with --state-dir.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CARD_404 "코드에 해당되는 카드사정보를 찾을 수 없음"
#define BANK_404 "코드에 해당되는 은행정보를 찾을 수 없음"
#define TIER_404 "등록되지 않았거나 이미 삭제된 tier_code"

/* Merchant A declares keys, names, test mode and two tiers; merchant B
 * declares bare channels (keys derived) and no tier. */
static const char fixtures_json[] =
    "{\"merchants\":["
    "{\"merchant_code\":\"imp-a\",\"imp_key\":\"key-a\",\"imp_secret\":\"secret-a\","
    "\"channels\":["
    "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\","
    "\"channel_key\":\"channel-key-aaaa\",\"channel_name\":\"카카오페이 일반\","
    "\"sandbox\":true},"
    "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\",\"kind\":\"subscription\","
    "\"channel_key\":\"channel-key-bbbb\"},"
    "{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\","
    "\"channel_key\":\"channel-key-cccc\",\"channel_name\":\"나이스 키인\"}],"
    "\"tiers\":[{\"tier_code\":\"ABC\",\"tier_name\":\"강남점\"},"
    "{\"tier_code\":\"X9Z\",\"tier_name\":\"부산점\"}]},"
    "{\"merchant_code\":\"imp-b\",\"imp_key\":\"key-b\",\"imp_secret\":\"secret-b\","
    "\"channels\":[{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}]}"
    "]}";

struct ctx {
    struct mock m;
    char dir[64];
    char path[128];
    char state_dir[128];
    char token_b[64];
};

static void start(struct ctx *c)
{
    const char *args[] = {"--fixtures", c->path, "--state-dir", c->state_dir, NULL};
    mock_start(&c->m, args);
    mock_login_as(&c->m, "key-a", "secret-a", c->m.token);
    mock_login_as(&c->m, "key-b", "secret-b", c->token_b);
}

static int group_setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    scratch_dir_new(c->dir);
    snprintf(c->path, sizeof c->path, "%s/fixtures.json", c->dir);
    snprintf(c->state_dir, sizeof c->state_dir, "%s/state", c->dir);
    file_write(c->path, fixtures_json);
    start(c);
    *state = c;
    return 0;
}

static int group_teardown(void **state)
{
    struct ctx *c = *state;
    int rc = mock_stop(&c->m);
    if (!scratch_dir_remove(c->dir))
        fprintf(stderr, "could not remove %s\n", c->dir);
    free(c);
    return rc == 0 ? 0 : -1;
}

/* ---- checks ---- */

/* A StandardCode object: exactly {code, name}, both strings. */
static void code_is(const cJSON *o, const char *code, const char *name)
{
    assert_true(cJSON_IsObject(o));
    assert_int_equal(cJSON_GetArraySize(o), 2);
    assert_string_equal(json_str(o, "code"), code);
    if (name)
        assert_string_equal(json_str(o, "name"), name);
    else
        assert_true(json_str(o, "name") && json_str(o, "name")[0]);
}

static void get_as(const struct mock *m, const char *token, const char *path, struct http_res *r)
{
    http_do(m, "GET", path, NULL, NULL, token, r);
}

/* ---- /cards, /banks ---- */

static void test_cards(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    http_get(&c->m, "/cards", &r);
    env_is(&r, 200, 0, NULL);
    const cJSON *list = env_response(&r);
    assert_true(cJSON_IsArray(list));
    assert_int_equal(cJSON_GetArraySize(list), 27);
    const cJSON *it;
    bool bc = false, visa = false;
    cJSON_ArrayForEach(it, list)
    {
        code_is(it, json_str(it, "code"), NULL);
        bc = bc || !strcmp(json_str(it, "code"), "361");
        visa = visa || !strcmp(json_str(it, "code"), "VIS");
    }
    assert_true(bc && visa);
    http_res_free(&r);

    http_get(&c->m, "/cards/361", &r);
    env_is(&r, 200, 0, NULL);
    code_is(env_response(&r), "361", "BC카드");
    http_res_free(&r);
    http_get(&c->m, "/cards/MAS", &r);
    env_is(&r, 200, 0, NULL);
    code_is(env_response(&r), "MAS", "해외마스터카드");
    http_res_free(&r);
    http_get(&c->m, "/cards/999", &r);
    env_is(&r, 404, -1, CARD_404);
    http_res_free(&r);
    http_get(&c->m, "/cards/004", &r); /* a bank code is no card company */
    env_is(&r, 404, -1, CARD_404);
    http_res_free(&r);
}

static void test_banks(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    http_get(&c->m, "/banks", &r);
    env_is(&r, 200, 0, NULL);
    const cJSON *list = env_response(&r);
    assert_int_equal(cJSON_GetArraySize(list), 47);
    code_is(cJSON_GetArrayItem(list, 0), "002", "산업은행");
    http_res_free(&r);

    http_get(&c->m, "/banks/004", &r);
    env_is(&r, 200, 0, NULL);
    code_is(env_response(&r), "004", "KB국민은행");
    http_res_free(&r);
    http_get(&c->m, "/banks/090", &r);
    env_is(&r, 200, 0, NULL);
    code_is(env_response(&r), "090", "카카오뱅크");
    http_res_free(&r);
    http_get(&c->m, "/banks/999", &r);
    env_is(&r, 404, -1, BANK_404);
    http_res_free(&r);
    http_get(&c->m, "/banks/361", &r);
    env_is(&r, 404, -1, BANK_404);
    http_res_free(&r);
}

/* Every operation of this file wants a token: 401 without one or with a bad one. */
static void test_unauthorized(void **state)
{
    struct ctx *c = *state;
    static const char *const paths[] = {"/cards",     "/cards/361", "/banks",
                                        "/banks/004", "/users/pg",  "/tiers/ABC"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        struct http_res r;
        get_as(&c->m, NULL, paths[i], &r);
        env_is(&r, 401, -1, "Unauthorized");
        http_res_free(&r);
        get_as(&c->m, "0000000000000000000000000000000000000000", paths[i], &r);
        env_is(&r, 401, -1, "Unauthorized");
        http_res_free(&r);
    }
}

/* ---- /users/pg ---- */

/* A PgSetting: the six fields of reference §23.1 with their JSON types. */
static void pg_is(const cJSON *o, const char *provider, const char *pg_id, bool sandbox,
                  const char *type, const char *name, const char *key)
{
    assert_true(cJSON_IsObject(o));
    assert_int_equal(cJSON_GetArraySize(o), 6);
    assert_string_equal(json_str(o, "pg_provider"), provider);
    assert_string_equal(json_str(o, "pg_id"), pg_id);
    const cJSON *sb = cJSON_GetObjectItemCaseSensitive(o, "sandbox");
    assert_true(cJSON_IsBool(sb));
    assert_int_equal(cJSON_IsTrue(sb), sandbox);
    assert_string_equal(json_str(o, "type"), type);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "channel_name");
    if (name)
        assert_string_equal(json_str(o, "channel_name"), name);
    else
        assert_true(cJSON_IsNull(n));
    if (key)
        assert_string_equal(json_str(o, "channel_key"), key);
}

static void users_pg_of_a(const struct mock *m)
{
    struct http_res r;
    http_get(m, "/users/pg", &r);
    env_is(&r, 200, 0, NULL);
    const cJSON *list = env_response(&r);
    assert_int_equal(cJSON_GetArraySize(list), 3);
    pg_is(cJSON_GetArrayItem(list, 0), "kakaopay", "TC0ONETIME", true, "payment", "카카오페이 일반",
          "channel-key-aaaa");
    pg_is(cJSON_GetArrayItem(list, 1), "kakaopay", "TCSUBSCRIP", false, "payment", NULL,
          "channel-key-bbbb");
    pg_is(cJSON_GetArrayItem(list, 2), "nice", "nictest04m", false, "api_payment", "나이스 키인",
          "channel-key-cccc");
    http_res_free(&r);
}

static void test_users_pg(void **state)
{
    struct ctx *c = *state;
    users_pg_of_a(&c->m);
    /* B declared no key: one of the console's shape, the same at every call */
    struct http_res r, again;
    get_as(&c->m, c->token_b, "/users/pg", &r);
    env_is(&r, 200, 0, NULL);
    assert_int_equal(cJSON_GetArraySize(env_response(&r)), 1);
    const cJSON *o = cJSON_GetArrayItem(env_response(&r), 0);
    pg_is(o, "nice", "nictest04m", false, "api_payment", NULL, NULL);
    const char *key = json_str(o, "channel_key");
    assert_int_equal(strlen(key), 48);
    assert_int_equal(strncmp(key, "channel-key-", 12), 0);
    get_as(&c->m, c->token_b, "/users/pg", &again);
    assert_string_equal(json_str(cJSON_GetArrayItem(env_response(&again), 0), "channel_key"), key);
    http_res_free(&again);
    http_res_free(&r);
}

/* ---- /tiers/{tier_code} ---- */

static void tier_is(const struct mock *m, const char *token, const char *code, const char *name)
{
    char path[64];
    struct http_res r;
    snprintf(path, sizeof path, "/tiers/%s", code);
    get_as(m, token, path, &r);
    if (!name) {
        env_is(&r, 404, -1, TIER_404);
    } else {
        env_is(&r, 200, 0, NULL);
        const cJSON *o = env_response(&r);
        assert_int_equal(cJSON_GetArraySize(o), 2);
        assert_string_equal(json_str(o, "tier_code"), code);
        assert_string_equal(json_str(o, "tier_name"), name);
    }
    http_res_free(&r);
}

static void test_tiers(void **state)
{
    struct ctx *c = *state;
    tier_is(&c->m, c->m.token, "ABC", "강남점");
    tier_is(&c->m, c->m.token, "X9Z", "부산점");
    tier_is(&c->m, c->m.token, "XYZ", NULL); /* not registered */
    tier_is(&c->m, c->m.token, "abc", NULL); /* cannot be a tier code */
    tier_is(&c->m, c->m.token, "ABCD", NULL);
    tier_is(&c->m, c->token_b, "ABC", NULL); /* B has no sub-merchant: every code is unknown */
}

/* Channels and tiers come back after a restart from the state directory. */
static void test_restart(void **state)
{
    struct ctx *c = *state;
    assert_int_equal(mock_stop(&c->m), 0);
    const char *args[] = {"--state-dir", c->state_dir, NULL};
    mock_start(&c->m, args);
    mock_login_as(&c->m, "key-a", "secret-a", c->m.token);
    users_pg_of_a(&c->m);
    tier_is(&c->m, c->m.token, "X9Z", "부산점");
}

/* A fixture's channels and tiers are checked at start-up: impmock exits 1
 * naming the field (a file it accepted would be served until the timeout). */
static void test_bad_fixtures(void **state)
{
    struct ctx *c = *state;
    static const char *const channel =
        "{\"pg_provider\":\"nice\",\"pg_id\":\"m\",\"kind\":\"keyin\"";
    static const struct {
        const char *channels_rest; /* after the first channel's fields */
        const char *merchant_rest; /* after "channels" */
        const char *field;         /* named in the message */
    } cases[] = {
        {"}", ",\"tiers\":[{\"tier_code\":\"ab1\",\"tier_name\":\"x\"}]", "\"tier_code\""},
        {"}", ",\"tiers\":[{\"tier_code\":\"AB1\"}]", "\"tier_name\""},
        {"}",
         ",\"tiers\":[{\"tier_code\":\"AB1\",\"tier_name\":\"x\"},"
         "{\"tier_code\":\"AB1\",\"tier_name\":\"y\"}]",
         "\"tier_code\""},
        {"}", ",\"tiers\":{}", "\"tiers\""},
        {",\"sandbox\":\"yes\"}", "", "\"sandbox\""},
        {",\"channel_key\":\"k\"},{\"pg_provider\":\"nice\",\"pg_id\":\"n\",\"kind\":"
         "\"keyin\",\"channel_key\":\"k\"}",
         "", "\"channel_key\""},
    };
    char doc[1024], path[160], errpath[160], cmd[768], err[1024];
    snprintf(path, sizeof path, "%s/bad.json", c->dir);
    snprintf(errpath, sizeof errpath, "%s/bad.err", c->dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(doc, sizeof doc,
                 "{\"merchants\":[{\"merchant_code\":\"m\",\"imp_key\":\"k\","
                 "\"imp_secret\":\"s\",\"channels\":[%s%s]%s}]}",
                 channel, cases[i].channels_rest, cases[i].merchant_rest);
        file_write(path, doc);
        snprintf(cmd, sizeof cmd,
                 "timeout 10 '%s' --port 0 --quiet --fixtures '%s' >/dev/null 2>'%s'",
                 getenv("IMPMOCK_BIN"), path, errpath);
        int rc = system(cmd);
        char *text = file_read(errpath, NULL);
        snprintf(err, sizeof err, "%s", text ? text : "");
        free(text);
        if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 1 || !strstr(err, cases[i].field))
            fail_msg("fixture %zu: status %d, stderr '%s': %s", i, rc, err, doc);
    }
    unlink(path);
    unlink(errpath);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cards),        cmocka_unit_test(test_banks),
        cmocka_unit_test(test_unauthorized), cmocka_unit_test(test_users_pg),
        cmocka_unit_test(test_tiers),        cmocka_unit_test(test_bad_fixtures),
        cmocka_unit_test(test_restart),
    };
    int rc = cmocka_run_group_tests_name("codes", tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc;
}
