/*
 * ids.h - identifiers in the formats the real service uses: imp_uid
 * ("imp_"/"imps_" + 12 digits), Kakao Pay TIDs ("T" + 19 hex), access tokens
 * (40 hex), cancellation ids, receipt hashes. Random from libsodium, or a
 * deterministic stream when seeded (--seed), so runs can be snapshot-tested.
 * Thread-safety: callable from any thread; each thread draws OS randomness
 * from a block of its own, the seeded stream numbers its blocks atomically.
 */
#ifndef IMPMOCK_IDS_H
#define IMPMOCK_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDS_IMP_UID_MAX    17 /* "imps_" + 12 digits */
#define IDS_TOKEN_LEN      40
#define IDS_TID_LEN        20
#define IDS_SECRET_HEX_MAX 128

/* Call once before any thread starts (after sodium_init). seeded=false: OS randomness. */
void ids_init(bool seeded, uint64_t seed);
/* Fill `buf` with `len` random (or seeded) bytes. */
void ids_bytes(void *buf, size_t len);
/* "imp_" (api=false) or "imps_" (api=true) + 12 digits; out holds IDS_IMP_UID_MAX + 1. */
void ids_imp_uid(bool api, char *out);
/* `n` lowercase hex characters plus NUL; out holds n + 1. */
void ids_hex(char *out, size_t n);
/* Kakao Pay TID: "T" + 19 hex; out holds IDS_TID_LEN + 1. */
void ids_kakao_tid(char *out);
/* A secret: `n` (even, at most IDS_SECRET_HEX_MAX) lowercase hex characters
 * plus NUL, always from the OS generator, even under --seed: a seeded
 * stream can be replayed, a secret must not be. */
void ids_secret_hex(char *out, size_t n);

#endif
