/* api_pgx.c - PG-specific operations answered, not emulated (reference
 * §24.2-§24.7): PAYCO order status, benepia points, convenience-store
 * barcodes (cvs), KCP 퀵페이, sub-merchant receipts (partners), Paymentwall
 * delivery. Each checks its fields as the Swagger declares them, then
 * domain/pgx.c says what the real API answers for a payment or merchant
 * without that PG. */
#include "base/limits.h"
#include "domain/pgx.h"
#include "http/api.h"
#include "http/specs.h"

#include <stdio.h>
#include <string.h>

#define SPECS(a)      (a), (sizeof(a) / sizeof((a)[0]))
#define PARTNERS_MAX  100 /* data[] entries */
#define KCP_FIELD_MAX 80

bool api_check_fields(struct req *r, const struct field_spec *specs, size_t n)
{
    if (specs_check(&r->params, specs, n))
        return true;
    envelope_fail_params(&r->reply, &r->params);
    return false;
}

static void answer(struct req *r, enum mock_err e, const char *detail)
{
    envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
}

static void on_payment(struct req *r, enum pgx_family f, const char *imp_uid,
                       const struct pgx_check *c)
{
    char detail[PGX_DETAIL_MAX];
    answer(r, pgx_payment(r->app->store, r->tid, f, imp_uid, c, detail), detail);
}

/* The answer for the channel named by channel_key (f's no-contract error
 * unless it is a channel of f's PG). */
static void on_channel(struct req *r, enum pgx_family f)
{
    struct merchant m;
    char detail[PGX_DETAIL_MAX];
    if (!store_tenant_merchant(r->app->store, r->tid, &m)) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    answer(r, pgx_channel(&m, f, specs_str(&r->params, "channel_key"), detail), detail);
}

/* clang-format off */
static const char *const payco_statuses[] = {"DELIVERY_START", "PURCHASE_DECISION", "CANCELED",
                                             NULL};
static const char *const pw_types[] = {"physical", "digital", NULL};
static const char *const pw_statuses[] = {"order_placed", "order_shipped", "delivering",
                                          "delivered", NULL};
static const char *const yes_no[] = {"yes", "no", NULL};

#define CHANNEL_KEY {.name = "channel_key", .kind = FIELD_STR, .required = true, .max = CHANNEL_KEY_MAX}
#define MERCHANT_UID {.name = "merchant_uid", .kind = FIELD_STR, .required = true, .max = MERCHANT_UID_MAX}
#define BUYER_FIELDS                                                                               \
    {.name = "buyer_name", .kind = FIELD_STR, .max = 16},                                          \
    {.name = "buyer_email", .kind = FIELD_STR, .max = 64},                                         \
    {.name = "buyer_tel", .kind = FIELD_STR, .max = 16},                                           \
    {.name = "buyer_addr", .kind = FIELD_STR, .max = 128},                                         \
    {.name = "buyer_postcode", .kind = FIELD_STR, .max = 8}
#define BENEPIA_LOGIN                                                                              \
    {.name = "benepia_user", .kind = FIELD_STR, .required = true, .max = 100},                     \
    {.name = "benepia_password", .kind = FIELD_STR, .required = true, .max = 100}

static const struct field_spec payco_fields[] = {
    {.name = "status", .kind = FIELD_ENUM, .required = true, .values = payco_statuses}};
static const struct field_spec benepia_point_fields[] = {BENEPIA_LOGIN, CHANNEL_KEY};
static const struct field_spec benepia_payment_fields[] = {
    BENEPIA_LOGIN,
    {.name = "benepia_member_code", .kind = FIELD_STR, .max = 100},
    MERCHANT_UID,
    {.name = "amount", .kind = FIELD_AMOUNT, .required = true},
    {.name = "name", .kind = FIELD_STR, .required = true, .max = 40},
    BUYER_FIELDS,
    CHANNEL_KEY,
    {.name = "notice_url", .kind = FIELD_URLS},
    {.name = "custom_data", .kind = FIELD_ANY, .max = CUSTOM_DATA_MAX}};
