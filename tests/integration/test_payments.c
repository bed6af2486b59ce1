/*
 * test_payments.c - payment lookups and pre-registration against the real
 * binary (reference §3.1-3.6, §3.8, §4, §4.4, §13). Payments are seeded
 * through a --fixtures file written here; the clock is frozen at T0 so the
 * 90-day status window and the seeded times are exact.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0      1700000000LL
#define DAY     86400LL
#define NOTHING "존재하지 않는 결제정보입니다."

/* Merchant A's payments (times relative to T0):
 *   001 order-1    paid       started -1000 paid -940   every optional field set
 *   002 order-1    failed     started -2000 failed -1970
 *   003 order-2    ready      started -500
 *   004 order-3    cancelled  payco 11000 (1000 tax-free), started -3000 paid -2990 cancelled -100
 *   005 order-4    paid       payco 11000 (1000 tax-free), started -800 paid -790
 *   010..013 order-many failed  started -700,-690,-680,-670
 *   014 order-many paid       started -660 paid -650
 *   009 order-old  paid       100 days ago (outside the default 90-day window)
 * Merchant B has no payments. */
static const char fixtures_json[] =
    "{\"merchants\":[{\"merchant_code\":\"imp-a\",\"imp_key\":\"key-a\",\"imp_secret\":\"secret-"
    "a\","
    "\"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"}],"
    "\"payments\":["
    "{\"imp_uid\":\"imp_100000000001\",\"merchant_uid\":\"order-1\",\"status\":\"paid\","
    "\"amount\":1000,\"started_at\":1699999000,\"paid_at\":1699999060,\"pay_method\":\"card\","
    "\"channel\":\"mobile\",\"pg_tid\":\"T0123456789abcdef012\",\"name\":\"테스트 주문\","
    "\"buyer_name\":\"홍길동\",\"buyer_email\":\"buyer@example.com\",\"buyer_tel\":\"010-1234-"
    "5678\","
    "\"buyer_addr\":\"서울특별시\",\"buyer_postcode\":\"04524\",\"custom_data\":\"{\\\"k\\\":1}\","
    "\"user_agent\":\"Mozilla/5.0\",\"apply_num\":\"30012345\",\"card_code\":\"366\","
    "\"card_name\":\"신한카드\",\"card_number\":\"424242******4242\","
    "\"receipt_url\":\"https://example.com/receipt/1\"},"
    "{\"imp_uid\":\"imp_100000000002\",\"merchant_uid\":\"order-1\",\"status\":\"failed\","
    "\"amount\":1000,\"started_at\":1699998000,\"failed_at\":1699998030,"
    "\"fail_reason\":\"[F302]잔액부족\"},"
    "{\"imp_uid\":\"imp_100000000003\",\"merchant_uid\":\"order-2\",\"status\":\"ready\","
    "\"amount\":500,\"started_at\":1699999500},"
    "{\"imp_uid\":\"imp_100000000004\",\"merchant_uid\":\"order-3\",\"status\":\"cancelled\","
    "\"amount\":11000,\"tax_free\":1000,\"pg_provider\":\"payco\",\"pg_id\":\"PAYCO01\","
    "\"started_at\":1699997000,\"paid_at\":1699997010,\"cancelled_at\":1699999900,"
    "\"cancel_reason\":\"고객 요청\"},"
    "{\"imp_uid\":\"imp_100000000005\",\"merchant_uid\":\"order-4\",\"status\":\"paid\","
    "\"amount\":11000,\"tax_free\":1000,\"pg_provider\":\"payco\",\"pg_id\":\"PAYCO01\","
    "\"started_at\":1699999200,\"paid_at\":1699999210},"
    "{\"imp_uid\":\"imp_100000000010\",\"merchant_uid\":\"order-many\",\"status\":\"failed\","
    "\"amount\":300,\"started_at\":1699999300,\"failed_at\":1699999301},"
    "{\"imp_uid\":\"imp_100000000011\",\"merchant_uid\":\"order-many\",\"status\":\"failed\","
    "\"amount\":300,\"started_at\":1699999310,\"failed_at\":1699999311},"
    "{\"imp_uid\":\"imp_100000000012\",\"merchant_uid\":\"order-many\",\"status\":\"failed\","
    "\"amount\":300,\"started_at\":1699999320,\"failed_at\":1699999321},"
    "{\"imp_uid\":\"imp_100000000013\",\"merchant_uid\":\"order-many\",\"status\":\"failed\","
    "\"amount\":300,\"started_at\":1699999330,\"failed_at\":1699999331},"
    "{\"imp_uid\":\"imp_100000000014\",\"merchant_uid\":\"order-many\",\"status\":\"paid\","
    "\"amount\":300,\"started_at\":1699999340,\"paid_at\":1699999350},"
    "{\"imp_uid\":\"imp_100000000009\",\"merchant_uid\":\"order-old\",\"status\":\"paid\","
    "\"amount\":100,\"started_at\":1691359940,\"paid_at\":1691360000}"
    "]},"
    "{\"merchant_code\":\"imp-b\",\"imp_key\":\"key-b\",\"imp_secret\":\"secret-b\","
    "\"channels\":[{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}]}"
    "]}";

