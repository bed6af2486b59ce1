/* test_webhooks.c - webhook deliveries over real HTTP (reference §8): what
 * sends one and what does not, where it goes (notice_url string or array,
 * else the merchant's webhook_url), JSON or form bodies, the retry policy on
 * the virtual clock, a receiver that refuses connections, the journal
 * (GET /__mock/webhooks) and resending. A receiver in this process takes
 * the deliveries. */
#include "harness.h"
#include "receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#define T0 1704034800LL /* 2024-01-01 00:00 KST */

static struct mock M;
static struct receiver *RX, *RX2;
static char FIXTURES[128];

static void start_with(const char *const *extra)
{
    const char *args[20] = {"--clock", "1704034800", "--seed", "5"};
    size_t n = 4;
    for (size_t i = 0; extra && extra[i] && n < 19; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    RX = rx_start();
    RX2 = rx_start();
    mock_start(&M, args);
    mock_login(&M);
}

static int stop(void **state)
{
    (void)state;
    rx_stop(RX);
    rx_stop(RX2);
    RX = RX2 = NULL;
    if (FIXTURES[0]) {
        remove(FIXTURES);
        FIXTURES[0] = '\0';
    }
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

static void issue(const char *uid, const char *card)
{
    char path[128], body[256];
    struct http_res r;
    snprintf(path, sizeof path, "/subscribe/customers/%s", uid);
    snprintf(body, sizeof body, "{\"card_number\":\"%s\",\"expiry\":\"2099-12\"}", card);
    http_post_json(&M, path, body, &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
}

/* again with notice_url (a JSON value: "\"url\"", "[...]" or NULL for none). */
static void again(const char *uid, const char *mid, const char *notice_json, const char *status)
{
    char body[1024];
    struct http_res r;
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"%s\",\"merchant_uid\":\"%s\",\"amount\":9900%s%s}", uid, mid,
             notice_json ? ",\"notice_url\":" : "", notice_json ? notice_json : "");
    http_post_json(&M, "/subscribe/payments/again", body, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "status"), status);
    http_res_free(&r);
}

static void quoted_url(const struct receiver *rx, const char *path, char *out, size_t cap)
{
    char url[128];
    rx_url(rx, path, url, sizeof url);
    snprintf(out, cap, "\"%s\"", url);
}

static void advance(long long secs)
{
    char body[64];
    struct http_res r;
    snprintf(body, sizeof body, "{\"advance\":%lld}", secs);
    http_do(&M, "POST", "/__mock/clock", "application/json", body, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
}

/* The journal, as GET /__mock/webhooks?query answers it. */
static cJSON *journal(const char *query, struct http_res *r)
{
    char path[256];
    snprintf(path, sizeof path, "/__mock/webhooks%s", query);
    http_do(&M, "GET", path, NULL, NULL, NULL, r);
    assert_int_equal(r->status, 200);
    assert_true(cJSON_IsArray(r->json));
    return r->json;
}

/* Waits (bounded) until the journal holds n attempts. */
static int journal_wait(int n, int timeout_ms)
{
    int have = 0;
    for (int waited = 0; waited <= timeout_ms; waited += 50) {
        struct http_res r;
        have = cJSON_GetArraySize(journal("", &r));
        http_res_free(&r);
        if (have >= n)
            break;
        sleep_ms(50);
    }
    return have;
}

static cJSON *msg_json(struct receiver *rx, size_t i)
{
    struct rx_msg m;
    assert_true(rx_get(rx, i, &m));
    cJSON *o = cJSON_Parse(m.body);
    free(m.body);
    assert_non_null(o);
    return o;
}

/* ---- what notifies ---- */

static void test_paid_notifies_declined_does_not(void **state)
{
    (void)state;
    start_with(NULL);
    issue("ok", "4242-4242-4242-4242");
    issue("no", "4000-0000-0000-0002");
    char url[160];
    quoted_url(RX, "/paid", url, sizeof url);
    again("ok", "o_1", url, "paid");
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    cJSON *h = msg_json(RX, 0);
    assert_string_equal(json_str(h, "merchant_uid"), "o_1");
    assert_string_equal(json_str(h, "status"), "paid");
    cJSON_Delete(h);
    again("no", "o_2", url, "failed"); /* an ordinary decline notifies nobody */
    sleep_ms(500);
    assert_int_equal(rx_count(RX), 1);

    /* onetime, to two URLs at once */
    char a[128], b[128], body[1024];
    rx_url(RX, "/one", a, sizeof a);
    rx_url(RX2, "/two", b, sizeof b);
    snprintf(body, sizeof body,
             "{\"merchant_uid\":\"o_3\",\"amount\":5000,\"card_number\":\"4242-4242-4242-4242\","
             "\"expiry\":\"2099-12\",\"notice_url\":[\"%s\",\"%s\"]}",
             a, b);
    struct http_res r;
    http_post_json(&M, "/subscribe/payments/onetime", body, &r);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    char imp_uid[64];
    snprintf(imp_uid, sizeof imp_uid, "%s", json_str(env_response(&r), "imp_uid"));
    http_res_free(&r);
    assert_int_equal(rx_wait(RX, 2, 5000), 2);
    assert_int_equal(rx_wait(RX2, 1, 5000), 1);
    h = msg_json(RX2, 0);
    assert_string_equal(json_str(h, "imp_uid"), imp_uid);
    cJSON_Delete(h);
    /* an empty notice_url is no URL of one's own */
    again("ok", "o_4", "\"\"", "paid");
    sleep_ms(300);
    assert_int_equal(rx_count(RX), 2);
}

/* The merchant's webhook_url, in its webhook_format, when no notice_url is given. */
static void test_merchant_url_and_form(void **state)
{
    (void)state;
    RX = rx_start();
    RX2 = rx_start();
    char url[128];
    rx_url(RX, "/console", url, sizeof url);
    snprintf(FIXTURES, sizeof FIXTURES, "/tmp/impmock-webhook-fx-%d.json", (int)getpid());
    FILE *f = fopen(FIXTURES, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"merchants\":[{\"merchant_code\":\"imp00000000\",\"imp_key\":\"" TEST_IMP_KEY
            "\",\"imp_secret\":\"" TEST_IMP_SECRET "\",\"webhook_url\":\"%s\","
            "\"webhook_format\":\"form\",\"channels\":[{\"pg_provider\":\"nice\","
            "\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}]}]}",
            url);
    fclose(f);
    const char *args[] = {"--clock", "1704034800", "--fixtures", FIXTURES, NULL};
    mock_start(&M, args);
    mock_login(&M);
    issue("ok", "4242-4242-4242-4242");
    again("ok", "f_1", NULL, "paid");
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    struct rx_msg m;
    assert_true(rx_get(RX, 0, &m));
    assert_string_equal(m.path, "/console");
    assert_string_equal(m.ctype, "application/x-www-form-urlencoded");
    assert_memory_equal(m.body, "imp_uid=imps_", 13);
    assert_non_null(strstr(m.body, "&merchant_uid=f_1&status=paid"));
    free(m.body);
    /* a notice_url replaces the console URL, it does not add to it */
    char own[160];
    quoted_url(RX2, "/own", own, sizeof own);
    again("ok", "f_2", own, "paid");
    assert_int_equal(rx_wait(RX2, 1, 5000), 1);
    sleep_ms(300);
    assert_int_equal(rx_count(RX), 1);
}

static void test_cancel_enable_webhook(void **state)
{
    (void)state;
    start_with(NULL);
    issue("ok", "4242-4242-4242-4242");
    char url[160];
    quoted_url(RX, "/c", url, sizeof url);
    again("ok", "c_1", url, "paid");
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    struct http_res r;
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"c_1\",\"amount\":1000}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    sleep_ms(400);
    assert_int_equal(rx_count(RX), 1); /* an API cancel is silent by default */
    http_post_json(&M, "/payments/cancel",
                   "{\"merchant_uid\":\"c_1\",\"amount\":2000,\"enable_webhook\":true}", &r);
    assert_int_equal(env_code(&r), 0);
    cJSON *hist = cJSON_GetObjectItemCaseSensitive(env_response(&r), "cancel_history");
    char cid[64];
    snprintf(cid, sizeof cid, "%s", json_str(cJSON_GetArrayItem(hist, 1), "cancellation_id"));
    http_res_free(&r);
    assert_int_equal(rx_wait(RX, 2, 5000), 2);
    cJSON *h = msg_json(RX, 1);
    assert_string_equal(json_str(h, "status"), "cancelled");
    assert_string_equal(json_str(h, "cancellation_id"), cid);
    assert_string_equal(json_str(h, "merchant_uid"), "c_1");
    cJSON_Delete(h);
    /* form bodies carry the flag as text */
    http_do(&M, "POST", "/payments/cancel", "application/x-www-form-urlencoded",
            "merchant_uid=c_1&enable_webhook=true", M.token, &r);
    assert_string_equal(json_str(env_response(&r), "status"), "cancelled");
    http_res_free(&r);
    assert_int_equal(rx_wait(RX, 3, 5000), 3);
}

/* How many notices the receiver got for merchant_uid with this status. */
static int notices_of(struct receiver *rx, const char *merchant_uid, const char *status)
{
    int n = 0;
    for (size_t i = 0; i < rx_count(rx); i++) {
        cJSON *h = msg_json(rx, i);
        if (strcmp(json_str(h, "merchant_uid"), merchant_uid) == 0 &&
            strcmp(json_str(h, "status"), status) == 0)
            n++;
        cJSON_Delete(h);
    }
    return n;
}

static void onetime(const char *mid, const char *card, const char *notice_json, const char *status)
{
    char body[1024];
    struct http_res r;
    snprintf(body, sizeof body,
             "{\"merchant_uid\":\"%s\",\"amount\":5000,\"card_number\":\"%s\","
             "\"expiry\":\"2099-12\",\"notice_url\":%s}",
             mid, card, notice_json);
    http_post_json(&M, "/subscribe/payments/onetime", body, &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "status"), status);
    http_res_free(&r);
}

/* Every door sends the notices of reference §8 once, whoever decides them:
 * again, onetime, a scheduled run, a cancel; declines at again and onetime
 * send none. */
static void test_each_change_notifies_once(void **state)
{
    (void)state;
    start_with(NULL);
    issue("ok", "4242-4242-4242-4242");
    issue("no", "4000-0000-0000-0002");
    char url[160], body[1024];
    quoted_url(RX, "/n", url, sizeof url);
    again("ok", "n_again", url, "paid");
    again("no", "n_again_declined", url, "failed");
    onetime("n_once", "4242-4242-4242-4242", url, "paid");
    onetime("n_once_declined", "4000-0000-0000-0002", url, "failed");

    /* a scheduled run notifies paid and failed alike, once each */
    struct http_res r;
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body,
                 "{\"customer_uid\":\"%s\",\"schedules\":[{\"merchant_uid\":\"%s\","
                 "\"schedule_at\":%lld,\"amount\":9900,\"notice_url\":%s}]}",
                 i ? "no" : "ok", i ? "n_sched_failed" : "n_sched_paid", T0 + 60, url);
        http_post_json(&M, "/subscribe/payments/schedule", body, &r);
        assert_int_equal(env_code(&r), 0);
        http_res_free(&r);
    }
    advance(120);

    /* cancels: silent unless asked, then once per cancel */
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"n_once\",\"amount\":1000}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    http_post_json(&M, "/payments/cancel", "{\"merchant_uid\":\"n_again\",\"enable_webhook\":true}",
                   &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "status"), "cancelled");
    http_res_free(&r);

    assert_int_equal(rx_wait(RX, 5, 5000), 5);
    sleep_ms(500); /* long enough for a second copy of any of them to arrive */
    assert_int_equal(rx_count(RX), 5);
    assert_int_equal(notices_of(RX, "n_again", "paid"), 1);
    assert_int_equal(notices_of(RX, "n_once", "paid"), 1);
    assert_int_equal(notices_of(RX, "n_sched_paid", "paid"), 1);
    assert_int_equal(notices_of(RX, "n_sched_failed", "failed"), 1);
    assert_int_equal(notices_of(RX, "n_again", "cancelled"), 1);
    assert_int_equal(notices_of(RX, "n_again_declined", "failed"), 0);
    assert_int_equal(notices_of(RX, "n_once_declined", "failed"), 0);
    assert_int_equal(notices_of(RX, "n_once", "cancelled"), 0);
}

