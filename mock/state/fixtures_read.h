/*
 * fixtures_read.h - reading fixture records (merchants with their channels
 * and tiers, test cards, test bank accounts) and the small field readers
 * they share; private to state/fixtures*.c. Every failure names the file
 * and the record in err.
 */
#ifndef IMPMOCK_FIXTURES_READ_H
#define IMPMOCK_FIXTURES_READ_H

#include "state/fixtures.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Items of every loaded document are tagged with the file they came from and
 * their index there (see merge_doc), so an error can name both. */
#define TAG_FILE   "__file"
#define TAG_INDEX  "__index"
#define TAG_RELOAD "__reload" /* the seed arrays were released: read them from the file */
#define EMBEDDED   "embedded default fixtures"

/* The file an item of a loaded document came from, or NULL (embedded). */
const char *fixtures__tag_file(const cJSON *o);
/* Its index in that file's array, or dflt. */
int fixtures__tag_index(const cJSON *o, int dflt);
/* A string field into dst (cap bytes with its NUL); absent or null is ""
 * unless required. */
bool fixtures__copy_str(const cJSON *o, const char *name, char *dst, size_t cap, bool required,
                        const char *where, char *err, size_t errlen);
/* A whole number from 0 to 2^53 (times, amounts); dflt when absent or null. */
bool fixtures__opt_num(const cJSON *o, const char *name, int64_t dflt, int64_t *ret,
                       const char *where, char *err, size_t errlen);
/* The same two for a field already found (NULL: absent); name only names it
 * in err. For records read by one pass over their keys (seeded payments). */
bool fixtures__str_item(const cJSON *it, const char *name, char *dst, size_t cap, bool required,
                        const char *where, char *err, size_t errlen);
bool fixtures__num_item(const cJSON *it, const char *name, int64_t dflt, int64_t *ret,
                        const char *where, char *err, size_t errlen);
/* One merchant object, validated (channels, tiers). */
bool fixtures__parse_merchant(const cJSON *o, struct merchant *m, char *err, size_t errlen);
/* Test card `index` of the test_cards array. */
bool fixtures__parse_card(const cJSON *o, size_t index, struct test_card *c, char *err,
                          size_t errlen);
/* The bank_accounts array into t (owned by t). */
bool fixtures__parse_accounts(const cJSON *arr, struct account_table *t, char *err, size_t errlen);

#endif
