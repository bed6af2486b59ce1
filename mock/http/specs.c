/* specs.c - see specs.h. */
#include "http/specs.h"

#include "http/fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_ITEMS_MAX 100
#define NUMBER_MAX     9007199254740991LL /* 2^53 - 1 */

/* Characters (code points) of a valid UTF-8 string. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static bool check_len(struct params *p, const char *name, const char *v, size_t max)
{
    if (max == 0 || chars(v) <= max)
        return true;
    char limit[24];
    snprintf(limit, sizeof limit, "%zu", max);
    const char *args[] = {name, limit};
    return param_fail(p, MOCK_PARAM_TOO_MANY_CHARS, args, 2);
}

bool specs_in(const char *value, const char *const *values)
{
    for (size_t i = 0; value && values && values[i]; i++)
        if (strcmp(value, values[i]) == 0)
            return true;
    return false;
}

static bool check_enum(struct params *p, const struct field_spec *f, const char *v)
{
    if (specs_in(v, f->values))
        return true;
    char list[PARAM_ARG_MAX] = "";
    size_t len = 0;
    for (size_t i = 0; f->values[i] && len < sizeof list; i++) {
        int n = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", f->values[i]);
        len += n > 0 ? (size_t)n : 0;
    }
    if (len >= sizeof list) /* too many to list: name the field only */
        return param_fail1(p, MOCK_PARAM_BAD_VALUE, f->name);
    const char *args[] = {f->name, list};
    return param_fail(p, MOCK_PARAM_NOT_IN_ENUM, args, 2);
}

static bool check_one(struct params *p, const struct field_spec *f)
{
    const cJSON *it = param_item(p, f->name, NULL);
    const char *s = NULL;
    int64_t v;
    switch (f->kind) {
    case FIELD_STR:
    case FIELD_ENUM:
    case FIELD_ENUM_LAX:
        if (!param_str(p, f->name, SIZE_MAX, f->required, &s))
            return false;
        if (!s)
            return true;
        if (f->kind == FIELD_ENUM)
            return check_enum(p, f, s);
        return f->kind == FIELD_ENUM_LAX || check_len(p, f->name, s, f->max);
    case FIELD_INT:
        return param_int(p, f->name, f->min, f->min || f->imax ? f->imax : NUMBER_MAX, f->required,
                         &v, NULL);
    case FIELD_AMOUNT:
        return param_amount(p, f->name, f->required, &v, NULL);
    case FIELD_STR_LIST: {
        const char *items[LIST_ITEMS_MAX];
        size_t n = 0;
        size_t max = f->max && f->max < LIST_ITEMS_MAX ? f->max : LIST_ITEMS_MAX;
        if (!param_str_list(p, f->name, max, 1024, items, &n))
            return false;
        return n > 0 || !f->required || param_fail1(p, MOCK_PARAM_REQUIRED, f->name);
    }
    case FIELD_URLS: {
        if (!it)
            return !f->required || param_fail1(p, MOCK_PARAM_REQUIRED, f->name);
        char *urls = NULL; /* read as every notice_url is, then dropped */
        bool ok = fields_read_notice_url(p, f->name, &urls);
        bool several = ok && urls && urls[0] == '['; /* more than one URL */
        free(urls);
        if (ok && several && f->max == 1) {
            const char *args[] = {f->name, "1"};
            return param_fail(p, MOCK_PARAM_TOO_MANY, args, 2);
        }
        return ok;
    }
    case FIELD_ANY:
        if (!it)
            return !f->required || param_fail1(p, MOCK_PARAM_REQUIRED, f->name);
        return !cJSON_IsString(it) || check_len(p, f->name, it->valuestring, f->max);
    }
    return true;
}

bool specs_check(struct params *p, const struct field_spec *specs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!check_one(p, &specs[i]))
            return false;
    return true;
}

const char *specs_str(const struct params *p, const char *name)
{
    const cJSON *it = param_item(p, name, NULL);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}
