/* journal.c - see journal.h. */
#include "journal.h"

#include "cards.h"
#include "clock.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct journal_entry *ring; /* guarded by lock */
static size_t cap, head, count;    /* guarded by lock; head = next slot */
static uint64_t next_seq;          /* guarded by lock */

void journal_init(size_t capacity)
{
    cap = capacity;
    ring = capacity ? calloc(capacity, sizeof *ring) : NULL;
    if (!ring)
        cap = 0;
    head = count = 0;
    next_seq = 1;
}

static void entry_fini(struct journal_entry *e)
{
    free(e->path);
    free(e->request_body);
    free(e->response_body);
    memset(e, 0, sizeof *e);
}

void journal_fini(void)
{
    for (size_t i = 0; i < cap; i++)
        entry_fini(&ring[i]);
    free(ring);
    ring = NULL;
    cap = head = count = 0;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0) {
        n = 1;
        cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 2;
        cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t k = 1; k <= n; k++) {
        if ((s[k] & 0xc0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = (cp << 6) | (s[k] & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n + 1;
}

/* Replaces every byte that is not valid UTF-8 with '?': the journal is served
 * as JSON, and a refused body, a body cut at JOURNAL_BODY_MAX or a path with
 * %FF must not make GET /__mock/requests invalid. */
static void make_utf8(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p;) {
        if (*p < 0x80) { /* ASCII: nothing to check */
            p++;
            continue;
        }
        size_t n = utf8_seq(p);
        if (n == 0) {
            *p++ = '?';
            continue;
        }
        p += n;
    }
}

static char *copy_body(const char *s, size_t len, bool redact)
{
    if (!s)
        len = 0;
    if (len > JOURNAL_BODY_MAX)
        len = JOURNAL_BODY_MAX;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    if (len)
        memcpy(out, s, len);
    out[len] = '\0';
    if (redact) { /* a request: anything the client sent */
        if (cards_may_hold_number(out)) /* most bodies have no card number */
            cards_redact(out);
        make_utf8(out);
    } else if (len == JOURNAL_BODY_MAX) { /* our own answer, valid but maybe cut mid-character */
        size_t k = len;
        while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
            k--;
        if (k > 0 && (unsigned char)out[k - 1] >= 0xc0 && utf8_seq((unsigned char *)out + k - 1) == 0)
            out[k - 1] = '\0';
    }
    return out;
}

void journal_record(int tid, const char *method, const char *path, const char *query,
                    int status, const char *req_body, size_t req_len, const char *resp_body,
                    size_t resp_len)
{
    if (!cap)
        return;
    struct journal_entry e;
    memset(&e, 0, sizeof e);
    e.time = clock_now();
    e.tid = tid;
    size_t ml = strnlen(method, sizeof e.method - 1);
    memcpy(e.method, method, ml);
    e.method[ml] = '\0';
    size_t pl = strlen(path), ql = query && *query ? strlen(query) : 0;
    size_t plen = pl + (ql ? ql + 1 : 0);
    e.path = malloc(plen + 1);
    if (e.path) {
        memcpy(e.path, path, pl);
        if (ql) {
            e.path[pl] = '?';
            memcpy(e.path + pl + 1, query, ql);
        }
        e.path[plen] = '\0';
        cards_redact(e.path);
        make_utf8(e.path);
    }
    e.status = status;
    e.request_body = copy_body(req_body, req_len, true);
    e.response_body = copy_body(resp_body, resp_len, false);
    if (!e.path || !e.request_body || !e.response_body) {
        entry_fini(&e);
        return;
    }
    pthread_mutex_lock(&lock);
    e.seq = next_seq++;
    struct journal_entry old = ring[head];
    ring[head] = e;
    head = (head + 1) % cap;
    if (count < cap)
        count++;
    pthread_mutex_unlock(&lock);
    entry_fini(&old); /* free outside the lock */
}

static bool matches(const struct journal_entry *e, const struct journal_filter *f)
{
    if (f->method && strcmp(f->method, e->method) != 0)
        return false;
    if (f->path_prefix && strncmp(e->path, f->path_prefix, strlen(f->path_prefix)) != 0)
        return false;
    if (f->status && f->status != e->status)
        return false;
    if (f->tid != -2 && f->tid != e->tid)
        return false;
    return true;
}

struct journal_entry *journal_list(const struct journal_filter *f, size_t *ret_n)
{
    *ret_n = 0;
    pthread_mutex_lock(&lock);
    size_t n = 0;
    struct journal_entry *out = count ? calloc(count, sizeof *out) : NULL;
    /* walk newest to oldest, keep the newest `limit` matches */
    for (size_t k = 0; out && k < count; k++) {
        const struct journal_entry *e = &ring[(head + cap - 1 - k) % cap];
        if (!matches(e, f))
            continue;
        if (f->limit && n >= f->limit)
            break;
        out[n] = *e;
        out[n].path = strdup(e->path);
        out[n].request_body = strdup(e->request_body);
        out[n].response_body = strdup(e->response_body);
        n++;
        if (!out[n - 1].path || !out[n - 1].request_body || !out[n - 1].response_body)
            break;
    }
    pthread_mutex_unlock(&lock);
    /* oldest first */
    for (size_t i = 0; i < n / 2; i++) {
        struct journal_entry t = out[i];
        out[i] = out[n - 1 - i];
        out[n - 1 - i] = t;
    }
    *ret_n = n;
    return out;
}

void journal_list_free(struct journal_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_fini(&list[i]);
    free(list);
}

void journal_clear(int tid)
{
    pthread_mutex_lock(&lock);
    struct journal_entry *kept = count ? calloc(cap, sizeof *kept) : NULL;
    size_t nk = 0;
    struct journal_entry *drop = count ? calloc(cap, sizeof *drop) : NULL;
    size_t nd = 0;
    if (count && (!kept || !drop)) {
        pthread_mutex_unlock(&lock);
        free(kept);
        free(drop);
        return;
    }
    for (size_t k = 0; k < count; k++) {
        struct journal_entry *e = &ring[(head + cap - count + k) % cap];
        if (tid == -2 || e->tid == tid)
            drop[nd++] = *e;
        else
            kept[nk++] = *e;
        memset(e, 0, sizeof *e);
    }
    for (size_t i = 0; i < nk; i++)
        ring[i] = kept[i];
    count = nk;
    head = cap ? nk % cap : 0;
    pthread_mutex_unlock(&lock);
    for (size_t i = 0; i < nd; i++)
        entry_fini(&drop[i]);
    free(kept);
    free(drop);
}
