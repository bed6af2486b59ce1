/* order.c - see order.h. */
#include "domain/order.h"

#include <stdio.h>
#include <string.h>

bool order_quota_allowed(int64_t amount, int months)
{
    return months < 2 || amount >= ORDER_QUOTA_MIN_AMOUNT;
}

enum mock_err order_check_quota(const struct billing_order *o)
{
    return order_quota_allowed(o->amount, o->card_quota) ? MOCK_OK : MOCK_QUOTA_UNDER_MIN;
}

enum mock_err order_check(const struct billing_order *o, enum billing_door door, bool issues_key,
                          char ret_detail[BILLING_DETAIL_MAX])
{
    bool window = door == BILLING_DOOR_WINDOW;
    ret_detail[0] = '\0';
    bool key_only = window && issues_key && o->amount == 0;
    if (o->amount <= 0 && !key_only)
        return window ? MOCK_ORDER_ZERO_WITHOUT_KEY : MOCK_ORDER_AMOUNT_ZERO;
    if (o->tax_free > o->amount)
        return MOCK_ORDER_TAX_FREE_OVER;
    if (window && o->currency && strcmp(o->currency, "KRW") != 0) {
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", o->currency);
        return MOCK_ORDER_KRW_ONLY;
    }
    if (door == BILLING_DOOR_SCHEDULE)
        return order_check_quota(o);
    return MOCK_OK;
}
