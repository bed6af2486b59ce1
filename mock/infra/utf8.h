/*
 * utf8.h - the one UTF-8 decoder: request bodies, paths and files are
 * validated with it, and the journal repairs what it keeps with it.
 * Thread-safety: pure functions.
 */
#ifndef IMPMOCK_UTF8_H
#define IMPMOCK_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length (1-4) of the well-formed UTF-8 sequence at s, which has avail bytes;
 * 0 when it is not one (a stray or missing continuation byte, an overlong
 * form, a surrogate or a code point above U+10FFFF, or avail too short). */
size_t utf8_seq_len(const char *s, size_t avail);
/* Whether s[0..len) is well-formed UTF-8 throughout. */
bool utf8_valid(const char *s, size_t len);

#endif
