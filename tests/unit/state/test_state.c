/*
 * test_state.c - mock/state/state.c: every record the store keeps goes to
 * JSON text and back unchanged (payments with their cancels, billing keys,
 * schedule items, pre-registrations, merchants with their secret only in
 * the full form), null and "" kept apart; malformed records are refused
 * naming the field; a whole tenant exported and imported elsewhere is the
 * same tenant, and a bad document changes nothing.
 */
#include "state/state.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1750000000LL
/* The largest amount the records carry exactly: cJSON 1.7.15 prints numbers
 * with 15 significant digits whenever that reads back within DBL_EPSILON, so
 * from 10^15 on (below AMOUNT_MAX = 2^53) the last digits change. */
#define EXACT_MAX 999999999999999LL

static unsigned seed = 4242;

static int64_t upto(int64_t max)
{
    /* spread over the whole range, ends included */
    switch (rand_r(&seed) % 4) {
    case 0:
        return 0;
    case 1:
        return max;
    default:
        return (int64_t)(((uint64_t)rand_r(&seed) << 31 ^ (uint64_t)rand_r(&seed)) %
                         ((uint64_t)max + 1));
    }
}

/* NULL, "", or text with what JSON must escape and multi-byte characters. */
static char *some_text(void)
{
    static const char *const parts[] = {"a",    "\"",   "\\", "/",  "\n", "\t", "\x01",
                                        "\x7f", "결제", "😀",  "%s", "<>", " "};
    int kind = rand_r(&seed) % 4;
    if (kind == 0)
        return NULL;
    char buf[128] = "";
    for (int n = kind == 1 ? 0 : rand_r(&seed) % 10; n > 0; n--)
        strcat(buf, parts[rand_r(&seed) % (int)(sizeof parts / sizeof parts[0])]);
    return strdup(buf);
}

/* Never empty: "" reads back as absent in fixed fields (a default or a refusal). */
static void some_fixed(char *dst, size_t cap)
{
    char *t = some_text();
    snprintf(dst, cap, "x%s", t ? t : "");
    /* a fixed field holds whole characters only */
    size_t n = strlen(dst);
    while (n > 0 && ((unsigned char)dst[n - 1] & 0xc0) == 0x80)
        n--;
    if (n > 0 && (unsigned char)dst[n - 1] >= 0xc0)
        dst[n - 1] = '\0';
    free(t);
}

/* A payment with every field set to something the store could hold. */
static void some_payment(struct payment *p)
{
    static const char *const usages[] = {NULL, "issue", "payment", "payment.scheduled"};
    memset(p, 0, sizeof *p);
    snprintf(p->imp_uid, sizeof p->imp_uid, "imps_%012d", rand_r(&seed) % 1000000000);
    some_fixed(p->merchant_uid, sizeof p->merchant_uid);
    some_fixed(p->pay_method, sizeof p->pay_method);
    snprintf(p->channel, sizeof p->channel, "%s", rand_r(&seed) % 2 ? "api" : "mobile");
    snprintf(p->pg_provider, sizeof p->pg_provider, "kakaopay");
    some_fixed(p->pg_tid, sizeof p->pg_tid);
    some_fixed(p->pg_id, sizeof p->pg_id);
    snprintf(p->currency, sizeof p->currency, "%s", rand_r(&seed) % 2 ? "KRW" : "USD");
    p->customer_uid_usage = usages[rand_r(&seed) % 4];
    p->escrow = rand_r(&seed) % 2;
    p->card_type = rand_r(&seed) % 3 - 1;
    p->card_quota = (int)upto(60);
    p->amount = upto(EXACT_MAX);
    p->cancel_amount = upto(p->amount);
    p->tax_free = upto(p->amount);
    p->cancel_tax_free = upto(p->tax_free);
    p->status = (enum pay_status)(rand_r(&seed) % PAY__COUNT);
    p->started_at = upto(EXACT_MAX);
    p->paid_at = upto(T0);
    p->failed_at = upto(T0);
    p->cancelled_at = upto(T0);
    p->updated_at = upto(EXACT_MAX);
#define X(f) p->f = some_text();
    PAYMENT_STR_FIELDS(X)
#undef X
    p->n_cancels = (size_t)(rand_r(&seed) % 4);
    p->cancels = p->n_cancels ? calloc(p->n_cancels, sizeof *p->cancels) : NULL;
    assert_true(p->n_cancels == 0 || p->cancels);
    for (size_t i = 0; i < p->n_cancels; i++) {
        struct cancel_entry *c = &p->cancels[i];
        some_fixed(c->pg_tid, sizeof c->pg_tid);
        c->amount = upto(EXACT_MAX);
        c->tax_free = upto(c->amount);
        c->cancelled_at = upto(T0);
        c->reason = some_text();
        snprintf(c->cancellation_id, sizeof c->cancellation_id, "%032x", (unsigned)i);
        c->receipt_url = some_text();
    }
}

