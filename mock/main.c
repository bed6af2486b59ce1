/* main.c - start-up order, signals and clean shutdown (the settings are
 * config.c's).
 * Start-up: sodium_init, curl_global_init -> fixtures, scenarios -> store
 * (state directory, else fixtures) -> webhook worker -> schedule runner ->
 * server -> HTTPS listener (--tls-port). Shutdown in reverse: HTTPS listener
 * -> server (joins workers) -> schedule runner -> webhook worker -> store. */
#include "config.h"
#include "domain/checkout.h"
#include "domain/outcomes.h"
#include "domain/schedule.h"
#include "http/access_log.h"
#include "http/app.h"
#include "http/healthcheck.h"
#include "http/server.h"
#include "infra/clock.h"
#include "infra/journal.h"
#include "infra/scenario.h"
#include "infra/tlscert.h"
#include "infra/tlsfront.h"
#include "infra/webhook.h"
#include "state/ids.h"
#include "state/persist.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Everything main starts, so one function can stop it in order. */
struct running {
    struct app app;
    struct merchant open_template; /* read by every getToken of a new key pair */
    struct persist *persist;
    struct server *srv;
    struct tlsfront *tls; /* NULL without --tls-port */
    bool webhooks, schedules;
};

static bool write_port_file(const char *path, int port)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return false;
    fprintf(f, "%d\n", port);
    if (fclose(f) != 0)
        return false;
    return rename(tmp, path) == 0; /* readers never see a half-written file */
}

/* Before any thread starts: libsodium and libcurl set up global state. */
static bool init_libraries(const struct config *c)
{
    /* ids and tokens from libsodium's user-space generator (seeded once per
     * thread from the kernel) instead of a getrandom() call for each: an id
     * is made on every getToken, charge and cancel */
    randombytes_set_implementation(&randombytes_internal_implementation);
    if (sodium_init() < 0) {
        fprintf(stderr, "impmock: libsodium failed to initialise\n");
        return false;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "impmock: libcurl failed to initialise\n");
        return false;
    }
    ids_init(c->seeded, c->seed);
#if defined(__GLIBC__)
    /* blocks from 128 KiB up (a large GET /__mock/requests answer, a big
     * body) go back to the system when freed: by default glibc raises this
     * threshold after the first such free, and then keeps megabytes of
     * them in each worker's arena for good */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    journal_init((size_t)c->journal_size);
    return true;
}

/* Fixtures and scenario files, read before anything is served. */
static bool load_data(struct running *run, const struct config *c)
{
    char err[512];
    run->app.fixtures = fixtures_live_open(c->fixtures, err, sizeof err);
    if (!run->app.fixtures) {
        fprintf(stderr, "impmock: fixtures: %s\n", err);
        return false;
    }
    if (c->open_tenants) {
        fixtures_template_merchant(fixtures_live_current(run->app.fixtures), "", "",
                                   &run->open_template);
        run->app.open_template = &run->open_template;
    }
    for (size_t i = 0; i < c->scenarios.n; i++) {
        if (!scenario_load_file(c->scenarios.items[i], err, sizeof err)) {
            fprintf(stderr, "impmock: scenario: %s\n", err);
            return false;
        }
    }
    run->app.scenario_files = c->scenarios.items;
    run->app.n_scenario_files = c->scenarios.n;
    return true;
}

/* The store: replayed from a state directory, else seeded from the fixtures. */
static bool open_store(struct running *run, const struct config *c)
{
    char err[512];
    bool restored = false;
    run->app.store = store_new();
    if (!run->app.store) {
        fprintf(stderr, "impmock: out of memory\n");
        return false;
    }
    if (c->state_dir) {
        struct persist_opts po = {.sync_writes = c->state_sync, .repair = c->state_repair};
        run->persist = persist_open(c->state_dir, run->app.store, &po, &restored, err, sizeof err);
        if (!run->persist) {
            fprintf(stderr, "impmock: --state-dir: %s\n", err);
            return false;
        }
    }
    struct fixtures *fx = fixtures_live_current(run->app.fixtures); /* no thread runs yet */
    if (!restored && !fixtures_apply(fx, run->app.store, err, sizeof err)) {
        fprintf(stderr, "impmock: fixtures: %s\n", err);
        return false;
    }
    /* big seed sets are in the store now: drop their parsed copy, and hand the
     * pages the parse used back to the system before the workers start */
    fixtures_release_seeds(fx);
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    if (c->clock_given) { /* the command line wins over a restored clock */
        clock_freeze(true);
        clock_set(c->clock);
        store_note_clock(run->app.store, true, c->clock);
    }
    outcomes_install(run->app.store);
    return true;
}

