/*
 * redact.h - keeps card numbers out of what impmock remembers about a
 * request (the journal): every run of 13 to 19 digits, with the separators
 * people write between them, is masked as Korean PGs show a card number.
 * Thread-safety: pure functions.
 */
#ifndef IMPMOCK_REDACT_H
#define IMPMOCK_REDACT_H

#include <stdbool.h>

#define REDACT_CARD_DIGITS_MAX 19

/* Masks, in place, digits 7 to 12 of every run of 13..19 digits (dashes,
 * spaces, '+' and their %-escapes allowed between them), so no full card
 * number survives: "4242-42**-****-4242". */
void redact_card_numbers(char *text);
/* Whether text has a run redact_card_numbers could mask (a quick read-only pass). */
bool redact_may_hold_card_number(const char *text);

#endif
