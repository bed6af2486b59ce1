/*
 * codes.h - the 금융결제원 (KFTC) standard codes of banks and card companies
 * that GET /banks and GET /cards serve (reference §21), and the foreign
 * card brands a card number's BIN names (§21.3, §23.4). Static data sorted
 * by code: nothing here changes at run time.
 * Thread-safety: read-only tables, pure functions.
 */
#ifndef IMPMOCK_CODES_H
#define IMPMOCK_CODES_H

#include <stdbool.h>
#include <stddef.h>

/* One row of a code table: the StandardCode object of the API. */
struct std_code {
    const char *code; /* "004", "361", "VIS" */
    const char *name; /* "KB국민은행", "BC카드", "해외비자카드" */
};

/* The whole table, in code order; *ret_n rows. */
const struct std_code *codes_banks(size_t *ret_n);
const struct std_code *codes_cards(size_t *ret_n);

/* The row of code (exact match), or NULL when the table has none. */
const struct std_code *codes_bank(const char *code);
const struct std_code *codes_card(const char *code);

/* The foreign brand (a row of the card table: VIS, MAS, AMX, JCB, DIN, DIS,
 * UNI) that the first digits of card number `number` name (dashes and
 * spaces skipped), or NULL when they name none (a domestic-only BIN).
 * Reads only the first four digits and keeps nothing. */
const struct std_code *codes_card_brand(const char *number);

/* Whether the first digits of card number `number` are a BIN a card
 * company issues from: a brand's (codes_card_brand), or Korea's domestic-
 * only cards, which start with 9 (a BC check card 9540-49..., as the
 * official Go client's live sample shows). Reads only the first four
 * digits and keeps nothing. */
bool codes_bin_known(const char *number);

#endif
