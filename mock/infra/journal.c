/* journal.c - see journal.h.
 * Every request is recorded, from every worker at once: one lock for the
 * whole ring made the workers queue on it, and a worker preempted while
 * holding it stalled all the others (the slowest answers doubled). Entry
 * number seq lives in slot (seq - 1) % cap, and the slots are guarded by a
 * few striped locks, so two requests meet on a lock only when their slots
 * share a stripe. Readers walk the numbers down from the newest. A slot keeps
 * its buffers for the next entry, so recording allocates nothing once the
 * ring is warm (no frees of another worker's memory, no malloc arena waits).
 * What an entry keeps is masked and cut in the worker's scratch buffer
 * before the stripe is locked: a worker preempted while holding a stripe
 * held it for a copy, not for the masking. */
#include "infra/journal.h"

#include "infra/clock.h"
#include "infra/redact.h"
#include "infra/scratch.h"
#include "infra/utf8.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STRIPES 64

static pthread_mutex_t stripes[STRIPES]; /* slot i is guarded by stripes[i % STRIPES] */
struct slot {
    struct journal_entry e; /* e.seq 0 = empty; the buffers stay for reuse */
    size_t path_cap, hdr_cap, req_cap, resp_cap;
};

static struct slot *ring;
static size_t cap;                    /* fixed after journal_init */
static atomic_uint_fast64_t next_seq; /* number of the next entry */

void journal_init(size_t capacity)
{
    cap = capacity;
    ring = capacity ? calloc(capacity, sizeof *ring) : NULL;
    if (!ring)
        cap = 0;
    for (size_t i = 0; i < STRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
    atomic_store(&next_seq, 1);
}

static pthread_mutex_t *stripe_of(size_t slot)
{
    return &stripes[slot % STRIPES];
}

static void entry_fini(struct journal_entry *e)
{
    free(e->path);
    free(e->headers);
    free(e->request_body);
    free(e->response_body);
    memset(e, 0, sizeof *e);
}

void journal_fini(void)
{
    for (size_t i = 0; i < cap; i++)
        entry_fini(&ring[i].e);
    free(ring);
    ring = NULL;
    cap = 0;
    for (size_t i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&stripes[i]);
}

/* Replaces every byte that is not valid UTF-8 with '?': the journal is served
 * as JSON, and a refused body, a body cut at JOURNAL_BODY_MAX or a path with
 * %FF must not make GET /__mock/requests invalid. Returns strlen(s). */
static size_t make_utf8(char *s)
{
    size_t len = strlen(s);
    if (utf8_valid(s, len)) /* nearly always: checked eight bytes at a time */
        return len;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(s + i, len - i);
        if (n == 0)
            s[i++] = '?';
        else
            i += n;
    }
    return len;
}

/* Makes *buf (capacity *bufcap) hold n bytes and a NUL. A buffer far larger
 * than needed is given back, so one huge body does not pin its size in the
 * slot for good. */
static bool fit(char **buf, size_t *bufcap, size_t n)
{
    size_t want = n + 1;
    if (*buf && *bufcap >= want && (*bufcap <= 4096 || want > *bufcap / 4))
        return true;
    size_t c = want < 256 ? 256 : want;
    char *b = realloc(*buf, c);
    if (!b)
        return false;
    *buf = b;
    *bufcap = c;
    return true;
}

/* How many of the first len bytes of s fit in max bytes once written as a
 * JSON string ("\u0001" takes 6, '"' takes 2): what is kept is bounded by
 * what GET /__mock/requests will have to write. */
static size_t fit_rendered(const char *s, size_t len, size_t max)
{
    if (len <= max / 6) /* fits even if every byte were a control byte */
        return len;
    size_t cost = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
            cost += 2;
        else if (c < 0x20)
            cost += 6;
        else
            cost++;
        if (cost > max)
            return i;
    }
    return len;
}

/* Writes s (len bytes) to out (REDACT_OUT_MAX(len) bytes), masked by mask
 * (redact_body or redact_target) when it may hold a secret, then made
 * valid UTF-8; never the text in clear when masking fails (out is then
 * empty). Returns the length kept, up to the first NUL. */
