/* persist.c - see persist.h. */
#include "state/persist.h"

#include "infra/clock.h"
#include "state/state_documents.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MARK_LEN 52 /* "gen %020llu bytes %020llu\n" */

struct persist {
    struct store *store;
    char dir[PATH_MAX];
    int lock_fd;
    int log_fd;       /* O_APPEND; only the sink (under the store's flush lock) writes */
    int mark_fd;      /* state.mark, rewritten in place after every append */
    size_t log_bytes; /* size of state.log, whole records only */
    uint64_t gen;     /* generation of the current log */
    bool sync_writes; /* fdatasync after every record */
    bool behind;      /* memory holds a change the log lacks: snapshot before the next append */
    double retry_at;  /* monotonic ms: no snapshot attempt before this */
    size_t refused;   /* changes refused since the log fell behind */
    bool mark_warned; /* told once that state.mark cannot be updated */
};

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

static bool write_event(int fd, const struct store_event *ev, size_t *ret_len)
{
    size_t len = 0;
    char *line = logline_render(ev, &len);
    bool ok = line && write_all(fd, line, len);
    free(line);
    if (ok && ret_len)
        *ret_len = len;
    return ok;
}

static bool sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

/* ---- state.mark ---- */

static bool mark_write(struct persist *p, uint64_t gen, size_t bytes)
{
    if (p->mark_fd < 0) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/state.mark", p->dir);
        p->mark_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (p->mark_fd < 0 || !sync_dir(p->dir))
            return false;
    }
    char line[MARK_LEN + 1];
    snprintf(line, sizeof line, "gen %020llu bytes %020llu\n", (unsigned long long)gen,
             (unsigned long long)bytes);
    return pwrite(p->mark_fd, line, MARK_LEN, 0) == MARK_LEN;
}

/* Reads a mark; false when text is not one. */
static bool mark_parse(const char *text, size_t len, uint64_t *ret_gen, uint64_t *ret_bytes)
{
    unsigned long long gen, bytes;
    int end = 0;
    if (len != MARK_LEN || text[MARK_LEN - 1] != '\n' ||
        sscanf(text, "gen %20llu bytes %20llu%n", &gen, &bytes, &end) != 2 || end != MARK_LEN - 1)
        return false;
    *ret_gen = gen;
    *ret_bytes = bytes;
    return true;
}

/* ---- writing a snapshot ---- */

/* write_event for state_documents_dump, whose callback takes a pointer */
static bool emit_document(void *ud, const struct store_event *ev)
{
    return write_event(*(const int *)ud, ev, NULL);
}

/* One record of a snapshot: ev (reused, several KiB: never on a worker's
 * stack) cleared to the kind and tenant given. */
static struct store_event *event_for(struct store_event *ev, enum store_event_kind kind, int tid)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->tid = tid;
    return ev;
}

static bool dump_records(struct persist *p, int fd, int tid, struct store_event *ev)
{
    struct pay_page pays = {0};
    bool ok = store_payment_all(p->store, tid, &pays) == MOCK_OK;
    for (size_t k = 0; ok && k < pays.n; k++) {
        event_for(ev, STORE_EV_PAYMENT, tid)->payment = pays.items[k]; /* borrowed */
        ok = write_event(fd, ev, NULL);
    }
    store_page_free(&pays);
    struct customer *custs = NULL;
    size_t nc = 0;
    ok = ok && store_customer_list(p->store, tid, &custs, &nc) == MOCK_OK;
    for (size_t k = 0; ok && k < nc; k++) {
        event_for(ev, STORE_EV_CUSTOMER, tid)->customer = custs[k];
        ok = write_event(fd, ev, NULL);
    }
    store_customers_free(custs, nc);
    struct prepare *preps = NULL;
    size_t np = 0;
    ok = ok && store_prepare_list(p->store, tid, &preps, &np) == MOCK_OK;
    for (size_t k = 0; ok && k < np; k++) {
        event_for(ev, STORE_EV_PREPARE, tid)->prepare = preps[k];
        ok = write_event(fd, ev, NULL);
    }
    free(preps);
    struct sched_page scheds = {0};
    ok = ok && store_schedule_all(p->store, tid, &scheds) == MOCK_OK;
    for (size_t k = 0; ok && k < scheds.n; k++) {
        event_for(ev, STORE_EV_SCHEDULE, tid)->schedule = scheds.items[k];
        ok = write_event(fd, ev, NULL);
    }
    store_sched_page_free(&scheds);
    return ok && state_documents_dump(p->store, tid, emit_document, &fd);
}

