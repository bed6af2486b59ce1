/* api_schedule.c - scheduled payments (reference §7): creating, revoking,
 * reading, moving and retrying schedule items, and the three schedule
 * lists. Reads and checks fields, calls schedule.c or the store, renders. */
#include "base/limits.h"
#include "domain/billing.h"
#include "domain/order.h"
#include "domain/schedule.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/render.h"
#include "infra/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNSCHEDULE_MAX 1000 /* merchant_uids per unschedule */
#define WINDOW_MONTHS  3

/* ---- rendering (the Schedule object is render_schedule's) ---- */

static bool add_int(cJSON *o, const char *name, int64_t v)
{
    return cJSON_AddNumberToObject(o, name, (double)v) != NULL;
}

static void reply_schedule(struct req *r, const struct schedule *sc)
{
    cJSON *o = render_schedule(sc);
    if (o)
        envelope_ok(&r->reply, 200, o);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

static void reply_schedules(struct req *r, const struct schedule *items, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *o = render_schedule(&items[i]);
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    if (arr)
        envelope_ok(&r->reply, 200, arr);
    else
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
}

/* {total, previous, next, list}, as the payment lists (reference §4.4, §7.4). */
static void reply_page(struct req *r, const struct sched_page *pg, size_t page, size_t limit)
{
    size_t last = (pg->total + limit - 1) / limit;
    cJSON *o = cJSON_CreateObject();
    cJSON *list = NULL;
    bool ok = o && add_int(o, "total", (int64_t)pg->total) &&
              add_int(o, "previous", page > 1 && page - 1 <= last ? (int64_t)(page - 1) : 0) &&
              add_int(o, "next", page < last ? (int64_t)(page + 1) : 0) &&
              (list = cJSON_AddArrayToObject(o, "list")) != NULL;
    for (size_t i = 0; ok && i < pg->n; i++) {
        cJSON *it = render_schedule(&pg->items[i]);
        ok = it && cJSON_AddItemToArray(list, it);
        if (!ok)
            cJSON_Delete(it);
    }
    if (ok) {
        envelope_ok(&r->reply, 200, o);
    } else {
        cJSON_Delete(o);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
    }
}

static void fail(struct req *r, enum mock_err e, const char *detail)
{
    envelope_fail(&r->reply, e, detail && detail[0] ? detail : NULL);
}

static struct billing billing_of(struct req *r)
{
    struct billing b = {r->app->store, &app_fixtures(r->app)->cards};
    return b;
}

/* ---- POST /subscribe/payments/schedule ---- */

/* Item i's failure, recorded in p, as "schedules[i]: <its message>". */
static bool item_fail(struct req *r, size_t i, const struct params *p)
{
    if (p->err == MOCK_INTERNAL) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return false;
    }
    char index[24], message[512];
    snprintf(index, sizeof index, "%zu", i);
    param_message(p, message, sizeof message);
    const char *args[] = {index, message};
    envelope_fail_args(&r->reply, MOCK_SCHEDULE_ITEM, args, 2);
    return false;
}

/* Copies what an item keeps of its order, and promotion_id. */
static bool item_keep(struct schedule *it, const struct billing_order *o, const char *promotion_id)
{
    snprintf(it->merchant_uid, sizeof it->merchant_uid, "%s", o->merchant_uid);
    snprintf(it->currency, sizeof it->currency, "%s", o->currency ? o->currency : "KRW");
    it->amount = o->amount;
    it->tax_free = o->tax_free;
    it->card_quota = o->card_quota;
    return str_set(&it->name, o->name) && str_set(&it->buyer_name, o->buyer_name) &&
           str_set(&it->buyer_email, o->buyer_email) && str_set(&it->buyer_tel, o->buyer_tel) &&
           str_set(&it->buyer_addr, o->buyer_addr) &&
           str_set(&it->buyer_postcode, o->buyer_postcode) &&
           str_set(&it->custom_data, o->custom_data) && str_set(&it->promotion_id, promotion_id);
}

