/* persist.c - see persist.h. */
#include "state/persist.h"

#include "infra/clock.h"
#include "state/state.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct persist {
    struct store *store;
    char dir[PATH_MAX];
    int lock_fd;
    int log_fd;       /* O_APPEND; only the sink (under the store's flush lock) writes */
    size_t log_bytes; /* size of state.log */
    uint64_t gen;     /* generation of the current log */
    bool sync_writes; /* fdatasync after every record */
};

/* ---- CRC-32 (IEEE), to notice a torn or damaged record ---- */

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_of(const char *s, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ (unsigned char)s[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

/* ---- records ---- */

/* A JSON number that is whole and within ±1e15 (exact in a double, and far
 * beyond any time or counter impmock writes); anything else is damage. */
static bool whole_number(const cJSON *it, int64_t *ret)
{
    if (!cJSON_IsNumber(it))
        return false;
    double d = it->valuedouble;
    if (!isfinite(d) || d != floor(d) || d < -1e15 || d > 1e15)
        return false;
    *ret = (int64_t)d;
    return true;
}

static const char *const kind_names[] = {"tenant_add", "tenant_clear", "tenant_remove", "token",
                                         "payment",    "customer",     "customer_del",  "prepare",
                                         "clock",      "schedule"};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

static cJSON *event_to_json(const struct store_event *ev)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "ev", kind_names[ev->kind]) ||
        !cJSON_AddNumberToObject(o, "tid", ev->tid)) {
        cJSON_Delete(o);
        return NULL;
    }
    cJSON *body = NULL;
    bool ok = true;
    switch (ev->kind) {
    case STORE_EV_TENANT_ADD:
        body = state_merchant_to_json_full(&ev->merchant);
        ok = body && cJSON_AddItemToObject(o, "merchant", body);
        break;
    case STORE_EV_PAYMENT:
        body = state_payment_to_json(&ev->payment);
        ok = body && cJSON_AddItemToObject(o, "payment", body);
        break;
    case STORE_EV_CUSTOMER:
        body = state_customer_to_json(&ev->customer);
        ok = body && cJSON_AddItemToObject(o, "customer", body);
        break;
    case STORE_EV_PREPARE:
        body = state_prepare_to_json(&ev->prepare);
        ok = body && cJSON_AddItemToObject(o, "prepare", body);
        break;
    case STORE_EV_SCHEDULE:
        body = state_schedule_to_json(&ev->schedule);
        ok = body && cJSON_AddItemToObject(o, "schedule", body);
        break;
    case STORE_EV_TOKEN:
        ok = cJSON_AddStringToObject(o, "token", ev->token) &&
             cJSON_AddNumberToObject(o, "expires_at", (double)ev->token_expires_at);
        break;
    case STORE_EV_CUSTOMER_DEL:
        ok = cJSON_AddStringToObject(o, "customer_uid", ev->key) != NULL;
        break;
    case STORE_EV_CLOCK:
        ok = cJSON_AddBoolToObject(o, "frozen", ev->clock_frozen) &&
             cJSON_AddNumberToObject(o, "value", (double)ev->clock_value);
        break;
    case STORE_EV_TENANT_CLEAR:
    case STORE_EV_TENANT_REMOVE:
        break;
    }
    if (!ok) {
        /* a body that could not be attached is not o's to free */
        if (body && !body->string)
            cJSON_Delete(body);
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Fills ev from a record; false with a message naming the problem. */
static bool event_from_json(const cJSON *o, struct store_event *ev, char *err, size_t errlen)
{
    memset(ev, 0, sizeof *ev);
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "ev");
    const cJSON *tid = cJSON_GetObjectItemCaseSensitive(o, "tid");
    size_t kind = N_KINDS;
    for (size_t i = 0; cJSON_IsString(k) && i < N_KINDS; i++)
        if (!strcmp(k->valuestring, kind_names[i]))
            kind = i;
    int64_t tid_value;
    if (kind == N_KINDS || !whole_number(tid, &tid_value) || tid_value < -1 ||
        tid_value > 10000000) {
        snprintf(err, errlen, "unknown record");
        return false;
    }
    ev->kind = (enum store_event_kind)kind;
    ev->tid = (int)tid_value;
    const cJSON *it;
    switch (ev->kind) {
    case STORE_EV_TENANT_ADD:
        return state_merchant_from_json(cJSON_GetObjectItemCaseSensitive(o, "merchant"),
                                        &ev->merchant, err, errlen);
    case STORE_EV_PAYMENT:
        return state_payment_from_json(cJSON_GetObjectItemCaseSensitive(o, "payment"), &ev->payment,
                                       err, errlen);
    case STORE_EV_CUSTOMER:
        return state_customer_from_json(cJSON_GetObjectItemCaseSensitive(o, "customer"),
                                        &ev->customer, err, errlen);
    case STORE_EV_PREPARE:
        return state_prepare_from_json(cJSON_GetObjectItemCaseSensitive(o, "prepare"), &ev->prepare,
                                       err, errlen);
    case STORE_EV_SCHEDULE:
        return state_schedule_from_json(cJSON_GetObjectItemCaseSensitive(o, "schedule"),
                                        &ev->schedule, err, errlen);
    case STORE_EV_TOKEN:
        it = cJSON_GetObjectItemCaseSensitive(o, "token");
        if (!cJSON_IsString(it) || strlen(it->valuestring) >= sizeof ev->token)
            break;
        memcpy(ev->token, it->valuestring, strlen(it->valuestring) + 1);
        if (!whole_number(cJSON_GetObjectItemCaseSensitive(o, "expires_at"), &ev->token_expires_at))
            break;
        return true;
    case STORE_EV_CUSTOMER_DEL:
        it = cJSON_GetObjectItemCaseSensitive(o, "customer_uid");
        if (!cJSON_IsString(it) || strlen(it->valuestring) >= sizeof ev->key)
            break;
        memcpy(ev->key, it->valuestring, strlen(it->valuestring) + 1);
        return true;
    case STORE_EV_CLOCK:
        if (!whole_number(cJSON_GetObjectItemCaseSensitive(o, "value"), &ev->clock_value) ||
            !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(o, "frozen")))
            break;
        ev->clock_frozen = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "frozen"));
        return true;
    case STORE_EV_TENANT_CLEAR:
    case STORE_EV_TENANT_REMOVE:
        return true;
    }
    snprintf(err, errlen, "%s record is incomplete", kind_names[ev->kind]);
    return false;
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

