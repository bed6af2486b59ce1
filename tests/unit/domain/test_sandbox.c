/*
 * test_sandbox.c - what a reset and a clock change set off
 * (domain/sandbox.c), against a real store seeded from the embedded
 * fixtures: a full reset forgets tenants made on the fly and a scoped one
 * only empties them; the tenant's payment windows and scenarios go with it,
 * a full reset loads the scenario files again; a clock change applies freeze,
 * set and advance and runs the schedules it made due.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/billing.h"
#include "domain/checkout.h"
#include "domain/sandbox.h"
#include "domain/schedule.h"
#include "infra/clock.h"
#include "infra/scenario.h"
#include "state/fixtures.h"
#include "state/ids.h"
#include "state/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1704034800LL /* 2024-01-01 00:00 KST */

static struct fixtures fx; /* the embedded defaults: merchant imp00000000 */
static char scenario_file[128];
static const char *scenario_files[1];

struct fixture {
    struct store *s;
    struct sandbox sb;
    struct billing b;
    int fixed; /* the fixture merchant's tenant */
    int made;  /* a tenant made on the fly */
};

/* A scenario file as --scenario would name it. */
static int write_scenario_file(void)
{
    FILE *f = fopen(scenario_file, "w");
    if (!f)
        return -1;
    fputs("{\"name\":\"from-file\",\"description\":\"loaded at start\",\"rules\":"
          "[{\"when\":{\"op\":\"lookup\"},\"then\":{\"status\":503}}]}",
          f);
    return fclose(f) == 0 ? 0 : -1;
}

static int setup_all(void **state)
{
    (void)state;
    char err[256];
    if (sodium_init() < 0)
        return -1;
    ids_init(true, 11);
    if (!fixtures_load(&fx, NULL, err, sizeof err))
        return -1;
    snprintf(scenario_file, sizeof scenario_file, "/tmp/impmock-sandbox-%d.json", (int)getpid());
    scenario_files[0] = scenario_file;
    return write_scenario_file();
}

static int teardown_all(void **state)
{
    (void)state;
    fixtures_fini(&fx);
    scenario_fini();
    checkout_fini();
    remove(scenario_file);
    return 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char err[256];
    if (!f)
        return -1;
    f->s = store_new();
    if (!f->s || !fixtures_apply(&fx, f->s, err, sizeof err))
        return -1;
    f->fixed = 0;
    struct merchant m;
    fixtures_template_merchant(&fx, "job-a", "secret-a", &m);
    if (store_tenant_add(f->s, &m, &f->made) != MOCK_OK)
        return -1;
    f->sb = (struct sandbox){f->s, &fx.cards, &fx, scenario_files, 1, NULL};
    f->b = (struct billing){f->s, &fx.cards};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_free(f->s);
    free(f);
    scenario_clear();
    checkout_fini();
    clock_reset();
    return 0;
}

static void issue(struct fixture *f, int tid, const char *uid)
{
    struct billing_card card = {"4242-4242-4242-4242", "2099-12", NULL, NULL};
    struct customer c;
    char detail[BILLING_DETAIL_MAX];
    assert_int_equal(billing_issue_key(&f->b, tid, uid, NULL, &card, NULL, &c, detail), MOCK_OK);
    customer_fini(&c);
}

static bool has_key(struct fixture *f, int tid, const char *uid)
{
    struct customer c;
    enum mock_err e = store_customer_get(f->s, tid, uid, &c);
    if (e == MOCK_OK)
        customer_fini(&c);
    return e == MOCK_OK;
}

static bool tenant_exists(struct fixture *f, int tid)
{
    struct merchant m;
    return store_tenant_merchant(f->s, tid, &m);
}

/* Opens a Kakao Pay window at the fixture merchant; its id into ret_id. */
static void open_window(struct fixture *f, const char *mid, char ret_id[CHECKOUT_ID_LEN + 1])
{
    struct checkout_request rq = {.merchant_code = "imp00000000", .pg = "kakaopay"};
    rq.order.merchant_uid = mid;
    rq.order.amount = 1000;
    struct checkout_window w;
    char detail[BILLING_DETAIL_MAX];
    assert_int_equal(checkout_open(&f->b, &rq, &w, detail), MOCK_OK);
    memcpy(ret_id, w.id, CHECKOUT_ID_LEN + 1);
}

static bool window_known(const char *id)
{
    struct checkout_window w;
    return checkout_get(id, &w) == MOCK_OK;
}

static bool scenario_loaded(const char *name)
{
    char *list = scenario_list_json();
    assert_non_null(list);
    char quoted[80];
    snprintf(quoted, sizeof quoted, "\"%s\"", name);
    bool found = strstr(list, quoted) != NULL;
    free(list);
    return found;
}

static void test_full_reset(void **state)
{
    struct fixture *f = *state;
    char err[256];
    issue(f, f->fixed, "cust");
    issue(f, f->made, "cust");
    assert_true(sandbox_reset(&f->sb, SANDBOX_EVERY_TENANT, err, sizeof err));
    assert_true(tenant_exists(f, f->fixed)); /* seeded again */
    assert_false(has_key(f, f->fixed, "cust"));
    assert_false(tenant_exists(f, f->made)); /* made on the fly: forgotten */
}

