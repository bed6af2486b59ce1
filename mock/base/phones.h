/*
 * phones.h - test phone numbers for identity verification (본인인증): which
 * numbers the carrier confirms (an SMS code is "sent") and which it refuses,
 * whether the result may show the phone and carrier, and the one code every
 * SMS carries. Filled from the fixtures' "certification" block before the
 * server starts; read-only afterwards.
 * Pure functions over the table: what a request gets is certification.c's.
 */
#ifndef IMPMOCK_PHONES_H
#define IMPMOCK_PHONES_H

#include <stdbool.h>
#include <stddef.h>

#define PHONE_DIGITS_MAX  11 /* 010-1234-5678 */
#define PHONE_PATTERN_MAX 32 /* digits and the globs ? * [..] */
#define PHONE_OTP_LEN     6

enum phone_outcome {
    PHONE_SEND,   /* the carrier confirms the person: the SMS code is sent */
    PHONE_REFUSE, /* the carrier cannot confirm the person: refused at once */
};

struct test_phone {
    char pattern[PHONE_PATTERN_MAX + 1]; /* "0100000????": separators already dropped */
    enum phone_outcome outcome;
    bool disclose; /* the result shows phone and carrier (carrier pre-approval) */
    char description[256];
};

struct phone_table {
    struct test_phone *phones; /* owned; the first match decides */
    size_t n;
    char otp[PHONE_OTP_LEN + 1]; /* the code every SMS carries */
};

void phones_fini(struct phone_table *t);

/* Keeps the digits of "010-1234-5678" (also '.', ' ' between them): false
 * unless 10 or 11 digits starting with 01. out holds PHONE_DIGITS_MAX + 1. */
bool phones_normalize(const char *number, char *out);
/* Drops the separators of a pattern ("010-0000-????" -> "0100000????");
 * false when it is empty or too long. out holds PHONE_PATTERN_MAX + 1. */
bool phones_pattern(const char *pattern, char *out);
/* The first test phone whose pattern matches the digits, or NULL. */
const struct test_phone *phones_find(const struct phone_table *t, const char *digits);

#endif
