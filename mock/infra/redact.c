/* redact.c - see redact.h.
 * A value (a JSON string or number, a form name or value, the path) is
 * decoded into characters that remember the bytes they came from; masking
 * marks characters, and writing copies the bytes of the unmarked ones and a
 * '*' for each marked one. */
#include "infra/redact.h"

#include "infra/scratch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum secret {
    S_NONE, /* only the digit-run net */
    S_CARD, /* a card number: first 6 and last 4 digits kept */
    S_ALL,  /* every character masked */
};

static const struct {
    const char *name;
    enum secret kind;
} fields[] = {
    {"card_number", S_CARD}, {"birth", S_ALL},      {"pwd_2digit", S_ALL},
    {"cvc", S_ALL},          {"imp_secret", S_ALL},
};

/* One decoded character: its value (-1 for anything not ASCII) and its bytes. */
struct dchar {
    int c;
    uint32_t at; /* offset of its first byte in the text */
    uint16_t n;  /* bytes it was written with */
    bool masked;
};

struct run {
    const char *text;
    size_t len;
    bool cut;        /* the text ends before the client's did */
    struct dchar *d; /* room for one value (at most len characters) */
    size_t nd;
    char *out;
    size_t nout;
};

static int hex(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch |= 0x20;
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

static void push(struct run *r, int c, size_t at, size_t n)
{
    r->d[r->nd++] = (struct dchar){c < 0x80 ? c : -1, (uint32_t)at, (uint16_t)n, false};
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_separator(int c)
{
    return c == '-' || c == ' ' || c == '+';
}

/* Whitespace as cJSON reads it: every byte up to 0x20, NUL and control
 * bytes included. Reading less would let "birth":\x01"880101" through. */
static bool is_space(char c)
{
    return (unsigned char)c <= ' ';
}

/* ---- masking the decoded characters ---- */

/* The net: runs of 13..19 digits (separators between) keep their first 6
 * and last 4 digits; a run reaching an open end keeps only its first 6. */
static void mask_digit_runs(struct dchar *d, size_t n, bool open_end)
{
    for (size_t i = 0; i < n;) {
        if (!is_digit(d[i].c)) {
            i++;
            continue;
        }
        size_t end = i, digits = 0;
        while (end < n && (is_digit(d[end].c) || is_separator(d[end].c)))
            digits += is_digit(d[end++].c);
        bool at_cut = open_end && end == n;
        bool card = digits >= 13 && digits <= REDACT_CARD_DIGITS_MAX;
        if (card || (at_cut && digits > 6 && digits <= REDACT_CARD_DIGITS_MAX)) {
            size_t seen = 0;
            for (size_t k = i; k < end; k++) {
                if (!is_digit(d[k].c))
                    continue;
                d[k].masked = seen >= 6 && (at_cut || seen + 4 < digits);
                seen++;
            }
        }
        i = end;
    }
}

static void mask_secret(struct dchar *d, size_t n, enum secret kind, bool open_end)
{
    if (kind == S_NONE) {
        mask_digit_runs(d, n, open_end);
        return;
    }
    size_t digits = 0;
    for (size_t i = 0; i < n; i++)
        digits += is_digit(d[i].c);
    bool shown = kind == S_CARD && (open_end ? digits > 6 : digits >= 13);
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (kind == S_CARD && is_digit(d[i].c)) {
            d[i].masked = !shown || (seen >= 6 && (open_end || seen + 4 < digits));
            seen++;
        } else {
            d[i].masked = kind == S_ALL || !(d[i].c == '-' || d[i].c == ' ');
        }
    }
}

/* ---- writing ---- */

static void put(struct run *r, const char *s, size_t n)
{
    memcpy(r->out + r->nout, s, n);
    r->nout += n;
}

static void put_decoded(struct run *r)
{
    for (size_t i = 0; i < r->nd;) {
        if (r->d[i].masked) {
            r->out[r->nout++] = '*';
            i++;
            continue;
        }
        /* unmasked characters lie back to back in the text: one copy each run */
        size_t from = r->d[i].at, to = from + r->d[i].n;
        for (i++; i < r->nd && !r->d[i].masked && r->d[i].at == to; i++)
            to += r->d[i].n;
        put(r, r->text + from, to - from);
    }
}

static bool any_masked(const struct run *r)
{
    for (size_t i = 0; i < r->nd; i++)
        if (r->d[i].masked)
            return true;
    return false;
}

/* Character c (-1: not ASCII) stands for letter l of a field's name. */
static bool name_letter(int c, char l)
{
    return c >= 0 && (c | 0x20) == (l | 0x20);
}

static enum secret field_kind(const struct dchar *d, size_t n)
{
    for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
        const char *name = fields[f].name;
        size_t k = 0;
        while (k < n && name[k] && name_letter(d[k].c, name[k]))
            k++;
        if (k == n && !name[k])
            return fields[f].kind;
    }
    return S_NONE;
}

