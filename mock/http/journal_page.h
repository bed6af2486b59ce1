/*
 * journal_page.h - GET /__mock/requests as one bounded answer: the newest
 * matching journal entries that fit in a byte budget, written oldest first
 * as a JSON array. Entries are copied and written one at a time, so the
 * memory an answer takes is about its size, whatever the journal holds; the
 * entries left out are fetched with ?before= (X-Mock-Next-Before).
 * Thread-safety: callable from any worker.
 */
#ifndef IMPMOCK_JOURNAL_PAGE_H
#define IMPMOCK_JOURNAL_PAGE_H

#include "infra/journal.h"

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
};

/* Renders the page for f within budget bytes (at least JOURNAL_PAGE_MIN).
 * false on OOM. */
bool journal_page_render(const struct journal_filter *f, size_t budget, struct journal_page *ret);

#endif
