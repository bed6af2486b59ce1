/* secret.c - see secret.h. */
#include "infra/secret.h"

#include "base/model.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

bool secret_equal(const char *a, const char *b)
{
    /* Secrets of usual size: both zero-padded to one fixed size and compared
     * in constant time, so neither content nor length shows in the time; a
     * fraction of the cost of hashing both on every getToken. */
    unsigned char pa[IMP_SECRET_MAX + 8], pb[IMP_SECRET_MAX + 8];
    _Static_assert(sizeof pa % 8 == 0, "compared in 8-byte words");
    size_t la = strlen(a), lb = strlen(b);
    if (la < sizeof pa && lb < sizeof pb) {
        memset(pa, 0, sizeof pa);
        memset(pb, 0, sizeof pb);
        memcpy(pa, a, la);
        memcpy(pb, b, lb);
        /* word by word, no early exit: the time is that of the full buffers */
        uint64_t diff = 0;
        for (size_t i = 0; i < sizeof pa; i += 8) {
            uint64_t wa, wb;
            memcpy(&wa, pa + i, 8);
            memcpy(&wb, pb + i, 8);
            diff |= wa ^ wb;
        }
        return diff == 0;
    }
    unsigned char ha[crypto_generichash_BYTES], hb[crypto_generichash_BYTES];
    /* longer ones: hash first so the comparison time does not depend on lengths either */
    crypto_generichash(ha, sizeof ha, (const unsigned char *)a, strlen(a), NULL, 0);
    crypto_generichash(hb, sizeof hb, (const unsigned char *)b, strlen(b), NULL, 0);
    return sodium_memcmp(ha, hb, sizeof ha) == 0;
}
