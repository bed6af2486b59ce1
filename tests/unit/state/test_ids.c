/*
 * test_ids.c - ids.c: the formats of generated identifiers, and that a
 * seed gives the same sequence every time (snapshot-testable runs).
 */
#include "state/ids.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <string.h>

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static bool all_of(const char *s, const char *set)
{
    return s[strspn(s, set)] == '\0';
}

#define DIGITS "0123456789"
#define HEX    "0123456789abcdef"

static void test_imp_uid_formats(void **state)
{
    (void)state;
    ids_init(false, 0);
    for (int i = 0; i < 200; i++) {
        char uid[IDS_IMP_UID_MAX + 8];
        memset(uid, '#', sizeof uid);
        ids_imp_uid(false, uid);
        assert_int_equal(strlen(uid), 16);
        assert_memory_equal(uid, "imp_", 4);
        assert_true(all_of(uid + 4, DIGITS));
        ids_imp_uid(true, uid);
        assert_int_equal(strlen(uid), IDS_IMP_UID_MAX);
        assert_memory_equal(uid, "imps_", 5);
        assert_true(all_of(uid + 5, DIGITS));
        assert_int_equal(uid[IDS_IMP_UID_MAX + 1], '#'); /* nothing written past the NUL */
    }
}

static void test_tid_and_token_formats(void **state)
{
    (void)state;
    ids_init(false, 0);
    char tid[IDS_TID_LEN + 2], tok[IDS_TOKEN_LEN + 2];
    memset(tid, '#', sizeof tid);
    memset(tok, '#', sizeof tok);
    ids_kakao_tid(tid);
    assert_int_equal(strlen(tid), 20);
    assert_int_equal(tid[0], 'T');
    assert_true(all_of(tid + 1, HEX));
    assert_int_equal(tid[IDS_TID_LEN + 1], '#');
    ids_hex(tok, IDS_TOKEN_LEN);
    assert_int_equal(strlen(tok), 40);
    assert_true(all_of(tok, HEX));
    assert_int_equal(tok[IDS_TOKEN_LEN + 1], '#');
    /* odd lengths and lengths past one 64-byte block */
    char odd[8], big[301];
    ids_hex(odd, 7);
    assert_int_equal(strlen(odd), 7);
    assert_true(all_of(odd, HEX));
    ids_hex(big, 300);
    assert_int_equal(strlen(big), 300);
    assert_true(all_of(big, HEX));
}

static void test_hex_uses_every_digit(void **state)
{
    (void)state;
    /* both nibbles of every byte must reach the output: 16 * 50 tokens
     * without one of the 16 digits would mean a stuck nibble */
    for (int seeded = 0; seeded < 2; seeded++) {
        ids_init(seeded, 99);
        bool seen[16] = {false};
        bool even_pos[16] = {false};
        int twins = 0; /* the two digits of one byte equal: 1 in 16 by chance */
        for (int i = 0; i < 50; i++) {
            char tok[IDS_TOKEN_LEN + 1];
            ids_hex(tok, IDS_TOKEN_LEN);
            for (int k = 0; k < IDS_TOKEN_LEN; k++) {
                int d = (int)(strchr(HEX, tok[k]) - HEX);
                seen[d] = true;
                if (k % 2 == 0) {
                    even_pos[d] = true;
                    twins += tok[k] == tok[k + 1];
                }
            }
        }
        for (int d = 0; d < 16; d++) {
            assert_true(seen[d]);
            assert_true(even_pos[d]);
        }
        /* 1000 bytes: about 62 twins expected; a copied nibble would give 1000 */
        assert_true(twins < 200);
    }
}

struct run {
    char imp[5][IDS_IMP_UID_MAX + 1];
    char tok[3][IDS_TOKEN_LEN + 1];
    char tid[IDS_TID_LEN + 1];
};

static void generate(struct run *r)
{
    for (int i = 0; i < 5; i++)
        ids_imp_uid(i % 2, r->imp[i]);
    for (int i = 0; i < 3; i++)
        ids_hex(r->tok[i], IDS_TOKEN_LEN);
    ids_kakao_tid(r->tid);
}

static void test_seed_is_deterministic(void **state)
{
    (void)state;
    struct run a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    ids_init(true, 12345);
    generate(&a);
    generate(&c); /* the stream moves on */
    ids_init(true, 12345);
    generate(&b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_string_not_equal(a.tok[0], c.tok[0]);
    assert_string_not_equal(a.imp[0], c.imp[0]);
    /* within one run, successive ids differ */
    assert_string_not_equal(a.tok[0], a.tok[1]);
    assert_string_not_equal(a.imp[0], a.imp[2]);

    ids_init(true, 12346);
    generate(&c);
    assert_string_not_equal(a.tok[0], c.tok[0]);
    assert_string_not_equal(a.tid, c.tid);

    /* seed 0 is a seed too, and differs from OS randomness */
    ids_init(true, 0);
    generate(&a);
    ids_init(true, 0);
    generate(&b);
    assert_memory_equal(&a, &b, sizeof a);
    ids_init(false, 0);
    generate(&c);
    assert_string_not_equal(a.tok[0], c.tok[0]);
}

static void test_unseeded_differs_each_time(void **state)
{
    (void)state;
    ids_init(false, 0);
    char t1[IDS_TOKEN_LEN + 1], t2[IDS_TOKEN_LEN + 1];
    ids_hex(t1, IDS_TOKEN_LEN);
    ids_hex(t2, IDS_TOKEN_LEN);
    assert_string_not_equal(t1, t2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_imp_uid_formats),
        cmocka_unit_test(test_tid_and_token_formats),
        cmocka_unit_test(test_hex_uses_every_digit),
        cmocka_unit_test(test_seed_is_deterministic),
        cmocka_unit_test(test_unseeded_differs_each_time),
    };
    return cmocka_run_group_tests_name("ids", tests, setup, NULL);
}
