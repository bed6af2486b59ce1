/* envelope.c - see envelope.h; also the error table's accessors. */
#include "envelope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
static const struct {
    const char *name;
    int http;
    int code;
    const char *message;
} errors[MOCK__COUNT] = {
#define X(name, http, code, msg) {#name, http, code, msg},
    MOCK_ERRORS(X)
#undef X
};
/* clang-format on */

static const char oom_body[] =
    "{\"code\":-1,\"message\":\"서버 내부 오류가 발생했습니다.\",\"response\":null}";

int mock_err_http(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT ? errors[e].http : 500;
}

int mock_err_code(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT ? errors[e].code : -1;
}

const char *mock_err_message(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT && errors[e].message ? errors[e].message : "";
}

const char *mock_err_name(enum mock_err e)
{
    return (unsigned)e < MOCK__COUNT ? errors[e].name : "UNKNOWN";
}

void reply_fini(struct reply *r)
{
    if (!r->body_static)
        free(r->body);
    memset(r, 0, sizeof *r);
}

void reply_static(struct reply *r, int status, const char *content_type, const char *body,
                  size_t len)
{
    reply_fini(r);
    r->status = status;
    r->content_type = content_type;
    r->body = (char *)body;
    r->len = len;
    r->body_static = true;
}

void reply_owned(struct reply *r, int status, const char *content_type, char *body, size_t len)
{
    reply_fini(r);
    r->status = status;
    r->content_type = content_type;
    r->body = body;
    r->len = len;
}

static void send_oom(struct reply *r)
{
    reply_static(r, 500, "application/json; charset=UTF-8", oom_body, sizeof oom_body - 1);
}

static void render(struct reply *r, int http, cJSON *root)
{
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        send_oom(r);
        return;
    }
    reply_owned(r, http, "application/json; charset=UTF-8", text, strlen(text));
}

static cJSON *envelope(int code, const char *message, cJSON *response)
{
    cJSON *root = cJSON_CreateObject();
    if (!root || !cJSON_AddNumberToObject(root, "code", code) ||
        !(message ? cJSON_AddStringToObject(root, "message", message)
                  : cJSON_AddNullToObject(root, "message"))) {
        cJSON_Delete(root);
        cJSON_Delete(response);
        return NULL;
    }
    if (!response)
        response = cJSON_CreateNull();
    if (!response || !cJSON_AddItemToObject(root, "response", response)) {
        cJSON_Delete(response);
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

void envelope_ok(struct reply *r, int http, cJSON *response)
{
    render(r, http, envelope(0, NULL, response));
}

void envelope_fail_msg(struct reply *r, enum mock_err e, const char *message)
{
    render(r, mock_err_http(e), envelope(mock_err_code(e), message, NULL));
}

void envelope_fail(struct reply *r, enum mock_err e, const char *detail)
{
    char message[1024];
    const char *fmt = mock_err_message(e);
    if (strstr(fmt, "%s"))
        snprintf(message, sizeof message, fmt, detail ? detail : "");
    else
        snprintf(message, sizeof message, "%s", fmt);
    envelope_fail_msg(r, e, message);
}

void envelope_plain(struct reply *r, int http, cJSON *body)
{
    render(r, http, body);
}
