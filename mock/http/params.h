/*
 * params.h - typed, validated reads of request fields. A field is looked up
 * in the body first, then in the query string. JSON bodies must carry the
 * right JSON type (an amount sent as "1000" is refused); form bodies and query
 * strings carry text, which is parsed strictly. Every failure writes a
 * message naming the field into the caller's buffer.
 * Pure functions: no HTTP; callable from any thread.
 */
#ifndef IMPMOCK_PARAMS_H
#define IMPMOCK_PARAMS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARAM_ERR_MAX 256

struct params {
    const cJSON *body;  /* object or NULL; borrowed */
    const cJSON *query; /* object or NULL; borrowed */
    bool body_is_form;  /* leaves are text */
    char err[PARAM_ERR_MAX];
};

/* The raw item and whether it is text-typed (form/query); NULL when absent or JSON null. */
const cJSON *param_item(const struct params *p, const char *name, bool *ret_textual);

/* String of at most maxlen bytes. Absent: *ret untouched (required -> error). */
bool param_str(struct params *p, const char *name, size_t maxlen, bool required, const char **ret);
/* Whole number in [min, max]; fractions, strings in JSON, overflow refused. */
bool param_int(struct params *p, const char *name, int64_t min, int64_t max, bool required,
               int64_t *ret, bool *ret_present);
/* Amount in KRW: a whole number from 0 to 2^53 - 1 (from 2^53 on, a JSON
 * number cannot be told apart from a neighbour the parser rounded to it). */
bool param_amount(struct params *p, const char *name, bool required, int64_t *ret,
                  bool *ret_present);
bool param_bool(struct params *p, const char *name, bool *ret);
/* A list of strings given as an array (a[]=x, JSON array) or a single string.
 * ret_items (borrowed strings) must hold max_items. */
bool param_str_list(struct params *p, const char *name, size_t max_items, size_t maxlen,
                    const char **ret_items, size_t *ret_n);

#endif
