/* admin_ui.c - the pages a person opens: the landing page at / and
 * /__mock/, the sandbox dashboard at /__mock/ui with its script and style
 * sheet, and the API description (GET /__mock/openapi.json, written by hand
 * in static/openapi.json) with the page that shows it (/__mock/docs). Embedded at build time
 * (tools/embed.py) and served by exact name; they hold no data: the dashboard reads and steers
 * impmock through the control API from its own origin, with the admin token when one is set, so the
 * pages themselves need none. A Content-Security-Policy keeps them to their own origin (no CDN, no
 * inline script, no framing).
 */
#include "http/api.h"
#include "http/control.h"

#include <pthread.h>
#include <string.h>

/* The embedded sources; long literals are fine here. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
#endif
#include "http/asset_dashboard_html.h"
#include "http/asset_dashboard_js.h"
#include "http/asset_docs_html.h"
#include "http/asset_docs_js.h"
#include "http/asset_landing_html.h"
#include "http/asset_openapi_json.h"
#include "http/asset_ui_css.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

static const char page_headers[] =
    "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n";

struct ui_asset {
    const char *path; /* exact request path, without a trailing slash */
    const char *content_type;
    const char *data;
    const size_t *len;
};

/* clang-format off */
static const struct ui_asset ui_assets[] = {
    {"/__mock/ui",              "text/html; charset=UTF-8",              asset_dashboard_html, &asset_dashboard_html_len},
    {"/__mock/ui/dashboard.js", "application/javascript; charset=UTF-8", asset_dashboard_js,   &asset_dashboard_js_len},
    {"/__mock/ui/ui.css",       "text/css; charset=UTF-8",               asset_ui_css,         &asset_ui_css_len},
    {"/__mock/docs",            "text/html; charset=UTF-8",              asset_docs_html,      &asset_docs_html_len},
    {"/__mock/docs/docs.js",    "application/javascript; charset=UTF-8", asset_docs_js,        &asset_docs_js_len},
};
/* clang-format on */

static void reply_asset(struct req *r, const struct ui_asset *a)
{
    reply_static(&r->reply, 200, a->content_type, a->data, *a->len);
    r->reply.extra_headers = page_headers;
}

void admin_ui_landing(struct req *r)
{
    static const struct ui_asset landing = {"/", "text/html; charset=UTF-8", asset_landing_html,
                                            &asset_landing_html_len};
    reply_asset(r, &landing);
}

void admin_ui_asset(struct req *r)
{
    size_t n = strlen(r->path);
    if (n > 1 && r->path[n - 1] == '/')
        n--; /* /__mock/ui/ is /__mock/ui */
    for (size_t i = 0; i < sizeof ui_assets / sizeof ui_assets[0]; i++) {
        if (strlen(ui_assets[i].path) == n && memcmp(r->path, ui_assets[i].path, n) == 0) {
            reply_asset(r, &ui_assets[i]);
            return;
        }
    }
    control_fail(&r->reply, CONTROL_NO_ROUTE, r->path);
}

/* The description with info.version set to this build's, made once. */
static char *openapi_text;
static size_t openapi_len;

static void openapi_render(void)
{
    cJSON *doc = cJSON_ParseWithLength(asset_openapi_json, asset_openapi_json_len);
    cJSON *info = cJSON_GetObjectItemCaseSensitive(doc, "info");
    cJSON *version = cJSON_CreateString(IMPMOCK_VERSION);
    if (!info || !version || !cJSON_ReplaceItemInObjectCaseSensitive(info, "version", version))
        cJSON_Delete(version);
    openapi_text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    openapi_len = openapi_text ? strlen(openapi_text) : 0;
    cJSON_Delete(doc);
}

void admin_openapi(struct req *r)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, openapi_render);
    if (!openapi_text) {
        control_fail(&r->reply, CONTROL_INTERNAL, NULL);
        return;
    }
    reply_static(&r->reply, 200, "application/json; charset=UTF-8", openapi_text, openapi_len);
}
