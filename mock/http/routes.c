/* routes.c - the route table: METHOD + path pattern -> handler, who may call
 * it, what scenarios see it as and what each {} names. First match wins, so
 * fixed segments come before {} captures of the same shape. */
#include "http/api.h"

/* clang-format off */
const struct route route_table[] = {
    {"POST",   "/users/getToken",               api_get_token,          AUTH_NONE,  SCN_OP_TOKEN,   {ARG_NONE}},

    {"GET",    "/payments/prepare/{}",          api_prepare_get,        AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_MERCHANT_UID}},
    {"POST",   "/payments/prepare",             api_prepare_post,       AUTH_TOKEN, SCN_OP_PREPARE, {ARG_NONE}},
    {"PUT",    "/payments/prepare",             api_prepare_put,        AUTH_TOKEN, SCN_OP_PREPARE, {ARG_NONE}},
    {"GET",    "/payments/find/{}",             api_payment_find,       AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_MERCHANT_UID}},
    {"GET",    "/payments/find/{}/{}",          api_payment_find,       AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_MERCHANT_UID, ARG_OTHER}},
    {"GET",    "/payments/findAll/{}",          api_payment_find_all,   AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_MERCHANT_UID}},
    {"GET",    "/payments/findAll/{}/{}",       api_payment_find_all,   AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_MERCHANT_UID, ARG_OTHER}},
    {"GET",    "/payments/status/{}",           api_payments_by_status, AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_OTHER}},
    {"GET",    "/payments/{}/balance",          api_payment_balance,    AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_IMP_UID}},
    {"GET",    "/payments/{}",                  api_payment_get,        AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_IMP_UID}},
    {"GET",    "/payments",                     api_payments_multi,     AUTH_TOKEN, SCN_OP_LOOKUP,  {ARG_NONE}},

    {"GET",    "/__mock/health",                admin_health,           AUTH_NONE,  OP_NONE,        {ARG_NONE}},
    {"GET",    "/__mock/clock",                 admin_clock_get,        AUTH_ADMIN, OP_NONE,        {ARG_NONE}},
    {"POST",   "/__mock/clock",                 admin_clock_post,       AUTH_ADMIN, OP_NONE,        {ARG_NONE}},
    {"POST",   "/__mock/reset",                 admin_reset,            AUTH_ADMIN, OP_NONE,        {ARG_NONE}},
    {"GET",    "/__mock/requests",              admin_requests,         AUTH_ADMIN, OP_NONE,        {ARG_NONE}},
    {"GET",    "/__mock/scenarios",             admin_scenarios_get,    AUTH_ADMIN, OP_NONE,        {ARG_NONE}},
    {"POST",   "/__mock/scenarios",             admin_scenarios_post,   AUTH_ADMIN, OP_NONE,        {ARG_NONE}},
    {"DELETE", "/__mock/scenarios",             admin_scenarios_delete, AUTH_ADMIN, OP_NONE,        {ARG_NONE}},
    {"GET",    "/__mock/export",                admin_export,           AUTH_ADMIN, OP_NONE,        {ARG_NONE}},
    {"POST",   "/__mock/import",                admin_import,           AUTH_ADMIN, OP_NONE,        {ARG_NONE}},

    {"POST",   "/payments/cancel",                  api_payment_cancel,    AUTH_TOKEN, SCN_OP_CANCEL,    {ARG_NONE}},
    {"GET",    "/subscribe/customers/{}/payments",  api_customer_payments, AUTH_TOKEN, SCN_OP_LOOKUP,    {ARG_CUSTOMER_UID}},
    {"GET",    "/subscribe/customers/{}",           api_customer_get,      AUTH_TOKEN, SCN_OP_LOOKUP,    {ARG_CUSTOMER_UID}},
    {"POST",   "/subscribe/customers/{}",           api_customer_post,     AUTH_TOKEN, SCN_OP_ISSUE_KEY, {ARG_CUSTOMER_UID}},
    {"DELETE", "/subscribe/customers/{}",           api_customer_delete,   AUTH_TOKEN, SCN_OP_ANY,       {ARG_CUSTOMER_UID}},
    {"GET",    "/subscribe/customers",              api_customers_multi,   AUTH_TOKEN, SCN_OP_LOOKUP,    {ARG_NONE}},
    {"POST",   "/subscribe/payments/again",         api_pay_again,         AUTH_TOKEN, SCN_OP_CHARGE,    {ARG_NONE}},
    {"POST",   "/subscribe/payments/onetime",       api_pay_onetime,       AUTH_TOKEN, SCN_OP_CHARGE,    {ARG_NONE}},

    {"GET",    "/subscribe/payments/schedule/customers/{}",  api_customer_schedules,  AUTH_TOKEN, SCN_OP_LOOKUP,   {ARG_CUSTOMER_UID}},
    {"GET",    "/subscribe/customers/{}/schedules",          api_customer_schedules,  AUTH_TOKEN, SCN_OP_LOOKUP,   {ARG_CUSTOMER_UID}},
    {"POST",   "/subscribe/payments/schedule/{}/reschedule", api_schedule_reschedule, AUTH_TOKEN, SCN_OP_SCHEDULE, {ARG_MERCHANT_UID}},
    {"POST",   "/subscribe/payments/schedule/{}/retry",      api_schedule_retry,      AUTH_TOKEN, SCN_OP_CHARGE,   {ARG_MERCHANT_UID}},
    {"GET",    "/subscribe/payments/schedule/{}",            api_schedule_get,        AUTH_TOKEN, SCN_OP_LOOKUP,   {ARG_MERCHANT_UID}},
    {"PUT",    "/subscribe/payments/schedule/{}",            api_schedule_put,        AUTH_TOKEN, SCN_OP_SCHEDULE, {ARG_MERCHANT_UID}},
    {"GET",    "/subscribe/payments/schedule",               api_schedule_list,       AUTH_TOKEN, SCN_OP_LOOKUP,   {ARG_NONE}},
    {"POST",   "/subscribe/payments/schedule",               api_schedule_post,       AUTH_TOKEN, SCN_OP_SCHEDULE, {ARG_NONE}},
    {"POST",   "/subscribe/payments/unschedule",             api_unschedule,          AUTH_TOKEN, SCN_OP_SCHEDULE, {ARG_NONE}},
    {"GET",    "/__mock/webhooks",                           admin_webhooks,          AUTH_ADMIN, OP_NONE,         {ARG_NONE}},
    {"POST",   "/__mock/webhooks/{}/resend",                 admin_webhook_resend,    AUTH_ADMIN, OP_NONE,         {ARG_OTHER}},

    /* the browser half: static pages by exact name, then the window's
     * endpoints; only the window's actions are the operation checkout */
    {"GET",    "/v1/iamport.js",                 api_checkout_asset,       AUTH_NONE, OP_NONE,         {ARG_NONE}},
    {"GET",    "/checkout/assets/window.css",    api_checkout_asset,       AUTH_NONE, OP_NONE,         {ARG_NONE}},
    {"GET",    "/checkout/assets/window.js",     api_checkout_asset,       AUTH_NONE, OP_NONE,         {ARG_NONE}},
    {"GET",    "/examples/shop",                 api_checkout_asset,       AUTH_NONE, OP_NONE,         {ARG_NONE}},
    {"GET",    "/checkout/window/{}",            api_checkout_window_page, AUTH_NONE, OP_NONE,         {ARG_OTHER}},
    {"POST",   "/checkout/open",                 api_checkout_open,        AUTH_NONE, SCN_OP_CHECKOUT, {ARG_NONE}},
    {"GET",    "/checkout/session/{}",           api_checkout_session,     AUTH_NONE, OP_NONE,         {ARG_OTHER}},
    {"POST",   "/checkout/session/{}/approve",   api_checkout_approve,     AUTH_NONE, SCN_OP_CHECKOUT, {ARG_OTHER}},
    {"POST",   "/checkout/session/{}/cancel",    api_checkout_cancel,      AUTH_NONE, SCN_OP_CHECKOUT, {ARG_OTHER}},
    {"POST",   "/checkout/session/{}/auto",      api_checkout_auto,        AUTH_NONE, SCN_OP_CHECKOUT, {ARG_OTHER}},
    {"POST",   "/checkout/session/{}/done",      api_checkout_done,        AUTH_NONE, SCN_OP_CHECKOUT, {ARG_OTHER}},
    {"GET",    "/checkout/session/{}/return",    api_checkout_return,      AUTH_NONE, OP_NONE,         {ARG_OTHER}},
};
/* clang-format on */

const size_t route_count = sizeof route_table / sizeof route_table[0];