/* field_kind of text whose characters are its bytes. */
static enum secret field_kind_plain(const char *s, size_t n)
{
    for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
        const char *name = fields[f].name;
        size_t k = 0;
        while (k < n && name[k] && name_letter((unsigned char)s[k] < 0x80 ? s[k] : -1, name[k]))
            k++;
        if (k == n && !name[k])
            return fields[f].kind;
    }
    return S_NONE;
}

/* Writes the n characters of a secret, every one masked. */
static void put_stars(struct run *r, size_t n)
{
    memset(r->out + r->nout, '*', n);
    r->nout += n;
}

/* ---- JSON ---- */

/* Decodes the string whose opening quote is at *pos; *pos ends after the
 * closing quote. Returns whether the string was closed. */
static bool json_string(struct run *r, size_t *pos)
{
    const char *s = r->text;
    size_t i = *pos + 1;
    r->nd = 0;
    while (i < r->len && s[i] != '"') {
        if (s[i] != '\\') {
            push(r, (unsigned char)s[i], i, 1);
            i++;
            continue;
        }
        static const char simple[] = "\"\\/bfnrt", value[] = "\"\\/\b\f\n\r\t";
        const char *hit = i + 1 < r->len && s[i + 1] ? strchr(simple, s[i + 1]) : NULL;
        if (hit) {
            push(r, value[hit - simple], i, 2);
            i += 2;
            continue;
        }
        int cp = 0, k = 0;
        if (i + 1 < r->len && s[i + 1] == 'u')
            for (k = 0; k < 4 && i + 2 + k < r->len && hex(s[i + 2 + k]) >= 0; k++)
                cp = cp * 16 + hex(s[i + 2 + k]);
        size_t n = k == 4 ? 6 : (i + 1 < r->len ? 2 : 1); /* a bad or cut escape stays */
        push(r, k == 4 ? cp : -1, i, n);
        i += n;
    }
    bool closed = i < r->len;
    *pos = closed ? i + 1 : r->len;
    return closed;
}

static bool json_delim(char c)
{
    return c == ',' || c == '}' || c == ']' || c == ':' || c == '"' || c == '{' || c == '[' ||
           is_space(c);
}

/* A bare token (number, true, false, null, or junk) at *pos. */
static void json_bare(struct run *r, size_t *pos, enum secret kind)
{
    size_t i = *pos;
    r->nd = 0;
    while (i < r->len && !json_delim(r->text[i])) {
        push(r, (unsigned char)r->text[i], i, 1);
        i++;
    }
    bool number = r->nd && (is_digit(r->d[0].c) || r->d[0].c == '-');
    mask_secret(r->d, r->nd, number ? kind : S_NONE, r->cut && i == r->len);
    /* a masked number is no longer one: it is written as a string */
    bool quote = any_masked(r);
    if (quote)
        r->out[r->nout++] = '"';
    put_decoded(r);
    if (quote)
        r->out[r->nout++] = '"';
    *pos = i;
}

/* The common string, with no backslash: its characters are its bytes, so
 * a key, a secret (all stars) and a string with too few digits for the net
 * (at most 6) are written without decoding it, as json_string and
 * mask_secret would write them. false when it needs them (escapes, a card
 * number's field, more digits); nothing is written then. */
static bool json_plain_string(struct run *r, size_t *pos, enum secret kind,
                              enum secret *ret_pending)
{
    const char *s = r->text;
    size_t from = *pos + 1, end = from, digits = 0;
    while (end < r->len && s[end] != '"' && s[end] != '\\')
        digits += is_digit(s[end++]);
    if (end < r->len && s[end] == '\\')
        return false;
    bool closed = end < r->len;
    size_t j = closed ? end + 1 : end;
    while (j < r->len && is_space(s[j]))
        j++;
    bool is_key = closed && j < r->len && s[j] == ':';
    enum secret k = is_key ? S_NONE : kind;
    if (k == S_CARD || (k == S_NONE && digits > 6))
        return false;
    put(r, "\"", 1);
    if (k == S_ALL)
        put_stars(r, end - from);
    else
        put(r, s + from, end - from);
    if (closed)
        put(r, "\"", 1);
    *ret_pending = is_key ? field_kind_plain(s + from, end - from) : S_NONE;
    *pos = closed ? end + 1 : r->len;
    return true;
}

