/*
 * test_paypack.c - paypack.c and hmap.c's hidx: a payment packed and
 * unpacked again is the same payment, field by field (random payments, every
 * field exercised, interning on and past its limit); hidx agrees with a plain
 * list through inserts, replacements, deletions and growth.
 */
#include "infra/hmap.h"
#include "state/paypack.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned seed = 12345;

static int rnd(int n)
{
    return rand_r(&seed) % n;
}

static void rnd_text(char *out, size_t cap, bool korean)
{
    size_t n = (size_t)rnd((int)cap - 4);
    size_t o = 0;
    while (o < n) {
        if (korean && o + 3 < n && rnd(3) == 0) {
            memcpy(out + o, "\xed\x95\x9c", 3);
            o += 3;
        } else {
            out[o++] = (char)('a' + rnd(26));
        }
    }
    out[o] = '\0';
}

static char *maybe_str(void)
{
    if (rnd(3) == 0)
        return NULL;
    char buf[64];
    rnd_text(buf, sizeof buf, true);
    return strdup(buf);
}

static int64_t rnd_i64(void)
{
    switch (rnd(5)) {
    case 0:
        return 0;
    case 1:
        return rnd(1000);
    case 2:
        return 1700000000 + rnd(100000);
    case 3:
        return 9007199254740991LL - rnd(10);
    default:
        return -(int64_t)rnd(100000);
    }
}

static void rnd_payment(struct payment *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->imp_uid, sizeof p->imp_uid, "imp_%012d", rnd(1000000000));
    rnd_text(p->merchant_uid, sizeof p->merchant_uid, true);
    static const char *const methods[] = {"card", "point", "trans"};
    static const char *const pgs[] = {"kakaopay", "nice", "payco"};
    static const char *const usages[] = {"issue", "payment", "payment.scheduled"};
    snprintf(p->pay_method, sizeof p->pay_method, "%s", methods[rnd(3)]);
    if (rnd(50) == 0)
        p->pay_method[1] = '\x1f'; /* the separator of the interned channel string */
    snprintf(p->channel, sizeof p->channel, "%s", rnd(2) ? "pc" : "api");
    snprintf(p->pg_provider, sizeof p->pg_provider, "%s", pgs[rnd(3)]);
    rnd_text(p->pg_tid, sizeof p->pg_tid, false);
    rnd_text(p->pg_id, sizeof p->pg_id, false); /* many distinct: past the intern limit */
    snprintf(p->currency, sizeof p->currency, "%s", rnd(4) ? "KRW" : "USD");
    p->customer_uid_usage = rnd(2) ? usages[rnd(3)] : NULL;
    p->escrow = rnd(2);
    p->card_type = rnd(3) - 1;
    p->card_quota = rnd(13);
    p->amount = rnd_i64();
    p->cancel_amount = rnd_i64();
    p->tax_free = rnd_i64();
    p->cancel_tax_free = rnd_i64();
    p->status = (enum pay_status)rnd(PAY__COUNT);
    p->started_at = rnd_i64();
    p->paid_at = rnd_i64();
    p->failed_at = rnd_i64();
    p->cancelled_at = rnd_i64();
    p->updated_at = rnd_i64();
    p->version = (uint64_t)rnd(1000000) * 1000003u;
#define X(f) p->f = maybe_str();
    PAYMENT_STR_FIELDS(X)
