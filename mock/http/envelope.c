/* envelope.c - see envelope.h. */
#include "http/envelope.h"

#include "infra/scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char oom_body[] =
    "{\"code\":-1,\"message\":\"서버 내부 오류가 발생했습니다.\",\"response\":null}";

void reply_fini(struct reply *r)
{
    if (!r->body_static)
        free(r->body);
    free(r->headers_owned);
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

void reply_borrowed(struct reply *r, int status, const char *content_type, const char *body,
                    size_t len)
{
    reply_static(r, status, content_type, body, len);
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
    /* one buffer big enough for most answers, instead of growing from 256 bytes */
    char *text = root ? cJSON_PrintBuffered(root, 2048, 0) : NULL;
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
    /* the code as its digits: cJSON 1.7.15 prints every number through
     * sprintf("%1.15g") and sscanf, costly on every answer */
    char code_text[16];
    snprintf(code_text, sizeof code_text, "%d", code);
    if (!root || !cJSON_AddRawToObject(root, "code", code_text) ||
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
    /* the envelope written around the printed response: no wrapper object to
     * build, print and free on every successful answer (same bytes) */
    /* a raw item (an answer written as text) is already what printing gives */
    bool raw = cJSON_IsRaw(response) && response->valuestring;
    char *inner = response && !raw ? cJSON_PrintBuffered(response, 2048, 0) : NULL;
    if (response && !raw && !inner) {
        cJSON_Delete(response);
        send_oom(r);
        return;
    }
    const char *in = raw ? response->valuestring : inner ? inner : "null";
    envelope_ok_json(r, http, in, strlen(in));
    cJSON_free(inner);
    cJSON_Delete(response);
}

void envelope_ok_json(struct reply *r, int http, const char *json, size_t len)
{
    size_t hl = sizeof ENVELOPE_OK_HEAD - 1;
    /* in the worker's own buffer: no malloc and free for every answer */
    char *text = scratch_get(SCRATCH_BODY, hl + len + 2);
    if (!text) {
        send_oom(r);
        return;
    }
    memcpy(text, ENVELOPE_OK_HEAD, hl);
    memcpy(text + hl, json, len);
    text[hl + len] = '}';
    text[hl + len + 1] = '\0';
    reply_borrowed(r, http, "application/json; charset=UTF-8", text, hl + len + 1);
}

void envelope_fail_msg(struct reply *r, enum mock_err e, const char *message)
{
    render(r, mock_err_http(e), envelope(mock_err_code(e), message, NULL));
    r->refusal = mock_err_name(e);
}

void envelope_fail_args(struct reply *r, enum mock_err e, const char *const *args, size_t n)
{
    char message[1024];
    mock_err_format(e, args, n, message, sizeof message);
    envelope_fail_msg(r, e, message);
}

void envelope_fail(struct reply *r, enum mock_err e, const char *detail)
{
    envelope_fail_args(r, e, &detail, 1);
}

void envelope_fail_params(struct reply *r, const struct params *p)
{
    const char *args[PARAM_ARGS_MAX];
    size_t n = p->n_err_args < PARAM_ARGS_MAX ? p->n_err_args : PARAM_ARGS_MAX;
    for (size_t i = 0; i < n; i++)
        args[i] = p->err_args[i];
    /* a reader that failed without saying why is still a bad parameter */
    envelope_fail_args(r, p->err != MOCK_OK ? p->err : MOCK_BAD_PARAM, args, n);
}

void envelope_plain(struct reply *r, int http, cJSON *body)
{
    render(r, http, body);
}