static void test_tenant_reset(void **state)
{
    struct fixture *f = *state;
    char err[256];
    issue(f, f->fixed, "cust");
    issue(f, f->made, "cust");
    assert_true(sandbox_reset(&f->sb, f->made, err, sizeof err));
    assert_true(tenant_exists(f, f->made)); /* emptied, not forgotten */
    assert_false(has_key(f, f->made, "cust"));
    assert_true(has_key(f, f->fixed, "cust")); /* the other tenant untouched */
    assert_true(sandbox_reset(&f->sb, f->fixed, err, sizeof err));
    assert_true(tenant_exists(f, f->fixed));
    assert_false(has_key(f, f->fixed, "cust"));
}

static void test_reset_forgets_windows(void **state)
{
    struct fixture *f = *state;
    char err[256], a[CHECKOUT_ID_LEN + 1], b[CHECKOUT_ID_LEN + 1];
    open_window(f, "w_1", a);
    assert_true(sandbox_reset(&f->sb, f->made, err, sizeof err));
    assert_true(window_known(a)); /* another tenant's reset */
    assert_true(sandbox_reset(&f->sb, f->fixed, err, sizeof err));
    assert_false(window_known(a));
    open_window(f, "w_2", b);
    assert_true(window_known(b));
    assert_true(sandbox_reset(&f->sb, SANDBOX_EVERY_TENANT, err, sizeof err));
    assert_false(window_known(b));
}

static void test_reset_and_scenarios(void **state)
{
    struct fixture *f = *state;
    char err[256];
    static const char scoped[] =
        "{\"name\":\"job-a-down\",\"description\":\"d\",\"tenant\":\"job-a\",\"rules\":"
        "[{\"when\":{\"op\":\"lookup\"},\"then\":{\"status\":503}}]}";
    static const char added[] = "{\"name\":\"added\",\"description\":\"d\",\"rules\":"
                                "[{\"when\":{\"op\":\"lookup\"},\"then\":{\"status\":503}}]}";
    assert_true(scenario_load_text(scoped, strlen(scoped), "test", err, sizeof err));
    assert_true(scenario_load_text(added, strlen(added), "test", err, sizeof err));
    /* a tenant's reset takes its own scenarios only */
    assert_true(sandbox_reset(&f->sb, f->made, err, sizeof err));
    assert_false(scenario_loaded("job-a-down"));
    assert_true(scenario_loaded("added"));
    /* a full reset goes back to the files */
    assert_true(sandbox_reset(&f->sb, SANDBOX_EVERY_TENANT, err, sizeof err));
    assert_false(scenario_loaded("added"));
    assert_true(scenario_loaded("from-file"));
    /* a file that cannot be read again fails the reset, with its name */
    remove(scenario_file);
    assert_false(sandbox_reset(&f->sb, SANDBOX_EVERY_TENANT, err, sizeof err));
    assert_non_null(strstr(err, "impmock-sandbox-"));
    assert_int_equal(write_scenario_file(), 0); /* back for the tests after this one */
}

static void test_clock_change(void **state)
{
    struct fixture *f = *state;
    struct sandbox_clock c = {.has_freeze = true, .freeze = true, .has_set = true, .set = T0};
    sandbox_clock_change(&f->sb, &c);
    assert_true(clock_is_frozen());
    assert_int_equal(clock_now(), T0);
    c = (struct sandbox_clock){.has_advance = true, .advance = 60};
    sandbox_clock_change(&f->sb, &c);
    assert_int_equal(clock_now(), T0 + 60);
    assert_true(clock_is_frozen());

    /* an item due within the next advance has run when the change returns */
    issue(f, f->fixed, "cust");
    struct schedule it, out;
    memset(&it, 0, sizeof it);
    snprintf(it.merchant_uid, sizeof it.merchant_uid, "due_1");
    it.schedule_at = T0 + 3600;
    it.amount = 9900;
    it.payment_status = -1;
    char detail[SCHEDULE_DETAIL_MAX];
    assert_int_equal(schedule_create(f->s, f->fixed, "cust", &it, 1, clock_now(), &out, detail),
                     MOCK_OK);
    schedule_fini(&it);
    schedule_fini(&out);
    c = (struct sandbox_clock){.has_advance = true, .advance = 3539};
    sandbox_clock_change(&f->sb, &c);
    struct schedule sc;
    assert_int_equal(store_schedule_get(f->s, f->fixed, "due_1", &sc), MOCK_OK);
    assert_int_not_equal(sc.status, SCHED_EXECUTED); /* one second early */
    schedule_fini(&sc);
    c = (struct sandbox_clock){.has_advance = true, .advance = 1};
    sandbox_clock_change(&f->sb, &c);
    assert_int_equal(store_schedule_get(f->s, f->fixed, "due_1", &sc), MOCK_OK);
    assert_int_equal(sc.status, SCHED_EXECUTED);
    assert_int_equal(sc.payment_status, PAY_PAID);
    schedule_fini(&sc);

    /* unfreezing keeps the reading and lets it run */
    c = (struct sandbox_clock){.has_freeze = true, .freeze = false};
    sandbox_clock_change(&f->sb, &c);
    assert_false(clock_is_frozen());
    assert_true(clock_now() >= T0 + 3600 && clock_now() <= T0 + 3602);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenant_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_forgets_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_and_scenarios, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_change, setup, teardown),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