/* Reads item i (a JSON object, or a form's schedules[i][...] fields). */
static bool read_item(struct req *r, size_t i, const cJSON *obj, struct schedule *it)
{
    struct params p = {.body = obj, .query = NULL, .body_is_form = r->params.body_is_form};
    struct fields_order f;
    const char *promotion_id = NULL;
    char detail[BILLING_DETAIL_MAX];
    memset(it, 0, sizeof *it);
    it->payment_status = -1;
    if (!cJSON_IsObject(obj)) {
        param_fail(&p, MOCK_SCHEDULE_ITEM_NOT_OBJECT, NULL, 0);
        return item_fail(r, i, &p);
    }
    if (!fields_read_order(&p, FIELDS_SCHEDULE, &f))
        return item_fail(r, i, &p);
    bool ok = param_int(&p, "schedule_at", 0, TIME_MAX, true, &it->schedule_at, NULL) &&
              fields_read_text(&p, "promotion_id", TEXT_MAX, &promotion_id);
    if (ok) {
        enum mock_err e =
            order_check(&f.order, BILLING_DOOR_SCHEDULE, /* issues_key= */ false, detail);
        ok = e == MOCK_OK || param_fail1(&p, e, detail);
    }
    if (ok && !item_keep(it, &f.order, promotion_id))
        ok = param_fail(&p, MOCK_INTERNAL, NULL, 0);
    fields_order_fini(&f);
    if (!ok)
        return item_fail(r, i, &p);
    /* its failures name the item's field: schedules[i].notice_url */
    char field[48];
    snprintf(field, sizeof field, "schedules[%zu].notice_url", i);
    if (!fields_read_notice_url(&p, field, &it->notice_url)) {
        envelope_fail_params(&r->reply, &p);
        return false;
    }
    return true;
}

static void free_items(struct schedule *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        schedule_fini(&items[i]);
    free(items);
}

/* Issues the key from card data when the request carries some and the key
 * does not exist yet (reference §7.1). Renders the refusal; false then. */
static bool issue_if_asked(struct req *r, const char *uid)
{
    const char *pg = NULL, *ignored = NULL;
    struct billing_holder h;
    struct billing_card card;
    if (!fields_read_card(&r->params, false, &card) || !fields_read_pg(&r->params, &pg) ||
        !fields_read_holder(&r->params, false, &h) ||
        !param_str(&r->params, "channel_key", TEXT_MAX, false, &ignored))
        return api_bad_param(r);
    if (!card.number || !card.number[0])
        return true;
    struct customer c;
    enum mock_err e = store_customer_get(r->app->store, r->tid, uid, &c);
    if (e == MOCK_OK) {
        customer_fini(&c); /* an existing key is used as it is */
        return true;
    }
    if (!card.expiry) {
        envelope_fail(&r->reply, MOCK_PARAM_REQUIRED, "expiry");
        return false;
    }
    struct billing b = billing_of(r);
    char detail[BILLING_DETAIL_MAX];
    e = billing_issue_key(&b, r->tid, uid, pg, &card, &h, &c, detail);
    if (e == MOCK_CARD_AUTH_FAILED)
        e = MOCK_SCHEDULE_CARD_FAILED; /* this endpoint's wording, same card text */
    if (e != MOCK_OK) {
        fail(r, e, detail);
        return false;
    }
    customer_fini(&c);
    return true;
}

