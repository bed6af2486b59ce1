/* hmap.c - see hmap.h. Linear probing; tombstones are reclaimed on growth. */
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

static const char tombstone_mark;
#define HMAP_TOMBSTONE (&tombstone_mark)

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

void hmap_init(struct hmap *m)
{
    memset(m, 0, sizeof *m);
}

void hmap_fini(struct hmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static struct hmap_slot *find(const struct hmap *m, const char *key, uint32_t h)
{
    if (m->cap == 0)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask, n = 0; n < m->cap; i = (i + 1) & mask, n++) {
        struct hmap_slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->key != HMAP_TOMBSTONE && s->hash == h && strcmp(s->key, key) == 0)
            return s;
    }
    return NULL;
}

static bool grow(struct hmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    if (m->live * 2 < m->cap) /* mostly tombstones: rehash at the same size */
        ncap = m->cap;
    struct hmap_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        struct hmap_slot *s = &m->slots[i];
        if (!s->key || s->key == HMAP_TOMBSTONE)
            continue;
        size_t j = s->hash & (ncap - 1);
        while (ns[j].key)
            j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    m->used = m->live;
    return true;
}

bool hmap_put(struct hmap *m, const char *key, uint32_t val)
{
    uint32_t h = hash_str(key);
    struct hmap_slot *s = find(m, key, h);
    if (s) {
        s->key = key;
        s->val = val;
        return true;
    }
    if ((m->used + 1) * 10 >= m->cap * 7 && !grow(m))
        return false;
    size_t mask = m->cap - 1;
    size_t i = h & mask;
    while (m->slots[i].key && m->slots[i].key != HMAP_TOMBSTONE)
        i = (i + 1) & mask;
    if (!m->slots[i].key)
        m->used++;
    m->slots[i].key = key;
    m->slots[i].hash = h;
    m->slots[i].val = val;
    m->live++;
    return true;
}

bool hmap_get(const struct hmap *m, const char *key, uint32_t *ret_val)
{
    struct hmap_slot *s = find(m, key, hash_str(key));
    if (!s)
        return false;
    *ret_val = s->val;
    return true;
}

bool hmap_del(struct hmap *m, const char *key)
{
    struct hmap_slot *s = find(m, key, hash_str(key));
    if (!s)
        return false;
    s->key = HMAP_TOMBSTONE;
    m->live--;
    return true;
}
