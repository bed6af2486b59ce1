/*
 * errors.h - every outcome impmock can report, one line each.
 * Columns: name, HTTP status, i'mport `code`, message. A message may hold one
 * "%s" for a detail (a field name, an id). envelope.c alone turns these into
 * bytes; domain code only returns the enum.
 */
#ifndef IMPMOCK_ERRORS_H
#define IMPMOCK_ERRORS_H

/* clang-format off */
#define MOCK_ERRORS(X)                                                                          \
    X(OK,                  200,  0, NULL)                                                       \
    X(UNAUTHORIZED,        401, -1, "Unauthorized")                                             \
    X(BAD_CREDENTIALS,     401, -1, "imp_key 또는 imp_secret이 올바르지 않습니다.")              \
    X(BAD_PARAM,           400, -1, "%s")                                                       \
    X(BAD_JSON,            400, -1, "요청 본문이 올바른 JSON 객체가 아닙니다: %s")               \
    X(BAD_ENCODING,        400, -1, "요청 본문이 올바른 UTF-8이 아닙니다.")                      \
    X(BODY_TOO_LARGE,      413, -1, "요청 본문이 너무 큽니다 (최대 %s 바이트).")                 \
    X(NO_ROUTE,            404, -1, "요청하신 API를 찾을 수 없습니다: %s")                       \
    X(METHOD_NOT_ALLOWED,  405, -1, "허용되지 않는 HTTP 메소드입니다: %s")                       \
    X(PAYMENT_NOT_FOUND,   404, -1, "존재하지 않는 결제정보입니다.")                             \
    X(BAD_STATUS,          400, -1, "지원되지 않는 상태값입니다.")                               \
    X(BAD_SORTING,         400, -1, "지원되지 않는 정렬방식입니다: %s")                          \
    X(BAD_PAGE,            400, -1, "%s")                                                       \
    X(BALANCE_UNSUPPORTED, 400, -1, "금액 상세내역 조회는 PAYCO 결제건만 지원합니다.")           \
    X(PREPARE_NOT_FOUND,   404, -1, "사전등록된 결제정보가 존재하지 않습니다.")                  \
    X(PREPARE_EXISTS,      200,  1, "이미 사전등록된 merchant_uid입니다. 금액 변경은 PUT으로 요청해주세요.") \
    X(PREPARE_MISMATCH,    200,  1, "사전 등록된 결제 금액과 요청 금액이 일치하지 않습니다.")   \
    X(ALREADY_PAID,        200,  1, "이미 결제가 이루어진 거래건입니다.")                        \
    X(IN_PROGRESS,         200,  1, "동일한 merchant_uid로 결제가 진행중입니다.")                \
    X(CANCEL_NOT_FOUND,    200,  1, "취소할 결제건이 존재하지 않습니다.")                        \
    X(CANCEL_ALREADY,      200,  1, "이미 전액취소된 주문입니다.")                               \
    X(CANCEL_NOT_PAID,     200,  1, "결제완료 상태가 아닌 결제건은 취소할 수 없습니다.")         \
    X(CANCEL_NO_UID,       200,  1, "취소할 결제건의 imp_uid 또는 merchant_uid를 지정해주셔야합니다.") \
    X(CANCEL_OVER,         200,  1, "취소요청금액이 취소가능잔액을 초과합니다. (취소가능잔액: %s원)") \
    X(CANCEL_CHECKSUM,     200,  1, "checksum이 취소가능잔액과 일치하지 않습니다. (취소가능잔액: %s원)") \
    X(CANCEL_TAX_FREE,     200,  1, "면세 취소금액이 취소가능한 면세금액을 초과합니다. (취소가능 면세금액: %s원)") \
    X(CUSTOMER_NOT_FOUND,  404,  1, "요청하신 customer_uid(%s)로 등록된 정보를 찾을 수 없습니다.") \
    X(CUSTOMERS_NONE,      404,  1, "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.")   \
    X(CUSTOMER_UNKNOWN,    200,  1, "등록되지 않은 구매자입니다.")                               \
    X(NO_KEYIN_PG,         200,  1, "비인증결제모듈 사용정보를 찾을 수 없습니다.")               \
    X(PG_NO_API_BILLING,   200,  1, "%s는 카드정보를 이용한 빌링키 발급 및 결제를 지원하지 않습니다. 결제창(IMP.request_pay)을 이용해주세요.") \
    X(CARD_AUTH_FAILED,    200, -1, "카드정보 인증 및 빌키 발급에 실패하였습니다. %s")           \
    X(ONETIME_AUTH_FAILED, 200, -1, "카드정보 인증에 실패하였습니다. %s")                        \
    X(PG_FAILED,           200, -1, "%s")                                                       \
    X(CANCEL_TAXABLE_OVER, 200,  1, "과세 취소금액이 취소가능한 과세금액을 초과합니다. (취소가능 과세금액: %s원)") \
    X(CANCEL_CONFLICT,     200,  1, "동시에 처리중인 취소요청이 있습니다. 잠시 후 다시 시도해주세요.") \
    X(QUOTA_UNDER_MIN,     200, -1, "할부거래는 50,000원 이상 결제건만 가능합니다.")              \
    X(INTERNAL,            500, -1, "서버 내부 오류가 발생했습니다.")
/* clang-format on */

enum mock_err {
#define X(name, http, code, msg) MOCK_##name,
    MOCK_ERRORS(X)
#undef X
        MOCK__COUNT
};

/* The HTTP status, i'mport code and message format of an error (never NULL but for OK). */
int mock_err_http(enum mock_err e);
int mock_err_code(enum mock_err e);
const char *mock_err_message(enum mock_err e);
const char *mock_err_name(enum mock_err e);

#endif
