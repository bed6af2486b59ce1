/* test_state.c - a tenant's whole state as JSON (export / import), and the
 * durable state directory (--state-dir): restarts, kill -9, torn records,
 * foreign or unreadable state, damage refused or repaired, a full disk, and
 * the files' permissions. */
#define _GNU_SOURCE /* prlimit: space "comes back" for a running server */
#include "harness.h"

#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

static void test_export_import_roundtrip(void **state)
{
    (void)state;
    mock_start(&M, NULL);
    mock_login(&M);
    make_history(&M);
    char *before = mock_export(&M);
    assert_null(strstr(before, "4000000000003220")); /* only the masked number */
    assert_non_null(strstr(before, "400000******3220"));
    struct http_res r;
    http_do(&M, "POST", "/__mock/reset", NULL, NULL, NULL, &r);
    http_res_free(&r);
    http_do(&M, "POST", "/__mock/import", "application/json", before, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
    char *after = mock_export(&M);
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
    char *before = mock_export(&M);
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
        {"[1,2]", "JSON object"}, /* refused by the body parser, in the control API's shape */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct http_res r;
        http_do(&M, "POST", "/__mock/import", "application/json", bad[i][0], NULL, &r);
        assert_int_equal(r.status, 400);
        const char *err = json_str(r.json, "error");
        if (!err || !strstr(err, bad[i][1]))
            fail_msg("import %zu: error '%s' does not mention %s", i, err ? err : r.body,
                     bad[i][1]);
        http_res_free(&r);
    }
    char *after = mock_export(&M);
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

/* The file's text, owned by this helper until its next call: the checks
 * below read one file at a time. */
static char *slurp(const char *path, size_t *ret_len)
{
    static char *last;
    free(last);
    last = file_read(path, ret_len);
    assert_non_null(last);
    return last;
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
    char *before = mock_export(&M);
    assert_int_equal(mock_stop(&M), 0);
    start_on_state(NULL);
    char *after = mock_export(&M);
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
    char *before = mock_export(&M);
    assert_int_equal(mock_stop(&M), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/state.log", state_dir);
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    fputs("0badc0de {\"ev\":\"payment\",\"tid\":0,\"payment\":{\"imp_uid\":\"imps_9", f); /* torn */
    fclose(f);
    start_on_state(NULL);
    char *after = mock_export(&M);
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
    char *fmt = strstr(foreign, "\"impmock_state\":2");
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
    char *before = mock_export(&M);
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
    char *after = mock_export(&M);
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
    char *before = mock_export(&M);
    assert_non_null(strstr(before, "\"schedules\""));
    assert_int_equal(mock_stop(&M), 0);
    start_on_state(NULL); /* no --clock: the kept clock comes back */
    char *after = mock_export(&M);
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
    /* what an import answered 200 for is logged too: it is there after a restart */
    assert_int_equal(mock_stop(&M), 0);
    start_on_state(NULL);
    mock_login(&M);
    http_get(&M, "/subscribe/payments/schedule/m2", &r);
    assert_int_equal(env_code(&r), 0);
    assert_string_equal(json_str(env_response(&r), "schedule_status"), "scheduled");
    http_res_free(&r);
    free(before);
    free(after);
}

/* ---- damage is refused, or repaired on request ---- */

static const char *const state_names[3] = {"state.snap", "state.log", "state.mark"};

/* The three state files' bytes (NULL: missing). */
struct state_files {
    char *data[3];
    size_t len[3];
};

static void files_read(struct state_files *f)
{
    for (size_t i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", state_dir, state_names[i]);
        f->data[i] = NULL;
        f->len[i] = 0;
        FILE *fp = fopen(path, "rb");
        if (!fp)
            continue;
        f->data[i] = malloc(1 << 20);
        assert_non_null(f->data[i]);
        f->len[i] = fread(f->data[i], 1, (1 << 20) - 1, fp);
        f->data[i][f->len[i]] = '\0';
        fclose(fp);
    }
}

static void files_write(const struct state_files *f)
{
    for (size_t i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", state_dir, state_names[i]);
        if (!f->data[i]) {
            remove(path);
            continue;
        }
        mkdir(state_dir, 0700);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(f->data[i], 1, f->len[i], fp), f->len[i]);
        fclose(fp);
    }
}

static void files_free(struct state_files *f)
{
    for (size_t i = 0; i < 3; i++)
        free(f->data[i]);
    memset(f, 0, sizeof *f);
}

/* A copy of good with one file replaced (text NULL: the file deleted). */
static struct state_files with_file(const struct state_files *good, size_t which, const char *text,
                                    size_t len)
{
    struct state_files f;
    for (size_t i = 0; i < 3; i++) {
        const char *src = i == which ? text : good->data[i];
        size_t n = i == which ? len : good->len[i];
        f.data[i] = src ? malloc(n + 1) : NULL;
        f.len[i] = src ? n : 0;
        if (src) {
            memcpy(f.data[i], src, n);
            f.data[i][n] = '\0';
        }
    }
    return f;
}

static size_t count_lines(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

static void test_damage_refuses_start_untouched(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    make_history(&M);
    assert_int_equal(mock_stop(&M), 0);
    struct state_files good;
    files_read(&good);
    for (size_t i = 0; i < 3; i++)
        assert_non_null(good.data[i]);
    const char *log = good.data[1];
    size_t log_len = good.len[1], lines = count_lines(log, log_len);
    size_t header_len = (size_t)(strchr(log, '\n') - log) + 1;
    const char *last = log + log_len - 1;
    while (last > log && last[-1] != '\n')
        last--;
    assert_true(lines >= 4);

    char bad_crc[1 << 16], needle_crc[64], mark_newer[128];
    assert_true(log_len < sizeof bad_crc);
    memcpy(bad_crc, log, log_len);
    bad_crc[(last - log) + 12] ^= 1; /* inside the last record, which keeps its newline */
    snprintf(needle_crc, sizeof needle_crc, "state.log line %zu: damaged", lines);
    memcpy(mark_newer, good.data[2], good.len[2]);
    mark_newer[4 + 19] = '9'; /* "gen 0000...9" */
    static const char mark_junk[] = "gen 12 bytes\n";
    const struct {
        const char *name;
        size_t file;
        const char *text; /* NULL: the file is deleted */
        size_t len;
        const char *needle;
    } cases[] = {
        {"bad CRC on the complete last line", 1, bad_crc, log_len, needle_crc},
        {"log cut to its header", 1, log, header_len, "the log was cut"},
        {"log cut at a record boundary", 1, log, (size_t)(last - log), "the log was cut"},
        {"log deleted next to its snapshot", 1, NULL, 0, "state.log is missing"},
        {"snapshot deleted", 0, NULL, 0, "state.snap is missing"},
        {"mark deleted", 2, NULL, 0, "state.mark does not account"},
        {"mark damaged", 2, mark_junk, sizeof mark_junk - 1, "state.mark line 1: damaged"},
        {"mark of a newer log", 2, mark_newer, good.len[2], "newer than state.log"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct state_files bad = with_file(&good, cases[c].file, cases[c].text, cases[c].len);
        files_write(&bad);
        char *out = failed_start();
        if (!strstr(out, cases[c].needle))
            fail_msg("%s: the refusal does not say '%s': %s", cases[c].name, cases[c].needle, out);
        struct state_files now;
        files_read(&now);
        for (size_t i = 0; i < 3; i++)
            if ((now.data[i] == NULL) != (bad.data[i] == NULL) || now.len[i] != bad.len[i] ||
                (now.data[i] && memcmp(now.data[i], bad.data[i], now.len[i]) != 0))
                fail_msg("%s: %s was changed by the refused start", cases[c].name, state_names[i]);
        files_free(&now);
        files_free(&bad);
    }
    files_write(&good); /* and the undamaged state still starts */
    start_on_state(NULL);
    assert_int_equal(mock_stop(&M), 0);
    files_free(&good);
}

/* A directory an older impmock wrote (state format 1, before state.mark)
 * starts as it is, with everything in it, and is rewritten in the current
 * format with a mark; without the format change the missing mark is damage. */
static void test_older_format_starts_and_is_upgraded(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    make_history(&M);
    char *before = mock_export(&M);
    assert_int_equal(mock_stop(&M), 0);
    struct state_files good;
    files_read(&good);
    struct state_files older = with_file(&good, 2, NULL, 0);
    for (size_t i = 0; i < 2; i++) {
        char *fmt = strstr(older.data[i], "\"impmock_state\":2");
        assert_non_null(fmt);
        fmt[16] = '1';
    }
    files_write(&older);

    start_on_state(NULL);
    char *after = mock_export(&M);
    assert_string_equal(before, after);
    assert_int_equal(mock_stop(&M), 0);
    struct state_files now;
    files_read(&now);
    assert_non_null(now.data[2]); /* a mark, from now on */
    assert_non_null(strstr(now.data[0], "\"impmock_state\":2"));
    assert_non_null(strstr(now.data[1], "\"impmock_state\":2"));
    files_free(&now);
    start_on_state(NULL); /* and it starts again as any current directory */
    char *again = mock_export(&M);
    assert_string_equal(before, again);
    free(before);
    free(after);
    free(again);
    files_free(&older);
    files_free(&good);
}

/* The copy a repair made: DIR/damaged-<time>/name, read into a static buffer. */
static char *repair_copy(const char *name, size_t *ret_len)
{
    DIR *d = opendir(state_dir);
    assert_non_null(d);
    char path[512] = "";
    for (struct dirent *e = readdir(d); e; e = readdir(d))
        if (strncmp(e->d_name, "damaged-", 8) == 0)
            snprintf(path, sizeof path, "%s/%s/%s", state_dir, e->d_name, name);
    closedir(d);
    if (!path[0])
        fail_msg("no damaged-* copy in %s", state_dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    return slurp(path, ret_len);
}

static void test_repair_keeps_a_copy_and_what_is_readable(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    make_history(&M);
    char *full = mock_export(&M);
    assert_int_equal(mock_stop(&M), 0);
    struct state_files good;
    files_read(&good);

    /* a damaged last record: refused, then dropped by --state-repair */
    struct state_files bad = with_file(&good, 1, good.data[1], good.len[1]);
    char *last = bad.data[1] + bad.len[1] - 1;
    while (last > bad.data[1] && last[-1] != '\n')
        last--;
    last[12] ^= 1;
    files_write(&bad);
    failed_start();
    const char *repair[] = {"--state-repair", NULL};
    start_on_state(repair);
    char log[256];
    snprintf(log, sizeof log, "%s/log", M.dir);
    assert_non_null(strstr(slurp(log, NULL), "copied to"));
    char *repaired = mock_export(&M);
    assert_string_not_equal(repaired, full); /* the last change (prepare p1) is gone */
    assert_null(strstr(repaired, "\"p1\""));
    assert_non_null(strstr(full, "\"p1\""));
    assert_int_equal(mock_stop(&M), 0);
    size_t copy_len;
    char *copy = repair_copy("state.log", &copy_len);
    assert_int_equal(copy_len, bad.len[1]);
    assert_memory_equal(copy, bad.data[1], copy_len);
    start_on_state(NULL); /* a plain start accepts the repaired state */
    char *again = mock_export(&M);
    assert_string_equal(again, repaired);
    assert_int_equal(mock_stop(&M), 0);
    free(again);
    free(repaired);
    files_free(&bad);

    /* a missing mark (a directory an older impmock wrote): everything kept */
    fresh_state_dir();
    files_write(&good);
    char mark[256];
    snprintf(mark, sizeof mark, "%s/state.mark", state_dir);
    remove(mark);
    failed_start();
    start_on_state(repair);
    char *kept = mock_export(&M);
    assert_string_equal(kept, full);
    assert_int_equal(mock_stop(&M), 0);
    start_on_state(NULL);
    assert_int_equal(mock_stop(&M), 0);
    free(kept);
    free(full);
    files_free(&good);
}

/* ---- a full disk ---- */

/* One charge of 1000+i on c1; the imp_uid in ret_uid when it was paid.
 * Returns true when the charge was refused: `again` lists no 500, so a
 * change the disk cannot keep is HTTP 200 with code -1 (reference §16.0). */
static bool charge_refused(int i, char *ret_uid, size_t cap)
{
    char body[160];
    snprintf(body, sizeof body,
             "{\"customer_uid\":\"c1\",\"merchant_uid\":\"full_%d\",\"amount\":%d}", i, 1000 + i);
    struct http_res r;
    http_do_soft(&M, "POST", "/subscribe/payments/again", "application/json", body, M.token, &r);
    ret_uid[0] = '\0';
    const char *st = json_str(env_response(&r), "status");
    bool refused = r.status == 200 && env_code(&r) == -1 && env_message(&r) &&
                   json_is_null(r.json, "response");
    if (r.status == 200 && env_code(&r) == 0 && st && !strcmp(st, "paid"))
        snprintf(ret_uid, cap, "%s", json_str(env_response(&r), "imp_uid"));
    else if (!refused)
        fail_msg("charge %d: neither paid nor refused in the envelope: %ld %s", i, r.status,
                 r.body);
    http_res_free(&r);
    return refused;
}

static void all_paid(char (*uids)[24], int n)
{
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "/payments/%.23s", uids[i]);
        struct http_res r;
        http_get(&M, path, &r);
        if (r.status != 200 || !json_str(env_response(&r), "status") ||
            strcmp(json_str(env_response(&r), "status"), "paid") != 0)
            fail_msg("%s was acknowledged as paid but is gone (%ld)", uids[i], r.status);
        http_res_free(&r);
    }
}

static void test_full_disk_refuses_then_recovers(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    struct http_res r;
    http_post_json(&M, "/subscribe/customers/c1",
                   "{\"card_number\":\"4242-4242-4242-4242\",\"expiry\":\"2099-12\"}", &r);
    assert_int_equal(env_code(&r), 0);
    http_res_free(&r);
    assert_int_equal(mock_stop(&M), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/state.log", state_dir);
    size_t log_len;
    slurp(path, &log_len);

    /* the "disk" takes 24 KiB more: RLIMIT_FSIZE, inherited by the server
     * (SIGXFSZ ignored, so a write past it fails with EFBIG); no root needed */
    struct rlimit full = {log_len + 24576, RLIM_INFINITY},
                  unlimited = {RLIM_INFINITY, RLIM_INFINITY};
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &full), 0);
    start_on_state(NULL);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &unlimited), 0);
    mock_login(&M);

    static char acked[3000][24];
    int n_acked = 0, refused = 0, i = 0;
    for (; i < 1000 && refused < 5; i++) {
        if (charge_refused(i, acked[n_acked], sizeof acked[0]))
            refused++;
        else
            n_acked++;
    }
    assert_int_equal(refused, 5);
    assert_true(n_acked > 10);
    size_t len_full;
    char *text = slurp(path, &len_full);
    assert_true(len_full <= full.rlim_cur);
    assert_int_equal(text[len_full - 1], '\n'); /* cut back to its last whole record */

    /* space comes back: within seconds changes are acknowledged again */
    assert_int_equal(prlimit(M.pid, RLIMIT_FSIZE, &unlimited, NULL), 0);
    double t0 = (double)time(NULL);
    int first_ok = -1;
    for (; i < 2900 && (double)time(NULL) - t0 < 10; i++) {
        if (!charge_refused(i, acked[n_acked], sizeof acked[0])) {
            n_acked++;
            if (first_ok < 0)
                first_ok = i;
            if (i - first_ok >= 20)
                break;
        } else if (first_ok >= 0) {
            fail_msg("charge %d after space came back: refused", i);
        } else {
            struct timespec pause = {0, 20 * 1000000L}; /* the server retries once a second */
            nanosleep(&pause, NULL);
        }
    }
    if (first_ok < 0 || i - first_ok < 20)
        fail_msg("after space came back: first acknowledged charge %d, last %d", first_ok, i);
    all_paid(acked, n_acked);
    char *before = mock_export(&M);
    assert_int_equal(mock_stop(&M), 0);
    start_on_state(NULL); /* the restart replays cleanly */
    mock_login(&M);
    all_paid(acked, n_acked);
    char *after = mock_export(&M);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* ---- who may read the state ---- */

static void test_state_files_are_private(void **state)
{
    (void)state;
    fresh_state_dir();
    start_on_state(NULL);
    mock_login(&M);
    make_history(&M);
    assert_int_equal(mock_stop(&M), 0);
    struct stat st;
    assert_int_equal(stat(state_dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700); /* created by impmock */
    static const char *const names[] = {"state.snap", "state.log", "state.mark", "lock"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", state_dir, names[i]);
        assert_int_equal(stat(path, &st), 0);
        if ((st.st_mode & 0777) != 0600)
            fail_msg("%s is %o, wanted 0600 (it holds imp_secret and tokens)", names[i],
                     st.st_mode & 0777);
    }
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
        cmocka_unit_test_teardown(test_damage_refuses_start_untouched, stop),
        cmocka_unit_test_teardown(test_older_format_starts_and_is_upgraded, stop),
        cmocka_unit_test_teardown(test_repair_keeps_a_copy_and_what_is_readable, stop),
        cmocka_unit_test_teardown(test_full_disk_refuses_then_recovers, stop),
        cmocka_unit_test_teardown(test_state_files_are_private, stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
