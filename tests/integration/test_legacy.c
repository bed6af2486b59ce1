/*
 * test_legacy.c - the operations official clients still call that the
 * Swagger no longer lists, against the real binary: GET
 * /kakao/payment/orders (reference §22), answered from impmock's own Kakao
 * Pay payments, and POST /subscribe/payments/foreign (§23.4), a foreign
 * card charged on the one-time path. Both list only 200 (and 401).
 * The clock is frozen at 2024-01-05 10:00 KST.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0      "1704416400" /* 2024-01-05 10:00 KST */
#define ORDERS  "/kakao/payment/orders?payment_request_date="
#define AUTH_NG "카드정보 인증에 실패하였습니다."

/* Merchant A: Kakao Pay payments of 2024-01-05 (KST) through TC0ONETIME,
 * times relative to 10:00:
 *   k1 paid card 11000 (1000 tax-free) at 09:00, paid 09:00:30
 *   k2 paid Kakao Money 5000 at 09:30
 *   k3 cancelled 3000 at 09:40, cancelled 09:50
 *   k4 failed, the buyer closed the window, at 09:45
 *   k5 ready at 09:55
 *   k6 paid card 20000 at 09:56:40 (partly cancelled by a test)
 *   k7 paid 1000 one second before the day began
 *   k8 a 0-won billing key issuance through TCSUBSCRIP
 *   n1 a NICE payment of the day
 * Merchant B has a key-in channel only; C has Kakao Pay only. The test
 * cards are the default approving and declining ones and a Mastercard. */
static const char fixtures_json[] =
    "{\"merchants\":["
    "{\"merchant_code\":\"imp-a\",\"imp_key\":\"key-a\",\"imp_secret\":\"secret-a\","
    "\"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"},"
    "{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\",\"kind\":\"subscription\"},"
    "{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}],"
    "\"payments\":["
    "{\"imp_uid\":\"imp_000000000001\",\"merchant_uid\":\"order-k1\",\"status\":\"paid\","
    "\"amount\":11000,\"tax_free\":1000,\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\","
    "\"pg_tid\":\"T1234567890123456789\",\"started_at\":1704412800,\"paid_at\":1704412830,"
    "\"name\":\"커피\",\"card_number\":\"536181******1234\",\"card_name\":\"KB국민카드\","
    "\"card_code\":\"381\"},"
    "{\"imp_uid\":\"imp_000000000002\",\"merchant_uid\":\"order-k2\",\"status\":\"paid\","
    "\"amount\":5000,\"pay_method\":\"point\",\"pg_provider\":\"kakaopay\","
    "\"pg_id\":\"TC0ONETIME\",\"pg_tid\":\"T2222222222222222222\",\"started_at\":1704414600,"
    "\"paid_at\":1704414610},"
    "{\"imp_uid\":\"imp_000000000003\",\"merchant_uid\":\"order-k3\",\"status\":\"cancelled\","
    "\"amount\":3000,\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\","
    "\"started_at\":1704415200,\"paid_at\":1704415210,\"cancelled_at\":1704415800},"
    "{\"imp_uid\":\"imp_000000000004\",\"merchant_uid\":\"order-k4\",\"status\":\"failed\","
    "\"amount\":4000,\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\","
    "\"started_at\":1704415500,\"failed_at\":1704415510,"
    "\"fail_reason\":\"사용자가 결제를 취소하셨습니다\"},"
    "{\"imp_uid\":\"imp_000000000005\",\"merchant_uid\":\"order-k5\",\"status\":\"ready\","
    "\"amount\":500,\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\","
    "\"started_at\":1704416100},"
    "{\"imp_uid\":\"imp_000000000006\",\"merchant_uid\":\"order-k6\",\"status\":\"paid\","
    "\"amount\":20000,\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\","
    "\"pg_tid\":\"T6666666666666666666\",\"started_at\":1704416200,\"paid_at\":1704416210},"
    "{\"imp_uid\":\"imp_000000000007\",\"merchant_uid\":\"order-k7\",\"status\":\"paid\","
    "\"amount\":1000,\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\","
    "\"started_at\":1704380399,\"paid_at\":1704380399},"
    "{\"imp_uid\":\"imp_000000000008\",\"merchant_uid\":\"order-k8\",\"status\":\"paid\","
    "\"amount\":0,\"pg_provider\":\"kakaopay\",\"pg_id\":\"TCSUBSCRIP\","
    "\"customer_uid\":\"cust_1\",\"started_at\":1704416000,\"paid_at\":1704416000},"
    "{\"imp_uid\":\"imp_000000000009\",\"merchant_uid\":\"order-n1\",\"status\":\"paid\","
    "\"amount\":700,\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\","
    "\"started_at\":1704416000,\"paid_at\":1704416000}"
    "]},"
    "{\"merchant_code\":\"imp-b\",\"imp_key\":\"key-b\",\"imp_secret\":\"secret-b\","
    "\"channels\":[{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\"}]},"
    "{\"merchant_code\":\"imp-c\",\"imp_key\":\"key-c\",\"imp_secret\":\"secret-c\","
    "\"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\"}]}"
    "],\"test_cards\":["
    "{\"number\":\"4242-4242-4242-4242\",\"outcome\":\"approve\",\"card_name\":\"신한카드\","
    "\"card_code\":\"366\"},"
    "{\"number\":\"4000-0000-0000-0002\",\"outcome\":\"decline\","
    "\"fail_reason\":\"[F601]거래거절 카드사 승인거절\",\"card_name\":\"KB국민카드\","
    "\"card_code\":\"381\"},"
    "{\"number\":\"5555-5555-5555-4444\",\"outcome\":\"approve\",\"card_name\":\"신한카드\","
    "\"card_code\":\"366\"}]}";