/* Renders one record line ("CRC JSON\n"); owned, NULL on OOM. */
static char *record_line(const cJSON *o, size_t *ret_len)
{
    char *json = cJSON_PrintUnformatted(o);
    if (!json)
        return NULL;
    size_t jl = strlen(json);
    char *line = malloc(jl + 11);
    if (line) {
        snprintf(line, 10, "%08x ", crc32_of(json, jl));
        memcpy(line + 9, json, jl);
        line[9 + jl] = '\n';
        line[10 + jl] = '\0';
        *ret_len = jl + 10;
    }
    cJSON_free(json);
    return line;
}

static bool write_header(int fd, const char *kind, uint64_t gen)
{
    char head[128];
    int n = snprintf(head, sizeof head, "{\"impmock_state\":%d,\"kind\":\"%s\",\"gen\":%llu}\n",
                     PERSIST_FORMAT, kind, (unsigned long long)gen);
    return write_all(fd, head, (size_t)n);
}

static bool write_event(int fd, const struct store_event *ev, size_t *ret_len)
{
    cJSON *o = event_to_json(ev);
    size_t len = 0;
    char *line = o ? record_line(o, &len) : NULL;
    cJSON_Delete(o);
    bool ok = line && write_all(fd, line, len);
    free(line);
    if (ok && ret_len)
        *ret_len = len;
    return ok;
}

/* ---- the sink: every change, in order ---- */

