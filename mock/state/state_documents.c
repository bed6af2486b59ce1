/* state_documents.c - see state_documents.h. Each record is described once,
 * field by field, and both directions read that description. */
#include "state/state_documents.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- field descriptions ---- */

enum field_type { FT_STR, FT_INT, FT_BOOL };

struct field {
    const char *name;
    enum field_type type;
    size_t off;    /* in the record */
    size_t size;   /* FT_STR: the char array's size */
    bool required; /* FT_STR: present and not empty */
};

#define STR_F(T, f, req)                                                                           \
    {                                                                                              \
#f, FT_STR, offsetof(struct T, f), sizeof((struct T *)0)->f, req                           \
    }
#define INT_F(T, f)                                                                                \
    {                                                                                              \
#f, FT_INT, offsetof(struct T, f), 0, false                                                \
    }
#define BOOL_F(T, f)                                                                               \
    {                                                                                              \
#f, FT_BOOL, offsetof(struct T, f), 0, false                                               \
    }

static const struct field receipt_fields[] = {
    STR_F(receipt, key, true),
    BOOL_F(receipt, external),
    STR_F(receipt, pg_provider, false),
    STR_F(receipt, receipt_tid, false),
    STR_F(receipt, apply_num, false),
    STR_F(receipt, type, false),
    INT_F(receipt, amount),
    INT_F(receipt, vat),
    INT_F(receipt, applied_at),
    INT_F(receipt, cancelled_at),
    STR_F(receipt, receipt_url, false),
};

static const struct field cert_fields[] = {
    STR_F(certification, imp_uid, true),
    STR_F(certification, merchant_uid, false),
    STR_F(certification, pg_provider, false),
    STR_F(certification, pg_tid, false),
    STR_F(certification, name, false),
    STR_F(certification, gender, false),
    STR_F(certification, birthday, false),
    INT_F(certification, birth),
    BOOL_F(certification, foreigner),
    STR_F(certification, phone, false),
    STR_F(certification, carrier, false),
    BOOL_F(certification, phone_disclosed),
    BOOL_F(certification, by_app),
    BOOL_F(certification, certified),
    INT_F(certification, requested_at),
    INT_F(certification, certified_at),
    STR_F(certification, unique_key, false),
    STR_F(certification, unique_in_site, false),
};

static const struct field logis_fields[] = {
    STR_F(escrow_logis, imp_uid, true),  STR_F(escrow_logis, company, false),
    STR_F(escrow_logis, invoice, false), INT_F(escrow_logis, sent_at),
    INT_F(escrow_logis, applied_at),
};

#define N_OF(a)   (sizeof a / sizeof a[0])
#define INT_LIMIT 9007199254740992.0 /* 2^53: exact in a JSON number */

static cJSON *to_json(const void *rec, const struct field *fields, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        const struct field *f = &fields[i];
        const char *at = (const char *)rec + f->off;
        if (f->type == FT_STR)
            ok = cJSON_AddStringToObject(o, f->name, at) != NULL;
        else if (f->type == FT_INT)
            ok = cJSON_AddNumberToObject(o, f->name, (double)*(const int64_t *)at) != NULL;
        else
            ok = cJSON_AddBoolToObject(o, f->name, *(const bool *)at) != NULL;
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* One field of o into the record; false with err naming it. */
static bool field_from_json(const cJSON *o, const struct field *f, void *rec, const char *what,
                            char *err, size_t errlen)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, f->name);
    char *at = (char *)rec + f->off;
    const char *problem = NULL;
    if (f->type == FT_STR) {
        if (!it || cJSON_IsNull(it))
            problem = f->required ? "is required" : NULL;
        else if (!cJSON_IsString(it) || strlen(it->valuestring) >= f->size)
            problem = "must be a short string";
        else if (f->required && !it->valuestring[0])
            problem = "must not be empty";
        else
            memcpy(at, it->valuestring, strlen(it->valuestring) + 1);
    } else if (f->type == FT_INT) {
        double d = cJSON_IsNumber(it) ? it->valuedouble : 0;
        if (it && !cJSON_IsNull(it) &&
            (!cJSON_IsNumber(it) || !isfinite(d) || d != floor(d) || fabs(d) >= INT_LIMIT))
            problem = "must be a whole number in range";
        else
            *(int64_t *)at = (int64_t)d;
    } else {
        if (it && !cJSON_IsNull(it) && !cJSON_IsBool(it))
            problem = "must be true or false";
        else
            *(bool *)at = cJSON_IsTrue(it);
    }
    if (problem)
        snprintf(err, errlen, "%s: field \"%s\" %s", what, f->name, problem);
    return problem == NULL;
}