struct ctx {
    struct mock m;
    char token_b[64];
};

/* One server for the whole file: the lookups only read, and the prepare
 * tests each use their own merchant_uids. */
static int group_setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    const char *args[] = {"--clock", "1700000000", NULL};
    mock_start_fixtures(&c->m, fixtures_json, args);
    mock_login_as(&c->m, "key-a", "secret-a", c->m.token);
    mock_login_as(&c->m, "key-b", "secret-b", c->token_b);
    *state = c;
    return 0;
}

static int group_teardown(void **state)
{
    struct ctx *c = *state;
    int rc = mock_stop(&c->m);
    free(c);
    if (rc != 0)
        fprintf(stderr, "impmock exited with %d\n", rc);
    return rc == 0 ? 0 : -1;
}

/* ---- checks ---- */

static void ok(const struct http_res *r, long status)
{
    env_is(r, status, 0, NULL);
}

static void get(const struct ctx *c, const char *path, struct http_res *r)
{
    http_get(&c->m, path, r);
}

/* imp_uids of a JSON array of payments, joined with ','. */
static const char *uids(const cJSON *list)
{
    static char out[1024];
    size_t n = 0;
    const cJSON *p;
    out[0] = '\0';
    assert_true(cJSON_IsArray(list));
    cJSON_ArrayForEach(p, list)
    {
        const char *u = json_str(p, "imp_uid");
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? "," : "", u ? u : "?");
    }
    return out;
}

/* A paged answer (reference §4.4). */
static void page_is(const struct http_res *r, double total, double previous, double next,
                    const char *want_uids)
{
    ok(r, 200);
    const cJSON *o = env_response(r);
    assert_true(cJSON_IsObject(o));
    assert_int_equal(cJSON_GetArraySize(o), 4);
    assert_true(json_num(o, "total") == total);
    assert_true(json_num(o, "previous") == previous);
    assert_true(json_num(o, "next") == next);
    assert_string_equal(uids(cJSON_GetObjectItemCaseSensitive(o, "list")), want_uids);
}

enum jtype { J_STR, J_STR_NULL, J_INT, J_INT_NULL, J_NUM, J_BOOL, J_ARRAY, J_OBJ_NULL };

/* Every field of reference §4 with its JSON type. */
static const struct {
    const char *name;
    enum jtype type;
} payment_fields[] = {
    {"imp_uid", J_STR},
    {"merchant_uid", J_STR},
    {"pay_method", J_STR},
    {"channel", J_STR},
    {"pg_provider", J_STR},
    {"emb_pg_provider", J_STR_NULL},
    {"pg_tid", J_STR},
    {"pg_id", J_STR},
    {"sandbox", J_BOOL},
    {"escrow", J_BOOL},
    {"apply_num", J_STR_NULL},
    {"bank_code", J_STR_NULL},
    {"bank_name", J_STR_NULL},
    {"card_code", J_STR_NULL},
    {"card_name", J_STR_NULL},
    {"card_issuer_code", J_STR_NULL},
    {"card_issuer_name", J_STR_NULL},
    {"card_publisher_code", J_STR_NULL},
    {"card_publisher_name", J_STR_NULL},
    {"card_quota", J_INT},
    {"card_number", J_STR_NULL},
    {"card_type", J_INT_NULL},
    {"vbank_code", J_STR_NULL},
    {"vbank_name", J_STR_NULL},
    {"vbank_num", J_STR_NULL},
    {"vbank_holder", J_STR_NULL},
    {"vbank_date", J_INT},
    {"vbank_issued_at", J_INT},
    {"name", J_STR_NULL},
    {"amount", J_NUM},
    {"cancel_amount", J_NUM},
    {"currency", J_STR},
    {"buyer_name", J_STR_NULL},
    {"buyer_email", J_STR_NULL},
    {"buyer_tel", J_STR_NULL},
    {"buyer_addr", J_STR_NULL},
    {"buyer_postcode", J_STR_NULL},
    {"custom_data", J_STR_NULL},
    {"user_agent", J_STR_NULL},
    {"status", J_STR},
    {"started_at", J_INT},
    {"paid_at", J_INT},
    {"failed_at", J_INT},
    {"cancelled_at", J_INT},
    {"fail_reason", J_STR_NULL},
    {"cancel_reason", J_STR_NULL},
    {"receipt_url", J_STR_NULL},
    {"cancel_history", J_ARRAY},
    {"deposit_history", J_ARRAY},
    {"cancel_receipt_urls", J_ARRAY},
    {"cash_receipt_issued", J_BOOL},
    {"customer_uid", J_STR_NULL},
    {"customer_uid_usage", J_STR_NULL},
    {"promotion", J_OBJ_NULL},
};

