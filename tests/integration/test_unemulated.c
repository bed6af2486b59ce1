/*
 * test_unemulated.c - the PG-specific operations impmock answers but does
 * not emulate (reference §24), against the real binary: Naver Pay 주문형
 * and 결제형, PAYCO, benepia, cvs, KCP 퀵페이, partners, Paymentwall.
 * Every operation checks its fields as the Swagger declares them (400 where
 * it lists 400, else HTTP 200 with code 1), then answers what the real API
 * answers for a payment or merchant without that PG (§24.0); a payment or
 * channel that really is of that PG gets "not emulated", never a success.
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

#define NOTHING  "존재하지 않는 결제정보입니다."
#define NOT_CO   "네이버페이 주문형 결제건이 아닙니다."
#define NOT_PAY  "네이버페이 결제형 결제건이 아닙니다."
#define EMULATED "연동을 에뮬레이트하지 않아 이 요청에 답할 수 없습니다."
#define JSON     "application/json"
#define FORM     "application/x-www-form-urlencoded"

/* Merchant A has Kakao Pay and NICE only, with one Kakao Pay payment.
 * Merchant P has channels of the PGs impmock does not emulate and a payment
 * of each (seeded as a fixture may). */
static const char fixtures_json[] =
    "{\"merchants\":["
    "{\"merchant_code\":\"imp-a\",\"imp_key\":\"key-a\",\"imp_secret\":\"secret-a\","
    "\"channels\":[{\"pg_provider\":\"kakaopay\",\"pg_id\":\"TC0ONETIME\",\"kind\":\"onetime\","
    "\"channel_key\":\"ck-kakao\"},"
    "{\"pg_provider\":\"nice\",\"pg_id\":\"nictest04m\",\"kind\":\"keyin\","
    "\"channel_key\":\"ck-nice\"}],"
    "\"payments\":[{\"imp_uid\":\"imp_kakao\",\"merchant_uid\":\"order-kakao\","
    "\"status\":\"paid\",\"amount\":3000}]},"
    "{\"merchant_code\":\"imp-p\",\"imp_key\":\"key-p\",\"imp_secret\":\"secret-p\","
    "\"channels\":["
    "{\"pg_provider\":\"naverco\",\"pg_id\":\"np_co\",\"kind\":\"onetime\","
    "\"channel_key\":\"ck-naverco\"},"
    "{\"pg_provider\":\"kcp\",\"pg_id\":\"IP0XX\",\"kind\":\"onetime\",\"channel_key\":\"ck-kcp\"},"
    "{\"pg_provider\":\"galaxia\",\"pg_id\":\"gx\",\"kind\":\"onetime\",\"channel_key\":\"ck-cvs\"}"
    ","
    "{\"pg_provider\":\"kcp_quick\",\"pg_id\":\"IX0XX\",\"kind\":\"keyin\","
    "\"channel_key\":\"ck-quick\"}],"
    "\"payments\":["
    "{\"imp_uid\":\"imp_naverco\",\"merchant_uid\":\"o-1\",\"status\":\"paid\",\"amount\":3000,"
    "\"pg_provider\":\"naverco\",\"pay_method\":\"naverpay\"},"
    "{\"imp_uid\":\"imp_naverpay\",\"merchant_uid\":\"o-2\",\"status\":\"paid\",\"amount\":3000,"
    "\"pg_provider\":\"naverpay\",\"pay_method\":\"naverpay\"},"
    "{\"imp_uid\":\"imp_payco\",\"merchant_uid\":\"o-3\",\"status\":\"paid\",\"amount\":3000,"
    "\"pg_provider\":\"payco\"},"
    "{\"imp_uid\":\"imp_cvs\",\"merchant_uid\":\"o-4\",\"status\":\"ready\",\"amount\":3000,"
    "\"pg_provider\":\"galaxia\",\"pay_method\":\"cvs\"},"
    "{\"imp_uid\":\"imp_inicis\",\"merchant_uid\":\"o-5\",\"status\":\"paid\",\"amount\":3000,"
    "\"pg_provider\":\"html5_inicis\"},"
    "{\"imp_uid\":\"imp_inicis_r\",\"merchant_uid\":\"o-6\",\"status\":\"ready\",\"amount\":3000,"
    "\"pg_provider\":\"html5_inicis\"},"
    "{\"imp_uid\":\"imp_pw\",\"merchant_uid\":\"pw-order\",\"status\":\"paid\",\"amount\":3000,"
    "\"pg_provider\":\"paymentwall\"}"
    "]}]}";

