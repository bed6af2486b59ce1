/*
 * api.h - the request context handlers receive, the route table, and the
 * handlers of the REST API (api_*.c) and control API (admin.c). Handlers are
 * thin: validate fields, call the store or domain, render; they never write
 * bytes themselves (send.c sends r->reply).
 */
#ifndef IMPMOCK_API_H
#define IMPMOCK_API_H

#include "http/app.h"
#include "http/envelope.h"
#include "http/params.h"
#include "http/reply.h"
#include "infra/scenario.h"

#include <stdbool.h>
#include <stddef.h>

#define REQ_MAX_ARGS 4

struct route;

struct req {
    struct app *app;
    const struct route *route; /* the matched row of route_table, NULL before routing */
    const char *method;
    const char *path;         /* decoded path, no query */
    char *args[REQ_MAX_ARGS]; /* decoded {param} segments of the route */
    size_t nargs;
    struct params params;   /* body fields, then query fields */
    const char *user_agent; /* may be NULL */
    const char *window_key; /* header X-Impmock-Window (a payment window's key), may be NULL */
    const char *cors;       /* Access-Control-* lines for the answer (guard.c), NULL none */
    const char *remote_addr;
    int tid; /* tenant after authentication, -1 before */
    struct reply reply;
    int fault; /* enum scn_effect_kind applied when sending, 0 none */
    int drip_ms;
};

typedef void (*route_fn)(struct req *r);

enum route_auth { AUTH_NONE, AUTH_TOKEN, AUTH_ADMIN };

/* What one {} of a pattern names. Scenarios see a merchant_uid or
 * customer_uid given in the path as that field (when the body and query do
 * not name it); ARG_NONE fills the slots past the last {}. */
enum route_arg { ARG_NONE, ARG_IMP_UID, ARG_MERCHANT_UID, ARG_CUSTOMER_UID, ARG_OTHER };

/* The operation of a route that scenarios never see (control API, pages). */
#define OP_NONE SCN_OP__COUNT

/* The HTTP statuses an operation may answer with, one bit each: what its
 * Swagger entry lists (reference §16.0), plus the exceptions the reference
 * documents (docs/decisions.md). A bad token is 401 on every AUTH_TOKEN
 * route whatever the row says. ST_ALL: the control API and the browser
 * pages, which the Swagger does not describe. */
enum route_status {
    ST_200 = 1 << 0,
    ST_207 = 1 << 1,
    ST_400 = 1 << 2,
    ST_401 = 1 << 3,
    ST_404 = 1 << 4,
    ST_405 = 1 << 5,
    ST_409 = 1 << 6,
    ST_500 = 1 << 7,
    ST_501 = 1 << 8,
    ST_ALL = 0x7fffffff,
};

/* Who calls a route, and so from where (http/guard.c): the REST API is
 * called server to server, the control API by tests and the dashboard on
 * impmock's own origin, checkout by merchant pages on any origin. */
enum route_face { FACE_REST, FACE_CONTROL, FACE_CHECKOUT };

struct route {
    const char *method;  /* "GET", "POST", ... (HEAD takes the GET routes) */
    const char *pattern; /* "/payments/{}/balance": {} matches one segment */
    route_fn fn;
    enum route_auth auth;
    enum route_face face;
    enum scn_op op;                    /* what scenarios match the call as, or OP_NONE */
    enum route_arg args[REQ_MAX_ARGS]; /* the meaning of each {}, in order */
    int statuses;                      /* enum route_status bits */
};

extern const struct route route_table[];
extern const size_t route_count;

/* The route for METHOD and a decoded path, which is split in place: args
 * point into it, one per {} (nargs of them). NULL when none matches;
 * *path_known then tells whether the path matched with another method.
 * method NULL takes the first route of the path, whatever its method. */
const struct route *route_find(const char *method, char *path, char **args, size_t *nargs,
                               bool *path_known);
/* The methods a path takes, as an Allow header lists them ("GET, HEAD,
 * POST"; HEAD wherever GET is), written to out; "" when no route has the
 * path. */
void route_allow(const char *path, char *out, size_t cap);
/* Who calls the first route whose pattern matches path (any method);
 * FACE_REST for a path no route matches. */
enum route_face route_face_of(const char *path);
/* Who r answers to: its route's face once routed, else its path's. */
enum route_face route_face_of_req(const struct req *r);
/* Names for the route listing: "none", "token", "admin"; "imp_uid",
 * "merchant_uid", "customer_uid", "other" (NULL for ARG_NONE). */
const char *route_auth_name(enum route_auth auth);
const char *route_arg_name(enum route_arg arg);
/* Whether rt may answer with HTTP status (see enum route_status). */
bool route_lists_status(const struct route *rt, int status);
/* Applies the rule of reference §16.0 to an answer of rt: a status the
 * operation does not list becomes HTTP 200, the envelope (code != 0,
 * message) unchanged, so clients that take any other status for a
 * transport error still read the refusal. */
void route_fit_status(const struct route *rt, struct reply *rep);

/* Renders the failure a read recorded in r->params; returns false for `return` chains. */
bool api_bad_param(struct req *r);
/* Renders MOCK_BAD_PAGE: a page past the last of `total` items, `limit` per page. */
void api_bad_page(struct req *r, size_t total, size_t limit);
/* Renders one payment (or the error when rendering runs out of memory). */
void api_reply_payment(struct req *r, const struct payment *p);