static bool is_whole(const cJSON *it)
{
    return cJSON_IsNumber(it) && it->valuedouble == floor(it->valuedouble);
}

static void check_payment_shape(const cJSON *p)
{
    assert_true(cJSON_IsObject(p));
    for (size_t i = 0; i < sizeof payment_fields / sizeof payment_fields[0]; i++) {
        const char *name = payment_fields[i].name;
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(p, name);
        bool good;
        if (!it)
            fail_msg("payment field %s is missing", name);
        switch (payment_fields[i].type) {
        case J_STR:
            good = cJSON_IsString(it);
            break;
        case J_STR_NULL:
            good = cJSON_IsString(it) || cJSON_IsNull(it);
            break;
        case J_INT:
            good = is_whole(it);
            break;
        case J_INT_NULL:
            good = is_whole(it) || cJSON_IsNull(it);
            break;
        case J_NUM:
            good = cJSON_IsNumber(it);
            break;
        case J_BOOL:
            good = cJSON_IsBool(it);
            break;
        case J_ARRAY:
            good = cJSON_IsArray(it);
            break;
        default:
            good = cJSON_IsObject(it) || cJSON_IsNull(it);
            break;
        }
        if (!good) {
            char *text = cJSON_PrintUnformatted(it);
            fail_msg("payment field %s has the wrong JSON type: %s", name, text ? text : "?");
        }
    }
}

static void str_is(const cJSON *o, const char *name, const char *want)
{
    const char *got = json_str(o, name);
    if (!got)
        fail_msg("%s is not a string", name);
    assert_string_equal(got, want);
}

static void null_is(const cJSON *o, const char *name)
{
    if (!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, name)))
        fail_msg("%s is not null", name);
}

static void num_is(const cJSON *o, const char *name, double want)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(it) || it->valuedouble != want)
        fail_msg("%s: expected %.0f", name, want);
}

/* ---- GET /payments/{imp_uid} ---- */

