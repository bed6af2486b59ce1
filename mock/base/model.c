/* model.c - copying and releasing records; status names. See model.h. */
#include "base/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[PAY__COUNT] = {"ready", "paid", "failed", "cancelled"};

const char *pay_status_name(enum pay_status s)
{
    return (unsigned)s < PAY__COUNT ? status_names[s] : "ready";
}

bool pay_status_parse(const char *name, enum pay_status *ret_status)
{
    for (int i = 0; i < PAY__COUNT; i++) {
        if (strcmp(name, status_names[i]) == 0) {
            *ret_status = (enum pay_status)i;
            return true;
        }
    }
    return false;
}

/* FNV-1a, 64 bits: a stable spread of a few bytes (no secrecy needed). */
static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void channel_default_key(const char *merchant_code, size_t index, const struct channel *c,
                         char *out)
{
    char seed[MERCHANT_CODE_MAX + PG_PROVIDER_MAX + PG_ID_MAX + 32];
    snprintf(seed, sizeof seed, "%s/%zu/%s/%s", merchant_code, index, c->pg_provider, c->pg_id);
    uint64_t a = fnv1a(0xcbf29ce484222325ULL, seed);
    uint64_t b = fnv1a(a ^ 0x9e3779b97f4a7c15ULL, seed);
    snprintf(out, CHANNEL_KEY_MAX + 1, "channel-key-%08x-%04x-%04x-%04x-%012llx",
             (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffffu, (unsigned)a & 0xffffu,
             (unsigned)(b >> 48), (unsigned long long)(b & 0xffffffffffffULL));
}

bool tier_code_valid(const char *code)
{
    if (!code || strlen(code) != TIER_CODE_LEN)
        return false;
    for (size_t i = 0; i < TIER_CODE_LEN; i++) {
        char ch = code[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
            return false;
    }
    return true;
}

size_t str_copy_cut(char *dst, size_t cap, const char *s)
{
    size_t n = strnlen(s, cap - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n;
}

bool str_set(char **field, const char *s)
{
    char *copy = NULL;
    if (s) {
        copy = strdup(s);
        if (!copy)
            return false;
    }
    free(*field);
    *field = copy;
    return true;
}

static bool dup_str(char **field)
{
    if (!*field)
        return true;
    *field = strdup(*field);
    return *field != NULL;
}

void payment_fini(struct payment *p)
{
    if (!p)
        return;
#define X(f) free(p->f);
    PAYMENT_STR_FIELDS(X)
#undef X
    for (size_t i = 0; i < p->n_cancels; i++) {
        free(p->cancels[i].reason);
        free(p->cancels[i].receipt_url);
    }
    free(p->cancels);
    memset(p, 0, sizeof *p);
}

bool payment_copy(struct payment *dst, const struct payment *src)
{
    *dst = *src;
    bool ok = true;
#define X(f) ok = dup_str(&dst->f) && ok;
    PAYMENT_STR_FIELDS(X)
#undef X
    dst->cancels = NULL;
    dst->n_cancels = 0;
    if (ok && src->n_cancels) {
        dst->cancels = calloc(src->n_cancels, sizeof *dst->cancels);
        ok = dst->cancels != NULL;
        for (size_t i = 0; ok && i < src->n_cancels; i++) {
            dst->cancels[i] = src->cancels[i];
            dst->cancels[i].reason = NULL;
            dst->cancels[i].receipt_url = NULL;
            dst->n_cancels = i + 1;
            ok = str_set(&dst->cancels[i].reason, src->cancels[i].reason) &&
                 str_set(&dst->cancels[i].receipt_url, src->cancels[i].receipt_url);
        }
    }
    if (!ok) {
        /* dup_str left NULL (never a shared pointer) in every field it failed on */
        payment_fini(dst);
        return false;
    }
    return true;
}

void customer_fini(struct customer *c)
{
    if (!c)
        return;
#define X(f) free(c->f);
    CUSTOMER_STR_FIELDS(X)
#undef X
    memset(c, 0, sizeof *c);
}

bool customer_copy(struct customer *dst, const struct customer *src)
{
    *dst = *src;
    bool ok = true;
#define X(f) ok = dup_str(&dst->f) && ok;
    CUSTOMER_STR_FIELDS(X)
#undef X
    if (!ok)
        customer_fini(dst);
    return ok;
}

/* ---- schedules ---- */

static const char *const sched_status_names[SCHED__COUNT] = {"scheduled", "executed", "revoked"};

const char *sched_status_name(enum sched_status s)
{
    return (unsigned)s < SCHED__COUNT ? sched_status_names[s] : "scheduled";
}

bool sched_status_parse(const char *name, enum sched_status *ret_status)
{
    for (int i = 0; i < SCHED__COUNT; i++) {
        if (strcmp(name, sched_status_names[i]) == 0) {
            *ret_status = (enum sched_status)i;
            return true;
        }
    }
    return false;
}

void schedule_fini(struct schedule *s)
{
    if (!s)
        return;
#define X(f) free(s->f);
    SCHEDULE_STR_FIELDS(X)
#undef X
    memset(s, 0, sizeof *s);
}

bool schedule_copy(struct schedule *dst, const struct schedule *src)
{
    *dst = *src;
    bool ok = true;
#define X(f) ok = dup_str(&dst->f) && ok;
    SCHEDULE_STR_FIELDS(X)
#undef X
    if (!ok)
        schedule_fini(dst);
    return ok;
}
