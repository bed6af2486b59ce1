/* ids.c - see ids.h. */
#include "state/ids.h"

#include <assert.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

static bool seeded;
static unsigned char seed_key[crypto_generichash_KEYBYTES]; /* fixed after ids_init */
static atomic_uint_fast64_t counter;                        /* of the seeded stream */

/* OS randomness taken a block at a time by each thread: a charge needs
 * three ids, and a getrandom call for each cost more than making them. */
#define POOL_BYTES 256
static _Thread_local unsigned char pool[POOL_BYTES];
static _Thread_local size_t pool_left; /* unused bytes at the end of pool */

void ids_init(bool use_seed, uint64_t seed)
{
    seeded = use_seed;
    atomic_store(&counter, 0);
    memset(seed_key, 0, sizeof seed_key);
    memcpy(seed_key, &seed, sizeof seed);
}

static void pool_take(unsigned char *out, size_t len)
{
    while (len > 0) {
        if (pool_left == 0) {
            randombytes_buf(pool, sizeof pool);
            pool_left = sizeof pool;
        }
        size_t take = len < pool_left ? len : pool_left;
        unsigned char *from = pool + sizeof pool - pool_left;
        memcpy(out, from, take);
        sodium_memzero(from, take); /* handed out once */
        out += take;
        len -= take;
        pool_left -= take;
    }
}

void ids_bytes(void *buf, size_t len)
{
    if (!seeded) {
        pool_take(buf, len);
        return;
    }
    /* Seeded: keyed BLAKE2b of a counter, one block per 64 bytes. */
    unsigned char *out = buf;
    while (len > 0) {
        size_t n = len < crypto_generichash_BYTES_MAX ? len : crypto_generichash_BYTES_MAX;
        if (n < crypto_generichash_BYTES_MIN)
            n = crypto_generichash_BYTES_MIN;
        unsigned char block[crypto_generichash_BYTES_MAX];
        uint64_t c = atomic_fetch_add(&counter, 1);
        crypto_generichash(block, n, (const unsigned char *)&c, sizeof c, seed_key,
                           sizeof seed_key);
        size_t take = len < n ? len : n;
        memcpy(out, block, take);
        out += take;
        len -= take;
    }
}

void ids_imp_uid(bool api, char *out)
{
    uint64_t r;
    ids_bytes(&r, sizeof r);
    /* "%s%012llu" written by hand: every charge makes one */
    const char *prefix = api ? "imps_" : "imp_";
    size_t pl = strlen(prefix);
    memcpy(out, prefix, pl);
    uint64_t v = r % 1000000000000ULL;
    for (int i = 11; i >= 0; i--) {
        out[pl + (size_t)i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[pl + 12] = '\0';
}

void ids_hex(char *out, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char raw[64];
    size_t done = 0;
    while (done < n) {
        size_t chunk = (n - done + 1) / 2;
        if (chunk > sizeof raw)
            chunk = sizeof raw;
        ids_bytes(raw, chunk);
        for (size_t i = 0; i < chunk * 2 && done < n; i++)
            out[done++] = digits[(raw[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
    }
    out[n] = '\0';
}

void ids_kakao_tid(char *out)
{
    out[0] = 'T';
    ids_hex(out + 1, IDS_TID_LEN - 1);
}

void ids_secret_hex(char *out, size_t n)
{
    unsigned char raw[IDS_SECRET_HEX_MAX / 2];
    assert(n % 2 == 0 && n <= IDS_SECRET_HEX_MAX);
    randombytes_buf(raw, n / 2);
    sodium_bin2hex(out, n + 1, raw, n / 2);
    sodium_memzero(raw, sizeof raw);
}