static bool sink(void *ud, const struct store_event *ev)
{
    struct persist *p = ud;
    size_t len = 0;
    if (!write_event(p->log_fd, ev, &len)) {
        fprintf(stderr, "impmock: state: cannot append to %s/state.log: %s\n", p->dir,
                strerror(errno));
        return false;
    }
    if (p->sync_writes && fdatasync(p->log_fd) != 0)
        return false;
    p->log_bytes += len;
    if (p->log_bytes > PERSIST_COMPACT_SIZE) {
        char err[256];
        if (!persist_compact(p, err, sizeof err))
            fprintf(stderr, "impmock: state: compaction failed (the log keeps growing): %s\n", err);
    }
    return true;
}

/* ---- reading ---- */

struct reader {
    char *buf;
    size_t len;
    size_t records;
    bool torn; /* the last record was incomplete and skipped */
};

static bool read_file(const char *path, char **ret_buf, size_t *ret_len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) {
            *ret_buf = NULL;
            *ret_len = 0;
            return true;
        }
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
    *ret_buf = buf;
    *ret_len = len;
    return true;
}

/* Parses the header line; false when it is not ours. */
static bool parse_header(const char *line, size_t len, const char *path, const char *kind,
                         uint64_t *ret_gen, char *err, size_t errlen)
{
    cJSON *h = cJSON_ParseWithLength(line, len);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(h, "impmock_state");
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(h, "kind");
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(h, "gen");
    int64_t gen_value = 0;
    bool ok = false;
    if (!cJSON_IsNumber(fmt))
        snprintf(err, errlen, "%s: not an impmock state file", path);
    else if (fmt->valueint != PERSIST_FORMAT)
        snprintf(err, errlen,
                 "%s: written in state format %d; this impmock reads format %d (use the "
                 "impmock that wrote it, or another --state-dir)",
                 path, fmt->valueint, PERSIST_FORMAT);
    else if (!cJSON_IsString(k) || strcmp(k->valuestring, kind) != 0 ||
             !whole_number(gen, &gen_value) || gen_value < 0)
        snprintf(err, errlen, "%s: damaged header", path);
    else {
        *ret_gen = (uint64_t)gen_value;
        ok = true;
    }
    cJSON_Delete(h);
    return ok;
}

static bool apply_event(struct persist *p, const struct store_event *ev)
{
    if (ev->kind == STORE_EV_CLOCK) {
        clock_restore_state(ev->clock_frozen, ev->clock_value);
        return true;
    }
    return store_apply(p->store, ev) == MOCK_OK;
}

/* Replays one file. is_log: a torn last record is tolerated. */
static bool replay(struct persist *p, const char *name, bool is_log, uint64_t min_gen,
                   uint64_t *ret_gen, bool *ret_found, bool *ret_torn, char *err, size_t errlen)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", p->dir, name);
    char *buf;
    size_t len;
    *ret_found = false;
    *ret_torn = false;
    if (!read_file(path, &buf, &len, err, errlen))
        return false;
    if (!buf)
        return true;
    *ret_found = true;
    bool ok = true, ended = false;
    char *nl = memchr(buf, '\n', len);
    uint64_t gen = 0;
    if (!nl || !parse_header(buf, (size_t)(nl - buf), path, is_log ? "log" : "snapshot", &gen, err,
                             errlen)) {
        if (!nl)
            snprintf(err, errlen, "%s: not an impmock state file", path);
        free(buf);
        return false;
    }
    *ret_gen = gen;
    if (is_log && gen < min_gen) {
        /* older than the snapshot, which already holds all of it */
        free(buf);
        return true;
    }
    size_t lineno = 1;
    for (char *line = nl + 1; ok && line < buf + len; lineno++) {
        char *end = memchr(line, '\n', (size_t)(buf + len - line));
        size_t ll = end ? (size_t)(end - line) : (size_t)(buf + len - line);
        bool last = !end || end + 1 >= buf + len;
        unsigned crc = 0;
        bool good = end && ll > 9 && line[8] == ' ' && sscanf(line, "%8x", &crc) == 1 &&
                    crc32_of(line + 9, ll - 9) == crc;
        if (!good) {
            if (is_log && last) {
                fprintf(stderr,
                        "impmock: state: %s line %zu is incomplete (the process stopped while "
                        "writing it); that last change is skipped\n",
                        path, lineno);
                *ret_torn = true;
                break;
            }
            snprintf(err, errlen, "%s line %zu is damaged (checksum mismatch)", path, lineno);
            ok = false;
            break;
        }
        cJSON *o = cJSON_ParseWithLength(line + 9, ll - 9);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "end")) && !is_log) {
            ended = true;
            cJSON_Delete(o);
            break;
        }
        struct store_event ev;
        char why[256];
        if (!o || !event_from_json(o, &ev, why, sizeof why)) {
            snprintf(err, errlen, "%s line %zu: %s", path, lineno, o ? why : "not JSON");
            ok = false;
        } else {
            if (!apply_event(p, &ev)) {
                snprintf(err, errlen, "%s line %zu: the %s record does not fit the state", path,
                         lineno, kind_names[ev.kind]);
                ok = false;
            }
            store_event_fini(&ev);
        }
        cJSON_Delete(o);
        line = end + 1;
    }
    if (ok && !is_log && !ended) {
        snprintf(err, errlen, "%s: incomplete snapshot (no end record)", path);
        ok = false;
    }
    free(buf);
    return ok;
}

