/* webhook_wire.c - see webhook_wire.h. */
#include "infra/webhook_wire.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERROR_MAX 256
#define FIRST_TOTAL_S                                                                              \
    (WEBHOOK_FIRST_CONNECT_S + 2 * WEBHOOK_FIRST_READ_S) /* a drip never hangs                     \
                                                          */

static const char json_type[] = "application/json";
static const char form_type[] = "application/x-www-form-urlencoded";

const char *webhook_wire_content_type(bool form)
{
    return form ? form_type : json_type;
}

static bool add_form_field(char *out, size_t cap, size_t *len, const char *name, const char *v)
{
    static const char hex[] = "0123456789ABCDEF";
    int n = snprintf(out + *len, cap - *len, "%s%s=", *len ? "&" : "", name);
    if (n < 0 || (size_t)n >= cap - *len)
        return false;
    *len += (size_t)n;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*len + 4 > cap)
            return false;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            out[(*len)++] = (char)*p;
        } else {
            out[(*len)++] = '%';
            out[(*len)++] = hex[*p >> 4];
            out[(*len)++] = hex[*p & 15];
        }
    }
    out[*len] = '\0';
    return true;
}

char *webhook_wire_body(const char *imp_uid, const char *merchant_uid, const char *status,
                        const char *cancellation_id, bool form)
{
    if (form) {
        size_t cap = 3 * (strlen(imp_uid) + strlen(merchant_uid) + strlen(status) +
                          (cancellation_id ? strlen(cancellation_id) : 0)) +
                     80;
        char *out = malloc(cap);
        size_t len = 0;
        if (out && add_form_field(out, cap, &len, "imp_uid", imp_uid) &&
            add_form_field(out, cap, &len, "merchant_uid", merchant_uid) &&
            add_form_field(out, cap, &len, "status", status) &&
            (!cancellation_id ||
             add_form_field(out, cap, &len, "cancellation_id", cancellation_id)))
            return out;
        free(out);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    if (o && cJSON_AddStringToObject(o, "imp_uid", imp_uid) &&
        cJSON_AddStringToObject(o, "merchant_uid", merchant_uid) &&
        cJSON_AddStringToObject(o, "status", status) &&
        (!cancellation_id || cJSON_AddStringToObject(o, "cancellation_id", cancellation_id)))
        text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        return NULL;
    char *out = strdup(text); /* callers free() it */
    cJSON_free(text);
    return out;
}

size_t webhook_wire_targets(const char *notice_url, const char *fallback,
                            char *ret[WEBHOOK_URLS_MAX])
{
    size_t n = 0;
    const char *s = notice_url;
    while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++;
    if (s && *s == '[') {
        cJSON *arr = cJSON_Parse(s);
        const cJSON *it;
        cJSON_ArrayForEach(it, arr)
        {
            if (n < WEBHOOK_URLS_MAX && cJSON_IsString(it) && it->valuestring[0]) {
                ret[n] = strdup(it->valuestring);
                n += ret[n] != NULL;
            }
        }
        cJSON_Delete(arr);
        if (n)
            return n;
    } else if (s && *s) {
        ret[0] = strdup(s);
        return ret[0] != NULL;
    }
    if (fallback && fallback[0]) {
        ret[0] = strdup(fallback);
        return ret[0] != NULL;
    }
    return 0;
}

struct body_sink {
    size_t bytes;
};

static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    ((struct body_sink *)ud)->bytes += size * nmemb;
    return size * nmemb;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return atomic_load((const atomic_bool *)ud) ? 1 : 0; /* abort the transfer on shutdown */
}

long webhook_wire_post(CURL *c, const char *url, const char *body, bool form, bool first_delivery,
                       const atomic_bool *abort, char **ret_error)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    char ctype[64];
    struct body_sink sink = {0};
    snprintf(ctype, sizeof ctype, "Content-Type: %s", webhook_wire_content_type(form));
    struct curl_slist *hdrs = curl_slist_append(NULL, ctype);
    struct curl_slist *more = hdrs ? curl_slist_append(hdrs, "Expect:") : NULL;
    if (!more) {
        curl_slist_free_all(hdrs);
        *ret_error = strdup("out of memory");
        return 0;
    }
    hdrs = more;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "impmock-webhook/" IMPMOCK_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)abort);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    if (first_delivery) {
        /* first delivery: connect 10 s, then 30 s for the answer (reference §8) */
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)WEBHOOK_FIRST_CONNECT_S);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)WEBHOOK_FIRST_READ_S);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)FIRST_TOTAL_S);
    } else {
        curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)WEBHOOK_RETRY_TOTAL_S);
    }
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(hdrs);
    long status = 0;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        *ret_error = NULL;
        return status;
    }
    char msg[ERROR_MAX];
    snprintf(msg, sizeof msg, "%s%s%s", curl_easy_strerror(rc), errbuf[0] ? ": " : "", errbuf);
    *ret_error = strdup(msg);
    return 0;
}
