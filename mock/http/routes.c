/* routes.c - the route table: METHOD + path pattern -> handler, who may call
 * it, what scenarios see it as, what each {} names and the HTTP statuses it
 * may answer with. First match wins, so fixed segments come before {}
 * captures of the same shape. The statuses column is the Swagger's:
 * `python3 tools/route_statuses.py SWAGGER.json` checks it (--write writes it). */
#include "http/api.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MAX_SEGMENTS 16

/* clang-format off */
const struct route route_table[] = {
    {"POST",   "/users/getToken",               api_get_token,          AUTH_NONE, FACE_REST,      SCN_OP_TOKEN,   {ARG_NONE}, ST_200 | ST_401},

    {"GET",    "/payments/prepare/{}",          api_prepare_get,        AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_MERCHANT_UID}, ST_200 | ST_401 | ST_404},
    {"POST",   "/payments/prepare",             api_prepare_post,       AUTH_TOKEN, FACE_REST,     SCN_OP_PREPARE, {ARG_NONE}, ST_200 | ST_401},
    {"PUT",    "/payments/prepare",             api_prepare_put,        AUTH_TOKEN, FACE_REST,     SCN_OP_PREPARE, {ARG_NONE}, ST_200 | ST_401 | ST_404},
    {"GET",    "/payments/find/{}",             api_payment_find,       AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_MERCHANT_UID}, ST_200 | ST_401 | ST_404},
    {"GET",    "/payments/find/{}/{}",          api_payment_find,       AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_MERCHANT_UID, ARG_OTHER}, ST_200 | ST_401 | ST_404},
    {"GET",    "/payments/findAll/{}",          api_payment_find_all,   AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_MERCHANT_UID}, ST_200 | ST_400 | ST_401 | ST_404},
    {"GET",    "/payments/findAll/{}/{}",       api_payment_find_all,   AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_MERCHANT_UID, ARG_OTHER}, ST_200 | ST_400 | ST_401 | ST_404},
    {"GET",    "/payments/status/{}",           api_payments_by_status, AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_OTHER}, ST_200 | ST_400 | ST_401},
    {"GET",    "/payments/{}/balance",          api_payment_balance,    AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_IMP_UID}, ST_200 | ST_401 | ST_404 | ST_405},
    {"GET",    "/payments/{}",                  api_payment_get,        AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_IMP_UID}, ST_200 | ST_401 | ST_404},
    {"GET",    "/payments",                     api_payments_multi,     AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,  {ARG_NONE}, ST_200 | ST_207 | ST_401 | ST_404},

    {"GET",    "/__mock/health",                admin_health,           AUTH_NONE, FACE_CONTROL,   OP_NONE,        {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/clock",                 admin_clock_get,        AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"POST",   "/__mock/clock",                 admin_clock_post,       AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"POST",   "/__mock/reset",                 admin_reset,            AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/requests",              admin_requests,         AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"DELETE", "/__mock/requests",              admin_requests_delete,  AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/scenarios",             admin_scenarios_get,    AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"POST",   "/__mock/scenarios",             admin_scenarios_post,   AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"DELETE", "/__mock/scenarios",             admin_scenarios_delete, AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/export",                admin_export,           AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"POST",   "/__mock/import",                admin_import,           AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/routes",                admin_routes,           AUTH_ADMIN, FACE_CONTROL,  OP_NONE,        {ARG_NONE}, ST_ALL},

    {"POST",   "/payments/cancel",                  api_payment_cancel,    AUTH_TOKEN, FACE_REST,     SCN_OP_CANCEL,    {ARG_NONE}, ST_200 | ST_401},
    {"GET",    "/subscribe/customers/{}/payments",  api_customer_payments, AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,    {ARG_CUSTOMER_UID}, ST_200 | ST_401 | ST_404},
    {"GET",    "/subscribe/customers/{}",           api_customer_get,      AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,    {ARG_CUSTOMER_UID}, ST_200 | ST_401 | ST_404},
    {"POST",   "/subscribe/customers/{}",           api_customer_post,     AUTH_TOKEN, FACE_REST,     SCN_OP_ISSUE_KEY, {ARG_CUSTOMER_UID}, ST_200 | ST_401},
    {"DELETE", "/subscribe/customers/{}",           api_customer_delete,   AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,       {ARG_CUSTOMER_UID}, ST_200 | ST_401 | ST_404},
    {"GET",    "/subscribe/customers",              api_customers_multi,   AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,    {ARG_NONE}, ST_200 | ST_207 | ST_401 | ST_404},
    {"POST",   "/subscribe/payments/again",         api_pay_again,         AUTH_TOKEN, FACE_REST,     SCN_OP_CHARGE,    {ARG_NONE}, ST_200 | ST_401},
    {"POST",   "/subscribe/payments/onetime",       api_pay_onetime,       AUTH_TOKEN, FACE_REST,     SCN_OP_CHARGE,    {ARG_NONE}, ST_200 | ST_401},

    {"GET",    "/subscribe/payments/schedule/customers/{}",  api_customer_schedules,  AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,   {ARG_CUSTOMER_UID}, ST_200 | ST_400 | ST_401},
    {"GET",    "/subscribe/customers/{}/schedules",          api_customer_schedules,  AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,   {ARG_CUSTOMER_UID}, ST_200 | ST_400 | ST_401},
    {"POST",   "/subscribe/payments/schedule/{}/reschedule", api_schedule_reschedule, AUTH_TOKEN, FACE_REST,     SCN_OP_SCHEDULE, {ARG_MERCHANT_UID}, ST_200 | ST_400 | ST_404 | ST_500},
    {"POST",   "/subscribe/payments/schedule/{}/retry",      api_schedule_retry,      AUTH_TOKEN, FACE_REST,     SCN_OP_CHARGE,   {ARG_MERCHANT_UID}, ST_200 | ST_400 | ST_404 | ST_500},
    {"GET",    "/subscribe/payments/schedule/{}",            api_schedule_get,        AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,   {ARG_MERCHANT_UID}, ST_200 | ST_401 | ST_404},
    {"PUT",    "/subscribe/payments/schedule/{}",            api_schedule_put,        AUTH_TOKEN, FACE_REST,     SCN_OP_SCHEDULE, {ARG_MERCHANT_UID}, ST_200 | ST_400 | ST_404 | ST_500},
    {"GET",    "/subscribe/payments/schedule",               api_schedule_list,       AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,   {ARG_NONE}, ST_200 | ST_400 | ST_401},
    {"POST",   "/subscribe/payments/schedule",               api_schedule_post,       AUTH_TOKEN, FACE_REST,     SCN_OP_SCHEDULE, {ARG_NONE}, ST_200 | ST_401},
    {"POST",   "/subscribe/payments/unschedule",             api_unschedule,          AUTH_TOKEN, FACE_REST,     SCN_OP_SCHEDULE, {ARG_NONE}, ST_200 | ST_401},
    {"GET",    "/__mock/webhooks",                           admin_webhooks,          AUTH_ADMIN, FACE_CONTROL,  OP_NONE,         {ARG_NONE}, ST_ALL},
    {"POST",   "/__mock/webhooks/trigger",                   admin_webhook_trigger,   AUTH_ADMIN, FACE_CONTROL,  OP_NONE,         {ARG_NONE}, ST_ALL},
    {"POST",   "/__mock/webhooks/{}/resend",                 admin_webhook_resend,    AUTH_ADMIN, FACE_CONTROL,  OP_NONE,         {ARG_OTHER}, ST_ALL},

    /* virtual accounts (reference §17); the holder lookup before {} takes "holder" */
    {"GET",    "/vbanks/holder",                 api_vbank_holder,         AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_NONE}, ST_200 | ST_400 | ST_401 | ST_404},
    {"POST",   "/vbanks",                        api_vbank_issue,          AUTH_TOKEN, FACE_REST,     SCN_OP_VBANK,  {ARG_NONE}, ST_200 | ST_401},
    {"PUT",    "/vbanks/{}",                     api_vbank_change,         AUTH_TOKEN, FACE_REST,     SCN_OP_VBANK,  {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_404},
    {"DELETE", "/vbanks/{}",                     api_vbank_revoke,         AUTH_TOKEN, FACE_REST,     SCN_OP_VBANK,  {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_404},
    {"POST",   "/__mock/vbanks/{}/deposit",      admin_vbank_deposit,      AUTH_ADMIN, FACE_CONTROL,  OP_NONE,       {ARG_IMP_UID}, ST_ALL},
    /* cash receipts, identity verification, escrow shipping (reference §18-§20) */
    {"GET",    "/receipts/external/{}",          api_ext_receipt_get,    AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,        {ARG_MERCHANT_UID}, ST_200 | ST_401 | ST_404},
    {"POST",   "/receipts/external/{}",          api_ext_receipt_post,   AUTH_TOKEN, FACE_REST,     SCN_OP_RECEIPT,       {ARG_MERCHANT_UID}, ST_200 | ST_400 | ST_401 | ST_500 | ST_501},
    {"DELETE", "/receipts/external/{}",          api_ext_receipt_delete, AUTH_TOKEN, FACE_REST,     SCN_OP_RECEIPT,       {ARG_MERCHANT_UID}, ST_200 | ST_400 | ST_401 | ST_404 | ST_500 | ST_501},
    {"GET",    "/receipts/{}",                   api_receipt_get,        AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,        {ARG_IMP_UID}, ST_200 | ST_401 | ST_404},
    {"POST",   "/receipts/{}",                   api_receipt_post,       AUTH_TOKEN, FACE_REST,     SCN_OP_RECEIPT,       {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_500 | ST_501},
    {"DELETE", "/receipts/{}",                   api_receipt_delete,     AUTH_TOKEN, FACE_REST,     SCN_OP_RECEIPT,       {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_500 | ST_501},
    {"POST",   "/certifications/otp/request",    api_cert_otp_request,   AUTH_TOKEN, FACE_REST,     SCN_OP_CERTIFICATION, {ARG_NONE}, ST_200 | ST_400 | ST_401 | ST_500},
    {"POST",   "/certifications/otp/confirm/{}", api_cert_otp_confirm,   AUTH_TOKEN, FACE_REST,     SCN_OP_CERTIFICATION, {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_404 | ST_500},
    {"GET",    "/certifications/{}",             api_cert_get,           AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,        {ARG_IMP_UID}, ST_200 | ST_401 | ST_404},
    {"DELETE", "/certifications/{}",             api_cert_delete,        AUTH_TOKEN, FACE_REST,     SCN_OP_CERTIFICATION, {ARG_IMP_UID}, ST_200 | ST_401 | ST_404 | ST_500},
    {"GET",    "/escrows/logis/{}",              api_escrow_get,         AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP,        {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_404 | ST_409 | ST_500},
    {"POST",   "/escrows/logis/{}",              api_escrow_post,        AUTH_TOKEN, FACE_REST,     SCN_OP_ESCROW,        {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_404 | ST_405 | ST_409 | ST_500},
    {"PUT",    "/escrows/logis/{}",              api_escrow_put,         AUTH_TOKEN, FACE_REST,     SCN_OP_ESCROW,        {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_404 | ST_405 | ST_409 | ST_500},
    /* codes, account and legacy operations, and the PGs answered but not
     * emulated (reference §21-§24) */
    {"GET",    "/cards",                               api_cards,                   AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_NONE}, ST_200 | ST_401 | ST_404},
    {"GET",    "/cards/{}",                            api_card,                    AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_OTHER}, ST_200 | ST_401 | ST_404},
    {"GET",    "/banks",                               api_banks,                   AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_NONE}, ST_200 | ST_401 | ST_404},
    {"GET",    "/banks/{}",                            api_bank,                    AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_OTHER}, ST_200 | ST_401 | ST_404},
    {"GET",    "/users/pg",                            api_users_pg,                AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_NONE}, ST_200},
    {"GET",    "/tiers/{}",                            api_tier,                    AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_OTHER}, ST_200 | ST_401 | ST_404},
    {"GET",    "/kakao/payment/orders",                api_kakao_orders,            AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_NONE}, ST_200 | ST_401},
    {"POST",   "/subscribe/payments/foreign",          api_pay_foreign,             AUTH_TOKEN, FACE_REST,     SCN_OP_CHARGE, {ARG_NONE}, ST_200 | ST_401},
    {"POST",   "/payments/{}/naver/cancel",            api_naver_cancel,            AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/approve-cancel",    api_naver_approve_cancel,    AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/place",             api_naver_place,             AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/ship",              api_naver_ship,              AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_400 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/ship-exchanged",    api_naver_ship_exchanged,    AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_400 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/collect-exchanged", api_naver_collect_exchanged, AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/request-return",    api_naver_request_return,    AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_400 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/approve-return",    api_naver_approve_return,    AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/reject-return",     api_naver_reject_return,     AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_400 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/withhold-return",   api_naver_withhold_return,   AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_400 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/resolve-return",    api_naver_resolve_return,    AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_207 | ST_401 | ST_404 | ST_500},
    {"GET",    "/payments/{}/naver/product-orders",    api_naver_product_orders,    AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_IMP_UID}, ST_200 | ST_401 | ST_404},
    {"POST",   "/payments/{}/naver/point",             api_naver_point,             AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_401 | ST_404 | ST_500},
    {"POST",   "/payments/{}/naver/confirm",           api_naver_confirm,           AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_401 | ST_404 | ST_500},
    {"GET",    "/payments/{}/naver/cash-amount",       api_naver_cash_amount,       AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_500},
    {"GET",    "/naver/product-orders/{}",             api_naver_product_order,     AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_OTHER}, ST_200 | ST_400 | ST_401 | ST_404},
    {"GET",    "/naver/reviews",                       api_naver_reviews,           AUTH_TOKEN, FACE_REST,     SCN_OP_LOOKUP, {ARG_NONE}, ST_200 | ST_400 | ST_401 | ST_500},
    {"POST",   "/payco/orders/status/{}",              api_payco_status,            AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_401},
    {"POST",   "/benepia/point",                       api_benepia_point,           AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_NONE}, ST_200 | ST_401 | ST_500},
    {"POST",   "/benepia/payment",                     api_benepia_payment,         AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_NONE}, ST_200 | ST_401 | ST_500},
    {"POST",   "/cvs",                                 api_cvs_issue,               AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_NONE}, ST_200 | ST_401},
    {"DELETE", "/cvs/{}",                              api_cvs_revoke,              AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_401},
    {"DELETE", "/kcpquick/members/{}",                 api_kcpquick_member_delete,  AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_OTHER}, ST_200 | ST_401 | ST_404},
    {"POST",   "/kcpquick/payment/money",              api_kcpquick_money,          AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_NONE}, ST_200 | ST_401},
    {"POST",   "/partners/receipts/{}",                api_partners_receipt,        AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_IMP_UID}, ST_200 | ST_400 | ST_401 | ST_404 | ST_500 | ST_501},
    {"POST",   "/paymentwall/delivery",                api_paymentwall_delivery,    AUTH_TOKEN, FACE_REST,     SCN_OP_ANY,    {ARG_NONE}, ST_200 | ST_401},

    /* the sandbox dashboard: its pages hold no data and need no token (a
     * browser cannot send one when it opens a page); everything they show
     * comes from the control calls below and the ones above */
    {"GET",    "/",                              admin_ui_landing,         AUTH_NONE, FACE_CONTROL,   OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock",                        admin_ui_landing,         AUTH_NONE, FACE_CONTROL,   OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/ui",                     admin_ui_asset,           AUTH_NONE, FACE_CONTROL,   OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/ui/dashboard.js",        admin_ui_asset,           AUTH_NONE, FACE_CONTROL,   OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/ui/ui.css",              admin_ui_asset,           AUTH_NONE, FACE_CONTROL,   OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/docs",                   admin_ui_asset,           AUTH_NONE, FACE_CONTROL,   OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/docs/docs.js",           admin_ui_asset,           AUTH_NONE, FACE_CONTROL,   OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/openapi.json",           admin_openapi,            AUTH_NONE, FACE_CONTROL,   OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/tenants",                admin_tenants,            AUTH_ADMIN, FACE_CONTROL,  OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/payments",               admin_payments,           AUTH_ADMIN, FACE_CONTROL,  OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/customers",              admin_customers,          AUTH_ADMIN, FACE_CONTROL,  OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/schedules",              admin_schedules,          AUTH_ADMIN, FACE_CONTROL,  OP_NONE,    {ARG_NONE}, ST_ALL},
    {"GET",    "/__mock/errors",                 admin_errors,             AUTH_ADMIN, FACE_CONTROL,  OP_NONE,    {ARG_NONE}, ST_ALL},
    {"POST",   "/__mock/scenarios/{}/enabled",   admin_scenario_enabled,   AUTH_ADMIN, FACE_CONTROL,  OP_NONE,    {ARG_OTHER}, ST_ALL},

    /* the browser half: static pages by exact name, then the window's
     * endpoints; only the window's actions are the operation checkout */
    {"GET",    "/v1/iamport.js",                 api_checkout_asset,       AUTH_NONE, FACE_CHECKOUT, OP_NONE,         {ARG_NONE}, ST_ALL},
    {"GET",    "/checkout/assets/window.css",    api_checkout_asset,       AUTH_NONE, FACE_CHECKOUT, OP_NONE,         {ARG_NONE}, ST_ALL},
    {"GET",    "/checkout/assets/window.js",     api_checkout_asset,       AUTH_NONE, FACE_CHECKOUT, OP_NONE,         {ARG_NONE}, ST_ALL},
    {"GET",    "/examples/shop",                 api_checkout_asset,       AUTH_NONE, FACE_CHECKOUT, OP_NONE,         {ARG_NONE}, ST_ALL},
    {"GET",    "/checkout/window/{}",            api_checkout_window_page, AUTH_NONE, FACE_CHECKOUT, OP_NONE,         {ARG_OTHER}, ST_ALL},
    {"POST",   "/checkout/open",                 api_checkout_open,        AUTH_NONE, FACE_CHECKOUT, SCN_OP_CHECKOUT, {ARG_NONE}, ST_ALL},
    {"GET",    "/checkout/session/{}",           api_checkout_session,     AUTH_NONE, FACE_CHECKOUT, OP_NONE,         {ARG_OTHER}, ST_ALL},
    {"POST",   "/checkout/session/{}/approve",   api_checkout_approve,     AUTH_NONE, FACE_CHECKOUT, SCN_OP_CHECKOUT, {ARG_OTHER}, ST_ALL},
    {"POST",   "/checkout/session/{}/cancel",    api_checkout_cancel,      AUTH_NONE, FACE_CHECKOUT, SCN_OP_CHECKOUT, {ARG_OTHER}, ST_ALL},
    {"POST",   "/checkout/session/{}/auto",      api_checkout_auto,        AUTH_NONE, FACE_CHECKOUT, SCN_OP_CHECKOUT, {ARG_OTHER}, ST_ALL},
    {"POST",   "/checkout/session/{}/done",      api_checkout_done,        AUTH_NONE, FACE_CHECKOUT, SCN_OP_CHECKOUT, {ARG_OTHER}, ST_ALL},
    {"GET",    "/checkout/session/{}/return",    api_checkout_return,      AUTH_NONE, FACE_CHECKOUT, OP_NONE,         {ARG_OTHER}, ST_ALL},
};
/* clang-format on */

