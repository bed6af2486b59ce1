/* fields.c - see fields.h. */
#include "http/fields.h"

#include "infra/webhook.h"

#include <stdio.h>
#include <string.h>

#define LIST_ITEMS_MAX 100
#define NUMBER_MAX     9007199254740991LL /* 2^53 - 1 */

static bool fail(struct params *p, const char *fmt, const char *name)
{
    snprintf(p->err, sizeof p->err, fmt, name);
    return false;
}

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
    snprintf(p->err, sizeof p->err, "%s 파라미터가 너무 깁니다 (최대 %zu자).", name, max);
    return false;
}

bool fields_in(const char *value, const char *const *values)
{
    for (size_t i = 0; value && values && values[i]; i++)
        if (strcmp(value, values[i]) == 0)
            return true;
    return false;
}

static bool check_enum(struct params *p, const struct field_spec *f, const char *v)
{
    if (fields_in(v, f->values))
        return true;
    int len = snprintf(p->err, sizeof p->err, "%s 파라미터는 다음 중 하나여야 합니다: ", f->name);
    for (size_t i = 0; f->values[i] && len > 0 && (size_t)len < sizeof p->err; i++)
        len += snprintf(p->err + len, sizeof p->err - (size_t)len, "%s%s", i ? ", " : "",
                        f->values[i]);
    if (len < 0 || (size_t)len >= sizeof p->err) /* too many to list: name the field only */
        snprintf(p->err, sizeof p->err, "%s 파라미터의 값이 올바르지 않습니다.", f->name);
    return false;
}

/* As api_notice_url reads it: "" and null entries mean none. */
static bool check_urls(struct params *p, const struct field_spec *f, const cJSON *it)
{
    size_t n = 0;
    if (cJSON_IsString(it))
        return !it->valuestring[0] || webhook_url_valid(it->valuestring) ||
               fail(p, "%s 파라미터는 http:// 또는 https://로 시작하는 URL이어야 합니다.", f->name);
    if (!cJSON_IsArray(it))
        return fail(p, "%s 파라미터는 URL 또는 URL의 배열이어야 합니다.", f->name);
    const cJSON *e;
    cJSON_ArrayForEach(e, it)
    {
        if (cJSON_IsNull(e) || (cJSON_IsString(e) && !e->valuestring[0]))
            continue;
        if (!cJSON_IsString(e) || !webhook_url_valid(e->valuestring))
            return fail(p, "%s 파라미터는 http:// 또는 https://로 시작하는 URL이어야 합니다.",
                        f->name);
        if (++n > (f->max ? f->max : WEBHOOK_URLS_MAX)) {
            snprintf(p->err, sizeof p->err, "%s 파라미터는 최대 %zu개까지 지정할 수 있습니다.",
                     f->name, f->max ? f->max : (size_t)WEBHOOK_URLS_MAX);
            return false;
        }
    }
    return true;
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
        return n > 0 || !f->required || fail(p, "%s 파라미터는 필수입니다.", f->name);
    }
    case FIELD_URLS:
        if (!it)
            return !f->required || fail(p, "%s 파라미터는 필수입니다.", f->name);
        return check_urls(p, f, it);
    case FIELD_ANY:
        if (!it)
            return !f->required || fail(p, "%s 파라미터는 필수입니다.", f->name);
        return !cJSON_IsString(it) || check_len(p, f->name, it->valuestring, f->max);
    }
    return true;
}

bool fields_check(struct params *p, const struct field_spec *specs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!check_one(p, &specs[i]))
            return false;
    return true;
}

const char *fields_str(const struct params *p, const char *name)
{
    const cJSON *it = param_item(p, name, NULL);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}
