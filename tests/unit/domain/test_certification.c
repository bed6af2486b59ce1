/* test_certification.c - identity verification rules (certification.c and
 * the test phones of base/phones.c): reading the person, the PG, CI and DI,
 * and the code pair against a real store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/certification.h"
#include "unit_harness.h"

#include <stdio.h>
#include <string.h>

static enum mock_err person(const char *birth, const char *digit, const char *phone,
                            struct certification *c)
{
    struct cert_request rq = {
        .name = "홍길동", .phone = phone, .birth = birth, .gender_digit = digit, .carrier = "LGT"};
    memset(c, 0, sizeof *c);
    return cert_read_person(&rq, c);
}

static void test_person(void **state)
{
    (void)state;
    struct certification c;
    assert_int_equal(person("930708", "1", "010-1234-5678", &c), MOCK_OK);
    assert_string_equal(c.birthday, "1993-07-08");
    assert_int_equal(c.birth, 742057200); /* 00:00 KST */
    assert_string_equal(c.gender, "male");
    assert_false(c.foreigner);
    assert_string_equal(c.phone, "01012345678");
    assert_string_equal(c.carrier, "LGT");
    /* 3 and 4: born from 2000; leap days */
    assert_int_equal(person("00-02-29", "4", "0101234567", &c), MOCK_OK);
    assert_string_equal(c.birthday, "2000-02-29");
    assert_string_equal(c.gender, "female");
    assert_int_equal(person("010229", "3", "01012345678", &c), MOCK_CERT_BAD_BIRTH);
    assert_int_equal(person("000229", "1", "01012345678", &c), MOCK_CERT_BAD_BIRTH); /* 1900 */
    /* before 1970 the unix time is negative */
    assert_int_equal(person("650101", "2", "01012345678", &c), MOCK_OK);
    assert_int_equal(c.birth, -157798800);
    /* 5 to 8: foreigners */
    assert_int_equal(person("850101", "6", "01012345678", &c), MOCK_OK);
    assert_true(c.foreigner);
    assert_string_equal(c.gender, "female");
    assert_int_equal(person("851301", "1", "01012345678", &c), MOCK_CERT_BAD_BIRTH);
    assert_int_equal(person("19930708", "1", "01012345678", &c), MOCK_CERT_BAD_BIRTH);
    assert_int_equal(person("93o708", "1", "01012345678", &c), MOCK_CERT_BAD_BIRTH);
    assert_int_equal(person("930708", "9", "01012345678", &c), MOCK_CERT_BAD_GENDER_DIGIT);
    assert_int_equal(person("930708", "12", "01012345678", &c), MOCK_CERT_BAD_GENDER_DIGIT);
    assert_int_equal(person("930708", "", "01012345678", &c), MOCK_CERT_BAD_GENDER_DIGIT);
    assert_int_equal(person("930708", "1", "02-123-4567", &c), MOCK_CERT_BAD_PHONE);
    assert_int_equal(person("930708", "1", "010-1234-56789", &c), MOCK_CERT_BAD_PHONE);
    assert_int_equal(person("930708", "1", "010/1234/5678", &c), MOCK_CERT_BAD_PHONE);
    struct cert_request rq = {.name = "a",
                              .phone = "01012345678",
                              .birth = "930708",
                              .gender_digit = "1",
                              .carrier = "SKT",
                              .is_mvno = true};
    assert_int_equal(cert_read_person(&rq, &c), MOCK_OK);
    assert_string_equal(c.carrier, "SKT_MVNO");
}

