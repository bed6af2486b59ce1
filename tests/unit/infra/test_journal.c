/*
 * test_journal.c - the request journal ring: newest entries win once it is
 * full, lists come oldest first and honour limit and filters, clearing one
 * tenant keeps the others, bodies are cut, card numbers masked, what is
 * kept is valid UTF-8 and cut by its size as JSON, a since
 * cursor walks forward, credentials in headers are masked, and concurrent
 * recorders lose nothing the ring has room for.
 */
#include "infra/journal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record(int tid, const char *method, const char *path, int status, const char *body)
{
    journal_record(tid, method, path, NULL, status, body, strlen(body), "{}", 2, NULL, 0);
}

static struct journal_filter any(void)
{
    struct journal_filter f = {.tid = -2};
    return f;
}

static int teardown(void **state)
{
    (void)state;
    journal_fini();
    return 0;
}

static void test_keeps_the_newest_in_order(void **state)
{
    (void)state;
    journal_init(5);
    char path[32];
    for (int i = 1; i <= 12; i++) {
        snprintf(path, sizeof path, "/p/%d", i);
        record(0, "GET", path, 200, "");
    }
    size_t n;
    struct journal_filter f = any();
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "/p/%zu", i + 8);
        assert_string_equal(list[i].path, path);
        assert_int_equal(list[i].seq, i + 8);
    }
    journal_list_free(list, n);

    f.limit = 2; /* the newest two, still oldest first */
    list = journal_list(&f, &n);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].path, "/p/11");
    assert_string_equal(list[1].path, "/p/12");
    journal_list_free(list, n);
}

static void test_filters_and_query(void **state)
{
    (void)state;
    journal_init(16);
    record(0, "POST", "/users/getToken", 200, "a");
    record(1, "GET", "/payments/imp_1", 404, "");
    journal_record(1, "GET", "/payments/status/paid", "page=2", 200, "", 0, "{}", 2, NULL, 0);
    size_t n;
    struct journal_filter f = any();
    f.tid = 1;
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, 2);
    assert_string_equal(list[1].path, "/payments/status/paid?page=2");
    journal_list_free(list, n);

    f = any();
    f.status = 404;
    list = journal_list(&f, &n);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].path, "/payments/imp_1");
    journal_list_free(list, n);

    f = any();
    f.method = "POST";
    f.path_prefix = "/users/";
    list = journal_list(&f, &n);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].tid, 0);
    journal_list_free(list, n);
}

static void test_clear_one_tenant(void **state)
{
    (void)state;
    journal_init(8);
    for (int i = 0; i < 6; i++)
        record(i % 2, "GET", i % 2 ? "/odd" : "/even", 200, "");
    journal_clear(1);
    size_t n;
    struct journal_filter f = any();
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(list[i].path, "/even");
    journal_list_free(list, n);

    /* recording goes on after a clear, numbers keep growing */
    record(1, "GET", "/after", 200, "");
    list = journal_list(&f, &n);
    assert_int_equal(n, 4);
    assert_string_equal(list[3].path, "/after");
    assert_int_equal(list[3].seq, 7);
    journal_list_free(list, n);

    journal_clear(-2);
    list = journal_list(&f, &n);
    assert_int_equal(n, 0);
    journal_list_free(list, n);
}

static void test_bodies_cut_and_masked(void **state)
{
    (void)state;
    journal_init(4);
    size_t big = JOURNAL_BODY_MAX + 100;
    char *body = malloc(big + 1);
    assert_non_null(body);
    memset(body, 'x', big);
    body[big] = '\0';
    record(0, "POST", "/big", 200, body);
    record(0, "POST", "/card", 200, "card_number=4242-4242-4242-4242&expiry=2030-12");
    record(0, "POST", "/small", 200, "ok"); /* reuses no slot yet: ring of 4 */
    size_t n;
    struct journal_filter f = any();
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, 3);
    assert_int_equal(strlen(list[0].request_body), JOURNAL_BODY_MAX);
    assert_null(strstr(list[1].request_body, "4242-4242-4242-4242"));
    assert_non_null(strstr(list[1].request_body, "expiry=2030-12"));
    assert_string_equal(list[2].request_body, "ok");
    journal_list_free(list, n);

    /* a slot that held the big body takes a small one cleanly */
    for (int i = 0; i < 4; i++)
        record(0, "POST", "/again", 200, "tiny");
    list = journal_list(&f, &n);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(list[i].request_body, "tiny");
    journal_list_free(list, n);
    free(body);
}

/* What an entry keeps is valid UTF-8 (a stray byte becomes '?'), a body is
 * cut where its JSON string would pass JOURNAL_BODY_MAX bytes (a control
 * byte counts 6), and an answer cut inside a character drops the
 * character; a secret in the target is masked like one in a body. */
static void test_kept_text_valid_and_cut(void **state)
{
    (void)state;
    journal_init(8);
    record(0, "POST", "/stray", 200,
           "a\xff"
           "b");
    size_t ctl = JOURNAL_BODY_MAX / 6 + 5;
    char *controls = malloc(ctl + 1);
    assert_non_null(controls);
    memset(controls, '\x01', ctl);
    controls[ctl] = '\0';
    record(0, "POST", "/controls", 200, controls);
    controls[JOURNAL_BODY_MAX / 6] = '\0'; /* exactly what fits */
    record(0, "POST", "/fits", 200, controls);
    size_t alen = JOURNAL_BODY_MAX + 2;
    char *answer = malloc(alen + 1);
    assert_non_null(answer);
    memset(answer, 'x', JOURNAL_BODY_MAX - 1);
    memcpy(answer + JOURNAL_BODY_MAX - 1, "\xed\x95\x9c", 3); /* 한 across the cut */
    answer[alen] = '\0';
    journal_record(0, "GET", "/answer", NULL, 200, NULL, 0, answer, alen, NULL, 0);
    journal_record(0, "GET", "/payments/x", "card=4242424242424242", 200, NULL, 0, "{}", 2, NULL,
                   0);
    size_t n;
    struct journal_filter f = any();
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, 5);
    assert_string_equal(list[0].request_body, "a?b");
    assert_int_equal(strlen(list[1].request_body), JOURNAL_BODY_MAX / 6);
    assert_int_equal(strlen(list[2].request_body), JOURNAL_BODY_MAX / 6);
    assert_int_equal(strlen(list[3].response_body), JOURNAL_BODY_MAX - 1);
    assert_string_equal(list[3].request_body, "");
    assert_null(strstr(list[4].path, "4242424242424242"));
    assert_non_null(strstr(list[4].path, "/payments/x?card="));
    journal_list_free(list, n);
    free(answer);
    free(controls);
}