static bool dump_tenant(struct persist *p, int fd, int tid)
{
    /* a snapshot may be written by a civetweb worker (a catch-up after a
     * failed append), whose stack is small: the event lives on the heap */
    struct store_event *ev = calloc(1, sizeof *ev);
    bool removed = false;
    bool ok = ev && store_tenant_slot(p->store, tid, &ev->merchant, &removed, ev->token,
                                      &ev->token_expires_at);
    if (ok) {
        /* a free slot is kept by its number alone: replaying the removal of
         * a slot past the end makes it a free one */
        ev->kind = removed ? STORE_EV_TENANT_REMOVE : STORE_EV_TENANT_ADD;
        ev->tid = tid;
        ok = write_event(fd, ev, NULL);
        ev->kind = STORE_EV_TOKEN;
        ok = ok && (removed || (write_event(fd, ev, NULL) && dump_records(p, fd, tid, ev)));
    }
    free(ev);
    return ok;
}

static bool fill_snapshot(struct persist *p, int fd)
{
    size_t n = store_tenant_count(p->store);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++)
        ok = dump_tenant(p, fd, (int)i);
    struct store_event *ce = ok ? calloc(1, sizeof *ce) : NULL; /* not on a worker's stack */
    ok = ce != NULL;
    if (ok) {
        event_for(ce, STORE_EV_CLOCK, -1);
        clock_get_state(&ce->clock_frozen, &ce->clock_value);
        ok = write_event(fd, ce, NULL);
    }
    free(ce);
    size_t len = 0;
    char *end = ok ? logline_render_end(&len) : NULL;
    ok = end && write_all(fd, end, len);
    free(end);
    return ok;
}

/* Writes DIR/name atomically (tmp + fsync + rename); fills it with fill().
 * Returns the open file when keep_open, else 0; -1 on failure. */
static int write_atomic(struct persist *p, const char *name, const char *kind, uint64_t gen,
                        bool (*fill)(struct persist *, int), bool keep_open, char *err,
                        size_t errlen)
{
    char tmp[PATH_MAX + 48], final[PATH_MAX + 48];
    snprintf(tmp, sizeof tmp, "%s/%s.tmp", p->dir, name);
    snprintf(final, sizeof final, "%s/%s", p->dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
        return -1;
    }
    char head[128];
    size_t hl = logline_header(head, sizeof head, kind, gen);
    bool ok = write_all(fd, head, hl) && (!fill || fill(p, fd)) && fsync(fd) == 0 &&
              rename(tmp, final) == 0 && sync_dir(p->dir);
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write: %s", final, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (keep_open)
        return fd;
    close(fd);
    return 0;
}

bool persist_compact(struct persist *p, char *err, size_t errlen)
{
    /* Runs where the log is written from (start-up, or the sink under the
     * store's flush lock), so no record is appended meanwhile. */
    uint64_t gen = p->gen + 1;
    if (write_atomic(p, "state.snap", "snapshot", gen, fill_snapshot, false, err, errlen) < 0)
        return false;
    /* the snapshot is in place: the old log is replayed no more, so nothing
     * may be appended to it until the new one is (and its mark) */
    p->behind = true;
    int fd = write_atomic(p, "state.log", "log", gen, NULL, true, err, errlen);
    if (fd < 0)
        return false;
    if (p->log_fd >= 0)
        close(p->log_fd);
    p->log_fd = fd;
    p->gen = gen;
    struct stat st;
    p->log_bytes = fstat(fd, &st) == 0 ? (size_t)st.st_size : 0;
    if (!mark_write(p, gen, p->log_bytes)) {
        snprintf(err, errlen, "%s/state.mark: cannot write: %s", p->dir, strerror(errno));
        return false;
    }
    p->behind = false;
    return true;
}

/* ---- the sink: every change, in order ---- */

/* Memory is ahead of the log: write it all as a fresh snapshot (memory
 * already holds the change being logged). At most once per PERSIST_RETRY_MS,
 * so a full disk is not hit with a whole snapshot per request. */
