/* api_codes.c - the KFTC code tables (reference §21): GET /cards,
 * /cards/{card_standard_code}, /banks, /banks/{bank_standard_code}. The
 * tables are base/codes.c; this file only renders them. */
#include "base/codes.h"
#include "http/api.h"

static cJSON *code_object(const struct std_code *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "code", c->code) ||
        !cJSON_AddStringToObject(o, "name", c->name)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void reply_list(struct req *r, const struct std_code *table, size_t n)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < n; i++) {
        cJSON *o = code_object(&table[i]);
        if (!o || !cJSON_AddItemToArray(list, o)) {
            cJSON_Delete(o);
            cJSON_Delete(list);
            list = NULL;
        }
    }
    if (list)
        envelope_ok(&r->reply, 200, list);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

static void reply_one(struct req *r, const struct std_code *c, enum mock_err not_found)
{
    if (!c) {
        envelope_fail(&r->reply, not_found, NULL);
        return;
    }
    cJSON *o = code_object(c);
    if (o)
        envelope_ok(&r->reply, 200, o);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

void api_cards(struct req *r)
{
    size_t n;
    const struct std_code *t = codes_cards(&n);
    reply_list(r, t, n);
}

void api_card(struct req *r)
{
    reply_one(r, codes_card(r->args[0]), MOCK_CARD_CODE_NOT_FOUND);
}

void api_banks(struct req *r)
{
    size_t n;
    const struct std_code *t = codes_banks(&n);
    reply_list(r, t, n);
}

void api_bank(struct req *r)
{
    reply_one(r, codes_bank(r->args[0]), MOCK_BANK_CODE_NOT_FOUND);
}
