/*
 * fuzz_query.c - a request target as the server sees it: "path?query".
 * The path is %-decoded the way civetweb hands it over, the query goes
 * through form_parse (PHP-style arrays: a[]=1, a[0][b]=2), and the list
 * readers the lookup endpoints use run on the result.
 */
#include "http/form.h"
#include "http/params.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *q = memchr(s, '?', size);
    size_t plen = q ? (size_t)(q - s) : size;
    char *path = malloc(plen + 1);
    if (!path)
        return 0;
    if (form_url_decode(s, plen, path, false) && strlen(path) > plen)
        abort(); /* decoding never grows the text */
    free(path);
    if (!q)
        return 0;
    char err[256];
    cJSON *query = form_parse(q + 1, size - plen - 1, err, sizeof err);
    if (!query)
        return 0;
    struct params p;
    memset(&p, 0, sizeof p);
    p.query = query;
    static const char *const lists[] = {"imp_uid", "merchant_uid", "customer_uid", "schedules"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        const char *items[100];
        size_t n = 0;
        if (param_str_list(&p, lists[i], 100, 256, items, &n)) {
            if (n > 100)
                abort();
            for (size_t k = 0; k < n; k++)
                if (strlen(items[k]) > 256)
                    abort();
        }
    }
    int64_t v;
    bool present;
    (void)param_int(&p, "page", 1, 1000000000, false, &v, &present);
    (void)param_int(&p, "limit", 1, 1000, false, &v, &present);
    const char *str = NULL;
    (void)param_str(&p, "sorting", 16, false, &str);
    (void)param_str(&p, "_token", 64, false, &str);
    cJSON_Delete(query);
    return 0;
}
