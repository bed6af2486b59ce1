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

#endif
