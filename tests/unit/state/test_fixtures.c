/*
 * test_fixtures.c - mock/state/fixtures.c: the embedded defaults, a file or
 * a directory of *.json merged in name order (cards default when none are
 * given), every load or seed error naming the file and the field, seeding a
 * store (defaults filled in, card numbers masked), the --open-tenants
 * template, and seeding a tenant again after a reset, also when its seeds
 * were released from memory and must be read from the file again.
 */
#include "infra/clock.h"
#include "state/fixtures.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define T0 1750000000LL

#define CHANNELS                                                                                   \
    "\"channels\":[{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"},"        \
    "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\",\"kind\":\"subscription\"}]"
#define MERCHANT(code, key)                                                                        \
    "\"merchant_code\":\"" code "\",\"imp_key\":\"" key "\",\"imp_secret\":\"s-" key "\""          \
    "," CHANNELS

struct ctx {
    char dir[SCRATCH_DIR_MAX];
    struct store *s;
};

static int setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    scratch_dir_new(c->dir);
    c->s = store_new();
    clock_freeze(true);
    clock_set(T0);
    *state = c;
    return c->s ? 0 : -1;
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    clock_reset();
    store_free(c->s);
    bool gone = scratch_dir_remove(c->dir);
    free(c);
    return gone ? 0 : -1;
}

/* Writes dir/name; the path in ret_path. */
static void put(const struct ctx *c, const char *name, const char *text, char *ret_path, size_t cap)
{
    snprintf(ret_path, cap, "%s/%s", c->dir, name);
    file_write(ret_path, text);
}

static void test_embedded_defaults(void **state)
{
    (void)state;
    const struct fixtures *fx = unit_fixtures();
    assert_int_equal(cJSON_GetArraySize(fx->merchants), 1);
    assert_true(fx->cards.n >= 8);
    assert_true(fixtures_has_key(fx, "imp_apikey"));
    assert_false(fixtures_has_key(fx, "imp_other"));
    struct merchant m;
    fixtures_template_merchant(fx, "job-1", "s3cret", &m);
    assert_string_equal(m.imp_key, "job-1");
    assert_string_equal(m.imp_secret, "s3cret");
    assert_string_equal(m.merchant_code, "");
    assert_string_equal(m.default_pg, "kakaopay");
    assert_int_equal(m.n_channels, 4);
    assert_string_equal(m.channels[2].pg_id, "nictest04m");
    assert_int_equal(m.channels[2].kind, CHANNEL_KEYIN);
    assert_string_equal(m.channels[3].pg_provider, "settle");
    assert_int_equal(m.channels[3].kind, CHANNEL_VBANK);
}

