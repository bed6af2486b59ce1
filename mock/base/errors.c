/* errors.c - the error table's rows and the formatting of their messages; see errors.h. */
#include "base/errors.h"

#include <string.h>

/* clang-format off */
static const struct {
    const char *name;
    int http;
    int code;
    const char *message;
} errors[MOCK__COUNT] = {
#define X(name, http, code, msg) {#name, http, code, msg},
    MOCK_ERRORS(X)
#undef X
};

static const bool bad_param[MOCK__COUNT] = {
    [MOCK_BAD_PARAM] = true,
#define X(name, http, code, msg) [MOCK_##name] = true,
    MOCK_PARAM_ERRORS(X)
#undef X
};
/* clang-format on */

int mock_err_http(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT ? errors[e].http : 500;
}

int mock_err_code(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT ? errors[e].code : -1;
}

const char *mock_err_message(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT && errors[e].message ? errors[e].message : "";
}

const char *mock_err_name(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT ? errors[e].name : "UNKNOWN";
}

bool mock_err_bad_param(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT && bad_param[e];
}

/* Appends len bytes of s to buf at *at, as far as cap allows (one byte kept
 * for NUL); false when it had to cut, which never splits a UTF-8 character. */
static bool append(char *buf, size_t cap, size_t *at, const char *s, size_t len)
{
    size_t room = cap - 1 - *at;
    size_t n = len < room ? len : room;
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(buf + *at, s, n);
    *at += n;
    return n == len;
}

size_t mock_err_format(enum mock_err e, const char *const *args, size_t n, char *buf, size_t cap)
{
    const char *fmt = mock_err_message(e);
    size_t at = 0, used = 0;
    if (cap == 0)
        return 0;
    bool room = true;
    /* only "%s" is special: a detail is copied as it is, whatever it holds */
    const char *hole;
    while (room && (hole = strstr(fmt, "%s")) != NULL) {
        const char *arg = used < n && args[used] ? args[used] : "";
        used++;
        room = append(buf, cap, &at, fmt, (size_t)(hole - fmt)) &&
               append(buf, cap, &at, arg, strlen(arg));
        fmt = hole + 2;
    }
    if (room)
        append(buf, cap, &at, fmt, strlen(fmt));
    buf[at] = '\0';
    return at;
}