static bool catch_up(struct persist *p)
{
    double now = mono_ms();
    char err[512];
    if (now < p->retry_at || !persist_compact(p, err, sizeof err)) {
        if (now >= p->retry_at)
            p->retry_at = now + PERSIST_RETRY_MS;
        p->refused++;
        return false;
    }
    fprintf(stderr, "impmock: state: %s/state.log is written again (%zu changes were refused)\n",
            p->dir, p->refused);
    p->refused = 0;
    return true;
}

static bool sink(void *ud, const struct store_event *ev)
{
    struct persist *p = ud;
    if (p->behind)
        return catch_up(p);
    size_t len = 0;
    bool ok = write_event(p->log_fd, ev, &len) && (!p->sync_writes || fdatasync(p->log_fd) == 0);
    if (!ok) {
        int e = errno;
        /* cut back to the last whole record, so nothing is ever appended
         * behind a partial one; the compaction that catches up replaces
         * the file anyway */
        if (ftruncate(p->log_fd, (off_t)p->log_bytes) != 0)
            e = errno;
        fprintf(stderr,
                "impmock: state: cannot append to %s/state.log: %s; changes are refused until "
                "the state can be written again\n",
                p->dir, strerror(e));
        p->behind = true;
        p->refused = 1;
        p->retry_at = mono_ms() + PERSIST_RETRY_MS;
        return false;
    }
    p->log_bytes += len;
    if (!mark_write(p, p->gen, p->log_bytes) && !p->mark_warned) {
        /* the record is in the log: a stale mark only weakens the check for a cut log */
        fprintf(stderr, "impmock: state: cannot update %s/state.mark: %s\n", p->dir,
                strerror(errno));
        p->mark_warned = true;
    }
    if (p->log_bytes > PERSIST_COMPACT_SIZE && mono_ms() >= p->retry_at) {
        char err[512];
        if (!persist_compact(p, err, sizeof err)) {
            fprintf(stderr, "impmock: state: compaction failed (the log keeps growing): %s\n", err);
            p->retry_at = mono_ms() + PERSIST_RETRY_MS;
        }
    }
    return true;
}

/* ---- reading ---- */

struct file {
    char name[16]; /* "state.log" */
    char *buf;     /* NULL when the file does not exist */
    size_t len;
};

/* Everything start-up learns, and how it treats damage. */
struct opening {
    struct persist *p;
    bool repair;  /* damage is dropped (after a copy) instead of refused */
    bool dropped; /* repair dropped something: copy the files before rewriting */
    bool torn;    /* the log's incomplete last line was skipped */
    uint64_t gen; /* the newest generation read */
    char *err;
    size_t errlen;
};

/* Damage: refuses (false, with the message in o->err), or under repair
 * notes what is dropped and goes on (true). */
static bool damage(struct opening *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->err, o->errlen, fmt, ap);
    va_end(ap);
    if (!o->repair)
        return false;
    fprintf(stderr, "impmock: state: repair: %s; dropped\n", o->err);
    o->err[0] = '\0';
    o->dropped = true;
    return true;
}

static bool read_file(const char *dir, const char *name, struct file *ret, char *err, size_t errlen)
{
    memset(ret, 0, sizeof *ret);
    snprintf(ret->name, sizeof ret->name, "%s", name);
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return true;
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
        if (len == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    bool failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        free(buf);
        snprintf(err, errlen, "%s: cannot read%s", path, buf ? "" : " (out of memory)");
        return false;
    }
    buf[len] = '\0';
    ret->buf = buf;
    ret->len = len;
    return true;
}

/* Reads the header line. 0: read (*ret_body is where the records start);
 * 1: damaged, dropped under repair; -1: refused. */
static int read_header(struct opening *o, const struct file *f, const char *kind, uint64_t *ret_gen,
                       size_t *ret_body)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", o->p->dir, f->name);
    const char *nl = memchr(f->buf, '\n', f->len);
    bool foreign = false;
    char why[PATH_MAX + 160];
    if (nl && logline_parse_header(f->buf, (size_t)(nl - f->buf), path, kind, ret_gen, &foreign,
                                   why, sizeof why)) {
        *ret_body = (size_t)(nl - f->buf) + 1;
        if (*ret_gen > o->gen)
            o->gen = *ret_gen;
        return 0;
    }
    if (!nl)
        snprintf(why, sizeof why, "%s: not an impmock state file", path);
    if (foreign) { /* another impmock's state: never dropped */
        snprintf(o->err, o->errlen, "%s", why);
        return -1;
    }
    return damage(o, "%s", why) ? 1 : -1;
}