struct ctx {
    struct mock m;
    char token_b[64];
    char token_c[64];
};

static int group_setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    const char *args[] = {"--clock", T0, "--seed", "5", NULL};
    mock_start_fixtures(&c->m, fixtures_json, args);
    mock_login_as(&c->m, "key-a", "secret-a", c->m.token);
    mock_login_as(&c->m, "key-b", "secret-b", c->token_b);
    mock_login_as(&c->m, "key-c", "secret-c", c->token_c);
    *state = c;
    return 0;
}

static int group_teardown(void **state)
{
    struct ctx *c = *state;
    int rc = mock_stop(&c->m);
    free(c);
    return rc == 0 ? 0 : -1;
}

/* ---- checks ---- */

static const cJSON *field(const cJSON *o, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!it)
        fail_msg("field %s missing", name);
    return it;
}

static void int_is(const cJSON *o, const char *name, double want)
{
    const cJSON *it = field(o, name);
    if (!cJSON_IsNumber(it) || it->valuedouble != want)
        fail_msg("%s: wanted %.0f", name, want);
}

static void str_is(const cJSON *o, const char *name, const char *want)
{
    const cJSON *it = field(o, name);
    if (!want) {
        assert_true(cJSON_IsNull(it));
        return;
    }
    if (!cJSON_IsString(it))
        fail_msg("%s: wanted \"%s\", not a string", name, want);
    assert_string_equal(it->valuestring, want);
}

/* {total, tax_free, vat, discount} */
static void amount_is(const cJSON *o, const char *name, double total, double tax_free, double vat)
{
    const cJSON *a = field(o, name);
    assert_int_equal(cJSON_GetArraySize(a), 4);
    int_is(a, "total", total);
    int_is(a, "tax_free", tax_free);
    int_is(a, "vat", vat);
    int_is(a, "discount", 0);
}

/* ---- GET /kakao/payment/orders ---- */

/* The partner_order_ids of the orders, joined with ','. */
static const char *order_ids(const cJSON *resp)
{
    static char out[512];
    size_t n = 0;
    const cJSON *o;
    out[0] = '\0';
    cJSON_ArrayForEach(o, field(resp, "orders"))
    {
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? "," : "",
                              json_str(o, "partner_order_id"));
    }
    return out;
}