const size_t route_count = sizeof route_table / sizeof route_table[0];

/* Finds the segments of p: leading slashes skipped, then one per '/' (empty
 * ones too), none after a final '/'. Returns their count, or -1 when there
 * are more than MAX_SEGMENTS. Paths and patterns are split by this one rule. */
static int find_segments(const char *p, const char **at, size_t *len)
{
    int n = 0;
    while (*p == '/')
        p++;
    while (*p) {
        if (n == MAX_SEGMENTS)
            return -1;
        at[n] = p;
        while (*p && *p != '/')
            p++;
        len[n] = (size_t)(p - at[n]);
        n++;
        if (*p)
            p++;
    }
    return n;
}

/* A path split in place into segments ('/' becomes NUL), each with its length. */
struct segments {
    int n; /* -1: more than MAX_SEGMENTS */
    char *at[MAX_SEGMENTS];
    size_t len[MAX_SEGMENTS];
};

static void split_path(char *path, struct segments *s)
{
    const char *at[MAX_SEGMENTS];
    s->n = find_segments(path, at, s->len);
    for (int i = 0; i < s->n; i++) {
        s->at[i] = path + (at[i] - path);
        s->at[i][s->len[i]] = '\0';
    }
}

/* Each route's pattern split once, so a request compares lengths and bytes
 * instead of re-reading every pattern it is tried against (finding
 * GET /payments/{} took 0.33 µs that way, now 0.10; a naver route 1.19, now
 * 0.32). A "{}" segment takes any one non-empty segment into args. */
