/* fixtures_phones.c - the fixtures' "certification" block: the test phones
 * of identity verification and the code every SMS carries (README.md,
 * Fixtures). See fixtures.h. */
#include "state/fixtures_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PHONES_MAX 1000

static bool parse_phone(const cJSON *o, const char *where, struct test_phone *ret, char *err,
                        size_t errlen)
{
    char pattern[64], outcome[16];
    memset(ret, 0, sizeof *ret);
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "%s: must be an object", where);
        return false;
    }
    if (!fixtures__copy_str(o, "phone", pattern, sizeof pattern, true, where, err, errlen) ||
        !fixtures__copy_str(o, "outcome", outcome, sizeof outcome, true, where, err, errlen) ||
        !fixtures__copy_str(o, "description", ret->description, sizeof ret->description, false,
                            where, err, errlen))
        return false;
    if (!phones_pattern(pattern, ret->pattern)) {
        snprintf(err, errlen,
                 "%s: field \"phone\" must be a number or a pattern of at most %d "
                 "characters",
                 where, PHONE_PATTERN_MAX);
        return false;
    }
    if (!strcmp(outcome, "send")) {
        ret->outcome = PHONE_SEND;
    } else if (!strcmp(outcome, "refuse")) {
        ret->outcome = PHONE_REFUSE;
    } else {
        snprintf(err, errlen, "%s: field \"outcome\" must be send or refuse", where);
        return false;
    }
    const cJSON *disclose = cJSON_GetObjectItemCaseSensitive(o, "disclose");
    if (disclose && !cJSON_IsBool(disclose)) {
        snprintf(err, errlen, "%s: field \"disclose\" must be true or false", where);
        return false;
    }
    ret->disclose = !disclose || cJSON_IsTrue(disclose);
    return true;
}

bool fixtures_parse_certification(const cJSON *o, const char *file, struct phone_table *ret,
                                  char *err, size_t errlen)
{
    char where[600];
    snprintf(where, sizeof where, "%s: certification", file ? file : "fixtures");
    memset(ret, 0, sizeof *ret);
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "%s: must be an object", where);
        return false;
    }
    if (!fixtures__copy_str(o, "otp", ret->otp, sizeof ret->otp, true, where, err, errlen))
        return false;
    bool digits = strlen(ret->otp) == PHONE_OTP_LEN;
    for (const char *p = ret->otp; *p; p++)
        digits = digits && *p >= '0' && *p <= '9';
    if (!digits) {
        snprintf(err, errlen, "%s: field \"otp\" must be %d digits", where, PHONE_OTP_LEN);
        return false;
    }
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "test_phones");
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1 || n > PHONES_MAX) {
        snprintf(err, errlen, "%s: field \"test_phones\" must be an array of 1 to %d phones", where,
                 PHONES_MAX);
        return false;
    }
    ret->phones = calloc((size_t)n, sizeof *ret->phones);
    if (!ret->phones) {
        snprintf(err, errlen, "%s: out of memory", where);
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        char item_where[640];
        snprintf(item_where, sizeof item_where, "%s test_phones[%zu]", where, ret->n);
        if (!parse_phone(item, item_where, &ret->phones[ret->n], err, errlen)) {
            phones_fini(ret);
            return false;
        }
        ret->n++;
    }
    return true;
}