/* api_token.c */
void api_get_token(struct req *r);
/* api_payments.c */
void api_payment_get(struct req *r);
void api_payments_multi(struct req *r);
void api_payment_find(struct req *r);
void api_payment_find_all(struct req *r);
void api_payments_by_status(struct req *r);
void api_payment_balance(struct req *r);
void api_prepare_post(struct req *r);
void api_prepare_put(struct req *r);
void api_prepare_get(struct req *r);
/* admin.c */
void admin_health(struct req *r);
void admin_clock_get(struct req *r);
void admin_clock_post(struct req *r);
void admin_reset(struct req *r);
void admin_requests(struct req *r);
void admin_requests_delete(struct req *r);
void admin_scenarios_get(struct req *r);
void admin_scenarios_post(struct req *r);
void admin_scenarios_delete(struct req *r);
void admin_export(struct req *r);
void admin_import(struct req *r);
void admin_routes(struct req *r);

/* api_subscribe.c */
void api_customer_get(struct req *r);
void api_customer_post(struct req *r);
void api_customer_delete(struct req *r);
void api_customers_multi(struct req *r);
void api_customer_payments(struct req *r);
void api_pay_again(struct req *r);
void api_pay_onetime(struct req *r);
/* api_cancel.c */
void api_payment_cancel(struct req *r);

/* api_checkout.c: the SDK script, the window pages and their JSON endpoints */
void api_checkout_asset(struct req *r);
void api_checkout_window_page(struct req *r);
void api_checkout_open(struct req *r);
void api_checkout_session(struct req *r);
void api_checkout_approve(struct req *r);
void api_checkout_cancel(struct req *r);
void api_checkout_auto(struct req *r);
void api_checkout_done(struct req *r);
void api_checkout_return(struct req *r);

/* api_schedule.c */
void api_schedule_post(struct req *r);
void api_unschedule(struct req *r);
void api_schedule_get(struct req *r);
void api_schedule_put(struct req *r);
void api_schedule_reschedule(struct req *r);
void api_schedule_retry(struct req *r);
void api_schedule_list(struct req *r);
void api_customer_schedules(struct req *r);
/* api_receipts.c: cash receipts (reference §18) */
void api_receipt_get(struct req *r);
void api_receipt_post(struct req *r);
void api_receipt_delete(struct req *r);
void api_ext_receipt_get(struct req *r);
void api_ext_receipt_post(struct req *r);
void api_ext_receipt_delete(struct req *r);
/* A text field that must be one of `allowed` (NULL-terminated) when given;
 * "" is "not given". Failures name the choices (MOCK_PARAM_NOT_IN_ENUM). */
bool api_param_enum(struct params *p, const char *name, const char *const *allowed,
                    const char **ret);
/* api_certifications.c: identity verification (reference §19) */
void api_cert_otp_request(struct req *r);
void api_cert_otp_confirm(struct req *r);
void api_cert_get(struct req *r);
void api_cert_delete(struct req *r);
/* api_escrow.c: escrow shipping records (reference §20) */
void api_escrow_get(struct req *r);
void api_escrow_post(struct req *r);
void api_escrow_put(struct req *r);
/* admin.c: webhook deliveries */
void admin_webhooks(struct req *r);
void admin_webhook_resend(struct req *r);
void admin_webhook_trigger(struct req *r);

/* api_vbanks.c: virtual accounts, and the control API's deposit into one */
void api_vbank_issue(struct req *r);
void api_vbank_change(struct req *r);
void api_vbank_revoke(struct req *r);
void api_vbank_holder(struct req *r);
void admin_vbank_deposit(struct req *r);
/* ---- codes, account, legacy operations, PGs answered but not emulated (§21-§24) ---- */
struct field_spec;
/* api_pgx.c: checks specs[0..n) (specs.h); on a failure renders it and
 * returns false. */
bool api_check_fields(struct req *r, const struct field_spec *specs, size_t n);
/* api_codes.c */
void api_cards(struct req *r);
void api_card(struct req *r);
void api_banks(struct req *r);
void api_bank(struct req *r);
/* api_account.c */
void api_users_pg(struct req *r);
void api_tier(struct req *r);
/* api_legacy.c */
void api_kakao_orders(struct req *r);
void api_pay_foreign(struct req *r);
/* api_naver.c */
void api_naver_cancel(struct req *r);
void api_naver_approve_cancel(struct req *r);
void api_naver_place(struct req *r);
void api_naver_ship(struct req *r);
void api_naver_ship_exchanged(struct req *r);
void api_naver_collect_exchanged(struct req *r);
void api_naver_request_return(struct req *r);
void api_naver_approve_return(struct req *r);
void api_naver_reject_return(struct req *r);
void api_naver_withhold_return(struct req *r);
void api_naver_resolve_return(struct req *r);
void api_naver_product_orders(struct req *r);
void api_naver_product_order(struct req *r);
void api_naver_reviews(struct req *r);
void api_naver_point(struct req *r);
void api_naver_confirm(struct req *r);
void api_naver_cash_amount(struct req *r);
/* api_pgx.c */
void api_payco_status(struct req *r);
void api_benepia_point(struct req *r);
void api_benepia_payment(struct req *r);
void api_cvs_issue(struct req *r);
void api_cvs_revoke(struct req *r);
void api_kcpquick_member_delete(struct req *r);
void api_kcpquick_money(struct req *r);
void api_partners_receipt(struct req *r);
void api_paymentwall_delivery(struct req *r);

/* admin_ui.c: the landing page and the dashboard's page, script and style */
void admin_ui_landing(struct req *r);
void admin_ui_asset(struct req *r);
void admin_openapi(struct req *r);
/* admin_data.c: the dashboard's reads (tenants, payments, billing keys,
 * schedules, the error table) and the scenario switch */
void admin_tenants(struct req *r);
void admin_payments(struct req *r);
void admin_customers(struct req *r);
void admin_schedules(struct req *r);
void admin_errors(struct req *r);
void admin_scenario_enabled(struct req *r);

#endif