#define CAPTURE ((size_t)-1)

struct route_shape {
    int n;
    const char *seg[MAX_SEGMENTS];
    size_t len[MAX_SEGMENTS]; /* CAPTURE for "{}" */
};

#define ROUTE_COUNT (sizeof route_table / sizeof route_table[0])
static struct route_shape shapes[ROUTE_COUNT];

static bool shape_matches(const struct route_shape *sh, const struct segments *s, char **args,
                          size_t *nargs)
{
    if (sh->n != s->n)
        return false;
    size_t na = 0;
    for (int i = 0; i < s->n; i++) {
        if (sh->len[i] == CAPTURE) {
            if (!s->len[i] || na == REQ_MAX_ARGS)
                return false;
            args[na++] = s->at[i];
        } else if (sh->len[i] != s->len[i] || memcmp(sh->seg[i], s->at[i], s->len[i]) != 0) {
            return false;
        }
    }
    *nargs = na;
    return true;
}

/* The routes grouped by the first segment of their pattern: a request is
 * tried only against the routes of its own first segment, in table order
 * (two scans of the whole table were a twentieth of a charge's CPU). Built
 * once; when a pattern starts with a capture, the table is scanned whole.
 * The pattern "/" has no segment: it heads a group of its own, for "/". */
#define MAX_FIRSTS 64

