/*
 * test_persist.c - mock/state/persist.c in a scratch directory: every change
 * of the store is appended to state.log as a CRC-framed line and replayed
 * into an empty store on the next open (tenants, tokens, payments, keys,
 * pre-registrations, schedules, clears, the clock); a snapshot replaces the
 * log; a torn last line is skipped and cleaned away; damage anywhere else,
 * another format or a directory that cannot be used is refused by name
 * with the files left exactly as they were; one process per directory.
 */
#include "infra/clock.h"
#include "state/persist.h"
#include "state/state.h"
#include "unit_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1750000000LL

/* plain appends, no repair: what --state-dir without other flags does */
static const struct persist_opts opts = {.sync_writes = false, .repair = false};

struct ctx {
    char root[SCRATCH_DIR_MAX];
    char dir[SCRATCH_DIR_MAX + 16]; /* root/state: made by persist_open */
    char log[SCRATCH_DIR_MAX + 32], snap[SCRATCH_DIR_MAX + 32];
};

static int setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    scratch_dir_new(c->root);
    snprintf(c->dir, sizeof c->dir, "%s/state", c->root);
    snprintf(c->log, sizeof c->log, "%s/state.log", c->dir);
    snprintf(c->snap, sizeof c->snap, "%s/state.snap", c->dir);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    clock_reset();
    bool gone = scratch_dir_remove(c->root);
    free(c);
    return gone ? 0 : -1;
}

/* A store and the state directory that logs it. */
struct session {
    struct store *s;
    struct persist *p;
};

/* Opens c->dir into a new store; fails the test when refused. */
static struct session open_ok(const struct ctx *c, bool *ret_restored)
{
    char err[512] = "";
    struct session x = {store_new(), NULL};
    assert_non_null(x.s);
    bool restored = false;
    x.p = persist_open(c->dir, x.s, &opts, &restored, err, sizeof err);
    if (!x.p)
        fail_msg("persist_open: %s", err);
    if (ret_restored)
        *ret_restored = restored;
    return x;
}

static void session_close(struct session *x)
{
    persist_close(x->p);
    store_free(x->s);
    memset(x, 0, sizeof *x);
}

/* Expects opening c->dir to be refused with a message holding want (and the
 * files as they were); returns nothing. */
static void open_refused(const struct ctx *c, const char *want)
{
    char err[512] = "";
    bool restored = false;
    struct store *s = store_new();
    assert_non_null(s);
    struct persist *p = persist_open(c->dir, s, &opts, &restored, err, sizeof err);
    store_free(s);
    if (p) {
        persist_close(p);
        fail_msg("opened although it should say \"%s\"", want);
    }
    if (!strstr(err, want))
        fail_msg("\"%s\" does not say \"%s\"", err, want);
}

/* Everything the store holds, as text: every tenant slot with its merchant
 * (secret included), token and records. */
static char *everything(struct store *s)
{
    size_t cap = 1 << 20, o = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < store_tenant_count(s); i++) {
        struct merchant m;
        bool removed;
        char token[41];
        int64_t expires;
        assert_true(store_tenant_slot(s, (int)i, &m, &removed, token, &expires));
        cJSON *doc = removed ? NULL : state_export_tenant(s, (int)i);
        char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
        o += (size_t)snprintf(out + o, cap - o, "[%zu %s %s %s%s %s %lld %s]\n", i, m.imp_key,
                              m.imp_secret, m.merchant_code, removed ? " removed" : "", token,
                              (long long)expires, text ? text : "-");
        cJSON_free(text);
        cJSON_Delete(doc);
        assert_true(o < cap);
    }
    return out;
}

