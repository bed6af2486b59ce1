/* params.c - see params.h. */
#include "http/params.h"

#include "base/limits.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bit of a name in the filter (FNV-1a, top six bits). */
static uint64_t name_bit(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * 16777619u;
    return (uint64_t)1 << (h >> 26);
}

static uint64_t names_of(const cJSON *o)
{
    uint64_t bits = 0;
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next)
        if (c->string)
            bits |= name_bit(c->string);
    return bits;
}

void param_index(struct params *p)
{
    p->names = names_of(p->body) | names_of(p->query);
    p->names_known = true;
}

const cJSON *param_item(const struct params *p, const char *name, bool *ret_textual)
{
    if (p->names_known && !(p->names & name_bit(name)))
        return NULL;
    const cJSON *it = p->body ? cJSON_GetObjectItemCaseSensitive(p->body, name) : NULL;
    bool textual = p->body_is_form;
    if (!it || cJSON_IsNull(it)) {
        it = p->query ? cJSON_GetObjectItemCaseSensitive(p->query, name) : NULL;
        textual = true;
    }
    if (!it || cJSON_IsNull(it))
        return NULL;
    if (ret_textual)
        *ret_textual = textual;
    return it;
}

bool param_fail(struct params *p, enum mock_err e, const char *const *args, size_t n)
{
    p->err = e;
    p->n_err_args = n < PARAM_ARGS_MAX ? n : PARAM_ARGS_MAX;
    for (size_t i = 0; i < p->n_err_args; i++)
        snprintf(p->err_args[i], sizeof p->err_args[i], "%s", args[i] ? args[i] : "");
    return false;
}

bool param_fail1(struct params *p, enum mock_err e, const char *arg)
{
    return param_fail(p, e, &arg, 1);
}

size_t param_message(const struct params *p, char *buf, size_t cap)
{
    const char *args[PARAM_ARGS_MAX];
    size_t n = p->n_err_args < PARAM_ARGS_MAX ? p->n_err_args : PARAM_ARGS_MAX;
    for (size_t i = 0; i < n; i++)
        args[i] = p->err_args[i];
    return mock_err_format(p->err, args, n, buf, cap);
}

static bool fail(struct params *p, enum mock_err e, const char *name)
{
    return param_fail1(p, e, name);
}

/* A failure whose message also gives limits (a maximum, a range). */
static bool fail_limits(struct params *p, enum mock_err e, const char *name, size_t n_limits,
                        long long lo, long long hi)
{
    char a[24], b[24];
    snprintf(a, sizeof a, "%lld", lo);
    snprintf(b, sizeof b, "%lld", hi);
    const char *args[] = {name, a, b};
    return param_fail(p, e, args, 1 + n_limits);
}

bool param_str(struct params *p, const char *name, size_t maxlen, bool required, const char **ret)
{
    const cJSON *it = param_item(p, name, NULL);
    if (!it)
        return required ? fail(p, MOCK_PARAM_REQUIRED, name) : true;
    if (!cJSON_IsString(it))
        return fail(p, MOCK_PARAM_NOT_STRING, name);
    if (strlen(it->valuestring) > maxlen)
        return fail_limits(p, MOCK_PARAM_TOO_LONG, name, 1, (long long)maxlen, 0);
    if (required && it->valuestring[0] == '\0')
        return fail(p, MOCK_PARAM_EMPTY, name);
    *ret = it->valuestring;
    return true;
}

static bool parse_text_int(const char *s, int64_t *ret)
{
    if (!*s || strlen(s) > 20)
        return false;
    const char *q = s;
    if (*q == '-')
        q++;
    if (!*q)
        return false;
    for (; *q; q++)
        if (*q < '0' || *q > '9')
            return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno)
        return false;
    *ret = v;
    return true;
}