static bool apply_event(struct persist *p, const struct store_event *ev)
{
    if (ev->kind == STORE_EV_CLOCK) {
        clock_restore_state(ev->clock_frozen, ev->clock_value);
        return true;
    }
    return store_apply(p->store, ev) == MOCK_OK;
}

/* Applies one whole record line; false when it is damaged (message in why). */
static bool apply_line(struct persist *p, const char *line, size_t len, bool is_log, bool *ret_end,
                       char *why, size_t whylen)
{
    struct store_event ev;
    *ret_end = false;
    switch (logline_parse(line, len, &ev, why, whylen)) {
    case LOGLINE_BAD:
        return false;
    case LOGLINE_END:
        if (is_log)
            snprintf(why, whylen, "a snapshot's end record in a log");
        *ret_end = true;
        return !is_log;
    case LOGLINE_EVENT:
        break;
    }
    bool ok = apply_event(p, &ev);
    if (!ok)
        snprintf(why, whylen, "the %s record does not fit the state", logline_kind_name(&ev));
    store_event_fini(&ev);
    return ok;
}

static bool replay_snapshot(struct opening *o, const struct file *f)
{
    size_t pos;
    uint64_t gen;
    int h = read_header(o, f, "snapshot", &gen, &pos);
    if (h != 0)
        return h > 0;
    char why[256];
    for (size_t lineno = 2; pos < f->len; lineno++) {
        const char *line = f->buf + pos;
        const char *end = memchr(line, '\n', f->len - pos);
        bool is_end = false;
        if (!end)
            snprintf(why, sizeof why, "incomplete (no end of line)");
        if (!end || !apply_line(o->p, line, (size_t)(end - line), false, &is_end, why, sizeof why))
            return damage(o, "%s/%s line %zu: %s", o->p->dir, f->name, lineno, why);
        if (is_end)
            return true;
        pos = (size_t)(end - f->buf) + 1;
    }
    return damage(o, "%s/%s: incomplete snapshot (no end record)", o->p->dir, f->name);
}

/* What state.mark says of the log: the first `bytes` were acknowledged and
 * must be there; when exact, no whole record may follow them. */
struct acked {
    size_t bytes;
    bool exact;
};

static bool replay_log(struct opening *o, const struct file *f, size_t body, struct acked a)
{
    const char *dir = o->p->dir;
    char why[256];
    size_t pos = body, lineno = 2;
    bool at_mark = a.bytes == body; /* the mark falls between two records */
    for (; pos < f->len; lineno++) {
        const char *line = f->buf + pos;
        const char *end = memchr(line, '\n', f->len - pos);
        if (!end && pos < a.bytes)
            return damage(o, "%s/%s line %zu: incomplete, yet state.mark says it was acknowledged",
                          dir, f->name, lineno);
        if (!end) {
            fprintf(stderr,
                    "impmock: state: %s/%s line %zu is incomplete (the process stopped while "
                    "writing it); that last change is skipped\n",
                    dir, f->name, lineno);
            o->torn = true;
            break;
        }
        if (a.exact && pos >= a.bytes) {
            if (!damage(o,
                        "%s/%s line %zu: a record state.mark does not account for (the mark is "
                        "missing or older than the log)",
                        dir, f->name, lineno))
                return false;
            a.exact = false; /* noted once; the records are kept */
        }
        bool is_end;
        if (!apply_line(o->p, line, (size_t)(end - line), true, &is_end, why, sizeof why))
            return damage(o, "%s/%s line %zu: %s", dir, f->name, lineno, why);
        pos = (size_t)(end - f->buf) + 1;
        at_mark = at_mark || pos == a.bytes;
    }
    if (pos < a.bytes)
        return damage(o,
                      "%s/%s ends after line %zu (byte %zu), but state.mark says %zu bytes "
                      "were acknowledged: the log was cut",
                      dir, f->name, lineno - 1, pos, a.bytes);
    if (!at_mark)
        return damage(o,
                      "%s/%s: no record ends at byte %zu, where state.mark says the "
                      "acknowledged records end",
                      dir, f->name, a.bytes);
    return true;
}