struct ctx {
    struct mock m;
    char token_p[64];
};

static struct ctx *C;

static int group_setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    mock_start_fixtures(&c->m, fixtures_json, NULL);
    mock_login_as(&c->m, "key-a", "secret-a", c->m.token);
    mock_login_as(&c->m, "key-p", "secret-p", c->token_p);
    C = c;
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

/* One call and the refusal it must get: the envelope with code != 0,
 * response null, and the message. */
struct call {
    const char *method;
    const char *path;
    const char *ctype; /* NULL: no body */
    const char *body;
    bool as_p; /* merchant P's token instead of A's */
    long status;
    int code;
    const char *message;
};

static void run(const struct call *k)
{
    struct http_res r;
    http_do(&C->m, k->method, k->path, k->ctype, k->body, k->as_p ? C->token_p : C->m.token, &r);
    const char *msg = r.json ? env_message(&r) : NULL;
    bool msg_ok = msg && strcmp(msg, k->message) == 0;
    if (r.status != k->status || !r.json || cJSON_GetArraySize(r.json) != 3 ||
        env_code(&r) != k->code || !msg_ok ||
        !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "response")))
        fail_msg("%s %s %s: got %ld %s; wanted %ld, code %d, \"%s\"", k->method, k->path,
                 k->body ? k->body : "", r.status, r.body, k->status, k->code, k->message);
    http_res_free(&r);
}

static void run_all(const struct call *calls, size_t n)
{
    for (size_t i = 0; i < n; i++)
        run(&calls[i]);
}

#define RUN(a) run_all((a), sizeof(a) / sizeof((a)[0]))

/* ---- Naver Pay 주문형 (naverco) ---- */

#define SHIP_OK "{\"delivery_method\":\"DELIVERY\",\"dispatched_at\":1704067200,"
#define SHIP_CO "\"delivery_company\":\"CJGLS\",\"tracking_number\":\"123456789\"}"

