/* logline.c - see logline.h. */
#include "state/logline.h"

#include "state/state.h"
#include "state/state_documents.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CRC-32 (IEEE) ---- */

static uint32_t crc_table[256];

void logline_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_of(const char *s, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ (unsigned char)s[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

/* ---- the header ---- */

/* A JSON number that is whole and within ±1e15 (exact in a double, and far
 * beyond any time or counter impmock writes); anything else is damage. */
static bool whole_number(const cJSON *it, int64_t *ret)
{
    if (!cJSON_IsNumber(it))
        return false;
    double d = it->valuedouble;
    if (!isfinite(d) || d != floor(d) || d < -1e15 || d > 1e15)
        return false;
    *ret = (int64_t)d;
    return true;
}

size_t logline_header(char *buf, size_t cap, const char *kind, uint64_t gen)
{
    int n = snprintf(buf, cap, "{\"impmock_state\":%d,\"kind\":\"%s\",\"gen\":%llu}\n",
                     LOGLINE_FORMAT, kind, (unsigned long long)gen);
    return n < 0 ? 0 : (size_t)n;
}

bool logline_parse_header(const char *line, size_t len, const char *path, const char *kind,
                          uint64_t *ret_gen, int *ret_format, bool *ret_foreign, char *err,
                          size_t errlen)
{
    cJSON *h = cJSON_ParseWithLength(line, len);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(h, "impmock_state");
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(h, "kind");
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(h, "gen");
    int64_t gen_value = 0;
    bool ok = false;
    *ret_foreign = false;
    if (!cJSON_IsNumber(fmt)) {
        snprintf(err, errlen, "%s: not an impmock state file", path);
    } else if (fmt->valueint != LOGLINE_FORMAT && fmt->valueint != LOGLINE_FORMAT_UNMARKED) {
        *ret_foreign = true;
        snprintf(err, errlen,
                 "%s: written in state format %d; this impmock reads formats %d and %d (use "
                 "the impmock that wrote it, or another --state-dir)",
                 path, fmt->valueint, LOGLINE_FORMAT_UNMARKED, LOGLINE_FORMAT);
    } else if (!cJSON_IsString(k) || strcmp(k->valuestring, kind) != 0 ||
               !whole_number(gen, &gen_value) || gen_value < 0) {
        snprintf(err, errlen, "%s line 1: damaged header", path);
    } else {
        *ret_gen = (uint64_t)gen_value;
        *ret_format = fmt->valueint;
        ok = true;
    }
    cJSON_Delete(h);
    return ok;
}

/* ---- records ---- */

static const char *const kind_names[] = {
    "tenant_add", "tenant_clear",  "tenant_remove",     "token",       "payment",
    "customer",   "customer_del",  "prepare",           "clock",       "schedule",
    "receipt",    "certification", "certification_del", "escrow_logis"};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

const char *logline_kind_name(const struct store_event *ev)
{
    return (size_t)ev->kind < N_KINDS ? kind_names[ev->kind] : "unknown";
}

static cJSON *event_to_json(const struct store_event *ev)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "ev", kind_names[ev->kind]) ||
        !cJSON_AddNumberToObject(o, "tid", ev->tid)) {
        cJSON_Delete(o);
        return NULL;
    }
    cJSON *body = NULL;
    bool ok = true;
    switch (ev->kind) {
    case STORE_EV_TENANT_ADD:
        body = state_merchant_to_json_full(&ev->merchant);
        ok = body && cJSON_AddItemToObject(o, "merchant", body);
        break;
    case STORE_EV_PAYMENT:
        body = state_payment_to_json(&ev->payment);
        ok = body && cJSON_AddItemToObject(o, "payment", body);
        break;
    case STORE_EV_CUSTOMER:
        body = state_customer_to_json(&ev->customer);
        ok = body && cJSON_AddItemToObject(o, "customer", body);
        break;
    case STORE_EV_PREPARE:
        body = state_prepare_to_json(&ev->prepare);
        ok = body && cJSON_AddItemToObject(o, "prepare", body);
        break;
    case STORE_EV_SCHEDULE:
        body = state_schedule_to_json(&ev->schedule);
        ok = body && cJSON_AddItemToObject(o, "schedule", body);
        break;
    case STORE_EV_TOKEN:
        ok = cJSON_AddStringToObject(o, "token", ev->token) &&
             cJSON_AddNumberToObject(o, "expires_at", (double)ev->token_expires_at);
        break;
    case STORE_EV_CUSTOMER_DEL:
        ok = cJSON_AddStringToObject(o, "customer_uid", ev->key) != NULL;
        break;
    case STORE_EV_CLOCK:
        ok = cJSON_AddBoolToObject(o, "frozen", ev->clock_frozen) &&
             cJSON_AddNumberToObject(o, "value", (double)ev->clock_value);
        break;
    case STORE_EV_RECEIPT:
    case STORE_EV_CERT:
    case STORE_EV_CERT_DEL:
    case STORE_EV_LOGIS:
        ok = state_document_event_to_json(ev, o);
        break;
    case STORE_EV_TENANT_CLEAR:
    case STORE_EV_TENANT_REMOVE:
        break;
    }
    if (!ok) {
        /* a body that could not be attached is not o's to free */
        if (body && !body->string)
            cJSON_Delete(body);
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Fills ev from a record; false with a message naming the problem. */
static bool event_from_json(const cJSON *o, struct store_event *ev, char *err, size_t errlen)
{
    memset(ev, 0, sizeof *ev);
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "ev");
    const cJSON *tid = cJSON_GetObjectItemCaseSensitive(o, "tid");
    size_t kind = N_KINDS;
    for (size_t i = 0; cJSON_IsString(k) && i < N_KINDS; i++)
        if (!strcmp(k->valuestring, kind_names[i]))
            kind = i;
    int64_t tid_value;
    if (kind == N_KINDS || !whole_number(tid, &tid_value) || tid_value < -1 ||
        tid_value > 10000000) {
        snprintf(err, errlen, "unknown record");
        return false;
    }
    ev->kind = (enum store_event_kind)kind;
    ev->tid = (int)tid_value;
    const cJSON *it;
    switch (ev->kind) {
    case STORE_EV_TENANT_ADD:
        return state_merchant_from_json(cJSON_GetObjectItemCaseSensitive(o, "merchant"),
                                        &ev->merchant, err, errlen);
    case STORE_EV_PAYMENT:
        return state_payment_from_json(cJSON_GetObjectItemCaseSensitive(o, "payment"), &ev->payment,
                                       err, errlen);
    case STORE_EV_CUSTOMER:
        return state_customer_from_json(cJSON_GetObjectItemCaseSensitive(o, "customer"),
                                        &ev->customer, err, errlen);
    case STORE_EV_PREPARE:
        return state_prepare_from_json(cJSON_GetObjectItemCaseSensitive(o, "prepare"), &ev->prepare,
                                       err, errlen);
    case STORE_EV_SCHEDULE:
        return state_schedule_from_json(cJSON_GetObjectItemCaseSensitive(o, "schedule"),
                                        &ev->schedule, err, errlen);
    case STORE_EV_TOKEN:
        it = cJSON_GetObjectItemCaseSensitive(o, "token");
        if (!cJSON_IsString(it) || strlen(it->valuestring) >= sizeof ev->token)
            break;
        memcpy(ev->token, it->valuestring, strlen(it->valuestring) + 1);
        if (!whole_number(cJSON_GetObjectItemCaseSensitive(o, "expires_at"), &ev->token_expires_at))
            break;
        return true;
    case STORE_EV_CUSTOMER_DEL:
        it = cJSON_GetObjectItemCaseSensitive(o, "customer_uid");
        if (!cJSON_IsString(it) || strlen(it->valuestring) >= sizeof ev->key)
            break;
        memcpy(ev->key, it->valuestring, strlen(it->valuestring) + 1);
        return true;
    case STORE_EV_CLOCK:
        if (!whole_number(cJSON_GetObjectItemCaseSensitive(o, "value"), &ev->clock_value) ||
            !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(o, "frozen")))
            break;
        ev->clock_frozen = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "frozen"));
        return true;
    case STORE_EV_RECEIPT:
    case STORE_EV_CERT:
    case STORE_EV_CERT_DEL:
    case STORE_EV_LOGIS:
        return state_document_event_from_json(o, ev, err, errlen);
    case STORE_EV_TENANT_CLEAR:
    case STORE_EV_TENANT_REMOVE:
        return true;
    }
    snprintf(err, errlen, "%s record is incomplete", kind_names[ev->kind]);
    return false;
}