void api_schedule_post(struct req *r)
{
    const char *uid = NULL;
    int64_t checking_amount = 0;
    if (!param_str(&r->params, "customer_uid", CUSTOMER_UID_MAX, true, &uid) ||
        !param_amount(&r->params, "checking_amount", false, &checking_amount, NULL)) {
        api_bad_param(r);
        return;
    }
    const cJSON *list = param_item(&r->params, "schedules", NULL);
    if (!list) {
        envelope_fail(&r->reply, MOCK_PARAM_REQUIRED, "schedules");
        return;
    }
    if (!cJSON_IsArray(list) && !cJSON_IsObject(list)) {
        envelope_fail(&r->reply, MOCK_PARAM_NOT_ARRAY, "schedules");
        return;
    }
    /* an object keyed "0", "1", ... is how some PHP clients encode a list */
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) n += !cJSON_IsNull(e);
    if (n == 0 || n > SCHEDULE_ITEMS_MAX) {
        char max[16];
        snprintf(max, sizeof max, "%d", SCHEDULE_ITEMS_MAX);
        envelope_fail(&r->reply, MOCK_SCHEDULE_ITEMS_COUNT, max);
        return;
    }
    struct schedule *items = calloc(n, sizeof *items);
    struct schedule *stored = calloc(n, sizeof *stored);
    if (!items || !stored) {
        free(items);
        free(stored);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    size_t k = 0;
    bool ok = true;
    cJSON_ArrayForEach(e, list)
    {
        if (cJSON_IsNull(e))
            continue; /* a sparse form index */
        ok = read_item(r, k, e, &items[k]);
        k++;
        if (!ok)
            break;
    }
    int64_t now = clock_now();
    for (size_t i = 0; ok && i < n; i++) {
        if (items[i].schedule_at < now) { /* refused before a key is issued for it */
            fail(r, MOCK_SCHEDULE_PAST, items[i].merchant_uid);
            ok = false;
        }
    }
    if (ok && issue_if_asked(r, uid)) {
        char detail[SCHEDULE_DETAIL_MAX];
        enum mock_err err =
            schedule_create(r->app->store, r->tid, uid, items, n, now, stored, detail);
        if (err == MOCK_OK) {
            reply_schedules(r, stored, n);
            free_items(stored, n);
            stored = NULL;
        } else {
            fail(r, err, detail);
        }
    }
    free(stored);
    free_items(items, n); /* schedule_create may have filled any of them */
}

/* ---- POST /subscribe/payments/unschedule ---- */