static void test_get_payment_every_field(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    get(c, "/payments/imp_100000000001", &r);
    ok(&r, 200);
    const cJSON *p = env_response(&r);
    check_payment_shape(p);
    str_is(p, "imp_uid", "imp_100000000001");
    str_is(p, "merchant_uid", "order-1");
    str_is(p, "pay_method", "card");
    str_is(p, "channel", "mobile");
    str_is(p, "pg_provider", "kakaopay");
    str_is(p, "pg_id", "TC0ONETIME");
    str_is(p, "pg_tid", "T0123456789abcdef012");
    str_is(p, "status", "paid");
    str_is(p, "currency", "KRW");
    str_is(p, "name", "테스트 주문");
    str_is(p, "buyer_name", "홍길동");
    str_is(p, "buyer_email", "buyer@example.com");
    str_is(p, "buyer_tel", "010-1234-5678");
    str_is(p, "buyer_addr", "서울특별시");
    str_is(p, "buyer_postcode", "04524");
    str_is(p, "custom_data", "{\"k\":1}");
    str_is(p, "user_agent", "Mozilla/5.0");
    str_is(p, "apply_num", "30012345");
    str_is(p, "card_code", "366");
    str_is(p, "card_name", "신한카드");
    str_is(p, "card_number", "424242******4242");
    str_is(p, "receipt_url", "https://example.com/receipt/1");
    num_is(p, "amount", 1000);
    num_is(p, "cancel_amount", 0);
    num_is(p, "started_at", (double)(T0 - 1000));
    num_is(p, "paid_at", (double)(T0 - 940));
    num_is(p, "failed_at", 0);
    num_is(p, "cancelled_at", 0);
    num_is(p, "card_quota", 0);
    num_is(p, "vbank_date", 0);
    null_is(p, "fail_reason");
    null_is(p, "cancel_reason");
    null_is(p, "customer_uid");
    null_is(p, "promotion");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(p, "sandbox")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(p, "escrow")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "cancel_history")), 0);
    /* amounts are rendered as integers, never 1000.0 */
    assert_non_null(strstr(r.body, "\"amount\":1000,"));
    http_res_free(&r);

    /* the other statuses carry their own times and reasons */
    get(c, "/payments/imp_100000000002", &r);
    ok(&r, 200);
    p = env_response(&r);
    check_payment_shape(p);
    str_is(p, "status", "failed");
    str_is(p, "fail_reason", "[F302]잔액부족");
    num_is(p, "failed_at", (double)(T0 - 1970));
    num_is(p, "paid_at", 0);
    http_res_free(&r);
    get(c, "/payments/imp_100000000004", &r);
    ok(&r, 200);
    p = env_response(&r);
    check_payment_shape(p);
    str_is(p, "status", "cancelled");
    str_is(p, "cancel_reason", "고객 요청");
    num_is(p, "cancel_amount", 11000);
    num_is(p, "cancelled_at", (double)(T0 - 100));
    http_res_free(&r);
}

static void test_get_payment_unknown(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    get(c, "/payments/imp_999999999999", &r);
    env_is(&r, 404, -1, NOTHING);
    http_res_free(&r);
    /* another merchant's payment is as unknown as a missing one */
    http_do(&c->m, "GET", "/payments/imp_100000000001", NULL, NULL, c->token_b, &r);
    env_is(&r, 404, -1, NOTHING);
    http_res_free(&r);
}

/* ---- GET /payments ---- */

static void test_multiple_payments(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    get(c, "/payments?imp_uid[]=imp_100000000003&imp_uid[]=imp_100000000001", &r);
    ok(&r, 200);
    assert_string_equal(uids(env_response(&r)), "imp_100000000003,imp_100000000001");
    check_payment_shape(cJSON_GetArrayItem(env_response(&r), 0));
    http_res_free(&r);
    /* PHP's indexed form and merchant_uid[] (newest payment of the order) */
    get(c, "/payments?imp_uid[0]=imp_100000000002&merchant_uid[0]=order-many", &r);
    ok(&r, 200);
    assert_string_equal(uids(env_response(&r)), "imp_100000000002,imp_100000000014");
    http_res_free(&r);
    /* some unknown: 207 with the found ones only */
    get(c,
        "/payments?imp_uid[]=imp_100000000001&imp_uid[]=imp_999999999999"
        "&merchant_uid[]=nope&merchant_uid[]=order-2",
        &r);
    ok(&r, 207);
    assert_string_equal(uids(env_response(&r)), "imp_100000000001,imp_100000000003");
    http_res_free(&r);
    get(c, "/payments?imp_uid[]=imp_999999999999&merchant_uid[]=nope", &r);
    env_is(&r, 404, -1, NOTHING);
    http_res_free(&r);
    /* GET /payments lists no 400 (reference §16.0): bad requests are HTTP 200 */
    get(c, "/payments", &r);
    env_is(&r, 200, -1, "imp_uid[] 또는 merchant_uid[] 파라미터를 1개 이상 지정해주세요.");
    http_res_free(&r);
    /* at most 100 ids in all */
    char path[4096];
    size_t n = (size_t)snprintf(path, sizeof path, "/payments?");
    for (int i = 0; i < 101; i++)
        n += (size_t)snprintf(path + n, sizeof path - n, "%s%s[]=x%d", i ? "&" : "",
                              i < 60 ? "imp_uid" : "merchant_uid", i);
    get(c, path, &r);
    env_is(&r, 200, -1, "imp_uid[]와 merchant_uid[]는 합쳐서 최대 100개까지 지정할 수 있습니다.");
    http_res_free(&r);
}

/* ---- GET /payments/find ---- */