static void page_is(const cJSON *resp, double page, double size, bool first, bool last,
                    double pages, double total)
{
    assert_int_equal(cJSON_GetArraySize(resp), 4);
    const cJSON *p = field(resp, "page");
    assert_int_equal(cJSON_GetArraySize(p), 6);
    int_is(p, "current_page", page);
    int_is(p, "current_size", size);
    assert_int_equal(cJSON_IsTrue(field(p, "first")), first);
    assert_true(cJSON_IsBool(field(p, "first")) && cJSON_IsBool(field(p, "last")));
    assert_int_equal(cJSON_IsTrue(field(p, "last")), last);
    int_is(p, "total_pages", pages);
    int_is(p, "total_size", total);
}

static const cJSON *order_of(const cJSON *resp, const char *merchant_uid)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, field(resp, "orders"))
    {
        if (!strcmp(json_str(o, "partner_order_id"), merchant_uid))
            return o;
    }
    fail_msg("order %s not listed", merchant_uid);
    return NULL;
}

static void test_orders_of_a_day(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    http_get(&c->m, ORDERS "20240105", &r);
    env_is(&r, 200, 0, NULL);
    const cJSON *resp = env_response(&r);
    page_is(resp, 1, 6, true, true, 1, 6);
    str_is(resp, "payment_request_date", "20240105");
    str_is(resp, "cid", "TC0ONETIME");
    /* newest first; the day before, another CID and another PG are left out */
    assert_string_equal(order_ids(resp), "order-k6,order-k5,order-k4,order-k3,order-k2,order-k1");

    const cJSON *k1 = order_of(resp, "order-k1");
    assert_int_equal(cJSON_GetArraySize(k1), 17);
    str_is(k1, "id", "T1234567890123456789");
    str_is(k1, "cid", "TC0ONETIME");
    str_is(k1, "status", "SUCCESS_PAYMENT");
    str_is(k1, "partner_user_id", "imp_000000000001");
    str_is(k1, "payment_method_type", "CARD");
    str_is(k1, "item_name", "커피");
    str_is(k1, "item_code", NULL);
    int_is(k1, "quantity", 1);
    amount_is(k1, "amount", 11000, 1000, 909);
    amount_is(k1, "cancel_available_amount", 11000, 1000, 909);
    amount_is(k1, "canceled_amount", 0, 0, 0);
    str_is(k1, "created_at", "2024-01-05T09:00:00");
    str_is(k1, "approved_at", "2024-01-05T09:00:30");
    str_is(k1, "canceled_at", NULL);
    const cJSON *card = field(k1, "selected_card_info");
    assert_int_equal(cJSON_GetArraySize(card), 4);
    str_is(card, "card_bin", "536181");
    int_is(card, "install_month", 0);
    str_is(card, "card_corp_name", "KB국민카드");
    str_is(card, "interest_free_install", "N");
    const cJSON *acts = field(k1, "payment_action_details");
    assert_int_equal(cJSON_GetArraySize(acts), 1);
    const cJSON *a = cJSON_GetArrayItem(acts, 0);
    assert_int_equal(cJSON_GetArraySize(a), 7);
    str_is(a, "aid", "A1234567890123456700");
    str_is(a, "approved_at", "2024-01-05T09:00:30");
    int_is(a, "amount", 11000);
    int_is(a, "point_amount", 0);
    int_is(a, "discount_amount", 0);
    str_is(a, "payment_action_type", "PAYMENT");
    str_is(a, "payload", NULL);

    const cJSON *k2 = order_of(resp, "order-k2");
    str_is(k2, "payment_method_type", "MONEY");
    str_is(k2, "selected_card_info", NULL);
    const cJSON *k3 = order_of(resp, "order-k3");
    str_is(k3, "status", "CANCEL_PAYMENT");
    str_is(k3, "canceled_at", "2024-01-05T09:50:00");
    amount_is(k3, "cancel_available_amount", 0, 0, 0);
    amount_is(k3, "canceled_amount", 3000, 0, 273);
    /* a seed without a TID: no aid either */
    str_is(cJSON_GetArrayItem(field(k3, "payment_action_details"), 0), "aid", NULL);
    str_is(order_of(resp, "order-k4"), "status", "QUIT_PAYMENT");
    const cJSON *k5 = order_of(resp, "order-k5");
    str_is(k5, "status", "READY");
    str_is(k5, "id", NULL); /* no TID was given to the seed */
    str_is(k5, "approved_at", NULL);
    assert_int_equal(cJSON_GetArraySize(field(k5, "payment_action_details")), 0);
    http_res_free(&r);

    /* the day before holds k7 only */
    http_get(&c->m, ORDERS "20240104", &r);
    env_is(&r, 200, 0, NULL);
    assert_string_equal(order_ids(env_response(&r)), "order-k7");
    http_res_free(&r);
    /* a day without orders */
    http_get(&c->m, ORDERS "20231231", &r);
    env_is(&r, 200, 0, NULL);
    page_is(env_response(&r), 1, 0, true, true, 0, 0);
    http_res_free(&r);
}

