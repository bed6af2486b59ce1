/* admin.c - the control API under /__mock/: plain JSON, not the i'mport envelope. */
#include "api.h"
#include "clock.h"

#include <string.h>

static void reply_error(struct req *r, int status, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "error", msg);
    envelope_plain(&r->reply, status, o);
}

void admin_health(struct req *r)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "status", "ok");
        cJSON_AddStringToObject(o, "version", IMPMOCK_VERSION);
        cJSON_AddNumberToObject(o, "now", (double)clock_now());
    }
    envelope_plain(&r->reply, 200, o);
}

static void reply_clock(struct req *r)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "now", (double)clock_now());
        cJSON_AddBoolToObject(o, "frozen", clock_is_frozen());
    }
    envelope_plain(&r->reply, 200, o);
}

void admin_clock_get(struct req *r)
{
    reply_clock(r);
}

void admin_clock_post(struct req *r)
{
    int64_t set = 0, advance = 0;
    bool has_set = false, has_advance = false, freeze = false;
    bool has_freeze = param_item(&r->params, "freeze", NULL) != NULL;
    if (!param_int(&r->params, "set", 0, 253402300799LL, false, &set, &has_set) ||
        !param_int(&r->params, "advance", -315576000000LL, 315576000000LL, false, &advance,
                   &has_advance) ||
        !param_bool(&r->params, "freeze", &freeze)) {
        reply_error(r, 400, r->params.err);
        return;
    }
    if (!has_set && !has_advance && !has_freeze) {
        reply_error(r, 400, "give one of {\"set\": UNIX_SECONDS}, {\"advance\": SECONDS}, "
                            "{\"freeze\": true|false}");
        return;
    }
    /* freeze first, so {"set": T, "freeze": true} stops exactly at T */
    if (has_freeze)
        clock_freeze(freeze);
    if (has_set)
        clock_set(set);
    if (has_advance)
        clock_advance(advance);
    reply_clock(r);
}
