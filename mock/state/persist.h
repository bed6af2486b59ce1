/*
 * persist.h - the durable state directory (--state-dir DIR). Every change
 * the store makes (tenants, tokens, payments, cancels, billing keys,
 * pre-registrations, schedules, receipts, certifications, shipping records,
 * the clock) is appended to DIR/state.log before the
 * call that made it returns, so before any client is answered; on start the
 * snapshot and the log are replayed. A snapshot (DIR/state.snap) replaces
 * the log when it grows, keeping start-up fast.
 *
 *   state.snap / state.log, one record a line:
 *     line 1     {"impmock_state":1,"kind":"snapshot"|"log","gen":G}
 *     then       CCCCCCCC {"ev":"payment","tid":0,...}   (CRC-32 of the JSON, hex)
 *     snapshot   ends with CCCCCCCC {"end":true}
 *
 * A torn last record (the process died mid-write) is detected by its CRC or
 * missing newline and skipped with a log line; damage anywhere else, a state
 * written by another format, or a directory that cannot be used fails
 * start-up with a clear message and leaves the files as they were. A lock
 * file keeps a second impmock out of the same directory.
 * Only main uses this module, before the server starts and after it stops.
 */
#ifndef IMPMOCK_PERSIST_H
#define IMPMOCK_PERSIST_H

#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>

#define PERSIST_FORMAT       1
#define PERSIST_COMPACT_SIZE (16u << 20) /* log bytes that trigger a snapshot */

struct persist;

/* Opens DIR (created if missing), replays it into s (which must be empty),
 * restores the clock, and from then on logs every change of s.
 * *ret_restored tells whether DIR held any state. NULL with err on failure. */
struct persist *persist_open(const char *dir, struct store *s, bool sync_writes, bool *ret_restored,
                             char *err, size_t errlen);
/* Writes a snapshot and starts a fresh log now. */
bool persist_compact(struct persist *p, char *err, size_t errlen);
/* Stops logging (after the server stopped) and frees p (NULL allowed). */
void persist_close(struct persist *p);

#endif