static void test_load_errors_name_file_and_field(void **state)
{
    struct ctx *c = *state;
    static const struct {
        const char *text;
        const char *field; /* what the message must name besides the file */
    } bad[] = {
        {"{\"merchants\": [", "not valid JSON"},
        {"[]", "not valid JSON"},
        {"{\"merchants\":{}}", "\"merchants\""},
        {"{\"merchants\":[]}", "no merchants"},
        {"{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\"," CHANNELS "}]}",
         "merchant imp-x: field \"imp_secret\""},
        {"{\"merchants\":[{\"imp_key\":\"k\",\"imp_secret\":\"s\"," CHANNELS "}]}",
         "merchants[0]: field \"merchant_code\""},
        {"{\"merchants\":[{" MERCHANT("imp-x", "k") ",\"webhook_format\":\"xml\"}]}",
         "\"webhook_format\""},
        {"{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\",\"imp_secret\":\"s\","
         "\"channels\":[]}]}",
         "\"channels\""},
        {"{\"merchants\":[{\"merchant_code\":\"imp-x\",\"imp_key\":\"k\",\"imp_secret\":\"s\","
         "\"channels\":[{\"pg_provider\":\"nice\",\"pg_id\":\"m\",\"kind\":\"magic\"}]}]}",
         "channels[0]: field \"kind\""},
        {"{\"merchants\":[{" MERCHANT("imp-x",
                                      "k") "}],\"test_cards\":[{\"number\":\"4242\","
                                           "\"outcome\":\"approve\",\"card_name\":\"x\"}]}",
         "test_cards[0]: field \"number\""},
        {"{\"merchants\":[{" MERCHANT("imp-x", "k") "}],\"test_cards\":[{\"number\":"
                                                    "\"4242424242424242\",\"outcome\":\"approve\","
                                                    "\"card_name\":\"x\"},{\"number\":"
                                                    "\"4000000000000002\",\"outcome\":\"decline\","
                                                    "\"card_name\":\"y\"}]}",
         "test_cards[1]: field \"fail_reason\""},
        {"{\"merchants\":[{" MERCHANT("imp-x", "k") "}],\"test_cards\":[{\"number\":"
                                                    "\"4242424242424242\",\"outcome\":\"maybe\","
                                                    "\"card_name\":\"x\"}]}",
         "test_cards[0]: field \"outcome\""},
        {"{\"merchants\":[{" MERCHANT("imp-x", "k") "}],\"test_cards\":[{\"number\":"
                                                    "\"4242424242424242\",\"outcome\":"
                                                    "\"approve_then_decline\",\"fail_reason\":"
                                                    "\"r\",\"card_name\":\"x\"}]}",
         "test_cards[0]: field \"approve_count\""},
    };
    char path[256], err[512];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "bad-%zu.json", i);
        put(c, name, bad[i].text, path, sizeof path);
        struct fixtures fx;
        err[0] = '\0';
        if (fixtures_load(&fx, path, err, sizeof err))
            fail_msg("%s was accepted", bad[i].text);
        if (!strstr(err, path) || !strstr(err, bad[i].field))
            fail_msg("%s: \"%s\" does not name %s and %s", name, err, path, bad[i].field);
    }
    struct fixtures fx;
    snprintf(path, sizeof path, "%s/missing.json", c->dir);
    assert_false(fixtures_load(&fx, path, err, sizeof err));
    assert_non_null(strstr(err, path));
    /* a directory with no *.json in it */
    char sub[256];
    snprintf(sub, sizeof sub, "%s/empty", c->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_false(fixtures_load(&fx, sub, err, sizeof err));
    assert_non_null(strstr(err, sub));
    assert_non_null(strstr(err, "no *.json"));
}

/* Files of one directory are merged in name order; only *.json count. */
static void test_directory_in_name_order(void **state)
{
    struct ctx *c = *state;
    char path[256], err[512];
    put(c, "20-second.json", "{\"merchants\":[{" MERCHANT("imp-b", "key-b") "}]}", path,
        sizeof path);
    put(c, "10-first.json",
        "{\"merchants\":[{" MERCHANT(
            "imp-a",
            "key-a") "}],"
                     "\"test_cards\":[{\"number\":\"4111 1111 1111 1111\",\"outcome\":\"decline\","
                     "\"fail_reason\":\"[F1]\",\"card_name\":\"첫 카드\"}]}",
        path, sizeof path);
    put(c, "30-notes.txt", "not json at all", path, sizeof path);
    put(c, ".hidden.json", "not json either", path, sizeof path);
    struct fixtures fx;
    if (!fixtures_load(&fx, c->dir, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(cJSON_GetArraySize(fx.merchants), 2);
    /* a card table given replaces the default one */
    assert_int_equal(fx.cards.n, 1);
    assert_string_equal(fx.cards.cards[0].digits, "4111111111111111");
    assert_true(fixtures_apply(&fx, c->s, err, sizeof err));
    struct merchant m;
    assert_true(store_tenant_merchant(c->s, 0, &m));
    assert_string_equal(m.merchant_code, "imp-a");
    assert_string_equal(m.default_pg, "nice"); /* the first channel's provider */
    assert_true(store_tenant_merchant(c->s, 1, &m));
    assert_string_equal(m.merchant_code, "imp-b");
    assert_string_equal(m.imp_secret, "s-key-b");
    fixtures_fini(&fx);

    /* an error in one file of the directory names that file */
    put(c, "15-broken.json", "{\"merchants\":[{\"merchant_code\":\"imp-c\"}]}", path, sizeof path);
    assert_false(fixtures_load(&fx, c->dir, err, sizeof err));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "\"imp_key\""));
    assert_int_equal(remove(path), 0);

    /* without test_cards anywhere, the documented default cards stay */
    put(c, "10-first.json", "{\"merchants\":[{" MERCHANT("imp-a", "key-a") "}]}", path,
        sizeof path);
    assert_true(fixtures_load(&fx, c->dir, err, sizeof err));
    assert_int_equal(fx.cards.n, unit_fixtures()->cards.n);
    /* the same key in two files: refused when applied, naming the file */
    put(c, "25-again.json", "{\"merchants\":[{" MERCHANT("imp-z", "key-a") "}]}", path,
        sizeof path);
    fixtures_fini(&fx);
    assert_true(fixtures_load(&fx, c->dir, err, sizeof err));
    struct store *s = store_new();
    assert_false(fixtures_apply(&fx, s, err, sizeof err));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "imp-z"));
    store_free(s);
    fixtures_fini(&fx);
}

