/* accounts.c - see accounts.h. */
#include "base/accounts.h"

#include <stdlib.h>
#include <string.h>

/* The banks a virtual account can be issued at (reference §21.2, the per-PG
 * table), with the short names PGs report as vbank_name (§17.5). */
static const struct {
    const char *code;
    const char *name;
} banks[] = {
    {"002", "산업"},     {"003", "기업"},       {"004", "국민"},     {"007", "수협"},
    {"011", "농협"},     {"012", "축협"},       {"020", "우리"},     {"023", "SC제일"},
    {"027", "씨티"},     {"031", "대구"},       {"032", "부산"},     {"034", "광주"},
    {"035", "제주"},     {"037", "전북"},       {"039", "경남"},     {"045", "새마을금고"},
    {"048", "신협"},     {"071", "우체국"},     {"081", "하나"},     {"088", "신한"},
    {"089", "케이뱅크"}, {"090", "카카오뱅크"}, {"092", "토스뱅크"},
};

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[n] == '\0';
}

const char *accounts_bank_name(const char *kftc)
{
    for (size_t i = 0; i < sizeof banks / sizeof banks[0]; i++)
        if (strcmp(banks[i].code, kftc) == 0)
            return banks[i].name;
    return NULL;
}

bool accounts_bank_code(const char *code, char *ret)
{
    char kftc[ACCOUNTS_CODE_LEN + 1];
    size_t len = strlen(code);
    if (len == 3 && all_digits(code, 3)) {
        memcpy(kftc, code, 4);
    } else if (len == 2 && all_digits(code, 2)) {
        kftc[0] = '0';
        memcpy(kftc + 1, code, 3);
    } else if (len == 4 && code[0] == 'B' && code[1] == 'K' && all_digits(code + 2, 2)) {
        kftc[0] = '0';
        memcpy(kftc + 1, code + 2, 3);
    } else {
        return false;
    }
    if (!accounts_bank_name(kftc))
        return false;
    memcpy(ret, kftc, sizeof kftc);
    return true;
}

void accounts_fini(struct account_table *t)
{
    free(t->items);
    t->items = NULL;
    t->n = 0;
}

bool accounts_digits(const char *number, char *ret)
{
    size_t n = 0;
    for (const char *p = number; *p; p++) {
        if (*p < '0' || *p > '9')
            continue; /* "숫자외 기호 포함 가능": separators are not part of it */
        if (n == ACCOUNTS_DIGITS_MAX)
            return false;
        ret[n++] = *p;
    }
    ret[n] = '\0';
    return n > 0;
}

const struct bank_account *accounts_find(const struct account_table *t, const char *bank_code,
                                         const char *number)
{
    char digits[ACCOUNTS_DIGITS_MAX + 1];
    if (!accounts_digits(number, digits))
        return NULL;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->items[i].bank_code, bank_code) == 0 &&
            strcmp(t->items[i].digits, digits) == 0)
            return &t->items[i];
    return NULL;
}