static void test_pg(void **state)
{
    (void)state;
    char pg[PG_PROVIDER_MAX + 1];
    assert_int_equal(cert_pg_provider(NULL, pg), MOCK_OK);
    assert_string_equal(pg, "danal");
    assert_int_equal(cert_pg_provider("danal.A010002002", pg), MOCK_OK);
    assert_string_equal(pg, "danal");
    assert_int_equal(cert_pg_provider("kcp_v2", pg), MOCK_OK);
    assert_string_equal(pg, "kcp_v2");
    assert_int_equal(cert_pg_provider("danalx", pg), MOCK_CERT_PG_UNSUPPORTED);
    assert_int_equal(cert_pg_provider("inicis_unified", pg), MOCK_CERT_PG_UNSUPPORTED);
}

static void test_identity(void **state)
{
    (void)state;
    char ci[CERT_CI_LEN + 1], di[CERT_DI_LEN + 1], ci2[CERT_CI_LEN + 1], di2[CERT_DI_LEN + 1];
    cert_identity("홍길동", "930708", "1", "01012345678", "imp00000000", "danal", ci, di);
    assert_int_equal(strlen(ci), 88);
    assert_int_equal(strlen(di), 64);
    assert_int_equal(strncmp(di, "MC0GCCqGSIb3DQIJAyEA", 20), 0);
    cert_identity("홍길동", "930708", "1", "01012345678", "imp00000000", "danal", ci2, di2);
    assert_string_equal(ci, ci2);
    assert_string_equal(di, di2);
    /* another merchant (or PG) sees another DI of the same CI */
    cert_identity("홍길동", "930708", "1", "01012345678", "imp11111111", "danal", ci2, di2);
    assert_string_equal(ci, ci2);
    assert_string_not_equal(di, di2);
    cert_identity("홍길동", "930708", "1", "01012345678", "imp00000000", "kcp_v2", ci2, di2);
    assert_string_not_equal(di, di2);
    /* another person, another CI */
    cert_identity("홍길동", "930709", "1", "01012345678", "imp00000000", "danal", ci2, di2);
    assert_string_not_equal(ci, ci2);
}

static void test_phones(void **state)
{
    (void)state;
    char d[PHONE_DIGITS_MAX + 1], pat[PHONE_PATTERN_MAX + 1];
    assert_true(phones_normalize("010-1234-5678", d));
    assert_string_equal(d, "01012345678");
    assert_true(phones_normalize("011 123 4567", d));
    assert_false(phones_normalize("02-1234-5678", d));
    assert_false(phones_normalize("010-123-456", d));
    assert_true(phones_pattern("010-0000-????", pat));
    assert_string_equal(pat, "0100000????");
    assert_false(phones_pattern("--", pat));
    struct test_phone list[2];
    memset(list, 0, sizeof list);
    snprintf(list[0].pattern, sizeof list[0].pattern, "01099999999");
    list[0].outcome = PHONE_REFUSE;
    snprintf(list[1].pattern, sizeof list[1].pattern, "010999*");
    struct phone_table t = {list, 2, "123456"};
    assert_ptr_equal(phones_find(&t, "01099999999"), &list[0]); /* the first match decides */
    assert_ptr_equal(phones_find(&t, "01099991234"), &list[1]);
    assert_null(phones_find(&t, "01012345678"));
}

/* ---- the code pair against a store ---- */

struct world {
    struct store *store;
    int tid;
    struct test_phone phones[2];
    struct phone_table table;
};

static int world_setup(void **state)
{
    static struct world w;
    memset(&w, 0, sizeof w);
    struct merchant m;
    memset(&m, 0, sizeof m);
    snprintf(m.imp_key, sizeof m.imp_key, "key");
    snprintf(m.merchant_code, sizeof m.merchant_code, "imp00000000");
    w.store = store_new();
    if (!w.store || store_tenant_add(w.store, &m, &w.tid) != MOCK_OK)
        return -1;
    snprintf(w.phones[0].pattern, sizeof w.phones[0].pattern, "01099999999");
    w.phones[0].outcome = PHONE_REFUSE;
    snprintf(w.phones[1].pattern, sizeof w.phones[1].pattern, "0100000????");
    w.phones[1].outcome = PHONE_SEND;
    w.phones[1].disclose = true;
    w.table = (struct phone_table){w.phones, 2, "123456"};
    *state = &w;
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    store_free(w->store);
    return 0;
}