/* A bit of every kind of change, on tenants a and b of s. */
static void make_history(struct store *s, int *ret_a)
{
    struct merchant m;
    int a, b, gone;
    unit_merchant(&m, "key-a", "imp-a");
    assert_int_equal(store_tenant_add(s, &m, &a), MOCK_OK);
    unit_merchant(&m, "key-b", "imp-b");
    assert_int_equal(store_tenant_add(s, &m, &b), MOCK_OK);
    unit_merchant(&m, "key-gone", "imp-gone");
    assert_int_equal(store_tenant_add(s, &m, &gone), MOCK_OK);
    store_tenant_remove(s, gone);
    char token[41];
    int64_t expires;
    store_token_issue(s, a, T0, "0123456789abcdef0123456789abcdef01234567", token, &expires);

    struct payment p, stored;
    memset(&p, 0, sizeof p);
    snprintf(p.merchant_uid, sizeof p.merchant_uid, "ord-1");
    snprintf(p.pay_method, sizeof p.pay_method, "card");
    snprintf(p.channel, sizeof p.channel, "api");
    snprintf(p.pg_provider, sizeof p.pg_provider, "nice");
    snprintf(p.currency, sizeof p.currency, "KRW");
    p.status = PAY_PAID;
    p.amount = 10000;
    p.paid_at = T0;
    assert_true(str_set(&p.name, "정기 결제 \"1월\""));
    assert_int_equal(store_payment_insert(s, a, &p, true, &stored), MOCK_OK);
    payment_fini(&p);
    stored.cancel_amount = 3000; /* a partial cancel: the replaced record is what counts */
    stored.n_cancels = 1;
    stored.cancels = calloc(1, sizeof *stored.cancels);
    assert_non_null(stored.cancels);
    stored.cancels[0].amount = 3000;
    stored.cancels[0].reason = strdup("부분 환불");
    assert_int_equal(store_payment_replace(s, a, &stored), MOCK_OK);
    payment_fini(&stored);

    struct customer cu;
    unit_customer(&cu, "cust-1", T0);
    cu.card_profile = 6;
    cu.card_number = strdup("400000******3220");
    assert_int_equal(store_customer_put(s, a, &cu, NULL), MOCK_OK);
    uint64_t charges;
    assert_int_equal(store_customer_count_charge(s, a, "cust-1", &charges), MOCK_OK);
    snprintf(cu.customer_uid, sizeof cu.customer_uid, "cust-deleted");
    assert_int_equal(store_customer_put(s, a, &cu, NULL), MOCK_OK);
    struct customer deleted;
    assert_int_equal(store_customer_delete(s, a, "cust-deleted", &deleted), MOCK_OK);
    customer_fini(&deleted);
    customer_fini(&cu);

    struct prepare pr = {.merchant_uid = "prep-1", .amount = 7000, .currency = "KRW"};
    assert_int_equal(store_prepare_put(s, a, &pr, false), MOCK_OK);
    pr.amount = 7500;
    assert_int_equal(store_prepare_put(s, a, &pr, true), MOCK_OK);

    struct schedule sc = unit_schedule("renew-1", "cust-1", T0 + 86400);
    assert_int_equal(store_schedule_add(s, a, &sc, 1, NULL, NULL), MOCK_OK);

    /* tenant b had records once; a clear leaves only its merchant */
    assert_int_equal(store_prepare_put(s, b, &pr, false), MOCK_OK);
    store_tenant_clear(s, b);
    if (ret_a)
        *ret_a = a;
}

/* Closes x, opens the directory again and checks the new store holds what
 * x held; x is then the new session. */
static void reopen_same(const struct ctx *c, struct session *x)
{
    char *before = everything(x->s);
    session_close(x);
    *x = open_ok(c, NULL);
    char *after = everything(x->s);
    assert_string_equal(after, before);
    free(before);
    free(after);
}

static void test_changes_survive_a_reopen(void **state)
{
    struct ctx *c = *state;
    bool restored = true;
    struct session x = open_ok(c, &restored);
    assert_false(restored); /* a new directory */
    make_history(x.s, NULL);
    clock_freeze(true);
    clock_set(T0 + 5);
    store_note_clock(x.s, true, T0 + 5);
    char *before = everything(x.s);
    session_close(&x);

    clock_reset();
    x = open_ok(c, &restored);
    assert_true(restored);
    char *after = everything(x.s);
    assert_string_equal(after, before);
    bool frozen;
    int64_t value;
    clock_get_state(&frozen, &value);
    assert_true(frozen);
    assert_int_equal(value, T0 + 5);
    session_close(&x);
    free(before);
    free(after);
}

/* A removed tenant's slot goes to the next tenant; free slots, reused ones,
 * a free slot at the end and a tenant made on the fly come back the same,
 * from the log and from a snapshot. */
