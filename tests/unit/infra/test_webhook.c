/*
 * test_webhook.c - mock/webhook.c: the retry timetable and URL rules (pure),
 * then the worker in this process against a local receiver: targets from
 * notice_url (one URL or a JSON array) or the merchant's URL, and the
 * window's hooks: webhook_wait / webhook_before_redirect for the
 * "before_redirect" effect and webhook_redirected for "after_redirect".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common.h"
#include "infra/webhook_journal.h"
#include "domain/notices.h"
#include "infra/clock.h"
#include "infra/scenario.h"
#include "infra/webhook.h"
#include "receiver.h"
#include "state/ids.h"
#include "state/store.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pure rules ---- */

static void test_url_valid(void **state)
{
    (void)state;
    assert_true(webhook_url_valid("http://127.0.0.1:8080/hook"));
    assert_true(webhook_url_valid("https://shop.example/iamport/webhook?x=1"));
    assert_true(webhook_url_valid("HTTPS://shop.example"));
    assert_false(webhook_url_valid("ftp://shop.example/hook"));
    assert_false(webhook_url_valid("shop.example/hook"));
    assert_false(webhook_url_valid("http://"));
    assert_false(webhook_url_valid("http:///path"));
    assert_false(webhook_url_valid("http://shop.example/a b"));
    assert_false(webhook_url_valid("http://shop.example/\n"));
    assert_false(webhook_url_valid(""));
    assert_false(webhook_url_valid(NULL));
    char longest[URL_MAX + 2];
    memset(longest, 'a', sizeof longest);
    memcpy(longest, "http://", 7);
    longest[URL_MAX] = '\0';
    assert_true(webhook_url_valid(longest));
    longest[URL_MAX] = 'a';
    longest[URL_MAX + 1] = '\0';
    assert_false(webhook_url_valid(longest));
}

static void test_retry_timetable(void **state)
{
    (void)state;
    struct webhook_opts none = {.retries = 0, .retry_interval = 60};
    assert_int_equal(webhook_next_attempt(&none, 1, 1000, 500, false), -1); /* one attempt */
    struct webhook_opts o = {.retries = 3, .retry_interval = 60};
    /* every failed attempt is retried one interval later, three times */
    assert_int_equal(webhook_next_attempt(&o, 1, 1000, 500, false), 1060);
    assert_int_equal(webhook_next_attempt(&o, 2, 1060, 0, true), 1120);
    assert_int_equal(webhook_next_attempt(&o, 3, 1120, 503, false), 1180);
    assert_int_equal(webhook_next_attempt(&o, 4, 1180, 500, false), -1);
    /* success and 4xx/3xx end it; 5xx and no answer retry */
    assert_int_equal(webhook_next_attempt(&o, 1, 1000, 200, false), -1);
    assert_int_equal(webhook_next_attempt(&o, 1, 1000, 204, false), -1);
    assert_int_equal(webhook_next_attempt(&o, 1, 1000, 404, false), -1);
    assert_int_equal(webhook_next_attempt(&o, 1, 1000, 302, false), -1);
    assert_int_equal(webhook_next_attempt(&o, 1, 1000, 599, false), 1060);
    assert_int_equal(webhook_next_attempt(&o, 1, 1000, 600, false), -1);
    struct webhook_opts max = {.retries = WEBHOOK_RETRIES_MAX, .retry_interval = 60};
    int64_t at = 0;
    int attempts = 1;
    while (attempts < 100) {
        int64_t next = webhook_next_attempt(&max, attempts, at, 0, true);
        if (next < 0)
            break;
        assert_int_equal(next, at + 60);
        at = next;
        attempts++;
    }
    assert_int_equal(attempts, 6); /* the first and five retries, a minute apart */
}

/* ---- the worker ---- */

struct world {
    struct store *s;
    int tid;
    struct receiver *rx;
};

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    if (!w || sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    ids_init(true, 9);
    w->s = store_new();
    w->rx = rx_start();
    struct merchant m;
    memset(&m, 0, sizeof m);
    snprintf(m.imp_key, sizeof m.imp_key, "key-w");
    snprintf(m.merchant_code, sizeof m.merchant_code, "imp-w");
    rx_url(w->rx, "/console", m.webhook_url, sizeof m.webhook_url);
    if (!w->s || store_tenant_add(w->s, &m, &w->tid) != MOCK_OK)
        return -1;
    struct webhook_opts o = {.retries = 0, .retry_interval = 60, .journal_size = 100};
    if (!webhook_start(&o))
        return -1;
    char err[256];
    const char rules[] = "{\"name\":\"window\",\"description\":\"window ordering\",\"rules\":["
                         "{\"when\":{\"op\":\"webhook\",\"merchant_uid\":\"br-*\"},"
                         "\"then\":{\"webhook\":\"before_redirect\"}},"
                         "{\"when\":{\"op\":\"webhook\",\"merchant_uid\":\"ar-*\"},"
                         "\"then\":{\"webhook\":\"after_redirect\"}}]}";
    if (!scenario_load_text(rules, strlen(rules), "test", err, sizeof err))
        return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    webhook_stop();
    scenario_fini();
    rx_stop(w->rx);
    store_free(w->s);
    curl_global_cleanup();
    free(w);
    return 0;
}

