/*
 * params.h - typed, validated reads of request fields. A field is looked up
 * in the body first, then in the query string. JSON bodies must carry the
 * right JSON type (an amount sent as "1000" is refused); form bodies and query
 * strings carry text, which is parsed strictly. Every failure records its
 * row of the error table and the details its message needs (the field's
 * name first); envelope.c writes the message.
 * Pure functions: no HTTP; callable from any thread.
 */
#ifndef IMPMOCK_PARAMS_H
#define IMPMOCK_PARAMS_H

#include "base/errors.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARAM_ARGS_MAX 3  /* details of one failure: the field, then up to two limits */
#define PARAM_ARG_MAX  96 /* bytes of one detail, with NUL (longer ones are cut) */

struct params {
    const cJSON *body;  /* object or NULL; borrowed */
    const cJSON *query; /* object or NULL; borrowed */
    bool body_is_form;  /* leaves are text */
    /* the names body and query hold, a bit each of 64 (param_index): a read
     * of a field in neither returns without walking their keys. Unset
     * (false) until param_index runs: every read walks. */
    uint64_t names;
    bool names_known;
    enum mock_err err; /* the row a failed read broke; MOCK_OK until one fails */
    char err_args[PARAM_ARGS_MAX][PARAM_ARG_MAX]; /* its message's "%s"s, in order */
    size_t n_err_args;
};

/* Records failure e with its details (at most PARAM_ARGS_MAX), for rules
 * checked outside this module too. Returns false, for `return` chains. */
bool param_fail(struct params *p, enum mock_err e, const char *const *args, size_t n);
/* The same with one detail (usually the field's name). */
bool param_fail1(struct params *p, enum mock_err e, const char *arg);
/* The recorded failure's message as the envelope writes it. */
size_t param_message(const struct params *p, char *buf, size_t cap);

/* Notes the names p's body and query hold (p->names); run it again after
 * either changes. A charge reads some twenty fields, most of them absent. */
void param_index(struct params *p);
/* The raw item and whether it is text-typed (form/query); NULL when absent or JSON null. */
const cJSON *param_item(const struct params *p, const char *name, bool *ret_textual);

/* String of at most maxlen bytes. Absent: *ret untouched (required -> error). */
bool param_str(struct params *p, const char *name, size_t maxlen, bool required, const char **ret);
/* Whole number in [min, max]; fractions, strings in JSON, overflow refused. */
bool param_int(struct params *p, const char *name, int64_t min, int64_t max, bool required,
               int64_t *ret, bool *ret_present);
/* The page of a paged list: `page`, 1 when absent, and 0 read as 1 (clients
 * that count from 0 send it for the first page). */
bool param_page(struct params *p, int64_t *ret);
/* Amount in KRW: a whole number from 0 to 2^53 - 1 (from 2^53 on, a JSON
 * number cannot be told apart from a neighbour the parser rounded to it). */
bool param_amount(struct params *p, const char *name, bool required, int64_t *ret,
                  bool *ret_present);
bool param_bool(struct params *p, const char *name, bool *ret);
/* A list of strings given as an array (a[]=x, JSON array) or a single string.
 * ret_items (borrowed strings) must hold max_items. */
bool param_str_list(struct params *p, const char *name, size_t max_items, size_t maxlen,
                    const char **ret_items, size_t *ret_n);
/* false (MOCK_ID_CONTROL_CHAR) when an id field (imp_uid, merchant_uid,
 * customer_uid, imp_key, user_code), anywhere in the body or the query,
 * holds a control character: a byte below 0x20 or 0x7f. Text fields (names,
 * reasons, custom_data) may hold them. */
bool param_ids_clean(struct params *p);

#endif
