/* clock.c - see clock.h. */
#include "clock.h"

#include <pthread.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t offset; /* seconds added to real time; guarded by lock */
static bool frozen;    /* guarded by lock */
static int64_t frozen_at; /* reading while frozen; guarded by lock */

static int64_t real_now(void)
{
    return (int64_t)time(NULL);
}

int64_t clock_now(void)
{
    pthread_mutex_lock(&lock);
    int64_t now = frozen ? frozen_at : real_now() + offset;
    pthread_mutex_unlock(&lock);
    return now;
}

void clock_set(int64_t unix_seconds)
{
    pthread_mutex_lock(&lock);
    if (frozen)
        frozen_at = unix_seconds;
    else
        offset = unix_seconds - real_now();
    pthread_mutex_unlock(&lock);
}

void clock_advance(int64_t seconds)
{
    pthread_mutex_lock(&lock);
    if (frozen)
        frozen_at += seconds;
    else
        offset += seconds;
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
    pthread_mutex_unlock(&lock);
}