/* Fields first: 400 where listed, HTTP 200 code 1 where not. */
static void test_naver_order_fields(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"POST", "/payments/imp_kakao/naver/ship", JSON, "{\"dispatched_at\":1}", false, 400, -1,
         "delivery_method 파라미터는 필수입니다."},
        {"POST", "/payments/imp_kakao/naver/ship", JSON,
         "{\"delivery_method\":\"TRUCK\",\"dispatched_at\":1}", false, 400, -1,
         "delivery_method 파라미터는 DELIVERY, GDFW_ISSUE_SVC, "
         "VISIT_RECEIPT, DIRECT_DELIVERY, QUICK_SVC, NOTHING 중 하나여야 합니다."},
        {"POST", "/payments/imp_kakao/naver/ship", JSON, "{\"delivery_method\":\"NOTHING\"}", false,
         400, -1, "dispatched_at 파라미터는 필수입니다."},
        {"POST", "/payments/imp_kakao/naver/ship", JSON,
         "{\"delivery_method\":\"NOTHING\",\"dispatched_at\":\"1\"}", false, 400, -1,
         "dispatched_at 파라미터는 숫자여야 합니다."},
        {"POST", "/payments/imp_kakao/naver/ship", JSON, SHIP_OK "\"delivery_company\":\"CJGLS\"}",
         false, 400, -1,
         "delivery_method가 DELIVERY인 경우 delivery_company와 tracking_number는 필수입니다."},
        {"POST", "/payments/imp_kakao/naver/ship", JSON,
         SHIP_OK "\"delivery_company\":\"POSTMAN\",\"tracking_number\":\"1\"}", false, 400, -1,
         "delivery_company 파라미터의 값이 올바르지 않습니다."},
        {"POST", "/payments/imp_kakao/naver/ship", FORM,
         "delivery_method=VISIT_RECEIPT&dispatched_at=1704067200&product_order_id[0]=x&"
         "product_order_id[1]=y",
         false, 404, 1, NOT_CO},
        {"POST", "/payments/imp_kakao/naver/ship-exchanged", JSON, "{}", false, 400, -1,
         "delivery_method 파라미터는 필수입니다."},
        {"POST", "/payments/imp_kakao/naver/ship-exchanged", JSON,
         "{\"delivery_method\":\"DELIVERY\",\"tracking_number\":\"1\"}", false, 400, -1,
         "delivery_method가 DELIVERY인 경우 delivery_company와 tracking_number는 필수입니다."},
        {"POST", "/payments/imp_kakao/naver/request-return", JSON,
         "{\"delivery_method\":\"DELIVERY\"}", false, 400, -1,
         "delivery_method 파라미터는 RETURN_DESIGNATED, "
         "RETURN_DELIVERY, RETURN_INDIVIDUAL 중 하나여야 합니다."},
        {"POST", "/payments/imp_kakao/naver/request-return", JSON,
         "{\"delivery_method\":\"RETURN_DELIVERY\",\"delivery_company\":\"EPOST\"}", false, 400, -1,
         "delivery_method가 RETURN_DELIVERY인 경우 delivery_company와 tracking_number는 "
         "필수입니다."},
        {"POST", "/payments/imp_kakao/naver/reject-return", JSON, "{}", false, 400, -1,
         "memo 파라미터는 필수입니다."},
        {"POST", "/payments/imp_kakao/naver/withhold-return", JSON,
         "{\"memo\":\"보류\","
         "\"extra_charge\":-1}",
         false, 400, -1, "extra_charge 파라미터는 0 이상 9007199254740991 이하여야 합니다."},
        /* no 400 listed */
        {"POST", "/payments/imp_kakao/naver/cancel", JSON, "{\"reason\":5}", false, 200, -1,
         "reason 파라미터는 문자열이어야 합니다."},
        {"POST", "/payments/imp_kakao/naver/cancel", JSON, "{\"product_order_id\":[1,2]}", false,
         200, -1, "product_order_id 파라미터는 문자열 배열이어야 합니다."},
        {"POST", "/payments/imp_kakao/naver/approve-return", JSON, "{\"memo\":[]}", false, 200, -1,
         "memo 파라미터는 문자열이어야 합니다."},
        {"POST", "/payments/imp_kakao/naver/place", FORM, "product_order_id[a]=x", false, 200, -1,
         "product_order_id 파라미터는 문자열 배열이어야 합니다."},
    };
    RUN(calls);
}

/* Then the payment: unknown, another PG's, another tenant's, or 주문형. */
static void test_naver_order_payments(void **state)
{
    (void)state;
    static const char *const ops[] = {"cancel",         "approve-cancel",
                                      "place",          "collect-exchanged",
                                      "approve-return", "resolve-return"};
    char path[96];
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        struct call k = {"POST", path, JSON, "{}", false, 404, -1, NOTHING};
        snprintf(path, sizeof path, "/payments/imp_none/naver/%s", ops[i]);
        run(&k);
        snprintf(path, sizeof path, "/payments/imp_naverco/naver/%s", ops[i]);
        run(&k); /* merchant P's payment: none of A's */
        snprintf(path, sizeof path, "/payments/imp_kakao/naver/%s", ops[i]);
        k.code = 1;
        k.message = NOT_CO;
        run(&k);
        snprintf(path, sizeof path, "/payments/imp_naverco/naver/%s", ops[i]);
        k.as_p = true;
        k.status = 200;
        k.code = -1;
        k.message = "impmock은 네이버페이 주문형(naverco) " EMULATED;
        run(&k);
    }
    static const struct call calls[] = {
        /* an unknown reason is read as the default (the Swagger says so) */
        {"POST", "/payments/imp_kakao/naver/cancel", JSON, "{\"reason\":\"WHATEVER\"}", false, 404,
         1, NOT_CO},
        {"POST", "/payments/imp_kakao/naver/ship", JSON, SHIP_OK SHIP_CO, false, 404, 1, NOT_CO},
        {"POST", "/payments/imp_kakao/naver/ship-exchanged", JSON,
         "{\"delivery_method\":\"QUICK_SVC\"}", false, 404, 1, NOT_CO},
        {"POST", "/payments/imp_kakao/naver/request-return", JSON,
         "{\"delivery_method\":\"RETURN_DESIGNATED\",\"reason\":\"BROKEN\"}", false, 404, 1,
         NOT_CO},
        {"POST", "/payments/imp_kakao/naver/reject-return", JSON, "{\"memo\":\"거절\"}", false, 404,
         1, NOT_CO},
        {"POST", "/payments/imp_kakao/naver/withhold-return", FORM,
         "memo=%EB%B3%B4%EB%A5%98&reason=ETC&extra_charge=3000", false, 404, 1, NOT_CO},
        {"GET", "/payments/imp_kakao/naver/product-orders", NULL, NULL, false, 404, 1, NOT_CO},
        {"GET", "/payments/imp_none/naver/product-orders", NULL, NULL, false, 404, -1, NOTHING},
        {"POST", "/payments/imp_naverco/naver/ship", JSON, SHIP_OK SHIP_CO, true, 200, -1,
         "impmock은 네이버페이 주문형(naverco) " EMULATED},
        {"GET", "/payments/imp_naverco/naver/product-orders", NULL, NULL, true, 200, -1,
         "impmock은 네이버페이 주문형(naverco) " EMULATED},
        /* a product order id: none without a 주문형 channel */
        {"GET", "/naver/product-orders/2024010512345678", NULL, NULL, false, 404, -1,
         "존재하지 않는 네이버페이 상품주문입니다."},
        {"GET", "/naver/product-orders/2024010512345678", NULL, NULL, true, 200, -1,
         "impmock은 네이버페이 주문형(naverco) " EMULATED},
    };
    RUN(calls);
}

