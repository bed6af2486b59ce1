/* api_cancel.c - POST /payments/cancel (reference §3.7): reads the request,
 * calls cancel.c, renders the updated payment or the refusal. */
#include "domain/cancel.h"
#include "http/api.h"

#define UID_PARAM_MAX 256 /* longer ids cannot exist; shorter unknown ones answer "not found" */

void api_payment_cancel(struct req *r)
{
    struct cancel_args a = {0};
    int64_t vat_amount = 0;
    bool flag = false;
    /* refund_* is where a paid virtual account's money goes back (the
     * domain requires it then); vat_amount (unsupported by Kakao Pay),
     * retain_promotion and extra are accepted and checked for shape. */
    if (!param_str(&r->params, "imp_uid", UID_PARAM_MAX, false, &a.imp_uid) ||
        !param_str(&r->params, "merchant_uid", UID_PARAM_MAX, false, &a.merchant_uid) ||
        !param_amount(&r->params, "amount", false, &a.rq.amount, NULL) ||
        !param_amount(&r->params, "tax_free", false, &a.rq.tax_free, NULL) ||
        !param_amount(&r->params, "checksum", false, &a.rq.checksum, &a.rq.has_checksum) ||
        !param_amount(&r->params, "vat_amount", false, &vat_amount, NULL) ||
        !param_str(&r->params, "reason", REASON_MAX, false, &a.reason) ||
        !param_str(&r->params, "refund_holder", 64, false, &a.refund.holder) ||
        !param_str(&r->params, "refund_bank", 16, false, &a.refund.bank) ||
        !param_str(&r->params, "refund_account", 64, false, &a.refund.account) ||
        !param_str(&r->params, "refund_tel", 64, false, &a.refund.tel) ||
        !param_bool(&r->params, "retain_promotion", &flag) ||
        !param_bool(&r->params, "enable_webhook", &a.notify)) {
        api_bad_param(r);
        return;
    }
    struct payment p;
    char detail[CANCEL_DETAIL_MAX];
    enum mock_err e = cancel_payment(r->app->store, r->tid, &a, &p, detail);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    api_reply_payment(r, &p);
    payment_fini(&p);
}