static void test_disabled(void **state)
{
    (void)state;
    journal_init(0);
    record(0, "GET", "/x", 200, "");
    size_t n = 99;
    struct journal_filter f = any();
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, 0);
    journal_list_free(list, n);
}

#define WRITERS    8
#define PER_WRITER 500

static void *writer(void *arg)
{
    int id = (int)(intptr_t)arg;
    char path[32];
    for (int i = 0; i < PER_WRITER; i++) {
        snprintf(path, sizeof path, "/w/%d/%d", id, i);
        record(id, "GET", path, 200, path);
    }
    return NULL;
}

static void test_concurrent_writers(void **state)
{
    (void)state;
    journal_init(WRITERS * PER_WRITER); /* room for every entry */
    pthread_t th[WRITERS];
    for (int i = 0; i < WRITERS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, writer, (void *)(intptr_t)i), 0);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(th[i], NULL);
    size_t n;
    struct journal_filter f = any();
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, WRITERS * PER_WRITER);
    int next[WRITERS] = {0};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(list[i].seq, i + 1);
        int id, k;
        assert_int_equal(sscanf(list[i].path, "/w/%d/%d", &id, &k), 2);
        assert_int_equal(list[i].tid, id);
        assert_string_equal(list[i].request_body, list[i].path);
        assert_int_equal(k, next[id]); /* each writer's entries in its own order */
        next[id]++;
    }
    journal_list_free(list, n);
}

static void test_since_walks_forward(void **state)
{
    (void)state;
    journal_init(5);
    char path[32];
    for (int i = 1; i <= 8; i++) {
        snprintf(path, sizeof path, "/p/%d", i);
        record(i % 2, "GET", path, 200, "");
    }
    assert_int_equal(journal_last_seq(), 8);
    size_t n;
    struct journal_filter f = any();
    f.since = 5; /* 6, 7, 8, oldest first */
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].seq, 6);
    assert_int_equal(list[2].seq, 8);
    journal_list_free(list, n);
    f.limit = 2; /* the first two after the cursor, not the newest two */
    list = journal_list(&f, &n);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].seq, 6);
    assert_int_equal(list[1].seq, 7);
    journal_list_free(list, n);
    f.limit = 0;
    f.since = 1; /* a cursor older than the ring: what the ring still has */
    list = journal_list(&f, &n);
    assert_int_equal(n, 5);
    assert_int_equal(list[0].seq, 4);
    journal_list_free(list, n);
    f.since = 8; /* nothing newer */
    list = journal_list(&f, &n);
    assert_int_equal(n, 0);
    journal_list_free(list, n);
    /* clearing counts what it forgot; numbering goes on */
    assert_int_equal(journal_clear(1), 2); /* 5 and 7 of the kept 4..8 are tenant 1 */
    assert_int_equal(journal_clear(-2), 3);
    record(0, "GET", "/p/9", 200, "");
    f.since = 8;
    list = journal_list(&f, &n);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].seq, 9);
    journal_list_free(list, n);
}

static void test_headers_masked(void **state)
{
    (void)state;
    journal_init(4);
    const struct journal_header h[] = {
        {"Host", "127.0.0.1:8080"},
        {"Authorization", "Bearer 0123456789abcdef0123456789abcdef01234567"},
        {"X-ImpTokenHeader", "0123456789abcdef0123456789abcdef01234567"},
        {"authorization", "short"},
        {"X-Admin-Token", "s3cret-admin"},
        {"Cookie", "session=abcdef"},
        {"X-Odd", "line\r\nbreak"},
    };
    journal_record(0, "GET", "/payments/x", NULL, 200, "", 0, "{}", 2, h, sizeof h / sizeof *h);
    size_t n;
    struct journal_filter f = any();
    struct journal_entry *list = journal_list(&f, &n);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].headers, "Host: 127.0.0.1:8080\n"
                                         "Authorization: Bearer 0123****\n"
                                         "X-ImpTokenHeader: 0123****\n"
                                         "authorization: ****\n"
                                         "X-Admin-Token: ****\n"
                                         "Cookie: ****\n"
                                         "X-Odd: line  break\n");
    journal_list_free(list, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_keeps_the_newest_in_order, teardown),
        cmocka_unit_test_teardown(test_filters_and_query, teardown),
        cmocka_unit_test_teardown(test_clear_one_tenant, teardown),
        cmocka_unit_test_teardown(test_bodies_cut_and_masked, teardown),
        cmocka_unit_test_teardown(test_kept_text_valid_and_cut, teardown),
        cmocka_unit_test_teardown(test_disabled, teardown),
        cmocka_unit_test_teardown(test_since_walks_forward, teardown),
        cmocka_unit_test_teardown(test_headers_masked, teardown),
        cmocka_unit_test_teardown(test_concurrent_writers, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