static void test_orders_cid_and_pages(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    /* the subscription CID: the 0-won key issuance */
    http_get(&c->m, ORDERS "20240105&cid=TCSUBSCRIP", &r);
    env_is(&r, 200, 0, NULL);
    str_is(env_response(&r), "cid", "TCSUBSCRIP");
    assert_string_equal(order_ids(env_response(&r)), "order-k8");
    const cJSON *k8 = order_of(env_response(&r), "order-k8");
    str_is(k8, "status", "ISSUED_SID");
    str_is(k8, "partner_user_id", "cust_1");
    str_is(cJSON_GetArrayItem(field(k8, "payment_action_details"), 0), "payment_action_type",
           "ISSUED_SID");
    http_res_free(&r);
    /* an empty cid means the default one; page 0 is the first page */
    http_get(&c->m, ORDERS "20240105&cid=&page=0", &r);
    env_is(&r, 200, 0, NULL);
    page_is(env_response(&r), 1, 6, true, true, 1, 6);
    http_res_free(&r);
    /* past the last page: an empty page, not a refusal (only 200 is listed) */
    http_get(&c->m, ORDERS "20240105&page=2", &r);
    env_is(&r, 200, 0, NULL);
    page_is(env_response(&r), 2, 0, false, true, 1, 6);
    assert_string_equal(order_ids(env_response(&r)), "");
    http_res_free(&r);
}

static void test_orders_after_a_cancel(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    http_post_json(&c->m, "/payments/cancel", "{\"imp_uid\":\"imp_000000000006\",\"amount\":5000}",
                   &r);
    env_is(&r, 200, 0, NULL);
    http_res_free(&r);
    http_get(&c->m, ORDERS "20240105", &r);
    env_is(&r, 200, 0, NULL);
    const cJSON *k6 = order_of(env_response(&r), "order-k6");
    str_is(k6, "status", "PART_CANCEL_PAYMENT");
    amount_is(k6, "cancel_available_amount", 15000, 0, 1364);
    amount_is(k6, "canceled_amount", 5000, 0, 455);
    str_is(k6, "canceled_at", "2024-01-05T10:00:00");
    const cJSON *acts = field(k6, "payment_action_details");
    assert_int_equal(cJSON_GetArraySize(acts), 2);
    str_is(cJSON_GetArrayItem(acts, 0), "payment_action_type", "PAYMENT");
    int_is(cJSON_GetArrayItem(acts, 0), "amount", 20000);
    str_is(cJSON_GetArrayItem(acts, 1), "payment_action_type", "CANCEL");
    int_is(cJSON_GetArrayItem(acts, 1), "amount", 5000);
    str_is(cJSON_GetArrayItem(acts, 1), "aid", "A6666666666666666601");
    http_res_free(&r);
}