/* Frames a record as "CRC JSON\n"; owned, NULL on OOM. */
static char *frame(const cJSON *o, size_t *ret_len)
{
    char *json = o ? cJSON_PrintUnformatted(o) : NULL;
    if (!json)
        return NULL;
    size_t jl = strlen(json);
    char *line = malloc(jl + 11);
    if (line) {
        snprintf(line, 10, "%08x ", crc32_of(json, jl));
        memcpy(line + 9, json, jl);
        line[9 + jl] = '\n';
        line[10 + jl] = '\0';
        *ret_len = jl + 10;
    }
    cJSON_free(json);
    return line;
}

char *logline_render(const struct store_event *ev, size_t *ret_len)
{
    cJSON *o = event_to_json(ev);
    char *line = frame(o, ret_len);
    cJSON_Delete(o);
    return line;
}

char *logline_render_end(size_t *ret_len)
{
    cJSON *o = cJSON_CreateObject();
    char *line = o && cJSON_AddTrueToObject(o, "end") ? frame(o, ret_len) : NULL;
    cJSON_Delete(o);
    return line;
}

enum logline_kind logline_parse(const char *line, size_t len, struct store_event *ret_ev, char *err,
                                size_t errlen)
{
    unsigned crc = 0;
    if (len <= 9 || line[8] != ' ' || sscanf(line, "%8x", &crc) != 1 ||
        crc32_of(line + 9, len - 9) != crc) {
        snprintf(err, errlen, "damaged (checksum mismatch)");
        return LOGLINE_BAD;
    }
    cJSON *o = cJSON_ParseWithLength(line + 9, len - 9);
    if (!o) {
        snprintf(err, errlen, "not JSON");
        return LOGLINE_BAD;
    }
    enum logline_kind kind = LOGLINE_EVENT;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "end")))
        kind = LOGLINE_END;
    else if (!event_from_json(o, ret_ev, err, errlen))
        kind = LOGLINE_BAD;
    cJSON_Delete(o);
    return kind;
}
