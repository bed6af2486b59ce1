/* test_state.c - a tenant's whole state as JSON (export / import), and the
 * durable state directory (--state-dir): restarts, kill -9, torn records,
 * foreign or unreadable state. */
#include "harness.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

static struct mock M;

static int stop(void **state)
{
    (void)state;
    return M.pid > 0 && mock_stop(&M) != 0 ? -1 : 0;
}

static void make_history(struct mock *m)
{
    struct http_res r;
    http_post_json(m, "/subscribe/customers/c1",
                   "{\"card_number\":\"4000-0000-0000-3220\",\"expiry\":\"2099-12\"}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    for (int i = 1; i <= 3; i++) {
        char body[128];
        snprintf(body, sizeof body,
                 "{\"customer_uid\":\"c1\",\"merchant_uid\":\"o%d\",\"amount\":1000}", i);
        http_post_json(m, "/subscribe/payments/again", body, &r);
        assert_int_equal(env_code(&r), 0);
        http_res_free(&r);
    }
    http_post_json(m, "/payments/cancel", "{\"merchant_uid\":\"o1\",\"amount\":300}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    http_post_json(m, "/payments/prepare", "{\"merchant_uid\":\"p1\",\"amount\":700}", &r);
    http_res_free(&r);
}

static char *export_text(struct mock *m)
{
    struct http_res r;
    http_do(m, "GET", "/__mock/export", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    char *text = strdup(r.body);
    http_res_free(&r);
    return text;
}

static void test_export_import_roundtrip(void **state)
{
    (void)state;
    mock_start(&M, NULL);
    mock_login(&M);
    make_history(&M);
    char *before = export_text(&M);
    assert_null(strstr(before, "4000000000003220")); /* only the masked number */
    assert_non_null(strstr(before, "400000******3220"));
    struct http_res r;
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/import", "application/json", before, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    char *after = export_text(&M);
    assert_string_equal(before, after);
    /* the key's charge count came back: the approve-twice card now declines */
    mock_login(&M);
    http_post_json(&M, "/subscribe/payments/again",
                   "{\"customer_uid\":\"c1\",\"merchant_uid\":\"o4\",\"amount\":1000}", &r);
    assert_string_equal(json_str(env_response(&r), "status"), "failed");
    http_res_free(&r);
    free(before);
    free(after);
}

static void test_bad_import_changes_nothing(void **state)
{
    (void)state;
    mock_start(&M, NULL);
    mock_login(&M);
    make_history(&M);
    char *before = export_text(&M);
    static const char *const bad[][2] = {
        {"{\"format\":2}", "format"},
        {"{\"format\":1,\"payments\":[{\"imp_uid\":\"x\"}]}", "payments[0]"},
        {"{\"format\":1,\"payments\":[{\"imp_uid\":\"x\",\"merchant_uid\":\"m\",\"status\":"
         "\"paid\","
         "\"amount\":-5}]}",
         "amount"},
        {"{\"format\":1,\"customers\":[{\"customer_uid\":\"z\",\"pg_provider\":\"nice\","
         "\"pg_id\":\"m\",\"card_number\":\"4242424242424242\"}]}",
         "card_number"},
        {"[1,2]", "객체"}, /* refused by the body parser, before the control API */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct http_res r;
        http_do(&M, "POST", "/__mock/import", "application/json", bad[i][0], NULL, &r);
        assert_int_equal(r.status, 400);
        const char *err = json_str(r.json, "error");
        if (!err)
            err = env_message(&r); /* bodies the request parser refuses come as the envelope */
        if (!err || !strstr(err, bad[i][1]))
            fail_msg("import %zu: error '%s' does not mention %s", i, err ? err : r.body,
                     bad[i][1]);
        http_res_free(&r);
    }
    char *after = export_text(&M);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* ---- the durable state directory ---- */

static char state_dir[128];

static void fresh_state_dir(void)
{
    snprintf(state_dir, sizeof state_dir, "/tmp/impmock-state-%d", (int)getpid());
    assert_true(scratch_dir_remove(state_dir));
}

static void start_on_state(const char *const *more)
{
    const char *args[8] = {"--state-dir", state_dir, NULL};
    for (size_t i = 0; more && more[i] && i < 5; i++)
        args[2 + i] = more[i];
    mock_start(&M, args);
}

/* Runs impmock on the state dir expecting start-up to fail; returns its stderr. */
static char *failed_start(void)
{
    /* bounded: a server that wrongly starts is stopped after 20 s (exit 124) */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "timeout -k 5 20 %s --port 0 --quiet --state-dir '%s' 2>&1",
             getenv("IMPMOCK_BIN"), state_dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char out[2048];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    if (WEXITSTATUS(status) != 1)
        fail_msg("expected start-up to fail with status 1, got %d: %s", WEXITSTATUS(status), out);
    return out;
}

static void test_restart_keeps_everything(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    make_history(&M);
    struct http_res r;
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"freeze\":true,\"set\":1750000000}",
            NULL, &r);
    http_res_free(&r);
    char *before = export_text(&M);
    assert_int_equal(mock_stop(&M), 0);
    start_on_state(NULL);
    char *after = export_text(&M);
    assert_string_equal(before, after);
    http_do(&M, "GET", "/__mock/clock", NULL, NULL, NULL, &r);
    assert_int_equal((long)json_num(r.json, "now"), 1750000000L);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "frozen")));
    http_res_free(&r);
    free(before);
    free(after);
    /* no full card number in the state files either */
    char path[256];
    snprintf(path, sizeof path, "%s/state.log", state_dir);
    char *text = file_read(path, NULL);
    assert_non_null(text);
    assert_null(strstr(text, "4000000000003220"));
    free(text);
}

