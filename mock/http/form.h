/*
 * form.h - request body and query parsing into one shape (a cJSON object),
 * so handlers read fields the same way whatever the encoding:
 *   - application/x-www-form-urlencoded and query strings, with PHP-style
 *     arrays: a[]=1&a[]=2, a[0]=1, schedules[0][merchant_uid]=x,
 *     extra[requester]=admin; a repeated plain name becomes an array.
 *     Every leaf is a string. Names are read as PHP reads them: leading
 *     spaces dropped, ' ' and '.' before the first '[' made '_'.
 * Pure functions: no HTTP, no globals; callable from any thread.
 */
#ifndef IMPMOCK_FORM_H
#define IMPMOCK_FORM_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define FORM_MAX_PAIRS 2000
#define FORM_MAX_DEPTH 8
#define FORM_MAX_INDEX 1000

/* Returns an owned object; NULL with a message in err (errlen bytes) on bad input or OOM. */
cJSON *form_parse(const char *s, size_t len, char *err, size_t errlen);
/* Decodes %XX and '+' of s[0..len) into out (len + 1 bytes); false on a bad escape. */
bool form_url_decode(const char *s, size_t len, char *out, bool plus_is_space);
/* The value of one hexadecimal digit, or -1. */
int form_hex_digit(char c);

#endif
