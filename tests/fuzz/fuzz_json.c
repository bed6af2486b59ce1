/*
 * fuzz_json.c - form_parse_json on arbitrary bytes: the path every JSON
 * request body and fixture file takes. An accepted body is a valid UTF-8
 * object with no duplicate key at any level; a refused one has a message.
 */
#include "http/form.h"
#include "infra/json.h"
#include "infra/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* No object anywhere in the tree has the same key twice. */
static void check(const cJSON *n, int depth)
{
    if (depth > JSON_MAX_DEPTH + 1)
        abort();
    for (const cJSON *c = n->child; c; c = c->next) {
        if (cJSON_IsObject(n))
            for (const cJSON *d = c->next; d; d = d->next)
                if (strcmp(c->string, d->string) == 0)
                    abort();
        check(c, depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    err[0] = '\0';
    cJSON *o = json_parse_object((const char *)data, size, err, sizeof err);
    if (!o) {
        if (!err[0] || !utf8_valid(err, strlen(err)))
            abort();
        return 0;
    }
    if (!cJSON_IsObject(o) || !utf8_valid((const char *)data, size))
        abort();
    check(o, 0);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_free(text);
    cJSON_Delete(o);
    return 0;
}