static bool from_json(const cJSON *o, void *rec, size_t size, const struct field *fields, size_t n,
                      const char *what, char *err, size_t errlen)
{
    memset(rec, 0, size);
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "%s: must be an object", what);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if (!field_from_json(o, &fields[i], rec, what, err, errlen))
            return false;
    return true;
}

cJSON *state_receipt_to_json(const struct receipt *r)
{
    return to_json(r, receipt_fields, N_OF(receipt_fields));
}

bool state_receipt_from_json(const cJSON *o, struct receipt *ret, char *err, size_t errlen)
{
    struct receipt r;
    if (!from_json(o, &r, sizeof r, receipt_fields, N_OF(receipt_fields), "receipt", err, errlen))
        return false;
    *ret = r;
    return true;
}

cJSON *state_cert_to_json(const struct certification *c)
{
    return to_json(c, cert_fields, N_OF(cert_fields));
}

bool state_cert_from_json(const cJSON *o, struct certification *ret, char *err, size_t errlen)
{
    struct certification c;
    if (!from_json(o, &c, sizeof c, cert_fields, N_OF(cert_fields), "certification", err, errlen))
        return false;
    *ret = c;
    return true;
}

cJSON *state_logis_to_json(const struct escrow_logis *l)
{
    return to_json(l, logis_fields, N_OF(logis_fields));
}

bool state_logis_from_json(const cJSON *o, struct escrow_logis *ret, char *err, size_t errlen)
{
    struct escrow_logis l;
    if (!from_json(o, &l, sizeof l, logis_fields, N_OF(logis_fields), "escrow_logis", err, errlen))
        return false;
    *ret = l;
    return true;
}

/* ---- the state log ---- */

bool state_document_event_to_json(const struct store_event *ev, cJSON *o)
{
    cJSON *body = NULL;
    const char *name = NULL;
    switch (ev->kind) {
    case STORE_EV_RECEIPT:
        body = state_receipt_to_json(&ev->receipt);
        name = "receipt";
        break;
    case STORE_EV_CERT:
        body = state_cert_to_json(&ev->cert);
        name = "certification";
        break;
    case STORE_EV_LOGIS:
        body = state_logis_to_json(&ev->logis);
        name = "escrow_logis";
        break;
    case STORE_EV_CERT_DEL:
        return cJSON_AddStringToObject(o, "imp_uid", ev->key) != NULL;
    default:
        return false;
    }
    if (body && cJSON_AddItemToObject(o, name, body))
        return true;
    cJSON_Delete(body);
    return false;
}

bool state_document_event_from_json(const cJSON *o, struct store_event *ev, char *err,
                                    size_t errlen)
{
    const cJSON *it;
    switch (ev->kind) {
    case STORE_EV_RECEIPT:
        return state_receipt_from_json(cJSON_GetObjectItemCaseSensitive(o, "receipt"), &ev->receipt,
                                       err, errlen);
    case STORE_EV_CERT:
        return state_cert_from_json(cJSON_GetObjectItemCaseSensitive(o, "certification"), &ev->cert,
                                    err, errlen);
    case STORE_EV_LOGIS:
        return state_logis_from_json(cJSON_GetObjectItemCaseSensitive(o, "escrow_logis"),
                                     &ev->logis, err, errlen);
    case STORE_EV_CERT_DEL:
        it = cJSON_GetObjectItemCaseSensitive(o, "imp_uid");
        if (cJSON_IsString(it) && strlen(it->valuestring) < sizeof ev->key) {
            memcpy(ev->key, it->valuestring, strlen(it->valuestring) + 1);
            return true;
        }
        snprintf(err, errlen, "certification_del record is incomplete");
        return false;
    default:
        snprintf(err, errlen, "not a document record");
        return false;
    }
}

/* Every record of tenant tid, one change each, in kind order. */
static bool documents_events(struct store *s, int tid, struct store_event **ret, size_t *ret_n)
{
    struct receipt *rs = NULL;
    struct certification *cs = NULL;
    struct escrow_logis *ls = NULL;
    size_t nr = 0, nc = 0, nl = 0;
    bool ok = store_receipt_list(s, tid, &rs, &nr) == MOCK_OK &&
              store_cert_list(s, tid, &cs, &nc) == MOCK_OK &&
              store_logis_list(s, tid, &ls, &nl) == MOCK_OK;
    size_t n = nr + nc + nl;
    struct store_event *evs = ok && n ? calloc(n, sizeof *evs) : NULL;
    ok = ok && (!n || evs);
    for (size_t i = 0; ok && i < n; i++) {
        struct store_event *ev = &evs[i];
        ev->tid = tid;
        if (i < nr) {
            ev->kind = STORE_EV_RECEIPT;
            ev->receipt = rs[i];
        } else if (i < nr + nc) {
            ev->kind = STORE_EV_CERT;
            ev->cert = cs[i - nr];
        } else {
            ev->kind = STORE_EV_LOGIS;
            ev->logis = ls[i - nr - nc];
        }
    }
    free(rs);
    free(cs);
    free(ls);
    if (!ok) {
        free(evs);
        return false;
    }
    *ret = evs;
    *ret_n = n;
    return true;
}

