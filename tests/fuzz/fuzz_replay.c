/*
 * fuzz_replay.c - a --state-dir holding arbitrary state, opened the way
 * start-up opens it (persist_open replays the snapshot and the log into a
 * fresh store). The first input byte chooses the layout:
 *   bit 0  0: the rest is state.log as it is, framing and CRCs included
 *          1: the rest is JSON records, one a line; the target adds a valid
 *             header and each line's CRC, so the records themselves reach
 *             the code that applies them
 *   bit 1  (framed only) the records go in the snapshot (with its end
 *          record) instead of the log
 *   bit 2  open with repair (a damaged state is copied, then kept as far
 *          as it reads)
 * The other files are written to match (an empty snapshot or log of the
 * same generation, a mark covering the log's whole lines), so the input is
 * what decides. A refusal must say why. State that was accepted once - as
 * it is, or by a repair - must be accepted again by a plain start.
 */
#include "state/ids.h"
#include "state/persist.h"
#include "state/store.h"

#include <dirent.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static uint32_t crc_table[256];

static uint32_t crc32_of(const uint8_t *s, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ s[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    ids_init(true, 1);
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    snprintf(dir, sizeof dir, "/tmp/impmock-fuzz-replay-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    return 0;
}

static const char *const names[] = {"state.log",     "state.snap",     "state.mark",
                                    "state.log.tmp", "state.snap.tmp", "lock"};

static void remove_files(void)
{
    char path[384];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    /* the copies repairs made */
    DIR *d = opendir(dir);
    if (!d)
        abort();
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        if (strncmp(e->d_name, "damaged-", 8) != 0)
            continue;
        for (size_t i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/%s/%s", dir, e->d_name, names[i]);
            unlink(path);
        }
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        rmdir(path);
    }
    closedir(d);
}

static const char end_record[] = "{\"end\":true}";

/* An empty snapshot or log of generation 1 (the counterpart of the input). */
static void write_empty(const char *name, bool snapshot)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fprintf(f, "{\"impmock_state\":%d,\"kind\":\"%s\",\"gen\":1}\n", PERSIST_FORMAT,
            snapshot ? "snapshot" : "log");
    if (snapshot)
        fprintf(f, "%08x %s\n", crc32_of((const uint8_t *)end_record, sizeof end_record - 1),
                end_record);
    fclose(f);
}

/* state.mark: the log of generation 1 holds its whole lines. */
static void write_mark(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/state.log", dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    long whole = 0, pos = 0;
    for (int c = fgetc(f); c != EOF; c = fgetc(f)) {
        pos++;
        if (c == '\n')
            whole = pos;
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/state.mark", dir);
    f = fopen(path, "wb");
    if (!f)
        abort();
    fprintf(f, "gen %020d bytes %020ld\n", 1, whole);
    fclose(f);
}

static void write_input(const uint8_t *data, size_t size)
{
    bool framed = size && (data[0] & 1);
    bool snapshot = size && (data[0] & 2);
    bool in_snap = framed && snapshot;
    write_empty(in_snap ? "state.log" : "state.snap", !in_snap);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, in_snap ? "state.snap" : "state.log");
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size)
        data++, size--;
    if (!framed) {
        if (size && fwrite(data, 1, size, f) != size)
            abort();
        fclose(f);
        write_mark();
        return;
    }
    fprintf(f, "{\"impmock_state\":%d,\"kind\":\"%s\",\"gen\":1}\n", PERSIST_FORMAT,
            snapshot ? "snapshot" : "log");
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != '\n')
            continue;
        if (i > start) {
            fprintf(f, "%08x ", crc32_of(data + start, i - start));
            if (fwrite(data + start, 1, i - start, f) != i - start)
                abort();
            fputc('\n', f);
        }
        start = i + 1;
    }
    if (snapshot)
        fprintf(f, "%08x %s\n", crc32_of((const uint8_t *)end_record, sizeof end_record - 1),
                end_record);
    fclose(f);
    write_mark();
}

/* Opens dir into a fresh store; true when the state was accepted. */
static bool open_once(bool repair, bool must_accept)
{
    struct store *s = store_new();
    if (!s)
        abort();
    char err[512] = "";
    bool restored = false;
    struct persist_opts po = {.sync_writes = false, .repair = repair};
    struct persist *p = persist_open(dir, s, &po, &restored, err, sizeof err);
    if (!p) {
        if (!err[0])
            abort(); /* a refusal always says why */
        if (must_accept) {
            fprintf(stderr, "accepted state refused on the next start: %s\n", err);
            abort();
        }
    }
    bool accepted = p != NULL;
    persist_close(p);
    store_free(s);
    return accepted;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    remove_files();
    bool repair = size && (data[0] & 4);
    write_input(data, size);
    if (open_once(repair, false))
        open_once(false, true);
    return 0;
}