struct loader {
    struct mock *m;
    int id;
    char paid[200][24]; /* imp_uids the server said were paid */
    int n_paid;
};

static void *load(void *arg)
{
    struct loader *l = arg;
    for (int i = 0; i < 200; i++) {
        char body[160];
        snprintf(body, sizeof body,
                 "{\"customer_uid\":\"k%d\",\"merchant_uid\":\"t%d_%d\",\"amount\":%d}", l->id,
                 l->id, i, 1000 + i);
        struct http_res r;
        http_do_soft(l->m, "POST", "/subscribe/payments/again", "application/json", body,
                     l->m->token, &r);
        if (r.status == 0) {
            http_res_free(&r);
            break;
        }
        const char *st = json_str(env_response(&r), "status");
        if (st && !strcmp(st, "paid"))
            snprintf(l->paid[l->n_paid++], sizeof l->paid[0], "%s",
                     json_str(env_response(&r), "imp_uid"));
        http_res_free(&r);
    }
    return NULL;
}

static void test_kill_9_under_load_loses_nothing_acknowledged(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    static struct loader loaders[4];
    for (int t = 0; t < 4; t++) {
        char path[64];
        snprintf(path, sizeof path, "/subscribe/customers/k%d", t);
        struct http_res r;
        http_post_json(&M, path, "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}",
                       &r);
        assert_int_equal(env_code(&r), 0);
        http_res_free(&r);
        loaders[t] = (struct loader){.m = &M, .id = t};
    }
    pthread_t th[4];
    for (int t = 0; t < 4; t++)
        assert_int_equal(pthread_create(&th[t], NULL, load, &loaders[t]), 0);
    struct timespec ts = {0, 150 * 1000000L};
    nanosleep(&ts, NULL);
    kill(M.pid, SIGKILL); /* mid-load, no warning */
    for (int t = 0; t < 4; t++)
        pthread_join(th[t], NULL);
    waitpid(M.pid, NULL, 0);
    M.pid = 0;
    start_on_state(NULL); /* mock_start aborts the test if the restart fails */
    mock_login(&M);
    int total = 0;
    for (int t = 0; t < 4; t++) {
        for (int i = 0; i < loaders[t].n_paid; i++) {
            char path[64];
            snprintf(path, sizeof path, "/payments/%s", loaders[t].paid[i]);
            struct http_res r;
            http_get(&M, path, &r);
            if (r.status != 200)
                fail_msg("%s was answered as paid before the kill but is gone (%ld)",
                         loaders[t].paid[i], r.status);
            assert_string_equal(json_str(env_response(&r), "status"), "paid");
            http_res_free(&r);
            total++;
        }
    }
    assert_true(total > 0); /* the kill really came under load */
}

