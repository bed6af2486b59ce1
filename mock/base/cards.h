/*
 * cards.h - test cards: which card numbers approve, decline or fail
 * authentication, and the Korean texts card companies answer with. Also the
 * card-number rules (digits only, Luhn check, masking). The table is filled
 * from fixtures before the server starts and is read-only afterwards.
 * Pure functions over the table: the decision a charge gets is billing's.
 */
#ifndef IMPMOCK_CARDS_H
#define IMPMOCK_CARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CARD_DIGITS_MAX 19

enum card_outcome {
    CARD_APPROVE,              /* every charge approved */
    CARD_DECLINE,              /* key issues; every charge declined with fail_reason */
    CARD_APPROVE_THEN_DECLINE, /* the first approve_count charges approved, then declined */
    CARD_AUTH_FAIL,            /* refused at key issuance / one-time payment (code -1) */
};

struct test_card {
    char digits[CARD_DIGITS_MAX + 1];
    enum card_outcome outcome;
    int approve_count;
    char fail_reason[256];
    char card_name[64];
    char card_code[8];
    int card_type; /* 0 credit, 1 check */
    char description[256];
};

struct card_table {
    struct test_card *cards; /* owned */
    size_t n;
};

void cards_fini(struct card_table *t);

/* Keeps only the digits of "4242-4242-4242-4242"; false unless 13..19 digits with only
 * digits, dashes and spaces. out holds CARD_DIGITS_MAX + 1. */
bool cards_normalize(const char *number, char *out);
bool cards_luhn_ok(const char *digits);
/* "424242******4242": digits 7..12 masked, as Korean PGs show it. out holds 20. */
void cards_mask(const char *digits, char *out);
/* Index of the test card with these digits, or -1. */
int cards_find(const struct card_table *t, const char *digits);
/* Outcome of the charge_no'th (1-based) charge of a card with this profile (-1 = plain card);
 * true = approved, else *ret_reason is the decline text. */
bool cards_charge_approved(const struct card_table *t, int profile, uint64_t charge_no,
                           const char **ret_reason);
/* Card company name/code for a profile (-1: the table's generic approving card). */
void cards_issuer(const struct card_table *t, int profile, const char **ret_name,
                  const char **ret_code, int *ret_type);

#endif