bool state_documents_dump(struct store *s, int tid, state_emit_fn emit, void *ud)
{
    struct store_event *evs = NULL;
    size_t n = 0;
    if (!documents_events(s, tid, &evs, &n))
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++)
        ok = emit(ud, &evs[i]);
    free(evs);
    return ok;
}

/* ---- export / import ---- */

static const struct {
    const char *list;
    enum store_event_kind kind;
} lists[] = {
    {"receipts", STORE_EV_RECEIPT},
    {"certifications", STORE_EV_CERT},
    {"escrow_logis", STORE_EV_LOGIS},
};

static cJSON *record_to_json(const struct store_event *ev)
{
    switch (ev->kind) {
    case STORE_EV_RECEIPT:
        return state_receipt_to_json(&ev->receipt);
    case STORE_EV_CERT:
        return state_cert_to_json(&ev->cert);
    case STORE_EV_LOGIS:
        return state_logis_to_json(&ev->logis);
    default:
        return NULL;
    }
}

bool state_documents_export(struct store *s, int tid, cJSON *doc)
{
    struct store_event *evs = NULL;
    size_t n = 0;
    if (!documents_events(s, tid, &evs, &n))
        return false;
    bool ok = true;
    for (size_t k = 0; ok && k < N_OF(lists); k++) {
        cJSON *arr = cJSON_AddArrayToObject(doc, lists[k].list);
        ok = arr != NULL;
        for (size_t i = 0; ok && i < n; i++) {
            if (evs[i].kind != lists[k].kind)
                continue;
            cJSON *item = record_to_json(&evs[i]);
            ok = item && cJSON_AddItemToArray(arr, item);
            if (!ok)
                cJSON_Delete(item);
        }
    }
    free(evs);
    return ok;
}

/* Reads item i of list k into ev; false with err. */
static bool record_from_json(const cJSON *item, size_t k, size_t i, struct store_event *ev,
                             char *err, size_t errlen)
{
    char why[384];
    bool ok = false;
    ev->kind = lists[k].kind;
    if (ev->kind == STORE_EV_RECEIPT)
        ok = state_receipt_from_json(item, &ev->receipt, why, sizeof why);
    else if (ev->kind == STORE_EV_CERT)
        ok = state_cert_from_json(item, &ev->cert, why, sizeof why);
    else
        ok = state_logis_from_json(item, &ev->logis, why, sizeof why);
    if (!ok)
        snprintf(err, errlen, "%s[%zu]: %s", lists[k].list, i, why);
    return ok;
}

bool state_documents_parse(const cJSON *doc, struct state_documents *ret, char *err, size_t errlen)
{
    memset(ret, 0, sizeof *ret);
    size_t total = 0;
    for (size_t k = 0; k < N_OF(lists); k++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(doc, lists[k].list);
        if (a && !cJSON_IsArray(a)) {
            snprintf(err, errlen, "field \"%s\" must be an array", lists[k].list);
            return false;
        }
        total += (size_t)cJSON_GetArraySize(a);
    }
    if (total && !(ret->evs = calloc(total, sizeof *ret->evs))) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (size_t k = 0; k < N_OF(lists); k++) {
        const cJSON *item;
        size_t i = 0;
        cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc, lists[k].list))
        {
            if (!record_from_json(item, k, i++, &ret->evs[ret->n], err, errlen)) {
                state_documents_free(ret);
                return false;
            }
            ret->n++;
        }
    }
    return true;
}

bool state_documents_import(struct store *s, int tid, const struct state_documents *d)
{
    bool ok = true;
    for (size_t i = 0; ok && i < d->n; i++) {
        struct store_event ev = d->evs[i]; /* plain values: a copy with the tenant set */
        ev.tid = tid;
        ok = store_document_restore(s, &ev) == MOCK_OK;
    }
    return ok;
}

void state_documents_free(struct state_documents *d)
{
    free(d->evs);
    memset(d, 0, sizeof *d);
}