static void test_torn_last_record_is_skipped(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    make_history(&M);
    char *before = export_text(&M);
    assert_int_equal(mock_stop(&M), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/state.log", state_dir);
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    fputs("0badc0de {\"ev\":\"payment\",\"tid\":0,\"payment\":{\"imp_uid\":\"imps_9", f); /* torn */
    fclose(f);
    start_on_state(NULL);
    char *after = export_text(&M);
    assert_string_equal(before, after);
    char log[256];
    snprintf(log, sizeof log, "%s/log", M.dir);
    char *log_text = file_read(log, NULL);
    assert_non_null(log_text);
    assert_non_null(strstr(log_text, "incomplete"));
    free(log_text);
    free(before);
    free(after);
}

static void test_damaged_or_foreign_state_fails_untouched(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    make_history(&M);
    assert_int_equal(mock_stop(&M), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/state.log", state_dir);
    size_t len;
    char *text = file_read(path, &len);
    assert_non_null(text);
    assert_true(len < 1 << 20);
    static char original[1 << 20];
    memcpy(original, text, len + 1);
    free(text);

    /* damage in the middle: a changed byte in the second record */
    char *second = strchr(strchr(original, '\n') + 1, '\n') + 1;
    static char damaged[1 << 20];
    memcpy(damaged, original, len + 1);
    damaged[second - original + 20] ^= 1;
    FILE *f = fopen(path, "wb");
    fwrite(damaged, 1, len, f);
    fclose(f);
    char *out = failed_start();
    assert_non_null(strstr(out, "damaged"));
    file_assert_bytes(path, damaged, len); /* left as it was */

    /* a record with a valid CRC and a number no clock can hold (1e400 parses
     * as infinity): refused by name, not converted */
    static const char bad_record[] =
        "{\"ev\":\"clock\",\"tid\":-1,\"frozen\":true,\"value\":1e400}";
    static char with_bad[1 << 20];
    size_t head = (size_t)(second - original);
    memcpy(with_bad, original, head);
    int n = snprintf(with_bad + head, sizeof with_bad - head, "%08x %s\n",
                     crc32_ieee(bad_record, strlen(bad_record)), bad_record);
    memcpy(with_bad + head + (size_t)n, second, len - head + 1);
    size_t bad_len = len + (size_t)n;
    f = fopen(path, "wb");
    fwrite(with_bad, 1, bad_len, f);
    fclose(f);
    out = failed_start();
    assert_non_null(strstr(out, "clock record"));
    file_assert_bytes(path, with_bad, bad_len);

    /* another format */
    char *foreign = strdup(original);
    char *fmt = strstr(foreign, "\"impmock_state\":1");
    assert_non_null(fmt);
    fmt[16] = '9';
    f = fopen(path, "wb");
    fwrite(foreign, 1, len, f);
    fclose(f);
    out = failed_start();
    assert_non_null(strstr(out, "format 9"));
    file_assert_bytes(path, foreign, len);
    free(foreign);

    /* not a directory */
    assert_true(scratch_dir_remove(state_dir));
    file_write(state_dir, "x\n");
    out = failed_start();
    assert_non_null(strstr(out, "not a directory"));
    remove(state_dir);
}

static void test_one_server_per_state_dir(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    char *out = failed_start();
    assert_non_null(strstr(out, "another impmock"));
}

static void test_compaction_keeps_state(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    make_history(&M);
    /* many token requests near expiry would be tiny; grow the log with prepares instead */
    for (int i = 0; i < 300; i++) {
        char body[96];
        snprintf(body, sizeof body, "{\"merchant_uid\":\"grow_%d\",\"amount\":%d}", i, i + 1);
        struct http_res r;
        http_post_json(&M, "/payments/prepare", body, &r);
        http_res_free(&r);
    }
    char *before = export_text(&M);
    assert_int_equal(mock_stop(&M), 0);
    /* a restart on a log that ends cleanly replays it as is; then compact by restart
     * after appending a torn tail (which forces a fresh snapshot + log) */
    char path[256];
    snprintf(path, sizeof path, "%s/state.log", state_dir);
    FILE *f = fopen(path, "ab");
    fputs("garbage", f);
    fclose(f);
    start_on_state(NULL);
    assert_int_equal(mock_stop(&M), 0);
    size_t log_len;
    char *log_text = file_read(path, &log_len);
    assert_non_null(log_text);
    free(log_text);
    assert_true(log_len < 200); /* just the header: everything moved into the snapshot */
    start_on_state(NULL);
    char *after = export_text(&M);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_schedules_survive_restart_and_export(void **state)
{
    (void)state;
    fresh_state_dir();
    const char *clk[] = {"--clock", "1750000000", NULL};
    start_on_state(clk);
    mock_login(&M);
    struct http_res r;
    http_post_json(&M, "/subscribe/customers/sc1",
                   "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}", &r);
    http_res_free(&r);
    http_post_json(
        &M, "/subscribe/payments/schedule",
        "{\"customer_uid\":\"sc1\",\"schedules\":["
        "{\"merchant_uid\":\"m1\",\"schedule_at\":1750003600,\"amount\":5000,\"name\":\"a\"},"
        "{\"merchant_uid\":\"m2\",\"schedule_at\":1750007200,\"amount\":5000,\"name\":\"b\"}]}",
        &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"advance\":3600}", NULL, &r);
    http_res_free(&r); /* m1 runs */
    char *before = export_text(&M);
    assert_non_null(strstr(before, "\"schedules\""));
    assert_int_equal(mock_stop(&M), 0);
    start_on_state(NULL); /* no --clock: the kept clock comes back */
    char *after = export_text(&M);
    assert_string_equal(before, after);
    mock_login(&M);
    http_get(&M, "/subscribe/payments/schedule/m1", &r);
    assert_string_equal(json_str(env_response(&r), "schedule_status"), "executed");
    http_res_free(&r);
    /* the waiting item still runs after the restart */
    http_do(&M, "POST", "/__mock/clock", "application/json", "{\"advance\":3600}", NULL, &r);
    http_res_free(&r);
    mock_login(&M); /* an hour later the old token has expired */
    http_get(&M, "/subscribe/payments/schedule/m2", &r);
    assert_string_equal(json_str(env_response(&r), "schedule_status"), "executed");
    assert_string_equal(json_str(env_response(&r), "payment_status"), "paid");
    http_res_free(&r);
    /* and an import brings schedules along */
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/import", "application/json", before, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    mock_login(&M);
    http_get(&M, "/subscribe/payments/schedule/m2", &r);
    assert_string_equal(json_str(env_response(&r), "schedule_status"), "scheduled");
    http_res_free(&r);
    free(before);
    free(after);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_export_import_roundtrip, stop),
        cmocka_unit_test_teardown(test_bad_import_changes_nothing, stop),
        cmocka_unit_test_teardown(test_restart_keeps_everything, stop),
        cmocka_unit_test_teardown(test_kill_9_under_load_loses_nothing_acknowledged, stop),
        cmocka_unit_test_teardown(test_torn_last_record_is_skipped, stop),
        cmocka_unit_test_teardown(test_damaged_or_foreign_state_fails_untouched, stop),
        cmocka_unit_test_teardown(test_one_server_per_state_dir, stop),
        cmocka_unit_test_teardown(test_compaction_keeps_state, stop),
        cmocka_unit_test_teardown(test_schedules_survive_restart_and_export, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