bool param_int(struct params *p, const char *name, int64_t min, int64_t max, bool required,
               int64_t *ret, bool *ret_present)
{
    bool textual = false;
    const cJSON *it = param_item(p, name, &textual);
    if (ret_present)
        *ret_present = it != NULL;
    if (!it)
        return required ? fail(p, MOCK_PARAM_REQUIRED, name) : true;
    int64_t v;
    if (textual && cJSON_IsString(it)) {
        if (!parse_text_int(it->valuestring, &v))
            return fail(p, MOCK_PARAM_NOT_INTEGER, name);
    } else if (cJSON_IsNumber(it)) {
        double d = it->valuedouble;
        if (!isfinite(d) || d != floor(d))
            return fail(p, MOCK_PARAM_NOT_INTEGER, name);
        /* from 2^53 on, a JSON number may already have been rounded by the parser */
        if (d <= -9007199254740992.0 || d >= 9007199254740992.0)
            return fail(p, MOCK_PARAM_TOO_BIG, name);
        v = (int64_t)d;
    } else {
        return fail(p, MOCK_PARAM_NOT_NUMBER, name);
    }
    if (v < min || v > max)
        return fail_limits(p, MOCK_PARAM_RANGE, name, 2, (long long)min, (long long)max);
    *ret = v;
    return true;
}

bool param_page(struct params *p, int64_t *ret)
{
    int64_t page = 1;
    if (!param_int(p, "page", 0, PAGE_MAX, false, &page, NULL))
        return false;
    *ret = page ? page : 1;
    return true;
}

bool param_amount(struct params *p, const char *name, bool required, int64_t *ret,
                  bool *ret_present)
{
    bool textual = false;
    const cJSON *it = param_item(p, name, &textual);
    if (ret_present)
        *ret_present = it != NULL;
    if (!it)
        return required ? fail(p, MOCK_PARAM_REQUIRED, name) : true;
    if (textual && cJSON_IsString(it)) {
        /* form bodies: "1000" or "1000.0" (some clients format floats). Read
         * as decimal text, not with strtod: that would take "0x10", " 1e3"
         * and round 2^53 + 1 down to an accepted 2^53. */
        const char *s = it->valuestring;
        bool neg = *s == '-';
        const char *digits = s + neg;
        size_t nd = strspn(digits, "0123456789");
        const char *dot = digits + nd;
        size_t nf = *dot == '.' ? strspn(dot + 1, "0123456789") : 0;
        if (nd == 0 || (*dot == '.' ? nf == 0 || dot[1 + nf] != '\0' : *dot != '\0'))
            return fail(p, MOCK_PARAM_NOT_NUMBER, name);
        while (nd > 1 && *digits == '0') {
            digits++;
            nd--;
        }
        bool zero = nd == 1 && *digits == '0';
        bool whole = *dot != '.' || strspn(dot + 1, "0") == nf;
        if (neg && !(zero && whole))
            return fail(p, MOCK_PARAM_NEGATIVE, name);
        if (!whole)
            return fail(p, MOCK_PARAM_NOT_WHOLE_WON, name);
        /* 2^53 has 16 digits: up to 16 fit an int64_t without overflow */
        int64_t v = 0;
        for (size_t i = 0; i < nd && nd <= 16; i++)
            v = v * 10 + (digits[i] - '0');
        if (nd > 16 || v >= 9007199254740992LL)
            return fail(p, MOCK_PARAM_TOO_BIG, name);
        *ret = v;
        return true;
    }
    if (!cJSON_IsNumber(it))
        return fail(p, MOCK_PARAM_NUMBER_AS_TEXT, name);
    double d = it->valuedouble;
    if (!isfinite(d))
        return fail(p, MOCK_PARAM_NOT_NUMBER, name);
    if (d < 0)
        return fail(p, MOCK_PARAM_NEGATIVE, name);
    if (d != floor(d))
        return fail(p, MOCK_PARAM_NOT_WHOLE_WON, name);
    /* 2^53 + 1 parses as 2^53: refuse 2^53 itself so no amount is silently changed */
    if (d >= 9007199254740992.0)
        return fail(p, MOCK_PARAM_TOO_BIG, name);
    *ret = (int64_t)d;
    return true;
}

