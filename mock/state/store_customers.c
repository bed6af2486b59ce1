/* store_customers.c - billing keys (reference §5), indexed by customer_uid,
 * each with the count of charges made with it; see store.h. */
#include "state/store_internal.h"

#include <stdlib.h>
#include <string.h>

static struct customer *store__customer_find(struct store *s, struct tenant *t,
                                             const char *customer_uid)
{
    store__assert_locked(s);
    uint32_t i;
    return hmap_get(&t->by_cust, customer_uid, &i) ? t->custs[i] : NULL;
}

struct customer *store__customer_store(struct store *s, struct tenant *t, struct customer *c)
{
    store__assert_writing(s);
    struct customer *cur = store__customer_find(s, t, c->customer_uid);
    if (cur) {
        customer_fini(cur);
        *cur = *c; /* the same customer_uid in the same place: the index stays right */
    } else {
        if (!grow_array((void **)&t->custs, &t->cap_custs, t->n_custs + 1, sizeof *t->custs))
            return NULL;
        cur = malloc(sizeof *cur);
        if (!cur)
            return NULL;
        *cur = *c;
        if (!hmap_put(&t->by_cust, cur->customer_uid, (uint32_t)t->n_custs)) {
            free(cur);
            return NULL;
        }
        t->custs[t->n_custs++] = cur;
    }
    memset(c, 0, sizeof *c);
    return cur;
}

void store__customers_clear(struct store *s, struct tenant *t)
{
    store__assert_locked(s);
    for (size_t i = 0; i < t->n_custs; i++) {
        customer_fini(t->custs[i]);
        free(t->custs[i]);
    }
    free(t->custs);
    t->custs = NULL;
    t->n_custs = t->cap_custs = 0;
    hmap_fini(&t->by_cust);
}

bool store_customer_exists(struct store *s, int tid, const char *customer_uid)
{
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    bool found = t && store__customer_find(s, t, customer_uid);
    store__unlock(s);
    return found;
}

enum mock_err store_customer_get(struct store *s, int tid, const char *customer_uid,
                                 struct customer *ret_customer)
{
    enum mock_err err = MOCK_CUSTOMER_NOT_FOUND;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    const struct customer *c = t ? store__customer_find(s, t, customer_uid) : NULL;
    if (c)
        err = customer_copy(ret_customer, c) ? MOCK_OK : MOCK_INTERNAL;
    store__unlock(s);
    return err;
}

enum mock_err store_customer_put(struct store *s, int tid, const struct customer *c,
                                 struct customer *ret_customer)
{
    enum mock_err err = MOCK_INTERNAL;
    struct customer copy; /* made outside the lock */
    if (!customer_copy(&copy, c))
        return MOCK_INTERNAL;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    const struct customer *old = store__customer_find(s, t, c->customer_uid);
    if (old) {
        copy.inserted = old->inserted;
        copy.charges = 0;
    }
    const struct customer *cur = store__customer_store(s, t, &copy);
    if (!cur)
        goto out;
    err = MOCK_OK;
    store__emit(s, STORE_EV_CUSTOMER, tid, cur);
    if (ret_customer && !customer_copy(ret_customer, cur))
        err = MOCK_INTERNAL;
out:
    if (!store__unlock_publish(s) && err == MOCK_OK) {
        if (ret_customer) /* not logged: answered as an error, the copy is not the caller's */
            customer_fini(ret_customer);
        err = MOCK_INTERNAL;
    }
    customer_fini(&copy);
    return err;
}

enum mock_err store_customer_delete(struct store *s, int tid, const char *customer_uid,
                                    struct customer *ret_customer)
{
    enum mock_err err = MOCK_CUSTOMER_NOT_FOUND;
    uint32_t i;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (t && hmap_get(&t->by_cust, customer_uid, &i)) {
        struct customer *c = t->custs[i];
        hmap_del(&t->by_cust, customer_uid);
        t->custs[i] = NULL;
        *ret_customer = *c; /* ownership of its strings moves to the caller */
        free(c);
        err = MOCK_OK;
        store__emit(s, STORE_EV_CUSTOMER_DEL, tid, customer_uid);
        s->evict_after = INT64_MIN; /* the tenant may be empty, and evictable, now */
    }
    if (!store__unlock_publish(s) && err == MOCK_OK) {
        customer_fini(ret_customer);
        err = MOCK_INTERNAL;
    }
    return err;
}

enum mock_err store_customer_count_charge(struct store *s, int tid, const char *customer_uid,
                                          uint64_t *ret_count)
{
    enum mock_err err = MOCK_CUSTOMER_UNKNOWN;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    struct customer *c = t ? store__customer_find(s, t, customer_uid) : NULL;
    if (c) {
        *ret_count = ++c->charges;
        err = MOCK_OK;
        store__emit(s, STORE_EV_CUSTOMER, tid, c);
    }
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_order_reserve_key(struct store *s, int tid, const char *merchant_uid,
                                      const char *customer_uid, struct customer *ret_customer,
                                      uint64_t *ret_count)
{
    enum mock_err err = MOCK_INTERNAL;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    struct customer *c = store__customer_find(s, t, customer_uid);
    err = c ? store__order_claim(s, t, merchant_uid) : MOCK_CUSTOMER_UNKNOWN;
    if (err != MOCK_OK)
        goto out;
    if (!customer_copy(ret_customer, c)) {
        store__order_unclaim(s, t, merchant_uid);
        err = MOCK_INTERNAL;
        goto out;
    }
    *ret_count = ++c->charges;
    store__emit(s, STORE_EV_CUSTOMER, tid, c);
out:
    if (!store__unlock_publish(s) && err == MOCK_OK) {
        customer_fini(ret_customer);
        store_order_release(s, tid, merchant_uid);
        err = MOCK_INTERNAL;
    }
    return err;
}

enum mock_err store_customer_list(struct store *s, int tid, struct customer **ret_list,
                                  size_t *ret_n)
{
    enum mock_err err = MOCK_INTERNAL;
    struct customer *list = NULL;
    size_t n = 0;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    list = t->n_custs ? calloc(t->n_custs, sizeof *list) : NULL;
    if (t->n_custs && !list)
        goto out;
    for (size_t i = 0; i < t->n_custs; i++) {
        if (!t->custs[i])
            continue; /* deleted */
        if (!customer_copy(&list[n], t->custs[i]))
            goto out;
        n++;
    }
    err = MOCK_OK;
out:
    store__unlock(s);
    if (err != MOCK_OK) {
        store_customers_free(list, n);
        list = NULL;
        n = 0;
    }
    *ret_list = list;
    *ret_n = n;
    return err;
}

void store_customers_free(struct customer *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        customer_fini(&list[i]);
    free(list);
}