/* Which files are there, and whether their generations follow; false
 * when start-up must stop. */
static bool check_files(struct opening *o, const struct file f[3], bool *ret_has_mark,
                        uint64_t *ret_mark_gen, uint64_t *ret_mark_bytes)
{
    const char *dir = o->p->dir;
    const struct file *snap = &f[0], *log = &f[1], *mark = &f[2];
    *ret_has_mark = mark->buf && mark_parse(mark->buf, mark->len, ret_mark_gen, ret_mark_bytes);
    if (mark->buf && !*ret_has_mark && !damage(o, "%s/state.mark line 1: damaged", dir))
        return false; /* under repair, a damaged mark counts as missing */
    if (!snap->buf && !log->buf && *ret_has_mark)
        return damage(o,
                      "%s/state.snap and state.log are missing, yet state.mark says %llu bytes "
                      "of log were acknowledged",
                      dir, (unsigned long long)*ret_mark_bytes);
    if (snap->buf && !log->buf)
        return damage(o, "%s/state.log is missing next to state.snap", dir);
    if (!snap->buf && log->buf)
        return damage(o, "%s/state.snap is missing next to state.log", dir);
    return true;
}

/* Replays the snapshot and the log. *ret_fresh_log: the log must be
 * rewritten before anything is appended (torn, dropped, or not matching its
 * snapshot or mark). */
static bool replay_all(struct opening *o, const struct file f[3], bool *ret_fresh_log)
{
    const char *dir = o->p->dir;
    const struct file *snap = &f[0], *log = &f[1];
    uint64_t snap_gen = 0, log_gen = 0, mark_gen = 0, mark_bytes = 0;
    bool has_mark = false;
    *ret_fresh_log = true;
    if (!check_files(o, f, &has_mark, &mark_gen, &mark_bytes))
        return false;
    size_t body;
    if (snap->buf && !replay_snapshot(o, snap))
        return false;
    snap_gen = o->gen;
    if (!log->buf)
        return true;
    int h = read_header(o, log, "log", &log_gen, &body);
    if (h != 0)
        return h > 0;
    if (has_mark && mark_gen > log_gen &&
        !damage(o,
                "%s/state.mark (generation %llu) is newer than state.log (generation %llu): "
                "the log was replaced",
                dir, (unsigned long long)mark_gen, (unsigned long long)log_gen))
        return false;
    if (snap->buf && log_gen < snap_gen)
        return true; /* older than the snapshot, which already holds all of it */
    if (snap->buf && log_gen > snap_gen &&
        !damage(o, "%s/state.snap (generation %llu) is older than state.log (generation %llu)", dir,
                (unsigned long long)snap_gen, (unsigned long long)log_gen))
        return false;
    /* a mark of an older generation (or none): the compaction that made this
     * log stopped before its mark was written, so nothing was appended */
    struct acked a = {body, true};
    if (has_mark && mark_gen == log_gen)
        a = (struct acked){(size_t)mark_bytes, false};
    if (!replay_log(o, log, body, a))
        return false;
    *ret_fresh_log = o->torn || o->dropped || !has_mark || mark_gen != log_gen ||
                     (snap->buf && log_gen != snap_gen);
    return true;
}