void api_unschedule(struct req *r)
{
    const char *uid = NULL;
    const char **list = malloc(UNSCHEDULE_MAX * sizeof *list);
    size_t n = 0;
    if (!list) {
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    if (!param_str(&r->params, "customer_uid", CUSTOMER_UID_MAX, false, &uid) ||
        !param_str_list(&r->params, "merchant_uid", UNSCHEDULE_MAX, MERCHANT_UID_MAX, list, &n)) {
        free(list);
        api_bad_param(r);
        return;
    }
    if (uid && !uid[0])
        uid = NULL;
    if (!uid && n == 0) {
        free(list);
        envelope_fail(&r->reply, MOCK_UNSCHEDULE_NO_TARGET, NULL);
        return;
    }
    struct sched_page pg;
    enum mock_err e = store_schedule_revoke(r->app->store, r->tid, uid, list, n, clock_now(), &pg);
    free(list);
    if (e != MOCK_OK) {
        fail(r, e, NULL);
        return;
    }
    reply_schedules(r, pg.items, pg.n);
    store_sched_page_free(&pg);
}

/* ---- one item ---- */

void api_schedule_get(struct req *r)
{
    struct schedule sc;
    enum mock_err e = store_schedule_get(r->app->store, r->tid, r->args[0], &sc);
    if (e != MOCK_OK) {
        fail(r, e, r->args[0]);
        return;
    }
    reply_schedule(r, &sc);
    schedule_fini(&sc);
}

static void move(struct req *r, bool reschedule)
{
    int64_t at = 0;
    if (!param_int(&r->params, "schedule_at", 0, TIME_MAX, true, &at, NULL)) {
        api_bad_param(r);
        return;
    }
    struct schedule sc;
    char detail[SCHEDULE_DETAIL_MAX];
    enum mock_err e =
        schedule_move(r->app->store, r->tid, r->args[0], at, reschedule, clock_now(), &sc, detail);
    if (e != MOCK_OK) {
        fail(r, e, detail);
        return;
    }
    reply_schedule(r, &sc);
    schedule_fini(&sc);
}

void api_schedule_put(struct req *r)
{
    move(r, false);
}

void api_schedule_reschedule(struct req *r)
{
    move(r, true);
}

void api_schedule_retry(struct req *r)
{
    struct billing b = billing_of(r);
    struct payment p;
    char detail[SCHEDULE_DETAIL_MAX];
    enum mock_err e = schedule_retry(&b, r->tid, r->args[0], &p, detail);
    if (e != MOCK_OK) {
        fail(r, e, detail);
        return;
    }
    api_reply_payment(r, &p); /* a Payment: check its status (reference §7.4) */
    payment_fini(&p);
}

/* ---- lists ---- */

/* from + 3 calendar months, Korean time, the day clamped to the month's end. */
static int64_t window_end(int64_t from)
{
    time_t t = (time_t)(from + KST_OFFSET);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return from;
    int mon = tm.tm_mon + WINDOW_MONTHS;
    int year = tm.tm_year + 1900 + mon / 12;
    mon %= 12;
    int last = clock_days_in_month(year, mon + 1);
    if (tm.tm_mday > last)
        tm.tm_mday = last;
    tm.tm_year = year - 1900;
    tm.tm_mon = mon;
    return (int64_t)timegm(&tm) - KST_OFFSET;
}

/* Reads the range, status and paging every schedule list takes. */
static bool read_list(struct req *r, const char *from_name, const char *to_name,
                      const char *status_name, struct sched_query *q)
{
    int64_t from = 0, to = 0, page = 1, limit = 20;
    const char *status = NULL;
    if (!param_int(&r->params, from_name, 0, TIME_MAX, true, &from, NULL) ||
        !param_int(&r->params, to_name, 0, TIME_MAX, true, &to, NULL) ||
        !param_str(&r->params, status_name, 16, false, &status) || !param_page(&r->params, &page) ||
        !param_int(&r->params, "limit", 1, LIST_LIMIT_MAX, false, &limit, NULL))
        return api_bad_param(r);
    if (!status && strchr(status_name, '-')) {
        /* the customer lists spell it schedule-status; take schedule_status too */
        if (!param_str(&r->params, "schedule_status", 16, false, &status))
            return api_bad_param(r);
    }
    q->status = -1;
    if (status && status[0]) {
        enum sched_status st;
        if (!sched_status_parse(status, &st)) {
            envelope_fail(&r->reply, MOCK_BAD_STATUS, NULL);
            return false;
        }
        q->status = (int)st;
    }
    if (from > to) {
        const char *names[] = {from_name, to_name};
        envelope_fail_args(&r->reply, MOCK_PARAM_FROM_AFTER_TO, names, 2);
        return false;
    }
    if (to > window_end(from)) {
        envelope_fail(&r->reply, MOCK_SCHEDULE_WINDOW, NULL);
        return false;
    }
    q->time_filter = true;
    q->from = from;
    q->to = to;
    q->page = (size_t)page;
    q->limit = (size_t)limit;
    return true;
}

static void reply_query(struct req *r, const struct sched_query *q)
{
    struct sched_page pg;
    enum mock_err e = store_schedule_query(r->app->store, r->tid, q, &pg);
    if (e != MOCK_OK) {
        fail(r, e, NULL);
        return;
    }
    if (pg.n == 0 && (pg.total > 0 || q->page > 1)) {
        api_bad_page(r, pg.total, q->limit);
    } else {
        reply_page(r, &pg, q->page, q->limit);
    }
    store_sched_page_free(&pg);
}

void api_schedule_list(struct req *r)
{
    struct sched_query q;
    memset(&q, 0, sizeof q);
    const char *sorting = NULL;
    if (!read_list(r, "schedule_from", "schedule_to", "schedule_status", &q))
        return;
    if (!param_str(&r->params, "sorting", 16, false, &sorting)) {
        api_bad_param(r);
        return;
    }
    /* newest first unless sorting=scheduled (reference §7.4) */
    if (sorting && sorting[0] && strcmp(sorting, "scheduled") != 0 &&
        strcmp(sorting, "-scheduled") != 0) {
        envelope_fail(&r->reply, MOCK_BAD_SORTING, sorting);
        return;
    }
    q.ascending = sorting && strcmp(sorting, "scheduled") == 0;
    reply_query(r, &q);
}

void api_customer_schedules(struct req *r)
{
    struct sched_query q;
    memset(&q, 0, sizeof q);
    if (!read_list(r, "from", "to", "schedule-status", &q))
        return;
    /* a customer_uid with no key and no item has an empty list: the two
     * lists name no 404 in the Swagger (reference §16.0) */
    q.customer_uid = r->args[0];
    reply_query(r, &q);
}
