/* fixtures_records.c - reading one fixture record at a time: merchants with
 * their channels and tiers, test cards, test bank accounts. See
 * fixtures_read.h. */
#include "state/fixtures_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool fixtures__copy_str(const cJSON *o, const char *name, char *dst, size_t cap, bool required,
                        const char *where, char *err, size_t errlen)
{
    return fixtures__str_item(cJSON_GetObjectItemCaseSensitive(o, name), name, dst, cap, required,
                              where, err, errlen);
}

bool fixtures__str_item(const cJSON *it, const char *name, char *dst, size_t cap, bool required,
                        const char *where, char *err, size_t errlen)
{
    if (!it || cJSON_IsNull(it)) {
        if (required) {
            snprintf(err, errlen, "%s: field \"%s\" is required", where, name);
            return false;
        }
        dst[0] = '\0';
        return true;
    }
    size_t len = cJSON_IsString(it) ? strlen(it->valuestring) : cap;
    if (len >= cap) {
        snprintf(err, errlen, "%s: field \"%s\" must be a string of at most %zu bytes", where, name,
                 cap - 1);
        return false;
    }
    memcpy(dst, it->valuestring, len + 1);
    return true;
}

const char *fixtures__tag_file(const cJSON *o)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, TAG_FILE);
    return cJSON_IsString(f) ? f->valuestring : NULL;
}

int fixtures__tag_index(const cJSON *o, int dflt)
{
    const cJSON *i = cJSON_GetObjectItemCaseSensitive(o, TAG_INDEX);
    return cJSON_IsNumber(i) ? i->valueint : dflt;
}

/* A whole number from 0 to 2^53 (times, amounts); dflt when absent or null. */
bool fixtures__opt_num(const cJSON *o, const char *name, int64_t dflt, int64_t *ret,
                       const char *where, char *err, size_t errlen)
{
    return fixtures__num_item(cJSON_GetObjectItemCaseSensitive(o, name), name, dflt, ret, where,
                              err, errlen);
}

bool fixtures__num_item(const cJSON *it, const char *name, int64_t dflt, int64_t *ret,
                        const char *where, char *err, size_t errlen)
{
    if (!it || cJSON_IsNull(it)) {
        *ret = dflt;
        return true;
    }
    /* checked before the cast: a double out of int64_t range is undefined behaviour */
    if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble > (double)AMOUNT_MAX ||
        it->valuedouble != (double)(int64_t)it->valuedouble) {
        snprintf(err, errlen, "%s: field \"%s\" must be a whole number from 0 to 2^53", where,
                 name);
        return false;
    }
    *ret = (int64_t)it->valuedouble;
    return true;
}

/* Channel m->n_channels of merchant m (reference §23.1: GET /users/pg). */
static bool parse_channel(const cJSON *ch, struct merchant *m, const char *where, char *err,
                          size_t errlen)
{
    struct channel *c = &m->channels[m->n_channels];
    char kind[16];
    char cwhere[600];
    snprintf(cwhere, sizeof cwhere, "%s channels[%zu]", where, m->n_channels);
    if (!fixtures__copy_str(ch, "pg_provider", c->pg_provider, sizeof c->pg_provider, true, cwhere,
                            err, errlen) ||
        !fixtures__copy_str(ch, "pg_id", c->pg_id, sizeof c->pg_id, true, cwhere, err, errlen) ||
        !fixtures__copy_str(ch, "kind", kind, sizeof kind, true, cwhere, err, errlen) ||
        !fixtures__copy_str(ch, "channel_key", c->key, sizeof c->key, false, cwhere, err, errlen) ||
        !fixtures__copy_str(ch, "channel_name", c->name, sizeof c->name, false, cwhere, err,
                            errlen))
        return false;
    if (!strcmp(kind, "onetime"))
        c->kind = CHANNEL_ONETIME;
    else if (!strcmp(kind, "subscription"))
        c->kind = CHANNEL_SUBSCRIPTION;
    else if (!strcmp(kind, "keyin"))
        c->kind = CHANNEL_KEYIN;
    else if (!strcmp(kind, "vbank"))
        c->kind = CHANNEL_VBANK;
    else {
        snprintf(err, errlen, "%s: field \"kind\" must be onetime, subscription, keyin or vbank",
                 cwhere);
        return false;
    }
    const cJSON *sb = cJSON_GetObjectItemCaseSensitive(ch, "sandbox");
    if (sb && !cJSON_IsNull(sb) && !cJSON_IsBool(sb)) {
        snprintf(err, errlen, "%s: field \"sandbox\" must be true or false", cwhere);
        return false;
    }
    c->sandbox = cJSON_IsTrue(sb);
    if (!c->key[0])
        channel_default_key(m->merchant_code, m->n_channels, c, c->key);
    for (size_t i = 0; i < m->n_channels; i++) {
        if (strcmp(m->channels[i].key, c->key) == 0) {
            snprintf(err, errlen, "%s: field \"channel_key\" repeats channels[%zu]'s", cwhere, i);
            return false;
        }
    }
    return true;
}

