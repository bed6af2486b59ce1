/*
 * digest.h - stable identifiers derived from data: SHA-512, HMAC-SHA-256
 * and base64, for values the real service derives from a person (the CI
 * and DI of an identity verification), so the same input always gives the
 * same value. Not for secrets.
 * Thread-safety: pure functions (libsodium is initialised before threads start).
 */
#ifndef IMPMOCK_DIGEST_H
#define IMPMOCK_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_SHA512_LEN     64
#define DIGEST_HMAC256_LEN    32
#define DIGEST_B64_LEN(bytes) (((bytes) + 2) / 3 * 4) /* padded, without the NUL */

void digest_sha512(const void *data, size_t len, uint8_t out[DIGEST_SHA512_LEN]);
void digest_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                        uint8_t out[DIGEST_HMAC256_LEN]);
/* Standard padded base64 of bin into out (DIGEST_B64_LEN(len) + 1 bytes). */
void digest_base64(const uint8_t *bin, size_t len, char *out);

#endif
