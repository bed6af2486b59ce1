/* ids.c - see ids.h. */
#include "state/ids.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static bool seeded;
static unsigned char seed_key[crypto_generichash_KEYBYTES]; /* fixed after ids_init */
static uint64_t counter;                                    /* guarded by lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void ids_init(bool use_seed, uint64_t seed)
{
    seeded = use_seed;
    counter = 0;
    memset(seed_key, 0, sizeof seed_key);
    memcpy(seed_key, &seed, sizeof seed);
}

void ids_bytes(void *buf, size_t len)
{
    if (!seeded) {
        randombytes_buf(buf, len);
        return;
    }
    /* Seeded: keyed BLAKE2b of a counter, one block per 64 bytes. */
    unsigned char *out = buf;
    while (len > 0) {
        size_t n = len < crypto_generichash_BYTES_MAX ? len : crypto_generichash_BYTES_MAX;
        if (n < crypto_generichash_BYTES_MIN)
            n = crypto_generichash_BYTES_MIN;
        unsigned char block[crypto_generichash_BYTES_MAX];
        pthread_mutex_lock(&lock);
        uint64_t c = counter++;
        pthread_mutex_unlock(&lock);
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
    snprintf(out, IDS_IMP_UID_MAX + 1, "%s%012llu", api ? "imps_" : "imp_",
             (unsigned long long)(r % 1000000000000ULL));
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
