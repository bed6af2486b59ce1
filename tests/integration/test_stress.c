/*
 * test_stress.c - many clients at once on shared billing keys and shared
 * merchant_uids: getToken, key issuance, again, onetime, partial and full
 * cancels, lookups and pre-registrations in a random mix, each client a
 * thread with its own keep-alive curl handle, while the schedule executor
 * charges due items, webhooks are queued and retried, and scenarios are
 * loaded and removed through the control API. Bounded by time and count
 * (IMPMOCK_STRESS_SECONDS, default 2; IMPMOCK_STRESS_OPS per client, 3000).
 *
 * Then the books are checked through the API alone:
 *   - every answer was a well-formed envelope, never a 5xx;
 *   - one merchant_uid has at most one paid payment, and exactly one when a
 *     charge of it was answered "paid"; no payment is both paid and refused;
 *   - every charge answered with code 0 left exactly one payment, and every
 *     refused one none;
 *   - cancel_amount never exceeds amount and equals the sum of the cancel
 *     history, which holds exactly the cancels that were answered with code 0;
 *   - every payment answered as paid can be looked up.
 * tests/run-all.sh also runs this in a ThreadSanitizer build (build-tsan),
 * where a data race in the server stops it (halt_on_error) and fails here.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLIENTS   12
#define ORDERS    400
#define HOT       8 /* orders in play at any moment: the window moves as requests are made */
#define CUSTOMERS 5
#define CARD_OK   "4242-4242-4242-4242"
#define CARD_DECL "4000-0000-0000-0002" /* the key issues, every charge is declined */

static struct mock M;
static double seconds = 2;
static long max_ops = 3000;
static atomic_long progress;          /* requests made by all clients so far */
static atomic_bool scheduled[ORDERS]; /* a schedule of this order was accepted */

static int64_t order_amount(int i)
{
    return 10000 + 100 * i;
}

/* ---- what the clients saw ---- */

enum op {
    OP_TOKEN,
    OP_ISSUE,
    OP_AGAIN,
    OP_ONETIME,
    OP_CANCEL_PART,
    OP_CANCEL_FULL,
    OP_LOOKUP,
    OP_PREPARE,
    OP_SCHEDULE,
    OP_ADMIN,
    OP__COUNT
};
static const char *const op_names[OP__COUNT] = {"token",    "issue",       "again",  "onetime",
                                                "cancel",   "cancel-full", "lookup", "prepare",
                                                "schedule", "admin"};
/* weights of the mix, out of 100 */
static const int op_weight[OP__COUNT] = {4, 5, 26, 11, 14, 5, 19, 8, 4, 4};

struct charge { /* a charge answered with code 0 */
    char imp_uid[40];
    int order;
    bool paid; /* status "paid" in the answer, else "failed" */
};

struct cancel { /* a cancel answered with code 0 */
    char imp_uid[40];
    char cancellation_id[40];
    int64_t amount;
};

struct client {
    pthread_t thread;
    unsigned seed;
    CURL *curl;
    long ops[OP__COUNT];
    long refused[OP__COUNT]; /* code != 0 */
    long bad;                /* 5xx, malformed answers, transport errors */
    char first_bad[512];
    struct charge *charges;
    size_t n_charges, cap_charges;
    struct cancel *cancels;
    size_t n_cancels, cap_cancels;
    char token[64];
};

static struct client clients[CLIENTS];