static void test_orders_refused(void **state)
{
    struct ctx *c = *state;
    /* HTTP 200 for all, the operation lists only 200 (reference §22): -1 for
     * a bad field as everywhere, 1 for the business refusal */
    static const struct {
        const char *path;
        int code;
        const char *message;
    } cases[] = {
        {"/kakao/payment/orders", -1, "payment_request_date 파라미터는 필수입니다."},
        {ORDERS, -1, "payment_request_date 파라미터는 비어 있을 수 없습니다."},
        {ORDERS "2024-01-05", -1,
         "payment_request_date 파라미터는 최대 8자까지 지정할 수 있습니다."},
        {ORDERS "20240230", -1, "payment_request_date 파라미터는 YYYYMMDD 형식의 날짜여야 합니다."},
        {ORDERS "2024010a", -1, "payment_request_date 파라미터는 YYYYMMDD 형식의 날짜여야 합니다."},
        {ORDERS "20240105&page=-1", -1, "page 파라미터는 0 이상 1000000000 이하여야 합니다."},
        {ORDERS "20240105&page=x", -1, "page 파라미터는 정수여야 합니다."},
        {ORDERS "20240105&cid=nictest04m", 1,
         "가맹점에 등록되지 않은 카카오페이 CID입니다: nictest04m"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct http_res r;
        http_get(&c->m, cases[i].path, &r);
        env_is(&r, 200, cases[i].code, cases[i].message);
        http_res_free(&r);
    }
    struct http_res r;
    /* a merchant without Kakao Pay */
    http_do(&c->m, "GET", ORDERS "20240105", NULL, NULL, c->token_b, &r);
    env_is(&r, 200, 1, "카카오페이 사용정보를 찾을 수 없습니다.");
    http_res_free(&r);
    /* another tenant's payments are not listed */
    http_do(&c->m, "GET", ORDERS "20240105", NULL, NULL, c->token_c, &r);
    env_is(&r, 200, 0, NULL);
    page_is(env_response(&r), 1, 0, true, true, 0, 0);
    http_res_free(&r);
    http_do(&c->m, "GET", ORDERS "20240105", NULL, NULL, NULL, &r);
    env_is(&r, 401, -1, "Unauthorized");
    http_res_free(&r);
}

/* ---- POST /subscribe/payments/foreign ---- */

static void foreign(const struct mock *m, const char *token, const char *body, struct http_res *r)
{
    http_do(m, "POST", "/subscribe/payments/foreign", "application/json", body, token, r);
}

static void test_foreign_paid(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    foreign(&c->m, c->m.token,
            "{\"merchant_uid\":\"f-visa\",\"amount\":12000,\"card_number\":\"4242-4242-4242-4242\","
            "\"expiry\":\"2030-12\",\"cvc\":\"123\",\"name\":\"Order\",\"buyer_name\":\"Kim\","
            "\"currency\":\"KRW\",\"custom_data\":{\"k\":1}}",
            &r);
    env_is(&r, 200, 0, NULL);
    const cJSON *p = env_response(&r);
    str_is(p, "merchant_uid", "f-visa");
    str_is(p, "status", "paid");
    int_is(p, "amount", 12000);
    str_is(p, "channel", "api");
    str_is(p, "pay_method", "card");
    str_is(p, "pg_provider", "nice");
    str_is(p, "card_code", "VIS");
    str_is(p, "card_name", "해외비자카드");
    str_is(p, "card_number", "424242******4242");
    str_is(p, "customer_uid", NULL);
    str_is(p, "buyer_name", "Kim");
    str_is(p, "custom_data", "{\"k\":1}");
    char path[64];
    snprintf(path, sizeof path, "/payments/%s", json_str(p, "imp_uid"));
    http_res_free(&r);
    /* stored like any payment */
    http_get(&c->m, path, &r);
    env_is(&r, 200, 0, NULL);
    str_is(env_response(&r), "card_code", "VIS");
    http_res_free(&r);
    /* the same order again */
    foreign(&c->m, c->m.token,
            "{\"merchant_uid\":\"f-visa\",\"amount\":12000,\"card_number\":\"4242424242424242\","
            "\"expiry\":\"2030-12\"}",
            &r);
    env_is(&r, 200, 1, "이미 결제가 이루어진 거래건입니다.");
    http_res_free(&r);
    /* form bodies, a Mastercard test card (only test cards are approved) */
    http_do(&c->m, "POST", "/subscribe/payments/foreign", "application/x-www-form-urlencoded",
            "merchant_uid=f-master&amount=3000&card_number=5555-5555-5555-4444&expiry=203012",
            c->token_b, &r);
    env_is(&r, 200, 0, NULL);
    str_is(env_response(&r), "card_code", "MAS");
    str_is(env_response(&r), "card_name", "해외마스터카드");
    http_res_free(&r);
}

static void test_foreign_declined(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    /* a declining test card: code 0 and a failed payment, as onetime answers */
    foreign(&c->m, c->m.token,
            "{\"merchant_uid\":\"f-decline\",\"amount\":1000,"
            "\"card_number\":\"4000-0000-0000-0002\",\"expiry\":\"2030-12\"}",
            &r);
    env_is(&r, 200, 0, NULL);
    str_is(env_response(&r), "status", "failed");
    str_is(env_response(&r), "fail_reason", "[F601]거래거절 카드사 승인거절");
    str_is(env_response(&r), "card_code", "VIS");
    http_res_free(&r);
    /* what the official Python live test sends: code -1 (reference §23.4) */
    foreign(&c->m, c->m.token,
            "{\"merchant_uid\":\"f-py\",\"amount\":1000,\"card_number\":\"card-number\","
            "\"expiry\":\"2016-08\"}",
            &r);
    if (r.status != 200 || env_code(&r) != -1 || !env_message(&r) ||
        strncmp(env_message(&r), AUTH_NG, strlen(AUTH_NG)) != 0)
        fail_msg("card-number: %ld %s", r.status, r.body);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "response")));
    http_res_free(&r);
    /* an expired card */
    foreign(&c->m, c->m.token,
            "{\"merchant_uid\":\"f-expired\",\"amount\":1000,"
            "\"card_number\":\"4242424242424242\",\"expiry\":\"2020-01\"}",
            &r);
    env_is(&r, 200, -1, "카드정보 인증에 실패하였습니다. [F112]유효기간 경과카드");
    http_res_free(&r);
    /* nothing was stored for the refused orders */
    http_get(&c->m, "/payments/find/f-py", &r);
    env_is(&r, 404, -1, "존재하지 않는 결제정보입니다.");
    http_res_free(&r);
}

