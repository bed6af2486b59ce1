/*
 * test_clock.c - clock.c: the virtual clock every time rule reads: set,
 * advance (both ways), freeze/unfreeze without a jump, reset to real time.
 */
#include "infra/clock.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <time.h>

static int reset(void **state)
{
    (void)state;
    clock_reset();
    return 0;
}

/* Real time moves while a test runs: allow this many seconds of drift. */
#define SLACK 2

static void near(int64_t got, int64_t want)
{
    if (got < want - SLACK || got > want + SLACK)
        fail_msg("clock reads %lld, expected %lld +- %d", (long long)got, (long long)want, SLACK);
}

static void test_starts_at_real_time(void **state)
{
    (void)state;
    assert_false(clock_is_frozen());
    near(clock_now(), (int64_t)time(NULL));
}

static void test_frozen_set_and_advance(void **state)
{
    (void)state;
    clock_freeze(true);
    assert_true(clock_is_frozen());
    clock_set(1700000000);
    assert_int_equal(clock_now(), 1700000000);
    clock_advance(1800);
    assert_int_equal(clock_now(), 1700001800);
    clock_advance(-3600);
    assert_int_equal(clock_now(), 1699998200);
    /* frozen means frozen: real seconds passing do not move it */
    struct timespec ts = {1, 100000000};
    nanosleep(&ts, NULL);
    assert_int_equal(clock_now(), 1699998200);
    clock_freeze(true); /* freezing again keeps the reading */
    assert_int_equal(clock_now(), 1699998200);
}

static void test_unfreeze_continues_from_reading(void **state)
{
    (void)state;
    clock_freeze(true);
    clock_set(1000000000);
    clock_freeze(false);
    assert_false(clock_is_frozen());
    near(clock_now(), 1000000000);
    /* a running clock can be set and advanced as well */
    clock_set(2000000000);
    near(clock_now(), 2000000000);
    clock_advance(86400);
    near(clock_now(), 2000086400);
    /* and frozen again exactly where it reads */
    clock_freeze(true);
    int64_t at = clock_now();
    near(at, 2000086400);
    clock_advance(1);
    assert_int_equal(clock_now(), at + 1);
}

static void test_reset_returns_to_real_time(void **state)
{
    (void)state;
    clock_freeze(true);
    clock_set(5);
    clock_reset();
    assert_false(clock_is_frozen());
    near(clock_now(), (int64_t)time(NULL));
}

/* February by the Gregorian rule: every 4th year, not every 100th, every 400th */
static void test_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(clock_days_in_month(2024, 2), 29);
    assert_int_equal(clock_days_in_month(2023, 2), 28);
    assert_int_equal(clock_days_in_month(1900, 2), 28);
    assert_int_equal(clock_days_in_month(2000, 2), 29);
    assert_int_equal(clock_days_in_month(2023, 4), 30);
    assert_int_equal(clock_days_in_month(2023, 12), 31);
}

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(clock_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(clock_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(clock_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(clock_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(clock_days_from_civil(1900, 3, 1), -25508);
}

/* clock_civil_of agrees with gmtime_r: every day boundary of 1900..2300 and
 * a spread of moments inside days, before 1970 too. */
static void test_civil_of_matches_gmtime(void **state)
{
    (void)state;
    const int64_t first = -2208988800LL, last = 10413792000LL; /* 1900-01-01, 2300-01-01 */
    for (int64_t t = first; t < last; t += 86400 + 3607) {     /* about 146,000 moments */
        for (int64_t at = t - 1; at <= t; at++) {
            time_t tt = (time_t)at;
            struct tm tm;
            assert_non_null(gmtime_r(&tt, &tm));
            struct clock_civil c;
            clock_civil_of(at, &c);
            if (c.year != tm.tm_year + 1900LL || c.month != tm.tm_mon + 1 || c.day != tm.tm_mday ||
                c.hour != tm.tm_hour || c.min != tm.tm_min || c.sec != tm.tm_sec)
                fail_msg("%lld: %lld-%d-%d %d:%d:%d", (long long)at, (long long)c.year, c.month,
                         c.day, c.hour, c.min, c.sec);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_starts_at_real_time, reset),
        cmocka_unit_test_setup(test_frozen_set_and_advance, reset),
        cmocka_unit_test_setup(test_unfreeze_continues_from_reading, reset),
        cmocka_unit_test_setup(test_reset_returns_to_real_time, reset),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_days_from_civil),
        cmocka_unit_test(test_civil_of_matches_gmtime),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
