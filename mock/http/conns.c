/* conns.c - see conns.h. */
#include "http/conns.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define FD_SCAN_MAX   65536 /* descriptors tried when looking for a connection's socket */
#define IDLE_ATTEMPTS 4     /* idle connections checked per give-way before giving up */

/* Guarded by conns.lock unless said otherwise. */
struct conn {
    int fd;            /* its socket, -1 until found (then never changes) */
    bool busy;         /* a request is in a handler */
    bool served;       /* a request was answered on it */
    bool closing;      /* shut down to give way; civetweb has not closed it yet */
    bool watched;      /* its body is being read with a deadline */
    bool expired;      /* the deadline passed and its read side was shut */
    double opened_at;  /* ms; when a worker took it */
    double idle_since; /* ms; when its last answer was sent (or opened_at) */
    double deadline;   /* ms; while watched */
    bool answered;     /* owner thread only: see conns_answered */
    struct conn *prev, *next;
};

struct conns {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* the watchdog's: a nearer deadline, or stop */
    pthread_t watchdog;
    int workers;    /* read-only after conns_new */
    int timeout_ms; /* read-only after conns_new */
    struct conn *head;
    int open;         /* connections a worker holds (in the list) */
    int closing;      /* of which shut down to give way */
    double next_wake; /* ms the watchdog sleeps until, INFINITY: no deadline */
    bool stop;
};

double conns_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- the watchdog ---- */

/* Shuts the read side of every watched socket whose deadline passed;
 * returns the nearest deadline still ahead (INFINITY: none). Lock held. */
static double expire_due(struct conns *cs, double now)
{
    double next = INFINITY;
    for (struct conn *c = cs->head; c; c = c->next) {
        if (!c->watched || c->expired)
            continue;
        if (c->deadline <= now) {
            /* the blocked read returns at once; the answer can still be written */
            shutdown(c->fd, SHUT_RD);
            c->expired = true;
        } else if (c->deadline < next) {
            next = c->deadline;
        }
    }
    return next;
}

static void *watchdog_main(void *arg)
{
    struct conns *cs = arg;
    pthread_mutex_lock(&cs->lock);
    while (!cs->stop) {
        cs->next_wake = expire_due(cs, conns_now_ms());
        if (isinf(cs->next_wake)) {
            pthread_cond_wait(&cs->wake, &cs->lock);
            continue;
        }
        struct timespec until;
        until.tv_sec = (time_t)(cs->next_wake / 1e3);
        until.tv_nsec = (long)((cs->next_wake - (double)until.tv_sec * 1e3) * 1e6);
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&cs->wake, &cs->lock, &until);
    }
    pthread_mutex_unlock(&cs->lock);
    return NULL;
}

struct conns *conns_new(int workers, int timeout_ms)
{
    struct conns *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    cs->workers = workers;
    cs->timeout_ms = timeout_ms;
    cs->next_wake = INFINITY;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&cs->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&cs->lock, NULL);
    if (pthread_create(&cs->watchdog, NULL, watchdog_main, cs) != 0) {
        pthread_cond_destroy(&cs->wake);
        pthread_mutex_destroy(&cs->lock);
        free(cs);
        return NULL;
    }
    return cs;
}

