/* form.c - see form.h. */
#include "http/form.h"
#include "infra/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int form_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool form_url_decode(const char *s, size_t len, char *out, bool plus_is_space)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            if (i + 2 >= len)
                return false;
            int hi = form_hex_digit(s[i + 1]), lo = form_hex_digit(s[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            out[o++] = ' ';
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return true;
}

static bool is_index(const char *seg, long *ret)
{
    if (!*seg || strlen(seg) > 6)
        return false;
    for (const char *p = seg; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    *ret = strtol(seg, NULL, 10);
    return true;
}

/* Splits "name[a][b][]" into segments; returns count, 0 on a malformed key. */
static size_t split_key(char *key, char **segs, size_t max)
{
    size_t n = 0;
    char *br = strchr(key, '[');
    if (br == key)
        return 0;
    segs[n++] = key;
    if (!br)
        return n;
    *br = '\0';
    char *p = br + 1;
    for (;;) {
        char *close = strchr(p, ']');
        if (!close || n >= max)
            return 0;
        *close = '\0';
        segs[n++] = p;
        if (close[1] == '\0')
            return n;
        if (close[1] != '[') /* PHP ignores the rest; so do we */
            return n;
        p = close + 2;
    }
}

/* Child of container `c` for segment `seg` (creating it as array or object
 * as `next_is_array` says). Returns borrowed pointer or NULL. Gaps before an
 * index are padded with null, drawn from *pad_left for the whole body: without
 * that budget, a 100 KB body of a1[1000][1000]... pairs builds millions of nodes. */
static cJSON *step(cJSON *c, const char *seg, bool last, bool next_is_array, cJSON *leaf,
                   size_t *pad_left, char *err, size_t errlen)
{
    long idx;
    cJSON *child;
    if (cJSON_IsArray(c)) {
        long size = cJSON_GetArraySize(c);
        if (*seg == '\0') {
            idx = size;
        } else if (!is_index(seg, &idx) || idx > FORM_MAX_INDEX) {
            snprintf(err, errlen, "배열 인덱스가 올바르지 않습니다: [%s]", seg);
            return NULL;
        }
        if (idx > size && (size_t)(idx - size) > *pad_left) {
            snprintf(err, errlen, "배열 인덱스 사이의 빈 자리가 너무 많습니다 (최대 %d개).",
                     FORM_MAX_INDEX);
            return NULL;
        }
        /* count here: cJSON_GetArraySize walks the whole list on every call */
        for (; size < idx; size++, (*pad_left)--)
            if (!cJSON_AddItemToArray(c, cJSON_CreateNull()))
                return NULL;
        child = idx < size ? cJSON_GetArrayItem(c, (int)idx) : NULL;
        if (last) {
            if (child)
                return cJSON_ReplaceItemInArray(c, (int)idx, leaf) ? leaf : NULL;
            return cJSON_AddItemToArray(c, leaf) ? leaf : NULL;
        }
        if (child && (cJSON_IsArray(child) || cJSON_IsObject(child)))
            return child;
        cJSON *made = next_is_array ? cJSON_CreateArray() : cJSON_CreateObject();
        if (!made)
            return NULL;
        if (child ? !cJSON_ReplaceItemInArray(c, (int)idx, made) : !cJSON_AddItemToArray(c, made)) {
            cJSON_Delete(made);
            return NULL;
        }
        return made;
    }
    /* object */
    child = cJSON_GetObjectItemCaseSensitive(c, seg);
    if (last) {
        if (child && cJSON_IsString(child) && cJSON_IsString(leaf)) {
            /* repeated plain name: collect into an array */
            cJSON *arr = cJSON_CreateArray();
            cJSON *prev = cJSON_DetachItemViaPointer(c, child);
            if (!arr || !cJSON_AddItemToArray(arr, prev)) {
                cJSON_Delete(arr);
                cJSON_Delete(prev);
                return NULL;
            }
            if (!cJSON_AddItemToArray(arr, leaf)) {
                cJSON_Delete(arr);
                return NULL;
            }
            if (!cJSON_AddItemToObject(c, seg, arr)) {
                cJSON_Delete(arr);
                return NULL;
            }
            return leaf;
        }
        if (child && cJSON_IsArray(child) && cJSON_IsString(leaf) &&
            cJSON_IsString(cJSON_GetArrayItem(child, 0)))
            return cJSON_AddItemToArray(child, leaf) ? leaf : NULL;
        /* by name, not by pointer: ReplaceItemViaPointer would leave the new
         * item without its key ("a[b]=1&a=2" turned "a" into "") */
        if (child)
            return cJSON_ReplaceItemInObjectCaseSensitive(c, seg, leaf) ? leaf : NULL;
        return cJSON_AddItemToObject(c, seg, leaf) ? leaf : NULL;
    }
    if (child && (cJSON_IsArray(child) || cJSON_IsObject(child)))
        return child;
    cJSON *made = next_is_array ? cJSON_CreateArray() : cJSON_CreateObject();
    if (!made)
        return NULL;
    if (child ? !cJSON_ReplaceItemInObjectCaseSensitive(c, seg, made)
              : !cJSON_AddItemToObject(c, seg, made)) {
        cJSON_Delete(made);
        return NULL;
    }
    return made;
}

/* A decoded field name as PHP reads it (the real API is PHP): leading
 * spaces dropped, then every ' ' and '.' of the name before its first '['
 * turned into '_' ("imp_key=K& imp_secret=S" from the official Go client
 * gives imp_secret; "a b.c" gives a_b_c). Returns the name within key. */
static char *php_name(char *key)
{
    while (*key == ' ')
        key++;
    for (char *p = key; *p && *p != '['; p++)
        if (*p == ' ' || *p == '.')
            *p = '_';
    return key;
}

static bool add_pair(cJSON *root, char *key, const char *value, size_t *pad_left, char *err,
                     size_t errlen)
{
    char *segs[FORM_MAX_DEPTH + 1];
    /* split_key cuts key in place: keep the whole name for the message, cut
     * on a character boundary so the message stays valid UTF-8 */
    char shown[64];
    size_t cut = strlen(key);
    if (cut >= sizeof shown) {
        cut = sizeof shown - 1;
        while (cut > 0 && ((unsigned char)key[cut] & 0xc0) == 0x80)
            cut--;
    }
    memcpy(shown, key, cut);
    shown[cut] = '\0';
    size_t n = split_key(key, segs, FORM_MAX_DEPTH + 1);
    if (n == 0) {
        snprintf(err, errlen, "파라미터 이름이 올바르지 않습니다: %s", shown);
        return false;
    }
    cJSON *c = root;
    for (size_t i = 0; i < n; i++) {
        bool last = i + 1 == n;
        long dummy;
        bool next_is_array = !last && (segs[i + 1][0] == '\0' || is_index(segs[i + 1], &dummy));
        cJSON *leaf = NULL;
        if (last) {
            leaf = cJSON_CreateString(value);
            if (!leaf)
                return false;
        }
        err[0] = '\0';
        cJSON *next = step(c, segs[i], last, next_is_array, leaf, pad_left, err, errlen);
        if (!next) {
            /* step() owns leaf only once it succeeded */
            cJSON_Delete(leaf);
            if (!err[0])
                snprintf(err, errlen, "메모리가 부족합니다.");
            return false;
        }
        c = next;
    }
    return true;
}

cJSON *form_parse(const char *s, size_t len, char *err, size_t errlen)
{
    cJSON *root = cJSON_CreateObject();
    char *buf = malloc(len + 1);
    char *val = malloc(len + 1);
    size_t pairs = 0, pad_left = FORM_MAX_INDEX;
    if (!root || !buf || !val) {
        snprintf(err, errlen, "메모리가 부족합니다.");
        goto fail;
    }
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && s[end] != '&')
            end++;
        if (end > i) {
            if (++pairs > FORM_MAX_PAIRS) {
                snprintf(err, errlen, "파라미터가 너무 많습니다 (최대 %d개).", FORM_MAX_PAIRS);
                goto fail;
            }
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            /* %00, or a raw NUL, would cut the decoded text short and silently
             * change the value */
            for (size_t k = i; k < end; k++) {
                if (s[k] == '\0' ||
                    (k + 2 < end && s[k] == '%' && s[k + 1] == '0' && s[k + 2] == '0')) {
                    snprintf(err, errlen, "파라미터에 NUL 문자(%%00)는 쓸 수 없습니다.");
                    goto fail;
                }
            }
            if (!form_url_decode(s + i, eq - i, buf, true) ||
                !form_url_decode(s + (eq < end ? eq + 1 : end), eq < end ? end - eq - 1 : 0, val,
                                 true)) {
                snprintf(err, errlen, "잘못된 URL 인코딩입니다 (%%XX).");
                goto fail;
            }
            if (!utf8_valid(buf, strlen(buf)) || !utf8_valid(val, strlen(val))) {
                snprintf(err, errlen, "파라미터가 올바른 UTF-8이 아닙니다.");
                goto fail;
            }
            char *name = php_name(buf);
            if (name[0] && !add_pair(root, name, val, &pad_left, err, errlen))
                goto fail;
        }
        i = end + 1;
    }
    free(buf);
    free(val);
    return root;
fail:
    free(buf);
    free(val);
    cJSON_Delete(root);
    return NULL;
}
