/* control.c - see control.h. */
#include "http/control.h"

#include "http/envelope.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int http;
    const char *message;
} rows[] = {
#define CONTROL_ROW(name, http, msg) {#name, http, msg},
    CONTROL_ERRORS(CONTROL_ROW)
#undef CONTROL_ROW
};

const char *control_err_name(enum control_err e)
{
    return e < CONTROL__COUNT ? rows[e].name : "INTERNAL";
}

int control_err_http(enum control_err e)
{
    return e < CONTROL__COUNT ? rows[e].http : 500;
}

const char *control_err_message(enum control_err e)
{
    return e < CONTROL__COUNT ? rows[e].message : rows[CONTROL_INTERNAL].message;
}

/* fmt with its "%s"s filled by args in order (missing ones empty), cut to cap. */
static void fill(const char *fmt, const char *const *args, size_t n, char *buf, size_t cap)
{
    size_t at = 0, used = 0;
    const char *hole;
    buf[0] = '\0';
    while ((hole = strstr(fmt, "%s")) != NULL) {
        const char *arg = used < n && args[used] ? args[used] : "";
        used++;
        at += (size_t)snprintf(buf + at, cap - at, "%.*s%s", (int)(hole - fmt), fmt, arg);
        if (at >= cap)
            return;
        fmt = hole + 2;
    }
    snprintf(buf + at, cap - at, "%s", fmt);
}

static void render(struct reply *rep, enum control_err e, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddStringToObject(o, "error", message) ||
              !cJSON_AddStringToObject(o, "code", control_err_name(e)))) {
        cJSON_Delete(o);
        o = NULL; /* rendered as out of memory */
    }
    envelope_plain(rep, control_err_http(e), o);
    rep->refusal = control_err_name(e);
}

void control_fail(struct reply *rep, enum control_err e, const char *detail)
{
    char message[1024];
    fill(control_err_message(e), &detail, 1, message, sizeof message);
    render(rep, e, message);
}

/* The English sentence for a failed read of a field; the field's name is
 * the first detail, limits follow. */
static const char *param_template(enum mock_err e)
{
    switch (e) {
    case MOCK_PARAM_REQUIRED:
        return "%s is required";
    case MOCK_PARAM_EMPTY:
        return "%s must not be empty";
    case MOCK_PARAM_NOT_STRING:
        return "%s must be a string";
    case MOCK_PARAM_TOO_LONG:
        return "%s is too long (at most %s bytes)";
    case MOCK_PARAM_TOO_MANY_CHARS:
        return "%s takes at most %s characters";
    case MOCK_PARAM_NOT_IN_ENUM:
        return "%s must be one of %s";
    case MOCK_PARAM_NOT_OBJECT:
        return "%s must be an object";
    case MOCK_PARAM_NOT_NUMBER:
        return "%s must be a number";
    case MOCK_PARAM_NUMBER_AS_TEXT:
        return "%s must be a JSON number, not a string";
    case MOCK_PARAM_NOT_INTEGER:
        return "%s must be a whole number";
    case MOCK_PARAM_NEGATIVE:
        return "%s must be 0 or more";
    case MOCK_PARAM_NOT_WHOLE_WON:
        return "%s must be a whole number of won";
    case MOCK_PARAM_TOO_BIG:
        return "%s is too large";
    case MOCK_PARAM_RANGE:
        return "%s must be from %s to %s";
    case MOCK_PARAM_NOT_BOOL:
        return "%s must be true or false";
    case MOCK_PARAM_NOT_ARRAY:
        return "%s must be an array";
    case MOCK_PARAM_NOT_LIST:
        return "%s must be an array of strings";
    case MOCK_PARAM_ITEM_TOO_LONG:
        return "an item of %s is too long";
    case MOCK_PARAM_TOO_MANY:
        return "%s takes at most %s items";
    case MOCK_ID_CONTROL_CHAR:
        return "%s must not hold control characters (NUL, line breaks)";
    case MOCK_PARAM_NOT_URL:
    case MOCK_PARAM_NOT_PAGE_URL:
        return "%s must be an http:// or https:// URL";
    default:
        return "%s has a value that is not valid";
    }
}

void control_fail_params(struct reply *rep, const struct params *p)
{
    const char *args[PARAM_ARGS_MAX];
    size_t n = p->n_err_args < PARAM_ARGS_MAX ? p->n_err_args : PARAM_ARGS_MAX;
    for (size_t i = 0; i < n; i++)
        args[i] = p->err_args[i];
    char message[512];
    if (n == 0)
        snprintf(message, sizeof message, "a parameter has a value that is not valid");
    else
        fill(param_template(p->err), args, n, message, sizeof message);
    render(rep, CONTROL_BAD_PARAM, message);
}

/* The control row of an error-table outcome that reaches the control API. */
static enum control_err control_of(enum mock_err e)
{
    switch (e) {
    case MOCK_BAD_PARAM:
        return CONTROL_BAD_FORM; /* the form and query parser's own failures */
    case MOCK_BAD_JSON:
        return CONTROL_BAD_JSON;
    case MOCK_BAD_ENCODING:
        return CONTROL_BAD_ENCODING;
    case MOCK_BAD_PATH_ENCODING:
        return CONTROL_BAD_PATH_ENCODING;
    case MOCK_BODY_INCOMPLETE:
        return CONTROL_BODY_INCOMPLETE;
    case MOCK_BODY_TOO_LARGE:
        return CONTROL_BODY_TOO_LARGE;
    case MOCK_BODY_TIMEOUT:
        return CONTROL_BODY_TIMEOUT;
    case MOCK_TOO_MANY_HEADERS:
        return CONTROL_TOO_MANY_HEADERS;
    case MOCK_ID_CONTROL_CHAR:
        return CONTROL_ID_CONTROL_CHAR;
    case MOCK_BAD_HTTP:
        return CONTROL_BAD_HTTP;
    case MOCK_NO_ROUTE:
        return CONTROL_NO_ROUTE;
    case MOCK_METHOD_NOT_ALLOWED:
        return CONTROL_METHOD_NOT_ALLOWED;
    case MOCK_HOST_NOT_ALLOWED:
        return CONTROL_HOST_NOT_ALLOWED;
    case MOCK_CROSS_ORIGIN:
        return CONTROL_CROSS_ORIGIN;
    case MOCK_PAYMENT_NOT_FOUND:
        return CONTROL_PAYMENT_NOT_FOUND;
    case MOCK_VBANK_NOT_VBANK:
        return CONTROL_VBANK_NOT_VBANK;
    case MOCK_VBANK_NOT_READY:
        return CONTROL_VBANK_NOT_READY;
    case MOCK_VBANK_EXPIRED:
        return CONTROL_VBANK_EXPIRED;
    case MOCK_VBANK_DEPOSIT_AMOUNT:
        return CONTROL_VBANK_DEPOSIT_AMOUNT;
    default:
        return CONTROL_INTERNAL;
    }
}

void control_fail_mock(struct reply *rep, enum mock_err e, const char *detail)
{
    enum control_err c = control_of(e);
    /* the parser's details are written for the REST API, in Korean: the
     * control API's sentence stands alone */
    bool keep = c != CONTROL_BAD_FORM && c != CONTROL_BAD_JSON;
    control_fail(rep, c, keep ? detail : NULL);
}

bool control_answers(const struct req *r)
{
    return route_face_of_req(r) == FACE_CONTROL;
}

void control_refuse(struct req *r, enum mock_err e, const char *detail)
{
    if (control_answers(r))
        control_fail_mock(&r->reply, e, detail);
    else
        envelope_fail(&r->reply, e, detail);
}
