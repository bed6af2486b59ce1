/* receiver.c - see receiver.h. */
#include "receiver.h"

#include "common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RX_REQ_MAX 65536 /* bytes of one request */

struct receiver {
    int fd;
    int port;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool stop;                       /* guarded by mu */
    struct rx_msg msgs[RX_MAX_MSGS]; /* guarded by mu */
    size_t n;
    int script[RX_SCRIPT_MAX];
    size_t n_script, script_pos;
};

static void rx_die(const char *what)
{
    fprintf(stderr, "receiver: %s: %s\n", what, strerror(errno));
    exit(98);
}

/* Reads one request (headers, then Content-Length bytes) within 5 s. */
static bool read_request(int c, char *buf, size_t cap, size_t *ret_len, size_t *ret_head)
{
    size_t len = 0, head = 0, want = 0;
    double deadline = now_ms() + 5000;
    while (len < cap - 1 && now_ms() < deadline) {
        struct pollfd p = {c, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t got = recv(c, buf + len, cap - 1 - len, 0);
        if (got <= 0)
            return false;
        len += (size_t)got;
        buf[len] = '\0';
        if (!head) {
            char *end = strstr(buf, "\r\n\r\n");
            if (!end)
                continue;
            head = (size_t)(end - buf) + 4;
            const char *cl = NULL;
            for (char *line = strstr(buf, "\r\n"); line && line < end;
                 line = strstr(line + 2, "\r\n"))
                if (strncasecmp(line + 2, "Content-Length:", 15) == 0)
                    cl = line + 17;
            want = cl ? (size_t)strtoul(cl, NULL, 10) : 0;
        }
        if (head && len >= head + want) {
            *ret_len = head + want;
            *ret_head = head;
            return true;
        }
    }
    return false;
}

static void header_value(const char *buf, size_t head, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    out[0] = '\0';
    for (const char *line = strstr(buf, "\r\n"); line && (size_t)(line - buf) < head;
         line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, name, nl) == 0 && line[2 + nl] == ':') {
            const char *v = line + 3 + nl;
            while (*v == ' ')
                v++;
            size_t k = 0;
            while (v[k] && v[k] != '\r' && k + 1 < cap) {
                out[k] = v[k];
                k++;
            }
            out[k] = '\0';
            return;
        }
    }
}

static void *rx_main(void *arg)
{
    struct receiver *rx = arg;
    char *buf = malloc(RX_REQ_MAX);
    for (;;) {
        pthread_mutex_lock(&rx->mu);
        bool stop = rx->stop;
        pthread_mutex_unlock(&rx->mu);
        if (stop || !buf)
            break;
        struct pollfd p = {rx->fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int c = accept(rx->fd, NULL, NULL);
        if (c < 0)
            continue;
        size_t len = 0, head = 0;
        if (read_request(c, buf, RX_REQ_MAX, &len, &head)) {
            struct rx_msg m;
            memset(&m, 0, sizeof m);
            sscanf(buf, "%7s %255s", m.method, m.path);
            header_value(buf, head, "Content-Type", m.ctype, sizeof m.ctype);
            m.body = malloc(len - head + 1);
            if (m.body) {
                memcpy(m.body, buf + head, len - head);
                m.body[len - head] = '\0';
            }
            m.at_ms = now_ms();
            pthread_mutex_lock(&rx->mu);
            int status = rx->script_pos < rx->n_script ? rx->script[rx->script_pos++] : 200;
            if (rx->n < RX_MAX_MSGS)
                rx->msgs[rx->n++] = m;
            else
                free(m.body);
            pthread_cond_broadcast(&rx->cond);
            pthread_mutex_unlock(&rx->mu);
            char resp[160];
            int rl = snprintf(resp, sizeof resp,
                              "HTTP/1.1 %d X\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                              "Connection: close\r\n\r\nok",
                              status);
            if (send(c, resp, (size_t)rl, MSG_NOSIGNAL) < 0)
                fprintf(stderr, "receiver: send: %s\n", strerror(errno));
        }
        close(c);
    }
    free(buf);
    return NULL;
}

struct receiver *rx_start(void)
{
    struct receiver *rx = calloc(1, sizeof *rx);
    if (!rx)
        rx_die("calloc");
    rx->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (rx->fd < 0)
        rx_die("socket");
    int one = 1;
    setsockopt(rx->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (bind(rx->fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(rx->fd, 64) != 0 ||
        getsockname(rx->fd, (struct sockaddr *)&sa, &sl) != 0)
        rx_die("bind");
    rx->port = ntohs(sa.sin_port);
    pthread_mutex_init(&rx->mu, NULL);
    pthread_cond_init(&rx->cond, NULL);
    if (pthread_create(&rx->thread, NULL, rx_main, rx) != 0)
        rx_die("pthread_create");
    return rx;
}

void rx_stop(struct receiver *rx)
{
    if (!rx)
        return;
    pthread_mutex_lock(&rx->mu);
    rx->stop = true;
    pthread_mutex_unlock(&rx->mu);
    pthread_join(rx->thread, NULL);
    close(rx->fd);
    for (size_t i = 0; i < rx->n; i++)
        free(rx->msgs[i].body);
    pthread_mutex_destroy(&rx->mu);
    pthread_cond_destroy(&rx->cond);
    free(rx);
}

int rx_port(const struct receiver *rx)
{
    return rx->port;
}

void rx_url(const struct receiver *rx, const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "http://127.0.0.1:%d%s", rx->port, path);
}

void rx_script(struct receiver *rx, const int *statuses, size_t n)
{
    pthread_mutex_lock(&rx->mu);
    rx->n_script = n < RX_SCRIPT_MAX ? n : RX_SCRIPT_MAX;
    memcpy(rx->script, statuses, rx->n_script * sizeof *statuses);
    rx->script_pos = 0;
    pthread_mutex_unlock(&rx->mu);
}

size_t rx_wait(struct receiver *rx, size_t n, int timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long ns = ts.tv_nsec + (long long)timeout_ms * 1000000LL;
    ts.tv_sec += (time_t)(ns / 1000000000LL);
    ts.tv_nsec = (long)(ns % 1000000000LL);
    pthread_mutex_lock(&rx->mu);
    while (rx->n < n && pthread_cond_timedwait(&rx->cond, &rx->mu, &ts) == 0)
        ;
    size_t got = rx->n;
    pthread_mutex_unlock(&rx->mu);
    return got;
}

size_t rx_count(struct receiver *rx)
{
    pthread_mutex_lock(&rx->mu);
    size_t n = rx->n;
    pthread_mutex_unlock(&rx->mu);
    return n;
}

bool rx_get(struct receiver *rx, size_t i, struct rx_msg *ret)
{
    memset(ret, 0, sizeof *ret);
    pthread_mutex_lock(&rx->mu);
    bool ok = i < rx->n;
    if (ok) {
        *ret = rx->msgs[i];
        ret->body = strdup(rx->msgs[i].body ? rx->msgs[i].body : "");
    }
    pthread_mutex_unlock(&rx->mu);
    return ok;
}

void rx_clear(struct receiver *rx)
{
    pthread_mutex_lock(&rx->mu);
    for (size_t i = 0; i < rx->n; i++)
        free(rx->msgs[i].body);
    rx->n = 0;
    pthread_mutex_unlock(&rx->mu);
}

int rx_refusing_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        rx_die("socket");
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
        rx_die("bind");
    close(fd); /* bound but never listened on: connecting is refused */
    return ntohs(sa.sin_port);
}
