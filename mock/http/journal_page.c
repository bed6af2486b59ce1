/* journal_page.c - see journal_page.h.
 * The journal is walked newest first and the answer is oldest first, so the
 * array is written from its end: each entry goes in front of the ones
 * already written, in a buffer that grows at its front. */
#include "http/journal_page.h"

#include "infra/json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

struct page {
    char *buf; /* the text is buf[start, cap - 2): room for "]\0" after it */
    size_t cap, start;
    size_t budget;
    size_t entries;
    uint64_t next_before;
    bool oom;
};

static size_t used(const struct page *p)
{
    return p->cap ? p->cap - 2 - p->start : 0;
}

/* Puts n bytes in front of the text. */
static bool prepend(struct page *p, const char *s, size_t n)
{
    if (n > p->start) {
        size_t have = used(p), ncap = p->cap ? p->cap * 2 : 65536;
        while (ncap < have + n + 2)
            ncap *= 2;
        char *nb = malloc(ncap);
        if (!nb)
            return false;
        if (have)
            memcpy(nb + ncap - 2 - have, p->buf + p->start, have);
        free(p->buf);
        p->buf = nb;
        p->cap = ncap;
        p->start = ncap - 2 - have;
    }
    p->start -= n;
    memcpy(p->buf + p->start, s, n);
    return true;
}

static cJSON *body_value(const char *text, bool as_json)
{
    /* bodies that are JSON are shown as JSON, anything else as a string;
     * depth-checked: a refused 1500-deep body is journaled too, and plain
     * cJSON_Parse would overflow the worker's stack on it */
    cJSON *v =
        as_json && (text[0] == '{' || text[0] == '[') ? json_parse_value(text, strlen(text)) : NULL;
    return v ? v : cJSON_CreateString(text);
}

/* One entry as printed JSON (owned), NULL on OOM. */
static char *entry_text(const struct journal_entry *e, bool bodies_as_json)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "seq", (double)e->seq);
    cJSON_AddNumberToObject(o, "time", (double)e->time);
    cJSON_AddStringToObject(o, "method", e->method);
    cJSON_AddStringToObject(o, "path", e->path);
    cJSON_AddNumberToObject(o, "status", e->status);
    cJSON_AddItemToObject(o, "request_body", body_value(e->request_body, bodies_as_json));
    cJSON_AddItemToObject(o, "response_body", body_value(e->response_body, bodies_as_json));
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

static bool add_entry(const struct journal_entry *e, void *ud)
{
    struct page *p = ud;
    char *text = entry_text(e, true);
    if (text && strlen(text) > JOURNAL_PAGE_ENTRY_MAX) {
        cJSON_free(text);
        text = entry_text(e, false);
    }
    if (!text) {
        p->oom = true;
        return false;
    }
    size_t n = strlen(text);
    /* the brackets and a comma after every entry but the last */
    if (p->entries && used(p) + n + 3 > p->budget) {
        cJSON_free(text);
        p->next_before = e->seq + 1;
        return false;
    }
    bool ok = (!p->entries || prepend(p, ",", 1)) && prepend(p, text, n);
    cJSON_free(text);
    if (!ok) {
        p->oom = true;
        return false;
    }
    p->entries++;
    return true;
}

bool journal_page_render(const struct journal_filter *f, size_t budget, struct journal_page *ret)
{
    memset(ret, 0, sizeof *ret);
    struct page p = {.budget = budget < JOURNAL_PAGE_MIN ? JOURNAL_PAGE_MIN : budget};
    journal_walk(f, add_entry, &p);
    if (p.oom || !prepend(&p, "[", 1)) {
        free(p.buf);
        return false;
    }
    /* the text moves to the front of its buffer, which becomes the body */
    size_t n = used(&p);
    p.buf[p.cap - 2] = ']';
    p.buf[p.cap - 1] = '\0';
    memmove(p.buf, p.buf + p.start, n + 2);
    char *body = realloc(p.buf, n + 2);
    ret->body = body ? body : p.buf;
    ret->len = n + 1;
    ret->entries = p.entries;
    ret->next_before = p.next_before;
    return true;
}
