/* store_documents.c - the paperwork around payments (reference §18-§20):
 * cash receipts (of a payment, by imp_uid, or of an outside sale, by
 * merchant_uid), identity verifications and escrow shipping records, each
 * kind in a table of fixed-size records; see store.h. */
#include "state/store_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ---- a table of fixed-size records keyed by a string inside each ---- */

struct doc_kind {
    size_t size;    /* of the record */
    size_t key_off; /* offset of its key (a char array) */
};

static const struct doc_kind receipt_kind = {sizeof(struct receipt), offsetof(struct receipt, key)};
static const struct doc_kind cert_kind = {sizeof(struct certification),
                                          offsetof(struct certification, imp_uid)};
static const struct doc_kind logis_kind = {sizeof(struct escrow_logis),
                                           offsetof(struct escrow_logis, imp_uid)};

static void *store__doc_find(struct store *s, struct doc_table *dt, const char *key)
{
    store__assert_locked(s);
    uint32_t i;
    return hmap_get(&dt->index, key, &i) ? dt->items[i] : NULL;
}

/* Stores a copy of rec in place of the record of the same key, or as a new
 * one; the stored record, NULL when out of memory (the table unchanged). */
static void *store__doc_put(struct store *s, struct doc_table *dt, const struct doc_kind *k,
                            const void *rec)
{
    store__assert_locked(s);
    const char *key = (const char *)rec + k->key_off;
    void *cur = store__doc_find(s, dt, key);
    if (cur) {
        memcpy(cur, rec, k->size); /* the same key in the same place: the index stays right */
        return cur;
    }
    if (!grow_array((void **)&dt->items, &dt->cap, dt->n + 1, sizeof *dt->items))
        return NULL;
    cur = malloc(k->size);
    if (!cur)
        return NULL;
    memcpy(cur, rec, k->size);
    if (!hmap_put(&dt->index, (const char *)cur + k->key_off, (uint32_t)dt->n)) {
        free(cur);
        return NULL;
    }
    dt->items[dt->n++] = cur;
    return cur;
}

/* Removes the record of key into ret (k->size bytes); false when none. */
static bool store__doc_delete(struct store *s, struct doc_table *dt, const struct doc_kind *k,
                              const char *key, void *ret)
{
    store__assert_locked(s);
    uint32_t i;
    if (!hmap_get(&dt->index, key, &i))
        return false;
    void *rec = dt->items[i];
    hmap_del(&dt->index, key);
    dt->items[i] = NULL;
    memcpy(ret, rec, k->size);
    free(rec);
    return true;
}

static void store__doc_clear(struct store *s, struct doc_table *dt)
{
    store__assert_locked(s);
    for (size_t i = 0; i < dt->n; i++)
        free(dt->items[i]);
    free(dt->items);
    hmap_fini(&dt->index);
    memset(dt, 0, sizeof *dt);
}

void store__documents_clear(struct store *s, struct tenant *t)
{
    store__assert_locked(s);
    store__doc_clear(s, &t->receipts);
    store__doc_clear(s, &t->ext_receipts);
    store__doc_clear(s, &t->certs);
    store__doc_clear(s, &t->logis);
}

enum doc_list_of { LIST_RECEIPTS, LIST_CERTS, LIST_LOGIS };

/* Copies of every record of one kind, in insertion order: receipts of
 * payments first, then those of outside sales. */
static enum mock_err doc_list(struct store *s, int tid, enum doc_list_of which, void **ret_list,
                              size_t *ret_n)
{
    enum mock_err err = MOCK_INTERNAL;
    const struct doc_kind *k = which == LIST_RECEIPTS ? &receipt_kind
                               : which == LIST_CERTS  ? &cert_kind
                                                      : &logis_kind;
    char *list = NULL;
    size_t n = 0;
    *ret_list = NULL;
    *ret_n = 0;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    struct doc_table *tables[2] = {which == LIST_RECEIPTS ? &t->receipts
                                   : which == LIST_CERTS  ? &t->certs
                                                          : &t->logis,
                                   which == LIST_RECEIPTS ? &t->ext_receipts : NULL};
    size_t cap = tables[0]->n + (tables[1] ? tables[1]->n : 0);
    list = cap ? malloc(cap * k->size) : NULL;
    if (cap && !list)
        goto out;
    for (size_t pass = 0; pass < 2; pass++) {
        const struct doc_table *dt = tables[pass];
        for (size_t i = 0; dt && i < dt->n; i++)
            if (dt->items[i])
                memcpy(list + k->size * n++, dt->items[i], k->size);
    }
    err = MOCK_OK;
out:
    store__unlock(s);
    if (err == MOCK_OK) {
        *ret_list = list;
        *ret_n = n;
    } else {
        free(list);
    }
    return err;
}

/* ---- cash receipts ---- */