static const struct field_spec cvs_fields[] = {
    CHANNEL_KEY,
    MERCHANT_UID,
    {.name = "amount", .kind = FIELD_AMOUNT, .required = true},
    {.name = "barcode", .kind = FIELD_STR, .max = 100},
    {.name = "expired_at", .kind = FIELD_INT, .min = 0, .imax = TIME_MAX},
    {.name = "name", .kind = FIELD_STR, .max = 40},
    BUYER_FIELDS,
    {.name = "confirm_url", .kind = FIELD_URLS, .max = 1},
    {.name = "notice_url", .kind = FIELD_URLS},
    {.name = "custom_data", .kind = FIELD_ANY, .max = CUSTOM_DATA_MAX}};
static const struct field_spec kcp_member_fields[] = {
    {.name = "site_code", .kind = FIELD_STR, .required = true, .max = KCP_FIELD_MAX},
    {.name = "partner_type", .kind = FIELD_STR, .required = true, .max = KCP_FIELD_MAX},
    {.name = "partner_subtype", .kind = FIELD_STR, .required = true, .max = KCP_FIELD_MAX}};
static const struct field_spec kcp_money_fields[] = {
    {.name = "member_id", .kind = FIELD_STR, .required = true, .max = 16},
    CHANNEL_KEY,
    MERCHANT_UID,
    {.name = "name", .kind = FIELD_STR, .required = true, .max = 40},
    {.name = "amount", .kind = FIELD_INT, .required = true, .min = 0, .imax = 9007199254740991LL},
    {.name = "notice_url", .kind = FIELD_URLS, .max = 1}};
static const struct field_spec partner_fields[] = {
    {.name = "business_registration_number", .kind = FIELD_STR, .required = true, .max = 20},
    {.name = "company_name", .kind = FIELD_STR, .required = true, .max = 100},
    {.name = "amount", .kind = FIELD_AMOUNT, .required = true},
    {.name = "tax_free", .kind = FIELD_AMOUNT},
    {.name = "vat_amount", .kind = FIELD_AMOUNT}};
static const struct field_spec paymentwall_fields[] = {
    {.name = "imp_uid", .kind = FIELD_STR, .required = true, .max = 40},
    {.name = "merchant_uid", .kind = FIELD_STR, .required = true, .max = 40},
    {.name = "type", .kind = FIELD_ENUM, .required = true, .values = pw_types},
    {.name = "status", .kind = FIELD_ENUM, .required = true, .values = pw_statuses},
    {.name = "carrier_tracking_id", .kind = FIELD_STR, .max = 64},
    {.name = "carrier_type", .kind = FIELD_STR, .max = 64},
    {.name = "estimated_delivery_datetime", .kind = FIELD_INT, .required = true, .min = 0, .imax = TIME_MAX},
    {.name = "estimated_update_datetime", .kind = FIELD_INT, .required = true, .min = 0, .imax = TIME_MAX},
    {.name = "reason", .kind = FIELD_STR, .max = 64},
    {.name = "refundable", .kind = FIELD_ENUM, .required = true, .values = yes_no},
    {.name = "details", .kind = FIELD_STR, .max = 400},
    {.name = "shipping_address_email", .kind = FIELD_STR, .required = true, .max = 50},
    {.name = "shipping_address_country", .kind = FIELD_STR, .max = 40},
    {.name = "shipping_address_city", .kind = FIELD_STR, .max = 40},
    {.name = "shipping_address_zip", .kind = FIELD_STR, .max = 40},
    {.name = "shipping_address_state", .kind = FIELD_STR, .max = 40},
    {.name = "shipping_address_street", .kind = FIELD_STR, .max = 40},
    {.name = "shipping_address_phone", .kind = FIELD_STR, .max = 40},
    {.name = "shipping_address_firstname", .kind = FIELD_STR, .max = 40},
    {.name = "shipping_address_lastname", .kind = FIELD_STR, .max = 40}};
/* what a physical delivery must name besides (the Swagger: "physical 주문인 경우 필수") */
static const char *const physical_fields[] = {
    "carrier_tracking_id", "carrier_type", "shipping_address_country", "shipping_address_city",
    "shipping_address_zip", "shipping_address_state", "shipping_address_street",
    "shipping_address_phone", "shipping_address_firstname", "shipping_address_lastname", NULL};
/* clang-format on */

void api_payco_status(struct req *r)
{
    if (api_check_fields(r, SPECS(payco_fields)))
        on_payment(r, PGX_PAYCO, r->args[0], NULL);
}

