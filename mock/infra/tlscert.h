/*
 * tlscert.h - certificates for the HTTPS listener (tlsfront): a local
 * certificate authority that impmock creates once and keeps, the server
 * certificate it issues at every start for api.iamport.kr and the other
 * names a client reaches impmock by, or a certificate and key of the user's
 * own read from PEM files. OpenSSL's libcrypto does the cryptography.
 * Only main uses this module, at start-up, before any thread starts.
 *
 * A CA directory holds
 *   ca.pem       the CA certificate (0644): what clients are told to trust,
 *                readable by others (a test container sharing the volume)
 *   ca-key.pem   its private key (0600), for impmock's user alone
 *   ca.lock      locked while a CA is made, so impmocks starting together
 *                make one CA between them
 * Keys are EC P-256, signatures ECDSA with SHA-256. The issued certificate
 * and its key live in memory only.
 */
#ifndef IMPMOCK_TLSCERT_H
#define IMPMOCK_TLSCERT_H

#include <stdbool.h>
#include <stddef.h>

#define TLSCERT_NAME_MAX  253 /* bytes of a DNS name */
#define TLSCERT_CA_DAYS   3650
#define TLSCERT_LEAF_DAYS 397 /* the longest validity browsers accept */

struct tlscert_ca; /* a CA certificate and its key */
struct tlscert;    /* a server certificate, its chain and its key */
struct ssl_ctx_st; /* OpenSSL's SSL_CTX */

/* Whether s can name a certificate's subject: an IPv4 or IPv6 address, or a
 * DNS name (labels of letters, digits and inner '-', at most 63 bytes each,
 * optionally after a leading "*."). */
bool tlscert_name_ok(const char *s);

/* Where the CA lives: ca_dir when given, else STATE_DIR/tls, else
 * $XDG_DATA_HOME/impmock, else $HOME/.local/share/impmock. false with err
 * when there is none of them. */
bool tlscert_ca_dir(const char *ca_dir, const char *state_dir, char *ret_path, size_t len,
                    char *err, size_t errlen);
/* Loads the CA kept in dir, or makes dir and a new CA there when it holds
 * none (*ret_created says which). NULL with err, and dir as it was, when the
 * CA is incomplete, expired or unreadable. */
struct tlscert_ca *tlscert_ca_open(const char *dir, bool *ret_created, char *err, size_t errlen);
/* The CA certificate as PEM text; lives as long as ca. */
const char *tlscert_ca_pem(const struct tlscert_ca *ca);
void tlscert_ca_free(struct tlscert_ca *ca);

/* A new key and a certificate from ca for names[0..n), each an address (an
 * IP name) or a DNS name, duplicates dropped; the subject's common name is
 * names[0]. Valid from an hour ago (clients with a slow clock) for
 * TLSCERT_LEAF_DAYS, never past the CA. NULL with err. */
struct tlscert *tlscert_issue(const struct tlscert_ca *ca, const char *const *names, size_t n,
                              char *err, size_t errlen);
/* The certificate chain in cert_file (the server's first) and the key in
 * key_file, which must belong to the first certificate. NULL with err. */
struct tlscert *tlscert_load(const char *cert_file, const char *key_file, char *err, size_t errlen);
/* Makes ctx present c: its certificate, chain and key. false with err. */
bool tlscert_use(const struct tlscert *c, struct ssl_ctx_st *ctx, char *err, size_t errlen);
void tlscert_free(struct tlscert *c);

#endif
