/*
 * bare.c - the yardstick of bench/run.sh: civetweb with the same options as
 * impmock (threads, keep-alive, timeouts, TCP_NODELAY) and one handler that
 * reads the request body and answers a fixed envelope of the size of a
 * getToken answer, in one write with Content-Length. Whatever impmock costs
 * above this is impmock's own.
 *
 *   bare --port N --threads N [--port-file FILE]
 *
 * Built by bench/run.sh (cc -O2 bench/bare.c -lcivetweb); not part of impmock.
 */
#include <civetweb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char body[] = "{\"code\":0,\"message\":null,\"response\":{\"access_token\":"
                           "\"50f083759ac7df61633e1e038ec233ec78b117ab\",\"now\":1704153600,"
                           "\"expired_at\":1704155400}}";

static int handle(struct mg_connection *conn, void *cbdata)
{
    (void)cbdata;
    char buf[4096];
    while (mg_read(conn, buf, sizeof buf) > 0) /* drain the body, as impmock reads it */
        ;
    char out[512];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n"
                     "Content-Length: %zu\r\nAccess-Control-Allow-Origin: *\r\n"
                     "Cache-Control: no-store\r\nConnection: keep-alive\r\n\r\n%s",
                     sizeof body - 1, body);
    mg_write(conn, out, (size_t)n);
    return 200;
}

int main(int argc, char **argv)
{
    const char *port = "8081", *threads = "64", *port_file = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = argv[i + 1];
        else if (!strcmp(argv[i], "--threads"))
            threads = argv[i + 1];
        else if (!strcmp(argv[i], "--port-file"))
            port_file = argv[i + 1];
    }
    char ports[64];
    snprintf(ports, sizeof ports, "127.0.0.1:%s", port);
    const char *options[] = {"listening_ports", ports, "num_threads", threads,
                             "enable_keep_alive", "yes", "keep_alive_timeout_ms", "30000",
                             "request_timeout_ms", "15000", "tcp_nodelay", "1", NULL};
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    struct mg_context *ctx = mg_start(&cb, NULL, options);
    if (!ctx) {
        fprintf(stderr, "bare: cannot listen on %s\n", ports);
        return 1;
    }
    mg_set_request_handler(ctx, "/", handle, NULL);
    if (port_file) {
        struct mg_server_port sp[1];
        FILE *f = mg_get_server_ports(ctx, 1, sp) == 1 ? fopen(port_file, "w") : NULL;
        if (f) {
            fprintf(f, "%d\n", sp[0].port);
            fclose(f);
        }
    }
    int sig;
    sigwait(&stop, &sig);
    mg_stop(ctx);
    return 0;
}
