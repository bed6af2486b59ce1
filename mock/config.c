/* config.c - see config.h. */
#include "config.h"

#include "base/limits.h"
#include "infra/tlscert.h"

#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind {
    OPT_TEXT,   /* const char *, non-empty, at most max bytes */
    OPT_NUM,    /* long long in [min, max] */
    OPT_U64,    /* uint64_t, the whole range */
    OPT_SWITCH, /* bool; the variable takes 1/true/yes/on or 0/false/no/off */
    OPT_LIST,   /* struct config_list; repeatable flag, comma-separated variable */
    OPT_CHOICE, /* const char *, one of the '|'-separated words in `must` */
};

#define NO_FIELD ((size_t)-1)
#define F(field) offsetof(struct config, field)

struct opt_def {
    const char *flag; /* without the leading "--" */
    const char *env;  /* IMPMOCK_... */
    const char *arg;  /* shown in the help; NULL for a switch */
    enum opt_kind kind;
    bool (*valid)(const char *v); /* a check beyond the bounds, or NULL */
    size_t off;                   /* the field in struct config */
    size_t given_off;             /* a bool set when the option is given, or NO_FIELD */
    long long min, max;
    const char *must; /* what a value must be, for messages ("a number from 0 to 65535") */
    const char *help; /* lines of help, '\n' between them */
};

/* An origin as browsers send it: scheme://host[:port], no path; or
 * 'null' (file: pages, sandboxed frames) or '*'. */
static bool origin_ok(const char *v)
{
    if (strcmp(v, "*") == 0 || strcmp(v, "null") == 0)
        return true;
    const char *host = strncmp(v, "http://", 7) == 0    ? v + 7
                       : strncmp(v, "https://", 8) == 0 ? v + 8
                                                        : NULL;
    return host && *host &&
           strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789.-_:[]") == strlen(host);
}

/* A host name as a Host header carries it, without the port; or '*'. */
static bool host_name_ok(const char *v)
{
    return strcmp(v, "*") == 0 ||
           strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
               strlen(v);
}

