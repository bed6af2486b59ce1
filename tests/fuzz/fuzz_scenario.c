/*
 * fuzz_scenario.c - scenario_load_text on arbitrary bytes (the text of a
 * --scenario file or a POST /__mock/scenarios body). A loaded scenario is
 * then matched against a few calls on every layer, listed, and removed, so
 * the rule engine runs on whatever the loader accepted.
 */
#include "infra/scenario.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    err[0] = '\0';
    if (!scenario_load_text((const char *)data, size, "fuzz", err, sizeof err)) {
        if (!err[0])
            abort();
        return 0;
    }
    static const struct scn_call calls[] = {
        {.op = SCN_OP_CHARGE, .route = "POST /subscribe/payments/again", .imp_key = "imp_apikey",
         .merchant_uid = "order_1", .customer_uid = "cust_1", .pg = "nice", .pg_id = "nictest04m",
         .amount = 1000, .has_amount = true},
        {.op = SCN_OP_TOKEN, .route = "POST /users/getToken", .imp_key = "job-a"},
        {.op = SCN_OP_LOOKUP, .route = "GET /payments/imp_1"},
        {.op = SCN_OP_WEBHOOK, .route = "webhook", .merchant_uid = "order_1"},
        {.op = SCN_OP_CHECKOUT, .merchant_uid = "order_2", .amount = 0, .has_amount = true},
    };
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
            for (int layer = SCN_TRANSPORT; layer <= SCN_WINDOW; layer++) {
                struct scn_effect e;
                if (scenario_match(&calls[i], (enum scn_layer)layer, &e) &&
                    (e.kind == SCN_NONE || e.delay_ms < 0 || e.delay_ms > 600000))
                    abort();
            }
        }
    }
    char *list = scenario_list_json();
    free(list);
    scenario_clear();
    return 0;
}
