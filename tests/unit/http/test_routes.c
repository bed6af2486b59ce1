/*
 * test_routes.c - mock/http/routes.c: the route table's statuses column and
 * the rule it serves (reference §16.0). An operation answers only with the
 * statuses its Swagger entry lists (401 always, where a token is needed);
 * any other becomes HTTP 200 with the envelope unchanged, which needs every
 * refusal of the error table to carry a code other than 0. The column's
 * agreement with the Swagger is checked by tools/route_statuses.py and the
 * contract test (tests/contract); this test holds the mechanism.
 */
#include "base/errors.h"
#include "http/api.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct route *row(const char *method, const char *pattern)
{
    for (size_t i = 0; i < route_count; i++)
        if (!strcmp(route_table[i].method, method) && !strcmp(route_table[i].pattern, pattern))
            return &route_table[i];
    fail_msg("no route %s %s", method, pattern);
    return NULL;
}

/* A status the route does not list becomes 200 with the body kept. */
static void fits(const char *method, const char *pattern, enum mock_err e, int want_status)
{
    struct reply rep;
    memset(&rep, 0, sizeof rep);
    envelope_fail(&rep, e, "x");
    char *before = strdup(rep.body);
    assert_non_null(before);
    route_fit_status(row(method, pattern), &rep);
    assert_int_equal(rep.status, want_status);
    assert_string_equal(rep.body, before);
    free(before);
    reply_fini(&rep);
}

static void test_refusals_keep_a_code(void **state)
{
    (void)state;
    /* a refusal moved to HTTP 200 must still read as one: code != 0 */
    for (int e = 0; e < MOCK__COUNT; e++) {
        if (e == MOCK_OK)
            continue;
        if (mock_err_code((enum mock_err)e) == 0)
            fail_msg("%s has code 0", mock_err_name((enum mock_err)e));
    }
}

static void test_fit_status(void **state)
{
    (void)state;
    /* getToken lists 200 and 401 only: a bad field is HTTP 200, code -1 */
    fits("POST", "/users/getToken", MOCK_PARAM_REQUIRED, 200);
    fits("POST", "/users/getToken", MOCK_BAD_CREDENTIALS, 401);
    fits("POST", "/subscribe/payments/again", MOCK_INTERNAL, 200);
    fits("GET", "/payments/{}", MOCK_PAYMENT_NOT_FOUND, 404);
    fits("GET", "/payments/{}", MOCK_BAD_STATUS, 200);
    fits("GET", "/payments/status/{}", MOCK_BAD_STATUS, 400);
    fits("GET", "/payments/{}/balance", MOCK_BALANCE_UNSUPPORTED, 404);
    fits("POST", "/escrows/logis/{}", MOCK_ESCROW_NOT_PAID, 409);
    fits("POST", "/receipts/{}", MOCK_RECEIPT_PG_UNSUPPORTED, 501);
    fits("POST", "/receipts/{}", MOCK_PAYMENT_NOT_FOUND, 200);
    /* the documented exception: an unknown pre-registration is 404 (§3.8) */
    fits("GET", "/payments/prepare/{}", MOCK_PREPARE_NOT_FOUND, 404);
    /* the control API and the pages are not the Swagger's: as rendered */
    fits("POST", "/__mock/clock", MOCK_BAD_PARAM, 400);
    fits("POST", "/checkout/open", MOCK_CHECKOUT_KEY, 403);
}

static void test_401_everywhere_a_token_is_needed(void **state)
{
    (void)state;
    /* GET /users/pg and the schedule edits list no 401 in the Swagger */
    assert_int_equal(row("GET", "/users/pg")->statuses, ST_200);
    assert_true(route_lists_status(row("GET", "/users/pg"), 401));
    assert_false(route_lists_status(row("PUT", "/subscribe/payments/schedule/{}"), 207));
    for (size_t i = 0; i < route_count; i++) {
        const struct route *rt = &route_table[i];
        if (rt->auth == AUTH_TOKEN && !route_lists_status(rt, 401))
            fail_msg("%s %s does not list 401", rt->method, rt->pattern);
        if (rt->statuses != ST_ALL && !(rt->statuses & ST_200))
            fail_msg("%s %s does not list 200", rt->method, rt->pattern);
    }
}

static void test_any_status_only_outside_the_swagger(void **state)
{
    (void)state;
    /* the control API, the window, the SDK script and example pages, and "/" */
    static const char *const outside[] = {"/__mock", "/checkout/", "/v1/", "/examples/"};
    for (size_t i = 0; i < route_count; i++) {
        const struct route *rt = &route_table[i];
        bool out = strcmp(rt->pattern, "/") == 0;
        for (size_t k = 0; k < sizeof outside / sizeof outside[0]; k++)
            out = out || !strncmp(rt->pattern, outside[k], strlen(outside[k]));
        if (out != (rt->statuses == ST_ALL))
            fail_msg("%s %s: ST_ALL is for the control API and the pages only", rt->method,
                     rt->pattern);
    }
    assert_true(route_lists_status(row("GET", "/checkout/session/{}/return"), 302));
    assert_false(route_lists_status(row("GET", "/cards"), 302));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals_keep_a_code),
        cmocka_unit_test(test_fit_status),
        cmocka_unit_test(test_401_everywhere_a_token_is_needed),
        cmocka_unit_test(test_any_status_only_outside_the_swagger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
