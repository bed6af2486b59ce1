/*
 * redact.h - keeps secrets out of what impmock remembers about a request
 * (the journal behind GET /__mock/requests). Masking works on the text as
 * a client's code would read it: JSON escapes ("\u0034"), form %-escapes
 * and '+' are decoded first, so an encoding cannot smuggle a number past.
 *
 *  - by field: the values of card_number, birth, pwd_2digit, cvc and
 *    imp_secret (any case, at any depth: nested JSON objects and arrays,
 *    form names like schedules[0][card_number]) are masked: a card number
 *    keeps its first 6 and last 4 digits when it has 13 or more, every
 *    other character becomes '*';
 *  - as a second net, any run of 13 to 19 digits (with '-', ' ' or '+'
 *    between them) in any other value, key or path is masked as Korean
 *    PGs show a card number ("4242-42**-****-4242");
 *  - text cut short (cut): a run of digits that reaches the cut keeps at
 *    most its first 6 digits, as its end cannot be seen.
 *
 * Masked characters become '*' and everything else keeps its bytes, so the
 * text stays what the client sent around the masks; a secret JSON number
 * becomes a string of the same characters ("birth":880101 -> "******").
 * Text starting with '{' or '[' is read as JSON (malformed or cut JSON
 * too), anything else as a form body.
 * Thread-safety: callable from any thread; the decoding works in the
 * calling thread's scratch buffer (infra/scratch.h).
 */
#ifndef IMPMOCK_REDACT_H
#define IMPMOCK_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#define REDACT_CARD_DIGITS_MAX 19
/* Room redact_body and redact_target may need for len bytes of text. */
#define REDACT_OUT_MAX(len) (2 * (len) + 16)

/* Whether text (len bytes) may hold anything redact_body or redact_target
 * would change (a quick read-only pass; false means nothing to mask). */
bool redact_may_hold_secret(const char *text, size_t len, bool cut);
/* Writes the masked request body to out (REDACT_OUT_MAX(len) bytes) and
 * returns its length (out is NUL-terminated); 0 with out empty on OOM. */
size_t redact_body(const char *text, size_t len, bool cut, char *out);
/* The same for a request target: the path with its %-escapes, then a
 * query string read as a form. */
size_t redact_target(const char *text, size_t len, bool cut, char *out);

#endif
