/*
 * test_routes.c - mock/http/routes.c: the route table's statuses column and
 * the rule it serves (reference §16.0). An operation answers only with the
 * statuses its Swagger entry lists (401 always, where a token is needed);
 * any other becomes HTTP 200 with the envelope unchanged, which needs every
 * refusal of the error table to carry a code other than 0. The column's
 * agreement with the Swagger is checked by tools/route_statuses.py and the
 * contract test (tests/contract); this test holds the mechanism, and that
 * the look-up finds what a scan of the table in order finds.
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

/* Splits s as a request path is split: leading slashes skipped, then one
 * segment per slash (empty ones too), none after a final slash. */
static int segments(const char *s, const char **seg, size_t *len, int max)
{
    int n = 0;
    while (*s == '/')
        s++;
    while (*s && n < max) {
        seg[n] = s;
        len[n] = strcspn(s, "/");
        s += len[n++];
        if (*s == '/')
            s++;
    }
    return n;
}

/* Whether path fits pattern, segment by segment ("{}" takes any one
 * non-empty segment): the table's rule, written plainly, to check the
 * grouped look-up against. */
static bool fits_pattern(const char *pattern, const char *path)
{
    const char *ps[32], *ss[32];
    size_t pl[32], sl[32];
    int np = segments(pattern, ps, pl, 32), ns = segments(path, ss, sl, 32);
    if (np != ns)
        return false;
    for (int i = 0; i < np; i++) {
        bool capture = pl[i] == 2 && !strncmp(ps[i], "{}", 2);
        if (capture ? sl[i] == 0 : pl[i] != sl[i] || strncmp(ps[i], ss[i], pl[i]))
            return false;
    }
    return true;
}

/* What a scan of the whole table in order finds for method and path. */
static const struct route *scan(const char *method, const char *path, bool *ret_known)
{
    *ret_known = false;
    for (size_t i = 0; i < route_count; i++) {
        if (!fits_pattern(route_table[i].pattern, path))
            continue;
        *ret_known = true;
        if (!strcmp(route_table[i].method, method) ||
            (!strcmp(method, "HEAD") && !strcmp(route_table[i].method, "GET")))
            return &route_table[i];
    }
    return NULL;
}

static void finds_as_a_scan(const char *method, const char *path)
{
    char buf[256];
    char *args[REQ_MAX_ARGS];
    size_t nargs;
    bool known, want_known;
    snprintf(buf, sizeof buf, "%s", path);
    const struct route *got = route_find(method, buf, args, &nargs, &known);
    const struct route *want = scan(method, path, &want_known);
    if (got != want || known != want_known)
        fail_msg("%s %s: found %s, a scan finds %s", method, path, got ? got->pattern : "none",
                 want ? want->pattern : "none");
    const struct route *any = NULL; /* route_face_of: the first that fits, any method */
    for (size_t i = 0; i < route_count && !any; i++)
        if (fits_pattern(route_table[i].pattern, path))
            any = &route_table[i];
    assert_int_equal(route_face_of(path), any ? any->face : FACE_REST);
}

/* Routes are looked up by their first segment; what is found is what a scan
 * of the table in order finds, first match winning, for a path of every
 * route's shape and for paths no route has. */
static void test_lookup_finds_the_first_match(void **state)
{
    (void)state;
    /* every route's shape with its captures filled, left empty, and with
     * one segment too many */
    static const char *const fills[] = {"x1", "", "x1/more"};
    for (size_t i = 0; i < route_count; i++) {
        for (size_t f = 0; f < sizeof fills / sizeof *fills; f++) {
            char path[256];
            size_t n = 0;
            for (const char *p = route_table[i].pattern; *p && n < sizeof path - 8; p++) {
                if (p[0] == '{' && p[1] == '}') {
                    memcpy(path + n, fills[f], strlen(fills[f]));
                    n += strlen(fills[f]);
                    p++;
                } else {
                    path[n++] = *p;
                }
            }
            path[n] = '\0';
            finds_as_a_scan(route_table[i].method, path);
            finds_as_a_scan("HEAD", path);
            finds_as_a_scan("DELETE", path);
        }
    }
    static const char *const others[] = {"/",
                                         "",
                                         "///",
                                         "/nope",
                                         "/payments",
                                         "/payments/",
                                         "/payments/a/b/c/d/e",
                                         "/payments//balance",
                                         "/payments/{}",
                                         "/paymentsx/a",
                                         "/payment/a",
                                         "//users//getToken",
                                         "/users/getToken/",
                                         "/users/getTokens",
                                         "/users/getToke",
                                         "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q",
                                         "/__mock"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        finds_as_a_scan("GET", others[i]);
        finds_as_a_scan("POST", others[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals_keep_a_code),
        cmocka_unit_test(test_fit_status),
        cmocka_unit_test(test_401_everywhere_a_token_is_needed),
        cmocka_unit_test(test_any_status_only_outside_the_swagger),
        cmocka_unit_test(test_lookup_finds_the_first_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