/* Scenarios reach the foreign door as any charge: a scripted decline and PG error. */
static void test_foreign_scenario(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    http_do(&c->m, "POST", "/__mock/scenarios", "application/json",
            "{\"name\":\"foreign-decline\",\"description\":\"foreign cards declined\","
            "\"tenant\":\"key-a\",\"rules\":["
            "{\"when\":{\"op\":\"charge\",\"merchant_uid\":\"fs-decline*\"},"
            "\"then\":{\"decline\":\"[F999]해외카드 거절\"}},"
            "{\"when\":{\"op\":\"charge\",\"merchant_uid\":\"fs-pg*\"},"
            "\"then\":{\"pg_error\":\"PG사 통신 오류\"}}]}",
            NULL, &r);
    if (r.status != 200)
        fail_msg("loading the scenario: %ld %s", r.status, r.body);
    http_res_free(&r);
    foreign(&c->m, c->m.token,
            "{\"merchant_uid\":\"fs-decline-1\",\"amount\":1000,"
            "\"card_number\":\"4242424242424242\",\"expiry\":\"2030-12\"}",
            &r);
    env_is(&r, 200, 0, NULL);
    str_is(env_response(&r), "status", "failed");
    str_is(env_response(&r), "fail_reason", "[F999]해외카드 거절");
    http_res_free(&r);
    foreign(&c->m, c->m.token,
            "{\"merchant_uid\":\"fs-pg-1\",\"amount\":1000,"
            "\"card_number\":\"4242424242424242\",\"expiry\":\"2030-12\"}",
            &r);
    env_is(&r, 200, -1, "PG사 통신 오류");
    http_res_free(&r);
    http_do(&c->m, "DELETE", "/__mock/scenarios?name=foreign-decline", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    http_res_free(&r);
}

static void test_foreign_refused(void **state)
{
    struct ctx *c = *state;
    static const struct {
        const char *body;
        const char *message;
    } cases[] = {
        {"{\"amount\":1000,\"card_number\":\"4242424242424242\",\"expiry\":\"2030-12\"}",
         "merchant_uid 파라미터는 필수입니다."},
        {"{\"merchant_uid\":\"f-x\",\"card_number\":\"4242424242424242\",\"expiry\":\"2030-12\"}",
         "amount 파라미터는 필수입니다."},
        {"{\"merchant_uid\":\"f-x\",\"amount\":\"1000\",\"card_number\":\"4242424242424242\","
         "\"expiry\":\"2030-12\"}",
         "amount 파라미터는 숫자여야 합니다 (문자열 불가)."},
        {"{\"merchant_uid\":\"f-x\",\"amount\":0,\"card_number\":\"4242424242424242\","
         "\"expiry\":\"2030-12\"}",
         "amount 파라미터는 0보다 커야 합니다."},
        {"{\"merchant_uid\":\"f-x\",\"amount\":1000,\"expiry\":\"2030-12\"}",
         "card_number 파라미터는 필수입니다."},
        {"{\"merchant_uid\":\"f-x\",\"amount\":1000,\"card_number\":\"4242424242424242\"}",
         "expiry 파라미터는 필수입니다."},
        {"{\"merchant_uid\":\"f-x\",\"amount\":1000,\"card_number\":\"4242424242424242\","
         "\"expiry\":\"12/30\"}",
         "expiry 파라미터는 YYYY-MM 형식의 카드 유효기간이어야 합니다."},
        {"{\"merchant_uid\":\"0123456789012345678901234567890123456789X\",\"amount\":1000,"
         "\"card_number\":\"4242424242424242\",\"expiry\":\"2030-12\"}",
         "merchant_uid 파라미터는 최대 40자까지 지정할 수 있습니다."},
        {"{\"merchant_uid\":\"f-x\",\"amount\":1000,\"card_number\":\"4242424242424242\","
         "\"expiry\":\"2030-12\",\"notice_url\":\"ftp://hooks.example\"}",
         "notice_url 파라미터는 http:// 또는 https:// URL(또는 그 배열)이어야 합니다."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct http_res r;
        foreign(&c->m, c->m.token, cases[i].body, &r);
        env_is(&r, 200, -1, cases[i].message); /* a bad field: -1, at HTTP 200 */
        http_res_free(&r);
    }
    struct http_res r;
    /* a merchant without a key-in channel */
    foreign(&c->m, c->token_c,
            "{\"merchant_uid\":\"f-c\",\"amount\":1000,\"card_number\":\"4242424242424242\","
            "\"expiry\":\"2030-12\"}",
            &r);
    env_is(&r, 200, 1, "비인증결제모듈 사용정보를 찾을 수 없습니다.");
    http_res_free(&r);
    foreign(&c->m, NULL, "{}", &r);
    env_is(&r, 401, -1, "Unauthorized");
    http_res_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orders_of_a_day),       cmocka_unit_test(test_orders_cid_and_pages),
        cmocka_unit_test(test_orders_after_a_cancel), cmocka_unit_test(test_orders_refused),
        cmocka_unit_test(test_foreign_paid),          cmocka_unit_test(test_foreign_declined),
        cmocka_unit_test(test_foreign_scenario),      cmocka_unit_test(test_foreign_refused),
    };
    int rc = cmocka_run_group_tests_name("legacy", tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc;
}