static void test_code_pair(void **state)
{
    struct world *w = *state;
    struct cert_request rq = {.name = "홍길동",
                              .phone = "010-0000-1234",
                              .birth = "930708",
                              .gender_digit = "1",
                              .carrier = "SKT",
                              .merchant_uid = "m1"};
    struct certification c, got;
    char detail[CERT_DETAIL_MAX];
    assert_int_equal(cert_request_otp(w->store, w->tid, &w->table, &rq, &c, detail), MOCK_OK);
    assert_false(c.certified);
    assert_true(c.phone_disclosed);
    assert_string_equal(c.merchant_uid, "m1");
    assert_int_equal(strlen(c.pg_tid), 24);
    assert_int_equal(cert_confirm(w->store, w->tid, &w->table, c.imp_uid, NULL, &got, detail),
                     MOCK_PARAM_REQUIRED);
    assert_string_equal(detail, "otp");
    assert_int_equal(cert_confirm(w->store, w->tid, &w->table, c.imp_uid, "000000", &got, detail),
                     MOCK_CERT_OTP_MISMATCH);
    assert_int_equal(cert_confirm(w->store, w->tid, &w->table, c.imp_uid, "123456", &got, detail),
                     MOCK_OK);
    assert_true(got.certified);
    assert_true(got.certified_at > 0);
    assert_string_equal(got.unique_key, c.unique_key);
    assert_int_equal(cert_confirm(w->store, w->tid, &w->table, c.imp_uid, "123456", &got, detail),
                     MOCK_CERT_ALREADY);
    assert_int_equal(cert_confirm(w->store, w->tid, &w->table, "imp_0", "123456", &got, detail),
                     MOCK_CERT_NOT_FOUND);
    /* refused and unlisted phones */
    rq.phone = "010-9999-9999";
    assert_int_equal(cert_request_otp(w->store, w->tid, &w->table, &rq, &c, detail),
                     MOCK_CERT_PERSON_REFUSED);
    rq.phone = "010-1111-2222";
    assert_int_equal(cert_request_otp(w->store, w->tid, &w->table, &rq, &c, detail),
                     MOCK_CERT_PERSON_REFUSED);
    rq.phone = "010-0000-1234";
    rq.pg = "html5_inicis";
    assert_int_equal(cert_request_otp(w->store, w->tid, &w->table, &rq, &c, detail),
                     MOCK_CERT_PG_UNSUPPORTED);
    assert_string_equal(detail, "html5_inicis");
    /* APP: kcp_v2 only; danal ignores it */
    rq.pg = "kcp_v2";
    rq.verification_method = "APP";
    assert_int_equal(cert_request_otp(w->store, w->tid, &w->table, &rq, &c, detail), MOCK_OK);
    assert_true(c.by_app);
    assert_int_equal(cert_confirm(w->store, w->tid, &w->table, c.imp_uid, NULL, &got, detail),
                     MOCK_OK);
    rq.pg = NULL;
    assert_int_equal(cert_request_otp(w->store, w->tid, &w->table, &rq, &c, detail), MOCK_OK);
    assert_false(c.by_app);
    /* deletion */
    assert_int_equal(cert_delete(w->store, w->tid, c.imp_uid, &got, detail), MOCK_OK);
    assert_string_equal(got.imp_uid, c.imp_uid);
    assert_int_equal(cert_delete(w->store, w->tid, c.imp_uid, &got, detail), MOCK_CERT_NOT_FOUND);
    assert_int_equal(store_cert_get(w->store, w->tid, c.imp_uid, &got), MOCK_CERT_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person),
        cmocka_unit_test(test_pg),
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_phones),
        cmocka_unit_test_setup_teardown(test_code_pair, world_setup, world_teardown),
    };
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