/* ---- retries ---- */

static void test_retries_follow_the_clock(void **state)
{
    (void)state;
    const char *args[] = {"--webhook-retries", "2", "--webhook-retry-interval", "60", NULL};
    start_with(args);
    issue("ok", "4242-4242-4242-4242");
    int script[] = {500, 200};
    rx_script(RX, script, 2);
    char url[160];
    quoted_url(RX, "/r", url, sizeof url);
    again("ok", "r_1", url, "paid");
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    assert_int_equal(journal_wait(1, 3000), 1);
    struct http_res r;
    cJSON *j = journal("", &r);
    cJSON *a = cJSON_GetArrayItem(j, 0);
    assert_int_equal((int)json_num(a, "status"), 500);
    assert_int_equal((int)json_num(a, "attempt"), 1);
    assert_string_equal(json_str(a, "kind"), "delivery");
    assert_int_equal((long long)json_num(a, "next_attempt_at"), T0 + 60);
    http_res_free(&r);
    sleep_ms(1500); /* the clock is frozen: the retry waits for it */
    assert_int_equal(rx_count(RX), 1);
    advance(59);
    sleep_ms(1200);
    assert_int_equal(rx_count(RX), 1);
    advance(1);
    assert_int_equal(rx_wait(RX, 2, 5000), 2);
    assert_int_equal(journal_wait(2, 3000), 2);
    j = journal("", &r);
    a = cJSON_GetArrayItem(j, 1);
    assert_int_equal((int)json_num(a, "status"), 200);
    assert_int_equal((int)json_num(a, "attempt"), 2);
    assert_string_equal(json_str(a, "kind"), "retry");
    assert_int_equal((long long)json_num(a, "time"), T0 + 60);
    assert_int_equal((long long)json_num(a, "next_attempt_at"), 0);
    assert_int_equal((long long)json_num(a, "id"),
                     (long long)json_num(cJSON_GetArrayItem(j, 0), "id"));
    http_res_free(&r);

    /* the retries run out: 1 + 2 attempts, then nothing more */
    int fail3[] = {503, 502, 500};
    rx_script(RX, fail3, 3);
    again("ok", "r_2", url, "paid");
    assert_int_equal(rx_wait(RX, 3, 5000), 3);
    advance(60);
    assert_int_equal(rx_wait(RX, 4, 5000), 4);
    advance(60);
    assert_int_equal(rx_wait(RX, 5, 5000), 5);
    advance(600);
    sleep_ms(1200);
    assert_int_equal(rx_count(RX), 5);
    assert_int_equal(journal_wait(5, 3000), 5);
    j = journal("?merchant_uid=r_2", &r);
    assert_int_equal(cJSON_GetArraySize(j), 3);
    assert_int_equal((long long)json_num(cJSON_GetArrayItem(j, 2), "next_attempt_at"), 0);
    http_res_free(&r);

    /* a 4xx is an answer: no retry */
    int nf[] = {404};
    rx_script(RX, nf, 1);
    again("ok", "r_3", url, "paid");
    assert_int_equal(rx_wait(RX, 6, 5000), 6);
    advance(600);
    sleep_ms(1200);
    assert_int_equal(rx_count(RX), 6);
}

