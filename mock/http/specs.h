/*
 * specs.h - request fields checked from a table, as the Swagger declares
 * them (required, type, enum, length), for the operations impmock answers
 * in one step (reference §21-§24). Each check reads through params.h; the
 * first failure is recorded in p as params.h records it.
 * Pure functions: no HTTP; callable from any thread.
 */
#ifndef IMPMOCK_SPECS_H
#define IMPMOCK_SPECS_H

#include "http/params.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum field_kind {
    FIELD_STR,      /* a string of at most max characters (0: any length) */
    FIELD_INT,      /* a whole number in [min, max] (both 0: 0 .. 2^53 - 1) */
    FIELD_AMOUNT,   /* an amount in KRW */
    FIELD_ENUM,     /* one of values */
    FIELD_ENUM_LAX, /* a string; one outside values means the default (the Swagger says so) */
    FIELD_STR_LIST, /* a string or an array of at most max strings */
    FIELD_URLS,     /* an http(s) URL or an array of at most max (0: 10) of them */
    FIELD_ANY,      /* any JSON value; a string of at most max characters (custom_data) */
};

struct field_spec {
    const char *name;
    enum field_kind kind;
    bool required;
    size_t max;                /* characters, or items for FIELD_STR_LIST / FIELD_URLS */
    int64_t min, imax;         /* FIELD_INT bounds */
    const char *const *values; /* FIELD_ENUM(_LAX): NULL-terminated */
};

/* Checks specs[0..n) in order; false with the first failure recorded in p. */
bool specs_check(struct params *p, const struct field_spec *specs, size_t n);

/* A string field's value (NULL when absent or not a string). */
const char *specs_str(const struct params *p, const char *name);

/* Whether value is one of values (NULL-terminated). */
bool specs_in(const char *value, const char *const *values);

#endif