static const char seeded[] = "{\"merchants\":[{" MERCHANT(
    "imp-s",
    "key-s") ",\"customers\":["
             "{\"customer_uid\":\"cust-1\",\"card_number\":\"4000-0000-0000-0002\","
             "\"customer_name\":\"김철수\",\"inserted\":1700000000},"
             "{\"customer_uid\":\"cust-2\",\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\"}],"
             "\"payments\":["
             "{\"imp_uid\":\"imp_100000000001\",\"merchant_uid\":\"o-1\",\"status\":\"paid\","
             "\"amount\":1000,\"paid_at\":1700000100,\"name\":\"첫 주문\"},"
             "{\"merchant_uid\":\"o-2\",\"status\":\"cancelled\",\"amount\":500,\"tax_free\":100},"
             "{\"merchant_uid\":\"o-3\",\"status\":\"ready\",\"amount\":0,\"pay_method\":\"point\","
             "\"channel\":\"mobile\",\"currency\":\"USD\"}]}]}";

static void test_seeding(void **state)
{
    struct ctx *c = *state;
    char path[256], err[512];
    put(c, "seed.json", seeded, path, sizeof path);
    struct fixtures fx;
    assert_true(fixtures_load(&fx, path, err, sizeof err));
    if (!fixtures_apply(&fx, c->s, err, sizeof err))
        fail_msg("%s", err);
    int tid;
    assert_true(store_tenant_by_key(c->s, "key-s", &tid, NULL));

    struct customer cu;
    assert_int_equal(store_customer_get(c->s, tid, "cust-1", &cu), MOCK_OK);
    assert_string_equal(cu.card_number, "400000******0002"); /* never the full number */
    assert_int_equal(cu.card_profile, cards_find(&fx.cards, "4000000000000002"));
    assert_string_equal(cu.card_name, "KB국민카드");
    assert_string_equal(cu.customer_name, "김철수");
    assert_string_equal(cu.pg_provider, "nice"); /* the key-in channel */
    assert_int_equal(cu.inserted, 1700000000);
    customer_fini(&cu);
    assert_int_equal(store_customer_get(c->s, tid, "cust-2", &cu), MOCK_OK);
    assert_string_equal(cu.pg_id, "TCSUBSCRIP");
    assert_int_equal(cu.card_profile, -1);
    assert_int_equal(cu.inserted, T0); /* the clock's time when not given */
    customer_fini(&cu);

    struct payment p;
    assert_int_equal(store_payment_get(c->s, tid, "imp_100000000001", &p), MOCK_OK);
    assert_int_equal(p.status, PAY_PAID);
    assert_int_equal(p.paid_at, 1700000100);
    assert_string_equal(p.name, "첫 주문");
    assert_string_equal(p.pay_method, "card");
    assert_string_equal(p.channel, "pc");
    assert_string_equal(p.currency, "KRW");
    assert_string_equal(p.pg_provider, "nice");
    payment_fini(&p);
    struct pay_query q = {.merchant_uid = "o-2", .status = -1, .page = 1, .limit = 5};
    struct pay_page pg;
    assert_int_equal(store_payment_query(c->s, tid, &q, &pg), MOCK_OK);
    assert_int_equal(pg.total, 1);
    /* a cancelled seed is cancelled in full, tax-free part included */
    assert_int_equal(pg.items[0].cancel_amount, 500);
    assert_int_equal(pg.items[0].cancel_tax_free, 100);
    assert_int_equal(pg.items[0].cancelled_at, T0);
    store_page_free(&pg);
    q.merchant_uid = "o-3";
    assert_int_equal(store_payment_query(c->s, tid, &q, &pg), MOCK_OK);
    assert_string_equal(pg.items[0].pay_method, "point");
    assert_string_equal(pg.items[0].channel, "mobile");
    assert_string_equal(pg.items[0].currency, "USD");
    assert_int_equal(pg.items[0].paid_at, 0);
    store_page_free(&pg);
    fixtures_fini(&fx);
}

