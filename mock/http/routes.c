/* routes.c - the route table: METHOD + path pattern -> handler. First match
 * wins, so fixed segments come before {} captures of the same shape. */
#include "http/api.h"

/* clang-format off */
const struct route api_routes[] = {
    {"POST", "/users/getToken",                 api_get_token,          AUTH_NONE},

    {"GET",  "/payments/prepare/{}",            api_prepare_get,        AUTH_TOKEN},
    {"POST", "/payments/prepare",               api_prepare_post,       AUTH_TOKEN},
    {"PUT",  "/payments/prepare",               api_prepare_put,        AUTH_TOKEN},
    {"GET",  "/payments/find/{}",               api_payment_find,       AUTH_TOKEN},
    {"GET",  "/payments/find/{}/{}",            api_payment_find,       AUTH_TOKEN},
    {"GET",  "/payments/findAll/{}",            api_payment_find_all,   AUTH_TOKEN},
    {"GET",  "/payments/findAll/{}/{}",         api_payment_find_all,   AUTH_TOKEN},
    {"GET",  "/payments/status/{}",             api_payments_by_status, AUTH_TOKEN},
    {"GET",  "/payments/{}/balance",            api_payment_balance,    AUTH_TOKEN},
    {"GET",  "/payments/{}",                    api_payment_get,        AUTH_TOKEN},
    {"GET",  "/payments",                       api_payments_multi,     AUTH_TOKEN},

    {"GET",  "/__mock/health",                  admin_health,           AUTH_NONE},
    {"GET",  "/__mock/clock",                   admin_clock_get,        AUTH_ADMIN},
    {"POST", "/__mock/clock",                   admin_clock_post,       AUTH_ADMIN},
    {"POST", "/__mock/reset",                   admin_reset,            AUTH_ADMIN},
    {"GET",  "/__mock/requests",                admin_requests,         AUTH_ADMIN},
    {"GET",  "/__mock/scenarios",               admin_scenarios_get,    AUTH_ADMIN},
    {"POST", "/__mock/scenarios",               admin_scenarios_post,   AUTH_ADMIN},
    {"DELETE", "/__mock/scenarios",             admin_scenarios_delete, AUTH_ADMIN},
    {"GET",  "/__mock/export",                  admin_export,           AUTH_ADMIN},
    {"POST", "/__mock/import",                  admin_import,           AUTH_ADMIN},

    {"POST",   "/payments/cancel",                  api_payment_cancel,     AUTH_TOKEN},
    {"GET",    "/subscribe/customers/{}/payments",  api_customer_payments,  AUTH_TOKEN},
    {"GET",    "/subscribe/customers/{}",           api_customer_get,       AUTH_TOKEN},
    {"POST",   "/subscribe/customers/{}",           api_customer_post,      AUTH_TOKEN},
    {"DELETE", "/subscribe/customers/{}",           api_customer_delete,    AUTH_TOKEN},
    {"GET",    "/subscribe/customers",              api_customers_multi,    AUTH_TOKEN},
    {"POST",   "/subscribe/payments/again",         api_pay_again,          AUTH_TOKEN},
    {"POST",   "/subscribe/payments/onetime",       api_pay_onetime,        AUTH_TOKEN},

    {"GET",    "/subscribe/payments/schedule/customers/{}", api_customer_schedules, AUTH_TOKEN},
    {"GET",    "/subscribe/customers/{}/schedules",         api_customer_schedules, AUTH_TOKEN},
    {"POST",   "/subscribe/payments/schedule/{}/reschedule", api_schedule_reschedule, AUTH_TOKEN},
    {"POST",   "/subscribe/payments/schedule/{}/retry",     api_schedule_retry,     AUTH_TOKEN},
    {"GET",    "/subscribe/payments/schedule/{}",           api_schedule_get,       AUTH_TOKEN},
    {"PUT",    "/subscribe/payments/schedule/{}",           api_schedule_put,       AUTH_TOKEN},
    {"GET",    "/subscribe/payments/schedule",              api_schedule_list,      AUTH_TOKEN},
    {"POST",   "/subscribe/payments/schedule",              api_schedule_post,      AUTH_TOKEN},
    {"POST",   "/subscribe/payments/unschedule",            api_unschedule,         AUTH_TOKEN},
    {"GET",    "/__mock/webhooks",                          admin_webhooks,         AUTH_ADMIN},
    {"POST",   "/__mock/webhooks/{}/resend",                admin_webhook_resend,   AUTH_ADMIN},
    /* the browser half: static pages by exact name, then the window's endpoints */
    {"GET",  "/v1/iamport.js",                     api_checkout_asset,       AUTH_NONE},
    {"GET",  "/checkout/assets/window.css",        api_checkout_asset,       AUTH_NONE},
    {"GET",  "/checkout/assets/window.js",         api_checkout_asset,       AUTH_NONE},
    {"GET",  "/examples/shop",                     api_checkout_asset,       AUTH_NONE},
    {"GET",  "/checkout/window/{}",                api_checkout_window_page, AUTH_NONE},
    {"POST", "/checkout/open",                     api_checkout_open,        AUTH_NONE},
    {"GET",  "/checkout/session/{}",               api_checkout_session,     AUTH_NONE},
    {"POST", "/checkout/session/{}/approve",       api_checkout_approve,     AUTH_NONE},
    {"POST", "/checkout/session/{}/cancel",        api_checkout_cancel,      AUTH_NONE},
    {"POST", "/checkout/session/{}/auto",          api_checkout_auto,        AUTH_NONE},
    {"POST", "/checkout/session/{}/done",          api_checkout_done,        AUTH_NONE},
    {"GET",  "/checkout/session/{}/return",        api_checkout_return,      AUTH_NONE},
};
/* clang-format on */

const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