/* The default is one attempt (reference §8). */
static void test_one_attempt_by_default(void **state)
{
    (void)state;
    start_with(NULL);
    issue("ok", "4242-4242-4242-4242");
    int script[] = {500};
    rx_script(RX, script, 1);
    char url[160];
    quoted_url(RX, "/d", url, sizeof url);
    again("ok", "d_1", url, "paid");
    assert_int_equal(rx_wait(RX, 1, 5000), 1);
    advance(3600);
    sleep_ms(1200);
    assert_int_equal(rx_count(RX), 1);
    struct http_res r;
    assert_int_equal(journal_wait(1, 3000), 1);
    cJSON *a = cJSON_GetArrayItem(journal("", &r), 0);
    assert_int_equal((long long)json_num(a, "next_attempt_at"), 0);
    http_res_free(&r);
}

/* A notice_url nobody listens on costs the charge nothing. */
/* A port that accepts connections (the kernel completes them into the
 * backlog) but never answers: a sender that waited for it would wait for its
 * whole 30 s read timeout. */
static int hanging_port(int *ret_fd)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 16), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *ret_fd = fd;
    return ntohs(sa.sin_port);
}

static void test_unreachable_url_does_not_slow_the_charge(void **state)
{
    (void)state;
    const char *args[] = {"--webhook-retries", "5", NULL};
    start_with(args);
    issue("ok", "4242-4242-4242-4242");
    int hang_fd;
    int ports[2] = {rx_refusing_port(), hanging_port(&hang_fd)};
    for (int i = 0; i < 2; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"customer_uid\":\"ok\",\"merchant_uid\":\"x_%d\",\"amount\":9900,"
                 "\"notice_url\":\"http://127.0.0.1:%d/gone\"}",
                 i, ports[i]);
        double t0 = now_ms();
        struct http_res r;
        http_post_json(&M, "/subscribe/payments/again", body, &r);
        /* far below the 30 s a delivery to the hanging port takes: the answer
         * did not wait for it (a bound loose enough for any machine load) */
        assert_true(now_ms() - t0 < 10000.0);
        assert_string_equal(json_str(env_response(&r), "status"), "paid");
        http_res_free(&r);
    }
    /* the refused delivery is journaled with its error and a retry a minute later */
    assert_true(journal_wait(1, 5000) >= 1);
    struct http_res r;
    cJSON *a = cJSON_GetArrayItem(journal("?status=0", &r), 0);
    assert_non_null(a);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a, "status")));
    assert_non_null(json_str(a, "error"));
    assert_int_equal((long long)json_num(a, "next_attempt_at"), T0 + 60);
    http_res_free(&r);
    close(hang_fd);
}