static void test_naver_reviews(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"GET", "/naver/reviews?from=1&to=2&review_type=general", NULL, NULL, false, 400, -1,
         "channel_key 파라미터는 필수입니다."},
        {"GET", "/naver/reviews?channel_key=ck-kakao&to=2&review_type=general", NULL, NULL, false,
         400, -1, "from 파라미터는 필수입니다."},
        {"GET", "/naver/reviews?channel_key=ck-kakao&from=1&to=2&review_type=all", NULL, NULL,
         false, 400, -1, "review_type 파라미터는 general, premium 중 하나여야 합니다."},
        {"GET", "/naver/reviews?channel_key=ck-kakao&from=3&to=2&review_type=general", NULL, NULL,
         false, 400, -1, "from 파라미터는 to보다 클 수 없습니다."},
        {"GET", "/naver/reviews?channel_key=ck-kakao&from=1&to=2&review_type=general", NULL, NULL,
         false, 500, -1, "네이버페이 주문형 채널을 찾을 수 없습니다."},
        {"GET", "/naver/reviews?channel_key=ck-none&from=1&to=2&review_type=premium", NULL, NULL,
         false, 500, -1, "네이버페이 주문형 채널을 찾을 수 없습니다."},
        {"GET", "/naver/reviews?channel_key=ck-naverco&from=1&to=2&review_type=general", NULL, NULL,
         true, 200, -1, "impmock은 네이버페이 주문형(naverco) " EMULATED},
    };
    RUN(calls);
}

/* ---- Naver Pay 결제형 (naverpay) ---- */

static void test_naverpay(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"POST", "/payments/imp_none/naver/point", JSON, "{}", false, 404, -1, NOTHING},
        {"POST", "/payments/imp_kakao/naver/point", JSON, "{}", false, 404, 1, NOT_PAY},
        {"POST", "/payments/imp_naverco/naver/point", JSON, "{}", true, 404, 1, NOT_PAY},
        {"POST", "/payments/imp_naverpay/naver/point", JSON, "{}", true, 200, -1,
         "impmock은 네이버페이 결제형(naverpay) " EMULATED},
        {"POST", "/payments/imp_kakao/naver/confirm", JSON, "{\"requester\":\"boss\"}", false, 200,
         -1, "requester 파라미터는 admin, customer 중 하나여야 합니다."},
        {"POST", "/payments/imp_kakao/naver/confirm", JSON, "{\"requester\":\"customer\"}", false,
         404, 1, NOT_PAY},
        {"POST", "/payments/imp_naverpay/naver/confirm", FORM, "requester=admin", true, 200, -1,
         "impmock은 네이버페이 결제형(naverpay) " EMULATED},
        /* cash-amount lists 400, not 404 */
        {"GET", "/payments/imp_none/naver/cash-amount", NULL, NULL, false, 400, -1, NOTHING},
        {"GET", "/payments/imp_kakao/naver/cash-amount", NULL, NULL, false, 400, 1, NOT_PAY},
        {"GET", "/payments/imp_naverpay/naver/cash-amount", NULL, NULL, true, 200, -1,
         "impmock은 네이버페이 결제형(naverpay) " EMULATED},
    };
    RUN(calls);
}

