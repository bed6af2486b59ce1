/* json.c - see json.h. */
#include "infra/json.h"
#include "infra/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies key into out (cap bytes), cut on a UTF-8 character boundary. */
static void shown_key(const char *key, char *out, size_t cap)
{
    size_t n = strlen(key);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out, key, n);
    out[n] = '\0';
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first key found twice in one object anywhere in the tree, or NULL.
 * *ret_oom is set when the check itself ran out of memory. */
static const char *duplicate_key(const cJSON *n, bool *ret_oom)
{
    size_t count = 0;
    for (const cJSON *c = n->child; c; c = c->next) {
        count++;
        if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            const char *d = duplicate_key(c, ret_oom); /* depth is bounded by JSON_MAX_DEPTH */
            if (d || *ret_oom)
                return d;
        }
    }
    if (!cJSON_IsObject(n) || count < 2)
        return NULL;
    if (count <= 16) {
        for (const cJSON *c = n->child; c; c = c->next)
            for (const cJSON *d = c->next; d; d = d->next)
                if (strcmp(c->string, d->string) == 0)
                    return c->string;
        return NULL;
    }
    /* large objects: sort the keys so the check stays O(n log n) */
    const char **keys = malloc(count * sizeof *keys);
    if (!keys) {
        *ret_oom = true;
        return NULL;
    }
    size_t i = 0;
    for (const cJSON *c = n->child; c; c = c->next)
        keys[i++] = c->string;
    qsort(keys, count, sizeof *keys, cmp_keys);
    const char *dup = NULL;
    for (i = 1; i < count && !dup; i++)
        if (strcmp(keys[i - 1], keys[i]) == 0)
            dup = keys[i];
    free(keys);
    return dup;
}

static cJSON *parse_json(const char *s, size_t len, bool object_only, char *err, size_t errlen)
{
    if (!utf8_valid(s, len)) {
        snprintf(err, errlen, "올바른 UTF-8이 아닙니다");
        return NULL;
    }
    /* cJSON recurses once per nesting level; refuse deep input before parsing */
    int depth = 0, max_depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        if (in_str) {
            /* most of a string is plain: eight bytes at a time while it lasts */
            for (uint64_t x; i + 8 <= len; i += 8) {
                memcpy(&x, s + i, 8);
                if (json_word_special(x))
                    break;
            }
            if (i == len)
                break;
        }
        char c = s[i];
        if (in_str) {
            if (c == '\\' && i + 5 < len && memcmp(s + i + 1, "u0000", 5) == 0) {
                /* cJSON would end the string there: the value would silently change */
                snprintf(err, errlen, "문자열에 \\u0000(NUL)은 쓸 수 없습니다");
                return NULL;
            }
            if ((unsigned char)c < 0x20) {
                /* JSON escapes them; cJSON would take them raw, and a raw NUL
                 * would end the value there */
                if (c == '\0')
                    snprintf(err, errlen, "문자열에 NUL 문자(0x00)는 쓸 수 없습니다");
                else
                    snprintf(err, errlen, "문자열 안의 제어 문자(0x%02x)는 \\u%04x로 보내야 합니다",
                             (unsigned)c, (unsigned)c);
                return NULL;
            }
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                max_depth = depth;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    if (max_depth > JSON_MAX_DEPTH) {
        snprintf(err, errlen, "중첩이 너무 깊습니다 (최대 %d단계)", JSON_MAX_DEPTH);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(s, len, &end, 0);
    if (!root) {
        size_t at = end && end >= s ? (size_t)(end - s) : 0;
        snprintf(err, errlen, "%zu번째 바이트 근처에서 구문 오류", at);
        return NULL;
    }
    for (const char *p = end; p && p < s + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            cJSON_Delete(root);
            snprintf(err, errlen, "JSON 값 뒤에 불필요한 내용이 있습니다");
            return NULL;
        }
    }
    if (object_only && !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        snprintf(err, errlen, "최상위 값은 객체({...})여야 합니다");
        return NULL;
    }
    /* cJSON keeps both copies of a repeated key and lookups see the first:
     * refuse instead of guessing which one the client meant (docs/decisions.md) */
    bool oom = false;
    const char *dup = duplicate_key(root, &oom);
    if (dup || oom) {
        char key[64];
        if (dup)
            shown_key(dup, key, sizeof key);
        if (dup)
            snprintf(err, errlen, "중복된 키가 있습니다: \"%s\"", key);
        else
            snprintf(err, errlen, "메모리가 부족합니다");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

cJSON *json_parse_object(const char *s, size_t len, char *err, size_t errlen)
{
    return parse_json(s, len, true, err, errlen);
}

cJSON *json_parse_value(const char *s, size_t len)
{
    char err[128];
    return parse_json(s, len, false, err, sizeof err);
}

bool json_add_str(cJSON *o, const char *name, const char *s)
{
    return s ? cJSON_AddStringToObject(o, name, s) != NULL : cJSON_AddNullToObject(o, name) != NULL;
}