static void find_is(const struct ctx *c, const char *path, const char *want_uid)
{
    struct http_res r;
    get(c, path, &r);
    ok(&r, 200);
    check_payment_shape(env_response(&r));
    str_is(env_response(&r), "imp_uid", want_uid);
    http_res_free(&r);
}

static void test_find(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    find_is(c, "/payments/find/order-1", "imp_100000000001"); /* -started: newest */
    find_is(c, "/payments/find/order-1/failed", "imp_100000000002");
    find_is(c, "/payments/find/order-1/paid", "imp_100000000001");
    find_is(c, "/payments/find/order-1?sorting=started", "imp_100000000002");
    find_is(c, "/payments/find/order-many?sorting=-paid", "imp_100000000014");
    find_is(c, "/payments/find/order-many/failed", "imp_100000000013");
    find_is(c, "/payments/find/order-many/failed?sorting=started", "imp_100000000010");
    get(c, "/payments/find/order-1/cancelled", &r);
    env_is(&r, 404, -1, NOTHING);
    http_res_free(&r);
    get(c, "/payments/find/nope", &r);
    env_is(&r, 404, -1, NOTHING);
    http_res_free(&r);
    /* find lists no 400 (reference §16.0): bad requests are HTTP 200 */
    get(c, "/payments/find/order-1/bogus", &r);
    env_is(&r, 200, -1, "지원되지 않는 상태값입니다.");
    http_res_free(&r);
    get(c, "/payments/find/order-1?sorting=-amount", &r);
    env_is(&r, 200, -1, "지원되지 않는 정렬방식입니다: -amount");
    http_res_free(&r);
}

/* ---- GET /payments/findAll ---- */

static void test_find_all_paging(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    get(c, "/payments/findAll/order-many?limit=2", &r);
    page_is(&r, 5, 0, 2, "imp_100000000014,imp_100000000013");
    check_payment_shape(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(env_response(&r), "list"), 0));
    http_res_free(&r);
    get(c, "/payments/findAll/order-many?limit=2&page=2", &r);
    page_is(&r, 5, 1, 3, "imp_100000000012,imp_100000000011");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many?limit=2&page=3", &r);
    page_is(&r, 5, 2, 0, "imp_100000000010");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many?limit=2&page=4", &r);
    env_is(&r, 400, -1, "page 파라미터가 범위를 벗어났습니다 (전체 5건, 페이지당 2건).");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many", &r); /* defaults: page 1, limit 20 */
    page_is(&r, 5, 0, 0,
            "imp_100000000014,imp_100000000013,imp_100000000012,imp_100000000011,"
            "imp_100000000010");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many/failed?sorting=started&limit=3", &r);
    page_is(&r, 4, 0, 2, "imp_100000000010,imp_100000000011,imp_100000000012");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many/paid", &r);
    page_is(&r, 1, 0, 0, "imp_100000000014");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many/cancelled", &r);
    env_is(&r, 404, -1, NOTHING);
    http_res_free(&r);
    get(c, "/payments/findAll/nope", &r);
    env_is(&r, 404, -1, NOTHING);
    http_res_free(&r);
    get(c, "/payments/findAll/order-many/bogus", &r);
    env_is(&r, 400, -1, "지원되지 않는 상태값입니다.");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many?limit=1001", &r);
    env_is(&r, 400, -1, "limit 파라미터는 1 이상 1000 이하여야 합니다.");
    http_res_free(&r);
    /* page 0 is the first page, as clients that count from 0 send it */
    get(c, "/payments/findAll/order-many?limit=2&page=0", &r);
    page_is(&r, 5, 0, 2, "imp_100000000014,imp_100000000013");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many?page=-1", &r);
    env_is(&r, 400, -1, "page 파라미터는 0 이상 1000000000 이하여야 합니다.");
    http_res_free(&r);
    get(c, "/payments/findAll/order-many?page=two", &r);
    env_is(&r, 400, -1, "page 파라미터는 정수여야 합니다.");
    http_res_free(&r);
}

/* ---- GET /payments/status ---- */

static double total_of(const struct ctx *c, const char *path)
{
    struct http_res r;
    get(c, path, &r);
    ok(&r, 200);
    double t = json_num(env_response(&r), "total");
    http_res_free(&r);
    return t;
}