/* clang-format off */
static const struct opt_def opts[] = {
    {"host", "IMPMOCK_HOST", "ADDR", OPT_TEXT, NULL, F(host), NO_FIELD, 1, 64, "an address",
     "IPv4 address to listen on (default 127.0.0.1;\n0.0.0.0 for every interface)"},
    {"port", "IMPMOCK_PORT", "N", OPT_NUM, NULL, F(port), NO_FIELD, 0, 65535,
     "a number from 0 to 65535", "port to listen on, 0 = any free port (default 8080)"},
    {"port-file", "IMPMOCK_PORT_FILE", "FILE", OPT_TEXT, NULL, F(port_file), NO_FIELD, 1, 4096,
     "a file name", "write the port actually bound to FILE once listening"},
    {"fixtures", "IMPMOCK_FIXTURES", "PATH", OPT_TEXT, NULL, F(fixtures), NO_FIELD, 1, 4096,
     "a file or directory",
     "JSON file or directory of *.json replacing the embedded\n"
     "default fixtures (merchants, seed records, test cards)"},
    {"seed", "IMPMOCK_SEED", "N", OPT_U64, NULL, F(seed), F(seeded), 0, 0,
     "a whole number from 0 to 2^64-1", "deterministic ids and tokens from seed N (0..2^64-1)"},
    {"clock", "IMPMOCK_CLOCK", "UNIX_SECONDS", OPT_NUM, NULL, F(clock), F(clock_given), 0,
     TIME_MAX, "unix seconds", "start with the clock frozen at this time"},
    {"scenario", "IMPMOCK_SCENARIOS", "FILE", OPT_LIST, NULL, F(scenarios), NO_FIELD, 1, 4096,
     "a file name",
     "load a scenario file (repeatable; the variable takes a\n"
     "comma-separated list); see scenarios/README.md"},
    {"open-tenants", "IMPMOCK_OPEN_TENANTS", NULL, OPT_SWITCH, NULL, F(open_tenants), NO_FIELD, 0, 0,
     "1, true, yes, on, 0, false, no or off",
     "any new imp_key/imp_secret pair gets a fresh empty tenant\n"
     "at its first getToken (for parallel CI jobs)"},
    {"max-tenants", "IMPMOCK_MAX_TENANTS", "N", OPT_NUM, NULL, F(max_tenants), NO_FIELD, 1, 1000000,
     "a number from 1 to 1000000",
     "tenants --open-tenants keeps at once (default 10000); past it,\n"
     "idle empty ones are dropped, else a new pair is refused"},
    {"admin-token", "IMPMOCK_ADMIN_TOKEN", "T", OPT_TEXT, NULL, F(admin_token), NO_FIELD, 1, CONFIG_ADMIN_TOKEN_MAX,
     "a token of 1 to 256 bytes", "require header X-Admin-Token: T on the /__mock/ control API"},
    {"admin-token-file", "IMPMOCK_ADMIN_TOKEN_FILE", "FILE", OPT_TEXT, NULL, F(admin_token_file),
     NO_FIELD, 1, 4096, "a file name",
     "read the admin token from FILE (one line of 1 to 256 bytes),\n"
     "so it does not show in the process list"},
    {"allowed-host", "IMPMOCK_ALLOWED_HOST", "NAME", OPT_LIST, host_name_ok, F(allowed_hosts), NO_FIELD, 1, 253,
     "a host name without scheme or port, or '*'",
     "answer requests for Host NAME too (repeatable; the variable\n"
     "takes a comma-separated list), e.g. a container's service name;\n"
     "IP addresses, localhost and this machine's name always work,\n"
     "and with --tls-port api.iamport.kr and each --tls-name;\n"
     "'*' turns off this guard against DNS rebinding"},
    {"cors-origin", "IMPMOCK_CORS_ORIGIN", "ORIGIN", OPT_LIST, origin_ok, F(cors_origins), NO_FIELD, 1, 256,
     "an origin such as http://localhost:3000, 'null' or '*'",
     "let browser pages on ORIGIN call the REST API (repeatable;\n"
     "'*' = any page); without it the REST API, like the real one,\n"
     "sends no CORS headers and refuses other origins"},
    {"threads", "IMPMOCK_THREADS", "N", OPT_NUM, NULL, F(threads), NO_FIELD, 1, 4096,
     "a number from 1 to 4096", "worker threads = concurrent keep-alive clients (default 288)"},
    {"state-dir", "IMPMOCK_STATE_DIR", "DIR", OPT_TEXT, NULL, F(state_dir), NO_FIELD, 1, 4096,
     "a directory",
     "keep state in DIR across restarts (log + snapshot); without it,\n"
     "state lives in memory only"},
    {"state-sync", "IMPMOCK_STATE_SYNC", NULL, OPT_SWITCH, NULL, F(state_sync), NO_FIELD, 0, 0,
     "1, true, yes, on, 0, false, no or off",
     "fdatasync every change (survives power loss, not only kill -9)"},
    {"state-repair", "IMPMOCK_STATE_REPAIR", NULL, OPT_SWITCH, NULL, F(state_repair), NO_FIELD, 0, 0,
     "1, true, yes, on, 0, false, no or off",
     "start on a damaged --state-dir: copy its files to\n"
     "DIR/damaged-<time>/, keep every record up to the damage\n"
     "(without it, damage refuses start-up)"},
    {"body-limit", "IMPMOCK_BODY_LIMIT", "BYTES", OPT_NUM, NULL, F(body_limit), NO_FIELD, 1024,
     1LL << 30, "from 1024 to 1073741824 bytes",
     "largest request body accepted (default 1048576)"},
    {"request-timeout", "IMPMOCK_REQUEST_TIMEOUT", "MS", OPT_NUM, NULL, F(request_timeout_ms),
     NO_FIELD, 100, 3600000, "from 100 to 3600000 ms",
     "time a client has to send one request, headers and body;\n"
     "slower clients are cut off (default 15000)"},
    {"keep-alive-timeout", "IMPMOCK_KEEP_ALIVE_TIMEOUT", "MS", OPT_NUM, NULL,
     F(keep_alive_timeout_ms), NO_FIELD, 100, 3600000, "from 100 to 3600000 ms",
     "how long an idle keep-alive connection keeps its worker, and\n"
     "the time for the headers of its next request (default 5000)"},
    {"journal-size", "IMPMOCK_JOURNAL_SIZE", "N", OPT_NUM, NULL, F(journal_size), NO_FIELD, 0, 1000000,
     "a number from 0 to 1000000",
     "requests kept for GET /__mock/requests (default 1000, 0 = off)"},
    {"journal-page-limit", "IMPMOCK_JOURNAL_PAGE_LIMIT", "BYTES", OPT_NUM, NULL, F(journal_page_limit),
     NO_FIELD, 1LL << 20, 1LL << 30, "from 1048576 to 1073741824 bytes",
     "largest answer of GET /__mock/requests (default 8388608);\n"
     "older entries that do not fit are fetched with ?before=N\n"
     "(the answer's X-Mock-Next-Before header gives N)"},
    {"webhook-retries", "IMPMOCK_WEBHOOK_RETRIES", "N", OPT_NUM, NULL, F(webhook_retries), NO_FIELD, 0,
     5, "a number from 0 to 5",
     "resend a webhook up to N times (0..5, default 0) when the\n"
     "receiver does not answer or answers 5xx"},
    {"webhook-retry-interval", "IMPMOCK_WEBHOOK_RETRY_INTERVAL", "SECONDS", OPT_NUM, NULL,
     F(webhook_retry_interval), NO_FIELD, 1, 86400, "1 to 86400 seconds",
     "virtual-clock seconds between webhook attempts (default 60)"},
    {"webhook-journal-size", "IMPMOCK_WEBHOOK_JOURNAL_SIZE", "N", OPT_NUM, NULL,
     F(webhook_journal_size), NO_FIELD, 0, 1000000, "a number from 0 to 1000000",
     "webhook attempts kept for GET /__mock/webhooks (default 1000)"},
    {"quiet", "IMPMOCK_QUIET", NULL, OPT_SWITCH, NULL, F(quiet), NO_FIELD, 0, 0,
     "1, true, yes, on, 0, false, no or off", "no access log"},
    {"log-format", "IMPMOCK_LOG_FORMAT", "FMT", OPT_CHOICE, NULL, F(log_format), NO_FIELD, 0, 0,
     "'text' or 'json'", "access log as 'text' (default) or 'json' lines"},
    {"tls-port", "IMPMOCK_TLS_PORT", "N", OPT_NUM, NULL, F(tls_port), F(tls_port_given), 0, 65535,
     "a number from 0 to 65535",
     "also serve HTTPS on port N, 0 = any free port (default: no\n"
     "TLS); see README 'Reaching impmock as https://api.iamport.kr'"},
    {"tls-port-file", "IMPMOCK_TLS_PORT_FILE", "FILE", OPT_TEXT, NULL, F(tls_port_file), NO_FIELD, 1,
     4096, "a file name", "write the TLS port actually bound to FILE once listening"},
    {"tls-cert", "IMPMOCK_TLS_CERT", "FILE", OPT_TEXT, NULL, F(tls_cert), NO_FIELD, 1, 4096,
     "a file name",
     "serve this PEM certificate (chain) instead of one issued\n"
     "by the local CA; needs --tls-key"},
    {"tls-key", "IMPMOCK_TLS_KEY", "FILE", OPT_TEXT, NULL, F(tls_key), NO_FIELD, 1, 4096, "a file name",
     "the PEM private key of --tls-cert"},
    {"tls-name", "IMPMOCK_TLS_NAMES", "NAME", OPT_LIST, tlscert_name_ok, F(tls_names), NO_FIELD, 1, 253,
     "a DNS name or an IP address",
     "one more name the issued certificate is valid for, besides\n"
     "api.iamport.kr, localhost, 127.0.0.1, ::1 and --host\n"
     "(repeatable; the variable takes a comma-separated list)"},
    {"tls-ca-dir", "IMPMOCK_TLS_CA_DIR", "DIR", OPT_TEXT, NULL, F(tls_ca_dir), NO_FIELD, 1, 4096,
     "a directory",
     "keep the local CA in DIR (default: DIR/tls of --state-dir,\n"
     "else $XDG_DATA_HOME/impmock or ~/.local/share/impmock)"},
};
/* clang-format on */