struct route_group {
    const char *seg; /* into the pattern, not NUL-terminated */
    size_t len;
    size_t route; /* the first route of the group */
};
static struct route_group firsts[MAX_FIRSTS];
static size_t n_firsts;
static size_t next_same[ROUTE_COUNT]; /* the group's next route, ROUTE_COUNT: none */
static bool indexed;
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

/* A pattern's segments, "{}" marked as a capture; n is -1 (it matches no
 * path) when the pattern has more segments than a path may. */
static void shape_of(const char *pattern, struct route_shape *sh)
{
    sh->n = find_segments(pattern, sh->seg, sh->len);
    for (int i = 0; i < sh->n; i++)
        if (sh->len[i] == 2 && memcmp(sh->seg[i], "{}", 2) == 0)
            sh->len[i] = CAPTURE;
}

static void group_routes(void)
{
    size_t last[MAX_FIRSTS];
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        const struct route_shape *sh = &shapes[i];
        const char *seg = sh->n > 0 ? sh->seg[0] : "";
        size_t len = sh->n > 0 ? sh->len[0] : 0, k = 0;
        if (len == CAPTURE)
            return; /* not indexed */
        while (k < n_firsts && !(firsts[k].len == len && memcmp(firsts[k].seg, seg, len) == 0))
            k++;
        if (k == MAX_FIRSTS)
            return;
        if (k == n_firsts)
            firsts[n_firsts++] = (struct route_group){seg, len, i};
        else
            next_same[last[k]] = i;
        last[k] = i;
        next_same[i] = ROUTE_COUNT;
    }
    indexed = true;
}