static void test_status_lists(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    /* default window: the last 90 days before now (order-old is older) */
    get(c, "/payments/status/all", &r);
    page_is(&r, 10, 0, 0,
            "imp_100000000003,imp_100000000014,imp_100000000013,imp_100000000012,"
            "imp_100000000011,imp_100000000010,imp_100000000005,imp_100000000001,"
            "imp_100000000002,imp_100000000004");
    http_res_free(&r);
    double paid = total_of(c, "/payments/status/paid");
    double ready = total_of(c, "/payments/status/ready");
    double failed = total_of(c, "/payments/status/failed");
    double cancelled = total_of(c, "/payments/status/cancelled");
    assert_true(paid == 3 && ready == 1 && failed == 5 && cancelled == 1);
    assert_true(paid + ready + failed + cancelled == 10); /* all = sum of the four */

    get(c, "/payments/status/paid?limit=2", &r);
    page_is(&r, 3, 0, 2, "imp_100000000014,imp_100000000005");
    http_res_free(&r);
    get(c, "/payments/status/paid?limit=2&page=2", &r);
    page_is(&r, 3, 1, 0, "imp_100000000001");
    http_res_free(&r);
    get(c, "/payments/status/paid?limit=2&page=3", &r);
    env_is(&r, 400, -1, "page 파라미터가 범위를 벗어났습니다 (전체 3건, 페이지당 2건).");
    http_res_free(&r);

    /* sorting keys */
    get(c, "/payments/status/all?sorting=-paid&limit=1", &r);
    page_is(&r, 10, 0, 2, "imp_100000000014");
    http_res_free(&r);
    get(c, "/payments/status/all?sorting=started&limit=1", &r);
    page_is(&r, 10, 0, 2, "imp_100000000004");
    http_res_free(&r);
    get(c, "/payments/status/all?sorting=-updated&limit=1", &r);
    page_is(&r, 10, 0, 2, "imp_100000000004"); /* cancelled at T0-100 */
    http_res_free(&r);
}

static void test_status_time_window(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    char path[256];
    /* the filter reads the time of the current status: paid_at for paid */
    snprintf(path, sizeof path, "/payments/status/paid?from=%lld&to=%lld", T0 - 1000, T0 - 900);
    get(c, path, &r);
    page_is(&r, 1, 0, 0, "imp_100000000001");
    http_res_free(&r);
    snprintf(path, sizeof path, "/payments/status/all?from=%lld&to=%lld", T0 - 1000, T0 - 940);
    get(c, path, &r); /* inclusive at both ends */
    page_is(&r, 1, 0, 0, "imp_100000000001");
    http_res_free(&r);
    snprintf(path, sizeof path, "/payments/status/cancelled?from=%lld&to=%lld", T0 - 3000,
             T0 - 2000);
    get(c, path, &r); /* paid then, but cancelled later: not in this window */
    page_is(&r, 0, 0, 0, "");
    http_res_free(&r);
    /* older payments are reachable with an explicit window */
    snprintf(path, sizeof path, "/payments/status/paid?from=%lld&to=%lld", T0 - 100 * DAY - 10,
             T0 - 100 * DAY + 10);
    get(c, path, &r);
    page_is(&r, 1, 0, 0, "imp_100000000009");
    http_res_free(&r);
    snprintf(path, sizeof path, "/payments/status/all?to=%lld", T0 - 100 * DAY + 10);
    get(c, path, &r); /* from defaults to to - 90 days */
    page_is(&r, 1, 0, 0, "imp_100000000009");
    http_res_free(&r);

    snprintf(path, sizeof path, "/payments/status/all?from=%lld&to=%lld", T0, T0 - 1);
    get(c, path, &r);
    env_is(&r, 400, -1, "from 파라미터는 to보다 클 수 없습니다.");
    http_res_free(&r);
    snprintf(path, sizeof path, "/payments/status/all?from=%lld&to=%lld", T0 - 90 * DAY - 1, T0);
    get(c, path, &r);
    env_is(&r, 400, -1, "from과 to의 간격은 최대 90일까지 지정할 수 있습니다.");
    http_res_free(&r);
    snprintf(path, sizeof path, "/payments/status/all?from=%lld&to=%lld", T0 - 90 * DAY, T0);
    get(c, path, &r); /* exactly 90 days is allowed */
    ok(&r, 200);
    http_res_free(&r);
}