/* The local CA's directory, opened (made on first use); NULL after a message. */
static struct tlscert_ca *open_ca(const struct config *c, char *dir, size_t len, bool *ret_created)
{
    char err[512];
    struct tlscert_ca *ca = NULL;
    if (tlscert_ca_dir(c->tls_ca_dir, c->state_dir, dir, len, err, sizeof err))
        ca = tlscert_ca_open(dir, ret_created, err, sizeof err);
    if (!ca)
        fprintf(stderr, "impmock: local CA: %s\n", err);
    return ca;
}

/* The certificate to serve: the user's files, or one issued by the local CA
 * for api.iamport.kr, the loopback names, --host and each --tls-name. */
static struct tlscert *server_cert(const struct config *c, char *desc, size_t desclen)
{
    char err[512];
    if (c->tls_cert) {
        struct tlscert *cert = tlscert_load(c->tls_cert, c->tls_key, err, sizeof err);
        if (!cert)
            fprintf(stderr, "impmock: %s\n", err);
        snprintf(desc, desclen, "certificate from %s", c->tls_cert);
        return cert;
    }
    const char *names[4 + 1 + CONFIG_LIST_MAX] = {"api.iamport.kr", "localhost", "127.0.0.1",
                                                  "::1"};
    size_t n = 4;
    for (size_t i = 0; i <= c->tls_names.n; i++) {
        const char *name = i == 0 ? c->host : c->tls_names.items[i - 1];
        bool seen = strcmp(name, "0.0.0.0") == 0 || strcmp(name, "::") == 0; /* no one's name */
        for (size_t j = 0; j < n && !seen; j++)
            seen = strcasecmp(name, names[j]) == 0;
        if (!seen)
            names[n++] = name;
    }
    char dir[PATH_MAX];
    bool created = false;
    struct tlscert_ca *ca = open_ca(c, dir, sizeof dir, &created);
    struct tlscert *cert = ca ? tlscert_issue(ca, names, n, err, sizeof err) : NULL;
    tlscert_ca_free(ca);
    if (ca && !cert)
        fprintf(stderr, "impmock: %s\n", err);
    int len = snprintf(desc, desclen, "certificate for");
    for (size_t i = 0; i < n && len > 0 && (size_t)len < desclen; i++)
        len += snprintf(desc + len, desclen - (size_t)len, "%s %s", i ? "," : "", names[i]);
    if (len > 0 && (size_t)len < desclen)
        snprintf(desc + len, desclen - (size_t)len, " from the %s in %s",
                 created ? "new local CA" : "local CA", dir);
    return cert;
}

/* The HTTPS listener, relaying to the HTTP one on http_port. */
static bool start_tls(struct running *run, const struct config *c, int http_port)
{
    if (!c->tls_port_given)
        return true;
    char desc[PATH_MAX + 2048], err[512];
    struct tlscert *cert = server_cert(c, desc, sizeof desc);
    if (!cert)
        return false;
    bool any = strcmp(c->host, "0.0.0.0") == 0 || strcmp(c->host, "::") == 0;
    struct tlsfront_opts to = {
        .host = c->host,
        .port = (int)c->tls_port,
        .upstream_host = !any                   ? c->host
                         : strchr(c->host, ':') ? "::1"
                                                : "127.0.0.1",
        .upstream_port = http_port,
        .max_conns = (int)c->threads,
        .handshake_timeout_ms = (int)c->request_timeout_ms,
    };
    run->tls = tlsfront_start(&to, cert, err, sizeof err);
    tlscert_free(cert);
    if (!run->tls) {
        fprintf(stderr, "impmock: %s\n", err);
        return false;
    }
    int port = tlsfront_port(run->tls);
    if (c->tls_port_file && !write_port_file(c->tls_port_file, port)) {
        fprintf(stderr, "impmock: cannot write --tls-port-file %s: %s\n", c->tls_port_file,
                strerror(errno));
        return false;
    }
    bool v6 = strchr(c->host, ':') != NULL;
    fprintf(stderr,
            v6 ? "impmock listening on https://[%s]:%d (%s)\n"
               : "impmock listening on https://%s:%d (%s)\n",
            c->host, port, desc);
    return true;
}

/* --print-ca: the local CA's certificate on standard output. */
static int print_ca(const struct config *c)
{
    char dir[PATH_MAX];
    bool created = false;
    struct tlscert_ca *ca = open_ca(c, dir, sizeof dir, &created);
    if (!ca)
        return 1;
    if (created)
        fprintf(stderr, "impmock: made a new local CA in %s\n", dir);
    fputs(tlscert_ca_pem(ca), stdout);
    tlscert_ca_free(ca);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* The Host names answered besides the built-in ones: --allowed-host, and
 * with HTTPS on the names its certificate is for, since a client of
 * https://api.iamport.kr sends "Host: api.iamport.kr". No page can rebind
 * a name it does not own, so these open nothing to the web. */
static size_t answered_hosts(const struct config *c, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < c->allowed_hosts.n; i++)
        out[n++] = c->allowed_hosts.items[i];
    if (c->tls_port_given) {
        out[n++] = "api.iamport.kr";
        for (size_t i = 0; i < c->tls_names.n; i++)
            out[n++] = c->tls_names.items[i];
    }
    return n;
}

