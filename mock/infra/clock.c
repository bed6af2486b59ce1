/* clock.c - see clock.h. */
#include "infra/clock.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t offset;    /* seconds added to real time; guarded by lock */
static bool frozen;       /* guarded by lock */
static int64_t frozen_at; /* reading while frozen; guarded by lock */

/* What clock_now reads, copied from the three above by every writer (under
 * lock) and read without the lock: every request reads the clock, a change
 * of it is rare. A seqlock: odd while a writer copies. */
static atomic_uint pub_seq;
static atomic_bool pub_frozen;
static _Atomic int64_t pub_value; /* frozen_at when frozen, else offset */

static void publish(void) /* lock held */
{
    atomic_fetch_add_explicit(&pub_seq, 1, memory_order_acq_rel);
    atomic_store_explicit(&pub_frozen, frozen, memory_order_relaxed);
    atomic_store_explicit(&pub_value, frozen ? frozen_at : offset, memory_order_relaxed);
    atomic_fetch_add_explicit(&pub_seq, 1, memory_order_acq_rel);
}

static int64_t real_now(void)
{
    return (int64_t)time(NULL);
}

int64_t clock_now(void)
{
    for (;;) {
        unsigned seq = atomic_load_explicit(&pub_seq, memory_order_acquire);
        bool f = atomic_load_explicit(&pub_frozen, memory_order_relaxed);
        int64_t v = atomic_load_explicit(&pub_value, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        if (!(seq & 1) && atomic_load_explicit(&pub_seq, memory_order_relaxed) == seq)
            return f ? v : real_now() + v;
    }
}

void clock_set(int64_t unix_seconds)
{
    pthread_mutex_lock(&lock);
    if (frozen)
        frozen_at = unix_seconds;
    else
        offset = unix_seconds - real_now();
    publish();
    pthread_mutex_unlock(&lock);
}

void clock_advance(int64_t seconds)
{
    pthread_mutex_lock(&lock);
    if (frozen)
        frozen_at += seconds;
    else
        offset += seconds;
    publish();
    pthread_mutex_unlock(&lock);
}

void clock_freeze(bool freeze)
{
    pthread_mutex_lock(&lock);
    if (freeze && !frozen) {
        frozen_at = real_now() + offset;
    } else if (!freeze && frozen) {
        offset = frozen_at - real_now();
    }
    frozen = freeze;
    publish();
    pthread_mutex_unlock(&lock);
}

bool clock_is_frozen(void)
{
    pthread_mutex_lock(&lock);
    bool f = frozen;
    pthread_mutex_unlock(&lock);
    return f;
}

void clock_reset(void)
{
    pthread_mutex_lock(&lock);
    offset = 0;
    frozen = false;
    frozen_at = 0;
    publish();
    pthread_mutex_unlock(&lock);
}

void clock_get_state(bool *ret_frozen, int64_t *ret_value)
{
    pthread_mutex_lock(&lock);
    *ret_frozen = frozen;
    *ret_value = frozen ? frozen_at : offset;
    pthread_mutex_unlock(&lock);
}

void clock_restore_state(bool is_frozen, int64_t value)
{
    pthread_mutex_lock(&lock);
    frozen = is_frozen;
    if (is_frozen)
        frozen_at = value;
    else
        offset = value;
    publish();
    pthread_mutex_unlock(&lock);
}

void clock_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ; /* interrupted by a signal: sleep the rest */
}

int clock_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

void clock_civil_of(int64_t unix_secs, struct clock_civil *ret)
{
    int64_t days = unix_secs / 86400, rem = unix_secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    /* the inverse of clock_days_from_civil: eras of 400 years from 0000-03-01 */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    ret->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    ret->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    ret->year = yoe + era * 400 + (ret->month <= 2);
    ret->hour = (int)(rem / 3600);
    ret->min = (int)(rem / 60 % 60);
    ret->sec = (int)(rem % 60);
}

/* Counts whole 400-year eras from 0000-03-01, so that the leap day ends its
 * year; 719468 is the day number of 1970-01-01 on that count. */
int64_t clock_days_from_civil(int64_t year, int64_t month, int64_t day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t yoe = year - era * 400;
    int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