/* A tree through text and back, as the state log and exports carry it. */
static cJSON *through_text(cJSON *o)
{
    assert_non_null(o);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    assert_non_null(text);
    cJSON *back = unit_parse_json(text, strlen(text));
    cJSON_free(text);
    return back;
}

static void test_payments_round_trip(void **state)
{
    (void)state;
    char err[256];
    for (int i = 0; i < 2000; i++) {
        struct payment p, back;
        some_payment(&p);
        cJSON *o = through_text(state_payment_to_json(&p));
        if (!state_payment_from_json(o, &back, err, sizeof err))
            fail_msg("payment %d: %s", i, err);
        cJSON_Delete(o);
        /* version is the store's own write counter, not part of the record */
        assert_int_equal(back.version, 0);
        unit_assert_payment_equal(&p, &back);
        payment_fini(&back);
        payment_fini(&p);
    }
}

static void assert_customer_equal(const struct customer *a, const struct customer *b)
{
    assert_string_equal(a->customer_uid, b->customer_uid);
    assert_string_equal(a->pg_provider, b->pg_provider);
    assert_string_equal(a->pg_id, b->pg_id);
    assert_string_equal(a->pay_method, b->pay_method);
    assert_int_equal(a->card_type, b->card_type);
    assert_int_equal(a->card_profile, b->card_profile);
    assert_int_equal(a->inserted, b->inserted);
    assert_int_equal(a->updated, b->updated);
    assert_int_equal(a->charges, b->charges);
#define X(f) unit_assert_str_or_null(a->f, b->f);
    CUSTOMER_STR_FIELDS(X)
#undef X
}

static void test_customers_round_trip(void **state)
{
    (void)state;
    char err[256];
    for (int i = 0; i < 500; i++) {
        struct customer c, back;
        memset(&c, 0, sizeof c);
        some_fixed(c.customer_uid, sizeof c.customer_uid);
        snprintf(c.pg_provider, sizeof c.pg_provider, "nice");
        snprintf(c.pg_id, sizeof c.pg_id, "nictest04m");
        snprintf(c.pay_method, sizeof c.pay_method, "%s", i % 2 ? "card" : "point");
        c.card_type = i % 3 - 1;
        c.card_profile = i % 9 - 1;
        c.inserted = upto(T0);
        c.updated = upto(EXACT_MAX);
        c.charges = (uint64_t)upto(EXACT_MAX);
#define X(f) c.f = some_text();
        CUSTOMER_STR_FIELDS(X)
#undef X
        free(c.card_number); /* a key only ever holds the masked number */
        c.card_number = i % 2 ? strdup("424242******4242") : NULL;
        cJSON *o = through_text(state_customer_to_json(&c));
        if (!state_customer_from_json(o, &back, err, sizeof err))
            fail_msg("customer %d: %s", i, err);
        cJSON_Delete(o);
        assert_customer_equal(&c, &back);
        customer_fini(&back);
        customer_fini(&c);
    }
}

