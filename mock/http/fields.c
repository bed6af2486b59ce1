/* fields.c - see fields.h. */
#include "http/fields.h"

#include "base/limits.h"

#include "infra/webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool out_of_memory(struct params *p)
{
    return param_fail(p, MOCK_INTERNAL, NULL, 0);
}

static bool fail_max(struct params *p, enum mock_err e, const char *field, long long max)
{
    char limit[24];
    snprintf(limit, sizeof limit, "%lld", max);
    const char *args[] = {field, limit};
    return param_fail(p, e, args, 2);
}

bool fields_read_text(struct params *p, const char *name, size_t maxlen, const char **ret)
{
    const char *s = NULL;
    if (!param_str(p, name, maxlen, false, &s))
        return false;
    *ret = s && s[0] ? s : NULL;
    return true;
}

bool fields_read_custom_data(struct params *p, const char **ret, char **ret_owned)
{
    const cJSON *it = param_item(p, "custom_data", NULL);
    char *printed = NULL;
    const char *text = NULL;
    if (it && cJSON_IsString(it)) {
        text = it->valuestring;
    } else if (it) {
        printed = cJSON_PrintUnformatted(it);
        if (!printed)
            return out_of_memory(p);
        text = printed;
    }
    if (text && strlen(text) > CUSTOM_DATA_MAX) {
        cJSON_free(printed);
        return fail_max(p, MOCK_PARAM_TOO_LONG, "custom_data", CUSTOM_DATA_MAX);
    }
    *ret = text && text[0] ? text : NULL;
    *ret_owned = printed;
    return true;
}

/* Several URLs as the JSON array text webhook.c reads; NULL on OOM. */
static char *url_array_text(const cJSON *const *urls, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *s = cJSON_CreateString(urls[i]->valuestring);
        if (!s || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    char *text = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    char *copy = text ? strdup(text) : NULL; /* callers free() it */
    cJSON_free(text);
    return copy;
}

bool fields_read_notice_url(struct params *p, const char *field, char **ret)
{
    const cJSON *it = param_item(p, "notice_url", NULL);
    *ret = NULL;
    if (!it)
        return true;
    if (cJSON_IsString(it)) {
        if (!it->valuestring[0])
            return true; /* clients send "" for "no URL of my own" */
        if (!webhook_url_valid(it->valuestring))
            return param_fail1(p, MOCK_PARAM_NOT_URL, field);
        *ret = strdup(it->valuestring);
        return *ret ? true : out_of_memory(p);
    }
    if (!cJSON_IsArray(it))
        return param_fail1(p, MOCK_PARAM_NOT_URL, field);
    const cJSON *urls[WEBHOOK_URLS_MAX];
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, it)
    {
        if (cJSON_IsNull(e) || (cJSON_IsString(e) && !e->valuestring[0]))
            continue; /* sparse form indexes and empty entries */
        if (!cJSON_IsString(e) || !webhook_url_valid(e->valuestring))
            return param_fail1(p, MOCK_PARAM_NOT_URL, field);
        if (n == WEBHOOK_URLS_MAX)
            return fail_max(p, MOCK_PARAM_TOO_MANY, field, WEBHOOK_URLS_MAX);
        urls[n++] = e;
    }
    if (n == 0)
        return true;
    /* one URL is kept as it is, several as a JSON array text */
    *ret = n == 1 ? strdup(urls[0]->valuestring) : url_array_text(urls, n);
    return *ret ? true : out_of_memory(p);
}

bool fields_read_order(struct params *p, enum fields_door door, struct fields_order *ret)
{
    struct billing_order *o = &ret->order;
    static const char *const text_names[] = {"name",      "buyer_name", "buyer_email",
                                             "buyer_tel", "buyer_addr", "buyer_postcode"};
    const char **text_dst[] = {&o->name,      &o->buyer_name, &o->buyer_email,
                               &o->buyer_tel, &o->buyer_addr, &o->buyer_postcode};
    int64_t quota = 0, ignored;
    bool flag;
    memset(ret, 0, sizeof *ret);
    if (!param_str(p, "merchant_uid", MERCHANT_UID_MAX, true, &o->merchant_uid) ||
        !param_amount(p, "amount", true, &o->amount, NULL) ||
        !param_amount(p, "tax_free", false, &o->tax_free, NULL) ||
        /* VAT is the PG's to work out; Kakao Pay takes none at all (reference §4.1) */
        !param_amount(p, "vat_amount", false, &ignored, NULL) ||
        (door == FIELDS_CHARGE && !param_amount(p, "vat", false, &ignored, NULL)) ||
        !fields_read_text(p, "currency", CURRENCY_MAX, &o->currency))
        return false;
    for (size_t i = 0; i < sizeof text_names / sizeof text_names[0]; i++)
        if (!fields_read_text(p, text_names[i], TEXT_MAX, text_dst[i]))
            return false;
    if (door != FIELDS_WINDOW &&
        (!param_int(p, "card_quota", 0, FIELDS_QUOTA_MAX, false, &quota, NULL) ||
         !param_bool(p, "interest_free_by_merchant", &flag) ||
         !param_bool(p, "use_card_point", &flag)))
        return false;
    o->card_quota = (int)quota;
    return fields_read_custom_data(p, &o->custom_data, &ret->custom_data_text);
}

void fields_order_fini(struct fields_order *f)
{
    cJSON_free(f->custom_data_text);
    f->custom_data_text = NULL;
    f->order.custom_data = NULL;
}

bool fields_read_holder(struct params *p, bool from_buyer, struct billing_holder *ret)
{
    static const char *const customer[] = {"customer_name", "customer_tel", "customer_email",
                                           "customer_addr", "customer_postcode"};
    static const char *const buyer[] = {"buyer_name", "buyer_tel", "buyer_email", "buyer_addr",
                                        "buyer_postcode"};
    const char *const *names = from_buyer ? buyer : customer;
    const char **dst[] = {&ret->name, &ret->tel, &ret->email, &ret->addr, &ret->postcode};
    memset(ret, 0, sizeof *ret);
    if (!fields_read_text(p, "customer_id", TEXT_MAX, &ret->customer_id))
        return false;
    for (size_t i = 0; i < sizeof dst / sizeof dst[0]; i++)
        if (!fields_read_text(p, names[i], TEXT_MAX, dst[i]))
            return false;
    return true;
}

bool fields_read_pg(struct params *p, const char **ret)
{
    return fields_read_text(p, "pg", FIELDS_PG_MAX, ret);
}

bool fields_read_card(struct params *p, bool required, struct billing_card *ret)
{
    const char *cvc = NULL;
    memset(ret, 0, sizeof *ret);
    return param_str(p, "card_number", CARD_FIELD_MAX, required, &ret->number) &&
           param_str(p, "expiry", CARD_FIELD_MAX, required, &ret->expiry) &&
           param_str(p, "birth", CARD_FIELD_MAX, false, &ret->birth) &&
           param_str(p, "pwd_2digit", CARD_FIELD_MAX, false, &ret->pwd_2digit) &&
           param_str(p, "cvc", CARD_FIELD_MAX, false, &cvc);
}
