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
    X(BAD_PATH_ENCODING,   400, -1, "요청 경로가 올바른 UTF-8이 아닙니다.")                      \
    X(BODY_TOO_LARGE,      413, -1, "요청 본문이 너무 큽니다 (최대 %s 바이트).")                 \
    X(BODY_INCOMPLETE,     400, -1, "요청 본문이 Content-Length보다 짧거나 전송 형식이 잘못되었습니다.") \
    X(BAD_HTTP,            400, -1, "HTTP 요청을 해석할 수 없습니다: %s")                        \
    X(NO_ROUTE,            404, -1, "요청하신 API를 찾을 수 없습니다: %s")                       \
    X(METHOD_NOT_ALLOWED,  405, -1, "허용되지 않는 HTTP 메소드입니다: %s")                       \
    X(PAYMENT_NOT_FOUND,   404, -1, "존재하지 않는 결제정보입니다.")                             \
    X(BAD_STATUS,          400, -1, "지원되지 않는 상태값입니다.")                               \
    X(BAD_SORTING,         400, -1, "지원되지 않는 정렬방식입니다: %s")                          \
    X(BAD_PAGE,            400, -1, "%s")                                                       \
    X(BALANCE_UNSUPPORTED, 404,  1, "PAYCO 결제건에 대해서만 조회가 가능합니다.")               \
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
    X(SCHEDULE_NO_CUSTOMER, 200, 1, "등록된 고객정보가 없습니다.")                              \
    X(SCHEDULE_CARD_FAILED, 200, 1, "카드정보 확인에 실패하였습니다. %s")                        \
    X(SCHEDULE_DUPLICATE,  200,  1, "이미 예약되었거나 결제가 완료된 merchant_uid입니다: %s")     \
    X(SCHEDULE_PAST,       200,  1, "schedule_at은 현재 시각 이후여야 합니다 (merchant_uid: %s).") \
    X(SCHEDULE_NOTHING,    200,  1, "취소할 예약결제 기록이 존재하지 않습니다.")                 \
    X(SCHEDULE_NOT_FOUND,  404,  1, "예약결제 정보가 존재하지 않습니다: %s")                      \
    X(SCHEDULE_NOT_PENDING, 400, 1, "이미 실행되었거나 취소된 예약결제입니다: %s")                \
    X(SCHEDULE_NOT_FAILED, 400,  1, "결제에 실패했거나 취소된 예약결제만 다시 예약하거나 재시도할 수 있습니다: %s") \
    X(SCHEDULE_AT_PAST,    400, -1, "schedule_at은 현재 시각 이후여야 합니다.")                  \
    X(SCHEDULE_WINDOW,     400, -1, "조회기간은 최대 3개월까지 지정할 수 있습니다.")              \
    X(SCHEDULE_RANGE,      400, -1, "%s")                                                       \
    X(CHECKOUT_UNKNOWN_MERCHANT, 400, -1, "가맹점 식별코드(%s)를 찾을 수 없습니다. IMP.init()에 전달한 값을 확인해주세요.") \
    X(CHECKOUT_PG_UNSUPPORTED, 400, -1, "impmock의 결제창은 카카오페이(pg: \"kakaopay\")만 지원합니다: %s") \
    X(CHECKOUT_NO_CHANNEL, 400, -1, "가맹점에 설정되지 않은 PG입니다: %s")                          \
    X(CHECKOUT_NOT_FOUND,  404, -1, "결제창 정보를 찾을 수 없습니다. 결제를 처음부터 다시 시도해주세요.") \
    X(CHECKOUT_DONE,       200,  1, "이미 처리된 결제창입니다.")                                    \
    X(CHECKOUT_OPEN,       200,  1, "아직 결제가 끝나지 않은 결제창입니다.")                         \
    X(CHECKOUT_METHOD,     400, -1, "이 결제창에서 선택할 수 없는 결제수단 또는 할부입니다.")        \
    X(CHECKOUT_NO_AUTO,    400, -1, "이 결제창에는 자동으로 진행할 시나리오가 없습니다.")            \
    /* codes, account and legacy operations, PGs answered but not emulated (§21-§24) */          \
    X(PARAM_REFUSED,       200,  1, "%s")                                                       \
    X(PAYMENT_NOT_FOUND_200, 200, -1, "존재하지 않는 결제정보입니다.")                           \
    X(PG_NOT_EMULATED,     200, -1, "impmock은 %s 연동을 에뮬레이트하지 않아 이 요청에 답할 수 없습니다.") \
    X(CARD_CODE_NOT_FOUND, 404, -1, "코드에 해당되는 카드사정보를 찾을 수 없음")                 \
    X(BANK_CODE_NOT_FOUND, 404, -1, "코드에 해당되는 은행정보를 찾을 수 없음")                   \
    X(TIER_NOT_FOUND,      404, -1, "등록되지 않았거나 이미 삭제된 tier_code")                   \
    X(KAKAO_NO_CHANNEL,    200,  1, "카카오페이 사용정보를 찾을 수 없습니다.")                   \
    X(KAKAO_UNKNOWN_CID,   200,  1, "가맹점에 등록되지 않은 카카오페이 CID입니다: %s")           \
    X(NAVERCO_OTHER_PG,    404,  1, "네이버페이 주문형 결제건이 아닙니다.")                      \
    X(NAVERPAY_OTHER_PG,   404,  1, "네이버페이 결제형 결제건이 아닙니다.")                      \
    X(NAVER_CASH_NOT_FOUND, 400, -1, "존재하지 않는 결제정보입니다.")                            \
    X(NAVER_CASH_OTHER_PG, 400,  1, "네이버페이 결제형 결제건이 아닙니다.")                      \
    X(NAVER_ORDER_NOT_FOUND, 404, -1, "존재하지 않는 네이버페이 상품주문입니다.")                 \
    X(NAVER_NO_CHANNEL,    500, -1, "네이버페이 주문형 채널을 찾을 수 없습니다.")                \
    X(PAYCO_OTHER_PG,      200,  1, "PAYCO 결제건이 아닙니다.")                                  \
    X(BENEPIA_NO_CONTRACT, 500, -1, "베네피아 포인트 사용정보를 찾을 수 없습니다.")              \
    X(CVS_OTHER_PG,        200,  1, "편의점 결제건이 아닙니다.")                                 \
    X(CVS_NO_CONTRACT,     200,  1, "편의점결제 사용정보를 찾을 수 없습니다.")                   \
    X(KCPQUICK_MEMBER_NOT_FOUND, 404, -1, "유효하지 않은 member_id")                             \
    X(PARTNERS_UNSUPPORTED, 501, -1, "지원하지 않는 PG사입니다.")                                \
    X(PARTNERS_NOT_PAID,   400,  1, "결제가 승인된 거래건이 아닙니다.")                          \
    X(PARTNERS_AMOUNT,     400,  1, "하위 상점 거래 금액의 합(%s원)이 결제금액과 일치하지 않습니다.") \
    X(PAYMENTWALL_OTHER_PG, 200, 1, "페이먼트월 결제건이 아닙니다.")                             \
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
