/* phones.c - see phones.h. */
#include "base/phones.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static bool separator(char c)
{
    return c == '-' || c == '.' || c == ' ';
}

void phones_fini(struct phone_table *t)
{
    free(t->phones);
    t->phones = NULL;
    t->n = 0;
}

bool phones_normalize(const char *number, char *out)
{
    size_t n = 0;
    for (const char *p = number; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == PHONE_DIGITS_MAX)
                return false;
            out[n++] = *p;
        } else if (!separator(*p)) {
            return false;
        }
    }
    out[n] = '\0';
    return n >= 10 && out[0] == '0' && out[1] == '1';
}

bool phones_pattern(const char *pattern, char *out)
{
    size_t n = 0;
    for (const char *p = pattern; *p; p++) {
        if (separator(*p))
            continue;
        if (n == PHONE_PATTERN_MAX)
            return false;
        out[n++] = *p;
    }
    out[n] = '\0';
    return n > 0;
}

const struct test_phone *phones_find(const struct phone_table *t, const char *digits)
{
    for (size_t i = 0; i < t->n; i++)
        if (fnmatch(t->phones[i].pattern, digits, 0) == 0)
            return &t->phones[i];
    return NULL;
}
