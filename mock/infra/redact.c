/* redact.c - see redact.h. */
#include "infra/redact.h"

#include <stddef.h>

/* Length of a separator people write inside card numbers at p: '-', ' ',
 * '+' (a space in a form body) or their %-escapes; 0 when p is none. */
static size_t separator_len(const char *p)
{
    if (*p == '-' || *p == ' ' || *p == '+')
        return 1;
    if (p[0] == '%' && p[1] == '2' &&
        (p[2] == '0' || p[2] == 'D' || p[2] == 'd' || p[2] == 'B' || p[2] == 'b'))
        return 3;
    return 0;
}

bool redact_may_hold_card_number(const char *text)
{
    size_t digits = 0; /* in the current run of digits and separators */
    for (const char *p = text; *p;) {
        if (*p >= '0' && *p <= '9') {
            digits++;
            p++;
            continue;
        }
        size_t sep = digits ? separator_len(p) : 0;
        if (sep) {
            p += sep;
            continue;
        }
        if (digits >= 13)
            return true;
        digits = 0;
        p++;
    }
    return digits >= 13;
}

void redact_card_numbers(char *text)
{
    for (char *p = text; *p;) {
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        /* a run of digits and separators starting at a digit */
        char *end = p;
        size_t digits = 0;
        for (;;) {
            size_t sep = separator_len(end);
            if (*end >= '0' && *end <= '9') {
                digits++;
                end++;
            } else if (sep) {
                end += sep;
            } else {
                break;
            }
        }
        /* longer runs are other numbers (order ids, timestamps side by side) */
        if (digits >= 13 && digits <= REDACT_CARD_DIGITS_MAX) {
            size_t seen = 0;
            for (char *q = p; q < end;) {
                size_t sep = separator_len(q);
                if (sep) {
                    q += sep;
                    continue;
                }
                if (seen >= 6 && seen + 4 < digits)
                    *q = '*';
                seen++;
                q++;
            }
        }
        p = end;
    }
}
