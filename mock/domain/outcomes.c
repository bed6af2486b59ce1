/* outcomes.c - see outcomes.h. */
#include "domain/outcomes.h"

#include "domain/billing.h"
#include "domain/vbank.h"
#include "infra/scenario.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ;
}

static bool scenario_outcome(void *ud, const struct billing_attempt *a, struct billing_outcome *ret)
{
    struct store *s = ud;
    if (!scenario_any()) /* what scenario_match says then, without the look-up */
        return false;
    char key[IMP_KEY_MAX + 1];
    bool known = store_tenant_key(s, a->tid, key);
    struct scn_call call = {.op = a->door == BILLING_DOOR_ISSUE ? SCN_OP_ISSUE_KEY : SCN_OP_CHARGE,
                            .imp_key = known ? key : NULL,
                            .merchant_uid = a->merchant_uid,
                            .customer_uid = a->customer_uid,
                            .pg = a->pg_provider,
                            .pg_id = a->pg_id,
                            .amount = a->amount,
                            .has_amount = a->door != BILLING_DOOR_ISSUE};
    struct scn_effect eff;
    if (!scenario_match(&call, SCN_BUSINESS, &eff))
        return false;
    if (eff.delay_ms)
        sleep_ms(eff.delay_ms); /* no lock is held here (billing.h) */
    switch (eff.kind) {
    case SCN_DECLINE:
        ret->verdict = BILLING_DECLINED;
        break;
    case SCN_PG_ERROR:
        ret->verdict = BILLING_PG_ERROR;
        break;
    case SCN_CARD_AUTH_FAIL:
        ret->verdict = BILLING_AUTH_FAILED;
        break;
    default: /* a slow PG: the test card decides once it answers */
        return false;
    }
    snprintf(ret->message, sizeof ret->message, "%s", eff.message);
    return true;
}

/* A virtual-account issuance: the same business effects refuse it (any of
 * decline, pg_error, card_auth_fail is the PG refusing to issue), a slow PG
 * only waits, and deposit_after_s scripts the buyer's deposit. */
static bool scenario_vbank(void *ud, const struct vbank_attempt *a, struct vbank_outcome *ret)
{
    struct store *s = ud;
    if (!scenario_any())
        return false;
    char key[IMP_KEY_MAX + 1];
    bool known = store_tenant_key(s, a->tid, key);
    struct scn_call call = {.op = SCN_OP_VBANK,
                            .imp_key = known ? key : NULL,
                            .merchant_uid = a->merchant_uid,
                            .pg = a->pg_provider,
                            .pg_id = a->pg_id,
                            .amount = a->amount,
                            .has_amount = true};
    struct scn_effect eff;
    if (!scenario_match(&call, SCN_BUSINESS, &eff))
        return false;
    if (eff.delay_ms)
        sleep_ms(eff.delay_ms); /* no lock is held here (vbank.h) */
    switch (eff.kind) {
    case SCN_DECLINE:
    case SCN_PG_ERROR:
    case SCN_CARD_AUTH_FAIL:
        ret->verdict = VBANK_REFUSED;
        snprintf(ret->message, sizeof ret->message, "%s", eff.message);
        return true;
    case SCN_VBANK_DEPOSIT:
        ret->verdict = VBANK_DEPOSIT_LATER;
        ret->deposit_after_s = eff.deposit_after_s;
        return true;
    default: /* a slow PG: issued once it answers */
        return false;
    }
}

void outcomes_install(struct store *s)
{
    billing_set_outcome_hook(scenario_outcome, s);
    vbank_set_outcome_hook(scenario_vbank, s);
}

bool outcomes_pg_fails(struct store *s, int tid, struct scn_call call, char *ret_message,
                       size_t cap)
{
    if (!scenario_any())
        return false;
    char key[IMP_KEY_MAX + 1];
    call.imp_key = store_tenant_key(s, tid, key) ? key : NULL;
    struct scn_effect eff;
    if (!scenario_match(&call, SCN_BUSINESS, &eff))
        return false;
    if (eff.delay_ms)
        sleep_ms(eff.delay_ms); /* pg_delay_ms lands here too; no lock is held */
    if (eff.kind != SCN_PG_ERROR && eff.kind != SCN_DECLINE && eff.kind != SCN_CARD_AUTH_FAIL)
        return false;
    snprintf(ret_message, cap, "%s", eff.message);
    return true;
}