bool param_bool(struct params *p, const char *name, bool *ret)
{
    bool textual = false;
    const cJSON *it = param_item(p, name, &textual);
    if (!it)
        return true;
    if (cJSON_IsBool(it)) {
        *ret = cJSON_IsTrue(it);
        return true;
    }
    if (textual && cJSON_IsString(it)) {
        const char *s = it->valuestring;
        if (!strcmp(s, "true") || !strcmp(s, "1")) {
            *ret = true;
            return true;
        }
        if (!strcmp(s, "false") || !strcmp(s, "0") || !*s) {
            *ret = false;
            return true;
        }
    }
    return fail(p, MOCK_PARAM_NOT_BOOL, name);
}

bool param_str_list(struct params *p, const char *name, size_t max_items, size_t maxlen,
                    const char **ret_items, size_t *ret_n)
{
    const cJSON *it = param_item(p, name, NULL);
    size_t n = 0;
    if (!it) {
        /* some clients send imp_uid[] as a JSON key "imp_uid[]" */
        char alt[64];
        snprintf(alt, sizeof alt, "%s[]", name);
        it = param_item(p, alt, NULL);
    }
    if (!it) {
        *ret_n = 0;
        return true;
    }
    if (cJSON_IsString(it)) {
        if (strlen(it->valuestring) > maxlen)
            return fail(p, MOCK_PARAM_ITEM_TOO_LONG, name);
        ret_items[0] = it->valuestring;
        *ret_n = 1;
        return true;
    }
    if (!cJSON_IsArray(it))
        return fail(p, MOCK_PARAM_NOT_LIST, name);
    const cJSON *e;
    cJSON_ArrayForEach(e, it)
    {
        if (!cJSON_IsString(e))
            return fail(p, MOCK_PARAM_NOT_LIST, name);
        if (strlen(e->valuestring) > maxlen)
            return fail(p, MOCK_PARAM_ITEM_TOO_LONG, name);
        if (n >= max_items)
            return fail_limits(p, MOCK_PARAM_TOO_MANY, name, 1, (long long)max_items, 0);
        ret_items[n++] = e->valuestring;
    }
    *ret_n = n;
    return true;
}

/* ---- ids ---- */

/* Fields that name a record or an account: what the store keys by. */
static const char *const id_fields[] = {"imp_uid", "merchant_uid", "customer_uid", "imp_key",
                                        "user_code"};

static bool is_id_field(const char *name)
{
    for (size_t i = 0; name && i < sizeof id_fields / sizeof *id_fields; i++)
        if (strcmp(name, id_fields[i]) == 0)
            return true;
    return false;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* The name of the first id field at or under n whose text, or a text of its
 * list, holds a control character (schedules[].merchant_uid counts); NULL
 * when none. id_name: the id field n is the value of, or NULL. Depth is
 * bounded by the parsers (JSON_MAX_DEPTH, the form's own). */
static const char *bad_id_under(const cJSON *n, const char *id_name)
{
    if (cJSON_IsString(n))
        return id_name && has_control(n->valuestring) ? id_name : NULL;
    for (const cJSON *c = n->child; c; c = c->next) {
        const char *name = id_name;
        if (cJSON_IsObject(n))
            name = is_id_field(c->string) ? c->string : NULL;
        const char *bad = bad_id_under(c, name);
        if (bad)
            return bad;
    }
    return NULL;
}

bool param_ids_clean(struct params *p)
{
    const cJSON *parts[] = {p->body, p->query};
    for (size_t i = 0; i < 2; i++) {
        const char *bad = parts[i] ? bad_id_under(parts[i], NULL) : NULL;
        if (bad) {
            char what[PARAM_ARG_MAX];
            snprintf(what, sizeof what, "%s 파라미터", bad);
            return param_fail1(p, MOCK_ID_CONTROL_CHAR, what);
        }
    }
    return true;
}
