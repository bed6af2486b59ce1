/* hmap.c - see hmap.h. Linear probing; tombstones are reclaimed on growth. */
#include "infra/hmap.h"

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

/* Moves the live entries to a table of ncap slots (a power of two with room
 * for them); false when out of memory (m unchanged). */
static bool rehash(struct hmap *m, size_t ncap)
{
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

static bool grow(struct hmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    if (m->live * 2 < m->cap) /* mostly tombstones: rehash at the same size */
        ncap = m->cap;
    return rehash(m, ncap);
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
    /* a map that emptied (a reset of many tenants) gives its memory back:
     * down to a quarter full, so the next puts do not grow it at once */
    if (m->cap > 64 && m->live * 8 < m->cap) {
        size_t ncap = 64;
        while (ncap < m->live * 4)
            ncap *= 2;
        rehash(m, ncap); /* out of memory: it keeps its size */
    }
    return true;
}

/* ---- hidx ---- */

#define HIDX_EMPTY   0u
#define HIDX_DELETED 1u

/* FNV-1a, then a finaliser (murmur3's): with linear probing the low bits
 * pick the slot, and ids such as "imp_100000000001" differ only at the end */
static uint32_t hidx_hash(const char *s)
{
    uint32_t h = hash_str(s);
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

void hidx_init(struct hidx *m)
{
    memset(m, 0, sizeof *m);
}

void hidx_fini(struct hidx *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* Index of key's slot, or of the first free one on its probe path (*ret_found false). */
static size_t hidx_find(const struct hidx *m, const char *key, uint32_t h, hidx_key_fn key_of,
                        const void *ud, bool *ret_found)
{
    size_t mask = m->cap - 1, free_at = SIZE_MAX;
    *ret_found = false;
    for (size_t i = h & mask, n = 0; n < m->cap; i = (i + 1) & mask, n++) {
        uint64_t s = m->slots[i];
        if (s == HIDX_EMPTY)
            return free_at != SIZE_MAX ? free_at : i;
        if (s == HIDX_DELETED) {
            if (free_at == SIZE_MAX)
                free_at = i;
            continue;
        }
        if ((uint32_t)(s >> 32) == h && strcmp(key_of(ud, (uint32_t)s - 2), key) == 0) {
            *ret_found = true;
            return i;
        }
    }
    return free_at;
}

static bool hidx_grow(struct hidx *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    if (m->live * 2 < m->cap) /* mostly deleted slots: rehash at the same size */
        ncap = m->cap;
    uint64_t *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        uint64_t s = m->slots[i];
        if (s == HIDX_EMPTY || s == HIDX_DELETED)
            continue;
        size_t j = (uint32_t)(s >> 32) & (ncap - 1);
        while (ns[j] != HIDX_EMPTY)
            j = (j + 1) & (ncap - 1);
        ns[j] = s;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    m->used = m->live;
    return true;
}

bool hidx_put(struct hidx *m, const char *key, uint32_t val, hidx_key_fn key_of, const void *ud)
{
    uint32_t h = hidx_hash(key);
    bool found = false;
    size_t i = m->cap ? hidx_find(m, key, h, key_of, ud, &found) : SIZE_MAX;
    if (found) {
        m->slots[i] = (uint64_t)h << 32 | ((uint64_t)val + 2);
        return true;
    }
    /* up to 7/8 full: slots are small, and probes compare hashes before keys */
    if ((m->used + 1) * 8 > m->cap * 7) {
        if (!hidx_grow(m))
            return false;
        i = hidx_find(m, key, h, key_of, ud, &found);
    }
    if (m->slots[i] == HIDX_EMPTY)
        m->used++;
    m->slots[i] = (uint64_t)h << 32 | ((uint64_t)val + 2);
    m->live++;
    return true;
}

bool hidx_get(const struct hidx *m, const char *key, uint32_t *ret_val, hidx_key_fn key_of,
              const void *ud)
{
    if (m->cap == 0)
        return false;
    bool found;
    size_t i = hidx_find(m, key, hidx_hash(key), key_of, ud, &found);
    if (!found)
        return false;
    *ret_val = (uint32_t)m->slots[i] - 2;
    return true;
}

bool hidx_del(struct hidx *m, const char *key, hidx_key_fn key_of, const void *ud)
{
    if (m->cap == 0)
        return false;
    bool found;
    size_t i = hidx_find(m, key, hidx_hash(key), key_of, ud, &found);
    if (!found)
        return false;
    m->slots[i] = HIDX_DELETED;
    m->live--;
    return true;
}