/* ---- writing a snapshot ---- */

static bool emit_line(int fd, const struct store_event *ev)
{
    return write_event(fd, ev, NULL);
}

static bool dump_state(struct persist *p, int fd)
{
    size_t n = store_tenant_count(p->store);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        int tid = (int)i;
        struct store_event ev;
        memset(&ev, 0, sizeof ev);
        bool removed = false;
        if (!store_tenant_slot(p->store, tid, &ev.merchant, &removed, ev.token,
                               &ev.token_expires_at))
            return false;
        /* a free slot is kept by its number alone: replaying the removal
         * of a slot past the end makes it a free one */
        ev.kind = removed ? STORE_EV_TENANT_REMOVE : STORE_EV_TENANT_ADD;
        ev.tid = tid;
        ok = emit_line(fd, &ev);
        if (removed)
            continue;
        ev.kind = STORE_EV_TOKEN;
        ok = ok && emit_line(fd, &ev);
        struct pay_page pays = {0};
        ok = ok && store_payment_all(p->store, tid, &pays) == MOCK_OK;
        for (size_t k = 0; ok && k < pays.n; k++) {
            struct store_event pe = {.kind = STORE_EV_PAYMENT, .tid = tid};
            pe.payment = pays.items[k]; /* borrowed for the write */
            ok = emit_line(fd, &pe);
        }
        store_page_free(&pays);
        struct customer *custs = NULL;
        size_t nc = 0;
        ok = ok && store_customer_list(p->store, tid, &custs, &nc) == MOCK_OK;
        for (size_t k = 0; ok && k < nc; k++) {
            struct store_event ce = {.kind = STORE_EV_CUSTOMER, .tid = tid};
            ce.customer = custs[k];
            ok = emit_line(fd, &ce);
        }
        store_customers_free(custs, nc);
        struct prepare *preps = NULL;
        size_t np = 0;
        ok = ok && store_prepare_list(p->store, tid, &preps, &np) == MOCK_OK;
        for (size_t k = 0; ok && k < np; k++) {
            struct store_event re = {.kind = STORE_EV_PREPARE, .tid = tid};
            re.prepare = preps[k];
            ok = emit_line(fd, &re);
        }
        free(preps);
        struct sched_page scheds = {0};
        ok = ok && store_schedule_all(p->store, tid, &scheds) == MOCK_OK;
        for (size_t k = 0; ok && k < scheds.n; k++) {
            struct store_event se = {.kind = STORE_EV_SCHEDULE, .tid = tid};
            se.schedule = scheds.items[k];
            ok = emit_line(fd, &se);
        }
        store_sched_page_free(&scheds);
    }
    struct store_event ce = {.kind = STORE_EV_CLOCK, .tid = -1};
    clock_get_state(&ce.clock_frozen, &ce.clock_value);
    ok = ok && emit_line(fd, &ce);
    cJSON *end = cJSON_CreateObject();
    size_t len = 0;
    char *line = end && cJSON_AddTrueToObject(end, "end") ? record_line(end, &len) : NULL;
    ok = ok && line && write_all(fd, line, len);
    free(line);
    cJSON_Delete(end);
    return ok;
}