static void test_schedules_round_trip(void **state)
{
    (void)state;
    char err[256];
    for (int i = 0; i < 500; i++) {
        struct schedule s, back;
        memset(&s, 0, sizeof s);
        some_fixed(s.customer_uid, sizeof s.customer_uid);
        some_fixed(s.merchant_uid, sizeof s.merchant_uid);
        snprintf(s.imp_uid, sizeof s.imp_uid, "%s", i % 2 ? "imps_100000000001" : "");
        snprintf(s.pg_provider, sizeof s.pg_provider, "%s", i % 2 ? "nice" : "");
        snprintf(s.pg_id, sizeof s.pg_id, "%s", i % 2 ? "nictest04m" : "");
        snprintf(s.currency, sizeof s.currency, "%s", i % 3 ? "KRW" : "USD");
        s.schedule_at = upto(EXACT_MAX);
        s.executed_at = upto(T0);
        s.revoked_at = upto(T0);
        s.amount = upto(EXACT_MAX);
        s.tax_free = upto(s.amount);
        s.card_quota = (int)upto(60);
        s.status = (enum sched_status)(i % SCHED__COUNT);
        s.payment_status = i % (PAY__COUNT + 1) - 1;
#define X(f) s.f = some_text();
        SCHEDULE_STR_FIELDS(X)
#undef X
        cJSON *o = through_text(state_schedule_to_json(&s));
        if (!state_schedule_from_json(o, &back, err, sizeof err))
            fail_msg("schedule %d: %s", i, err);
        cJSON_Delete(o);
        assert_string_equal(back.customer_uid, s.customer_uid);
        assert_string_equal(back.merchant_uid, s.merchant_uid);
        assert_string_equal(back.imp_uid, s.imp_uid);
        assert_string_equal(back.pg_provider, s.pg_provider);
        assert_string_equal(back.pg_id, s.pg_id);
        assert_string_equal(back.currency, s.currency);
        assert_int_equal(back.schedule_at, s.schedule_at);
        assert_int_equal(back.executed_at, s.executed_at);
        assert_int_equal(back.revoked_at, s.revoked_at);
        assert_int_equal(back.amount, s.amount);
        assert_int_equal(back.tax_free, s.tax_free);
        assert_int_equal(back.card_quota, s.card_quota);
        assert_int_equal(back.status, s.status);
        assert_int_equal(back.payment_status, s.payment_status);
#define X(f) unit_assert_str_or_null(back.f, s.f);
        SCHEDULE_STR_FIELDS(X)
#undef X
        schedule_fini(&back);
        schedule_fini(&s);
    }
}

static void assert_merchant_equal(const struct merchant *a, const struct merchant *b)
{
    assert_string_equal(a->merchant_code, b->merchant_code);
    assert_string_equal(a->imp_key, b->imp_key);
    assert_string_equal(a->imp_secret, b->imp_secret);
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->default_pg, b->default_pg);
    assert_string_equal(a->webhook_url, b->webhook_url);
    assert_int_equal(a->webhook_form, b->webhook_form);
    assert_int_equal(a->n_channels, b->n_channels);
    for (size_t i = 0; i < a->n_channels; i++) {
        assert_string_equal(a->channels[i].pg_provider, b->channels[i].pg_provider);
        assert_string_equal(a->channels[i].pg_id, b->channels[i].pg_id);
        assert_int_equal(a->channels[i].kind, b->channels[i].kind);
    }
}

static void test_prepares_and_merchants_round_trip(void **state)
{
    (void)state;
    char err[256];
    struct prepare pr = {.merchant_uid = "ord-9", .amount = EXACT_MAX}, pback;
    cJSON *o = through_text(state_prepare_to_json(&pr));
    assert_true(json_is_null(o, "currency")); /* "" = no currency check = null */
    assert_true(state_prepare_from_json(o, &pback, err, sizeof err));
    cJSON_Delete(o);
    assert_string_equal(pback.merchant_uid, "ord-9");
    assert_int_equal(pback.amount, EXACT_MAX);
    assert_string_equal(pback.currency, "");
    snprintf(pr.currency, sizeof pr.currency, "USD");
    o = through_text(state_prepare_to_json(&pr));
    assert_true(state_prepare_from_json(o, &pback, err, sizeof err));
    cJSON_Delete(o);
    assert_string_equal(pback.currency, "USD");

    struct merchant m, mback;
    unit_merchant(&m, "key-full", "imp-full");
    snprintf(m.name, sizeof m.name, "상점 \"하나\"");
    snprintf(m.webhook_url, sizeof m.webhook_url, "https://shop.example/hook");
    m.webhook_form = true;
    o = through_text(state_merchant_to_json_full(&m));
    assert_string_equal(json_str(o, "imp_secret"), "secret-key-full");
    assert_true(state_merchant_from_json(o, &mback, err, sizeof err));
    cJSON_Delete(o);
    assert_merchant_equal(&mback, &m);
    /* the export form keeps the secret out */
    o = state_merchant_to_json(&m);
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "imp_secret"));
    cJSON_Delete(o);
    m.webhook_url[0] = '\0';
    m.webhook_form = false;
    m.merchant_code[0] = '\0'; /* a tenant made on the fly */
    o = through_text(state_merchant_to_json_full(&m));
    assert_true(json_is_null(o, "webhook_url"));
    assert_true(state_merchant_from_json(o, &mback, err, sizeof err));
    cJSON_Delete(o);
    assert_merchant_equal(&mback, &m);
}