#define N_OPTS (sizeof opts / sizeof opts[0])

static const char usage_head[] =
    "Usage: impmock [OPTIONS]\n"
    "A stateful mock of the i'mport (PortOne V1) REST API and the Kakao Pay window.\n"
    "Every option can also be set with the environment variable shown beside it;\n"
    "a flag wins over its variable, and an empty variable counts as unset.\n"
    "\n";

static const char usage_tail[] =
    "  --healthcheck [URL]  probe a running impmock and exit: 0 when URL (default\n"
    "                       http://127.0.0.1:$IMPMOCK_PORT/__mock/health, port 8080\n"
    "                       when unset) answers 200 within 3 s, 1 when not; must\n"
    "                       come first (for a container's HEALTHCHECK)\n"
    "  --print-ca           print the local CA's certificate (PEM), creating the CA\n"
    "                       if there is none yet, and exit\n"
    "  --version            print the version and exit\n"
    "  --help               print this help and exit\n"
    "\n"
    "Control API (plain JSON; GET /__mock/openapi.json describes it, /__mock/docs\n"
    "shows it; K is a tenant's imp_key):\n"
    "  GET    /__mock/health                    status, version and impmock's clock\n"
    "  GET    /__mock/clock                     impmock's clock\n"
    "  POST   /__mock/clock                     {\"set\": T} | {\"advance\": S} | {\"freeze\": B}\n"
    "  POST   /__mock/reset[?imp_key=K]         back to the fixtures (files read again\n"
    "                                           when they changed)\n"
    "  GET    /__mock/requests[?since=N&before=N&limit=N&method=M&path=P&status=S\n"
    "                          &imp_key=K]      the request journal\n"
    "  DELETE /__mock/requests[?imp_key=K]      forget it\n"
    "  GET    /__mock/webhooks[?limit=N&status=S&id=N&merchant_uid=M&imp_key=K]\n"
    "  POST   /__mock/webhooks/trigger          {\"imp_uid\", \"status\"?}: send a notice now\n"
    "  POST   /__mock/webhooks/ID/resend        send delivery ID once more\n"
    "  POST   /__mock/vbanks/IMP_UID/deposit    {\"amount\"?}: the buyer pays in\n"
    "  GET    /__mock/scenarios                 loaded scenarios and their hits\n"
    "  POST   /__mock/scenarios[?imp_key=K]     load one (the body)\n"
    "  DELETE /__mock/scenarios[?name=N]        unload one, or all\n"
    "  POST   /__mock/scenarios/NAME/enabled    {\"enabled\": B}\n"
    "  GET    /__mock/export[?imp_key=K]        a tenant's state as a document\n"
    "  POST   /__mock/import[?imp_key=K]        replace a tenant's state with one\n"
    "  GET    /__mock/tenants                   every tenant with counts\n"
    "  GET    /__mock/payments[?imp_key=K&...]  a tenant's records, paged;\n"
    "  GET    /__mock/customers[?imp_key=K&...]   also customers (billing keys)\n"
    "  GET    /__mock/schedules[?imp_key=K&...]   and schedules\n"
    "  GET    /__mock/errors                    the error table\n"
    "  GET    /__mock/routes                    every route impmock serves\n"
    "  GET    /__mock/openapi.json              the OpenAPI description\n"
    "The dashboard is at /__mock/ui. Calls that change state need Content-Type:\n"
    "application/json or the header X-Impmock: 1 (no web page on another site can send\n"
    "either); with --admin-token every call but health, openapi.json and the pages\n"
    "needs X-Admin-Token.\n"
    "Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when start-up fails,\n"
    "2 on a bad command line or environment.\n";

