/* journal_page.c - see journal_page.h.
 * The journal is walked newest first and the answer is oldest first, so the
 * array is written from its end: each entry goes in front of the ones
 * already written, in a buffer that grows at its front. A since page is
 * walked oldest first and written from its start. */
#include "http/journal_page.h"

#include "infra/json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page {
    char *buf; /* the text is buf[start, end), with room for "]\0" after it */
    size_t cap, start, end;
    bool forward; /* a since page: entries come oldest first and are appended */
    size_t budget;
    size_t entries;
    uint64_t last_seq; /* of the entry written last */
    uint64_t next_before, next_since;
    bool oom;
    struct store *store;
    int key_tid; /* the tenant `key` names, -2 none yet */
    bool key_known;
    char key[IMP_KEY_MAX + 1];
};

static size_t used(const struct page *p)
{
    return p->end - p->start;
}

/* Makes room for n more bytes where the next entry goes: in front of the
 * text (newest first walks) or after it (since walks). */
static bool make_room(struct page *p, size_t n)
{
    if (p->cap && (p->forward ? p->cap - 2 - p->end >= n : p->start >= n))
        return true;
    size_t have = used(p), ncap = p->cap ? p->cap * 2 : 65536;
    while (ncap < have + n + 2)
        ncap *= 2;
    char *nb = malloc(ncap);
    if (!nb)
        return false;
    size_t at = p->forward ? 0 : ncap - 2 - have;
    if (have)
        memcpy(nb + at, p->buf + p->start, have);
    free(p->buf);
    p->buf = nb;
    p->cap = ncap;
    p->start = at;
    p->end = at + have;
    return true;
}

/* Puts n bytes where the next entry goes. */
static bool put(struct page *p, const char *s, size_t n)
{
    if (!make_room(p, n))
        return false;
    if (p->forward) {
        memcpy(p->buf + p->end, s, n);
        p->end += n;
    } else {
        p->start -= n;
        memcpy(p->buf + p->start, s, n);
    }
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

/* The journal's "Name: value" lines as an object; a name sent twice gets
 * its values joined with ", " (RFC 9110 5.3). NULL on OOM. */
static cJSON *headers_value(const char *lines)
{
    cJSON *o = cJSON_CreateObject();
    for (const char *at = lines; o && *at;) {
        size_t len = strcspn(at, "\n");
        const char *colon = memchr(at, ':', len);
        if (colon) {
            char name[128], value[JOURNAL_HEADERS_MAX + 1];
            size_t nl = (size_t)(colon - at), vl = len - nl - 1;
            const char *v = colon + 1;
            while (vl && *v == ' ')
                v++, vl--;
            snprintf(name, sizeof name, "%.*s", (int)nl, at);
            cJSON *had = cJSON_GetObjectItemCaseSensitive(o, name);
            if (had && cJSON_IsString(had))
                snprintf(value, sizeof value, "%s, %.*s", had->valuestring, (int)vl, v);
            else
                snprintf(value, sizeof value, "%.*s", (int)vl, v);
            cJSON *item = cJSON_CreateString(value);
            bool ok = item && (had ? cJSON_ReplaceItemInObjectCaseSensitive(o, name, item)
                                   : cJSON_AddItemToObject(o, name, item));
            if (!ok) {
                cJSON_Delete(item);
                cJSON_Delete(o);
                o = NULL;
            }
        }
        at += len + (at[len] == '\n');
    }
    return o;
}

/* The imp_key of tenant tid, NULL when none (no tenant, or gone). */
static const char *key_of(struct page *p, int tid)
{
    if (tid < 0)
        return NULL;
    if (p->key_tid != tid) { /* entries come in runs of one tenant */
        p->key_tid = tid;
        p->key_known = store_tenant_key(p->store, tid, p->key);
    }
    return p->key_known ? p->key : NULL;
}

/* One entry as printed JSON (owned), NULL on OOM. */
static char *entry_text(struct page *p, const struct journal_entry *e, bool bodies_as_json)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    const char *key = key_of(p, e->tid);
    cJSON_AddNumberToObject(o, "seq", (double)e->seq);
    cJSON_AddNumberToObject(o, "time", (double)e->time);
    if (key)
        cJSON_AddStringToObject(o, "imp_key", key);
    else
        cJSON_AddNullToObject(o, "imp_key");
    cJSON_AddStringToObject(o, "method", e->method);
    cJSON_AddStringToObject(o, "path", e->path);
    cJSON_AddNumberToObject(o, "status", e->status);
    cJSON_AddItemToObject(o, "headers", headers_value(e->headers));
    cJSON_AddItemToObject(o, "request_body", body_value(e->request_body, bodies_as_json));
    cJSON_AddItemToObject(o, "response_body", body_value(e->response_body, bodies_as_json));
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

static bool add_entry(const struct journal_entry *e, void *ud)
{
    struct page *p = ud;
    char *text = entry_text(p, e, true);
    if (text && strlen(text) > JOURNAL_PAGE_ENTRY_MAX) {
        cJSON_free(text);
        text = entry_text(p, e, false);
    }
    if (!text) {
        p->oom = true;
        return false;
    }
    size_t n = strlen(text);
    /* the brackets and a comma after every entry but the last */
    if (p->entries && used(p) + n + 3 > p->budget) {
        cJSON_free(text);
        if (p->forward)
            p->next_since = p->last_seq;
        else
            p->next_before = e->seq + 1;
        return false;
    }
    /* newest first, the comma goes in front of the text and the entry in
     * front of the comma; oldest first, each after the other */
    bool ok = (!p->entries || put(p, ",", 1)) && put(p, text, n);
    cJSON_free(text);
    if (!ok) {
        p->oom = true;
        return false;
    }
    p->entries++;
    p->last_seq = e->seq;
    return true;
}

bool journal_page_render(struct store *s, const struct journal_filter *f, size_t budget,
                         struct journal_page *ret)
{
    memset(ret, 0, sizeof *ret);
    struct page p = {.budget = budget < JOURNAL_PAGE_MIN ? JOURNAL_PAGE_MIN : budget,
                     .forward = f->since > 0,
                     .store = s,
                     .key_tid = -2};
    uint64_t newest = journal_last_seq();
    /* the opening bracket: first when entries are appended, last when they
     * are put in front */
    if (p.forward && !put(&p, "[", 1))
        p.oom = true;
    if (!p.oom)
        journal_walk(f, add_entry, &p);
    if (p.forward && f->limit && p.entries == f->limit && p.last_seq < newest)
        p.next_since = p.last_seq; /* the limit stopped it: there may be more */
    if (p.oom || (!p.forward && !put(&p, "[", 1))) {
        free(p.buf);
        return false;
    }
    /* the text moves to the front of its buffer, which becomes the body */
    size_t n = used(&p);
    memmove(p.buf, p.buf + p.start, n);
    p.buf[n] = ']';
    p.buf[n + 1] = '\0';
    char *body = realloc(p.buf, n + 2);
    ret->body = body ? body : p.buf;
    ret->len = n + 1;
    ret->entries = p.entries;
    ret->next_before = p.next_before;
    ret->next_since = p.next_since;
    return true;
}