static void test_reused_slots_survive_a_reopen(void **state)
{
    struct ctx *c = *state;
    struct session x = open_ok(c, NULL);
    make_history(x.s, NULL); /* slot 2 freed */
    struct merchant m;
    int tid = -1, *evicted = NULL;
    size_t n_evicted = 0;
    unit_merchant(&m, "key-reuse", "imp-reuse");
    assert_int_equal(store_tenant_add(x.s, &m, &tid), MOCK_OK);
    assert_int_equal(tid, 2);
    unit_merchant(&m, "key-open", "");
    assert_int_equal(store_tenant_add_open(x.s, &m, 10, T0, &tid, &evicted, &n_evicted), MOCK_OK);
    assert_int_equal(n_evicted, 0);
    free(evicted);
    unit_merchant(&m, "key-tail", "");
    assert_int_equal(store_tenant_add(x.s, &m, &tid), MOCK_OK);
    store_tenant_remove(x.s, tid);
    reopen_same(c, &x);
    assert_true(store_tenant_merchant(x.s, 3, &m));
    assert_true(m.on_the_fly);
    char err[256];
    assert_true(persist_compact(x.p, err, sizeof err));
    reopen_same(c, &x);
    assert_int_equal(store_tenant_count(x.s), 5);
    assert_true(store_tenant_by_key(x.s, "key-reuse", &tid, NULL));
    assert_int_equal(tid, 2);
    session_close(&x);
}

/* The log is appended to: one CRC-framed line per change. */
static void test_each_change_is_one_framed_line(void **state)
{
    struct ctx *c = *state;
    struct session x = open_ok(c, NULL);
    make_history(x.s, NULL);
    size_t len1;
    char *log1 = file_read(c->log, &len1);
    assert_non_null(log1);
    struct prepare pr = {.merchant_uid = "one-more", .amount = 1};
    assert_int_equal(store_prepare_put(x.s, 0, &pr, false), MOCK_OK);
    size_t len2;
    char *log2 = file_read(c->log, &len2);
    assert_non_null(log2);
    assert_true(len2 > len1);
    assert_memory_equal(log2, log1, len1); /* appended, nothing rewritten */
    const char *line = log2 + len1;
    assert_int_equal(log2[len2 - 1], '\n');
    assert_ptr_equal(strchr(line, '\n'), log2 + len2 - 1); /* exactly one line */
    unsigned crc = 0;
    assert_int_equal(sscanf(line, "%8x", &crc), 1);
    assert_int_equal(line[8], ' ');
    assert_int_equal(crc, crc32_ieee(line + 9, len2 - len1 - 10));
    assert_non_null(strstr(line, "\"one-more\""));
    /* every line after the header is framed the same way */
    size_t lines = 0;
    for (char *l = strchr(log2, '\n') + 1; l < log2 + len2; l = strchr(l, '\n') + 1) {
        size_t ll = (size_t)(strchr(l, '\n') - l);
        assert_true(sscanf(l, "%8x", &crc) == 1 && crc == crc32_ieee(l + 9, ll - 9));
        lines++;
    }
    assert_true(lines >= 15);
    free(log1);
    free(log2);
    session_close(&x);
}

static void test_compaction(void **state)
{
    struct ctx *c = *state;
    struct session x = open_ok(c, NULL);
    make_history(x.s, NULL);
    char err[256];
    assert_true(persist_compact(x.p, err, sizeof err));
    size_t log_len;
    char *log = file_read(c->log, &log_len);
    assert_non_null(log);
    assert_ptr_equal(strchr(log, '\n'), log + log_len - 1); /* the header alone */
    free(log);
    reopen_same(c, &x);
    /* changes after the snapshot go to the new log */
    struct prepare pr = {.merchant_uid = "after-snap", .amount = 2};
    assert_int_equal(store_prepare_put(x.s, 0, &pr, false), MOCK_OK);
    reopen_same(c, &x);
    session_close(&x);
}

static void test_a_torn_last_line_is_skipped(void **state)
{
    struct ctx *c = *state;
    struct session x = open_ok(c, NULL);
    make_history(x.s, NULL);
    char *before = everything(x.s);
    session_close(&x);
    /* the process died while writing its last record */
    size_t len;
    char *log = file_read(c->log, &len);
    assert_non_null(log);
    size_t cap = len + 128;
    char *torn = malloc(cap);
    assert_non_null(torn);
    snprintf(torn, cap, "%s0badc0de {\"ev\":\"prepare\",\"tid\":0,\"prepare\":{\"merchant_", log);
    file_write(c->log, torn);
    free(log);
    free(torn);

    x = open_ok(c, NULL);
    char *after = everything(x.s);
    assert_string_equal(after, before);
    free(before);
    free(after);
    /* and it does not stay in front of new records */
    log = file_read(c->log, &len);
    assert_non_null(log);
    assert_null(strstr(log, "0badc0de"));
    free(log);
    struct prepare pr = {.merchant_uid = "after-tear", .amount = 3};
    assert_int_equal(store_prepare_put(x.s, 0, &pr, false), MOCK_OK);
    reopen_same(c, &x);
    session_close(&x);
}

