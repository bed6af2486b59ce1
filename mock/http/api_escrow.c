/* api_escrow.c - shipping records of escrow payments (reference §20):
 * GET, POST (register) and PUT (edit) /escrows/logis/{imp_uid}. The body
 * is two levels deep (sender, receiver, logis objects; form bodies as
 * sender[name]=...). Reads the request, calls escrow.c, renders the
 * EscrowLogis object. */
#include "domain/escrow.h"
#include "http/api.h"
#include "http/render.h"

#include <stdio.h>
#include <string.h>

#define RECEIVING_AT_MAX 16 /* YYYYMMDD: checked by escrow.c */
#define PRODUCTS_MAX     100
#define SEND_TIME_MAX    9007199254740991LL

/* Sub-object `name` of the body: a failure names its fields "name.field". */
struct part {
    const char *name;
    struct params p;
};

/* The object `name` (required), read as params of its own. */
static bool open_part(struct req *r, const char *name, struct part *ret)
{
    bool textual = false;
    const cJSON *it = param_item(&r->params, name, &textual);
    ret->name = name;
    memset(&ret->p, 0, sizeof ret->p);
    if (!it)
        return param_fail1(&r->params, MOCK_PARAM_REQUIRED, name);
    if (!cJSON_IsObject(it))
        return param_fail1(&r->params, MOCK_PARAM_NOT_OBJECT, name);
    ret->p.body = it;
    ret->p.body_is_form = textual;
    return true;
}

/* Moves a part's failure to the request, its field named "part.field". */
static bool part_fail(struct req *r, const struct part *pt)
{
    const char *args[PARAM_ARGS_MAX];
    char field[PARAM_ARG_MAX];
    size_t n = pt->p.n_err_args < PARAM_ARGS_MAX ? pt->p.n_err_args : PARAM_ARGS_MAX;
    for (size_t i = 0; i < n; i++)
        args[i] = pt->p.err_args[i];
    if (n) {
        snprintf(field, sizeof field, "%s.%.80s", pt->name, pt->p.err_args[0]);
        args[0] = field;
    }
    return param_fail(&r->params, pt->p.err, args, n);
}

static bool read_texts(struct req *r, struct part *pt, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        const char *ignored = NULL;
        if (!param_str(&pt->p, names[i], TEXT_MAX, false, &ignored))
            return part_fail(r, pt);
    }
    return true;
}

/* products: an array of {id, name, amount, code?, currency?, quantity?, tag?}. */
static bool read_products(struct req *r)
{
    const cJSON *list = param_item(&r->params, "products", NULL);
    if (!list)
        return true;
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > PRODUCTS_MAX)
        return param_fail1(&r->params, MOCK_PARAM_NOT_ARRAY, "products");
    const cJSON *item;
    int i = 0;
    cJSON_ArrayForEach(item, list)
    {
        char name[24];
        snprintf(name, sizeof name, "products[%d]", i++);
        struct part pt = {name, {.body = item, .body_is_form = r->params.body_is_form}};
        const char *s = NULL;
        int64_t n = 0;
        if (!cJSON_IsObject(item))
            return param_fail1(&r->params, MOCK_PARAM_NOT_OBJECT, name);
        if (!param_str(&pt.p, "id", TEXT_MAX, true, &s) ||
            !param_str(&pt.p, "name", TEXT_MAX, true, &s) ||
            !param_amount(&pt.p, "amount", true, &n, NULL) ||
            !param_int(&pt.p, "quantity", 1, 1000000, false, &n, NULL))
            return part_fail(r, &pt);
        static const char *const optional[] = {"code", "currency", "tag", NULL};
        if (!read_texts(r, &pt, optional))
            return false;
    }
    return true;
}

struct escrow_body {
    struct part sender, receiver, logis;
    const cJSON *products; /* NULL: not given */
    struct escrow_request rq;
};

/* Whether a field a PG requires is there ("sender.name", "products"). */
static bool has_field(void *ud, const char *path)
{
    const struct escrow_body *b = ud;
    if (!strcmp(path, "products"))
        return cJSON_GetArraySize(b->products) > 0;
    const char *dot = strchr(path, '.');
    const struct part *parts[] = {&b->sender, &b->receiver, &b->logis};
    for (size_t i = 0; dot && i < 3; i++) {
        if (strncmp(path, parts[i]->name, (size_t)(dot - path)) != 0 ||
            parts[i]->name[dot - path] != '\0')
            continue;
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(parts[i]->p.body, dot + 1);
        return cJSON_IsObject(it) || (cJSON_IsString(it) && it->valuestring[0]);
    }
    return false;
}

static bool read_body(struct req *r, struct escrow_body *b)
{
    static const char *const person[] = {"name", "tel", "addr", "postcode", "relationship", NULL};
    bool send_email = true;
    memset(b, 0, sizeof *b);
    if (!open_part(r, "sender", &b->sender) || !read_texts(r, &b->sender, person) ||
        !open_part(r, "receiver", &b->receiver) || !read_texts(r, &b->receiver, person) ||
        !open_part(r, "logis", &b->logis))
        return false;
    struct params *lp = &b->logis.p;
    const char *address = NULL;
    if (!param_str(lp, "company", ESCROW_COMPANY_MAX, true, &b->rq.company) ||
        !param_str(lp, "invoice", ESCROW_INVOICE_MAX, true, &b->rq.invoice) ||
        !param_int(lp, "sent_at", 0, SEND_TIME_MAX, true, &b->rq.sent_at, NULL) ||
        !param_str(lp, "receiving_at", RECEIVING_AT_MAX, false, &b->rq.receiving_at) ||
        !param_str(lp, "address", TEXT_MAX, false, &address))
        return part_fail(r, &b->logis);
    if (b->rq.receiving_at && !b->rq.receiving_at[0])
        b->rq.receiving_at = NULL; /* "" is "not given" */
    b->rq.has = has_field;
    b->rq.has_ud = b;
    b->products = param_item(&r->params, "products", NULL);
    return read_products(r) && param_bool(&r->params, "send_email", &send_email);
}

static cJSON *render_logis(const struct escrow_logis *l)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "company", l->company) ||
        !cJSON_AddStringToObject(o, "invoice", l->invoice) ||
        !render_add_int(o, "sent_at", l->sent_at) ||
        !render_add_int(o, "applied_at", l->applied_at)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void reply(struct req *r, enum mock_err e, const struct escrow_logis *l, const char *detail)
{
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    cJSON *o = render_logis(l);
    if (!o)
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
    else
        envelope_ok(&r->reply, 200, o);
}

static void save(struct req *r, bool create)
{
    struct escrow_body b;
    if (!read_body(r, &b)) {
        api_bad_param(r);
        return;
    }
    struct escrow_logis l;
    char detail[ESCROW_DETAIL_MAX];
    enum mock_err e = escrow_save(r->app->store, r->tid, r->args[0], create, &b.rq, &l, detail);
    reply(r, e, &l, detail);
}

void api_escrow_post(struct req *r)
{
    save(r, true);
}

void api_escrow_put(struct req *r)
{
    save(r, false);
}

void api_escrow_get(struct req *r)
{
    struct escrow_logis l;
    enum mock_err e = escrow_get(r->app->store, r->tid, r->args[0], &l);
    reply(r, e, &l, "");
}