static size_t keep_masked(const char *s, size_t len, bool cut, char *out,
                          size_t (*mask)(const char *, size_t, bool, char *))
{
    if (!redact_may_hold_secret(s, len, cut)) { /* most requests hold none */
        memcpy(out, s, len);
        out[len] = '\0';
    } else {
        mask(s, len, cut, out);
    }
    return make_utf8(out);
}

/* How much of a credential a header value keeps: the scheme word
 * ("Bearer ") of an Authorization, then JOURNAL_CRED_SHOWN characters of a
 * long credential (none of a short one, which they would mostly give away),
 * then "****"; X-Admin-Token and cookies keep only "****". -1: not a
 * credential, kept whole. *ret_prefix is the bytes of value kept. */
static int credential_kept(const char *name, const char *value, size_t *ret_prefix)
{
    if (strcasecmp(name, "X-Admin-Token") == 0 || strcasecmp(name, "Cookie") == 0) {
        *ret_prefix = 0;
        return 0;
    }
    bool schemed =
        strcasecmp(name, "Authorization") == 0 || strcasecmp(name, "Proxy-Authorization") == 0;
    if (!schemed && strcasecmp(name, "X-ImpTokenHeader") != 0)
        return -1;
    const char *cred = value + strspn(value, " ");
    if (schemed && cred[strcspn(cred, " ")] == ' ') { /* "Bearer x": x is the credential */
        cred += strcspn(cred, " ");
        cred += strspn(cred, " ");
    }
    size_t len = strlen(cred);
    size_t shown = len >= 4 * JOURNAL_CRED_SHOWN ? JOURNAL_CRED_SHOWN : 0;
    *ret_prefix = (size_t)(cred - value) + shown;
    return 1;
}

/* Room the header lines may take in keep_headers. */
static size_t headers_room(const struct journal_header *h, size_t n)
{
    size_t need = 1;
    for (size_t i = 0; i < n; i++)
        need += strlen(h[i].name) + strlen(h[i].value) + 8; /* ": ", "****", "\n" */
    return need;
}

/* Writes the header lines to out (headers_room bytes), credentials masked,
 * cut at JOURNAL_HEADERS_MAX rendered bytes. Returns the length kept. */
static size_t keep_headers(const struct journal_header *h, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t prefix = 0;
        int kind = credential_kept(h[i].name, h[i].value, &prefix);
        size_t vlen = kind < 0 ? strlen(h[i].value) : prefix;
        size_t nl = strlen(h[i].name);
        memcpy(out + len, h[i].name, nl);
        len += nl;
        memcpy(out + len, ": ", 2);
        len += 2;
        for (size_t k = 0; k < vlen; k++) { /* one line each, whatever the value holds */
            char c = h[i].value[k];
            out[len++] = c == '\r' || c == '\n' ? ' ' : c;
        }
        if (kind >= 0) {
            memcpy(out + len, "****", 4);
            len += 4;
        }
        out[len++] = '\n';
    }
    out[fit_rendered(out, len, JOURNAL_HEADERS_MAX)] = '\0';
    return make_utf8(out);
}

/* Our own answer, cut at JOURNAL_BODY_MAX rendered bytes: valid UTF-8, but
 * a cut may fall inside a character, which is then dropped. */
static size_t answer_kept(const char *s, size_t len)
{
    size_t keep = fit_rendered(s, len, JOURNAL_BODY_MAX);
    if (keep < len) {
        size_t k = keep;
        while (k > 0 && ((unsigned char)s[k - 1] & 0xc0) == 0x80)
            k--;
        if (k > 0 && (unsigned char)s[k - 1] >= 0xc0 &&
            utf8_seq_len(s + k - 1, keep - (k - 1)) == 0)
            return k - 1;
    }
    return keep;
}

/* One request as an entry keeps it: path, headers, request and response body. */
enum { K_PATH, K_HEADERS, K_REQUEST, K_RESPONSE, K__COUNT };
struct kept {
    const char *text[K__COUNT];
    size_t len[K__COUNT];
};

/* Prepares what an entry keeps, masked, cut and made valid UTF-8, in the
 * worker's scratch buffer, before any lock is taken: the stripe lock is
 * then held only to copy it in. false when out of memory. */
