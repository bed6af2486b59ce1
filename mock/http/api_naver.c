/* api_naver.c - Naver Pay 주문형 (naverco) and 결제형 (naverpay) operations
 * (reference §24.1): answered, not emulated. Each checks its fields as the
 * Swagger declares them, then domain/pgx.c says what the real API answers
 * for a payment or merchant without that PG. A refusal of a field is 400,
 * or HTTP 200 where the operation lists no 400 (routes.c). */
#include "domain/pgx.h"
#include "http/api.h"
#include "http/specs.h"

#include <stdio.h>
#include <string.h>

#define TIME_MAX     253402300799LL /* 9999-12-31, unix s */
#define NAVER_ID_MAX 100            /* product_order_id entries */

#define SPECS(a) (a), (sizeof(a) / sizeof((a)[0]))

/* clang-format off */
static const char *const cancel_reasons[] = {
    "SOLD_OUT", "DELAYED_DELIVERY", "PRODUCT_UNSATISFIED", "INTENT_CHANGED", "COLOR_AND_SIZE",
    "WRONG_ORDER", "INCORRECT_INFO", NULL};
static const char *const return_reasons[] = {
    "INTENT_CHANGED", "COLOR_AND_SIZE", "WRONG_ORDER", "PRODUCT_UNSATISFIED", "DELAYED_DELIVERY",
    "SOLD_OUT", "DROPPED_DELIVERY", "BROKEN", "INCORRECT_INFO", "WRONG_DELIVERY", "WRONG_OPTION",
    NULL};
static const char *const withhold_reasons[] = {
    "RETURN_DELIVERYFEE", "EXTRAFEEE", "RETURN_DELIVERYFEE_AND_EXTRAFEEE",
    "RETURN_PRODUCT_NOT_DELIVERED", "ETC", NULL};
static const char *const ship_methods[] = {
    "DELIVERY", "GDFW_ISSUE_SVC", "VISIT_RECEIPT", "DIRECT_DELIVERY", "QUICK_SVC", "NOTHING", NULL};
static const char *const return_methods[] = {
    "RETURN_DESIGNATED", "RETURN_DELIVERY", "RETURN_INDIVIDUAL", NULL};
static const char *const companies[] = {
    "CJGLS", "KGB", "DONGBU", "EPOST", "REGISTPOST", "HANJIN", "HYUNDAI", "KGBLS", "INNOGIS",
    "DAESIN", "ILYANG", "KDEXP", "CHUNIL", "CH1", "HDEXP", "CVSNET", "DHL", "FEDEX", "GSMNTON",
    "WARPEX", "WIZWA", "EMS", "DHLDE", "ACIEXPRESS", "EZUSA", "PANTOS", "UPS", "HLCGLOBAL",
    "KOREXG", "TNT", "SWGEXP", "DAEWOON", "USPS", "IPARCEL", "KUNYOUNG", "HPL", "DADREAM", "SLX",
    "SFEXPRESS", "HONAM", NULL};
static const char *const requesters[] = {"admin", "customer", NULL};
static const char *const review_types[] = {"general", "premium", NULL};

#define ORDER_IDS {.name = "product_order_id", .kind = FIELD_STR_LIST, .max = NAVER_ID_MAX}
#define COMPANY   {.name = "delivery_company", .kind = FIELD_ENUM, .values = companies}
#define TRACKING  {.name = "tracking_number", .kind = FIELD_STR, .max = 100}

static const struct field_spec only_ids[] = {ORDER_IDS};
static const struct field_spec cancel_fields[] = {
    ORDER_IDS, {.name = "reason", .kind = FIELD_ENUM_LAX, .values = cancel_reasons}};
static const struct field_spec ship_fields[] = {
    ORDER_IDS,
    {.name = "delivery_method", .kind = FIELD_ENUM, .required = true, .values = ship_methods},
    {.name = "dispatched_at", .kind = FIELD_INT, .required = true, .min = 0, .imax = TIME_MAX},
    COMPANY, TRACKING};
static const struct field_spec reship_fields[] = {
    ORDER_IDS,
    {.name = "delivery_method", .kind = FIELD_ENUM, .required = true, .values = ship_methods},
    COMPANY, TRACKING};
static const struct field_spec return_fields[] = {
    ORDER_IDS, {.name = "reason", .kind = FIELD_ENUM_LAX, .values = return_reasons},
    {.name = "delivery_method", .kind = FIELD_ENUM, .required = true, .values = return_methods},
    COMPANY, TRACKING};
static const struct field_spec approve_return_fields[] = {
    ORDER_IDS, {.name = "memo", .kind = FIELD_STR, .max = 2000}};
static const struct field_spec reject_return_fields[] = {
    ORDER_IDS, {.name = "memo", .kind = FIELD_STR, .required = true, .max = 2000}};
static const struct field_spec withhold_fields[] = {
    ORDER_IDS, {.name = "reason", .kind = FIELD_ENUM_LAX, .values = withhold_reasons},
    {.name = "memo", .kind = FIELD_STR, .required = true, .max = 2000},
    {.name = "extra_charge", .kind = FIELD_INT, .min = 0, .imax = 9007199254740991LL}};