const char *config_usage(void)
{
    static char text[12288]; /* built once, on the main thread */
    if (text[0])
        return text;
    size_t len = 0;
    len += (size_t)snprintf(text + len, sizeof text - len, "%s", usage_head);
    for (size_t i = 0; i < N_OPTS && len < sizeof text; i++) {
        const struct opt_def *o = &opts[i];
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->flag, o->arg ? " " : "", o->arg ? o->arg : "");
        /* the help lines, the first beside the flag when it fits */
        const char *line = o->help;
        bool beside = strlen(left) <= 19;
        if (!beside)
            len += (size_t)snprintf(text + len, sizeof text - len, "  %s\n", left);
        for (bool first = true; line && len < sizeof text; first = false) {
            const char *nl = strchr(line, '\n');
            int n = nl ? (int)(nl - line) : (int)strlen(line);
            len += (size_t)snprintf(text + len, sizeof text - len, "  %-19s  %.*s\n",
                                    first && beside ? left : "", n, line);
            line = nl ? nl + 1 : NULL;
        }
        len += (size_t)snprintf(text + len, sizeof text - len, "  %-19s  (env %s)\n", "", o->env);
    }
    if (len < sizeof text)
        snprintf(text + len, sizeof text - len, "%s", usage_tail);
    return text;
}