static bool prepare(struct kept *k, const char *path, const char *query, const char *req_body,
                    size_t req_len, const char *resp_body, size_t resp_len,
                    const struct journal_header *headers, size_t n_headers)
{
    size_t pl = strlen(path), ql = query && *query ? strlen(query) : 0;
    size_t plen = pl + (ql ? ql + 1 : 0);
    if (!req_body)
        req_len = 0;
    size_t req_keep = fit_rendered(req_body, req_len, JOURNAL_BODY_MAX);
    size_t hroom = headers_room(headers, n_headers);
    /* the target as one string, then the three texts written for the entry */
    char *whole = scratch_get(SCRATCH_JOURNAL,
                              plen + 1 + REDACT_OUT_MAX(plen) + hroom + REDACT_OUT_MAX(req_keep));
    if (!whole)
        return false;
    char *target = whole + plen + 1, *hdr = target + REDACT_OUT_MAX(plen);
    char *req = hdr + hroom;
    memcpy(whole, path, pl);
    if (ql) {
        whole[pl] = '?';
        memcpy(whole + pl + 1, query, ql);
    }
    size_t keep = fit_rendered(whole, plen, JOURNAL_PATH_MAX);
    k->text[K_PATH] = target;
    k->len[K_PATH] = keep_masked(whole, keep, keep < plen, target, redact_target);
    k->text[K_HEADERS] = hdr;
    k->len[K_HEADERS] = keep_headers(headers, n_headers, hdr);
    /* anything the client sent is masked */
    k->text[K_REQUEST] = req;
    k->len[K_REQUEST] =
        keep_masked(req_body ? req_body : "", req_keep, req_keep < req_len, req, redact_body);
    k->text[K_RESPONSE] = resp_body ? resp_body : "";
    k->len[K_RESPONSE] = resp_body ? answer_kept(resp_body, resp_len) : 0;
    return true;
}

/* Copies n bytes of s and a NUL into *buf (capacity *bufcap). */
static bool put(char **buf, size_t *bufcap, const char *s, size_t n)
{
    if (!fit(buf, bufcap, n))
        return false;
    memcpy(*buf, s, n);
    (*buf)[n] = '\0';
    return true;
}

