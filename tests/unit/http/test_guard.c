/*
 * test_guard.c - the pure parts of http/guard.c: which Host values name this
 * server, which family a path belongs to (as routing sees it), and when an
 * Origin is the server's own. The HTTP behaviour is tests/integration/test_guard.c.
 */
#include "http/guard.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <unistd.h>

static void test_host_values(void **state)
{
    (void)state;
    const char *allowed[] = {"impmock", "Mock.Internal"};
    struct guard *g = guard_new("127.0.0.1", allowed, 2, NULL, 0);
    assert_non_null(g);
    static const char *const yes[] = {
        NULL,
        "",
        "127.0.0.1",
        "127.0.0.1:8080",
        "10.0.0.7:1",
        "localhost",
        "LOCALHOST:65535",
        "localhost.",
        "[::1]",
        "[::1]:8080",
        "[fe80::1]:80",
        "impmock",
        "IMPMOCK:8080",
        "mock.internal:9",
        "mock.internal.",
    };
    static const char *const no[] = {
        "rebind.example",
        "rebind.example:8080",
        "127.0.0.1.rebind.example",
        "localhost.evil",
        "impmock.evil",
        "xn--impmock",
        "localhost:",
        "localhost:http",
        "localhost:123456",
        "localhost:80:80",
        "::1",
        "[::1",
        "[::1]x",
        "[localhost]",
        "[::1]:",
        "2130706433",
        "127.1",
        "evil@127.0.0.1",
        "127.0.0.1 ",
        ":8080",
        ".",
        "..",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!guard_host_allowed(g, yes[i]))
            fail_msg("refused Host '%s'", yes[i] ? yes[i] : "(none)");
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (guard_host_allowed(g, no[i]))
            fail_msg("answered Host '%s'", no[i]);
    guard_free(g);

    /* this machine's own name, and '*' */
    char self[256] = "";
    g = guard_new("0.0.0.0", NULL, 0, NULL, 0);
    if (gethostname(self, sizeof self - 1) == 0 && self[0])
        assert_true(guard_host_allowed(g, self));
    assert_false(guard_host_allowed(g, "impmock"));
    guard_free(g);
    const char *any[] = {"*"};
    g = guard_new("127.0.0.1", any, 1, NULL, 0);
    assert_true(guard_host_allowed(g, "anything.example:1"));
    guard_free(g);
    guard_free(NULL);
}

/* Each route says who calls it (the face column of the route table); a
 * path no route matches answers as the REST API. */
static void test_families(void **state)
{
    (void)state;
    assert_int_equal(route_face_of("/__mock/reset"), FACE_CONTROL);
    assert_int_equal(route_face_of("//__mock/reset"), FACE_CONTROL);
    assert_int_equal(route_face_of("/__mock"), FACE_CONTROL);
    assert_int_equal(route_face_of("/__mock/ui"), FACE_CONTROL);
    assert_int_equal(route_face_of("/__mock/no-such-endpoint"), FACE_REST);
    assert_int_equal(route_face_of("/__mocker"), FACE_REST);
    assert_int_equal(route_face_of("/v1/iamport.js"), FACE_CHECKOUT);
    assert_int_equal(route_face_of("/v1/iamport.json"), FACE_REST);
    assert_int_equal(route_face_of("/checkout/session/x/approve"), FACE_CHECKOUT);
    assert_int_equal(route_face_of("/checkout"), FACE_REST);
    assert_int_equal(route_face_of("/examples/shop"), FACE_CHECKOUT);
    assert_int_equal(route_face_of("/payments/imp_1"), FACE_REST);
    assert_int_equal(route_face_of("/users/getToken"), FACE_REST);
    assert_int_equal(route_face_of("/"), FACE_CONTROL); /* the landing page */
    /* every control route is FACE_CONTROL, every checkout operation FACE_CHECKOUT */
    for (size_t i = 0; i < route_count; i++) {
        const struct route *r = &route_table[i];
        if (r->auth == AUTH_ADMIN)
            assert_int_equal(r->face, FACE_CONTROL);
        if (r->op == SCN_OP_CHECKOUT)
            assert_int_equal(r->face, FACE_CHECKOUT);
        if (r->auth == AUTH_TOKEN)
            assert_int_equal(r->face, FACE_REST);
    }
}

static void test_same_origin(void **state)
{
    (void)state;
    assert_true(guard_same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
    assert_true(guard_same_origin("https://Mock.Example", "mock.example"));
    assert_false(guard_same_origin("http://127.0.0.1:8081", "127.0.0.1:8080"));
    assert_false(guard_same_origin("http://127.0.0.1:8080/", "127.0.0.1:8080"));
    assert_false(guard_same_origin("null", "127.0.0.1:8080"));
    assert_false(guard_same_origin("127.0.0.1:8080", "127.0.0.1:8080"));
    assert_false(guard_same_origin("ftp://127.0.0.1:8080", "127.0.0.1:8080"));
    assert_false(guard_same_origin("http://127.0.0.1:8080", NULL));
    assert_false(guard_same_origin(NULL, "127.0.0.1:8080"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_values),
        cmocka_unit_test(test_families),
        cmocka_unit_test(test_same_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
