/* main.c - command line, start-up order, signals and clean shutdown.
 * Start-up: sodium_init, curl_global_init -> fixtures -> store -> webhook
 * worker -> schedule runner -> server. Shutdown: server (joins workers) ->
 * schedule runner -> webhook worker -> store. */
#include "domain/checkout.h"
#include "domain/outcomes.h"
#include "domain/schedule.h"
#include "http/app.h"
#include "http/healthcheck.h"
#include "http/server.h"
#include "infra/clock.h"
#include "infra/journal.h"
#include "infra/scenario.h"
#include "infra/webhook.h"
#include "state/ids.h"
#include "state/persist.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: impmock [OPTIONS]\n"
    "A stateful mock of the i'mport (PortOne V1) REST API and the Kakao Pay window.\n"
    "\n"
    "  --host ADDR          IPv4 address to listen on (default 127.0.0.1)\n"
    "  --port N             port to listen on, 0 = any free port (default 8080)\n"
    "  --port-file FILE     write the port actually bound to FILE once listening\n"
    "  --fixtures PATH      JSON file or directory of *.json replacing the embedded\n"
    "                       default fixtures (merchants, seed records, test cards)\n"
    "  --seed N             deterministic ids and tokens from seed N (0..2^64-1)\n"
    "  --clock UNIX_SECONDS start with the clock frozen at this time\n"
    "  --scenario FILE      load a scenario file (repeatable); see scenarios/README.md\n"
    "  --open-tenants       any new imp_key/imp_secret pair gets a fresh empty tenant\n"
    "                       at its first getToken (for parallel CI jobs)\n"
    "  --admin-token T      require header X-Admin-Token: T on the /__mock/ control API\n"
    "  --threads N          worker threads = concurrent keep-alive clients (default 288)\n"
    "  --state-dir DIR      keep state in DIR across restarts (log + snapshot); without it,\n"
    "                       state lives in memory only\n"
    "  --state-sync         fdatasync every change (survives power loss, not only kill -9)\n"
    "  --body-limit BYTES   largest request body accepted (default 1048576)\n"
    "  --request-timeout MS time a client has to send one request, headers and body;\n"
    "                       slower clients are cut off (default 15000)\n"
    "  --journal-size N     requests kept for GET /__mock/requests (default 1000, 0 = off)\n"
    "  --webhook-retries N  resend a webhook up to N times (0..5, default 0) when the\n"
    "                       receiver does not answer or answers 5xx\n"
    "  --webhook-retry-interval SECONDS\n"
    "                       virtual-clock seconds between webhook attempts (default 60)\n"
    "  --webhook-journal-size N\n"
    "                       webhook attempts kept for GET /__mock/webhooks (default 1000)\n"
    "  --quiet              no access log\n"
    "  --log-format FMT     access log as 'text' (default) or 'json' lines\n"
    "  --healthcheck [URL]  probe a running impmock and exit: 0 when URL (default\n"
    "                       http://127.0.0.1:$IMPMOCK_PORT/__mock/health, port 8080\n"
    "                       when unset) answers 200 within 3 s, 1 when not; must\n"
    "                       come first (for a container's HEALTHCHECK)\n"
    "  --version            print the version and exit\n"
    "  --help               print this help and exit\n"
    "\n"
    "Control API: GET /__mock/health, GET|POST /__mock/clock, POST /__mock/reset[?imp_key=K],\n"
    "GET|POST|DELETE /__mock/scenarios[?name=N],\n"
    "GET /__mock/requests[?limit=N&method=M&path=P&status=S&imp_key=K],\n"
    "GET /__mock/webhooks[?limit=N&status=S&id=N&merchant_uid=M&imp_key=K],\n"
    "POST /__mock/webhooks/ID/resend.\n"
    "Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when start-up fails,\n"
    "2 on a bad command line.\n";

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "impmock: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'impmock --help'.\n");
    return 2;
}