static void test_seed_errors_name_file_and_record(void **state)
{
    struct ctx *c = *state;
    static const struct {
        const char *seeds;
        const char *want;
    } bad[] = {
        {"\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"paid\",\"amount\":1},"
         "{\"merchant_uid\":\"o\",\"status\":\"done\",\"amount\":1}]",
         "merchant imp-s payments[1]: field \"status\""},
        {"\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"paid\",\"amount\":\"1000\"}]",
         "payments[0]: field \"amount\""},
        {"\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"paid\",\"amount\":1,"
         "\"cancel_amount\":2}]",
         "payments[0]: field \"cancel_amount\""},
        {"\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"paid\",\"amount\":1,"
         "\"paid_at\":1e300}]",
         "payments[0]: field \"paid_at\""},
        {"\"payments\":[{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"o\",\"status\":\"paid\","
         "\"amount\":1},{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"p\",\"status\":\"paid\","
         "\"amount\":1}]",
         "payments[1]: could not be stored"},
        {"\"payments\":[{\"status\":\"paid\",\"amount\":1}]",
         "payments[0]: field \"merchant_uid\" is required"},
        {"\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"paid\",\"amount\":1,\"pg_tid\":5}]",
         "payments[0]: field \"pg_tid\" must be a string"},
        {"\"payments\":[{\"merchant_uid\":\"o\",\"status\":\"paid\",\"amount\":1,"
         "\"vbank_date\":-1}]",
         "payments[0]: field \"vbank_date\" must be a whole number"},
        {"\"customers\":[{\"customer_uid\":\"c\",\"card_number\":\"4242\"}]",
         "customers[0]: field \"card_number\""},
        {"\"customers\":[{\"card_number\":\"4242424242424242\"}]",
         "customers[0]: field \"customer_uid\""},
    };
    char path[256], err[512], text[2048];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "{\"merchants\":[{" MERCHANT("imp-s", "key-s") ",%s}]}",
                 bad[i].seeds);
        put(c, "seed.json", text, path, sizeof path);
        struct fixtures fx;
        assert_true(fixtures_load(&fx, path, err, sizeof err)); /* seeds are read when applied */
        struct store *s = store_new();
        err[0] = '\0';
        assert_false(fixtures_apply(&fx, s, err, sizeof err));
        if (strncmp(err, path, strlen(path)) != 0 || !strstr(err, bad[i].want))
            fail_msg("\"%s\" does not name %s and %s", err, path, bad[i].want);
        store_free(s);
        fixtures_fini(&fx);
    }
}

/* What tenant tid holds, as text, to compare before and after (not the
 * imp_uids generated for seeds without one: a new seeding draws new ones). */
static void summary(struct store *s, int tid, char *out, size_t cap)
{
    struct pay_page pg;
    struct customer *cs;
    size_t nc;
    assert_int_equal(store_payment_all(s, tid, &pg), MOCK_OK);
    assert_int_equal(store_customer_list(s, tid, &cs, &nc), MOCK_OK);
    size_t o = (size_t)snprintf(out, cap, "%zu payments, %zu keys:", pg.n, nc);
    for (size_t i = 0; i < pg.n && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, " %s/%s/%lld/%lld", pg.items[i].merchant_uid,
                              pay_status_name(pg.items[i].status), (long long)pg.items[i].amount,
                              (long long)pg.items[i].cancel_amount);
    for (size_t i = 0; i < nc && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, " %s/%s", cs[i].customer_uid,
                              cs[i].card_number ? cs[i].card_number : "-");
    store_page_free(&pg);
    store_customers_free(cs, nc);
}