/* ---- PAYCO, benepia, cvs, KCP 퀵페이 ---- */

#define BENEPIA     "\"benepia_user\":\"bene_test\",\"benepia_password\":\"bene_pass\","
#define BENEPIA_PAY BENEPIA "\"merchant_uid\":\"bp-1\",\"amount\":5000,\"name\":\"복지몰 주문\","

static void test_payco(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"POST", "/payco/orders/status/imp_kakao", JSON, "{}", false, 200, -1,
         "status 파라미터는 필수입니다."},
        {"POST", "/payco/orders/status/imp_kakao", JSON, "{\"status\":\"asdf\"}", false, 200, -1,
         "status 파라미터는 DELIVERY_START, PURCHASE_DECISION, "
         "CANCELED 중 하나여야 합니다."},
        {"POST", "/payco/orders/status/imp_none", JSON, "{\"status\":\"CANCELED\"}", false, 200, -1,
         NOTHING},
        {"POST", "/payco/orders/status/imp_kakao", FORM, "status=DELIVERY_START", false, 200, 1,
         "PAYCO 결제건이 아닙니다."},
        {"POST", "/payco/orders/status/imp_payco", JSON, "{\"status\":\"CANCELED\"}", true, 200, -1,
         "impmock은 PAYCO(payco) " EMULATED},
    };
    RUN(calls);
}

static void test_benepia(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"POST", "/benepia/point", JSON, "{\"benepia_password\":\"x\",\"channel_key\":\"ck-kcp\"}",
         false, 200, -1, "benepia_user 파라미터는 필수입니다."},
        {"POST", "/benepia/point", JSON, "{" BENEPIA "\"channel_key\":\"\"}", false, 200, -1,
         "channel_key 파라미터는 비어 있을 수 없습니다."},
        {"POST", "/benepia/point", JSON, "{" BENEPIA "\"channel_key\":\"ck-kakao\"}", false, 500,
         -1, "베네피아 포인트 사용정보를 찾을 수 없습니다."},
        {"POST", "/benepia/point", JSON, "{" BENEPIA "\"channel_key\":\"ck-kcp\"}", true, 200, -1,
         "impmock은 베네피아 포인트(kcp) " EMULATED},
        {"POST", "/benepia/payment", JSON, "{" BENEPIA "\"channel_key\":\"ck-kakao\"}", false, 200,
         -1, "merchant_uid 파라미터는 필수입니다."},
        {"POST", "/benepia/payment", JSON,
         "{" BENEPIA_PAY "\"channel_key\":\"ck-kakao\",\"buyer_postcode\":\"123456789\"}", false,
         200, -1, "buyer_postcode 파라미터는 최대 8자까지 지정할 수 있습니다."},
        {"POST", "/benepia/payment", JSON,
         "{" BENEPIA "\"merchant_uid\":\"bp-1\",\"amount\":5000,\"channel_key\":\"ck-kakao\","
         "\"name\":\"가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카"
         "타파하\"}",
         false, 200, -1, "name 파라미터는 최대 40자까지 지정할 수 있습니다."},
        /* 40 Korean characters are 120 bytes and still fit */
        {"POST", "/benepia/payment", JSON,
         "{" BENEPIA "\"merchant_uid\":\"bp-1\",\"amount\":5000,\"channel_key\":\"ck-kakao\","
         "\"name\":\"가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차가나다라마바사아"
         "자차\"}",
         false, 500, -1, "베네피아 포인트 사용정보를 찾을 수 없습니다."},
        {"POST", "/benepia/payment", JSON,
         "{" BENEPIA_PAY "\"channel_key\":\"ck-kakao\",\"notice_url\":[\"mailto:x\"]}", false, 200,
         -1, "notice_url 파라미터는 http:// 또는 https:// URL(또는 그 배열)이어야 합니다."},
        {"POST", "/benepia/payment", JSON,
         "{" BENEPIA_PAY "\"channel_key\":\"ck-kakao\",\"notice_url\":[\"https://a.example/h\"],"
         "\"custom_data\":{\"k\":1}}",
         false, 500, -1, "베네피아 포인트 사용정보를 찾을 수 없습니다."},
        {"POST", "/benepia/payment", JSON, "{" BENEPIA_PAY "\"channel_key\":\"ck-kcp\"}", true, 200,
         -1, "impmock은 베네피아 포인트(kcp) " EMULATED},
    };
    RUN(calls);
}