#undef X
    if (p->receipt_url && p->pg_tid[0] && rnd(2)) { /* as the mock makes them: pg_tid inside */
        char url[256];
        snprintf(url, sizeof url, "%s%s%s", rnd(2) ? "https://pg.example/receipt?tid=" : "",
                 p->pg_tid, rnd(2) ? "&type=0" : "");
        free(p->receipt_url);
        p->receipt_url = strdup(url);
    }
    p->n_cancels = (size_t)rnd(4);
    p->cancels = p->n_cancels ? calloc(p->n_cancels, sizeof *p->cancels) : NULL;
    for (size_t i = 0; i < p->n_cancels; i++) {
        struct cancel_entry *c = &p->cancels[i];
        rnd_text(c->pg_tid, sizeof c->pg_tid, false);
        c->amount = rnd_i64();
        c->tax_free = rnd_i64();
        c->cancelled_at = rnd_i64();
        c->reason = maybe_str();
        rnd_text(c->cancellation_id, sizeof c->cancellation_id, false);
        c->receipt_url = maybe_str();
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    struct paypack pk;
    paypack_init(&pk);
    /* enough distinct pg_id values to fill the intern table and go past it */
    for (int i = 0; i < PAYPACK_INTERN_MAX + 2000; i++) {
        struct payment p, back;
        rnd_payment(&p);
        uint8_t *rec = paypack_encode(&pk, &p);
        assert_non_null(rec);
        assert_string_equal(paypack_imp_uid(rec), p.imp_uid);
        assert_string_equal(paypack_merchant_uid(rec), p.merchant_uid);
        unit_assert_str_or_null(paypack_customer_uid(&pk, rec), p.customer_uid);
        struct paypack_head h;
        paypack_head(rec, &h);
        assert_int_equal(h.status, p.status);
        assert_int_equal(h.version, p.version);
        assert_int_equal(h.paid_at, p.paid_at);
        assert_int_equal(h.updated_at, p.updated_at);
        assert_true(paypack_decode(&pk, rec, &back));
        unit_assert_payment_equal(&p, &back);
        payment_fini(&back);
        payment_fini(&p);
        free(rec);
    }
    assert_true(pk.n <= PAYPACK_INTERN_MAX);
    paypack_fini(&pk);
}

/* what a fixture seeds: the record stays small */
static void test_minimal_is_small(void **state)
{
    (void)state;
    struct paypack pk;
    paypack_init(&pk);
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "imp_100000000001");
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "order_0000001");
    snprintf(p.pay_method, sizeof p.pay_method, "card");
    snprintf(p.channel, sizeof p.channel, "pc");
    snprintf(p.pg_provider, sizeof p.pg_provider, "kakaopay");
    snprintf(p.pg_id, sizeof p.pg_id, "TC0ONETIME");
    snprintf(p.currency, sizeof p.currency, "KRW");
    p.card_type = -1;
    p.status = PAY_PAID;
    p.amount = 15000;
    p.started_at = p.paid_at = p.updated_at = 1704153600;
    p.version = 1;
    uint8_t *first = paypack_encode(&pk, &p);
    uint8_t *second = paypack_encode(&pk, &p); /* the repeated strings are interned by now */
    assert_non_null(first);
    assert_non_null(second);
    struct payment back;
    assert_true(paypack_decode(&pk, second, &back));
    unit_assert_payment_equal(&p, &back);
    payment_fini(&back);
    /* 31 bytes of ids and about 30 of everything else: one 80-byte malloc chunk
     * (glibc), where a struct payment takes 592 */
    assert_true(malloc_usable_size(second) <= 72);
    free(first);
    free(second);
    paypack_fini(&pk);
}

/* a charge as the API makes it: the receipt URL around pg_tid, the masked
 * card number and the billing key's customer_uid cost a few bytes each once
 * they are interned; URLs that do not hold pg_tid, or are long, come back
 * unchanged too */