static void test_status_errors(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    get(c, "/payments/status/bogus", &r);
    env_is(&r, 400, -1, "지원되지 않는 상태값입니다.");
    http_res_free(&r);
    get(c, "/payments/status/all?page=99", &r);
    env_is(&r, 400, -1, "page 파라미터가 범위를 벗어났습니다 (전체 10건, 페이지당 20건).");
    http_res_free(&r);
    get(c, "/payments/status/all?sorting=bogus", &r);
    env_is(&r, 400, -1, "지원되지 않는 정렬방식입니다: bogus");
    http_res_free(&r);
    get(c, "/payments/status/all?limit=0", &r);
    env_is(&r, 400, -1, "limit 파라미터는 1 이상 1000 이하여야 합니다.");
    http_res_free(&r);
    get(c, "/payments/status/all?from=yesterday", &r);
    env_is(&r, 400, -1, "from 파라미터는 정수여야 합니다.");
    http_res_free(&r);
    /* a merchant without payments: an empty first page, and no second one */
    http_do(&c->m, "GET", "/payments/status/all", NULL, NULL, c->token_b, &r);
    page_is(&r, 0, 0, 0, "");
    http_res_free(&r);
    http_do(&c->m, "GET", "/payments/status/all?page=2", NULL, NULL, c->token_b, &r);
    env_is(&r, 400, -1, "page 파라미터가 범위를 벗어났습니다 (전체 0건, 페이지당 20건).");
    http_res_free(&r);
}

/* ---- GET /payments/{imp_uid}/balance ---- */

static void block_is(const cJSON *o, const char *name, double tax_free, double supply, double vat)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsObject(b))
        fail_msg("balance block %s missing", name);
    assert_int_equal(cJSON_GetArraySize(b), 4);
    num_is(b, "tax_free", tax_free);
    num_is(b, "supply", supply);
    num_is(b, "vat", vat);
    num_is(b, "service", 0);
}

static void test_balance(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    get(c, "/payments/imp_999999999999/balance", &r);
    env_is(&r, 404, -1, NOTHING);
    http_res_free(&r);
    /* a payment of another PG: 404 (the only listed status that fits) with code 1 (§23.3) */
    get(c, "/payments/imp_100000000001/balance", &r);
    env_is(&r, 404, 1, "PAYCO 결제건에 대해서만 조회가 가능합니다.");
    http_res_free(&r);
    /* 11000 with 1000 tax-free: 10000 taxable = 9091 supply + 909 VAT */
    get(c, "/payments/imp_100000000005/balance", &r);
    ok(&r, 200);
    const cJSON *o = env_response(&r);
    num_is(o, "amount", 11000); /* the first total, a number (the Swagger's 최초 총 결제금액) */
    block_is(o, "primary", 1000, 9091, 909);
    block_is(o, "cash_receipt", 0, 0, 0);
    block_is(o, "secondary", 0, 0, 0);
    block_is(o, "discount", 0, 0, 0);
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "histories");
    assert_true(cJSON_IsArray(h));
    assert_int_equal(cJSON_GetArraySize(h), 0);
    http_res_free(&r);
    /* fully cancelled: nothing is left, tax-free part included */
    get(c, "/payments/imp_100000000004/balance", &r);
    ok(&r, 200);
    num_is(env_response(&r), "amount", 11000);
    block_is(env_response(&r), "primary", 0, 0, 0);
    http_res_free(&r);
    http_do(&c->m, "POST", "/payments/imp_100000000005/balance", NULL, NULL, c->m.token, &r);
    env_is(&r, 405, -1, "허용되지 않는 HTTP 메소드입니다: POST");
    http_res_free(&r);
}

/* ---- /payments/prepare ---- */

static void prepare_is(const struct http_res *r, const char *muid, double amount,
                       const char *currency)
{
    ok(r, 200);
    const cJSON *o = env_response(r);
    assert_int_equal(cJSON_GetArraySize(o), 3);
    str_is(o, "merchant_uid", muid);
    num_is(o, "amount", amount);
    if (currency)
        str_is(o, "currency", currency);
    else
        null_is(o, "currency");
}

