/* unit_harness.c - see unit_harness.h. */
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "state/ids.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fixtures defaults; /* loaded by unit_group_setup */
static bool loaded;

int unit_group_setup(void **state)
{
    (void)state;
    char err[256];
    if (sodium_init() < 0)
        return -1;
    ids_init(true, UNIT_SEED);
    if (!fixtures_load(&defaults, NULL, err, sizeof err)) {
        fprintf(stderr, "unit_harness: default fixtures: %s\n", err);
        return -1;
    }
    loaded = true;
    return 0;
}

int unit_group_teardown(void **state)
{
    (void)state;
    if (loaded)
        fixtures_fini(&defaults);
    loaded = false;
    return 0;
}

const struct fixtures *unit_fixtures(void)
{
    if (!loaded)
        fail_msg("unit_fixtures: unit_group_setup has not run");
    return &defaults;
}

void unit_merchant(struct merchant *ret_m, const char *imp_key, const char *merchant_code)
{
    static const struct channel channels[] = {
        {.pg_provider = "kakaopay", .pg_id = "TC0ONETIME", .kind = CHANNEL_ONETIME},
        {.pg_provider = "kakaopay", .pg_id = "TCSUBSCRIP", .kind = CHANNEL_SUBSCRIPTION},
        {.pg_provider = "nice", .pg_id = "nictest04m", .kind = CHANNEL_KEYIN},
    };
    memset(ret_m, 0, sizeof *ret_m);
    snprintf(ret_m->imp_key, sizeof ret_m->imp_key, "%s", imp_key);
    snprintf(ret_m->imp_secret, sizeof ret_m->imp_secret, "secret-%s", imp_key);
    snprintf(ret_m->merchant_code, sizeof ret_m->merchant_code, "%s", merchant_code);
    snprintf(ret_m->default_pg, sizeof ret_m->default_pg, "kakaopay");
    ret_m->n_channels = sizeof channels / sizeof channels[0];
    memcpy(ret_m->channels, channels, sizeof channels);
}

int unit_world_setup(void **state)
{
    struct unit_world *w = calloc(1, sizeof *w);
    struct merchant m;
    if (!w || !loaded)
        goto fail;
    w->s = store_new();
    w->billing.store = w->s;
    w->billing.cards = &defaults.cards;
    unit_merchant(&m, "key-a", "imp-a");
    if (!w->s || store_tenant_add(w->s, &m, &w->a) != MOCK_OK)
        goto fail;
    unit_merchant(&m, "key-b", "imp-b");
    if (store_tenant_add(w->s, &m, &w->b) != MOCK_OK)
        goto fail;
    *state = w;
    return 0;
fail:
    if (w)
        store_free(w->s);
    free(w);
    return -1;
}

int unit_world_teardown(void **state)
{
    struct unit_world *w = *state;
    store_free(w->s);
    free(w);
    return 0;
}

void unit_customer(struct customer *ret_c, const char *customer_uid, int64_t when)
{
    memset(ret_c, 0, sizeof *ret_c);
    snprintf(ret_c->customer_uid, sizeof ret_c->customer_uid, "%s", customer_uid);
    snprintf(ret_c->pg_provider, sizeof ret_c->pg_provider, "nice");
    snprintf(ret_c->pg_id, sizeof ret_c->pg_id, "nictest04m");
    snprintf(ret_c->pay_method, sizeof ret_c->pay_method, "card");
    ret_c->card_type = 0;
    ret_c->card_profile = -1;
    ret_c->inserted = ret_c->updated = when;
}

struct schedule unit_schedule(const char *merchant_uid, const char *customer_uid, int64_t at)
{
    struct schedule s;
    memset(&s, 0, sizeof s);
    snprintf(s.merchant_uid, sizeof s.merchant_uid, "%s", merchant_uid);
    snprintf(s.customer_uid, sizeof s.customer_uid, "%s", customer_uid);
    snprintf(s.currency, sizeof s.currency, "KRW");
    s.schedule_at = at;
    s.amount = 9900;
    s.payment_status = -1;
    return s;
}

void unit_assert_str_or_null(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

void unit_assert_payment_equal(const struct payment *a, const struct payment *b)
{
    assert_string_equal(a->imp_uid, b->imp_uid);
    assert_string_equal(a->merchant_uid, b->merchant_uid);
    assert_string_equal(a->pay_method, b->pay_method);
    assert_string_equal(a->channel, b->channel);
    assert_string_equal(a->pg_provider, b->pg_provider);
    assert_string_equal(a->pg_tid, b->pg_tid);
    assert_string_equal(a->pg_id, b->pg_id);
    assert_string_equal(a->currency, b->currency);
    unit_assert_str_or_null(a->customer_uid_usage, b->customer_uid_usage);
    assert_int_equal(a->escrow, b->escrow);
    assert_int_equal(a->card_type, b->card_type);
    assert_int_equal(a->card_quota, b->card_quota);
    assert_int_equal(a->amount, b->amount);
    assert_int_equal(a->cancel_amount, b->cancel_amount);
    assert_int_equal(a->tax_free, b->tax_free);
    assert_int_equal(a->cancel_tax_free, b->cancel_tax_free);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->started_at, b->started_at);
    assert_int_equal(a->paid_at, b->paid_at);
    assert_int_equal(a->failed_at, b->failed_at);
    assert_int_equal(a->cancelled_at, b->cancelled_at);
    assert_int_equal(a->updated_at, b->updated_at);
    assert_int_equal(a->version, b->version);
#define X(f) unit_assert_str_or_null(a->f, b->f);
    PAYMENT_STR_FIELDS(X)
#undef X
    assert_int_equal(a->n_cancels, b->n_cancels);
    for (size_t i = 0; i < a->n_cancels; i++) {
        assert_string_equal(a->cancels[i].pg_tid, b->cancels[i].pg_tid);
        assert_int_equal(a->cancels[i].amount, b->cancels[i].amount);
        assert_int_equal(a->cancels[i].tax_free, b->cancels[i].tax_free);
        assert_int_equal(a->cancels[i].cancelled_at, b->cancels[i].cancelled_at);
        unit_assert_str_or_null(a->cancels[i].reason, b->cancels[i].reason);
        assert_string_equal(a->cancels[i].cancellation_id, b->cancels[i].cancellation_id);
        unit_assert_str_or_null(a->cancels[i].receipt_url, b->cancels[i].receipt_url);
    }
}

cJSON *unit_parse_json(const char *text, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(text, len);
    if (!o)
        fail_msg("not JSON: %.*s", (int)len, text);
    return o;
}
