/*
 * hmap.h - open-addressing hash index from a string to a uint32_t (an index
 * into an owner's array). Keys are borrowed: the owner keeps each key alive
 * and unchanged while it is in the map. Not thread-safe: the owner's lock
 * guards it.
 */
#ifndef IMPMOCK_HMAP_H
#define IMPMOCK_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
    const char *key; /* NULL: empty; HMAP_TOMBSTONE: deleted */
    uint32_t hash;
    uint32_t val;
};

struct hmap {
    struct hmap_slot *slots;
    size_t cap;  /* power of two, or 0 */
    size_t used; /* live + tombstones */
    size_t live;
};

void hmap_init(struct hmap *m);
void hmap_fini(struct hmap *m);
/* false only when memory runs out (the map is unchanged then). Replaces key and value. */
bool hmap_put(struct hmap *m, const char *key, uint32_t val);
bool hmap_get(const struct hmap *m, const char *key, uint32_t *ret_val);
bool hmap_del(struct hmap *m, const char *key);

/* ---- hidx: the same kind of index in 8 bytes a slot, for very many keys ----
 * A slot holds the key's 32-bit hash and the value only; the key itself is
 * asked of the owner, key_of(ud, val), when two hashes agree. Half the memory
 * of a hmap, and no key pointer to keep valid when the owner moves a record.
 * Values are below UINT32_MAX - 1. Not thread-safe: the owner's lock guards it. */
typedef const char *(*hidx_key_fn)(const void *ud, uint32_t val);

struct hidx {
    uint64_t *slots; /* hash << 32 | (val + 2); 0 = empty, 1 = deleted */
    size_t cap;      /* power of two, or 0 */
    size_t used;     /* live + deleted */
    size_t live;
};

void hidx_init(struct hidx *m);
void hidx_fini(struct hidx *m);
/* Adds key -> val, or replaces the value of key; false only when memory runs out. */
bool hidx_put(struct hidx *m, const char *key, uint32_t val, hidx_key_fn key_of, const void *ud);
bool hidx_get(const struct hidx *m, const char *key, uint32_t *ret_val, hidx_key_fn key_of,
              const void *ud);
bool hidx_del(struct hidx *m, const char *key, hidx_key_fn key_of, const void *ud);

#endif
