/*
 * test_auth.c - mock/domain/auth.c on a frozen clock: a key pair gets a
 * 30-minute token, the same token while it is valid (extended by five
 * minutes when asked in its last minute), a new one once it expired;
 * tokens resolve to their own tenant only while current; an unknown key
 * or a wrong secret is refused, and with --open-tenants an unknown key
 * pair becomes a tenant shaped like the template.
 */
#include "domain/auth.h"
#include "infra/clock.h"
#include "state/ids.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#define T0 1750000000LL

static int setup(void **state)
{
    clock_freeze(true);
    clock_set(T0);
    return unit_world_setup(state);
}

static int teardown(void **state)
{
    clock_reset();
    return unit_world_teardown(state);
}

struct grant {
    enum mock_err err;
    char token[IDS_TOKEN_LEN + 1];
    int64_t now, expires_at;
    int tid;
};

static struct grant get_token(struct unit_world *w, const struct merchant *open_template,
                              const char *key, const char *secret)
{
    struct grant g;
    memset(&g, 0, sizeof g);
    struct auth_grant a;
    g.err = auth_get_token(w->s, open_template, 100, key, secret, &a);
    memcpy(g.token, a.token, sizeof g.token);
    g.now = a.now;
    g.expires_at = a.expires_at;
    g.tid = a.tid;
    return g;
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef", s[i]))
            return false;
    return s[n] == '\0';
}

static void test_issue_and_resolve(void **state)
{
    struct unit_world *w = *state;
    struct grant g = get_token(w, NULL, "key-a", "secret-key-a");
    assert_int_equal(g.err, MOCK_OK);
    assert_true(is_hex(g.token, IDS_TOKEN_LEN));
    assert_int_equal(g.now, T0);
    assert_int_equal(g.expires_at, T0 + 1800);
    int tid = -1;
    assert_int_equal(auth_resolve(w->s, g.token, &tid), MOCK_OK);
    assert_int_equal(tid, w->a);
    assert_int_equal(g.tid, w->a); /* the grant names the tenant it opens */

    struct grant gb = get_token(w, NULL, "key-b", "secret-key-b");
    assert_int_equal(gb.err, MOCK_OK);
    assert_string_not_equal(gb.token, g.token);
    assert_int_equal(auth_resolve(w->s, gb.token, &tid), MOCK_OK);
    assert_int_equal(tid, w->b);

    assert_int_equal(auth_resolve(w->s, NULL, &tid), MOCK_UNAUTHORIZED);
    assert_int_equal(auth_resolve(w->s, "", &tid), MOCK_UNAUTHORIZED);
    char forged[IDS_TOKEN_LEN + 1];
    memcpy(forged, g.token, sizeof forged);
    forged[0] = forged[0] == 'a' ? 'b' : 'a';
    assert_int_equal(auth_resolve(w->s, forged, &tid), MOCK_UNAUTHORIZED);
}

static void test_reuse_extension_and_expiry(void **state)
{
    struct unit_world *w = *state;
    struct grant first = get_token(w, NULL, "key-a", "secret-key-a");
    clock_advance(600);
    struct grant again = get_token(w, NULL, "key-a", "secret-key-a");
    assert_string_equal(again.token, first.token); /* reused, not extended */
    assert_int_equal(again.expires_at, T0 + 1800);
    assert_int_equal(again.now, T0 + 600);

    clock_set(T0 + 1739); /* 61 s left: still no extension */
    again = get_token(w, NULL, "key-a", "secret-key-a");
    assert_int_equal(again.expires_at, T0 + 1800);
    clock_set(T0 + 1740); /* the last minute: five more minutes */
    again = get_token(w, NULL, "key-a", "secret-key-a");
    assert_string_equal(again.token, first.token);
    assert_int_equal(again.expires_at, T0 + 2100);

    int tid;
    clock_set(T0 + 2099);
    assert_int_equal(auth_resolve(w->s, first.token, &tid), MOCK_OK);
    clock_set(T0 + 2100);
    assert_int_equal(auth_resolve(w->s, first.token, &tid), MOCK_UNAUTHORIZED);

    /* expired: a new token with a fresh 30 minutes; the old one stays dead */
    struct grant fresh = get_token(w, NULL, "key-a", "secret-key-a");
    assert_int_equal(fresh.err, MOCK_OK);
    assert_string_not_equal(fresh.token, first.token);
    assert_int_equal(fresh.expires_at, T0 + 2100 + 1800);
    assert_int_equal(auth_resolve(w->s, fresh.token, &tid), MOCK_OK);
    assert_int_equal(auth_resolve(w->s, first.token, &tid), MOCK_UNAUTHORIZED);
}