void conns_free(struct conns *cs)
{
    if (!cs)
        return;
    pthread_mutex_lock(&cs->lock);
    cs->stop = true;
    pthread_cond_signal(&cs->wake);
    pthread_mutex_unlock(&cs->lock);
    pthread_join(cs->watchdog, NULL);
    for (struct conn *c = cs->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    pthread_cond_destroy(&cs->wake);
    pthread_mutex_destroy(&cs->lock);
    free(cs);
}

/* ---- giving way ---- */

/* Whether nothing arrived on c since its last answer: no byte waiting in the
 * kernel and none received since (civetweb may already hold the start of a
 * request it is reading). */
static bool quiet_since_answer(const struct conn *c, double now)
{
    int pending = 0;
    if (ioctl(c->fd, FIONREAD, &pending) != 0 || pending > 0)
        return false;
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    if (getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
        return false;
    /* tcpi_last_data_recv: ms since the last data came in (a few ms coarse) */
    return (double)ti.tcpi_last_data_recv + 10.0 >= now - c->idle_since;
}

/* Closes the connection idle the longest, if every worker is taken. Lock held. */
static void give_way(struct conns *cs)
{
    if (cs->open - cs->closing < cs->workers)
        return;
    double now = conns_now_ms();
    struct conn *tried[IDLE_ATTEMPTS];
    int n_tried = 0;
    while (n_tried < IDLE_ATTEMPTS) {
        struct conn *idlest = NULL;
        for (struct conn *c = cs->head; c; c = c->next) {
            bool skip = c->busy || c->closing || c->fd < 0 || c->watched;
            for (int i = 0; i < n_tried && !skip; i++)
                skip = tried[i] == c;
            if (!skip && (!idlest || c->idle_since < idlest->idle_since))
                idlest = c;
        }
        if (!idlest)
            return;
        if (quiet_since_answer(idlest, now)) {
            shutdown(idlest->fd, SHUT_RDWR); /* its worker sees the end and closes it */
            idlest->closing = true;
            cs->closing++;
            return;
        }
        tried[n_tried++] = idlest;
    }
}

struct conn *conns_open(struct conns *cs)
{
    struct conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = -1;
    c->opened_at = c->idle_since = conns_now_ms();
    pthread_mutex_lock(&cs->lock);
    c->next = cs->head;
    if (cs->head)
        cs->head->prev = c;
    cs->head = c;
    cs->open++;
    give_way(cs);
    pthread_mutex_unlock(&cs->lock);
    return c;
}

void conns_close(struct conns *cs, struct conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&cs->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        cs->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    cs->open--;
    if (c->closing)
        cs->closing--;
    pthread_mutex_unlock(&cs->lock);
    free(c);
}

/* ---- finding the socket ---- */

/* The port of a socket address, and its address as text. */
static int addr_port(const struct sockaddr_storage *sa, char *text, size_t cap)
{
    text[0] = '\0';
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, text, (socklen_t)cap);
        return ntohs(in->sin_port);
    }
    if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, text, (socklen_t)cap);
        return ntohs(in6->sin6_port);
    }
    return -1;
}

/* The descriptor connected from the request's peer to its server port, or
 * -1. The connection is alive while its request is served, so the match
 * stays its socket until civetweb closes it (after conns_close). */
static int find_socket(const struct mg_request_info *ri)
{
    struct rlimit rl;
    int limit = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < FD_SCAN_MAX ? (int)rl.rlim_cur
                                                                                : FD_SCAN_MAX;
    for (int fd = 0; fd < limit; fd++) {
        struct sockaddr_storage sa;
        socklen_t len = sizeof sa;
        char text[INET6_ADDRSTRLEN];
        if (getpeername(fd, (struct sockaddr *)&sa, &len) != 0 ||
            addr_port(&sa, text, sizeof text) != ri->remote_port ||
            strcmp(text, ri->remote_addr) != 0)
            continue;
        len = sizeof sa;
        if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 &&
            addr_port(&sa, text, sizeof text) == ri->server_port)
            return fd;
    }
    return -1;
}

/* ---- one request ---- */

double conns_begin(struct conns *cs, struct conn *c, const struct mg_request_info *ri)
{
    double now = conns_now_ms();
    if (!c)
        return now + cs->timeout_ms;
    c->answered = false;
    /* the socket is looked up outside the lock (a few hundred syscalls at
     * most, once per connection); only this worker sets c->fd */
    pthread_mutex_lock(&cs->lock);
    bool unknown = c->fd < 0 && !c->served;
    pthread_mutex_unlock(&cs->lock);
    int fd = unknown ? find_socket(ri) : -1;
    pthread_mutex_lock(&cs->lock);
    if (fd >= 0)
        c->fd = fd;
    c->busy = true;
    /* the first request had the whole timeout from when its connection was
     * taken up (civetweb's header wait counts from there too); a later one
     * from the end of its headers, as its idle wait is not request time */
    double start = c->served ? now : c->opened_at;
    pthread_mutex_unlock(&cs->lock);
    return start + cs->timeout_ms;
}

void conns_watch(struct conns *cs, struct conn *c, double deadline)
{
    if (!c)
        return;
    pthread_mutex_lock(&cs->lock);
    if (c->fd >= 0) {
        c->watched = true;
        c->expired = false;
        c->deadline = deadline;
        if (deadline < cs->next_wake)
            pthread_cond_signal(&cs->wake);
    }
    pthread_mutex_unlock(&cs->lock);
}

bool conns_unwatch(struct conns *cs, struct conn *c)
{
    if (!c)
        return false;
    pthread_mutex_lock(&cs->lock);
    bool expired = c->watched && c->expired;
    c->watched = false;
    pthread_mutex_unlock(&cs->lock);
    return expired;
}

bool conns_may_keep_alive(struct conns *cs)
{
    pthread_mutex_lock(&cs->lock);
    bool room = cs->open - cs->closing < cs->workers;
    pthread_mutex_unlock(&cs->lock);
    return room;
}

void conns_end(struct conns *cs, struct conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&cs->lock);
    c->busy = false;
    c->served = true;
    c->idle_since = conns_now_ms();
    pthread_mutex_unlock(&cs->lock);
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
