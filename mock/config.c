/* config.c - see config.h. */
#include "config.h"

#include "base/limits.h"

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
    size_t off;       /* the field in struct config */
    size_t given_off; /* a bool set when the option is given, or NO_FIELD */
    long long min, max;
    const char *must; /* what a value must be, for messages ("a number from 0 to 65535") */
    const char *help; /* lines of help, '\n' between them */
};

/* clang-format off */
static const struct opt_def opts[] = {
    {"host", "IMPMOCK_HOST", "ADDR", OPT_TEXT, F(host), NO_FIELD, 1, 64, "an address",
     "IPv4 address to listen on (default 127.0.0.1;\n0.0.0.0 for every interface)"},
    {"port", "IMPMOCK_PORT", "N", OPT_NUM, F(port), NO_FIELD, 0, 65535,
     "a number from 0 to 65535", "port to listen on, 0 = any free port (default 8080)"},
    {"port-file", "IMPMOCK_PORT_FILE", "FILE", OPT_TEXT, F(port_file), NO_FIELD, 1, 4096,
     "a file name", "write the port actually bound to FILE once listening"},
    {"fixtures", "IMPMOCK_FIXTURES", "PATH", OPT_TEXT, F(fixtures), NO_FIELD, 1, 4096,
     "a file or directory",
     "JSON file or directory of *.json replacing the embedded\n"
     "default fixtures (merchants, seed records, test cards)"},
    {"seed", "IMPMOCK_SEED", "N", OPT_U64, F(seed), F(seeded), 0, 0,
     "a whole number from 0 to 2^64-1", "deterministic ids and tokens from seed N (0..2^64-1)"},
    {"clock", "IMPMOCK_CLOCK", "UNIX_SECONDS", OPT_NUM, F(clock), F(clock_given), 0,
     TIME_MAX, "unix seconds", "start with the clock frozen at this time"},
    {"scenario", "IMPMOCK_SCENARIOS", "FILE", OPT_LIST, F(scenarios), NO_FIELD, 1, 4096,
     "a file name",
     "load a scenario file (repeatable; the variable takes a\n"
     "comma-separated list); see scenarios/README.md"},
    {"open-tenants", "IMPMOCK_OPEN_TENANTS", NULL, OPT_SWITCH, F(open_tenants), NO_FIELD, 0, 0,
     "1, true, yes, on, 0, false, no or off",
     "any new imp_key/imp_secret pair gets a fresh empty tenant\n"
     "at its first getToken (for parallel CI jobs)"},
    {"max-tenants", "IMPMOCK_MAX_TENANTS", "N", OPT_NUM, F(max_tenants), NO_FIELD, 1, 1000000,
     "a number from 1 to 1000000",
     "tenants --open-tenants keeps at once (default 10000); past it,\n"
     "idle empty ones are dropped, else a new pair is refused"},
    {"admin-token", "IMPMOCK_ADMIN_TOKEN", "T", OPT_TEXT, F(admin_token), NO_FIELD, 1, 256,
     "a token of 1 to 256 bytes", "require header X-Admin-Token: T on the /__mock/ control API"},
    {"threads", "IMPMOCK_THREADS", "N", OPT_NUM, F(threads), NO_FIELD, 1, 4096,
     "a number from 1 to 4096", "worker threads = concurrent keep-alive clients (default 288)"},
    {"state-dir", "IMPMOCK_STATE_DIR", "DIR", OPT_TEXT, F(state_dir), NO_FIELD, 1, 4096,
     "a directory",
     "keep state in DIR across restarts (log + snapshot); without it,\n"
     "state lives in memory only"},
    {"state-sync", "IMPMOCK_STATE_SYNC", NULL, OPT_SWITCH, F(state_sync), NO_FIELD, 0, 0,
     "1, true, yes, on, 0, false, no or off",
     "fdatasync every change (survives power loss, not only kill -9)"},
    {"body-limit", "IMPMOCK_BODY_LIMIT", "BYTES", OPT_NUM, F(body_limit), NO_FIELD, 1024,
     1LL << 30, "from 1024 to 1073741824 bytes",
     "largest request body accepted (default 1048576)"},
    {"request-timeout", "IMPMOCK_REQUEST_TIMEOUT", "MS", OPT_NUM, F(request_timeout_ms),
     NO_FIELD, 100, 3600000, "from 100 to 3600000 ms",
     "time a client has to send one request, headers and body;\n"
     "slower clients are cut off (default 15000)"},
    {"journal-size", "IMPMOCK_JOURNAL_SIZE", "N", OPT_NUM, F(journal_size), NO_FIELD, 0, 1000000,
     "a number from 0 to 1000000",
     "requests kept for GET /__mock/requests (default 1000, 0 = off)"},
    {"webhook-retries", "IMPMOCK_WEBHOOK_RETRIES", "N", OPT_NUM, F(webhook_retries), NO_FIELD, 0,
     5, "a number from 0 to 5",
     "resend a webhook up to N times (0..5, default 0) when the\n"
     "receiver does not answer or answers 5xx"},
    {"webhook-retry-interval", "IMPMOCK_WEBHOOK_RETRY_INTERVAL", "SECONDS", OPT_NUM,
     F(webhook_retry_interval), NO_FIELD, 1, 86400, "1 to 86400 seconds",
     "virtual-clock seconds between webhook attempts (default 60)"},
    {"webhook-journal-size", "IMPMOCK_WEBHOOK_JOURNAL_SIZE", "N", OPT_NUM,
     F(webhook_journal_size), NO_FIELD, 0, 1000000, "a number from 0 to 1000000",
     "webhook attempts kept for GET /__mock/webhooks (default 1000)"},
    {"quiet", "IMPMOCK_QUIET", NULL, OPT_SWITCH, F(quiet), NO_FIELD, 0, 0,
     "1, true, yes, on, 0, false, no or off", "no access log"},
    {"log-format", "IMPMOCK_LOG_FORMAT", "FMT", OPT_CHOICE, F(log_format), NO_FIELD, 0, 0,
     "'text' or 'json'", "access log as 'text' (default) or 'json' lines"},
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
    "  --version            print the version and exit\n"
    "  --help               print this help and exit\n"
    "\n"
    "Control API: GET /__mock/health, GET|POST /__mock/clock, POST /__mock/reset[?imp_key=K],\n"
    "GET|POST|DELETE /__mock/scenarios[?name=N],\n"
    "GET /__mock/requests[?limit=N&method=M&path=P&status=S&imp_key=K],\n"
    "GET /__mock/webhooks[?limit=N&status=S&id=N&merchant_uid=M&imp_key=K],\n"
    "POST /__mock/webhooks/ID/resend, GET /__mock/export[?imp_key=K], POST /__mock/import,\n"
    "GET /__mock/routes.\n"
    "Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when start-up fails,\n"
    "2 on a bad command line or environment.\n";

const char *config_usage(void)
{
    static char text[8192]; /* built once, on the main thread */
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
    c->journal_size = 1000;
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

enum config_action config_parse(struct config *c, int argc, char **argv, char *err, size_t errlen)
{
    enum { HELP = 256, VERSION, FIRST };
    static struct option longopts[N_OPTS + 3];
    for (size_t i = 0; i < N_OPTS; i++)
        longopts[i] = (struct option){opts[i].flag, opts[i].arg ? required_argument : no_argument,
                                      NULL, FIRST + (int)i};
    longopts[N_OPTS] = (struct option){"help", no_argument, NULL, HELP};
    longopts[N_OPTS + 1] = (struct option){"version", no_argument, NULL, VERSION};
    longopts[N_OPTS + 2] = (struct option){NULL, 0, NULL, 0};

    defaults(c);
    if (!from_environment(c, err, errlen))
        return CONFIG_BAD;
    bool flag_list_seen[N_OPTS] = {false}; /* a list's first flag replaces its variable's list */
    opterr = 0;
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (opt == HELP)
            return CONFIG_HELP;
        if (opt == VERSION)
            return CONFIG_VERSION;
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
    return CONFIG_SERVE;
}
