/*
 * errors.h - every outcome impmock can report, one line each.
 * Columns: name, HTTP status, i'mport `code`, message. A message may hold
 * "%s"s for details (a field name, a limit, an id), filled in order by
 * mock_err_format. envelope.c alone turns these into bytes; domain code only
 * returns the enum (and the details' text).
 * The HTTP status is the one the refusal has where the operation lists it;
 * where it does not, the server answers HTTP 200 with the same code and
 * message (http/routes.c, reference §16.0), so no row exists only to carry
 * another row's message at 200. Every row but OK has a code other than 0.
 */
#ifndef IMPMOCK_ERRORS_H
#define IMPMOCK_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

/* Bad parameters: 400, code -1; the first "%s" is the field when there is
 * one. The payment window names each of them BAD_PARAM to the page
 * (docs/decisions.md, error_code). BAD_PARAM itself is left for texts built
 * elsewhere: the form and query parser's. */
/* clang-format off */
#define MOCK_PARAM_ERRORS(X)                                                                    \
    X(PARAM_REQUIRED,      400, -1, "%s 파라미터는 필수입니다.")                                 \
    X(PARAM_EMPTY,         400, -1, "%s 파라미터는 비어 있을 수 없습니다.")                      \
    X(PARAM_NOT_STRING,    400, -1, "%s 파라미터는 문자열이어야 합니다.")                        \
    X(PARAM_TOO_LONG,      400, -1, "%s 파라미터가 너무 깁니다 (최대 %s바이트).")                \
    X(PARAM_TOO_MANY_CHARS, 400, -1, "%s 파라미터는 최대 %s자까지 지정할 수 있습니다.")          \
    X(PARAM_NOT_IN_ENUM,   400, -1, "%s 파라미터는 %s 중 하나여야 합니다.")                     \
    X(PARAM_BAD_VALUE,     400, -1, "%s 파라미터의 값이 올바르지 않습니다.")                    \
    X(PARAM_NOT_OBJECT,    400, -1, "%s 파라미터는 객체여야 합니다.")                           \
    X(PARAM_IN_ITEM,       400, -1, "%s: %s")                                                   \
    X(NAVER_CARRIER_REQUIRED, 400, -1, "delivery_method가 %s인 경우 delivery_company와 tracking_number는 필수입니다.") \
    X(PARAM_NOT_NUMBER,    400, -1, "%s 파라미터는 숫자여야 합니다.")                            \
    X(PARAM_NUMBER_AS_TEXT, 400, -1, "%s 파라미터는 숫자여야 합니다 (문자열 불가).")             \
    X(PARAM_NOT_INTEGER,   400, -1, "%s 파라미터는 정수여야 합니다.")                            \
    X(PARAM_NEGATIVE,      400, -1, "%s 파라미터는 0 이상이어야 합니다.")                        \
    X(PARAM_NOT_WHOLE_WON, 400, -1, "%s 파라미터는 원 단위 정수여야 합니다.")                    \
    X(PARAM_TOO_BIG,       400, -1, "%s 파라미터의 값이 너무 큽니다.")                           \
    X(PARAM_RANGE,         400, -1, "%s 파라미터는 %s 이상 %s 이하여야 합니다.")                 \
    X(PARAM_NOT_BOOL,      400, -1, "%s 파라미터는 true 또는 false여야 합니다.")                 \
    X(PARAM_NOT_ARRAY,     400, -1, "%s 파라미터는 배열이어야 합니다.")                          \
    X(PARAM_NOT_LIST,      400, -1, "%s 파라미터는 문자열 배열이어야 합니다.")                   \
    X(PARAM_ITEM_TOO_LONG, 400, -1, "%s 파라미터의 값이 너무 깁니다.")                           \
    X(PARAM_TOO_MANY,      400, -1, "%s 파라미터는 최대 %s개까지 지정할 수 있습니다.")           \
    X(PARAM_NOT_URL,       400, -1, "%s 파라미터는 http:// 또는 https:// URL(또는 그 배열)이어야 합니다.") \
    X(PARAM_NOT_PAGE_URL,  400, -1, "%s 파라미터는 http:// 또는 https://로 시작하는 주소여야 합니다.") \
    X(PARAM_FROM_AFTER_TO, 400, -1, "%s 파라미터는 %s보다 클 수 없습니다.")                      \
    X(ORDER_AMOUNT_ZERO,   400, -1, "amount 파라미터는 0보다 커야 합니다.")                      \
    X(ORDER_ZERO_WITHOUT_KEY, 400, -1, "amount 파라미터는 0보다 커야 합니다 (0원은 customer_uid와 함께 빌링키만 발급할 때 쓸 수 있습니다).") \
    X(ORDER_TAX_FREE_OVER, 400, -1, "tax_free 파라미터는 amount보다 클 수 없습니다.")            \
    X(ORDER_KRW_ONLY,      400, -1, "카카오페이는 원화(KRW) 결제만 지원합니다: %s")              \
    X(CARD_EXPIRY_FORMAT,  400, -1, "expiry 파라미터는 YYYY-MM 형식의 카드 유효기간이어야 합니다.") \
    X(CARD_BIRTH_FORMAT,   400, -1, "birth 파라미터는 생년월일 6자리(YYMMDD) 또는 사업자등록번호 10자리여야 합니다.") \
    X(CARD_PWD_FORMAT,     400, -1, "pwd_2digit 파라미터는 카드 비밀번호 앞 2자리 숫자여야 합니다.") \
    X(PAYMENTS_NO_ID,      400, -1, "imp_uid[] 또는 merchant_uid[] 파라미터를 1개 이상 지정해주세요.") \
    X(PAYMENTS_TOO_MANY_IDS, 400, -1, "imp_uid[]와 merchant_uid[]는 합쳐서 최대 %s개까지 지정할 수 있습니다.") \
    X(PAYMENTS_WINDOW,     400, -1, "from과 to의 간격은 최대 90일까지 지정할 수 있습니다.")      \
    X(CUSTOMER_UID_TOO_LONG, 400, -1, "customer_uid는 최대 %s바이트까지 지정할 수 있습니다.")    \
    X(CUSTOMERS_NO_UID,    400, -1, "customer_uid[] 파라미터를 1개 이상 지정해주세요.")          \
    X(SCHEDULE_ITEM,       400, -1, "schedules[%s]: %s")                                        \
    X(SCHEDULE_ITEM_NOT_OBJECT, 400, -1, "각 항목은 객체여야 합니다.")                           \
    X(SCHEDULE_ITEMS_COUNT, 400, -1, "schedules 파라미터에는 1개 이상 %s개 이하의 항목이 필요합니다.") \
    X(UNSCHEDULE_NO_TARGET, 400, -1, "customer_uid 또는 merchant_uid 파라미터를 지정해주세요.")  \
    X(CHECKOUT_KEY_CID,    400, -1, "빌링키 발급(customer_uid)은 정기결제용 CID로만 할 수 있습니다: %s") \
    X(CHECKOUT_SUBSCRIPTION_CID, 400, -1, "정기결제용 CID(%s)로 결제하려면 customer_uid를 지정해야 합니다.") \
    X(CHECKOUT_METHOD_TYPE, 400, -1, "bypass.kakaopay.payment_method_type 파라미터는 \"CARD\" 또는 \"MONEY\"여야 합니다.") \
    X(CHECKOUT_CUSTOM_MESSAGE, 400, -1, "bypass.kakaopay.custom_message 파라미터는 %s바이트 이하의 문자열이어야 합니다.") \
    X(CHECKOUT_CARD_QUOTAS, 400, -1, "display.card_quota 파라미터는 할부개월수(0~%s) %s개 이하의 배열이어야 합니다.") \
    X(CHECKOUT_PICK,       400, -1, "method 파라미터는 \"card\" 또는 \"money\"여야 합니다.")