static void test_refusals(void **state)
{
    struct unit_world *w = *state;
    size_t tenants = store_tenant_count(w->s);
    static const char *const pairs[][2] = {
        {"key-nobody", "secret-key-nobody"}, /* unknown key */
        {"key-a", "secret-key-b"},           /* another tenant's secret */
        {"key-a", "secret-key-"},            /* a prefix of the secret */
        {"key-a", "secret-key-aa"},          /* the secret and more */
        {"key-a", ""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct grant g = get_token(w, NULL, pairs[i][0], pairs[i][1]);
        if (g.err != MOCK_BAD_CREDENTIALS)
            fail_msg("%s / %s: %s", pairs[i][0], pairs[i][1], mock_err_name(g.err));
    }
    assert_int_equal(store_tenant_count(w->s), tenants); /* nobody was created */
    /* a refusal issues nothing: the tenant's first token is still a new one */
    struct grant g = get_token(w, NULL, "key-a", "secret-key-a");
    assert_int_equal(g.expires_at, T0 + 1800);
}

static void test_open_tenants(void **state)
{
    struct unit_world *w = *state;
    struct merchant tmpl;
    fixtures_template_merchant(unit_fixtures(), "", "", &tmpl);
    size_t tenants = store_tenant_count(w->s);

    struct grant g = get_token(w, &tmpl, "job-17", "s3cret");
    assert_int_equal(g.err, MOCK_OK);
    assert_int_equal(store_tenant_count(w->s), tenants + 1);
    int tid = -1;
    struct merchant m;
    assert_true(store_tenant_by_key(w->s, "job-17", &tid, &m));
    assert_int_equal(auth_resolve(w->s, g.token, &tid), MOCK_OK);
    assert_string_equal(m.imp_key, "job-17");
    assert_string_equal(m.imp_secret, "s3cret");
    assert_string_equal(m.merchant_code, ""); /* no IMP.init code for a tenant made on the fly */
    assert_int_equal(m.n_channels, tmpl.n_channels);
    for (size_t i = 0; i < m.n_channels; i++) {
        assert_string_equal(m.channels[i].pg_provider, tmpl.channels[i].pg_provider);
        assert_string_equal(m.channels[i].pg_id, tmpl.channels[i].pg_id);
        assert_int_equal(m.channels[i].kind, tmpl.channels[i].kind);
    }

    /* from then on the pair is a tenant like any other: same token, secret checked */
    struct grant again = get_token(w, &tmpl, "job-17", "s3cret");
    assert_string_equal(again.token, g.token);
    assert_int_equal(get_token(w, &tmpl, "job-17", "guess").err, MOCK_BAD_CREDENTIALS);
    assert_int_equal(store_tenant_count(w->s), tenants + 1);
    /* known tenants keep their own secret even with the template */
    assert_int_equal(get_token(w, &tmpl, "key-a", "s3cret").err, MOCK_BAD_CREDENTIALS);
    /* tokens of different tenants never resolve to each other */
    struct grant ga = get_token(w, &tmpl, "key-a", "secret-key-a");
    assert_int_equal(auth_resolve(w->s, ga.token, &tid), MOCK_OK);
    assert_int_equal(tid, w->a);
}

/* At most max tenants made on the fly: past it a new pair is refused until
 * idle empty ones (no record, no current token) can make room. */
static void test_open_tenants_capped(void **state)
{
    struct unit_world *w = *state;
    struct merchant tmpl;
    fixtures_template_merchant(unit_fixtures(), "", "", &tmpl);
    size_t slots = store_tenant_count(w->s);
    char key[32];
    struct auth_grant ga;
    for (int i = 0; i < 3; i++) {
        snprintf(key, sizeof key, "job-%d", i);
        assert_int_equal(auth_get_token(w->s, &tmpl, 3, key, "s", &ga), MOCK_OK);
    }
    assert_int_equal(auth_get_token(w->s, &tmpl, 3, "job-3", "s", &ga), MOCK_TENANT_LIMIT);
    /* known pairs still get their token at the cap */
    assert_int_equal(auth_get_token(w->s, &tmpl, 3, "job-1", "s", &ga), MOCK_OK);
    /* the fixture tenants do not count, and are never dropped */
    assert_int_equal(get_token(w, &tmpl, "key-a", "secret-key-a").err, MOCK_OK);
    /* once the tokens expired, the idle empty tenants make room */
    clock_advance(STORE_TOKEN_TTL + 1);
    for (int i = 3; i < 6; i++) {
        snprintf(key, sizeof key, "job-%d", i);
        assert_int_equal(auth_get_token(w->s, &tmpl, 3, key, "s", &ga), MOCK_OK);
    }
    assert_false(store_tenant_by_key(w->s, "job-0", NULL, NULL));
    assert_true(store_tenant_by_key(w->s, "key-a", NULL, NULL));
    assert_int_equal(store_tenant_count(w->s), slots + 3); /* their slots were reused */
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_issue_and_resolve), T(test_reuse_extension_and_expiry), T(test_refusals),
        T(test_open_tenants),      T(test_open_tenants_capped),
    };
#undef T
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
