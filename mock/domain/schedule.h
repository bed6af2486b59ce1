/*
 * schedule.h - scheduled payments (reference §7): the rules for creating,
 * moving and retrying schedule items, and the executor that charges an item
 * once the virtual clock reaches its schedule_at, through the same charge
 * path as POST /subscribe/payments/again (billing_charge_key, door SCHEDULE,
 * so test cards and scenarios decide), records the outcome on the item and
 * queues its webhook ("paid" or "failed").
 * Items run in schedule_at order, ties in insertion order, across every
 * tenant, one runner at a time: the background thread (about once a second,
 * a bounded batch per tick) or a clock change through the control API (every
 * due item, before it answers). The same background tick also makes the
 * virtual-account deposits scenarios scripted (vbank_run_due). A run records the item's due time as
 * the time of the charge (paid_at / failed_at / executed_at), so a year advanced in one step leaves
 * twelve monthly payments dated a month apart. No HTTP and no JSON. Thread-safety: callable from
 * any thread.
 */
#ifndef IMPMOCK_SCHEDULE_H
#define IMPMOCK_SCHEDULE_H

#include "base/errors.h"
#include "base/model.h"
#include "domain/billing.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCHEDULE_ITEMS_MAX  1000 /* items per POST /subscribe/payments/schedule */
#define SCHEDULE_TICK_MS    1000 /* the background runner's period */
#define SCHEDULE_TICK_ITEMS 2000 /* items one tick runs at most; the rest wait a tick */
#define SCHEDULE_DETAIL_MAX BILLING_DETAIL_MAX

/* Checks and stores items[0..n) for billing key customer_uid at time now:
 * MOCK_SCHEDULE_NO_CUSTOMER when there is no such key; MOCK_SCHEDULE_PAST
 * (detail: merchant_uid) for a schedule_at before now; then the store's
 * MOCK_SCHEDULE_DUPLICATE (detail: merchant_uid). Fills each item's
 * customer_uid, pg_provider, pg_id and customer_id from the key, and the
 * buyer_* it lacks from the key's customer_* (the items are modified).
 * ret_items receives n owned copies on MOCK_OK. */
enum mock_err schedule_create(struct store *s, int tid, const char *customer_uid,
                              struct schedule *items, size_t n, int64_t now,
                              struct schedule *ret_items, char ret_detail[SCHEDULE_DETAIL_MAX]);

/* PUT (reschedule=false) or .../reschedule (true) of item merchant_uid to run
 * at `at`: MOCK_SCHEDULE_AT_PAST when at < now, else store_schedule_move's
 * refusals (detail: merchant_uid). */
enum mock_err schedule_move(struct store *s, int tid, const char *merchant_uid, int64_t at,
                            bool reschedule, int64_t now, struct schedule *ret_schedule,
                            char ret_detail[SCHEDULE_DETAIL_MAX]);

/* .../retry: runs a revoked item, or one whose execution failed, now.
 * MOCK_SCHEDULE_NOT_FOUND / MOCK_SCHEDULE_NOT_FAILED (detail: merchant_uid);
 * a charge refused before the card company (the key was deleted, the order
 * was paid meanwhile) answers that refusal and leaves the item failed.
 * MOCK_OK with the payment (owned), paid or failed: check its status. */
enum mock_err schedule_retry(const struct billing *b, int tid, const char *merchant_uid,
                             struct payment *ret_payment, char ret_detail[SCHEDULE_DETAIL_MAX]);

/* Runs every item due at `until` (at most max, 0 = no limit) in order;
 * returns how many ran. Serialised with every other runner. */
size_t schedule_run_due(const struct billing *b, int64_t until, size_t max);

/* Starts the background runner with *b (copied; its store and card table
 * must outlive schedule_stop). Call before the server starts; false when the
 * thread cannot start. */
bool schedule_start(const struct billing *b);
/* The card table the runner charges with from its next tick on (a reset
 * that reread the fixtures); the old one must stay valid. */
void schedule_use_cards(const struct card_table *cards);
/* Stops and joins the runner (a run under way finishes its batch first). */
void schedule_stop(void);

#endif
