/*
 * fuzz_params.c - the typed readers on fuzzed trees, read through the name
 * filter (param_index) and checked against a walk over the keys. The first
 * byte picks the body's encoding (JSON or form) and where the query starts;
 * every reader then runs on every field name the handlers use. A reader
 * either succeeds with a value inside its limits or fails with a row naming
 * the field first, and never writes its output on failure.
 */
#include "http/form.h"
#include "http/params.h"
#include "infra/json.h"
#include "infra/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
    "amount",       "tax_free",    "checksum",   "vat_amount", "merchant_uid",   "imp_uid",
    "customer_uid", "card_quota",  "page",       "limit",      "from",           "to",
    "sorting",      "currency",    "reason",     "name",       "use_card_point", "enable_webhook",
    "custom_data",  "imp_key",     "imp_secret", "set",        "advance",        "freeze",
    "schedules",    "card_number", "expiry",
};

/* A refusal records its row and names the field first. */
static bool names_field(const struct params *p, const char *n)
{
    return p->err != MOCK_OK && p->n_err_args >= 1 && strcmp(p->err_args[0], n) == 0;
}

static void read_all(struct params *p)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *n = names[i];
        int64_t v = -7;
        bool present = false;
        p->err = MOCK_OK;
        if (param_amount(p, n, false, &v, &present)) {
            if (present && (v < 0 || v > 9007199254740992LL))
                abort();
        } else if (!names_field(p, n) || v != -7) {
            abort();
        }
        v = -7;
        if (param_int(p, n, -1000, 1000, true, &v, &present)) {
            if (v < -1000 || v > 1000)
                abort();
        } else if (!names_field(p, n) || v != -7) {
            abort();
        }
        const char *s = NULL;
        if (param_str(p, n, 40, true, &s)) {
            if (!s || strlen(s) > 40 || !s[0])
                abort();
        } else if (!names_field(p, n) || s) {
            abort();
        }
        bool b = false;
        if (!param_bool(p, n, &b) && !names_field(p, n))
            abort();
        const char *items[8];
        size_t k = 99;
        if (param_str_list(p, n, 8, 40, items, &k)) {
            if (k > 8)
                abort();
        } else if (!names_field(p, n)) {
            abort();
        }
        /* the name filter never hides a field a walk over the keys finds */
        struct params walk = *p;
        walk.names_known = false;
        if (param_item(p, n, NULL) != param_item(&walk, n, NULL))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool json = data[0] & 1;
    size_t split = size - 1;
    const uint8_t *nl = memchr(data + 1, '\n', size - 1);
    if (nl)
        split = (size_t)(nl - (data + 1));
    char err[256];
    struct params p;
    memset(&p, 0, sizeof p);
    cJSON *body = json ? json_parse_object((const char *)data + 1, split, err, sizeof err)
                       : form_parse((const char *)data + 1, split, err, sizeof err);
    cJSON *query = NULL;
    if (nl)
        query = form_parse((const char *)nl + 1, size - 1 - split - 1, err, sizeof err);
    p.body = body;
    p.body_is_form = !json;
    p.query = query;
    param_index(&p); /* as request_parse_params does */
    read_all(&p);
    cJSON_Delete(body);
    cJSON_Delete(query);
    return 0;
}