/* ---- the journal ---- */

static void test_journal_and_resend(void **state)
{
    (void)state;
    start_with(NULL);
    issue("ok", "4242-4242-4242-4242");
    char url[160];
    quoted_url(RX, "/j", url, sizeof url);
    int script[] = {200, 500, 200};
    rx_script(RX, script, 3);
    again("ok", "j_1", url, "paid");
    again("ok", "j_2", url, "paid");
    again("ok", "j_3", url, "paid");
    assert_int_equal(rx_wait(RX, 3, 5000), 3);
    assert_int_equal(journal_wait(3, 3000), 3);

    struct http_res r;
    cJSON *j = journal("", &r);
    cJSON *a = cJSON_GetArrayItem(j, 0);
    assert_string_equal(json_str(a, "merchant_uid"), "j_1");
    assert_string_equal(json_str(a, "content_type"), "application/json");
    assert_string_equal(json_str(a, "imp_key"), TEST_IMP_KEY);
    assert_string_equal(json_str(a, "event"), "paid");
    assert_true(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(a, "body")));
    assert_string_equal(json_str(cJSON_GetObjectItemCaseSensitive(a, "body"), "merchant_uid"),
                        "j_1");
    assert_non_null(strstr(json_str(a, "url"), "/j"));
    assert_int_equal((long long)json_num(a, "time"), T0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a, "error")));
    long long id2 = (long long)json_num(cJSON_GetArrayItem(j, 1), "id");
    http_res_free(&r);

    assert_int_equal(cJSON_GetArraySize(journal("?limit=2", &r)), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(r.json, 0), "merchant_uid"), "j_2");
    http_res_free(&r);
    j = journal("?status=500", &r);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(j, 0), "merchant_uid"), "j_2");
    http_res_free(&r);
    assert_int_equal(cJSON_GetArraySize(journal("?imp_key=" TEST_IMP_KEY, &r)), 3);
    http_res_free(&r);
    http_do(&M, "GET", "/__mock/webhooks?imp_key=nobody", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    char q[64];
    snprintf(q, sizeof q, "?id=%lld", id2);
    assert_int_equal(cJSON_GetArraySize(journal(q, &r)), 1);
    http_res_free(&r);

    /* resend: the same delivery once more, now */
    char path[96];
    snprintf(path, sizeof path, "/__mock/webhooks/%lld/resend", id2);
    http_do(&M, "POST", path, NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "resent")));
    http_res_free(&r);
    assert_int_equal(rx_wait(RX, 4, 5000), 4);
    cJSON *h = msg_json(RX, 3);
    assert_string_equal(json_str(h, "merchant_uid"), "j_2");
    cJSON_Delete(h);
    assert_int_equal(journal_wait(4, 3000), 4);
    j = journal(q, &r);
    assert_int_equal(cJSON_GetArraySize(j), 2);
    a = cJSON_GetArrayItem(j, 1);
    assert_string_equal(json_str(a, "kind"), "resend");
    assert_int_equal((int)json_num(a, "attempt"), 2);
    assert_int_equal((int)json_num(a, "status"), 200);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/webhooks/999999/resend", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/webhooks/abc/resend", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    http_res_free(&r);

    /* a reset forgets the journal */
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    assert_int_equal(cJSON_GetArraySize(journal("", &r)), 0);
    http_res_free(&r);
}