static bool parse_ll(const char *s, long long min, long long max, long long *ret)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max)
        return false;
    *ret = v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *ret)
{
    char *end = NULL;
    errno = 0;
    if (!*s || *s == '-')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno)
        return false;
    *ret = v;
    return true;
}

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

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--healthcheck") == 0) /* a probe: no server, no set-up */
        return argc > 3 ? bad_usage("unexpected argument '%s'", argv[3])
                        : healthcheck_run(argc == 3 ? argv[2] : NULL);
    enum {
        OPT_HOST = 256,
        OPT_PORT,
        OPT_PORT_FILE,
        OPT_FIXTURES,
        OPT_SEED,
        OPT_CLOCK,
        OPT_OPEN_TENANTS,
        OPT_ADMIN_TOKEN,
        OPT_THREADS,
        OPT_BODY_LIMIT,
        OPT_REQUEST_TIMEOUT,
        OPT_STATE_DIR,
        OPT_STATE_SYNC,
        OPT_JOURNAL_SIZE,
        OPT_WEBHOOK_RETRIES,
        OPT_WEBHOOK_RETRY_INTERVAL,
        OPT_WEBHOOK_JOURNAL_SIZE,
        OPT_SCENARIO,
        OPT_QUIET,
        OPT_LOG_FORMAT,
        OPT_VERSION,
        OPT_HELP
    };
    static const struct option longopts[] = {
        {"host", required_argument, NULL, OPT_HOST},
        {"port", required_argument, NULL, OPT_PORT},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"fixtures", required_argument, NULL, OPT_FIXTURES},
        {"seed", required_argument, NULL, OPT_SEED},
        {"clock", required_argument, NULL, OPT_CLOCK},
        {"open-tenants", no_argument, NULL, OPT_OPEN_TENANTS},
        {"admin-token", required_argument, NULL, OPT_ADMIN_TOKEN},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"body-limit", required_argument, NULL, OPT_BODY_LIMIT},
        {"request-timeout", required_argument, NULL, OPT_REQUEST_TIMEOUT},
        {"state-dir", required_argument, NULL, OPT_STATE_DIR},
        {"state-sync", no_argument, NULL, OPT_STATE_SYNC},
        {"journal-size", required_argument, NULL, OPT_JOURNAL_SIZE},
        {"webhook-retries", required_argument, NULL, OPT_WEBHOOK_RETRIES},
        {"webhook-retry-interval", required_argument, NULL, OPT_WEBHOOK_RETRY_INTERVAL},
        {"webhook-journal-size", required_argument, NULL, OPT_WEBHOOK_JOURNAL_SIZE},
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    /* civetweb gives each keep-alive connection a worker of its own until it
     * closes: 256 concurrent clients plus room for the control API, health
     * checks and a few slow ones (an idle worker costs about 16 KB) */
    struct server_opts so = {.host = "127.0.0.1", .port = 8080, .threads = 288};
    struct app app;
    memset(&app, 0, sizeof app);
    app.body_limit = 1 << 20;
    const char *port_file = NULL, *fixtures_path = NULL;
    bool seeded = false, clock_given = false, state_sync = false, open_tenants = false;
    const char *state_dir = NULL;
    uint64_t seed = 0;
    struct webhook_opts wo = {.retries = 0, .retry_interval = 60, .journal_size = 1000};
    const char *scenario_files[64];
    size_t n_scenarios = 0;
    long long v, clock_at = 0, journal_size = 1000;

    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_HOST:
            if (!*optarg || strlen(optarg) > 64)
                return bad_usage("--host needs an address, got '%s'", optarg);
            so.host = optarg;
            break;
        case OPT_PORT:
            if (!parse_ll(optarg, 0, 65535, &v))
                return bad_usage("--port must be a number from 0 to 65535, got '%s'", optarg);
            so.port = (int)v;
            break;
        case OPT_PORT_FILE:
            port_file = optarg;
            break;
        case OPT_FIXTURES:
            fixtures_path = optarg;
            break;
        case OPT_SEED:
            if (!parse_u64(optarg, &seed))
                return bad_usage("--seed must be a whole number from 0 to 2^64-1, got '%s'",
                                 optarg);
            seeded = true;
            break;
        case OPT_CLOCK:
            if (!parse_ll(optarg, 0, 253402300799LL, &clock_at))
                return bad_usage("--clock must be unix seconds, got '%s'", optarg);
            clock_given = true;
            break;
        case OPT_OPEN_TENANTS:
            open_tenants = true;
            break;
        case OPT_ADMIN_TOKEN:
            if (!*optarg)
                return bad_usage("--admin-token must not be empty%s", "");
            app.admin_token = optarg;
            break;
        case OPT_THREADS:
            if (!parse_ll(optarg, 1, 4096, &v))
                return bad_usage("--threads must be a number from 1 to 4096, got '%s'", optarg);
            so.threads = (int)v;
            break;
        case OPT_STATE_DIR:
            if (!*optarg)
                return bad_usage("--state-dir needs a directory%s", "");
            state_dir = optarg;
            break;
        case OPT_STATE_SYNC:
            state_sync = true;
            break;
        case OPT_REQUEST_TIMEOUT:
            if (!parse_ll(optarg, 100, 3600000, &v))
                return bad_usage("--request-timeout must be from 100 to 3600000 ms, got '%s'",
                                 optarg);
            so.request_timeout_ms = (int)v;
            break;
        case OPT_BODY_LIMIT:
            if (!parse_ll(optarg, 1024, 1LL << 30, &v))
                return bad_usage("--body-limit must be from 1024 to 1073741824 bytes, got '%s'",
                                 optarg);
            app.body_limit = (size_t)v;
            break;
        case OPT_JOURNAL_SIZE:
            if (!parse_ll(optarg, 0, 1000000, &journal_size))
                return bad_usage("--journal-size must be a number from 0 to 1000000, got '%s'",
                                 optarg);
            break;
        case OPT_WEBHOOK_RETRIES:
            if (!parse_ll(optarg, 0, WEBHOOK_RETRIES_MAX, &v))
                return bad_usage("--webhook-retries must be a number from 0 to 5, got '%s'",
                                 optarg);
            wo.retries = (int)v;
            break;
        case OPT_WEBHOOK_RETRY_INTERVAL:
            if (!parse_ll(optarg, 1, 86400, &v))
                return bad_usage("--webhook-retry-interval must be 1 to 86400 seconds, got '%s'",
                                 optarg);
            wo.retry_interval = (int)v;
            break;
        case OPT_WEBHOOK_JOURNAL_SIZE:
            if (!parse_ll(optarg, 0, 1000000, &v))
                return bad_usage("--webhook-journal-size must be a number from 0 to 1000000, got "
                                 "'%s'",
                                 optarg);
            wo.journal_size = (size_t)v;
            break;
        case OPT_SCENARIO:
            if (n_scenarios == 64)
                return bad_usage("at most 64 --scenario files%s", "");
            scenario_files[n_scenarios++] = optarg;
            break;
        case OPT_QUIET:
            so.quiet = true;
            break;
        case OPT_LOG_FORMAT:
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                return bad_usage("--log-format must be 'text' or 'json', got '%s'", optarg);
            so.log_json = strcmp(optarg, "json") == 0;
            break;
        case OPT_VERSION:
            printf("impmock %s\n", IMPMOCK_VERSION);
            return 0;
        case OPT_HELP:
            fputs(usage, stdout);
            return 0;
        case ':':
            return bad_usage("option '%s' needs a value", argv[optind - 1]);
        default:
            return bad_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return bad_usage("unexpected argument '%s'", argv[optind]);

    /* ids and tokens from libsodium's user-space generator (seeded once per
     * thread from the kernel) instead of a getrandom() call for each: an id
     * is made on every getToken, charge and cancel */
    randombytes_set_implementation(&randombytes_internal_implementation);
    if (sodium_init() < 0) {
        fprintf(stderr, "impmock: libsodium failed to initialise\n");
        return 1;
    }
    /* before any thread starts: libcurl's global set-up is not thread-safe */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "impmock: libcurl failed to initialise\n");
        return 1;
    }
    ids_init(seeded, seed);
    journal_init((size_t)journal_size);
    char err[512];
    if (!fixtures_load(&app.fx, fixtures_path, err, sizeof err)) {
        fprintf(stderr, "impmock: fixtures: %s\n", err);
        return 1;
    }
    static struct merchant open_template; /* read by every getToken of a new key pair */
    if (open_tenants) {
        fixtures_template_merchant(&app.fx, "", "", &open_template);
        app.open_template = &open_template;
    }
    for (size_t i = 0; i < n_scenarios; i++) {
        if (!scenario_load_file(scenario_files[i], err, sizeof err)) {
            fprintf(stderr, "impmock: scenario: %s\n", err);
            fixtures_fini(&app.fx);
            scenario_fini();
            return 1;
        }
    }
    app.scenario_files = scenario_files;
    app.n_scenario_files = n_scenarios;
    int rc = 1;
    struct persist *persist = NULL;
    struct server *srv = NULL;
    bool restored = false;
    app.store = store_new();
    if (!app.store) {
        fprintf(stderr, "impmock: out of memory\n");
        goto out;
    }
    /* a state directory replays first; fixtures seed only a new one */
    if (state_dir) {
        persist = persist_open(state_dir, app.store, state_sync, &restored, err, sizeof err);
        if (!persist) {
            fprintf(stderr, "impmock: --state-dir: %s\n", err);
            goto out;
        }
    }
    if (!restored && !fixtures_apply(&app.fx, app.store, err, sizeof err)) {
        fprintf(stderr, "impmock: fixtures: %s\n", err);
        goto out;
    }
    /* big seed sets are in the store now: drop their parsed copy, and hand the
     * pages the parse used back to the system before the workers start */
    fixtures_release_seeds(&app.fx);
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    if (clock_given) { /* the command line wins over a restored clock */
        clock_freeze(true);
        clock_set(clock_at);
        store_note_clock(app.store, true, clock_at);
    }

    outcomes_install(app.store);

    /* Block the stop signals before any thread starts, so they reach sigwait below. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* webhooks, then the schedule runner that queues them, then the server */
    if (!webhook_start(&wo)) {
        fprintf(stderr, "impmock: cannot start the webhook worker\n");
        goto out;
    }
    struct billing sched_billing = {app.store, &app.fx.cards};
    if (!schedule_start(&sched_billing)) {
        fprintf(stderr, "impmock: cannot start the schedule runner\n");
        goto out;
    }
    srv = server_start(&app, &so, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "impmock: %s\n", err);
        goto out;
    }
    int port = server_port(srv);
    if (port_file && !write_port_file(port_file, port)) {
        fprintf(stderr, "impmock: cannot write --port-file %s: %s\n", port_file, strerror(errno));
        goto out;
    }
    bool v6 = strchr(so.host, ':') != NULL;
    printf(v6 ? "impmock listening on http://[%s]:%d\n" : "impmock listening on http://%s:%d\n",
           so.host, port);
    fflush(stdout);

    int sig = 0;
    sigwait(&stop, &sig);
    rc = 0;
out:
    server_stop(srv); /* joins the workers: no change is under way after this */
    schedule_stop();  /* after the server: a clock change may be running schedules */
    webhook_stop();   /* after both: they queue deliveries */
    persist_close(persist);
    store_free(app.store);
    fixtures_fini(&app.fx);
    journal_fini();
    scenario_fini();
    checkout_fini();
    curl_global_cleanup();
    return rc;
}