static bool sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

/* Writes DIR/name atomically (tmp + fsync + rename); fills it with fill(). */
static int write_atomic(struct persist *p, const char *name, const char *kind, uint64_t gen,
                        bool (*fill)(struct persist *, int), bool keep_open, char *err,
                        size_t errlen)
{
    char tmp[PATH_MAX + 48], final[PATH_MAX + 48];
    snprintf(tmp, sizeof tmp, "%s/%s.tmp", p->dir, name);
    snprintf(final, sizeof final, "%s/%s", p->dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
        return -1;
    }
    bool ok = write_header(fd, kind, gen) && (!fill || fill(p, fd)) && fsync(fd) == 0 &&
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

static bool fill_snapshot(struct persist *p, int fd)
{
    return dump_state(p, fd);
}

bool persist_compact(struct persist *p, char *err, size_t errlen)
{
    /* Runs where the log is written from (start-up, or the sink under the
     * store's flush lock), so no record is appended meanwhile. */
    uint64_t gen = p->gen + 1;
    if (write_atomic(p, "state.snap", "snapshot", gen, fill_snapshot, false, err, errlen) < 0)
        return false;
    int fd = write_atomic(p, "state.log", "log", gen, NULL, true, err, errlen);
    if (fd < 0)
        return false;
    if (p->log_fd >= 0)
        close(p->log_fd);
    p->log_fd = fd;
    p->gen = gen;
    struct stat st;
    p->log_bytes = fstat(fd, &st) == 0 ? (size_t)st.st_size : 0;
    return true;
}

/* ---- open / close ---- */

struct persist *persist_open(const char *dir, struct store *s, bool sync_writes, bool *ret_restored,
                             char *err, size_t errlen)
{
    crc_init();
    struct persist *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->store = s;
    p->lock_fd = p->log_fd = -1;
    p->sync_writes = sync_writes;
    if (strlen(dir) >= sizeof p->dir - 64) {
        snprintf(err, errlen, "%s: path too long", dir);
        goto fail;
    }
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
        goto fail;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: not a directory", dir);
        goto fail;
    }
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/lock", dir);
    p->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (p->lock_fd < 0) {
        snprintf(err, errlen, "%s: cannot use: %s", dir, strerror(errno));
        goto fail;
    }
    if (flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, errlen, "%s: another impmock is using this state directory", dir);
        goto fail;
    }
    bool snap_found, log_found, torn, ignored;
    uint64_t snap_gen = 0, log_gen = 0;
    if (!replay(p, "state.snap", false, 0, &snap_gen, &snap_found, &ignored, err, errlen) ||
        !replay(p, "state.log", true, snap_gen, &log_gen, &log_found, &torn, err, errlen))
        goto fail;
    *ret_restored = snap_found || log_found;
    p->gen = snap_gen > log_gen ? snap_gen : log_gen;
    if (!log_found || torn || log_gen < snap_gen) {
        /* start a clean log (a torn tail must not stay in front of new records) */
        if (!persist_compact(p, err, errlen))
            goto fail;
    } else {
        snprintf(path, sizeof path, "%s/state.log", dir);
        p->log_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (p->log_fd < 0 || fstat(p->log_fd, &st) != 0) {
            snprintf(err, errlen, "%s: cannot append: %s", path, strerror(errno));
            goto fail;
        }
        p->log_bytes = (size_t)st.st_size;
        if (p->log_bytes > PERSIST_COMPACT_SIZE && !persist_compact(p, err, errlen))
            goto fail;
    }
    store_set_sink(s, sink, p);
    return p;
fail:
    if (p->log_fd >= 0)
        close(p->log_fd);
    if (p->lock_fd >= 0)
        close(p->lock_fd);
    free(p);
    return NULL;
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
    if (p->lock_fd >= 0)
        close(p->lock_fd); /* releases the flock */
    free(p);
}