static void test_charge_is_small(void **state)
{
    (void)state;
    struct paypack pk;
    paypack_init(&pk);
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "imps_392418453001");
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "r1_1_123456");
    snprintf(p.pay_method, sizeof p.pay_method, "card");
    snprintf(p.channel, sizeof p.channel, "api");
    snprintf(p.pg_provider, sizeof p.pg_provider, "nice");
    snprintf(p.pg_id, sizeof p.pg_id, "nictest04m");
    snprintf(p.pg_tid, sizeof p.pg_tid, "nictest04m01162612061925538138");
    snprintf(p.currency, sizeof p.currency, "KRW");
    p.status = PAY_PAID;
    p.amount = 9900;
    p.started_at = p.paid_at = p.updated_at = 1796552753;
    p.version = 1;
    assert_true(str_set(&p.apply_num, "88615535") && str_set(&p.card_code, "366") &&
                str_set(&p.card_name, "\xec\x8b\xa0\xed\x95\x9c\xec\xb9\xb4\xeb\x93\x9c") &&
                str_set(&p.card_number, "424242******4242") && str_set(&p.name, "bench") &&
                str_set(&p.customer_uid, "bench_cust"));
    assert_true(str_set(&p.receipt_url, "https://npg.nicepay.co.kr/issue/IssueLoader.do?TID="
                                        "nictest04m01162612061925538138&type=0"));
    p.customer_uid_usage = "payment";
    free(paypack_encode(&pk, &p)); /* interns the shared strings */
    uint8_t *rec = paypack_encode(&pk, &p);
    assert_non_null(rec);
    assert_true(malloc_usable_size(rec) <= 120); /* was 232 with the URL and these inline */
    struct payment back;
    assert_true(paypack_decode(&pk, rec, &back));
    unit_assert_payment_equal(&p, &back);
    unit_assert_str_or_null(paypack_customer_uid(&pk, rec), "bench_cust");
    payment_fini(&back);
    free(rec);
    char long_url[700];
    memset(long_url, 'u', sizeof long_url - 1);
    long_url[sizeof long_url - 1] = '\0';
    memcpy(long_url + 600, p.pg_tid, strlen(p.pg_tid));
    const char *urls[] = {"nictest04m01162612061925538138",
                          "https://x/?a=nictest04m01162612061925538138"
                          "&b=nictest04m01162612061925538138",
                          "https://x/receipt", long_url};
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        assert_true(str_set(&p.receipt_url, urls[i]));
        rec = paypack_encode(&pk, &p);
        assert_non_null(rec);
        assert_true(paypack_decode(&pk, rec, &back));
        unit_assert_payment_equal(&p, &back);
        payment_fini(&back);
        free(rec);
    }
    payment_fini(&p);
    paypack_fini(&pk);
}

static const char *keys[5000];

static const char *key_at(const void *ud, uint32_t val)
{
    (void)ud;
    return keys[val];
}

static void test_hidx_against_a_list(void **state)
{
    (void)state;
    static char storage[5000][24];
    static int32_t expect[5000]; /* value of key i, -1 = absent */
    struct hidx m;
    hidx_init(&m);
    for (int i = 0; i < 5000; i++) {
        snprintf(storage[i], sizeof storage[i], "imp_%012d", 100000000 + i);
        keys[i] = storage[i];
        expect[i] = -1;
    }
    /* values are indexes into keys[]: key_at(val) must give the key back,
     * so a key is always stored with its own index */
    for (int round = 0; round < 60000; round++) {
        int k = rnd(5000);
        uint32_t v;
        switch (rnd(3)) {
        case 0:
        case 1:
            assert_true(hidx_put(&m, keys[k], (uint32_t)k, key_at, NULL));
            expect[k] = k;
            break;
        default:
            assert_int_equal(hidx_del(&m, keys[k], key_at, NULL), expect[k] >= 0);
            expect[k] = -1;
            break;
        }
        int probe = rnd(5000);
        bool found = hidx_get(&m, keys[probe], &v, key_at, NULL);
        assert_int_equal(found, expect[probe] >= 0);
        if (found)
            assert_int_equal(v, (uint32_t)expect[probe]);
    }
    size_t live = 0;
    for (int i = 0; i < 5000; i++)
        live += expect[i] >= 0;
    assert_int_equal(m.live, live);
    assert_true(m.used * 8 <= m.cap * 7);
    hidx_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_minimal_is_small),
        cmocka_unit_test(test_charge_is_small),
        cmocka_unit_test(test_hidx_against_a_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