static struct doc_table *receipts_of(struct tenant *t, bool external)
{
    return external ? &t->ext_receipts : &t->receipts;
}

/* Sets payment i's cash_receipt_issued, as a new version of it; false when
 * out of memory (the payment unchanged). */
static bool store__payment_mark_receipt(struct store *s, int tid, struct tenant *t, long i,
                                        bool issued)
{
    store__assert_locked(s);
    struct payment p;
    if (!paypack_decode(&s->pack, t->pays[i].rec, &p))
        return false;
    p.cash_receipt_issued = issued;
    p.version++;
    uint8_t *rec = paypack_encode(&s->pack, &p);
    if (rec) {
        free(t->pays[i].rec); /* imp_uid and merchant_uid unchanged: the indexes stay right */
        t->pays[i].rec = rec;
        store__emit(s, STORE_EV_PAYMENT, tid, &p);
    }
    payment_fini(&p);
    return rec != NULL;
}

enum mock_err store_receipt_get(struct store *s, int tid, bool external, const char *key,
                                struct receipt *ret_receipt)
{
    enum mock_err err = MOCK_RECEIPT_NOT_FOUND;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    const struct receipt *r = t ? store__doc_find(s, receipts_of(t, external), key) : NULL;
    if (r) {
        *ret_receipt = *r;
        err = MOCK_OK;
    }
    store__unlock(s);
    return err;
}

/* The checks of store_receipt_issue; *ret_pay is the payment's index (-1 external). */
static enum mock_err store__receipt_may_issue(struct store *s, struct tenant *t,
                                              const struct receipt *r, uint64_t pay_version,
                                              long *ret_pay)
{
    store__assert_locked(s);
    const struct receipt *cur = store__doc_find(s, receipts_of(t, r->external), r->key);
    if (cur && !cur->cancelled_at)
        return MOCK_RECEIPT_EXISTS;
    *ret_pay = -1;
    if (r->external)
        return MOCK_OK;
    long i = store__payment_index(s, t, r->key);
    if (i < 0)
        return MOCK_PAYMENT_NOT_FOUND;
    struct paypack_head h;
    paypack_head(t->pays[i].rec, &h);
    if (h.version != pay_version)
        return MOCK_IN_PROGRESS;
    *ret_pay = i;
    return MOCK_OK;
}