static void test_cvs(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"POST", "/cvs", JSON, "{\"merchant_uid\":\"cv-1\",\"amount\":1000}", false, 200, -1,
         "channel_key 파라미터는 필수입니다."},
        {"POST", "/cvs", JSON, "{\"channel_key\":\"ck-kakao\",\"merchant_uid\":\"cv-1\"}", false,
         200, -1, "amount 파라미터는 필수입니다."},
        {"POST", "/cvs", JSON,
         "{\"channel_key\":\"ck-kakao\",\"merchant_uid\":\"cv-1\",\"amount\":1000,"
         "\"expired_at\":\"tomorrow\"}",
         false, 200, -1, "expired_at 파라미터는 숫자여야 합니다."},
        {"POST", "/cvs", FORM, "channel_key=ck-kakao&merchant_uid=cv-1&amount=1000&barcode=1122",
         false, 200, 1, "편의점결제 사용정보를 찾을 수 없습니다."},
        {"POST", "/cvs", JSON,
         "{\"channel_key\":\"ck-cvs\",\"merchant_uid\":\"cv-1\",\"amount\":1}", true, 200, -1,
         "impmock은 편의점결제(galaxia) " EMULATED},
        {"DELETE", "/cvs/imp_none", NULL, NULL, false, 200, -1, NOTHING},
        {"DELETE", "/cvs/imp_kakao", NULL, NULL, false, 200, 1, "편의점 결제건이 아닙니다."},
        {"DELETE", "/cvs/imp_cvs", NULL, NULL, true, 200, -1,
         "impmock은 편의점결제(galaxia) " EMULATED},
    };
    RUN(calls);
}

static void test_kcpquick(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"DELETE", "/kcpquick/members/memberID?partner_type=IX99&partner_subtype=99IX", NULL, NULL,
         false, 200, -1, "site_code 파라미터는 필수입니다."},
        {"DELETE", "/kcpquick/members/memberID?site_code=IX0XX&partner_type=IX99", NULL, NULL,
         false, 200, -1, "partner_subtype 파라미터는 필수입니다."},
        {"DELETE",
         "/kcpquick/members/memberID?site_code=IX0XX&partner_type=IX99&partner_subtype=99IX", NULL,
         NULL, false, 404, -1, "유효하지 않은 member_id"},
        {"DELETE",
         "/kcpquick/members/memberID?site_code=IX0XX&partner_type=IX99&partner_subtype=99IX", NULL,
         NULL, true, 200, -1, "impmock은 KCP 퀵페이(kcp_quick) " EMULATED},
        {"POST", "/kcpquick/payment/money", JSON,
         "{\"member_id\":\"m01234567890123456\",\"channel_key\":\"ck-quick\",\"merchant_uid\":"
         "\"q-1\",\"name\":\"충전\",\"amount\":1000}",
         false, 200, -1, "member_id 파라미터는 최대 16자까지 지정할 수 있습니다."},
        {"POST", "/kcpquick/payment/money", JSON,
         "{\"member_id\":\"m1\",\"channel_key\":\"ck-quick\",\"merchant_uid\":\"q-1\","
         "\"name\":\"충전\",\"amount\":10.5}",
         false, 200, -1, "amount 파라미터는 정수여야 합니다."},
        {"POST", "/kcpquick/payment/money", JSON,
         "{\"member_id\":\"m1\",\"channel_key\":\"ck-quick\",\"merchant_uid\":\"q-1\","
         "\"name\":\"충전\",\"amount\":1000}",
         false, 200, 1, "비인증결제모듈 사용정보를 찾을 수 없습니다."},
        {"POST", "/kcpquick/payment/money", JSON,
         "{\"member_id\":\"m1\",\"channel_key\":\"ck-quick\",\"merchant_uid\":\"q-1\","
         "\"name\":\"충전\",\"amount\":1000}",
         true, 200, -1, "impmock은 KCP 퀵페이(kcp_quick) " EMULATED},
    };
    RUN(calls);
}

