/* account.c - see account.h. */
#include "domain/account.h"

#include <string.h>

const char *account_channel_type(const struct channel *c)
{
    switch (c->kind) {
    case CHANNEL_ONETIME:
    case CHANNEL_SUBSCRIPTION:
        return "payment";
    case CHANNEL_KEYIN:
    case CHANNEL_VBANK: /* issued by API (POST /vbanks), no window */
        return "api_payment";
    }
    return "payment";
}

const struct channel *account_channel_by_key(const struct merchant *m, const char *key)
{
    for (size_t i = 0; key && i < m->n_channels; i++)
        if (strcmp(m->channels[i].key, key) == 0)
            return &m->channels[i];
    return NULL;
}

const struct channel *account_channel_of_pg(const struct merchant *m, const char *pg_provider)
{
    for (size_t i = 0; i < m->n_channels; i++)
        if (strcmp(m->channels[i].pg_provider, pg_provider) == 0)
            return &m->channels[i];
    return NULL;
}

enum mock_err account_tier(const struct merchant *m, const char *tier_code, struct tier *ret_tier)
{
    if (!tier_code_valid(tier_code))
        return MOCK_TIER_NOT_FOUND;
    for (size_t i = 0; i < m->n_tiers; i++) {
        if (strcmp(m->tiers[i].code, tier_code) == 0) {
            *ret_tier = m->tiers[i];
            return MOCK_OK;
        }
    }
    return MOCK_TIER_NOT_FOUND;
}