static void note_bad(struct client *c, const char *fmt, ...)
{
    c->bad++;
    if (c->first_bad[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->first_bad, sizeof c->first_bad, fmt, ap);
    va_end(ap);
}

/* One request on the client's own handle; returns the parsed envelope (owned)
 * or NULL after noting what was wrong. */
static cJSON *call(struct client *c, const char *method, const char *path, const char *json,
                   long *ret_status)
{
    char url[512], auth[128];
    snprintf(url, sizeof url, "%s%s", M.base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", M.token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    struct http_buf b = {0};
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, http_buf_write);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, json ? (long)strlen(json) : 0L);
    if (!json)
        curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
    if (!json)
        curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
    CURLcode rc = curl_easy_perform(c->curl);
    curl_slist_free_all(h);
    long status = 0;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    *ret_status = status;
    cJSON *j = rc == CURLE_OK && b.data ? cJSON_Parse(b.data) : NULL;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
    if (rc != CURLE_OK)
        note_bad(c, "%s %s: %s", method, path, curl_easy_strerror(rc));
    else if (status >= 500 || (!cJSON_IsNumber(code) && strncmp(path, "/__mock/", 8) != 0))
        note_bad(c, "%s %s: %ld %.200s", method, path, status, b.data ? b.data : "");
    else if (strncmp(path, "/__mock/", 8) == 0 && (status != 200 && status != 404))
        note_bad(c, "%s %s: %ld %.200s", method, path, status, b.data ? b.data : "");
    free(b.data);
    if (j && !cJSON_IsNumber(code)) {
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

static int code_of(const cJSON *j)
{
    return cJSON_GetObjectItemCaseSensitive(j, "code")->valueint;
}

static const cJSON *response_of(const cJSON *j)
{
    return cJSON_GetObjectItemCaseSensitive(j, "response");
}

static void add_charge(struct client *c, const cJSON *p, int order)
{
    const char *uid = json_str(p, "imp_uid");
    const char *status = json_str(p, "status");
    if (!uid || !status) {
        note_bad(c, "charge answer without imp_uid/status");
        return;
    }
    if (c->n_charges == c->cap_charges) {
        c->cap_charges = c->cap_charges ? c->cap_charges * 2 : 64;
        c->charges = realloc(c->charges, c->cap_charges * sizeof *c->charges);
        if (!c->charges)
            abort();
    }
    struct charge *ch = &c->charges[c->n_charges++];
    snprintf(ch->imp_uid, sizeof ch->imp_uid, "%s", uid);
    ch->order = order;
    ch->paid = strcmp(status, "paid") == 0;
    if (!ch->paid && strcmp(status, "failed") != 0)
        note_bad(c, "charge answered with status %s", status);
}

static void add_cancel(struct client *c, const cJSON *p)
{
    /* this cancel is the newest entry of the history it answered with */
    const cJSON *hist = cJSON_GetObjectItemCaseSensitive(p, "cancel_history");
    int n = cJSON_GetArraySize(hist);
    const cJSON *last = n > 0 ? cJSON_GetArrayItem(hist, n - 1) : NULL;
    const char *uid = json_str(p, "imp_uid");
    const char *cid = json_str(last, "cancellation_id");
    if (!uid || !cid) {
        note_bad(c, "cancel answer without its history entry");
        return;
    }
    if (c->n_cancels == c->cap_cancels) {
        c->cap_cancels = c->cap_cancels ? c->cap_cancels * 2 : 64;
        c->cancels = realloc(c->cancels, c->cap_cancels * sizeof *c->cancels);
        if (!c->cancels)
            abort();
    }
    struct cancel *k = &c->cancels[c->n_cancels++];
    snprintf(k->imp_uid, sizeof k->imp_uid, "%s", uid);
    snprintf(k->cancellation_id, sizeof k->cancellation_id, "%s", cid);
    k->amount = (int64_t)json_num(last, "amount");
}

static enum op pick(struct client *c)
{
    int r = rand_r(&c->seed) % 100;
    for (int i = 0; i < OP__COUNT; i++) {
        if (r < op_weight[i])
            return (enum op)i;
        r -= op_weight[i];
    }
    return OP_LOOKUP;
}

static void one_op(struct client *c, enum op op)
{
    char path[256], body[512];
    /* all clients work on the same few orders, so charges, cancels and
     * lookups of one order really meet; every 40 requests a fresh order comes in */
    long window = (atomic_fetch_add(&progress, 1) / 40) % (ORDERS - HOT);
    int order = (int)window + rand_r(&c->seed) % HOT;
    int cust = rand_r(&c->seed) % CUSTOMERS;
    long status;
    cJSON *j = NULL;
    c->ops[op]++;
    switch (op) {
    case OP_TOKEN: {
        snprintf(body, sizeof body, "{\"imp_key\":\"%s\",\"imp_secret\":\"%s\"}", TEST_IMP_KEY,
                 TEST_IMP_SECRET);
        j = call(c, "POST", "/users/getToken", body, &status);
        const char *t = json_str(response_of(j), "access_token");
        if (j && (!t || strcmp(t, M.token) != 0))
            note_bad(c, "getToken gave another token: %s", t ? t : "(none)");
        break;
    }
    case OP_ISSUE:
        snprintf(path, sizeof path, "/subscribe/customers/stress_cust_%d", cust);
        snprintf(body, sizeof body, "{\"card_number\":\"%s\",\"expiry\":\"2030-12\"}",
                 rand_r(&c->seed) % 5 ? CARD_OK : CARD_DECL);
        j = call(c, "POST", path, body, &status);
        break;
    case OP_AGAIN:
        /* some with a notice_url nobody listens on: webhooks queue and retry meanwhile */
        snprintf(body, sizeof body,
                 "{\"customer_uid\":\"stress_cust_%d\",\"merchant_uid\":\"stress_order_%d\","
                 "\"amount\":%lld,\"name\":\"stress\"%s}",
                 cust, order, (long long)order_amount(order),
                 rand_r(&c->seed) % 5 ? "" : ",\"notice_url\":\"http://127.0.0.1:9/stress\"");
        j = call(c, "POST", "/subscribe/payments/again", body, &status);
        if (j && code_of(j) == 0)
            add_charge(c, response_of(j), order);
        break;
    case OP_ONETIME:
        snprintf(
            body, sizeof body,
            "{\"card_number\":\"%s\",\"expiry\":\"2030-12\",\"merchant_uid\":\"stress_order_%d\","
            "\"amount\":%lld}",
            rand_r(&c->seed) % 5 ? CARD_OK : CARD_DECL, order, (long long)order_amount(order));
        j = call(c, "POST", "/subscribe/payments/onetime", body, &status);
        if (j && code_of(j) == 0)
            add_charge(c, response_of(j), order);
        break;
    case OP_CANCEL_PART:
    case OP_CANCEL_FULL:
        if (op == OP_CANCEL_PART)
            snprintf(body, sizeof body,
                     "{\"merchant_uid\":\"stress_order_%d\",\"amount\":%d,\"reason\":\"stress\"}",
                     order, 500 + 500 * (rand_r(&c->seed) % 4));
        else
            snprintf(body, sizeof body, "{\"merchant_uid\":\"stress_order_%d\"}", order);
        j = call(c, "POST", "/payments/cancel", body, &status);
        if (j && code_of(j) == 0)
            add_cancel(c, response_of(j));
        break;
    case OP_LOOKUP:
        switch (rand_r(&c->seed) % 4) {
        case 0:
            if (c->n_charges) {
                snprintf(path, sizeof path, "/payments/%s",
                         c->charges[(size_t)rand_r(&c->seed) % c->n_charges].imp_uid);
                break;
            }
            /* fall through */
        case 1:
            snprintf(path, sizeof path, "/payments/find/stress_order_%d", order);
            break;
        case 2:
            snprintf(path, sizeof path, "/payments/findAll/stress_order_%d?limit=1000", order);
            break;
        default:
            snprintf(path, sizeof path, "/subscribe/customers/stress_cust_%d", cust);
            break;
        }
        j = call(c, "GET", path, NULL, &status);
        break;
    case OP_PREPARE:
        snprintf(body, sizeof body, "{\"merchant_uid\":\"stress_order_%d\",\"amount\":%lld}", order,
                 (long long)order_amount(order));
        j = call(c, rand_r(&c->seed) % 3 ? "POST" : "PUT", "/payments/prepare", body, &status);
        break;
    case OP_SCHEDULE: {
        /* due at once: the executor charges it on its next tick, alongside the clients */
        snprintf(body, sizeof body,
                 "{\"customer_uid\":\"stress_cust_%d\",\"schedules\":[{\"merchant_uid\":"
                 "\"stress_order_%d\",\"schedule_at\":%lld,\"amount\":%lld}]}",
                 cust, order, (long long)time(NULL) + 1, (long long)order_amount(order));
        j = call(c, "POST", "/subscribe/payments/schedule", body, &status);
        if (j && code_of(j) == 0)
            atomic_store(&scheduled[order], true);
        break;
    }
    case OP_ADMIN:
        switch (rand_r(&c->seed) % 5) {
        case 0:
            j = call(c, "GET", "/__mock/requests?limit=3", NULL, &status);
            break;
        case 1:
            j = call(c, "GET", "/__mock/scenarios", NULL, &status);
            break;
        case 2:
            /* a slow PG for one key's charges, so orders stay reserved a little longer */
            snprintf(body, sizeof body,
                     "{\"name\":\"stress-%d\",\"description\":\"slow PG under load\","
                     "\"rules\":[{\"when\":{\"op\":\"charge\",\"customer_uid\":\"stress_cust_%d\"},"
                     "\"then\":{\"pg_delay_ms\":2}}]}",
                     cust, cust);
            j = call(c, "POST", "/__mock/scenarios", body, &status);
            break;
        case 3:
            snprintf(path, sizeof path, "/__mock/scenarios?name=stress-%d", cust);
            j = call(c, "DELETE", path, NULL, &status);
            break;
        default:
            j = call(c, "GET", "/__mock/webhooks?limit=3", NULL, &status);
            break;
        }
        /* the control API answers plain JSON, not the envelope: judged by status alone */
        cJSON_Delete(j);
        j = NULL;
        break;
    case OP__COUNT:
        break;
    }
    if (j && code_of(j) != 0)
        c->refused[op]++;
    cJSON_Delete(j);
}

static void *client_run(void *arg)
{
    struct client *c = arg;
    double end = now_ms() + seconds * 1000.0;
    for (long i = 0; i < max_ops && now_ms() < end; i++)
        one_op(c, pick(c));
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    const char *s = getenv("IMPMOCK_STRESS_SECONDS");
    if (s && atof(s) > 0)
        seconds = atof(s);
    s = getenv("IMPMOCK_STRESS_OPS");
    if (s && atol(s) > 0)
        max_ops = atol(s);
    curl_global_init(CURL_GLOBAL_ALL); /* before any thread */
    const char *args[] = {"--threads", "64", NULL};
    mock_start(&M, args);
    mock_login(&M);
    /* every key exists before the clients start; they re-issue them as they go */
    for (int i = 0; i < CUSTOMERS; i++) {
        char path[128];
        struct http_res r;
        snprintf(path, sizeof path, "/subscribe/customers/stress_cust_%d", i);
        http_post_json(&M, path, "{\"card_number\":\"" CARD_OK "\",\"expiry\":\"2030-12\"}", &r);
        if (r.status != 200 || env_code(&r) != 0) {
            fprintf(stderr, "key issuance failed: %ld %s\n", r.status, r.body);
            http_res_free(&r);
            return -1;
        }
        http_res_free(&r);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < CLIENTS; i++) {
        free(clients[i].charges);
        free(clients[i].cancels);
    }
    int rc = mock_stop(&M); /* non-zero after a sanitizer report in the server */
    if (rc != 0) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "tail -n 60 '%s/log' >&2", M.dir);
        if (system(cmd) != 0)
            fprintf(stderr, "(no server log)\n");
    }
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

static void test_concurrent_clients(void **state)
{
    (void)state;
    for (int i = 0; i < CLIENTS; i++) {
        clients[i].seed = 0x5eed0000u + (unsigned)i;
        clients[i].curl = curl_easy_init();
        assert_non_null(clients[i].curl);
    }
    double t0 = now_ms();
    for (int i = 0; i < CLIENTS; i++)
        assert_int_equal(pthread_create(&clients[i].thread, NULL, client_run, &clients[i]), 0);
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(clients[i].thread, NULL);
    double took = (now_ms() - t0) / 1000.0; /* seconds */
    long total = 0, bad = 0;
    long ops[OP__COUNT] = {0}, refused[OP__COUNT] = {0};
    for (int i = 0; i < CLIENTS; i++) {
        curl_easy_cleanup(clients[i].curl);
        for (int k = 0; k < OP__COUNT; k++) {
            ops[k] += clients[i].ops[k];
            refused[k] += clients[i].refused[k];
            total += clients[i].ops[k];
        }
        bad += clients[i].bad;
        if (clients[i].bad)
            fprintf(stderr, "client %d: %ld bad answers, first: %s\n", i, clients[i].bad,
                    clients[i].first_bad);
    }
    fprintf(stderr, "stress: %ld requests from %d clients in %.1f s:", total, CLIENTS, took);
    for (int k = 0; k < OP__COUNT; k++)
        fprintf(stderr, " %s %ld (%ld refused)", op_names[k], ops[k], refused[k]);
    fprintf(stderr, "\n");
    assert_int_equal(bad, 0);
    assert_true(total >= CLIENTS * 10); /* the run really happened */
    assert_true(ops[OP_AGAIN] - refused[OP_AGAIN] > 0);
    /* run every schedule still waiting (a clock change runs all due items before it answers) */
    struct http_res r;
    http_post_json(&M, "/__mock/clock", "{\"advance\":5}", &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
}

/* ---- the books ---- */

static cJSON *get_json(const char *path, long *ret_status)
{
    struct http_res r;
    http_get(&M, path, &r);
    *ret_status = r.status;
    cJSON *j = r.json;
    r.json = NULL;
    http_res_free(&r);
    return j;
}

static bool cancel_recorded(const char *imp_uid, const char *cid, int64_t amount)
{
    for (int i = 0; i < CLIENTS; i++)
        for (size_t k = 0; k < clients[i].n_cancels; k++) {
            const struct cancel *c = &clients[i].cancels[k];
            if (strcmp(c->imp_uid, imp_uid) == 0 && strcmp(c->cancellation_id, cid) == 0)
                return c->amount == amount;
        }
    return false;
}

static void test_invariants(void **state)
{
    (void)state;
    int failures = 0;
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "invariant: " __VA_ARGS__);                                            \
            fprintf(stderr, "\n");                                                                 \
        }                                                                                          \
    } while (0)
    size_t history_entries = 0, recorded_cancels = 0;
    for (int i = 0; i < CLIENTS; i++)
        recorded_cancels += clients[i].n_cancels;
    for (int order = 0; order < ORDERS; order++) {
        long created = 0, paid_answers = 0;
        for (int i = 0; i < CLIENTS; i++)
            for (size_t k = 0; k < clients[i].n_charges; k++)
                if (clients[i].charges[k].order == order) {
                    created++;
                    paid_answers += clients[i].charges[k].paid;
                }
        char path[128];
        long status;
        snprintf(path, sizeof path, "/payments/findAll/stress_order_%d?limit=1000", order);
        cJSON *j = get_json(path, &status);
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(response_of(j), "list");
        int n = cJSON_GetArraySize(list);
        CHECK(status == 200 || (status == 404 && created == 0), "%s answered %ld", path, status);
        /* the executor's charges are answered to nobody: only more, never fewer */
        bool sched = atomic_load(&scheduled[order]);
        CHECK(sched ? n >= created : n == created,
              "stress_order_%d: %d payments stored, %ld charges answered code 0%s", order, n,
              created, sched ? " (and scheduled)" : "");
        CHECK(paid_answers <= 1, "stress_order_%d: %ld charges answered paid", order, paid_answers);
        int paid = 0;
        const cJSON *p;
        cJSON_ArrayForEach(p, list)
        {
            const char *st = json_str(p, "status");
            const char *uid = json_str(p, "imp_uid");
            int64_t amount = (int64_t)json_num(p, "amount");
            int64_t cancelled = (int64_t)json_num(p, "cancel_amount");
            if (!st || !uid) {
                CHECK(false, "payment without status or imp_uid");
                continue;
            }
            bool was_paid = strcmp(st, "paid") == 0 || strcmp(st, "cancelled") == 0;
            paid += was_paid;
            CHECK(cancelled >= 0 && cancelled <= amount, "%s: cancel_amount %lld of %lld", uid,
                  (long long)cancelled, (long long)amount);
            CHECK(!was_paid || (json_num(p, "failed_at") == 0 &&
                                cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(p, "fail_reason"))),
                  "%s is %s and also refused", uid, st);
            CHECK(strcmp(st, "failed") != 0 || (json_num(p, "paid_at") == 0 && cancelled == 0),
                  "%s failed but has paid_at or cancels", uid);
            CHECK((strcmp(st, "cancelled") == 0) == (was_paid && cancelled == amount),
                  "%s: status %s with %lld of %lld cancelled", uid, st, (long long)cancelled,
                  (long long)amount);
            int64_t sum = 0;
            const cJSON *h;
            cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(p, "cancel_history"))
            {
                int64_t a = (int64_t)json_num(h, "amount");
                const char *cid = json_str(h, "cancellation_id");
                sum += a;
                history_entries++;
                CHECK(cid && cancel_recorded(uid, cid, a),
                      "%s: cancel %s of %lld in the history was never answered code 0", uid,
                      cid ? cid : "?", (long long)a);
            }
            CHECK(sum == cancelled, "%s: history sums to %lld, cancel_amount %lld", uid,
                  (long long)sum, (long long)cancelled);
        }
        CHECK(paid_answers ? paid == 1
              : sched      ? paid <= 1
                           : paid == 0,
              "stress_order_%d: %d paid payments, %ld answered paid", order, paid, paid_answers);
        cJSON_Delete(j);
    }
    /* every cancel answered code 0 is in a history (none lost, none phantom) */
    CHECK(history_entries == recorded_cancels, "%zu history entries, %zu cancels answered code 0",
          history_entries, recorded_cancels);
    /* every payment answered "paid" can be looked up by its imp_uid */
    for (int i = 0; i < CLIENTS; i++)
        for (size_t k = 0; k < clients[i].n_charges; k++) {
            const struct charge *ch = &clients[i].charges[k];
            char path[128], muid[64];
            long status;
            snprintf(path, sizeof path, "/payments/%s", ch->imp_uid);
            cJSON *j = get_json(path, &status);
            snprintf(muid, sizeof muid, "stress_order_%d", ch->order);
            const char *got = json_str(response_of(j), "merchant_uid");
            const char *st = json_str(response_of(j), "status");
            CHECK(status == 200 && got && strcmp(got, muid) == 0, "%s: %ld %s", path, status,
                  got ? got : "(none)");
            CHECK(!st || (ch->paid ? strcmp(st, "paid") == 0 || strcmp(st, "cancelled") == 0
                                   : strcmp(st, "failed") == 0),
                  "%s answered %s, now %s", ch->imp_uid, ch->paid ? "paid" : "failed",
                  st ? st : "?");
            cJSON_Delete(j);
        }
#undef CHECK
    if (failures)
        fail_msg("%d invariants broken (details on stderr)", failures);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_clients),
        cmocka_unit_test(test_invariants),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