/* ---- partners, Paymentwall ---- */

#define LINE(amount)                                                                               \
    "{\"business_registration_number\":\"123-45-67890\",\"company_name\":\"하위상점\","        \
    "\"amount\":" amount "}"

static void test_partners(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"POST", "/partners/receipts/imp_kakao", JSON, "{}", false, 400, -1,
         "data 파라미터는 필수입니다."},
        {"POST", "/partners/receipts/imp_kakao", JSON, "{\"data\":[]}", false, 400, -1,
         "data 파라미터에는 1개 이상의 항목이 필요합니다."},
        {"POST", "/partners/receipts/imp_kakao", JSON, "{\"data\":\"x\"}", false, 400, -1,
         "data 파라미터는 객체의 배열이어야 합니다."},
        {"POST", "/partners/receipts/imp_kakao", JSON,
         "{\"data\":[" LINE("1000") ",{\"business_registration_number\":\"1\",\"amount\":1}]}",
         false, 400, -1, "data[1]: company_name 파라미터는 필수입니다."},
        {"POST", "/partners/receipts/imp_none", JSON, "{\"data\":[" LINE("3000") "]}", false, 404,
         -1, NOTHING},
        {"POST", "/partners/receipts/imp_kakao", JSON, "{\"data\":[" LINE("3000") "]}", false, 501,
         -1, "지원하지 않는 PG사입니다."},
        {"POST", "/partners/receipts/imp_inicis_r", JSON, "{\"data\":[" LINE("3000") "]}", true,
         400, 1, "결제가 승인된 거래건이 아닙니다."},
        {"POST", "/partners/receipts/imp_inicis", JSON,
         "{\"data\":[" LINE("1000") "," LINE("1000") "]}", true, 400, 1,
         "하위 상점 거래 금액의 합(2000원)이 결제금액과 일치하지 않습니다."},
        {"POST", "/partners/receipts/imp_inicis", FORM,
         "data[0][business_registration_number]=123-45-67890&data[0][company_name]=A&"
         "data[0][amount]=1000&data[1][business_registration_number]=2&data[1][company_name]=B&"
         "data[1][amount]=2000",
         true, 200, -1, "impmock은 KG이니시스 하위 상점 거래 등록(html5_inicis) " EMULATED},
    };
    RUN(calls);
}

#define PW                                                                                         \
    "\"type\":\"digital\",\"status\":\"delivered\",\"estimated_delivery_datetime\":1704067200,"    \
    "\"estimated_update_datetime\":1704067200,\"refundable\":\"yes\","                             \
    "\"shipping_address_email\":\"buyer@example.com\""

static void test_paymentwall(void **state)
{
    (void)state;
    static const struct call calls[] = {
        {"POST", "/paymentwall/delivery", JSON, "{\"merchant_uid\":\"order-kakao\"," PW "}", false,
         200, -1, "imp_uid 파라미터는 필수입니다."},
        {"POST", "/paymentwall/delivery", JSON,
         "{\"imp_uid\":\"imp_kakao\",\"merchant_uid\":\"order-kakao\",\"type\":\"gift\"}", false,
         200, -1, "type 파라미터는 physical, digital 중 하나여야 합니다."},
        {"POST", "/paymentwall/delivery", JSON,
         "{\"imp_uid\":\"imp_kakao\",\"merchant_uid\":\"order-kakao\",\"type\":\"digital\","
         "\"status\":\"delivered\",\"estimated_delivery_datetime\":1,"
         "\"estimated_update_datetime\":1,\"refundable\":\"maybe\","
         "\"shipping_address_email\":\"b@example.com\"}",
         false, 200, -1, "refundable 파라미터는 yes, no 중 하나여야 합니다."},
        {"POST", "/paymentwall/delivery", JSON,
         "{\"imp_uid\":\"imp_kakao\",\"merchant_uid\":\"order-kakao\",\"type\":\"physical\","
         "\"status\":\"order_shipped\",\"estimated_delivery_datetime\":1,"
         "\"estimated_update_datetime\":1,\"refundable\":\"no\","
         "\"shipping_address_email\":\"b@example.com\"}",
         false, 200, -1, "type이 physical인 경우 carrier_tracking_id 파라미터는 필수입니다."},
        {"POST", "/paymentwall/delivery", JSON,
         "{\"imp_uid\":\"imp_none\",\"merchant_uid\":\"order-kakao\"," PW "}", false, 200, -1,
         NOTHING},
        {"POST", "/paymentwall/delivery", JSON,
         "{\"imp_uid\":\"imp_kakao\",\"merchant_uid\":\"order-other\"," PW "}", false, 200, -1,
         NOTHING},
        {"POST", "/paymentwall/delivery", JSON,
         "{\"imp_uid\":\"imp_kakao\",\"merchant_uid\":\"order-kakao\"," PW "}", false, 200, 1,
         "페이먼트월 결제건이 아닙니다."},
        {"POST", "/paymentwall/delivery", JSON,
         "{\"imp_uid\":\"imp_pw\",\"merchant_uid\":\"pw-order\"," PW "}", true, 200, -1,
         "impmock은 페이먼트월(paymentwall) " EMULATED},
    };
    RUN(calls);
}

