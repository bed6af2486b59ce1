/*
 * logline.h - one line of a state file (persist.h): the header line, and
 * change records framed as "CCCCCCCC JSON\n" where CCCCCCCC is the CRC-32
 * (IEEE) of the JSON in hex, so a torn or damaged record is noticed.
 * Thread-safety: pure functions (the CRC table is built once, before any
 * thread starts, by logline_init).
 */
#ifndef IMPMOCK_LOGLINE_H
#define IMPMOCK_LOGLINE_H

#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "impmock_state" of the header line. Format 1 was written before
 * state.mark existed: it is still read (a directory of it has no mark to
 * check the log against), and rewritten as the current one. */
#define LOGLINE_FORMAT          2
#define LOGLINE_FORMAT_UNMARKED 1

/* Builds the CRC table; call before any other function. */
void logline_init(void);
/* Renders the header line of a state file of kind "log" or "snapshot";
 * returns its length (it fits in 128 bytes). */
size_t logline_header(char *buf, size_t cap, const char *kind, uint64_t gen);
/* Reads a header line (without its '\n') of either format this impmock
 * reads (*ret_format); false with a message naming path when it is not
 * ours. *ret_foreign tells a header of another format (not damage: a
 * repair must not drop it). */
bool logline_parse_header(const char *line, size_t len, const char *path, const char *kind,
                          uint64_t *ret_gen, int *ret_format, bool *ret_foreign, char *err,
                          size_t errlen);
/* Renders one change as a whole line with its '\n'; owned, NULL on OOM. */
char *logline_render(const struct store_event *ev, size_t *ret_len);
/* The line ending a snapshot; owned, NULL on OOM. */
char *logline_render_end(size_t *ret_len);

enum logline_kind {
    LOGLINE_EVENT, /* a change, in *ret_ev (store_event_fini it) */
    LOGLINE_END,   /* the end of a snapshot */
    LOGLINE_BAD,   /* damaged or unreadable: err says why */
};
/* Reads one line (without its '\n'): checks the CRC, then the record. */
enum logline_kind logline_parse(const char *line, size_t len, struct store_event *ret_ev, char *err,
                                size_t errlen);
/* The record kind's name, for messages ("payment"). */
const char *logline_kind_name(const struct store_event *ev);

#endif