enum mock_err store_receipt_issue(struct store *s, int tid, const struct receipt *r,
                                  uint64_t pay_version)
{
    enum mock_err err = MOCK_INTERNAL;
    long pay = -1;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    err = store__receipt_may_issue(s, t, r, pay_version, &pay);
    if (err != MOCK_OK)
        goto out;
    /* the payment first: when it cannot change, no receipt is stored either */
    err = MOCK_INTERNAL;
    if (pay >= 0 && !store__payment_mark_receipt(s, tid, t, pay, true))
        goto out;
    if (!store__doc_put(s, receipts_of(t, r->external), &receipt_kind, r)) {
        if (pay >= 0)
            store__payment_mark_receipt(s, tid, t, pay, false); /* undo, as far as memory allows */
        goto out;
    }
    err = MOCK_OK;
    store__emit(s, STORE_EV_RECEIPT, tid, r);
out:
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_receipt_revoke(struct store *s, int tid, bool external, const char *key,
                                   int64_t now, struct receipt *ret_receipt)
{
    enum mock_err err = MOCK_RECEIPT_NOT_FOUND;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    struct receipt *r = t ? store__doc_find(s, receipts_of(t, external), key) : NULL;
    if (r && r->cancelled_at) {
        err = MOCK_RECEIPT_REVOKED;
    } else if (r) {
        long pay = external ? -1 : store__payment_index(s, t, key);
        if (pay >= 0 && !store__payment_mark_receipt(s, tid, t, pay, false)) {
            err = MOCK_INTERNAL;
        } else {
            r->cancelled_at = now;
            store__emit(s, STORE_EV_RECEIPT, tid, r);
            if (ret_receipt)
                *ret_receipt = *r;
            err = MOCK_OK;
        }
    }
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_receipt_list(struct store *s, int tid, struct receipt **ret_list, size_t *ret_n)
{
    return doc_list(s, tid, LIST_RECEIPTS, (void **)ret_list, ret_n);
}

/* ---- identity verifications ---- */

enum mock_err store_cert_insert(struct store *s, int tid, const struct certification *c,
                                struct certification *ret_cert)
{
    enum mock_err err = MOCK_INTERNAL;
    struct certification nc = *c;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (!t)
        goto out;
    nc.imp_uid[0] = '\0';
    for (int tries = 0; !nc.imp_uid[0] && tries < 64; tries++) {
        ids_imp_uid(false, nc.imp_uid);
        if (store__doc_find(s, &t->certs, nc.imp_uid) ||
            store__payment_index(s, t, nc.imp_uid) >= 0)
            nc.imp_uid[0] = '\0';
    }
    if (!nc.imp_uid[0] || !store__doc_put(s, &t->certs, &cert_kind, &nc))
        goto out;
    store__emit(s, STORE_EV_CERT, tid, &nc);
    *ret_cert = nc;
    err = MOCK_OK;
out:
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_cert_get(struct store *s, int tid, const char *imp_uid,
                             struct certification *ret_cert)
{
    enum mock_err err = MOCK_CERT_NOT_FOUND;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    const struct certification *c = t ? store__doc_find(s, &t->certs, imp_uid) : NULL;
    if (c) {
        *ret_cert = *c;
        err = MOCK_OK;
    }
    store__unlock(s);
    return err;
}

enum mock_err store_cert_certify(struct store *s, int tid, const char *imp_uid, int64_t now,
                                 struct certification *ret_cert)
{
    enum mock_err err = MOCK_CERT_NOT_FOUND;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    struct certification *c = t ? store__doc_find(s, &t->certs, imp_uid) : NULL;
    if (c && c->certified) {
        err = MOCK_CERT_ALREADY;
    } else if (c) {
        c->certified = true;
        c->certified_at = now;
        store__emit(s, STORE_EV_CERT, tid, c);
        *ret_cert = *c;
        err = MOCK_OK;
    }
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_cert_delete(struct store *s, int tid, const char *imp_uid,
                                struct certification *ret_cert)
{
    enum mock_err err = MOCK_CERT_NOT_FOUND;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    if (t && store__doc_delete(s, &t->certs, &cert_kind, imp_uid, ret_cert)) {
        store__emit(s, STORE_EV_CERT_DEL, tid, imp_uid);
        err = MOCK_OK;
    }
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_cert_list(struct store *s, int tid, struct certification **ret_list,
                              size_t *ret_n)
{
    return doc_list(s, tid, LIST_CERTS, (void **)ret_list, ret_n);
}

/* ---- escrow shipping records ---- */

enum mock_err store_logis_get(struct store *s, int tid, const char *imp_uid,
                              struct escrow_logis *ret_logis)
{
    enum mock_err err = MOCK_ESCROW_LOGIS_NONE;
    store__lock_read(s);
    struct tenant *t = store__tenant(s, tid);
    const struct escrow_logis *l = t ? store__doc_find(s, &t->logis, imp_uid) : NULL;
    if (l) {
        *ret_logis = *l;
        err = MOCK_OK;
    }
    store__unlock(s);
    return err;
}

enum mock_err store_logis_put(struct store *s, int tid, const struct escrow_logis *l, bool create)
{
    enum mock_err err = MOCK_INTERNAL;
    store__lock(s);
    struct tenant *t = store__tenant(s, tid);
    bool exists = t && store__doc_find(s, &t->logis, l->imp_uid);
    if (t && create && exists)
        err = MOCK_ESCROW_LOGIS_EXISTS;
    else if (t && !create && !exists)
        err = MOCK_ESCROW_LOGIS_NONE;
    else if (t && store__doc_put(s, &t->logis, &logis_kind, l)) {
        store__emit(s, STORE_EV_LOGIS, tid, l);
        err = MOCK_OK;
    }
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}

enum mock_err store_logis_list(struct store *s, int tid, struct escrow_logis **ret_list,
                               size_t *ret_n)
{
    return doc_list(s, tid, LIST_LOGIS, (void **)ret_list, ret_n);
}

/* ---- replay and import ---- */

enum mock_err store_document_restore(struct store *s, const struct store_event *ev)
{
    enum mock_err err = MOCK_INTERNAL;
    struct certification gone;
    store__lock(s);
    struct tenant *t = store__tenant(s, ev->tid);
    if (!t)
        goto out;
    const void *stored = NULL;
    switch (ev->kind) {
    case STORE_EV_RECEIPT:
        stored =
            store__doc_put(s, receipts_of(t, ev->receipt.external), &receipt_kind, &ev->receipt);
        break;
    case STORE_EV_CERT:
        stored = store__doc_put(s, &t->certs, &cert_kind, &ev->cert);
        break;
    case STORE_EV_LOGIS:
        stored = store__doc_put(s, &t->logis, &logis_kind, &ev->logis);
        break;
    case STORE_EV_CERT_DEL:
        store__doc_delete(s, &t->certs, &cert_kind, ev->key, &gone);
        stored = ev->key; /* already gone is gone */
        break;
    default:
        err = MOCK_BAD_PARAM;
        goto out;
    }
    if (!stored)
        goto out;
    store__emit(s, ev->kind, ev->tid,
                ev->kind == STORE_EV_CERT_DEL ? (const void *)ev->key : stored);
    err = MOCK_OK;
out:
    if (!store__unlock_publish(s) && err == MOCK_OK)
        err = MOCK_INTERNAL;
    return err;
}
