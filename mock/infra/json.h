/*
 * json.h - parsing JSON a client or a file sent, strictly: valid UTF-8, no
 * nesting beyond JSON_MAX_DEPTH (cJSON recurses once per level and request
 * threads have small stacks), no key repeated in one object, no \u0000 in
 * strings, nothing after the value. Use it, never plain cJSON_Parse, on text
 * from outside. Also the small building helpers shared by every renderer.
 * Thread-safety: pure functions.
 */
#ifndef IMPMOCK_JSON_H
#define IMPMOCK_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64

/* A top-level object: owned; NULL with a Korean message in err (errlen bytes). */
cJSON *json_parse_object(const char *s, size_t len, char *err, size_t errlen);
/* Any JSON value with the same checks: owned; NULL when s is not one. */
cJSON *json_parse_value(const char *s, size_t len);
/* Adds s as a string, or null when s is NULL; false on OOM (o keeps what it had). */
bool json_add_str(cJSON *o, const char *name, const char *s);

/* Whether any of the 8 bytes of x is one a JSON string cannot hold as it
 * is: below 32, '"' or '\\'. Lets a scanner pass plain text eight bytes at
 * a time (a byte below n makes (x - n) borrow into its high bit). */
static inline bool json_word_special(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    uint64_t below32 = (x - ones * 32) & ~x & highs;
    uint64_t quote = (q - ones) & ~q & highs, backslash = (b - ones) & ~b & highs;
    return (below32 | quote | backslash) != 0;
}

#endif