void api_benepia_point(struct req *r)
{
    if (api_check_fields(r, SPECS(benepia_point_fields)))
        on_channel(r, PGX_BENEPIA);
}

void api_benepia_payment(struct req *r)
{
    if (api_check_fields(r, SPECS(benepia_payment_fields)))
        on_channel(r, PGX_BENEPIA);
}

void api_cvs_issue(struct req *r)
{
    if (api_check_fields(r, SPECS(cvs_fields)))
        on_channel(r, PGX_CVS);
}

void api_cvs_revoke(struct req *r)
{
    on_payment(r, PGX_CVS, r->args[0], NULL);
}

void api_kcpquick_member_delete(struct req *r)
{
    struct merchant m;
    char detail[PGX_DETAIL_MAX];
    if (!api_check_fields(r, SPECS(kcp_member_fields)))
        return;
    if (!store_tenant_merchant(r->app->store, r->tid, &m)) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    answer(r, pgx_merchant(&m, PGX_KCPQUICK_MEMBER, detail), detail);
}

void api_kcpquick_money(struct req *r)
{
    if (api_check_fields(r, SPECS(kcp_money_fields)))
        on_channel(r, PGX_KCPQUICK_MONEY);
}

/* data: an array (or a form's data[i][...] object) of sub-merchant lines;
 * *ret_sum is the sum of their amounts. Renders the refusal; false then. */
static bool read_partner_lines(struct req *r, int64_t *ret_sum)
{
    const cJSON *list = param_item(&r->params, "data", NULL);
    const cJSON *e;
    size_t n = 0;
    *ret_sum = 0;
    if (!list) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM, "data 파라미터는 필수입니다.");
        return false;
    }
    if (!cJSON_IsArray(list) && !cJSON_IsObject(list)) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM, "data 파라미터는 객체의 배열이어야 합니다.");
        return false;
    }
    cJSON_ArrayForEach(e, list)
    {
        if (cJSON_IsNull(e))
            continue; /* a sparse form index */
        struct params p = {.body = e, .body_is_form = r->params.body_is_form};
        int64_t amount = 0;
        char where[32], problem[512] = "";
        snprintf(where, sizeof where, "data[%zu]", n);
        if (n == PARTNERS_MAX) {
            const char *args[] = {"data", "100"};
            envelope_fail_args(&r->reply, MOCK_PARAM_TOO_MANY, args, 2);
            return false;
        }
        if (!cJSON_IsObject(e)) {
            envelope_fail(&r->reply, MOCK_PARAM_NOT_OBJECT, where);
            return false;
        }
        if (!specs_check(&p, SPECS(partner_fields)) ||
            !param_amount(&p, "amount", true, &amount, NULL)) {
            param_message(&p, problem, sizeof problem);
            const char *args[] = {where, problem};
            envelope_fail_args(&r->reply, MOCK_PARAM_IN_ITEM, args, 2);
            return false;
        }
        *ret_sum += amount;
        n++;
    }
    if (n == 0) {
        envelope_fail(&r->reply, MOCK_BAD_PARAM, "data 파라미터에는 1개 이상의 항목이 필요합니다.");
        return false;
    }
    return true;
}

void api_partners_receipt(struct req *r)
{
    struct pgx_check c = {.sum_given = true, .must_be_paid = true};
    if (read_partner_lines(r, &c.amount_sum))
        on_payment(r, PGX_PARTNERS, r->args[0], &c);
}

void api_paymentwall_delivery(struct req *r)
{
    if (!api_check_fields(r, SPECS(paymentwall_fields)))
        return;
    const char *type = specs_str(&r->params, "type");
    for (size_t i = 0; type && !strcmp(type, "physical") && physical_fields[i]; i++) {
        const char *v = specs_str(&r->params, physical_fields[i]);
        if (!v || !v[0]) {
            char msg[128];
            snprintf(msg, sizeof msg, "type이 physical인 경우 %s 파라미터는 필수입니다.",
                     physical_fields[i]);
            envelope_fail(&r->reply, MOCK_BAD_PARAM, msg);
            return;
        }
    }
    struct pgx_check c = {.merchant_uid = specs_str(&r->params, "merchant_uid")};
    on_payment(r, PGX_PAYMENTWALL, specs_str(&r->params, "imp_uid"), &c);
}