static void build_index(void)
{
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        shape_of(route_table[i].pattern, &shapes[i]);
    group_routes();
}

/* The first route that may match a path of these segments; route_next
 * gives the others, ROUTE_COUNT ends. */
static size_t route_first(const struct segments *s)
{
    pthread_once(&index_once, build_index);
    if (s->n < 0)
        return ROUTE_COUNT;
    if (!indexed)
        return 0;
    size_t len = s->n ? s->len[0] : 0;
    for (size_t k = 0; k < n_firsts; k++)
        if (firsts[k].len == len && memcmp(firsts[k].seg, s->n ? s->at[0] : "", len) == 0)
            return firsts[k].route;
    return ROUTE_COUNT;
}

static size_t route_next(size_t i)
{
    return indexed ? next_same[i] : i + 1;
}

const struct route *route_find(const char *method, char *path, char **args, size_t *nargs,
                               bool *path_known)
{
    struct segments s;
    split_path(path, &s);
    *path_known = false;
    for (size_t i = route_first(&s); i < ROUTE_COUNT; i = route_next(i)) {
        const struct route *rt = &route_table[i];
        char *found[REQ_MAX_ARGS];
        size_t n;
        if (!shape_matches(&shapes[i], &s, found, &n))
            continue;
        *path_known = true;
        if (!method || strcmp(rt->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
            memcpy(args, found, n * sizeof *found);
            *nargs = n;
            return rt;
        }
    }
    return NULL;
}

void route_allow(const char *path, char *out, size_t cap)
{
    static const char *const order[] = {"GET", "HEAD", "POST", "PUT", "DELETE"};
    char copy[2048];
    char *found[REQ_MAX_ARGS];
    bool has[sizeof order / sizeof *order] = {false};
    size_t n;
    out[0] = '\0';
    if (strlen(path) >= sizeof copy)
        return;
    strcpy(copy, path);
    struct segments s;
    split_path(copy, &s);
    for (size_t i = route_first(&s); i < ROUTE_COUNT; i = route_next(i)) {
        if (!shape_matches(&shapes[i], &s, found, &n))
            continue;
        for (size_t k = 0; k < sizeof order / sizeof *order; k++)
            if (strcmp(route_table[i].method, order[k]) == 0)
                has[k] = true;
    }
    has[1] = has[1] || has[0];
    size_t len = 0;
    for (size_t k = 0; k < sizeof order / sizeof *order && len < cap; k++)
        if (has[k])
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "", order[k]);
}