static void test_prepare(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    const char *none = "사전등록된 결제정보가 존재하지 않습니다.";
    get(c, "/payments/prepare/prep-1", &r);
    env_is(&r, 404, -1, none);
    http_res_free(&r);
    http_post_json(&c->m, "/payments/prepare", "{\"merchant_uid\":\"prep-1\",\"amount\":5000}", &r);
    prepare_is(&r, "prep-1", 5000, NULL);
    http_res_free(&r);
    get(c, "/payments/prepare/prep-1", &r);
    prepare_is(&r, "prep-1", 5000, NULL);
    http_res_free(&r);
    /* a second POST is refused (code 1) and changes nothing */
    http_post_json(&c->m, "/payments/prepare", "{\"merchant_uid\":\"prep-1\",\"amount\":9000}", &r);
    env_is(&r, 200, 1, "이미 사전등록된 merchant_uid입니다. 금액 변경은 PUT으로 요청해주세요.");
    http_res_free(&r);
    get(c, "/payments/prepare/prep-1", &r);
    prepare_is(&r, "prep-1", 5000, NULL);
    http_res_free(&r);
    /* PUT edits */
    http_do(&c->m, "PUT", "/payments/prepare", "application/json",
            "{\"merchant_uid\":\"prep-1\",\"amount\":7000,\"currency\":\"KRW\"}", c->m.token, &r);
    prepare_is(&r, "prep-1", 7000, "KRW");
    http_res_free(&r);
    get(c, "/payments/prepare/prep-1", &r);
    prepare_is(&r, "prep-1", 7000, "KRW");
    http_res_free(&r);
    http_do(&c->m, "PUT", "/payments/prepare", "application/json",
            "{\"merchant_uid\":\"prep-unknown\",\"amount\":7000}", c->m.token, &r);
    env_is(&r, 404, -1, none);
    http_res_free(&r);
    /* a form body works the same, its text amount read as a number */
    http_do(&c->m, "POST", "/payments/prepare", "application/x-www-form-urlencoded",
            "merchant_uid=prep-2&amount=1000", c->m.token, &r);
    prepare_is(&r, "prep-2", 1000, NULL);
    http_res_free(&r);
    get(c, "/payments/prepare/prep-2", &r);
    prepare_is(&r, "prep-2", 1000, NULL);
    http_res_free(&r);
}

static void test_prepare_bad_fields(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    static const struct {
        const char *body, *message;
    } cases[] = {
        {"{\"amount\":1000}", "merchant_uid 파라미터는 필수입니다."},
        {"{\"merchant_uid\":\"prep-x\"}", "amount 파라미터는 필수입니다."},
        {"{\"merchant_uid\":\"prep-x\",\"amount\":\"1000\"}",
         "amount 파라미터는 숫자여야 합니다 (문자열 불가)."},
        {"{\"merchant_uid\":\"prep-x\",\"amount\":-1}", "amount 파라미터는 0 이상이어야 합니다."},
        {"{\"merchant_uid\":\"prep-x\",\"amount\":10.5}",
         "amount 파라미터는 원 단위 정수여야 합니다."},
        {"{\"merchant_uid\":\"prep-x\",\"amount\":9007199254740994}",
         "amount 파라미터의 값이 너무 큽니다."},
        {"{\"merchant_uid\":7,\"amount\":1000}", "merchant_uid 파라미터는 문자열이어야 합니다."},
        {"{\"merchant_uid\":\"prep-x\",\"amount\":1000,\"currency\":\"KRWX\"}",
         "currency 파라미터가 너무 깁니다 (최대 3바이트)."},
        {"{\"merchant_uid\":\"12345678901234567890123456789012345678901\",\"amount\":1}",
         "merchant_uid 파라미터가 너무 깁니다 (최대 40바이트)."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* POST /payments/prepare lists 200 and 401 only (reference §16.0) */
        http_post_json(&c->m, "/payments/prepare", cases[i].body, &r);
        env_is(&r, 200, -1, cases[i].message);
        http_res_free(&r);
    }
    /* none of them registered anything */
    get(c, "/payments/prepare/prep-x", &r);
    env_is(&r, 404, -1, "사전등록된 결제정보가 존재하지 않습니다.");
    http_res_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_payment_every_field),
        cmocka_unit_test(test_get_payment_unknown),
        cmocka_unit_test(test_multiple_payments),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_find_all_paging),
        cmocka_unit_test(test_status_lists),
        cmocka_unit_test(test_status_time_window),
        cmocka_unit_test(test_status_errors),
        cmocka_unit_test(test_balance),
        cmocka_unit_test(test_prepare),
        cmocka_unit_test(test_prepare_bad_fields),
    };
    int rc = cmocka_run_group_tests_name("payments", tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc;
}