static void redact_json(struct run *r)
{
    size_t depth = 0, secret_depth = 0; /* secret_depth: inside a secret's container */
    enum secret pending = S_NONE, container = S_NONE;
    for (size_t i = 0; i < r->len;) {
        char c = r->text[i];
        enum secret kind = pending != S_NONE ? pending : container;
        if (c == '"' && json_plain_string(r, &i, kind, &pending))
            continue;
        if (c == '"') {
            bool closed = json_string(r, &i);
            size_t j = i;
            while (j < r->len && is_space(r->text[j]))
                j++;
            bool is_key = closed && j < r->len && r->text[j] == ':';
            mask_secret(r->d, r->nd, is_key ? S_NONE : kind, r->cut && !closed);
            put(r, "\"", 1);
            put_decoded(r);
            if (closed)
                put(r, "\"", 1);
            pending = is_key ? field_kind(r->d, r->nd) : S_NONE;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
            if (pending != S_NONE && container == S_NONE) {
                container = pending;
                secret_depth = depth;
            }
            pending = S_NONE;
        } else if (c == '}' || c == ']') {
            if (container != S_NONE && depth == secret_depth)
                container = S_NONE;
            if (depth > 0)
                depth--;
            pending = S_NONE;
        } else if (!json_delim(c)) {
            json_bare(r, &i, kind);
            pending = S_NONE;
            continue;
        } else if (c == ',') {
            pending = S_NONE;
        }
        r->out[r->nout++] = c;
        i++;
    }
}

/* ---- forms and paths ---- */

/* Decodes text[from, to) as form text (%XX, '+' as a space when plus). */
static void form_decode(struct run *r, size_t from, size_t to, bool plus)
{
    r->nd = 0;
    for (size_t i = from; i < to;) {
        const char *s = r->text;
        if (s[i] == '%' && i + 2 < to && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            push(r, hex(s[i + 1]) * 16 + hex(s[i + 2]), i, 3);
            i += 3;
        } else {
            push(r, plus && s[i] == '+' ? ' ' : (unsigned char)s[i], i, 1);
            i++;
        }
    }
}

/* The field a form name stands for: "a[0][card_number]" -> card_number,
 * "card_number[]" -> card_number. */
static enum secret form_name_kind(const struct dchar *d, size_t n)
{
    while (n > 0 && d[n - 1].c == ']') {
        size_t open = n - 1;
        while (open > 0 && d[open - 1].c != '[')
            open--;
        if (open == 0)
            break;
        const struct dchar *inner = d + open;
        size_t len = n - 1 - open;
        bool index = true;
        for (size_t k = 0; k < len; k++)
            index = index && is_digit(inner[k].c);
        if (!index)
            return field_kind(inner, len);
        n = open - 1; /* "[]" or "[0]": the name is before it */
    }
    return field_kind(d, n);
}

/* The common form value, with no %XX: its characters are its bytes ('+'
 * a space), so a secret (all stars) and a value with too few digits for the
 * net (at most 6) are written without decoding it. false when it needs
 * decoding; nothing is written then. */
static bool form_plain_value(struct run *r, size_t from, size_t to, enum secret kind)
{
    if (kind == S_CARD || memchr(r->text + from, '%', to - from))
        return false;
    size_t digits = 0;
    for (size_t i = from; i < to; i++)
        digits += is_digit(r->text[i]);
    if (kind == S_ALL)
        put_stars(r, to - from);
    else if (digits <= 6)
        put(r, r->text + from, to - from);
    else
        return false;
    return true;
}

static void redact_form(struct run *r, size_t from, size_t to, bool open_end)
{
    for (size_t seg = from; seg <= to;) {
        size_t amp = seg;
        while (amp < to && r->text[amp] != '&')
            amp++;
        size_t eq = seg;
        while (eq < amp && r->text[eq] != '=')
            eq++;
        enum secret kind = S_NONE;
        bool last = amp == to && open_end;
        if (eq < amp) {
            form_decode(r, seg, eq, true);
            kind = form_name_kind(r->d, r->nd);
            mask_digit_runs(r->d, r->nd, false);
            put_decoded(r);
            put(r, "=", 1);
            seg = eq + 1;
        }
        if (!form_plain_value(r, seg, amp, kind)) {
            form_decode(r, seg, amp, true);
            mask_secret(r->d, r->nd, kind, last);
            put_decoded(r);
        }
        if (amp < to)
            put(r, "&", 1);
        seg = amp + 1;
    }
}