static struct payment pay(const char *imp_uid, const char *mid, const char *notice_url)
{
    struct payment p;
    memset(&p, 0, sizeof p);
    snprintf(p.imp_uid, sizeof p.imp_uid, "%s", imp_uid);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "%s", mid);
    snprintf(p.pg_provider, sizeof p.pg_provider, "kakaopay");
    p.amount = 1000;
    p.status = PAY_PAID;
    p.notice_url = (char *)notice_url; /* borrowed: never freed here */
    return p;
}

static void test_targets(void **state)
{
    struct world *w = *state;
    rx_clear(w->rx);
    struct payment p = pay("imp_000000000001", "t-1", NULL); /* the merchant's URL */
    uint64_t id = notice_payment(w->s, w->tid, &p, "paid", NULL);
    assert_true(id > 0);
    assert_true(webhook_wait(id, 5000));
    assert_int_equal(rx_count(w->rx), 1);
    struct rx_msg m;
    assert_true(rx_get(w->rx, 0, &m));
    assert_string_equal(m.path, "/console");
    assert_string_equal(
        m.body, "{\"imp_uid\":\"imp_000000000001\",\"merchant_uid\":\"t-1\",\"status\":\"paid\"}");
    free(m.body);
    char a[128], b[128], arr[300];
    rx_url(w->rx, "/a", a, sizeof a);
    rx_url(w->rx, "/b", b, sizeof b);
    snprintf(arr, sizeof arr, "[\"%s\",\"%s\"]", a, b);
    p = pay("imp_000000000002", "t-2", arr); /* both URLs, not the merchant's */
    id = notice_payment(w->s, w->tid, &p, "cancelled", "0123456789abcdef01234567");
    assert_true(webhook_wait(id, 5000)); /* waits for every URL of the event */
    assert_int_equal(rx_count(w->rx), 3);
    assert_true(rx_get(w->rx, 2, &m));
    assert_string_equal(m.path, "/b");
    assert_non_null(strstr(m.body, "\"cancellation_id\":\"0123456789abcdef01234567\""));
    free(m.body);
    assert_true(webhook_wait(0, 10)); /* nothing queued: nothing to wait for */
    assert_false(webhook_before_redirect(id));
}

static void test_before_redirect(void **state)
{
    struct world *w = *state;
    rx_clear(w->rx);
    struct payment p = pay("imp_000000000003", "br-1", NULL);
    uint64_t id = notice_payment(w->s, w->tid, &p, "paid", NULL);
    assert_true(webhook_before_redirect(id)); /* the window must wait for it */
    assert_true(webhook_wait(id, 5000));
    assert_int_equal(rx_count(w->rx), 1); /* answered before webhook_wait returned */
}

static void test_after_redirect(void **state)
{
    struct world *w = *state;
    rx_clear(w->rx);
    struct payment p = pay("imp_000000000004", "ar-1", NULL);
    uint64_t id = notice_payment(w->s, w->tid, &p, "paid", NULL);
    assert_false(webhook_before_redirect(id));
    assert_false(webhook_wait(id, 400)); /* held until the window has redirected */
    assert_int_equal(rx_count(w->rx), 0);
    webhook_redirected(w->tid, "imp_000000000004");
    assert_true(webhook_wait(id, 5000));
    assert_int_equal(rx_count(w->rx), 1);
    /* a redirect that came first releases the delivery at once */
    webhook_redirected(w->tid, "imp_000000000005");
    p = pay("imp_000000000005", "ar-2", NULL);
    id = notice_payment(w->s, w->tid, &p, "paid", NULL);
    assert_true(webhook_wait(id, 5000));
    assert_int_equal(rx_count(w->rx), 2);
    /* another tenant's redirect of the same imp_uid releases nothing */
    p = pay("imp_000000000006", "ar-3", NULL);
    id = notice_payment(w->s, w->tid, &p, "paid", NULL);
    webhook_redirected(w->tid + 1, "imp_000000000006");
    sleep_ms(300);
    assert_int_equal(rx_count(w->rx), 2);
    webhook_redirected(w->tid, "imp_000000000006");
    assert_true(webhook_wait(id, 5000));
}

static void test_journal_records(void **state)
{
    struct world *w = *state;
    struct webhook_filter f = {.tid = w->tid, .http_status = 200, .merchant_uid = "br-1"};
    size_t n = 0;
    struct webhook_attempt *list = webhook_journal_list(&f, &n);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].kind, "delivery");
    assert_string_equal(list[0].scenario, "window");
    assert_string_equal(list[0].content_type, "application/json");
    assert_int_equal(list[0].attempt, 1);
    assert_null(list[0].error);
    webhook_journal_free(list, n);
    webhook_forget(w->tid);
    struct webhook_filter all = {.tid = -2, .http_status = -1};
    list = webhook_journal_list(&all, &n);
    assert_int_equal(n, 0);
    webhook_journal_free(list, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_valid),      cmocka_unit_test(test_retry_timetable),
        cmocka_unit_test(test_targets),        cmocka_unit_test(test_before_redirect),
        cmocka_unit_test(test_after_redirect), cmocka_unit_test(test_journal_records),
    };
    /* one group (one TAP plan): the worker tests share the set-up below */
    return cmocka_run_group_tests(tests, setup, teardown);
}