enum route_face route_face_of(const char *path)
{
    char buf[2048];
    char *args[REQ_MAX_ARGS];
    size_t nargs;
    bool known;
    if (strlen(path) >= sizeof buf)
        return FACE_REST;
    memcpy(buf, path, strlen(path) + 1);
    const struct route *rt = route_find(NULL, buf, args, &nargs, &known);
    return rt ? rt->face : FACE_REST; /* an unknown path answers as the REST API */
}

enum route_face route_face_of_req(const struct req *r)
{
    /* no route: a path asked with another method, or one no route has
     * (answered as the REST API) */
    return r->route ? r->route->face : route_face_of(r->path);
}

const char *route_auth_name(enum route_auth auth)
{
    switch (auth) {
    case AUTH_NONE:
        return "none";
    case AUTH_TOKEN:
        return "token";
    case AUTH_ADMIN:
        return "admin";
    }
    return "none";
}

const char *route_arg_name(enum route_arg arg)
{
    switch (arg) {
    case ARG_IMP_UID:
        return "imp_uid";
    case ARG_MERCHANT_UID:
        return "merchant_uid";
    case ARG_CUSTOMER_UID:
        return "customer_uid";
    case ARG_OTHER:
        return "other";
    case ARG_NONE:
        break;
    }
    return NULL;
}

/* The bit of an HTTP status; 0 for one no operation lists. */
static int status_bit(int status)
{
    switch (status) {
    case 200:
        return ST_200;
    case 207:
        return ST_207;
    case 400:
        return ST_400;
    case 401:
        return ST_401;
    case 404:
        return ST_404;
    case 405:
        return ST_405;
    case 409:
        return ST_409;
    case 500:
        return ST_500;
    case 501:
        return ST_501;
    default:
        return 0;
    }
}

bool route_lists_status(const struct route *rt, int status)
{
    if (rt->statuses == ST_ALL)
        return true;
    /* a missing or bad token is 401 on every authenticated operation, also
     * where the Swagger forgot to list it (reference §16.0) */
    if (status == 401 && rt->auth == AUTH_TOKEN)
        return true;
    return (rt->statuses & status_bit(status)) != 0;
}

void route_fit_status(const struct route *rt, struct reply *rep)
{
    if (rep->status != 0 && !route_lists_status(rt, rep->status))
        rep->status = 200;
}
