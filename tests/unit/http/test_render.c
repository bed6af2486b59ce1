/*
 * test_render.c - render.c writes a payment as text (not as a cJSON tree):
 * the text must be JSON that cJSON reads back to the same values, escaped
 * exactly as cJSON escapes (printing what was parsed gives the same bytes),
 * with every field of the payment in place.
 */
#include "http/render.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned seed = 777;

/* strings with every kind of character cJSON treats specially */
static char *nasty(void)
{
    static const char *const parts[] = {
        "a",  "\"",   "\\",   "\b",   "\f", "\n",           "\r",
        "\t", "\x01", "\x1f", "\x7f", "/",  "\xed\x95\x9c", "\xf0\x9f\x98\x80",
        "{}", ",",    ":"};
    char buf[128] = "";
    int n = rand_r(&seed) % 12;
    for (int i = 0; i < n; i++)
        strcat(buf, parts[rand_r(&seed) % (int)(sizeof parts / sizeof *parts)]);
    return strdup(buf);
}

static void fill(struct payment *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->imp_uid, sizeof p->imp_uid, "imp_%012d", rand_r(&seed));
    char *m = nasty();
    snprintf(p->merchant_uid, sizeof p->merchant_uid, "%.40s", m);
    free(m);
    snprintf(p->pay_method, sizeof p->pay_method, "card");
    snprintf(p->channel, sizeof p->channel, "api");
    snprintf(p->pg_provider, sizeof p->pg_provider, "nice");
    snprintf(p->pg_tid, sizeof p->pg_tid, "T%d", rand_r(&seed));
    snprintf(p->pg_id, sizeof p->pg_id, "nictest04m");
    snprintf(p->currency, sizeof p->currency, "KRW");
    p->card_type = rand_r(&seed) % 3 - 1;
    /* below 10^15: cJSON, printing what it parsed back, keeps 15 digits */
    p->amount = (int64_t)rand_r(&seed) * 1000;
    p->cancel_amount = rand_r(&seed) % 2 ? 0 : 999999999999999LL;
    p->status = (enum pay_status)(rand_r(&seed) % PAY__COUNT);
    p->started_at = 1700000000;
    p->escrow = rand_r(&seed) % 2;
    p->customer_uid_usage = rand_r(&seed) % 2 ? "payment" : NULL;
#define X(f) p->f = rand_r(&seed) % 3 ? nasty() : NULL;
    PAYMENT_STR_FIELDS(X)
#undef X
    p->n_cancels = (size_t)(rand_r(&seed) % 3);
    p->cancels = p->n_cancels ? calloc(p->n_cancels, sizeof *p->cancels) : NULL;
    for (size_t i = 0; i < p->n_cancels; i++) {
        p->cancels[i].amount = 100;
        p->cancels[i].reason = rand_r(&seed) % 2 ? nasty() : NULL;
        p->cancels[i].receipt_url = rand_r(&seed) % 2 ? nasty() : NULL;
        snprintf(p->cancels[i].cancellation_id, sizeof p->cancels[i].cancellation_id, "c%zu", i);
    }
}

static void str_field(const cJSON *o, const char *name, const char *want)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!it)
        fail_msg("field %s missing", name);
    if (!want) {
        assert_true(cJSON_IsNull(it));
    } else {
        assert_true(cJSON_IsString(it));
        assert_string_equal(it->valuestring, want);
    }
}

static void test_text_is_what_cjson_would_print(void **state)
{
    (void)state;
    for (int round = 0; round < 3000; round++) {
        struct payment p;
        fill(&p);
        cJSON *raw = render_payment(&p);
        assert_non_null(raw);
        char *text = cJSON_PrintUnformatted(raw);
        cJSON *back = cJSON_Parse(text);
        assert_non_null(back);
        char *again = cJSON_PrintUnformatted(back);
        assert_string_equal(text, again); /* same escaping, same order */
        str_field(back, "merchant_uid", p.merchant_uid);
        str_field(back, "status", pay_status_name(p.status));
#define X(f)                                                                                       \
    if (strcmp(#f, "notice_url") != 0) /* kept for webhooks, not part of the answer */             \
        str_field(back, #f, p.f);
        PAYMENT_STR_FIELDS(X)
#undef X
        assert_true(cJSON_GetObjectItemCaseSensitive(back, "amount")->valuedouble ==
                    (double)p.amount);
        assert_int_equal(
            cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(back, "cancel_history")),
            p.n_cancels);
        cJSON_free(text);
        cJSON_free(again);
        cJSON_Delete(back);
        cJSON_Delete(raw);
        payment_fini(&p);
    }
}

/* numbers beyond 15 digits are written exactly (cJSON's %1.15g would not) */
static void test_big_amount_exact(void **state)
{
    (void)state;
    struct payment p;
    memset(&p, 0, sizeof p);
    p.amount = 9007199254740991LL;
    p.cancel_amount = -42;
    cJSON *raw = render_payment(&p);
    char *text = cJSON_PrintUnformatted(raw);
    assert_non_null(strstr(text, "\"amount\":9007199254740991,"));
    assert_non_null(strstr(text, "\"cancel_amount\":-42,"));
    cJSON_free(text);
    cJSON_Delete(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_is_what_cjson_would_print),
        cmocka_unit_test(test_big_amount_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
