/* healthcheck.c - `impmock --healthcheck`: a probe of /__mock/health over libcurl. */
#include "http/healthcheck.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t discard_body(char *data, size_t size, size_t n, void *unused)
{
    (void)data;
    (void)unused;
    return size * n;
}

/* The default URL from IMPMOCK_PORT; false when the variable is unusable. */
static bool default_url(char *ret_url, size_t cap)
{
    const char *env = getenv("IMPMOCK_PORT");
    long port = 8080;
    if (env) {
        char *end = NULL;
        errno = 0;
        port = strtol(env, &end, 10);
        if (!*env || *end || errno || port < 1 || port > 65535) {
            fprintf(stderr,
                    "impmock: --healthcheck: IMPMOCK_PORT must be a number from 1 to 65535, "
                    "got '%s'\n",
                    env);
            return false;
        }
    }
    snprintf(ret_url, cap, "http://127.0.0.1:%ld/__mock/health", port);
    return true;
}

static int probe(CURL *c, const char *url)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* a container's http_proxy is not for loopback */
    curl_easy_setopt(c, CURLOPT_USERAGENT, "impmock-healthcheck/" IMPMOCK_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)HEALTHCHECK_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)HEALTHCHECK_TIMEOUT_MS);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT) {
        fprintf(stderr, "impmock: --healthcheck needs an http:// or https:// URL, got '%s'\n", url);
        return 2;
    }
    if (rc != CURLE_OK) {
        fprintf(stderr, "impmock: %s: %s\n", url, *errbuf ? errbuf : curl_easy_strerror(rc));
        return 1;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        fprintf(stderr, "impmock: %s answered HTTP %ld\n", url, status);
        return 1;
    }
    return 0;
}

int healthcheck_run(const char *url)
{
    char fallback[64];
    if (!url) {
        if (!default_url(fallback, sizeof fallback))
            return 2;
        url = fallback;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "impmock: libcurl failed to initialise\n");
        return 1;
    }
    CURL *c = curl_easy_init();
    int rc = 1;
    if (c)
        rc = probe(c, url);
    else
        fprintf(stderr, "impmock: out of memory\n");
    curl_easy_cleanup(c);
    curl_global_cleanup();
    return rc;
}