/* ---- entry points ---- */

static bool start(struct run *r, const char *text, size_t len, bool cut, char *out)
{
    *r = (struct run){.text = text, .len = len, .cut = cut, .out = out};
    out[0] = '\0';
    /* the thread's own buffer: the journal masks a request on every call */
    r->d = scratch_get(SCRATCH_DECODE, (len ? len : 1) * sizeof *r->d);
    return r->d != NULL;
}

static size_t finish(struct run *r)
{
    r->out[r->nout] = '\0';
    return r->nout;
}

size_t redact_body(const char *text, size_t len, bool cut, char *out)
{
    struct run r;
    if (!start(&r, text, len, cut, out))
        return 0;
    size_t i = 0;
    while (i < len && is_space(text[i]))
        i++;
    if (i < len && (text[i] == '{' || text[i] == '['))
        redact_json(&r);
    else
        redact_form(&r, 0, len, cut);
    return finish(&r);
}

size_t redact_target(const char *text, size_t len, bool cut, char *out)
{
    struct run r;
    if (!start(&r, text, len, cut, out))
        return 0;
    const char *q = memchr(text, '?', len);
    size_t path_len = q ? (size_t)(q - text) : len;
    form_decode(&r, 0, path_len, false);
    mask_digit_runs(r.d, r.nd, cut && !q);
    put_decoded(&r);
    if (q) {
        put(&r, "?", 1);
        redact_form(&r, path_len + 1, len, cut);
    }
    return finish(&r);
}

/* What a byte is to redact_may_hold_secret, one table read a byte: this
 * pass runs over every request's target and body. */
enum scan_kind { SCAN_PLAIN, SCAN_DIGIT, SCAN_SEPARATOR, SCAN_ESCAPE, SCAN_NEEDLE };

static const char *const scan_needles[] = {"card", "birth", "pwd", "cvc", "secret"};

/* Bytes not listed are SCAN_PLAIN. The needles' first letters go in both
 * cases: they are matched without regard to case. */
static const unsigned char scan_table[256] = {
    ['0'] = SCAN_DIGIT,     ['1'] = SCAN_DIGIT,   ['2'] = SCAN_DIGIT,     ['3'] = SCAN_DIGIT,
    ['4'] = SCAN_DIGIT,     ['5'] = SCAN_DIGIT,   ['6'] = SCAN_DIGIT,     ['7'] = SCAN_DIGIT,
    ['8'] = SCAN_DIGIT,     ['9'] = SCAN_DIGIT,   ['-'] = SCAN_SEPARATOR, [' '] = SCAN_SEPARATOR,
    ['+'] = SCAN_SEPARATOR, ['\\'] = SCAN_ESCAPE, ['%'] = SCAN_ESCAPE,    ['c'] = SCAN_NEEDLE,
    ['C'] = SCAN_NEEDLE,    ['b'] = SCAN_NEEDLE,  ['B'] = SCAN_NEEDLE,    ['p'] = SCAN_NEEDLE,
    ['P'] = SCAN_NEEDLE,    ['s'] = SCAN_NEEDLE,  ['S'] = SCAN_NEEDLE,
};

bool redact_may_hold_secret(const char *text, size_t len, bool cut)
{
    size_t digits = 0; /* in the current run of digits and separators */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        switch ((enum scan_kind)scan_table[c]) {
        case SCAN_DIGIT:
            digits++;
            continue;
        case SCAN_ESCAPE:
            return true;
        case SCAN_SEPARATOR:
            if (digits)
                continue; /* inside a run: "4242-4242 ..." */
            break;
        case SCAN_PLAIN:
        case SCAN_NEEDLE:
            break;
        }
        if (digits >= 13)
            return true;
        digits = 0;
        if (scan_table[c] != SCAN_NEEDLE)
            continue;
        for (size_t k = 0; k < sizeof scan_needles / sizeof *scan_needles; k++) {
            if ((c | 0x20) != scan_needles[k][0])
                continue;
            size_t nl = strlen(scan_needles[k]);
            if (i + nl <= len && strncasecmp(text + i, scan_needles[k], nl) == 0)
                return true;
        }
    }
    return digits >= 13 || (cut && digits > 6);
}
