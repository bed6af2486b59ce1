/*
 * accounts.h - bank accounts: the KFTC bank codes virtual accounts are
 * issued at (reference §21.2), how the PGs spell them, and the test accounts
 * whose holder GET /vbanks/holder answers (reference §17.4), from the
 * fixtures' "bank_accounts". The table of test accounts is filled before the
 * server starts and read-only afterwards. Pure functions.
 */
#ifndef IMPMOCK_ACCOUNTS_H
#define IMPMOCK_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#define ACCOUNTS_CODE_LEN   3  /* KFTC bank code: "004" */
#define ACCOUNTS_DIGITS_MAX 32 /* digits of an account number */
#define ACCOUNTS_HOLDER_MAX 64 /* bytes of a holder's name */

/* ---- bank codes ---- */

/* The KFTC code of a bank code as a PG spells it: "088" (KFTC), "88"
 * (KG이니시스) or "BK88" (NHN KCP) all give "088". false when code has none
 * of these shapes or names no bank impmock knows. ret holds
 * ACCOUNTS_CODE_LEN + 1. */
bool accounts_bank_code(const char *code, char *ret);
/* The short name a PG reports for a KFTC code ("088" -> "신한"), NULL when
 * unknown. */
const char *accounts_bank_name(const char *kftc);

/* ---- test accounts ---- */

struct bank_account {
    char bank_code[ACCOUNTS_CODE_LEN + 1]; /* KFTC */
    char digits[ACCOUNTS_DIGITS_MAX + 1];  /* the number without its dashes */
    char holder[ACCOUNTS_HOLDER_MAX + 1];  /* "홍길동" */
};

struct account_table {
    struct bank_account *items; /* owned */
    size_t n;
};

void accounts_fini(struct account_table *t);
/* The digits of an account number, whatever separates them ("123-456 789"
 * gives "123456789"); false when it has no digit or more than
 * ACCOUNTS_DIGITS_MAX. ret holds ACCOUNTS_DIGITS_MAX + 1. */
bool accounts_digits(const char *number, char *ret);
/* The test account bank_code (KFTC) + number, compared by digits; NULL when
 * the table has none. */
const struct bank_account *accounts_find(const struct account_table *t, const char *bank_code,
                                         const char *number);

#endif
