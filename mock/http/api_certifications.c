/* api_certifications.c - identity verification (reference §19): the SMS
 * code pair (POST /certifications/otp/request, .../otp/confirm/{imp_uid})
 * and the result (GET, DELETE /certifications/{imp_uid}). Reads the
 * request, calls certification.c, renders the Certification object. */
#include "domain/certification.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/render.h"
#include "infra/json.h"

#include <string.h>

#define PERSON_FIELD_MAX 32 /* phone, birth: separators allowed */
#define OTP_MAX          16 /* longer codes cannot match */

static const char *const carriers[] = {"SKT", "KT", "LGT", NULL};
static const char *const methods[] = {"SMS", "APP", NULL};

/* The result; the person's fields stay empty until the code is confirmed,
 * and phone and carrier appear only where the carrier allows them. */
static cJSON *render_cert(const struct certification *c)
{
    bool done = c->certified;
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "imp_uid", c->imp_uid) &&
              json_add_str(o, "merchant_uid", c->merchant_uid[0] ? c->merchant_uid : NULL) &&
              cJSON_AddStringToObject(o, "pg_tid", c->pg_tid) &&
              cJSON_AddStringToObject(o, "pg_provider", c->pg_provider) &&
              json_add_str(o, "name", done ? c->name : NULL) &&
              json_add_str(o, "gender", done ? c->gender : NULL) &&
              render_add_int(o, "birth", done ? c->birth : 0) &&
              json_add_str(o, "birthday", done ? c->birthday : NULL) &&
              cJSON_AddBoolToObject(o, "foreigner", done && c->foreigner) &&
              (done ? cJSON_AddBoolToObject(o, "foreigner_v2", c->foreigner) != NULL
                    : cJSON_AddNullToObject(o, "foreigner_v2") != NULL) &&
              (!c->phone_disclosed || (json_add_str(o, "phone", done ? c->phone : NULL) &&
                                       json_add_str(o, "carrier", done ? c->carrier : NULL))) &&
              cJSON_AddBoolToObject(o, "certified", c->certified) &&
              render_add_int(o, "certified_at", c->certified_at) &&
              json_add_str(o, "unique_key", done ? c->unique_key : NULL) &&
              json_add_str(o, "unique_in_site", done ? c->unique_in_site : NULL) &&
              cJSON_AddNullToObject(o, "origin"); /* no page: the code came by API */
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void reply(struct req *r, enum mock_err e, const struct certification *c, const char *detail)
{
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    cJSON *o = render_cert(c);
    if (!o)
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
    else
        envelope_ok(&r->reply, 200, o);
}

/* bypass: "JSON string" of kcp_v2's own fields, passed on as it is; JSON
 * bodies may carry the object itself. */
static bool read_bypass(struct params *p)
{
    const cJSON *it = param_item(p, "bypass", NULL);
    if (it && !cJSON_IsString(it) && !cJSON_IsObject(it))
        return param_fail1(p, MOCK_PARAM_NOT_STRING, "bypass");
    if (cJSON_IsString(it) && strlen(it->valuestring) > CUSTOM_DATA_MAX) {
        const char *args[] = {"bypass", "16384"};
        return param_fail(p, MOCK_PARAM_TOO_LONG, args, 2);
    }
    return true;
}

void api_cert_otp_request(struct req *r)
{
    struct cert_request rq = {0};
    struct params *p = &r->params;
    const char *company = NULL, *channel_key = NULL;
    /* company, channel_key and bypass go to the carrier's SMS and the PG:
     * checked for shape, kept nowhere */
    if (!param_str(p, "name", CERT_NAME_MAX, true, &rq.name) ||
        !param_str(p, "phone", PERSON_FIELD_MAX, true, &rq.phone) ||
        !param_str(p, "birth", PERSON_FIELD_MAX, true, &rq.birth) ||
        !param_str(p, "gender_digit", PERSON_FIELD_MAX, true, &rq.gender_digit) ||
        !param_str(p, "carrier", PERSON_FIELD_MAX, true, &rq.carrier) ||
        !api_param_enum(p, "carrier", carriers, &rq.carrier) ||
        !param_bool(p, "is_mvno", &rq.is_mvno) ||
        !fields_read_text(p, "company", TEXT_MAX, &company) ||
        !fields_read_text(p, "merchant_uid", MERCHANT_UID_MAX, &rq.merchant_uid) ||
        !fields_read_text(p, "pg", FIELDS_PG_MAX, &rq.pg) ||
        !fields_read_text(p, "channel_key", CHANNEL_KEY_MAX, &channel_key) ||
        !api_param_enum(p, "verification_method", methods, &rq.verification_method) ||
        !read_bypass(p)) {
        api_bad_param(r);
        return;
    }
    struct certification c;
    char detail[CERT_DETAIL_MAX];
    enum mock_err e =
        cert_request_otp(r->app->store, r->tid, &app_fixtures(r->app)->phones, &rq, &c, detail);
    if (e != MOCK_OK) {
        envelope_fail(&r->reply, e, detail[0] ? detail : NULL);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "imp_uid", c.imp_uid)) {
        cJSON_Delete(o);
        envelope_fail(&r->reply, MOCK_INTERNAL, NULL);
        return;
    }
    envelope_ok(&r->reply, 200, o);
}

void api_cert_otp_confirm(struct req *r)
{
    const char *otp = NULL;
    if (!fields_read_text(&r->params, "otp", OTP_MAX, &otp)) {
        api_bad_param(r);
        return;
    }
    struct certification c;
    char detail[CERT_DETAIL_MAX];
    enum mock_err e = cert_confirm(r->app->store, r->tid, &app_fixtures(r->app)->phones, r->args[0],
                                   otp, &c, detail);
    reply(r, e, &c, detail);
}

void api_cert_get(struct req *r)
{
    struct certification c;
    enum mock_err e = store_cert_get(r->app->store, r->tid, r->args[0], &c);
    reply(r, e, &c, "");
}

void api_cert_delete(struct req *r)
{
    struct certification c;
    char detail[CERT_DETAIL_MAX];
    enum mock_err e = cert_delete(r->app->store, r->tid, r->args[0], &c, detail);
    reply(r, e, &c, detail);
}
