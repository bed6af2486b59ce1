/*
 * persist.h - the durable state directory (--state-dir DIR). Every change
 * the store makes (tenants, tokens, payments, cancels, billing keys,
 * pre-registrations, schedules, receipts, certifications, shipping records,
 * the clock) is appended to DIR/state.log before the
 * call that made it returns, so before any client is answered; on start the
 * snapshot and the log are replayed. A snapshot (DIR/state.snap) replaces
 * the log when it grows, keeping start-up fast.
 *
 *   state.snap / state.log, one record a line (state/logline.h):
 *     line 1     {"impmock_state":2,"kind":"snapshot"|"log","gen":G}
 *     then       CCCCCCCC {"ev":"payment","tid":0,...}   (CRC-32 of the JSON, hex)
 *     snapshot   ends with CCCCCCCC {"end":true}
 *   state.mark, one fixed-width line rewritten in place after every append:
 *     gen GGGGGGGGGGGGGGGGGGGG bytes NNNNNNNNNNNNNNNNNNNN
 *     the log of generation G held N bytes of whole records when a change
 *     was last acknowledged, so a log cut short (even at a line boundary)
 *     is noticed.
 *
 * Start-up accepts only what it can vouch for. A torn last record (an
 * incomplete last line past the mark: the process died mid-write) is
 * skipped with a log line. Anything else - a complete line with a bad CRC,
 * a record that does not fit, a log shorter than its mark, a snapshot, log
 * or mark missing next to the others, generations that do not follow -
 * refuses start-up naming the file and line, and leaves the files as they
 * were. With repair (--state-repair) the damaged files are first copied to
 * DIR/damaged-<UTC time>/, then everything readable is kept (each file up to
 * its first damaged line) and a fresh snapshot, log and mark are written.
 * A state of another format is refused even then; format 1 (written before
 * state.mark existed) is read without a mark and rewritten as format 2.
 *
 * When an append fails (disk full, I/O error) the change is answered as an
 * error and the log is cut back to its last whole record; memory now holds
 * a change the log lacks, so no later change is acknowledged until a fresh
 * snapshot of memory has been written (tried at most once a second). A
 * lock file keeps a second impmock out of the same directory. Files are
 * created 0600 (they hold imp_secret and live tokens), a directory impmock
 * creates 0700. Only main uses this module, before the server starts and
 * after it stops.
 */
#ifndef IMPMOCK_PERSIST_H
#define IMPMOCK_PERSIST_H

#include "state/logline.h"
#include "state/store.h"

#include <stdbool.h>
#include <stddef.h>

#define PERSIST_FORMAT       LOGLINE_FORMAT
#define PERSIST_COMPACT_SIZE (16u << 20) /* log bytes that trigger a snapshot */
#define PERSIST_RETRY_MS     1000        /* between snapshot attempts after a failure */

struct persist;

struct persist_opts {
    bool sync_writes; /* fdatasync every append */
    bool repair;      /* keep what is readable of a damaged state (a copy first) */
};

/* Opens DIR (created if missing), replays it into s (which must be empty),
 * restores the clock, and from then on logs every change of s.
 * *ret_restored tells whether DIR held any state. NULL with err on failure. */
struct persist *persist_open(const char *dir, struct store *s, const struct persist_opts *o,
                             bool *ret_restored, char *err, size_t errlen);
/* Stops logging (after the server stopped) and frees p (NULL allowed). */
void persist_close(struct persist *p);
/* Writes a snapshot and starts a fresh log now. */
bool persist_compact(struct persist *p, char *err, size_t errlen);

#endif
