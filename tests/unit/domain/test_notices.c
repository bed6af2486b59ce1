/* test_notices.c - which charge sends which payment notice (reference §8),
 * the one rule every door follows (domain/notices.c). Delivery itself is
 * tested in test_webhook.c and over HTTP in test_webhooks.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/notices.h"

static void test_approvals_notify_paid_at_every_door(void **state)
{
    (void)state;
    static const enum billing_door doors[] = {BILLING_DOOR_AGAIN, BILLING_DOOR_ONETIME,
                                              BILLING_DOOR_SCHEDULE, BILLING_DOOR_WINDOW};
    for (size_t i = 0; i < sizeof doors / sizeof doors[0]; i++)
        assert_string_equal(notice_of_charge(doors[i], PAY_PAID), "paid");
}

static void test_only_a_scheduled_decline_notifies(void **state)
{
    (void)state;
    assert_string_equal(notice_of_charge(BILLING_DOOR_SCHEDULE, PAY_FAILED), "failed");
    /* an ordinary payment failure sends no webhook */
    assert_null(notice_of_charge(BILLING_DOOR_AGAIN, PAY_FAILED));
    assert_null(notice_of_charge(BILLING_DOOR_ONETIME, PAY_FAILED));
    assert_null(notice_of_charge(BILLING_DOOR_WINDOW, PAY_FAILED));
}

static void test_nothing_else_notifies(void **state)
{
    (void)state;
    /* a key issued through the API stores no payment to notify about */
    assert_null(notice_of_charge(BILLING_DOOR_ISSUE, PAY_PAID));
    assert_null(notice_of_charge(BILLING_DOOR_ISSUE, PAY_FAILED));
    /* a charge never leaves these; their notices come from elsewhere */
    assert_null(notice_of_charge(BILLING_DOOR_AGAIN, PAY_READY));
    assert_null(notice_of_charge(BILLING_DOOR_SCHEDULE, PAY_CANCELLED));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_approvals_notify_paid_at_every_door),
        cmocka_unit_test(test_only_a_scheduled_decline_notifies),
        cmocka_unit_test(test_nothing_else_notifies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
