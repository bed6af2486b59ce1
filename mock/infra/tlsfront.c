/* tlsfront.c - see tlsfront.h. */
#include "infra/tlsfront.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLICE_MS 250 /* longest wait before a relay looks at the stop flag */
#define BUF_SIZE 16384

struct tlsfront {
    SSL_CTX *ctx;
    int listen_fd;
    int wake[2]; /* a byte on this pipe stops the acceptor */
    int port;
    struct sockaddr_storage upstream;
    socklen_t upstream_len;
    int max_conns;
    int handshake_timeout_ms;
    pthread_t acceptor;
    atomic_bool stopping;
    pthread_mutex_t lock; /* guards active */
    pthread_cond_t changed;
    int active; /* relays running */
};

/* One connection: TLS from the client, plain TCP to the HTTP listener. */
struct relay {
    struct tlsfront *f;
    int client, up;
    SSL *ssl;
    size_t up_len, up_off;         /* bytes of to_up pending, and sent of them */
    size_t client_len, client_off; /* the same for to_client */
    bool client_eof, up_eof;
    /* the buffers last: start_relay clears only what comes before them */
    char to_up[BUF_SIZE];     /* read from the client, not yet sent upstream */
    char to_client[BUF_SIZE]; /* read from upstream, not yet sent to the client */
};

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

static void set_nodelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* Polls fds for up to SLICE_MS; false once the front is stopping. */
static bool wait_slice(struct tlsfront *f, struct pollfd *fds, nfds_t n, int timeout_ms)
{
    if (atomic_load(&f->stopping))
        return false;
    int rc = poll(fds, n, timeout_ms < SLICE_MS ? timeout_ms : SLICE_MS);
    return (rc >= 0 || errno == EINTR) && !atomic_load(&f->stopping);
}

/* The TLS handshake, within the handshake timeout. */
static bool handshake(struct relay *r)
{
    double deadline = mono_ms() + r->f->handshake_timeout_ms;
    for (;;) {
        int rc = SSL_accept(r->ssl);
        if (rc == 1)
            return true;
        int e = SSL_get_error(r->ssl, rc);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
            return false; /* a refused protocol version, a bad record, a reset */
        double left = deadline - mono_ms();
        struct pollfd p = {r->client, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, 0};
        if (left <= 0 || !wait_slice(r->f, &p, 1, (int)left + 1))
            return false;
    }
}

