/* conns.c - see conns.h. */
#include "http/conns.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* Used by the worker serving its connection only. */
struct conn {
    bool served;      /* a request was answered on it */
    bool answered;    /* see conns_answered */
    double opened_at; /* ms; when a worker took it */
};

struct conns {
    int workers;     /* read-only after conns_new */
    int timeout_ms;  /* read-only after conns_new */
    atomic_int open; /* connections a worker holds */
};

double conns_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct conns *conns_new(int workers, int timeout_ms)
{
    struct conns *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    cs->workers = workers;
    cs->timeout_ms = timeout_ms;
    atomic_init(&cs->open, 0);
    return cs;
}

void conns_free(struct conns *cs)
{
    free(cs);
}

struct conn *conns_open(struct conns *cs)
{
    atomic_fetch_add(&cs->open, 1);
    struct conn *c = calloc(1, sizeof *c);
    if (c)
        c->opened_at = conns_now_ms();
    return c;
}

void conns_close(struct conns *cs, struct conn *c)
{
    atomic_fetch_sub(&cs->open, 1);
    free(c);
}

double conns_begin(struct conns *cs, struct conn *c)
{
    double now = conns_now_ms();
    if (!c)
        return now + cs->timeout_ms;
    c->answered = false;
    /* the first request has the whole timeout from when its connection was
     * taken up; a later one from the end of its headers, as its idle wait
     * is not request time */
    return (c->served ? now : c->opened_at) + cs->timeout_ms;
}

bool conns_may_keep_alive(struct conns *cs)
{
    return atomic_load(&cs->open) < cs->workers;
}

void conns_end(struct conn *c)
{
    if (c)
        c->served = true;
}

void conns_set_answered(struct conn *c)
{
    if (c)
        c->answered = true;
}

bool conns_answered(const struct conn *c)
{
    return c && c->answered;
}
