/*
 * bare.c - the yardstick of bench/run.sh: civetweb with the same options as
 * impmock (threads, keep-alive, timeouts, TCP_NODELAY) and one handler that
 * reads the request body and answers a fixed envelope of the size impmock
 * answers on the same path (a stored payment for lookups and charges, a
 * token otherwise) with impmock's headers, in one write with
 * Content-Length. Whatever impmock costs above this is impmock's own.
 *
 *   bare --port N --threads N [--port-file FILE]
 *
 * Built by bench/run.sh (cc -O2 bench/bare.c -lcivetweb); not part of impmock.
 */
#include <civetweb.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what impmock answers: a getToken envelope, and a stored payment (GET
 * /payments/{imp_uid} and a charge answer one of 1,227 bytes) */
static const char token_body[] = "{\"code\":0,\"message\":null,\"response\":{\"access_token\":"
                                 "\"50f083759ac7df61633e1e038ec233ec78b117ab\",\"now\":1704153600,"
                                 "\"expired_at\":1704155400}}";
static const char payment_body[] =
    "{\"code\":0,\"message\":null,\"response\":{\"imp_uid\":\"imps_131245439266\",\"merch"
    "ant_uid\":\"o1\",\"pay_method\":\"card\",\"channel\":\"api\",\"pg_provider\":\"nice\""
    ",\"emb_pg_provider\":null,\"pg_tid\":\"nictest04m01162612061827385001\",\"pg_id\":\""
    "nictest04m\",\"sandbox\":false,\"escrow\":false,\"apply_num\":\"39052366\",\"bank_co"
    "de\":null,\"bank_name\":null,\"card_code\":\"366\",\"card_name\":\"신한카드\",\"card_iss"
    "uer_code\":null,\"card_issuer_name\":null,\"card_publisher_code\":null,\"card_publis"
    "her_name\":null,\"card_quota\":0,\"card_number\":\"424242******4242\",\"card_type\":"
    "0,\"vbank_code\":null,\"vbank_name\":null,\"vbank_num\":null,\"vbank_holder\":null,\""
    "vbank_date\":0,\"vbank_issued_at\":0,\"name\":null,\"amount\":9900,\"cancel_amount\""
    ":0,\"currency\":\"KRW\",\"buyer_name\":null,\"buyer_email\":null,\"buyer_tel\":null,"
    "\"buyer_addr\":null,\"buyer_postcode\":null,\"custom_data\":null,\"user_agent\":null"
    ",\"status\":\"paid\",\"started_at\":1796549258,\"paid_at\":1796549258,\"failed_at\":"
    "0,\"cancelled_at\":0,\"fail_reason\":null,\"cancel_reason\":null,\"receipt_url\":\"h"
    "ttps://npg.nicepay.co.kr/issue/IssueLoader.do?TID=nictest04m01162612061827385001&typ"
    "e=0\",\"cancel_history\":[],\"deposit_history\":[],\"cancel_receipt_urls\":[],\"cash"
    "_receipt_issued\":false,\"customer_uid\":\"c1\",\"customer_uid_usage\":\"payment\",\""
    "promotion\":null}}";

static int handle(struct mg_connection *conn, void *cbdata)
{
    (void)cbdata;
    char buf[4096];
    while (mg_read(conn, buf, sizeof buf) > 0) /* drain the body, as impmock reads it */
        ;
    const char *uri = mg_get_request_info(conn)->local_uri;
    bool payment =
        uri && (!strncmp(uri, "/payments/", 10) || !strcmp(uri, "/subscribe/payments/again"));
    const char *body = payment ? payment_body : token_body;
    size_t len = payment ? sizeof payment_body - 1 : sizeof token_body - 1;
    /* the headers impmock sends, in one write with the body */
    char out[2048];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n"
                     "Content-Length: %zu\r\nCache-Control: no-store\r\n"
                     "Connection: keep-alive\r\n\r\n%s",
                     len, body);
    mg_write(conn, out, (size_t)n);
    return 200;
}

static int allow_all(struct mg_connection *conn, void *cbdata)
{
    (void)conn;
    (void)cbdata;
    return 1;
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
    const char *options[] = {"listening_ports",
                             ports,
                             "num_threads",
                             threads,
                             "enable_keep_alive",
                             "yes",
                             "keep_alive_timeout_ms",
                             "30000",
                             "request_timeout_ms",
                             "15000",
                             "tcp_nodelay",
                             "1",
                             NULL};
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
    /* as impmock: no .htpasswd looked for on every request */
    mg_set_auth_handler(ctx, "/", allow_all, NULL);
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