/* Connects to the HTTP listener, waiting as long as a handshake may take. */
static bool connect_upstream(struct relay *r)
{
    const struct sockaddr *sa = (const struct sockaddr *)&r->f->upstream;
    r->up = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (r->up < 0 || !set_nonblocking(r->up))
        return false;
    set_nodelay(r->up);
    if (connect(r->up, sa, r->f->upstream_len) == 0)
        return true;
    if (errno != EINPROGRESS)
        return false;
    double deadline = mono_ms() + r->f->handshake_timeout_ms;
    struct pollfd p = {r->up, POLLOUT, 0};
    while (p.revents == 0) {
        double left = deadline - mono_ms();
        if (left <= 0 || !wait_slice(r->f, &p, 1, (int)left + 1))
            return false;
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    return getsockopt(r->up, SOL_SOCKET, SO_ERROR, &so_error, &len) == 0 && so_error == 0;
}

/* What an SSL call's failure means for the next poll of the client
 * socket: POLLIN or POLLOUT to wait for, 0 at the end of the stream, -1 to
 * give up (reset, TLS error). */
static int ssl_wait(const struct relay *r, int rc)
{
    switch (SSL_get_error(r->ssl, rc)) {
    case SSL_ERROR_WANT_READ:
        return POLLIN;
    case SSL_ERROR_WANT_WRITE:
        return POLLOUT;
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    default:
        return -1;
    }
}

/* Client to upstream: one step. Sets *moved when bytes moved, adds what
 * to wait for; false to end the relay. */
static bool step_to_up(struct relay *r, bool *moved, short *client_ev, short *up_ev)
{
    if (r->up_len == 0 && !r->client_eof) {
        int n = SSL_read(r->ssl, r->to_up, sizeof r->to_up);
        int w = n > 0 ? 1 : ssl_wait(r, n);
        if (w < 0)
            return false;
        if (n > 0) {
            r->up_len = (size_t)n;
            r->up_off = 0;
            *moved = true;
        } else if (w == 0) { /* close_notify: pass the half-close on */
            r->client_eof = true;
            shutdown(r->up, SHUT_WR);
            *moved = true;
        } else {
            *client_ev |= (short)w;
        }
    }
    if (r->up_len > 0) {
        ssize_t w = send(r->up, r->to_up + r->up_off, r->up_len - r->up_off, MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return false;
        if (w > 0) {
            r->up_off += (size_t)w;
            if (r->up_off == r->up_len)
                r->up_len = 0;
            *moved = true;
        } else {
            *up_ev |= POLLOUT;
        }
    }
    return true;
}

/* Upstream to client: one step, as step_to_up. */
static bool step_to_client(struct relay *r, bool *moved, short *client_ev, short *up_ev)
{
    if (r->client_len == 0 && !r->up_eof) {
        ssize_t n = recv(r->up, r->to_client, sizeof r->to_client, 0);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return false;
        if (n > 0) {
            r->client_len = (size_t)n;
            r->client_off = 0;
            *moved = true;
        } else if (n == 0) {
            r->up_eof = true;
            *moved = true;
        } else {
            *up_ev |= POLLIN;
        }
    }
    if (r->client_len > 0) {
        int n =
            SSL_write(r->ssl, r->to_client + r->client_off, (int)(r->client_len - r->client_off));
        int w = n > 0 ? 1 : ssl_wait(r, n);
        if (w <= 0)
            return false;
        if (n > 0) {
            r->client_off += (size_t)n;
            if (r->client_off == r->client_len)
                r->client_len = 0;
            *moved = true;
        } else {
            *client_ev |= (short)w;
        }
    }
    return true;
}

/* Moves bytes both ways until either side is done or the front stops. */
static void pump(struct relay *r)
{
    for (;;) {
        bool moved = false;
        short client_ev = 0, up_ev = 0;
        if (!step_to_up(r, &moved, &client_ev, &up_ev) ||
            !step_to_client(r, &moved, &client_ev, &up_ev))
            return;
        if (r->up_eof && r->client_len == 0) {
            SSL_shutdown(r->ssl); /* the server closed: say so, then close */
            return;
        }
        if (moved)
            continue;
        /* a side with nothing to wait for stays out: a closed socket would
         * report POLLHUP at once, again and again */
        struct pollfd p[2] = {{client_ev ? r->client : -1, client_ev, 0},
                              {up_ev ? r->up : -1, up_ev, 0}};
        if (!wait_slice(r->f, p, 2, SLICE_MS))
            return;
    }
}

static void give_slot(struct tlsfront *f)
{
    pthread_mutex_lock(&f->lock);
    f->active--;
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->lock);
}

static void *relay_main(void *arg)
{
    struct relay *r = arg;
    struct tlsfront *f = r->f;
    r->ssl = SSL_new(f->ctx);
    if (r->ssl && SSL_set_fd(r->ssl, r->client) == 1 && handshake(r) && connect_upstream(r))
        pump(r);
    SSL_free(r->ssl);
    ERR_clear_error(); /* this thread's error queue */
    close(r->client);
    if (r->up >= 0)
        close(r->up);
    free(r);
    give_slot(f);
    return NULL;
}

/* Waits for a free relay slot and takes it; false once stopping. */
static bool take_slot(struct tlsfront *f)
{
    pthread_mutex_lock(&f->lock);
    while (f->active >= f->max_conns && !atomic_load(&f->stopping)) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += SLICE_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&f->changed, &f->lock, &until);
    }
    bool ok = !atomic_load(&f->stopping);
    if (ok)
        f->active++;
    pthread_mutex_unlock(&f->lock);
    return ok;
}

/* Hands an accepted socket to a relay thread of its own. */
static void start_relay(struct tlsfront *f, int fd)
{
    struct relay *r = malloc(sizeof *r);
    pthread_attr_t attr;
    pthread_t t;
    bool ok = r && set_nonblocking(fd) && pthread_attr_init(&attr) == 0;
    if (ok) {
        memset(r, 0, offsetof(struct relay, to_up));
        r->f = f;
        r->client = fd;
        r->up = -1;
        set_nodelay(fd);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        ok = pthread_create(&t, &attr, relay_main, r) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!ok) {
        free(r);
        close(fd);
        give_slot(f);
    }
}