/* A bounded journal keeps the newest attempts. */
static void test_journal_is_bounded(void **state)
{
    (void)state;
    const char *args[] = {"--webhook-journal-size", "2", NULL};
    start_with(args);
    issue("ok", "4242-4242-4242-4242");
    char url[160];
    quoted_url(RX, "/b", url, sizeof url);
    again("ok", "b_1", url, "paid");
    again("ok", "b_2", url, "paid");
    again("ok", "b_3", url, "paid");
    assert_int_equal(rx_wait(RX, 3, 5000), 3);
    sleep_ms(200);
    struct http_res r;
    cJSON *j = journal("", &r);
    assert_int_equal(cJSON_GetArraySize(j), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(j, 0), "merchant_uid"), "b_2");
    http_res_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_paid_notifies_declined_does_not, stop),
        cmocka_unit_test_teardown(test_merchant_url_and_form, stop),
        cmocka_unit_test_teardown(test_cancel_enable_webhook, stop),
        cmocka_unit_test_teardown(test_each_change_notifies_once, stop),
        cmocka_unit_test_teardown(test_retries_follow_the_clock, stop),
        cmocka_unit_test_teardown(test_one_attempt_by_default, stop),
        cmocka_unit_test_teardown(test_unreachable_url_does_not_slow_the_charge, stop),
        cmocka_unit_test_teardown(test_journal_and_resend, stop),
        cmocka_unit_test_teardown(test_journal_is_bounded, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