void journal_record(int tid, const char *method, const char *path, const char *query, int status,
                    const char *req_body, size_t req_len, const char *resp_body, size_t resp_len,
                    const struct journal_header *headers, size_t n_headers)
{
    if (!cap)
        return;
    struct kept k;
    memset(&k, 0, sizeof k); /* prepare fills it only when it succeeds: -O3 sees that */
    bool ready =
        prepare(&k, path, query, req_body, req_len, resp_body, resp_len, headers, n_headers);
    int64_t now = clock_now();
    uint64_t seq = atomic_fetch_add(&next_seq, 1);
    size_t idx = (size_t)((seq - 1) % cap);
    struct slot *sl = &ring[idx];
    pthread_mutex_lock(stripe_of(idx));
    /* an older number never overwrites a newer one: a worker descheduled
     * between numbering and storing finds its entry already out of the ring */
    if (sl->e.seq < seq) {
        struct journal_entry *e = &sl->e;
        e->seq = 0; /* not readable while being written or when a copy fails */
        if (ready && put(&e->path, &sl->path_cap, k.text[K_PATH], k.len[K_PATH]) &&
            put(&e->headers, &sl->hdr_cap, k.text[K_HEADERS], k.len[K_HEADERS]) &&
            put(&e->request_body, &sl->req_cap, k.text[K_REQUEST], k.len[K_REQUEST]) &&
            put(&e->response_body, &sl->resp_cap, k.text[K_RESPONSE], k.len[K_RESPONSE])) {
            e->time = now;
            e->tid = tid;
            size_t ml = strnlen(method, sizeof e->method - 1);
            memcpy(e->method, method, ml);
            e->method[ml] = '\0';
            e->status = status;
            e->seq = seq;
        }
    }
    pthread_mutex_unlock(stripe_of(idx));
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

/* Copies src into the scratch buffer *dst (capacity *dcap). */
static bool copy_text(char **dst, size_t *dcap, const char *src)
{
    size_t n = strlen(src);
    if (!fit(dst, dcap, n))
        return false;
    memcpy(*dst, src, n + 1);
    return true;
}

uint64_t journal_last_seq(void)
{
    return atomic_load(&next_seq) - 1;
}

/* Copies entry number seq into *copy (its buffers reused, capacities in
 * caps) when it is still in the ring and matches f; *ret_oom on a failed copy. */
static bool take_copy(uint64_t seq, const struct journal_filter *f, struct journal_entry *copy,
                      size_t caps[4], bool *ret_oom)
{
    size_t slot = (size_t)((seq - 1) % cap);
    pthread_mutex_lock(stripe_of(slot));
    const struct journal_entry *e = &ring[slot].e;
    bool take = e->seq == seq && matches(e, f); /* else cleared, or not stored yet */
    if (take) {
        char *path = copy->path, *hdr = copy->headers;
        char *req = copy->request_body, *resp = copy->response_body;
        *copy = *e;
        copy->path = path;
        copy->headers = hdr;
        copy->request_body = req;
        copy->response_body = resp;
        take = copy_text(&copy->path, &caps[0], e->path) &&
               copy_text(&copy->headers, &caps[1], e->headers) &&
               copy_text(&copy->request_body, &caps[2], e->request_body) &&
               copy_text(&copy->response_body, &caps[3], e->response_body);
        *ret_oom = *ret_oom || !take;
    }
    pthread_mutex_unlock(stripe_of(slot));
    return take;
}

bool journal_walk(const struct journal_filter *f, journal_fn fn, void *ud)
{
    uint64_t newest = atomic_load(&next_seq) - 1;
    if (f->before && f->before - 1 < newest)
        newest = f->before - 1;
    uint64_t oldest = atomic_load(&next_seq) - 1;
    oldest = oldest > cap ? oldest - cap : 0; /* numbers at or below are out of the ring */
    bool forward = f->since > 0;
    if (forward && f->since > oldest)
        oldest = f->since;
    struct journal_entry copy = {0};
    size_t caps[4] = {0, 0, 0, 0}, shown = 0;
    bool oom = false, more = true;
    /* newest down to oldest + 1, or (since) oldest + 1 up to newest */
    for (uint64_t i = 0; more && newest > oldest && i < newest - oldest; i++) {
        if (f->limit && shown >= f->limit)
            break;
        uint64_t seq = forward ? oldest + 1 + i : newest - i;
        if (take_copy(seq, f, &copy, caps, &oom)) {
            shown++;
            more = fn(&copy, ud);
        }
    }
    entry_fini(&copy);
    return !oom;
}

struct collect {
    struct journal_entry *out;
    size_t n, cap;
    bool oom;
};

static bool collect_one(const struct journal_entry *e, void *ud)
{
    struct collect *c = ud;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        struct journal_entry *n = realloc(c->out, ncap * sizeof *n);
        if (!n)
            return !(c->oom = true);
        c->out = n;
        c->cap = ncap;
    }
    struct journal_entry *d = &c->out[c->n];
    *d = *e;
    d->path = strdup(e->path);
    d->headers = strdup(e->headers);
    d->request_body = strdup(e->request_body);
    d->response_body = strdup(e->response_body);
    if (!d->path || !d->headers || !d->request_body || !d->response_body) {
        entry_fini(d); /* a short list rather than a hole */
        return !(c->oom = true);
    }
    c->n++;
    return true;
}

struct journal_entry *journal_list(const struct journal_filter *f, size_t *ret_n)
{
    struct collect c = {0};
    journal_walk(f, collect_one, &c);
    /* oldest first (a since walk is already) */
    for (size_t i = 0; !f->since && i < c.n / 2; i++) {
        struct journal_entry t = c.out[i];
        c.out[i] = c.out[c.n - 1 - i];
        c.out[c.n - 1 - i] = t;
    }
    *ret_n = c.n;
    return c.out;
}

void journal_list_free(struct journal_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_fini(&list[i]);
    free(list);
}

size_t journal_clear(int tid)
{
    /* emptied slots keep their place (readers find entries by number) and
     * their buffers */
    size_t n = 0;
    for (size_t slot = 0; slot < cap; slot++) {
        pthread_mutex_lock(stripe_of(slot));
        struct journal_entry *e = &ring[slot].e;
        if (e->seq && (tid == -2 || e->tid == tid)) {
            e->seq = 0;
            n++;
        }
        pthread_mutex_unlock(stripe_of(slot));
    }
    return n;
}