static void *accept_main(void *arg)
{
    struct tlsfront *f = arg;
    for (;;) {
        struct pollfd p[2] = {{f->listen_fd, POLLIN, 0}, {f->wake[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (atomic_load(&f->stopping))
            break;
        if (!(p[0].revents & POLLIN) || !take_slot(f))
            continue;
        int fd = accept(f->listen_fd, NULL, NULL);
        if (fd < 0) {
            give_slot(f);
            if (errno == EMFILE || errno == ENFILE) { /* out of descriptors: let relays end */
                struct timespec ts = {0, 50 * 1000000L};
                nanosleep(&ts, NULL);
            }
            continue;
        }
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        start_relay(f, fd);
    }
    return NULL;
}

/* The numeric address host:port; false when host is not an address. */
static bool resolve(const char *host, int port, struct sockaddr_storage *ret, socklen_t *ret_len)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    if (getaddrinfo(host, service, &hints, &res) != 0 || !res)
        return false;
    memcpy(ret, res->ai_addr, res->ai_addrlen);
    *ret_len = res->ai_addrlen;
    freeaddrinfo(res);
    return true;
}

static bool listen_on(struct tlsfront *f, const struct tlsfront_opts *o, char *err, size_t errlen)
{
    struct sockaddr_storage sa;
    socklen_t len = 0;
    if (!resolve(o->host, o->port, &sa, &len)) {
        snprintf(err, errlen, "TLS listener: %s is not an IP address", o->host);
        return false;
    }
    f->listen_fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (f->listen_fd < 0 ||
        setsockopt(f->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(f->listen_fd, (struct sockaddr *)&sa, len) != 0 || listen(f->listen_fd, 128) != 0 ||
        !set_nonblocking(f->listen_fd)) {
        snprintf(err, errlen, "cannot listen for TLS on %s port %d: %s", o->host, o->port,
                 strerror(errno));
        return false;
    }
    len = sizeof sa;
    if (getsockname(f->listen_fd, (struct sockaddr *)&sa, &len) != 0)
        return false;
    f->port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                             : ((struct sockaddr_in *)&sa)->sin_port);
    return true;
}

/* Picks HTTP/1.1 when the client offers ALPN: the only protocol served. */
static int choose_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned int inlen, void *arg)
{
    static const unsigned char http11[] = "\x08http/1.1";
    (void)ssl;
    (void)arg;
    unsigned char *chosen = NULL;
    if (SSL_select_next_proto(&chosen, outlen, http11, sizeof http11 - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

static SSL_CTX *make_ctx(const struct tlscert *cert, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    bool ok = ctx && SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 &&
              SSL_CTX_set_cipher_list(ctx, TLSFRONT_CIPHERS) == 1;
    if (!ok) {
        snprintf(err, errlen, "cannot set up TLS (OpenSSL)");
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_alpn_select_cb(ctx, choose_alpn, NULL);
    if (!tlscert_use(cert, ctx, err, errlen)) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

struct tlsfront *tlsfront_start(const struct tlsfront_opts *o, const struct tlscert *cert,
                                char *err, size_t errlen)
{
    struct tlsfront *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->listen_fd = f->wake[0] = f->wake[1] = -1;
    f->max_conns = o->max_conns > 0 ? o->max_conns : 1;
    f->handshake_timeout_ms = o->handshake_timeout_ms > 0 ? o->handshake_timeout_ms : 15000;
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->changed, NULL);
    bool ok = (f->ctx = make_ctx(cert, err, errlen)) != NULL;
    if (ok && !resolve(o->upstream_host, o->upstream_port, &f->upstream, &f->upstream_len)) {
        snprintf(err, errlen, "TLS listener: %s is not an IP address", o->upstream_host);
        ok = false;
    }
    ok = ok && listen_on(f, o, err, errlen);
    if (ok && (pipe(f->wake) != 0 || pthread_create(&f->acceptor, NULL, accept_main, f) != 0)) {
        snprintf(err, errlen, "cannot start the TLS listener: %s", strerror(errno));
        ok = false;
    }
    if (!ok) {
        if (f->listen_fd >= 0)
            close(f->listen_fd);
        for (int i = 0; i < 2; i++)
            if (f->wake[i] >= 0)
                close(f->wake[i]);
        SSL_CTX_free(f->ctx);
        pthread_cond_destroy(&f->changed);
        pthread_mutex_destroy(&f->lock);
        free(f);
        return NULL;
    }
    return f;
}

int tlsfront_port(const struct tlsfront *f)
{
    return f->port;
}

void tlsfront_stop(struct tlsfront *f)
{
    if (!f)
        return;
    atomic_store(&f->stopping, true);
    ssize_t w = write(f->wake[1], "x", 1);
    (void)w;
    pthread_join(f->acceptor, NULL);
    close(f->listen_fd);
    /* every relay sees the flag within SLICE_MS */
    pthread_mutex_lock(&f->lock);
    while (f->active > 0)
        pthread_cond_wait(&f->changed, &f->lock);
    pthread_mutex_unlock(&f->lock);
    close(f->wake[0]);
    close(f->wake[1]);
    SSL_CTX_free(f->ctx);
    pthread_cond_destroy(&f->changed);
    pthread_mutex_destroy(&f->lock);
    free(f);
}