/* Every operation of the families wants a token. */
static void test_unauthorized(void **state)
{
    struct ctx *c = *state;
    static const char *const ops[][2] = {
        {"POST", "/payments/imp_kakao/naver/cancel"},
        {"POST", "/payments/imp_kakao/naver/approve-cancel"},
        {"POST", "/payments/imp_kakao/naver/place"},
        {"POST", "/payments/imp_kakao/naver/ship"},
        {"POST", "/payments/imp_kakao/naver/ship-exchanged"},
        {"POST", "/payments/imp_kakao/naver/collect-exchanged"},
        {"POST", "/payments/imp_kakao/naver/request-return"},
        {"POST", "/payments/imp_kakao/naver/approve-return"},
        {"POST", "/payments/imp_kakao/naver/reject-return"},
        {"POST", "/payments/imp_kakao/naver/withhold-return"},
        {"POST", "/payments/imp_kakao/naver/resolve-return"},
        {"GET", "/payments/imp_kakao/naver/product-orders"},
        {"POST", "/payments/imp_kakao/naver/point"},
        {"POST", "/payments/imp_kakao/naver/confirm"},
        {"GET", "/payments/imp_kakao/naver/cash-amount"},
        {"GET", "/naver/product-orders/1"},
        {"GET", "/naver/reviews"},
        {"POST", "/payco/orders/status/imp_kakao"},
        {"POST", "/benepia/point"},
        {"POST", "/benepia/payment"},
        {"POST", "/cvs"},
        {"DELETE", "/cvs/imp_kakao"},
        {"DELETE", "/kcpquick/members/m"},
        {"POST", "/kcpquick/payment/money"},
        {"POST", "/partners/receipts/imp_kakao"},
        {"POST", "/paymentwall/delivery"},
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        struct http_res r;
        http_do(&c->m, ops[i][0], ops[i][1], JSON, "{}", NULL, &r);
        if (r.status != 401 || env_code(&r) != -1 || strcmp(env_message(&r), "Unauthorized"))
            fail_msg("%s %s without a token: %ld %s", ops[i][0], ops[i][1], r.status, r.body);
        http_res_free(&r);
    }
}

/* Nothing an answer says was done: the payments are as they were. */
static void test_nothing_changed(void **state)
{
    struct ctx *c = *state;
    struct http_res r;
    http_do(&c->m, "GET", "/payments/imp_cvs", NULL, NULL, c->token_p, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "status"), "ready");
    http_res_free(&r);
    http_do(&c->m, "GET", "/payments/imp_kakao", NULL, NULL, c->m.token, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str(env_response(&r), "status"), "paid");
    assert_true(json_num(env_response(&r), "cancel_amount") == 0);
    http_res_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_naver_order_fields),
        cmocka_unit_test(test_naver_order_payments),
        cmocka_unit_test(test_naver_reviews),
        cmocka_unit_test(test_naverpay),
        cmocka_unit_test(test_payco),
        cmocka_unit_test(test_benepia),
        cmocka_unit_test(test_cvs),
        cmocka_unit_test(test_kcpquick),
        cmocka_unit_test(test_partners),
        cmocka_unit_test(test_paymentwall),
        cmocka_unit_test(test_unauthorized),
        cmocka_unit_test(test_nothing_changed),
    };
    int rc = cmocka_run_group_tests_name("unemulated", tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc;
}