/* A valid payment record with one member replaced by `value` (JSON text). */
static bool payment_with(const char *name, const char *value, char *err, size_t errlen)
{
    struct payment p, back;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "imps_1");
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "o");
    p.amount = 1000;
    p.tax_free = 100;
    p.card_type = -1;
    p.n_cancels = 2;
    p.cancels = calloc(2, sizeof *p.cancels);
    assert_non_null(p.cancels);
    cJSON *o = state_payment_to_json(&p);
    payment_fini(&p);
    assert_non_null(o);
    cJSON *v = value ? cJSON_Parse(value) : NULL;
    if (v)
        assert_true(cJSON_ReplaceItemInObjectCaseSensitive(o, name, v));
    else
        cJSON_DeleteItemFromObjectCaseSensitive(o, name);
    bool ok = state_payment_from_json(o, &back, err, errlen);
    cJSON_Delete(o);
    if (ok)
        payment_fini(&back);
    return ok;
}

static void test_refusals_name_the_field(void **state)
{
    (void)state;
    static const struct {
        const char *name, *value; /* value NULL: the member removed */
        const char *want;
    } bad[] = {
        {"imp_uid", NULL, "payment: field \"imp_uid\" is required"},
        {"merchant_uid", "\"\"", "payment: field \"merchant_uid\" must not be empty"},
        {"status", "\"done\"", "payment: field \"status\""},
        {"customer_uid_usage", "\"renewal\"", "payment: field \"customer_uid_usage\""},
        {"amount", "-1", "payment: field \"amount\""},
        {"amount", "1.5", "payment: field \"amount\""},
        {"amount", "1e16", "payment: field \"amount\""}, /* past 2^53 */
        {"cancel_amount", "1001", "payment: field \"cancel_amount\""},
        {"tax_free", "1001", "payment: field \"tax_free\""},
        {"cancel_tax_free", "101", "payment: field \"cancel_tax_free\""},
        {"card_type", "2", "payment: field \"card_type\""},
        {"escrow", "\"yes\"", "payment: field \"escrow\""},
        {"name", "7", "payment: field \"name\""},
        {"cancels", "{}", "payment: field \"cancels\""},
        {"cancels", "[{},{\"amount\":-5}]", "payment cancels[1]: field \"amount\""},
        {"currency", "\"KRWX\"", "payment: field \"currency\""},
    };
    char err[256];
    assert_true(payment_with("name", "null", err, sizeof err)); /* the record itself is fine */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (payment_with(bad[i].name, bad[i].value, err, sizeof err))
            fail_msg("%s = %s was accepted", bad[i].name, bad[i].value ? bad[i].value : "(none)");
        if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
            fail_msg("%s = %s: \"%s\" does not start with \"%s\"", bad[i].name,
                     bad[i].value ? bad[i].value : "(none)", err, bad[i].want);
    }
    /* a full card number never enters a billing key, even from a document */
    struct customer c, back;
    unit_customer(&c, "k", T0);
    c.card_number = strdup("4242-4242-4242-4242");
    cJSON *o = state_customer_to_json(&c);
    customer_fini(&c);
    assert_false(state_customer_from_json(o, &back, err, sizeof err));
    assert_non_null(strstr(err, "card_number"));
    cJSON_Delete(o);
    /* a record that is not an object */
    cJSON *arr = cJSON_CreateArray();
    struct prepare pr;
    assert_false(state_prepare_from_json(arr, &pr, err, sizeof err));
    assert_string_equal(err, "prepare: must be an object");
    cJSON_Delete(arr);
}

/* ---- a whole tenant ---- */

