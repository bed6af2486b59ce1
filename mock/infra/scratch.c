/* scratch.c - see scratch.h. The buffers hang off a pthread key, whose
 * destructor frees them when a worker thread ends (a plain _Thread_local
 * pointer would leak them at every server stop). */
#include "infra/scratch.h"

#include <pthread.h>
#include <stdlib.h>

struct scratch {
    void *buf[SCRATCH__COUNT];
    size_t cap[SCRATCH__COUNT];
};

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static _Thread_local struct scratch *mine; /* this thread's, also held by key */

static void scratch_free(void *p)
{
    struct scratch *s = p;
    for (int i = 0; i < SCRATCH__COUNT; i++)
        free(s->buf[i]);
    free(s);
}

static void make_key(void)
{
    (void)pthread_key_create(&key, scratch_free);
}

static struct scratch *this_thread(void)
{
    if (mine)
        return mine;
    pthread_once(&once, make_key);
    struct scratch *s = calloc(1, sizeof *s);
    if (!s || pthread_setspecific(key, s) != 0) {
        free(s);
        return NULL;
    }
    return mine = s;
}

void *scratch_get(enum scratch_slot slot, size_t need)
{
    struct scratch *s = this_thread();
    if (!s)
        return NULL;
    size_t cap = s->cap[slot];
    if (cap >= need && (cap <= SCRATCH_KEEP || need > SCRATCH_KEEP))
        return s->buf[slot];
    size_t want = need < 4096 ? 4096 : need;
    /* nothing in it is kept: no realloc copying bytes nobody reads */
    free(s->buf[slot]);
    s->buf[slot] = malloc(want);
    s->cap[slot] = s->buf[slot] ? want : 0;
    return s->buf[slot];
}

void *scratch_grow(enum scratch_slot slot, size_t need)
{
    struct scratch *s = this_thread();
    if (!s)
        return NULL;
    if (s->cap[slot] >= need)
        return s->buf[slot];
    size_t want = s->cap[slot] ? s->cap[slot] : 4096;
    while (want < need)
        want *= 2;
    void *b = realloc(s->buf[slot], want);
    if (!b)
        return NULL;
    s->buf[slot] = b;
    s->cap[slot] = want;
    return b;
}
