/* cards.c - see cards.h. */
#include "base/cards.h"

#include <stdlib.h>
#include <string.h>

void cards_fini(struct card_table *t)
{
    free(t->cards);
    t->cards = NULL;
    t->n = 0;
}

bool cards_normalize(const char *number, char *out)
{
    size_t n = 0;
    for (const char *p = number; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n >= CARD_DIGITS_MAX)
                return false;
            out[n++] = *p;
        } else if (*p != '-' && *p != ' ') {
            return false;
        }
    }
    out[n] = '\0';
    return n >= 13;
}

bool cards_luhn_ok(const char *digits)
{
    size_t len = strlen(digits);
    int sum = 0;
    for (size_t i = 0; i < len; i++) {
        int d = digits[len - 1 - i] - '0';
        if (i % 2) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return len > 0 && sum % 10 == 0;
}

void cards_mask(const char *digits, char *out)
{
    size_t len = strlen(digits);
    for (size_t i = 0; i < len; i++)
        out[i] = (i >= 6 && i < 12 && i + 4 < len) ? '*' : digits[i];
    out[len] = '\0';
}

int cards_find(const struct card_table *t, const char *digits)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->cards[i].digits, digits) == 0)
            return (int)i;
    return -1;
}

bool cards_charge_approved(const struct card_table *t, int profile, uint64_t charge_no,
                           const char **ret_reason)
{
    if (profile < 0 || (size_t)profile >= t->n)
        return true;
    const struct test_card *c = &t->cards[profile];
    switch (c->outcome) {
    case CARD_APPROVE:
        return true;
    case CARD_APPROVE_THEN_DECLINE:
        if (charge_no <= (uint64_t)c->approve_count)
            return true;
        break;
    case CARD_DECLINE:
    case CARD_AUTH_FAIL:
        break;
    }
    *ret_reason = c->fail_reason;
    return false;
}

void cards_issuer(const struct card_table *t, int profile, const char **ret_name,
                  const char **ret_code, int *ret_type)
{
    if (profile >= 0 && (size_t)profile < t->n) {
        *ret_name = t->cards[profile].card_name;
        *ret_code = t->cards[profile].card_code;
        *ret_type = t->cards[profile].card_type;
        return;
    }
    *ret_name = "BC카드"; /* any other valid number: an approving BC credit card */
    *ret_code = "361";
    *ret_type = 0;
}
