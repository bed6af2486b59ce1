/*
 * lazycurl.c - libcurl, opened the first time it is used. impmock needs
 * libcurl only to deliver webhooks, yet linking it loads some thirty
 * libraries (OpenSSL, GnuTLS, Kerberos, LDAP, ...) and runs their
 * initialisers at every start: about 8 ms and 6 MB of resident memory before
 * the first request, for the many test runs that never send a webhook.
 * These definitions stand in for the curl functions impmock calls; the first
 * call dlopen()s the real library and forwards from then on. A curl function
 * used elsewhere later fails the link by name: add it here.
 * Thread-safety: the library is opened once (pthread_once); libcurl >= 7.84
 * initialises itself thread-safely.
 */
#define CURL_DISABLE_TYPECHECK /* the type-checking macros would rename our definitions */
#include <curl/curl.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static struct {
    void *lib;
    CURLcode (*global_init)(long);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_reset)(CURL *);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} real; /* written once under `once`, read-only afterwards */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static long init_flags = CURL_GLOBAL_DEFAULT; /* set before threads start */

/* dlsym's object pointer into a function pointer slot (POSIX allows it) */
#define BIND(field, name) *(void **)&real.field = dlsym(real.lib, name)

static void load(void)
{
    real.lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!real.lib) {
        fprintf(stderr, "impmock: cannot load libcurl (%s): webhooks will not be sent\n",
                dlerror());
        return;
    }
    BIND(global_init, "curl_global_init");
    BIND(global_cleanup, "curl_global_cleanup");
    BIND(easy_init, "curl_easy_init");
    BIND(easy_setopt, "curl_easy_setopt");
    BIND(easy_perform, "curl_easy_perform");
    BIND(easy_getinfo, "curl_easy_getinfo");
    BIND(easy_reset, "curl_easy_reset");
    BIND(easy_cleanup, "curl_easy_cleanup");
    BIND(easy_strerror, "curl_easy_strerror");
    BIND(slist_append, "curl_slist_append");
    BIND(slist_free_all, "curl_slist_free_all");
    bool all = real.global_init && real.global_cleanup && real.easy_init && real.easy_setopt &&
               real.easy_perform && real.easy_getinfo && real.easy_reset && real.easy_cleanup &&
               real.easy_strerror && real.slist_append && real.slist_free_all;
    if (!all || real.global_init(init_flags) != CURLE_OK) {
        fprintf(stderr, "impmock: libcurl is unusable: webhooks will not be sent\n");
        dlclose(real.lib);
        real.lib = NULL;
    }
}

static bool ready(void)
{
    pthread_once(&once, load);
    return real.lib != NULL;
}

/* Only notes the flags: the library is opened and initialised on first use. */
CURLcode(curl_global_init)(long flags)
{
    init_flags = flags;
    return CURLE_OK;
}

void(curl_global_cleanup)(void)
{
    if (real.lib)
        real.global_cleanup();
}

CURL *(curl_easy_init)(void)
{
    return ready() ? real.easy_init() : NULL;
}

/* The argument's type follows from the option's number range (curl.h). */
CURLcode(curl_easy_setopt)(CURL *curl, CURLoption option, ...)
{
    if (!ready())
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, option);
    CURLcode rc;
    if (option < CURLOPTTYPE_OBJECTPOINT)
        rc = real.easy_setopt(curl, option, va_arg(ap, long));
    else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB)
        rc = real.easy_setopt(curl, option, va_arg(ap, curl_off_t));
    else /* data, function and blob pointers */
        rc = real.easy_setopt(curl, option, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLcode(curl_easy_perform)(CURL *curl)
{
    return ready() ? real.easy_perform(curl) : CURLE_FAILED_INIT;
}

CURLcode(curl_easy_getinfo)(CURL *curl, CURLINFO info, ...)
{
    if (!ready())
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    CURLcode rc = real.easy_getinfo(curl, info, va_arg(ap, void *)); /* always a pointer */
    va_end(ap);
    return rc;
}

void(curl_easy_reset)(CURL *curl)
{
    if (ready())
        real.easy_reset(curl);
}

void(curl_easy_cleanup)(CURL *curl)
{
    if (ready())
        real.easy_cleanup(curl);
}

const char *(curl_easy_strerror)(CURLcode code)
{
    return ready() ? real.easy_strerror(code) : "libcurl could not be loaded";
}

struct curl_slist *(curl_slist_append)(struct curl_slist *list, const char *s)
{
    return ready() ? real.slist_append(list, s) : NULL;
}

void(curl_slist_free_all)(struct curl_slist *list)
{
    if (ready())
        real.slist_free_all(list);
}
