/*
 * journal_page.h - GET /__mock/requests as one bounded answer: the newest
 * matching journal entries that fit in a byte budget, written oldest first
 * as a JSON array; with a since cursor, the oldest ones after it instead.
 * Entries are copied and written one at a time, so the memory an answer
 * takes is about its size, whatever the journal holds; the entries left
 * out are fetched with ?before= (X-Mock-Next-Before), or after a since
 * page with ?since= (X-Mock-Next-Since).
 * Each entry: {seq, time, imp_key, method, path, status, headers,
 * request_body, response_body}; imp_key is the tenant's (null for a
 * request no tenant made), headers an object of the request's header
 * lines as the journal keeps them (credentials masked).
 * Thread-safety: callable from any worker.
 */
#ifndef IMPMOCK_JOURNAL_PAGE_H
#define IMPMOCK_JOURNAL_PAGE_H

#include "infra/journal.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes one entry may take in an answer: a bigger one (a JSON body that
 * grew when printed again) shows its bodies as strings, which fit. */
#define JOURNAL_PAGE_ENTRY_MAX (2 * JOURNAL_BODY_MAX + JOURNAL_PATH_MAX + 1024)
/* The smallest budget: one entry always fits. */
#define JOURNAL_PAGE_MIN (2 * JOURNAL_PAGE_ENTRY_MAX)

struct journal_page {
    char *body; /* owned (free): the JSON array */
    size_t len;
    size_t entries;       /* how many it holds */
    uint64_t next_before; /* 0: nothing matching was left out; else ?before= for the rest */
    uint64_t next_since;  /* a since page: 0 when it reached the newest entry; else ?since= */
};

/* Renders the page for f within budget bytes (at least JOURNAL_PAGE_MIN);
 * s names each entry's tenant. false on OOM. */
bool journal_page_render(struct store *s, const struct journal_filter *f, size_t budget,
                         struct journal_page *ret);

#endif
