/*
 * tlsfront.h - the HTTPS listener. It accepts TLS 1.2 and 1.3 on a port of
 * its own and relays the plain bytes of each connection to impmock's HTTP
 * listener over loopback, so an HTTPS request takes exactly the path of a
 * plain one (routes, journal, scenarios, access log; the log shows the
 * relay's loopback address as the client's).
 *
 * Why not civetweb's own TLS: Debian 12's civetweb 1.15 looks up
 * SSL_get_peer_certificate in libssl, a name OpenSSL 3 no longer exports,
 * and calls the missing function on the first handshake (a crash). OpenSSL's
 * libssl, linked normally, does the TLS here instead.
 *
 * One thread accepts; each connection gets a thread of its own, at most
 * max_conns at once (further clients wait in the listen queue). A client
 * has handshake_timeout_ms to finish its handshake; after that the HTTP
 * listener's own timeouts end idle connections, which ends their relay.
 */
#ifndef IMPMOCK_TLSFRONT_H
#define IMPMOCK_TLSFRONT_H

#include "infra/tlscert.h"

#include <stdbool.h>
#include <stddef.h>

#define TLSFRONT_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20" /* TLS 1.2; 1.3 keeps its defaults */

struct tlsfront_opts {
    const char *host;          /* address to listen on */
    int port;                  /* 0 = any free port */
    const char *upstream_host; /* the HTTP listener's address (not 0.0.0.0) */
    int upstream_port;
    int max_conns;            /* connections relayed at once */
    int handshake_timeout_ms; /* time a client has to finish the handshake */
};

struct tlsfront;

/* Listens and starts accepting; cert is copied into the listener's TLS
 * context, so the caller may free it afterwards. NULL with err. */
struct tlsfront *tlsfront_start(const struct tlsfront_opts *o, const struct tlscert *cert,
                                char *err, size_t errlen);
/* The port actually bound. */
int tlsfront_port(const struct tlsfront *f);
/* Stops accepting, ends every relay (within about a quarter of a second),
 * and frees f (NULL allowed). */
void tlsfront_stop(struct tlsfront *f);

#endif
