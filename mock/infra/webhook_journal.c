/* webhook_journal.c - see webhook_journal.h. A ring of the newest attempts
 * under its own mutex. */
#include "infra/webhook_journal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t jmu = PTHREAD_MUTEX_INITIALIZER;
static struct webhook_attempt *ring; /* size entries; guarded by jmu */
static size_t size;                  /* 0 = nothing kept */
static size_t head, count;           /* oldest entry, entries kept */
static uint64_t seq;                 /* last number given */

void webhook_journal_free_one(struct webhook_attempt *a)
{
    free(a->error);
    free(a->url);
    free(a->body);
    memset(a, 0, sizeof *a);
}

static bool attempt_copy(struct webhook_attempt *dst, const struct webhook_attempt *src)
{
    *dst = *src;
    dst->error = src->error ? strdup(src->error) : NULL;
    dst->url = strdup(src->url ? src->url : "");
    dst->body = strdup(src->body ? src->body : "");
    if ((src->error && !dst->error) || !dst->url || !dst->body) {
        webhook_journal_free_one(dst);
        return false;
    }
    return true;
}

static struct webhook_attempt *at(size_t i)
{
    return &ring[(head + i) % size];
}

bool webhook_journal_init(size_t n)
{
    pthread_mutex_lock(&jmu);
    ring = n ? calloc(n, sizeof *ring) : NULL;
    size = ring ? n : 0;
    head = count = 0;
    pthread_mutex_unlock(&jmu);
    return n == 0 || ring != NULL;
}

void webhook_journal_fini(void)
{
    pthread_mutex_lock(&jmu);
    for (size_t i = 0; i < count; i++)
        webhook_journal_free_one(at(i));
    free(ring);
    ring = NULL;
    size = head = count = 0;
    pthread_mutex_unlock(&jmu);
}

void webhook_journal_add(const struct webhook_attempt *a)
{
    struct webhook_attempt copy;
    if (!attempt_copy(&copy, a))
        return; /* out of memory: this attempt goes unrecorded */
    pthread_mutex_lock(&jmu);
    if (size == 0) {
        pthread_mutex_unlock(&jmu);
        webhook_journal_free_one(&copy);
        return;
    }
    copy.seq = ++seq;
    if (count == size) {
        webhook_journal_free_one(at(0));
        *at(0) = copy;
        head = (head + 1) % size;
    } else {
        *at(count) = copy;
        count++;
    }
    pthread_mutex_unlock(&jmu);
}

static bool matches(const struct webhook_attempt *a, const struct webhook_filter *f)
{
    return (f->tid == -2 || a->tid == f->tid) &&
           (f->http_status < 0 || a->http_status == f->http_status) &&
           (f->id == 0 || a->id == f->id) &&
           (!f->merchant_uid || strcmp(a->merchant_uid, f->merchant_uid) == 0);
}

struct webhook_attempt *webhook_journal_list(const struct webhook_filter *f, size_t *ret_n)
{
    struct webhook_attempt *out = NULL;
    size_t n = 0, found = 0;
    pthread_mutex_lock(&jmu);
    for (size_t i = 0; i < count; i++)
        found += matches(at(i), f);
    size_t skip = f->limit && found > f->limit ? found - f->limit : 0;
    out = found > skip ? calloc(found - skip, sizeof *out) : NULL;
    for (size_t i = 0; out && i < count; i++) {
        const struct webhook_attempt *a = at(i);
        if (!matches(a, f))
            continue;
        if (skip > 0) {
            skip--;
            continue;
        }
        if (attempt_copy(&out[n], a))
            n++;
    }
    pthread_mutex_unlock(&jmu);
    *ret_n = n;
    return out;
}

void webhook_journal_free(struct webhook_attempt *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        webhook_journal_free_one(&list[i]);
    free(list);
}

bool webhook_journal_last(uint64_t id, struct webhook_attempt *ret, int *ret_attempts)
{
    const struct webhook_attempt *last = NULL;
    int attempts = 0;
    bool ok = false;
    pthread_mutex_lock(&jmu);
    for (size_t i = 0; i < count; i++) {
        const struct webhook_attempt *a = at(i);
        if (a->id != id)
            continue;
        last = a;
        if (a->attempt > attempts)
            attempts = a->attempt;
    }
    if (last && attempt_copy(ret, last)) {
        *ret_attempts = attempts;
        ok = true;
    }
    pthread_mutex_unlock(&jmu);
    return ok;
}

void webhook_journal_forget(int tid)
{
    pthread_mutex_lock(&jmu);
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        struct webhook_attempt *a = at(i);
        if (tid == -2 || a->tid == tid) {
            webhook_journal_free_one(a);
            continue;
        }
        struct webhook_attempt keep = *a;
        memset(a, 0, sizeof *a);
        *at(kept) = keep;
        kept++;
    }
    count = kept;
    pthread_mutex_unlock(&jmu);
}