/* Fills tenant tid with a bit of everything. */
static void fill_tenant(struct unit_world *w, int tid)
{
    for (int i = 0; i < 20; i++) {
        struct payment p;
        some_payment(&p);
        snprintf(p.imp_uid, sizeof p.imp_uid, "imps_%012d", i);
        assert_int_equal(store_payment_insert(w->s, tid, &p, true, NULL), MOCK_OK);
        payment_fini(&p);
    }
    struct customer c;
    unit_customer(&c, "cust-1", T0);
    c.card_profile = 3;
    c.card_number = strdup("400000******0002");
    assert_int_equal(store_customer_put(w->s, tid, &c, NULL), MOCK_OK);
    customer_fini(&c);
    struct prepare pr = {.merchant_uid = "prep-1", .amount = 5000, .currency = "KRW"};
    assert_int_equal(store_prepare_put(w->s, tid, &pr, false), MOCK_OK);
    struct schedule s = unit_schedule("renew-1", "cust-1", T0 + 86400);
    assert_int_equal(store_schedule_add(w->s, tid, &s, 1, NULL, NULL), MOCK_OK);
}

/* The export of tid as text, without the merchant part. */
static char *export_records(struct unit_world *w, int tid)
{
    cJSON *doc = state_export_tenant(w->s, tid);
    assert_non_null(doc);
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "merchant");
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    assert_non_null(text);
    return text;
}

static void test_export_then_import_elsewhere(void **state)
{
    struct unit_world *w = *state;
    fill_tenant(w, w->a);
    cJSON *doc = through_text(state_export_tenant(w->s, w->a));
    assert_int_equal((int)json_num(doc, "format"), STATE_FORMAT);
    assert_string_equal(json_str(cJSON_GetObjectItemCaseSensitive(doc, "merchant"), "imp_key"),
                        "key-a");
    char err[256];
    assert_true(state_import_tenant(w->s, w->b, doc, err, sizeof err));
    cJSON_Delete(doc);
    char *a = export_records(w, w->a), *b = export_records(w, w->b);
    assert_string_equal(a, b);
    free(b);
    /* tenant b kept its own key pair */
    struct merchant m;
    assert_true(store_tenant_merchant(w->s, w->b, &m));
    assert_string_equal(m.imp_key, "key-b");
    /* importing again replaces, it does not add */
    doc = state_export_tenant(w->s, w->a);
    assert_true(state_import_tenant(w->s, w->b, doc, err, sizeof err));
    cJSON_Delete(doc);
    b = export_records(w, w->b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_a_bad_document_changes_nothing(void **state)
{
    struct unit_world *w = *state;
    fill_tenant(w, w->a);
    char *before = export_records(w, w->a);
    static const struct {
        const char *path; /* the array, or "" for the top level */
        int index;
        const char *member, *value;
        const char *want;
    } bad[] = {
        {"", 0, "format", "2", "field \"format\""},
        {"", 0, "payments", "{}", "field \"payments\""},
        {"payments", 3, "status", "\"done\"", "payments[3]: payment: field \"status\""},
        {"payments", 19, "imp_uid", "\"imps_000000000000\"", "payments[19]: imp_uid"},
        {"customers", 0, "card_number", "\"4242424242424242\"", "customers[0]: customer"},
        {"prepares", 0, "amount", "\"5000\"", "prepares[0]: prepare: field \"amount\""},
        {"schedules", 0, "schedule_status", "\"later\"", "schedules[0]: schedule"},
    };
    char err[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *doc = state_export_tenant(w->s, w->a);
        cJSON *target = bad[i].path[0]
                            ? cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, bad[i].path),
                                                 bad[i].index)
                            : doc;
        assert_non_null(target);
        assert_true(cJSON_ReplaceItemInObjectCaseSensitive(target, bad[i].member,
                                                           cJSON_Parse(bad[i].value)));
        err[0] = '\0';
        assert_false(state_import_tenant(w->s, w->a, doc, err, sizeof err));
        cJSON_Delete(doc);
        if (!strstr(err, bad[i].want))
            fail_msg("%s[%d].%s: \"%s\" does not say \"%s\"", bad[i].path, bad[i].index,
                     bad[i].member, err, bad[i].want);
        char *after = export_records(w, w->a);
        assert_string_equal(before, after);
        free(after);
    }
    free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payments_round_trip),
        cmocka_unit_test(test_customers_round_trip),
        cmocka_unit_test(test_schedules_round_trip),
        cmocka_unit_test(test_prepares_and_merchants_round_trip),
        cmocka_unit_test(test_refusals_name_the_field),
        cmocka_unit_test_setup_teardown(test_export_then_import_elsewhere, unit_world_setup,
                                        unit_world_teardown),
        cmocka_unit_test_setup_teardown(test_a_bad_document_changes_nothing, unit_world_setup,
                                        unit_world_teardown),
    };
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