/* The merchant's sub-merchants (reference §23.2): optional, each
 * {tier_code: 3 upper-case letters or digits, tier_name}. */
static bool parse_tiers(const cJSON *tiers, struct merchant *m, const char *where, char *err,
                        size_t errlen)
{
    if (!tiers || cJSON_IsNull(tiers))
        return true;
    if (!cJSON_IsArray(tiers) || cJSON_GetArraySize(tiers) > MAX_TIERS) {
        snprintf(err, errlen, "%s: field \"tiers\" must be an array of at most %d tiers", where,
                 MAX_TIERS);
        return false;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, tiers)
    {
        struct tier *t = &m->tiers[m->n_tiers];
        char twhere[600];
        snprintf(twhere, sizeof twhere, "%s tiers[%zu]", where, m->n_tiers);
        if (!fixtures__copy_str(it, "tier_code", t->code, sizeof t->code, true, twhere, err,
                                errlen) ||
            !fixtures__copy_str(it, "tier_name", t->name, sizeof t->name, true, twhere, err,
                                errlen))
            return false;
        bool ok = tier_code_valid(t->code);
        for (size_t i = 0; ok && i < m->n_tiers; i++)
            ok = strcmp(m->tiers[i].code, t->code) != 0;
        if (!ok) {
            snprintf(err, errlen,
                     "%s: field \"tier_code\" must be 3 upper-case letters or digits, once each",
                     twhere);
            return false;
        }
        m->n_tiers++;
    }
    return true;
}

bool fixtures__parse_merchant(const cJSON *o, struct merchant *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "merchant: must be an object");
        return false;
    }
    char where[512];
    const char *file = fixtures__tag_file(o);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, "merchant_code");
    if (cJSON_IsString(code))
        snprintf(where, sizeof where, "%s%smerchant %.60s", file ? file : "", file ? ": " : "",
                 code->valuestring);
    else
        snprintf(where, sizeof where, "%s%smerchants[%d]", file ? file : "", file ? ": " : "",
                 fixtures__tag_index(o, 0));
    char fmt[16];
    if (!fixtures__copy_str(o, "merchant_code", m->merchant_code, sizeof m->merchant_code, true,
                            where, err, errlen) ||
        !fixtures__copy_str(o, "imp_key", m->imp_key, sizeof m->imp_key, true, where, err,
                            errlen) ||
        !fixtures__copy_str(o, "imp_secret", m->imp_secret, sizeof m->imp_secret, true, where, err,
                            errlen) ||
        !fixtures__copy_str(o, "name", m->name, sizeof m->name, false, where, err, errlen) ||
        !fixtures__copy_str(o, "default_pg", m->default_pg, sizeof m->default_pg, false, where, err,
                            errlen) ||
        !fixtures__copy_str(o, "webhook_url", m->webhook_url, sizeof m->webhook_url, false, where,
                            err, errlen) ||
        !fixtures__copy_str(o, "webhook_format", fmt, sizeof fmt, false, where, err, errlen))
        return false;
    if (fmt[0] && strcmp(fmt, "json") != 0 && strcmp(fmt, "form") != 0) {
        snprintf(err, errlen, "%s: field \"webhook_format\" must be \"json\" or \"form\"", where);
        return false;
    }
    m->webhook_form = strcmp(fmt, "form") == 0;
    const cJSON *chs = cJSON_GetObjectItemCaseSensitive(o, "channels");
    if (!cJSON_IsArray(chs) || cJSON_GetArraySize(chs) == 0 ||
        cJSON_GetArraySize(chs) > MAX_CHANNELS) {
        snprintf(err, errlen, "%s: field \"channels\" must be an array of 1 to %d channels", where,
                 MAX_CHANNELS);
        return false;
    }
    const cJSON *ch;
    cJSON_ArrayForEach(ch, chs)
    {
        if (!parse_channel(ch, m, where, err, errlen))
            return false;
        m->n_channels++;
    }
    if (!parse_tiers(cJSON_GetObjectItemCaseSensitive(o, "tiers"), m, where, err, errlen))
        return false;
    if (!m->default_pg[0])
        memcpy(m->default_pg, m->channels[0].pg_provider, sizeof m->default_pg);
    return true;
}

