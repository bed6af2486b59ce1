/* store_vbanks.c - the index of deposits scenarios scripted for virtual
 * accounts (reference §17.5), kept in step with the payments as they are
 * stored; see store.h. Few entries are expected (one per account a scenario
 * deposits into later), so it is a plain array searched in place. */
#include "state/store_internal.h"

#include <string.h>

/* Index of the entry for payment imp_uid of tenant tid, or -1. */
static long store__vbank_find(struct store *s, int tid, const char *imp_uid)
{
    store__assert_locked(s);
    for (size_t i = 0; i < s->n_vbank_due; i++)
        if (s->vbank_due[i].due.tid == tid && strcmp(s->vbank_due[i].due.imp_uid, imp_uid) == 0)
            return (long)i;
    return -1;
}

static void store__vbank_drop(struct store *s, size_t i)
{
    store__assert_locked(s);
    s->vbank_due[i] = s->vbank_due[--s->n_vbank_due];
}

bool store__vbank_reserve(struct store *s)
{
    store__assert_writing(s);
    return grow_array((void **)&s->vbank_due, &s->cap_vbank_due, s->n_vbank_due + 1,
                      sizeof *s->vbank_due);
}

void store__vbank_track(struct store *s, int tid, const struct payment *p)
{
    store__assert_writing(s);
    if (strcmp(p->pay_method, "vbank") != 0)
        return; /* only a virtual account can be in the index, and stays one */
    long i = store__vbank_find(s, tid, p->imp_uid);
    bool waiting = p->status == PAY_READY && p->vbank_deposit_at > 0;
    if (!waiting) {
        if (i >= 0)
            store__vbank_drop(s, (size_t)i);
        return;
    }
    if (i >= 0) {
        if (s->vbank_due[i].due.at != p->vbank_deposit_at) {
            s->vbank_due[i].due.at = p->vbank_deposit_at;
            s->vbank_due[i].seq = ++s->vbank_seq; /* rescripted: behind the others of its time */
        }
        return;
    }
    /* store__vbank_reserve made room */
    struct vbank_pending *e = &s->vbank_due[s->n_vbank_due++];
    memset(e, 0, sizeof *e);
    e->due.tid = tid;
    memcpy(e->due.imp_uid, p->imp_uid, sizeof e->due.imp_uid);
    e->due.at = p->vbank_deposit_at;
    e->seq = ++s->vbank_seq;
}

void store__vbanks_clear(struct store *s, const struct tenant *t)
{
    store__assert_locked(s);
    for (size_t i = s->n_vbank_due; i-- > 0;) {
        int tid = s->vbank_due[i].due.tid;
        if (tid >= 0 && (size_t)tid < s->n_tenants && s->tenants[tid] == t)
            store__vbank_drop(s, i);
    }
}

/* Whether entry a comes before entry b: earlier time, then scripting order. */
static bool before(const struct vbank_pending *a, const struct vbank_pending *b)
{
    return a->due.at != b->due.at ? a->due.at < b->due.at : a->seq < b->seq;
}

size_t store_vbank_due(struct store *s, int64_t until, size_t max, struct vbank_due *ret)
{
    size_t n = 0;
    store__lock_read(s);
    /* the max earliest due entries, by insertion into ret: max is small */
    uint64_t seqs[64];
    if (max > sizeof seqs / sizeof seqs[0])
        max = sizeof seqs / sizeof seqs[0];
    for (size_t i = 0; i < s->n_vbank_due && max; i++) {
        const struct vbank_pending *e = &s->vbank_due[i];
        if (e->due.at > until)
            continue;
        size_t k = n;
        while (k > 0) {
            struct vbank_pending prev = {ret[k - 1], seqs[k - 1]};
            if (!before(e, &prev))
                break;
            k--;
        }
        if (k == max)
            continue; /* later than every one kept, which are max already */
        size_t keep = n < max ? n : max - 1;
        memmove(&ret[k + 1], &ret[k], (keep - k) * sizeof *ret);
        memmove(&seqs[k + 1], &seqs[k], (keep - k) * sizeof *seqs);
        ret[k] = e->due;
        seqs[k] = e->seq;
        if (n < max)
            n++;
    }
    store__unlock(s);
    return n;
}