static void *field(struct config *c, size_t off)
{
    return (char *)c + off;
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

static bool parse_switch(const char *s, bool *ret)
{
    static const char *const on[] = {"1", "true", "yes", "on"};
    static const char *const off[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(s, on[i]) == 0 || strcmp(s, off[i]) == 0) {
            *ret = strcmp(s, on[i]) == 0;
            return true;
        }
    }
    return false;
}

/* Whether s is one of the quoted words of `must` ("'text' or 'json'"). */
static bool is_choice(const char *must, const char *s)
{
    char quoted[80];
    snprintf(quoted, sizeof quoted, "'%s'", s);
    return *s && !strchr(s, '\'') && strstr(must, quoted) != NULL;
}

/* Appends v to a list option; false when full. */
static bool list_add(struct config *c, const struct opt_def *o, const char *v)
{
    struct config_list *l = field(c, o->off);
    if (l->n == CONFIG_LIST_MAX)
        return false;
    l->items[l->n++] = v;
    return true;
}

/* Sets option o from text v; `who` names the source for messages. */
static bool set_value(struct config *c, const struct opt_def *o, const char *v, const char *who,
                      char *err, size_t errlen)
{
    bool ok = true;
    switch (o->kind) {
    case OPT_TEXT:
        ok = *v && strlen(v) <= (size_t)o->max;
        if (ok)
            *(const char **)field(c, o->off) = v;
        break;
    case OPT_NUM:
        ok = parse_ll(v, o->min, o->max, field(c, o->off));
        break;
    case OPT_U64:
        ok = parse_u64(v, field(c, o->off));
        break;
    case OPT_SWITCH:
        ok = parse_switch(v, field(c, o->off));
        break;
    case OPT_CHOICE:
        ok = is_choice(o->must, v);
        if (ok)
            *(const char **)field(c, o->off) = v;
        break;
    case OPT_LIST:
        ok = *v && strlen(v) <= (size_t)o->max;
        if (ok && !list_add(c, o, v)) {
            snprintf(err, errlen, "at most %d %s entries", CONFIG_LIST_MAX, who);
            return false;
        }
        break;
    }
    ok = ok && (!o->valid || o->valid(v));
    if (!ok) {
        snprintf(err, errlen, "%s must be %s, got '%s'", who, o->must, v);
        return false;
    }
    if (o->given_off != NO_FIELD)
        *(bool *)field(c, o->given_off) = true;
    return true;
}

/* The IMPMOCK_* variables, before the flags. A list variable is split on
 * commas into a copy c owns. */
static bool from_environment(struct config *c, char *err, size_t errlen)
{
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct opt_def *o = &opts[i];
        const char *v = getenv(o->env);
        if (!v || !*v)
            continue;
        if (o->kind != OPT_LIST) {
            if (!set_value(c, o, v, o->env, err, errlen))
                return false;
            continue;
        }
        char *copy = c->n_owned < sizeof c->owned / sizeof c->owned[0] ? strdup(v) : NULL;
        if (!copy) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        c->owned[c->n_owned++] = copy;
        char *save = NULL;
        for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save))
            if (!set_value(c, o, item, o->env, err, errlen))
                return false;
    }
    return true;
}

static void defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->host = "127.0.0.1";
    c->port = 8080;
    c->threads = 288;
    c->max_tenants = 10000;
    c->body_limit = 1 << 20;
    c->request_timeout_ms = 15000;
    c->keep_alive_timeout_ms = 5000;
    c->journal_size = 1000;
    c->journal_page_limit = 8 << 20;
    c->webhook_retry_interval = 60;
    c->webhook_journal_size = 1000;
    c->log_format = "text";
}

void config_fini(struct config *c)
{
    for (size_t i = 0; i < c->n_owned; i++)
        free(c->owned[i]);
    c->n_owned = 0;
}

/* Reads --admin-token-file into c->admin_token (a copy that lives as long
 * as the program): one line, its end of line dropped. */