bool fixtures__parse_card(const cJSON *o, size_t index, struct test_card *c, char *err,
                          size_t errlen)
{
    char where[512], number[64], outcome[32];
    const char *file = fixtures__tag_file(o);
    snprintf(where, sizeof where, "%s%stest_cards[%d]", file ? file : "", file ? ": " : "",
             fixtures__tag_index(o, (int)index));
    memset(c, 0, sizeof *c);
    if (!fixtures__copy_str(o, "number", number, sizeof number, true, where, err, errlen) ||
        !fixtures__copy_str(o, "outcome", outcome, sizeof outcome, true, where, err, errlen) ||
        !fixtures__copy_str(o, "fail_reason", c->fail_reason, sizeof c->fail_reason, false, where,
                            err, errlen) ||
        !fixtures__copy_str(o, "card_name", c->card_name, sizeof c->card_name, true, where, err,
                            errlen) ||
        !fixtures__copy_str(o, "card_code", c->card_code, sizeof c->card_code, false, where, err,
                            errlen) ||
        !fixtures__copy_str(o, "description", c->description, sizeof c->description, false, where,
                            err, errlen))
        return false;
    if (!cards_normalize(number, c->digits)) {
        snprintf(err, errlen, "%s: field \"number\" must be 13 to 19 digits", where);
        return false;
    }
    if (!strcmp(outcome, "approve"))
        c->outcome = CARD_APPROVE;
    else if (!strcmp(outcome, "decline"))
        c->outcome = CARD_DECLINE;
    else if (!strcmp(outcome, "approve_then_decline"))
        c->outcome = CARD_APPROVE_THEN_DECLINE;
    else if (!strcmp(outcome, "auth_fail"))
        c->outcome = CARD_AUTH_FAIL;
    else {
        snprintf(err, errlen,
                 "%s: field \"outcome\" must be approve, decline, approve_then_decline or "
                 "auth_fail",
                 where);
        return false;
    }
    if (c->outcome != CARD_APPROVE && !c->fail_reason[0]) {
        snprintf(err, errlen, "%s: field \"fail_reason\" is required for outcome %s", where,
                 outcome);
        return false;
    }
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "approve_count");
    if (c->outcome == CARD_APPROVE_THEN_DECLINE) {
        if (!cJSON_IsNumber(n) || n->valuedouble < 0 || n->valuedouble > 1000000) {
            snprintf(err, errlen, "%s: field \"approve_count\" must be a number from 0", where);
            return false;
        }
        c->approve_count = n->valueint;
    }
    const cJSON *ty = cJSON_GetObjectItemCaseSensitive(o, "card_type");
    c->card_type = cJSON_IsNumber(ty) && ty->valueint == 1 ? 1 : 0;
    return true;
}

static bool parse_account(const cJSON *o, size_t index, struct bank_account *a, char *err,
                          size_t errlen)
{
    char where[512], code[8], number[64];
    const char *file = fixtures__tag_file(o);
    snprintf(where, sizeof where, "%s%sbank_accounts[%d]", file ? file : "", file ? ": " : "",
             fixtures__tag_index(o, (int)index));
    memset(a, 0, sizeof *a);
    if (!fixtures__copy_str(o, "bank_code", code, sizeof code, true, where, err, errlen) ||
        !fixtures__copy_str(o, "bank_num", number, sizeof number, true, where, err, errlen) ||
        !fixtures__copy_str(o, "bank_holder", a->holder, sizeof a->holder, true, where, err,
                            errlen))
        return false;
    if (strlen(code) != ACCOUNTS_CODE_LEN || strspn(code, "0123456789") != ACCOUNTS_CODE_LEN) {
        snprintf(err, errlen, "%s: field \"bank_code\" must be a 3-digit KFTC bank code", where);
        return false;
    }
    memcpy(a->bank_code, code, sizeof a->bank_code);
    if (!accounts_digits(number, a->digits)) {
        snprintf(err, errlen, "%s: field \"bank_num\" must hold 1 to %d digits", where,
                 ACCOUNTS_DIGITS_MAX);
        return false;
    }
    if (!a->holder[0]) {
        snprintf(err, errlen, "%s: field \"bank_holder\" must not be empty", where);
        return false;
    }
    return true;
}

bool fixtures__parse_accounts(const cJSON *arr, struct account_table *t, char *err, size_t errlen)
{
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (!n)
        return true;
    t->items = calloc(n, sizeof *t->items);
    if (!t->items) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    const cJSON *a;
    cJSON_ArrayForEach(a, arr)
    {
        if (!parse_account(a, t->n, &t->items[t->n], err, errlen))
            return false;
        t->n++;
    }
    return true;
}