/* Writes text to the log, expects the open to be refused naming `want`, and
 * both files to be left exactly as they were. */
static void refused_untouched(const struct ctx *c, const char *log_text, const char *want)
{
    file_write(c->log, log_text);
    size_t snap_len;
    char *snap = file_read(c->snap, &snap_len);
    assert_non_null(snap);
    open_refused(c, want);
    file_assert_bytes(c->log, log_text, strlen(log_text));
    file_assert_bytes(c->snap, snap, snap_len);
    free(snap);
}

static void test_damage_is_refused_untouched(void **state)
{
    struct ctx *c = *state;
    struct session x = open_ok(c, NULL);
    make_history(x.s, NULL);
    session_close(&x);
    size_t len;
    char *original = file_read(c->log, &len);
    assert_non_null(original);
    char *second = strchr(strchr(original, '\n') + 1, '\n') + 1; /* the second record */
    size_t head = (size_t)(second - original);
    char *text = malloc(len + 256);
    assert_non_null(text);

    /* one changed byte in a record that is not the last */
    memcpy(text, original, len + 1);
    text[head + 20] ^= 1;
    refused_untouched(c, text, "damaged");
    open_refused(c, "state.log line ");

    /* a well-framed record no store can take (1e400 reads as infinity) */
    static const char bad[] = "{\"ev\":\"clock\",\"tid\":-1,\"frozen\":true,\"value\":1e400}";
    int n = snprintf(text, len + 256, "%.*s%08x %s\n%s", (int)head, original,
                     (unsigned)crc32_ieee(bad, strlen(bad)), bad, second);
    assert_true(n > 0);
    refused_untouched(c, text, "clock record");
    static const char unknown[] = "{\"ev\":\"refund\",\"tid\":0}";
    snprintf(text, len + 256, "%.*s%08x %s\n%s", (int)head, original,
             (unsigned)crc32_ieee(unknown, strlen(unknown)), unknown, second);
    refused_untouched(c, text, "unknown record");

    /* written by another format */
    memcpy(text, original, len + 1);
    char *fmt = strstr(text, "\"impmock_state\":1");
    assert_non_null(fmt);
    fmt[16] = '9';
    refused_untouched(c, text, "format 9");
    /* not a state file at all */
    refused_untouched(c, "hello\n", "not an impmock state file");

    /* the good log again, and a snapshot cut before its end record */
    file_write(c->log, original);
    size_t snap_len;
    char *snap = file_read(c->snap, &snap_len);
    assert_non_null(snap);
    char *end = strstr(snap, "{\"end\":true}");
    assert_non_null(end);
    char *cut_at = end - 9; /* the start of that line */
    *cut_at = '\0';
    file_write(c->snap, snap);
    open_refused(c, "incomplete snapshot");
    file_assert_bytes(c->snap, snap, strlen(snap));
    free(snap);
    free(text);
    free(original);
}

static void test_unusable_directories(void **state)
{
    struct ctx *c = *state;
    /* a file where the directory should be */
    file_write(c->dir, "x\n");
    open_refused(c, "not a directory");
    file_assert_bytes(c->dir, "x\n", 2);
    assert_int_equal(remove(c->dir), 0);

    /* one user at a time */
    struct session x = open_ok(c, NULL);
    open_refused(c, "another impmock");
    session_close(&x);
    x = open_ok(c, NULL); /* free again once closed */
    session_close(&x);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_changes_survive_a_reopen),       T(test_reused_slots_survive_a_reopen),
        T(test_each_change_is_one_framed_line), T(test_compaction),
        T(test_a_torn_last_line_is_skipped),    T(test_damage_is_refused_untouched),
        T(test_unusable_directories),
    };
#undef T
    return cmocka_run_group_tests(tests, unit_group_setup, unit_group_teardown);
}