static const struct field_spec confirm_fields[] = {
    {.name = "requester", .kind = FIELD_ENUM, .values = requesters}};
static const struct field_spec review_fields[] = {
    {.name = "channel_key", .kind = FIELD_STR, .required = true, .max = CHANNEL_KEY_MAX},
    {.name = "from", .kind = FIELD_INT, .required = true, .min = 0, .imax = TIME_MAX},
    {.name = "to", .kind = FIELD_INT, .required = true, .min = 0, .imax = TIME_MAX},
    {.name = "review_type", .kind = FIELD_ENUM, .required = true, .values = review_types}};
/* clang-format on */

/* delivery_company and tracking_number, required when delivery_method is `method`. */
static bool carrier_given(struct req *r, const char *method)
{
    const char *m = specs_str(&r->params, "delivery_method");
    if (!m || strcmp(m, method) != 0)
        return true;
    const char *company = specs_str(&r->params, "delivery_company");
    const char *tracking = specs_str(&r->params, "tracking_number");
    if (company && company[0] && tracking && tracking[0])
        return true;
    return param_fail1(&r->params, MOCK_NAVER_CARRIER_REQUIRED, method);
}

/* The answer for the 주문형 payment in the path once its fields passed. */
static void on_payment(struct req *r, enum pgx_family f)
{
    char detail[PGX_DETAIL_MAX];
    enum mock_err e = pgx_payment(r->app->store, r->tid, f, r->args[0], NULL, detail);
    envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
}

static void order_op(struct req *r, const struct field_spec *specs, size_t n)
{
    if (api_check_fields(r, specs, n))
        on_payment(r, PGX_NAVERCO);
}

void api_naver_cancel(struct req *r)
{
    order_op(r, SPECS(cancel_fields));
}

void api_naver_approve_cancel(struct req *r)
{
    order_op(r, SPECS(only_ids));
}

void api_naver_place(struct req *r)
{
    order_op(r, SPECS(only_ids));
}

void api_naver_ship(struct req *r)
{
    if (!api_check_fields(r, SPECS(ship_fields)))
        return;
    if (!carrier_given(r, "DELIVERY")) {
        api_bad_param(r);
        return;
    }
    on_payment(r, PGX_NAVERCO);
}

void api_naver_ship_exchanged(struct req *r)
{
    if (!api_check_fields(r, SPECS(reship_fields)))
        return;
    if (!carrier_given(r, "DELIVERY")) {
        api_bad_param(r);
        return;
    }
    on_payment(r, PGX_NAVERCO);
}

void api_naver_collect_exchanged(struct req *r)
{
    order_op(r, SPECS(only_ids));
}

void api_naver_request_return(struct req *r)
{
    if (!api_check_fields(r, SPECS(return_fields)))
        return;
    if (!carrier_given(r, "RETURN_DELIVERY")) {
        api_bad_param(r);
        return;
    }
    on_payment(r, PGX_NAVERCO);
}

void api_naver_approve_return(struct req *r)
{
    order_op(r, SPECS(approve_return_fields));
}

void api_naver_reject_return(struct req *r)
{
    order_op(r, SPECS(reject_return_fields));
}

void api_naver_withhold_return(struct req *r)
{
    order_op(r, SPECS(withhold_fields));
}

void api_naver_resolve_return(struct req *r)
{
    order_op(r, SPECS(only_ids));
}

void api_naver_product_orders(struct req *r)
{
    on_payment(r, PGX_NAVERCO);
}

void api_naver_product_order(struct req *r)
{
    struct merchant m;
    char detail[PGX_DETAIL_MAX];
    if (!store_tenant_merchant(r->app->store, r->tid, &m)) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    enum mock_err e = pgx_merchant(&m, PGX_NAVERCO_ORDER, detail);
    envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
}

void api_naver_reviews(struct req *r)
{
    struct merchant m;
    char detail[PGX_DETAIL_MAX];
    int64_t from = 0, to = 0;
    if (!api_check_fields(r, SPECS(review_fields)))
        return;
    param_int(&r->params, "from", 0, TIME_MAX, true, &from, NULL);
    param_int(&r->params, "to", 0, TIME_MAX, true, &to, NULL);
    if (from > to) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM, "from 파라미터는 to보다 클 수 없습니다.");
        return;
    }
    if (!store_tenant_merchant(r->app->store, r->tid, &m)) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    enum mock_err e = pgx_channel(&m, PGX_NAVERCO, specs_str(&r->params, "channel_key"), detail);
    envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
}

void api_naver_point(struct req *r)
{
    on_payment(r, PGX_NAVERPAY);
}

void api_naver_confirm(struct req *r)
{
    if (api_check_fields(r, SPECS(confirm_fields)))
        on_payment(r, PGX_NAVERPAY);
}

void api_naver_cash_amount(struct req *r)
{
    on_payment(r, PGX_NAVERPAY_CASH);
}
