/*
 * fuzz_form.c - form_parse on arbitrary bytes: url-encoded bodies with
 * PHP-style arrays. Whatever it builds must be a well-formed object whose
 * every leaf is a string (or the null padding of a sparse array), printable
 * and freeable; a refusal must say why in valid UTF-8.
 */
#include "http/form.h"
#include "infra/json.h"
#include "infra/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Walks the tree: leaves are strings or nulls, depth is bounded. */
static void check(const cJSON *n, int depth)
{
    if (depth > FORM_MAX_DEPTH + 2)
        abort();
    if (cJSON_IsObject(n) || cJSON_IsArray(n)) {
        for (const cJSON *c = n->child; c; c = c->next)
            check(c, depth + 1);
        return;
    }
    if (!cJSON_IsString(n) && !cJSON_IsNull(n))
        abort();
    if (cJSON_IsString(n) && !utf8_valid(n->valuestring, strlen(n->valuestring)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    err[0] = '\0';
    cJSON *o = form_parse((const char *)data, size, err, sizeof err);
    if (!o) {
        if (!err[0] || !utf8_valid(err, strlen(err)))
            abort();
        return 0;
    }
    if (!cJSON_IsObject(o))
        abort();
    check(o, 0);
    char *text = cJSON_PrintUnformatted(o);
    if (text) {
        /* what form_parse builds must read back as the same JSON object */
        char err2[256];
        cJSON *back = json_parse_object(text, strlen(text), err2, sizeof err2);
        if (!back || !cJSON_Compare(o, back, 1))
            abort();
        cJSON_Delete(back);
    }
    cJSON_free(text);
    cJSON_Delete(o);
    return 0;
}