/* Webhooks, then the schedule runner that queues them, then the server. */
static bool start_services(struct running *run, const struct config *c)
{
    access_log_start(run->app.store, strcmp(c->log_format, "json") == 0);
    struct webhook_opts wo = {
        .retries = (int)c->webhook_retries,
        .retry_interval = (int)c->webhook_retry_interval,
        .journal_size = (size_t)c->webhook_journal_size,
        .on_attempt = c->quiet ? NULL : access_log_webhook,
    };
    run->webhooks = webhook_start(&wo);
    if (!run->webhooks) {
        fprintf(stderr, "impmock: cannot start the webhook worker\n");
        return false;
    }
    struct billing sched_billing = {run->app.store, fixtures_cards(app_fixtures(&run->app))};
    run->schedules = schedule_start(&sched_billing);
    if (!run->schedules) {
        fprintf(stderr, "impmock: cannot start the schedule runner\n");
        return false;
    }
    const char *hosts[2 * CONFIG_LIST_MAX + 1];
    struct server_opts so = {
        .host = c->host,
        .port = (int)c->port,
        .threads = (int)c->threads,
        .request_timeout_ms = (int)c->request_timeout_ms,
        .keep_alive_timeout_ms = (int)c->keep_alive_timeout_ms,
        .quiet = c->quiet,
        .allowed_hosts = hosts,
        .n_allowed_hosts = answered_hosts(c, hosts),
        .cors_origins = c->cors_origins.items,
        .n_cors_origins = c->cors_origins.n,
    };
    const char *exposed = config_exposure_warning(c);
    if (exposed)
        fprintf(stderr, "impmock: %s\n", exposed);
    char err[512];
    run->srv = server_start(&run->app, &so, err, sizeof err);
    if (!run->srv) {
        fprintf(stderr, "impmock: %s\n", err);
        return false;
    }
    int port = server_port(run->srv);
    if (c->port_file && !write_port_file(c->port_file, port)) {
        fprintf(stderr, "impmock: cannot write --port-file %s: %s\n", c->port_file,
                strerror(errno));
        return false;
    }
    bool v6 = strchr(c->host, ':') != NULL;
    /* on standard error: standard output carries only log lines */
    fprintf(stderr,
            v6 ? "impmock listening on http://[%s]:%d\n" : "impmock listening on http://%s:%d\n",
            c->host, port);
    return start_tls(run, c, port);
}

static void stop_everything(struct running *run)
{
    tlsfront_stop(run->tls); /* its relays are clients of the server */
    server_stop(run->srv);   /* joins the workers: no change is under way after this */
    if (run->schedules)
        schedule_stop(); /* after the server: a clock change may be running schedules */
    if (run->webhooks)
        webhook_stop(); /* after both: they queue deliveries */
    persist_close(run->persist);
    store_free(run->app.store);
    fixtures_live_free(run->app.fixtures);
    journal_fini();
    scenario_fini();
    checkout_fini();
    curl_global_cleanup();
}

static int serve(const struct config *c)
{
    static struct running run; /* the merchant template is several KiB */
    run.app.body_limit = (size_t)c->body_limit;
    run.app.max_tenants = (size_t)c->max_tenants;
    run.app.journal_page_limit = (size_t)c->journal_page_limit;
    run.app.admin_token = c->admin_token;
    if (!init_libraries(c))
        return 1;

    /* Block the stop signals before any thread starts, so they reach sigwait below. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    int rc = 1;
    if (load_data(&run, c) && open_store(&run, c) && start_services(&run, c)) {
        int sig = 0;
        sigwait(&stop, &sig);
        rc = 0;
    }
    stop_everything(&run);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--healthcheck") == 0) { /* a probe: no server, no set-up */
        if (argc <= 3)
            return healthcheck_run(argc == 3 ? argv[2] : NULL);
        fprintf(stderr, "impmock: unexpected argument '%s'\nTry 'impmock --help'.\n", argv[3]);
        return 2;
    }
    struct config cfg;
    char err[512];
    int rc = 0;
    switch (config_parse(&cfg, argc, argv, err, sizeof err)) {
    case CONFIG_HELP:
        fputs(config_usage(), stdout);
        break;
    case CONFIG_VERSION:
        printf("impmock %s\n", IMPMOCK_VERSION);
        break;
    case CONFIG_PRINT_CA:
        rc = print_ca(&cfg);
        break;
    case CONFIG_BAD:
        fprintf(stderr, "impmock: %s\nTry 'impmock --help'.\n", err);
        rc = 2;
        break;
    case CONFIG_SERVE:
        rc = serve(&cfg);
        break;
    }
    config_fini(&cfg);
    return rc;
}
