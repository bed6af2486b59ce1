/*
 * config.h - impmock's settings from the command line and the environment.
 * One table holds every option: its flag, its environment variable, its
 * type and bounds, and its help text, so --help, the parser and the
 * variables never disagree. A flag wins over its variable; a bad value is
 * refused naming the flag or the variable it came from.
 * Strings point into argv or the environment, or into copies c owns until
 * config_fini; nothing here starts anything.
 */
#ifndef IMPMOCK_CONFIG_H
#define IMPMOCK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_LIST_MAX        64  /* entries of a repeatable option (--scenario) */
#define CONFIG_ADMIN_TOKEN_MAX 256 /* bytes of the admin token */

struct config_list {
    const char *items[CONFIG_LIST_MAX];
    size_t n;
};

struct config {
    const char *host;      /* listen address */
    long long port;        /* 0 = any free port */
    const char *port_file; /* NULL: none */
    const char *fixtures;  /* NULL: the embedded defaults */
    bool seeded;
    uint64_t seed;
    bool clock_given;
    long long clock;              /* unix s the clock starts frozen at */
    struct config_list scenarios; /* scenario files */
    bool open_tenants;
    long long max_tenants;            /* tenants made on the fly kept at once */
    const char *admin_token;          /* NULL: control API open */
    const char *admin_token_file;     /* read into admin_token by config_parse */
    struct config_list allowed_hosts; /* Host names answered besides the built-in ones */
    struct config_list cors_origins;  /* origins whose pages may call the REST API */
    long long threads;
    const char *state_dir; /* NULL: memory only */
    bool state_sync;
    bool state_repair;               /* keep what is readable of a damaged state dir */
    long long body_limit;            /* bytes */
    long long request_timeout_ms;    /* ms */
    long long keep_alive_timeout_ms; /* ms */
    long long journal_size;          /* requests kept */
    long long journal_page_limit;    /* bytes of one GET /__mock/requests answer */
    long long webhook_retries;
    long long webhook_retry_interval; /* virtual-clock seconds */
    long long webhook_journal_size;
    bool quiet;
    const char *log_format; /* "text" or "json" */
    bool tls_port_given;    /* --tls-port: serve HTTPS too */
    long long tls_port;     /* 0 = any free port */
    const char *tls_port_file;
    const char *tls_cert;         /* PEM chain; NULL: issued by the local CA */
    const char *tls_key;          /* PEM key of tls_cert */
    struct config_list tls_names; /* extra names for the issued certificate */
    const char *tls_ca_dir;       /* NULL: state_dir/tls, else the per-user default */
    char *owned[8];               /* copies a list variable was split in; config_fini frees them */
    size_t n_owned;
};

/* What the command line asked for besides serving. */
enum config_action {
    CONFIG_SERVE,
    CONFIG_HELP,     /* --help: print config_usage() */
    CONFIG_VERSION,  /* --version */
    CONFIG_PRINT_CA, /* --print-ca: print the local CA certificate */
    CONFIG_BAD,      /* refused: the message is in err */
};

/* Fills c from the defaults, then the IMPMOCK_* variables of the
 * environment, then argv (flags win). CONFIG_BAD with a one-line message
 * ("--port must be ..., got 'x'") in err. */
enum config_action config_parse(struct config *c, int argc, char **argv, char *err, size_t errlen);
/* Frees what config_parse copied (list variables); the strings of c that
 * point there are gone afterwards. */
void config_fini(struct config *c);
/* A warning for standard error when the settings expose the control API
 * (a non-loopback address and no admin token), else NULL. */
const char *config_exposure_warning(const struct config *c);
/* The --help text (static). */
const char *config_usage(void);
/* Frees what config_parse copied (the list variables' text): after the
 * last use of c's strings. */
void config_fini(struct config *c);

#endif