static bool read_admin_token(struct config *c, char *err, size_t errlen)
{
    static char token[CONFIG_ADMIN_TOKEN_MAX + 3]; /* room to notice a longer one */
    if (c->admin_token) {
        snprintf(err, errlen,
                 "give --admin-token or --admin-token-file (or their variables), "
                 "not both");
        return false;
    }
    FILE *f = fopen(c->admin_token_file, "r");
    if (!f) {
        snprintf(err, errlen, "--admin-token-file %s: cannot read: %s", c->admin_token_file,
                 strerror(errno));
        return false;
    }
    size_t n = fread(token, 1, sizeof token - 1, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    token[n] = '\0';
    size_t len = strcspn(token, "\r\n");
    bool one_line = len == n || strspn(token + len, "\r\n") == n - len;
    token[len] = '\0';
    if (more || !one_line || len == 0 || len > CONFIG_ADMIN_TOKEN_MAX || strlen(token) != len) {
        snprintf(err, errlen, "--admin-token-file %s must hold one line of 1 to %d bytes",
                 c->admin_token_file, CONFIG_ADMIN_TOKEN_MAX);
        return false;
    }
    c->admin_token = token;
    return true;
}

static bool is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6) || (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
    return strcmp(host, "localhost") == 0;
}

const char *config_exposure_warning(const struct config *c)
{
    if (c->admin_token || is_loopback(c->host))
        return NULL;
    static char text[256];
    snprintf(text, sizeof text,
             "warning: listening on %s, beyond this machine, with the /__mock/ control API "
             "open to anyone who can reach it (reset, import, clock); set --admin-token-file "
             "or IMPMOCK_ADMIN_TOKEN",
             c->host);
    return text;
}

enum config_action config_parse(struct config *c, int argc, char **argv, char *err, size_t errlen)
{
    enum { HELP = 256, VERSION, PRINT_CA, FIRST };
    static struct option longopts[N_OPTS + 4];
    for (size_t i = 0; i < N_OPTS; i++)
        longopts[i] = (struct option){opts[i].flag, opts[i].arg ? required_argument : no_argument,
                                      NULL, FIRST + (int)i};
    longopts[N_OPTS] = (struct option){"help", no_argument, NULL, HELP};
    longopts[N_OPTS + 1] = (struct option){"version", no_argument, NULL, VERSION};
    longopts[N_OPTS + 2] = (struct option){"print-ca", no_argument, NULL, PRINT_CA};
    longopts[N_OPTS + 3] = (struct option){NULL, 0, NULL, 0};

    defaults(c);
    if (!from_environment(c, err, errlen))
        return CONFIG_BAD;
    bool flag_list_seen[N_OPTS] = {false}; /* a list's first flag replaces its variable's list */
    opterr = 0;
    optind = 1;
    int opt;
    bool print_ca = false; /* after the other flags, which say where the CA is */
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (opt == HELP)
            return CONFIG_HELP;
        if (opt == VERSION)
            return CONFIG_VERSION;
        if (opt == PRINT_CA) {
            print_ca = true;
            continue;
        }
        if (opt == ':') {
            snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
            return CONFIG_BAD;
        }
        if (opt < FIRST || opt >= FIRST + (int)N_OPTS) {
            snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
            return CONFIG_BAD;
        }
        const struct opt_def *o = &opts[opt - FIRST];
        char who[64];
        snprintf(who, sizeof who, "--%s", o->flag);
        if (o->kind == OPT_LIST && !flag_list_seen[opt - FIRST]) {
            ((struct config_list *)field(c, o->off))->n = 0;
            flag_list_seen[opt - FIRST] = true;
        }
        if (!set_value(c, o, o->kind == OPT_SWITCH ? "1" : optarg, who, err, errlen))
            return CONFIG_BAD;
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
        return CONFIG_BAD;
    }
    if (!c->tls_cert != !c->tls_key) {
        snprintf(err, errlen,
                 "--tls-cert and --tls-key (IMPMOCK_TLS_CERT, IMPMOCK_TLS_KEY) "
                 "go together");
        return CONFIG_BAD;
    }
    if (c->admin_token_file && !read_admin_token(c, err, errlen))
        return CONFIG_BAD;
    return print_ca ? CONFIG_PRINT_CA : CONFIG_SERVE;
}