/* Copies the state files to DIR/damaged-<UTC time>/ before a repair drops anything. */
static bool keep_copy(struct opening *o, const struct file f[3])
{
    char sub[PATH_MAX + 64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    int made = -1;
    for (int i = 0; i < 100 && made != 0; i++) {
        if (i == 0)
            snprintf(sub, sizeof sub, "%s/damaged-%s", o->p->dir, stamp);
        else
            snprintf(sub, sizeof sub, "%s/damaged-%s-%d", o->p->dir, stamp, i);
        made = mkdir(sub, 0700);
        if (made != 0 && errno != EEXIST)
            break;
    }
    bool ok = made == 0;
    for (size_t i = 0; ok && i < 3; i++) {
        if (!f[i].buf)
            continue;
        char path[PATH_MAX + 96];
        snprintf(path, sizeof path, "%s/%s", sub, f[i].name);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        ok = fd >= 0 && write_all(fd, f[i].buf, f[i].len) && fsync(fd) == 0;
        if (fd >= 0)
            close(fd);
    }
    ok = ok && sync_dir(sub) && sync_dir(o->p->dir);
    if (!ok) {
        snprintf(o->err, o->errlen,
                 "%s: cannot keep a copy of the damaged state (%s); nothing "
                 "was dropped",
                 sub, strerror(errno));
        return false;
    }
    fprintf(stderr, "impmock: state: repair: the damaged files were copied to %s\n", sub);
    return true;
}

/* ---- open / close ---- */

/* Creates dir 0700 when missing, then takes its lock. */
static bool take_dir(struct persist *p, const char *dir, char *err, size_t errlen)
{
    if (strlen(dir) >= sizeof p->dir - 96) {
        snprintf(err, errlen, "%s: path too long", dir);
        return false;
    }
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
        return false;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: not a directory", dir);
        return false;
    }
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/lock", dir);
    p->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (p->lock_fd < 0) {
        snprintf(err, errlen, "%s: cannot use: %s", dir, strerror(errno));
        return false;
    }
    if (flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, errlen, "%s: another impmock is using this state directory", dir);
        return false;
    }
    return true;
}

/* Goes on appending to the log as it is (it and its mark are sound). */
static bool reopen_log(struct persist *p, const struct file *log, uint64_t gen, char *err,
                       size_t errlen)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/state.log", p->dir);
    p->log_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    snprintf(path, sizeof path, "%s/state.mark", p->dir);
    p->mark_fd = open(path, O_RDWR | O_CLOEXEC);
    p->gen = gen;
    p->log_bytes = log->len;
    if (p->log_fd < 0 || p->mark_fd < 0 || !mark_write(p, gen, log->len)) {
        snprintf(err, errlen, "%s: cannot append: %s", path, strerror(errno));
        return false;
    }
    return p->log_bytes <= PERSIST_COMPACT_SIZE || persist_compact(p, err, errlen);
}

static bool open_state(struct persist *p, const struct persist_opts *po, bool *ret_restored,
                       char *err, size_t errlen)
{
    struct file f[3];
    memset(f, 0, sizeof f);
    struct opening o = {.p = p, .repair = po->repair, .err = err, .errlen = errlen};
    bool fresh_log = true;
    bool ok = read_file(p->dir, "state.snap", &f[0], err, errlen) &&
              read_file(p->dir, "state.log", &f[1], err, errlen) &&
              read_file(p->dir, "state.mark", &f[2], err, errlen) && replay_all(&o, f, &fresh_log);
    if (ok && o.dropped)
        ok = keep_copy(&o, f);
    *ret_restored = f[0].buf || f[1].buf;
    if (ok) {
        p->gen = o.gen; /* the next compaction writes a newer generation */
        if (fresh_log || !f[1].buf)
            ok = persist_compact(p, err, errlen);
        else
            ok = reopen_log(p, &f[1], o.gen, err, errlen);
    }
    for (size_t i = 0; i < 3; i++)
        free(f[i].buf);
    return ok;
}

struct persist *persist_open(const char *dir, struct store *s, const struct persist_opts *o,
                             bool *ret_restored, char *err, size_t errlen)
{
    logline_init();
    struct persist *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->store = s;
    p->lock_fd = p->log_fd = p->mark_fd = -1;
    p->sync_writes = o->sync_writes;
    if (!take_dir(p, dir, err, errlen) || !open_state(p, o, ret_restored, err, errlen)) {
        if (p->log_fd >= 0)
            close(p->log_fd);
        if (p->mark_fd >= 0)
            close(p->mark_fd);
        if (p->lock_fd >= 0)
            close(p->lock_fd);
        free(p);
        return NULL;
    }
    store_set_sink(s, sink, p);
    return p;
}

void persist_close(struct persist *p)
{
    if (!p)
        return;
    store_set_sink(p->store, NULL, NULL);
    if (p->log_fd >= 0) {
        fsync(p->log_fd);
        close(p->log_fd);
    }
    if (p->mark_fd >= 0)
        close(p->mark_fd);
    if (p->lock_fd >= 0)
        close(p->lock_fd); /* releases the flock */
    free(p);
}