/* clang-format on */

/* Limits on what one client can make the server hold or do (README,
 * "Hardening and performance"). ID_CONTROL_CHAR is 400 only on operations
 * whose Swagger lists 400 and HTTP 200 elsewhere (reference §16.0): the
 * server sets the status by route. */
/* clang-format off */
#define MOCK_HARDENING_ERRORS(X)                                                                \
    X(ID_CONTROL_CHAR,     400, -1, "%s에는 NUL, 줄바꿈 같은 제어 문자를 쓸 수 없습니다.")       \
    X(CANCEL_HISTORY_FULL, 200,  1, "한 결제건의 취소 내역은 최대 %s건이며, 마지막 취소는 남은 금액 전액이어야 합니다.") \
    X(TENANT_LIMIT,        200, -1, "더 이상 새 imp_key로 가맹점을 만들 수 없습니다 (최대 %s개, --max-tenants).") \
    X(BODY_TIMEOUT,        408, -1, "요청이 제한 시간(%s ms) 안에 다 도착하지 않았습니다.")      \
    X(TOO_MANY_HEADERS,    431, -1, "요청 헤더가 너무 많습니다 (최대 %s개).")
/* clang-format on */

/* clang-format off */
#define MOCK_ERRORS(X)                                                                          \
    X(OK,                  200,  0, NULL)                                                       \
    X(UNAUTHORIZED,        401, -1, "Unauthorized")                                             \
    X(BAD_CREDENTIALS,     401, -1, "imp_key 또는 imp_secret이 올바르지 않습니다.")              \
    X(BAD_PARAM,           400, -1, "%s")                                                       \
    MOCK_PARAM_ERRORS(X)                                                                        \
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
    X(BAD_PAGE,            400, -1, "page 파라미터가 범위를 벗어났습니다 (전체 %s건, 페이지당 %s건).") \
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
    X(CHECKOUT_UNKNOWN_MERCHANT, 400, -1, "가맹점 식별코드(%s)를 찾을 수 없습니다. IMP.init()에 전달한 값을 확인해주세요.") \
    X(CHECKOUT_PG_UNSUPPORTED, 400, -1, "impmock의 결제창은 카카오페이(pg: \"kakaopay\")만 지원합니다: %s") \
    X(CHECKOUT_NO_CHANNEL, 400, -1, "가맹점에 설정되지 않은 PG입니다: %s")                          \
    X(CHECKOUT_NOT_FOUND,  404, -1, "결제창 정보를 찾을 수 없습니다. 결제를 처음부터 다시 시도해주세요.") \
    X(CHECKOUT_DONE,       200,  1, "이미 처리된 결제창입니다.")                                    \
    X(CHECKOUT_OPEN,       200,  1, "아직 결제가 끝나지 않은 결제창입니다.")                         \
    X(CHECKOUT_METHOD,     400, -1, "이 결제창에서 선택할 수 없는 결제수단 또는 할부입니다.")        \
    X(CHECKOUT_NO_AUTO,    400, -1, "이 결제창에는 자동으로 진행할 시나리오가 없습니다.")            \
    X(INTERNAL,            500, -1, "서버 내부 오류가 발생했습니다.")                           \
    /* who may reach what (http/guard.c, the window key) */                                    \
    X(HOST_NOT_ALLOWED,    421, -1, "이 서버를 가리키지 않는 Host입니다: %s. 이 이름으로 접속하려면 --allowed-host(IMPMOCK_ALLOWED_HOST)에 추가하세요 (DNS 리바인딩 방지).") \
    X(CROSS_ORIGIN,        403, -1, "다른 출처(Origin: %s)의 브라우저 요청은 REST API가 받지 않습니다. 브라우저에서 호출해야 한다면 --cors-origin(IMPMOCK_CORS_ORIGIN)으로 그 출처를 허용하세요.") \
    X(CHECKOUT_KEY,        403, -1, "결제창 키(window_key)가 없거나 맞지 않습니다. 결제창과 그 창을 연 iamport.js가 보낸 요청만 받습니다.") \
    /* virtual accounts (reference §17) */                                                      \
    X(VBANK_MISSING,       200,  1, "%s 파라미터가 누락되었습니다.")                              \
    X(VBANK_UNLIMITED,     200,  1, "fixed_unlimited_vbank(무기한 고정식 가상계좌)는 impmock이 지원하지 않습니다.") \
    X(VBANK_NO_CONTRACT,   200,  1, "가상계좌 API 발급은 PG사와 별도 계약이 필요합니다. (%s)")      \
    X(VBANK_PG_REQUIRED,   200,  1, "가상계좌 API 발급이 가능한 PG가 2개 이상입니다. pg 또는 channel_key 파라미터를 지정해주세요.") \
    X(VBANK_BANK_UNKNOWN,  200,  1, "지원하지 않는 은행코드입니다: %s")                           \
    X(VBANK_DUE_PAST,      200,  1, "vbank_due는 현재 시각 이후여야 합니다.")                     \
    X(VBANK_HASH_MISMATCH, 200, -1, "hashData 불일치 오류 (pg_api_key 파라미터를 확인해주세요.)") \
    X(VBANK_NOT_VBANK,     400,  1, "가상계좌 결제건이 아닙니다.")                                \
    X(VBANK_NOT_READY,     400,  1, "입금대기(ready) 상태의 가상계좌가 아닙니다. (현재 상태: %s)") \
    X(VBANK_EXPIRED,       400,  1, "입금기한이 지난 가상계좌입니다.")                            \
    X(VBANK_EDIT_PG,       400,  1, "가상계좌 정보 변경은 settle 가상계좌만 지원합니다: %s")       \
    X(VBANK_EDIT_TAX_FREE, 400,  1, "면세금액이 있는 가상계좌는 변경할 수 없습니다.")              \
    X(VBANK_DEPOSIT_AMOUNT, 400, 1, "입금액이 가상계좌 발급금액과 일치하지 않습니다. (발급금액: %s원)") \
    X(VBANK_HOLDER_NOT_FOUND, 404, -1, "계좌정보 조회 실패")                                     \
    X(VBANK_REFUND_ACCOUNT, 200, 1, "환불계좌 정보를 입력해주세요.") \
    /* cash receipts, certifications, escrow logistics (reference §18-§20;  \
     * texts the reference does not give: docs/decisions.md) */            \
    X(RECEIPT_PG_UNSUPPORTED, 501, -1, "현금영수증 발급을 지원하지 않는 PG사입니다.")            \
    X(RECEIPT_NOT_PAID,    400,  1, "결제완료(paid) 상태가 아닌 결제건에는 현금영수증을 발행할 수 없습니다.") \
    X(RECEIPT_NOT_CASH,    200,  1, "현금성 거래(가상계좌, 계좌이체)에만 현금영수증을 발행할 수 있습니다.") \
    X(RECEIPT_EXISTS,      400,  1, "이미 현금영수증이 발급된 거래입니다.")                      \
    X(RECEIPT_NOT_FOUND,   404, -1, "해당 아임포트 고유 번호(%s)로 현금영수증을 발급 한 내역이 존재하지 않습니다.") \
    X(RECEIPT_NOT_ISSUED,  400, -1, "해당 아임포트 고유 번호(%s)로 현금영수증을 발급 한 내역이 존재하지 않습니다.") \
    X(RECEIPT_REVOKED,     200,  1, "이미 발급취소된 현금영수증입니다.")                         \
    X(RECEIPT_TAX_FREE_OVER, 400, -1, "tax_free 파라미터는 현금영수증 발행금액(%s원)보다 클 수 없습니다.") \
    X(RECEIPT_VAT_OVER,    400, -1, "부가세(vat_amount)는 과세금액(%s원)보다 클 수 없습니다.")   \
    X(RECEIPT_BAD_IDENTIFIER, 400, -1, "identifier 파라미터는 휴대폰번호, 주민등록번호, 사업자등록번호 또는 현금영수증카드 번호(숫자 10~19자리)여야 합니다.") \
    X(RECEIPT_NO_TAXCARD,  400, -1, "nice_v2는 현금영수증카드 번호(identifier_type: taxcard)로 현금영수증을 발급할 수 없습니다.") \
    X(RECEIPT_IDENTIFIER_REFUSED, 500, -1, "현금영수증 발급에 실패하였습니다. 국세청에 등록되지 않은 식별정보입니다.") \
    X(RECEIPT_PG_FAILED,   500, -1, "%s")                                                       \
    X(RECEIPT_NO_CHANNEL,  200, -1, "channel_key(%s)에 해당하는 채널을 찾을 수 없습니다.")       \
    X(EXT_RECEIPT_NOT_FOUND, 404, -1, "merchant_uid(%s)로 발행된 현금영수증이 존재하지 않습니다.") \
    X(EXT_RECEIPT_EXISTS,  400,  1, "이미 현금영수증이 발행된 merchant_uid입니다: %s")           \
    X(CERT_NOT_FOUND,      404, -1, "인증결과가 존재하지 않습니다.")                             \
    X(CERT_BAD_PHONE,      400, -1, "phone 파라미터는 휴대폰번호(숫자 10~11자리)여야 합니다.")    \
    X(CERT_BAD_BIRTH,      400, -1, "birth 파라미터는 생년월일 6자리(YYMMDD)여야 합니다.")       \
    X(CERT_BAD_GENDER_DIGIT, 400, -1, "gender_digit 파라미터는 주민등록번호 뒷자리 첫 숫자(1~8)여야 합니다.") \
    X(CERT_PG_UNSUPPORTED, 400, -1, "휴대폰 본인인증 API는 다날(danal)과 kcp_v2만 지원합니다: %s") \
    X(CERT_PERSON_REFUSED, 400,  1, "본인인증 대상자 정보가 올바르지 않습니다.")                 \
    X(CERT_ALREADY,        400,  1, "이미 본인인증이 완료된 건입니다.")                          \
    X(CERT_OTP_MISMATCH,   500, -1, "인증번호가 일치하지 않습니다.")                             \
    X(CERT_PG_FAILED,      500, -1, "%s")                                                       \
    X(ESCROW_UNSUPPORTED,  400,  1, "에스크로 배송정보 등록을 지원하지 않는 거래입니다.")        \
    X(ESCROW_NOT_PAID,     409,  1, "배송정보를 등록하거나 수정할 수 없는 거래건입니다.")        \
    X(ESCROW_LOGIS_EXISTS, 409,  1, "이미 배송정보가 등록된 거래건입니다.")                      \
    X(ESCROW_LOGIS_NONE,   409,  1, "등록된 배송정보가 존재하지 않습니다.")                      \
    X(ESCROW_BAD_RECEIVING_AT, 400, -1, "logis.receiving_at 파라미터는 YYYYMMDD 형식의 날짜여야 합니다.") \
    X(ESCROW_PG_FAILED,    500, -1, "%s") \
    /* codes, account and legacy operations, PGs answered but not emulated (§21-§24) */          \
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
    X(PAYMENTWALL_OTHER_PG, 200, 1, "페이먼트월 결제건이 아닙니다.")                        \
    /* limits on what one client can make the server hold or do */                            \
    MOCK_HARDENING_ERRORS(X)
/* clang-format on */

enum mock_err {
#define X(name, http, code, msg) MOCK_##name,
    MOCK_ERRORS(X)
#undef X
        MOCK__COUNT
};

/* The HTTP status, i'mport code and message format of an error ("" for OK). */
int mock_err_http(enum mock_err e);
int mock_err_code(enum mock_err e);
const char *mock_err_message(enum mock_err e);
const char *mock_err_name(enum mock_err e);
/* Whether e is one of MOCK_PARAM_ERRORS (or BAD_PARAM itself). */
bool mock_err_bad_param(enum mock_err e);
/* e's message with each "%s" replaced, in order, by args[0..n) (a missing
 * one by ""), into buf (cap bytes, cut short when longer; always
 * terminated). Returns the length written. */
size_t mock_err_format(enum mock_err e, const char *const *args, size_t n, char *buf, size_t cap);

#endif