static void test_seeding_again_after_a_reset(void **state)
{
    struct ctx *c = *state;
    char path[256], err[512];
    put(c, "seed.json", seeded, path, sizeof path);
    struct fixtures fx;
    assert_true(fixtures_load(&fx, path, err, sizeof err));
    assert_true(fixtures_apply(&fx, c->s, err, sizeof err));
    int tid, other;
    assert_true(store_tenant_by_key(c->s, "key-s", &tid, NULL));
    static char before[1 << 14], after[1 << 14];
    summary(c->s, tid, before, sizeof before);

    /* what a reset does: empty the tenant, then seed it again */
    struct payment extra;
    memset(&extra, 0, sizeof extra);
    snprintf(extra.merchant_uid, sizeof extra.merchant_uid, "made-later");
    assert_int_equal(store_payment_insert(c->s, tid, &extra, true, NULL), MOCK_OK);
    store_tenant_clear(c->s, tid);
    summary(c->s, tid, after, sizeof after);
    assert_string_equal(after, "0 payments, 0 keys:");
    assert_true(fixtures_seed_tenant(&fx, c->s, tid, err, sizeof err));
    summary(c->s, tid, after, sizeof after);
    assert_string_equal(after, before);

    /* a tenant that is not from the fixtures gets nothing */
    struct merchant m;
    unit_merchant(&m, "key-open", "");
    assert_int_equal(store_tenant_add(c->s, &m, &other), MOCK_OK);
    assert_true(fixtures_seed_tenant(&fx, c->s, other, err, sizeof err));
    summary(c->s, other, after, sizeof after);
    assert_string_equal(after, "0 payments, 0 keys:");
    fixtures_fini(&fx);
}

/* More seeds than FIXTURES_KEEP_MAX are released after seeding and read from
 * the file again by a reset. */
static void test_released_seeds_come_from_the_file(void **state)
{
    struct ctx *c = *state;
    size_t n = FIXTURES_KEEP_MAX + 1, cap = n * 96 + 1024, o = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    o += (size_t)snprintf(text + o, cap - o,
                          "{\"merchants\":[{" MERCHANT("imp-s", "key-s") ",\"payments\":[");
    for (size_t i = 0; i < n; i++)
        o +=
            (size_t)snprintf(text + o, cap - o,
                             "%s{\"merchant_uid\":\"bulk-%zu\",\"status\":\"paid\",\"amount\":%zu}",
                             i ? "," : "", i, i + 1);
    snprintf(text + o, cap - o, "]}]}");
    char path[256], err[512];
    put(c, "bulk.json", text, path, sizeof path);
    free(text);
    struct fixtures fx;
    assert_true(fixtures_load(&fx, path, err, sizeof err));
    assert_true(fixtures_apply(&fx, c->s, err, sizeof err));
    fixtures_release_seeds(&fx);
    const cJSON *mo = cJSON_GetArrayItem(fx.merchants, 0);
    assert_null(cJSON_GetObjectItemCaseSensitive(mo, "payments")); /* no longer in memory */

    int tid;
    assert_true(store_tenant_by_key(c->s, "key-s", &tid, NULL));
    store_tenant_clear(c->s, tid);
    assert_true(fixtures_seed_tenant(&fx, c->s, tid, err, sizeof err));
    struct pay_page pg;
    assert_int_equal(store_payment_all(c->s, tid, &pg), MOCK_OK);
    assert_int_equal(pg.n, n);
    assert_string_equal(pg.items[n - 1].merchant_uid, "bulk-1000");
    assert_int_equal(pg.items[n - 1].amount, 1001);
    store_page_free(&pg);

    /* the file changed meanwhile and no longer has the merchant */
    put(c, "bulk.json", "{\"merchants\":[{" MERCHANT("imp-t", "key-t") "}]}", path, sizeof path);
    store_tenant_clear(c->s, tid);
    err[0] = '\0';
    assert_false(fixtures_seed_tenant(&fx, c->s, tid, err, sizeof err));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "imp-s"));
    fixtures_fini(&fx);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_defaults),  T(test_load_errors_name_file_and_field),
        T(test_directory_in_name_order),           T(test_seeding),
        T(test_seed_errors_name_file_and_record),  T(test_seeding_again_after_a_reset),
        T(test_released_seeds_come_from_the_file),
    };
#undef T
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
