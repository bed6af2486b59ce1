/* digest.c - see digest.h. */
#include "infra/digest.h"

#include <sodium.h>

void digest_sha512(const void *data, size_t len, uint8_t out[DIGEST_SHA512_LEN])
{
    crypto_hash_sha512(out, data, len);
}

void digest_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                        uint8_t out[DIGEST_HMAC256_LEN])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, data, len);
    crypto_auth_hmacsha256_final(&st, out);
}

void digest_base64(const uint8_t *bin, size_t len, char *out)
{
    sodium_bin2base64(out, DIGEST_B64_LEN(len) + 1, bin, len, sodium_base64_VARIANT_ORIGINAL);
}
