/*
 * test_hmap.c - hmap.c: put/get/del, replacing values, growth with many
 * keys, and deletions (tombstones) that must neither hide keys further
 * along a probe chain nor make the table grow without bound.
 */
#include "infra/hmap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NKEYS 10000

/* The map borrows keys: they live here for the whole test. */
static char keys[NKEYS][16];

static int setup(void **state)
{
    (void)state;
    for (int i = 0; i < NKEYS; i++)
        snprintf(keys[i], sizeof keys[i], "key-%d", i);
    return 0;
}

/* FNV-1a, as hmap.c hashes, to build keys that share a home slot. */
static uint32_t fnv(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static void test_empty_map(void **state)
{
    (void)state;
    struct hmap m;
    uint32_t v = 77;
    hmap_init(&m);
    assert_false(hmap_get(&m, "x", &v));
    assert_int_equal(v, 77);
    assert_false(hmap_del(&m, "x"));
    hmap_fini(&m);
    hmap_fini(&m); /* twice is harmless */
}

static void test_put_get_replace_del(void **state)
{
    (void)state;
    struct hmap m;
    uint32_t v = 0;
    hmap_init(&m);
    assert_true(hmap_put(&m, "imp_1", 1));
    assert_true(hmap_put(&m, "imp_2", 2));
    assert_true(hmap_get(&m, "imp_1", &v));
    assert_int_equal(v, 1);
    /* the key is compared by content, not by pointer */
    char copy[] = "imp_2";
    assert_true(hmap_get(&m, copy, &v));
    assert_int_equal(v, 2);
    assert_true(hmap_put(&m, copy, 20));
    assert_int_equal(m.live, 2);
    assert_true(hmap_get(&m, "imp_2", &v));
    assert_int_equal(v, 20);
    assert_true(hmap_del(&m, "imp_1"));
    assert_false(hmap_get(&m, "imp_1", &v));
    assert_false(hmap_del(&m, "imp_1"));
    assert_int_equal(m.live, 1);
    assert_true(hmap_put(&m, "", 5)); /* the empty string is a key like any other */
    assert_true(hmap_get(&m, "", &v));
    assert_int_equal(v, 5);
    hmap_fini(&m);
}

static void test_many_keys_grow(void **state)
{
    (void)state;
    struct hmap m;
    uint32_t v;
    hmap_init(&m);
    for (uint32_t i = 0; i < NKEYS; i++)
        assert_true(hmap_put(&m, keys[i], i * 3));
    assert_int_equal(m.live, NKEYS);
    assert_true(m.cap >= NKEYS);
    assert_int_equal(m.cap & (m.cap - 1), 0); /* power of two */
    assert_true(m.used * 10 < m.cap * 7);     /* load factor kept under 0.7 */
    for (uint32_t i = 0; i < NKEYS; i++) {
        v = 0xffffffff;
        assert_true(hmap_get(&m, keys[i], &v));
        assert_int_equal(v, i * 3);
    }
    assert_false(hmap_get(&m, "key-10000", &v));
    /* delete the even keys; the odd ones stay reachable */
    for (int i = 0; i < NKEYS; i += 2)
        assert_true(hmap_del(&m, keys[i]));
    assert_int_equal(m.live, NKEYS / 2);
    for (uint32_t i = 0; i < NKEYS; i++) {
        bool found = hmap_get(&m, keys[i], &v);
        assert_int_equal(found, i % 2 == 1);
        if (found)
            assert_int_equal(v, i * 3);
    }
    /* and come back with new values */
    for (uint32_t i = 0; i < NKEYS; i += 2)
        assert_true(hmap_put(&m, keys[i], i + 1));
    assert_int_equal(m.live, NKEYS);
    for (uint32_t i = 0; i < NKEYS; i += 2) {
        assert_true(hmap_get(&m, keys[i], &v));
        assert_int_equal(v, i + 1);
    }
    hmap_fini(&m);
}

static void test_tombstone_keeps_probe_chain(void **state)
{
    (void)state;
    /* three keys with the same home slot in a 16-slot table */
    const char *same[3];
    size_t n = 0;
    uint32_t home = fnv(keys[0]) & 15;
    for (int i = 0; i < NKEYS && n < 3; i++)
        if ((fnv(keys[i]) & 15) == home)
            same[n++] = keys[i];
    assert_int_equal(n, 3);
    struct hmap m;
    uint32_t v;
    hmap_init(&m);
    assert_true(hmap_put(&m, same[0], 0));
    assert_true(hmap_put(&m, same[1], 1));
    assert_true(hmap_put(&m, same[2], 2));
    assert_int_equal(m.cap, 16);
    /* removing the first must not cut the chain to the others */
    assert_true(hmap_del(&m, same[0]));
    assert_true(hmap_get(&m, same[2], &v));
    assert_int_equal(v, 2);
    /* updating a key behind the tombstone must not add a second copy */
    assert_true(hmap_put(&m, same[2], 22));
    assert_int_equal(m.live, 2);
    assert_true(hmap_del(&m, same[2]));
    assert_false(hmap_get(&m, same[2], &v));
    assert_true(hmap_get(&m, same[1], &v));
    assert_int_equal(v, 1);
    /* re-adding reuses a deleted slot */
    size_t used = m.used;
    assert_true(hmap_put(&m, same[0], 100));
    assert_int_equal(m.used, used);
    assert_true(hmap_get(&m, same[0], &v));
    assert_int_equal(v, 100);
    hmap_fini(&m);
}

static void test_churn_does_not_grow(void **state)
{
    (void)state;
    /* put/delete cycles over ever new keys fill the table with tombstones;
     * growth must rehash them away instead of doubling forever */
    struct hmap m;
    uint32_t v;
    hmap_init(&m);
    for (int round = 0; round < NKEYS / 8; round++) {
        for (int k = 0; k < 8; k++)
            assert_true(hmap_put(&m, keys[round * 8 + k], (uint32_t)k));
        for (int k = 0; k < 8; k++)
            assert_true(hmap_del(&m, keys[round * 8 + k]));
        assert_int_equal(m.live, 0);
    }
    assert_true(m.cap <= 32);
    for (int i = 0; i < NKEYS; i++)
        assert_false(hmap_get(&m, keys[i], &v));
    hmap_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_map),
        cmocka_unit_test(test_put_get_replace_del),
        cmocka_unit_test(test_many_keys_grow),
        cmocka_unit_test(test_tombstone_keeps_probe_chain),
        cmocka_unit_test(test_churn_does_not_grow),
    };
    return cmocka_run_group_tests_name("hmap", tests, setup, NULL);
}
